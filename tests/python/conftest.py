"""Shared fixtures: the seed texts from ../shared and generated corpora.

Tests on the seed texts are marked ``@pytest.mark.seed`` (or use a seed fixture):
without ``../shared/corpus/mfa-en`` they are skipped with the reason, so the suite
runs from the repository alone; under CI (which has the seeds) a missing seed
corpus is a failure, never a silent skip."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from corpora import generated_corpus

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("FRAMESCOPE_SHARED", REPO.parent / "shared"))
SEED_DIR = SHARED / "corpus" / "mfa-en"
SEEDS_PRESENT = len(list(SEED_DIR.glob("*.txt"))) == 5
#: Files the project wrote in the seeds' shapes (channel dumps with previews, English and
#: Russian datelines, a cross-file duplicate, a speech): tested from the repository alone.
FIXTURE_DIR = REPO / "tests" / "fixtures" / "mfa-shaped"
#: Hand-built gold standards: name -> (gold folder, folder of the files they describe).
GOLD_SETS = {"seeds": (REPO / "tests" / "gold", SEED_DIR),
             "fixtures": (REPO / "tests" / "fixtures" / "gold", FIXTURE_DIR)}


def gold_files(which: str = "seeds") -> list[Path]:
    """The gold standard files of one set."""
    return sorted(GOLD_SETS[which][0].glob("*.json"))


def gold_posts(which: str = "seeds") -> list[tuple[str, int, str]]:
    """(file, post number from 1, text) of every post of a gold standard, in file
    order: the text is the post's lines as the gold standard delimits them (read
    here with plain Python, not framescope)."""
    out = []
    for g in gold_files(which):
        gold = json.loads(g.read_text(encoding="utf-8"))
        lines = (GOLD_SETS[which][1] / gold["file"]).read_text(encoding="utf-8").split("\n")
        for k, post in enumerate(gold["posts"], 1):
            first, last = post["lines"]
            out.append((gold["file"], k, "\n".join(lines[first - 1:last]).strip()))
    return out


def gold_duplicates(which: str = "seeds") -> dict[str, str]:
    """Posts whose text (whitespace collapsed) equals an earlier post's: "file#k" ->
    the earlier "file#k", derived from the gold spans with plain Python."""
    first: dict[str, str] = {}
    out = {}
    for name, k, text in gold_posts(which):
        key = " ".join(text.split())
        where = f"{name}#{k}"
        if key in first:
            out[where] = first[key]
        else:
            first[key] = where
    return out


def require_seeds() -> None:
    """Skips the calling test when the seed corpus is absent (fails under CI)."""
    if SEEDS_PRESENT:
        return
    msg = (f"seed corpus not found at {SEED_DIR} (../shared/corpus/mfa-en beside the "
           "repository; set FRAMESCOPE_SHARED to its folder)")
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


def pytest_configure(config):
    config.addinivalue_line("markers", "seed: needs the seed texts in ../shared/corpus/mfa-en")


def pytest_runtest_setup(item):
    if item.get_closest_marker("seed"):
        require_seeds()


@pytest.fixture(scope="session")
def seed_texts() -> list[str]:
    """The five scraped Ministry files, one text each (required: CI has ../shared)."""
    require_seeds()
    files = sorted(SEED_DIR.glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


@pytest.fixture(scope="session")
def seed_paragraphs(seed_texts) -> list[str]:
    """The seed texts split into non-empty paragraphs: many small documents."""
    return [p for t in seed_texts for p in t.split("\n") if p.strip()]


@pytest.fixture(scope="session")
def unicode_docs() -> list[str]:
    return generated_corpus(400, seed=7)
