//! Term and n-gram counts per group of documents (periods, target vs reference),
//! over token ids, by the one n-gram definition ([`crate::text::ngrams`]).
//! Counting is parallel over document chunks; terms come out sorted, so results
//! do not depend on threads.

use ahash::AHashMap;
use rayon::prelude::*;

use crate::count::csr::Csr;
use crate::error::{invalid, Result};
use crate::ids::NO_ID;
use crate::parallel::chunk_len;
use crate::text::ngrams::{gram, gram_text, runs, Gram, MAX_NGRAM};
use crate::text::tokenized::TokenizedCorpus;

/// Counts per group, sparse: row `t` of `counts` holds term `t`'s groups and counts.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupCounts {
    /// Terms (n-gram tokens joined by one space), sorted.
    pub terms: Vec<String>,
    /// Occurrences, terms x groups (only groups where the term occurs are stored).
    pub counts: Csr<u64>,
    /// Tokens (after stop-word removal) per group.
    pub tokens: Vec<u64>,
}

impl GroupCounts {
    /// Counts of two groups given per term (a corpus against a frequency list): the
    /// terms sorted, duplicates an error naming the term.
    pub fn two_groups(terms: Vec<String>, first: &[u64], second: &[u64]) -> Result<GroupCounts> {
        if terms.len() != first.len() || terms.len() != second.len() {
            return Err(invalid(format!(
                "{} terms but {} and {} counts",
                terms.len(),
                first.len(),
                second.len()
            )));
        }
        let mut order: Vec<usize> = (0..terms.len()).collect();
        order.sort_unstable_by(|&a, &b| terms[a].cmp(&terms[b]));
        if let Some(w) = order.windows(2).find(|w| terms[w[0]] == terms[w[1]]) {
            return Err(invalid(format!(
                "the term {:?} is given twice",
                terms[w[0]]
            )));
        }
        let mut counts = Csr {
            n_cols: 2,
            indptr: vec![0],
            indices: Vec::new(),
            data: Vec::new(),
        };
        let mut tokens = vec![0u64; 2];
        for &k in &order {
            for (col, v) in [(0u32, first[k]), (1u32, second[k])] {
                if v > 0 {
                    counts.indices.push(col);
                    counts.data.push(v);
                    tokens[col as usize] += v;
                }
            }
            counts.indptr.push(counts.indices.len());
        }
        let mut terms = terms;
        let sorted = order
            .iter()
            .map(|&k| std::mem::take(&mut terms[k]))
            .collect();
        Ok(GroupCounts {
            terms: sorted,
            counts,
            tokens,
        })
    }
}

/// Counts n-grams of `size` per group. `group[d]` is document d's group ([`NO_ID`]: left out);
/// `form_of` maps token ids to forms (`NO_ID`: removed); `names` are the forms'
/// strings; `brk` marks run breaks ([`crate::text::ngrams::breaks_for`]). Memory grows
/// with the (term, group) pairs that occur, never terms x groups.
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
    if let Some(&g) = group
        .iter()
        .find(|&&g| g != NO_ID && g as usize >= n_groups)
    {
        return Err(invalid(format!("group {g} out of range (0..{n_groups})")));
    }
    let docs: Vec<usize> = (0..tc.n_docs()).collect();
    // Per chunk: (n-gram, group) -> count, and tokens per group.
    type Partial = (AHashMap<(Gram, u32), u64>, Vec<u64>);
    let partials: Vec<Partial> = docs
        .par_chunks(chunk_len(docs.len()))
        .map(|chunk| {
            let mut m: AHashMap<(Gram, u32), u64> = AHashMap::new();
            let mut tokens = vec![0u64; n_groups];
            let mut ticker = crate::progress::Ticker::default();
            for &d in chunk {
                ticker.tick();
                if crate::cancel::requested() {
                    break;
                }
                let g = group[d];
                if g == NO_ID {
                    continue;
                }
                runs(tc, form_of, brk, d, |run| {
                    tokens[g as usize] += run.len() as u64;
                    for w in run.windows(size) {
                        *m.entry((gram(w), g)).or_insert(0) += 1;
                    }
                });
            }
            (m, tokens)
        })
        .collect();
    crate::cancel::check()?;
    let mut tokens = vec![0u64; n_groups];
    let mut total: AHashMap<(Gram, u32), u64> = AHashMap::new();
    for (m, t) in partials {
        for (g, v) in t.iter().enumerate() {
            tokens[g] += v;
        }
        if total.is_empty() {
            total = m;
            continue;
        }
        for (k, v) in m {
            *total.entry(k).or_insert(0) += v;
        }
    }
    // Entries by (n-gram, group); the n-grams then ordered by their text.
    let mut entries: Vec<((Gram, u32), u64)> = total.into_iter().collect();
    entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut starts: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if i == 0 || entries[i - 1].0 .0 != e.0 .0 {
            starts.push(i);
        }
    }
    starts.push(entries.len());
    let mut order: Vec<(String, usize)> = (0..starts.len() - 1)
        .into_par_iter()
        .map(|k| (gram_text(&entries[starts[k]].0 .0, names), k))
        .collect();
    order.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut counts = Csr {
        n_cols: n_groups,
        indptr: Vec::with_capacity(order.len() + 1),
        indices: Vec::with_capacity(entries.len()),
        data: Vec::with_capacity(entries.len()),
    };
    counts.indptr.push(0);
    let mut terms = Vec::with_capacity(order.len());
    for (text, k) in order {
        for e in &entries[starts[k]..starts[k + 1]] {
            counts.indices.push(e.0 .1);
            counts.data.push(e.1);
        }
        counts.indptr.push(counts.indices.len());
        terms.push(text);
    }
    Ok(GroupCounts {
        terms,
        counts,
        tokens,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count::termfreq::{forms, TermFreqOptions};
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
        let brk = tc.breaks.clone();
        assert_eq!(&brk[..4], [true, false, true, false]);
        let g = group_counts(&tc, &form_of, &names, &[0, 1, NO_ID], 2, 2, &brk).unwrap();
        assert_eq!(g.terms, ["and the", "the west", "west and", "west west"]);
        // "west the" is not a bigram: a full stop separates them.
        assert_eq!(g.counts.indptr, [0, 1, 2, 3, 4]);
        assert_eq!(g.counts.indices, [0, 0, 0, 1]);
        assert_eq!(g.counts.data, [1, 3, 1, 1]);
        assert_eq!(g.tokens, [7, 2]);
        let u = group_counts(&tc, &form_of, &names, &[0, 0, 0], 1, 1, &brk).unwrap();
        assert_eq!(u.terms, ["and", "end", "the", "west"]);
        assert_eq!(u.counts.data, [1, 1, 4, 5]);
        assert!(group_counts(&tc, &form_of, &names, &[0, 3, 0], 2, 1, &brk).is_err());
        assert!(group_counts(&tc, &form_of, &names, &[0, 0, 0], 1, 6, &brk).is_err());
    }
}
