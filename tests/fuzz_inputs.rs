//! Property tests (bounded fuzzing) for what comes from outside: date extraction,
//! every file loader, and the frame pattern compiler and matcher.
//! `PROPTEST_CASES` sets the number of inputs (`make fuzz` runs many more).
//!
//! Loader inputs are valid files of each format (JSONL, CSV, TSV, Telegram export,
//! scraped channel page, text) with random edits: bytes flipped, cut short, pieces
//! inserted. Whatever the bytes, reading returns documents or an error naming the
//! file, never a panic; with `errors=skip` it never fails on a bad record.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use framescope::corpus::read::{read, Decode, OnError, ReadOptions};
use framescope::frames::automaton::{hit_matrix, overlaps, parse_frames, Automaton, FrameSpec};
use framescope::text::tokenized::TokenizedCorpus;
use framescope::text::tokenizer::Tokenizer;
use proptest::prelude::*;

mod common;
use common::{check_dates, DATE_PIECES};

// ------------------------------------------------------------------ dates

fn date_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(DATE_PIECES), 0..24).prop_map(|v| v.concat())
}

proptest! {
    /// Date parsing never panics; every date found is real and its span is a char range.
    #[test]
    fn dates_found_are_valid(t in date_text(), raw in any::<String>()) {
        check_dates(&t);
        check_dates(&raw);
    }
}

// ------------------------------------------------------------------ loaders
const SEEDS: &[(&str, &str)] = &[
    ("jsonl", "{\"text\": \"the collective West\", \"date\": \"2023-04-29\", \"id\": \"a\"}\n{\"text\": \"мировое большинство\", \"date\": \"29.04.2023\", \"views\": 5}\n"),
    ("csv", "text,date,channel\n\"the collective West, again\",2023-04-29,mfa\nмировое большинство,,mfa\n"),
    ("tsv", "text\tdate\nthe collective West\t2023-04-29\n"),
    ("json", "{\"name\": \"MFA\", \"type\": \"public_channel\", \"id\": 1, \"messages\": [{\"id\": 1, \"type\": \"message\", \"date\": \"2023-04-29T10:00:00\", \"from\": \"MFA\", \"text\": [\"the \", {\"type\": \"hashtag\", \"text\": \"#BRICS\"}, \" West\"]}, {\"id\": 2, \"type\": \"service\", \"date\": \"2023-04-30T10:00:00\", \"text\": \"\"}]}"),
    ("txt", "MFA Russia\nForwarded from Russian MFA\n📍Moscow, December 28, 2023\nThe collective West.\n📖 Read in full\nForwarded from Russian MFA\nOn January 10, the Global Majority.\n"),
    ("md", "# Statement\n\nThe rules-based order (Moscow, April 29, 2023).\n"),
];

const INSERTS: &[&[u8]] = &[
    b"\"",
    b"{",
    b"}",
    b"\n",
    b"\r\n",
    b",",
    b"\t",
    b"\xff",
    b"\xc3",
    b"\x00",
    b"\\",
    b"\\u00",
    b"\xef\xbb\xbf",
    b"null",
    b"[]",
    b"2023-13-45",
    b"Forwarded from X\n",
    "Запад".as_bytes(),
    "🇷🇺".as_bytes(),
    b"\"text\": 5",
    b"\"date\": \"yesterday\"",
];

#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Cut(usize),
    Insert(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
            any::<usize>().prop_map(Edit::Cut),
            (any::<usize>(), 0..INSERTS.len()).prop_map(|(i, k)| Edit::Insert(i, k)),
        ],
        0..4,
    )
}

fn apply(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for e in edits {
        let n = b.len().max(1);
        match *e {
            Edit::Flip(i, x) if !b.is_empty() => b[i % n] = x,
            Edit::Cut(i) => b.truncate(i % (n + 1)),
            Edit::Insert(i, k) => {
                let at = i % (b.len() + 1);
                b.splice(at..at, INSERTS[k].iter().copied());
            }
            _ => {}
        }
    }
    b
}

static FILE_NO: AtomicUsize = AtomicUsize::new(0);

fn temp_file(ext: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("framescope-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!(
        "input{}.{ext}",
        FILE_NO.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, bytes).unwrap();
    path
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.min(512).max(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(128) / 4), ..ProptestConfig::default() })]

    /// Any bytes in any format: documents or an error naming the file; never a panic.
    #[test]
    fn loaders_never_panic(seed in 0..SEEDS.len(), ed in edits(), skip in any::<bool>(),
                           replace in any::<bool>(), gz in any::<bool>()) {
        let (ext, text) = SEEDS[seed];
        let bytes = apply(text.as_bytes(), &ed);
        let (ext, bytes) = if gz {
            use std::io::Write;
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(&bytes).unwrap();
            let mut z = enc.finish().unwrap();
            if !ed.is_empty() { z.truncate(z.len() * 3 / 4); } // a cut-off download
            (format!("{ext}.gz"), z)
        } else {
            (ext.to_string(), bytes)
        };
        let path = temp_file(&ext, &bytes);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let opts = ReadOptions {
            errors: if skip { OnError::Skip } else { OnError::Raise },
            decode: if replace { Decode::Replace } else { Decode::Strict },
            ..ReadOptions::default()
        };
        match read(&[path.to_string_lossy()], &opts) {
            Ok(loaded) => {
                for source in loaded.corpus.sources() {
                    prop_assert!(source.contains(&name), "{:?}", source);
                }
                for (_, col) in &loaded.meta {
                    prop_assert_eq!(col.len(), loaded.corpus.len());
                }
                let mut ids = loaded.corpus.ids();
                ids.sort_unstable();
                ids.dedup();
                prop_assert_eq!(ids.len(), loaded.corpus.len(), "ids are unique");
            }
            Err(e) => prop_assert!(e.to_string().contains(&name), "{}", e),
        }
        std::fs::remove_file(&path).ok();
    }
}

// ------------------------------------------------------------------ patterns
const PATTERN_PIECES: &[&str] = &[
    "west",
    "West",
    "collective",
    "majority",
    "*",
    "?",
    "~",
    "~west",
    "/",
    "/we.t/",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "|",
    "\\",
    ".*",
    " ",
    "  ",
    "-",
    "#",
    "#brics",
    "'s",
    "коллективн*",
    "запад*",
    "мир",
    "/мир(а|у)?/",
    "x{1000}",
    "**",
    "?*?",
    "\u{301}",
    "🌐",
    "\0",
    "ё",
];

const DOC_PIECES: &[&str] = &[
    "the ",
    "collective ",
    "West ",
    "West’s ",
    "majority ",
    "global ",
    "#BRICS ",
    "коллективного ",
    "Запада ",
    "мира ",
    "мир ",
    ". ",
    ", ",
    "\n",
    "rules-based ",
    "order ",
    "wes ",
    "west-",
];

fn pattern() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PATTERN_PIECES), 1..6).prop_map(|v| v.concat())
}

fn brute_overlaps(
    offsets: &[usize],
    hits: &[framescope::frames::automaton::Hit],
    n: usize,
) -> Vec<u64> {
    let mut m = vec![0u64; n * n];
    for d in 0..offsets.len() - 1 {
        let doc = &hits[offsets[d]..offsets[d + 1]];
        for a in doc {
            let mut seen = vec![false; n];
            for b in doc {
                if a.frame != b.frame
                    && !seen[b.frame as usize]
                    && a.start < b.end
                    && b.start < a.end
                {
                    seen[b.frame as usize] = true;
                    m[a.frame as usize * n + b.frame as usize] += 1;
                }
            }
        }
    }
    m
}

proptest! {
    /// Any pattern text compiles or gives an error naming its frame; compiled frames
    /// match within documents, leftmost-first without overlaps per frame, and the
    /// counts and overlaps agree with the hits (overlaps against a pairwise count).
    #[test]
    fn patterns_compile_or_fail_cleanly(
        frames in prop::collection::vec((prop::collection::vec(pattern(), 1..4),
                                          prop::collection::vec(pattern(), 0..2)), 1..5),
        docs in prop::collection::vec(
            prop::collection::vec(prop::sample::select(DOC_PIECES), 0..30).prop_map(|v| v.concat()), 0..6),
    ) {
        let tok = Tokenizer::default();
        let specs: Vec<FrameSpec> = frames.iter().enumerate().map(|(k, (p, x))| FrameSpec {
            name: format!("f{k}"), patterns: p.clone(), exclude: x.clone() }).collect();
        let names: Vec<String> = specs.iter().map(|s| s.name.clone()).collect();
        let parsed = match parse_frames(&specs, &tok) {
            Ok(p) => p,
            Err(e) => {
                prop_assert!(names.iter().any(|n| e.to_string().contains(n.as_str())), "{}", e);
                return Ok(());
            }
        };
        let tc = TokenizedCorpus::build(&docs, &tok);
        let a = match Automaton::compile(&parsed, &names, &tc.vocab) {
            Ok(a) => a,
            Err(e) => {
                prop_assert!(!e.to_string().is_empty());
                return Ok(());
            }
        };
        let matched = a.match_corpus(&tc);
        // The scan of the texts (no ids kept) finds the same hits and token counts.
        if let Some(s) = framescope::frames::scan::scan(&docs, &tok, &parsed, &names).unwrap() {
            prop_assert_eq!(&s.matches, &matched);
            prop_assert_eq!(&s.lengths, &tc.lengths());
        }
        let framescope::frames::scan::Matches { offsets, hits } = matched;
        prop_assert_eq!(offsets.len(), docs.len() + 1);
        for d in 0..docs.len() {
            let n = tc.doc(d).len() as u32;
            let doc = &hits[offsets[d]..offsets[d + 1]];
            for h in doc {
                prop_assert!(h.start < h.end && h.end <= n && (h.frame as usize) < names.len());
            }
            for f in 0..names.len() as u32 {
                let mine: Vec<_> = doc.iter().filter(|h| h.frame == f).collect();
                for w in mine.windows(2) {
                    prop_assert!(w[0].end <= w[1].start, "overlapping hits of one frame");
                }
            }
        }
        let counts = hit_matrix(&offsets, &hits, names.len()).unwrap();
        prop_assert_eq!(counts.data.iter().map(|&c| c as usize).sum::<usize>(), hits.len());
        prop_assert!(counts.data.iter().all(|&c| c > 0));
        for d in 0..docs.len() {
            let row = &counts.indices[counts.indptr[d]..counts.indptr[d + 1]];
            prop_assert!(row.windows(2).all(|w| w[0] < w[1]));
            for (&f, &c) in row.iter().zip(&counts.data[counts.indptr[d]..counts.indptr[d + 1]]) {
                let n = hits[offsets[d]..offsets[d + 1]].iter().filter(|h| h.frame == f).count();
                prop_assert_eq!(c as usize, n);
            }
        }
        let n = names.len();
        let mut dense = vec![0u64; n * n];
        for (a, b, c) in overlaps(&offsets, &hits) {
            prop_assert!(c > 0);
            dense[a as usize * n + b as usize] = c;
        }
        prop_assert_eq!(dense, brute_overlaps(&offsets, &hits, n));
    }
}
