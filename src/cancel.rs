//! Cooperative cancellation of long work (Ctrl-C in Python).
//!
//! Long loops call [`requested`] once per document or block. When it is true
//! they stop early and their results are incomplete: whoever called
//! [`request`] must discard them (the Python binding does, and raises
//! `KeyboardInterrupt`). Every request bumps an epoch, so a call that overlapped
//! someone else's cancellation can tell and refuse its possibly partial result.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::error::{CoreError, Result};

static REQUESTED: AtomicBool = AtomicBool::new(false);
static EPOCH: AtomicU64 = AtomicU64::new(0);

/// Whether running work should stop now.
#[inline]
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// `Err(CoreError::Interrupted)` if running work should stop now.
#[inline]
pub fn check() -> Result<()> {
    if requested() {
        Err(CoreError::Interrupted)
    } else {
        Ok(())
    }
}

/// Asks all running work to stop.
pub fn request() {
    EPOCH.fetch_add(1, Ordering::SeqCst);
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Lets new work run again (after the cancelled work has returned).
pub fn clear() {
    REQUESTED.store(false, Ordering::SeqCst);
}

/// Number of cancellation requests so far.
pub fn epoch() -> u64 {
    EPOCH.load(Ordering::SeqCst)
}
