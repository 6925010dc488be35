//! Document-term counting with scikit-learn's semantics, in parallel.
//!
//! `count_fit` learns the vocabulary: each chunk of documents counts into a
//! chunk-local vocabulary, the local vocabularies are sorted and merged k-way
//! into one sorted vocabulary (scikit-learn's feature order), and each chunk's
//! rows are renumbered and sorted. Output never depends on the chunking or
//! the number of threads. Cost: one hash lookup per term plus
//! O(V_chunk log V_chunk) per chunk for the merge.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use ahash::AHashMap;
use rayon::prelude::*;

use crate::count::csr::Csr;
use crate::error::{invalid, CoreError, Result};
use crate::parallel::chunk_len;
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

/// Counts of one chunk against its own local vocabulary.
struct ChunkCounts {
    vocab: Vec<Box<str>>,
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

fn count_chunk<S: AsRef<str>>(
    docs: &[S],
    base: usize,
    analyzer: &WordAnalyzer,
) -> Result<ChunkCounts> {
    let mut map: AHashMap<Box<str>, u32> = AHashMap::new();
    let mut counter = RowCounter::default();
    let mut rows = empty_rows(0);
    let mut scratch = Scratch::default();
    for (k, doc) in docs.iter().enumerate() {
        analyzer
            .analyze(doc.as_ref(), &mut scratch, |term| {
                let id = match map.get(term) {
                    Some(&id) => id,
                    None => {
                        let id = map.len() as u32;
                        map.insert(term.into(), id);
                        counter.counts.push(0);
                        id
                    }
                };
                counter.add(id);
            })
            .map_err(|e| at_doc(e, base + k))?;
        counter.flush(&mut rows, false);
    }
    let mut vocab: Vec<Box<str>> = vec![Box::from(""); map.len()];
    for (term, id) in map {
        vocab[id as usize] = term;
    }
    rows.n_cols = vocab.len();
    Ok(ChunkCounts { vocab, rows })
}

/// Merges sorted chunk vocabularies; returns the global sorted vocabulary and, per chunk, local -> global ids.
fn merge_vocabularies(chunks: &[ChunkCounts]) -> (Vec<Box<str>>, Vec<Vec<u32>>) {
    let orders: Vec<Vec<u32>> = chunks
        .par_iter()
        .map(|c| {
            let mut order: Vec<u32> = (0..c.vocab.len() as u32).collect();
            order.sort_unstable_by(|&a, &b| c.vocab[a as usize].cmp(&c.vocab[b as usize]));
            order
        })
        .collect();
    let mut maps: Vec<Vec<u32>> = chunks.iter().map(|c| vec![0u32; c.vocab.len()]).collect();
    let mut heap: BinaryHeap<Reverse<(&str, usize, usize)>> = BinaryHeap::new();
    for (k, c) in chunks.iter().enumerate() {
        if let Some(&first) = orders[k].first() {
            heap.push(Reverse((&c.vocab[first as usize], k, 0)));
        }
    }
    let mut global: Vec<Box<str>> = Vec::new();
    while let Some(Reverse((term, k, pos))) = heap.pop() {
        if global.last().map(|g| &**g) != Some(term) {
            global.push(term.into());
        }
        let local = orders[k][pos];
        maps[k][local as usize] = (global.len() - 1) as u32;
        if let Some(&next) = orders[k].get(pos + 1) {
            heap.push(Reverse((&chunks[k].vocab[next as usize], k, pos + 1)));
        }
    }
    (global, maps)
}

/// Learns the sorted vocabulary of `docs` and counts them: scikit-learn's `CountVectorizer.fit_transform`
/// before pruning. Errors if no document yields a term.
pub fn count_fit<S: AsRef<str> + Sync>(
    docs: &[S],
    analyzer: &WordAnalyzer,
) -> Result<(Vec<Box<str>>, Csr<u32>)> {
    let size = chunk_len(docs.len());
    let chunks: Vec<ChunkCounts> = docs
        .par_chunks(size)
        .enumerate()
        .map(|(i, c)| count_chunk(c, i * size, analyzer))
        .collect::<Result<_>>()?;
    let (vocab, maps) = merge_vocabularies(&chunks);
    if vocab.is_empty() {
        return Err(invalid(
            "empty vocabulary; perhaps the documents only contain stop words",
        ));
    }
    let n_cols = vocab.len();
    let blocks: Vec<Csr<u32>> = chunks
        .into_par_iter()
        .zip(maps.into_par_iter())
        .map(|(chunk, map)| {
            let mut rows = chunk.rows;
            rows.n_cols = n_cols;
            let mut pairs: Vec<(u32, u32)> = Vec::new();
            for r in 0..rows.n_rows() {
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
    Ok((vocab, Csr::vstack(n_cols, blocks)))
}

/// Counts `docs` against a fixed vocabulary; terms outside it are ignored.
pub fn count_transform<S: AsRef<str> + Sync>(
    docs: &[S],
    analyzer: &WordAnalyzer,
    vocab: &FixedVocabulary,
) -> Result<Csr<u32>> {
    let size = chunk_len(docs.len());
    let n_cols = vocab.len();
    let blocks: Vec<Csr<u32>> = docs
        .par_chunks(size)
        .enumerate()
        .map(|(i, chunk)| {
            let mut counter = RowCounter {
                counts: vec![0; n_cols],
                touched: Vec::new(),
            };
            let mut rows = empty_rows(n_cols);
            let mut scratch = Scratch::default();
            for (k, doc) in chunk.iter().enumerate() {
                analyzer
                    .analyze(doc.as_ref(), &mut scratch, |term| {
                        if let Some(id) = vocab.get(term) {
                            counter.add(id);
                        }
                    })
                    .map_err(|e| at_doc(e, i * size + k))?;
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
        let v: Vec<&str> = vocab.iter().map(|s| &**s).collect();
        assert_eq!(v, ["and", "global", "majority", "the", "west"]);
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
    fn empty_vocabulary_is_an_error() {
        assert!(count_fit(&["a b", ""], &analyzer((1, 1))).is_err());
    }
}
