//! The lists the fund's staff act on, written to `--out DIR` (SPEC §6, §7).
//!
//! A list becomes `<stem>.csv` (CP932 by default, CRLF, formula-neutralized) and, with
//! `--xlsx`, `<stem>.xlsx` with every cell stored as text. Every file is written
//! atomically with mode 0600, and never over one of the run's inputs.
//!
//! A list that CP932 cannot hold is not written at all: [`write_list`] returns
//! [`OutputError::Unencodable`] naming every offending cell, and the caller goes on with
//! the other lists (exit code 2 at the end).

mod atomic;
mod csv;
pub mod lock;
mod rows;
pub mod set;
pub mod xlsx;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

pub use atomic::{InputGuard, create_out_dir, write_atomic};
pub use rows::{Row, Rows};

/// How a list's CSV is encoded (`--encoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ListEncoding {
    /// Windows Shift_JIS, what Excel on a Japanese PC opens without asking.
    #[default]
    Cp932,
    Utf8,
    /// UTF-8 with a byte order mark, so Excel detects UTF-8.
    Utf8Bom,
}

impl ListEncoding {
    /// The `--encoding` value: `cp932` | `utf8` | `utf8-bom` (SPEC §7), ASCII case
    /// ignored. The other names staff use for CP932 (`ms932`, `windows-31j`, `sjis`,
    /// `shift_jis`) are accepted too, since `encoding_rs` does not know `cp932`.
    pub fn from_cli(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "cp932" | "ms932" | "windows-31j" | "sjis" | "shift_jis" | "shift-jis" => {
                Some(Self::Cp932)
            }
            "utf8" | "utf-8" => Some(Self::Utf8),
            "utf8-bom" | "utf-8-bom" => Some(Self::Utf8Bom),
            _ => None,
        }
    }
}

/// One list to write, e.g. `certificates` with its Japanese headers in contract order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct List {
    /// File name without extension: `certificates` → `certificates.csv` / `certificates.xlsx`;
    /// also the worksheet name.
    pub stem: &'static str,
    pub headers: &'static [&'static str],
    /// Data rows, each exactly `headers.len()` cells, already formatted as text.
    pub rows: Rows,
}

impl List {
    pub fn csv_name(&self) -> String {
        format!("{}.csv", self.stem)
    }

    pub fn xlsx_name(&self) -> String {
        format!("{}.xlsx", self.stem)
    }

    /// A row of the wrong width is a bug in the caller; writing it would shift every
    /// later column under the wrong header, so it stops the list instead.
    fn check_widths(&self) -> Result<(), OutputError> {
        let expected = self.headers.len();
        match self.rows.iter().position(|row| row.len() != expected) {
            None => Ok(()),
            Some(index) => Err(OutputError::RowWidth {
                list: self.stem,
                row: index + 1,
                expected,
                found: self.rows.get(index).map_or(0, |row| row.len()),
            }),
        }
    }
}

/// A cell whose text CP932 cannot hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadCell {
    /// 1-based data row number (the first row under the header is 1; 0 is the header).
    pub row: usize,
    /// The column's header.
    pub column: &'static str,
    /// The row's 記号-番号-枝番 as printed in the list, when the list has those columns,
    /// so staff can find the member although the list itself was not written.
    pub key: Option<String>,
    /// The offending characters, distinct, in order of first appearance in the cell.
    pub chars: Vec<char>,
}

#[derive(Debug)]
pub enum OutputError {
    /// Creating, writing, syncing or renaming a file or directory failed.
    Io { path: PathBuf, source: io::Error },
    /// The target is one of the run's input files (same path, a symlink or hard link to it).
    WouldOverwriteInput { path: PathBuf },
    /// `--encoding cp932` and some cells cannot be encoded: the list was not written.
    Unencodable {
        list: &'static str,
        rows: Vec<BadCell>,
    },
    /// A data row does not have one cell per header (a bug in the caller).
    RowWidth {
        list: &'static str,
        row: usize,
        expected: usize,
        found: usize,
    },
    /// Another run holds the lock on `--out DIR` (and `--wait` was not given).
    Busy {
        lock: PathBuf,
        /// The other run as its lock file describes it (pid, host, start, command).
        holder: Option<String>,
    },
    /// rust_xlsxwriter refused the workbook (e.g. a cell over 32,767 characters, or more
    /// rows than a worksheet holds).
    Xlsx {
        path: PathBuf,
        source: rust_xlsxwriter::XlsxError,
    },
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(
                f,
                "ファイルを書き出せません / cannot write {}: {source}",
                path.display()
            ),
            Self::WouldOverwriteInput { path } => write!(
                f,
                "入力ファイルは上書きしません。--out に別のフォルダを指定してください / \
                 refusing to overwrite input file {}",
                path.display()
            ),
            Self::Unencodable { list, rows } => {
                write!(
                    f,
                    "{list}.csv を書き出しませんでした: CP932 で表せない文字があります。\
                     値を直すか --encoding utf8-bom を使ってください / \
                     {list}.csv not written: characters not representable in CP932 \
                     (fix the values or use --encoding utf8-bom)"
                )?;
                for cell in rows {
                    let row = if cell.row == 0 {
                        "見出し行".to_owned()
                    } else {
                        format!("{}行目", cell.row)
                    };
                    write!(
                        f,
                        "\n  {list}.csv {row} {}: {}",
                        cell.column,
                        crate::domain::cp932::describe_chars(&cell.chars)
                    )?;
                    if let Some(key) = &cell.key {
                        write!(f, "  記号-番号-枝番 {key}")?;
                    }
                }
                Ok(())
            }
            Self::RowWidth {
                list,
                row,
                expected,
                found,
            } => write!(
                f,
                "内部エラー: {list} の{row}行目の列数が見出しと合いません / internal error: \
                 {list} row {row} has {found} cells, expected {expected}"
            ),
            Self::Busy { lock, holder } => {
                let holder = holder.clone().unwrap_or_else(|| {
                    crate::tr!("（実行中の内容は不明）", "(no description yet)")
                });
                let lock = lock.display();
                write!(
                    f,
                    "{}",
                    crate::tr!(
                        "別の実行が同じ --out フォルダに出力中です: {holder}。終わってから実行するか、--wait を付けてください（ロック {lock}）",
                        "another run is writing into the same --out folder: {holder}. Run again when it has finished, or add --wait (lock {lock})"
                    )
                )
            }
            Self::Xlsx { path, source } => write!(
                f,
                "Excel ファイルを作れません / cannot build {}: {source}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            Self::Xlsx { source, .. } => Some(source),
            Self::WouldOverwriteInput { .. }
            | Self::Unencodable { .. }
            | Self::RowWidth { .. }
            | Self::Busy { .. } => None,
        }
    }
}

/// The CSV bytes of a list, as [`write_list`] writes them (CRLF, quoted, formula-neutralized,
/// encoded). Errors: [`OutputError::RowWidth`], [`OutputError::Unencodable`].
pub fn render_csv(list: &List, encoding: ListEncoding) -> Result<Vec<u8>, OutputError> {
    list.check_widths()?;
    csv::render(list, encoding)
}

/// The files of `list`: `<stem>.csv` and, when `xlsx`, `<stem>.xlsx`, CSV first, as
/// (file name, bytes). Both are built before either is returned, so an unencodable value or
/// an oversized cell gives neither.
pub fn render_list(
    list: &List,
    encoding: ListEncoding,
    xlsx: bool,
) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
    let mut files = vec![(list.csv_name(), render_csv(list, encoding)?)];
    if xlsx {
        let bytes = xlsx::render(list).map_err(|source| OutputError::Xlsx {
            path: PathBuf::from(list.xlsx_name()),
            source,
        })?;
        files.push((list.xlsx_name(), bytes));
    }
    Ok(files)
}

/// Write `list` into `dir` as `<stem>.csv` and, when `xlsx`, `<stem>.xlsx`; returns the
/// paths written, CSV first.
///
/// Both files are built in memory and both targets checked against the inputs before
/// either is written, so an unencodable value, an oversized cell or a target that is an
/// input leaves neither file behind (a file of the same name from an earlier run is left
/// as it was). `dir` is created (mode 0700) when missing.
pub fn write_list(
    dir: &Path,
    list: &List,
    encoding: ListEncoding,
    xlsx: bool,
    guard: &InputGuard,
) -> Result<Vec<PathBuf>, OutputError> {
    let files = render_list(list, encoding, xlsx)?;
    create_out_dir(dir)?;
    for (name, _) in &files {
        guard.check(&dir.join(name))?;
    }
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, &bytes, guard)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::atomic::tests::names_in;
    use super::*;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;

    const HEADERS: &[&str] = &["記号", "番号", "枝番", "氏名", "郵便番号"];

    fn list(rows: &[[&str; 5]]) -> List {
        List {
            stem: "certificates",
            headers: HEADERS,
            rows: rows.iter().collect(),
        }
    }

    #[test]
    fn encoding_names_from_the_cli() {
        assert_eq!(ListEncoding::from_cli("cp932"), Some(ListEncoding::Cp932));
        assert_eq!(ListEncoding::from_cli("utf8"), Some(ListEncoding::Utf8));
        assert_eq!(
            ListEncoding::from_cli("utf8-bom"),
            Some(ListEncoding::Utf8Bom)
        );
        assert_eq!(ListEncoding::from_cli("CP932"), Some(ListEncoding::Cp932));
        assert_eq!(
            ListEncoding::from_cli("Windows-31J"),
            Some(ListEncoding::Cp932)
        );
        assert_eq!(ListEncoding::from_cli("latin1"), None);
        assert_eq!(ListEncoding::from_cli(""), None);
        assert_eq!(ListEncoding::default(), ListEncoding::Cp932);
    }

    #[test]
    fn cp932_list_is_written_with_folded_wave_dash_circled_digit_and_crlf() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out");
        let list = list(&[["12", "3456", "00", "山田〜①", "0600000"]]);
        let written = write_list(
            &out,
            &list,
            ListEncoding::Cp932,
            false,
            &InputGuard::new(&[]),
        )
        .expect("written");
        assert_eq!(written, vec![out.join("certificates.csv")]);

        let bytes = fs::read(&written[0]).expect("readable");
        let mut expected = encoding_rs::SHIFT_JIS
            .encode("記号,番号,枝番,氏名,郵便番号\r\n12,3456,00,山田")
            .0
            .into_owned();
        expected.extend_from_slice(&[0x81, 0x60, 0x87, 0x40]);
        expected.extend_from_slice(b",0600000\r\n");
        assert_eq!(bytes, expected);
    }

    #[test]
    fn created_out_dir_and_files_are_private() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("a").join("out");
        let written = write_list(
            &out,
            &list(&[["12", "3456", "00", "山田", "0600000"]]),
            ListEncoding::Utf8,
            true,
            &InputGuard::new(&[]),
        )
        .expect("written");
        assert_eq!(written.len(), 2);
        for path in &written {
            let mode = fs::metadata(path).expect("exists").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", path.display());
        }
        let mode = fs::metadata(&out).expect("exists").permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn unencodable_list_writes_nothing_and_names_every_row() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let list = list(&[
            ["12", "3456", "00", "山田太郎", "0600000"],
            ["12", "3456", "01", "𠮷田花子", "0600000"],
            ["12", "78", "00", "佐藤😀", "1000005"],
            ["12", "78", "01", "佐藤𠮷😀𠮷", "1000005"],
        ]);
        let result = write_list(
            tmp.path(),
            &list,
            ListEncoding::Cp932,
            true,
            &InputGuard::new(&[]),
        );
        let Err(err) = result else {
            panic!("expected Unencodable, got {result:?}");
        };
        let OutputError::Unencodable { list: stem, rows } = &err else {
            panic!("expected Unencodable, got {err:?}");
        };
        assert_eq!(*stem, "certificates");
        assert_eq!(
            rows,
            &vec![
                BadCell {
                    row: 2,
                    column: "氏名",
                    key: Some("12-3456-01".into()),
                    chars: vec!['𠮷'],
                },
                BadCell {
                    row: 3,
                    column: "氏名",
                    key: Some("12-78-00".into()),
                    chars: vec!['😀'],
                },
                BadCell {
                    row: 4,
                    column: "氏名",
                    key: Some("12-78-01".into()),
                    chars: vec!['𠮷', '😀'],
                },
            ]
        );
        let message = err.to_string();
        assert!(
            message.contains("certificates.csv 2行目 氏名: 𠮷 (U+20BB7)"),
            "{message}"
        );
        assert!(message.contains("certificates.csv 4行目 氏名: 𠮷 (U+20BB7), 😀 (U+1F600)"));
        // Neither the list nor its xlsx copy nor a temporary file is left.
        assert!(
            names_in(tmp.path()).is_empty(),
            "{:?}",
            names_in(tmp.path())
        );
    }

    #[test]
    fn unencodable_list_keeps_the_earlier_file_of_that_name() {
        // Not written means not touched: the caller reports the error and exits 2.
        let tmp = tempfile::tempdir().expect("tempdir");
        let old = tmp.path().join("certificates.csv");
        fs::write(&old, b"old").expect("writable");
        let bad = list(&[["12", "3456", "00", "𠮷", ""]]);
        let result = write_list(
            tmp.path(),
            &bad,
            ListEncoding::Cp932,
            false,
            &InputGuard::new(&[]),
        );
        assert!(matches!(result, Err(OutputError::Unencodable { .. })));
        assert_eq!(fs::read(&old).expect("readable"), b"old");
        assert_eq!(names_in(tmp.path()), vec!["certificates.csv"]);
    }

    #[test]
    fn unencodable_in_cp932_is_fine_in_utf8() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let written = write_list(
            tmp.path(),
            &list(&[["12", "3456", "00", "𠮷田😀", ""]]),
            ListEncoding::Utf8Bom,
            false,
            &InputGuard::new(&[]),
        )
        .expect("written");
        let bytes = fs::read(&written[0]).expect("readable");
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        assert!(String::from_utf8_lossy(&bytes).contains("𠮷田😀"));
    }

    #[test]
    fn row_of_the_wrong_width_is_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut bad = list(&[["12", "3456", "00", "山田", ""]]);
        bad.rows.push(["12", "3456"]);
        let result = write_list(
            tmp.path(),
            &bad,
            ListEncoding::Utf8,
            true,
            &InputGuard::new(&[]),
        );
        assert!(
            matches!(
                result,
                Err(OutputError::RowWidth {
                    list: "certificates",
                    row: 2,
                    expected: 5,
                    found: 2
                })
            ),
            "{result:?}"
        );
        assert!(names_in(tmp.path()).is_empty());
    }

    #[test]
    fn list_over_an_input_is_refused_and_the_input_kept() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let input = tmp.path().join("certificates.csv");
        fs::write(&input, b"fund data").expect("writable");
        let guard = InputGuard::new(std::slice::from_ref(&input));
        let result = write_list(
            tmp.path(),
            &list(&[["12", "3456", "00", "山田", ""]]),
            ListEncoding::Cp932,
            false,
            &guard,
        );
        assert!(
            matches!(result, Err(OutputError::WouldOverwriteInput { .. })),
            "{result:?}"
        );
        assert_eq!(fs::read(&input).expect("readable"), b"fund data");
        assert_eq!(names_in(tmp.path()), vec!["certificates.csv"]);
    }

    #[test]
    fn xlsx_over_an_input_stops_the_csv_too() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let input = tmp.path().join("certificates.xlsx");
        fs::write(&input, b"fund workbook").expect("writable");
        let result = write_list(
            tmp.path(),
            &list(&[["12", "3456", "00", "山田", ""]]),
            ListEncoding::Cp932,
            true,
            &InputGuard::new(std::slice::from_ref(&input)),
        );
        assert!(matches!(
            result,
            Err(OutputError::WouldOverwriteInput { .. })
        ));
        assert_eq!(names_in(tmp.path()), vec!["certificates.xlsx"]);
        assert_eq!(fs::read(&input).expect("readable"), b"fund workbook");
    }

    #[test]
    fn xlsx_copy_is_a_zip_next_to_the_csv() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let written = write_list(
            tmp.path(),
            &list(&[["12", "3456", "00", "山田", "0600000"]]),
            ListEncoding::Cp932,
            true,
            &InputGuard::new(&[]),
        )
        .expect("written");
        assert_eq!(
            written,
            vec![
                tmp.path().join("certificates.csv"),
                tmp.path().join("certificates.xlsx")
            ]
        );
        let bytes = fs::read(&written[1]).expect("readable");
        assert!(bytes.starts_with(b"PK\x03\x04"));
        assert_eq!(
            names_in(tmp.path()),
            vec!["certificates.csv", "certificates.xlsx"]
        );
    }

    #[test]
    fn rewriting_a_list_replaces_the_old_file() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let guard = InputGuard::new(&[]);
        let first = list(&[["12", "3456", "00", "山田", ""]]);
        let second = list(&[["12", "3456", "00", "佐藤", ""]]);
        write_list(tmp.path(), &first, ListEncoding::Utf8, false, &guard).expect("first");
        let written =
            write_list(tmp.path(), &second, ListEncoding::Utf8, false, &guard).expect("second");
        let text = fs::read_to_string(&written[0]).expect("readable");
        assert!(text.contains("佐藤") && !text.contains("山田"), "{text}");
        assert_eq!(names_in(tmp.path()), vec!["certificates.csv"]);
    }

    #[test]
    fn error_messages_are_bilingual() {
        let err = OutputError::WouldOverwriteInput {
            path: PathBuf::from("/data/fund.csv"),
        };
        let text = err.to_string();
        assert!(text.contains("入力ファイルは上書きしません"), "{text}");
        assert!(text.contains("refusing to overwrite input file /data/fund.csv"));
    }
}
