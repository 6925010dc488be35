//! Dates: parsing metadata values, finding date mentions in English and Russian
//! text, choosing a document's own date, and inferring missing years from
//! neighbouring documents of a chronological source.
//!
//! Dates are days since 1970-01-01 (`i32`). Finding mentions is one pass over the
//! bytes for digits and a few regexes over the tokens around them; choosing a date
//! looks at the document's head, and at the rest only for "today" or a year hint.
//! Inferring years is two passes over the documents.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::corpus::DateSource;

const EPOCH_CE_DAYS: i32 = 719_163;

/// Days since 1970-01-01 of a calendar date, if it exists.
pub fn days(year: i32, month: u32, day: u32) -> Option<i32> {
    NaiveDate::from_ymd_opt(year, month, day).map(|d| d.num_days_from_ce() - EPOCH_CE_DAYS)
}

/// (year, month, day) of days since 1970-01-01.
pub fn ymd(days: i32) -> (i32, u32, u32) {
    let d = NaiveDate::from_num_days_from_ce_opt(days + EPOCH_CE_DAYS).unwrap_or(NaiveDate::MIN);
    (d.year(), d.month(), d.day())
}

/// A date written in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Byte range in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Year, when written.
    pub year: Option<i32>,
    /// Month 1..=12.
    pub month: u32,
    /// Day of month.
    pub day: u32,
}

impl Mention {
    /// The date, when the year is known and the date exists.
    pub fn days(&self) -> Option<i32> {
        self.year.and_then(|y| days(y, self.month, self.day))
    }
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// Russian months by their first three letters (every form and abbreviation starts so:
/// "сентября", "сент.", "сен."), "мая"/"май"/"мае" for May.
const RU_MONTHS: [&str; 12] = [
    "янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
];

fn month_alternation() -> String {
    let mut alts = Vec::new();
    for m in EN_MONTHS {
        alts.push(m.to_string());
        alts.push(m.to_uppercase());
        if m.len() > 3 {
            alts.push(format!("{}\\.", &m[..3]));
            if m != "September" {
                alts.push(m[..3].to_string());
            }
        }
    }
    alts.push("Sept\\.?".into());
    alts.sort_by_key(|a| std::cmp::Reverse(a.len()));
    alts.join("|")
}

struct Patterns {
    month_day: Regex,
    day_month: Regex,
    russian: Regex,
    iso: Regex,
    dotted: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let m = month_alternation();
        // Full forms, or the abbreviations Russian style guides give ("5 сент. 2023 г.").
        let ru = "((?:январ[яье]|феврал[яье]|марта?|марте|апрел[яье]|ма[яйе]|июн[яье]|июл[яье]|августа?|августе|сентябр[яье]|октябр[яье]|ноябр[яье]|декабр[яье])\\b|(?:янв|февр?|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек)\\.)";
        // Digits are ASCII ([0-9], not Unicode's \d): only they are read as numbers,
        // and the windows of `find_mentions` are found by them.
        let build = |s: String| Regex::new(&s).expect("date pattern compiles");
        Patterns {
            month_day: build(format!(
                r"\b({m})\s+([0-9]{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+([0-9]{{4}})\b)?"
            )),
            day_month: build(format!(
                r"\b([0-9]{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({m})(?:\b|\s)(?:,?\s*([0-9]{{4}})\b)?"
            )),
            russian: build(format!(
                r"(?i)\b([0-9]{{1,2}})\s+{ru}(?:\s+([0-9]{{4}})(?:\s*(?:г\.|года\b|год\b))?)?"
            )),
            iso: build(r"\b([0-9]{4})-([0-9]{2})-([0-9]{2})\b".into()),
            dotted: build(r"\b([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})\b".into()),
        }
    })
}

fn en_month(name: &str) -> u32 {
    let n = name.trim_end_matches('.').to_lowercase();
    EN_MONTHS
        .iter()
        .position(|m| m.to_lowercase().starts_with(&n[..n.len().min(3)]))
        .map_or(0, |i| i as u32 + 1)
}

fn ru_month(name: &str) -> u32 {
    let n = name.to_lowercase();
    // "мар" (March) comes before "ма" (May), of which it is a longer form.
    RU_MONTHS
        .iter()
        .position(|&stem| n.starts_with(stem))
        .map_or(0, |i| i as u32 + 1)
}

/// The month a whole word names: English ("April", "Apr", "Sept"), Russian in the
/// nominative, genitive or prepositional ("апрель", "апреля", "апреле") or abbreviated
/// ("апр", "сент"); a full stop after it is the caller's to strip. `None` otherwise.
pub fn month_named(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let en = EN_MONTHS.iter().position(|m| {
        let m = m.to_lowercase();
        w == m || (w.chars().count() == 3 && m.starts_with(&w)) || (w == "sept" && m == "september")
    });
    if let Some(i) = en {
        return Some(i as u32 + 1);
    }
    static RU: OnceLock<Regex> = OnceLock::new();
    let ru = RU.get_or_init(|| {
        Regex::new(
            "^(?:(?:январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)[ьяе]|ма[йяе]|\
             марта?|марте|августа?|августе|янв|февр?|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек)$",
        )
        .expect("a valid pattern")
    });
    ru.is_match(&w).then(|| ru_month(&w)).filter(|&m| m > 0)
}

fn plausible(year: Option<i32>, month: u32, day: u32) -> bool {
    let max = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=max).contains(&day)
        && year.is_none_or(|y| (1000..=2999).contains(&y) && days(y, month, day).is_some())
}

/// All date mentions in `text`, in order of position, without overlaps.
///
/// Every mention holds an ASCII digit and spans at most five whitespace-separated
/// tokens, so the patterns run only over `digit_windows`: the tokens around each
/// token with a digit. Each window starts and ends at a token's edge, where a word
/// boundary reads the same in the window as in the whole text, so the mentions are
/// those a scan of the whole text finds ([`mentions_in`]), in one pass of the text
/// plus the patterns' work on the windows alone.
pub fn find_mentions(text: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    for w in digit_windows(text) {
        let at = w.start;
        // With the whitespace character after the window's last token, which a pattern
        // may take after a month ending in a full stop ("4 Sept. "), as in the whole text.
        let end = w.end
            + text
                .as_bytes()
                .get(w.end)
                .map_or(0, |_| whitespace_at(text.as_bytes(), w.end));
        out.extend(mentions_in(&text[at..end]).into_iter().map(|m| Mention {
            start: m.start + at,
            end: m.end + at,
            ..m
        }));
    }
    out
}

/// Tokens of a window before the first token with a digit ("May" in "May 17").
const WINDOW_BEFORE: usize = 2;
/// Tokens of a window after the last token with a digit ("of May, 2023" in
/// "17th of May, 2023", "мая 2023 г." in "17 мая 2023 г.").
const WINDOW_AFTER: usize = 4;

/// Byte length of the whitespace character (Unicode `White_Space`, as the patterns'
/// `\s` and `char::is_whitespace` read it) starting at `i`, or 0.
fn whitespace_at(b: &[u8], i: usize) -> usize {
    let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        b'\t'..=b'\r' | b' ' => 1,
        0x00..=0xC1 => 0,
        0xC2 if matches!(next(1), 0x85 | 0xA0) => 2,
        0xE1 if next(1) == 0x9A && next(2) == 0x80 => 3,
        0xE2 if next(1) == 0x80 && matches!(next(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) => 3,
        0xE2 if next(1) == 0x81 && next(2) == 0x9F => 3,
        0xE3 if next(1) == 0x80 && next(2) == 0x80 => 3,
        _ => 0,
    }
}

/// Byte length of the whitespace character ending at `j`, or 0 (UTF-8 synchronises:
/// a lead byte is never a continuation byte, so the bytes before `j` decide).
fn whitespace_before(b: &[u8], j: usize) -> usize {
    for len in 1..=3 {
        if j >= len && whitespace_at(b, j - len) == len {
            return len;
        }
    }
    0
}

/// The first ASCII digit at or after `from`, 32 bytes tested at a time.
fn next_digit(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 32 <= b.len() {
        let chunk = &b[i..i + 32];
        if chunk.iter().fold(false, |any, c| any | c.is_ascii_digit()) {
            break;
        }
        i += 32;
    }
    b[i..].iter().position(u8::is_ascii_digit).map(|p| i + p)
}

/// The byte ranges of `text` a date mention can lie in: runs of whole
/// whitespace-separated tokens, [`WINDOW_BEFORE`] tokens before each token holding
/// an ASCII digit through [`WINDOW_AFTER`] after it, overlapping runs merged. Text
/// far from digits is only searched for digits; each byte is visited a bounded
/// number of times, whatever the text.
fn digit_windows(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let n = b.len();
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    // No window reaches back past the end of the last one: walks back stop there.
    let mut floor = 0;
    let mut at = 0;
    while let Some(digit) = next_digit(b, at) {
        // Back to the digit's token's start, then WINDOW_BEFORE tokens more.
        let back_over_token = |mut k: usize| {
            while k > floor && whitespace_before(b, k) == 0 {
                k -= 1;
            }
            k
        };
        let mut from = back_over_token(digit);
        for _ in 0..WINDOW_BEFORE {
            let mut k = from;
            while k > floor {
                match whitespace_before(b, k) {
                    0 => break,
                    w => k -= w,
                }
            }
            if k == floor {
                // Back at the last window's end (or the text's start): one window.
                from = floor;
                break;
            }
            from = back_over_token(k);
        }
        // Forward token by token until WINDOW_AFTER tokens without a digit have passed.
        let (mut j, mut end, mut left) = (from.max(digit), digit, WINDOW_AFTER + 1);
        while j < n {
            let w = whitespace_at(b, j);
            if w > 0 {
                j += w;
                continue;
            }
            let mut has_digit = false;
            // A continuation byte never starts a whitespace character: step bytewise.
            while j < n && whitespace_at(b, j) == 0 {
                has_digit |= b[j].is_ascii_digit();
                j += 1;
            }
            end = j;
            left = if has_digit { WINDOW_AFTER } else { left - 1 };
            if left == 0 {
                break;
            }
        }
        match out.last_mut() {
            Some(last) if from <= last.end => last.end = end,
            _ => out.push(from..end),
        }
        floor = end;
        at = end;
    }
    out
}

/// All date mentions in `text` by a scan of the whole of it: what
/// [`find_mentions`] gives, at the patterns' cost on every byte.
pub fn mentions_in(text: &str) -> Vec<Mention> {
    let p = patterns();
    let mut out: Vec<Mention> = Vec::new();
    let num = |c: &regex::Captures, i: usize| -> Option<u32> {
        c.get(i).and_then(|m| m.as_str().parse().ok())
    };
    let year = |c: &regex::Captures, i: usize| -> Option<i32> {
        c.get(i).and_then(|m| m.as_str().parse().ok())
    };
    let mut push = |start: usize, end: usize, y: Option<i32>, m: u32, d: u32| {
        if plausible(y, m, d) {
            out.push(Mention {
                start,
                end,
                year: y,
                month: m,
                day: d,
            });
        }
    };
    for c in p.month_day.captures_iter(text) {
        let all = c.get(0).expect("match");
        let (m, d) = (en_month(&c[1]), num(&c, 2).unwrap_or(0));
        push(all.start(), all.end(), year(&c, 3), m, d);
    }
    for c in p.day_month.captures_iter(text) {
        let all = c.get(0).expect("match");
        let (d, m) = (num(&c, 1).unwrap_or(0), en_month(&c[2]));
        push(all.start(), all.end(), year(&c, 3), m, d);
    }
    for c in p.russian.captures_iter(text) {
        let all = c.get(0).expect("match");
        let (d, m) = (num(&c, 1).unwrap_or(0), ru_month(&c[2]));
        push(all.start(), all.end(), year(&c, 3), m, d);
    }
    // Numeric dates: (pattern, capture groups of year, month, day).
    for (re, y, m, d) in [(&p.iso, 1, 2, 3), (&p.dotted, 3, 2, 1)] {
        for c in re.captures_iter(text) {
            let all = c.get(0).expect("match");
            let (mo, da) = (num(&c, m).unwrap_or(0), num(&c, d).unwrap_or(0));
            push(all.start(), all.end(), year(&c, y), mo, da);
        }
    }
    // Earliest first; at one start, the longest (the one with a year) wins.
    out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut kept: Vec<Mention> = Vec::with_capacity(out.len());
    for m in out {
        if kept.last().is_none_or(|k| m.start >= k.end) {
            kept.push(m);
        }
    }
    kept
}

/// A document's own date as its text states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextDate {
    /// Year, when the text states it.
    pub year: Option<i32>,
    /// Month 1..=12.
    pub month: u32,
    /// Day of month.
    pub day: u32,
    /// For a year-less date: the year every full date in the text agrees on.
    pub year_hint: Option<i32>,
}

/// How many non-blank lines at the start of a document may hold its dateline.
const HEAD_LINES: usize = 8;
/// How many may open with its event date ("On February 14, ...").
const OPENING_LINES: usize = 3;

/// Where a line's leading decoration (emoji, bullets, symbols: anything but a letter,
/// a digit or "(") ends.
fn decoration_end(line: &str) -> usize {
    line.len()
        - line
            .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(')
            .len()
}

/// What stands between a line's decoration (ending at `decoration`) and the mention
/// `m`, trimmed: found in the characters between, not by a scan from the line's start
/// (a line can hold many mentions).
fn lead_in<'a>(line: &'a str, decoration: usize, m: &Mention) -> &'a str {
    line[decoration.min(m.start)..m.start].trim()
}

/// Whether the mention `m` on `line` (decoration ending at `decoration`) is a
/// dateline: the line is only the date (optionally after a place, "📍Moscow,
/// December 28, 2023"), the date closes the line in parentheses ("(Moscow, April 29,
/// 2023)"), or opens a news dateline ("MOSCOW, July 01. /ITAR-TASS/"). Each test
/// looks at a bounded number of characters, except the last, which runs only for a
/// mention near the line's end.
fn is_dateline(line: &str, decoration: usize, m: &Mention) -> bool {
    let after = line[m.end..].trim();
    let core = lead_in(line, decoration, m);
    let place = core.chars().nth(40).is_none()
        && core
            .trim_end_matches(',')
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '.');
    // "(Moscow, April 29, 2023)" or "(June 11, 2024, Nizhny Novgorod)" closing the line.
    let closes_paren = after
        .trim_end_matches(':')
        .strip_suffix(')')
        .map(|inner| {
            let inner = inner.trim_start_matches(',').trim();
            inner.is_empty() || (inner.chars().nth(40).is_none() && !inner.contains(['(', ')']))
        })
        .unwrap_or(false);
    let before = &line[..m.start];
    (place && (after.is_empty() || after.starts_with(". /") || after == "."))
        || (closes_paren && before.rfind('(') > before.rfind(')'))
}

/// Whether `m`, a date without a year, names the event at the opening of a line:
/// "On February 14, ...", "🗓 February 14 — ...". A full date after "On" is usually
/// history ("On December 12, 2018, the General Assembly ..."), so only year-less ones count.
fn is_event_opening(line: &str, decoration: usize, m: &Mention) -> bool {
    const LONGEST: usize = "сегодня,".len();
    let before = lead_in(line, decoration, m);
    m.year.is_none()
        && before.len() <= LONGEST
        && matches!(before.to_lowercase().as_str(), "" | "on" | "в" | "сегодня,")
}

/// Whether `m` follows "today": "Today, on April 24", "Today, April 24", "Сегодня, 24 апреля".
fn follows_today(text: &str, m: &Mention) -> bool {
    // The last 16 characters decide (the longest cue is 9): lowercasing all that
    // comes before would cost a long text's length per mention.
    let before = text[..m.start].trim_end();
    let tail = before
        .char_indices()
        .rev()
        .nth(15)
        .map_or(before, |(i, _)| &before[i..])
        .to_lowercase();
    ["today, on", "today,", "today", "сегодня,", "сегодня"]
        .iter()
        .any(|t| tail.ends_with(t))
}

/// Whether `text` says "today" anywhere (any case): only then can a date follow it.
fn says_today(text: &str) -> bool {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| Regex::new("(?i)today|сегодня").expect("pattern compiles"))
        .is_match(text)
}

/// `text.lines()` (lines end at "\n" or "\r\n"), the ends found by `memchr`: a post
/// of one line is searched for its end at memory speed.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        Some(match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => {
                let line = &rest[..i];
                rest = &rest[i + 1..];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => std::mem::take(&mut rest),
        })
    })
}

/// The document's own date from its text (platform lines such as "Forwarded
/// from ..." and "VIEW IN TELEGRAM" skipped): a dateline among its first lines;
/// else the first year-less date of its first line (the headline), or a year-less
/// date opening one of its first three lines ("On February 14, ..."), whichever comes first;
/// else a date after "today" anywhere. Dates mentioned in passing are not taken
/// (a post about a 2018 resolution is not from 2018). A year-less date gets a
/// `year_hint` when every full date in the text has the same year.
pub fn text_date(text: &str) -> Option<TextDate> {
    let mut opening: Option<Mention> = None;
    // The whole text's mentions, found only when needed: a date after "today", or
    // the year every full date agrees on for a year-less date (a text of one line
    // has them from its head).
    let mut all: Option<Vec<Mention>> = None;
    let platform = crate::corpus::hygiene::Boilerplate::platform_shared();
    for (k, line) in lines(text)
        .filter(|l| l.chars().any(char::is_alphanumeric) && !platform.is_match(l))
        .take(HEAD_LINES)
        .enumerate()
    {
        let found = find_mentions(line);
        let decoration = decoration_end(line);
        for m in &found {
            if is_dateline(line, decoration, m) {
                return Some(TextDate {
                    year: m.year,
                    month: m.month,
                    day: m.day,
                    year_hint: None,
                });
            }
            // The headline's year-less date names the news ("... completed its
            // Presidency on July 31"), and wins over later openings ("On July 16, we held ...").
            let headline = k == 0 && m.year.is_none();
            if opening.is_none()
                && (headline || (k < OPENING_LINES && is_event_opening(line, decoration, m)))
            {
                opening = Some(*m);
            }
        }
        if line.len() == text.len() {
            all = Some(found);
        }
    }
    let chosen = match opening {
        Some(m) => m,
        None if all.is_some() || says_today(text) => *all
            .get_or_insert_with(|| find_mentions(text))
            .iter()
            .find(|m| follows_today(text, m))?,
        None => return None,
    };
    let year_hint = if chosen.year.is_some() {
        None
    } else {
        let all = all.get_or_insert_with(|| find_mentions(text));
        let years: Vec<i32> = all.iter().filter_map(|m| m.year).collect();
        match years.first() {
            Some(&y) if years.iter().all(|&x| x == y) => Some(y),
            _ => None,
        }
    };
    Some(TextDate {
        year: chosen.year,
        month: chosen.month,
        day: chosen.day,
        year_hint,
    })
}

/// A document's date and where it came from, before and after year inference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dating {
    /// Days since 1970-01-01, if known.
    pub date: Option<i32>,
    /// Where it came from.
    pub source: DateSource,
    /// Month and day known from the text, year missing; the text's year hint.
    pub partial: Option<(u32, u32, Option<i32>)>,
}

impl Dating {
    /// Dating of a document from its text alone.
    pub fn from_text(text: &str) -> Dating {
        match text_date(text) {
            Some(TextDate {
                year: Some(y),
                month,
                day,
                ..
            }) => Dating {
                date: days(y, month, day),
                source: DateSource::Text,
                partial: None,
            },
            Some(TextDate {
                year: None,
                month,
                day,
                year_hint,
            }) => Dating {
                date: None,
                source: DateSource::None,
                partial: Some((month, day, year_hint)),
            },
            None => Dating {
                date: None,
                source: DateSource::None,
                partial: None,
            },
        }
    }
}

/// Fills in the year of each document whose text gives only day and month, from
/// the nearest dated neighbour in `docs` (one chronological source, in order),
/// or, with `chronological` false or no dated neighbour, from the text's year hint.
/// Direction (oldest first or newest first) is detected from the dated documents.
/// The year is the one (the neighbour's, or one either side) that puts the date
/// closest to the neighbour's date: a "January 10" post after "December 28, 2023"
/// is from 2024, a "July 16" post after "July 31, 2024" from 2024. Inferred dates
/// get [`DateSource::Inferred`].
pub fn infer_years(docs: &mut [Dating], chronological: bool) {
    let dated: Vec<i32> = docs.iter().filter_map(|d| d.date).collect();
    let (mut up, mut down) = (0, 0);
    for w in dated.windows(2) {
        if w[1] > w[0] {
            up += 1;
        } else if w[1] < w[0] {
            down += 1;
        }
    }
    let newest_first = down > up;
    // The nearest date after each document (before it is tracked on the way): two
    // passes, however many documents are undated.
    let mut next_dated: Vec<Option<i32>> = vec![None; docs.len()];
    let mut next = None;
    for (i, d) in docs.iter().enumerate().rev() {
        next_dated[i] = next;
        next = d.date.or(next);
    }
    let mut prev: Option<i32> = None;
    for i in 0..docs.len() {
        let given = docs[i].date;
        let prev_here = prev;
        prev = given.or(prev);
        let Some((month, day, hint)) = docs[i].partial else {
            continue;
        };
        if given.is_some() {
            continue;
        }
        let (prev, next) = (prev_here, next_dated[i]);
        // `earlier`: the neighbour that should be older than this document.
        let (earlier, later) = if newest_first {
            (next, prev)
        } else {
            (prev, next)
        };
        let place = |anchor: i32| -> Option<i32> {
            let (y, _, _) = ymd(anchor);
            [y - 1, y, y + 1]
                .iter()
                .filter_map(|&yy| days(yy, month, day))
                .min_by_key(|&d| (d - anchor).abs())
        };
        let date = match (earlier, later) {
            _ if !chronological => None,
            (Some(a), _) | (None, Some(a)) => place(a),
            (None, None) => None,
        }
        .or_else(|| hint.and_then(|y| days(y, month, day)));
        if date.is_some() {
            docs[i].date = date;
            docs[i].source = DateSource::Inferred;
        }
    }
}

/// Dates documents from their own texts, in parallel: a document with a `given`
/// date keeps it ([`DateSource::Metadata`]); the others take their text's date
/// ([`text_date`]), and year-less ones a year by [`infer_years`].
pub fn date_from_texts<S: AsRef<str> + Sync>(
    texts: &[S],
    given: &[Option<i32>],
    chronological: bool,
) -> Vec<Dating> {
    date_each(texts.len(), |i| texts[i].as_ref(), given, chronological)
}

/// [`date_from_texts`] of the `n` texts `text(0)` .. `text(n - 1)` (a corpus
/// column read in place).
pub fn date_each<'a>(
    n: usize,
    text: impl Fn(usize) -> &'a str + Sync,
    given: &[Option<i32>],
    chronological: bool,
) -> Vec<Dating> {
    use rayon::prelude::*;
    let mut datings: Vec<Dating> = (0..n)
        .into_par_iter()
        .map(|i| match given.get(i).copied().flatten() {
            Some(d) => Dating {
                date: Some(d),
                source: DateSource::Metadata,
                partial: None,
            },
            None => Dating::from_text(text(i)),
        })
        .collect();
    infer_years(&mut datings, chronological);
    for d in &mut datings {
        if d.date.is_none() {
            d.source = DateSource::None;
        }
    }
    datings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Option<i32> {
        days(y, m, dd)
    }

    #[test]
    fn finds_english_and_russian_mentions() {
        let t = "(Moscow, April 29, 2023) and 14\u{a0}April\u{a0}2017; 29 апреля 2023 г., \
                 On February 14, then 2024-07-31 and 31.07.2024; may 5 is not a date";
        let m: Vec<(Option<i32>, u32, u32)> = find_mentions(t)
            .iter()
            .map(|m| (m.year, m.month, m.day))
            .collect();
        assert_eq!(
            m,
            [
                (Some(2023), 4, 29),
                (Some(2017), 4, 14),
                (Some(2023), 4, 29),
                (None, 2, 14),
                (Some(2024), 7, 31),
                (Some(2024), 7, 31)
            ]
        );
        let m = find_mentions("1 мая, 3 марта 2020 года, 15 августа");
        assert_eq!(
            m.iter().map(|m| (m.month, m.day)).collect::<Vec<_>>(),
            [(5, 1), (3, 3), (8, 15)]
        );
        assert!(find_mentions("February 30, 2023").is_empty());
        // Russian month abbreviations, as style guides and tables write them.
        let m = find_mentions("5 сент. 2023 г., 29 апр. 2023, 1 нояб. 2022, 3 фев. 2021, 7 Дек.");
        assert_eq!(
            m.iter()
                .map(|m| (m.year, m.month, m.day))
                .collect::<Vec<_>>(),
            [
                (Some(2023), 9, 5),
                (Some(2023), 4, 29),
                (Some(2022), 11, 1),
                (Some(2021), 2, 3),
                (None, 12, 7)
            ]
        );
        // A word that only begins like an abbreviation is none ("5 марок", "3 декабристов").
        assert!(find_mentions("5 марок и 3 декабристов").is_empty());
        // Only ASCII digits are numbers: a date in Arabic-Indic digits is not read as
        // a year-less 31 December (it was, and took a wrong year from the text).
        assert!(find_mentions("31.12.٢٠٢٣").is_empty());
        let m = find_mentions("May 17, ٢٠٢٣");
        assert_eq!((m[0].year, m[0].end), (None, "May 17".len()));
    }

    #[test]
    fn document_date_is_the_dateline_not_a_passing_mention() {
        let post = "🌐 Today is International Day of Multilateralism.\n\
                    On December 12, 2018, the UN General Assembly passed a resolution.\n\
                    approved on March 31, 2023, Russia intends...\n";
        // "On December 12, 2018," is history; "Today, on April 24" is the post's day.
        let post = format!("{post}⏰ Today, on April 24, FM Sergey Lavrov will speak.");
        assert_eq!(
            text_date(&post),
            Some(TextDate {
                year: None,
                month: 4,
                day: 24,
                year_hint: None
            })
        );
        let post = "Media is too big\nVIEW IN TELEGRAM\n🎙 Lavrov's address (Moscow, April 29, 2023)\nText.";
        assert_eq!(Dating::from_text(post).date, d(2023, 4, 29));
        let post =
            "🎙 Remarks at a meeting with the Global South (June 11, 2024, Nizhny Novgorod)\nText";
        assert_eq!(Dating::from_text(post).date, d(2024, 6, 11));
        let post =
            "All news\n\nTitle\nCaption\nPhoto\n© TASS\n\nMOSCOW, July 01. /ITAR-TASS/. Putin.";
        assert_eq!(Dating::from_text(post).partial, Some((7, 1, None)));
        // Seed 003 line 145: the dateline's parenthesis followed by a colon.
        let post = "✍️ Pankin in an interview with TASS Agency, (February 5, 2024):\nText";
        assert_eq!(Dating::from_text(post).date, d(2024, 2, 5));
        // Seed 002 line 67: a parenthesis closing a sentence is no dateline.
        let post = "🛡 #OTD 22 years ago, the SCO was founded.\nToday, Iran is expected to join \
                    at the upcoming summit (July 3-4, New Delhi).\nText";
        assert_eq!(Dating::from_text(post), Dating::from_text("no date"));
        let post = "Title\n📍Moscow, December 28, 2023\nText";
        assert_eq!(Dating::from_text(post).date, d(2023, 12, 28));
        let post = "Title\n\n14 April 2017\n\nForeign Minister's remarks, Moscow, April 13, 2017:";
        assert_eq!(Dating::from_text(post).date, d(2017, 4, 14));
        let post = "🗓 On February 14, Foreign Minister Sergey Lavrov took part in a session.";
        assert_eq!(Dating::from_text(post).partial, Some((2, 14, None)));
        let post = "On January 10, Lavrov spoke with Wang Yi. They met on February 5, 2024.";
        assert_eq!(Dating::from_text(post).partial, Some((1, 10, Some(2024))));
        // The seed post (001, line 122): the headline's "on July 31" wins over "On July 16".
        let post = "Forwarded from Russian MFA 🇷🇺\n🇺🇳 The Russian Federation completed its Presidency in the United Nations \
                    Security Council on July 31. Its packed agenda ...\nOn July 16, we held a debate.";
        assert_eq!(Dating::from_text(post).partial, Some((7, 31, None)));
        let post = "The West has decided. Nothing else here dated 2020 or in May.";
        assert_eq!(Dating::from_text(post).partial, None);
        assert_eq!(Dating::from_text(post).date, None);
    }

    #[test]
    fn the_windows_find_what_a_scan_of_the_whole_text_finds() {
        let ymd = |t: &str| -> Vec<(Option<i32>, u32, u32)> {
            let found = find_mentions(t);
            assert_eq!(found, mentions_in(t), "{t:?}");
            found.iter().map(|m| (m.year, m.month, m.day)).collect()
        };
        // Four tokens after the day, whitespace of every kind between them.
        assert_eq!(
            ymd("17th\u{3000}of\u{a0}May,\u{2009}2023 and 3 \u{1680}мая\n\n2020   года"),
            [(Some(2023), 5, 17), (Some(2020), 5, 3)]
        );
        // A word character glued on either side is no boundary; a zero-width space
        // is no whitespace.
        assert_eq!(ymd("кMay 17, May 17й, 5\u{200b}мая"), []);
        // Two tokens after the last digit; one before the first.
        assert_eq!(ymd("x 5 of\tMay y"), [(None, 5, 5)]);
        assert_eq!(ymd("word word May\u{a0} 10 x"), [(None, 5, 10)]);
        // Far from the text's start and from each other, one dense run of digits.
        let filler = "word ".repeat(100_000);
        let t = format!("{filler}On 1.2.2023 {filler}x 2024-07-31 5 6 7 8, May 10 {filler}");
        assert_eq!(
            ymd(&t),
            [(Some(2023), 2, 1), (Some(2024), 7, 31), (None, 5, 10)]
        );
        let b = find_mentions(&t)[1];
        assert_eq!(&t[b.start..b.end], "2024-07-31");
        // One token of the whole text, digits all through it.
        let glued = "a1".repeat(200_000) + " May 3";
        assert_eq!(ymd(&glued), [(None, 5, 3)]);
        assert_eq!(ymd(""), []);
        assert_eq!(ymd("\u{a0}\u{a0}7"), []);
    }

    #[test]
    fn a_long_text_is_dated_by_today_and_year_hints_far_from_its_head() {
        let filler = "The talks went on. ".repeat(50_000);
        let post = format!("Headline\n{filler}\nTODAY, on April 24, the minister spoke.");
        assert_eq!(
            text_date(&post),
            Some(TextDate {
                year: None,
                month: 4,
                day: 24,
                year_hint: None
            })
        );
        let post = format!("On January 10, talks.\n{filler} They met on February 5, 2024.");
        assert_eq!(Dating::from_text(&post).partial, Some((1, 10, Some(2024))));
        // One line of 50,000 full dates (none a dateline or an opening): each mention
        // is judged by the characters around it, not by the line before it (which was
        // lowercased per mention: 1.5e10 bytes here).
        let line = "May 5, 2023 ".repeat(50_000);
        assert_eq!(text_date(&line), None);
        let line = format!(
            "🗓 {}(Moscow, 5 мая 2023 г.)",
            "5 мая 2023 г., ".repeat(30_000)
        );
        assert_eq!(Dating::from_text(&line).date, d(2023, 5, 5));
        // "today" is a cue only right before the date.
        let post = format!("Headline\nToday {filler} April 24 was a Monday.");
        assert_eq!(text_date(&post), None);
    }

    #[test]
    fn years_are_inferred_in_one_pass_however_many_documents_lack_them() {
        // 300,000 year-less posts before one dated post: each takes its year from
        // that post (a scan per document to its nearest neighbour would take
        // 4.5e10 steps).
        let n = 300_000;
        let mut v: Vec<Dating> = (0..n)
            .map(|_| Dating {
                date: None,
                source: DateSource::None,
                partial: Some((1, 10, None)),
            })
            .collect();
        v.push(Dating {
            date: d(2024, 1, 5),
            source: DateSource::Text,
            partial: None,
        });
        infer_years(&mut v, true);
        assert!(v[..n]
            .iter()
            .all(|x| x.date == d(2024, 1, 10) && x.source == DateSource::Inferred));
        // With neighbours on both sides, the earlier one anchors: a dated post first.
        v[0] = Dating {
            date: d(2022, 12, 30),
            source: DateSource::Text,
            partial: None,
        };
        for x in &mut v[1..n] {
            x.date = None;
        }
        infer_years(&mut v, true);
        assert!(v[1..n].iter().all(|x| x.date == d(2023, 1, 10)));
    }

    #[test]
    fn lines_end_as_the_standard_library_ends_them() {
        for t in [
            "",
            "a",
            "a\n",
            "a\r\nb",
            "a\rb\r",
            "\n\n",
            "a\r\n\r\n",
            "x\r",
            "é\n\u{85}",
        ] {
            assert_eq!(
                lines(t).collect::<Vec<_>>(),
                t.lines().collect::<Vec<_>>(),
                "{t:?}"
            );
        }
    }

    #[test]
    fn infers_years_from_neighbours() {
        let text = |date: Option<i32>| Dating {
            date,
            source: if date.is_some() {
                DateSource::Text
            } else {
                DateSource::None
            },
            partial: None,
        };
        let partial = |m, dd| Dating {
            date: None,
            source: DateSource::None,
            partial: Some((m, dd, None)),
        };
        let mut v = vec![
            text(d(2023, 12, 28)),
            partial(1, 10),
            text(d(2024, 2, 9)),
            partial(2, 14),
            text(None),
        ];
        infer_years(&mut v, true);
        assert_eq!(v[1].date, d(2024, 1, 10));
        assert_eq!(v[1].source, DateSource::Inferred);
        let mut w = vec![text(d(2024, 7, 31)), partial(7, 16)];
        infer_years(&mut w, true);
        assert_eq!(w[1].date, d(2024, 7, 16));
        assert_eq!(v[3].date, d(2024, 2, 14));
        assert_eq!(v[4].date, None);
        // No earlier neighbour: the later one anchors, moving back a year if needed.
        let mut v = vec![partial(12, 30), text(d(2024, 1, 5))];
        infer_years(&mut v, true);
        assert_eq!(v[0].date, d(2023, 12, 30));
        // Newest first.
        let mut v = vec![
            text(d(2024, 1, 20)),
            partial(1, 10),
            text(d(2023, 12, 1)),
            text(d(2023, 11, 1)),
        ];
        infer_years(&mut v, true);
        assert_eq!(v[1].date, d(2024, 1, 10));
        // Not chronological: only the text's own year hint.
        let mut v = vec![
            text(d(2020, 1, 1)),
            Dating {
                partial: Some((3, 1, Some(2022))),
                ..partial(3, 1)
            },
            partial(3, 2),
        ];
        infer_years(&mut v, false);
        assert_eq!((v[1].date, v[2].date), (d(2022, 3, 1), None));
    }
}
