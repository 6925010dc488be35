//! All patterns of a frame dictionary compiled into one trie over token ids,
//! and matched against a tokenized corpus in one pass per document.
//!
//! A pattern whose positions match sets of ids (globs, stems, regexes) is
//! expanded into trie paths once, against the corpus vocabulary. Matching walks
//! the trie from every token; the first step is a dense table lookup, so tokens
//! that start no pattern cost one load. Per frame, matches are taken leftmost-
//! longest without overlap (a span counts once per frame); frames may overlap
//! each other. A frame's exclusion patterns cancel the frame's matches they overlap.

use ahash::AHashMap;
use rayon::prelude::*;

use crate::count::csr::Csr;
use crate::error::{invalid, Result};
use crate::frames::pattern::{parse, Pattern, Resolver};
use crate::frames::scan::Matches;
use crate::memory;
use crate::text::tokenized::{TokenizedCorpus, Vocabulary};
use crate::text::tokenizer::Tokenizer;

/// A frame: a name, its patterns, and patterns whose matches do not count for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameSpec {
    /// Frame name.
    pub name: String,
    /// Patterns (see [`crate::frames::pattern`]).
    pub patterns: Vec<String>,
    /// Exclusions: a match overlapping one of these is not counted.
    pub exclude: Vec<String>,
}

/// Largest number of trie paths one pattern may expand to.
pub const MAX_EXPANSION: usize = 1_000_000;
/// The most token sequences all patterns of a dictionary may expand to together
/// (forty patterns each under [`MAX_EXPANSION`] once passed 4 GB).
pub const MAX_TOTAL_EXPANSION: usize = 2_000_000;

use crate::ids::NO_ID;

#[derive(Debug, Default, Clone)]
struct Node {
    next: AHashMap<u32, u32>,
    /// (frame, is_exclusion) ending here.
    ends: Vec<(u32, bool)>,
}

/// The compiled dictionary for one vocabulary.
#[derive(Debug, Clone)]
pub struct Automaton {
    /// Root transitions, indexed by token id.
    root: Vec<u32>,
    nodes: Vec<Node>,
    n_frames: usize,
}

/// One counted match: frame and token range `[start, end)` within its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Frame index.
    pub frame: u32,
    /// First token.
    pub start: u32,
    /// One past the last token.
    pub end: u32,
}

/// Parses every pattern of `frames` (errors name the frame and pattern).
pub fn parse_frames(
    frames: &[FrameSpec],
    tokenizer: &Tokenizer,
) -> Result<Vec<(Vec<Pattern>, Vec<Pattern>)>> {
    let mut seen = ahash::AHashSet::new();
    frames
        .iter()
        .map(|f| {
            if f.name.trim().is_empty() {
                return Err(invalid("a frame has an empty name"));
            }
            if !seen.insert(f.name.as_str()) {
                return Err(invalid(format!("frame {:?} is defined twice", f.name)));
            }
            if f.patterns.is_empty() {
                return Err(invalid(format!("frame {:?} has no patterns", f.name)));
            }
            let p = f
                .patterns
                .iter()
                .map(|s| parse(&f.name, s, tokenizer))
                .collect::<Result<_>>()?;
            let x = f
                .exclude
                .iter()
                .map(|s| parse(&f.name, s, tokenizer))
                .collect::<Result<_>>()?;
            Ok((p, x))
        })
        .collect()
}

impl Automaton {
    /// Compiles parsed frames against `vocab`.
    pub fn compile(
        frames: &[(Vec<Pattern>, Vec<Pattern>)],
        names: &[String],
        vocab: &Vocabulary,
    ) -> Result<Automaton> {
        let mut a = Automaton {
            root: vec![NO_ID; vocab.len()],
            nodes: vec![Node::default()],
            n_frames: frames.len(),
        };
        let mut resolver = Resolver::new(vocab);
        let mut total = 0usize;
        for (f, (patterns, excludes)) in frames.iter().enumerate() {
            for (p, excl) in patterns
                .iter()
                .map(|p| (p, false))
                .chain(excludes.iter().map(|p| (p, true)))
            {
                let steps: Vec<Vec<u32>> = p
                    .tokens
                    .iter()
                    .map(|t| resolver.ids(t))
                    .collect::<Result<_>>()?;
                if steps.iter().any(Vec::is_empty) {
                    continue; // some position matches nothing in this corpus
                }
                let paths = steps
                    .iter()
                    .try_fold(1usize, |acc, s| acc.checked_mul(s.len()));
                if paths.is_none_or(|n| n > MAX_EXPANSION) {
                    return Err(invalid(format!(
                        "frame {:?}, pattern {:?}: expands to more than {MAX_EXPANSION} token sequences in this corpus; make its globs narrower",
                        names[f], p.source
                    )));
                }
                total = total.saturating_add(paths.unwrap_or(usize::MAX));
                if total > MAX_TOTAL_EXPANSION {
                    return Err(invalid(format!(
                        "frame {:?}, pattern {:?}: the dictionary's patterns together expand to \
                         more than {MAX_TOTAL_EXPANSION} token sequences in this corpus; make \
                         their globs narrower",
                        names[f], p.source
                    )));
                }
                a.insert(&steps, f as u32, excl);
            }
        }
        Ok(a)
    }

    fn insert(&mut self, steps: &[Vec<u32>], frame: u32, excl: bool) {
        // Breadth-first over positions: the set of trie nodes reached so far.
        let mut frontier: Vec<u32> = Vec::new();
        for &id in &steps[0] {
            let slot = &mut self.root[id as usize];
            if *slot == NO_ID {
                self.nodes.push(Node::default());
                *slot = (self.nodes.len() - 1) as u32;
            }
            frontier.push(*slot);
        }
        for step in &steps[1..] {
            let mut next = Vec::with_capacity(frontier.len() * step.len());
            for &n in &frontier {
                for &id in step {
                    let child = match self.nodes[n as usize].next.get(&id) {
                        Some(&c) => c,
                        None => {
                            self.nodes.push(Node::default());
                            let c = (self.nodes.len() - 1) as u32;
                            self.nodes[n as usize].next.insert(id, c);
                            c
                        }
                    };
                    next.push(child);
                }
            }
            next.sort_unstable();
            next.dedup();
            frontier = next;
        }
        for n in frontier {
            let ends = &mut self.nodes[n as usize].ends;
            if !ends.contains(&(frame, excl)) {
                ends.push((frame, excl));
            }
        }
    }

    /// Number of frames.
    pub fn n_frames(&self) -> usize {
        self.n_frames
    }

    /// The counted matches in one document's token ids, by frame, then start.
    pub fn match_doc(&self, ids: &[u32], out: &mut Vec<Hit>) {
        // Longest match of each (frame, kind) at each start.
        let mut cands: Vec<(u32, bool, u32, u32)> = Vec::new(); // frame, excl, start, end
        for i in 0..ids.len() {
            let mut node = self.root.get(ids[i] as usize).copied().unwrap_or(NO_ID);
            let mut j = i + 1;
            while node != NO_ID {
                let n = &self.nodes[node as usize];
                for &(f, x) in &n.ends {
                    cands.push((f, x, i as u32, j as u32));
                }
                if j >= ids.len() {
                    break;
                }
                node = n.next.get(&ids[j]).copied().unwrap_or(NO_ID);
                j += 1;
            }
        }
        if cands.is_empty() {
            return;
        }
        // Per frame: leftmost-longest non-overlapping hits, minus those overlapping an exclusion.
        cands.sort_unstable_by(|a, b| {
            (a.0, a.1, a.2, std::cmp::Reverse(a.3)).cmp(&(b.0, b.1, b.2, std::cmp::Reverse(b.3)))
        });
        let mut k = 0;
        while k < cands.len() {
            let f = cands[k].0;
            let mut e = k;
            while e < cands.len() && cands[e].0 == f {
                e += 1;
            }
            let group = &cands[k..e];
            // Exclusions by start (the sort order), with the running maximum of their
            // ends: one binary search per candidate, not a scan of every exclusion.
            let excl: Vec<(u32, u32)> = group.iter().filter(|c| c.1).map(|c| (c.2, c.3)).collect();
            let reach: Vec<u32> = excl
                .iter()
                .scan(0u32, |m, &(_, t)| {
                    *m = (*m).max(t);
                    Some(*m)
                })
                .collect();
            let excluded = |start: u32, end: u32| {
                let n = excl.partition_point(|&(s, _)| s < end);
                n > 0 && reach[n - 1] > start
            };
            let mut free = 0u32;
            for c in group.iter().filter(|c| !c.1) {
                if c.2 < free {
                    continue;
                }
                free = c.3;
                if !excluded(c.2, c.3) {
                    out.push(Hit {
                        frame: f,
                        start: c.2,
                        end: c.3,
                    });
                }
            }
            k = e;
        }
    }

    /// Matches every document, in parallel: blocks of documents, each into hits of its
    /// own (no allocation per document), laid end to end.
    pub fn match_corpus(&self, tc: &TokenizedCorpus) -> Matches {
        let n = tc.n_docs();
        let step = crate::parallel::chunk_len(n);
        let blocks = (0..n.div_ceil(step))
            .into_par_iter()
            .map(|b| {
                let docs = b * step..n.min((b + 1) * step);
                let mut hits = Vec::new();
                let mut ends = Vec::with_capacity(docs.len());
                for d in docs {
                    if !crate::cancel::requested() {
                        self.match_doc(tc.doc(d), &mut hits);
                    }
                    ends.push(hits.len());
                }
                (hits, ends)
            })
            .collect();
        Matches::from_blocks(blocks)
    }
}

/// Hits per document and frame as a sparse `docs x frames` matrix: memory in
/// proportion to the (document, frame) pairs with a hit, whatever the number of frames.
/// Blocks of documents are counted on every thread into arrays of their own (no
/// allocation per document), then laid end to end.
pub fn hit_matrix(offsets: &[usize], hits: &[Hit], n_frames: usize) -> Result<Csr<u32>> {
    const WHAT: &str = "the document x frame hit counts";
    let n_docs = offsets.len() - 1;
    let step = crate::parallel::chunk_len(n_docs);
    // Per block: each stored (frame, count), ascending by frame within a document (hits
    // come by frame, then start), and where each of its documents ends.
    let blocks: Vec<(Vec<u32>, Vec<u32>, Vec<usize>)> = (0..n_docs.div_ceil(step))
        .into_par_iter()
        .map(|b| {
            let docs = b * step..n_docs.min((b + 1) * step);
            let (mut cols, mut vals) = (Vec::new(), Vec::<u32>::new());
            let mut ends = Vec::with_capacity(docs.len());
            for d in docs {
                let first = cols.len();
                for h in &hits[offsets[d]..offsets[d + 1]] {
                    if cols.len() > first && cols.last() == Some(&h.frame) {
                        *vals.last_mut().expect("paired") += 1;
                    } else {
                        cols.push(h.frame);
                        vals.push(1);
                    }
                }
                ends.push(cols.len());
            }
            (cols, vals, ends)
        })
        .collect();
    let nnz: usize = blocks.iter().map(|b| b.0.len()).sum();
    let mut indptr = Vec::new();
    memory::reserve(&mut indptr, n_docs + 1, WHAT)?;
    let mut indices = Vec::new();
    memory::reserve(&mut indices, nnz, WHAT)?;
    let mut data = Vec::new();
    memory::reserve(&mut data, nnz, WHAT)?;
    indptr.push(0);
    for (cols, vals, ends) in &blocks {
        let base = indices.len();
        indices.extend_from_slice(cols);
        data.extend_from_slice(vals);
        indptr.extend(ends.iter().map(|&e| base + e));
    }
    Ok(Csr {
        n_cols: n_frames,
        indptr,
        indices,
        data,
    })
}

/// For each ordered pair of frames (a, b) that overlap somewhere, how many hits of
/// `a` overlap a hit of `b` (same tokens): `(a, b, count)`, sorted, never a pair
/// with count 0. Memory grows with the pairs that occur, not with frames squared.
pub fn overlaps(offsets: &[usize], hits: &[Hit]) -> Vec<(u32, u32, u64)> {
    let n_docs = offsets.len() - 1;
    let pairs = (0..n_docs)
        .into_par_iter()
        .with_min_len(64)
        .fold(AHashMap::<(u32, u32), u64>::new, |mut acc, d| {
            if crate::cancel::requested() {
                return acc;
            }
            // A sweep over the document's hits by start: each hit meets only the hits
            // still open when it starts and those starting before it ends.
            let mut doc = hits[offsets[d]..offsets[d + 1]].to_vec();
            doc.sort_unstable_by_key(|h| (h.start, h.end, h.frame));
            let mut open: Vec<usize> = Vec::new();
            let mut met: Vec<u32> = Vec::new();
            for (i, a) in doc.iter().enumerate() {
                open.retain(|&j| doc[j].end > a.start);
                let later = doc[i + 1..].iter().take_while(|b| b.start < a.end);
                met.clear();
                met.extend(
                    open.iter()
                        .map(|&j| &doc[j])
                        .chain(later)
                        .filter(|b| b.frame != a.frame)
                        .map(|b| b.frame),
                );
                met.sort_unstable();
                met.dedup();
                for &b in &met {
                    *acc.entry((a.frame, b)).or_insert(0) += 1;
                }
                open.push(i);
            }
            acc
        })
        .reduce(AHashMap::new, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_insert(0) += v;
            }
            a
        });
    let mut out: Vec<(u32, u32, u64)> = pairs.into_iter().map(|((a, b), n)| (a, b, n)).collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenizer::TokenizerOptions;

    fn run(
        frames: &[(&str, &[&str], &[&str])],
        texts: &[&str],
    ) -> (Vec<usize>, Vec<Hit>, Vec<u32>) {
        let tok = Tokenizer::new(TokenizerOptions::default());
        let tc = TokenizedCorpus::build(texts, &tok);
        let specs: Vec<FrameSpec> = frames
            .iter()
            .map(|(n, p, x)| FrameSpec {
                name: n.to_string(),
                patterns: p.iter().map(|s| s.to_string()).collect(),
                exclude: x.iter().map(|s| s.to_string()).collect(),
            })
            .collect();
        let names: Vec<String> = specs.iter().map(|s| s.name.clone()).collect();
        let parsed = parse_frames(&specs, &tok).unwrap();
        let a = Automaton::compile(&parsed, &names, &tc.vocab).unwrap();
        let Matches {
            offsets: o,
            hits: h,
        } = a.match_corpus(&tc);
        let m = hit_matrix(&o, &h, specs.len()).unwrap();
        // Dense docs x frames, for the assertions.
        let mut c = vec![0u32; (o.len() - 1) * specs.len()];
        for d in 0..o.len() - 1 {
            for k in m.indptr[d]..m.indptr[d + 1] {
                c[d * specs.len() + m.indices[k] as usize] = m.data[k];
            }
        }
        (o, h, c)
    }

    #[test]
    fn longest_match_once_per_frame_overlaps_across_frames() {
        let (_, hits, counts) = run(
            &[
                (
                    "multipolarity",
                    &["multipolar*", "multipolar world order"],
                    &[],
                ),
                (
                    "world_order",
                    &["world order", "rules-based world order"],
                    &[],
                ),
            ],
            &[
                "A multipolar world order, not the rules-based\nworld order.",
                "Multipolarity!",
            ],
        );
        assert_eq!(counts, [1, 2, 1, 0]);
        // "multipolar world order" (tokens 1..4) wins over "multipolar*" (1..2).
        assert_eq!(
            hits[0],
            Hit {
                frame: 0,
                start: 1,
                end: 4
            }
        );
        assert_eq!(
            hits[1],
            Hit {
                frame: 1,
                start: 2,
                end: 4
            }
        );
        assert_eq!(
            hits[2],
            Hit {
                frame: 1,
                start: 6,
                end: 10
            }
        );
        let (o, h, _) = run(&[("a", &["x y"], &[]), ("b", &["y z"], &[])], &["x y z"]);
        assert_eq!(overlaps(&o, &h), [(0, 1, 1), (1, 0, 1)]);
    }

    #[test]
    fn exclusions_russian_inflections_and_possessives() {
        let (_, _, counts) = run(
            &[
                (
                    "west",
                    &["West"],
                    &["West Africa", "West Bank", "collective West"],
                ),
                (
                    "collective_west",
                    &["collective West", "коллективн* запад*"],
                    &[],
                ),
            ],
            &[
                "The collective West’s sanctions; коллективного Запада и коллективному Западу.",
                "West Africa and the West Bank, but the West.",
            ],
        );
        assert_eq!(counts, [0, 3, 1, 0]);
    }

    #[test]
    fn errors_and_limits() {
        let tok = Tokenizer::new(TokenizerOptions::default());
        let spec = |n: &str, p: &[&str]| FrameSpec {
            name: n.into(),
            patterns: p.iter().map(|s| s.to_string()).collect(),
            exclude: vec![],
        };
        assert!(parse_frames(&[spec("a", &[])], &tok)
            .unwrap_err()
            .to_string()
            .contains("no patterns"));
        assert!(parse_frames(&[spec("a", &["x"]), spec("a", &["y"])], &tok)
            .unwrap_err()
            .to_string()
            .contains("twice"));
        let words: Vec<String> = (0..1200).map(|i| format!("w{i}")).collect();
        let text = words.join(" ");
        let tc = TokenizedCorpus::build(&[text.as_str()], &tok);
        let parsed = parse_frames(&[spec("wide", &["w* w*"])], &tok).unwrap();
        let e = Automaton::compile(&parsed, &["wide".into()], &tc.vocab).unwrap_err();
        assert!(e.to_string().contains("expands to more than"), "{e}");
    }
    #[test]
    fn hit_matrix_counts_each_documents_frames_across_blocks() {
        // 5,000 documents (many blocks at any thread count), a third without hits, the
        // rest with up to 12 hits over 7 frames, sorted by frame then start as matching
        // leaves them; checked against a dense count and the CSR's own invariants.
        let mut next = crate::testing::lcg(17);
        let (n_docs, n_frames) = (5000, 7);
        let mut offsets = vec![0];
        let mut hits = Vec::new();
        let mut dense = vec![0u32; n_docs * n_frames];
        for d in 0..n_docs {
            let mut doc: Vec<Hit> = if next().is_multiple_of(3) {
                Vec::new()
            } else {
                (0..1 + next() % 12)
                    .map(|k| Hit {
                        frame: (next() % n_frames) as u32,
                        start: k as u32,
                        end: k as u32 + 1,
                    })
                    .collect()
            };
            doc.sort_by_key(|h| (h.frame, h.start));
            for h in &doc {
                dense[d * n_frames + h.frame as usize] += 1;
            }
            hits.extend(doc);
            offsets.push(hits.len());
        }
        let m = hit_matrix(&offsets, &hits, n_frames).unwrap();
        assert_eq!(m.indptr.len(), n_docs + 1);
        assert_eq!((m.indptr[0], m.indptr[n_docs]), (0, m.indices.len()));
        let mut got = vec![0u32; n_docs * n_frames];
        for d in 0..n_docs {
            let cols = &m.indices[m.indptr[d]..m.indptr[d + 1]];
            assert!(
                cols.windows(2).all(|w| w[0] < w[1]),
                "document {d}: {cols:?}"
            );
            for k in m.indptr[d]..m.indptr[d + 1] {
                assert!(m.data[k] > 0);
                got[d * n_frames + m.indices[k] as usize] = m.data[k];
            }
        }
        assert_eq!(got, dense);
        assert_eq!(
            m.data.iter().map(|&c| c as usize).sum::<usize>(),
            hits.len()
        );
        // No documents; documents without any hit.
        assert_eq!(hit_matrix(&[0], &[], 3).unwrap().indptr, [0]);
        let empty = hit_matrix(&[0, 0, 0], &[], 3).unwrap();
        assert_eq!((empty.indptr, empty.indices.len()), (vec![0, 0, 0], 0));
    }
}
