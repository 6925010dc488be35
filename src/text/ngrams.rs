//! The one definition of an n-gram, used by every API that counts them
//! (`term_frequencies`, `term_trends`, `distribution`, keyness, collocations,
//! emerging phrases).
//!
//! An n-gram is a run of consecutive tokens of one document that
//! - does not cross punctuation: any character between two tokens other than white
//!   space, a hyphen (- ‐ ‑), an apostrophe (' ’) or `#` ends the run ("the West.
//!   Sanctions" has no bigram "west sanctions"; "rules-based order" has "rules
//!   based" and "based order"; "the “rules-based order”" has no "the rules");
//! - does not cross a removed token: a stop word (when stop words are removed)
//!   ends the run, it is not skipped over ("end of the war" with English stop words
//!   removed has no bigram "end war").
//!
//! Grams are at most [`MAX_NGRAM`] tokens, stored as form ids padded with
//! [`NO_ID`]. Cost: finding breaks is one look at the text between each pair of
//! tokens; runs are walked once per document.

use crate::ids::NO_ID;
use crate::text::tokenized::TokenizedCorpus;

/// The longest n-gram counted anywhere.
pub const MAX_NGRAM: usize = 5;

/// An n-gram as up to [`MAX_NGRAM`] form ids, padded with [`NO_ID`].
pub type Gram = [u32; MAX_NGRAM];

/// The gram of a window of forms (at most [`MAX_NGRAM`] long).
pub fn gram(window: &[u32]) -> Gram {
    let mut g = [NO_ID; MAX_NGRAM];
    g[..window.len()].copy_from_slice(window);
    g
}

/// The number of forms in a gram.
pub fn gram_len(g: &Gram) -> usize {
    g.iter().take_while(|&&f| f != NO_ID).count()
}

/// A gram's text: its forms' names joined by one space.
pub fn gram_text(g: &Gram, names: &[String]) -> String {
    g[..gram_len(g)]
        .iter()
        .map(|&f| names[f as usize].as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The breaks needed to count n-grams up to `max_n` tokens: none for single tokens
/// (empty; runs do not change unigram counts), else [`TokenizedCorpus::breaks`].
pub fn breaks_for(tc: &TokenizedCorpus, max_n: usize) -> &[bool] {
    if max_n <= 1 {
        &[]
    } else {
        &tc.breaks
    }
}

/// Calls `f` with each run of document `d`: consecutive kept forms (`form_of`
/// maps token ids to forms, [`NO_ID`] for removed ones), split at `brk` (empty:
/// split at removed tokens only, see [`breaks_for`]).
pub fn runs(
    tc: &TokenizedCorpus,
    form_of: &[u32],
    brk: &[bool],
    d: usize,
    mut f: impl FnMut(&[u32]),
) {
    let mut run: Vec<u32> = Vec::new();
    for i in tc.offsets[d]..tc.offsets[d + 1] {
        let form = form_of[tc.ids[i] as usize];
        if (form == NO_ID || brk.get(i).copied().unwrap_or(false)) && !run.is_empty() {
            f(&run);
            run.clear();
        }
        if form != NO_ID {
            run.push(form);
        }
    }
    if !run.is_empty() {
        f(&run);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenizer::Tokenizer;

    #[test]
    fn runs_stop_at_punctuation_and_removed_tokens_only() {
        let texts = [
            "the West. Sanctions again; rules-based order, the West’s “rules”",
            "",
            "end of the war",
        ];
        let tc = TokenizedCorpus::build(&texts, &Tokenizer::default());
        let brk = tc.breaks.clone();
        let keep: Vec<u32> = (0..tc.vocab.len() as u32).collect();
        let mut got = Vec::new();
        for d in 0..3 {
            runs(&tc, &keep, &brk, d, |r| {
                got.push(
                    r.iter()
                        .map(|&f| tc.vocab.term(f))
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            });
        }
        assert_eq!(
            got,
            [
                "the west",
                "sanctions again",
                "rules based order",
                "the west",
                "rules",
                "end of the war"
            ]
        );
        // A removed token ends the run.
        let mut stop = keep.clone();
        stop[tc.vocab.get("the").unwrap() as usize] = NO_ID;
        let mut got = Vec::new();
        runs(&tc, &stop, &brk, 2, |r| got.push(r.len()));
        assert_eq!(got, [2, 1]);
        assert_eq!(gram_len(&gram(&[3, 4])), 2);
    }
}
