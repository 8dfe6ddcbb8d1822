//! Files → decoded text → a polars frame of raw text columns, with provenance.
//!
//! Every value keeps where it came from: the file, the sheet, the spreadsheet row (or the CSV
//! record number) and, for text files, its byte span in the decoded text, so a finding can
//! underline the exact cell. Nothing here interprets values: every column is text, exactly as
//! read (no type inference — a postal code must never become an integer). What goes wrong while
//! reading is recorded as an [`Issue`] and the read goes on; only a file that cannot be read
//! at all, or lacks a required column, is [`FatalInput`].

pub mod columns;
pub mod csv;
pub mod encoding;
pub mod excel;
mod fatal;
pub mod guard;
mod odscheck;
mod sheet;
mod xlscheck;
mod zipcheck;

use crate::config::Columns;
use crate::field::{Field, SourceKind};
use encoding::InputEncoding;
use polars::prelude::*;
use polars_arrow::array::{Utf8ViewArray, View};
use polars_arrow::bitmap::MutableBitmap;
use polars_buffer::Buffer;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Xls,
    Xlsb,
    Ods,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" | "tsv" => Some(Format::Csv),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "xls" => Some(Format::Xls),
            "xlsb" => Some(Format::Xlsb),
            "ods" => Some(Format::Ods),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Xlsb => "xlsb",
            Format::Ods => "ods",
        }
    }
}

/// One header-mapped table: a CSV file, or one sheet of a workbook.
#[derive(Clone, Debug)]
pub struct Table {
    pub sheet: Option<String>,
    /// Spreadsheet row / CSV record number of the header.
    pub header_row: u32,
    /// Mapped columns: field, 0-based column index, header text as written.
    pub mapped: Vec<(Field, usize, String)>,
    /// Header cells that map to no field (0-based column index, text).
    pub unmapped: Vec<(usize, String)>,
    /// Number of header cells (CSV: the record width every data row must have).
    pub width: usize,
    /// Data rows read from this table.
    pub rows: usize,
    /// Fully blank rows skipped (not data rows).
    pub blank_rows: usize,
}

impl Table {
    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.mapped.iter().find(|m| m.0 == field).map(|m| m.1)
    }
}

/// Something noticed while reading; `checks::input` turns these into findings.
#[derive(Clone, Debug, PartialEq)]
pub enum IssueKind {
    /// IN001: bytes not valid in the file's encoding.
    Undecodable { byte_offset: usize },
    /// IN002: a record with the wrong number of fields (or an unterminated quote).
    Ragged {
        expected: usize,
        found: usize,
        unterminated: bool,
    },
    /// IN004: an Excel numeric cell in a code-like field, read back as this text.
    NumericCode { number: String, text: String },
    /// IN005: an Excel error cell.
    ErrorCell { text: String },
    /// IN007: a header and no data rows.
    NoRows { sheet: Option<String> },
    /// IN008: a CP932 user-defined character.
    Gaiji { ch: char },
    /// BD002: a serial number in a date field that names no real day (60 in the 1900 system).
    BadSerial { serial: String },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Issue {
    pub kind: IssueKind,
    /// Data-row index in the source frame; None for file-level issues.
    pub row: Option<u32>,
    pub field: Option<Field>,
}

/// Why a file could not be used at all (exit code 2).
#[derive(Clone, Debug, PartialEq)]
pub enum Fatal {
    /// IN003: no header row maps every required field.
    MissingColumns {
        missing: Vec<Field>,
        /// The aliases tried for each missing field.
        tried: Vec<(Field, Vec<String>)>,
        /// Where the best candidate header was (sheet, row).
        best: Option<(Option<String>, u32)>,
    },
    /// Unreadable, corrupt, password-protected, or not a supported format.
    Unreadable { reason: String },
}

#[derive(Clone, Debug, PartialEq)]
pub struct FatalInput {
    pub path: PathBuf,
    pub kind: SourceKind,
    pub fatal: Fatal,
}

/// A read source file. It is the one door to the file's raw text: [`Source::cell`] and, for
/// a text file, [`Source::record`] and [`Source::record_fields`] for rendering. Once the source is
/// typed ([`Source::seal`]), a full 個人番号 is no longer in it (a CSV's text has its digits
/// masked but the last 4; a workbook's column is replaced), and `Debug` prints no cell.
pub struct Source {
    pub path: PathBuf,
    pub kind: SourceKind,
    pub format: Format,
    /// CSV only: the encoding used.
    pub encoding: Option<&'static str>,
    pub tables: Vec<Table>,
    /// Sheets without a header row, with the reason (shown by `inspect`).
    pub skipped_sheets: Vec<(String, String)>,
    /// Fields mapped in at least one table, in `Field` order.
    pub fields: Vec<Field>,
    /// Cells whose value could not be read (undecodable bytes, Excel error cells, bad serials):
    /// their text is not a value, and a key cell among them rejects the row.
    pub unreadable: HashSet<(u32, Field)>,
    pub issues: Vec<Issue>,
    /// A workbook's cells: one text column per field present, named by `Field::key` (empty for
    /// a CSV, whose cells are `csv_cells` spans of `text`).
    raw: DataFrame,
    /// Per data row: the spreadsheet row or CSV record number, and the table it is in.
    row_numbers: Vec<u32>,
    row_tables: Vec<u32>,
    /// CSV: each field's cells as spans of `text`, until they are typed.
    csv_cells: Vec<(Field, Vec<PackedSpan>)>,
    /// CSV: the decoded text and each data row's record span in it.
    text: Option<Arc<String>>,
    /// CSV: the text once masked, shared with the text columns read out of it (one holder of
    /// the text for the source and its frame: see [`Source::share_text`]).
    shared: Option<Buffer<u8>>,
    row_spans: Vec<(u32, u32)>,
}

/// A column with one value in every row — 保険者番号 throughout a file, 会社コード and
/// 被保険者区分 throughout a workbook, an evaluation date, a field no row fills — as one
/// scalar, not a value a row (a typed frame's columns, and a workbook's cells once typed): a
/// string is 16 bytes a row however short. Booleans are a bit a row and stay as they are; so
/// does a column of one row, or of any null beside values.
pub fn one_valued(column: Column) -> Column {
    let n = column.len();
    if n < 2 || matches!(column, Column::Scalar(_)) || column.dtype() == &DataType::Boolean {
        return column;
    }
    let s = column.as_materialized_series();
    let one = match s.null_count() {
        nulls if nulls == n => true,
        0 => {
            let first = s.slice(0, 1);
            // The last row first: most columns differ there, and are not compared through.
            s.get(n - 1).ok() == first.get(0).ok() && s.equal(&first).is_ok_and(|eq| eq.all())
        }
        _ => false,
    };
    if !one {
        return column;
    }
    let value = s.get(0).map_or(AnyValue::Null, AnyValue::into_static);
    Column::new_scalar(
        column.name().clone(),
        Scalar::new(s.dtype().clone(), value),
        n,
    )
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No cell, no text: a debug print must never show a member's data.
        f.debug_struct("Source")
            .field("path", &self.path)
            .field("kind", &self.kind)
            .field("format", &self.format)
            .field("rows", &self.rows())
            .field("fields", &self.fields)
            .field("issues", &self.issues.len())
            .finish_non_exhaustive()
    }
}

impl Source {
    pub fn rows(&self) -> usize {
        self.row_numbers.len()
    }

    pub fn has(&self, field: Field) -> bool {
        self.fields.contains(&field)
    }

    /// The raw text of one cell, as read (a 個人番号 masked but its last 4 once typed).
    pub fn cell(&self, row: u32, field: Field) -> Option<std::borrow::Cow<'_, str>> {
        if let Ok(col) = self.raw.column(field.key()) {
            // A scalar's value is read as it is: `str()` would materialize the column.
            if let Column::Scalar(one) = col {
                return (row < one.len() as u32)
                    .then(|| one.scalar().value().extract_str())
                    .flatten()
                    .map(std::borrow::Cow::Borrowed);
            }
            return col
                .str()
                .ok()?
                .get(row as usize)
                .map(std::borrow::Cow::Borrowed);
        }
        let (record, span) = self.csv_field(row, field)?;
        let value = csv::field_value(record, &span);
        (!value.is_empty()).then_some(value)
    }

    /// Whether a workbook's cells of a field are held as one value (tests).
    #[cfg(test)]
    pub(crate) fn cells_are_one_value(&self, field: Field) -> bool {
        matches!(self.raw.column(field.key()), Ok(Column::Scalar(_)))
    }

    /// A CSV data row's record, as decoded (None for a workbook).
    pub fn record(&self, row: u32) -> Option<&str> {
        let (start, end) = *self.row_spans.get(row as usize)?;
        self.text.as_deref()?.get(start as usize..end as usize)
    }

    /// A CSV data row's record and the span of each of its fields in it (for rendering).
    pub fn record_fields(&self, row: u32) -> Option<(&str, Vec<csv::FieldSpan>)> {
        let record = self.record(row)?;
        let mut spans = Vec::new();
        csv::Records::new(record).next_into(&mut spans);
        Some((record, spans))
    }

    fn csv_field(&self, row: u32, field: Field) -> Option<(&str, csv::FieldSpan)> {
        let column = self.table_of(row)?.column_of(field)?;
        let (record, spans) = self.record_fields(row)?;
        let span = *spans.get(column)?;
        Some((record, span))
    }

    /// The spreadsheet row / CSV record number of a data row.
    pub fn row_number(&self, row: u32) -> Option<u32> {
        self.row_numbers.get(row as usize).copied()
    }

    pub fn table_of(&self, row: u32) -> Option<&Table> {
        let t = self.row_tables.get(row as usize)?;
        self.tables.get(*t as usize)
    }

    pub fn display_path(&self) -> String {
        self.path.display().to_string()
    }

    /// A field's raw text column, for typing it (`prepare`).
    pub(crate) fn raw_column(&self, field: Field) -> Option<&StringChunked> {
        self.raw.column(field.key()).ok()?.str().ok()
    }

    /// Every field's raw text column (in [`Field::ALL`] order), for typing them. A CSV gives
    /// its columns up (its cells are read from its text from now on), so each is freed as soon
    /// as its field is typed; a workbook keeps its own, the cells' only copy, and lends them.
    pub(crate) fn take_raw_columns(&mut self) -> Vec<Option<RawColumn>> {
        let mut spans = std::mem::take(&mut self.csv_cells);
        // The 個人番号 spans stay, to mask the text by ([`Source::share_text`]).
        if let Some((_, mn)) = spans.iter().find(|(f, _)| *f == Field::MyNumber) {
            self.csv_cells.push((Field::MyNumber, mn.clone()));
        }
        Field::ALL
            .iter()
            .map(|f| match spans.iter().position(|(g, _)| g == f) {
                Some(i) => Some(RawColumn::Spans(std::mem::take(&mut spans[i].1))),
                None => self.raw_column(*f).cloned().map(RawColumn::Read),
            })
            .collect()
    }

    /// A field's raw text as a column (a CSV's spans read out of its text). Once the text is
    /// shared ([`Source::share_text`]) a cell is a view into it, not a copy: a name or an
    /// address costs its 16-byte view and nothing more.
    pub(crate) fn read_column(&self, field: Field, raw: RawColumn) -> StringChunked {
        match raw {
            RawColumn::Read(column) => column,
            RawColumn::Spans(spans) => {
                let text = self.text.as_deref().map_or("", String::as_str);
                if let Some(shared) = &self.shared
                    && let Some(column) = text_column(field, &spans, text, shared)
                {
                    return column;
                }
                let mut b = StringChunkedBuilder::new(field.key().into(), spans.len());
                for span in spans {
                    match span.get().map(|f| csv::field_value(text, &f)) {
                        Some(v) if !v.is_empty() => b.append_value(v.as_ref()),
                        _ => b.append_null(),
                    }
                }
                b.finish()
            }
        }
    }

    /// A CSV's text, its 個人番号 masked, is shared with the columns read out of it from now on
    /// ([`Source::read_column`]). The 個人番号 column must be read before: the text keeps only
    /// the last 4 digits of each number.
    pub(crate) fn share_text(&mut self) {
        if self.text.is_none() {
            return;
        }
        if self.has(Field::MyNumber) {
            self.mask_my_numbers_in_text();
        }
        self.shared = self
            .text
            .as_ref()
            .map(|t| Buffer::from_owner(SharedText(Arc::clone(t))));
    }

    /// The source is typed: a full 個人番号 leaves it (a CSV's text keeps only its last 4
    /// digits, masked by [`Source::share_text`]; a workbook's column becomes the same masked
    /// text). A CSV has no raw columns by then: prepare took its cell spans, and its cells are
    /// read from its text.
    pub(crate) fn seal(&mut self) {
        if self.text.is_some() {
            if self.shared.is_none() {
                self.share_text();
            }
        } else if let Some(col) = self.raw_column(Field::MyNumber) {
            let hidden: StringChunked = col
                .iter()
                .map(|v| v.map(crate::domain::my_number::hide_all_but_last4))
                .collect();
            let hidden = hidden.with_name(Field::MyNumber.key().into());
            let _ = self.raw.with_column(hidden.into_series().into());
        }
        // Typed now: a workbook's column of one value (会社コード, 保険者番号) is kept as one.
        let height = self.raw.height();
        let columns = std::mem::take(&mut self.raw)
            .into_columns()
            .into_iter()
            .map(one_valued)
            .collect();
        self.raw = DataFrame::new(height, columns).unwrap_or_default();
    }

    /// Hide the 個人番号 cells of a CSV's text, each at its span (kept by
    /// [`Source::take_raw_columns`]), in place: a hidden cell is as long as the number, so no
    /// other span moves and the text is not validated again.
    fn mask_my_numbers_in_text(&mut self) {
        let Some(i) = self
            .csv_cells
            .iter()
            .position(|(f, _)| *f == Field::MyNumber)
        else {
            return;
        };
        let (_, spans) = self.csv_cells.swap_remove(i);
        let Some(text) = self.text.take() else { return };
        // Not shared yet (share_text masks first), so this takes the text without a copy.
        let mut text = Arc::unwrap_or_clone(text);
        let mut cell = Vec::new();
        for span in spans.iter().filter_map(|s| s.get()) {
            // A span starts and ends at a delimiter, so on a character; were it not, the span
            // is widened to whole characters (more is hidden, never less).
            let (mut start, mut end) = (span.start.min(text.len()), span.end.min(text.len()));
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            while !text.is_char_boundary(end) {
                end += 1;
            }
            cell.clear();
            cell.extend_from_slice(&text.as_bytes()[start..end]);
            crate::domain::my_number::hide_in_place(&mut cell);
            // Only ASCII digits became '*' and full-width digits '＊' (same UTF-8 length).
            match std::str::from_utf8(&cell) {
                Ok(hidden) => text.replace_range(start..end, hidden),
                Err(_) => text.replace_range(start..end, &"*".repeat(end - start)),
            }
        }
        self.text = Some(Arc::new(text));
    }
}

/// A CSV's text as the bytes of a polars buffer.
struct SharedText(Arc<String>);

impl AsRef<[u8]> for SharedText {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// A field's cells as views into the shared text (a cell with `""` escapes, unescaped, in a
/// second buffer of its own). None when the text is too long for a view's offsets (4 GiB).
fn text_column(
    field: Field,
    spans: &[PackedSpan],
    text: &str,
    shared: &Buffer<u8>,
) -> Option<StringChunked> {
    // The views below are of `text`: `shared` must hold those very bytes.
    if shared.as_slice().as_ptr() != text.as_ptr() || shared.len() != text.len() {
        return None;
    }
    let offset = |at: usize| u32::try_from(at).ok();
    let mut views = Vec::with_capacity(spans.len());
    let mut valid = MutableBitmap::with_capacity(spans.len());
    let mut unescaped: Vec<u8> = Vec::new();
    for span in spans {
        let view = match span.get() {
            Some(f) if f.escaped => {
                let value = csv::field_value(text, &f);
                let at = offset(unescaped.len())?;
                unescaped.extend_from_slice(value.as_bytes());
                (!value.is_empty()).then(|| View::new_from_bytes(value.as_bytes(), 1, at))
            }
            Some(f) => {
                // On characters (a span ends at delimiters); were it not, the column is read
                // the slow way, by the caller.
                let value = text.get(f.start..f.end)?.as_bytes();
                let at = offset(f.start)?;
                (!value.is_empty()).then(|| View::new_from_bytes(value, 0, at))
            }
            None => None,
        };
        valid.push(view.is_some());
        views.push(view.unwrap_or_default());
    }
    let total = shared.len() + unescaped.len();
    let buffers: Vec<Buffer<u8>> = vec![shared.clone(), Buffer::from(unescaped)];
    // SAFETY: every view is of a `&str` (a whole-character slice of the text, which `shared`
    // holds, at its offset in it; or an unescaped value at its offset in the second buffer),
    // so the data is valid UTF-8 and the offsets match the buffers. Checking them again
    // (`try_new`) was a tenth of typing a CSV's text columns.
    let array = unsafe {
        Utf8ViewArray::new_unchecked_unknown_md(
            ArrowDataType::Utf8View,
            Buffer::from(views),
            Buffer::from(buffers),
            Some(valid.into()),
            Some(total),
        )
    };
    Some(StringChunked::with_chunk(field.key().into(), array))
}

/// A field's raw text before it is typed: a workbook's read column, or a CSV's cell spans.
pub(crate) enum RawColumn {
    Read(StringChunked),
    Spans(Vec<PackedSpan>),
}

/// A CSV cell as a span of the source's text in 8 bytes (a text column would copy the cell):
/// start (32 bits), length (31) and whether `""` escapes are to be undone (1). An empty cell
/// or a field the record lacks is [`PackedSpan::NONE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PackedSpan(u64);

impl PackedSpan {
    pub const NONE: PackedSpan = PackedSpan(u64::MAX);

    /// The span of a field (the text is under 4 GiB, checked when it is read).
    pub fn new(f: &csv::FieldSpan) -> PackedSpan {
        if f.start >= f.end {
            return PackedSpan::NONE;
        }
        let (start, len) = (f.start as u64, (f.end - f.start) as u64);
        PackedSpan(start << 32 | (len & 0x7FFF_FFFF) << 1 | u64::from(f.escaped))
    }

    pub fn get(self) -> Option<csv::FieldSpan> {
        if self == PackedSpan::NONE {
            return None;
        }
        let start = (self.0 >> 32) as usize;
        let len = ((self.0 >> 1) & 0x7FFF_FFFF) as usize;
        Some(csv::FieldSpan {
            start,
            end: start + len,
            escaped: self.0 & 1 == 1,
        })
    }
}

/// How to read: the config's header aliases and the encoding override.
pub struct ReadOptions<'a> {
    pub columns: &'a Columns,
    pub input_encoding: InputEncoding,
}

/// Read one file of a given kind.
pub fn read(path: &Path, kind: SourceKind, opts: &ReadOptions) -> Result<Source, FatalInput> {
    let fatal = |f: Fatal| FatalInput {
        path: path.to_path_buf(),
        kind,
        fatal: f,
    };
    let format = Format::from_path(path).ok_or_else(|| fatal(unsupported()))?;
    let bytes = file_bytes(path, format).map_err(fatal)?;
    read_bytes(path, format, bytes, kind, opts)
}

fn unsupported() -> Fatal {
    Fatal::Unreadable {
        reason: crate::tr!(
            "対応していない形式です（.csv、.xlsx、.xls、.xlsb、.ods のいずれか）",
            "unsupported file type: expected .csv, .xlsx, .xls, .xlsb or .ods"
        ),
    }
}

/// A file's bytes. A workbook is read into memory whole, so its size is bounded first.
fn file_bytes(path: &Path, format: Format) -> Result<Vec<u8>, Fatal> {
    let unreadable = |reason: String| Fatal::Unreadable { reason };
    let cannot = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => {
            unreadable(crate::tr!("ファイルがありません", "file not found"))
        }
        _ => {
            let why = crate::i18n::io_reason(&e);
            unreadable(crate::tr!(
                "ファイルを読めません：{why}",
                "cannot read: {why}"
            ))
        }
    };
    if format != Format::Csv {
        let size = std::fs::metadata(path).map_err(cannot)?.len();
        if size > guard::MAX_WORKBOOK_BYTES {
            let (mib, max) = (guard::count(size >> 20), guard::MAX_WORKBOOK_BYTES >> 20);
            return Err(unreadable(guard::too_large(
                &format!("ファイルが {mib} MiB あります（上限 {max} MiB）"),
                &format!("the file is {mib} MiB (at most {max} MiB)"),
            )));
        }
    }
    std::fs::read(path).map_err(cannot)
}

/// Read a file's bytes, already in memory, as `format` (what [`read`] does once it has them;
/// the fuzz targets call it directly). `path` names the file in messages and provenance.
pub fn read_bytes(
    path: &Path,
    format: Format,
    bytes: Vec<u8>,
    kind: SourceKind,
    opts: &ReadOptions,
) -> Result<Source, FatalInput> {
    let result = match format {
        Format::Csv => match excel::workbook_named_as_text(&bytes) {
            Some(reason) => Err(Fatal::Unreadable { reason }),
            None => csv::read(bytes, kind, opts),
        },
        _ => excel::read(path, &bytes, format, kind, opts),
    };
    result
        .map_err(|f| FatalInput {
            path: path.to_path_buf(),
            kind,
            fatal: f,
        })
        .map(|mut parts| {
            parts.path = path.to_path_buf();
            parts
        })
}

/// What [`FrameBuilder::finish`] gives.
pub(crate) struct Cells {
    pub frame: DataFrame,
    pub fields: Vec<Field>,
    pub row_numbers: Vec<u32>,
    pub row_tables: Vec<u32>,
}

/// Accumulates raw text columns for every field a kind allows; the fields no table mapped are
/// dropped at the end.
pub(crate) struct FrameBuilder {
    fields: Vec<Field>,
    builders: Vec<StringChunkedBuilder>,
    rows: Vec<u32>,
    tables: Vec<u32>,
}

impl FrameBuilder {
    pub fn new(fields: Vec<Field>, capacity: usize) -> Self {
        let builders = fields
            .iter()
            .map(|f| StringChunkedBuilder::new(f.key().into(), capacity))
            .collect();
        FrameBuilder {
            fields,
            builders,
            rows: Vec::with_capacity(capacity),
            tables: Vec::with_capacity(capacity),
        }
    }

    /// Index of the next row to be pushed.
    pub fn next_index(&self) -> u32 {
        self.rows.len() as u32
    }

    pub fn start_row(&mut self, row_number: u32, table: u32) {
        self.rows.push(row_number);
        self.tables.push(table);
    }

    /// Set the value of the field at position `slot` (in `fields()`) for the current row.
    /// Every slot must be pushed exactly once per row.
    pub fn push(&mut self, slot: usize, value: Option<&str>) {
        match value {
            Some(v) if !v.is_empty() => self.builders[slot].append_value(v),
            _ => self.builders[slot].append_null(),
        }
    }

    /// The raw columns of the fields present, and per row its number and table.
    pub fn finish(self, present: &[Field]) -> PolarsResult<Cells> {
        let height = self.rows.len();
        let mut columns: Vec<Column> = Vec::new();
        let mut kept = Vec::new();
        for (field, builder) in self.fields.into_iter().zip(self.builders) {
            if present.contains(&field) {
                columns.push(builder.finish().into_series().into());
                kept.push(field);
            }
        }
        Ok(Cells {
            frame: DataFrame::new(height, columns)?,
            fields: kept,
            row_numbers: self.rows,
            row_tables: self.tables,
        })
    }
}

#[cfg(test)]
mod span_tests {
    use super::PackedSpan;
    use super::csv::FieldSpan;

    #[test]
    fn a_packed_span_gives_back_its_field_and_an_empty_one_is_none() {
        let span = |start, end, escaped| FieldSpan {
            start,
            end,
            escaped,
        };
        let max = u32::MAX as usize;
        for f in [
            span(0, 1, false),
            span(0, 1, true),
            span(7, 19, true),
            span(max - 1, max, false),
            span(0, (1 << 31) - 1, true),
            span(max - 100, max, true),
        ] {
            assert_eq!(PackedSpan::new(&f).get(), Some(f), "{f:?}");
        }
        assert_eq!(PackedSpan::new(&span(5, 5, false)), PackedSpan::NONE);
        assert_eq!(PackedSpan::new(&span(5, 5, true)).get(), None);
    }
}
