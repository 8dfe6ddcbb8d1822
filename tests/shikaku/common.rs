//! Helpers shared by the integration tests.

#![allow(dead_code)]

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (where `sample-data/` and `rules/` are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

pub fn sample(name: &str) -> String {
    root().join("sample-data").join(name).display().to_string()
}

/// What a run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub stdout_bytes: Vec<u8>,
    pub stderr_bytes: Vec<u8>,
}

/// Run `shikaku` with `args` from the repository root, no colour, fixed width, in English
/// unless `args` choose a language: most tests assert on the English texts (the behaviour is
/// the same in both languages). Tests of the default language use [`shikaku_default`].
pub fn shikaku(args: &[&str]) -> Run {
    shikaku_in(&root(), args)
}

pub fn shikaku_in(dir: &Path, args: &[&str]) -> Run {
    if args.iter().any(|a| a.starts_with("--lang")) {
        return run_in(dir, args);
    }
    let mut with_lang = args.to_vec();
    with_lang.extend(["--lang", "en"]);
    run_in(dir, &with_lang)
}

/// Run `shikaku` exactly as given: no `--lang`, no SHIKAKU_LANG, so in its default language.
pub fn shikaku_default(args: &[&str]) -> Run {
    run_in(&root(), args)
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_with(dir, args, &[])
}

/// Run `shikaku` exactly as given with extra environment variables (`COLUMNS`, `SHIKAKU_LANG`).
pub fn shikaku_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    run_with(&root(), args, env)
}

fn run_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    // SHIKAKU_TEST_BIN runs the tests against another build (an older release, to see a
    // regression test fail where the bug still is).
    let bin = std::env::var_os("SHIKAKU_TEST_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_shikaku").into());
    let out = Command::new(bin)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("SHIKAKU_LANG")
        .envs(env.iter().copied())
        .output()
        .expect("the shikaku binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        stdout_bytes: out.stdout,
        stderr_bytes: out.stderr,
    }
}

/// Parse JSON lines.
pub fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

pub fn findings(text: &str) -> Vec<Value> {
    json_lines(text)
        .into_iter()
        .filter(|v| v["type"] == "finding")
        .collect()
}

pub fn summary(text: &str) -> Value {
    json_lines(text)
        .into_iter()
        .find(|v| v["type"] == "summary")
        .expect("a summary line")
}

/// The (code, key) pairs of a JSON report.
pub fn code_keys(text: &str) -> BTreeSet<(String, Option<String>)> {
    findings(text)
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["key"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// (code, key) pairs from literals: `("MN001", Some("1001-2-00"))`.
pub fn pairs(list: &[(&str, Option<&str>)]) -> BTreeSet<(String, Option<String>)> {
    list.iter()
        .map(|(c, k)| (c.to_string(), k.map(str::to_string)))
        .collect()
}

/// Decode a list written by shikaku (CP932 by default, or UTF-8 with `--encoding utf8`) and
/// split it into rows. (Japanese CP932 text is never valid UTF-8.)
pub fn read_list(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t.trim_start_matches('\u{FEFF}')),
        Err(_) => {
            let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
            assert!(!bad, "{} is not valid CP932", path.display());
            text
        }
    };
    let mut rows = Vec::new();
    let mut records = shikaku::ingest::csv::Records::new(&text);
    let mut spans = Vec::new();
    while records.next_into(&mut spans).is_some() {
        rows.push(
            spans
                .iter()
                .map(|s| shikaku::ingest::csv::field_value(&text, s).into_owned())
                .collect(),
        );
    }
    rows
}

/// Every written number of exactly 12 digits that passes the My Number check digit, however
/// it is written (`271854365090`, `2718 5436 5090`, `２７１８－５４３６－５０９０`,
/// `271,854,365,090`). Outputs may show at most the last 4 digits of a My Number, so this must
/// find nothing in anything written.
pub fn full_my_numbers(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut streams = digit_streams(&text, false);
    streams.extend(digit_streams(&text, true));
    streams.sort();
    streams.dedup();
    streams
        .into_iter()
        .filter(|s| {
            s.len() == 12
                && shikaku::domain::my_number::classify(s)
                    == shikaku::domain::my_number::Kind::Valid
        })
        .map(|s| format!("…{}", &s[8..]))
        .collect()
}

/// The digits of `text` as one stream per written number: digits in any script (folded to
/// ASCII), with the characters people put between digit groups (spaces, dashes, dots; up to
/// 3 in a row) dropped. `cells` also drops commas, slashes and brackets (`271,854,365,090` in
/// one cell), which in a CSV line would join the fields: callers scan both ways. A number is
/// "written" in `text` when its digits appear consecutively in one of these streams.
pub fn digit_streams(text: &str, cells: bool) -> Vec<String> {
    const BETWEEN: &str = " \u{3000}\u{A0}-‐‑‒–—―−ーｰ－﹣.．";
    const IN_CELLS: &str = ",，/:・_()（）\t";
    let mut streams = Vec::new();
    let mut current = String::new();
    let mut gap = 0;
    for c in text.chars() {
        let digit = c
            .to_digit(10)
            .or_else(|| ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32));
        match digit {
            Some(d) => {
                current.push(char::from(b'0' + d as u8));
                gap = 0;
                continue;
            }
            None if gap < 3
                && !current.is_empty()
                && (BETWEEN.contains(c) || (cells && IN_CELLS.contains(c))) =>
            {
                gap += 1;
                continue;
            }
            None => {}
        }
        if !current.is_empty() {
            streams.push(std::mem::take(&mut current));
        }
        gap = 0;
    }
    if !current.is_empty() {
        streams.push(current);
    }
    streams
}

/// Scan every file under `dir` (and the run's stdout/stderr) for full My Numbers.
pub fn assert_no_full_my_number(run: &Run, dir: Option<&Path>) {
    let mut leaks = Vec::new();
    for (name, bytes) in [("stdout", &run.stdout_bytes), ("stderr", &run.stderr_bytes)] {
        for m in full_my_numbers(bytes) {
            leaks.push(format!("{name}: {m}"));
        }
    }
    if let Some(dir) = dir {
        for entry in walk(dir) {
            let bytes = std::fs::read(&entry).unwrap_or_default();
            // Lists are CP932: decode so full-width digits are seen as digits too.
            let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
            for m in full_my_numbers(&bytes)
                .into_iter()
                .chain(full_my_numbers(text.as_bytes()))
            {
                leaks.push(format!("{}: {m}", entry.display()));
            }
        }
    }
    assert!(leaks.is_empty(), "full My Numbers written: {leaks:?}");
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temp dir")
}
