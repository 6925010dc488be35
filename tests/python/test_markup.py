"""HTML left in scraped text: tag and entity names read as words split frame phrases.

Fixtures: a record as a site's JSON API serves a statement (paragraphs in ``<p>``,
entities for apostrophes and no-break spaces, a link, a comment; hits counted by hand),
and the MFA seed posts served as HTML the way a CMS writes them (every line a paragraph,
``html.escape``, typographic apostrophes as ``&rsquo;``, no-break spaces before capitals,
frame phrases in ``<strong>``): removing the markup must give back the posts' tokens.
"""

from __future__ import annotations

import html
import json
import re
import warnings

import pandas as pd
import pytest
from conftest import gold_posts

import framescope as fs
from framescope.cli import main

RECORD = ("<p>Foreign Minister Sergey&nbsp;Lavrov&rsquo;s remarks:</p><!-- share buttons -->"
          "<p>The collective&nbsp;West imposes its <b>rules</b>-based order.<br/>"
          "R&amp;D &amp; a &lt; b stay.</p><p>The <a href=\"https://mid.ru/ru/\">Global "
          "Majority</a> disagrees; коллективный&nbsp;Запад против <i>мирового большинства</i>.</p>")
# By hand, from the text a browser shows: "collective West", "коллективный Запад";
# "Global Majority", "мирового большинства"; "rules-based order".
SHOWN = {"collective_west": 2, "global_majority": 2, "rules_based_order": 1}
# As scraped: "nbsp" splits both "collective West"s, "b" splits "rules-based"; the link's
# text and the <i> phrase keep their words together.
RAW = {"global_majority": 2}


def hits(corpus: fs.Corpus) -> dict:
    total = corpus.frame_counts(fs.Frames.builtin()).sum()
    return {k: int(v) for k, v in total[total > 0].items()}


def test_a_scraped_record_is_reported_and_cleaned(tmp_path):
    path = tmp_path / "api.jsonl"
    path.write_text(json.dumps({"text": RECORD, "date": "2023-04-29"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    with pytest.warns(UserWarning, match="found HTML tags or entities in 1 document"):
        c = fs.read(path)
    assert hits(c) == RAW
    assert "nbsp" in c.tokens(0) and "b" in c.tokens(0)
    (row,) = c.read_report.to_dict("records")
    assert row["kind"] == "html_markup" and row["source"].endswith("api.jsonl:1")
    # <p> x3, </p> x3, the comment, <b>, </b>, <br/>, <a>, </a>, <i>, </i>; &nbsp; x3,
    # &rsquo;, &amp; x2, &lt;.
    assert row["message"].startswith('21 HTML tag(s) or entities (first: "<p>")')
    clean = c.dedup(html=True)
    assert clean.texts == [
        "Foreign Minister Sergey\u00a0Lavrov\u2019s remarks:\nThe collective\u00a0West imposes "
        "its rules-based order.\nR&D & a < b stay.\nThe Global Majority disagrees; "
        "коллективный\u00a0Запад против мирового большинства."]
    assert hits(clean) == SHOWN
    assert clean.dedup_report["markup"].tolist() == [21]
    # Nothing changes unless asked.
    assert c.dedup().texts == [RECORD]


def as_cms_html(post: str) -> str:
    """A post as a site's CMS serves it: each line a paragraph, HTML-escaped, curly
    apostrophes as entities, a no-break space before each capital, frame phrases bold."""
    out = []
    for line in post.split("\n"):
        line = html.escape(line, quote=False).replace("\u2019", "&rsquo;")
        line = re.sub(r" (?=[A-ZА-Я])", "&nbsp;", line)
        line = re.sub(r"(?i)(collective(?:&nbsp;| )West|Global(?:&nbsp;| )Majority)",
                      r"<strong>\1</strong>", line)
        out.append(f"<p>{line}</p>")
    return "".join(out)


@pytest.mark.seed
def test_seed_posts_served_as_html_give_back_their_tokens(tmp_path, capsys):
    posts = [text for _, _, text in gold_posts()]
    served = [as_cms_html(p) for p in posts]
    plain, raw = fs.Corpus.from_texts(posts), fs.Corpus.from_texts(served)
    clean = raw.dedup(html=True, boilerplate=False, repeats=False, drop_empty=False,
                      duplicates=False)
    frames = fs.Frames.builtin()
    want = plain.frame_counts(frames).to_numpy()
    assert raw.frame_counts(frames).to_numpy().sum() < want.sum()
    assert (clean.frame_counts(frames).to_numpy() == want).all()
    assert [clean.tokens(i) for i in range(len(posts))] == \
        [plain.tokens(i) for i in range(len(posts))]
    assert clean.dedup_report["markup"].sum() > 1000
    # Streaming and the command line clean alike.
    path = tmp_path / "served.jsonl"
    pd.DataFrame({"text": served, "date": "2023-04-29"}).to_json(path, orient="records",
                                                                 lines=True, force_ascii=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scanned = fs.scan(path, frames, html=True, terms=False).trends
        read = fs.read(path).dedup(duplicates=False, html=True)
        assert scanned["hits"].tolist() == read.frame_trends(frames)["hits"].tolist()
        out = tmp_path / "t.csv"
        assert main(["trends", str(path), "--strip-html", "--out", str(out)]) == 0
    by_frame = pd.read_csv(out).groupby("frame")["hits"].sum()
    expected = plain.dedup().frame_trends(frames).groupby("frame")["hits"].sum()
    assert by_frame.to_dict() == expected.to_dict()


def test_text_escaped_twice_is_reported(tmp_path):
    """A JSON string dumped again writes its escapes out: "collective\\nWest" is then read
    as "collective" + "nwest". Nothing can tell a real backslash from it safely, so the
    text is kept and the documents are reported."""
    posts = ["The collective\nWest", "Lavrov\u2019s \u201crules\u201d", "C:\\ a plain backslash"]
    path = tmp_path / "twice.csv"
    pd.DataFrame({"text": [json.dumps(p)[1:-1] for p in posts]}).to_csv(path, index=False)
    with pytest.warns(UserWarning, match=r"escape sequences written out .* in 2 document"):
        c = fs.read(path)
    assert c.tokens(0) == ["the", "collective", "nwest"]
    report = c.read_report
    assert report["kind"].tolist() == ["escaped_text", "escaped_text"]
    assert report["source"].str.endswith(("twice.csv:2", "twice.csv:3")).all()
    assert report["message"].iloc[0].startswith('1 escape sequence(s) written out (first: "\\\\n")')
    assert report["message"].iloc[1].startswith('2 escape sequence(s) written out (first: '
                                                '"\\\\u2019")')


def test_check_gives_a_corpus_built_from_pandas_the_notes_reading_gives(tmp_path):
    """A corpus made with from_pandas gets no read report; check() gives it the same
    notes fs.read gives a file of the same records, and the epoch dates besides."""
    df = pd.DataFrame({
        "text": ["a multipo-\nlar world", "the collective&nbsp;West", "collective\\nWest",
                 "a plain post", "Glo-\nbal <b>Majority</b>"],
        "date": ["2023-04-29", "2023-04-29", "1970-01-01", "2023-04-30", "2023-05-01"]})
    with pytest.warns(UserWarning, match="1 of dates are 1970-01-01"):
        c = fs.Corpus.from_pandas(df)
    notes = c.check()
    assert notes[["id", "kind"]].values.tolist() == [
        ["0", "hyphenated_words"], ["1", "html_markup"], ["2", "escaped_text"],
        ["2", "epoch_date"], ["4", "hyphenated_words"], ["4", "html_markup"]]
    path = tmp_path / "posts.jsonl"
    df.to_json(path, orient="records", lines=True, force_ascii=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = fs.read(path).read_report
    texts_notes = notes[notes["kind"] != "epoch_date"]
    read_notes = read[read["kind"] != "epoch_date"]
    assert read_notes["kind"].tolist() == texts_notes["kind"].tolist()
    assert read_notes["message"].tolist() == texts_notes["message"].tolist()
    assert fs.Corpus.from_texts(["fine", "also fine"]).check().empty


def test_a_corpus_built_from_texts_warns_of_its_notes_and_reports_them():
    """from_texts, from_pandas, from_arrow and from_polars say what fs.read says of the
    same texts: one warning per kind, at the caller's line, naming the entry point and
    the first document; the rows in read_report (the source given, else the column)."""
    texts = ["a multipo-\nlar world", "the collective&nbsp;West", "collective\\nWest",
             "a plain post", "Glo-\nbal <b>Majority</b>"]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        c = fs.Corpus.from_texts(texts, sources=["a.txt", "", "c.txt", "d.txt", "e.txt"])
    assert [str(w.message).split(";")[0] for w in seen] == [
        "Corpus.from_texts found words hyphenated across line breaks (OCR'd or PDF text?) "
        "in 2 document(s)",
        "Corpus.from_texts found HTML tags or entities in 2 document(s)",
        "Corpus.from_texts found escape sequences written out (\\n, \\u2019: text escaped "
        "twice?) in 1 document(s)"]
    assert {w.filename for w in seen} == {__file__}
    assert "first: a.txt: 1 word(s) hyphenated across a line break (first: \"multipo\" + " \
           "\"lar\")" in str(seen[0].message)
    assert c.read_report[["source", "kind"]].values.tolist() == [
        ["a.txt", "hyphenated_words"], ["texts[1]", "html_markup"], ["c.txt", "escaped_text"],
        ["e.txt", "hyphenated_words"], ["e.txt", "html_markup"]]
    assert c.texts == texts  # noted, never changed

    df = pd.DataFrame({"body": texts, "date": ["2023-04-29", "nonsense", None, None, None]})
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        c = fs.Corpus.from_pandas(df, text="body", bad_dates="undated")
    assert {w.filename for w in seen} == {__file__}
    assert str(seen[0].message).startswith("1 date(s) could not be used")
    assert all(str(w.message).startswith("Corpus.from_pandas found") for w in seen[1:])
    assert c.read_report[["source", "kind"]].values.tolist() == [
        ["dates[1]", "bad_date"], ["body[0]", "hyphenated_words"], ["body[1]", "html_markup"],
        ["body[2]", "escaped_text"], ["body[4]", "hyphenated_words"],
        ["body[4]", "html_markup"]]

    pa = pytest.importorskip("pyarrow")
    for who, data in (("Corpus.from_arrow", pa.table({"text": texts})),
                      ("Corpus.from_pandas", pa.table({"text": texts}))):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            c = (fs.Corpus.from_arrow(data) if who.endswith("arrow")
                 else fs.Corpus.from_pandas(data))
        assert [str(w.message).startswith(f"{who} found") for w in seen] == [True] * 3
        assert {w.filename for w in seen} == {__file__}
        assert len(c.read_report) == 5
    pl = pytest.importorskip("polars")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        fs.Corpus.from_polars(pl.DataFrame({"text": texts}))
    assert [str(w.message).startswith("Corpus.from_polars found") for w in seen] == [True] * 3
    assert {w.filename for w in seen} == {__file__}

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # clean texts: not a word
        c = fs.Corpus.from_texts(["the collective West", "a - b\n", "R&D, a < b", "C:\\ dir"])
    assert c.read_report.empty


def test_parquet_files_get_the_notes_other_files_get(tmp_path):
    """fs.read and fs.scan of Parquet files (built through from_arrow) report the notes
    once, as their own, with each row's provenance; scan gathers them batch by batch."""
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"text": ["fine", "the collective&nbsp;West", "multipo-\nlar", "fine"],
                      "date": ["2023-01-01", "bad", "2023-01-03", "2023-01-04"]})
    pq.write_table(table, tmp_path / "posts.parquet")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        c = fs.read(tmp_path / "posts.parquet", bad_dates="undated")
    messages = [str(w.message) for w in seen]
    assert [m.split(";")[0] for m in messages] == [
        "framescope.read ignored 1 bad metadata date(s)",
        "framescope.read found words hyphenated across line breaks (OCR'd or PDF text?) in 1 "
        "document(s)",
        "framescope.read found HTML tags or entities in 1 document(s)"]
    assert {w.filename for w in seen} == {__file__}
    assert c.read_report["kind"].tolist() == ["bad_date", "html_markup", "hyphenated_words"]
    assert c.read_report["source"].tolist()[1:] == [f"{tmp_path / 'posts.parquet'}:row 2",
                                                    f"{tmp_path / 'posts.parquet'}:row 3"]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        r = fs.scan(tmp_path / "posts.parquet", {"cw": ["collective West"]}, by="year",
                    bad_dates="undated", batch_mb=1e-6)
    assert [str(w.message).split(" ")[0] for w in seen] == ["framescope.scan"] * 3
    assert sorted(r.read_report["kind"]) == ["bad_date", "html_markup", "hyphenated_words"]
