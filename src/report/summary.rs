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
    if let Some(d) = &outcome.decided {
        out.push_str(&decided(d));
    }
    if let Some(l) = &outcome.letters {
        out.push_str(&letters(l));
    }
    for note in &outcome.notes {
        out.push_str(&format!("  {note}\n"));
    }
    for e in &outcome.errors {
        out.push_str(&format!("  ✗ {e}\n"));
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

/// One line per reason code: the count and the rule's summary.
fn by_code(out: &mut String, counts: &super::ByCode, label: &str) {
    for (code, n) in counts {
        let summary = crate::checks::registry::find(code)
            .map(|r| r.summary.get())
            .unwrap_or("");
        out.push_str(&format!("    {label}: {n} — {code} {summary}\n"));
    }
}

fn decided(d: &super::Decided) -> String {
    let (c, r, w) = (d.certificates, d.returns, d.withheld_total());
    let mut out = crate::tr!(
        "  判定: 資格確認書の交付 {c}件、返納 {r}件、判定保留 {w}件（読み取れない値がある、または送付先を決められないもの）\n",
        "  decisions: certificates {c}, returns {r}; withheld {w} (a value they need could not be read, or their route cannot be decided)\n"
    );
    by_code(&mut out, &d.withheld, &crate::tr!("保留", "withheld"));
    out
}

fn letters(l: &super::Letters) -> String {
    let (p, b) = (l.planned, l.blocked_total());
    let mut out = crate::tr!(
        "  送付予定 {p}通、送付保留 {b}通\n",
        "  letters planned: {p}; letters blocked: {b}\n"
    );
    by_code(&mut out, &l.blocked, &crate::tr!("保留", "blocked"));
    for route in crate::checks::routing::Route::ALL {
        if let Some((envelopes, letters)) = l.envelopes.get(route.id()) {
            let label = route.label();
            out.push_str(&crate::tr!(
                "  封筒 {label}: {envelopes}通（お知らせ {letters}通）\n",
                "  envelopes {label}: {envelopes} ({letters} letters)\n"
            ));
        }
    }
    let t = l.tracked;
    out.push_str(&crate::tr!(
        "  特定記録郵便の封筒: {t}通\n",
        "  特定記録郵便 envelopes: {t}\n"
    ));
    out
}
