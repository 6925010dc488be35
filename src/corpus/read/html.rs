//! Saved web pages (`.html`, `.htm`), one document each, as a browser shows their
//! content ([`crate::corpus::markup::page_text`]: the `<article>`s, else `<main>`, else
//! the body without header, navigation, sidebars, footers and forms), with the page's
//! `<title>` as metadata and its publication date from the tags news sites and CMSs
//! write (Open Graph's `article:published_time`, schema.org's `datePublished` in a
//! `<meta>` or in JSON-LD, Dublin Core, `<meta name="date">`, a `<time datetime>`). A page without one
//! is dated from its text, as a `.txt` file is.

use std::sync::OnceLock;

use regex::Regex;

use crate::corpus::date_values::DateValue;
use crate::corpus::markup::{meta_tags, page_text, page_title};
use crate::corpus::read::files::{read_text_with, InputFile};
use crate::corpus::read::{input_err, meta_date, FileLoad, MetaValue, Raw, ReadIssue, ReadOptions};
use crate::error::Result;

/// `<meta>` names and properties that hold a page's publication date, most specific
/// first (lower case).
const DATE_KEYS: [&str; 12] = [
    "article:published_time",
    "datepublished",
    "og:published_time",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "date",
    "pubdate",
    "publishdate",
    "publication_date",
    "parsely-pub-date",
];

/// The page's publication date as written, and where (`<meta property="...">`, or
/// `<time datetime>`), if it names one.
fn date_tag(html: &str) -> Option<(String, String)> {
    let tags = meta_tags(html);
    let attr = |attrs: &[(String, String)], name: &str| {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut best: Option<(usize, String, String)> = None;
    for (tag, attrs) in &tags {
        if tag != "meta" {
            continue;
        }
        for key_attr in ["property", "name", "itemprop"] {
            let Some(key) = attr(attrs, key_attr) else {
                continue;
            };
            let rank = DATE_KEYS.iter().position(|k| key.eq_ignore_ascii_case(k));
            let content = attr(attrs, "content").filter(|c| !c.is_empty());
            if let (Some(rank), Some(content)) = (rank, content) {
                if best.as_ref().is_none_or(|(r, _, _)| rank < *r) {
                    best = Some((rank, content, format!("<meta {key_attr}=\"{key}\">")));
                }
            }
        }
    }
    if let Some((_, value, field)) = best {
        return Some((value, field));
    }
    if let Some(v) = json_ld_date(html) {
        return Some((v, "JSON-LD \"datePublished\"".to_string()));
    }
    tags.iter()
        .filter(|(tag, _)| tag == "time")
        .find_map(|(_, attrs)| attr(attrs, "datetime").filter(|v| !v.is_empty()))
        .map(|v| (v, "<time datetime>".to_string()))
}

/// The `datePublished` of the page's schema.org data (`<script
/// type="application/ld+json">`, where many news sites keep it), if any.
fn json_ld_date(html: &str) -> Option<String> {
    static P: OnceLock<(Regex, Regex)> = OnceLock::new();
    let (script, field) = P.get_or_init(|| {
        (
            Regex::new(r#"(?is)<script\b[^>]*application/ld\+json[^>]*>(.*?)</script\s*>"#)
                .expect("a valid pattern"),
            Regex::new(r#""datePublished"\s*:\s*"([^"]{4,64})""#).expect("a valid pattern"),
        )
    });
    script.captures_iter(html).find_map(|c| {
        field
            .captures(c.get(1)?.as_str())
            .map(|f| f[1].trim().to_string())
    })
}

/// The page decoded by the charset its head declares (`<meta charset="windows-1251">`,
/// or `http-equiv` Content-Type; looked for in the first 1024 bytes, as browsers do),
/// and that charset's name: `None` when it declares none, or UTF-8 (then the bytes are
/// bad UTF-8, for `encoding_errors` to settle), or one that leaves bytes undecodable.
/// Decoding by `encoding_rs` (the WHATWG Encoding Standard's labels and tables, as
/// browsers decode pages).
fn declared_charset(bytes: &[u8]) -> Option<(String, &'static str)> {
    static P: OnceLock<regex::bytes::Regex> = OnceLock::new();
    let p = P.get_or_init(|| {
        regex::bytes::Regex::new(r#"(?i)<meta\b[^>]*?charset\s*=\s*["']?([a-zA-Z0-9_:.-]+)"#)
            .expect("a valid pattern")
    });
    let head = &bytes[..bytes.len().min(1024)];
    let label = p.captures(head)?.get(1)?.as_bytes();
    let encoding = encoding_rs::Encoding::for_label(label)?;
    if encoding == encoding_rs::UTF_8 {
        return None;
    }
    let (text, _, had_errors) = encoding.decode(bytes);
    (!had_errors).then(|| (text.into_owned(), encoding.name()))
}

/// Reads one saved page as one document (id: the file's name; source: its path).
pub fn load(f: &InputFile, opts: &ReadOptions) -> Result<FileLoad> {
    let mut load = FileLoad {
        name: f.name.clone(),
        ..Default::default()
    };
    let mut decoded_as = None;
    let html = read_text_with(
        f,
        opts.decode,
        opts.max_record_bytes,
        &mut load.issues,
        |b| {
            let (text, encoding) = declared_charset(b)?;
            decoded_as = Some(encoding);
            Some(text)
        },
    )?;
    if let Some(encoding) = decoded_as {
        load.issues.push(ReadIssue {
            source: f.display.clone(),
            kind: "decoded_charset",
            message: format!("not UTF-8: decoded as {encoding}, the charset the page declares"),
        });
    }
    let text = page_text(&html);
    if text.is_empty() {
        return Err(input_err(
            &f.display,
            "the page shows no text (a page built by scripts, or not HTML?)",
        ));
    }
    let date = match date_tag(&html) {
        Some((value, field)) => meta_date(
            &f.display,
            &field,
            DateValue::Text(&value),
            &opts.dates,
            &mut load.issues,
        )?,
        None => None,
    };
    load.docs.push(Raw {
        id: Some(f.name.clone()),
        text,
        date,
        source: f.display.clone(),
        meta: vec![(
            "title".to_string(),
            page_title(&html).map_or(MetaValue::Null, MetaValue::Str),
        )],
        has_date_field: date.is_some(),
    });
    Ok(load)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_publication_date_from_the_most_specific_tag() {
        let page = r#"<meta name="date" content="2023-05-02">
            <meta property="article:published_time" content="2023-04-29T10:00:00+03:00">
            <time datetime="2023-05-03">3 May</time>"#;
        assert_eq!(
            date_tag(page),
            Some((
                "2023-04-29T10:00:00+03:00".to_string(),
                "<meta property=\"article:published_time\">".to_string()
            ))
        );
        let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle",
            "headline":"x","datePublished": "2023-04-29T08:15:00+03:00"}</script><p>text</p>"#;
        assert_eq!(
            date_tag(ld).map(|(v, _)| v),
            Some("2023-04-29T08:15:00+03:00".to_string())
        );
        let time = r#"<p>On <time datetime="2023-05-03">3 May</time></p>"#;
        assert_eq!(
            date_tag(time),
            Some(("2023-05-03".to_string(), "<time datetime>".to_string()))
        );
        assert_eq!(
            date_tag("<meta name=\"description\" content=\"x\"><p>no date</p>"),
            None
        );
        assert_eq!(date_tag("<meta name=\"date\" content=\"\">"), None);
    }
}
