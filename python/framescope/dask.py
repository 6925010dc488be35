"""Frame trends and term counts over Dask collections (``pip install framescope[dask]``).

Each partition becomes a :class:`framescope.Corpus` on a worker and is reduced to
mergeable partial results (per-period sums; term counts); the driver adds them up.
The results equal the single-machine results on the same documents (tested on a
``dask.distributed.LocalCluster``). Duplicates across partitions are not removed.

On a real cluster: install framescope on every worker, then e.g.::

    from dask.distributed import Client
    import dask.dataframe as dd
    import framescope as fs, framescope.dask as fsd

    client = Client("tcp://scheduler:8786")
    posts = dd.read_parquet("s3://bucket/posts/")        # columns text, date, ...
    trend = fsd.frame_trends(posts, fs.Frames.builtin(), by="year")
    trend.plot()
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from framescope.corpus import Corpus
from framescope.frames import Frames
from framescope.scanning import _sum_terms, batch_sums, trends_from_sums
from framescope.trends import TrendTable

__all__ = ["frame_trends", "term_frequencies"]


def _corpus(part, text: str, date: str | None, clean: bool, id: str | None = "id") -> Corpus:
    frame = part if isinstance(part, pd.DataFrame) else pd.DataFrame(list(part))
    if len(frame) == 0:
        return Corpus.from_texts([])
    corpus = Corpus.from_pandas(frame.reset_index(drop=True), text=text,
                                date=date if date in frame.columns else None,
                                id=id if id in frame.columns else None)
    return corpus.dedup(duplicates=False) if clean else corpus


def _part_sums(part, frames: Frames, by: str, text: str, date: str | None, clean: bool):
    corpus = _corpus(part, text, date, clean)
    if len(corpus) == 0:
        return pd.DataFrame(columns=[f"hits:{n}" for n in frames.names]
                            + [f"with:{n}" for n in frames.names] + ["docs", "tokens"])
    return batch_sums(corpus, frames, by)


def _part_terms(part, text: str, date: str | None, clean: bool, kwargs: dict):
    corpus = _corpus(part, text, date, clean)
    if len(corpus) == 0:
        return pd.DataFrame({"term": pd.Series([], dtype=object),
                             "count": pd.Series([], dtype="int64"),
                             "doc_freq": pd.Series([], dtype="int64")})
    return corpus.term_frequencies(**kwargs)


def _partials(data, fn) -> list[pd.DataFrame]:
    """Runs ``fn`` on every partition of a dask DataFrame or Bag; the partial results."""
    import dask

    if hasattr(data, "to_delayed"):
        parts = [dask.delayed(fn)(p) for p in data.to_delayed()]
        return list(dask.compute(*parts))
    raise TypeError(f"expected a dask.dataframe.DataFrame or a dask.bag.Bag, got {type(data).__name__}")


def frame_trends(data, frames, by: str = "year", *, text: str = "text", date: str | None = "date",
                 clean: bool = True, level: float = 0.95, rolling: int | None = None) -> TrendTable:
    """:meth:`framescope.Corpus.frame_trends` over a dask DataFrame (or a Bag of records).

    Each partition is cleaned (``clean``: platform lines, repeated blocks, empty posts)
    and reduced to per-period sums on its worker; the trend table is built from their
    total, so it equals the single-machine table on the same documents. ``by`` is a
    time period or a column of the data. Bootstrap intervals need the documents and
    are not offered. A column named ``id`` (if any) gives the documents' ids.
    """
    frames = frames if isinstance(frames, Frames) else Frames(frames)
    parts = _partials(data, partial(_part_sums, frames=frames, by=by, text=text, date=date,
                                    clean=clean))
    sums = pd.concat(parts) if parts else pd.DataFrame()
    return trends_from_sums(sums, frames, by, level=level, rolling=rolling)


def term_frequencies(data, *, text: str = "text", date: str | None = "date", clean: bool = True,
                     stop_words=None,
                     stem=None, ngram=1, top: int | None = None) -> pd.DataFrame:
    """:meth:`framescope.Corpus.term_frequencies` (count, doc_freq) over a dask collection."""
    kwargs = {"stop_words": stop_words, "stem": stem, "ngram": ngram}
    parts = _partials(data, partial(_part_terms, text=text, date=date, clean=clean, kwargs=kwargs))
    out = _sum_terms(parts).sort_values(["count", "term"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    return out.head(top) if top is not None else out
