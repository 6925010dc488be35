//! Fixtures shared by the integration tests: the pieces random texts are built from
//! (date-like pieces and the furniture of scraped posts) and the invariants every
//! date found in any text must keep.

#![allow(dead_code)] // each test file uses some of these

use framescope::corpus::date_values::{parse_value, DateRules, DateValue};
use framescope::corpus::dates::{find_mentions, mentions_in, text_date, Dating};

/// Pieces of dates as they occur in scraped posts, and near misses.
pub const DATE_PIECES: &[&str] = &[
    "April",
    "29",
    ",",
    " ",
    "2023",
    "(Moscow, ",
    ")",
    "\n",
    "📍",
    "On ",
    "Today, on ",
    "мая",
    "апреля",
    "г.",
    "31.12.",
    "1999-",
    "02-30",
    "September",
    "Sept.",
    "0",
    "99999999999",
    "-",
    "/",
    "T",
    "12:00",
    "+03:00",
    "Z",
    "1",
    "13",
    "00",
    "9999",
    "0001",
    "февраля",
    "сент.",
    "нояб. ",
    "5 фев. 2023 г.",
    "2023-04",
    "04.2023",
    "апрель 2023",
    "29 февраля 2023",
    "February 29, 2024",
    "December 31,",
    "Ⅻ",
    "٢٠٢٣",
    "２０２３",
    // Around the windows `find_mentions` scans: whitespace of every width (and a
    // zero-width space, which is none), letters glued to dates, "of", ordinals.
    "\u{a0}",
    "\u{2009}",
    "\u{3000}",
    "\u{85}",
    "\u{200b}",
    "\u{1680}",
    "of ",
    "th",
    "May",
    "кMay",
    "Мая",
    "года",
    "x",
];

/// Furniture of scraped posts: platform lines, ellipses, look-alike letters,
/// combining marks and joiners, flags, line ends, hashtags, and the two letters
/// whose lowercase depends on context.
pub const SCRAPED_PIECES: &[&str] = &[
    "Read in full",
    "Forwarded from X",
    "…",
    "...",
    "Сooperation",
    "é",
    "\u{301}",
    "\u{200d}",
    "🇷🇺",
    "\r\n",
    "#BRICS",
    "The collective West",
    "  ",
    "\t",
    "İ",
    "Σ",
];

/// Dating `s` never panics, every date found is a real date at char boundaries, and
/// the windows `find_mentions` scans find what a scan of the whole text finds.
pub fn check_dates(s: &str) {
    for day_first in [None, Some(true), Some(false)] {
        let rules = DateRules {
            day_first,
            ..DateRules::default()
        };
        if let Ok(Some(d)) = parse_value(DateValue::Text(s), &rules) {
            assert!(
                rules.range.contains(d),
                "{d} outside the plausible range in {s:?}"
            );
        }
    }
    let found = find_mentions(s);
    assert_eq!(
        found,
        mentions_in(s),
        "the windows missed or changed a mention in {s:?}"
    );
    for m in found {
        assert!(m.start < m.end && m.end <= s.len(), "{s:?}");
        assert!(
            s.is_char_boundary(m.start) && s.is_char_boundary(m.end),
            "{s:?}"
        );
        assert!(
            (1..=12).contains(&m.month) && (1..=31).contains(&m.day),
            "{s:?}"
        );
    }
    if let Some(td) = text_date(s) {
        assert!(
            (1..=12).contains(&td.month) && (1..=31).contains(&td.day),
            "{s:?}"
        );
    }
    let _ = Dating::from_text(s);
}
