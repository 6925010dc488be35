"""Frame hits on messy text equal the planted truth, counted while generating.

The generator glues planted phrases into filler text the way scraped and OCR'd
text does: sentences glued without a space ("free world.Fourth"), line breaks
inside phrases, typographic and ASCII possessives, upper case, non-breaking
hyphens, Russian in several cases. Each plant is counted as it is written (the
independent count); near misses ("free worlds", "collective Western") are
planted too and must not count. Frame counts, trends and KWIC must agree with it.
"""

import random

import numpy as np
import pandas as pd
import pytest

import framescope as fs

FRAMES = {
    "free_world": ["free world"],
    "collective_west": ["collective West", "коллективн* запад*"],
    "rules_based_order": ["rules-based order"],
}
PLANTS = {
    "free_world": ["free world", "Free World", "FREE WORLD", "free\nworld", "free world’s",
                   "free world's"],
    "collective_west": ["collective West", "collective West’s", "Collective\nWest",
                        "коллективного Запада", "коллективному Западу", "коллективным Западом",
                        "КОЛЛЕКТИВНЫЙ ЗАПАД"],
    "rules_based_order": ["rules-based order", "rules\u2011based order", "rules based order",
                          "Rules-Based Order"],
}
NEAR_MISSES = ["freeworld", "free worlds", "collective Western", "коллективная безопасность",
               "rules-based orders", "worldwide freedom"]
# Whether a phrase may match across a full stop ("... free. World ...") is the open n-gram
# definition item of issue 14; no piece here ends in a phrase's first word.
FILLER = ["sanctions were discussed", "the minister said", "we reaffirm our position",
          "партнёры обсудили вопросы", "the talks continued", "мы подчеркнули"]
# What may follow a piece; a glued full stop is followed by a capital, as in real text.
SEPARATORS = [" ", ", ", ". ", ".", "\n", " — "]


def _capital(s: str) -> str:
    return s[:1].upper() + s[1:]


def generate(n_docs: int, seed: int):
    rng = random.Random(seed)
    texts, truth = [], np.zeros((n_docs, len(FRAMES)), dtype=np.int64)
    names = list(FRAMES)
    for d in range(n_docs):
        out = [_capital(rng.choice(FILLER))]
        for _ in range(rng.randint(0, 12)):
            sep = rng.choice(SEPARATORS)
            r = rng.random()
            if r < 0.45:
                f = rng.randrange(len(names))
                piece = rng.choice(PLANTS[names[f]])
                truth[d, f] += 1
            elif r < 0.6:
                piece = rng.choice(NEAR_MISSES)
            else:
                piece = rng.choice(FILLER)
            if sep == "." and (piece.isupper() or out[-1].isupper()):
                sep = ". "  # "ASP.NET": two all-caps words glued are kept whole (documented)
            out.append(sep + (_capital(piece) if sep.startswith(".") else piece))
        texts.append("".join(out) + rng.choice(["", ".", "\n"]))
    return texts, truth


def test_frame_hits_equal_the_planted_truth_on_messy_text():
    texts, truth = generate(3000, seed=7)
    assert any(".Free" in t or ".Collective" in t or ".Rules" in t for t in texts)
    dates = pd.date_range("2018-01-01", periods=len(texts), freq="12h")
    corpus = fs.Corpus.from_texts(texts, dates=dates)
    counts = corpus.frame_counts(FRAMES)
    got = counts[list(FRAMES)].to_numpy()
    bad = np.nonzero((got != truth).any(axis=1))[0]
    assert len(bad) == 0, f"document {bad[0]}: {texts[bad[0]]!r} got {got[bad[0]]} want {truth[bad[0]]}"
    trend = pd.DataFrame(corpus.frame_trends(FRAMES, by="year"))
    assert trend.groupby("frame")["hits"].sum().to_dict() == dict(zip(FRAMES, truth.sum(axis=0), strict=True))
    kwic = corpus.kwic(fs.Frames(FRAMES))
    assert len(kwic) == truth.sum()


def test_glued_sentences_give_the_same_tokens_everywhere():
    text = "strength of the free world.Fourth, the West.Sanctions and U.S. policy"
    c = fs.Corpus.from_texts([text])
    assert c.tokens(0) == ["strength", "of", "the", "free", "world", "fourth", "the", "west",
                           "sanctions", "and", "u.s", "policy"]
    terms = c.term_frequencies(stop_words=None)
    assert "world.fourth" not in set(terms["term"]) and "world" in set(terms["term"])
    kwic = c.kwic("free world")
    assert len(kwic) == 1 and kwic.iloc[0]["match"] == "free world"


def test_groups_are_identical_in_memory_in_scan_and_on_dask(tmp_path):
    import json

    # A numeric "wave" column with gaps (pandas makes it float in memory; JSONL batches of
    # 1 record see some without it) and a "channel" column with a real value "missing".
    rows = [{"text": "the collective West", "wave": w, "channel": c}
            for w, c in [(1, "missing"), (None, "mfa"), (2, None), (10, "mfa"), (1, "missing")]]
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    frames = {"w": ["collective West"]}
    corpus = fs.read(path)
    df = pd.DataFrame(rows)
    assert df["wave"].dtype == float  # the shape pandas gives it
    in_pandas = fs.Corpus.from_pandas(df)
    dask = pytest.importorskip("dask")
    import dask.dataframe as dd

    import framescope.dask as fsd

    ddf = dd.from_pandas(df, npartitions=3)
    for by, want in [("wave", {"1": 2, "2": 1, "10": 1, "(missing)": 1}),
                     ("channel", {"mfa": 2, "missing": 2, "(missing)": 1})]:
        tables = [("read", corpus.frame_trends(frames, by=by)),
                  ("from_pandas", in_pandas.frame_trends(frames, by=by)),
                  ("scan", fs.scan(path, frames, by=by, batch_mb=1e-6, clean=False,
                                   terms=False).trends)]
        with dask.config.set(scheduler="synchronous"):
            tables.append(("dask", fsd.frame_trends(ddf, frames, by=by, clean=False)))
        for name, table in tables:
            got = dict(zip(table["period"], table["hits"], strict=True))
            assert got == want, (by, name)
            assert list(table["period"]) == list(want), (by, name)  # numeric order, missing last


def test_one_ngram_definition_in_every_api():
    # "the West. Sanctions": no bigram across the full stop; "rules-based order": the
    # hyphen joins; "end of the war" with stop words removed: no "end war".
    texts = ["the West. Sanctions again; the rules-based order", "end of the war, the West"]
    c = fs.Corpus.from_texts(texts, dates=["2022-01-01", "2023-01-01"])
    tf = set(c.term_frequencies(ngram=2, stop_words=None)["term"])
    assert "west sanctions" not in tf and {"rules based", "based order", "the west"} <= tf
    tf_stop = set(c.term_frequencies(ngram=2, stop_words="english")["term"])
    assert tf_stop == {"rules based", "based order"}  # "again" is a stop word; no "end war"
    d = c.distribution(size=2, stop_words=None)
    assert "west sanctions" not in d.terms and "rules based" in d.terms
    coll = set(c.collocations(size=2, min_count=1)["collocation"])
    assert "west sanctions" not in coll and "based order" in coll
    k = fs.keyness(c, target="2022", size=2, stop_words=None)
    assert "west sanctions" not in set(k["term"]) and "rules based" in set(k["term"])
