//! Workbooks through calamine: .xlsx, .xls, .xlsb, .ods.
//!
//! One `match` over every cell variant (qsv's lesson). calamine does not apply display
//! formats, so a leading zero survives only when the cell was stored as text: numeric cells in
//! code-like fields are read back as integer text at the field's width, with IN004. Date cells
//! and bare serial numbers in date fields become ISO dates through the domain's serial rule
//! (Excel's fake 1900-02-29 is BD002, the 1904 system is honoured). Formula cells are read by
//! their cached value; error cells are IN005 and their value is unreadable.

use super::columns::{HEADER_SEARCH_ROWS, HeaderMap, HeaderSearch};
use super::encoding::is_gaiji;
use super::{Fatal, Format, FrameBuilder, Issue, IssueKind, ReadOptions, Source, Table};
use crate::domain::date::from_excel_serial;
use crate::field::{CodeWidth, Field, SourceKind};
use calamine::{Data, Ods, Range, Reader, Xls, Xlsb, Xlsx, open_workbook};
use std::collections::HashSet;
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
fn is_ods_error_text(s: &str) -> bool {
    let s = s.trim();
    ERROR_TEXTS.contains(&s)
        || s.strip_prefix("Err:")
            .is_some_and(|n| n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// An error cell: IN005, and the value is unreadable.
fn error_cell(text: &str) -> CellRead {
    CellRead {
        text: Some(text.to_string()),
        issue: Some(IssueKind::ErrorCell {
            text: text.to_string(),
        }),
        unreadable: true,
    }
}

/// Read one cell for a field (None: an unmapped cell, read only for header search or blankness).
pub(crate) fn read_cell(cell: &Data, field: Option<Field>, is_1904: bool) -> CellRead {
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
        Data::Empty => CellRead {
            text: None,
            issue: None,
            unreadable: false,
        },
        Data::String(s) => CellRead::text(s.clone()),
        Data::Float(v) => numeric(*v),
        Data::Int(i) => numeric(*i as f64),
        Data::Bool(b) => match field {
            Some(f) if f.is_flag() => CellRead::text(if *b { "1" } else { "0" }.into()),
            _ => CellRead::text(if *b { "TRUE" } else { "FALSE" }.into()),
        },
        Data::DateTime(dt) if dt.is_duration() => CellRead::text(number_text(dt.as_f64())),
        Data::DateTime(dt) => match from_excel_serial(dt.as_f64(), is_1904) {
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
        Data::DateTimeIso(s) => {
            let date = s
                .get(..10)
                .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
            CellRead::text(date.unwrap_or(s).to_string())
        }
        Data::DurationIso(s) => CellRead::text(s.clone()),
        Data::Error(e) => CellRead {
            text: Some(e.to_string()),
            issue: Some(IssueKind::ErrorCell {
                text: e.to_string(),
            }),
            unreadable: true,
        },
    }
}

fn cell_is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Header-search text of a cell.
fn header_text(cell: &Data) -> String {
    read_cell(cell, None, false).text.unwrap_or_default()
}

/// How many rows of a range to search for the header. calamine's range starts at the first
/// non-empty row, not at row 1: the header must still be among the sheet's first 30 rows
/// (SPEC §3), as it must be among a CSV file's first 30 records.
fn header_search_len(start_row: u32) -> usize {
    HEADER_SEARCH_ROWS.saturating_sub(start_row as usize)
}

type Rs = std::io::BufReader<std::fs::File>;

struct Sheet {
    name: String,
    range: Range<Data>,
}

/// Open the workbook and load every sheet's cells (cached formula values included).
/// Sheets, whether the workbook uses the 1904 date system, sheets that could not be read.
type Loaded = (Vec<Sheet>, bool, Vec<(String, String)>);

fn load(path: &Path, format: Format) -> Result<Loaded, Fatal> {
    let unreadable = |e: String| Fatal::Unreadable {
        reason: explain_open_error(path, format, e),
    };
    macro_rules! sheets_of {
        ($ty:ty, $is_1904:expr) => {{
            let mut wb: $ty =
                open_workbook::<$ty, _>(path).map_err(|e| unreadable(e.to_string()))?;
            let is_1904 = $is_1904(&wb);
            let mut sheets = Vec::new();
            let mut skipped = Vec::new();
            for name in wb.sheet_names() {
                match wb.worksheet_range(&name) {
                    Ok(range) => sheets.push(Sheet { name, range }),
                    Err(e) => skipped.push((name, format!("cannot read the sheet: {e}"))),
                }
            }
            (sheets, is_1904, skipped)
        }};
    }
    let loaded = match format {
        Format::Xlsx => sheets_of!(Xlsx<Rs>, |wb: &Xlsx<Rs>| wb.has_1904_epoch()),
        Format::Xls => sheets_of!(Xls<Rs>, |wb: &Xls<Rs>| wb.has_1904_epoch()),
        Format::Xlsb => sheets_of!(Xlsb<Rs>, |wb: &Xlsb<Rs>| wb.has_1904_epoch()),
        // .ods dates arrive as ISO text; a bare serial counts from LibreOffice's default null
        // date 1899-12-30, which is the 1900 system for every serial after 60.
        Format::Ods => sheets_of!(Ods<Rs>, |_: &Ods<Rs>| false),
        Format::Csv => return Err(unreadable("not a workbook".into())),
    };
    if loaded.0.is_empty() {
        let why = loaded
            .2
            .first()
            .map(|s| s.1.clone())
            .unwrap_or_else(|| "no sheets".into());
        return Err(unreadable(why));
    }
    Ok(loaded)
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
fn explain_open_error(path: &Path, format: Format, err: String) -> String {
    // Only on failure, so reading the whole file again costs nothing on the normal path.
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return "file not found / ファイルがありません".into();
        }
        Err(e) => return format!("cannot read: {e} / ファイルを読めません"),
    };
    let lower = err.to_lowercase();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    match sniff(&bytes) {
        Sniffed::EncryptedOoxml => protected(),
        _ if lower.contains("password") || lower.contains("encrypt") => protected(),
        Sniffed::Ole if format != Format::Xls => format!(
            "this is an Excel 97-2003 workbook (.xls) named .{ext}: rename it to .xls, or save it again as .{ext} / 拡張子が実際の形式 (.xls) と違います"
        ),
        Sniffed::Zip if format == Format::Xls => format!(
            "this is a .xlsx/.xlsb/.ods workbook (a zip) named .{ext}: rename it to its real extension / 拡張子が実際の形式と違います"
        ),
        _ => format!(
            "cannot open the workbook (corrupt, cut short, or not really a .{ext} file): {err} / ブックを開けません"
        ),
    }
}

fn protected() -> String {
    "the workbook is password-protected (encrypted): save an unprotected copy / パスワード保護されたブックは読めません。保護を解除して保存してください".into()
}

pub(super) fn read(
    path: &Path,
    format: Format,
    kind: SourceKind,
    opts: &ReadOptions,
) -> Result<Source, Fatal> {
    let (sheets, is_1904, mut skipped_sheets) = load(path, format)?;
    let aliases = opts.columns.kind(kind);

    // Pass 1: the header of every sheet.
    let mut search = HeaderSearch::default();
    let mut found: Vec<(usize, usize, HeaderMap)> = Vec::new(); // sheet index, header row offset, map
    for (si, sheet) in sheets.iter().enumerate() {
        let start_row = sheet.range.start().map_or(0, |s| s.0);
        let hit = sheet
            .range
            .rows()
            .take(header_search_len(start_row))
            .enumerate()
            .find_map(|(i, row)| {
                let cells: Vec<String> = row.iter().map(header_text).collect();
                search
                    .try_row(
                        &cells,
                        kind,
                        aliases,
                        Some(&sheet.name),
                        start_row + i as u32 + 1,
                    )
                    .map(|m| (i, m))
            });
        match hit {
            Some((i, map)) => found.push((si, i, map)),
            None if sheet.range.is_empty() => {
                skipped_sheets.push((sheet.name.clone(), "empty sheet".into()))
            }
            None => skipped_sheets.push((
                sheet.name.clone(),
                "no header row in the first 30 rows".into(),
            )),
        }
    }
    if found.is_empty() {
        return Err(search.into_fatal(kind, aliases));
    }

    // Pass 2: the data rows of every sheet with a header.
    let mut present: Vec<Field> = found
        .iter()
        .flat_map(|f| f.2.mapped.iter().map(|m| m.0))
        .collect();
    present.sort();
    present.dedup();
    let capacity = found
        .iter()
        .map(|(si, i, _)| sheets[*si].range.height().saturating_sub(i + 1))
        .sum();
    let mut frame = FrameBuilder::new(present.clone(), capacity);
    let mut issues = Vec::new();
    let mut unreadable = HashSet::new();
    let mut tables = Vec::new();
    for (ti, (si, header_offset, map)) in found.into_iter().enumerate() {
        let sheet = &sheets[si];
        let (start_row, start_col) = sheet.range.start().unwrap_or((0, 0));
        // Slot in the frame → column of this sheet (None: this sheet lacks the field).
        let columns: Vec<Option<usize>> = present
            .iter()
            .map(|f| map.mapped.iter().find(|m| m.0 == *f).map(|m| m.1))
            .collect();
        let mut rows = 0usize;
        let mut blank_rows = 0usize;
        for (i, row) in sheet.range.rows().enumerate().skip(header_offset + 1) {
            if row.iter().all(cell_is_blank) {
                blank_rows += 1;
                continue;
            }
            let index = frame.next_index();
            frame.start_row(start_row + i as u32 + 1, ti as u32);
            rows += 1;
            for (slot, col) in columns.iter().enumerate() {
                let field = present[slot];
                let Some(cell) = col.and_then(|c| row.get(c)) else {
                    frame.push(slot, None);
                    continue;
                };
                // 外字 typed in Excel is stored as its Private Use code point, as CP932's
                // user-defined bytes decode to it: IN008 as in a CSV file. (Those code points
                // start with byte 0xEE in UTF-8, which rules out most cells without decoding.)
                if let Data::String(s) = cell
                    && s.as_bytes().contains(&0xEE)
                    && let Some(ch) = s.chars().find(|c| is_gaiji(*c))
                {
                    issues.push(Issue {
                        kind: IssueKind::Gaiji { ch },
                        row: Some(index),
                        field: Some(field),
                    });
                }
                let read = match cell {
                    Data::String(s) if format == Format::Ods && is_ods_error_text(s) => {
                        error_cell(s.trim())
                    }
                    // Text, most cells, goes to the frame as it is (read_cell would copy it).
                    Data::String(s) => {
                        frame.push(slot, Some(s));
                        continue;
                    }
                    _ => read_cell(cell, Some(field), is_1904),
                };
                frame.push(slot, read.text.as_deref());
                if read.unreadable {
                    unreadable.insert((index, field));
                }
                if let Some(kind) = read.issue {
                    issues.push(Issue {
                        kind,
                        row: Some(index),
                        field: Some(field),
                    });
                }
            }
            // Error cells in unmapped columns are not values of any field: nothing to report.
        }
        if rows == 0 {
            issues.push(Issue {
                kind: IssueKind::NoRows {
                    sheet: Some(sheet.name.clone()),
                },
                row: None,
                field: None,
            });
        }
        let header_row = start_row + header_offset as u32 + 1;
        // Column indexes in the table are absolute (A = 0) so `Sheet!B12` labels are right.
        let shift = start_col as usize;
        tables.push(Table {
            sheet: Some(sheet.name.clone()),
            header_row,
            mapped: map
                .mapped
                .iter()
                .map(|(f, c, h)| (*f, c + shift, h.clone()))
                .collect(),
            unmapped: map
                .unmapped
                .iter()
                .map(|(c, h)| (c + shift, h.clone()))
                .collect(),
            width: sheet.range.width(),
            rows,
            blank_rows,
        });
    }
    let (raw, fields) = frame.finish(&present).map_err(|e| Fatal::Unreadable {
        reason: e.to_string(),
    })?;
    Ok(Source {
        path: PathBuf::new(),
        kind,
        format,
        encoding: None,
        tables,
        skipped_sheets,
        raw,
        fields,
        unreadable,
        text: None,
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
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    fn text(cell: Data, field: Field) -> (Option<String>, Option<IssueKind>, bool) {
        let r = read_cell(&cell, Some(field), false);
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
        let r = read_cell(&Data::Float(0.0), Some(Field::BirthDate), true);
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
        read(&path, format, SourceKind::Employer, &opts).expect("readable")
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
        assert_eq!(src.cell(0, Field::BirthDate), Some("1954-08-01"));
        assert_eq!(src.cell(1, Field::BirthDate), Some("1954-08-01"));
        assert_eq!(src.cell(1, Field::AcquiredOn), Some("2024-02-29"));
    }

    #[test]
    fn the_header_is_searched_in_the_sheet_s_first_30_rows_even_when_rows_above_are_empty() {
        // calamine's range of a sheet whose first cell is on row 31 starts at index 30.
        let mut range = Range::new((30, 0), (31, 0));
        range.set_value((30, 0), Data::String("記号".into()));
        let start = range.start().map_or(0, |s| s.0);
        assert_eq!(start, 30);
        assert_eq!(range.rows().take(header_search_len(start)).count(), 0);
        assert_eq!(header_search_len(29), 1, "row 30 is still searched");
        assert_eq!(header_search_len(0), 30);
        assert_eq!(header_search_len(100), 0);
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
