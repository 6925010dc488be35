//! `Corpus::dedup`: the hygiene steps in order — HTML markup, boilerplate lines,
//! repeated blocks, words hyphenated across line breaks, empty documents, duplicate
//! documents — with one report row for each thing changed or removed.

use rayon::prelude::*;

use crate::corpus::dedup::{find_duplicates, DedupOptions};
use crate::corpus::hygiene::{clean, Boilerplate, Repeats};
use crate::corpus::hyphenation::{decide, find_breaks, mend, Break};
use crate::corpus::markup;
use crate::corpus::{Corpus, DocumentRef, StringColumn};
use crate::error::Result;

/// Settings for [`dedup`].
#[derive(Debug, Clone)]
pub struct CleanupOptions {
    /// Remove HTML tags and decode entities first ([`crate::corpus::markup`]).
    pub html: bool,
    /// Boilerplate lines to drop (`None`: keep them).
    pub boilerplate: Option<Boilerplate>,
    /// Which lines repeated inside a document to drop.
    pub repeats: Repeats,
    /// Shortest line (in characters) that counts as a repeated block.
    pub min_repeat_chars: usize,
    /// Mend words hyphenated across line breaks ([`crate::corpus::hyphenation`]).
    pub hyphenation: bool,
    /// Drop documents left without a word.
    pub drop_empty: bool,
    /// Duplicate detection across documents (`None`: keep duplicates).
    pub duplicates: Option<DedupOptions>,
}

/// One report row.
#[derive(Debug, Clone, PartialEq)]
pub struct CleanupRow {
    /// Index of the document in the input corpus.
    pub doc: usize,
    /// "cleaned", "empty", "duplicate" or "near_duplicate".
    pub action: &'static str,
    /// For duplicates: index of the document kept in its place.
    pub kept: Option<usize>,
    /// For duplicates: similarity (1.0 exact).
    pub similarity: Option<f64>,
    /// Boilerplate lines removed.
    pub boilerplate_lines: usize,
    /// Repeated lines removed.
    pub repeated_lines: usize,
    /// Words hyphenated across a line break made whole again.
    pub joined_words: usize,
    /// HTML tags, comments, script blocks and entities removed or decoded.
    pub markup: usize,
    /// Bytes removed from the text.
    pub removed_bytes: usize,
}

/// The cleaned corpus, the input indices it keeps (in order), and the report.
pub fn dedup(
    corpus: &Corpus,
    opts: &CleanupOptions,
) -> Result<(Corpus, Vec<usize>, Vec<CleanupRow>)> {
    let cleaned: Vec<_> = corpus
        .texts()
        .par_iter()
        .map(|text: &&str| {
            let text: &str = text;
            crate::cancel::check()?;
            crate::progress::advance(1);
            let stripped = opts.html.then(|| markup::strip(text)).flatten();
            let (given, n) = match &stripped {
                Some((t, n)) => (t.as_str(), *n),
                None => (text, 0),
            };
            let mut c = clean(
                given,
                opts.boilerplate.as_ref(),
                opts.repeats,
                opts.min_repeat_chars,
            );
            // Bytes removed from the document as it was (markup included).
            c.removed_bytes = text.len().saturating_sub(c.text.len());
            Ok((c, n))
        })
        .collect::<Result<_>>()?;
    let (mut cleaned, markups): (Vec<_>, Vec<usize>) = cleaned.into_iter().unzip();
    let mut joined = vec![0usize; cleaned.len()];
    if opts.hyphenation {
        let texts: Vec<&str> = cleaned.iter().map(|c| c.text.as_str()).collect();
        let breaks: Vec<Vec<Break>> = texts.par_iter().map(|t| find_breaks(t)).collect();
        let mends = decide(&texts, &breaks);
        drop(texts);
        cleaned
            .par_iter_mut()
            .zip(&breaks)
            .zip(&mends)
            .zip(&mut joined)
            .filter(|(((_, b), _), _)| !b.is_empty())
            .for_each(|(((c, b), m), n)| {
                let text = mend(&c.text, b, m);
                c.removed_bytes += c.text.len() - text.len();
                c.text = text;
                *n = b.len();
            });
    }
    let mut rows = Vec::new();
    let mut alive: Vec<usize> = Vec::with_capacity(corpus.len());
    for (i, c) in cleaned.iter().enumerate() {
        if c.removed_bytes > 0 || joined[i] > 0 || markups[i] > 0 {
            rows.push(CleanupRow {
                doc: i,
                action: "cleaned",
                kept: None,
                similarity: None,
                boilerplate_lines: c.boilerplate_lines,
                repeated_lines: c.repeated_lines,
                joined_words: joined[i],
                markup: markups[i],
                removed_bytes: c.removed_bytes,
            });
        }
        if opts.drop_empty && !c.text.chars().any(char::is_alphanumeric) {
            rows.push(CleanupRow {
                doc: i,
                action: "empty",
                kept: None,
                similarity: None,
                boilerplate_lines: 0,
                repeated_lines: 0,
                joined_words: 0,
                markup: 0,
                removed_bytes: c.text.len(),
            });
        } else {
            alive.push(i);
        }
    }
    if let Some(dopts) = &opts.duplicates {
        let texts: Vec<&str> = alive.iter().map(|&i| cleaned[i].text.as_str()).collect();
        let dups = find_duplicates(&texts, dopts)?;
        let mut gone = vec![false; alive.len()];
        for d in &dups {
            gone[d.doc] = true;
            rows.push(CleanupRow {
                doc: alive[d.doc],
                action: if d.exact {
                    "duplicate"
                } else {
                    "near_duplicate"
                },
                kept: Some(alive[d.kept]),
                similarity: Some(d.similarity),
                boilerplate_lines: 0,
                repeated_lines: 0,
                joined_words: 0,
                markup: 0,
                removed_bytes: texts[d.doc].len(),
            });
        }
        alive = alive
            .into_iter()
            .zip(gone)
            .filter_map(|(i, g)| (!g).then_some(i))
            .collect();
    }
    rows.sort_by_key(|r| r.doc);
    // The cleaned texts are taken over (long ones moved, not copied a second time).
    let texts: Vec<String> = alive
        .iter()
        .map(|&i| std::mem::take(&mut cleaned[i].text))
        .collect();
    drop(cleaned);
    let kept: Vec<DocumentRef<'_>> = alive
        .iter()
        .map(|&i| corpus.get(i).expect("a document of the corpus"))
        .collect();
    let kept = Corpus::with_texts(&kept, StringColumn::from_strings(texts))?;
    Ok((kept, alive, rows))
}
