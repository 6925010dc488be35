"""Memory and threads of the main path: ``Corpus.from_texts`` + ``frame_trends`` (the
scan), then tokenizing into ids (what term counts and keyness need).

Prints the process's RSS and high-water mark (``/proc/self/status``, Linux) after each
step on the 100 MB scale corpus of ``bench_scale.py``, then the time of each step with
1 and 2 threads (two rounds). Used for BENCHMARKS.md's "The main path (issue 17)".

    .venv/bin/python benches/main_path_memory.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale as bs  # noqa: E402

import framescope as fs  # noqa: E402


def status(field: str) -> float:
    """A /proc/self/status field in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1e3
    return float("nan")


def main() -> None:
    texts, dates = bs.load(bs.make_corpus(100))
    frames = fs.Frames(bs.FRAMES)
    print(f"loaded: RSS {status('VmRSS'):.0f} MB, peak {status('VmHWM'):.0f} MB")
    corpus = fs.Corpus.from_texts(texts, dates=dates)
    print(f"from_texts: RSS {status('VmRSS'):.0f} MB, peak {status('VmHWM'):.0f} MB")
    hits = int(corpus.frame_trends(frames, by="year")["hits"].sum())
    print(f"frame_trends, scanned ({hits:,} hits): RSS {status('VmRSS'):.0f} MB, "
          f"peak {status('VmHWM'):.0f} MB")
    corpus.tokens(0)
    print(f"tokenized into ids ({int(corpus.n_tokens.sum()):,} tokens): RSS "
          f"{status('VmRSS'):.0f} MB, peak {status('VmHWM'):.0f} MB")
    del corpus
    for n in (1, 2, 1, 2):
        fs.set_num_threads(n)
        t = time.perf_counter()
        corpus = fs.Corpus.from_texts(texts, dates=dates)
        a = time.perf_counter() - t
        t = time.perf_counter()
        hits = int(corpus.frame_trends(frames, by="year")["hits"].sum())
        b = time.perf_counter() - t
        t = time.perf_counter()
        corpus.tokens(0)
        c = time.perf_counter() - t
        print(f"threads {n}: from_texts {a:.2f} s, frame_trends (scan) {b:.3f} s, "
              f"total {a + b:.2f} s, hits {hits}; tokenizing into ids {c:.2f} s")
    fs.set_num_threads(0)


if __name__ == "__main__":
    main()
