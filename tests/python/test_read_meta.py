"""fs.read(folder, meta=...): a folder of texts joined to a table describing them."""

import warnings

import numpy as np
import pandas as pd
import pytest

import framescope as fs
from framescope.cli import main
from framescope.metadata import file_keys

# Laid out as NLTK's inaugural corpus and most public speech collections: one text per
# speech, one metadata row per file, written by Excel (BOM, CRLF).
SPEECHES = {
    "1789-Washington.txt": "Fellow-Citizens of the Senate and of the House of Representatives.",
    "1861-Lincoln.txt": "Fellow-Citizens of the United States: In compliance with a custom.",
    "2009-Obama.txt": "My fellow citizens: I stand here today humbled by the task before us.",
    # No row in the table; its own dateline dates it.
    "extra-note.txt": "A note\n(Moscow, April 29, 2023)\nThe collective West and the Global Majority.",
}
META_CSV = ("\ufefffileid,year,president,party\r\n"
            "1789-Washington.txt,1789,Washington,\r\n"
            "1861-Lincoln.txt,1861,Lincoln,Republican\r\n"
            "2009-Obama.txt,2009,Obama,Democratic\r\n"
            "1797-Adams.txt,1797,Adams,Federalist\r\n")


def speeches(tmp_path, meta_name="metadata.csv", meta=META_CSV):
    folder = tmp_path / "inaugural"
    folder.mkdir()
    for name, text in SPEECHES.items():
        (folder / name).write_text(text, encoding="utf-8")
    if meta_name:
        (folder / meta_name).write_bytes(meta.encode("utf-8"))
    return folder


def by_id(corpus):
    return corpus.to_pandas().set_index("id")


def test_a_sidecar_table_is_found_announced_and_joined(tmp_path):
    folder = speeches(tmp_path)
    with pytest.warns(UserWarning) as caught:
        c = fs.read(folder)
    messages = [str(w.message) for w in caught]
    assert any("using" in m and "metadata.csv" in m and "'fileid'" in m and "3 of 4 files" in m
               for m in messages), messages
    assert any("1 of 4 files have no row in metadata.csv" in m and "1 row of metadata.csv matches no file" in m
               for m in messages), messages
    assert len(c) == 4  # the table is not a document
    df = by_id(c)
    assert df.loc["1861-Lincoln.txt", "president"] == "Lincoln"
    assert df.loc["2009-Obama.txt", "party"] == "Democratic"
    assert pd.isna(df.loc["1789-Washington.txt", "party"])  # an empty cell stays empty
    assert df.loc["1861-Lincoln.txt", "date"] == pd.Timestamp("1861-01-01")
    assert df.loc["1861-Lincoln.txt", "date_source"] == "metadata"
    assert df["year"].dtype == "Int64" and df.loc["2009-Obama.txt", "year"] == 2009
    assert "fileid" not in df.columns
    # The file without a row keeps its own dateline and has no metadata.
    assert df.loc["extra-note.txt", "date"] == pd.Timestamp("2023-04-29")
    assert df.loc["extra-note.txt", "date_source"] == "text"
    assert pd.isna(df.loc["extra-note.txt", "president"])
    report = c.read_report
    assert report[report["kind"] == "unmatched_file"]["source"].tolist() == ["extra-note.txt"]
    rows = report[report["kind"] == "unmatched_meta"]
    assert rows["source"].tolist() == ["metadata.csv row 4"]
    assert "'1797-Adams.txt' matches no file" in rows["message"].iloc[0]
    assert (report["kind"] == "metadata_table").sum() == 1
    # Grouping by a metadata column works at once.
    t = c.frame_trends({"west": ["collective West"]}, by="party")
    assert set(t["period"].astype(str)) >= {"Democratic", "Republican"}


def test_an_explicit_table_outside_the_folder_keys_without_extensions_and_zeros_kept(tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    for name in ("007.txt", "010.txt"):
        (folder / name).write_text(f"post {name} about the multipolar world", encoding="utf-8")
    table = tmp_path / "channels.tsv"
    table.write_text("doc\tchannel\tdate\n007\tMFA\t29.04.2023\n010\tTASS\t2024-06-11\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # everything matched: nothing to warn about
        c = fs.read(folder, meta=table, on="doc")
    df = by_id(c)
    assert df.loc["007.txt", "channel"] == "MFA"
    assert df.loc["007.txt", "date"] == pd.Timestamp("2023-04-29")  # day-first dotted date
    assert df.loc["010.txt", "date"] == pd.Timestamp("2024-06-11")
    assert "date_field" not in df.columns and "date" in df.columns
    assert (c.read_report["kind"] == "unmatched_file").sum() == 0


def test_a_dataframe_subfolders_and_the_most_specific_key(tmp_path):
    folder = tmp_path / "by_year"
    (folder / "2020").mkdir(parents=True)
    (folder / "2021").mkdir()
    (folder / "2020" / "speech.txt").write_text("speech of 2020", encoding="utf-8")
    (folder / "2021" / "speech.txt").write_text("speech of 2021", encoding="utf-8")
    table = pd.DataFrame({"file": ["2020/speech", "2021/speech.txt"], "speaker": ["A", "B"],
                          "year": [2020, 2021]})
    c = fs.read(folder, meta=table)
    df = c.to_pandas()
    assert df["speaker"].tolist() == ["A", "B"]
    assert [d.year for d in df["date"]] == [2020, 2021]
    assert file_keys("2020/speech.txt.gz") == ["2020/speech.txt.gz", "2020/speech.txt", "2020/speech",
                                               "speech.txt.gz", "speech.txt", "speech"]
    assert file_keys("a.b.txt") == ["a.b.txt", "a.b"]


def test_table_problems_are_errors_naming_them(tmp_path):
    folder = speeches(tmp_path, meta_name=None)
    dup = tmp_path / "dup.csv"
    dup.write_text("fileid,year\n1861-Lincoln,1861\n1861-Lincoln.txt,1862\n", encoding="utf-8")
    # Two rows for one file: which one is meant cannot be guessed.
    with pytest.raises(ValueError, match=r"dup.csv: rows 1 and 2 both name 1861-Lincoln.txt "
                                         r"\(fileid '1861-Lincoln' and '1861-Lincoln.txt'\)"):
        fs.read(folder, meta=dup)
    same = tmp_path / "same.csv"
    same.write_text("fileid,year\na,1\na,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"same.csv: fileid 'a' is on rows 1 and 2"):
        fs.read(folder, meta=same)
    nokey = tmp_path / "nokey.csv"
    nokey.write_text("speaker,year\nX,1999\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"no column naming the files .* \['speaker', 'year'\]"):
        fs.read(folder, meta=nokey)
    with pytest.raises(ValueError, match=r"has no column 'doc'; its columns: \['speaker', 'year'\]"):
        fs.read(folder, meta=nokey, on="doc")
    with pytest.raises(FileNotFoundError, match="missing.csv does not exist"):
        fs.read(folder, meta=tmp_path / "missing.csv")
    with pytest.raises(ValueError, match="needs meta="):
        fs.read(folder, meta=False, on="fileid")
    bad = tmp_path / "bad.csv"
    bad.write_text("fileid,date\n1861-Lincoln.txt,someday\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv date"):
        fs.read(folder, meta=bad)
    with pytest.warns(UserWarning, match="1 bad date in bad.csv ignored"):
        c = fs.read(folder, meta=bad, bad_dates="undated")
    rows = c.read_report[c.read_report["kind"] == "bad_date"]
    assert rows["source"].tolist() == ["bad.csv row 1"]
    assert by_id(c).loc["1861-Lincoln.txt", "date_source"] == "none"


def test_meta_false_reads_the_table_as_documents(tmp_path):
    folder = speeches(tmp_path)
    # As before: a CSV in the folder is a corpus file, and this one has no text column.
    with pytest.raises(fs.InputError, match="text"):
        fs.read(folder, meta=False)
    c = fs.read(folder, meta=False, glob="*.txt")
    assert len(c) == 4 and "president" not in c.to_pandas().columns


def test_two_tables_in_a_folder_must_be_chosen(tmp_path):
    folder = speeches(tmp_path)
    (folder / "meta.tsv").write_text("fileid\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="several metadata tables"):
        fs.read(folder)


def test_cli_meta_and_on(tmp_path, capsys):
    folder = speeches(tmp_path, meta_name=None)
    table = tmp_path / "m.csv"
    table.write_text(META_CSV, encoding="utf-8")
    out = tmp_path / "t.csv"
    with pytest.warns(UserWarning, match="1 of 4 files have no row in m.csv"):
        code = main(["trends", str(folder), "--meta", str(table), "--on", "fileid", "--by", "year",
                     "--no-dedup", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    t = pd.read_csv(out)
    assert {"1789", "1861", "2009", "2023"} <= set(t["period"].astype(str))
    streamed = tmp_path / "s.csv"
    with pytest.warns(UserWarning, match="1 of 4 files have no row in m.csv"):
        code = main(["trends", str(folder), "--meta", str(table), "--on", "fileid", "--by", "year",
                     "--no-dedup", "--stream", "--out", str(streamed)])
    assert code == 0, capsys.readouterr().err
    pd.testing.assert_frame_equal(pd.read_csv(streamed), t)


def test_scan_joins_the_table_batch_by_batch_and_reports_once(tmp_path):
    folder = speeches(tmp_path)
    # A long speech spread over many batches: its row must reach every batch.
    (folder / "1861-Lincoln.txt").write_text(
        "\n".join(["Fellow-Citizens of the United States, the collective West."] * 4000), encoding="utf-8")
    frames = {"west": ["collective West"]}
    with pytest.warns(UserWarning) as caught:
        r = fs.scan(folder, frames, by=["party", "year"], batch_mb=0.02, clean=False, terms=False)
        want = fs.read(folder).frame_trends(frames, by=["party", "year"])
    pd.testing.assert_frame_equal(pd.DataFrame(r.trends), pd.DataFrame(want))
    lincoln = r.trends[(r.trends["party"] == "Republican") & (r.trends["period"] == "1861")]
    assert lincoln["hits"].tolist() == [4000]
    report = r.read_report
    assert report["kind"].tolist() == ["metadata_table", "unmatched_file", "unmatched_meta"]
    assert report["source"].tolist()[1:] == ["extra-note.txt", "metadata.csv row 4"]
    assert "fileid '1797-Adams.txt' matches no file read" in report["message"].iloc[2]
    messages = [str(w.message) for w in caught if "framescope.scan" in str(w.message)]
    assert len(messages) == 2
    assert "3 of 4 files matched" in messages[0]
    assert all(w.filename == __file__ for w in caught if "framescope.scan" in str(w.message))


def test_days_of_the_join_are_the_metadata_dates(tmp_path):
    folder = speeches(tmp_path)
    with pytest.warns(UserWarning):
        c = fs.read(folder)
    days = (c.dates.dropna().values.astype("datetime64[D]").astype(np.int64)).tolist()
    assert sorted(days) == sorted(
        np.array(["1789-01-01", "1861-01-01", "2009-01-01", "2023-04-29"],
                 dtype="datetime64[D]").astype(np.int64).tolist())


def test_cli_trends_on_undated_files_points_to_meta_and_draws_no_plot(tmp_path, capsys):
    folder = speeches(tmp_path, meta_name=None)
    (folder / "extra-note.txt").unlink()  # the one file with a dateline
    png = tmp_path / "t.png"
    code = main(["trends", str(folder), "--no-dedup", "--plot", str(png)])
    err = capsys.readouterr().err
    assert code == 0
    assert "none of the 3 documents has a date" in err and "--meta FILE" in err
    assert f"no plot written to {png}" in err and not png.exists()
    table = tmp_path / "m.csv"
    table.write_text(META_CSV, encoding="utf-8")
    with pytest.warns(UserWarning, match="1 row of m.csv matches no file"):
        code = main(["trends", str(folder), "--no-dedup", "--meta", str(table), "--plot", str(png)])
    assert code == 0 and png.stat().st_size > 10_000


def test_a_metadata_named_file_with_texts_is_a_corpus_file(tmp_path):
    # "metadata.csv" holding a text column is documents, read as before: no join, no warning.
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "metadata.csv").write_text("text,date\nthe collective West,2023-04-29\n", encoding="utf-8")
    (folder / "meta.jsonl").write_text('{"text": "the Global Majority", "date": "2024-06-11"}\n',
                                       encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = fs.read(folder)
    assert sorted(c.texts) == ["the Global Majority", "the collective West"]
    assert (c.read_report["kind"] == "metadata_table").sum() == 0


def test_jsonl_fields_become_columns_in_the_files_order_as_pandas_reads_them(tmp_path):
    """A record's fields were columns in key order ("alpha" before "zeta"); they are in
    the file's order now, nested objects kept as written."""
    import json

    rows = [{"text": "the collective West", "zeta": 1, "alpha": {"b": 1, "a": 2}, "mid": "m"},
            {"text": "мировое большинство", "new": True, "zeta": 2}]
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    c = fs.read(path)
    assert list(c.meta.columns) == ["zeta", "alpha", "mid", "new"]
    assert list(pd.read_json(path, lines=True).columns)[1:4] == ["zeta", "alpha", "mid"]
    assert c.meta["alpha"][0] == '{"b":1,"a":2}'
    assert c.meta["zeta"].tolist() == [1, 2]
