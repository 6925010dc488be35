//! HTML left in scraped text: "collective&nbsp;West", "the collective <b>West</b>",
//! "<p>…</p>", "West&#8217;s". The tokenizer reads the names of tags and entities as
//! words ("nbsp", "b", "8217"), which split frame phrases and count as tokens. This finds
//! such markup (for `fs.read`'s report) and removes it (`Corpus.dedup(html=True)`):
//! comments, `<script>` and `<style>` blocks and tags of HTML's own names go (a tag that
//! ends a line or a block, `<br>`, `<p>`, `<li>`, `<div>`, ..., becomes a line break (one
//! for a run of them), an inline one, `<b>`, `<span>`, `<a href=…>`, nothing, as a
//! browser renders them), and
//! entities are decoded (`html-escape`, HTML5's whole table): `&nbsp;` is a no-break
//! space, `&#8217;` an apostrophe. "a < b", "x<y", "R&D" and "&foo;" are no markup.
//!
//! Also found (never changed): escape sequences written out, as text escaped twice holds
//! them (a JSON string dumped again, a `repr` saved): "collective\\nWest" reads as the
//! tokens "collective" and "nwest" ([`escapes`]).

use std::sync::OnceLock;

use regex::Regex;

/// Tags that break the line where a browser shows them.
const BLOCK_TAGS: &str = "address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|\
    footer|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul";
/// Tags rendered inline.
const INLINE_TAGS: &str = "a|abbr|b|bdi|bdo|big|cite|code|del|dfn|em|font|i|img|ins|kbd|mark|\
    q|s|samp|small|span|strike|strong|sub|sup|time|tt|u|var|wbr|html|head|body|meta|link|title|\
    iframe|noscript|picture|source|svg|video|audio|button|form|input|label|select|option";

struct Patterns {
    /// Comments and the contents of script and style blocks, which are never text.
    hidden: Regex,
    /// A tag of a block element, `</p>` and `<br/>` too.
    block: Regex,
    /// A run of them (with white space between): one line break ("</p><p>" between two
    /// paragraphs), so a paragraph is a line, as in the text before it was served.
    block_run: Regex,
    /// A tag of an inline element.
    inline: Regex,
    /// An entity reference: named, decimal or hexadecimal.
    entity: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let tag = |names: &str| format!(r#"</?(?:{names})(?:\s+[^<>]*)?/?>"#);
        let build = |p: String| Regex::new(&format!("(?i){p}")).expect("a valid pattern");
        Patterns {
            hidden: Regex::new(
                r"(?is)<!--.*?-->|<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>",
            )
            .expect("a valid pattern"),
            block: build(tag(BLOCK_TAGS)),
            block_run: build(format!(r"(?:{}\s*)+", tag(BLOCK_TAGS))),
            inline: build(tag(INLINE_TAGS)),
            entity: Regex::new(
                r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});",
            )
            .expect("a valid pattern"),
        }
    })
}

/// Whether `entity` (as the pattern finds it) is one HTML defines.
fn is_entity(entity: &str) -> bool {
    html_escape::decode_html_entities(entity) != entity
}

/// How much markup `text` holds (tags, comments, script and style blocks, entities),
/// and the first piece found (by position), if any.
pub fn find<'a>(text: &'a str) -> (usize, Option<&'a str>) {
    if memchr::memchr2(b'<', b'&', text.as_bytes()).is_none() {
        return (0, None);
    }
    let p = patterns();
    let mut n = 0;
    let mut first: Option<(usize, &'a str)> = None;
    let mut note = |m: regex::Match<'a>| {
        n += 1;
        if first.map_or(true, |(at, _)| m.start() < at) {
            first = Some((m.start(), m.as_str()));
        }
    };
    for re in [&p.hidden, &p.block, &p.inline] {
        re.find_iter(text).for_each(&mut note);
    }
    p.entity
        .find_iter(text)
        .filter(|m| is_entity(m.as_str()))
        .for_each(&mut note);
    (n, first.map(|(_, s)| s))
}

/// `text` without its markup (see the module doc), and how many pieces were removed or
/// decoded; `None` when there is none.
pub fn strip(text: &str) -> Option<(String, usize)> {
    memchr::memchr2(b'<', b'&', text.as_bytes())?;
    let p = patterns();
    let mut n = 0;
    let mut out = std::borrow::Cow::Borrowed(text);
    for (re, run, with) in [
        (&p.hidden, &p.hidden, ""),
        (&p.block, &p.block_run, "\n"),
        (&p.inline, &p.inline, ""),
    ] {
        let k = re.find_iter(&out).count();
        if k > 0 {
            n += k;
            out = std::borrow::Cow::Owned(run.replace_all(&out, with).into_owned());
        }
    }
    let decoded = p.entity.replace_all(&out, |c: &regex::Captures<'_>| {
        let e = &c[0];
        let d = html_escape::decode_html_entities(e);
        if d != e {
            n += 1;
        }
        d.into_owned()
    });
    (n > 0).then(|| (decoded.into_owned(), n))
}

/// How many escape sequences written out `text` holds (`\\n`, `\\t`, `\\r`, `\\"` or
/// `\\u` and four hex digits, each before a letter, digit or another such sequence), and
/// the first; what text escaped twice holds, where a backslash in prose is rare.
pub fn escapes(text: &str) -> (usize, Option<&str>) {
    let b = text.as_bytes();
    let mut n = 0;
    let mut first = None;
    for i in memchr::memchr_iter(b'\\', b) {
        let len = match b.get(i + 1) {
            Some(b'n' | b't' | b'r' | b'"') => 2,
            Some(b'u') if b.len() >= i + 6 && b[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit) => {
                6
            }
            _ => continue,
        };
        if b.get(i + len)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'\\' || c >= 0x80)
        {
            n += 1;
            first.get_or_insert(&text[i..i + len]);
        }
    }
    (n, first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_as_scrapes_leave_it() {
        let text = "<p>The collective&nbsp;West&#8217;s <b>rules</b>-based order<br/>\
                    R&D, a < b, x<y, &foo; &amp; <!-- ad --><script>var x = 1;</script>\
                    <a href=\"https://mid.ru\">MID</a></p>";
        let (stripped, n) = strip(text).expect("markup");
        assert_eq!(
            stripped,
            "\nThe collective\u{a0}West\u{2019}s rules-based order\nR&D, a < b, x<y, &foo; & \
             MID\n"
        );
        // p, /p, br; b, /b, a, /a; the comment and the script; nbsp, #8217, amp.
        assert_eq!(n, 3 + 4 + 2 + 3);
        assert_eq!(find(text), (12, Some("<p>")));
        assert_eq!(find("R&D, a < b, x<y, &foo;"), (0, None));
        assert!(strip("no markup at all").is_none());
        assert!(strip("R&D, a < b, &foo;").is_none());
        assert_eq!(strip("A&amp;B").unwrap(), ("A&B".to_string(), 1));
    }

    #[test]
    fn escapes_written_out() {
        let t = r#"The collective\nWest\u2019s \"rules\" and C:\ a\n"#;
        assert_eq!(escapes(t), (3, Some(r"\n")));
        assert_eq!(escapes(r"\u201cWest\u201d"), (1, Some(r"\u201c")));
        assert_eq!(escapes("a real\nline break, a \\ b"), (0, None));
    }
}
