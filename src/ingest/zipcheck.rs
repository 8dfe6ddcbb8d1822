//! A zip-based workbook (.xlsx, .xlsb, .ods) checked before calamine opens it.
//!
//! calamine reads only the parts it needs, and only as far as it needs them: a part whose CRC
//! is wrong is read without a word (a damaged 番号 becomes another member's), and the sizes
//! and counts the parts declare are believed. So every part is inflated once here, to its end:
//! the zip reader then checks its CRC and that it does not grow past its declared size, and
//! what calamine would allocate for is scanned on the way (the longest XML run, the shared-
//! string count, .xlsb record lengths, .ods repeated cells). Inflating costs about a tenth of
//! what calamine spends on the same sheet. Bounds are in [`super::guard`].

use super::Format;
use super::guard::{
    MAX_ENTRY_BYTES, MAX_RATIO, MAX_SHARED_STRINGS, MAX_TOTAL_BYTES, MAX_XLSB_RECORD, MAX_XML_RUN,
    MAX_ZIP_ENTRIES, MIN_SHARED_STRING_BYTES, RATIO_FREE_BYTES, count as n, too_large,
};
use std::io::{Cursor, Read};
use zip::ZipArchive;
use zip::result::ZipError;

/// Check every part of a zip-based workbook. A zip that cannot be opened at all is left to
/// calamine, whose error is explained by the caller (password-protected, wrong extension …).
pub fn check(bytes: &[u8], format: Format) -> Result<(), String> {
    let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if zip.len() > MAX_ZIP_ENTRIES {
        let (parts, max) = (n(zip.len() as u64), n(MAX_ZIP_ENTRIES as u64));
        return Err(too_large(
            &format!("zip の中に {parts} 個の部品があります（上限 {max}）"),
            &format!("the zip holds {parts} parts (at most {max})"),
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let (name, size, compressed, is_dir) = match zip.by_index_raw(i) {
            Ok(e) => (
                e.name().map(|n| n.into_owned()).unwrap_or_default(),
                e.size(),
                e.compressed_size(),
                e.is_dir(),
            ),
            Err(e) => return Err(damaged("?", &e.to_string())),
        };
        if is_dir {
            continue;
        }
        total = total.saturating_add(size);
        check_declared(&name, size, compressed, total)?;
        let mut entry = match zip.by_index(i) {
            Ok(entry) => entry,
            // Encrypted or an unsupported method: calamine gives (and we explain) its error
            // when it reads this part, but it may read others first (the shared strings come
            // before any sheet), so they are still checked.
            Err(ZipError::UnsupportedArchive(_)) => continue,
            Err(e) => return Err(damaged(&name, &e.to_string())),
        };
        let mut part = Scanned {
            inner: &mut entry,
            scanner: Scanner::for_part(&name, format, size),
            bound: None,
        };
        let read = if format == Format::Ods && name == "content.xml" {
            super::odscheck::check_content(&mut part, bytes.len()).and_then(|()| drain(&mut part))
        } else {
            drain(&mut part)
        };
        let finished = read.and_then(|()| part.scanner.finish().map_err(Problem::Bound));
        finished.map_err(|e| match (part.bound.take(), e) {
            (Some(bound), _) | (None, Problem::Bound(bound)) => bound,
            (None, Problem::Io(e)) => damaged(&name, &e.to_string()),
        })?;
    }
    Ok(())
}

/// What went wrong reading a part: the zip (CRC, size, inflate) or a bound.
pub enum Problem {
    Io(std::io::Error),
    Bound(String),
}

impl From<std::io::Error> for Problem {
    fn from(e: std::io::Error) -> Self {
        Problem::Io(e)
    }
}

fn check_declared(name: &str, size: u64, compressed: u64, total: u64) -> Result<(), String> {
    if size > MAX_ENTRY_BYTES || total > MAX_TOTAL_BYTES {
        let (mib, max) = (n(size >> 20), n(MAX_ENTRY_BYTES >> 20));
        return Err(too_large(
            &format!(
                "中の {name} が展開後 {mib} MiB あると宣言しています（部品ごとの上限 {max} MiB、合計 {} MiB）",
                MAX_TOTAL_BYTES >> 20
            ),
            &format!(
                "its part {name} declares {mib} MiB uncompressed (at most {max} MiB a part, {} MiB in all)",
                MAX_TOTAL_BYTES >> 20
            ),
        ));
    }
    if size > RATIO_FREE_BYTES && size / compressed.max(1) > MAX_RATIO {
        let ratio = n(size / compressed.max(1));
        return Err(too_large(
            &format!("中の {name} は {ratio} 倍に展開されます（zip 爆弾。上限 {MAX_RATIO} 倍）"),
            &format!(
                "its part {name} expands {ratio} times (a zip bomb; at most {MAX_RATIO} times)"
            ),
        ));
    }
    Ok(())
}

fn damaged(name: &str, why: &str) -> String {
    if why.contains("checksum") {
        crate::tr!(
            "ブックが壊れています: 中の {name} がチェックサム (CRC) の検査に通りません。データが書き換わったか途中で切れています。元のブックをもう一度受け取ってください",
            "the workbook is damaged: its part {name} fails its CRC check (the data was altered or cut short); obtain the workbook again"
        )
    } else {
        crate::tr!(
            "ブックが壊れています: 中の {name} を展開できません（{why}）。元のブックをもう一度受け取ってください",
            "the workbook is damaged: its part {name} cannot be decompressed ({why}); obtain the workbook again"
        )
    }
}

/// Read a part to its end (the zip reader checks the CRC there).
fn drain(part: &mut impl Read) -> Result<(), Problem> {
    let mut buf = vec![0u8; 64 << 10];
    while part.read(&mut buf)? > 0 {}
    Ok(())
}

/// A part's bytes on their way to whoever reads them, scanned as they pass. A bound broken
/// stops the reading with an I/O error; the bound's own message is kept in `bound`.
pub struct Scanned<'a, R> {
    inner: &'a mut R,
    scanner: Scanner,
    pub bound: Option<String>,
}

impl<R: Read> Read for Scanned<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Err(message) = self.scanner.feed(&buf[..n]) {
            self.bound = Some(message);
            return Err(std::io::Error::other("bound"));
        }
        Ok(n)
    }
}

/// What to look for in one part.
enum Scanner {
    /// Media and anything calamine does not parse: only the CRC and the size.
    Opaque,
    Xml(XmlRuns),
    /// `sharedStrings.xml`: the XML runs, and the count its `<sst>` declares.
    SharedStrings(XmlRuns, SstHead),
    /// An .xlsb part (a stream of length-prefixed records).
    Records(Records),
}

impl Scanner {
    fn for_part(name: &str, format: Format, size: u64) -> Scanner {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with("sharedstrings.xml") {
            Scanner::SharedStrings(XmlRuns::new(name), SstHead::new(name, size))
        } else if lower.ends_with(".xml") || lower.ends_with(".rels") {
            Scanner::Xml(XmlRuns::new(name))
        } else if format == Format::Xlsb
            && lower.starts_with("xl/")
            && lower.ends_with(".bin")
            && !lower.contains("vbaproject")
            && !lower.contains("printersettings")
            && !lower.contains("embeddings")
        {
            Scanner::Records(Records::new(name))
        } else {
            Scanner::Opaque
        }
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<(), String> {
        match self {
            Scanner::Opaque => Ok(()),
            Scanner::Xml(runs) => runs.feed(chunk),
            Scanner::SharedStrings(runs, head) => {
                runs.feed(chunk)?;
                head.feed(chunk)
            }
            Scanner::Records(records) => records.feed(chunk),
        }
    }

    fn finish(&mut self) -> Result<(), String> {
        match self {
            Scanner::SharedStrings(_, head) => head.finish(),
            _ => Ok(()),
        }
    }
}

/// The longest stretch of XML between `<` and `>` (or between `>` and `<`): quick-xml buffers
/// one such stretch whole, so a gigabyte of text without markup is a gigabyte of memory.
struct XmlRuns {
    name: String,
    run: usize,
}

impl XmlRuns {
    fn new(name: &str) -> Self {
        XmlRuns {
            name: name.to_string(),
            run: 0,
        }
    }

    /// Only the run that crosses into this chunk and the one it leaves open can be long: the
    /// runs inside one chunk are shorter than the chunk. So two searches per chunk (the first
    /// and the last delimiter), not one per tag.
    fn feed(&mut self, chunk: &[u8]) -> Result<(), String> {
        match memchr::memchr2(b'<', b'>', chunk) {
            None => {
                self.run += chunk.len();
                self.check()
            }
            Some(first) => {
                self.run += first;
                self.check()?;
                let last = memchr::memrchr2(b'<', b'>', chunk).unwrap_or(first);
                self.run = chunk.len() - last - 1;
                self.check()
            }
        }
    }

    fn check(&self) -> Result<(), String> {
        if self.run <= MAX_XML_RUN {
            return Ok(());
        }
        let (name, max) = (&self.name, MAX_XML_RUN >> 20);
        Err(too_large(
            &format!("中の {name} に {max} MiB を超える切れ目のない文字列があります"),
            &format!("its part {name} holds more than {max} MiB of XML without markup"),
        ))
    }
}

/// The `uniqueCount` of `<sst>`: calamine reserves room for that many strings before reading
/// one. It must be within [`MAX_SHARED_STRINGS`] and what the part's size can hold.
///
/// calamine's XML reader is lenient (it reads on past markup a strict parser refuses), so
/// this does not parse the XML: every `uniqueCount` attribute anywhere in the part is checked,
/// which is at least every one calamine could read.
struct SstHead {
    name: String,
    size: u64,
    /// The end of the previous chunk, so an attribute split across two is still seen.
    tail: Vec<u8>,
    largest: Option<u64>,
}

/// Bytes kept from one chunk to the next: `uniqueCount = "` and 20 digits fit.
const SST_TAIL_BYTES: usize = 64;

impl SstHead {
    fn new(name: &str, size: u64) -> Self {
        SstHead {
            name: name.to_string(),
            size,
            tail: Vec::new(),
            largest: None,
        }
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<(), String> {
        let mut window = std::mem::take(&mut self.tail);
        window.extend_from_slice(chunk);
        for at in memchr::memmem::find_iter(&window, b"uniqueCount") {
            if let Some(n) = attribute_number(&window[at + b"uniqueCount".len()..]) {
                self.largest = self.largest.max(Some(n));
            }
        }
        let keep = window.len().min(SST_TAIL_BYTES);
        self.tail = window[window.len() - keep..].to_vec();
        // An attribute wholly inside the kept tail is seen again: harmless, it is a maximum.
        self.check()
    }

    fn finish(&mut self) -> Result<(), String> {
        self.check()
    }

    fn check(&self) -> Result<(), String> {
        let Some(count) = self.largest else {
            return Ok(());
        };
        let fits = self.size / MIN_SHARED_STRING_BYTES + 1;
        if count <= MAX_SHARED_STRINGS && count <= fits {
            return Ok(());
        }
        let (name, count, max, fits) = (&self.name, n(count), n(MAX_SHARED_STRINGS), n(fits));
        Err(too_large(
            &format!(
                "中の {name} が共有文字列を {count} 個と宣言しています（上限 {max} 個、この大きさなら {fits} 個まで）"
            ),
            &format!(
                "its part {name} declares {count} shared strings (at most {max}, and {fits} in a part of this size)"
            ),
        ))
    }
}

/// The number of `="123"` after an attribute name (white space around `=`, either quote);
/// a number too large for u64 is u64::MAX. None when no digits follow.
fn attribute_number(after: &[u8]) -> Option<u64> {
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while after.get(*i).is_some_and(|b| b.is_ascii_whitespace()) {
            *i += 1;
        }
    };
    skip_space(&mut i);
    if after.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    skip_space(&mut i);
    if !matches!(after.get(i), Some(b'"' | b'\'')) {
        return None;
    }
    i += 1;
    skip_space(&mut i);
    let digits = after[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let text = std::str::from_utf8(&after[i..i + digits]).ok()?;
    Some(text.parse().unwrap_or(u64::MAX))
}

/// An .xlsb part's records: a type (1–2 bytes, high bit = more) and a length (1–4 bytes of 7
/// bits), then that many bytes. calamine allocates each record's declared length.
struct Records {
    name: String,
    state: RecordState,
}

#[derive(Clone, Copy)]
enum RecordState {
    /// Reading the type; `second` when its first byte said another follows.
    Type {
        second: bool,
    },
    /// Reading the length: bytes read so far and the value.
    Len {
        read: u32,
        value: u64,
    },
    Skip(u64),
}

impl Records {
    fn new(name: &str) -> Self {
        Records {
            name: name.to_string(),
            state: RecordState::Type { second: false },
        }
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<(), String> {
        let mut i = 0;
        while i < chunk.len() {
            self.state = match self.state {
                RecordState::Skip(n) => {
                    let step = n.min((chunk.len() - i) as u64);
                    i += step as usize;
                    if n == step {
                        RecordState::Type { second: false }
                    } else {
                        RecordState::Skip(n - step)
                    }
                }
                RecordState::Type { second } => {
                    let b = chunk[i];
                    i += 1;
                    if !second && b & 0x80 != 0 {
                        RecordState::Type { second: true }
                    } else {
                        RecordState::Len { read: 0, value: 0 }
                    }
                }
                RecordState::Len { read, value } => {
                    let b = chunk[i];
                    i += 1;
                    let value = value | (u64::from(b & 0x7F) << (7 * read));
                    if b & 0x80 != 0 && read < 3 {
                        RecordState::Len {
                            read: read + 1,
                            value,
                        }
                    } else {
                        self.check(value)?;
                        if value == 0 {
                            RecordState::Type { second: false }
                        } else {
                            RecordState::Skip(value)
                        }
                    }
                }
            };
        }
        Ok(())
    }

    fn check(&self, len: u64) -> Result<(), String> {
        if len <= MAX_XLSB_RECORD as u64 {
            return Ok(());
        }
        let (name, mib, max) = (&self.name, n(len >> 20), MAX_XLSB_RECORD >> 20);
        Err(too_large(
            &format!("中の {name} に {mib} MiB のレコードがあります（上限 {max} MiB）"),
            &format!("its part {name} holds a record of {mib} MiB (at most {max} MiB)"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_runs_are_bounded_across_chunks() {
        let mut runs = XmlRuns::new("xl/worksheets/sheet1.xml");
        assert!(runs.feed(b"<row><c><v>1</v></c></row>").is_ok());
        let big = vec![b'x'; MAX_XML_RUN / 2 + 1];
        assert!(runs.feed(b"<t>").is_ok());
        assert!(runs.feed(&big).is_ok());
        assert!(runs.feed(&big).is_err(), "two halves of one run add up");
        let mut fresh = XmlRuns::new("x.xml");
        assert!(fresh.feed(&big).is_ok() && fresh.feed(b"<").is_ok() && fresh.feed(&big).is_ok());
    }

    #[test]
    fn the_shared_string_count_must_fit_the_bound_and_the_part() {
        let sst = br#"<?xml version="1.0"?><sst xmlns="x" count="3" uniqueCount="COUNT"><si><t>a</t></si>"#;
        let with = |n: &str| String::from_utf8_lossy(sst).replace("COUNT", n);
        assert_eq!(attribute_number(b" = '3'"), Some(3));
        assert_eq!(
            attribute_number(b"=\"99999999999999999999999\""),
            Some(u64::MAX)
        );
        let check = |count: &str, size: u64| {
            let mut head = SstHead::new("xl/sharedStrings.xml", size);
            head.feed(with(count).as_bytes())
                .and_then(|()| head.finish())
        };
        assert!(
            check("1000000", 10_000_000).is_ok(),
            "a million strings in 10 MB"
        );
        assert!(
            check("1000000", 1_000).is_err(),
            "a million strings cannot fit 1 kB"
        );
        assert!(check("1000000000000", u64::MAX).is_err(), "past the bound");
        assert!(
            check("junk", 100).is_ok(),
            "calamine reserves nothing for junk"
        );
    }

    #[test]
    fn xlsb_record_lengths_are_read_across_chunks() {
        // Type 0x0094 (two bytes), length 3, payload; then type 0x01, length 0x80 0x80 0x80 0x08
        // = 2^24 (16 MiB), the bound itself; then one over it.
        let mut r = Records::new("xl/worksheets/sheet1.bin");
        for b in [0x94u8, 0x01, 0x03, 1, 2, 3] {
            assert!(r.feed(&[b]).is_ok());
        }
        assert!(r.feed(&[0x01, 0x80, 0x80, 0x80, 0x08]).is_ok());
        assert!(matches!(r.state, RecordState::Skip(n) if n == 1 << 24));
        let mut over = Records::new("xl/worksheets/sheet1.bin");
        assert!(over.feed(&[0x01, 0x81, 0x80, 0x80, 0x08]).is_err());
    }
}
