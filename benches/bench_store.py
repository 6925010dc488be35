"""corpus.save / fs.load against pickle, on a corpus shaped like real sources.

The 100 MB "real" corpus of ``bench_scale`` (typographic punctuation, bullets, glued
sentences, Cyrillic) as a dated corpus with a metadata column, tokenized. Timed, each
as the median of ``--repeat`` runs: ``corpus.save`` and ``fs.load`` (tokens included),
``pickle.dump`` and ``pickle.load`` of the same corpus (texts, no tokens: pickle
cannot carry the core's token ids), and the first ``term_frequencies`` after each
load (the pickled corpus tokenizes again there). The loaded corpora are checked equal
to the original before times are reported.

    .venv/bin/python benches/bench_store.py --out BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import os
import pickle
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale as bs  # noqa: E402

import framescope as fs  # noqa: E402

from mdblock import write_block  # noqa: E402

BEGIN, END = "<!-- bench:store:begin -->", "<!-- bench:store:end -->"


def timed(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    path = bs.make_corpus(args.mb, "real")
    texts = path.read_text(encoding="utf-8").split(bs.SEP)
    rng = np.random.default_rng(0)
    days = pd.Timestamp("2012-01-01") + pd.to_timedelta(rng.integers(0, 5000, len(texts)), unit="D")
    corpus = fs.Corpus.from_texts(texts, dates=days.strftime("%Y-%m-%d").tolist(),
                                  meta={"channel": rng.choice(["mfa", "tass", "kremlin"], len(texts))})
    del texts
    corpus.term_frequencies()  # tokenized, as a corpus in use is
    tmp = Path(tempfile.mkdtemp(dir=path.parent))
    fsc, pkl = tmp / "corpus.fsc", tmp / "corpus.pkl"

    def save_pickle():
        with open(pkl, "wb") as f:
            pickle.dump(corpus, f, protocol=pickle.HIGHEST_PROTOCOL)

    def load_pickle():
        with open(pkl, "rb") as f:
            return pickle.load(f)

    rows = {}
    rows["save"] = timed(lambda: corpus.save(fsc), args.repeat)[0]
    rows["load"], loaded = timed(lambda: fs.load(fsc), args.repeat)
    rows["pickle.dump"] = timed(save_pickle, args.repeat)[0]
    rows["pickle.load"], unpickled = timed(load_pickle, args.repeat)
    want = corpus.term_frequencies()
    t = time.perf_counter()
    got = loaded.term_frequencies()
    rows["term_frequencies after load"] = time.perf_counter() - t
    t = time.perf_counter()
    got_p = unpickled.term_frequencies()
    rows["term_frequencies after pickle.load"] = time.perf_counter() - t
    assert loaded.texts == corpus.texts and unpickled.texts == corpus.texts
    pd.testing.assert_frame_equal(loaded.to_pandas(), corpus.to_pandas())
    pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(got_p, want)
    sizes = {"fsc": fsc.stat().st_size / 1e6, "pickle": pkl.stat().st_size / 1e6}
    for p in (fsc, pkl):
        p.unlink()
    tmp.rmdir()
    for k, v in rows.items():
        print(f"{k}: {v:.3f} s")
    load_total = rows["load"] + rows["term_frequencies after load"]
    pickle_total = rows["pickle.load"] + rows["term_frequencies after pickle.load"]
    lines = [
        BEGIN,
        f"`{' '.join(['.venv/bin/python', 'benches/bench_store.py'] + sys.argv[1:])}` on "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}: {path.stat().st_size / 1e6:.0f} MB, {len(corpus):,} "
        f"documents, median of {args.repeat}. Files: .fsc {sizes['fsc']:.0f} MB (texts + token "
        f"ids), pickle {sizes['pickle']:.0f} MB (texts).",
        "",
        "| step | framescope (`save` / `load`) | pickle |",
        "|---|---:|---:|",
        f"| write | {rows['save']:.2f} s | {rows['pickle.dump']:.2f} s |",
        f"| read | {rows['load']:.2f} s | {rows['pickle.load']:.2f} s |",
        f"| first `term_frequencies` after reading | {rows['term_frequencies after load']:.2f} s "
        f"| {rows['term_frequencies after pickle.load']:.2f} s |",
        f"| read + first count | **{load_total:.2f} s** | {pickle_total:.2f} s |",
        END,
    ]
    print("\n".join(lines))
    if args.out:
        write_block(args.out, BEGIN, END, "\n".join(lines), "## Saving and loading a corpus")


if __name__ == "__main__":
    main()
