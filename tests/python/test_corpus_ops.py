"""Corpus operations a researcher reaches for: by id, concat, text in to_pandas, reprs."""

import numpy as np
import pandas as pd
import pytest

import framescope as fs


def two():
    a = fs.Corpus.from_texts(["the collective West again", "Global Majority"],
                             dates=["2023-04-29", None], ids=["m1", "m2"],
                             meta={"outlet": ["MFA", "MFA"], "views": [10, 20]})
    b = fs.Corpus.from_texts(["the collective West", "коллективный Запад"],
                             dates=["2024-01-05", "2024-02-01"], ids=["t1", "m1"],
                             meta={"outlet": ["TASS", "TASS"], "lang": ["en", "ru"]})
    return a, b


def test_documents_by_id_and_loc():
    a, _ = two()
    assert a["m2"].text == "Global Majority"
    with pytest.raises(KeyError, match="no document has id 'nope'"):
        a["nope"]
    sub = a.loc[["m2", "m1"]]
    assert sub.ids == ["m2", "m1"] and sub.to_pandas()["views"].tolist() == [20, 10]
    assert a.loc["m1"].meta == {"outlet": "MFA", "views": 10}
    with pytest.raises(KeyError, match=r"1 ids not in the corpus, first: \['x'\]"):
        a.loc[["m1", "x"]]
    assert a.loc[pd.Series(["m1"])].ids == ["m1"]


def test_concat_and_plus_keep_everything_and_rename_clashing_ids():
    a, b = two()
    c = a + b
    assert fs.concat([a, b]).ids == c.ids == ["m1", "m2", "t1", "m1~2"]
    df = c.to_pandas(text=True)
    assert list(df.columns[:3]) == ["id", "text", "date"]
    assert df["text"].tolist() == a.texts + b.texts
    assert df["outlet"].tolist() == ["MFA", "MFA", "TASS", "TASS"]
    assert df["views"].tolist()[:2] == [10, 20] and df["views"].isna().tolist()[2:] == [True, True]
    assert df["lang"].isna().tolist() == [True, True, False, False]
    assert df["date"].isna().tolist() == [False, True, False, False]
    report = c.read_report
    assert report["kind"].tolist() == ["renamed_id"]
    assert "'m1' already used; this document is 'm1~2'" in report["message"].iloc[0]
    # Frame counts of the whole are the parts' counts, in order.
    frames = {"west": ["collective West", "коллективн* запад*"]}
    whole = c.frame_counts(frames)["west"].tolist()
    assert whole == a.frame_counts(frames)["west"].tolist() + b.frame_counts(frames)["west"].tolist()
    assert whole == [1, 0, 1, 1]


def test_concat_refuses_what_it_cannot_join():
    a, b = two()
    with pytest.raises(ValueError, match="tokenized as TokenizerSpec\\(lowercase=False"):
        fs.concat([a, b.with_tokenizer(lowercase=False)])
    with pytest.raises(TypeError, match=r"corpora\[1\] is a list"):
        fs.concat([a, ["text"]])
    with pytest.raises(ValueError, match="at least one corpus"):
        fs.concat([])
    assert fs.concat([a]).ids == a.ids
    assert (a + b.with_tokenizer()).ids  # the default settings given again are the same tokenizer
    assert a.__add__("text") is NotImplemented


def test_tokenizer_specs_compare_by_their_settings():
    assert fs.TokenizerSpec() == fs.TokenizerSpec(lowercase=True)
    assert fs.TokenizerSpec(hyphens="join") != fs.TokenizerSpec()
    assert hash(fs.TokenizerSpec(yo=False)) == hash(fs.TokenizerSpec(yo=False))
    assert repr(fs.TokenizerSpec(numbers=False)).startswith("TokenizerSpec(lowercase=True, hashtags=")


def test_a_document_repr_shows_the_start_of_a_long_text():
    speech = "Уважаемые коллеги!\n\n" + "Коллективный Запад продолжает. " * 7000  # 217,000+ characters
    d = fs.Corpus.from_texts([speech], dates=["2023-02-21"], ids=["speech"])[0]
    r = repr(d)
    assert len(r) < 200
    assert r.startswith("<Document 'speech', 2023-02-21 (metadata), 217,020 characters: "
                        "'Уважаемые коллеги! Коллективный Запад")
    assert r.endswith("…'>")
    short = fs.Corpus.from_texts(["short text"])[0]
    assert repr(short) == "<Document '0', undated (none), 10 characters: 'short text'>"


def test_the_html_repr_shows_ten_documents_only():
    c = fs.Corpus.from_texts([f"document {i} " + "x" * 300 for i in range(50)])
    page = c._repr_html_()
    assert page.count("<tr") == 11  # header and ten rows
    assert "document 9 " in page and "document 10 " not in page


def test_keyness_of_two_corpora_and_measures_as_typed():
    mfa = fs.Corpus.from_texts(["the collective West imposes sanctions", "the collective West again",
                                "sanctions and the collective West"])
    tass = fs.Corpus.from_texts(["the world order", "the world and the order", "the Global Majority"])
    k = fs.keyness(mfa, tass, correction="none")
    # Hand count: "collective" 3 times in the 14 target tokens, never in the 11 reference tokens.
    row = k.set_index("term").loc["collective"]
    assert (row["n_target"], row["n_reference"]) == (3, 0)
    assert k["term"].iloc[0] in {"collective", "west"}
    both = fs.concat([mfa, tass])
    mask = [True] * 3 + [False] * 3
    same = fs.keyness(both, mask, correction="none")
    pd.testing.assert_frame_equal(k, same)
    for typed in ("g2", "G2", "LL", "log-likelihood", "likelihood ratio"):
        pd.testing.assert_frame_equal(fs.keyness(mfa, tass, measure=typed), fs.keyness(mfa, tass))
    chi = fs.keyness(mfa, tass, measure="Chi-Squared")
    assert chi["chi2"].is_monotonic_decreasing
    assert fs.keyness(mfa, tass, measure="logratio")["log_ratio"].is_monotonic_decreasing
    with pytest.raises(ValueError, match=r"measure must be one of \['lr', 'chi2', 'pmi', 'log_ratio', 'log_odds_dirichlet'\]"):
        fs.keyness(mfa, tass, measure="tfidf")
    with pytest.raises(ValueError, match="tokenized as"):
        fs.keyness(mfa, tass.with_tokenizer(yo=False))


def test_term_frequencies_normalized_by_hand():
    c = fs.Corpus.from_texts(["the West and the West", "the world"])  # 7 tokens
    t = c.term_frequencies(stop_words="english", normalize="share").set_index("term")
    assert t["count"].to_dict() == {"west": 2, "world": 1}
    assert t["share"].round(6).to_dict() == {"west": round(2 / 3, 6), "world": round(1 / 3, 6)}
    p = c.term_frequencies(stop_words="english", normalize="per_10k").set_index("term")
    # Per 10,000 tokens of the corpus: stop words count as tokens of the text.
    assert p["per_10k"].round(3).to_dict() == {"west": round(2e4 / 7, 3), "world": round(1e4 / 7, 3)}
    with pytest.raises(ValueError, match="normalize must be None, 'per_10k' or 'share'"):
        c.term_frequencies(normalize="per_1k")


def test_heatmap_scales_and_periods_without_documents():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import colors

    c = fs.Corpus.from_texts(["the collective West " * 50, "the Global Majority", "the collective West"],
                             dates=["2020-01-01", "2022-01-01", "2022-06-01"])
    t = c.term_trends(["collective West", "Global Majority"])
    assert list(t["period"].drop_duplicates()) == ["2020", "2021", "2022"]  # 2021: no documents
    for scale, norm in (("linear", colors.Normalize), ("sqrt", colors.PowerNorm), ("log", colors.LogNorm)):
        ax = fs.plot.heatmap(t, scale=scale)
        image = ax.images[0]
        assert type(image.norm) is norm, scale
        grid = image.get_array()
        assert grid.shape == (2, 3)  # the empty year is a grey column, not dropped
        assert grid.mask[:, 1].all()
        # "Global Majority" has no hit in 2020: a zero, masked (grey) on the log scale only.
        assert bool(grid.mask[1, 0]) == (scale == "log")
        matplotlib.pyplot.close(ax.figure)
    with pytest.raises(ValueError, match="scale must be 'linear', 'sqrt' or 'log'"):
        fs.plot.heatmap(t, scale="cubic")


def test_a_frame_keeps_its_colour_in_every_plot(tmp_path):
    # The CLI plots the tables of frames.select(--frame ...): the same path as below.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.colors import to_hex

    demo = fs.datasets.demo()
    frames = fs.Frames.builtin("ru_foreign_policy")
    names = frames.names
    full = demo.frame_trends(frames)
    colour = {line.get_label(): to_hex(line.get_color()) for line in fs.plot.trends(full).get_lines()}
    # The colour is the palette entry at the frame's position in the dictionary ...
    assert colour == {n: fs.plot.PALETTE[names.index(n) % len(fs.plot.PALETTE)].lower() for n in colour}
    # ... also when frames are left out of a plot, or of the dictionary (select), or read by scan.
    picked = [names[3], names[1]]
    shown = fs.plot.trends(full, frames=picked).get_lines()
    sub = fs.plot.trends(demo.frame_trends(frames.select(picked))).get_lines()
    for lines in (shown, sub):
        assert {ln.get_label(): to_hex(ln.get_color()) for ln in lines} == {n: colour[n] for n in picked}
    assert demo.frame_trends(frames.select(picked)).positions == {names[3]: 3, names[1]: 1}
    path = tmp_path / "demo.jsonl"
    path.write_text(demo.to_pandas(text=True)[["text", "date"]].to_json(orient="records", lines=True,
                                                                         date_format="iso"))
    scanned = fs.scan(path, frames.select(picked), terms=False, clean=False).trends
    assert scanned.positions == {names[3]: 3, names[1]: 1}
    import matplotlib.pyplot as plt

    plt.close("all")


def test_trend_plots_show_gaps_and_flag_thin_periods():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # 2020: 3 documents; 2021: none (a gap); 2022: 1 document (thin with min_docs=2).
    c = fs.Corpus.from_texts(["the collective West"] * 3 + ["collective West"],
                             dates=["2020-01-01", "2020-02-01", "2020-03-01", "2022-01-01"])
    t = c.term_trends(["collective West"])
    ax = fs.plot.trends(t, min_docs=2)
    line = ax.get_lines()[0]
    assert np.isnan(line.get_ydata()[1])  # the empty year breaks the line
    hollow = [ln for ln in ax.get_lines() if ln.get_markerfacecolor() == "white"]
    assert len(hollow) == 1 and list(hollow[0].get_ydata()) == [t["per_10k"].iloc[2]]
    note = ax.texts[0].get_text()
    assert "1 period without documents (gaps)" in note
    assert "1 period with fewer than 2 documents (hollow, no band)" in note
    plt.close("all")
    with pytest.raises(ValueError, match="min_docs must be a positive int"):
        fs.plot.trends(t, min_docs=0)
