"""Frame trends, term counts and document-term matrices over Dask collections
(``pip install framescope[dask]``).

Each partition is reduced on its worker to mergeable partial results (per-period
sums; term counts; a vocabulary's document frequencies); the driver adds them up.
The results equal the single-machine results on the same documents (tested on a
``dask.distributed.LocalCluster``). Duplicates across partitions are not removed.

- :func:`frame_trends`, :func:`term_frequencies`: as the :class:`~framescope.Corpus` methods.
- :func:`fit`: fits a :class:`framescope.CountVectorizer` or
  :class:`framescope.TfidfVectorizer` (vocabulary, pruning, ``idf_``) from
  per-partition :class:`TermStats`; :func:`transform` then gives the matrix, one
  csr block per partition, stacked in partition order or left lazy.

On a real cluster: install framescope on every worker, then e.g.::

    from dask.distributed import Client
    import dask.dataframe as dd
    import framescope as fs, framescope.dask as fsd

    client = Client("tcp://scheduler:8786")
    posts = dd.read_parquet("s3://bucket/posts/")        # columns text, date, ...
    trend = fsd.frame_trends(posts, fs.Frames.builtin(), by="year")
    trend.plot()
    vec = fsd.fit(posts, fs.TfidfVectorizer(min_df=5))  # vocabulary and idf_ from all partitions
    X = fsd.transform(posts, vec)                       # scipy.sparse.csr_matrix, rows in order
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import scipy.sparse as sp

from framescope.corpus import Corpus
from framescope.frames import Frames
from framescope.notices import gathered, warn_about
from framescope.progress import bar
from framescope.provenance import recorded
from framescope.scanning import batch_sums, sum_terms, trends_from_sums
from framescope.trends import TrendTable
from framescope.vectorize import CountVectorizer
from framescope.vocabulary import TermStats

__all__ = ["TermStats", "fit", "fit_transform", "frame_trends", "term_frequencies", "transform"]


def _corpus(part, text: str, date: str | None, clean: bool, dating: dict,
            id: str | None = "id") -> Corpus:
    """A partition's corpus; ``dating``: ``from_pandas``' date options (``dayfirst``,
    ``date_range``, ``bad_dates``)."""
    frame = part if isinstance(part, pd.DataFrame) else pd.DataFrame(list(part))
    if len(frame) == 0:
        return Corpus.from_texts([])
    corpus = Corpus.from_pandas(frame.reset_index(drop=True), text=text,
                                date=date if date in frame.columns else None,
                                id=id if id in frame.columns else None, **dating)
    return corpus.dedup(duplicates=False) if clean else corpus


def _dating(dayfirst: bool | None, date_range, bad_dates: str) -> dict:
    """The date options every partition's corpus is built with (checked on the driver
    before any partition is read)."""
    if bad_dates not in ("raise", "undated"):
        raise ValueError(f'bad_dates must be "raise" or "undated", got {bad_dates!r}')
    return {"dayfirst": dayfirst, "date_range": date_range, "bad_dates": bad_dates}


def _noted(part, index: int, text: str, date: str | None, clean: bool,
           dating: dict) -> tuple[Corpus, pd.DataFrame]:
    """A partition's corpus, and its report (dates left undated with
    ``bad_dates="undated"``; words hyphenated across lines, HTML, text escaped twice: see
    :func:`framescope.notices.note_rows`) gathered with the partition named, for the
    driver to warn about once."""
    with gathered() as noted:
        corpus = _corpus(part, text, date, clean, dating)
    rows = (pd.concat(noted, ignore_index=True) if noted
            else pd.DataFrame(columns=["source", "kind", "message"]))
    rows["source"] = [f"partition {index}: {s}" for s in rows["source"]]
    return corpus, rows


def _warn_of_notes(parts: list, who: str) -> list:
    """The partitions' results, their reports warned about once (one warning per kind)."""
    notes = [rows for _, rows in parts if len(rows)]
    if notes:
        warn_about(pd.concat(notes, ignore_index=True), who,
                   "Corpus.check() on that partition's documents", stacklevel=5)
    return [result for result, _ in parts]


def _part_sums(part, index: int, frames: Frames, by: str, text: str, date: str | None,
               clean: bool, dating: dict):
    corpus, notes = _noted(part, index, text, date, clean, dating)
    if len(corpus) == 0:
        return pd.DataFrame(columns=[f"hits:{n}" for n in frames.names]
                            + [f"with:{n}" for n in frames.names] + ["docs", "tokens"]), notes
    return batch_sums(corpus, frames, by), notes


def _part_terms(part, index: int, text: str, date: str | None, clean: bool, kwargs: dict,
                dating: dict):
    corpus, notes = _noted(part, index, text, date, clean, dating)
    if len(corpus) == 0:
        return pd.DataFrame({"term": pd.Series([], dtype=object),
                             "count": pd.Series([], dtype="int64"),
                             "doc_freq": pd.Series([], dtype="int64")}), notes
    return corpus.term_frequencies(**kwargs), notes


def _delayed_parts(data, fn, indexed: bool = False) -> list:
    """``fn`` applied to every partition of a dask DataFrame or Bag, as delayed objects."""
    import dask

    if not hasattr(data, "to_delayed"):
        raise TypeError(
            f"expected a dask.dataframe.DataFrame or a dask.bag.Bag, got {type(data).__name__}")
    fn = dask.delayed(fn)
    return [fn(p, i) if indexed else fn(p) for i, p in enumerate(data.to_delayed())]


def _partials(data, fn, indexed: bool = False, progress: bool | None = None) -> list:
    """Runs ``fn`` on every partition of a dask DataFrame or Bag; the partial results,
    with a progress bar over partitions (see :mod:`framescope.progress`)."""
    import dask

    parts = _delayed_parts(data, fn, indexed)
    with bar("partitions", len(parts), progress, poll=False) as shown:
        if shown is None:
            return list(dask.compute(*parts))
        client = _client()
        if client is not None:  # a distributed cluster: count futures as they finish
            from distributed import as_completed

            futures = client.compute(parts)
            for _ in as_completed(futures):
                shown.update(1)
            return client.gather(futures)
        from dask.callbacks import Callback

        keys = {p.key for p in parts}

        class _Tick(Callback):
            def _posttask(self, key, result, dsk, state, worker_id):
                if key in keys:
                    shown.update(1)

        with _Tick():
            return list(dask.compute(*parts))


def _client():
    """The active dask.distributed client, or None (local schedulers)."""
    try:
        from distributed import get_client

        return get_client()
    except (ImportError, ValueError):
        return None


@recorded("dask.frame_trends")
def frame_trends(data, frames, by: str = "year", *, text: str = "text", date: str | None = "date",
                 clean: bool = True, level: float = 0.95, rolling: int | None = None,
                 dayfirst: bool | None = None, date_range=None, bad_dates: str = "raise",
                 progress: bool | None = None) -> TrendTable:
    """:meth:`framescope.Corpus.frame_trends` over a dask DataFrame (or a Bag of records).

    Each partition is cleaned (``clean``: platform lines, repeated blocks, empty posts)
    and reduced to per-period sums on its worker; the trend table is built from their
    total, so it equals the single-machine table on the same documents. ``by`` is a
    time period, a column of the data, or a list of them (``["party", "decade"]``).
    Bootstrap intervals need the documents and are not offered. A column named ``id``
    (if any) gives the documents' ids. Dates follow :meth:`Corpus.from_texts`'s rules
    (``dayfirst`` for "04/05/2023"; ``date_range`` for plausible dates; ``bad_dates=
    "undated"`` leaves a bad value undated, with one warning on the driver naming the
    partition and row of the first). ``progress``: a bar over partitions as they
    finish, on a local scheduler or a distributed cluster (see :mod:`framescope.progress`).
    What in the texts may make counts wrong (words hyphenated across line breaks, HTML
    left in, text escaped twice) is one warning per kind on the driver, naming the
    partition and row of the first, as :meth:`Corpus.from_pandas` says it.
    """
    frames = frames if isinstance(frames, Frames) else Frames(frames)
    parts = _warn_of_notes(_partials(data, partial(_part_sums, frames=frames, by=by, text=text,
                                                   date=date, clean=clean,
                                                   dating=_dating(dayfirst, date_range,
                                                                  bad_dates)),
                                     indexed=True, progress=progress),
                           "framescope.dask.frame_trends")
    sums = pd.concat(parts) if parts else pd.DataFrame()
    return trends_from_sums(sums, frames, by, level=level, rolling=rolling)


@recorded("dask.term_frequencies")
def term_frequencies(data, *, text: str = "text", date: str | None = "date", clean: bool = True,
                     stop_words=None, stem=None, ngram=1, top: int | None = None,
                     dayfirst: bool | None = None, date_range=None,
                     bad_dates: str = "raise") -> pd.DataFrame:
    """:meth:`framescope.Corpus.term_frequencies` (count, doc_freq) over a dask collection;
    dates (read where a ``date`` column is present) and notes on the texts as in
    :func:`frame_trends`."""
    kwargs = {"stop_words": stop_words, "stem": stem, "ngram": ngram}
    parts = _warn_of_notes(_partials(data, partial(_part_terms, text=text, date=date, clean=clean,
                                                   kwargs=kwargs,
                                                   dating=_dating(dayfirst, date_range,
                                                                  bad_dates)),
                                     indexed=True),
                           "framescope.dask.term_frequencies")
    out = sum_terms(parts).sort_values(["count", "term"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    return out.head(top) if top is not None else out


# ---------------------------------------------------------------- vectorizers
def _texts(part, text: str, index: int):
    """The documents of one partition: a DataFrame's ``text`` column (a Series: the
    vectorizers read Arrow-stored strings in place), or a Bag's items."""
    if isinstance(part, pd.DataFrame):
        if text not in part.columns:
            raise ValueError(f"partition {index}: no column {text!r}; columns: {list(part.columns)}")
        return part[text]
    if isinstance(part, pd.Series):
        return part
    return [r[text] if isinstance(r, dict) else r for r in part]


def _in_partition(index: int, fn):
    """Runs ``fn``; a TypeError or ValueError names the partition."""
    try:
        return fn()
    except (TypeError, ValueError) as e:
        raise type(e)(f"partition {index}: {e}") from e


def _part_stats(part, index: int, vectorizer: CountVectorizer, text: str) -> TermStats:
    docs = _texts(part, text, index)
    return _in_partition(index, lambda: vectorizer.term_stats(docs))


def fit(data, vectorizer: CountVectorizer, *, text: str = "text") -> CountVectorizer:
    """Fits ``vectorizer`` (a :class:`framescope.CountVectorizer` or
    :class:`framescope.TfidfVectorizer`) on a dask DataFrame's ``text`` column or a
    Bag of str (or of records with a ``text`` field); returns it, fitted.

    Each partition counts its terms' document frequencies and totals
    (:class:`TermStats`); the driver merges them, prunes the vocabulary
    (``min_df``, ``max_df``, ``max_features``) and sets ``idf_`` exactly as
    ``vectorizer.fit`` on all documents would, so :func:`transform` then gives the
    same matrix as ``vectorizer.fit_transform`` on one machine.
    """
    if not isinstance(vectorizer, CountVectorizer):
        raise TypeError(f"expected a framescope CountVectorizer or TfidfVectorizer, "
                        f"got {type(vectorizer).__name__}")
    vectorizer.term_stats([])  # checks the parameters before any partition runs
    parts = _partials(data, partial(_part_stats, vectorizer=vectorizer, text=text), indexed=True)
    return vectorizer.fit_stats(TermStats.merge(parts, fixed=bool(vectorizer.fixed_vocabulary_)))


def _part_matrix(part, index: int, vectorizer: CountVectorizer, text: str):
    docs = _texts(part, text, index)
    return _in_partition(index, lambda: vectorizer.transform(docs))


def transform(data, vectorizer: CountVectorizer, *, text: str = "text", compute: bool = True):
    """The document-term (or TF-IDF) matrix of ``data`` under a fitted ``vectorizer``.

    ``compute=True``: one ``scipy.sparse.csr_matrix``, rows in partition order.
    ``compute=False``: a list of ``dask.delayed`` csr blocks, one per partition,
    for matrices too large to gather on the driver.
    """
    n_terms = len(vectorizer.get_feature_names_out())  # raises NotFittedError first
    blocks = _delayed_parts(data, partial(_part_matrix, vectorizer=vectorizer, text=text),
                            indexed=True)
    if not compute:
        return blocks
    import dask

    computed = list(dask.compute(*blocks))
    if not computed:
        return sp.csr_matrix((0, n_terms), dtype=vectorizer.dtype)
    return sp.vstack(computed, format="csr")


def fit_transform(data, vectorizer: CountVectorizer, *, text: str = "text"):
    """:func:`fit`, then :func:`transform`: the fitted vectorizer and the matrix."""
    fit(data, vectorizer, text=text)
    return vectorizer, transform(data, vectorizer, text=text)
