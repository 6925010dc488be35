"""corpus.frame_context: a planted shift in what a frame is said with, recovered."""

from __future__ import annotations

import numpy as np
import pytest

import framescope as fs

FRAMES = {"west": ["collective West", "коллективн* Запад*"], "majority": ["Global Majority"]}


def planted() -> fs.Corpus:
    # 2014-2017: the West "imposes sanctions"; 2018-2021: the West "wages hybrid war".
    # Filler words are the same in every year; the Global Majority is said with "partners".
    rng = np.random.default_rng(5)
    texts, dates = [], []
    for year in range(2014, 2022):
        verb = "imposes sanctions" if year < 2018 else "wages hybrid war"
        for i in range(20):
            filler = " ".join(rng.choice(["trade", "talks", "meeting", "statement"], 6))
            texts.append(f"{filler} the collective West {verb} today. {filler} the Global Majority partners.")
            dates.append(f"{year}-{i % 12 + 1:02d}-10")
    return fs.Corpus.from_texts(texts, dates=dates)


def test_the_planted_context_words_rise_in_their_periods():
    # 4-year periods starting in 2014 (2014-2017 and 2018-2021, the planted halves).
    ctx = planted().frame_context(FRAMES, frame="west", by="4y@2014", window=3, top=3)
    assert set(ctx["period"]) == {"2014–2017", "2018–2021"}
    first = ctx[ctx["period"] == "2014–2017"]
    # Within 3 tokens after the hit: "imposes sanctions today" then, "wages hybrid war" later.
    assert set(first["term"]) == {"imposes", "sanctions", "today"}
    late = ctx[ctx["period"] == "2018–2021"]
    assert set(late["term"]) == {"wages", "hybrid", "war"}
    assert (ctx["G2_uncorrected"] > 0).all() and ctx.groupby("period")["rank"].min().eq(1).all()
    # Counts by hand: 80 posts in 2018-2021, each "wages" once within 3 tokens of the hit.
    assert late.set_index("term").loc["wages", "n_context"] == 80
    assert late.set_index("term").loc["wages", "n_other"] == 0


def test_context_excludes_the_hit_and_counts_each_position_once():
    c = fs.Corpus.from_texts(["alpha collective West collective West beta", "gamma collective West"],
                             dates=["2020-01-01", "2021-01-01"])
    ctx = c.frame_context({"west": ["collective West"]}, window=1, top=None, stop_words=None,
                          min_count=1)
    # Around the two adjacent hits of 2020: "alpha" (before) and "beta" (after), once
    # each; the hits' own words never. 2021: "gamma".
    got = {(p, t): (int(a), int(b)) for p, t, a, b in
           zip(ctx["period"], ctx["term"], ctx["n_context"], ctx["n_other"], strict=True)}
    assert got == {("2020", "alpha"): (1, 0), ("2020", "beta"): (1, 0), ("2021", "gamma"): (1, 0)}


def test_errors_name_the_problem():
    c = planted()
    with pytest.raises(ValueError, match="frame= names the frame"):
        c.frame_context(FRAMES)
    with pytest.raises(KeyError, match="no frame 'east'"):
        c.frame_context(FRAMES, frame="east")
    with pytest.raises(ValueError, match="window must be a positive int"):
        c.frame_context(FRAMES, frame="west", window=0)


def test_the_demo_corpus_planted_context_shift():
    shift = fs.datasets.CONTEXT_SHIFT  # from 2020: "matters" -> "escalates", ...
    ctx = fs.datasets.demo().frame_context(fs.Frames.builtin(), frame=shift["frame"], by="decade",
                                           window=5, top=3)
    assert set(ctx.loc[ctx["period"] == "2020s", "term"]) == set(shift["words"].values())
    assert set(ctx.loc[ctx["period"] == "2010s", "term"]) == set(shift["words"])
