//! Long rows and values cut to what a report can show. A file can hold a cell of megabytes or
//! a row of 20,000 fields: miette pads to the underlined column with a width it cannot format
//! past 65,535 (it panics), and no one reads such a line anyway. Text is cut only after it has
//! been masked, so a cut never leaves the first digits of a My Number showing.

use crate::ingest::csv::FieldSpan;

/// A rendered row longer than this is shown as a window of fields around the cell.
pub const MAX_ROW_BYTES: usize = 1024;
/// Characters of one field (or workbook value) shown in a long row.
pub const MAX_FIELD_CHARS: usize = 64;
/// Fields shown on each side of the cell in question.
const FIELDS_AROUND: usize = 8;
/// Characters of a message shown in the human report (JSON keeps it whole).
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// `text` cut to `max` characters, with `…` and the full length when cut.
pub fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some((at, _)) => format!("{}…({} chars)", &text[..at], text.chars().count()).into(),
    }
}

/// A CSV record as shown: itself when short; else the fields around `target` (all fields
/// when there is none, up to the window), each clipped, `…` where fields are left out. The
/// target cell's (start, length) in what is shown.
pub fn fit(
    record: &str,
    spans: &[FieldSpan],
    target: Option<usize>,
) -> (String, Option<(usize, usize)>) {
    let span_of = |i: usize| spans.get(i).map(|s| (s.start, s.end - s.start));
    if record.len() <= MAX_ROW_BYTES {
        return (record.to_string(), target.and_then(span_of));
    }
    let centre = target.unwrap_or(0);
    let first = centre.saturating_sub(FIELDS_AROUND);
    let last = (centre + FIELDS_AROUND).min(spans.len().saturating_sub(1));
    let mut out = String::new();
    let mut cell = None;
    if first > 0 {
        out.push_str("…,");
    }
    for (i, s) in spans.iter().enumerate().take(last + 1).skip(first) {
        if i > first {
            out.push(',');
        }
        let shown = clip(&record[s.start..s.end], MAX_FIELD_CHARS);
        if Some(i) == target {
            cell = Some((out.len(), shown.len()));
        }
        out.push_str(&shown);
    }
    if last + 1 < spans.len() {
        out.push_str(",…");
    }
    (out, cell)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::csv::Records;

    fn spans(record: &str) -> Vec<FieldSpan> {
        let mut v = Vec::new();
        Records::new(record).next_into(&mut v);
        v
    }

    #[test]
    fn short_rows_are_shown_as_they_are() {
        let r = "1001,1,00,山田";
        let (text, cell) = fit(r, &spans(r), Some(3));
        assert_eq!((text.as_str(), cell), (r, Some((10, 6))));
    }

    #[test]
    fn a_multi_megabyte_cell_is_clipped_and_still_underlined() {
        let r = format!("1001,1,00,{},S99", "山".repeat(1 << 20));
        let (text, cell) = fit(&r, &spans(&r), Some(4));
        assert!(text.len() < MAX_ROW_BYTES, "{}", text.len());
        let (start, len) = cell.expect("the cell");
        assert_eq!(&text[start..start + len], "S99");
        assert!(text.contains("…(1048576 chars)"));
    }

    #[test]
    fn twenty_thousand_fields_show_a_window_around_the_cell() {
        let r: String = (0..20_000)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let (text, cell) = fit(&r, &spans(&r), Some(10_000));
        assert!(
            text.starts_with("…,9992,") && text.ends_with(",10008,…"),
            "{text}"
        );
        let (start, len) = cell.expect("the cell");
        assert_eq!(&text[start..start + len], "10000");
    }

    #[test]
    fn clip_counts_characters() {
        assert_eq!(clip("山田太郎", 2), "山田…(4 chars)");
        assert_eq!(clip("山田", 2), "山田");
    }
}
