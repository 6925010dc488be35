"""fs.read and Corpus.dedup: seed files, every format, provenance, and bad input."""

from __future__ import annotations

import gzip
import json
import pickle
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SEED_DIR, require_seeds

import framescope as fs

FIXTURES = Path(__file__).parent / "fixtures"

# Post boundaries, dates and frame hits of every seed post: tests/gold/ (test_gold.py).


def short(doc_id: str) -> str:
    name, _, post = doc_id.partition("#")
    return name[:3] + (f"#{post}" if post else "")


@pytest.fixture(scope="module")
def seed() -> fs.Corpus:
    require_seeds()
    return fs.read(SEED_DIR)


def test_seed_posts_per_file_and_provenance(seed):
    df = seed.to_pandas()
    per_file = df["id"].str.slice(0, 3).value_counts().sort_index().to_dict()
    # 001 and 003 each hold one post of the channel's own (no header) after a closed post.
    assert per_file == {"000": 1, "001": 11, "002": 5, "003": 17, "004": 1}
    # Channel posts start at their "Forwarded from" line; articles are one document.
    assert df["source"].str.endswith("003_f767a744d13e2798.txt:107").sum() == 1
    from_mfa = df.loc[df["id"].str.startswith("003"), "forwarded_from"].eq("Russian MFA 🇷🇺")
    assert from_mfa.sum() == 16 and not from_mfa[df["id"] == "003_f767a744d13e2798.txt#9"].any()
    assert df.loc[df["id"] == "004_7915bdf033742db9.txt", "forwarded_from"].isna().all()
    # The format chosen for each text file that had platform lines is reported.
    assert list(seed.read_report["kind"]) == ["format"] * 3


def test_seed_dedup_collapses_blocks_and_finds_cross_file_duplicates(seed):
    clean = seed.dedup()
    report = clean.dedup_report
    dups = report[report["action"].isin(["duplicate", "near_duplicate"])]
    assert [(short(a), act, short(k)) for a, act, k in dups[["id", "action", "kept_id"]].values] == [
        ("002#5", "duplicate", "001#1"),   # Putin on Diplomatic Worker's Day, in three files
        ("003#2", "duplicate", "002#3"),   # Lavrov's Tsargrad interview
        ("003#3", "duplicate", "002#4"),   # SCO anniversary
        ("003#11", "duplicate", "001#1"),
        ("003#12", "duplicate", "001#2"),
        ("003#14", "duplicate", "001#3"),
        # The same post, identical once the concert post glued to 001#6 is its own post.
        ("003#17", "duplicate", "001#6"),
    ]
    assert len(clean) == 35 - 7
    cleaned = report[report["action"] == "cleaned"].set_index("id")
    tsargrad = cleaned.loc["003_f767a744d13e2798.txt#2"]
    # "Forwarded from", "Read in full" x2 removed; the 7 repeated talking points and their
    # repeated heading "Key talking points:" kept once.
    assert (tsargrad["boilerplate_lines"], tsargrad["repeated_lines"]) == (3, 8)
    kept_post = clean.texts[clean.ids.index("002_c1c4d03e66d207fa.txt#3")].split("\n")
    assert len(kept_post) == 9 and kept_post.count("Key talking points:") == 1
    for text in clean.texts:
        lines = [" ".join(x.split()) for x in text.split("\n") if len(x.strip()) >= 30]
        assert len(lines) == len(set(lines)), "a repeated block survived"
        assert "Read in full" not in text and "VIEW IN TELEGRAM" not in text
        assert not text.startswith("Forwarded from")
    # Metadata rows follow their documents; the original corpus is unchanged.
    assert clean.to_pandas()["forwarded_from"].notna().sum() == 31 - 7
    assert len(seed) == 35 and seed.dedup_report.empty


def test_dedup_steps_are_optional_and_validated(seed):
    none = seed.dedup(boilerplate=False, repeats=False, duplicates=False, drop_empty=False)
    assert none.texts == [t.strip("\n") for t in seed.texts]
    assert none.dedup_report.empty
    custom = seed.dedup(boilerplate=["Read in full"], repeats=False, duplicates=False)
    forwarded = custom.to_pandas()["forwarded_from"].notna().to_numpy()
    assert forwarded.sum() == 31
    assert all(t.startswith("Forwarded from") for t, f in zip(custom.texts, forwarded, strict=True) if f)
    exact_only = seed.dedup(near=False)
    assert (exact_only.dedup_report["action"] == "duplicate").sum() == 7
    assert len(exact_only) == 28
    with pytest.raises(ValueError, match="threshold"):
        seed.dedup(threshold=0)
    with pytest.raises(ValueError, match="boilerplate pattern"):
        seed.dedup(boilerplate=["(unclosed"])
    with pytest.raises(TypeError, match="boilerplate"):
        seed.dedup(boilerplate="Read in full")


def test_reports_survive_subsetting_and_pickling(seed):
    clean = seed.dedup()
    again = pickle.loads(pickle.dumps(clean[:5]))
    assert len(again) == 5
    pd.testing.assert_frame_equal(again.dedup_report, clean.dedup_report)


def test_telegram_export(tmp_path):
    c = fs.read(FIXTURES / "telegram_result.json")
    df = c.to_pandas()
    assert list(df["id"]) == ["1113271521/27811", "1113271521/27813"]
    assert c.texts[0] == ("🎙 Sergey Lavrov: The Global Majority rejects the rules-based order. "
                          "#Multipolarity https://mid.ru/en/")
    assert list(df["date"].astype(str)) == ["2023-04-29", "2023-05-02"]
    assert list(df["date_source"]) == ["metadata", "metadata"]
    assert list(df["hashtags"]) == ["#Multipolarity", "#СВО"]
    assert list(df["forwarded_from"].fillna("-")) == ["-", "Russian Mission to the UN"]
    assert list(df["channel"]) == ["MFA Russia", "MFA Russia"]
    assert list(df["message_id"]) == [27811, 27813]
    assert c[1].source.endswith("telegram_result.json#1113271521/27813")
    assert c.tokens(0)[:6] == ["sergey", "lavrov", "the", "global", "majority", "rejects"]
    report = c.read_report
    assert sorted(report["kind"]) == ["skipped_empty", "skipped_service"]
    assert report.set_index("kind").loc["skipped_service", "message"].startswith("2 service")
    # A full export ({"chats": {"list": [...]}}) reads every chat.
    data = json.loads((FIXTURES / "telegram_result.json").read_text(encoding="utf-8"))
    full = tmp_path / "result.json"
    full.write_text(json.dumps({"chats": {"list": [data, {**data, "id": 7, "name": "Other"}]}}),
                    encoding="utf-8")
    both = fs.read(full)
    assert len(both) == 4 and set(both.to_pandas()["channel"]) == {"MFA Russia", "Other"}


def test_jsonl_fields_meta_and_gzip(tmp_path):
    rows = [
        {"text": "The collective West", "date": "2023-04-29T10:00:00+03:00", "id": 7, "lang": "en", "views": 10},
        {"text": "Многополярный мир (Москва, 29 апреля 2023 г.)", "date": None, "id": "b", "lang": "ru", "views": 2.5},
        {"text": "No date at all", "id": "c", "tags": ["a", "b"], "flag": True},
    ]
    body = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n"
    (tmp_path / "a.jsonl").write_text(body, encoding="utf-8")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(body)
    c = fs.read(tmp_path, id="id")
    df = c.to_pandas()
    assert list(df["id"]) == ["7", "b", "c", "7~2", "b~2", "c~2"]
    assert list(df["date_source"][:3]) == ["metadata", "text", "none"]
    assert str(df["date"][1].date()) == "2023-04-29"
    assert list(df["lang"][:3].fillna("-")) == ["en", "ru", "-"]
    assert df["views"].tolist()[:2] == [10, 2.5] and pd.isna(df["views"][2])
    assert df["tags"][2] == '["a","b"]' and df["flag"][2] is True
    assert c[3].source.endswith("b.jsonl.gz:1")
    renamed = c.read_report[c.read_report["kind"] == "renamed_id"]
    assert len(renamed) == 3
    assert fs.read(tmp_path / "a.jsonl", date="date").to_pandas()["date_source"].tolist() == [
        "metadata", "text", "none"]
    with pytest.raises(fs.InputError, match=r'no record has the date field "published"'):
        fs.read(tmp_path / "a.jsonl", date="published")


def test_csv_and_tsv(tmp_path):
    (tmp_path / "s.csv").write_text(
        'id,date,text,year\n1,2022-02-24,"On February 24, the special military operation",2022\n'
        '2,,"A quoted\nmulti-line text",2023\n', encoding="utf-8")
    c = fs.read(tmp_path / "s.csv", id="id")
    df = c.to_pandas()
    assert list(df["id"]) == ["1", "2"] and df["year"].tolist() == [2022, 2023]
    assert c.texts[1] == "A quoted\nmulti-line text"
    assert c[1].source.endswith("s.csv:3")
    (tmp_path / "t.tsv").write_text("body\tlang\nSanctions\ten\n", encoding="utf-8")
    assert fs.read(tmp_path / "t.tsv", text="body").to_pandas()["lang"].tolist() == ["en"]
    with pytest.raises(fs.InputError, match=r't.tsv: no text column "text"; columns: body, lang'):
        fs.read(tmp_path / "t.tsv")
    (tmp_path / "bad.csv").write_text("text,date\nok,2020-01-01\nbad,someday\n", encoding="utf-8")
    with pytest.raises(fs.InputError, match=r'bad.csv:3: date "someday" is not a date'):
        fs.read(tmp_path / "bad.csv")
    (tmp_path / "ragged.csv").write_text("text,x\na,1\nb,2,3\nc,4\n", encoding="utf-8")
    with pytest.raises(fs.InputError, match=r"ragged.csv:3"):
        fs.read(tmp_path / "ragged.csv")
    with pytest.warns(UserWarning, match="skipped 1 malformed"):
        r = fs.read(tmp_path / "ragged.csv", errors="skip")
    assert r.texts == ["a", "c"] and r.read_report["source"].str.endswith("ragged.csv:3").all()


@pytest.mark.seed
def test_text_files_split_and_formats(tmp_path):
    (tmp_path / "posts.md").write_text("intro\n---\n14 April 2017\nfirst\n---\nsecond\n", encoding="utf-8")
    c = fs.read(tmp_path / "posts.md", split="---")
    assert c.texts == ["intro", "---\n14 April 2017\nfirst", "---\nsecond"]
    assert c.to_pandas()["date"].astype(str).tolist()[1] == "2017-04-14"
    one = fs.read(tmp_path / "posts.md")
    assert len(one) == 1 and one.ids == ["posts.md"]
    shutil.copy(SEED_DIR / "002_c1c4d03e66d207fa.txt", tmp_path / "dump.txt")
    assert len(fs.read(tmp_path / "dump.txt", format="text")) == 1
    assert len(fs.read(tmp_path / "dump.txt")) == 5
    assert len(fs.read(tmp_path, glob="*.txt")) == 5
    assert len(fs.read(str(tmp_path / "*.md"))) == 1
    assert len(fs.read([tmp_path / "dump.txt", tmp_path / "posts.md"])) == 6
    # UTF-16 with a byte-order mark is text, not binary.
    (tmp_path / "u16.txt").write_bytes("Глобальное большинство".encode("utf-16"))
    assert fs.read(tmp_path / "u16.txt").texts == ["Глобальное большинство"]


def test_bad_input_is_named_and_nothing_dropped(tmp_path):
    (tmp_path / "utf.jsonl").write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    with pytest.raises(fs.InputError, match=r"utf.jsonl:2: invalid UTF-8 at byte 28 of the file"):
        fs.read(tmp_path / "utf.jsonl")
    c = fs.read(tmp_path / "utf.jsonl", encoding_errors="replace")
    assert c.texts == ["ok", "caf\ufffd"]
    assert c.read_report["message"].iloc[0].startswith("1 invalid UTF-8 sequence")
    (tmp_path / "bad.jsonl").write_text('{"text": "a"}\n{"text": "b",}\n{"txt": "c"}\n{"text": "d"}\n',
                                        encoding="utf-8")
    with pytest.raises(fs.InputError, match=r"bad.jsonl:2: malformed JSON"):
        fs.read(tmp_path / "bad.jsonl")
    with pytest.warns(UserWarning, match="skipped 2 malformed"):
        c = fs.read(tmp_path / "bad.jsonl", errors="skip")
    assert c.texts == ["a", "d"]
    assert c.read_report["source"].str.slice(-11).tolist() == ["bad.jsonl:2", "bad.jsonl:3"]
    assert 'no text field "text"; fields: txt' in c.read_report["message"].iloc[1]
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(fs.InputError, match="empty.txt: the file is empty"):
        fs.read(tmp_path / "empty.txt")
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(fs.InputError, match="empty.jsonl: the file is empty"):
        fs.read(tmp_path / "empty.jsonl")
    (tmp_path / "blob.txt").write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(fs.InputError, match=r"blob.txt: looks like a binary file \(NUL byte at offset 4\)"):
        fs.read(tmp_path / "blob.txt")
    with pytest.raises(fs.InputError, match="nowhere: no such file or directory"):
        fs.read(tmp_path / "nowhere")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "notes.docx").write_bytes(b"x")
    with pytest.raises(fs.InputError, match=r"no files to read .* it holds 1 other file\(s\), "
                                            r"such as .*notes\.docx"):
        fs.read(tmp_path / "sub")
    (tmp_path / "x.json").write_text('{"messages": [', encoding="utf-8")
    with pytest.raises(fs.InputError, match=r"x.json:1: malformed JSON"):
        fs.read(tmp_path / "x.json")
    (tmp_path / "y.json").write_text('{"rows": []}', encoding="utf-8")
    with pytest.raises(fs.InputError, match="not a Telegram Desktop export"):
        fs.read(tmp_path / "y.json")
    with pytest.raises(ValueError, match="format must be .auto., .text."):
        fs.read(tmp_path, format="docx")
    with pytest.raises(ValueError, match="errors must be"):
        fs.read(tmp_path, errors="ignore")


def test_large_jsonl_streams_in_order(tmp_path):
    n = 50_000
    with open(tmp_path / "big.jsonl", "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"text": f"post {i} on the collective West", "date": f"20{10 + i % 15}-01-01"}) + "\n")
    c = fs.read(tmp_path / "big.jsonl")
    assert len(c) == n
    assert c.texts[12_345] == "post 12345 on the collective West"
    years = c.dates.dt.year.to_numpy()
    assert np.array_equal(years, 2010 + np.arange(n) % 15)


def test_boilerplate_ignores_case_emoji_and_removes_photo_credits():
    # Shapes from the seeds: "READ IN FULL" upper-cased, "📰 Read", a credit line under a photo.
    post = ("Putin to map out main tasks\nRussian President Vladimir Putin\n"
            "© ITAR-TASS/Mikhail Metsel\nMOSCOW, July 01. The collective West.\n"
            "READ IN FULL\n📰 Read\n👉 view in telegram\nReading the Charter matters.\n")
    clean = fs.Corpus.from_texts([post]).dedup()
    assert clean.texts[0].split("\n") == [
        "Putin to map out main tasks", "Russian President Vladimir Putin",
        "MOSCOW, July 01. The collective West.", "Reading the Charter matters."]
    assert clean.dedup_report["boilerplate_lines"].tolist() == [4]


def test_dedup_keeps_rhetorical_repetition_in_ordinary_documents(seed):
    # A State of the Union-like speech: refrain twice, audience lines, a repeated table row.
    speech = ("And I will propose these measures to the 90th Congress.\n"
              "We must also act on housing for every family in the land.\n(Applause.)\n"
              "And I will propose these measures to the 90th Congress.\n(Applause.)\n"
              "| 1966 | housing starts | 1,200,000 units in the year |\n"
              "| 1966 | housing starts | 1,200,000 units in the year |\n")
    c = fs.Corpus.from_texts([speech, "Another speech."]).dedup()
    assert c.texts[0] == speech.rstrip("\n")
    assert c.dedup_report["repeated_lines"].sum() == 0
    everywhere = fs.Corpus.from_texts([speech]).dedup(repeats=True)
    assert "90th Congress" in everywhere.texts[0]
    assert everywhere.texts[0].count("90th Congress") == 1
    with pytest.raises(ValueError, match="repeats must be 'auto', True or False"):
        fs.Corpus.from_texts([speech]).dedup(repeats="sometimes")
    # The seed dumps still have their preview/full duplication removed (auto).
    assert seed.dedup().dedup_report["repeated_lines"].sum() > 0


def test_files_a_folder_holds_but_does_not_read_are_reported(tmp_path):
    """A scrape saved next to text files: the PDFs and Word files were left out without a
    word. They are still not read (read by extension), but each extension is reported,
    with a warning; hidden files and glob= selections are not. Saved pages are read."""
    (tmp_path / "a.txt").write_text("The collective West.", encoding="utf-8")
    (tmp_path / "pages").mkdir()
    for name in ("1.pdf", "2.PDF", "3.pdf"):
        (tmp_path / "pages" / name).write_bytes(b"%PDF-1.4 The collective West")
    (tmp_path / "pages" / "4.html").write_text("<p>The Global&nbsp;Majority</p>",
                                               encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\3\4")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    with pytest.warns(UserWarning, match=r"did not read the files of 2 extension\(s\)"):
        c = fs.read(tmp_path)
    assert c.texts == ["The collective West.", "The Global\u00a0Majority"]
    rows = c.read_report
    assert rows["kind"].tolist() == ["files_not_read"] * 2
    assert [s.rsplit("/", 1)[-1] for s in rows["source"]] == ["notes.docx", "1.pdf"]
    assert rows["message"].str.match(r"(3 file\(s\) ending in \.pdf|1 file\(s\) ending in "
                                      r"\.docx) not read").all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(fs.read(tmp_path, glob="*.txt")) == 1
    # Streaming reports them once, with its first batch.
    with pytest.warns(UserWarning, match="did not read"):
        r = fs.scan(tmp_path, {"w": ["collective West"]})
    assert r.read_report["kind"].tolist() == ["files_not_read"] * 2

