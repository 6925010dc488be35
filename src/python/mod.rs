//! The pyo3 extension module `framescope._core`: converts types, maps errors,
//! releases the GIL. No analysis logic lives here.

mod columns;
mod convert;
mod corpus;
mod dates;
mod documents;
mod embed;
mod errors;
mod frames;
mod guard;
mod read;
mod stats;
mod store;
mod vectorize;

use pyo3::prelude::*;

use crate::python::errors::core;

/// Uses `n` threads for later work (0: all cores), at most the cap; returns the number started.
#[pyfunction]
fn set_num_threads(n: usize) -> PyResult<usize> {
    core(crate::parallel::set_num_threads(n))
}

/// Documents done so far by all work (`crate::progress`): progress bars poll it.
#[pyfunction]
fn progress_done() -> u64 {
    crate::progress::done()
}

/// Number of threads work will use.
#[pyfunction]
fn get_num_threads() -> usize {
    crate::parallel::num_threads()
}

/// The stop-word list for a language name or ISO code ("english" is scikit-learn's list).
#[pyfunction]
#[pyo3(name = "stop_words")]
fn stop_words_for(language: &str) -> PyResult<Vec<String>> {
    crate::text::stopwords::for_language(language).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err(format!(
            "no stop-word list for {language:?}; available: {}",
            crate::text::stopwords::languages().join(", ")
        ))
    })
}

/// Snowball stem of each word (`language` a Snowball language or "auto").
#[pyfunction]
fn stem(words: Vec<String>, language: &str) -> PyResult<Vec<String>> {
    let s = core(crate::text::stem::WordStemmer::new(language))?;
    Ok(words.iter().map(|w| s.stem(w)).collect())
}

/// Test hook: panics inside parallel core work, through the same guard as every
/// entry point, so tests can check that a panic becomes `FramescopeError`.
#[pyfunction]
fn _panic_in_core(py: Python<'_>) -> PyResult<usize> {
    use rayon::prelude::*;
    guard::run(py, || {
        Ok((0..10_000usize)
            .into_par_iter()
            .map(|i| {
                assert!(i != 5_000, "deliberate panic in document {i} (test hook)");
                i
            })
            .sum::<usize>())
    })
}

/// Unicode version of the character table scikit-learn-compatible analysis uses now.
#[pyfunction]
fn unicode_table_version() -> String {
    crate::text::pyword::active().version.to_string()
}

/// Unicode versions of the built-in character tables, oldest first.
#[pyfunction]
fn unicode_table_versions() -> Vec<String> {
    crate::text::pyword::tables()
        .iter()
        .map(|t| t.version.to_string())
        .collect()
}

/// Uses the built-in table of Unicode `version`; False when there is none.
#[pyfunction]
fn select_unicode_table(version: &str) -> PyResult<bool> {
    core(crate::text::pyword::select(version))
}

/// Uses a table computed by the running Python (inclusive code point ranges).
#[pyfunction]
fn install_unicode_table(
    version: String,
    word: Vec<(u32, u32)>,
    lower: Vec<(u32, u32)>,
) -> PyResult<()> {
    use crate::text::pyword::{install, Classes, PyTable, Ranges};
    let table = PyTable {
        version: version.into(),
        classes: Classes {
            word: core(Ranges::from_ranges(&word))?,
            lower: core(Ranges::from_ranges(&lower))?,
        },
    };
    core(install(table))
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    // rust-numpy loads NumPy's C API on first use, running Python code (NumPy's version
    // check), and panics if that fails: a Ctrl-C arriving then, in the middle of a
    // user's job, became a PanicException instead of a KeyboardInterrupt. Load it here,
    // at import, with NumPy's modules imported first so a failure is an import error.
    py.import("numpy")?;
    py.import("numpy.lib")?;
    drop(numpy::IntoPyArray::into_pyarray(Vec::<u8>::new(), py));
    m.add("FramescopeError", py.get_type::<errors::FramescopeError>())?;
    m.add("InputError", py.get_type::<errors::InputError>())?;
    m.add(
        "EmptyVocabularyError",
        py.get_type::<errors::EmptyVocabularyError>(),
    )?;
    m.add("MAX_NGRAM", crate::text::ngrams::MAX_NGRAM)?;
    m.add("NO_ID", crate::ids::NO_ID)?;
    m.add(
        "DEFAULT_MAX_RECORD_BYTES",
        crate::corpus::read::DEFAULT_MAX_RECORD_BYTES,
    )?;
    m.add_class::<vectorize::PyWordAnalyzer>()?;
    m.add_class::<vectorize::PyVocabulary>()?;
    m.add_class::<vectorize::PyCountMatrix>()?;
    m.add_class::<vectorize::PyTerms>()?;
    m.add_class::<corpus::PyTokenizerSpec>()?;
    m.add_class::<corpus::PyCorpus>()?;
    m.add_class::<corpus::PyDocumentFields>()?;
    m.add_class::<read::PyScan>()?;
    m.add_class::<frames::PyFrameSet>()?;
    m.add_function(wrap_pyfunction!(unicode_table_version, m)?)?;
    m.add_function(wrap_pyfunction!(unicode_table_versions, m)?)?;
    m.add_function(wrap_pyfunction!(select_unicode_table, m)?)?;
    m.add_function(wrap_pyfunction!(install_unicode_table, m)?)?;
    m.add_function(wrap_pyfunction!(vectorize::count_fit_docs, m)?)?;
    m.add_function(wrap_pyfunction!(vectorize::count_transform_docs, m)?)?;
    m.add_function(wrap_pyfunction!(frames::frame_hits, m)?)?;
    m.add_function(wrap_pyfunction!(frames::frame_overlaps, m)?)?;
    m.add_function(wrap_pyfunction!(stats::bootstrap_intervals, m)?)?;
    m.add_function(wrap_pyfunction!(frames::frame_kwic, m)?)?;
    m.add_function(wrap_pyfunction!(frames::frame_context, m)?)?;
    m.add_function(wrap_pyfunction!(embed::expand_space, m)?)?;
    m.add_function(wrap_pyfunction!(embed::drift_spaces, m)?)?;
    m.add_function(wrap_pyfunction!(read::read_files, m)?)?;
    m.add_function(wrap_pyfunction!(dates::parse_dates, m)?)?;
    m.add_function(wrap_pyfunction!(dates::parse_date_strings, m)?)?;
    m.add_function(wrap_pyfunction!(dates::text_dates, m)?)?;
    m.add_function(wrap_pyfunction!(stats::group_counts, m)?)?;
    m.add_function(wrap_pyfunction!(stats::keyness, m)?)?;
    m.add_function(wrap_pyfunction!(stats::keyness_counts, m)?)?;
    m.add_function(wrap_pyfunction!(stats::emerging, m)?)?;
    m.add_function(wrap_pyfunction!(stats::collocation_table, m)?)?;
    m.add_function(wrap_pyfunction!(read::platform_lines, m)?)?;
    m.add_function(wrap_pyfunction!(read::numbered_labels, m)?)?;
    m.add_function(wrap_pyfunction!(read::dedup_corpus, m)?)?;
    m.add_function(wrap_pyfunction!(store::save_corpus, m)?)?;
    m.add_function(wrap_pyfunction!(store::load_corpus, m)?)?;
    m.add_function(wrap_pyfunction!(set_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(progress_done, m)?)?;
    m.add_function(wrap_pyfunction!(stop_words_for, m)?)?;
    m.add_function(wrap_pyfunction!(stem, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_in_core, m)?)?;
    Ok(())
}
