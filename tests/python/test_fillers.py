"""corpus.fillers (wildcard slots per period) and TrendTable.ratio, on planted counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import framescope as fs

# 2015: "collective security" x3, "collective West" x1; 2022: "collective West" x4,
# "collective security" x1. Russian: three cases of "коллективный Запад" in 2022.
TEXTS = ["We defend collective security. Collective security matters; collective security!",
         "The collective West disagrees.",
         "The collective West, the collective West. The collective West and the collective West.",
         "collective security",
         "Коллективного Запада нет. Коллективный Запад слаб. Коллективному Западу всё равно."]
DATES = ["2015-03-01", "2015-04-01", "2022-03-01", "2022-04-01", "2022-05-01"]


def corpus():
    return fs.Corpus.from_texts(TEXTS, dates=DATES)


def rows(table):
    return [(p, f, int(c)) for p, f, c in zip(table["period"], table["filler"], table["count"], strict=True)]


def test_the_planted_fillers_per_period():
    f = corpus().fillers("collective *")
    assert rows(f) == [("2015", "security", 3), ("2015", "west", 1),
                       ("2022", "west", 4), ("2022", "security", 1)]
    assert f["rank"].tolist() == [1, 2, 1, 2]
    tokens_2015 = sum(len(corpus().tokens(i)) for i in (0, 1))
    assert f["per_10k"].iloc[0] == pytest.approx(1e4 * 3 / tokens_2015)


def test_russian_inflections_through_a_prefix_and_slots_anywhere():
    f = corpus().fillers("коллективн* *")
    assert sorted(f["filler"]) == ["запад", "запада", "западу"]  # three cases, one each
    g = corpus().fillers("the * west", top=None)
    assert rows(g) == [("2015", "collective", 1), ("2022", "collective", 4)]
    two = corpus().fillers("* collective *", top=1)
    assert rows(two) == [("2015", "defend security", 1), ("2022", "the west", 4)]


def test_bad_patterns_are_errors():
    for bad, message in [("collective", "at least one"), ("* *", "at least one"),
                         ("collective * a b c d", "2 to 5"), ("col*lective *", "not one word"),
                         ("collective-security *", "not one word")]:
        with pytest.raises(ValueError, match=message):
            corpus().fillers(bad)


def test_ratio_of_two_frames_by_hand():
    t = corpus().term_trends(["collective security", "collective West"])
    r = t.ratio("collective security", "collective West").set_index("period")
    assert r.loc["2015", "ratio"] == pytest.approx(3.0) and r.loc["2022", "ratio"] == pytest.approx(0.25)
    # Wilson interval of p = 3/4, turned into odds p / (1 - p).
    z = 1.959963984540054
    n, p = 4, 0.75
    center = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    lo, hi = center - half, center + half
    assert r.loc["2015", "ci_low"] == pytest.approx(lo / (1 - lo))
    assert r.loc["2015", "ci_high"] == pytest.approx(hi / (1 - hi))
    with pytest.raises(KeyError, match="no frame 'multipolar'"):
        t.ratio("multipolar", "collective West")


def test_cli_fillers(tmp_path, capsys):
    import json

    from framescope.cli import main

    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps({"text": t, "date": d}) + "\n" for t, d in zip(TEXTS, DATES, strict=True)))
    out = tmp_path / "f.csv"
    assert main(["fillers", str(path), "collective *", "--no-dedup", "--out", str(out)]) == 0
    t = pd.read_csv(out, dtype={"period": str})
    assert rows(t) == [("2015", "security", 3), ("2015", "west", 1), ("2022", "west", 4),
                       ("2022", "security", 1)]
    assert "security" in capsys.readouterr().out
    assert main(["fillers", str(path)]) == 2  # a path but no pattern


def test_the_demo_corpus_planted_russian_forms_fill_the_slot():
    from framescope.datasets import DEMO_FRAMES

    planted = {p.split()[1].lower() for p in DEMO_FRAMES["collective_west"][1]}  # запад, запада, западу
    f = fs.datasets.demo().fillers("коллективн* *", by="decade", top=None)
    assert set(f["filler"]) == planted
