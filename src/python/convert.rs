//! Python values into core types, with errors that name the position.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyString};

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;

use rayon::prelude::*;

use crate::choice::Choice;
use crate::python::errors::FramescopeError;
use crate::python::guard::{panic_message, wait};
use crate::text::code_points::utf8_of_code_points;

/// A document's text: borrowed from a Python str (no copy for ASCII), or decoded from bytes.
pub enum Text {
    /// A Python str, kept alive and read in place.
    Py(PyBackedStr),
    /// Text decoded from bytes.
    Owned(String),
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        match self {
            Text::Py(s) => s,
            Text::Owned(s) => s,
        }
    }
}

/// Reads an iterable of documents. `allow_bytes` takes scikit-learn's inputs: UTF-8
/// bytes, and lone surrogates (replaced by U+FFFD, which like them is no word character).
/// Errors name the position: "document 3 is None; expected str".
pub fn texts(obj: &Bound<'_, PyAny>, what: &str, allow_bytes: bool) -> PyResult<Vec<Text>> {
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    texts_in_batches(obj, what, allow_bytes, usize::MAX, |batch| {
        out = batch;
        true
    })?;
    Ok(out)
}

/// Reads an iterable of documents like [`texts`], handing them to `sink` in batches
/// of about `batch_bytes` of text (the last may be smaller, or empty). Stops early, without error, when `sink` returns `false`.
pub fn texts_in_batches(
    obj: &Bound<'_, PyAny>,
    what: &str,
    allow_bytes: bool,
    batch_bytes: usize,
    mut sink: impl FnMut(Vec<Text>) -> bool,
) -> PyResult<()> {
    if obj.is_instance_of::<PyString>() {
        return Err(PyValueError::new_err(
            "Iterable over raw text documents expected, string object received.",
        ));
    }
    let mut batch = Vec::new();
    let mut bytes = 0usize;
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        if i % 4096 == 4095 {
            // Converting millions of documents takes a while: let Ctrl-C through.
            obj.py().check_signals()?;
        }
        let text = text_of(&item, i, what, allow_bytes)?;
        bytes += text.as_ref().len();
        batch.push(text);
        if bytes >= batch_bytes {
            if !sink(std::mem::take(&mut batch)) {
                return Ok(());
            }
            bytes = 0;
        }
    }
    if !batch.is_empty() || bytes == 0 {
        sink(batch);
    }
    Ok(())
}

/// Characters copied out of Python per batch before they are encoded on every core
/// (4 bytes each: 16 MiB buffers, at most three alive, whatever the corpus's size).
const BATCH_CHARS: usize = 1 << 22;

/// Reads an iterable of str into owned strings for a corpus that keeps its texts.
/// Under the GIL this thread only copies each str out as code points
/// (`PyUnicode_AsUCS4`, a widening copy, 3-4x faster than Python's UTF-8 encoder),
/// while a worker encodes the previous batch to UTF-8 on every core. No UTF-8 copy
/// stays cached inside the caller's str objects (`PyBackedStr` on a non-ASCII str
/// leaves one there for the str's lifetime: a second copy of the corpus). Errors
/// name the position, as [`texts`] does.
pub fn owned_texts(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<String>> {
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what}s must be a sequence of str, not a single str"
        )));
    }
    let py = obj.py();
    let n_docs = obj.len().unwrap_or(0);
    // One batch waits while one is encoded and one filled; emptied buffers come back.
    let (tx, rx) = mpsc::sync_channel::<Copied>(1);
    let (back_tx, back_rx) = mpsc::channel::<PointBatch>();
    let (copied, encoded) = std::thread::scope(|scope| {
        let encoder = scope.spawn(move || {
            catch_unwind(AssertUnwindSafe(|| {
                crate::parallel::install(|| {
                    let mut out = Vec::with_capacity(n_docs);
                    for copied in rx {
                        match copied {
                            Copied::Encoded(text) => out.push(text),
                            Copied::Points(mut batch) => {
                                let first = out.len();
                                for (k, text) in batch.encode().into_iter().enumerate() {
                                    out.push(text.map_err(|at| (first + k, at))?);
                                }
                                batch.points.clear();
                                batch.ends.clear();
                                let _ = back_tx.send(batch);
                            }
                        }
                    }
                    Ok::<_, (usize, usize)>(out)
                })
            }))
        });
        let copied = copy_out(obj, what, &tx, &back_rx);
        drop(tx);
        // Wait off the GIL, with Ctrl-C noticed.
        let encoded = wait(py, move || Ok(encoder.join()));
        (copied, encoded)
    });
    let encoded = match encoded?.expect("the encoding thread catches its panics") {
        Ok(r) => r,
        Err(p) => {
            return Err(FramescopeError::new_err(format!(
                "internal error (a bug in framescope, please report it): {}",
                panic_message(&*p)
            )))
        }
    };
    // A document the encoder refused came before any the copying stopped at.
    let out = encoded.map_err(|(i, at)| surrogate_error(what, i, at))?;
    copied?;
    Ok(out)
}

/// What the copying thread hands the encoder, in document order.
enum Copied {
    /// Documents copied out as code points.
    Points(PointBatch),
    /// One document too large for a batch, encoded by Python.
    Encoded(String),
}

/// Copies the documents of `obj` out of Python into batches sent on `tx`, reusing
/// buffers that come back on `back`. Stops early, without error, if the encoder ends.
fn copy_out(
    obj: &Bound<'_, PyAny>,
    what: &str,
    tx: &mpsc::SyncSender<Copied>,
    back: &mpsc::Receiver<PointBatch>,
) -> PyResult<()> {
    let py = obj.py();
    let mut batch = PointBatch::default();
    let send = |batch: &mut PointBatch| -> bool {
        if batch.ends.is_empty() {
            return true;
        }
        let spare = back.try_recv().unwrap_or_default();
        tx.send(Copied::Points(std::mem::replace(batch, spare)))
            .is_ok()
    };
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        if i % 4096 == 4095 {
            py.check_signals()?;
        }
        let Ok(s) = item.cast::<PyString>() else {
            return Err(text_of(&item, i, what, false)
                .err()
                .unwrap_or_else(|| PyTypeError::new_err(format!("{what} {i}: expected str"))));
        };
        // SAFETY: `s` is a live str; PyUnicode_GetLength only reads its length.
        let n = unsafe { pyo3::ffi::PyUnicode_GetLength(s.as_ptr()) };
        let n = usize::try_from(n).map_err(|_| PyErr::fetch(py))?;
        if n > BATCH_CHARS {
            // One huge document: Python's encoder, so no 4-byte-per-character copy of it.
            let text = encoded_by_python(s, i, what)?;
            if !send(&mut batch) || tx.send(Copied::Encoded(text)).is_err() {
                return Ok(());
            }
            continue;
        }
        if batch.points.len() + n > BATCH_CHARS && !send(&mut batch) {
            return Ok(());
        }
        batch.push(s, n)?;
    }
    send(&mut batch);
    Ok(())
}

/// Documents copied out of Python as code points, waiting to be encoded together.
#[derive(Default)]
struct PointBatch {
    /// The documents' code points, one after another.
    points: Vec<u32>,
    /// Where each document's code points end.
    ends: Vec<usize>,
}

impl PointBatch {
    /// Copies the `n` characters of `s` to the end of the batch.
    fn push(&mut self, s: &Bound<'_, PyString>, n: usize) -> PyResult<()> {
        let at = self.points.len();
        self.points.reserve(n);
        if n > 0 {
            // SAFETY: the buffer has room for `n` code points past `at`; `s` is a live str
            // of exactly `n` characters; no terminating NUL is asked for (copy_null = 0).
            let copied = unsafe {
                pyo3::ffi::PyUnicode_AsUCS4(
                    s.as_ptr(),
                    self.points.as_mut_ptr().add(at),
                    n as pyo3::ffi::Py_ssize_t,
                    0,
                )
            };
            if copied.is_null() {
                return Err(PyErr::fetch(s.py()));
            }
            // SAFETY: PyUnicode_AsUCS4 succeeded, so it wrote all `n` values.
            unsafe { self.points.set_len(at + n) };
        }
        self.ends.push(at + n);
        Ok(())
    }

    /// The batch's documents as UTF-8, encoded on every core of the current pool; a
    /// document holding a lone surrogate gives the character's position instead.
    fn encode(&self) -> Vec<Result<String, usize>> {
        let (points, ends) = (&self.points, &self.ends);
        (0..ends.len())
            .into_par_iter()
            .with_min_len(16)
            .map(|k| {
                let start = if k == 0 { 0 } else { ends[k - 1] };
                utf8_of_code_points(&points[start..ends[k]])
            })
            .collect()
    }
}

/// `s` encoded by Python's own UTF-8 encoder (for a document too large to copy out as
/// code points); a lone surrogate is an error naming the document and the character.
fn encoded_by_python(s: &Bound<'_, PyString>, i: usize, what: &str) -> PyResult<String> {
    match s.encode_utf8() {
        Ok(b) => {
            // SAFETY: Python's UTF-8 encoder (PyUnicode_AsUTF8String) returns valid UTF-8
            // or raises (a lone surrogate raises: the arm below).
            Ok(unsafe { std::str::from_utf8_unchecked(b.as_bytes()) }.to_owned())
        }
        Err(_) => Err(text_of(s.as_any(), i, what, false)
            .err()
            .unwrap_or_else(|| {
                PyValueError::new_err(format!("{what} {i} is not valid Unicode text"))
            })),
    }
}

/// The error for a document holding a lone surrogate (from a bad JSON escape or a
/// Windows path), which has no UTF-8: `at` is the character's position.
fn surrogate_error(what: &str, i: usize, at: usize) -> PyErr {
    PyValueError::new_err(format!(
        "{what} {i} holds a lone surrogate (not valid Unicode text) at character \
         {at}; clean it first, e.g. s.encode('utf-8', 'replace').decode()"
    ))
}

/// One document: a str (read in place), or UTF-8 bytes if `allow_bytes`.
fn text_of(item: &Bound<'_, PyAny>, i: usize, what: &str, allow_bytes: bool) -> PyResult<Text> {
    if let Ok(s) = item.cast::<PyString>() {
        return match PyBackedStr::try_from(s.clone()) {
            Ok(b) => Ok(Text::Py(b)),
            // A lone surrogate (from a bad JSON escape or a Windows path) has no UTF-8.
            // scikit-learn's inputs (`allow_bytes`) take it, and U+FFFD in its place is,
            // like it, no word character, so tokens stay scikit-learn's; elsewhere a
            // document is never altered silently: the error names it.
            Err(_) if allow_bytes => Ok(Text::Owned(s.to_string_lossy().into_owned())),
            Err(_) => {
                // Python's own encoder says where: UnicodeEncodeError.start.
                let at: usize = match s.call_method1("encode", ("utf-8",)) {
                    Err(e) => e
                        .value(item.py())
                        .getattr("start")
                        .and_then(|v| v.extract())
                        .unwrap_or(0),
                    Ok(_) => 0,
                };
                Err(surrogate_error(what, i, at))
            }
        };
    }
    if allow_bytes && item.is_instance_of::<PyBytes>() {
        let b = item.cast::<PyBytes>()?.as_bytes();
        return match std::str::from_utf8(b) {
            Ok(s) => Ok(Text::Owned(s.to_string())),
            Err(e) => Err(PyValueError::new_err(format!(
                "{what} {i}: bytes are not valid UTF-8 at byte {}; decode them first",
                e.valid_up_to()
            ))),
        };
    }
    if item.is_none() {
        return Err(PyTypeError::new_err(format!(
            "{what} {i} is None; expected str"
        )));
    }
    let t = item.get_type().name()?;
    Err(PyTypeError::new_err(format!(
        "{what} {i} has type {t}; expected str"
    )))
}

/// A core option chosen by name ([`Choice`]), converted once at the border: a
/// Python str becomes the enum (a bad name raises `ValueError` listing the
/// names), and the enum goes back to Python as its name.
#[derive(Debug, Clone, Copy)]
pub struct Wrap<T>(pub T);

impl<'py, T: Choice> FromPyObject<'_, 'py> for Wrap<T> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        let name: PyBackedStr = obj.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "{} must be a str ({}), got {}",
                T::OPTION,
                T::listing(),
                obj.get_type()
                    .name()
                    .map_or_else(|_| "?".to_string(), |n| n.to_string())
            ))
        })?;
        crate::python::errors::core(T::parse(&name)).map(Wrap)
    }
}

impl<'py, T: Choice> IntoPyObject<'py> for Wrap<T> {
    type Target = PyString;
    type Output = Bound<'py, PyString>;
    type Error = std::convert::Infallible;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        Ok(PyString::new(py, self.0.as_str()))
    }
}
