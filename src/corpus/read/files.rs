//! Which files to read and in which format; opening them (gzip, byte-order
//! marks and UTF-16/32, binary detection) and decoding UTF-8 with errors that name the byte.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

use crate::corpus::read::transcode::{Bom, FromEncoding, ToUtf8};
use crate::corpus::read::{input_err, Decode, ReadIssue};
use crate::error::{invalid, CoreError, Result};
use crate::memory;

/// Default of [`crate::corpus::read::ReadOptions::max_record_bytes`]: 512 MiB, far
/// above any real document, and what stops a decompression bomb or an endless line.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 512 << 20;

/// Why reading stopped early; travels inside an `io::Error` and becomes a
/// [`CoreError`] in [`io_err`].
#[derive(Debug)]
pub enum Stop {
    /// Ctrl-C (the caller asked to stop).
    Interrupted,
    /// More than `limit` bytes in one record.
    TooLong {
        /// The limit passed.
        limit: u64,
    },
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Interrupted => write!(f, "interrupted"),
            Stop::TooLong { limit } => write!(f, "{}", too_long(*limit)),
        }
    }
}

impl std::error::Error for Stop {}

/// The message for a record over the size limit.
pub fn too_long(limit: u64) -> String {
    format!(
        "one record is longer than max_record_bytes ({limit} bytes; a text or Telegram \
         file read whole is one record): the limit stops runaway input such as a \
         decompression bomb or a file without line breaks; raise it with \
         max_record_bytes= (CLI: --max-record-bytes) if the record is real"
    )
}

/// An I/O error while reading `source` as a core error: a stop becomes
/// [`CoreError::Interrupted`] or an input error naming the limit.
pub fn io_err(source: &str, e: &std::io::Error) -> CoreError {
    match e.get_ref().and_then(|x| x.downcast_ref::<Stop>()) {
        Some(Stop::Interrupted) => CoreError::Interrupted,
        Some(stop) => input_err(source, stop),
        None => input_err(source, e),
    }
}

/// A reader that checks for Ctrl-C on every read and, when `limit` is set, stops
/// after that many bytes: reading a file never outlasts a Ctrl-C or outgrows the limit.
struct Bounded<R> {
    inner: R,
    read: u64,
    limit: Option<u64>,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, dst: &mut [u8]) -> std::io::Result<usize> {
        if crate::cancel::requested() {
            return Err(std::io::Error::other(Stop::Interrupted));
        }
        let n = self.inner.read(dst)?;
        self.read += n as u64;
        match self.limit {
            Some(limit) if self.read > limit => Err(std::io::Error::other(Stop::TooLong { limit })),
            _ => Ok(n),
        }
    }
}

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// By extension, and for text files by content (channel dump or not).
    Auto,
    /// One document per file (or per `split` match).
    Text,
    /// A scraped Telegram channel page: posts split at "Forwarded from" headers.
    Channel,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// Telegram Desktop's `result.json` export.
    Telegram,
    /// A saved web page: the text it shows as its content, its title and date.
    Html,
}

crate::choices!(Format, "format", [
    "auto" => Format::Auto, "text" => Format::Text, "txt" => Format::Text, "md" => Format::Text,
    "channel" => Format::Channel, "jsonl" => Format::Jsonl, "ndjson" => Format::Jsonl,
    "csv" => Format::Csv, "tsv" => Format::Tsv, "telegram" => Format::Telegram,
    "html" => Format::Html, "htm" => Format::Html,
]);

/// A file to read.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// Path to open.
    pub path: PathBuf,
    /// Path as shown in sources and errors.
    pub display: String,
    /// Name relative to the directory or pattern it was found under (for ids).
    pub name: String,
    /// Format (never `Auto` for text: resolved when the file is read).
    pub format: Format,
    /// The encoding of its text when it has no byte-order mark (`None`: UTF-8).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Whether it is gzip-compressed.
    pub gzip: bool,
}

/// The format an extension implies (after a `.gz`), if it is one we read.
fn format_of(name: &str) -> Option<(Format, bool)> {
    let lower = name.to_lowercase();
    let (stem, gz) = match lower.strip_suffix(".gz") {
        Some(s) => (s.to_string(), true),
        None => (lower, false),
    };
    let f = if stem.ends_with(".txt") || stem.ends_with(".md") {
        Format::Text
    } else if stem.ends_with(".jsonl") || stem.ends_with(".ndjson") {
        Format::Jsonl
    } else if stem.ends_with(".csv") {
        Format::Csv
    } else if stem.ends_with(".tsv") {
        Format::Tsv
    } else if stem.ends_with(".json") {
        Format::Telegram
    } else if stem.ends_with(".html") || stem.ends_with(".htm") {
        Format::Html
    } else {
        return None;
    };
    Some((f, gz))
}

fn is_pattern(p: &str) -> bool {
    p.contains(['*', '?', '['])
}

/// A glob where `*` and `?` stay within one path component and `**` crosses them.
fn matcher(glob: &str) -> Result<GlobMatcher> {
    GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| invalid(format!("glob {glob:?}: {e}")))
}

/// Files under a directory (at most `depth` levels down), sorted, hidden ones
/// skipped; `(path, name relative to dir)`. Symbolic links are followed; a link
/// loop or a broken link is an error naming it.
fn walk(dir: &Path, depth: usize) -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .max_depth(depth)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
    {
        let entry = entry.map_err(|e| {
            let at = e
                .path()
                .map_or_else(|| dir.display().to_string(), |p| p.display().to_string());
            let what = if e.loop_ancestor().is_some() {
                "a symbolic link loop (a link to a folder that contains it)".to_string()
            } else {
                e.to_string()
            };
            CoreError::Input(format!("{at}: {what}"))
        })?;
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            out.push((entry.path().to_path_buf(), rel));
        }
    }
    Ok(out)
}

/// The files to read, and the files of the directories walked that are not read.
#[derive(Debug, Default)]
pub struct Listing {
    /// The files to read, in order.
    pub files: Vec<InputFile>,
    /// Files a directory holds whose extension names no format (with `format="auto"`
    /// and no `glob`), by path; hidden files (a name starting with '.') are not listed.
    pub not_read: Vec<String>,
}

/// Expands paths (files, directories, glob patterns) into the files to read, in order.
/// A directory contributes the files whose extension names a format (or that match
/// `glob`); a path that does not exist, or that yields no file, is an error. Files in
/// `exclude` (a metadata sidecar in the folder) are left out, compared as canonical paths.
pub fn list_files<P: AsRef<str>>(
    paths: &[P],
    glob: Option<&str>,
    format: Format,
    exclude: &[PathBuf],
) -> Result<Listing> {
    let filter = glob.map(matcher).transpose()?;
    let excluded: Vec<PathBuf> = exclude
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let kept = |full: &Path| {
        excluded.is_empty() || std::fs::canonicalize(full).map_or(true, |c| !excluded.contains(&c))
    };
    let mut listing = Listing::default();
    for p in paths {
        let p = p.as_ref();
        let path = Path::new(p);
        let mut not_read: Vec<String> = Vec::new();
        let found: Vec<(PathBuf, String)> = if path.is_dir() {
            let (read, other): (Vec<_>, Vec<_>) =
                walk(path, usize::MAX)?
                    .into_iter()
                    .partition(|(_, rel)| match &filter {
                        Some(m) => m.is_match(rel),
                        None => format != Format::Auto || format_of(rel).is_some(),
                    });
            if filter.is_none() {
                not_read = other
                    .into_iter()
                    .filter(|(full, rel)| {
                        !Path::new(rel)
                            .components()
                            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
                            && kept(full)
                    })
                    .map(|(full, _)| full.to_string_lossy().into_owned())
                    .collect();
            }
            read
        } else if path.exists() {
            // A named file, or a pipe or device named explicitly (`<(zcat a.gz)`, a FIFO).
            let name = path
                .file_name()
                .map_or_else(|| p.to_string(), |n| n.to_string_lossy().into());
            vec![(path.to_path_buf(), name)]
        } else if is_pattern(p) {
            // Walk the longest literal prefix directory and match the whole pattern.
            let lit: PathBuf = path
                .components()
                .take_while(|c| !is_pattern(&c.as_os_str().to_string_lossy()))
                .collect();
            let root = if lit.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                lit
            };
            let m = matcher(p)?;
            // Without "**" a pattern names files a fixed number of levels down.
            let depth = if p.contains("**") {
                usize::MAX
            } else {
                path.components().count() - root.components().count().min(path.components().count())
                    + usize::from(root == Path::new("."))
            };
            walk(&root, depth)?
                .into_iter()
                .filter(|(full, _)| {
                    m.is_match(full) || m.is_match(full.strip_prefix("./").unwrap_or(full))
                })
                .collect()
        } else {
            return Err(CoreError::Input(format!("{p}: no such file or directory")));
        };
        let found: Vec<(PathBuf, String)> =
            found.into_iter().filter(|(full, _)| kept(full)).collect();
        if found.is_empty() {
            return Err(CoreError::Input(format!(
                "{p}: no files to read (looked for .txt .md .html .htm .jsonl .ndjson .csv .tsv .json, optionally .gz{}){}",
                glob.map_or(String::new(), |g| format!(", matching {g:?}")),
                if not_read.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; it holds {} other file(s), such as {}: name them, or pass format= \
                         and glob= to read them as text",
                        not_read.len(),
                        not_read[0]
                    )
                }
            )));
        }
        listing.not_read.extend(not_read);
        for (full, name) in found {
            let (f, gz) =
                format_of(&name).unwrap_or((Format::Text, name.to_lowercase().ends_with(".gz")));
            listing.files.push(InputFile {
                display: full.to_string_lossy().into_owned(),
                path: full,
                name,
                format: if format == Format::Auto { f } else { format },
                encoding: None,
                gzip: gz,
            });
        }
    }
    Ok(listing)
}

/// Opens a file for streaming as UTF-8: gzip decompressed, a byte-order mark
/// dropped, UTF-16 and UTF-32 (announced by their BOM) converted
/// ([`crate::corpus::read::transcode`]). Refuses binary files (a NUL byte in the
/// first 8 KiB of the text).
/// `limit`: the most bytes to read (after decompression), for files read whole.
pub fn open(f: &InputFile, limit: Option<usize>) -> Result<Box<dyn BufRead + Send>> {
    open_after_bom(f, limit).map(|(r, _)| r)
}

/// [`open`], also returning the length of the byte-order mark dropped, so that byte
/// offsets in UTF-8 files name the file's bytes.
pub fn open_after_bom(
    f: &InputFile,
    limit: Option<usize>,
) -> Result<(Box<dyn BufRead + Send>, usize)> {
    let file = File::open(&f.path).map_err(|e| input_err(&f.display, e))?;
    let inner: Box<dyn Read + Send> = if f.gzip {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let inner = Bounded {
        inner,
        read: 0,
        limit: limit.map(|l| l as u64),
    };
    let mut r = BufReader::with_capacity(1 << 16, inner);
    let (enc, bom) = Bom::sniff(r.fill_buf().map_err(|e| io_err(&f.display, &e))?);
    r.consume(bom);
    let mut r: Box<dyn BufRead + Send> = match (enc, f.encoding) {
        (Bom::Utf8, Some(e)) if bom == 0 && e != encoding_rs::UTF_8 => {
            Box::new(BufReader::with_capacity(1 << 16, FromEncoding::new(r, e)))
        }
        (Bom::Utf8, _) => Box::new(r),
        _ => Box::new(BufReader::with_capacity(
            1 << 16,
            ToUtf8::new(r, enc, bom as u64),
        )),
    };
    let head = r.fill_buf().map_err(|e| io_err(&f.display, &e))?;
    if let Some(at) = memchr::memchr(0, &head[..head.len().min(8192)]) {
        let hint = if enc == Bom::Utf8 && (at < 4) {
            " (UTF-16 or UTF-32 without a byte-order mark? Save it with a BOM or as UTF-8)"
        } else {
            ""
        };
        return Err(input_err(
            &f.display,
            format!("looks like a binary file (NUL byte at offset {at}), not text{hint}"),
        ));
    }
    Ok((r, bom))
}

/// Reads a whole file as text (see [`open`] for encodings), at most `limit` bytes
/// (decompressed), in memory reserved fallibly; Ctrl-C stops it. An empty file is an error.
pub fn read_text(
    f: &InputFile,
    decode: Decode,
    limit: usize,
    issues: &mut Vec<ReadIssue>,
) -> Result<String> {
    read_text_with(f, decode, limit, issues, |_| None)
}

/// [`read_text`], where bytes that are not UTF-8 may first be decoded by `other` (a
/// web page's declared charset): `None` leaves them to `decode`.
pub fn read_text_with(
    f: &InputFile,
    decode: Decode,
    limit: usize,
    issues: &mut Vec<ReadIssue>,
    other: impl FnOnce(&[u8]) -> Option<String>,
) -> Result<String> {
    let mut r = open(f, Some(limit))?;
    let mut bytes = Vec::new();
    loop {
        const CHUNK: usize = 1 << 20;
        memory::reserve_within(
            &mut bytes,
            CHUNK,
            limit + CHUNK,
            &format!("reading {}", f.display),
        )?;
        let n = (&mut r)
            .take(CHUNK as u64)
            .read_to_end(&mut bytes)
            .map_err(|e| io_err(&f.display, &e))?;
        if n == 0 {
            break;
        }
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(input_err(&f.display, "the file is empty"));
    }
    if crate::text::utf8::as_str_or_valid_up_to(&bytes).is_err() {
        if let Some(text) = other(&bytes) {
            return Ok(text);
        }
    }
    match decode_utf8(&bytes, &f.display, 0, decode, issues)? {
        // SAFETY: borrowed means `decode_utf8` found all of `bytes` UTF-8.
        std::borrow::Cow::Borrowed(_) => Ok(unsafe { String::from_utf8_unchecked(bytes) }),
        std::borrow::Cow::Owned(s) => Ok(s),
    }
}

/// What bytes that are not UTF-8 may be instead, for the error: Russian in windows-1251
/// (most bytes above 0x7F being its letters, 0xC0-0xFF) or KOI8-R is the common case
/// (older archives, Excel's "CSV" in a Russian locale); else nothing.
fn legacy_hint(bytes: &[u8]) -> &'static str {
    let head = &bytes[..bytes.len().min(4096)];
    let high = head.iter().filter(|&&b| b >= 0x80).count();
    let letters = head.iter().filter(|&&b| b >= 0xC0).count();
    if high >= 4 && letters * 10 >= high * 8 {
        " (Russian text in windows-1251 or KOI8-R? pass encoding=\"windows-1251\" or \
         encoding=\"koi8-r\")"
    } else {
        " (a legacy encoding? pass encoding=, e.g. \"windows-1252\", \"iso-8859-1\")"
    }
}

/// Decodes UTF-8 (borrowed when valid); `offset` is where `bytes` start in the file.
pub fn decode_utf8<'a>(
    bytes: &'a [u8],
    source: &str,
    offset: usize,
    decode: Decode,
    issues: &mut Vec<ReadIssue>,
) -> Result<std::borrow::Cow<'a, str>> {
    match crate::text::utf8::as_str_or_valid_up_to(bytes) {
        Ok(s) => Ok(std::borrow::Cow::Borrowed(s)),
        Err(valid_up_to) => match decode {
            Decode::Strict => Err(input_err(
                source,
                format!(
                    "invalid UTF-8 at byte {} of the file{}; pass encoding_errors=\"replace\" to replace bad bytes",
                    offset + valid_up_to,
                    legacy_hint(&bytes[valid_up_to..])
                ),
            )),
            Decode::Replace => {
                let s = String::from_utf8_lossy(bytes).into_owned();
                let n = s.matches('\u{FFFD}').count() - count_fffd(bytes);
                issues.push(ReadIssue {
                    source: source.to_string(),
                    kind: "replaced_utf8",
                    message: format!(
                        "{n} invalid UTF-8 sequence(s) replaced with U+FFFD (first at byte {})",
                        offset + valid_up_to
                    ),
                });
                Ok(std::borrow::Cow::Owned(s))
            }
        },
    }
}

/// U+FFFD characters already present (validly encoded) in `bytes`.
fn count_fffd(bytes: &[u8]) -> usize {
    memchr::memmem::find_iter(bytes, "\u{FFFD}".as_bytes()).count()
}
