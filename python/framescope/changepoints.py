"""Change points in a frame's series: PELT (Killick, Fearnhead and Eckley 2012) with a
least-squares cost, the algorithm of the ``ruptures`` package's ``Pelt(model="l2")``,
step for step, so the breakpoints are the same (a test compares them).

Series are short (one value per period), so this runs in Python per series; the cost
of a segment is its variance times its length, as ``ruptures`` computes it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["pelt", "default_penalty", "change_points"]


def _cost(signal: np.ndarray, start: int, end: int) -> float:
    return float(signal[start:end].var(axis=0).sum() * (end - start))


def pelt(signal, penalty: float, min_size: int = 2, jump: int = 1) -> list[int]:
    """Breakpoints of ``signal`` (segment ends, the last is ``len(signal)``) minimising
    the segments' squared deviations plus ``penalty`` per segment, with pruning.

    >>> pelt([0, 0, 0, 0, 5, 5, 5, 5], penalty=1.0)
    [4, 8]
    """
    signal = np.asarray(signal, dtype=np.float64)
    if signal.ndim == 1:
        signal = signal.reshape(-1, 1)
    n = len(signal)
    if not (isinstance(min_size, int) and min_size >= 1) or not (isinstance(jump, int) and jump >= 1):
        raise ValueError("min_size and jump must be positive ints")
    if not (isinstance(penalty, (int, float)) and math.isfinite(penalty) and penalty >= 0):
        raise ValueError(f"penalty must be a non-negative number, got {penalty!r}")
    if n < min_size:
        return [n] if n else []
    # partitions[t]: (total cost, segment ends) of the best partition of signal[0:t];
    # totals are summed in the order ruptures sums its dict of segments.
    partitions: dict[int, tuple[float, list[int]]] = {0: (0.0, [])}
    admissible: list[int] = []
    ends = [k for k in range(0, n, jump) if k >= min_size] + [n]
    for bkp in ends:
        admissible.append(((bkp - min_size) // jump) * jump)
        subproblems = []
        for t in admissible:
            if t not in partitions:
                continue
            total, segs = partitions[t]
            subproblems.append((total + (_cost(signal, t, bkp) + penalty), segs + [bkp]))
        partitions[bkp] = min(subproblems, key=lambda p: p[0])
        best = partitions[bkp][0]
        # As ruptures does: admissible points paired with the subproblems in order.
        admissible = [t for t, p in zip(admissible, subproblems, strict=False) if p[0] <= best + penalty]
    return partitions[n][1]


def default_penalty(values: np.ndarray) -> float:
    """2 σ² ln(n), σ estimated robustly from the differences of consecutive values
    (median absolute difference / (0.6745 √2)): the BIC-style penalty for a Gaussian
    mean shift, insensitive to the shifts themselves."""
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    if n < 3:
        return 0.0
    sigma = np.median(np.abs(np.diff(values))) / (0.6745 * math.sqrt(2))
    if sigma == 0:
        sigma = float(np.std(values)) or 1.0
    return 2 * sigma * sigma * math.log(n)


def change_points(table: pd.DataFrame, value: str = "per_10k", method: str = "pelt",
                  penalty: float | None = None, min_size: int = 2) -> pd.DataFrame:
    """See :meth:`framescope.TrendTable.change_points`."""
    if method != "pelt":
        raise ValueError(f"method must be 'pelt', got {method!r}")
    if value not in table.columns:
        raise ValueError(f"value must be a column of the table, got {value!r}")
    groups = list(getattr(table, "groups", None) or [])
    timed = table[table["start"].notna()]
    rows = []
    for key, series in timed.groupby(groups + ["frame"], sort=False):
        series = series[series[value].notna()]
        values = series[value].to_numpy(dtype=np.float64)
        pen = default_penalty(values) if penalty is None else penalty
        ends = pelt(values, pen, min_size=min_size)
        bounds = [0] + ends
        means = [values[a:b].mean() for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        key = key if isinstance(key, tuple) else (key,)
        for i, end in enumerate(ends[:-1]):
            at = series.iloc[end]
            rows.append((*key, at["period"], at["start"], means[i], means[i + 1],
                         means[i + 1] - means[i], pen))
    columns = groups + ["frame", "period", "start", "before", "after", "change", "penalty"]
    return pd.DataFrame(rows, columns=columns)
