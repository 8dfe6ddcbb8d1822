//! One fixture per rule (ruff's model): `tests/fixtures/rules/<CODE>/` holds the smallest
//! files that make the rule fire, and says where it must fire. Adding a rule is its family
//! file, its registry row and its fixture; the test below fails for a rule without one.
//!
//! A fixture directory holds CSV files named by their kind (`fund.csv`, `employer.csv`,
//! `national-list.csv`, `national-registry.csv`; `fund.xlsx` and `employer.xlsx` for what only
//! a workbook can hold, IN004's and IN005's cells), optionally `rules/` (else the repository's
//! `rules/`) and `args` (the command line, one argument per line, file names relative to the
//! fixture; else `check --kind <kind> <file>` for one file and `reconcile` for several). Each
//! file may have a column `期待` (no field maps it, so shikaku ignores it) listing, separated by
//! spaces, the codes expected on that record (in a workbook, the row of the first sheet's
//! header cell `期待`); `expect.txt` lists findings on no record (`<file> <code>`, e.g. IN007).
//! The CSV files are split on commas and line ends, not parsed: a fixture keeps quoted commas
//! and line breaks out of the records before `期待`, or puts `期待` first (IN002).
//! `make.py` writes the fixtures a text editor cannot be trusted with (CP932, workbooks). The test runs the command at `--as-of 2026-11-01` in JSON
//! and compares, for the fixture's own code only, the records it fired on with the ones
//! marked: every missing and every extra one is reported.

use crate::common::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-01";
const KINDS: [(&str, &str); 6] = [
    ("fund.csv", "fund"),
    ("fund.xlsx", "fund"),
    ("employer.csv", "employer"),
    ("employer.xlsx", "employer"),
    ("national-list.csv", "national-list"),
    ("national-registry.csv", "national-registry"),
];

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/rules")
}

/// (file, record number or None for a file-level finding) a fixture marks for `code`.
fn marked(dir: &Path, code: &str) -> BTreeSet<(String, Option<u64>)> {
    let mut out = BTreeSet::new();
    for (file, _) in KINDS {
        let path = dir.join(file);
        if !path.exists() {
            continue;
        }
        let rows = if file.ends_with(".xlsx") {
            workbook_expectations(&path)
        } else {
            csv_expectations(&path)
        };
        for (row, cell) in rows {
            if cell.split_whitespace().any(|c| c == code) {
                out.insert((file.to_string(), Some(row)));
            }
        }
    }
    if let Ok(text) = std::fs::read_to_string(dir.join("expect.txt")) {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let mut parts = line.split_whitespace();
            if let (Some(file), Some(c)) = (parts.next(), parts.next())
                && c == code
            {
                out.insert((file.to_string(), None));
            }
        }
    }
    out
}

/// (record number, `期待` cell) of every record of a CSV fixture (UTF-8, else CP932).
fn csv_expectations(path: &Path) -> Vec<(u64, String)> {
    let bytes = std::fs::read(path).expect("a fixture file");
    let text = String::from_utf8(bytes.clone())
        .unwrap_or_else(|_| encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned());
    let mut lines = text.lines();
    let Some(at) = lines
        .next()
        .and_then(|header| header.split(',').position(|h| h.trim() == "期待"))
    else {
        return Vec::new();
    };
    lines
        .enumerate()
        .filter_map(|(i, line)| {
            let cell = line.split(',').nth(at)?;
            Some((i as u64 + 2, cell.to_string()))
        })
        .collect()
}

/// (sheet row number, `期待` cell) of every row under the first sheet's `期待` header cell.
fn workbook_expectations(path: &Path) -> Vec<(u64, String)> {
    use calamine::{Reader, open_workbook_auto};
    let mut book = open_workbook_auto(path).expect("a fixture workbook");
    let sheet = book.sheet_names().first().cloned().expect("a sheet");
    let range = book.worksheet_range(&sheet).expect("the first sheet");
    let top = range.start().map_or(0, |(row, _)| row);
    let Some((header, at)) = range.rows().enumerate().find_map(|(r, cells)| {
        let c = cells.iter().position(|c| c.to_string().trim() == "期待")?;
        Some((r, c))
    }) else {
        return Vec::new();
    };
    range
        .rows()
        .enumerate()
        .skip(header + 1)
        .filter_map(|(r, cells)| {
            let cell = cells.get(at)?.to_string();
            Some((u64::from(top) + r as u64 + 1, cell))
        })
        .collect()
}

/// The command a fixture runs (file names relative to the fixture directory).
fn command(dir: &Path) -> Vec<String> {
    if let Ok(text) = std::fs::read_to_string(dir.join("args")) {
        return text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
    }
    let present: Vec<(&str, &str)> = KINDS
        .into_iter()
        .filter(|(f, _)| dir.join(f).exists())
        .collect();
    if let [(file, kind)] = present[..] {
        return ["check", "--kind", kind, file].map(String::from).to_vec();
    }
    let mut args: Vec<String> = vec!["reconcile".into()];
    for (file, kind) in present {
        let option = match kind {
            "fund" => "--fund",
            "employer" => "--employer",
            "national-list" => "--national-list",
            _ => "--national-registry",
        };
        args.extend([option.to_string(), file.to_string()]);
    }
    args
}

fn fired(dir: &Path, code: &str) -> Result<BTreeSet<(String, Option<u64>)>, String> {
    let mut args = command(dir);
    // reconcile needs a national list: an empty one when the fixture has none.
    let empty = tempdir();
    if args[0] == "reconcile" && !args.iter().any(|a| a == "--national-list") {
        let list = empty.path().join("national-list.csv");
        std::fs::write(&list, "保険者番号,記号,番号,枝番,生年月日\n").expect("a temp list");
        args.extend(["--national-list".into(), list.display().to_string()]);
    }
    let rules = if dir.join("rules").is_dir() {
        dir.join("rules")
    } else {
        root().join("rules")
    };
    args.extend(
        [
            "--rules",
            &rules.display().to_string(),
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ]
        .map(String::from),
    );
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = shikaku_in(dir, &refs);
    if run.code == 101 || run.stderr.contains("panicked") {
        return Err(format!("panicked: {}", run.stderr));
    }
    assert_no_full_my_number(&run, None);
    Ok(findings(&run.stdout)
        .iter()
        .filter(|f| f["code"] == code)
        .map(|f| {
            let file = f["source"]["path"].as_str().unwrap_or("").to_string();
            let file = Path::new(&file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or(file);
            (file, f["source"]["row"].as_u64())
        })
        .collect())
}

#[test]
fn every_rule_fires_exactly_where_its_fixture_says() {
    let mut failures = Vec::new();
    let mut missing = Vec::new();
    for rule in shikaku::checks::registry::rules() {
        let dir = fixtures().join(rule.code);
        if !dir.is_dir() {
            missing.push(rule.code);
            continue;
        }
        let want = marked(&dir, rule.code);
        if want.is_empty() {
            failures.push(format!("{}: the fixture marks no record", rule.code));
            continue;
        }
        match fired(&dir, rule.code) {
            Err(e) => failures.push(format!("{}: {e}", rule.code)),
            Ok(got) if got != want => failures.push(format!(
                "{}: missing {:?}, extra {:?}",
                rule.code,
                want.difference(&got).collect::<Vec<_>>(),
                got.difference(&want).collect::<Vec<_>>()
            )),
            Ok(_) => {}
        }
    }
    if !missing.is_empty() {
        failures.push(format!(
            "rules without a fixture in tests/fixtures/rules/: {missing:?}"
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
