"""``by=``: the one home for grouping documents.

A grouping is one key or a list of keys. A key is a calendar period (see
:mod:`framescope.periods`: "year", "decade", "5y", ...), a metadata column, or one
label per document (an array or Series). Each key gives every document a level
(undated documents: "undated"; a missing metadata value: "(missing)"); a list of
keys groups by their combinations, in the order given (``["party", "decade"]``:
party-major). The table of groups has one column per key: a calendar key is
``period`` (its label) and ``start``, a column key is named after the column, labels
after their Series' name ("group" when unnamed). A single key given as a str or
array keeps the layout of one key: ``period`` and ``start`` whatever it is.

Combinations without documents are listed (so a party's silent decade is a gap in
its line) while there are at most :data:`MAX_DENSE_GROUPS` of them or ten times the
combinations with documents; beyond that only combinations with documents are
listed, with a warning: memory follows the documents, never the product of levels.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framescope.periods import Calendar, by_error, by_labels, by_name, calendar

__all__ = ["UNDATED", "MISSING", "MAX_DENSE_GROUPS", "Key", "keys", "group_keys",
           "group_codes", "sort_labels", "doc_labels", "from_labels", "group_columns", "group_labels"]

UNDATED = "undated"
# The group of documents without a value in the grouping column; in parentheses so
# that a real value "missing" (a survey category) is a group of its own.
MISSING = "(missing)"
#: Combinations of levels listed even without documents (see the module docstring).
MAX_DENSE_GROUPS = 100_000
# Columns of result tables that a key's column must not shadow.
RESERVED = ("frame", "term", "hits", "docs_with_hit", "docs", "tokens", "per_10k", "doc_share",
            "ci_low", "ci_high", "share_ci_low", "share_ci_high", "start")


def _value_label(v) -> str:
    """A group's label: its value as text, integral floats as integers ("1", not "1.0",
    so a column that pandas turned to float by a gap groups as its integers do)."""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def sort_labels(labels) -> list[str]:
    """Group labels in order: numerically when all are numbers, else as text."""
    labels = list(labels)
    try:
        return sorted(labels, key=float)
    except ValueError:
        return sorted(labels)


def group_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Group code of each value and the group labels in order (see :func:`sort_labels`);
    missing values form the group :data:`MISSING`, last. Labels are computed per
    distinct value, not per document."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    labels = [_value_label(u) for u in uniques]
    if MISSING in labels:
        raise ValueError(f"the value {MISSING!r} in column {values.name!r} is the label of "
                         "documents without a value; rename it")
    order = sort_labels(set(labels))
    position = {lab: i for i, lab in enumerate(order)}
    remap = np.array([position[lab] for lab in labels], dtype=np.int64)
    out = np.full(len(codes), len(order), dtype=np.int64)
    present = codes >= 0
    out[present] = remap[codes[present]]
    if not present.all():
        order.append(MISSING)
    return out, order


@dataclass(frozen=True)
class Key:
    """One key of a grouping: a calendar period, a metadata column, or labels."""

    spec: object
    calendar: Calendar | None
    column: str  # the key's column in result tables

    def levels_from_codes(self, dates: pd.Series, meta: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
        """Each document's level and the levels table (this key's columns), in order."""
        n = len(dates)
        cal = self.calendar
        if cal is not None:
            dated = dates.notna().to_numpy()
            codes = np.full(n, -1, dtype=np.int64)
            rows: list = []
            if dated.any():
                bins = cal.bins(dates[dated])
                present = cal.rows(bins)
                codes[dated] = np.searchsorted(present, bins).astype(np.int64)
                rows = [(cal.label(b), cal.start(b)) for b in present.tolist()]
            if (~dated).any():
                codes[~dated] = len(rows)
                rows.append((UNDATED, pd.NaT))
            return codes, self._calendar_table(rows)
        values = by_labels(self.spec, n)
        codes, order = group_codes(values if values is not None else meta[self.spec])
        return codes, pd.DataFrame({self.column: pd.Series(order, dtype=object)})

    def doc_labels(self, dates: pd.Series, meta: pd.DataFrame) -> np.ndarray:
        """Each document's level label (computed per distinct level): what batches of
        a scan keep, so that batches add up before the levels are known."""
        cal = self.calendar
        if cal is not None:
            dated = dates.notna().to_numpy()
            labels = np.full(len(dates), UNDATED, dtype=object)
            if dated.any():
                bins = cal.bins(dates[dated])
                distinct, inverse = np.unique(bins, return_inverse=True)
                labels[dated] = np.array([cal.label(b) for b in distinct.tolist()],
                                         dtype=object)[inverse]
            return labels
        if not isinstance(self.spec, str):
            raise ValueError("labels per document (an array or Series) cannot group batches "
                             "read one by one: give a metadata column or a calendar period")
        codes, order = group_codes(meta[self.spec])
        return np.array(order, dtype=object)[codes] if len(codes) else np.array([], dtype=object)

    def levels_from_labels(self, labels) -> pd.DataFrame:
        """The levels table of the labels that :meth:`doc_labels` gave over all batches."""
        labels = list(dict.fromkeys(labels))
        special = [x for x in (UNDATED, MISSING) if x in labels]
        rest = [x for x in labels if x not in special]
        cal = self.calendar
        if cal is not None:
            bins = cal.rows(np.array([cal.parse(x) for x in rest], dtype=np.int64))
            return self._calendar_table([(cal.label(b), cal.start(b)) for b in bins.tolist()]
                                        + [(x, pd.NaT) for x in special])
        return pd.DataFrame({self.column: pd.Series(sort_labels(rest) + special, dtype=object)})

    def _calendar_table(self, rows: list) -> pd.DataFrame:
        out = pd.DataFrame(rows, columns=[self.column, "start"])
        out[self.column] = out[self.column].astype(object)
        out["start"] = pd.to_datetime(out["start"])
        return out


def keys(by, meta: pd.DataFrame | None = None, n: int | None = None) -> list[Key]:
    """The keys of ``by`` (one, or each of a list), checked against the metadata
    columns ``meta`` and the number of documents ``n`` where given."""
    single = not isinstance(by, (list, tuple))
    specs = [by] if single else list(by)
    if not specs:
        raise ValueError("by is an empty list: give at least one key")
    out, seen = [], set()
    for spec in specs:
        cal = calendar(spec)
        if cal is not None:
            column = "period"
        elif isinstance(spec, str):
            if meta is not None and spec not in meta.columns:
                raise by_error(spec, meta.columns)
            column = "period" if single else spec
        elif n is not None and by_labels(spec, n) is not None:
            column = "period" if single else by_name(spec)
        elif n is None and (isinstance(spec, (pd.Series, np.ndarray, pd.Index, pd.Categorical))
                            or type(spec).__module__.startswith("polars")):
            column = "period" if single else by_name(spec)
        else:
            raise by_error(spec, [] if meta is None else meta.columns)
        if not single and column in RESERVED:
            raise ValueError(f"by={by!r}: the key {column!r} would shadow the result column of "
                             "that name; rename the metadata column")
        if column in seen:
            what = "calendar period" if cal is not None else "key"
            raise ValueError(f"by={by!r} has more than one {what} ({column!r}); a list takes each "
                             "key once and at most one calendar period")
        seen.add(column)
        out.append(Key(spec, cal, column))
    return out


def group_columns(table: pd.DataFrame) -> list[str]:
    """The key columns of a grouping's table other than the time period."""
    return [c for c in table.columns if c not in ("period", "start")]


def group_labels(table: pd.DataFrame) -> list[str]:
    """One label per row of a groups table: its keys' labels joined by " · "
    ("A · 1990s"); the period label alone for one key."""
    columns = [c for c in table.columns if c != "start"]
    if len(columns) == 1:
        return table[columns[0]].astype(str).tolist()
    return [" · ".join(row) for row in table[columns].astype(str).itertuples(index=False, name=None)]


def _combine(codes: list[np.ndarray], tables: list[pd.DataFrame], what: str) -> tuple[np.ndarray, pd.DataFrame]:
    """Combination code of each item (document or batch row) and the combinations
    table (the keys' columns side by side), the first key varying slowest."""
    if len(tables) == 1:
        return codes[0], tables[0].reset_index(drop=True)
    sizes = [len(t) for t in tables]
    total = math.prod(sizes)
    n = len(codes[0])
    present = None
    if total > MAX_DENSE_GROUPS:
        present, inverse = np.unique(np.stack(codes, axis=1), axis=0, return_inverse=True)
        if total > 10 * len(present):
            names = " x ".join(f"{s:,}" for s in sizes)
            warnings.warn(f"by={what}: {names} = {total:,} combinations but only "
                          f"{len(present):,} hold documents: the empty combinations are left out "
                          "of the table", stacklevel=5)
            parts = [t.iloc[present[:, k]].reset_index(drop=True) for k, t in enumerate(tables)]
            return np.asarray(inverse, dtype=np.int64).reshape(n), pd.concat(parts, axis=1)
    strides = [math.prod(sizes[k + 1:]) for k in range(len(sizes))]
    combined = np.zeros(n, dtype=np.int64)
    for c, s in zip(codes, strides, strict=True):
        combined += np.asarray(c, dtype=np.int64) * s
    grid = np.indices(sizes).reshape(len(sizes), -1)
    parts = [t.iloc[grid[k]].reset_index(drop=True) for k, t in enumerate(tables)]
    return combined, pd.concat(parts, axis=1)


def _with_start(table: pd.DataFrame) -> pd.DataFrame:
    """Every groups table has ``start`` (NaT without a calendar key: no time axis)."""
    if "start" not in table.columns:
        table = table.assign(start=pd.Series(pd.NaT, index=table.index, dtype="datetime64[ns]"))
    return table


def group_keys(dates: pd.Series, meta: pd.DataFrame, by) -> tuple[np.ndarray, pd.DataFrame]:
    """Group code of each document and the groups table (see the module docstring).

    >>> dates = pd.Series(pd.to_datetime(["1995-03-01", "2003-01-01", "2004-07-01"]))
    >>> meta = pd.DataFrame({"party": ["B", "A", "A"]})
    >>> codes, table = group_keys(dates, meta, ["party", "decade"])
    >>> codes.tolist(), table.to_dict("list")["party"], table.to_dict("list")["period"]
    ([2, 1, 1], ['A', 'A', 'B', 'B'], ['1990s', '2000s', '1990s', '2000s'])
    """
    n = len(dates)
    ks = keys(by, meta, n)
    pairs = [k.levels_from_codes(dates, meta) for k in ks]
    codes, table = _combine([c for c, _ in pairs], [t for _, t in pairs], repr(by))
    return codes, _with_start(table)


def doc_labels(dates: pd.Series, meta: pd.DataFrame, by) -> list[np.ndarray]:
    """Each key's level label per document (see :meth:`Key.doc_labels`)."""
    return [k.doc_labels(dates, meta) for k in keys(by, meta, len(dates))]


def from_labels(rows: list[tuple], by) -> tuple[np.ndarray, pd.DataFrame]:
    """Group code of each row of label tuples (one label per key, as :func:`doc_labels`
    gave them in batches) and the groups table: equal to :func:`group_keys` on all the
    documents at once."""
    ks = keys(by)
    codes, tables = [], []
    for k, key in enumerate(ks):
        labels = [r[k] for r in rows]
        table = key.levels_from_labels(labels)
        position = {lab: i for i, lab in enumerate(table[key.column])}
        codes.append(np.array([position[lab] for lab in labels], dtype=np.int64))
        tables.append(table)
    combined, table = _combine(codes, tables, repr(by))
    return combined, _with_start(table)
