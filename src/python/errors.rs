//! The one place where core errors become Python exceptions.

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyKeyboardInterrupt, PyMemoryError, PyValueError};
use pyo3::PyErr;

use crate::error::CoreError;

create_exception!(
    _core,
    FramescopeError,
    PyException,
    "Base class of framescope's errors."
);
create_exception!(
    _core,
    InputError,
    FramescopeError,
    "Malformed input data; the message names the file, line or record."
);

create_exception!(
    _core,
    EmptyVocabularyError,
    PyValueError,
    "Fitting found no term (scikit-learn raises ValueError here too)."
);

/// Newtype so `?` converts core errors into Python exceptions.
pub struct PyCoreError(pub CoreError);

impl From<CoreError> for PyCoreError {
    fn from(e: CoreError) -> Self {
        PyCoreError(e)
    }
}

impl From<PyCoreError> for PyErr {
    fn from(e: PyCoreError) -> PyErr {
        match e.0 {
            CoreError::InvalidArgument(m) => PyValueError::new_err(m),
            CoreError::Input(m) => InputError::new_err(m),
            CoreError::OutOfMemory(m) => PyMemoryError::new_err(m),
            e @ CoreError::EmptyVocabulary => EmptyVocabularyError::new_err(e.to_string()),
            CoreError::Interrupted => PyKeyboardInterrupt::new_err("interrupted"),
        }
    }
}

/// Maps a core result into a Python result.
pub fn core<T>(r: crate::error::Result<T>) -> pyo3::PyResult<T> {
    r.map_err(|e| PyErr::from(PyCoreError(e)))
}
