//! A list as CSV bytes: RFC 4180 quoting, CRLF after every record, formula-neutralized
//! cells, and the chosen encoding (SPEC §6).

use super::{BadCell, List, ListEncoding, OutputError};
use crate::domain::cp932;

const BOM: &[u8] = "\u{FEFF}".as_bytes();

/// Below this many rows a list is rendered on one thread.
const ROWS_PER_THREAD: usize = 20_000;

/// Render `list` (its widths already checked) in `encoding`.
///
/// Records are independent, and CP932 encodability is a property of each character, so a
/// long list is rendered and encoded in one slice of rows per core and the bytes joined: a
/// million-letter manifest took 0.7 s on one.
pub(super) fn render(list: &List, encoding: ListEncoding) -> Result<Vec<u8>, OutputError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(list.rows.len() / ROWS_PER_THREAD);
    render_on(list, encoding, threads)
}

/// [`render`] in `threads` slices of rows (at least one).
fn render_on(list: &List, encoding: ListEncoding, threads: usize) -> Result<Vec<u8>, OutputError> {
    let rows = list.rows.len();
    let threads = threads.max(1);
    let per = rows.div_ceil(threads).max(1);
    let slices: Vec<Result<Vec<u8>, cp932::Unencodable>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let range = t * per..((t + 1) * per).min(rows);
                s.spawn(move || encode(to_text(list, range, t == 0), encoding))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut bad: Vec<char> = Vec::new();
    for err in slices.iter().filter_map(|slice| slice.as_ref().err()) {
        for c in &err.chars {
            if !bad.contains(c) {
                bad.push(*c);
            }
        }
    }
    if !bad.is_empty() {
        return Err(OutputError::Unencodable {
            list: list.stem,
            rows: bad_cells(list, &bad),
        });
    }
    let bom: &[u8] = if encoding == ListEncoding::Utf8Bom {
        BOM
    } else {
        &[]
    };
    let slices: Vec<Vec<u8>> = slices.into_iter().flatten().collect();
    let mut bytes = Vec::with_capacity(bom.len() + slices.iter().map(Vec::len).sum::<usize>());
    bytes.extend_from_slice(bom);
    for slice in slices {
        bytes.extend_from_slice(&slice);
    }
    Ok(bytes)
}

/// `text` in `encoding` (without the BOM).
fn encode(text: String, encoding: ListEncoding) -> Result<Vec<u8>, cp932::Unencodable> {
    match encoding {
        ListEncoding::Utf8 | ListEncoding::Utf8Bom => Ok(text.into_bytes()),
        // The whole slice is encoded at once; only when that fails are the cells searched,
        // which is exact because everything the CSV adds around the cells
        // (`,` `"` `'` CR LF) is ASCII.
        ListEncoding::Cp932 => cp932::encode(&text),
    }
}

/// The records of `rows`, after the header row when `header`.
fn to_text(list: &List, rows: std::ops::Range<usize>, header: bool) -> String {
    // Room for the cells, a separator after each and CRLF after each record, and a little for
    // quoting: a million-letter slice no longer grows (copies and faults in) its text twice.
    let cells = list.rows.cells(rows.clone());
    let bytes = list.rows.text_bytes(rows.clone()) + cells + 2 * rows.len();
    let mut text = String::with_capacity(bytes + bytes / 64 + 256);
    if header {
        push_record(&mut text, list.headers.iter().copied());
    }
    for row in rows.filter_map(|index| list.rows.get(index)) {
        push_record(&mut text, row.iter());
    }
    text
}

fn push_record<'a>(text: &mut String, cells: impl Iterator<Item = &'a str>) {
    for (index, cell) in cells.enumerate() {
        if index > 0 {
            text.push(',');
        }
        push_field(text, cell);
    }
    text.push_str("\r\n");
}

/// Spreadsheet software runs a cell that starts with one of these as a formula (or DDE
/// command) when it opens a CSV; `'` in front makes it text (OWASP "CSV injection").
fn needs_neutralizing(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn needs_quoting(cell: &str) -> bool {
    cell.contains([',', '"', '\r', '\n'])
}

/// Line breaks inside a quoted cell are kept as they are (RFC 4180 allows them); only
/// the record separator is CRLF.
fn push_field(text: &mut String, cell: &str) {
    let quoted = needs_quoting(cell);
    if quoted {
        text.push('"');
    }
    if needs_neutralizing(cell) {
        text.push('\'');
    }
    if quoted {
        text.push_str(&cell.replace('"', "\"\""));
        text.push('"');
    } else {
        text.push_str(cell);
    }
}

/// Every cell (header row as row 0) holding one of `bad`, with the characters it holds.
fn bad_cells(list: &List, bad: &[char]) -> Vec<BadCell> {
    let offending = |cell: &str| {
        let mut found: Vec<char> = Vec::new();
        for c in cell.chars() {
            if bad.contains(&c) && !found.contains(&c) {
                found.push(c);
            }
        }
        found
    };
    let column = |name: &str| list.headers.iter().position(|header| *header == name);
    let key_columns = match (column("記号"), column("番号"), column("枝番")) {
        (Some(symbol), Some(number), Some(branch)) => Some([symbol, number, branch]),
        _ => None,
    };

    let mut cells = Vec::new();
    for header in list.headers {
        let chars = offending(header);
        if !chars.is_empty() {
            cells.push(BadCell {
                row: 0,
                column: header,
                key: None,
                chars,
            });
        }
    }
    for (index, row) in list.rows.iter().enumerate() {
        let key = key_columns.map(|columns| {
            columns
                .map(|column| row.get(column).unwrap_or(""))
                .join("-")
        });
        for (column, cell) in row.iter().enumerate() {
            let chars = offending(cell);
            if !chars.is_empty() {
                cells.push(BadCell {
                    row: index + 1,
                    column: list.headers.get(column).copied().unwrap_or_default(),
                    key: key.clone(),
                    chars,
                });
            }
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_column(cells: &[&str]) -> List {
        List {
            stem: "returns",
            headers: &["氏名"],
            rows: cells.iter().map(|cell| [cell]).collect(),
        }
    }

    fn utf8(list: &List) -> String {
        let bytes = render(list, ListEncoding::Utf8).expect("utf8 always encodes");
        String::from_utf8(bytes).expect("utf8")
    }

    #[test]
    fn every_record_ends_crlf_in_every_encoding() {
        let list = List {
            stem: "returns",
            headers: &["記号", "氏名"],
            rows: [["12", "山田"], ["", ""]].into_iter().collect(),
        };
        let expected = "記号,氏名\r\n12,山田\r\n,\r\n";
        assert_eq!(utf8(&list), expected);
        let with_bom = render(&list, ListEncoding::Utf8Bom).expect("encodes");
        assert_eq!(with_bom.strip_prefix(BOM), Some(expected.as_bytes()));
        let cp932 = render(&list, ListEncoding::Cp932).expect("encodes");
        assert_eq!(
            cp932,
            encoding_rs::SHIFT_JIS.encode(expected).0.into_owned()
        );
    }

    #[test]
    fn utf8_bom_starts_with_ef_bb_bf() {
        let bytes = render(&one_column(&["山田"]), ListEncoding::Utf8Bom).expect("encodes");
        assert_eq!(bytes.get(..3), Some(&[0xEF, 0xBB, 0xBF][..]));
        assert_eq!(
            bytes.get(3..),
            Some("氏名\r\n山田\r\n".as_bytes()),
            "the BOM is followed by the header"
        );
    }

    #[test]
    fn plain_utf8_has_no_bom() {
        let bytes = render(&one_column(&["山田"]), ListEncoding::Utf8).expect("encodes");
        assert_eq!(bytes, "氏名\r\n山田\r\n".as_bytes());
    }

    #[test]
    fn hyperlink_formula_is_neutralized_then_quoted() {
        // SPEC §9: `=HYPERLINK("x")` is written as `'=HYPERLINK("x")`; the `"` then
        // makes it a quoted field with the quotes doubled.
        assert_eq!(
            utf8(&one_column(&["=HYPERLINK(\"x\")"])),
            "氏名\r\n\"'=HYPERLINK(\"\"x\"\")\"\r\n"
        );
    }

    #[test]
    fn each_formula_trigger_gets_a_leading_apostrophe() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("+81-3-1234", "'+81-3-1234"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            // CR also forces quoting; the apostrophe goes inside the quotes.
            ("\rcmd", "\"'\rcmd\""),
        ];
        for (cell, written) in cases {
            assert_eq!(
                utf8(&one_column(&[cell])),
                format!("氏名\r\n{written}\r\n"),
                "{cell:?}"
            );
        }
    }

    #[test]
    fn triggers_after_the_first_character_are_left_alone() {
        assert_eq!(
            utf8(&one_column(&["a=1", " =1", "1-2", "ｘ@y", "－5", "＝1"])),
            "氏名\r\na=1\r\n =1\r\n1-2\r\nｘ@y\r\n－5\r\n＝1\r\n"
        );
    }

    #[test]
    fn fields_with_comma_quote_or_line_break_are_quoted() {
        assert_eq!(
            utf8(&one_column(&[
                "東京都,千代田区",
                "山田 \"タロー\"",
                "一行目\n二行目",
                "一行目\r\n二行目",
                "plain",
            ])),
            "氏名\r\n\"東京都,千代田区\"\r\n\"山田 \"\"タロー\"\"\"\r\n\"一行目\n二行目\"\r\n\
             \"一行目\r\n二行目\"\r\nplain\r\n"
        );
    }

    #[test]
    fn codes_keep_their_leading_zeros() {
        assert_eq!(
            utf8(&one_column(&["0600000", "01", "00"])),
            "氏名\r\n0600000\r\n01\r\n00\r\n"
        );
    }

    #[test]
    fn empty_list_is_just_the_header() {
        assert_eq!(utf8(&one_column(&[])), "氏名\r\n");
    }

    /// Rows numbered 1..=n with kanji, a folded 〜 and a cell needing quotes, and `bad`
    /// in the 氏名 of the rows it names.
    fn numbered(n: usize, bad: &[(usize, &str)]) -> List {
        List {
            stem: "mailing",
            headers: &["封筒番号", "送付先住所", "氏名"],
            rows: (1..=n)
                .map(|i| {
                    let name = bad
                        .iter()
                        .find(|(row, _)| *row == i)
                        .map_or("山田, 太郎", |(_, name)| name);
                    [i.to_string(), format!("東京都〜{i}"), name.to_owned()]
                })
                .collect(),
        }
    }

    #[test]
    fn slices_join_to_the_bytes_of_one_pass_in_every_encoding() {
        let list = numbered(10, &[]);
        for encoding in [
            ListEncoding::Cp932,
            ListEncoding::Utf8,
            ListEncoding::Utf8Bom,
        ] {
            let one = render_on(&list, encoding, 1).expect("encodes");
            for threads in [2, 3, 4, 10, 11] {
                assert_eq!(render_on(&list, encoding, threads).expect("encodes"), one);
            }
        }
        let one = render_on(&list, ListEncoding::Utf8, 1).expect("encodes");
        let text = String::from_utf8(one).expect("utf8");
        assert!(text.starts_with("封筒番号,送付先住所,氏名\r\n1,東京都〜1,\"山田, 太郎\"\r\n"));
        assert!(text.ends_with("10,東京都〜10,\"山田, 太郎\"\r\n"));
        assert_eq!(text.matches("\r\n").count(), 11);
    }

    #[test]
    fn unencodable_cells_in_any_slice_are_named_by_their_row_in_the_whole_list() {
        let list = numbered(9, &[(2, "𠮷田"), (8, "😀"), (9, "𠮷")]);
        for threads in [1, 3] {
            let Err(OutputError::Unencodable { rows, .. }) =
                render_on(&list, ListEncoding::Cp932, threads)
            else {
                panic!("expected Unencodable");
            };
            let found: Vec<(usize, Vec<char>)> = rows
                .into_iter()
                .map(|cell| (cell.row, cell.chars))
                .collect();
            assert_eq!(
                found,
                [(2, vec!['𠮷']), (8, vec!['😀']), (9, vec!['𠮷'])],
                "{threads} threads"
            );
        }
    }

    #[test]
    fn unencodable_cells_are_named_with_their_column_and_data_row() {
        let list = List {
            stem: "mailing",
            headers: &["封筒番号", "送付先住所", "氏名"],
            rows: [["1", "東京都〜①", "山田"], ["2", "😀ビル", "𠮷田"]]
                .into_iter()
                .collect(),
        };
        let Err(OutputError::Unencodable { list: stem, rows }) = render(&list, ListEncoding::Cp932)
        else {
            panic!("expected Unencodable");
        };
        assert_eq!(stem, "mailing");
        assert_eq!(
            rows,
            vec![
                BadCell {
                    row: 2,
                    column: "送付先住所",
                    key: None,
                    chars: vec!['😀'],
                },
                BadCell {
                    row: 2,
                    column: "氏名",
                    key: None,
                    chars: vec!['𠮷'],
                },
            ]
        );
    }

    #[test]
    fn formula_trigger_in_cp932_is_neutralized_too() {
        let bytes = render(&one_column(&["-山田"]), ListEncoding::Cp932).expect("encodes");
        assert_eq!(
            bytes,
            encoding_rs::SHIFT_JIS
                .encode("氏名\r\n'-山田\r\n")
                .0
                .into_owned()
        );
    }
}
