"""Memory pages: the TF-IDF fit with and without 2 MiB pages, on this machine.

framescope asks Linux for transparent huge pages (interner tables, output arrays) only
where ``FRAMESCOPE_HUGE_PAGES=1`` (``memory::huge_pages``): on virtual machines that hand
free memory back to the host, a 2 MiB page's first touch is slow. This measures the
choice where it matters, a first ``TfidfVectorizer().fit_transform`` in a fresh process:
on 100 MB of short posts (a list of str and a pandas ``str`` Series), with 1 thread and
with ``--threads`` (one interner table per thread), each run in a fresh child, the two
settings alternated round by round so both meet the same phases of a shared machine.
The matrices must be identical either way (checked). Reports median wall seconds and the
child's system CPU (page faults are system time).

    .venv/bin/python benches/bench_pages.py --out BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale as bs  # noqa: E402

from mdblock import write_block  # noqa: E402

BEGIN, END = "<!-- bench:pages:begin -->", "<!-- bench:pages:end -->"
TASKS = {"fs_tfidf": "a list of str", "fs_tfidf_series": "a pandas `str` Series"}
SETTINGS = {"4 KiB (default)": None, "2 MiB (`FRAMESCOPE_HUGE_PAGES=1`)": "1"}


def run(task: str, path: Path, threads: int, huge: str | None) -> dict:
    """One fresh child: ``bs.run_child`` with the thread count and the page setting."""
    saved = {k: os.environ.get(k) for k in ("RAYON_NUM_THREADS", "FRAMESCOPE_HUGE_PAGES")}
    os.environ["RAYON_NUM_THREADS"] = str(threads)
    os.environ.pop("FRAMESCOPE_HUGE_PAGES", None)
    if huge:
        os.environ["FRAMESCOPE_HUGE_PAGES"] = huge
    try:
        return bs.run_child(task, path, 1)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2,
                    help="the many-thread count (default: the cores)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    path = bs.make_corpus(args.mb, "short")
    counts = sorted({1, args.threads})
    res: dict = {}
    for _ in range(args.rounds):
        for task in TASKS:
            for threads in counts:
                for name, huge in SETTINGS.items():
                    r = run(task, path, threads, huge)
                    key = (task, threads, name)
                    if key in res:
                        assert r["result"] == res[key]["result"], f"{key}: another matrix"
                        res[key]["times"] += r["times"]
                        res[key]["sys"].append(r["sys"])
                    else:
                        res[key] = r | {"sys": [r["sys"]]}
                    print(f"{task} threads={threads} {name}: {r['times'][0]:.3f} s, "
                          f"system CPU {r['sys']:.3f} s", flush=True)
    for key, r in res.items():
        first = res[(key[0], counts[0], next(iter(SETTINGS)))]["result"]
        assert r["result"] == first, f"{key}: another matrix with this page size or thread count"
    report = render(args, counts, res)
    print(report)
    if args.out:
        write_block(args.out, BEGIN, END, report, heading="## Memory pages")


def render(args, counts, res) -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    lines = [BEGIN,
             f"Command: `make bench-pages` (`python benches/bench_pages.py --mb {args.mb:g} "
             f"--threads {args.threads} --rounds {args.rounds}`)",
             f"Machine: {os.cpu_count()} cores, {cpu}; kernel {platform.release()}; Python "
             f"{platform.python_version()}; date {time.strftime('%Y-%m-%d')}. A first "
             "`TfidfVectorizer().fit_transform` of 100 MB of short posts in a fresh process, "
             f"medians of {args.rounds} rounds (the settings alternated); matrices identical. "
             "System CPU: the child's over the task (for the Series, making it included).", "",
             "| texts as | threads | pages | median s | system CPU s (median) |",
             "|---|---:|---|---:|---:|"]
    for (task, threads, name), r in res.items():
        lines.append(f"| {TASKS[task]} | {threads} | {name} | {statistics.median(r['times']):.3f} "
                     f"| {statistics.median(r['sys']):.3f} |")
    lines.append(END)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
