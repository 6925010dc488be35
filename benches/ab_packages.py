"""A/B of two builds' package folders on the short-document corpus, alternating fresh
processes: ``frame_trends`` and tokenizing (``term_frequencies``) on 100 MB of short
documents, 2 threads. Unpack each build's wheel into a folder (``python -m zipfile -e
framescope-*.whl /tmp/pkgA``) and pass the runs and both folders:

    .venv/bin/python benches/ab_packages.py 11 /tmp/pkgA /tmp/pkgB
"""

import json
import statistics
import subprocess
import sys

CHILD = r'''
import sys, time, json
sys.path.insert(0, sys.argv[1])
import framescope as fs
sys.path.insert(0, sys.argv[2])
import bench_scale as bs
texts = open(bs.make_corpus(100, "short"), encoding="utf-8").read().split(bs.SEP)
dates = ["2023-05-01"] * len(texts)
frames = fs.Frames.builtin()
out = {}
c = fs.Corpus.from_texts(texts, dates=dates)
t = time.perf_counter(); c.frame_trends(frames); out["frame_trends"] = time.perf_counter() - t
c = fs.Corpus.from_texts(texts, dates=dates)
t = time.perf_counter(); c.term_frequencies(); out["tokenize"] = time.perf_counter() - t
print(json.dumps(out))
'''


def main() -> None:
    runs, dirs = int(sys.argv[1]), {"A": sys.argv[2], "B": sys.argv[3]}
    here = __file__.rsplit("/", 1)[0]
    res = {"A": [], "B": []}
    for _ in range(runs):
        for k, d in dirs.items():
            r = subprocess.run([sys.executable, "-c", CHILD, d, here], capture_output=True,
                               text=True, env={"RAYON_NUM_THREADS": "2", "PATH": "/usr/bin:/bin"})
            if r.returncode:
                sys.exit(r.stderr[-2000:])
            res[k].append(json.loads(r.stdout.strip().splitlines()[-1]))
    for task in ("frame_trends", "tokenize"):
        a = [x[task] for x in res["A"]]
        b = [x[task] for x in res["B"]]
        print(f"{task}: A median {statistics.median(a):.3f} min {min(a):.3f} | B median "
              f"{statistics.median(b):.3f} min {min(b):.3f} | "
              f"{100 * (statistics.median(b) / statistics.median(a) - 1):+.1f}% median, "
              f"{100 * (min(b) / min(a) - 1):+.1f}% min")


if __name__ == "__main__":
    main()
