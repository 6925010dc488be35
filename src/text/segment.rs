//! Word segmentation by Unicode word boundaries (UAX #29), with a fast path.
//!
//! The text is cut into pieces at ASCII white space followed by an ASCII byte:
//! UAX #29 always breaks on both sides there, so pieces segment independently.
//! A piece made only of common characters (ASCII, Latin letters up to U+024F,
//! Cyrillic letters, ‘ ’ and a few punctuation marks) is segmented by the word
//! rules these characters can take part in (WB3, WB3d, WB5-WB13b); any other
//! piece (emoji, combining marks, other scripts, format characters) goes to
//! `unicode-segmentation`. Both give the same segments (a property test
//! compares them). White space runs come out as one segment.

use unicode_segmentation::UnicodeSegmentation;

/// Word-break classes of the characters the fast path handles.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// ALetter.
    Letter,
    /// Numeric.
    Digit,
    /// ExtendNumLet (`_`).
    Connector,
    /// MidLetter (`:`).
    MidLetter,
    /// MidNumLet (`.`, ‘, ’) and Single_Quote (`'`).
    MidNumLet,
    /// MidNum (`,`, `;`).
    MidNum,
    /// ASCII white space (joined into one segment).
    Space,
    /// Anything else handled: a segment of its own.
    Other,
}

/// Class of `c`, or `None` if the fast path does not handle it.
#[inline]
fn class(c: char) -> Option<Class> {
    Some(match c {
        'a'..='z' | 'A'..='Z' => Class::Letter,
        '0'..='9' => Class::Digit,
        '_' => Class::Connector,
        ':' => Class::MidLetter,
        '.' | '\'' | '\u{2018}' | '\u{2019}' => Class::MidNumLet,
        ',' | ';' => Class::MidNum,
        ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' => Class::Space,
        '\0'..='\x7f' => Class::Other,
        '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{24f}' => Class::Letter,
        '\u{400}'..='\u{481}' | '\u{48a}'..='\u{52f}' => Class::Letter,
        '\u{a0}' | '\u{ab}' | '\u{bb}' | '\u{2013}' | '\u{2014}' | '\u{201c}' | '\u{201d}'
        | '\u{201e}' | '\u{2026}' => Class::Other,
        _ => return None,
    })
}

/// Classes of the ASCII bytes, by byte.
const ASCII: [Class; 128] = {
    let mut t = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
            b'0'..=b'9' => Class::Digit,
            b'_' => Class::Connector,
            b':' => Class::MidLetter,
            b'.' | b'\'' => Class::MidNumLet,
            b',' | b';' => Class::MidNum,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => Class::Space,
            _ => Class::Other,
        };
        b += 1;
    }
    t
};

/// Class and byte length of the character at byte `i` of `s`; `None` if the
/// fast path does not handle it.
#[inline(always)]
fn class_at(s: &str, i: usize) -> Option<(Class, usize)> {
    let b = s.as_bytes()[i];
    if b < 0x80 {
        return Some((ASCII[b as usize], 1));
    }
    if b == 0xD0 || b == 0xD1 {
        // U+0400..U+047F (the lead byte of every basic Russian letter): all letters.
        return Some((Class::Letter, 2));
    }
    let c = s[i..].chars().next().expect("char boundary");
    class(c).map(|k| (k, c.len_utf8()))
}

/// One segment: its byte start in the text, its text, and whether it holds a
/// letter or digit (a word).
pub type Segment<'a> = (usize, &'a str, bool);

/// Appends the word-boundary segments of `text` to `out`.
pub fn segments<'a>(text: &'a str, out: &mut Vec<Segment<'a>>) {
    let b = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        // A cut: ASCII white space, then an ASCII byte that is not white space.
        if i > start && is_space(b[i - 1]) && b[i] < 0x80 && !is_space(b[i]) {
            piece(text, start, i, out);
            start = i;
        }
        i += 1;
    }
    if start < b.len() {
        piece(text, start, b.len(), out);
    }
}

#[inline]
fn is_space(x: u8) -> bool {
    matches!(x, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn piece<'a>(text: &'a str, from: usize, to: usize, out: &mut Vec<Segment<'a>>) {
    let before = out.len();
    if !fast_piece(text, from, to, out) {
        out.truncate(before);
        out.extend(text[from..to].split_word_bound_indices().map(|(at, s)| {
            let word = s.chars().any(char::is_alphanumeric);
            (from + at, s, word)
        }));
    }
}

/// Segments `text[from..to]` by the fast rules; false if it holds a character
/// they do not handle.
fn fast_piece<'a>(text: &'a str, from: usize, to: usize, out: &mut Vec<Segment<'a>>) -> bool {
    let s = &text[..to];
    let mut i = from;
    while i < to {
        let Some((k, len)) = class_at(s, i) else {
            return false;
        };
        let start = i;
        i += len;
        match k {
            Class::Letter | Class::Digit | Class::Connector => {
                let mut prev = k;
                let mut word = k != Class::Connector;
                while i < to {
                    let Some((k2, l2)) = class_at(s, i) else {
                        return false;
                    };
                    match k2 {
                        Class::Letter | Class::Digit | Class::Connector => {
                            word |= k2 != Class::Connector;
                            prev = k2;
                            i += l2;
                        }
                        Class::MidLetter | Class::MidNumLet | Class::MidNum if i + l2 < to => {
                            let Some((k3, l3)) = class_at(s, i + l2) else {
                                return false;
                            };
                            let letters = prev == Class::Letter
                                && k3 == Class::Letter
                                && matches!(k2, Class::MidLetter | Class::MidNumLet);
                            let digits = prev == Class::Digit
                                && k3 == Class::Digit
                                && matches!(k2, Class::MidNum | Class::MidNumLet);
                            if !(letters || digits) {
                                break;
                            }
                            prev = k3;
                            i += l2 + l3;
                        }
                        _ => break,
                    }
                }
                out.push((start, &text[start..i], word));
            }
            Class::Space => {
                while i < to && is_space(s.as_bytes()[i]) {
                    i += 1;
                }
                out.push((start, &text[start..i], false));
            }
            _ => out.push((start, &text[start..i], false)),
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UAX #29 segments with white space runs joined, as `segments` gives them.
    fn reference(text: &str) -> Vec<(usize, String, bool)> {
        let mut out: Vec<(usize, String, bool)> = Vec::new();
        for (at, s) in text.split_word_bound_indices() {
            let space = s.bytes().all(is_space);
            if let Some(last) = out.last_mut() {
                if space && last.1.bytes().all(is_space) {
                    last.1.push_str(s);
                    continue;
                }
            }
            out.push((at, s.to_string(), s.chars().any(char::is_alphanumeric)));
        }
        out
    }

    fn fast(text: &str) -> Vec<(usize, String, bool)> {
        let mut v = Vec::new();
        segments(text, &mut v);
        let mut out: Vec<(usize, String, bool)> = Vec::new();
        for (at, s, w) in v {
            if let Some(last) = out.last_mut() {
                if s.bytes().all(is_space) && !s.is_empty() && last.1.bytes().all(is_space) {
                    last.1.push_str(s);
                    continue;
                }
            }
            out.push((at, s.to_string(), w));
        }
        out
    }

    #[test]
    fn equals_uax29_on_examples() {
        for text in [
            "The collective West’s “rules-based order”.",
            "e.g. 1,000.5 a:b don't 3;4 a_b __ x1y ‘quoted’ «ёлки» — …",
            "Ещё коллективного Запада, 2023 г.\r\n\r\nСooperation",
            "🌐 #BRICS and #UNCharterIsOurRules 🇷🇺 👨‍👩‍👧 e\u{301}t\u{e9}",
            "a\u{ad}b x\u{200d}y  \t\n ‎שָׁלוֹם 日本語 ١٢٣",
            "1.a a.1 a..b 1..2 a' 'a a.'b 1,,2",
            "",
            " ",
        ] {
            assert_eq!(fast(text), reference(text), "{text:?}");
        }
    }
}
