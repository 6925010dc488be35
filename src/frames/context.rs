//! The words around a frame's hits: for each document, the token positions within
//! `window` tokens before and after each hit of one frame (the hits' own tokens left
//! out, each position counted once however many hits it is near), counted per term
//! and per group of the document (a period). Memory follows the (term, group) pairs
//! that occur.

use ahash::AHashMap;
use rayon::prelude::*;

use crate::count::csr::Csr;
use crate::error::{invalid, Result};
use crate::frames::scan::Matches;
use crate::ids::NO_ID;
use crate::parallel::chunk_len;
use crate::text::tokenized::TokenizedCorpus;

/// Context counts: terms x groups, and context tokens per group.
#[derive(Debug, Clone)]
pub struct ContextCounts {
    /// Rows: term ids of the vocabulary; columns: groups.
    pub counts: Csr<u64>,
    /// Context tokens counted per group.
    pub tokens: Vec<u64>,
}

/// The positions of document `d` within `window` of a hit of `frame`, not inside one.
fn positions(matches: &Matches, d: usize, frame: u32, window: usize, len: usize) -> Vec<usize> {
    let hits = &matches.hits[matches.offsets[d]..matches.offsets[d + 1]];
    let mut inside = vec![false; len];
    let mut near = vec![false; len];
    for h in hits.iter().filter(|h| h.frame == frame) {
        let (s, e) = (h.start as usize, (h.end as usize).min(len));
        inside[s.min(len)..e].iter_mut().for_each(|x| *x = true);
        near[s.saturating_sub(window)..s.min(len)]
            .iter_mut()
            .for_each(|x| *x = true);
        near[e..(e + window).min(len)]
            .iter_mut()
            .for_each(|x| *x = true);
    }
    (0..len).filter(|&p| near[p] && !inside[p]).collect()
}

/// Counts the context tokens of `frame`'s hits, per group (`group[d]`: document d's
/// group, [`NO_ID`] to leave it out).
pub fn context_counts(
    tc: &TokenizedCorpus,
    matches: &Matches,
    frame: u32,
    window: usize,
    group: &[u32],
    n_groups: usize,
) -> Result<ContextCounts> {
    if group.len() != tc.n_docs() || matches.offsets.len() != tc.n_docs() + 1 {
        return Err(invalid(
            "groups and matches must have one entry per document",
        ));
    }
    if let Some(&g) = group
        .iter()
        .find(|&&g| g != NO_ID && g as usize >= n_groups)
    {
        return Err(invalid(format!("group {g} out of range (0..{n_groups})")));
    }
    let docs: Vec<usize> = (0..tc.n_docs()).collect();
    type Partial = (AHashMap<(u32, u32), u64>, Vec<u64>);
    let partials: Vec<Partial> = docs
        .par_chunks(chunk_len(docs.len()))
        .map(|chunk| {
            let mut m: AHashMap<(u32, u32), u64> = AHashMap::new();
            let mut tokens = vec![0u64; n_groups];
            for &d in chunk {
                let g = group[d];
                if g == NO_ID || crate::cancel::requested() {
                    continue;
                }
                let ids = tc.doc(d);
                for p in positions(matches, d, frame, window, ids.len()) {
                    *m.entry((ids[p], g)).or_insert(0) += 1;
                    tokens[g as usize] += 1;
                }
            }
            (m, tokens)
        })
        .collect();
    crate::cancel::check()?;
    let mut all: AHashMap<(u32, u32), u64> = AHashMap::new();
    let mut tokens = vec![0u64; n_groups];
    for (m, t) in partials {
        for (k, v) in m {
            *all.entry(k).or_insert(0) += v;
        }
        tokens.iter_mut().zip(t).for_each(|(a, b)| *a += b);
    }
    let mut cells: Vec<((u32, u32), u64)> = all.into_iter().collect();
    cells.sort_unstable();
    let n_terms = tc.vocab.len();
    let mut counts = Csr {
        n_cols: n_groups,
        indptr: vec![0; n_terms + 1],
        indices: Vec::with_capacity(cells.len()),
        data: Vec::with_capacity(cells.len()),
    };
    for &((term, g), v) in &cells {
        counts.indptr[term as usize + 1] += 1;
        counts.indices.push(g);
        counts.data.push(v);
    }
    for t in 0..n_terms {
        counts.indptr[t + 1] += counts.indptr[t];
    }
    Ok(ContextCounts { counts, tokens })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frames::automaton::Hit;

    #[test]
    fn positions_near_hits_counted_once_and_never_the_hits_own() {
        // One document of 10 tokens, hits of frame 0 at 3..5 and 6..7, window 2.
        let m = Matches {
            offsets: vec![0, 3],
            hits: vec![
                Hit {
                    frame: 0,
                    start: 3,
                    end: 5,
                },
                Hit {
                    frame: 0,
                    start: 6,
                    end: 7,
                },
                Hit {
                    frame: 1,
                    start: 0,
                    end: 1,
                },
            ],
        };
        // Near: 1, 2 | 5, 6 (hit 1) ; 4, 5 | 7, 8 (hit 2); inside: 3, 4, 6.
        assert_eq!(positions(&m, 0, 0, 2, 10), vec![1, 2, 5, 7, 8]);
        assert_eq!(positions(&m, 0, 1, 1, 10), vec![1]);
        assert_eq!(positions(&m, 0, 0, 0, 10), Vec::<usize>::new());
    }
}
