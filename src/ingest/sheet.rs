//! One worksheet's cells, in the order the sheet stores them, into a header and data rows.
//!
//! calamine's streaming readers hand cells over one at a time, row by row (a sheet's rows are
//! stored in ascending order; one out of order is a damaged file), so no sheet is ever held as
//! a dense rectangle: a cell at `XFD1048576` is one cell, not 17 billion. Pass 1 ([`Headers`])
//! keeps the text of the first 30 rows to find the header; pass 2 ([`DataRows`]) turns each
//! later row into a frame row, reading only the cells of mapped columns (the rest only say
//! whether the row is blank).

use super::columns::{HEADER_SEARCH_ROWS, HeaderMap, HeaderSearch};
use super::encoding::is_gaiji;
use super::excel::{error_cell, header_text, is_ods_error_text, read_cell};
use super::guard::{MAX_COLUMNS, MAX_ROWS};
use super::{Format, FrameBuilder, Issue, IssueKind};
use crate::config::KindColumns;
use crate::field::{Field, SourceKind};
use calamine::DataRef;
use std::collections::{BTreeMap, HashSet};

/// What a cell source tells its consumer: go on, or stop reading this sheet.
#[derive(Debug, PartialEq, Eq)]
pub enum Flow {
    More,
    Stop,
}

/// A cell beyond a worksheet's limits: the position was damaged (or overflowed).
pub fn check_position(sheet: &str, row: u32, col: u32) -> Result<(), String> {
    if row < MAX_ROWS && col < MAX_COLUMNS {
        return Ok(());
    }
    let (r, c) = (u64::from(row) + 1, u64::from(col) + 1);
    Err(crate::tr!(
        "ブックが壊れています: シート「{sheet}」の {r} 行目 {c} 列目にセルがあります（ワークシートは {MAX_ROWS} 行 × {MAX_COLUMNS} 列まで）",
        "the workbook is damaged: sheet 「{sheet}」 has a cell at row {r}, column {c}, beyond a worksheet's {MAX_ROWS} rows × {MAX_COLUMNS} columns"
    ))
}

pub fn blank(cell: &DataRef<'_>) -> bool {
    match cell {
        DataRef::Empty => true,
        DataRef::String(s) => blank_text(s),
        DataRef::SharedString(s) => blank_text(s),
        _ => false,
    }
}

/// Only white space (asked of every cell, so a first byte that is visible ASCII answers it).
fn blank_text(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii() && !b.is_ascii_whitespace() => false,
        Some(_) => s.trim().is_empty(),
    }
}

/// Pass 1: the text of the sheet's first 30 rows.
#[derive(Default)]
pub struct Headers {
    rows: BTreeMap<u32, Vec<(u32, String)>>,
    /// Any non-empty cell at all (an empty sheet is reported as such).
    pub any: bool,
}

impl Headers {
    pub fn cell(&mut self, row: u32, col: u32, cell: &DataRef<'_>) -> Flow {
        if row as usize >= HEADER_SEARCH_ROWS {
            // Rows come in order: the header search is over.
            self.any = true;
            return Flow::Stop;
        }
        self.any = true;
        self.rows
            .entry(row)
            .or_default()
            .push((col, header_text(cell)));
        Flow::More
    }

    /// The first row mapping every required field: (0-based row, map, header width).
    pub fn find(
        &self,
        search: &mut HeaderSearch,
        kind: SourceKind,
        aliases: &KindColumns,
        sheet: &str,
    ) -> Option<(u32, HeaderMap, usize)> {
        for (row, cells) in &self.rows {
            let width = cells.iter().map(|c| c.0 as usize + 1).max().unwrap_or(0);
            let mut dense = vec![String::new(); width];
            for (col, text) in cells {
                dense[*col as usize].clone_from(text);
            }
            if let Some(map) = search.try_row(&dense, kind, aliases, Some(sheet), row + 1) {
                return Some((*row, map, width));
            }
        }
        None
    }
}

/// Where pass 2 puts what it reads.
pub struct Sink<'f> {
    pub frame: &'f mut FrameBuilder,
    pub issues: &'f mut Vec<Issue>,
    pub unreadable: &'f mut HashSet<(u32, Field)>,
}

/// Pass 2: the data rows after the header.
///
/// A row goes to the frame from its first non-blank cell on (cells go straight into their
/// column: a borrowed shared string is never copied). Blank cells seen before that (spaces) are
/// held; a row that stays blank is counted, not read.
pub struct DataRows {
    sheet: String,
    table: u32,
    format: Format,
    is_1904: bool,
    /// Frame slot → field, and column → frame slot for the columns this sheet maps.
    fields: Vec<Field>,
    slot_of_col: Vec<Option<usize>>,
    /// The row being read: its 0-based index and, once it is not blank, its frame index.
    row: Option<u32>,
    index: Option<u32>,
    /// Slots already pushed for this row (a cell given twice is read once), and blank text
    /// held until the row turns out not to be blank.
    pushed: Vec<bool>,
    held: Vec<Option<String>>,
    /// The last row seen (the header at first): a gap up to the next row is blank rows.
    last: u32,
    pub rows: usize,
    pub blank_rows: usize,
}

impl DataRows {
    pub fn new(
        sheet: &str,
        table: u32,
        format: Format,
        is_1904: bool,
        header: (u32, &HeaderMap),
        fields: &[Field],
    ) -> Self {
        let (header_row, map) = header;
        let width = map.mapped.iter().map(|m| m.1 + 1).max().unwrap_or(0);
        let mut slot_of_col = vec![None; width];
        for (f, col, _) in &map.mapped {
            slot_of_col[*col] = fields.iter().position(|x| x == f);
        }
        DataRows {
            sheet: sheet.to_string(),
            table,
            format,
            is_1904,
            fields: fields.to_vec(),
            slot_of_col,
            row: None,
            index: None,
            pushed: vec![false; fields.len()],
            held: vec![None; fields.len()],
            last: header_row,
            rows: 0,
            blank_rows: 0,
        }
    }

    /// One non-empty cell, in the sheet's order. Rows at or above the header are skipped.
    pub fn cell(
        &mut self,
        row: u32,
        col: u32,
        cell: &DataRef<'_>,
        sink: &mut Sink,
    ) -> Result<(), String> {
        match self.row {
            None if row <= self.last => return Ok(()),
            Some(r) if r == row => {}
            Some(r) if row < r => return Err(self.out_of_order(r, row)),
            _ => {
                self.finish(sink);
                self.blank_rows += (row - self.last - 1) as usize;
                self.row = Some(row);
            }
        }
        let slot = self.slot_of_col.get(col as usize).copied().flatten();
        if blank(cell) {
            if let (Some(slot), DataRef::String(_) | DataRef::SharedString(_)) = (slot, cell) {
                if self.index.is_some() {
                    self.push_cell(slot, cell, sink);
                } else if !self.pushed[slot] {
                    self.held[slot] = Some(header_text(cell));
                }
            }
            return Ok(());
        }
        if self.index.is_none() {
            self.start(row, sink);
        }
        if let Some(slot) = slot {
            self.push_cell(slot, cell, sink);
        }
        Ok(())
    }

    fn out_of_order(&self, before: u32, row: u32) -> String {
        let (sheet, a, b) = (&self.sheet, before + 1, row + 1);
        crate::tr!(
            "ブックが正しく書き出されていません: シート「{sheet}」で {a} 行目の後に {b} 行目があります（行の順序が逆）。Excel で開いて保存し直してください",
            "the workbook was written incorrectly: sheet 「{sheet}」 has row {b} after row {a} (rows out of order); open it in Excel and save it again"
        )
    }

    /// The row is not blank: it becomes a frame row, with the blank text held so far.
    fn start(&mut self, row: u32, sink: &mut Sink) {
        self.index = Some(sink.frame.next_index());
        sink.frame.start_row(row + 1, self.table);
        self.rows += 1;
        for slot in 0..self.held.len() {
            if let Some(text) = self.held[slot].take() {
                sink.frame.push(slot, Some(&text));
                self.pushed[slot] = true;
            }
        }
    }

    /// End the row being read: the slots it did not set are empty, or it was blank.
    pub fn finish(&mut self, sink: &mut Sink) {
        let Some(row) = self.row.take() else {
            return;
        };
        self.last = row;
        if self.index.take().is_none() {
            self.blank_rows += 1;
            self.held.iter_mut().for_each(|h| *h = None);
            return;
        }
        for slot in 0..self.pushed.len() {
            if !std::mem::take(&mut self.pushed[slot]) {
                sink.frame.push(slot, None);
            }
        }
    }

    fn push_cell(&mut self, slot: usize, cell: &DataRef<'_>, sink: &mut Sink) {
        if std::mem::replace(&mut self.pushed[slot], true) {
            return;
        }
        let (Some(index), field) = (self.index, self.fields[slot]) else {
            return;
        };
        let text = match cell {
            DataRef::String(s) => Some(s.as_str()),
            DataRef::SharedString(s) => Some(*s),
            _ => None,
        };
        // 外字 typed in Excel is stored as its Private Use code point, as CP932's user-defined
        // bytes decode to it: IN008 as in a CSV file. (Those code points start with byte 0xEE
        // in UTF-8, which rules out most cells without decoding.)
        if let Some(s) = text
            && s.as_bytes().contains(&0xEE)
            && let Some(ch) = s.chars().find(|c| is_gaiji(*c))
        {
            sink.issues.push(Issue {
                kind: IssueKind::Gaiji { ch },
                row: Some(index),
                field: Some(field),
            });
        }
        let read = match text {
            Some(s) if self.format == Format::Ods && is_ods_error_text(s) => error_cell(s.trim()),
            // Text, most cells, goes to the frame as it is (read_cell would copy it).
            Some(s) => {
                sink.frame.push(slot, Some(s));
                return;
            }
            None => read_cell(cell, Some(field), self.is_1904),
        };
        sink.frame.push(slot, read.text.as_deref());
        if read.unreadable {
            sink.unreadable.insert((index, field));
        }
        if let Some(kind) = read.issue {
            sink.issues.push(Issue {
                kind,
                row: Some(index),
                field: Some(field),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Columns as Aliases;

    const HEADER: [&str; 4] = ["記号", "番号", "枝番", "生年月日"];

    fn headers_at(row: u32) -> Headers {
        let mut h = Headers::default();
        for (c, text) in HEADER.iter().enumerate() {
            let _ = h.cell(row, c as u32, &DataRef::SharedString(text));
        }
        h
    }

    fn find(h: &Headers) -> Option<(u32, HeaderMap, usize)> {
        let columns = Aliases::builtin();
        let aliases = columns.kind(SourceKind::Employer);
        h.find(
            &mut HeaderSearch::default(),
            SourceKind::Employer,
            aliases,
            "S",
        )
    }

    #[test]
    fn the_header_is_searched_in_the_sheet_s_first_30_rows() {
        assert_eq!(find(&headers_at(29)).map(|f| f.0), Some(29), "row 30");
        let mut h = Headers::default();
        assert_eq!(
            h.cell(30, 0, &DataRef::SharedString("記号")),
            Flow::Stop,
            "row 31"
        );
        assert!(h.any && find(&h).is_none());
    }

    /// Each field's column of values.
    type Columns = Vec<Vec<Option<String>>>;

    /// Read `cells` (row, col, text) after the header on row 1 into a frame.
    fn data(cells: &[(u32, u32, &str)]) -> Result<(DataRows, Columns), String> {
        let (_, map, _) = find(&headers_at(0)).expect("header");
        let fields = [
            Field::Symbol,
            Field::Number,
            Field::Branch,
            Field::BirthDate,
        ];
        let mut frame = FrameBuilder::new(fields.to_vec(), 4);
        let (mut issues, mut unreadable) = (Vec::new(), HashSet::new());
        let mut sink = Sink {
            frame: &mut frame,
            issues: &mut issues,
            unreadable: &mut unreadable,
        };
        let mut rows = DataRows::new("S", 0, Format::Xlsx, false, (0, &map), &fields);
        for (r, c, text) in cells {
            rows.cell(*r, *c, &DataRef::SharedString(text), &mut sink)?;
        }
        rows.finish(&mut sink);
        let cells = frame.finish(&fields).expect("frame");
        let (df, kept) = (cells.frame, cells.fields);
        let columns = kept
            .iter()
            .map(|f| {
                let col = df.column(f.key()).expect("column");
                let ca = col.str().expect("text");
                ca.iter().map(|v| v.map(str::to_string)).collect()
            })
            .collect();
        Ok((rows, columns))
    }

    #[test]
    fn blank_rows_and_gaps_between_rows_are_counted_not_read() {
        // Row 3 (index 2) only spaces; rows 5–6 absent; row 7 after them.
        let (rows, cols) = data(&[
            (1, 0, "1001"),
            (1, 1, "1"),
            (2, 0, "  "),
            (3, 0, "1001"),
            (3, 3, "1980-01-01"),
            (6, 1, "7"),
        ])
        .expect("read");
        assert_eq!((rows.rows, rows.blank_rows), (3, 3));
        assert_eq!(cols[0], [Some("1001".into()), Some("1001".into()), None]);
        assert_eq!(cols[1], [Some("1".into()), None, Some("7".into())]);
    }

    #[test]
    fn spaces_before_a_value_on_the_row_are_kept_as_read() {
        let (rows, cols) = data(&[(1, 0, " "), (1, 1, "1")]).expect("read");
        assert_eq!(rows.rows, 1);
        assert_eq!(cols[0], [Some(" ".into())]);
    }

    #[test]
    fn a_cell_given_twice_is_read_once_and_rows_out_of_order_are_an_error() {
        let (_, cols) = data(&[(1, 0, "1001"), (1, 0, "9999")]).expect("read");
        assert_eq!(cols[0], [Some("1001".into())]);
        let err = data(&[(3, 0, "1001"), (2, 0, "1001")])
            .err()
            .expect("out of order");
        assert!(err.contains("「S」"), "{err}");
    }

    #[test]
    fn positions_beyond_a_worksheet_are_refused() {
        assert!(check_position("S", MAX_ROWS - 1, MAX_COLUMNS - 1).is_ok());
        assert!(check_position("S", MAX_ROWS, 0).is_err());
        assert!(check_position("S", 0, u32::MAX).is_err());
    }
}
