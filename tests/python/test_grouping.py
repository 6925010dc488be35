"""by= lists (["party", "decade"]): one column per key, the same in every analysis that groups.

The fixture is counted by hand: six speeches, parties A, B and one without a party,
dated in the 1990s and 2000s and one undated.
"""

from __future__ import annotations

import json
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

import framescope as fs
from framescope.cli import main

matplotlib.use("Agg")

FRAMES = {"west": ["collective West"]}
TEXTS = ["the collective West",                       # A, 1995: 3 tokens, 1 hit
         "collective West and the collective West",   # A, 2004: 6 tokens, 2 hits
         "the world",                                 # B, 1996: 2 tokens
         "collective West",                           # B, 2007: 2 tokens, 1 hit
         "collective West",                           # no party, 2005: 2 tokens, 1 hit
         "collective West here"]                      # A, undated: 3 tokens, 1 hit
DATES = ["1995-03-01", "2004-06-01", "1996-01-01", "2007-01-01", "2005-01-01", None]
PARTY = ["A", "A", "B", "B", None, "A"]


def speeches() -> fs.Corpus:
    return fs.Corpus.from_texts(TEXTS, dates=DATES, meta={"party": PARTY})


def cells(table, keys):
    return {tuple(r[:-3]): tuple(int(x) for x in r[-3:])
            for r in table[keys + ["docs", "tokens", "hits"]].itertuples(index=False, name=None)}


def test_party_by_decade_has_one_column_per_key_and_every_combination():
    t = speeches().frame_trends(FRAMES, by=["party", "decade"])
    assert list(t.columns[:4]) == ["party", "period", "start", "frame"]
    assert t.groups == ["party"] and t.by == "decade"
    # party-major, levels in order, "(missing)" and "undated" last; empty cells kept as gaps
    assert cells(t, ["party", "period"]) == {
        ("A", "1990s"): (1, 3, 1), ("A", "2000s"): (1, 6, 2), ("A", "undated"): (1, 3, 1),
        ("B", "1990s"): (1, 2, 0), ("B", "2000s"): (1, 2, 1), ("B", "undated"): (0, 0, 0),
        ("(missing)", "1990s"): (0, 0, 0), ("(missing)", "2000s"): (1, 2, 1),
        ("(missing)", "undated"): (0, 0, 0)}
    assert t["party"].tolist() == ["A"] * 3 + ["B"] * 3 + ["(missing)"] * 3
    assert t["start"].iloc[:2].tolist() == [pd.Timestamp("1990-01-01"), pd.Timestamp("2000-01-01")]
    assert pd.isna(t["start"].iloc[2])
    a2000 = t[(t["party"] == "A") & (t["period"] == "2000s")].iloc[0]
    assert a2000["per_10k"] == pytest.approx(1e4 * 2 / 6)
    assert np.isnan(t[(t["party"] == "B") & (t["period"] == "undated")]["per_10k"].iloc[0])


def test_key_order_decides_the_row_order_and_column_order():
    t = speeches().frame_trends(FRAMES, by=["decade", "party"])
    assert list(t.columns[:4]) == ["period", "start", "party", "frame"]
    assert t["period"].tolist()[:3] == ["1990s"] * 3
    assert cells(t, ["period", "party"])[("2000s", "A")] == (1, 6, 2)


def test_two_metadata_keys_and_labels_per_document():
    c = fs.Corpus.from_texts(TEXTS, dates=DATES, meta={"party": PARTY, "lang": ["en", "ru"] * 3})
    t = c.frame_trends(FRAMES, by=["party", "lang"])
    assert list(t.columns[:4]) == ["party", "lang", "start", "frame"] and t["start"].isna().all()
    assert cells(t, ["party", "lang"])[("A", "en")] == (1, 3, 1)
    assert cells(t, ["party", "lang"])[("A", "ru")] == (2, 9, 3)
    region = pd.Series(["north", "south", "north", "south", "north", "south"], name="region")
    t = c.frame_trends(FRAMES, by=[region, "year"])
    assert list(t.columns[:3]) == ["region", "period", "start"]
    assert t.groupby("region")["docs"].sum().to_dict() == {"north": 3, "south": 3}


def test_rolling_sums_stay_within_each_group():
    c = fs.Corpus.from_texts(["collective West"] * 4 + ["the world"] * 2,
                             dates=["2020-01-01", "2021-01-01", "2022-01-01", "2020-01-01",
                                    "2021-01-01", "2022-01-01"],
                             meta={"party": ["A", "A", "A", "B", "B", "B"]})
    t = c.frame_trends(FRAMES, by=["party", "year"], rolling=2)
    assert cells(t, ["party", "period"]) == {
        ("A", "2020"): (1, 2, 1), ("A", "2021"): (2, 4, 2), ("A", "2022"): (2, 4, 2),
        ("B", "2020"): (1, 2, 1), ("B", "2021"): (2, 4, 1), ("B", "2022"): (2, 4, 0)}


def test_bootstrap_works_per_combination():
    t = speeches().frame_trends(FRAMES, by=["party", "decade"], bootstrap=200)
    a = t[(t["party"] == "A") & (t["period"] == "2000s")].iloc[0]
    assert a["ci_low"] <= a["per_10k"] <= a["ci_high"]


def test_product_of_many_levels_lists_only_combinations_with_documents():
    n = 2_000
    dates = pd.date_range("2000-01-01", periods=n, freq="D").strftime("%Y-%m-%d").tolist()
    c = fs.Corpus.from_texts(["collective West"] * n, dates=dates,
                             meta={"speaker": [f"s{i}" for i in range(n)]})
    with pytest.warns(UserWarning, match="2,000 x 2,000 = 4,000,000 combinations but only 2,000"):
        t = c.frame_trends(FRAMES, by=["speaker", "day"])
    assert len(t) == n and (t["docs"] == 1).all()
    with warnings.catch_warnings():  # 3 x 2,000 = 6,000 cells: every combination listed
        warnings.simplefilter("error")
        t = c.frame_trends(FRAMES, by=[np.array(["x", "y", "z"] * 666 + ["x", "y"]), "day"])
    assert len(t) == 6_000 and t["docs"].sum() == n


@pytest.mark.parametrize("by, message", [
    ([], "empty list"),
    (["party", "party"], "more than one key"),
    (["year", "decade"], "more than one calendar period"),
    (["party", "nope"], "got 'nope'; metadata columns"),
    ([np.array(["a"])], "1 labels for 6 documents"),
])
def test_bad_lists_are_errors(by, message):
    with pytest.raises(ValueError, match=message):
        speeches().frame_trends(FRAMES, by=by)


def test_a_key_cannot_shadow_a_result_column():
    c = fs.Corpus.from_texts(TEXTS, dates=DATES, meta={"hits": PARTY})
    with pytest.raises(ValueError, match="shadow the result column"):
        c.frame_trends(FRAMES, by=["hits", "year"])


def write_jsonl(path, corpus: fs.Corpus, party):
    rows = [{"text": t, "date": d, "party": p} for t, d, p in
            zip(corpus.texts, DATES * (len(corpus) // len(DATES)), party, strict=True)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_scan_and_cli_equal_the_corpus_for_lists(tmp_path):
    path = tmp_path / "speeches.jsonl"
    write_jsonl(path, fs.Corpus.from_texts(TEXTS * 200), PARTY * 200)
    corpus = fs.read(path)
    for by in (["party", "decade"], ["decade", "party"], ["party"]):
        scanned = fs.scan(path, FRAMES, by=by, clean=False, terms=False, batch_mb=0.01)
        assert scanned.batches > 5
        pd.testing.assert_frame_equal(pd.DataFrame(scanned.trends),
                                      pd.DataFrame(corpus.frame_trends(FRAMES, by=by)))
    out = tmp_path / "t.csv"
    assert main(["trends", str(path), "--frames", str(_frames_file(tmp_path)), "--by", "party,decade",
                 "--no-dedup", "--out", str(out)]) == 0
    t = pd.read_csv(out, keep_default_na=False)
    assert list(t.columns[:3]) == ["party", "period", "start"]
    got = {(p, d): h for p, d, h in zip(t["party"], t["period"], t["hits"], strict=True)}
    assert got[("A", "2000s")] == 400 and got[("(missing)", "2000s")] == 200


def _frames_file(tmp_path):
    path = tmp_path / "frames.json"
    path.write_text(json.dumps(FRAMES))
    return path


def test_dask_equals_the_corpus_for_lists():
    dd = pytest.importorskip("dask.dataframe")
    fsd = pytest.importorskip("framescope.dask")
    frame = pd.DataFrame({"text": TEXTS * 50, "date": DATES * 50, "party": PARTY * 50})
    got = fsd.frame_trends(dd.from_pandas(frame, npartitions=4), FRAMES, by=["party", "decade"],
                               clean=False)
    want = fs.Corpus.from_pandas(frame, text="text", date="date").frame_trends(
        FRAMES, by=["party", "decade"])
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(want), check_dtype=False)


def test_distribution_has_one_index_level_per_key():
    d = speeches().distribution(by=["party", "decade"], terms=["West", "world"])
    frame = d.to_pandas()
    assert frame.index.names == ["party", "period"]
    assert frame.loc[("A", "2000s"), "West"] == 2 and frame.loc[("B", "1990s"), "world"] == 1
    assert d.periods[:2] == ["A · 1990s", "A · 2000s"]


def test_keyness_by_group_equals_each_target_in_turn():
    c = speeches()
    by_party = fs.keyness(c, by="party", correction="none")
    for party in ("A", "B"):
        want = fs.keyness(c, {"party": party}, correction="none")
        got = by_party[by_party["period"] == party].drop(columns="period").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want)
    both = fs.keyness(c, by=["party", "decade"], top=2)
    assert list(both.columns[:3]) == ["party", "period", "term"]
    assert (both.groupby(["party", "period"]).size() <= 2).all()
    with pytest.raises(ValueError, match="give one of target"):
        fs.keyness(c, "2000-", by="party")


def test_emerging_per_group_equals_emerging_on_each_group():
    years = [str(y) for y in range(2010, 2020)]
    texts, dates, party = [], [], []
    for p, word in (("A", "sovereignty"), ("B", "multipolarity")):
        for y in years:  # each party's own word bursts in its last two years
            burst = y in ("2018", "2019")
            texts += [f"talks on trade and {word} {word} {word}" if burst else "talks on trade"] * 5
            dates += [f"{y}-06-01"] * 5
            party += [p] * 5
    c = fs.Corpus.from_texts(texts, dates=dates, meta={"party": party})
    e = c.emerging(by=["party", "year"], size=1, min_count=3, top=1, stop_words=None)
    assert e[["party", "term", "start", "end"]].values.tolist() == [
        ["A", "sovereignty", "2018", "2019"], ["B", "multipolarity", "2018", "2019"]]
    a = c[np.array(party) == "A"].emerging(by="year", size=1, min_count=3, top=1, stop_words=None)
    pd.testing.assert_frame_equal(e[e["party"] == "A"].drop(columns="party").reset_index(drop=True), a)
    with pytest.raises(ValueError, match="a list with one"):
        c.emerging(by=["party"])


def test_grouped_plots_draw_a_line_per_group_or_a_panel_per_group():
    t = speeches().term_trends(["collective West", "world"], by=["party", "decade"])
    axes = fs.plot.trends(t)  # several frames: a panel per frame, a line per group
    assert [a.get_title() for a in axes] == ["collective West", "world"]
    labels = [x.get_text() for x in axes[0].get_legend().get_texts()]
    assert labels == ["A", "B", "(missing)"]
    colours = {line.get_label(): line.get_color() for a in axes for line in a.get_lines()
               if not line.get_label().startswith("_")}
    assert colours["A"] == fs.plot.PALETTE[0] and colours["(missing)"] == fs.plot.PALETTE[2]
    axes = fs.plot.trends(t, col="group")  # a panel per group, a line per frame
    assert [a.get_title() for a in axes] == ["A", "B", "(missing)"]
    one = fs.plot.trends(t, frames="world")  # one frame: one panel, a line per group
    assert [x.get_text() for x in one.get_legend().get_texts()] == ["A", "B", "(missing)"]
    with pytest.raises(ValueError, match="leave ax out"):
        fs.plot.trends(t, ax=one)
    with pytest.raises(ValueError, match="col='group' needs"):
        fs.plot.trends(speeches().frame_trends(FRAMES), col="group")


def test_grouped_heatmap_has_a_row_per_frame_and_group():
    t = speeches().term_trends(["collective West", "world"], by=["party", "decade"])
    ax = fs.plot.heatmap(t, value="per_10k")
    assert [x.get_text() for x in ax.get_yticklabels()] == [
        "collective West · A", "collective West · B", "collective West · (missing)",
        "world · A", "world · B", "world · (missing)"]
    image = ax.get_images()[0].get_array()
    assert image[0, 1] == pytest.approx(1e4 * 2 / 6)  # A in the 2000s: 2 hits in 6 tokens
