//! Sentences glued without a space after the full stop ("the free world.Fourth,",
//! common in scraped and OCR'd text): UAX #29 keeps `world.Fourth` as one word, so
//! a phrase ending or starting there would be missed. This pass cuts such word
//! segments into word, ".", word before tokens are made, so frames, counts and KWIC
//! see the same tokens.
//!
//! A full stop inside a word segment is a sentence boundary when at least two
//! letters come right before it (an apostrophe may sit among them: "West’s") and a
//! capital follows it, with a lowercase letter on one side ("world.Fourth",
//! "world.NATO", "WORLD.Fourth"). So abbreviations ("U.S.", "e.g.", "i.e."), initials ("J.R.R."),
//! acronyms ("ASP.NET"), decimals (digits are never letters here) and domain names
//! ("kremlin.ru", lowercase after the dot) stay whole. Cost: one `memchr` per word
//! segment; only segments holding a '.' are looked at further.

use crate::text::segment::Segment;
use unicode_normalization::char::is_combining_mark;

use crate::text::tokenizer::{is_apostrophe, is_invisible};

/// Whether the '.' at byte `dot` of `word` ends a sentence glued to the next.
/// Characters the tokenizer removes from words (joiners, soft hyphens, emoji) are
/// looked through, so a token and its re-tokenized text split alike.
fn is_glued_boundary(word: &str, dot: usize) -> bool {
    let (mut letters, mut lower) = (0usize, false);
    // Letters right before the dot; an apostrophe or a combining mark among them is
    // part of the word ("West’s", "s\u{301}" composed to "ś" by the tokenizer).
    for c in word[..dot]
        .chars()
        .rev()
        .filter(|&c| !is_invisible(c))
        .take_while(|&c| c.is_alphabetic() || is_apostrophe(c) || is_combining_mark(c))
    {
        if c.is_alphabetic() {
            letters += 1;
            lower |= c.is_lowercase();
        }
    }
    let mut after = word[dot + 1..].chars().filter(|&c| !is_invisible(c));
    let (first, second) = (after.next(), after.next());
    let capital = first.is_some_and(char::is_uppercase);
    // "world.Fourth", "world.NATO", "WORLD.Fourth"; not "ASP.NET".
    letters >= 2 && capital && (lower || second.is_some_and(char::is_lowercase))
}

/// Splits word segments of `segs` at glued sentence boundaries, in place.
pub fn split_glued_sentences<'a>(segs: &mut Vec<Segment<'a>>) {
    let glued = |s: &Segment<'_>| {
        s.2 && memchr::memchr(b'.', s.1.as_bytes()).is_some()
            && s.1
                .match_indices('.')
                .any(|(p, _)| is_glued_boundary(s.1, p))
    };
    if !segs.iter().any(glued) {
        return;
    }
    let mut out: Vec<Segment<'a>> = Vec::with_capacity(segs.len() + 8);
    for &seg in segs.iter() {
        if !glued(&seg) {
            out.push(seg);
            continue;
        }
        let (at, word, _) = seg;
        let mut from = 0;
        for (p, _) in word.match_indices('.') {
            if is_glued_boundary(word, p) {
                out.push((at + from, &word[from..p], true));
                out.push((at + p, &word[p..p + 1], false));
                from = p + 1;
            }
        }
        out.push((at + from, &word[from..], true));
    }
    *segs = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::segment::segments;

    fn words(text: &str) -> Vec<&str> {
        let mut v = Vec::new();
        segments(text, &mut v);
        split_glued_sentences(&mut v);
        for w in v.windows(2) {
            assert_eq!(w[0].0 + w[0].1.len(), w[1].0, "segments tile the text");
        }
        v.into_iter().filter(|s| s.2).map(|s| s.1).collect()
    }

    #[test]
    fn splits_glued_sentences_only() {
        // (input, expected words): shapes from scraped speeches and OCR.
        let cases: &[(&str, &[&str])] = &[
            (
                "the free world.Fourth, we",
                &["the", "free", "world", "Fourth", "we"],
            ),
            ("Запада.Четвертое", &["Запада", "Четвертое"]),
            ("world.NATO expands", &["world", "NATO", "expands"]),
            (
                "the U.S.Army and U.S. policy",
                &["the", "U.S.Army", "and", "U.S", "policy"],
            ),
            ("e.g.The i.e.This", &["e.g.The", "i.e.This"]),
            ("J.R.R.Tolkien", &["J.R.R.Tolkien"]),
            ("ASP.NET and kremlin.ru", &["ASP.NET", "and", "kremlin.ru"]),
            (
                "version 3.5 in 2023.The end",
                &["version", "3.5", "in", "2023", "The", "end"],
            ),
            ("St.Petersburg", &["St", "Petersburg"]),
            ("one.Two.Three", &["one", "Two", "Three"]),
            (
                "the West’s.Fourth and WORLD.Fourth",
                &["the", "West’s", "Fourth", "and", "WORLD", "Fourth"],
            ),
            ("world.", &["world"]),
        ];
        for (text, want) in cases {
            assert_eq!(words(text), *want, "{text:?}");
        }
    }
}
