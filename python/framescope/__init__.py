"""framescope: fast text analytics and discourse (frame) metrics.

The Rust core tokenizes once into integer ids and computes everything in
parallel with the GIL released; results come back as numpy, scipy.sparse and
pandas objects.

>>> import framescope as fs
>>> corpus = fs.Corpus.from_texts(["The collective West", "A multipolar world"])
>>> corpus.term_frequencies().head(2)
         term  count  doc_freq
0           a      1         1
1  collective      1         1
"""

import warnings

import numpy as np

from framescope import datasets, plot, pyunicode
from framescope._core import (
    EmptyVocabularyError,
    FramescopeError,
    InputError,
    get_num_threads,
    stop_words,
)
from framescope._core import set_num_threads as _set_num_threads
from framescope._core import stem as _stem
from framescope.cleaning import platform_lines
from framescope.corpus import Corpus, Document, TokenizerSpec, concat, keyness, load
from framescope.dating import extract_dates
from framescope.frames import Frames
from framescope.kwic import KwicTable
from framescope.progress import get_progress, set_progress
from framescope.provenance import RunRecord, provenance, read_table, write_table
from framescope.reading import MAX_RECORD_BYTES, read
from framescope.scanning import ScanResult, scan
from framescope.semantic import expand
from framescope.trends import TrendTable
from framescope.vectorize import CountVectorizer, TfidfVectorizer
from framescope.vocabulary import TermStats

# scikit-learn parity: classify characters as the running Python does (its Unicode version).
pyunicode.match_running_python()

__version__ = "0.1.0"

__all__ = [
    "Corpus",
    "CountVectorizer",
    "Document",
    "Frames",
    "KwicTable",
    "MAX_RECORD_BYTES",
    "EmptyVocabularyError",
    "FramescopeError",
    "InputError",
    "TermStats",
    "TfidfVectorizer",
    "TokenizerSpec",
    "TrendTable",
    "concat",
    "datasets",
    "expand",
    "extract_dates",
    "plot",
    "get_num_threads",
    "get_progress",
    "set_progress",
    "keyness",
    "load",
    "platform_lines",
    "provenance",
    "read",
    "read_table",
    "RunRecord",
    "scan",
    "ScanResult",
    "set_num_threads",
    "stem",
    "stop_words",
    "write_table",
]


def set_num_threads(n: int) -> None:
    """Use ``n`` threads for all later work (0: all cores). Results are identical for
    any number. More than 4 threads per core (at least 8) are not started: the
    number is capped, with a warning.

    >>> set_num_threads(2); get_num_threads()
    2
    >>> set_num_threads(0)
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise ValueError(f"n must be a non-negative int, got {n!r}")
    used = _set_num_threads(int(n))
    if used < n:
        warnings.warn(f"set_num_threads({n}): capped at {used} threads (4 per core, at "
                      "least 8); more only slow framescope down", stacklevel=2)


def stem(words, language: str = "auto") -> list[str]:
    """Snowball stems of ``words`` (``language``: a Snowball language or "auto").

    >>> stem(["коллективного", "коллективному", "sanctions"])
    ['коллективн', 'коллективн', 'sanction']
    """
    if isinstance(words, str):
        words = [words]
    return _stem(list(words), language)
