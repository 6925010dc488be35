"""The ``stop_words=`` argument of framescope's analyses, resolved in one place.

>>> stop_word_list(None) is None
True
>>> "the" in stop_word_list("english") and "и" in stop_word_list("auto")
True
>>> stop_word_list(["West", 1])
['West', '1']
"""

from __future__ import annotations

from framescope import _core

__all__ = ["stop_word_list"]


def stop_word_list(stop_words) -> list[str] | None:
    """A language's built-in list ("english", "russian", ...; "auto": English and
    Russian together), a given list of words, or None (no stop words)."""
    if stop_words is None:
        return None
    if isinstance(stop_words, str):
        if stop_words == "auto":
            return _core.stop_words("english") + _core.stop_words("russian")
        return _core.stop_words(stop_words)
    return [str(w) for w in stop_words]
