//! Collocations: word sequences that occur together more than chance, scored as
//! quanteda's `textstat_collocations` scores them, plus PMI and G2.
//!
//! For a sequence s of n words and every observed n-gram t, let b(t) be the set
//! of positions where t agrees with s. With O_b the number of n-grams whose
//! agreement set is exactly b (2^n cells) and 0.5 added to each cell
//! (`smoothing`), Blaheta and Johnson's lambda = Σ_b (-1)^(n - |b|) ln O_b,
//! sigma = sqrt(Σ_b 1 / O_b), z = lambda / sigma. The cells come from marginal
//! counts by inclusion-exclusion (one hash map per subset of positions), not by
//! comparing every pair of n-grams. PMI = ln(count · N^(n-1) / Π_i c_i), with c_i
//! the n-grams having s's word at position i and N all n-grams; G2 compares the
//! 2^n cells with their expectation under independent positions.

use ahash::AHashMap;
use rayon::prelude::*;

use crate::error::{invalid, Result};
use crate::ids::NO_ID;
use crate::parallel::chunk_len;
use crate::text::ngrams::{gram, runs, Gram, MAX_NGRAM};
use crate::text::tokenized::TokenizedCorpus;

/// One scored sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Collocation {
    /// Form ids of the words.
    pub gram: Gram,
    /// Number of words.
    pub length: usize,
    /// Occurrences.
    pub count: u64,
    /// Blaheta-Johnson lambda.
    pub lambda: f64,
    /// Its standard error.
    pub sigma: f64,
    /// lambda / sigma.
    pub z: f64,
    /// Pointwise mutual information.
    pub pmi: f64,
    /// Log-likelihood G2 against independent positions.
    pub g2: f64,
}

fn masked(g: &Gram, mask: usize, n: usize) -> Gram {
    let mut k = [NO_ID; MAX_NGRAM];
    for i in 0..n {
        if mask >> i & 1 == 1 {
            k[i] = g[i];
        }
    }
    k
}

/// Scores every sequence of `size` words seen at least `min_count` times.
pub fn collocations(
    tc: &TokenizedCorpus,
    form_of: &[u32],
    brk: &[bool],
    size: usize,
    min_count: u64,
    smoothing: f64,
) -> Result<Vec<Collocation>> {
    if !(2..=MAX_NGRAM).contains(&size) {
        return Err(invalid(format!(
            "size must be within 2..={MAX_NGRAM}, got {size}"
        )));
    }
    if smoothing < 0.0 {
        return Err(invalid("smoothing must be >= 0"));
    }
    let n = size;
    let docs: Vec<usize> = (0..tc.n_docs()).collect();
    let partials: Vec<AHashMap<Gram, u64>> = docs
        .par_chunks(chunk_len(docs.len()))
        .map(|chunk| {
            let mut m: AHashMap<Gram, u64> = AHashMap::new();
            let mut ticker = crate::progress::Ticker::default();
            for &d in chunk {
                ticker.tick();
                if crate::cancel::requested() {
                    break;
                }
                runs(tc, form_of, brk, d, |run| {
                    for w in run.windows(n) {
                        *m.entry(gram(w)).or_insert(0) += 1;
                    }
                });
            }
            m
        })
        .collect();
    let mut counts: AHashMap<Gram, u64> = AHashMap::new();
    for p in partials {
        for (k, c) in p {
            *counts.entry(k).or_insert(0) += c;
        }
    }
    let full = (1usize << n) - 1;
    let total: u64 = counts.values().sum();
    // Marginal counts for every proper, non-empty subset of positions.
    let marginals: Vec<AHashMap<Gram, u64>> = (0..full)
        .into_par_iter()
        .map(|mask| {
            let mut m: AHashMap<Gram, u64> = AHashMap::new();
            if mask != 0 {
                for (k, &c) in &counts {
                    *m.entry(masked(k, mask, n)).or_insert(0) += c;
                }
            }
            m
        })
        .collect();
    let mut cands: Vec<(&Gram, u64)> = counts
        .iter()
        .filter(|(_, &c)| c >= min_count)
        .map(|(k, &c)| (k, c))
        .collect();
    cands.sort_unstable();
    let out = cands
        .par_iter()
        .map(|&(g, c)| {
            // M[S]: n-grams agreeing with g on the positions in S.
            let m: Vec<f64> = (0..=full)
                .map(|s| match s {
                    0 => total as f64,
                    s if s == full => c as f64,
                    s => marginals[s].get(&masked(g, s, n)).copied().unwrap_or(0) as f64,
                })
                .collect();
            // O[b] = Σ_{S ⊇ b} (-1)^{|S|-|b|} M[S].
            let obs: Vec<f64> = (0..=full)
                .map(|b| {
                    (0..=full)
                        .filter(|s| s & b == b)
                        .map(|s| {
                            if (s.count_ones() - b.count_ones()) % 2 == 0 {
                                m[s]
                            } else {
                                -m[s]
                            }
                        })
                        .sum::<f64>()
                        .max(0.0)
                })
                .collect();
            let (mut lambda, mut var) = (0.0, 0.0);
            for (b, &o) in obs.iter().enumerate() {
                let o = o + smoothing;
                let sgn = if (n - b.count_ones() as usize).is_multiple_of(2) {
                    1.0
                } else {
                    -1.0
                };
                lambda += sgn * o.ln();
                var += 1.0 / o;
            }
            let sigma = var.sqrt();
            let nn = total as f64;
            let p: Vec<f64> = (0..n).map(|i| m[1 << i] / nn).collect();
            let pmi = (c as f64).ln() + (n as f64 - 1.0) * nn.ln()
                - (0..n).map(|i| m[1 << i].ln()).sum::<f64>();
            let g2 = 2.0
                * obs
                    .iter()
                    .enumerate()
                    .filter(|(_, &o)| o > 0.0)
                    .map(|(b, &o)| {
                        let e: f64 = nn
                            * (0..n)
                                .map(|i| if b >> i & 1 == 1 { p[i] } else { 1.0 - p[i] })
                                .product::<f64>();
                        o * (o / e).ln()
                    })
                    .sum::<f64>();
            Collocation {
                gram: *g,
                length: n,
                count: c,
                lambda,
                sigma,
                z: lambda / sigma,
                pmi,
                g2,
            }
        })
        .collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count::termfreq::{forms, TermFreqOptions};
    use crate::text::tokenizer::Tokenizer;

    #[test]
    fn bigram_lambda_from_the_two_by_two_table() {
        let texts = ["a b a b c d a b", "c d a c"];
        let tc = TokenizedCorpus::build(&texts, &Tokenizer::default());
        let opts = TermFreqOptions {
            stop_words: None,
            stemmer: None,
            ngram: (1, 1),
            min_count: 1,
        };
        let (form_of, names) = forms(&tc, &opts);
        let out = collocations(&tc, &form_of, &tc.breaks, 2, 1, 0.5).unwrap();
        let ab = out
            .iter()
            .find(|c| names[c.gram[0] as usize] == "a" && names[c.gram[1] as usize] == "b")
            .unwrap();
        // Bigrams: ab ba ab bc cd da ab | cd da ac: 10. "a b": 3; "a ·" other: 1 (ac); "· b" other: 0; neither: 6.
        let (o11, o10, o01, o00) = (3.5f64, 1.5f64, 0.5f64, 6.5f64);
        let lambda = o11.ln() - o10.ln() - o01.ln() + o00.ln();
        assert!((ab.lambda - lambda).abs() < 1e-12, "{}", ab.lambda);
        let sigma = (1.0 / o11 + 1.0 / o10 + 1.0 / o01 + 1.0 / o00).sqrt();
        assert!((ab.z - lambda / sigma).abs() < 1e-12);
        assert_eq!(ab.count, 3);
        // PMI: ln(3 * 10 / (4 * 3)): "a" first in 4 bigrams, "b" second in 3.
        assert!((ab.pmi - (30.0f64 / 12.0).ln()).abs() < 1e-12);
        // G2 of the unsmoothed table against independence.
        let e = |pa: f64, pb: f64| 10.0 * pa * pb;
        let g = 2.0
            * (3.0 * (3.0 / e(0.4, 0.3)).ln()
                + 1.0 * (1.0 / e(0.4, 0.7)).ln()
                + 6.0 * (6.0 / e(0.6, 0.7)).ln());
        assert!((ab.g2 - g).abs() < 1e-9, "{} vs {g}", ab.g2);
        assert!(collocations(&tc, &form_of, &tc.breaks, 1, 1, 0.5).is_err());
    }

    #[test]
    fn trigram_cells_sum_to_all_ngrams() {
        let texts = ["x y z x y z x y w q x y z"];
        let tc = TokenizedCorpus::build(&texts, &Tokenizer::default());
        let opts = TermFreqOptions {
            stop_words: None,
            stemmer: None,
            ngram: (1, 1),
            min_count: 1,
        };
        let (form_of, names) = forms(&tc, &opts);
        let out = collocations(&tc, &form_of, &tc.breaks, 3, 2, 0.0).unwrap();
        let xyz: Vec<_> = out
            .iter()
            .filter(|c| {
                c.gram[..3]
                    .iter()
                    .map(|&f| names[f as usize].as_str())
                    .collect::<Vec<_>>()
                    == ["x", "y", "z"]
            })
            .collect();
        assert_eq!(xyz.len(), 1);
        assert_eq!(xyz[0].count, 3);
        assert!(xyz[0].z.is_finite() || xyz[0].z.is_nan());
    }
}
