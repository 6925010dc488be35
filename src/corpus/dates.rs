//! Dates: parsing metadata values, finding date mentions in English and Russian
//! text, choosing a document's own date, and inferring missing years from
//! neighbouring documents of a chronological source.
//!
//! Dates are days since 1970-01-01 (`i32`). Finding mentions is one pass of a few
//! regexes over the text; choosing a date looks only at the document's head.

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
const RU_MONTHS: [&str; 12] = [
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
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
        let ru = "(январ[яье]|феврал[яье]|марта?|марте|апрел[яье]|ма[яйе]|июн[яье]|июл[яье]|августа?|августе|сентябр[яье]|октябр[яье]|ноябр[яье]|декабр[яье])";
        let build = |s: String| Regex::new(&s).expect("date pattern compiles");
        Patterns {
            month_day: build(format!(
                r"\b({m})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}})\b)?"
            )),
            day_month: build(format!(
                r"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({m})(?:\b|\s)(?:,?\s*(\d{{4}})\b)?"
            )),
            russian: build(format!(
                r"(?i)\b(\d{{1,2}})\s+{ru}\b(?:\s+(\d{{4}})(?:\s*(?:г\.|года\b|год\b))?)?"
            )),
            iso: build(r"\b(\d{4})-(\d{2})-(\d{2})\b".into()),
            dotted: build(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b".into()),
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
    // "ма" (May) is a prefix of "март" (March): test longer stems first.
    let mut best = (0, 0);
    for (i, stem) in RU_MONTHS.iter().enumerate() {
        if n.starts_with(stem) && stem.len() > best.1 {
            best = (i as u32 + 1, stem.len());
        }
    }
    best.0
}

fn plausible(year: Option<i32>, month: u32, day: u32) -> bool {
    let max = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=max).contains(&day)
        && year.map_or(true, |y| {
            (1000..=2999).contains(&y) && days(y, month, day).is_some()
        })
}

/// All date mentions in `text`, in order of position, without overlaps.
pub fn find_mentions(text: &str) -> Vec<Mention> {
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
        if kept.last().map_or(true, |k| m.start >= k.end) {
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

fn strip_decoration(line: &str) -> &str {
    line.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(')
        .trim()
}

/// Whether the mention `m` on `line` is a dateline: the line is only the date
/// (optionally after a place, "📍Moscow, December 28, 2023"), the date closes the
/// line in parentheses ("(Moscow, April 29, 2023)"), or opens a news dateline
/// ("MOSCOW, July 01. /ITAR-TASS/").
fn is_dateline(line: &str, m: &Mention) -> bool {
    let before = line[..m.start].trim_end();
    let after = line[m.end..].trim();
    let core = strip_decoration(before);
    let place = core
        .trim_end_matches(',')
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '.')
        && core.chars().count() <= 40;
    // "(Moscow, April 29, 2023)" or "(June 11, 2024, Nizhny Novgorod)" closing the line.
    let closes_paren = after
        .trim_end_matches(':')
        .strip_suffix(')')
        .map(|inner| {
            let inner = inner.trim_start_matches(',').trim();
            inner.is_empty() || (inner.chars().count() <= 40 && !inner.contains(['(', ')']))
        })
        .unwrap_or(false);
    (place && (after.is_empty() || after.starts_with(". /") || after == "."))
        || (closes_paren && before.rfind('(') > before.rfind(')'))
}

/// Whether `m`, a date without a year, names the event at the opening of a line:
/// "On February 14, ...", "🗓 February 14 — ...". A full date after "On" is usually
/// history ("On December 12, 2018, the General Assembly ..."), so only year-less ones count.
fn is_event_opening(line: &str, m: &Mention) -> bool {
    let before = strip_decoration(&line[..m.start]).trim().to_lowercase();
    m.year.is_none() && matches!(before.as_str(), "" | "on" | "в" | "сегодня,")
}

/// Whether `m` follows "today": "Today, on April 24", "Today, April 24", "Сегодня, 24 апреля".
fn follows_today(text: &str, m: &Mention) -> bool {
    let before = text[..m.start].trim_end().to_lowercase();
    ["today, on", "today,", "today", "сегодня,", "сегодня"]
        .iter()
        .any(|t| before.ends_with(t))
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
    let platform = crate::corpus::hygiene::Boilerplate::platform_shared();
    for (k, line) in text
        .lines()
        .filter(|l| l.chars().any(char::is_alphanumeric) && !platform.is_match(l))
        .take(HEAD_LINES)
        .enumerate()
    {
        for m in &find_mentions(line) {
            if is_dateline(line, m) {
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
            if opening.is_none() && (headline || (k < OPENING_LINES && is_event_opening(line, m))) {
                opening = Some(*m);
            }
        }
    }
    let all = find_mentions(text);
    let chosen = opening.or_else(|| all.iter().find(|m| follows_today(text, m)).copied())?;
    let years: Vec<i32> = all.iter().filter_map(|m| m.year).collect();
    let year_hint = match years.first() {
        Some(&y) if chosen.year.is_none() && years.iter().all(|&x| x == y) => Some(y),
        _ => None,
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
    let known: Vec<Option<i32>> = docs.iter().map(|d| d.date).collect();
    for i in 0..docs.len() {
        let Some((month, day, hint)) = docs[i].partial else {
            continue;
        };
        if docs[i].date.is_some() {
            continue;
        }
        let prev = known[..i].iter().rev().flatten().next().copied();
        let next = known[i + 1..].iter().flatten().next().copied();
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
    use rayon::prelude::*;
    let mut datings: Vec<Dating> = texts
        .par_iter()
        .enumerate()
        .map(|(i, t)| match given.get(i).copied().flatten() {
            Some(d) => Dating {
                date: Some(d),
                source: DateSource::Metadata,
                partial: None,
            },
            None => Dating::from_text(t.as_ref()),
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
