"""Shared fixtures: the seed texts from ../shared and generated corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpora import generated_corpus

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("FRAMESCOPE_SHARED", REPO.parent / "shared"))
SEED_DIR = SHARED / "corpus" / "mfa-en"


@pytest.fixture(scope="session")
def seed_texts() -> list[str]:
    """The five scraped Ministry files, one text each (required: CI has ../shared)."""
    files = sorted(SEED_DIR.glob("*.txt"))
    assert len(files) == 5, f"seed corpus not found at {SEED_DIR} (set FRAMESCOPE_SHARED)"
    return [f.read_text(encoding="utf-8") for f in files]


@pytest.fixture(scope="session")
def seed_paragraphs(seed_texts) -> list[str]:
    """The seed texts split into non-empty paragraphs: many small documents."""
    return [p for t in seed_texts for p in t.split("\n") if p.strip()]


@pytest.fixture(scope="session")
def unicode_docs() -> list[str]:
    return generated_corpus(400, seed=7)
