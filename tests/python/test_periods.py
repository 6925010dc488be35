"""by= decades and multiples of calendar units, the same in every analysis that groups."""

import json

import pandas as pd
import pytest

import framescope as fs
from framescope.cli import main

FRAMES = {"west": ["collective West"]}


def corpus(dates, texts=None):
    texts = texts or ["the collective West"] * len(dates)
    return fs.Corpus.from_texts(texts, dates=dates)


def rows(table):
    return {p: (int(d), int(h)) for p, d, h in zip(table["period"], table["docs"], table["hits"], strict=True)}


def test_decades_are_calendar_decades_with_gaps_and_undated_kept():
    c = corpus(["1917-11-07", "1989-12-31", "1990-01-01", "1999-06-01", "2005-01-01", None],
               ["the collective West"] * 3 + ["nothing", "the collective West West", "undated West"])
    t = c.frame_trends(FRAMES, by="decade")
    assert rows(t)["1910s"] == (1, 1)
    assert rows(t)["1980s"] == (1, 1)
    assert rows(t)["1990s"] == (2, 1)
    assert rows(t)["2000s"] == (1, 1)
    assert rows(t)["1950s"] == (0, 0)  # an empty decade is a row: gaps show
    assert list(t["period"])[:2] == ["1910s", "1920s"] and list(t["period"])[-1] == "undated"
    assert t.set_index("period").loc["1990s", "start"] == pd.Timestamp("1990-01-01")


def test_multiples_are_aligned_to_the_calendar():
    c = corpus(["1965-03-01", "2019-12-31", "2020-01-01", "2024-12-31", "2026-05-05"])
    assert rows(c.frame_trends(FRAMES, by="5y")) == {
        **{f"{y}–{y + 4}": (0, 0) for y in range(1970, 2015, 5)},
        "1965–1969": (1, 1), "2015–2019": (1, 1), "2020–2024": (2, 2), "2025–2029": (1, 1)}
    m = corpus(["2023-01-15", "2023-06-30", "2023-07-01", "2024-02-01"]).frame_trends(FRAMES, by="6m")
    assert rows(m) == {"2023-01–2023-06": (2, 2), "2023-07–2023-12": (1, 1), "2024-01–2024-06": (1, 1)}
    q = corpus(["2023-03-31", "2023-04-01", "2023-07-01"]).frame_trends(FRAMES, by="2Q")
    assert rows(q) == {"2023Q1–2023Q2": (2, 2), "2023Q3–2023Q4": (1, 1)}
    # Days count from 1970-01-01: 2023-01-01 is day 19,358 (bin 1935), 01-10 and 01-11 bin 1936.
    d = corpus(["2023-01-01", "2023-01-10", "2023-01-11"]).frame_trends(FRAMES, by="10d")
    assert rows(d) == {"2022-12-24–2023-01-02": (1, 1), "2023-01-03–2023-01-12": (2, 2)}


def test_every_grouping_analysis_takes_them(tmp_path):
    dates = ["2001-01-01", "2003-01-01", "2012-01-01", "2015-06-01"]
    texts = ["the collective West", "sanctions and the collective West", "the Global Majority", "BRICS"]
    c = corpus(dates, texts)
    t = c.frame_trends(FRAMES, by="decade")
    # fs.scan: the same table, read batch by batch.
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps({"text": x, "date": d}) + "\n" for x, d in zip(texts, dates, strict=True)))
    s = fs.scan(path, FRAMES, by="decade", terms=False, clean=False)
    assert list(s.trends["period"]) == list(t["period"]) == ["2000s", "2010s"]
    assert list(s.trends["hits"]) == list(t["hits"]) == [2, 0]
    d = c.distribution(by="5y", terms=["collective West"])
    assert d.periods == ["2000–2004", "2005–2009", "2010–2014", "2015–2019"]
    assert d.values.ravel().tolist() == [2, 0, 0, 0]
    assert c.term_trends(["BRICS"], by="decade")["hits"].tolist() == [0, 1]
    # Planted: "new phrase" appears in the 2000s only. Stop words ("a", "here") removed, the
    # 2000s hold 3 x 7 + 3 x 2 = 27 tokens, the corpus 48.
    e = fs.Corpus.from_texts(["a b c d e f g h"] * 6 + ["new phrase here"] * 3,
                             dates=[f"{y}-01-01" for y in [1990, 1991, 1992, 2000, 2001, 2002] * 1 + [2000, 2001, 2002]])
    top = e.emerging(by="decade", min_count=1, size=1, method="ratio", window=1, top=2)
    assert set(top["term"]) == {"new", "phrase"} and set(top["start"]) == {"2000s"}
    assert top["per_10k"].round(6).tolist() == [round(3e4 / 27, 6)] * 2
    assert top["overall_per_10k"].round(6).tolist() == [round(3e4 / 48, 6)] * 2


def test_bad_by_values_are_errors_that_say_what_is_accepted():
    c = corpus(["2023-01-01"])
    with pytest.raises(ValueError, match="a period is at least one year"):
        c.frame_trends(FRAMES, by="0y")
    with pytest.raises(ValueError, match=r"decade, or a multiple such as '5y', '2q', '6m', '6y@2012'\), a metadata column, "
                                         r"one label per document \(an array or Series\) or a list of these, "
                                         r"got 'fortnight'"):
        c.frame_trends(FRAMES, by="fortnight")
    # A list names the key that is wrong.
    with pytest.raises(ValueError, match="got 'lang'; metadata columns: \\[\\]"):
        c.frame_trends(FRAMES, by=["lang", "decade"])


def test_year_multiples_start_in_years_divisible_by_them_or_at_a_given_start():
    # Hand-checked: 4-year periods from years divisible by 4 (US terms start a year later:
    # "4y@2017"); Russian presidential terms of six years from 2012 ("6y@2012").
    c = corpus(["2011-12-31", "2012-01-01", "2016-06-01", "2017-01-20", "2018-05-07", "2024-05-07"])
    t = c.frame_trends(FRAMES, by="4y")
    assert t.drop_duplicates("period")[["period", "docs"]].values.tolist() == [
        ["2008–2011", 1], ["2012–2015", 1], ["2016–2019", 3], ["2020–2023", 0], ["2024–2027", 1]]
    assert t.drop_duplicates("period")["start"].dt.year.tolist() == [2008, 2012, 2016, 2020, 2024]
    us = c.frame_trends(FRAMES, by="4y@2017").drop_duplicates("period")
    assert us[["period", "docs"]].values.tolist() == [
        ["2009–2012", 2], ["2013–2016", 1], ["2017–2020", 2], ["2021–2024", 1]]
    ru = c.frame_trends(FRAMES, by="6y@2012").drop_duplicates("period")
    assert ru[["period", "docs"]].values.tolist() == [["2006–2011", 1], ["2012–2017", 3], ["2018–2023", 1],
                                                      ["2024–2029", 1]]
    # any year of the cycle names the same periods; months and weeks take a start too
    assert c.frame_trends(FRAMES, by="6y@1994").drop_duplicates("period")["period"].tolist() == ru["period"].tolist()
    m = c.frame_trends(FRAMES, by="6m@2016-03").drop_duplicates("period")
    assert m["period"].tolist()[:2] == ["2011-09–2012-02", "2012-03–2012-08"]
    w = corpus(["2024-01-01", "2024-01-08", "2024-01-15"]).frame_trends(FRAMES, by="2w@2024-01-08")
    assert w.drop_duplicates("period")["docs"].tolist() == [1, 2]
    with pytest.raises(ValueError, match=r"the periods' start 'soon' is not a date"):
        c.frame_trends(FRAMES, by="6y@soon")


def test_periods_with_a_start_are_the_same_in_a_scan_and_the_cli(tmp_path, capsys):
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps({"text": "the collective West", "date": d}) + "\n"
                            for d in ("2011-12-31", "2012-01-01", "2018-05-07")))
    scanned = fs.scan([str(path)], FRAMES, by="6y@2012", terms=False, clean=False).trends
    assert scanned[["period", "docs"]].values.tolist() == [["2006–2011", 1], ["2012–2017", 1], ["2018–2023", 1]]
    out = tmp_path / "t.csv"
    assert main(["trends", str(path), "--by", "6y@2012", "--no-dedup", "--out", str(out)]) == 0
    assert pd.read_csv(out)["period"].unique().tolist() == ["2006–2011", "2012–2017", "2018–2023"]


def test_cli_by_decade(tmp_path, capsys):
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps({"text": "the collective West", "date": f"{y}-05-01"}) + "\n"
                            for y in (1995, 2004, 2006)))
    out = tmp_path / "t.csv"
    assert main(["trends", str(path), "--by", "decade", "--no-dedup", "--out", str(out)]) == 0
    t = pd.read_csv(out)
    assert t.drop_duplicates("period")["docs"].tolist() == [1, 2]
    assert "1990s" in capsys.readouterr().out


def test_dask_partitions_add_up_to_the_same_decades():
    dd = pytest.importorskip("dask.dataframe")
    fsd = pytest.importorskip("framescope.dask")
    dates = ["1995-01-01", "2001-01-01", "2003-01-01", "2012-01-01", "2015-06-01", None]
    texts = ["the collective West"] * 3 + ["the Global Majority", "collective West again", "x"]
    df = pd.DataFrame({"text": texts, "date": dates})
    t = fs.Corpus.from_pandas(df).frame_trends(FRAMES, by="5y")
    d = fsd.frame_trends(dd.from_pandas(df, npartitions=3), FRAMES, by="5y")
    assert list(d["period"]) == list(t["period"])
    # 1995: 1; 2001, 2003: 2; 2005-2009: none; 2012: no hit; 2015: 1; undated: 0.
    assert d["hits"].tolist() == t["hits"].tolist() == [1, 2, 0, 0, 1, 0]
    assert list(t["period"])[0] == "1995–1999" and list(t["period"])[-1] == "undated"


def test_one_label_per_document_groups_like_a_metadata_column():
    import numpy as np

    texts = ["the collective West", "collective West and the collective West", "the Global Majority", "x"]
    c = fs.Corpus.from_texts(texts, meta={"camp": ["west", "west", "south", None]})
    by_column = c.frame_trends(FRAMES, by="camp")
    labels = pd.Series(["west", "west", "south", None], name="camp", index=[10, 11, 12, 13])
    by_series = c.frame_trends(FRAMES, by=labels)  # the index does not matter: order does
    by_array = c.frame_trends(FRAMES, by=np.array(["west", "west", "south", None], dtype=object))
    for t in (by_series, by_array):
        assert list(t["period"]) == list(by_column["period"]) == ["south", "west", "(missing)"]
        assert t["hits"].tolist() == by_column["hits"].tolist() == [0, 3, 0]
    assert by_series.by == "camp" and by_array.by == "group"
    assert c.distribution(by=labels, terms=["Global Majority"]).values.ravel().tolist() == [1, 0, 0]
    with pytest.raises(ValueError, match="by has 3 labels for 4 documents"):
        c.frame_trends(FRAMES, by=np.array(["a", "b", "c"]))


@pytest.mark.parametrize("by", ["year", "quarter", "month", "day", "week", "decade", "5y", "2q",
                                "6m@2022-03", "10d", "6y@2012", "2w"])
def test_bins_are_pandas_period_ordinals_before_and_after_1970(by):
    """numpy's casts give the bins of years, quarters, months and days: the same as
    pandas' Period ordinals on every date, the first and last day of each month and
    quarter from 1000 to 2100 included (pre-1970 dates round down, not toward zero)."""
    import numpy as np

    from framescope.periods import calendar
    cal = calendar(by)
    firsts = np.arange("1000-01", "2101-01", dtype="datetime64[M]").astype("datetime64[s]")
    edges = np.array(["1969-12-31T23:59:59", "1970-01-01", "1969-01-01T00:00:01"], "datetime64[s]")
    dates = pd.Series(np.concatenate([firsts, firsts - np.timedelta64(1, "s"), edges]))
    want = np.floor_divide(pd.PeriodIndex(dates, freq=cal.freq).asi8 - cal.offset, cal.n)
    assert (cal.bins(dates) == want).all()
    later = (dates.dt.year > 1700).to_numpy()  # nanoseconds reach back to 1677 only
    assert (cal.bins(dates[later].dt.as_unit("ns")) == want[later]).all()


def test_period_sums_add_each_documents_counts_into_its_period():
    import numpy as np
    import scipy.sparse as sp

    from framescope.trends import period_sums
    counts = np.array([[2, 0, 1], [0, 0, 0], [1, 3, 0], [0, 5, 0], [4, 0, 0]])
    codes = np.array([1, 0, 1, 2, 1])
    n_tokens = np.array([10, 20, 30, 40, 50])
    want_hits = [[0, 0, 0], [7, 3, 1], [0, 5, 0], [0, 0, 0]]
    want_with = [[0, 0, 0], [3, 1, 1], [0, 1, 0], [0, 0, 0]]
    for m in (counts, sp.csr_matrix(counts), sp.csr_matrix(counts).astype(np.float32)):
        hits, with_hit, docs, tokens = period_sums(m, n_tokens, codes, 4)
        assert hits.tolist() == want_hits and with_hit.tolist() == want_with
        assert docs.tolist() == [1, 3, 1, 0] and tokens.tolist() == [20, 90, 40, 0]
    # A stored zero is no hit and no document with a hit.
    stored = sp.csr_matrix((np.array([0.0, 2.0]), np.array([0, 1]), np.array([0, 2])), shape=(1, 2))
    hits, with_hit, _, _ = period_sums(stored, np.array([5]), np.array([0]), 1)
    assert hits.tolist() == [[0, 2]] and with_hit.tolist() == [[0, 1]]
