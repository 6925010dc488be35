//! Binding for word spaces (`embed`): options in, flat arrays out (Python reshapes).

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::embed::space::{drift, expand, SpaceOptions};
use crate::embed::units::UnitOptions;
use crate::python::columns::Columns;
use crate::python::corpus::{PyCorpus, PyTokenizerSpec};
use crate::python::frames::PyFrameSet;
use crate::python::guard::run;
use crate::text::tokenizer::Tokenizer;

/// How tokens become units and how a space is learned, as one Python call passes them.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub struct SpaceArgs {
    min_count: u64,
    max_units: usize,
    phrases: bool,
    phrase_min_count: u64,
    phrase_npmi: f64,
    stem: Option<String>,
    dim: usize,
    window: usize,
    seed: u64,
}

impl SpaceArgs {
    fn units(&self) -> UnitOptions {
        UnitOptions {
            min_count: self.min_count,
            max_units: self.max_units,
            phrases: self.phrases,
            phrase_min_count: self.phrase_min_count,
            phrase_npmi: self.phrase_npmi,
            stem: self.stem.clone(),
            ..UnitOptions::default()
        }
    }

    fn space(&self) -> SpaceOptions {
        SpaceOptions {
            dim: self.dim,
            window: self.window,
            seed: self.seed,
            ..SpaceOptions::default()
        }
    }
}

/// Units of `corpus` and their cosine similarity to each frame of `seeds` (one space
/// over the whole corpus): names, n_words, n_phrases, occurrences, similarity (seeds x
/// units, flat).
#[pyfunction]
pub fn expand_space<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    seeds: &PyFrameSet,
    seed_names: Vec<String>,
    args: SpaceArgs,
) -> PyResult<Bound<'py, PyDict>> {
    let tc = corpus.tokens_for(py, spec)?;
    let tokenizer = Tokenizer::new(spec.opts.clone());
    let (uo, so) = (args.units(), args.space());
    let set = seeds.inner();
    let e = run(py, || {
        let matches = set.match_corpus(&tokenizer, &tc)?;
        expand(&tc, &matches, &seed_names, &uo, &so)
    })?;
    Columns::new(py)
        .value("names", e.units.names.clone())?
        .value("n_words", e.units.n_words)?
        .value("n_phrases", e.units.n_phrases)?
        .array("occurrences", e.occurrences)?
        .array("similarity", e.similarity.into_raw_vec_and_offset().0)
        .map(Columns::finish)
}

/// Spaces per group of documents (`group`, u32, `n_groups`), aligned in order: names,
/// targets' units, occurrences and drift (groups x units, flat), similarity (targets x
/// groups x units, flat).
#[pyfunction]
pub fn drift_spaces<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    group: numpy::PyReadonlyArray1<'py, u32>,
    n_groups: usize,
    targets: Vec<Vec<String>>,
    args: SpaceArgs,
) -> PyResult<Bound<'py, PyDict>> {
    let tc = corpus.tokens_for(py, spec)?;
    let group = group.as_slice()?.to_vec();
    let (uo, so) = (args.units(), args.space());
    let d = run(py, || drift(&tc, &group, n_groups, &targets, &uo, &so))?;
    let similarity: Vec<f64> = d
        .similarity
        .into_iter()
        .flat_map(|a| a.into_raw_vec_and_offset().0)
        .collect();
    Columns::new(py)
        .value("names", d.units.names.clone())?
        .value("n_words", d.units.n_words)?
        .array("targets", d.targets)?
        .array("occurrences", d.occurrences.into_raw_vec_and_offset().0)?
        .array("drift", d.drift.into_raw_vec_and_offset().0)?
        .array("similarity", similarity)
        .map(Columns::finish)
}
