//! The Rust core's TF-IDF fit phase by phase (wall s / CPU s of the process / minor page
//! faults): counting (in one batch, or `FIT_BATCH` documents at a time), merging the workers' vocabularies,
//! document frequencies, the TF-IDF layout. For thread scaling without Python:
//!
//!     cargo build --release --example fit_phases
//!     RAYON_NUM_THREADS=16 target/release/examples/fit_phases target/bench/short_100mb.txt
//!
//! The file holds documents separated by U+001E, as `make bench`'s corpora do.

use framescope::count::fit::FitCounter;
use framescope::count::tfidf::{weigh_row, Norm, TfidfOptions};
use framescope::{StripAccents, TokenPattern, WordAnalyzer};
use std::time::Instant;

fn cpu() -> (f64, i64) {
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    (
        ru.ru_utime.tv_sec as f64
            + ru.ru_utime.tv_usec as f64 * 1e-6
            + ru.ru_stime.tv_sec as f64
            + ru.ru_stime.tv_usec as f64 * 1e-6,
        ru.ru_minflt,
    )
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: fit_phases CORPUS_FILE");
    let text = std::fs::read_to_string(&path).expect("a readable UTF-8 corpus file");
    let docs: Vec<&str> = text.split('\x1e').collect();
    let a = WordAnalyzer::new(
        true,
        StripAccents::None,
        TokenPattern::Default,
        None,
        (1, 1),
    )
    .unwrap();
    rayon::ThreadPoolBuilder::new().build_global().ok();
    rayon::broadcast(|_| ());
    let mut t = Instant::now();
    let mut c: (f64, i64) = cpu();
    let mut lap = |name: &str| {
        let (now, cn) = (Instant::now(), cpu());
        eprint!(
            "{name}={:.3}/{:.3}/{}flt ",
            (now - t).as_secs_f64(),
            cn.0 - c.0,
            cn.1 - c.1
        );
        t = now;
        c = cn;
    };
    // One batch, as a list of str from Python is counted (`FIT_BATCH` documents a batch
    // to count as a stream is).
    let batch = std::env::var("FIT_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(docs.len());
    let mut counter = FitCounter::new(&a);
    for batch in docs.chunks(batch.max(1)) {
        counter.count(batch).unwrap();
    }
    lap("count");
    let (terms, rows) = counter.merge().unwrap();
    lap("merge");
    let df = rows.doc_freq();
    lap("df");
    let n = docs.len() as f64;
    let idf: Vec<f64> = df
        .iter()
        .map(|&d| ((1.0 + n) / (1.0 + d as f64)).ln() + 1.0)
        .collect();
    let opts = TfidfOptions {
        norm: Norm::L2,
        binary: false,
        sublinear_tf: false,
    };
    let m = rows
        .lay_out(|cols, counts, out: &mut [f64]| weigh_row(cols, counts, Some(&idf), opts, out))
        .unwrap();
    lap("tfidf");
    eprintln!("terms={} nnz={}", terms.len(), m.indices.len());
}
