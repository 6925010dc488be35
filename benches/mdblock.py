"""Writes a benchmark table between its markers in a Markdown file (BENCHMARKS.md)."""

from __future__ import annotations

from pathlib import Path


def write_block(path: Path, begin: str, end: str, block: str, heading: str = "") -> None:
    """Replaces the text from ``begin`` to ``end`` in ``path`` with ``block`` (appended,
    under ``heading``, when the markers are not there yet)."""
    text = path.read_text() if path.exists() else ""
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + (heading + "\n\n" if heading else "") + block + "\n"
    path.write_text(text)
    print(f"wrote {path}")
