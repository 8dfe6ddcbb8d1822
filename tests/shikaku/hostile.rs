//! Hostile and careless files through the real binary: each must give its exit code, the
//! finding or the error that names the file, no panic, and no full My Number in any byte
//! written (stdout, stderr, every file under --out), in any written form.

use crate::common::*;
use std::path::{Path, PathBuf};

/// Valid My Numbers (check digit right) planted in the inputs below.
const MN_SPACED: &str = "271854365090"; // written 2718 5436 5090
const MN_HYPHENED: &str = "271855412385"; // written 2718-5541-2385
const MN_WIDE: &str = "314159265352"; // written ３１４１－５９２６－５３５２
const MN_PLAIN: &str = "161803398872";
const MN_COMMAS: &str = "141421356230"; // written 141,421,356,230

const PLANTED: [&str; 5] = [MN_SPACED, MN_HYPHENED, MN_WIDE, MN_PLAIN, MN_COMMAS];

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

/// Every planted number found in `bytes` (UTF-8, and CP932 for the lists), in any written form.
fn planted_in(bytes: &[u8]) -> Vec<&'static str> {
    let utf8 = String::from_utf8_lossy(bytes).into_owned();
    let (cp932, _, _) = encoding_rs::SHIFT_JIS.decode(bytes);
    let streams: Vec<String> = [utf8.as_str(), &cp932]
        .iter()
        .flat_map(|t| [digit_streams(t, false), digit_streams(t, true)])
        .flatten()
        .collect();
    PLANTED
        .iter()
        .copied()
        .filter(|mn| streams.iter().any(|s| s.contains(mn)))
        .collect()
}

/// No planted number, and no other check-digit-valid 12 digits, in anything the run wrote.
fn assert_nothing_leaked(run: &Run, out: Option<&Path>) {
    let mut leaks = Vec::new();
    let mut outputs: Vec<(String, Vec<u8>)> = vec![
        ("stdout".into(), run.stdout_bytes.clone()),
        ("stderr".into(), run.stderr_bytes.clone()),
    ];
    for p in out.map(walk).unwrap_or_default() {
        outputs.push((
            p.display().to_string(),
            std::fs::read(&p).unwrap_or_default(),
        ));
    }
    for (name, bytes) in &outputs {
        for mn in planted_in(bytes) {
            leaks.push(format!("{name}: …{}", &mn[8..]));
        }
    }
    assert!(leaks.is_empty(), "full My Numbers written: {leaks:?}");
    assert_no_full_my_number(run, out);
}

/// No panic: never exit 101 (a Rust panic) or a signal (an abort), no panic message.
fn assert_no_panic(run: &Run) {
    assert!(
        !matches!(run.code, 101 | 134 | -1),
        "exit {}: {}",
        run.code,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

const EMPLOYER_HEADER: &str = "記号,番号,枝番,氏名,生年月日,個人番号\r\n";

/// My Numbers as careless exports write them, in 個人番号 and in other columns.
fn written_forms_csv() -> String {
    let rows = [
        "1001,1,00,山田　太郎,1980-01-01,2718 5436 5090",
        "1001,2,00,山田　花子,1981-02-02,2718-5541-2385",
        "1001,3,00,佐藤　一郎,1982-03-03,３１４１－５９２６－５３５２",
        "1001,4,00,1618 0339 8872,1983-04-04,",
        "1001,5,00,鈴木　次郎,1984-05-05,\"141,421,356,230\"",
    ];
    format!("{EMPLOYER_HEADER}{}\r\n", rows.join("\r\n"))
}

#[test]
fn my_numbers_written_with_spaces_hyphens_or_full_width_digits_never_reach_an_output() {
    let dir = tempdir();
    let csv = write(dir.path(), "employer.csv", written_forms_csv());
    let csv = csv.display().to_string();
    for (format, kind) in [
        ("human", "employer"),
        ("json", "employer"),
        ("human", "fund"),
    ] {
        let out = dir.path().join(format!("out-{format}-{kind}"));
        let run = shikaku(&[
            "check",
            "--kind",
            kind,
            &csv,
            "--as-of",
            "2026-11-01",
            "--format",
            format,
            "--out",
            &out.display().to_string(),
        ]);
        assert_no_panic(&run);
        if kind == "employer" {
            assert_eq!(run.code, 1, "{}", run.stdout);
            assert!(run.stdout.contains("MN004"), "{}", run.stdout);
        }
        assert_nothing_leaked(&run, Some(&out));
    }
    let run = shikaku(&["inspect", &csv, "--kind", "employer", "--rows", "10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_nothing_leaked(&run, None);
}

/// A fund of `n` members who all carry one (valid) My Number.
fn fund_sharing_one_number(dir: &Path, n: usize) -> String {
    let mut text = String::from("記号,番号,枝番,氏名,生年月日,被保険者区分,個人番号\r\n");
    for i in 1..=n {
        text.push_str(&format!(
            "1001,{i},00,山田　太郎,1980-01-01,一般,{MN_PLAIN}\r\n"
        ));
    }
    write(dir, &format!("fund-{n}.csv"), text)
        .display()
        .to_string()
}

#[test]
fn thousands_of_rows_sharing_one_my_number_give_output_linear_in_the_rows() {
    let dir = tempdir();
    let mut sizes = Vec::new();
    for n in [400, 4000] {
        let fund = fund_sharing_one_number(dir.path(), n);
        let run = shikaku(&[
            "check",
            "--kind",
            "fund",
            &fund,
            "--as-of",
            "2026-11-01",
            "--format",
            "json",
            "--lang",
            "en",
        ]);
        assert_no_panic(&run);
        assert_eq!(run.code, 1);
        let mn006: Vec<_> = findings(&run.stdout)
            .into_iter()
            .filter(|f| f["code"] == "MN006")
            .collect();
        assert_eq!(mn006.len(), n, "one finding per row");
        // The first row names the five lowest other keys and counts the rest.
        let first = mn006[0]["message"].as_str().unwrap_or_default();
        let more = format!("and {} more", n - 6);
        assert!(
            first.contains("1001-2-00") && first.contains(&more),
            "{first}"
        );
        assert_eq!(first.matches("1001-").count(), 5, "{first}");
        sizes.push(run.stdout.len());
        assert_nothing_leaked(&run, None);
    }
    // Ten times the rows, about ten times the bytes (it was a hundred times).
    assert!(sizes[1] < sizes[0] * 12, "{sizes:?}");
    assert!(
        sizes[1] < 4000 * 1024,
        "{} bytes for 4000 findings",
        sizes[1]
    );
}

// ---------------------------------------------------------------------------------------------
// The committed corpus (tests/fixtures/hostile/, made by its make_hostile.py)

/// What a file must give: its exit code, and a finding code it must raise or the words its
/// error must say (any one of them; calamine's panics and a release build's wrapping
/// arithmetic reach the same refusal by different paths).
struct Case {
    file: &'static str,
    kind: &'static str,
    code: i32,
    finding: Option<&'static str>,
    error: &'static [&'static str],
}

const fn ok(file: &'static str, kind: &'static str, code: i32) -> Case {
    Case {
        file,
        kind,
        code,
        finding: None,
        error: &[],
    }
}

const fn finds(file: &'static str, kind: &'static str, code: i32, finding: &'static str) -> Case {
    Case {
        file,
        kind,
        code,
        finding: Some(finding),
        error: &[],
    }
}

const fn fails(file: &'static str, error: &'static [&'static str]) -> Case {
    Case {
        file,
        kind: "employer",
        code: 2,
        finding: None,
        error,
    }
}

const DAMAGED: &[&str] = &["the reader stopped at calamine-", "beyond a worksheet's"];

const CORPUS: &[Case] = &[
    // calamine's failures of issue 15, each guarded before or around calamine.
    finds("xfd1048576.xlsx", "employer", 1, "ID001"),
    fails("overflow-ref.xlsx", DAMAGED),
    fails("overflow-col.xlsx", DAMAGED),
    fails(
        "huge-sst-count.xlsx",
        &["declares 1,000,000,000,000 shared strings"],
    ),
    ok("dimension-a1-xfd1048576.xlsx", "employer", 0),
    fails(
        "crc-mismatch.xlsx",
        &["xl/worksheets/sheet1.xml fails its CRC check"],
    ),
    fails("zip-bomb.xlsx", &["(a zip bomb; at most 100 times)"]),
    fails(
        "xlsb-unknown-relid.xlsb",
        &["the reader stopped at calamine-0.38.0/src/xlsb/mod.rs"],
    ),
    fails(
        "xlsb-sst-index-out-of-range.xlsb",
        &["calamine-0.38.0/src/xlsb/cells_reader.rs"],
    ),
    fails("xlsb-huge-record.xlsb", &["holds a record of 255 MiB"]),
    fails("ods-repeated-cells.ods", &["number-columns-repeated"]),
    ok("ods-trailing-repeats.ods", "employer", 0),
    fails(
        "xls-reversed-dimensions.xls",
        &["DIMENSIONS records and cell positions"],
    ),
    fails(
        "xls-far-cell.xls",
        &["DIMENSIONS records and cell positions"],
    ),
    // Damaged, cut short, disguised.
    fails("rows-out-of-order.xlsx", &["has row 2 after row 3"]),
    fails(
        "lying-size.xlsx",
        &["the workbook is damaged: its part xl/worksheets/sheet1.xml"],
    ),
    fails("sheet-xml-cut.xlsx", &["cannot read the sheet"]),
    fails("missing-sheet-part.xlsx", &["cannot read the sheet"]),
    fails("empty-zip.xlsx", &["cannot open the workbook"]),
    fails("truncated.xlsx", &["cannot open the workbook"]),
    fails("xlsb-truncated-record.xlsb", &["cannot read the sheet"]),
    fails("ods-bad-repeat.ods", &["cannot open the workbook"]),
    fails("xls-truncated.xls", &["(OLE) container cannot be read"]),
    fails("random-bytes.xlsb", &["cannot open the workbook"]),
    fails("encrypted.xlsx", &["password-protected"]),
    fails(
        "xls-named-xlsx.xlsx",
        &["Excel 97-2003 workbook (.xls) named .xlsx"],
    ),
    fails(
        "csv-named-xlsx.xlsx",
        &["text (CSV) file, not a workbook, named .xlsx"],
    ),
    fails(
        "csv-named-xls.xls",
        &["text (CSV) file, not a workbook, named .xls"],
    ),
    fails(
        "xlsx-named-csv.csv",
        &["a .xlsx/.xlsb/.ods workbook, not a text (CSV) file"],
    ),
    fails(
        "xls-named-csv.csv",
        &["a .xls workbook, not a text (CSV) file"],
    ),
    // My Numbers where they do not belong.
    finds("my-numbers-written.xlsx", "employer", 1, "MN004"),
    finds("sheet-named-my-number.xlsx", "employer", 0, "BD008"),
    finds("broken-rows-my-numbers.csv", "employer", 1, "IN002"),
    Case {
        file: "my-number-in-header.csv",
        kind: "employer",
        code: 2,
        finding: Some("IN003"),
        error: &[],
    },
    // CSV encodings and line ends tools get wrong.
    ok("utf16le-bom.csv", "employer", 0),
    ok("utf16be-bom.csv", "employer", 0),
    ok("utf16le-no-bom.csv", "employer", 0),
    ok("utf16be-no-bom.csv", "employer", 0),
    finds("mixed-utf8-cp932.csv", "employer", 1, "IN001"),
    finds("nul-bytes.csv", "employer", 1, "IN001"),
    ok("cr-only.csv", "employer", 0),
    finds("lead-byte-at-eof.csv", "employer", 1, "IN001"),
    ok("many-quotes.csv", "employer", 0),
    finds("formula-injection.csv", "fund", 0, "AD004"),
    fails("only-bom.csv", &["the file is empty"]),
    Case {
        file: "binary-garbage.csv",
        kind: "employer",
        code: 2,
        finding: Some("IN003"),
        error: &[],
    },
];

fn hostile(name: &str) -> String {
    format!("tests/fixtures/hostile/{name}")
}

/// `check` on one file, JSON and human, with --out; every common assertion on each run.
fn check_case(case: &Case) -> Vec<Run> {
    let path = hostile(case.file);
    let dir = tempdir();
    let mut runs = Vec::new();
    for format in ["json", "human"] {
        let out = dir.path().join(format);
        let run = shikaku(&[
            "check",
            "--kind",
            case.kind,
            &path,
            "--as-of",
            "2026-11-01",
            "--format",
            format,
            "--lang",
            "en",
            "--out",
            &out.display().to_string(),
        ]);
        assert_no_panic(&run);
        assert_eq!(
            run.code, case.code,
            "{}: {}\n{}",
            case.file, run.stderr, run.stdout
        );
        assert_nothing_leaked(&run, Some(&out));
        if !case.error.is_empty() {
            let named = format!("{path} ({}): ", case.kind);
            assert!(run.stderr.contains(&named), "{}: {}", case.file, run.stderr);
            assert!(
                case.error.iter().any(|e| run.stderr.contains(e)),
                "{}: {:?} in {}",
                case.file,
                case.error,
                run.stderr
            );
        }
        runs.push(run);
    }
    if let Some(code) = case.finding {
        let json = &runs[0].stdout;
        assert!(
            findings(json).iter().any(|f| f["code"] == code),
            "{}: no {code} in {json}",
            case.file
        );
    }
    runs
}

#[test]
fn the_corpus_holds_at_least_40_hostile_files_each_with_an_expectation() {
    let dir = root().join("tests/fixtures/hostile");
    let mut on_disk: Vec<String> = walk(&dir)
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.ends_with(".py"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CORPUS.iter().map(|c| c.file.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "every committed file is tested, every tested file committed"
    );
    assert!(listed.len() >= 40, "{}", listed.len());
}

#[test]
fn every_hostile_workbook_gives_its_exit_code_and_its_finding_or_error() {
    for case in CORPUS.iter().filter(|c| !c.file.ends_with(".csv")) {
        check_case(case);
    }
}

#[test]
fn every_hostile_csv_gives_its_exit_code_and_its_finding_or_error() {
    for case in CORPUS.iter().filter(|c| c.file.ends_with(".csv")) {
        check_case(case);
    }
}

/// Inputs the fuzzer found (fuzz target ingest_workbook), committed under tests/fixtures/fuzz/.
#[test]
fn workbooks_the_fuzzer_found_are_refused_naming_the_file() {
    const FOUND: &[(&str, &str)] = &[
        (
            "workbook-xls-cfb-lenient.xls",
            "(OLE) container cannot be read",
        ),
        (
            "workbook-sst-after-broken-markup.xlsx",
            "declares 1,000,000,000,000 shared strings",
        ),
        (
            "workbook-xls-slow-rectangle.xls",
            "need 70 MiB to read (at most 16 MiB)",
        ),
        // A sheet part flagged encrypted (the check stopped there), then shared strings
        // declaring 10^12 entries.
        (
            "workbook-encrypted-part-then-sst.xlsx",
            "declares 1,000,000,000,000 shared strings",
        ),
        // A BOUNDSHEET pointing into the globals, at a DIMENSIONS record of 2.9 PB.
        (
            "workbook-xls-sheet-start-anywhere.xls",
            "need 2,788,144,174 MiB to read (at most 16 MiB)",
        ),
        // An OLE file named .xlsx/.xlsb whose directory chain loops: calamine's check for an
        // encrypted package followed it to 12 GB.
        (
            "workbook-ole-directory-loop.xlsx",
            "Excel 97-2003 workbook (.xls) named .xlsx",
        ),
        (
            "workbook-ole-directory-loop.xlsb",
            "Excel 97-2003 workbook (.xls) named .xlsb",
        ),
    ];
    for (file, error) in FOUND {
        let path = format!("tests/fixtures/fuzz/{file}");
        let (run, peak) = shikaku_measured(&["check", "--kind", "employer", &path, "--lang", "en"]);
        assert_no_panic(&run);
        assert_eq!(run.code, 2, "{file}: {}", run.stderr);
        assert!(
            run.stderr.contains(&path) && run.stderr.contains(error),
            "{}",
            run.stderr
        );
        assert!(peak < GIB, "{file}: peak RSS {} MiB", peak >> 20);
    }
}

#[test]
fn a_workbook_s_sheet_named_with_a_my_number_is_masked_where_it_is_shown() {
    let path = hostile("sheet-named-my-number.xlsx");
    let run = shikaku(&["inspect", &path, "--kind", "employer", "--rows", "5"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("8872"),
        "the last 4 stay: {}",
        run.stdout
    );
    assert_nothing_leaked(&run, None);
}

/// Found by fuzz target `values`: in one cell's text (a sheet name), `ー` between the digit
/// groups did not join them, and the sheet's name reached findings.json and the report whole.
#[test]
fn a_sheet_named_with_a_my_number_joined_by_prolonged_marks_is_masked_everywhere() {
    let path = "tests/fixtures/fuzz/workbook-sheet-named-with-prolonged-marks.xlsx";
    let dir = tempdir();
    let out = dir.path().join("out");
    let out_arg = out.display().to_string();
    let run = shikaku(&["check", "--kind", "employer", path, "--out", &out_arg]);
    assert_no_panic(&run);
    assert!(
        run.stdout.contains("8872"),
        "the last 4 stay: {}",
        run.stdout
    );
    assert_nothing_leaked(&run, Some(&out));
}

#[test]
fn a_crc_mismatch_is_never_read_as_data() {
    // The damaged byte made 番号 2 into 7: reading it would have given another member's key.
    let run = check_case(&CORPUS[5]).remove(0);
    assert!(!run.stdout.contains("1001-7-00"), "{}", run.stdout);
    assert_eq!(
        summary(&run.stdout)["rows"][hostile("crc-mismatch.xlsx")]["read"],
        0
    );
}

#[test]
fn formula_injection_values_are_neutralised_in_lists_and_escape_sequences_on_the_terminal() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let path = hostile("formula-injection.csv");
    let run = shikaku(&[
        "mailing",
        "--fund",
        &path,
        "--document",
        "notice",
        "--base-date",
        "2026-11-01",
        "--out",
        &out.display().to_string(),
        "--fail-on",
        "none",
    ]);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stdout_bytes.contains(&0x1b),
        "no ESC reaches the terminal"
    );
    assert!(!run.stderr_bytes.contains(&0x1b));
    let rows = read_list(&out.join("mailing.csv"));
    let cells: Vec<&String> = rows.iter().flatten().collect();
    for value in ["=HYPERLINK", "+81-3-1234-5678", "@SUM(A1)", "-2+3"] {
        assert!(
            cells.iter().all(|c| !c.starts_with(value)),
            "{value} is written as a formula: {rows:?}"
        );
    }
    assert!(
        cells.iter().any(|c| c.starts_with("'=HYPERLINK")),
        "{rows:?}"
    );
    assert_nothing_leaked(&run, Some(&out));
}

// ---------------------------------------------------------------------------------------------
// Inputs too large to commit, made here

/// Run the binary with stdout and stderr in files, and its peak RSS (wait4's ru_maxrss).
#[allow(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which std cannot do"
)]
fn shikaku_measured(args: &[&str]) -> (Run, u64) {
    let dir = tempdir();
    let (out, err) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_shikaku"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("the shikaku binary runs");
    let mut status = 0;
    // SAFETY: wait4 on our own child, with valid pointers to locals.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert!(pid > 0, "wait4");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    let (stdout_bytes, stderr_bytes) = (std::fs::read(&out).unwrap(), std::fs::read(&err).unwrap());
    let run = Run {
        code,
        stdout: String::from_utf8_lossy(&stdout_bytes).into_owned(),
        stderr: String::from_utf8_lossy(&stderr_bytes).into_owned(),
        stdout_bytes,
        stderr_bytes,
    };
    (run, usage.ru_maxrss as u64 * 1024)
}

const GIB: u64 = 1 << 30;

/// The binary runs on jemalloc with its options built in (src/main.rs): asked for its
/// statistics at exit, it shows the options set there, not jemalloc's defaults (a 10 s decay,
/// no background thread), which left a 1M-member reconcile 0.03 GiB higher.
#[cfg(not(target_env = "msvc"))]
#[test]
fn the_binary_returns_freed_pages_by_its_built_in_allocator_options() {
    let run = shikaku_env(&["rules"], &[("_RJEM_MALLOC_CONF", "stats_print:true")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for option in [
        "opt.background_thread: true",
        "opt.dirty_decay_ms: 200",
        "opt.muzzy_decay_ms: 0",
    ] {
        assert!(
            run.stderr.contains(option),
            "{option} not in the statistics"
        );
    }
}

/// An .xlsx of stored (uncompressed) parts: the header row, `rows`, and a shared-string table.
fn write_xlsx(path: &Path, sheet_rows: &str, sst: &str, extra_parts: usize) {
    use std::io::Write;
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).expect("create"));
    let parts = [
        ("_rels/.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
        ("xl/sharedStrings.xml", sst.to_string()),
        ("xl/worksheets/sheet1.xml", format!(
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>記号</t></is></c><c r="B1" t="inlineStr"><is><t>番号</t></is></c><c r="C1" t="inlineStr"><is><t>枝番</t></is></c><c r="D1" t="inlineStr"><is><t>生年月日</t></is></c></row>{sheet_rows}</sheetData></worksheet>"#
        )),
    ];
    for (name, text) in parts {
        z.start_file(name, options).expect("part");
        z.write_all(text.as_bytes()).expect("write");
    }
    for i in 0..extra_parts {
        z.start_file(format!("customXml/item{i}.xml"), options)
            .expect("part");
    }
    z.finish().expect("zip");
}

fn sst_of(n: usize) -> String {
    let mut s = format!(
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">"#
    );
    for i in 0..n {
        s.push_str(&format!("<si><t>文字列{i}</t></si>"));
    }
    s.push_str("</sst>");
    s
}

#[test]
fn a_shared_string_table_of_a_million_entries_is_read_within_1_gib() {
    let dir = tempdir();
    let path = dir.path().join("million-strings.xlsx");
    // Two data rows whose 番号 are shared strings near the end of the table.
    let rows = r#"<row r="2"><c r="A2"><v>1001</v></c><c r="B2" t="s"><v>999998</v></c><c r="C2"><v>0</v></c><c r="D2" t="inlineStr"><is><t>1980-01-01</t></is></c></row>"#;
    write_xlsx(&path, rows, &sst_of(1_000_000), 0);
    let file = path.display().to_string();
    let (run, peak) = shikaku_measured(&[
        "check",
        "--kind",
        "employer",
        &file,
        "--as-of",
        "2026-11-01",
        "--format",
        "json",
    ]);
    assert_no_panic(&run);
    // 番号 「文字列999998」 is not digits: ID001, so the table was read to its end.
    assert!(
        findings(&run.stdout).iter().any(|f| f["code"] == "ID001"),
        "{}",
        run.stdout
    );
    assert!(peak < GIB, "peak RSS {} MiB", peak >> 20);
}

#[test]
fn a_sheet_claiming_a1_xfd1048576_and_a_zip_bomb_are_read_or_refused_within_1_gib() {
    for (file, code) in [
        ("dimension-a1-xfd1048576.xlsx", 0),
        ("xfd1048576.xlsx", 1),
        ("zip-bomb.xlsx", 2),
        ("ods-repeated-cells.ods", 2),
        ("xls-far-cell.xls", 2),
        ("huge-sst-count.xlsx", 2),
    ] {
        let path = hostile(file);
        let (run, peak) = shikaku_measured(&[
            "check",
            "--kind",
            "employer",
            &path,
            "--as-of",
            "2026-11-01",
        ]);
        assert_no_panic(&run);
        assert_eq!(run.code, code, "{file}: {}", run.stderr);
        assert!(peak < GIB, "{file}: peak RSS {} MiB", peak >> 20);
    }
}

#[test]
fn xml_without_markup_past_8_mib_and_a_zip_of_10001_parts_are_refused() {
    let dir = tempdir();
    let long = dir.path().join("long-run.xlsx");
    let text = "x".repeat(9 << 20);
    let row = format!(r#"<row r="2"><c r="A2" t="inlineStr"><is><t>{text}</t></is></c></row>"#);
    write_xlsx(&long, &row, &sst_of(0), 0);
    let many = dir.path().join("many-parts.xlsx");
    write_xlsx(&many, "", &sst_of(0), 10_001);
    for (path, error) in [
        (&long, "of XML without markup"),
        (&many, "parts (at most 10,000)"),
    ] {
        let file = path.display().to_string();
        let run = shikaku(&["check", "--kind", "employer", &file, "--lang", "en"]);
        assert_no_panic(&run);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains(&file) && run.stderr.contains(error),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn twenty_thousand_columns_and_a_multi_megabyte_cell_are_read_and_shown_clipped() {
    let dir = tempdir();
    // 20,000 columns, 生年月日 the last of them, holding a date that is not one.
    let mut header: Vec<String> = vec!["記号".into(), "番号".into(), "枝番".into()];
    header.extend((3..19_999).map(|i| format!("列{i}")));
    header.push("生年月日".into());
    let mut row: Vec<String> = vec!["1001".into(), "1".into(), "00".into()];
    row.extend((3..19_999).map(|_| String::new()));
    row.push("29.8.1".into());
    let wide = write(
        dir.path(),
        "wide.csv",
        format!("{}\r\n{}\r\n", header.join(","), row.join(",")),
    );
    // A 6 MB 生年月日 with a My Number in the middle of it.
    let big = format!(
        "{}{} {}",
        "山".repeat(1 << 20),
        spaced(MN_SPACED),
        "田".repeat(1 << 20)
    );
    let huge = write(
        dir.path(),
        "huge-cell.csv",
        format!("記号,番号,枝番,氏名,生年月日\r\n1001,1,00,山田,{big}\r\n"),
    );
    for (path, rows) in [(wide, 1), (huge, 1)] {
        let file = path.display().to_string();
        for format in ["human", "json"] {
            let (run, peak) = shikaku_measured(&[
                "check",
                "--kind",
                "employer",
                &file,
                "--as-of",
                "2026-11-01",
                "--format",
                format,
            ]);
            assert_no_panic(&run);
            assert_eq!(run.code, 1, "{file}: {}", run.stderr);
            assert!(run.stdout.contains("BD001"), "{file}");
            assert_nothing_leaked(&run, None);
            assert!(peak < GIB, "{file}: peak RSS {} MiB", peak >> 20);
            if format == "json" {
                assert_eq!(summary(&run.stdout)["rows"][&file]["read"], rows);
            } else {
                // The rendered row is a window of the row, not megabytes of it.
                assert!(
                    run.stdout.len() < 64 << 10,
                    "{file}: {} bytes",
                    run.stdout.len()
                );
            }
        }
    }
}

fn spaced(mn: &str) -> String {
    format!("{} {} {}", &mn[..4], &mn[4..8], &mn[8..])
}

#[test]
fn long_member_keys_of_the_input_are_named_in_full_and_other_long_numbers_masked() {
    // 8-digit 記号 and 7-digit 番号: keys of 17 digits, which name members, not My Numbers.
    let dir = tempdir();
    let text = format!(
        "記号,番号,枝番,氏名,生年月日,被保険者区分,個人番号\r\n12345678,1234567,00,山田,1980-01-01,一般,{MN_PLAIN}\r\n12345678,7654321,00,佐藤,1981-02-02,一般,{MN_PLAIN}\r\n"
    );
    let fund = write(dir.path(), "fund.csv", text).display().to_string();
    for format in ["json", "human"] {
        let run = shikaku(&[
            "check",
            "--kind",
            "fund",
            &fund,
            "--as-of",
            "2026-11-01",
            "--format",
            format,
            "--lang",
            "en",
        ]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stdout.contains("is recorded for 12345678-7654321-00"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("12345678-1234567-00"), "{}", run.stdout);
        assert_nothing_leaked(&run, None);
    }
}
