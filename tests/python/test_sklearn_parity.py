"""fs.CountVectorizer / fs.TfidfVectorizer give scikit-learn's output exactly.

Same vocabulary in the same order, equal counts, TF-IDF within 1e-12 (float64),
for fit_transform and for transform on unseen documents, on the seed texts and
on generated corpora with hard Unicode.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction import text as sk

import framescope as fs

from corpora import generated_corpus

COUNT_PARAMS = [
    {},
    {"lowercase": False},
    {"ngram_range": (1, 2)},
    {"ngram_range": (2, 2)},
    {"ngram_range": (1, 3)},
    {"ngram_range": (2, 4)},
    {"min_df": 2},
    {"min_df": 0.05},
    {"max_df": 0.5},
    {"max_df": 3},
    {"min_df": 2, "max_df": 0.9},
    {"max_features": 25},
    {"max_features": 7, "ngram_range": (1, 2)},
    {"max_features": 50, "binary": True},
    {"binary": True},
    {"stop_words": "english"},
    {"stop_words": ["the", "of", "and", "запада"], "ngram_range": (1, 2)},
    {"stop_words": "english", "ngram_range": (2, 2), "min_df": 2},
    {"dtype": np.int32},
    {"dtype": np.float64},
    {"dtype": np.float32, "binary": True},
    {"strip_accents": "unicode"},
    {"strip_accents": "ascii", "lowercase": False},
    {"token_pattern": r"(?u)\b\w+\b"},
    {"token_pattern": r"[A-Za-z]+"},
    {"token_pattern": r"#?(\w+)"},
    {"vocabulary": ["west", "majority", "запада", "collective west", "nothing"], "ngram_range": (1, 2)},
    {"vocabulary": {"sanctions": 1, "brics": 0}},
]

TFIDF_PARAMS = [
    {},
    {"norm": "l1"},
    {"norm": None},
    {"use_idf": False},
    {"smooth_idf": False},
    {"sublinear_tf": True},
    {"sublinear_tf": True, "norm": None, "smooth_idf": False},
    {"binary": True, "norm": "l1"},
    {"ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True},
    {"max_features": 40, "stop_words": "english"},
    {"max_df": 0.7, "use_idf": False, "norm": None},
    {"lowercase": False, "ngram_range": (1, 3)},
    {"vocabulary": ["west", "collective", "sanctions", "brics"], "sublinear_tf": True},
    {"strip_accents": "unicode", "binary": True},
]


def _ids(params):
    return [",".join(f"{k}={v}" for k, v in p.items()) or "defaults" for p in params]


@pytest.fixture(scope="module", params=["seed_paragraphs", "seed_files", "unicode"])
def corpus(request):
    # Each parameter asks only for its own corpus (the seed ones skip without ../shared).
    name = {"seed_paragraphs": "seed_paragraphs", "seed_files": "seed_texts",
            "unicode": "unicode_docs"}[request.param]
    return request.getfixturevalue(name), generated_corpus(60, seed=99)


def _assert_same(fs_X, sk_X, exact: bool, tol: float = 1e-12):
    assert isinstance(fs_X, sp.csr_matrix)
    assert fs_X.shape == sk_X.shape
    assert fs_X.dtype == sk_X.dtype
    diff = abs(fs_X - sk_X)
    worst = diff.max() if diff.nnz else 0
    if exact:
        assert worst == 0
    else:
        assert worst <= tol, worst
    # Same sparsity structure: no explicit zeros where scikit-learn has none.
    assert fs_X.nnz == sk_X.nnz


@pytest.mark.parametrize("params", COUNT_PARAMS, ids=_ids(COUNT_PARAMS))
def test_count_vectorizer_parity(params, corpus):
    train, test = corpus
    ours, theirs = fs.CountVectorizer(**params), sk.CountVectorizer(**params)
    A, B = ours.fit_transform(train), theirs.fit_transform(train)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    assert ours.vocabulary_ == theirs.vocabulary_
    _assert_same(A, B, exact=True)
    _assert_same(ours.transform(test), theirs.transform(test), exact=True)
    # fit then transform equals fit_transform
    _assert_same(fs.CountVectorizer(**params).fit(train).transform(train), B, exact=True)


@pytest.mark.parametrize("params", TFIDF_PARAMS, ids=_ids(TFIDF_PARAMS))
def test_tfidf_vectorizer_parity(params, corpus):
    train, test = corpus
    ours, theirs = fs.TfidfVectorizer(**params), sk.TfidfVectorizer(**params)
    A, B = ours.fit_transform(train), theirs.fit_transform(train)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    if ours.use_idf:
        np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=0, atol=1e-12)
    _assert_same(A, B, exact=False)
    _assert_same(ours.transform(test), theirs.transform(test), exact=False)


def test_tfidf_float32_within_float32_rounding(seed_paragraphs):
    ours = fs.TfidfVectorizer(dtype=np.float32).fit_transform(seed_paragraphs)
    theirs = sk.TfidfVectorizer(dtype=np.float32).fit_transform(seed_paragraphs)
    assert ours.dtype == np.float32 and theirs.dtype == np.float32
    assert abs(ours - theirs).max() <= 1e-6


def test_analyzer_matches_sklearn_on_every_document(unicode_docs):
    for params in ({}, {"ngram_range": (1, 3), "stop_words": "english"}, {"lowercase": False}):
        ours = fs.CountVectorizer(**params).build_analyzer()
        theirs = sk.CountVectorizer(**params).build_analyzer()
        for doc in unicode_docs[:200]:
            assert ours(doc) == theirs(doc), doc


def test_english_stop_words_are_sklearns():
    assert frozenset(fs.stop_words("english")) == sk.ENGLISH_STOP_WORDS
    assert fs.CountVectorizer(stop_words="english").get_stop_words() == sk.ENGLISH_STOP_WORDS


def test_large_generated_corpus_parity():
    docs = generated_corpus(5000, seed=3, max_len=120)
    for params in ({"ngram_range": (1, 2), "min_df": 3, "max_df": 0.95}, {"max_features": 100}):
        A = fs.TfidfVectorizer(**params).fit_transform(docs)
        B = sk.TfidfVectorizer(**params).fit_transform(docs)
        _assert_same(A, B, exact=False)
