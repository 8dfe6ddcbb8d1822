//! Target 1: decoding, CSV records, header search and mapping — `ingest` on a CSV of
//! arbitrary bytes, with each `--input-encoding` and each source kind.
//!
//! Asserts: no panic; the rows read are the tables' rows, one record span and one frame row
//! each (a record inside the text); every issue names a row that exists; `inspect` renders, and
//! what it prints holds no 12-digit number and nothing a terminal would act on.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shikaku::config::Columns;
use shikaku::field::SourceKind;
use shikaku::ingest::encoding::InputEncoding;
use shikaku::ingest::{self, Format, ReadOptions};
use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;

fn columns() -> &'static Columns {
    static COLUMNS: OnceLock<Columns> = OnceLock::new();
    COLUMNS.get_or_init(Columns::builtin)
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let encoding = [
        InputEncoding::Auto,
        InputEncoding::Cp932,
        InputEncoding::Utf8,
    ][mode as usize % 3];
    let kind = SourceKind::ALL[(mode as usize / 3) % 4];
    let opts = ReadOptions {
        columns: columns(),
        input_encoding: encoding,
    };
    let Ok(source) = ingest::read_bytes(
        Path::new("fuzz.csv"),
        Format::Csv,
        bytes.to_vec(),
        kind,
        &opts,
    ) else {
        return;
    };
    let rows = source.rows();
    assert_eq!(rows, source.tables.iter().map(|t| t.rows).sum::<usize>());
    for row in 0..rows as u32 {
        // `record` is None unless the row has a span, in order, inside the text and on char
        // boundaries (`str::get`); a row also has its record number and its table.
        assert!(source.record(row).is_some(), "row {row} has no record");
        assert!(source.row_number(row).is_some() && source.table_of(row).is_some());
    }
    assert!(source.record(rows as u32).is_none());
    for issue in &source.issues {
        if let Some(row) = issue.row {
            assert!((row as usize) < rows, "{issue:?} names row {row} of {rows}");
        }
    }
    let shown = shikaku::cmd::inspect::render(&source, 30);
    let shown = shikaku::report::mask::mask_digit_runs(&shown);
    let shown = shikaku::report::printable::printable(&shown);
    shikaku_fuzz::assert_masked("inspect", &shown, &HashSet::new());
    shikaku_fuzz::assert_printable("inspect", &shown);
});
