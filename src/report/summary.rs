//! The summary under the human report: files and rows, findings per code and per file,
//! rules skipped for want of fields, and the command's own notes.

use super::{FailOn, Outcome, row_counts};
use crate::finding::Severity;
use std::collections::BTreeMap;

pub fn render(outcome: &Outcome, fail_on: FailOn) -> String {
    let mut out = String::from("Summary\n");
    out.push_str("  files:\n");
    for file in &outcome.files {
        let c = row_counts(file);
        let how = match &file.input {
            Some(input) => {
                let enc = input
                    .source
                    .encoding
                    .map(|e| format!(", {e}"))
                    .unwrap_or_default();
                format!("{}{enc}", input.source.format.name())
            }
            None => "not read".into(),
        };
        out.push_str(&format!(
            "    {} ({}, {how}): read {}, checked {}, rejected {}\n",
            file.display_path(),
            file.kind,
            c.read,
            c.checked,
            c.rejected
        ));
        if let Some(fatal) = &file.fatal {
            out.push_str(&format!("      ✗ {}\n", super::describe_fatal(fatal)));
        }
    }
    // Per code, with the count per file.
    let mut per_code: BTreeMap<&str, (Severity, BTreeMap<String, usize>)> = BTreeMap::new();
    for f in &outcome.findings {
        let e = per_code
            .entry(f.rule.code)
            .or_insert((f.severity, BTreeMap::new()));
        *e.1.entry(outcome.files[f.at.source].display_path())
            .or_default() += 1;
    }
    if !per_code.is_empty() {
        out.push_str("  findings per code:\n");
        for (code, (sev, by_file)) in &per_code {
            let total: usize = by_file.values().sum();
            let parts: Vec<String> = by_file.iter().map(|(p, n)| format!("{p} {n}")).collect();
            let summary = crate::checks::registry::find(code)
                .map(|r| r.summary.get())
                .unwrap_or("");
            out.push_str(&format!(
                "    {code} {:<7} {total:>6}  {summary}\n",
                sev.name()
            ));
            out.push_str(&format!("          {}\n", parts.join(", ")));
        }
    }
    if !outcome.skipped.is_empty() {
        out.push_str("  rules skipped (the file lacks the fields they need):\n");
        let mut by: BTreeMap<(String, &str), Vec<&str>> = BTreeMap::new();
        for s in &outcome.skipped {
            let fields = by
                .entry((outcome.files[s.source].display_path(), s.code))
                .or_default();
            fields.extend(s.missing.iter().map(|f| f.label()));
        }
        for ((path, code), mut fields) in by {
            fields.sort_unstable();
            fields.dedup();
            out.push_str(&format!("    {code} on {path}: no {}\n", fields.join(", ")));
        }
    }
    for note in &outcome.notes {
        out.push_str(&format!("  {note}\n"));
    }
    for e in &outcome.errors {
        out.push_str(&format!("  ✗ {}\n", super::mask::mask_digit_runs(e)));
    }
    out.push_str(&format!(
        "  {} fatal, {} error, {} warning, {} info; {} suppressed by the baseline\n",
        outcome.count(Severity::Fatal),
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning),
        outcome.count(Severity::Info),
        outcome.suppressed
    ));
    out.push_str(&format!("  exit code {}\n", outcome.exit_code(fail_on)));
    out
}
