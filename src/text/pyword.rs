//! Python's `re` definition of a word character (`\w` on str patterns):
//! `str.isalnum() or "_"`, and which characters Python's `str.lower()` changes.
//! Rust regex's `\w` also admits combining marks, so scikit-learn's default
//! `token_pattern` needs these tables to match exactly. Lookup costs one shift
//! for the BMP and a binary search above it.

#[allow(clippy::unreadable_literal)]
mod table {
    include!("pyword_table.rs");
}

pub use table::UNICODE_VERSION;

#[inline]
fn lookup(bmp: &[u64; 1024], astral: &[(u32, u32)], c: char) -> bool {
    let cp = c as u32;
    if cp < 0x10000 {
        (bmp[(cp >> 6) as usize] >> (cp & 63)) & 1 == 1
    } else {
        astral
            .binary_search_by(|&(lo, hi)| {
                if hi < cp {
                    std::cmp::Ordering::Less
                } else if lo > cp {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
    }
}

/// Whether `c` is a word character for Python's `re` module.
#[inline]
pub fn is_word_char(c: char) -> bool {
    lookup(&table::BMP, &table::ASTRAL, c)
}

/// Whether Python's `str.lower()` changes `c`.
#[inline]
pub fn lower_changes(c: char) -> bool {
    lookup(&table::LOWER_BMP, &table::LOWER_ASTRAL, c)
}

/// Characters whose lowercase changes token boundaries (İ -> i + U+0307) or
/// depends on context (Σ -> σ or final ς): a document holding one is
/// lowercased whole, as Python does.
#[inline]
pub fn lower_needs_context(c: char) -> bool {
    c == '\u{130}' || c == '\u{3a3}'
}

/// Class bits of each byte: [`WORD`] for `[A-Za-z0-9_]`, [`UPPER`] for `[A-Z]`,
/// [`NON_ASCII`] for bytes of multi-byte UTF-8 sequences.
pub static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'_' {
            t[b] |= WORD;
        }
        if c.is_ascii_uppercase() {
            t[b] |= UPPER;
        }
        if c >= 0x80 {
            t[b] |= NON_ASCII;
        }
        b += 1;
    }
    t
};
/// [`ASCII_CLASS`] bit: a byte of a multi-byte character.
pub const NON_ASCII: u8 = 4;
/// [`ASCII_CLASS`] bit: a word byte.
pub const WORD: u8 = 1;
/// [`ASCII_CLASS`] bit: an uppercase ASCII letter.
pub const UPPER: u8 = 2;

/// Whether the ASCII byte `b` is a word character (`[A-Za-z0-9_]`).
#[inline]
pub fn is_ascii_word_byte(b: u8) -> bool {
    ASCII_CLASS[b as usize] & WORD != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_word_chars() {
        for c in ['a', 'Z', '0', '_', 'ж', 'Ё', '٣', '²', '中'] {
            assert!(is_word_char(c), "{c:?}");
        }
        // Combining marks, joiners and punctuation are not word chars in Python.
        for c in ['\u{301}', '\u{200d}', '-', '\'', ' ', '’', '#', '\u{307}'] {
            assert!(!is_word_char(c), "{c:?}");
        }
        assert!(is_word_char('\u{1d400}')); // MATHEMATICAL BOLD CAPITAL A
        assert!(!is_word_char('\u{1f600}')); // emoji
        assert!(
            lower_changes('A') && lower_changes('Ж') && !lower_changes('ж') && !lower_changes('1')
        );
    }
}
