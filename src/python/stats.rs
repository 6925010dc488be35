//! Binding for discovery statistics: conversion only.

use ahash::AHashSet;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;

use crate::count::termfreq::{forms, TermFreqOptions};
use crate::python::corpus::{PyCorpus, PyTokenizerSpec};
use crate::python::errors::core;
use crate::python::guard::run;
use crate::stats::burst::bursts;
use crate::stats::collocations::collocations;
use crate::stats::grams::group_counts as counts_by_group;
use crate::stats::keyness::{chi2, g2, log_ratio, p_value, pmi, Correction};
use crate::text::ngrams::{breaks, breaks_for, gram_text, Gram};
use crate::text::stem::WordStemmer;

type F64s<'py> = Bound<'py, PyArray1<f64>>;
type U64s<'py> = Bound<'py, PyArray1<u64>>;

fn stemmer(stem: Option<&str>) -> PyResult<Option<WordStemmer>> {
    core(stem.map(WordStemmer::new).transpose())
}

/// Counts of n-grams per group: terms, the terms x groups CSR arrays (row
/// pointers, groups, counts), tokens per group.
type GroupArrays<'py> = (
    Vec<String>,
    U64s<'py>,
    Bound<'py, PyArray1<u32>>,
    U64s<'py>,
    U64s<'py>,
);

/// Counts of n-grams of `size` per group (sparse: terms x groups).
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
) -> PyResult<GroupArrays<'py>> {
    let group = group.as_array().to_vec();
    let tc = corpus.tokens_for(py, spec)?;
    let st = stemmer(stem)?;
    let inner = corpus.inner.clone();
    let stop: Option<AHashSet<String>> = stop_words.map(|w| w.into_iter().collect());
    let g = core(run(py, move || {
        let opts = TermFreqOptions {
            stop_words: stop.as_ref(),
            stemmer: st.as_ref(),
            ngram: (1, 1),
            min_count: 1,
        };
        let (form_of, names) = forms(&tc, &opts);
        let brk = breaks_for(&inner.texts(), &tc, size);
        counts_by_group(&tc, &form_of, &names, &group, n_groups, size, &brk)
    })?)?;
    let indptr: Vec<u64> = g.counts.indptr.iter().map(|&p| p as u64).collect();
    Ok((
        g.terms,
        indptr.into_pyarray(py),
        g.counts.indices.into_pyarray(py),
        g.counts.data.into_pyarray(py),
        g.tokens.into_pyarray(py),
    ))
}

fn correction(name: &str) -> PyResult<Correction> {
    Ok(match name {
        "default" | "yates" => Correction::Yates,
        "williams" => Correction::Williams,
        "none" => Correction::None,
        o => {
            return Err(PyValueError::new_err(format!(
                "correction must be 'default', 'yates', 'williams' or 'none', got {o:?}"
            )))
        }
    })
}

/// Keyness columns for counts `a` (target) and `b` (reference) with totals `t`, `r`:
/// (G2, G2 without correction, chi2, pmi, log_ratio, p of G2, p of chi2).
#[pyfunction]
#[pyo3(signature = (a, b, t, r, correction_name="default"))]
#[allow(clippy::type_complexity)]
pub fn keyness_table<'py>(
    py: Python<'py>,
    a: PyReadonlyArray1<'py, f64>,
    b: PyReadonlyArray1<'py, f64>,
    t: f64,
    r: f64,
    correction_name: &str,
) -> PyResult<(
    F64s<'py>,
    F64s<'py>,
    F64s<'py>,
    F64s<'py>,
    F64s<'py>,
    F64s<'py>,
    F64s<'py>,
)> {
    let cor = correction(correction_name)?;
    let (a, b) = (a.as_slice()?.to_vec(), b.as_slice()?.to_vec());
    if a.len() != b.len() {
        return Err(PyValueError::new_err("a and b must have the same length"));
    }
    let cols = run(py, move || {
        let rows: Vec<[f64; 5]> = a
            .par_iter()
            .zip(b.par_iter())
            .map(|(&x, &y)| {
                [
                    g2(x, y, t, r, cor),
                    g2(x, y, t, r, Correction::None),
                    chi2(x, y, t, r, cor),
                    pmi(x, y, t, r),
                    log_ratio(x, y, t, r),
                ]
            })
            .collect();
        (0..5)
            .map(|k| rows.iter().map(|row| row[k]).collect::<Vec<f64>>())
            .collect::<Vec<_>>()
    })?;
    let p_g2: Vec<f64> = cols[0].iter().map(|&s| p_value(s)).collect();
    let p_chi: Vec<f64> = cols[2].iter().map(|&s| p_value(s)).collect();
    let mut it = cols.into_iter().map(|c| c.into_pyarray(py));
    Ok((
        it.next().expect("5 columns"),
        it.next().expect("5 columns"),
        it.next().expect("5 columns"),
        it.next().expect("5 columns"),
        it.next().expect("5 columns"),
        p_g2.into_pyarray(py),
        p_chi.into_pyarray(py),
    ))
}

/// Collocation columns: (collocation, count, length, lambda, sigma, z, pmi, G2).
#[pyfunction]
#[pyo3(signature = (corpus, spec, size, min_count, smoothing, stop_words=None))]
#[allow(clippy::type_complexity)]
pub fn collocation_table<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    size: usize,
    min_count: u64,
    smoothing: f64,
    stop_words: Option<Vec<String>>,
) -> PyResult<(
    Vec<String>,
    U64s<'py>,
    U64s<'py>,
    F64s<'py>,
    F64s<'py>,
    F64s<'py>,
    F64s<'py>,
    F64s<'py>,
)> {
    let tc = corpus.tokens_for(py, spec)?;
    let inner = corpus.inner.clone();
    let stop: Option<AHashSet<String>> = stop_words.map(|w| w.into_iter().collect());
    let (rows, names) = core(run(py, move || {
        let opts = TermFreqOptions {
            stop_words: stop.as_ref(),
            stemmer: None,
            ngram: (1, 1),
            min_count: 1,
        };
        let (form_of, names) = forms(&tc, &opts);
        let brk = breaks(&inner.texts(), &tc);
        collocations(&tc, &form_of, &brk, size, min_count, smoothing).map(|r| (r, names))
    })?)?;
    let text = |g: &Gram| gram_text(g, &names);
    let f = |k: fn(&crate::stats::collocations::Collocation) -> f64| {
        rows.iter().map(k).collect::<Vec<f64>>().into_pyarray(py)
    };
    Ok((
        rows.iter().map(|c| text(&c.gram)).collect(),
        rows.iter()
            .map(|c| c.count)
            .collect::<Vec<u64>>()
            .into_pyarray(py),
        rows.iter()
            .map(|c| c.length as u64)
            .collect::<Vec<u64>>()
            .into_pyarray(py),
        f(|c| c.lambda),
        f(|c| c.sigma),
        f(|c| c.z),
        f(|c| c.pmi),
        f(|c| c.g2),
    ))
}

/// Bursts of every term: (term index, first period, last period, weight, count in
/// the burst), from counts as terms x periods CSR arrays and tokens per period.
#[pyfunction]
pub fn term_bursts<'py>(
    py: Python<'py>,
    indptr: PyReadonlyArray1<'py, u64>,
    periods_of: PyReadonlyArray1<'py, u32>,
    counts: PyReadonlyArray1<'py, u64>,
    tokens: PyReadonlyArray1<'py, u64>,
    s: f64,
    gamma: f64,
) -> PyResult<(U64s<'py>, U64s<'py>, U64s<'py>, F64s<'py>, U64s<'py>)> {
    if s <= 1.0 {
        return Err(PyValueError::new_err(format!("s must be > 1, got {s}")));
    }
    if gamma < 0.0 {
        return Err(PyValueError::new_err(format!(
            "gamma must be >= 0, got {gamma}"
        )));
    }
    let indptr: Vec<usize> = indptr.as_array().iter().map(|&p| p as usize).collect();
    let (cols, counts) = (periods_of.as_array().to_vec(), counts.as_array().to_vec());
    let tokens = tokens.as_array().to_vec();
    let periods = tokens.len();
    let ok = indptr.first() == Some(&0)
        && indptr.windows(2).all(|w| w[0] <= w[1])
        && indptr.last() == Some(&cols.len())
        && cols.len() == counts.len()
        && cols.iter().all(|&p| (p as usize) < periods);
    if !ok {
        return Err(PyValueError::new_err("malformed terms x periods matrix"));
    }
    let n_terms = indptr.len() - 1;
    let found = run(py, move || {
        (0..n_terms)
            .into_par_iter()
            .flat_map_iter(|t| {
                // One term's series at a time: memory for periods, not terms x periods.
                let mut r = vec![0u64; periods];
                for k in indptr[t]..indptr[t + 1] {
                    r[cols[k] as usize] += counts[k];
                }
                bursts(&r, &tokens, s, gamma)
                    .into_iter()
                    .map(|b| {
                        let n: u64 = r[b.start..=b.end].iter().sum();
                        (t as u64, b.start as u64, b.end as u64, b.weight, n)
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    })?;
    let col = |k: fn(&(u64, u64, u64, f64, u64)) -> u64| {
        found.iter().map(k).collect::<Vec<u64>>().into_pyarray(py)
    };
    Ok((
        col(|x| x.0),
        col(|x| x.1),
        col(|x| x.2),
        found
            .iter()
            .map(|x| x.3)
            .collect::<Vec<f64>>()
            .into_pyarray(py),
        col(|x| x.4),
    ))
}

/// Bootstrap interval bounds per period and frame (each flattened periods x frames):
/// rate low, rate high, share low, share high.
type IntervalArrays<'py> = (F64s<'py>, F64s<'py>, F64s<'py>, F64s<'py>);

/// Percentile intervals from a Poisson document bootstrap (see `stats::bootstrap`).
/// The hits come as a documents x frames CSR matrix.
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
) -> PyResult<IntervalArrays<'py>> {
    let counts = crate::count::csr::Csr {
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
    let out = core(run(py, move || {
        let sample = crate::stats::bootstrap::Sample {
            counts: &counts,
            tokens: &tokens,
            periods: &periods,
            n_periods,
        };
        crate::stats::bootstrap::intervals(&sample, n_boot, level, seed)
    })?)?;
    Ok((
        out.rate_low.into_pyarray(py),
        out.rate_high.into_pyarray(py),
        out.share_low.into_pyarray(py),
        out.share_high.into_pyarray(py),
    ))
}
