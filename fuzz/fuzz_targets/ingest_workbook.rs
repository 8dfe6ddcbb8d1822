//! Target 2: workbooks through `ingest` (calamine underneath, guarded by shikaku's checks).
//!
//! The first byte picks the mode: arbitrary bytes as .xlsx, .xls, .xlsb or .ods; or,
//! structure-aware, a valid .xlsx zip whose sheet XML and shared strings are the fuzz input
//! (split at the first 0xFF byte), or a valid .ods whose content.xml is.
//!
//! Asserts: no panic outside calamine (shikaku's guard raises its own again under
//! `cfg(fuzzing)`); the rows read are the tables' rows; every issue names a row that exists.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shikaku::config::Columns;
use shikaku::field::SourceKind;
use shikaku::ingest::{self, Format, ReadOptions};
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

fn columns() -> &'static Columns {
    static COLUMNS: OnceLock<Columns> = OnceLock::new();
    COLUMNS.get_or_init(Columns::builtin)
}

const RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        let _ = z.start_file(*name, options);
        let _ = z.write_all(data);
    }
    z.finish().map(|c| c.into_inner()).unwrap_or_default()
}

fn xlsx(input: &[u8]) -> Vec<u8> {
    let split = input.iter().position(|b| *b == 0xFF).unwrap_or(input.len());
    let (sheet, sst) = (&input[..split], input.get(split + 1..).unwrap_or_default());
    zip_of(&[
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", sst),
    ])
}

fn ods(content: &[u8]) -> Vec<u8> {
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content),
    ])
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    let (format, bytes) = match mode % 6 {
        0 => (Format::Xlsx, input.to_vec()),
        1 => (Format::Xls, input.to_vec()),
        2 => (Format::Xlsb, input.to_vec()),
        3 => (Format::Ods, input.to_vec()),
        4 => (Format::Xlsx, xlsx(input)),
        _ => (Format::Ods, ods(input)),
    };
    let kind = SourceKind::ALL[(mode as usize / 6) % 4];
    let opts = ReadOptions {
        columns: columns(),
        input_encoding: Default::default(),
    };
    let Ok(source) = ingest::read_bytes(Path::new("fuzz.xlsx"), format, bytes, kind, &opts) else {
        return;
    };
    let rows = source.rows();
    assert_eq!(rows, source.tables.iter().map(|t| t.rows).sum::<usize>());
    for issue in &source.issues {
        if let Some(row) = issue.row {
            assert!((row as usize) < rows, "{issue:?} names row {row} of {rows}");
        }
    }
    let _ = shikaku::cmd::inspect::render(&source, 30);
});
