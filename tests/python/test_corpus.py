"""Corpus: construction, tokens (English and Russian), term frequencies, errors, pickling."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pandas as pd
import pytest

import framescope as fs


def test_from_texts_roundtrip_and_to_pandas():
    c = fs.Corpus.from_texts(
        ["The collective West’s sanctions.", "", "Многополярный мир"],
        dates=["2023-04-29", dt.date(2022, 1, 5), None],
        ids=["a", "b", "c"],
        meta={"lang": ["en", "en", "ru"]},
        sources=["f.txt:1", "f.txt:2", "g.txt:1"],
    )
    df = c.to_pandas()
    assert list(df.columns) == ["id", "date", "date_source", "source", "n_tokens", "lang"]
    assert df["id"].tolist() == ["a", "b", "c"]
    assert df["date"].tolist()[:2] == [pd.Timestamp("2023-04-29"), pd.Timestamp("2022-01-05")]
    assert pd.isna(df["date"].iloc[2])
    assert df["date_source"].tolist() == ["metadata", "metadata", "none"]
    assert df["n_tokens"].tolist() == [4, 0, 2]  # empty text: an empty row, not an error
    assert df["source"].tolist() == ["f.txt:1", "f.txt:2", "g.txt:1"]
    d = c[2]
    assert (d.id, d.text, d.date, d.meta) == ("c", "Многополярный мир", None, {"lang": "ru"})


def test_from_pandas_uses_columns_and_keeps_meta():
    df = pd.DataFrame({
        "body": ["Global Majority", "rules-based order"],
        "published": pd.to_datetime(["2023-01-01", "2019-06-30"]),
        "channel": ["mfa", "tass"],
        "key": [10, 11],
    })
    c = fs.Corpus.from_pandas(df, text="body", date="published", id="key")
    out = c.to_pandas()
    assert out["id"].tolist() == ["10", "11"]
    assert out["channel"].tolist() == ["mfa", "tass"]
    assert out["date"].dt.year.tolist() == [2023, 2019]
    with pytest.raises(ValueError, match=r"text column 'text' not found; available columns: \['body'"):
        fs.Corpus.from_pandas(df)
    # the default "date" column may be absent: documents are undated
    assert fs.Corpus.from_pandas(df[["body"]], text="body").to_pandas()["date_source"].tolist() == ["none", "none"]


def test_english_tokens_fixture():
    c = fs.Corpus.from_texts([
        "📍Moscow, December 28, 2023: the collective West’s “rules-based order” — #BRICS, "
        "#UNCharterIsOurRules https://t.me/MFARussia/1 Сooperation U.S. don't"
    ])
    assert c.tokens(0) == [
        "moscow", "december", "28", "2023", "the", "collective", "west", "rules", "based", "order",
        "brics", "uncharterisourrules", "cooperation", "u.s", "don't",
    ]
    joined = c.with_tokenizer(hyphens="join", numbers=False, hashtags="keep", mixed_script=False)
    assert joined.tokens(0) == [
        "moscow", "december", "the", "collective", "west", "rules-based", "order", "#brics",
        "#uncharterisourrules", "сooperation", "u.s", "don't",
    ]


def test_russian_tokens_and_stems_fixture():
    c = fs.Corpus.from_texts([
        "Позиция коллективного Запада, коллективному Западу и коллективный Запад; "
        "мирового большинства, Мировое большинство. Ещё «многополярного мира»!"
    ])
    assert c.tokens(0) == [
        "позиция", "коллективного", "запада", "коллективному", "западу", "и", "коллективный",
        "запад", "мирового", "большинства", "мировое", "большинство", "еще", "многополярного", "мира",
    ]
    tf = c.term_frequencies(stem="russian", stop_words="russian")
    counts = dict(zip(tf["term"], tf["count"], strict=True))
    assert counts["коллективн"] == 3
    assert counts["запад"] == 3
    assert counts["миров"] == 2
    assert counts["большинств"] == 2
    assert "и" not in counts and "еще" not in counts
    bigrams = c.term_frequencies(stem="russian", stop_words="russian", ngram=2)
    assert dict(zip(bigrams["term"], bigrams["count"], strict=True))["коллективн запад"] == 3


def test_term_frequencies_exact_counts():
    c = fs.Corpus.from_texts(["the West, the West", "West of the world", ""])
    tf = c.term_frequencies()
    assert tf.to_dict("list") == {
        "term": ["the", "west", "of", "world"],
        "count": [3, 3, 1, 1],
        "doc_freq": [2, 2, 1, 1],
    }
    assert c.term_frequencies(top=1)["term"].tolist() == ["the"]
    assert c.term_frequencies(ngram=(1, 2), min_count=2)["term"].tolist() == ["the", "west", "the west"]
    assert c.term_frequencies(stop_words=["the", "of"])["term"].tolist() == ["west", "world"]
    # scikit-learn's pruning: int = documents, float = proportion of the 3 documents
    assert c.term_frequencies(min_df=2)["term"].tolist() == ["the", "west"]
    assert c.term_frequencies(max_df=1)["term"].tolist() == ["of", "world"]
    assert c.term_frequencies(min_df=0.5)["term"].tolist() == ["the", "west"]
    assert c.term_frequencies(max_features=3)["term"].tolist() == ["the", "west", "of"]
    with pytest.raises(ValueError, match="max_df corresponds to < documents than min_df"):
        c.term_frequencies(min_df=2, max_df=1)
    with pytest.raises(ValueError, match="The .min_df. parameter must be"):
        c.term_frequencies(min_df=1.5)


def test_seed_texts_term_frequencies(seed_texts):
    c = fs.Corpus.from_texts(seed_texts)
    tf = c.term_frequencies(stop_words="english")
    # Independent count of one frequent word with a regex over the same tokens' surface forms.
    import re

    expected = sum(len(re.findall(r"(?<![\w’'])russia(?:[’']s)?(?![\w])", t.lower())) for t in seed_texts)
    assert dict(zip(tf["term"], tf["count"], strict=True))["russia"] == expected
    assert int(c.n_tokens.sum()) == int(tf["count"].sum()) + int(
        sum(c.term_frequencies().set_index("term").loc[list(set(fs.stop_words("english")) & set(c.term_frequencies()["term"])), "count"])
    )


@pytest.mark.parametrize(
    "texts,kwargs,exc,msg",
    [
        (["ok", None], {}, TypeError, "text 1 is None; expected str"),
        (["ok", 3], {}, TypeError, "text 1 has type int; expected str"),
        (["ok", b"bytes"], {}, TypeError, "text 1 has type bytes; expected str"),
        (["a", "b"], {"dates": ["2020-01-01"]}, ValueError, "dates has 1 items but there are 2 texts"),
        (["a", "b"], {"ids": ["x"]}, ValueError, "ids has 1 items but there are 2 texts"),
        (["a", "b"], {"ids": ["x", "x"]}, ValueError, 'ids: "x" at position 1 is a duplicate'),
        (["a", "b"], {"dates": ["2020-01-01", "not a date"]}, ValueError, 'dates: the value at position 1: "not a date" is not a date'),
        (["a", "b"], {"meta": {"lang": ["en"]}}, ValueError, "meta has 1 rows but there are 2 texts"),
        ("just one string", {}, TypeError, "not a single str"),
    ],
)
def test_bad_input_names_the_position(texts, kwargs, exc, msg):
    with pytest.raises(exc, match=msg.replace("(", r"\(").replace(")", r"\)")):
        fs.Corpus.from_texts(texts, **kwargs)


def test_argument_errors():
    c = fs.Corpus.from_texts(["a b c"])
    with pytest.raises(ValueError, match="ngram must be within 1..=5"):
        c.term_frequencies(ngram=6)
    with pytest.raises(ValueError, match='no Snowball stemmer for "elvish"; choose one of: auto, arabic'):
        c.term_frequencies(stem="elvish")
    with pytest.raises(ValueError, match='no stop-word list for "klingon"; available: arabic'):
        c.term_frequencies(stop_words="klingon")
    with pytest.raises(ValueError, match="hyphens must be 'split' or 'join'"):
        c.with_tokenizer(hyphens="maybe")
    with pytest.raises(IndexError, match="document 5 out of range for 1 documents"):
        c[5]


def test_subsets_masks_and_slices():
    c = fs.Corpus.from_texts([f"doc {i}" for i in range(6)], meta={"k": list(range(6))})
    assert c[1:3].ids == ["1", "2"]
    assert c[np.array([True, False] * 3)].ids == ["0", "2", "4"]
    assert c[[5, 0]].meta["k"].tolist() == [5, 0]
    assert c[-1].text == "doc 5"
    with pytest.raises(IndexError, match="boolean mask has 2 values for 6 documents"):
        c[np.array([True, False])]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_every_protocol(protocol):
    c = fs.Corpus.from_texts(["The West", "Запад"], dates=["2020-01-01", None], meta={"k": [1, 2]})
    c = c.with_tokenizer(hyphens="join")
    c2 = pickle.loads(pickle.dumps(c, protocol=protocol))
    pd.testing.assert_frame_equal(c.to_pandas(), c2.to_pandas())
    assert c2.texts == c.texts and c2.tokens(1) == ["запад"]
    assert c2.tokenizer.tokenize("rules-based") == ["rules-based"]


def test_results_identical_for_any_thread_count(unicode_docs):
    c = fs.Corpus.from_texts(unicode_docs * 20)
    results = []
    try:
        for n in (1, 2, 4):
            fs.set_num_threads(n)
            assert fs.get_num_threads() == n
            fresh = fs.Corpus.from_texts(c.texts)  # no tokenization cache shared
            results.append(fresh.term_frequencies(ngram=(1, 3), stem="auto"))
    finally:
        fs.set_num_threads(0)
    for r in results[1:]:
        pd.testing.assert_frame_equal(results[0], r)


def test_dates_of_mixed_types_and_time_zones():
    c = fs.Corpus.from_texts(
        ["a", "b", "c", "d", "e"],
        dates=[dt.date(2020, 1, 2), "2021-03-04", pd.Timestamp("2022-05-06 23:30", tz="Europe/Moscow"),
               None, np.datetime64("2019-12-31")],
    )
    # a time-zone-aware date keeps its local calendar day
    assert c.dates.dt.strftime("%Y-%m-%d").fillna("-").tolist() == [
        "2020-01-02", "2021-03-04", "2022-05-06", "-", "2019-12-31"]
    assert c.to_pandas()["date_source"].tolist() == ["metadata"] * 3 + ["none", "metadata"]


def test_iteration_and_indexing_give_the_same_documents_without_refetching(monkeypatch):
    import pandas as pd

    df = pd.DataFrame({"text": ["a", "b", "c"], "date": ["2023-01-02", None, "2021-05-06"],
                       "lang": ["en", "ru", None], "n": pd.array([1, None, 3], dtype="Int64")})
    c = fs.Corpus.from_pandas(df)
    by_index = [c[i] for i in range(len(c))]
    assert list(c) == by_index
    assert [d.date for d in c] == [pd.Timestamp("2023-01-02"), None, pd.Timestamp("2021-05-06")]
    assert by_index[0].meta == {"lang": "en", "n": 1} and by_index[1].meta["lang"] == "ru"
    # corpus[i] reads one document, not every id/date/source (iteration was quadratic).
    for name in ("ids", "dates", "sources", "date_sources"):
        monkeypatch.setattr(type(c._core), name, lambda self: (_ for _ in ()).throw(
            AssertionError("fetched every document")), raising=True)
    assert c[2].text == "c" and c[-3].id == by_index[0].id


def test_from_texts_takes_a_list_tuple_or_generator_alike_and_leaves_the_list_as_it_was():
    texts = ["The collective West", "Коллективный Запад", "", "West west"]
    dates = ["2021-03-01", "01.02.2022", None, "2023"]
    given = list(texts)
    a = fs.Corpus.from_texts(given, dates=dates)
    b = fs.Corpus.from_texts(tuple(texts), dates=tuple(dates))
    c = fs.Corpus.from_texts((t for t in texts), dates=iter(dates))
    assert given == texts  # read where it is, not changed
    for other in (b, c):
        assert other.texts == a.texts == texts
        assert [str(d)[:10] for d in other.dates] == [str(d)[:10] for d in a.dates] \
            == ["2021-03-01", "2022-02-01", "NaT", "2023-01-01"]
