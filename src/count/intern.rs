//! A string interner for the counting hot loop.
//!
//! Table entries keep a 16-byte summary of their key inline: for keys of at
//! most 16 bytes the summary *is* the key (two overlapping word loads), so
//! looking up a short token (most are) hashes two words and compares two
//! words, with no pointer chase and no `memcmp`. Longer keys also compare
//! their bytes in one contiguous arena. Ids are dense, in order of first
//! insertion. Cost: 24 bytes per entry plus the arena.

use hashbrown::HashTable;

const INLINE: usize = 16;

#[derive(Clone, Copy)]
struct Entry {
    summary: (u64, u64),
    len: u32,
    id: u32,
}

/// Strings to dense ids and back.
pub struct Interner {
    table: HashTable<Entry>,
    arena: Vec<u8>,
    /// Start of each id's bytes in `arena`; `starts[id + 1]` ends it.
    starts: Vec<usize>,
    hasher: ahash::RandomState,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            table: HashTable::new(),
            arena: Vec::new(),
            starts: vec![0],
            hasher: ahash::RandomState::with_seeds(0x5eed, 0xf00d, 0xcafe, 0xbeef),
        }
    }
}

#[inline]
fn load8(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

#[inline]
fn load4(b: &[u8], at: usize) -> u64 {
    u64::from(u32::from_le_bytes(
        b[at..at + 4].try_into().expect("4 bytes"),
    ))
}

/// Two words that, with the length, identify a key of at most 16 bytes exactly
/// (overlapping loads of its first and last bytes); for longer keys, its first 16 bytes.
#[inline]
fn summary(b: &[u8]) -> (u64, u64) {
    let n = b.len();
    if n >= 16 {
        (load8(b, 0), load8(b, 8))
    } else if n >= 8 {
        (load8(b, 0), load8(b, n - 8))
    } else if n >= 4 {
        (load4(b, 0) | (load4(b, n - 4) << 32), 0)
    } else {
        let mut w = 0u64;
        for (i, &x) in b.iter().enumerate() {
            w |= u64::from(x) << (8 * i);
        }
        (w, 0)
    }
}

/// Hash of a short key from its summary: two multiply-mix rounds.
#[inline]
fn mix(s: (u64, u64), len: u32) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let a = (s.0 ^ u64::from(len)).wrapping_mul(K);
    let b = (s.1 ^ a.rotate_left(29)).wrapping_mul(K);
    b ^ (b >> 32)
}

impl Interner {
    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The string with id `id`.
    pub fn get(&self, id: u32) -> &str {
        let b = &self.arena[self.starts[id as usize]..self.starts[id as usize + 1]];
        // SAFETY: the arena only holds bytes copied from `&str`s, one whole string per id.
        unsafe { std::str::from_utf8_unchecked(b) }
    }

    #[inline]
    fn hash(hasher: &ahash::RandomState, b: &[u8], s: (u64, u64)) -> u64 {
        if b.len() <= INLINE {
            mix(s, b.len() as u32)
        } else {
            hasher.hash_one(b)
        }
    }

    /// Id of `s`, and whether it was new.
    #[inline]
    pub fn intern(&mut self, s: &str) -> (u32, bool) {
        let b = s.as_bytes();
        let sum = summary(b);
        let hash = Self::hash(&self.hasher, b, sum);
        let len = b.len() as u32;
        let (arena, starts) = (&self.arena, &self.starts);
        let eq = |e: &Entry| {
            e.len == len
                && e.summary == sum
                && (b.len() <= INLINE
                    || arena[starts[e.id as usize]..starts[e.id as usize + 1]] == *b)
        };
        if let Some(e) = self.table.find(hash, eq) {
            return (e.id, false);
        }
        let id = self.len() as u32;
        self.arena.extend_from_slice(b);
        self.starts.push(self.arena.len());
        let hasher = &self.hasher;
        let (arena, starts) = (&self.arena, &self.starts);
        self.table.insert_unique(
            hash,
            Entry {
                summary: sum,
                len,
                id,
            },
            |e| {
                let k = &arena[starts[e.id as usize]..starts[e.id as usize + 1]];
                Self::hash(hasher, k, e.summary)
            },
        );
        (id, true)
    }

    /// All strings, by id.
    pub fn into_strings(self) -> Vec<Box<str>> {
        (0..self.len() as u32)
            .map(|id| Box::from(self.get(id)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_short_and_long_keys() {
        let mut i = Interner::default();
        let long = "a-very-long-token-over-sixteen-bytes";
        let long2 = "a-very-long-token-over-sixteen-bytez";
        assert_eq!(i.intern("west"), (0, true));
        assert_eq!(i.intern(long), (1, true));
        assert_eq!(i.intern(long2), (2, true));
        assert_eq!(i.intern("запад"), (3, true));
        assert_eq!(i.intern("west"), (0, false));
        assert_eq!(i.intern(long2), (2, false));
        assert_eq!(i.intern(""), (4, true));
        assert_eq!(i.get(1), long);
        assert_eq!(i.get(3), "запад");
        for k in 0..10_000 {
            i.intern(&format!("t{k}"));
        }
        assert_eq!(i.intern("t77").0, 5 + 77);
        assert_eq!(i.len(), 10_005);
        // Every length class, including keys that differ only in the middle.
        let mut j = Interner::default();
        let words: Vec<String> = (1..40)
            .flat_map(|n| {
                (0..3u8).map(move |c| {
                    let mut w = vec![b'a'; n];
                    w[n / 2] = b'a' + c;
                    String::from_utf8(w).unwrap()
                })
            })
            .collect();
        let mut seen = std::collections::HashSet::new();
        for w in &words {
            assert_eq!(j.intern(w).1, seen.insert(w.clone()), "{w}");
        }
        for w in &words {
            let id = j.intern(w).0;
            assert_eq!(j.get(id), w);
        }
        assert_eq!(i.into_strings()[2].as_ref(), long2);
    }
}
