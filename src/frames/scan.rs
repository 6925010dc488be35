//! Frames matched straight from texts, without tokenizing the corpus into ids:
//! what `frame_trends` needs on a corpus not yet tokenized.
//!
//! Every token is found and counted ([`crate::text::plain`]), but only tokens
//! admitted by the dictionary's [`Prefilter`] are normalised and interned, in a
//! vocabulary of those few words. The dictionary is compiled against that
//! vocabulary, which holds every term a pattern position can match, so the
//! automaton, its expansion limits and the hits are those of the full path
//! (tokenize everything, then [`Automaton::match_corpus`]); tests compare them.
//! Memory: the admitted tokens' positions (8 bytes each), not 5 bytes per token; what
//! the threads freed is handed back to the OS once the hits are laid out (glibc keeps
//! it in the threads' arenas otherwise: 10-15 MB per 100 MB of short posts, on top of
//! which the caller's next steps would allocate).

use rayon::prelude::*;

use crate::error::Result;
use crate::frames::automaton::{Automaton, Hit};
use crate::frames::pattern::Pattern;
use crate::frames::prefilter::Prefilter;
use crate::ids::NO_ID;
use crate::parallel::chunk_len;
use crate::text::intern::{InternedStrings, Interner};
use crate::text::plain::{for_each_token, lower_into, Token};
use crate::text::tokenized::Vocabulary;
use crate::text::tokenizer::Tokenizer;

/// Hits of a dictionary per document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matches {
    /// Document `d`'s hits are `hits[offsets[d]..offsets[d + 1]]`.
    pub offsets: Vec<usize>,
    /// The hits, by document, then frame, then start.
    pub hits: Vec<Hit>,
}

impl Matches {
    /// Per-document hit lists, in order (tests build matches by hand).
    #[cfg(test)]
    pub fn from_docs(per_doc: impl IntoIterator<Item = Vec<Hit>>) -> Matches {
        Matches::from_blocks(
            per_doc
                .into_iter()
                .map(|hits| {
                    let n = hits.len();
                    (hits, vec![n])
                })
                .collect(),
        )
    }

    /// Lays blocks of consecutive documents end to end, in order: each block's hits and
    /// where each of its documents' hits end (within the block).
    pub fn from_blocks(blocks: Vec<(Vec<Hit>, Vec<usize>)>) -> Matches {
        let docs: usize = blocks.iter().map(|(_, ends)| ends.len()).sum();
        let total = blocks.iter().map(|(h, _)| h.len()).sum();
        let mut m = Matches {
            offsets: Vec::with_capacity(docs + 1),
            hits: Vec::with_capacity(total),
        };
        m.offsets.push(0);
        for (hits, ends) in blocks {
            let base = m.hits.len();
            m.offsets.extend(ends.iter().map(|&e| base + e));
            m.hits.extend(hits);
        }
        m
    }
}

/// A dictionary's hits and every document's token count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Token count per document.
    pub lengths: Vec<u64>,
    /// The hits.
    pub matches: Matches,
}

/// One batch of documents after the first pass.
struct Batch {
    /// Admitted words, by batch-local id.
    words: InternedStrings,
    lengths: Vec<u64>,
    /// Document `d` of the batch holds `found[ends[d - 1]..ends[d]]`.
    ends: Vec<usize>,
    /// (token position, local id) of each admitted token.
    found: Vec<(u32, u32)>,
}

/// Scans `texts` for the parsed frames (`names` for errors); `None` if the
/// dictionary has no [`Prefilter`] (the caller tokenizes the corpus instead).
pub fn scan<S: AsRef<str> + Sync>(
    texts: &[S],
    tokenizer: &Tokenizer,
    frames: &[(Vec<Pattern>, Vec<Pattern>)],
    names: &[String],
) -> Result<Option<Scan>> {
    let Some(pre) = Prefilter::new(frames.iter().flat_map(|(p, x)| p.iter().chain(x))) else {
        return Ok(None);
    };
    let opts = tokenizer.options();
    let batches: Vec<Batch> = texts
        .par_chunks(chunk_len(texts.len()))
        .map(|docs| {
            let mut interner = Interner::default();
            let mut lengths = Vec::with_capacity(docs.len());
            let mut ends = Vec::with_capacity(docs.len());
            let mut found: Vec<(u32, u32)> = Vec::new();
            let mut buf = String::new();
            let mut ticker = crate::progress::Ticker::default();
            for doc in docs {
                ticker.tick();
                let mut n = 0u32;
                if !crate::cancel::requested() {
                    for_each_token(tokenizer, doc.as_ref(), |t, _, _| {
                        let word = match t {
                            Token::Plain(w) if pre.admits_plain(w, opts) => {
                                buf.clear();
                                lower_into(w, opts, &mut buf);
                                Some(buf.as_str())
                            }
                            Token::Normalised(w) if pre.admits(w) => Some(w),
                            _ => None,
                        };
                        if let Some(w) = word {
                            found.push((n, interner.intern(w).0));
                        }
                        n += 1;
                    });
                }
                lengths.push(u64::from(n));
                ends.push(found.len());
            }
            // Kept until every batch is scanned: no growth slack kept with it.
            found.shrink_to_fit();
            Batch {
                words: interner.into_strings_only(),
                lengths,
                ends,
                found,
            }
        })
        .collect();
    crate::cancel::check()?;
    // The admitted words of all batches in one vocabulary, in order of first occurrence.
    let lists: Vec<&InternedStrings> = batches.iter().map(|b| &b.words).collect();
    let (vocab, maps) = Vocabulary::merge(&lists);
    let automaton = Automaton::compile(frames, names, &vocab)?;
    // Per batch: its hits in document order, and where each document's hits end.
    let per_batch: Vec<(Vec<Hit>, Vec<usize>)> = batches
        .par_iter()
        .zip(maps.par_iter())
        .map(|(b, map)| {
            let mut ids: Vec<u32> = Vec::new();
            let mut hits = Vec::new();
            let mut ends = Vec::with_capacity(b.ends.len());
            let mut from = 0;
            for &to in &b.ends {
                let found = &b.found[from..to];
                from = to;
                if let (Some(first), Some(last)) = (found.first(), found.last()) {
                    // Ids of the document's stretch between its first and last admitted
                    // token; every other token matches nothing.
                    let base = first.0;
                    ids.clear();
                    ids.resize((last.0 - base + 1) as usize, NO_ID);
                    for &(pos, id) in found {
                        ids[(pos - base) as usize] = map[id as usize];
                    }
                    let at = hits.len();
                    automaton.match_doc(&ids, &mut hits);
                    for h in &mut hits[at..] {
                        h.start += base;
                        h.end += base;
                    }
                }
                ends.push(hits.len());
            }
            (hits, ends)
        })
        .collect();
    crate::cancel::check()?;
    // Laid out once at their sizes: no vector per document on the way.
    let mut lengths = Vec::with_capacity(texts.len());
    for b in &batches {
        lengths.extend_from_slice(&b.lengths);
    }
    drop(batches);
    let matches = Matches::from_blocks(per_batch);
    crate::memory::release_freed(); // the batches' positions and hits, freed on the workers
    Ok(Some(Scan { lengths, matches }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frames::automaton::{parse_frames, FrameSpec};
    use crate::text::tokenized::TokenizedCorpus;
    use crate::text::tokenizer::test_variants;

    fn spec(name: &str, patterns: &[&str], exclude: &[&str]) -> FrameSpec {
        FrameSpec {
            name: name.into(),
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
            exclude: exclude.iter().map(|p| p.to_string()).collect(),
        }
    }

    /// Texts shaped like the sources: typographic quotes, glued sentences, Russian in
    /// every case, URLs, hashtags, marks, look-alike letters; then random pieces.
    fn texts() -> Vec<String> {
        let mut v: Vec<String> = [
            "The collective West’s “rules-based order” is failing.Fourth, the Global Majority.",
            "Коллективный Запад и «мировое большинство»; коллективного Запада, КОЛЛЕКТИВНЫМ ЗАПАДОМ.",
            "Сollective West (Cyrillic С) and multipolar world order: www.mid.ru #CollectiveWest",
            "U.S. sanctions, sanctioned; SANCTIONS — illegitimate sanctions… 1,000 sanctions",
            "порядок, основанный на правилах; порядка основанного на правилах; ёлка ещё",
            "Запада.Четвертое коллективн\u{301}ый запад neo-Nazis neo\u{ad}Nazi Anglo-Saxons",
            "",
            "   \n\t ",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let pieces = [
            "collective",
            "Collective",
            "west",
            "West’s",
            "WEST",
            "коллективного",
            "Запада",
            "запад",
            "мировое",
            "большинство",
            "rules",
            "-",
            "based",
            "order",
            "sanctions",
            "санкции",
            "на",
            "правилах",
            ".",
            ",",
            "’",
            "'",
            "#",
            "@",
            "www.",
            "https://x.y",
            "\u{301}",
            "ё",
            "Ё",
            " ",
            " ",
            "\n",
            "«",
            "—",
            "1,000",
            "2023",
            "г",
            "Сollective",
            "_",
            "multipolar",
            "многополярный",
            "мир",
            "world",
            "majority",
        ];
        let mut next = crate::testing::lcg(5);
        for _ in 0..3_000 {
            let n = next() % 40;
            v.push((0..n).map(|_| pieces[next() % pieces.len()]).collect());
        }
        v
    }

    fn dictionaries() -> Vec<Vec<FrameSpec>> {
        vec![
            vec![
                spec(
                    "west",
                    &["collective West", "коллективн* запад*"],
                    &["collective west’s order"],
                ),
                spec(
                    "majority",
                    &["Global Majority", "world majority", "миров* большинств*"],
                    &[],
                ),
                spec(
                    "rules",
                    &[
                        "rules-based order",
                        "/(?:порядок|порядка)/ основанн* на правилах",
                    ],
                    &[],
                ),
                spec(
                    "sanctions",
                    &["~sanctions", "illegitimate sanctions", "санкц*"],
                    &["unilateral sanctions"],
                ),
                spec(
                    "polar",
                    &[
                        "multipolar*",
                        "многополярн* мир*",
                        "neo-Nazi*",
                        "anglo-saxon?",
                    ],
                    &[],
                ),
                spec("one", &["a", "г"], &[]),
            ],
            vec![spec("hashtag", &["#CollectiveWest", "collectivewest"], &[])],
            // Numbers (no tokens when the tokenizer drops numbers: not parsed then).
            vec![spec("numbers", &["2023", "1,000 sanctions"], &["2023 г"])],
        ]
    }

    #[test]
    fn scan_equals_tokenize_then_match() {
        let texts = texts();
        let mut hits = 0;
        for opts in test_variants() {
            let tok = Tokenizer::new(opts);
            let tc = TokenizedCorpus::build(&texts, &tok);
            for specs in dictionaries() {
                let names: Vec<String> = specs.iter().map(|s| s.name.clone()).collect();
                let Ok(parsed) = parse_frames(&specs, &tok) else {
                    assert!(!tok.options().numbers && specs[0].name == "numbers");
                    continue;
                };
                let full = Automaton::compile(&parsed, &names, &tc.vocab)
                    .unwrap()
                    .match_corpus(&tc);
                let scanned = scan(&texts, &tok, &parsed, &names)
                    .unwrap()
                    .expect("a prefilter");
                assert_eq!(scanned.lengths, tc.lengths());
                assert_eq!(scanned.matches, full);
                hits += full.hits.len();
            }
        }
        assert!(hits > 3_000, "the dictionaries hit ({hits})");
    }

    #[test]
    fn no_scan_without_a_prefilter() {
        let tok = Tokenizer::default();
        let specs = [spec("x", &["*polar world"], &[])];
        let parsed = parse_frames(&specs, &tok).unwrap();
        assert!(scan(&["multipolar world"], &tok, &parsed, &["x".into()])
            .unwrap()
            .is_none());
    }

    #[test]
    fn expansion_limits_are_those_of_the_full_path() {
        // Globs that expand past the limit fail the same way on both paths.
        let texts: Vec<String> = (0..1_100).map(|i| format!("wa{i} wb{i}")).collect();
        let tok = Tokenizer::default();
        let specs = [spec("x", &["wa* wb*"], &[])];
        let names = ["x".to_string()];
        let parsed = parse_frames(&specs, &tok).unwrap();
        let tc = TokenizedCorpus::build(&texts, &tok);
        let full = Automaton::compile(&parsed, &names, &tc.vocab)
            .map(|_| ())
            .unwrap_err();
        let fast = scan(&texts, &tok, &parsed, &names).map(|_| ()).unwrap_err();
        assert_eq!(full.to_string(), fast.to_string());
    }
}
