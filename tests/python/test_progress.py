"""Progress bars: fed by the core's counter of documents, shown or not as asked, one at a time."""

from __future__ import annotations

import json

import pytest

import framescope as fs
from framescope import _core


@pytest.fixture(autouse=True)
def reset():
    yield
    fs.set_progress(None)


def fresh(n: int) -> fs.Corpus:
    return fs.Corpus.from_texts([f"the collective West, post {i}" for i in range(n)],
                                dates=["2023-01-01"] * n)


def test_the_core_counts_each_document_it_tokenizes_once():
    c = fresh(1_000)
    before = _core.progress_done()
    c.term_frequencies()
    assert _core.progress_done() - before == 1_000
    before = _core.progress_done()
    c.term_frequencies()  # tokens cached: nothing to count
    assert _core.progress_done() - before == 0


def test_a_bar_shows_the_documents_matched_when_asked(capsys):
    c = fresh(2_000)
    c.frame_trends(fs.Frames.builtin(), progress=True)
    err = capsys.readouterr().err
    assert "matching frames" in err and "2000/2000" in err


def test_no_bar_when_switched_off_here_or_globally(capsys):
    c = fresh(500)
    c.frame_trends(fs.Frames.builtin(), progress=False)
    fs.set_progress(False)
    c.dedup()
    assert capsys.readouterr().err == ""
    fs.set_progress(True)
    c.dedup()
    assert "cleaning" in capsys.readouterr().err
    with pytest.raises(ValueError, match="progress must be None, True or False"):
        c.frame_trends(fs.Frames.builtin(), progress="yes")
    with pytest.raises(ValueError, match="show must be None"):
        fs.set_progress(1)


def test_a_scan_shows_one_bar_counting_its_documents(tmp_path, capsys):
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps({"text": f"the Global Majority {i}", "date": "2024-01-01"})
                            + "\n" for i in range(3_000)))
    r = fs.scan(path, fs.Frames.builtin(), batch_mb=0.02, progress=True)
    err = capsys.readouterr().err
    assert r.batches > 3
    assert "scanning" in err and "3000" in err
    assert "matching frames" not in err and "cleaning" not in err  # inner bars not drawn


def test_read_shows_a_running_count(tmp_path, capsys):
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps({"text": f"post {i}"}) + "\n" for i in range(1_200)))
    assert len(fs.read(path, progress=True)) == 1_200
    assert "reading" in capsys.readouterr().err


def test_dask_and_bootstrap_show_their_bars(capsys):
    dd = pytest.importorskip("dask.dataframe")
    fsd = pytest.importorskip("framescope.dask")
    import pandas as pd

    frame = pd.DataFrame({"text": [f"the collective West {i}" for i in range(400)],
                          "date": ["2023-01-01", "2024-01-01"] * 200})
    fsd.frame_trends(dd.from_pandas(frame, npartitions=4), fs.Frames.builtin(), progress=True)
    err = capsys.readouterr().err
    assert "partitions" in err and "4/4" in err
    fs.set_progress(True)
    fresh(300).frame_trends({"west": ["collective West"]}, bootstrap=200)
    assert "bootstrap" in capsys.readouterr().err


def test_tokenizing_a_corpus_shows_a_bar(capsys):
    fs.set_progress(True)
    fresh(700).term_frequencies()
    err = capsys.readouterr().err
    assert "tokenizing and counting" in err and "700/700" in err
