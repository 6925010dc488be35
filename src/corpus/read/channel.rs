//! Plain-text files and scraped channel dumps. A channel dump (the text of a
//! Telegram channel page as scraped) is split into posts; a text file is one
//! document, or one per line matching `split`.
//!
//! Where a post starts, in a dump (every signal the pages carry):
//! - a "Forwarded from ..." header line starts a post;
//! - a "Media is too big" line after a post's text starts the next post (a video's
//!   placeholder comes before its post's text);
//! - a post whose full text closes with a second "Read in full" (any case, after
//!   any emoji: "📖 Read in full", "READ IN FULL") ends there, with the hashtag and
//!   platform lines right after it ("#RussiaUN", "VIEW IN TELEGRAM"); the next line
//!   with text starts the channel's own next post, which has no header;
//! - a post without "Read in full" whose text is a preview followed by its full
//!   repetition ends where the repetition does; text after it is the next post.
//!
//! A text file is taken for a dump only on strong evidence: two "Forwarded from"
//! headers, or one and another platform line, or three platform lines ("Read in
//! full", "VIEW IN TELEGRAM", "Media is too big", "Please open Telegram to view
//! this post"). One "Read in full" in an article is not enough. The decision is
//! reported per file.

use regex::Regex;

use crate::corpus::read::files::{read_text, InputFile};
use crate::corpus::read::{FileLoad, Format, MetaValue, Raw, ReadIssue, ReadOptions};
use crate::error::Result;

/// Platform lines that only scraped channel pages have (compared without case
/// and leading emoji).
const CHANNEL_MARKERS: &[&str] = &[
    "read in full",
    "view in telegram",
    "media is too big",
    "please open telegram to view this post",
];
const POST_HEADER: &str = "Forwarded from ";
const READ_IN_FULL: &str = "read in full";

/// A line without its leading emoji and symbols, trimmed and lower-cased.
fn bare(line: &str) -> String {
    line.trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '#')
        .trim()
        .to_lowercase()
}

fn is_header(line: &str) -> bool {
    line.trim_start().starts_with(POST_HEADER)
}

fn is_marker(line: &str) -> bool {
    let b = bare(line);
    CHANNEL_MARKERS.contains(&b.as_str())
}

/// A line that carries no text of its own: blank, a platform line, hashtags only,
/// or a one-word link label ("📰 Read", "📺 Watch").
fn is_furniture(line: &str) -> bool {
    let b = bare(line);
    b.is_empty()
        || is_marker(line)
        || b.split_whitespace().all(|w| w.starts_with('#'))
        || matches!(b.as_str(), "read" | "watch" | "читать" | "смотреть")
}

/// The evidence that `text` is a scraped channel page: (headers, other markers).
fn channel_evidence(text: &str) -> (usize, usize) {
    let (mut headers, mut markers) = (0, 0);
    for l in text.lines() {
        if is_header(l) {
            headers += 1;
        } else if is_marker(l) {
            markers += 1;
        }
    }
    (headers, markers)
}

/// Whether `text` looks like a scraped channel page (see the module doc).
pub fn is_channel_dump(text: &str) -> bool {
    let (headers, markers) = channel_evidence(text);
    headers >= 2 || (headers >= 1 && markers >= 1) || markers >= 3
}

/// Splits a channel dump into posts: (first line number, text) per post.
fn split_posts(text: &str) -> Vec<(usize, String)> {
    let mut posts: Vec<(usize, String)> = Vec::new();
    let mut cur = String::new();
    let mut cur_line = 1;
    let mut reads = 0;
    let mut content = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let l = line.trim_end_matches(['\r', '\n']);
        // "Media is too big" is the placeholder of a post's video, which comes
        // before its text: after text, it opens the next post.
        let media = bare(l) == "media is too big";
        let starts = ((is_header(l) || media) && content) || (reads >= 2 && !is_furniture(l));
        if starts {
            posts.push((cur_line, std::mem::take(&mut cur)));
            cur_line = i + 1;
            reads = 0;
            content = false;
        }
        if bare(l) == READ_IN_FULL {
            reads += 1;
        }
        content |= !is_furniture(l) && !is_header(l);
        cur.push_str(line);
    }
    if !cur.trim().is_empty() {
        posts.push((cur_line, cur));
    }
    posts
        .into_iter()
        .flat_map(|(line, body)| split_after_repetition(line, body))
        .filter(|(_, b)| !b.trim().is_empty())
        .collect()
}

/// A post without "Read in full" made of a preview and its full repetition ends
/// where the repetition ends; the text after it is another post, split the same way.
/// Each line's key is made once and the parts are cut in one walk over them (a page
/// of 16,000 such posts was re-split from each cut, copying the rest each time).
fn split_after_repetition(first_line: usize, body: String) -> Vec<(usize, String)> {
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    if lines.iter().any(|l| bare(l) == READ_IN_FULL) {
        return vec![(first_line, body)];
    }
    // Content lines (their index in `lines`), the header and furniture left out.
    let content: Vec<usize> = (0..lines.len())
        .filter(|&i| !is_furniture(lines[i]) && !is_header(lines[i]))
        .collect();
    let keys: Vec<String> = content
        .iter()
        .map(|&i| lines[i].split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    // Where each next part starts: an index into `lines`.
    let mut cuts: Vec<usize> = Vec::new();
    let mut base = 0;
    'parts: loop {
        let c = &keys[base..];
        let mut next = None;
        'scan: for j in 1..c.len() {
            for p in [0usize, 1] {
                if p >= j || c[j] != c[p] {
                    continue;
                }
                let mut t = 0;
                while p + t < j && j + t < c.len() && c[j + t] == c[p + t] {
                    t += 1;
                }
                // The whole preview (from `p`) is repeated, and is more than a repeated
                // heading (two lines, or one long line); is there text after the copy?
                let substantial = t >= 2 || (t == 1 && c[j].chars().count() >= 60);
                if p + t == j && j + t < c.len() && substantial {
                    next = Some(j + t);
                    break 'scan;
                }
                if p + t == j {
                    break 'parts;
                }
            }
        }
        let Some(k) = next else { break };
        base += k;
        cuts.push(content[base]);
    }
    if cuts.is_empty() {
        return vec![(first_line, body)];
    }
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for cut in cuts.into_iter().chain([lines.len()]) {
        out.push((first_line + from, lines[from..cut].concat()));
        from = cut;
    }
    out
}

/// Splits `text` at lines for which `starts` holds; returns (first line number, text) per part.
/// Text before the first such line is a part of its own when it is not blank.
fn split_at_lines(text: &str, starts: impl Fn(&str) -> bool) -> Vec<(usize, String)> {
    let mut parts: Vec<(usize, String)> = Vec::new();
    let mut cur = String::new();
    let mut cur_line = 1;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if starts(line.trim_end_matches(['\r', '\n'])) && !(i == 0 && cur.is_empty()) {
            if !cur.trim().is_empty() {
                parts.push((cur_line, std::mem::take(&mut cur)));
            }
            cur.clear();
            cur_line = i + 1;
        }
        cur.push_str(line);
    }
    if !cur.trim().is_empty() {
        parts.push((cur_line, cur));
    }
    parts
}

/// Loads a text file or channel dump.
pub fn load(f: &InputFile, opts: &ReadOptions, split: Option<&Regex>) -> Result<FileLoad> {
    let mut load = FileLoad {
        name: f.name.clone(),
        ..Default::default()
    };
    let text = read_text(f, opts.decode, opts.max_record_bytes, &mut load.issues)?;
    let channel = match f.format {
        Format::Channel => true,
        _ if split.is_some() => false,
        _ => opts.format == Format::Auto && is_channel_dump(&text),
    };
    let parts = if let Some(re) = split {
        split_at_lines(&text, |l| re.is_match(l))
    } else if channel {
        split_posts(&text)
    } else {
        vec![(1, text.trim_end().to_string())]
    };
    if opts.format == Format::Auto && split.is_none() {
        let (headers, markers) = channel_evidence(&text);
        let what = if channel {
            format!("read as a channel dump, split into {} posts", parts.len())
        } else {
            "read as one document".to_string()
        };
        if headers + markers > 0 {
            load.issues.push(ReadIssue {
                source: f.display.clone(),
                kind: "format",
                message: format!(
                    "{what} ({headers} \"Forwarded from\" header(s), {markers} other platform \
                     line(s); a dump needs two headers, a header and a platform line, or three \
                     platform lines; pass format= to choose)"
                ),
            });
        }
    }
    load.chronological = channel;
    let single = parts.len() == 1 && !channel && split.is_none();
    for (line, body) in parts {
        let mut meta = Vec::new();
        if channel {
            let first = body.lines().next().unwrap_or("");
            let from = first
                .trim_start()
                .strip_prefix(POST_HEADER)
                .map(|s| s.trim().to_string());
            meta.push((
                "forwarded_from".to_string(),
                from.map_or(MetaValue::Null, MetaValue::Str),
            ));
        }
        load.docs.push(Raw {
            id: single.then(|| f.name.clone()),
            text: body.trim_end().to_string(),
            date: None,
            source: format!("{}:{line}", f.display),
            meta,
            has_date_field: false,
        });
    }
    Ok(load)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The split as it was (re-split from each cut, recursively): the reference.
    /// A post without "Read in full" made of a preview and its full repetition ends
    /// where the repetition ends; the text after it is another post.
    fn split_after_repetition_recursive(first_line: usize, body: String) -> Vec<(usize, String)> {
        let lines: Vec<&str> = body.split_inclusive('\n').collect();
        if lines.iter().any(|l| bare(l) == READ_IN_FULL) {
            return vec![(first_line, body)];
        }
        let key = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
        // Content lines (their index in `lines`), the header and furniture left out.
        let content: Vec<usize> = (0..lines.len())
            .filter(|&i| !is_furniture(lines[i]) && !is_header(lines[i]))
            .collect();
        let c = |k: usize| key(lines[content[k]]);
        for j in 1..content.len() {
            for p in [0usize, 1] {
                if p >= j || c(j) != c(p) {
                    continue;
                }
                let mut t = 0;
                while p + t < j && j + t < content.len() && c(j + t) == c(p + t) {
                    t += 1;
                }
                // The whole preview (from `p`) is repeated, and is more than a repeated
                // heading (two lines, or one long line); is there text after the copy?
                let substantial = t >= 2 || (t == 1 && c(j).chars().count() >= 60);
                if p + t == j && j + t < content.len() && substantial {
                    let cut = content[j + t];
                    let head: String = lines[..cut].concat();
                    let tail: String = lines[cut..].concat();
                    let mut out = vec![(first_line, head)];
                    out.extend(split_after_repetition_recursive(first_line + cut, tail));
                    return out;
                }
                if p + t == j {
                    return vec![(first_line, body)];
                }
            }
        }
        vec![(first_line, body)]
    }

    #[test]
    fn posts_after_repetitions_split_as_the_recursive_reference_in_one_walk() {
        let pieces = [
            "Preview of the post",
            "Second line of it",
            "A long line of more than sixty characters, so one line is a whole preview",
            "#BRICS",
            "",
            "📰 Read",
            "Other text",
            "Forwarded from X",
        ];
        let mut state = 3u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        for _ in 0..5000 {
            let body: String = (0..next() % 24)
                .map(|_| format!("{}\n", pieces[next() % pieces.len()]))
                .collect();
            assert_eq!(
                split_after_repetition(7, body.clone()),
                split_after_repetition_recursive(7, body.clone()),
                "{body:?}"
            );
        }
        // 20,000 posts of a preview and its repetition: one walk (the recursion copied
        // the rest of the page at each of the 20,000 cuts).
        let body: String = (0..20_000)
            .map(|i| format!("Preview {i}\nSecond {i}\nPreview {i}\nSecond {i}\n"))
            .collect();
        let parts = split_after_repetition(1, body);
        assert_eq!(parts.len(), 20_000);
        assert_eq!(
            parts[1],
            (5, "Preview 1\nSecond 1\nPreview 1\nSecond 1\n".to_string())
        );
    }

    #[test]
    fn splits_posts_at_headers() {
        let dump = "Forwarded from A\none\nRead in full\nForwarded from B\ntwo\n\nthree\n";
        assert!(is_channel_dump(dump));
        let parts = split_posts(dump);
        assert_eq!(
            parts,
            [
                (1, "Forwarded from A\none\nRead in full\n".to_string()),
                (4, "Forwarded from B\ntwo\n\nthree\n".to_string())
            ]
        );
        let parts = split_at_lines("intro\n---\nx\n---\ny", |l| l == "---");
        assert_eq!(parts.iter().map(|p| p.0).collect::<Vec<_>>(), [1, 2, 4]);
        assert!(!is_channel_dump("All news\n\nPutin to map out main tasks"));
        // One "Read in full" in an article is not a dump; two headers are.
        assert!(!is_channel_dump(
            "Title\nText of the article.\nRead in full\nMore.\n"
        ));
        assert!(is_channel_dump(
            "Forwarded from A\nx\nForwarded from B\ny\n"
        ));
        assert!(is_channel_dump(
            "a\nREAD IN FULL\nb\n📖 Read in full\nc\nVIEW IN TELEGRAM\n"
        ));
    }

    #[test]
    fn own_posts_after_a_closed_post_start_new_posts() {
        // Seed 001, lines 121-161: a forwarded post closed by its second "Read in full",
        // then the channel's own post (no header) and its media placeholders.
        let dump = "Forwarded from MFA\nPreview line one.\nRead in full\n#RussiaUN\n\
                    Full line one.\nRead in full\n#RussiaUN\n\
                    🎻 A grand concert was held on the Red Square on August 18.\n#WYF2024\n\
                    Please open Telegram to view this post\nVIEW IN TELEGRAM\n\
                    Forwarded from MFA\nNext.\n";
        let lines: Vec<usize> = split_posts(dump).iter().map(|p| p.0).collect();
        assert_eq!(lines, [1, 8, 12]);
        // Seed 003, lines 154-172: placeholders after the closing stay with the post.
        let dump = "Forwarded from MFA\nTitle\nPoint.\nRead in full\n#DiplomatsDay\nPoint.\n\
                    Read in full\n#DiplomatsDay\nPlease open Telegram to view this post\n\
                    VIEW IN TELEGRAM\nForwarded from MFA\nNext.\n";
        let lines: Vec<usize> = split_posts(dump).iter().map(|p| p.0).collect();
        assert_eq!(lines, [1, 11]);
    }

    #[test]
    fn a_video_placeholder_after_text_opens_the_next_post() {
        let dump = "Forwarded from MFA\nPost one.\nMedia is too big\nVIEW IN TELEGRAM\n\
                    Own post with a video.\nForwarded from MFA\nMedia is too big\nThird.\n";
        let lines: Vec<usize> = split_posts(dump).iter().map(|p| p.0).collect();
        assert_eq!(lines, [1, 3, 6]);
    }

    #[test]
    fn a_post_after_a_preview_and_its_repetition_starts_anew() {
        let dump = "Forwarded from MFA\nTitle of the post\nPoint one.\nPoint two.\n#Tag\n\
                    Point one.\nPoint two.\n#Tag\nOwn post without a header.\nIts second line.\n\
                    Forwarded from MFA\nx\n";
        let parts = split_posts(dump);
        assert_eq!(parts.iter().map(|p| p.0).collect::<Vec<_>>(), [1, 9, 11]);
        assert!(parts[1].1.starts_with("Own post"));
        // Preview = full text and nothing after: one post.
        let dump = "Forwarded from MFA\nTitle\nA.\nB.\nA.\nB.\n";
        assert_eq!(split_posts(dump).len(), 1);
        // A heading said twice is not a preview and its repetition.
        let dump = "Forwarded from MFA\nTitle\nKey talking points:\nKey talking points:\nA.\nB.\n";
        assert_eq!(split_posts(dump).len(), 1);
    }
}
