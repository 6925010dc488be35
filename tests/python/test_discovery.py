"""Keyness, collocations, emerging terms and distributions: hand-computed numbers, planted truth, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import SEED_DIR

import framescope as fs


def quanteda_g2(a, b, t, r, yates=True):
    """G2 as quanteda computes it, written independently of the Rust code."""
    c, d = t - a, r - b
    n = a + b + c + d
    e = (a + b) * (a + c) / n
    small = min((a + b) * (a + c), (a + b) * (b + d), (a + c) * (c + d), (c + d) * (b + d)) / n < 5
    delta = 0.5 if yates and abs(a * d - b * c) >= n / 2 and small else 0.0
    s = 1 if a * d - b * c > 0 else -1
    aa, bb, cc, dd = a - s * delta, b + s * delta, c + s * delta, d - s * delta
    cells = [(aa, aa + bb, aa + cc), (bb, aa + bb, bb + dd), (cc, aa + cc, cc + dd), (dd, bb + dd, cc + dd)]
    g = 2 * sum(o * math.log(o / (row * col / n) + 1e-9) for o, row, col in cells)
    return g if a > e else -g


def quanteda_chi2(a, b, t, r, yates=True):
    c, d = t - a, r - b
    n = a + b + c + d
    e = (a + b) * (a + c) / n
    small = min((a + b) * (a + c), (a + b) * (b + d), (a + c) * (c + d), (c + d) * (b + d)) / n < 5
    delta = 0.5 if yates and abs(a * d - b * c) >= n / 2 and small else 0.0
    x = n * (abs(a * d - b * c) - n * delta) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    return x if a > e else -x


def test_keyness_equals_hand_computed_formulas():
    # Target: "sanctions" x12, "west" x3, filler x85 (100 tokens); reference: "sanctions" x2,
    # "west" x10, filler x188 (200 tokens).
    target = ["sanctions"] * 12 + ["west"] * 3 + ["alpha"] * 85
    reference = ["sanctions"] * 2 + ["west"] * 10 + ["alpha"] * 188
    c = fs.Corpus.from_texts([" ".join(target), " ".join(reference)])
    k = fs.keyness(c, np.array([True, False])).set_index("term")
    for term, a, b in [("sanctions", 12, 2), ("west", 3, 10), ("alpha", 85, 188)]:
        row = k.loc[term]
        assert (row["n_target"], row["n_reference"]) == (a, b)
        assert row["G2"] == pytest.approx(quanteda_g2(a, b, 100, 200), rel=1e-12)
        assert row["G2_uncorrected"] == pytest.approx(quanteda_g2(a, b, 100, 200, yates=False), rel=1e-12)
        assert row["chi2"] == pytest.approx(quanteda_chi2(a, b, 100, 200), rel=1e-12)
        e = (a + b) * 100 / 300
        assert row["pmi"] == pytest.approx(math.log(a / e + 1e-9), rel=1e-12)
        assert row["log_ratio"] == pytest.approx(math.log2((a / 100) / (b / 200)), rel=1e-12)
    assert k.index[0] == "sanctions" and k.loc["west", "G2"] < 0
    # p of chi2 with one degree of freedom.
    assert k.loc["sanctions", "p"] == pytest.approx(math.erfc(math.sqrt(k.loc["sanctions", "G2"] / 2)))
    chi = fs.keyness(c, np.array([True, False]), measure="chi2")
    assert chi["chi2"].is_monotonic_decreasing


def test_keyness_targets_and_errors():
    c = fs.Corpus.from_texts(["the West", "the Global Majority", "the East", "nothing dated"],
                             dates=["2019-05-01", "2023-01-01", "2024-02-02", None],
                             meta={"lang": ["en", "en", "ru", "ru"]})
    k = fs.keyness(c, "2023-")
    assert set(k.loc[k["n_target"] > 0, "term"]) == {"the", "global", "majority", "east"}
    assert k.set_index("term").loc["west", "n_reference"] == 1  # undated document left out
    assert fs.keyness(c, "2023-2023").set_index("term").loc["east", "n_target"] == 0
    assert fs.keyness(c, {"lang": "ru"}).set_index("term").loc["nothing", "n_target"] == 1
    with pytest.raises(ValueError, match="selects no document"):
        fs.keyness(c, "1990")
    with pytest.raises(ValueError, match="selects every document"):
        fs.keyness(c, np.ones(4, dtype=bool))
    with pytest.raises(ValueError, match="not a period"):
        fs.keyness(c, "last year")
    with pytest.raises(ValueError, match="size must be"):
        fs.keyness(c, "2023-", size=6)
    with pytest.raises(ValueError, match="measure must be"):
        fs.keyness(c, "2023-", measure="tfidf")
    with pytest.raises(TypeError, match="boolean mask"):
        fs.keyness(c, [1, 0, 1, 0])


def test_collocation_lambda_and_z_by_hand():
    c = fs.Corpus.from_texts(["a b a b c d a b", "c d a c"])
    row = c.collocations(min_count=1).set_index("collocation").loc["a b"]
    # 10 bigrams; "a b" 3, other "a ·" 1, other "· b" 0, neither 6; 0.5 added to each cell.
    o = [3.5, 1.5, 0.5, 6.5]
    lam = math.log(o[0]) - math.log(o[1]) - math.log(o[2]) + math.log(o[3])
    assert row["lambda"] == pytest.approx(lam, rel=1e-12)
    assert row["z"] == pytest.approx(lam / math.sqrt(sum(1 / x for x in o)), rel=1e-12)
    assert row["pmi"] == pytest.approx(math.log(3 * 10 / (4 * 3)), rel=1e-12)
    # Punctuation ends a sequence: "b. c" is not a bigram.
    c2 = fs.Corpus.from_texts(["a b. c d"])
    assert set(c2.collocations(min_count=1)["collocation"]) == {"a b", "c d"}
    tri = fs.Corpus.from_texts(["x y z"] * 4 + ["x y w"]).collocations(size=(2, 3), min_count=4)
    assert set(tri["length"]) == {2, 3} and "x y z" in set(tri["collocation"])
    with pytest.raises(ValueError, match="size must be within 2"):
        c.collocations(size=1)


def test_planted_emerging_frame_is_found_in_its_year():
    demo = fs.datasets.demo().dedup()
    e = demo.emerging(size=2, top=None)
    # Hyphenated compounds are n-grams ("rules-based order": "rules based", "based order";
    # text/ngrams.rs), so the planted 2022 frames fill the top of the 2022 list.
    first_2022 = e[e["start"] == "2022"]["term"].head(8).tolist()
    assert {"world majority", "collective west", "rules based", "based order"} <= set(first_2022)
    assert any(t.startswith("миров") and t.endswith(("большинства", "большинству", "большинство")) for t in first_2022)
    assert not (e["term"].isin(["global majority", "world majority"]) & (e["start"] < "2022")).any()
    ratio = demo.emerging(size=2, method="ratio", top=None)
    gm = ratio[ratio["term"] == "world majority"]
    assert gm.iloc[0]["start"] == "2022"  # its largest jump is when it appears
    with pytest.raises(ValueError, match="by must be a calendar period"):
        demo.emerging(by="lang")
    with pytest.raises(ValueError, match="size must be within"):
        demo.emerging(size=(0, 2))


def test_distribution_matches_trends_and_normalises():
    c = fs.Corpus.from_texts(["BRICS BRICS sanctions", "sanctions", "BRICS"],
                             dates=["2022-01-01", "2024-01-01", None])
    d = c.distribution(terms=["BRICS", "sanctions"])
    assert d.periods == ["2022", "2023", "2024", "undated"]
    assert d.values.tolist() == [[2, 1], [0, 0], [0, 1], [1, 0]]
    assert d.docs.tolist() == [1, 0, 1, 1] and d.tokens.tolist() == [3, 0, 1, 1]
    t = c.term_trends(["BRICS", "sanctions"])
    assert t.pivot_table(index="period", columns="frame", values="hits", sort=False).to_numpy().tolist() == d.values.tolist()
    per = c.distribution(terms=["BRICS"], normalize="per_10k")
    assert per.values[0, 0] == pytest.approx(2e4 / 3) and np.isnan(per.values[1, 0])
    share = c.distribution(terms=["BRICS"], normalize="share")
    assert share.values[:, 0].tolist() == pytest.approx([2 / 3, 0, 0, 1 / 3])
    everything = c.distribution(min_count=2)
    assert everything.terms == ["brics", "sanctions"]
    assert list(everything.to_pandas().columns) == ["docs", "tokens", "brics", "sanctions"]
    with pytest.raises(ValueError, match="normalize must be"):
        c.distribution(normalize="log")


def test_a_distribution_beyond_dense_cells_is_sparse_with_the_same_values(monkeypatch):
    """Periods x terms grows with what a user can grow (days, vocabulary): beyond
    ``DENSE_CELLS`` the values are a CSR matrix holding the counts that occur, equal
    cell for cell to the dense result (here forced on a small corpus)."""
    import scipy.sparse as sp

    from framescope import discovery

    c = fs.Corpus.from_texts(["BRICS BRICS sanctions", "sanctions", "BRICS", "the West"],
                             dates=["2022-01-01", "2024-01-01", None, "2024-05-01"])
    ways = [dict(terms=["BRICS", "sanctions", "nothing"]), dict(min_count=1)]
    dense = {(k, n): c.distribution(**w, normalize=n)
             for k, w in enumerate(ways) for n in (None, "per_10k", "share")}
    monkeypatch.setattr(discovery, "DENSE_CELLS", 0)
    for (k, n), want in dense.items():
        got = c.distribution(**ways[k], normalize=n)
        assert sp.issparse(got.values) and got.values.shape == want.values.shape
        # Cells the dense form leaves undefined (no tokens, or a term never seen) are
        # not stored in the sparse one.
        assert np.array_equal(got.values.toarray(), np.nan_to_num(want.values, nan=0.0))
        assert got.terms == want.terms and got.periods == want.periods
        table = got.to_pandas()
        assert list(table.columns[:2]) == ["docs", "tokens"]
        assert np.array_equal(table.iloc[:, 2:].sparse.to_dense().to_numpy(),
                              np.nan_to_num(want.values, nan=0.0))
        assert "Distribution" in got._repr_html_()
    assert dense[(0, None)].values.tolist() == [[2, 1, 0], [0, 0, 0], [0, 1, 0], [1, 0, 0]]


@pytest.mark.seed
def test_results_do_not_depend_on_threads():
    seed = fs.read(SEED_DIR).dedup()
    fs.set_num_threads(1)
    try:
        one = (fs.keyness(seed, "2024-"), seed.collocations(min_count=2))
    finally:
        fs.set_num_threads(0)
    two = (fs.keyness(seed, "2024-"), seed.collocations(min_count=2))
    for a, b in zip(one, two, strict=True):
        assert a.equals(b)
    assert one[0]["G2"].notna().all() and len(one[1]) > 50


def test_emerging_ratio_scores_follow_the_formula_on_a_hand_counted_table():
    # "sanctions" per year: 2020: 1 of 4 bigram-free tokens, 2021: 0, 2022: 6, 2023: 6.
    # ratio score of a period = log2(rate / mean rate of the previous `window` periods),
    # rate = (count + 0.5) / (tokens + 1); kept where count >= min_count.
    texts = ["sanctions a b c", "x y z w", "sanctions " * 6 + "q", "sanctions " * 6 + "r s"]
    dates = ["2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01"]
    c = fs.Corpus.from_texts(texts, dates=dates)
    e = c.emerging(size=1, method="ratio", min_count=5, window=2, stop_words=None, top=None)
    got = e[e["term"] == "sanctions"].set_index("start")["score"]
    tokens = {2020: 4, 2021: 4, 2022: 7, 2023: 8}
    count = {2020: 1, 2021: 0, 2022: 6, 2023: 6}
    rate = {y: (count[y] + 0.5) / (tokens[y] + 1) for y in tokens}
    want = {"2022": math.log2(rate[2022] / ((rate[2020] + rate[2021]) / 2)),
            "2023": math.log2(rate[2023] / ((rate[2021] + rate[2022]) / 2))}
    assert set(got.index) == set(want)
    for year, score in want.items():
        assert got[year] == pytest.approx(score, rel=1e-12)
    # Bursts: counted from the sparse table, the count and rate inside the burst
    # (40 tokens a year; "sanctions" 1, 0, 6, 6 times).
    filler = lambda k: " ".join(f"w{i}" for i in range(k))  # noqa: E731
    texts = ["sanctions " + filler(39), filler(40), "sanctions " * 6 + filler(34),
             "sanctions " * 6 + filler(34)]
    b = fs.Corpus.from_texts(texts, dates=dates).emerging(size=1, min_count=5, stop_words=None,
                                                           top=None)
    row = b[b["term"] == "sanctions"].iloc[0]
    assert (row["start"], row["end"], row["count"]) == ("2022", "2023", 12)
    assert row["per_10k"] == pytest.approx(1e4 * 12 / 80)
