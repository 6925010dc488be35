"""Dating documents by their own text: ``Corpus.from_texts(texts, dates="text")`` against
``from_texts(texts)`` (the cost of dating is the difference), and ``fs.extract_dates``,
on the 100 MB corpora of ``bench_scale`` (short posts, long English-shaped documents, an
all-Russian corpus) with a dateline planted in one document of five, the way the
Ministry's posts carry them ("... (Moscow, April 29, 2023)" closing the title line,
"(Москва, 17 мая 2023 г.)" in Russian). Every planted date must be found, and nothing
else, before anything is timed. Runs alternate between the two ways of building.

    .venv/bin/python benches/bench_dates.py --out BENCHMARKS.md
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
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale as bs  # noqa: E402

import framescope as fs  # noqa: E402

from mdblock import write_block  # noqa: E402

BEGIN, END = "<!-- bench:dates:begin -->", "<!-- bench:dates:end -->"
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря"]


def planted(texts: list[str], russian: bool, seed: int = 5) -> tuple[list[str], list]:
    """`texts` with a dateline opening one document in five, and the planted dates
    (None for the others)."""
    rng = np.random.default_rng(seed)
    out, want = [], []
    for t in texts:
        if rng.random() < 0.2:
            y, m, d = int(rng.integers(2014, 2025)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
            line = (f"Заявление МИД России (Москва, {d} {RU_MONTHS[m - 1]} {y} г.)" if russian
                    else f"🎙 Remarks by the Minister (Moscow, {EN_MONTHS[m - 1]} {d}, {y})")
            out.append(f"{line}\n{t}")
            want.append(pd.Timestamp(y, m, d))
        else:
            out.append(t)
            want.append(None)
    return out, want


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--kinds", nargs="+", default=["short", "real", "russian"])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    rows = []
    for kind in args.kinds:
        path = bs.make_corpus(args.mb, kind)
        texts, want = planted(path.read_text(encoding="utf-8").split(bs.SEP), kind == "russian")
        # Planted truth first: every planted date found, no other document dated.
        got = list(fs.Corpus.from_texts(texts, dates="text").dates)
        missed = sum(w is not None and g != w for w, g in zip(want, got, strict=True))
        extra = sum(w is None and not pd.isna(g) for w, g in zip(want, got, strict=True))
        if missed or extra:
            raise SystemExit(f"{kind}: {missed} planted dates missed, {extra} documents misdated")
        n_dated = sum(w is not None for w in want)
        size = sum(len(t.encode()) for t in texts) / 1e6
        times: dict[str, list[float]] = {"plain": [], "text": [], "extract": []}
        for _ in range(args.repeat):
            for way in times:
                fresh = [t.encode().decode() for t in texts]  # str objects no call has seen
                t0 = time.perf_counter()
                if way == "plain":
                    fs.Corpus.from_texts(fresh)
                elif way == "text":
                    fs.Corpus.from_texts(fresh, dates="text")
                else:
                    fs.extract_dates(fresh)
                times[way].append(time.perf_counter() - t0)
        med = {k: statistics.median(v) for k, v in times.items()}
        dating = med["text"] - med["plain"]
        rows.append(f"| {kind} | {size:.0f} | {len(texts):,} | {n_dated:,} (all found) | "
                    f"{med['plain']:.3f} | {med['text']:.3f} | {dating:.3f} | "
                    f"{size / max(dating, 1e-9):,.0f} | {med['extract']:.3f} |")
    lines = [BEGIN,
             f"`{' '.join(['.venv/bin/python', 'benches/bench_dates.py'] + sys.argv[1:])}` on "
             f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
             f"{time.strftime('%Y-%m-%d')}; seconds, median of {args.repeat} alternating runs "
             "(fresh str objects each run).", "",
             "| corpus | MB | documents | planted datelines | `from_texts(texts)` | "
             "`from_texts(texts, dates=\"text\")` | dating | dating MB/s | "
             "`fs.extract_dates(texts)` |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|", *rows, END]
    print("\n".join(lines))
    if args.out:
        write_block(args.out, BEGIN, END, "\n".join(lines), "## Dates from the text")


if __name__ == "__main__":
    main()
