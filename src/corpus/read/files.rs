//! Which files to read and in which format; opening them (gzip, byte-order
//! marks, binary detection) and decoding UTF-8 with errors that name the byte.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};

use crate::corpus::read::{input_err, Decode, ReadIssue};
use crate::error::{invalid, CoreError, Result};

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
}

impl Format {
    /// Parses a format name.
    pub fn parse(s: &str) -> Result<Format> {
        Ok(match s {
            "auto" => Format::Auto,
            "text" | "txt" | "md" => Format::Text,
            "channel" => Format::Channel,
            "jsonl" | "ndjson" => Format::Jsonl,
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            "telegram" => Format::Telegram,
            o => {
                return Err(invalid(format!(
                    "unknown format {o:?}; use auto, text, channel, jsonl, csv, tsv or telegram"
                )))
            }
        })
    }
}

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
    } else {
        return None;
    };
    Some((f, gz))
}

fn is_pattern(p: &str) -> bool {
    p.contains(['*', '?', '['])
}

fn matcher(glob: &str) -> Result<GlobMatcher> {
    Glob::new(glob)
        .map(|g| g.compile_matcher())
        .map_err(|e| invalid(format!("glob {glob:?}: {e}")))
}

/// Files under a directory, sorted, hidden ones skipped; `(path, name relative to dir)`.
fn walk(dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
    {
        let entry = entry.map_err(|e| CoreError::Input(format!("{}: {e}", dir.display())))?;
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

/// Expands paths (files, directories, glob patterns) into the files to read, in order.
/// A directory contributes the files whose extension names a format (or that match
/// `glob`); a path that does not exist, or that yields no file, is an error.
pub fn list_files<P: AsRef<str>>(
    paths: &[P],
    glob: Option<&str>,
    format: Format,
) -> Result<Vec<InputFile>> {
    let filter = glob.map(matcher).transpose()?;
    let mut out = Vec::new();
    for p in paths {
        let p = p.as_ref();
        let path = Path::new(p);
        let found: Vec<(PathBuf, String)> = if path.is_dir() {
            walk(path)?
                .into_iter()
                .filter(|(_, rel)| match &filter {
                    Some(m) => m.is_match(rel),
                    None => format != Format::Auto || format_of(rel).is_some(),
                })
                .collect()
        } else if path.is_file() {
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
            walk(&root)?
                .into_iter()
                .filter(|(full, _)| {
                    m.is_match(full) || m.is_match(full.strip_prefix("./").unwrap_or(full))
                })
                .collect()
        } else {
            return Err(CoreError::Input(format!("{p}: no such file or directory")));
        };
        if found.is_empty() {
            return Err(CoreError::Input(format!(
                "{p}: no files to read (looked for .txt .md .jsonl .ndjson .csv .tsv .json, optionally .gz{})",
                glob.map_or(String::new(), |g| format!(", matching {g:?}"))
            )));
        }
        for (full, name) in found {
            let (f, gz) =
                format_of(&name).unwrap_or((Format::Text, name.to_lowercase().ends_with(".gz")));
            out.push(InputFile {
                display: full.to_string_lossy().into_owned(),
                path: full,
                name,
                format: if format == Format::Auto { f } else { format },
                gzip: gz,
            });
        }
    }
    Ok(out)
}

/// Opens a file for streaming (decompressing gzip). Refuses binary files
/// (a NUL byte in the first 8 KiB, unless the file is UTF-16 with a byte-order mark).
pub fn open(f: &InputFile) -> Result<Box<dyn BufRead + Send>> {
    let file = File::open(&f.path).map_err(|e| input_err(&f.display, e))?;
    let inner: Box<dyn Read + Send> = if f.gzip {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut r = BufReader::with_capacity(1 << 16, inner);
    let head = r.fill_buf().map_err(|e| input_err(&f.display, e))?;
    if !head.starts_with(&[0xFF, 0xFE]) && !head.starts_with(&[0xFE, 0xFF]) {
        if let Some(at) = memchr::memchr(0, &head[..head.len().min(8192)]) {
            return Err(input_err(
                &f.display,
                format!("looks like a binary file (NUL byte at offset {at}), not text"),
            ));
        }
    }
    Ok(Box::new(r))
}

/// Reads a whole file as text: UTF-8 (a BOM dropped) or UTF-16 with a BOM.
/// An empty file is an error.
pub fn read_text(f: &InputFile, decode: Decode, issues: &mut Vec<ReadIssue>) -> Result<String> {
    let mut bytes = Vec::new();
    open(f)?
        .read_to_end(&mut bytes)
        .map_err(|e| input_err(&f.display, e))?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(input_err(&f.display, "the file is empty"));
    }
    if let Some(text) = utf16(&bytes) {
        return text.ok_or_else(|| input_err(&f.display, "invalid UTF-16"));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    decode_utf8(body, &f.display, 0, decode, issues).map(|s| s.into_owned())
}

fn utf16(bytes: &[u8]) -> Option<Option<String>> {
    let le = bytes.starts_with(&[0xFF, 0xFE]);
    if !le && !bytes.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    let units = bytes[2..].chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .collect::<std::result::Result<String, _>>()
            .ok(),
    )
}

/// Decodes UTF-8 (borrowed when valid); `offset` is where `bytes` start in the file.
pub fn decode_utf8<'a>(
    bytes: &'a [u8],
    source: &str,
    offset: usize,
    decode: Decode,
    issues: &mut Vec<ReadIssue>,
) -> Result<std::borrow::Cow<'a, str>> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(std::borrow::Cow::Borrowed(s)),
        Err(e) => match decode {
            Decode::Strict => Err(input_err(
                source,
                format!(
                    "invalid UTF-8 at byte {} of the file; pass encoding_errors=\"replace\" to replace bad bytes",
                    offset + e.valid_up_to()
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
                        offset + e.valid_up_to()
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
