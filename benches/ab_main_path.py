"""A/B of the main path between two builds, on the same data.

Corpus build + ``frame_trends``, ``term_frequencies``, bigram ``term_frequencies``,
``emerging`` (counts per period), ``keyness``, ``TfidfVectorizer(min_df=2).fit_transform``
and ``frame_trends(bootstrap=200)`` on the 100 MB scale corpus of ``bench_scale.py``
(generated under target/bench/).
Run it once per build (each in its own virtualenv), interleaved, and compare: prints
min and median of 3 runs and a check value per task.

    .venv/bin/python benches/ab_main_path.py new
"""

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale as bs  # noqa: E402

import framescope as fs  # noqa: E402


def main(label: str) -> None:
    texts, dates = bs.load(bs.make_corpus(100))
    frames = fs.Frames(bs.FRAMES)
    tasks = {
        "frames": lambda: int(fs.Corpus.from_texts(texts, dates=dates)
                              .frame_trends(frames, by="year")["hits"].sum()),
        "terms": lambda: len(fs.Corpus.from_texts(texts).term_frequencies()),
        "bigrams": lambda: len(fs.Corpus.from_texts(texts).term_frequencies(
            ngram=2, stop_words=None, min_count=2)),
        "emerging": lambda: len(fs.Corpus.from_texts(texts, dates=dates).emerging(
            by="year", size=1, top=None)),
        "keyness": lambda: len(fs.keyness(fs.Corpus.from_texts(texts, dates=dates), "2020-",
                                          top=None)),
        "tfidf": lambda: int(fs.TfidfVectorizer(min_df=2).fit_transform(texts).nnz),
        "bootstrap": lambda: round(float(fs.Corpus.from_texts(texts, dates=dates).frame_trends(
            frames, by="year", bootstrap=200, seed=1)["ci_high"].sum()), 6),
    }
    out = {}
    for name, task in tasks.items():
        times, check = [], None
        for _ in range(3):
            t = time.perf_counter()
            check = task()
            times.append(time.perf_counter() - t)
        out[name] = {"min_s": round(min(times), 3), "median_s": round(float(np.median(times)), 3),
                     "check": check}
    print(label, json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "this build")
