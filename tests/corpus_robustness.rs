//! Dating, cleaning and duplicate finding on arbitrary text: no panic, and
//! cleaning is idempotent. A deterministic generator mixes date-like pieces,
//! platform lines, emoji and multi-byte characters.

use framescope::corpus::dedup::{find_duplicates, DedupOptions};
use framescope::corpus::hygiene::{clean, Boilerplate, Repeats};
use framescope::corpus::hyphenation::{decide, find_breaks, mend, Mend};

mod common;
use common::{check_dates, DATE_PIECES, SCRAPED_PIECES};

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn arbitrary_text_never_panics_and_cleaning_is_idempotent() {
    let pieces: Vec<&str> = DATE_PIECES.iter().chain(SCRAPED_PIECES).copied().collect();
    let mut rng = Lcg(42);
    let platform = Boilerplate::platform();
    let mut docs = Vec::new();
    for _ in 0..3000 {
        let n = rng.next() % 40;
        let text: String = (0..n).map(|_| pieces[rng.next() % pieces.len()]).collect();
        check_dates(&text);
        let once = clean(&text, Some(&platform), Repeats::All, 10);
        let twice = clean(&once.text, Some(&platform), Repeats::All, 10);
        assert_eq!(
            twice.text, once.text,
            "cleaning is not idempotent on {text:?}"
        );
        assert_eq!(once.removed_bytes, text.len() - once.text.len());
        docs.push(text);
    }
    let dups = find_duplicates(&docs, &DedupOptions::default()).unwrap();
    check_hyphenation(&docs);
    for d in &dups {
        assert!(d.kept < d.doc && d.similarity >= 0.8);
    }
}

/// Pieces of typeset text: hyphens of every kind at line ends, pieces of words in three
/// scripts and cases, digits, line spaces and blank lines.
const HYPHEN_PIECES: &[&str] = &[
    "-",
    "\u{2010}",
    "\u{ad}",
    "\u{ac}",
    "\n",
    "\r\n",
    " ",
    "\t",
    "\u{a0}",
    "multi",
    "polar",
    "Glo",
    "bal",
    "много",
    "Полярный",
    "и\u{306}",
    "2",
    "x",
    ".",
    "\n\n",
    "--",
    "-\n",
    "é",
];

/// Breaks found on arbitrary text lie at char boundaries, in order and apart, are made
/// of what the module doc says, and mending them (every way) leaves no break.
fn check_hyphenation(scraped: &[String]) {
    let mut rng = Lcg(7);
    let mut docs: Vec<String> = scraped.to_vec();
    for _ in 0..3000 {
        let n = rng.next() % 30;
        docs.push(
            (0..n)
                .map(|_| HYPHEN_PIECES[rng.next() % HYPHEN_PIECES.len()])
                .collect(),
        );
    }
    let breaks: Vec<_> = docs.iter().map(|d| find_breaks(d)).collect();
    let mends = decide(&docs, &breaks);
    let found: usize = breaks.iter().map(Vec::len).sum();
    assert!(found > 200, "the generator makes breaks: {found}");
    for ((text, bs), ms) in docs.iter().zip(&breaks).zip(&mends) {
        let mut last = 0;
        for b in bs {
            assert!(
                last <= b.first.start && b.first.end < b.second.start,
                "{text:?}"
            );
            last = b.second.start;
            let first = &text[b.first.clone()];
            let gap = &text[b.first.end..b.second.start];
            assert!(
                !first.is_empty() && !text[b.second.clone()].is_empty(),
                "{text:?}"
            );
            assert_eq!(gap.matches('\n').count(), 1, "{text:?}");
        }
        assert_eq!(ms.len(), bs.len());
        for way in [
            ms.clone(),
            vec![Mend::Join; bs.len()],
            vec![Mend::Hyphen; bs.len()],
        ] {
            let out = mend(text, bs, &way);
            assert!(
                find_breaks(&out).is_empty(),
                "{text:?} mended to {out:?} still breaks"
            );
            assert_eq!(
                text.len() - out.len(),
                bs.iter()
                    .zip(&way)
                    .map(|(b, m)| b.second.start - b.first.end - usize::from(*m == Mend::Hyphen))
                    .sum::<usize>()
            );
        }
    }
}
