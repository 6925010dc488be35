"""frame_trends(balance=...) weighs sources equally; dispersion=True adds Gries' DP."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import framescope as fs

FRAMES = {"west": ["West"]}


def two_channels() -> fs.Corpus:
    # 2020: A posts 10 ten-token posts with 5 hits in all; B one 20-token post with 2.
    texts, chan = [], []
    for i in range(10):
        texts.append(" ".join(["West" if i < 5 else "word"] + ["word"] * 9))
        chan.append("A")
    texts.append(" ".join(["West", "West"] + ["word"] * 18))
    chan.append("B")
    return fs.Corpus.from_texts(texts, dates=["2020-06-01"] * 11, meta={"channel": chan})


def test_each_source_weighs_equally_with_fay_feuer_intervals():
    c = two_channels()
    plain = c.frame_trends(FRAMES).iloc[0]
    t = c.frame_trends(FRAMES, balance="channel").iloc[0]
    assert plain["per_10k"] == pytest.approx(1e4 * 7 / 120)
    assert t["per_10k"] == pytest.approx(1e4 * (5 / 100 + 2 / 20) / 2)  # 750
    assert (t["hits"], t["tokens"], t["docs"], t["sources"]) == (7, 120, 11, 2)
    w = np.array([1 / (2 * 100), 1 / (2 * 20)])
    x = np.array([5, 2])
    y, v, wm = (w * x).sum(), (w * w * x).sum(), w.max()
    lo = stats.gamma.ppf(0.025, y * y / v, scale=v / y)
    hi = stats.gamma.ppf(0.975, (y + wm) ** 2 / (v + wm * wm), scale=(v + wm * wm) / (y + wm))
    assert t["ci_low"] == pytest.approx(1e4 * lo) and t["ci_high"] == pytest.approx(1e4 * hi)
    # Shares: A 5 of 10 posts, B 1 of 1: the mean is 0.75.
    assert t["doc_share"] == pytest.approx(0.75)
    assert 0 <= t["share_ci_low"] < 0.75 < t["share_ci_high"] <= 1


def test_one_source_is_the_plain_table():
    c = fs.Corpus.from_texts(["West and word", "word", "West West"], dates=["2021-01-01"] * 3,
                             meta={"channel": ["A"] * 3})
    plain = c.frame_trends(FRAMES)
    t = c.frame_trends(FRAMES, balance="channel")
    for col in ("per_10k", "ci_low", "ci_high"):
        assert t[col].tolist() == pytest.approx(plain[col].tolist())


def test_a_prolific_channel_cannot_make_a_trend_alone():
    # A (50 posts a year) turns to the frame in 2021; B, C (5 posts a year) never do.
    texts, dates, chan = [], [], []
    for year in (2020, 2021):
        for src, n in (("A", 50), ("B", 5), ("C", 5)):
            for _ in range(n):
                texts.append("the West" if (src == "A" and year == 2021) else "the world")
                dates.append(f"{year}-03-01")
                chan.append(src)
    c = fs.Corpus.from_texts(texts, dates=dates, meta={"channel": chan})
    plain = c.frame_trends(FRAMES).set_index("period")["per_10k"]
    balanced = c.frame_trends(FRAMES, balance="channel").set_index("period")["per_10k"]
    assert plain["2021"] == pytest.approx(1e4 * 50 / 120)  # 4,167: most of the corpus
    assert balanced["2021"] == pytest.approx(1e4 * (0.5 + 0 + 0) / 3)  # 1,667: one of three


def test_dispersion_by_hand():
    # One period, four documents of 10, 10, 20 and 60 tokens (s = .1 .1 .2 .6).
    texts = ["West " + "w " * 9, "w " * 10, "West West " + "w " * 18, "w " * 60]
    c = fs.Corpus.from_texts(texts, dates=["2022-01-01"] * 4)
    t = c.frame_trends(FRAMES, dispersion=True)
    # hits 1, 0, 2, 0 of 3: v = 1/3, 0, 2/3, 0; DP = 0.5 * (|1/3-.1| + .1 + |2/3-.2| + .6)
    want = 0.5 * (abs(1 / 3 - 0.1) + 0.1 + abs(2 / 3 - 0.2) + 0.6)
    assert t["dp"].iloc[0] == pytest.approx(want)
    even = fs.Corpus.from_texts(["West w"] * 4, dates=["2022-01-01"] * 4)
    assert even.frame_trends(FRAMES, dispersion=True)["dp"].iloc[0] == pytest.approx(0.0)
    none = fs.Corpus.from_texts(["w"] * 4, dates=["2022-01-01"] * 4)
    assert np.isnan(none.frame_trends(FRAMES, dispersion=True)["dp"].iloc[0])


def test_bad_balance_is_an_error():
    c = two_channels()
    with pytest.raises(ValueError, match="balance must be a metadata column"):
        c.frame_trends(FRAMES, balance="outlet")
    with pytest.raises(ValueError, match="cannot be combined"):
        c.frame_trends(FRAMES, balance="channel", bootstrap=200)
    assert isinstance(c.frame_trends(FRAMES, balance="channel"), pd.DataFrame)


def test_balance_by_the_file_each_document_came_from(tmp_path):
    import json

    # a.jsonl: 10 posts of 10 tokens, 5 hits; b.jsonl: one 20-token post, 2 hits (as above).
    (tmp_path / "a.jsonl").write_text("".join(
        json.dumps({"text": " ".join(["West" if i < 5 else "word"] + ["word"] * 9), "date": "2020-06-01"})
        + "\n" for i in range(10)))
    (tmp_path / "b.jsonl").write_text(json.dumps(
        {"text": " ".join(["West", "West"] + ["word"] * 18), "date": "2020-06-01"}) + "\n")
    t = fs.read(tmp_path).frame_trends(FRAMES, balance="source").iloc[0]
    assert t["per_10k"] == pytest.approx(1e4 * (5 / 100 + 2 / 20) / 2) and t["sources"] == 2
