//! Strings stored end to end in a few large buffers: how a corpus holds its texts, ids
//! and provenance. A corpus of 191,831 posts is some 200 buffers, not 383,662 heap
//! strings: nothing is allocated per document when it is built (from Python, Arrow or
//! a saved file) and nothing freed per document when it is dropped, and each document
//! costs 4 bytes of offsets a column beyond its bytes.

use rayon::prelude::*;

/// A chunk grows to this many bytes before [`StringColumn::push`] starts another (a
/// longer string gets a chunk of its own), so growing never copies more than this.
pub const CHUNK_BYTES: usize = 16 << 20;

/// Strings of a [`StringColumn`] in order, chunk by chunk.
pub struct Strings<'a> {
    column: &'a StringColumn,
    chunk: usize,
    /// Index of the next string within its chunk.
    k: usize,
    left: usize,
}

impl<'a> Iterator for Strings<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.left == 0 {
            return None;
        }
        let chunks = &self.column.chunks;
        while self.k >= chunks[self.chunk].len() {
            self.chunk += 1;
            self.k = 0;
        }
        let s = chunks[self.chunk].get(self.k);
        self.k += 1;
        self.left -= 1;
        Some(s)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Strings<'_> {}

/// Runs `(first, end)` of consecutive items whose `sizes` are given in order: each run
/// closes at the first item that brings it to `limit` or more (so the cut depends only
/// on the sizes), the last run takes what is left. How work on strings is cut for
/// threads: chunks of a column built in parallel, a corpus's fingerprint.
pub fn runs(sizes: impl IntoIterator<Item = usize>, limit: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut first, mut bytes, mut n) = (0, 0usize, 0);
    for (i, size) in sizes.into_iter().enumerate() {
        bytes += size;
        n = i + 1;
        if bytes >= limit {
            out.push((first, n));
            (first, bytes) = (n, 0);
        }
    }
    if first < n {
        out.push((first, n));
    }
    out
}

/// Bytes of strings copied into one chunk by one thread in [`StringColumn::from_strs`].
const COPY_RUN_BYTES: usize = 1 << 20;

/// Strings of at least this many bytes are moved into a column as chunks of their own
/// by [`StringColumn::from_strings`]: a copy would cost more than the chunk.
const MOVED_BYTES: usize = 1 << 10;

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
    ends: Ends,
}

/// The largest end kept in 4 bytes ([`Ends::Narrow`]); small in unit tests, so that
/// widening is tested without 4 GiB strings.
const NARROW_MAX: usize = if cfg!(test) {
    1 << 12
} else {
    u32::MAX as usize
};

/// Where each string of a chunk ends: 4 bytes a string (a chunk is at most
/// [`CHUNK_BYTES`], or a run of about 1 MiB, or one long string), 8 once an end passes
/// 4 GiB (a single string that long). On 191,831 short posts the three string columns'
/// offsets are 2.3 MB instead of 4.6 MB.
#[derive(Debug, Clone)]
enum Ends {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl Default for Ends {
    fn default() -> Ends {
        Ends::Narrow(Vec::new())
    }
}

impl Ends {
    fn with_capacity(n: usize) -> Ends {
        Ends::Narrow(Vec::with_capacity(n))
    }

    /// Ends already laid out (rising): narrow if the last fits.
    fn from_vec(ends: Vec<usize>) -> Ends {
        if !matches!(ends.last(), Some(&e) if e > NARROW_MAX) {
            Ends::Narrow(ends.into_iter().map(|e| e as u32).collect())
        } else {
            Ends::Wide(ends)
        }
    }

    /// The ends of a chunk of one string of `len` bytes.
    fn one(len: usize) -> Ends {
        let mut ends = Ends::Narrow(Vec::with_capacity(1));
        ends.push(len);
        ends
    }

    fn len(&self) -> usize {
        match self {
            Ends::Narrow(v) => v.len(),
            Ends::Wide(v) => v.len(),
        }
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// End of string `k`, and where it starts (the end before it, or 0).
    #[inline]
    fn span(&self, k: usize) -> (usize, usize) {
        match self {
            Ends::Narrow(v) => {
                let start = if k == 0 { 0 } else { v[k - 1] as usize };
                (start, v[k] as usize)
            }
            Ends::Wide(v) => (if k == 0 { 0 } else { v[k - 1] }, v[k]),
        }
    }

    /// Appends `end` (at least the last), widening every end if it passes [`NARROW_MAX`].
    #[inline]
    fn push(&mut self, end: usize) {
        match self {
            Ends::Narrow(v) if end <= NARROW_MAX => v.push(end as u32),
            Ends::Narrow(v) => {
                let mut wide: Vec<usize> = v.iter().map(|&e| e as usize).collect();
                wide.push(end);
                *self = Ends::Wide(wide);
            }
            Ends::Wide(v) => v.push(end),
        }
    }
}

impl Chunk {
    /// An empty chunk with room for `bytes` of text and `strings` strings.
    pub fn with_capacity(bytes: usize, strings: usize) -> Chunk {
        Chunk {
            text: String::with_capacity(bytes),
            ends: Ends::with_capacity(strings),
        }
    }

    /// A chunk of the strings of `text` that end at `ends` (rising, each on a character
    /// boundary, the last at the end of `text`; the first starts at 0), or `None` if
    /// `ends` is not so.
    pub fn from_parts(text: String, ends: Vec<usize>) -> Option<Chunk> {
        let rising = ends.windows(2).all(|w| w[0] <= w[1]);
        let whole = ends.last().map_or(text.is_empty(), |&e| e == text.len());
        let bounded = ends.iter().all(|&e| text.is_char_boundary(e));
        (rising && whole && bounded).then(|| Chunk {
            text,
            ends: Ends::from_vec(ends),
        })
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

    #[inline]
    fn get(&self, k: usize) -> &str {
        let (start, end) = self.ends.span(k);
        // SAFETY: ends rise, stay within the text and fall on character boundaries: a
        // chunk is built only by appending whole strings, or by `from_parts`, which
        // checks all three.
        unsafe { self.text.get_unchecked(start..end) }
    }

    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|k| self.get(k))
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
    pub fn iter(&self) -> Strings<'_> {
        self.range(0..self.len)
    }

    /// The strings `range` in order: the first found by one search, the rest read in
    /// sequence (for work cut into runs of documents).
    pub fn range(&self, range: std::ops::Range<usize>) -> Strings<'_> {
        let start = range.start.min(self.len);
        let chunk = self
            .firsts
            .partition_point(|&f| f <= start)
            .saturating_sub(1);
        Strings {
            column: self,
            chunk,
            k: start - self.firsts.get(chunk).copied().unwrap_or(0),
            left: range.end.min(self.len).saturating_sub(start),
        }
    }

    /// The first string equal to an earlier one (its position and text): for columns
    /// that must hold distinct strings, such as ids.
    pub fn first_duplicate(&self) -> Option<(usize, &str)> {
        let mut seen = ahash::AHashSet::with_capacity(self.len());
        self.iter().enumerate().find(|&(_, s)| !seen.insert(s))
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

    /// A column of `strings`, copied on every thread in runs of about 1 MiB (each its
    /// own chunk, allocated once at its size).
    pub fn from_strs<S: AsRef<str> + Sync>(strings: &[S]) -> StringColumn {
        let cut = runs(strings.iter().map(|s| s.as_ref().len()), COPY_RUN_BYTES);
        let chunks: Vec<Chunk> = cut
            .into_par_iter()
            .map(|(a, b)| {
                let part = &strings[a..b];
                let bytes = part.iter().map(|s| s.as_ref().len()).sum();
                let mut chunk = Chunk::with_capacity(bytes, part.len());
                for s in part {
                    chunk.push(s.as_ref());
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

    /// A column of `strings`, taken over: each of at least 1 KiB becomes a chunk of its
    /// own (moved, not copied), the shorter ones between are copied end to end on every
    /// thread in runs of about 1 MiB. What a reader's owned texts become.
    pub fn from_strings(mut strings: Vec<String>) -> StringColumn {
        // Pieces in order: one long string (moved), or a run of short ones (copied).
        let mut pieces: Vec<(usize, usize, bool)> = Vec::new();
        let mut i = 0;
        while i < strings.len() {
            if strings[i].len() >= MOVED_BYTES {
                pieces.push((i, i + 1, true));
                i += 1;
                continue;
            }
            let first = i;
            let mut bytes = 0;
            while i < strings.len() && strings[i].len() < MOVED_BYTES && bytes < COPY_RUN_BYTES {
                bytes += strings[i].len();
                i += 1;
            }
            pieces.push((first, i, false));
        }
        let mut parts = Vec::with_capacity(pieces.len());
        let mut rest = strings.as_mut_slice();
        for &(a, b, moved) in &pieces {
            let (part, tail) = rest.split_at_mut(b - a);
            parts.push((part, moved));
            rest = tail;
        }
        let chunks: Vec<Chunk> = parts
            .into_par_iter()
            .map(|(part, moved)| {
                if moved {
                    let text = std::mem::take(&mut part[0]);
                    let ends = Ends::one(text.len());
                    return Chunk { text, ends };
                }
                let bytes = part.iter().map(String::len).sum();
                let mut chunk = Chunk::with_capacity(bytes, part.len());
                for s in part.iter() {
                    chunk.push(s);
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

    /// `n` empty strings.
    pub fn empty(n: usize) -> StringColumn {
        let mut out = StringColumn::new();
        out.append(Chunk {
            text: String::new(),
            ends: Ends::Narrow(vec![0; n]),
        });
        out
    }

    /// The numbers `0` to `n - 1` as strings (a corpus's default ids), written on every
    /// thread.
    pub fn numbers(n: usize) -> StringColumn {
        StringColumn::numbered(&[("", 0, n)])
    }

    /// Labels of numbered rows, part by part: `"{prefix}{first}"` to
    /// `"{prefix}{first + rows - 1}"` for each `(prefix, first, rows)` in turn
    /// ("posts.parquet#1", ...): the default ids and provenance of a table's rows, written
    /// on every thread with no string allocated per row.
    pub fn numbered(parts: &[(&str, usize, usize)]) -> StringColumn {
        const PER_CHUNK: usize = 1 << 16;
        let pieces: Vec<(&str, std::ops::Range<usize>)> = parts
            .iter()
            .flat_map(|&(prefix, first, rows)| {
                (0..rows.div_ceil(PER_CHUNK)).map(move |c| {
                    let start = first + c * PER_CHUNK;
                    (prefix, start..(first + rows).min(start + PER_CHUNK))
                })
            })
            .collect();
        let chunks: Vec<Chunk> = pieces
            .into_par_iter()
            .map(|(prefix, range)| {
                let mut chunk = Chunk::with_capacity(range.len() * (prefix.len() + 7), range.len());
                let mut digits = [0u8; 20];
                let mut label = String::with_capacity(prefix.len() + 20);
                for i in range {
                    label.clear();
                    label.push_str(prefix);
                    label.push_str(format_number(i, &mut digits));
                    chunk.push(&label);
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
        for (a, b) in [
            (0, 9),
            (3, 6),
            (4, 5),
            (5, 8),
            (7, 9),
            (9, 9),
            (2, 2),
            (6, 20),
        ] {
            let want = &strings[a.min(9)..b.min(9)];
            assert_eq!(col.range(a..b).collect::<Vec<_>>(), want, "{a}..{b}");
        }
        assert_eq!(StringColumn::new().range(0..3).count(), 0);
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
    fn ends_widen_past_four_bytes_and_strings_stay_whole() {
        // NARROW_MAX is 4 KiB in unit tests (4 GiB otherwise).
        let a = "a".repeat(3000);
        let zh = "Ж".repeat(1000); // 2,000 bytes
        let mut c = Chunk::default();
        c.push(&a);
        c.push("");
        assert!(matches!(c.ends, Ends::Narrow(_)));
        c.push(&zh); // ends at 5,000: every end widens
        assert!(matches!(c.ends, Ends::Wide(_)));
        c.push("x");
        assert_eq!(c.iter().collect::<Vec<_>>(), [&a[..], "", &zh[..], "x"]);
        let mut col = StringColumn::new();
        col.push("first");
        col.append(c);
        col.push("last");
        assert_eq!(col.get(3), Some(&zh[..]));
        assert_eq!(col.range(2..5).collect::<Vec<_>>(), ["", &zh[..], "x"]);
        // Parts: narrow while the last end fits, wide beyond.
        let narrow = Chunk::from_parts(a.clone(), vec![1000, 3000]).unwrap();
        assert!(matches!(narrow.ends, Ends::Narrow(_)));
        let text = format!("{a}{zh}");
        let wide = Chunk::from_parts(text, vec![3000, 5000]).unwrap();
        assert!(matches!(wide.ends, Ends::Wide(_)));
        assert_eq!(wide.iter().collect::<Vec<_>>(), [&a[..], &zh[..]]);
        // A long string moved in whole.
        let moved = StringColumn::from_strings(vec![zh.repeat(3), "b".into()]);
        assert_eq!(moved.get(0).map(str::len), Some(6000));
        assert_eq!(moved.get(1), Some("b"));
    }

    #[test]
    fn runs_close_at_the_item_that_reaches_the_limit() {
        assert!(runs([], 10).is_empty());
        assert_eq!(runs([1], 10), [(0, 1)]);
        assert_eq!(runs([9, 1, 30, 5, 6], 10), [(0, 2), (2, 3), (3, 5)]);
        assert_eq!(runs([0, 0, 0], 1), [(0, 3)], "empty items close nothing");
    }

    #[test]
    fn strings_copied_in_parallel_runs() {
        let strings: Vec<String> = (0..5000)
            .map(|i| format!("{i} Коллективный Запад {}", "x".repeat(i % 700)))
            .collect();
        let col = StringColumn::from_strs(&strings);
        assert!(col.chunks.len() > 1);
        assert_eq!(col.len(), 5000);
        assert!(col.iter().eq(strings.iter().map(String::as_str)));
        assert!(StringColumn::from_strs::<&str>(&[]).is_empty());
    }

    #[test]
    fn long_strings_are_moved_short_ones_packed() {
        // Sizes 0, 5, 1023 (packed), 1024, 5000 (moved), 40 (packed), 500 times over.
        let strings: Vec<String> = (0..3000)
            .map(|i| {
                let letter = char::from(b'a' + (i % 26) as u8);
                letter
                    .to_string()
                    .repeat([0, 5, 1023, 1024, 5000, 40][i % 6])
            })
            .collect();
        let col = StringColumn::from_strings(strings.clone());
        assert!(col.iter().eq(strings.iter().map(String::as_str)));
        // 1,000 moved strings, each its chunk; 501 runs of packed ones around them: the
        // first three, then each 40-byte string with the next period's first three.
        assert_eq!(col.chunks.len(), 1000 + 501);
        assert_eq!(col.get(3).map(str::len), Some(1024));
        assert_eq!(col.get(2999).map(str::len), Some(40));
        assert!(StringColumn::from_strings(Vec::new()).is_empty());
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

    #[test]
    fn the_first_repeated_string_is_named_by_its_position() {
        let col = StringColumn::from_strs(&["a", "b", "", "c", "b", "", "a"]);
        assert_eq!(col.first_duplicate(), Some((4, "b")));
        assert_eq!(StringColumn::numbers(70_000).first_duplicate(), None);
        assert_eq!(StringColumn::empty(2).first_duplicate(), Some((1, "")));
        assert_eq!(StringColumn::new().first_duplicate(), None);
    }

    #[test]
    fn numbered_labels_count_rows_part_by_part() {
        let col = StringColumn::numbered(&[
            ("a.parquet#", 1, 2),
            ("", 5, 0),
            ("б:row ", 1, 70_000), // two chunks
            ("", 99, 1),
        ]);
        assert_eq!(col.len(), 70_003);
        let labels = col.to_vec();
        assert_eq!(labels[..3], ["a.parquet#1", "a.parquet#2", "б:row 1"]);
        assert_eq!(labels[65_537..65_539], ["б:row 65536", "б:row 65537"]);
        assert_eq!(labels[70_001..], ["б:row 70000", "99"]);
        assert!(StringColumn::numbered(&[]).is_empty());
    }
}
