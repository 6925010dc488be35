"""Cleaning scraped text and removing duplicates, in the core: the arguments of
:meth:`framescope.Corpus.dedup` checked, the core's cleanup run, and its report
turned into a DataFrame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framescope import _core
from framescope.progress import bar

__all__ = ["Cleaned", "clean", "platform_lines"]


def platform_lines() -> list[str]:
    """The built-in boilerplate line patterns removed by :meth:`framescope.Corpus.dedup`
    (regexes, each matching a whole trimmed line).

    >>> "Read in full" in platform_lines()
    True
    """
    return _core.platform_lines()


def repeats_mode(repeats) -> str:
    """``repeats=`` as the core names it: "auto", "all" (True) or "off" (False)."""
    if repeats is True or repeats is False:
        return "all" if repeats else "off"
    if repeats == "auto":
        return "auto"
    raise ValueError(f"repeats must be 'auto', True or False, got {repeats!r}")


class Cleaned:
    """What :func:`clean` returns: the cleaned documents (``native``), the indices of the
    documents kept (``kept``, for their metadata rows) and the ``report``."""

    def __init__(self, native: _core.Corpus, kept: np.ndarray, report: pd.DataFrame):
        self.native, self.kept, self.report = native, kept, report


def clean(native: _core.Corpus, *, boilerplate=True, repeats="auto", min_repeat_chars: int = 30,
          drop_empty: bool = True, duplicates: bool = True, near: bool = True,
          threshold: float = 0.8, shingle: int = 5, num_perm: int = 128,
          hyphenation: bool = False, html: bool = False,
          progress: bool | None = None) -> Cleaned:
    """The cleanup of :meth:`framescope.Corpus.dedup` (which documents its arguments) on
    the core's documents."""
    if boilerplate is True:
        patterns = platform_lines()
    elif boilerplate is False or boilerplate is None:
        patterns = None
    elif isinstance(boilerplate, str):
        raise TypeError("boilerplate must be True, False or a list of regexes, not a str")
    else:
        patterns = [str(p) for p in boilerplate]
    if not isinstance(min_repeat_chars, (int, np.integer)) or min_repeat_chars < 1:
        raise ValueError(f"min_repeat_chars must be a positive int, got {min_repeat_chars!r}")
    if not isinstance(threshold, (int, float, np.integer, np.floating)) \
            or not 0.0 < float(threshold) <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    for name, v in (("shingle", shingle), ("num_perm", num_perm)):
        if not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive int, got {v!r}")
    with bar("cleaning", len(native) * (1 + bool(near)), progress):
        done = _core.dedup_corpus(
            native, patterns, repeats_mode(repeats), int(min_repeat_chars), bool(drop_empty),
            bool(duplicates), bool(near), float(threshold), int(shingle), int(num_perm),
            hyphenation=bool(hyphenation), html=bool(html))
    rows = done["report"]
    doc = rows["doc"]
    ids, sources = np.array(native.ids(), dtype=object), np.array(native.sources(), dtype=object)
    report = pd.DataFrame({
        "id": ids[doc] if len(doc) else [],
        "source": sources[doc] if len(doc) else [],
        "action": rows["action"],
        "kept_id": [ids[k] if k >= 0 else None for k in rows["kept"].tolist()],
        "similarity": rows["similarity"],
        "boilerplate_lines": rows["boilerplate_lines"],
        "repeated_lines": rows["repeated_lines"],
        "joined_words": rows["joined_words"],
        "markup": rows["markup"],
        "removed_bytes": rows["removed_bytes"],
    })
    return Cleaned(done["corpus"], done["kept"], report)
