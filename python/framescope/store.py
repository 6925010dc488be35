"""``corpus.save(path)`` and ``fs.load(path)``: a corpus in one versioned binary file.

The file (layout: ``src/corpus/store.rs``; the README's "Saving a corpus") holds the
documents (texts, ids, dates, date sources, provenance), their token ids under the
corpus' tokenizer (so a loaded corpus counts, matches and vectorizes without
tokenizing again), and this layer's own sections: the metadata table and the read and
dedup reports as Arrow IPC streams (every pandas dtype back as it was), and the
settings as JSON. Loading runs no code from the file (unlike pickle): a damaged or
hostile file is an :class:`framescope.InputError` naming it.
"""

from __future__ import annotations

import json
import os

import pandas as pd
import pyarrow as pa

from framescope import _core

__all__ = ["write", "read", "SETTINGS_VERSION"]

#: Version of this layer's sections (``python.json``); the core's format has its own.
SETTINGS_VERSION = 1
_TABLES = ("meta", "read_report", "dedup_report")


def _to_arrow(name: str, frame: pd.DataFrame) -> bytes:
    """A DataFrame as an Arrow IPC stream; a column Arrow cannot type is an error naming it."""
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as e:
        bad = []
        for column in frame.columns:
            try:
                pa.array(frame[column], from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
                bad.append(column)
        raise ValueError(f"cannot save the {name} column(s) {bad or list(frame.columns)}: they mix "
                         f"types Arrow cannot store together ({e}); convert them first, e.g. "
                         "corpus.meta[col].astype(str)") from None
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _from_arrow(data: bytes) -> pd.DataFrame:
    """The DataFrame of :func:`_to_arrow`: str columns that were object columns (lists
    of Python str) are object columns again, so the frame equals the one saved."""
    table = pa.ipc.open_stream(data).read_all()
    frame = table.to_pandas()
    for column in (table.schema.pandas_metadata or {}).get("columns", []):
        name = column.get("name")
        if column.get("numpy_type") == "object" and name in frame.columns \
                and frame[name].dtype != object:
            frame[name] = frame[name].astype(object)
    return frame


def write(corpus, path, *, tokens: bool = True) -> None:
    """Writes ``corpus`` to ``path``: see :meth:`framescope.Corpus.save`."""
    path = os.fspath(path)
    tables = {name: getattr(corpus, f"_{name}") for name in _TABLES}
    settings = {"version": SETTINGS_VERSION,
                "tokenizer": list(corpus.tokenizer.__reduce__()[1]),
                "tables": [name for name, frame in tables.items() if frame is not None]}
    extra = [("python.json", json.dumps(settings).encode())]
    extra += [(f"{name}.arrow", _to_arrow(name, frame)) for name, frame in tables.items()
              if frame is not None]
    _core.save_corpus(path, corpus.native, [corpus.tokenizer] if tokens else [], extra)


def read(path) -> dict:
    """The parts of a saved corpus (``native``, ``meta``, ``tokenizer``, ``read_report``,
    ``dedup_report``): see :func:`framescope.load`."""
    path = os.fspath(path)
    loaded = _core.load_corpus(path)
    extra = loaded["extra"]
    try:
        settings = json.loads(extra["python.json"])
        version = settings["version"]
    except (KeyError, ValueError, TypeError) as e:
        raise _core.InputError(f"{path}: not a readable framescope corpus file: its settings "
                               f"section is missing or damaged ({e})") from None
    if version > SETTINGS_VERSION:
        raise _core.InputError(f"{path}: written by a newer framescope (settings version "
                               f"{version}; this one reads up to {SETTINGS_VERSION}): update "
                               "framescope to load it")
    try:
        tables = {name: _from_arrow(extra[f"{name}.arrow"]) for name in settings["tables"]}
        tokenizer = _core.TokenizerSpec(*settings["tokenizer"])
    except (KeyError, pa.ArrowException, TypeError, ValueError) as e:
        raise _core.InputError(f"{path}: not a readable framescope corpus file: "
                               f"{type(e).__name__}: {e}") from None
    return {"native": loaded["corpus"], "meta": tables.get("meta"), "tokenizer": tokenizer,
            "read_report": tables.get("read_report"), "dedup_report": tables.get("dedup_report")}
