//! Documents taken out of Python: sequences of str (or scikit-learn's UTF-8 bytes)
//! into UTF-8 texts, a corpus's text column, or documents the counting threads encode
//! as they read them. The GIL's thread only walks the sequence and holds each str
//! ([`ReadyStr`]); every thread of the pool copies code points out and encodes them,
//! batch by batch, while the next batch is taken. A corpus's column from a list or
//! tuple of str is read whole, every thread taking its own run of it ([`HeldStrs`]).
//! Errors name the position.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};
use pyo3::Borrowed;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;
use std::sync::mpsc;

use rayon::prelude::*;

use crate::corpus::column::{runs, Chunk};
use crate::corpus::StringColumn;
use crate::python::errors::FramescopeError;
use crate::python::guard::{panic_message, run, wait};
use crate::text::code_points::{append_utf8, encode_lossy_into, utf8_of_code_points, Document};

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

/// Characters a batch holds per thread of the pool, and at least [`MIN_BATCH_CHARS`]:
/// each batch is handled on every core before the next (one fork-join a batch, waiting
/// for its slowest thread), so a batch gives each thread several 64 KiB chunks to
/// balance. With 1 Mi characters a batch whatever the threads, 16 threads counted a
/// list of str 0.14 s slower than the same texts from Arrow (about 100 joins per
/// 100 MB); a batch holds only the str objects (the copying is the pool's), so its
/// size costs no memory beyond what the handler keeps.
const BATCH_CHARS_PER_THREAD: usize = 1 << 19;

/// The smallest batch, in characters (the size on 1 and 2 threads).
const MIN_BATCH_CHARS: usize = 1 << 20;

/// Characters per batch for framescope's pool as it is now.
fn batch_chars() -> usize {
    (BATCH_CHARS_PER_THREAD * crate::parallel::num_threads()).max(MIN_BATCH_CHARS)
}

/// Characters of the largest document copied out as code points (alone in its batch if
/// it exceeds the batch's size); larger ones go through Python's UTF-8 encoder, so no
/// buffer outgrows 16 MiB.
const COPIED_DOC_CHARS: usize = 1 << 22;

/// Batches alive at once while documents are copied out: one filled, one queued, one handled.
const BATCHES: usize = 3;

/// Reads an iterable of str into a column of strings, for a corpus that keeps its texts:
/// a list or tuple of str taken whole ([`HeldStrs`]) and encoded on every core, anything
/// else copied out as [`stream_texts`] does; each run of documents is encoded straight
/// into a chunk of the column (nothing allocated per document). Errors name the
/// position, as [`texts`] does.
pub fn owned_column(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<StringColumn> {
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what}s must be a sequence of str, not a single str"
        )));
    }
    let mut out = StringColumn::new();
    if let Some(held) = HeldStrs::of(obj)? {
        let chunks = run(obj.py(), || held.encode_chunks())?
            .map_err(|(i, at)| surrogate_error(what, i, at))?;
        for chunk in chunks {
            out.append(chunk);
        }
        // `held` releases the items here, with the GIL held.
        return Ok(out);
    }
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

/// Characters of the documents encoded into one chunk by one thread in
/// [`HeldStrs::encode_chunks`].
const RUN_CHARS: usize = 1 << 20;

/// A list or tuple of str taken whole: a reference held to each item (so no other
/// thread can free one while the GIL is released), all of them ready str of at most
/// [`COPIED_DOC_CHARS`] characters, with their lengths. Every thread of the pool then
/// reads its own share of them without the GIL, as [`ReadyStr`] explains: in one
/// parallel job over the whole sequence, as for Arrow's buffers. The GIL's thread makes
/// two tight passes over the items, each fetching the str objects' headers a few items
/// ahead: one takes each reference and reads its type and length, the other releases
/// them. Streamed instead (one str at a time through an iterator, handed over in
/// batches, each batch a fork-join on the pool, released batch by batch), the same
/// work bound `Corpus.from_texts` on 16 cores (short posts: 0.026 s of its 0.033 s).
pub struct HeldStrs {
    /// The items, released by `Drop` with the GIL.
    docs: Vec<HeldStr>,
}

/// A str of a [`HeldStrs`]: any thread may copy its code points out without the GIL.
pub struct HeldStr {
    /// A strong reference, released by the [`HeldStrs`] that holds it.
    s: NonNull<pyo3::ffi::PyObject>,
    /// Its length in characters.
    n: usize,
}

// SAFETY: a strong reference to an immutable, ready str, read by other threads only
// through PyUnicode_AsUCS4 (no reference count, no allocation: see `ReadyStr`), and
// released only by `HeldStrs`' `Drop`, which takes the GIL.
unsafe impl Send for HeldStr {}
// SAFETY: as for `Send`: shared access only reads the str's characters.
unsafe impl Sync for HeldStr {}

impl HeldStr {
    /// Calls `f` with the str's code points, copied out on this thread (no GIL needed).
    fn with_points<R>(&self, f: impl FnOnce(&[u32]) -> R) -> R {
        // SAFETY: a ready str of `n` characters, held by its `HeldStrs` (see `HeldStrs::of`).
        unsafe { with_points_of(self.s.as_ptr(), self.n, f) }
    }
}

impl Document for HeldStr {
    /// scikit-learn's reading: a lone surrogate becomes U+FFFD.
    #[inline]
    fn text<'a>(&'a self, buf: &'a mut String) -> &'a str {
        self.with_points(|points| encode_lossy_into(points, buf));
        buf
    }

    #[inline]
    fn size(&self) -> usize {
        self.n
    }
}

/// Items whose str header is fetched ahead of the one being read.
const HEADERS_AHEAD: usize = 16;

impl HeldStrs {
    /// `obj` taken so if it is a list or a tuple (those types exactly: a subclass may
    /// iterate otherwise) of such str; `None` if not, or if an item is anything else
    /// or a longer str (the streaming path takes those, and names a wrong item).
    pub fn of(obj: &Bound<'_, PyAny>) -> PyResult<Option<Self>> {
        let py = obj.py();
        let seq = obj.as_ptr();
        // Borrowed items, by position: no Python code runs in this pass (no signal
        // check, no allocation of Python objects), so the list cannot change under it.
        // SAFETY (both): `seq` is a live list or tuple, and `i` is within it.
        let get: unsafe extern "C" fn(
            *mut pyo3::ffi::PyObject,
            pyo3::ffi::Py_ssize_t,
        ) -> *mut pyo3::ffi::PyObject = if obj.is_exact_instance_of::<PyList>() {
            pyo3::ffi::PyList_GetItem
        } else if obj.is_exact_instance_of::<PyTuple>() {
            pyo3::ffi::PyTuple_GetItem
        } else {
            return Ok(None);
        };
        let n = obj.len()?;
        let mut held = HeldStrs {
            docs: Vec::with_capacity(n),
        };
        for i in 0..n {
            if i + HEADERS_AHEAD < n {
                // SAFETY: within the sequence (see `get`).
                crate::memory::prefetch(unsafe { get(seq, (i + HEADERS_AHEAD) as isize) });
            }
            // SAFETY: within the sequence; a borrowed reference, taken below.
            let item = unsafe { get(seq, i as isize) };
            // SAFETY: `item` is a live object (the sequence holds it).
            let Ok(s) = unsafe { Borrowed::from_ptr(py, item) }.cast::<PyString>() else {
                return Ok(None);
            };
            // SAFETY: `s` is a live str. PyUnicode_GetLength makes a legacy str ready
            // (Python 3.10 and 3.11; every str is ready from 3.12) before giving its length.
            let len = unsafe { pyo3::ffi::PyUnicode_GetLength(s.as_ptr()) };
            let len = usize::try_from(len).map_err(|_| PyErr::fetch(py))?;
            if len > COPIED_DOC_CHARS {
                return Ok(None);
            }
            // SAFETY: `item` is live; the reference taken is released by `Drop`.
            unsafe { pyo3::ffi::Py_IncRef(item) };
            held.docs.push(HeldStr {
                s: NonNull::new(item).expect("a sequence's item"),
                n: len,
            });
        }
        Ok(Some(held))
    }

    /// The documents, in order.
    pub fn docs(&self) -> &[HeldStr] {
        &self.docs
    }

    /// The documents as chunks of a column, encoded on every thread of the current
    /// pool, about [`RUN_CHARS`] characters a chunk; the first document holding a lone
    /// surrogate gives (its position, the character's).
    fn encode_chunks(&self) -> crate::error::Result<Result<Vec<Chunk>, (usize, usize)>> {
        let cut = runs(self.docs.iter().map(|d| d.n), RUN_CHARS);
        let encoded: Vec<crate::error::Result<Result<Chunk, (usize, usize)>>> = cut
            .into_par_iter()
            .map(|(a, b)| {
                crate::cancel::check()?;
                let part = &self.docs[a..b];
                let chars: usize = part.iter().map(|d| d.n).sum();
                // Two bytes a character: Cyrillic exactly, Latin with room that
                // shrink_to_fit returns (in place); CJK and emoji grow it once.
                let mut chunk = Chunk::with_capacity(2 * chars + 64, part.len());
                for (k, doc) in part.iter().enumerate() {
                    let pushed =
                        chunk.push_with(|text| doc.with_points(|points| append_utf8(points, text)));
                    if let Err(at) = pushed {
                        return Ok(Err((a + k, at)));
                    }
                }
                chunk.shrink_to_fit();
                Ok(Ok(chunk))
            })
            .collect();
        // The first refused document in order (a parallel collect may report any).
        let mut chunks = Vec::with_capacity(encoded.len());
        for part in encoded {
            match part? {
                Ok(chunk) => chunks.push(chunk),
                Err(bad) => return Ok(Err(bad)),
            }
        }
        Ok(Ok(chunks))
    }
}

impl Drop for HeldStrs {
    /// Releases the items with the GIL, fetching their headers a few items ahead.
    fn drop(&mut self) {
        Python::attach(|_| {
            for (i, doc) in self.docs.iter().enumerate() {
                if let Some(next) = self.docs.get(i + HEADERS_AHEAD) {
                    crate::memory::prefetch(next.s.as_ptr());
                }
                // SAFETY: a strong reference taken in `of`, released once, with the GIL.
                unsafe { pyo3::ffi::Py_DecRef(doc.s.as_ptr()) };
            }
        });
    }
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
/// [`PyDoc`]s, as [`stream_texts`] takes them, but not encoded: whoever reads a
/// document copies its code points out and encodes them
/// ([`Document::text`]), into buffers it reuses, right before tokenizing it. For
/// counting, which keeps no text: no owned UTF-8 copy of the corpus is ever made, and
/// the copy and the encoding run in the counting threads' caches.
pub fn stream_documents<E: Send>(
    obj: &Bound<'_, PyAny>,
    what: &str,
    mut consume: impl FnMut(&[PyDoc<'_>]) -> Result<(), E> + Send,
) -> PyResult<Result<(), E>> {
    stream_batches(obj, what, Inputs::Sklearn, move |batch, _| {
        let docs: Vec<PyDoc<'_>> = batch
            .slots
            .iter()
            .map(|slot| match slot {
                Slot::Ready(text) => PyDoc::Utf8(text.as_ref()),
                Slot::Str(s) => PyDoc::Str(s),
                Slot::Taken => unreachable!("documents are taken only by `Batch::encode`"),
            })
            .collect();
        consume(&docs).map_err(Stop::Consumer)
    })
}

/// A document of scikit-learn's inputs as the counting loops read it ([`Document`]).
pub enum PyDoc<'a> {
    /// UTF-8 text (an ASCII str read in place, or decoded bytes).
    Utf8(&'a str),
    /// A str, copied out and encoded when read (a lone surrogate becomes U+FFFD).
    Str(&'a ReadyStr),
}

impl Document for PyDoc<'_> {
    #[inline]
    fn text<'a>(&'a self, buf: &'a mut String) -> &'a str {
        match *self {
            PyDoc::Utf8(s) => s,
            PyDoc::Str(s) => {
                s.with_points(|points| encode_lossy_into(points, buf));
                buf
            }
        }
    }

    #[inline]
    fn size(&self) -> usize {
        match self {
            PyDoc::Utf8(s) => s.len(),
            PyDoc::Str(s) => s.n,
        }
    }
}

/// A str whose code points any thread may copy out, without the GIL: it is held (a
/// strong reference, released where the GIL is held again) and ready (its PEP 393 form
/// made when this was made, under the GIL). `PyUnicode_AsUCS4` into a buffer of
/// exactly its length then neither allocates, nor raises, nor touches a reference
/// count: it reads the immutable str's data and widens it (what every CPython from
/// 3.10 does; the only copy of a str's text that abi3 offers besides Python's UTF-8
/// encoder). So the copy, the serial part of every conversion when the GIL's thread
/// made it, runs on every core, into a buffer in the reading thread's cache.
pub struct ReadyStr {
    s: Py<PyString>,
    /// Its length in characters.
    n: usize,
}

/// Code points of a document at most this long are copied into the thread's reused
/// buffer; longer ones into a buffer of their own (so no thread keeps a huge one).
const REUSED_POINTS: usize = 1 << 16;

thread_local! {
    /// The reading thread's buffer for [`ReadyStr::with_points`].
    static POINTS: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl ReadyStr {
    /// Holds `s`, made ready; errors only if Python cannot (out of memory).
    fn new(s: &Bound<'_, PyString>) -> PyResult<Self> {
        // SAFETY: `s` is a live str. PyUnicode_GetLength makes a legacy str ready
        // (Python 3.10 and 3.11; every str is ready from 3.12) before giving its length.
        let n = unsafe { pyo3::ffi::PyUnicode_GetLength(s.as_ptr()) };
        let n = usize::try_from(n).map_err(|_| PyErr::fetch(s.py()))?;
        Ok(ReadyStr {
            s: s.clone().unbind(),
            n,
        })
    }

    /// Calls `f` with the str's code points, copied out on this thread (no GIL needed).
    fn with_points<R>(&self, f: impl FnOnce(&[u32]) -> R) -> R {
        // SAFETY: the str is alive (held by `self.s`) and ready, of `n` characters (see `new`).
        unsafe { with_points_of(self.s.as_ptr(), self.n, f) }
    }
}

/// Calls `f` with the code points of the str `s`, of `n` characters, copied out on this
/// thread into its reused buffer (a buffer of its own for a long str).
///
/// # Safety
/// `s` is a str, ready (its PEP 393 form made), of exactly `n` characters, kept alive
/// by the caller for the call (see [`ReadyStr`] for why no GIL is needed).
unsafe fn with_points_of<R>(
    s: *mut pyo3::ffi::PyObject,
    n: usize,
    f: impl FnOnce(&[u32]) -> R,
) -> R {
    if n > REUSED_POINTS {
        let mut own = Vec::new();
        // SAFETY: as this function's.
        unsafe { copy_points(s, n, &mut own) };
        return f(&own);
    }
    POINTS.with_borrow_mut(|points| {
        // SAFETY: as this function's.
        unsafe { copy_points(s, n, points) };
        f(points)
    })
}

/// Replaces `out` with the code points of the str `s`, of `n` characters.
///
/// # Safety
/// As [`with_points_of`]'s.
unsafe fn copy_points(s: *mut pyo3::ffi::PyObject, n: usize, out: &mut Vec<u32>) {
    out.clear();
    out.reserve(n);
    if n == 0 {
        return;
    }
    // SAFETY: the str is alive and ready (the caller's contract), immutable, and `out`
    // has room for exactly its `n` characters with no terminating NUL asked for
    // (copy_null = 0): the call only reads the str's data and writes `n` values, with
    // no allocation, error or reference count (see [`ReadyStr`]).
    let copied =
        unsafe { pyo3::ffi::PyUnicode_AsUCS4(s, out.as_mut_ptr(), n as pyo3::ffi::Py_ssize_t, 0) };
    assert!(!copied.is_null(), "PyUnicode_AsUCS4 failed on a ready str");
    // SAFETY: PyUnicode_AsUCS4 succeeded, so it wrote all `n` values.
    unsafe { out.set_len(n) };
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
    let batch_chars = batch_chars();
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
            if batch.size > batch_chars && !send(&mut batch) {
                return Ok(());
            }
            continue;
        };
        if inputs == Inputs::Sklearn && s.call_method0(isascii)?.is_truthy()? {
            // An ASCII str is its own UTF-8: read in place, no copy.
            let text = text_of(&item, i, what, true)?;
            batch.size += text.as_ref().len();
            batch.slots.push(Slot::Ready(text));
        } else {
            let doc = ReadyStr::new(s)?;
            let n = doc.n;
            if n > COPIED_DOC_CHARS {
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
                if batch.size + n > batch_chars && !send(&mut batch) {
                    return Ok(());
                }
                batch.size += n;
                batch.slots.push(Slot::Str(doc));
            }
        }
        if batch.size > batch_chars && !send(&mut batch) {
            return Ok(());
        }
    }
    send(&mut batch);
    Ok(())
}

/// A document as the copying thread hands it over.
enum Slot {
    /// A str, copied out and encoded by whoever reads it.
    Str(ReadyStr),
    /// Read in place (an ASCII str), decoded (bytes) or encoded by Python (a huge str).
    Ready(Text),
    /// A [`Slot::Ready`] text already taken out of the batch.
    Taken,
}

/// Documents taken out of Python, waiting to be encoded together. Emptied where the
/// GIL is held (it holds str).
#[derive(Default)]
struct Batch {
    /// The documents, in order.
    slots: Vec<Slot>,
    /// Characters (or bytes) held, for cutting batches.
    size: usize,
}

/// The UTF-8 of a str's code points, or the position of its first lone surrogate.
fn utf8_of(s: &ReadyStr) -> Result<String, usize> {
    s.with_points(utf8_of_code_points)
}

impl Batch {
    /// The batch's documents as UTF-8 (the texts taken out of the batch, the str left
    /// for the GIL's thread to release), encoded on every core of the current pool. A
    /// lone surrogate becomes U+FFFD if `lossy`; otherwise the first document holding
    /// one gives (its index in the batch, the character's position).
    fn encode(&mut self, lossy: bool) -> Result<Vec<Text>, (usize, usize)> {
        let encoded: Vec<Result<Text, usize>> = self
            .slots
            .par_iter_mut()
            .with_min_len(16)
            .map(|slot| match slot {
                Slot::Ready(_) => match std::mem::replace(slot, Slot::Taken) {
                    Slot::Ready(text) => Ok(text),
                    _ => unreachable!(),
                },
                Slot::Str(s) => match utf8_of(s) {
                    Ok(s) => Ok(Text::Owned(s)),
                    Err(_) if lossy => s.with_points(|points| {
                        let mut out = String::new();
                        encode_lossy_into(points, &mut out);
                        Ok(Text::Owned(out))
                    }),
                    Err(at) => Err(at),
                },
                Slot::Taken => unreachable!("a batch is encoded once"),
            })
            .collect();
        // The first refused document in order (a parallel collect may report any).
        encoded
            .into_iter()
            .enumerate()
            .map(|(k, t)| t.map_err(|at| (k, at)))
            .collect()
    }

    /// The batch's documents as chunks of a column, encoded on every core of the
    /// current pool, a chunk per thread's share of the documents. The first document
    /// holding a lone surrogate gives (its index in the batch, the character's position).
    fn encode_chunks(&mut self) -> Result<Vec<Chunk>, (usize, usize)> {
        let slots = &self.slots;
        let share = slots.len().div_ceil(rayon::current_num_threads()).max(16);
        let encoded: Vec<Result<Chunk, (usize, usize)>> = slots
            .par_chunks(share)
            .enumerate()
            .map(|(c, part)| {
                let size: usize = part
                    .iter()
                    .map(|slot| match slot {
                        Slot::Str(s) => s.n,
                        Slot::Ready(text) => text.as_ref().len(),
                        Slot::Taken => 0,
                    })
                    .sum();
                // Two bytes a character: Cyrillic exactly, Latin with room that
                // shrink_to_fit returns (in place); CJK and emoji grow it once.
                let mut chunk = Chunk::with_capacity(2 * size + 64, part.len());
                for (k, slot) in part.iter().enumerate() {
                    match slot {
                        Slot::Ready(text) => chunk.push(text.as_ref()),
                        Slot::Str(s) => chunk
                            .push_with(|text| s.with_points(|points| append_utf8(points, text)))
                            .map_err(|at| (c * share + k, at))?,
                        Slot::Taken => unreachable!("a batch is encoded once"),
                    }
                }
                chunk.shrink_to_fit();
                Ok(chunk)
            })
            .collect();
        // The first refused document in order (a parallel collect may report any).
        encoded.into_iter().collect()
    }

    /// Empties the batch (releasing its str: the GIL must be held).
    fn clear(&mut self) {
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
        return match crate::text::utf8::as_str_or_valid_up_to(b) {
            Ok(s) => Ok(Text::Owned(s.to_string())),
            Err(at) => Err(PyValueError::new_err(format!(
                "{what} {i}: bytes are not valid UTF-8 at byte {at}; decode them first"
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
