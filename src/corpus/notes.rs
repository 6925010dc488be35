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
    let found: Vec<[Option<String>; 3]> = texts.par_iter().map(|t| notes(t.as_ref())).collect();
    found
        .into_iter()
        .enumerate()
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

#[cfg(test)]
mod tests {
    use super::*;

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
