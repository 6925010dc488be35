"""Monroe, Colaresi and Quinn's log-odds with a Dirichlet prior, checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import framescope as fs

# Target: 2022 on (8 tokens); reference: 2019 (5 tokens). Counts by hand:
#   target   "the collective west" + "the collective west again" -> the 2, collective 2,
#            west 2, again 1 (+ "sanctions" once) = 8 tokens
#   reference "the world" + "the world order sanctions" -> the 2, world 2, order 1,
#            sanctions 1 = 6 tokens
TEXTS = ["the collective West", "the collective West again sanctions",
         "the world", "the world order sanctions"]
DATES = ["2023-01-01", "2023-06-01", "2019-01-01", "2019-05-05"]


def corpus():
    return fs.Corpus.from_texts(TEXTS, dates=DATES)


def by_hand(a, b, t, r, alpha, alpha0):
    delta = math.log((a + alpha) / (t + alpha0 - a - alpha)) - math.log((b + alpha) / (r + alpha0 - b - alpha))
    return delta, delta / math.sqrt(1 / (a + alpha) + 1 / (b + alpha))


def test_uniform_prior_matches_the_formula():
    k = fs.keyness(corpus(), "2022-", measure="log_odds_dirichlet", prior=0.5).set_index("term")
    t, r = 8, 6
    alpha0 = 0.5 * 7  # seven distinct terms: the collective west again sanctions world order
    for term, a, b in [("collective", 2, 0), ("the", 2, 2), ("world", 0, 2), ("sanctions", 1, 1)]:
        delta, z = by_hand(a, b, t, r, 0.5, alpha0)
        assert k.loc[term, "n_target"] == a and k.loc[term, "n_reference"] == b
        assert k.loc[term, "log_odds"] == pytest.approx(delta, rel=1e-12)
        assert k.loc[term, "z_log_odds"] == pytest.approx(z, rel=1e-12)
        assert k.loc[term, "p"] == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-9)


def test_corpus_prior_sorts_by_z_and_names_as_typed():
    k = fs.keyness(corpus(), "2022-", measure="Fightin-Words")
    assert list(k["z_log_odds"]) == sorted(k["z_log_odds"], reverse=True)
    row = k.set_index("term").loc["collective"]
    delta, z = by_hand(2, 0, 8, 6, 2, 14)  # α = a + b = 2; α0 = T + R = 14
    assert row["log_odds"] == pytest.approx(delta) and row["z_log_odds"] == pytest.approx(z)


def test_a_frequency_list_as_reference_and_as_prior():
    c = corpus()
    reference = pd.DataFrame({"term": ["the", "west", "order"], "count": [1000, 1, 50]})
    k = fs.keyness(c, reference=reference, measure="log_odds", prior=0.01).set_index("term")
    # Target: the whole corpus (14 tokens); reference: the list (1,051 tokens).
    assert k.loc["the", "n_target"] == 4 and k.loc["the", "n_reference"] == 1000
    assert k.loc["again", "n_reference"] == 0
    # The list's terms are all in the corpus: 7 terms in all, α0 = 7 x 0.01.
    delta, z = by_hand(2, 1, 14, 1051, 0.01, 0.01 * 7)
    assert k.loc["west", "log_odds"] == pytest.approx(delta)
    assert k.loc["west", "z_log_odds"] == pytest.approx(z)
    background = {"collective": 3.0, "west": 3.0}
    k = fs.keyness(c, "2022-", measure="log_odds", prior=background).set_index("term")
    alpha0 = 3 + 3 + 0.01 * 5  # five terms missing from the background get 0.01
    delta, _ = by_hand(2, 0, 8, 6, 3.0, alpha0)
    assert k.loc["collective", "log_odds"] == pytest.approx(delta)
    same = fs.keyness(fs.Corpus.from_texts(TEXTS[:2]), reference=fs.Corpus.from_texts(TEXTS[2:]),
                      measure="log_odds")
    pd.testing.assert_frame_equal(same, fs.keyness(c, "2022-", measure="log_odds"))


def test_more_than_two_groups_each_against_the_rest():
    c = fs.Corpus.from_texts(TEXTS * 3, meta={"party": ["A"] * 4 + ["B"] * 4 + ["C"] * 4})
    k = fs.keyness(c, by="party", measure="log_odds")
    assert sorted(set(k["period"])) == ["A", "B", "C"]
    a = k[k["period"] == "A"].drop(columns="period").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, fs.keyness(c, {"party": "A"}, measure="log_odds"))


@pytest.mark.parametrize("kwargs, message", [
    ({"prior": 0}, "uniform prior must be positive"),
    ({"prior": "flat"}, 'prior must be "corpus"'),
    ({"reference": {"the": -1}}, "not a non-negative number"),
    ({"reference": {"the": 1.5}}, "whole numbers"),
    ({"reference": [1, 2]}, "frequency list"),
])
def test_bad_priors_and_references_are_errors(kwargs, message):
    target = None if "reference" in kwargs else "2022-"
    with pytest.raises((ValueError, TypeError), match=message):
        fs.keyness(corpus(), target, measure="log_odds", **kwargs)


def test_one_of_target_by_reference():
    with pytest.raises(ValueError, match="give one of target"):
        fs.keyness(corpus(), "2022-", reference={"the": 1})
    assert np.isfinite(fs.keyness(corpus(), "2022-")["log_odds"]).all()


def test_a_polars_frequency_list():
    pl = pytest.importorskip("polars")
    ref = {"term": ["the", "west", "order"], "count": [1000, 1, 50]}
    got = fs.keyness(corpus(), reference=pl.DataFrame(ref), measure="log_odds")
    pd.testing.assert_frame_equal(got, fs.keyness(corpus(), reference=pd.DataFrame(ref), measure="log_odds"))
