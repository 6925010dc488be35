//! Binding for reading files and cleaning corpora: conversion only.

use numpy::{IntoPyArray, PyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyList;
use pyo3::IntoPyObjectExt;

use crate::corpus::cleanup::{dedup, CleanupOptions};
use crate::corpus::dedup::DedupOptions;
use crate::corpus::hygiene::{Boilerplate, Repeats, PLATFORM_LINES};
use crate::corpus::read::{
    read, Decode, Format, MetaValue, OnError, ReadOptions, Scan, DEFAULT_MAX_RECORD_BYTES,
};
use crate::python::corpus::PyCorpus;
use crate::python::dates::{rules, PyDateRange};
use crate::python::errors::core;
use crate::python::guard::run;

fn meta_to_py(py: Python<'_>, values: Vec<MetaValue>) -> PyResult<Bound<'_, PyList>> {
    let items: Vec<Py<PyAny>> = values
        .into_iter()
        .map(|v| match v {
            MetaValue::Null => Ok(py.None()),
            MetaValue::Bool(b) => b.into_py_any(py),
            MetaValue::Int(i) => i.into_py_any(py),
            MetaValue::Float(f) => f.into_py_any(py),
            MetaValue::Str(s) => s.into_py_any(py),
        })
        .collect::<PyResult<_>>()?;
    PyList::new(py, items)
}

/// A read corpus: (corpus, metadata columns as (name, list), issues as (source, kind, message)).
type ReadResult<'py> = (
    PyCorpus,
    Vec<(String, Bound<'py, PyList>)>,
    Vec<(String, &'static str, String)>,
);

#[allow(clippy::too_many_arguments)]
fn read_options(
    format: &str,
    text: &str,
    date: Option<String>,
    id: Option<String>,
    glob: Option<String>,
    split: Option<String>,
    errors: &str,
    encoding_errors: &str,
    chronological: Option<bool>,
    date_range: Option<PyDateRange>,
    bad_dates: &str,
    max_record_bytes: Option<usize>,
) -> PyResult<ReadOptions> {
    if max_record_bytes == Some(0) {
        return Err(PyValueError::new_err("max_record_bytes must be positive"));
    }
    Ok(ReadOptions {
        format: core(Format::parse(format))?,
        text_field: text.to_string(),
        date_field: date,
        id_field: id,
        glob,
        split,
        errors: match errors {
            "raise" => OnError::Raise,
            "skip" => OnError::Skip,
            o => {
                return Err(PyValueError::new_err(format!(
                    "errors must be 'raise' or 'skip', got {o:?}"
                )))
            }
        },
        decode: match encoding_errors {
            "strict" => Decode::Strict,
            "replace" => Decode::Replace,
            o => {
                return Err(PyValueError::new_err(format!(
                    "encoding_errors must be 'strict' or 'replace', got {o:?}"
                )))
            }
        },
        chronological,
        dates: rules(date_range, bad_dates)?,
        max_record_bytes: max_record_bytes.unwrap_or(DEFAULT_MAX_RECORD_BYTES),
        ..ReadOptions::default()
    })
}

/// Documents, metadata columns and issues as Python objects.
fn to_py(py: Python<'_>, loaded: crate::corpus::read::Loaded) -> PyResult<ReadResult<'_>> {
    let meta = loaded
        .meta
        .into_iter()
        .map(|(name, values)| Ok((name, meta_to_py(py, values)?)))
        .collect::<PyResult<_>>()?;
    let issues = loaded
        .issues
        .into_iter()
        .map(|i| (i.source, i.kind, i.message))
        .collect();
    Ok((
        PyCorpus::from_core(crate::corpus::Corpus { docs: loaded.docs }),
        meta,
        issues,
    ))
}

/// Reads files into a corpus (see `framescope.read`).
#[pyfunction]
#[pyo3(signature = (paths, format="auto", text="text", date=None, id=None, glob=None, split=None, errors="raise", encoding_errors="strict", chronological=None, date_range=None, bad_dates="raise", max_record_bytes=None))]
#[allow(clippy::too_many_arguments)]
pub fn read_files<'py>(
    py: Python<'py>,
    paths: Vec<String>,
    format: &str,
    text: &str,
    date: Option<String>,
    id: Option<String>,
    glob: Option<String>,
    split: Option<String>,
    errors: &str,
    encoding_errors: &str,
    chronological: Option<bool>,
    date_range: Option<PyDateRange>,
    bad_dates: &str,
    max_record_bytes: Option<usize>,
) -> PyResult<ReadResult<'py>> {
    let opts = read_options(
        format,
        text,
        date,
        id,
        glob,
        split,
        errors,
        encoding_errors,
        chronological,
        date_range,
        bad_dates,
        max_record_bytes,
    )?;
    let loaded = core(run(py, move || read(&paths, &opts))?)?;
    to_py(py, loaded)
}

/// Files read batch by batch (see `framescope.scan`): iterate for (corpus, meta, issues).
#[pyclass(module = "framescope._core", name = "Scan")]
pub struct PyScan {
    inner: std::sync::Mutex<Scan>,
}

#[pymethods]
impl PyScan {
    #[new]
    #[pyo3(signature = (paths, format="auto", text="text", date=None, id=None, glob=None, split=None, errors="raise", encoding_errors="strict", chronological=None, batch_bytes=crate::parallel::BATCH_BYTES, date_range=None, bad_dates="raise", max_record_bytes=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        paths: Vec<String>,
        format: &str,
        text: &str,
        date: Option<String>,
        id: Option<String>,
        glob: Option<String>,
        split: Option<String>,
        errors: &str,
        encoding_errors: &str,
        chronological: Option<bool>,
        batch_bytes: usize,
        date_range: Option<PyDateRange>,
        bad_dates: &str,
        max_record_bytes: Option<usize>,
    ) -> PyResult<Self> {
        let mut opts = read_options(
            format,
            text,
            date,
            id,
            glob,
            split,
            errors,
            encoding_errors,
            chronological,
            date_range,
            bad_dates,
            max_record_bytes,
        )?;
        opts.batch_bytes = batch_bytes;
        Ok(PyScan {
            inner: std::sync::Mutex::new(core(Scan::new(&paths, opts))?),
        })
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<ReadResult<'py>>> {
        let inner = &self.inner;
        let batch = core(run(py, || {
            inner.lock().unwrap_or_else(|e| e.into_inner()).next_batch()
        })?)?;
        batch.map(|b| to_py(py, b)).transpose()
    }
}

/// The built-in boilerplate line patterns.
#[pyfunction]
pub fn platform_lines() -> Vec<&'static str> {
    PLATFORM_LINES.to_vec()
}

/// Report columns of `dedup_corpus`: doc, action, kept (-1: none), similarity (NaN: none),
/// boilerplate lines, repeated lines, removed bytes.
type Report<'py> = (
    Bound<'py, PyArray1<i64>>,
    Vec<&'static str>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<i64>>,
);

/// Cleans and deduplicates a corpus (see `Corpus.dedup`): (corpus, kept indices, report columns).
#[pyfunction]
#[pyo3(signature = (corpus, boilerplate, repeats, min_repeat_chars, drop_empty, duplicates, near, threshold, shingle, num_perm))]
#[allow(clippy::too_many_arguments)]
pub fn dedup_corpus<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    boilerplate: Option<Vec<String>>,
    repeats: &str,
    min_repeat_chars: usize,
    drop_empty: bool,
    duplicates: bool,
    near: bool,
    threshold: f64,
    shingle: usize,
    num_perm: usize,
) -> PyResult<(PyCorpus, Bound<'py, PyArray1<i64>>, Report<'py>)> {
    let opts = CleanupOptions {
        boilerplate: boilerplate
            .map(|b| Boilerplate::new(&b))
            .transpose()
            .map_err(|e| PyValueError::new_err(e.to_string()))?,
        repeats: core(Repeats::parse(repeats))?,
        min_repeat_chars,
        drop_empty,
        duplicates: duplicates.then_some(DedupOptions {
            threshold,
            shingle,
            num_perm,
            near,
        }),
    };
    let inner = corpus.inner.clone();
    let (out, kept, rows) = core(run(py, move || dedup(&inner, &opts))?)?;
    let col = |f: &dyn Fn(&crate::corpus::cleanup::CleanupRow) -> i64| -> Vec<i64> {
        rows.iter().map(f).collect()
    };
    let report = (
        col(&|r| r.doc as i64).into_pyarray(py),
        rows.iter().map(|r| r.action).collect(),
        col(&|r| r.kept.map_or(-1, |k| k as i64)).into_pyarray(py),
        rows.iter()
            .map(|r| r.similarity.unwrap_or(f64::NAN))
            .collect::<Vec<_>>()
            .into_pyarray(py),
        col(&|r| r.boilerplate_lines as i64).into_pyarray(py),
        col(&|r| r.repeated_lines as i64).into_pyarray(py),
        col(&|r| r.removed_bytes as i64).into_pyarray(py),
    );
    let kept: Vec<i64> = kept.into_iter().map(|k| k as i64).collect();
    Ok((PyCorpus::from_core(out), kept.into_pyarray(py), report))
}
