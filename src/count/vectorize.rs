//! Document-term counting with scikit-learn's semantics, in parallel.
//!
//! `count_fit` learns the vocabulary: chunks of about equal bytes count into
//! chunk-local vocabularies, which are merged through one hash map and sorted
//! once (scikit-learn's feature order); each chunk's rows are then renumbered
//! and sorted. Output never depends on the chunking or the number of threads.
//! Cost: one hash lookup per term, one per chunk-local term, one sort of V.

use ahash::AHashMap;
use rayon::prelude::*;

use crate::count::csr::Csr;
use crate::count::intern::Interner;
use crate::error::{invalid, CoreError, Result};
use crate::parallel::balanced_ranges;
use crate::text::analyzer::{Scratch, WordAnalyzer};

/// A vocabulary fixed in advance: term -> column.
#[derive(Debug, Clone, Default)]
pub struct FixedVocabulary {
    terms: Vec<Box<str>>,
    index: AHashMap<Box<str>, u32>,
}

impl FixedVocabulary {
    /// Terms in column order; duplicates are an error naming the term.
    pub fn new(terms: Vec<String>) -> Result<Self> {
        let mut index = AHashMap::with_capacity(terms.len());
        for (i, t) in terms.iter().enumerate() {
            if index.insert(t.clone().into_boxed_str(), i as u32).is_some() {
                return Err(invalid(format!("Duplicate term in vocabulary: {t:?}")));
            }
        }
        Ok(FixedVocabulary {
            terms: terms.into_iter().map(String::into_boxed_str).collect(),
            index,
        })
    }

    /// Terms in column order.
    pub fn terms(&self) -> &[Box<str>] {
        &self.terms
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there are no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Column of `term`, if present.
    pub fn get(&self, term: &str) -> Option<u32> {
        self.index.get(term).copied()
    }
}

/// Longest n-gram learned through token-id keys; longer ones use string keys.
pub const MAX_ID_NGRAM: usize = 4;

/// A term as the ids of its tokens, padded with `PAD`.
type Key = [u32; MAX_ID_NGRAM];
const PAD: u32 = u32::MAX;

/// A learned vocabulary, sorted as scikit-learn sorts features. N-grams are kept
/// as token-id tuples and only turned into strings when asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Terms {
    /// Terms as strings.
    Strings(Vec<Box<str>>),
    /// Terms as tuples of ids into `tokens` (sorted tokens), padded with `u32::MAX`.
    Grams {
        /// Distinct tokens, sorted.
        tokens: Vec<Box<str>>,
        /// One key per term, in term order.
        keys: Vec<[u32; MAX_ID_NGRAM]>,
    },
}

impl Terms {
    /// Number of terms.
    pub fn len(&self) -> usize {
        match self {
            Terms::Strings(v) => v.len(),
            Terms::Grams { keys, .. } => keys.len(),
        }
    }

    /// Whether there are no terms.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Term `i` as a string (n-gram tokens joined by one space).
    pub fn term(&self, i: usize) -> String {
        match self {
            Terms::Strings(v) => v[i].to_string(),
            Terms::Grams { tokens, keys } => {
                let mut s = String::new();
                for (k, &id) in keys[i].iter().take_while(|&&id| id != PAD).enumerate() {
                    if k > 0 {
                        s.push(' ');
                    }
                    s.push_str(&tokens[id as usize]);
                }
                s
            }
        }
    }

    /// All terms as strings.
    pub fn to_strings(&self) -> Vec<String> {
        (0..self.len())
            .into_par_iter()
            .map(|i| self.term(i))
            .collect()
    }

    /// The terms at `keep` (ascending).
    pub fn select(&self, keep: &[u32]) -> Terms {
        match self {
            Terms::Strings(v) => {
                Terms::Strings(keep.iter().map(|&k| v[k as usize].clone()).collect())
            }
            Terms::Grams { tokens, keys } => Terms::Grams {
                tokens: tokens.clone(),
                keys: keep.iter().map(|&k| keys[k as usize]).collect(),
            },
        }
    }
}

/// Counts of one chunk against its own local vocabulary.
struct ChunkCounts {
    /// Chunk-local terms: strings (string path) or token-id keys (id path).
    vocab: Vec<Box<str>>,
    keys: Vec<Key>,
    rows: Csr<u32>,
}

/// Dense per-chunk counter with a list of touched columns, reset per document.
#[derive(Default)]
struct RowCounter {
    counts: Vec<u32>,
    touched: Vec<u32>,
}

impl RowCounter {
    #[inline]
    fn add(&mut self, id: u32) {
        let c = &mut self.counts[id as usize];
        if *c == 0 {
            self.touched.push(id);
        }
        *c += 1;
    }

    /// Appends the current row (columns sorted if `sort`) to `rows` and resets.
    fn flush(&mut self, rows: &mut Csr<u32>, sort: bool) {
        if sort {
            self.touched.sort_unstable();
        }
        for &id in &self.touched {
            rows.indices.push(id);
            rows.data.push(self.counts[id as usize]);
            self.counts[id as usize] = 0;
        }
        self.touched.clear();
        rows.indptr.push(rows.indices.len());
    }
}

fn empty_rows(n_cols: usize) -> Csr<u32> {
    Csr {
        n_cols,
        indptr: vec![0],
        indices: Vec::new(),
        data: Vec::new(),
    }
}

/// Names the failing document in an analyzer error.
fn at_doc(e: CoreError, d: usize) -> CoreError {
    match e {
        CoreError::InvalidArgument(m) => CoreError::InvalidArgument(format!("document {d}: {m}")),
        other => other,
    }
}

/// String path: every term (n-grams joined) is hashed as a string.
fn count_chunk_strings<S: AsRef<str>>(
    docs: &[S],
    base: usize,
    analyzer: &WordAnalyzer,
) -> Result<ChunkCounts> {
    let mut map = Interner::default();
    let mut counter = RowCounter::default();
    let mut rows = empty_rows(0);
    let mut scratch = Scratch::default();
    for (k, doc) in docs.iter().enumerate() {
        crate::cancel::check()?;
        analyzer
            .analyze(doc.as_ref(), &mut scratch, |term| {
                let (id, new) = map.intern(term);
                if new {
                    counter.counts.push(0);
                }
                counter.add(id);
            })
            .map_err(|e| at_doc(e, base + k))?;
        counter.flush(&mut rows, false);
    }
    let vocab = map.into_strings();
    rows.n_cols = vocab.len();
    Ok(ChunkCounts {
        vocab,
        keys: Vec::new(),
        rows,
    })
}

/// Id path: tokens are interned once; n-grams (n >= 2) are keyed by token-id tuples.
/// Unigram columns are the token ids themselves; n-gram columns follow after all
/// tokens are known (they are renumbered once the chunk is done).
fn count_chunk_ids<S: AsRef<str>>(
    docs: &[S],
    base: usize,
    analyzer: &WordAnalyzer,
) -> Result<ChunkCounts> {
    let (min_n, max_n) = analyzer.ngram_range();
    let mut tok_map = Interner::default();
    let mut gram_map: AHashMap<Key, u32> = AHashMap::new();
    let mut grams: Vec<Key> = Vec::new();
    let mut uni = RowCounter::default();
    let mut multi = RowCounter::default();
    // About one distinct term per 10 bytes of text: reserve rows once, not by doubling.
    let bytes: usize = docs.iter().map(|d| d.as_ref().len()).sum();
    // Rows with unigram columns as token ids and n-gram columns tagged by the top bit.
    const GRAM: u32 = 1 << 31;
    let mut rows = empty_rows(0);
    rows.indptr.reserve(docs.len());
    rows.indices.reserve(bytes / 10 * max_n);
    rows.data.reserve(bytes / 10 * max_n);
    let mut scratch = Scratch::default();
    let mut seq: Vec<u32> = Vec::new();
    for (k, doc) in docs.iter().enumerate() {
        crate::cancel::check()?;
        seq.clear();
        analyzer
            .analyze_tokens(doc.as_ref(), &mut scratch, |t| {
                let (id, new) = tok_map.intern(t);
                if new {
                    uni.counts.push(0);
                }
                seq.push(id);
            })
            .map_err(|e| at_doc(e, base + k))?;
        if min_n == 1 {
            for &id in &seq {
                uni.add(id);
            }
        }
        for n in min_n.max(2)..=max_n {
            for w in seq.windows(n) {
                let mut key = [PAD; MAX_ID_NGRAM];
                key[..n].copy_from_slice(w);
                let id = match gram_map.get(&key) {
                    Some(&id) => id,
                    None => {
                        let id = grams.len() as u32;
                        gram_map.insert(key, id);
                        grams.push(key);
                        multi.counts.push(0);
                        id
                    }
                };
                multi.add(id);
            }
        }
        uni.flush(&mut rows, false);
        rows.indptr.pop();
        for &id in &multi.touched {
            rows.indices.push(id | GRAM);
            rows.data.push(multi.counts[id as usize]);
            multi.counts[id as usize] = 0;
        }
        multi.touched.clear();
        rows.indptr.push(rows.indices.len());
    }
    drop(gram_map);
    let n_tok = tok_map.len() as u32;
    let vocab = tok_map.into_strings();
    // Local columns: unigrams 0..n_tok when counted, then n-grams.
    let uni_cols = if min_n == 1 { n_tok } else { 0 };
    for j in rows.indices.iter_mut() {
        if *j & GRAM != 0 {
            *j = (*j & !GRAM) + uni_cols;
        }
    }
    let mut keys: Vec<Key> = Vec::with_capacity(uni_cols as usize + grams.len());
    if min_n == 1 {
        keys.extend((0..n_tok).map(|id| [id, PAD, PAD, PAD]));
    }
    keys.extend(grams);
    rows.n_cols = keys.len();
    Ok(ChunkCounts { vocab, keys, rows })
}

/// Sorts distinct strings; returns them sorted and each input's rank.
fn sort_distinct<'a>(distinct: &[&'a str]) -> (Vec<&'a str>, Vec<u32>) {
    let mut order: Vec<u32> = (0..distinct.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| distinct[a as usize].cmp(distinct[b as usize]));
    let mut rank = vec![0u32; distinct.len()];
    for (r, &g) in order.iter().enumerate() {
        rank[g as usize] = r as u32;
    }
    (order.iter().map(|&g| distinct[g as usize]).collect(), rank)
}

/// Merges chunk-local strings through one hash map; returns the sorted distinct
/// strings and, per chunk, local -> sorted global ids.
fn merge_strings(vocabs: Vec<&[Box<str>]>) -> (Vec<Box<str>>, Vec<Vec<u32>>) {
    let mut index: AHashMap<&str, u32> = AHashMap::new();
    let mut distinct: Vec<&str> = Vec::new();
    let unsorted: Vec<Vec<u32>> = vocabs
        .iter()
        .map(|v| {
            v.iter()
                .map(|t| {
                    *index.entry(&**t).or_insert_with(|| {
                        distinct.push(t);
                        (distinct.len() - 1) as u32
                    })
                })
                .collect()
        })
        .collect();
    let (sorted, rank) = sort_distinct(&distinct);
    let maps = unsorted
        .into_par_iter()
        .map(|m| m.into_iter().map(|g| rank[g as usize]).collect())
        .collect();
    (sorted.into_iter().map(Box::from).collect(), maps)
}

/// Distinct keys over all chunks, and per chunk the distinct id of each local key.
/// Parallel: keys are split into shards by hash; each shard deduplicates its own keys.
fn dedup_keys_sharded(chunks: &[Vec<Key>]) -> (Vec<Key>, Vec<Vec<u32>>) {
    let shards = rayon::current_num_threads().next_power_of_two();
    let hasher = ahash::RandomState::with_seeds(1, 2, 3, 4);
    let shard_ids: Vec<Vec<u16>> = chunks
        .par_iter()
        .map(|keys| {
            keys.iter()
                .map(|k| (hasher.hash_one(k) as usize & (shards - 1)) as u16)
                .collect()
        })
        .collect();
    // Per shard: its distinct keys, and per chunk the shard-local id of each of its keys (in order).
    let per_shard: Vec<(Vec<Key>, Vec<Vec<u32>>)> = (0..shards)
        .into_par_iter()
        .map(|sh| {
            let mut index: AHashMap<Key, u32> = AHashMap::new();
            let mut distinct: Vec<Key> = Vec::new();
            let hits = chunks
                .iter()
                .zip(&shard_ids)
                .map(|(keys, ids)| {
                    keys.iter()
                        .zip(ids)
                        .filter(|(_, &s)| s as usize == sh)
                        .map(|(k, _)| {
                            *index.entry(*k).or_insert_with(|| {
                                distinct.push(*k);
                                (distinct.len() - 1) as u32
                            })
                        })
                        .collect()
                })
                .collect();
            (distinct, hits)
        })
        .collect();
    let mut offsets = Vec::with_capacity(shards);
    let mut total = 0u32;
    for (d, _) in &per_shard {
        offsets.push(total);
        total += d.len() as u32;
    }
    let maps: Vec<Vec<u32>> = (0..chunks.len())
        .into_par_iter()
        .map(|c| {
            let mut cursor = vec![0usize; shards];
            shard_ids[c]
                .iter()
                .map(|&s| {
                    let s = s as usize;
                    let id = offsets[s] + per_shard[s].1[c][cursor[s]];
                    cursor[s] += 1;
                    id
                })
                .collect()
        })
        .collect();
    let distinct: Vec<Key> = per_shard.into_iter().flat_map(|(d, _)| d).collect();
    (distinct, maps)
}

/// Merges chunk-local n-gram keys: tokens first (sorted), then keys in token-rank order,
/// which equals the order of the space-joined strings when tokens hold no char <= U+0020.
fn merge_keys(chunks: &[ChunkCounts]) -> (Terms, Vec<Vec<u32>>) {
    let (tokens, tok_maps) = merge_strings(chunks.iter().map(|c| c.vocab.as_slice()).collect());
    // Chunk keys in global token ranks, shifted by one so padding (0) sorts first.
    let global_keys: Vec<Vec<Key>> = chunks
        .par_iter()
        .zip(tok_maps.par_iter())
        .map(|(c, m)| {
            c.keys
                .iter()
                .map(|k| {
                    let mut g = [0u32; MAX_ID_NGRAM];
                    for (slot, &id) in g.iter_mut().zip(k.iter()) {
                        if id != PAD {
                            *slot = m[id as usize] + 1;
                        }
                    }
                    g
                })
                .collect()
        })
        .collect();
    let (distinct, unsorted) = dedup_keys_sharded(&global_keys);
    // Sort (key, id) pairs in place: contiguous compares, no indirection.
    let mut pairs: Vec<(Key, u32)> = distinct.into_iter().zip(0u32..).collect();
    pairs.par_sort_unstable();
    let mut rank = vec![0u32; pairs.len()];
    for (r, &(_, g)) in pairs.iter().enumerate() {
        rank[g as usize] = r as u32;
    }
    let keys: Vec<Key> = pairs
        .into_iter()
        .map(|(mut k, _)| {
            for slot in k.iter_mut() {
                *slot = if *slot == 0 { PAD } else { *slot - 1 };
            }
            k
        })
        .collect();
    let maps = unsorted
        .into_par_iter()
        .map(|m| m.into_iter().map(|g| rank[g as usize]).collect())
        .collect();
    (Terms::Grams { tokens, keys }, maps)
}

/// Learns the sorted vocabulary of `docs` and counts them: scikit-learn's `CountVectorizer.fit_transform`
/// before pruning. Errors if no document yields a term.
pub fn count_fit<S: AsRef<str> + Sync>(
    docs: &[S],
    analyzer: &WordAnalyzer,
) -> Result<(Terms, Csr<u32>)> {
    let lens: Vec<usize> = docs.iter().map(|d| d.as_ref().len()).collect();
    let by_ids = analyzer.tokens_are_space_free() && analyzer.ngram_range().1 <= MAX_ID_NGRAM;
    // N-gram vocabularies are large and merged serially: fewer, larger chunks.
    let per_thread = if analyzer.ngram_range().1 > 1 { 2 } else { 4 };
    let ranges = balanced_ranges(&lens, 1 << 20, per_thread);
    let chunks: Vec<ChunkCounts> = ranges
        .into_par_iter()
        .map(|r| {
            let chunk = &docs[r.clone()];
            if by_ids {
                count_chunk_ids(chunk, r.start, analyzer)
            } else {
                count_chunk_strings(chunk, r.start, analyzer)
            }
        })
        .collect::<Result<_>>()?;
    crate::cancel::check()?;
    let (terms, maps) = if by_ids {
        merge_keys(&chunks)
    } else {
        let (v, m) = merge_strings(chunks.iter().map(|c| c.vocab.as_slice()).collect());
        (Terms::Strings(v), m)
    };
    if terms.is_empty() {
        return Err(invalid(
            "empty vocabulary; perhaps the documents only contain stop words",
        ));
    }
    crate::cancel::check()?;
    let n_cols = terms.len();
    let blocks: Vec<Csr<u32>> = chunks
        .into_par_iter()
        .zip(maps.into_par_iter())
        .map(|(chunk, map)| {
            let mut rows = chunk.rows;
            rows.n_cols = n_cols;
            let mut pairs: Vec<(u32, u32)> = Vec::new();
            for r in 0..rows.n_rows() {
                if r % 1024 == 0 && crate::cancel::requested() {
                    break; // the caller drops the result
                }
                let (a, b) = (rows.indptr[r], rows.indptr[r + 1]);
                pairs.clear();
                pairs.extend((a..b).map(|k| (map[rows.indices[k] as usize], rows.data[k])));
                pairs.sort_unstable_by_key(|p| p.0);
                for (k, (j, v)) in (a..b).zip(pairs.iter()) {
                    rows.indices[k] = *j;
                    rows.data[k] = *v;
                }
            }
            rows
        })
        .collect();
    crate::cancel::check()?;
    Ok((terms, Csr::vstack(n_cols, blocks)))
}

/// Counts `docs` against a fixed vocabulary; terms outside it are ignored.
pub fn count_transform<S: AsRef<str> + Sync>(
    docs: &[S],
    analyzer: &WordAnalyzer,
    vocab: &FixedVocabulary,
) -> Result<Csr<u32>> {
    let n_cols = vocab.len();
    let lens: Vec<usize> = docs.iter().map(|d| d.as_ref().len()).collect();
    let blocks: Vec<Csr<u32>> = balanced_ranges(&lens, 1 << 20, 4)
        .into_par_iter()
        .map(|r| {
            let (base, chunk) = (r.start, &docs[r]);
            let mut counter = RowCounter {
                counts: vec![0; n_cols],
                touched: Vec::new(),
            };
            let mut rows = empty_rows(n_cols);
            let mut scratch = Scratch::default();
            for (k, doc) in chunk.iter().enumerate() {
                crate::cancel::check()?;
                analyzer
                    .analyze(doc.as_ref(), &mut scratch, |term| {
                        if let Some(id) = vocab.get(term) {
                            counter.add(id);
                        }
                    })
                    .map_err(|e| at_doc(e, base + k))?;
                counter.flush(&mut rows, true);
            }
            Ok(rows)
        })
        .collect::<Result<_>>()?;
    Ok(Csr::vstack(n_cols, blocks))
}

/// Which columns survive scikit-learn's `min_df`/`max_df` pruning (document counts, inclusive bounds).
pub fn prune_columns(df: &[u32], min_count: f64, max_count: f64) -> Vec<u32> {
    (0..df.len() as u32)
        .filter(|&j| {
            let d = f64::from(df[j as usize]);
            d >= min_count && d <= max_count
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyzer::{StripAccents, TokenPattern};

    fn analyzer(ngram: (usize, usize)) -> WordAnalyzer {
        WordAnalyzer::new(true, StripAccents::None, TokenPattern::Default, None, ngram).unwrap()
    }

    #[test]
    fn fit_counts_sorted_vocab() {
        let docs = ["the West and the West", "", "Global Majority, west"];
        let (vocab, m) = count_fit(&docs, &analyzer((1, 1))).unwrap();
        assert_eq!(
            vocab.to_strings(),
            ["and", "global", "majority", "the", "west"]
        );
        assert_eq!(m.indptr, [0, 3, 3, 6]);
        assert_eq!(m.indices, [0, 3, 4, 1, 2, 4]);
        assert_eq!(m.data, [1, 2, 2, 1, 1, 1]);
        assert_eq!(m.column_nnz(), [1, 1, 1, 1, 2]);
    }

    #[test]
    fn chunking_does_not_change_result() {
        let docs: Vec<String> = (0..5000)
            .map(|i| format!("w{} w{} common x{}", i % 97, i % 13, i))
            .collect();
        let a = count_fit(&docs, &analyzer((1, 2))).unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let b = pool.install(|| count_fit(&docs, &analyzer((1, 2))).unwrap());
        assert_eq!(a, b);
    }

    #[test]
    fn transform_with_fixed_vocab() {
        let vocab = FixedVocabulary::new(vec!["west".into(), "global".into()]).unwrap();
        let m = count_transform(&["Global west WEST east"], &analyzer((1, 1)), &vocab).unwrap();
        assert_eq!(m.indices, [0, 1]);
        assert_eq!(m.data, [2, 1]);
        assert!(FixedVocabulary::new(vec!["a".into(), "a".into()]).is_err());
    }

    #[test]
    fn id_path_equals_string_path() {
        let docs: Vec<String> = (0..3000)
            .map(|i| format!("a{} b ab a{} ab_c b", i % 7, i % 11))
            .collect();
        for ngram in [(1, 2), (2, 3), (1, 4), (3, 4)] {
            let (t1, m1) = count_fit(&docs, &analyzer(ngram)).unwrap();
            let custom = WordAnalyzer::new(
                true,
                StripAccents::None,
                TokenPattern::new(r"\w\w+").unwrap(),
                None,
                ngram,
            )
            .unwrap();
            let (t2, m2) = count_fit(&docs, &custom).unwrap();
            assert!(matches!(t1, Terms::Grams { .. }) && matches!(t2, Terms::Strings(_)));
            assert_eq!(t1.to_strings(), t2.to_strings());
            assert_eq!(m1, m2);
        }
    }

    #[test]
    fn empty_vocabulary_is_an_error() {
        assert!(count_fit(&["a b", ""], &analyzer((1, 1))).is_err());
    }
}
