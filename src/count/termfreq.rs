//! Term and n-gram frequencies over token ids: total count and document
//! frequency per term, after optional stop-word removal and stemming. Stop
//! words and stems are resolved once per vocabulary entry, never per token.

use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;

use crate::merge::byte_order_prefix;

use crate::error::{invalid, Result};
use crate::ids::NO_ID;
use crate::parallel::chunk_len;
use crate::text::ngrams::{gram, gram_text, runs, Gram, MAX_NGRAM};
use crate::text::stem::WordStemmer;
use crate::text::tokenized::TokenizedCorpus;

/// A frequency table: one row per term.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TermTable {
    /// Terms (n-grams joined by one space).
    pub terms: Vec<String>,
    /// Occurrences in the corpus.
    pub count: Vec<u64>,
    /// Documents containing the term.
    pub doc_freq: Vec<u64>,
}

impl TermTable {
    /// The table of `(term, count, doc_freq)` rows, sorted by count descending, then term.
    fn from_rows(mut rows: Vec<(String, u64, u64)>) -> TermTable {
        // Sorted by count, then the terms' first 8 bytes, comparing whole terms only on
        // ties of both (the Zipf tail: thousands of terms seen once).
        let mut keyed: Vec<(u64, u64, u32)> = rows
            .par_iter()
            .enumerate()
            .map(|(i, r)| (u64::MAX - r.1, byte_order_prefix(&r.0), i as u32))
            .collect();
        keyed.par_sort_unstable_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| rows[a.2 as usize].0.cmp(&rows[b.2 as usize].0))
        });
        let mut t = TermTable {
            terms: Vec::with_capacity(rows.len()),
            count: Vec::with_capacity(rows.len()),
            doc_freq: Vec::with_capacity(rows.len()),
        };
        for &(_, _, i) in &keyed {
            let (term, c, df) = &mut rows[i as usize];
            t.terms.push(std::mem::take(term));
            t.count.push(*c);
            t.doc_freq.push(*df);
        }
        t
    }
}

/// What to count.
pub struct TermFreqOptions<'a> {
    /// Tokens to drop before forming n-grams.
    pub stop_words: Option<&'a AHashSet<String>>,
    /// Count stems instead of tokens.
    pub stemmer: Option<&'a WordStemmer>,
    /// Inclusive n-gram sizes, 1..=MAX_NGRAM.
    pub ngram: (usize, usize),
    /// Drop terms counted fewer times.
    pub min_count: u64,
}

/// Maps each vocabulary id to a "form" id (after stemming), or [`NO_ID`] if it is a stop word.
pub(crate) fn forms(tc: &TokenizedCorpus, opts: &TermFreqOptions) -> (Vec<u32>, Vec<String>) {
    if opts.stop_words.is_none() && opts.stemmer.is_none() {
        // Every term is its own form.
        let names = tc.vocab.terms().par_iter().map(|t| t.to_string()).collect();
        return ((0..tc.vocab.len() as u32).collect(), names);
    }
    let mut names: Vec<String> = Vec::new();
    let mut index: AHashMap<String, u32> = AHashMap::new();
    let stems: Vec<Option<String>> = tc
        .vocab
        .terms()
        .par_iter()
        .map(|t| {
            if opts.stop_words.is_some_and(|s| s.contains(&**t)) {
                None
            } else {
                Some(match opts.stemmer {
                    Some(st) => st.stem(t),
                    None => t.to_string(),
                })
            }
        })
        .collect();
    let map = stems
        .into_iter()
        .map(|f| match f {
            None => NO_ID,
            Some(f) => *index.entry(f.clone()).or_insert_with(|| {
                names.push(f);
                (names.len() - 1) as u32
            }),
        })
        .collect();
    (map, names)
}

/// Counts terms (and n-grams, by [`crate::text::ngrams`]'s definition, with
/// `brk` from [`crate::text::ngrams::breaks_for`]) of `tc`, sorted by count
/// descending, then term.
pub fn term_frequencies(
    tc: &TokenizedCorpus,
    brk: &[bool],
    opts: &TermFreqOptions,
) -> Result<TermTable> {
    let (min_n, max_n) = opts.ngram;
    if min_n < 1 || max_n < min_n || max_n > MAX_NGRAM {
        return Err(invalid(format!(
            "ngram must be within 1..={MAX_NGRAM} with min <= max, got ({min_n}, {max_n})"
        )));
    }
    let (form_of, names) = forms(tc, opts);
    if (min_n, max_n) == (1, 1) {
        return Ok(unigram_table(tc, &form_of, names, opts.min_count));
    }
    let docs: Vec<usize> = (0..tc.n_docs()).collect();
    let size = chunk_len(docs.len());
    // Per chunk: gram -> (count, doc_freq, last doc seen).
    let partials: Vec<AHashMap<Gram, (u64, u64, usize)>> = docs
        .par_chunks(size)
        .map(|chunk| {
            let mut m: AHashMap<Gram, (u64, u64, usize)> = AHashMap::new();
            for &d in chunk {
                if crate::cancel::requested() {
                    break;
                }
                runs(tc, &form_of, brk, d, |run| {
                    for n in min_n..=max_n {
                        for w in run.windows(n) {
                            let e = m.entry(gram(w)).or_insert((0, 0, usize::MAX));
                            e.0 += 1;
                            if e.2 != d {
                                e.1 += 1;
                                e.2 = d;
                            }
                        }
                    }
                });
            }
            m
        })
        .collect();
    let mut total: AHashMap<Gram, (u64, u64)> = AHashMap::new();
    for p in partials {
        for (g, (c, df, _)) in p {
            let e = total.entry(g).or_insert((0, 0));
            e.0 += c;
            e.1 += df;
        }
    }
    let rows: Vec<(String, u64, u64)> = total
        .into_iter()
        .filter(|(_, (c, _))| *c >= opts.min_count)
        .map(|(g, (c, df))| (gram_text(&g, &names), c, df))
        .collect();
    Ok(TermTable::from_rows(rows))
}

/// [`term_frequencies`] of single terms: counts in dense arrays indexed by form, one
/// set per part of the corpus (as many parts as threads, fewer when the forms
/// outnumber a quarter of the tokens per part, so memory stays within the data's).
fn unigram_table(
    tc: &TokenizedCorpus,
    form_of: &[u32],
    names: Vec<String>,
    min_count: u64,
) -> TermTable {
    let n_forms = names.len();
    let n_docs = tc.n_docs();
    let parts = (tc.ids.len() / (4 * n_forms).max(1))
        .clamp(1, rayon::current_num_threads().max(1))
        .min(n_docs.max(1));
    let per_part: Vec<(Vec<u64>, Vec<u64>)> = (0..parts)
        .into_par_iter()
        .map(|p| {
            let (mut count, mut df) = (vec![0u64; n_forms], vec![0u64; n_forms]);
            let mut last = vec![usize::MAX; n_forms];
            for d in n_docs * p / parts..n_docs * (p + 1) / parts {
                if crate::cancel::requested() {
                    break;
                }
                for &id in tc.doc(d) {
                    let f = form_of[id as usize];
                    if f != NO_ID {
                        count[f as usize] += 1;
                        if last[f as usize] != d {
                            last[f as usize] = d;
                            df[f as usize] += 1;
                        }
                    }
                }
            }
            (count, df)
        })
        .collect();
    let mut parts_iter = per_part.into_iter();
    let (mut count, mut df) = parts_iter.next().unwrap_or_default();
    for (c, f) in parts_iter {
        count.par_iter_mut().zip(c).for_each(|(a, b)| *a += b);
        df.par_iter_mut().zip(f).for_each(|(a, b)| *a += b);
    }
    let rows: Vec<(String, u64, u64)> = names
        .into_iter()
        .zip(count.into_iter().zip(df))
        .filter(|(_, (c, _))| *c >= min_count && *c > 0)
        .map(|(t, (c, df))| (t, c, df))
        .collect();
    TermTable::from_rows(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenizer::Tokenizer;

    #[test]
    fn counts_and_doc_freq() {
        let texts = ["the West, the West", "west of the world", "Запада и запад"];
        let tc = TokenizedCorpus::build(&texts, &Tokenizer::default());
        let opts = TermFreqOptions {
            stop_words: None,
            stemmer: None,
            ngram: (1, 1),
            min_count: 1,
        };
        let t = term_frequencies(&tc, &tc.breaks, &opts).unwrap();
        assert_eq!(&t.terms[..2], ["the", "west"]);
        assert_eq!(&t.count[..2], [3, 3]);
        assert_eq!(&t.doc_freq[..2], [2, 2]);
        let stop: AHashSet<String> = ["the", "of", "и"].iter().map(|s| s.to_string()).collect();
        let st = WordStemmer::new("auto").unwrap();
        let opts = TermFreqOptions {
            stop_words: Some(&stop),
            stemmer: Some(&st),
            ngram: (1, 2),
            min_count: 2,
        };
        let t = term_frequencies(&tc, &tc.breaks, &opts).unwrap();
        assert_eq!(t.terms, ["west", "запад"]);
        assert_eq!(t.count, [3, 2]);
        assert_eq!(t.doc_freq, [2, 1]);
        let opts = TermFreqOptions {
            stop_words: Some(&stop),
            stemmer: Some(&st),
            ngram: (2, 2),
            min_count: 1,
        };
        // No bigram crosses the comma or a removed stop word (crate::text::ngrams).
        let t = term_frequencies(&tc, &tc.breaks, &opts).unwrap();
        assert!(t.terms.is_empty(), "{:?}", t.terms);
        let opts = TermFreqOptions {
            stop_words: None,
            stemmer: None,
            ngram: (2, 2),
            min_count: 1,
        };
        let t = term_frequencies(&tc, &tc.breaks, &opts).unwrap();
        assert_eq!(
            t.terms,
            [
                "the west",
                "of the",
                "the world",
                "west of",
                "запада и",
                "и запад"
            ]
        );
        assert_eq!(t.count, [2, 1, 1, 1, 1, 1]);
        let bad = TermFreqOptions {
            stop_words: None,
            stemmer: None,
            ngram: (0, 1),
            min_count: 1,
        };
        assert!(term_frequencies(&tc, &tc.breaks, &bad).is_err());
    }
}
