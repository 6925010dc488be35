"""The machine's own ceiling for thread scaling: N copies of a one-thread job at once.

Threads of one process share the machine's clock, caches and memory bandwidth; so do N
independent processes. Here each copy is the one-thread run of a job of
``bench_threads.py`` (``RAYON_NUM_THREADS=1``, a fresh process, its corpus loaded and
warmed up), and all N start their timed run at the same moment (``bench_scale`` children
wait for a file). No copy waits for another and none shares data: if each then takes
``s`` times as long as one copy alone, N threads of one process can be at most ``N / s``
times faster than one thread, however the work is split: the *ceiling* (a machine that
lowers its clock with more busy cores, or whose memory bandwidth runs out, has s > 1).
``bench_threads.py``'s speed-up over this ceiling is the part lost to the program:
serial steps, waiting, extra work.

Every copy's result (hits per frame and year) must equal the one copy's: checked. Each
measurement is the median over ``--rounds`` rounds (one run per copy a round).

    .venv/bin/python benches/bench_ceiling.py --mb 100 --out BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale as bs  # noqa: E402

from mdblock import write_block  # noqa: E402

BEGIN, END = "<!-- bench:ceiling:begin -->", "<!-- bench:ceiling:end -->"
TASKS = {"fs_frames": "`from_texts` + `frame_trends`",
         "fs_frames_arrow": "`from_arrow` + `frame_trends` (texts in Arrow)"}


def together(task: str, path: Path, copies: int) -> list[dict]:
    """One run of ``task`` in each of ``copies`` fresh one-thread processes, started at
    the same moment: their results (with ``times``)."""
    with tempfile.TemporaryDirectory() as tmp:
        go = Path(tmp) / "go"
        env = {**os.environ, "RAYON_NUM_THREADS": "1", "FRAMESCOPE_BENCH_GO": str(go)}
        procs = [subprocess.Popen([sys.executable, bs.__file__, "--child", task, "--file", str(path),
                                   "--repeat", "1"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for _ in range(copies)]
        try:
            while len(list(Path(tmp).glob("go.ready.*"))) < copies:
                failed = [p for p in procs if p.poll() is not None]
                if failed:
                    raise SystemExit(f"a copy of {task} ended before its run:\n"
                                     f"{failed[0].communicate()[1][-3000:]}")
                time.sleep(0.01)
            go.touch()
            outs = [p.communicate() for p in procs]
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
    for p, (_, err) in zip(procs, outs, strict=True):
        if p.returncode != 0:
            raise SystemExit(f"a copy of {task} on {path.name} failed:\n{err[-3000:]}")
    return [json.loads(out.strip().splitlines()[-1]) for out, _ in outs]


def measure(task: str, path: Path, copies: int, rounds: int) -> dict:
    """Median time of one copy alone and of each of ``copies`` at once, over ``rounds``."""
    alone, many, result = [], [], None
    for _ in range(rounds):
        for n, times in ((1, alone), (copies, many)):
            for r in together(task, path, n):
                digest = {k: v for k, v in r["result"].items() if not k.startswith("_")}
                if result is None:
                    result = digest
                assert digest == result, f"{task}: a copy gave other hits"
                times.append(r["times"][0])
    return {"alone": statistics.median(alone), "many": statistics.median(many),
            "spread": (min(many), max(many))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--kinds", nargs="+", default=["real", "short"], choices=list(bs.KINDS))
    ap.add_argument("--copies", type=int, default=os.cpu_count() or 1,
                    help="copies run at once (default: the machine's cores)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    rows = []
    for kind in args.kinds:
        path = bs.make_corpus(args.mb, kind)
        for task in TASKS:
            m = measure(task, path, args.copies, args.rounds)
            print(f"{kind} {task}: alone {m['alone']:.3f} s, {args.copies} at once {m['many']:.3f} s "
                  f"(each {m['spread'][0]:.3f}-{m['spread'][1]:.3f} s)", flush=True)
            rows.append((kind, path.stat().st_size / 1e6, task, m))
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    n = args.copies
    lines = [BEGIN,
             f"Command: `python benches/bench_ceiling.py --mb {args.mb:g} --copies {n} "
             f"--rounds {args.rounds}`",
             f"Machine: {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}; "
             f"date {time.strftime('%Y-%m-%d')}. Medians over {args.rounds} rounds; each copy a "
             "fresh process with `RAYON_NUM_THREADS=1`, all started at once; every copy's hits "
             "equal (checked). *slowdown*: a copy's time among "
             f"{n} over its time alone; *ceiling*: {n} / slowdown, the most speed-up {n} threads "
             "of one process can reach on this machine.", "",
             f"| corpus | MB | job | 1 copy alone s | {n} copies at once s (each) | slowdown | ceiling |",
             "|---|---:|---|---:|---:|---:|---:|"]
    for kind, mb, task, m in rows:
        slow = m["many"] / m["alone"]
        lines.append(f"| {kind} | {mb:.0f} | {TASKS[task]} | {m['alone']:.3f} | {m['many']:.3f} "
                     f"({m['spread'][0]:.3f}-{m['spread'][1]:.3f}) | {slow:.2f}x | {n / slow:.1f}x |")
    lines.append(END)
    report = "\n".join(lines)
    print(report)
    if args.out:
        write_block(args.out, BEGIN, END, report,
                    heading="## The machine's ceiling for thread scaling")


if __name__ == "__main__":
    main()
