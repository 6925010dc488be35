//! The pattern language of frame dictionaries, parsed once and resolved against
//! a corpus vocabulary. A pattern is a phrase: whitespace-separated token
//! patterns, each one of
//! - a word, normalised by the corpus tokenizer ("West’s" -> `west`; with
//!   hyphens split, "rules-based" is two tokens, so it also matches "rules based");
//! - a glob within a token: `multipolar*`, `polycentr?c` (`*` any run of
//!   characters, `?` one character); hyphenated globs split like words;
//! - `~word`: every token with the same Snowball stem (language by script);
//! - `/regex/`: every token the regex matches whole (Rust `regex` syntax).
//!
//! Matching is case-insensitive when the tokenizer lowercases (the default).

use ahash::AHashMap;
use rayon::prelude::*;
use regex::Regex;

use crate::error::{invalid, Result};
use crate::text::stem::WordStemmer;
use crate::text::tokenized::Vocabulary;
use crate::text::tokenizer::{HyphenMode, Tokenizer};

/// One token position of a pattern.
#[derive(Debug, Clone)]
pub enum TokenPattern {
    /// An exact token (already normalised by the tokenizer).
    Word(String),
    /// A glob over one token (`*`, `?`), lowercased like tokens.
    Glob(String),
    /// Tokens sharing this word's Snowball stem.
    Stem(String),
    /// Tokens the regex matches whole.
    Regex(Regex),
}

/// A parsed pattern: its source text and its token positions.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The pattern as written.
    pub source: String,
    /// Token positions, in order.
    pub tokens: Vec<TokenPattern>,
}

fn normalise_glob(piece: &str, tokenizer: &Tokenizer) -> String {
    let o = tokenizer.options();
    let mut s: String = piece
        .chars()
        .map(|c| match c {
            '’' | '‘' | 'ʼ' | '′' => '\'',
            c => c,
        })
        .collect();
    if o.lowercase {
        s = s.to_lowercase();
    }
    if o.fold_yo {
        s = s.replace('ё', "е").replace('Ё', "Е");
    }
    s
}

/// Parses `source` for frame `frame`, using `tokenizer` to normalise words.
/// Errors name the frame and the pattern: empty pattern, bad regex, a glob or
/// word that yields no token.
pub fn parse(frame: &str, source: &str, tokenizer: &Tokenizer) -> Result<Pattern> {
    let err = |what: String| invalid(format!("frame {frame:?}, pattern {source:?}: {what}"));
    if source.trim().is_empty() {
        return Err(err("the pattern is empty".into()));
    }
    let mut tokens = Vec::new();
    for piece in source.split_whitespace() {
        if let Some(body) = piece.strip_prefix('/') {
            let Some(re) = body.strip_suffix('/').filter(|b| !b.is_empty()) else {
                return Err(err(format!("{piece:?}: a regex is written /.../")));
            };
            let re = Regex::new(&format!("^(?:{re})$"))
                .map_err(|e| err(format!("invalid regex {piece:?}: {e}")))?;
            tokens.push(TokenPattern::Regex(re));
        } else if let Some(word) = piece.strip_prefix('~') {
            let mut words = Vec::new();
            tokenizer.tokenize(word, |t, _, _| words.push(t.to_string()));
            if words.is_empty() {
                return Err(err(format!("{piece:?} has no word to stem")));
            }
            tokens.extend(words.into_iter().map(TokenPattern::Stem));
        } else if piece.contains(['*', '?']) {
            let glob = normalise_glob(piece, tokenizer);
            let parts: Vec<&str> = if tokenizer.options().hyphens == HyphenMode::Split {
                glob.split('-').filter(|p| !p.is_empty()).collect()
            } else {
                vec![glob.as_str()]
            };
            for part in parts {
                if part.contains(['*', '?']) {
                    if part.chars().all(|c| c == '*') {
                        return Err(err(format!(
                            "{piece:?}: a token that is only '*' would match every word"
                        )));
                    }
                    tokens.push(TokenPattern::Glob(part.trim_start_matches('#').to_string()));
                } else {
                    tokenizer.tokenize(part, |t, _, _| tokens.push(TokenPattern::Word(t.into())));
                }
            }
        } else {
            let before = tokens.len();
            tokenizer.tokenize(piece, |t, _, _| tokens.push(TokenPattern::Word(t.into())));
            if tokens.len() == before && piece.chars().any(char::is_alphanumeric) {
                return Err(err(format!(
                    "{piece:?} yields no token with this tokenizer"
                )));
            }
        }
    }
    if tokens.is_empty() {
        return Err(err("the pattern has no word".into()));
    }
    Ok(Pattern {
        source: source.to_string(),
        tokens,
    })
}

/// Whether `text` matches `glob` (`*` any run, `?` one character), whole.
pub fn glob_match(glob: &str, text: &str) -> bool {
    let g: Vec<char> = glob.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut gi, mut ti) = (0, 0);
    let (mut star, mut mark) = (usize::MAX, 0);
    while ti < t.len() {
        if gi < g.len() && (g[gi] == '?' || g[gi] == t[ti]) {
            gi += 1;
            ti += 1;
        } else if gi < g.len() && g[gi] == '*' {
            star = gi;
            mark = ti;
            gi += 1;
        } else if star != usize::MAX {
            gi = star + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while gi < g.len() && g[gi] == '*' {
        gi += 1;
    }
    gi == g.len()
}

/// Resolves token patterns to the vocabulary ids they match; stems of the
/// vocabulary are computed once, when a `~` pattern first needs them.
pub struct Resolver<'a> {
    vocab: &'a Vocabulary,
    stems: Option<Vec<String>>,
    stemmer: Option<WordStemmer>,
    cache: AHashMap<String, Vec<u32>>,
}

impl<'a> Resolver<'a> {
    /// A resolver over `vocab`.
    pub fn new(vocab: &'a Vocabulary) -> Self {
        Resolver {
            vocab,
            stems: None,
            stemmer: None,
            cache: AHashMap::new(),
        }
    }

    /// Sorted ids matched by `p` (empty when nothing in the vocabulary matches).
    pub fn ids(&mut self, p: &TokenPattern) -> Result<Vec<u32>> {
        let terms = self.vocab.terms();
        let filter = |f: &(dyn Fn(&str) -> bool + Sync)| -> Vec<u32> {
            terms
                .par_iter()
                .enumerate()
                .filter_map(|(i, t)| f(t).then_some(i as u32))
                .collect()
        };
        Ok(match p {
            TokenPattern::Word(w) => self.vocab.get(w).into_iter().collect(),
            TokenPattern::Glob(g) => {
                let key = format!("g:{g}");
                if let Some(v) = self.cache.get(&key) {
                    return Ok(v.clone());
                }
                let v = match g.strip_suffix('*').filter(|p| !p.contains(['*', '?'])) {
                    Some(prefix) => filter(&|t: &str| t.starts_with(prefix)),
                    None => filter(&|t: &str| glob_match(g, t)),
                };
                self.cache.insert(key, v.clone());
                v
            }
            TokenPattern::Regex(re) => filter(&|t: &str| re.is_match(t)),
            TokenPattern::Stem(w) => {
                if self.stemmer.is_none() {
                    self.stemmer = Some(WordStemmer::new("auto")?);
                }
                let stemmer = self.stemmer.as_ref().expect("set above");
                if self.stems.is_none() {
                    self.stems = Some(terms.par_iter().map(|t| stemmer.stem(t)).collect());
                }
                let target = stemmer.stem(w);
                let stems = self.stems.as_ref().expect("set above");
                (0..terms.len() as u32)
                    .filter(|&i| stems[i as usize] == target)
                    .collect()
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenizer::TokenizerOptions;

    fn tok() -> Tokenizer {
        Tokenizer::new(TokenizerOptions::default())
    }

    fn shape(p: &Pattern) -> Vec<String> {
        p.tokens
            .iter()
            .map(|t| match t {
                TokenPattern::Word(w) => w.clone(),
                TokenPattern::Glob(g) => format!("glob:{g}"),
                TokenPattern::Stem(s) => format!("stem:{s}"),
                TokenPattern::Regex(r) => format!("re:{}", r.as_str()),
            })
            .collect()
    }

    #[test]
    fn parses_words_globs_stems_and_regexes() {
        let t = tok();
        assert_eq!(
            shape(&parse("f", "the collective West’s", &t).unwrap()),
            ["the", "collective", "west"]
        );
        assert_eq!(
            shape(&parse("f", "rules-based order", &t).unwrap()),
            ["rules", "based", "order"]
        );
        assert_eq!(
            shape(&parse("f", "Anglo-Saxon*", &t).unwrap()),
            ["anglo", "glob:saxon*"]
        );
        assert_eq!(
            shape(&parse("f", "КОЛЛЕКТИВН* запад*", &t).unwrap()),
            ["glob:коллективн*", "glob:запад*"]
        );
        assert_eq!(
            shape(&parse("f", "~sanctions", &t).unwrap()),
            ["stem:sanctions"]
        );
        assert_eq!(
            shape(&parse("f", "/multipolar(ity)?/ world", &t).unwrap()),
            ["re:^(?:multipolar(ity)?)$", "world"]
        );
        assert_eq!(
            shape(&parse("f", "#UNCharterIsOurRules", &t).unwrap()),
            ["uncharterisourrules"]
        );
    }

    #[test]
    fn errors_name_frame_and_pattern() {
        let t = tok();
        for (p, what) in [
            ("", "empty"),
            ("   ", "empty"),
            ("/(unbalanced/", "invalid regex"),
            ("* west", "every word"),
            ("/x", "regex is written"),
            ("—", "no word"),
        ] {
            let e = parse("west", p, &t).unwrap_err().to_string();
            assert!(
                e.contains("frame \"west\"") && e.contains(what),
                "{p:?}: {e}"
            );
        }
    }

    #[test]
    fn globs() {
        assert!(glob_match("multipolar*", "multipolarity"));
        assert!(glob_match("polycentr?c", "polycentric"));
        assert!(glob_match("*polar", "unipolar"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(glob_match("запад*", "запада"));
    }
}
