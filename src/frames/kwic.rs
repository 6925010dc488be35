//! Keyword-in-context lines: for each hit, `window` tokens of text on either
//! side, cut from the original document at token byte spans (so the text is
//! shown as written, with whitespace runs folded to one space).

use rayon::prelude::*;

use crate::frames::scan::Matches;
use crate::text::tokenized::spans;
use crate::text::tokenizer::Tokenizer;

/// One KWIC line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KwicLine {
    /// Document index.
    pub doc: usize,
    /// Frame index.
    pub frame: u32,
    /// Byte offset of the match in the document's text.
    pub start: usize,
    /// Byte offset just past the match.
    pub end: usize,
    /// Text before the match (up to `window` tokens).
    pub left: String,
    /// The match as written.
    pub matched: String,
    /// Text after the match (up to `window` tokens).
    pub right: String,
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// KWIC lines for `hits` (document `d`'s at `hits[offsets[d]..offsets[d+1]]`), in
/// document order; `keep` selects frames.
pub fn kwic<S: AsRef<str> + Sync>(
    texts: &[S],
    tokenizer: &Tokenizer,
    matches: &Matches,
    window: usize,
    keep: &(dyn Fn(u32) -> bool + Sync),
) -> Vec<KwicLine> {
    let (offsets, hits) = (&matches.offsets, &matches.hits);
    (0..texts.len())
        .into_par_iter()
        .flat_map_iter(|d| {
            let text = texts[d].as_ref();
            let shown = hits[offsets[d]..offsets[d + 1]]
                .iter()
                .any(|h| keep(h.frame));
            // Spans of a document with a line to show, recomputed (not kept per token).
            let spans = if shown {
                spans(text, tokenizer)
            } else {
                Vec::new()
            };
            hits[offsets[d]..offsets[d + 1]]
                .iter()
                .filter(|h| keep(h.frame))
                .map(|h| {
                    let (s, e) = (h.start as usize, h.end as usize);
                    let start = spans[s].0 as usize;
                    let end = spans[e - 1].1 as usize;
                    let left_from = spans[s.saturating_sub(window)].0 as usize;
                    let right_to = spans[(e + window).min(spans.len()) - 1].1 as usize;
                    KwicLine {
                        doc: d,
                        frame: h.frame,
                        start,
                        end,
                        left: fold(&text[left_from..start]),
                        matched: fold(&text[start..end]),
                        right: fold(&text[end..right_to.max(end)]),
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect()
}
