//! Binding for frames: conversion only. A `FrameSet` holds a dictionary parsed
//! and compiled by the core (`frames::set`), kept on the Python `Frames` object
//! and reused by every call.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::frames::automaton::{hit_matrix, overlaps, FrameSpec};
use crate::frames::kwic::{kwic, KwicLine};
use crate::frames::set::FrameSet;
use crate::python::columns::Columns;
use crate::python::corpus::{PyCorpus, PyTokenizerSpec};
use crate::python::guard::run;
use crate::text::tokenizer::Tokenizer;

/// A dictionary for the core: frames as (name, patterns, exclusions), parsed once
/// per tokenizer setting and compiled once per tokenized corpus.
#[pyclass(frozen, module = "framescope._core", name = "FrameSet")]
pub struct PyFrameSet {
    inner: FrameSet,
}

impl PyFrameSet {
    /// The core's dictionary.
    pub(crate) fn inner(&self) -> &FrameSet {
        &self.inner
    }
}

#[pymethods]
impl PyFrameSet {
    /// Frames as (name, patterns, exclusions); every pattern is parsed with the
    /// default tokenizer here, so a bad pattern fails now (naming frame and pattern).
    #[new]
    fn new(frames: Vec<(String, Vec<String>, Vec<String>)>) -> PyResult<Self> {
        let specs = frames
            .into_iter()
            .map(|(name, patterns, exclude)| FrameSpec {
                name,
                patterns,
                exclude,
            })
            .collect();
        let inner = FrameSet::new(specs);
        crate::python::errors::core(inner.parsed(&Tokenizer::default()))?;
        Ok(PyFrameSet { inner })
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// Matches frames in a corpus: hits per document and frame as a documents x frames
/// CSR matrix: `indptr`, `frame` (of each stored count), `count`. `meanwhile`, a
/// callable without arguments, is called on this thread while the pool matches (Python
/// work the caller needs next); its result is `meanwhile` in the returned dict.
#[pyfunction]
#[pyo3(signature = (corpus, spec, frames, meanwhile=None))]
pub fn frame_hits<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    frames: &PyFrameSet,
    meanwhile: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let scanned = corpus.frame_scan_while(py, spec, &frames.inner, meanwhile)?;
    let scan = scanned.scan;
    let m = run(py, || {
        hit_matrix(
            &scan.matches.offsets,
            &scan.matches.hits,
            frames.inner.len(),
        )
    })?;
    let mut out = Columns::new(py)
        .array("indptr", m.indptr)?
        .array("frame", m.indices)?
        .array("count", m.data)?;
    if let Some(result) = scanned.meanwhile {
        out = out.value("meanwhile", result.into_bound(py))?;
    }
    Ok(out.finish())
}

/// Pairs of frames whose hits overlap, only pairs that occur: `a` (row frame),
/// `b` (column frame), `count` (hits of `a` overlapping one of `b`).
#[pyfunction]
pub fn frame_overlaps<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    frames: &PyFrameSet,
) -> PyResult<Bound<'py, PyDict>> {
    let scan = corpus.frame_scan(py, spec, &frames.inner)?;
    let pairs = run(py, || {
        let pairs = overlaps(&scan.matches.offsets, &scan.matches.hits);
        crate::cancel::check()?;
        Ok(pairs)
    })?;
    Ok(Columns::new(py)
        .array("a", pairs.iter().map(|p| p.0).collect::<Vec<u32>>())?
        .array("b", pairs.iter().map(|p| p.1).collect::<Vec<u32>>())?
        .array("count", pairs.iter().map(|p| p.2).collect::<Vec<u64>>())?
        .finish())
}

/// Keyword-in-context lines for the frames whose index is in `keep` (all when None):
/// `doc`, `frame`, `start`, `end` (byte offsets of the match), `left`, `match`, `right`.
#[pyfunction]
#[pyo3(signature = (corpus, spec, frames, window, keep=None))]
pub fn frame_kwic<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    frames: &PyFrameSet,
    window: usize,
    keep: Option<Vec<u32>>,
) -> PyResult<Bound<'py, PyDict>> {
    let scan = corpus.frame_scan(py, spec, &frames.inner)?;
    let tokenizer = Tokenizer::new(spec.opts.clone());
    let inner = corpus.inner.clone();
    let lines = run(py, move || {
        let keep_fn = |f: u32| keep.as_ref().is_none_or(|k| k.contains(&f));
        Ok(kwic(
            &inner.texts(),
            &tokenizer,
            &scan.matches,
            window,
            &keep_fn,
        ))
    })?;
    let col = |f: fn(&KwicLine) -> u64| -> Vec<u64> { lines.iter().map(f).collect() };
    let text = |f: fn(&KwicLine) -> &str| -> Vec<&str> { lines.iter().map(f).collect() };
    Ok(Columns::new(py)
        .array("doc", col(|l| l.doc as u64))?
        .array("frame", lines.iter().map(|l| l.frame).collect::<Vec<u32>>())?
        .array("start", col(|l| l.start as u64))?
        .array("end", col(|l| l.end as u64))?
        .value("left", text(|l| &l.left))?
        .value("match", text(|l| &l.matched))?
        .value("right", text(|l| &l.right))?
        .finish())
}

/// The words around frame `frame`'s hits, within `window` tokens, per group of the
/// documents (`group[d]`, `NO_ID`: left out): `term` (each term seen), `row` (index
/// into `term`), `group`, `count`, and `tokens` (context tokens per group).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn frame_context<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    frames: &PyFrameSet,
    frame: u32,
    window: usize,
    group: numpy::PyReadonlyArray1<'py, u32>,
    n_groups: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let tc = corpus.tokens_for(py, spec)?;
    let tokenizer = Tokenizer::new(spec.opts.clone());
    let set = &frames.inner;
    let group = group.as_slice()?.to_vec();
    let counts = run(py, || {
        let matches = set.match_corpus(&tokenizer, &tc)?;
        crate::frames::context::context_counts(&tc, &matches, frame, window, &group, n_groups)
    })?;
    let m = &counts.counts;
    let (mut terms, mut rows, mut groups, mut values) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for t in 0..m.n_rows() {
        let (a, b) = (m.indptr[t], m.indptr[t + 1]);
        if a == b {
            continue;
        }
        for k in a..b {
            rows.push(terms.len() as u64);
            groups.push(m.indices[k]);
            values.push(m.data[k]);
        }
        terms.push(tc.vocab.term(t as u32));
    }
    Columns::new(py)
        .value("term", terms)?
        .array("row", rows)?
        .array("group", groups)?
        .array("count", values)?
        .array("tokens", counts.tokens)
        .map(Columns::finish)
}
