//! Helpers for the crate's unit tests.

/// A deterministic stream of pseudo-random numbers (a 64-bit LCG's high bits), for
/// tests that generate many inputs.
pub(crate) fn lcg(mut seed: u64) -> impl FnMut() -> usize {
    move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    }
}
