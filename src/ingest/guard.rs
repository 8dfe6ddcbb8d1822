//! The boundary with the workbook readers (calamine, and the zip and OLE containers under it).
//!
//! A workbook is outside bytes that say how big they are: a sheet claims `A1:XFD1048576`, a
//! shared-string table a trillion entries, a zip entry gigabytes. calamine believes some of
//! these claims and allocates for them (one claim can abort the process, which no
//! `catch_unwind` can stop), and it panics on a few malformed records. So, before calamine
//! sees a file: [`super::zipcheck`] reads the zip's central directory, inflates every entry
//! once to verify its CRC and its declared size, and scans what calamine would allocate for;
//! [`super::xlscheck`] does the same for an .xls's records. Each bound below is a limit no
//! real export comes near. Sheets are then read with calamine's streaming cell readers where
//! it has them (.xlsx, .xlsb), so no sheet is ever held as a dense rectangle. And last,
//! [`catch`] runs calamine under `catch_unwind`: a panic becomes a clear error naming the file,
//! and the panic message (which could quote a cell) is never printed.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// A workbook is read into memory whole: larger than this, it is refused.
pub const MAX_WORKBOOK_BYTES: u64 = 1 << 30;
/// Entries in a zip container (a workbook has tens; a zip of millions is a denial of service).
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// Uncompressed bytes one entry may declare. A 1M-row sheet of 24 columns is about 1 GiB of XML.
pub const MAX_ENTRY_BYTES: u64 = 2 << 30;
/// Uncompressed bytes all entries together may declare.
pub const MAX_TOTAL_BYTES: u64 = 4 << 30;
/// How much an entry may expand: real workbooks compress 2–20 times; a zip bomb, ~1000 times.
/// Entries under [`RATIO_FREE_BYTES`] may expand any amount (a tiny part of a tiny file).
pub const MAX_RATIO: u64 = 100;
pub const RATIO_FREE_BYTES: u64 = 1 << 20;
/// The longest run of XML between two markup delimiters (a text node, a tag): quick-xml holds
/// one whole in memory. Excel's largest cell is 32,767 characters (well under 1 MiB escaped).
pub const MAX_XML_RUN: usize = 8 << 20;
/// The longest .xlsb record (calamine allocates its declared length): a cell is at most 64 KiB.
pub const MAX_XLSB_RECORD: usize = 16 << 20;
/// Shared strings an .xlsx may declare (calamine reserves 24 bytes for each up front), and at
/// least this many bytes of XML each one takes (`<si><t/></si>`).
pub const MAX_SHARED_STRINGS: u64 = 16_000_000;
pub const MIN_SHARED_STRING_BYTES: u64 = 8;
/// What calamine may build for a workbook it reads whole (.xls, .ods): every cell of every
/// sheet's bounding rectangle, estimated before it starts. While the sheets are taken from
/// calamine each is held twice (its copy and the one `worksheet_range` hands out), so this is
/// under half of the 1 GiB a 10 MB input may use. An .xls sheet of 65,536 rows × 64 columns
/// fits.
pub const MAX_WHOLE_WORKBOOK_BYTES: u64 = 384 << 20;
/// And no more than this many times the file's own size (at least [`MIN_WHOLE_BUDGET`]): a
/// 17 kB .xls does not need 384 MiB of empty cells (the fuzzer found one that took seconds to
/// build them). A full sheet is as large on disk as its cells; only a sheet of two cells far
/// apart, which no export writes, is refused by this.
pub const WHOLE_BYTES_PER_FILE_BYTE: u64 = 256;
pub const MIN_WHOLE_BUDGET: u64 = 16 << 20;

/// What calamine may build for a file of `file_bytes` it reads whole.
pub fn whole_workbook_budget(file_bytes: usize) -> u64 {
    (file_bytes as u64)
        .saturating_mul(WHOLE_BYTES_PER_FILE_BYTE)
        .clamp(MIN_WHOLE_BUDGET, MAX_WHOLE_WORKBOOK_BYTES)
}
/// A worksheet's limits (Excel 2007+): a cell beyond them is a damaged file.
pub const MAX_ROWS: u32 = 1_048_576;
pub const MAX_COLUMNS: u32 = 16_384;

/// The readers whose panics [`catch`] turns into errors.
const READERS: [&str; 4] = ["calamine-", "zip-", "cfb-", "quick-xml-"];

thread_local! {
    /// Depth of [`catch`] on this thread: a panic inside is expected and stays quiet.
    static GUARDED: Cell<u32> = const { Cell::new(0) };
    /// Where the last guarded panic happened (file and line, never its message), and whether
    /// that was in one of the [`READERS`].
    static WHERE: RefCell<Option<(String, bool)>> = const { RefCell::new(None) };
}

/// Wrap the process's panic hook once: a panic under [`catch`] prints nothing (its message
/// may hold a cell's text) and only its location is kept for the error; any other panic goes
/// to the hook that was there.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) > 0 {
                let at = info.location().map(|l| {
                    let in_reader = READERS.iter().any(|r| l.file().contains(r));
                    (short_location(l), in_reader)
                });
                WHERE.with(|w| *w.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
}

/// `…/calamine-0.38.0/src/xlsb/mod.rs:312` → `calamine-0.38.0/src/xlsb/mod.rs:312`.
fn short_location(loc: &panic::Location<'_>) -> String {
    let file = loc.file();
    let start = READERS
        .iter()
        .filter_map(|k| file.rfind(k))
        .max()
        .unwrap_or(0);
    format!("{}:{}", &file[start..], loc.line())
}

/// Run a reader under `catch_unwind`. A panic comes back as `Err(where)`: the file and line
/// of the reader's code that panicked, for the error message and an upstream report. Under
/// the fuzzer (`cfg(fuzzing)`) a panic outside the [`READERS`] — shikaku's own — is raised
/// again, so it is found rather than reported as a damaged file.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_quiet_hook();
    GUARDED.with(|g| g.set(g.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get() - 1));
    result.map_err(|payload| {
        let (at, in_reader) = WHERE
            .with(|w| w.borrow_mut().take())
            .unwrap_or_else(|| ("?".into(), false));
        if cfg!(fuzzing) && !in_reader {
            panic::resume_unwind(payload);
        }
        at
    })
}

/// The error for a reader that panicked on a file.
pub fn reader_failed(at: &str) -> String {
    crate::tr!(
        "ブックを読めません。ファイルが壊れているか、正しくない形式で書き出されています（読み取り処理が {at} で停止しました）。Excel で開いて保存し直してください",
        "cannot read the workbook: it is damaged or was written incorrectly (the reader stopped at {at}); open it in Excel and save it again"
    )
}

/// A count as people write it (`1,000,000,000,000`): a bare run of 12 digits would be masked
/// as a possible My Number.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The error for a file past one of the bounds above: what it claims, and the bound.
pub fn too_large(what_ja: &str, what_en: &str) -> String {
    crate::tr!(
        "ブックを読めません: {what_ja}。安全に読める上限を超えています。壊れたファイルか、意図的に作られたファイルの可能性があります",
        "cannot read the workbook: {what_en}, past the limit it can be read within safely; the file is damaged or was crafted"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_under_catch_is_an_error_with_its_location_and_no_message() {
        let got = catch(|| -> u32 { panic!("cell text 271854365090") });
        let at = got.expect_err("the panic is caught");
        assert!(at.contains("src/ingest/guard.rs:"), "{at}");
        assert!(!at.contains("2718"), "{at}");
        assert_eq!(catch(|| 7), Ok(7));
    }

    #[test]
    fn counts_are_written_with_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_000_000_000_000), "1,000,000,000,000");
    }
}
