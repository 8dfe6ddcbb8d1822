//! Where a finding is, as every report names it: the file, the sheet, the row (the sheet's own
//! row number, or the CSV record number, as in the JSON), the column's canonical name and the
//! cell reference a spreadsheet shows (`C23`; a CSV opened in Excel has the same).

use super::File;
use crate::finding::Anchor;
use crate::ingest::excel::column_letter;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The path as given on the command line.
    pub path: String,
    /// The file name alone (what an employer knows its file by).
    pub file_name: String,
    pub sheet: Option<String>,
    pub row: Option<u32>,
    /// The canonical field name (SPEC §3), whatever the file's header said.
    pub column: Option<&'static str>,
    /// `C23`, or None for a row- or file-level finding.
    pub cell: Option<String>,
}

pub fn place(at: &Anchor, files: &[File]) -> Place {
    let file = &files[at.source];
    let path = file.display_path();
    let file_name = file
        .path
        .file_name()
        .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
    let mut place = Place {
        path,
        file_name,
        sheet: None,
        row: None,
        column: at.field.map(|f| f.label()),
        cell: None,
    };
    if let (Some(row), Some(input)) = (at.row, &file.input) {
        let table = input.source.table_of(row);
        place.sheet = table.and_then(|t| t.sheet.clone());
        place.row = input.source.row_number(row);
        let col = at.field.and_then(|f| table.and_then(|t| t.column_of(f)));
        if let (Some(col), Some(number)) = (col, place.row) {
            place.cell = Some(format!("{}{number}", column_letter(col)));
        }
    }
    place
}

impl Place {
    /// The cell or row within its sheet: `C23`, `23行目`, or empty for the whole file.
    pub fn within_sheet(&self) -> String {
        match (&self.cell, self.row) {
            (Some(cell), _) => cell.clone(),
            (None, Some(row)) => crate::tr!("{row}行目", "row {row}"),
            (None, None) => String::new(),
        }
    }

    /// The row or cell within the file: `被保険者一覧!C23`, `C23`, `23行目`, or empty.
    pub fn within(&self) -> String {
        let at = self.within_sheet();
        match &self.sheet {
            Some(sheet) if !at.is_empty() => format!("{sheet}!{at}"),
            Some(sheet) => sheet.clone(),
            None => at,
        }
    }

    /// The whole place on one line: `c01.xlsx 被保険者一覧!C23 (個人番号)`.
    pub fn describe(&self) -> String {
        let mut s = self.path.clone();
        let within = self.within();
        if !within.is_empty() {
            s.push(' ');
            s.push_str(&within);
        }
        if let Some(column) = self.column {
            s.push_str(&format!(" ({column})"));
        }
        s
    }
}
