//! The units a word space has vectors for, and each document as a stream of units.
//!
//! A token's unit is its term, or its Snowball stem when asked (so Russian case forms
//! share one vector); terms seen fewer than `min_count` times, and all but the
//! `max_units` most frequent, are left out of the stream (as word2vec does). Two
//! adjacent kept tokens with no punctuation between them form a phrase unit when the
//! pair is seen at least `phrase_min_count` times with a normalized PMI of at least
//! `phrase_npmi` (Bouma 2009; the `max_phrases` most frequent such pairs), or when the
//! caller asks for that pair. Each frame of a seed dictionary is one more unit: its
//! hits replace the tokens they cover.

use ahash::AHashMap;
use rayon::prelude::*;

use crate::error::{invalid, Result};
use crate::frames::scan::Matches;
use crate::ids::NO_ID;
use crate::parallel::chunk_len;
use crate::text::stem::WordStemmer;
use crate::text::tokenized::TokenizedCorpus;

/// How tokens become units.
#[derive(Debug, Clone)]
pub struct UnitOptions {
    /// Least corpus count of a word (or stem) to get a vector.
    pub min_count: u64,
    /// Most words (or stems) kept, the most frequent first.
    pub max_units: usize,
    /// Whether to find phrases (two-word units).
    pub phrases: bool,
    /// Least count of a phrase.
    pub phrase_min_count: u64,
    /// Least normalized PMI (-1 to 1) of a phrase.
    pub phrase_npmi: f64,
    /// Most phrases kept, the most frequent first.
    pub max_phrases: usize,
    /// Snowball stemming of words: a language or "auto"; `None` keeps terms.
    pub stem: Option<String>,
    /// Words and two-word phrases (as the tokenizer writes them) that must be units
    /// whatever their counts: the targets of a drift query.
    pub forced: Vec<Vec<String>>,
}

impl Default for UnitOptions {
    fn default() -> Self {
        UnitOptions {
            min_count: 5,
            max_units: 20_000,
            phrases: true,
            phrase_min_count: 5,
            phrase_npmi: 0.5,
            max_phrases: 5_000,
            stem: None,
            forced: Vec::new(),
        }
    }
}

/// The units of a corpus: words (or stems) first, then phrases, then seed frames.
#[derive(Debug, Clone)]
pub struct Units {
    /// Each unit's name: the word or stem, the phrase's two names joined by a space, or
    /// the seed frame's name.
    pub names: Vec<String>,
    /// Number of word (or stem) units; phrases follow them.
    pub n_words: usize,
    /// Number of phrase units; seed units follow them.
    pub n_phrases: usize,
    word_of_term: Vec<u32>,
    phrase_of: AHashMap<(u32, u32), u32>,
    index: AHashMap<String, u32>,
}

/// Counts of each term id in the corpus, in parallel.
fn term_counts(tc: &TokenizedCorpus) -> Vec<u64> {
    let n = tc.vocab.len();
    tc.ids
        .par_chunks(1 << 16)
        .map(|c| {
            let mut v = vec![0u64; n];
            c.iter().for_each(|&i| v[i as usize] += 1);
            v
        })
        .reduce(
            || vec![0u64; n],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        )
}

impl Units {
    /// Finds the units of `tc`, with one seed unit per name in `seed_names` (their hits
    /// given to [`Units::stream`]).
    pub fn build(tc: &TokenizedCorpus, opts: &UnitOptions, seed_names: &[String]) -> Result<Units> {
        if opts.max_units == 0 {
            return Err(invalid("max_units must be at least 1"));
        }
        let stemmer = opts.stem.as_deref().map(WordStemmer::new).transpose()?;
        let key = |t: &str| match &stemmer {
            Some(s) => s.stem(t),
            None => t.to_string(),
        };
        let counts = term_counts(tc);
        crate::cancel::check()?;
        // Terms to keys (stems or the terms), in parallel; keys numbered by first term.
        let keys: Vec<String> = tc.vocab.terms().par_iter().map(|t| key(t)).collect();
        let mut key_id: AHashMap<&str, u32> = AHashMap::new();
        let mut key_names: Vec<&str> = Vec::new();
        let mut key_counts: Vec<u64> = Vec::new();
        let mut term_key = Vec::with_capacity(keys.len());
        for (t, k) in keys.iter().enumerate() {
            let id = *key_id.entry(k.as_str()).or_insert_with(|| {
                key_names.push(k.as_str());
                key_counts.push(0);
                key_names.len() as u32 - 1
            });
            key_counts[id as usize] += counts[t];
            term_key.push(id);
        }
        let forced_keys: Vec<Vec<String>> = opts
            .forced
            .iter()
            .map(|f| f.iter().map(|w| key(w)).collect())
            .collect();
        let forced_words: ahash::AHashSet<&str> =
            forced_keys.iter().flatten().map(String::as_str).collect();
        let mut order: Vec<u32> = (0..key_names.len() as u32)
            .filter(|&k| {
                key_counts[k as usize] >= opts.min_count.max(1)
                    || (key_counts[k as usize] > 0 && forced_words.contains(key_names[k as usize]))
            })
            .collect();
        order.sort_by(|&a, &b| {
            let forced = |k: u32| forced_words.contains(key_names[k as usize]);
            forced(b)
                .cmp(&forced(a))
                .then(key_counts[b as usize].cmp(&key_counts[a as usize]))
                .then(key_names[a as usize].cmp(key_names[b as usize]))
        });
        order.truncate(opts.max_units.max(forced_words.len()));
        let mut key_word = vec![NO_ID; key_names.len()];
        let mut names: Vec<String> = Vec::with_capacity(order.len());
        for (w, &k) in order.iter().enumerate() {
            key_word[k as usize] = w as u32;
            names.push(key_names[k as usize].to_string());
        }
        let word_of_term: Vec<u32> = term_key.iter().map(|&k| key_word[k as usize]).collect();
        let n_words = names.len();
        let mut index: AHashMap<String, u32> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        let mut units = Units {
            names,
            n_words,
            n_phrases: 0,
            word_of_term,
            phrase_of: AHashMap::new(),
            index: AHashMap::new(),
        };
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        if opts.phrases {
            pairs = units.phrase_pairs(tc, opts)?;
        }
        for f in forced_keys.iter().filter(|f| f.len() == 2) {
            if let (Some(&a), Some(&b)) = (index.get(&f[0]), index.get(&f[1])) {
                if !pairs.contains(&(a, b)) {
                    pairs.push((a, b));
                }
            }
        }
        for (a, b) in pairs {
            let name = format!("{} {}", units.names[a as usize], units.names[b as usize]);
            let id = units.names.len() as u32;
            units.phrase_of.insert((a, b), id);
            index.insert(name.clone(), id);
            units.names.push(name);
        }
        units.n_phrases = units.names.len() - n_words;
        for s in seed_names {
            index.insert(s.clone(), units.names.len() as u32);
            units.names.push(s.clone());
        }
        units.index = index;
        Ok(units)
    }

    /// The phrase pairs of word units: counted over adjacent tokens with no break.
    fn phrase_pairs(&self, tc: &TokenizedCorpus, opts: &UnitOptions) -> Result<Vec<(u32, u32)>> {
        let docs: Vec<usize> = (0..tc.n_docs()).collect();
        type Partial = (AHashMap<(u32, u32), u64>, Vec<u64>);
        let partial: Vec<Partial> = docs
            .par_chunks(chunk_len(docs.len()))
            .map(|chunk| {
                let mut m: AHashMap<(u32, u32), u64> = AHashMap::new();
                let mut words = vec![0u64; self.n_words];
                for &d in chunk {
                    let (off, ids) = (tc.offsets[d], tc.doc(d));
                    for (i, &t) in ids.iter().enumerate() {
                        let a = self.word_of_term[t as usize];
                        if a == NO_ID {
                            continue;
                        }
                        words[a as usize] += 1;
                        if i + 1 < ids.len() && !tc.breaks[off + i + 1] {
                            let b = self.word_of_term[ids[i + 1] as usize];
                            if b != NO_ID {
                                *m.entry((a, b)).or_insert(0) += 1;
                            }
                        }
                    }
                }
                (m, words)
            })
            .collect();
        crate::cancel::check()?;
        let mut pairs: AHashMap<(u32, u32), u64> = AHashMap::new();
        let mut words = vec![0u64; self.n_words];
        for (m, w) in partial {
            for (k, v) in m {
                *pairs.entry(k).or_insert(0) += v;
            }
            words.iter_mut().zip(w).for_each(|(x, y)| *x += y);
        }
        let total = tc.ids.len().max(1) as f64;
        let mut found: Vec<((u32, u32), u64)> = pairs
            .into_iter()
            .filter(|&((a, b), c)| {
                if c < opts.phrase_min_count.max(1) || a == b {
                    return false;
                }
                let p_ab = c as f64 / total;
                let pa = words[a as usize] as f64 / total;
                let pb = words[b as usize] as f64 / total;
                let npmi = if p_ab >= 1.0 {
                    1.0
                } else {
                    (p_ab / (pa * pb)).ln() / -p_ab.ln()
                };
                npmi >= opts.phrase_npmi
            })
            .collect();
        found.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        found.truncate(opts.max_phrases);
        found.sort_unstable();
        Ok(found.into_iter().map(|(k, _)| k).collect())
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The unit named `name` (a word or stem, two joined by a space, or a seed).
    pub fn find(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// The unit of a word or a two-word phrase given as the tokenizer writes it
    /// (stemmed as the units are when `opts.stem` is set).
    pub fn find_tokens(&self, tokens: &[String], opts: &UnitOptions) -> Option<u32> {
        let stemmer = match opts.stem.as_deref() {
            Some(language) => Some(WordStemmer::new(language).ok()?),
            None => None,
        };
        let keys: Vec<String> = tokens
            .iter()
            .map(|t| match &stemmer {
                Some(s) => s.stem(t),
                None => t.clone(),
            })
            .collect();
        self.find(&keys.join(" "))
    }

    /// Document `d` as units into `out` (cleared first): seed hits (from `seeds`, frame
    /// `f` being unit `n_words + n_phrases + f`) replace their tokens; phrases are
    /// joined left to right; left-out tokens are skipped.
    pub fn stream(
        &self,
        tc: &TokenizedCorpus,
        seeds: Option<&Matches>,
        d: usize,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        let (off, ids) = (tc.offsets[d], tc.doc(d));
        let seed_base = (self.n_words + self.n_phrases) as u32;
        // Seed hits by start; at one start, the longest; overlapping later hits skipped.
        let mut hits: Vec<(u32, u32, u32)> = match seeds {
            Some(m) => m.hits[m.offsets[d]..m.offsets[d + 1]]
                .iter()
                .map(|h| (h.start, h.end, h.frame))
                .collect(),
            None => Vec::new(),
        };
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut h = 0;
        let mut i = 0usize;
        let next_hit_start = |h: usize| hits.get(h).map_or(usize::MAX, |x| x.0 as usize);
        while i < ids.len() {
            while h < hits.len() && (hits[h].0 as usize) < i {
                h += 1;
            }
            if h < hits.len() && hits[h].0 as usize == i {
                out.push(seed_base + hits[h].2);
                i = (hits[h].1 as usize).max(i + 1);
                continue;
            }
            let a = self.word_of_term[ids[i] as usize];
            if a == NO_ID {
                i += 1;
                continue;
            }
            if i + 1 < ids.len() && !tc.breaks[off + i + 1] && next_hit_start(h) != i + 1 {
                let b = self.word_of_term[ids[i + 1] as usize];
                if let Some(&p) = self.phrase_of.get(&(a, b)) {
                    out.push(p);
                    i += 2;
                    continue;
                }
            }
            out.push(a);
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frames::automaton::Hit;
    use crate::text::tokenizer::Tokenizer;

    fn corpus(texts: &[&str]) -> TokenizedCorpus {
        TokenizedCorpus::build(texts, &Tokenizer::default())
    }

    fn names(u: &Units, s: &[u32]) -> Vec<String> {
        s.iter().map(|&i| u.names[i as usize].clone()).collect()
    }

    #[test]
    fn words_phrases_and_seeds_by_hand() {
        // "new york" is always together (npmi 1); "the" is everywhere; "rare" once.
        let tc = corpus(&[
            "the new york times. the rare",
            "new york, the times",
            "the new york",
        ]);
        let opts = UnitOptions {
            min_count: 2,
            phrase_min_count: 2,
            ..UnitOptions::default()
        };
        let u = Units::build(&tc, &opts, &["<seed>".to_string()]).unwrap();
        // Words by count: the (4), new (3), york (3), times (2); "rare" (1) left out.
        assert_eq!(&u.names[..4], &["the", "new", "york", "times"]);
        assert_eq!(u.n_words, 4);
        assert_eq!(&u.names[4..], &["new york", "<seed>"]);
        let mut out = Vec::new();
        u.stream(&tc, None, 0, &mut out);
        assert_eq!(names(&u, &out), ["the", "new york", "times", "the"]);
        // A seed hit over "york times" (tokens 2..4) wins over the phrase it cuts.
        let seeds = Matches::from_docs([
            vec![Hit {
                frame: 0,
                start: 2,
                end: 4,
            }],
            vec![],
            vec![],
        ]);
        u.stream(&tc, Some(&seeds), 0, &mut out);
        assert_eq!(names(&u, &out), ["the", "new", "<seed>", "the"]);
        // "york, the": a comma between tokens: never a phrase.
        u.stream(&tc, None, 1, &mut out);
        assert_eq!(names(&u, &out), ["new york", "the", "times"]);
        assert_eq!(u.find("new york"), Some(4));
    }

    #[test]
    fn stems_share_a_unit_and_forced_targets_are_kept() {
        let tc = corpus(&["запад запада западу мир", "мира"]);
        let opts = UnitOptions {
            min_count: 3,
            stem: Some("auto".into()),
            forced: vec![vec!["мир".into()]],
            ..UnitOptions::default()
        };
        let u = Units::build(&tc, &opts, &[]).unwrap();
        // "запад" (3 forms, 3 tokens) kept; "мир" (2 tokens) kept only because forced.
        assert_eq!(u.n_words, 2);
        assert!(u.find("запад").is_some() && u.find("мир").is_some());
        let mut out = Vec::new();
        u.stream(&tc, None, 0, &mut out);
        assert_eq!(names(&u, &out), ["запад", "запад", "запад", "мир"]);
    }
}
