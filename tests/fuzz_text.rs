//! Property tests (bounded fuzzing) for the text layer: segmentation, the corpus
//! tokenizer and the tokenized corpus. `PROPTEST_CASES` sets the number of
//! inputs (256 by default in `make test`; `make fuzz` runs many more).
//!
//! Inputs are strings built from pieces that matter to the tokenizer: the
//! characters of the fast path, their word-break neighbours (MidLetter, MidNum,
//! ExtendNumLet), and what it must hand to UAX #29 (emoji, ZWJ, combining
//! marks, format characters, other scripts, Σ and İ whose case mapping is special).

use framescope::text::segment::segments;
use framescope::text::tokenized::{spans, TokenizedCorpus};
use framescope::text::tokenizer::{joins, HashtagMode, HyphenMode, Tokenizer, TokenizerOptions};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

const PIECES: &[&str] = &[
    "a",
    "Z",
    "west",
    "West’s",
    "don't",
    "e.g.",
    "1",
    "2023",
    "1,000.5",
    "3;4",
    "a:b",
    "_",
    "__",
    "x1y",
    ".",
    ",",
    ";",
    ":",
    "'",
    "‘",
    "’",
    "-",
    "\u{2010}",
    "#",
    "#BRICS",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\x0b",
    "«",
    "»",
    "—",
    "–",
    "…",
    "“",
    "”",
    "\u{a0}",
    "ё",
    "Ё",
    "Запад",
    "коллективного",
    "КОЛЛЕКТИВНОГО",
    "\u{400}\u{47f}",
    "\u{480}",
    "\u{482}",
    "Сooperation",
    "é",
    "Æ",
    "ſ",
    "ǅ",
    "\u{301}",
    "\u{483}",
    "\u{200d}",
    "\u{200b}",
    "\u{ad}",
    "\u{200e}",
    "🌐",
    "🇷🇺",
    "👨\u{200d}👩",
    "日本",
    "שָׁ",
    "١٢",
    "Σ",
    "ΟΔΟΣ",
    "İ",
    "ß",
    "ﬁ",
    "https://t.me/x",
    "www.mid.ru",
    "a@b.ru",
    "\0",
    "\u{85}",
    "\u{2028}",
    "ª",
    "²",
    "·",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

fn options() -> impl Strategy<Value = TokenizerOptions> {
    (
        any::<bool>(),
        0..3u8,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(lowercase, h, join, numbers, poss, fold, yo)| TokenizerOptions {
                lowercase,
                hashtags: [HashtagMode::Word, HashtagMode::Keep, HashtagMode::Drop][h as usize],
                hyphens: if join {
                    HyphenMode::Join
                } else {
                    HyphenMode::Split
                },
                numbers,
                strip_possessive: poss,
                fold_mixed_script: fold,
                fold_yo: yo,
            },
        )
}

fn is_space(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
}

/// Segments with white-space runs joined, so the two segmenters compare.
fn joined<'a>(segs: impl Iterator<Item = (usize, &'a str)>) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (at, s) in segs {
        match out.last_mut() {
            Some(last) if is_space(s) && is_space(&last.1) => last.1.push_str(s),
            _ => out.push((at, s.to_string())),
        }
    }
    out
}

proptest! {
    /// The fast segmenter gives UAX #29's segments (white-space runs joined).
    #[test]
    fn segments_equal_uax29(t in text()) {
        let mut fast = Vec::new();
        segments(&t, &mut fast);
        for (at, s, word) in &fast {
            prop_assert_eq!(*word, s.chars().any(char::is_alphanumeric));
            prop_assert_eq!(&t[*at..*at + s.len()], *s);
        }
        prop_assert_eq!(joined(fast.iter().map(|s| (s.0, s.1))),
                        joined(t.split_word_bound_indices()));
    }

    /// Tokens: no panic, spans are ordered char-boundary ranges of the text, tokens
    /// are non-empty, and tokenizing the tokens again gives them back.
    #[test]
    fn tokenizer_spans_and_idempotence(t in text(), opts in options()) {
        let tok = Tokenizer::new(opts.clone());
        let mut toks: Vec<(String, usize, usize)> = Vec::new();
        tok.tokenize(&t, |s, a, b| toks.push((s.to_string(), a, b)));
        let mut last_end = 0;
        for (s, a, b) in &toks {
            prop_assert!(!s.is_empty());
            prop_assert!(a < b && *b <= t.len() && *a >= last_end, "span {a}..{b} in {t:?}");
            prop_assert!(t.is_char_boundary(*a) && t.is_char_boundary(*b));
            last_end = *b;
        }
        // Idempotent: the tokens, separated by spaces, tokenize to themselves
        // (with hashtags and hyphens kept as they are, and ASCII-only look-alike rules).
        if opts.hyphens == HyphenMode::Split && opts.hashtags != HashtagMode::Drop {
            let again_text = toks.iter().map(|x| x.0.as_str()).collect::<Vec<_>>().join(" ");
            let mut again = Vec::new();
            tok.tokenize(&again_text, |s, _, _| again.push(s.to_string()));
            let first: Vec<String> = toks.iter().map(|x| x.0.clone()).collect();
            prop_assert_eq!(again, first, "{:?}", t);
        }
    }

    /// The tokenized corpus holds exactly the tokenizer's tokens, whatever the thread
    /// count; the spans recomputed for KWIC are the tokenizer's; the run breaks stored
    /// at tokenization are what the text between the tokens says.
    #[test]
    fn tokenized_corpus_matches_tokenizer(docs in prop::collection::vec(text(), 0..12)) {
        let tok = Tokenizer::default();
        let tc = TokenizedCorpus::build(&docs, &tok);
        prop_assert_eq!(tc.n_docs(), docs.len());
        for (d, doc) in docs.iter().enumerate() {
            let mut want = Vec::new();
            tok.tokenize(doc, |s, a, b| want.push((s.to_string(), (a as u32, b as u32))));
            let sp = spans(doc, &tok);
            let got: Vec<(String, (u32, u32))> = tc.doc(d).iter().zip(&sp)
                .map(|(&id, &sp)| (tc.vocab.term(id).to_string(), sp)).collect();
            prop_assert_eq!(&got, &want);
            prop_assert_eq!(sp.len(), tc.doc(d).len());
            for (k, i) in (tc.offsets[d]..tc.offsets[d + 1]).enumerate() {
                let brk = k == 0 || !joins(&doc[sp[k - 1].1 as usize..sp[k].0 as usize]);
                prop_assert_eq!(tc.breaks[i], brk, "token {} of {:?}", k, doc);
            }
        }
    }
}

/// Interner keys: short and long (past the 24-byte summary and the 255 bytes the slot's
/// length holds), sharing prefixes, ASCII and Cyrillic, some repeated.
fn interner_keys() -> impl Strategy<Value = Vec<String>> {
    let key = (0usize..6, 0usize..400, 0u32..40).prop_map(|(stem, len, tail)| {
        let base = [
            "w",
            "запад",
            "a-very-long-shared-prefix-over-24-bytes-",
            "",
            "ab",
            "я",
        ][stem];
        let mut k = base.repeat(1 + len / base.len().max(1));
        while k.len() > len && k.len() > base.len() {
            k.pop();
        }
        format!("{k}{tail}")
    });
    prop::collection::vec(key, 0..300)
}

proptest! {
    /// The interner gives each distinct string one id (dense, in order of first sight),
    /// reads it back, and counts each document as a map of counts would; lookups alone
    /// find exactly what was interned.
    #[test]
    fn interner_equals_a_hash_map(docs in prop::collection::vec(interner_keys(), 1..6)) {
        use framescope::text::intern::Interner;
        use std::collections::HashMap;
        let mut interner = Interner::default();
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut touched = Vec::new();
        for doc in &docs {
            interner.count_each(doc.iter().map(String::as_str), &mut touched);
            let mut want: HashMap<u32, u32> = HashMap::new();
            for k in doc {
                let next = ids.len() as u32;
                let id = *ids.entry(k.clone()).or_insert(next);
                *want.entry(id).or_insert(0) += 1;
            }
            let mut got: HashMap<u32, u32> = HashMap::new();
            interner.drain_counts(&mut touched, |id, c| { got.insert(id, c); });
            prop_assert_eq!(got, want);
        }
        prop_assert_eq!(interner.len(), ids.len());
        for (k, &id) in &ids {
            prop_assert_eq!(interner.get(id), k.as_str());
            prop_assert_eq!(interner.intern(k), (id, false));
        }
        let probes: Vec<String> = ids.keys().map(|k| format!("{k}x")).chain(ids.keys().cloned()).collect();
        let mut found = Vec::new();
        interner.find_each(probes.iter().map(String::as_str), |id| found.push(id));
        for (p, f) in probes.iter().zip(found) {
            prop_assert_eq!(f, ids.get(p).copied());
        }
    }
}
