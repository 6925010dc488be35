//! A string interner for the counting hot loop.
//!
//! Table entries keep the first 16 bytes of their key inline, so looking up a
//! short token (most are) compares two machine words and never follows a
//! pointer; longer keys compare their tail in one contiguous byte arena.
//! Ids are dense, in order of first insertion. Cost: one hash and, on a hit,
//! one inline compare per lookup; 24 bytes per entry plus the arena.

use hashbrown::HashTable;

const INLINE: usize = 16;

#[derive(Clone, Copy)]
struct Entry {
    prefix: [u8; INLINE],
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
fn prefix_of(b: &[u8]) -> [u8; INLINE] {
    let mut p = [0u8; INLINE];
    let n = b.len().min(INLINE);
    p[..n].copy_from_slice(&b[..n]);
    p
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

    /// Id of `s`, and whether it was new.
    #[inline]
    pub fn intern(&mut self, s: &str) -> (u32, bool) {
        let b = s.as_bytes();
        let hash = self.hasher.hash_one(b);
        let prefix = prefix_of(b);
        let len = b.len() as u32;
        let (arena, starts) = (&self.arena, &self.starts);
        let eq = |e: &Entry| {
            e.len == len
                && e.prefix == prefix
                && (b.len() <= INLINE
                    || arena[starts[e.id as usize] + INLINE..starts[e.id as usize + 1]]
                        == b[INLINE..])
        };
        if let Some(e) = self.table.find(hash, eq) {
            return (e.id, false);
        }
        let id = self.len() as u32;
        self.arena.extend_from_slice(b);
        self.starts.push(self.arena.len());
        let hasher = &self.hasher;
        let (arena, starts) = (&self.arena, &self.starts);
        self.table
            .insert_unique(hash, Entry { prefix, len, id }, |e| {
                hasher.hash_one(&arena[starts[e.id as usize]..starts[e.id as usize + 1]])
            });
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
        assert_eq!(i.into_strings()[2].as_ref(), long2);
    }
}
