//! Binding for frames: conversion only.

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

use crate::frames::automaton::{hit_matrix, match_frames, overlaps, parse_frames, FrameSpec};
use crate::frames::kwic::kwic;
use crate::python::corpus::{PyCorpus, PyTokenizerSpec};
use crate::python::errors::core;
use crate::python::guard::run;
use crate::text::tokenizer::Tokenizer;

/// Frames as (name, patterns, exclusions) from Python.
type Specs = Vec<(String, Vec<String>, Vec<String>)>;

fn specs(frames: Specs) -> Vec<FrameSpec> {
    frames
        .into_iter()
        .map(|(name, patterns, exclude)| FrameSpec {
            name,
            patterns,
            exclude,
        })
        .collect()
}

/// Checks that every pattern parses with `spec`'s tokenizer (errors name frame and pattern).
#[pyfunction]
pub fn check_frames(frames: Specs, spec: &PyTokenizerSpec) -> PyResult<()> {
    core(parse_frames(&specs(frames), &Tokenizer::new(spec.opts.clone())).map(|_| ()))
}

/// A sparse documents x frames matrix as CSR arrays: row pointers, frame of each
/// stored count, the counts.
type HitArrays<'py> = (
    Bound<'py, PyArray1<u64>>,
    Bound<'py, PyArray1<u32>>,
    Bound<'py, PyArray1<u32>>,
);

/// Matches frames in a corpus: hits per document and frame (CSR arrays).
#[pyfunction]
pub fn frame_hits<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    frames: Specs,
) -> PyResult<HitArrays<'py>> {
    let frames = specs(frames);
    let tc = corpus.tokens_for(py, spec)?;
    let tokenizer = Tokenizer::new(spec.opts.clone());
    let m = core(run(py, move || {
        let (offsets, hits) = match_frames(&frames, &tokenizer, &tc)?;
        hit_matrix(&offsets, &hits, frames.len())
    })?)?;
    let indptr: Vec<u64> = m.indptr.iter().map(|&p| p as u64).collect();
    Ok((
        indptr.into_pyarray(py),
        m.indices.into_pyarray(py),
        m.data.into_pyarray(py),
    ))
}

/// Pairs of frames whose hits overlap: (row frame, column frame, hits of the row
/// frame overlapping one of the column frame), only pairs that occur.
type OverlapArrays<'py> = (
    Bound<'py, PyArray1<u32>>,
    Bound<'py, PyArray1<u32>>,
    Bound<'py, PyArray1<u64>>,
);

/// Overlaps between frames' hits in a corpus, as sparse triples.
#[pyfunction]
pub fn frame_overlaps<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    frames: Specs,
) -> PyResult<OverlapArrays<'py>> {
    let frames = specs(frames);
    let tc = corpus.tokens_for(py, spec)?;
    let tokenizer = Tokenizer::new(spec.opts.clone());
    let pairs = core(run(py, move || {
        let (offsets, hits) = match_frames(&frames, &tokenizer, &tc)?;
        let pairs = overlaps(&offsets, &hits);
        crate::cancel::check()?;
        Ok(pairs)
    })?)?;
    let a: Vec<u32> = pairs.iter().map(|p| p.0).collect();
    let b: Vec<u32> = pairs.iter().map(|p| p.1).collect();
    let n: Vec<u64> = pairs.iter().map(|p| p.2).collect();
    Ok((a.into_pyarray(py), b.into_pyarray(py), n.into_pyarray(py)))
}

/// KWIC columns: document, frame, byte start, byte end, left, match, right.
type KwicColumns<'py> = (
    Bound<'py, PyArray1<u64>>,
    Bound<'py, PyArray1<u32>>,
    Bound<'py, PyArray1<u64>>,
    Bound<'py, PyArray1<u64>>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
);

/// Keyword-in-context lines for the frames whose index is in `keep` (all when None).
#[pyfunction]
#[pyo3(signature = (corpus, spec, frames, window, keep=None))]
pub fn frame_kwic<'py>(
    py: Python<'py>,
    corpus: &PyCorpus,
    spec: &PyTokenizerSpec,
    frames: Specs,
    window: usize,
    keep: Option<Vec<u32>>,
) -> PyResult<KwicColumns<'py>> {
    let frames = specs(frames);
    let tc = corpus.tokens_for(py, spec)?;
    let tokenizer = Tokenizer::new(spec.opts.clone());
    let inner = corpus.inner.clone();
    let lines = core(run(py, move || {
        let (offsets, hits) = match_frames(&frames, &tokenizer, &tc)?;
        let texts = inner.texts();
        let keep_fn = |f: u32| keep.as_ref().map_or(true, |k| k.contains(&f));
        Ok(kwic(&texts, &tc, &offsets, &hits, window, &keep_fn))
    })?)?;
    let col = |f: &dyn Fn(&crate::frames::kwic::KwicLine) -> u64| -> Bound<'py, PyArray1<u64>> {
        lines.iter().map(f).collect::<Vec<u64>>().into_pyarray(py)
    };
    let frame: Vec<u32> = lines.iter().map(|l| l.frame).collect();
    Ok((
        col(&|l| l.doc as u64),
        frame.into_pyarray(py),
        col(&|l| l.start as u64),
        col(&|l| l.end as u64),
        lines.iter().map(|l| l.left.clone()).collect(),
        lines.iter().map(|l| l.matched.clone()).collect(),
        lines.iter().map(|l| l.right.clone()).collect(),
    ))
}
