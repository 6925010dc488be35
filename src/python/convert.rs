//! Python values into core types, with errors that name the position.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyString, PyTuple};

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;

use rayon::prelude::*;

use crate::choice::Choice;
use crate::corpus::column::{runs, Chunk};
use crate::corpus::StringColumn;
use crate::python::errors::FramescopeError;
use crate::python::guard::{panic_message, wait};
use crate::text::code_points::{append_utf8, utf8_of_code_points, DocRef};

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

/// Reads an iterable of documents, converted as [`stream_texts`] does. `allow_bytes`
/// takes scikit-learn's inputs ([`Inputs::Sklearn`]: UTF-8 bytes, lone surrogates as
/// U+FFFD, ASCII str read in place, so drop the result with the GIL held). Errors name
/// the position: "document 3 is None; expected str".
pub fn texts(obj: &Bound<'_, PyAny>, what: &str, allow_bytes: bool) -> PyResult<Vec<Text>> {
    if obj.is_instance_of::<PyString>() {
        return Err(PyValueError::new_err(
            "Iterable over raw text documents expected, string object received.",
        ));
    }
    let inputs = if allow_bytes {
        Inputs::Sklearn
    } else {
        Inputs::Str
    };
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    let streamed = stream_texts(obj, what, inputs, |batch| {
        out.extend(batch);
        Ok::<(), std::convert::Infallible>(())
    })?;
    match streamed {
        Ok(()) => Ok(out),
        Err(never) => match never {},
    }
}

/// Characters copied out of Python per batch before they are encoded on every core
/// (4 bytes each: 4 MiB buffers, at most [`BATCHES`] alive, whatever the corpus's size).
/// Small enough that the copying thread (the serial part of a conversion) writes into
/// buffers still in cache: a quarter of the 4 Mi of before cut its CPU by a quarter.
const BATCH_CHARS: usize = 1 << 20;

/// Characters of the largest document copied out as code points (alone in its batch if
/// it exceeds [`BATCH_CHARS`]); larger ones go through Python's UTF-8 encoder, so no
/// buffer outgrows 16 MiB.
const COPIED_DOC_CHARS: usize = 1 << 22;

/// Batches alive at once while documents are copied out: one filled, one queued, one handled.
const BATCHES: usize = 3;

/// Reads an iterable of str into a column of strings, for a corpus that keeps its texts:
/// copied out as [`stream_texts`] does, each batch encoded on every core straight into a
/// few chunks of the column (nothing allocated per document). Errors name the position,
/// as [`texts`] does.
pub fn owned_column(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<StringColumn> {
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what}s must be a sequence of str, not a single str"
        )));
    }
    let mut out = StringColumn::new();
    let streamed = stream_batches(obj, what, Inputs::Str, |batch, first| {
        let chunks = batch
            .encode_chunks()
            .map_err(|(k, at)| Stop::Surrogate((first + k, at)))?;
        for chunk in chunks {
            out.append(chunk);
        }
        Ok::<(), Stop<std::convert::Infallible>>(())
    })?;
    match streamed {
        Ok(()) => Ok(out),
        Err(never) => match never {},
    }
}

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
                        std::str::from_utf8(c.bytes(i)).map_err(|_| {
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
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| Chunk::from_parts(text.to_owned(), ends))
        .ok_or_else(|| {
            // Some string of the run is not UTF-8 on its own: the first one.
            run.clone()
                .find(|&i| std::str::from_utf8(c.bytes(i)).is_err())
                .unwrap_or(a)
        })
}

/// Which documents [`stream_texts`] takes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Inputs {
    /// str only; a lone surrogate is an error naming the document and the character.
    Str,
    /// scikit-learn's inputs: str or UTF-8 bytes; lone surrogates become U+FFFD (like
    /// them, no word character, so tokens stay scikit-learn's). ASCII str are read in
    /// place (`Text::Py`): the consumer must keep those until it holds the GIL again.
    Sklearn,
}

/// Converts the documents of `obj` to UTF-8 and hands them to `consume` in batches, in
/// document order, on a thread of framescope's pool (so `consume` may run parallel
/// work), while this thread copies the next batch out of Python. Under the GIL each
/// str is only copied out as code points (`PyUnicode_AsUCS4`, a widening copy, 3-4x
/// faster than Python's UTF-8 encoder; abi3 allows nothing cheaper); the encoding
/// runs on every core. No UTF-8 copy stays cached inside the caller's str objects
/// (`PyBackedStr` on a non-ASCII str leaves one there for the str's lifetime: a second
/// copy of the corpus). A document of more than [`COPIED_DOC_CHARS`] (4 Mi) characters
/// goes through Python's encoder instead. The outer error is the input's (naming the position) or an
/// internal one; the inner, `consume`'s (which stops the conversion).
pub fn stream_texts<E: Send>(
    obj: &Bound<'_, PyAny>,
    what: &str,
    inputs: Inputs,
    mut consume: impl FnMut(Vec<Text>) -> Result<(), E> + Send,
) -> PyResult<Result<(), E>> {
    let lossy = inputs == Inputs::Sklearn;
    stream_batches(obj, what, inputs, move |batch, first| {
        let texts = batch
            .encode(lossy)
            .map_err(|(k, at)| Stop::Surrogate((first + k, at)))?;
        consume(texts).map_err(Stop::Consumer)
    })
}

/// scikit-learn's inputs ([`Inputs::Sklearn`]) handed to `consume` batch by batch as
/// [`DocRef`]s, as [`stream_texts`] copies them out, but not encoded: whoever reads a
/// document encodes it (`crate::text::code_points::Document`), into a buffer it
/// reuses, right before tokenizing it. For counting, which keeps no text: no owned
/// UTF-8 copy of the corpus is ever made, and the encoding runs in the counting
/// threads' caches instead of a pass of its own.
pub fn stream_documents<E: Send>(
    obj: &Bound<'_, PyAny>,
    what: &str,
    mut consume: impl FnMut(&[DocRef<'_>]) -> Result<(), E> + Send,
) -> PyResult<Result<(), E>> {
    stream_batches(obj, what, Inputs::Sklearn, move |batch, _| {
        let docs: Vec<DocRef<'_>> = batch
            .slots
            .iter()
            .map(|slot| match *slot {
                Slot::Ready(ref text) => DocRef::Utf8(text.as_ref()),
                Slot::Points(a, b) => DocRef::Points(&batch.points[a..b]),
            })
            .collect();
        consume(&docs).map_err(Stop::Consumer)
    })
}

/// Copies the documents of `obj` out of Python in batches on this thread and hands each
/// (with the position of its first document) to `handle` on a thread of framescope's
/// pool. Handled batches come back to this thread, which empties and refills them
/// holding the GIL (so str read in place are released here).
fn stream_batches<E: Send>(
    obj: &Bound<'_, PyAny>,
    what: &str,
    inputs: Inputs,
    mut handle: impl FnMut(&mut Batch, usize) -> Result<(), Stop<E>> + Send,
) -> PyResult<Result<(), E>> {
    let py = obj.py();
    // One batch waits while one is handled and one filled; handled buffers come back.
    let (tx, rx) = mpsc::sync_channel::<Batch>(1);
    let (back_tx, back_rx) = mpsc::channel::<Batch>();
    let (copied, handled) = std::thread::scope(|scope| {
        let handler = scope.spawn(move || {
            catch_unwind(AssertUnwindSafe(|| {
                crate::parallel::install(|| {
                    let mut first = 0;
                    for mut batch in rx {
                        let n = batch.slots.len();
                        let done = handle(&mut batch, first);
                        first += n;
                        let _ = back_tx.send(batch);
                        done?;
                    }
                    Ok(())
                })
            }))
        });
        let copied = copy_out(obj, what, inputs, &tx, &back_rx);
        drop(tx);
        // Wait off the GIL, with Ctrl-C noticed.
        let handled = wait(py, move || Ok(handler.join()));
        (copied, handled)
    });
    // The batches still queued are dropped here, with the GIL held.
    drop(back_rx);
    let handled = match handled?.expect("the handling thread catches its panics") {
        Ok(r) => r,
        Err(p) => {
            return Err(FramescopeError::new_err(format!(
                "internal error (a bug in framescope, please report it): {}",
                panic_message(&*p)
            )))
        }
    };
    // The handler and the consumer stop at documents before any the copying stopped at.
    match handled {
        Err(Stop::Surrogate((i, at))) => Err(surrogate_error(what, i, at)),
        Err(Stop::Consumer(e)) => Ok(Err(e)),
        Ok(()) => copied.map(Ok),
    }
}

/// Why the handling thread stopped early.
enum Stop<E> {
    /// Document `.0` holds a lone surrogate at character `.1`.
    Surrogate((usize, usize)),
    /// The consumer's error.
    Consumer(E),
}

/// Copies the documents of `obj` out of Python into batches sent on `tx`, reusing
/// buffers that come back on `back`. Stops early, without error, if the handler ends.
fn copy_out(
    obj: &Bound<'_, PyAny>,
    what: &str,
    inputs: Inputs,
    tx: &mpsc::SyncSender<Batch>,
    back: &mpsc::Receiver<Batch>,
) -> PyResult<()> {
    let py = obj.py();
    let isascii = pyo3::intern!(py, "isascii");
    let mut batch = Batch::default();
    // Batches made so far: at most `BATCHES` (one filled here, one queued, one handled);
    // after that a handled one is waited for and refilled, so this thread (the serial
    // part of every conversion) writes into buffers already paged in, not fresh ones.
    let mut made = 1;
    let mut send = |batch: &mut Batch| -> bool {
        if batch.slots.is_empty() {
            return true;
        }
        if tx.send(std::mem::take(batch)).is_err() {
            return false;
        }
        let spare = match back.try_recv() {
            Ok(b) => b,
            Err(_) if made < BATCHES => {
                made += 1;
                Batch::default()
            }
            // The handler sends each batch back before taking the next, and drops its
            // end of the channel when it stops: this wait ends.
            Err(_) => match back.recv() {
                Ok(b) => b,
                Err(_) => return false,
            },
        };
        *batch = spare;
        batch.clear();
        true
    };
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        if i % 4096 == 4095 {
            py.check_signals()?;
        }
        let Ok(s) = item.cast::<PyString>() else {
            if inputs == Inputs::Sklearn {
                // UTF-8 bytes (checked), or the error naming what the item is.
                let text = text_of(&item, i, what, true)?;
                batch.size += text.as_ref().len();
                batch.slots.push(Slot::Ready(text));
            } else {
                return Err(text_of(&item, i, what, false)
                    .err()
                    .unwrap_or_else(|| PyTypeError::new_err(format!("{what} {i}: expected str"))));
            }
            if batch.size > BATCH_CHARS && !send(&mut batch) {
                return Ok(());
            }
            continue;
        };
        // SAFETY: `s` is a live str; PyUnicode_GetLength only reads its length.
        let n = unsafe { pyo3::ffi::PyUnicode_GetLength(s.as_ptr()) };
        let n = usize::try_from(n).map_err(|_| PyErr::fetch(py))?;
        if inputs == Inputs::Sklearn && s.call_method0(isascii)?.is_truthy()? {
            // An ASCII str is its own UTF-8: read in place, no copy.
            batch.size += n;
            batch
                .slots
                .push(Slot::Ready(text_of(&item, i, what, true)?));
        } else if n > COPIED_DOC_CHARS {
            // One huge document: Python's encoder, so no 4-byte-per-character copy of it.
            let text = match encoded_by_python(s, i, what) {
                Ok(t) => t,
                Err(_) if inputs == Inputs::Sklearn => s.to_string_lossy().into_owned(),
                Err(e) => return Err(e),
            };
            if !send(&mut batch) {
                return Ok(());
            }
            batch.size = n;
            batch.slots.push(Slot::Ready(Text::Owned(text)));
        } else {
            if batch.size + n > BATCH_CHARS && !send(&mut batch) {
                return Ok(());
            }
            batch.push_points(s, n)?;
        }
        if batch.size > BATCH_CHARS && !send(&mut batch) {
            return Ok(());
        }
    }
    send(&mut batch);
    Ok(())
}

/// A document as the copying thread hands it over.
enum Slot {
    /// Code points from `.0` to `.1` of the batch's buffer, to encode.
    Points(usize, usize),
    /// Read in place (an ASCII str), decoded (bytes) or encoded by Python (a huge str).
    Ready(Text),
}

/// Documents copied out of Python, waiting to be encoded together.
#[derive(Default)]
struct Batch {
    /// The code points of the documents copied out, one after another.
    points: Vec<u32>,
    /// The documents, in order.
    slots: Vec<Slot>,
    /// Characters (or bytes) held, for cutting batches.
    size: usize,
}

impl Batch {
    /// Copies the `n` characters of `s` to the end of the batch.
    fn push_points(&mut self, s: &Bound<'_, PyString>, n: usize) -> PyResult<()> {
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
        self.slots.push(Slot::Points(at, at + n));
        self.size += n;
        Ok(())
    }

    /// The batch's documents as UTF-8 (taken out of the batch), encoded on every core
    /// of the current pool. A lone surrogate becomes U+FFFD if `lossy`; otherwise the
    /// first document holding one gives (its index in the batch, the character's position).
    fn encode(&mut self, lossy: bool) -> Result<Vec<Text>, (usize, usize)> {
        let points = &self.points;
        let slots = std::mem::take(&mut self.slots);
        let encoded: Vec<Result<Text, usize>> = slots
            .into_par_iter()
            .with_min_len(16)
            .map(|slot| match slot {
                Slot::Ready(text) => Ok(text),
                Slot::Points(a, b) => match utf8_of_code_points(&points[a..b]) {
                    Ok(s) => Ok(Text::Owned(s)),
                    Err(_) if lossy => Ok(Text::Owned(
                        points[a..b]
                            .iter()
                            .map(|&c| char::from_u32(c).unwrap_or('\u{FFFD}'))
                            .collect(),
                    )),
                    Err(at) => Err(at),
                },
            })
            .collect();
        // The first refused document in order (a parallel collect may report any).
        encoded
            .into_iter()
            .enumerate()
            .map(|(k, t)| t.map_err(|at| (k, at)))
            .collect()
    }

    /// The batch's documents as chunks of a column (taken out of the batch), encoded on
    /// every core of the current pool, a chunk per thread's share of the documents. The
    /// first document holding a lone surrogate gives (its index in the batch, the
    /// character's position).
    fn encode_chunks(&mut self) -> Result<Vec<Chunk>, (usize, usize)> {
        let points = &self.points;
        let slots = std::mem::take(&mut self.slots);
        let share = slots.len().div_ceil(rayon::current_num_threads()).max(16);
        let encoded: Vec<Result<Chunk, (usize, usize)>> = slots
            .par_chunks(share)
            .enumerate()
            .map(|(c, part)| {
                let size: usize = part
                    .iter()
                    .map(|slot| match slot {
                        Slot::Points(a, b) => b - a,
                        Slot::Ready(text) => text.as_ref().len(),
                    })
                    .sum();
                // Two bytes a character: Cyrillic exactly, Latin with room that
                // shrink_to_fit returns (in place); CJK and emoji grow it once.
                let mut chunk = Chunk::with_capacity(2 * size + 64, part.len());
                for (k, slot) in part.iter().enumerate() {
                    match slot {
                        Slot::Ready(text) => chunk.push(text.as_ref()),
                        Slot::Points(a, b) => chunk
                            .push_with(|text| append_utf8(&points[*a..*b], text))
                            .map_err(|at| (c * share + k, at))?,
                    }
                }
                chunk.shrink_to_fit();
                Ok(chunk)
            })
            .collect();
        // The first refused document in order (a parallel collect may report any).
        encoded.into_iter().collect()
    }

    /// Empties the batch, keeping its buffer.
    fn clear(&mut self) {
        self.points.clear();
        self.slots.clear();
        self.size = 0;
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
