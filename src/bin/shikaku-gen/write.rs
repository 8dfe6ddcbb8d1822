//! Writers: CP932 CSV (CRLF, quoted where needed, raw bytes allowed) and .xlsx.

use std::fs;
use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as XFormat, Formula, Workbook};

use crate::files::{Format, Sheet, Table};
use crate::model::Cell;

/// A date as an Excel date cell value.
pub fn excel_date(d: chrono::NaiveDate) -> Result<ExcelDateTime, rust_xlsxwriter::XlsxError> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

pub fn encode(text: &str, what: &dyn Fn() -> String) -> Result<Vec<u8>, String> {
    shikaku::domain::cp932::encode(text)
        .map_err(|e| format!("{}: cannot encode {:?} as CP932", what(), e.chars))
}

fn csv_field(out: &mut Vec<u8>, cell: &Cell, what: &dyn Fn() -> String) -> Result<(), String> {
    let text = match cell {
        Cell::Empty => return Ok(()),
        Cell::Raw(bytes) => {
            out.extend_from_slice(bytes);
            return Ok(());
        }
        Cell::Text(s) => s.clone(),
        Cell::Num(n) => format!("{n}"),
        Cell::Date(d) => crate::text::iso(*d),
        Cell::NaError => "#N/A".to_string(),
    };
    if text.contains([',', '"', '\r', '\n']) {
        out.push(b'"');
        out.extend(encode(&text.replace('"', "\"\""), what)?);
        out.push(b'"');
    } else {
        out.extend(encode(&text, what)?);
    }
    Ok(())
}

fn csv_record(out: &mut Vec<u8>, cells: &[Cell], what: &dyn Fn() -> String) -> Result<(), String> {
    for (k, c) in cells.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        csv_field(out, c, what)?;
    }
    out.extend_from_slice(b"\r\n");
    Ok(())
}

pub fn csv_bytes(sheet: &Sheet, path: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for (k, row) in sheet.title.iter().enumerate() {
        csv_record(&mut out, row, &|| format!("{path}: title record {}", k + 1))?;
    }
    let header: Vec<Cell> = sheet
        .header
        .iter()
        .map(|(h, _)| Cell::text(h.clone()))
        .collect();
    csv_record(&mut out, &header, &|| format!("{path}: header"))?;
    for (k, (_, cells)) in sheet.rows.iter().enumerate() {
        let n = sheet.row_number(k);
        csv_record(&mut out, cells, &|| format!("{path}: record {n}"))?;
    }
    Ok(out)
}

pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// A fixed creation date so that the same data gives the same bytes.
pub fn fixed_properties() -> Result<DocProperties, String> {
    let created = ExcelDateTime::from_ymd(2026, 10, 26).map_err(|e| e.to_string())?;
    Ok(DocProperties::new()
        .set_author("さくら健康保険組合 sample")
        .set_creation_datetime(&created))
}

pub fn xlsx(table: &Table, path: &Path) -> Result<(), String> {
    let err = |e: rust_xlsxwriter::XlsxError| format!("{}: {e}", path.display());
    let mut wb = Workbook::new();
    wb.set_properties(&fixed_properties()?);
    let date_fmt = XFormat::new().set_num_format(if table.format == Format::XlsSource {
        "yyyy\"年\"m\"月\"d\"日\""
    } else {
        "yyyy/m/d"
    });
    let money = XFormat::new().set_num_format("#,##0");
    let bold = XFormat::new().set_bold();
    for sheet in &table.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name).map_err(err)?;
        for (c, w) in sheet.widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w).map_err(err)?;
        }
        let mut r: u32 = 0;
        for row in &sheet.title {
            for (c, cell) in row.iter().enumerate() {
                if let Cell::Text(s) = cell {
                    ws.write_string(r, c as u16, s).map_err(err)?;
                }
            }
            r += 1;
        }
        if !sheet.header.is_empty() {
            for (c, (h, _)) in sheet.header.iter().enumerate() {
                ws.write_string_with_format(r, c as u16, h, &bold)
                    .map_err(err)?;
            }
            r += 1;
        }
        for (_, cells) in &sheet.rows {
            for (c, cell) in cells.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) => {
                        ws.write_string(r, c, s).map_err(err)?;
                    }
                    Cell::Num(n) => {
                        if *n >= 10_000.0
                            && n.fract() == 0.0
                            && *n < 1e7
                            && sheet.header[c as usize].0.contains("報酬")
                        {
                            ws.write_number_with_format(r, c, *n, &money).map_err(err)?;
                        } else {
                            ws.write_number(r, c, *n).map_err(err)?;
                        }
                    }
                    Cell::Date(d) => {
                        let dt = excel_date(*d).map_err(err)?;
                        ws.write_datetime_with_format(r, c, &dt, &date_fmt)
                            .map_err(err)?;
                    }
                    Cell::NaError => {
                        ws.write_formula(r, c, Formula::new("=NA()").set_result("#N/A"))
                            .map_err(err)?;
                    }
                    Cell::Raw(_) => {
                        return Err(format!(
                            "{}: raw bytes cannot go into a workbook",
                            path.display()
                        ));
                    }
                }
            }
            r += 1;
        }
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    wb.save(path).map_err(err)
}
