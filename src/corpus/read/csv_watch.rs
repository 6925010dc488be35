//! Watches the raw bytes of a CSV/TSV file as the `csv` crate reads them, for
//! what that crate accepts silently:
//! - an **unterminated quote**: a quoted field still open at the end of the file
//!   (the crate ends the field there, swallowing every later row into one text);
//! - a **stray quote**: a field opened with a quote that runs over line breaks and
//!   is followed by text after its closing quote — rows merged into one field
//!   (`1,"abc,2023\n2,def,2024\n3,"ghi,2025`);
//! - a **record longer than the limit** (an unclosed quote in a huge file, a
//!   decompression bomb), stopped as soon as it passes the limit;
//! - **line numbers** of records counted from the bytes themselves, so CRLF, blank
//!   lines and multi-line fields give the line a record starts on in an editor.
//!
//! Errors surface as `io::Error`s from `read`, which the caller turns into an
//! `InputError` naming the file. Cost: one byte-state step per input byte; memory
//! holds the start lines of records read ahead of the parser (a buffer's worth).

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::sync::{Arc, Mutex};

/// A quoting or size error found in the bytes, and the line it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteError {
    /// The line to name in the error.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for QuoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for QuoteError {}

impl QuoteError {
    /// The quoting error inside a `csv` error, if that is what it is.
    pub fn of(e: &csv::Error) -> Option<&QuoteError> {
        match e.kind() {
            csv::ErrorKind::Io(io) => io.get_ref()?.downcast_ref::<QuoteError>(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote seen inside a quoted field: closing, or the first of a doubled pair.
    QuoteSeen,
}

#[derive(Debug, Default)]
struct Shared {
    /// Lines on which records seen by the watcher (not yet by the parser) start.
    starts: VecDeque<u64>,
}

/// The consumer's side: the line each record starts on, in record order.
#[derive(Debug, Clone)]
pub struct Lines(Arc<Mutex<Shared>>);

impl Lines {
    /// The 1-based line the next record (the header first) starts on. Call once
    /// per record the parser yields, including records it rejects.
    pub fn next_record(&self) -> u64 {
        let mut s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        s.starts.pop_front().unwrap_or(0)
    }
}

/// A reader that passes bytes through while checking their quoting.
pub struct CsvWatch<R> {
    inner: R,
    delimiter: u8,
    state: State,
    line: u64,
    quoted_from: u64,
    quoted_lines: bool,
    /// Whether the next byte that is not a line break starts a record.
    record_start: bool,
    /// Bytes of the current record so far, its first line, and the most allowed.
    record_bytes: u64,
    record_line: u64,
    max_record: u64,
    shared: Arc<Mutex<Shared>>,
}

impl<R: BufRead> CsvWatch<R> {
    /// Wraps `inner`; returns the reader and the handle for line numbers.
    /// A record longer than `max_record` bytes is an error naming its first line.
    pub fn new(inner: R, delimiter: u8, max_record: u64) -> (Self, Lines) {
        let shared = Arc::new(Mutex::new(Shared::default()));
        (
            CsvWatch {
                inner,
                delimiter,
                state: State::FieldStart,
                line: 1,
                quoted_from: 0,
                quoted_lines: false,
                record_start: true,
                record_bytes: 0,
                record_line: 1,
                max_record,
                shared: shared.clone(),
            },
            Lines(shared),
        )
    }

    fn error(line: u64, message: String) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, QuoteError { line, message })
    }

    fn step(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut starts = Vec::new();
        let d = self.delimiter;
        for &b in bytes {
            let newline = b == b'\n' || b == b'\r';
            if self.record_start && !newline {
                starts.push(self.line);
                self.record_start = false;
                self.record_bytes = 0;
                self.record_line = self.line;
            }
            self.record_bytes += 1;
            if self.record_bytes > self.max_record {
                return Err(Self::error(
                    self.record_line,
                    crate::corpus::read::files::too_long(self.max_record),
                ));
            }
            if b == b'\n' {
                self.line += 1;
            }
            self.state = match (self.state, b) {
                (State::FieldStart, b'"') => {
                    self.quoted_from = self.line;
                    self.quoted_lines = false;
                    State::Quoted
                }
                (State::FieldStart | State::Unquoted, x) if x == d || newline => {
                    self.record_start |= newline;
                    State::FieldStart
                }
                (State::FieldStart | State::Unquoted, _) => State::Unquoted,
                (State::Quoted, b'"') => State::QuoteSeen,
                (State::Quoted, b'\n') => {
                    self.quoted_lines = true;
                    State::Quoted
                }
                (State::Quoted, _) => State::Quoted,
                (State::QuoteSeen, b'"') => State::Quoted,
                (State::QuoteSeen, x) if x == d || newline => {
                    self.record_start |= newline;
                    State::FieldStart
                }
                (State::QuoteSeen, x) if self.quoted_lines => {
                    return Err(Self::error(
                        self.line,
                        format!(
                            "a stray quote: the field opened with a quote on line {} runs over \
                             line breaks and has text ({:?}) after its closing quote, so rows \
                             would be merged into one field; a quote inside a field must be \
                             doubled (\"\") and the field quoted",
                            self.quoted_from,
                            char::from(x)
                        ),
                    ))
                }
                (State::QuoteSeen, _) => State::Unquoted,
            };
        }
        if !starts.is_empty() {
            self.shared
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .starts
                .extend(starts);
        }
        Ok(())
    }
}

impl<R: BufRead> Read for CsvWatch<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        let n = {
            let src = self.inner.fill_buf()?;
            let n = src.len().min(dst.len());
            dst[..n].copy_from_slice(&src[..n]);
            n
        };
        self.inner.consume(n);
        if n == 0 && self.state == State::Quoted {
            return Err(Self::error(
                self.quoted_from,
                format!(
                    "an unterminated quote: the field opened with a quote on line {} is never \
                     closed, so it would swallow the rest of the file",
                    self.quoted_from
                ),
            ));
        }
        self.step(&dst[..n])?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> io::Result<(Vec<Vec<String>>, Vec<u64>)> {
        let (watch, lines) = CsvWatch::new(text.as_bytes(), b',', 1 << 20);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(watch);
        let (mut rows, mut at) = (Vec::new(), Vec::new());
        for r in rdr.records() {
            let r = r.map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
            at.push(lines.next_record());
            rows.push(r.iter().map(String::from).collect());
        }
        Ok((rows, at))
    }

    #[test]
    fn line_numbers_survive_crlf_and_multiline_fields() {
        let (rows, at) =
            read_all("id,text\r\n1,\"first\r\nsecond\"\r\n2,ok\r\n\r\n3,\"a \"\"quote\"\"\"\r\n")
                .unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(at, [1, 2, 4, 6]);
        assert_eq!(rows[3][1], "a \"quote\"");
    }

    #[test]
    fn unterminated_and_stray_quotes_are_errors() {
        let e = read_all("id,text\n1,ok\n2,\"never closed\n3,more\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unterminated quote") && e.contains("line 3"),
            "{e}"
        );
        let e = read_all("id,text,date\n1,\"hi,2023\n2,ok,2024\n3,\"end,2025\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("stray quote") && e.contains("line 2"), "{e}");
        // A quote inside an unquoted field is literal, as the csv crate reads it.
        let (rows, _) = read_all("id,text\n1,a 5\" screen\n").unwrap();
        assert_eq!(rows[1][1], "a 5\" screen");
    }
}
