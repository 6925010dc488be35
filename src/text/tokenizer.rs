//! framescope's tokenizer for analysis (corpus tokens, frames, KWIC).
//!
//! Words are found by Unicode word boundaries (UAX #29, `unicode-segmentation`);
//! a segment is a token if it holds a letter or digit, so punctuation, spaces and
//! emoji never are. On top of that, for real scraped text:
//! - typographic apostrophes (’ ‘ ʼ ′) become ' and English possessives are cut
//!   ("West’s" -> "west"), optional;
//! - `#BRICS` is a hashtag: the word `brics` (default), `#brics`, or dropped;
//! - URLs and e-mail addresses are skipped;
//! - sentences glued without a space ("world.Fourth") split at the full stop
//!   (`crate::text::glued`), abbreviations and domain names kept whole;
//! - hyphenated compounds split ("rules-based" -> "rules", "based") or join;
//! - numbers kept or dropped; ё folded to е (optional);
//! - Latin/Cyrillic look-alikes inside one word folded to the word's script.
//!
//! Every token keeps the byte span it came from in the original text.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

use crate::text::glued::split_glued_sentences;
use crate::text::script::fold_mixed_script;
use crate::text::segment::{segments, Segment};

/// Whether `c` is an apostrophe the tokenizer writes as `'`: ' ’ ‘ ʼ ′.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{2bc}' | '\u{2032}')
}

/// What to do with `#hashtags`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashtagMode {
    /// `#BRICS` -> `brics`.
    Word,
    /// `#BRICS` -> `#brics`.
    Keep,
    /// Hashtags are not tokens.
    Drop,
}

crate::choices!(HashtagMode, "hashtags", [
    "word" => HashtagMode::Word, "keep" => HashtagMode::Keep, "drop" => HashtagMode::Drop,
]);

/// What to do with hyphenated compounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HyphenMode {
    /// "rules-based" -> "rules", "based".
    Split,
    /// "rules-based" -> "rules-based".
    Join,
}

crate::choices!(HyphenMode, "hyphens", ["split" => HyphenMode::Split, "join" => HyphenMode::Join]);

/// Tokenizer settings. `Default` is what framescope uses unless told otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenizerOptions {
    /// Lowercase tokens.
    pub lowercase: bool,
    /// Hashtag handling.
    pub hashtags: HashtagMode,
    /// Hyphen handling.
    pub hyphens: HyphenMode,
    /// Keep tokens without any letter (numbers like "2023", "1,000").
    pub numbers: bool,
    /// Cut an English possessive "'s" and a trailing apostrophe.
    pub strip_possessive: bool,
    /// Fold Latin/Cyrillic look-alikes inside a word to the word's majority script.
    pub fold_mixed_script: bool,
    /// Fold ё to е (Ё to Е).
    pub fold_yo: bool,
}

impl Default for TokenizerOptions {
    fn default() -> Self {
        TokenizerOptions {
            lowercase: true,
            hashtags: HashtagMode::Word,
            hyphens: HyphenMode::Split,
            numbers: true,
            strip_possessive: true,
            fold_mixed_script: true,
            fold_yo: true,
        }
    }
}

/// A tokenizer with its options.
#[derive(Debug, Clone, Default)]
pub struct Tokenizer {
    opts: TokenizerOptions,
}

fn url_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(?:https?://|www\.)[^\s<>\x22]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bt\.me/[^\s<>\x22]+")
            .expect("static regex")
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Hash,
    Hyphen,
    Other,
}

fn kind(seg: &Segment<'_>) -> Kind {
    match seg.1 {
        _ if seg.2 => Kind::Word,
        "#" => Kind::Hash,
        "-" | "\u{2010}" | "\u{2011}" => Kind::Hyphen,
        _ => Kind::Other,
    }
}

/// Characters that can sit inside a word segment without being part of the word:
/// format characters (soft hyphen, joiners, direction marks, BOM) and emoji, which
/// UAX #29 glues to a letter after a zero-width joiner ("ё\u{200d}🌐").
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
        | '\u{fe00}'..='\u{fe0f}' | '\u{20e3}' | '\u{a9}' | '\u{ae}' | '\u{203c}' | '\u{2049}'
        | '\u{2122}' | '\u{2139}' | '\u{2194}'..='\u{21aa}' | '\u{2300}'..='\u{23ff}'
        | '\u{2600}'..='\u{27bf}' | '\u{2b00}'..='\u{2bff}' | '\u{3030}' | '\u{303d}'
        | '\u{3297}' | '\u{3299}' | '\u{1f000}'..='\u{1faff}' | '\u{e0020}'..='\u{e007f}')
}

impl Tokenizer {
    /// A tokenizer with `opts`.
    pub fn new(opts: TokenizerOptions) -> Self {
        Tokenizer { opts }
    }

    /// The options.
    pub fn options(&self) -> &TokenizerOptions {
        &self.opts
    }

    /// Calls `emit(token, start, end)` for each token of `text`; `start..end` is its byte span.
    pub fn tokenize<F: FnMut(&str, usize, usize)>(&self, text: &str, mut emit: F) {
        let urls: Vec<(usize, usize)> = if may_hold_url(text) {
            url_regex()
                .find_iter(text)
                .map(|m| (m.start(), m.end()))
                .collect()
        } else {
            Vec::new()
        };
        let mut segs: Vec<Segment<'_>> = Vec::with_capacity(text.len() / 3);
        segments(text, &mut segs);
        split_glued_sentences(&mut segs);
        let mut url_at = 0;
        let mut buf = String::new();
        let mut i = 0;
        while i < segs.len() {
            let start = segs[i].0;
            while url_at < urls.len() && urls[url_at].1 <= start {
                url_at += 1;
            }
            if url_at < urls.len() && urls[url_at].0 <= start {
                i += 1;
                continue;
            }
            let mut k = kind(&segs[i]);
            let mut hashtag = false;
            if k == Kind::Hash {
                let prev_ok = i == 0 || kind(&segs[i - 1]) != Kind::Word;
                // A '#' before a URL is not a hashtag: the URL is skipped whole.
                let before_url = i + 1 < segs.len()
                    && url_at < urls.len()
                    && urls[url_at].0 <= segs[i + 1].0
                    && segs[i + 1].0 < urls[url_at].1;
                if prev_ok && !before_url && i + 1 < segs.len() && kind(&segs[i + 1]) == Kind::Word
                {
                    hashtag = true;
                    i += 1;
                    k = Kind::Word;
                }
            }
            if k != Kind::Word {
                i += 1;
                continue;
            }
            let (word_start, word, _) = segs[i];
            let mut end = word_start + word.len();
            buf.clear();
            if hashtag && self.opts.hashtags == HashtagMode::Keep {
                buf.push('#');
            }
            self.normalize_into(word, &mut buf);
            // Join "rules-based" into one token when asked.
            while self.opts.hyphens == HyphenMode::Join
                && i + 2 < segs.len()
                && kind(&segs[i + 1]) == Kind::Hyphen
                && kind(&segs[i + 2]) == Kind::Word
            {
                buf.push('-');
                self.normalize_into(segs[i + 2].1, &mut buf);
                end = segs[i + 2].0 + segs[i + 2].1.len();
                i += 2;
            }
            i += 1;
            if hashtag && self.opts.hashtags == HashtagMode::Drop {
                continue;
            }
            if !self.opts.numbers && !buf.chars().any(char::is_alphabetic) {
                continue;
            }
            if buf.is_empty() {
                continue;
            }
            let span_start = if hashtag { start } else { word_start };
            emit(&buf, span_start, end);
        }
    }

    /// Appends the normalised form of one word segment to `out`.
    fn normalize_into(&self, word: &str, out: &mut String) {
        if word.is_ascii() {
            // No look-alikes, typographic apostrophes or ё: only case and possessives.
            let from = out.len();
            out.push_str(word);
            if self.opts.lowercase {
                out[from..].make_ascii_lowercase();
            }
            self.strip_possessive(out, from);
            return;
        }
        if push_basic_cyrillic(word, self.opts.lowercase, out) {
            return; // as the general path below, in one pass (no marks, ё, apostrophes or Latin)
        }
        self.normalize_general(word, out);
    }

    /// [`Self::normalize_into`] for any non-ASCII word.
    fn normalize_general(&self, word: &str, out: &mut String) {
        // Invisible characters inside a word go (a soft hyphen in "multi\u{ad}polar",
        // joiners, direction marks); then NFC, so "й" typed as и + breve is "й".
        let mut w = Cow::Borrowed(word);
        if word.contains(is_invisible) {
            let kept: String = word.chars().filter(|&c| !is_invisible(c)).collect();
            // UAX #29 may have joined more than a word only because of a joiner
            // ("b." in "b.\u{200d}👨"): keep the word the visible characters make.
            let first = kept.split_word_bounds().next().unwrap_or("");
            let first = if first.chars().any(char::is_alphanumeric) {
                first
            } else {
                ""
            };
            w = Cow::Owned(first.to_string());
        }
        if is_nfc_quick(w.chars()) != IsNormalized::Yes {
            w = Cow::Owned(w.nfc().collect());
        }
        // ё before look-alikes, so that the folding sees the letters a second pass would.
        if self.opts.fold_yo && w.contains(['ё', 'Ё']) {
            w = Cow::Owned(w.replace('ё', "е").replace('Ё', "Е"));
        }
        if self.opts.fold_mixed_script {
            if let Some(f) = fold_mixed_script(&w) {
                // A folded letter may now compose with a mark after it (Cyrillic е + ́ -> é).
                w = Cow::Owned(match is_nfc_quick(f.chars()) {
                    IsNormalized::Yes => f,
                    _ => f.nfc().collect(),
                });
            }
        }
        let from = out.len();
        for c in w.chars() {
            let c = if is_apostrophe(c) { '\'' } else { c };
            out.push(c);
        }
        if self.opts.lowercase && !out[from..].chars().all(|c| !c.is_uppercase()) {
            let lower = out[from..].to_lowercase();
            out.truncate(from);
            out.push_str(&lower);
        }
        self.strip_possessive(out, from);
    }

    /// Cuts an English possessive "'s" and trailing apostrophes off `out[from..]`, if asked.
    #[inline]
    fn strip_possessive(&self, out: &mut String, from: usize) {
        if self.opts.strip_possessive {
            if (out[from..].ends_with("'s") || out[from..].ends_with("'S")) && out.len() - from > 2
            {
                out.truncate(out.len() - 2);
            }
            while out.len() > from && out.ends_with('\'') {
                out.pop();
            }
        }
    }
}

/// Appends `word`, lowercased if asked, when it is made only of the basic Cyrillic
/// letters А..я (U+0410..U+044F): no invisible characters, marks, ё, apostrophes or
/// Latin look-alikes, so normalising it is its lowercase (А..Я -> а..я). False (and
/// nothing appended) for any other word. Most Russian words take this path.
fn push_basic_cyrillic(word: &str, lowercase: bool, out: &mut String) -> bool {
    let b = word.as_bytes();
    let basic = |p: &[u8]| matches!((p[0], p[1]), (0xD0, 0x90..=0xBF) | (0xD1, 0x80..=0x8F));
    if !b.len().is_multiple_of(2) || !b.chunks_exact(2).all(basic) {
        return false;
    }
    if !lowercase {
        out.push_str(word);
        return true;
    }
    for p in b.chunks_exact(2) {
        let c = (u32::from(p[0] & 0x1F) << 6) | u32::from(p[1] & 0x3F);
        let c = if (0x410..=0x42F).contains(&c) {
            c + 0x20
        } else {
            c
        };
        out.push(char::from_u32(c).expect("a Cyrillic letter"));
    }
    true
}

/// Whether `text` may hold a match of the URL pattern: it holds "://", '@', or a
/// '.' of "www." or "t.me/" in any case (the pattern ignores case, so "WWW.MID.RU"
/// is a URL wherever it stands). A match lies within one run of non-space
/// characters, so tokens never depend on text beyond the white space around them.
fn may_hold_url(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memmem::find(b, b"://").is_some()
        || memchr::memchr(b'@', b).is_some()
        || memchr::memchr_iter(b'.', b).any(|p| {
            (p >= 3 && b[p - 3..p].eq_ignore_ascii_case(b"www"))
                || (p >= 1
                    && b[p - 1].eq_ignore_ascii_case(&b't')
                    && b.len() >= p + 4
                    && b[p + 1..p + 4].eq_ignore_ascii_case(b"me/"))
        })
}

/// Whether the text between two tokens keeps them in one n-gram run (see
/// [`crate::text::ngrams`]): only white space, hyphens, apostrophes and `#`.
pub fn joins(gap: &str) -> bool {
    gap.chars().all(|c| {
        c.is_whitespace() || is_apostrophe(c) || matches!(c, '-' | '\u{2010}' | '\u{2011}' | '#')
    })
}

/// Tokenizer settings that change which tokens come out, for tests that compare
/// two ways of tokenizing under each.
#[cfg(test)]
pub(crate) fn test_variants() -> Vec<TokenizerOptions> {
    let d = TokenizerOptions::default();
    vec![
        d.clone(),
        TokenizerOptions {
            lowercase: false,
            ..d.clone()
        },
        TokenizerOptions {
            numbers: false,
            ..d.clone()
        },
        TokenizerOptions {
            hyphens: HyphenMode::Join,
            fold_yo: false,
            ..d.clone()
        },
        TokenizerOptions {
            hashtags: HashtagMode::Keep,
            strip_possessive: false,
            fold_yo: false,
            fold_mixed_script: false,
            ..d
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_cyrillic_path_equals_the_general_path() {
        let letters: Vec<char> = ('\u{400}'..='\u{45f}').collect(); // with Ѐ..Џ, ѐ..џ, ё
        let mut next = crate::testing::lcg(7);
        for lowercase in [true, false] {
            let tok = Tokenizer::new(TokenizerOptions {
                lowercase,
                ..TokenizerOptions::default()
            });
            let mut taken = 0;
            for _ in 0..20_000 {
                let n = 1 + next() % 9;
                let word: String = (0..n).map(|_| letters[next() % letters.len()]).collect();
                let (mut fast, mut general) = (String::new(), String::new());
                if push_basic_cyrillic(&word, lowercase, &mut fast) {
                    taken += 1;
                    tok.normalize_general(&word, &mut general);
                    assert_eq!(fast, general, "{word:?}");
                } else {
                    assert!(fast.is_empty());
                    assert!(word.chars().any(|c| !('\u{410}'..='\u{44f}').contains(&c)));
                }
            }
            assert!(taken > 1_000, "the fast path was exercised ({taken})");
        }
        let mut out = String::new();
        assert!(push_basic_cyrillic("КОЛЛЕКТИВНОГО", true, &mut out) && out == "коллективного");
        assert!(
            !push_basic_cyrillic("Ёлка", true, &mut out)
                && !push_basic_cyrillic("Сooperation", true, &mut out)
        );
    }

    fn toks(opts: TokenizerOptions, text: &str) -> Vec<String> {
        let mut v = Vec::new();
        Tokenizer::new(opts).tokenize(text, |t, _, _| v.push(t.to_string()));
        v
    }

    fn d(text: &str) -> Vec<String> {
        toks(TokenizerOptions::default(), text)
    }

    #[test]
    fn scraped_text() {
        assert_eq!(
            d("The collective West’s “rules-based order”."),
            ["the", "collective", "west", "rules", "based", "order"]
        );
        assert_eq!(
            d("🌐 #BRICS and #UNCharterIsOurRules 🇷🇺"),
            ["brics", "and", "uncharterisourrules"]
        );
        assert_eq!(
            d("See https://t.me/MFARussia/123 or www.mid.ru now"),
            ["see", "or", "now"]
        );
        assert_eq!(d("Сooperation"), ["cooperation"]);
        assert_eq!(
            d("Ещё коллективного Запада, 2023"),
            ["еще", "коллективного", "запада", "2023"]
        );
        assert_eq!(d("don't"), ["don't"]);
        // Found by fuzzing: ё is folded before look-alikes, so a second pass changes nothing.
        assert_eq!(d("ёhttps"), ["ehttps"]);
        assert_eq!(d("ehttps"), ["ehttps"]);
        assert_eq!(d("#www.mid.ru #BRICS"), ["brics"]);
        // The URL pattern ignores case, whatever else the text holds.
        assert_eq!(
            d("Visit WWW.MID.RU or T.ME/MFARussia now"),
            ["visit", "or", "now"]
        );
        assert_eq!(d("WWW.MID.RU, www.mid.ru"), Vec::<String>::new());
        // Soft hyphens and joiners inside words go; decomposed letters are composed.
        assert_eq!(
            d("multi\u{ad}polar a\u{200d}b Мои\u{306} cafe\u{301}"),
            ["multipolar", "ab", "мой", "café"]
        );
        // Found by fuzzing: an emoji joined to "a:" leaves the word "a", not "a:" + a mark.
        assert_eq!(d("a:\u{200d}🌐\u{301} b.\u{200d}👨"), ["a", "b"]);
    }

    #[test]
    fn options() {
        let o = TokenizerOptions {
            hyphens: HyphenMode::Join,
            numbers: false,
            hashtags: HashtagMode::Keep,
            ..Default::default()
        };
        assert_eq!(
            toks(o.clone(), "rules-based neo-Nazi 2023 #BRICS"),
            ["rules-based", "neo-nazi", "#brics"]
        );
        let o = TokenizerOptions {
            hashtags: HashtagMode::Drop,
            lowercase: false,
            ..Default::default()
        };
        assert_eq!(toks(o, "#BRICS Global"), ["Global"]);
    }

    #[test]
    fn spans_point_into_text() {
        let text = "Сooperation, #BRICS’s West’s";
        let mut spans = Vec::new();
        Tokenizer::default().tokenize(text, |t, a, b| spans.push((t.to_string(), &text[a..b])));
        assert_eq!(spans[0].1, "Сooperation");
        assert_eq!(spans[1], ("brics".to_string(), "#BRICS’s"));
        assert_eq!(spans[2], ("west".to_string(), "West’s"));
    }
}
