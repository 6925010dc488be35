//! Named results: the binding layer hands tables to Python as a dict of columns
//! (numpy arrays or lists) keyed by name, never as positional tuples, so Python
//! reads `result["G2"]` and pandas builds a DataFrame from it directly.

use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A result under construction: columns added by name, in order.
pub struct Columns<'py> {
    dict: Bound<'py, PyDict>,
}

impl<'py> Columns<'py> {
    /// An empty result.
    pub fn new(py: Python<'py>) -> Self {
        Columns {
            dict: PyDict::new(py),
        }
    }

    /// Adds a numeric column as a numpy array (moved, not copied).
    pub fn array<T: numpy::Element>(self, name: &str, values: Vec<T>) -> PyResult<Self> {
        let py = self.dict.py();
        self.dict.set_item(name, values.into_pyarray(py))?;
        Ok(self)
    }

    /// Adds any other value (a list of str, an object).
    pub fn value(self, name: &str, value: impl IntoPyObject<'py>) -> PyResult<Self> {
        self.dict.set_item(name, value)?;
        Ok(self)
    }

    /// The finished result.
    pub fn finish(self) -> Bound<'py, PyDict> {
        self.dict
    }
}
