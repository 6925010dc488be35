"""Columns from the core into pandas: the Python half of ``src/python/columns.rs``.

The core hands large string columns (terms, n-grams) as Arrow's large-string
buffers, ``(offsets, data)`` numpy arrays, instead of one Python ``str`` per
value. :func:`strings` wraps them as the array pandas itself would build for
those strings (pandas 3's ``str`` dtype is Arrow-backed: zero-copy; older pandas
gets its ``object`` column), so a table of half a million terms costs
milliseconds, not a quarter of a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["strings"]

#: The dtype pandas gives a column of Python strings on this installation.
_STR_DTYPE = pd.Series(["x"]).dtype


def strings(buffers: tuple[np.ndarray, np.ndarray]):
    """The pandas array of the strings in ``(offsets, data)``: int64 byte offsets (one
    more than the strings) into ``data``, their UTF-8 bytes.

    >>> import numpy as np
    >>> s = strings((np.array([0, 4, 17]), np.frombuffer("WestЗапад ё".encode(), np.uint8)))
    >>> list(s), s.dtype == pd.Series(["x"]).dtype
    (['West', 'Запад ё'], True)
    """
    offsets, data = buffers
    offsets = np.ascontiguousarray(offsets, dtype=np.int64)
    data = np.ascontiguousarray(data, dtype=np.uint8)
    arr = pa.LargeStringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets),
                                           pa.py_buffer(data))
    if isinstance(_STR_DTYPE, pd.StringDtype) and _STR_DTYPE.storage == "pyarrow":
        return pd.array(arr, dtype=_STR_DTYPE)
    return pd.array(np.array(arr.to_pylist(), dtype=object), dtype=_STR_DTYPE)
