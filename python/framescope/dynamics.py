"""How frames spread: which source took a frame up first, who followed and how late,
and each source's share of the frame's use per period.

The counting is the core's (frame hits per document, one sparse matrix); this module
groups the stored hits (never documents x frames) with pandas and numpy.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framescope.framing import as_frames, frame_matrix
from framescope.grouping import group_codes, group_keys
from framescope.trends import period_sums

__all__ = ["Diffusion", "diffusion"]


@dataclass
class Diffusion:
    """The result of :meth:`framescope.Corpus.diffusion`.

    ``adoption``: one row per frame and source: ``first`` and ``last`` (dates of the
    first and last dated document with a hit; NaT if none), ``lag_days`` (days from
    the frame's first use by any source to this source's first use), ``rank`` (1 for
    the first adopter; ties share a rank; NaN for sources that never used it),
    ``hits``, ``docs_with_hit`` and ``docs`` (the source's documents).
    ``shares``: one row per period, frame and source: ``hits`` and ``share`` (of the
    frame's hits in that period; NaN where the frame had none).
    """

    adoption: pd.DataFrame
    shares: pd.DataFrame
    source: str
    by: str

    def plot(self, **kwargs):
        """:func:`framescope.plot.adoption` of this result."""
        from framescope import plot

        return plot.adoption(self, **kwargs)

    def _repr_html_(self) -> str:
        return (f"<p><b>Diffusion</b> of {self.adoption['frame'].nunique()} frames over "
                f"{self.adoption['source'].nunique()} values of {html.escape(self.source)}</p>"
                + self.adoption.to_html(index=False))


def diffusion(corpus, frames, source: str, by: str = "month") -> Diffusion:
    """See :meth:`framescope.Corpus.diffusion`."""
    frames = as_frames(frames)
    if not isinstance(source, str) or source not in corpus.meta.columns:
        raise ValueError(f"source must be a metadata column, got {source!r}; metadata columns: "
                         f"{list(corpus.meta.columns)}")
    m = frame_matrix(corpus, frames).tocoo()
    src, sources = group_codes(corpus.meta[source])
    dates = corpus.dates.to_numpy()
    hits = pd.DataFrame({"frame": m.col.astype(np.int64), "source": src[m.row],
                         "date": dates[m.row], "count": m.data.astype(np.int64)})
    grouped = hits.groupby(["frame", "source"], sort=True)
    found = pd.DataFrame({"first": grouped["date"].min(), "last": grouped["date"].max(),
                          "hits": grouped["count"].sum(), "docs_with_hit": grouped.size()})
    full = pd.MultiIndex.from_product([range(len(frames)), range(len(sources))],
                                      names=["frame", "source"])
    table = found.reindex(full)
    table["hits"] = table["hits"].fillna(0).astype(np.int64)
    table["docs_with_hit"] = table["docs_with_hit"].fillna(0).astype(np.int64)
    table = table.reset_index()
    table["docs"] = np.bincount(src, minlength=len(sources))[table["source"].to_numpy()]
    first_any = table.groupby("frame")["first"].transform("min")
    table["lag_days"] = (table["first"] - first_any).dt.days
    table["rank"] = table.groupby("frame")["first"].rank(method="min")
    table["frame"] = np.asarray(frames.names, dtype=object)[table["frame"].to_numpy()]
    table["source"] = np.asarray(sources, dtype=object)[table["source"].to_numpy()]
    table = table.sort_values(["frame", "rank", "source"], key=_frame_order(frames.names),
                              na_position="last", kind="stable").reset_index(drop=True)
    adoption = table[["frame", "source", "first", "last", "lag_days", "rank", "hits",
                      "docs_with_hit", "docs"]]
    return Diffusion(adoption, _shares(corpus, frames, m.tocsr(), source, by), source, by)


def _frame_order(names: list[str]):
    """Sort key: frames in dictionary order, other columns as they are."""
    position = {n: i for i, n in enumerate(names)}

    def key(column: pd.Series) -> pd.Series:
        return column.map(position) if column.name == "frame" else column

    return key


def _shares(corpus, frames, m, source: str, by: str) -> pd.DataFrame:
    """Hits per period, frame and source, and each source's share of the frame's hits."""
    codes, groups = group_keys(corpus.dates, corpus.meta, [by, source])
    hits = period_sums(m, corpus.n_tokens, codes, len(groups))[0].astype(np.int64)
    n_frames = len(frames)
    out = pd.DataFrame({
        "period": np.repeat(groups["period"].to_numpy(), n_frames),
        "start": np.repeat(groups["start"].to_numpy(), n_frames),
        "frame": np.tile(np.asarray(frames.names, dtype=object), len(groups)),
        "source": np.repeat(groups[source].to_numpy(), n_frames),
        "hits": hits.reshape(-1),
    })
    total = out.groupby(["period", "frame"], sort=False)["hits"].transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = np.where(total > 0, out["hits"] / total.where(total > 0, 1), np.nan)
    return out
