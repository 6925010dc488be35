//! framescope: fast text analytics and discourse (frame) metrics.
//!
//! The core knows nothing of Python. Data flows one way:
//! [`corpus`] (documents) -> [`text`] (tokens as integer ids) -> [`count`]
//! (term frequencies, document-term matrices, TF-IDF). The optional `python`
//! feature adds the pyo3 extension module in `python/`, which only converts.

#![deny(missing_docs)]
#![warn(clippy::undocumented_unsafe_blocks)]

pub mod cancel;
pub mod choice;
pub mod corpus;
pub mod count;
pub mod embed;
pub mod error;
pub mod frames;
pub mod ids;
pub mod memory;
pub mod merge;
pub mod parallel;
pub mod progress;
pub mod stats;
pub mod text;

#[cfg(test)]
mod testing;

#[cfg(feature = "python")]
mod python;

pub use choice::Choice;
pub use corpus::{Corpus, DateSource, Document, DocumentRef, StringColumn};
pub use count::csr::Csr;
pub use count::fit::count_fit;
pub use count::tfidf::{tfidf_weight, Norm, TfidfOptions};
pub use count::vectorize::{count_transform, FixedVocabulary, Terms, TransformCounter};
pub use error::{CoreError, Result};
pub use text::analyzer::{StripAccents, TokenPattern, WordAnalyzer};
pub use text::tokenized::{TokenizedCorpus, Vocabulary};
pub use text::tokenizer::{HashtagMode, HyphenMode, Tokenizer, TokenizerOptions};
