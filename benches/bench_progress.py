"""What progress bars cost: frame trends and tokenizing with ``progress=True`` against
``progress=False``, on the 100 MB short-document corpus of ``bench_scale`` (the most
documents per byte, so the most counter updates). Runs alternate between the two
settings; each run builds a fresh corpus (nothing cached), and the bar is drawn to a
null stream as a terminal would draw it.

    .venv/bin/python benches/bench_progress.py --out BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import time
from contextlib import redirect_stderr
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale as bs  # noqa: E402

import framescope as fs  # noqa: E402

from mdblock import write_block  # noqa: E402

BEGIN, END = "<!-- bench:progress:begin -->", "<!-- bench:progress:end -->"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    path = bs.make_corpus(args.mb, "short")
    texts = path.read_text(encoding="utf-8").split(bs.SEP)
    dates = ["2023-05-01"] * len(texts)
    frames = fs.Frames.builtin()
    tasks = {
        "frame_trends": lambda c, p: c.frame_trends(frames, progress=p),
        "tokenize + term_frequencies": lambda c, p: c.term_frequencies(),
    }
    times = {(t, p): [] for t in tasks for p in (False, True)}
    sink = io.StringIO()
    for _ in range(args.repeat):
        for task, fn in tasks.items():
            for shown in (False, True):
                corpus = fs.Corpus.from_texts(texts, dates=dates)
                fs.set_progress(shown)
                with redirect_stderr(sink):
                    t = time.perf_counter()
                    fn(corpus, shown)
                    times[(task, shown)].append(time.perf_counter() - t)
    fs.set_progress(None)
    lines = [BEGIN,
             f"`{' '.join(['.venv/bin/python', 'benches/bench_progress.py'] + sys.argv[1:])}` on "
             f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
             f"{time.strftime('%Y-%m-%d')}: {path.stat().st_size / 1e6:.0f} MB, {len(texts):,} "
             f"documents; median (min) of {args.repeat} alternating runs.", "",
             "| task | no bar | bar | difference of medians |", "|---|---:|---:|---:|"]
    for task in tasks:
        off, on = times[(task, False)], times[(task, True)]
        m_off, m_on = statistics.median(off), statistics.median(on)
        lines.append(f"| {task} | {m_off:.3f} s ({min(off):.3f}) | {m_on:.3f} s ({min(on):.3f}) | "
                     f"{100 * (m_on - m_off) / m_off:+.1f}% |")
    lines.append(END)
    print("\n".join(lines))
    if args.out:
        write_block(args.out, BEGIN, END, "\n".join(lines), "## Progress bars")


if __name__ == "__main__":
    main()
