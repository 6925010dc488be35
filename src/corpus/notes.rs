//! What in a corpus's texts may make counts wrong without an error, as notes (nothing is
//! changed): words hyphenated across line breaks ([`crate::corpus::hyphenation`]), HTML
//! markup ([`crate::corpus::markup`]), both of which `Corpus.dedup` removes when asked,
//! and escape sequences written out (text escaped twice). `fs.read` and `fs.scan` put
//! them in the read report; `Corpus.check` gives them for any corpus.

use rayon::prelude::*;

use crate::corpus::hyphenation::find_breaks;
use crate::corpus::markup;

/// The note kinds, in the order a document's notes are given.
pub const KINDS: [&str; 3] = ["hyphenated_words", "html_markup", "escaped_text"];

/// The notes of each text that has any: (its index, kind, message), in text order.
pub fn text_notes<S: AsRef<str> + Sync>(texts: &[S]) -> Vec<(usize, &'static str, String)> {
    // Only the texts with notes are collected (few): a slot for every text cost more
    // than the scan of the texts, which is mostly the prefilter's one pass.
    let found: Vec<(usize, [Option<String>; 3])> = texts
        .par_iter()
        .enumerate()
        .filter_map(|(doc, t)| {
            let notes = notes(t.as_ref());
            notes.iter().any(Option::is_some).then_some((doc, notes))
        })
        .collect();
    found
        .into_iter()
        .flat_map(|(doc, notes)| {
            notes
                .into_iter()
                .zip(KINDS)
                .filter_map(move |(note, kind)| note.map(|m| (doc, kind, m)))
        })
        .collect()
}

/// One text's notes, by [`KINDS`].
fn notes(t: &str) -> [Option<String>; 3] {
    if !may_hold_notes(t.as_bytes()) {
        return [None, None, None];
    }
    let breaks = find_breaks(t);
    let hyphens = breaks.first().map(|b| {
        format!(
            "{} word(s) hyphenated across a line break (first: {:?} + {:?}): split in two, \
             frames and terms miss them; corpus.dedup(hyphenation=True) makes them whole",
            breaks.len(),
            &t[b.first.clone()],
            &t[b.second.clone()]
        )
    });
    let (n, first) = markup::find(t);
    let html = first.map(|f| {
        let f: String = f.chars().take(40).collect();
        format!(
            "{n} HTML tag(s) or entities (first: {f:?}): their names are read as words \
             (\"nbsp\", \"br\") and split phrases; corpus.dedup(html=True) removes them"
        )
    });
    let (n, first) = markup::escapes(t);
    let escaped = first.map(|f| {
        format!(
            "{n} escape sequence(s) written out (first: {f:?}): was the text escaped twice \
             (a JSON string dumped again, a repr saved)? \"collective\\nWest\" reads as \
             \"collective\" + \"nwest\"; decode it once more where it was written (json.loads)"
        )
    });
    [hyphens, html, escaped]
}

/// Whether `text` may hold a note: a `<`, `&` or `\\` (markup, escapes), or a line break
/// right after a byte that may end a hyphen or a space before one (`-`; the last byte of
/// U+2010, a soft hyphen, `¬` or a no-break space; a space, tab or carriage return). One
/// pass over the bytes, 16 at a time, where the three searches make three, the line
/// breaks' one stopping at every line; false means none of them can find anything.
fn may_hold_notes(text: &[u8]) -> bool {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of x86-64.
    let (done, mut after_h, found) = unsafe { x86::scan(text) };
    #[cfg(not(target_arch = "x86_64"))]
    let (done, mut after_h, found) = (0, false, false);
    if found {
        return true;
    }
    for &b in &text[done..] {
        if matches!(b, b'<' | b'&' | b'\\') || (b == b'\n' && after_h) {
            return true;
        }
        after_h = may_end_hyphen(b);
    }
    false
}

/// A byte a hyphen or a space before a line break may end in (see [`may_hold_notes`]).
fn may_end_hyphen(b: u8) -> bool {
    matches!(b, b'-' | 0x90 | 0xAD | 0xAC | 0xA0 | b' ' | b'\t' | b'\r')
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_slli_si128,
    };

    /// [`super::may_hold_notes`] over whole blocks of 16 bytes: (bytes scanned, whether
    /// the last may end a hyphen, whether one may hold a note).
    ///
    /// # Safety
    /// SSE2 only (part of x86-64).
    pub unsafe fn scan(text: &[u8]) -> (usize, bool, bool) {
        let eq = |v: __m128i, b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
        let mut at = 0;
        let mut after_h = 0u32;
        while at + 16 <= text.len() {
            // SAFETY: 16 bytes from `at` are within `text`.
            let v = unsafe { _mm_loadu_si128(text.as_ptr().add(at).cast()) };
            let marks = _mm_or_si128(_mm_or_si128(eq(v, b'<'), eq(v, b'&')), eq(v, b'\\'));
            // A line break right after an end byte, branch-free (line breaks come every
            // few blocks, at random: a branch on them mispredicted often).
            let mut ends = eq(v, b'-');
            for b in [0x90, 0xAD, 0xAC, 0xA0, b' ', b'\t', b'\r'] {
                ends = _mm_or_si128(ends, eq(v, b));
            }
            let breaks = eq(v, b'\n');
            let found = _mm_or_si128(marks, _mm_and_si128(breaks, _mm_slli_si128::<1>(ends)));
            let found =
                _mm_movemask_epi8(found) as u32 | (_mm_movemask_epi8(breaks) as u32 & after_h);
            if found != 0 {
                return (at, false, true);
            }
            after_h = (_mm_movemask_epi8(ends) as u32 >> 15) & 1;
            at += 16;
        }
        (at, after_h == 1, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`may_hold_notes`] byte by byte, as its doc says.
    fn may_hold_notes_by_bytes(text: &[u8]) -> bool {
        (0..text.len()).any(|i| {
            matches!(text[i], b'<' | b'&' | b'\\')
                || (text[i] == b'\n' && i > 0 && may_end_hyphen(text[i - 1]))
        })
    }

    #[test]
    fn the_prefilter_passes_every_text_with_a_note_and_says_what_its_doc_says() {
        let pieces: [&[u8]; 14] = [
            b"a",
            b"West",
            b" ",
            b"\n",
            b"-",
            b"\r",
            b"\t",
            b"<",
            b"&",
            b"\\",
            "\u{2010}".as_bytes(),
            "\u{ad}".as_bytes(),
            "\u{a0}".as_bytes(),
            "\u{430}\u{42d}".as_bytes(),
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut text = Vec::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 60) as usize;
            let mut r = state;
            for _ in 0..len {
                r = r
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // Mostly letters, so that some texts hold nothing at all.
                let k = (r >> 33) as usize % (pieces.len() + 10);
                text.extend_from_slice(pieces[if k >= pieces.len() { k % 2 } else { k }]);
            }
            let quick = may_hold_notes(&text);
            assert_eq!(quick, may_hold_notes_by_bytes(&text), "{text:?}");
            if let Ok(t) = std::str::from_utf8(&text) {
                if !quick {
                    assert_eq!(notes(t), [None, None, None], "{t:?}");
                }
            }
        }
    }

    #[test]
    fn notes_name_the_document_the_kind_and_the_first_piece() {
        let texts = [
            "clean text",
            "multipo-\nlar and collective&nbsp;West",
            r"collective\nWest",
        ];
        let notes = text_notes(&texts);
        let kinds: Vec<(usize, &str)> = notes.iter().map(|(d, k, _)| (*d, *k)).collect();
        assert_eq!(
            kinds,
            [
                (1, "hyphenated_words"),
                (1, "html_markup"),
                (2, "escaped_text")
            ]
        );
        assert!(notes[0].2.starts_with(
            "1 word(s) hyphenated across a line break (first: \"multipo\" + \"lar\")"
        ));
        assert!(notes[1]
            .2
            .starts_with("1 HTML tag(s) or entities (first: \"&nbsp;\")"));
        assert!(notes[2]
            .2
            .starts_with("1 escape sequence(s) written out (first: \"\\\\n\")"));
    }
}
