//! Threads: an optional framescope-owned rayon pool (set by `set_num_threads`)
//! and how documents are split into chunks. Results never depend on either:
//! every merge in the crate produces a canonical order.

use std::sync::{Arc, RwLock};

use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::error::{invalid, Result};

static POOL: RwLock<Option<Arc<ThreadPool>>> = RwLock::new(None);

/// The most threads per available core [`set_num_threads`] starts: more only
/// adds start-up time and contention (10,000 threads took a minute to start).
pub const MAX_THREADS_PER_CORE: usize = 4;

/// The thread cap: [`MAX_THREADS_PER_CORE`] per available core, at least 8.
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (cores * MAX_THREADS_PER_CORE).max(8)
}

/// Uses `n` threads (at most [`max_threads`]) for all later work; `0` returns to
/// rayon's global pool (all cores, or `RAYON_NUM_THREADS`). Returns the number
/// of threads started (0 for the global pool).
pub fn set_num_threads(n: usize) -> Result<usize> {
    let n = n.min(max_threads());
    let pool = if n == 0 {
        None
    } else {
        Some(Arc::new(
            ThreadPoolBuilder::new()
                .num_threads(n)
                .thread_name(|i| format!("framescope-{i}"))
                .build()
                .map_err(|e| invalid(format!("cannot start {n} threads: {e}")))?,
        ))
    };
    *POOL.write().unwrap_or_else(|e| e.into_inner()) = pool;
    Ok(n)
}

/// Number of threads work will use.
pub fn num_threads() -> usize {
    match &*POOL.read().unwrap_or_else(|e| e.into_inner()) {
        Some(p) => p.current_num_threads(),
        None => rayon::current_num_threads(),
    }
}

/// Runs `f` in framescope's pool (or rayon's global pool).
pub fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    let pool = POOL.read().unwrap_or_else(|e| e.into_inner()).clone();
    match pool {
        Some(p) => p.install(f),
        None => f(),
    }
}

/// Chunk size that gives each thread several chunks to balance uneven documents.
pub fn chunk_len(n_items: usize) -> usize {
    let threads = rayon::current_num_threads().max(1);
    (n_items / (threads * 8)).clamp(64, 16_384)
}

/// Splits items into contiguous ranges of about equal total `weight` (e.g. bytes),
/// `per_thread` per thread, each at least `min_weight` unless the whole input is smaller.
pub fn balanced_ranges(
    weights: &[usize],
    min_weight: usize,
    per_thread: usize,
) -> Vec<std::ops::Range<usize>> {
    let total: usize = weights.iter().sum();
    let threads = rayon::current_num_threads().max(1);
    let target = (total / (threads * per_thread.max(1)))
        .max(min_weight)
        .max(1);
    let mut out = Vec::new();
    let (mut start, mut acc) = (0, 0);
    for (i, &w) in weights.iter().enumerate() {
        acc += w;
        if acc >= target {
            out.push(start..i + 1);
            start = i + 1;
            acc = 0;
        }
    }
    if start < weights.len() || out.is_empty() {
        out.push(start..weights.len());
    }
    out
}
