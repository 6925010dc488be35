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
    let docs: Vec<usize> = (0..tc.n_docs()).collect();
    type Partial = (AHashMap<(u32, u32, u32), u64>, Vec<Vec<u64>>);
    let partials: Vec<Partial> = docs
        .par_chunks(chunk_len(docs.len()))
        .map(|chunk| {
            let mut pairs: AHashMap<(u32, u32, u32), u64> = AHashMap::new();
            let mut occ: Vec<Vec<u64>> = vec![Vec::new(); n_groups];
            let mut stream = Vec::new();
            let mut ticker = crate::progress::Ticker::default();
            for &d in chunk {
                let g = group[d];
                ticker.tick();
                if g == NO_ID || crate::cancel::requested() {
                    continue;
                }
                units.stream(tc, seeds, d, &mut stream);
                let o = &mut occ[g as usize];
                if o.is_empty() {
                    o.resize(n, 0);
                }
                for (i, &a) in stream.iter().enumerate() {
                    o[a as usize] += 1;
                    for &b in &stream[i + 1..(i + 1 + window).min(stream.len())] {
                        if a != b {
                            *pairs.entry((g, a.min(b), a.max(b))).or_insert(0) += 1;
                        }
                    }
                }
            }
            (pairs, occ)
        })
        .collect();
    crate::cancel::check()?;
    let mut all: AHashMap<(u32, u32, u32), u64> = AHashMap::new();
    let mut occurrences = vec![vec![0u64; n]; n_groups];
    for (pairs, occ) in partials {
        if all.is_empty() {
            all = pairs;
        } else {
            for (k, v) in pairs {
                *all.entry(k).or_insert(0) += v;
            }
        }
        for (total, o) in occurrences.iter_mut().zip(occ) {
            total.iter_mut().zip(o).for_each(|(x, y)| *x += y);
        }
    }
    // Both directions of each pair, sorted by group, row, column.
    let mut cells: Vec<(u32, u32, u32, u64)> = Vec::with_capacity(all.len() * 2);
    for ((g, a, b), v) in all {
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
        assert!(count(&tc, &u, None, 0, &[0, 0], 1).is_err());
    }
}
