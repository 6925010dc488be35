"""``Corpus``: documents with ids, dates, date provenance, source and metadata.

Texts live in Rust; each corpus is tokenized once per tokenizer setting and the
integer-id tokens are reused by every analysis.
"""

from __future__ import annotations

import functools
import html
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framescope import (
    _core,
    arrow,
    cleaning,
    columns,
    discovery,
    dynamics,
    framing,
    notices,
    progress,
    report,
    semantic,
    store,
    validation,
)
from framescope.arrow import Buffers
from framescope.dating import day_to_timestamp, days_to_datetime, parse_dates
from framescope.kwic import KwicTable
from framescope.provenance import recorded
from framescope.report import Report
from framescope.stopwords import stop_word_list
from framescope.trends import TrendTable
from framescope.vocabulary import doc_count_bounds, kept_columns

__all__ = ["RESERVED_COLUMNS", "Corpus", "Document", "TokenizerSpec", "concat", "keyness", "load"]

TokenizerSpec = _core.TokenizerSpec


@dataclass(frozen=True, repr=False)
class Document:
    """One document of a corpus.

    >>> import framescope as fs
    >>> fs.Corpus.from_texts(["The collective West " * 20], dates=["2023-04-29"])[0]
    <Document '0', 2023-04-29 (metadata), 400 characters: 'The collective West The collective West The collective West The collective West…'>
    """

    id: str
    text: str
    date: pd.Timestamp | None
    date_source: str
    source: str
    meta: dict[str, Any]

    def __repr__(self) -> str:
        # The start of the text only: a speech runs to hundreds of thousands of characters.
        head = " ".join(self.text[:200].split())
        start = head[:80]
        if len(head) > 80 or len(self.text) > 200:
            start = start.rstrip() + "…"
        date = str(self.date.date()) if self.date is not None else "undated"
        return (f"<Document {self.id!r}, {date} ({self.date_source}), "
                f"{len(self.text):,} characters: {start!r}>")


#: The corpus's own columns in ``to_pandas()``; metadata may not take these names.
RESERVED_COLUMNS = frozenset({"id", "text", "date", "date_source", "source", "n_tokens"})


def _meta_frame(meta, n: int) -> pd.DataFrame | None:
    if meta is None:
        return None
    if isinstance(meta, pd.DataFrame):
        frame = meta.reset_index(drop=True)
    elif arrow.is_arrow_like(meta):  # a polars DataFrame or a pyarrow Table
        frame = arrow.as_table(meta).to_pandas()
    elif isinstance(meta, dict):
        frame = pd.DataFrame(meta)
    else:
        frame = pd.DataFrame(list(meta))
    if len(frame) != n:
        raise ValueError(f"meta has {len(frame)} rows but there are {n} texts")
    clash = RESERVED_COLUMNS.intersection(map(str, frame.columns))
    if clash:
        raise ValueError(f"meta columns {sorted(clash)} clash with the corpus's own columns")
    return frame


class Corpus:
    """An ordered collection of documents.

    Build one with :meth:`from_texts` or :meth:`from_pandas`. Each document has
    an ``id``, ``text``, ``date`` (or none), ``date_source`` ("metadata", "text",
    "inferred" or "none"), ``source`` (provenance) and metadata columns.

    Examples
    --------
    >>> import framescope as fs
    >>> c = fs.Corpus.from_texts(["The collective West’s sanctions.", "Многополярный мир"],
    ...                          dates=["2023-04-29", None])
    >>> len(c), c.tokens(0)
    (2, ['the', 'collective', 'west', 'sanctions'])
    >>> c.to_pandas()[["id", "date", "date_source", "n_tokens"]]
      id       date date_source  n_tokens
    0  0 2023-04-29    metadata         4
    1  1        NaT        none         2
    """

    def __init__(self, native: _core.Corpus, meta: pd.DataFrame | None = None,
                 tokenizer: _core.TokenizerSpec | None = None, *,
                 read_report: pd.DataFrame | None = None,
                 dedup_report: pd.DataFrame | None = None):
        """A corpus over documents held by the core (``native``); users build one with
        :meth:`from_texts`, :meth:`from_pandas` or :func:`framescope.read`."""
        self._core = native
        self._meta = meta
        self._tokenizer = tokenizer if tokenizer is not None else _core.TokenizerSpec()
        self._read_report = read_report
        self._dedup_report = dedup_report

    def _derived(self, core: _core.Corpus, meta: pd.DataFrame | None,
                 tokenizer: _core.TokenizerSpec | None = None) -> Corpus:
        """A corpus made from this one, carrying its reports."""
        return Corpus(core, meta, tokenizer if tokenizer is not None else self._tokenizer,
                      read_report=self._read_report, dedup_report=self._dedup_report)

    # ------------------------------------------------------------ building
    @classmethod
    def from_texts(cls, texts, dates=None, ids=None, meta=None, sources=None, *,
                   date_range=None, bad_dates: str = "raise",
                   chronological: bool = False, dayfirst: bool | None = None) -> Corpus:
        """A corpus from a sequence of str.

        Parameters
        ----------
        texts : sequence of str
            Document texts; ``None``, bytes or other types raise ``TypeError`` naming the
            position. A pandas Series of strings stored in Arrow (pandas 3's ``str``) is
            read from Arrow's buffers, with no str made per document.
        dates : sequence or "text", optional
            One date per text: str, int or float (a year, ``YYYYMMDD``,
            ``YYYYMMDDHHMMSS`` or a Unix time in s/ms/us/ns told by magnitude, from 1e8;
            a smaller number such as 0 or an Excel serial day is an error),
            ``datetime``, ``date``, ``Timestamp``,
            ``datetime64``, or None. Parsed by the same rules as :func:`framescope.read`
            (README, "Dates"): "01.02.2023" is 1 February, "2023-04" 1 April. ``"text"``: each text's own
            dateline or opening date, as :func:`framescope.extract_dates` finds it.
        ids : sequence of str, optional
            Unique ids (written with ``str``); default "0", "1", ... A missing id (None,
            NaN) is a ``TypeError`` naming its position.
        meta : DataFrame, dict of lists or list of dicts, optional
            Metadata, one row per text (a pandas or polars DataFrame, or a pyarrow Table).
        sources : sequence of str, optional
            Provenance of each text (file, line or record).
        date_range : (first, last), optional
            Plausible dates (years, date strings or dates; None keeps a default bound).
            Default: 1000-01-01 to one year after today.
        bad_dates : {"raise", "undated"}
            A value that is not a date or is outside ``date_range`` raises ``ValueError``
            naming its position; "undated" leaves the document undated and lists it
            in ``corpus.read_report`` (with a warning).
        chronological : bool
            With ``dates="text"``: texts are in date order, so a year-less date takes
            its year from the nearest dated neighbour.
        dayfirst : bool, optional
            Numeric dates with the year last ("04/05/2023", "4-5-2023 15:30", as Excel
            writes them into a CSV): ``True`` reads the day first (most countries),
            ``False`` the month first (the United States). Without it only values that
            tell are read ("29/04/2023", "4/29/2023"); "04/05/2023" is then an error
            naming both readings, never a guess. A value that contradicts the order
            given is an error too.

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["a", "b", "c"], dates=[1682762400000, "01.02.2023", 2021])
        >>> [str(d.date()) for d in c.dates]
        ['2023-04-29', '2023-02-01', '2021-01-01']
        """
        return cls._built(texts, dates, ids, meta, sources, date_range=date_range,
                          bad_dates=bad_dates, chronological=chronological, dayfirst=dayfirst,
                          who="Corpus.from_texts")

    @classmethod
    def _built(cls, texts, dates, ids, meta, sources, *, date_range, bad_dates: str,
               chronological: bool, dayfirst: bool | None, who: str, depth: int = 0,
               labels: str = "texts") -> Corpus:
        """:meth:`from_texts` for the entry point named ``who``, ``depth`` calls below the
        user's (for the warnings' line); a document without a source is named
        ``labels[position]`` in the report (the text column's name). After the corpus is built its texts are checked
        (:func:`framescope.notices.note_rows`: words hyphenated across line breaks, HTML,
        text escaped twice): each kind found is a warning and rows of ``read_report``."""
        if isinstance(texts, str):
            raise TypeError("texts must be a sequence of str, not a single str")
        if isinstance(texts, pd.Series) and arrow.pandas_strings(texts) is not None:
            texts = _pandas_strings(texts, texts.name or "texts", "text")
        if isinstance(texts, Buffers):  # Arrow's buffers (from_arrow): no str per document
            n = len(texts)
            texts = texts.parts()
        else:
            # A list or tuple is read as it is (copying 200,000 references costs the GIL's
            # thread 1-3 ms); anything else is listed once (a generator is read once).
            texts = texts if isinstance(texts, (list, tuple)) else list(texts)
            n = len(texts)
        if isinstance(ids, Buffers):
            ids = ids.parts()
        elif ids is not None:
            ids = _labels(ids, "ids", "an id")
        report = None
        from_text = isinstance(dates, str)
        if from_text:
            if dates != "text":
                raise ValueError(f'dates must be a sequence of dates or "text", got {dates!r}')
            days = None  # found by the core in the corpus it builds: the texts read once
        elif dates is not None:
            days, report = parse_dates(dates, n, date_range=date_range, bad_dates=bad_dates,
                                       dayfirst=dayfirst)
        else:
            days = None
        if isinstance(sources, Buffers):
            sources = sources.parts()
        elif sources is not None:
            sources = _labels(sources, "sources", "a source")
        native = _core.Corpus(texts, ids, days, None, sources, dates_from_text=from_text,
                              chronological=chronological)
        noted = notices.note_rows(native, labels)[1]
        gathered = notices.gathering()
        if report is not None and len(report):
            if gathered is None:
                warnings.warn(f"{len(report)} date(s) could not be used and were left undated; "
                              f"first: {report.iloc[0]['source']}: {report.iloc[0]['message']}. "
                              "See corpus.read_report.", stacklevel=3 + depth)
            report = pd.concat([report, noted], ignore_index=True) if len(noted) else report
        else:
            report = noted if len(noted) else None
        if len(noted) and gathered is None:
            notices.warn_about(noted, who, "corpus.read_report", stacklevel=4 + depth)
        elif report is not None and gathered is not None:
            gathered.append(report)
        return cls(native, _meta_frame(meta, n), read_report=report)

    @classmethod
    def from_arrow(cls, data, text: str = "text", date: str | None = "date",
                   id: str | None = None, source: str | None = None, *, ids=None,
                   sources=None, date_range=None, bad_dates: str = "raise",
                   dayfirst: bool | None = None) -> Corpus:
        """A corpus from Arrow data: a pyarrow Table, RecordBatch(es) or
        RecordBatchReader, or anything with ``__arrow_c_stream__`` (a polars DataFrame,
        a DuckDB result); columns as in :meth:`from_pandas`, other columns become
        metadata; ``ids`` and ``sources`` (lists) can be given instead of columns. The
        text, id and source columns go to the core as Arrow's buffers, and the date
        column (Arrow dates and timestamps too) as datetime64: no Python object is made
        per document. Ids and sources may be strings or integers; a null text, id or
        source is an error naming its row. Dates follow :meth:`from_texts`'s rules
        (``dayfirst`` too).

        >>> import pyarrow as pa, framescope as fs
        >>> t = pa.table({"text": ["the collective West", "мировое большинство"],
        ...               "date": ["2023-04-29", None], "lang": ["en", "ru"]})
        >>> fs.Corpus.from_arrow(t).to_pandas()[["id", "date", "n_tokens", "lang"]]
          id       date  n_tokens lang
        0  0 2023-04-29         3   en
        1  1        NaT         2   ru
        """
        return cls._from_arrow(data, text, date, id, source, ids=ids, sources=sources,
                               date_range=date_range, bad_dates=bad_dates, dayfirst=dayfirst,
                               who="Corpus.from_arrow")

    @classmethod
    def _from_arrow(cls, data, text: str, date: str | None, id: str | None,
                    source: str | None, *, ids, sources, date_range, bad_dates: str,
                    dayfirst: bool | None, who: str) -> Corpus:
        """:meth:`from_arrow` for the entry point named ``who``."""
        table = arrow.as_table(data)
        names = table.column_names
        for role, col in (("text", text), ("id", id), ("source", source)):
            if col is not None and col not in names:
                raise ValueError(f"{role} column {col!r} not found; available columns: {names}")
        from_text = date == "text" and (date == text or date not in names)
        if from_text:
            date = None
        if date is not None and date not in names:
            if date != "date":
                raise ValueError(f"date column {date!r} not found; available columns: {names}")
            date = None
        used = [c for c in (text, date, id, source) if c is not None]
        others = [c for c in names if c not in used]
        # Texts, ids and sources as Arrow's buffers, dates as datetime64 (Arrow's date
        # types too): nothing read one Python object per row.
        texts = arrow.string_buffers(table.column(text), text)
        if id is not None:
            ids = arrow.string_buffers(table.column(id), id, "id")
        if source is not None:
            sources = arrow.string_buffers(table.column(source), source, "source")
        dates = ("text" if from_text else None if date is None
                 else table.column(date).to_pandas(date_as_object=False))
        meta = table.select(others).to_pandas() if others else None
        return cls._built(texts, dates, ids, meta, sources, date_range=date_range,
                          bad_dates=bad_dates, chronological=False, dayfirst=dayfirst,
                          who=who, depth=1, labels=text)

    @classmethod
    def from_polars(cls, df, text: str = "text", date: str | None = "date",
                    id: str | None = None, source: str | None = None, *,
                    date_range=None, bad_dates: str = "raise",
                    dayfirst: bool | None = None) -> Corpus:
        """A corpus from a polars DataFrame (handed over through the Arrow PyCapsule
        interface, without a copy): see :meth:`from_arrow`."""
        if not hasattr(df, "__arrow_c_stream__"):
            raise TypeError(f"df must be a polars DataFrame, got {type(df).__name__}")
        return cls._from_arrow(df, text, date, id, source, ids=None, sources=None,
                               date_range=date_range, bad_dates=bad_dates, dayfirst=dayfirst,
                               who="Corpus.from_polars")

    @classmethod
    def from_pandas(cls, df: pd.DataFrame, text: str = "text", date: str | None = "date",
                    id: str | None = None, source: str | None = None, *,
                    date_range=None, bad_dates: str = "raise",
                    chronological: bool = False, dayfirst: bool | None = None) -> Corpus:
        """A corpus from a DataFrame; columns other than text/date/id/source become metadata.

        Text, id and source columns of strings stored in Arrow (pandas 3's default
        ``str``, ``string[pyarrow]``) are read as Arrow's buffers, with no str made per
        row; a null among them is an error naming its row.

        ``date=None`` (or a missing "date" column when left at its default) means undated;
        ``date="text"`` dates each document from its text (see :meth:`from_texts`), unless
        the frame has a date column of that name. Dates follow :meth:`from_texts`'s rules.

        >>> import pandas as pd, framescope as fs
        >>> df = pd.DataFrame({"text": ["the collective West", "мировое большинство"],
        ...                    "date": ["2023-04-29", "2024-06-11"], "lang": ["en", "ru"]})
        >>> fs.Corpus.from_pandas(df).to_pandas()[["id", "date", "date_source", "n_tokens", "lang"]]
          id       date date_source  n_tokens lang
        0  0 2023-04-29    metadata         3   en
        1  1 2024-06-11    metadata         2   ru
        """
        if not isinstance(df, pd.DataFrame) and arrow.is_arrow_like(df):  # polars, pyarrow
            return cls._from_arrow(df, text, date, id, source, ids=None, sources=None,
                                   date_range=date_range, bad_dates=bad_dates,
                                   dayfirst=dayfirst, who="Corpus.from_pandas")
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
        for role, col in (("text", text), ("id", id), ("source", source)):
            if col is not None and col not in df.columns:
                raise ValueError(
                    f"{role} column {col!r} not found; available columns: {list(df.columns)}"
                )
        from_text = date == "text" and date == text
        if date is not None and not from_text and date not in df.columns:
            if date not in ("date", "text"):
                raise ValueError(
                    f"date column {date!r} not found; available columns: {list(df.columns)}"
                )
            from_text, date = date == "text", None
        used = {c for c in (text, date, id, source) if c is not None}
        meta = df[[c for c in df.columns if c not in used]].reset_index(drop=True)
        if from_text:
            dates = "text"
        else:
            dates = df[date].reset_index(drop=True) if date is not None else None
        return cls._built(
            _pandas_strings(df[text], text, "text"),
            dates,
            _pandas_strings(df[id], id, "id") if id is not None else None,
            meta if len(meta.columns) else None,
            _pandas_strings(df[source], source, "source") if source is not None else None,
            date_range=date_range, bad_dates=bad_dates, chronological=chronological,
            dayfirst=dayfirst, who="Corpus.from_pandas", labels=str(text),
        )

    # ------------------------------------------------------------- access
    def __len__(self) -> int:
        return len(self._core)

    @property
    def texts(self) -> list[str]:
        """All texts."""
        return self._core.texts()

    @property
    def ids(self) -> list[str]:
        """All ids."""
        return self._core.ids()

    @property
    def dates(self) -> pd.Series:
        """Dates as a datetime64 Series (NaT where unknown)."""
        # Seconds, not nanoseconds: dates from year 1 to 9999 (scraped or historical) stay exact.
        return pd.Series(days_to_datetime(self._core.dates()), name="date")

    @property
    def meta(self) -> pd.DataFrame:
        """Metadata columns (an empty frame when there are none)."""
        if self._meta is None:
            return pd.DataFrame(index=range(len(self)))
        return self._meta

    @property
    def native(self) -> _core.Corpus:
        """The documents as the Rust core holds them (a ``framescope._core.Corpus``): what
        framescope's modules hand to the core, for extensions that call it too."""
        return self._core

    @property
    def tokenizer(self) -> _core.TokenizerSpec:
        """The tokenizer settings this corpus uses."""
        return self._tokenizer

    def with_tokenizer(self, **options) -> Corpus:
        """The same documents with other tokenizer settings.

        Options: ``lowercase`` (True), ``hashtags`` ("word" | "keep" | "drop"),
        ``hyphens`` ("split" | "join"), ``numbers`` (True), ``possessives``
        (True: cut "'s"), ``mixed_script`` (True: fold Latin/Cyrillic look-alikes),
        ``yo`` (True: ё -> е).

        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["the rules-based order #UNCharterIsOurRules"])
        >>> c.tokens(0), c.with_tokenizer(hyphens="join", hashtags="keep").tokens(0)
        (['the', 'rules', 'based', 'order', 'uncharterisourrules'], ['the', 'rules-based', 'order', '#uncharterisourrules'])
        """
        return self._derived(self._core, self._meta, _core.TokenizerSpec(**options))

    def __getitem__(self, key):
        """``corpus[i]`` and ``corpus["id"]``: one :class:`Document`; a slice, a list of
        positions or a boolean mask: a sub-corpus (:attr:`loc` selects by ids)."""
        if isinstance(key, str):
            return self._document(self._position(key))
        if isinstance(key, (int, np.integer)):
            n = len(self)
            i = int(key) + n if key < 0 else int(key)
            if not 0 <= i < n:
                raise IndexError(f"document {key} out of range for {n} documents")
            return self._document(i)
        return self._subset(self._indices(key))

    def _position(self, doc_id: str) -> int:
        """The position of the document with id ``doc_id`` (a ``KeyError`` naming it if none)."""
        index = self.__dict__.get("_id_positions")
        if index is None:
            index = {d: i for i, d in enumerate(self._core.ids())}
            self.__dict__["_id_positions"] = index
        try:
            return index[doc_id]
        except KeyError:
            raise KeyError(f"no document has id {doc_id!r}") from None

    @property
    def loc(self) -> _ByIds:
        """Selection by id: ``corpus.loc["a.txt#3"]`` is a :class:`Document`,
        ``corpus.loc[["a", "b"]]`` a corpus of those documents in that order.

        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["x", "y", "z"], ids=["a", "b", "c"])
        >>> c.loc[["c", "a"]].ids, c["b"].text
        (['c', 'a'], 'y')
        """
        return _ByIds(self)

    def __add__(self, other: Corpus) -> Corpus:
        """``a + b``: :func:`concat` of the two."""
        if not isinstance(other, Corpus):
            return NotImplemented
        return concat([self, other])

    def _indices(self, key) -> np.ndarray:
        n = len(self)
        if isinstance(key, slice):
            return np.arange(n)[key]
        arr = np.asarray(key)
        if arr.size == 0 and arr.ndim == 1:
            return np.zeros(0, dtype=np.int64)  # corpus[[]]: an empty corpus
        if arr.dtype == bool:
            if arr.shape != (n,):
                raise IndexError(f"boolean mask has {arr.size} values for {n} documents")
            return np.flatnonzero(arr)
        if arr.dtype.kind in "iu":
            arr = arr.astype(np.int64)
            arr = np.where(arr < 0, arr + n, arr)
            bad = np.flatnonzero((arr < 0) | (arr >= n))
            if len(bad):
                raise IndexError(f"document {np.asarray(key).ravel()[bad[0]]} out of range "
                                 f"for {n} documents")
            return arr
        raise TypeError(f"cannot index a Corpus with {type(key).__name__}")

    def _subset(self, idx: np.ndarray) -> Corpus:
        meta = None if self._meta is None else self._meta.iloc[idx].reset_index(drop=True)
        return self._derived(self._core.select([int(i) for i in idx]), meta)

    def _document(self, i: int) -> Document:
        """Document ``i``, in constant time."""
        f = self._core.document(i)
        return Document(
            id=f.id, text=f.text,
            date=day_to_timestamp(f.day),
            date_source=f.date_source, source=f.source,
            meta={} if self._meta is None else self._meta.iloc[[i]].to_dict("records")[0],
        )

    def __iter__(self):
        """Documents in order; the id, date and source columns are fetched once."""
        ids, sources, kinds = self._core.ids(), self._core.sources(), self._core.date_sources()
        days = self._core.dates()
        records = self._meta.to_dict("records") if self._meta is not None else None
        for i in range(len(self)):
            yield Document(
                id=ids[i], text=self._core.text(i), date=day_to_timestamp(days[i]),
                date_source=kinds[i], source=sources[i],
                meta={} if records is None else records[i],
            )

    # ----------------------------------------------------------- analysis
    def tokens(self, i: int) -> list[str]:
        """Tokens of document ``i`` (for inspection; analyses work on ids).

        >>> import framescope as fs
        >>> fs.Corpus.from_texts(["Коллективного Запада’s Сooperation"]).tokens(0)
        ['коллективного', 'запада', 'cooperation']
        """
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"document {i} out of range for {n} documents")
        return self._core.tokens(i % n, self._tokenizer)

    @property
    def n_tokens(self) -> np.ndarray:
        """Token count per document.

        >>> import framescope as fs
        >>> fs.Corpus.from_texts(["The collective West.", "", "🇷🇺 #BRICS 2024"]).n_tokens.tolist()
        [3, 0, 2]
        """
        return self._core.n_tokens(self._tokenizer).astype(np.int64)

    @recorded("Corpus.term_frequencies")
    def term_frequencies(self, top: int | None = None, stop_words=None, stem=None,
                         ngram=1, min_count: int = 1, min_df=1, max_df=1.0,
                         max_features: int | None = None,
                         normalize: str | None = None) -> pd.DataFrame:
        """Term (or n-gram) frequencies: columns ``term``, ``count``, ``doc_freq``
        (and ``per_10k`` or ``share`` with ``normalize``).

        Rows are sorted by count (descending), then term.

        Parameters
        ----------
        top : int, optional
            Keep the ``top`` most frequent (ties broken by term).
        stop_words : str or list of str, optional
            A language ("english", "russian", ... or "auto" for English + Russian)
            or a list of words, removed before n-grams are formed.
        stem : str, optional
            Count Snowball stems: a language, or "auto" (Russian for Cyrillic words,
            English otherwise).
        ngram : int or (int, int)
            n-gram size, or an inclusive range of sizes (1..5).
        min_count : int
            Drop terms seen fewer times.
        min_df, max_df : int or float
            Keep terms in at least ``min_df`` and at most ``max_df`` documents; a float
            is a proportion of the corpus's documents (scikit-learn's definitions).
        max_features : int, optional
            After ``min_df``/``max_df``, keep the ``max_features`` most frequent terms.
        normalize : {None, "per_10k", "share"}
            Add a column, as :meth:`distribution` does: ``per_10k``, the count per 10,000
            tokens of the corpus (``n_tokens.sum()``); ``share``, the count as a share of
            all terms counted (after stop words and ``min_count``, before ``min_df``,
            ``max_df``, ``max_features`` and ``top``).

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["коллективного Запада", "коллективный Запад и the West"])
        >>> c.term_frequencies(stem="auto", stop_words="auto")
                 term  count  doc_freq
        0       запад      2         2
        1  коллективн      2         2
        2        west      1         1
        >>> w = fs.Corpus.from_texts(["the West and the West", "the world"])
        >>> w.term_frequencies(normalize="share").round(3)
            term  count  doc_freq  share
        0    the      3         2  0.429
        1   west      2         1  0.286
        2    and      1         1  0.143
        3  world      1         1  0.143
        >>> w.term_frequencies(normalize="per_10k", top=1).round(1)
          term  count  doc_freq  per_10k
        0  the      3         2   4285.7
        """
        if normalize not in (None, "per_10k", "share"):
            raise ValueError(f"normalize must be None, 'per_10k' or 'share', got {normalize!r}")
        if isinstance(ngram, (int, np.integer)):
            rng = (int(ngram), int(ngram))
        else:
            rng = tuple(int(x) for x in ngram)
            if len(rng) != 2:
                raise ValueError(f"ngram must be an int or a (min, max) pair, got {ngram!r}")
        if top is not None and (not isinstance(top, (int, np.integer)) or top < 1):
            raise ValueError(f"top must be a positive int, got {top!r}")
        if not isinstance(min_count, (int, np.integer)) or min_count < 1:
            raise ValueError(f"min_count must be a positive int, got {min_count!r}")
        low, high = doc_count_bounds(min_df, max_df, len(self))
        if max_features is not None and (not isinstance(max_features, (int, np.integer)) or max_features < 1):
            raise ValueError(f"max_features must be a positive int, got {max_features!r}")
        with progress.bar("tokenizing and counting", progress.passes(self, 0) or None):
            table = self._core.term_frequencies(
                self._tokenizer, stop_word_list(stop_words), stem, rng, int(min_count)
            )
        out = pd.DataFrame({"term": columns.strings(table["term"]),
                            "count": table["count"].astype(np.int64),
                            "doc_freq": table["doc_freq"].astype(np.int64)})
        if normalize == "per_10k":
            total = float(self.n_tokens.sum())
            out["per_10k"] = 1e4 * out["count"] / total if total else np.nan
        elif normalize == "share":
            total = float(out["count"].sum())
            out["share"] = out["count"] / total if total else np.nan
        keep = kept_columns(out["doc_freq"].to_numpy(), low, high, None, None)
        if keep is not None:
            out = out.iloc[keep].reset_index(drop=True)
        if max_features is not None:
            out = out.head(max_features)
        return out.head(top) if top is not None else out

    # ------------------------------------------------------------- frames
    def frame_matrix(self, frames) -> sp.csr_matrix:
        """Hits of each frame in each document as a sparse documents x frames matrix (int64).

        Rows follow the documents, columns ``frames.names``; memory grows with the
        (document, frame) pairs that have a hit. For models (regressions on frame use)
        and custom aggregations.

        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["collective West, collective West", "Global Majority"])
        >>> c.frame_matrix({"west": ["collective West"], "majority": ["Global Majority"]}).toarray()
        array([[2, 0],
               [0, 1]])
        """
        return framing.frame_matrix(self, frames)

    @recorded("Corpus.frame_counts")
    def frame_counts(self, frames) -> pd.DataFrame:
        """Hits of each frame in each document: one row per document (index: id), one column per frame.

        ``.to_numpy()`` gives the documents x frames matrix. Counting rules are those of
        :class:`framescope.Frames` (leftmost-longest, once per frame per span, exclusions).
        Counting costs memory for the (document, frame) pairs with a hit; a table of
        more than 16.7 million cells is returned sparse-backed (pandas sparse columns).

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["A multipolar world, not a unipolar one.", "Multipolarity!"])
        >>> c.frame_counts({"multipolar": ["multipolar*"], "unipolar": ["unipolar*"]})
            multipolar  unipolar
        id
        0            1         1
        1            1         0
        """
        return framing.frame_counts(self, frames)

    @recorded("Corpus.frame_trends")
    def frame_trends(self, frames, by: str = "year", *, level: float = 0.95,
                     bootstrap: int | None = None, rolling: int | None = None,
                     seed: int = 0, progress: bool | None = None, balance: str | None = None,
                     dispersion: bool = False) -> TrendTable:
        """Frame usage per period: a tidy table with rates, shares and intervals.

        Parameters
        ----------
        frames : Frames or dict
        by : str
            "year", "quarter", "month", "week", "day", "decade" ("1990s"), a multiple
            of a unit aligned to the calendar ("5y": "2020–2024", "4y": "2012–2015",
            "2q", "6m": "2023-01–2023-06", "2w", "10d") or starting where given
            ("6y@2012": "2012–2017", "6m@2022-03"), a metadata column, or one label per
            document (a numpy array or pandas Series: a grouping computed on the fly), or
            a list of these with at most one calendar period (``["party", "decade"]``:
            one row per party, decade and frame, one column per key; see
            :mod:`framescope.grouping`). Time periods run from the first to the last date
            with empty periods included; undated documents form the period "undated" (a
            metadata value that is missing forms "(missing)"; integral floats group as
            integers): never dropped.
        level : float
            Interval level (0.95).
        bootstrap : int, optional
            Percentile intervals from this many document resamples per period,
            instead of the Poisson/Wilson formulas (Poisson bootstrap in the core,
            on every thread; memory does not grow with the number of resamples).
        rolling : int, optional
            Sums over a trailing window of this many periods before rates are taken
            (within each group of a list ``by``).
        progress : bool, optional
            A progress bar while frames are matched: None (after a second, where a bar
            can be drawn; :func:`framescope.set_progress` sets it for all calls),
            True, False.
        balance : str, optional
            A metadata column of sources (channel, outlet) to weigh equally, or "source"
            (each file read is a source: a folder of channel dumps): ``per_10k``
            is the mean of the sources' rates in each period (Fay and Feuer's interval
            for that weighted sum of Poisson counts) and ``doc_share`` the mean of their
            shares (normal interval from Agresti-Coull variances), so one prolific
            channel cannot make a trend alone; a ``sources`` column counts the sources
            with documents. ``hits``, ``docs`` and ``tokens`` stay plain sums.
        dispersion : bool
            Adds ``dp``: Gries' DP of each frame's hits over the period's documents
            (0: spread evenly; near 1: in few documents).

        Returns
        -------
        TrendTable
            Columns ``period`` (label), ``start`` (period start; NaT for undated), with a
            list ``by`` one column per other key (named after it; ``.groups`` lists them), ``frame``, ``hits``, ``docs_with_hit``, ``docs``, ``tokens``, ``per_10k``
            (hits per 10,000 tokens) with ``ci_low``/``ci_high`` (exact Poisson),
            ``doc_share`` (share of documents with a hit) with
            ``share_ci_low``/``share_ci_high`` (Wilson). ``.plot()`` draws it.

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["the collective West", "Global Majority", "no frame here"],
        ...                          dates=["2022-05-01", "2023-01-01", None])
        >>> t = c.frame_trends({"collective_west": ["collective West"]})
        >>> t[["period", "frame", "hits", "docs", "tokens", "per_10k"]]
              period            frame  hits  docs  tokens  per_10k
        0       2022  collective_west     1     1       3   3333.333333
        1       2023  collective_west     0     1       2      0.000000
        2    undated  collective_west     0     1       3      0.000000
        """
        return framing.frame_trends(self, frames, by, level=level, bootstrap=bootstrap,
                                    rolling=rolling, seed=seed, progress=progress,
                                    balance=balance, dispersion=dispersion)

    @recorded("Corpus.term_trends")
    def term_trends(self, terms, by: str = "year", **kwargs) -> TrendTable:
        """:meth:`frame_trends` for plain terms or phrases (each its own one-pattern frame).

        ``terms`` is a str or a list; any pattern of :class:`framescope.Frames` works
        ("sanctions", "BRICS", "multipolar*", "collective West").

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["BRICS and sanctions", "BRICS"], dates=["2022-01-05", "2023-03-01"])
        >>> c.term_trends(["BRICS", "sanctions"])[["period", "frame", "hits", "tokens"]]
          period      frame  hits  tokens
        0   2022      BRICS     1       3
        1   2022  sanctions     1       3
        2   2023      BRICS     1       1
        3   2023  sanctions     0       1
        """
        return framing.term_trends(self, terms, by, **kwargs)

    @recorded("Corpus.frame_cooccurrence")
    def frame_cooccurrence(self, frames) -> pd.DataFrame:
        """Documents in which both frames occur (frames x frames; the diagonal: documents with the frame).

        Sparse-backed beyond 16.7 million cells (about 4,096 frames), like :meth:`frame_counts`.

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["collective West; multipolar world", "multipolar world"])
        >>> c.frame_cooccurrence({"west": ["collective West"], "multi": ["multipolar*"]})
               west  multi
        west      1      1
        multi     1      2
        """
        return framing.frame_cooccurrence(self, frames)

    @recorded("Corpus.frame_overlaps")
    def frame_overlaps(self, frames) -> pd.DataFrame:
        """Hits of the row frame that overlap a hit of the column frame (same tokens).

        Computed from the overlapping hits only (memory in proportion to the pairs of
        frames that overlap, never frames squared); sparse-backed beyond 16.7 million
        cells, like :meth:`frame_counts`.

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["a multipolar world order"])
        >>> c.frame_overlaps({"multi": ["multipolar*"], "order": ["world order", "multipolar world order"]})
               multi  order
        multi      0      1
        order      1      0
        """
        return framing.frame_overlaps(self, frames)

    @recorded("Corpus.kwic")
    def kwic(self, pattern, window: int = 8, *, frame=None) -> KwicTable:
        """Keyword in context: every match with ``window`` tokens of text either side.

        ``pattern`` is a pattern string ("collective West", "multipolar*"), a list of
        them, or a :class:`framescope.Frames` (``frame=`` picks some of its frames).
        Returns a DataFrame (``doc``, ``id``, ``date``, ``frame``, ``left``, ``match``,
        ``right``, and ``start``/``end``: UTF-8 byte offsets of the match in the text)
        that notebooks show with the match highlighted.

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["Attempts by the collective West’s elites to isolate Russia."])
        >>> c.kwic("collective West", window=3)[["left", "match", "right"]]
                left                match            right
        0  Attempts by the  collective West’s  elites to isolate
        """
        return framing.kwic(self, pattern, window, frame=frame)

    @recorded("Corpus.diffusion")
    def diffusion(self, frames, source: str, by: str = "month"):
        """How frames spread between sources: a :class:`framescope.dynamics.Diffusion`.

        ``source`` is a metadata column (channel, outlet, speaker). ``.adoption``: per
        frame and source the first and last use, the adoption lag in days after the
        first source, the order of adoption (``rank``) and the hits; ``.shares``: per
        period (``by``, a calendar period) each source's share of the frame's hits.
        ``.plot()`` draws when each source took each frame up.

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["the collective West", "the West", "collective West again"],
        ...                          dates=["2022-03-01", "2022-04-01", "2022-06-15"],
        ...                          meta={"channel": ["mfa", "tass", "tass"]})
        >>> d = c.diffusion({"west": ["collective West"]}, source="channel")
        >>> d.adoption[["source", "first", "lag_days", "rank", "hits"]]
          source      first  lag_days  rank  hits
        0    mfa 2022-03-01         0   1.0     1
        1   tass 2022-06-15       106   2.0     1
        """
        return dynamics.diffusion(self, frames, source, by)

    @recorded("Corpus.forwards")
    def forwards(self, frames, source: str = "channel",
                 forwarded: str = "forwarded_from") -> pd.DataFrame:
        """Forward chains of frames, as in Telegram exports: an edge list of which source
        forwarded posts with a frame from which. ``source`` is the column of the posting
        source, ``forwarded`` the column naming where a forwarded post came from (both as
        ``fs.read`` gives them for Telegram Desktop exports). Columns ``from``, ``to``,
        ``frame``, ``count`` (forwarded posts with a hit), ``median_lag_days`` (days from
        the forwarded source's latest earlier own post with the frame, where that source
        is in the corpus; NaN otherwise).

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["the collective West", "the collective West again", "other"],
        ...                          dates=["2023-01-01", "2023-01-04", "2023-01-05"],
        ...                          meta={"channel": ["mfa", "embassy", "embassy"],
        ...                                "forwarded_from": [None, "mfa", None]})
        >>> c.forwards({"west": ["collective West"]})
          from       to frame  count  median_lag_days
        0  mfa  embassy  west      1              3.0
        """
        return dynamics.forwards(self, frames, source, forwarded)

    @recorded("Corpus.validation_sample")
    def validation_sample(self, frames, per_period: int = 20, by="year", seed: int = 1,
                          window: int = 10) -> pd.DataFrame:
        """A stratified random sample of frame hits to code by hand: per frame and period
        (``by`` as in :meth:`frame_trends`) up to ``per_period`` hits drawn with ``seed``,
        as keyword-in-context lines (``window`` tokens each side) with ``id``, ``date``,
        the stratum's hit count (``hits_in_stratum``) and an empty ``label`` column to
        fill with 1 (the frame) or 0 (a false positive); write it with ``.to_csv`` and read
        it back into :meth:`framescope.TrendTable.correct`.

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["the collective West", "West Bank", "the West"], dates=["2023-01-01"] * 3)
        >>> s = c.validation_sample({"west": ["West"]}, per_period=2, seed=1)
        >>> len(s), list(s.columns[:3]), bool(s["label"].isna().all())
        (2, ['period', 'doc', 'id'], True)
        """
        return validation.validation_sample(self, frames, per_period, by, seed, window)

    def report(self, frames, path, by="year", *, group: str | None = None, per_period: int = 8,
               max_contexts: int = 4000, window: int = 10, context_chars: int = 400,
               level: float = 0.95, title: str | None = None, seed: int = 1) -> Report:
        """Writes one self-contained, interactive HTML report to share (no Python, no network).

        Trend lines with interval bands (per 10,000 tokens or share of documents, log
        scale, a period range; a group selector when ``group`` names a metadata column);
        a click on a point (or on a heatmap cell, or the keyboard form) lists a seeded
        sample of that frame's keyword-in-context lines in that period (``window`` tokens
        either side; id, date, source) and opens a passage of ``context_chars``
        characters around each hit; the frames x periods heatmap; the dictionary with
        each pattern's hits; how the corpus was read, cleaned and dated; the run record;
        "Download CSV" under each view. At most ``per_period`` contexts per frame and
        period (and group), ``max_contexts`` in all: the file stays small (about 1 MB
        for the demo corpus). Strings from the corpus are data, never markup, and the
        page's Content-Security-Policy blocks network access and injected code (see
        :mod:`framescope.report`). ``by`` is one key as in :meth:`frame_trends`.

        Returns a :class:`framescope.report.Report` (path, bytes, counts, run record),
        which a notebook shows inline in an iframe.

        Examples
        --------
        >>> import framescope as fs, tempfile, os
        >>> c = fs.datasets.demo()
        >>> path = os.path.join(tempfile.mkdtemp(), "report.html")
        >>> r = c.report(fs.Frames.builtin(), path, group="channel")
        >>> r.frames, r.periods, r.bytes < 3_000_000
        (20, 15, True)
        """
        return report.write_report(self, frames, path, by, group=group, per_period=per_period,
                                   max_contexts=max_contexts, window=window,
                                   context_chars=context_chars, level=level, title=title,
                                   seed=seed)

    @recorded("Corpus.neighbours")
    def neighbours(self, word, by="year", top: int = 15, *, window: int = 5, dim: int = 100,
                   min_count: int = 5, max_units: int = 20_000, stem: str | None = None,
                   phrases: bool = False, flag: float = 0.95, seed: int = 1):
        """A word's nearest neighbours per period and its semantic drift: a
        :class:`framescope.semantic.Neighbours` (``.table``, ``.drift``,
        ``.most_changed``, ``.plot()``).

        One word space per period (``by``: a calendar period or a metadata column, in
        order; undated documents left out) over the same units: positive PMI of
        co-occurrences within ``window`` units reduced to ``dim`` dimensions by a seeded
        randomized SVD, each period's space rotated onto the previous one's by
        orthogonal Procrustes over the words seen ``min_count`` times in both (Hamilton,
        Leskovec and Jurafsky 2016). ``word`` is a word, a two-word phrase, or a list of
        them; ``stem="auto"`` (or a language) makes case forms one unit, so "запад"
        covers "запада" and "западу". ``.drift`` gives per period one minus the cosine
        of the word's aligned vectors in the period and the previous one, its
        percentile among words of similar frequency, the share of its ``top``
        neighbours kept, and ``changed`` where the percentile reaches ``flag``.
        ``.most_changed``: the ``top`` words that drifted most per period. Spaces of
        small periods are noisy: read drift with the percentile, and check the
        neighbours. Deterministic with ``seed``.

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.datasets.demo()
        >>> n = c.neighbours("partners", by="2y", min_count=3)
        >>> row = n.drift.loc[n.drift["drift"].idxmax()]
        >>> str(row["period"]), bool(row["changed"])
        ('2022–2023', True)
        """
        return semantic.neighbours(self, word, by, top, window=window, dim=dim,
                                   min_count=min_count, max_units=max_units, stem=stem,
                                   phrases=phrases, flag=flag, seed=seed)

    @recorded("Corpus.frame_context")
    def frame_context(self, frames, frame: str | None = None, by="year", window: int = 10,
                      top: int | None = 20, stop_words="auto", measure: str = "lr",
                      min_count: int = 2) -> pd.DataFrame:
        """What a frame is said with, period by period: the words within ``window``
        tokens of ``frame``'s hits (the hits' own words left out, each position counted
        once), each period's context against the other periods' contexts, by keyness
        (``measure`` as in :func:`framescope.keyness`; words over-represented in that
        period's context only). ``by`` as in :meth:`frame_trends`; stop words removed
        (``stop_words``, default English + Russian). Returns per period the ``top`` words:
        ``rank``, ``term``, ``n_context``, ``n_other`` and the keyness columns.
        Counting runs in the core; the comparison is one pass over the context words per
        period.

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["sanctions of the collective West"] * 3 + ["hegemony of the collective West"] * 3,
        ...                          dates=["2015-01-01"] * 3 + ["2022-01-01"] * 3)
        >>> fs_ctx = c.frame_context({"west": ["collective West"]}, window=3, top=1)
        >>> fs_ctx[["period", "rank", "term", "n_context", "n_other"]]
          period  rank       term  n_context  n_other
        0   2015     1  sanctions          3        0
        1   2022     1   hegemony          3        0
        """
        return dynamics.frame_context(self, frames, frame, by, window, top, stop_words, measure,
                                      min_count)

    @recorded("Corpus.fillers")
    def fillers(self, pattern: str, by="year", top: int | None = 10) -> pd.DataFrame:
        """The words that fill a slot, per period, as in the Ngram Viewer's wildcard
        search: ``pattern`` is 2 to 5 words with at least one lone ``*`` slot
        ("collective *", "the * world", "коллективн* *": a word ending in ``*`` matches
        every word it starts). Words are normalised as the corpus' tokens; phrases do not
        cross punctuation. ``by`` as in :meth:`frame_trends`. Returns per period (or
        group) the ``top`` fillers by ``count``, with ``rank`` and ``per_10k`` (per
        10,000 tokens of the period).

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["the collective West and collective security",
        ...                           "collective West, collective West"], dates=["2021-05-01", "2022-05-01"])
        >>> c.fillers("collective *")[["period", "filler", "count", "rank"]]
          period    filler  count  rank
        0   2021  security      1     1
        1   2021      west      1     2
        2   2022      west      2     1
        """
        return dynamics.fillers(self, pattern, by, top)

    # ---------------------------------------------------------- discovery
    @recorded("Corpus.collocations")
    def collocations(self, size=2, min_count: int = 2, *, smoothing: float = 0.5,
                     stop_words=None) -> pd.DataFrame:
        """Candidate multi-word expressions, scored as quanteda's ``textstat_collocations``.

        For every sequence of ``size`` words (an int, a (min, max) pair, or a range
        within 2..5) seen at least ``min_count`` times, not crossing punctuation:
        ``lambda`` (Blaheta and Johnson's log odds ratio over the 2^n table of
        position agreements, ``smoothing`` added to each cell), ``sigma``, ``z`` =
        lambda / sigma, ``pmi`` = ln(count N^(n-1) / prod c_i) and ``G2`` against
        independent positions. Sorted by ``z``; ``collocation`` strings can be used
        directly as frame patterns.

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["the collective West and the Global Majority"] * 3
        ...                          + ["the West and the world", "a world order"])
        >>> c.collocations(min_count=3, stop_words="english")[["collocation", "count"]]
               collocation  count
        0  collective west      3
        1  global majority      3
        """
        return discovery.collocations(self, size, min_count, smoothing=smoothing, stop_words=stop_words)

    @recorded("Corpus.emerging")
    def emerging(self, by: str = "year", size=(1, 3), top: int | None = 50, *,
                 method: str = "burst", s: float = 2.0, gamma: float = 1.0, window: int = 3,
                 min_count: int = 5, stop_words="auto") -> pd.DataFrame:
        """Terms and phrases whose use rises suddenly, with when.

        ``method="burst"``: Kleinberg's two-state burst detection over periods (``by``:
        a calendar period, or a list of one with metadata keys, ``["party", "year"]``:
        each group's own trajectory, its key columns first and ``top`` rows per group). For a term with r_t hits among d_t n-grams
        in period t and overall rate p0, the burst state emits at p1 = s p0; a state's
        cost in a period is the binomial negative log-likelihood; entering the burst
        costs gamma ln(T). The cheapest state sequence gives bursts ``start``..``end``
        with ``score`` = the sum over the burst of (base cost - burst cost).
        ``method="ratio"``: ``score`` = log2 of a period's smoothed rate over the mean
        of the ``window`` periods before it (rates (r + 0.5) / (d + 1)).

        Terms of ``size`` words (an int or (min, max), 1..5) seen at least ``min_count``
        times; stop words removed (``stop_words``, default English + Russian). Returns
        ``term``, ``size``, ``start``, ``end``, ``score``, ``count``, ``per_10k`` (during
        the burst), ``overall_per_10k``; highest scores first, ``top`` rows.

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.datasets.demo()
        >>> e = c.emerging(size=2, top=None)
        >>> e[e["start"] == "2022"]["term"].head(3).tolist()
        ['collective west', 'world majority', 'partners notes']
        """
        return discovery.emerging(self, by, size, top, method=method, s=s, gamma=gamma, window=window,
                        min_count=min_count, stop_words=stop_words)

    @recorded("Corpus.distribution")
    def distribution(self, by: str = "year", terms=None, *, normalize: str | None = None,
                     size: int = 1, stop_words=None, min_count: int = 1):
        """Counts of terms per period: a :class:`framescope.discovery.Distribution`.

        ``values`` is an ndarray periods x terms with ``periods`` and ``terms`` labels,
        plus ``docs`` and ``tokens`` per period; ``.to_pandas()`` gives a DataFrame.
        Beyond 16.7 million cells (every word per day, say) ``values`` is a
        ``scipy.sparse`` CSR matrix of the counts that occur and the DataFrame is
        sparse-backed, as :meth:`frame_counts` is: memory follows the data, never
        periods x vocabulary (cells a dense result leaves NaN, a period without tokens
        or a term never seen, are not stored).
        ``terms``: a list of words or phrases (patterns of :class:`framescope.Frames`),
        or None for every term of ``size`` words seen ``min_count`` times.
        ``normalize``: None (counts), "per_10k" (per 10,000 tokens of the period) or
        "share" (each term's counts as shares of its total over periods). ``by`` as in
        :meth:`frame_trends` (undated documents: the period "undated"; a list gives
        one index level per key in ``.to_pandas()``).

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["BRICS BRICS sanctions", "sanctions"], dates=["2022-01-01", "2023-01-01"])
        >>> d = c.distribution(terms=["BRICS", "sanctions"])
        >>> d.values.tolist(), d.periods, d.tokens.tolist()
        ([[2, 1], [0, 1]], ['2022', '2023'], [3, 1])
        """
        return discovery.distribution(self, by, terms, normalize=normalize, size=size,
                            stop_words=stop_words, min_count=min_count)

    # ------------------------------------------------------------ hygiene
    @property
    def read_report(self) -> pd.DataFrame:
        """What :func:`framescope.read` skipped, replaced or renamed: source, kind, message.

        Kinds: "files_not_read" (files of a folder whose extension names no format read,
        one row per extension), "skipped_record" (``errors="skip"``), "replaced_utf8"
        (``encoding_errors="replace"``), "skipped_service" and "skipped_empty"
        (Telegram service and media-only messages), "renamed_id" (an id used twice),
        "hyphenated_words" (a note: words broken across line breaks, as in OCR'd or PDF
        text, which :meth:`dedup` with ``hyphenation=True`` makes whole), "html_markup" (a
        note: HTML tags or entities, which ``dedup(html=True)`` removes), "escaped_text" (a
        note: escape sequences written out, as in text escaped twice), "epoch_date" (a
        note: a metadata date of 1970-01-01, kept; often a missing time stored as 0),
        "skipped_file" (``errors="skip"``: a file that could not be read at all),
        "decoded_charset" (a saved web page not in UTF-8, decoded by the charset it
        declares).
        A corpus built from texts (:meth:`from_texts`, :meth:`from_pandas`,
        :meth:`from_arrow`) has the "bad_date" rows of ``bad_dates="undated"`` and the
        notes on its texts; empty when there is nothing to say.
        """
        if self._read_report is None:
            return pd.DataFrame(columns=["source", "kind", "message"])
        return self._read_report

    def check(self) -> pd.DataFrame:
        """What in the texts or dates may make counts wrong without an error, one row per
        document and kind; nothing is changed. :func:`framescope.read` reports the same in
        :attr:`read_report`; this serves corpora built any way (``from_pandas``,
        ``from_texts``). Kinds: "hyphenated_words" (words broken across line breaks, as in
        OCR'd or PDF text: :meth:`dedup` with ``hyphenation=True`` mends them),
        "html_markup" (tags and entities a scrape left: ``dedup(html=True)`` removes them),
        "escaped_text" (escape sequences written out: text escaped twice) and
        "epoch_date" (dated 1970-01-01, the Unix epoch: a missing time stored as 0?).
        Columns: ``id``, ``source``, ``kind``, ``message``.

        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts(["a multipo-\\nlar world", "the collective&nbsp;West", "fine"])
        >>> c.check()[["id", "kind"]]
          id              kind
        0  0  hyphenated_words
        1  1       html_markup
        """
        doc, rows = notices.note_rows(self._core)
        epoch = np.flatnonzero((self.dates == pd.Timestamp("1970-01-01")).to_numpy())
        sources = self._core.sources()
        rows = pd.concat([rows, pd.DataFrame({
            "source": [sources[i] for i in epoch.tolist()], "kind": "epoch_date",
            "message": "dated 1970-01-01, the Unix epoch: a missing time stored as 0? "
                       "It is used as given"}, columns=rows.columns)], ignore_index=True)
        doc = np.concatenate([doc, epoch])
        order = np.argsort(doc, kind="stable")
        ids = np.array(self._core.ids(), dtype=object)
        rows = rows.iloc[order].reset_index(drop=True)
        rows.insert(0, "id", ids[doc[order]] if len(doc) else [])
        return rows

    @property
    def dedup_report(self) -> pd.DataFrame:
        """What :meth:`dedup` changed: one row per cleaned, emptied or duplicate document.

        Columns: ``id``, ``source``, ``action`` ("cleaned", "empty", "duplicate",
        "near_duplicate"), ``kept_id`` (the document kept in a duplicate's place),
        ``similarity`` (1.0 for exact duplicates, else the MinHash estimate of
        Jaccard similarity), ``boilerplate_lines``, ``repeated_lines``, ``joined_words``
        (words hyphenated across a line break made whole, with ``hyphenation=True``),
        ``markup`` (HTML tags and entities removed or decoded, with ``html=True``),
        ``removed_bytes``.
        """
        if self._dedup_report is None:
            return pd.DataFrame(columns=["id", "source", "action", "kept_id", "similarity",
                                         "boilerplate_lines", "repeated_lines", "joined_words",
                                         "markup", "removed_bytes"])
        return self._dedup_report

    def dedup(self, *, boilerplate=True, repeats: bool | str = "auto", min_repeat_chars: int = 30,
              drop_empty: bool = True, duplicates: bool = True, near: bool = True,
              threshold: float = 0.8, shingle: int = 5, num_perm: int = 128,
              hyphenation: bool = False, html: bool = False,
              progress: bool | None = None) -> Corpus:
        """Clean scraped text and remove duplicate documents; the report is :attr:`dedup_report`.
        ``progress``: a progress bar, as in :func:`framescope.read`.

        Steps, each optional, in this order:

        0. ``html``: remove the HTML a scrape left in the text ("collective&nbsp;West",
           "the collective <b>West</b>", "<p>...</p>"), whose tag and entity names are
           otherwise read as words ("nbsp", "b") and split phrases (:func:`framescope.read`
           reports such documents as "html_markup"): comments, script and style blocks
           and tags of HTML's own names go (``<br>``, ``<p>``, ``<li>`` and other block
           tags become a line break, inline ones such as ``<b>`` nothing, as a browser
           shows them) and entities are decoded (``&nbsp;`` a no-break space,
           ``&#8217;`` an apostrophe). "a < b", "R&D" and unknown "&foo;" stay. Off by
           default.
        1. ``boilerplate``: drop whole lines that are platform furniture. ``True``
           uses :func:`framescope.platform_lines` ("Forwarded from ...", "Read in
           full", "VIEW IN TELEGRAM", "Media is too big", ...); a list of regexes
           (each matching a whole, trimmed line) replaces it; ``False`` keeps all lines.
        2. ``repeats``: inside a document, drop a line of at least
           ``min_repeat_chars`` characters that already occurred (whitespace
           ignored), and a preview line cut with "…" whose text begins a later line:
           a post's preview followed by its full text is kept once. ``"auto"``
           (default) does this only in documents that show such a duplication (a
           platform line such as "Read in full", two consecutive repeated lines, or
           a cut preview), so a speech's refrain, repeated "(Applause.)" lines or a
           repeated table row in an ordinary document are kept; ``True`` does it in
           every document, ``False`` in none.
        3. ``hyphenation``: make words hyphenated across a line break whole again, as
           OCR'd and PDF-extracted text holds them ("multipo-⏎lar", "Glo-⏎bal
           Majority", "много-⏎полярный": two tokens each, so frames miss them;
           :func:`framescope.read` reports such documents as "hyphenated_words"). The
           corpus decides each word: written whole elsewhere more often than with a
           hyphen, the pieces are joined ("multipolar"); more often with one, the
           hyphen stays ("rules-⏎based" is "rules-based", broken at its own hyphen);
           neither, the hyphen stays after a compound ("state-of-the-⏎art") and the
           pieces are joined otherwise (textacy's rule: "well-⏎known" becomes
           "wellknown" unless "well-known" occurs on one line somewhere). A soft hyphen
           or "¬" at the line end always joins; a capital after the hyphen
           ("Russian-⏎American") is no break. The line break goes with the hyphen.
           Off by default: born-digital text (sites, Telegram) has no such breaks.
        4. ``drop_empty``: drop documents left without a letter or digit.
        5. ``duplicates``: drop documents whose words equal an earlier document's
           (ignoring case, punctuation, spacing), and with ``near``, those whose
           set of ``shingle``-word shingles has Jaccard similarity >= ``threshold``
           with an earlier kept document (MinHash with ``num_perm`` permutations,
           candidates by LSH). The earliest document of each group is kept.

        Returns a new corpus (metadata rows follow their documents).

        Examples
        --------
        >>> import framescope as fs
        >>> c = fs.Corpus.from_texts([
        ...     "Forwarded from Russian MFA\\nThe collective West imposes sanctions again.\\n"
        ...     "Read in full\\nThe collective West imposes sanctions again.",
        ...     "the collective west imposes SANCTIONS again!",
        ...     "Media is too big\\nVIEW IN TELEGRAM"])
        >>> clean = c.dedup()
        >>> clean.texts
        ['The collective West imposes sanctions again.']
        >>> clean.dedup_report[["id", "action", "kept_id", "boilerplate_lines", "repeated_lines"]]
          id     action kept_id  boilerplate_lines  repeated_lines
        0  0    cleaned     NaN                  2               1
        1  1  duplicate       0                  0               0
        2  2    cleaned     NaN                  2               0
        3  2      empty     NaN                  0               0
        """
        done = cleaning.clean(
            self._core, boilerplate=boilerplate, repeats=repeats, min_repeat_chars=min_repeat_chars,
            drop_empty=drop_empty, duplicates=duplicates, near=near, threshold=threshold,
            shingle=shingle, num_perm=num_perm, hyphenation=hyphenation, html=html,
            progress=progress)
        meta = None if self._meta is None else self._meta.iloc[done.kept].reset_index(drop=True)
        return Corpus(done.native, meta, self._tokenizer, read_report=self._read_report,
                      dedup_report=done.report)

    # ------------------------------------------------------------- output
    def to_pandas(self, text: bool = False) -> pd.DataFrame:
        """One row per document: id, (text, with ``text=True``), date, date_source,
        source, n_tokens, then metadata.

        >>> import framescope as fs
        >>> fs.Corpus.from_texts(["a b", "c"], dates=["2020-01-02", None], meta={"lang": ["en", "en"]}).to_pandas()
          id       date date_source source  n_tokens lang
        0  0 2020-01-02    metadata                2   en
        1  1        NaT        none                1   en
        """
        columns = {"id": self.ids}
        if text:
            columns["text"] = self.texts
        frame = pd.DataFrame({
            **columns,
            "date": self.dates,
            "date_source": self._core.date_sources(),
            "source": self._core.sources(),
            "n_tokens": self.n_tokens,
        })
        if self._meta is not None:
            frame = pd.concat([frame, self._meta], axis=1)
        return frame

    def __repr__(self) -> str:
        dates = self.dates.dropna()
        span = f"{dates.min().date()}..{dates.max().date()}" if len(dates) else "undated"
        return f"<Corpus: {len(self)} documents, {span}>"

    def _repr_html_(self) -> str:
        head = self.to_pandas().head(10).copy()
        shown = [self._core.text(i) for i in range(len(head))]  # not every text of the corpus
        head.insert(1, "text", [t[:120] + ("…" if len(t) > 120 else "") for t in shown])
        return f"<p><b>{html.escape(repr(self))}</b></p>" + head.to_html(index=False)

    def save(self, path, *, tokens: bool = True) -> None:
        """Writes the corpus to ``path`` (a versioned binary file; load it with
        :func:`framescope.load`): documents, dates, provenance, metadata, reports,
        tokenizer settings and, with ``tokens``, the token ids under this corpus'
        tokenizer (tokenizing first if not done yet), so the loaded corpus skips
        tokenizing. The file is written beside ``path`` and renamed when complete: a
        failed save leaves no half file. Metadata columns are stored as Arrow (a
        column mixing types Arrow cannot hold is an error naming it).
        """
        store.write(self, path, tokens=tokens)

    def __getstate__(self):
        return {"core": self._core, "meta": self._meta, "tokenizer": self._tokenizer,
                "read_report": self._read_report, "dedup_report": self._dedup_report}

    def __setstate__(self, state):
        self._core = state["core"]
        self._meta = state["meta"]
        self._tokenizer = state["tokenizer"]
        self._read_report = state.get("read_report")
        self._dedup_report = state.get("dedup_report")


def _labels(values, what: str, one: str) -> list[str]:
    """Ids or sources written with ``str``; a missing value (None, NaN, NaT, pd.NA) is an
    error naming its position, as a null in an Arrow column is (it would become the
    label "None" or "nan")."""
    values = list(values)
    missing = np.flatnonzero(pd.Series(values, dtype=object).isna().to_numpy())
    if len(missing):
        i = int(missing[0])
        raise TypeError(f"{what}: position {i} is missing ({values[i]!r}); give every "
                        f"document {one}")
    return [str(v) for v in values]


def _pandas_strings(series: pd.Series, name: str, role: str):
    """A DataFrame's text, id or source column for :meth:`Corpus.from_texts`: strings
    stored in Arrow (pandas 3's default) as Arrow's buffers, with no str made per row
    (a null is an error naming its row); otherwise the values as a list (ids and
    sources written with ``str``)."""
    stored = arrow.pandas_strings(series)
    if stored is not None:
        return arrow.string_buffers(stored, name, role)
    return series.tolist() if role == "text" else _labels(series, f"{role} column {name!r}",
                                                           f"its {role}")


class _ByIds:
    """``corpus.loc``: documents by id."""

    def __init__(self, corpus: Corpus):
        self._corpus = corpus

    def __getitem__(self, key):
        c = self._corpus
        if isinstance(key, str):
            return c[key]
        ids = list(key)
        missing = []
        positions = []
        for k in ids:
            try:
                positions.append(c._position(str(k)))
            except KeyError:
                missing.append(k)
        if missing:
            raise KeyError(f"{len(missing)} ids not in the corpus, first: {missing[:3]}")
        return c._subset(np.asarray(positions, dtype=np.int64))


def concat(corpora) -> Corpus:
    """The documents of several corpora, one after another, with their metadata
    (columns joined; a column missing from a corpus is empty there) and reports.

    Ids stay unique: an id already taken becomes ``id~2`` (``~3``, ...), listed in
    ``read_report`` as "renamed_id". The corpora must share a tokenizer.

    >>> import framescope as fs
    >>> a = fs.Corpus.from_texts(["the collective West"], meta={"outlet": ["MFA"]})
    >>> b = fs.Corpus.from_texts(["the Global Majority"], dates=["2024-06-11"])
    >>> (a + b).to_pandas()[["id", "date", "outlet"]]
        id       date outlet
    0    0        NaT    MFA
    1  0~2 2024-06-11    NaN
    """
    corpora = list(corpora)
    if not corpora:
        raise ValueError("concat needs at least one corpus")
    for i, c in enumerate(corpora):
        if not isinstance(c, Corpus):
            raise TypeError(f"corpora[{i}] is a {type(c).__name__}, not a framescope Corpus")
    first = corpora[0].tokenizer
    for i, c in enumerate(corpora[1:], start=1):
        if c.tokenizer != first:
            raise ValueError(f"corpora[{i}] is tokenized as {c.tokenizer!r}, corpora[0] as "
                             f"{first!r}; give them one tokenizer (with_tokenizer) first")
    joined_core = _core.Corpus.concat([c.native for c in corpora])
    native = joined_core["corpus"]
    renamed = list(zip(joined_core["position"], joined_core["old"], joined_core["new"], strict=True))
    metas = [c._meta for c in corpora]
    meta = None
    if any(m is not None for m in metas):
        meta = pd.concat([m if m is not None else pd.DataFrame(index=range(len(c)))
                          for m, c in zip(metas, corpora, strict=True)], ignore_index=True)
    sources = native.sources() if renamed else None
    renames = pd.DataFrame([(sources[i] or new, "renamed_id", f"id {old!r} already used; this document is {new!r}")
                            for i, old, new in renamed], columns=["source", "kind", "message"])

    def joined(reports):
        kept = [r for r in reports if r is not None and len(r)]
        return pd.concat(kept, ignore_index=True) if kept else None

    read_report = joined([c._read_report for c in corpora] + [renames])
    dedup_report = joined([c._dedup_report for c in corpora])
    return Corpus(native, meta, first, read_report=read_report, dedup_report=dedup_report)


def load(path) -> Corpus:
    """Loads a corpus written by :meth:`Corpus.save` (this format version or an older
    one): the same documents, metadata, reports and tokenizer settings, with its tokens
    ready (no tokenizing). Nothing in the file is executed (unlike pickle); a damaged,
    truncated or newer file is an :class:`framescope.InputError` naming it.

    Examples
    --------
    >>> import framescope as fs, pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "speeches.fsc"
    >>> c = fs.Corpus.from_texts(["the collective West", "мировое большинство"],
    ...                          dates=["2022-03-01", None], meta={"lang": ["en", "ru"]})
    >>> c.save(path)
    >>> back = fs.load(path)
    >>> back.texts == c.texts, back.meta.equals(c.meta), back.native.is_tokenized(back.tokenizer)
    (True, True, True)
    """
    parts = store.read(path)
    return Corpus(parts["native"], parts["meta"], parts["tokenizer"],
                  read_report=parts["read_report"], dedup_report=parts["dedup_report"])


@functools.wraps(discovery.keyness)
@recorded("keyness")
def keyness(corpus, target=None, *args, **kwargs):
    # A second corpus as the target (or as reference=): the first's documents against it.
    if isinstance(kwargs.get("reference"), Corpus):
        if target is not None:
            raise ValueError("give one of target, by or reference")
        target = kwargs.pop("reference")
    if isinstance(target, Corpus):
        inside = np.r_[np.ones(len(corpus), dtype=bool), np.zeros(len(target), dtype=bool)]
        return discovery.keyness(concat([corpus, target]), inside, *args, **kwargs)
    return discovery.keyness(corpus, target, *args, **kwargs)
