//! Record formats: JSONL (one object per line) and CSV/TSV (a header row).
//! Streamed in batches of lines, parsed in parallel, in order. Errors name the
//! file and line; with `errors = Skip` a bad record is skipped and reported.

use std::io::BufRead;

use rayon::prelude::*;
use serde_json::Value;

use crate::corpus::date_values::DateValue;
use crate::corpus::read::csv_watch::{CsvWatch, QuoteError};
use crate::corpus::read::files::{decode_utf8, io_err, open, open_after_bom, too_long, InputFile};
use crate::corpus::read::{
    input_err, meta_date, FileLoad, Format, MetaValue, OnError, Raw, ReadIssue, ReadOptions,
};
use crate::error::{CoreError, Result};
use crate::memory;

/// Which field is the date: the one named, or "date" when present.
fn date_field(opts: &ReadOptions, has: impl Fn(&str) -> bool) -> Option<&str> {
    match opts.date_field.as_deref() {
        Some(f) => Some(f),
        None => has("date").then_some("date"),
    }
}

fn json_meta(v: &Value) -> MetaValue {
    match v {
        Value::Null => MetaValue::Null,
        Value::Bool(b) => MetaValue::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => MetaValue::Int(i),
            // An integer beyond 64 bits (an id): its digits, exactly.
            None if !n.to_string().contains(['.', 'e', 'E']) => MetaValue::Str(n.to_string()),
            None => MetaValue::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => MetaValue::Str(s.clone()),
        other => MetaValue::Str(other.to_string()),
    }
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// One JSONL line into a document.
/// `default_id` is used when `opts.id_field` is not set.
fn json_record(
    line: &str,
    source: &str,
    default_id: String,
    opts: &ReadOptions,
    issues: &mut Vec<ReadIssue>,
) -> Result<Raw> {
    let v: Value = serde_json::from_str(line).map_err(|e| {
        // Python's json.dumps writes float('nan') (a pandas NaN or NaT) as NaN, which is not JSON.
        let at = line.get(e.column().saturating_sub(1)..).unwrap_or("");
        let hint = if ["NaN", "Infinity", "-Infinity"].iter().any(|w| at.starts_with(w)) {
            "; NaN and Infinity are not JSON (Python's json.dumps writes them for float('nan')): write null for a missing value"
        } else {
            ""
        };
        input_err(
            source,
            format!("malformed JSON (column {}): {e}{hint}", e.column()),
        )
    })?;
    let Value::Object(obj) = v else {
        return Err(input_err(source, "expected a JSON object {...}"));
    };
    let fields = || obj.keys().cloned().collect::<Vec<_>>().join(", ");
    let text = match obj.get(&opts.text_field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) => {
            return Err(input_err(
                source,
                format!("text field {:?} is null", opts.text_field),
            ))
        }
        Some(other) => {
            return Err(input_err(
                source,
                format!("text field {:?} is not a string: {other}", opts.text_field),
            ))
        }
        None => {
            return Err(input_err(
                source,
                format!("no text field {:?}; fields: {}", opts.text_field, fields()),
            ))
        }
    };
    let dfield = date_field(opts, |k| obj.contains_key(k));
    let date = match dfield.and_then(|f| obj.get(f).map(|v| (f, v))) {
        None => None,
        Some((f, v)) => {
            let value = match v {
                Value::Null => DateValue::Missing,
                Value::Number(n) => match n.as_i64() {
                    Some(i) => DateValue::Int(i),
                    None => DateValue::Float(n.as_f64().unwrap_or(f64::NAN)),
                },
                Value::String(s) => DateValue::Text(s),
                other => {
                    return Err(input_err(source, format!("{f} {other} is not a date")));
                }
            };
            meta_date(source, f, value, &opts.dates, issues)?
        }
    };
    let id = match opts.id_field.as_deref() {
        Some(f) => Some(obj.get(f).and_then(scalar_string).ok_or_else(|| {
            input_err(
                source,
                format!("no usable id field {f:?}; fields: {}", fields()),
            )
        })?),
        None => Some(default_id),
    };
    let meta = obj
        .iter()
        .filter(|(k, _)| {
            *k != &opts.text_field
                && Some(k.as_str()) != dfield
                && Some(k.as_str()) != opts.id_field.as_deref()
        })
        .map(|(k, v)| (k.clone(), json_meta(v)))
        .collect();
    Ok(Raw {
        id,
        text,
        date,
        source: source.to_string(),
        meta,
        has_date_field: dfield.is_some_and(|f| obj.contains_key(f)),
    })
}

/// Loads a JSONL, CSV or TSV file.
pub fn load(f: &InputFile, opts: &ReadOptions) -> Result<FileLoad> {
    match f.format {
        Format::Jsonl => load_jsonl(f, opts),
        _ => load_csv(f, opts),
    }
}

/// Fills `buf` from `r` until it is full or the input ends; returns the bytes read.
fn read_full(r: &mut dyn BufRead, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A JSONL file read one block of whole lines at a time (the unit of streaming).
pub struct JsonlBatches {
    reader: Box<dyn BufRead + Send>,
    file: InputFile,
    carry: Vec<u8>,
    lines_before: usize,
    offset: usize,
    any: bool,
    date_field_seen: bool,
    first_fields: Option<Vec<String>>,
    done: bool,
}

impl JsonlBatches {
    /// Opens `f`.
    pub fn open(f: &InputFile) -> Result<Self> {
        let (reader, bom) = open_after_bom(f, None)?;
        Ok(JsonlBatches {
            reader,
            file: f.clone(),
            carry: Vec::new(),
            lines_before: 0,
            offset: bom,
            any: false,
            date_field_seen: false,
            first_fields: None,
            done: false,
        })
    }

    /// The documents of the next block (about 16 MB), or None at the end of the file.
    /// Checks that need the whole file (empty file, a named date field never seen)
    /// are made when the end is reached.
    pub fn next_batch(&mut self, opts: &ReadOptions) -> Result<Option<FileLoad>> {
        let f = self.file.clone();
        while !self.done {
            crate::cancel::check()?;
            let mut buf = std::mem::take(&mut self.carry);
            let have = buf.len();
            let want = opts.batch_bytes.max(1 << 10);
            memory::reserve_within(
                &mut buf,
                want,
                opts.max_record_bytes.saturating_add(want),
                &format!("reading {}", f.display),
            )?;
            buf.resize(have + want, 0);
            let n = read_full(&mut *self.reader, &mut buf[have..])
                .map_err(|e| io_err(&f.display, &e))?;
            buf.truncate(have + n);
            let eof = n < want;
            if buf.is_empty() {
                self.done = true;
                break;
            }
            if buf.len() > opts.max_record_bytes && memchr::memchr(b'\n', &buf).is_none() {
                return Err(input_err(
                    &format!("{}:{}", f.display, self.lines_before + 1),
                    format!(
                        "{} (the line starts at byte {} of the file)",
                        too_long(opts.max_record_bytes as u64),
                        self.offset
                    ),
                ));
            }
            let cut = if eof {
                buf.len()
            } else {
                match memchr::memrchr(b'\n', &buf) {
                    Some(p) => p + 1,
                    None => {
                        self.carry = buf; // one line longer than a batch: read on
                        continue;
                    }
                }
            };
            self.carry = buf[cut..].to_vec();
            buf.truncate(cut);
            if eof && self.carry.is_empty() {
                self.done = true;
            }
            let load = self.parse_block(&buf, opts)?;
            if !load.docs.is_empty() || !load.issues.is_empty() {
                return Ok(Some(load));
            }
        }
        if !self.any {
            self.any = true; // report once
            return Err(input_err(&f.display, "the file is empty"));
        }
        if let Some(d) = opts.date_field.as_deref() {
            if !self.date_field_seen && self.first_fields.is_some() {
                let fields = self.first_fields.take().unwrap_or_default();
                return Err(input_err(
                    &f.display,
                    format!(
                        "no record has the date field {d:?}; other fields: {}",
                        fields.join(", ")
                    ),
                ));
            }
        }
        Ok(None)
    }

    fn parse_block(&mut self, buf: &[u8], opts: &ReadOptions) -> Result<FileLoad> {
        crate::cancel::check()?;
        let f = &self.file;
        let mut load = FileLoad {
            name: f.name.clone(),
            ..Default::default()
        };
        let mut s = 0;
        // (start, end, line within the block); blank lines take no room (a file of a
        // billion line breaks is read in constant memory).
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        let mut lines = 0;
        for nl in memchr::memchr_iter(b'\n', buf) {
            if !buf[s..nl].iter().all(u8::is_ascii_whitespace) {
                spans.push((s, nl + 1, lines));
            }
            lines += 1;
            s = nl + 1;
        }
        if s < buf.len() {
            if !buf[s..].iter().all(u8::is_ascii_whitespace) {
                spans.push((s, buf.len(), lines));
            }
            lines += 1;
        }
        let base_offset = self.offset;
        let base_line = self.lines_before;
        self.offset += buf.len();
        self.lines_before += lines;
        type Parsed = Option<(String, Result<Raw>, Vec<ReadIssue>)>;
        let parsed: Vec<Parsed> = spans
            .into_par_iter()
            .map(|(a, b, k)| {
                let ln = base_line + k + 1;
                let bytes = &buf[a..b];
                let at = base_offset + a;
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    return None;
                }
                let source = format!("{}:{ln}", f.display);
                let mut issues = Vec::new();
                let r = decode_utf8(bytes, &source, at, opts.decode, &mut issues).and_then(|s| {
                    let id = format!("{}#{ln}", f.name);
                    json_record(s.trim_end(), &source, id, opts, &mut issues)
                });
                Some((source, r, issues))
            })
            .collect();
        for (source, r, issues) in parsed.into_iter().flatten() {
            self.any = true;
            load.issues.extend(issues);
            push_or_skip(&mut load, source, r, opts)?;
        }
        if self.first_fields.is_none() {
            if let Some(first) = load.docs.first() {
                self.first_fields = Some(first.meta.iter().map(|(k, _)| k.clone()).collect());
            }
        }
        self.date_field_seen |= load.docs.iter().any(|r| r.has_date_field);
        Ok(load)
    }
}

fn load_jsonl(f: &InputFile, opts: &ReadOptions) -> Result<FileLoad> {
    let mut batches = JsonlBatches::open(f)?;
    let mut load = FileLoad {
        name: f.name.clone(),
        ..Default::default()
    };
    while let Some(b) = batches.next_batch(opts)? {
        load.docs.extend(b.docs);
        load.issues.extend(b.issues);
    }
    Ok(load)
}

fn push_or_skip(
    load: &mut FileLoad,
    source: String,
    r: Result<Raw>,
    opts: &ReadOptions,
) -> Result<()> {
    crate::progress::advance(1);
    match r {
        Ok(raw) => load.docs.push(raw),
        Err(CoreError::Input(msg)) if opts.errors == OnError::Skip => load.issues.push(ReadIssue {
            source,
            kind: "skipped_record",
            message: msg,
        }),
        Err(e) => return Err(e),
    }
    Ok(())
}

fn load_csv(f: &InputFile, opts: &ReadOptions) -> Result<FileLoad> {
    let mut batches = CsvBatches::open(f, opts)?;
    let mut load = FileLoad {
        name: f.name.clone(),
        ..Default::default()
    };
    while let Some(b) = batches.next_batch(opts)? {
        load.docs.extend(b.docs);
        load.issues.extend(b.issues);
    }
    Ok(load)
}

/// A CSV or TSV file read a batch of records at a time (about `batch_bytes` of
/// text per batch), so [`crate::corpus::read::Scan`] holds one batch, not the file.
pub struct CsvBatches {
    rdr: csv::Reader<CsvWatch<Box<dyn BufRead + Send>>>,
    lines: crate::corpus::read::csv_watch::Lines,
    file: InputFile,
    headers: Vec<String>,
    text_col: usize,
    date_col: Option<usize>,
    date_name: String,
    id_col: Option<usize>,
    rec: csv::ByteRecord,
    done: bool,
}

impl CsvBatches {
    /// Opens `f` and checks its header (the text, date and id columns named in `opts`).
    pub fn open(f: &InputFile, opts: &ReadOptions) -> Result<Self> {
        let delimiter = if f.format == Format::Tsv { b'\t' } else { b',' };
        let (watch, lines) = CsvWatch::new(open(f, None)?, delimiter, opts.max_record_bytes as u64);
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(false)
            .from_reader(watch);
        let headers: Vec<String> = {
            let h = rdr.byte_headers().map_err(|e| csv_err(&f.display, &e, 1))?;
            lines.next_record();
            if h.is_empty() {
                return Err(input_err(&f.display, "the file is empty"));
            }
            h.iter()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .collect()
        };
        for (j, h) in headers.iter().enumerate() {
            if let Some(i) = headers[..j].iter().position(|x| x == h) {
                return Err(input_err(
                    &format!("{}:1", f.display),
                    format!(
                        "columns {} and {} are both named {h:?}; one would be dropped: rename one",
                        i + 1,
                        j + 1
                    ),
                ));
            }
        }
        let col = |name: &str| headers.iter().position(|h| h == name);
        let columns = || headers.join(", ");
        let text_col = col(&opts.text_field).ok_or_else(|| {
            input_err(
                &f.display,
                format!(
                    "no text column {:?}; columns: {}",
                    opts.text_field,
                    columns()
                ),
            )
        })?;
        let dname = date_field(opts, |k| col(k).is_some());
        let required = |role: &str, name: Option<&str>| -> Result<Option<usize>> {
            name.map(|n| {
                col(n).ok_or_else(|| {
                    input_err(
                        &f.display,
                        format!("no {role} column {n:?}; columns: {}", columns()),
                    )
                })
            })
            .transpose()
        };
        let date_col = required("date", dname)?;
        let id_col = required("id", opts.id_field.as_deref())?;
        let date_name = dname.unwrap_or("date").to_string();
        Ok(CsvBatches {
            rdr,
            lines,
            file: f.clone(),
            headers,
            text_col,
            date_col,
            date_name,
            id_col,
            rec: csv::ByteRecord::new(),
            done: false,
        })
    }

    /// The records of the next batch, or None at the end of the file.
    pub fn next_batch(&mut self, opts: &ReadOptions) -> Result<Option<FileLoad>> {
        if self.done {
            return Ok(None);
        }
        let f = self.file.clone();
        let mut load = FileLoad {
            name: f.name.clone(),
            ..Default::default()
        };
        let mut text_bytes = 0usize;
        while text_bytes < opts.batch_bytes.max(1 << 10) {
            let more = match self.rdr.read_byte_record(&mut self.rec) {
                Ok(m) => m,
                Err(e) => {
                    let line = self.lines.next_record();
                    let source = format!("{}:{line}", f.display);
                    let err = csv_err(&f.display, &e, line);
                    // Unequal field counts can be skipped; broken I/O or quoting cannot.
                    if opts.errors == OnError::Skip
                        && matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. })
                    {
                        load.issues.push(ReadIssue {
                            source,
                            kind: "skipped_record",
                            message: err.to_string(),
                        });
                        continue;
                    }
                    return Err(err);
                }
            };
            if !more {
                self.done = true;
                break;
            }
            text_bytes += self.rec.as_slice().len();
            let line = self.lines.next_record();
            let source = format!("{}:{line}", f.display);
            let r = self.record(line, &source, opts, &mut load.issues);
            push_or_skip(&mut load, source, r, opts)?;
        }
        crate::cancel::check()?;
        Ok(Some(load))
    }

    /// The document of the current record, which starts on `line`.
    fn record(
        &self,
        line: u64,
        source: &str,
        opts: &ReadOptions,
        out: &mut Vec<ReadIssue>,
    ) -> Result<Raw> {
        let rec = &self.rec;
        let f = &self.file;
        let start = rec
            .position()
            .expect("records read from a reader have positions")
            .byte() as usize;
        let mut issues = Vec::new();
        let field = |i: usize, issues: &mut Vec<ReadIssue>| {
            decode_utf8(&rec[i], source, start, opts.decode, issues).map(|s| s.into_owned())
        };
        let text = field(self.text_col, &mut issues)?;
        let date = match self.date_col {
            Some(c) => {
                let v = field(c, &mut issues)?;
                meta_date(
                    source,
                    &self.date_name,
                    DateValue::Text(&v),
                    &opts.dates,
                    &mut issues,
                )?
            }
            None => None,
        };
        let id = match self.id_col {
            Some(c) => field(c, &mut issues)?,
            None => format!("{}#{line}", f.name),
        };
        let mut meta = Vec::new();
        for (i, h) in self.headers.iter().enumerate() {
            if i != self.text_col && Some(i) != self.date_col && Some(i) != self.id_col {
                let v = field(i, &mut issues)?;
                meta.push((
                    h.clone(),
                    if v.is_empty() {
                        MetaValue::Null
                    } else {
                        MetaValue::Str(v)
                    },
                ));
            }
        }
        out.extend(issues);
        Ok(Raw {
            id: Some(id),
            text,
            date,
            source: source.to_string(),
            meta,
            has_date_field: self.date_col.is_some(),
        })
    }
}

/// A JSONL, CSV or TSV file read batch by batch.
pub enum Batches {
    /// JSON lines.
    Jsonl(JsonlBatches),
    /// Comma- or tab-separated records.
    Csv(Box<CsvBatches>),
}

impl Batches {
    /// Opens `f` for reading in batches (JSONL, CSV or TSV).
    pub fn open(f: &InputFile, opts: &ReadOptions) -> Result<Self> {
        match f.format {
            Format::Jsonl => JsonlBatches::open(f).map(Batches::Jsonl),
            _ => CsvBatches::open(f, opts).map(|b| Batches::Csv(Box::new(b))),
        }
    }

    /// The next batch, or None at the end of the file.
    pub fn next_batch(&mut self, opts: &ReadOptions) -> Result<Option<FileLoad>> {
        match self {
            Batches::Jsonl(b) => b.next_batch(opts),
            Batches::Csv(b) => b.next_batch(opts),
        }
    }
}

fn csv_err(display: &str, e: &csv::Error, line: u64) -> CoreError {
    if let Some(q) = QuoteError::of(e) {
        return input_err(&format!("{display}:{}", q.line), &q.message);
    }
    if let csv::ErrorKind::Io(io) = e.kind() {
        return io_err(display, io);
    }
    match e.position() {
        Some(_) => input_err(&format!("{display}:{line}"), e),
        None => input_err(display, e),
    }
}
