"""Frames: pattern matching fixtures, builtin dictionary, trends with intervals, KWIC, errors."""

from __future__ import annotations

import json
import pickle
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest
from conftest import SEED_DIR

import framescope as fs

matplotlib.use("Agg")


def counts(texts, frames):
    return fs.Corpus.from_texts(texts).frame_counts(frames).to_numpy().tolist()


def test_english_fixtures_possessives_hyphens_case_and_line_breaks():
    frames = fs.Frames({
        "collective_west": ["collective West"],
        "rules_based_order": ["rules-based order", "rules-based world order"],
        "global_majority": ["Global Majority", "World Majority", "world's majority"],
        "multipolarity": ["multipolar*", "polycentric*"],
    })
    texts = [
        "The collective West’s decisions; the COLLECTIVE west; collective Western values.",
        "a rules-based order, a rules based order, the rules-based\nworld order",
        "the global majority, the World Majority and the world’s majority; the majority of the world",
        "A multipolar world; multipolarity; #Multipolarity; polycentric order; unipolar.",
        "collective\nWest (line break inside the phrase)",
    ]
    assert counts(texts, frames) == [
        [2, 0, 0, 0],
        [0, 3, 0, 0],
        [0, 0, 3, 0],
        [0, 0, 0, 4],
        [1, 0, 0, 0],
    ]


def test_russian_inflections_and_stems():
    frames = fs.Frames({
        "collective_west": ["коллективн* запад*"],
        "global_majority": ["миров* большинств*"],
        "multipolarity": ["многополярн*"],
        "russian_world": ["русск* /мир(а|у|ом|е)?/"],
        "sanctions_stem": ["~санкции"],
    })
    texts = [
        "Коллективный Запад, коллективного Запада, коллективному Западу, коллективным Западом.",
        "Мировое большинство; мирового большинства; мировому большинству.",
        "Многополярный мир, многополярного мира, многополярность.",
        "Русский мир, русского мира, русскому миру; русские миротворцы — не то.",
        "санкции, санкций, санкциям; Санкция.",
    ]
    got = counts(texts, frames)
    assert [row[i] for i, row in enumerate(got)] == [4, 3, 3, 3, 4]
    assert sum(map(sum, got)) == 17  # nothing matched across frames


def test_exclusions_longest_match_and_overlaps():
    frames = fs.Frames({
        "the_west": {"patterns": ["the West", "West"],
                     "exclude": ["West Africa", "West Bank", "collective West"]},
        "world_order": ["world order", "multipolar world order"],
        "multipolarity": ["multipolar*"],
    })
    c = fs.Corpus.from_texts(["The West, West Africa, the West Bank, the collective West.",
                              "A multipolar world order."])
    assert c.frame_counts(frames).to_numpy().tolist() == [[1, 0, 0], [0, 1, 1]]
    over = c.frame_overlaps(frames)
    assert over.loc["world_order", "multipolarity"] == 1
    assert over.loc["multipolarity", "world_order"] == 1
    co = c.frame_cooccurrence(frames)
    assert co.loc["world_order", "multipolarity"] == 1 and co.loc["the_west", "the_west"] == 1


def test_pattern_errors_name_frame_and_pattern(tmp_path):
    with pytest.raises(ValueError, match=r'frame "bad", pattern "": the pattern is empty'):
        fs.Frames({"bad": [""]})
    with pytest.raises(ValueError, match=r'frame "bad", pattern "/\(unclosed/": invalid regex'):
        fs.Frames({"bad": ["/(unclosed/"]})
    with pytest.raises(ValueError, match="frame 'bad' has no patterns"):
        fs.Frames({"bad": []})
    with pytest.raises(ValueError, match="no built-in frame dictionary 'nope'"):
        fs.Frames.builtin("nope")
    bad = tmp_path / "frames.yaml"
    bad.write_text("frames:\n  west: [collective West\n  other: [x]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"frames.yaml:\d+: invalid YAML"):
        fs.Frames.from_file(bad)
    (tmp_path / "f.json").write_text('{"west": ["a",]}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"f.json:1: invalid JSON"):
        fs.Frames.from_file(tmp_path / "f.json")
    with pytest.raises(TypeError, match="frames must be"):
        fs.Corpus.from_texts(["x"]).frame_counts(["collective West"])


def test_files_yaml_quanteda_and_json(tmp_path):
    (tmp_path / "fs.yaml").write_text(
        "name: mine\nframes:\n  west:\n    patterns: [collective West]\n    exclude: [West Bank]\n"
        "    description: d\n    watch: w\n", encoding="utf-8")
    f = fs.Frames.from_file(tmp_path / "fs.yaml")
    assert f.name == "mine" and f["west"]["exclude"] == ["West Bank"] and f["west"]["watch"] == "w"
    (tmp_path / "q.yml").write_text(
        "west:\n  collective:\n    - collective west\n    - коллективн* запад*\n  plain:\n    - west\n"
        "multipolar:\n  - multipolar*\n", encoding="utf-8")
    q = fs.Frames.from_file(tmp_path / "q.yml")
    assert q.names == ["west.collective", "west.plain", "multipolar"]
    (tmp_path / "j.json").write_text(json.dumps({"frames": {"a": ["x y"]}}), encoding="utf-8")
    assert fs.Frames.from_file(tmp_path / "j.json").to_dict()["a"]["patterns"] == ["x y"]
    assert pickle.loads(pickle.dumps(q)) == q
    assert q.select("multipolar").names == ["multipolar"]


def test_builtin_dictionary_covers_the_reference_list():
    f = fs.Frames.builtin("ru_foreign_policy")
    assert f.names == [
        "collective_west", "global_majority", "multipolarity", "global_south_east",
        "rules_based_order", "unipolarity_hegemony", "kiev_regime", "anglo_saxons", "neo_nazism",
        "russophobia", "neo_colonialism", "traditional_values", "un_charter",
        "unilateral_sanctions", "indivisible_security", "special_military_operation",
        "sovereignty", "hybrid_war", "russian_world", "history_falsification"]
    assert all(f[n]["description"] for n in f)
    texts = [
        "коллективного Запада", "мирового большинства", "многополярного мира", "Глобального Юга",
        "порядка, основанного на правилах", "однополярного мира", "киевского режима",
        "англосаксов", "денацификации", "русофобии", "неоколониализма", "традиционных ценностей",
        "Устава ООН", "односторонних санкций", "неделимости безопасности",
        "специальной военной операции", "суверенитета", "гибридной войны", "русского мира",
        "фальсификации истории",
    ]
    got = np.array(counts(texts, f))
    assert (np.diag(got) == 1).all(), got
    assert got.sum() == 20


def test_builtin_multipolarity_matches_the_hyphenated_spelling():
    """ "multi-polar" (Indian and Chinese English media write it so) is two tokens, which
    "multipolar*" missed; the built-in frames match both spellings, once each."""
    f = fs.Frames.builtin().select(["multipolarity", "unipolarity_hegemony"])
    c = fs.Corpus.from_texts(["a multi-polar world", "a multi polar world order",
                              "a multipolar, multi-polarity", "the uni-polar moment",
                              "a multi-party system; polar bears"])
    assert c.frame_counts(f).values.tolist() == [[1, 0], [1, 0], [2, 0], [0, 1], [0, 0]]


# --------------------------------------------------------------------- trends
def planted_corpus(seed: int, rates: dict[int, float], docs_per_year=20, filler_tokens=200):
    """Documents whose "collective West" count is Poisson(mu) with mu from the planted rate."""
    rng = np.random.default_rng(seed)
    words = np.array(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"])
    texts, dates = [], []
    for year, rate in rates.items():
        mu = rate * filler_tokens / 1e4
        for _ in range(docs_per_year):
            toks = list(rng.choice(words, size=filler_tokens))
            for _ in range(rng.poisson(mu)):
                toks.insert(int(rng.integers(0, len(toks) + 1)), "collective West")
            texts.append(" ".join(toks))
            dates.append(f"{year}-06-15")
    return fs.Corpus.from_texts(texts, dates=dates)


def truth(rate, filler_tokens=200):
    mu = rate * filler_tokens / 1e4
    return 1e4 * mu / (filler_tokens + 2 * mu)  # the phrase adds 2 tokens per hit


RATES = {2019: 5.0, 2020: 10.0, 2021: 25.0, 2022: 60.0, 2023: 120.0}
FRAME = {"collective_west": ["collective West"]}


def test_planted_trend_recovered_and_intervals_cover_at_nominal_rate():
    t = planted_corpus(0, RATES, docs_per_year=200).frame_trends(FRAME)
    assert t["period"].tolist() == ["2019", "2020", "2021", "2022", "2023"]
    est = t["per_10k"].to_numpy()
    assert np.all(np.diff(est) > 0), est  # the planted rise
    covered, total = 0, 0
    for seed in range(60):
        t = planted_corpus(seed, RATES).frame_trends(FRAME)
        true = np.array([truth(r) for r in RATES.values()])
        covered += int(((t["ci_low"] <= true) & (true <= t["ci_high"])).sum())
        total += len(true)
    assert 0.90 <= covered / total <= 0.995, covered / total


def test_trend_columns_undated_metadata_and_empty_periods():
    c = fs.Corpus.from_texts(
        ["the collective West", "collective West and collective West", "nothing", "collective West"],
        dates=["2020-03-01", "2022-07-01", None, "2022-01-01"],
        meta={"outlet": ["TASS", "MFA", "MFA", None]})
    t = c.frame_trends(FRAME)
    assert t.columns.tolist() == [
        "period", "start", "frame", "hits", "docs_with_hit", "docs", "tokens", "per_10k",
        "doc_share", "ci_low", "ci_high", "share_ci_low", "share_ci_high"]
    assert t["period"].tolist() == ["2020", "2021", "2022", "undated"]  # 2021 empty, kept
    assert t["hits"].tolist() == [1, 0, 3, 0]
    assert t["docs"].tolist() == [1, 0, 2, 1]
    assert t["tokens"].tolist() == [3, 0, 7, 1]
    assert np.isnan(t["per_10k"].iloc[1]) and t["per_10k"].iloc[2] == pytest.approx(3e4 / 7)
    assert t["doc_share"].iloc[2] == 1.0 and t["share_ci_low"].iloc[2] < 1.0
    by_outlet = c.frame_trends(FRAME, by="outlet")
    assert by_outlet["period"].tolist() == ["MFA", "TASS", "(missing)"]
    assert by_outlet["hits"].tolist() == [2, 1, 1]
    q = c.frame_trends(FRAME, by="quarter")
    assert q["period"].tolist()[:3] == ["2020Q1", "2020Q2", "2020Q3"] and len(q) == 11 + 1
    with pytest.raises(ValueError, match="by must be a calendar period"):
        c.frame_trends(FRAME, by="fortnight")
    rolled = c.frame_trends(FRAME, rolling=2)
    assert rolled["hits"].tolist() == [1, 1, 3, 0]
    assert rolled["tokens"].tolist() == [3, 3, 7, 1]


def test_bootstrap_intervals_bracket_the_estimate():
    c = planted_corpus(3, {2021: 30.0, 2022: 90.0}, docs_per_year=60)
    t = c.frame_trends(FRAME, bootstrap=400, seed=1)
    assert (t["ci_low"] <= t["per_10k"]).all() and (t["per_10k"] <= t["ci_high"]).all()
    assert t.ci_method.startswith("bootstrap")
    again = c.frame_trends(FRAME, bootstrap=400, seed=1)
    pd.testing.assert_frame_equal(t, again)
    with pytest.raises(ValueError, match="bootstrap must be"):
        c.frame_trends(FRAME, bootstrap=10)


def test_term_trends_and_plots():
    c = planted_corpus(5, RATES)
    t = c.term_trends(["collective West", "alpha"])
    assert set(t["frame"]) == {"collective West", "alpha"}
    ax = t.plot()
    assert len(ax.get_lines()) == 2 and "10,000 tokens" in ax.get_ylabel()
    ax2 = fs.plot.heatmap(t)
    assert ax2.get_images()


# ----------------------------------------------------------------------- kwic
def test_kwic_lines_and_byte_offsets():
    text = "Москва. The collective West’s “rules-based order” is not the UN Charter."
    c = fs.Corpus.from_texts([text], dates=["2023-04-29"], ids=["post-1"])
    k = c.kwic(["collective West", "rules-based order"], window=2)
    assert k["match"].tolist() == ["collective West’s", "rules-based order"]
    assert k["left"].tolist() == ["Москва. The", "collective West’s “"]
    assert k["right"].tolist() == ["“rules-based", "” is not"]
    raw = text.encode()
    assert [raw[s:e].decode() for s, e in zip(k["start"], k["end"], strict=True)] == k["match"].tolist()
    assert k["id"].tolist() == ["post-1", "post-1"]
    assert "<mark>" in k._repr_html_()
    f = fs.Frames.builtin()
    only = c.kwic(f, frame="un_charter")
    assert only["frame"].tolist() == ["un_charter"] and only["match"].tolist() == ["UN Charter"]
    with pytest.raises(KeyError, match="no frames"):
        c.kwic(f, frame="nope")


# --------------------------------------------------------------- seed corpus
# Independent counts: plain Python regexes over the cleaned seed posts.
REGEXES = {
    "collective_west": r"\bcollective\s+West\b",
    "global_majority": r"\b(?:global|world)\s+majority\b|\bworld[’']s\s+majority\b",
    "multipolarity": r"\bmultipolar\w*|\bpolycentric\w*",
    "rules_based_order": r"\brules[-\s]based\s+(?:(?:world|international)\s+)?order\b",
    "un_charter": r"\bUN\s+Charter\b|\bCharter\s+of\s+the\s+United\s+Nations\b|#UNCharterIsOurRules",
    "hybrid_war": r"\bhybrid\s+war\w*",
    "russophobia": r"\bRussophob\w*",
    "sovereignty": r"\bsovereign\w*",
}


@pytest.mark.seed
def test_seed_trends_equal_independent_regex_counts():
    clean = fs.read(SEED_DIR).dedup()
    frames = fs.Frames.builtin().select(list(REGEXES))
    t = clean.frame_trends(frames)
    years = clean.dates.dt.year
    labels = np.where(years.isna(), "undated", years.astype("Int64").astype(str))
    for name, rx in REGEXES.items():
        per_doc = np.array([len(re.findall(rx, text, flags=re.IGNORECASE)) for text in clean.texts])
        expected = pd.Series(per_doc).groupby(labels).sum()
        got = t[(t["frame"] == name) & (t["docs"] > 0)].set_index("period")["hits"]
        assert got.to_dict() == expected.to_dict(), name
    total = t.groupby("frame")["hits"].sum()
    assert total["collective_west"] > 0 and total["global_majority"] > 0


def test_duplicate_and_colliding_frame_names_are_errors(tmp_path):
    # A dictionary edited by hand: the same frame twice, in YAML and in JSON.
    (tmp_path / "dup.yaml").write_text("frames:\n  west: [collective West]\n  south: [Global South]\n"
                                       "  west: [the West]\n")
    with pytest.raises(ValueError, match=r"dup\.yaml:4: duplicate key 'west' \(first on line 2\)"):
        fs.Frames.from_file(tmp_path / "dup.yaml")
    (tmp_path / "dup.json").write_text('{"west": ["collective West"], "west": ["the West"]}')
    with pytest.raises(ValueError, match=r"dup\.json: duplicate key 'west'"):
        fs.Frames.from_file(tmp_path / "dup.json")
    # quanteda layout: a nested "a: {b: ...}" and a flat "a.b" flatten to one name.
    (tmp_path / "clash.yaml").write_text("west:\n  plain: [the West]\nwest.plain: [Western]\n")
    with pytest.raises(ValueError, match=r"frame name 'west.plain' is given twice: by "
                                         r"'west > plain' and by 'west.plain'"):
        fs.Frames.from_file(tmp_path / "clash.yaml")
    (tmp_path / "clash2.yaml").write_text("west.plain: [Western]\nwest:\n  plain: [the West]\n")
    with pytest.raises(ValueError, match=r"given twice: by 'west.plain' and by 'west > plain'"):
        fs.Frames.from_file(tmp_path / "clash2.yaml")
    # Distinct nested names still flatten.
    (tmp_path / "ok.yaml").write_text("west:\n  plain: [the West]\n  collective: [collective West]\n"
                                      "south: [Global South]\n")
    assert fs.Frames.from_file(tmp_path / "ok.yaml").names == ["west.plain", "west.collective", "south"]
