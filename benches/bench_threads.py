"""Thread scaling of the main path: corpus -> frame trends and TF-IDF, 1 to N threads.

For each corpus kind (default: ``real``, English shaped like real sources, and ``short``,
posts of about 470 bytes), at ``--mb`` MB: ``Corpus.from_texts`` + ``frame_trends`` (the
scan), the same from an Arrow table (``from_arrow``: no str read per document, so no
serial per-document step; the table is built before the clock starts) and
``TfidfVectorizer().fit_transform`` (on a list of str, and on a pandas ``str`` Series, read
in place from Arrow), each in a fresh child process with
``RAYON_NUM_THREADS`` set, for each thread count up to the machine's cores (``--all``
runs every count asked for). The results (hits per frame and year; the TF-IDF matrix's
shape, nnz, vocabulary digest and sum) must be identical for every thread count: checked
before any time is reported. Issue 17's target is a speed-up of at least 10x from 1 to
16 threads; the 2-core VM shows 1 -> 2 only, so this script is what a 16-core machine
runs (about 4 minutes at 100 MB).

    .venv/bin/python benches/bench_threads.py --mb 100 --out BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale as bs  # noqa: E402
from bench_main_path import run  # noqa: E402

from mdblock import write_block  # noqa: E402

BEGIN, END = "<!-- bench:threads:begin -->", "<!-- bench:threads:end -->"
TASKS = {"fs_frames": "`from_texts` + `frame_trends`",
         "fs_frames_arrow": "`from_arrow` + `frame_trends` (texts in Arrow)",
         "fs_tfidf": "`TfidfVectorizer().fit_transform`",
         "fs_tfidf_series": "`TfidfVectorizer().fit_transform` on a pandas `str` Series"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--kinds", nargs="+", default=["real", "short"], choices=list(bs.KINDS))
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2, 4, 8, 16])
    ap.add_argument("--all", action="store_true", help="run thread counts above the core count too")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    counts = sorted({t for t in args.threads if t >= 1 and (args.all or t <= cores)})
    if not counts:
        raise SystemExit(f"no thread count to run on {cores} cores: {args.threads}")
    rows = []
    for kind in args.kinds:
        path = bs.make_corpus(args.mb, kind)
        mb = path.stat().st_size / 1e6
        for task in TASKS:
            res = {}
            for threads in counts:
                res[threads] = run(task, path, args.repeat, threads)
                print(f"{kind} {task} threads={threads}: median "
                      f"{statistics.median(res[threads]['times']):.3f} s", flush=True)
            first = res[counts[0]]["result"]
            assert all(r["result"] == first for r in res.values()), \
                f"{kind} {task}: results differ between thread counts"
            rows.append((kind, mb, task, res))
        hits = {task: res[counts[0]]["result"] for k, _, task, res in rows if k == kind and "frames" in task}
        assert len({json.dumps(h, sort_keys=True) for h in hits.values()}) == 1, \
            f"{kind}: from_texts and from_arrow found other hits: {hits}"
    report = render(args, counts, rows)
    print(report)
    if args.out:
        write_block(args.out, BEGIN, END, report, heading="## Thread scaling of the main path")


def render(args, counts, rows) -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    head = "| corpus | MB | job | " + " | ".join(f"{t} thr s" for t in counts) \
        + f" | speed-up {counts[0]} -> {counts[-1]} | main thread s | bound |"
    lines = [BEGIN,
             f"Command: `python benches/bench_threads.py --mb {args.mb:g} --repeat {args.repeat}`",
             f"Machine: {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}; date "
             f"{time.strftime('%Y-%m-%d')}. Medians of {args.repeat} runs, each thread count in "
             "a fresh process; results identical for every thread count (checked). "
             "*main thread s*: CPU time of the calling thread in the job (median, at "
             f"{counts[-1]} threads): work on it alone (str objects read under the GIL, pandas "
             "after the core) no thread count shortens; *bound*: the "
             f"{counts[0]}-thread time over it, the most speed-up any thread count can give.", "",
             head, "|---|---:|---|" + "---:|" * (len(counts) + 3)]
    for kind, mb, task, res in rows:
        med = {t: statistics.median(r["times"]) for t, r in res.items()}
        main = statistics.median(res[counts[-1]]["main_cpu"])
        lines.append(f"| {kind} | {mb:.0f} | {TASKS[task]} | "
                     + " | ".join(f"{med[t]:.3f}" for t in counts)
                     + f" | {med[counts[0]] / med[counts[-1]]:.2f}x | {main:.3f} | "
                     + f"{med[counts[0]] / main:.1f}x |")
    lines.append(END)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
