//! Document-term counting with scikit-learn's semantics: vocabularies (fixed
//! or learned), counting against a fixed vocabulary, and pruning. Learning the
//! vocabulary is in [`crate::count::fit`].

use std::sync::Mutex;

use ahash::AHashMap;
use rayon::prelude::*;

use crate::count::csr::Csr;
use crate::count::rows::CountRows;
use crate::error::{invalid, CoreError, Result};
use crate::parallel::balanced_ranges;
use crate::text::analyzer::{Scratch, WordAnalyzer};
use crate::text::code_points::Document;
use crate::text::intern::InternedStrings;

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

/// A learned vocabulary, sorted as scikit-learn sorts features. N-grams are kept
/// as token-id tuples and only turned into strings when asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Terms {
    /// Terms as strings.
    Strings(InternedStrings),
    /// Terms as tuples of ids into `tokens` (sorted tokens), padded with [`NO_ID`](crate::ids::NO_ID).
    Grams {
        /// Distinct tokens, sorted.
        tokens: InternedStrings,
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
            Terms::Strings(v) => v.get(i as u32).to_string(),
            Terms::Grams { tokens, keys } => {
                let mut s = String::new();
                for (k, &id) in keys[i]
                    .iter()
                    .take_while(|&&id| id != crate::ids::NO_ID)
                    .enumerate()
                {
                    if k > 0 {
                        s.push(' ');
                    }
                    s.push_str(tokens.get(id));
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
            Terms::Strings(v) => Terms::Strings(keep.iter().map(|&k| v.get(k)).collect()),
            Terms::Grams { tokens, keys } => Terms::Grams {
                tokens: tokens.clone(),
                keys: keep.iter().map(|&k| keys[k as usize]).collect(),
            },
        }
    }
}

/// Dense per-chunk counter with a list of touched columns, reset per document.
#[derive(Default)]
pub(crate) struct RowCounter {
    pub(crate) counts: Vec<u32>,
    pub(crate) touched: Vec<u32>,
}

impl RowCounter {
    #[inline]
    pub(crate) fn add(&mut self, id: u32) {
        let c = &mut self.counts[id as usize];
        if *c == 0 {
            self.touched.push(id);
        }
        *c += 1;
    }

    /// Appends the current row (columns sorted if `sort`) to `rows` and resets.
    pub(crate) fn flush(&mut self, rows: &mut Csr<u32>, sort: bool) {
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
pub(crate) fn at_doc(e: CoreError, d: usize) -> CoreError {
    match e {
        CoreError::InvalidArgument(m) => CoreError::InvalidArgument(format!("document {d}: {m}")),
        other => other,
    }
}

/// Counts documents against a fixed vocabulary, batch after batch (a stream of
/// documents never held all at once); terms outside it are ignored. Each batch is
/// counted on every thread of the current pool, each thread with one dense counter
/// (a count per column) kept across batches.
pub struct TransformCounter<'a> {
    analyzer: &'a WordAnalyzer,
    vocab: &'a FixedVocabulary,
    /// One counter per thread of the pool, all zero between documents.
    per_thread: Vec<Mutex<Option<RowCounter>>>,
    /// The rows counted so far, block after block in document order.
    blocks: Vec<Csr<u32>>,
    n_docs: usize,
}

impl<'a> TransformCounter<'a> {
    /// A counter of `analyzer`'s terms that are in `vocab`.
    pub fn new(analyzer: &'a WordAnalyzer, vocab: &'a FixedVocabulary) -> Self {
        TransformCounter {
            analyzer,
            vocab,
            per_thread: (0..crate::parallel::thread_slots())
                .map(|_| Mutex::new(None))
                .collect(),
            blocks: Vec::new(),
            n_docs: 0,
        }
    }

    /// Counts the next documents (any [`Document`]: `&str`, `String`, or text encoded
    /// as it is read). Errors name the document by its position among all the
    /// documents counted.
    pub fn count<S: Document>(&mut self, docs: &[S]) -> Result<()> {
        let lens: Vec<usize> = docs.iter().map(Document::size).collect();
        let (base, n_cols) = (self.n_docs, self.vocab.len());
        let this = &*self;
        // Small ranges (64 KiB and up) balance uneven documents; which thread counts
        // which range does not matter: each gives its own block of rows, in order.
        let blocks: Vec<Csr<u32>> = balanced_ranges(&lens, 1 << 16, 32)
            .into_par_iter()
            .map(|r| {
                let at = rayon::current_thread_index().unwrap_or(0) % this.per_thread.len();
                let mut guard = this.per_thread[at]
                    .lock()
                    .unwrap_or_else(|e| e.into_inner());
                let counter = guard.get_or_insert_with(|| RowCounter {
                    counts: vec![0; n_cols],
                    touched: Vec::new(),
                });
                let mut rows = empty_rows(n_cols);
                let (mut scratch, mut text) = (Scratch::default(), String::new());
                for (k, doc) in docs[r.clone()].iter().enumerate() {
                    crate::cancel::check()?;
                    let analyzed =
                        this.analyzer
                            .analyze(doc.text(&mut text), &mut scratch, |term| {
                                if let Some(id) = this.vocab.get(term) {
                                    counter.add(id);
                                }
                            });
                    if let Err(e) = analyzed {
                        // Leave the counter all zero for the next document it counts.
                        counter.flush(&mut rows, true);
                        return Err(at_doc(e, base + r.start + k));
                    }
                    counter.flush(&mut rows, true);
                }
                Ok(rows)
            })
            .collect::<Result<_>>()?;
        self.blocks.extend(blocks);
        self.n_docs += docs.len();
        Ok(())
    }

    /// The rows of every document counted, in blocks (nothing copied), to be laid out.
    pub fn finish(self) -> CountRows {
        CountRows::from_sorted_blocks(self.vocab.len(), self.blocks)
    }
}

/// Counts `docs` against a fixed vocabulary; terms outside it are ignored.
pub fn count_transform<S: Document>(
    docs: &[S],
    analyzer: &WordAnalyzer,
    vocab: &FixedVocabulary,
) -> Result<Csr<u32>> {
    let mut counter = TransformCounter::new(analyzer, vocab);
    counter.count(docs)?;
    Ok(Csr::vstack(vocab.len(), counter.blocks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyzer::{StripAccents, TokenPattern};

    fn analyzer(ngram: (usize, usize)) -> WordAnalyzer {
        WordAnalyzer::new(true, StripAccents::None, TokenPattern::Default, None, ngram).unwrap()
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
    fn transform_in_batches_equals_transform_at_once() {
        let vocab = FixedVocabulary::new(vec![
            "запад".into(),
            "west".into(),
            "collective west".into(),
            "большинство".into(),
        ])
        .unwrap();
        let docs: Vec<String> = (0..5000)
            .map(|i| match i % 4 {
                0 => format!("Collective West {i} — коллективный Запад"),
                1 => "Мировое БОЛЬШИНСТВО, большинство".to_string(),
                2 => String::new(),
                _ => "west west WEST".repeat(i % 7),
            })
            .collect();
        let a = analyzer((1, 2));
        let whole = count_transform(&docs, &a, &vocab).unwrap();
        // Row 0: "запад", "west", "collective west" (columns in vocabulary order);
        // row 1: "большинство" twice; row 2: empty; row 3: "west" 5 times (the repeats
        // glue "WEST" to the next "west": "westwest" twice, no column).
        assert_eq!(&whole.indptr[..5], [0, 3, 4, 4, 5]);
        assert_eq!(&whole.indices[..5], [0, 1, 2, 3, 1]);
        assert_eq!(&whole.data[..5], [1, 1, 1, 2, 5]);
        let mut counter = TransformCounter::new(&a, &vocab);
        for batch in docs.chunks(777) {
            counter.count(batch).unwrap();
        }
        let rows = counter.finish();
        assert_eq!(rows.shape(), (5000, 4));
        let laid = rows
            .lay_out(|_cols, counts, out: &mut [u32]| out.copy_from_slice(counts))
            .unwrap();
        assert_eq!(laid, whole);
    }
}
