"""Per-period aggregation of per-document counts: rates, shares and intervals.

The counting is done in Rust (hits per document and frame); this module groups
documents by period with numpy (``bincount`` over period codes, no Python loop
over documents) and computes:

- ``per_10k = 10000 * hits / tokens`` with an exact Poisson interval for the
  count (Garwood: ``chi2.ppf(a/2, 2k)/2`` .. ``chi2.ppf(1-a/2, 2k+2)/2``), divided
  by the tokens;
- ``doc_share = docs_with_hit / docs`` with a Wilson score interval;
- optionally, percentile intervals from a document bootstrap (documents resampled
  within each period with Poisson(1) weights, in the core: exact percentiles in
  memory that does not grow with the number of resamples).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from framescope import _core
from framescope.grouping import group_columns
from framescope.progress import bar
from framescope.provenance import attach, derived_record, provenance

__all__ = ["TrendTable", "aggregate", "period_sums", "table", "poisson_interval", "wilson_interval"]

def _derived(out: pd.DataFrame, table: pd.DataFrame, call: str, parameters: dict) -> pd.DataFrame:
    """``out``, made from ``table`` by ``call``, with a record whose parent is the
    table's (when it has one)."""
    parent = provenance(table)
    if parent is not None:
        attach(out, derived_record(call, parent, parameters))
    return out


class TrendTable(pd.DataFrame):
    """A tidy trend table (one row per period and frame) with a :meth:`plot` method."""

    _metadata = ["by", "ci_method", "level", "positions", "groups"]

    @property
    def _constructor(self):
        return TrendTable

    def plot(self, *args, **kwargs):  # noqa: D102 - documented in framescope.plot.trends
        from framescope import plot

        return plot.trends(self, *args, **kwargs)

    def ratio(self, numerator: str, denominator: str) -> pd.DataFrame:
        """One frame's rate relative to another's, per period (and group): ``ratio`` =
        hits of ``numerator`` / hits of ``denominator`` (the same tokens, so the ratio
        of their rates), with an interval from the Wilson interval of the numerator's
        share of both frames' hits (p / (1 - p); the counts are conditionally
        binomial). NaN where neither frame has a hit.

        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["Global Majority, Global Majority, collective West"],
        ...                          dates=["2024-01-01"])
        >>> t = c.term_trends(["Global Majority", "collective West"])
        >>> t.ratio("Global Majority", "collective West")[["period", "numerator_hits", "ratio"]]
          period  numerator_hits  ratio
        0   2024               2    2.0
        """
        keys = [c for c in self.columns[:self.columns.get_loc("frame")]]
        names = set(self["frame"])
        for name in (numerator, denominator):
            if name not in names:
                raise KeyError(f"no frame {name!r} in the table; frames: {sorted(names)}")
        a = self[self["frame"] == numerator].reset_index(drop=True)
        b = self[self["frame"] == denominator].reset_index(drop=True)
        out = pd.DataFrame(a[keys])
        out["numerator_hits"] = a["hits"].to_numpy()
        out["denominator_hits"] = b["hits"].to_numpy()
        x = out["numerator_hits"].to_numpy(dtype=float)
        n = x + out["denominator_hits"].to_numpy(dtype=float)
        level = getattr(self, "level", 0.95) or 0.95
        lo, hi = wilson_interval(x, n, level)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["ratio"] = np.where(n > 0, x / (n - x), np.nan)
            out["ci_low"] = np.where(n > 0, lo / (1 - lo), np.nan)
            out["ci_high"] = np.where(n > 0, hi / (1 - hi), np.nan)
        return _derived(out, self, "TrendTable.ratio",
                        {"numerator": numerator, "denominator": denominator})

    def correct(self, labels: pd.DataFrame, draws: int = 4000, seed: int = 0) -> pd.DataFrame:
        """The table with rates corrected by the precision of a hand-coded validation
        sample (:meth:`framescope.Corpus.validation_sample` with its ``label`` column
        filled: 1 the frame, 0 a false positive). Adds ``precision`` (with a Jeffreys
        interval, ``precision_n`` coded hits; ``precision_from`` "period", or "pooled"
        when the period has no coded hit and the frame's pooled precision is used),
        ``corrected`` = per_10k x precision with ``corrected_low``/``corrected_high``
        (2.5 and 97.5 percentiles of ``draws`` seeded draws of the count's Jeffreys
        posterior times the precision's Beta posterior), and ``drift`` (the period's
        precision interval excludes the frame's pooled precision)."""
        from framescope.validation import correct

        return _derived(correct(self, labels, draws, seed), self, "TrendTable.correct",
                        {"labels": labels, "draws": draws, "seed": seed})

    def change_points(self, value: str = "per_10k", method: str = "pelt",
                      penalty: float | None = None, min_size: int = 2) -> pd.DataFrame:
        """Where each frame's series shifts: PELT with a least-squares cost over the dated
        periods (the ``ruptures`` package's ``Pelt(model="l2")``, same breakpoints).

        ``value``: the column ("per_10k" or "doc_share"); ``penalty`` per segment
        (None: 2 σ² ln(n) with σ from the median absolute difference of consecutive
        values); ``min_size``: the fewest periods in a segment. Periods without tokens
        are skipped. Returns one row per change: the key columns, ``frame``,
        ``period``/``start`` (the first period after the change), the segment means
        ``before`` and ``after``, ``change`` = after - before, and the ``penalty`` used.
        ``plot(change_points=...)`` draws them.

        >>> import framescope as fs
        >>> years = [f"{y}-01-01" for y in range(2010, 2020)]
        >>> c = fs.Corpus.from_texts(["the West w w w"] * 5 + ["the West West West w"] * 5,
        ...                          dates=years)
        >>> c.term_trends(["West"]).change_points()[["period", "before", "after"]]
          period  before   after
        0   2015  2000.0  6000.0
        """
        from framescope.changepoints import change_points

        return _derived(change_points(self, value, method, penalty, min_size), self,
                        "TrendTable.change_points", {"value": value, "method": method,
                                                     "penalty": penalty, "min_size": min_size})


def poisson_interval(k: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for a Poisson count ``k``.

    >>> lo, hi = poisson_interval(np.array([0, 10]))
    >>> np.round(lo, 3).tolist(), np.round(hi, 3).tolist()
    ([0.0, 4.795], [3.689, 18.39])
    """
    k = np.asarray(k, dtype=float)
    a = 1 - level
    lo = np.where(k > 0, stats.chi2.ppf(a / 2, 2 * k) / 2, 0.0)
    hi = stats.chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return lo, hi


def wilson_interval(x: np.ndarray, n: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for ``x`` successes in ``n`` trials (NaN where ``n == 0``).

    >>> lo, hi = wilson_interval(np.array([3]), np.array([10]))
    >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
    (0.1078, 0.6032)
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    z = stats.norm.ppf(1 - (1 - level) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        denom = 1 + z * z / n
        center = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return center - half, center + half


def period_sums(counts, n_tokens: np.ndarray, codes: np.ndarray, n_periods: int):
    """Per-period sums of per-document counts: hits and docs_with_hit (periods x frames), docs, tokens.

    ``counts`` is a documents x frames matrix, sparse (as frames are counted) or
    dense; work and memory follow its stored values, never documents x frames.
    """
    counts = sp.csr_matrix(counts, dtype=np.float64)
    codes = np.asarray(codes, dtype=np.int64)
    tokens = np.bincount(codes, weights=n_tokens.astype(np.float64), minlength=n_periods)
    docs = np.bincount(codes, minlength=n_periods).astype(np.float64)
    # Each stored value added into its (period, column) cell.
    n_cols = counts.shape[1]
    cell = np.repeat(codes, np.diff(counts.indptr)) * n_cols + counts.indices
    size = n_periods * n_cols
    hits = np.bincount(cell, weights=counts.data, minlength=size).reshape(n_periods, n_cols)
    with_hit = np.bincount(cell, weights=(counts.data > 0).astype(np.float64),
                           minlength=size).reshape(n_periods, n_cols)
    return hits, with_hit, docs, tokens


def _roll(periods: pd.DataFrame, rolling: int):
    """A function summing each row with the ``rolling - 1`` time periods before it in its
    group (the key columns other than the period); rows without a time stay as they are."""
    timed = np.flatnonzero(periods["start"].notna().to_numpy())
    groups = group_columns(periods)
    if groups:
        gid = pd.MultiIndex.from_frame(periods[groups].astype(str)).factorize()[0][timed]
    else:
        gid = np.zeros(len(timed), dtype=np.int64)
    order = np.lexsort((periods["start"].to_numpy()[timed], gid))
    rows, gid = timed[order], gid[order]
    first = np.flatnonzero(np.r_[True, gid[1:] != gid[:-1]])  # where each group starts
    start_of = np.repeat(first, np.diff(np.r_[first, len(rows)]))
    low = np.maximum(np.arange(len(rows)) + 1 - rolling, start_of)

    def roll(a):
        a = np.array(a, dtype=float, copy=True)
        cs = np.concatenate([np.zeros((1,) + a.shape[1:]), np.cumsum(a[rows], axis=0)])
        a[rows] = cs[1:] - cs[low]
        return a

    return roll


def table(hits, with_hit, docs, tokens, names: list[str], periods: pd.DataFrame, *,
          level: float = 0.95, rolling: int | None = None, by: str = "") -> TrendTable:
    """The tidy trend table from per-group sums (see :func:`period_sums`): the groups
    table's columns (:mod:`framescope.grouping`: ``period``, ``start``, one per other
    key), then ``frame`` and the measures."""
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    n_periods = len(periods)
    if rolling is not None:
        if not isinstance(rolling, (int, np.integer)) or rolling < 1:
            raise ValueError(f"rolling must be a positive int, got {rolling!r}")
        # Trailing sums over `rolling` consecutive time periods within each group.
        roll = _roll(periods, int(rolling))
        tokens, docs, hits, with_hit = roll(tokens), roll(docs), roll(hits), roll(with_hit)
    n_frames = len(names)
    # Every column computed in numpy, then one DataFrame (each column set on a frame
    # costs pandas about 0.1-0.2 ms: a third of this function's time before).
    hits = np.asarray(hits).reshape(-1).astype(np.int64)
    with_hit = np.asarray(with_hit).reshape(-1).astype(np.int64)
    docs = np.repeat(docs, n_frames).astype(np.int64)
    tokens = np.repeat(tokens, n_frames).astype(np.int64)
    tok = tokens.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo, hi = poisson_interval(hits, level)
        measures = {
            "per_10k": np.where(tok > 0, 1e4 * hits / tok, np.nan),
            "doc_share": np.where(docs > 0, with_hit / docs, np.nan),
            "ci_low": np.where(tok > 0, 1e4 * lo / tok, np.nan),
            "ci_high": np.where(tok > 0, 1e4 * hi / tok, np.nan),
        }
    slo, shi = wilson_interval(with_hit, docs, level)
    out = TrendTable({
        **{c: np.repeat(periods[c].to_numpy(), n_frames) for c in periods.columns},
        "frame": np.tile(np.asarray(names, dtype=object), n_periods),
        "hits": hits, "docs_with_hit": with_hit, "docs": docs, "tokens": tokens,
        **measures, "share_ci_low": slo, "share_ci_high": shi,
    })
    out.by = by
    out.groups = group_columns(periods)
    out.ci_method = "poisson-exact / wilson"
    out.level = level
    return out


def aggregate(counts: np.ndarray, n_tokens: np.ndarray, names: list[str], codes: np.ndarray,
              periods: pd.DataFrame, *, level: float = 0.95, bootstrap: int | None = None,
              rolling: int | None = None, seed: int = 0, by: str = "") -> TrendTable:
    """The tidy trend table from per-document ``counts`` (docs x frames)."""
    n_periods = len(periods)
    sums = period_sums(counts, n_tokens, codes, n_periods)
    out = table(*sums, names, periods, level=level, rolling=rolling, by=by)
    if bootstrap is not None:
        if rolling is not None:
            raise ValueError("bootstrap and rolling cannot be combined")
        if not isinstance(bootstrap, (int, np.integer)) or bootstrap < 100:
            raise ValueError(f"bootstrap must be an int >= 100 (resamples), got {bootstrap!r}")
        if not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a non-negative int, got {seed!r}")
        b = _bootstrap(counts, n_tokens, codes, n_periods, int(bootstrap), level, seed)
        out["ci_low"], out["ci_high"] = b[0].reshape(-1), b[1].reshape(-1)
        out["share_ci_low"], out["share_ci_high"] = b[2].reshape(-1), b[3].reshape(-1)
        out.ci_method = f"bootstrap ({bootstrap} document resamples per period)"
    return out


def _bootstrap(counts, n_tokens, codes, n_periods, n_boot, level, seed):
    """Percentile intervals of per_10k and doc_share from a Poisson document bootstrap
    within periods, in the core: memory does not grow with ``n_boot`` (see the README)."""
    counts = sp.csr_matrix(counts)
    counts.sort_indices()
    n_frames = counts.shape[1]
    with bar("bootstrap (resamples drawn)", None):
        out = _core.bootstrap_intervals(
            counts.indptr.astype(np.uint64), counts.indices.astype(np.uint32),
            np.asarray(counts.data).astype(np.uint32), n_frames,
            np.asarray(n_tokens).astype(np.uint64), np.asarray(codes).astype(np.uint32),
            n_periods, n_boot, float(level), int(seed))
    return [out[k].reshape(n_periods, n_frames)
            for k in ("rate_low", "rate_high", "share_low", "share_high")]


def fay_feuer_interval(w: np.ndarray, x: np.ndarray, level: float = 0.95):
    """Fay and Feuer's (1997) gamma interval for a weighted sum of Poisson counts
    ``sum(w * x)`` along the last axis (weights ``w``, counts ``x``, NaN weights left
    out): the standard interval of directly standardized rates; with one count it is
    the exact Garwood interval.

    >>> lo, hi = fay_feuer_interval(np.array([[1.0]]), np.array([[10.0]]))
    >>> round(float(lo[0]), 3), round(float(hi[0]), 3)
    (4.795, 18.39)
    """
    w = np.where(np.isnan(w), 0.0, w)
    y = (w * x).sum(axis=-1)
    v = (w * w * x).sum(axis=-1)
    wm = w.max(axis=-1)
    a = 1 - level
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.where(y > 0, stats.gamma.ppf(a / 2, y * y / np.where(v > 0, v, 1),
                                             scale=np.where(y > 0, v / np.where(y > 0, y, 1), 1)), 0.0)
        hi = stats.gamma.ppf(1 - a / 2, (y + wm) ** 2 / (v + wm * wm),
                             scale=(v + wm * wm) / (y + wm))
    return lo, hi


def balanced(counts, n_tokens: np.ndarray, names: list[str], codes: np.ndarray,
             periods: pd.DataFrame, sources: np.ndarray, n_sources: int, *,
             level: float = 0.95, by: str = "", balance: str = "") -> TrendTable:
    """The trend table with every source weighing equally in each period: ``per_10k``
    the mean of the sources' rates (sources with tokens in the period), with Fay and
    Feuer's interval for that weighted sum of Poisson counts; ``doc_share`` the mean of
    the sources' shares, with a normal interval from Agresti-Coull variances. ``hits``,
    ``docs`` and ``tokens`` stay the plain sums; ``sources`` counts the sources."""
    n_periods, n_frames = len(periods), len(names)
    cells = np.asarray(codes, dtype=np.int64) * n_sources + np.asarray(sources, dtype=np.int64)
    hits, with_hit, docs, tokens = period_sums(counts, n_tokens, cells, n_periods * n_sources)
    hits = hits.reshape(n_periods, n_sources, n_frames)
    with_hit = with_hit.reshape(n_periods, n_sources, n_frames)
    docs = docs.reshape(n_periods, n_sources)
    tokens = tokens.reshape(n_periods, n_sources)
    out = table(hits.sum(axis=1), with_hit.sum(axis=1), docs.sum(axis=1), tokens.sum(axis=1),
                names, periods, level=level, by=by)
    with np.errstate(invalid="ignore", divide="ignore"):
        k = (tokens > 0).sum(axis=1)  # sources with tokens, per period
        w = np.where(tokens > 0, 1.0 / (np.maximum(k, 1)[:, None] * tokens), np.nan)
        rate = np.nansum(w[:, :, None] * hits, axis=1)  # (P, F): mean of the source rates
        lo, hi = fay_feuer_interval(np.broadcast_to(w[:, None, :], (n_periods, n_frames, n_sources)),
                                    hits.transpose(0, 2, 1), level)
        has = k > 0
        out["per_10k"] = np.where(has[:, None], 1e4 * rate, np.nan).reshape(-1)
        out["ci_low"] = np.where(has[:, None], 1e4 * lo, np.nan).reshape(-1)
        out["ci_high"] = np.where(has[:, None], 1e4 * hi, np.nan).reshape(-1)
        kd = (docs > 0).sum(axis=1)
        z = stats.norm.ppf(1 - (1 - level) / 2)
        share = np.where(docs[:, :, None] > 0, with_hit / docs[:, :, None], np.nan)
        mean = np.nanmean(share, axis=1) if share.size else np.zeros((n_periods, n_frames))
        n_t = docs[:, :, None] + z * z
        p_t = (with_hit + z * z / 2) / n_t
        var = np.where(docs[:, :, None] > 0, p_t * (1 - p_t) / n_t, 0.0).sum(axis=1) / np.maximum(kd, 1)[:, None] ** 2
        half = z * np.sqrt(var)
        doc_share = np.where(kd[:, None] > 0, mean, np.nan)
        out["doc_share"] = doc_share.reshape(-1)
        out["share_ci_low"] = np.clip(doc_share - half, 0, 1).reshape(-1)
        out["share_ci_high"] = np.clip(doc_share + half, 0, 1).reshape(-1)
    out.insert(out.columns.get_loc("tokens") + 1, "sources", np.repeat(k, n_frames).astype(np.int64))
    out.ci_method = f"balanced by {balance}: Fay-Feuer gamma / Agresti-Coull"
    return out


def dispersion(counts, n_tokens: np.ndarray, codes: np.ndarray, n_periods: int) -> np.ndarray:
    """Gries' DP of each frame in each period (periods x frames): with s_i each
    document's share of the period's tokens and v_i its share of the frame's hits there,
    DP = 0.5 * sum |v_i - s_i| (0: spread evenly over the documents; near 1: in few).
    From the stored hits only: the documents without a hit add their s_i. NaN where
    the frame has no hit in the period.

    >>> import scipy.sparse as sp
    >>> m = sp.csr_matrix(np.array([[2], [0], [0], [0]]))  # all hits in one of 4 equal documents
    >>> float(dispersion(m, np.array([10, 10, 10, 10]), np.zeros(4, dtype=np.int64), 1)[0, 0])
    0.75
    """
    m = sp.csr_matrix(counts).tocoo()
    n_frames = m.shape[1]
    codes = np.asarray(codes, dtype=np.int64)
    tok = np.asarray(n_tokens, dtype=np.float64)
    period_tokens = np.bincount(codes, weights=tok, minlength=n_periods)
    cell = codes[m.row] * n_frames + m.col
    total_hits = np.bincount(cell, weights=m.data.astype(np.float64), minlength=n_periods * n_frames)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = tok[m.row] / period_tokens[codes[m.row]]
        v = m.data / total_hits[cell]
        parts = np.bincount(cell, weights=np.abs(v - s) - s, minlength=n_periods * n_frames)
        dp = 0.5 * (1.0 + parts)
    return np.where(total_hits > 0, dp, np.nan).reshape(n_periods, n_frames)
