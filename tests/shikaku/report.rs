//! The human report, pinned: no colour, fixed width (the binary draws without colour when
//! stdout is not a terminal, at $COLUMNS = 100 here), relative paths so snapshots are stable.

use crate::common::*;

fn human(args: &[&str]) -> String {
    let run = shikaku(args);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_no_full_my_number(&run, None);
    run.stdout
}

#[test]
fn csv_rows_are_rendered_with_the_cell_underlined_and_my_number_masked() {
    let out = human(&[
        "check",
        "--kind",
        "fund",
        "tests/fixtures/report/fund.csv",
        "--as-of",
        "2026-11-01",
    ]);
    // The fixture's row 2 holds a valid 12-digit My Number; the report shows only its last 4.
    assert!(out.contains("********"));
    insta::assert_snapshot!("csv_fund_report", out);
}

#[test]
fn workbook_rows_are_rendered_compactly_with_their_cell_reference() {
    let out = human(&[
        "check",
        "--kind",
        "employer",
        "sample-data/employers/c01-sakura-shoji.xlsx",
        "--as-of",
        "2026-11-01",
    ]);
    assert!(out.contains("被保険者一覧!J23"));
    insta::assert_snapshot!("xlsx_employer_report", out);
}

#[test]
fn cross_source_findings_show_the_other_sources_cell() {
    let out = human(&[
        "reconcile",
        "--fund",
        "sample-data/fund.csv",
        "--national-list",
        "sample-data/national-list.csv",
        "--national-registry",
        "sample-data/national-registry.csv",
        "--employer",
        "sample-data/employers",
        "--as-of",
        "2026-11-01",
        "--max-per-code",
        "1",
    ]);
    assert!(out.contains("national-registry has 下4桁 0000"));
    insta::assert_snapshot!("reconcile_report_one_per_code", out);
}

#[test]
fn many_findings_of_one_code_are_capped_with_a_count_of_the_rest() {
    let dir = tempdir();
    let mut text = String::from("記号,番号,枝番,氏名,生年月日,被保険者区分,性別\n");
    for i in 1..=30 {
        text.push_str(&format!("1001,{i},00,山田,1980-01-01,一般,9\n"));
    }
    let f = dir.path().join("fund.csv");
    std::fs::write(&f, text).unwrap();
    let run = shikaku(&[
        "check",
        "--kind",
        "fund",
        &f.display().to_string(),
        "--as-of",
        "2026-11-01",
        "--max-per-code",
        "3",
    ]);
    assert_eq!(
        run.stdout.matches("IN009 error\n").count(),
        3,
        "three diagnostics"
    );
    assert!(
        run.stdout.contains("… 27 more IN009 finding(s) not shown"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("IN009 error       30"),
        "the summary counts them all: {}",
        run.stdout
    );
    let json = shikaku(&[
        "check",
        "--kind",
        "fund",
        &f.display().to_string(),
        "--as-of",
        "2026-11-01",
        "--max-per-code",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(findings(&json.stdout).len(), 30, "JSON keeps all");
}
