//! Documents and corpora: text with an id, a date, where the date came from,
//! and where the document came from (provenance); reading them from files,
//! dating them, cleaning them and finding duplicates.

pub mod cleanup;
pub mod date_values;
pub mod dates;
pub mod dedup;
pub mod hygiene;
pub mod read;

/// Where a document's date came from, so researchers can filter on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateSource {
    /// Given with the document (a column, a field, an argument).
    Metadata,
    /// Found in the document's text.
    Text,
    /// Inferred from neighbouring documents.
    Inferred,
    /// No date.
    None,
}

crate::choices!(DateSource, "date_source", [
    "metadata" => DateSource::Metadata, "text" => DateSource::Text,
    "inferred" => DateSource::Inferred, "none" => DateSource::None,
]);

/// One document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Identifier, unique in its corpus.
    pub id: String,
    /// Full text.
    pub text: String,
    /// Days since 1970-01-01, if known.
    pub date: Option<i32>,
    /// Where `date` came from.
    pub date_source: DateSource,
    /// Provenance: file, and line or record, it was read from ("" if given in memory).
    pub source: String,
}

/// An ordered collection of documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corpus {
    /// The documents, in order.
    pub docs: Vec<Document>,
}

impl Corpus {
    /// Number of documents.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether there are no documents.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Texts, borrowed, in order.
    pub fn texts(&self) -> Vec<&str> {
        self.docs.iter().map(|d| d.text.as_str()).collect()
    }

    /// The documents at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Corpus {
        Corpus {
            docs: indices.iter().map(|&i| self.docs[i].clone()).collect(),
        }
    }
}
