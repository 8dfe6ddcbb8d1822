//! Employer workbooks, one company each, in the two ways funds receive them:
//!
//! - [`SharedBook`]: as Excel and LibreOffice save them — text in the shared-string table,
//!   dates as date cells formatted `yyyy/m/d` (rust_xlsxwriter, not in constant_memory mode,
//!   which would write inline strings).
//! - [`InlineBook`]: as openpyxl (and pandas through it) writes them — every text cell an
//!   inline string (`t="inlineStr"`), dates as datetime cells formatted `yyyy-mm-dd h:mm:ss`,
//!   numbers `t="n"`, the parts openpyxl writes in the order it writes them (no theme). Our own
//!   streaming writer over the zip crate: rust_xlsxwriter cannot write this, and the sheet
//!   never sits in memory.
//!
//! Both hold the same cells: the same title row, header and values.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as XFormat, Workbook, XlsxError};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::EmployerFile;
use super::csv::{EMPLOYER_HEADER, employer_title};
use super::members::Bm;

/// One employer row's cells, in header order, whoever writes them.
enum Cell {
    Text(String),
    Date(NaiveDate),
    Number(f64),
    Empty,
}

fn cells(m: &Bm) -> [Cell; 15] {
    let (name, kana) = m.name();
    let mn = m.my_number_text();
    let insured = m.rel == 0;
    let postal = m.postal_code();
    [
        Cell::Text(m.symbol().to_string()),
        Cell::Text(m.number.to_string()),
        Cell::Text(format!("{:02}", m.branch)),
        Cell::Text(name),
        Cell::Text(kana),
        Cell::Date(m.birth),
        Cell::Text(m.sex_code().into()),
        Cell::Text(m.relationship().into()),
        Cell::Text(m.company_code()),
        if mn.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(mn)
        },
        match (insured, m.numeric_postal) {
            (false, _) => Cell::Empty,
            // A 郵便番号 typed as a number (IN004); the sprinkle's only workbook problem.
            (true, true) => Cell::Number(postal.parse().unwrap_or(0.0)),
            (true, false) => Cell::Text(postal.into()),
        },
        if insured {
            Cell::Text(m.address())
        } else {
            Cell::Empty
        },
        if insured {
            Cell::Date(m.acquired)
        } else {
            Cell::Empty
        },
        m.left_on().map_or(Cell::Empty, Cell::Date),
        Cell::Text("0".into()),
    ]
}

/// A shared-string workbook (rust_xlsxwriter), built in memory and saved by `finish`.
pub struct SharedBook {
    wb: Workbook,
    date_fmt: XFormat,
    row: u32,
    path: String,
}

impl SharedBook {
    pub fn create(path: &Path, company: u16) -> Result<Self, String> {
        let mut book = SharedBook {
            wb: Workbook::new(),
            date_fmt: XFormat::new().set_num_format("yyyy/m/d"),
            row: 0,
            path: path.display().to_string(),
        };
        let created = ExcelDateTime::from_ymd(2026, 10, 26).map_err(|e| book.err(e))?;
        book.wb.set_properties(
            &DocProperties::new()
                .set_author("shikaku-bench")
                .set_creation_datetime(&created),
        );
        book.wb.add_worksheet();
        let title = [Cell::Text(employer_title(company))];
        book.write_row(&title)?;
        let header = EMPLOYER_HEADER.map(|h| Cell::Text(h.into()));
        book.write_row(&header)?;
        Ok(book)
    }

    fn err(&self, e: XlsxError) -> String {
        format!("{}: {e}", self.path)
    }

    fn write_row(&mut self, cells: &[Cell]) -> Result<(), String> {
        let r = self.row;
        let path = &self.path;
        let err = |e: XlsxError| format!("{path}: {e}");
        let ws = self.wb.worksheet_from_index(0).map_err(err)?;
        let result = cells.iter().enumerate().try_for_each(|(c, cell)| {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                Cell::Number(n) => ws.write_number(r, c, *n).map(|_| ()),
                Cell::Date(d) => {
                    let dt =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(r, c, &dt, &self.date_fmt)
                        .map(|_| ())
                }
                Cell::Empty => Ok(()),
            }
        });
        result.map_err(err)?;
        self.row += 1;
        Ok(())
    }
}

impl EmployerFile for SharedBook {
    fn row(&mut self, m: &Bm) -> Result<(), String> {
        self.write_row(&cells(m))
    }

    fn finish(mut self: Box<Self>) -> Result<u64, String> {
        self.wb.save(&self.path).map_err(|e| self.err(e))?;
        Ok(self.row as u64 - 2)
    }
}

/// An openpyxl-style workbook, streamed: the sheet XML goes to the zip as rows come.
pub struct InlineBook {
    zip: ZipWriter<BufWriter<File>>,
    row: u32,
    rows: u32,
    xml: String,
    path: String,
}

/// Parts openpyxl writes before the sheet.
const APP_XML: &str = r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel Compatible / Openpyxl 3.1.5</Application><AppVersion>3.1</AppVersion></Properties>"#;
const CORE_XML: &str = r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>openpyxl</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2026-10-26T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2026-10-26T00:00:00Z</dcterms:modified></cp:coreProperties>"#;
/// Parts openpyxl writes after the sheet. Style 1 is openpyxl's datetime format.
const STYLES_XML: &str = r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd h:mm:ss" /></numFmts><fonts count="1"><font><name val="Calibri" /><family val="2" /><sz val="11" /><scheme val="minor" /></font></fonts><fills count="2"><fill><patternFill /></fill><fill><patternFill patternType="gray125" /></fill></fills><borders count="1"><border><left /><right /><top /><bottom /><diagonal /></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" /></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" pivotButton="0" quotePrefix="0" xfId="0" /><xf numFmtId="164" fontId="0" fillId="0" borderId="0" pivotButton="0" quotePrefix="0" xfId="0" /></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0" hidden="0" /></cellStyles><tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16" /></styleSheet>"#;
const ROOT_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml" Id="rId1" /><Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml" Id="rId2" /><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml" Id="rId3" /></Relationships>"#;
/// pandas' default sheet name, which is also what rust_xlsxwriter names the shared-string one.
const WORKBOOK_XML: &str = r#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><workbookPr /><workbookProtection /><bookViews><workbookView visibility="visible" minimized="0" showHorizontalScroll="1" showVerticalScroll="1" showSheetTabs="1" tabRatio="600" firstSheet="0" activeTab="0" autoFilterDateGrouping="1" /></bookViews><sheets><sheet name="Sheet1" sheetId="1" state="visible" r:id="rId1" /></sheets><definedNames /><calcPr calcId="124519" fullCalcOnLoad="1" /></workbook>"#;
const WORKBOOK_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml" Id="rId1" /><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml" Id="rId2" /></Relationships>"#;
const CONTENT_TYPES: &str = r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" /><Default Extension="xml" ContentType="application/xml" /><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml" /><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml" /><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml" /><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml" /><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml" /></Types>"#;

/// Column letters of the 15 employer columns.
const COLUMNS: &[u8; 15] = b"ABCDEFGHIJKLMNO";

/// Excel's 1900-system serial of a date (after 1900-02-28, where the systems agree).
fn serial(d: NaiveDate) -> i64 {
    (d - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()).num_days()
}

/// XML text content: the five markup characters escaped.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

impl InlineBook {
    /// `rows`: the data rows that will follow (openpyxl writes the dimension first).
    pub fn create(path: &Path, company: u16, rows: u32) -> Result<Self, String> {
        let f = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut book = InlineBook {
            zip: ZipWriter::new(BufWriter::with_capacity(1 << 16, f)),
            row: 0,
            rows,
            xml: String::with_capacity(4096),
            path: path.display().to_string(),
        };
        book.part("docProps/app.xml", APP_XML)?;
        book.part("docProps/core.xml", CORE_XML)?;
        book.start("xl/worksheets/sheet1.xml")?;
        let _ = write!(
            book.xml,
            r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetPr><outlinePr summaryBelow="1" summaryRight="1" /><pageSetUpPr /></sheetPr><dimension ref="A1:O{}" /><sheetViews><sheetView workbookViewId="0"><selection activeCell="A1" sqref="A1" /></sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15" /><sheetData>"#,
            rows + 2
        );
        book.write_row(&[Cell::Text(employer_title(company))])?;
        book.write_row(&EMPLOYER_HEADER.map(|h| Cell::Text(h.into())))?;
        Ok(book)
    }

    fn options() -> SimpleFileOptions {
        // A fixed time stamp, so the same data gives the same bytes.
        let time = zip::DateTime::from_date_and_time(2026, 10, 26, 0, 0, 0).unwrap_or_default();
        SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(time)
    }

    fn start(&mut self, name: &str) -> Result<(), String> {
        self.zip
            .start_file(name, Self::options())
            .map_err(|e| format!("{}: {e}", self.path))
    }

    fn part(&mut self, name: &str, text: &str) -> Result<(), String> {
        self.start(name)?;
        self.zip
            .write_all(text.as_bytes())
            .map_err(|e| format!("{}: {e}", self.path))
    }

    fn flush_xml(&mut self) -> Result<(), String> {
        self.zip
            .write_all(self.xml.as_bytes())
            .map_err(|e| format!("{}: {e}", self.path))?;
        self.xml.clear();
        Ok(())
    }

    fn write_row(&mut self, cells: &[Cell]) -> Result<(), String> {
        self.row += 1;
        let r = self.row;
        let x = &mut self.xml;
        let _ = write!(x, r#"<row r="{r}">"#);
        for (c, cell) in cells.iter().enumerate() {
            let col = COLUMNS[c] as char;
            match cell {
                Cell::Text(s) => {
                    let edge = |c: Option<char>| c.is_some_and(char::is_whitespace);
                    let space = if edge(s.chars().next()) || edge(s.chars().last()) {
                        r#" xml:space="preserve""#
                    } else {
                        ""
                    };
                    let _ = write!(x, r#"<c r="{col}{r}" t="inlineStr"><is><t{space}>"#);
                    escape_into(x, s);
                    x.push_str("</t></is></c>");
                }
                Cell::Date(d) => {
                    let _ = write!(
                        x,
                        r#"<c r="{col}{r}" s="1" t="n"><v>{}</v></c>"#,
                        serial(*d)
                    );
                }
                Cell::Number(n) => {
                    let _ = write!(x, r#"<c r="{col}{r}" t="n"><v>{n}</v></c>"#);
                }
                Cell::Empty => {}
            }
        }
        x.push_str("</row>");
        if self.xml.len() >= 1 << 15 {
            self.flush_xml()?;
        }
        Ok(())
    }
}

impl EmployerFile for InlineBook {
    fn row(&mut self, m: &Bm) -> Result<(), String> {
        self.write_row(&cells(m))
    }

    /// Close the sheet and write the remaining parts.
    fn finish(mut self: Box<Self>) -> Result<u64, String> {
        let data_rows = self.row - 2;
        if data_rows != self.rows {
            return Err(format!(
                "{}: {data_rows} rows written, {} announced",
                self.path, self.rows
            ));
        }
        self.xml.push_str(r#"</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5" /></worksheet>"#);
        self.flush_xml()?;
        self.part("xl/styles.xml", STYLES_XML)?;
        self.part("_rels/.rels", ROOT_RELS)?;
        self.part("xl/workbook.xml", WORKBOOK_XML)?;
        self.part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)?;
        self.part("[Content_Types].xml", CONTENT_TYPES)?;
        let mut out = self
            .zip
            .finish()
            .map_err(|e| format!("{}: {e}", self.path))?;
        out.flush().map_err(|e| format!("{}: {e}", self.path))?;
        Ok(data_rows as u64)
    }
}
