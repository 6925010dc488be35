//! Binding for discovery statistics: conversion only. Each function turns its
//! arguments into core types, runs the core, and returns named columns.

use ahash::AHashSet;
use numpy::PyReadonlyArray1;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::count::csr::Csr;
use crate::count::termfreq::{forms, TermFreqOptions};
use crate::python::columns::Columns;
use crate::python::convert::Wrap;
use crate::python::corpus::{PyCorpus, PyTokenizerSpec};
use crate::python::errors::core;
use crate::python::guard::run;
use crate::stats::collocations::{collocations, Collocation};
use crate::stats::emerging::{emerging as emerging_terms, Method, MethodName};
use crate::stats::grams::{group_counts as counts_by_group, GroupCounts};
use crate::stats::keyness::{keyness as keyness_of, Correction, Prior};
use crate::text::ngrams::{breaks_for, gram_text};
use crate::text::stem::WordStemmer;

/// Counts of n-grams of `size` per group (sparse: terms x groups), off the GIL.
#[allow(clippy::too_many_arguments)]
fn count_groups(
    py: Python<'_>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    group: &PyReadonlyArray1<'_, u32>,
    n_groups: usize,
    size: usize,
    stop_words: Option<Vec<String>>,
    stem: Option<&str>,
) -> PyResult<GroupCounts> {
    let group = group.as_array().to_vec();
    let tc = corpus.tokens_for(py, spec)?;
    let st = core(stem.map(WordStemmer::new).transpose())?;
    let stop: Option<AHashSet<String>> = stop_words.map(|w| w.into_iter().collect());
    run(py, move || {
        let opts = TermFreqOptions {
            stop_words: stop.as_ref(),
            stemmer: st.as_ref(),
            ngram: (1, 1),
            min_count: 1,
        };
        let (form_of, names) = forms(&tc, &opts);
        let brk = breaks_for(&tc, size);
        counts_by_group(&tc, &form_of, &names, &group, n_groups, size, brk)
    })
}

/// Counts of n-grams of `size` per group (sparse: terms x groups): `terms`, the CSR
/// arrays `indptr`, `groups`, `counts`, and `tokens` per group.
#[pyfunction]
#[pyo3(signature = (corpus, spec, group, n_groups, size, stop_words=None, stem=None))]
#[allow(clippy::too_many_arguments)]
pub fn group_counts<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    group: PyReadonlyArray1<'py, u32>,
    n_groups: usize,
    size: usize,
    stop_words: Option<Vec<String>>,
    stem: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let g = count_groups(py, corpus, spec, &group, n_groups, size, stop_words, stem)?;
    let indptr: Vec<u64> = g.counts.indptr.iter().map(|&p| p as u64).collect();
    Ok(Columns::new(py)
        .value("terms", g.terms)?
        .array("indptr", indptr)?
        .array("groups", g.counts.indices)?
        .array("counts", g.counts.data)?
        .array("tokens", g.tokens)?
        .finish())
}

/// Keyness of n-grams of `size` in the documents of group 0 (target) against group 1
/// (reference; `NO_ID`: neither): `term`, `n_target`, `n_reference`, `G2`,
/// `G2_uncorrected`, `chi2`, `pmi`, `log_ratio`, `p_G2`, `p_chi2`.
#[pyfunction]
#[pyo3(signature = (corpus, spec, group, size, correction, min_count=1, stop_words=None, stem=None, prior=None))]
#[allow(clippy::too_many_arguments)]
pub fn keyness<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    group: PyReadonlyArray1<'py, u32>,
    size: usize,
    correction: Wrap<Correction>,
    min_count: u64,
    stop_words: Option<Vec<String>>,
    stem: Option<&str>,
    prior: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let g = count_groups(py, corpus, spec, &group, 2, size, stop_words, stem)?;
    keyness_columns(py, g, min_count, correction.0, prior)
}

/// Keyness of counts given per term (a corpus against a frequency list): `terms`,
/// their `target` and `reference` counts; columns as [`keyness`].
#[pyfunction]
#[pyo3(signature = (terms, target, reference, correction, min_count=1, prior=None))]
pub fn keyness_counts<'py>(
    py: Python<'py>,
    terms: Vec<String>,
    target: PyReadonlyArray1<'py, u64>,
    reference: PyReadonlyArray1<'py, u64>,
    correction: Wrap<Correction>,
    min_count: u64,
    prior: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let g = core(GroupCounts::two_groups(
        terms,
        target.as_slice()?,
        reference.as_slice()?,
    ))?;
    keyness_columns(py, g, min_count, correction.0, prior)
}

/// The log-odds prior from Python: None or "corpus", a positive number (uniform),
/// or a dict of background counts (a term missing from it counts 0).
fn prior_of(prior: Option<&Bound<'_, PyAny>>, terms: &[String]) -> PyResult<Prior> {
    let Some(p) = prior else {
        return Ok(Prior::Corpus);
    };
    if let Ok(s) = p.extract::<String>() {
        return match s.as_str() {
            "corpus" => Ok(Prior::Corpus),
            _ => Err(PyValueError::new_err(format!(
                "prior must be \"corpus\", a positive number or a dict of background counts, got {s:?}"
            ))),
        };
    }
    if let Ok(a) = p.extract::<f64>() {
        return Ok(Prior::Uniform(a));
    }
    let counts: std::collections::HashMap<String, f64> = p.extract().map_err(|_| {
        PyValueError::new_err(
            "prior must be \"corpus\", a positive number or a dict of background counts (term -> count)",
        )
    })?;
    Ok(Prior::Background(
        terms
            .iter()
            .map(|t| counts.get(t).copied().unwrap_or(0.0))
            .collect(),
    ))
}

fn keyness_columns<'py>(
    py: Python<'py>,
    g: GroupCounts,
    min_count: u64,
    correction: Correction,
    prior: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let prior = prior_of(prior, &g.terms)?;
    let k = run(py, move || keyness_of(&g, min_count, correction, &prior))?;
    Ok(Columns::new(py)
        .value("term", k.terms)?
        .array("n_target", k.target)?
        .array("n_reference", k.reference)?
        .array("G2", k.g2)?
        .array("G2_uncorrected", k.g2_uncorrected)?
        .array("chi2", k.chi2)?
        .array("pmi", k.pmi)?
        .array("log_ratio", k.log_ratio)?
        .array("p_G2", k.p_g2)?
        .array("p_chi2", k.p_chi2)?
        .array("log_odds", k.log_odds)?
        .array("z_log_odds", k.z_log_odds)?
        .finish())
}

/// Emerging n-grams of `size` over `n_periods` periods (document `d` in period
/// `group[d]`; `NO_ID`: undated): `term`, `start`, `end` (period indices),
/// `score`, `count`, `per_10k`, `overall_per_10k` (see `stats::emerging`).
#[pyfunction]
#[pyo3(signature = (corpus, spec, group, n_periods, size, method, min_count, s, gamma, window, stop_words=None))]
#[allow(clippy::too_many_arguments)]
pub fn emerging<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    group: PyReadonlyArray1<'py, u32>,
    n_periods: usize,
    size: usize,
    method: Wrap<MethodName>,
    min_count: u64,
    s: f64,
    gamma: f64,
    window: usize,
    stop_words: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let method = core(Method::new(method.0, s, gamma, window))?;
    let g = count_groups(py, corpus, spec, &group, n_periods, size, stop_words, None)?;
    let (rows, terms) = run(py, move || {
        let rows = emerging_terms(&g, min_count, method)?;
        let terms: Vec<String> = rows.iter().map(|e| g.terms[e.term].clone()).collect();
        Ok((rows, terms))
    })?;
    let col = |f: fn(&crate::stats::emerging::Emerging) -> u64| -> Vec<u64> {
        rows.iter().map(f).collect()
    };
    let fcol = |f: fn(&crate::stats::emerging::Emerging) -> f64| -> Vec<f64> {
        rows.iter().map(f).collect()
    };
    Ok(Columns::new(py)
        .value("term", terms)?
        .array("start", col(|e| e.start as u64))?
        .array("end", col(|e| e.end as u64))?
        .array("score", fcol(|e| e.score))?
        .array("count", col(|e| e.count))?
        .array("per_10k", fcol(|e| e.per_10k))?
        .array("overall_per_10k", fcol(|e| e.overall_per_10k))?
        .finish())
}

/// Collocations of `size` tokens: `collocation`, `count`, `length`, `lambda`,
/// `sigma`, `z`, `pmi`, `G2`.
#[pyfunction]
#[pyo3(signature = (corpus, spec, size, min_count, smoothing, stop_words=None))]
pub fn collocation_table<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    size: usize,
    min_count: u64,
    smoothing: f64,
    stop_words: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyDict>> {
    let tc = corpus.tokens_for(py, spec)?;
    let stop: Option<AHashSet<String>> = stop_words.map(|w| w.into_iter().collect());
    let (rows, text) = run(py, move || {
        let opts = TermFreqOptions {
            stop_words: stop.as_ref(),
            stemmer: None,
            ngram: (1, 1),
            min_count: 1,
        };
        let (form_of, names) = forms(&tc, &opts);
        let brk = &tc.breaks;
        let rows = collocations(&tc, &form_of, brk, size, min_count, smoothing)?;
        let text: Vec<String> = rows.iter().map(|c| gram_text(&c.gram, &names)).collect();
        Ok((rows, text))
    })?;
    let f = |k: fn(&Collocation) -> f64| -> Vec<f64> { rows.iter().map(k).collect() };
    Ok(Columns::new(py)
        .value("collocation", text)?
        .array("count", rows.iter().map(|c| c.count).collect::<Vec<u64>>())?
        .array(
            "length",
            rows.iter().map(|c| c.length as u64).collect::<Vec<u64>>(),
        )?
        .array("lambda", f(|c| c.lambda))?
        .array("sigma", f(|c| c.sigma))?
        .array("z", f(|c| c.z))?
        .array("pmi", f(|c| c.pmi))?
        .array("G2", f(|c| c.g2))?
        .finish())
}

/// Percentile intervals from a Poisson document bootstrap (see `stats::bootstrap`),
/// the hits given as a documents x frames CSR matrix: `rate_low`, `rate_high`,
/// `share_low`, `share_high`, each flattened periods x frames.
#[pyfunction]
#[pyo3(signature = (indptr, frame, count, n_frames, tokens, periods, n_periods, n_boot, level, seed))]
#[allow(clippy::too_many_arguments)]
pub fn bootstrap_intervals<'py>(
    py: Python<'py>,
    indptr: PyReadonlyArray1<'py, u64>,
    frame: PyReadonlyArray1<'py, u32>,
    count: PyReadonlyArray1<'py, u32>,
    n_frames: usize,
    tokens: PyReadonlyArray1<'py, u64>,
    periods: PyReadonlyArray1<'py, u32>,
    n_periods: usize,
    n_boot: usize,
    level: f64,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let counts = Csr {
        n_cols: n_frames,
        indptr: indptr.as_array().iter().map(|&p| p as usize).collect(),
        indices: frame.as_array().to_vec(),
        data: count.as_array().to_vec(),
    };
    let ok = counts.indptr.first() == Some(&0)
        && counts.indptr.windows(2).all(|w| w[0] <= w[1])
        && counts.indptr.last() == Some(&counts.indices.len())
        && counts.indices.len() == counts.data.len()
        && counts.indices.iter().all(|&f| (f as usize) < n_frames);
    if !ok {
        return Err(PyValueError::new_err("malformed hit matrix"));
    }
    let tokens = tokens.as_array().to_vec();
    let periods = periods.as_array().to_vec();
    let out = run(py, move || {
        let sample = crate::stats::bootstrap::Sample {
            counts: &counts,
            tokens: &tokens,
            periods: &periods,
            n_periods,
        };
        crate::stats::bootstrap::intervals(&sample, n_boot, level, seed)
    })?;
    Ok(Columns::new(py)
        .array("rate_low", out.rate_low)?
        .array("rate_high", out.rate_high)?
        .array("share_low", out.share_low)?
        .array("share_high", out.share_high)?
        .finish())
}
