//! Fallible allocation of buffers whose size the input decides.
//!
//! Rust aborts the process when an allocation fails; for buffers sized by a
//! user's data (a record, a matrix, a table) framescope reserves memory with
//! `try_reserve` instead, so a request the machine cannot meet becomes
//! [`CoreError::OutOfMemory`] (`MemoryError` in Python) naming what was asked.

use crate::error::{CoreError, Result};

fn refused(what: &str, bytes: usize) -> CoreError {
    CoreError::OutOfMemory(format!(
        "not enough memory for {what} ({:.1} MiB)",
        bytes as f64 / (1u64 << 20) as f64
    ))
}

/// Makes room for `extra` more elements in `v`, or errs naming `what`.
pub fn reserve<T>(v: &mut Vec<T>, extra: usize, what: &str) -> Result<()> {
    v.try_reserve(extra)
        .map_err(|_| refused(what, extra.saturating_mul(std::mem::size_of::<T>())))
}

/// Makes room for `extra` more elements, growing geometrically (amortized
/// constant copying) but never past `ceiling` elements unless `len + extra` needs
/// more: a buffer bounded by a limit never doubles far beyond it.
pub fn reserve_within<T>(v: &mut Vec<T>, extra: usize, ceiling: usize, what: &str) -> Result<()> {
    let need = v.len().saturating_add(extra);
    if need <= v.capacity() {
        return Ok(());
    }
    let target = need.max(v.capacity().saturating_mul(2).min(ceiling));
    v.try_reserve_exact(target - v.len())
        .map_err(|_| refused(what, target.saturating_mul(std::mem::size_of::<T>())))
}

/// A vector of `n` copies of `value`, or an error naming `what`.
pub fn filled<T: Clone>(n: usize, value: T, what: &str) -> Result<Vec<T>> {
    let mut v = Vec::new();
    reserve(&mut v, n, what)?;
    v.resize(n, value);
    Ok(v)
}

/// `a * b` elements, or an error naming `what` when the product overflows.
pub fn product(a: usize, b: usize, what: &str) -> Result<usize> {
    a.checked_mul(b).ok_or_else(|| refused(what, usize::MAX))
}

/// Number types whose all-zero bytes are the value zero.
pub trait Zeroed: Copy {}
impl Zeroed for u32 {}
impl Zeroed for u64 {}
impl Zeroed for usize {}
impl Zeroed for i32 {}
impl Zeroed for i64 {}
impl Zeroed for f32 {}
impl Zeroed for f64 {}

/// `n` zeros, or an error naming `what`. The memory comes zeroed from the allocator
/// (for large sizes, fresh pages the kernel zeroes when first written), so threads
/// that fill the vector in parallel also fault its pages in parallel.
pub fn zeroed<T: Zeroed>(n: usize, what: &str) -> Result<Vec<T>> {
    if n == 0 || std::mem::size_of::<T>() == 0 {
        return Ok(Vec::new());
    }
    let layout = std::alloc::Layout::array::<T>(n).map_err(|_| refused(what, usize::MAX))?;
    // SAFETY: the layout has a non-zero size (checked above).
    let ptr = unsafe { std::alloc::alloc_zeroed(layout) }.cast::<T>();
    if ptr.is_null() {
        return Err(refused(what, layout.size()));
    }
    // SAFETY: `ptr` was allocated by the global allocator with the layout of `n` values
    // of `T` (what a Vec of capacity `n` uses), and all `n` are initialized: zero bytes
    // are a valid `T` (`Zeroed`).
    Ok(unsafe { Vec::from_raw_parts(ptr, n, n) })
}

/// Asks the CPU to bring the cache line at `p` in ahead of a read or write (x86-64;
/// elsewhere nothing): for lookups at addresses known a few steps ahead, so their cache
/// misses overlap instead of queueing. A hint only: `p` is never dereferenced, so any
/// address may be given.
#[inline(always)]
pub fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch never faults and never dereferences its address.
        unsafe { _mm_prefetch::<{ _MM_HINT_T0 }>(p.cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// A vector of `n` copies of `value`, backed by 2 MiB pages where [`huge_pages`] asks for
/// them (Linux's transparent huge pages, asked for with `madvise` before the first
/// touch): for large tables read at random (an interner's slots), where with 4 KiB
/// pages nearly every lookup also misses the TLB. Otherwise, or for small tables, a
/// plain vector.
pub fn huge_page_vec<T: Clone>(n: usize, value: T) -> Vec<T> {
    let mut v: Vec<T> = Vec::with_capacity(n);
    advise_huge_range(
        v.as_ptr() as usize,
        n.saturating_mul(std::mem::size_of::<T>()),
    );
    v.resize(n, value);
    v
}

/// Whether large tables and output arrays are asked to be backed by 2 MiB pages: only
/// where the environment says `FRAMESCOPE_HUGE_PAGES=1` (read once a process). Off by
/// default because a 2 MiB page's first touch is only cheap where the memory under it
/// was in use recently: on virtual machines that hand free memory back to the host
/// (free page reporting, as on the 2-core VMs `make bench` runs on) the first touch of
/// 100 MB in huge pages took 0.66-0.95 s against 0.09-0.11 s in 4 KiB pages, and a
/// first `TfidfVectorizer().fit_transform` of 100 MB of short posts spent 0.3-0.5 s of
/// system time with them against 0.15-0.25 s without (with 16 threads, 0.75-1.4 s
/// against 0.26-0.62 s: one interner table per thread). On a machine whose memory stays
/// warm they save TLB misses on random lookups (a few percent): set the variable there.
/// (Where transparent huge pages are set to `always`, the kernel decides either way.)
pub fn huge_pages() -> bool {
    static WANTED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *WANTED.get_or_init(|| std::env::var_os("FRAMESCOPE_HUGE_PAGES").is_some_and(|v| v == "1"))
}

/// Asks for 2 MiB pages over the whole huge pages inside `bytes` bytes from `start`
/// (Linux's `MADV_HUGEPAGE`; ignored where transparent huge pages are off), for ranges
/// of at least two of them, where [`huge_pages`] wants them. The one home of the
/// `madvise` call.
fn advise_huge_range(start: usize, bytes: usize) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        if bytes >= 2 * HUGE && huge_pages() {
            let first = start.div_ceil(HUGE) * HUGE;
            let end = (start + bytes) / HUGE * HUGE;
            if end > first {
                // SAFETY: the callers pass a range inside one allocation of theirs;
                // MADV_HUGEPAGE only changes how its pages are backed, never their contents.
                unsafe {
                    libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
                }
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (start, bytes);
}

/// Asks the kernel to back the part of `v` no thread has touched yet with 2 MiB pages
/// (Linux's transparent huge pages, where enabled, and where [`huge_pages`] wants
/// them): for large output arrays that the threads then fill in parallel, a few hundred
/// page faults instead of one per 4 KiB. Pages already touched keep their size;
/// elsewhere, or for small arrays, nothing happens.
pub fn advise_huge_pages<T>(v: &mut [T]) {
    advise_huge_range(v.as_mut_ptr() as usize, std::mem::size_of_val(v));
}

/// Returns memory freed by the worker threads to the operating system. glibc's
/// allocator keeps what a thread frees in that thread's arena: after a parallel phase
/// whose buffers are gone (the tokenizer's per-chunk ids), that is tens of MB per
/// 100 MB of text that the process holds but no longer uses. `malloc_trim` walks every
/// arena in turn (6-15 ms on 2 threads, more with more arenas), so it runs on a thread
/// of its own and the caller goes on at once; a request made while a trim runs is
/// served by one more trim after it. Other allocators and systems: nothing to do.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    trimmer::request();
}

/// The background trim behind [`release_freed`]: at most one thread at a time per
/// process (a child made by `fork()` while a trim ran has no such thread, so the flag
/// holds the process id, as the thread pool's does).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod trimmer {
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::AcqRel, Ordering::Acquire};

    /// A trim was asked for and has not started yet.
    pub(super) static PENDING: AtomicBool = AtomicBool::new(false);
    /// The id of the process whose trimming thread is alive (it trims while `PENDING`
    /// is set); 0 when none is.
    pub(super) static RUNNING: AtomicU32 = AtomicU32::new(0);

    pub fn request() {
        PENDING.store(true, std::sync::atomic::Ordering::Release);
        let me = std::process::id();
        if !take(me) {
            return; // this process's trimming thread sees PENDING before it stops
        }
        let spawned = std::thread::Builder::new()
            .name("framescope-trim".into())
            .spawn(move || run(me));
        if spawned.is_err() {
            run(me); // no thread to be had: trim here
        }
    }

    /// Makes this process the one trimming, unless a thread of it already is (a value
    /// left by the parent of a forked child is taken over).
    fn take(me: u32) -> bool {
        let mut seen = RUNNING.load(Acquire);
        loop {
            if seen == me {
                return false;
            }
            match RUNNING.compare_exchange(seen, me, AcqRel, Acquire) {
                Ok(_) => return true,
                Err(now) => seen = now,
            }
        }
    }

    fn run(me: u32) {
        loop {
            while PENDING.swap(false, AcqRel) {
                // SAFETY: malloc_trim takes no pointers; it only returns free heap pages
                // to the OS and is safe to call from any thread at any time.
                unsafe {
                    libc::malloc_trim(0);
                }
            }
            let _ = RUNNING.compare_exchange(me, 0, AcqRel, Acquire);
            // A request between the last swap and the store above saw this thread
            // running and left: take the work back unless another thread already did.
            if !PENDING.load(Acquire) || !take(me) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn trims_on_one_thread_and_takes_over_a_forked_parents_flag() {
        use std::sync::atomic::Ordering::SeqCst;
        use std::time::{Duration, Instant};
        let settled = || {
            let start = Instant::now();
            while trimmer::RUNNING.load(SeqCst) != 0 || trimmer::PENDING.load(SeqCst) {
                assert!(
                    start.elapsed() < Duration::from_secs(20),
                    "the trim never ended"
                );
                std::thread::sleep(Duration::from_millis(1));
            }
        };
        // Many requests at once: one thread serves them all, then the flag is cleared.
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| (0..50).for_each(|_| release_freed()));
            }
        });
        settled();
        // A child made by fork() while its parent trimmed inherits the parent's id in the
        // flag and no thread: its own request must still trim (and clear the flag).
        trimmer::RUNNING.store(u32::MAX, SeqCst);
        release_freed();
        settled();
    }

    #[test]
    fn impossible_requests_are_errors_not_aborts() {
        let e = filled(usize::MAX / 2, 0u64, "a test table").unwrap_err();
        assert!(
            matches!(&e, CoreError::OutOfMemory(m) if m.contains("a test table")),
            "{e}"
        );
        assert!(product(usize::MAX, 2, "x").is_err());
        let e = zeroed::<f64>(usize::MAX / 4, "a test matrix").unwrap_err();
        assert!(
            matches!(&e, CoreError::OutOfMemory(m) if m.contains("a test matrix")),
            "{e}"
        );
        assert_eq!(zeroed::<u32>(5, "x").unwrap(), [0; 5]);
        assert_eq!(
            zeroed::<f32>(3 << 20, "x").unwrap().iter().sum::<f32>(),
            0.0
        );
        assert!(zeroed::<i64>(0, "x").unwrap().is_empty());
        assert_eq!(filled(3, 7u8, "x").unwrap(), [7, 7, 7]);
        let mut v: Vec<u8> = Vec::new();
        for _ in 0..5 {
            reserve_within(&mut v, 100, 450, "x").unwrap();
            v.resize(v.len() + 100, 0);
            assert!(v.capacity() <= 500, "{}", v.capacity());
        }
    }

    #[test]
    fn huge_page_vectors_hold_what_plain_ones_do() {
        for n in [0, 1, 1000, 3 << 20] {
            let v = huge_page_vec(n, (7u32, 1u8));
            assert_eq!(v.len(), n);
            assert!(v.iter().all(|&x| x == (7, 1)));
        }
    }

    #[test]
    fn huge_pages_are_asked_for_only_where_the_environment_says_1() {
        // Off by default (`make test` and CI leave the variable unset); any other value
        // than "1" leaves them off too.
        let set = std::env::var_os("FRAMESCOPE_HUGE_PAGES");
        assert_eq!(huge_pages(), set.is_some_and(|v| v == "1"));
    }
}
