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


MEANWHILE_TEXTS = ["The collective West and the West.", "Коллективный Запад.", "", "west West"]


@pytest.mark.parametrize("how", ["scan", "tokenized", "no prefilter"])
def test_meanwhile_is_called_once_while_matching_and_changes_no_hit(how):
    """`frame_hits(..., meanwhile)` (frame_trends groups the dates there while the
    core's threads match) calls it exactly once on every path (the scan, the tokenized
    corpus, a pattern no prefilter can take, which scans nothing and tokenizes) and
    returns its result beside hits equal to a call without it."""
    from framescope import _core
    frames = fs.Frames({"west": ["*west"]} if how == "no prefilter"
                       else {"cw": ["collective west"], "west": ["west"]})
    a, b = corpus(MEANWHILE_TEXTS), corpus(MEANWHILE_TEXTS)
    if how == "tokenized":
        a.tokens(0)
        b.tokens(0)
    calls = []
    got = _core.frame_hits(a.native, a.tokenizer, frames.compiled,
                           lambda: calls.append("called") or "grouped")
    ref = _core.frame_hits(b.native, b.tokenizer, frames.compiled)
    assert calls == ["called"] and got["meanwhile"] == "grouped" and "meanwhile" not in ref
    for column in ("indptr", "frame", "count"):
        np.testing.assert_array_equal(got[column], ref[column])
    if how == "no prefilter":  # "*west": West, West. | west, West (hand-counted)
        assert got["indptr"].tolist() == [0, 1, 1, 1, 2] and got["count"].tolist() == [2, 2]


def test_meanwhile_error_is_raised_after_matching_and_the_corpus_still_works():
    from framescope import _core
    frames = fs.Frames({"cw": ["collective west"]})
    c = corpus(MEANWHILE_TEXTS)

    def fails():
        raise KeyError("no such metadata column")

    with pytest.raises(KeyError, match="no such metadata column"):
        _core.frame_hits(c.native, c.tokenizer, frames.compiled, fails)
    assert c.frame_counts(frames)["cw"].tolist() == [1, 0, 0, 0]
    with pytest.raises(ValueError, match="nope"):
        c.frame_trends(frames, by="nope")
    assert c.frame_trends(frames, by="year")["hits"].sum() == 1


def test_ctrl_c_in_meanwhile_is_raised_and_the_next_call_works():
    """A KeyboardInterrupt raised in `meanwhile` (Ctrl-C while frame_trends groups the
    dates) is raised (it also asks the core's matching to stop, as a signal does) and
    leaves nothing cancelled for the next call on the same corpus."""
    from framescope import _core
    frames = fs.Frames({"cw": ["collective west"]})
    c = corpus(MEANWHILE_TEXTS * 20_000)

    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _core.frame_hits(c.native, c.tokenizer, frames.compiled, interrupted)
    assert c.frame_counts(frames)["cw"].sum() == 20_000
    assert c.frame_trends(frames, by="year")["hits"].sum() == 20_000
