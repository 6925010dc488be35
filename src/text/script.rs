//! Mixed-script folding: a word written mostly in Latin with a Cyrillic
//! look-alike inside ("Сooperation" with a Cyrillic С), or the reverse, is
//! folded to its majority script. Words whose minority letters have no
//! look-alike are left as they are (they are genuinely mixed).

/// Cyrillic letters and the Latin letters they look like.
const CYR_TO_LAT: &[(char, char)] = &[
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
    ('У', 'Y'),
    ('І', 'I'),
    ('Ј', 'J'),
    ('Ѕ', 'S'),
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('у', 'y'),
    ('х', 'x'),
    ('к', 'k'),
    ('і', 'i'),
    ('ј', 'j'),
    ('ѕ', 's'),
    ('һ', 'h'),
    ('ԁ', 'd'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
];

/// The script of a letter, for folding purposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Basic Latin and Latin-1/Extended letters.
    Latin,
    /// Cyrillic letters.
    Cyrillic,
    /// Anything else.
    Other,
}

/// Script of `c`.
pub fn script_of(c: char) -> Script {
    match c {
        'A'..='Z' | 'a'..='z' | '\u{c0}'..='\u{24f}' if c.is_alphabetic() => Script::Latin,
        '\u{400}'..='\u{52f}' => Script::Cyrillic,
        _ => Script::Other,
    }
}

fn cyr_to_lat(c: char) -> Option<char> {
    CYR_TO_LAT.iter().find(|p| p.0 == c).map(|p| p.1)
}

fn lat_to_cyr(c: char) -> Option<char> {
    CYR_TO_LAT
        .iter()
        .find(|p| {
            p.1 == c
                && !matches!(
                    p.0,
                    'І' | 'Ј' | 'Ѕ' | 'і' | 'ј' | 'ѕ' | 'һ' | 'ԁ' | 'ԛ' | 'ԝ'
                )
        })
        .map(|p| p.0)
}

/// Folds `word` to its majority script if it mixes Latin and Cyrillic and every
/// minority letter has a look-alike; returns `None` when nothing changes.
pub fn fold_mixed_script(word: &str) -> Option<String> {
    let (mut lat, mut cyr) = (0usize, 0usize);
    for c in word.chars() {
        match script_of(c) {
            Script::Latin => lat += 1,
            Script::Cyrillic => cyr += 1,
            Script::Other => {}
        }
    }
    if lat == 0 || cyr == 0 || lat == cyr {
        return None;
    }
    let to_latin = lat > cyr;
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        let mapped = match (to_latin, script_of(c)) {
            (true, Script::Cyrillic) => cyr_to_lat(c)?,
            (false, Script::Latin) => lat_to_cyr(c)?,
            _ => c,
        };
        out.push(mapped);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_lookalikes_to_majority() {
        assert_eq!(
            fold_mixed_script("Сooperation").as_deref(),
            Some("Cooperation")
        );
        assert_eq!(fold_mixed_script("мирoвoй").as_deref(), Some("мировой"));
        assert_eq!(fold_mixed_script("Moscow"), None);
        assert_eq!(fold_mixed_script("Москва"), None);
        // A minority letter without a look-alike: left alone.
        assert_eq!(fold_mixed_script("Бxxxxxx"), None);
    }
}
