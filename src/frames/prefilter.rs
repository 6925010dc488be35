//! Which tokens can match a dictionary at all, decided on a token's first bytes.
//!
//! Every token position of a pattern matches only tokens that start with a known
//! prefix: a word starts with itself, a glob with its text before the first `*` or
//! `?`, a `/regex/` with one of its literal prefixes (from `regex-syntax`, the
//! parser of `regex`; a lemma pattern is an alternation of words), a `~stem`
//! pattern with the first character of the stem (the English and Russian
//! Snowball stemmers change only a word's ending). Tokens that start with none of
//! the prefixes match nothing, so a matcher need not normalise or look them up.
//! A dictionary with a position that has no prefix (`*polar`, `/.*ism/`) has no
//! prefilter.

use ahash::AHashMap;
use regex_syntax::hir::literal::Extractor;

use crate::frames::pattern::{Pattern, TokenPattern};
use crate::text::plain::{first_bytes, lower_prefix};
use crate::text::stem::WordStemmer;
use crate::text::tokenizer::TokenizerOptions;

/// The longest prefix compared, in bytes.
const KEY_BYTES: usize = 8;

/// Prefixes of every token that can match a dictionary.
#[derive(Debug, Clone)]
pub struct Prefilter {
    /// First bytes that are a whole prefix (a one-byte prefix admits every token
    /// that starts with it).
    single: [bool; 256],
    /// Whether some prefix of two or more bytes starts with these two bytes.
    pairs: Box<[u64; 1024]>,
    /// Prefixes of two to eight bytes: (mask of their length, bytes packed
    /// little-endian), grouped by their first two bytes.
    by_pair: AHashMap<u16, Vec<(u64, u64)>>,
}

/// Literal prefixes of a `/regex/` token pattern; `None` if some match has none.
fn regex_prefixes(re: &regex::Regex) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::Parser::new().parse(re.as_str()).ok()?;
    let seq = Extractor::new().extract(&hir);
    let lits = seq.literals()?;
    lits.iter()
        .map(|l| Some(l.as_bytes().to_vec()).filter(|b| !b.is_empty()))
        .collect()
}

impl Prefilter {
    /// The prefilter of parsed frames (patterns and exclusions); `None` if some token
    /// position can match a token of any prefix.
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a Pattern>) -> Option<Prefilter> {
        let mut stemmer: Option<WordStemmer> = None;
        let mut prefixes: Vec<Vec<u8>> = Vec::new();
        for p in patterns {
            for t in &p.tokens {
                match t {
                    TokenPattern::Word(w) => prefixes.push(w.as_bytes().to_vec()),
                    TokenPattern::Glob(g) => {
                        let lit = &g[..g.find(['*', '?']).unwrap_or(g.len())];
                        if lit.is_empty() {
                            return None;
                        }
                        prefixes.push(lit.as_bytes().to_vec());
                    }
                    TokenPattern::Regex(re) => prefixes.extend(regex_prefixes(re)?),
                    TokenPattern::Stem(w) => {
                        let s = stemmer.get_or_insert_with(|| {
                            WordStemmer::new("auto").expect("the auto stemmer exists")
                        });
                        let stem = s.stem(w);
                        let first = stem.chars().next()?;
                        prefixes.push(first.to_string().into_bytes());
                    }
                }
            }
        }
        let mut f = Prefilter {
            single: [false; 256],
            pairs: Box::new([0u64; 1024]),
            by_pair: AHashMap::new(),
        };
        for p in prefixes {
            let key = &p[..p.len().min(KEY_BYTES)];
            if key.len() == 1 {
                f.single[key[0] as usize] = true;
                continue;
            }
            let pair = u16::from_le_bytes([key[0], key[1]]);
            f.pairs[pair as usize / 64] |= 1 << (pair % 64);
            let mask = u64::MAX >> (64 - 8 * key.len());
            let entry = (mask, first_bytes(key));
            let list = f.by_pair.entry(pair).or_default();
            if !list.contains(&entry) {
                list.push(entry);
            }
        }
        Some(f)
    }

    /// Whether a token whose first bytes (up to 8, zeros after its end) are `key`,
    /// packed little-endian, may match.
    #[inline]
    pub fn admits_key(&self, key: u64) -> bool {
        if self.single[(key & 0xFF) as usize] {
            return key != 0;
        }
        let pair = (key & 0xFFFF) as u16;
        if self.pairs[pair as usize / 64] >> (pair % 64) & 1 == 0 {
            return false;
        }
        self.by_pair
            .get(&pair)
            .is_some_and(|list| list.iter().any(|&(mask, k)| key & mask == k))
    }

    /// Whether a normalised token may match.
    #[inline]
    pub fn admits(&self, token: &str) -> bool {
        self.admits_key(first_bytes(token.as_bytes()))
    }

    /// Whether a [`crate::text::plain::Token::Plain`] word may match, judged on its
    /// normalised form (as `opts` ask) without writing it.
    #[inline]
    pub fn admits_plain(&self, word: &str, opts: &TokenizerOptions) -> bool {
        self.admits_key(lower_prefix(word, opts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frames::pattern::parse;
    use crate::text::stem::WordStemmer;
    use crate::text::tokenizer::Tokenizer;

    fn pre(patterns: &[&str]) -> Option<Prefilter> {
        let tok = Tokenizer::default();
        let parsed: Vec<Pattern> = patterns
            .iter()
            .map(|p| parse("f", p, &tok).unwrap())
            .collect();
        Prefilter::new(&parsed)
    }

    #[test]
    fn admits_tokens_by_prefix() {
        let p = pre(&[
            "collective West",
            "коллективн* запад*",
            "/(?:мир|мира|миром)/",
            "~sanctions",
            "a",
        ])
        .unwrap();
        for yes in [
            "collective",
            "west",
            "коллективного",
            "запада",
            "мир",
            "миром",
            "sanction",
            "a",
            "sx",
        ] {
            assert!(p.admits(yes), "{yes}");
        }
        for no in ["the", "col", "колокол", "мi", "order", "", "b"] {
            assert!(!p.admits(no), "{no}");
        }
        for (plain, yes) in [
            ("COLLECTIVE", true),
            ("Western", true),
            ("КОЛЛЕКТИВНЫЙ", true),
            ("ЗАПАД", true),
            ("Мира", true),
            ("МИР", true),
            ("Order", false),
            ("Колокол", false),
            ("Sanctions", true),
            ("A", true),
        ] {
            assert_eq!(
                p.admits_plain(plain, &TokenizerOptions::default()),
                yes,
                "{plain}"
            );
        }
        let keep_case = TokenizerOptions {
            lowercase: false,
            ..TokenizerOptions::default()
        };
        assert!(!p.admits_plain("COLLECTIVE", &keep_case));
    }

    #[test]
    fn no_prefilter_where_a_position_has_no_prefix() {
        assert!(pre(&["*polar world"]).is_none());
        assert!(pre(&["/.*ism/"]).is_none());
        assert!(pre(&["/(?:a|.+b)/"]).is_none());
        assert!(pre(&["multipolar*", "/multipolar(ity)?/"]).is_some());
    }

    /// The `~stem` prefix rests on the stemmers keeping a word's first character.
    #[test]
    fn stems_keep_the_first_character() {
        let s = WordStemmer::new("auto").unwrap();
        let words = "dying lying tying skies skis ugly early only gently idly news sky \
            generously relational conditional valenci digitizer operator feudalism \
            hopefulness callousness decisiveness formaliti sensibiliti sensitiviti \
            yes youth yelling y ye '' ties cries gas this was running hopping \
            коллективного запада мирами большинством порядков ёлками ее её санкциями \
            ооо а я 2023г 1990-х x1";
        for w in words.split_whitespace() {
            let stem = s.stem(w);
            assert_eq!(stem.chars().next(), w.chars().next(), "{w} -> {stem}");
        }
    }
}
