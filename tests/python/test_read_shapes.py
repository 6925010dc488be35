"""Files with the shapes real tools write: Excel CSVs with CRLF, quoting mistakes,
duplicate headers, UTF-16/UTF-32 with a BOM in every format, symbolic links,
globs, one bad file among good ones, ids beyond 2**53, odd Telegram exports.
Each expectation was worked out by hand from the bytes written.
"""

import json
import os

import pandas as pd
import pytest

import framescope as fs


def test_excel_crlf_csv_gives_the_lines_an_editor_shows(tmp_path):
    # Excel writes CRLF; a quoted text spans two lines; a blank line; a bad date on line 6.
    (tmp_path / "x.csv").write_bytes(
        b'id,text,date\r\n1,"first line\r\nsecond line",2023-01-01\r\n2,ok,2023-01-02\r\n'
        b'\r\n3,bad,someday\r\n')
    with pytest.raises(fs.InputError, match=r"x\.csv:6: date \"someday\" is not a date"):
        fs.read(tmp_path / "x.csv")
    with pytest.warns(UserWarning):
        c = fs.read(tmp_path / "x.csv", bad_dates="undated")
    assert [s.rsplit(":", 1)[1] for s in c.to_pandas()["source"]] == ["2", "4", "6"]
    assert list(c.ids) == ["x.csv#2", "x.csv#4", "x.csv#6"]
    assert c.texts[0] == "first line\r\nsecond line"


def test_csv_quoting_mistakes_are_errors_not_swallowed_rows(tmp_path):
    (tmp_path / "open.csv").write_text('id,text\n1,ok\n2,"never closed\n3,more\n4,rows\n')
    with pytest.raises(fs.InputError, match=r"open\.csv:3: an unterminated quote: .* on line 3"):
        fs.read(tmp_path / "open.csv")
    (tmp_path / "stray.csv").write_text('id,text,date\n1,"hi there,2023\n2,ok,2024\n3,"end,2025\n')
    with pytest.raises(fs.InputError, match=r"stray\.csv:4: a stray quote: .* on line 2"):
        fs.read(tmp_path / "stray.csv")
    # Legitimate quoting still reads: doubled quotes, a comma and a line break inside quotes.
    (tmp_path / "ok.csv").write_text('id,text\n1,"He said ""no"", then\nleft"\n2,a 5" screen\n')
    assert fs.read(tmp_path / "ok.csv").texts == ['He said "no", then\nleft', 'a 5" screen']


def test_duplicate_header_names_both_columns(tmp_path):
    (tmp_path / "d.csv").write_text("id,text,source,source\n1,a,x,y\n")
    with pytest.raises(fs.InputError, match=r'd\.csv:1: columns 3 and 4 are both named "source"'):
        fs.read(tmp_path / "d.csv")


TEXT = "The collective West — коллективный Запад 🌐"


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_every_bom_in_every_format(tmp_path, codec):
    bom = {"utf-16-be": "\ufeff", "utf-32-be": "\ufeff"}.get(codec, "")
    files = {
        "a.txt": TEXT + "\n",
        "b.jsonl": json.dumps({"text": TEXT, "date": "2023-04-29"}, ensure_ascii=False) + "\n",
        "c.csv": f'text,date\r\n"{TEXT}",2023-04-29\r\n',
        "d.tsv": f"text\tdate\n{TEXT}\t2023-04-29\n",
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes((bom + content).encode(codec))
    c = fs.read(tmp_path)
    assert c.texts == [TEXT] * 4, codec
    assert c.tokens(0) == ["the", "collective", "west", "коллективный", "запад"]


RUSSIAN = "Мы против «коллективного Запада» — за многополярный мир"
DATELINE = "Москва, 17 мая 2007 года\n"


def test_legacy_russian_encodings_in_every_format_with_encoding(tmp_path):
    """An archive in windows-1251 (Excel's "CSV" in a Russian locale, older sites' text
    dumps) was refused as invalid UTF-8, and encoding_errors="replace" turned every
    letter into U+FFFD: now the error says what it looks like, and encoding= reads it."""
    files = {
        "a.txt": DATELINE + RUSSIAN + "\r\n",
        "b.jsonl": json.dumps({"text": RUSSIAN, "date": "2007-05-17"}, ensure_ascii=False) + "\n",
        "c.csv": f'text,date\r\n"{RUSSIAN}",17.05.2007\r\n',
        "d.tsv": f"text\tdate\n{RUSSIAN}\t2007-05-17\n",
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content.encode("cp1251"))
    with pytest.raises(fs.InputError, match=r'a\.txt: invalid UTF-8 at byte 0 of the file \(Russian '
                                            r'text in windows-1251 or KOI8-R\? pass '
                                            r'encoding="windows-1251"'):
        fs.read(tmp_path)
    c = fs.read(tmp_path, encoding="windows-1251")
    assert c.texts == [DATELINE + RUSSIAN] + [RUSSIAN] * 3
    assert [str(d.date()) for d in c.dates] == ["2007-05-17"] * 4
    assert c.frame_counts(fs.Frames.builtin())[["collective_west", "multipolarity"]] \
        .to_numpy().tolist() == [[1, 1]] * 4
    # Streaming, and the command line, read alike; KOI8-R too; a BOM still wins.
    r = fs.scan(tmp_path, fs.Frames.builtin(), encoding="cp1251", batch_mb=1e-4)
    assert r.docs == 4
    koi = tmp_path / "koi"
    koi.mkdir()
    plain = "Мы против коллективного Запада, за многополярный мир"  # KOI8-R has no «»
    (koi / "k.txt").write_bytes(plain.encode("koi8_r"))
    (koi / "u.txt").write_bytes("\ufeffКоллективный Запад ошибается.".encode("utf-8"))
    assert fs.read(koi, encoding="koi8-r").texts == [plain, "Коллективный Запад ошибается."]
    from framescope.cli import main
    out = tmp_path / "t.csv"
    assert main(["trends", str(koi), "--encoding", "koi8-r", "--by", "year", "--out",
                 str(out)]) == 0
    assert pd.read_csv(out).query("frame == 'collective_west'")["hits"].tolist() == [2]
    # A byte the encoding does not define is named; an unknown label is refused.
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.txt").write_bytes(b"West \xaa")  # 0xAA: no character in windows-1253
    with pytest.raises(fs.InputError, match=r"x\.txt: .*byte 5 of the file is no character in "
                                            r"windows-1253"):
        fs.read(bad, encoding="windows-1253")
    with pytest.raises(ValueError, match='unknown encoding "cyrillic-ish"'):
        fs.read(bad, encoding="cyrillic-ish")
    # Latin text in windows-1252 gets the other hint.
    (bad / "x.txt").write_bytes("Café “quoted”".encode("cp1252"))
    with pytest.raises(fs.InputError, match=r'a legacy encoding\? pass encoding='):
        fs.read(bad)


def test_broken_utf16_and_utf32_name_the_byte(tmp_path):
    (tmp_path / "odd.txt").write_bytes("the West".encode("utf-16") + b"x")
    with pytest.raises(fs.InputError, match=r"odd\.txt: invalid UTF-16LE at byte 18 .*odd trailing byte"):
        fs.read(tmp_path / "odd.txt")
    (tmp_path / "lone.txt").write_bytes(b"\xff\xfeA\x00\x00\xd8A\x00")
    with pytest.raises(fs.InputError, match=r"lone\.txt: invalid UTF-16LE at byte 4 .*unpaired surrogate"):
        fs.read(tmp_path / "lone.txt")
    # UTF-32 is no longer taken for UTF-16 ("t", "h", "e" tokens): it is read as UTF-32.
    (tmp_path / "w.txt").write_bytes("the West".encode("utf-32"))
    assert fs.read(tmp_path / "w.txt").tokens(0) == ["the", "west"]
    # No BOM: UTF-16 text is refused as binary, with a hint.
    (tmp_path / "nobom.txt").write_bytes("the West".encode("utf-16-le"))
    with pytest.raises(fs.InputError, match="without a byte-order mark"):
        fs.read(tmp_path / "nobom.txt")


@pytest.mark.skipif(os.name == "nt", reason="symbolic links")
def test_symlinked_files_and_folders_are_followed_and_loops_named(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.txt").write_text("the collective West")
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "b.txt").write_text("the Global Majority")
    os.symlink(real, corpus_dir / "linked")
    os.symlink(real / "a.txt", corpus_dir / "c.txt")
    c = fs.read(corpus_dir)
    assert sorted(c.ids) == ["b.txt", "c.txt", "linked/a.txt"]
    os.symlink(corpus_dir, corpus_dir / "loop")
    with pytest.raises(fs.InputError, match="symbolic link loop"):
        fs.read(corpus_dir)


def test_glob_star_stays_in_one_folder(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "sub" / "b.txt").write_text("two")
    monkeypatch.chdir(tmp_path)
    assert fs.read("*.txt").ids == ["a.txt"]
    assert sorted(fs.read("**/*.txt").ids) == ["a.txt", "sub/b.txt"]
    assert fs.read(str(tmp_path / "sub" / "*.txt")).ids == ["b.txt"]
    assert fs.read(tmp_path, glob="*.txt").ids == ["a.txt"]
    assert sorted(fs.read(tmp_path, glob="**/*.txt").ids) == ["a.txt", "sub/b.txt"]


def test_one_bad_file_is_skipped_and_reported_with_errors_skip(tmp_path):
    (tmp_path / "a.txt").write_text("the collective West")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "c.csv").write_text('text\n"never closed\n')
    (tmp_path / "d.jsonl").write_text('{"text": "the Global Majority"}\n')
    with pytest.raises(fs.InputError, match=r"b\.txt: looks like a binary file"):
        fs.read(tmp_path)
    c = fs.read(tmp_path, errors="skip")
    assert c.texts == ["the collective West", "the Global Majority"]
    skipped = c.read_report[c.read_report["kind"] == "skipped_file"]
    assert [os.path.basename(s) for s in skipped["source"]] == ["b.txt", "c.csv"]
    r = fs.scan(tmp_path, {"w": ["collective West"]}, errors="skip", terms=False)
    assert r.docs == 2 and (r.read_report["kind"] == "skipped_file").sum() == 2


def test_ids_beyond_2_53_and_64_bits_stay_exact(tmp_path):
    big, huge = 2**60 + 1, 2**70 + 3
    rows = [{"text": "a", "tweet_id": big, "msg": huge}, {"text": "b", "tweet_id": None, "msg": huge + 1}]
    (tmp_path / "t.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    df = fs.read(tmp_path / "t.jsonl").to_pandas()
    assert df["tweet_id"].tolist()[0] == big and pd.isna(df["tweet_id"].tolist()[1])
    assert df["msg"].tolist() == [str(huge), str(huge + 1)]
    c = fs.read(tmp_path / "t.jsonl", id="msg")
    assert c.ids == [str(huge), str(huge + 1)]
    (tmp_path / "t.csv").write_text(f"text,tweet_id\na,{big}\nb,\n")
    assert fs.read(tmp_path / "t.csv").to_pandas()["tweet_id"].tolist()[0] == big


def test_telegram_text_as_number_or_object_is_text(tmp_path):
    export = {"name": "MFA", "type": "public_channel", "id": 1, "messages": [
        {"id": 1, "type": "message", "date": "2024-01-01T10:00:00", "text": 2024},
        {"id": 2, "type": "message", "date": "2024-01-02T10:00:00",
         "text": {"type": "bold", "text": "The collective West"}},
        {"id": 3, "type": "message", "date": "2024-01-03T10:00:00",
         "text": ["Global ", {"type": "italic", "text": "Majority"}, " ", 7]},
        {"id": 4, "type": "message", "date": "2024-01-04T10:00:00", "text": ""},
    ]}
    (tmp_path / "result.json").write_text(json.dumps(export))
    c = fs.read(tmp_path / "result.json")
    assert c.texts == ["2024", "The collective West", "Global Majority 7"]
    assert c.read_report["message"].tolist() == ["1 messages without text (media only) skipped"]


def test_an_article_with_one_read_in_full_line_is_one_document(tmp_path):
    # A news article that links its source once; not a channel dump.
    (tmp_path / "article.txt").write_text(
        "Lavrov: the Global Majority rejects the rules-based order\n\n"
        "MOSCOW, April 29, 2023. The minister said the West had lost its way.\n"
        "Read in full\nHe added that the UN Charter must be respected.\n", encoding="utf-8")
    c = fs.read(tmp_path / "article.txt")
    assert len(c) == 1 and c.ids == ["article.txt"]
    assert c.read_report["message"].tolist()[0].startswith("read as one document (0 \"Forwarded")
    # The same text is split when the user says it is a dump.
    assert len(fs.read(tmp_path / "article.txt", format="channel")) == 1
    (tmp_path / "dump.txt").write_text(
        "Forwarded from Russian MFA\nFirst post.\nREAD IN FULL\nFirst post.\n📖 Read in full\n"
        "#Tag\nOwn post of the channel.\n", encoding="utf-8")
    d = fs.read(tmp_path / "dump.txt")
    assert [t.split("\n")[-1] for t in d.texts] == ["#Tag", "Own post of the channel."]


def test_utf8_bom_keeps_byte_offsets_of_the_file(tmp_path):
    # Excel and Notepad write a UTF-8 BOM; the bad byte follows it, one line and `{"text": "`.
    data = b"\xef\xbb\xbf" + b'{"text": "a"}\n' + b'{"text": "\xff"}\n'
    assert data.index(b"\xff") == 27
    (tmp_path / "bom.jsonl").write_bytes(data)
    with pytest.raises(fs.InputError, match=r"bom\.jsonl:2: invalid UTF-8 at byte 27 of the file"):
        fs.read(tmp_path / "bom.jsonl")
