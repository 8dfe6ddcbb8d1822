//! An .ods's `content.xml` scanned for what calamine will build from it.
//!
//! calamine reads every sheet of an .ods at once, into one dense rectangle per sheet, and it
//! expands `table:number-columns-repeated` / `table:number-rows-repeated` as it goes: a 30 kB
//! file whose one row repeats a cell 16,384 times, 3,000 times over, is 49M cells and 6 GB.
//! This follows calamine's own expansion (rows and columns capped as it caps them, empty
//! cells after the last value and empty rows after the last row not expanded) and refuses the
//! file when the estimate is past [`whole_workbook_budget`] of the file's size.

use super::guard::{MAX_COLUMNS, MAX_ROWS, too_large, whole_workbook_budget};
use super::zipcheck::Problem;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Read};

/// What one cell costs calamine: its value (`Data`, 32 bytes) and its formula text (`String`,
/// 24 bytes), in the read buffer and again in the rectangle.
const CELL_BYTES: u64 = 56;

/// One sheet's expansion so far.
#[derive(Default)]
struct Table {
    /// Rows read (after calamine's cap) and bytes of the read buffer.
    rows: u64,
    read_bytes: u64,
    /// Rows from the first row with a value through the last (empty ones between included).
    span_rows: u64,
    /// Rows since the last row with a value (counted into the span when another comes).
    pending_rows: u64,
    seen_value: bool,
    width: u64,
    /// Bytes of text the rectangle clones (each repeat of a row clones its strings).
    text_bytes: u64,
}

impl Table {
    fn estimate(&self) -> u64 {
        self.read_bytes
            .saturating_add(
                self.span_rows
                    .saturating_mul(self.width)
                    .saturating_mul(CELL_BYTES),
            )
            .saturating_add(self.text_bytes)
    }

    fn row(&mut self, repeats: u64, row: &Row) {
        let repeats = repeats.min(u64::from(MAX_ROWS).saturating_sub(self.rows));
        self.rows += repeats;
        self.read_bytes = self
            .read_bytes
            .saturating_add(row.width.saturating_mul(CELL_BYTES))
            .saturating_add(row.text_bytes);
        if row.width == 0 {
            if self.seen_value {
                self.pending_rows = self.pending_rows.saturating_add(repeats);
            }
            return;
        }
        self.seen_value = true;
        self.span_rows = self
            .span_rows
            .saturating_add(std::mem::take(&mut self.pending_rows))
            .saturating_add(repeats);
        self.width = self.width.max(row.width);
        self.text_bytes = self
            .text_bytes
            .saturating_add(repeats.saturating_mul(row.text_bytes));
    }
}

/// One row's cells: the column after its last value, and the text its values hold.
#[derive(Default)]
struct Row {
    position: u64,
    width: u64,
    text_bytes: u64,
}

/// The cell being read.
#[derive(Default)]
struct CellRead {
    repeats: u64,
    has_value: bool,
    text: u64,
}

fn attr_u64(e: &BytesStart<'_>, name: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

fn start_cell(e: &BytesStart<'_>) -> CellRead {
    let mut cell = CellRead {
        repeats: attr_u64(e, "table:number-columns-repeated"),
        ..CellRead::default()
    };
    for a in e.attributes().flatten() {
        let key = a.key.as_ref();
        if key == "office:value-type" || key == "table:formula" {
            cell.has_value = true;
        }
        cell.text = cell.text.saturating_add(a.value.len() as u64);
    }
    cell
}

fn end_cell(row: &mut Row, cell: CellRead) {
    let repeats = cell
        .repeats
        .min(u64::from(MAX_COLUMNS).saturating_sub(row.position));
    row.position += repeats;
    if cell.has_value {
        row.width = row.position;
        row.text_bytes = row
            .text_bytes
            .saturating_add(repeats.saturating_mul(CELL_BYTES + cell.text));
    }
}

fn is_cell(name: &str) -> bool {
    name == "table:table-cell" || name == "table:covered-table-cell"
}

/// Scan `content.xml` (read to its end by the caller afterwards).
pub fn check_content(part: &mut impl Read, file_bytes: usize) -> Result<(), Problem> {
    let budget = whole_workbook_budget(file_bytes);
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    let mut total = 0u64;
    let mut table = Table::default();
    let mut row: Option<(u64, Row)> = None;
    let mut cell: Option<CellRead> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| Problem::Io(std::io::Error::other(e.to_string())))?;
        match event {
            Event::Start(e) if e.name().as_ref() == "table:table" => table = Table::default(),
            Event::End(e) if e.name().as_ref() == "table:table" => {
                total = total.saturating_add(table.estimate());
                table = Table::default();
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                row = Some((attr_u64(&e, "table:number-rows-repeated"), Row::default()));
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if let Some((repeats, r)) = row.take() {
                    table.row(repeats, &r);
                }
            }
            Event::Start(e) if is_cell(e.name().as_ref()) => cell = Some(start_cell(&e)),
            Event::Empty(e) if is_cell(e.name().as_ref()) => {
                if let Some((_, r)) = row.as_mut() {
                    end_cell(r, start_cell(&e));
                }
            }
            Event::End(e) if is_cell(e.name().as_ref()) => {
                if let (Some(c), Some((_, r))) = (cell.take(), row.as_mut()) {
                    end_cell(r, c);
                }
            }
            Event::Start(_) | Event::Empty(_) => {
                // Content inside a cell (text:p, …) makes it a value.
                if let Some(c) = cell.as_mut() {
                    c.has_value = true;
                }
            }
            Event::Text(t) => {
                if let Some(c) = cell.as_mut() {
                    c.text = c.text.saturating_add(t.len() as u64);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if total.saturating_add(table.estimate()) > budget {
            return Err(Problem::Bound(past_bound(budget)));
        }
        buf.clear();
    }
    Ok(())
}

fn past_bound(budget: u64) -> String {
    let mib = budget >> 20;
    too_large(
        &format!(
            "繰り返し指定（number-columns-repeated / number-rows-repeated）を展開すると {mib} MiB を超えます。.xlsx で保存し直すか、使っていない行と列を削除してください"
        ),
        &format!(
            "its repeated cells (number-columns-repeated / number-rows-repeated) expand past {mib} MiB; save it as .xlsx, or delete the unused rows and columns"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(body: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><office:document-content><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
        )
    }

    fn check(body: &str) -> Result<(), String> {
        check_content(&mut content(body).as_bytes(), 1 << 30).map_err(|e| match e {
            Problem::Bound(m) => m,
            Problem::Io(e) => e.to_string(),
        })
    }

    #[test]
    fn a_sheet_as_libreoffice_writes_it_passes() {
        // Values, then the trailing empty cells and rows LibreOffice writes on every sheet.
        let sheet = r#"<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string"><text:p>記号</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#;
        assert_eq!(check(sheet), Ok(()));
    }

    #[test]
    fn repeated_values_expanding_to_millions_of_cells_are_refused() {
        let row = r#"<table:table-row table:number-rows-repeated="3000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
        let sheet = format!(r#"<table:table table:name="S">{row}</table:table>"#);
        let err = check(&sheet).expect_err("49M cells");
        assert!(err.contains("number-columns-repeated"), "{err}");
        // The same row once is 16,384 cells: fine.
        let once = sheet.replace(r#" table:number-rows-repeated="3000""#, "");
        assert_eq!(check(&once), Ok(()));
    }

    #[test]
    fn empty_rows_between_values_are_expanded_too() {
        let value = r#"<table:table-row><table:table-cell table:number-columns-repeated="2000" office:value-type="float"/></table:table-row>"#;
        let gap = r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row>"#;
        let sheet = format!(r#"<table:table table:name="S">{value}{gap}{value}</table:table>"#);
        assert!(
            check(&sheet).is_err(),
            "a million empty rows between two wide rows"
        );
        let trailing = format!(r#"<table:table table:name="S">{value}{gap}</table:table>"#);
        assert_eq!(
            check(&trailing),
            Ok(()),
            "empty rows after the last are not expanded"
        );
    }
}
