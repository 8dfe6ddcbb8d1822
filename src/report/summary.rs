//! The summary under the human report: files and rows, findings per code and per file,
//! rules skipped for want of fields, and the command's own notes.

use super::{FailOn, Outcome, row_counts};
use crate::finding::Severity;
use crate::i18n::{Tr, pad};
use crate::tr;
use std::collections::BTreeMap;

pub fn render(outcome: &Outcome, fail_on: FailOn) -> String {
    let mut out = format!("{}\n", Tr::new("集計", "Summary"));
    out.push_str(&format!("  {}\n", Tr::new("ファイル：", "files:")));
    for file in &outcome.files {
        let c = row_counts(file);
        let how = match &file.input {
            Some(input) => {
                let enc = input
                    .source
                    .encoding
                    .map(|e| format!("{}{e}", Tr::new("、", ", ")))
                    .unwrap_or_default();
                format!("{}{enc}", input.source.format.name())
            }
            None => Tr::new("読み込めず", "not read").get().into(),
        };
        out.push_str(&tr!(
            "    {}（{}、{how}）：読込 {} 行（確認 {} 行、除外 {} 行）\n",
            "    {} ({}, {how}): read {}, checked {}, rejected {}\n";
            file.display_path(),
            file.kind.label(),
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
        out.push_str(&format!(
            "  {}\n",
            Tr::new("コード別の指摘：", "findings per code:")
        ));
        for (code, (sev, by_file)) in &per_code {
            let total: usize = by_file.values().sum();
            let parts: Vec<String> = by_file
                .iter()
                .map(|(p, n)| tr!("{p} {n}件", "{p} {n}"))
                .collect();
            let summary = crate::checks::registry::find(code)
                .map(|r| r.summary.get())
                .unwrap_or("");
            out.push_str(&format!(
                "    {code} {} {total:>6}  {summary}\n",
                pad(sev.label(), 7)
            ));
            out.push_str(&format!(
                "          {}\n",
                parts.join(Tr::new("、", ", ").get())
            ));
        }
    }
    if !outcome.skipped.is_empty() {
        out.push_str(&format!(
            "  {}\n",
            Tr::new(
                "実行しなかったルール（必要な項目がファイルにないため）：",
                "rules skipped (the file lacks the fields they need):"
            )
        ));
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
            out.push_str(&tr!(
                "    {code}（{path}）：{}の列がありません\n",
                "    {code} on {path}: no {}\n";
                fields.join(Tr::new("、", ", ").get())
            ));
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
        out.push_str(&format!("  ✗ {}\n", super::mask::mask_digit_runs(e)));
    }
    out.push_str(&tr!(
        "  致命的 {} 件、エラー {} 件、警告 {} 件、情報 {} 件。ベースラインで抑止 {} 件\n",
        "  {} fatal, {} error, {} warning, {} info; {} suppressed by the baseline\n";
        outcome.count(Severity::Fatal),
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning),
        outcome.count(Severity::Info),
        outcome.suppressed
    ));
    out.push_str(&tr!(
        "  終了コード {}\n",
        "  exit code {}\n";
        outcome.exit_code(fail_on)
    ));
    out
}

/// One line per reason code: the count and the rule's summary. `line` words the count.
fn by_code(out: &mut String, counts: &super::ByCode, line: impl Fn(usize) -> String) {
    for (code, n) in counts {
        let summary = crate::checks::registry::find(code)
            .map(|r| r.summary.get())
            .unwrap_or("");
        out.push_str(&format!("    {} — {code} {summary}\n", line(*n)));
    }
}

fn decided(d: &super::Decided) -> String {
    let (c, r, w) = (d.certificates, d.returns, d.withheld_total());
    let mut out = crate::tr!(
        "  判定：資格確認書の交付 {c}件、返納 {r}件、判定の保留 {w}件（読み取れない値がある、または送付先を決められないもの）\n",
        "  decisions: certificates {c}, returns {r}; withheld {w} (a value they need could not be read, or their route cannot be decided)\n"
    );
    by_code(&mut out, &d.withheld, |n| {
        crate::tr!("保留 {n}件", "withheld: {n}")
    });
    out
}

fn letters(l: &super::Letters) -> String {
    let (p, b) = (l.planned, l.blocked_total());
    let mut out = crate::tr!(
        "  送付予定 {p}通、送付の保留 {b}通\n",
        "  letters planned: {p}; letters blocked: {b}\n"
    );
    by_code(&mut out, &l.blocked, |n| {
        crate::tr!("保留 {n}通", "blocked: {n}")
    });
    for route in crate::prepare::route::Route::ALL {
        if let Some((envelopes, letters)) = l.envelopes.get(route.id()) {
            let label = route.label();
            out.push_str(&crate::tr!(
                "  封筒（{label}）：{envelopes}通、{letters}人分\n",
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
