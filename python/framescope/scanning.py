"""``fs.scan``: frame trends and term counts over corpora larger than memory."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framescope import _core
from framescope.corpus import Corpus
from framescope.frames import Frames
from framescope.periods import by_error, calendar
from framescope.reading import (
    meta_frame,
    record_limit,
    rename_rows,
    renamed_fields,
    warn_about,
)
from framescope.stopwords import stop_word_list
from framescope.trends import (
    MISSING,
    UNDATED,
    TrendTable,
    group_codes,
    period_sums,
    sort_labels,
    table,
)

__all__ = ["scan", "ScanResult"]


@dataclass
class ScanResult:
    """What :func:`scan` keeps: mergeable sums, never the documents."""

    trends: TrendTable
    terms: pd.DataFrame
    docs: int
    batches: int
    read_report: pd.DataFrame = field(repr=False)


def _labels(corpus: Corpus, by: str) -> np.ndarray:
    """Each document's period label (labels computed per distinct period)."""
    cal = calendar(by)
    if cal is not None:
        dates = corpus.dates
        dated = dates.notna().to_numpy()
        labels = np.full(len(dates), UNDATED, dtype=object)
        if dated.any():
            bins = cal.bins(dates[dated])
            distinct, inverse = np.unique(bins, return_inverse=True)
            labels[dated] = np.array([cal.label(b) for b in distinct.tolist()], dtype=object)[inverse]
        return labels
    if isinstance(by, str) and by in corpus.meta.columns:
        codes, order = group_codes(corpus.meta[by])
        return np.array(order, dtype=object)[codes] if len(codes) else np.array([], dtype=object)
    raise by_error(by, corpus.meta.columns)


def batch_sums(corpus: Corpus, frames: Frames, by: str) -> pd.DataFrame:
    """Mergeable per-period sums of one batch: index period label; columns hits and
    docs_with_hit per frame, then docs and tokens. Sums of batches add up exactly."""
    counts = corpus.frame_matrix(frames)
    codes, uniques = pd.factorize(_labels(corpus, by))
    k = len(uniques)
    hits, with_hit, docs, tokens = period_sums(counts, corpus.n_tokens, codes, k)
    block = np.hstack([hits, with_hit, docs[:, None], tokens[:, None]])
    columns = ([f"hits:{n}" for n in frames.names] + [f"with:{n}" for n in frames.names]
               + ["docs", "tokens"])
    return pd.DataFrame(block, index=pd.Index(list(uniques), name="period"), columns=columns)


def trends_from_sums(sums: pd.DataFrame, frames: Frames, by: str, *, level: float = 0.95,
                     rolling: int | None = None) -> TrendTable:
    """The trend table from added-up :func:`batch_sums`."""
    n_frames = len(frames)
    sums = sums.groupby(level=0, sort=False).sum()
    periods = _periods(list(sums.index), by)
    grid = sums.reindex(periods["period"]).fillna(0.0).to_numpy()
    if grid.size == 0:
        grid = np.zeros((0, 2 * n_frames + 2))
    out = table(grid[:, :n_frames], grid[:, n_frames:2 * n_frames], grid[:, -2], grid[:, -1],
                frames.names, periods, level=level, rolling=rolling, by=by)
    out.positions = frames.positions  # each frame's colour in plots
    return out


def _periods(labels: list[str], by: str) -> pd.DataFrame:
    """Periods in order; for time periods, every period from the first to the last."""
    special = [x for x in (UNDATED, MISSING) if x in labels]
    rest = [x for x in labels if x not in special]
    cal = calendar(by)
    if cal is not None:
        bins = cal.rows(np.array([cal.parse(x) for x in rest], dtype=np.int64))
        rows = [(cal.label(b), cal.start(b)) for b in bins.tolist()]
    else:
        rows = [(x, pd.NaT) for x in sort_labels(rest)]
    rows += [(x, pd.NaT) for x in special]
    out = pd.DataFrame(rows, columns=["period", "start"])
    out["start"] = pd.to_datetime(out["start"])
    return out


def sum_terms(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Term tables added up (count and doc_freq per term)."""
    merged = pd.concat(parts, ignore_index=True).groupby("term", sort=False)[["count", "doc_freq"]].sum()
    return merged.astype(np.int64).reset_index()


def scan(path, frames, by: str = "year", *, clean: bool = True, terms: bool = True,
         stop_words="auto", level: float = 0.95, rolling: int | None = None,
         format: str = "auto", text: str = "text", date: str | None = None,
         id: str | None = None, glob: str | None = None, errors: str = "raise",
         encoding_errors: str = "strict", batch_mb: float = 16.0, date_range=None,
         bad_dates: str = "raise", max_record_bytes: int | None = None) -> ScanResult:
    """Frame trends (and term counts) over files read batch by batch, in bounded memory.

    JSONL, CSV and TSV files are read ``batch_mb`` at a time; other files one at a time. Each batch
    is tokenized, cleaned (platform lines, repeated blocks, empty posts; ``clean``),
    matched against ``frames`` and counted; only per-period sums and term counts are
    kept. The trend table equals :meth:`Corpus.frame_trends` on the same documents
    (``bootstrap`` needs the documents and is not offered here). Duplicates across
    batches are not removed: run :meth:`Corpus.dedup` on a sample to see how many.
    Reading options are those of :func:`framescope.read` (with ``errors="skip"``, a
    file that breaks off midway is skipped from there on; its earlier batches count,
    and ``read_report`` says so). Memory is bounded by one
    batch plus the largest record (``max_record_bytes``, 512 MiB by default: a
    decompression bomb or a file without line breaks stops there with an
    :class:`framescope.InputError`), whatever the input.

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
    frames = frames if isinstance(frames, Frames) else Frames(frames)
    if batch_mb <= 0:
        raise ValueError(f"batch_mb must be positive, got {batch_mb!r}")
    paths = [path] if isinstance(path, (str, os.PathLike)) else list(path)
    batches = _core.Scan([os.fspath(p) for p in paths], format=format, text=text, date=date,
                         id=id, glob=glob, errors=errors, encoding_errors=encoding_errors,
                         batch_bytes=int(batch_mb * (1 << 20)), date_range=date_range,
                         bad_dates=bad_dates, max_record_bytes=record_limit(max_record_bytes))
    sums: dict[str, np.ndarray] = {}  # label -> [hits (F), docs_with_hit (F), docs, tokens]
    term_parts: list[pd.DataFrame] = []  # per-batch tables, compacted now and then
    buffered = 0
    stop = stop_word_list(stop_words)
    issues, n_docs, n_batches, renames = [], 0, 0, {}
    for batch in batches:
        n_batches += 1
        core, meta = batch["corpus"], batch["meta"]
        issues.append(pd.DataFrame(batch["issues"], columns=["source", "kind", "message"]))
        renames.update(renamed_fields(meta))
        corpus = Corpus(core, meta_frame(meta, len(core)))
        if clean:
            corpus = corpus.dedup(duplicates=False)
        if len(corpus) == 0:
            continue
        n_docs += len(corpus)
        for label, row in batch_sums(corpus, frames, by).iterrows():
            row = row.to_numpy()
            sums[label] = sums[label] + row if label in sums else row
        if terms:
            term_parts.append(corpus.term_frequencies(stop_words=stop))
            buffered += len(term_parts[-1])
            if buffered > 4_000_000:  # one vectorised group-by instead of an add per batch
                term_parts = [sum_terms(term_parts)]
                buffered = len(term_parts[0])
    columns = ([f"hits:{n}" for n in frames.names] + [f"with:{n}" for n in frames.names]
               + ["docs", "tokens"])
    frame_sums = pd.DataFrame(list(sums.values()), index=pd.Index(list(sums), name="period"),
                              columns=columns) if sums else pd.DataFrame(columns=columns)
    trends = trends_from_sums(frame_sums, frames, by, level=level, rolling=rolling)
    if not term_parts:
        term_table = pd.DataFrame(columns=["term", "count", "doc_freq"])
    else:
        term_table = sum_terms(term_parts).sort_values(["count", "term"], ascending=[False, True],
                                                        kind="stable").reset_index(drop=True)
    report = pd.concat(issues, ignore_index=True) if issues else pd.DataFrame(
        columns=["source", "kind", "message"])
    warn_about(report, "framescope.scan", "result.read_report")
    report = pd.concat([report, rename_rows(renames, [os.fspath(p) for p in paths])],
                       ignore_index=True)
    return ScanResult(trends, term_table, n_docs, n_batches, report)
