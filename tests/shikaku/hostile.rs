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
