//! Text to tokens: scikit-learn's word analyzer (for vectorizer parity) and
//! framescope's own Unicode tokenizer, stop words, stemming and script folding.

pub mod analyzer;
pub mod ascii_scan;
pub mod code_points;
pub mod glued;
pub mod intern;
pub mod ngrams;
pub mod plain;
pub mod pypattern;
pub mod pyword;
pub mod script;
pub mod segment;
pub mod stem;
pub mod stopwords;
pub mod tokenized;
pub mod tokenizer;
pub mod utf8;
pub mod utf8_scan;
