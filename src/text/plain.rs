//! The tokenizer's tokens, found without normalising most of them: for jobs that
//! look at few words (frame matching) but must count every token.
//!
//! Text is cut at ASCII white space into runs, which the tokenizer never joins
//! (a URL, a hashtag or a glued sentence lies within one run). A run of plain
//! characters is tokenized here in one byte loop: ASCII letters and digits, the
//! basic Cyrillic letters А..я (U+0410..U+044F), and punctuation that always ends
//! a word. Its words are passed as written: normalising them is lowercasing
//! (ASCII, or А..Я -> а..я), which [`lower_into`] does. Any other run (marks, ё,
//! apostrophes or full stops inside a word, digits joined by commas, `#`, `@`,
//! `_`, URLs, letters of two scripts in one word, hyphens when they join) goes to
//! [`Tokenizer::tokenize`], whose normalised tokens are passed on. The tokens are
//! the tokenizer's, in its order (a property test compares them on adversarial text).

use crate::text::tokenizer::{HyphenMode, Tokenizer, TokenizerOptions};

/// One token of [`for_each_token`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// A word of ASCII letters and digits, or of Russian letters (А..я, Ё, ё), as
    /// written: its normalised form is itself, lowercased and with ё folded to е as the
    /// tokenizer does ([`lower_into`]).
    Plain(&'a str),
    /// Any other token, normalised by the tokenizer.
    Normalised(&'a str),
}

/// Byte classes of the plain-run scanner.
const SPACE: u8 = 0;
const ALNUM: u8 = 1;
/// Punctuation that always ends a word.
const BREAK: u8 = 2;
/// `. ' : , ;`: joins a word when between two word characters (UAX #29 WB6-WB12).
const JOINER: u8 = 3;
/// `# @ _`: hashtags, addresses, connectors: not plain.
const SPECIAL: u8 = 4;
/// `-`: ends a word unless hyphens join.
const HYPHEN: u8 = 5;
/// A byte of a non-ASCII character.
const HIGH: u8 = 6;

const CLASS: [u8; 256] = {
    let mut t = [HIGH; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => ALNUM,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => SPACE,
            b'.' | b'\'' | b':' | b',' | b';' => JOINER,
            b'#' | b'@' | b'_' => SPECIAL,
            b'-' => HYPHEN,
            _ => BREAK,
        };
        b += 1;
    }
    t
};

/// What a non-ASCII character at the start of `b` is to the scanner.
enum High {
    /// A basic Cyrillic letter (2 bytes).
    Cyrillic,
    /// Punctuation that always ends a word (byte length): « » – — “ ” „ … and no-break space.
    Break(usize),
    /// ‘ or ’ (3 bytes): an apostrophe, which joins like `'`.
    Apostrophe,
    /// Anything else.
    Other,
}

#[inline(always)]
fn high(b: &[u8]) -> High {
    match b {
        [0xD0, 0x81 | 0x90..=0xBF, ..] | [0xD1, 0x80..=0x8F | 0x91, ..] => High::Cyrillic,
        [0xC2, 0xA0 | 0xAB | 0xBB, ..] => High::Break(2),
        [0xE2, 0x80, 0x93 | 0x94 | 0x9C | 0x9D | 0x9E | 0xA6, ..] => High::Break(3),
        [0xE2, 0x80, 0x98 | 0x99, ..] => High::Apostrophe,
        _ => High::Other,
    }
}

/// From `i`, a character boundary, past the letters А..я (U+0410..U+044F, two bytes
/// each) that follow, eight bytes checked at once; stops at the first other character
/// (Ё and ё included) or where fewer than eight bytes are left, for the caller's
/// per-letter loop.
#[inline(always)]
fn cyrillic_quads_end(b: &[u8], mut i: usize) -> usize {
    // In UTF-8 at a character boundary, А..я is a lead byte D0 with a continuation
    // byte 90..BF, or D1 with 80..8F: the lead is D0 or D1, and its low bit is set
    // exactly when the continuation byte's bits 4 and 5 are both clear.
    const LEAD_MASK: u64 = 0x00FE_00FE_00FE_00FE;
    const LEADS: u64 = 0x00D0_00D0_00D0_00D0;
    const LOW: u64 = 0x0001_0001_0001_0001;
    while let Some(quad) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(quad.try_into().expect("8 bytes"));
        // Lead D1; the continuation bytes moved into the even byte lanes; those >= 0x90.
        let d1 = w & LOW;
        let t = w >> 8;
        let high_trail = ((t >> 4) | (t >> 5)) & LOW;
        // Non-zero in the low byte of each 16-bit lane (one letter) that is not А..я.
        let bad = ((w & LEAD_MASK) ^ LEADS) | (d1 ^ high_trail ^ LOW);
        if bad != 0 {
            // Past the letters before the first other character (lanes in text order).
            return i + 2 * (bad.trailing_zeros() / 16) as usize;
        }
        i += 8;
    }
    i
}

/// Whether a word character (ASCII letter or digit, basic Cyrillic letter) starts `b`.
#[inline(always)]
fn word_char_at(b: &[u8]) -> bool {
    match b.first() {
        Some(&x) if x < 0x80 => CLASS[x as usize] == ALNUM,
        Some(_) => matches!(high(b), High::Cyrillic),
        None => false,
    }
}

/// Calls `f(token, start, end)` with each token of `text` and its byte span, as
/// [`Tokenizer::tokenize`] finds them, in order.
pub fn for_each_token<F: FnMut(Token<'_>, usize, usize)>(
    tokenizer: &Tokenizer,
    text: &str,
    mut f: F,
) {
    let opts = tokenizer.options();
    let join_hyphens = opts.hyphens == HyphenMode::Join;
    let b = text.as_bytes();
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut i = skip_space(b, 0);
    while i < b.len() {
        let start = i;
        words.clear();
        if let Some(next) = plain_run(b, start, join_hyphens, &mut words) {
            for &(s, e) in &words {
                if opts.numbers || b[s..e].iter().any(|&c| c > b'9') {
                    f(Token::Plain(&text[s..e]), s, e);
                }
            }
            i = next;
            continue;
        }
        // Not plain: the tokenizer takes this run and every following run that starts
        // with a character other than a plain one (a mark or joiner there belongs with
        // the white space before it), so that its runs start where UAX #29 must break.
        let mut unit_end = run_end(b, start);
        loop {
            let next = skip_space(b, unit_end);
            if next < b.len() && b[next] >= 0x80 && matches!(high(&b[next..]), High::Other) {
                unit_end = run_end(b, next);
            } else {
                break;
            }
        }
        tokenizer.tokenize(&text[start..unit_end], |t, a, e| {
            f(Token::Normalised(t), start + a, start + e)
        });
        i = skip_space(b, unit_end);
    }
}

#[inline]
fn skip_space(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && CLASS[b[i] as usize] == SPACE {
        i += 1;
    }
    i
}

/// End of the run of non-space bytes from `i`.
#[inline]
fn run_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && CLASS[b[i] as usize] != SPACE {
        i += 1;
    }
    i
}

/// Whether the character at `b[0..]`, just after a word (of ASCII if `ascii_word`,
/// else of Cyrillic), keeps the run plain: not a word character of the other script, nor a joiner followed by a word
/// character ("U.S", "don't", "1,000", "West’s").
#[inline(always)]
fn word_may_end(b: &[u8], ascii_word: bool) -> bool {
    match b.first() {
        None => true,
        Some(&x) if x < 0x80 => match CLASS[x as usize] {
            ALNUM => ascii_word,
            JOINER => !word_char_at(&b[1..]),
            _ => true,
        },
        Some(_) => match high(b) {
            High::Cyrillic => !ascii_word,
            High::Apostrophe => !word_char_at(&b[3..]),
            _ => true,
        },
    }
}

/// Scans the run at `start` (not white space) and puts its words into `words`;
/// returns where the next run starts, or `None` (stopping early) if the run is not
/// plain. A plain run is followed by white space or the end, and the run after it
/// starts with ASCII or a plain character.
fn plain_run(
    b: &[u8],
    start: usize,
    join_hyphens: bool,
    words: &mut Vec<(usize, usize)>,
) -> Option<usize> {
    let n = b.len();
    let mut i = start;
    while i < n {
        let x = b[i];
        match CLASS[x as usize] {
            ALNUM => {
                let s = i;
                i += 1;
                while i < n && CLASS[b[i] as usize] == ALNUM {
                    i += 1;
                }
                if !word_may_end(&b[i..], true) {
                    return None;
                }
                words.push((s, i));
            }
            SPACE => break,
            BREAK => i += 1,
            JOINER => {
                if x == b'.' && i >= start + 3 && b[i - 3..i].eq_ignore_ascii_case(b"www") {
                    return None; // "www." starts a URL
                }
                if x == b':' && b.get(i + 1) == Some(&b'/') {
                    return None; // "://"
                }
                i += 1;
            }
            HYPHEN if !join_hyphens => i += 1,
            HIGH => match high(&b[i..]) {
                High::Cyrillic => {
                    let s = i;
                    i = cyrillic_quads_end(b, i + 2);
                    while i + 1 < n && matches!(high(&b[i..]), High::Cyrillic) {
                        i += 2;
                    }
                    if !word_may_end(&b[i..], false) {
                        return None;
                    }
                    words.push((s, i));
                }
                High::Break(len) => i += len,
                High::Apostrophe => i += 3,
                High::Other => return None,
            },
            _ => return None, // `# @ _`, or a hyphen that joins
        }
    }
    // The next run must not start with a character that belongs with this white space.
    let next = skip_space(b, i);
    if next < n && b[next] >= 0x80 && matches!(high(&b[next..]), High::Other) {
        return None;
    }
    Some(next)
}

/// Appends the normalised form of a [`Token::Plain`] word: itself, lowercased and with
/// ё folded to е as `opts` ask.
#[inline]
pub fn lower_into(word: &str, opts: &TokenizerOptions, out: &mut String) {
    if word.is_ascii() {
        let from = out.len();
        out.push_str(word);
        if opts.lowercase {
            out[from..].make_ascii_lowercase();
        }
        return;
    }
    // A Russian word: two bytes a letter, each pair normalised by one table lookup.
    debug_assert_eq!(word.len() % 2, 0, "a Russian plain word: {word:?}");
    let table = russian_letters(opts);
    // SAFETY: only whole table entries are appended, each the UTF-8 of one character
    // U+0400..U+047F (`russian_table`), so `out` stays valid UTF-8 whatever `word` is.
    let bytes = unsafe { out.as_mut_vec() };
    bytes.reserve(word.len());
    for pair in word.as_bytes().chunks_exact(2) {
        bytes.extend_from_slice(&table[russian_index(pair)].to_le_bytes());
    }
}

/// Where the two UTF-8 bytes of a letter U+0400..U+047F (lead D0 or D1) are in a
/// [`russian_letters`] table: the lead's low bit, then the continuation's six bits.
#[inline(always)]
fn russian_index(pair: &[u8]) -> usize {
    (usize::from(pair[0] & 1) << 6) | usize::from(pair[1] & 0x3F)
}

/// Normalised letters U+0400..U+047F by [`russian_index`], as their two UTF-8 bytes
/// (little-endian), for each combination of `lowercase` and `fold_yo`: lowercased
/// (Ё -> ё, А..Я -> а..я) and ё/Ё folded to е/Е as asked.
static RUSSIAN_LETTERS: [[u16; 128]; 4] = [
    russian_table(false, false),
    russian_table(true, false),
    russian_table(false, true),
    russian_table(true, true),
];

#[inline(always)]
fn russian_letters(opts: &TokenizerOptions) -> &'static [u16; 128] {
    &RUSSIAN_LETTERS[usize::from(opts.lowercase) | (usize::from(opts.fold_yo) << 1)]
}

const fn russian_table(lowercase: bool, fold_yo: bool) -> [u16; 128] {
    let mut table = [0u16; 128];
    let mut i = 0;
    while i < 128 {
        let c = 0x400 + i as u32;
        let out = if fold_yo && c == 0x401 && !lowercase {
            0x415
        } else if fold_yo && (c == 0x401 || c == 0x451) {
            0x435
        } else if lowercase && c == 0x401 {
            0x451
        } else if lowercase && c >= 0x410 && c <= 0x42F {
            c + 0x20
        } else {
            c
        };
        table[i] = ((0xC0 | (out >> 6)) | ((0x80 | (out & 0x3F)) << 8)) as u16;
        i += 1;
    }
    table
}

/// The first bytes of `b` (up to 8), packed little-endian, zeros after its end.
#[inline(always)]
pub fn first_bytes(b: &[u8]) -> u64 {
    if b.len() >= 8 {
        return u64::from_le_bytes(b[..8].try_into().expect("8 bytes"));
    }
    let mut v = 0u64;
    for (k, &x) in b.iter().enumerate() {
        v |= u64::from(x) << (8 * k);
    }
    v
}

/// The first bytes (up to 8) of a [`Token::Plain`] word's normalised form, as
/// [`lower_into`] writes it, packed little-endian (zeros after the word's end).
#[inline]
pub fn lower_prefix(word: &str, opts: &TokenizerOptions) -> u64 {
    let b = word.as_bytes();
    if b.first().is_some_and(|&c| c < 0x80) {
        let v = first_bytes(b);
        if !opts.lowercase {
            return v;
        }
        // ASCII: set bit 5 of the bytes in A..Z (SWAR; every byte is below 0x80).
        const ONES: u64 = 0x0101_0101_0101_0101;
        let ge_a = v + ONES * u64::from(0x80 - b'A');
        let gt_z = v + ONES * u64::from(0x80 - b'Z' - 1);
        return v | ((ge_a & !gt_z & (ONES * 0x80)) >> 2);
    }
    // Russian: two bytes a letter, before and after normalising.
    let table = russian_letters(opts);
    let mut key = 0u64;
    for (k, pair) in b.chunks_exact(2).take(4).enumerate() {
        key |= u64::from(table[russian_index(pair)]) << (16 * k);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_quads_stop_at_the_first_group_with_another_character() {
        // Every two-byte character from U+0080 to U+07FF at each place of a group of
        // four letters: the scan stops right before it unless it is А..я.
        for c in (0x80u32..0x800).filter_map(char::from_u32) {
            for pos in 0..4 {
                let mut word: Vec<char> = "абвг".chars().collect();
                word[pos] = c;
                let text: String = word.iter().collect();
                let letter = ('А'..='я').contains(&c);
                let end = cyrillic_quads_end(text.as_bytes(), 0);
                assert_eq!(end, if letter { 8 } else { 2 * pos }, "{text:?}");
            }
        }
        // Longer words, other characters after them, fewer than eight bytes left.
        assert_eq!(cyrillic_quads_end("предложение»".as_bytes(), 0), 22);
        assert_eq!(cyrillic_quads_end("предложение x".as_bytes(), 0), 22);
        assert_eq!(cyrillic_quads_end("Ёлка".as_bytes(), 0), 0);
        assert_eq!(cyrillic_quads_end("ёлка и".as_bytes(), 2), 8);
        assert_eq!(cyrillic_quads_end("абв".as_bytes(), 0), 0);
        assert_eq!(cyrillic_quads_end("Яя".as_bytes(), 0), 0);
        assert_eq!(cyrillic_quads_end("АБВГДЕЖЗ".as_bytes(), 2), 10);
        assert_eq!(cyrillic_quads_end("Россияa-b".as_bytes(), 0), 8); // 7 bytes left at 8
        assert_eq!(cyrillic_quads_end("Россияa-bc".as_bytes(), 0), 12);
    }

    /// The normalisation the tables hold, one character at a time.
    fn plain_char(c: char, opts: &TokenizerOptions) -> char {
        match c {
            'ё' if opts.fold_yo => 'е',
            'Ё' if opts.fold_yo => {
                if opts.lowercase {
                    'е'
                } else {
                    'Е'
                }
            }
            'Ё' if opts.lowercase => 'ё',
            'А'..='Я' if opts.lowercase => {
                char::from_u32(c as u32 + 0x20).expect("a Cyrillic letter")
            }
            c if opts.lowercase => c.to_ascii_lowercase(),
            c => c,
        }
    }

    #[test]
    fn russian_tables_normalise_every_letter_as_the_tokenizer() {
        for lowercase in [false, true] {
            for fold_yo in [false, true] {
                let opts = TokenizerOptions {
                    lowercase,
                    fold_yo,
                    ..TokenizerOptions::default()
                };
                for c in ('\u{400}'..='\u{47F}').filter(|c| c.len_utf8() == 2) {
                    let s = c.to_string();
                    let mut got = String::from("x");
                    lower_into(&s, &opts, &mut got);
                    assert_eq!(
                        got,
                        format!("x{}", plain_char(c, &opts)),
                        "{c} {lowercase} {fold_yo}"
                    );
                }
                let word = "ЁжикЯблокоЁёёПРИВЕТмир";
                let mut got = String::new();
                lower_into(word, &opts, &mut got);
                let want: String = word.chars().map(|c| plain_char(c, &opts)).collect();
                assert_eq!(got, want);
                let mut key = [0u8; 8];
                key.copy_from_slice(&want.as_bytes()[..8]);
                assert_eq!(lower_prefix(word, &opts), u64::from_le_bytes(key));
                assert_eq!(
                    lower_prefix("Яз", &opts),
                    first_bytes(plain_char('Я', &opts).to_string().as_bytes())
                        | (first_bytes("з".as_bytes()) << 16)
                );
            }
        }
    }

    use crate::text::tokenizer::test_variants;

    fn via_plain(tok: &Tokenizer, text: &str) -> Vec<(String, usize, usize)> {
        let mut v = Vec::new();
        for_each_token(tok, text, |t, a, b| {
            let t = match t {
                Token::Plain(w) => {
                    let mut s = String::new();
                    lower_into(w, tok.options(), &mut s);
                    let n = s.len().min(8);
                    let key = lower_prefix(w, tok.options());
                    let mut want = [0u8; 8];
                    want[..n].copy_from_slice(&s.as_bytes()[..n]);
                    assert_eq!(key, u64::from_le_bytes(want), "{w:?}");
                    s
                }
                Token::Normalised(t) => t.to_string(),
            };
            v.push((t, a, b));
        });
        v
    }

    fn via_tokenizer(tok: &Tokenizer, text: &str) -> Vec<(String, usize, usize)> {
        let mut v = Vec::new();
        tok.tokenize(text, |t, a, b| v.push((t.to_string(), a, b)));
        v
    }

    #[test]
    fn plain_runs_give_the_tokenizers_tokens() {
        for text in [
            "The collective West’s “rules-based order”. Коллективный ЗАПАД — «мир»…",
            "U.S. policy, e.g. 1,000.5 don't world.Fourth Запада.Четвертое a:b 3;4",
            "See https://t.me/x WWW.MID.RU a@b.c #BRICS snake_case ёлка Сooperation",
            "2023г abc123 x\u{301}y  \u{301}b \u{200d}🌐 word’ ‘word’ ’s",
            "rules-based neo-Nazi — –dash www. www.) t.me/ T.ME/x: a:/b",
            "\u{a0}no-break\u{a0}space\u{a0} «ёлки» Ё",
            "",
            "   ",
        ] {
            for o in test_variants() {
                let tok = Tokenizer::new(o);
                assert_eq!(via_plain(&tok, text), via_tokenizer(&tok, text), "{text:?}");
            }
        }
    }

    #[test]
    fn random_text_gives_the_tokenizers_tokens() {
        // Pieces chosen to hit every rule: joiners, URLs, marks after spaces, scripts.
        let pieces = [
            "a", "Z", "q", "7", "0", "д", "Д", "я", "Я", "ё", "Ё", "і", "é", "ß", ".", ",", ";",
            ":", "'", "’", "‘", "-", "‐", "_", "#", "@", "/", "//", "http", "www", "WWW", "t",
            "me", " ", "  ", "\n", "\t", "\u{a0}", "«", "»", "—", "–", "“", "”", "„", "…",
            "\u{301}", "\u{200d}", "\u{ad}", "🌐", "🇷🇺", "(", ")", "!", "?", "s", "S", "中",
        ];
        let mut next = crate::testing::lcg(11);
        let opts = test_variants();
        for round in 0..30_000 {
            let n = 1 + next() % 24;
            let text: String = (0..n).map(|_| pieces[next() % pieces.len()]).collect();
            let tok = Tokenizer::new(opts[round % opts.len()].clone());
            assert_eq!(
                via_plain(&tok, &text),
                via_tokenizer(&tok, &text),
                "{text:?}"
            );
        }
    }
}
