//! CSV over decoded text: RFC 4180 quoting, embedded commas and newlines, CRLF/LF/CR.
//!
//! Hand-written rather than polars' reader because every field must keep its byte span (a
//! finding underlines the cell), ragged records must be reported one by one (IN002), title
//! records above the header must be skipped, and nothing may ever be type-inferred.

use super::columns::{HEADER_SEARCH_ROWS, HeaderMap, HeaderSearch};
use super::encoding::{self, BadBytes};
use super::{Fatal, Format, Issue, IssueKind, PackedSpan, ReadOptions, Source, Table};
use crate::field::{Field, SourceKind};
use std::borrow::Cow;
use std::collections::HashSet;
use std::path::PathBuf;

/// A field's content span in the text (inside the quotes when quoted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpan {
    pub start: usize,
    pub end: usize,
    /// Quoted with `""` escapes inside: the value must be unescaped.
    pub escaped: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordInfo {
    /// 1-based record number in the file (a quoted multi-line record counts once).
    pub number: u32,
    pub start: usize,
    /// End of the record, line terminator excluded.
    pub end: usize,
    /// A quote was opened and never closed: the record ran to the end of the file.
    pub unterminated: bool,
}

/// Streams records out of decoded text.
pub struct Records<'a> {
    bytes: &'a [u8],
    pos: usize,
    number: u32,
}

impl<'a> Records<'a> {
    pub fn new(text: &'a str) -> Self {
        Records {
            bytes: text.as_bytes(),
            pos: 0,
            number: 0,
        }
    }

    /// The next record's fields into `fields` (cleared first); None at the end of the text.
    pub fn next_into(&mut self, fields: &mut Vec<FieldSpan>) -> Option<RecordInfo> {
        fields.clear();
        let b = self.bytes;
        if self.pos >= b.len() {
            return None;
        }
        self.number += 1;
        let start = self.pos;
        let mut unterminated = false;
        loop {
            let field_start = self.pos;
            if b.get(self.pos) == Some(&b'"') {
                let content = self.pos + 1;
                let mut i = content;
                let mut escaped = false;
                let mut closed = None;
                while i < b.len() {
                    if b[i] == b'"' {
                        if b.get(i + 1) == Some(&b'"') {
                            escaped = true;
                            i += 2;
                            continue;
                        }
                        closed = Some(i);
                        break;
                    }
                    i += 1;
                }
                match closed {
                    None => {
                        unterminated = true;
                        fields.push(FieldSpan {
                            start: content,
                            end: b.len(),
                            escaped,
                        });
                        self.pos = b.len();
                    }
                    Some(close) => {
                        self.pos = close + 1;
                        if matches!(b.get(self.pos), None | Some(b',' | b'\r' | b'\n')) {
                            fields.push(FieldSpan {
                                start: content,
                                end: close,
                                escaped,
                            });
                        } else {
                            // Text after the closing quote (`"a"b`): keep the whole field as
                            // written, quotes included, rather than silently drop a part of it.
                            let end = scan_unquoted(b, self.pos);
                            fields.push(FieldSpan {
                                start: field_start,
                                end,
                                escaped: false,
                            });
                            self.pos = end;
                        }
                    }
                }
            } else {
                let end = scan_unquoted(b, self.pos);
                fields.push(FieldSpan {
                    start: field_start,
                    end,
                    escaped: false,
                });
                self.pos = end;
            }
            match b.get(self.pos) {
                Some(b',') => {
                    self.pos += 1;
                    if self.pos >= b.len() {
                        // A trailing comma at the very end: one more empty field.
                        fields.push(FieldSpan {
                            start: self.pos,
                            end: self.pos,
                            escaped: false,
                        });
                        return Some(self.finish(start, self.pos, unterminated));
                    }
                }
                Some(b'\r') => {
                    let end = self.pos;
                    self.pos += if b.get(self.pos + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    return Some(self.finish(start, end, unterminated));
                }
                Some(b'\n') => {
                    let end = self.pos;
                    self.pos += 1;
                    return Some(self.finish(start, end, unterminated));
                }
                _ => return Some(self.finish(start, self.pos, unterminated)),
            }
        }
    }

    fn finish(&self, start: usize, end: usize, unterminated: bool) -> RecordInfo {
        RecordInfo {
            number: self.number,
            start,
            end,
            unterminated,
        }
    }
}

fn scan_unquoted(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && !matches!(b[i], b',' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// A field's value: the span's text, with `""` unescaped when needed.
pub fn field_value<'a>(text: &'a str, f: &FieldSpan) -> Cow<'a, str> {
    let raw = &text[f.start..f.end];
    if f.escaped {
        Cow::Owned(raw.replace("\"\"", "\""))
    } else {
        Cow::Borrowed(raw)
    }
}

/// The header: the first of the first 30 records that maps every required field. `records`
/// is left just after it.
fn find_header(
    text: &str,
    records: &mut Records,
    kind: SourceKind,
    opts: &ReadOptions,
) -> Result<(RecordInfo, HeaderMap, usize), Fatal> {
    let aliases = opts.columns.kind(kind);
    let mut spans = Vec::new();
    let mut search = HeaderSearch::default();
    while let Some(rec) = records.next_into(&mut spans) {
        if rec.number as usize > HEADER_SEARCH_ROWS {
            break;
        }
        let cells: Vec<Cow<str>> = spans.iter().map(|s| field_value(text, s)).collect();
        if let Some(map) = search.try_row(&cells, kind, aliases, None, rec.number) {
            return Ok((rec, map, spans.len()));
        }
    }
    if text.trim().is_empty() {
        return Err(Fatal::Unreadable {
            reason: crate::tr!("ファイルが空です", "the file is empty"),
        });
    }
    Err(search.into_fatal(kind, aliases))
}

/// The bad byte sequences (in text order, from the cursor on) that fall in `rec`.
fn bad_in_record<'b>(bad: &'b [BadBytes], rec: &RecordInfo) -> &'b [BadBytes] {
    let end = rec.end.max(rec.start + 1);
    let n = bad.iter().take_while(|b| b.text_offset < end).count();
    &bad[..n]
}

/// Undecodable bytes in one record: one IN001 per cell that holds them, naming the first bad
/// byte, as (the mapped field of the cell, if any; the byte offset). A CP932 file forced to
/// UTF-8 has several bad sequences in every Japanese cell: one finding each would bury the
/// report. Bad bytes come in order, and so do the fields: one pass over both, not a search of
/// every field for every bad byte (a record of a million fields, each with one).
fn undecodable_cells(
    bad: &[BadBytes],
    spans: &[FieldSpan],
    mapped: &[(Field, usize, String)],
) -> Vec<(Option<Field>, usize)> {
    let mut cells = Vec::new();
    let mut last_col = None;
    let mut span_cursor = 0;
    for b in bad {
        let at = b.text_offset;
        while span_cursor < spans.len()
            && at >= spans[span_cursor].end.max(spans[span_cursor].start + 1)
        {
            span_cursor += 1;
        }
        let col =
            (span_cursor < spans.len() && at >= spans[span_cursor].start).then_some(span_cursor);
        if last_col == Some(col) {
            continue;
        }
        last_col = Some(col);
        let field = col.and_then(|c| mapped.iter().find(|m| m.1 == c).map(|m| m.0));
        cells.push((field, b.byte_offset));
    }
    cells
}

/// Read a CSV file's bytes as a source of `kind`.
pub(super) fn read(bytes: Vec<u8>, kind: SourceKind, opts: &ReadOptions) -> Result<Source, Fatal> {
    let decoded = encoding::decode(&bytes, opts.input_encoding);
    drop(bytes);
    let text = decoded.text;
    // Spans of the text are 32-bit offsets (8 bytes a cell).
    if text.len() > u32::MAX as usize {
        return Err(Fatal::Unreadable {
            reason: crate::tr!(
                "ファイルが大きすぎます（文字コード変換後 4 GiB まで読めます）",
                "the file is too large (up to 4 GiB once decoded)"
            ),
        });
    }
    let mut records = Records::new(&text);
    let (header_rec, map, width) = find_header(&text, &mut records, kind, opts)?;
    let mut spans = Vec::new();

    // Slots: the frame's fields are the mapped ones, in Field order.
    let mut mapped: Vec<_> = map.mapped.clone();
    mapped.sort_by_key(|m| m.0);
    let fields: Vec<_> = mapped.iter().map(|m| m.0).collect();
    let estimate = text.len() / (header_rec.end - header_rec.start + 2).max(16);
    // Cells are kept as spans of the text (typed one field at a time by prepare), not copied.
    let mut cells: Vec<Vec<PackedSpan>> = fields
        .iter()
        .map(|_| Vec::with_capacity(estimate))
        .collect();
    let mut row_numbers: Vec<u32> = Vec::with_capacity(estimate);
    let mut issues = Vec::new();
    let mut unreadable = HashSet::new();
    let mut row_spans = Vec::with_capacity(estimate);
    let bad: &[BadBytes] = &decoded.bad;
    let mut bad_cursor = 0usize;
    // 外字 (U+E000..U+E757) encode in UTF-8 with lead byte 0xEE: a memchr over the bytes rules
    // most files out before any character is decoded.
    let any_gaiji = text.as_bytes().contains(&0xEE) && text.chars().any(encoding::is_gaiji);
    let mut blank_rows = 0usize;

    // Bad bytes before the first data record (title or header rows) are file-level IN001.
    while bad_cursor < bad.len() && bad[bad_cursor].text_offset < header_rec.end {
        issues.push(Issue {
            kind: IssueKind::Undecodable {
                byte_offset: bad[bad_cursor].byte_offset,
            },
            row: None,
            field: None,
        });
        bad_cursor += 1;
    }

    while let Some(rec) = records.next_into(&mut spans) {
        let blank = spans.iter().all(|s| text[s.start..s.end].trim().is_empty());
        if blank && !rec.unterminated {
            blank_rows += 1;
            // Bad bytes cannot sit in a blank record, but keep the cursor honest.
            while bad_cursor < bad.len() && bad[bad_cursor].text_offset < rec.end {
                bad_cursor += 1;
            }
            continue;
        }
        let row = row_numbers.len() as u32;
        row_numbers.push(rec.number);
        row_spans.push((rec.start as u32, rec.end as u32));
        if spans.len() != width || rec.unterminated {
            issues.push(Issue {
                kind: IssueKind::Ragged {
                    expected: width,
                    found: spans.len(),
                    unterminated: rec.unterminated,
                },
                row: Some(row),
                field: None,
            });
        }
        for (slot, (field, col, _)) in mapped.iter().enumerate() {
            let span = spans.get(*col);
            cells[slot].push(span.map_or(PackedSpan::NONE, PackedSpan::new));
            let gaiji = span.filter(|_| any_gaiji).and_then(|s| {
                text[s.start..s.end]
                    .chars()
                    .find(|c| encoding::is_gaiji(*c))
            });
            if let Some(ch) = gaiji {
                issues.push(Issue {
                    kind: IssueKind::Gaiji { ch },
                    row: Some(row),
                    field: Some(*field),
                });
            }
        }
        let in_record = bad_in_record(&bad[bad_cursor..], &rec);
        bad_cursor += in_record.len();
        for (field, byte_offset) in undecodable_cells(in_record, &spans, &mapped) {
            if let Some(f) = field {
                unreadable.insert((row, f));
            }
            issues.push(Issue {
                kind: IssueKind::Undecodable { byte_offset },
                row: Some(row),
                field,
            });
        }
    }

    let rows = row_numbers.len();
    if rows == 0 {
        issues.push(Issue {
            kind: IssueKind::NoRows { sheet: None },
            row: None,
            field: None,
        });
    }
    Ok(Source {
        path: PathBuf::new(),
        kind,
        format: Format::Csv,
        encoding: Some(decoded.encoding),
        tables: vec![Table {
            sheet: None,
            header_row: header_rec.number,
            mapped: map.mapped,
            unmapped: map.unmapped,
            width,
            rows,
            blank_rows,
        }],
        skipped_sheets: Vec::new(),
        raw: polars::prelude::DataFrame::empty(),
        csv_cells: fields.iter().copied().zip(cells).collect(),
        fields,
        row_tables: vec![0; row_numbers.len()],
        row_numbers,
        unreadable,
        text: Some(std::sync::Arc::new(text)),
        shared: None,
        row_spans,
        issues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Field;
    use crate::ingest::encoding::InputEncoding;

    fn parse(text: &str) -> Vec<(u32, Vec<String>, bool)> {
        let mut r = Records::new(text);
        let mut spans = Vec::new();
        let mut out = Vec::new();
        while let Some(rec) = r.next_into(&mut spans) {
            let vals = spans
                .iter()
                .map(|s| field_value(text, s).into_owned())
                .collect();
            out.push((rec.number, vals, rec.unterminated));
        }
        out
    }

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_newlines_and_count_once() {
        let got = parse("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\r\nline\",x,\r\nlast,1,2");
        assert_eq!(
            got,
            vec![
                (1, strs(&["a", "b,c", "say \"hi\""]), false),
                (2, strs(&["multi\r\nline", "x", ""]), false),
                (3, strs(&["last", "1", "2"]), false),
            ]
        );
    }

    #[test]
    fn lf_cr_and_crlf_all_end_records() {
        let got = parse("a\nb\rc\r\nd\n");
        let values: Vec<_> = got.iter().map(|r| r.1[0].clone()).collect();
        assert_eq!(values, strs(&["a", "b", "c", "d"]));
    }

    #[test]
    fn an_unterminated_quote_runs_to_the_end_and_is_flagged() {
        let got = parse("a,\"open\nb,c\n");
        assert_eq!(got.len(), 1);
        assert!(got[0].2);
        assert_eq!(got[0].1, strs(&["a", "open\nb,c\n"]));
    }

    #[test]
    fn text_after_a_closing_quote_is_kept_not_dropped() {
        let got = parse("\"a\"b,c\n");
        assert_eq!(got[0].1, strs(&["\"a\"b", "c"]));
    }

    #[test]
    fn a_trailing_comma_at_end_of_file_is_an_empty_field() {
        assert_eq!(parse("a,")[0].1, strs(&["a", ""]));
        assert_eq!(parse("")[..], []);
        assert_eq!(parse("\n")[0].1, strs(&[""]));
    }

    fn read_employer(bytes: &[u8], enc: InputEncoding) -> Source {
        let columns = crate::config::Columns::builtin();
        let opts = ReadOptions {
            columns: &columns,
            input_encoding: enc,
        };
        read(bytes.to_vec(), SourceKind::Employer, &opts).expect("readable")
    }

    #[test]
    fn undecodable_bytes_give_one_issue_per_cell_at_the_first_bad_byte() {
        let mut bytes = "記号,番号,枝番,生年月日,氏名,住所\n1001,1,00,1980-01-01,"
            .as_bytes()
            .to_vec();
        let name_at = bytes.len();
        bytes.extend_from_slice(&[0x8E, 0x52, 0x93, 0x63]); // 山田 in CP932: invalid UTF-8
        bytes.extend_from_slice(b",");
        let address_at = bytes.len();
        bytes.extend_from_slice(&[0x93, 0x8C]); // 東
        bytes.extend_from_slice(b"\n1001,2,00,1981-02-02,ok,ok\n");
        let src = read_employer(&bytes, InputEncoding::Utf8);
        let got: Vec<_> = src
            .issues
            .iter()
            .map(|i| (i.kind.clone(), i.row, i.field))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    IssueKind::Undecodable {
                        byte_offset: name_at
                    },
                    Some(0),
                    Some(Field::Name)
                ),
                (
                    IssueKind::Undecodable {
                        byte_offset: address_at
                    },
                    Some(0),
                    Some(Field::Address)
                ),
            ]
        );
        assert!(src.unreadable.contains(&(0, Field::Name)));
        assert!(src.unreadable.contains(&(0, Field::Address)));
        assert_eq!(src.rows(), 2);
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "x,\"y\"\n";
        let mut r = Records::new(text);
        let mut spans = Vec::new();
        let rec = r.next_into(&mut spans).unwrap();
        assert_eq!((rec.start, rec.end), (0, 5));
        assert_eq!(&text[spans[1].start..spans[1].end], "y");
    }
}
