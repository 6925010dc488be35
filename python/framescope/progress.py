"""Progress bars for long work: ``tqdm.auto`` (a widget in notebooks, a bar on
terminals), fed by the core's counter of documents done (``src/progress.rs``).

``progress=None`` (the default everywhere, or :func:`set_progress`'s global setting)
shows a bar only once work has lasted a second, and only where one can be drawn (a
terminal or a notebook; not a log file); ``True`` shows it at once, ``False`` never.
A separate thread reads the counter ten times a second while the core works with the
GIL released: the work itself only adds to an integer (measured in BENCHMARKS.md,
"Progress bars").
"""

from __future__ import annotations

import contextlib
import threading

from framescope import _core

__all__ = ["set_progress", "get_progress", "bar", "passes"]

_SETTING: list[bool | None] = [None]
_LOCAL = threading.local()  # bars open in this thread: an inner bar is not drawn
#: Seconds before a bar appears in the automatic setting.
DELAY = 1.0


def set_progress(show: bool | None) -> None:
    """Whether long work shows a progress bar: None (automatic: after a second, where
    a bar can be drawn), True (always) or False (never). Each call's ``progress=``
    overrides it.

    >>> set_progress(False); get_progress()
    False
    >>> set_progress(None)
    """
    if not (show is None or isinstance(show, bool)):
        raise ValueError(f"show must be None, True or False, got {show!r}")
    _SETTING[0] = show


def get_progress() -> bool | None:
    """The global setting of :func:`set_progress`."""
    return _SETTING[0]


def passes(corpus, n: int = 1) -> int:
    """Documents the core counts for ``n`` passes over ``corpus``, plus one to tokenize
    it when its tokens are not known yet."""
    return len(corpus) * (n + (not corpus.native.is_tokenized(corpus.tokenizer)))


@contextlib.contextmanager
def bar(desc: str, total: int | None, progress: bool | None = None, *, poll: bool = True):
    """A bar over the documents the core processes inside the ``with`` block (``total``:
    how many it will count; None: a running count). ``poll=False``: the caller
    updates the bar itself (a scan counts documents per batch). Yields the tqdm bar,
    or None when no bar is shown (also inside another bar of this thread: the outer
    one counts)."""
    show = _SETTING[0] if progress is None else progress
    if not (show is None or isinstance(show, bool)):
        raise ValueError(f"progress must be None, True or False, got {progress!r}")
    depth = getattr(_LOCAL, "depth", 0)
    if show is False or depth:
        yield None
        return
    _LOCAL.depth = depth + 1
    try:
        with _bar(desc, total, show, poll) as t:
            yield t
    finally:
        _LOCAL.depth = depth


@contextlib.contextmanager
def _bar(desc: str, total: int | None, show: bool | None, poll: bool):
    from tqdm.auto import tqdm

    start = _core.progress_done()
    t = tqdm(total=total, desc=desc, unit=" docs", delay=0 if show else DELAY,
             disable=False if show else None, leave=bool(show), dynamic_ncols=True)
    stop = threading.Event()

    def done() -> int:
        n = _core.progress_done() - start
        return min(n, total) if total is not None else n

    def watch() -> None:
        while not stop.wait(0.1):
            t.update(done() - t.n)

    poll = poll and not t.disable  # no terminal or notebook to draw on: no thread either
    poller = threading.Thread(target=watch, name="framescope-progress", daemon=True)
    if poll:
        poller.start()
    ok = False
    try:
        yield t
        ok = True
    finally:
        stop.set()
        if poll:
            poller.join()
            if ok:
                t.update((total if total is not None else done()) - t.n)
        t.close()
