//! Binding for scikit-learn-compatible counting and TF-IDF: conversion only.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use rayon::prelude::*;

use crate::count::csr::Csr;

use crate::count::fit::{count_fit, FitCounter};
use crate::count::tfidf::{tfidf_weight, Norm, TfidfOptions};
use crate::count::vectorize::{count_transform, FixedVocabulary, Terms};
use crate::python::columns::Columns;
use crate::python::convert::{stream_documents, texts, Wrap};
use crate::python::errors::core;
use crate::python::guard::run;
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

/// A document-term count matrix held in Rust, with its vocabulary when learned.
/// `csr(..., take=True)` and `tfidf(..., take=True)` hand its column indices to
/// numpy without a copy; the matrix cannot be used after that.
#[pyclass(module = "framescope._core", name = "CountMatrix")]
pub struct PyCountMatrix {
    terms: Option<Terms>,
    csr: Csr<u32>,
    taken: bool,
}

/// Index arrays built off the GIL, in parallel: int32 when they fit (as scikit-learn does), else int64.
enum IndexVecs {
    I32(Vec<i32>, Vec<i32>),
    I64(Vec<i64>, Vec<i64>),
}

fn index_vecs(csr: &Csr<u32>) -> IndexVecs {
    if csr.nnz() <= i32::MAX as usize && csr.n_cols <= i32::MAX as usize {
        IndexVecs::I32(
            csr.indices.par_iter().map(|&j| j as i32).collect(),
            csr.indptr.par_iter().map(|&p| p as i32).collect(),
        )
    } else {
        IndexVecs::I64(
            csr.indices.par_iter().map(|&j| i64::from(j)).collect(),
            csr.indptr.par_iter().map(|&p| p as i64).collect(),
        )
    }
}

/// Like [`index_vecs`]; with `take` (and int32 indices) the column indices move out
/// of `csr` without a copy.
fn index_vecs_taking(csr: &mut Csr<u32>, take: bool) -> IndexVecs {
    if !(take && csr.nnz() <= i32::MAX as usize && csr.n_cols <= i32::MAX as usize) {
        return index_vecs(csr);
    }
    let indptr = csr.indptr.par_iter().map(|&p| p as i32).collect();
    let indices = std::mem::ManuallyDrop::new(std::mem::take(&mut csr.indices));
    let (ptr, len, cap) = (
        indices.as_ptr() as *mut i32,
        indices.len(),
        indices.capacity(),
    );
    // SAFETY: u32 and i32 have the same size and alignment, every bit pattern is valid
    // for both, and columns are below 2^31 here, so each value reads the same.
    let indices = unsafe { Vec::from_raw_parts(ptr, len, cap) };
    IndexVecs::I32(indices, indptr)
}

/// A CSR matrix's arrays as named results: `data`, `indices`, `indptr`.
fn csr_result<'py>(
    py: Python<'py>,
    data: Bound<'py, PyAny>,
    index: IndexVecs,
) -> PyResult<Bound<'py, PyDict>> {
    let out = Columns::new(py).value("data", data)?;
    match index {
        IndexVecs::I32(a, b) => out.array("indices", a)?.array("indptr", b),
        IndexVecs::I64(a, b) => out.array("indices", a)?.array("indptr", b),
    }
    .map(Columns::finish)
}

/// Count values converted off the GIL, in parallel (1 where counted if `binary`).
enum ValueVec {
    I64(Vec<i64>),
    I32(Vec<i32>),
    F64(Vec<f64>),
    F32(Vec<f32>),
}

fn value_vec(data: &[u32], binary: bool, dtype: &str) -> Option<ValueVec> {
    let v = move |x: &u32| if binary { 1 } else { *x };
    Some(match dtype {
        "int64" => ValueVec::I64(data.par_iter().map(|x| i64::from(v(x))).collect()),
        "int32" => ValueVec::I32(data.par_iter().map(|x| v(x) as i32).collect()),
        "float64" => ValueVec::F64(data.par_iter().map(|x| f64::from(v(x))).collect()),
        "float32" => ValueVec::F32(data.par_iter().map(|x| v(x) as f32).collect()),
        _ => return None,
    })
}

fn value_array(py: Python<'_>, v: ValueVec) -> Bound<'_, PyAny> {
    match v {
        ValueVec::I64(a) => a.into_pyarray(py).into_any(),
        ValueVec::I32(a) => a.into_pyarray(py).into_any(),
        ValueVec::F64(a) => a.into_pyarray(py).into_any(),
        ValueVec::F32(a) => a.into_pyarray(py).into_any(),
    }
}

impl PyCountMatrix {
    fn new(terms: Option<Terms>, csr: Csr<u32>) -> Self {
        PyCountMatrix {
            terms,
            csr,
            taken: false,
        }
    }

    /// Errors once the indices were handed to numpy.
    fn check_whole(&self) -> PyResult<()> {
        if self.taken {
            return Err(PyValueError::new_err(
                "this CountMatrix handed its arrays to numpy (take=True) and cannot be used again",
            ));
        }
        Ok(())
    }
}

#[pymethods]
impl PyCountMatrix {
    /// (rows, columns).
    #[getter]
    fn shape(&self) -> (usize, usize) {
        (self.csr.n_rows(), self.csr.n_cols)
    }

    /// Learned terms in column order (empty when counted against a fixed vocabulary).
    fn terms<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        match &self.terms {
            Some(Terms::Strings(v)) => PyList::new(py, v.iter()),
            Some(t) => PyList::new(py, run(py, || Ok(t.to_strings()))?),
            None => Ok(PyList::empty(py)),
        }
    }

    /// Documents containing each column's term.
    fn doc_freq<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<i64>>> {
        self.check_whole()?;
        let df: Vec<i64> = run(py, || {
            Ok(self.csr.column_nnz().into_iter().map(i64::from).collect())
        })?;
        Ok(df.into_pyarray(py))
    }

    /// Total count of each column, with counts taken as 1 if `binary`.
    fn column_sums<'py>(
        &self,
        py: Python<'py>,
        binary: bool,
    ) -> PyResult<Bound<'py, PyArray1<i64>>> {
        self.check_whole()?;
        let sums: Vec<i64> = if binary {
            self.csr.column_nnz().into_iter().map(i64::from).collect()
        } else {
            self.csr
                .column_sums()
                .into_iter()
                .map(|s| s as i64)
                .collect()
        };
        Ok(sums.into_pyarray(py))
    }

    /// Keeps the columns in `keep` (ascending), renumbered in that order.
    fn select_columns(&self, py: Python<'_>, keep: PyReadonlyArray1<'_, i64>) -> PyResult<Self> {
        self.check_whole()?;
        let keep: Vec<u32> = keep.as_array().iter().map(|&k| k as u32).collect();
        if keep.windows(2).any(|w| w[0] >= w[1])
            || keep.last().is_some_and(|&k| k as usize >= self.csr.n_cols)
        {
            return Err(PyValueError::new_err(
                "keep must be ascending column numbers within the matrix",
            ));
        }
        let (terms, csr) = run(py, || {
            Ok((
                self.terms.as_ref().map(|t| t.select(&keep)),
                self.csr.select_columns(&keep),
            ))
        })?;
        Ok(PyCountMatrix::new(terms, csr))
    }

    /// The counts in `dtype` as CSR arrays `data`, `indices`, `indptr`; counts become 1 if `binary`.
    /// `take`: hand the indices over without a copy (the matrix is spent).
    #[pyo3(signature = (dtype, binary, take=false))]
    fn csr<'py>(
        &mut self,
        py: Python<'py>,
        dtype: &str,
        binary: bool,
        take: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        self.check_whole()?;
        let csr = &mut self.csr;
        let (data, index) = run(py, || {
            Ok(if take {
                (
                    value_vec(&csr.data, binary, dtype),
                    index_vecs_taking(csr, true),
                )
            } else {
                let csr: &Csr<u32> = csr;
                rayon::join(|| value_vec(&csr.data, binary, dtype), || index_vecs(csr))
            })
        })?;
        self.taken = take;
        let data = data.ok_or_else(|| {
            PyValueError::new_err(format!("unsupported dtype {dtype:?} for counts"))
        })?;
        csr_result(py, value_array(py, data), index)
    }

    /// TF-IDF weights (scikit-learn's formulas) in float64 or float32 as CSR arrays
    /// `data`, `indices`, `indptr`.
    /// `take`: hand the indices over without a copy (the matrix is spent).
    #[pyo3(signature = (idf, norm, binary, sublinear_tf, dtype, take=false))]
    #[allow(clippy::too_many_arguments)]
    fn tfidf<'py>(
        &mut self,
        py: Python<'py>,
        idf: Option<PyReadonlyArray1<'py, f64>>,
        norm: Option<Wrap<Norm>>,
        binary: bool,
        sublinear_tf: bool,
        dtype: &str,
        take: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        self.check_whole()?;
        let norm = norm.map_or(Norm::None, |w| w.0);
        let idf: Option<Vec<f64>> = match idf {
            Some(a) => {
                let v = a.as_array().to_vec();
                if v.len() != self.csr.n_cols {
                    return Err(PyValueError::new_err(format!(
                        "idf has {} values for {} columns",
                        v.len(),
                        self.csr.n_cols
                    )));
                }
                Some(v)
            }
            None => None,
        };
        let opts = TfidfOptions {
            norm,
            binary,
            sublinear_tf,
        };
        if dtype != "float64" && dtype != "float32" {
            return Err(PyValueError::new_err(format!(
                "TF-IDF dtype must be float64 or float32, got {dtype:?}"
            )));
        }
        let csr = &mut self.csr;
        let (data, index) = run(py, || {
            let weights = |csr: &Csr<u32>| {
                let w = tfidf_weight(csr, idf.as_deref(), opts);
                if dtype == "float32" {
                    ValueVec::F32(w.into_par_iter().map(|x| x as f32).collect())
                } else {
                    ValueVec::F64(w)
                }
            };
            Ok(if take {
                // The weights read the indices first; then they move out.
                (weights(csr), index_vecs_taking(csr, true))
            } else {
                let csr: &Csr<u32> = csr;
                rayon::join(|| weights(csr), || index_vecs(csr))
            })
        })?;
        self.taken = take;
        csr_result(py, value_array(py, data), index)
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
    if analyzer.ngram_range().1 > 1 {
        // N-gram vocabularies merge best from few large chunks: convert, then count.
        let docs = texts(docs, "document", true)?;
        let (terms, csr) = run(py, || count_fit(&docs, analyzer))?;
        return Ok(PyCountMatrix::new(Some(terms), csr));
    }
    // Count each batch on the pool while this thread copies the next out of Python;
    // the counting threads encode each document as they read it.
    let mut counter = FitCounter::new(analyzer);
    let streamed = stream_documents(docs, "document", |batch| counter.count(batch))?;
    core(streamed)?;
    let (terms, csr) = run(py, move || counter.finish())?;
    Ok(PyCountMatrix::new(Some(terms), csr))
}

/// Counts `docs` against a fixed vocabulary.
#[pyfunction]
pub fn count_transform_docs(
    py: Python<'_>,
    docs: &Bound<'_, PyAny>,
    analyzer: &PyWordAnalyzer,
    vocabulary: &PyVocabulary,
) -> PyResult<PyCountMatrix> {
    let docs = texts(docs, "document", true)?;
    let csr = run(py, || {
        count_transform(&docs, &analyzer.inner, &vocabulary.inner)
    })?;
    Ok(PyCountMatrix::new(None, csr))
}
