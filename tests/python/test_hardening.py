"""Hardening: panics become exceptions, Ctrl-C stops long work, results do not depend on
threads, and the bad-input matrix (issue 8): each row gives a correct result or a clear
exception, and nothing is dropped without a report."""

from __future__ import annotations

import gzip
import json
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framescope as fs
from framescope import _core

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "corpus" / "mfa-en"


# ------------------------------------------------------------------ panics
def test_a_panic_in_core_work_raises_framescope_error():
    with pytest.raises(fs.FramescopeError, match="internal error .*deliberate panic in document 5000"):
        _core._panic_in_core()
    # The library still works afterwards.
    assert fs.Corpus.from_texts(["the collective West"]).n_tokens.tolist() == [3]


# ------------------------------------------------------------------ Ctrl-C
@pytest.mark.parametrize("job", ["vectorize", "frames", "dedup"])
def test_sigint_stops_a_long_job_within_a_second(job):
    """SIGINT during a call that takes seconds: KeyboardInterrupt, and the process is gone
    within 1 s (the core checks for cancellation per document; without it, the call would
    run on to its end)."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "scripts" / "long_job.py"), job],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(1.2)  # inside the first call, which takes about 2 s
        proc.send_signal(signal.SIGINT)
        sent = time.time()
        out, err = proc.communicate(timeout=30)
        exited = time.time() - sent
    finally:
        proc.kill()
    caught = [line for line in out.splitlines() if line.startswith("KeyboardInterrupt caught")]
    assert caught, (out, err[-2000:])
    assert float(caught[0].split()[-1]) - sent < 0.75, out
    assert exited < 1.0, f"exit took {exited:.2f} s"
    assert "KeyboardInterrupt" in err and proc.returncode != 0


# ------------------------------------------------------------------ determinism
def _results() -> dict:
    demo = fs.datasets.demo()
    frames = fs.Frames.builtin()
    texts = list(demo.texts)
    tfidf = fs.TfidfVectorizer(ngram_range=(1, 2), min_df=2).fit_transform(texts)
    counts = fs.CountVectorizer(max_features=500).fit_transform(texts)
    cleaned = demo.dedup()
    mask = (demo.dates.dt.year >= 2022).to_numpy()
    out = {
        "tfidf": (tfidf.indptr, tfidf.indices, tfidf.data),
        "counts": (counts.indptr, counts.indices, counts.data),
        "tokens": [demo.tokens(i) for i in range(0, len(demo), 97)],
        "n_tokens": demo.n_tokens,
        "frame_counts": demo.frame_counts(frames),
        "trends": pd.DataFrame(demo.frame_trends(frames, by="year")),
        "bootstrap": pd.DataFrame(demo.frame_trends(frames, by="year", bootstrap=100)),
        "terms": demo.term_frequencies(ngram=2, top=300),
        "kwic": pd.DataFrame(demo.kwic(frames, window=5)),
        "dedup": (cleaned.ids, cleaned.dedup_report),
        "keyness": fs.keyness(demo, mask).head(200),
        "collocations": demo.collocations(size=2).head(200),
    }
    if SEED.exists():
        seed = fs.read(SEED)
        out["read"] = (seed.ids, seed.texts, seed.to_pandas())
    return out


def _same(a, b, where=""):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), where
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b), where
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{k}]")
    else:
        assert a == b, where


def test_results_are_bit_identical_with_1_2_and_8_threads_and_across_runs():
    before = fs.get_num_threads()
    try:
        fs.set_num_threads(1)
        want = _results()
        for n in (2, 8, 2):  # 2 twice: the same across runs, too
            fs.set_num_threads(n)
            got = _results()
            for key in want:
                _same(got[key], want[key], f"{key} with {n} threads")
    finally:
        fs.set_num_threads(0 if before == 0 else before)


# ------------------------------------------------------------------ bad-input matrix
def test_invalid_utf8_names_file_and_byte(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"the collective \xff West")
    with pytest.raises(fs.InputError, match=r"bad\.txt: invalid UTF-8 at byte 15"):
        fs.read(path)
    corpus = fs.read(path, encoding_errors="replace")  # opt-in, and reported
    assert corpus.texts == ["the collective \ufffd West"]
    assert corpus.read_report["kind"].tolist() == ["replaced_utf8"]


def test_invalid_utf8_deep_in_mixed_text_is_found_at_its_byte(tmp_path):
    # The check runs 64 bytes at a time (SIMD): a bad sequence far into Cyrillic and
    # Latin text, a Cyrillic letter cut in two, is still named at its first byte.
    good = ("«Коллективный Запад» and the collective West. " * 2000).encode()
    path = tmp_path / "deep.txt"
    path.write_bytes(good + "Запад".encode()[:3] + b" West")
    with pytest.raises(fs.InputError, match=rf"deep\.txt: invalid UTF-8 at byte {len(good) + 2}"):
        fs.read(path)
    path.write_bytes(good)
    assert fs.read(path).texts == [good.decode().strip()]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_read(tmp_path, codec):
    path = tmp_path / "u16.txt"
    path.write_bytes("\ufeffthe collective West, коллективный Запад".encode(codec))
    corpus = fs.read(path)
    assert corpus.texts == ["the collective West, коллективный Запад"]
    assert corpus.n_tokens.tolist() == [5]


def test_nul_bytes(tmp_path):
    # In a text file: not text; said so, with the offset.
    (tmp_path / "nul.txt").write_bytes(b"the collective\x00 West")
    with pytest.raises(fs.InputError, match=r"nul\.txt: looks like a binary file \(NUL byte at offset 14\)"):
        fs.read(tmp_path / "nul.txt")
    # Inside a JSON string or a Python str: kept, and a word boundary.
    (tmp_path / "nul.jsonl").write_text('{"text": "the collective\\u0000West"}\n')
    corpus = fs.read(tmp_path / "nul.jsonl")
    assert corpus.texts == ["the collective\x00West"]
    assert corpus.tokens(0) == ["the", "collective", "west"]
    assert fs.Corpus.from_texts(["a\x00b"]).tokens(0) == ["a", "b"]


def test_a_100_mb_single_document():
    doc = "the collective West " * 5_000_000  # 100 MB, 15 M tokens
    corpus = fs.Corpus.from_texts([doc])
    assert corpus.n_tokens.tolist() == [15_000_000]
    counts = corpus.frame_counts({"cw": ["collective west"]})
    assert counts["cw"].tolist() == [5_000_000]
    X = fs.CountVectorizer().fit_transform([doc])
    assert X.shape == (1, 3) and X.toarray().tolist() == [[5_000_000, 5_000_000, 5_000_000]]


def test_a_million_one_word_documents():
    texts = ["west", "majority", "запад", ""] * 250_000
    corpus = fs.Corpus.from_texts(texts)
    assert len(corpus) == 1_000_000
    assert int(corpus.n_tokens.sum()) == 750_000
    counts = corpus.frame_counts({"west": ["west", "запад"]})
    assert len(counts) == 1_000_000 and int(counts["west"].sum()) == 500_000
    X = fs.CountVectorizer().fit_transform(texts)
    assert X.shape == (1_000_000, 3) and X.nnz == 750_000
    assert np.diff(X.indptr)[3] == 0  # empty documents are empty rows, not dropped


def test_empty_corpus():
    corpus = fs.Corpus.from_texts([])
    assert len(corpus) == 0
    assert len(corpus.frame_trends(fs.Frames.builtin())) == 0
    assert corpus.frame_counts(fs.Frames.builtin()).shape == (0, 20)
    assert len(corpus.term_frequencies()) == 0
    assert len(corpus.dedup()) == 0
    with pytest.raises(ValueError, match="empty vocabulary"):
        fs.CountVectorizer().fit_transform([])


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(fs.InputError, match="no .*files"):
        fs.read(tmp_path)


def test_all_stop_word_documents():
    corpus = fs.Corpus.from_texts(["the and of", "и в на", "of the"])
    assert corpus.n_tokens.tolist() == [3, 3, 2]  # counted, not dropped
    assert len(corpus.term_frequencies(stop_words="auto")) == 0
    with pytest.raises(ValueError, match="empty vocabulary; perhaps the documents only contain stop words"):
        fs.TfidfVectorizer(stop_words="english").fit_transform(["the and of", "of the"])


def test_extremely_long_tokens():
    token = "x" * 1_000_000
    corpus = fs.Corpus.from_texts([f"a {token} b", token])
    assert [len(t) for t in corpus.tokens(0)] == [1, 1_000_000, 1]
    assert corpus.term_frequencies().set_index("term").loc[token, "count"] == 2
    kwic = corpus.kwic({"long": [token]}, window=1)
    assert len(kwic) == 2 and kwic["match"].str.len().tolist() == [1_000_000, 1_000_000]
    X = fs.CountVectorizer().fit_transform([f"a {token} b"])
    assert X.shape == (1, 1)  # scikit-learn's token pattern skips one-letter words


def test_right_to_left_combining_and_joiners():
    c = fs.Corpus.from_texts([
        "שָׁלוֹם עולם مرحبا بالعالم",
        "e\u0301te\u0301 Мои\u0306 cafe\u0301",   # decomposed: composed (NFC) as tokens
        "multi\u00adpolar a\u200db \u200ecollective\u200f West",  # soft hyphen, ZWJ, direction marks
        "👨\u200d👩\u200d👧 family 🇷🇺",
    ])
    assert c.tokens(0) == ["שָׁלוֹם", "עולם", "مرحبا", "بالعالم"]
    assert c.tokens(1) == ["été", "мой", "café"]
    assert c.tokens(2) == ["multipolar", "ab", "collective", "west"]
    assert c.tokens(3) == ["family"]
    assert c.frame_counts({"mp": ["multipolar"], "cw": ["collective west"]}).loc["2"].tolist() == [1, 1]


def test_emoji_only_posts_are_kept_and_reported_when_cleaned():
    corpus = fs.Corpus.from_texts(["🇷🇺🔥👍", "the collective West"])
    assert len(corpus) == 2 and corpus.n_tokens.tolist() == [0, 3]
    cleaned = corpus.dedup()
    assert cleaned.ids == ["1"]
    report = cleaned.dedup_report
    assert report[["id", "action"]].values.tolist() == [["0", "empty"]]


def test_malformed_json_and_csv_name_file_and_line(tmp_path):
    (tmp_path / "bad.jsonl").write_text('{"text": "a"}\n{"text": "b"\n')
    with pytest.raises(fs.InputError, match=r"bad\.jsonl:2: malformed JSON"):
        fs.read(tmp_path / "bad.jsonl")
    with pytest.warns(UserWarning, match="skipped 1"):
        skipped = fs.read(tmp_path / "bad.jsonl", errors="skip")
    assert skipped.texts == ["a"] and len(skipped.read_report) == 1
    (tmp_path / "bad.csv").write_text('text,date\n"a,2020-01-01\n')
    with pytest.raises(fs.InputError, match=r"bad\.csv:2"):
        fs.read(tmp_path / "bad.csv")
    with gzip.open(tmp_path / "trunc.jsonl.gz", "wb") as f:
        f.write(b'{"text": "a"}\n' * 1000)
    data = (tmp_path / "trunc.jsonl.gz").read_bytes()
    (tmp_path / "trunc.jsonl.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(fs.InputError, match=r"trunc\.jsonl\.gz"):
        fs.read(tmp_path / "trunc.jsonl.gz")


def test_a_dictionary_of_10000_patterns():
    patterns = {f"f{k}": [f"term{k} west", f"term{k}-majority", f"срок{k} запад*"] for k in range(3334)}
    frames = fs.Frames(patterns)
    texts = [f"term{k} West and term{k} majority, срок{k} западом" for k in range(0, 3334, 7)]
    counts = fs.Corpus.from_texts(texts).frame_counts(frames)
    assert counts.shape == (len(texts), 3334)
    assert int(counts.to_numpy().sum()) == 3 * len(texts)
    for row, k in enumerate(range(0, 3334, 7)):
        assert counts.iloc[row][f"f{k}"] == 3


def test_a_pattern_that_matches_nothing():
    corpus = fs.Corpus.from_texts(["the collective West", "мировое большинство"])
    counts = corpus.frame_counts({"none": ["zzqx qqzz", "нетакого*", "/x{40}/"], "cw": ["collective west"]})
    assert counts["none"].tolist() == [0, 0] and counts["cw"].tolist() == [1, 0]


def test_dates_in_the_future_and_before_1900_are_kept_exactly():
    dates = ["2150-01-01", "1850-05-01", "1066-10-14", "9999-12-31", None]
    with pytest.raises(ValueError, match="position 0: \"2150-01-01\" is outside the plausible range"):
        fs.Corpus.from_texts(["the West"] * 4 + ["undated"], dates=dates)
    corpus = fs.Corpus.from_texts(["the West"] * 4 + ["undated"], dates=dates,
                                  date_range=(1, 9999))
    dates = corpus.to_pandas()["date"]
    assert [d.date().isoformat() if pd.notna(d) else None for d in dates] == \
        ["2150-01-01", "1850-05-01", "1066-10-14", "9999-12-31", None]
    trend = pd.DataFrame(corpus.frame_trends({"w": ["west"]}, by="year"))
    hits = trend.set_index("period")["hits"]
    assert hits[["1066", "1850", "2150", "9999"]].tolist() == [1, 1, 1, 1]
    assert hits.sum() == 4 and trend["docs"].sum() == 5  # the undated document has its own row
    with pytest.raises(ValueError, match="position 1"):
        fs.Corpus.from_texts(["a", "b"], dates=["2020-01-01", "20200-99-99"])


def test_records_with_wrong_types_name_the_record(tmp_path):
    (tmp_path / "t.jsonl").write_text(json.dumps({"text": 5}) + "\n")
    with pytest.raises(fs.InputError, match=r"t\.jsonl:1"):
        fs.read(tmp_path / "t.jsonl")
    with pytest.raises(TypeError, match="document 1 is None"):
        fs.CountVectorizer().fit_transform(["a b", None])
    with pytest.raises(TypeError, match="text 2 has type int"):
        fs.Corpus.from_texts(["a", "b", 3])


def test_pickled_corpus_round_trips_exactly():
    demo = fs.datasets.demo()
    again = pickle.loads(pickle.dumps(demo))
    assert again.texts == demo.texts and again.ids == demo.ids
    pd.testing.assert_frame_equal(again.to_pandas(), demo.to_pandas())


def test_nan_in_jsonl_gets_a_hint(tmp_path):
    (tmp_path / "nan.jsonl").write_text('{"text": "a", "date": "2020-01-01"}\n{"text": "b", "date": NaN}\n')
    with pytest.raises(fs.InputError, match=r"nan\.jsonl:2: malformed JSON .*NaN and Infinity are not JSON"):
        fs.read(tmp_path / "nan.jsonl")
