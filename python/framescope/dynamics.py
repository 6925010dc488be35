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
import scipy.sparse as sp

from framescope import _core
from framescope.discovery import group_counts, keyness_measure, keyness_table
from framescope.framing import as_frames, frame_matrix
from framescope.grouping import group_codes, group_keys
from framescope.stopwords import stop_word_list
from framescope.trends import period_sums

__all__ = ["Diffusion", "diffusion", "fillers", "frame_context", "forwards"]

MAX_NGRAM = _core.MAX_NGRAM


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


def _slot_parts(corpus, pattern: str) -> list[tuple[str, str]]:
    """The pattern's positions: ("slot", ""), ("prefix", p) or ("word", w), words
    normalised by the corpus' tokenizer (lowercased, ё folded, ...)."""
    if not isinstance(pattern, str):
        raise TypeError(f"pattern must be a str such as 'collective *', got {type(pattern).__name__}")
    parts = []
    for raw in pattern.split():
        if raw == "*":
            parts.append(("slot", ""))
            continue
        kind, text = ("prefix", raw[:-1]) if raw.endswith("*") else ("word", raw)
        tokens = corpus.tokenizer.tokenize(text)
        if len(tokens) != 1 or "*" in text:
            raise ValueError(f"pattern {pattern!r}: {raw!r} is not one word (or one word "
                             "followed by *); slots are a lone *")
        parts.append((kind, tokens[0]))
    kinds = [k for k, _ in parts]
    if "slot" not in kinds or set(kinds) == {"slot"} or not 2 <= len(parts) <= MAX_NGRAM:
        raise ValueError(f"pattern {pattern!r}: give 2 to {MAX_NGRAM} words with at least one "
                         "slot (*) and one word, such as 'collective *' or 'коллективн* *'")
    return parts


def fillers(corpus, pattern: str, by="year", top: int | None = 10) -> pd.DataFrame:
    """See :meth:`framescope.Corpus.fillers`."""
    if top is not None and (not isinstance(top, (int, np.integer)) or top < 1):
        raise ValueError(f"top must be a positive int or None, got {top!r}")
    parts = _slot_parts(corpus, pattern)
    codes, groups = group_keys(corpus.dates, corpus.meta, by)
    terms, counts, tokens = group_counts(corpus, codes, len(groups), len(parts), None)
    words = pd.Series(terms, dtype=object).str.split(" ", n=len(parts) - 1, expand=True)
    keep = np.ones(len(terms), dtype=bool)
    for i, (kind, text) in enumerate(parts):
        if kind == "word":
            keep &= (words[i] == text).to_numpy()
        elif kind == "prefix":
            keep &= words[i].str.startswith(text).to_numpy()
    slots = [i for i, (kind, _) in enumerate(parts) if kind == "slot"]
    chosen = np.flatnonzero(keep)
    filler = words.loc[chosen, slots].agg(" ".join, axis=1).to_numpy() if len(chosen) else []
    sub = counts[chosen].tocoo()
    found = pd.DataFrame({"filler": np.asarray(filler, dtype=object)[sub.row] if len(chosen) else [],
                          "group": sub.col.astype(np.int64), "count": sub.data.astype(np.int64)})
    found = found.groupby(["group", "filler"], as_index=False)["count"].sum()
    found = found.sort_values(["group", "count", "filler"], ascending=[True, False, True],
                              kind="stable")
    found["rank"] = found.groupby("group").cumcount() + 1
    if top is not None:
        found = found[found["rank"] <= top]
    keys = groups.iloc[found["group"].to_numpy()].reset_index(drop=True)
    period_tokens = np.asarray(tokens, dtype=np.float64)[found["group"].to_numpy()]
    with np.errstate(invalid="ignore", divide="ignore"):
        per_10k = np.where(period_tokens > 0, 1e4 * found["count"].to_numpy() / period_tokens, np.nan)
    out = pd.concat([keys, found[["filler", "count", "rank"]].reset_index(drop=True)], axis=1)
    out["per_10k"] = per_10k
    return out


def frame_context(corpus, frames, frame: str | None = None, by="year", window: int = 10,
                  top: int | None = 20, stop_words="auto", measure: str = "lr",
                  min_count: int = 2) -> pd.DataFrame:
    """See :meth:`framescope.Corpus.frame_context`."""
    frames = as_frames(frames)
    if frame is None:
        if len(frames) != 1:
            raise ValueError(f"frame= names the frame whose context to compare; frames: {frames.names}")
        frame = frames.names[0]
    if frame not in frames.names:
        raise KeyError(f"no frame {frame!r}; frames: {frames.names}")
    for name, v in (("window", window), ("min_count", min_count)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive int, got {v!r}")
    if top is not None and (not isinstance(top, (int, np.integer)) or top < 1):
        raise ValueError(f"top must be a positive int or None, got {top!r}")
    measure = keyness_measure(measure)
    codes, groups = group_keys(corpus.dates, corpus.meta, by)
    n_groups = len(groups)
    ctx = _core.frame_context(corpus.native, corpus.tokenizer, frames.compiled,
                              frames.names.index(frame), int(window),
                              np.ascontiguousarray(codes, dtype=np.uint32), n_groups)
    terms = np.asarray(ctx["term"], dtype=object)
    counts = sp.csr_matrix((ctx["count"].astype(np.int64), (ctx["row"].astype(np.int64),
                            ctx["group"].astype(np.int64))), shape=(len(terms), n_groups))
    stop = set(stop_word_list(stop_words) or [])
    if stop:
        keep = np.array([t not in stop for t in terms], dtype=bool)
        terms, counts = terms[keep], counts[keep]
    totals = np.asarray(counts.sum(axis=1)).ravel()
    key_columns = [c for c in groups.columns if c != "start"]
    parts = []
    for g in range(n_groups):
        target = counts[:, g].toarray().ravel()
        if target.sum() == 0 or (totals - target).sum() == 0:
            continue
        k = _core.keyness_counts(terms.tolist(), target.astype(np.uint64),
                                 (totals - target).astype(np.uint64), "default", int(min_count),
                                 "corpus")
        table = keyness_table(k, measure, None)
        table = table[table["G2_uncorrected"] > 0]  # words said more around the frame then
        if top is not None:
            table = table.head(top)
        table = table.rename(columns={"n_target": "n_context", "n_reference": "n_other"})
        table.insert(0, "rank", np.arange(1, len(table) + 1))
        for c in reversed(key_columns):
            table.insert(0, c, groups[c].iat[g])
        parts.append(table)
    if not parts:
        raise ValueError(f"frame {frame!r} has context in fewer than two periods: nothing to compare")
    return pd.concat(parts, ignore_index=True)


def forwards(corpus, frames, source: str = "channel",
             forwarded: str = "forwarded_from") -> pd.DataFrame:
    """See :meth:`framescope.Corpus.forwards`."""
    frames = as_frames(frames)
    for role, column in (("source", source), ("forwarded", forwarded)):
        if column not in corpus.meta.columns:
            raise ValueError(f"{role} column {column!r} not found; metadata columns: "
                             f"{list(corpus.meta.columns)} (Telegram exports read by fs.read "
                             "have channel and forwarded_from)")
    m = frame_matrix(corpus, frames).tocoo()
    meta = corpus.meta
    hits = pd.DataFrame({"doc": m.row.astype(np.int64), "frame": m.col.astype(np.int64),
                         "date": corpus.dates.to_numpy()[m.row],
                         "to": meta[source].to_numpy()[m.row],
                         "from": meta[forwarded].to_numpy()[m.row]})
    columns = ["from", "to", "frame", "count", "median_lag_days"]
    fwd = hits[hits["from"].notna() & (hits["from"].astype(str) != "")]
    if fwd.empty:
        return pd.DataFrame(columns=columns)
    # Each forward's lag: days since the forwarded source's latest earlier post with a
    # hit of the frame (that is not itself a forward), where that source is in the corpus.
    own = hits[hits["from"].isna() | (hits["from"].astype(str) == "")].dropna(subset=["date"])
    own = own[["to", "frame", "date"]].rename(columns={"to": "from", "date": "own_date"})
    left = fwd.dropna(subset=["date"]).sort_values("date", kind="stable")
    lagged = pd.merge_asof(left, own.sort_values("own_date", kind="stable"), left_on="date",
                           right_on="own_date", by=["from", "frame"], direction="backward")
    lagged["lag"] = (lagged["date"] - lagged["own_date"]).dt.days
    lags = lagged.groupby(["from", "to", "frame"])["lag"].median()
    edges = fwd.groupby(["from", "to", "frame"]).size().rename("count").to_frame()
    edges["median_lag_days"] = lags.reindex(edges.index)
    edges = edges.reset_index()
    edges["frame"] = np.asarray(frames.names, dtype=object)[edges["frame"].to_numpy()]
    edges = edges.sort_values(["count", "from", "to", "frame"], ascending=[False, True, True, True],
                              kind="stable").reset_index(drop=True)
    return edges[columns]
