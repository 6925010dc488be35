//! Stop-word lists: scikit-learn's English list (318 words, needed for vectorizer
//! parity) and NLTK's lists for other languages (from the `stop-words` crate).

/// scikit-learn's `ENGLISH_STOP_WORDS`, sorted.
pub fn sklearn_english() -> Vec<String> {
    include_str!("sklearn_english_stop_words.txt")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// NLTK language names and ISO codes that have a list.
const NLTK: &[(&str, &str)] = &[
    ("arabic", "ar"),
    ("azerbaijani", "az"),
    ("danish", "da"),
    ("dutch", "nl"),
    ("english", "en"),
    ("finnish", "fi"),
    ("french", "fr"),
    ("german", "de"),
    ("greek", "el"),
    ("hungarian", "hu"),
    ("indonesian", "id"),
    ("italian", "it"),
    ("kazakh", "kk"),
    ("nepali", "ne"),
    ("norwegian", "no"),
    ("portuguese", "pt"),
    ("romanian", "ro"),
    ("russian", "ru"),
    ("slovenian", "sl"),
    ("spanish", "es"),
    ("swedish", "sv"),
    ("tajik", "tg"),
    ("turkish", "tr"),
];

/// Languages with a stop-word list, by name.
pub fn languages() -> Vec<&'static str> {
    NLTK.iter().map(|p| p.0).collect()
}

/// The list for `language` (a name like "russian" or an ISO code like "ru").
/// English is scikit-learn's list. `None` for an unknown language.
pub fn for_language(language: &str) -> Option<Vec<String>> {
    let lang = language.to_ascii_lowercase();
    let code = NLTK.iter().find(|p| p.0 == lang || p.1 == lang)?.1;
    if code == "en" {
        return Some(sklearn_english());
    }
    Some(
        stop_words::get(code)
            .into_iter()
            .filter(|w| !w.is_empty())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        assert_eq!(sklearn_english().len(), 318);
        let ru = for_language("ru").unwrap();
        assert!(ru.iter().any(|w| w == "и") && ru.iter().any(|w| w == "что"));
        assert_eq!(for_language("russian"), Some(ru));
        assert!(for_language("klingon").is_none());
        assert_eq!(languages().len(), 23);
    }
}
