"""Frames matched by scanning a corpus not yet tokenized (only the frames' words
looked up) equal frames matched on the corpus tokenized into ids: the same hits,
token counts, trends, overlaps and KWIC lines, on English, Russian and mixed text
and on the scraped seed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framescope as fs


def corpus(texts, tokenizer=None):
    c = fs.Corpus.from_texts(texts)
    return c.with_tokenizer(**tokenizer) if tokenizer else c


def assert_same(texts, frames, tokenizer=None):
    """Frames matched on a scanned corpus and on a tokenized one agree in every result."""
    a, b = corpus(texts, tokenizer), corpus(texts, tokenizer)
    b.tokens(0)  # tokenized into ids first: frames are then matched on the ids
    counts = a.frame_counts(frames)
    assert not a.native.is_tokenized(a.tokenizer), "the scan was used"
    pd.testing.assert_frame_equal(counts, b.frame_counts(frames))
    np.testing.assert_array_equal(a.n_tokens, b.n_tokens)
    assert not a.native.is_tokenized(a.tokenizer)
    pd.testing.assert_frame_equal(a.frame_overlaps(frames), b.frame_overlaps(frames))
    pd.testing.assert_frame_equal(pd.DataFrame(a.kwic(frames)), pd.DataFrame(b.kwic(frames)))
    return counts


def paragraphs(path) -> list[str]:
    return [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]


FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "mfa-shaped").glob("*.txt"))

CUSTOM = fs.Frames({
    "west": {"patterns": ["collective West", "коллективн* запад*"], "exclude": ["collective West’s"]},
    "sanctions": ["~sanctions", "санкц*", "/(?:мера|меры|мер)/"],
    "numbers": ["2022", "2023 год*"],
    "short": ["a", "и"],
})


@pytest.mark.parametrize("frames", [fs.Frames.builtin(), CUSTOM], ids=["builtin", "custom"])
def test_scan_equals_tokenized_on_project_fixtures(frames):
    texts = [p for f in FIXTURES for p in paragraphs(f)]
    counts = assert_same(texts, frames)
    assert counts.to_numpy().sum() > 0


@pytest.mark.seed
@pytest.mark.parametrize("frames", [fs.Frames.builtin(), CUSTOM], ids=["builtin", "custom"])
def test_scan_equals_tokenized_on_the_seeds(seed_texts, seed_paragraphs, frames):
    for texts in (seed_texts, seed_paragraphs):
        counts = assert_same(texts, frames)
        assert counts.to_numpy().sum() > 10


def test_scan_equals_tokenized_on_russian_in_every_case():
    cases = ["коллективный Запад", "коллективного Запада", "коллективному Западу",
             "КОЛЛЕКТИВНЫМ ЗАПАДОМ", "о коллективном западе", "Коллективные Запады",
             "санкции", "санкциями", "меры", "Ещё", "ёлка", "мировое большинство",
             "мирового большинства", "многополярного мира", "Запада.Четвертое",
             "«коллективный Запад»", "коллективный—Запад", "Сollective West"]
    rng = np.random.default_rng(3)
    texts = [" ".join(rng.choice(cases, size=rng.integers(0, 30))) for _ in range(500)]
    counts = assert_same(texts, CUSTOM)
    assert counts["west"].sum() > 500
    counts = assert_same(texts, fs.Frames.builtin())
    assert counts["collective_west"].sum() > 500


def test_scan_equals_tokenized_on_mixed_and_adversarial_text(unicode_docs):
    demo = fs.datasets.demo()
    assert_same(demo.texts, fs.Frames.builtin())
    assert_same(unicode_docs, fs.Frames.builtin())
    assert_same(unicode_docs, CUSTOM)


@pytest.mark.parametrize("tokenizer", [{"lowercase": False}, {"numbers": False},
                                       {"hyphens": "join"}, {"hashtags": "keep"}])
def test_scan_equals_tokenized_for_other_tokenizers(tokenizer):
    texts = [p for f in FIXTURES for p in paragraphs(f)]
    frames = fs.Frames({"west": ["collective West", "коллективн* запад*"],
                        "rules": ["rules-based order"], "tag": ["#BRICS", "brics"]})
    assert_same(texts, frames, tokenizer=tokenizer)


def test_frame_trends_keeps_no_token_ids():
    """A corpus used only for frame trends is scanned, not tokenized into ids;
    n_tokens then comes from the scan."""
    texts = ["The collective West.", "Коллективный Запад, 2023.", ""]
    c = fs.Corpus.from_texts(texts, dates=["2022-01-01", "2023-01-01", "2023-02-01"])
    t = c.frame_trends(fs.Frames.builtin(), by="year")
    assert int(t["hits"].sum()) == 2
    assert c.n_tokens.tolist() == [3, 3, 0]
    assert not c.native.is_tokenized(c.tokenizer)
    c.tokens(0)
    assert c.native.is_tokenized(c.tokenizer)
    # A dictionary without a prefix for some position (a leading glob) tokenizes.
    d = fs.Corpus.from_texts(texts)
    assert d.frame_counts({"polar": ["*ective"]})["polar"].tolist() == [1, 0, 0]
    assert d.native.is_tokenized(d.tokenizer)
