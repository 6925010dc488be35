"""The main path, corpus -> frame trends, on corpora shaped like real sources.

For each corpus kind of ``bench_scale.KINDS`` (generated prose; the same with
typographic quotes and dashes, bullets, glued sentences and possessives; all-Russian;
short documents of about 470 bytes), at 100 MB: ``Corpus.from_texts`` + ``frame_trends``
(the scan: no token ids kept) on 2 threads and on 1, the same with the corpus tokenized
into ids first, a Python ``re`` + pandas pipeline and pyahocorasick + pandas; on the
short documents also scikit-learn's and framescope's ``TfidfVectorizer``, run alternately
and compared pair by pair, on the texts as a list and as a pandas ``str`` Series. Every tool's
hits per frame and year (and the TF-IDF matrices) are checked equal before times are
reported. Each task runs in a fresh child process (peak RSS is the child's).

    .venv/bin/python benches/bench_main_path.py --out BENCHMARKS.md
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

#: TF-IDF compared pair by pair on the short posts: the texts as a list of str (what
#: scikit-learn's documentation shows), and as a DataFrame column holds them in pandas 3
#: (Arrow-stored ``str``, what a researcher's ``df["text"]`` is).
TFIDF_PAIRS = (("fs_tfidf", "sk_tfidf"), ("fs_tfidf_series", "sk_tfidf_series"))

BEGIN, END = "<!-- bench:main-path:begin -->", "<!-- bench:main-path:end -->"
FRAME_TASKS = ["fs_frames", "fs_frames_ids", "re_frames", "aho_frames"]


def run(task: str, path: Path, repeat: int, threads: int | None = None) -> dict:
    old = os.environ.get("RAYON_NUM_THREADS")
    if threads:
        os.environ["RAYON_NUM_THREADS"] = str(threads)
    try:
        return bs.run_child(task, path, repeat)
    finally:
        if threads:
            if old is None:
                del os.environ["RAYON_NUM_THREADS"]
            else:
                os.environ["RAYON_NUM_THREADS"] = old


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--kinds", nargs="+", default=list(bs.KINDS))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    rows = []
    for kind in args.kinds:
        path = bs.make_corpus(args.mb, kind)
        mb = path.stat().st_size / 1e6
        docs = path.read_text(encoding="utf-8").count(bs.SEP) + 1
        res = {}
        plan = [(t, None) for t in FRAME_TASKS] + [("fs_frames", 1)]
        for task, threads in plan:
            slow = task in ("re_frames", "aho_frames")
            r = run(task, path, 1 if slow else args.repeat, threads)
            res[(task, threads)] = r
            print(f"{kind} {task} threads={threads or 'all'}: median "
                  f"{statistics.median(r['times']):.3f} s, peak RSS {r['rss']:.0f} MB", flush=True)
        if kind == "short":
            for fs_task, sk_task in TFIDF_PAIRS:
                fs_r, sk_r = bs.run_paired(fs_task, sk_task, path, args.repeat)
                res[(fs_task, None)], res[(sk_task, None)] = fs_r, sk_r
                for task, r in ((fs_task, fs_r), (sk_task, sk_r)):
                    print(f"{kind} {task}: times {[round(t, 3) for t in r['times']]}, "
                          f"peak RSS {r['rss']:.0f} MB", flush=True)
        hits = [res[(t, None)]["result"] for t in FRAME_TASKS] + [res[("fs_frames", 1)]["result"]]
        assert all(h == hits[0] for h in hits), f"{kind}: the tools disagree: {hits}"
        if kind == "short":
            for fs_task, sk_task in TFIDF_PAIRS:
                a, b = res[(fs_task, None)]["result"], res[(sk_task, None)]["result"]
                assert a["shape"] == b["shape"] and a["nnz"] == b["nnz"] \
                    and a["vocab"] == b["vocab"] and abs(a["sum"] - b["sum"]) < 1e-3, (a, b)
        rows.append((kind, mb, docs, res))
    report = render(args, rows)
    print(report)
    if args.out:
        write_block(args.out, BEGIN, END, report, heading="## The main path on real-shaped corpora")


def render(args, rows) -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    med = lambda r: statistics.median(r["times"])  # noqa: E731
    names = {"fs_frames": "framescope `from_texts` + `frame_trends` (scan)",
             "fs_frames_ids": "framescope, tokenized into ids first",
             "re_frames": "Python `re` + pandas", "aho_frames": "pyahocorasick + pandas",
             "fs_tfidf": "framescope `TfidfVectorizer()`", "sk_tfidf": "scikit-learn `TfidfVectorizer()`",
             "fs_tfidf_series": "framescope `TfidfVectorizer()`, pandas `str` Series",
             "sk_tfidf_series": "scikit-learn `TfidfVectorizer()`, pandas `str` Series"}
    lines = [BEGIN,
             f"Command: `make bench` (`python benches/bench_main_path.py --mb {args.mb:g} "
             f"--repeat {args.repeat}`)",
             f"Machine: {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}; "
             f"date {time.strftime('%Y-%m-%d')}. Medians of {args.repeat} runs (1 for `re` and "
             f"pyahocorasick); the two TF-IDF vectorizers run alternately, {args.repeat} times "
             "each, and are compared pair by pair (a shared VM's phases move single-threaded "
             "baselines by a third); hits per frame and year identical across tools "
             "(checked), TF-IDF matrices equal.", "",
             "| corpus | MB | docs | tool | threads | median s | MB/s | peak RSS MB | texts MB "
             "| x `re` | x pyahocorasick |",
             "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, mb, docs, res in rows:
        re_t, aho_t = med(res[("re_frames", None)]), med(res[("aho_frames", None)])
        for (task, threads), r in res.items():
            frames = task in FRAME_TASKS
            x_re = f"{re_t / med(r):.1f}x" if frames and task != "re_frames" else ""
            x_aho = f"{aho_t / med(r):.1f}x" if frames and task not in ("re_frames", "aho_frames") else ""
            lines.append(f"| {kind} | {mb:.0f} | {docs:,} | {names[task]} | {threads or os.cpu_count()} "
                         f"| {med(r):.3f} | {mb / med(r):,.0f} | {r['rss']:,.0f} | {r['base']:,.0f} "
                         f"| {x_re} | {x_aho} |")
        for fs_task, sk_task in TFIDF_PAIRS:
            if (sk_task, None) not in res:
                continue
            sk, fs_ = res[(sk_task, None)], res[(fs_task, None)]
            pairs = ", ".join(f"{s / f:.1f}x" for s, f in zip(sk["times"], fs_["times"], strict=True))
            given = "a list of str" if fs_task == "fs_tfidf" else "a pandas `str` Series"
            lines.append(f"| {kind} | | | TF-IDF on {given}: framescope vs scikit-learn, median "
                         f"of the pairs ({pairs}) | | | | | | {bs.paired_ratio(sk, fs_):.1f}x | |")
    lines += ["", "Corpora: " + "; ".join(f"`{k}`: {v}" for k, v in bs.KINDS.items()) + ".", END]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
