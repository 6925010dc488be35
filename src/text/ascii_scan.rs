//! Word runs of ASCII text found 64 bytes at a time. Each block is classified
//! into bit masks (word bytes `[A-Za-z0-9_]`, uppercase letters) with SSE2 on
//! x86-64 (a branch-free table loop elsewhere); token starts and ends are then
//! read off the masks with bit tricks, so there is no mispredicted branch per
//! byte or per token boundary, only per token. Cost: about 0.1-0.2 ns per byte.

#[cfg(any(test, not(target_arch = "x86_64")))]
use crate::text::pyword::{ASCII_CLASS, UPPER, WORD};

/// Bit `i` of `.0`: byte `i` is a word byte; of `.1`: byte `i` is `A-Z`. `block.len() <= 64`.
#[cfg(target_arch = "x86_64")]
#[inline]
fn masks(block: &[u8]) -> (u64, u64) {
    // A document's last, short block is copied into zeros (no word byte, no
    // capital), so it too is classified 64 bytes at once.
    let mut padded = [0u8; 64];
    let full = if block.len() == 64 {
        block
    } else {
        padded[..block.len()].copy_from_slice(block);
        &padded
    };
    // SAFETY: SSE2 is part of the x86-64 baseline; the loads read 64 in-bounds bytes.
    unsafe { masks_sse2(full) }
}

/// Off x86-64: through the class table.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn masks(block: &[u8]) -> (u64, u64) {
    masks_table(block)
}

/// Portable classification through [`ASCII_CLASS`] (the path off x86-64).
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline]
fn masks_table(block: &[u8]) -> (u64, u64) {
    let (mut w, mut u) = (0u64, 0u64);
    for (i, &b) in block.iter().enumerate() {
        let c = ASCII_CLASS[b as usize];
        w |= u64::from(c & WORD) << i;
        u |= u64::from((c & UPPER) >> 1) << i;
    }
    (w, u)
}

/// SSE2 classification of one 64-byte block.
///
/// # Safety
/// The CPU must support SSE2 (always so on x86-64). `block` must hold at least 64
/// bytes; this is checked (one compare per block), so a short block panics instead
/// of reading out of bounds.
#[cfg(target_arch = "x86_64")]
#[inline]
unsafe fn masks_sse2(block: &[u8]) -> (u64, u64) {
    assert!(block.len() >= 64, "a block of 64 bytes is needed");
    use std::arch::x86_64::*;
    let (mut w, mut u) = (0u64, 0u64);
    // Byte ranges as two signed compares each; ASCII bytes are non-negative as i8.
    let range = |x: __m128i, lo: u8, hi: u8| {
        _mm_and_si128(
            _mm_cmpgt_epi8(x, _mm_set1_epi8(lo as i8 - 1)),
            _mm_cmpgt_epi8(_mm_set1_epi8(hi as i8 + 1), x),
        )
    };
    for k in 0..4 {
        let x = _mm_loadu_si128(block.as_ptr().add(16 * k) as *const __m128i);
        let upper = range(x, b'A', b'Z');
        let lower = range(x, b'a', b'z');
        let digit = range(x, b'0', b'9');
        let under = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'_' as i8));
        let word = _mm_or_si128(_mm_or_si128(upper, lower), _mm_or_si128(digit, under));
        w |= u64::from(_mm_movemask_epi8(word) as u16) << (16 * k);
        u |= u64::from(_mm_movemask_epi8(upper) as u16) << (16 * k);
    }
    (w, u)
}

/// The lowest `k` bits set (`k <= 64`).
#[inline]
fn low_bits(k: usize) -> u64 {
    if k >= 64 {
        u64::MAX
    } else {
        (1u64 << k) - 1
    }
}

/// Calls `emit(start, end, has_upper)` for every maximal run of `[A-Za-z0-9_]` in
/// `bytes` (which must be ASCII), in order.
#[inline]
pub fn word_runs(bytes: &[u8], mut emit: impl FnMut(usize, usize, bool)) {
    let n = bytes.len();
    let mut in_word = 0u64; // 1 if the byte before this block was a word byte
    let mut start = 0usize;
    let mut upper_before = false; // uppercase in the part of the open run before this block
    let mut base = 0usize;
    while base < n {
        let len = (n - base).min(64);
        let (w, u) = masks(&bytes[base..base + len]);
        let shifted = (w << 1) | in_word;
        let starts = w & !shifted;
        // Ends: the first non-word byte after a run; within a short last block, bit `len` too.
        let ends = !w & shifted & low_bits(len + 1);
        let mut events = starts | ends;
        while events != 0 {
            let bit = events.trailing_zeros() as usize;
            events &= events - 1;
            if starts >> bit & 1 == 1 {
                start = base + bit;
                upper_before = false;
            } else {
                let end = base + bit;
                // Uppercase among this block's bytes of the run, or before the block.
                let first = start.max(base) - base;
                let run = (u >> first) & low_bits(bit - first);
                emit(start, end.min(n), upper_before || run != 0);
            }
        }
        if len == 64 && w >> 63 == 1 {
            in_word = 1;
            let first = start.max(base) - base;
            upper_before |= u >> first != 0;
        } else {
            in_word = 0;
        }
        base += len;
    }
    if in_word == 1 {
        emit(start, n, upper_before);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(bytes: &[u8]) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if ASCII_CLASS[bytes[i] as usize] & WORD != 0 {
                let s = i;
                while i < bytes.len() && ASCII_CLASS[bytes[i] as usize] & WORD != 0 {
                    i += 1;
                }
                out.push((s, i, bytes[s..i].iter().any(u8::is_ascii_uppercase)));
            } else {
                i += 1;
            }
        }
        out
    }

    #[test]
    fn runs_equal_a_byte_by_byte_scan() {
        let mut seed = 7u64;
        for len in (0..300).chain([511, 512, 513, 1000]) {
            for alphabet in [
                &b"ab_Z9 .-\n"[..],
                &b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaB "[..],
            ] {
                let text: Vec<u8> = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                        alphabet[(seed >> 33) as usize % alphabet.len()]
                    })
                    .collect();
                let mut got = Vec::new();
                word_runs(&text, |s, e, u| got.push((s, e, u)));
                assert_eq!(got, naive(&text), "{:?}", String::from_utf8_lossy(&text));
            }
        }
        // Runs that fill whole blocks, and one that spans three.
        let long = [b'x'; 200]
            .iter()
            .chain(b"Y z")
            .copied()
            .collect::<Vec<u8>>();
        let mut got = Vec::new();
        word_runs(&long, |s, e, u| got.push((s, e, u)));
        assert_eq!(got, [(0, 201, true), (202, 203, false)]);
        let block: Vec<u8> = (0..64)
            .map(|i| if i % 2 == 0 { b'a' } else { b' ' })
            .collect();
        assert_eq!(masks_table(&block), masks(&block));
        // Short (last) blocks of every length, zero-padded for SIMD: bits past the end stay clear.
        let alphabet = b"aZ9_ .,-\nQ";
        let text: Vec<u8> = (0..64).map(|i| alphabet[i % alphabet.len()]).collect();
        for n in 0..=64 {
            assert_eq!(masks_table(&text[..n]), masks(&text[..n]), "{n}");
        }
    }
}
