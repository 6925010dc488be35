//! Python values into core types, with errors that name the position.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyString};

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

/// Reads an iterable of documents. `allow_bytes` accepts UTF-8 bytes (as scikit-learn does).
/// Errors name the position: "document 3 is None; expected str".
pub fn texts(obj: &Bound<'_, PyAny>, what: &str, allow_bytes: bool) -> PyResult<Vec<Text>> {
    if obj.is_instance_of::<PyString>() {
        return Err(PyValueError::new_err(
            "Iterable over raw text documents expected, string object received.",
        ));
    }
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        if i % 4096 == 4095 {
            // Converting millions of documents takes a while: let Ctrl-C through.
            obj.py().check_signals()?;
        }
        if let Ok(s) = item.cast::<PyString>() {
            out.push(Text::Py(PyBackedStr::try_from(s.clone())?));
        } else if allow_bytes && item.is_instance_of::<PyBytes>() {
            let b = item.cast::<PyBytes>()?.as_bytes();
            match std::str::from_utf8(b) {
                Ok(s) => out.push(Text::Owned(s.to_string())),
                Err(e) => {
                    return Err(PyValueError::new_err(format!(
                        "{what} {i}: bytes are not valid UTF-8 at byte {}; decode them first",
                        e.valid_up_to()
                    )))
                }
            }
        } else if item.is_none() {
            return Err(PyTypeError::new_err(format!(
                "{what} {i} is None; expected str"
            )));
        } else {
            let t = item.get_type().name()?;
            return Err(PyTypeError::new_err(format!(
                "{what} {i} has type {t}; expected str"
            )));
        }
    }
    Ok(out)
}
