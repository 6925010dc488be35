//! Binding for the saved-corpus file (`crate::corpus::store`): conversion only.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::corpus::store;
use crate::python::columns::Columns;
use crate::python::corpus::{PyCorpus, PyTokenizerSpec};
use crate::python::guard::run;

/// Saves `corpus` with its tokens under each of `specs` (tokenizing where not yet
/// done) and the host's `extra` sections (name, bytes) to `path`.
#[pyfunction]
pub fn save_corpus(
    py: Python<'_>,
    path: PathBuf,
    corpus: &PyCorpus,
    specs: Vec<PyRef<'_, PyTokenizerSpec>>,
    extra: Vec<(String, Vec<u8>)>,
) -> PyResult<()> {
    let mut tokenized = Vec::with_capacity(specs.len());
    for spec in &specs {
        tokenized.push((spec.opts.clone(), corpus.tokens_for(py, spec)?));
    }
    let inner = Arc::clone(&corpus.inner);
    run(py, move || {
        let parts: Vec<_> = tokenized.iter().map(|(o, tc)| (o, &**tc)).collect();
        store::save(&path, &inner, &parts, &extra)
    })
}

/// Loads a saved corpus: `corpus` (tokens cached), `tokenizers` (the saved
/// tokenizations' settings), `extra` (name -> bytes) and `version`.
#[pyfunction]
pub fn load_corpus(py: Python<'_>, path: PathBuf) -> PyResult<Bound<'_, PyDict>> {
    let loaded = run(py, move || store::load(&path))?;
    let specs: Vec<PyTokenizerSpec> = loaded
        .tokenizations
        .iter()
        .map(|(o, _)| PyTokenizerSpec { opts: o.clone() })
        .collect();
    let extra = PyDict::new(py);
    for (name, bytes) in &loaded.extra {
        extra.set_item(name, PyBytes::new(py, bytes))?;
    }
    let corpus = PyCorpus::with_tokenizations(loaded.corpus, loaded.tokenizations);
    Ok(Columns::new(py)
        .value("corpus", Bound::new(py, corpus)?)?
        .value("tokenizers", specs)?
        .value("extra", extra)?
        .value("version", loaded.version)?
        .finish())
}
