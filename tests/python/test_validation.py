"""Validation samples and precision-corrected trends: a planted false-positive rate that
changes between periods is corrected back to the true rate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import framescope as fs

FRAMES = {"west": ["West"]}  # catches "collective West" (true) and "West Bank" (false)


def planted(seed: int = 0) -> tuple[fs.Corpus, dict]:
    # 2018: 90% of the hits are "collective West"; 2022: 40%. 200 posts a year, 20 tokens each.
    rng = np.random.default_rng(seed)
    texts, dates, true_hits = [], [], {"2018": 0, "2022": 0}
    for year, share in (("2018", 0.9), ("2022", 0.4)):
        for _ in range(200):
            real = rng.random() < share
            true_hits[year] += real
            words = ["collective", "West"] if real else ["the", "West", "Bank"][:2]
            texts.append(" ".join(words + ["word"] * (20 - len(words))))
            dates.append(f"{year}-05-01")
    return fs.Corpus.from_texts(texts, dates=dates), true_hits


def code(sample: pd.DataFrame) -> pd.DataFrame:
    """The hand-coding, by rule: a hit is the frame when "collective" precedes it."""
    return sample.assign(label=sample["left"].str.endswith("collective").astype(int))


def test_sample_is_stratified_seeded_and_ready_to_code():
    c, _ = planted()
    s = c.validation_sample(FRAMES, per_period=25, seed=3)
    assert s.groupby("period").size().to_dict() == {"2018": 25, "2022": 25}
    assert (s["hits_in_stratum"] == 200).all() and s["label"].isna().all()
    pd.testing.assert_frame_equal(s, c.validation_sample(FRAMES, per_period=25, seed=3))
    assert not s.equals(c.validation_sample(FRAMES, per_period=25, seed=4))
    small = c.validation_sample(FRAMES, per_period=500)  # fewer hits than asked: all of them
    assert len(small) == 400


def test_correction_recovers_the_true_rate_within_its_interval_over_seeds():
    covered = 0
    for seed in range(20):
        c, truth = planted(seed)
        t = c.frame_trends(FRAMES)
        fixed = t.correct(code(c.validation_sample(FRAMES, per_period=40, seed=seed)), seed=seed)
        for period in ("2018", "2022"):
            row = fixed[fixed["period"] == period].iloc[0]
            true_rate = 1e4 * truth[period] / row["tokens"]
            covered += row["corrected_low"] <= true_rate <= row["corrected_high"]
    assert covered >= 36  # 95% intervals: at least 36 of 40


def test_precision_drift_between_periods_is_flagged():
    c, _ = planted(1)
    fixed = c.frame_trends(FRAMES).correct(code(c.validation_sample(FRAMES, per_period=60, seed=1)))
    row = fixed.set_index("period").loc[["2018", "2022"]]  # 2019-2021: empty periods
    assert row.loc["2018", "precision"] > 0.8 and row.loc["2022", "precision"] < 0.55
    assert row["drift"].all() and (row["precision_from"] == "period").all()


def test_periods_without_coded_hits_use_the_pooled_precision_and_bad_labels_are_errors():
    c, _ = planted(2)
    sample = code(c.validation_sample(FRAMES, per_period=30, seed=2))
    only_2018 = sample[sample["period"] == "2018"]
    fixed = c.frame_trends(FRAMES).correct(only_2018).set_index("period")
    assert fixed.loc["2022", "precision_from"] == "pooled"
    assert fixed.loc["2022", "precision"] == pytest.approx(fixed.loc["2018", "precision"])
    with pytest.raises(ValueError, match="1 .the frame. or 0"):
        c.frame_trends(FRAMES).correct(sample.assign(label=2))
    with pytest.raises(ValueError, match="labels must be a DataFrame with columns"):
        c.frame_trends(FRAMES).correct(sample.drop(columns="label"))


def test_demo_planted_false_positives_corrected_within_intervals():
    """The demo's loose frame ("West") also matches planted "West Africa": a known share
    of its hits, about 10% to 2019 and 40% from 2020. Coded samples (a perfect coder)
    correct the rate to the true one ("collective West" mentions) within the interval."""
    c = fs.datasets.demo()
    truth = fs.datasets.demo_truth().set_index("id").loc[c.ids]
    year = c.dates.dt.year.to_numpy()
    dated = ~np.isnan(year)
    loose = fs.datasets.LOOSE_FRAMES
    trend = c.frame_trends(loose)
    rows = trend[trend["period"] != "undated"].set_index("period")
    by_year = truth[dated].groupby(year[dated].astype(int))[["west_true", "west_false"]].sum()
    by_year.index = by_year.index.astype(str)
    hits = rows["hits"].reindex(by_year.index)
    assert (hits.to_numpy() == (by_year["west_true"] + by_year["west_false"]).to_numpy()).all()
    share = by_year["west_false"] / (by_year["west_true"] + by_year["west_false"])
    assert share.loc["2016":"2019"].mean() < 0.15 and share.loc["2020":].mean() > 0.3
    true_rate = 1e4 * by_year["west_true"] / rows["tokens"].reindex(by_year.index)
    covered, total = 0, 0
    flagged = []
    for seed in range(20):
        coded = fs.datasets.demo_code(c.validation_sample(loose, per_period=20, seed=seed))
        fixed = trend.correct(coded, draws=2000, seed=seed).set_index("period")
        for p in ["2016", "2018", "2020", "2022", "2024"]:
            lo, hi = fixed.loc[p, "corrected_low"], fixed.loc[p, "corrected_high"]
            covered += lo <= true_rate[p] <= hi
            total += 1
        flagged.append(bool(fixed.loc[["2016", "2017", "2018", "2019"], "drift"].any()
                            or fixed.loc[["2021", "2022", "2023", "2024"], "drift"].any()))
    assert covered >= 0.9 * total, (covered, total)
    assert sum(flagged) >= 10  # precision's change between the halves is seen in most seeds
