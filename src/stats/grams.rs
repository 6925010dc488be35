//! Term and n-gram counts per group of documents (periods, target vs reference),
//! over token ids, by the one n-gram definition ([`crate::text::ngrams`]).
//! Counting is parallel over document chunks; terms come out sorted, so results
//! do not depend on threads.

use ahash::AHashMap;
use rayon::prelude::*;

use crate::error::{invalid, Result};
use crate::parallel::chunk_len;
use crate::text::ngrams::{gram, gram_text, runs, Gram, MAX_NGRAM};
use crate::text::tokenized::TokenizedCorpus;

/// Counts per group: `counts[g * terms.len() + t]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupCounts {
    /// Terms (n-gram tokens joined by one space), sorted.
    pub terms: Vec<String>,
    /// The terms as form ids (for n-gram statistics).
    pub grams: Vec<Gram>,
    /// Number of groups.
    pub n_groups: usize,
    /// Occurrences, row-major groups x terms.
    pub counts: Vec<u64>,
    /// Tokens (after stop-word removal) per group.
    pub tokens: Vec<u64>,
}

/// Counts n-grams of `size` per group. `group[d]` is document d's group (`u32::MAX`: left out);
/// `form_of` maps token ids to forms (`NO_FORM`: removed); `names` are the forms'
/// strings; `brk` marks run breaks ([`crate::text::ngrams::breaks`]).
pub fn group_counts(
    tc: &TokenizedCorpus,
    form_of: &[u32],
    names: &[String],
    group: &[u32],
    n_groups: usize,
    size: usize,
    brk: &[bool],
) -> Result<GroupCounts> {
    if !(1..=MAX_NGRAM).contains(&size) {
        return Err(invalid(format!(
            "size must be within 1..={MAX_NGRAM}, got {size}"
        )));
    }
    if group.len() != tc.n_docs() {
        return Err(invalid("one group per document is needed"));
    }
    let docs: Vec<usize> = (0..tc.n_docs()).collect();
    // Per chunk: n-gram -> counts per group, and tokens per group.
    type Partial = (AHashMap<Gram, Vec<u64>>, Vec<u64>);
    let partials: Vec<Partial> = docs
        .par_chunks(chunk_len(docs.len()))
        .map(|chunk| {
            let mut m: AHashMap<Gram, Vec<u64>> = AHashMap::new();
            let mut tokens = vec![0u64; n_groups];
            for &d in chunk {
                if crate::cancel::requested() {
                    break;
                }
                let g = group[d];
                if g == u32::MAX {
                    continue;
                }
                runs(tc, form_of, brk, d, |run| {
                    tokens[g as usize] += run.len() as u64;
                    for w in run.windows(size) {
                        m.entry(gram(w)).or_insert_with(|| vec![0; n_groups])[g as usize] += 1;
                    }
                });
            }
            (m, tokens)
        })
        .collect();
    let mut total: AHashMap<Gram, Vec<u64>> = AHashMap::new();
    let mut tokens = vec![0u64; n_groups];
    for (m, t) in partials {
        for (g, v) in t.iter().enumerate() {
            tokens[g] += v;
        }
        for (k, v) in m {
            let e = total.entry(k).or_insert_with(|| vec![0; n_groups]);
            for (a, b) in e.iter_mut().zip(v) {
                *a += b;
            }
        }
    }
    let mut rows: Vec<(String, Gram, Vec<u64>)> = total
        .into_iter()
        .map(|(k, v)| (gram_text(&k, names), k, v))
        .collect();
    rows.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let n_terms = rows.len();
    let mut out = GroupCounts {
        n_groups,
        counts: vec![0; n_groups * n_terms],
        tokens,
        ..Default::default()
    };
    for (t, (term, key, v)) in rows.into_iter().enumerate() {
        for (g, c) in v.into_iter().enumerate() {
            out.counts[g * n_terms + t] = c;
        }
        out.terms.push(term);
        out.grams.push(key);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count::termfreq::{forms, TermFreqOptions};
    use crate::text::ngrams::breaks;
    use crate::text::tokenizer::Tokenizer;

    #[test]
    fn counts_per_group_without_crossing_breaks() {
        let texts = ["the West. The West and the West", "west west", "the end"];
        let tc = TokenizedCorpus::build(&texts, &Tokenizer::default());
        let opts = TermFreqOptions {
            stop_words: None,
            stemmer: None,
            ngram: (1, 1),
            min_count: 1,
        };
        let (form_of, names) = forms(&tc, &opts);
        let brk = breaks(&texts, &tc);
        assert_eq!(&brk[..4], [true, false, true, false]);
        let g = group_counts(&tc, &form_of, &names, &[0, 1, u32::MAX], 2, 2, &brk).unwrap();
        assert_eq!(g.terms, ["and the", "the west", "west and", "west west"]);
        // "west the" is not a bigram: a full stop separates them.
        assert_eq!(g.counts, [1, 3, 1, 0, 0, 0, 0, 1]);
        assert_eq!(g.tokens, [7, 2]);
        let u = group_counts(&tc, &form_of, &names, &[0, 0, 0], 1, 1, &brk).unwrap();
        assert_eq!(u.terms, ["and", "end", "the", "west"]);
        assert_eq!(u.counts, [1, 1, 4, 5]);
        assert!(group_counts(&tc, &form_of, &names, &[0, 0, 0], 1, 6, &brk).is_err());
    }
}
