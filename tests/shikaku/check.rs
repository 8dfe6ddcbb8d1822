//! `shikaku check` as a CI gate: exit codes, --fail-on, baselines, config errors, and no full
//! My Number in anything it writes.

use crate::common::*;
use std::path::{Path, PathBuf};

const HEADER: &str = "記号,番号,枝番,氏名,生年月日,被保険者区分,性別,郵便番号\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}

fn check_args<'a>(file: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "check",
        "--kind",
        "fund",
        file,
        "--as-of",
        "2026-11-01",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    args
}

/// A fund file with one member and a chosen line of trouble.
fn fund(dir: &Path, rows: &str) -> String {
    write(dir, "fund.csv", &format!("{HEADER}{rows}"))
        .display()
        .to_string()
}

const CLEAN: &str = "1001,1,00,山田　太郎,1980-01-01,一般,1,1000005\n";
/// IN004 (a 6-digit postal code lost its leading zero): a warning.
const WARNING: &str = "1001,1,00,山田　太郎,1980-01-01,一般,1,600001\n";
/// IN009 (性別 3): an error.
const ERROR: &str = "1001,1,00,山田　太郎,1980-01-01,一般,3,1000005\n";

#[test]
fn a_clean_file_exits_0() {
    let dir = tempdir();
    let f = fund(dir.path(), CLEAN);
    let run = shikaku(&check_args(&f, &[]));
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(findings(&run.stdout).is_empty());
    assert_eq!(summary(&run.stdout)["exit_code"], 0);
}

#[test]
fn warnings_exit_0_unless_fail_on_warning() {
    let dir = tempdir();
    let f = fund(dir.path(), WARNING);
    let run = shikaku(&check_args(&f, &[]));
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        code_keys(&run.stdout),
        pairs(&[("IN004", Some("1001-1-00"))])
    );
    let strict = shikaku(&check_args(&f, &["--fail-on", "warning"]));
    assert_eq!(strict.code, 1);
    assert_eq!(summary(&strict.stdout)["exit_code"], 1);
}

#[test]
fn errors_exit_1_and_fail_on_none_exits_0() {
    let dir = tempdir();
    let f = fund(dir.path(), ERROR);
    let run = shikaku(&check_args(&f, &[]));
    assert_eq!(run.code, 1);
    let found = findings(&run.stdout);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["code"], "IN009");
    assert_eq!(found[0]["severity"], "error");
    assert_eq!(
        found[0]["source"]["row"], 2,
        "CSV row = record number, header is 1"
    );
    assert_eq!(found[0]["source"]["column"], "性別");
    assert_eq!(found[0]["source"]["sheet"], serde_json::Value::Null);
    assert!(found[0]["related"].is_array());
    assert_eq!(shikaku(&check_args(&f, &["--fail-on", "none"])).code, 0);
}

#[test]
fn an_unreadable_file_exits_2_and_names_it() {
    let run = shikaku(&check_args("no/such/fund.csv", &[]));
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no/such/fund.csv"), "{}", run.stderr);
    let lines = json_lines(&run.stdout);
    assert!(
        lines.iter().any(|l| l["type"] == "error"),
        "a JSON error line for CI"
    );
    assert_eq!(summary(&run.stdout)["exit_code"], 2);
}

#[test]
fn a_missing_required_column_is_in003_fatal_naming_the_aliases_tried() {
    let dir = tempdir();
    let f = write(
        dir.path(),
        "fund.csv",
        "記号,番号,枝番,氏名,生年月日\n1001,1,00,山田,1980-01-01\n",
    );
    let run = shikaku(&check_args(&f.display().to_string(), &[]));
    assert_eq!(run.code, 2);
    let found = findings(&run.stdout);
    assert_eq!(found[0]["code"], "IN003");
    assert_eq!(found[0]["severity"], "fatal");
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("被保険者区分") && message.contains("被保険者種別"),
        "{message}"
    );
}

#[test]
fn a_fatal_file_does_not_stop_the_others() {
    let dir = tempdir();
    let good = fund(dir.path(), ERROR);
    let run = shikaku(&[
        "check",
        "--kind",
        "fund",
        &good,
        "missing.csv",
        "--as-of",
        "2026-11-01",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 2, "a fatal input makes the run exit 2");
    assert_eq!(
        code_keys(&run.stdout),
        pairs(&[("IN009", Some("1001-1-00"))]),
        "the good file is still checked"
    );
    let rows = &summary(&run.stdout)["rows"];
    assert_eq!(rows[good.as_str()]["read"], 1);
    assert_eq!(rows["missing.csv"]["read"], 0);
}

#[test]
fn a_bad_config_exits_2_naming_file_line_and_key() {
    let dir = tempdir();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    write(
        &rules,
        "checks.toml",
        "renewal_window_days = 60\n[severity]\nMN999 = \"off\"\n",
    );
    let f = fund(dir.path(), CLEAN);
    let run = shikaku(&check_args(&f, &["--rules", &rules.display().to_string()]));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("checks.toml:3") && run.stderr.contains("MN999"),
        "{}",
        run.stderr
    );
    // A --rules directory that does not exist is a usage error too.
    let run = shikaku(&check_args(&f, &["--rules", "no/such/rules"]));
    assert_eq!(run.code, 2);
}

#[test]
fn severities_from_checks_toml_apply_and_off_removes_a_rule() {
    let dir = tempdir();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    write(
        &rules,
        "checks.toml",
        "[severity]\nIN009 = \"warning\"\nIN004 = \"off\"\n",
    );
    let f = fund(dir.path(), "1001,1,00,山田,1980-01-01,一般,3,600001\n");
    let run = shikaku(&check_args(&f, &["--rules", &rules.display().to_string()]));
    assert_eq!(run.code, 0, "IN009 downgraded to a warning");
    let found = findings(&run.stdout);
    assert_eq!(found.len(), 1, "IN004 is off");
    assert_eq!(found[0]["severity"], "warning");
}

#[test]
fn a_baseline_written_then_applied_passes_and_survives_re_sorting() {
    let dir = tempdir();
    let rows =
        "1001,1,00,山田,1980-01-01,一般,3,1000005\n1001,2,00,佐藤,1981-02-02,一般,9,1000005\n";
    let f = fund(dir.path(), rows);
    let baseline = dir.path().join("ci/baseline.jsonl").display().to_string();
    let first = shikaku(&check_args(&f, &["--write-baseline", &baseline]));
    assert_eq!(
        first.code, 1,
        "writing a baseline does not hide today's findings"
    );
    let entries = json_lines(&std::fs::read_to_string(&baseline).unwrap());
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["kind"], "fund");
    assert_eq!(entries[0]["column"], "性別");

    let applied = shikaku(&check_args(&f, &["--baseline", &baseline]));
    assert_eq!(applied.code, 0, "{}", applied.stdout);
    assert!(findings(&applied.stdout).is_empty());
    assert_eq!(summary(&applied.stdout)["counts"]["suppressed"], 2);

    // The export re-sorted: rows move, keys and columns do not.
    let resorted = fund(
        dir.path(),
        "1001,2,00,佐藤,1981-02-02,一般,9,1000005\n1001,1,00,山田,1980-01-01,一般,3,1000005\n",
    );
    assert_eq!(
        shikaku(&check_args(&resorted, &["--baseline", &baseline])).code,
        0
    );

    // A new problem still fails.
    let worse = fund(
        dir.path(),
        &format!("{rows}1001,3,00,鈴木,1982-03-03,一般,X,1000005\n"),
    );
    let run = shikaku(&check_args(&worse, &["--baseline", &baseline]));
    assert_eq!(run.code, 1);
    assert_eq!(
        code_keys(&run.stdout),
        pairs(&[("IN009", Some("1001-3-00"))])
    );
}

#[test]
fn out_writes_findings_json_with_mode_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let f = fund(dir.path(), ERROR);
    let out = dir.path().join("out");
    let out_s = out.display().to_string();
    let run = shikaku(&[
        "check",
        "--kind",
        "fund",
        &f,
        "--as-of",
        "2026-11-01",
        "--out",
        &out_s,
    ]);
    assert_eq!(run.code, 1);
    let written = out.join("findings.json");
    let text = std::fs::read_to_string(&written).unwrap();
    assert_eq!(code_keys(&text), pairs(&[("IN009", Some("1001-1-00"))]));
    let mode = std::fs::metadata(&written).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

/// A valid My Number for a seed (its check digit computed by the domain's rule).
fn my_number(seed: u64) -> String {
    let first: String = format!("{:011}", 10_000_000_000 + seed * 7_919);
    let check = shikaku::domain::my_number::check_digit(&first).unwrap();
    format!("{first}{check}")
}

#[test]
fn no_full_my_number_reaches_any_output() {
    let dir = tempdir();
    let mut text = String::from(
        "記号,番号,枝番,氏名,生年月日,被保険者区分,個人番号,個人番号登録日,性別,備考\n",
    );
    for i in 0..40u64 {
        // Every row carries a valid number; some also in a free-text column; problems on the
        // rows make every renderer show them: MN006 (shared), IN009, a duplicate key.
        let mn = if i == 7 { my_number(3) } else { my_number(i) };
        let sex = if i % 5 == 0 { "3" } else { "1" };
        let number = if i == 11 { 10 } else { i };
        text.push_str(&format!(
            "1001,{number},00,山田{i},1980-01-01,一般,{mn},2020-01-01,{sex},連絡用 {mn}\n"
        ));
    }
    let f = write(dir.path(), "fund.csv", &text);
    let out = dir.path().join("out");
    let f = f.display().to_string();
    let out_s = out.display().to_string();
    for format in ["human", "json"] {
        let run = shikaku(&[
            "check",
            "--kind",
            "fund",
            &f,
            "--as-of",
            "2026-11-01",
            "--format",
            format,
            "--out",
            &out_s,
            "--max-per-code",
            "100",
        ]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stdout.contains("MN006"),
            "the rows were rendered: {}",
            &run.stdout[..run.stdout.len().min(400)]
        );
        assert_no_full_my_number(&run, Some(&out));
    }
    let inspect = shikaku(&["inspect", &f, "--kind", "fund", "--rows", "40"]);
    assert_eq!(inspect.code, 0);
    assert_no_full_my_number(&inspect, None);
    // The scanner itself sees a full number when one is there.
    assert_eq!(full_my_numbers(my_number(1).as_bytes()).len(), 1);
}

#[test]
fn rules_lists_every_code_and_explain_prints_its_page() {
    let run = shikaku(&["rules"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout.lines().count(), 47);
    assert!(run.stdout.contains("MN001  error"));
    let page = shikaku(&["explain", "mn001"]);
    assert_eq!(page.code, 0);
    for section in [
        "## What it does",
        "## Why it matters",
        "## Example",
        "## How to fix",
    ] {
        assert!(page.stdout.contains(section), "{section}");
    }
    let none = shikaku(&["explain", "XX001"]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("XX001"));
}

#[test]
fn id002_finds_households_without_an_insured_row_counting_rejected_ones() {
    let dir = tempdir();
    let f = fund(
        dir.path(),
        concat!(
            // A whole household: nothing.
            "1001,1,00,山田　太郎,1980-01-01,一般,1,1000005\n",
            "1001,1,01,山田　花子,2015-01-01,一般,2,1000005\n",
            // A dependent alone: ID002.
            "1001,2,01,佐藤　一郎,2016-01-01,一般,1,1000005\n",
            // The insured row is there twice, so both copies are rejected (IN006): the
            // household still has its insured person, reported for its own problem.
            "1001,3,00,鈴木　次郎,1970-01-01,一般,1,1000005\n",
            "1001,3,00,鈴木　次郎,1970-01-01,一般,1,1000005\n",
            "1001,3,01,鈴木　三郎,2014-01-01,一般,1,1000005\n",
        ),
    );
    let run = shikaku(&check_args(&f, &[]));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        code_keys(&run.stdout),
        pairs(&[("ID002", Some("1001-2-01")), ("IN006", Some("1001-3-00")),])
    );
}
