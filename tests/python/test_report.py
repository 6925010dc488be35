"""The HTML report's contents (without a browser): hand-counted numbers, the sample
bounds, escaping of every string from the corpus, the Content-Security-Policy, size,
errors and the command line. The page in a real browser: test_report_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import framescope as fs
from framescope.cli import main

DATA = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.S)
FRAMES = {"west": ["collective West"], "multi": ["multipolar*", "polycentric*"]}


def report_data(page: str) -> dict:
    return json.loads(DATA.search(page).group(1))


@pytest.fixture
def small(tmp_path):
    """Five documents whose hits and tokens are counted by hand (comments)."""
    texts = [
        "The collective West imposed sanctions. The collective West again.",  # 9 tokens, west 2
        "A multipolar world is emerging.",  # 5 tokens, multi 1
        "The Collective West’s hybrid war.",  # 5 tokens, west 1
        "Nothing here.",  # 2 tokens
        "the collective west",  # 3 tokens, west 1, undated
    ]
    corpus = fs.Corpus.from_texts(texts, dates=["2021-03-01", "2021-07-01", "2022-01-10",
                                                "2022-05-05", None],
                                  ids=["a", "b", "c", "d", "e"],
                                  meta=pd.DataFrame({"outlet": ["x", "y", "x", "y", "x"]}))
    path = tmp_path / "report.html"
    report = corpus.report(FRAMES, path, group="outlet")
    return report, path.read_text(encoding="utf-8")


def test_counts_match_the_hand_count(small):
    report, page = small
    data = report_data(page)
    assert data["frames"] == ["west", "multi"]
    assert data["periods"] == ["2021", "2022", "undated"]
    every = data["views"][""]
    assert every["hits"] == [[2, 1, 1], [1, 0, 0]]
    assert every["docs_with_hit"] == [[1, 1, 1], [1, 0, 0]]
    assert every["docs"] == [2, 2, 1]
    assert every["tokens"] == [14, 7, 3]
    assert every["per_10k"][0] == pytest.approx([2 / 14 * 1e4, 1 / 7 * 1e4, 1 / 3 * 1e4], rel=1e-5)
    assert every["doc_share"][1] == [0.5, 0.0, 0.0]
    assert every["per_10k_low"][0][0] < every["per_10k"][0][0] < every["per_10k_high"][0][0]
    assert data["groups"] == ["x", "y"]
    assert data["views"]["x"]["hits"] == [[2, 1, 1], [0, 0, 0]]
    assert data["views"]["y"]["hits"] == [[0, 0, 0], [1, 0, 0]]
    assert (report.frames, report.periods, report.contexts) == (2, 3, 4)


def test_dictionary_counts_each_pattern(small):
    data = report_data(small[1])
    west, multi = data["dictionary"]
    assert (west["frame"], west["hits"]) == ("west", 4)
    assert west["patterns"] == [{"pattern": "collective West", "hits": 4}]
    assert multi["hits"] == 1
    assert multi["patterns"] == [{"pattern": "multipolar*", "hits": 1},
                                 {"pattern": "polycentric*", "hits": 0}]


def test_contexts_name_document_period_and_passage(small):
    data = report_data(small[1])
    by_doc = {data["docs"][c["d"]]["id"]: c for c in data["contexts"]}
    assert sorted(by_doc) == ["a", "b", "c", "e"]
    c = by_doc["c"]
    assert (c["f"], c["p"], c["g"]) == (0, 1, 0)
    assert c["match"] == "Collective West’s"
    assert (c["before"], c["after"]) == ("The ", " hybrid war.")
    doc = data["docs"][c["d"]]
    assert (doc["date"], doc["date_source"], doc["meta"]) == ("2022-01-10", "metadata", {"outlet": "x"})
    assert data["docs"][by_doc["e"]["d"]]["date"] == ""
    assert by_doc["e"]["p"] == 2  # the undated document's period is "undated"


def test_reading_summary_and_run_record(small):
    data = report_data(small[1])
    reading = data["reading"]
    assert (reading["documents"], reading["tokens"]) == (5, 24)
    assert (reading["first_date"], reading["last_date"]) == ("2021-03-01", "2022-05-05")
    assert reading["date_sources"] == {"metadata": 4, "none": 1}
    record = data["record"]
    assert record["call"] == "Corpus.report"
    assert record["parent"]["call"] == "Corpus.frame_trends"
    assert record["parameters"]["group"] == "outlet"
    assert record["corpus"]["documents"] == 5
    assert fs.provenance(small[0]).call == "Corpus.report"


def test_sample_is_bounded_per_cell_and_in_all(tmp_path):
    corpus = fs.datasets.demo()
    path = tmp_path / "r.html"
    r = corpus.report(fs.Frames.builtin(), path, per_period=3)
    data = report_data(path.read_text(encoding="utf-8"))
    cells = pd.DataFrame([(c["f"], c["p"]) for c in data["contexts"]], columns=["f", "p"])
    assert cells.value_counts().max() == 3
    hits = data["views"][""]["docs_with_hit"]
    # every (frame, period) cell with hits has min(3, documents with a hit) lines
    for (f, p), n in cells.value_counts().items():
        assert n == min(3, hits[f][p])
    assert len(cells) == sum(min(3, h) for row in hits for h in row) == r.contexts
    small = corpus.report(fs.Frames.builtin(), tmp_path / "s.html", max_contexts=50)
    assert small.contexts == 50  # 57 cells with hits, at most 50 lines: a hard limit


def test_demo_report_is_small_and_same_for_same_seed(tmp_path):
    corpus = fs.datasets.demo().dedup()
    a = corpus.report(fs.Frames.builtin(), tmp_path / "a.html", group="channel")
    corpus.report(fs.Frames.builtin(), tmp_path / "b.html", group="channel")
    assert a.bytes < 3_000_000
    da, db = (report_data((tmp_path / n).read_text(encoding="utf-8")) for n in ("a.html", "b.html"))
    assert da["contexts"] == db["contexts"]
    corpus.report(fs.Frames.builtin(), tmp_path / "c.html", group="channel", seed=2)
    assert report_data((tmp_path / "c.html").read_text(encoding="utf-8"))["contexts"] != da["contexts"]


INJECTIONS = [
    "</script><img src=x onerror=\"window.__pwned=1\">",
    "<script>alert('x')</script>",
    "<!-- <script> --> & &amp; \u2028 {{data}}",
    "\"><svg onload=alert(1)>",
]


def injected_corpus():
    texts = [f"The collective West {s} said {s} the collective West." for s in INJECTIONS]
    return fs.Corpus.from_texts(
        texts, dates=["2021-01-01", "2021-06-01", "2022-01-01", "2022-06-01"],
        ids=[f"id{i}{s}" for i, s in enumerate(INJECTIONS)],
        meta=pd.DataFrame({"outlet": INJECTIONS}))


def test_injected_strings_are_data_not_markup(tmp_path):
    frames = fs.Frames({"west <img src=x onerror=alert(3)>": ["collective West"]}, name="</title><script>x")
    path = tmp_path / "r.html"
    injected_corpus().report(frames, path, group="outlet", title="<b>title</b></title>")
    page = path.read_text(encoding="utf-8")
    # only the page's own three scripts and one style block; no markup from the data
    assert len(re.findall(r"<script\b", page)) == 3
    assert len(re.findall(r"</script>", page)) == 3
    outside_scripts = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.S)
    assert "<img" not in outside_scripts and "<svg" not in outside_scripts
    assert "<b>" not in outside_scripts and "alert" not in outside_scripts
    assert "<" not in DATA.search(page).group(1)
    assert "<title>&lt;b&gt;title&lt;/b&gt;&lt;/title&gt;</title>" in page
    data = report_data(page)
    assert data["title"] == "<b>title</b></title>"
    assert data["frames"] == ["west <img src=x onerror=alert(3)>"]
    assert data["groups"] == sorted(INJECTIONS)
    assert {d["id"] for d in data["docs"]} == {f"id{i}{s}" for i, s in enumerate(INJECTIONS)}
    assert {d["meta"]["outlet"] for d in data["docs"]} == set(INJECTIONS)
    passages = [c["before"] + c["match"] + c["after"] for c in data["contexts"]]
    assert sorted(passages) == sorted(f"The collective West {s} said {s} the collective West."
                                      for s in INJECTIONS)
    assert data["dictionary_name"] == "</title><script>x"


def test_policy_allows_only_the_pages_own_blocks(small):
    page = small[1]
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
    csp = csp.replace("&#x27;", "'")
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert "unsafe" not in csp and "http" not in csp and "*" not in csp

    def source(text):
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(scripts) == 2 and len(styles) == 1
    assert directives["script-src"].split() == [source(s) for s in scripts]
    assert directives["style-src"].split() == [source(s) for s in styles]
    # nothing in the page refers to the network
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "sourceMappingURL" not in page


def test_bad_arguments_are_errors(tmp_path):
    corpus = fs.datasets.demo()
    with pytest.raises(ValueError, match="group must be a metadata column.*'lang'"):
        corpus.report(FRAMES, tmp_path / "r.html", group="party")
    with pytest.raises(ValueError, match="a second key goes in group="):
        corpus.report(FRAMES, tmp_path / "r.html", by=["channel", "year"])
    with pytest.raises(ValueError, match="per_period must be an int >= 1"):
        corpus.report(FRAMES, tmp_path / "r.html", per_period=0)
    with pytest.raises(ValueError, match="by must be a calendar period"):
        corpus.report(FRAMES, tmp_path / "r.html", by="party")
    with pytest.raises(ValueError, match=r"would hold 101,960 frame x period x group cells.*coarser by="):
        corpus.report(fs.Frames.builtin(), tmp_path / "r.html", by="day")  # 20 frames x (5,097 days from 2012-01-06 to 2025-12-19 + "undated")
    with pytest.raises(FileNotFoundError):
        corpus.report(FRAMES, tmp_path / "missing" / "r.html")
    assert not (tmp_path / "r.html").exists()


def test_metadata_grouping_and_no_dates(tmp_path):
    corpus = fs.Corpus.from_texts(["collective West", "no", "the collective West twice collective West"],
                                  meta=pd.DataFrame({"outlet": ["b", "a", "b"]}))
    corpus.report(FRAMES, tmp_path / "r.html", by="outlet")
    data = report_data((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert data["periods"] == ["a", "b"] and data["calendar"] is False
    assert data["views"][""]["hits"][0] == [0, 3]
    assert {c["p"] for c in data["contexts"]} == {1}


def test_command_line_writes_the_report(tmp_path, capsys):
    out = tmp_path / "cli.html"
    assert main(["report", "--group", "channel", "--per-period", "2", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "wrote" in err and "open it in a browser" in err
    data = report_data(out.read_text(encoding="utf-8"))
    assert data["group"] == "channel" and data["record"]["parameters"]["per_period"] == 2
    assert main(["report", "--group", "nope", "-o", str(out)]) == 1
    assert "group must be a metadata column" in capsys.readouterr().err


def test_reading_summary_counts_documents_per_file(tmp_path):
    (tmp_path / "a.jsonl").write_text("".join(
        f'{{"text": "collective West {i}", "date": "2023-0{i + 1}-01"}}\n' for i in range(3)), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "x", "date": "2023-01-01"}\n{"text": "On May 4, 2023, y"}\n',
                                      encoding="utf-8")
    corpus = fs.read(tmp_path)
    corpus.report(FRAMES, tmp_path / "r.html")
    reading = report_data((tmp_path / "r.html").read_text(encoding="utf-8"))["reading"]
    files = {Path(f).name: int(n) for f, n in reading["sources"]["rows"]}
    assert files == {"a.jsonl": 3, "b.jsonl": 2}
    assert reading["date_sources"] == {"metadata": 4, "none": 1}  # a JSONL record without a date field
