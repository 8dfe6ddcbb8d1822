//! Workbooks through calamine: .xlsx, .xls, .xlsb, .ods.
//!
//! One `match` over every cell variant (qsv's lesson). calamine does not apply display
//! formats, so a leading zero survives only when the cell was stored as text: numeric cells in
//! code-like fields are read back as integer text at the field's width, with IN004. Date cells
//! and bare serial numbers in date fields become ISO dates through the domain's serial rule
//! (Excel's fake 1900-02-29 is BD002, the 1904 system is honoured). Formula cells are read by
//! their cached value; error cells are IN005 and their value is unreadable.
//!
//! A workbook is outside bytes: it is read into memory once, checked against the bounds of
//! [`super::guard`] before calamine sees it, and read under `catch_unwind`. .xlsx and .xlsb
//! sheets are streamed cell by cell ([`super::sheet`]); .xls and .ods, which calamine reads
//! whole when it opens them, are checked for the size of what it will build first.

use super::columns::HeaderSearch;
use super::guard;
use super::sheet::{DataRows, Flow, Headers, Sink, check_position};
use super::{Fatal, Format, FrameBuilder, IssueKind, ReadOptions, Source, Table};
use crate::domain::date::from_excel_serial;
use crate::field::{CodeWidth, Field, SourceKind};
use calamine::{Data, DataRef, Ods, Range, Reader, Xls, Xlsb, Xlsx};
use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// What one cell reads as.
#[derive(Debug, PartialEq)]
pub(crate) struct CellRead {
    pub text: Option<String>,
    pub issue: Option<IssueKind>,
    /// The text is not a value (error cell, impossible serial).
    pub unreadable: bool,
}

impl CellRead {
    fn text(text: String) -> Self {
        CellRead {
            text: Some(text),
            issue: None,
            unreadable: false,
        }
    }
}

/// Integer text for a float that holds an exact integer (never `123.0`).
fn integer_text(v: f64) -> Option<String> {
    (v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15).then(|| format!("{}", v as i64))
}

fn number_text(v: f64) -> String {
    integer_text(v).unwrap_or_else(|| v.to_string())
}

/// Zero-pad integer text to a code field's width (枝番 2, 郵便番号 7, 個人番号 4 or 12 …).
fn pad_code(digits: &str, width: CodeWidth) -> String {
    let w = match width {
        CodeWidth::Free => 0,
        CodeWidth::Fixed(w) => w,
        CodeWidth::MyNumber if digits.len() <= 4 => 4,
        CodeWidth::MyNumber => 12,
    };
    if digits.starts_with('-') || digits.len() >= w {
        digits.to_string()
    } else {
        format!("{digits:0>w$}")
    }
}

fn iso(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    // Not date.format(..): chrono parses the format string on every call, a few percent of
    // reading a million date cells. Serial dates are years 1900-9999, always four digits.
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Excel's error values. calamine reads an .ods error cell (LibreOffice's `#N/A`) as the
/// string itself, not as `Data::Error`, so in .ods these strings are error cells.
const ERROR_TEXTS: [&str; 7] = [
    "#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!",
];

/// An .ods error cell as calamine gives it: one of Excel's error texts, or one of LibreOffice's
/// own numbered errors (`Err:502` for an invalid argument, `Err:504`, `Err:508` …), which have
/// no Excel counterpart and are written as the text `Err:NNN`.
pub(super) fn is_ods_error_text(s: &str) -> bool {
    let s = s.trim();
    ERROR_TEXTS.contains(&s)
        || s.strip_prefix("Err:")
            .is_some_and(|n| n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// An error cell: IN005, and the value is unreadable.
pub(super) fn error_cell(text: &str) -> CellRead {
    CellRead {
        text: Some(text.to_string()),
        issue: Some(IssueKind::ErrorCell {
            text: text.to_string(),
        }),
        unreadable: true,
    }
}

/// Read one cell for a field (None: an unmapped cell, read only for header search or blankness).
pub(crate) fn read_cell(cell: &DataRef<'_>, field: Option<Field>, is_1904: bool) -> CellRead {
    let numeric = |v: f64| -> CellRead {
        match field {
            Some(f) if f.is_date() => match from_excel_serial(v, is_1904) {
                Ok(d) => CellRead::text(iso(d)),
                Err(_) => CellRead {
                    text: Some(number_text(v)),
                    issue: Some(IssueKind::BadSerial {
                        serial: number_text(v),
                    }),
                    unreadable: true,
                },
            },
            Some(f) => match (f.code_width(), integer_text(v)) {
                (Some(width), Some(digits)) => {
                    let text = pad_code(&digits, width);
                    CellRead {
                        issue: Some(IssueKind::NumericCode {
                            number: digits,
                            text: text.clone(),
                        }),
                        text: Some(text),
                        unreadable: false,
                    }
                }
                _ => CellRead::text(number_text(v)),
            },
            None => CellRead::text(number_text(v)),
        }
    };
    match cell {
        DataRef::Empty => CellRead {
            text: None,
            issue: None,
            unreadable: false,
        },
        DataRef::String(s) => CellRead::text(s.clone()),
        DataRef::SharedString(s) => CellRead::text(s.to_string()),
        DataRef::Float(v) => numeric(*v),
        DataRef::Int(i) => numeric(*i as f64),
        DataRef::Bool(b) => match field {
            Some(f) if f.is_flag() => CellRead::text(if *b { "1" } else { "0" }.into()),
            _ => CellRead::text(if *b { "TRUE" } else { "FALSE" }.into()),
        },
        DataRef::DateTime(dt) if dt.is_duration() => CellRead::text(number_text(dt.as_f64())),
        DataRef::DateTime(dt) => match from_excel_serial(dt.as_f64(), is_1904) {
            Ok(d) => CellRead::text(iso(d)),
            Err(_) => CellRead {
                text: Some(number_text(dt.as_f64())),
                issue: Some(IssueKind::BadSerial {
                    serial: number_text(dt.as_f64()),
                }),
                unreadable: true,
            },
        },
        // ODS writes dates as ISO text already; keep the date part of a datetime.
        DataRef::DateTimeIso(s) => {
            let date = s
                .get(..10)
                .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
            CellRead::text(date.unwrap_or(s).to_string())
        }
        DataRef::DurationIso(s) => CellRead::text(s.clone()),
        DataRef::Error(e) => CellRead {
            text: Some(e.to_string()),
            issue: Some(IssueKind::ErrorCell {
                text: e.to_string(),
            }),
            unreadable: true,
        },
    }
}

/// Header-search text of a cell.
pub(super) fn header_text(cell: &DataRef<'_>) -> String {
    read_cell(cell, None, false).text.unwrap_or_default()
}

/// A value of a sheet calamine holds whole (.xls, .ods), as the streaming readers give it.
fn data_ref(cell: &Data) -> DataRef<'_> {
    match cell {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

/// A cell source's callback: one non-empty cell (row, column, value), in the sheet's order.
type OnCell<'f> = dyn FnMut(u32, u32, &DataRef<'_>) -> Result<Flow, String> + 'f;

/// An open workbook: its sheet names, and each sheet's cells in order.
trait Book {
    fn names(&self) -> Vec<String>;
    fn is_1904(&self) -> bool;
    /// Every non-empty cell of `sheet` until `f` says stop, and how many rows the sheet says
    /// it has (its own claim: a hint for capacity, never trusted for more); or an error
    /// reading the sheet.
    fn cells(&mut self, sheet: &str, f: &mut OnCell) -> Result<u32, String>;
}

/// Feed one streamed cell to `f` (a macro: the two readers share no trait).
macro_rules! stream_cells {
    ($reader:expr, $sheet:expr, $f:expr) => {{
        let mut reader = $reader.map_err(|e| e.to_string())?;
        let dims = reader.dimensions();
        let rows = dims.end.0.saturating_sub(dims.start.0).saturating_add(1);
        while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
            let (row, col) = cell.get_position();
            if matches!(cell.get_value(), DataRef::Empty) {
                continue;
            }
            check_position($sheet, row, col)?;
            if $f(row, col, cell.get_value())? == Flow::Stop {
                break;
            }
        }
        Ok(rows)
    }};
}

impl Book for Xlsx<Cursor<&[u8]>> {
    fn names(&self) -> Vec<String> {
        self.sheet_names()
    }
    fn is_1904(&self) -> bool {
        self.has_1904_epoch()
    }
    fn cells(&mut self, sheet: &str, f: &mut OnCell) -> Result<u32, String> {
        match self.worksheet_cells_reader(sheet) {
            // A chart sheet: no cells (as calamine's own worksheet_range has it).
            Err(calamine::XlsxError::NotAWorksheet(_)) => Ok(0),
            reader => stream_cells!(reader, sheet, f),
        }
    }
}

impl Book for Xlsb<Cursor<&[u8]>> {
    fn names(&self) -> Vec<String> {
        self.sheet_names()
    }
    fn is_1904(&self) -> bool {
        self.has_1904_epoch()
    }
    fn cells(&mut self, sheet: &str, f: &mut OnCell) -> Result<u32, String> {
        stream_cells!(self.worksheet_cells_reader(sheet), sheet, f)
    }
}

/// .xls and .ods: calamine reads every sheet when it opens the workbook (the checks before
/// opening bounded what that costs); each sheet's range is taken once.
struct Whole {
    names: Vec<String>,
    is_1904: bool,
    ranges: HashMap<String, Result<Range<Data>, String>>,
}

impl Whole {
    fn load<RS, W>(mut wb: W, is_1904: bool) -> Whole
    where
        RS: std::io::Read + std::io::Seek,
        W: Reader<RS>,
        W::Error: std::fmt::Display,
    {
        let names = wb.sheet_names();
        let ranges = names
            .iter()
            .map(|n| (n.clone(), wb.worksheet_range(n).map_err(|e| e.to_string())))
            .collect();
        Whole {
            names,
            is_1904,
            ranges,
        }
    }
}

impl Book for Whole {
    fn names(&self) -> Vec<String> {
        self.names.clone()
    }
    fn is_1904(&self) -> bool {
        self.is_1904
    }
    fn cells(&mut self, sheet: &str, f: &mut OnCell) -> Result<u32, String> {
        let range = match self.ranges.get(sheet) {
            Some(Ok(range)) => range,
            Some(Err(e)) => return Err(e.clone()),
            None => return Ok(0),
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, cell) in range.used_cells() {
            let (row, col) = (r0 + r as u32, c0 + c as u32);
            check_position(sheet, row, col)?;
            if f(row, col, &data_ref(cell))? == Flow::Stop {
                break;
            }
        }
        Ok(range.height() as u32)
    }
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ZIP_MAGIC: [u8; 4] = *b"PK\x03\x04";

/// What a file's bytes say it is, whatever its name says.
#[derive(Debug, PartialEq)]
enum Sniffed {
    /// An OLE compound file holding an `EncryptedPackage` stream: a password-protected
    /// .xlsx/.xlsb (Office encrypts the zip and wraps it in OLE).
    EncryptedOoxml,
    /// Any other OLE compound file: an Excel 97-2003 workbook (or another Office 97 document).
    Ole,
    /// A zip: .xlsx, .xlsb or .ods.
    Zip,
    Other,
}

/// Text, not a binary container: no NUL in its first bytes, and they decode as UTF-8 or CP932.
fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    !head.is_empty()
        && !head.contains(&0)
        && (std::str::from_utf8(head).is_ok()
            || encoding_rs::SHIFT_JIS
                .decode_without_bom_handling_and_without_replacement(head)
                .is_some())
}

/// A workbook handed over under a text file's name (.csv): what it really is, if it is one.
pub(super) fn workbook_named_as_text(bytes: &[u8]) -> Option<String> {
    let what = match sniff(bytes) {
        Sniffed::Zip => ".xlsx/.xlsb/.ods",
        Sniffed::Ole | Sniffed::EncryptedOoxml => ".xls",
        Sniffed::Other => return None,
    };
    Some(crate::tr!(
        "これはテキスト (CSV) ではなく {what} のブックです。拡張子を実際の形式に直してください",
        "this is a {what} workbook, not a text (CSV) file: rename it to its real extension"
    ))
}

fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(&OLE_MAGIC) {
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if bytes.windows(name.len()).any(|w| w == name.as_slice()) {
            Sniffed::EncryptedOoxml
        } else {
            Sniffed::Ole
        }
    } else if bytes.starts_with(&ZIP_MAGIC) {
        Sniffed::Zip
    } else {
        Sniffed::Other
    }
}

/// A message staff can act on. calamine's own errors say little: an encrypted .xlsx is an OLE
/// compound file, not a zip, so it reports a zip error; an old .xls renamed to .xlsx (common)
/// gives the same error and must not be called password-protected.
fn explain_open_error(bytes: &[u8], path: &Path, format: Format, err: String) -> String {
    let lower = err.to_lowercase();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    match sniff(bytes) {
        Sniffed::EncryptedOoxml => protected(),
        _ if lower.contains("password") || lower.contains("encrypt") => protected(),
        Sniffed::Ole if format != Format::Xls => crate::tr!(
            "これは Excel 97-2003 のブック（.xls）ですが、拡張子が .{ext} です。拡張子を .xls に直すか、.{ext} で保存し直してください",
            "this is an Excel 97-2003 workbook (.xls) named .{ext}: rename it to .xls, or save it again as .{ext}"
        ),
        Sniffed::Zip if format == Format::Xls => crate::tr!(
            "これは .xlsx/.xlsb/.ods のブック（zip）ですが、拡張子が .{ext} です。拡張子を実際の形式に直してください",
            "this is a .xlsx/.xlsb/.ods workbook (a zip) named .{ext}: rename it to its real extension"
        ),
        Sniffed::Other if looks_like_text(bytes) => crate::tr!(
            "これはブックではなくテキスト (CSV) ファイルです。拡張子を .csv に直してください（拡張子 .{ext}）",
            "this is a text (CSV) file, not a workbook, named .{ext}: rename it to .csv"
        ),
        _ => crate::tr!(
            "ブックを開けません（壊れている、途中で切れている、または .{ext} の形式ではありません）：{err}",
            "cannot open the workbook (corrupt, cut short, or not really a .{ext} file): {err}"
        ),
    }
}

fn protected() -> String {
    crate::tr!(
        "パスワードで保護（暗号化）されたブックは読めません。保護を解除して保存し直してください",
        "the workbook is password-protected (encrypted): save an unprotected copy"
    )
}

/// Read a workbook's bytes: checked against the bounds, then opened from memory.
pub(super) fn read(
    path: &Path,
    bytes: &[u8],
    format: Format,
    kind: SourceKind,
    opts: &ReadOptions,
) -> Result<Source, Fatal> {
    let unreadable = |reason: String| Fatal::Unreadable { reason };
    // The bounds first (the zip and OLE readers under them are outside code too).
    let checked = guard::catch(|| match format {
        Format::Xls => super::xlscheck::check(bytes),
        _ => super::zipcheck::check(bytes, format),
    });
    checked
        .unwrap_or_else(|at| Err(guard::reader_failed(&at)))
        .map_err(unreadable)?;
    guard::catch(|| open_and_read(bytes, path, format, kind, opts))
        .unwrap_or_else(|at| Err(unreadable(guard::reader_failed(&at))))
}

fn open_and_read(
    bytes: &[u8],
    path: &Path,
    format: Format,
    kind: SourceKind,
    opts: &ReadOptions,
) -> Result<Source, Fatal> {
    let open_error = |e: String| Fatal::Unreadable {
        reason: explain_open_error(bytes, path, format, e),
    };
    // calamine's .xlsx and .xlsb readers open any OLE file with their own compound-file reader
    // to look for an encrypted package, and it follows a directory chain that loops without
    // end (the fuzzer: 1.7 KB asked for 12 GB). An OLE file is no zip workbook: the error is
    // ours, explained as calamine's would have been (encrypted, or an .xls misnamed).
    if format != Format::Xls && bytes.starts_with(&OLE_MAGIC) {
        return Err(open_error("an OLE compound file, not a zip".into()));
    }
    let cursor = Cursor::new(bytes);
    match format {
        Format::Xlsx => {
            let mut wb = Xlsx::new(cursor).map_err(|e| open_error(e.to_string()))?;
            read_book(&mut wb, bytes.len(), format, kind, opts)
        }
        Format::Xlsb => {
            let mut wb = Xlsb::new(cursor).map_err(|e| open_error(e.to_string()))?;
            read_book(&mut wb, bytes.len(), format, kind, opts)
        }
        Format::Xls => {
            let wb = Xls::new(cursor).map_err(|e| open_error(e.to_string()))?;
            let is_1904 = wb.has_1904_epoch();
            read_book(
                &mut Whole::load(wb, is_1904),
                bytes.len(),
                format,
                kind,
                opts,
            )
        }
        // .ods dates arrive as ISO text; a bare serial counts from LibreOffice's default null
        // date 1899-12-30, which is the 1900 system for every serial after 60.
        Format::Ods => {
            let wb = Ods::new(cursor).map_err(|e| open_error(e.to_string()))?;
            read_book(&mut Whole::load(wb, false), bytes.len(), format, kind, opts)
        }
        Format::Csv => Err(open_error("not a workbook".into())),
    }
}

/// A sheet whose header was found: its index in the workbook, name, header row and map.
struct Found {
    name: String,
    header_row: u32,
    map: super::columns::HeaderMap,
    width: usize,
    /// The rows the sheet claims to have.
    rows_claimed: u32,
}

/// Sheets without a header: name and why.
type SkippedSheets = Vec<(String, String)>;

/// Pass 1: every sheet's header, and the sheets skipped with the reason.
fn find_headers(
    book: &mut dyn Book,
    kind: SourceKind,
    opts: &ReadOptions,
) -> Result<(Vec<Found>, SkippedSheets), Fatal> {
    let aliases = opts.columns.kind(kind);
    let mut search = HeaderSearch::default();
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    let names = book.names();
    if names.is_empty() {
        return Err(Fatal::Unreadable {
            reason: "no sheets".into(),
        });
    }
    for name in names {
        let mut headers = Headers::default();
        let rows_claimed = match book.cells(&name, &mut |r, c, v| Ok(headers.cell(r, c, v))) {
            Ok(rows) => rows,
            Err(e) => {
                skipped.push((name, format!("cannot read the sheet: {e}")));
                continue;
            }
        };
        match headers.find(&mut search, kind, aliases, &name) {
            Some((header_row, map, width)) => found.push(Found {
                name,
                header_row,
                map,
                width,
                rows_claimed,
            }),
            None if !headers.any => skipped.push((name, "empty sheet".into())),
            None => skipped.push((name, "no header row in the first 30 rows".into())),
        }
    }
    if found.is_empty() {
        // No sheet could be read at all: the workbook is unreadable, not missing a column.
        if skipped.iter().all(|s| s.1.starts_with("cannot read")) {
            let why = skipped.first().map(|s| s.1.clone()).unwrap_or_default();
            return Err(Fatal::Unreadable { reason: why });
        }
        return Err(search.into_fatal(kind, aliases));
    }
    Ok((found, skipped))
}

fn read_book(
    book: &mut dyn Book,
    file_bytes: usize,
    format: Format,
    kind: SourceKind,
    opts: &ReadOptions,
) -> Result<Source, Fatal> {
    let (found, skipped_sheets) = find_headers(book, kind, opts)?;
    let is_1904 = book.is_1904();
    let mut present: Vec<Field> = found
        .iter()
        .flat_map(|f| f.map.mapped.iter().map(|m| m.0))
        .collect();
    present.sort();
    present.dedup();
    // Room for the rows the sheets claim, but never more than a row per 4 bytes of the file
    // (a 2 kB file claiming a million rows gets room for 500).
    let claimed: usize = found
        .iter()
        .map(|f| f.rows_claimed.saturating_sub(f.header_row + 1) as usize)
        .sum();
    let mut frame = FrameBuilder::new(present.clone(), claimed.min(file_bytes / 4));
    let mut issues = Vec::new();
    let mut unreadable = HashSet::new();
    let mut tables = Vec::new();
    for (ti, sheet) in found.into_iter().enumerate() {
        let mut sink = Sink {
            frame: &mut frame,
            issues: &mut issues,
            unreadable: &mut unreadable,
        };
        let header = (sheet.header_row, &sheet.map);
        let mut rows = DataRows::new(&sheet.name, ti as u32, format, is_1904, header, &present);
        // A sheet that fails half-way is a damaged file: its rows cannot be half read.
        book.cells(&sheet.name, &mut |r, c, v| {
            rows.cell(r, c, v, &mut sink).map(|()| Flow::More)
        })
        .map_err(|reason| Fatal::Unreadable { reason })?;
        rows.finish(&mut sink);
        if rows.rows == 0 {
            issues.push(super::Issue {
                kind: IssueKind::NoRows {
                    sheet: Some(sheet.name.clone()),
                },
                row: None,
                field: None,
            });
        }
        tables.push(Table {
            sheet: Some(sheet.name),
            header_row: sheet.header_row + 1,
            mapped: sheet.map.mapped,
            unmapped: sheet.map.unmapped,
            width: sheet.width,
            rows: rows.rows,
            blank_rows: rows.blank_rows,
        });
    }
    let cells = frame.finish(&present).map_err(|e| Fatal::Unreadable {
        reason: e.to_string(),
    })?;
    Ok(Source {
        path: PathBuf::new(),
        kind,
        format,
        encoding: None,
        tables,
        skipped_sheets,
        raw: cells.frame,
        csv_cells: Vec::new(),
        fields: cells.fields,
        row_numbers: cells.row_numbers,
        row_tables: cells.row_tables,
        unreadable,
        text: None,
        shared: None,
        row_spans: Vec::new(),
        issues,
    })
}

/// The spreadsheet column letter of a 0-based index (0 → A, 26 → AA).
pub fn column_letter(mut index: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Issue;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    fn text(cell: Data, field: Field) -> (Option<String>, Option<IssueKind>, bool) {
        let r = read_cell(&data_ref(&cell), Some(field), false);
        (r.text, r.issue, r.unreadable)
    }

    #[test]
    fn numeric_code_cells_are_integer_text_at_their_width_with_in004() {
        let cases = [
            (Data::Float(1.0), Field::Branch, "01"),
            (Data::Int(1), Field::Branch, "01"),
            (Data::Float(600001.0), Field::PostalCode, "0600001"),
            (Data::Float(1234.0), Field::MyNumber, "1234"),
            (Data::Float(12345678901.0), Field::MyNumber, "012345678901"),
            (Data::Float(1001.0), Field::Symbol, "1001"),
            (Data::Float(6139992.0), Field::InsurerNo, "06139992"),
        ];
        for (cell, field, want) in cases {
            let (t, issue, bad) = text(cell, field);
            assert_eq!(t.as_deref(), Some(want), "{field:?}");
            assert!(
                matches!(issue, Some(IssueKind::NumericCode { .. })),
                "{field:?}"
            );
            assert!(!bad);
        }
    }

    #[test]
    fn non_code_numbers_are_plain_integer_text_never_dot_zero() {
        assert_eq!(
            text(Data::Float(280000.0), Field::Remuneration),
            (Some("280000".into()), None, false)
        );
        assert_eq!(
            text(Data::Float(2.5), Field::ShareRatio).0.as_deref(),
            Some("2.5")
        );
        // A non-integral number in a code field is not padded and raises no IN004: it is malformed later.
        assert_eq!(
            text(Data::Float(1.5), Field::Branch),
            (Some("1.5".into()), None, false)
        );
    }

    #[test]
    fn serials_and_date_cells_in_date_fields_become_iso_dates() {
        assert_eq!(
            text(Data::Float(19937.0), Field::BirthDate).0.as_deref(),
            Some("1954-08-01")
        );
        let dt = ExcelDateTime::new(19937.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(
            text(Data::DateTime(dt), Field::BirthDate).0.as_deref(),
            Some("1954-08-01")
        );
        assert_eq!(
            text(
                Data::DateTimeIso("1954-08-01T00:00:00".into()),
                Field::BirthDate
            )
            .0
            .as_deref(),
            Some("1954-08-01")
        );
        // 1904 system: serial 0 is 1904-01-01.
        let r = read_cell(&DataRef::Float(0.0), Some(Field::BirthDate), true);
        assert_eq!(r.text.as_deref(), Some("1904-01-01"));
    }

    #[test]
    fn excel_fake_leap_day_is_unreadable_with_bd002() {
        let (t, issue, bad) = text(Data::Float(60.0), Field::BirthDate);
        assert_eq!(t.as_deref(), Some("60"));
        assert_eq!(
            issue,
            Some(IssueKind::BadSerial {
                serial: "60".into()
            })
        );
        assert!(bad);
    }

    #[test]
    fn error_cells_are_in005_and_unreadable() {
        let (t, issue, bad) = text(Data::Error(CellErrorType::NA), Field::LostOn);
        assert_eq!(t.as_deref(), Some("#N/A"));
        assert_eq!(
            issue,
            Some(IssueKind::ErrorCell {
                text: "#N/A".into()
            })
        );
        assert!(bad);
    }

    #[test]
    fn every_excel_error_value_is_known() {
        use CellErrorType::*;
        for e in [Div0, NA, Name, Null, Num, Ref, Value] {
            assert!(ERROR_TEXTS.contains(&e.to_string().as_str()), "{e}");
        }
    }

    #[test]
    fn ods_error_texts_include_libreoffice_s_numbered_errors() {
        for e in [
            "#N/A", " #REF! ", "#DIV/0!", "Err:502", "Err:504", "Err:508",
        ] {
            assert!(is_ods_error_text(e), "{e}");
        }
        for t in [
            "Err:", "Err:50", "Err:5022", "err:502", "N/A", "#N/A 注", "山田",
        ] {
            assert!(!is_ods_error_text(t), "{t}");
        }
        // lo-errors.ods: =VALUE("x") cached as Err:502 in 氏名, =ACOS(2) as #NUM! in 住所.
        let src = read_fixture("lo-errors.ods", Format::Ods);
        assert!(src.unreadable.contains(&(0, Field::Name)));
        assert!(src.unreadable.contains(&(0, Field::Address)));
        assert!(src.issues.contains(&Issue {
            kind: IssueKind::ErrorCell {
                text: "Err:502".into()
            },
            row: Some(0),
            field: Some(Field::Name),
        }));
    }

    #[test]
    fn booleans_are_flags_in_flag_fields() {
        assert_eq!(
            text(Data::Bool(true), Field::CertRequested).0.as_deref(),
            Some("1")
        );
        assert_eq!(
            text(Data::Bool(false), Field::Name).0.as_deref(),
            Some("FALSE")
        );
    }

    fn read_fixture(name: &str, format: Format) -> Source {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/ingest")
            .join(name);
        let columns = crate::config::Columns::builtin();
        let opts = ReadOptions {
            columns: &columns,
            input_encoding: Default::default(),
        };
        let bytes = std::fs::read(&path).expect("fixture");
        read(&path, &bytes, format, SourceKind::Employer, &opts).expect("readable")
    }

    #[test]
    fn gaiji_in_a_workbook_string_cell_is_in008_on_that_cell() {
        // gaiji.xlsx: 氏名 on row 3 starts with U+E000 (CP932 F040).
        let src = read_fixture("gaiji.xlsx", Format::Xlsx);
        let gaiji: Vec<_> = src
            .issues
            .iter()
            .filter(|i| matches!(i.kind, IssueKind::Gaiji { .. }))
            .collect();
        assert_eq!(gaiji.len(), 1, "{:?}", src.issues);
        assert_eq!(gaiji[0].kind, IssueKind::Gaiji { ch: '\u{E000}' });
        assert_eq!((gaiji[0].row, gaiji[0].field), (Some(1), Some(Field::Name)));
    }

    #[test]
    fn an_xlsb_workbook_in_the_1904_date_system_reads_its_dates_right() {
        // epoch1904.xlsb: 生年月日 is a date cell on row 2 and a bare serial on row 3, both
        // 18475 in the 1904 system (1954-08-01; read in the 1900 system it is 1950-07-31).
        let src = read_fixture("epoch1904.xlsb", Format::Xlsb);
        assert_eq!(src.cell(0, Field::BirthDate).as_deref(), Some("1954-08-01"));
        assert_eq!(src.cell(1, Field::BirthDate).as_deref(), Some("1954-08-01"));
        assert_eq!(
            src.cell(1, Field::AcquiredOn).as_deref(),
            Some("2024-02-29")
        );
    }

    #[test]
    fn file_contents_tell_encrypted_workbooks_from_old_xls_and_zips() {
        let mut encrypted = OLE_MAGIC.to_vec();
        encrypted.extend_from_slice(&[0; 40]);
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(&encrypted), Sniffed::EncryptedOoxml);
        let mut xls = OLE_MAGIC.to_vec();
        xls.extend("Workbook".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(&xls), Sniffed::Ole);
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
        assert_eq!(sniff("記号,番号".as_bytes()), Sniffed::Other);
        assert_eq!(sniff(b""), Sniffed::Other);
    }

    #[test]
    fn column_letters() {
        let got: Vec<_> = [0, 1, 25, 26, 27, 701, 702]
            .iter()
            .map(|i| column_letter(*i))
            .collect();
        assert_eq!(got, ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
    }
}
