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

    /// Adds a column of strings as Arrow's large-string buffers, a pair of numpy arrays
    /// `(offsets, data)`: int64 byte offsets (one more than the strings) and their UTF-8
    /// bytes, which `framescope.columns.strings` wraps as a pandas str array without a
    /// Python object per string (a 489,303-term table: 2 ms instead of 240 ms).
    pub fn strings<'a>(
        self,
        name: &str,
        values: impl IntoIterator<Item = &'a str>,
    ) -> PyResult<Self> {
        let py = self.dict.py();
        let mut offsets: Vec<i64> = vec![0];
        let mut data: Vec<u8> = Vec::new();
        for v in values {
            data.extend_from_slice(v.as_bytes());
            offsets.push(data.len() as i64);
        }
        self.dict
            .set_item(name, (offsets.into_pyarray(py), data.into_pyarray(py)))?;
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
