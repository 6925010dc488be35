//! Binding for reading files and cleaning corpora: conversion only.

use numpy::IntoPyArray;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3::IntoPyObjectExt;

use crate::corpus::cleanup::{dedup, CleanupOptions};
use crate::corpus::date_values::BadDates;
use crate::corpus::dedup::DedupOptions;
use crate::corpus::hygiene::{Boilerplate, Repeats, PLATFORM_LINES};
use crate::corpus::read::{
    read, Decode, Format, MetaValue, OnError, ReadOptions, Scan, DEFAULT_MAX_RECORD_BYTES,
};
use crate::corpus::StringColumn;
use crate::python::columns::Columns;
use crate::python::convert::Wrap;
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

#[allow(clippy::too_many_arguments)]
fn read_options(
    format: Wrap<Format>,
    text: &str,
    date: Option<String>,
    id: Option<String>,
    glob: Option<String>,
    split: Option<String>,
    errors: Wrap<OnError>,
    encoding_errors: Wrap<Decode>,
    encoding: Option<String>,
    chronological: Option<bool>,
    date_range: Option<PyDateRange>,
    bad_dates: Wrap<BadDates>,
    dayfirst: Option<bool>,
    max_record_bytes: Option<usize>,
    exclude: Vec<String>,
    keep_fields: Vec<String>,
) -> PyResult<ReadOptions> {
    if max_record_bytes == Some(0) {
        return Err(PyValueError::new_err("max_record_bytes must be positive"));
    }
    let encoding = match encoding {
        None => None,
        Some(label) => Some(
            encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "unknown encoding {label:?}: name one as the WHATWG Encoding Standard does, \
                 e.g. \"windows-1251\", \"koi8-r\", \"iso-8859-5\", \"windows-1252\", \"utf-16le\""
                ))
            })?,
        ),
    };
    Ok(ReadOptions {
        format: format.0,
        encoding,
        text_field: text.to_string(),
        date_field: date,
        id_field: id,
        glob,
        split,
        errors: errors.0,
        decode: encoding_errors.0,
        chronological,
        dates: rules(date_range, bad_dates.0, dayfirst),
        max_record_bytes: max_record_bytes.unwrap_or(DEFAULT_MAX_RECORD_BYTES),
        exclude: exclude.into_iter().map(Into::into).collect(),
        keep_fields,
        ..ReadOptions::default()
    })
}

/// A read corpus as named results: `corpus`, `meta` (column name -> list of values,
/// in order) and `issues` (columns `source`, `kind`, `message`).
fn to_py(py: Python<'_>, loaded: crate::corpus::read::Loaded) -> PyResult<Bound<'_, PyDict>> {
    let meta = PyDict::new(py);
    for (name, values) in loaded.meta {
        meta.set_item(name, meta_to_py(py, values)?)?;
    }
    let issues = &loaded.issues;
    let issues = Columns::new(py)
        .value(
            "source",
            issues.iter().map(|i| i.source.as_str()).collect::<Vec<_>>(),
        )?
        .value("kind", issues.iter().map(|i| i.kind).collect::<Vec<_>>())?
        .value(
            "message",
            issues
                .iter()
                .map(|i| i.message.as_str())
                .collect::<Vec<_>>(),
        )?
        .finish();
    Ok(Columns::new(py)
        .value("corpus", PyCorpus::from_core(loaded.corpus))?
        .value("meta", meta)?
        .value("issues", issues)?
        .value("files", loaded.files)?
        .value("file_of", loaded.file_of.into_pyarray(py))?
        .finish())
}

/// Reads files into a corpus (see `framescope.read`).
#[pyfunction]
#[pyo3(signature = (paths, format=Wrap(Format::Auto), text="text", date=None, id=None, glob=None, split=None, errors=Wrap(OnError::Raise), encoding_errors=Wrap(Decode::Strict), encoding=None, chronological=None, date_range=None, bad_dates=Wrap(BadDates::Raise), dayfirst=None, max_record_bytes=None, exclude=Vec::new(), keep_fields=Vec::new()))]
#[allow(clippy::too_many_arguments)]
pub fn read_files<'py>(
    py: Python<'py>,
    paths: Vec<String>,
    format: Wrap<Format>,
    text: &str,
    date: Option<String>,
    id: Option<String>,
    glob: Option<String>,
    split: Option<String>,
    errors: Wrap<OnError>,
    encoding_errors: Wrap<Decode>,
    encoding: Option<String>,
    chronological: Option<bool>,
    date_range: Option<PyDateRange>,
    bad_dates: Wrap<BadDates>,
    dayfirst: Option<bool>,
    max_record_bytes: Option<usize>,
    exclude: Vec<String>,
    keep_fields: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = read_options(
        format,
        text,
        date,
        id,
        glob,
        split,
        errors,
        encoding_errors,
        encoding,
        chronological,
        date_range,
        bad_dates,
        dayfirst,
        max_record_bytes,
        exclude,
        keep_fields,
    )?;
    let loaded = run(py, move || read(&paths, &opts))?;
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
    #[pyo3(signature = (paths, format=Wrap(Format::Auto), text="text", date=None, id=None, glob=None, split=None, errors=Wrap(OnError::Raise), encoding_errors=Wrap(Decode::Strict), encoding=None, chronological=None, batch_bytes=crate::parallel::BATCH_BYTES, date_range=None, bad_dates=Wrap(BadDates::Raise), dayfirst=None, max_record_bytes=None, exclude=Vec::new(), keep_fields=Vec::new()))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        paths: Vec<String>,
        format: Wrap<Format>,
        text: &str,
        date: Option<String>,
        id: Option<String>,
        glob: Option<String>,
        split: Option<String>,
        errors: Wrap<OnError>,
        encoding_errors: Wrap<Decode>,
        encoding: Option<String>,
        chronological: Option<bool>,
        batch_bytes: usize,
        date_range: Option<PyDateRange>,
        bad_dates: Wrap<BadDates>,
        dayfirst: Option<bool>,
        max_record_bytes: Option<usize>,
        exclude: Vec<String>,
        keep_fields: Vec<String>,
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
            encoding,
            chronological,
            date_range,
            bad_dates,
            dayfirst,
            max_record_bytes,
            exclude,
            keep_fields,
        )?;
        opts.batch_bytes = batch_bytes;
        Ok(PyScan {
            inner: std::sync::Mutex::new(core(Scan::new(&paths, opts))?),
        })
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let inner = &self.inner;
        let batch = run(py, || {
            inner.lock().unwrap_or_else(|e| e.into_inner()).next_batch()
        })?;
        batch.map(|b| to_py(py, b)).transpose()
    }
}

/// The built-in boilerplate line patterns.
/// Labels of numbered rows, `(prefix, first, rows)` part by part
/// (`StringColumn::numbered`), as `{"labels": (offsets, data)}`: the default ids and
/// provenance of Parquet rows, with no str made per row.
#[pyfunction]
pub fn numbered_labels<'py>(
    py: Python<'py>,
    parts: Vec<(String, usize, usize)>,
) -> PyResult<Bound<'py, PyDict>> {
    let parts: Vec<(&str, usize, usize)> = parts
        .iter()
        .map(|(p, first, rows)| (p.as_str(), *first, *rows))
        .collect();
    let labels = run(py, || Ok(StringColumn::numbered(&parts)))?;
    Ok(Columns::new(py).strings("labels", labels.iter())?.finish())
}

#[pyfunction]
pub fn platform_lines() -> Vec<&'static str> {
    PLATFORM_LINES.to_vec()
}

/// Cleans and deduplicates a corpus (see `Corpus.dedup`): `corpus`, `kept` (indices of
/// the documents kept) and `report` (columns `doc`, `action`, `kept` (-1: none),
/// `similarity` (NaN: none), `boilerplate_lines`, `repeated_lines`, `joined_words`,
/// `markup`, `removed_bytes`).
#[pyfunction]
#[pyo3(signature = (corpus, boilerplate, repeats, min_repeat_chars, drop_empty, duplicates, near, threshold, shingle, num_perm, hyphenation=false, html=false))]
#[allow(clippy::too_many_arguments)]
pub fn dedup_corpus<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    boilerplate: Option<Vec<String>>,
    repeats: Wrap<Repeats>,
    min_repeat_chars: usize,
    drop_empty: bool,
    duplicates: bool,
    near: bool,
    threshold: f64,
    shingle: usize,
    num_perm: usize,
    hyphenation: bool,
    html: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = CleanupOptions {
        html,
        boilerplate: boilerplate
            .map(|b| Boilerplate::new(&b))
            .transpose()
            .map_err(|e| PyValueError::new_err(e.to_string()))?,
        repeats: repeats.0,
        min_repeat_chars,
        hyphenation,
        drop_empty,
        duplicates: duplicates.then_some(DedupOptions {
            threshold,
            shingle,
            num_perm,
            near,
        }),
    };
    let inner = corpus.inner.clone();
    let (out, kept, rows) = run(py, move || dedup(&inner, &opts))?;
    let col = |f: &dyn Fn(&crate::corpus::cleanup::CleanupRow) -> i64| -> Vec<i64> {
        rows.iter().map(f).collect()
    };
    let report = Columns::new(py)
        .array("doc", col(&|r| r.doc as i64))?
        .value("action", rows.iter().map(|r| r.action).collect::<Vec<_>>())?
        .array("kept", col(&|r| r.kept.map_or(-1, |k| k as i64)))?
        .array(
            "similarity",
            rows.iter()
                .map(|r| r.similarity.unwrap_or(f64::NAN))
                .collect::<Vec<_>>(),
        )?
        .array("boilerplate_lines", col(&|r| r.boilerplate_lines as i64))?
        .array("repeated_lines", col(&|r| r.repeated_lines as i64))?
        .array("joined_words", col(&|r| r.joined_words as i64))?
        .array("markup", col(&|r| r.markup as i64))?
        .array("removed_bytes", col(&|r| r.removed_bytes as i64))?
        .finish();
    let kept: Vec<i64> = kept.into_iter().map(|k| k as i64).collect();
    Ok(Columns::new(py)
        .value("corpus", PyCorpus::from_core(out))?
        .array("kept", kept)?
        .value("report", report)?
        .finish())
}
