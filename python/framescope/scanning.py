"""``fs.scan``: frame trends and term counts over corpora larger than memory."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framescope import _core, arrow, metadata
from framescope.corpus import Corpus
from framescope.frames import Frames
from framescope.grouping import doc_labels, from_labels, keys
from framescope.notices import gathered, warn_about
from framescope.periods import by_error, by_name
from framescope.progress import bar
from framescope.provenance import attach, register, streamed_record
from framescope.reading import (
    announce_table,
    field_names,
    meta_frame,
    meta_source,
    record_limit,
    rename_rows,
    renamed_fields,
    table_row,
    warn_unmatched,
    with_joined,
)
from framescope.stopwords import stop_word_list
from framescope.trends import TrendTable, period_sums, table

__all__ = ["scan", "ScanResult"]


@dataclass
class ScanResult:
    """What :func:`scan` keeps: mergeable sums, never the documents."""

    trends: TrendTable
    terms: pd.DataFrame
    docs: int
    batches: int
    read_report: pd.DataFrame = field(repr=False)


def sum_columns(frames: Frames) -> list[str]:
    """The columns of :func:`batch_sums`."""
    return ([f"hits:{n}" for n in frames.names] + [f"with:{n}" for n in frames.names]
            + ["docs", "tokens"])


def meta_keys(by) -> list[str]:
    """The metadata columns ``by`` groups on (its keys that are not calendar periods)."""
    return [k.spec for k in keys(by) if k.calendar is None and isinstance(k.spec, str)]


def with_columns(meta: pd.DataFrame | None, columns: list[str], n: int) -> pd.DataFrame | None:
    """``meta`` with each of ``columns`` it lacks added, all missing: a batch whose
    records have no such field groups them as missing, as :func:`framescope.read` would."""
    absent = [c for c in columns if meta is None or c not in meta.columns]
    if not absent:
        return meta
    empty = pd.DataFrame({c: pd.Series([None] * n, dtype=object) for c in absent},
                         index=range(n) if meta is None else meta.index)
    return empty if meta is None else pd.concat([meta, empty], axis=1)


def batch_sums(corpus: Corpus, frames: Frames, by) -> pd.DataFrame:
    """Mergeable per-group sums of one batch: index the group's labels (a tuple, one per
    key of ``by``); columns hits and docs_with_hit per frame, then docs and tokens.
    Sums of batches add up exactly."""
    counts = corpus.frame_matrix(frames)
    labels = doc_labels(corpus.dates, with_columns(corpus.meta, meta_keys(by), len(corpus)), by)
    codes, uniques = pd.MultiIndex.from_arrays(labels).factorize() if len(corpus) else (
        np.zeros(0, dtype=np.int64), [])
    hits, with_hit, docs, tokens = period_sums(counts, corpus.n_tokens, codes, len(uniques))
    block = np.hstack([hits, with_hit, docs[:, None], tokens[:, None]])
    index = pd.Index([tuple(u) for u in uniques], tupleize_cols=False, name="group", dtype=object)
    return pd.DataFrame(block, index=index, columns=sum_columns(frames))


def trends_from_sums(sums: pd.DataFrame, frames: Frames, by, *, level: float = 0.95,
                     rolling: int | None = None) -> TrendTable:
    """The trend table from added-up :func:`batch_sums` (rows of one group may repeat:
    they are added); equal to :meth:`Corpus.frame_trends` on all the documents."""
    n_frames = len(frames)
    keys(by)  # a bad ``by`` fails here even when there were no documents
    values = sums.to_numpy(dtype=np.float64) if len(sums) else np.zeros((0, 2 * n_frames + 2))
    codes, periods = from_labels(list(sums.index), by)
    grid = np.zeros((len(periods), 2 * n_frames + 2))
    np.add.at(grid, codes, values)
    out = table(grid[:, :n_frames], grid[:, n_frames:2 * n_frames], grid[:, -2], grid[:, -1],
                frames.names, periods, level=level, rolling=rolling, by=by_name(by))
    out.positions = frames.positions  # each frame's colour in plots
    return out


def _core_corpora(batches, issues: list, renames: dict, joiner: _MetaJoin | None = None):
    """The corpora of the core's batches (joined to a metadata table by ``joiner``);
    their read issues and renamed fields collected, the join's report at the end."""
    for batch in batches:
        core, meta = batch["corpus"], batch["meta"]
        issues.append(pd.DataFrame(batch["issues"], columns=["source", "kind", "message"]))
        renames.update(renamed_fields(meta))
        frame = meta_frame(meta, len(core))
        if joiner is not None:
            core, frame = joiner.join(core, frame, batch["files"], batch["file_of"])
        yield Corpus(core, frame)
    if joiner is not None:
        joiner.done = joiner.report()


class _MetaJoin:
    """A metadata table joined to a scan's batches one at a time: a file's row found
    whichever batch it is in; rows no batch matched and files without a row reported
    once, at the end (as :func:`framescope.read` reports them)."""

    def __init__(self, source, found: bool, *, on, date, date_range, bad_dates, dayfirst):
        self.table, self.name = metadata.load_table(source, on)
        self.source, self.found = source, found
        self.options = dict(on=on, date=date, date_range=date_range, bad_dates=bad_dates,
                            dayfirst=dayfirst)
        self.files: dict[str, bool] = {}  # file -> matched
        self.unmatched_rows: set[str] | None = None  # rows no batch so far has matched
        self.rows: list[pd.DataFrame] = []  # unmatched files and bad dates, once each
        self.on = ""
        self.messages: dict[str, str] = {}  # unmatched row -> its message
        self.done: pd.DataFrame | None = None  # the report, once every batch is joined

    def join(self, core, frame, files, file_of):
        joined = metadata.join(self.table, self.name, files, [str(f) for f in files], file_of,
                               **self.options)
        self.on = joined.on
        report = joined.report
        left = report[report["kind"] == "unmatched_meta"]
        self.messages.update(zip(left["source"], left["message"], strict=True))
        rows = set(left["source"])
        self.unmatched_rows = rows if self.unmatched_rows is None else self.unmatched_rows & rows
        missing = set(report.loc[report["kind"] == "unmatched_file", "source"])
        for f in files:
            self.files[str(f)] = self.files.get(str(f), False) or str(f) not in missing
        new = report[(report["kind"] != "unmatched_meta") & ~report["source"].isin(
            pd.concat(self.rows)["source"] if self.rows else [])]
        if len(new):
            self.rows.append(new)
        return with_joined(core, frame, joined)

    def report(self) -> pd.DataFrame:
        """The join's read-report rows (and its warnings, given once)."""
        rows = pd.concat(self.rows, ignore_index=True) if self.rows else pd.DataFrame(
            columns=["source", "kind", "message"])
        if self.unmatched_rows is None:  # no batch: every row unmatched
            self.unmatched_rows = {f"{self.name} row {i + 1}" for i in range(len(self.table))}
        order = sorted(self.unmatched_rows, key=lambda s: int(s.rsplit(" ", 1)[1]))
        left = pd.DataFrame([(r, "unmatched_meta", self.messages.get(r, "matches no file read"))
                             for r in order], columns=["source", "kind", "message"])
        rows = pd.concat([rows[rows["kind"] == "unmatched_file"], left,
                          rows[rows["kind"] != "unmatched_file"]], ignore_index=True)
        n_files = len(self.files)
        if self.found:
            announce_table(self.source, self.on, sum(self.files.values()), n_files,
                           "framescope.scan", stacklevel=5)
            rows = pd.concat([table_row(self.source, self.on, n_files), rows], ignore_index=True)
        warn_unmatched(rows[rows["kind"] != "metadata_table"], self.name, n_files,
                       "framescope.scan", "result.read_report", stacklevel=5)
        return rows


def _parquet_corpora(files, text, date, id, batch_bytes, date_range, bad_dates, dayfirst,
                     issues: list[pd.DataFrame]):
    """The corpora of Parquet files read a batch at a time, as :func:`framescope.read`
    reads them whole; what each batch's report says (bad dates left undated, notes on
    the texts) is appended to ``issues``, warned about once by the scan."""
    for batch, ids, sources in arrow.parquet_batches(files, batch_bytes):
        with gathered() as noted:
            corpus = Corpus.from_arrow(batch, text, date if date is not None else "date", id,
                                       None, ids=ids if id is None else None, sources=sources,
                                       date_range=date_range, bad_dates=bad_dates,
                                       dayfirst=dayfirst)
        issues.extend(noted)
        yield corpus


def sum_terms(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Term tables added up (count and doc_freq per term)."""
    merged = pd.concat(parts, ignore_index=True).groupby("term", sort=False)[["count", "doc_freq"]].sum()
    return merged.astype(np.int64).reset_index()


def scan(path, frames, by: str = "year", *, clean: bool = True, hyphenation: bool = False,
         html: bool = False, terms: bool = True,
         stop_words="auto", level: float = 0.95, rolling: int | None = None,
         format: str = "auto", text: str = "text", date: str | None = None,
         id: str | None = None, glob: str | None = None, errors: str = "raise",
         encoding_errors: str = "strict", encoding: str | None = None,
         batch_mb: float = 16.0, date_range=None,
         bad_dates: str = "raise", dayfirst: bool | None = None,
         max_record_bytes: int | None = None,
         meta=None, on: str | None = None, keep_fields=(),
         progress: bool | None = None) -> ScanResult:
    """Frame trends (and term counts) over files read batch by batch, in bounded memory.

    JSONL, CSV and TSV files are read ``batch_mb`` at a time, Parquet files about
    ``batch_mb`` at a time (pyarrow decodes one row group at a time, so a row group
    bounds memory there); other files one at a time. Each batch
    is tokenized, cleaned (platform lines, repeated blocks, empty posts; ``clean``),
    matched against ``frames`` and counted; only per-period sums and term counts are
    kept. ``hyphenation``: words hyphenated across line breaks (OCR'd, PDF text) made
    whole first, as :meth:`Corpus.dedup` does, each batch deciding by its own words;
    ``html``: HTML tags and entities removed first, as :meth:`Corpus.dedup` does. The trend table equals :meth:`Corpus.frame_trends` on the same documents
    (``bootstrap`` needs the documents and is not offered here). Duplicates across
    batches are not removed: run :meth:`Corpus.dedup` on a sample to see how many.
    Reading options are those of :func:`framescope.read` (``encoding`` too; with ``errors="skip"``, a
    file that breaks off midway is skipped from there on; its earlier batches count,
    and ``read_report`` says so). Memory is bounded by one
    batch plus the largest record (``max_record_bytes``, 512 MiB by default: a
    decompression bomb or a file without line breaks stops there with an
    :class:`framescope.InputError`), whatever the input.

    ``by`` is a calendar period, a metadata column or a list of them (as in
    :meth:`Corpus.frame_trends`; labels per document cannot be given to batches). A
    field some batches lack (added late in an archive) groups their documents as
    missing, as :func:`framescope.read` does; a field no record has is an error. The
    fields ``by`` names (and ``keep_fields``) stay metadata columns in every batch, however
    few of its records hold them (see ``text`` in :func:`framescope.read` for the
    folding of rare fields into ``extra_fields``).
    ``progress``: a bar counting documents as batches are done (see :func:`framescope.read`).
    ``meta``/``on``: a table describing the files, joined to each batch's documents by
    file name as :func:`framescope.read` joins it (a ``metadata.csv`` in a folder read
    is found); files without a row and rows without a file are in ``read_report``.

    Returns a :class:`ScanResult`: ``trends``, ``terms`` (term, count, doc_freq; stop
    words removed), ``docs``, ``batches``, ``read_report``.

    Examples
    --------
    >>> import framescope as fs, json, pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "posts.jsonl"
    >>> _ = path.write_text("\\n".join(json.dumps({"text": t, "date": d}) for t, d in
    ...     [("the collective West", "2022-03-01"), ("the Global Majority", "2023-05-01")]))
    >>> r = fs.scan(path, {"collective_west": ["collective West"]})
    >>> r.trends[["period", "hits", "docs", "tokens"]]
      period  hits  docs  tokens
    0   2022     1     1       3
    1   2023     0     1       3
    """
    call_parameters = dict(locals())  # the run record's, before anything is reassigned
    frames = frames if isinstance(frames, Frames) else Frames(frames)
    if batch_mb <= 0:
        raise ValueError(f"batch_mb must be positive, got {batch_mb!r}")
    paths = [os.fspath(p) for p in ([path] if isinstance(path, (str, os.PathLike)) else path)]
    keys(by)  # a bad ``by`` fails before the first batch is read
    issues, renames, joiner = [], {}, None
    parquet = arrow.parquet_files(paths, format)
    if parquet is not None:
        if glob is not None or meta not in (None, False):
            raise ValueError("glob= and meta= do not apply to Parquet files: name them (globs "
                             "allowed); their rows carry their own columns")
        corpora = _parquet_corpora(parquet, text, date, id, int(batch_mb * (1 << 20)),
                                   date_range, bad_dates, dayfirst, issues)
    else:
        table_path, found = meta_source(paths, meta, on, text)
        batches = _core.Scan(paths, format=format, text=text, date=date, id=id, glob=glob,
                             errors=errors, encoding_errors=encoding_errors, encoding=encoding,
                             batch_bytes=int(batch_mb * (1 << 20)), date_range=date_range,
                             bad_dates=bad_dates, dayfirst=dayfirst,
                             max_record_bytes=record_limit(max_record_bytes),
                             exclude=[table_path] if table_path is not None else [],
                             keep_fields=list(dict.fromkeys(meta_keys(by) + field_names(keep_fields))))
        source = table_path if table_path is not None else meta
        if source is not None and source is not False:
            joiner = _MetaJoin(source, found, on=on, date=date, date_range=date_range,
                               bad_dates=bad_dates, dayfirst=dayfirst)
        corpora = _core_corpora(batches, issues, renames, joiner)
    sums: dict[tuple, np.ndarray] = {}  # labels -> [hits (F), docs_with_hit (F), docs, tokens]
    term_parts: list[pd.DataFrame] = []  # per-batch tables, compacted now and then
    buffered = 0
    stop = stop_word_list(stop_words)
    n_docs, n_batches = 0, 0
    seen_columns: set[str] = set()
    with bar("scanning", None, progress, poll=False) as shown:
        for corpus in corpora:
            n_batches += 1
            if shown is not None:
                shown.update(len(corpus))
            if clean or hyphenation or html:
                corpus = corpus.dedup(boilerplate=clean, repeats="auto" if clean else False,
                                      drop_empty=clean, duplicates=False,
                                      hyphenation=hyphenation, html=html)
            if len(corpus) == 0:
                continue
            n_docs += len(corpus)
            if corpus.meta is not None:
                seen_columns.update(corpus.meta.columns)
            for label, row in batch_sums(corpus, frames, by).iterrows():
                row = row.to_numpy()
                sums[label] = sums[label] + row if label in sums else row
            if terms:
                term_parts.append(corpus.term_frequencies(stop_words=stop))
                buffered += len(term_parts[-1])
                if buffered > 4_000_000:  # one vectorised group-by instead of an add per batch
                    term_parts = [sum_terms(term_parts)]
                    buffered = len(term_parts[0])
    never = [c for c in meta_keys(by) if c not in seen_columns]
    if never and n_docs:  # a field no record has: a typo, not a group of missing values
        raise by_error(never[0], sorted(seen_columns))
    frame_sums = pd.DataFrame(list(sums.values()), columns=sum_columns(frames),
                              index=pd.Index(list(sums), tupleize_cols=False, dtype=object))
    trends = trends_from_sums(frame_sums, frames, by, level=level, rolling=rolling)
    if not term_parts:
        term_table = pd.DataFrame(columns=["term", "count", "doc_freq"])
    else:
        term_table = sum_terms(term_parts).sort_values(["count", "term"], ascending=[False, True],
                                                        kind="stable").reset_index(drop=True)
    report = pd.concat(issues, ignore_index=True) if issues else pd.DataFrame(
        columns=["source", "kind", "message"])
    warn_about(report, "framescope.scan", "result.read_report")
    joined = [] if parquet is not None or joiner is None or joiner.done is None else [joiner.done]
    report = pd.concat([report, *joined, rename_rows(renames, [os.fspath(p) for p in paths])],
                       ignore_index=True)
    result = ScanResult(trends, term_table, n_docs, n_batches, report)
    return attach(result, streamed_record("scan", call_parameters, _core.TokenizerSpec(), n_docs))


register("scan", scan)
