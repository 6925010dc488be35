"""scikit-learn compatible vectorizers backed by the Rust core.

``CountVectorizer`` and ``TfidfVectorizer`` take scikit-learn's parameters and
return the same ``scipy.sparse.csr_matrix`` (same vocabulary order, same
counts, TF-IDF equal to within floating-point rounding, <= 1e-12 in float64).
Tokenizing and counting run in Rust, in parallel, with the GIL released;
vocabulary pruning and idf are computed with numpy exactly as scikit-learn
computes them (one home: :mod:`framescope.vocabulary`), so ``max_features`` ties
break identically and ``idf_`` is bit-identical.

For data that does not fit one process, :meth:`CountVectorizer.term_stats` counts
a batch of documents into mergeable :class:`~framescope.vocabulary.TermStats` and
:meth:`CountVectorizer.fit_stats` fits from their merge, as ``fit`` on all the
documents would (:mod:`framescope.dask` does this per partition).

Not supported (a ``ValueError`` says so): callable ``preprocessor``,
``tokenizer`` or ``analyzer``; ``analyzer="char"``/``"char_wb"``;
``input="file"``/``"filename"``. A custom ``token_pattern`` is compiled by
Rust's ``regex`` crate, whose ``\\w`` also matches combining marks; the
default pattern reproduces Python's ``re`` exactly.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError

from framescope import _core, arrow
from framescope.vocabulary import (
    TermStats,
    check_df_param,
    doc_count_bounds,
    idf,
    is_int,
    kept_columns,
)

__all__ = ["CountVectorizer", "TfidfVectorizer"]

_DEFAULT_PATTERN = r"(?u)\b\w\w+\b"
_FAST_DTYPES = {"int64", "int32", "float64", "float32"}


def _documents(raw_documents):
    """``raw_documents`` as the core takes them: strings stored in Arrow (a pandas
    Series of pandas 3's ``str`` dtype or ``string[pyarrow]``, a pyarrow string array)
    as Arrow's buffers, read in place with no str made per document (a null is an
    error naming it, as ``None`` in a list is); a tuple as a list (the core takes a pair
    of arrays for Arrow's buffers); any other iterable as given."""
    if isinstance(raw_documents, str):
        raise ValueError(
            "Iterable over raw text documents expected, string object received."
        )
    if isinstance(raw_documents, tuple):
        return list(raw_documents)
    stored = None
    if isinstance(raw_documents, pd.Series):
        stored = arrow.pandas_strings(raw_documents)
    elif isinstance(raw_documents, (pa.Array, pa.ChunkedArray)) and (
            pa.types.is_string(raw_documents.type) or pa.types.is_large_string(raw_documents.type)
            or pa.types.is_string_view(raw_documents.type)):
        stored = raw_documents
    if stored is None:
        return raw_documents
    if stored.null_count:
        row = int(np.flatnonzero(stored.is_null().to_numpy(zero_copy_only=False))[0])
        raise TypeError(f"document {row} is null; expected str")
    return arrow.string_buffers(stored, "documents").parts()


class CountVectorizer(TransformerMixin, BaseEstimator):
    """Convert texts to a matrix of token counts, as scikit-learn does, faster.

    Parameters are scikit-learn's ``CountVectorizer`` parameters with the same
    meaning and defaults; see the module docstring for the few not supported.

    Attributes
    ----------
    vocabulary_ : dict
        Term -> column index (built on first access from the learned terms).
    fixed_vocabulary_ : bool
        True when ``vocabulary`` was given.

    Examples
    --------
    >>> import framescope as fs
    >>> v = fs.CountVectorizer()
    >>> X = v.fit_transform(["The collective West", "the Global Majority and the West"])
    >>> list(v.get_feature_names_out())
    ['and', 'collective', 'global', 'majority', 'the', 'west']
    >>> X.toarray().tolist()
    [[0, 1, 0, 0, 1, 1], [1, 0, 1, 1, 2, 1]]
    """


    def __init__(
        self,
        *,
        input="content",
        encoding="utf-8",
        decode_error="strict",
        strip_accents=None,
        lowercase=True,
        preprocessor=None,
        tokenizer=None,
        stop_words=None,
        token_pattern=_DEFAULT_PATTERN,
        ngram_range=(1, 1),
        analyzer="word",
        max_df=1.0,
        min_df=1,
        max_features=None,
        vocabulary=None,
        binary=False,
        dtype=np.int64,
    ):
        self.input = input
        self.encoding = encoding
        self.decode_error = decode_error
        self.strip_accents = strip_accents
        self.lowercase = lowercase
        self.preprocessor = preprocessor
        self.tokenizer = tokenizer
        self.stop_words = stop_words
        self.token_pattern = token_pattern
        self.ngram_range = ngram_range
        self.analyzer = analyzer
        self.max_df = max_df
        self.min_df = min_df
        self.max_features = max_features
        self.vocabulary = vocabulary
        self.binary = binary
        self.dtype = dtype

    # ----------------------------------------------------------- validation
    def _validate_fs_params(self):
        if self.input != "content":
            raise ValueError(
                f"input={self.input!r} is not supported by framescope; pass the texts "
                "themselves (input='content')"
            )
        for name in ("preprocessor", "tokenizer"):
            if getattr(self, name) is not None:
                raise ValueError(
                    f"a callable {name} is not supported by framescope (it would run "
                    "Python per document); use scikit-learn's vectorizer for that"
                )
        if self.analyzer != "word":
            raise ValueError(
                f"analyzer={self.analyzer!r} is not supported by framescope; only 'word'"
            )
        if self.strip_accents not in (None, "ascii", "unicode"):
            raise ValueError(
                "strip_accents must be 'ascii', 'unicode' or None, got "
                f"{self.strip_accents!r}"
            )
        if self.token_pattern is None or not isinstance(self.token_pattern, str):
            raise ValueError("token_pattern must be a str")
        rng = self.ngram_range
        if (
            not isinstance(rng, tuple)
            or len(rng) != 2
            or not all(is_int(x) for x in rng)
        ):
            raise ValueError(f"ngram_range must be a tuple of two ints, got {rng!r}")
        if rng[0] > rng[1] or rng[0] < 1:
            raise ValueError(
                f"Invalid value for ngram_range={rng} lower boundary larger than the "
                "upper boundary."
            )
        check_df_param("max_df", self.max_df)
        check_df_param("min_df", self.min_df)
        mf = self.max_features
        if mf is not None and not (is_int(mf) and mf >= 1):
            raise ValueError(
                "The 'max_features' parameter must be an int in the range [1, inf) or "
                f"None. Got {mf!r} instead."
            )

    def _stop_word_list(self):
        sw = self.stop_words
        if sw is None:
            return None
        if isinstance(sw, str):
            if sw == "english":
                return _core.stop_words("english")
            raise ValueError(f"not a built-in stop list: {sw}")
        return [str(w) for w in sw]

    def get_stop_words(self):
        """The stop words in use (a frozenset), or None."""
        sw = self._stop_word_list()
        return None if sw is None else frozenset(sw)

    def _analyzer_core(self):
        return _core.WordAnalyzer(
            bool(self.lowercase),
            self.strip_accents,
            self.token_pattern,
            self._stop_word_list(),
            tuple(int(x) for x in self.ngram_range),
        )

    def build_analyzer(self):
        """A callable that turns one document into its list of terms (tokens and n-grams)."""
        self._validate_fs_params()
        return self._analyzer_core().analyze

    def _validate_vocabulary(self):
        vocabulary = self.vocabulary
        if vocabulary is None:
            self.fixed_vocabulary_ = False
            return
        if isinstance(vocabulary, set):
            vocabulary = sorted(vocabulary)
        if not isinstance(vocabulary, Mapping):
            vocab = {}
            for i, t in enumerate(vocabulary):
                if vocab.setdefault(t, i) != i:
                    raise ValueError(f"Duplicate term in vocabulary: {t!r}")
            vocabulary = vocab
        else:
            indices = set(vocabulary.values())
            if len(indices) != len(vocabulary):
                raise ValueError("Vocabulary contains repeated indices.")
            for i in range(len(vocabulary)):
                if i not in indices:
                    raise ValueError(
                        f"Vocabulary of size {len(vocabulary)} doesn't contain index {i}."
                    )
        if not vocabulary:
            raise ValueError("empty vocabulary passed to fit")
        self.fixed_vocabulary_ = True
        self.vocabulary_ = dict(vocabulary)

    # The fitted vocabulary is held as the terms in column order (``_terms``): a
    # ``_core.Terms`` after fit (the terms stay in Rust), or a list; ``_names`` caches
    # the object array of str that ``get_feature_names_out`` copies (made by the core
    # while ``fit_transform`` lays out the matrix). The ``vocabulary_`` dict and the
    # Rust lookup table used by ``transform`` are built only when first needed.
    @property
    def vocabulary_(self):
        """Term -> column index."""
        d = self.__dict__.get("_vocab_dict")
        if d is None:
            if self.__dict__.get("_terms") is None:
                raise AttributeError("vocabulary_")
            terms = self._feature_terms()
            d = dict(zip(terms, range(len(terms)), strict=True))
            self._vocab_dict = d
        return d

    @vocabulary_.setter
    def vocabulary_(self, value):
        self._vocab_dict = dict(value)
        self._terms = None
        self._names = None
        self._fs_vocabulary = None

    def _set_terms(self, terms):
        self._terms = terms if isinstance(terms, _core.Terms) else list(terms)
        self._names = None
        self._vocab_dict = None
        self._fs_vocabulary = None

    def _wants_names(self, fitting: bool) -> bool:
        """Whether the core should make the feature names while it lays out the matrix:
        after learning a vocabulary, before anything asked for them."""
        return (fitting and isinstance(self.__dict__.get("_terms"), _core.Terms)
                and self.__dict__.get("_names") is None)

    def __sklearn_is_fitted__(self):
        return (self.__dict__.get("_terms") is not None
                or self.__dict__.get("_vocab_dict") is not None)

    def _check_fitted(self):
        if not self.__sklearn_is_fitted__():
            if self.vocabulary is not None:
                self._validate_vocabulary()
            else:
                raise NotFittedError(
                    f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                    "appropriate arguments before using this estimator."
                )

    def _feature_terms(self):
        """The terms in column order: a list, or an object array of str (not to be changed)."""
        names = self.__dict__.get("_names")
        if names is not None:
            return names
        terms = self.__dict__.get("_terms")
        if terms is None:
            terms = [t for t, _ in sorted(self._vocab_dict.items(), key=lambda kv: kv[1])]
            self._terms = terms
        elif isinstance(terms, _core.Terms):
            terms = self._names = terms.to_array()
        return terms

    def _vocabulary_core(self):
        core = self.__dict__.get("_fs_vocabulary")
        if core is None:
            terms = self.__dict__.get("_terms")
            if isinstance(terms, _core.Terms):
                core = _core.Vocabulary.from_terms(terms)
            else:
                core = _core.Vocabulary(list(self._feature_terms()))
            self._fs_vocabulary = core
        return core

    # ---------------------------------------------------------------- output
    def _dtype_name(self):
        return np.dtype(self.dtype).name

    def _output(self, counts, fitting, doc_freq=None):
        """Turns a core count matrix into this estimator's csr_matrix."""
        name = self._dtype_name()
        # Laid out straight into the arrays numpy gets (counts is spent).
        m = counts.csr(name if name in _FAST_DTYPES else "int64", bool(self.binary),
                       names=self._wants_names(fitting))
        self._names = m.get("names", self.__dict__.get("_names"))
        data, indices, indptr = m["data"], m["indices"], m["indptr"]
        if name not in _FAST_DTYPES:
            data = data.astype(self.dtype)
        return sp.csr_matrix((data, indices, indptr), shape=counts.shape, copy=False)

    # ------------------------------------------------------------------- fit
    def _fit_counts(self, raw_documents):
        """Counts with a learned (and pruned) vocabulary; sets the fitted terms.

        Returns the core count matrix and the document frequency of its columns
        (None with a fixed vocabulary).
        """
        docs = _documents(raw_documents)
        self._validate_fs_params()
        self._validate_vocabulary()
        analyzer = self._analyzer_core()
        if self.fixed_vocabulary_:
            self._warn_upper_case_vocabulary()
            counts = _core.count_transform_docs(docs, analyzer, self._vocabulary_core())
            return counts, None
        counts = _core.count_fit_docs(docs, analyzer)
        n_doc, n_terms = counts.shape
        dfs = counts.doc_freq()
        keep = self._kept_columns(n_doc, dfs, lambda: counts.column_sums(bool(self.binary)))
        if keep is not None:
            counts = counts.select_columns(keep)
            dfs = dfs[keep]
        self._set_terms(counts.terms())
        return counts, dfs

    def _kept_columns(self, n_doc: int, dfs, term_counts):
        low, high = doc_count_bounds(self.min_df, self.max_df, n_doc)
        return kept_columns(dfs, low, high, self.max_features, term_counts)

    def term_stats(self, raw_documents) -> TermStats:
        """Mergeable vocabulary statistics of ``raw_documents`` (one batch or partition).

        With a fixed ``vocabulary`` the terms are its terms, in its order; otherwise the
        batch's own terms, sorted. Merge batches with :meth:`TermStats.merge` and fit
        with :meth:`fit_stats`: the result equals ``fit`` on all the documents.

        >>> import framescope as fs
        >>> v = fs.CountVectorizer(min_df=2)
        >>> parts = [v.term_stats(["the West", "the East"]), v.term_stats(["West"])]
        >>> v.fit_stats(fs.TermStats.merge(parts)).get_feature_names_out().tolist()
        ['the', 'west']
        """
        docs = _documents(raw_documents)
        if not isinstance(docs, (list, tuple)):
            docs = list(docs)
        # Arrow buffers: (offsets, data) chunks, each with one offset more than its documents.
        n_docs = sum(len(o) - 1 for o, _ in docs) if isinstance(docs, tuple) else len(docs)
        self._validate_fs_params()
        self._validate_vocabulary()
        analyzer = self._analyzer_core()
        if self.fixed_vocabulary_:
            counts = _core.count_transform_docs(docs, analyzer, self._vocabulary_core())
            terms = np.array(self._feature_terms(), dtype=object)
        elif n_docs == 0:
            return TermStats.empty()
        else:
            try:
                counts = _core.count_fit_docs(docs, analyzer)
            except _core.EmptyVocabularyError:
                return TermStats.empty(n_docs)
            terms = counts.terms().to_array()
        return TermStats(n_docs, terms, counts.doc_freq(), counts.column_sums(bool(self.binary)))

    def fit_stats(self, stats: TermStats):
        """Fits from merged :class:`TermStats`: the vocabulary pruned by ``min_df``,
        ``max_df`` and ``max_features`` (and, for TF-IDF, ``idf_``) exactly as ``fit``
        on the same documents. Returns the fitted vectorizer."""
        self._validate_fs_params()
        self._validate_vocabulary()
        if not self.fixed_vocabulary_:
            if len(stats.terms) == 0:
                raise _core.EmptyVocabularyError(
                    "empty vocabulary; perhaps the documents only contain stop words")
            stats = stats.select(self._kept_columns(stats.n_docs, stats.doc_freq,
                                                    lambda: stats.counts))
            self._set_terms(stats.terms.tolist())
        self._fit_weights(stats.doc_freq, stats.n_docs)
        return self

    def _fit_weights(self, doc_freq, n_docs: int):
        """Column weights learned from document frequencies: none for counts."""

    def _warn_upper_case_vocabulary(self):
        if self.lowercase:
            for term in self.vocabulary_:
                if any(map(str.isupper, term)):
                    warnings.warn(
                        "Upper case characters found in vocabulary while 'lowercase' is "
                        "True. These entries will not be matched with any documents",
                        stacklevel=3,
                    )
                    break

    def fit(self, raw_documents, y=None):
        """Learn the vocabulary of ``raw_documents`` (an iterable of str)."""
        self.fit_transform(raw_documents)
        return self

    def fit_transform(self, raw_documents, y=None):
        """Learn the vocabulary and return the document-term matrix (csr_matrix).

        >>> import framescope as fs
        >>> vec = fs.CountVectorizer()
        >>> vec.fit_transform(["the collective West", "the West"]).toarray()
        array([[1, 1, 1],
               [0, 1, 1]])
        >>> vec.get_feature_names_out()
        array(['collective', 'the', 'west'], dtype=object)
        >>> vec.transform(["West, West and the East"]).toarray()
        array([[0, 1, 2]])
        """
        counts, dfs = self._fit_counts(raw_documents)
        return self._output(counts, fitting=True, doc_freq=dfs)

    def _transform_counts(self, raw_documents):
        docs = _documents(raw_documents)
        self._validate_fs_params()
        self._check_fitted()
        return _core.count_transform_docs(docs, self._analyzer_core(), self._vocabulary_core())

    def transform(self, raw_documents):
        """Document-term matrix of ``raw_documents`` over the learned vocabulary."""
        return self._output(self._transform_counts(raw_documents), fitting=False)

    def get_feature_names_out(self, input_features=None):
        """Terms in column order, as an ndarray of str (object dtype, as scikit-learn)."""
        self._check_fitted()
        return np.array(self._feature_terms(), dtype=object)  # a copy: callers may change it

    def inverse_transform(self, X):
        """Terms with non-zero entries in each row of ``X``."""
        self._check_fitted()
        X = sp.csr_matrix(X)
        names = self.get_feature_names_out()
        return [names[X.indices[X.indptr[i] : X.indptr[i + 1]]] for i in range(X.shape[0])]

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_fs_vocabulary"] = None  # rebuilt from the terms on demand
        state["_names"] = None
        if not isinstance(state.get("_terms"), list | type(None)):
            state["_terms"] = list(self._feature_terms())
        if state.get("_terms") is not None:
            state["_vocab_dict"] = None
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


class TfidfVectorizer(CountVectorizer):
    """Convert texts to TF-IDF features, as scikit-learn's ``TfidfVectorizer``.

    Formulas (scikit-learn's): ``idf = ln((1 + n) / (1 + df)) + 1`` with
    ``smooth_idf`` (else ``ln(n / df) + 1``); ``tf`` is the count (1 if
    ``binary``, ``1 + ln(count)`` if ``sublinear_tf``); rows are divided by
    their L2 (or L1) norm. With ``dtype=np.float32`` weights are computed in
    float64 and rounded once, so they may differ from scikit-learn's float32
    arithmetic in the last bit.

    Examples
    --------
    >>> import framescope as fs
    >>> v = fs.TfidfVectorizer()
    >>> X = v.fit_transform(["multipolar world", "multipolar order", "world order"])
    >>> X.shape
    (3, 3)
    >>> v.idf_.round(4).tolist()
    [1.2877, 1.2877, 1.2877]
    """


    def __init__(
        self,
        *,
        input="content",
        encoding="utf-8",
        decode_error="strict",
        strip_accents=None,
        lowercase=True,
        preprocessor=None,
        tokenizer=None,
        analyzer="word",
        stop_words=None,
        token_pattern=_DEFAULT_PATTERN,
        ngram_range=(1, 1),
        max_df=1.0,
        min_df=1,
        max_features=None,
        vocabulary=None,
        binary=False,
        dtype=np.float64,
        norm="l2",
        use_idf=True,
        smooth_idf=True,
        sublinear_tf=False,
    ):
        super().__init__(
            input=input,
            encoding=encoding,
            decode_error=decode_error,
            strip_accents=strip_accents,
            lowercase=lowercase,
            preprocessor=preprocessor,
            tokenizer=tokenizer,
            analyzer=analyzer,
            stop_words=stop_words,
            token_pattern=token_pattern,
            ngram_range=ngram_range,
            max_df=max_df,
            min_df=min_df,
            max_features=max_features,
            vocabulary=vocabulary,
            binary=binary,
            dtype=dtype,
        )
        self.norm = norm
        self.use_idf = use_idf
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf

    def _dtype_name(self):
        name = np.dtype(self.dtype).name
        if name not in ("float64", "float32"):
            warnings.warn(
                f"Only float64 and float32 'dtype' should be used. {self.dtype} 'dtype' "
                "will be converted to np.float64.",
                UserWarning,
                stacklevel=4,
            )
            return "float64"
        return name

    def _validate_fs_params(self):
        super()._validate_fs_params()
        if self.norm not in ("l1", "l2", None):
            raise ValueError(f"norm must be 'l1', 'l2' or None, got {self.norm!r}")

    @property
    def idf_(self):
        """Inverse document frequency of each column (requires ``use_idf=True``)."""
        if not self.use_idf or "_idf" not in self.__dict__:
            raise AttributeError("idf_ is only defined after fit with use_idf=True")
        return self._idf

    @idf_.setter
    def idf_(self, value):
        self._idf = np.asarray(value, dtype=np.float64)

    def _fit_weights(self, doc_freq, n_docs: int):
        """Sets ``idf_`` (with ``use_idf``) from document frequencies."""
        if self.use_idf:
            self._idf = idf(doc_freq, n_docs, bool(self.smooth_idf), self._dtype_name())

    def _output(self, counts, fitting, doc_freq=None):
        name = self._dtype_name()
        if fitting:
            df = doc_freq if doc_freq is not None else counts.doc_freq()
            self._fit_weights(df, counts.shape[0])
        idf = None
        if self.use_idf:
            if "_idf" not in self.__dict__:
                raise NotFittedError("The TF-IDF vectorizer is not fitted: idf_ is missing.")
            idf = np.ascontiguousarray(self._idf, dtype=np.float64)
        m = counts.tfidf(idf, self.norm, bool(self.binary), bool(self.sublinear_tf), name,
                         names=self._wants_names(fitting))
        self._names = m.get("names", self.__dict__.get("_names"))
        return sp.csr_matrix((m["data"], m["indices"], m["indptr"]), shape=counts.shape, copy=False)
