//! The saved-corpus file (`corpus.save` / `fs.load`): documents, their tokens and the
//! host's own sections in one versioned binary file.
//!
//! Layout (all integers little-endian):
//!
//! | bytes | what |
//! |---|---|
//! | 0..8 | magic `FSCORPUS` |
//! | 8..12 | format version (u32; [`VERSION`]) |
//! | 12..20 | header length H (u64) |
//! | 20..20+H | header: JSON ([`Header`], through serde): document count, the byte span of every section, the tokenizations saved with their options, the host's section names |
//! | then | the sections, each at an offset that is a multiple of 8 |
//!
//! Sections: `text`, `id`, `source` (each a `.bytes` section of UTF-8 strings one after
//! another and a `.offsets` section of n+1 u64 byte offsets), `date` (n i32: days since
//! 1970-01-01, `i32::MIN` for none), `date_source` (n u8: 0 metadata, 1 text,
//! 2 inferred, 3 none); per tokenization k: `tokens.k.ids` (u32 term ids),
//! `tokens.k.offsets` (n+1 u64 token offsets), `tokens.k.breaks` (one u8 0/1 per
//! token), `tokens.k.vocab.bytes`/`.offsets` (the terms); and `extra.NAME` for each of
//! the host's sections (framescope's Python layer keeps metadata tables there).
//!
//! Loading checks everything before it trusts it: every span inside the file (a
//! header that claims more than the file holds allocates nothing), offsets that
//! rise and end where their section ends, UTF-8, ids unique, term ids inside the
//! vocabulary, known date sources. Sections are read, not memory-mapped: the corpus
//! owns its strings, and a mapped file changed by another process while it is read
//! would crash the process (SIGBUS) instead of raising an error. Strings are read a
//! chunk at a time, so memory beyond the corpus itself is one chunk.
//!
//! Versions: a file of an older version is read as that version was written
//! (`tests/python/fixtures/corpus_v1.fsc`, loaded by `test_store.py`, was written by
//! version 1); a newer version is an error that says to update framescope. A change
//! to the layout bumps [`VERSION`] and keeps the old reader.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::choice::Choice;
use crate::corpus::column::Chunk;
use crate::corpus::{Corpus, DateSource, StringColumn};
use crate::error::{CoreError, Result};
use crate::text::tokenized::{TokenizedCorpus, Vocabulary};
use crate::text::tokenizer::{HashtagMode, HyphenMode, TokenizerOptions};

/// The file's first bytes.
pub const MAGIC: &[u8; 8] = b"FSCORPUS";
/// The format version this build writes (and the newest it reads).
pub const VERSION: u32 = 1;
/// Bytes of strings read at a time when loading.
const CHUNK_BYTES: u64 = 64 << 20;
/// The longest header accepted (a damaged length field allocates nothing big).
const MAX_HEADER: u64 = 64 << 20;

/// Where a section lies in the file.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Span {
    /// Byte offset from the start of the file.
    pub offset: u64,
    /// Length in bytes.
    pub length: u64,
}

/// Tokenizer options as the header names them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SavedOptions {
    /// See [`TokenizerOptions`].
    pub lowercase: bool,
    /// A [`HashtagMode`] name.
    pub hashtags: String,
    /// A [`HyphenMode`] name.
    pub hyphens: String,
    /// See [`TokenizerOptions`].
    pub numbers: bool,
    /// See [`TokenizerOptions`].
    pub strip_possessive: bool,
    /// See [`TokenizerOptions`].
    pub fold_mixed_script: bool,
    /// See [`TokenizerOptions`].
    pub fold_yo: bool,
}

impl From<&TokenizerOptions> for SavedOptions {
    fn from(o: &TokenizerOptions) -> Self {
        SavedOptions {
            lowercase: o.lowercase,
            hashtags: o.hashtags.as_str().to_string(),
            hyphens: o.hyphens.as_str().to_string(),
            numbers: o.numbers,
            strip_possessive: o.strip_possessive,
            fold_mixed_script: o.fold_mixed_script,
            fold_yo: o.fold_yo,
        }
    }
}

impl SavedOptions {
    fn options(&self) -> Result<TokenizerOptions> {
        Ok(TokenizerOptions {
            lowercase: self.lowercase,
            hashtags: HashtagMode::parse(&self.hashtags)?,
            hyphens: HyphenMode::parse(&self.hyphens)?,
            numbers: self.numbers,
            strip_possessive: self.strip_possessive,
            fold_mixed_script: self.fold_mixed_script,
            fold_yo: self.fold_yo,
        })
    }
}

/// The JSON header.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Header {
    /// Number of documents.
    pub documents: u64,
    /// Every section by name.
    pub sections: BTreeMap<String, Span>,
    /// The tokenizations saved, in order (`tokens.k.*` is the k-th).
    pub tokenizations: Vec<SavedOptions>,
    /// The host's sections (`extra.NAME`), in order.
    pub extra: Vec<String>,
    /// What wrote the file ("framescope 0.1.0").
    pub written_by: String,
}

/// What [`load`] gives back.
#[derive(Debug)]
pub struct Loaded {
    /// The documents.
    pub corpus: Corpus,
    /// The tokenizations saved with them, ready to use.
    pub tokenizations: Vec<(TokenizerOptions, TokenizedCorpus)>,
    /// The host's sections by name, in the order they were saved.
    pub extra: Vec<(String, Vec<u8>)>,
    /// The file's format version.
    pub version: u32,
}

const DATE_SOURCES: [DateSource; 4] = [
    DateSource::Metadata,
    DateSource::Text,
    DateSource::Inferred,
    DateSource::None,
];

fn io_error(path: &Path, e: std::io::Error) -> CoreError {
    CoreError::Input(format!("{}: {e}", path.display()))
}

fn damaged(path: &Path, what: impl std::fmt::Display) -> CoreError {
    CoreError::Input(format!(
        "{}: not a readable framescope corpus file: {what}",
        path.display()
    ))
}

/// The bytes of a section, to be written in order.
enum Part<'a> {
    /// Strings one after another.
    Strings(Vec<&'a str>),
    U64(Vec<u64>),
    U32(&'a [u32]),
    I32(Vec<i32>),
    Bytes(Vec<u8>),
    Borrowed(&'a [u8]),
}

impl Part<'_> {
    fn len(&self) -> u64 {
        (match self {
            Part::Strings(s) => s.iter().map(|s| s.len()).sum::<usize>(),
            Part::U64(v) => v.len() * 8,
            Part::U32(v) => v.len() * 4,
            Part::I32(v) => v.len() * 4,
            Part::Bytes(v) => v.len(),
            Part::Borrowed(v) => v.len(),
        }) as u64
    }

    fn write(&self, out: &mut impl Write) -> std::io::Result<()> {
        match self {
            Part::Strings(s) => s.iter().try_for_each(|s| out.write_all(s.as_bytes())),
            Part::U64(v) => v.iter().try_for_each(|x| out.write_all(&x.to_le_bytes())),
            Part::U32(v) => v.iter().try_for_each(|x| out.write_all(&x.to_le_bytes())),
            Part::I32(v) => v.iter().try_for_each(|x| out.write_all(&x.to_le_bytes())),
            Part::Bytes(v) => out.write_all(v),
            Part::Borrowed(v) => out.write_all(v),
        }
    }
}

fn string_parts<'a>(name: &str, strings: Vec<&'a str>, parts: &mut Vec<(String, Part<'a>)>) {
    let mut offsets = Vec::with_capacity(strings.len() + 1);
    let mut at = 0u64;
    offsets.push(0);
    for s in &strings {
        at += s.len() as u64;
        offsets.push(at);
    }
    parts.push((format!("{name}.bytes"), Part::Strings(strings)));
    parts.push((format!("{name}.offsets"), Part::U64(offsets)));
}

/// Writes `corpus`, the `tokenizations` of it, and the host's `extra` sections to
/// `path` (replacing it: written to a temporary file first, then renamed, so a
/// failed save leaves no half file behind).
pub fn save(
    path: &Path,
    corpus: &Corpus,
    tokenizations: &[(&TokenizerOptions, &TokenizedCorpus)],
    extra: &[(String, Vec<u8>)],
) -> Result<()> {
    let n = corpus.len();
    for (_, tc) in tokenizations {
        if tc.offsets.len() != n + 1 {
            return Err(crate::error::invalid(
                "a tokenization to save belongs to another corpus",
            ));
        }
    }
    let mut parts: Vec<(String, Part)> = Vec::new();
    string_parts("text", corpus.texts(), &mut parts);
    string_parts("id", corpus.ids(), &mut parts);
    string_parts("source", corpus.sources(), &mut parts);
    parts.push((
        "date".into(),
        Part::I32(
            corpus
                .dates()
                .iter()
                .map(|d| d.unwrap_or(i32::MIN))
                .collect(),
        ),
    ));
    parts.push((
        "date_source".into(),
        Part::Bytes(
            corpus
                .date_sources()
                .iter()
                .map(|d| DATE_SOURCES.iter().position(|s| s == d).unwrap_or(3) as u8)
                .collect(),
        ),
    ));
    for (k, (_, tc)) in tokenizations.iter().enumerate() {
        parts.push((format!("tokens.{k}.ids"), Part::U32(&tc.ids)));
        parts.push((
            format!("tokens.{k}.offsets"),
            Part::U64(tc.offsets.iter().map(|&o| o as u64).collect()),
        ));
        parts.push((
            format!("tokens.{k}.breaks"),
            Part::Bytes(tc.breaks.iter().map(|&b| b as u8).collect()),
        ));
        string_parts(
            &format!("tokens.{k}.vocab"),
            tc.vocab.terms().iter().map(|t| &**t).collect(),
            &mut parts,
        );
    }
    for (name, bytes) in extra {
        parts.push((format!("extra.{name}"), Part::Borrowed(bytes)));
    }
    // Offsets depend on the header's length, which depends on the offsets' digits:
    // lay out with a guess and repeat until the header fits its own layout.
    let mut header_len = 0u64;
    let header = loop {
        let mut at = align8(20 + header_len);
        let mut sections = BTreeMap::new();
        for (name, part) in &parts {
            let length = part.len();
            sections.insert(name.clone(), Span { offset: at, length });
            at = align8(at + length);
        }
        let header = Header {
            documents: n as u64,
            sections,
            tokenizations: tokenizations
                .iter()
                .map(|(o, _)| SavedOptions::from(*o))
                .collect(),
            extra: extra.iter().map(|(name, _)| name.clone()).collect(),
            written_by: format!("framescope {}", env!("CARGO_PKG_VERSION")),
        };
        let json = serde_json::to_vec(&header).map_err(|e| crate::error::invalid(e.to_string()))?;
        if json.len() as u64 == header_len {
            break json;
        }
        header_len = json.len() as u64;
    };
    let tmp = path.with_file_name(format!(
        ".{}.partial",
        path.file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("corpus")
    ));
    let result = (|| -> std::io::Result<()> {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
        out.write_all(MAGIC)?;
        out.write_all(&VERSION.to_le_bytes())?;
        out.write_all(&header_len.to_le_bytes())?;
        out.write_all(&header)?;
        let mut at = 20 + header_len;
        for (_, part) in &parts {
            let pad = align8(at) - at;
            out.write_all(&[0u8; 8][..pad as usize])?;
            part.write(&mut out)?;
            at = align8(at) + part.len();
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_error(path, e));
    }
    Ok(())
}

fn align8(x: u64) -> u64 {
    x.div_ceil(8) * 8
}

/// A file being loaded.
struct Reader<'a> {
    path: &'a Path,
    file: File,
    size: u64,
    header: Header,
}

impl Reader<'_> {
    fn span(&self, name: &str) -> Result<Span> {
        let span = *self
            .header
            .sections
            .get(name)
            .ok_or_else(|| damaged(self.path, format!("section {name} is missing")))?;
        match span.offset.checked_add(span.length) {
            Some(end) if end <= self.size => Ok(span),
            _ => Err(damaged(
                self.path,
                format!("section {name} runs past the end of the file (truncated?)"),
            )),
        }
    }

    fn read_at(&mut self, offset: u64, length: u64) -> Result<Vec<u8>> {
        let mut buf = vec![0u8; length as usize];
        self.file
            .seek(SeekFrom::Start(offset))
            .and_then(|_| self.file.read_exact(&mut buf))
            .map_err(|e| io_error(self.path, e))?;
        Ok(buf)
    }

    fn bytes(&mut self, name: &str) -> Result<Vec<u8>> {
        let span = self.span(name)?;
        self.read_at(span.offset, span.length)
    }

    /// `count` fixed-width values of a section (its length must be exactly that).
    fn words<const W: usize, T: Send>(
        &mut self,
        name: &str,
        count: Option<u64>,
        decode: fn([u8; W]) -> T,
    ) -> Result<Vec<T>> {
        let span = self.span(name)?;
        if span.length % W as u64 != 0
            || count.is_some_and(|c| c.checked_mul(W as u64) != Some(span.length))
        {
            return Err(damaged(
                self.path,
                format!("section {name} has the wrong length"),
            ));
        }
        let raw = self.read_at(span.offset, span.length)?;
        Ok(raw
            .par_chunks_exact(W)
            .map(|c| decode(c.try_into().expect("chunks of W bytes")))
            .collect())
    }

    fn offsets(&mut self, name: &str, count: u64, end: u64) -> Result<Vec<u64>> {
        let offsets = self.words::<8, u64>(name, Some(count + 1), u64::from_le_bytes)?;
        let rising = offsets.first() == Some(&0)
            && offsets.last() == Some(&end)
            && offsets.par_windows(2).all(|w| w[0] <= w[1]);
        if !rising {
            return Err(damaged(
                self.path,
                format!("section {name}: offsets out of order"),
            ));
        }
        Ok(offsets)
    }

    /// The `count` strings of `NAME.bytes` / `NAME.offsets` as a column, read a chunk
    /// of the file at a time, each read chunk kept as one chunk of the column.
    fn column(&mut self, name: &str, count: u64) -> Result<StringColumn> {
        let bytes = self.span(&format!("{name}.bytes"))?;
        let offsets = self.offsets(&format!("{name}.offsets"), count, bytes.length)?;
        let mut out = StringColumn::new();
        let mut first = 0usize;
        while first < count as usize {
            let last = self.chunk_end(&offsets, first, count as usize);
            let base = offsets[first];
            let chunk = self.read_at(bytes.offset + base, offsets[last] - base)?;
            let ends: Vec<usize> = offsets[first + 1..=last]
                .iter()
                .map(|&o| (o - base) as usize)
                .collect();
            let valid = (0..ends.len()).into_par_iter().all(|k| {
                let start = if k == 0 { 0 } else { ends[k - 1] };
                crate::text::utf8::as_str(&chunk[start..ends[k]]).is_some()
            });
            if !valid {
                return Err(damaged(
                    self.path,
                    format!("section {name}.bytes is not UTF-8"),
                ));
            }
            // SAFETY: the chunk is its strings end to end, each checked to be UTF-8 just
            // above, and strings of UTF-8 end to end are UTF-8.
            let text = unsafe { String::from_utf8_unchecked(chunk) };
            out.append(Chunk::from_parts(text, ends).expect("rising offsets that end the chunk"));
            first = last;
        }
        Ok(out)
    }

    /// The end of the run of strings from `first` read as one chunk: at least one
    /// string, then as many more as fit in [`CHUNK_BYTES`].
    fn chunk_end(&self, offsets: &[u64], first: usize, count: usize) -> usize {
        let mut last = first + 1;
        while last < count && offsets[last + 1] - offsets[first] <= CHUNK_BYTES {
            last += 1;
        }
        last
    }

    /// The `count` strings of `NAME.bytes` / `NAME.offsets`, read a chunk at a time.
    fn strings(&mut self, name: &str, count: u64) -> Result<Vec<String>> {
        let bytes = self.span(&format!("{name}.bytes"))?;
        let offsets = self.offsets(&format!("{name}.offsets"), count, bytes.length)?;
        let mut out = Vec::with_capacity(count as usize);
        let mut first = 0usize;
        while first < count as usize {
            let last = self.chunk_end(&offsets, first, count as usize);
            let base = offsets[first];
            let chunk = self.read_at(bytes.offset + base, offsets[last] - base)?;
            let strings: Option<Vec<String>> = (first..last)
                .into_par_iter()
                .map(|i| {
                    let part =
                        &chunk[(offsets[i] - base) as usize..(offsets[i + 1] - base) as usize];
                    crate::text::utf8::as_str(part).map(str::to_owned)
                })
                .collect();
            out.extend(
                strings.ok_or_else(|| {
                    damaged(self.path, format!("section {name}.bytes is not UTF-8"))
                })?,
            );
            first = last;
        }
        Ok(out)
    }
}

/// Reads a file written by [`save`] (this version or an older one).
pub fn load(path: &Path) -> Result<Loaded> {
    let mut file = File::open(path).map_err(|e| io_error(path, e))?;
    let size = file.metadata().map_err(|e| io_error(path, e))?.len();
    let mut head = [0u8; 20];
    if size < 20 || file.read_exact(&mut head).is_err() || &head[..8] != MAGIC {
        return Err(damaged(
            path,
            "it does not start with FSCORPUS (written by corpus.save?)",
        ));
    }
    let version = u32::from_le_bytes(head[8..12].try_into().expect("4 bytes"));
    if version == 0 || version > VERSION {
        return Err(CoreError::Input(format!(
            "{}: written by a newer framescope (format version {version}; this one reads up to \
             {VERSION}): update framescope to load it",
            path.display()
        )));
    }
    let header_len = u64::from_le_bytes(head[12..20].try_into().expect("8 bytes"));
    if header_len > MAX_HEADER || 20 + header_len > size {
        return Err(damaged(
            path,
            "the header length is out of range (truncated?)",
        ));
    }
    let mut json = vec![0u8; header_len as usize];
    file.read_exact(&mut json).map_err(|e| io_error(path, e))?;
    let header: Header =
        serde_json::from_slice(&json).map_err(|e| damaged(path, format!("header: {e}")))?;
    let n = header.documents;
    let mut r = Reader {
        path,
        file,
        size,
        header,
    };
    let texts = r.column("text", n)?;
    let ids = r.column("id", n)?;
    let sources = r.column("source", n)?;
    let dates = r.words::<4, i32>("date", Some(n), i32::from_le_bytes)?;
    let kinds = r.bytes("date_source")?;
    if kinds.len() as u64 != n || kinds.iter().any(|&k| k as usize >= DATE_SOURCES.len()) {
        return Err(damaged(path, "section date_source: unknown date source"));
    }
    let mut seen = ahash::AHashSet::with_capacity(n as usize);
    if let Some(dup) = ids.iter().find(|id| !seen.insert(*id)) {
        return Err(damaged(path, format!("the id {dup:?} occurs twice")));
    }
    drop(seen);
    let corpus = Corpus::from_columns(
        ids,
        texts,
        dates
            .iter()
            .map(|&d| (d != i32::MIN).then_some(d))
            .collect(),
        kinds.iter().map(|&k| DATE_SOURCES[k as usize]).collect(),
        sources,
    )
    .map_err(|e| damaged(path, e))?;
    let mut tokenizations = Vec::new();
    for (k, saved) in r.header.tokenizations.clone().iter().enumerate() {
        let options = saved
            .options()
            .map_err(|e| damaged(path, format!("tokenization {k}: {e}")))?;
        let ids = r.words::<4, u32>(&format!("tokens.{k}.ids"), None, u32::from_le_bytes)?;
        let n_tokens = ids.len() as u64;
        let offsets = r.offsets(&format!("tokens.{k}.offsets"), n, n_tokens)?;
        let breaks = r.bytes(&format!("tokens.{k}.breaks"))?;
        if breaks.len() as u64 != n_tokens || breaks.iter().any(|&b| b > 1) {
            return Err(damaged(
                path,
                format!("section tokens.{k}.breaks is damaged"),
            ));
        }
        let vocab_len = r.span(&format!("tokens.{k}.vocab.offsets"))?.length / 8;
        let terms = r.strings(&format!("tokens.{k}.vocab"), vocab_len.saturating_sub(1))?;
        let mut distinct = ahash::AHashSet::with_capacity(terms.len());
        if terms.iter().any(|t| !distinct.insert(t.as_str())) {
            return Err(damaged(
                path,
                format!("section tokens.{k}.vocab: a term occurs twice"),
            ));
        }
        drop(distinct);
        let n_terms = terms.len() as u32;
        if ids.par_iter().any(|&id| id >= n_terms) {
            return Err(damaged(
                path,
                format!("section tokens.{k}.ids: a term id past the vocabulary"),
            ));
        }
        tokenizations.push((
            options,
            TokenizedCorpus {
                ids,
                offsets: offsets.into_iter().map(|o| o as usize).collect(),
                breaks: breaks.into_iter().map(|b| b == 1).collect(),
                vocab: Vocabulary::from_terms(
                    terms.into_iter().map(String::into_boxed_str).collect(),
                ),
            },
        ));
    }
    let mut extra = Vec::new();
    for name in r.header.extra.clone() {
        let bytes = r.bytes(&format!("extra.{name}"))?;
        extra.push((name, bytes));
    }
    Ok(Loaded {
        corpus,
        tokenizations,
        extra,
        version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::text::tokenizer::Tokenizer;

    fn sample() -> Corpus {
        let doc = |id: &str, text: &str, date: Option<i32>, src: DateSource| Document {
            id: id.into(),
            text: text.into(),
            date,
            date_source: src,
            source: format!("f.txt:{id}"),
        };
        let docs = [
            doc(
                "a",
                "The collective West — «коллективный Запад».",
                Some(19_000),
                DateSource::Text,
            ),
            doc("b", "", None, DateSource::None),
            doc(
                "c",
                "Global Majority\r\nМировое большинство",
                Some(-5),
                DateSource::Metadata,
            ),
        ];
        Corpus::from_documents(docs.iter().map(Into::into))
    }

    fn tmp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("fs-store-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("c.fsc")
    }

    #[test]
    fn round_trip_keeps_documents_tokens_and_extra() {
        let corpus = sample();
        let opts = TokenizerOptions::default();
        let tc = TokenizedCorpus::build(&corpus.texts(), &Tokenizer::new(opts.clone()));
        let path = tmp("round");
        let extra = vec![
            ("meta".to_string(), vec![1u8, 2, 3]),
            ("empty".to_string(), vec![]),
        ];
        save(&path, &corpus, &[(&opts, &tc)], &extra).unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.corpus, corpus);
        assert_eq!(loaded.tokenizations.len(), 1);
        assert_eq!(loaded.tokenizations[0].0, opts);
        assert_eq!(loaded.tokenizations[0].1, tc);
        assert_eq!(loaded.extra, extra);
        assert_eq!(loaded.version, VERSION);
    }

    #[test]
    fn every_damage_is_an_error_naming_the_file() {
        let corpus = sample();
        let path = tmp("damage");
        save(&path, &corpus, &[], &[]).unwrap();
        let good = std::fs::read(&path).unwrap();
        // Truncated at every length: an error, never a panic or a huge allocation.
        for cut in (0..good.len()).step_by(7) {
            std::fs::write(&path, &good[..cut]).unwrap();
            let e = load(&path).unwrap_err().to_string();
            assert!(e.contains("c.fsc"), "{e}");
        }
        // Every byte flipped in turn: loads the same or fails cleanly.
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0xA5;
            std::fs::write(&path, &bad).unwrap();
            if let Ok(l) = load(&path) {
                assert_eq!(l.corpus.len(), corpus.len());
            }
        }
        let mut newer = good.clone();
        newer[8..12].copy_from_slice(&(VERSION + 1).to_le_bytes());
        std::fs::write(&path, &newer).unwrap();
        assert!(load(&path)
            .unwrap_err()
            .to_string()
            .contains("newer framescope"));
    }
}
