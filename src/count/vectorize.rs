//! Document-term counting with scikit-learn's semantics: vocabularies (fixed
//! or learned), counting against a fixed vocabulary, and pruning. Learning the
//! vocabulary is in [`crate::count::fit`].

use ahash::AHashMap;
use rayon::prelude::*;

use crate::count::csr::Csr;
use crate::error::{invalid, CoreError, Result};
use crate::parallel::balanced_ranges;
use crate::text::analyzer::{Scratch, WordAnalyzer};
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
}
