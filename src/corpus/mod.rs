//! Documents and corpora: text with an id, a date, where the date came from,
//! and where the document came from (provenance); reading them from files,
//! dating them, cleaning them and finding duplicates.

pub mod cleanup;
pub mod column;
pub mod date_values;
pub mod dates;
pub mod dedup;
pub mod hygiene;
pub mod hyphenation;
pub mod markup;
pub mod notes;
pub mod read;
pub mod store;

use std::sync::Arc;

use rayon::prelude::*;

pub use column::StringColumn;

use crate::error::{invalid, Result};

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

/// One document, owned (a reader's record, or a test's).
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

/// One document of a [`Corpus`], borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentRef<'a> {
    /// Identifier, unique in its corpus.
    pub id: &'a str,
    /// Full text.
    pub text: &'a str,
    /// Days since 1970-01-01, if known.
    pub date: Option<i32>,
    /// Where `date` came from.
    pub date_source: DateSource,
    /// Provenance: file, and line or record, it was read from ("" if given in memory).
    pub source: &'a str,
}

impl<'a> From<&'a Document> for DocumentRef<'a> {
    fn from(d: &'a Document) -> Self {
        DocumentRef {
            id: &d.id,
            text: &d.text,
            date: d.date,
            date_source: d.date_source,
            source: &d.source,
        }
    }
}

/// An id that [`Corpus::concat`] renamed: (position in the result, old id, new id).
pub type RenamedId = (usize, String, String);

/// An ordered collection of documents, held column by column: ids, texts and sources
/// each in a [`StringColumn`] (a few large buffers, nothing allocated per document),
/// dates and date sources in vectors. The string columns are shared, not copied, by a
/// clone and by [`Corpus::with_metadata_dates`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corpus {
    ids: Arc<StringColumn>,
    texts: Arc<StringColumn>,
    dates: Vec<Option<i32>>,
    date_sources: Vec<DateSource>,
    sources: Arc<StringColumn>,
}

impl Corpus {
    /// A corpus from its columns, which must have one entry per document each.
    pub fn from_columns(
        ids: StringColumn,
        texts: StringColumn,
        dates: Vec<Option<i32>>,
        date_sources: Vec<DateSource>,
        sources: StringColumn,
    ) -> Result<Corpus> {
        let n = texts.len();
        for (name, len) in [
            ("ids", ids.len()),
            ("dates", dates.len()),
            ("date sources", date_sources.len()),
            ("sources", sources.len()),
        ] {
            if len != n {
                return Err(invalid(format!("{len} {name} for {n} texts")));
            }
        }
        Ok(Corpus {
            ids: Arc::new(ids),
            texts: Arc::new(texts),
            dates,
            date_sources,
            sources: Arc::new(sources),
        })
    }

    /// A corpus of `docs`, in order (the strings copied on every thread).
    pub fn from_documents<'a>(docs: impl IntoIterator<Item = DocumentRef<'a>>) -> Corpus {
        let docs: Vec<DocumentRef<'a>> = docs.into_iter().collect();
        let texts = StringColumn::from_strs(&docs.iter().map(|d| d.text).collect::<Vec<_>>());
        Corpus::with_texts(&docs, texts).expect("one text per document")
    }

    /// A corpus of the ids, dates and sources of `docs` with `texts` as their texts
    /// (one per document, for texts made anew: a cleaned corpus moves its texts in).
    pub fn with_texts(docs: &[DocumentRef<'_>], texts: StringColumn) -> Result<Corpus> {
        let ids: Vec<&str> = docs.iter().map(|d| d.id).collect();
        let sources: Vec<&str> = docs.iter().map(|d| d.source).collect();
        Corpus::from_columns(
            StringColumn::from_strs(&ids),
            texts,
            docs.iter().map(|d| d.date).collect(),
            docs.iter().map(|d| d.date_source).collect(),
            StringColumn::from_strs(&sources),
        )
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// Whether there are no documents.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Document `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<DocumentRef<'_>> {
        Some(DocumentRef {
            id: self.ids.get(i)?,
            text: self.texts.get(i)?,
            date: self.dates[i],
            date_source: self.date_sources[i],
            source: self.sources.get(i)?,
        })
    }

    /// The documents in order.
    pub fn iter(&self) -> impl Iterator<Item = DocumentRef<'_>> + '_ {
        self.ids
            .iter()
            .zip(self.texts.iter())
            .zip(self.sources.iter())
            .zip(self.dates.iter().zip(&self.date_sources))
            .map(
                |(((id, text), source), (&date, &date_source))| DocumentRef {
                    id,
                    text,
                    date,
                    date_source,
                    source,
                },
            )
    }

    /// Texts, borrowed, in order.
    pub fn texts(&self) -> Vec<&str> {
        self.texts.to_vec()
    }

    /// Ids, borrowed, in order.
    pub fn ids(&self) -> Vec<&str> {
        self.ids.to_vec()
    }

    /// Provenance of each document, borrowed, in order.
    pub fn sources(&self) -> Vec<&str> {
        self.sources.to_vec()
    }

    /// Each document's date (days since 1970-01-01), in order.
    pub fn dates(&self) -> &[Option<i32>] {
        &self.dates
    }

    /// Where each document's date came from, in order.
    pub fn date_sources(&self) -> &[DateSource] {
        &self.date_sources
    }

    /// The documents of `parts`, one corpus after another. An id already taken by an
    /// earlier document becomes `id~2` (then `~3`, ...); the renamings are returned as
    /// (position in the result, old id, new id).
    pub fn concat(parts: &[&Corpus]) -> (Corpus, Vec<RenamedId>) {
        let n: usize = parts.iter().map(|c| c.len()).sum();
        let mut seen: ahash::AHashSet<String> = ahash::AHashSet::with_capacity(n);
        let mut renamed = Vec::new();
        for (at, doc) in parts.iter().flat_map(|c| c.iter()).enumerate() {
            if seen.insert(doc.id.to_string()) {
                continue;
            }
            let new = (2..)
                .map(|k| format!("{}~{k}", doc.id))
                .find(|c| !seen.contains(c))
                .expect("some suffix is free");
            seen.insert(new.clone());
            renamed.push((at, doc.id.to_string(), new));
        }
        let mut next = renamed.iter().peekable();
        let docs = parts
            .iter()
            .flat_map(|c| c.iter())
            .enumerate()
            .map(
                |(at, doc)| match next.next_if(|(position, _, _)| *position == at) {
                    Some((_, _, new)) => DocumentRef { id: new, ..doc },
                    None => doc,
                },
            );
        (Corpus::from_documents(docs), renamed)
    }

    /// This corpus with metadata dates: a document whose entry in `days` is a day
    /// takes it (source [`DateSource::Metadata`], outranking a date found in its
    /// text); `None` leaves the document as it is. `days` has one entry per document.
    /// The texts, ids and sources are shared with this corpus, not copied.
    pub fn with_metadata_dates(&self, days: &[Option<i32>]) -> Corpus {
        assert_eq!(days.len(), self.len(), "one entry per document");
        let mut out = self.clone();
        for ((date, source), day) in out.dates.iter_mut().zip(&mut out.date_sources).zip(days) {
            if let Some(day) = day {
                *date = Some(*day);
                *source = DateSource::Metadata;
            }
        }
        out
    }

    /// This corpus dated by its own texts ([`dates::date_each`]): each document's
    /// dateline or opening date, year-less dates given a year from the neighbours when
    /// `chronological`; replaces every date. The texts are read in place, in parallel.
    pub fn dated_by_texts(mut self, chronological: bool) -> Corpus {
        let texts = &self.texts;
        let datings = dates::date_each(
            texts.len(),
            |i| texts.get(i).unwrap_or_default(),
            &[],
            chronological,
        );
        (self.dates, self.date_sources) = datings.into_iter().map(|d| (d.date, d.source)).unzip();
        self
    }

    /// A fingerprint (hex BLAKE3) of the documents' ids, texts and dates, in order: equal
    /// corpora give equal fingerprints on any machine and thread count. The documents are
    /// cut into runs of at least [`FINGERPRINT_CHUNK_BYTES`] of ids and texts (a cut that
    /// depends only on the documents), the runs hashed in parallel, then their digests in
    /// order with the document count (the scheme's tag is `framescope-corpus-v2`).
    pub fn fingerprint(&self) -> String {
        let sizes: Vec<usize> = self
            .ids
            .iter()
            .zip(self.texts.iter())
            .map(|(id, text)| id.len() + text.len())
            .collect();
        let runs = fingerprint_runs(&sizes);
        let digests: Vec<[u8; 32]> = runs
            .par_iter()
            .map(|&(a, b)| {
                let mut feed = Feed::default();
                let docs = self.ids.range(a..b).zip(self.texts.range(a..b));
                for ((id, text), &date) in docs.zip(&self.dates[a..b]) {
                    feed.document(id, text, date);
                }
                feed.digest()
            })
            .collect();
        let mut h = blake3::Hasher::new();
        h.update(b"framescope-corpus-v2");
        h.update(&(self.len() as u64).to_le_bytes());
        for d in &digests {
            h.update(d);
        }
        h.finalize().to_hex().to_string()
    }

    /// The fingerprint run records held before [`Corpus::fingerprint`] (SHA-256 over
    /// chunks of 4,096 documents, tag `framescope-corpus-v1`): kept so that a record
    /// written then can still be checked against a corpus.
    pub fn fingerprint_v1(&self) -> String {
        use sha2::{Digest, Sha256};
        const CHUNK: usize = 4096;
        let digests: Vec<[u8; 32]> = (0..self.len().div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let mut h = Sha256::new();
                let run = c * CHUNK..self.len().min((c + 1) * CHUNK);
                let docs = self
                    .ids
                    .range(run.clone())
                    .zip(self.texts.range(run.clone()));
                for ((id, text), date) in docs.zip(&self.dates[run]) {
                    h.update((id.len() as u64).to_le_bytes());
                    h.update(id.as_bytes());
                    h.update((text.len() as u64).to_le_bytes());
                    h.update(text.as_bytes());
                    h.update(date.map_or(i64::MIN, i64::from).to_le_bytes());
                }
                h.finalize().into()
            })
            .collect();
        let mut h = Sha256::new();
        h.update(b"framescope-corpus-v1");
        h.update((self.len() as u64).to_le_bytes());
        for d in &digests {
            h.update(d);
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The documents at `indices`, in that order (each index below [`Corpus::len`]).
    pub fn select(&self, indices: &[usize]) -> Corpus {
        Corpus::from_documents(
            indices
                .iter()
                .map(|&i| self.get(i).expect("an index inside the corpus")),
        )
    }
}

/// Bytes of ids and texts after which [`Corpus::fingerprint`] starts a new run of
/// documents: runs of about 1 MiB keep every thread busy on any corpus from a few MB up,
/// whatever the documents' sizes.
pub const FINGERPRINT_CHUNK_BYTES: usize = 1 << 20;

/// The runs `(start, end)` of documents hashed together: each closes at the first
/// document that brings it to [`FINGERPRINT_CHUNK_BYTES`] or more ([`column::runs`]);
/// `sizes` holds each document's bytes of id and text.
fn fingerprint_runs(sizes: &[usize]) -> Vec<(usize, usize)> {
    column::runs(sizes.iter().copied(), FINGERPRINT_CHUNK_BYTES)
}

/// A BLAKE3 hasher fed through a buffer: BLAKE3 hashes many 1 KiB chunks at once (SIMD
/// across chunks) only when it is given them together, so short pieces (a document's
/// lengths, a post's text) are gathered first; long texts go straight in. The digest is
/// that of the bytes fed, in order, however they were grouped.
#[derive(Default)]
struct Feed {
    hasher: blake3::Hasher,
    buffer: Vec<u8>,
}

impl Feed {
    /// Pieces at least this long skip the buffer.
    const DIRECT: usize = 16 << 10;
    /// The buffer is handed to the hasher when it holds this much.
    const BUFFER: usize = 64 << 10;

    /// Feeds one document: lengths, id, text and date (little-endian; no date is
    /// `i64::MIN`), so that no two documents or splits hash the same bytes.
    fn document(&mut self, id: &str, text: &str, date: Option<i32>) {
        self.put(&(id.len() as u64).to_le_bytes());
        self.put(id.as_bytes());
        self.put(&(text.len() as u64).to_le_bytes());
        self.put(text.as_bytes());
        self.put(&date.map_or(i64::MIN, i64::from).to_le_bytes());
    }

    fn put(&mut self, bytes: &[u8]) {
        if bytes.len() >= Self::DIRECT {
            self.flush();
            self.hasher.update(bytes);
        } else {
            self.buffer.extend_from_slice(bytes);
            if self.buffer.len() >= Self::BUFFER {
                self.flush();
            }
        }
    }

    fn flush(&mut self) {
        self.hasher.update(&self.buffer);
        self.buffer.clear();
    }

    /// The digest of everything fed.
    fn digest(mut self) -> [u8; 32] {
        self.flush();
        *self.hasher.finalize().as_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn documents(ids: &[&str]) -> Vec<Document> {
        ids.iter()
            .map(|id| document(id, format!("text of {id}"), None))
            .collect()
    }

    fn corpus_of(docs: &[Document]) -> Corpus {
        Corpus::from_documents(docs.iter().map(DocumentRef::from))
    }

    fn corpus(ids: &[&str]) -> Corpus {
        corpus_of(&documents(ids))
    }

    #[test]
    fn concat_keeps_order_and_makes_ids_unique() {
        let (a, b, c) = (
            corpus(&["0", "1"]),
            corpus(&["0", "x"]),
            corpus(&["0~2", "0"]),
        );
        let (all, renamed) = Corpus::concat(&[&a, &b, &c]);
        assert_eq!(all.ids(), ["0", "1", "0~2", "x", "0~2~2", "0~3"]);
        assert_eq!(all.get(2).unwrap().text, "text of 0");
        assert_eq!(all.get(5).unwrap().text, "text of 0");
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
        let docs = documents(&["a", "b"]);
        let mut dated = docs.clone();
        dated[0].date = Some(0);
        assert_ne!(a.fingerprint(), corpus_of(&dated).fingerprint());
        let mut edited = docs.clone();
        edited[1].text.push(' ');
        assert_ne!(a.fingerprint(), corpus_of(&edited).fingerprint());
        // Lengths are hashed: moving a byte from the id to the text changes it.
        let mut moved = docs.clone();
        moved[0].id = String::new();
        moved[0].text = format!("a{}", docs[0].text);
        assert_ne!(a.fingerprint(), corpus_of(&moved).fingerprint());
        // The empty corpus: BLAKE3 of the tag and a zero count (as the reference `blake3`
        // package for Python gives it: blake3(b"framescope-corpus-v2" + bytes(8))).
        assert_eq!(
            Corpus::default().fingerprint(),
            "95872ac484f4b7ffee8c609b8f5f140f66d29e961c37b39af222ebe1f002319c"
        );
        // The scheme before: SHA-256 (Python's hashlib: sha256(b"framescope-corpus-v1" + bytes(8))).
        assert_eq!(
            Corpus::default().fingerprint_v1(),
            "93f811334968b24bee5bb92472435fa3e34f16f812a4f161226647a249bb1f2c"
        );
        assert_ne!(a.fingerprint_v1(), corpus(&["b", "a"]).fingerprint_v1());
    }

    fn document(id: &str, text: String, date: Option<i32>) -> Document {
        Document {
            id: id.to_string(),
            text,
            date,
            date_source: DateSource::None,
            source: String::new(),
        }
    }

    /// Expected values computed outside framescope, from the scheme as documented, with
    /// the reference `blake3` package for Python: runs cut once their ids and texts reach
    /// 1 MiB, each document as (id length, id, text length, text, date or i64::MIN), all
    /// little-endian; then the tag, the document count and the runs' digests.
    #[test]
    fn fingerprints_follow_the_documented_scheme() {
        let two = corpus_of(&[
            document("a", "first text".into(), None),
            document("b", "Второй текст".into(), Some(19000)),
        ]);
        assert_eq!(
            two.fingerprint(),
            "3c01530bb10fd46a171b63db76ebded8a94e637406e4e4fa3e555cf7efb0352d"
        );
        // 3,000 documents, 33.6 MB: 32 runs; texts up to 21 KB, so both the buffered and
        // the direct path of the hasher's feed; a third undated.
        let docs: Vec<Document> = (0..3000)
            .map(|i: usize| {
                let text = format!(
                    "{}{}",
                    "слово ".repeat(i % 300),
                    "x".repeat((i * 37) % 20000)
                );
                let date = (!i.is_multiple_of(3)).then(|| i as i32 - 1000);
                document(&format!("d{i}"), text, date)
            })
            .collect();
        let sizes: Vec<usize> = docs.iter().map(|d| d.id.len() + d.text.len()).collect();
        assert_eq!(fingerprint_runs(&sizes).len(), 32);
        let many = corpus_of(&docs);
        let expected = "77e5ae8590a499fa6d1d944e34db9801fb849068918d16f9b818a80cf6a9a88f";
        for threads in [1, 2, 3, 7] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            assert_eq!(
                pool.install(|| many.fingerprint()),
                expected,
                "{threads} threads"
            );
        }
    }

    #[test]
    fn fingerprint_runs_close_at_a_mebibyte() {
        let mib = FINGERPRINT_CHUNK_BYTES;
        assert!(fingerprint_runs(&[]).is_empty());
        assert_eq!(fingerprint_runs(&[1]), vec![(0, 1)]);
        // A run closes at the document that reaches the limit, not the one after.
        let sizes = [mib - 1, 1, 3 * mib, 5, 6];
        assert_eq!(fingerprint_runs(&sizes), vec![(0, 2), (2, 3), (3, 5)]);
    }

    #[test]
    fn metadata_dates_outrank_and_none_keeps() {
        let mut docs = documents(&["a", "b"]);
        docs[1].date = Some(5);
        docs[1].date_source = DateSource::Text;
        let c = corpus_of(&docs);
        let d = c.with_metadata_dates(&[Some(10), None]);
        assert_eq!(d.dates(), [Some(10), Some(5)]);
        assert_eq!(c.dates(), [None, Some(5)], "the corpus itself unchanged");
        // The strings are shared, not copied.
        assert!(Arc::ptr_eq(&c.texts, &d.texts) && Arc::ptr_eq(&c.ids, &d.ids));
        assert_eq!(d.date_sources(), [DateSource::Metadata, DateSource::Text]);
        assert_eq!(d.texts(), ["text of a", "text of b"]);
    }

    #[test]
    fn columns_must_agree_in_length() {
        let col = |n: usize| StringColumn::numbers(n);
        let c = Corpus::from_columns(
            col(2),
            col(2),
            vec![None; 2],
            vec![DateSource::None; 2],
            col(2),
        );
        assert_eq!(c.unwrap().get(1).unwrap().text, "1");
        let e = Corpus::from_columns(
            col(2),
            col(2),
            vec![None; 1],
            vec![DateSource::None; 2],
            col(2),
        );
        assert_eq!(e.unwrap_err().to_string(), "1 dates for 2 texts");
    }

    #[test]
    fn documents_come_back_as_pushed() {
        let docs = [
            document("a", "Коллективный Запад".into(), Some(3)),
            Document {
                source: "f.csv:2".into(),
                date_source: DateSource::Text,
                ..document("b", String::new(), None)
            },
        ];
        let c = corpus_of(&docs);
        assert_eq!(c.len(), 2);
        assert_eq!(c.get(1), Some(DocumentRef::from(&docs[1])));
        assert_eq!(c.get(2), None);
        assert!(c.iter().eq(docs.iter().map(DocumentRef::from)));
        assert_eq!(c.sources(), ["", "f.csv:2"]);
        assert_eq!(c.select(&[1, 0, 1]).ids(), ["b", "a", "b"]);
    }
}
