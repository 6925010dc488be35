"""Dictionary expansion and semantic drift: planted synonyms and a planted context change
recovered (tiny hand-made corpora and the demo corpus's plants), counts by hand,
determinism, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import framescope as fs


def _ships_and_bread(moved: bool = False) -> list[str]:
    """A "ship" sentence with alpha or beta and a "bread" sentence with zeta or eta;
    every third document has gamma in the ship sentence (moved: in the bread one)."""
    ships = ["ships", "sail", "harbour", "port", "sea"]
    bread = ["bread", "bake", "oven", "flour", "dough"]
    docs = []
    for i in range(600):
        w1 = "alpha" if i % 2 == 0 else "beta"
        w2 = "zeta" if i % 2 == 0 else "eta"
        if i % 3 == 0:
            if moved:
                w2 = "gamma"
            else:
                w1 = "gamma"
        docs.append(f"{ships[i % 5]} {w1} {ships[(i * 7 + 1) % 5]}. "
                    f"{bread[(i // 5) % 5]} {w2} {bread[(i * 3 + 2) % 5]}.")
    return docs


def test_expand_ranks_the_planted_synonym_first_with_hand_counts():
    c = fs.Corpus.from_texts(_ships_and_bread(moved=True))
    e = fs.expand(c, "alpha", top=5, dim=8, window=1, phrases=False, stop_words=None,
                  examples=2)
    assert list(e.columns) == ["frame", "rank", "candidate", "kind", "similarity", "count",
                               "pattern", "examples"]
    assert e["candidate"].iloc[0] == "beta"
    assert e["rank"].tolist() == [1, 2, 3, 4, 5]
    assert (e["frame"] == "seed").all() and (e["kind"] == "word").all()
    # beta: the odd documents, 300 of 600 (gamma takes the bread sentence's place).
    assert e.loc[0, "count"] == 300
    assert "alpha" not in set(e["candidate"])  # every alpha is the seed
    assert len(e.loc[0, "examples"]) == 2
    assert all("[beta]" in line for line in e.loc[0, "examples"])
    # gamma sits in the bread sentences: far from alpha.
    sims = e.set_index("candidate")["similarity"]
    assert sims["beta"] > 0.9
    far = fs.expand(c, "alpha", top=50, dim=8, window=1, phrases=False, stop_words=None,
                    examples=0).set_index("candidate")["similarity"]
    assert far["gamma"] < 0.5


def test_expand_per_frame_and_seed_forms():
    c = fs.Corpus.from_texts(_ships_and_bread(moved=True))
    kw = dict(top=3, dim=8, window=1, phrases=False, stop_words=None, examples=0)
    by_frames = fs.expand(c, {"a": ["alpha"], "z": ["zeta"]}, **kw)
    assert by_frames.groupby("frame")["candidate"].first().to_dict() == {"a": "beta", "z": "eta"}
    # A list is one seed; a Frames works as the dict.
    assert fs.expand(c, ["alpha"], **kw)["candidate"].tolist() == \
        by_frames.loc[by_frames.frame == "a", "candidate"].tolist()
    assert fs.expand(c, fs.Frames({"a": ["alpha"], "z": ["zeta"]}), **kw).equals(by_frames)


def test_expand_is_deterministic_and_independent_of_threads():
    c = fs.datasets.demo()
    before = fs.get_num_threads()
    try:
        fs.set_num_threads(1)
        one = fs.expand(c, "the collective West", top=30)
        fs.set_num_threads(2)
        two = fs.expand(c, "the collective West", top=30)
    finally:
        fs.set_num_threads(before)
    pd.testing.assert_frame_equal(one, two)
    other_seed = fs.expand(c, "the collective West", top=30, seed=7, examples=0)
    # Another seed of the SVD: the planted synonyms lead either way.
    planted = {"western bloc", "atlanticist camp", "transatlantic elites"}
    assert planted <= set(other_seed["candidate"][:4]) and planted <= set(one["candidate"][:4])


def test_demo_planted_synonyms_rank_in_the_top_20():
    c = fs.datasets.demo()
    e = fs.expand(c, fs.datasets.SYNONYMS["seed"], top=20, examples=1)
    found = set(e["candidate"])
    for synonym in fs.datasets.SYNONYMS["synonyms"]:
        phrase = synonym.lower().removeprefix("the ")
        assert phrase in found, (phrase, e["candidate"].tolist())
    truth = fs.datasets.demo_truth()
    # Each synonym is a phrase unit; all three together counted as planted.
    counted = e.set_index("candidate").loc[
        [s.lower().removeprefix("the ") for s in fs.datasets.SYNONYMS["synonyms"]], "count"]
    assert counted.sum() == truth["west_synonyms"].sum()
    assert (e["kind"] == "phrase").sum() >= 3
    assert all(len(x) == 1 for x in e["examples"])


def test_expand_stems_russian_case_forms_together():
    texts = ["санкции против России вводит запад", "запада санкции против России",
             "западу санкции против России"] * 5
    c = fs.Corpus.from_texts(texts)
    e = fs.expand(c, "санкции", top=10, stem="auto", phrases=False, stop_words=None,
                  examples=1, dim=4, min_count=2)
    row = e.set_index("candidate").loc["запад"]
    assert row["count"] == 15  # запад, запада, западу: five each
    assert row["pattern"] == "запад*"


def test_neighbours_find_a_planted_context_change():
    docs, dates = [], []
    for year in range(2010, 2014):
        for t in _ships_and_bread(moved=year >= 2012):
            docs.append(t)
            dates.append(f"{year}-06-01")
    c = fs.Corpus.from_texts(docs, dates=dates)
    n = c.neighbours("gamma", by="year", dim=6, window=1, min_count=20, top=3)
    d = n.drift.set_index("period")
    assert d.loc["2010", "count"] == 200 and np.isnan(d.loc["2010", "drift"])
    assert d["drift"].idxmax() == "2012"
    assert d.loc["2012", "changed"] and d.loc["2012", "percentile"] == 1.0
    assert not d.loc[["2011", "2013"], "changed"].any()
    # Its neighbours: the ship words' companions before, the bread words' after.
    t = n.table
    before = set(t[(t.period == "2011")]["neighbour"])
    after = set(t[(t.period == "2012")]["neighbour"])
    assert {"alpha", "beta"} <= before and {"zeta", "eta"} <= after, (before, after)
    assert d.loc["2012", "overlap"] == 0.0 and d.loc["2013", "overlap"] == 1.0
    top = n.most_changed
    assert top[(top.period == "2012") & (top["rank"] == 1)]["word"].item() == "gamma"


def test_demo_planted_drift_detected_in_its_period():
    c = fs.datasets.demo()
    n = c.neighbours(fs.datasets.DRIFT["word"], by="year")
    d = n.drift.set_index("period")
    planted = str(fs.datasets.DRIFT["year"])
    assert d["drift"].idxmax() == planted
    assert d.loc[planted, "changed"]
    assert (d.drop(index=planted)["percentile"].dropna() < d.loc[planted, "percentile"]).all()
    # Before: the words of "dialogue with partners"; after: the frame sentences' words.
    before = set(n.table[n.table.period == "2021"]["neighbour"].head(5))
    after = set(n.table[n.table.period == planted]["neighbour"].head(5))
    assert {"dialogue", "with"} <= before, before
    frame_sentences = {"notes", "that", "matters", "spoke", "about", "today", "much", "depends",
                       "on", "said", "escalates", "escalating", "warned"}
    assert len(frame_sentences & after) >= 4, after
    assert "undated" not in set(n.drift["period"])


def test_neighbours_with_stems_and_phrases_and_errors():
    texts = ["коллективный запад вводит санкции", "коллективного запада санкции",
             "коллективному западу угрожает"] * 4
    c = fs.Corpus.from_texts(texts, dates=["2020-01-01"] * 6 + ["2021-01-01"] * 6)
    n = c.neighbours("запад", by="year", stem="auto", min_count=1, dim=3, window=2)
    assert n.drift.set_index("period")["count"].to_dict() == {"2020": 6, "2021": 6}
    p = c.neighbours("коллективный запад", by="year", stem="auto", min_count=1, dim=3, window=2)
    assert p.drift["count"].tolist() == [6, 6]
    with pytest.raises(ValueError, match="nowhere"):
        c.neighbours("nowhere", by="year", min_count=1)
    with pytest.raises(ValueError, match="3 tokens"):
        c.neighbours("one two three", by="year")
    with pytest.raises(ValueError, match="dim"):
        c.neighbours("запад", dim=0)
    with pytest.raises(ValueError, match="seeds"):
        fs.expand(c, [], top=3)
    with pytest.raises(ValueError, match="top"):
        fs.expand(c, "запад", top=0)
    with pytest.raises(ValueError, match=r"no hits of the seed frame\(s\) \['nothing'\]"):
        fs.expand(c, {"west": ["запад"], "nothing": ["never said"]}, min_count=1)


def test_drift_plot_draws_one_line_per_word():
    import matplotlib

    matplotlib.use("Agg")
    c = fs.datasets.demo()
    n = c.neighbours(["partners", "dialogue"], by="2y", min_count=3)
    ax = n.plot()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["partners", "dialogue"]


def test_neighbours_are_identical_for_any_thread_count():
    c = fs.datasets.demo()
    before = fs.get_num_threads()
    try:
        fs.set_num_threads(1)
        one = c.neighbours("partners", by="2y", min_count=3)
        fs.set_num_threads(2)
        two = c.neighbours("partners", by="2y", min_count=3)
    finally:
        fs.set_num_threads(before)
    pd.testing.assert_frame_equal(one.drift, two.drift)
    pd.testing.assert_frame_equal(one.table, two.table)
    pd.testing.assert_frame_equal(one.most_changed, two.most_changed)


def test_drift_by_day_over_years_is_refused_with_advice():
    dates = pd.date_range("2000-01-01", periods=1200, freq="D").strftime("%Y-%m-%d").tolist()
    c = fs.Corpus.from_texts(["the West said"] * 1200, dates=dates)
    with pytest.raises(ValueError, match="coarser by="):
        c.neighbours("west", by="day")
    assert len(c.neighbours("west", by="day", max_units=100, min_count=1, dim=2).drift) == 1200
