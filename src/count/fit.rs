//! Learning a vocabulary and counting in one pass: scikit-learn's `fit_transform`.
//!
//! Documents are cut into chunks of about equal bytes. Each rayon worker keeps
//! one vocabulary for all the chunks it takes (so a term is inserted once per
//! worker, not once per chunk) and writes each chunk's rows in its local ids.
//! The workers' vocabularies are then merged in parallel (the others' terms looked
//! up in the largest one's table, the terms it lacks deduplicated by hash shards) and
//! sorted once (scikit-learn's feature order); the blocks of rows stay as counted,
//! with each worker's map to the sorted vocabulary ([`CountRows`]), until they are
//! laid out. Output never depends on the chunking or the number of threads.

use std::sync::Mutex;

use ahash::AHashMap;
use rayon::prelude::*;

use crate::count::csr::Csr;
use crate::count::rows::{CountRows, RowBlock, GRAM};
use crate::count::vectorize::{at_doc, RowCounter, Terms, MAX_ID_NGRAM};
use crate::error::{CoreError, Result};
use crate::merge::{byte_order_prefix, dedup_sharded};
use crate::parallel::balanced_ranges;
use crate::text::analyzer::{Scratch, WordAnalyzer};
use crate::text::code_points::Document;
use crate::text::intern::{InternedStrings, Interner};

/// A term as the ids of its tokens, padded with `NO_ID`.
type Key = [u32; MAX_ID_NGRAM];
use crate::ids::NO_ID;

/// One worker's state: its vocabulary, counters and the row blocks it has counted.
struct Worker {
    /// Tokens (id path) or whole terms (string path).
    tokens: Interner,
    /// Id path: n-gram keys (local token ids) -> n-gram id.
    gram_index: AHashMap<Key, u32>,
    grams: Vec<Key>,
    uni: RowCounter,
    multi: RowCounter,
    scratch: Scratch,
    /// A document's text when it must be encoded first (see [`Document`]).
    text: String,
    seq: Vec<u32>,
    /// (first document, rows in local columns), in the order counted.
    blocks: Vec<(usize, Csr<u32>)>,
}

impl Worker {
    fn new() -> Self {
        Worker {
            tokens: Interner::default(),
            gram_index: AHashMap::new(),
            grams: Vec::new(),
            uni: RowCounter::default(),
            multi: RowCounter::default(),
            scratch: Scratch::default(),
            text: String::new(),
            seq: Vec::new(),
            blocks: Vec::new(),
        }
    }

    /// Rows for `docs`, reserved for about one distinct term per 10 bytes per n.
    fn new_rows<S: Document>(docs: &[S], n_per_token: usize) -> Csr<u32> {
        let bytes: usize = docs.iter().map(Document::size).sum();
        let mut rows = Csr {
            n_cols: 0,
            indptr: Vec::with_capacity(docs.len() + 1),
            indices: Vec::with_capacity(bytes / 10 * n_per_token),
            data: Vec::with_capacity(bytes / 10 * n_per_token),
        };
        rows.indptr.push(0);
        rows
    }

    /// String path: every term (n-grams joined by a space) is interned as a string.
    fn count_strings<S: Document>(
        &mut self,
        docs: &[S],
        base: usize,
        analyzer: &WordAnalyzer,
    ) -> Result<()> {
        let mut rows = Self::new_rows(docs, analyzer.ngram_range().1);
        let Worker {
            tokens,
            uni,
            scratch,
            text,
            ..
        } = self;
        for (k, doc) in docs.iter().enumerate() {
            crate::cancel::check()?;
            analyzer
                .analyze(doc.text(text), scratch, |term| {
                    let (id, new) = tokens.intern(term);
                    if new {
                        uni.counts.push(0);
                    }
                    uni.add(id);
                })
                .map_err(|e| at_doc(e, base + k))?;
            uni.flush(&mut rows, false);
        }
        self.blocks.push((base, rows));
        Ok(())
    }

    /// Id path: tokens are interned once; n-grams (n >= 2) are keyed by token-id
    /// tuples and written to the rows tagged with `GRAM`.
    fn count_ids<S: Document>(
        &mut self,
        docs: &[S],
        base: usize,
        analyzer: &WordAnalyzer,
    ) -> Result<()> {
        let (min_n, max_n) = analyzer.ngram_range();
        let mut rows = Self::new_rows(docs, max_n);
        let Worker {
            tokens,
            gram_index,
            grams,
            uni,
            multi,
            scratch,
            text,
            seq,
            ..
        } = self;
        for (k, doc) in docs.iter().enumerate() {
            crate::cancel::check()?;
            if max_n == 1 {
                // Unigrams only: count as the tokens come.
                let toks = analyzer
                    .tokens(doc.text(text), scratch)
                    .map_err(|e| at_doc(e, base + k))?;
                tokens.count_each(toks, &mut uni.touched);
                tokens.drain_counts(&mut uni.touched, |id, count| {
                    rows.indices.push(id);
                    rows.data.push(count);
                });
                rows.indptr.push(rows.indices.len());
                continue;
            }
            seq.clear();
            let toks = analyzer
                .tokens(doc.text(text), scratch)
                .map_err(|e| at_doc(e, base + k))?;
            tokens.intern_each(toks, |id, new| {
                if new {
                    uni.counts.push(0);
                }
                seq.push(id);
            });
            if min_n == 1 {
                for &id in seq.iter() {
                    uni.add(id);
                }
            }
            for n in min_n.max(2)..=max_n {
                for w in seq.windows(n) {
                    let mut key = [NO_ID; MAX_ID_NGRAM];
                    key[..n].copy_from_slice(w);
                    let id = *gram_index.entry(key).or_insert_with(|| {
                        grams.push(key);
                        multi.counts.push(0);
                        (grams.len() - 1) as u32
                    });
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
        self.blocks.push((base, rows));
        Ok(())
    }
}

/// Each distinct string's rank in byte order, and the order itself. Sorted by their first 8 bytes as a
/// big-endian integer (zero-padded; a shorter string sorts first, as zero is the
/// least byte), comparing whole strings only where those are equal.
fn string_ranks(distinct: &[&str]) -> (Vec<u32>, Vec<u32>) {
    let mut keyed: Vec<(u64, u32)> = distinct
        .par_iter()
        .enumerate()
        .map(|(i, s)| (byte_order_prefix(s), i as u32))
        .collect();
    keyed.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| distinct[a.1 as usize].cmp(distinct[b.1 as usize]))
    });
    let mut rank = vec![0u32; distinct.len()];
    for (r, &(_, g)) in keyed.iter().enumerate() {
        rank[g as usize] = r as u32;
    }
    (rank, keyed.into_iter().map(|(_, g)| g).collect())
}

/// Per list, each local id's rank in the sorted distinct values.
fn ranked_maps(unsorted: Vec<Vec<u32>>, rank: &[u32]) -> Vec<Vec<u32>> {
    unsorted
        .into_par_iter()
        .map(|m| m.into_iter().map(|g| rank[g as usize]).collect())
        .collect()
}

/// Merges the workers' strings: the sorted distinct strings and, per worker,
/// local id -> position in them.
fn merge_strings(vocabs: &[&Interner]) -> (InternedStrings, Vec<Vec<u32>>) {
    let (distinct, unsorted) = distinct_strings(vocabs);
    let (rank, order) = string_ranks(&distinct);
    let sorted = InternedStrings::gather(&distinct, &order);
    (sorted, ranked_maps(unsorted, &rank))
}

/// Strings looked up per task when merging vocabularies.
const FIND_CHUNK: usize = 1 << 14;

/// The distinct strings over the workers' vocabularies (in no particular order) and,
/// per worker, local id -> index in them. The largest vocabulary is the base: the
/// others' strings are looked up in its table, on every thread (a lookup compares a
/// string of up to 24 bytes in the slot itself, reading no string), and only the
/// strings it lacks are deduplicated by hash shards.
fn distinct_strings<'v>(vocabs: &[&'v Interner]) -> (Vec<&'v str>, Vec<Vec<u32>>) {
    let Some(base) = (0..vocabs.len()).max_by_key(|&w| (vocabs[w].len(), std::cmp::Reverse(w)))
    else {
        return (Vec::new(), Vec::new());
    };
    let table = vocabs[base];
    let n_base = table.len() as u32;
    // Per worker: each local id's id in the base, or NO_ID where the base lacks it.
    // One parallel pass over every worker's chunks (not one join per worker: with 16
    // threads, 16 vocabularies of a few chunks each left most threads waiting).
    let mut maps: Vec<Vec<u32>> = vocabs
        .iter()
        .enumerate()
        .map(|(w, v)| {
            if w == base {
                (0..n_base).collect()
            } else {
                vec![NO_ID; v.len()]
            }
        })
        .collect();
    maps.par_iter_mut()
        .enumerate()
        .filter(|&(w, _)| w != base)
        .flat_map(|(w, map)| {
            map.par_chunks_mut(FIND_CHUNK)
                .enumerate()
                .map(move |(c, out)| (w, c, out))
        })
        .for_each(|(w, c, out)| {
            let v = vocabs[w];
            let first = (c * FIND_CHUNK) as u32;
            let mut at = 0;
            table.find_each(
                (first..first + out.len() as u32).map(|id| v.get(id)),
                |id| {
                    out[at] = id.unwrap_or(NO_ID);
                    at += 1;
                },
            );
        });
    // The strings the base lacks, per worker, with their local ids.
    let (lists, missing): (Vec<Vec<&'v str>>, Vec<Vec<u32>>) = vocabs
        .par_iter()
        .zip(maps.par_iter())
        .map(|(v, map)| {
            map.iter()
                .enumerate()
                .filter(|&(_, &g)| g == NO_ID)
                .map(|(id, _)| (v.get(id as u32), id as u32))
                .unzip()
        })
        .unzip();
    let (extra, extra_maps) = dedup_sharded(&lists);
    maps.par_iter_mut()
        .zip(missing.par_iter())
        .zip(extra_maps.par_iter())
        .for_each(|((map, ids), extra_ids)| {
            for (&id, &e) in ids.iter().zip(extra_ids) {
                map[id as usize] = n_base + e;
            }
        });
    let mut distinct: Vec<&'v str> = Vec::with_capacity(n_base as usize + extra.len());
    distinct.extend((0..n_base).map(|id| table.get(id)));
    distinct.extend(extra);
    (distinct, maps)
}

/// Merges the workers' n-gram keys: tokens first (sorted), then keys in token-rank order,
/// which equals the order of the space-joined strings when tokens hold no char <= U+0020.
/// `keys[w]` are worker `w`'s local columns as keys of its local token ids.
fn merge_keys(vocabs: &[&Interner], keys: &[Vec<Key>]) -> (Terms, Vec<Vec<u32>>) {
    let (tokens, tok_maps) = merge_strings(vocabs);
    // Keys in global token ranks, shifted by one so padding (0) sorts first.
    let global: Vec<Vec<Key>> = keys
        .par_iter()
        .zip(tok_maps.par_iter())
        .map(|(ks, m)| {
            ks.iter()
                .map(|k| {
                    let mut g = [0u32; MAX_ID_NGRAM];
                    for (slot, &id) in g.iter_mut().zip(k.iter()) {
                        if id != NO_ID {
                            *slot = m[id as usize] + 1;
                        }
                    }
                    g
                })
                .collect()
        })
        .collect();
    drop(tok_maps);
    let (distinct, unsorted) = dedup_sharded(&global);
    drop(global);
    // Sort (key, id) pairs in place: contiguous compares, no indirection (millions of n-grams).
    let mut pairs: Vec<(Key, u32)> = distinct.into_iter().zip(0u32..).collect();
    pairs.par_sort_unstable();
    let mut rank = vec![0u32; pairs.len()];
    for (r, &(_, g)) in pairs.iter().enumerate() {
        rank[g as usize] = r as u32;
    }
    let keys: Vec<Key> = pairs
        .into_par_iter()
        .map(|(mut k, _)| {
            for slot in k.iter_mut() {
                *slot = if *slot == 0 { NO_ID } else { *slot - 1 };
            }
            k
        })
        .collect();
    (Terms::Grams { tokens, keys }, ranked_maps(unsorted, &rank))
}

/// Counts documents batch by batch, for callers that produce them as they go
/// (converting Python strings while earlier batches are counted), then merges:
/// [`FitCounter::count`] for each batch in document order, then
/// [`FitCounter::finish`]. The result equals [`count_fit`] on all the documents.
pub struct FitCounter<'a> {
    analyzer: &'a WordAnalyzer,
    by_ids: bool,
    /// N-grams: one worker per chunk (their vocabularies outgrow the caches).
    per_chunk: bool,
    /// Unigrams: one worker per thread, kept across chunks and batches.
    per_thread: Vec<Mutex<Option<Worker>>>,
    /// N-grams: the chunks' workers.
    per_chunk_done: Mutex<Vec<Worker>>,
    n_docs: usize,
}

impl<'a> FitCounter<'a> {
    /// A counter for `analyzer`'s terms.
    pub fn new(analyzer: &'a WordAnalyzer) -> Self {
        let max_n = analyzer.ngram_range().1;
        FitCounter {
            analyzer,
            by_ids: analyzer.tokens_are_space_free() && max_n <= MAX_ID_NGRAM,
            per_chunk: max_n > 1,
            per_thread: (0..crate::parallel::thread_slots())
                .map(|_| Mutex::new(None))
                .collect(),
            per_chunk_done: Mutex::new(Vec::new()),
            n_docs: 0,
        }
    }

    /// Documents counted so far.
    pub fn n_docs(&self) -> usize {
        self.n_docs
    }

    /// Counts the next documents (in parallel): `&str`, `String`, or code points encoded
    /// as they are read (any [`Document`]). Errors name the document by its position
    /// among all the documents counted.
    pub fn count<S: Document>(&mut self, docs: &[S]) -> Result<()> {
        let lens: Vec<usize> = docs.iter().map(Document::size).collect();
        // Unigrams: small chunks (64 KiB and up) balance uneven documents and keep the
        // wait at the end of each batch short, and each thread keeps one worker (and its
        // vocabulary) for all the chunks it takes. N-grams: fewer, larger chunks with one
        // worker each. Which thread takes which chunk does not matter: the merge in
        // `finish` is canonical.
        let ranges = if self.per_chunk {
            balanced_ranges(&lens, 1 << 20, 2)
        } else {
            balanced_ranges(&lens, 1 << 16, 32)
        };
        let base = self.n_docs;
        let this = &*self;
        ranges.into_par_iter().try_for_each(|r| {
            let chunk = &docs[r.clone()];
            let start = base + r.start;
            if this.per_chunk {
                let mut w = Worker::new();
                this.count_chunk(&mut w, chunk, start)?;
                this.per_chunk_done
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(w);
                return Ok(());
            }
            let at = rayon::current_thread_index().unwrap_or(0) % this.per_thread.len();
            let mut guard = this.per_thread[at]
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            this.count_chunk(guard.get_or_insert_with(Worker::new), chunk, start)
        })?;
        self.n_docs += docs.len();
        Ok(())
    }

    fn count_chunk<S: Document>(&self, w: &mut Worker, chunk: &[S], start: usize) -> Result<()> {
        if self.by_ids {
            w.count_ids(chunk, start, self.analyzer)
        } else {
            w.count_strings(chunk, start, self.analyzer)
        }
    }

    /// Merges the workers: the sorted vocabulary and the document-term counts,
    /// laid out. Errors if no document yielded a term.
    pub fn finish(self) -> Result<(Terms, Csr<u32>)> {
        let (terms, rows) = self.merge()?;
        let csr = rows.into_csr()?;
        crate::cancel::check()?;
        Ok((terms, csr))
    }

    /// Merges the workers' vocabularies: the sorted vocabulary, and the counts still
    /// in the workers' rows, to be laid out as the caller needs them
    /// ([`CountRows::lay_out`]). Errors if no document yielded a term.
    pub fn merge(self) -> Result<(Terms, CountRows)> {
        let (min_n, max_n) = self.analyzer.ngram_range();
        let by_ids = self.by_ids;
        let mut workers: Vec<Worker> = self
            .per_thread
            .into_iter()
            .filter_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect();
        workers.extend(
            self.per_chunk_done
                .into_inner()
                .unwrap_or_else(|e| e.into_inner()),
        );
        if workers.is_empty() {
            // No documents at all: one empty worker gives the empty-vocabulary error.
            workers.push(Worker::new());
        }
        merge_workers(workers, by_ids, min_n, max_n, self.n_docs)
    }
}

/// Learns the sorted vocabulary of `docs` and counts them: scikit-learn's `CountVectorizer.fit_transform`
/// before pruning. Errors if no document yields a term.
pub fn count_fit<S: AsRef<str> + Sync>(
    docs: &[S],
    analyzer: &WordAnalyzer,
) -> Result<(Terms, Csr<u32>)> {
    let mut counter = FitCounter::new(analyzer);
    counter.count(docs)?;
    crate::cancel::check()?;
    counter.finish()
}

/// The merge after counting: the vocabularies, and each worker's map into the sorted one.
fn merge_workers(
    workers: Vec<Worker>,
    by_ids: bool,
    min_n: usize,
    max_n: usize,
    n_docs: usize,
) -> Result<(Terms, CountRows)> {
    // Each worker's local columns: its tokens (or terms), then (id path) its n-grams.
    let uni_cols: Vec<u32> = workers
        .iter()
        .map(|w| {
            if by_ids && min_n > 1 {
                0
            } else {
                w.tokens.len() as u32
            }
        })
        .collect();
    let vocabs: Vec<&Interner> = workers.iter().map(|w| &w.tokens).collect();
    let (terms, maps) = if by_ids && max_n > 1 {
        let keys: Vec<Vec<Key>> = workers
            .par_iter()
            .map(|w| {
                let n_tok = w.tokens.len() as u32;
                let mut keys = Vec::with_capacity(n_tok as usize + w.grams.len());
                if min_n == 1 {
                    keys.extend((0..n_tok).map(|id| [id, NO_ID, NO_ID, NO_ID]));
                }
                keys.extend_from_slice(&w.grams);
                keys
            })
            .collect();
        merge_keys(&vocabs, &keys)
    } else {
        // Strings, or unigram tokens: the sorted tokens are the terms.
        let (v, m) = merge_strings(&vocabs);
        (Terms::Strings(v), m)
    };
    if terms.is_empty() {
        return Err(CoreError::EmptyVocabulary);
    }
    crate::cancel::check()?;
    // The rows, in document order; the workers' tables and strings are freed here.
    let mut blocks: Vec<(usize, RowBlock)> = workers
        .into_iter()
        .zip(uni_cols)
        .enumerate()
        .flat_map(|(worker, (w, uni_cols))| {
            w.blocks.into_iter().map(move |(start, rows)| {
                (
                    start,
                    RowBlock {
                        rows,
                        worker,
                        uni_cols,
                    },
                )
            })
        })
        .collect();
    blocks.sort_unstable_by_key(|b| b.0);
    let rows = CountRows::new(terms.len(), blocks.into_iter().map(|b| b.1).collect(), maps);
    debug_assert_eq!(rows.shape().0, n_docs, "one row per document");
    Ok((terms, rows))
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
        assert_eq!(CountRows::from_csr(m).doc_freq(), [1, 1, 1, 1, 2]);
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

    #[test]
    fn batches_equal_one_call() {
        let docs: Vec<String> = (0..4000)
            .map(|i| format!("w{} W{} common x{} слово{}", i % 97, i % 13, i, i % 7))
            .collect();
        for ngram in [(1, 1), (1, 2)] {
            let a = analyzer(ngram);
            let whole = count_fit(&docs, &a).unwrap();
            let mut counter = FitCounter::new(&a);
            for batch in docs.chunks(333) {
                counter.count(batch).unwrap();
            }
            assert_eq!(counter.n_docs(), docs.len());
            assert_eq!(counter.finish().unwrap(), whole, "{ngram:?}");
        }
        let a = analyzer((1, 1));
        let mut counter = FitCounter::new(&a);
        counter.count(&["fine text"]).unwrap();
        assert!(
            FitCounter::new(&a).finish().is_err(),
            "no documents: empty vocabulary"
        );
        assert_eq!(counter.finish().unwrap().1.n_rows(), 1);
    }

    #[test]
    fn distinct_strings_cover_every_worker_once() {
        // Three workers: overlapping, disjoint, long (past the 24 inline bytes) and
        // Cyrillic terms; the base is the largest, and an empty worker takes part.
        let words = |ws: &[&str]| {
            let mut i = Interner::default();
            for w in ws {
                i.intern(w);
            }
            i
        };
        let long = "a-term-of-more-than-twenty-four-bytes";
        let a = words(&["запад", "west", long, "only-a"]);
        let b = words(&["west", "global", "majority", "запад", "мир", "only-b"]);
        let c = words(&[]);
        let d = words(&["мир", long, "only-d", "west"]);
        let vocabs = [&a, &b, &c, &d];
        let (distinct, maps) = distinct_strings(&vocabs);
        let mut sorted = distinct.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            [
                long,
                "global",
                "majority",
                "only-a",
                "only-b",
                "only-d",
                "west",
                "запад",
                "мир"
            ]
        );
        // The base (b, the largest) keeps its ids.
        assert_eq!(
            &distinct[..6],
            ["west", "global", "majority", "запад", "мир", "only-b"]
        );
        for (v, map) in vocabs.iter().zip(&maps) {
            assert_eq!(map.len(), v.len());
            for (id, &g) in map.iter().enumerate() {
                assert_eq!(distinct[g as usize], v.get(id as u32));
            }
        }
        let (terms, _) = merge_strings(&vocabs);
        assert_eq!(terms.iter().collect::<Vec<_>>(), sorted);
        assert_eq!(distinct_strings(&[]), (Vec::new(), Vec::new()));
    }

    #[test]
    fn string_ranks_are_byte_order() {
        let words = [
            "b",
            "a",
            "ab",
            "abcdefgh",
            "abcdefghi",
            "abcdefgg",
            "abcdefgh\u{0}",
            "ё",
            "я",
            "яя",
            "",
            "z",
            "abcdefghij",
            "a\u{0}",
            "Ab",
        ];
        let (rank, order) = string_ranks(&words);
        let mut sorted = words.to_vec();
        sorted.sort_unstable();
        let got: Vec<&str> = order.iter().map(|&g| words[g as usize]).collect();
        assert_eq!(got, sorted);
        for (g, &r) in rank.iter().enumerate() {
            assert_eq!(sorted[r as usize], words[g]);
        }
    }
}
