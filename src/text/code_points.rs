//! UTF-8 from Unicode code points, checked: how the Python binding turns a batch of
//! `str`s (copied out as UCS-4 under the GIL, a fast widening copy) into text on
//! every core, instead of running Python's UTF-8 encoder one string at a time.
//! [`Document`] lets the counting loops encode each document into a buffer of
//! their own right before they tokenize it (no owned copy of the corpus at all).

/// The UTF-8 of `points`, or the index of the first value that is no Unicode scalar
/// value (a lone surrogate U+D800..U+DFFF, or above U+10FFFF), which has no UTF-8.
pub fn utf8_of_code_points(points: &[u32]) -> Result<String, usize> {
    let mut out = Vec::new();
    encode_into(points, &mut out)?;
    out.shrink_to_fit();
    // SAFETY: `encode_into` wrote only valid UTF-8 (see there).
    Ok(unsafe { String::from_utf8_unchecked(out) })
}

/// Appends the UTF-8 of `points` to `out`, or gives the index of the first value that is
/// no Unicode scalar value (a lone surrogate); then `out` may hold part of it (valid UTF-8
/// still), for the caller to cut off.
pub fn append_utf8(points: &[u32], out: &mut String) -> Result<(), usize> {
    // SAFETY: `encode_into` appends valid UTF-8, or the valid UTF-8 of the values before
    // a bad one and stops there.
    encode_into(points, unsafe { out.as_mut_vec() })
}

/// Replaces `out` with the UTF-8 of `points`, each value that is no Unicode scalar
/// value written as U+FFFD (scikit-learn's inputs: like a lone surrogate, no word
/// character). `out`'s buffer is reused.
pub fn encode_lossy_into(points: &[u32], out: &mut String) {
    // SAFETY: the bytes are only ever replaced by valid UTF-8 (`encode_into` writes
    // valid UTF-8 or stops at a bad value, whose prefix is cut off below and redone).
    let bytes = unsafe { out.as_mut_vec() };
    bytes.clear();
    let mut done = 0;
    while let Err(k) = encode_into(&points[done..], bytes) {
        bytes.extend_from_slice("\u{FFFD}".as_bytes());
        done += k + 1;
    }
}

/// Appends the UTF-8 of `points` to `out`, or gives the index of the first value that is
/// no Unicode scalar value (then `out` holds the UTF-8 of the values before it).
fn encode_into(points: &[u32], out: &mut Vec<u8>) -> Result<(), usize> {
    let n = points.len();
    // Exact for ASCII; grown once or twice for other scripts (one pass over the input:
    // counting the length first cost as much as encoding).
    out.reserve(n + 64);
    let mut at = out.len();
    let mut done = 0usize;
    #[cfg(target_arch = "x86_64")]
    let simd = std::is_x86_feature_detected!("ssse3");
    let mut chunks = points.chunks_exact(16);
    for chunk in &mut chunks {
        if out.capacity() - at < 64 {
            // SAFETY: the first `at` bytes are written.
            unsafe { out.set_len(at) };
            out.reserve((n - done) * 3 / 2 + 64);
        }
        let dst = out.as_mut_ptr();
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: SSE2 is part of x86-64; `chunk` holds 16 values, and 64 bytes are
            // free past `at`, of which 16 are stored.
            if unsafe { x86::sixteen_ascii(chunk.as_ptr(), dst.add(at)) } {
                at += 16;
                done += 16;
                continue;
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        if chunk.iter().fold(0, |a, &c| a | c) < 0x80 {
            // Sixteen ASCII characters: one narrowing copy (most of English text).
            for (k, &c) in chunk.iter().enumerate() {
                // SAFETY: at least 64 bytes of capacity are free past `at`.
                unsafe { *dst.add(at + k) = c as u8 };
            }
            at += 16;
            done += 16;
            continue;
        }
        for half in chunk.chunks_exact(8) {
            #[cfg(target_arch = "x86_64")]
            if simd {
                // SAFETY: SSSE3 is present; `half` holds 8 values; at most 32 of the
                // 64 bytes free before this chunk are used, and 16 are stored here.
                if let Some(w) = unsafe { x86::eight_below_0x800(half.as_ptr(), dst.add(at)) } {
                    at += w;
                    done += 8;
                    continue;
                }
            }
            for (k, &c) in half.iter().enumerate() {
                if !is_scalar(c) {
                    // SAFETY: the first `at` bytes are written.
                    unsafe { out.set_len(at) };
                    return Err(done + k);
                }
                // SAFETY: 64 bytes were free past `at` before the chunk's 16 characters,
                // which take at most 4 each.
                at = unsafe { put(dst, at, c) };
            }
            done += 8;
        }
    }
    for (k, &c) in chunks.remainder().iter().enumerate() {
        if out.capacity() - at < 8 {
            // SAFETY: the first `at` bytes are written.
            unsafe { out.set_len(at) };
            out.reserve(64);
        }
        if !is_scalar(c) {
            // SAFETY: the first `at` bytes are written.
            unsafe { out.set_len(at) };
            return Err(done + k);
        }
        // SAFETY: at least 8 bytes are free past `at`.
        at = unsafe { put(out.as_mut_ptr(), at, c) };
    }
    // SAFETY: the first `at` bytes were written, each character checked to be a Unicode
    // scalar value (or, eight at a time, found below U+0800) and written in the standard
    // UTF-8 encoding of its width (the tests compare with `str`'s own bytes on every
    // width and every mix of one- and two-byte characters), so they are valid UTF-8.
    unsafe { out.set_len(at) };
    debug_assert!(std::str::from_utf8(out).is_ok());
    Ok(())
}

/// Sixteen ASCII code points at a time (SSE2), and eight with SSSE3 (every x86-64 CPU
/// since 2006, detected at run time) where ASCII is mixed with the two-byte scripts
/// (Cyrillic, Greek, Latin with accents, Hebrew, Arabic), where the per-character loop
/// branched on every letter.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_andnot_si128, _mm_cmpeq_epi32, _mm_cmplt_epi16,
        _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_packs_epi16, _mm_packs_epi32,
        _mm_packus_epi16, _mm_set1_epi16, _mm_set1_epi32, _mm_setzero_si128, _mm_shuffle_epi8,
        _mm_slli_epi16, _mm_srli_epi16, _mm_storeu_si128,
    };

    /// For each set of ASCII lanes (bit `i`: character `i` of 8 is ASCII), the byte
    /// shuffle that keeps each lane's first byte, and its second unless ASCII, in order.
    static SHUFFLES: [[u8; 16]; 256] = shuffles();

    const fn shuffles() -> [[u8; 16]; 256] {
        // 0x80 selects a zero byte (past the bytes written, overwritten later).
        let mut table = [[0x80u8; 16]; 256];
        let mut mask = 0;
        while mask < 256 {
            let (mut k, mut lane) = (0, 0);
            while lane < 8 {
                table[mask][k] = 2 * lane as u8;
                k += 1;
                if mask & (1 << lane) == 0 {
                    table[mask][k] = 2 * lane as u8 + 1;
                    k += 1;
                }
                lane += 1;
            }
            mask += 1;
        }
        table
    }

    /// Writes the 16 code points at `src` to `dst` as bytes if all are ASCII (and says
    /// whether they were; nothing is written otherwise).
    ///
    /// # Safety
    /// 16 values must be readable at `src`, and 16 bytes writable at `dst`.
    #[inline]
    pub unsafe fn sixteen_ascii(src: *const u32, dst: *mut u8) -> bool {
        let a = _mm_loadu_si128(src.cast::<__m128i>());
        let b = _mm_loadu_si128(src.add(4).cast::<__m128i>());
        let c = _mm_loadu_si128(src.add(8).cast::<__m128i>());
        let d = _mm_loadu_si128(src.add(12).cast::<__m128i>());
        let all = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d));
        let above = _mm_and_si128(all, _mm_set1_epi32(!0x7F));
        if _mm_movemask_epi8(_mm_cmpeq_epi32(above, _mm_setzero_si128())) != 0xFFFF {
            return false;
        }
        // Every value is below 0x80: the saturating packs are exact.
        let bytes = _mm_packus_epi16(_mm_packs_epi32(a, b), _mm_packs_epi32(c, d));
        _mm_storeu_si128(dst.cast::<__m128i>(), bytes);
        true
    }

    /// Writes the UTF-8 of the 8 code points at `src` to `dst` if all are below U+0800
    /// (so all are scalar values of one or two bytes) and returns how many bytes it
    /// takes; `None` (nothing written) otherwise.
    ///
    /// # Safety
    /// SSSE3 must be present; 8 values must be readable at `src`, and 16 bytes writable
    /// at `dst` (all 16 are stored; those past the returned length are junk).
    #[target_feature(enable = "ssse3")]
    pub unsafe fn eight_below_0x800(src: *const u32, dst: *mut u8) -> Option<usize> {
        let a = _mm_loadu_si128(src.cast::<__m128i>());
        let b = _mm_loadu_si128(src.add(4).cast::<__m128i>());
        let above = _mm_and_si128(_mm_or_si128(a, b), _mm_set1_epi32(!0x7FF));
        if _mm_movemask_epi8(_mm_cmpeq_epi32(above, _mm_setzero_si128())) != 0xFFFF {
            return None;
        }
        // Eight 16-bit lanes (exact: every value is below 0x800).
        let c = _mm_packs_epi32(a, b);
        let ascii = _mm_cmplt_epi16(c, _mm_set1_epi16(0x80));
        // Two-byte form, lead byte first in memory: 110xxxxx 10xxxxxx.
        let lead = _mm_or_si128(_mm_srli_epi16::<6>(c), _mm_set1_epi16(0xC0));
        let trail = _mm_or_si128(_mm_and_si128(c, _mm_set1_epi16(0x3F)), _mm_set1_epi16(0x80));
        let two = _mm_or_si128(lead, _mm_slli_epi16::<8>(trail));
        let lanes = _mm_or_si128(_mm_and_si128(ascii, c), _mm_andnot_si128(ascii, two));
        let mask = (_mm_movemask_epi8(_mm_packs_epi16(ascii, _mm_setzero_si128())) & 0xFF) as usize;
        let order = _mm_loadu_si128(SHUFFLES[mask].as_ptr().cast::<__m128i>());
        _mm_storeu_si128(dst.cast::<__m128i>(), _mm_shuffle_epi8(lanes, order));
        Some(16 - mask.count_ones() as usize)
    }
}

/// A document as the counting loops read it.
pub trait Document: Sync {
    /// Its UTF-8 text: borrowed, or written into `buf` (reused from document to document).
    fn text<'a>(&'a self, buf: &'a mut String) -> &'a str;
    /// Its size in bytes or characters, for cutting work into even parts.
    fn size(&self) -> usize;
}

impl<S: AsRef<str> + Sync> Document for S {
    #[inline]
    fn text<'a>(&'a self, _buf: &'a mut String) -> &'a str {
        self.as_ref()
    }

    #[inline]
    fn size(&self) -> usize {
        self.as_ref().len()
    }
}

/// Whether `c` is a Unicode scalar value: no surrogate, at most U+10FFFF.
#[inline(always)]
fn is_scalar(c: u32) -> bool {
    c < 0xD800 || (0xE000..=0x10_FFFF).contains(&c)
}

/// Writes the UTF-8 of scalar value `c` at `dst + at` and returns the position after
/// it. Below U+0800 it writes 2 bytes whatever the width, without a branch (ASCII and
/// Cyrillic alternate in every word); wider ones write 4. The caller guarantees room
/// for 4 bytes at `at`.
#[inline(always)]
unsafe fn put(dst: *mut u8, at: usize, c: u32) -> usize {
    if c < 0x800 {
        let two = c >= 0x80;
        let b0 = if two { 0xC0 | (c >> 6) } else { c };
        let b1 = 0x80 | (c & 0x3F);
        std::ptr::write_unaligned(dst.add(at).cast::<u16>(), (b0 | (b1 << 8)) as u16);
        at + 1 + usize::from(two)
    } else if c < 0x1_0000 {
        let v =
            (0xE0 | (c >> 12)) | ((0x80 | ((c >> 6) & 0x3F)) << 8) | ((0x80 | (c & 0x3F)) << 16);
        std::ptr::write_unaligned(dst.add(at).cast::<u32>(), v);
        at + 3
    } else {
        let v = (0xF0 | (c >> 18))
            | ((0x80 | ((c >> 12) & 0x3F)) << 8)
            | ((0x80 | ((c >> 6) & 0x3F)) << 16)
            | ((0x80 | (c & 0x3F)) << 24);
        std::ptr::write_unaligned(dst.add(at).cast::<u32>(), v);
        at + 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::lcg;

    fn points(s: &str) -> Vec<u32> {
        s.chars().map(u32::from).collect()
    }

    #[test]
    fn equals_rust_utf8_on_every_width() {
        for s in [
            "",
            "a",
            "collective West",
            "«Коллективный Запад» — ёлка",
            "emoji 🇷🇺 and 𝔘 (four bytes), CJK 中文, Arabic العربية",
            "12345678ñ12345678",
            "sixteen ascii ch«Коллективный Запад» and then sixteen more ascii chars",
        ] {
            assert_eq!(utf8_of_code_points(&points(s)).as_deref(), Ok(s));
        }
    }

    #[test]
    fn random_texts_round_trip() {
        // Mixed runs of ASCII, 2-, 3- and 4-byte characters around the 8-wide fast path.
        let pool: Vec<char> =
            "abc xyz.ЖжЁё—«»€中🇷😀\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"
                .chars()
                .collect();
        let mut next = lcg(5);
        for round in 0..2000 {
            // From mostly non-ASCII to mostly ASCII (whole 16-character ASCII chunks).
            let rare = 2 + round % 30;
            let n = next() % 80;
            let s: String = (0..n)
                .map(|_| {
                    if next().is_multiple_of(rare) {
                        pool[next() % pool.len()]
                    } else {
                        'e'
                    }
                })
                .collect();
            assert_eq!(utf8_of_code_points(&points(&s)).as_deref(), Ok(s.as_str()));
        }
    }

    #[test]
    fn long_texts_grow_their_buffer_and_keep_no_slack() {
        // Grown from the ASCII guess several times: Cyrillic (2 bytes), dashes (3), emoji (4).
        for unit in ["Коллективный Запад ", "—…“”", "😀🇷🇺", "West — Запад 😀 "]
        {
            let s = unit.repeat(5000);
            let t = utf8_of_code_points(&points(&s)).expect("valid");
            assert_eq!(t, s);
            assert!(
                t.capacity() <= t.len() + 16,
                "{} > {}",
                t.capacity(),
                t.len()
            );
        }
    }

    #[test]
    fn every_mix_of_one_and_two_byte_characters_in_eight() {
        // Each of the 256 patterns of ASCII / two-byte lanes, with the edges of both
        // ranges, at every offset from the start of a 16-character chunk; a wider
        // character or a surrogate in the eight takes the per-character path.
        let ones = ['\u{0}', 'a', '\u{7F}', ' '];
        let twos = ['\u{80}', 'Ж', 'ё', '\u{7FF}', 'é'];
        for mask in 0..256usize {
            for shift in 0..16 {
                let mut s: String = "x".repeat(shift);
                for lane in 0..8 {
                    if mask & (1 << lane) != 0 {
                        s.push(ones[(mask + lane) % ones.len()]);
                    } else {
                        s.push(twos[(mask + lane) % twos.len()]);
                    }
                }
                s.push_str("tail of the chunk");
                assert_eq!(utf8_of_code_points(&points(&s)).as_deref(), Ok(s.as_str()));
                let mut p = points(&s);
                p[shift + mask % 8] = 0xDC00 + mask as u32;
                assert_eq!(utf8_of_code_points(&p), Err(shift + mask % 8));
                p[shift + mask % 8] = u32::from('\u{800}');
                let want: String = p.iter().map(|&c| char::from_u32(c).unwrap()).collect();
                assert_eq!(utf8_of_code_points(&p).as_deref(), Ok(want.as_str()));
            }
        }
    }

    #[test]
    fn lossy_encoding_replaces_bad_values_and_reuses_the_buffer() {
        let mut buf = String::from("left over from the last document");
        let mut p = points(&"Запад West ".repeat(4));
        p[3] = 0xD800;
        p[40] = 0x11_0000;
        p[43] = 0xDFFF;
        encode_lossy_into(&p, &mut buf);
        let want: String = p
            .iter()
            .map(|&c| char::from_u32(c).unwrap_or('\u{FFFD}'))
            .collect();
        assert_eq!(buf, want);
        assert_eq!(buf.matches('\u{FFFD}').count(), 3);
        // A bad value first and last; then a clean document in the same buffer.
        encode_lossy_into(&[0xD800, 0x61, 0xDC00], &mut buf);
        assert_eq!(buf, "\u{FFFD}a\u{FFFD}");
        encode_lossy_into(&points("«Коллективный Запад»"), &mut buf);
        assert_eq!(buf, "«Коллективный Запад»");
        encode_lossy_into(&[], &mut buf);
        assert_eq!(buf, "");
    }

    #[test]
    fn documents_read_as_text() {
        let mut buf = String::new();
        assert_eq!("West".text(&mut buf), "West");
        assert_eq!("Запад".size(), 10);
        assert_eq!(String::from("x").text(&mut buf), "x");
    }

    #[test]
    fn lone_surrogates_and_out_of_range_are_named_by_position() {
        let mut p = points("abcdefghij");
        p[7] = 0xD800;
        assert_eq!(utf8_of_code_points(&p), Err(7));
        p[7] = 0xDFFF;
        assert_eq!(utf8_of_code_points(&p), Err(7));
        p[7] = 0x11_0000;
        p[2] = 0xDC00;
        assert_eq!(utf8_of_code_points(&p), Err(2));
        // Past the first 16-character chunk too, and in its ASCII-only part.
        let mut long = points(&"Запад ".repeat(20));
        long[77] = 0xDABC;
        assert_eq!(utf8_of_code_points(&long), Err(77));
        // The neighbours of the surrogate range are characters.
        assert!(utf8_of_code_points(&[0xD7FF, 0xE000, 0x10_FFFF]).is_ok());
    }
}
