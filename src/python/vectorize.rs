//! Binding for scikit-learn-compatible counting and TF-IDF: conversion only.

use std::sync::Arc;

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::count::csr::Csr;
use crate::count::fit::FitCounter;
use crate::count::rows::CountRows;
use crate::count::tfidf::{weigh_row, Norm, TfidfOptions};
use crate::count::vectorize::{FixedVocabulary, Terms, TransformCounter};
use crate::memory::Zeroed;
use crate::python::columns::Columns;
use crate::python::convert::{ArrowStrings, Wrap};
use crate::python::documents::{stream_documents, texts, HeldStrs};
use crate::python::errors::core;
use crate::python::guard::{run, run_while};
use crate::text::analyzer::{StripAccents, TokenPattern, WordAnalyzer};

/// scikit-learn's word analyzer with its parameters (picklable).
#[pyclass(frozen, module = "framescope._core", name = "WordAnalyzer")]
pub struct PyWordAnalyzer {
    inner: WordAnalyzer,
    lowercase: bool,
    strip_accents: StripAccents,
    token_pattern: String,
    stop_words: Option<Vec<String>>,
    ngram_range: (usize, usize),
}

#[pymethods]
impl PyWordAnalyzer {
    #[new]
    #[pyo3(signature = (lowercase, strip_accents, token_pattern, stop_words, ngram_range))]
    fn new(
        lowercase: bool,
        strip_accents: Option<Wrap<StripAccents>>,
        token_pattern: String,
        stop_words: Option<Vec<String>>,
        ngram_range: (usize, usize),
    ) -> PyResult<Self> {
        let strip = strip_accents.map_or(StripAccents::None, |w| w.0);
        let pattern = core(TokenPattern::new(&token_pattern))?;
        let inner = core(WordAnalyzer::new(
            lowercase,
            strip,
            pattern,
            stop_words.clone(),
            ngram_range,
        ))?;
        Ok(PyWordAnalyzer {
            inner,
            lowercase,
            strip_accents: strip,
            token_pattern,
            stop_words,
            ngram_range,
        })
    }

    /// The terms of one document, as scikit-learn's `build_analyzer()` returns them.
    fn analyze(&self, doc: &str) -> PyResult<Vec<String>> {
        let mut out = Vec::new();
        let mut scratch = Default::default();
        core(
            self.inner
                .analyze(doc, &mut scratch, |t| out.push(t.to_string())),
        )?;
        Ok(out)
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let me = slf.get();
        let args = (
            me.lowercase,
            (me.strip_accents != StripAccents::None).then_some(Wrap(me.strip_accents)),
            me.token_pattern.clone(),
            me.stop_words.clone(),
            me.ngram_range,
        )
            .into_pyobject(slf.py())?;
        Ok((slf.get_type().into_any(), args))
    }
}

/// A fixed vocabulary: term -> column (picklable).
#[pyclass(frozen, module = "framescope._core", name = "Vocabulary")]
pub struct PyVocabulary {
    inner: FixedVocabulary,
}

#[pymethods]
impl PyVocabulary {
    #[new]
    fn new(terms: Vec<String>) -> PyResult<Self> {
        Ok(PyVocabulary {
            inner: core(FixedVocabulary::new(terms))?,
        })
    }

    /// The vocabulary of learned `terms`, built without making them Python str.
    #[staticmethod]
    fn from_terms(py: Python<'_>, terms: &PyTerms) -> PyResult<Self> {
        let inner = run(py, || FixedVocabulary::new(terms.inner.to_strings()))?;
        Ok(PyVocabulary { inner })
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Terms in column order.
    fn terms(&self) -> Vec<&str> {
        self.inner.terms().iter().map(|t| &**t).collect()
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let terms: Vec<&str> = slf.get().inner.terms().iter().map(|t| &**t).collect();
        let args = (terms,).into_pyobject(slf.py())?;
        Ok((slf.get_type().into_any(), args))
    }
}

/// A learned vocabulary held in Rust: the terms in column order, made Python str
/// only when asked for (half a million str take 40-60 ms to make).
#[pyclass(frozen, module = "framescope._core", name = "Terms")]
pub struct PyTerms {
    inner: Arc<Terms>,
}

#[pymethods]
impl PyTerms {
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The terms as a list of str.
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        match &*self.inner {
            Terms::Strings(v) => PyList::new(py, v.iter()),
            t => PyList::new(py, run(py, || Ok(t.to_strings()))?),
        }
    }

    /// The terms as a numpy array of str (object dtype), as `get_feature_names_out`
    /// returns them: made here, without a list first.
    fn to_array<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<Py<PyAny>>>> {
        terms_array(py, &self.inner)
    }
}

/// `terms` as a numpy array of str (object dtype).
fn terms_array<'py>(py: Python<'py>, terms: &Terms) -> PyResult<Bound<'py, PyArray1<Py<PyAny>>>> {
    let objects: Vec<Py<PyAny>> = match terms {
        Terms::Strings(v) => v
            .iter()
            .map(|s| PyString::new(py, s).into_any().unbind())
            .collect(),
        t => run(py, || Ok(t.to_strings()))?
            .iter()
            .map(|s| PyString::new(py, s).into_any().unbind())
            .collect(),
    };
    Ok(objects.into_pyarray(py))
}

/// A document-term count matrix held in Rust, with its vocabulary when learned: the
/// rows as counted ([`CountRows`]), laid out once by `csr` or `tfidf` straight into
/// the arrays numpy gets (the matrix cannot be used after that).
#[pyclass(module = "framescope._core", name = "CountMatrix")]
pub struct PyCountMatrix {
    terms: Arc<Terms>,
    shape: (usize, usize),
    /// None once laid out.
    rows: Option<CountRows>,
}

impl PyCountMatrix {
    fn new(terms: Option<Terms>, rows: CountRows) -> Self {
        PyCountMatrix {
            terms: Arc::new(terms.unwrap_or(Terms::Strings(Default::default()))),
            shape: rows.shape(),
            rows: Some(rows),
        }
    }

    /// The rows, or the error once they were laid out.
    fn rows(&self) -> PyResult<&CountRows> {
        self.rows.as_ref().ok_or_else(spent)
    }

    fn take_rows(&mut self) -> PyResult<CountRows> {
        self.rows.take().ok_or_else(spent)
    }

    /// The CSR arrays `lay` makes on the pool; with `names`, also the terms as an array
    /// of str (`names`), made by this thread while the pool lays the rows out.
    fn laid_out<'py, T: numpy::Element + Send>(
        &self,
        py: Python<'py>,
        names: bool,
        lay: impl FnOnce() -> crate::error::Result<Csr<T>> + Send,
    ) -> PyResult<Bound<'py, PyDict>> {
        if !names {
            return csr_columns(py, run(py, lay)?).map(Columns::finish);
        }
        let terms = &self.terms;
        let both = run_while(py, lay, |py| terms_array(py, terms))?;
        Ok(csr_columns(py, both.core)?
            .value("names", both.meanwhile)?
            .finish())
    }
}

fn spent() -> PyErr {
    PyValueError::new_err("this CountMatrix was laid out (csr or tfidf) and cannot be used again")
}

/// A laid-out matrix as named results `data`, `indices`, `indptr`: the indices as
/// int32 when they fit (as scikit-learn's), moved to numpy without a copy, else int64.
fn csr_columns<T: numpy::Element>(py: Python<'_>, csr: Csr<T>) -> PyResult<Columns<'_>> {
    let out = Columns::new(py).array("data", csr.data)?;
    if csr.indices.len() <= i32::MAX as usize && csr.n_cols <= i32::MAX as usize {
        let indices = std::mem::ManuallyDrop::new(csr.indices);
        let (ptr, len, cap) = (
            indices.as_ptr() as *mut i32,
            indices.len(),
            indices.capacity(),
        );
        // SAFETY: u32 and i32 have the same size and alignment, every bit pattern is valid
        // for both, and columns are below 2^31 here, so each value reads the same.
        let indices = unsafe { Vec::from_raw_parts(ptr, len, cap) };
        let indptr: Vec<i32> = csr.indptr.iter().map(|&p| p as i32).collect();
        out.array("indices", indices)?.array("indptr", indptr)
    } else {
        let indices: Vec<i64> = csr.indices.iter().map(|&j| i64::from(j)).collect();
        let indptr: Vec<i64> = csr.indptr.iter().map(|&p| p as i64).collect();
        out.array("indices", indices)?.array("indptr", indptr)
    }
}

/// The counts laid out as `T` (1 where counted if `binary`).
fn counts_as<T>(
    rows: CountRows,
    binary: bool,
    value: impl Fn(u32) -> T + Sync,
) -> crate::error::Result<Csr<T>>
where
    T: Zeroed + Send + Sync,
{
    rows.lay_out(|_, counts, out| {
        for (o, &c) in out.iter_mut().zip(counts) {
            *o = value(if binary { 1 } else { c });
        }
    })
}

#[pymethods]
impl PyCountMatrix {
    /// (rows, columns).
    #[getter]
    fn shape(&self) -> (usize, usize) {
        self.shape
    }

    /// Learned terms in column order (none when counted against a fixed vocabulary).
    fn terms(&self) -> PyTerms {
        PyTerms {
            inner: Arc::clone(&self.terms),
        }
    }

    /// Documents containing each column's term.
    fn doc_freq<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<i64>>> {
        let rows = self.rows()?;
        let df: Vec<i64> = run(py, || {
            Ok(rows.doc_freq().into_iter().map(i64::from).collect())
        })?;
        Ok(df.into_pyarray(py))
    }

    /// Total count of each column, with counts taken as 1 if `binary`.
    fn column_sums<'py>(
        &self,
        py: Python<'py>,
        binary: bool,
    ) -> PyResult<Bound<'py, PyArray1<i64>>> {
        let rows = self.rows()?;
        let sums: Vec<i64> = run(py, || {
            Ok(if binary {
                rows.doc_freq().into_iter().map(i64::from).collect()
            } else {
                rows.column_sums().into_iter().map(|s| s as i64).collect()
            })
        })?;
        Ok(sums.into_pyarray(py))
    }

    /// Keeps the columns in `keep` (ascending), renumbered in that order: a new matrix
    /// (this one is spent). Only the column maps change; rows are laid out later.
    fn select_columns(
        &mut self,
        py: Python<'_>,
        keep: PyReadonlyArray1<'_, i64>,
    ) -> PyResult<Self> {
        let n_cols = self.shape.1;
        let keep: Vec<u32> = keep.as_array().iter().map(|&k| k as u32).collect();
        if keep.windows(2).any(|w| w[0] >= w[1])
            || keep.last().is_some_and(|&k| k as usize >= n_cols)
        {
            return Err(PyValueError::new_err(
                "keep must be ascending column numbers within the matrix",
            ));
        }
        let mut rows = self.take_rows()?;
        let terms = &self.terms;
        let terms = run(py, || {
            rows.select_columns(&keep);
            Ok(terms.select(&keep))
        })?;
        Ok(PyCountMatrix::new(Some(terms), rows))
    }

    /// The counts in `dtype` (int64, int32, float64, float32) as CSR arrays `data`,
    /// `indices`, `indptr`; counts become 1 if `binary`. With `names`, also the terms
    /// as an array of str (`names`), made while the rows are laid out. Spends the matrix.
    #[pyo3(signature = (dtype, binary, names=false))]
    fn csr<'py>(
        &mut self,
        py: Python<'py>,
        dtype: &str,
        binary: bool,
        names: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        if !matches!(dtype, "int64" | "int32" | "float64" | "float32") {
            return Err(PyValueError::new_err(format!(
                "unsupported dtype {dtype:?} for counts"
            )));
        }
        let rows = self.take_rows()?;
        match dtype {
            "int64" => self.laid_out(py, names, || counts_as(rows, binary, i64::from)),
            "int32" => self.laid_out(py, names, || counts_as(rows, binary, |c| c as i32)),
            "float64" => self.laid_out(py, names, || counts_as(rows, binary, f64::from)),
            _ => self.laid_out(py, names, || counts_as(rows, binary, |c| c as f32)),
        }
    }

    /// TF-IDF weights (scikit-learn's formulas) in float64 or float32 as CSR arrays
    /// `data`, `indices`, `indptr`, computed as the rows are laid out; with `names`,
    /// also the terms as in [`PyCountMatrix::csr`]. Spends the matrix.
    #[pyo3(signature = (idf, norm, binary, sublinear_tf, dtype, names=false))]
    #[allow(clippy::too_many_arguments)]
    fn tfidf<'py>(
        &mut self,
        py: Python<'py>,
        idf: Option<PyReadonlyArray1<'py, f64>>,
        norm: Option<Wrap<Norm>>,
        binary: bool,
        sublinear_tf: bool,
        dtype: &str,
        names: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let opts = TfidfOptions {
            norm: norm.map_or(Norm::None, |w| w.0),
            binary,
            sublinear_tf,
        };
        if dtype != "float64" && dtype != "float32" {
            return Err(PyValueError::new_err(format!(
                "TF-IDF dtype must be float64 or float32, got {dtype:?}"
            )));
        }
        let idf = idf.map(|a| a.as_array().to_vec());
        if let Some(v) = &idf {
            if v.len() != self.shape.1 {
                return Err(PyValueError::new_err(format!(
                    "idf has {} values for {} columns",
                    v.len(),
                    self.shape.1
                )));
            }
        }
        let rows = self.take_rows()?;
        let idf = idf.as_deref();
        if dtype == "float32" {
            self.laid_out(py, names, || {
                rows.lay_out(|cols, counts, out: &mut [f32]| {
                    weigh_row(cols, counts, idf, opts, out)
                })
            })
        } else {
            self.laid_out(py, names, || {
                rows.lay_out(|cols, counts, out: &mut [f64]| {
                    weigh_row(cols, counts, idf, opts, out)
                })
            })
        }
    }
}

/// Learns a sorted vocabulary from `docs` and counts them (scikit-learn's fit, before pruning).
#[pyfunction]
pub fn count_fit_docs(
    py: Python<'_>,
    docs: &Bound<'_, PyAny>,
    analyzer: &PyWordAnalyzer,
) -> PyResult<PyCountMatrix> {
    let analyzer = &analyzer.inner;
    let mut counter = FitCounter::new(analyzer);
    if let Some(arrow) = ArrowStrings::from_obj(docs) {
        // Arrow's buffers: the documents are read in place, already UTF-8.
        let docs = arrow.strs(py, "document")?;
        let (terms, rows) = run(py, move || {
            counter.count(&docs)?;
            counter.merge()
        })?;
        return Ok(PyCountMatrix::new(Some(terms), rows));
    }
    if let Some(held) = HeldStrs::of(docs)? {
        // A list or tuple of str: one parallel job over all of it (n-grams too); the
        // counting threads copy and encode each document as they read it.
        let (terms, rows) = run(py, || {
            counter.count(held.docs())?;
            counter.merge()
        })?;
        return Ok(PyCountMatrix::new(Some(terms), rows));
    }
    if analyzer.ngram_range().1 > 1 {
        // N-gram vocabularies merge best from few large chunks: convert, then count.
        let docs = texts(docs, "document", true)?;
        let (terms, rows) = run(py, move || {
            counter.count(&docs)?;
            counter.merge()
        })?;
        return Ok(PyCountMatrix::new(Some(terms), rows));
    }
    // Count each batch on the pool while this thread copies the next out of Python;
    // the counting threads encode each document as they read it.
    let streamed = stream_documents(docs, "document", |batch| counter.count(batch))?;
    core(streamed)?;
    let (terms, rows) = run(py, move || counter.merge())?;
    Ok(PyCountMatrix::new(Some(terms), rows))
}

/// Counts `docs` against a fixed vocabulary.
#[pyfunction]
pub fn count_transform_docs(
    py: Python<'_>,
    docs: &Bound<'_, PyAny>,
    analyzer: &PyWordAnalyzer,
    vocabulary: &PyVocabulary,
) -> PyResult<PyCountMatrix> {
    let (analyzer, vocabulary) = (&analyzer.inner, &vocabulary.inner);
    let mut counter = TransformCounter::new(analyzer, vocabulary);
    if let Some(arrow) = ArrowStrings::from_obj(docs) {
        let docs = arrow.strs(py, "document")?;
        run(py, || counter.count(&docs))?;
    } else if let Some(held) = HeldStrs::of(docs)? {
        // A list or tuple of str: one parallel job over all of it.
        run(py, || counter.count(held.docs()))?;
    } else {
        // Count each batch on the pool while this thread takes the next out of Python;
        // the counting threads copy and encode each document as they read it (no copy
        // of the whole corpus).
        let streamed = stream_documents(docs, "document", |batch| counter.count(batch))?;
        core(streamed)?;
    }
    let rows = counter.finish();
    Ok(PyCountMatrix::new(None, rows))
}
