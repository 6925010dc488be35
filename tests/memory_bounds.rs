//! Resource property: for random inputs of bounded size, the peak heap
//! allocation of the whole core path (read a JSONL file, tokenize, match frames,
//! count hits and overlaps, count terms 1-3-grams, find duplicates, bootstrap
//! intervals) stays within a fixed multiple of the input's size plus a small
//! constant. A counting global allocator measures it. Adversarial shapes are in
//! the generator: many identical documents (duplicate buckets), one frame per
//! distinct word (many frames), overlapping patterns, Cyrillic and typographic text.
//!
//! The tests of this binary take one lock, so no other test allocates while one measures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use framescope::corpus::dedup::{find_duplicates, DedupOptions};
use framescope::corpus::read::{read, ReadOptions};
use framescope::corpus::{Corpus, DateSource, DocumentRef};
use framescope::frames::automaton::{hit_matrix, overlaps, parse_frames, Automaton, FrameSpec};
use framescope::stats::bootstrap::{intervals, Sample};
use framescope::text::tokenized::TokenizedCorpus;
use framescope::text::tokenizer::Tokenizer;
use framescope::{count_fit, StripAccents, TokenPattern, WordAnalyzer};
use proptest::prelude::*;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Allocations made (not bytes): what a corpus of many documents must not grow with.
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
    let now = CURRENT.fetch_add(by, Ordering::SeqCst) + by;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::SeqCst);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Held while measuring.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Peak bytes allocated above what was live when `f` started.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let out = f();
    (out, PEAK.load(Ordering::SeqCst).saturating_sub(base))
}

const WORDS: &[&str] = &[
    "the ",
    "collective ",
    "West ",
    "Global ",
    "Majority ",
    "multipolar ",
    "world ",
    "order ",
    "коллективный ",
    "Запад ",
    "мировое ",
    "большинство ",
    "— ",
    "“rules-based” ",
    "order.",
    "\n• ",
    "sanctions",
    "…",
    "NATO's ",
    "x",
];

/// Multiple of the input size the peak may reach, and the constant on top.
const PER_INPUT_BYTE: usize = 200;
const CONSTANT: usize = 8 << 20;
/// The bootstrap's fixed working budgets together.
const BOOTSTRAP_BUDGETS: usize = (6 << 20) + (4 << 20) + (256 << 10);
/// Bytes per overlapping pair of frames found (hash maps per thread, then sorted).
const PER_PAIR: usize = 256;

/// Runs the path; returns the dictionary's size in bytes, and the overlapping
/// pairs of frames found with the peak allocation of finding them.
fn run_pipeline(dir: &std::path::Path, n_frames: usize, n_boot: usize) -> (usize, usize, usize) {
    let path = dir.join("in.jsonl").to_string_lossy().into_owned();
    let opts = ReadOptions {
        batch_bytes: 1 << 16,
        ..ReadOptions::default()
    };
    let loaded = read(&[path], &opts).expect("valid input");
    let texts = loaded.corpus.texts();
    let tok = Tokenizer::default();
    let tc = TokenizedCorpus::build(&texts, &tok);
    // One frame per word (the many-frames case), plus overlapping phrase frames.
    let mut specs: Vec<FrameSpec> = WORDS
        .iter()
        .cycle()
        .take(n_frames)
        .enumerate()
        .map(|(k, w)| FrameSpec {
            name: format!("f{k}"),
            patterns: vec![
                format!("{}*", w.trim().trim_matches(|c: char| !c.is_alphanumeric()))
                    .replace("**", "*"),
            ],
            exclude: vec![],
        })
        .filter(|s| s.patterns[0] != "*")
        .collect();
    specs.push(FrameSpec {
        name: "west".into(),
        patterns: vec!["collective West".into(), "коллективн* запад*".into()],
        exclude: vec![],
    });
    specs.push(FrameSpec {
        name: "order".into(),
        patterns: vec!["world order".into(), "multipolar world*".into()],
        exclude: vec![],
    });
    let names: Vec<String> = specs.iter().map(|s| s.name.clone()).collect();
    let parsed = parse_frames(&specs, &tok).expect("patterns parse");
    let a = Automaton::compile(&parsed, &names, &tc.vocab).expect("compiles");
    let framescope::frames::scan::Matches { offsets, hits } = a.match_corpus(&tc);
    let m = hit_matrix(&offsets, &hits, names.len()).unwrap();
    // Overlapping pairs can be as many as frames squared when every frame matches
    // the same tokens: their memory is measured against the pairs found.
    let (pairs, pairs_peak) = peak_of(|| overlaps(&offsets, &hits));
    let analyzer = WordAnalyzer::new(
        true,
        StripAccents::None,
        TokenPattern::Default,
        None,
        (1, 3),
    )
    .unwrap();
    let (_, counts) = count_fit(&texts, &analyzer).unwrap();
    let dups = find_duplicates(&texts, &DedupOptions::default()).unwrap();
    let tokens: Vec<u64> = (0..tc.n_docs()).map(|d| tc.doc(d).len() as u64).collect();
    let periods: Vec<u32> = (0..tc.n_docs() as u32).map(|d| d % 3).collect();
    let sample = Sample {
        counts: &m,
        tokens: &tokens,
        periods: &periods,
        n_periods: 3,
    };
    let iv = intervals(&sample, n_boot, 0.95, 1).unwrap();
    assert_eq!(iv.rate_low.len(), 3 * names.len());
    assert!(counts.nnz() >= dups.len());
    let dictionary: usize = specs
        .iter()
        .map(|s| s.name.len() + s.patterns.concat().len())
        .sum();
    (dictionary, pairs.len(), pairs_peak)
}

fn doc() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]
    #[test]
    fn peak_allocation_is_a_fixed_multiple_of_the_input(
        distinct in prop::collection::vec(doc(), 1..40),
        copies in 1usize..60,
        n_frames in 1usize..300,
    ) {
        // `copies` repeats of each distinct document: near-duplicate buckets fill up.
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let dir = std::env::temp_dir().join(format!("fs-membound-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut input = String::new();
        for k in 0..copies {
            for d in &distinct {
                input.push_str(&serde_json::json!({ "text": d, "n": k }).to_string());
                input.push('\n');
            }
        }
        std::fs::write(dir.join("in.jsonl"), &input).unwrap();
        let _ = run_pipeline(&dir, n_frames, 20); // warm-up: thread pools, lazy tables
        let ((dictionary, pairs, pairs_peak), small) = peak_of(|| run_pipeline(&dir, n_frames, 200));
        let (_, many) = peak_of(|| run_pipeline(&dir, n_frames, 1000));
        let bytes = input.len() + dictionary;
        let bound = PER_INPUT_BYTE * bytes + CONSTANT + pairs_peak;
        prop_assert!(small <= bound, "peak {} > bound {} for {} input bytes", small, bound, bytes);
        prop_assert!(pairs_peak <= PER_PAIR * pairs + CONSTANT, "overlaps: {} for {} pairs", pairs_peak, pairs);
        // Bootstrap memory does not grow with the number of resamples past its fixed
        // working budgets (histograms 6 MiB, kept values 4 MiB, a block 256 KiB).
        prop_assert!(many <= small + BOOTSTRAP_BUDGETS, "1000 resamples peak {} vs {}", many, small);
    }
}

/// 20,000 frames and one short document: hits, counts and overlaps cost what
/// occurs (once a 20,000 x 20,000 table of 3.2 GB), and the dictionary's size.
#[test]
fn many_frames_cost_what_occurs() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let tok = Tokenizer::default();
    let mut specs: Vec<FrameSpec> = (0..20_000)
        .map(|k| FrameSpec {
            name: format!("f{k}"),
            patterns: vec![format!("w{k}")],
            exclude: vec![],
        })
        .collect();
    specs[0].patterns = vec!["a b".into()];
    specs[1].patterns = vec!["b c".into()];
    let names: Vec<String> = specs.iter().map(|s| s.name.clone()).collect();
    let texts = ["a b c w7 w19999"];
    let tc = TokenizedCorpus::build(&texts, &tok);
    let parsed = parse_frames(&specs, &tok).unwrap();
    let a = Automaton::compile(&parsed, &names, &tc.vocab).unwrap();
    let ((m, pairs), peak) = peak_of(|| {
        let framescope::frames::scan::Matches { offsets, hits } = a.match_corpus(&tc);
        (
            hit_matrix(&offsets, &hits, names.len()).unwrap(),
            overlaps(&offsets, &hits),
        )
    });
    assert_eq!(m.indices, [0, 1, 7, 19_999]);
    assert_eq!(pairs, [(0, 1, 1), (1, 0, 1)]);
    assert!(peak < 1 << 20, "peak {peak}");
}

/// A corpus holds its strings in chunks: building one of 50,000 short documents makes a
/// few hundred allocations, not one or more per document, and keeps the strings' bytes
/// plus 21 bytes a document (three 4-byte offsets, a date, a date source).
#[test]
fn a_corpus_allocates_per_chunk_not_per_document() {
    let _lock = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let n = 50_000;
    let texts: Vec<String> = (0..n)
        .map(|i| format!("Post {i}: «Коллективный Запад» — the collective West."))
        .collect();
    let ids: Vec<String> = (0..n).map(|i| format!("channel/{i}")).collect();
    let docs: Vec<DocumentRef<'_>> = (0..n)
        .map(|i| DocumentRef {
            id: &ids[i],
            text: &texts[i],
            date: Some(i as i32),
            date_source: DateSource::Metadata,
            source: "",
        })
        .collect();
    let strings: usize = texts.iter().chain(&ids).map(String::len).sum();
    let live = CURRENT.load(Ordering::SeqCst);
    let made = ALLOCATIONS.load(Ordering::SeqCst);
    let corpus = Corpus::from_documents(docs.iter().copied());
    let allocations = ALLOCATIONS.load(Ordering::SeqCst) - made;
    let kept = CURRENT.load(Ordering::SeqCst) - live;
    assert!(
        allocations < 500,
        "{allocations} allocations for {n} documents"
    );
    assert!(
        kept <= strings + 21 * n + (64 << 10),
        "{kept} bytes kept for {strings} bytes of strings"
    );
    assert_eq!(corpus.len(), n);
    assert_eq!(corpus.get(n - 1), docs.last().copied());
}
