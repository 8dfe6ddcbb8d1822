//! The `--xlsx` copy of a list: one worksheet named after the stem, every cell a string
//! with the text number format `@` (SPEC §6, §7).
//!
//! Strings rather than numbers so that no code loses a leading zero (`0600000`, `01`),
//! and `@` so that a cell staff later edit and confirm stays text too.
//!
//! No `'` is prepended to `=`/`+`/`-`/`@` cells here, unlike the CSV: a string cell is
//! stored as text in the file and Excel never evaluates it, and under `@` re-entering it
//! keeps it text. A `'` would only corrupt the value (a name typed `-` would read `'-`).

use rust_xlsxwriter::{ColNum, Format, RowNum, Workbook, Worksheet, XlsxError};

use super::{List, Rows};

/// Column widths in Excel character units: room for the widest cell, within reason.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

struct Formats {
    header: Format,
    text: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: Format::new().set_bold().set_num_format("@"),
            text: Format::new().set_num_format("@"),
        }
    }
}

/// The single way a cell is written: as a string, formatted `@`, whatever it looks like.
fn write_text(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    value: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, col, value, format)?;
    Ok(())
}

/// Render `list` (its widths already checked) as `.xlsx` bytes.
pub(super) fn render(list: &List) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(list.stem)?;
    write_table(sheet, list.headers, &list.rows)?;
    workbook.save_to_buffer()
}

/// Write a header row and `rows` into `sheet` from its top-left corner: every cell text
/// formatted `@`, columns as wide as their widest cell, the header row frozen and an
/// autofilter over the table (staff filter by 送付方法, 交付事由 or コード).
pub fn write_table<H: AsRef<str>>(
    sheet: &mut Worksheet,
    headers: &[H],
    rows: &Rows,
) -> Result<(), XlsxError> {
    let formats = Formats::new();
    for (index, header) in headers.iter().enumerate() {
        let col = col_num(index)?;
        // The column format reaches rows staff add below the table.
        sheet.set_column_format(col, &formats.text)?;
        sheet.set_column_width(col, column_width(header.as_ref(), rows, index))?;
        write_text(sheet, 0, col, header.as_ref(), &formats.header)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let row_num = row_num(index.saturating_add(1))?;
        for (col, value) in row.iter().enumerate() {
            write_text(sheet, row_num, col_num(col)?, value, &formats.text)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    if let Some(last_col) = headers.len().checked_sub(1) {
        sheet.autofilter(0, 0, row_num(rows.len())?, col_num(last_col)?)?;
    }
    Ok(())
}

/// Write `rows` as text cells from the top-left corner with no header row or filter (a cover
/// sheet): the rows at `bold` in bold, columns as wide as their widest cell.
pub fn write_plain(sheet: &mut Worksheet, rows: &Rows, bold: &[usize]) -> Result<(), XlsxError> {
    let formats = Formats::new();
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    for col in 0..width {
        sheet.set_column_width(col_num(col)?, column_width("", rows, col))?;
    }
    for (index, row) in rows.iter().enumerate() {
        let format = if bold.contains(&index) {
            &formats.header
        } else {
            &formats.text
        };
        for (col, value) in row.iter().enumerate() {
            write_text(sheet, row_num(index)?, col_num(col)?, value, format)?;
        }
    }
    Ok(())
}

fn row_num(index: usize) -> Result<RowNum, XlsxError> {
    RowNum::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

fn col_num(index: usize) -> Result<ColNum, XlsxError> {
    ColNum::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

fn column_width(header: &str, rows: &Rows, index: usize) -> u32 {
    let widest = rows
        .iter()
        .filter_map(|row| row.get(index))
        .map(display_width)
        .fold(display_width(header), usize::max);
    // + 2: the filter button sits on the header cell's right edge.
    let width = widest.saturating_add(2).clamp(MIN_WIDTH, MAX_WIDTH);
    u32::try_from(width).unwrap_or(60)
}

/// Width in half-width cells: kanji, kana and full-width forms take two, ASCII and
/// half-width katakana one.
pub fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if u32::from(c) < 0x1100 || ('\u{FF61}'..='\u{FF9F}').contains(&c) {
                1
            } else {
                2
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    use std::io::Cursor;

    fn list() -> List {
        with_name("=HYPERLINK(\"x\")")
    }

    /// The list with `name` as the first row's 氏名.
    fn with_name(name: &str) -> List {
        List {
            stem: "mailing",
            headers: &["封筒番号", "枝番", "氏名", "郵便番号", "個人番号下4桁"],
            rows: [
                ["1", "01", name, "0600000", "0012"],
                ["2", "00", "-", "", ""],
            ]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn cells_are_text_formatted_and_headers_bold() {
        let formats = Formats::new();
        assert_eq!(formats.text, Format::new().set_num_format("@"));
        assert_eq!(formats.header, Format::new().set_num_format("@").set_bold());
    }

    #[test]
    fn workbook_is_a_zip() {
        let bytes = render(&list()).expect("renders");
        assert!(bytes.starts_with(b"PK\x03\x04"));
    }

    #[test]
    fn codes_and_formula_like_cells_read_back_as_the_same_strings() {
        let bytes = render(&list()).expect("renders");
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("opens");
        assert_eq!(book.sheet_names(), vec!["mailing".to_owned()]);
        let range = book.worksheet_range("mailing").expect("sheet");
        let text = |row: u32, col: u32| range.get_value((row, col)).cloned();
        assert_eq!(text(0, 0), Some(Data::String("封筒番号".into())));
        assert_eq!(text(0, 4), Some(Data::String("個人番号下4桁".into())));
        // Strings, not numbers: the zeros survive.
        assert_eq!(text(1, 0), Some(Data::String("1".into())));
        assert_eq!(text(1, 1), Some(Data::String("01".into())));
        assert_eq!(text(1, 3), Some(Data::String("0600000".into())));
        assert_eq!(text(1, 4), Some(Data::String("0012".into())));
        // Written as it is, with no `'`, and not as a formula.
        assert_eq!(text(1, 2), Some(Data::String("=HYPERLINK(\"x\")".into())));
        assert_eq!(text(2, 2), Some(Data::String("-".into())));
        let formulas = book.worksheet_formula("mailing").expect("sheet");
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    }

    #[test]
    fn empty_list_is_a_header_row_only() {
        let empty = List {
            stem: "returns",
            headers: &["記号", "番号"],
            rows: Rows::default(),
        };
        let bytes = render(&empty).expect("renders");
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("opens");
        let range = book.worksheet_range("returns").expect("sheet");
        assert_eq!(range.height(), 1);
        assert_eq!(range.width(), 2);
    }

    #[test]
    fn cell_over_the_excel_limit_is_an_error_not_a_panic() {
        let too_long = with_name(&"あ".repeat(32_768));
        assert!(matches!(
            render(&too_long),
            Err(XlsxError::MaxStringLengthExceeded)
        ));
    }

    #[test]
    fn column_width_counts_kanji_double_and_stays_in_bounds() {
        assert_eq!(display_width("0600000"), 7);
        assert_eq!(display_width("山田 ﾀﾛｳ"), 8);
        let list = list();
        // 封筒番号 is 8 wide; + 2.
        assert_eq!(column_width("封筒番号", &list.rows, 0), 10);
        // 枝番 is 4 wide + 2 = 6, the minimum.
        assert_eq!(column_width("枝番", &list.rows, 1), 6);
        let wide = with_name(&"東".repeat(100));
        assert_eq!(column_width("氏名", &wide.rows, 2), 60);
    }
}
