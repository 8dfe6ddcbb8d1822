//! An .xls (BIFF in an OLE compound file) scanned for what calamine will build from it.
//!
//! calamine reads every sheet of an .xls when it opens the workbook, and for each it reserves
//! room for the rectangle the sheet's DIMENSIONS record claims (a record the writer fills in,
//! and a hostile file fills in as it likes: in a release build a reversed range wraps to four
//! billion rows), then builds the dense rectangle around every cell record it holds. A
//! reservation the machine cannot give aborts the process. This walks the same records first
//! and refuses the file when the estimate is past [`whole_workbook_budget`] of its size.

#[cfg(test)]
use super::guard::MAX_WHOLE_WORKBOOK_BYTES;
use super::guard::{count, too_large, whole_workbook_budget};
use std::io::{Cursor, Read};

/// calamine's `Cell<Data>` (8-byte position, 32-byte value), and the dense ranges' elements:
/// `Data` (32) for values, `String` (24) for formulas.
const CELL_BYTES: u64 = 40;
const VALUE_BYTES: u64 = 32;
const FORMULA_BYTES: u64 = 24;

/// The smallest rectangle around some cells.
#[derive(Default, Clone, Copy)]
struct Bounds {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Bounds {
    fn add(&mut self, row: u32, col: u32) {
        let grow =
            |r: Option<(u32, u32)>, v: u32| Some(r.map_or((v, v), |(a, b)| (a.min(v), b.max(v))));
        self.rows = grow(self.rows, row);
        self.cols = grow(self.cols, col);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1),
            _ => 0,
        }
    }
}

/// One sheet substream: its cells, formulas and the largest DIMENSIONS reservation.
#[derive(Default)]
struct Sheet {
    values: Bounds,
    formulas: Bounds,
    reserve: u64,
    cells: u64,
    /// The last formula's position: a STRING record (a formula's text value) is a cell there,
    /// (0, 0) before any formula.
    formula_at: (u32, u32),
}

fn u16_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 2)
        .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Cells calamine reserves for a DIMENSIONS record (its arithmetic, wrapping as a release
/// build does; a debug build panics instead, which the guard catches).
fn reserved_cells(d: &[u8]) -> u64 {
    let fields = match d.len() {
        10 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6)),
        14 | 16 => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10)),
        _ => return 0,
    };
    let (Some(rf), Some(rl), Some(cf), Some(cl)) = fields else {
        return 0;
    };
    let cf = if 0xFF < cf || cl < cf { 0 } else { cf };
    if rl < 1 || cl < 1 {
        return 1;
    }
    let rows = (rl - 1).wrapping_sub(rf).wrapping_add(1) as u64;
    let cols = (cl - 1).wrapping_sub(cf).wrapping_add(1) as u64;
    rows.saturating_mul(cols)
}

impl Sheet {
    /// One record of a sheet substream (the record types calamine reads cells from).
    fn record(&mut self, typ: u32, d: &[u8]) {
        let pos = || Some((u16_at(d, 0)?, u16_at(d, 2)?));
        match typ {
            0x0200 => self.reserve = self.reserve.max(reserved_cells(d)),
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                if let Some((r, c)) = pos() {
                    self.values.add(r, c);
                    self.cells += 1;
                }
            }
            0x0006 if d.len() >= 20 => {
                if let Some((r, c)) = pos() {
                    self.values.add(r, c);
                    self.formulas.add(r, c);
                    self.cells += 1;
                    self.formula_at = (r, c);
                }
            }
            0x0207 => {
                self.values.add(self.formula_at.0, self.formula_at.1);
                self.cells += 1;
            }
            0x00BD if d.len() >= 6 => {
                let (Some((r, first)), Some(last)) = (pos(), u16_at(d, d.len() - 2)) else {
                    return;
                };
                // calamine reads a MulRk only when its length matches its columns.
                if last >= first && d.len() as u32 == 6 + 6 * (last - first + 1) {
                    self.values.add(r, first);
                    self.values.add(r, last);
                    self.cells += u64::from(last - first + 1);
                }
            }
            _ => {}
        }
    }

    fn kept_bytes(&self) -> u64 {
        self.values.cells().saturating_mul(VALUE_BYTES)
            + self.formulas.cells().saturating_mul(FORMULA_BYTES)
    }

    fn peak_bytes(&self) -> u64 {
        self.reserve
            .max(self.cells)
            .saturating_mul(CELL_BYTES)
            .saturating_add(self.kept_bytes())
    }
}

/// Check an .xls before calamine opens it. A container the `cfb` crate cannot read is
/// refused: calamine's own reader is more lenient, and what it would then build is unknown
/// (the fuzzer found a directory entry calamine accepts and a sheet of 1G cells behind it).
pub fn check(bytes: &[u8]) -> Result<(), String> {
    // Not an OLE file at all: calamine says so itself (and the caller explains it).
    if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(());
    }
    let damaged = |why: String| {
        crate::tr!(
            "ブックが壊れています: .xls の入れ物 (OLE) を読めません（{why}）。Excel で開いて保存し直してください",
            "the workbook is damaged: its .xls (OLE) container cannot be read ({why}); open it in Excel and save it again"
        )
    };
    let mut cfb =
        cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
    let mut stream = Vec::new();
    // No workbook stream (an encrypted .xlsx in OLE, another Office document): calamine
    // finds none either, and its error is explained by the caller.
    let Ok(mut opened) = cfb
        .open_stream("/Workbook")
        .or_else(|_| cfb.open_stream("/Book"))
    else {
        return Ok(());
    };
    // A stream is never longer than the file that holds it.
    (&mut opened)
        .take(bytes.len() as u64)
        .read_to_end(&mut stream)
        .map_err(|e| damaged(e.to_string()))?;
    let Some(estimate) = estimate(&stream) else {
        return Err(crate::tr!(
            "ブックが壊れています: シートの位置が重なっています。Excel で開いて保存し直してください",
            "the workbook is damaged: its sheets overlap in the workbook stream; open it in Excel and save it again"
        ));
    };
    let budget = whole_workbook_budget(bytes.len());
    if estimate <= budget {
        return Ok(());
    }
    let (mib, max) = (count(estimate >> 20), budget >> 20);
    Err(too_large(
        &format!(
            "シートの大きさ（DIMENSIONS とセルの位置）から読み込みに {mib} MiB が必要です（上限 {max} MiB）"
        ),
        &format!(
            "its sheets' extents (DIMENSIONS records and cell positions) need {mib} MiB to read (at most {max} MiB)"
        ),
    ))
}

/// Bytes calamine will hold at its peak for this Workbook stream: every sheet's rectangles,
/// plus the largest one being built. calamine reads each sheet where the globals' BOUNDSHEET
/// record says it starts, not where a substream begins (a hostile file points them anywhere,
/// even into the globals: the fuzzer found a DIMENSIONS record there asking for 2.9 PB), so
/// this walks the same records. None when the sheets overlap so much that walking them costs
/// more than a few times the stream (calamine would walk them all too).
fn estimate(stream: &[u8]) -> Option<u64> {
    // After a FILEPASS calamine reads no sheet (password-protected).
    let Some(starts) = sheet_starts(stream) else {
        return Some(0);
    };
    let limit = 4 * stream.len() as u64 + (1 << 20);
    let (mut walked, mut kept, mut peak) = (0u64, 0u64, 0u64);
    for start in starts {
        // A start past the end: calamine panics slicing there (the guard reports it).
        let Some(rest) = stream.get(start..) else {
            continue;
        };
        let (sheet, len) = walk_sheet(rest);
        walked = walked.saturating_add(len);
        if walked > limit {
            return None;
        }
        peak = peak.max(kept.saturating_add(sheet.peak_bytes()));
        kept = kept.saturating_add(sheet.kept_bytes());
    }
    Some(peak.max(kept))
}

/// The records of a stream as calamine's reader splits them: type, data and the offset after
/// the record; it stops at a record cut short (calamine's error).
fn records(stream: &[u8]) -> impl Iterator<Item = (u32, &[u8], usize)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let (typ, len) = (u16_at(stream, at)?, u16_at(stream, at + 2)? as usize);
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data, at))
    })
}

/// Where calamine will read sheets: each BOUNDSHEET's position, up to the globals' EOF; None
/// after a FILEPASS.
fn sheet_starts(stream: &[u8]) -> Option<Vec<usize>> {
    let mut starts = Vec::new();
    for (typ, data, _) in records(stream) {
        match typ {
            0x002F if u16_at(data, 0) != Some(0) => return None,
            0x0085 => starts.extend(u32_at(data, 0).map(|p| p as usize)),
            0x000A => break,
            _ => {}
        }
    }
    Some(starts)
}

/// One sheet as calamine reads it from its start: records up to its EOF, with nested
/// substreams (embedded charts) skipped; and the bytes walked.
fn walk_sheet(stream: &[u8]) -> (Sheet, u64) {
    let mut sheet = Sheet::default();
    let (mut seen_bof, mut depth, mut end) = (false, 0u32, 0);
    for (typ, data, next) in records(stream) {
        end = next;
        match typ {
            0x0809 if depth > 0 || seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A if depth > 0 => depth -= 1,
            0x000A => break,
            _ if depth > 0 => {}
            _ => sheet.record(typ, data),
        }
    }
    (sheet, end as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&[0; 10]);
        record(0x0203, &d)
    }

    fn dimensions(rf: u32, rl: u32, cf: u16, cl: u16) -> Vec<u8> {
        let mut d = rf.to_le_bytes().to_vec();
        d.extend_from_slice(&rl.to_le_bytes());
        d.extend_from_slice(&cf.to_le_bytes());
        d.extend_from_slice(&cl.to_le_bytes());
        d.extend_from_slice(&[0, 0]);
        record(0x0200, &d)
    }

    fn bound_sheet(pos: u32) -> Vec<u8> {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend_from_slice(&[0, 0, 1, 0, b'S']);
        record(0x0085, &d)
    }

    /// Globals naming sheets at `starts` (None: right after the globals), then one sheet
    /// holding `body`.
    fn stream_with(starts: &[Option<u32>], body: &[Vec<u8>]) -> Vec<u8> {
        let globals_len = 20 + 13 * starts.len() + 4;
        let mut s = record(0x0809, &[0; 16]);
        for start in starts {
            s.extend(bound_sheet(start.unwrap_or(globals_len as u32)));
        }
        s.extend(record(0x000A, &[]));
        assert_eq!(s.len(), globals_len);
        s.extend(record(0x0809, &[0; 16]));
        s.extend(body.concat());
        s.extend(record(0x000A, &[]));
        s
    }

    fn stream(body: &[Vec<u8>]) -> Vec<u8> {
        stream_with(&[None], body)
    }

    #[test]
    fn a_normal_sheet_is_small() {
        let s = stream(&[dimensions(0, 100, 0, 24), number(0, 0), number(99, 23)]);
        assert!(estimate(&s).unwrap() < 1 << 20, "{:?}", estimate(&s));
    }

    #[test]
    fn cells_far_apart_make_a_huge_rectangle() {
        let s = stream(&[number(0, 0), number(65535, 65535)]);
        assert!(estimate(&s).unwrap() > MAX_WHOLE_WORKBOOK_BYTES);
    }

    #[test]
    fn a_reversed_dimensions_record_wraps_to_billions_of_rows() {
        let s = stream(&[dimensions(5, 2, 0, 10), number(0, 0)]);
        assert!(estimate(&s).unwrap() > MAX_WHOLE_WORKBOOK_BYTES);
        assert_eq!(reserved_cells(&dimensions(0, 0, 0, 0)[4..]), 1);
    }

    #[test]
    fn a_sheet_is_read_where_its_boundsheet_points_even_into_the_globals() {
        // The sheet's own substream is small; the BOUNDSHEET points at the globals' start,
        // where a DIMENSIONS record follows (the fuzzer's 2.9 PB reservation).
        let mut s = record(0x0809, &[0; 16]);
        s.extend(dimensions(0, u32::MAX, 0, 255));
        s.extend(bound_sheet(0));
        s.extend(record(0x000A, &[]));
        let small = stream(&[number(0, 0)]);
        assert!(estimate(&small).unwrap() < 1 << 20);
        assert!(estimate(&s).unwrap() > MAX_WHOLE_WORKBOOK_BYTES);
        // No BOUNDSHEET: calamine reads no sheet, whatever the substreams hold.
        assert_eq!(estimate(&stream_with(&[], &[number(65535, 255)])), Some(0));
    }

    #[test]
    fn a_formula_string_before_any_formula_is_a_cell_at_a1() {
        let string = record(0x0207, &[1, 0, 0, b'x']);
        let far = number(65535, 255);
        let s = stream(&[far.clone(), string]);
        assert!(estimate(&s).unwrap() > estimate(&stream(&[far])).unwrap() * 1000);
    }

    #[test]
    fn sheets_pointing_at_each_other_past_a_few_walks_of_the_stream_are_refused() {
        let body: Vec<Vec<u8>> = (0..1000).map(|i| number(i, 0)).collect();
        let few = stream_with(&[None; 4], &body);
        assert!(estimate(&few).is_some());
        let many = stream_with(&[None; 400], &body);
        assert_eq!(estimate(&many), None);
    }

    #[test]
    fn records_after_filepass_are_not_read() {
        let mut s = [record(0x0809, &[0; 16]), record(0x002F, &[1, 0])].concat();
        s.extend(bound_sheet(0));
        s.extend(number(65535, 65535));
        assert_eq!(estimate(&s), Some(0));
    }
}
