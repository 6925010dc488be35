//! scikit-learn's word analyzer, reproduced exactly: preprocess (lowercase,
//! then strip accents), tokenize with `token_pattern`, drop stop words, then
//! emit n-grams joined by one space, in scikit-learn's order. The default
//! pattern `(?u)\b\w\w+\b` is a hand-written scan over Python's `\w` table
//! (maximal runs of two or more word characters); others use the `regex` crate.

use ahash::AHashSet;
use fancy_regex::Regex;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

use crate::error::{invalid, CoreError, Result};
use crate::text::ascii_scan::word_runs;
use crate::text::pypattern::translate;
use crate::text::pyword::{is_ascii_word_byte, is_word_char, push_lower_str, push_lower_word};
use crate::text::utf8_scan::word_runs_utf8;

/// scikit-learn's default `token_pattern`.
pub const DEFAULT_TOKEN_PATTERN: &str = r"(?u)\b\w\w+\b";

/// How tokens are found in preprocessed text.
#[derive(Debug, Clone)]
pub enum TokenPattern {
    /// `(?u)\b\w\w+\b` with Python's `\w`: identical to scikit-learn.
    Default,
    /// Any other pattern, translated to Python's meaning of `\w`, `\s`, `\b`
    /// ([`crate::text::pypattern`]) and compiled with `fancy-regex`. If it has one
    /// capturing group, the group is the token (as in Python's `re.findall`).
    Regex(Regex),
}

impl TokenPattern {
    /// Compiles `pattern`; the default pattern gets the exact fast path.
    pub fn new(pattern: &str) -> Result<Self> {
        if pattern == DEFAULT_TOKEN_PATTERN || pattern == r"\b\w\w+\b" {
            return Ok(TokenPattern::Default);
        }
        let re = Regex::new(&translate(pattern))
            .map_err(|e| invalid(format!("invalid token_pattern {pattern:?}: {e}")))?;
        if re.captures_len() > 2 {
            return Err(invalid(
                "More than 1 capturing group in token pattern. Only a single group should be captured.",
            ));
        }
        Ok(TokenPattern::Regex(re))
    }
}

/// scikit-learn's `strip_accents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StripAccents {
    /// Keep text as it is.
    None,
    /// NFKD, then drop every non-ASCII character.
    Ascii,
    /// NFKD, then drop combining characters (canonical combining class != 0).
    Unicode,
}

crate::choices!(StripAccents, "strip_accents", [
    "none" => StripAccents::None, "ascii" => StripAccents::Ascii, "unicode" => StripAccents::Unicode,
]);

/// scikit-learn's `analyzer="word"` with its parameters.
#[derive(Debug, Clone)]
pub struct WordAnalyzer {
    lowercase: bool,
    strip_accents: StripAccents,
    pattern: TokenPattern,
    stop_words: Option<AHashSet<Box<str>>>,
    min_n: usize,
    max_n: usize,
}

/// Reusable buffers for [`WordAnalyzer::analyze`], one per thread.
#[derive(Debug, Default)]
pub struct Scratch {
    /// Preprocessed text, or lowercased tokens (the arena).
    text: String,
    /// Token byte ranges, in the document or in `text` (the arena).
    tokens: Vec<Span>,
    gram: String,
}

/// Largest document analysed: spans are 31-bit offsets, and lowercasing may grow text by half.
pub const MAX_DOC_BYTES: usize = 1 << 30;

/// A token's byte range, in the document or (top bit of `end`) in the arena. 8 bytes.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    start: u32,
    end: u32,
}

const IN_ARENA: u32 = 1 << 31;

impl Span {
    #[inline]
    fn new(start: usize, end: usize, in_arena: bool) -> Span {
        Span {
            start: start as u32,
            end: end as u32 | if in_arena { IN_ARENA } else { 0 },
        }
    }
}

/// Appends an ASCII token lowercased to the arena and its span to `tokens`.
#[inline(never)]
fn lowercased_into_arena(token: &str, arena: &mut String, tokens: &mut Vec<Span>) {
    let a = arena.len();
    arena.push_str(token);
    arena[a..].make_ascii_lowercase();
    tokens.push(Span::new(a, arena.len(), true));
}

/// The text of a token.
#[inline]
fn tok<'a>(doc: &'a str, arena: &'a str, t: Span) -> &'a str {
    let range = t.start as usize..(t.end & !IN_ARENA) as usize;
    let text = if t.end & IN_ARENA != 0 { arena } else { doc };
    debug_assert!(text.get(range.clone()).is_some(), "span on char boundaries");
    // SAFETY: spans are only made in this module, by the tokenizers below, as
    // ranges of whole characters of the text they are marked for (`doc` or the arena).
    unsafe { text.get_unchecked(range) }
}

impl WordAnalyzer {
    /// Builds an analyzer; `ngram_range` is inclusive, as in scikit-learn.
    pub fn new(
        lowercase: bool,
        strip_accents: StripAccents,
        pattern: TokenPattern,
        stop_words: Option<Vec<String>>,
        ngram_range: (usize, usize),
    ) -> Result<Self> {
        let (min_n, max_n) = ngram_range;
        if min_n < 1 || min_n > max_n {
            return Err(invalid(format!(
                "Invalid value for ngram_range=({min_n}, {max_n}) lower boundary larger than the upper boundary."
            )));
        }
        Ok(WordAnalyzer {
            lowercase,
            strip_accents,
            pattern,
            stop_words: stop_words.map(|w| w.into_iter().map(String::into_boxed_str).collect()),
            min_n,
            max_n,
        })
    }

    /// Inclusive n-gram range.
    pub fn ngram_range(&self) -> (usize, usize) {
        (self.min_n, self.max_n)
    }

    /// Whether tokens can never contain a character at or below U+0020 (true for the
    /// default pattern), so n-grams joined by a space sort like tuples of their tokens.
    pub fn tokens_are_space_free(&self) -> bool {
        matches!(self.pattern, TokenPattern::Default)
    }

    /// The tokens of `doc` after stop-word removal (no n-grams), borrowed from
    /// `doc` or `scratch`.
    pub fn tokens<'a>(
        &'a self,
        doc: &'a str,
        scratch: &'a mut Scratch,
    ) -> Result<impl Iterator<Item = &'a str> + 'a> {
        let src = self.tokenize_into(doc, scratch)?.unwrap_or(doc);
        let Scratch { text, tokens, .. } = scratch;
        let arena: &str = text;
        Ok(tokens.iter().map(move |&t| tok(src, arena, t)))
    }

    /// Fills `scratch.tokens`; returns `Some("")` when ranges point into the arena only,
    /// `None` when ranges with `false` point into `doc`.
    fn tokenize_into(&self, doc: &str, scratch: &mut Scratch) -> Result<Option<&'static str>> {
        if doc.len() > MAX_DOC_BYTES {
            return Err(invalid(format!(
                "the document has {} bytes; documents over {MAX_DOC_BYTES} bytes (1 GiB) must be split",
                doc.len()
            )));
        }
        let Scratch { text, tokens, .. } = scratch;
        tokens.clear();
        text.clear();
        let default = matches!(self.pattern, TokenPattern::Default);
        if default && doc.is_ascii() {
            // ASCII: accents cannot be stripped from it, so every setting takes this path.
            let lowercase = self.lowercase;
            // A token takes at least 3 bytes (2 and a separator): no growth while scanning.
            tokens.reserve(doc.len() / 3 + 1);
            word_runs(
                doc.as_bytes(),
                #[inline(always)]
                |s, e, upper| {
                    if e - s >= 2 {
                        if lowercase && upper {
                            lowercased_into_arena(&doc[s..e], text, tokens);
                        } else {
                            tokens.push(Span::new(s, e, false));
                        }
                    }
                },
            );
            self.drop_stop_words(doc, scratch);
            return Ok(None);
        }
        let fast = default
            && self.strip_accents == StripAccents::None
            && fast_tokens(doc, self.lowercase, tokens, text);
        if fast {
            self.drop_stop_words(doc, scratch);
            return Ok(None);
        }
        tokens.clear();
        self.preprocess(doc, text);
        match &self.pattern {
            TokenPattern::Default => default_tokens(text, tokens),
            TokenPattern::Regex(re) => regex_tokens(re, text, tokens)?,
        }
        self.drop_stop_words("", scratch);
        Ok(Some(""))
    }

    /// Removes stop words from `scratch.tokens`; `src` is the text of spans not in the arena.
    fn drop_stop_words(&self, src: &str, scratch: &mut Scratch) {
        if let Some(stop) = &self.stop_words {
            let Scratch { text, tokens, .. } = scratch;
            let arena: &str = text;
            tokens.retain(|&t| !stop.contains(tok(src, arena, t)));
        }
    }

    /// Calls `emit` with every term of `doc` (tokens and n-grams), in scikit-learn's order.
    /// Fails only if a custom pattern exceeds the regex engine's backtracking limit.
    pub fn analyze<F: FnMut(&str)>(
        &self,
        doc: &str,
        scratch: &mut Scratch,
        mut emit: F,
    ) -> Result<()> {
        // `src` is the text that token ranges marked `false` point into.
        let src: &str = self.tokenize_into(doc, scratch)?.unwrap_or(doc);
        let Scratch { text, tokens, gram } = scratch;
        let arena: &str = text;
        if self.max_n == 1 {
            for &t in tokens.iter() {
                emit(tok(src, arena, t));
            }
            return Ok(());
        }
        let mut min_n = self.min_n;
        if min_n == 1 {
            for &t in tokens.iter() {
                emit(tok(src, arena, t));
            }
            min_n = 2;
        }
        let n_tokens = tokens.len();
        for n in min_n..=self.max_n.min(n_tokens) {
            for window in tokens.windows(n) {
                gram.clear();
                for (k, &t) in window.iter().enumerate() {
                    if k > 0 {
                        gram.push(' ');
                    }
                    gram.push_str(tok(src, arena, t));
                }
                emit(gram);
            }
        }
        Ok(())
    }

    /// Lowercases (Python's `str.lower`, full mapping with final sigma), then strips accents.
    fn preprocess(&self, doc: &str, out: &mut String) {
        out.clear();
        if self.lowercase {
            push_lower_str(doc, out);
        } else {
            out.push_str(doc);
        }
        match self.strip_accents {
            StripAccents::None => {}
            _ if out.is_ascii() => {}
            StripAccents::Ascii => {
                let s: String = out.nfkd().filter(char::is_ascii).collect();
                *out = s;
            }
            StripAccents::Unicode => {
                let s: String = out
                    .nfkd()
                    .filter(|&c| canonical_combining_class(c) == 0)
                    .collect();
                *out = s;
            }
        }
    }
}

/// Tokens of the default pattern for `doc`, found with the block scanner; tokens
/// with a capital are lowercased into the arena. `false` if `doc` must be
/// lowercased whole (a character whose lowercase depends on context).
fn fast_tokens(doc: &str, lowercase: bool, out: &mut Vec<Span>, arena: &mut String) -> bool {
    out.reserve(doc.len() / 3 + 1);
    word_runs_utf8(doc, lowercase, |s, e, upper| {
        if lowercase && upper {
            let a = arena.len();
            push_lower_word(&doc[s..e], arena);
            out.push(Span::new(a, arena.len(), true));
        } else {
            out.push(Span::new(s, e, false));
        }
    })
}

/// Maximal runs of two or more Python word characters, as byte ranges.
fn default_tokens(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    if text.is_ascii() {
        let mut i = 0;
        let n = bytes.len();
        while i < n {
            if is_ascii_word_byte(bytes[i]) {
                let start = i;
                while i < n && is_ascii_word_byte(bytes[i]) {
                    i += 1;
                }
                if i - start >= 2 {
                    out.push(Span::new(start, i, true));
                }
            } else {
                i += 1;
            }
        }
        return;
    }
    let mut start = 0;
    let mut run = 0usize;
    for (i, c) in text.char_indices() {
        let word = if c.is_ascii() {
            is_ascii_word_byte(c as u8)
        } else {
            is_word_char(c)
        };
        if word {
            if run == 0 {
                start = i;
            }
            run += 1;
        } else {
            if run >= 2 {
                out.push(Span::new(start, i, true));
            }
            run = 0;
        }
    }
    if run >= 2 {
        out.push(Span::new(start, text.len(), true));
    }
}

/// Matches of a custom pattern; with one group, the group's span (empty when it did not take part).
fn regex_tokens(re: &Regex, text: &str, out: &mut Vec<Span>) -> Result<()> {
    let fail = |e: fancy_regex::Error| {
        CoreError::InvalidArgument(format!("token_pattern failed on a document: {e}"))
    };
    if re.captures_len() == 2 {
        for caps in re.captures_iter(text) {
            match caps.map_err(fail)?.get(1) {
                Some(m) => out.push(Span::new(m.start(), m.end(), true)),
                None => out.push(Span::new(0, 0, true)),
            }
        }
    } else {
        for m in re.find_iter(text) {
            let m = m.map_err(fail)?;
            out.push(Span::new(m.start(), m.end(), true));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(a: &WordAnalyzer, doc: &str) -> Vec<String> {
        let mut s = Scratch::default();
        let mut v = Vec::new();
        a.analyze(doc, &mut s, |t| v.push(t.to_string())).unwrap();
        v
    }

    fn default(ngram: (usize, usize)) -> WordAnalyzer {
        WordAnalyzer::new(true, StripAccents::None, TokenPattern::Default, None, ngram).unwrap()
    }

    #[test]
    fn default_pattern_like_sklearn() {
        let a = default((1, 1));
        assert_eq!(
            terms(&a, "The collective West’s I a x_y 42"),
            ["the", "collective", "west", "x_y", "42"]
        );
        // Combining acute accent breaks a Python word; Cyrillic is word.
        assert_eq!(terms(&a, "cafe\u{301} Москва"), ["cafe", "москва"]);
        // İ lowercases to i + U+0307, which splits the token as in Python.
        assert_eq!(terms(&a, "İstanbul"), ["stanbul"]);
    }

    #[test]
    fn ngrams_order() {
        let a = default((1, 2));
        assert_eq!(
            terms(&a, "a bb cc dd"),
            ["bb", "cc", "dd", "bb cc", "cc dd"]
        );
        let a = default((2, 3));
        assert_eq!(terms(&a, "bb cc dd"), ["bb cc", "cc dd", "bb cc dd"]);
    }

    #[test]
    fn stop_words_removed_before_ngrams() {
        let a = WordAnalyzer::new(
            true,
            StripAccents::None,
            TokenPattern::Default,
            Some(vec!["the".into()]),
            (2, 2),
        )
        .unwrap();
        assert_eq!(terms(&a, "the West the order"), ["west order"]);
    }

    #[test]
    fn bad_pattern_and_range() {
        assert!(TokenPattern::new("(a)(b)").is_err());
        assert!(TokenPattern::new("(").is_err());
        assert!(WordAnalyzer::new(
            true,
            StripAccents::None,
            TokenPattern::Default,
            None,
            (2, 1)
        )
        .is_err());
    }

    #[test]
    fn strip_accents() {
        let a = WordAnalyzer::new(
            true,
            StripAccents::Unicode,
            TokenPattern::Default,
            None,
            (1, 1),
        )
        .unwrap();
        assert_eq!(terms(&a, "Café naïve"), ["cafe", "naive"]);
    }
}
