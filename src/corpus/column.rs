//! Strings stored end to end in a few large buffers: how a corpus holds its texts, ids
//! and provenance. A corpus of 191,831 posts is some 200 buffers, not 383,662 heap
//! strings: nothing is allocated per document when it is built (from Python, Arrow or
//! a saved file) and nothing freed per document when it is dropped, and each document
//! costs 8 bytes of offsets beyond its bytes.

use rayon::prelude::*;

/// A chunk grows to this many bytes before [`StringColumn::push`] starts another (a
/// longer string gets a chunk of its own), so growing never copies more than this.
pub const CHUNK_BYTES: usize = 16 << 20;

/// Strings in order, stored end to end in chunks; every string lies whole in one chunk.
#[derive(Debug, Clone, Default)]
pub struct StringColumn {
    chunks: Vec<Chunk>,
    /// Index of the first string of each chunk.
    firsts: Vec<usize>,
    /// Number of strings.
    len: usize,
}

/// Strings end to end in one buffer: string `k` is `text[ends[k - 1]..ends[k]]` (from 0
/// for the first). Built only by appending whole strings, so every end is a character
/// boundary.
#[derive(Debug, Clone, Default)]
pub struct Chunk {
    text: String,
    ends: Vec<usize>,
}

impl Chunk {
    /// An empty chunk with room for `bytes` of text and `strings` strings.
    pub fn with_capacity(bytes: usize, strings: usize) -> Chunk {
        Chunk {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(strings),
        }
    }

    /// A chunk of the strings of `text` that end at `ends` (rising, each on a character
    /// boundary, the last at the end of `text`; the first starts at 0), or `None` if
    /// `ends` is not so.
    pub fn from_parts(text: String, ends: Vec<usize>) -> Option<Chunk> {
        let rising = ends.windows(2).all(|w| w[0] <= w[1]);
        let whole = ends.last().map_or(text.is_empty(), |&e| e == text.len());
        let bounded = ends.iter().all(|&e| text.is_char_boundary(e));
        (rising && whole && bounded).then_some(Chunk { text, ends })
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether it holds no string.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes of text held.
    pub fn bytes(&self) -> usize {
        self.text.len()
    }

    /// Frees the unused room of the text buffer.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
    }

    /// Appends `s` as the next string.
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    /// Appends as the next string what `write` appends to the chunk's text (it must only
    /// append); if it fails, the chunk is left as it was and its error returned.
    pub fn push_with<E>(
        &mut self,
        write: impl FnOnce(&mut String) -> Result<(), E>,
    ) -> Result<(), E> {
        let before = self.text.len();
        if let Err(e) = write(&mut self.text) {
            self.text.truncate(before);
            return Err(e);
        }
        self.ends.push(self.text.len());
        Ok(())
    }

    fn get(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        &self.text[start..self.ends[k]]
    }

    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let s = &self.text[start..end];
            start = end;
            s
        })
    }
}

impl StringColumn {
    /// An empty column.
    pub fn new() -> StringColumn {
        StringColumn::default()
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds no string.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes of all strings together.
    pub fn bytes(&self) -> usize {
        self.chunks.iter().map(Chunk::bytes).sum()
    }

    /// String `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&str> {
        if i >= self.len {
            return None;
        }
        let c = self.firsts.partition_point(|&f| f <= i) - 1;
        Some(self.chunks[c].get(i - self.firsts[c]))
    }

    /// The strings in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.chunks.iter().flat_map(Chunk::iter)
    }

    /// The strings in order, borrowed into a vector (built on every thread).
    pub fn to_vec(&self) -> Vec<&str> {
        let mut out = vec![""; self.len];
        let mut rest = out.as_mut_slice();
        let mut parts = Vec::with_capacity(self.chunks.len());
        for c in &self.chunks {
            let (part, tail) = rest.split_at_mut(c.len());
            parts.push((c, part));
            rest = tail;
        }
        parts.into_par_iter().for_each(|(c, part)| {
            for (slot, s) in part.iter_mut().zip(c.iter()) {
                *slot = s;
            }
        });
        out
    }

    /// Appends `s` as the next string (to the last chunk while it is under
    /// [`CHUNK_BYTES`]).
    pub fn push(&mut self, s: &str) {
        let room = self
            .chunks
            .last()
            .is_some_and(|c| c.bytes() + s.len() <= CHUNK_BYTES || c.is_empty());
        if !room {
            self.firsts.push(self.len);
            self.chunks.push(Chunk::default());
        }
        self.chunks.last_mut().expect("a chunk").push(s);
        self.len += 1;
    }

    /// Appends the strings of `chunk` (moved in, not copied).
    pub fn append(&mut self, chunk: Chunk) {
        if chunk.is_empty() {
            return;
        }
        self.firsts.push(self.len);
        self.len += chunk.len();
        self.chunks.push(chunk);
    }

    /// `n` empty strings.
    pub fn empty(n: usize) -> StringColumn {
        let mut out = StringColumn::new();
        out.append(Chunk {
            text: String::new(),
            ends: vec![0; n],
        });
        out
    }

    /// The numbers `0` to `n - 1` as strings (a corpus's default ids), written on every
    /// thread.
    pub fn numbers(n: usize) -> StringColumn {
        const PER_CHUNK: usize = 1 << 16;
        let chunks: Vec<Chunk> = (0..n.div_ceil(PER_CHUNK))
            .into_par_iter()
            .map(|c| {
                let range = c * PER_CHUNK..n.min((c + 1) * PER_CHUNK);
                let mut chunk = Chunk::with_capacity(range.len() * 7, range.len());
                let mut digits = [0u8; 20];
                for i in range {
                    chunk.push(format_number(i, &mut digits));
                }
                chunk
            })
            .collect();
        let mut out = StringColumn::new();
        for c in chunks {
            out.append(c);
        }
        out
    }
}

/// `i` in decimal, written into `buf` (room for the most digits a `usize` has).
fn format_number(mut i: usize, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (i % 10) as u8;
        i /= 10;
        if i == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[at..]).expect("ASCII digits")
}

impl PartialEq for StringColumn {
    /// Equal when they hold the same strings in the same order, however chunked.
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Eq for StringColumn {}

impl<S: AsRef<str>> FromIterator<S> for StringColumn {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut out = StringColumn::new();
        for s in iter {
            out.push(s.as_ref());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_come_back_as_pushed_across_chunks() {
        let mut col = StringColumn::new();
        let long = "ж".repeat(CHUNK_BYTES / 4 + 1); // half a chunk and 2 bytes
        let strings = [
            "",
            "a",
            "Коллективный Запад",
            "",
            &long,
            &long,
            "x",
            &long,
            "",
        ];
        for s in strings {
            col.push(s);
        }
        assert_eq!(col.len(), 9);
        // A chunk closes before a string that would take it past CHUNK_BYTES: no two
        // long strings share one.
        assert_eq!(col.chunks.len(), 3);
        assert_eq!(col.firsts, [0, 5, 7]);
        assert_eq!(col.bytes(), strings.iter().map(|s| s.len()).sum::<usize>());
        for (i, s) in strings.iter().enumerate() {
            assert_eq!(col.get(i), Some(*s), "string {i}");
        }
        assert_eq!(col.get(9), None);
        assert_eq!(col.iter().collect::<Vec<_>>(), strings);
        assert_eq!(col.to_vec(), strings);
    }

    #[test]
    fn appended_chunks_and_code_points() {
        let mut a = Chunk::default();
        a.push("first");
        let written = a.push_with(|t| {
            t.push_str("AЖ😀");
            Ok::<(), ()>(())
        });
        assert_eq!(written, Ok(()));
        // A failed write: its error, nothing of it kept.
        assert_eq!(
            a.push_with(|t| {
                t.push('B');
                Err("refused")
            }),
            Err("refused")
        );
        let mut col = StringColumn::new();
        col.append(Chunk::default()); // an empty chunk adds nothing
        col.append(a);
        col.push("after");
        let mut b = Chunk::with_capacity(4, 2);
        b.push("");
        b.push("end");
        col.append(b);
        assert_eq!(
            col.iter().collect::<Vec<_>>(),
            ["first", "AЖ😀", "after", "", "end"]
        );
        assert_eq!(col.get(2), Some("after"));
        assert_eq!(col.get(4), Some("end"));
        // Chunks from parts: ends must rise, end the text and fall on characters.
        let parts = |ends: &[usize]| Chunk::from_parts("aЖb".to_string(), ends.to_vec());
        assert_eq!(
            parts(&[1, 3, 4]).unwrap().iter().collect::<Vec<_>>(),
            ["a", "Ж", "b"]
        );
        assert!(parts(&[0, 4]).is_some());
        assert!(parts(&[2, 4]).is_none(), "inside Ж");
        assert!(parts(&[3, 1, 4]).is_none(), "falling");
        assert!(parts(&[1, 3]).is_none(), "short of the end");
        assert!(parts(&[]).is_none(), "text but no string");
        assert!(Chunk::from_parts(String::new(), vec![]).is_some());
        // Equal to the same strings chunked otherwise.
        let same: StringColumn = ["first", "AЖ😀", "after", "", "end"].into_iter().collect();
        assert_eq!(col, same);
        let other: StringColumn = ["first", "AЖ😀", "after", "end", ""].into_iter().collect();
        assert_ne!(col, other);
    }

    #[test]
    fn empty_strings() {
        let col = StringColumn::empty(3);
        assert_eq!(col.iter().collect::<Vec<_>>(), ["", "", ""]);
        assert!(StringColumn::empty(0).is_empty());
    }

    #[test]
    fn numbers_are_decimal_positions() {
        assert!(StringColumn::numbers(0).is_empty());
        let n = (1 << 16) * 2 + 5; // three chunks
        let col = StringColumn::numbers(n);
        assert_eq!(col.len(), n);
        for i in [0, 1, 9, 10, 99, 100, 65_535, 65_536, 131_076] {
            assert_eq!(col.get(i), Some(i.to_string().as_str()));
        }
        assert_eq!(col.get(n), None);
        let mut buf = [0u8; 20];
        assert_eq!(format_number(usize::MAX, &mut buf), usize::MAX.to_string());
    }
}
