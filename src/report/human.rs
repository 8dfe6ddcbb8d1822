//! The human report: one miette diagnostic per finding, the offending cell underlined in the
//! rendered row, related cells in other sources as their own snippets, help text; capped per
//! code; then the summary. Rows are rendered with My Number digits masked.

use super::mask::{mask_cell, mask_digit_runs, mask_key, mask_record};
use super::printable::printable;
use super::snippet::{MAX_FIELD_CHARS, MAX_MESSAGE_CHARS, clip, fit};
use super::{File, Outcome};
use crate::field::Field;
use crate::finding::{Anchor, Finding, Severity};
use crate::i18n::Tr;
use crate::ingest::excel::column_letter;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::collections::BTreeMap;
use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// A row of a source as miette shows it, numbered as the spreadsheet (or CSV record) is.
#[derive(Debug)]
struct RowSource {
    name: String,
    text: String,
    first_line: usize,
}

impl SourceCode for RowSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

#[derive(Debug)]
struct Diag {
    code: Option<String>,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: Option<RowSource>,
    labels: Vec<LabeledSpan>,
    related: Vec<Diag>,
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
        }
    }
}

/// A cell's span in a rendered row, and its label.
type CellSpan = (usize, usize, String);

/// The row of an anchor, with the span of its cell, as miette will show it.
fn row_source(at: &Anchor, files: &[File]) -> Option<(RowSource, Option<CellSpan>)> {
    let file = &files[at.source];
    let input = file.input.as_ref()?;
    let row = at.row?;
    let src = &input.source;
    let number = src.row_number(row)? as usize;
    let table = src.table_of(row)?;
    let field_label = at
        .field
        .map(|f| crate::tr!("、{}", ", {}"; f.label()))
        .unwrap_or_default();
    if let Some((record, spans)) = src.record_fields(row) {
        // A quoted multi-line record is shown on one line (CR/LF as spaces, same byte length)
        // so the snippet carries the record number the JSON gives.
        let masked = printable(&mask_record(record).replace(['\r', '\n'], " ")).into_owned();
        let target = at.field.and_then(|f| table.column_of(f));
        let (clipped, cell) = fit(&masked, &spans, target);
        let (text, moved) = for_terminal(&clipped);
        let label = at.field.map(|f| f.label().to_string()).unwrap_or_default();
        let cell = cell.map(|(start, len)| {
            let (start, end) = (moved.at(start), moved.at(start + len));
            (start, end - start, label)
        });
        return Some((
            RowSource {
                name: printable(&crate::tr!(
                    "{} {number}行目{field_label}",
                    "{} row {number}{field_label}";
                    file.display_path()
                ))
                .into_owned(),
                text,
                first_line: number.saturating_sub(1),
            },
            cell,
        ));
    }
    // A workbook row, compact: the key cells, 氏名 and the cell in question, in column order
    // (a whole row of twenty cells would not fit any screen).
    let shown = [Field::Symbol, Field::Number, Field::Branch, Field::Name];
    let mut cells: Vec<(usize, Field)> = table
        .mapped
        .iter()
        .filter(|(f, _, _)| shown.contains(f) || Some(*f) == at.field)
        .map(|(f, c, _)| (*c, *f))
        .collect();
    cells.sort();
    let mut line = String::new();
    let mut cell = None;
    let mut previous: Option<usize> = None;
    for (c, f) in &cells {
        if let Some(p) = previous {
            line.push_str(if *c == p + 1 {
                " │ "
            } else {
                " │ … │ "
            });
        }
        previous = Some(*c);
        let raw = src.cell(row, *f);
        let masked = mask_cell(raw.as_deref().unwrap_or(""));
        let value = clip(&masked, MAX_FIELD_CHARS);
        line.push_str(&format!("{}{number} {} ", column_letter(*c), f.label()));
        let start = line.len();
        line.push_str(&value);
        if Some(*f) == at.field {
            cell = Some((start, value.len(), f.label().to_string()));
        }
    }
    let (text, moved) = for_terminal(&printable(&mask_digit_runs(&line)));
    let cell = cell.map(|(start, len, label)| {
        let (start, end) = (moved.at(start), moved.at(start + len));
        (start, end - start, label)
    });
    let sheet = mask_cell(table.sheet.as_deref().unwrap_or_default()).into_owned();
    let reference = match at.field.and_then(|f| table.column_of(f)) {
        Some(c) => format!("{sheet}!{}{number}{field_label}", column_letter(c)),
        None => format!("{sheet}!{number}"),
    };
    Some((
        RowSource {
            name: printable(&format!("{} {reference}", file.display_path())).into_owned(),
            text,
            first_line: number.saturating_sub(1),
        },
        cell,
    ))
}

/// Byte offsets of a text before and after [`for_terminal`] changed it: (before, after) at
/// every change, in order.
struct Moved(Vec<(usize, usize)>);

impl Moved {
    /// Where byte `offset` of the original text is in the changed one.
    fn at(&self, offset: usize) -> usize {
        let i = self.0.partition_point(|(before, _)| *before <= offset);
        match i.checked_sub(1).map(|i| self.0[i]) {
            Some((before, after)) => after + (offset - before),
            None => offset,
        }
    }
}

/// A rendered row as the terminal should show it to keep miette's underline in place. miette
/// measures a half-width ﾞ or ﾟ as zero columns (unicode-width 0.1's width of the character
/// alone), where terminals give it one, so every ﾞ/ﾟ before a cell moved its underline a
/// column to the left — and 氏名カナ like ﾔﾏﾀﾞ sit before most cells. Here a run of half-width
/// kana holding a mark is shown as the full-width kana it stands for (ﾔﾏﾀﾞ → ヤマダ), which
/// miette and the terminal measure alike. Only the rendered row: messages, JSON and lists keep
/// the text as read.
fn for_terminal(text: &str) -> (String, Moved) {
    let is_mark = |c: char| matches!(c, '\u{FF9E}' | '\u{FF9F}');
    if !text.contains(is_mark) {
        return (text.to_string(), Moved(Vec::new()));
    }
    let half_width_kana = |c: char| ('\u{FF61}'..='\u{FF9F}').contains(&c);
    let mut out = String::with_capacity(text.len());
    let mut moved = Vec::new();
    let mut rest = text;
    let mut at = 0;
    while let Some(start) = rest.find(half_width_kana) {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let len = run.find(|c| !half_width_kana(c)).unwrap_or(run.len());
        let (run, after) = run.split_at(len);
        if run.contains(is_mark) {
            out.extend(run.nfkc());
            moved.push((at + start + len, out.len()));
        } else {
            out.push_str(run);
        }
        at += start + len;
        rest = after;
    }
    out.push_str(rest);
    (out, Moved(moved))
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Fatal | Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn where_text(at: &Anchor, files: &[File]) -> String {
    let file = &files[at.source];
    let mut s = file.display_path();
    if let (Some(row), Some(input)) = (at.row, &file.input) {
        if let Some(t) = input.source.table_of(row).and_then(|t| t.sheet.as_deref()) {
            s.push_str(&format!(" [{}]", mask_cell(t)));
        }
        if let Some(n) = input.source.row_number(row) {
            s.push_str(&crate::tr!(" {n}行目", " row {n}"));
        }
    }
    if let Some(f) = at.field {
        s.push_str(&format!(" {}", f.label()));
    }
    s
}

fn diag(f: &Finding, files: &[File], keys: &super::Keys) -> Diag {
    let snippet = row_source(&f.at, files);
    let (source, labels) = match snippet {
        Some((src, Some((start, len, label)))) => (
            Some(src),
            vec![LabeledSpan::new_primary_with_span(
                Some(label),
                (start, len.max(1)),
            )],
        ),
        Some((src, None)) => {
            let len = src.text.lines().next().map_or(0, str::len);
            (Some(src), vec![LabeledSpan::new_with_span(None, (0, len))])
        }
        None => (None, Vec::new()),
    };
    let key = f
        .key
        .as_deref()
        .map(|k| format!("[{}] ", mask_key(k)))
        .unwrap_or_default();
    let message = if source.is_some() {
        format!("{key}{}", keys.mask(&f.message))
    } else {
        format!(
            "{key}{} — {}",
            keys.mask(&f.message),
            where_text(&f.at, files)
        )
    };
    let related = f
        .related
        .iter()
        .map(|r| {
            let (source, labels) = match row_source(&r.at, files) {
                Some((src, Some((start, len, label)))) => (
                    Some(src),
                    vec![LabeledSpan::new_primary_with_span(
                        Some(label),
                        (start, len.max(1)),
                    )],
                ),
                Some((src, None)) => (Some(src), Vec::new()),
                None => (None, Vec::new()),
            };
            // The snippet's name says where; without a snippet the message must.
            let message = if source.is_some() {
                keys.mask(&r.label).into_owned()
            } else {
                format!("{} — {}", keys.mask(&r.label), where_text(&r.at, files))
            };
            Diag {
                code: None,
                severity: miette::Severity::Advice,
                message: clip(&printable(&message), MAX_MESSAGE_CHARS).into_owned(),
                help: None,
                source,
                labels,
                related: Vec::new(),
            }
        })
        .collect();
    Diag {
        code: Some(format!("{} {}", f.rule.code, f.severity.label())),
        severity: miette_severity(f.severity),
        message: clip(&printable(&message), MAX_MESSAGE_CHARS).into_owned(),
        help: Some(f.rule.help.to_string()),
        source,
        labels,
        related,
    }
}

/// miette heads the help text with an English "help: "; in Japanese it reads 対処：, which
/// takes the same six columns, so miette's wrapping and indentation still fit. The help is
/// the last thing miette renders for a finding (related cells are rendered after it, by us),
/// so the label is the last occurrence in the finding's text, whatever the row shown above
/// it holds.
fn localize_help_label(out: &mut String, start: usize) {
    const MIETTE: &str = "  help: ";
    if crate::i18n::lang() == crate::i18n::Lang::En {
        return;
    }
    if let Some(at) = out[start..].rfind(MIETTE) {
        let at = start + at;
        out.replace_range(at..at + MIETTE.len(), "  対処：");
    }
}

/// How the report is drawn: tests pin width and colours.
pub struct Style {
    pub width: usize,
    pub color: bool,
}

impl Style {
    pub fn handler(&self) -> GraphicalReportHandler {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_links(false)
            .without_primary_span_start()
    }
}

/// Render the findings (at most `max_per_code` per code) and the summary.
pub fn render(
    outcome: &Outcome,
    max_per_code: usize,
    style: &Style,
    fail_on: super::FailOn,
) -> String {
    let handler = style.handler();
    let keys = super::Keys::new(&outcome.files);
    let mut out = String::new();
    let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
    let mut hidden: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &outcome.findings {
        let n = shown.entry(f.rule.code).or_default();
        if *n >= max_per_code {
            *hidden.entry(f.rule.code).or_default() += 1;
            continue;
        }
        *n += 1;
        let mut d = diag(f, &outcome.files, &keys);
        // Related cells are rendered here rather than by miette, whose heading for them
        // ("Advice: ") is English only; the layout is the one miette gives them.
        let related = std::mem::take(&mut d.related);
        let start = out.len();
        let _ = handler.render_report(&mut out, &d);
        localize_help_label(&mut out, start);
        for r in &related {
            out.push_str(&format!("\n{}\n", Tr::new("関連：", "Advice: ")));
            let _ = handler.render_report(&mut out, r);
        }
        out.push('\n');
    }
    for (code, n) in &hidden {
        out.push_str(&crate::tr!("… ほかに {code} の指摘が {n} 件あります（表示は --max-per-code {max_per_code} 件まで。--format json ではすべて出力します）\n", "… {n} more {code} finding(s) not shown (--max-per-code {max_per_code}; --format json lists all)\n"));
    }
    if !hidden.is_empty() {
        out.push('\n');
    }
    out.push_str(&super::summary::render(outcome, fail_on));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_half_width_word_with_a_mark_is_shown_full_width_and_offsets_follow() {
        let row = "1001,ﾔﾏﾀﾞ ﾊﾟｸ ｿｳﾀ,３";
        let (text, moved) = for_terminal(row);
        assert_eq!(text, "1001,ヤマダ パク ｿｳﾀ,３");
        let last = row.rfind('３').unwrap();
        assert_eq!(&text[moved.at(last)..], "３");
        assert_eq!(moved.at(0), 0);
        assert_eq!(moved.at(5), 5);
        assert_eq!(moved.at(row.len()), text.len());
        let word = row.find(' ').unwrap();
        assert_eq!(&text[moved.at(5)..moved.at(word)], "ヤマダ");
    }

    #[test]
    fn a_row_without_marks_is_untouched() {
        for row in ["山田　花子,ヤマダ", "ﾔﾏﾀ ﾊﾅｺ,1"] {
            let (text, moved) = for_terminal(row);
            assert_eq!(text, row);
            assert_eq!(moved.at(7), 7);
        }
    }
}
