"""Vocabulary statistics and scikit-learn's formulas over them: the one home of
document-frequency pruning (``min_df``, ``max_df``, ``max_features``) and of idf.

They are computed with numpy, as scikit-learn computes them, on purpose: ``idf``
in the vectorizer's dtype with numpy's ``log`` (which dispatches to CPU-specific
SIMD kernels) and the ``max_features`` choice with numpy's ``argsort`` (whose tie
order is numpy's own) are then bit-identical to scikit-learn's on every machine;
a Rust copy could differ in the last bit or in which tied term is kept. Counting,
the heavy part, runs in the core; these are O(vocabulary) vector operations.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["TermStats", "doc_count_bounds", "idf", "kept_columns"]


def is_int(x) -> bool:
    """An integer that is not a bool (scikit-learn's ``Integral`` parameters)."""
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def check_df_param(name: str, value) -> None:
    """``min_df`` / ``max_df``: an int >= 1 or a float in [0.0, 1.0] (scikit-learn's rule and message)."""
    ok = (is_int(value) and value >= 1) or (
        isinstance(value, numbers.Real) and not is_int(value) and 0.0 <= value <= 1.0)
    if not ok:
        raise ValueError(
            f"The '{name}' parameter must be a float in the range [0.0, 1.0] or "
            f"an int in the range [1, inf). Got {value!r} instead.")


def doc_count_bounds(min_df, max_df, n_docs: int) -> tuple[float, float]:
    """Inclusive document-count bounds: an int counts documents, a float is a share of ``n_docs``.

    >>> doc_count_bounds(2, 0.5, 10)
    (2, 5.0)
    >>> doc_count_bounds(3, 2, 10)
    Traceback (most recent call last):
    ...
    ValueError: max_df corresponds to < documents than min_df
    """
    check_df_param("min_df", min_df)
    check_df_param("max_df", max_df)
    high = max_df if is_int(max_df) else max_df * n_docs
    low = min_df if is_int(min_df) else min_df * n_docs
    if high < low and n_docs > 0:  # no documents: nothing to prune
        raise ValueError("max_df corresponds to < documents than min_df")
    return low, high


def kept_columns(doc_freq: np.ndarray, low: float, high: float, max_features: int | None,
                 term_counts) -> np.ndarray | None:
    """Columns kept by the bounds and ``max_features``, chosen as scikit-learn chooses them.

    ``doc_freq`` aligns with the sorted vocabulary; ``term_counts()`` gives the terms'
    total counts (called only when ``max_features`` must choose; ties keep numpy's
    ``argsort`` order, as scikit-learn). None: every column is kept.

    >>> kept_columns(np.array([1, 3, 2, 3]), 2, 3, None, None).tolist()
    [1, 2, 3]
    >>> kept_columns(np.array([1, 3, 2, 3]), 1, 3, 2, lambda: np.array([9, 4, 5, 1])).tolist()
    [0, 2]
    """
    if len(doc_freq) == 0:
        return None
    mask = (doc_freq <= high) & (doc_freq >= low)
    if max_features is None and mask.all():
        return None
    if max_features is not None and mask.sum() > max_features:
        counts = np.asarray(term_counts())
        chosen = (-counts[mask]).argsort()[:max_features]
        limited = np.zeros(len(doc_freq), dtype=bool)
        limited[np.where(mask)[0][chosen]] = True
        mask = limited
    keep = np.flatnonzero(mask).astype(np.int64)
    if len(keep) == len(doc_freq):
        return None
    if len(keep) == 0:
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    return keep


def idf(doc_freq, n_docs: int, smooth: bool, dtype: str) -> np.ndarray:
    """``ln((1 + n) / (1 + df)) + 1`` (``smooth``), else ``ln(n / df) + 1``, in ``dtype``,
    operation by operation as scikit-learn's ``TfidfTransformer``.

    >>> idf(np.array([1, 2]), 2, True, "float64").round(6).tolist()
    [1.405465, 1.0]
    """
    df = np.asarray(doc_freq).astype(dtype)
    df += float(smooth)
    n_docs += int(smooth)
    out = np.full_like(df, fill_value=n_docs)
    out /= df
    np.log(out, out=out)
    out += 1.0
    return out


@dataclass(frozen=True)
class TermStats:
    """Mergeable vocabulary statistics of some documents (one partition, or a merge).

    ``terms`` are sorted (scikit-learn's feature order) or, with a fixed vocabulary,
    in its order; ``doc_freq`` and ``counts`` (total occurrences; 0/1 per document
    when the vectorizer is ``binary``) align with them. Picklable; merging is exact.
    Made by :meth:`framescope.CountVectorizer.term_stats`, consumed by
    :meth:`framescope.CountVectorizer.fit_stats`.
    """

    n_docs: int
    terms: np.ndarray
    doc_freq: np.ndarray
    counts: np.ndarray

    @staticmethod
    def empty(n_docs: int = 0) -> TermStats:
        """No terms seen in ``n_docs`` documents."""
        return TermStats(n_docs, np.array([], object), np.array([], np.int64),
                         np.array([], np.int64))

    @staticmethod
    def merge(parts: list[TermStats], fixed: bool = False) -> TermStats:
        """The statistics of all ``parts`` together; ``fixed``: same terms in each."""
        parts = list(parts)
        n_docs = int(sum(p.n_docs for p in parts))
        if not parts:
            return TermStats.empty()
        if fixed:
            return TermStats(n_docs, parts[0].terms, sum(p.doc_freq for p in parts),
                             sum(p.counts for p in parts))
        frame = pd.DataFrame({
            "term": np.concatenate([p.terms for p in parts]),
            "doc_freq": np.concatenate([p.doc_freq for p in parts]),
            "counts": np.concatenate([p.counts for p in parts]),
        })
        # Python's str order (code points): the order of sorted() and of the core.
        total = frame.groupby("term", sort=True).sum()
        return TermStats(n_docs, total.index.to_numpy(dtype=object),
                         total["doc_freq"].to_numpy(np.int64), total["counts"].to_numpy(np.int64))

    def select(self, keep: np.ndarray | None) -> TermStats:
        """The statistics of the columns ``keep`` (None: all)."""
        if keep is None:
            return self
        return TermStats(self.n_docs, self.terms[keep], self.doc_freq[keep], self.counts[keep])
