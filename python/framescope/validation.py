"""How far to trust a frame count: stratified samples of hits for hand-coding, and
trends corrected by the precision found in the coded sample.

``validation_sample`` draws, per frame and period, up to ``per_period`` hits at random
(seeded) as keyword-in-context lines, with an empty ``label`` column to code 1 (the hit
is the frame) or 0 (a false positive). ``correct`` reads the coded sample back: the
precision per frame and period (Jeffreys interval), and rates multiplied by it, with
intervals from the joint uncertainty of the count (Poisson, Jeffreys posterior) and the
precision (Beta posterior), by seeded Monte Carlo draws. Periods whose precision
interval excludes the frame's pooled precision are flagged as drift.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from framescope.grouping import group_keys

__all__ = ["validation_sample", "correct"]


def validation_sample(corpus, frames, per_period: int = 20, by="year", seed: int = 1,
                      window: int = 10) -> pd.DataFrame:
    """See :meth:`framescope.Corpus.validation_sample`."""
    if isinstance(per_period, bool) or not isinstance(per_period, (int, np.integer)) or per_period < 1:
        raise ValueError(f"per_period must be a positive int, got {per_period!r}")
    lines = corpus.kwic(frames, window=window)
    codes, groups = group_keys(corpus.dates, corpus.meta, by)
    key_columns = [c for c in groups.columns if c != "start"]
    cell = codes[lines["doc"].to_numpy()] if len(lines) else np.zeros(0, dtype=np.int64)
    rng = np.random.default_rng(seed)
    keep = []
    strata = pd.DataFrame({"frame": lines["frame"].to_numpy(), "cell": cell,
                           "row": np.arange(len(lines))})
    sizes = {}
    for (frame, c), rows in strata.groupby(["frame", "cell"], sort=True):
        idx = rows["row"].to_numpy()
        sizes[(frame, c)] = len(idx)
        take = idx if len(idx) <= per_period else np.sort(rng.choice(idx, per_period, replace=False))
        keep.append(take)
    chosen = np.concatenate(keep) if keep else np.zeros(0, dtype=np.int64)
    out = lines.iloc[chosen].reset_index(drop=True)
    picked = cell[chosen]
    for c in reversed(key_columns):
        out.insert(0, c, groups[c].to_numpy()[picked] if len(picked) else [])
    out["hits_in_stratum"] = [sizes[(f, c)] for f, c in zip(out["frame"], picked, strict=True)]
    out["label"] = pd.array([pd.NA] * len(out), dtype="Int64")
    return out


def correct(table, labels: pd.DataFrame, draws: int = 4000, seed: int = 0) -> pd.DataFrame:
    """See :meth:`framescope.TrendTable.correct`."""
    keys = [c for c in table.columns[:table.columns.get_loc("frame")] if c != "start"]
    need = set(keys) | {"frame", "label"}
    if not isinstance(labels, pd.DataFrame) or not need <= set(labels.columns):
        raise ValueError(f"labels must be a DataFrame with columns {sorted(need)} (the coded "
                         "validation sample)")
    coded = labels.dropna(subset=["label"])
    values = pd.to_numeric(coded["label"], errors="coerce")
    if values.isna().any() or not values.isin([0, 1]).all():
        bad = coded.loc[~values.isin([0, 1]), "label"].iloc[0]
        raise ValueError(f"labels must be 1 (the frame) or 0 (a false positive), got {bad!r}")
    coded = coded.assign(label=values.astype(int), **{k: coded[k].astype(str) for k in keys})
    per = coded.groupby(["frame", *keys])["label"].agg(["sum", "count"])
    pooled = coded.groupby("frame")["label"].agg(["sum", "count"])
    out = pd.DataFrame(table).copy()
    index = pd.MultiIndex.from_frame(out[["frame", *keys]].astype(str))
    x = per["sum"].reindex(index).to_numpy(dtype=float)
    n = per["count"].reindex(index).to_numpy(dtype=float)
    own = ~np.isnan(n)
    px = pooled["sum"].reindex(out["frame"]).to_numpy(dtype=float)
    pn = pooled["count"].reindex(out["frame"]).to_numpy(dtype=float)
    x = np.where(own, x, px)
    n = np.where(own, n, pn)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = x / n
        lo = stats.beta.ppf(0.025, x + 0.5, n - x + 0.5)
        hi = stats.beta.ppf(0.975, x + 0.5, n - x + 0.5)
    out["precision"] = precision
    out["precision_low"], out["precision_high"] = lo, hi
    out["precision_n"] = np.nan_to_num(n).astype(np.int64)
    out["precision_from"] = np.where(own, "period", np.where(np.isnan(pn), "none", "pooled"))
    pooled_p = px / pn
    out["drift"] = own & ((hi < pooled_p) | (lo > pooled_p))
    rng = np.random.default_rng(seed)
    hits = out["hits"].to_numpy(dtype=float)
    tokens = out["tokens"].to_numpy(dtype=float)
    ok = (tokens > 0) & ~np.isnan(n)
    corrected = np.where(ok, out["per_10k"].to_numpy() * precision, np.nan)
    c_lo = np.full(len(out), np.nan)
    c_hi = np.full(len(out), np.nan)
    for i in np.flatnonzero(ok):
        rate = rng.gamma(hits[i] + 0.5, 1.0, draws) * 1e4 / tokens[i]
        p = rng.beta(x[i] + 0.5, n[i] - x[i] + 0.5, draws)
        c_lo[i], c_hi[i] = np.quantile(rate * p, [0.025, 0.975])
    out["corrected"], out["corrected_low"], out["corrected_high"] = corrected, c_lo, c_hi
    return out
