"""``fs.read``: corpora from files as researchers scrape them."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd

from framescope import _core, arrow, metadata
from framescope.corpus import RESERVED_COLUMNS, Corpus
from framescope.notices import gathered, warn_about
from framescope.progress import bar

__all__ = ["read"]


def _exact_integers(col: pd.Series) -> pd.Series | None:
    """A column of integers (Python ints, or digit strings) with gaps, kept exact:
    nullable ``Int64`` when every value fits in 64 bits, else the values as str.
    None when the column is not all integers."""
    present = col.dropna()
    if not len(present):
        return None
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        values = present
    elif all(isinstance(v, str) and v.lstrip("-").isdigit() and v.strip() == v for v in present):
        values = present.map(int)
    else:
        return None
    if all(-(2**63) <= v < 2**63 for v in values):
        exact = dict(zip(present.index.tolist(), values.tolist(), strict=True))
        return pd.Series(pd.array([exact.get(i) for i in range(len(col))], dtype="Int64"),
                         index=col.index)
    return col.map(lambda v: None if v is None else str(v)).astype(object)


def renamed_fields(columns: dict[str, list]) -> dict[str, str]:
    """Metadata fields named like the corpus's own columns ("source", "id" when not
    the id field, ...), and the names they get ("source_field"), so to_pandas() never
    holds two columns of one name."""
    taken = set(columns) | set(RESERVED_COLUMNS)
    out = {}
    for name in columns:
        if name in RESERVED_COLUMNS:
            new = f"{name}_field"
            while new in taken:
                new += "_"
            taken.add(new)
            out[name] = new
    return out


def rename_rows(renames: dict[str, str], paths: list[str]) -> pd.DataFrame:
    """Read-report rows ("renamed_field") for metadata fields renamed by :func:`renamed_fields`."""
    return pd.DataFrame([(", ".join(paths), "renamed_field",
                          f"field {old!r} is named like a corpus column; it is {new!r}")
                         for old, new in renames.items()], columns=["source", "kind", "message"])


def meta_frame(columns: dict[str, list], n: int) -> pd.DataFrame | None:
    """Metadata read from files (field name -> values of ``n`` documents) as a DataFrame:
    fields named like corpus columns renamed, integer and date-free columns typed exactly."""
    if not columns:
        return None
    renames = renamed_fields(columns)
    # Each column typed on its own, the frame made once (assigning column by column
    # costs a wide frame's width per column).
    typed = {renames.get(name, name): _typed(pd.Series(values, dtype=object))
             for name, values in columns.items()}
    return pd.DataFrame(typed, index=range(n)) if typed else None


def _typed(col: pd.Series) -> pd.Series:
    """One metadata column typed exactly: integers with gaps as ``Int64`` (ids beyond
    64 bits as str), all-number CSV cells as numbers, else pandas' inference."""
    present = col.dropna()
    exact = _exact_integers(col)
    # Integer columns with gaps, or ids beyond 64 bits: exact, never through float64.
    if exact is not None and (exact.dtype == object or exact.isna().any()):
        return exact
    if len(present) and all(isinstance(v, str) for v in present):
        try:  # CSV cells that are all numbers become numbers, as pandas.read_csv does
            return pd.to_numeric(col)
        except (ValueError, TypeError):
            pass
    return col.infer_objects()


#: Default of ``max_record_bytes`` in :func:`read` and :func:`framescope.scan` (512 MiB).
MAX_RECORD_BYTES = _core.DEFAULT_MAX_RECORD_BYTES


def record_limit(value) -> int | None:
    """``max_record_bytes`` checked: None or a positive int."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"max_record_bytes must be a positive int (bytes), got {value!r}")
    return int(value)


def field_names(value) -> list[str]:
    """``keep_fields`` checked: a field name or an iterable of them, as a list."""
    names = [value] if isinstance(value, str) else list(value)
    bad = [n for n in names if not isinstance(n, str)]
    if bad:
        raise TypeError(f"keep_fields must be field names (str), got {bad[0]!r}")
    return names


def read(path, format: str = "auto", *, text: str = "text", date: str | None = None,
         id: str | None = None, glob: str | None = None, split: str | None = None,
         errors: str = "raise", encoding_errors: str = "strict", encoding: str | None = None,
         chronological: bool | None = None, date_range=None,
         bad_dates: str = "raise", dayfirst: bool | None = None,
         max_record_bytes: int | None = None,
         meta=None, on: str | None = None, keep_fields=(),
         progress: bool | None = None) -> Corpus:
    """Read a corpus from files.

    Parameters
    ----------
    path : str, os.PathLike, or a list of them
        Files, directories (read recursively, in name order), or glob patterns.
        In a directory, files ending in .txt .md .html .htm .jsonl .ndjson .csv .tsv
        .json (each optionally .gz) are read.
        Parquet files (``"posts.parquet"``, ``"data/*.parquet"``; Hugging Face
        datasets, polars and DuckDB exports) are read with pyarrow, columns as in
        JSONL, ids "posts.parquet#12", provenance "path:row 12".
    format : {"auto", "text", "channel", "jsonl", "csv", "tsv", "telegram", "html", "parquet"}
        "auto" decides by extension; a .txt/.md file holding scraped Telegram
        channel lines ("Forwarded from ...", "Read in full", "VIEW IN TELEGRAM")
        is a *channel dump* and is split into posts; other text files are one
        document each. ".json" files are Telegram Desktop exports (``result.json``).
        ".html"/".htm" files are saved web pages, one document each: the text the
        page shows as its content (its ``<article>`` elements, else ``<main>``, else
        the body without header, navigation, sidebars, footers, forms, scripts and
        containers named as menus, comments, related links or sharing buttons;
        a paragraph a line, entities decoded), its ``<title>`` as the metadata column
        ``title``, and its date from the page's tags (``article:published_time``,
        ``datePublished``, Dublin Core, ``<meta name="date">``, a ``<time
        datetime>``), else from its text as for .txt files.
    text, date, id : str
        JSONL fields / CSV columns holding the text (default "text"), the date
        (default "date" when present) and the id. Other fields become metadata
        columns; when records bring keys of their own (a scrape keyed by URL), so that
        a column per field would hold more than 16.7 million cells and over eight
        per value read (or over 10,000 columns), the most frequent fields stay columns
        and each record's others are kept as a JSON object in ``extra_fields``
        (reported in ``read_report`` as "folded_fields", with a warning); the fields
        named in ``keep_fields`` stay columns however few records hold them.
        A missing text column is an error listing the available columns.
    glob : str, optional
        In directories, read only paths (relative to the directory) matching this glob.
    split : str, optional
        For text files: a regex; every line it matches starts a new document.
    errors : {"raise", "skip"}
        A malformed record (bad JSON, missing text, bad date, wrong number of CSV
        fields) raises :class:`framescope.InputError` naming the file and line;
        "skip" skips it and lists it in ``corpus.read_report`` (with a warning).
    encoding_errors : {"strict", "replace"}
        Invalid UTF-8 raises an error naming the file and byte offset (and, for bytes
        that look like Russian in windows-1251 or KOI8-R, saying so); "replace"
        substitutes U+FFFD and reports how many bytes sequences were replaced.
    encoding : str, optional
        The encoding of files without a byte-order mark, by its WHATWG label
        ("windows-1251", "koi8-r", "iso-8859-5", "windows-1252", "utf-16le"), as older
        Russian archives and Excel's "CSV" in a Russian locale write them; decoded by
        ``encoding_rs`` for every format (text, JSONL, CSV, Telegram, pages). A byte the
        encoding does not define is an error naming its offset. Default UTF-8 (UTF-16
        and UTF-32 with a byte-order mark are read as such whatever this says, and a
        saved web page not in UTF-8 by the charset it declares).
    chronological : bool, optional
        Whether documents in each file are in date order, so a text date without a
        year ("On February 14, ...") takes its year from the nearest dated
        neighbour. Default: yes for channel dumps and Telegram exports.
    date_range : (first, last), optional
        Plausible metadata dates: years, date strings or dates, None for a default
        bound. Default: 1000-01-01 to one year after today.
    bad_dates : {"raise", "undated"}
        A metadata date that is not a date or is outside ``date_range`` (a Unix
        time in the wrong unit, a placeholder 9999-12-31) raises
        :class:`framescope.InputError` naming the file and line; "undated" ignores
        it (the text's own date may still be found) and lists it in
        ``corpus.read_report`` as "bad_date", with a warning. Metadata dates follow
        the README's date rules: ISO, day-first dotted dates, months (their first
        day: "2023-04", "April 2023"), years, ``YYYYMMDD``,
        Unix times in s/ms/us/ns told by magnitude (from 1e8: a smaller number such as
        0, a placeholder, is no date).
    dayfirst : bool, optional
        Numeric metadata dates with the year last, as Excel writes them into a CSV
        ("04/05/2023", "4/5/2023 15:30", "04-05-2023"): ``True`` reads the day first
        (most countries), ``False`` the month first (the United States). Without it
        only values that tell are read ("29/04/2023", "4/29/2023"); "04/05/2023" is an
        error naming both readings (or, with ``bad_dates="undated"``, a reported bad
        date), never a guess; a value that contradicts the order given is one too.
    max_record_bytes : int, optional
        The most bytes one record may take after decompression: a JSONL line, a
        CSV row, a whole text or Telegram file. Default 512 MiB
        (``framescope.MAX_RECORD_BYTES``). A longer one (a decompression bomb, a
        file without line breaks) raises :class:`framescope.InputError` naming the
        file and line or byte offset as soon as the limit is passed, before memory
        runs out. Reading stops at Ctrl-C, also inside one long record.
    progress : bool, optional
        A progress bar (documents read): None shows one after a second where a bar
        can be drawn (or as :func:`framescope.set_progress` says), True always,
        False never.
    meta : str, os.PathLike, DataFrame or False, optional
        A table describing the files (a folder of speeches plus ``metadata.csv``):
        a CSV, TSV, JSONL or Parquet file, or a pandas or polars DataFrame. Each
        file is joined to the row whose ``on`` cell is its path relative to the
        folder, its name, or either without extensions ("1789-Washington.txt" or
        "1789-Washington"); every document of the file gets the row's columns as
        metadata, and a ``date``/``year`` column (or the one ``date=`` names) dates
        them, outranking dates found in the text (``date_source`` "metadata").
        Files without a row and rows without a file are listed in
        ``corpus.read_report`` ("unmatched_file", "unmatched_meta"), with a warning;
        two rows for one file are an error. Default: a file named ``metadata.csv``
        (or ``meta.csv``, ``.tsv``, ``.jsonl``, ``.parquet``) without a text column at
        the top of a folder read is used this way (announced with a warning; it is not
        read as documents); ``meta=False`` reads it as documents.
    on : str, optional
        The metadata column naming the files. Default: the first of "fileid",
        "file_id", "file", "filename", "file_name", "path", "doc_id", "name" (any case).

    Returns
    -------
    Corpus
        Dates come from metadata, else from the text's dateline ("(Moscow, April
        29, 2023)", "📍Moscow, December 28, 2023", "14 April 2017", "29 апреля 2023 г.")
        or opening ("On February 14, ..."), else from neighbours; ``date_source``
        says which ("metadata", "text", "inferred", "none"). ``source`` is
        "file:line" (Telegram: "file#chat/message"). Ids, unless ``id=`` names a
        field: "file#n" with n the post's number in a channel dump or split text
        file, or the line a JSONL/CSV record starts on; a text file's name; Telegram
        "chat/message". Nothing is dropped silently:
        skipped service messages, media-only messages and bad records are in
        ``corpus.read_report``.

    Examples
    --------
    >>> import framescope as fs, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.jsonl").write_text('{"text": "The collective West", "date": "2023-04-29"}\\n'
    ...                                '{"text": "On February 14, the Global Majority ...", "lang": "en"}\\n')
    >>> c = fs.read(d)
    >>> c.to_pandas()[["id", "date", "date_source", "lang"]]
              id       date date_source lang
    0  a.jsonl#1 2023-04-29    metadata  NaN
    1  a.jsonl#2        NaT        none   en
    >>> c[1].source.endswith("a.jsonl:2")
    True
    """
    paths = [path] if isinstance(path, (str, os.PathLike)) else list(path)
    paths = [os.fspath(p) for p in paths]
    parquet = arrow.parquet_files(paths, format)
    if parquet is not None:
        if meta not in (None, False) or glob is not None or split is not None:
            raise ValueError("Parquet files carry their own columns: meta=, glob= and split= "
                             "do not apply to them")
        return _read_parquet(parquet, text=text, date=date, id=id, date_range=date_range,
                             bad_dates=bad_dates, dayfirst=dayfirst)
    table_path, found = meta_source(paths, meta, on, text)
    with bar("reading", None, progress):
        loaded = _core.read_files(
            paths, format=format, text=text, date=date, id=id, glob=glob, split=split,
            errors=errors, encoding_errors=encoding_errors, encoding=encoding,
            chronological=chronological,
            date_range=date_range, bad_dates=bad_dates, dayfirst=dayfirst,
            max_record_bytes=record_limit(max_record_bytes),
            exclude=[table_path] if table_path is not None else [],
            keep_fields=field_names(keep_fields))
    core, fields = loaded["corpus"], loaded["meta"]
    report = pd.DataFrame(loaded["issues"], columns=["source", "kind", "message"])
    warn_about(report, "framescope.read", "corpus.read_report")
    report = pd.concat([report, rename_rows(renamed_fields(fields), paths)], ignore_index=True)
    frame = meta_frame(fields, len(core))
    source = table_path if table_path is not None else meta
    if source is None or source is False:
        return Corpus(core, frame, read_report=report)
    return _joined(core, frame, report, loaded, source, found, on=on, date=date,
                   date_range=date_range, bad_dates=bad_dates, dayfirst=dayfirst)


def _read_parquet(files: list[str], *, text: str, date: str | None, id: str | None,
                  date_range, bad_dates: str, dayfirst: bool | None) -> Corpus:
    """Parquet files as a corpus: columns as in JSONL (``text``, ``date`` when present,
    ``id``, the rest metadata); ids "name.parquet#row" unless ``id`` names a column;
    provenance "path:row N"."""
    table, sources, ids = arrow.read_parquet(files)
    with gathered() as noted:
        corpus = Corpus.from_arrow(table, text, date if date is not None else "date", id, None,
                                   ids=ids if id is None else None, sources=sources,
                                   date_range=date_range, bad_dates=bad_dates, dayfirst=dayfirst)
    if noted:
        warn_about(pd.concat(noted, ignore_index=True), "framescope.read", "corpus.read_report",
                   stacklevel=4)
    return corpus


def meta_source(paths: list[str], meta, on, text: str) -> tuple[str | None, bool]:
    """The metadata file to leave out of the documents (given, or found in a folder),
    and whether it was found rather than given."""
    if meta is False:
        if on is not None:
            raise ValueError("on= names the metadata column to join on; it needs meta=")
        return None, False
    if meta is None:
        found = metadata.sidecar(paths, text)
        if found is None and on is not None:
            raise ValueError("on= names the metadata column to join on, but no meta= was given "
                             "and no metadata.csv was found in a folder read")
        return found, found is not None
    if isinstance(meta, (str, os.PathLike)):
        return os.fspath(meta), False
    return None, False


def _joined(core, frame, report, loaded, source, found: bool, *, on, date, date_range,
            bad_dates, dayfirst) -> Corpus:
    """The corpus read, with the metadata table ``source`` joined to its files."""
    table, name = metadata.load_table(source, on)
    files = loaded["files"]
    joined = metadata.join(table, name, files, [str(f) for f in files], loaded["file_of"], on=on,
                           date=date, date_range=date_range, bad_dates=bad_dates,
                           dayfirst=dayfirst)
    if found:
        announce_table(source, joined.on, joined.matched_files, len(files), "framescope.read")
        report = pd.concat([report, table_row(source, joined.on, len(files))], ignore_index=True)
    warn_unmatched(joined.report, name, len(files), "framescope.read", "corpus.read_report")
    report = pd.concat([report, joined.report], ignore_index=True)
    core, frame = with_joined(core, frame, joined)
    return Corpus(core, frame, read_report=report)


def announce_table(source, on: str, matched: int, n_files: int, who: str,
                   stacklevel: int = 4) -> None:
    """The warning that a folder's metadata table was found and used."""
    warnings.warn(f"{who}: using {source} as the folder's metadata table (joined on {on!r}; "
                  f"{matched} of {n_files} files matched); pass meta= to choose another, or "
                  "meta=False to read it as documents.", stacklevel=stacklevel)


def table_row(source, on: str, n_files: int) -> pd.DataFrame:
    """The read-report row saying the metadata table was read as metadata."""
    return pd.DataFrame([(str(source), "metadata_table",
                          f"read as the metadata of {n_files} files, joined on {on!r}")],
                        columns=["source", "kind", "message"])


def warn_unmatched(problems: pd.DataFrame, name: str, n_files: int, who: str, where: str,
                   stacklevel: int = 4) -> None:
    """One warning for files without a row, rows without a file and bad dates of a join."""
    if not len(problems):
        return
    files_left = int((problems["kind"] == "unmatched_file").sum())
    rows_left = int((problems["kind"] == "unmatched_meta").sum())
    bad = int((problems["kind"] == "bad_date").sum())
    parts = [f"{files_left} of {n_files} files have no row in {name}" if files_left else "",
             f"{rows_left} row{'s' * (rows_left != 1)} of {name} match{'es' * (rows_left == 1)} no file"
             if rows_left else "",
             f"{bad} bad date{'s' * (bad != 1)} in {name} ignored" if bad else ""]
    first = problems.iloc[0]
    warnings.warn(f"{who}: {'; '.join(p for p in parts if p)} (first: {first['source']}: "
                  f"{first['message']}). See {where}.", stacklevel=stacklevel)


def with_joined(core, frame, joined):
    """The documents with a join's metadata columns (renamed "_meta" where the records
    have a field of that name) and dates."""
    if joined.meta is not None:
        extra = joined.meta
        taken = set(frame.columns) if frame is not None else set()
        extra = extra.rename(columns={c: f"{c}_meta" for c in extra.columns if c in taken})
        extra = extra.rename(columns=renamed_fields({c: None for c in extra.columns}))
        frame = extra if frame is None else pd.concat([frame, extra], axis=1)
    return core.with_metadata_dates(joined.days), frame
