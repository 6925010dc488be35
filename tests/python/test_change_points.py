"""Change points: PELT equal to ruptures' on the same series; a planted shift recovered."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

import framescope as fs
from framescope.changepoints import pelt

matplotlib.use("Agg")
rpt = pytest.importorskip("ruptures")


@pytest.mark.parametrize("seed", range(30))
def test_breakpoints_equal_ruptures(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 80))
    levels = np.repeat(rng.normal(0, 3, 5), n // 5 + 1)[:n]
    signal = levels + rng.normal(0, 1, n)
    for min_size in (1, 2, 3):
        for pen in (0.5, 3.0, 10.0, 50.0):
            want = rpt.Pelt(model="l2", min_size=min_size, jump=1).fit(signal).predict(pen=pen)
            assert pelt(signal, pen, min_size=min_size) == want, (seed, min_size, pen)


def test_a_planted_shift_in_a_frame_is_found_where_it_was_planted():
    rng = np.random.default_rng(7)
    texts, dates = [], []
    for year in range(2008, 2024):
        rate = 0.02 if year < 2016 else 0.08  # the planted shift: 2016
        for month in range(1, 13):
            words = rng.choice(["West", "world", "trade", "talks"], 200,
                               p=[rate, 1 - rate - 0.2, 0.1, 0.1])
            texts.append(" ".join(words))
            dates.append(f"{year}-{month:02d}-15")
    c = fs.Corpus.from_texts(texts, dates=dates)
    t = c.term_trends(["West", "trade"])
    cp = t.change_points()
    west = cp[cp["frame"] == "West"]
    assert west["period"].tolist() == ["2016"]
    assert west["before"].iloc[0] == pytest.approx(200, rel=0.15)
    assert west["after"].iloc[0] == pytest.approx(800, rel=0.15)
    assert cp[cp["frame"] == "trade"].empty  # no shift planted there
    ax = t.plot(change_points=cp)
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == 1


def test_grouped_tables_find_changes_per_group():
    texts, dates, party = [], [], []
    for year in range(2010, 2020):
        for p, shift in (("A", 2014), ("B", 2017)):
            n_west = 1 if year < shift else 4
            texts.append(" ".join(["West"] * n_west + ["w"] * (10 - n_west)))
            dates.append(f"{year}-06-01")
            party.append(p)
    c = fs.Corpus.from_texts(texts, dates=dates, meta={"party": party})
    cp = c.term_trends(["West"], by=["party", "year"]).change_points()
    assert cp[["party", "period"]].values.tolist() == [["A", "2014"], ["B", "2017"]]


def test_bad_arguments_are_errors():
    t = fs.Corpus.from_texts(["West"] * 3, dates=["2020-01-01", "2021-01-01", "2022-01-01"]).term_trends("West")
    with pytest.raises(ValueError, match="method must be 'pelt'"):
        t.change_points(method="binseg")
    with pytest.raises(ValueError, match="penalty must be a non-negative number"):
        t.change_points(penalty=-1)
    with pytest.raises(ValueError, match="value must be a column"):
        t.change_points(value="rate")


def test_the_demo_corpus_planted_onsets_within_a_year_and_no_change_in_a_flat_frame():
    from framescope.datasets import DEMO_FRAMES

    c = fs.datasets.demo()
    names = ["collective_west", "global_majority", "rules_based_order", "multipolarity"]
    cp = c.frame_trends(fs.Frames.builtin().select(names)).change_points()
    for name in names[:3]:
        onset = min(y for y, p in DEMO_FRAMES[name][2].items() if p > 0)  # 2014, 2022, 2018
        first = int(cp.loc[cp["frame"] == name, "period"].iloc[0])
        assert onset <= first <= onset + 1, (name, onset, first)
    assert cp[cp["frame"] == "multipolarity"].empty  # planted at one rate every year
