"""Validation, expansion, drift and run records on 100 MB shaped like real sources.

The 100 MB "real" corpus of ``bench_scale`` (typographic punctuation, bullets, glued
sentences, Cyrillic), dated over 2012-2025 with a channel column, tokenized first (as a
corpus in use is). Timed once each (they are seeded, so a rerun repeats the same work):
the corpus fingerprint of the run records, ``frame_trends`` with its record, a
validation sample, ``fs.expand`` from two frames of the built-in dictionary, and
``corpus.neighbours`` of an English and a Russian (stemmed) word by year. Peak RSS is
the process's (``ru_maxrss``) after each step.

    .venv/bin/python benches/bench_trust.py --out BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale as bs  # noqa: E402

import framescope as fs  # noqa: E402

from mdblock import write_block  # noqa: E402

BEGIN, END = "<!-- bench:trust:begin -->", "<!-- bench:trust:end -->"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    path = bs.make_corpus(args.mb, "real")
    texts = path.read_text(encoding="utf-8").split(bs.SEP)
    rng = np.random.default_rng(0)
    days = pd.Timestamp("2012-01-01") + pd.to_timedelta(rng.integers(0, 5100, len(texts)), unit="D")
    corpus = fs.Corpus.from_texts(texts, dates=days.strftime("%Y-%m-%d").tolist(),
                                  meta={"channel": rng.choice(["mfa", "tass", "kremlin"], len(texts))})
    del texts
    rows = []

    def step(name, fn):
        t = time.perf_counter()
        out = fn()
        rows.append((name, time.perf_counter() - t, peak_mb()))
        print(f"{name}: {rows[-1][1]:.2f} s, peak {rows[-1][2]:.0f} MB", flush=True)
        return out

    step("tokenize (first `term_frequencies`)", corpus.term_frequencies)
    step("corpus fingerprint (SHA-256 of ids, texts, dates)", corpus.native.fingerprint)
    frames = fs.Frames.builtin()
    trend = step("`frame_trends(builtin)` with its run record", lambda: corpus.frame_trends(frames))
    assert fs.provenance(trend).rerun(corpus).equals(trend)
    step("`validation_sample(builtin, per_period=20)`",
         lambda: corpus.validation_sample(frames, per_period=20, seed=1))
    seeds = frames.select(["collective_west", "global_majority"])
    cands = step("`fs.expand(2 frames, top=50)` (dim 100, window 5)",
                 lambda: fs.expand(corpus, seeds, top=50))
    top = corpus.term_frequencies(top=5000, stop_words="auto")["term"].tolist()
    english = next(t for t in top if t.isascii() and t.isalpha())
    russian = next(t for t in top if not t.isascii() and t.isalpha())
    drift = step(f"`neighbours({english!r}, by=\"year\")` (14 periods)",
                 lambda: corpus.neighbours(english, by="year"))
    step(f"`neighbours({russian!r}, by=\"year\", stem=\"auto\")`",
         lambda: corpus.neighbours(russian, by="year", stem="auto"))
    lines = [
        BEGIN,
        f"`{' '.join(['.venv/bin/python', 'benches/bench_trust.py'] + sys.argv[1:])}` on "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}: {path.stat().st_size / 1e6:.0f} MB, {len(corpus):,} "
        f"documents dated 2012-2025, one run each (seeded). Expansion found "
        f"{len(cands)} candidates; drift had {drift.drift['drift'].notna().sum()} periods.",
        "",
        "| step | time | peak RSS |",
        "|---|---:|---:|",
        *[f"| {name} | {t:.2f} s | {mb:,.0f} MB |" for name, t, mb in rows],
        END,
    ]
    print("\n".join(lines))
    if args.out:
        write_block(args.out, BEGIN, END, "\n".join(lines),
                    "## Validation, expansion, drift, run records")


if __name__ == "__main__":
    main()
