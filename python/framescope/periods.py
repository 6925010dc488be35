"""Calendar periods for ``by=``: the one home for turning dates into periods and back.

``by`` names a calendar unit ("year", "quarter", "month", "week", "day"), "decade", or
a multiple of a unit ("5y", "2q", "6m", "2w", "10d"). Periods of a multiple are aligned
to the calendar (year multiples start in years divisible by the multiple: decades, "5y"
in 2020, "4y" in 2012 and 2016; "6m" in January and July, "2q" with the first and third
quarters), so every batch, partition and corpus
puts a date in the same period. A multiple may name where its periods start instead:
``"6y@2012"`` (2012–2017, 2018–2023: presidential terms), ``"4y@2017"``, ``"6m@2022-03"``
(March–August, September–February), ``"2w@2024-01-01"``. Each period is a bin number:
the pandas ordinal of its first unit, less the origin's offset, divided by the multiple.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["UNITS", "Calendar", "calendar", "by_error", "by_labels", "by_name", "MAX_DENSE_PERIODS"]

#: Calendar units ``by=`` accepts, with their pandas frequency codes.
UNITS = {"year": "Y", "quarter": "Q", "month": "M", "week": "W", "day": "D"}
#: The numpy datetime unit that gives each unit's pandas ordinal (quarters: months // 3).
_NUMPY_UNITS = {"year": "Y", "quarter": "M", "month": "M", "day": "D"}
_LETTERS = {"y": "year", "q": "quarter", "m": "month", "w": "week", "d": "day"}
_MULTIPLE = re.compile(r"^(\d{1,4})\s*(y|q|m|w|d)(?:\s*@\s*(\S.*))?$")

# Empty periods are listed (so gaps show) while the span from the first to the last
# period holds at most this many periods, or 10 times the periods with documents.
MAX_DENSE_PERIODS = 10_000


@dataclass(frozen=True)
class Calendar:
    """Calendar periods: ``n`` consecutive ``unit``\\ s, aligned to the calendar.

    >>> c = calendar("5y")
    >>> bins = c.bins(pd.Series(pd.to_datetime(["1991-03-01", "1994-12-31", "1995-01-01"])))
    >>> [c.label(b) for b in bins], c.parse("1990–1994") == int(bins[0])
    (['1990–1994', '1990–1994', '1995–1999'], True)
    >>> calendar("decade").label(calendar("decade").bins(pd.Series(pd.to_datetime(["1917-11-07"])))[0])
    '1910s'
    >>> t = calendar("6y@2012")
    >>> [t.label(b) for b in t.bins(pd.Series(pd.to_datetime(["2011-12-31", "2012-01-01", "2018-05-07"])))]
    ['2006–2011', '2012–2017', '2018–2023']
    """

    unit: str
    n: int = 1
    decade: bool = False
    #: Units by which periods start after the calendar's alignment (0 <= offset < n).
    offset: int = 0

    @property
    def freq(self) -> str:
        """The pandas frequency code of one unit."""
        return UNITS[self.unit]

    @property
    def name(self) -> str:
        """How messages name a period: "year", "decade", "5-year period"."""
        if self.decade:
            return "decade"
        return self.unit if self.n == 1 else f"{self.n}-{self.unit} period"

    def bins(self, dates: pd.Series) -> np.ndarray:
        """The period (bin number) of each date; ``dates`` must all be present."""
        values = np.asarray(dates)
        if values.dtype.kind == "M" and self.unit in _NUMPY_UNITS:
            # pandas' ordinals of years, quarters, months and days, by numpy's casts
            # (which round down, before 1970 too): one pass, no Period per date.
            ordinals = values.astype(f"datetime64[{_NUMPY_UNITS[self.unit]}]").view(np.int64)
            if self.unit == "quarter":
                ordinals = np.floor_divide(ordinals, 3)
        else:
            ordinals = pd.PeriodIndex(dates, freq=self.freq).asi8
        return np.floor_divide(ordinals - self.offset, self.n).astype(np.int64)

    def _unit(self, ordinal: int) -> pd.Period:
        return pd.Period(ordinal=int(ordinal), freq=self.freq)

    def label(self, b: int) -> str:
        """The label of period ``b``: "2023", "2023Q1", "1990s", "2020–2024", "2023-01–2023-06"."""
        first = self._unit(b * self.n + self.offset)
        if self.n == 1:
            return str(first)
        if self.decade:
            return f"{first.year}s"
        return f"{first}–{self._unit(b * self.n + self.offset + self.n - 1)}"

    def start(self, b: int) -> pd.Timestamp:
        """When period ``b`` starts."""
        return self._unit(b * self.n + self.offset).start_time

    def parse(self, label: str) -> int:
        """The period whose :meth:`label` is ``label``."""
        first = label[:-1] if self.decade else label.split("–", 1)[0]
        return (int(pd.Period(first, freq=self.freq).ordinal) - self.offset) // self.n

    def rows(self, present: np.ndarray) -> np.ndarray:
        """The periods of a table, in order, from the periods that hold documents: every
        period from the first to the last (empty ones included, so gaps show), unless an
        outlying date would make that span huge (one document from 1066 among thousands
        from 2023, by day); then only the periods with documents, with a warning naming
        the span. Memory follows the documents, never the span."""
        present = np.asarray(present, dtype=np.int64)
        if not len(present):
            return present
        lo, hi = int(present.min()), int(present.max())
        if hi - lo < 4 * len(present) + 1024:  # a few periods a document: count them
            present = np.flatnonzero(np.bincount(present - lo)) + lo
        else:
            present = np.unique(present)
        first, last = int(present[0]), int(present[-1])
        span = last - first + 1
        if span <= max(MAX_DENSE_PERIODS, 10 * len(present)):
            return np.arange(first, last + 1, dtype=np.int64)
        warnings.warn(f"dates run from {self.label(first)} to {self.label(last)} ({span:,} "
                      f"{self.name}s) but only {len(present):,} {self.name}s hold documents: the "
                      f"empty {self.name}s are left out of the table; outlying dates? (see "
                      "corpus.dates.min() and .max())", stacklevel=4)
        return present


def calendar(by) -> Calendar | None:
    """The calendar periods ``by`` names, or None when it names none (a metadata column).

    >>> calendar("month"), calendar("6m").name, calendar("decade").n, calendar("party")
    (Calendar(unit='month', n=1, decade=False, offset=0), '6-month period', 10, None)
    >>> calendar("4y").label(calendar("4y").parse("2016–2019")), calendar("6y@2012").offset
    ('2016–2019', 0)
    >>> calendar("6m@2022-03").label(calendar("6m@2022-03").parse("2022-03–2022-08"))
    '2022-03–2022-08'
    """
    if not isinstance(by, str):
        return None
    if by in UNITS:
        return Calendar(by)
    if by == "decade":
        return Calendar("year", 10, decade=True)
    m = _MULTIPLE.match(by.strip().lower())
    if m is None:
        return None
    n, unit = int(m.group(1)), _LETTERS[m.group(2)]
    if n < 1:
        raise ValueError(f"by={by!r}: a period is at least one {unit}")
    # Year multiples start in years divisible by n (2012, 2016 for "4y"; pandas counts
    # years from 1970); other units from pandas' origin (months from January 1970).
    offset = (-1970) % n if unit == "year" else 0
    if m.group(3) is not None:
        try:
            origin = pd.Period(m.group(3).strip(), freq=UNITS[unit])
        except (ValueError, TypeError, OverflowError):
            raise ValueError(f"by={by!r}: the periods' start {m.group(3).strip()!r} is not a "
                             f"date; give a year, month or day (\"6y@2012\", \"6m@2022-03\", "
                             f"\"2w@2024-01-01\")") from None
        offset = int(origin.ordinal) % n
    return Calendar(unit, n, offset=offset)


def by_labels(by, n: int) -> pd.Series | None:
    """A ``by`` given as one label per document (a numpy array, pandas or polars Series,
    Index, or Categorical) as a Series of ``n`` values; None for anything else (a list names
    keys, not labels). A wrong length is an error."""
    if type(by).__module__.startswith("polars") and hasattr(by, "to_numpy"):  # a polars Series
        values = pd.Series(by.to_numpy(), name=getattr(by, "name", None) or None)
    elif isinstance(by, pd.Series):
        values = by.reset_index(drop=True)
    elif isinstance(by, (np.ndarray, pd.Index, pd.Categorical)):
        values = pd.Series(by, name=getattr(by, "name", None))
    else:
        return None
    if values.ndim != 1 or len(values) != n:
        raise ValueError(f"by has {len(values)} labels for {n} documents: give one per document")
    return values


def by_name(by) -> str:
    """How tables and plots name a grouping: the ``by`` str, a Series' name, or "group";
    for a list, its calendar period if any, else its keys' names joined by " x "."""
    if isinstance(by, (list, tuple)):
        timed = [k for k in by if calendar(k) is not None]
        return timed[0] if timed else " x ".join(by_name(k) for k in by)
    if isinstance(by, str):
        return by
    return str(getattr(by, "name", None) or "group")


def by_error(by, columns) -> ValueError:
    """The error for a ``by`` that is neither a calendar period nor a metadata column."""
    columns = list(columns)
    folded = [c for c in columns if isinstance(c, str) and c.startswith("extra_fields")]
    hint = (f" (fields held by few records are kept as JSON in {folded[0]!r}: read with "
            f"keep_fields=[{by!r}] to make it a column)" if folded and isinstance(by, str) else "")
    return ValueError(f"by must be a calendar period ({', '.join(UNITS)}, decade, or a multiple "
                      f"such as '5y', '2q', '6m', '6y@2012'), a metadata column, one label per document "
                      f"(an array or Series) or a list of these, got {by!r}; metadata columns: "
                      f"{columns}{hint}")
