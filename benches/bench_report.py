"""The interactive HTML report on 100 MB shaped like real sources: time and file size.

The 100 MB "real" corpus of ``bench_scale`` (typographic punctuation, bullets, glued
sentences, Cyrillic), dated over 2012-2025 with a channel column, tokenized first (as a
corpus in use is). Writes the built-in dictionary's report by year and by month (both
with ``group="channel"``) and the demo corpus's, and records each file's size against
the targets (demo < 3 MB, 100 MB corpus < 15 MB). Peak RSS is the process's
(``ru_maxrss``) after each step.

    .venv/bin/python benches/bench_report.py --out BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale as bs  # noqa: E402

import framescope as fs  # noqa: E402

from mdblock import write_block  # noqa: E402

BEGIN, END = "<!-- bench:report:begin -->", "<!-- bench:report:end -->"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    out = Path(tempfile.mkdtemp())
    rows = []

    def step(name, fn, limit_mb):
        t = time.perf_counter()
        report = fn()
        rows.append((name, time.perf_counter() - t, report.bytes / 1e6, limit_mb, report.contexts,
                     peak_mb()))
        print(f"{name}: {rows[-1][1]:.2f} s, {rows[-1][2]:.2f} MB, peak {rows[-1][5]:.0f} MB",
              flush=True)
        assert report.bytes / 1e6 < limit_mb, f"{name}: {report.bytes / 1e6:.1f} MB over {limit_mb} MB"

    frames = fs.Frames.builtin()
    demo = fs.datasets.demo().dedup()
    step("demo corpus (860 documents), by year, group channel",
         lambda: demo.report(frames, out / "demo.html", group="channel"), 3)
    path = bs.make_corpus(args.mb, "real")
    texts = path.read_text(encoding="utf-8").split(bs.SEP)
    rng = np.random.default_rng(0)
    days = pd.Timestamp("2012-01-01") + pd.to_timedelta(rng.integers(0, 5100, len(texts)), unit="D")
    corpus = fs.Corpus.from_texts(texts, dates=days.strftime("%Y-%m-%d").tolist(),
                                  meta={"channel": rng.choice(["mfa", "tass", "kremlin"], len(texts))})
    del texts
    corpus.term_frequencies()  # tokenized, as a corpus in use is
    size = f"{path.stat().st_size / 1e6:.0f} MB"
    step(f"{size}, by year, group channel",
         lambda: corpus.report(frames, out / "year.html", group="channel"), 15)
    step(f"{size}, by month (168 periods), group channel",
         lambda: corpus.report(frames, out / "month.html", by="month", group="channel"), 15)
    lines = [
        BEGIN,
        f"`{' '.join(['.venv/bin/python', 'benches/bench_report.py'] + sys.argv[1:])}` on "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}: the built-in dictionary (20 frames); {len(corpus):,} "
        "documents dated 2012-2025 in the large corpus; one run each (seeded).",
        "",
        "| report | time | file | target | contexts | peak RSS |",
        "|---|---:|---:|---:|---:|---:|",
        *[f"| {name} | {t:.2f} s | {mb:.2f} MB | < {lim} MB | {n:,} | {rss:,.0f} MB |"
          for name, t, mb, lim, n, rss in rows],
        END,
    ]
    print("\n".join(lines))
    if args.out:
        write_block(args.out, BEGIN, END, "\n".join(lines), "## The interactive report")


if __name__ == "__main__":
    main()
