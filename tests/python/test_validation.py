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
