//! Dating, cleaning and duplicate finding on arbitrary text: no panic, and
//! cleaning is idempotent. A deterministic generator mixes date-like pieces,
//! platform lines, emoji and multi-byte characters.

use framescope::corpus::dedup::{find_duplicates, DedupOptions};
use framescope::corpus::hygiene::{clean, Boilerplate, Repeats};

mod common;
use common::{check_dates, DATE_PIECES, SCRAPED_PIECES};

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
    let pieces: Vec<&str> = DATE_PIECES.iter().chain(SCRAPED_PIECES).copied().collect();
    let mut rng = Lcg(42);
    let platform = Boilerplate::platform();
    let mut docs = Vec::new();
    for _ in 0..3000 {
        let n = rng.next() % 40;
        let text: String = (0..n).map(|_| pieces[rng.next() % pieces.len()]).collect();
        check_dates(&text);
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
