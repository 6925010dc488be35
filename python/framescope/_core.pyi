"""Type stubs for the Rust extension ``framescope._core`` (hand-written)."""

import os
from collections.abc import Callable, Iterable
from typing import Any, final

import numpy as np
import numpy.typing as npt
from typing_extensions import Self

__all__ = [
    "FramescopeError",
    "InputError",
    "EmptyVocabularyError",
    "MAX_NGRAM",
    "NO_ID",
    "DEFAULT_MAX_RECORD_BYTES",
    "WordAnalyzer",
    "Vocabulary",
    "CountMatrix",
    "Terms",
    "TokenizerSpec",
    "Corpus",
    "DocumentFields",
    "Scan",
    "count_fit_docs",
    "count_transform_docs",
    "set_num_threads",
    "get_num_threads",
    "stop_words",
    "stem",
    "unicode_table_version",
    "unicode_table_versions",
    "select_unicode_table",
    "install_unicode_table",
    "read_files",
    "parse_dates",
    "parse_date_strings",
    "text_dates",
    "numbered_labels",
    "platform_lines",
    "dedup_corpus",
    "FrameSet",
    "frame_hits",
    "frame_overlaps",
    "frame_kwic",
    "group_counts",
    "keyness",
    "emerging",
    "collocation_table",
    "bootstrap_intervals",
    "_panic_in_core",
    "save_corpus",
    "load_corpus",
    "progress_done",
    "keyness_counts",
    "frame_context",
    "expand_space",
    "drift_spaces",
]

MAX_NGRAM: int
NO_ID: int
DEFAULT_MAX_RECORD_BYTES: int

class FramescopeError(Exception): ...
class InputError(FramescopeError): ...
class EmptyVocabularyError(ValueError): ...

def set_num_threads(n: int) -> int: ...
def get_num_threads() -> int: ...
def stop_words(language: str) -> list[str]: ...
def stem(words: list[str], language: str) -> list[str]: ...
def _panic_in_core() -> int: ...
def unicode_table_version() -> str: ...
def unicode_table_versions() -> list[str]: ...
def select_unicode_table(version: str) -> bool: ...
def install_unicode_table(
    version: str, word: list[tuple[int, int]], lower: list[tuple[int, int]]
) -> None: ...

@final
class WordAnalyzer:
    def __new__(
        cls,
        lowercase: bool,
        strip_accents: str | None,
        token_pattern: str,
        stop_words: list[str] | None,
        ngram_range: tuple[int, int],
    ) -> Self: ...
    def analyze(self, doc: str) -> list[str]: ...

@final
class Terms:
    def __len__(self) -> int: ...
    def to_list(self) -> list[str]: ...
    def to_array(self) -> npt.NDArray[np.object_]: ...

@final
class Vocabulary:
    def __new__(cls, terms: list[str]) -> Self: ...
    @staticmethod
    def from_terms(terms: Terms) -> Vocabulary: ...
    def __len__(self) -> int: ...
    def terms(self) -> list[str]: ...

# Named results: the core returns tables as a dict of columns (numpy arrays or lists)
# keyed by name; each function's docstring lists the names.
_Columns = dict[str, Any]

@final
class CountMatrix:
    @property
    def shape(self) -> tuple[int, int]: ...
    def terms(self) -> Terms: ...
    def doc_freq(self) -> npt.NDArray[np.int64]: ...
    def column_sums(self, binary: bool) -> npt.NDArray[np.int64]: ...
    def select_columns(self, keep: npt.NDArray[np.int64]) -> CountMatrix: ...
    def csr(self, dtype: str, binary: bool, names: bool = False) -> _Columns: ...
    def tfidf(
        self,
        idf: npt.NDArray[np.float64] | None,
        norm: str | None,
        binary: bool,
        sublinear_tf: bool,
        dtype: str,
        names: bool = False,
    ) -> _Columns: ...

def count_fit_docs(
    docs: Iterable[str | bytes] | tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]],
    analyzer: WordAnalyzer,
) -> CountMatrix: ...
def count_transform_docs(
    docs: Iterable[str | bytes] | tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]],
    analyzer: WordAnalyzer,
    vocabulary: Vocabulary,
) -> CountMatrix: ...

@final
class TokenizerSpec:
    def __new__(
        cls,
        lowercase: bool = True,
        hashtags: str = ...,
        hyphens: str = ...,
        numbers: bool = True,
        possessives: bool = True,
        mixed_script: bool = True,
        yo: bool = True,
    ) -> Self: ...
    def tokenize(self, text: str) -> list[str]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class DocumentFields:
    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def day(self) -> int: ...
    @property
    def date_source(self) -> str: ...
    @property
    def source(self) -> str: ...

@final
class Corpus:
    def __new__(
        cls,
        texts_: Iterable[str] | tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]],
        ids: list[str] | tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]] | None = None,
        dates: npt.NDArray[np.int64] | None = None,
        date_sources: list[str] | None = None,
        sources: list[str] | tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]] | None = None,
        dates_from_text: bool = False,
        chronological: bool = False,
    ) -> Self: ...
    def __len__(self) -> int: ...
    def texts(self) -> list[str]: ...
    def fingerprint(self) -> str: ...
    def fingerprint_v1(self) -> str: ...
    def ids(self) -> list[str]: ...
    def dates(self) -> npt.NDArray[np.int64]: ...
    def date_sources(self) -> list[str]: ...
    def sources(self) -> list[str]: ...
    def text(self, i: int) -> str: ...
    def document(self, i: int) -> DocumentFields: ...
    @staticmethod
    def concat(parts: list[Corpus]) -> _Columns: ...
    def with_metadata_dates(self, days: npt.NDArray[np.int64]) -> Corpus: ...
    def select(self, indices: list[int]) -> Corpus: ...
    def text_notes(self) -> _Columns: ...
    def n_tokens(self, spec: TokenizerSpec) -> npt.NDArray[np.uint64]: ...
    def is_tokenized(self, spec: TokenizerSpec) -> bool: ...
    def tokens(self, i: int, spec: TokenizerSpec) -> list[str]: ...
    def term_frequencies(
        self,
        spec: TokenizerSpec,
        stop_words: list[str] | None = None,
        stem: str | None = None,
        ngram: tuple[int, int] = ...,
        min_count: int = 1,
    ) -> _Columns: ...

def read_files(
    paths: list[str],
    format: str = ...,
    text: str = "text",
    date: str | None = None,
    id: str | None = None,
    glob: str | None = None,
    split: str | None = None,
    errors: str = ...,
    encoding_errors: str = ...,
    encoding: str | None = ...,
    chronological: bool | None = None,
    date_range: tuple[Any, Any] | None = None,
    bad_dates: str = ...,
    dayfirst: bool | None = None,
    max_record_bytes: int | None = None,
    exclude: list[str] = ...,
    keep_fields: list[str] = ...,
) -> _Columns: ...
def parse_dates(
    values: Any,
    as_days: bool = False,
    date_range: tuple[Any, Any] | None = None,
    bad_dates: str = ...,
    what: str = "dates",
    dayfirst: bool | None = None,
) -> _Columns: ...
def parse_date_strings(
    values: Any,
    date_range: tuple[Any, Any] | None = None,
    what: str = "dates",
    dayfirst: bool | None = None,
) -> npt.NDArray[np.int64] | None: ...
def text_dates(texts_: Iterable[str], chronological: bool = False) -> _Columns: ...
def numbered_labels(
    parts: list[tuple[str, int, int]],
) -> dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]]: ...
def platform_lines() -> list[str]: ...
def save_corpus(
    path: str | os.PathLike[str],
    corpus: Corpus,
    specs: list[TokenizerSpec],
    extra: list[tuple[str, bytes]],
) -> None: ...
def load_corpus(path: str | os.PathLike[str]) -> dict[str, Any]: ...
def progress_done() -> int: ...
def dedup_corpus(
    corpus: Corpus,
    boilerplate: list[str] | None,
    repeats: str,
    min_repeat_chars: int,
    drop_empty: bool,
    duplicates: bool,
    near: bool,
    threshold: float,
    shingle: int,
    num_perm: int,
    hyphenation: bool = False,
    html: bool = False,
) -> _Columns: ...
@final
class FrameSet:
    def __new__(cls, frames: list[tuple[str, list[str], list[str]]]) -> Self: ...
    def __len__(self) -> int: ...

def frame_hits(
    corpus: Corpus,
    spec: TokenizerSpec,
    frames: FrameSet,
    meanwhile: Callable[[], Any] | None = None,
) -> _Columns: ...
def frame_overlaps(corpus: Corpus, spec: TokenizerSpec, frames: FrameSet) -> _Columns: ...
def frame_context(
    corpus: Corpus,
    spec: TokenizerSpec,
    frames: FrameSet,
    frame: int,
    window: int,
    group: npt.NDArray[np.uint32],
    n_groups: int,
) -> _Columns: ...
def expand_space(
    corpus: Corpus,
    spec: TokenizerSpec,
    seeds: FrameSet,
    seed_names: list[str],
    args: dict[str, Any],
) -> _Columns: ...
def drift_spaces(
    corpus: Corpus,
    spec: TokenizerSpec,
    group: npt.NDArray[np.uint32],
    n_groups: int,
    targets: list[list[str]],
    args: dict[str, Any],
) -> _Columns: ...
def frame_kwic(
    corpus: Corpus,
    spec: TokenizerSpec,
    frames: FrameSet,
    window: int,
    keep: list[int] | None = None,
) -> _Columns: ...
def group_counts(
    corpus: Corpus,
    spec: TokenizerSpec,
    group: npt.NDArray[np.uint32],
    n_groups: int,
    size: int,
    stop_words: list[str] | None = None,
    stem: str | None = None,
) -> _Columns: ...
def keyness(
    corpus: Corpus,
    spec: TokenizerSpec,
    group: npt.NDArray[np.uint32],
    size: int,
    correction: str,
    min_count: int = 1,
    stop_words: list[str] | None = None,
    stem: str | None = None,
    prior: str | float | dict[str, float] | None = None,
) -> _Columns: ...
def keyness_counts(
    terms: list[str],
    target: npt.NDArray[np.uint64],
    reference: npt.NDArray[np.uint64],
    correction: str,
    min_count: int = 1,
    prior: str | float | dict[str, float] | None = None,
) -> _Columns: ...
def emerging(
    corpus: Corpus,
    spec: TokenizerSpec,
    group: npt.NDArray[np.uint32],
    n_periods: int,
    size: int,
    method: str,
    min_count: int,
    s: float,
    gamma: float,
    window: int,
    stop_words: list[str] | None = None,
) -> _Columns: ...
def collocation_table(
    corpus: Corpus,
    spec: TokenizerSpec,
    size: int,
    min_count: int,
    smoothing: float,
    stop_words: list[str] | None = None,
) -> _Columns: ...

@final
class Scan:
    def __new__(
        cls,
        paths: list[str],
        format: str = ...,
        text: str = "text",
        date: str | None = None,
        id: str | None = None,
        glob: str | None = None,
        split: str | None = None,
        errors: str = ...,
        encoding_errors: str = ...,
        encoding: str | None = ...,
        chronological: bool | None = None,
        batch_bytes: int = ...,  # framescope.parallel BATCH_BYTES (16 MiB)
        date_range: tuple[Any, Any] | None = None,
        bad_dates: str = ...,
        dayfirst: bool | None = None,
        max_record_bytes: int | None = None,
        exclude: list[str] = ...,
        keep_fields: list[str] = ...,
    ) -> Self: ...
    def __iter__(self) -> Self: ...
    def __next__(self) -> _Columns: ...
def bootstrap_intervals(
    indptr: npt.NDArray[np.uint64],
    frame: npt.NDArray[np.uint32],
    count: npt.NDArray[np.uint32],
    n_frames: int,
    tokens: npt.NDArray[np.uint64],
    periods: npt.NDArray[np.uint32],
    n_periods: int,
    n_boot: int,
    level: float,
    seed: int,
) -> _Columns: ...
