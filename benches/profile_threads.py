"""Where the main path's time goes at a given thread count: `TfidfVectorizer().fit_transform`
step by step (from a list of str and from a pandas ``str`` Series) and `Corpus.from_texts` +
`frame_trends`, each step's wall time, the process's CPU time over all threads and the
calling thread's own CPU time. A step whose CPU over wall stays near 1 at 16 threads is
serial; one whose calling-thread CPU is near its wall is bound by the GIL's thread.

Run once per thread count, on a corpus of ``make bench`` (``target/bench/KIND_100mb.txt``):

    RAYON_NUM_THREADS=16 .venv/bin/python benches/profile_threads.py short

At 8 threads or more it also prints the frame-trends call's profile (cProfile, by own time).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale as bs  # noqa: E402

import framescope as fs  # noqa: E402
from framescope import _core, vectorize  # noqa: E402

ROWS: list[tuple[str, float, float, float]] = []


class Step:
    """Times the block it wraps: wall, process CPU (all threads), calling thread's CPU."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        self.start = (time.perf_counter(), time.process_time(), time.thread_time())

    def __exit__(self, *exc) -> None:
        wall, cpu, main = (now - then for now, then in zip(
            (time.perf_counter(), time.process_time(), time.thread_time()), self.start, strict=True))
        ROWS.append((self.name, wall, cpu, main))


def tfidf_steps(docs_in, tag: str) -> tuple[int, int]:
    """`TfidfVectorizer().fit_transform` and its feature names, as the method runs them."""
    v = fs.TfidfVectorizer()
    with Step(f"{tag} total"):
        docs = vectorize._documents(docs_in)
        v._validate_fs_params()
        v._validate_vocabulary()
        analyzer = v._analyzer_core()
        with Step(f"{tag}  count (fit)"):
            counts = _core.count_fit_docs(docs, analyzer)
        with Step(f"{tag}  doc_freq"):
            dfs = counts.doc_freq()
        v._set_terms(counts.terms())
        v._fit_weights(dfs, counts.shape[0])
        idf = np.ascontiguousarray(v._idf, dtype=np.float64)
        with Step(f"{tag}  layout + names"):
            m = counts.tfidf(idf, v.norm, False, False, "float64", names=v._wants_names(True))
        v._names = m.get("names")
        X = sp.csr_matrix((m["data"], m["indices"], m["indptr"]), shape=counts.shape, copy=False)
        names = v.get_feature_names_out()
    return X.nnz, len(names)


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "short"
    threads = os.environ.get("RAYON_NUM_THREADS", "all")
    texts, dates = bs.load(bs.make_corpus(100, kind))
    tfidf_steps(texts[:200], "warm-up")
    ROWS.clear()
    listed = tfidf_steps([t.encode().decode() for t in texts], "TF-IDF list")
    import pandas as pd
    series = tfidf_steps(pd.Series(texts, dtype="str"), "TF-IDF Series")
    assert listed == series, (listed, series)
    frames = fs.Frames(bs.FRAMES)
    fs.Corpus.from_texts(texts[:200], dates=dates[:200]).frame_trends(frames, by="year")
    fresh = [t.encode().decode() for t in texts]
    prof = cProfile.Profile()
    with Step("frames total"):
        prof.enable()
        with Step("frames  from_texts"):
            corpus = fs.Corpus.from_texts(fresh, dates=dates)
        with Step("frames  frame_trends"):
            corpus.frame_trends(frames, by="year")
        prof.disable()
    print(f"== {kind}, RAYON_NUM_THREADS={threads}: TF-IDF nnz, terms = {listed}")
    print(f"{'step':26s} {'wall s':>7s} {'CPU s':>7s} {'main s':>7s} {'CPU/wall':>8s}")
    for name, wall, cpu, main in ROWS:
        print(f"{name:26s} {wall:7.3f} {cpu:7.3f} {main:7.3f} {cpu / max(wall, 1e-9):8.1f}")
    if threads.isdigit() and int(threads) >= 8:
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(14)
        print(out.getvalue())


if __name__ == "__main__":
    main()
