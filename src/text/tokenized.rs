//! A corpus tokenized once into integer ids: one flat `Vec<u32>` of ids, the
//! offsets where each document starts, the byte span of every token, and the
//! vocabulary. Ids are given in order of first occurrence in the corpus, so
//! they do not depend on how documents were split among threads.

use std::sync::{Mutex, OnceLock};

use hashbrown::HashTable;
use rayon::prelude::*;

use crate::merge::{dedup_first_occurrence, dedup_in_order};

use crate::parallel::chunk_len;
use crate::text::intern::{InternedStrings, Interner};
use crate::text::plain::{for_each_token, lower_into, Token};
use crate::text::tokenizer::{joins, Tokenizer};

/// Terms and their ids. The lookup table is built on first use (most work on a
/// tokenized corpus reads terms by id only), and holds ids, not second copies.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    terms: Vec<Box<str>>,
    index: OnceLock<HashTable<u32>>,
}

/// The hash of a term in [`Vocabulary`]'s table.
fn term_hash(term: &str) -> u64 {
    const HASHER: ahash::RandomState = ahash::RandomState::with_seeds(7, 11, 13, 17);
    HASHER.hash_one(term)
}

impl PartialEq for Vocabulary {
    fn eq(&self, other: &Self) -> bool {
        self.terms == other.terms
    }
}

impl Eq for Vocabulary {}

impl Vocabulary {
    /// The vocabulary of distinct `terms`, with ids in their order.
    pub fn from_terms(terms: Vec<Box<str>>) -> Self {
        Vocabulary {
            terms,
            index: OnceLock::new(),
        }
    }

    /// Merges vocabularies found by workers (each in its own order of first
    /// occurrence, `lists` in document order) into one in order of first occurrence,
    /// in parallel: the vocabulary, and per list each of its ids' new id.
    pub fn merge(lists: &[&InternedStrings]) -> (Self, Vec<Vec<u32>>) {
        let words: Vec<Vec<&str>> = lists
            .par_iter()
            .map(|l| (0..l.len() as u32).map(|id| l.get(id)).collect())
            .collect();
        let (terms, maps) = dedup_first_occurrence(&words);
        let terms = terms.par_iter().map(|&t| Box::from(t)).collect();
        (Vocabulary::from_terms(terms), maps)
    }

    /// Merges workers' vocabularies into one numbered by first occurrence in the
    /// corpus: `order` lists, chunk by chunk in document order, each chunk's worker and
    /// the worker ids it used in order of first use. Returns the vocabulary and per
    /// worker each of its ids' new id.
    pub fn merge_in_order(
        lists: &[&InternedStrings],
        order: &[(usize, &[u32])],
    ) -> (Self, Vec<Vec<u32>>) {
        let words: Vec<Vec<&str>> = lists
            .par_iter()
            .map(|l| (0..l.len() as u32).map(|id| l.get(id)).collect())
            .collect();
        let (terms, maps) = dedup_in_order(&words, order);
        let terms = terms.par_iter().map(|&t| Box::from(t)).collect();
        (Vocabulary::from_terms(terms), maps)
    }

    fn index(&self) -> &HashTable<u32> {
        self.index.get_or_init(|| {
            let mut table = HashTable::with_capacity(self.terms.len());
            for (id, t) in self.terms.iter().enumerate() {
                table.insert_unique(term_hash(t), id as u32, |&i| {
                    term_hash(&self.terms[i as usize])
                });
            }
            table
        })
    }

    /// Id of `term`, adding it if new.
    pub fn intern(&mut self, term: &str) -> u32 {
        if let Some(id) = self.get(term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(term.into());
        let terms = &self.terms;
        if let Some(table) = self.index.get_mut() {
            table.insert_unique(term_hash(term), id, |&i| term_hash(&terms[i as usize]));
        }
        id
    }

    /// Id of `term`, if present.
    pub fn get(&self, term: &str) -> Option<u32> {
        self.index()
            .find(term_hash(term), |&i| &*self.terms[i as usize] == term)
            .copied()
    }

    /// Term with id `id`.
    pub fn term(&self, id: u32) -> &str {
        &self.terms[id as usize]
    }

    /// All terms, by id.
    pub fn terms(&self) -> &[Box<str>] {
        &self.terms
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Token ids of every document, with n-gram run breaks and the vocabulary: 5 bytes
/// a token. Byte spans are not kept (8 bytes a token that only KWIC needs, for the
/// few documents it shows): [`spans`] recomputes them for one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenizedCorpus {
    /// Token ids of all documents, concatenated.
    pub ids: Vec<u32>,
    /// Document `d` holds `ids[offsets[d]..offsets[d+1]]`.
    pub offsets: Vec<usize>,
    /// For each token, whether an n-gram run ends before it: the first token of a
    /// document, or punctuation between it and the previous token
    /// ([`crate::text::tokenizer::joins`]).
    pub breaks: Vec<bool>,
    /// The vocabulary.
    pub vocab: Vocabulary,
}

/// Byte spans `(start, end)` of the tokens of `text`, as [`TokenizedCorpus::build`]
/// tokenized it with `tokenizer`: the same tokens, in the same order.
pub fn spans(text: &str, tokenizer: &Tokenizer) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for_each_token(tokenizer, text, |_, a, b| out.push((a as u32, b as u32)));
    out
}

/// One chunk of documents, tokenized into its worker's local ids.
struct Chunk {
    /// The worker (thread slot) whose interner holds the chunk's ids.
    worker: usize,
    /// The chunk's distinct local ids in order of first occurrence in it: what the
    /// merge needs to number terms by first occurrence in the corpus.
    firsts: Vec<u32>,
    ids: Vec<u32>,
    breaks: Vec<bool>,
    lens: Vec<usize>,
}

/// A worker's interner, kept across the chunks it takes (a term is inserted once per
/// worker, not once per chunk), and for each of its ids the last chunk that used it.
#[derive(Default)]
struct Worker {
    interner: Interner,
    last_chunk: Vec<u32>,
}

impl TokenizedCorpus {
    /// Tokenizes `texts` in parallel (plain words found by `text::plain`, the rest by the
    /// tokenizer). Ids are numbered by first occurrence in the corpus: independent of
    /// the chunks and threads.
    pub fn build<S: AsRef<str> + Sync>(texts: &[S], tokenizer: &Tokenizer) -> Self {
        let opts = tokenizer.options();
        let size = chunk_len(texts.len());
        let workers: Vec<Mutex<Worker>> = (0..rayon::current_num_threads().max(1))
            .map(|_| Mutex::default())
            .collect();
        let mut chunks: Vec<Chunk> = texts
            .par_chunks(size)
            .enumerate()
            .map(|(c, docs)| {
                let at = rayon::current_thread_index().unwrap_or(0) % workers.len();
                let mut guard = workers[at].lock().unwrap_or_else(|e| e.into_inner());
                let Worker {
                    interner,
                    last_chunk,
                } = &mut *guard;
                let mark = c as u32 + 1;
                let (mut ids, mut breaks, mut firsts) = (Vec::new(), Vec::new(), Vec::new());
                let mut lens = Vec::with_capacity(docs.len());
                // A document's normalised tokens, one after another, then interned
                // together: hashes run ahead and prefetch their slots (a lookup one
                // token at a time waited on a cache miss: 40% of the time).
                let (mut words, mut ends) = (String::new(), Vec::new());
                let mut ticker = crate::progress::Ticker::default();
                for doc in docs {
                    ticker.tick();
                    let before = ids.len();
                    if crate::cancel::requested() {
                        lens.push(0);
                        continue;
                    }
                    let text = doc.as_ref();
                    let mut prev_end: Option<usize> = None;
                    words.clear();
                    ends.clear();
                    for_each_token(tokenizer, text, |t, a, b| {
                        match t {
                            Token::Plain(w) => lower_into(w, opts, &mut words),
                            Token::Normalised(t) => words.push_str(t),
                        }
                        ends.push(words.len());
                        breaks.push(prev_end.is_none_or(|e| !joins(&text[e..a])));
                        prev_end = Some(b);
                    });
                    let starts = std::iter::once(0).chain(ends.iter().copied());
                    let tokens = starts.zip(&ends).map(|(a, &b)| &words[a..b]);
                    interner.intern_each(tokens, |id, new| {
                        if new {
                            last_chunk.push(0);
                        }
                        if last_chunk[id as usize] != mark {
                            last_chunk[id as usize] = mark;
                            firsts.push(id);
                        }
                        ids.push(id);
                    });
                    lens.push(ids.len() - before);
                }
                Chunk {
                    worker: at,
                    firsts,
                    ids,
                    breaks,
                    lens,
                }
            })
            .collect();
        if crate::cancel::requested() {
            // Interrupted: every document empty; the caller drops this.
            return TokenizedCorpus {
                offsets: vec![0; texts.len() + 1],
                ..Default::default()
            };
        }
        // The workers' strings only (their lookup tables take most of the memory).
        let vocabs: Vec<InternedStrings> = workers
            .into_iter()
            .map(|w| {
                w.into_inner()
                    .unwrap_or_else(|e| e.into_inner())
                    .interner
                    .into_strings_only()
            })
            .collect();
        let lists: Vec<&InternedStrings> = vocabs.iter().collect();
        let firsts: Vec<(usize, &[u32])> =
            chunks.iter().map(|c| (c.worker, &c.firsts[..])).collect();
        let (vocab, maps) = Vocabulary::merge_in_order(&lists, &firsts);
        drop(vocabs);
        // Renumber each chunk in place, then copy the chunks side by side, in parallel.
        chunks.par_iter_mut().for_each(|c| {
            if !crate::cancel::requested() {
                let m = &maps[c.worker];
                c.ids.iter_mut().for_each(|i| *i = m[*i as usize]);
                c.firsts = Vec::new();
            }
        });
        if crate::cancel::requested() {
            return TokenizedCorpus {
                offsets: vec![0; texts.len() + 1],
                ..Default::default()
            };
        }
        // Chunk by chunk, each freed once copied: pages of the result are touched only as
        // the chunks' pages go, so memory peaks near one copy of the ids, not two.
        let total: usize = chunks.iter().map(|c| c.ids.len()).sum();
        let mut ids = Vec::with_capacity(total);
        let mut breaks = Vec::with_capacity(total);
        let mut lens = Vec::with_capacity(texts.len());
        for c in chunks {
            ids.extend_from_slice(&c.ids);
            breaks.extend_from_slice(&c.breaks);
            lens.extend_from_slice(&c.lens);
        }
        crate::memory::release_freed(); // the chunks, freed on the worker threads
        let mut offsets = Vec::with_capacity(texts.len() + 1);
        offsets.push(0);
        for len in lens {
            offsets.push(offsets.last().unwrap() + len);
        }
        TokenizedCorpus {
            ids,
            offsets,
            breaks,
            vocab,
        }
    }

    /// Number of documents.
    pub fn n_docs(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Token ids of document `d`.
    pub fn doc(&self, d: usize) -> &[u32] {
        &self.ids[self.offsets[d]..self.offsets[d + 1]]
    }

    /// Token count per document.
    pub fn lengths(&self) -> Vec<u64> {
        self.offsets
            .windows(2)
            .map(|w| (w[1] - w[0]) as u64)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_independent_of_threads() {
        let texts: Vec<String> = (0..3000)
            .map(|i| format!("word{} common Запад{}", i % 50, i % 7))
            .collect();
        let a = TokenizedCorpus::build(&texts, &Tokenizer::default());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let b = pool.install(|| TokenizedCorpus::build(&texts, &Tokenizer::default()));
        assert_eq!(a, b);
        assert_eq!(a.n_docs(), 3000);
        assert_eq!(a.vocab.term(a.doc(0)[0]), "word0");
        assert_eq!(a.doc(2999).len(), 3);
    }

    #[test]
    fn ids_number_first_occurrences_for_any_threads() {
        // Words first seen in late documents, words in every document, a rare one per
        // 997 documents: chunks taken by threads in any order give the same ids, and
        // reading the corpus in order, each new id is exactly one more than the last.
        let texts: Vec<String> = (0..20_000)
            .map(|i| {
                format!(
                    "w{} common Запад{} r{} w{}",
                    i / 3,
                    i % 11,
                    i % 997,
                    i / 3 + 1
                )
            })
            .collect();
        let tok = Tokenizer::default();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let a = one.install(|| TokenizedCorpus::build(&texts, &tok));
        let mut next = 0u32;
        for &id in &a.ids {
            assert!(id <= next, "id {id} before {next}");
            next = next.max(id + 1);
        }
        assert_eq!(next as usize, a.vocab.len());
        for threads in [2, 3, 7] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            assert_eq!(pool.install(|| TokenizedCorpus::build(&texts, &tok)), a);
        }
        assert_eq!(a.vocab.get("запад10"), Some(a.doc(10)[2]));
        assert_eq!(a.vocab.get("nowhere"), None);
    }
}
