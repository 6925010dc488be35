"""Frames matched in a corpus: hits per document, tables, trends, co-occurrence,
overlaps and keyword-in-context lines. The matching runs in the core against the
dictionary's compiled form (:attr:`framescope.Frames.compiled`); this module turns
the core's sparse results into DataFrames. :class:`framescope.Corpus` methods of
the same names call these functions, and document them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framescope import _core, trends
from framescope.frames import Frames
from framescope.grouping import group_codes, group_keys
from framescope.kwic import KwicTable
from framescope.periods import by_name
from framescope.progress import bar
from framescope.provenance import corpus_digest
from framescope.trends import TrendTable, aggregate

__all__ = ["DENSE_CELLS", "as_frames", "frame_counts", "frame_cooccurrence", "frame_matrix",
           "frame_overlaps", "frame_table", "frame_trends", "kwic", "term_trends"]

#: Tables of frame results with more cells than this are sparse-backed (see :func:`frame_table`).
DENSE_CELLS = 1 << 24


def as_frames(frames) -> Frames:
    """``frames`` as :class:`Frames` (a dict is compiled; anything else is a TypeError)."""
    if isinstance(frames, Frames):
        return frames
    if isinstance(frames, dict):
        return Frames(frames)
    raise TypeError(f"frames must be a framescope.Frames or a dict, got {type(frames).__name__}")


def frame_table(m: sp.csr_matrix, index, columns) -> pd.DataFrame:
    """A DataFrame of a sparse result: dense up to :data:`DENSE_CELLS` cells (128 MB),
    beyond that backed by pandas' sparse arrays (zeros not stored; ``.sparse.to_dense()``
    makes it dense), so 100,000 frames cost memory for the pairs that occur."""
    if m.shape[0] * m.shape[1] <= DENSE_CELLS:
        return pd.DataFrame(m.toarray().astype(np.int64), index=index, columns=columns)
    m = m.astype(np.int64)
    return pd.DataFrame.sparse.from_spmatrix(m, index=index, columns=columns)


def frame_matrix(corpus, frames, progress: bool | None = None) -> sp.csr_matrix:
    """See :meth:`framescope.Corpus.frame_matrix`."""
    return _frame_matrix_while(corpus, as_frames(frames), progress, None)[0]


def _frame_matrix_while(corpus, frames, progress, meanwhile):
    """:func:`frame_matrix`, and the result of ``meanwhile()`` (no arguments; None when
    not given), called on this thread while the core's threads match: Python work the
    caller needs next, off the critical path (at 16 threads the matching takes about as
    long as the grouping of 200,000 dates does in pandas)."""
    with bar("matching frames", len(corpus), progress):
        m = _core.frame_hits(corpus.native, corpus.tokenizer, frames.compiled, meanwhile)
    matrix = sp.csr_matrix((m["count"].astype(np.int64), m["frame"].astype(np.int64),
                            m["indptr"].astype(np.int64)), shape=(len(corpus), len(frames)))
    return matrix, m.get("meanwhile")


def frame_counts(corpus, frames) -> pd.DataFrame:
    """See :meth:`framescope.Corpus.frame_counts`."""
    frames = as_frames(frames)
    return frame_table(frame_matrix(corpus, frames), pd.Index(corpus.ids, name="id"), frames.names)


def _balance_values(corpus, balance: str) -> pd.Series:
    """The source of each document for ``balance``: a metadata column, or for "source"
    (when no column has that name) the file of each document's provenance ("a.jsonl:12"
    and "b.parquet:row 3" give "a.jsonl" and "b.parquet")."""
    if balance in corpus.meta.columns:
        return corpus.meta[balance]
    provenance = pd.Series(corpus.native.sources(), dtype=object)
    return provenance.str.replace(r":(?:row )?\d+$", "", regex=True).rename("source")


def frame_trends(corpus, frames, by: str = "year", *, level: float = 0.95,
                 bootstrap: int | None = None, rolling: int | None = None,
                 seed: int = 0, progress: bool | None = None, balance: str | None = None,
                 dispersion: bool = False) -> TrendTable:
    """See :meth:`framescope.Corpus.frame_trends`."""
    frames = as_frames(frames)
    if balance is not None and (not isinstance(balance, str) or (
            balance not in corpus.meta.columns and balance != "source")):
        raise ValueError(f"balance must be a metadata column (the sources to weigh equally) or "
                         f"\"source\" (the file each document was read from), got {balance!r}; "
                         f"metadata columns: {list(corpus.meta.columns)}")
    if balance is not None and (bootstrap is not None or rolling is not None):
        raise ValueError("balance cannot be combined with bootstrap or rolling")
    def meanwhile():
        # While the core matches: the periods, then the run record's corpus fingerprint
        # (cached on the corpus; hashed on the pool's threads as they finish matching,
        # not after them: 4-5 ms of a 0.1 s call at 16 threads).
        keys = group_keys(corpus.dates, corpus.meta, by)
        corpus_digest(corpus)
        return keys

    counts, (codes, periods) = _frame_matrix_while(corpus, frames, progress, meanwhile)
    if balance is None:
        out = aggregate(counts, corpus.n_tokens, frames.names, codes, periods, level=level,
                        bootstrap=bootstrap, rolling=rolling, seed=seed, by=by_name(by))
    else:
        sources, labels = group_codes(_balance_values(corpus, balance))
        out = trends.balanced(counts, corpus.n_tokens, frames.names, codes, periods, sources,
                              len(labels), level=level, by=by_name(by), balance=balance)
    if dispersion:
        out["dp"] = trends.dispersion(counts, corpus.n_tokens, codes, len(periods)).reshape(-1)
    out.positions = frames.positions  # each frame's colour in plots
    return out


def term_trends(corpus, terms, by: str = "year", **kwargs) -> TrendTable:
    """See :meth:`framescope.Corpus.term_trends`."""
    if isinstance(terms, str):
        terms = [terms]
    return frame_trends(corpus, Frames({t: [t] for t in terms}), by=by, **kwargs)


def frame_cooccurrence(corpus, frames) -> pd.DataFrame:
    """See :meth:`framescope.Corpus.frame_cooccurrence`."""
    frames = as_frames(frames)
    present = frame_matrix(corpus, frames)
    present.data = (present.data > 0).astype(np.int64)
    return frame_table((present.T @ present).tocsr(), frames.names, frames.names)


def frame_overlaps(corpus, frames) -> pd.DataFrame:
    """See :meth:`framescope.Corpus.frame_overlaps`."""
    frames = as_frames(frames)
    pairs = _core.frame_overlaps(corpus.native, corpus.tokenizer, frames.compiled)
    f = len(frames)
    over = sp.csr_matrix((pairs["count"].astype(np.int64), (pairs["a"], pairs["b"])), shape=(f, f))
    return frame_table(over, frames.names, frames.names)


def kwic(corpus, pattern, window: int = 8, *, frame=None) -> KwicTable:
    """See :meth:`framescope.Corpus.kwic`."""
    if not isinstance(window, (int, np.integer)) or window < 0:
        raise ValueError(f"window must be a non-negative int, got {window!r}")
    if isinstance(pattern, str):
        frames = Frames({pattern: [pattern]})
    elif isinstance(pattern, (list, tuple)):
        frames = Frames({p: [p] for p in pattern})
    else:
        frames = as_frames(pattern)
    keep = None
    if frame is not None:
        wanted = [frame] if isinstance(frame, str) else list(frame)
        missing = [f for f in wanted if f not in frames]
        if missing:
            raise KeyError(f"no frames {missing}; frames: {frames.names}")
        keep = [frames.names.index(f) for f in wanted]
    lines = _core.frame_kwic(corpus.native, corpus.tokenizer, frames.compiled, int(window), keep)
    doc, fr = lines["doc"], lines["frame"]
    names = np.asarray(frames.names, dtype=object)
    ids = np.asarray(corpus.ids, dtype=object)
    return KwicTable({
        "doc": doc.astype(np.int64), "id": ids[doc] if len(doc) else [],
        "date": corpus.dates.to_numpy()[doc] if len(doc) else [],
        "frame": names[fr] if len(fr) else [],
        "left": lines["left"], "match": lines["match"], "right": lines["right"],
        "start": lines["start"].astype(np.int64), "end": lines["end"].astype(np.int64),
    })
