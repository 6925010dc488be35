//! Python values into core types, with errors that name the position.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyString};

use crate::choice::Choice;

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

/// Reads an iterable of str into owned strings for a corpus that keeps its texts.
/// Each str is encoded by Python into a temporary bytes object and copied once, so no
/// UTF-8 copy stays cached inside the caller's str objects (`PyBackedStr` on a
/// non-ASCII str leaves one there for the str's lifetime: a second copy of the corpus).
/// Errors name the position, as [`texts`] does.
pub fn owned_texts(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<String>> {
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what}s must be a sequence of str, not a single str"
        )));
    }
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        if i % 4096 == 4095 {
            obj.py().check_signals()?;
        }
        match item.cast::<PyString>() {
            Ok(s) => match s.encode_utf8() {
                Ok(b) => {
                    // SAFETY: Python's UTF-8 encoder (PyUnicode_AsUTF8String) returns valid
                    // UTF-8 or raises (a lone surrogate raises: the arm below), so the
                    // bytes need no second validation (it cost 10 instructions a byte,
                    // under the GIL).
                    let text = unsafe { std::str::from_utf8_unchecked(b.as_bytes()) };
                    out.push(text.to_owned());
                }
                // A lone surrogate: the same error as `texts` gives, naming the character.
                Err(_) => {
                    return Err(text_of(&item, i, what, false).err().unwrap_or_else(|| {
                        PyValueError::new_err(format!("{what} {i} is not valid Unicode text"))
                    }))
                }
            },
            Err(_) => {
                return Err(text_of(&item, i, what, false)
                    .err()
                    .unwrap_or_else(|| PyTypeError::new_err(format!("{what} {i}: expected str"))))
            }
        }
    }
    Ok(out)
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
                Err(PyValueError::new_err(format!(
                    "{what} {i} holds a lone surrogate (not valid Unicode text) at character \
                     {at}; clean it first, e.g. s.encode('utf-8', 'replace').decode()"
                )))
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
