"""A long framescope job for the Ctrl-C test: prints "ready", then runs JOB until interrupted.

Usage: python long_job.py vectorize|frames|dedup
"""

import sys
import time

import framescope as fs


def main(job: str) -> None:
    words = [f"w{i}" for i in range(30000)]
    base = [" ".join(words[(i * 7 + k * 13) % 30000] for k in range(400)) for i in range(20000)]
    texts = base * 5  # about 260 MB of text: every call takes seconds
    print("ready", flush=True)
    started = time.perf_counter()
    try:
        while True:
            if job == "vectorize":
                fs.CountVectorizer(ngram_range=(1, 2)).fit_transform(texts)
            elif job == "frames":
                fs.Corpus.from_texts(texts).frame_counts(fs.Frames.builtin())
            elif job == "dedup":
                fs.Corpus.from_texts(texts).dedup()
            else:
                raise SystemExit(f"unknown job {job!r}")
            print("call finished", time.perf_counter() - started, flush=True)
    except KeyboardInterrupt:
        print("KeyboardInterrupt caught", time.time(), flush=True)
        raise


if __name__ == "__main__":
    main(sys.argv[1])
