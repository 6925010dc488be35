"""fs.CountVectorizer / fs.TfidfVectorizer as scikit-learn estimators: API, errors, threads."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.feature_extraction import text as sk
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline

import framescope as fs

from corpora import generated_corpus

DOCS = ["The collective West and sanctions", "Global Majority and BRICS", "the West, the West"]


def test_get_set_params_and_clone():
    v = fs.TfidfVectorizer(ngram_range=(1, 2), min_df=2)
    params = v.get_params()
    assert params["ngram_range"] == (1, 2) and params["min_df"] == 2 and params["norm"] == "l2"
    assert set(params) == set(sk.TfidfVectorizer().get_params())
    v.set_params(norm="l1")
    assert clone(v).get_params()["norm"] == "l1"


def test_pipeline_matches_sklearn_pipeline():
    docs = generated_corpus(300, seed=11)
    y = np.array([("West" in d) or ("BRICS" in d) for d in docs], dtype=int)
    ours = Pipeline([("tfidf", fs.TfidfVectorizer(min_df=2)), ("clf", LogisticRegression(max_iter=500))])
    theirs = Pipeline([("tfidf", sk.TfidfVectorizer(min_df=2)), ("clf", LogisticRegression(max_iter=500))])
    s1 = cross_val_score(ours, docs, y, cv=3)
    s2 = cross_val_score(theirs, docs, y, cv=3)
    np.testing.assert_allclose(s1, s2, atol=1e-12)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize("cls", [fs.CountVectorizer, fs.TfidfVectorizer])
def test_pickle_fitted_every_protocol(cls, protocol):
    v = cls(ngram_range=(1, 2)).fit(DOCS)
    v2 = pickle.loads(pickle.dumps(v, protocol=protocol))
    assert (v.transform(DOCS) != v2.transform(DOCS)).nnz == 0
    assert list(v2.get_feature_names_out()) == list(v.get_feature_names_out())


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_core_objects_pickle(protocol):
    from framescope import _core

    a = _core.WordAnalyzer(True, "unicode", r"(?u)\b\w\w+\b", ["the"], (1, 2))
    a2 = pickle.loads(pickle.dumps(a, protocol=protocol))
    assert a2.analyze("The Café West") == a.analyze("The Café West") == ["cafe", "west", "cafe west"]
    voc = pickle.loads(pickle.dumps(_core.Vocabulary(["b", "a"]), protocol=protocol))
    assert voc.terms() == ["b", "a"]
    spec = pickle.loads(pickle.dumps(_core.TokenizerSpec(hashtags="drop"), protocol=protocol))
    assert spec.tokenize("#BRICS West") == ["west"]


def test_fixed_vocabulary_and_transform_without_fit():
    v = fs.CountVectorizer(vocabulary={"west": 0, "brics": 1})
    X = v.transform(DOCS)
    assert X.toarray().tolist() == [[1, 0], [0, 1], [2, 0]]
    with pytest.warns(UserWarning, match="Upper case characters found in vocabulary"):
        fs.CountVectorizer(vocabulary=["West"]).fit(DOCS)


def test_inverse_transform_and_analyzer():
    v = fs.CountVectorizer().fit(DOCS)
    inv = v.inverse_transform(v.transform(["the West and BRICS"]))
    assert sorted(inv[0]) == ["and", "brics", "the", "west"]
    assert v.build_analyzer()("The West’s") == ["the", "west"]


@pytest.mark.parametrize(
    "params,exc,msg",
    [
        ({"ngram_range": (2, 1)}, ValueError, "lower boundary larger than the upper boundary"),
        ({"min_df": 3, "max_df": 1}, ValueError, "max_df corresponds to < documents than min_df"),
        ({"min_df": 3}, ValueError, "After pruning, no terms remain"),
        ({"min_df": -1}, ValueError, "The 'min_df' parameter must be"),
        ({"max_features": 0}, ValueError, "The 'max_features' parameter must be"),
        ({"analyzer": "char"}, ValueError, "analyzer='char' is not supported"),
        ({"tokenizer": str.split}, ValueError, "a callable tokenizer is not supported"),
        ({"input": "filename"}, ValueError, "input='filename' is not supported"),
        ({"token_pattern": "(a)(b)"}, ValueError, "More than 1 capturing group"),
        ({"token_pattern": "("}, ValueError, "invalid token_pattern"),
        ({"vocabulary": ["a", "a"]}, ValueError, "Duplicate term in vocabulary: 'a'"),
        ({"vocabulary": {"a": 0, "b": 2}}, ValueError, "Vocabulary of size 2 doesn't contain index 1."),
        ({"vocabulary": []}, ValueError, "empty vocabulary passed to fit"),
        ({"stop_words": "klingon"}, ValueError, "not a built-in stop list: klingon"),
    ],
)
def test_parameter_errors(params, exc, msg):
    with pytest.raises(exc, match=msg):
        fs.CountVectorizer(**params).fit(DOCS)


def test_document_errors_name_the_position():
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        fs.TfidfVectorizer().fit("one string")
    with pytest.raises(TypeError, match="document 2 is None; expected str"):
        fs.TfidfVectorizer().fit(["a bb", "cc dd", None])
    with pytest.raises(TypeError, match="document 1 has type float; expected str"):
        fs.CountVectorizer().fit(["a bb", float("nan")])
    with pytest.raises(ValueError, match="document 1: bytes are not valid UTF-8 at byte 2"):
        fs.CountVectorizer().fit(["a bb", b"ab\xff"])
    with pytest.raises(fs.EmptyVocabularyError, match="empty vocabulary; perhaps the documents only contain stop words"):
        fs.CountVectorizer().fit(["a", "", "I"])
    assert issubclass(fs.EmptyVocabularyError, ValueError)  # as scikit-learn raises it
    # bytes are decoded as UTF-8, as scikit-learn does
    X = fs.CountVectorizer().fit_transform([b"west west", "west"])
    assert X.toarray().tolist() == [[2], [1]]
    # empty documents give empty rows
    X = fs.CountVectorizer().fit_transform(["", "west", ""])
    assert X.getnnz(axis=1).tolist() == [0, 1, 0]


def test_fit_over_many_batches_equals_one_batch_and_names_late_errors():
    # Fitting converts documents in 16 MB batches while earlier ones are counted:
    # 57 MB of English and Russian text spans four batches.
    block = "Collective West and the Global Majority; коллективный Запад и мировое большинство. " * 50
    docs = [f"{block} doc{i}" for i in range(9_600)]
    many = fs.CountVectorizer().fit(docs)
    X = fs.CountVectorizer().fit_transform(docs)
    assert X.shape == (9_600, len(many.vocabulary_))
    assert X[:, many.vocabulary_["запад"]].sum() == 9_600 * 50
    assert X[:, many.vocabulary_["doc9599"]].toarray()[-1, 0] == 1
    # A generator works too, and gives the same matrix.
    Y = fs.CountVectorizer().fit_transform(d for d in docs)
    assert (X != Y).nnz == 0
    # An error after the first batches still names its document.
    with pytest.raises(TypeError, match="document 9600 is None; expected str"):
        fs.CountVectorizer().fit(docs + [None])


def test_transform_before_fit_raises():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        fs.CountVectorizer().transform(DOCS)


def test_bit_identical_for_any_thread_count():
    docs = generated_corpus(6000, seed=5, max_len=80)
    outs = []
    try:
        for n in (1, 2, 3, 8):
            fs.set_num_threads(n)
            v = fs.TfidfVectorizer(ngram_range=(1, 3), min_df=2, sublinear_tf=True)
            X = v.fit_transform(docs)
            outs.append((list(v.get_feature_names_out()), X))
    finally:
        fs.set_num_threads(0)
    names0, X0 = outs[0]
    for names, X in outs[1:]:
        assert names == names0
        assert np.array_equal(X.indptr, X0.indptr) and np.array_equal(X.indices, X0.indices)
        assert np.array_equal(X.data, X0.data)  # bit-identical, not approximately equal


def test_unigram_fit_with_one_thread():
    # Unigram fits count on the pool while the calling thread converts documents;
    # with a pool of one thread the wait must not take that thread (it deadlocked).
    docs = generated_corpus(3000, seed=9, max_len=80)
    want = sk.CountVectorizer().fit_transform(docs)
    try:
        for n in (1, 2):
            fs.set_num_threads(n)
            got = fs.CountVectorizer().fit_transform(docs)
            assert (got != want).nnz == 0, f"{n} threads"
    finally:
        fs.set_num_threads(0)


def test_learned_terms_stay_in_rust_until_asked_for():
    from framescope import _core

    for ngram, want in [((1, 1), ["east", "west"]),
                        ((1, 2), ["east", "east west", "west", "west east", "west west"])]:
        analyzer = fs.CountVectorizer(ngram_range=ngram)._analyzer_core()
        terms = _core.count_fit_docs(["west west east", "east west"], analyzer).terms()
        assert len(terms) == len(want) and terms.to_list() == want
        assert _core.Vocabulary.from_terms(terms).terms() == want
    # A fitted vectorizer hands out, pickles and transforms with them as scikit-learn's.
    v = fs.CountVectorizer().fit(["west west east", "east"])
    w = pickle.loads(pickle.dumps(v))
    assert v.transform(["east west"]).toarray().tolist() == [[1, 1]]
    assert v.vocabulary_ == w.vocabulary_ == {"east": 0, "west": 1}


def test_count_matrix_is_laid_out_once():
    from framescope import _core

    counts = _core.count_fit_docs(["west west east", "east"], fs.CountVectorizer()._analyzer_core())
    assert counts.terms().to_list() == ["east", "west"] and len(counts.terms()) == 2
    m = counts.csr("int64", False)
    data, indices, indptr = m["data"], m["indices"], m["indptr"]
    assert indices.dtype == np.int32 and indices.tolist() == [0, 1, 0]
    assert data.tolist() == [1, 2, 1] and indptr.tolist() == [0, 2, 3]
    for again in (counts.doc_freq, lambda: counts.csr("int64", False),
                  lambda: counts.tfidf(None, "l2", False, False, "float64")):
        with pytest.raises(ValueError, match="cannot be used again"):
            again()


def test_names_made_while_the_matrix_is_laid_out():
    from framescope import _core

    docs = ["west west east", "east", "Запад и восток", "multipolar world west"]
    # The core hands the terms back as str with the arrays when asked, for counts and TF-IDF.
    for lay in (lambda c: c.csr("int64", False, names=True),
                lambda c: c.tfidf(None, "l2", False, False, "float64", names=True)):
        counts = _core.count_fit_docs(docs, fs.CountVectorizer(ngram_range=(1, 2))._analyzer_core())
        want = counts.terms().to_list()
        m = lay(counts)
        assert m["names"].dtype == object and m["names"].tolist() == want
        assert m["indptr"].tolist()[-1] == len(m["indices"])
    assert "names" not in _core.count_fit_docs(docs, fs.CountVectorizer()._analyzer_core()).csr(
        "int64", False)
    # Pruned, fixed and refitted vocabularies name the columns as scikit-learn's do, and
    # the array handed out is the caller's to change.
    for make in (lambda m: m.TfidfVectorizer(min_df=2), lambda m: m.CountVectorizer(max_features=3),
                 lambda m: m.CountVectorizer(vocabulary=["west", "world", "и"]),
                 lambda m: m.TfidfVectorizer(ngram_range=(1, 2))):
        ours, theirs = make(fs), make(sk)
        X, Y = ours.fit_transform(docs), theirs.fit_transform(docs)
        assert abs(X - Y).max() < 1e-12 if X.nnz else Y.nnz == 0
        names = ours.get_feature_names_out()
        assert names.tolist() == theirs.get_feature_names_out().tolist()
        names[0] = "changed"
        assert ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
        assert ours.vocabulary_ == theirs.vocabulary_
        ours.fit(["a new vocabulary entirely", "new words"])
        theirs.fit(["a new vocabulary entirely", "new words"])
        if not ours.fixed_vocabulary_:
            assert ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    # One thread: the core lays out on it while the calling thread makes the names (n-gram
    # terms are written out by the core first, queued behind the layout): no deadlock.
    fs.set_num_threads(1)
    try:
        ours = fs.TfidfVectorizer(ngram_range=(1, 2))
        ours.fit_transform(docs * 50)
        want = sk.TfidfVectorizer(ngram_range=(1, 2)).fit(docs).get_feature_names_out().tolist()
        assert ours.get_feature_names_out().tolist() == want
    finally:
        fs.set_num_threads(0)


@pytest.mark.parametrize("make", [
    lambda m: m.TfidfVectorizer(min_df=2, max_df=0.9, max_features=40),
    lambda m: m.TfidfVectorizer(max_features=25, dtype=np.float32, smooth_idf=False),
    lambda m: m.CountVectorizer(binary=True, max_features=30, ngram_range=(1, 2)),
])
def test_fit_from_batch_stats_equals_sklearn_fit_on_all(make):
    """term_stats per batch, merged, then fit_stats: scikit-learn's vocabulary and idf_ exactly."""
    texts = generated_corpus(300, seed=7)
    ours = make(fs)
    parts = [ours.term_stats(texts[i:i + 70]) for i in range(0, len(texts), 70)]
    ours.fit_stats(fs.TermStats.merge(parts))
    theirs = make(sk).fit(texts)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    if hasattr(theirs, "idf_"):
        assert ours.idf_.dtype == theirs.idf_.dtype
        assert np.array_equal(ours.idf_, theirs.idf_)
    a, b = ours.transform(texts), theirs.transform(texts)
    assert a.dtype == b.dtype and np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.allclose(a.data, b.data, rtol=1e-6, atol=0)  # row norms summed in another order


def test_fit_stats_errors():
    v = fs.CountVectorizer(min_df=2)
    with pytest.raises(fs.EmptyVocabularyError):
        v.fit_stats(fs.TermStats.merge([v.term_stats(["", " "])]))
    with pytest.raises(ValueError, match="After pruning, no terms remain"):
        v.fit_stats(fs.TermStats.merge([v.term_stats(["a west", "an east"])]))
    with pytest.raises(ValueError, match="The 'max_df' parameter must be"):
        fs.CountVectorizer(max_df=0).term_stats(["west"])


@pytest.mark.parametrize("kind", ["str", "string[pyarrow]", "arrow_large", "pa_array", "pa_chunked"])
def test_documents_stored_in_arrow_are_read_in_place_with_sklearn_results(kind):
    """A pandas Series of pandas 3's str dtype (or a pyarrow string array) is counted from
    Arrow's buffers, with no str made per document: the same matrices and vocabulary as
    scikit-learn's on the same Series, for fit, transform, n-grams and batch stats."""
    import pandas as pd
    import pyarrow as pa

    docs = generated_corpus(600, seed=11) + ["", "Ёлка ΣΟΦΙΑ straße — “West”", "e\u0301 Ⅻ ½"]
    if kind == "pa_array":
        given = pa.array(docs, pa.large_string())
    elif kind == "pa_chunked":
        given = pa.chunked_array([docs[:100], docs[100:]], pa.string())
    else:
        dtype = pd.ArrowDtype(pa.large_string()) if kind == "arrow_large" else kind
        given = pd.Series(docs, dtype=dtype).iloc[1:]  # a slice: offsets from its own row
        docs = docs[1:]
    for ours, theirs in ((fs.TfidfVectorizer(), sk.TfidfVectorizer()),
                         (fs.CountVectorizer(ngram_range=(1, 2), min_df=2),
                          sk.CountVectorizer(ngram_range=(1, 2), min_df=2))):
        got, want = ours.fit_transform(given), theirs.fit_transform(docs)
        assert (ours.get_feature_names_out() == theirs.get_feature_names_out()).all()
        assert abs(got - want).max() < 1e-12 and got.nnz == want.nnz
        assert abs(ours.transform(given) - theirs.transform(docs)).max() < 1e-12
    stats = fs.CountVectorizer().term_stats(given)
    assert stats.n_docs == len(docs)
    assert (stats.terms == fs.CountVectorizer().term_stats(list(docs)).terms).all()


def test_arrow_documents_errors_name_the_document():
    import pandas as pd
    import pyarrow as pa

    with pytest.raises(TypeError, match="document 2 is null; expected str"):
        fs.TfidfVectorizer().fit_transform(pd.Series(["a b", "c d", None], dtype="str"))
    bad = pa.Array.from_buffers(pa.large_string(), 2, [None, pa.py_buffer(np.array([0, 2, 4], np.int64)),
                                                        pa.py_buffer(b"ab\xff\xfe")])
    with pytest.raises(ValueError, match="document 1: not valid UTF-8"):
        fs.CountVectorizer().fit_transform(bad)
    # A tuple of documents is documents, not buffers.
    assert fs.CountVectorizer().fit_transform(("the West", "the East")).shape == (2, 3)
