//! Words hyphenated across a line break, as OCR'd and PDF-extracted text holds them
//! ("a multipo-\nlar world", "Glo-\nbal Majority", "много-\nполярный"): the tokenizer
//! sees two pieces ("multipo", "lar"), so frames and terms miss the word. This finds
//! such breaks and mends them by the corpus's own evidence (a word has no hyphen of its
//! own at a line end in born-digital text, so typeset text is the only place they occur):
//! - a soft hyphen (U+00AD) or FineReader's "¬" at the line end: joined ("multipolar");
//! - otherwise the corpus is asked how it writes the word elsewhere, on one line:
//!   whole ("multipolar") more often than hyphenated ("multi-polar"): joined; hyphenated
//!   more often: the hyphen stays ("rules-\nbased" -> "rules-based", where the line
//!   break fell at a compound's own hyphen);
//! - neither more often: the hyphen stays after a first piece that is itself a compound
//!   ("state-of-the-\nart"), else the pieces are joined (textacy's `hyphenated_words`
//!   rule, which joins every such break).
//!
//! A break is a first piece of letters (hyphens between letters allowed), a hyphen
//! (`-`, U+2010) or soft hyphen, spaces, one line break, spaces, and a second piece of
//! letters starting with a lower-case letter (any letter after a soft hyphen); a piece
//! touching a digit, a blank line between the pieces, or a capital after a hard hyphen
//! ("Russian-\nAmerican": the hyphen belongs there) is no break. Mending removes the
//! line break and the spaces around it, so the word is one token again.

use ahash::AHashMap;
use rayon::prelude::*;
use std::ops::Range;

/// A word broken across a line break, by byte ranges of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The first piece (letters, hyphens between letters), up to the hyphen.
    pub first: Range<usize>,
    /// The second piece (letters), after the line break.
    pub second: Range<usize>,
    /// Broken with a soft hyphen or "¬": always joined.
    pub soft: bool,
}

/// How a break is mended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mend {
    /// The pieces joined into one word ("multipolar").
    Join,
    /// The pieces joined by a hyphen ("rules-based").
    Hyphen,
}

fn is_hard_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}')
}

fn is_soft_hyphen(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{ac}')
}

/// Spaces that may sit around the line break (a carriage return of CRLF too).
fn is_line_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\u{a0}')
}

/// A letter or a combining mark (a decomposed "й" is и + a mark).
fn is_letter(c: char) -> bool {
    c.is_alphabetic() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// Where the first piece ending at `end` starts in `head`: back over letters and
/// hyphens that stand between letters; `None` if there is no letter before `end` or the
/// piece touches a digit (part of a longer token).
fn first_piece_start(head: &str, end: usize) -> Option<usize> {
    let mut start = end;
    let mut chars = head[..end].char_indices().rev().peekable();
    while let Some((i, c)) = chars.next() {
        if is_letter(c) {
            start = i;
        } else if is_hard_hyphen(c)
            && start < end
            && start == i + c.len_utf8()
            && chars.peek().is_some_and(|&(_, p)| is_letter(p))
        {
            continue;
        } else if c.is_alphanumeric() {
            return None;
        } else {
            break;
        }
    }
    (start < end).then_some(start)
}

/// The breaks in `text`, in order.
pub fn find_breaks(text: &str) -> Vec<Break> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    for nl in memchr::memchr_iter(b'\n', bytes) {
        // Most lines end in a letter or a full stop: one look at the byte before the line
        // break (spaces and a CR skipped) turns them away. A hyphen ends in 0x2D, U+2010
        // in 0x90, a soft hyphen, ¬ and a no-break space in 0xAD, 0xAC and 0xA0.
        let mut j = nl;
        while j > 0 && matches!(bytes[j - 1], b' ' | b'\t' | b'\r') {
            j -= 1;
        }
        if j == 0 || !matches!(bytes[j - 1], b'-' | 0x90 | 0xAD | 0xAC | 0xA0) {
            continue;
        }
        let before = text[..nl].trim_end_matches(is_line_space);
        let Some(h) = before.chars().next_back() else {
            continue;
        };
        let soft = is_soft_hyphen(h);
        if !soft && !is_hard_hyphen(h) {
            continue;
        }
        let hyphen_at = before.len() - h.len_utf8();
        // A word broken twice ("interna-⏎tional-⏎ization"): this first piece is the
        // last break's second one, which starts after its line break (no overlap).
        let Some(start) = first_piece_start(text, hyphen_at) else {
            continue;
        };
        let after = &text[nl + 1..];
        let from = nl + 1 + (after.len() - after.trim_start_matches(is_line_space).len());
        let rest = &text[from..];
        let Some(c0) = rest.chars().next() else {
            continue;
        };
        if !(is_letter(c0) && (soft || c0.is_lowercase())) {
            continue;
        }
        let len = rest.find(|c: char| !is_letter(c)).unwrap_or(rest.len());
        if rest[len..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        out.push(Break {
            first: start..hyphen_at,
            second: from..from + len,
            soft,
        });
    }
    out
}

/// `piece` lower-cased, with U+2010 written `-`, appended to `out`.
fn push_key(piece: &str, out: &mut String) {
    for c in piece.chars() {
        if c == '\u{2010}' {
            out.push('-');
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// The two ways a break's word may be written on one line: whole, and hyphenated.
fn keys_of(text: &str, b: &Break) -> (String, String) {
    let mut whole = String::new();
    push_key(&text[b.first.clone()], &mut whole);
    let mut hyphenated = whole.clone();
    push_key(&text[b.second.clone()], &mut whole);
    hyphenated.push('-');
    push_key(&text[b.second.clone()], &mut hyphenated);
    (whole, hyphenated)
}

/// Calls `f` with each word of `text` written on one line: letters, with hyphens
/// between letters ("multipolar", "rules-based").
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_letter(c) {
            start.get_or_insert(i);
            continue;
        }
        if is_hard_hyphen(c) && start.is_some() && chars.peek().is_some_and(|&(_, n)| is_letter(n))
        {
            continue;
        }
        if let Some(s) = start.take() {
            f(&text[s..i]);
        }
    }
    if let Some(s) = start {
        f(&text[s..]);
    }
}

/// How each break of each document is mended (see the module doc), by the words of
/// every document of `texts` (`breaks[i]` are `texts[i]`'s, from [`find_breaks`]).
/// The result does not depend on the number of threads.
pub fn decide<S: AsRef<str> + Sync>(texts: &[S], breaks: &[Vec<Break>]) -> Vec<Vec<Mend>> {
    // The words asked about, each once.
    let mut index: AHashMap<String, usize> = AHashMap::new();
    let mut asked: Vec<Vec<(usize, usize)>> = Vec::with_capacity(breaks.len());
    for (text, bs) in texts.iter().zip(breaks) {
        let text = text.as_ref();
        let pairs = bs
            .iter()
            .filter(|b| !b.soft)
            .map(|b| {
                let (whole, hyphenated) = keys_of(text, b);
                let n = index.len();
                let w = *index.entry(whole).or_insert(n);
                let n = index.len();
                let h = *index.entry(hyphenated).or_insert(n);
                (w, h)
            })
            .collect();
        asked.push(pairs);
    }
    let counts = if index.is_empty() {
        Vec::new()
    } else {
        let longest = index.keys().map(String::len).max().unwrap_or(0);
        texts
            .par_iter()
            .fold(
                || (vec![0u64; index.len()], String::new()),
                |(mut counts, mut key), text| {
                    for_each_word(text.as_ref(), |w| {
                        // A lower-cased word is at most 3x as long in bytes (and rarely longer).
                        if w.len() <= 3 * longest {
                            key.clear();
                            push_key(w, &mut key);
                            if let Some(&k) = index.get(key.as_str()) {
                                counts[k] += 1;
                            }
                        }
                    });
                    (counts, key)
                },
            )
            .map(|(counts, _)| counts)
            .reduce(
                || vec![0u64; index.len()],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    a
                },
            )
    };
    texts
        .iter()
        .zip(breaks)
        .zip(asked)
        .map(|((text, bs), pairs)| {
            let mut pairs = pairs.into_iter();
            bs.iter()
                .map(|b| {
                    if b.soft {
                        return Mend::Join;
                    }
                    let (w, h) = pairs.next().expect("one pair per hard break");
                    match counts[w].cmp(&counts[h]) {
                        std::cmp::Ordering::Greater => Mend::Join,
                        std::cmp::Ordering::Less => Mend::Hyphen,
                        std::cmp::Ordering::Equal => {
                            let first = &text.as_ref()[b.first.clone()];
                            if first.contains(is_hard_hyphen) {
                                Mend::Hyphen
                            } else {
                                Mend::Join
                            }
                        }
                    }
                })
                .collect()
        })
        .collect()
}

/// `text` with each break mended as `mends` says: the hyphen, the line break and the
/// spaces around it removed (a hyphen kept for [`Mend::Hyphen`]).
pub fn mend(text: &str, breaks: &[Break], mends: &[Mend]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (b, m) in breaks.iter().zip(mends) {
        out.push_str(&text[at..b.first.end]);
        if *m == Mend::Hyphen {
            out.push('-');
        }
        at = b.second.start;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<(&str, &str, bool)> {
        find_breaks(text)
            .into_iter()
            .map(|b| (&text[b.first], &text[b.second], b.soft))
            .collect()
    }

    fn mended(texts: &[&str]) -> Vec<String> {
        let breaks: Vec<Vec<Break>> = texts.iter().map(|t| find_breaks(t)).collect();
        let mends = decide(texts, &breaks);
        texts
            .iter()
            .zip(&breaks)
            .zip(&mends)
            .map(|((t, b), m)| mend(t, b, m))
            .collect()
    }

    #[test]
    fn breaks_as_pdf_text_holds_them() {
        // pdftotext of a typeset speech: CRLF, spaces at line ends, Cyrillic, soft hyphens.
        let text = "We stand for a multipo-\r\nlar world, and the Glo- \n  bal Majority\n\
                    agrees; the rules-\nbased order, the state-of-the-\nart, много-\nполярный \
                    мир, multi\u{ad}\npolar, Russian-\nAmerican, COVID19-\nrelated, end-\n\n\
                    paragraph, well-\nknown2, и\u{306}-\nтак, ‐\nx, West -\nand";
        assert_eq!(
            pieces(text),
            vec![
                ("multipo", "lar", false),
                ("Glo", "bal", false),
                ("rules", "based", false),
                ("state-of-the", "art", false),
                ("много", "полярный", false),
                ("multi", "polar", true),
                ("и\u{306}", "так", false),
            ]
        );
        assert!(find_breaks("no breaks here-\n").is_empty());
        // A word broken twice is mended whole.
        let twice = "interna-\ntional-\nization";
        assert_eq!(
            pieces(twice),
            vec![("interna", "tional", false), ("tional", "ization", false)]
        );
        assert_eq!(mended(&[twice]), vec!["internationalization".to_string()]);
        assert!(find_breaks("-\nx\n-\n\u{ad}\n").is_empty());
    }

    #[test]
    fn the_corpus_decides_join_or_hyphen() {
        let texts = [
            "The multipo-\nlar world and the rules-\nbased order, a well-\nknown fact, the \
             state-of-the-\nart, the Glo-\nbal Majority.",
            "A multipolar world; a rules-based order; Rules-Based too.",
            "multi\u{ad}\npolar and multi-polar, multi-polar",
        ];
        assert_eq!(
            mended(&texts),
            vec![
                // multipolar written whole once, with a hyphen twice ("multi-polar" is
                // another word): joined; rules-based hyphenated twice: kept; well-known
                // and glo-bal unknown: joined; state-of-the-art: a compound, kept.
                "The multipolar world and the rules-based order, a wellknown fact, the \
                 state-of-the-art, the Global Majority."
                    .to_string(),
                texts[1].to_string(),
                "multipolar and multi-polar, multi-polar".to_string(),
            ]
        );
    }

    #[test]
    fn hyphenated_more_often_than_whole_keeps_the_hyphen() {
        let texts = [
            "a multi-\npolar world",
            "multi-polar, multi-polar, multipolar",
        ];
        assert_eq!(mended(&texts)[0], "a multi-polar world");
    }

    #[test]
    fn mending_removes_only_the_break() {
        let text = "x Glo-  \r\n   bal y\n";
        let b = find_breaks(text);
        assert_eq!(mend(text, &b, &[Mend::Join]), "x Global y\n");
        assert_eq!(mend(text, &b, &[Mend::Hyphen]), "x Glo-bal y\n");
        assert_eq!(mend(text, &[], &[]), text);
    }
}
