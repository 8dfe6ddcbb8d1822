//! `--format junit`: the findings as JUnit XML, so GitLab's and Jenkins's test views show the
//! gate (SPEC §6). quick-junit (nextest's) holds the data model and writes the XML.
//!
//! One test suite per file. In it, one test case per rule that ran on the file: it passes
//! when the rule found nothing at or above `--fail-on`, and lists what it found below that in
//! its output. A rule with findings at or above `--fail-on` has one failing test case per
//! finding instead, named by the rule and the place, since a JUnit test case holds a single
//! failure and GitLab keeps only the first of two test cases with one name. A fatal finding
//! (IN003) and an unreadable file are errors whatever `--fail-on` says: they exit 2.
//! The suite's class name is the file, which GitLab shows as the suite.

use super::place::place;
use super::{FailOn, File, Outcome};
use crate::checks::registry::{REGISTRY, Runs};
use crate::finding::{Finding, Severity};
use crate::i18n::Tr;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::collections::{BTreeMap, HashSet};

use super::mask::mask_digit_runs;

pub fn render(outcome: &Outcome, fail_on: FailOn) -> String {
    let mut report = Report::new("shikaku");
    for (index, file) in outcome.files.iter().enumerate() {
        report.add_test_suite(file_suite(outcome, index, file, fail_on));
    }
    if !outcome.errors.is_empty() {
        let mut suite = TestSuite::new("shikaku");
        for (i, e) in outcome.errors.iter().enumerate() {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(mask_digit_runs(e).into_owned());
            let mut case = TestCase::new(format!("output {}", i + 1), status);
            case.set_classname("shikaku");
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- JUnit serialization failed: {e} -->\n"))
}

/// Is a finding of this severity a failure under `--fail-on`?
fn fails(severity: Severity, fail_on: FailOn) -> bool {
    match fail_on {
        FailOn::Error => severity >= Severity::Error,
        FailOn::Warning => severity >= Severity::Warning,
        FailOn::None => false,
    }
}

fn file_suite(outcome: &Outcome, index: usize, file: &File, fail_on: FailOn) -> TestSuite {
    let path = file.display_path();
    let mut suite = TestSuite::new(path.clone());
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = ran_on(outcome, index, file)
        .into_iter()
        .map(|code| (code, Vec::new()))
        .collect();
    for f in outcome.findings.iter().filter(|f| f.at.source == index) {
        by_rule.entry(f.rule.code).or_default().push(f);
    }
    let mut names = HashSet::new();
    for (code, findings) in by_rule {
        for mut case in rule_cases(code, &findings, outcome, fail_on) {
            // GitLab drops a second test case of the same name: number any repeat.
            let base = case.name.as_str().to_owned();
            let mut n = 1;
            while !names.insert(case.name.as_str().to_owned()) {
                n += 1;
                case.name = format!("{base} #{n}").into();
            }
            case.set_classname(path.clone());
            case.extra.insert("file".into(), path.clone().into());
            suite.add_test_case(case);
        }
    }
    if let Some(fatal) = file
        .fatal
        .as_ref()
        .filter(|f| matches!(f.fatal, crate::ingest::Fatal::Unreadable { .. }))
    {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(mask_digit_runs(&super::describe_fatal(fatal)).into_owned());
        let mut case = TestCase::new(
            Tr::new("ファイルの読み込み", "reading the file").get(),
            status,
        );
        case.set_classname(path.clone());
        suite.add_test_case(case);
    }
    suite
}

/// The rules that ran on a file: those raised while reading, and the single-source rules for
/// its kind that it had the fields for. Cross-source and decision rules are named by their
/// findings (whether they ran depends on the command and the other files).
fn ran_on<'a>(outcome: &Outcome, index: usize, file: &File) -> Vec<&'a str> {
    if file.input.is_none() {
        return Vec::new();
    }
    let skipped: HashSet<&str> = outcome
        .skipped
        .iter()
        .filter(|s| s.source == index)
        .map(|s| s.code)
        .collect();
    REGISTRY
        .iter()
        .filter(|e| match &e.runs {
            Runs::Reader => true,
            Runs::Single(single) => single.kinds.contains(&file.kind),
            Runs::Cross(_) | Runs::Decision => false,
        })
        .map(|e| e.rule.code)
        .filter(|code| !skipped.contains(code))
        .collect()
}

/// The test cases of one rule on one file.
fn rule_cases(
    code: &str,
    findings: &[&Finding],
    outcome: &Outcome,
    fail_on: FailOn,
) -> Vec<TestCase> {
    let summary = crate::checks::registry::find(code).map_or("", |r| r.summary.get());
    let failing: Vec<&&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Fatal || fails(f.severity, fail_on))
        .collect();
    if failing.is_empty() {
        let mut case = TestCase::new(format!("{code} {summary}"), TestCaseStatus::success());
        if !findings.is_empty() {
            let lines: Vec<String> = findings.iter().map(|f| line(f, outcome)).collect();
            case.set_system_out(lines.join("\n"));
        }
        return vec![case];
    }
    failing
        .into_iter()
        .map(|f| {
            let kind = if f.severity == Severity::Fatal {
                NonSuccessKind::Error
            } else {
                NonSuccessKind::Failure
            };
            let mut status = TestCaseStatus::non_success(kind);
            status
                .set_message(mask_digit_runs(&f.message).into_owned())
                .set_type(f.severity.name())
                .set_description(format!(
                    "{}\n{}",
                    line(f, outcome),
                    mask_digit_runs(f.rule.help.get())
                ));
            let at = place(&f.at, &outcome.files);
            TestCase::new(format!("{code} {}", mask_digit_runs(&at.within())), status)
        })
        .collect()
}

/// A finding on one line: `[error] MN001 fund.csv 83行目 (個人番号) 1002-19-00: message`.
fn line(f: &Finding, outcome: &Outcome) -> String {
    let at = place(&f.at, &outcome.files);
    let key = f
        .key
        .as_deref()
        .map(|k| format!(" {k}"))
        .unwrap_or_default();
    mask_digit_runs(&format!(
        "[{}] {} {}{key}: {}",
        f.severity.name(),
        f.rule.code,
        at.describe(),
        f.message
    ))
    .into_owned()
}
