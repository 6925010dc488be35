//! Threads: framescope's own rayon pool (sized by `set_num_threads`, rebuilt in
//! a child after `fork()`) and how documents are split into chunks. Results never
//! depend on either: every merge in the crate produces a canonical order.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::error::{invalid, Result};

/// framescope's pool and the process that started it. A child made by `fork()`
/// inherits this value but none of the pool's threads, so the pool is rebuilt
/// when the process id changes (a forked child then works normally instead of
/// waiting forever for threads that do not exist).
struct Pool {
    pid: u32,
    pool: Arc<ThreadPool>,
}

static POOL: RwLock<Option<Pool>> = RwLock::new(None);
/// Threads asked for with [`set_num_threads`] (0: rayon's default).
static REQUESTED: AtomicUsize = AtomicUsize::new(0);

/// The most threads per available core [`set_num_threads`] starts: more only
/// adds start-up time and contention (10,000 threads took a minute to start).
pub const MAX_THREADS_PER_CORE: usize = 4;

/// Bytes of text handled per batch when work streams (JSONL and CSV read by
/// `fs.scan`, documents converted from Python while earlier ones are counted):
/// enough to keep every thread busy, small enough to bound memory. The one home
/// of the 16 MiB batch size.
pub const BATCH_BYTES: usize = 16 << 20;

/// The thread cap: [`MAX_THREADS_PER_CORE`] per available core, at least 8.
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (cores * MAX_THREADS_PER_CORE).max(8)
}

fn build(n: usize) -> Result<Arc<ThreadPool>> {
    ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("framescope-{i}"))
        .build()
        .map(Arc::new)
        .map_err(|e| invalid(format!("cannot start {n} threads: {e}")))
}

/// Uses `n` threads (at most [`max_threads`]) for all later work; `0` uses
/// rayon's default (all cores, or `RAYON_NUM_THREADS`). Returns the number of
/// threads asked for after the cap (0 for the default).
pub fn set_num_threads(n: usize) -> Result<usize> {
    let n = n.min(max_threads());
    let pool = build(n)?;
    REQUESTED.store(n, Ordering::SeqCst);
    let mut slot = POOL.write().unwrap_or_else(|e| e.into_inner());
    forget_if_inherited(&mut slot);
    *slot = Some(Pool {
        pid: std::process::id(),
        pool,
    });
    Ok(n)
}

/// Drops a pool inherited through `fork()` without touching it (its threads,
/// and any lock they held, belong to the parent).
fn forget_if_inherited(slot: &mut Option<Pool>) {
    if slot.as_ref().is_some_and(|p| p.pid != std::process::id()) {
        std::mem::forget(slot.take());
    }
}

/// This process's pool, started on first use (and again after a fork).
fn current() -> Arc<ThreadPool> {
    let pid = std::process::id();
    if let Some(p) = POOL
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .filter(|p| p.pid == pid)
    {
        return p.pool.clone();
    }
    let mut slot = POOL.write().unwrap_or_else(|e| e.into_inner());
    forget_if_inherited(&mut slot);
    if let Some(p) = slot.as_ref() {
        return p.pool.clone();
    }
    let pool = build(REQUESTED.load(Ordering::SeqCst))
        .or_else(|_| build(1))
        .expect("a thread pool of one thread can be started");
    *slot = Some(Pool {
        pid,
        pool: pool.clone(),
    });
    pool
}

/// Number of threads work will use.
pub fn num_threads() -> usize {
    current().current_num_threads()
}

/// Slots for per-thread state indexed by `rayon::current_thread_index()`: one for each
/// thread of framescope's pool, or of the pool the caller runs in if that is larger. A
/// counter made on Python's thread (outside any pool) and sized by
/// `rayon::current_num_threads()` got rayon's global pool (the cores), so after
/// `set_num_threads(32)` on 16 cores two threads shared each slot's lock.
pub fn thread_slots() -> usize {
    num_threads().max(rayon::current_num_threads()).max(1)
}

/// Runs `f` in framescope's pool.
pub fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    current().install(f)
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
