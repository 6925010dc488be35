//! Snowball stemming through `rust-stemmers`, with the language chosen per word
//! by script when asked ("auto": Cyrillic -> Russian, else the Latin language).

use rust_stemmers::{Algorithm, Stemmer};

use crate::error::{invalid, Result};
use crate::text::script::{script_of, Script};

/// Languages `rust-stemmers` ships, by name.
pub const LANGUAGES: &[&str] = &[
    "arabic",
    "danish",
    "dutch",
    "english",
    "finnish",
    "french",
    "german",
    "greek",
    "hungarian",
    "italian",
    "norwegian",
    "portuguese",
    "romanian",
    "russian",
    "spanish",
    "swedish",
    "tamil",
    "turkish",
];

fn algorithm(name: &str) -> Option<Algorithm> {
    Some(match name {
        "arabic" => Algorithm::Arabic,
        "danish" => Algorithm::Danish,
        "dutch" => Algorithm::Dutch,
        "english" => Algorithm::English,
        "finnish" => Algorithm::Finnish,
        "french" => Algorithm::French,
        "german" => Algorithm::German,
        "greek" => Algorithm::Greek,
        "hungarian" => Algorithm::Hungarian,
        "italian" => Algorithm::Italian,
        "norwegian" => Algorithm::Norwegian,
        "portuguese" => Algorithm::Portuguese,
        "romanian" => Algorithm::Romanian,
        "russian" => Algorithm::Russian,
        "spanish" => Algorithm::Spanish,
        "swedish" => Algorithm::Swedish,
        "tamil" => Algorithm::Tamil,
        "turkish" => Algorithm::Turkish,
        _ => return None,
    })
}

/// A stemmer for one language, or "auto" (Russian for Cyrillic words, English otherwise).
pub struct WordStemmer {
    main: Stemmer,
    cyrillic: Option<Stemmer>,
}

impl WordStemmer {
    /// `language` is a name from [`LANGUAGES`] or "auto".
    pub fn new(language: &str) -> Result<Self> {
        let lang = language.to_ascii_lowercase();
        if lang == "auto" {
            return Ok(WordStemmer {
                main: Stemmer::create(Algorithm::English),
                cyrillic: Some(Stemmer::create(Algorithm::Russian)),
            });
        }
        let alg = algorithm(&lang).ok_or_else(|| {
            invalid(format!(
                "no Snowball stemmer for {language:?}; choose one of: auto, {}",
                LANGUAGES.join(", ")
            ))
        })?;
        Ok(WordStemmer {
            main: Stemmer::create(alg),
            cyrillic: None,
        })
    }

    /// The stem of a (lowercased) word.
    pub fn stem(&self, word: &str) -> String {
        match &self.cyrillic {
            Some(ru) if word.chars().any(|c| script_of(c) == Script::Cyrillic) => {
                ru.stem(word).into_owned()
            }
            _ => self.main.stem(word).into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_inflections_share_a_stem() {
        let s = WordStemmer::new("auto").unwrap();
        let forms = [
            "коллективного",
            "коллективному",
            "коллективный",
            "коллективным",
        ];
        let stems: Vec<String> = forms.iter().map(|w| s.stem(w)).collect();
        assert!(stems.iter().all(|x| x == &stems[0]), "{stems:?}");
        assert_eq!(s.stem("запада"), s.stem("западу"));
        assert_eq!(s.stem("sanctions"), "sanction");
        assert!(WordStemmer::new("elvish").is_err());
    }
}
