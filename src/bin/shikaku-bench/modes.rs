//! What the harness runs as its own child processes: the floors (reading files and nothing
//! else, and for workbooks each layer of it: inflate, XML, calamine's cells), workbook ingest
//! through the library, and the date parser in-process.
//!
//! Each prints one line of `key=value` pairs that the harness reads back.

use calamine::{Data, DataRef, Reader, Xlsx, XlsxError, open_workbook};
use encoding_rs::SHIFT_JIS;
use shikaku::config::Config;
use shikaku::domain::date::{EraDigits, parse_date};
use shikaku::field::SourceKind;
use shikaku::ingest::encoding::InputEncoding;
use shikaku::ingest::{self, ReadOptions};
use std::hint::black_box;
use std::io::BufReader;
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

/// How far a workbook floor reads: each level does all the work of the one before.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Inflate every part of the zip (sheets, shared strings, styles) and nothing else.
    Inflate,
    /// Inflate and parse every XML part with quick-xml, configured as calamine configures it.
    Xml,
    /// Open with calamine and visit every cell of its streaming cell reader.
    Cells,
    /// Open with calamine, load each sheet's `worksheet_range` and visit every cell.
    Range,
}

/// What a floor counted (printed, so the work cannot be optimised away).
#[derive(Default)]
struct Tally {
    records: u64,
    cells: u64,
    text_bytes: u64,
}

/// The floor of reading `paths`: a CSV is read, decoded from CP932 by encoding_rs and its
/// records counted (quotes honoured); a workbook is read as far as `level` says. No header
/// search, no frame, no checks.
pub fn floor(level: Level, paths: &[PathBuf]) -> Result<(), String> {
    let t = Instant::now();
    let mut tally = Tally::default();
    for path in files(paths)? {
        let result = if !is_xlsx(&path) {
            csv_floor(&path, &mut tally)
        } else {
            match level {
                Level::Inflate | Level::Xml => zip_floor(&path, level == Level::Xml, &mut tally),
                Level::Cells => cells_floor(&path, &mut tally),
                Level::Range => range_floor(&path, &mut tally),
            }
        };
        result.map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!(
        "records={} cells={} text_bytes={} ns={}",
        tally.records,
        tally.cells,
        tally.text_bytes,
        t.elapsed().as_nanos()
    );
    Ok(())
}

fn csv_floor(path: &Path, tally: &mut Tally) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let (text, _, _) = SHIFT_JIS.decode(&bytes);
    tally.text_bytes += text.len() as u64;
    tally.records += count_records(text.as_bytes());
    Ok(())
}

/// Inflate every part; with `xml`, also parse each XML part to its end, counting elements
/// (records) and text events (cells).
fn zip_floor(path: &Path, xml: bool, tally: &mut Tally) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| e.to_string())?;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = part.name().map_err(|e| e.to_string())?;
        let is_xml = name.ends_with(".xml") || name.ends_with(".rels");
        if !(xml && is_xml) {
            tally.text_bytes +=
                std::io::copy(&mut part, &mut std::io::sink()).map_err(|e| e.to_string())?;
            continue;
        }
        let mut reader = quick_xml::Reader::from_reader(BufReader::new(part));
        let config = reader.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
        let mut buf = Vec::with_capacity(1024);
        loop {
            buf.clear();
            match reader
                .read_event_into(&mut buf)
                .map_err(|e| e.to_string())?
            {
                quick_xml::events::Event::Start(_) => tally.records += 1,
                quick_xml::events::Event::Text(t) => {
                    tally.cells += 1;
                    tally.text_bytes += t.len() as u64;
                }
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
    }
    Ok(())
}

fn cells_floor(path: &Path, tally: &mut Tally) -> Result<(), String> {
    let mut wb: Xlsx<_> = open_workbook(path).map_err(|e: XlsxError| e.to_string())?;
    for name in wb.sheet_names() {
        let mut cells = wb
            .worksheet_cells_reader(&name)
            .map_err(|e| e.to_string())?;
        let mut row = u32::MAX;
        while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
            if cell.get_position().0 != row {
                row = cell.get_position().0;
                tally.records += 1;
            }
            match cell.get_value() {
                DataRef::Empty => {}
                DataRef::SharedString(s) => tally.text(s),
                DataRef::String(s) => tally.text(s),
                other => {
                    tally.cells += 1;
                    black_box(other);
                }
            }
        }
    }
    Ok(())
}

fn range_floor(path: &Path, tally: &mut Tally) -> Result<(), String> {
    let mut wb: Xlsx<_> = open_workbook(path).map_err(|e: XlsxError| e.to_string())?;
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| e.to_string())?;
        for row in range.rows() {
            tally.records += 1;
            for cell in row {
                match cell {
                    Data::Empty => {}
                    Data::String(s) => tally.text(s),
                    other => {
                        tally.cells += 1;
                        black_box(other);
                    }
                }
            }
        }
    }
    Ok(())
}

impl Tally {
    fn text(&mut self, s: &str) {
        self.cells += 1;
        self.text_bytes += s.len() as u64;
    }
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
