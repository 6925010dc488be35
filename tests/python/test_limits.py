"""Issue 15 (partly): inputs that blew up memory or gave bare Python errors."""

import numpy as np
import pytest

import framescope as fs


def test_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    # "Billion laughs" through the quanteda layout: 9 levels of 9 aliases is 9**9 frames.
    lines = ["a0: &a0 [x]"]
    for k in range(1, 10):
        lines.append(f"a{k}: &a{k} {{{', '.join(f'k{j}: *a{k - 1}' for j in range(9))}}}")
    lines.append("bomb: *a9")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size < 2000
    with pytest.raises(ValueError, match=r"bomb\.yaml: the dictionary expands to more than 1,000,000"):
        fs.Frames.from_file(path)
    # Anchors used as intended still work.
    (tmp_path / "ok.yaml").write_text("west: &w [collective West]\nwest2: *w\n", encoding="utf-8")
    assert fs.Frames.from_file(tmp_path / "ok.yaml").names == ["west", "west2"]


def test_latin1_dictionary_is_a_clear_error(tmp_path):
    (tmp_path / "l1.yaml").write_bytes("café: [café]\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"l1\.yaml: not UTF-8 \(invalid byte at offset 3\)"):
        fs.Frames.from_file(tmp_path / "l1.yaml")


def test_corpus_indexing_edge_cases():
    c = fs.Corpus.from_texts(["a", "b", "c"])
    assert len(c[[]]) == 0
    assert c[[-1, 0]].texts == ["c", "a"]
    with pytest.raises(IndexError, match="document -100 out of range for 3 documents"):
        c[[-100]]
    with pytest.raises(IndexError, match="document 3 out of range"):
        c[np.array([0, 3])]


def test_numpy_scalars_are_accepted_as_numbers():
    c = fs.Corpus.from_texts(["the West", "the West", "other"])
    assert len(c.dedup(threshold=np.float32(0.5))) == 2


def test_thread_count_is_capped_with_a_warning():
    try:
        with pytest.warns(UserWarning, match=r"set_num_threads\(10000\): capped at"):
            fs.set_num_threads(10000)
        assert 8 <= fs.get_num_threads() < 10000
        with pytest.raises(ValueError, match="non-negative int"):
            fs.set_num_threads(-1)
    finally:
        fs.set_num_threads(0)


FORK_SCRIPT = r"""
import multiprocessing, sys
import framescope as fs

TEXTS = [f"the collective West and the Global Majority, text {i}" for i in range(20000)]
DATES = [f"{2015 + i % 10}-06-01" for i in range(20000)]
FRAMES = {"west": ["collective West"], "majority": ["Global Majority"]}

def trend(_):
    t = fs.Corpus.from_texts(TEXTS, dates=DATES).frame_trends(FRAMES, by="year")
    return t[["period", "frame", "hits", "docs"]].to_dict("list")

if __name__ == "__main__":
    fs.set_num_threads(int(sys.argv[1]))
    want = trend(0)  # the parent's pool has run
    with multiprocessing.get_context("fork").Pool(4) as pool:
        got = pool.map(trend, range(4))
    assert all(g == want for g in got), "children differ"
    print("ok", sum(want["hits"]))
"""


@pytest.mark.parametrize("threads", [0, 2])
def test_forked_children_use_framescope_normally(tmp_path, threads):
    import subprocess
    import sys

    script = tmp_path / "fork_check.py"
    script.write_text(FORK_SCRIPT, encoding="utf-8")
    r = subprocess.run([sys.executable, str(script), str(threads)], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["ok", "40000"]


def test_lone_surrogates_like_scikit_learn_in_vectorizers_named_elsewhere():
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    # A bad JSON escape ("\ud800") leaves a lone surrogate in a Python str.
    docs = ["the \ufffd West\ud800s sanctions", "sanctions again", "\udcff"]
    for ours, theirs in [(fs.CountVectorizer(), CountVectorizer()),
                         (fs.TfidfVectorizer(), TfidfVectorizer())]:
        a, b = ours.fit_transform(docs), theirs.fit_transform(docs)
        assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
        assert abs(a - b).max() < 1e-12
    with pytest.raises(ValueError, match="text 1 holds a lone surrogate .* at character 7"):
        fs.Corpus.from_texts(["ok", "bad \ufffd x\ud800"])


def test_an_outlying_date_does_not_blow_up_the_trend(tmp_path):
    # 1,000 documents from 2023 and one from 1066 (a history post), by day: the span is
    # 349,000 days; only days with documents are rows, with a warning.
    texts = ["the collective West"] * 1000 + ["the Norman conquest"]
    dates = [f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(1000)] + ["1066-10-14"]
    c = fs.Corpus.from_texts(texts, dates=dates)
    with pytest.warns(UserWarning, match=r"dates run from 1066-10-14 to 2023-12-28 .* only 85 days hold"):
        t = c.frame_trends({"w": ["collective West"]}, by="day")
    assert len(t) == 85 and t["docs"].sum() == 1001 and t["hits"].sum() == 1000
    # The same rows through fs.scan.
    path = tmp_path / "p.jsonl"
    import json
    path.write_text("".join(json.dumps({"text": x, "date": d}) + "\n" for x, d in zip(texts, dates, strict=True)))
    with pytest.warns(UserWarning, match="left out"):
        s = fs.scan(path, {"w": ["collective West"]}, by="day", terms=False, clean=False)
    assert list(s.trends["period"]) == list(t["period"]) and list(s.trends["hits"]) == list(t["hits"])
    # Ordinary gaps still show: two years apart by year.
    t2 = fs.Corpus.from_texts(["a", "b"], dates=["2020-01-01", "2023-01-01"]).frame_trends({"a": ["a"]})
    assert list(t2["period"]) == ["2020", "2021", "2022", "2023"]


def test_glob_expansion_is_capped_for_the_whole_dictionary():
    # 800 "a…" and 800 "b…" words: "a* b*" is 640,000 sequences, under the per-pattern
    # cap; four such patterns together pass the dictionary cap of 2,000,000.
    text = " ".join(f"a{i} b{i}" for i in range(800))
    c = fs.Corpus.from_texts([text])
    assert c.frame_counts({"one": ["a* b*"]})["one"].iloc[0] == 800
    frames = {f"f{k}": ["a* b*"] for k in range(4)}
    with pytest.raises(ValueError, match=r"together expand to more than 2000000 token sequences"):
        c.frame_counts(frames)
