//! Fixtures shared by the integration tests: the pieces random texts are built from
//! (date-like pieces and the furniture of scraped posts) and the invariants every
//! date found in any text must keep.

#![allow(dead_code)] // each test file uses some of these

use framescope::corpus::date_values::{parse_value, DateRange, DateValue};
use framescope::corpus::dates::{find_mentions, text_date, Dating};

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
    "29 февраля 2023",
    "February 29, 2024",
    "December 31,",
    "Ⅻ",
    "٢٠٢٣",
    "２０２３",
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

/// Dating `s` never panics, and every date found is a real date at char boundaries.
pub fn check_dates(s: &str) {
    let range = DateRange::plausible();
    if let Ok(Some(d)) = parse_value(DateValue::Text(s), &range) {
        assert!(
            range.contains(d),
            "{d} outside the plausible range in {s:?}"
        );
    }
    for m in find_mentions(s) {
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
