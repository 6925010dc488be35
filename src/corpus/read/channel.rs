//! Plain-text files and scraped channel dumps. A channel dump (the text of a
//! Telegram channel page as scraped) is split into posts at "Forwarded from ..."
//! header lines; a text file is one document, or one per line matching `split`.

use regex::Regex;

use crate::corpus::read::files::{read_text, InputFile};
use crate::corpus::read::{FileLoad, Format, MetaValue, Raw, ReadOptions};
use crate::error::Result;

/// Lines only scraped channel pages have.
const CHANNEL_MARKERS: &[&str] = &[
    "Read in full",
    "VIEW IN TELEGRAM",
    "Media is too big",
    "Please open Telegram to view this post",
];
const POST_HEADER: &str = "Forwarded from ";

/// Whether `text` looks like a scraped channel page.
pub fn is_channel_dump(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        l.starts_with(POST_HEADER) || CHANNEL_MARKERS.contains(&l)
    })
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
    let text = read_text(f, opts.decode, &mut load.issues)?;
    let channel = match f.format {
        Format::Channel => true,
        _ if split.is_some() => false,
        _ => opts.format == Format::Auto && is_channel_dump(&text),
    };
    let parts = if let Some(re) = split {
        split_at_lines(&text, |l| re.is_match(l))
    } else if channel {
        split_at_lines(&text, |l| l.starts_with(POST_HEADER))
    } else {
        vec![(1, text.trim_end().to_string())]
    };
    load.chronological = channel;
    let single = parts.len() == 1 && !channel && split.is_none();
    for (line, body) in parts {
        let mut meta = Vec::new();
        if channel {
            let first = body.lines().next().unwrap_or("");
            let from = first
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

    #[test]
    fn splits_posts_at_headers() {
        let dump = "Forwarded from A\none\nRead in full\nForwarded from B\ntwo\n\nthree\n";
        assert!(is_channel_dump(dump));
        let parts = split_at_lines(dump, |l| l.starts_with(POST_HEADER));
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
    }
}
