"""The ``framescope`` command (also ``python -m framescope``)."""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def _summary(args) -> int:
    import framescope as fs

    t0 = time.perf_counter()
    corpus = fs.datasets.demo()
    years = corpus.dates.dt.year
    print(f"{corpus!r}: {int(years.notna().sum())} dated, {int(years.isna().sum())} undated, "
          f"{int(corpus.n_tokens.sum()):,} tokens")
    print("\nTop terms (stop words removed, stems merged):")
    print(corpus.term_frequencies(top=args.top, stop_words="auto", stem="auto").to_string(index=False))
    print("\nTop bigrams:")
    print(corpus.term_frequencies(top=args.top, stop_words="auto", ngram=2).to_string(index=False))
    vec = fs.TfidfVectorizer(stop_words="english", ngram_range=(1, 2), min_df=3)
    X = vec.fit_transform(corpus.texts)
    names = vec.get_feature_names_out()
    print(f"\nTF-IDF: {X.shape[0]} documents x {X.shape[1]} terms, {X.nnz:,} non-zeros")
    year_arr = years.to_numpy()
    print("Highest mean TF-IDF per year (first and last years):")
    for y in (2012, 2018, 2025):
        rows = np.flatnonzero(year_arr == y)
        mean = np.asarray(X[rows].mean(axis=0)).ravel()
        top = names[np.argsort(-mean, kind="stable")[:6]]
        print(f"  {y}: " + ", ".join(top))
    print(f"\n(done in {time.perf_counter() - t0:.2f} s on {fs.get_num_threads()} threads)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="framescope", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("summary", help="term-frequency and TF-IDF summary of the demo corpus")
    p.add_argument("--top", type=int, default=15, help="rows per table (default 15)")
    p.set_defaults(func=_summary)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
