//! Documents and corpora: text with an id, a date, where the date came from,
//! and where the document came from (provenance); reading them from files,
//! dating them, cleaning them and finding duplicates.

pub mod cleanup;
pub mod date_values;
pub mod dates;
pub mod dedup;
pub mod hygiene;
pub mod read;
pub mod store;

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

/// An id that [`Corpus::concat`] renamed: (position in the result, old id, new id).
pub type RenamedId = (usize, String, String);

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

    /// The documents of `parts`, one corpus after another. An id already taken by an
    /// earlier document becomes `id~2` (then `~3`, ...); the renamings are returned as
    /// (position in the result, old id, new id).
    pub fn concat(parts: &[&Corpus]) -> (Corpus, Vec<RenamedId>) {
        let n: usize = parts.iter().map(|c| c.len()).sum();
        let mut docs = Vec::with_capacity(n);
        let mut seen: ahash::AHashSet<String> = ahash::AHashSet::with_capacity(n);
        let mut renamed = Vec::new();
        for doc in parts.iter().flat_map(|c| c.docs.iter()) {
            let mut d = doc.clone();
            if !seen.insert(d.id.clone()) {
                let new = (2..)
                    .map(|k| format!("{}~{k}", d.id))
                    .find(|c| !seen.contains(c))
                    .expect("some suffix is free");
                seen.insert(new.clone());
                renamed.push((docs.len(), std::mem::replace(&mut d.id, new.clone()), new));
            }
            docs.push(d);
        }
        (Corpus { docs }, renamed)
    }

    /// This corpus with metadata dates: a document whose entry in `days` is a day
    /// takes it (source [`DateSource::Metadata`], outranking a date found in its
    /// text); `None` leaves the document as it is. `days` has one entry per document.
    pub fn with_metadata_dates(&self, days: &[Option<i32>]) -> Corpus {
        assert_eq!(days.len(), self.docs.len(), "one entry per document");
        Corpus {
            docs: self
                .docs
                .iter()
                .zip(days)
                .map(|(d, day)| match day {
                    Some(day) => Document {
                        date: Some(*day),
                        date_source: DateSource::Metadata,
                        ..d.clone()
                    },
                    None => d.clone(),
                })
                .collect(),
        }
    }

    /// A SHA-256 fingerprint (hex) of the documents' ids, texts and dates, in order:
    /// equal corpora give equal fingerprints on any machine and thread count (fixed
    /// chunks of documents hashed in parallel, then the chunks' digests in order).
    pub fn fingerprint(&self) -> String {
        use rayon::prelude::*;
        use sha2::{Digest, Sha256};
        const CHUNK: usize = 4096;
        let digests: Vec<[u8; 32]> = self
            .docs
            .par_chunks(CHUNK)
            .map(|docs| {
                let mut h = Sha256::new();
                for d in docs {
                    h.update((d.id.len() as u64).to_le_bytes());
                    h.update(d.id.as_bytes());
                    h.update((d.text.len() as u64).to_le_bytes());
                    h.update(d.text.as_bytes());
                    h.update(d.date.map_or(i64::MIN, i64::from).to_le_bytes());
                }
                h.finalize().into()
            })
            .collect();
        let mut h = Sha256::new();
        h.update(b"framescope-corpus-v1");
        h.update((self.docs.len() as u64).to_le_bytes());
        for d in &digests {
            h.update(d);
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The documents at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Corpus {
        Corpus {
            docs: indices.iter().map(|&i| self.docs[i].clone()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(ids: &[&str]) -> Corpus {
        Corpus {
            docs: ids
                .iter()
                .map(|id| Document {
                    id: id.to_string(),
                    text: format!("text of {id}"),
                    date: None,
                    date_source: DateSource::None,
                    source: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn concat_keeps_order_and_makes_ids_unique() {
        let (a, b, c) = (
            corpus(&["0", "1"]),
            corpus(&["0", "x"]),
            corpus(&["0~2", "0"]),
        );
        let (all, renamed) = Corpus::concat(&[&a, &b, &c]);
        let ids: Vec<&str> = all.docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["0", "1", "0~2", "x", "0~2~2", "0~3"]);
        assert_eq!(all.docs[2].text, "text of 0");
        assert_eq!(
            renamed,
            [
                (2, "0".to_string(), "0~2".to_string()),
                (4, "0~2".to_string(), "0~2~2".to_string()),
                (5, "0".to_string(), "0~3".to_string())
            ]
        );
    }

    #[test]
    fn fingerprints_follow_ids_texts_dates_and_order() {
        let a = corpus(&["a", "b"]);
        assert_eq!(a.fingerprint(), corpus(&["a", "b"]).fingerprint());
        assert_eq!(a.fingerprint().len(), 64);
        assert_ne!(a.fingerprint(), corpus(&["b", "a"]).fingerprint());
        let mut dated = a.clone();
        dated.docs[0].date = Some(0);
        assert_ne!(a.fingerprint(), dated.fingerprint());
        let mut edited = a.clone();
        edited.docs[1].text.push(' ');
        assert_ne!(a.fingerprint(), edited.fingerprint());
        // Lengths are hashed: moving a byte from the id to the text changes it.
        let mut moved = a.clone();
        moved.docs[0].id = String::new();
        moved.docs[0].text = format!("a{}", a.docs[0].text);
        assert_ne!(a.fingerprint(), moved.fingerprint());
        // The empty corpus: SHA-256 of the tag and a zero count (as Python's hashlib
        // gives it: sha256(b"framescope-corpus-v1" + bytes(8)).hexdigest()).
        assert_eq!(
            Corpus::default().fingerprint(),
            "93f811334968b24bee5bb92472435fa3e34f16f812a4f161226647a249bb1f2c"
        );
    }

    #[test]
    fn metadata_dates_outrank_and_none_keeps() {
        let mut a = corpus(&["a", "b"]);
        a.docs[1].date = Some(5);
        a.docs[1].date_source = DateSource::Text;
        let d = a.with_metadata_dates(&[Some(10), None]);
        assert_eq!(d.docs[0].date, Some(10));
        assert_eq!(d.docs[0].date_source, DateSource::Metadata);
        assert_eq!(
            (d.docs[1].date, d.docs[1].date_source),
            (Some(5), DateSource::Text)
        );
    }
}
