//! A corpus tokenized once into integer ids: one flat `Vec<u32>` of ids, the
//! offsets where each document starts, the byte span of every token, and the
//! vocabulary. Ids are given in order of first occurrence in the corpus, so
//! they do not depend on how documents were split among threads.

use ahash::AHashMap;
use rayon::prelude::*;

use crate::parallel::chunk_len;
use crate::text::intern::{InternedStrings, Interner};
use crate::text::plain::{for_each_token, lower_into, Token};
use crate::text::tokenizer::{joins, Tokenizer};

/// Terms and their ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    terms: Vec<Box<str>>,
    index: AHashMap<Box<str>, u32>,
}

impl Vocabulary {
    /// Id of `term`, adding it if new.
    pub fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.index.get(term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(term.into());
        self.index.insert(term.into(), id);
        id
    }

    /// Id of `term`, if present.
    pub fn get(&self, term: &str) -> Option<u32> {
        self.index.get(term).copied()
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

struct Chunk {
    vocab: InternedStrings,
    ids: Vec<u32>,
    breaks: Vec<bool>,
    lens: Vec<usize>,
}

impl TokenizedCorpus {
    /// Tokenizes `texts` in parallel (plain words found by `text::plain`, the rest by the tokenizer).
    pub fn build<S: AsRef<str> + Sync>(texts: &[S], tokenizer: &Tokenizer) -> Self {
        let opts = tokenizer.options();
        let size = chunk_len(texts.len());
        let mut chunks: Vec<Chunk> = texts
            .par_chunks(size)
            .map(|docs| {
                let mut interner = Interner::default();
                let (mut ids, mut breaks) = (Vec::new(), Vec::new());
                let mut lens = Vec::with_capacity(docs.len());
                let mut buf = String::new();
                for doc in docs {
                    let before = ids.len();
                    if crate::cancel::requested() {
                        lens.push(0);
                        continue;
                    }
                    let text = doc.as_ref();
                    let mut prev_end: Option<usize> = None;
                    for_each_token(tokenizer, text, |t, a, b| {
                        let t = match t {
                            Token::Plain(w) => {
                                buf.clear();
                                lower_into(w, opts, &mut buf);
                                buf.as_str()
                            }
                            Token::Normalised(t) => t,
                        };
                        ids.push(interner.intern(t).0);
                        breaks.push(prev_end.map_or(true, |e| !joins(&text[e..a])));
                        prev_end = Some(b);
                    });
                    lens.push(ids.len() - before);
                }
                // Chunks wait for each other before the merge: keep their strings only.
                Chunk {
                    vocab: interner.into_strings_only(),
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
        let mut vocab = Vocabulary::default();
        let maps: Vec<Vec<u32>> = chunks
            .iter()
            .map(|c| {
                (0..c.vocab.len() as u32)
                    .map(|id| vocab.intern(c.vocab.get(id)))
                    .collect()
            })
            .collect();
        // Renumber each chunk in place, then copy the chunks side by side, in parallel.
        chunks
            .par_iter_mut()
            .zip(maps.par_iter())
            .for_each(|(c, m)| {
                if !crate::cancel::requested() {
                    c.ids.iter_mut().for_each(|i| *i = m[*i as usize]);
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
}
