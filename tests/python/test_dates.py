"""Dates: one parser for every entry point, epoch units, the plausible range,
and dates from the text outside ``fs.read``.

Fixtures have the shapes real files have: JSONL written by pandas' ``to_json``
(epoch milliseconds by default), Telegram Desktop exports with ``date_unixtime``,
CSV written by pandas from an integer column with a gap ("1682762400.0").
Expected dates are worked out by hand from the values (2023-04-29 10:00 UTC is
1682762400 seconds).
"""

import json
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import gold_files, gold_posts

import framescope as fs

# (value as written, the date it must give everywhere): checked by hand.
CASES = [
    (1682762400, "2023-04-29"),  # Unix seconds
    (1682762400000, "2023-04-29"),  # milliseconds: pandas' to_json default
    (1682762400000000, "2023-04-29"),  # microseconds
    (1682762400000000000, "2023-04-29"),  # nanoseconds: int64 datetime64[ns]
    ("1682762400", "2023-04-29"),
    ("01.02.2023", "2023-02-01"),  # dotted dates are day-first
    ("2023-04-29T23:30:00+03:00", "2023-04-29"),  # the local calendar date counts
    (2021, "2021-01-01"),  # a year
    ("20230429", "2023-04-29"),  # compact ISO / GDELT
    ("29 апреля 2023 г.", "2023-04-29"),
    ("April 29, 2023", "2023-04-29"),
    (None, None),
]


def _iso(series) -> list:
    return [None if pd.isna(d) else d.date().isoformat() for d in series]


def test_same_value_same_date_in_from_texts_from_pandas_read_and_scan(tmp_path):
    values = [v for v, _ in CASES]
    want = [w for _, w in CASES]
    texts = [f"doc {i}" for i in range(len(values))]
    assert _iso(fs.Corpus.from_texts(texts, dates=values).dates) == want
    df = pd.DataFrame({"text": texts, "date": pd.Series(values, dtype=object)})
    assert _iso(fs.Corpus.from_pandas(df).dates) == want
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps({"text": t, "date": v}) + "\n" for t, v in zip(texts, values, strict=True)),
                    encoding="utf-8")
    assert _iso(fs.read(path).dates) == want
    # fs.scan: documents per day equal the dates above.
    r = fs.scan(path, {"doc": ["doc"]}, by="day", terms=False, clean=False)
    per_day = r.trends[r.trends["docs"] > 0].groupby("period")["docs"].first()
    expected = pd.Series(want).fillna("undated").value_counts()
    assert {str(k): int(v) for k, v in per_day.items()} == {k: int(v) for k, v in expected.items()}


def test_dask_partitions_date_as_from_pandas():
    dd = pytest.importorskip("dask.dataframe")
    import dask

    import framescope.dask as fsd

    df = pd.DataFrame({"text": ["the collective West"] * 4,
                       "date": [1682762400000, "01.02.2023", 2021, "1682762400"]})
    with dask.config.set(scheduler="synchronous"):
        trend = fsd.frame_trends(dd.from_pandas(df, npartitions=2), {"w": ["collective West"]},
                                 by="day")
    trend = trend[trend["docs"] > 0]
    assert trend.set_index("period")["docs"].to_dict() == {"2021-01-01": 1, "2023-02-01": 1,
                                                           "2023-04-29": 2}


def test_pandas_to_json_in_every_date_unit_reads_exactly(tmp_path):
    # As researchers write them: DataFrame.to_json(orient="records", lines=True).
    df = pd.DataFrame({"text": ["the collective West", "the Global Majority"],
                       "date": pd.to_datetime(["2023-04-29 10:00", "1999-12-31 23:59"])})
    for unit in ["s", "ms", "us", "ns"]:
        path = tmp_path / f"posts_{unit}.jsonl"
        df.to_json(path, orient="records", lines=True, date_format="epoch", date_unit=unit)
        c = fs.read(path)
        assert _iso(c.dates) == ["2023-04-29", "1999-12-31"], unit
        assert list(c.to_pandas()["date_source"]) == ["metadata", "metadata"]
    # ISO strings too (date_format="iso").
    df.to_json(tmp_path / "iso.jsonl", orient="records", lines=True, date_format="iso")
    assert _iso(fs.read(tmp_path / "iso.jsonl").dates) == ["2023-04-29", "1999-12-31"]


def test_pandas_csv_of_int_timestamps_with_a_gap(tmp_path):
    # An int column with a missing value becomes float: pandas writes "1682762400.0".
    df = pd.DataFrame({"text": ["a", "b", "c"], "date": [1682762400, None, 946684800]})
    df.to_csv(tmp_path / "t.csv", index=False)
    assert "1682762400.0" in (tmp_path / "t.csv").read_text()
    assert _iso(fs.read(tmp_path / "t.csv").dates) == ["2023-04-29", None, "2000-01-01"]
    assert _iso(fs.Corpus.from_pandas(df).dates) == ["2023-04-29", None, "2000-01-01"]


def test_telegram_unixtime_in_milliseconds_and_numeric_dates(tmp_path):
    export = {"name": "MFA", "type": "public_channel", "id": 1, "messages": [
        {"id": 1, "type": "message", "date_unixtime": "1682762400000", "text": "the collective West"},
        {"id": 2, "type": "message", "date": 1682762400, "text": "the Global Majority"},
        {"id": 3, "type": "message", "date": "2024-02-14T12:00:00", "date_unixtime": "1707912000",
         "text": "multipolar world"},
    ]}
    (tmp_path / "result.json").write_text(json.dumps(export), encoding="utf-8")
    c = fs.read(tmp_path / "result.json")
    assert _iso(c.dates) == ["2023-04-29", "2023-04-29", "2024-02-14"]


def test_out_of_range_dates_are_never_used_silently(tmp_path):
    lines = [{"text": "ok", "date": "2023-04-29"},
             {"text": "placeholder", "date": "9999-12-31"},
             {"text": "seconds read as ms would be 1970; ms read as s is year 55293",
              "date": 1682762400000 * 1000 * 1000 * 10}]
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    with pytest.raises(fs.InputError, match=r"p\.jsonl:2: date \"9999-12-31\" is outside the plausible range"):
        fs.read(path)
    with pytest.warns(UserWarning, match="ignored 2 bad metadata date"):
        c = fs.read(path, bad_dates="undated")
    assert _iso(c.dates) == ["2023-04-29", None, None]
    report = c.read_report
    bad = report[report["kind"] == "bad_date"]
    assert [s.rsplit(":", 1)[1] for s in bad["source"]] == ["2", "3"]
    assert "read as Unix time in nanoseconds" in bad.iloc[1]["message"]
    # Widening the range accepts the placeholder, exactly.
    c = fs.read(tmp_path / "p.jsonl", date_range=(None, 9999), bad_dates="undated")
    assert _iso(c.dates)[1] == "9999-12-31"
    # A narrower range: 2023 is out.
    with pytest.raises(fs.InputError, match="outside the plausible range 1900-01-01..2000-12-31"):
        fs.read(path, date_range=(1900, "2000-12-31"))
    with pytest.raises(ValueError, match="date_range: 2020-01-01 is after 2019-12-31"):
        fs.read(path, date_range=(2020, 2019))


def test_small_numbers_are_no_date_at_any_entry_point(tmp_path):
    """0 (a missing-time placeholder), an Excel serial day and a year with a fraction were
    read as Unix seconds: days of 1970, inside the plausible range, silently. Each is now a
    bad date naming the value, in a JSONL file, a CSV, and ``from_texts``."""
    lines = [{"text": "ok", "date": 1682762400},
             {"text": "placeholder", "date": 0},
             {"text": "Excel", "date": 45000},
             {"text": "decimal year", "date": 2024.5}]
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    with pytest.raises(fs.InputError, match=r"p\.jsonl:2: date 0 is not a date: no year"):
        fs.read(path)
    with pytest.warns(UserWarning, match="ignored 3 bad metadata date"):
        c = fs.read(path, bad_dates="undated")
    assert _iso(c.dates) == ["2023-04-29", None, None, None]
    bad = c.read_report[c.read_report["kind"] == "bad_date"]
    assert [s.rsplit(":", 1)[1] for s in bad["source"]] == ["2", "3", "4"]
    assert all("Excel serial day" in m for m in bad["message"])
    csv = tmp_path / "p.csv"
    pd.DataFrame({"text": ["a", "b"], "date": [45000, 1682762400]}).to_csv(csv, index=False)
    with pytest.raises(fs.InputError, match=r"p\.csv:2: date \"45000\" is not a date"):
        fs.read(csv)
    with pytest.raises(ValueError, match=r"position 1: -1 is not a date"):
        fs.Corpus.from_texts(["a", "b"], dates=[2020, -1])
    with pytest.raises(ValueError, match=r"position 0: 45000 is not a date"):
        fs.Corpus.from_texts(["a"], dates=np.array([45000.0]))
    # Years, compact days and Unix times from 1e8 are still read.
    c = fs.Corpus.from_texts(["a", "b", "c", "d"], dates=[1999, 20230429, 100_000_000,
                                                          20230429101500])
    assert _iso(c.dates) == ["1999-01-01", "2023-04-29", "1973-03-03", "2023-04-29"]


def test_scraped_date_fields_with_weekdays_and_times(tmp_path):
    """Date fields as the Ministry's, the Kremlin's and news pages write them, with a
    weekday or a time of day, were refused; they are their day, in a file and a list."""
    values = ["29 April 2023 15:30", "April 29, 2023, 3:30 PM", "29 апреля 2023, 15:30 МСК",
              "Saturday, April 29, 2023", "суббота, 29 апреля 2023 г.", "29-Apr-2023"]
    path = tmp_path / "scraped.jsonl"
    path.write_text("".join(json.dumps({"text": "x", "date": v}, ensure_ascii=False) + "\n"
                            for v in values), encoding="utf-8")
    assert _iso(fs.read(path).dates) == ["2023-04-29"] * 6
    assert _iso(fs.Corpus.from_texts(["x"] * 6, dates=values).dates) == ["2023-04-29"] * 6
    with pytest.raises(ValueError, match="posted 29 April 2023"):
        fs.Corpus.from_texts(["x"], dates=["posted 29 April 2023"])


def _excel_csv(path, rows):
    """A CSV as Excel saves one ("CSV UTF-8"): a byte-order mark, CRLF line ends."""
    lines = ["text,date"] + [f"{t},{d}" for t, d in rows]
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def test_numeric_dates_with_the_year_last_as_excel_writes_them(tmp_path, capsys):
    """Excel writes dates into a CSV in the locale's short form: 29/04/2023 (en-GB, most
    countries), 4/29/2023 15:30 (en-US). These were refused as no date. A value whose
    parts tell (one over 12) is its day; 04/05/2023 names both readings until dayfirst=
    says which; a value contradicting dayfirst= is an error, never a silent swap."""
    from framescope.cli import main

    gb = _excel_csv(tmp_path / "gb.csv", [("the collective West", "29/04/2023 15:30"),
                                           ("the Global Majority", "04/05/2023 09:00"),
                                           ("a multipolar world", "13/05/2023")])
    with pytest.raises(fs.InputError, match=r"gb\.csv:3: date \"04/05/2023 09:00\" is 2023-05-04 "
                                            r"with the day first or 2023-04-05 with the month first"):
        fs.read(gb)
    assert _iso(fs.read(gb, dayfirst=True).dates) == ["2023-04-29", "2023-05-04", "2023-05-13"]
    with pytest.raises(fs.InputError, match=r"gb\.csv:2: .*month/day/year \(dayfirst=False\)"):
        fs.read(gb, dayfirst=False)
    with pytest.warns(UserWarning, match="1 bad metadata date"):
        c = fs.read(gb, bad_dates="undated")
    assert _iso(c.dates) == ["2023-04-29", None, "2023-05-13"]
    assert list(c.read_report["kind"]) == ["bad_date"]
    us = _excel_csv(tmp_path / "us.csv", [("a", "4/29/2023 15:30"), ("b", "5/4/2023 9:00"),
                                           ("c", "12/31/2023")])
    assert _iso(fs.read(us, dayfirst=False).dates) == ["2023-04-29", "2023-05-04", "2023-12-31"]
    # Streaming reads them alike, by the months the trends count.
    frames = {"west": ["collective West"]}
    trends = fs.scan(gb, frames, by="month", dayfirst=True).trends
    assert trends["period"].astype(str).tolist() == ["2023-04", "2023-05"]
    assert trends["docs"].tolist() == [1, 2]
    # from_texts, a long list (distinct strings parsed once) and pandas agree.
    values = ["04/05/2023", "29/04/2023", None] * 700
    days = _iso(fs.Corpus.from_texts(["x"] * len(values), dates=values, dayfirst=True).dates)
    assert days[:3] == ["2023-05-04", "2023-04-29", None] and days[-3:] == days[:3]
    with pytest.raises(ValueError, match="position 0: \"04/05/2023\" is 2023-05-04 with the day"):
        fs.Corpus.from_texts(["x"] * len(values), dates=values)
    df = pd.DataFrame({"text": ["a", "b"], "date": ["04/05/2023", "05/04/2023"]})
    assert _iso(fs.Corpus.from_pandas(df, dayfirst=False).dates) == ["2023-04-05", "2023-05-04"]
    assert _iso(fs.Corpus.from_pandas(df, dayfirst=True).dates) == ["2023-05-04", "2023-04-05"]
    # Equal day and month, or a value with its own reading (ISO, dotted, year first).
    assert _iso(fs.Corpus.from_texts(["x"] * 4, dates=["05/05/2023", "2023-04-05", "04.05.2023",
                                                       "2023/04/05"], dayfirst=False).dates) == \
        ["2023-05-05", "2023-04-05", "2023-05-04", "2023-04-05"]
    # Not guessed: a two-digit year, mixed separators, no date in either order.
    for v in ["29/04/23", "29/04-2023", "31/31/2023"]:
        with pytest.raises(ValueError, match=v):
            fs.Corpus.from_texts(["x"], dates=[v], dayfirst=True)
    # A two-digit year is refused by name, even where the range would take the year 23
    # (it was read so, and widening the range as the old error advised made it a date).
    for v in ["29.04.23", "4/29/23 3:30 PM", "29-Apr-23"]:
        with pytest.raises(ValueError, match="has a two-digit year, whose century is not guessed"):
            fs.Corpus.from_texts(["x"], dates=[v], date_range=(1, None))
    # Typographic dashes, year-first dots and ISO's basic form are dates.
    assert _iso(fs.Corpus.from_texts(["x"] * 3, dates=["2023\u201304\u201329", "2023.04.29",
                                                       "20230429T103000Z"]).dates) == \
        ["2023-04-29"] * 3
    # A folder of speeches with an Excel metadata table, and the CLI's flag.
    speeches = tmp_path / "speeches"
    speeches.mkdir()
    (speeches / "a.txt").write_text("The collective West.", encoding="utf-8")
    (speeches / "b.txt").write_text("The Global Majority.", encoding="utf-8")
    (speeches / "metadata.csv").write_bytes(
        "\ufefffile,date\r\na.txt,04/05/2023\r\nb.txt,13/05/2023\r\n".encode("utf-8"))
    with pytest.warns(UserWarning, match="metadata"):
        c = fs.read(speeches, dayfirst=True)
    assert _iso(c.dates) == ["2023-05-04", "2023-05-13"]
    out = tmp_path / "t.csv"
    assert main(["trends", str(gb), "--by", "month", "--no-dedup", "--out", str(out)]) != 0
    assert "dayfirst" in capsys.readouterr().err
    assert main(["trends", str(gb), "--by", "month", "--no-dedup", "--dayfirst",
                 "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert sorted(set(table["period"].astype(str))) == ["2023-04", "2023-05"]


def test_months_and_russian_abbreviations(tmp_path):
    """A month is its first day, as a year is 1 January ("2023-04", "04.2023": how
    monthly tables and Russian spreadsheets write one); Russian month abbreviations
    ("5 сент. 2023 г.") are dates in fields and in texts. All were refused or missed."""
    months = ["2023-04", "04.2023", "4/2023", "April 2023", "Apr. 2023", "апрель 2023 г.",
              "апр. 2023"]
    path = tmp_path / "monthly.csv"
    path.write_text("text,date\n" + "".join(f"x,{m}\n" if "," not in m else f'x,"{m}"\n'
                                             for m in months), encoding="utf-8")
    assert _iso(fs.read(path).dates) == ["2023-04-01"] * len(months)
    assert _iso(fs.Corpus.from_texts(["x"] * len(months), dates=months).dates) == \
        ["2023-04-01"] * len(months)
    values = ["5 сент. 2023 г.", "29 апр. 2023", "1 нояб. 2022"]
    assert _iso(fs.Corpus.from_texts(["x"] * 3, dates=values).dates) == \
        ["2023-09-05", "2023-04-29", "2022-11-01"]
    # In a text: a dateline with an abbreviated month dates the post.
    c = fs.Corpus.from_texts(["Заявление МИД России\n(Москва, 5 сент. 2023 г.)\nТекст"],
                             dates="text")
    assert _iso(c.dates) == ["2023-09-05"]
    for bad in ["2023-13", "Marseille 2023", "4.5"]:
        with pytest.raises(ValueError, match="not a date"):
            fs.Corpus.from_texts(["x"], dates=[bad])


def test_the_unix_epoch_as_a_date_is_kept_with_a_warning(tmp_path):
    """A missing time stored as 0 becomes 1970-01-01 once pandas makes it a date
    (``to_datetime(0, unit="s")``) or a scraper writes it as ISO: a plausible date that
    counted silently in 1970. It stays (it may be real) but is never silent."""
    df = pd.DataFrame({"text": ["a", "b", "c"],
                       "date": pd.to_datetime([1682762400, 0, 0], unit="s")})
    with pytest.warns(UserWarning, match="2 of dates are 1970-01-01, the Unix epoch"):
        c = fs.Corpus.from_pandas(df)
    assert _iso(c.dates) == ["2023-04-29", "1970-01-01", "1970-01-01"]
    path = tmp_path / "scraped.jsonl"
    path.write_text('{"text": "a", "date": "2023-04-29T10:00:00Z"}\n'
                    '{"text": "b", "date": "1970-01-01T00:00:00Z"}\n', encoding="utf-8")
    with pytest.warns(UserWarning, match="kept 1 metadata date.* of 1970-01-01"):
        c = fs.read(path)
    assert _iso(c.dates) == ["2023-04-29", "1970-01-01"]
    assert c.read_report[["source", "kind"]].values.tolist() == [[f"{path}:2", "epoch_date"]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no other date gives the warning
        fs.Corpus.from_texts(["x", "y"], dates=["1970-01-02", "2023-04-29"])


def test_from_texts_bad_dates_raise_or_undated_with_report():
    with pytest.raises(ValueError, match=r"position 1: 10000000000000000000 read as Unix time in nanoseconds is 2286"):
        fs.Corpus.from_texts(["a", "b"], dates=[2020, 9999999999999999999])
    with pytest.raises(TypeError, match="position 0 is a bool"):
        fs.Corpus.from_texts(["a"], dates=[True])
    with pytest.warns(UserWarning, match="1 date"):
        c = fs.Corpus.from_texts(["a", "b"], dates=["2020-01-01", "0900-01-01"], bad_dates="undated")
    assert _iso(c.dates) == ["2020-01-01", None]
    assert list(c.read_report["source"]) == ["dates[1]"]


def test_datetime_objects_arrays_and_time_zones():
    import datetime as dt

    values = [dt.date(2023, 4, 29), dt.datetime(2023, 4, 29, 23, 30),
              pd.Timestamp("2023-04-29 23:30", tz="Europe/Moscow"), np.datetime64("2023-04-29"),
              pd.NaT, float("nan")]
    assert _iso(fs.Corpus.from_texts(["x"] * 6, dates=values).dates) == ["2023-04-29"] * 4 + [None] * 2
    # A tz-aware Series keeps the local calendar date (as an offset in ISO text does).
    s = pd.Series(pd.to_datetime(["2023-04-29 23:30", None]).tz_localize("Europe/Moscow"))
    assert _iso(fs.Corpus.from_texts(["x", "y"], dates=s).dates) == ["2023-04-29", None]
    # numpy integer and float arrays take the same rules as Python numbers.
    assert _iso(fs.Corpus.from_texts(["x", "y"], dates=np.array([1682762400000, 2021])).dates) == \
        ["2023-04-29", "2021-01-01"]
    assert _iso(fs.Corpus.from_texts(["x", "y"], dates=np.array([1682762400.0, np.nan])).dates) == \
        ["2023-04-29", None]


# Dateline shapes from the seed files and the Ministry's site, with the date a reader sees.
TEXT_DATES = [
    ("🎙 Sergey Lavrov's remarks at a news conference (Moscow, April 29, 2023)\nText", "2023-04-29"),
    ("Заявление МИД России\n(Москва, 17 мая 2023 г.)\nТекст", "2023-05-17"),
    ("Title\n📍Moscow, December 28, 2023\nText", "2023-12-28"),
    ("🗓 On February 14, Foreign Minister Sergey Lavrov took part. In 2024 ...", None),
    ("On December 12, 2018, the UN General Assembly passed a resolution.", None),
    ("No date at all.", None),
]


def test_dates_from_text_outside_read():
    texts = [t for t, _ in TEXT_DATES]
    want = [w for _, w in TEXT_DATES]
    table = fs.extract_dates(texts)
    assert _iso(table["date"]) == want
    assert list(table["date_source"]) == ["text" if w else "none" for w in want]
    c = fs.Corpus.from_texts(texts, dates="text")
    assert _iso(c.dates) == want
    assert list(c.to_pandas()["date_source"]) == ["text" if w else "none" for w in want]
    df = pd.DataFrame({"text": texts})
    assert _iso(fs.Corpus.from_pandas(df, date="text").dates) == want
    # Year-less openings take the year of their dated neighbours when chronological.
    posts = ["Title (Moscow, February 9, 2024)\nText", "🗓 On February 14, Lavrov spoke."]
    assert _iso(fs.Corpus.from_texts(posts, dates="text", chronological=True).dates) == \
        ["2024-02-09", "2024-02-14"]
    assert list(fs.extract_dates(posts, chronological=True)["date_source"]) == ["text", "inferred"]
    with pytest.raises(ValueError, match='dates must be a sequence of dates or "text"'):
        fs.Corpus.from_texts(["a"], dates="metadata")


def test_dates_from_text_are_found_in_the_corpus_built_from_any_input():
    """``dates="text"`` dates the corpus the core builds (the texts converted once):
    every input shape gives what ``extract_dates`` gives, on the dateline shapes and on
    the posts of the MFA-shaped fixtures (their hand-checked dates); a chronological run
    of 20,000 year-less posts takes its years from the dated posts around it."""
    import pyarrow as pa

    gold = [(post["date"] if post["date_source"] == "text" else None)
            for g in gold_files("fixtures")
            for post in json.loads(g.read_text(encoding="utf-8"))["posts"]]
    texts = [t for t, _ in TEXT_DATES] + [text for _, _, text in gold_posts("fixtures")]
    table = fs.extract_dates(texts)
    # The hand-checked dates of the fixtures' posts dated by their own text.
    assert _iso(table["date"]) == [w for _, w in TEXT_DATES] + gold
    assert sum(d is not None for d in gold) >= 3
    ways = {
        "list": fs.Corpus.from_texts(texts, dates="text"),
        "tuple": fs.Corpus.from_texts(tuple(texts), dates="text"),
        "generator": fs.Corpus.from_texts((t for t in texts), dates="text"),
        "Series": fs.Corpus.from_texts(pd.Series(texts, dtype="str"), dates="text"),
        "pandas": fs.Corpus.from_pandas(pd.DataFrame({"text": texts}), date="text"),
        "arrow": fs.Corpus.from_arrow(pa.table({"text": texts}), date="text"),
    }
    for way, c in ways.items():
        got = c.to_pandas()
        assert list(got["date"]) == list(table["date"]), way
        assert list(got["date_source"]) == list(table["date_source"]), way
    # 20,000 year-less posts (newest first) between posts dated 2024-02-09 and 2023-12-28.
    posts = (["Title (Moscow, February 9, 2024)\nText"]
             + ["🗓 On January 10, Lavrov spoke."] * 20_000
             + ["📍Moscow, December 28, 2023\nText"])
    c = fs.Corpus.from_texts(posts, dates="text", chronological=True)
    got = c.to_pandas()
    assert _iso(got["date"][1:-1].unique()) == ["2024-01-10"]
    assert (got["date_source"][1:-1] == "inferred").all()
    with pytest.raises(ValueError, match="dates_from_text"):
        fs._core.Corpus(["a"], None, np.array([0]), None, None, dates_from_text=True)


def test_cli_reads_dates_by_the_same_rules(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"text": "the collective West", "date": 1682762400000}) + "\n"
                    + json.dumps({"text": "the collective West", "date": "9999-12-31"}) + "\n",
                    encoding="utf-8")
    run = [sys.executable, "-m", "framescope", "trends", str(path), "--no-dedup", "--by", "day"]
    bad = subprocess.run(run, capture_output=True, text=True)
    assert bad.returncode != 0 and "p.jsonl:2" in bad.stderr and "plausible range" in bad.stderr
    out = tmp_path / "t.csv"
    with warnings.catch_warnings():
        ok = subprocess.run(run + ["--bad-dates", "undated", "--out", str(out)],
                            capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    periods = set(pd.read_csv(out)["period"].astype(str))
    assert {"2023-04-29", "undated"} <= periods


def test_repeated_date_strings_parsed_once_give_what_each_value_gives():
    # A date column of strings is parsed once per distinct string (pd.factorize), which
    # must equal parsing value by value: repeats, every written shape, missing values
    # of every kind, in any order.
    from framescope import _core
    from framescope.dating import MISSING_DAY, parse_dates

    shapes = ["2023-04-29", "29.04.2023", "2023", "20230429", "1682762400", "April 29, 2023",
              "2024-02-29T10:00:00+03:00", "1999-12-31"]
    rng = np.random.default_rng(7)
    values = [shapes[k] for k in rng.integers(0, len(shapes), 5000)]
    for i, missing in [(3, None), (700, np.nan), (4999, pd.NA), (1234, None)]:
        values[i] = missing
    days, report = parse_dates(values, 5000)
    one_by_one = _core.parse_dates(np.array([None if v is pd.NA or v != v else v for v in values],
                                            dtype=object), bad_dates="raise", what="dates")["days"]
    assert days.tolist() == one_by_one.tolist() and report.empty
    assert days[0] != MISSING_DAY and (days[[3, 700, 1234, 4999]] == MISSING_DAY).all()
    # 29 April 2023 in five shapes (day 19476), 1 January 2023, 29 February 2024, 31 December 1999.
    assert set(days[days != MISSING_DAY].tolist()) == {19476, 19358, 19782, 10956}
    # A string that is no date, late and repeated: the error names its first position,
    # the report every position.
    values[2500] = values[4000] = "not a date"
    with pytest.raises(ValueError, match="dates: the value at position 2500"):
        parse_dates(values, 5000)
    days, report = parse_dates(values, 5000, bad_dates="undated")
    assert report["source"].tolist() == ["dates[2500]", "dates[4000]"]
    assert days[2500] == days[4000] == MISSING_DAY
    # Out of range: the same rule as value by value.
    with pytest.raises(ValueError, match="dates: the value at position 0"):
        parse_dates(["1812-06-24"] + values[1:], 5000, date_range=(1900, None))


def test_a_list_of_date_strings_is_read_in_rust_once_per_distinct_string():
    # A list (or tuple) of date strings, as from_texts gets it, is read in one pass in
    # Rust: each distinct string parsed once, None and NaN missing; the same days as
    # value by value. Anything else (a number, pd.NA, a bad string, a lone surrogate)
    # sends it back to the value-by-value path, which names positions.
    from framescope import _core
    from framescope.dating import MISSING_DAY, parse_dates

    shapes = ["2023-04-29", "29.04.2023", "29 апреля 2023", "April 29, 2023", "2023",
              "1999-12-31"]
    rng = np.random.default_rng(3)
    values = [shapes[k] for k in rng.integers(0, len(shapes), 3000)]
    values[10], values[2999] = None, float("nan")
    fast = _core.parse_date_strings(values)
    assert fast is not None, "every value is a date string or missing: read in Rust"
    one_by_one = _core.parse_dates(np.array([None if v != v else v for v in values], dtype=object),
                                   what="dates")["days"]
    assert fast.tolist() == one_by_one.tolist()
    # 29 April 2023 in four shapes (day 19476), 1 January 2023, 31 December 1999.
    assert set(fast.tolist()) == {19476, 19358, 10956, MISSING_DAY}
    assert fast[10] == fast[2999] == MISSING_DAY
    for as_given in (values, tuple(values)):
        days, report = parse_dates(as_given, 3000)
        assert days.tolist() == fast.tolist() and report.empty
    for odd, why in [(2023, "a number"), (pd.NA, "pd.NA"), ("soon", "no date"),
                     ("2023-04-2\ud800", "a lone surrogate")]:
        tried = values[:1500] + [odd] + values[1501:]
        assert _core.parse_date_strings(tried) is None, why
    with pytest.raises(ValueError, match="dates: the value at position 1500"):
        parse_dates(values[:1500] + ["soon"] + values[1501:], 3000)
    days, _ = parse_dates(values[:1500] + [2023] + values[1501:], 3000)
    assert days[1500] == 19358 and days.tolist()[:1500] == fast.tolist()[:1500]
    # Out of range: not read in Rust, so the error names the position.
    assert _core.parse_date_strings(values, date_range=(2000, None)) is None
