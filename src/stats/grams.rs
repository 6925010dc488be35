//! Term and n-gram counts per group of documents (periods, target vs reference),
//! over token ids. An n-gram never spans a sentence break: punctuation between
//! two tokens in the text, or a removed stop word, ends the run. Counting is
//! parallel over document chunks; terms come out sorted, so results do not
//! depend on threads.

use ahash::AHashMap;
use rayon::prelude::*;

use crate::error::{invalid, Result};
use crate::parallel::chunk_len;
use crate::text::tokenized::TokenizedCorpus;

/// The longest n-gram counted per group.
pub const MAX_SIZE: usize = 5;

/// A term as up to five form ids, padded with `u32::MAX`.
pub type Gram = [u32; MAX_SIZE];
/// Marks a removed token and pads grams.
pub const NONE: u32 = u32::MAX;

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

/// For each token, whether a run of words ends before it: the first token of a
/// document, or non-space text (punctuation) between it and the previous token.
pub fn breaks<S: AsRef<str> + Sync>(texts: &[S], tc: &TokenizedCorpus) -> Vec<bool> {
    let mut out = vec![false; tc.ids.len()];
    out.par_chunks_mut(1 << 14)
        .enumerate()
        .for_each(|(c, chunk)| {
            let base = c << 14;
            for (k, slot) in chunk.iter_mut().enumerate() {
                let i = base + k;
                // The document holding token i.
                let d = tc.offsets.partition_point(|&o| o <= i) - 1;
                *slot = if i == tc.offsets[d] {
                    true
                } else {
                    let gap =
                        &texts[d].as_ref()[tc.spans[i - 1].1 as usize..tc.spans[i].0 as usize];
                    gap.chars().any(|ch| !ch.is_whitespace())
                };
            }
        });
    out
}

/// Calls `f` with each run of consecutive kept forms of document `d` (split at breaks and removed tokens).
pub fn runs(
    tc: &TokenizedCorpus,
    form_of: &[u32],
    brk: Option<&[bool]>,
    d: usize,
    mut f: impl FnMut(&[u32]),
) {
    let mut run: Vec<u32> = Vec::new();
    for i in tc.offsets[d]..tc.offsets[d + 1] {
        let form = form_of[tc.ids[i] as usize];
        if (form == NONE || brk.is_some_and(|b| b[i])) && !run.is_empty() {
            f(&run);
            run.clear();
        }
        if form != NONE {
            run.push(form);
        }
    }
    if !run.is_empty() {
        f(&run);
    }
}

/// Counts n-grams of `size` per group. `group[d]` is document d's group (`u32::MAX`: left out);
/// `form_of` maps token ids to forms (`NONE`: removed); `names` are the forms' strings.
pub fn group_counts(
    tc: &TokenizedCorpus,
    form_of: &[u32],
    names: &[String],
    group: &[u32],
    n_groups: usize,
    size: usize,
    brk: Option<&[bool]>,
) -> Result<GroupCounts> {
    if !(1..=MAX_SIZE).contains(&size) {
        return Err(invalid(format!(
            "size must be within 1..={MAX_SIZE}, got {size}"
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
                        let mut key = [NONE; MAX_SIZE];
                        key[..size].copy_from_slice(w);
                        m.entry(key).or_insert_with(|| vec![0; n_groups])[g as usize] += 1;
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
        .map(|(k, v)| {
            let words: Vec<&str> = k
                .iter()
                .take_while(|&&f| f != NONE)
                .map(|&f| names[f as usize].as_str())
                .collect();
            (words.join(" "), k, v)
        })
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
        let g = group_counts(&tc, &form_of, &names, &[0, 1, u32::MAX], 2, 2, Some(&brk)).unwrap();
        assert_eq!(g.terms, ["and the", "the west", "west and", "west west"]);
        // "west the" is not a bigram: a full stop separates them.
        assert_eq!(g.counts, [1, 3, 1, 0, 0, 0, 0, 1]);
        assert_eq!(g.tokens, [7, 2]);
        let u = group_counts(&tc, &form_of, &names, &[0, 0, 0], 1, 1, None).unwrap();
        assert_eq!(u.terms, ["and", "end", "the", "west"]);
        assert_eq!(u.counts, [1, 1, 4, 5]);
        assert!(group_counts(&tc, &form_of, &names, &[0, 0, 0], 1, 6, None).is_err());
    }
}
