"""Reading a large JSONL file: framescope vs pandas and a json.loads loop; time and peak RSS.

Usage: python benches/bench_read.py --mb 200 2000 --out BENCHMARKS.md

pandas is run only on files up to 500 MB (at 2 GB it needs more than this machine's memory
is worth spending: about 9x the file size).

Each reader runs in a fresh subprocess (so peak RSS is its own), on the same
generated file: records with a text, an ISO date and two metadata fields. The
file is generated once under target/bench/ and reused when it is already there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from corpus_gen import generate  # noqa: E402
from mdblock import write_block  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- bench:read:begin -->", "<!-- bench:read:end -->"

# (imports, timed work): imports are not timed, their memory is in the RSS of every row.
READERS = {
    "framescope `fs.read(path)`": ("import framescope as fs", "c = fs.read(PATH); n = len(c)"),
    "framescope `corpus.dedup()` (timed alone; RSS includes the read)": (
        "import framescope as fs; c = fs.read(PATH)", "d = c.dedup(); n = len(d)"),
    "pandas `read_json(lines=True)`": ("import pandas as pd",
                                       "n = len(pd.read_json(PATH, lines=True))"),
    "`json.loads` per line into a list": (
        "import json", "rows = [json.loads(l) for l in open(PATH, encoding='utf-8')]; n = len(rows)"),
}


def make_file(path: Path, mb: float) -> None:
    if path.exists() and path.stat().st_size >= mb * 1e6 * 0.98:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(3)
    written = 0
    with open(path, "w", encoding="utf-8") as f:
        while written < mb * 1e6:
            docs = generate(50, seed=int(rng.integers(1 << 30)), cyrillic_share=0.3)
            for i, d in enumerate(docs):
                line = json.dumps({"text": d, "date": f"20{12 + i % 14}-{1 + i % 12:02d}-15",
                                   "channel": "mfa", "views": int(rng.integers(1000))},
                                  ensure_ascii=False) + "\n"
                f.write(line)
                written += len(line.encode())


def run(setup: str, code: str, path: Path) -> tuple[float, float, int]:
    """Seconds, peak RSS in MB, records: in a fresh interpreter."""
    script = (f"import time, resource; PATH = {str(path)!r}; {setup}; t = time.perf_counter(); {code}; "
              "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, n)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    secs, rss_kb, n = out.stdout.split()
    return float(secs), int(rss_kb) / 1024, int(n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, nargs="+", default=[200, 2000])
    ap.add_argument("--skip", nargs="*", default=[], help="readers to skip (substring)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    lines = [
        BEGIN,
        f"Command: `make bench-read`, also run by `make bench` (`python benches/bench_read.py --mb {' '.join(f'{m:g}' for m in args.mb)}"
        + (f" --skip {' '.join(args.skip)}" if args.skip else "") + "`)",
        f"Machine: {os.cpu_count()} cores; Python {platform.python_version()}. "
        "Files: generated JSONL, one record per post (text, date, 2 metadata fields).",
        "",
        "| file MB | reader | records | seconds | MB/s | peak RSS (MB) | RSS / file size |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for mb in args.mb:
        path = ROOT / "target" / "bench" / f"posts_{mb:g}mb.jsonl"
        make_file(path, mb)
        size = path.stat().st_size / 1e6
        for label, (setup, code) in READERS.items():
            if any(s in label for s in args.skip) or ("pandas" in label and size > 500):
                continue
            secs, rss, n = run(setup, code, path)
            row = (f"| {size:,.0f} | {label} | {n:,} | {secs:.2f} | {size / secs:.0f} | "
                   f"{rss:,.0f} | {rss / size:.2f} |")
            print(row, flush=True)
            lines.append(row)
    lines.append(END)
    if args.out:
        write_block(args.out, BEGIN, END, "\n".join(lines), "## Reading: JSONL into a corpus")


if __name__ == "__main__":
    main()
