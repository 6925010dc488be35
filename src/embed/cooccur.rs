//! Window co-occurrence counts of units, per group of documents (a period): two units
//! co-occur when at most `window` units apart in a document's unit stream; each pair of
//! positions counts once in each direction; a unit is never its own context. Counts
//! are integers, so sums do not depend on how documents were split among threads;
//! memory follows the (group, unit, unit) pairs that occur.

use ahash::AHashMap;
use rayon::prelude::*;

use crate::count::csr::Csr;
use crate::embed::units::Units;
use crate::error::{invalid, Result};
use crate::frames::scan::Matches;
use crate::ids::NO_ID;
use crate::parallel::chunk_len;
use crate::text::tokenized::TokenizedCorpus;

/// Co-occurrence counts per group.
#[derive(Debug, Clone)]
pub struct Cooccurrence {
    /// Per group: units x units, symmetric, no diagonal.
    pub counts: Vec<Csr<u64>>,
    /// Per group: occurrences of each unit.
    pub occurrences: Vec<Vec<u64>>,
}

/// A thread's counts: the dense block of frequent pairs (groups x side x side), the
/// other pairs, and occurrences per group (empty until the group is seen).
struct Partial {
    block: Vec<u64>,
    pairs: AHashMap<(u32, u32, u32), u64>,
    occ: Vec<Vec<u64>>,
}

impl Partial {
    /// The sums of two threads' counts.
    fn add(mut self, mut other: Partial) -> Partial {
        if self.pairs.len() < other.pairs.len() {
            std::mem::swap(&mut self.pairs, &mut other.pairs);
        }
        for (k, v) in other.pairs {
            *self.pairs.entry(k).or_insert(0) += v;
        }
        if self.block.is_empty() {
            self.block = other.block;
        } else if !other.block.is_empty() {
            self.block
                .iter_mut()
                .zip(&other.block)
                .for_each(|(x, y)| *x += y);
        }
        for (mine, theirs) in self.occ.iter_mut().zip(other.occ) {
            if mine.is_empty() {
                *mine = theirs;
            } else if !theirs.is_empty() {
                mine.iter_mut().zip(theirs).for_each(|(x, y)| *x += y);
            }
        }
        self
    }
}

/// The side of the dense block of frequent pairs: up to 1,024 words, at most 32 MB
/// (u64 counts) over all groups per thread.
fn dense_side(n_words: usize, n_groups: usize) -> usize {
    const BUDGET_CELLS: usize = 4 << 20;
    let side = ((BUDGET_CELLS / n_groups.max(1)) as f64).sqrt() as usize;
    side.min(1024).min(n_words)
}

/// Counts co-occurrences of `units` within `window` in each document, per group
/// (`group[d]`, [`NO_ID`] to leave a document out; `n_groups` groups).
pub fn count(
    tc: &TokenizedCorpus,
    units: &Units,
    seeds: Option<&Matches>,
    window: usize,
    group: &[u32],
    n_groups: usize,
) -> Result<Cooccurrence> {
    let dense = dense_side(units.len().min(units.n_words), n_groups);
    count_with_block(tc, units, seeds, window, group, n_groups, dense)
}

/// [`count`] with the dense block's side given (0: every pair in the hash map).
fn count_with_block(
    tc: &TokenizedCorpus,
    units: &Units,
    seeds: Option<&Matches>,
    window: usize,
    group: &[u32],
    n_groups: usize,
    dense: usize,
) -> Result<Cooccurrence> {
    if window == 0 {
        return Err(invalid("window must be at least 1"));
    }
    if group.len() != tc.n_docs() {
        return Err(invalid("groups must have one entry per document"));
    }
    if let Some(&g) = group
        .iter()
        .find(|&&g| g != NO_ID && g as usize >= n_groups)
    {
        return Err(invalid(format!("group {g} out of range (0..{n_groups})")));
    }
    let n = units.len();
    // Pairs of the `dense` most frequent words (units are numbered by frequency) are
    // counted in a dense block per group, which most increments hit (Zipf); the rest in
    // a hash map. One accumulator per thread (fold), merged by addition (reduce):
    // integer sums, the same for any split.
    let docs: Vec<usize> = (0..tc.n_docs()).collect();
    let empty = || Partial {
        block: Vec::new(),
        pairs: AHashMap::new(),
        occ: vec![Vec::new(); n_groups],
    };
    let all = docs
        .par_chunks(chunk_len(docs.len()))
        .fold(empty, |mut acc, chunk| {
            let mut stream = Vec::new();
            let mut ticker = crate::progress::Ticker::default();
            for &d in chunk {
                let g = group[d];
                ticker.tick();
                if g == NO_ID || crate::cancel::requested() {
                    continue;
                }
                units.stream(tc, seeds, d, &mut stream);
                if acc.occ[g as usize].is_empty() {
                    acc.occ[g as usize].resize(n, 0);
                }
                if acc.block.is_empty() && dense > 0 {
                    acc.block.resize(n_groups * dense * dense, 0);
                }
                let base = g as usize * dense * dense;
                for (i, &a) in stream.iter().enumerate() {
                    acc.occ[g as usize][a as usize] += 1;
                    for &b in &stream[i + 1..(i + 1 + window).min(stream.len())] {
                        let (lo, hi) = (a.min(b), a.max(b));
                        if lo == hi {
                            continue;
                        }
                        if (hi as usize) < dense {
                            acc.block[base + lo as usize * dense + hi as usize] += 1;
                        } else {
                            *acc.pairs.entry((g, lo, hi)).or_insert(0) += 1;
                        }
                    }
                }
            }
            acc
        })
        .reduce(empty, Partial::add);
    crate::cancel::check()?;
    let Partial { block, pairs, occ } = all;
    let occurrences: Vec<Vec<u64>> = occ
        .into_iter()
        .map(|o| if o.is_empty() { vec![0; n] } else { o })
        .collect();
    let mut found: Vec<((u32, u32, u32), u64)> = pairs.into_iter().collect();
    if !block.is_empty() {
        for g in 0..n_groups {
            for lo in 0..dense {
                for hi in lo + 1..dense {
                    let v = block[g * dense * dense + lo * dense + hi];
                    if v > 0 {
                        found.push(((g as u32, lo as u32, hi as u32), v));
                    }
                }
            }
        }
    }
    // Both directions of each pair, sorted by group, row, column.
    let mut cells: Vec<(u32, u32, u32, u64)> = Vec::with_capacity(found.len() * 2);
    for ((g, a, b), v) in found {
        cells.push((g, a, b, v));
        cells.push((g, b, a, v));
    }
    cells.par_sort_unstable();
    let mut counts: Vec<Csr<u64>> = (0..n_groups)
        .map(|_| Csr {
            n_cols: n,
            indptr: vec![0; n + 1],
            indices: Vec::new(),
            data: Vec::new(),
        })
        .collect();
    for &(g, a, b, v) in &cells {
        let m = &mut counts[g as usize];
        m.indptr[a as usize + 1] += 1;
        m.indices.push(b);
        m.data.push(v);
    }
    for m in &mut counts {
        for r in 0..n {
            m.indptr[r + 1] += m.indptr[r];
        }
    }
    Ok(Cooccurrence {
        counts,
        occurrences,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::units::UnitOptions;
    use crate::text::tokenizer::Tokenizer;

    #[test]
    fn window_counts_by_hand() {
        let tc = TokenizedCorpus::build(&["a b c a", "b c"], &Tokenizer::default());
        let opts = UnitOptions {
            min_count: 1,
            phrases: false,
            ..UnitOptions::default()
        };
        let u = Units::build(&tc, &opts, &[]).unwrap();
        let (a, b, c) = (
            u.find("a").unwrap(),
            u.find("b").unwrap(),
            u.find("c").unwrap(),
        );
        // Window 1, both documents in group 0: a-b 1, b-c 2, c-a 1.
        let co = count(&tc, &u, None, 1, &[0, 0], 1).unwrap();
        let m = &co.counts[0];
        let get = |r: u32, col: u32| {
            (m.indptr[r as usize]..m.indptr[r as usize + 1])
                .find(|&k| m.indices[k] == col)
                .map_or(0, |k| m.data[k])
        };
        assert_eq!((get(a, b), get(b, c), get(c, a), get(a, a)), (1, 2, 1, 0));
        assert_eq!((get(b, a), get(c, b), get(a, c)), (1, 2, 1));
        // Window 3 in document 0: a-b, a-c, a-a (never counted), b-c, b-a, c-a.
        let co = count(&tc, &u, None, 3, &[0, 1], 2).unwrap();
        let m0 = &co.counts[0];
        assert_eq!(m0.data.iter().sum::<u64>(), 2 * 5);
        assert_eq!(co.counts[1].data.iter().sum::<u64>(), 2);
        assert_eq!(co.occurrences[0][a as usize], 2);
        assert_eq!(co.occurrences[1][a as usize], 0);
        // A document left out counts nowhere.
        let co = count(&tc, &u, None, 1, &[NO_ID, 0], 1).unwrap();
        assert_eq!(co.counts[0].data.iter().sum::<u64>(), 2);
        assert!(count(&tc, &u, None, 1, &[0, 5], 1).is_err());
        // The dense block of frequent pairs and the hash map count the same.
        let texts: Vec<String> = (0..300)
            .map(|i| {
                (0..40)
                    .map(|k| format!("w{}", (i * 7 + k * k) % 97))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let tc = TokenizedCorpus::build(&texts, &Tokenizer::default());
        let u = Units::build(&tc, &opts, &[]).unwrap();
        let group: Vec<u32> = (0..300).map(|d| d % 3).collect();
        let hashed = count_with_block(&tc, &u, None, 4, &group, 3, 0).unwrap();
        for side in [10, 50, 97] {
            let blocked = count_with_block(&tc, &u, None, 4, &group, 3, side).unwrap();
            assert_eq!(blocked.counts, hashed.counts);
            assert_eq!(blocked.occurrences, hashed.occurrences);
        }
        assert!(count(&tc, &u, None, 0, &[0, 0], 1).is_err());
    }
}
