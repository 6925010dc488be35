"""Metadata tables joined to files read: ``fs.read(folder, meta="metadata.csv")``.

A public corpus often ships as a folder of texts plus one table describing them
(``fileid, year, president, party``). :func:`sidecar` finds such a table in a folder
read; :func:`load_table` reads one (CSV, TSV, JSONL, Parquet, a pandas or polars
DataFrame); :func:`join` matches its rows to the files by name and returns the
documents' metadata and dates, with what did not match for the read report.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framescope.dating import MISSING_DAY, parse_dates

__all__ = ["SIDECAR_NAMES", "KEY_COLUMNS", "sidecar", "load_table", "join", "Joined"]

#: File names (any case) taken as a folder's metadata table when ``meta`` is not given.
SIDECAR_NAMES = tuple(f"{stem}.{ext}" for stem in ("metadata", "meta")
                      for ext in ("csv", "tsv", "jsonl", "parquet"))

#: Columns that name files, tried in this order (any case) when ``on`` is not given.
KEY_COLUMNS = ("fileid", "file_id", "file", "filename", "file_name", "path", "doc_id", "name")

#: Date columns of a metadata table, tried in this order when ``date`` names none of its columns.
DATE_COLUMNS = ("date", "year")


def sidecar(paths: list[str], text: str = "text") -> str | None:
    """The metadata table at the top of a folder among ``paths`` (a file named as in
    :data:`SIDECAR_NAMES` without a ``text`` column: one with texts is a corpus file), or
    None. Two candidates are an error: say which with ``meta=``."""
    found = []
    for p in paths:
        if os.path.isdir(p):
            for name in sorted(os.listdir(p)):
                full = os.path.join(p, name)
                if name.lower() in SIDECAR_NAMES and os.path.isfile(full) and text not in _columns(full):
                    found.append(full)
    if len(found) > 1:
        raise ValueError(f"several metadata tables found: {found}; pass meta= to choose one "
                         "(or meta=False to read them as documents)")
    return found[0] if found else None


def _columns(path: str) -> list[str]:
    """The column names of a table file, read from its header (or first record) only."""
    lower = path.lower()
    try:
        if lower.endswith((".csv", ".tsv")):
            sep = "\t" if lower.endswith(".tsv") else ","
            return [str(c) for c in pd.read_csv(path, sep=sep, nrows=0, encoding="utf-8-sig").columns]
        if lower.endswith(".jsonl"):
            with open(path, encoding="utf-8-sig") as f:
                first = f.readline()
            return list(json.loads(first)) if first.strip() else []
        if lower.endswith(".parquet"):
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
    except (ValueError, OSError, UnicodeDecodeError, AttributeError, TypeError):
        return []  # unreadable: load_table says what is wrong with it
    return []


def _as_pandas(table) -> pd.DataFrame | None:
    """A pandas DataFrame from a pandas or polars one (None for anything else)."""
    if isinstance(table, pd.DataFrame):
        return table
    if type(table).__module__.split(".")[0] == "polars" and hasattr(table, "to_pandas"):
        return table.to_pandas()
    return None


def load_table(meta, on: str | None = None) -> tuple[pd.DataFrame, str]:
    """The metadata table and a name for it in messages. A path is read by its
    extension (.csv, .tsv, .jsonl/.ndjson, .parquet); CSV cells are read as text first,
    so file ids such as "007" keep their zeros, then columns of numbers other than the
    key column (``on``, or one named as in :data:`KEY_COLUMNS`) become numbers."""
    frame = _as_pandas(meta)
    if frame is not None:
        return frame.reset_index(drop=True), "the metadata table"
    if not isinstance(meta, (str, os.PathLike)):
        raise TypeError("meta must be a path to a CSV/TSV/JSONL/Parquet file or a pandas or "
                        f"polars DataFrame, got {type(meta).__name__}")
    path = os.fspath(meta)
    name = os.path.basename(path)
    lower = path.lower().removesuffix(".gz")
    if not os.path.exists(path):
        raise FileNotFoundError(f"metadata file {path} does not exist")
    if lower.endswith((".csv", ".tsv")):
        frame = pd.read_csv(path, sep="\t" if lower.endswith(".tsv") else ",", dtype=str,
                            keep_default_na=False, encoding="utf-8-sig")
        frame = frame.replace("", None)
        for col in frame.columns:
            present = frame[col].dropna()
            if len(present) and col != on and col.lower() not in KEY_COLUMNS:
                try:
                    frame[col] = pd.to_numeric(frame[col])
                except (ValueError, TypeError):
                    pass
    elif lower.endswith((".jsonl", ".ndjson")):
        frame = pd.read_json(path, lines=True, dtype=False)
    elif lower.endswith(".parquet"):
        frame = pd.read_parquet(path)
    else:
        raise ValueError(f"metadata file {path}: expected .csv, .tsv, .jsonl or .parquet")
    return frame.reset_index(drop=True), name


def _key_column(frame: pd.DataFrame, on: str | None, name: str) -> str:
    if on is not None:
        if on not in frame.columns:
            raise ValueError(f"{name} has no column {on!r}; its columns: {list(frame.columns)}")
        return on
    lower = {str(c).lower(): c for c in frame.columns}
    for candidate in KEY_COLUMNS:
        if candidate in lower:
            return lower[candidate]
    raise ValueError(f"{name} has no column naming the files (looked for {', '.join(KEY_COLUMNS)}); "
                     f"pass on= with one of its columns: {list(frame.columns)}")


def _key(value) -> str | None:
    """A metadata cell as a file key: text stripped; whole numbers without ".0"."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    return str(value).strip()


def file_keys(name: str) -> list[str]:
    """The keys a file answers to, most specific first: its path relative to the folder
    read ("2020/speech.txt"), without its extensions ("2020/speech"), its base name
    ("speech.txt") and base name without extensions ("speech"); a compressed file also
    answers to its name without ".gz". Slashes are forward."""
    rel = name.replace(os.sep, "/")
    base = rel.rsplit("/", 1)[-1]
    out = []
    for k in (rel, _unzipped(rel), _stem(rel), base, _unzipped(base), _stem(base)):
        if k and k not in out:
            out.append(k)
    return out


def _unzipped(name: str) -> str:
    return name[:-3] if name.lower().endswith(".gz") else name


def _stem(name: str) -> str:
    head, _, tail = name.rpartition("/")
    if tail.lower().endswith(".gz"):
        tail = tail[:-3]
    stem = tail.rsplit(".", 1)[0] if "." in tail.lstrip(".") else tail
    return f"{head}/{stem}" if head else stem


@dataclass
class Joined:
    """The outcome of :func:`join`: per-document metadata and dates, and the report rows."""

    #: One row per document (metadata columns; None where the file matched no row).
    meta: pd.DataFrame | None
    #: Days since 1970-01-01 per document (``MISSING_DAY`` where none).
    days: np.ndarray
    #: Read-report rows: unmatched files and rows.
    report: pd.DataFrame
    #: The column the files were matched on, and the date column used (or None).
    on: str
    date_column: str | None
    matched_files: int


def join(table: pd.DataFrame, name: str, files: list[str], displays: list[str],
         file_of: np.ndarray, *, on: str | None = None, date: str | None = None,
         date_range=None, bad_dates: str = "raise", dayfirst: bool | None = None) -> Joined:
    """Matches metadata rows to files and spreads them over the files' documents.

    ``files`` are the names of the files read (relative to the path given),
    ``displays`` their paths for messages, ``file_of`` each document's file. A file
    matches the row whose ``on`` cell equals one of :func:`file_keys`; two rows with
    one key, or naming one file by two keys, are an error naming both. Dates come from the
    column ``date`` names, else "date", else "year" (any case), by the README's
    date rules (``dayfirst`` for "04/05/2023"); they date every document of the file and
    outrank dates found in texts.
    """
    on = _key_column(table, on, name)
    rows: dict[str, int] = {}
    for i, value in enumerate(table[on].tolist()):
        k = _key(value)
        if k is None:
            continue
        if k in rows:
            raise ValueError(f"{name}: {on} {k!r} is on rows {rows[k] + 1} and {i + 1}; "
                             "each file may have one row")
        rows[k] = i
    row_of_file = np.full(len(files), -1, dtype=np.int64)
    used = np.zeros(len(table), dtype=bool)
    unmatched = []
    for f, fname in enumerate(files):
        keys = file_keys(fname)
        hits = sorted({rows[k] for k in keys if k in rows})
        if len(hits) > 1:
            raise ValueError(f"{name}: rows {hits[0] + 1} and {hits[1] + 1} both name {fname} "
                             f"({on} {_key(table[on].iloc[hits[0]])!r} and "
                             f"{_key(table[on].iloc[hits[1]])!r}); each file may have one row")
        hit = hits[0] if hits else None
        if hit is None:
            unmatched.append((displays[f], "unmatched_file",
                              f"no row of {name} has {on} " + " or ".join(repr(k) for k in keys)))
        else:
            row_of_file[f] = hit
            used[hit] = True
    for i in np.flatnonzero(~used).tolist():
        k = _key(table[on].iloc[i])
        unmatched.append((f"{name} row {i + 1}", "unmatched_meta",
                          f"{on} {k!r} matches no file read" if k is not None else f"{on} is empty"))
    report = pd.DataFrame(unmatched, columns=["source", "kind", "message"])

    doc_rows = row_of_file[np.asarray(file_of, dtype=np.int64)] if len(files) else \
        np.full(len(file_of), -1, dtype=np.int64)
    lower = {str(c).lower(): c for c in table.columns}
    date_column = date if date is not None and date in table.columns else next(
        (lower[c] for c in DATE_COLUMNS if c in lower), None)
    days = np.full(len(doc_rows), MISSING_DAY, dtype=np.int64)
    if date_column is not None:
        row_days, bad = parse_dates(table[date_column], date_range=date_range, bad_dates=bad_dates,
                                    what=f"{name} {date_column}", dayfirst=dayfirst)
        if len(bad):
            bad = bad.assign(source=[f"{name} row {int(s.rsplit('[', 1)[1][:-1]) + 1}"
                                     for s in bad["source"]])
            report = pd.concat([report, bad], ignore_index=True)
        has = doc_rows >= 0
        days[has] = row_days[doc_rows[has]]
    kept = [c for c in table.columns if c != on and not (c == date_column and str(c).lower() == "date")]
    meta = None
    if kept:
        meta = table[kept].reindex(doc_rows).reset_index(drop=True)
        for c in kept:
            src = table[c]
            if pd.api.types.is_integer_dtype(src.dtype) and meta[c].isna().any():
                meta[c] = meta[c].astype("Int64")
            elif pd.api.types.is_bool_dtype(src.dtype) and meta[c].isna().any():
                meta[c] = meta[c].astype("boolean")
    return Joined(meta=meta, days=days, report=report, on=on, date_column=date_column,
                  matched_files=int((row_of_file >= 0).sum()))
