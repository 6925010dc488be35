//! Reading corpora from files: plain text, scraped channel dumps, JSONL, CSV/TSV
//! and Telegram Desktop exports, each optionally gzip-compressed. Every document
//! keeps its provenance (file and line, or message id) and a dated source.
//!
//! Files are read in parallel, in a fixed order, so results and the first error
//! do not depend on threads. Line-based formats are streamed in batches: memory
//! holds the documents, not a second copy of the input. Bad input is an
//! [`CoreError::Input`] naming the file and line, unless `errors = Skip`, which
//! skips the record and reports it.

mod channel;
mod csv_watch;
mod files;
mod html;
pub mod meta_table;
mod records;
mod telegram;
mod transcode;

use ahash::AHashMap;
use rayon::prelude::*;

use crate::corpus::date_values::{parse_value, BadDates, DateRules, DateValue};
use crate::corpus::dates::date_from_texts;
use crate::corpus::notes::text_notes;
use crate::corpus::{Corpus, StringColumn};
use crate::error::{invalid, CoreError, Result};

pub use files::{list_files, Format, InputFile, Listing, DEFAULT_MAX_RECORD_BYTES};

/// What to do with a malformed record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// Stop with an error naming the file and line.
    Raise,
    /// Skip the record and report it.
    Skip,
}

crate::choices!(OnError, "errors", ["raise" => OnError::Raise, "skip" => OnError::Skip]);

/// What to do with bytes that are not valid UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// Stop with an error naming the file and byte offset.
    Strict,
    /// Replace them with U+FFFD and report how many.
    Replace,
}

crate::choices!(Decode, "encoding_errors", ["strict" => Decode::Strict, "replace" => Decode::Replace]);

/// Settings for [`read`].
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// File format, or `Auto` (by extension and content).
    pub format: Format,
    /// Field or column holding the text (JSONL, CSV).
    pub text_field: String,
    /// Field or column holding the date; `None`: "date" when present.
    pub date_field: Option<String>,
    /// Field or column holding the id; `None`: ids from file and record.
    pub id_field: Option<String>,
    /// For directories: a glob over paths relative to the directory (e.g. `"**/*.txt"`).
    pub glob: Option<String>,
    /// For text files: a regex; each line it matches starts a new document.
    pub split: Option<String>,
    /// Malformed records.
    pub errors: OnError,
    /// Invalid UTF-8.
    pub decode: Decode,
    /// The encoding of files without a byte-order mark (`None`: UTF-8).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Whether documents within a file are in date order, so a year missing from
    /// a text date can come from neighbours; `None`: yes for channel dumps only.
    pub chronological: Option<bool>,
    /// Bytes of JSONL read and parsed at a time (a batch of [`Scan`]).
    pub batch_bytes: usize,
    /// The most bytes one record may take: a JSONL line, a CSV row, or a whole
    /// text or Telegram file (after decompression); more is an input error naming
    /// the file and where. Guards against decompression bombs and endless lines.
    pub max_record_bytes: usize,
    /// The plausible range of metadata dates and what to do with bad ones.
    pub dates: DateRules,
    /// Files not to read as documents (a metadata sidecar inside a folder read).
    pub exclude: Vec<std::path::PathBuf>,
    /// Metadata fields kept as columns however few records hold them (never folded into
    /// [`meta_table::EXTRA_COLUMN`]): the fields a scan groups by.
    pub keep_fields: Vec<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: Format::Auto,
            text_field: "text".into(),
            date_field: None,
            id_field: None,
            glob: None,
            split: None,
            errors: OnError::Raise,
            decode: Decode::Strict,
            encoding: None,
            chronological: None,
            batch_bytes: crate::parallel::BATCH_BYTES,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            dates: DateRules::default(),
            exclude: Vec::new(),
            keep_fields: Vec::new(),
        }
    }
}

/// A metadata value from a record.
#[derive(Debug, Clone, PartialEq)]
pub enum MetaValue {
    /// Missing or null.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string (nested JSON is kept as its JSON text).
    Str(String),
}

/// Something the reader skipped, replaced or renamed, for the read report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadIssue {
    /// File and line (or record) it concerns.
    pub source: String,
    /// Short kind: "skipped_record", "skipped_file", "bad_date", "replaced_utf8",
    /// "skipped_service", "skipped_empty", "renamed_id", "symlink_loop", "folded_fields",
    /// "files_not_read", "hyphenated_words", "html_markup", "escaped_text", "epoch_date"
    /// (notes: nothing was changed), "decoded_charset" (a web page not in UTF-8, decoded
    /// by the charset it declares).
    pub kind: &'static str,
    /// What happened, in words.
    pub message: String,
}

/// A document as a loader produces it, before dating and assembly.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub id: Option<String>,
    pub text: String,
    /// Date from metadata (already parsed).
    pub date: Option<i32>,
    pub source: String,
    pub meta: Vec<(String, MetaValue)>,
    /// Whether the record has the date field (even if null).
    pub has_date_field: bool,
}

/// What one file yields.
#[derive(Debug, Default)]
pub(crate) struct FileLoad {
    pub docs: Vec<Raw>,
    pub issues: Vec<ReadIssue>,
    /// Whether the file's documents are in date order (for year inference).
    pub chronological: bool,
    /// Default id prefix: the file's name relative to its root.
    pub name: String,
}

/// Documents read from files, with metadata columns and the read report.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The documents, in file order, then record order.
    pub corpus: Corpus,
    /// Metadata columns (first-seen order), one value per document; fields held by
    /// few documents of many may be one JSON column ([`meta_table`]).
    pub meta: Vec<(String, Vec<MetaValue>)>,
    /// What was skipped, replaced or renamed.
    pub issues: Vec<ReadIssue>,
    /// The files that gave documents, by name relative to the path given (a file
    /// named directly: its name), in order.
    pub files: Vec<String>,
    /// Each document's file, as an index into `files`.
    pub file_of: Vec<u32>,
}

/// An input error naming `source`.
pub(crate) fn input_err(source: &str, msg: impl std::fmt::Display) -> CoreError {
    CoreError::Input(format!("{source}: {msg}"))
}

/// Parses a metadata date value by the one set of rules
/// ([`crate::corpus::date_values`]). A bad value errs naming the record, or with
/// [`BadDates::Undated`] leaves the document undated and is reported in `issues`. A
/// date of 1970-01-01 is kept but reported ("epoch_date"): the Unix epoch is what a
/// missing time stored as 0 becomes once written as a date.
pub(crate) fn meta_date(
    source: &str,
    field: &str,
    v: DateValue<'_>,
    rules: &DateRules,
    issues: &mut Vec<ReadIssue>,
) -> Result<Option<i32>> {
    match parse_value(v, rules) {
        Ok(Some(0)) => {
            issues.push(ReadIssue {
                source: source.to_string(),
                kind: "epoch_date",
                message: format!(
                    "{field} is 1970-01-01, the Unix epoch: a missing time stored as 0? \
                     It is used as given"
                ),
            });
            Ok(Some(0))
        }
        Ok(d) => Ok(d),
        Err(problem) => match rules.on_bad {
            BadDates::Raise => Err(input_err(source, format!("{field} {problem}"))),
            BadDates::Undated => {
                issues.push(ReadIssue {
                    source: source.to_string(),
                    kind: "bad_date",
                    message: format!("{field} {problem}; the metadata date is ignored"),
                });
                Ok(None)
            }
        },
    }
}

/// The files under `paths` and the compiled `split` pattern.
/// Also the report rows for the files of the directories walked that are not read.
fn prepare<P: AsRef<str>>(
    paths: &[P],
    opts: &ReadOptions,
) -> Result<(Vec<InputFile>, Option<regex::Regex>, Vec<ReadIssue>)> {
    if paths.is_empty() {
        return Err(invalid("no path given"));
    }
    let split = opts
        .split
        .as_deref()
        .map(|s| {
            regex::Regex::new(&format!("^(?:{s})"))
                .map_err(|e| invalid(format!("split pattern {s:?}: {e}")))
        })
        .transpose()?;
    let mut listing = list_files(paths, opts.glob.as_deref(), opts.format, &opts.exclude)?;
    for f in &mut listing.files {
        f.encoding = opts.encoding;
    }
    Ok((listing.files, split, not_read(listing.not_read)))
}

/// One report row for each extension of files a directory holds but `read` does not
/// read (images, PDFs, saved web pages): never left out silently.
fn not_read(paths: Vec<String>) -> Vec<ReadIssue> {
    let mut by_ext: Vec<(String, String, usize)> = Vec::new();
    for p in paths {
        let ext = std::path::Path::new(&p).extension().map_or_else(
            || "(no extension)".to_string(),
            |e| format!(".{}", e.to_string_lossy().to_lowercase()),
        );
        match by_ext.iter_mut().find(|(e, _, _)| *e == ext) {
            Some((_, _, n)) => *n += 1,
            None => by_ext.push((ext, p, 1)),
        }
    }
    by_ext
        .into_iter()
        .map(|(ext, first, n)| ReadIssue {
            source: first,
            kind: "files_not_read",
            message: format!(
                "{n} file(s) ending in {ext} not read: a folder's files are read by \
                 extension (.txt .md .html .htm .jsonl .ndjson .csv .tsv .json, optionally .gz; Parquet \
                 named as a path or glob); pass format= and glob= to read them as one of \
                 these"
            ),
        })
        .collect()
}

/// Reads one whole file.
fn load_file(f: &InputFile, opts: &ReadOptions, split: Option<&regex::Regex>) -> Result<FileLoad> {
    let mut load = match f.format {
        Format::Jsonl | Format::Csv | Format::Tsv => records::load(f, opts)?,
        Format::Telegram => telegram::load(f, opts)?,
        Format::Text | Format::Channel => channel::load(f, opts, split)?,
        Format::Html => html::load(f, opts)?,
        Format::Auto => unreachable!("list_files resolves formats"),
    };
    if let Some(c) = opts.chronological {
        load.chronological = c;
    }
    Ok(load)
}

/// With `errors = Skip`, a file that cannot be read at all (binary, empty, broken
/// encoding or quoting) is skipped and reported as "skipped_file"; other errors stand.
fn skip_file_on_error(f: &InputFile, opts: &ReadOptions, r: Result<FileLoad>) -> Result<FileLoad> {
    match r {
        Err(CoreError::Input(msg)) if opts.errors == OnError::Skip => Ok(FileLoad {
            name: f.name.clone(),
            issues: vec![ReadIssue {
                source: f.display.clone(),
                kind: "skipped_file",
                message: msg,
            }],
            ..Default::default()
        }),
        r => r,
    }
}

/// Reads every file under `paths` (files, directories, or glob patterns).
pub fn read<P: AsRef<str>>(paths: &[P], opts: &ReadOptions) -> Result<Loaded> {
    let (files, split, not_read) = prepare(paths, opts)?;
    // Every file's result, then the first error in file order (rayon's own
    // short-circuit would report whichever failing file finished first).
    let results: Vec<Result<FileLoad>> = files
        .par_iter()
        .map(|f| {
            crate::cancel::check()?;
            skip_file_on_error(f, opts, load_file(f, opts, split.as_ref()))
        })
        .collect();
    let loads: Vec<FileLoad> = results.into_iter().collect::<Result<_>>()?;
    let mut loaded = assemble(loads, &opts.keep_fields);
    loaded.issues.splice(0..0, not_read);
    Ok(loaded)
}

/// Reading in batches, for corpora larger than memory: JSONL, CSV and TSV files
/// yield one batch per about 16 MB (`batch_bytes`), other files one batch each
/// (at most `max_record_bytes`). Year inference works
/// within a batch; ids are unique within a batch.
pub struct Scan {
    files: Vec<InputFile>,
    /// Report rows for the files not read, given with the first batch.
    not_read: Vec<ReadIssue>,
    next_file: usize,
    current: Option<records::Batches>,
    opts: ReadOptions,
    split: Option<regex::Regex>,
}

impl Scan {
    /// Lists the files under `paths` (as [`read`] does); nothing is read yet.
    pub fn new<P: AsRef<str>>(paths: &[P], opts: ReadOptions) -> Result<Scan> {
        let (files, split, not_read) = prepare(paths, &opts)?;
        Ok(Scan {
            files,
            not_read,
            next_file: 0,
            current: None,
            opts,
            split,
        })
    }

    /// The next batch of documents, or None when every file has been read.
    pub fn next_batch(&mut self) -> Result<Option<Loaded>> {
        let batch = self.next_files_batch()?;
        Ok(batch.map(|mut b| {
            b.issues.splice(0..0, std::mem::take(&mut self.not_read));
            b
        }))
    }

    /// [`Scan::next_batch`] before the files not read are reported.
    fn next_files_batch(&mut self) -> Result<Option<Loaded>> {
        loop {
            if let Some(cur) = self.current.as_mut() {
                let f = &self.files[self.next_file - 1];
                let batch = match cur.next_batch(&self.opts) {
                    // With errors = Skip, a file that breaks off (quoting, encoding) is
                    // skipped from there on; its earlier batches were already yielded.
                    Err(CoreError::Input(msg)) if self.opts.errors == OnError::Skip => {
                        self.current = None;
                        let mut load = FileLoad {
                            name: f.name.clone(),
                            ..Default::default()
                        };
                        load.issues.push(ReadIssue {
                            source: f.display.clone(),
                            kind: "skipped_file",
                            message: format!("{msg} (the rest of the file is skipped)"),
                        });
                        return Ok(Some(assemble(vec![load], &self.opts.keep_fields)));
                    }
                    r => r?,
                };
                match batch {
                    Some(mut load) => {
                        if let Some(c) = self.opts.chronological {
                            load.chronological = c;
                        }
                        return Ok(Some(assemble(vec![load], &self.opts.keep_fields)));
                    }
                    None => self.current = None,
                }
            }
            let Some(f) = self.files.get(self.next_file).cloned() else {
                return Ok(None);
            };
            self.next_file += 1;
            if matches!(f.format, Format::Jsonl | Format::Csv | Format::Tsv) {
                match records::Batches::open(&f, &self.opts) {
                    Ok(b) => {
                        self.current = Some(b);
                        continue;
                    }
                    Err(e) => {
                        return Ok(Some(assemble(
                            vec![skip_file_on_error(&f, &self.opts, Err(e))?],
                            &self.opts.keep_fields,
                        )))
                    }
                }
            }
            let load = load_file(&f, &self.opts, self.split.as_ref());
            return Ok(Some(assemble(
                vec![skip_file_on_error(&f, &self.opts, load)?],
                &self.opts.keep_fields,
            )));
        }
    }
}

/// Report rows for what in the texts may make counts wrong ([`text_notes`]).
fn notes_of(texts: &[String], sources: &[String]) -> Vec<ReadIssue> {
    text_notes(texts)
        .into_iter()
        .map(|(doc, kind, message)| ReadIssue {
            source: sources[doc].clone(),
            kind,
            message,
        })
        .collect()
}

/// Dates documents (metadata, else text, else neighbours), makes ids unique,
/// and builds metadata columns (`keep` among them whatever their frequency).
fn assemble(loads: Vec<FileLoad>, keep: &[String]) -> Loaded {
    let mut out = Loaded::default();
    let mut meta = meta_table::MetaRows::default();
    let mut seen_ids: AHashMap<String, usize> = AHashMap::new();
    let n: usize = loads.iter().map(|l| l.docs.len()).sum();
    let (mut ids, mut texts, mut sources) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut dates, mut date_sources) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for load in loads {
        let given: Vec<Option<i32>> = load.docs.iter().map(|r| r.date).collect();
        let file_texts: Vec<&str> = load.docs.iter().map(|r| r.text.as_str()).collect();
        let datings = date_from_texts(&file_texts, &given, load.chronological);
        drop(file_texts);
        out.issues.extend(load.issues);
        if !load.docs.is_empty() {
            out.files.push(load.name.clone());
        }
        let file = out.files.len().saturating_sub(1) as u32;
        for (k, (raw, dating)) in load.docs.into_iter().zip(datings).enumerate() {
            let base = raw.id.unwrap_or_else(|| format!("{}#{}", load.name, k + 1));
            let seen = seen_ids.entry(base.clone()).or_insert(0);
            *seen += 1;
            let id = if *seen == 1 {
                base
            } else {
                let new = format!("{base}~{seen}");
                out.issues.push(ReadIssue {
                    source: raw.source.clone(),
                    kind: "renamed_id",
                    message: format!("id {base:?} already used; this document is {new:?}"),
                });
                new
            };
            meta.push(raw.meta);
            out.file_of.push(file);
            ids.push(id);
            texts.push(raw.text);
            dates.push(dating.date);
            date_sources.push(dating.source);
            sources.push(raw.source);
        }
    }
    out.issues.extend(notes_of(&texts, &sources));
    // The texts taken over (long ones moved, short ones packed); ids copied.
    out.corpus = Corpus::from_columns(
        StringColumn::from_strs(&ids),
        StringColumn::from_strings(texts),
        dates,
        date_sources,
        StringColumn::from_strs(&sources),
    )
    .expect("one entry per document in every column");
    let (table, folded) = meta.into_table(&sources, keep);
    out.meta = table;
    out.issues.extend(folded);
    out
}
