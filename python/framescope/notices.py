"""What a read or a corpus's texts hold that may make counts wrong without an error,
said out loud: one warning per kind of report row, and the notes the core finds in
texts (words hyphenated across line breaks, HTML left in, text escaped twice) as
report rows, for every way a corpus is built.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import pandas as pd

from framescope import _core

__all__ = ["gathered", "gathering", "note_rows", "warn_about"]

#: Report kinds warned about, each with what was found or done ({} takes the count).
_WARNED = (
    ("files_not_read", "did not read the files of {} extension(s) in the folders given"),
    ("skipped_record", "skipped {} malformed record(s)"),
    ("skipped_file", "skipped {} file(s) it could not read"),
    ("bad_date", "ignored {} bad metadata date(s)"),
    ("folded_fields", "kept the rare metadata fields of {} read(s) as JSON"),
    ("hyphenated_words", "found words hyphenated across line breaks (OCR'd or PDF text?) in "
                         "{} document(s)"),
    ("html_markup", "found HTML tags or entities in {} document(s)"),
    ("escaped_text", "found escape sequences written out (\\n, \\u2019: text escaped twice?) "
                     "in {} document(s)"),
    ("epoch_date", "kept {} metadata date(s) of 1970-01-01, the Unix epoch (a missing time "
                   "stored as 0?)"),
)

#: Where the notes of corpora being built go instead of a warning (see :func:`gathered`).
_SINK: ContextVar[list[pd.DataFrame] | None] = ContextVar("framescope_notes", default=None)


def warn_about(report: pd.DataFrame, who: str, where: str, stacklevel: int = 3) -> None:
    """One warning for each kind of row in a read report that says something was skipped,
    ignored or found (opt-in skipping is reported, never silent), naming the first."""
    for kind, did in _WARNED:
        rows = report[report["kind"] == kind]
        if len(rows):
            source, message = rows.iloc[0]["source"], rows.iloc[0]["message"]
            first = message if message.startswith(source) else f"{source}: {message}"
            warnings.warn(f"{who} {did.format(len(rows))}; first: {first}. See {where}.",
                          stacklevel=stacklevel)


@contextmanager
def gathered() -> Iterator[list[pd.DataFrame]]:
    """Inside: the reports of corpora built from texts (bad dates left undated, notes on
    the texts) are appended to the list yielded instead of warned about, for a caller that reports them once as its own
    (``fs.read`` and ``fs.scan`` of Parquet files)."""
    sink: list[pd.DataFrame] = []
    token = _SINK.set(sink)
    try:
        yield sink
    finally:
        _SINK.reset(token)


def gathering() -> list[pd.DataFrame] | None:
    """The list notes go to inside :func:`gathered`; None outside (warn then)."""
    return _SINK.get()


def note_rows(native: _core.Corpus, labels: str = "texts") -> tuple[np.ndarray, pd.DataFrame]:
    """The core's notes on a corpus's texts: the documents' positions and the rows
    (``source``: the document's own source, else ``labels[position]``; ``kind``;
    ``message``), in document order. The scan runs on every core without the GIL."""
    notes = native.text_notes()
    doc = np.asarray(notes["doc"], dtype=np.int64)
    if not len(doc):
        return doc, pd.DataFrame(columns=["source", "kind", "message"])
    sources = native.sources()
    named = [sources[i] or f"{labels}[{i}]" for i in doc.tolist()]
    return doc, pd.DataFrame({"source": named, "kind": list(notes["kind"]),
                              "message": list(notes["message"])},
                             columns=["source", "kind", "message"])
