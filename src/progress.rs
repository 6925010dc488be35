//! Progress of long work, for a host's progress bar: loops over documents advance
//! one global counter of documents done, and the host reads it from another thread
//! while the work runs (Python's `tqdm` bars poll it). A [`Ticker`] adds to the
//! counter once per [`BATCH`] documents, so the cost is one increment per document
//! and one atomic add per batch. The counter only grows; a bar measures the
//! difference from where it started (two jobs at once both count in it).

use std::sync::atomic::{AtomicU64, Ordering};

static DONE: AtomicU64 = AtomicU64::new(0);

/// Documents a [`Ticker`] counts before it adds them to the counter.
pub const BATCH: u64 = 256;

/// Documents done so far, by all work since the process started.
pub fn done() -> u64 {
    DONE.load(Ordering::Relaxed)
}

/// Counts `n` more documents done.
pub fn advance(n: u64) {
    DONE.fetch_add(n, Ordering::Relaxed);
}

/// Counts documents in one loop, adding them to the counter a batch at a time and
/// the rest when dropped.
#[derive(Debug, Default)]
pub struct Ticker {
    pending: u64,
}

impl Ticker {
    /// One more document done.
    #[inline]
    pub fn tick(&mut self) {
        self.pending += 1;
        if self.pending >= BATCH {
            advance(self.pending);
            self.pending = 0;
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        if self.pending > 0 {
            advance(self.pending);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tick_is_counted_once_the_ticker_is_dropped() {
        let before = done();
        {
            let mut t = Ticker::default();
            for _ in 0..1000 {
                t.tick();
            }
            assert!(done() - before >= 768); // three full batches already added
        }
        assert!(done() - before >= 1000);
    }
}
