//! Byte-order marks and UTF-16/UTF-32 input: every file is read as UTF-8, so each
//! format (text, JSONL, CSV, Telegram) takes UTF-16 and UTF-32 files with a BOM.
//! The BOM decides: UTF-8 (`EF BB BF`, dropped), UTF-32 LE/BE (`FF FE 00 00`,
//! `00 00 FE FF`, tested before UTF-16), UTF-16 LE/BE (`FF FE`, `FE FF`); no BOM is
//! UTF-8. A lone surrogate, a code point beyond U+10FFFF or a trailing odd byte is
//! an error naming its byte offset, never dropped. Cost: one pass converting
//! 64 KiB blocks; UTF-8 input is not touched.

use std::io::{self, Read};

/// The encoding a file's byte-order mark announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bom {
    /// No BOM, or the UTF-8 one.
    Utf8,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// UTF-32, little-endian.
    Utf32Le,
    /// UTF-32, big-endian.
    Utf32Be,
}

impl Bom {
    /// The encoding of a file starting with `head`, and the BOM's length in bytes.
    pub fn sniff(head: &[u8]) -> (Bom, usize) {
        if head.starts_with(&[0xFF, 0xFE, 0, 0]) {
            (Bom::Utf32Le, 4)
        } else if head.starts_with(&[0, 0, 0xFE, 0xFF]) {
            (Bom::Utf32Be, 4)
        } else if head.starts_with(&[0xFF, 0xFE]) {
            (Bom::Utf16Le, 2)
        } else if head.starts_with(&[0xFE, 0xFF]) {
            (Bom::Utf16Be, 2)
        } else if head.starts_with(b"\xEF\xBB\xBF") {
            (Bom::Utf8, 3)
        } else {
            (Bom::Utf8, 0)
        }
    }

    fn unit(self) -> usize {
        match self {
            Bom::Utf8 => 1,
            Bom::Utf16Le | Bom::Utf16Be => 2,
            Bom::Utf32Le | Bom::Utf32Be => 4,
        }
    }

    /// Name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Bom::Utf8 => "UTF-8",
            Bom::Utf16Le => "UTF-16LE",
            Bom::Utf16Be => "UTF-16BE",
            Bom::Utf32Le => "UTF-32LE",
            Bom::Utf32Be => "UTF-32BE",
        }
    }
}

/// A reader of UTF-16 or UTF-32 bytes (after the BOM) that yields UTF-8.
pub struct ToUtf8<R> {
    inner: R,
    enc: Bom,
    /// Bytes read but not yet decoded (an incomplete unit or surrogate pair).
    pending: Vec<u8>,
    /// Offset in the file of `pending[0]`.
    offset: u64,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
}

impl<R: Read> ToUtf8<R> {
    /// Decodes `inner`, whose first byte is at file offset `offset` (the BOM's length).
    pub fn new(inner: R, enc: Bom, offset: u64) -> Self {
        ToUtf8 {
            inner,
            enc,
            pending: Vec::new(),
            offset,
            out: Vec::new(),
            out_pos: 0,
            eof: false,
        }
    }

    fn bad(&self, at: u64, what: &str) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "invalid {} at byte {at} of the file: {what}",
                self.enc.name()
            ),
        )
    }

    fn u16_at(&self, i: usize) -> u16 {
        let b = [self.pending[i], self.pending[i + 1]];
        if self.enc == Bom::Utf16Le {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        }
    }

    /// Decodes as much of `pending` as forms whole characters into `out`.
    fn decode(&mut self) -> io::Result<()> {
        let mut i = 0;
        let n = self.pending.len();
        let mut buf = [0u8; 4];
        while i + self.enc.unit() <= n {
            let (c, used) = match self.enc {
                Bom::Utf32Le | Bom::Utf32Be => {
                    let b = [
                        self.pending[i],
                        self.pending[i + 1],
                        self.pending[i + 2],
                        self.pending[i + 3],
                    ];
                    let v = if self.enc == Bom::Utf32Le {
                        u32::from_le_bytes(b)
                    } else {
                        u32::from_be_bytes(b)
                    };
                    let c = char::from_u32(v).ok_or_else(|| {
                        self.bad(
                            self.offset + i as u64,
                            &format!("{v:#x} is not a character"),
                        )
                    })?;
                    (c, 4)
                }
                _ => {
                    let u = self.u16_at(i);
                    if (0xD800..0xDC00).contains(&u) {
                        if i + 4 > n {
                            break; // the low half is in the next block
                        }
                        let lo = self.u16_at(i + 2);
                        if !(0xDC00..0xE000).contains(&lo) {
                            return Err(self.bad(self.offset + i as u64, "unpaired surrogate"));
                        }
                        let v =
                            0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(lo) - 0xDC00);
                        (char::from_u32(v).expect("valid surrogate pair"), 4)
                    } else if (0xDC00..0xE000).contains(&u) {
                        return Err(self.bad(self.offset + i as u64, "unpaired surrogate"));
                    } else {
                        (char::from_u32(u32::from(u)).expect("BMP scalar"), 2)
                    }
                }
            };
            self.out
                .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            i += used;
        }
        self.pending.drain(..i);
        self.offset += i as u64;
        Ok(())
    }
}

impl<R: Read> Read for ToUtf8<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.out.len() {
            if self.eof {
                if !self.pending.is_empty() {
                    let what = if !self.pending.len().is_multiple_of(self.enc.unit()) {
                        "the file ends inside a character (an odd trailing byte?)"
                    } else {
                        "unpaired surrogate at the end of the file"
                    };
                    let at = self.offset;
                    self.pending.clear();
                    return Err(self.bad(at, what));
                }
                return Ok(0);
            }
            self.out.clear();
            self.out_pos = 0;
            let mut block = [0u8; 1 << 16];
            let k = loop {
                match self.inner.read(&mut block) {
                    Ok(k) => break k,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            if k == 0 {
                self.eof = true;
            } else {
                self.pending.extend_from_slice(&block[..k]);
            }
            self.decode()?;
        }
        let k = (self.out.len() - self.out_pos).min(dst.len());
        dst[..k].copy_from_slice(&self.out[self.out_pos..self.out_pos + k]);
        self.out_pos += k;
        Ok(k)
    }
}

/// A reader of text in a legacy encoding named by the user (`encoding="windows-1251"`:
/// Russian archives, KOI8-R, Latin-1), yielding UTF-8, decoded by `encoding_rs` (the
/// WHATWG Encoding Standard's tables) in 64 KiB blocks. A byte sequence the encoding
/// does not define is an error naming its byte offset, never replaced silently.
pub struct FromEncoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    name: &'static str,
    /// Offset in the file of the next byte to decode.
    offset: u64,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
}

impl<R: io::BufRead> FromEncoding<R> {
    /// Decodes `inner` (no byte-order mark: a file with one is read by it) as `encoding`.
    pub fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Self {
        FromEncoding {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            name: encoding.name(),
            offset: 0,
            out: Vec::new(),
            out_pos: 0,
            eof: false,
        }
    }
}

impl<R: io::BufRead> Read for FromEncoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_pos < self.out.len() {
                let n = buf.len().min(self.out.len() - self.out_pos);
                buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                return Ok(n);
            }
            if self.eof {
                return Ok(0);
            }
            let input = self.inner.fill_buf()?;
            let last = input.is_empty();
            let room = self
                .decoder
                .max_utf8_buffer_length_without_replacement(input.len())
                .unwrap_or(input.len() * 4 + 16);
            self.out.clear();
            self.out.resize(room, 0);
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(input, &mut self.out, last);
            if let encoding_rs::DecoderResult::Malformed(bad, after) = result {
                let at = self.offset + read as u64 - u64::from(bad) - u64::from(after);
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("byte {at} of the file is no character in {}", self.name),
                ));
            }
            self.inner.consume(read);
            self.offset += read as u64;
            self.out.truncate(written);
            self.out_pos = 0;
            self.eof = last;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> io::Result<String> {
        let (enc, skip) = Bom::sniff(bytes);
        let mut s = String::new();
        if enc == Bom::Utf8 {
            return Ok(String::from_utf8(bytes[skip..].to_vec()).expect("utf-8"));
        }
        ToUtf8::new(&bytes[skip..], enc, skip as u64).read_to_string(&mut s)?;
        Ok(s)
    }

    fn encode(text: &str, enc: Bom) -> Vec<u8> {
        let mut out = Vec::new();
        match enc {
            Bom::Utf16Le | Bom::Utf16Be => {
                let bom: u16 = 0xFEFF;
                for u in std::iter::once(bom).chain(text.encode_utf16()) {
                    out.extend(if enc == Bom::Utf16Le {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    });
                }
            }
            _ => {
                for c in std::iter::once('\u{feff}').chain(text.chars()) {
                    let v = c as u32;
                    out.extend(if enc == Bom::Utf32Le {
                        v.to_le_bytes()
                    } else {
                        v.to_be_bytes()
                    });
                }
            }
        }
        out
    }

    #[test]
    fn every_bom_decodes_to_the_same_text() {
        let text = "The collective West — коллективный Запад 🌐\r\nline two";
        for enc in [Bom::Utf16Le, Bom::Utf16Be, Bom::Utf32Le, Bom::Utf32Be] {
            let bytes = encode(text, enc);
            assert_eq!(Bom::sniff(&bytes).0, enc);
            assert_eq!(decode_all(&bytes).unwrap(), text, "{enc:?}");
        }
        // Long enough to cut surrogate pairs and units across 64 KiB blocks.
        let long = "a🌐б".repeat(40_000);
        for enc in [Bom::Utf16Le, Bom::Utf32Be] {
            assert_eq!(decode_all(&encode(&long, enc)).unwrap(), long);
        }
    }

    #[test]
    fn broken_input_is_an_error_naming_the_byte() {
        let mut odd = encode("the", Bom::Utf16Le);
        odd.push(b'x');
        let e = decode_all(&odd).unwrap_err().to_string();
        assert!(
            e.contains("UTF-16LE at byte 8") && e.contains("odd trailing byte"),
            "{e}"
        );
        let lone = [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x41, 0x00];
        let e = decode_all(&lone).unwrap_err().to_string();
        assert!(
            e.contains("byte 4") && e.contains("unpaired surrogate"),
            "{e}"
        );
        let mut big = encode("a", Bom::Utf32Le);
        big.extend(0x0011_0000u32.to_le_bytes());
        let e = decode_all(&big).unwrap_err().to_string();
        assert!(
            e.contains("UTF-32LE at byte 8") && e.contains("0x110000"),
            "{e}"
        );
    }
}
