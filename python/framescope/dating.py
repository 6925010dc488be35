"""Dates of documents: date values parsed by the core's one parser, and dates
found in texts (datelines, openings). Days since 1970-01-01 are the currency
between the core and pandas.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from framescope import _core

__all__ = ["MISSING_DAY", "days_to_datetime", "extract_dates", "parse_dates"]

#: The core's marker for "no date" in an int64 array of days.
MISSING_DAY = np.iinfo(np.int64).min
#: Day 0.
EPOCH = np.datetime64("1970-01-01", "D")


def days_to_datetime(days: np.ndarray) -> np.ndarray:
    """int64 days (``MISSING_DAY`` for none) as datetime64[s] (NaT for none).

    >>> days_to_datetime(np.array([0, MISSING_DAY, 19471])).astype(str).tolist()
    ['1970-01-01T00:00:00', 'NaT', '2023-04-24T00:00:00']
    """
    out = days.astype("datetime64[D]")
    out[days == MISSING_DAY] = np.datetime64("NaT", "D")
    return out.astype("datetime64[s]")


def day_to_timestamp(day: int) -> pd.Timestamp | None:
    """One day as a Timestamp (None for ``MISSING_DAY``)."""
    return None if day == MISSING_DAY else pd.Timestamp(EPOCH + np.timedelta64(int(day), "D"))


def parse_dates(dates, n: int | None = None, *, date_range=None, bad_dates: str = "raise",
                what: str = "dates", dayfirst: bool | None = None
                ) -> tuple[np.ndarray, pd.DataFrame]:
    """Days since 1970-01-01 (int64; ``MISSING_DAY`` where none) of date values, and a
    report of bad values (see :func:`_parse_dates`). Dates of 1970-01-01 are kept with a
    warning: the Unix epoch is what a missing time stored as 0 becomes once made a date
    (``pandas.to_datetime(0, unit="s")``), and it would count silently in its year."""
    days, report = _parse_dates(dates, n, date_range=date_range, bad_dates=bad_dates, what=what,
                                dayfirst=dayfirst)
    epoch = int(np.count_nonzero(days == 0))
    if epoch:
        warnings.warn(f"{epoch} of {what} are 1970-01-01, the Unix epoch: a missing time stored "
                      "as 0? They are used as given; make them None (NaT) if they are missing.",
                      stacklevel=3)
    return days, report


def _parse_dates(dates, n: int | None = None, *, date_range=None, bad_dates: str = "raise",
                 what: str = "dates", dayfirst: bool | None = None
                 ) -> tuple[np.ndarray, pd.DataFrame]:
    """Days since 1970-01-01 (int64; ``MISSING_DAY`` where none) of date values, by the
    core's one parser (see the README's date rules), and a report of bad values.

    Datetime arrays and Series go through numpy as days; numbers and strings are
    parsed in Rust (epoch units by magnitude, years, ``YYYYMMDD``, ISO, day-first
    dotted dates; ``04/05/2023`` day first with ``dayfirst=True``, month first with
    ``False``, and without it only where the value tells: ``29/04/2023``). A value
    outside ``date_range`` or not a date raises ``ValueError`` naming its position, or
    with ``bad_dates="undated"`` is left undated and listed in the returned report
    (position, message).
    """
    if isinstance(dates, (pd.Series, pd.Index)):
        values = dates
    elif isinstance(dates, np.ndarray):
        values = pd.Series(dates) if dates.ndim == 1 else dates
    elif isinstance(dates, (list, tuple)):
        values = dates  # read in Rust where they are strings, else made a Series below
    else:
        values = pd.Series(list(dates), dtype=object)
    if n is not None and len(values) != n:
        raise ValueError(f"{what} has {len(values)} items but there are {n} texts")
    if isinstance(values, (list, tuple)):
        days = _parse_distinct_strings(values, date_range, what, dayfirst)
        if days is not None:
            return days, _bad_date_report([], [], what)
        values = pd.Series(list(values), dtype=object)
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        values, dtype = values.dt.tz_localize(None), np.dtype("datetime64[ns]")
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        day = np.asarray(values).astype("datetime64[D]").view(np.int64)
        parsed = _core.parse_dates(np.ascontiguousarray(day), as_days=True,
                                           date_range=date_range, bad_dates=bad_dates, what=what,
                                           dayfirst=dayfirst)
    elif isinstance(dtype, np.dtype) and dtype.kind in "iu":
        parsed = _core.parse_dates(np.ascontiguousarray(values, dtype=np.int64),
                                           date_range=date_range, bad_dates=bad_dates, what=what,
                                           dayfirst=dayfirst)
    elif isinstance(dtype, np.dtype) and dtype.kind == "f":
        parsed = _core.parse_dates(np.ascontiguousarray(values, dtype=np.float64),
                                           date_range=date_range, bad_dates=bad_dates, what=what,
                                           dayfirst=dayfirst)
    else:  # object, str, nullable integer: value by value in Rust
        days = _parse_distinct_strings(values, date_range, what, dayfirst)
        if days is not None:
            return days, _bad_date_report([], [], what)
        obj = values.to_numpy(dtype=object, na_value=None) if hasattr(values, "to_numpy") else values
        parsed = _core.parse_dates(obj, date_range=date_range, bad_dates=bad_dates, what=what,
                                           dayfirst=dayfirst)
    return parsed["days"], _bad_date_report(parsed["position"].tolist(), parsed["message"], what)


def _bad_date_report(positions: list, messages, what: str) -> pd.DataFrame:
    """The report of bad date values: ``source`` ("dates[3]"), ``kind``, ``message``."""
    return pd.DataFrame({"source": [f"{what}[{i}]" for i in positions], "kind": "bad_date",
                         "message": messages}, columns=["source", "kind", "message"])


def _parse_distinct_strings(values, date_range, what: str,
                            dayfirst: bool | None) -> np.ndarray | None:
    """Days of date strings, each distinct string parsed once: a date column repeats
    (many posts a day). ``None`` unless every value is a str or missing and every
    distinct string is a date in range: then the caller parses value by value, so
    errors and reports name positions as ever. A list or tuple is read in Rust (one
    pass, no Python object made); a Series or array is factorized by pandas in C
    (Arrow-backed ``str`` columns without a Python object per value either)."""
    if getattr(values, "ndim", 1) != 1 or len(values) < 1024:
        return None
    if isinstance(values, (list, tuple)):
        return _core.parse_date_strings(values, date_range=date_range, what=what,
                                        dayfirst=dayfirst)
    if pd.api.types.infer_dtype(values, skipna=True) != "string":
        return None
    codes, uniques = pd.factorize(values)
    parsed = _core.parse_dates(np.asarray(uniques, dtype=object), date_range=date_range,
                               bad_dates="undated", what=what, dayfirst=dayfirst)
    if len(parsed["position"]):
        return None
    days = np.full(len(values), MISSING_DAY, dtype=np.int64)
    known = codes >= 0
    days[known] = parsed["days"][codes[known]]
    return days


def extract_dates(texts, chronological: bool = False) -> pd.DataFrame:
    """Each text's own date, found as :func:`framescope.read` finds it.

    The dateline among the first 8 non-blank lines ("(Moscow, April 29, 2023)",
    "MOSCOW, July 01. /ITAR-TASS/", "📍Moscow, December 28, 2023"), else a year-less
    date opening one of the first 3 lines ("On February 14, ..."), else a date after
    "today". A year-less date takes its year from the dated neighbours when
    ``chronological`` (texts in date order), else from the text when every full date
    in it has the same year; otherwise it stays undated.

    Returns a DataFrame with ``date`` (NaT when none) and ``date_source``
    ("text", "inferred" or "none"), one row per text.

    >>> import framescope as fs
    >>> fs.extract_dates(["Remarks by Sergey Lavrov (Moscow, May 17, 2023)\\nText",
    ...                   "Выступление (Москва, 17 мая 2023 г.)", "🗓 On February 14, talks.",
    ...                   "No date here."])
            date date_source
    0 2023-05-17        text
    1 2023-05-17        text
    2        NaT        none
    3        NaT        none
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of str, not a single str")
    found = _core.text_dates(list(texts), chronological)
    return pd.DataFrame({"date": days_to_datetime(found["days"]), "date_source": found["sources"]})
