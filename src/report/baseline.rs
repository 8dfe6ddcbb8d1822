//! Baselines (SPEC §7): JSON lines of `{"code","kind","key","column"}`. A finding is
//! suppressed when all four match (null matches null), so re-sorting an export — which moves
//! rows — does not break the baseline.

use super::File;
use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub code: String,
    pub kind: String,
    pub key: Option<String>,
    pub column: Option<String>,
}

impl Entry {
    pub fn of(f: &Finding, files: &[File]) -> Entry {
        Entry {
            code: f.rule.code.to_string(),
            kind: files[f.at.source].kind.name().to_string(),
            // As written in findings.json: a key part that could be a My Number is masked.
            key: f
                .key
                .as_deref()
                .map(|k| super::mask::mask_key(k).into_owned()),
            column: f.at.field.map(|c| c.label().to_string()),
        }
    }
}

#[derive(Debug, Default)]
pub struct Baseline {
    entries: BTreeSet<Entry>,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            crate::tr!(
                "{}：ベースラインを読み込めません：{}",
                "{}: cannot read the baseline: {}";
                path.display(),
                crate::i18n::io_reason(&e)
            )
        })?;
        let mut entries = BTreeSet::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let e: Entry = serde_json::from_str(line).map_err(|e| {
                crate::tr!(
                    "{}:{}：ベースラインの行として読めません（{{\"code\",\"kind\",\"key\",\"column\"}} の JSON が必要です）：{e}",
                    "{}:{}: not a baseline entry {{\"code\",\"kind\",\"key\",\"column\"}}: {e}";
                    path.display(),
                    i + 1
                )
            })?;
            entries.insert(e);
        }
        Ok(Baseline { entries })
    }

    /// Remove suppressed findings; returns how many.
    pub fn apply(&self, findings: &mut Vec<Finding>, files: &[File]) -> usize {
        let before = findings.len();
        findings.retain(|f| !self.entries.contains(&Entry::of(f, files)));
        before - findings.len()
    }

    /// The baseline of these findings, one JSON line per distinct entry, sorted.
    pub fn render(findings: &[Finding], files: &[File]) -> String {
        let entries: BTreeSet<Entry> = findings.iter().map(|f| Entry::of(f, files)).collect();
        let mut out = String::new();
        for e in entries {
            out.push_str(&serde_json::to_string(&e).unwrap_or_default());
            out.push('\n');
        }
        out
    }
}
