//! Runs of Python word characters in UTF-8 text, found 64 bytes at a time.
//!
//! The ASCII scanner ([`crate::text::ascii_scan`]) needs a whole-ASCII document;
//! Russian and mixed English-Russian text would otherwise go byte by byte, with a
//! mispredicted branch at every switch of script. Here each 64-byte block is
//! classified with SSE2 into masks of word bytes, capitals and continuation
//! bytes for ASCII and for the basic Cyrillic letters U+0400..U+047F (all word
//! characters; lead byte D0 or D1). Any other non-ASCII character is looked up
//! one at a time in Python's tables and patched into the masks, so the result is
//! exactly that of the character-by-character scan. Token starts and ends are
//! read off the masks with bit tricks.

use crate::text::pyword::{is_word_char, lower_changes, lower_needs_context};

/// Masks of one block: bit `i` describes byte `i`.
#[derive(Default, Clone, Copy)]
struct Masks {
    /// Bytes of word characters.
    word: u64,
    /// Some byte of each character that Python's `str.lower` changes.
    upper: u64,
    /// Continuation bytes (of word characters): bytes that do not start a character.
    cont: u64,
}

/// Bytes of a non-ASCII character that runs past the end of a block, for the next block.
#[derive(Default, Clone, Copy)]
struct Pending {
    bytes: u32,
    word: bool,
}

/// Bit masks of a 64-byte block (or a shorter last one) for ASCII and basic Cyrillic;
/// `other` marks bytes of any other non-ASCII character. `prev_lead` is bit 63 of
/// the previous block's D0/D1 mask (its continuation byte is bit 0 here), and
/// `prev_d0`/`prev_d1` tell which.
#[inline]
fn classify(block: &[u8], prev_d0: u64, prev_d1: u64) -> (Masks, u64) {
    let r = raw_masks(block);
    let leads = r.d0 | r.d1;
    // Continuation bytes of a basic Cyrillic letter follow a D0/D1 lead.
    let after_d0 = (r.d0 << 1) | prev_d0;
    let after_d1 = (r.d1 << 1) | prev_d1;
    let cyr_cont = r.cont & (after_d0 | after_d1);
    // Capitals: U+0400..U+042F (D0 80..AF); U+0460..U+047E even (D1 A0..BE, even).
    let cyr_upper = (after_d0 & r.lt_b0) | (after_d1 & r.ge_a0_even);
    let masks = Masks {
        word: r.ascii_word | leads | cyr_cont,
        upper: r.ascii_upper | cyr_upper,
        cont: cyr_cont,
    };
    (masks, r.high & !leads & !cyr_cont)
}

/// Per-byte classes of a block, as bit masks.
#[derive(Default, Debug, PartialEq)]
struct RawMasks {
    ascii_word: u64,
    ascii_upper: u64,
    d0: u64,
    d1: u64,
    /// 0x80..=0xBF.
    cont: u64,
    /// 0x80..=0xAF.
    lt_b0: u64,
    /// 0xA0..=0xBF with the low bit clear.
    ge_a0_even: u64,
    /// 0x80..=0xFF.
    high: u64,
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn raw_masks(block: &[u8]) -> RawMasks {
    // A document's last, short block is copied into zeros (a zero byte is in no
    // class), so it too is classified 64 bytes at once.
    let mut padded = [0u8; 64];
    let full = if block.len() == 64 {
        block
    } else {
        padded[..block.len()].copy_from_slice(block);
        &padded
    };
    // SAFETY: SSE2 is part of the x86-64 baseline; the loads read 64 in-bounds bytes.
    unsafe { raw_masks_sse2(full) }
}

/// Off x86-64: byte by byte.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn raw_masks(block: &[u8]) -> RawMasks {
    raw_masks_scalar(block)
}

/// Portable classification, byte by byte (the path off x86-64).
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline]
fn raw_masks_scalar(block: &[u8]) -> RawMasks {
    let mut m = RawMasks::default();
    for (i, &b) in block.iter().enumerate() {
        let bit = 1u64 << i;
        let set = |mask: &mut u64, yes: bool| *mask |= if yes { bit } else { 0 };
        set(&mut m.ascii_word, b.is_ascii_alphanumeric() || b == b'_');
        set(&mut m.ascii_upper, b.is_ascii_uppercase());
        set(&mut m.d0, b == 0xD0);
        set(&mut m.d1, b == 0xD1);
        set(&mut m.cont, (0x80..=0xBF).contains(&b));
        set(&mut m.lt_b0, (0x80..=0xAF).contains(&b));
        set(&mut m.ge_a0_even, (0xA0..=0xBF).contains(&b) && b & 1 == 0);
        set(&mut m.high, b >= 0x80);
    }
    m
}

/// SSE2 classification of one 64-byte block.
///
/// # Safety
/// The CPU must support SSE2 (always so on x86-64). `block` must hold at least 64
/// bytes; this is checked (one compare per block), so a short block panics instead
/// of reading out of bounds.
#[cfg(target_arch = "x86_64")]
#[inline]
unsafe fn raw_masks_sse2(block: &[u8]) -> RawMasks {
    assert!(block.len() >= 64, "a block of 64 bytes is needed");
    use std::arch::x86_64::*;
    let mut m = RawMasks::default();
    // Signed compares: ASCII is 0..=127, bytes 0x80..=0xFF are -128..=-1.
    let gt = |x: __m128i, v: i8| _mm_cmpgt_epi8(x, _mm_set1_epi8(v));
    let lt = |x: __m128i, v: i8| _mm_cmpgt_epi8(_mm_set1_epi8(v), x);
    let bits = |v: __m128i, k: usize| u64::from(_mm_movemask_epi8(v) as u16) << (16 * k);
    for k in 0..4 {
        let x = _mm_loadu_si128(block.as_ptr().add(16 * k) as *const __m128i);
        let folded = _mm_or_si128(x, _mm_set1_epi8(0x20));
        let letter = _mm_and_si128(gt(folded, b'a' as i8 - 1), lt(folded, b'z' as i8 + 1));
        let no_case_bit =
            _mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8(0x20)), _mm_setzero_si128());
        let upper = _mm_and_si128(no_case_bit, letter);
        let digit = _mm_and_si128(gt(x, b'0' as i8 - 1), lt(x, b'9' as i8 + 1));
        let under = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'_' as i8));
        m.ascii_word |= bits(_mm_or_si128(_mm_or_si128(letter, digit), under), k);
        m.ascii_upper |= bits(upper, k);
        m.d0 |= bits(_mm_cmpeq_epi8(x, _mm_set1_epi8(0xD0u8 as i8)), k);
        m.d1 |= bits(_mm_cmpeq_epi8(x, _mm_set1_epi8(0xD1u8 as i8)), k);
        // 0x80..=0xBF is -128..=-65.
        m.cont |= bits(lt(x, -64), k);
        // 0x80..=0xAF is -128..=-81.
        m.lt_b0 |= bits(lt(x, -80), k);
        // 0xA0..=0xBF is -96..=-65; even: low bit clear.
        let a0_bf = _mm_and_si128(gt(x, -97), lt(x, -64));
        let even = _mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8(1)), _mm_setzero_si128());
        m.ge_a0_even |= bits(_mm_and_si128(a0_bf, even), k);
        m.high |= bits(x, k);
    }
    m
}

/// The lowest `k` bits set, for `k < 64` (no branch for 64).
#[inline]
fn below(k: usize) -> u64 {
    debug_assert!(k < 64);
    (1u64 << (k & 63)) - 1
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

/// Calls `emit(start, end, has_upper)` for every maximal run of two or more
/// Python word characters in `text`, in order. Returns `false` (having emitted
/// part of the runs) if `lowercase` and the text holds a character whose
/// lowercase depends on context (İ, Σ): such text must be lowercased whole.
pub fn word_runs_utf8(
    text: &str,
    lowercase: bool,
    mut emit: impl FnMut(usize, usize, bool),
) -> bool {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut in_word = 0u64;
    let mut start = 0usize;
    // In the part of the open run before this block: a capital, and continuation bytes.
    let (mut upper_before, mut cont_before) = (false, 0u32);
    let (mut prev_d0, mut prev_d1) = (0u64, 0u64);
    let mut pending = Pending::default();
    let mut base = 0usize;
    while base < n {
        let len = (n - base).min(64);
        let block = &bytes[base..base + len];
        let (mut m, mut other) = classify(block, prev_d0, prev_d1);
        if pending.bytes > 0 {
            // The tail of a character begun in the previous block.
            let tail = low_bits(pending.bytes as usize);
            other &= !tail;
            if pending.word {
                m.word |= tail;
                m.cont |= tail;
            }
            pending = Pending::default();
        }
        while other != 0 {
            let at = other.trailing_zeros() as usize;
            // `at` starts a character: the tails of characters begun earlier are cleared.
            let Some(c) = text.get(base + at..).and_then(|t| t.chars().next()) else {
                return false;
            };
            if lowercase && lower_needs_context(c) {
                return false;
            }
            let width = c.len_utf8();
            let in_block = width.min(len - at);
            let own = low_bits(in_block) << at;
            other &= !own;
            if is_word_char(c) {
                m.word |= own;
                m.cont |= own & !(1 << at);
                if lower_changes(c) {
                    m.upper |= 1 << at;
                }
            }
            if width > in_block {
                pending = Pending {
                    bytes: (width - in_block) as u32,
                    word: is_word_char(c),
                };
            }
        }
        let w = m.word & low_bits(len);
        let shifted = (w << 1) | in_word;
        let starts = w & !shifted;
        let ends = !w & shifted & low_bits(len + 1);
        let mut events = starts | ends;
        while events != 0 {
            let bit = events.trailing_zeros() as usize;
            events &= events - 1;
            if starts >> bit & 1 == 1 {
                start = base + bit;
                upper_before = false;
                cont_before = 0;
            } else {
                let end = base + bit;
                let first = start.max(base) - base;
                // Both below 64: `events` holds bits of this block only.
                let run = below(bit) & !below(first);
                // Five bytes or more hold two characters or more (one takes at most
                // four): only shorter runs count their characters.
                let two = end - start >= 5
                    || (end - start) as u32 - cont_before - (m.cont & run).count_ones() >= 2;
                if two {
                    emit(start, end.min(n), upper_before || m.upper & run != 0);
                }
            }
        }
        if len == 64 && w >> 63 == 1 {
            in_word = 1;
            let run = !low_bits(start.max(base) - base);
            upper_before |= m.upper & run != 0;
            cont_before += (m.cont & run).count_ones();
        } else {
            in_word = 0;
        }
        let last = bytes[base + len - 1];
        prev_d0 = u64::from(last == 0xD0);
        prev_d1 = u64::from(last == 0xD1);
        base += len;
    }
    if in_word == 1 {
        let chars = (n - start) as u32 - cont_before;
        if chars >= 2 {
            emit(start, n, upper_before);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Character-by-character reference: maximal runs of word characters, 2+ characters.
    fn naive(text: &str) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::new();
        let mut run: Option<(usize, usize, bool)> = None; // start, chars, upper
        for (i, c) in text.char_indices() {
            if is_word_char(c) {
                let r = run.get_or_insert((i, 0, false));
                r.1 += 1;
                r.2 |= lower_changes(c);
            } else if let Some((s, k, u)) = run.take() {
                if k >= 2 {
                    out.push((s, i, u));
                }
            }
        }
        if let Some((s, k, u)) = run {
            if k >= 2 {
                out.push((s, text.len(), u));
            }
        }
        out
    }

    #[test]
    fn runs_equal_a_char_by_char_scan() {
        let alphabet: Vec<char> = "aZ9_ .,-\nяЯёЁЀѐѠѡѿ҂҃ӀéÉß«»—’😀\u{301}\u{200d}İΣσ中"
            .chars()
            .collect();
        let mut seed = 11u64;
        for len in (0..200).chain([300, 640, 1000]) {
            for _ in 0..4 {
                let text: String = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                        alphabet[(seed >> 33) as usize % alphabet.len()]
                    })
                    .collect();
                for lowercase in [false, true] {
                    let mut got = Vec::new();
                    let whole = word_runs_utf8(&text, lowercase, |s, e, u| got.push((s, e, u)));
                    let context = text.contains(['İ', 'Σ']);
                    assert_eq!(whole, !(lowercase && context), "{text:?}");
                    if whole {
                        assert_eq!(got, naive(&text), "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn short_blocks_classify_as_byte_by_byte() {
        // A document's last block is zero-padded for SIMD: its masks must equal the
        // byte-by-byte ones, with no bit set past its end, at every length.
        let text = "aZ9_ яЯё\u{d0}Ѡѿ—é😀,x".repeat(4);
        let bytes = &text.as_bytes()[..64];
        for n in 0..=64 {
            assert_eq!(raw_masks_scalar(&bytes[..n]), raw_masks(&bytes[..n]), "{n}");
        }
    }

    #[test]
    fn runs_across_blocks() {
        // A Cyrillic letter split across the 64-byte boundary, a 4-byte character
        // split across it, and a run spanning three blocks.
        for pad in 60..66 {
            for mid in ["я", "Я", "😀", "é", "中", "ab"] {
                let text = format!("{}{mid}{}", "x".repeat(pad), "Ѡ".repeat(70));
                let mut got = Vec::new();
                assert!(word_runs_utf8(&text, true, |s, e, u| got.push((s, e, u))));
                assert_eq!(got, naive(&text), "{pad} {mid}");
            }
        }
    }
}
