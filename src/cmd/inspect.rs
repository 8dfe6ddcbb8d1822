//! `shikaku inspect FILE --kind KIND`: how a file was read — the encoding, the sheets, the
//! header row, header → field mapping (and unmapped headers), row counts, and the first rows
//! as read. This is how staff onboard a new employer's format. My Number digits are masked:
//! each cell as a cell, then every line (headers and sheet names are quoted cells).

use crate::cli::{InspectArgs, input_encoding, load_config};
use crate::error::{Error, Result};
use crate::ingest::excel::column_letter;
use crate::ingest::{self, ReadOptions};
use crate::report::mask::{mask_cell, mask_digit_runs};
use crate::report::printable::printable;
use crate::tr;
use std::fmt::Write;

pub fn run(args: InspectArgs) -> Result<i32> {
    let config = load_config(args.rules.as_ref())?;
    let kind = args.kind.kind();
    let opts = ReadOptions {
        columns: &config.columns,
        input_encoding: input_encoding(&args.input_encoding)?,
    };
    let source =
        ingest::read(&args.file, kind, &opts).map_err(|fatal| Error::Input(Box::new(fatal)))?;
    let text = render(&source, args.rows);
    print!("{}", printable(&mask_digit_runs(&text)));
    Ok(0)
}

pub fn render(source: &ingest::Source, rows: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        tr!(
            "{}（{}、{}）",
            "{} ({}, {})";
            source.path.display(),
            source.kind.label(),
            source.format.name()
        )
    );
    if let Some(enc) = source.encoding {
        let _ = writeln!(out, "{}", tr!("  文字コード：{enc}", "  encoding: {enc}"));
    }
    for (name, why) in &source.skipped_sheets {
        let _ = writeln!(
            out,
            "{}",
            tr!(
                "  シート「{name}」は読み込みません：{why}",
                "  sheet 「{name}」 skipped: {why}"
            )
        );
    }
    for table in &source.tables {
        let csv = source.format == ingest::Format::Csv;
        match &table.sheet {
            Some(s) => {
                let _ = writeln!(
                    out,
                    "{}",
                    tr!(
                        "  シート「{s}」：見出しは{}行目、データ {} 行、空白の行 {} 行は読み飛ばし",
                        "  sheet 「{s}」: header at row {}, {} data rows, {} blank rows skipped";
                        table.header_row,
                        table.rows,
                        table.blank_rows
                    )
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "{}",
                    tr!(
                        "  見出しは{}行目、{} 列、データ {} 行、空白の行 {} 行は読み飛ばし",
                        "  header at record {}, {} columns, {} data rows, {} blank rows skipped";
                        table.header_row,
                        table.width,
                        table.rows,
                        table.blank_rows
                    )
                );
            }
        }
        let mut mapped = table.mapped.clone();
        mapped.sort_by_key(|m| m.1);
        for (field, c, header) in &mapped {
            let at = if csv {
                format!("#{}", c + 1)
            } else {
                column_letter(*c)
            };
            let _ = writeln!(
                out,
                "{}",
                tr!(
                    "    {at:>4} 「{header}」 → {}（{}）",
                    "    {at:>4} 「{header}」 → {} ({})";
                    field.key(),
                    field.label()
                )
            );
        }
        for (c, header) in &table.unmapped {
            let at = if csv {
                format!("#{}", c + 1)
            } else {
                column_letter(*c)
            };
            let _ = writeln!(
                out,
                "{}",
                tr!(
                    "    {at:>4} 「{header}」 → （対応する項目なし）",
                    "    {at:>4} 「{header}」 → (not mapped)"
                )
            );
        }
    }
    let _ = writeln!(
        out,
        "{}",
        tr!("  読み込んだ行：{}", "  rows read: {}"; source.rows())
    );
    let _ = writeln!(
        out,
        "{}",
        tr!(
            "  読み込み時の指摘：{} 件",
            "  issues while reading: {}";
            source.issues.len()
        )
    );
    let shown = rows.min(source.rows());
    if shown > 0 {
        let _ = writeln!(
            out,
            "{}",
            tr!(
                "  先頭の {shown} 行（読み込んだとおり）：",
                "  first {shown} rows as read:"
            )
        );
        for r in 0..shown as u32 {
            let number = source.row_number(r).unwrap_or(0);
            // Several sheets: say which one the row is on.
            let sheet = match source.table_of(r).and_then(|t| t.sheet.as_deref()) {
                Some(s) if source.tables.len() > 1 => format!("{}!", mask_cell(s)),
                _ => String::new(),
            };
            let cells: Vec<String> = source
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "{}={}",
                        f.key(),
                        mask_cell(source.cell(r, *f).as_deref().unwrap_or(""))
                    )
                })
                .collect();
            // Embedded newlines shown as ⏎ so one row stays one line.
            let line = cells
                .join(" | ")
                .replace("\r\n", "⏎")
                .replace(['\r', '\n'], "⏎");
            let _ = writeln!(out, "    {sheet}{number:>5}: {line}");
        }
    }
    out
}
