//! Dates given as values (a JSONL field, a CSV cell, a Telegram `date`, a Python
//! object passed to `from_texts`): the one parser every entry point uses, so the
//! same value gives the same date everywhere.
//!
//! Rules, in order:
//! - text: blank is missing; ISO 8601 (`2023-04-29`, `2023-04-29T10:00:00+03:00`:
//!   the local calendar date counts), day-first dotted `29.04.2023`, `2023/04/29`,
//!   full English or Russian dates ("April 29, 2023", "29 апреля 2023 г."), also with
//!   a weekday before them or a time of day and zone after them, as scraped pages write
//!   them ("Saturday, April 29, 2023", "29 апреля 2023, 15:30 МСК"); Excel's
//!   `29-Apr-2023`;
//! - a numeric date with the year last and `/` or `-` between (`29/04/2023`,
//!   `4/29/2023 15:30`, `29-04-2023`: what Excel writes into a CSV) is read with the
//!   day first or the month first as [`DateRules::day_first`] says; without it, only
//!   where the value itself tells (a first part over 12 is a day, a second part over
//!   12 is a day): "04/05/2023" is then [`DateProblem::AmbiguousOrder`], never guessed;
//! - a month ("2023-04", "04.2023", "4/2023", "April 2023", "апрель 2023 г.",
//!   "сент. 2023") is its first day, as a year is 1 January;
//!   a string of digits is read as the number it spells;
//! - a number 1000..=9999 is a year (1 January);
//! - an 8-digit number that is a valid `YYYYMMDD` is that day (GDELT, compact ISO), a
//!   14-digit valid `YYYYMMDDHHMMSS` that day too (GDELT's `DATEADDED`, GKG `DATE`);
//! - any other number of magnitude 1e8 or more is a Unix time whose unit is told by
//!   its magnitude: below 1e11 seconds, below 1e14 milliseconds, below 1e17
//!   microseconds, else nanoseconds (pandas' `to_json` writes milliseconds, `int64`
//!   datetimes are ns); each unit reads so from 1973-03-03 on;
//! - a smaller number is no date ([`DateProblem::NotAYearOrTime`]): as a Unix time its
//!   unit cannot be told (and 0 or -1, a missing-value sentinel, or 45,000, an Excel
//!   serial day, would silently become 1970-01-01), and a year has no fraction (2024.5);
//! - every date must fall in a plausible [`DateRange`] (default 1000-01-01 to one
//!   year after today); one outside is a [`DateProblem`], never used silently.
//!
//! Cost: a few comparisons per value; text goes through `chrono` and, for written
//! dates, the mention regexes.

use std::fmt;
use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::corpus::dates::{days, find_mentions, month_named, ymd};
use crate::error::{invalid, Result};

/// A date value as it arrives, before parsing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DateValue<'a> {
    /// Missing (null, None, NaN, NaT, empty).
    Missing,
    /// An integer: a year, `YYYYMMDD`, or a Unix time in s/ms/us/ns.
    Int(i64),
    /// A float: as an integer when integral (pandas turns int columns with gaps into floats).
    Float(f64),
    /// Text, parsed by the rules in the module doc.
    Text(&'a str),
    /// An already calendar date (a `datetime`, `date` or `datetime64`): days since 1970-01-01.
    Days(i64),
}

/// The unit of a Unix time, told from its magnitude.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpochUnit {
    /// Seconds (|v| < 1e11: up to year 5138).
    Seconds,
    /// Milliseconds (|v| < 1e14).
    Milliseconds,
    /// Microseconds (|v| < 1e17).
    Microseconds,
    /// Nanoseconds.
    Nanoseconds,
}

impl EpochUnit {
    /// The unit a Unix time of this magnitude is written in.
    pub fn of(v: f64) -> EpochUnit {
        let a = v.abs();
        if a < 1e11 {
            EpochUnit::Seconds
        } else if a < 1e14 {
            EpochUnit::Milliseconds
        } else if a < 1e17 {
            EpochUnit::Microseconds
        } else {
            EpochUnit::Nanoseconds
        }
    }

    /// How many of this unit make one day.
    pub fn per_day(self) -> i64 {
        match self {
            EpochUnit::Seconds => 86_400,
            EpochUnit::Milliseconds => 86_400_000,
            EpochUnit::Microseconds => 86_400_000_000,
            EpochUnit::Nanoseconds => 86_400_000_000_000,
        }
    }

    /// Name used in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            EpochUnit::Seconds => "seconds",
            EpochUnit::Milliseconds => "milliseconds",
            EpochUnit::Microseconds => "microseconds",
            EpochUnit::Nanoseconds => "nanoseconds",
        }
    }
}

/// The dates accepted as plausible, inclusive, in days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// First day accepted.
    pub min: i32,
    /// Last day accepted.
    pub max: i32,
}

/// Days since 1970-01-01 of today (UTC).
pub fn today() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (secs / 86_400) as i32
}

impl DateRange {
    /// The default: 1000-01-01 to one year after today.
    pub fn plausible() -> DateRange {
        DateRange {
            min: days(1000, 1, 1).expect("valid date"),
            max: today() + 366,
        }
    }

    /// From optional bounds (days); a missing bound keeps the default's.
    pub fn new(min: Option<i32>, max: Option<i32>) -> Result<DateRange> {
        let d = DateRange::plausible();
        let r = DateRange {
            min: min.unwrap_or(d.min),
            max: max.unwrap_or(d.max),
        };
        if r.min > r.max {
            return Err(invalid(format!(
                "date_range: {} is after {}",
                iso(r.min),
                iso(r.max)
            )));
        }
        Ok(r)
    }

    /// Whether `day` is in the range.
    pub fn contains(&self, day: i32) -> bool {
        (self.min..=self.max).contains(&day)
    }
}

impl Default for DateRange {
    fn default() -> Self {
        DateRange::plausible()
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", iso(self.min), iso(self.max))
    }
}

/// `YYYY-MM-DD` of days since 1970-01-01.
pub fn iso(day: i32) -> String {
    let (y, m, d) = ymd(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// What to do with a date value that is not a date or is outside the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BadDates {
    /// Stop with an error naming the record.
    #[default]
    Raise,
    /// Leave the document undated and report it.
    Undated,
}

crate::choices!(BadDates, "bad_dates", ["raise" => BadDates::Raise, "undated" => BadDates::Undated]);

/// How dates given as values are checked: the plausible range and what to do otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateRules {
    /// Plausible dates.
    pub range: DateRange,
    /// Values that are not dates, or are outside `range`.
    pub on_bad: BadDates,
    /// In numeric dates with the year last ("04/05/2023"): `Some(true)` the day comes
    /// first, `Some(false)` the month; `None` reads only values that tell by
    /// themselves.
    pub day_first: Option<bool>,
}

/// Why a value gave no date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateProblem {
    /// The value is not a date by any rule.
    NotADate {
        /// The value as written.
        value: String,
    },
    /// A number too small for a Unix time (magnitude below 1e8) that is no year and
    /// no `YYYYMMDD` day.
    NotAYearOrTime {
        /// The value as written.
        value: String,
    },
    /// A numeric date whose first two parts may each be the day ("04/05/2023"), with
    /// no [`DateRules::day_first`] to tell.
    AmbiguousOrder {
        /// The value as written.
        value: String,
        /// The date read with the day first.
        day_first: String,
        /// The date read with the month first.
        month_first: String,
    },
    /// A numeric date that is no date in the order [`DateRules::day_first`] gives
    /// ("4/29/2023" with the day first).
    NotInOrder {
        /// The value as written.
        value: String,
        /// The order asked for.
        day_first: bool,
    },
    /// A date whose year has two digits ("29.04.23", "4/29/23", "29-Apr-23"): its
    /// century is not guessed (chrono's `%Y` read it as the year 23, outside the range,
    /// and the advice to widen the range led to dates in the first century).
    TwoDigitYear {
        /// The value as written.
        value: String,
    },
    /// The value is a date, but outside the plausible range.
    OutOfRange {
        /// The value as written.
        value: String,
        /// How it was read ("Unix time in milliseconds", "a year").
        read_as: &'static str,
        /// The date it gives (`YYYY-MM-DD`, or a year beyond the calendar).
        date: String,
        /// The range.
        range: DateRange,
    },
}

impl fmt::Display for DateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateProblem::NotADate { value } => write!(
                f,
                "{value} is not a date (expected e.g. 2023-04-29, 29.04.2023, \
                 April 29, 2023, a month such as 2023-04, a year or a Unix time)"
            ),
            DateProblem::NotAYearOrTime { value } => write!(
                f,
                "{value} is not a date: no year (1000-9999), no YYYYMMDD day, and too \
                 small for a Unix time (from 1e8: 1973-03-03 in seconds; below that, 0 \
                 or -1 may mean missing and the unit cannot be told). An Excel serial \
                 day? Convert it first, e.g. pandas.to_datetime(x, unit=\"D\", \
                 origin=\"1899-12-30\")"
            ),
            DateProblem::AmbiguousOrder {
                value,
                day_first,
                month_first,
            } => write!(
                f,
                "{value} is {day_first} with the day first or {month_first} with the month \
                 first: pass dayfirst=True (day/month/year, as most countries write \
                 dates) or dayfirst=False (month/day/year, as the United States do)"
            ),
            DateProblem::NotInOrder { value, day_first } => {
                let (order, flag) = if *day_first {
                    ("day/month/year", "True")
                } else {
                    ("month/day/year", "False")
                };
                write!(
                    f,
                    "{value} is not a date read as {order} (dayfirst={flag}); is the \
                     column written in the other order?"
                )
            }
            DateProblem::TwoDigitYear { value } => write!(
                f,
                "{value} has a two-digit year, whose century is not guessed: write the \
                 years in full, e.g. pandas.to_datetime(column, format=\"%d.%m.%y\") \
                 (the format as written; %y reads 00-68 as 2000-2068, 69-99 as 1969-1999)"
            ),
            DateProblem::OutOfRange {
                value,
                read_as,
                date,
                range,
            } => {
                if *read_as == "a date" {
                    write!(f, "{value} is outside the plausible range {range}")?;
                } else {
                    write!(
                        f,
                        "{value} read as {read_as} is {date}, outside the plausible range {range}"
                    )?;
                }
                write!(
                    f,
                    " (widen it with date_range=, or pass bad_dates=\"undated\")"
                )
            }
        }
    }
}

fn read_as_epoch(unit: EpochUnit) -> &'static str {
    match unit {
        EpochUnit::Seconds => "Unix time in seconds",
        EpochUnit::Milliseconds => "Unix time in milliseconds",
        EpochUnit::Microseconds => "Unix time in microseconds",
        EpochUnit::Nanoseconds => "Unix time in nanoseconds",
    }
}

/// Parses a written date (no numbers-only strings): ISO, dotted day-first,
/// slashed year-first, or a full English/Russian date.
fn parse_written(v: &str) -> Option<i32> {
    let head = v.get(..10).unwrap_or(v);
    for fmt in ["%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d", "%Y.%m.%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(head, fmt) {
            let rest = &v[head.len()..];
            if rest.is_empty() || rest.starts_with(['T', ' ', 't']) {
                return days(
                    chrono::Datelike::year(&d),
                    chrono::Datelike::month(&d),
                    chrono::Datelike::day(&d),
                );
            }
        }
    }
    // Excel's and Oracle's day-month-year with an English month abbreviation
    // ("29-Apr-2023", "29-APR-2023 15:30"); a two-digit year is not guessed.
    let date_part = v.split([' ', 'T']).next().unwrap_or(v);
    let four_digit_year = date_part.rsplit('-').next().is_some_and(|y| y.len() == 4);
    if let Some(d) = four_digit_year
        .then(|| NaiveDate::parse_from_str(date_part, "%d-%b-%Y").ok())
        .flatten()
    {
        if date_part.len() == v.len() || surrounds_a_date("", &v[date_part.len()..]) {
            return days(
                chrono::Datelike::year(&d),
                chrono::Datelike::month(&d),
                chrono::Datelike::day(&d),
            );
        }
    }
    let m = find_mentions(v);
    match m.as_slice() {
        [one]
            if one.year.is_some()
                && (one.end - one.start + 2 >= v.len()
                    || surrounds_a_date(&v[..one.start], &v[one.end..])) =>
        {
            one.days()
        }
        [] => first_of_month(v),
        _ => None,
    }
}

/// The first day of the month `v` names with its year ("2023-04", "04.2023", "4/2023",
/// "April 2023", "Apr. 2023", "апрель 2023 г.", "сент. 2023"), else `None`.
fn first_of_month(v: &str) -> Option<i32> {
    static P: OnceLock<(Regex, Regex, Regex)> = OnceLock::new();
    let (year_first, month_first, written) = P.get_or_init(|| {
        (
            Regex::new(r"^([0-9]{4})[-/]([0-9]{1,2})$").expect("a valid pattern"),
            Regex::new(r"^([0-9]{1,2})[./]([0-9]{4})$").expect("a valid pattern"),
            Regex::new(r"(?i)^(\p{L}+)\.?,?\s+([0-9]{4})(?:\s*(?:г\.?|года))?\.?$")
                .expect("a valid pattern"),
        )
    });
    let (year, month) = if let Some(c) = year_first.captures(v) {
        (c[1].parse().ok()?, c[2].parse().ok()?)
    } else if let Some(c) = month_first.captures(v) {
        (c[2].parse().ok()?, c[1].parse().ok()?)
    } else {
        let c = written.captures(v)?;
        (c[2].parse().ok()?, month_named(&c[1])?)
    };
    days(year, month, 1)
}

/// A numeric date with the year last and `/` or `-` between ("29/04/2023", "4/29/2023",
/// "29-04-2023 15:30"), as Excel writes dates into a CSV: `None` if `v` has not this
/// shape; else its day read in the order `day_first` gives, or (without one) in the
/// only order that makes a date, or the problem (naming the value as `shown` gives it).
fn numeric_year_last(
    v: &str,
    day_first: Option<bool>,
    shown: impl FnOnce() -> String,
) -> Option<std::result::Result<i32, DateProblem>> {
    // One or two digits, then the separator: anything else (ISO's four digits) is
    // turned away before the pattern runs.
    let b = v.as_bytes();
    let digits = b.iter().take(3).take_while(|c| c.is_ascii_digit()).count();
    if !matches!(digits, 1 | 2) || !matches!(b.get(digits), Some(b'/' | b'-')) {
        return None;
    }
    static P: OnceLock<Regex> = OnceLock::new();
    let p = P.get_or_init(|| {
        Regex::new(r"^([0-9]{1,2})([/-])([0-9]{1,2})([/-])([0-9]{4})").expect("a valid pattern")
    });
    let c = p.captures(v)?;
    let whole = c.get(0)?;
    if c[2] != c[4] || !(whole.end() == v.len() || surrounds_a_date("", &v[whole.end()..])) {
        return None;
    }
    let (a, b): (u32, u32) = (c[1].parse().ok()?, c[3].parse().ok()?);
    let year: i32 = c[5].parse().ok()?;
    let dmy = days(year, b, a);
    let mdy = days(year, a, b);
    Some(match (dmy, mdy, day_first) {
        (None, None, _) => Err(DateProblem::NotADate { value: shown() }),
        (Some(d), Some(m), _) if d == m => Ok(d),
        (Some(d), _, Some(true)) | (Some(d), None, None) => Ok(d),
        (_, Some(m), Some(false)) | (None, Some(m), None) => Ok(m),
        (Some(d), Some(m), None) => Err(DateProblem::AmbiguousOrder {
            value: shown(),
            day_first: iso(d),
            month_first: iso(m),
        }),
        (None, Some(_), Some(day_first)) | (Some(_), None, Some(day_first)) => {
            Err(DateProblem::NotInOrder {
                value: shown(),
                day_first,
            })
        }
    })
}

/// Whether `before` and `after` are what a date field may hold around a written date: a
/// weekday before it; "г." or "года", a time of day and a zone after it, as scraped
/// pages write them ("Saturday, April 29, 2023", "29 апреля 2023, 15:30", "April 29,
/// 2023, 3:30 PM (MSK)"). Anything else (another date, words) leaves the value no date.
fn surrounds_a_date(before: &str, after: &str) -> bool {
    static P: OnceLock<(Regex, Regex)> = OnceLock::new();
    let (b, a) = P.get_or_init(|| {
        let weekday = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье";
        let before = format!(r"(?i)^[\s,]*(?:{weekday})?[\s,]*$");
        let after = r"(?i)^[\s,.]*(?:г\.?|года)?[\s,]*(?:(?:at|в)\s+)?(?:\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\.?)?)?\s*(?:\(?(?:msk|мск|utc|gmt|[+-]\d{2}(?::?\d{2})?)\)?)?[\s.]*$";
        (
            Regex::new(&before).expect("a valid pattern"),
            Regex::new(after).expect("a valid pattern"),
        )
    });
    b.is_match(before) && a.is_match(after)
}

/// The smallest magnitude read as a Unix time: 1973-03-03 in seconds, milliseconds,
/// microseconds or nanoseconds alike, so the unit told by the magnitude is right.
pub const MIN_UNIX_TIME: f64 = 1e8;

/// A number's date and how it was read: a year, `YYYYMMDD`, or a Unix time; the date
/// is `None` when beyond any calendar date (reported as out of range). `None` when the
/// number is none of these (below [`MIN_UNIX_TIME`]).
fn number_date(v: f64) -> Option<(Option<i64>, &'static str)> {
    if v.fract() == 0.0 {
        if (1000.0..=9999.0).contains(&v) {
            return Some((days(v as i32, 1, 1).map(i64::from), "a year"));
        }
        if (10_000_101.0..=99_991_231.0).contains(&v) {
            let n = v as i64;
            if let Some(d) = days(
                (n / 10_000) as i32,
                (n / 100 % 100) as u32,
                (n % 100) as u32,
            ) {
                return Some((Some(i64::from(d)), "YYYYMMDD"));
            }
        }
        if (10_000_101_000_000.0..=99_991_231_235_959.0).contains(&v) {
            if let Some(d) = compact_date_time(v as i64) {
                return Some((Some(i64::from(d)), "YYYYMMDDHHMMSS"));
            }
        }
    }
    if v.abs() < MIN_UNIX_TIME {
        return None;
    }
    let unit = EpochUnit::of(v);
    let d = (v / unit.per_day() as f64).floor();
    let d = (d.abs() < 1e12).then_some(d as i64);
    Some((d, read_as_epoch(unit)))
}

/// The day of a valid `YYYYMMDDHHMMSS` (GDELT's `DATEADDED` and GKG `DATE`), else `None`.
/// As a Unix time such a number would be milliseconds of the years 2286-5138.
fn compact_date_time(n: i64) -> Option<i32> {
    let (date, time) = (n / 1_000_000, n % 1_000_000);
    let (h, m, sec) = (time / 10_000, time / 100 % 100, time % 100);
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    days(
        (date / 10_000) as i32,
        (date / 100 % 100) as u32,
        (date % 100) as u32,
    )
}

/// The same for an integer, exactly (nanosecond times exceed f64's integers).
fn int_date(v: i64) -> Option<(Option<i64>, &'static str)> {
    if (1000..=9999).contains(&v)
        || (10_000_101..=99_991_231).contains(&v)
        || (10_000_101_000_000..=99_991_231_235_959).contains(&v)
    {
        if let Some((Some(d), how)) = number_date(v as f64) {
            return Some((Some(d), how));
        }
    }
    if (v as f64).abs() < MIN_UNIX_TIME {
        return None;
    }
    let unit = EpochUnit::of(v as f64);
    Some((Some(v.div_euclid(unit.per_day())), read_as_epoch(unit)))
}

fn describe_day(d: i64) -> String {
    match i32::try_from(d) {
        Ok(d) if days(-262_000, 1, 1).is_some_and(|lo| d > lo) => iso(d),
        _ => format!("{d} days from 1970-01-01"),
    }
}

/// Whether `v` is a numeric date (or one with a month's name between, "29-Apr-23")
/// whose year has two digits: three parts of one or two digits ("29.04.23", "4/29/23",
/// "23-04-29"), alone or before a time of day.
fn two_digit_year(v: &str) -> bool {
    // One or two digits, then a separator: ISO dates, numbers and words turn away here.
    let b = v.as_bytes();
    let digits = b.iter().take(3).take_while(|c| c.is_ascii_digit()).count();
    if !matches!(digits, 1 | 2)
        || !matches!(b.get(digits), Some(b'.' | b'/' | b'-' | b' '))
        || b.len() > 40
    {
        return false;
    }
    static P: OnceLock<Regex> = OnceLock::new();
    let p = P.get_or_init(|| {
        Regex::new(
            r"^(?:[0-9]{1,2}([./-])[0-9]{1,2}([./-])[0-9]{2}|[0-9]{1,2}([ -])\p{L}{3,9}\.?([ -])[0-9]{2})(?:$|[ T,])",
        )
        .expect("a valid pattern")
    });
    p.captures(v).is_some_and(|c| {
        let same =
            |a: usize, b: usize| c.get(a).map(|m| m.as_str()) == c.get(b).map(|m| m.as_str());
        let date = c
            .get(0)
            .map_or("", |m| m.as_str().trim_end_matches([' ', 'T', ',']));
        same(1, 2)
            && same(3, 4)
            && (date.len() == v.len()
                || surrounds_a_date("", &v[date.len()..])
                || v[date.len()..].starts_with('T'))
    })
}

/// The `YYYYMMDD` of ISO 8601's basic date-time ("20230429T103000", "...Z",
/// "...+0300"), else `None`.
fn iso_basic_day(v: &str) -> Option<&str> {
    let b = v.as_bytes();
    let time = b.get(9..)?;
    let digits = time.iter().take_while(|c| c.is_ascii_digit()).count();
    let zone = &time[digits..];
    let zone_ok = zone.is_empty()
        || zone == b"Z"
        || (matches!(zone[0], b'+' | b'-')
            && matches!(zone.len(), 3 | 5 | 6)
            && zone[1..].iter().all(|c| c.is_ascii_digit() || *c == b':'));
    (b[..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'T'
        && matches!(digits, 2 | 4 | 6)
        && zone_ok)
        .then(|| &v[..8])
}

/// Parses one date value: `Ok(None)` when missing, the day when it is a plausible
/// date (`rules.range`), else the problem. See the module doc for the rules.
pub fn parse_value(
    v: DateValue<'_>,
    rules: &DateRules,
) -> std::result::Result<Option<i32>, DateProblem> {
    let range = &rules.range;
    let shown = |v: &DateValue<'_>| match v {
        DateValue::Int(i) => i.to_string(),
        DateValue::Float(f) => f.to_string(),
        DateValue::Text(s) => format!("{:?}", s.trim()),
        DateValue::Days(d) => describe_day(*d),
        DateValue::Missing => String::new(),
    };
    let reading: Option<(Option<i64>, &'static str)> = match v {
        DateValue::Missing => return Ok(None),
        DateValue::Float(f) if f.is_nan() => return Ok(None),
        DateValue::Float(f) if f.is_infinite() => {
            return Err(DateProblem::NotADate { value: shown(&v) })
        }
        DateValue::Float(f) if f.fract() == 0.0 && f.abs() < 9e15 => int_date(f as i64),
        DateValue::Float(f) => number_date(f),
        DateValue::Int(i) => int_date(i),
        DateValue::Days(d) => Some((Some(d), "a date")),
        DateValue::Text(s) => {
            let t = s.trim();
            // Blank, or what pandas writes for a missing value when made a string.
            if t.is_empty() || matches!(t, "NaT" | "nan" | "NaN" | "None") {
                return Ok(None);
            }
            // Typographic dashes and the minus sign between the parts, as word
            // processors and some sites write them ("2023–04–29"), read as hyphens.
            let dashed;
            let t = if memchr::memchr(0xE2, t.as_bytes()).is_some()
                && t.contains(['\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2212}'])
            {
                dashed = t.replace(
                    ['\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2212}'],
                    "-",
                );
                dashed.as_str()
            } else {
                t
            };
            if two_digit_year(t) {
                return Err(DateProblem::TwoDigitYear { value: shown(&v) });
            }
            // ISO 8601's basic format with a time ("20230429T103000Z", iCalendar, APIs).
            let t = iso_basic_day(t).unwrap_or(t);
            let digits = t.strip_prefix('-').unwrap_or(t);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                match t.parse::<i64>() {
                    Ok(i) => int_date(i),
                    Err(_) => return Err(DateProblem::NotADate { value: shown(&v) }),
                }
            } else if let Some(d) = t
                .split_once('.')
                .filter(|(m, y)| (1..=2).contains(&m.len()) && y.len() == 4)
                .and_then(|_| first_of_month(t))
            {
                // "04.2023" (month.year, as Russian tables write a month), not the number 4.2023.
                Some((Some(i64::from(d)), "a month"))
            } else if let Some(f) = t.parse::<f64>().ok().filter(|f| {
                f.is_finite()
                    && t.bytes()
                        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
            }) {
                // "1682762400.0": a pandas CSV of an int column with gaps.
                if f.fract() == 0.0 && f.abs() < 9e15 {
                    int_date(f as i64)
                } else {
                    number_date(f)
                }
            } else if let Some(read) = numeric_year_last(t, rules.day_first, || shown(&v)) {
                Some((Some(i64::from(read?)), "a date"))
            } else {
                match parse_written(t) {
                    Some(d) => Some((Some(i64::from(d)), "a date")),
                    None => return Err(DateProblem::NotADate { value: shown(&v) }),
                }
            }
        }
    };
    let Some((day, read_as)) = reading else {
        return Err(DateProblem::NotAYearOrTime { value: shown(&v) });
    };
    match day.and_then(|d| i32::try_from(d).ok()) {
        Some(d) if range.contains(d) => Ok(Some(d)),
        _ => Err(DateProblem::OutOfRange {
            value: shown(&v),
            read_as,
            date: day.map_or_else(|| "beyond any calendar".into(), describe_day),
            range: *range,
        }),
    }
}

/// Dates of many values, and the values that gave none although present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedDates {
    /// Days since 1970-01-01, None where missing or bad.
    pub days: Vec<Option<i32>>,
    /// Position and problem of each bad value (with [`BadDates::Undated`]).
    pub problems: Vec<(usize, DateProblem)>,
}

/// Parses many values by `rules`, in parallel. With [`BadDates::Raise`] the first
/// bad value is an error naming `what` and its position.
pub fn parse_values(
    values: &[DateValue<'_>],
    rules: &DateRules,
    what: &str,
) -> Result<ParsedDates> {
    use rayon::prelude::*;
    let parsed: Vec<std::result::Result<Option<i32>, DateProblem>> =
        values.par_iter().map(|v| parse_value(*v, rules)).collect();
    let mut days = Vec::with_capacity(parsed.len());
    let mut problems = Vec::new();
    for (i, r) in parsed.into_iter().enumerate() {
        match r {
            Ok(d) => days.push(d),
            Err(p) if rules.on_bad == BadDates::Raise => {
                return Err(invalid(format!("{what}: the value at position {i}: {p}")))
            }
            Err(p) => {
                days.push(None);
                problems.push((i, p));
            }
        }
    }
    Ok(ParsedDates { days, problems })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Option<i32> {
        days(y, m, dd)
    }

    fn wide() -> DateRules {
        DateRules {
            range: DateRange::new(days(1, 1, 1), days(9999, 12, 31)).unwrap(),
            ..DateRules::default()
        }
    }

    #[test]
    fn epoch_units_by_magnitude() {
        let r = DateRules::default();
        // 2023-04-29 10:00 UTC written four ways (pandas to_json writes ms; datetime64 int64 is ns).
        for v in [
            1_682_762_400i64,
            1_682_762_400_000,
            1_682_762_400_000_000,
            1_682_762_400_000_000_000,
        ] {
            assert_eq!(
                parse_value(DateValue::Int(v), &r),
                Ok(d(2023, 4, 29)),
                "{v}"
            );
            assert_eq!(
                parse_value(DateValue::Float(v as f64), &r),
                Ok(d(2023, 4, 29)),
                "{v}"
            );
            assert_eq!(
                parse_value(DateValue::Text(&v.to_string()), &r),
                Ok(d(2023, 4, 29)),
                "{v}"
            );
        }
        assert_eq!(
            parse_value(DateValue::Text("1682762400.0"), &r),
            Ok(d(2023, 4, 29))
        );
        assert_eq!(
            parse_value(DateValue::Float(1_682_762_400.75), &r),
            Ok(d(2023, 4, 29))
        );
        // Before 1970: negative seconds, floor division.
        assert_eq!(
            parse_value(DateValue::Int(-100_000_000), &r),
            Ok(d(1966, 10, 31))
        );
        assert_eq!(
            parse_value(DateValue::Int(-100_000_001), &r),
            Ok(d(1966, 10, 31))
        );
        assert_eq!(EpochUnit::of(-3.0e10), EpochUnit::Seconds);
        // The first Unix time read: 1e8 seconds.
        assert_eq!(
            parse_value(DateValue::Int(100_000_000), &r),
            Ok(d(1973, 3, 3))
        );
        assert_eq!(parse_value(DateValue::Float(1e8), &r), Ok(d(1973, 3, 3)));
    }

    #[test]
    fn years_and_compact_dates() {
        let r = DateRules::default();
        assert_eq!(parse_value(DateValue::Int(2023), &r), Ok(d(2023, 1, 1)));
        assert_eq!(parse_value(DateValue::Float(2023.0), &r), Ok(d(2023, 1, 1)));
        assert_eq!(parse_value(DateValue::Text("1999"), &r), Ok(d(1999, 1, 1)));
        assert_eq!(
            parse_value(DateValue::Int(20_230_429), &r),
            Ok(d(2023, 4, 29))
        );
        assert_eq!(
            parse_value(DateValue::Text("20230429"), &r),
            Ok(d(2023, 4, 29))
        );
    }

    #[test]
    fn written_dates_with_a_weekday_or_a_time_of_day_are_their_day() {
        // As the Foreign Ministry's, the Kremlin's and news sites' pages write them.
        let r = DateRules::default();
        for v in [
            "29 April 2023 15:30",
            "April 29, 2023, 15:30",
            "April 29, 2023, 3:30 PM",
            "April 29, 2023 at 3:30 p.m. (MSK)",
            "29 апреля 2023, 15:30",
            "29 апреля 2023 г., 15:30",
            "29 апреля 2023 года в 15:30 МСК",
            "Saturday, April 29, 2023",
            "Sat, 29 April 2023 15:30:00 +0300",
            "суббота, 29 апреля 2023",
            "29 April 2023, 15:30 UTC",
            "29-Apr-2023",
            "29-APR-2023 15:30",
        ] {
            assert_eq!(
                parse_value(DateValue::Text(v), &r),
                Ok(d(2023, 4, 29)),
                "{v}"
            );
        }
        // Anything else around a date leaves it no date: words, a second date, no year.
        for v in [
            "29 April 2023 and later",
            "posted 29 April 2023",
            "29 April 2023 - 30 April 2023",
            "29 APR, 15:30",
            "April 29, 2023, 15:30 in Moscow",
            "29-Apr-2023 onwards",
        ] {
            assert!(
                matches!(
                    parse_value(DateValue::Text(v), &r),
                    Err(DateProblem::NotADate { .. })
                ),
                "{v}"
            );
        }
    }

    #[test]
    fn two_digit_years_are_refused_by_name_and_typographic_dashes_read() {
        let r = wide();
        // Read as the year 23 before (chrono's %Y takes two digits): out of the default
        // range, and inside a widened one, silently.
        for v in [
            "29.04.23",
            "1.5.23",
            "29/04/23",
            "4/29/23 3:30 PM",
            "23-04-29",
            "29-Apr-23",
            "29-APR-23 15:30",
            "29 Apr 23",
            "29.04.23 10:00",
            "29\u{2013}04\u{2013}23",
        ] {
            for rules in [&r, &DateRules::default()] {
                assert!(
                    matches!(
                        parse_value(DateValue::Text(v), rules),
                        Err(DateProblem::TwoDigitYear { .. })
                    ),
                    "{v}: {:?}",
                    parse_value(DateValue::Text(v), rules)
                );
            }
        }
        let problem = parse_value(DateValue::Text("29.04.23"), &r).unwrap_err();
        assert!(problem
            .to_string()
            .starts_with("\"29.04.23\" has a two-digit year, whose century is not guessed"));
        // Four-digit years, words after a date, and numbers stay as they were.
        for (v, want) in [
            ("2023\u{2013}04\u{2013}29", d(2023, 4, 29)),
            ("2023\u{2212}04\u{2212}29", d(2023, 4, 29)),
            ("29\u{2013}04\u{2013}2023", d(2023, 4, 29)),
            ("2023.04.29", d(2023, 4, 29)),
            ("20230429T103000Z", d(2023, 4, 29)),
            ("20230429T1030+0300", d(2023, 4, 29)),
            ("29.04.2023", d(2023, 4, 29)),
            ("29 Apr 2023", d(2023, 4, 29)),
            ("04.2023", d(2023, 4, 1)),
        ] {
            assert_eq!(parse_value(DateValue::Text(v), &r), Ok(want), "{v}");
        }
        for v in [
            "20230429T",
            "20230429T1",
            "20231329T103000",
            "29-Apr-23 onwards",
        ] {
            assert!(
                matches!(
                    parse_value(DateValue::Text(v), &r),
                    Err(DateProblem::NotADate { .. } | DateProblem::NotAYearOrTime { .. })
                ),
                "{v}: {:?}",
                parse_value(DateValue::Text(v), &r)
            );
        }
    }

    #[test]
    fn gdelt_date_times_are_their_day() {
        let r = DateRules::default();
        for v in [
            DateValue::Int(20_230_429_101_500),
            DateValue::Float(20_230_429_101_500.0),
            DateValue::Text("20230429101500"),
            DateValue::Text("20230429235959"),
        ] {
            assert_eq!(parse_value(v, &r), Ok(d(2023, 4, 29)), "{v:?}");
        }
        // Not a valid time or date: read as milliseconds (year 2611), out of range.
        for v in [20_230_429_246_000i64, 20_231_329_101_500] {
            let e = parse_value(DateValue::Int(v), &r).unwrap_err();
            assert!(e.to_string().contains("milliseconds"), "{e}");
        }
    }

    #[test]
    fn small_numbers_that_are_no_year_are_no_date() {
        // Each was read as a Unix time in seconds, a day of 1970 in the plausible range:
        // a missing-value sentinel (0, -1), an Excel serial day (45,000: 2023-03-15), a
        // year with a fraction, a YYYYMMDD with month 13, "1999.5" from a CSV.
        let r = DateRules::default();
        for v in [
            DateValue::Int(0),
            DateValue::Int(-1),
            DateValue::Int(45_000),
            DateValue::Float(45_000.0),
            DateValue::Float(2024.5),
            DateValue::Int(20_231_399),
            DateValue::Int(99_999_999),
            DateValue::Int(-99_999_999),
            DateValue::Text("0"),
            DateValue::Text("-1"),
            DateValue::Text("1999.5"),
            DateValue::Text("45000"),
        ] {
            let e = parse_value(v, &r).unwrap_err();
            assert!(matches!(e, DateProblem::NotAYearOrTime { .. }), "{v:?}");
            assert!(e.to_string().contains("Excel serial day"), "{e}");
        }
        assert!(parse_value(DateValue::Int(0), &r)
            .unwrap_err()
            .to_string()
            .starts_with("0 is not a date"));
        // Years and compact days are still read.
        assert_eq!(parse_value(DateValue::Float(1999.0), &r), Ok(d(1999, 1, 1)));
        assert_eq!(
            parse_value(DateValue::Int(19_991_231), &r),
            Ok(d(1999, 12, 31))
        );
    }

    #[test]
    fn written_dates_are_day_first_when_dotted() {
        let r = DateRules::default();
        assert_eq!(
            parse_value(DateValue::Text("01.02.2023"), &r),
            Ok(d(2023, 2, 1))
        );
        assert_eq!(
            parse_value(DateValue::Text("2023-04-29T23:15:00+03:00"), &r),
            Ok(d(2023, 4, 29))
        );
        assert_eq!(
            parse_value(DateValue::Text("2023/04/29"), &r),
            Ok(d(2023, 4, 29))
        );
        assert_eq!(
            parse_value(DateValue::Text("29 апреля 2023 г."), &r),
            Ok(d(2023, 4, 29))
        );
        assert_eq!(
            parse_value(DateValue::Text("April 29, 2023"), &r),
            Ok(d(2023, 4, 29))
        );
        assert_eq!(parse_value(DateValue::Text("  "), &r), Ok(None));
        assert_eq!(parse_value(DateValue::Float(f64::NAN), &r), Ok(None));
        assert!(matches!(
            parse_value(DateValue::Text("soon"), &r),
            Err(DateProblem::NotADate { .. })
        ));
        assert!(matches!(
            parse_value(DateValue::Text("2023-02-30"), &r),
            Err(DateProblem::NotADate { .. })
        ));
    }

    #[test]
    fn out_of_range_is_a_problem_naming_the_reading() {
        let r = DateRules::default();
        let e = parse_value(DateValue::Text("9999-12-31"), &r).unwrap_err();
        assert!(e.to_string().contains("9999-12-31"), "{e}");
        assert!(e.to_string().contains("date_range="), "{e}");
        assert_eq!(
            parse_value(DateValue::Text("9999-12-31"), &wide()),
            Ok(d(9999, 12, 31))
        );
        assert!(parse_value(DateValue::Text("0900-01-01"), &r).is_err());
        assert!(parse_value(DateValue::Int(i64::MAX), &r).is_err());
        assert!(parse_value(DateValue::Float(1e300), &r).is_err());
        assert!(parse_value(DateValue::Float(f64::INFINITY), &r).is_err());
        assert!(parse_value(DateValue::Days(i64::MIN), &r).is_err());
        // 1e11 seconds would be year 5138: read as milliseconds instead, 1973.
        assert_eq!(
            parse_value(DateValue::Int(100_000_000_000), &r),
            Ok(d(1973, 3, 3))
        );
        assert!(DateRange::new(d(2020, 1, 1), d(2019, 1, 1)).is_err());
    }

    #[test]
    fn numeric_dates_with_the_year_last_read_in_the_order_given_or_told() {
        let told = DateRules::default();
        let dmy = DateRules {
            day_first: Some(true),
            ..DateRules::default()
        };
        let mdy = DateRules {
            day_first: Some(false),
            ..DateRules::default()
        };
        let read = |v: &str, r: &DateRules| parse_value(DateValue::Text(v), r);
        // The value tells: a part over 12 is the day (Excel in en-GB and en-US locales).
        for v in [
            "29/04/2023",
            "4/29/2023",
            "29-04-2023",
            "04-29-2023",
            "29/4/2023 15:30",
            "4/29/2023 3:30 PM",
            "29/04/2023 15:30:00",
        ] {
            assert_eq!(read(v, &told), Ok(d(2023, 4, 29)), "{v}");
        }
        // Day and month equal: either order is the same day.
        assert_eq!(read("05/05/2023", &told), Ok(d(2023, 5, 5)));
        // Either part may be the day: never guessed, both readings named.
        let e = read("04/05/2023", &told).unwrap_err();
        assert_eq!(
            e,
            DateProblem::AmbiguousOrder {
                value: "\"04/05/2023\"".into(),
                day_first: "2023-05-04".into(),
                month_first: "2023-04-05".into(),
            }
        );
        assert!(e.to_string().contains("dayfirst=True"), "{e}");
        // The order given reads every value, and refuses one that contradicts it.
        assert_eq!(read("04/05/2023", &dmy), Ok(d(2023, 5, 4)));
        assert_eq!(read("04/05/2023", &mdy), Ok(d(2023, 4, 5)));
        assert_eq!(read("29/04/2023", &dmy), Ok(d(2023, 4, 29)));
        assert_eq!(read("4/29/2023", &mdy), Ok(d(2023, 4, 29)));
        assert_eq!(
            read("4/29/2023", &dmy),
            Err(DateProblem::NotInOrder {
                value: "\"4/29/2023\"".into(),
                day_first: true
            })
        );
        assert!(matches!(
            read("29/04/2023", &mdy),
            Err(DateProblem::NotInOrder {
                day_first: false,
                ..
            })
        ));
        // No date in either order; mixed separators, two-digit years, trailing words:
        // not this shape, and no date by any other rule.
        for v in [
            "31/31/2023",
            "29/02/2023",
            "29/04-2023",
            "29/04/2023 onwards",
            "29/04/2023/1",
            "٢٩/٠٤/٢٠٢٣",
        ] {
            for r in [&told, &dmy, &mdy] {
                assert!(
                    matches!(read(v, r), Err(DateProblem::NotADate { .. })),
                    "{v}: {:?}",
                    read(v, r)
                );
            }
        }
        // A two-digit year is not guessed (read as the year 23: out of range).
        assert!(read("29/04/23", &dmy).is_err());
        // Year-first slashes and dotted day-first dates keep their one reading.
        assert_eq!(read("2023/04/05", &mdy), Ok(d(2023, 4, 5)));
        assert_eq!(read("04.05.2023", &mdy), Ok(d(2023, 5, 4)));
        // The range still applies.
        assert!(matches!(
            read("04/05/0999", &dmy),
            Err(DateProblem::OutOfRange { .. })
        ));
    }

    #[test]
    fn a_month_is_its_first_day_as_a_year_is_1_january() {
        let r = DateRules::default();
        for v in [
            "2023-04",
            "2023/4",
            "04.2023",
            "4/2023",
            "April 2023",
            "APRIL 2023",
            "Apr. 2023",
            "апрель 2023",
            "Апрель 2023 г.",
            "апреля 2023 года",
            "апр. 2023",
        ] {
            assert_eq!(
                parse_value(DateValue::Text(v), &r),
                Ok(d(2023, 4, 1)),
                "{v}"
            );
        }
        assert_eq!(
            parse_value(DateValue::Text("сент. 2023"), &r),
            Ok(d(2023, 9, 1))
        );
        assert_eq!(
            parse_value(DateValue::Text("May 2023"), &r),
            Ok(d(2023, 5, 1))
        );
        assert_eq!(
            parse_value(DateValue::Text("мая 2023"), &r),
            Ok(d(2023, 5, 1))
        );
        assert_eq!(
            parse_value(DateValue::Text("март 2023"), &r),
            Ok(d(2023, 3, 1))
        );
        // No month: not read as one (a word that merely starts like a month, month 13,
        // a number with a fraction, a month without a year).
        for v in [
            "Marseille 2023",
            "2023-13",
            "13.2023",
            "4.5",
            "April",
            "Spring 2023",
        ] {
            assert!(parse_value(DateValue::Text(v), &r).is_err(), "{v}");
        }
    }
}
