//! A string interner for the tokenizing and counting hot loops (in `text`, below
//! `count`, so both use it without a cycle between the layers).
//!
//! An open-addressing table (linear probing, at most half full) of 32-byte
//! slots aligned to their size, two to a cache line, so a lookup reads one line
//! (40-byte slots with a stored hash straddled two lines half the time: counting
//! short posts was 8-10% slower). A slot keeps its key's id, its length and a 24-byte
//! summary: for keys of at most 24 bytes (12 Cyrillic letters) the summary *is*
//! the key (overlapping word loads), so looking up a token (most are that short)
//! touches one slot and compares words, with no pointer chase and no `memcmp`.
//! Longer keys also compare their bytes in one contiguous arena. No hash is kept:
//! growing the table hashes each key again from its summary (or its bytes, if long).
//! [`Interner::intern_each`], [`Interner::count_each`] and the read-only
//! [`Interner::find_each`] hash a few tokens ahead and prefetch their slots, so the
//! cache misses of a large vocabulary overlap instead of queueing; `count_each` keeps
//! per-document counts in the slots themselves (24 bits, spilling past that). Ids are dense, in order of first
//! insertion.

/// Keys up to this many bytes are compared through their summary alone.
const INLINE: usize = 24;
/// Tokens hashed (and their slots prefetched) ahead of the one being looked up.
const AHEAD: usize = 8;

/// One table slot, never across two cache lines; `id_plus1 == 0` marks it empty.
#[derive(Clone, Copy, Default)]
#[repr(C, align(32))]
struct Slot {
    summary: (u64, u64, u64),
    /// The key's length, at most 255 (`LEN_MASK`; longer keys compare their bytes), and
    /// above it ([`COUNT_ONE`] a unit) a per-document count for [`Interner::count_each`].
    len_count: u32,
    id_plus1: u32,
}

/// The bits of [`Slot::len_count`] that hold the length.
const LEN_MASK: u32 = 0xff;
/// One in the count bits of [`Slot::len_count`].
const COUNT_ONE: u32 = LEN_MASK + 1;
/// The largest count the slot holds; counts past it spill to [`Interner::spilled`].
const COUNT_MAX: u32 = u32::MAX >> 8;

impl Slot {
    fn len_bits(&self) -> u32 {
        self.len_count & LEN_MASK
    }

    fn count(&self) -> u32 {
        self.len_count >> 8
    }
}

/// Strings to dense ids and back.
pub struct Interner {
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`: a slot index is the top bits of the hash.
    shift: u32,
    /// The strings by id (read through `Deref`: `len`, `get`).
    strings: InternedStrings,
    /// Per id, the part of a per-document count its slot could not hold (a term
    /// repeated over 16.7 million times in one document).
    spilled: ahash::AHashMap<u32, u32>,
    hasher: ahash::RandomState,
}

impl Default for Interner {
    fn default() -> Self {
        const INITIAL: usize = 1024;
        Interner {
            slots: vec![Slot::default(); INITIAL],
            shift: 64 - INITIAL.trailing_zeros(),
            strings: InternedStrings::default(),
            spilled: ahash::AHashMap::new(),
            hasher: ahash::RandomState::with_seeds(0x5eed, 0xf00d, 0xcafe, 0xbeef),
        }
    }
}

/// Strings by id, one after another in one arena (no allocation per string): an
/// interner's strings without their lookup table, or a learned vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternedStrings {
    arena: Vec<u8>,
    /// Start of each id's bytes in `arena`; `starts[id + 1]` ends it.
    starts: Vec<usize>,
}

impl Default for InternedStrings {
    fn default() -> Self {
        InternedStrings {
            arena: Vec::new(),
            starts: vec![0],
        }
    }
}

impl<'a> FromIterator<&'a str> for InternedStrings {
    fn from_iter<I: IntoIterator<Item = &'a str>>(strs: I) -> Self {
        let mut out = InternedStrings::default();
        for s in strs {
            out.push(s.as_bytes());
        }
        out
    }
}

impl InternedStrings {
    /// Number of strings.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The string with id `id`.
    pub fn get(&self, id: u32) -> &str {
        // SAFETY: the arena only holds bytes copied from `&str`s, one whole string per id.
        unsafe { std::str::from_utf8_unchecked(self.bytes(id)) }
    }

    /// The strings in id order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len() as u32).map(|id| self.get(id))
    }

    /// `strs` in the order of `order` (indices into it), copied on every thread.
    pub fn gather(strs: &[&str], order: &[u32]) -> Self {
        use rayon::prelude::*;
        let parts: Vec<InternedStrings> = order
            .par_chunks(1 << 14)
            .map(|part| part.iter().map(|&i| strs[i as usize]).collect())
            .collect();
        let bytes = parts.iter().map(|p| p.arena.len()).sum();
        let mut out = InternedStrings {
            arena: Vec::with_capacity(bytes),
            starts: Vec::with_capacity(order.len() + 1),
        };
        out.starts.push(0);
        for p in parts {
            let base = out.arena.len();
            out.arena.extend_from_slice(&p.arena);
            out.starts.extend(p.starts[1..].iter().map(|&e| base + e));
        }
        out
    }

    fn bytes(&self, id: u32) -> &[u8] {
        &self.arena[self.starts[id as usize]..self.starts[id as usize + 1]]
    }

    fn push(&mut self, b: &[u8]) {
        self.arena.extend_from_slice(b);
        self.starts.push(self.arena.len());
    }
}

impl std::ops::Deref for Interner {
    type Target = InternedStrings;

    fn deref(&self) -> &InternedStrings {
        &self.strings
    }
}

/// A table [`each_prepared`] hashes ahead for: an interner, or a shared borrow of one.
trait Table {
    /// The interner whose table is probed.
    fn table(&self) -> &Interner;
}

impl Table for Interner {
    #[inline(always)]
    fn table(&self) -> &Interner {
        self
    }
}

impl Table for &Interner {
    #[inline(always)]
    fn table(&self) -> &Interner {
        self
    }
}

/// Calls `visit` on each string of `strs` in order, prepared (hashed) `AHEAD` strings
/// in advance with its slot in `t`'s table prefetched (the table `visit` may have grown
/// is the one prefetched next).
#[inline(always)]
fn each_prepared<'a, T: Table>(
    t: &mut T,
    strs: impl Iterator<Item = &'a str>,
    mut visit: impl FnMut(&mut T, Prepared<'a>),
) {
    let mut strs = strs.fuse();
    let mut ring = [Prepared {
        bytes: &[],
        summary: (0, 0, 0),
        hash: 0,
    }; AHEAD];
    let mut filled = 0;
    for slot in ring.iter_mut() {
        let Some(s) = strs.next() else { break };
        *slot = t.table().prepare(s);
        t.table().prefetch(slot.hash);
        filled += 1;
    }
    let mut at = 0;
    while filled > 0 {
        let k = ring[at];
        match strs.next() {
            Some(s) => {
                let next = t.table().prepare(s);
                t.table().prefetch(next.hash);
                ring[at] = next;
            }
            None => filled -= 1,
        }
        visit(t, k);
        at = (at + 1) % AHEAD;
    }
}

/// A key ready for lookup: its bytes, summary and hash.
#[derive(Clone, Copy)]
struct Prepared<'a> {
    bytes: &'a [u8],
    summary: (u64, u64, u64),
    hash: u64,
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

/// Three words that, with the length, identify a key of at most 24 bytes exactly
/// (overlapping loads of its first and last bytes); for longer keys, its first 24 bytes.
#[inline]
fn summary(b: &[u8]) -> (u64, u64, u64) {
    let n = b.len();
    if n >= 16 {
        // Bytes 0..16, then the last 8 of the first 24 (all of a key of at most 24 bytes).
        (load8(b, 0), load8(b, 8), load8(b, n.min(INLINE) - 8))
    } else if n >= 8 {
        (load8(b, 0), load8(b, n - 8), 0)
    } else if n >= 4 {
        (load4(b, 0) | (load4(b, n - 4) << 32), 0, 0)
    } else {
        let mut w = 0u64;
        for (i, &x) in b.iter().enumerate() {
            w |= u64::from(x) << (8 * i);
        }
        (w, 0, 0)
    }
}

/// Hash of a short key from its summary: three multiply-mix rounds.
#[inline]
fn mix(s: (u64, u64, u64), len: u32) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let a = (s.0 ^ u64::from(len)).wrapping_mul(K);
    let b = (s.1 ^ a.rotate_left(29)).wrapping_mul(K);
    let c = (s.2 ^ b.rotate_left(29)).wrapping_mul(K);
    c ^ (c >> 32)
}

impl Interner {
    #[inline]
    fn hash(hasher: &ahash::RandomState, b: &[u8], s: (u64, u64, u64)) -> u64 {
        if b.len() <= INLINE {
            mix(s, b.len() as u32)
        } else {
            hasher.hash_one(b)
        }
    }

    #[inline]
    fn prepare<'a>(&self, s: &'a str) -> Prepared<'a> {
        let bytes = s.as_bytes();
        let summary = summary(bytes);
        Prepared {
            bytes,
            summary,
            hash: Self::hash(&self.hasher, bytes, summary),
        }
    }

    /// Asks the CPU to fetch the slot where a lookup of `hash` starts (one cache line).
    #[inline]
    fn prefetch(&self, hash: u64) {
        let i = (hash >> self.shift) as usize;
        crate::memory::prefetch(self.slots.as_ptr().wrapping_add(i));
    }

    /// Where `k` is: `Ok((slot, id))`, or `Err(slot)`, the empty slot where it would go.
    #[inline(always)]
    fn probe(&self, k: Prepared<'_>) -> std::result::Result<(usize, u32), usize> {
        let len = k.bytes.len() as u32;
        let mask = self.slots.len() - 1;
        let mut i = (k.hash >> self.shift) as usize;
        loop {
            debug_assert!(i < self.slots.len());
            // SAFETY: `slots.len()` is `2^(64 - shift)` (a power of two, kept so by
            // `grow`): the first index, the top `64 - shift` bits of the hash, is below
            // it, and each later one is masked by `slots.len() - 1`.
            let slot = unsafe { self.slots.get_unchecked(i) };
            if slot.id_plus1 == 0 {
                return Err(i);
            }
            if slot.summary.0 == k.summary.0
                && slot.len_bits() == len.min(LEN_MASK)
                && slot.summary == k.summary
                && (k.bytes.len() <= INLINE || self.bytes(slot.id_plus1 - 1) == k.bytes)
            {
                return Ok((i, slot.id_plus1 - 1));
            }
            i = (i + 1) & mask;
        }
    }

    /// Slot index of `k` and its id, inserting it if new (then `true`).
    #[inline(always)]
    fn lookup(&mut self, k: Prepared<'_>, touched: &mut Vec<u32>) -> (usize, u32, bool) {
        match self.probe(k) {
            Ok((i, id)) => (i, id, false),
            Err(i) => self.insert(k, i, touched),
        }
    }

    /// Inserts `k` at the empty slot `i` (growing the table if it is half full).
    #[inline(never)]
    fn insert(&mut self, k: Prepared<'_>, i: usize, touched: &mut Vec<u32>) -> (usize, u32, bool) {
        let id = self.len() as u32;
        self.strings.push(k.bytes);
        self.slots[i] = Slot {
            summary: k.summary,
            len_count: k.bytes.len().min(LEN_MASK as usize) as u32,
            id_plus1: id + 1,
        };
        if self.len() * 2 > self.slots.len() {
            self.grow(touched);
            let (i, _, _) = self.lookup(k, touched);
            return (i, id, true);
        }
        (i, id, true)
    }

    /// Doubles the table and reinserts every slot; `touched` (slots with a count) is rebuilt.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, touched: &mut Vec<u32>) {
        let n = self.slots.len() * 2;
        let old = std::mem::replace(
            &mut self.slots,
            crate::memory::huge_page_vec(n, Slot::default()),
        );
        self.shift -= 1;
        let mask = n - 1;
        touched.clear();
        // A slot's index is the top bits of its hash, made again from the summary (the
        // key itself, for keys of at most 24 bytes). The old table is in hash order (but
        // for probe runs), so the writes go through the new one in order too.
        for slot in old.into_iter().filter(|s| s.id_plus1 != 0) {
            let len = slot.len_bits();
            let hash = if len as usize <= INLINE {
                mix(slot.summary, len)
            } else {
                self.hasher.hash_one(self.strings.bytes(slot.id_plus1 - 1))
            };
            let mut i = (hash >> self.shift) as usize;
            while self.slots[i].id_plus1 != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
            if slot.count() > 0 {
                touched.push(i as u32);
            }
        }
    }

    /// Id of `s`, and whether it was new.
    #[inline]
    pub fn intern(&mut self, s: &str) -> (u32, bool) {
        let k = self.prepare(s);
        let (_, id, new) = self.lookup(k, &mut Vec::new());
        (id, new)
    }

    /// Interns each string of `strs` in order, calling `f(id, new)` for each. Same
    /// result as calling [`Interner::intern`] on each, but hashes run ahead of the
    /// lookups and prefetch their slots.
    #[inline]
    pub fn intern_each<'a>(
        &mut self,
        strs: impl Iterator<Item = &'a str>,
        mut f: impl FnMut(u32, bool),
    ) {
        let mut none = Vec::new();
        each_prepared(self, strs, |me, k| {
            let (_, id, new) = me.lookup(k, &mut none);
            f(id, new);
        });
    }

    /// Calls `f` with the id of each string of `strs` in order, or `None` for one not
    /// interned; reads the table only (threads may share it), hashing ahead as
    /// [`Interner::intern_each`] does.
    #[inline]
    pub fn find_each<'a>(
        &self,
        strs: impl Iterator<Item = &'a str>,
        mut f: impl FnMut(Option<u32>),
    ) {
        let mut me = self;
        each_prepared(&mut me, strs, |me, k| f(me.probe(k).ok().map(|(_, id)| id)));
    }

    /// Counts each string of `strs` (interning new ones) in the table itself: the
    /// slots whose count became non-zero are pushed to `touched` (as slot numbers, in
    /// no particular order). [`Interner::drain_counts`] reads and resets them.
    #[inline]
    pub fn count_each<'a>(&mut self, strs: impl Iterator<Item = &'a str>, touched: &mut Vec<u32>) {
        each_prepared(self, strs, |me, k| {
            let (i, _, _) = me.lookup(k, touched);
            // SAFETY: `lookup` returns an index into `slots`.
            let slot = unsafe { me.slots.get_unchecked_mut(i) };
            match slot.count() {
                0 => touched.push(i as u32),
                COUNT_MAX => {
                    // Keep 1 in the slot (it stays touched), the rest aside.
                    *me.spilled.entry(slot.id_plus1 - 1).or_insert(0) += COUNT_MAX - 1;
                    slot.len_count = slot.len_bits() | COUNT_ONE;
                }
                _ => {}
            }
            slot.len_count += COUNT_ONE;
        });
    }

    /// Calls `f(id, count)` for each slot in `touched`, resets their counts and clears `touched`.
    #[inline]
    pub fn drain_counts(&mut self, touched: &mut Vec<u32>, mut f: impl FnMut(u32, u32)) {
        for &i in touched.iter() {
            let slot = &mut self.slots[i as usize];
            let id = slot.id_plus1 - 1;
            let spilled = if self.spilled.is_empty() {
                0
            } else {
                self.spilled.remove(&id).unwrap_or(0)
            };
            f(id, slot.count() + spilled);
            slot.len_count = slot.len_bits();
        }
        touched.clear();
    }

    /// The strings without the lookup table (which takes most of the memory):
    /// for holding a finished vocabulary until it is merged.
    pub fn into_strings_only(self) -> InternedStrings {
        self.strings
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
    fn gathered_strings_follow_the_order_across_parts() {
        // More strings than one part of the parallel copy (16,384), some empty, some long.
        let owned: Vec<String> = (0..40_000)
            .map(|i| match i % 4 {
                0 => String::new(),
                1 => format!("Запад{i}"),
                2 => "x".repeat(i % 97),
                _ => format!("term {i}"),
            })
            .collect();
        let strs: Vec<&str> = owned.iter().map(String::as_str).collect();
        let mut next = crate::testing::lcg(3);
        let order: Vec<u32> = (0..35_000).map(|_| (next() % strs.len()) as u32).collect();
        let got = InternedStrings::gather(&strs, &order);
        assert_eq!(got.len(), order.len());
        let want: Vec<&str> = order.iter().map(|&i| strs[i as usize]).collect();
        assert_eq!(got.iter().collect::<Vec<_>>(), want);
        assert_eq!(got, want.iter().copied().collect::<InternedStrings>());
        assert!(InternedStrings::gather(&strs, &[]).is_empty());
    }

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

    #[test]
    fn long_keys_that_share_their_start_stay_distinct() {
        let mut i = Interner::default();
        let a = "я".repeat(40_000); // 80,000 bytes
        let b = format!("{a}я");
        let c = format!("{a}z");
        assert_eq!(i.intern(&a), (0, true));
        assert_eq!(i.intern(&b), (1, true));
        assert_eq!(i.intern(&c), (2, true));
        assert_eq!(i.intern(&b), (1, false));
        assert_eq!(i.get(2), c);
    }

    #[test]
    fn intern_each_equals_intern() {
        // Enough distinct keys to grow the table several times, short and long, repeated.
        let words: Vec<String> = (0..20_000u32)
            .map(|i| {
                let k = i.wrapping_mul(2_654_435_761) % 7_000;
                if k % 3 == 0 {
                    format!("long-key-number-{k}-over-sixteen")
                } else {
                    format!("w{k}")
                }
            })
            .collect();
        for n in [0, 1, AHEAD - 1, AHEAD, AHEAD + 1, words.len()] {
            let (mut a, mut b) = (Interner::default(), Interner::default());
            let expected: Vec<(u32, bool)> = words[..n].iter().map(|w| a.intern(w)).collect();
            let mut got = Vec::new();
            b.intern_each(words[..n].iter().map(|w| w.as_str()), |id, new| {
                got.push((id, new))
            });
            assert_eq!(got, expected, "{n} keys");
            let distinct: std::collections::HashSet<&String> = words[..n].iter().collect();
            assert_eq!(got.iter().filter(|g| g.1).count(), distinct.len());
            assert_eq!(b.len(), a.len());
        }
    }

    #[test]
    fn find_each_reads_without_interning() {
        // Keys of every length class (the summary alone up to 24 bytes, the arena past it),
        // some differing only in their middle or last byte; 5,000 grow the table.
        let mut keys: Vec<String> = (0..5_000).map(|k| format!("w{k}")).collect();
        keys.extend([
            "многополярный".to_string(),
            "a-very-long-token-over-24-bytes-x".to_string(),
            "ab".to_string(),
            "abcdefghijklmnopqrstuvwx".to_string(),
        ]);
        let mut i = Interner::default();
        for k in &keys {
            i.intern(k);
        }
        let n = i.len();
        let probes = [
            "w0",
            "w4999",
            "w5000",
            "многополярный",
            "многополярныя",
            "a-very-long-token-over-24-bytes-x",
            "a-very-long-token-over-24-bytes-y",
            "a-very-long-token-xver-24-bytes-x",
            "ab",
            "a",
            "",
            "abcdefghijklmnopqrstuvwx",
            "abcdefghijklmnopqrstuvwy",
            "abcdefghijk_mnopqrstuvwx",
        ];
        let mut got = Vec::new();
        let shared = &i;
        shared.find_each(probes.iter().copied(), |id| got.push(id));
        let want: Vec<Option<u32>> = probes
            .iter()
            .map(|p| keys.iter().position(|k| k == p).map(|id| id as u32))
            .collect();
        assert_eq!(got, want);
        assert_eq!(want.iter().flatten().count(), 6);
        assert_eq!(i.len(), n, "nothing interned");
    }

    #[test]
    fn counts_past_a_slot_s_24_bits_spill_and_stay_exact() {
        // One document: "aa" more than twice the count a slot holds (it spills twice),
        // "bb" once in the middle; the table grows during the document too.
        let max = COUNT_MAX as usize;
        let mut i = Interner::default();
        let mut touched = Vec::new();
        let fillers: Vec<String> = (0..3_000).map(|k| format!("f{k}")).collect();
        let doc = std::iter::repeat_n("aa", max + 5)
            .chain(["bb"])
            .chain(fillers.iter().map(String::as_str))
            .chain(std::iter::repeat_n("aa", max));
        i.count_each(doc, &mut touched);
        let mut got = Vec::new();
        i.drain_counts(&mut touched, |id, c| got.push((id, c)));
        got.sort_unstable();
        assert_eq!(got.len(), 3_002);
        assert_eq!(got[0], (0, 2 * COUNT_MAX + 5));
        assert_eq!(got[1], (1, 1));
        assert!(got[2..].iter().all(|&(_, c)| c == 1));
        // The next document starts from zero: nothing spilled is left over.
        i.count_each(["aa", "bb", "aa"].into_iter(), &mut touched);
        let mut next = Vec::new();
        i.drain_counts(&mut touched, |id, c| next.push((id, c)));
        next.sort_unstable();
        assert_eq!(next, [(0, 2), (1, 1)]);
    }

    #[test]
    fn count_each_counts_per_document_across_growth() {
        // 3,000 distinct keys in one document grow the table from 1,024 slots mid-count.
        let doc: Vec<String> = (0..9_000u32).map(|i| format!("k{}", i % 3_000)).collect();
        let mut i = Interner::default();
        let mut touched = Vec::new();
        for round in 0..2 {
            i.count_each(doc.iter().map(|s| s.as_str()), &mut touched);
            let mut got = Vec::new();
            i.drain_counts(&mut touched, |id, c| got.push((id, c)));
            got.sort_unstable();
            let expected: Vec<(u32, u32)> = (0..3_000).map(|id| (id, 3)).collect();
            assert_eq!(got, expected, "round {round}");
            assert!(touched.is_empty());
        }
        assert_eq!(i.intern("k7"), (7, false));
        assert_eq!(i.intern("new"), (3_000, true));
    }
}
