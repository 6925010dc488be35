//! Dating, cleaning and duplicate finding on arbitrary text: no panic, and
//! cleaning is idempotent. A deterministic generator mixes date-like pieces,
//! platform lines, emoji and multi-byte characters.

use framescope::corpus::date_values::{parse_value, DateRange, DateValue};
use framescope::corpus::dates::{find_mentions, Dating};
use framescope::corpus::dedup::{find_duplicates, DedupOptions};
use framescope::corpus::hygiene::{clean, Boilerplate, Repeats};

const PIECES: &[&str] = &[
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
    "Read in full",
    "Forwarded from X",
    "…",
    "...",
    "Сooperation",
    "é",
    "\u{301}",
    "\u{200d}",
    "🇷🇺",
    "September",
    "Sept.",
    "0",
    "99999999999",
    "\r\n",
    "#BRICS",
    "The collective West",
    "  ",
    "\t",
    "İ",
    "Σ",
];

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn arbitrary_text_never_panics_and_cleaning_is_idempotent() {
    let mut rng = Lcg(42);
    let platform = Boilerplate::platform();
    let mut docs = Vec::new();
    for _ in 0..3000 {
        let n = rng.next() % 40;
        let text: String = (0..n).map(|_| PIECES[rng.next() % PIECES.len()]).collect();
        for m in find_mentions(&text) {
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            assert!((1..=12).contains(&m.month) && (1..=31).contains(&m.day));
        }
        let _ = Dating::from_text(&text);
        let _ = parse_value(DateValue::Text(&text), &DateRange::plausible());
        let once = clean(&text, Some(&platform), Repeats::All, 10);
        let twice = clean(&once.text, Some(&platform), Repeats::All, 10);
        assert_eq!(
            twice.text, once.text,
            "cleaning is not idempotent on {text:?}"
        );
        assert_eq!(once.removed_bytes, text.len() - once.text.len());
        docs.push(text);
    }
    let dups = find_duplicates(&docs, &DedupOptions::default()).unwrap();
    for d in &dups {
        assert!(d.kept < d.doc && d.similarity >= 0.8);
    }
}
