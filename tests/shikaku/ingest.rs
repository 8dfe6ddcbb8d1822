//! Ingestion end to end: every input format and every reading pitfall of SPEC §3, §4.1, §4.7
//! and §5 (IN001–IN009), through the real binary. The fixtures are in
//! `tests/fixtures/ingest/` (made by its `make_fixtures.py`, which says what each one holds).

use crate::common::*;
use serde_json::Value;

const AS_OF: &str = "2026-11-01";

/// A fixture's path as given to the binary (relative to the repository root, where it runs).
fn ing(name: &str) -> String {
    format!("tests/fixtures/ingest/{name}")
}

fn ing_bytes(name: &str) -> Vec<u8> {
    std::fs::read(root().join(ing(name))).expect("fixture")
}

/// `shikaku check --kind KIND FILES… --format json` plus extra arguments.
fn check(kind: &str, files: &[&str], extra: &[&str]) -> Run {
    let mut args = vec!["check", "--kind", kind];
    args.extend_from_slice(files);
    args.extend_from_slice(&["--as-of", AS_OF, "--format", "json"]);
    args.extend_from_slice(extra);
    let run = shikaku(&args);
    assert_no_panic(&run);
    run
}

fn inspect(file: &str, kind: &str, extra: &[&str]) -> Run {
    let mut args = vec!["inspect", file, "--kind", kind];
    args.extend_from_slice(extra);
    let run = shikaku(&args);
    assert_no_panic(&run);
    run
}

fn assert_no_panic(run: &Run) {
    assert!(
        !run.stderr.contains("panicked") && run.code != 101,
        "the binary panicked: {}",
        run.stderr
    );
}

/// (code, sheet, row, column) of every finding, sorted.
type At = (String, Option<String>, Option<u64>, Option<String>);

fn at(f: &Value) -> At {
    let s = &f["source"];
    (
        f["code"].as_str().unwrap_or_default().to_string(),
        s["sheet"].as_str().map(str::to_string),
        s["row"].as_u64(),
        s["column"].as_str().map(str::to_string),
    )
}

fn all_at(stdout: &str) -> Vec<At> {
    let mut v: Vec<At> = findings(stdout).iter().map(at).collect();
    v.sort();
    v
}

/// The findings the reader itself raises (IN001–IN009, and BD002 for an impossible serial).
fn ingest_at(stdout: &str) -> Vec<At> {
    all_at(stdout)
        .into_iter()
        .filter(|a| a.0.starts_with("IN") || a.0 == "BD002")
        .collect()
}

fn csv_at(code: &str, row: u64, column: Option<&str>) -> At {
    (code.into(), None, Some(row), column.map(str::to_string))
}

fn sheet_at(code: &str, sheet: &str, row: u64, column: &str) -> At {
    (
        code.into(),
        Some(sheet.into()),
        Some(row),
        Some(column.into()),
    )
}

/// The findings with a given code.
fn with_code(stdout: &str, code: &str) -> Vec<Value> {
    findings(stdout)
        .into_iter()
        .filter(|f| f["code"] == code)
        .collect()
}

/// `summary.rows[path]` as (read, checked, rejected).
fn rows_of(stdout: &str, path: &str) -> (u64, u64, u64) {
    let s = summary(stdout);
    let r = &s["rows"][path];
    assert!(r.is_object(), "no summary row for {path}: {s}");
    let n = |k: &str| r[k].as_u64().unwrap_or(u64::MAX);
    let (read, checked, rejected) = (n("read"), n("checked"), n("rejected"));
    assert_eq!(
        read,
        checked + rejected,
        "read = checked + rejected for {path}"
    );
    (read, checked, rejected)
}

/// The "first N rows as read" lines of `inspect`.
fn inspected_rows(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .skip_while(|l| !l.contains("rows as read:"))
        .skip(1)
        .map(|l| l.trim().to_string())
        .collect()
}

fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!bad);
    bytes.into_owned()
}

/// The byte offset of the `n`th (0-based) occurrence of `needle` in a fixture.
fn offset_of(bytes: &[u8], needle: &[u8], n: usize) -> usize {
    bytes
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .nth(n)
        .expect("the needle is in the fixture")
}

// ---------------------------------------------------------------------------------------------
// Encodings

const ENCODINGS: [(&str, &str); 5] = [
    ("enc-cp932.csv", "CP932"),
    ("enc-utf8.csv", "UTF-8"),
    ("enc-utf8-bom.csv", "UTF-8 (BOM)"),
    ("enc-utf16le-bom.csv", "UTF-16LE (BOM)"),
    ("enc-utf16be-bom.csv", "UTF-16BE (BOM)"),
];

#[test]
fn every_csv_encoding_is_detected_and_reads_to_the_same_rows_and_findings() {
    let reference = inspected_rows(&inspect(&ing("enc-cp932.csv"), "employer", &[]).stdout);
    // CP932's NEC and IBM extensions (髙 FB FC, 﨑 FA B1, ① 87 40) and half-width katakana.
    for want in [
        "name=髙橋　一郎",
        "name=﨑山　三郎",
        "①棟",
        "name_kana=ﾜﾀﾅﾍﾞ ｼﾞﾛｳ",
        "postal_code=0600001",
    ] {
        assert!(
            reference.iter().any(|r| r.contains(want)),
            "{want} in {reference:#?}"
        );
    }
    assert_eq!(reference.len(), 4);
    for (file, encoding) in ENCODINGS {
        let path = ing(file);
        let run = inspect(&path, "employer", &[]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        assert!(
            run.stdout.contains(&format!("  encoding: {encoding}\n")),
            "{file}: {}",
            run.stdout
        );
        assert!(
            run.stdout
                .contains("header at record 1, 10 columns, 4 data rows")
        );
        assert_eq!(inspected_rows(&run.stdout), reference, "{file}");

        let run = check("employer", &[&path], &[]);
        assert_eq!(
            ingest_at(&run.stdout),
            vec![csv_at("IN009", 5, Some("性別"))],
            "{file}"
        );
        assert_eq!(rows_of(&run.stdout, &path), (4, 4, 0), "{file}");
    }
}

#[test]
fn forcing_cp932_reads_a_cp932_file_as_auto_detection_does() {
    let auto = inspect(&ing("enc-cp932.csv"), "employer", &[]);
    let forced = inspect(
        &ing("enc-cp932.csv"),
        "employer",
        &["--input-encoding", "cp932"],
    );
    assert_eq!(forced.code, 0);
    assert_eq!(forced.stdout, auto.stdout);
    // cp932's other names are accepted too (Encoding::for_label knows none of them).
    let run = check(
        "employer",
        &[&ing("enc-cp932.csv")],
        &["--input-encoding", "windows-31j"],
    );
    assert_eq!(rows_of(&run.stdout, &ing("enc-cp932.csv")), (4, 4, 0));
}

#[test]
fn a_cp932_file_forced_to_utf8_gives_in001_on_each_cell_not_a_crash() {
    // ASCII headers (mapped by rules-ascii/columns.toml) so the header survives the wrong
    // encoding: every Japanese cell is then undecodable, one IN001 per cell.
    let path = ing("ascii-header-cp932.csv");
    let rules = ing("rules-ascii");
    let auto = check("employer", &[&path], &["--rules", &rules]);
    assert_eq!(auto.code, 0, "{}", auto.stdout);
    assert_eq!(all_at(&auto.stdout), vec![]);

    let run = check(
        "employer",
        &[&path],
        &["--rules", &rules, "--input-encoding", "utf8"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        ingest_at(&run.stdout),
        vec![
            csv_at("IN001", 2, Some("氏名")),
            csv_at("IN001", 3, Some("氏名"))
        ]
    );
    let bytes = ing_bytes("ascii-header-cp932.csv");
    let first = bytes.iter().position(|b| *b >= 0x80).expect("a CP932 byte");
    let messages: Vec<String> = with_code(&run.stdout, "IN001")
        .iter()
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        messages[0].contains(&format!("UTF-8 at byte offset {first} ")),
        "{messages:?}"
    );
    assert_eq!(rows_of(&run.stdout, &path), (2, 2, 0));
}

#[test]
fn a_cp932_file_with_japanese_headers_forced_to_utf8_is_in003_not_a_crash() {
    let path = ing("enc-cp932.csv");
    let run = check("employer", &[&path], &["--input-encoding", "utf8"]);
    assert_eq!(run.code, 2);
    let in003 = with_code(&run.stdout, "IN003");
    assert_eq!(in003.len(), 1);
    assert_eq!(in003[0]["source"]["path"], path.as_str());
    assert!(run.stderr.contains(&path), "{}", run.stderr);
}

#[test]
fn a_utf8_file_with_pasted_cp932_bytes_is_read_as_utf8_with_in001_on_the_pasted_cell() {
    let path = ing("mixed-utf8-cp932.csv");
    // Mostly UTF-8: auto-detection reads UTF-8 (not the whole file as CP932 mojibake), as
    // --input-encoding utf8 does.
    for extra in [&[][..], &["--input-encoding", "utf8"][..]] {
        let run = check("employer", &[&path], extra);
        assert_eq!(
            ingest_at(&run.stdout),
            vec![csv_at("IN001", 4, Some("氏名"))],
            "{extra:?}"
        );
        let bytes = ing_bytes("mixed-utf8-cp932.csv");
        let pasted = offset_of(&bytes, &cp932("渡辺　次郎"), 0);
        let msg = with_code(&run.stdout, "IN001")[0]["message"].to_string();
        assert!(msg.contains(&format!("byte offset {pasted} ")), "{msg}");
        assert_eq!(rows_of(&run.stdout, &path), (3, 3, 0));
    }
}

#[test]
fn a_bom_wins_over_a_forced_encoding() {
    for (file, forced, encoding) in [
        ("enc-utf8-bom.csv", "cp932", "UTF-8 (BOM)"),
        ("enc-utf16le-bom.csv", "cp932", "UTF-16LE (BOM)"),
        ("enc-utf16be-bom.csv", "utf8", "UTF-16BE (BOM)"),
    ] {
        let run = inspect(&ing(file), "employer", &["--input-encoding", forced]);
        assert_eq!(run.code, 0, "{file}: {}", run.stdout);
        assert!(
            run.stdout.contains(&format!("encoding: {encoding}\n")),
            "{file}: {}",
            run.stdout
        );
        assert!(run.stdout.contains("rows read: 4"), "{file}");
    }
}

// ---------------------------------------------------------------------------------------------
// The header

#[test]
fn title_rows_above_the_csv_header_are_skipped_and_count_in_row_numbers() {
    let path = ing("title-rows.csv");
    let run = inspect(&path, "employer", &[]);
    assert_eq!(run.code, 0);
    for want in [
        "header at record 4, 7 columns, 2 data rows",
        // Full-width spaces, spaces and full-width parentheses in header text still map.
        "#3 「枝　番」 → branch (枝番)",
        "#5 「氏名 カナ」 → name_kana (氏名カナ)",
        "#6 「生年月日（和暦）」 → birth_date (生年月日)",
        "rows read: 2",
    ] {
        assert!(run.stdout.contains(want), "{want}: {}", run.stdout);
    }
    let run = check("employer", &[&path], &[]);
    assert_eq!(
        ingest_at(&run.stdout),
        vec![csv_at("IN009", 6, Some("性別"))]
    );
}

#[test]
fn the_csv_header_is_found_on_record_30_and_not_on_record_31() {
    let run = check("employer", &[&ing("header-at-30.csv")], &[]);
    assert_eq!(
        ingest_at(&run.stdout),
        vec![csv_at("IN009", 31, Some("性別"))]
    );

    let path = ing("header-at-31.csv");
    let run = check("employer", &[&path], &[]);
    assert_eq!(run.code, 2);
    let in003 = with_code(&run.stdout, "IN003");
    assert_eq!(in003.len(), 1, "{}", run.stdout);
    assert_eq!(in003[0]["severity"], "fatal");
    assert_eq!(in003[0]["source"]["row"], Value::Null);
    let msg = in003[0]["message"].as_str().unwrap_or_default();
    for want in [
        "記号 (tried: 記号, 被保険者証記号, 被保険者記号, 被保険者等記号)",
        "番号 (tried: 番号, 被保険者証番号, 被保険者番号, 被保険者等番号)",
        "枝番 (tried: 枝番, 枝番号, 被保険者等枝番)",
        "生年月日 (tried: 生年月日, 生年月日(和暦), 生年月日(西暦))",
    ] {
        assert!(msg.contains(want), "{want}: {msg}");
    }
    assert!(run.stderr.contains(&path), "{}", run.stderr);
    assert_eq!(summary(&run.stdout)["counts"]["fatal"], 1);
}

#[test]
fn a_missing_required_column_is_in003_naming_the_field_the_aliases_and_the_closest_row() {
    let path = ing("no-branch-header.csv");
    let run = check("employer", &[&path], &[]);
    assert_eq!(run.code, 2);
    let in003 = with_code(&run.stdout, "IN003");
    assert_eq!(in003.len(), 1);
    assert_eq!(in003[0]["source"]["column"], "枝番");
    let msg = in003[0]["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("枝番 (tried: 枝番, 枝番号, 被保険者等枝番); closest header: record 1"),
        "{msg}"
    );
    assert!(!msg.contains("記号 (tried"), "{msg}");
    assert!(
        run.stderr.contains(&format!("{path} (employer): IN003")),
        "{}",
        run.stderr
    );
    // The human report says it too, and still exits 2.
    let human = shikaku(&["check", "--kind", "employer", &path, "--as-of", AS_OF]);
    assert_eq!(human.code, 2);
    assert!(human.stdout.contains("IN003") && human.stdout.contains("被保険者等枝番"));

    let path = ing("no-header.xlsx");
    let run = check("employer", &[&path], &[]);
    assert_eq!(run.code, 2);
    let msg = with_code(&run.stdout, "IN003")[0]["message"].to_string();
    assert!(
        msg.contains("生年月日 (tried: 生年月日, 生年月日(和暦), 生年月日(西暦)); closest header: sheet 「名簿」 row 2"),
        "{msg}"
    );
}

// ---------------------------------------------------------------------------------------------
// Quoting, line ends, ragged rows

#[test]
fn quoted_fields_keep_commas_quotes_and_newlines_and_a_multi_line_record_counts_once() {
    // inspect shows an embedded line end, CRLF or LF, as one ⏎ so a row stays on one line.
    for file in ["quoted-crlf.csv", "quoted-lf.csv"] {
        let path = ing(file);
        let run = check("employer", &[&path], &[]);
        // Records 3 and 4 span 2 and 3 lines: the 性別 3 after them is on records 4 and 5.
        assert_eq!(
            ingest_at(&run.stdout),
            vec![
                csv_at("IN009", 4, Some("性別")),
                csv_at("IN009", 5, Some("性別"))
            ],
            "{file}"
        );
        assert_eq!(rows_of(&run.stdout, &path), (4, 4, 0), "{file}");
        let run = inspect(&path, "employer", &[]);
        for want in [
            "name=山田 \"タロウ\" 太郎".to_string(),
            "address=東京都千代田区丸の内1-1-1, 3F".to_string(),
            "name=田中, 次郎".to_string(),
            "address=東京都港区芝公園4-2-8⏎(管理人室気付)".to_string(),
            "address=大阪府大阪市北区梅田1-1-1⏎⏎B棟".to_string(),
        ] {
            assert!(run.stdout.contains(&want), "{file}: {want:?}");
        }
    }
}

#[test]
fn ragged_rows_are_in002_on_their_record_rejected_and_counted() {
    let path = ing("ragged.csv");
    let run = check("employer", &[&path], &[]);
    assert_eq!(run.code, 1);
    let in002: Vec<(u64, String)> = with_code(&run.stdout, "IN002")
        .iter()
        .map(|f| {
            (
                f["source"]["row"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        in002,
        vec![
            (3, "the record has 9 fields; the header has 8".to_string()),
            (4, "the record has 7 fields; the header has 8".to_string()),
        ]
    );
    // The well-formed row after them is still read.
    assert!(ingest_at(&run.stdout).contains(&csv_at("IN009", 5, Some("性別"))));
    assert_eq!(rows_of(&run.stdout, &path), (4, 2, 2));
}

#[test]
fn an_unterminated_quote_is_in002_on_its_record_and_the_rows_before_it_are_read() {
    let path = ing("unterminated.csv");
    let run = check("employer", &[&path], &[]);
    let mut want = vec![csv_at("IN002", 3, None), csv_at("IN009", 2, Some("性別"))];
    want.sort();
    assert_eq!(ingest_at(&run.stdout), want);
    let msg = with_code(&run.stdout, "IN002")[0]["message"].to_string();
    assert!(msg.contains("never closed"), "{msg}");
    assert_eq!(rows_of(&run.stdout, &path), (2, 1, 1));
}

// ---------------------------------------------------------------------------------------------
// Empty files

#[test]
fn a_header_with_no_rows_is_in007_a_warning_that_exits_0() {
    let path = ing("header-only.csv");
    let run = check("employer", &[&path], &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let in007 = with_code(&run.stdout, "IN007");
    assert_eq!(in007.len(), 1);
    assert_eq!(in007[0]["severity"], "warning");
    assert_eq!(in007[0]["source"]["row"], Value::Null);
    assert_eq!(rows_of(&run.stdout, &path), (0, 0, 0));
    let run = check("employer", &[&path], &["--fail-on", "warning"]);
    assert_eq!(run.code, 1);
}

#[test]
fn empty_and_blank_files_are_a_clear_error_naming_the_file() {
    for file in ["empty.csv", "blank-lines.csv", "bom-only.csv"] {
        let path = ing(file);
        let run = check("employer", &[&path], &[]);
        assert_eq!(run.code, 2, "{file}");
        assert!(
            run.stderr
                .contains(&format!("{path} (employer): the file is empty")),
            "{file}: {}",
            run.stderr
        );
        let errors: Vec<Value> = json_lines(&run.stdout)
            .into_iter()
            .filter(|v| v["type"] == "error")
            .collect();
        assert_eq!(errors.len(), 1, "{file}");
        assert_eq!(errors[0]["path"], path.as_str());
        assert_eq!(rows_of(&run.stdout, &path), (0, 0, 0));
        let run = inspect(&path, "employer", &[]);
        assert_eq!(run.code, 2, "{file}");
        assert!(
            run.stderr.contains(&path),
            "{file}: the error names the file"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Bytes: undecodable, 外字

#[test]
fn undecodable_bytes_are_in001_on_their_cell_with_the_byte_offset_and_the_rest_is_read() {
    let path = ing("undecodable.csv");
    let bytes = ing_bytes("undecodable.csv");
    let run = check("employer", &[&path], &[]);
    let got: Vec<(u64, String, String)> = with_code(&run.stdout, "IN001")
        .iter()
        .map(|f| {
            (
                f["source"]["row"].as_u64().unwrap_or(0),
                f["source"]["column"].as_str().unwrap_or("").to_string(),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    // 0x81 is also the lead byte of many CP932 characters (　 is 81 40): find the lone ones
    // by what precedes them.
    let mut sato = cp932("佐藤");
    sato.push(0x81);
    let offsets = [
        offset_of(&bytes, &sato, 0) + 4,
        offset_of(&bytes, b"1001,\x813", 0) + 5,
        offset_of(&bytes, &[0xFF], 0),
    ];
    let want = [(3, "氏名"), (4, "番号"), (5, "住所")];
    assert_eq!(got.len(), 3, "{got:?}");
    for ((row, col, msg), ((wrow, wcol), off)) in got.iter().zip(want.iter().zip(offsets)) {
        assert_eq!((*row, col.as_str()), (*wrow, *wcol));
        assert!(
            msg.contains(&format!("CP932 at byte offset {off} ")),
            "{msg}"
        );
    }
    // The rest of the row and of the file is read: 性別 3 after the bad byte is IN009, and
    // the row after the last bad byte is read (5 rows); the bad 番号 rejects its row.
    assert!(ingest_at(&run.stdout).contains(&csv_at("IN009", 3, Some("性別"))));
    assert_eq!(rows_of(&run.stdout, &path), (5, 4, 1));
    let run = inspect(&path, "employer", &[]);
    assert!(run.stdout.contains("name=高橋　五郎"), "{}", run.stdout);
    assert!(run.stdout.contains("name=佐藤\u{FFFD} |"), "{}", run.stdout);
}

#[test]
fn undecodable_bytes_in_a_title_record_are_a_file_level_in001() {
    let path = ing("undecodable-title.csv");
    let run = check("employer", &[&path], &[]);
    assert_eq!(
        ingest_at(&run.stdout),
        vec![("IN001".to_string(), None, None, None)]
    );
    let msg = with_code(&run.stdout, "IN001")[0]["message"].to_string();
    let mut title = cp932("被保険者一覧");
    title.push(0x81);
    let off = offset_of(&ing_bytes("undecodable-title.csv"), &title, 0) + title.len() - 1;
    assert!(msg.contains(&format!("byte offset {off} ")), "{msg}");
    assert_eq!(rows_of(&run.stdout, &path), (1, 1, 0));
}

#[test]
fn gaiji_is_in008_on_the_cell_that_holds_it() {
    let path = ing("gaiji.csv");
    let run = check("employer", &[&path], &[]);
    assert_eq!(
        ingest_at(&run.stdout),
        vec![
            csv_at("IN008", 3, Some("氏名")),
            csv_at("IN008", 4, Some("住所"))
        ]
    );
    let messages: Vec<String> = with_code(&run.stdout, "IN008")
        .iter()
        .map(|f| f["message"].to_string())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("U+E000")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("U+E757")),
        "{messages:?}"
    );
    assert_eq!(run.code, 0, "IN008 is a warning");
}

// ---------------------------------------------------------------------------------------------
// Workbooks

const SHEET: &str = "被保険者一覧";

/// What cells.xlsx, .xls, .ods and .xlsb must all give (see make_fixtures.py).
fn cells_findings() -> Vec<At> {
    let mut v = vec![
        sheet_at("IN004", SHEET, 5, "枝番"),
        sheet_at("IN004", SHEET, 5, "個人番号"),
        sheet_at("IN004", SHEET, 5, "郵便番号"),
        sheet_at("BD002", SHEET, 6, "生年月日"),
        sheet_at("IN005", SHEET, 6, "個人番号"),
        sheet_at("IN005", SHEET, 7, "番号"),
        sheet_at("IN004", SHEET, 8, "番号"),
        sheet_at("IN009", SHEET, 8, "性別"),
    ];
    v.sort();
    v
}

#[test]
fn xlsx_xls_ods_and_xlsb_read_every_kind_of_cell_alike() {
    for file in ["cells.xlsx", "cells.xls", "cells.ods", "cells.xlsb"] {
        let path = ing(file);
        let run = check("employer", &[&path], &[]);
        assert_eq!(ingest_at(&run.stdout), cells_findings(), "{file}");
        // #REF! in 番号 (a key cell) rejects row 7.
        assert_eq!(rows_of(&run.stdout, &path), (5, 4, 1), "{file}");

        let run = inspect(&path, "employer", &["--rows", "10"]);
        assert!(
            run.stdout
                .contains("sheet 「被保険者一覧」: header at row 3, 5 data rows"),
            "{file}: {}",
            run.stdout
        );
        let rows = inspected_rows(&run.stdout);
        let row = |n: &str| -> String {
            rows.iter()
                .find(|r| r.starts_with(&format!("{n}: ")))
                .cloned()
                .unwrap_or_else(|| panic!("{file}: no row {n} in {rows:#?}"))
        };
        for (n, want) in [
            // Date cells → ISO dates.
            ("4", "birth_date=1954-08-01"),
            ("4", "acquired_on=1977-04-01"),
            ("4", "branch=00"),
            // A bare serial in a date field → the date; a =DATE() formula → its cached date.
            ("5", "birth_date=1954-08-01"),
            ("5", "acquired_on=1980-04-01"),
            // Numeric code cells → padded text (IN004 above).
            ("5", "branch=01"),
            ("5", "postal_code=0600001"),
            ("5", "my_number=********"),
            // A text formula → its cached value.
            ("6", "name=鈴木　一郎"),
            ("6", "my_number=#N/A"),
            ("7", "number=#REF!"),
            ("8", "number=4 "),
        ] {
            assert!(
                row(n).contains(want),
                "{file} row {n}: {want} in {}",
                row(n)
            );
        }
        // Never `1.0` / `600001.0` / `4.0`.
        assert!(!run.stdout.contains(".0 |"), "{file}: {}", run.stdout);
    }
}

#[test]
fn error_constants_are_in005_and_one_in_a_key_column_rejects_the_row() {
    let path = ing("error-constants.xlsx");
    let run = check("employer", &[&path], &[]);
    let mut want = vec![
        sheet_at("IN005", "名簿", 2, "氏名"),
        sheet_at("IN005", "名簿", 2, "住所"),
        sheet_at("IN005", "名簿", 3, "番号"),
        sheet_at("IN005", "名簿", 3, "生年月日"),
    ];
    want.sort();
    assert_eq!(ingest_at(&run.stdout), want);
    let texts: Vec<String> = with_code(&run.stdout, "IN005")
        .iter()
        .map(|f| f["message"].to_string())
        .collect();
    for e in ["#N/A", "#VALUE!", "#REF!", "#DIV/0!"] {
        assert!(texts.iter().any(|t| t.contains(e)), "{e}: {texts:?}");
    }
    // An unreadable 生年月日 is IN005 only: not also BD001.
    assert!(with_code(&run.stdout, "BD001").is_empty());
    assert_eq!(rows_of(&run.stdout, &path), (3, 2, 1));
}

#[test]
fn the_1904_date_system_is_honoured() {
    for file in ["epoch1904.xlsx", "epoch1904.xls"] {
        let path = ing(file);
        let run = inspect(&path, "employer", &[]);
        let rows = inspected_rows(&run.stdout);
        assert_eq!(rows.len(), 2, "{file}: {}", run.stdout);
        // A date cell and a bare serial (18475 in the 1904 system) are both 1954-08-01.
        for r in &rows {
            assert!(r.contains("birth_date=1954-08-01"), "{file}: {r}");
        }
        assert!(rows[0].contains("acquired_on=1977-04-01"), "{file}");
        assert!(rows[1].contains("acquired_on=2024-02-29"), "{file}");
        let run = check("employer", &[&path], &[]);
        assert_eq!(ingest_at(&run.stdout), vec![], "{file}");
    }
}

#[test]
fn every_sheet_with_a_header_is_read_and_findings_name_their_sheet_and_its_row() {
    let path = ing("multi-sheet.xlsx");
    let run = check("employer", &[&path], &[]);
    let mut want = vec![
        sheet_at("IN009", "被保険者", 4, "性別"),
        sheet_at("IN009", "被扶養者", 6, "性別"),
        ("IN007".to_string(), None, None, None),
    ];
    want.sort();
    assert_eq!(ingest_at(&run.stdout), want);
    let msg = with_code(&run.stdout, "IN007")[0]["message"].to_string();
    assert!(msg.contains("「空」"), "{msg}");
    assert_eq!(rows_of(&run.stdout, &path), (5, 5, 0));

    let run = inspect(&path, "employer", &[]);
    for want in [
        "sheet 「記入要領」 skipped: no header row in the first 30 rows",
        "sheet 「被保険者」: header at row 2, 3 data rows",
        "sheet 「被扶養者」: header at row 4, 2 data rows",
        "sheet 「空」: header at row 1, 0 data rows",
        "D 「記号」 → symbol (記号)",
        "rows read: 5",
    ] {
        assert!(run.stdout.contains(want), "{want}: {}", run.stdout);
    }
}

#[test]
fn a_password_protected_or_corrupt_workbook_is_a_clear_error_and_other_files_are_still_checked() {
    let good = ing("good.xlsx");
    let protected = ing("protected.xlsx");
    let truncated = ing("truncated.xlsx");
    let run = check("employer", &[&good, &protected, &truncated], &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        ingest_at(&run.stdout),
        vec![sheet_at("IN009", "名簿", 2, "性別")]
    );
    assert_eq!(findings(&run.stdout)[0]["source"]["path"], good.as_str());
    let errors: Vec<(String, String)> = json_lines(&run.stdout)
        .into_iter()
        .filter(|v| v["type"] == "error")
        .map(|v| {
            (
                v["path"].as_str().unwrap_or("").to_string(),
                v["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, protected);
    assert!(errors[0].1.contains("password-protected"), "{errors:?}");
    assert_eq!(errors[1].0, truncated);
    assert!(
        errors[1].1.contains("cannot open the workbook"),
        "{errors:?}"
    );
    assert_eq!(rows_of(&run.stdout, &good), (1, 1, 0));
    assert_eq!(rows_of(&run.stdout, &protected), (0, 0, 0));
    assert_eq!(rows_of(&run.stdout, &truncated), (0, 0, 0));
    for p in [&protected, &truncated] {
        assert!(
            run.stderr.contains(&format!("error: {p} (employer): ")),
            "{}",
            run.stderr
        );
        let run = inspect(p, "employer", &[]);
        assert_eq!(run.code, 2, "{p}");
        assert!(run.stderr.contains(p.as_str()), "{p}: {}", run.stderr);
    }
}

#[test]
fn a_file_named_xlsb_that_is_not_a_workbook_is_a_clear_error_naming_the_file() {
    let path = ing("not-a-workbook.xlsb");
    let run = check("employer", &[&path], &[]);
    assert_eq!(run.code, 2);
    // It is a CP932 CSV file under a workbook's name: the error says so.
    assert!(
        run.stderr.contains(&format!("{path} (employer): ")) && run.stderr.contains(".csv"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("password"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// My Number never leaves the program

#[test]
fn a_numeric_12_digit_my_number_is_read_as_12_digits_and_never_printed() {
    // The fixtures do hold full numbers (the scanner finds them), so a leak would be seen.
    for csv in ["quoted-crlf.csv", "ragged.csv", "unterminated.csv"] {
        assert!(
            !full_my_numbers(&ing_bytes(csv)).is_empty(),
            "{csv} holds a full My Number"
        );
    }
    for file in [
        "cells.xlsx",
        "cells.xls",
        "cells.ods",
        "cells.xlsb",
        "quoted-crlf.csv",
        "ragged.csv",
        "unterminated.csv",
    ] {
        let path = ing(file);
        let out = tempdir();
        let dir = out.path().display().to_string();
        let json = check("employer", &[&path], &["--out", &dir]);
        assert!(
            out.path().join("findings.json").exists(),
            "{file}: findings.json written"
        );
        assert_no_full_my_number(&json, Some(out.path()));
        let human = shikaku(&["check", "--kind", "employer", &path, "--as-of", AS_OF]);
        assert_no_full_my_number(&human, None);
        let inspected = inspect(&path, "employer", &["--rows", "10"]);
        assert_no_full_my_number(&inspected, None);
        if file.starts_with("cells.") {
            // Row 5's numeric 個人番号: 12 digits, shown as its last 4 only.
            let in004 = with_code(&json.stdout, "IN004");
            let mn = in004
                .iter()
                .find(|f| f["source"]["column"] == "個人番号")
                .unwrap_or_else(|| panic!("{file}: IN004 on 個人番号"));
            assert!(
                mn["message"].to_string().contains("read as 12 digits"),
                "{file}: {mn}"
            );
            assert!(
                inspected.stdout.contains("my_number=********5352"),
                "{file}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed while writing these tests

#[test]
fn the_excel_header_is_searched_in_the_sheet_s_first_30_rows_even_below_empty_rows() {
    let run = inspect(&ing("header-row-30.xlsx"), "employer", &[]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("sheet 「名簿」: header at row 30, 1 data rows")
    );
    assert!(run.stdout.contains("31: symbol=1001"), "{}", run.stdout);

    let path = ing("header-row-31.xlsx");
    let run = check("employer", &[&path], &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(with_code(&run.stdout, "IN003").len(), 1);
}

#[test]
fn the_1904_date_system_of_an_xlsb_workbook_is_honoured() {
    let run = inspect(&ing("epoch1904.xlsb"), "employer", &[]);
    let rows = inspected_rows(&run.stdout);
    assert_eq!(rows.len(), 2, "{}", run.stdout);
    for r in &rows {
        assert!(r.contains("birth_date=1954-08-01"), "{r}");
    }
    assert!(rows[0].contains("acquired_on=1977-04-01"));
    assert!(rows[1].contains("acquired_on=2024-02-29"));
}

#[test]
fn gaiji_in_a_workbook_is_in008_too() {
    let run = check("employer", &[&ing("gaiji.xlsx")], &[]);
    assert_eq!(
        ingest_at(&run.stdout),
        vec![sheet_at("IN008", "名簿", 3, "氏名")]
    );
    assert!(
        with_code(&run.stdout, "IN008")[0]["message"]
            .to_string()
            .contains("U+E000")
    );
}

#[test]
fn libreoffice_s_numbered_errors_in_ods_are_in005() {
    let path = ing("lo-errors.ods");
    let run = check("employer", &[&path], &[]);
    let mut want = vec![
        sheet_at("IN005", "名簿", 2, "氏名"),
        sheet_at("IN005", "名簿", 2, "住所"),
    ];
    want.sort();
    assert_eq!(ingest_at(&run.stdout), want);
    let texts: Vec<String> = with_code(&run.stdout, "IN005")
        .iter()
        .map(|f| f["message"].to_string())
        .collect();
    assert!(texts.iter().any(|t| t.contains("Err:502")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("#NUM!")), "{texts:?}");
}

#[test]
fn a_workbook_under_the_wrong_extension_is_not_called_password_protected() {
    for (file, want) in [
        (
            "old-format.xlsx",
            "Excel 97-2003 workbook (.xls) named .xlsx",
        ),
        ("zip-named.xls", "(a zip) named .xls"),
    ] {
        let path = ing(file);
        let run = check("employer", &[&path], &[]);
        assert_eq!(run.code, 2, "{file}");
        assert!(
            run.stderr.contains(&format!("{path} (employer): this is"))
                && run.stderr.contains(want),
            "{file}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("password"), "{file}: {}", run.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// The sample fund, as `inspect` shows it

#[test]
fn inspect_reads_every_sample_file_as_its_readme_documents() {
    let cases: [(&str, &str, &[&str]); 8] = [
        (
            "fund.csv",
            "fund",
            &[
                "  encoding: CP932\n",
                "header at record 1, 24 columns, 157 data rows",
                "#1 「保険者番号」 → insurer_no (保険者番号)",
                "#16 「個人番号」 → my_number (個人番号)",
                "#24 「居所」 → residence_address (居所)",
                "rows read: 157\n",
            ],
        ),
        (
            "national-list.csv",
            "national-list",
            &[
                "  encoding: CP932\n",
                "header at record 2, 8 columns, 18 data rows",
                "#5 「氏名カナ」 → name_kana (氏名カナ)",
                "#8 「交付事由」 → reason (交付事由)",
                "rows read: 18\n",
            ],
        ),
        (
            "national-registry.csv",
            "national-registry",
            &[
                "  encoding: CP932\n",
                "header at record 1, 10 columns, 152 data rows",
                "#8 「個人番号下4桁」 → my_number (個人番号)",
                "#9 「負担割合」 → share_ratio (負担割合)",
                "rows read: 152\n",
            ],
        ),
        (
            "employers/c01-sakura-shoji.xlsx",
            "employer",
            &[
                "sheet 「記入要領」 skipped: no header row in the first 30 rows",
                "sheet 「被保険者一覧」: header at row 3, 45 data rows",
                "J 「個人番号」 → my_number (個人番号)",
                "N 「退職日」 → left_on (退職日)",
                "rows read: 45\n",
            ],
        ),
        (
            "employers/c02-sakura-bussan.xls",
            "employer",
            &[
                "sheet 「加入者一覧」: header at row 2, 40 data rows",
                "H 「続柄」 → relationship (続柄)",
                "M 「資格確認書発行要否」 → cert_requested (資格確認書発行要否)",
                "rows read: 40\n",
            ],
        ),
        (
            "employers/c03-sakura-roso.ods",
            "employer",
            &[
                "sheet 「組合員名簿」: header at row 4, 10 data rows",
                "A 「被保険者記号」 → symbol (記号)",
                "F 「生年月日(西暦)」 → birth_date (生年月日)",
                "I 「資格取得年月日」 → acquired_on (資格取得日)",
                "rows read: 10\n",
            ],
        ),
        (
            "employers/c04-sakura-techno.csv",
            "employer",
            &[
                "  encoding: CP932\n",
                "header at record 2, 14 columns, 34 data rows",
                "#2 「被保険者証番号」 → number (番号)",
                "#6 「生年月日(和暦)」 → birth_date (生年月日)",
                "#12 「入社日」 → acquired_on (資格取得日)",
                "rows read: 34\n",
            ],
        ),
        (
            "employers/c05-sakura-foods.csv",
            "employer",
            &[
                "  encoding: CP932\n",
                "header at record 1, 11 columns, 0 data rows",
                "#11 「住所」 → address (住所)",
                "rows read: 0\n",
            ],
        ),
    ];
    for (file, kind, wants) in cases {
        let run = inspect(&sample(file), kind, &["--rows", "200"]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        for want in wants {
            assert!(
                run.stdout.contains(want),
                "{file}: {want:?} in\n{}",
                run.stdout
            );
        }
        assert_no_full_my_number(&run, None);
    }
    // The fund and c01 hold full My Numbers, so the scan above could have failed.
    assert!(!full_my_numbers(&std::fs::read(sample("fund.csv")).unwrap_or_default()).is_empty());
}

#[test]
fn the_sample_s_planted_reading_problems_are_found_where_its_readme_says() {
    let dir = sample("employers");
    let run = check("employer", &[&dir], &[]);
    let got = ingest_at(&run.stdout);
    let path = |f: &str| format!("{dir}/{f}");
    for (file, code, sheet, row, column) in [
        (
            "c01-sakura-shoji.xlsx",
            "IN005",
            Some("被保険者一覧"),
            Some(23),
            Some("個人番号"),
        ),
        (
            "c01-sakura-shoji.xlsx",
            "IN004",
            Some("被保険者一覧"),
            Some(32),
            Some("郵便番号"),
        ),
        (
            "c02-sakura-bussan.xls",
            "IN004",
            Some("加入者一覧"),
            Some(26),
            Some("枝番"),
        ),
        (
            "c02-sakura-bussan.xls",
            "IN005",
            Some("加入者一覧"),
            Some(30),
            Some("個人番号"),
        ),
        (
            "c04-sakura-techno.csv",
            "IN008",
            None,
            Some(8),
            Some("氏名"),
        ),
        (
            "c04-sakura-techno.csv",
            "IN001",
            None,
            Some(9),
            Some("氏名"),
        ),
        ("c05-sakura-foods.csv", "IN007", None, None, None),
    ] {
        let hit = findings(&run.stdout).into_iter().any(|f| {
            f["code"] == code
                && f["source"]["path"] == path(file).as_str()
                && f["source"]["sheet"].as_str() == sheet
                && f["source"]["row"].as_u64() == row
                && f["source"]["column"].as_str() == column
        });
        assert!(
            hit,
            "{code} at {file} {sheet:?} {row:?} {column:?}: {got:?}"
        );
    }
    let run = check(
        "national-registry",
        &[&sample("national-registry.csv")],
        &[],
    );
    assert!(ingest_at(&run.stdout).contains(&csv_at("IN002", 128, None)));
    assert_eq!(
        rows_of(&run.stdout, &sample("national-registry.csv")),
        (152, 151, 1)
    );
}

#[test]
fn an_error_cell_in_the_key_is_reported_once_not_also_as_a_malformed_key() {
    let run = check("employer", &[&ing("cells.xlsx")], &[]);
    let on_row_7: Vec<String> = findings(&run.stdout)
        .iter()
        .filter(|f| f["source"]["row"] == 7)
        .map(|f| f["code"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        on_row_7,
        ["IN005"],
        "#REF! in 番号: IN005 rejects the row; no ID001 on its text"
    );
    assert_eq!(
        rows_of(&run.stdout, &ing("cells.xlsx")).2,
        1,
        "the row is rejected"
    );
}
