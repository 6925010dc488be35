//! Cleaning scraped text, one document at a time: platform boilerplate lines
//! removed, and blocks repeated inside a document (a post's preview followed by
//! its full text) kept once. Each step says what it removed. Cost: one pass over
//! the lines and one hash set of 64-bit line fingerprints per document, and one sort
//! of its lines when a line is cut short with an ellipsis.

use ahash::AHashSet;
use regex::RegexSet;

use crate::error::{invalid, Result};

/// Whole lines that scraped Telegram pages and news sites add to posts.
pub const PLATFORM_LINES: &[&str] = &[
    r"Forwarded from .*",
    r"Read in full",
    r"VIEW IN TELEGRAM",
    r"Media is too big",
    r"Please open Telegram to view this post",
    r"All news",
    r"Show more",
    r"Open in Telegram",
    r"Watch",
    r"Watch (?:the )?video",
    r"Subscribe.*",
    r"Читать полностью",
    r"Переслано от .*",
    r"Read",
    r"Читать",
    // Photo credits on a line of their own: "© ITAR-TASS/Mikhail Metsel", "Фото: ТАСС".
    r"©.{0,80}",
    r"(?:Photo|Фото)\s*(?:credit)?\s*[:©].{0,80}",
];

/// Removes lines that match one of a set of patterns, ignoring case ("READ IN
/// FULL"). A pattern must match the whole line, trimmed, or the line after its
/// leading emoji and symbols ("📖 Read in full").
#[derive(Debug, Clone)]
pub struct Boilerplate {
    set: RegexSet,
    patterns: Vec<String>,
}

impl Boilerplate {
    /// Compiles whole-line patterns; an invalid one is an error naming it.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Self> {
        let anchored: Vec<String> = patterns
            .iter()
            .map(|p| format!("(?i)^(?:{})$", p.as_ref()))
            .collect();
        for (p, a) in patterns.iter().zip(&anchored) {
            regex::Regex::new(a)
                .map_err(|e| invalid(format!("boilerplate pattern {:?}: {e}", p.as_ref())))?;
        }
        let set = RegexSet::new(&anchored).map_err(|e| invalid(e.to_string()))?;
        Ok(Boilerplate {
            set,
            patterns: patterns.iter().map(|p| p.as_ref().to_string()).collect(),
        })
    }

    /// The built-in platform lines ([`PLATFORM_LINES`]).
    pub fn platform() -> Self {
        Self::new(PLATFORM_LINES).expect("built-in patterns compile")
    }

    /// The built-in platform lines, compiled once and shared.
    pub fn platform_shared() -> &'static Boilerplate {
        static P: std::sync::OnceLock<Boilerplate> = std::sync::OnceLock::new();
        P.get_or_init(Boilerplate::platform)
    }

    /// The patterns, as given.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Whether `line` is boilerplate.
    pub fn is_match(&self, line: &str) -> bool {
        let t = line.trim();
        let bare = t
            .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '#')
            .trim_start();
        self.set.is_match(t) || (bare.len() < t.len() && self.set.is_match(bare))
    }
}

/// What cleaning removed from one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// The cleaned text.
    pub text: String,
    /// Boilerplate lines removed.
    pub boilerplate_lines: usize,
    /// Repeated lines removed (a repeated block counts each of its lines).
    pub repeated_lines: usize,
    /// Bytes removed in all.
    pub removed_bytes: usize,
}

/// A line's identity for finding repeats: a 64-bit hash of its words (so runs of
/// spaces and tabs do not matter), and its length in characters without them.
fn fingerprint(hasher: &ahash::RandomState, line: &str) -> (u64, usize) {
    use std::hash::{BuildHasher, Hasher};
    let mut h = hasher.build_hasher();
    let mut chars = 0;
    for (k, w) in line.split_whitespace().enumerate() {
        if k > 0 {
            h.write_u8(b' ');
            chars += 1;
        }
        h.write(w.as_bytes());
        chars += w.bytes().filter(|&b| b & 0xC0 != 0x80).count();
    }
    (h.finish(), chars)
}

/// Whether the document repeats a passage: two consecutive non-blank lines (of at
/// least `min_chars` characters, boilerplate skipped) that occurred before, also
/// one after the other. A refrain said twice, or lines repeated apart, are not one.
fn passage(
    lines: &[&str],
    boilerplate: &[bool],
    prints: &[(u64, usize)],
    min_chars: usize,
) -> bool {
    let content: Vec<usize> = (0..lines.len())
        .filter(|&i| !boilerplate[i] && prints[i].1 > 0)
        .collect();
    let mut first: ahash::AHashMap<u64, usize> = ahash::AHashMap::new();
    let mut first_at = vec![usize::MAX; content.len()];
    for (k, &i) in content.iter().enumerate() {
        first_at[k] = *first.entry(prints[i].0).or_insert(k);
    }
    (1..content.len()).any(|k| {
        let long = |k: usize| prints[content[k]].1 >= min_chars;
        long(k - 1) && long(k) && first_at[k - 1] < k - 1 && first_at[k] == first_at[k - 1] + 1
    })
}

/// `line` with runs of whitespace collapsed (for the rare preview comparisons).
fn normalized(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A preview line cut short: "... text…" or "... text..." (the cut text, without the ellipsis).
fn truncated(line: &str) -> Option<&str> {
    let t = line.trim_end();
    t.strip_suffix('…')
        .or_else(|| t.strip_suffix("..."))
        .map(str::trim_end)
}

/// The kept lines cut short with an ellipsis (at least `min_chars` characters before
/// it) whose text, whitespace collapsed, opens a later kept line. The kept lines are
/// sorted once, so the lines a cut opens are one range of them, and a tree of the
/// latest line in each range answers "is one of them later?": O(n log n) for n lines,
/// where comparing each preview with every later line was O(n^2).
fn previews_completed_later(lines: &[&str], drop: &[bool], min_chars: usize) -> Vec<usize> {
    let cuts: Vec<(usize, String)> = (0..lines.len())
        .filter(|&i| !drop[i] && truncated(lines[i]).is_some())
        .filter_map(|i| {
            let line = normalized(lines[i]);
            let cut = truncated(&line)?;
            (cut.chars().count() >= min_chars).then(|| (i, cut.to_string()))
        })
        .collect();
    if cuts.is_empty() {
        return Vec::new();
    }
    let mut kept: Vec<(String, usize)> = (0..lines.len())
        .filter(|&j| !drop[j])
        .map(|j| (normalized(lines[j]), j))
        .collect();
    kept.sort_unstable();
    // Segment tree over the sorted lines: the latest line index in each range.
    let n = kept.len();
    let mut latest = vec![0usize; 2 * n];
    for (k, (_, j)) in kept.iter().enumerate() {
        latest[n + k] = *j;
    }
    for k in (1..n).rev() {
        latest[k] = latest[2 * k].max(latest[2 * k + 1]);
    }
    let latest_in = |mut lo: usize, mut hi: usize| {
        let (mut best, mut any) = (0, false);
        lo += n;
        hi += n;
        while lo < hi {
            if lo & 1 == 1 {
                (best, any) = (best.max(latest[lo]), true);
                lo += 1;
            }
            if hi & 1 == 1 {
                hi -= 1;
                (best, any) = (best.max(latest[hi]), true);
            }
            lo /= 2;
            hi /= 2;
        }
        any.then_some(best)
    };
    cuts.into_iter()
        .filter(|(i, cut)| {
            let lo = kept.partition_point(|(s, _)| s.as_str() < cut.as_str());
            let hi = lo + kept[lo..].partition_point(|(s, _)| s.starts_with(cut.as_str()));
            latest_in(lo, hi).is_some_and(|j| j > *i)
        })
        .map(|(i, _)| i)
        .collect()
}

/// Which repeated lines [`clean`] removes from a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeats {
    /// None: every line is kept.
    Off,
    /// Only in a document that shows a post's preview/full-text duplication: a
    /// platform line ("Read in full", "Forwarded from ..."), a passage of two
    /// consecutive repeated lines, or a preview cut with "…" that a later line
    /// completes. A speech's refrain, repeated audience lines or a repeated table
    /// row in an ordinary document stay.
    Auto,
    /// In every document.
    All,
}

crate::choices!(Repeats, "repeats", [
    "auto" => Repeats::Auto, "all" => Repeats::All, "true" => Repeats::All,
    "off" => Repeats::Off, "false" => Repeats::Off,
]);

/// Cleans one document: drops `boilerplate` lines (if given); with `repeats`
/// (see [`Repeats`] for which documents), drops every line of at least
/// `min_chars` characters that already occurred (whitespace-insensitive), and a
/// preview line cut with an ellipsis whose text begins a later line. Blank lines
/// left at the ends are trimmed.
pub fn clean(
    text: &str,
    boilerplate: Option<&Boilerplate>,
    repeats: Repeats,
    min_chars: usize,
) -> Cleaned {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut drop = vec![false; lines.len()];
    let mut out = Cleaned::default();
    if let Some(b) = boilerplate {
        for (i, l) in lines.iter().enumerate() {
            if b.is_match(l) {
                drop[i] = true;
                out.boilerplate_lines += 1;
            }
        }
    }
    if repeats != Repeats::Off {
        let before = drop.clone();
        let mut repeated_lines = 0;
        let mut preview = false;
        let hasher = ahash::RandomState::with_seeds(7, 11, 13, 17);
        let prints: Vec<(u64, usize)> = lines.iter().map(|l| fingerprint(&hasher, l)).collect();
        // A line repeats when an earlier line has the same words. Long repeats go at
        // once; short ones ("Key talking points:", "#DiplomatsDay") only with the
        // repeated block or platform line next to them (below).
        let mut seen: AHashSet<u64> = AHashSet::with_capacity(lines.len());
        let repeat: Vec<bool> = prints
            .iter()
            .map(|&(h, chars)| chars > 0 && !seen.insert(h))
            .collect();
        for (i, &(_, chars)) in prints.iter().enumerate() {
            if repeat[i] && !drop[i] && chars >= min_chars {
                drop[i] = true;
                repeated_lines += 1;
            }
        }
        // A short repeat next to a dropped line goes too, and so on along a run of
        // them: each run of kept repeated lines goes whole when a dropped line borders
        // it (one pass; its borders are lines no rule here drops).
        let mut i = 0;
        while i < lines.len() {
            if drop[i] || !repeat[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < lines.len() && !drop[i] && repeat[i] {
                i += 1;
            }
            if (start > 0 && drop[start - 1]) || (i < lines.len() && drop[i]) {
                drop[start..i].fill(true);
                repeated_lines += i - start;
            }
        }
        // Previews cut short ("…") whose text opens a later, kept line.
        for i in previews_completed_later(&lines, &drop, min_chars) {
            drop[i] = true;
            repeated_lines += 1;
            preview = true;
        }
        let detected = repeats == Repeats::All
            || preview
            || lines
                .iter()
                .any(|l| Boilerplate::platform_shared().is_match(l))
            || passage(&lines, &before, &prints, min_chars);
        if detected {
            out.repeated_lines = repeated_lines;
        } else {
            drop = before;
        }
    }
    let mut kept = String::with_capacity(text.len());
    for (l, &d) in lines.iter().zip(&drop) {
        if d {
            out.removed_bytes += l.len();
        } else {
            kept.push_str(l);
        }
    }
    let trimmed = kept.trim_matches(|c: char| c == '\n' || c == '\r');
    out.removed_bytes += kept.len() - trimmed.len();
    out.text = trimmed.to_string();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `clean` as it was: spreading drops one line per pass over the document, each
    /// preview compared with every later line (quadratic); the reference the
    /// linear version must equal.
    fn clean_pairwise(
        text: &str,
        boilerplate: Option<&Boilerplate>,
        repeats: Repeats,
        min_chars: usize,
    ) -> Cleaned {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let mut drop = vec![false; lines.len()];
        let mut out = Cleaned::default();
        if let Some(b) = boilerplate {
            for (i, l) in lines.iter().enumerate() {
                if b.is_match(l) {
                    drop[i] = true;
                    out.boilerplate_lines += 1;
                }
            }
        }
        if repeats != Repeats::Off {
            let before = drop.clone();
            let mut repeated_lines = 0;
            let mut preview = false;
            let hasher = ahash::RandomState::with_seeds(7, 11, 13, 17);
            let prints: Vec<(u64, usize)> = lines.iter().map(|l| fingerprint(&hasher, l)).collect();
            // A line repeats when an earlier line has the same words. Long repeats go at
            // once; short ones ("Key talking points:", "#DiplomatsDay") only with the
            // repeated block or platform line next to them (below).
            let mut seen: AHashSet<u64> = AHashSet::with_capacity(lines.len());
            let repeat: Vec<bool> = prints
                .iter()
                .map(|&(h, chars)| chars > 0 && !seen.insert(h))
                .collect();
            for (i, &(_, chars)) in prints.iter().enumerate() {
                if repeat[i] && !drop[i] && chars >= min_chars {
                    drop[i] = true;
                    repeated_lines += 1;
                }
            }
            loop {
                let mut changed = false;
                for i in 0..lines.len() {
                    let next_dropped =
                        (i + 1 < lines.len() && drop[i + 1]) || (i > 0 && drop[i - 1]);
                    if !drop[i] && repeat[i] && next_dropped {
                        drop[i] = true;
                        repeated_lines += 1;
                        changed = true;
                    }
                }
                if !changed {
                    break;
                }
            }
            // Previews cut short ("…") whose text opens a later, kept line.
            for i in 0..lines.len() {
                if drop[i] {
                    continue;
                }
                if truncated(lines[i]).is_none() {
                    continue;
                }
                let line = normalized(lines[i]);
                if let Some(cut) = truncated(&line) {
                    if cut.chars().count() >= min_chars
                        && (i + 1..lines.len())
                            .any(|j| !drop[j] && normalized(lines[j]).starts_with(cut))
                    {
                        drop[i] = true;
                        repeated_lines += 1;
                        preview = true;
                    }
                }
            }
            let detected = repeats == Repeats::All
                || preview
                || lines
                    .iter()
                    .any(|l| Boilerplate::platform_shared().is_match(l))
                || passage(&lines, &before, &prints, min_chars);
            if detected {
                out.repeated_lines = repeated_lines;
            } else {
                drop = before;
            }
        }
        let mut kept = String::with_capacity(text.len());
        for (l, &d) in lines.iter().zip(&drop) {
            if d {
                out.removed_bytes += l.len();
            } else {
                kept.push_str(l);
            }
        }
        let trimmed = kept.trim_matches(|c: char| c == '\n' || c == '\r');
        out.removed_bytes += kept.len() - trimmed.len();
        out.text = trimmed.to_string();
        out
    }

    #[test]
    fn cleaning_equals_the_pairwise_reference_and_is_linear() {
        let pieces = [
            "Key talking points:",
            "#BRICS",
            "a",
            "",
            "Read in full",
            "Forwarded from X",
            "The collective West is trying to isolate Russia.",
            "The collective West is trying to…",
            "The collective West  is trying...",
            "The collective West is trying to isolate Russia and…",
            "Global Majority countries reject it.",
            "Global Majority…",
            "мировое большинство отвергает это…",
            "мировое большинство отвергает это.",
        ];
        let platform = Boilerplate::platform();
        let mut state = 7u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        for _ in 0..3000 {
            let doc: String = (0..next() % 30)
                .map(|_| format!("{}\n", pieces[next() % pieces.len()]))
                .collect();
            for repeats in [Repeats::Auto, Repeats::All] {
                for min_chars in [5, 20] {
                    assert_eq!(
                        clean(&doc, Some(&platform), repeats, min_chars),
                        clean_pairwise(&doc, Some(&platform), repeats, min_chars),
                        "{doc:?}"
                    );
                }
            }
        }
        // 100,000 short repeats before a long one, and 100,000 previews: one pass and
        // one sort (the reference takes 1e10 steps for each).
        let long = "a long repeated line of text here\n";
        let doc = format!("{long}{}{long}", "a\n".repeat(100_000));
        let c = clean(&doc, None, Repeats::All, 20);
        assert_eq!(
            (c.repeated_lines, c.text.as_str()),
            (100_000, "a long repeated line of text here\na")
        );
        let doc: String = (0..100_000)
            .map(|i| format!("headline number {i} is cut…\n"))
            .chain(["headline number 99999 is cut here, in full.\n".to_string()])
            .collect();
        let c = clean(&doc, None, Repeats::All, 20);
        assert_eq!(c.repeated_lines, 1);
    }

    #[test]
    fn removes_platform_lines_and_repeated_blocks() {
        let post = "Forwarded from Russian MFA 🇷🇺\n\
                    🎙 Lavrov's interview (Moscow, May 17, 2023)\n\
                    Key talking points:\n\
                    🔹 We will no longer rely on the West as a partner.\n\
                    Read in full\n\
                    Key talking points:\n\
                    🔹 We will no longer rely on the West  as a partner.\n\
                    Read in full\n";
        let c = clean(post, Some(&Boilerplate::platform()), Repeats::Auto, 30);
        assert!(Boilerplate::platform().is_match("📖 Read in full\n"));
        assert!(!Boilerplate::platform().is_match("#Watch this"));
        assert_eq!(
            c.text,
            "🎙 Lavrov's interview (Moscow, May 17, 2023)\nKey talking points:\n\
             🔹 We will no longer rely on the West as a partner."
        );
        // The repeated point, and the short heading repeated next to it.
        assert_eq!((c.boilerplate_lines, c.repeated_lines), (3, 2));
        assert_eq!(c.removed_bytes, post.len() - c.text.len());
    }

    #[test]
    fn truncated_preview_is_dropped_and_short_lines_kept() {
        let doc = "The collective West is trying to…\nThe collective West is trying to isolate Russia.\n#BRICS\n#BRICS\n";
        let c = clean(doc, None, Repeats::Auto, 20);
        assert_eq!(
            c.text,
            "The collective West is trying to isolate Russia.\n#BRICS\n#BRICS"
        );
        assert_eq!(c.repeated_lines, 1);
        let c = clean(doc, None, Repeats::Off, 20);
        assert_eq!(c.text, doc.trim_end());
    }

    #[test]
    fn refrains_stay_in_ordinary_documents() {
        // A speech (no platform line): a refrain said twice, audience lines, a table row.
        let speech = "And I will propose these measures to the 90th Congress.\n\
                      We must act now on housing for every family.\n\
                      (Applause.)\n\
                      And I will propose these measures to the 90th Congress.\n\
                      | 2023 | exports | 1,200,000 tonnes of grain |\n\
                      | 2023 | exports | 1,200,000 tonnes of grain |\n\
                      (Applause.)\n";
        let c = clean(speech, Some(&Boilerplate::platform()), Repeats::Auto, 20);
        assert_eq!(c.text, speech.trim_end());
        assert_eq!(c.repeated_lines, 0);
        // Repeats::All removes the refrain, the row, and "(Applause.)" next to the row.
        let c = clean(speech, None, Repeats::All, 20);
        assert_eq!(c.repeated_lines, 3);
        // A repeated passage (two consecutive lines) is a preview/full duplication.
        let doc = "We value the partnership with our friends in Asia.\n\
                   Cooperation will grow in every field this year.\n\n\
                   We value the partnership with our friends in Asia.\n\
                   Cooperation will grow in every field this year.\nEnd.";
        let c = clean(doc, None, Repeats::Auto, 20);
        assert_eq!(c.repeated_lines, 2);
    }

    #[test]
    fn bad_pattern_is_named() {
        let e = Boilerplate::new(&["ok", "(unclosed"]).unwrap_err();
        assert!(e.to_string().contains("(unclosed"), "{e}");
    }
}
