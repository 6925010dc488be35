//! Duplicate documents across a corpus: exact (same words in the same order,
//! ignoring case, punctuation and spacing) and near (MinHash over word
//! shingles, candidates from locality-sensitive hashing, then the estimated
//! Jaccard similarity checked against a threshold).
//!
//! The earliest document of each group is kept; every later one is reported
//! with the document it duplicates and the similarity. Signatures are computed
//! in parallel; the grouping pass is sequential and in document order, so the
//! result does not depend on threads. Cost: `num_perm` hashes per shingle and
//! `8 * num_perm` bytes per document.

use ahash::AHashMap;
use rayon::prelude::*;

use crate::error::{invalid, Result};

/// Settings for [`find_duplicates`].
#[derive(Debug, Clone)]
pub struct DedupOptions {
    /// Jaccard similarity of shingle sets at or above which two documents are duplicates.
    pub threshold: f64,
    /// Words per shingle.
    pub shingle: usize,
    /// MinHash permutations (signature length).
    pub num_perm: usize,
    /// Whether to look for near duplicates at all (exact ones are always found).
    pub near: bool,
}

impl Default for DedupOptions {
    fn default() -> Self {
        DedupOptions {
            threshold: 0.8,
            shingle: 5,
            num_perm: 128,
            near: true,
        }
    }
}

/// One document found to duplicate an earlier one.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    /// The duplicate (removed) document's index.
    pub doc: usize,
    /// The index of the document kept in its place.
    pub kept: usize,
    /// 1.0 for exact duplicates, else the MinHash estimate of Jaccard similarity.
    pub similarity: f64,
    /// Whether the texts are equal after normalisation.
    pub exact: bool,
}

#[inline]
fn mix64(mut x: u64) -> u64 {
    // splitmix64 finaliser: a fixed, well-distributed 64-bit mix.
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// One hash per word (runs of letters and digits), case-insensitive.
fn word_hashes(text: &str) -> Vec<u64> {
    let hasher = ahash::RandomState::with_seeds(0x243f, 0x6a88, 0x85a3, 0x08d3);
    let mut lower = String::new();
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
                lower.clear();
                lower.extend(w.chars().flat_map(char::to_lowercase));
                hasher.hash_one(lower.as_bytes())
            } else {
                hasher.hash_one(w.as_bytes())
            }
        })
        .collect()
}

fn shingles(words: &[u64], k: usize) -> Vec<u64> {
    if words.is_empty() {
        return Vec::new();
    }
    let k = k.min(words.len());
    words
        .windows(k)
        .map(|w| {
            w.iter()
                .fold(0x1357_9bdf_u64, |h, &x| mix64(h.rotate_left(5) ^ x))
        })
        .collect()
}

/// Bands and rows per band that best separate pairs below and above `threshold`:
/// the smallest weighted sum of false-positive (weight 0.1) and false-negative
/// (weight 0.9) probability mass. Recall is weighted up because every candidate
/// is checked against the threshold afterwards.
pub fn lsh_params(threshold: f64, num_perm: usize) -> (usize, usize) {
    let integrate = |f: &dyn Fn(f64) -> f64, a: f64, b: f64| {
        let n = 200;
        let h = (b - a) / n as f64;
        (0..n).map(|i| f(a + (i as f64 + 0.5) * h) * h).sum::<f64>()
    };
    let mut best = (1, num_perm, f64::INFINITY);
    for b in 1..=num_perm {
        if !num_perm.is_multiple_of(b) {
            continue;
        }
        let r = num_perm / b;
        let p = |s: f64| 1.0 - (1.0 - s.powi(r as i32)).powi(b as i32);
        let fp = integrate(&p, 0.0, threshold);
        let fneg = integrate(&|s| 1.0 - p(s), threshold, 1.0);
        let cost = 0.1 * fp + 0.9 * fneg;
        if cost < best.2 {
            best = (b, r, cost);
        }
    }
    (best.0, best.1)
}

/// Finds exact and near duplicates among `texts`; the earliest of each group is kept.
/// Documents without a word are never duplicates.
pub fn find_duplicates<S: AsRef<str> + Sync>(
    texts: &[S],
    opts: &DedupOptions,
) -> Result<Vec<Duplicate>> {
    if !(opts.threshold > 0.0 && opts.threshold <= 1.0) {
        return Err(invalid(format!(
            "threshold must be in (0, 1], got {}",
            opts.threshold
        )));
    }
    if opts.shingle == 0 || opts.num_perm == 0 {
        return Err(invalid("shingle and num_perm must be positive"));
    }
    let seeds: Vec<(u64, u64)> = (0..opts.num_perm as u64)
        .map(|i| (mix64(i * 2 + 1) | 1, mix64(i * 2 + 2)))
        .collect();
    // Per document: a hash of its word sequence, and its MinHash signature.
    let sigs: Vec<(Option<u64>, Vec<u64>)> = texts
        .par_iter()
        .map(|t| {
            if crate::cancel::requested() {
                return (None, Vec::new());
            }
            crate::progress::advance(1);
            let words = word_hashes(t.as_ref());
            if words.is_empty() {
                return (None, Vec::new());
            }
            let whole = words.iter().fold(words.len() as u64, |h, &w| mix64(h ^ w));
            if !opts.near {
                return (Some(whole), Vec::new());
            }
            let sh = shingles(&words, opts.shingle);
            // Permutation i: x -> a_i * x + b_i (mod 2^64, a_i odd) over well-mixed
            // shingle hashes; the minimum compares the high bits, which this family mixes.
            let sig = seeds
                .iter()
                .map(|&(a, b)| {
                    sh.iter()
                        .map(|&x| x.wrapping_mul(a).wrapping_add(b))
                        .min()
                        .unwrap_or(u64::MAX)
                })
                .collect();
            (Some(whole), sig)
        })
        .collect();
    let (bands, rows) = lsh_params(opts.threshold, opts.num_perm);
    let mut exact: AHashMap<u64, usize> = AHashMap::new();
    // Per band: bucket key -> newest entry; entries chain (kept document, previous entry).
    let mut heads: Vec<AHashMap<u64, u32>> = vec![AHashMap::new(); bands];
    let mut chain: Vec<(u32, u32)> = Vec::new();
    let mut out = Vec::new();
    for (i, (whole, sig)) in sigs.iter().enumerate() {
        let Some(whole) = whole else { continue };
        if let Some(&k) = exact.get(whole) {
            out.push(Duplicate {
                doc: i,
                kept: k,
                similarity: 1.0,
                exact: true,
            });
            continue;
        }
        exact.insert(*whole, i);
        if !opts.near {
            continue;
        }
        let keys: Vec<u64> = (0..bands)
            .map(|b| {
                sig[b * rows..(b + 1) * rows]
                    .iter()
                    .fold(b as u64, |h, &x| mix64(h ^ x))
            })
            .collect();
        let mut candidates: Vec<usize> = Vec::new();
        for (b, k) in keys.iter().enumerate() {
            let mut e = heads[b].get(k).copied().unwrap_or(crate::ids::NO_ID);
            while e != crate::ids::NO_ID {
                let (doc, prev) = chain[e as usize];
                candidates.push(doc as usize);
                e = prev;
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let hit = candidates.into_iter().find_map(|k| {
            let other = &sigs[k].1;
            let same = sig.iter().zip(other).filter(|(a, b)| a == b).count();
            let s = same as f64 / opts.num_perm as f64;
            (s >= opts.threshold).then_some((k, s))
        });
        match hit {
            Some((k, s)) => out.push(Duplicate {
                doc: i,
                kept: k,
                similarity: s,
                exact: false,
            }),
            None => {
                // A kept document: make it a candidate for later ones.
                for (b, k) in keys.into_iter().enumerate() {
                    let head = heads[b].entry(k).or_insert(crate::ids::NO_ID);
                    chain.push((i as u32, *head));
                    *head = (chain.len() - 1) as u32;
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(seed: u64, n: usize) -> String {
        (0..n)
            .map(|i| format!("w{}", mix64(seed * 1000 + i as u64) % 5000))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn finds_exact_and_near_duplicates_only() {
        let a = text(1, 300);
        let mut near = a.clone();
        near.push_str(" one more sentence at the end.");
        let exact = a.to_uppercase().replace(' ', "  , ");
        let docs = vec![
            a.clone(),
            text(2, 300),
            exact,
            near,
            String::new(),
            String::new(),
            text(3, 300),
        ];
        let d = find_duplicates(&docs, &DedupOptions::default()).unwrap();
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!((d[0].doc, d[0].kept, d[0].exact), (2, 0, true));
        assert_eq!((d[1].doc, d[1].kept, d[1].exact), (3, 0, false));
        assert!(d[1].similarity > 0.9 && d[1].similarity < 1.0);
        let only_exact = DedupOptions {
            near: false,
            ..Default::default()
        };
        assert_eq!(find_duplicates(&docs, &only_exact).unwrap().len(), 1);
    }

    #[test]
    fn threshold_separates_half_overlaps() {
        // Two documents sharing half their words: Jaccard of shingles about 1/3.
        let a = format!("{} {}", text(5, 200), text(6, 200));
        let b = format!("{} {}", text(5, 200), text(7, 200));
        let d = find_duplicates(&[&a, &b], &DedupOptions::default()).unwrap();
        assert!(d.is_empty());
        let loose = DedupOptions {
            threshold: 0.2,
            ..Default::default()
        };
        let d = find_duplicates(&[&a, &b], &loose).unwrap();
        assert_eq!(d.len(), 1);
        assert!(
            (d[0].similarity - 1.0 / 3.0).abs() < 0.12,
            "{}",
            d[0].similarity
        );
        assert!(find_duplicates(
            &[&a],
            &DedupOptions {
                threshold: 1.5,
                ..Default::default()
            }
        )
        .is_err());
    }

    #[test]
    fn lsh_params_cover_threshold() {
        let (b, r) = lsh_params(0.8, 128);
        assert_eq!(b * r, 128);
        let p = |s: f64| 1.0 - (1.0 - s.powi(r as i32)).powi(b as i32);
        assert!(p(0.85) > 0.95 && p(0.5) < 0.1, "b={b} r={r}");
    }
}
