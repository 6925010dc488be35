//! Python values into core types, with errors that name the position: Arrow string
//! buffers ([`ArrowStrings`]) and options chosen by name ([`Wrap`]). Sequences of
//! Python str are taken in `documents`.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyString, PyTuple};

use rayon::prelude::*;

use crate::choice::Choice;
use crate::corpus::column::{runs, Chunk};
use crate::corpus::StringColumn;

/// Arrow large-string offsets: at least one, none negative, rising, the last within
/// `data_len` bytes; an error names the first string at fault (its position among all
/// the strings: the chunk's first is `first`).
fn check_offsets(offsets: &[i64], data_len: usize, first: usize, what: &str) -> PyResult<()> {
    if offsets.is_empty() {
        return Err(PyValueError::new_err(format!(
            "{what}s: offsets must not be empty"
        )));
    }
    if let Some(i) = (0..offsets.len() - 1).find(|&i| {
        offsets[i] < 0 || offsets[i] > offsets[i + 1] || offsets[i + 1] as usize > data_len
    }) {
        return Err(PyValueError::new_err(format!(
            "{what} {}: offsets {}..{} out of order or past the {data_len} bytes of data",
            first + i,
            offsets[i],
            offsets[i + 1],
        )));
    }
    Ok(())
}

/// One chunk of Arrow large-string buffers, from a Python pair: int64 offsets and
/// UTF-8 data.
#[derive(FromPyObject)]
struct ArrowChunk<'py>(
    numpy::PyReadonlyArray1<'py, i64>,
    numpy::PyReadonlyArray1<'py, u8>,
);

/// Strings given as Arrow large-string buffers, chunk by chunk as a chunked Arrow column
/// holds them (a Parquet file's row groups, a concatenated frame): a tuple of
/// `(offsets, data)` pairs of numpy arrays, as `framescope.arrow.Buffers.parts` gives
/// them (or one such pair). Each chunk's int64 byte offsets start its strings (one more
/// than its strings, rising, inside its `data`). Held for reading in place: no chunk is
/// combined with the others first.
pub struct ArrowStrings<'py> {
    chunks: Vec<ArrowChunk<'py>>,
}

impl<'py> ArrowStrings<'py> {
    /// `obj` as such buffers, or `None` (a sequence of documents, say).
    pub fn from_obj(obj: &Bound<'py, PyAny>) -> Option<Self> {
        if !obj.is_instance_of::<PyTuple>() {
            return None;
        }
        if let Ok(pair) = obj.extract::<ArrowChunk<'py>>() {
            return Some(ArrowStrings { chunks: vec![pair] });
        }
        let chunks: Vec<ArrowChunk<'py>> = obj.extract().ok()?;
        (!chunks.is_empty()).then_some(ArrowStrings { chunks })
    }

    /// Each chunk's buffers, checked ([`check_offsets`]).
    fn checked(&self, what: &str) -> PyResult<Vec<CheckedChunk<'_>>> {
        let mut first = 0;
        let mut out = Vec::with_capacity(self.chunks.len());
        for ArrowChunk(offsets, data) in &self.chunks {
            let (offsets, data) = (offsets.as_slice()?, data.as_slice()?);
            check_offsets(offsets, data.len(), first, what)?;
            out.push(CheckedChunk {
                offsets,
                data,
                first,
            });
            first += offsets.len() - 1;
        }
        Ok(out)
    }

    /// The strings as slices of the data (nothing copied), checked in parallel with the
    /// GIL released; a string that is not UTF-8 is an error naming it (`what` and its
    /// position).
    pub fn strs(&self, py: Python<'_>, what: &str) -> PyResult<Vec<&str>> {
        let chunks = self.checked(what)?;
        crate::python::guard::run(py, || {
            let mut out = Vec::with_capacity(chunks.iter().map(CheckedChunk::len).sum());
            for c in &chunks {
                let part: Vec<&str> = (0..c.len())
                    .into_par_iter()
                    .map(|i| {
                        crate::text::utf8::as_str(c.bytes(i)).ok_or_else(|| {
                            crate::error::invalid(format!(
                                "{what} {}: not valid UTF-8",
                                c.first + i
                            ))
                        })
                    })
                    .collect::<crate::error::Result<_>>()?;
                out.extend(part);
            }
            Ok(out)
        })
    }

    /// The strings copied into a column, in runs of about 1 MiB on every thread with
    /// the GIL released; errors as [`ArrowStrings::strs`] gives them.
    pub fn column(&self, py: Python<'_>, what: &str) -> PyResult<StringColumn> {
        let chunks = self.checked(what)?;
        // Runs of about 1 MiB within each chunk: (chunk, first string, end).
        let runs: Vec<[usize; 3]> = chunks
            .iter()
            .enumerate()
            .flat_map(|(k, c)| {
                let lens = (0..c.len()).map(|i| c.bytes(i).len());
                runs(lens, ARROW_CHUNK_BYTES)
                    .into_iter()
                    .map(move |(a, b)| [k, a, b])
            })
            .collect();
        let parts = crate::python::guard::run(py, || {
            runs.par_iter()
                .map(|&[k, a, b]| {
                    let c = chunks[k];
                    column_chunk(c, a..b).map_err(|bad| {
                        crate::error::invalid(format!("{what} {}: not valid UTF-8", c.first + bad))
                    })
                })
                .collect::<crate::error::Result<Vec<Chunk>>>()
        })?;
        let mut out = StringColumn::new();
        for part in parts {
            out.append(part);
        }
        Ok(out)
    }
}

/// One chunk of [`ArrowStrings`] with its offsets checked.
#[derive(Clone, Copy)]
struct CheckedChunk<'a> {
    offsets: &'a [i64],
    data: &'a [u8],
    /// The position of its first string among all the chunks' strings.
    first: usize,
}

impl<'a> CheckedChunk<'a> {
    fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// String `i` of the chunk as bytes.
    fn bytes(&self, i: usize) -> &'a [u8] {
        &self.data[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

/// Bytes of Arrow data copied into one chunk of a column by one thread.
const ARROW_CHUNK_BYTES: usize = 1 << 20;

/// Strings `run` of a checked chunk copied into one chunk of a column, or the position
/// (in the Arrow chunk) of the first that is not UTF-8.
fn column_chunk(c: CheckedChunk<'_>, run: std::ops::Range<usize>) -> Result<Chunk, usize> {
    let (a, b) = (run.start, run.end);
    let base = c.offsets[a] as usize;
    let bytes = &c.data[base..c.offsets[b] as usize];
    let ends: Vec<usize> = c.offsets[a + 1..=b]
        .iter()
        .map(|&o| o as usize - base)
        .collect();
    crate::text::utf8::as_str(bytes)
        .and_then(|text| Chunk::from_parts(text.to_owned(), ends))
        .ok_or_else(|| {
            // Some string of the run is not UTF-8 on its own: the first one.
            run.clone()
                .find(|&i| crate::text::utf8::as_str(c.bytes(i)).is_none())
                .unwrap_or(a)
        })
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
