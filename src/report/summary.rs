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
    for note in &outcome.notes {
        out.push_str(&format!("  {note}\n"));
    }
    for e in &outcome.errors {
        out.push_str(&format!("  ✗ {e}\n"));
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
