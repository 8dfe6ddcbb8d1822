//! What the harness runs as its own child processes: the floors (reading files and nothing
//! else), workbook ingest through the library, and the date parser in-process.
//!
//! Each prints one line of `key=value` pairs that the harness reads back.

use calamine::{Data, Reader, Xlsx, open_workbook};
use encoding_rs::SHIFT_JIS;
use shikaku::config::Config;
use shikaku::domain::date::{EraDigits, parse_date};
use shikaku::field::SourceKind;
use shikaku::ingest::encoding::InputEncoding;
use shikaku::ingest::{self, ReadOptions};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The files a path stands for: itself, or a directory's workbooks and CSVs, sorted.
fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("{}: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e == "csv")
                })
                .collect();
            v.sort();
            out.extend(v);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn is_xlsx(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// The floor of reading `paths`: a CSV is read, decoded from CP932 by encoding_rs and its
/// records counted (quotes honoured); a workbook is opened by calamine, each sheet's range
/// loaded and every cell visited. No header search, no frame, no checks.
pub fn floor(paths: &[PathBuf]) -> Result<(), String> {
    let t = Instant::now();
    let (mut records, mut cells, mut text_bytes) = (0u64, 0u64, 0u64);
    for path in files(paths)? {
        if is_xlsx(&path) {
            let mut wb: Xlsx<_> =
                open_workbook(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            for name in wb.sheet_names() {
                let range = wb
                    .worksheet_range(&name)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                for row in range.rows() {
                    records += 1;
                    for cell in row {
                        match cell {
                            Data::Empty => {}
                            Data::String(s) => {
                                cells += 1;
                                text_bytes += s.len() as u64;
                            }
                            other => {
                                cells += 1;
                                black_box(other);
                            }
                        }
                    }
                }
            }
        } else {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let (text, _, _) = SHIFT_JIS.decode(&bytes);
            text_bytes += text.len() as u64;
            records += count_records(text.as_bytes());
        }
    }
    println!(
        "records={records} cells={cells} text_bytes={text_bytes} ns={}",
        t.elapsed().as_nanos()
    );
    Ok(())
}

/// CSV records: line ends outside quotes, plus a last line without one.
fn count_records(b: &[u8]) -> u64 {
    let (mut n, mut quoted) = (0u64, false);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => n += 1,
            b'\r' if !quoted => {
                n += 1;
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if b.last().is_some_and(|c| !matches!(c, b'\n' | b'\r')) {
        n += 1;
    }
    n
}

/// Employer workbooks through `shikaku::ingest::read`, as `reconcile` reads them.
pub fn ingest_xlsx(paths: &[PathBuf]) -> Result<(), String> {
    let t = Instant::now();
    let config = Config::builtin();
    let opts = ReadOptions {
        columns: &config.columns,
        input_encoding: InputEncoding::Auto,
    };
    let (mut rows, mut issues) = (0usize, 0usize);
    for path in files(paths)? {
        let source = ingest::read(&path, SourceKind::Employer, &opts)
            .map_err(|f| format!("{}: {:?}", path.display(), f.fatal))?;
        rows += source.rows();
        issues += source.issues.len();
    }
    println!("rows={rows} issues={issues} ns={}", t.elapsed().as_nanos());
    Ok(())
}

/// Parse every line of `path` as a date, in-process: `parse_ns` is the parsing alone,
/// `read_ns` reading and splitting the file (the floor).
pub fn dates(path: &Path) -> Result<(), String> {
    let t = Instant::now();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let lines: Vec<&str> = text.lines().collect();
    let read = t.elapsed();
    let t = Instant::now();
    let mut errors = 0usize;
    for line in &lines {
        if parse_date(black_box(line), EraDigits::OneToFive).is_err() {
            errors += 1;
        }
    }
    let parse = t.elapsed();
    println!(
        "count={} errors={errors} read_ns={} parse_ns={}",
        lines.len(),
        read.as_nanos(),
        parse.as_nanos()
    );
    Ok(())
}

/// The value of `key` in a `key=value …` line.
pub fn field(line: &str, key: &str) -> Option<u64> {
    line.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .and_then(|(_, v)| v.parse().ok())
}
