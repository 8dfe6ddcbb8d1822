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

/// Every run of exactly 12 digits that passes the My Number check digit. Outputs may show
/// at most the last 4 digits of a My Number, so this must find nothing in anything written.
pub fn full_my_numbers(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let folded: String = unicode_fold(&text);
    let chars: Vec<char> = folded.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 12 {
                let s: String = chars[start..i].iter().collect();
                if shikaku::domain::my_number::classify(&s)
                    == shikaku::domain::my_number::Kind::Valid
                {
                    out.push(format!("…{}", &s[8..]));
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

fn unicode_fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            _ => c,
        })
        .collect()
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
