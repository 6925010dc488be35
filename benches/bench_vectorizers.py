"""framescope vs scikit-learn: CountVectorizer and TfidfVectorizer, identical output checked.

Usage: python benches/bench_vectorizers.py --sizes 100 --repeat 5 --out BENCHMARKS.md

Protocol: one warm-up run each; every timed framescope run gets fresh ``str``
objects (so it pays Python's UTF-8 conversion, as a user's first call does).
Runs are interleaved (scikit-learn, then framescope, repeated) so that both see
the same machine conditions on a shared VM; medians and minima are reported.
Before timing, the two outputs are compared: same vocabulary, max |difference|
<= 1e-12.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction import text as sk

sys.path.insert(0, str(Path(__file__).parent))
import framescope as fs  # noqa: E402

from corpus_gen import generate  # noqa: E402
from mdblock import write_block  # noqa: E402

TASKS = [
    ("CountVectorizer()", "Count", {}),
    ("TfidfVectorizer()", "Tfidf", {}),
    ("TfidfVectorizer(ngram_range=(1,2), min_df=2, sublinear_tf=True)", "Tfidf",
     {"ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True}),
]
CORPORA = [("English (ASCII)", 0.0), ("English + Russian (70/30 lexicon)", 0.3)]
BEGIN, END = "<!-- bench:vectorizers:begin -->", "<!-- bench:vectorizers:end -->"


def fresh(docs: list[str]) -> list[str]:
    return [d.encode().decode() for d in docs]


def timed(fn, docs) -> float:
    t = time.perf_counter()
    fn(docs)
    return time.perf_counter() - t


def interleaved(f_sk, f_fs, docs, repeat: int) -> tuple[list[float], list[float]]:
    """Alternating runs: scikit-learn on ``docs``, framescope on fresh copies of them."""
    f_sk(docs)
    f_fs(fresh(docs))  # warm-up
    sk_times, fs_times = [], []
    for _ in range(repeat):
        sk_times.append(timed(f_sk, docs))
        fs_times.append(timed(f_fs, fresh(docs)))
    return sk_times, fs_times


def check_identical(kind: str, params: dict, docs: list[str]) -> float:
    ours = getattr(fs, kind + "Vectorizer")(**params)
    theirs = getattr(sk, kind + "Vectorizer")(**params)
    A, B = ours.fit_transform(docs), theirs.fit_transform(docs)
    if list(ours.get_feature_names_out()) != list(theirs.get_feature_names_out()):
        raise SystemExit(f"vocabularies differ for {kind} {params}")
    d = abs(A - B)
    worst = float(d.max()) if d.nnz else 0.0
    if worst > 1e-12:
        raise SystemExit(f"outputs differ by {worst} for {kind} {params}")
    return worst


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=float, nargs="+", default=[100.0], help="corpus sizes in MB")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=None, help="update this Markdown file")
    args = ap.parse_args()

    lines = [
        BEGIN,
        f"Command: `make bench` (`python benches/bench_vectorizers.py --sizes "
        f"{' '.join(f'{s:g}' for s in args.sizes)} --repeat {args.repeat}`)",
        f"Machine: {os.cpu_count()} cores, {cpu_model()}; Python {platform.python_version()}, "
        f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; framescope threads: "
        f"{fs.get_num_threads()}.",
        "",
        "| corpus | MB | docs | task | scikit-learn s (median / min) | framescope s (median / min) "
        "| speed-up (medians) | speed-up (minima) | MB/s (fs, median) | max abs diff |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, share in CORPORA:
        for size in args.sizes:
            docs = generate(size, seed=1, cyrillic_share=share)
            mb = sum(len(d.encode()) for d in docs) / 1e6
            for label, kind, params in TASKS:
                worst = check_identical(kind, params, docs)
                f_ours = lambda d, k=kind, p=params: getattr(fs, k + "Vectorizer")(**p).fit_transform(d)  # noqa: E731
                f_sk = lambda d, k=kind, p=params: getattr(sk, k + "Vectorizer")(**p).fit_transform(d)  # noqa: E731
                sk_t, fs_t = interleaved(f_sk, f_ours, docs, args.repeat)
                m_sk, m_fs = statistics.median(sk_t), statistics.median(fs_t)
                row = (f"| {name} | {mb:.0f} | {len(docs):,} | `{label}` | {m_sk:.2f} / {min(sk_t):.2f} | "
                       f"{m_fs:.3f} / {min(fs_t):.3f} | **{m_sk / m_fs:.1f}x** | {min(sk_t) / min(fs_t):.1f}x | "
                       f"{mb / m_fs:.0f} | {worst:.1e} |")
                print(row, flush=True)
                lines.append(row)
    lines.append(END)
    if args.out:
        write_block(args.out, BEGIN, END, "\n".join(lines))


if __name__ == "__main__":
    main()
