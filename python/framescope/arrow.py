"""Arrow data in: pyarrow tables and batches, polars DataFrames and anything else that
speaks the Arrow PyCapsule stream interface (``__arrow_c_stream__``), and Parquet files.

Text columns go to the core as Arrow's own buffers (int64 offsets and UTF-8 bytes,
viewed by numpy without a copy): no Python object per document. polars hands its data
over through the PyCapsule interface without a copy.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["Buffers", "as_table", "pandas_strings", "string_buffers", "is_arrow_like", "parquet_files",
           "read_parquet", "parquet_batches"]


def is_arrow_like(data) -> bool:
    """Whether ``data`` is Arrow data :func:`as_table` takes (pandas frames are not)."""
    return isinstance(data, (pa.Table, pa.RecordBatch, pa.RecordBatchReader)) or (
        hasattr(data, "__arrow_c_stream__") and not _is_pandas(data))


def _is_pandas(data) -> bool:
    return type(data).__module__.startswith("pandas")


def as_table(data) -> pa.Table:
    """``data`` as a pyarrow Table: a Table, a RecordBatch, a RecordBatchReader, a list
    of RecordBatches, or an object with ``__arrow_c_stream__`` (a polars DataFrame)."""
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    if isinstance(data, pa.RecordBatchReader):
        return data.read_all()
    if isinstance(data, (list, tuple)) and data and all(isinstance(b, pa.RecordBatch) for b in data):
        return pa.Table.from_batches(list(data))
    if hasattr(data, "__arrow_c_stream__"):
        return pa.table(data)
    raise TypeError(f"expected Arrow data (a pyarrow Table or RecordBatch(es), or an object with "
                    f"__arrow_c_stream__ such as a polars DataFrame), got {type(data).__name__}")


@dataclass(frozen=True)
class Buffers:
    """Strings as Arrow large-string buffers, chunk by chunk as a chunked Arrow column
    holds them (a Parquet file's row groups): each chunk a pair of int64 byte ``offsets``
    from 0 (one more than its strings) and its UTF-8 ``data``. The core takes them for
    texts, ids, sources and documents with no str object per string, and reads the
    chunks where they are (only runs of chunks under ``SMALL_CHUNK_ROWS`` rows are joined
    first)."""

    chunks: tuple[tuple[np.ndarray, np.ndarray], ...]

    def __len__(self) -> int:
        return sum(len(offsets) - 1 for offsets, _ in self.chunks)

    def texts(self) -> list[str]:
        """The strings as str (to inspect them; no framescope path needs them)."""
        out = []
        for offsets, data in self.chunks:
            raw = data.tobytes()
            out += [raw[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(),
                                                             offsets[1:].tolist(), strict=True)]
        return out

    def parts(self) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
        """The ``(offsets, data)`` pairs, as ``_core`` takes them."""
        return self.chunks


def pandas_strings(series: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The Arrow array under a pandas Series of strings stored in Arrow (pandas 3's
    default ``str`` dtype, ``string[pyarrow]``, ``ArrowDtype`` strings), without a copy;
    None for any other Series (object, ``string[python]``: str objects to read)."""
    dtype = series.dtype
    stored = ((isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow")
              or (isinstance(dtype, pd.ArrowDtype) and (
                  pa.types.is_string(dtype.pyarrow_dtype)
                  or pa.types.is_large_string(dtype.pyarrow_dtype))))
    return pa.array(series.array) if stored else None


def string_buffers(column: pa.ChunkedArray | pa.Array, name: str,
                   role: str = "text") -> Buffers:
    """A string column as :class:`Buffers` (no str object per row). ``role`` ("text", "id", "source") names
    the column in errors; ids and sources may also be integers (written in decimal by
    Arrow, as ``str`` writes them). A null is an error naming its row; a column of
    another type is an error naming its type."""
    if role != "text" and pa.types.is_integer(column.type):
        column = column.cast(pa.large_string())
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
            or pa.types.is_string_view(column.type)):
        kinds = "strings" if role == "text" else "strings or integers"
        raise TypeError(f"{role} column {name!r} holds {column.type}, not {kinds}")
    if column.null_count:
        row = int(np.flatnonzero(column.is_null().to_numpy(zero_copy_only=False))[0])
        raise TypeError(f"{role} column {name!r}: row {row} is null; give every document "
                        f"its {role} (drop or fill the nulls first)")
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    pairs = tuple(_chunk_buffers(chunk) for chunk in _few_chunks(chunks))
    return Buffers(pairs or ((np.zeros(1, np.int64), np.zeros(0, np.uint8)),))


#: Chunks of fewer rows than this are joined with their small neighbours (a frame
#: concatenated row by row has a chunk a row, and each pair costs a few microseconds).
SMALL_CHUNK_ROWS = 1024


def _few_chunks(chunks) -> list[pa.Array]:
    """The non-empty ``chunks`` in order, each run of small ones concatenated into pieces
    of about ``SMALL_CHUNK_ROWS`` rows; larger chunks (a Parquet file's) stay where Arrow
    holds them. Never copies more than combining every chunk did."""
    out, run, run_rows = [], [], 0
    for chunk in chunks:
        rows = len(chunk)
        if rows >= SMALL_CHUNK_ROWS or (run and run_rows + rows > SMALL_CHUNK_ROWS):
            if run:
                out.append(run[0] if len(run) == 1 else pa.concat_arrays(run))
            run, run_rows = [], 0
        if rows >= SMALL_CHUNK_ROWS:
            out.append(chunk)
        elif rows:
            run.append(chunk)
            run_rows += rows
    if run:
        out.append(run[0] if len(run) == 1 else pa.concat_arrays(run))
    return out


def _chunk_buffers(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """One Arrow string array's ``(offsets, data)`` as large-string buffers from offset 0."""
    if not pa.types.is_large_string(chunk.type):
        chunk = chunk.cast(pa.large_string())
    _, offsets, data = chunk.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int64)[chunk.offset:chunk.offset + len(chunk) + 1]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    if len(offsets) and offsets[0] != 0:  # a slice: offsets from its first byte
        data = data[offsets[0]:offsets[-1]]
        offsets = offsets - offsets[0]
    # Arrow guarantees no alignment of a buffer it did not allocate (one read from a
    # file, a slice of another): the core reads aligned, contiguous arrays, copied only
    # when these are not.
    return np.require(offsets, np.int64, ["C", "A"]), np.require(data, np.uint8, ["C", "A"])


def numbered(parts: list[tuple[str, int, int]]) -> Buffers:
    """Labels ``f"{prefix}{first}"`` ... for ``rows`` rows, each ``(prefix, first, rows)``
    in turn ("posts.parquet#1", ...), written by the core: no str made per row."""
    from framescope import _core

    return Buffers((_core.numbered_labels(parts)["labels"],))


def read_parquet(paths: list[str]) -> tuple[pa.Table, Buffers, Buffers]:
    """Parquet files as one table (pyarrow reads them row group by row group), each
    row's provenance ("data/posts.parquet:row 12", rows from 1) and default id
    ("posts.parquet#12"), those two as string buffers made in the core (no str per row)."""
    import pyarrow.parquet as pq

    from framescope import _core

    tables = []
    for path in paths:
        path = os.fspath(path)
        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowException) as e:
            raise _core.InputError(f"{path}: not a readable Parquet file: {e}") from None
        tables.append((path, table))
    try:
        table = (pa.concat_tables([t for _, t in tables], promote_options="permissive")
                 if len(tables) > 1 else tables[0][1])
    except pa.ArrowException as e:
        raise _core.InputError(f"{', '.join(map(str, paths))}: the Parquet files have columns of "
                               f"different types: {e}") from None
    sources = numbered([(f"{p}:row ", 1, t.num_rows) for p, t in tables])
    ids = numbered([(f"{os.path.basename(p)}#", 1, t.num_rows) for p, t in tables])
    return table, sources, ids


def parquet_files(paths: list[str], format: str) -> list[str] | None:
    """The Parquet files ``paths`` name (glob patterns expanded, in name order), or
    None when they are not all Parquet files (the core reads every other format)."""
    if format not in ("auto", "parquet"):
        return None
    files = []
    for p in paths:
        files += sorted(glob.glob(p)) if any(ch in p for ch in "*?[") else [p]
    if files and all(f.lower().endswith(".parquet") for f in files):
        return files
    if format == "parquet":
        raise ValueError(f"format='parquet' reads .parquet files; got {paths!r}"
                         + (" (no file matches)" if not files else ""))
    return None


def parquet_batches(paths: list[str], batch_bytes: int):
    """Parquet files a batch of about ``batch_bytes`` at a time (estimated from each
    row group's size; pyarrow decodes one row group at a time): yields (Table, ids,
    sources) as :func:`read_parquet` gives them for the whole files (rows numbered
    across a file's batches)."""
    import pyarrow.parquet as pq

    from framescope import _core

    for path in paths:
        path = os.fspath(path)
        try:
            f = pq.ParquetFile(path)
            meta = f.metadata
            size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
            rows = max(1, int(batch_bytes * max(meta.num_rows, 1) / max(size, 1)))
            batches = f.iter_batches(batch_size=rows)
            first = 1
            for batch in batches:
                n = batch.num_rows
                yield (pa.Table.from_batches([batch]),
                       numbered([(f"{os.path.basename(path)}#", first, n)]),
                       numbered([(f"{path}:row ", first, n)]))
                first += n
        except (OSError, pa.ArrowException) as e:
            raise _core.InputError(f"{path}: not a readable Parquet file: {e}") from None
