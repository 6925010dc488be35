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
        if first.is_none_or(|(at, _)| m.start() < at) {
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

/// Elements whose contents are no part of what a page says: the site's navigation,
/// sidebars, footers, forms, embedded objects (script and style go with comments first).
const NOT_CONTENT: &str = "nav|aside|footer|form|button|select|noscript|template|svg|iframe|\
    object|canvas|dialog";

/// The start and end tags of the elements named by `names` (a `|` list); the name is
/// the second group, a `/` the first.
fn element_tags(names: &str) -> Regex {
    Regex::new(&format!(r"(?i)<(/?)({names})(?:\s[^<>]*)?/?>")).expect("a valid pattern")
}

/// The tags [`page_text`] looks for: article, main, body, header, [`NOT_CONTENT`].
fn page_tags() -> &'static [Regex; 5] {
    static P: OnceLock<[Regex; 5]> = OnceLock::new();
    P.get_or_init(|| ["article", "main", "body", "header", NOT_CONTENT].map(element_tags))
}

/// The outermost elements whose tags `tags` finds ([`element_tags`]) in `html`: each
/// from its start tag to the end of its end tag, nested ones of the same name counted;
/// an element never closed runs to the end (as a browser closes it).
fn element_spans(html: &str, tags: &Regex) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, String, usize)> = None; // start, name, depth
    for c in tags.captures_iter(html) {
        let whole = c.get(0).expect("a match");
        let closing = !c[1].is_empty();
        let name = c[2].to_ascii_lowercase();
        match &mut open {
            None if !closing => open = Some((whole.start(), name, 1)),
            None => {}
            Some((start, current, depth)) if *current == name => {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        spans.push(*start..whole.end());
                        open = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            Some(_) => {}
        }
    }
    if let Some((start, _, _)) = open {
        spans.push(start..html.len());
    }
    spans
}

/// `html` without the spans given.
fn without(html: &str, spans: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for s in spans {
        out.push_str(&html[at..s.start]);
        out.push(' ');
        at = s.end;
    }
    out.push_str(&html[at..]);
    out
}

/// The text a saved web page shows as its content, paragraph by paragraph: the page's
/// `<article>` elements (all of them, in order), else its `<main>`, else its `<body>`
/// without its `<header>` (unless it holds the `<h1>`), else the whole; comments,
/// scripts, styles, navigation, sidebars, footers, forms, embedded objects and
/// containers named as site furniture (`furniture_spans`) removed; white space collapsed as a
/// browser collapses it (a line break in the source is a space); each block element
/// (`<p>`, `<li>`, `<h1>`, `<br>`, ...) a line; entities decoded; empty lines dropped.
pub fn page_text(html: &str) -> String {
    let p = patterns();
    let visible = p.hidden.replace_all(html, " ");
    let [article, main, body, header, not_content] = page_tags();
    let mut region = String::new();
    for (tags, drop_header) in [(article, false), (main, false), (body, true)] {
        let spans = element_spans(&visible, tags);
        if spans.is_empty() {
            continue;
        }
        for s in spans {
            region.push_str(&visible[s]);
            region.push('\n');
        }
        if drop_header {
            region = without(
                &region,
                &without_headlines(element_spans(&region, header), &region),
            );
        }
        break;
    }
    if region.is_empty() {
        region = visible.into_owned();
    }
    let region = without(&region, &element_spans(&region, not_content));
    let region = without(&region, &furniture_spans(&region));
    shown_text(&region)
}

/// The outermost containers (`div`, `section`, `ul`, `table`, ...) whose class or id
/// names site furniture, as Mozilla's Readability judges them: a name matching its
/// "unlikely candidates" ("menu", "sidebar", "comment", "related", "footer", "social",
/// "breadcrumbs", ...; "share" added) and none of its "maybe a candidate" words
/// ("article", "body", "content", "main", "column", ...). Sites built of `<div>`s
/// mark their menus and sidebars so, not with `<nav>` and `<aside>`. One holding an
/// `<h1>` (the headline) is kept.
fn furniture_spans(html: &str) -> Vec<std::ops::Range<usize>> {
    static P: OnceLock<(Regex, Regex, Regex, Regex)> = OnceLock::new();
    let (tags, names, unlikely, maybe) = P.get_or_init(|| {
        (
            Regex::new(r"(?i)<(/?)(div|section|ul|ol|dl|table|span|p|li|figure)\b([^<>]*)>")
                .expect("a valid pattern"),
            Regex::new(r#"(?i)\b(?:class|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
                .expect("a valid pattern"),
            Regex::new(
                "(?i)-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|\
                 extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|\
                 sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|\
                 pager|popup|yom-remote|share",
            )
            .expect("a valid pattern"),
            Regex::new("(?i)and|article|body|column|content|main|mathjax|shadow")
                .expect("a valid pattern"),
        )
    });
    let is_furniture = |attrs: &str| {
        let named: String = names
            .captures_iter(attrs)
            .filter_map(|c| c.get(1).or(c.get(2)).or(c.get(3)))
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        unlikely.is_match(&named) && !maybe.is_match(&named)
    };
    let mut spans = Vec::new();
    let mut open: Option<(usize, String, usize)> = None; // start, name, depth
    for c in tags.captures_iter(html) {
        let whole = c.get(0).expect("a match");
        let closing = !c[1].is_empty();
        let self_closing = c[3].ends_with('/');
        match &mut open {
            None if !closing && !self_closing && is_furniture(&c[3]) => {
                open = Some((whole.start(), c[2].to_ascii_lowercase(), 1));
            }
            None => {}
            Some((start, name, depth)) if c[2].eq_ignore_ascii_case(name) && !self_closing => {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        spans.push(*start..whole.end());
                        open = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            Some(_) => {}
        }
    }
    if let Some((start, _, _)) = open {
        spans.push(start..html.len());
    }
    without_headlines(spans, html)
}

/// `spans` of `html` less those holding an `<h1>`: a container holding the page's
/// headline is content whatever its name ("news-header", a body's `<header>`).
fn without_headlines(
    mut spans: Vec<std::ops::Range<usize>>,
    html: &str,
) -> Vec<std::ops::Range<usize>> {
    static H1: OnceLock<Regex> = OnceLock::new();
    let h1 = H1.get_or_init(|| Regex::new(r"(?i)<h1\b").expect("a valid pattern"));
    spans.retain(|s| !h1.is_match(&html[s.clone()]));
    spans
}

/// Text and tags rendered as lines: white space collapsed, a block tag a line break,
/// any other tag nothing, entities decoded, lines trimmed, empty ones dropped.
fn shown_text(html: &str) -> String {
    static TAG: OnceLock<Regex> = OnceLock::new();
    let tag = TAG.get_or_init(|| {
        Regex::new(r"<!--.*?-->|<!?/?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>")
            .expect("a valid pattern")
    });
    let block = &patterns().block;
    let mut lines = String::with_capacity(html.len() / 2);
    let mut at = 0;
    // Words of a piece of text between tags, spaced as a browser spaces them: an inline
    // tag between two letters joins them ("West<b>ern</b>" is "Western").
    let push_text = |piece: &str, lines: &mut String| {
        let spaced = |lines: &String| lines.is_empty() || lines.ends_with(['\n', ' ']);
        let mut space_before = piece.starts_with(|c: char| c.is_ascii_whitespace());
        for word in piece.split_ascii_whitespace() {
            if space_before && !spaced(lines) {
                lines.push(' ');
            }
            lines.push_str(word);
            space_before = true;
        }
        if piece.ends_with(|c: char| c.is_ascii_whitespace()) && !spaced(lines) {
            lines.push(' ');
        }
    };
    for m in tag.find_iter(html) {
        push_text(&html[at..m.start()], &mut lines);
        if block.is_match(m.as_str()) {
            lines.push('\n');
        }
        at = m.end();
    }
    push_text(&html[at..], &mut lines);
    let decoded = html_escape::decode_html_entities(&lines);
    let mut out = String::with_capacity(decoded.len());
    for line in decoded.lines() {
        let line = line.trim_matches(|c: char| c.is_whitespace());
        if !line.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(line);
        }
    }
    out
}

/// The text of the page's `<title>`, white space collapsed and entities decoded.
pub fn page_title(html: &str) -> Option<String> {
    static P: OnceLock<Regex> = OnceLock::new();
    let p = P.get_or_init(|| {
        Regex::new(r"(?is)<title\b[^>]*>(.*?)</title\s*>").expect("a valid pattern")
    });
    let raw = p.captures(html)?.get(1)?.as_str();
    let title = html_escape::decode_html_entities(raw)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!title.is_empty()).then_some(title)
}

/// The attributes of each `<meta>` tag, and of each `<time>` tag, in order: (tag name,
/// attributes as lower-cased name and value, entities decoded).
pub fn meta_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    static P: OnceLock<(Regex, Regex)> = OnceLock::new();
    let (tag, attr) = P.get_or_init(|| {
        (
            Regex::new(r"(?i)<(meta|time)\b([^<>]*)>").expect("a valid pattern"),
            Regex::new(r#"([a-zA-Z_:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
                .expect("a valid pattern"),
        )
    });
    let visible = patterns().hidden.replace_all(html, " ");
    tag.captures_iter(&visible)
        .map(|c| {
            let attrs = attr
                .captures_iter(&c[2])
                .map(|a| {
                    let v = a
                        .get(2)
                        .or(a.get(3))
                        .or(a.get(4))
                        .map_or("", |m| m.as_str());
                    (
                        a[1].to_ascii_lowercase(),
                        html_escape::decode_html_entities(v).trim().to_string(),
                    )
                })
                .collect();
            (c[1].to_ascii_lowercase(), attrs)
        })
        .collect()
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
    fn a_page_shows_its_articles_else_main_else_its_body_without_the_site() {
        let page = "<!DOCTYPE html><html><head><title>Statement &amp; remarks</title>\
            <style>p{color:red}</style><script>var nav = '<article>no</article>';</script></head>\
            <body><header><a href=/>MID</a><nav><ul><li>Foreign policy</li><li>News</li></ul></nav></header>\
            <div class=crumbs>Home / News</div>\
            <article><h1>Lavrov&rsquo;s   remarks</h1>\n<p>The collective\n   West<b>ern</b> \
            countries<br>impose their <a href=x>rules</a>-based order.</p>\
            <aside>Read also: Global Majority</aside><div><div><p>The Global&nbsp;Majority \
            disagrees.</p></div></div><footer>Share</footer></article>\
            <article><p>Second piece.</p></article>\
            <footer>&copy; 2023 MID</footer><!-- counter --></body></html>";
        assert_eq!(
            page_text(page),
            "Lavrov\u{2019}s remarks\nThe collective Western countries\nimpose their \
             rules-based order.\nThe Global\u{a0}Majority disagrees.\nSecond piece."
        );
        assert_eq!(page_title(page).as_deref(), Some("Statement & remarks"));
        // No article: main; no main: the body without its header, navigation, footer.
        let main = "<body><nav>Menu</nav><main><p>In main</p></main><p>Outside</p></body>";
        assert_eq!(page_text(main), "In main");
        let headline = "<body><header><h1>Headline</h1></header><div>Text</div></body>";
        assert_eq!(page_text(headline), "Headline\nText");
        let body = "<html><body><header>Site name</header><div id=content><h2>Title</h2>\
            <p>Text  one</p><form><input> Search</form></div><footer>Contacts</footer></body>";
        assert_eq!(page_text(body), "Title\nText one");
        // Nested elements of one name, and one never closed.
        let nested = "<body><div><nav><nav>in</nav>still nav</nav>Kept<aside>gone";
        assert_eq!(page_text(nested), "Kept");
        // A fragment without body: all of it, as text.
        assert_eq!(page_text("a <i>b</i> &lt; c<br/>d"), "a b < c\nd");
        assert_eq!(page_title("<title>  </title>"), None);
    }

    #[test]
    fn containers_named_as_site_furniture_are_left_out_as_readability_does() {
        let page =
            "<body><div class=\"top-menu\"><ul><li>Global Majority</li></ul><div>x</div></div>\
            <div id=content><div class='news-header'><h1>Title</h1></div>\
            <p>The collective West.</p><div class=\"share-buttons\">Share</div>\
            <ul class=breadcrumbs><li>Home</li></ul><div class=\"related-news\"><div><p>The \
            multipolar world</p></div></div><p>Second paragraph.</p></div>\
            <div id=\"comments\"><p>A reader on the collective West</p></div>\
            <div class=\"sidebar\"><div class=\"sidebar\">nested</div>still</div>\
            <p class=\"lead\">kept</p></body>";
        assert_eq!(
            page_text(page),
            "Title\nThe collective West.\nSecond paragraph.\nkept"
        );
    }

    #[test]
    fn meta_and_time_tags_with_their_attributes() {
        let page = r#"<meta property="article:published_time" content="2023-04-29T10:00:00+03:00">
            <META NAME='date' CONTENT=2023-04-30><time datetime="2023-05-01">1 May</time>
            <script><meta name="date" content="1999-01-01"></script>"#;
        let tags = meta_tags(page);
        assert_eq!(tags.len(), 3);
        assert_eq!(tags[0].0, "meta");
        assert_eq!(
            tags[0].1,
            [
                ("property".to_string(), "article:published_time".to_string()),
                (
                    "content".to_string(),
                    "2023-04-29T10:00:00+03:00".to_string()
                )
            ]
        );
        assert_eq!(
            tags[1].1[1],
            ("content".to_string(), "2023-04-30".to_string())
        );
        assert_eq!(
            tags[2],
            (
                "time".to_string(),
                vec![("datetime".to_string(), "2023-05-01".to_string())]
            )
        );
    }

    #[test]
    fn escapes_written_out() {
        let t = r#"The collective\nWest\u2019s \"rules\" and C:\ a\n"#;
        assert_eq!(escapes(t), (3, Some(r"\n")));
        assert_eq!(escapes(r"\u201cWest\u201d"), (1, Some(r"\u201c")));
        assert_eq!(escapes("a real\nline break, a \\ b"), (0, None));
    }
}
