//! Binding for `Corpus`: documents in Rust, tokenized once per tokenizer setting
//! and cached. Conversion only; the work is in the core.

use std::any::Any;
use std::sync::{Arc, Mutex};

use ahash::AHashSet;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::exceptions::{PyIndexError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::choice::Choice;
use crate::corpus::notes::text_notes;
use crate::corpus::{Corpus, DateSource, StringColumn};
use crate::count::termfreq::{term_frequencies, TermFreqOptions};
use crate::frames::scan::Scan;
use crate::frames::set::FrameSet;
use crate::python::columns::Columns;
use crate::python::convert::{ArrowStrings, Wrap};
use crate::python::documents::owned_column;
use crate::python::errors::core;
use crate::python::guard::{run, run_while, Both};
use crate::text::stem::WordStemmer;
use crate::text::tokenized::TokenizedCorpus;
use crate::text::tokenizer::{HashtagMode, HyphenMode, Tokenizer, TokenizerOptions};

/// Tokenizer settings (picklable).
#[pyclass(frozen, module = "framescope._core", name = "TokenizerSpec")]
#[derive(Clone)]
pub struct PyTokenizerSpec {
    pub(crate) opts: TokenizerOptions,
}

#[pymethods]
impl PyTokenizerSpec {
    #[new]
    #[pyo3(signature = (lowercase=true, hashtags=Wrap(HashtagMode::Word), hyphens=Wrap(HyphenMode::Split), numbers=true, possessives=true, mixed_script=true, yo=true))]
    fn new(
        lowercase: bool,
        hashtags: Wrap<HashtagMode>,
        hyphens: Wrap<HyphenMode>,
        numbers: bool,
        possessives: bool,
        mixed_script: bool,
        yo: bool,
    ) -> PyResult<Self> {
        Ok(PyTokenizerSpec {
            opts: TokenizerOptions {
                lowercase,
                hashtags: hashtags.0,
                hyphens: hyphens.0,
                numbers,
                strip_possessive: possessives,
                fold_mixed_script: mixed_script,
                fold_yo: yo,
            },
        })
    }

    /// Tokens of one text.
    fn tokenize(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        Tokenizer::new(self.opts.clone()).tokenize(text, |t, _, _| out.push(t.to_string()));
        out
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let o = &slf.get().opts;
        let args = (
            o.lowercase,
            Wrap(o.hashtags),
            Wrap(o.hyphens),
            o.numbers,
            o.strip_possessive,
            o.fold_mixed_script,
            o.fold_yo,
        )
            .into_pyobject(slf.py())?;
        Ok((slf.get_type().into_any(), args))
    }

    /// Equal when every setting is equal (corpora tokenized alike can be joined).
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyTokenizerSpec>()
            .is_ok_and(|o| o.get().opts == self.opts)
    }

    fn __hash__(&self) -> u64 {
        let o = &self.opts;
        let bits = [
            o.lowercase,
            o.numbers,
            o.strip_possessive,
            o.fold_mixed_script,
            o.fold_yo,
        ];
        let flags = bits.iter().fold(0u64, |acc, &b| (acc << 1) | u64::from(b));
        (flags << 16) ^ ((o.hashtags as u64) << 8) ^ (o.hyphens as u64)
    }

    fn __repr__(&self) -> String {
        let o = &self.opts;
        let py_bool = |b: bool| if b { "True" } else { "False" };
        format!(
            "TokenizerSpec(lowercase={}, hashtags={:?}, hyphens={:?}, numbers={}, possessives={}, mixed_script={}, yo={})",
            py_bool(o.lowercase),
            o.hashtags.as_str(),
            o.hyphens.as_str(),
            py_bool(o.numbers),
            py_bool(o.strip_possessive),
            py_bool(o.fold_mixed_script),
            py_bool(o.fold_yo)
        )
    }
}

/// Documents held in Rust, with a cache of tokenizations.
/// One document's fields (Python builds its `Document` from them).
#[pyclass(frozen, get_all, module = "framescope._core", name = "DocumentFields")]
pub struct PyDocumentFields {
    /// Id.
    id: String,
    /// Text.
    text: String,
    /// Date as days since 1970-01-01 (`MISSING_DAY` when unknown).
    day: i64,
    /// Where the date came from.
    date_source: &'static str,
    /// Provenance.
    source: String,
}

#[pyclass(frozen, module = "framescope._core", name = "Corpus")]
pub struct PyCorpus {
    pub(crate) inner: Arc<Corpus>,
    tokenized: Mutex<Vec<(TokenizerOptions, Arc<TokenizedCorpus>)>>,
    /// Token counts found by frame scans, for a corpus not tokenized into ids.
    lengths: Mutex<Vec<(TokenizerOptions, Arc<Vec<u64>>)>>,
}

/// Keeps the last few entries of a cache keyed by tokenizer settings.
fn remember<T>(cache: &Mutex<Vec<(TokenizerOptions, T)>>, opts: &TokenizerOptions, value: T) {
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= 4 {
        cache.remove(0);
    }
    cache.push((opts.clone(), value));
}

fn cached<T: Clone>(
    cache: &Mutex<Vec<(TokenizerOptions, T)>>,
    opts: &TokenizerOptions,
) -> Option<T> {
    let cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .iter()
        .find(|(o, _)| o == opts)
        .map(|(_, v)| v.clone())
}

impl PyCorpus {
    pub(crate) fn from_core(inner: Corpus) -> Self {
        PyCorpus {
            inner: Arc::new(inner),
            tokenized: Mutex::new(Vec::new()),
            lengths: Mutex::new(Vec::new()),
        }
    }

    /// A corpus whose tokenizations are known already (loaded with it).
    pub(crate) fn with_tokenizations(
        inner: Corpus,
        tokenizations: Vec<(TokenizerOptions, TokenizedCorpus)>,
    ) -> Self {
        let me = PyCorpus::from_core(inner);
        for (opts, tc) in tokenizations {
            remember(&me.tokenized, &opts, Arc::new(tc));
        }
        me
    }

    pub(crate) fn tokens_for(
        &self,
        py: Python<'_>,
        spec: &PyTokenizerSpec,
    ) -> PyResult<Arc<TokenizedCorpus>> {
        if let Some(tc) = cached(&self.tokenized, &spec.opts) {
            return Ok(tc);
        }
        let corpus = self.inner.clone();
        let tokenizer = Tokenizer::new(spec.opts.clone());
        let tc = Arc::new(run(py, move || {
            Ok(TokenizedCorpus::build(&corpus.texts(), &tokenizer))
        })?);
        remember(&self.tokenized, &spec.opts, tc.clone());
        Ok(tc)
    }

    /// The hits of `frames` and every document's token count: from the tokenized
    /// corpus if it is tokenized with `spec` already, else by scanning the texts for
    /// the frames' words (no ids kept), else by tokenizing it.
    pub(crate) fn frame_scan(
        &self,
        py: Python<'_>,
        spec: &PyTokenizerSpec,
        frames: &FrameSet,
    ) -> PyResult<Arc<Scan>> {
        Ok(self.frame_scan_while(py, spec, frames, None)?.scan)
    }

    /// [`Self::frame_scan`], calling `meanwhile` (a Python callable, no arguments) on
    /// this thread while the pool matches: Python work the caller needs next, done
    /// while the core needs no Python. Its result (or error, raised once the matching
    /// has stopped) comes back with the scan.
    pub(crate) fn frame_scan_while(
        &self,
        py: Python<'_>,
        spec: &PyTokenizerSpec,
        frames: &FrameSet,
        meanwhile: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ScanWhile> {
        let call = |_py: Python<'_>| -> PyResult<Option<Py<PyAny>>> {
            meanwhile.map(|f| f.call0().map(Bound::unbind)).transpose()
        };
        let tokenizer = Tokenizer::new(spec.opts.clone());
        let mut called: Option<Option<Py<PyAny>>> = None;
        if cached(&self.tokenized, &spec.opts).is_none() {
            let corpus = self.inner.clone();
            let key: Arc<dyn Any + Send + Sync> = corpus.clone();
            let t = tokenizer.clone();
            let both = run_while(py, move || frames.scan(&t, &key, &corpus.texts()), call)?;
            if let Some(s) = both.core {
                if cached(&self.lengths, &spec.opts).is_none() {
                    remember(&self.lengths, &spec.opts, Arc::new(s.lengths.clone()));
                }
                return Ok(ScanWhile {
                    scan: s,
                    meanwhile: both.meanwhile,
                });
            }
            called = Some(both.meanwhile);
        }
        let tc = self.tokens_for(py, spec)?;
        let both = match called {
            Some(done) => Both {
                core: run(py, || frames.match_corpus(&tokenizer, &tc))?,
                meanwhile: done,
            },
            None => run_while(py, || frames.match_corpus(&tokenizer, &tc), call)?,
        };
        Ok(ScanWhile {
            scan: Arc::new(Scan {
                lengths: tc.lengths(),
                matches: both.core,
            }),
            meanwhile: both.meanwhile,
        })
    }
}

/// A frame scan and what the caller's `meanwhile` returned while it ran.
pub(crate) struct ScanWhile {
    /// The hits and token counts.
    pub scan: Arc<Scan>,
    /// `meanwhile`'s result; None when no callable was given.
    pub meanwhile: Option<Py<PyAny>>,
}

/// Days since 1970-01-01 from `parse_dates` (`MISSING_DAY` where none), one per text.
fn days_of(a: &numpy::PyReadonlyArray1<'_, i64>, n: usize) -> PyResult<Vec<Option<i32>>> {
    check_len("dates", a.len()?, n)?;
    a.as_array()
        .iter()
        .map(|&v| match v {
            crate::python::dates::MISSING_DAY => Ok(None),
            v => i32::try_from(v)
                .map(Some)
                .map_err(|_| PyValueError::new_err(format!("dates: day {v} is out of range"))),
        })
        .collect()
}

/// Date sources by name ("metadata", "text", "inferred", "none").
fn parse_sources(names: &[String]) -> PyResult<Vec<DateSource>> {
    names
        .iter()
        .enumerate()
        .map(|(i, v)| {
            DateSource::parse(v)
                .map_err(|e| PyValueError::new_err(format!("date_sources: position {i}: {e}")))
        })
        .collect()
}

/// A sequence of str, or Arrow large-string buffers ([`ArrowStrings`]), as a column;
/// errors name the `what` at fault by position.
fn strings_column(py: Python<'_>, obj: &Bound<'_, PyAny>, what: &str) -> PyResult<StringColumn> {
    match ArrowStrings::from_obj(obj) {
        Some(arrow) => arrow.column(py, what),
        None => owned_column(obj, what),
    }
}

fn check_len(name: &str, got: usize, want: usize) -> PyResult<()> {
    if got != want {
        return Err(PyValueError::new_err(format!(
            "{name} has {got} items but there are {want} texts"
        )));
    }
    Ok(())
}

#[pymethods]
impl PyCorpus {
    /// Texts plus optional ids, dates (days since 1970-01-01 or None), date sources and
    /// provenance. Texts, ids and sources: each a sequence of str, or Arrow large-string
    /// buffers `(offsets, data)` (no str object per document). `dates_from_text`: each
    /// document dated by its own text, read from the built column (`chronological`:
    /// year-less dates take a year from their neighbours).
    #[new]
    #[pyo3(signature = (texts_, ids=None, dates=None, date_sources=None, sources=None, dates_from_text=false, chronological=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        texts_: &Bound<'_, PyAny>,
        ids: Option<&Bound<'_, PyAny>>,
        dates: Option<numpy::PyReadonlyArray1<'_, i64>>,
        date_sources: Option<Vec<String>>,
        sources: Option<&Bound<'_, PyAny>>,
        dates_from_text: bool,
        chronological: bool,
    ) -> PyResult<Self> {
        if dates_from_text && (dates.is_some() || date_sources.is_some()) {
            return Err(PyValueError::new_err(
                "dates_from_text: dates come from the texts; give no dates or date_sources",
            ));
        }
        let texts = strings_column(py, texts_, "text")?;
        let n = texts.len();
        let ids = ids.map(|v| strings_column(py, v, "id")).transpose()?;
        if let Some(v) = &ids {
            check_len("ids", v.len(), n)?;
            run(py, || Ok(v.first_duplicate()))?.map_or(Ok(()), |(i, id)| {
                Err(PyValueError::new_err(format!(
                    "ids: {id:?} at position {i} is a duplicate"
                )))
            })?;
        }
        let dates = match dates {
            Some(a) => days_of(&a, n)?,
            None => vec![None; n],
        };
        let date_sources = match date_sources {
            Some(v) => {
                check_len("date_sources", v.len(), n)?;
                parse_sources(&v)?
            }
            // A date given is metadata.
            None => dates
                .iter()
                .map(|d| match d {
                    Some(_) => DateSource::Metadata,
                    None => DateSource::None,
                })
                .collect(),
        };
        let sources = sources
            .map(|v| strings_column(py, v, "source"))
            .transpose()?;
        if let Some(v) = &sources {
            check_len("sources", v.len(), n)?;
        }
        let corpus = run(py, move || {
            let ids = ids.unwrap_or_else(|| StringColumn::numbers(n));
            let sources = sources.unwrap_or_else(|| StringColumn::empty(n));
            let corpus = Corpus::from_columns(ids, texts, dates, date_sources, sources)?;
            // Dated from the column just built: the texts are converted once.
            Ok(if dates_from_text {
                corpus.dated_by_texts(chronological)
            } else {
                corpus
            })
        })?;
        Ok(PyCorpus::from_core(corpus))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// All texts.
    fn texts(&self) -> Vec<&str> {
        self.inner.texts()
    }

    /// BLAKE3 fingerprint of the ids, texts and dates (hex), computed without the GIL.
    fn fingerprint(&self, py: Python<'_>) -> PyResult<String> {
        let inner = self.inner.clone();
        run(py, move || Ok(inner.fingerprint()))
    }

    /// The SHA-256 fingerprint that run records held before (hex), without the GIL.
    fn fingerprint_v1(&self, py: Python<'_>) -> PyResult<String> {
        let inner = self.inner.clone();
        run(py, move || Ok(inner.fingerprint_v1()))
    }

    /// All ids.
    fn ids(&self) -> Vec<&str> {
        self.inner.ids()
    }

    /// Dates as days since 1970-01-01 (`MISSING_DAY` when unknown).
    fn dates<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        self.inner
            .dates()
            .iter()
            .map(|d| d.map_or(crate::python::dates::MISSING_DAY, i64::from))
            .collect::<Vec<i64>>()
            .into_pyarray(py)
    }

    /// Where each date came from.
    fn date_sources(&self) -> Vec<&'static str> {
        self.inner
            .date_sources()
            .iter()
            .map(|d| d.as_str())
            .collect()
    }

    /// Provenance of each document.
    fn sources(&self) -> Vec<&str> {
        self.inner.sources()
    }

    /// Text of document `i`.
    fn text(&self, i: usize) -> PyResult<&str> {
        self.inner.get(i).map(|d| d.text).ok_or_else(|| {
            PyIndexError::new_err(format!(
                "document {i} out of range for {} documents",
                self.inner.len()
            ))
        })
    }

    /// Fields of document `i`, in constant time (for `corpus[i]`).
    fn document(&self, i: usize) -> PyResult<PyDocumentFields> {
        let d = self.inner.get(i).ok_or_else(|| {
            PyIndexError::new_err(format!(
                "document {i} out of range for {} documents",
                self.inner.len()
            ))
        })?;
        Ok(PyDocumentFields {
            id: d.id.to_string(),
            text: d.text.to_string(),
            day: d.date.map_or(crate::python::dates::MISSING_DAY, i64::from),
            date_source: d.date_source.as_str(),
            source: d.source.to_string(),
        })
    }

    /// The documents of `parts` in order (`corpus`), and the ids renamed to stay
    /// unique: `position`, `old`, `new`.
    #[staticmethod]
    fn concat<'py>(
        py: Python<'py>,
        parts: Vec<PyRef<'py, PyCorpus>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let inners: Vec<Arc<Corpus>> = parts.iter().map(|p| p.inner.clone()).collect();
        let (corpus, renamed) = run(py, move || {
            let refs: Vec<&Corpus> = inners.iter().map(|c| c.as_ref()).collect();
            Ok(Corpus::concat(&refs))
        })?;
        let (mut position, mut old, mut new) = (Vec::new(), Vec::new(), Vec::new());
        for (at, was, now) in renamed {
            position.push(at);
            old.push(was);
            new.push(now);
        }
        Ok(Columns::new(py)
            .value("corpus", PyCorpus::from_core(corpus))?
            .value("position", position)?
            .value("old", old)?
            .value("new", new)?
            .finish())
    }

    /// This corpus with metadata dates where `days` (days since 1970-01-01, int64)
    /// holds one; `MISSING_DAY` entries leave a document's date as it is.
    fn with_metadata_dates(
        &self,
        py: Python<'_>,
        days: PyReadonlyArray1<'_, i64>,
    ) -> PyResult<Self> {
        let days: Vec<Option<i32>> = days
            .as_array()
            .iter()
            .map(|&d| match d {
                crate::python::dates::MISSING_DAY => Ok(None),
                d => i32::try_from(d).map(Some).map_err(|_| {
                    PyValueError::new_err(format!("day {d} is out of range for a date"))
                }),
            })
            .collect::<PyResult<_>>()?;
        if days.len() != self.inner.len() {
            return Err(PyValueError::new_err(format!(
                "{} dates for {} documents",
                days.len(),
                self.inner.len()
            )));
        }
        let inner = self.inner.clone();
        Ok(PyCorpus::from_core(run(py, move || {
            Ok(inner.with_metadata_dates(&days))
        })?))
    }

    /// The documents at `indices`, in that order.
    fn select(&self, py: Python<'_>, indices: Vec<usize>) -> PyResult<Self> {
        let n = self.inner.len();
        if let Some(&bad) = indices.iter().find(|&&i| i >= n) {
            return Err(PyIndexError::new_err(format!(
                "document {bad} out of range for {n} documents"
            )));
        }
        let inner = self.inner.clone();
        Ok(PyCorpus::from_core(run(py, move || {
            Ok(inner.select(&indices))
        })?))
    }

    /// What in the texts may make counts wrong ([`crate::corpus::notes`]): columns `doc`
    /// (uint64), `kind`, `message`, one row per document and kind, computed without the GIL.
    fn text_notes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let inner = self.inner.clone();
        let notes = run(py, move || Ok(text_notes(&inner.texts())))?;
        Columns::new(py)
            .array(
                "doc",
                notes
                    .iter()
                    .map(|(d, _, _)| *d as u64)
                    .collect::<Vec<u64>>(),
            )?
            .value("kind", notes.iter().map(|(_, k, _)| *k).collect::<Vec<_>>())?
            .value(
                "message",
                notes.iter().map(|(_, _, m)| m.as_str()).collect::<Vec<_>>(),
            )
            .map(Columns::finish)
    }

    /// Token count per document.
    fn n_tokens<'py>(
        &self,
        py: Python<'py>,
        spec: &PyTokenizerSpec,
    ) -> PyResult<Bound<'py, PyArray1<u64>>> {
        if cached(&self.tokenized, &spec.opts).is_none() {
            if let Some(lengths) = cached(&self.lengths, &spec.opts) {
                return Ok(lengths.as_ref().clone().into_pyarray(py));
            }
        }
        Ok(self.tokens_for(py, spec)?.lengths().into_pyarray(py))
    }

    /// Whether the corpus holds token ids for `spec` (frame matching alone scans the
    /// texts instead; term counts, tokens and n-grams tokenize).
    fn is_tokenized(&self, spec: &PyTokenizerSpec) -> bool {
        cached(&self.tokenized, &spec.opts).is_some()
    }

    /// Tokens of document `i`.
    fn tokens(&self, py: Python<'_>, i: usize, spec: &PyTokenizerSpec) -> PyResult<Vec<String>> {
        let tc = self.tokens_for(py, spec)?;
        if i >= tc.n_docs() {
            return Err(PyIndexError::new_err(format!(
                "document {i} out of range for {} documents",
                tc.n_docs()
            )));
        }
        Ok(tc
            .doc(i)
            .iter()
            .map(|&id| tc.vocab.term(id).to_string())
            .collect())
    }

    /// Term frequencies, most frequent first: `term`, `count`, `doc_freq`.
    #[pyo3(signature = (spec, stop_words=None, stem=None, ngram=(1, 1), min_count=1))]
    fn term_frequencies<'py>(
        &self,
        py: Python<'py>,
        spec: &PyTokenizerSpec,
        stop_words: Option<Vec<String>>,
        stem: Option<&str>,
        ngram: (usize, usize),
        min_count: u64,
    ) -> PyResult<Bound<'py, PyDict>> {
        let tc = self.tokens_for(py, spec)?;
        let stemmer = stem.map(WordStemmer::new).transpose();
        let stemmer = core(stemmer)?;
        let stop: Option<AHashSet<String>> = stop_words.map(|w| w.into_iter().collect());
        let table = run(py, || {
            let opts = TermFreqOptions {
                stop_words: stop.as_ref(),
                stemmer: stemmer.as_ref(),
                ngram,
                min_count,
            };
            let brk = crate::text::ngrams::breaks_for(&tc, ngram.1);
            term_frequencies(&tc, brk, &opts)
        })?;
        Ok(Columns::new(py)
            .strings("term", table.terms.iter().map(String::as_str))?
            .array("count", table.count)?
            .array("doc_freq", table.doc_freq)?
            .finish())
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let me = slf.get();
        let args = (
            me.texts(),
            me.ids(),
            me.dates(slf.py()),
            me.date_sources(),
            me.sources(),
        )
            .into_pyobject(slf.py())?;
        Ok((slf.get_type().into_any(), args))
    }
}
