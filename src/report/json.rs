//! JSON lines (SPEC §6): one object per finding, then the summary.

use super::{FailOn, File, Outcome, row_counts};
use crate::finding::{Anchor, Finding, Severity};
use serde_json::{Map, Value, json};

fn location(at: &Anchor, files: &[File]) -> Value {
    let file = &files[at.source];
    let (sheet, row) = match (at.row, &file.input) {
        (Some(r), Some(input)) => (
            input
                .source
                .table_of(r)
                .and_then(|t| t.sheet.as_deref())
                .map(|s| super::mask::mask_cell(s).into_owned()),
            input.source.row_number(r),
        ),
        _ => (None, None),
    };
    json!({
        "path": file.display_path(),
        "sheet": sheet,
        "row": row,
        "column": at.field.map(|f| f.label()),
    })
}

pub fn finding(f: &Finding, files: &[File]) -> Value {
    finding_with(f, files, &super::Keys::new(files))
}

fn finding_with(f: &Finding, files: &[File], keys: &super::Keys) -> Value {
    let related: Vec<Value> = f
        .related
        .iter()
        .map(|r| {
            let mut v = location(&r.at, files);
            if let Value::Object(m) = &mut v {
                m.insert(
                    "label".into(),
                    Value::String(keys.mask(&r.label).into_owned()),
                );
            }
            v
        })
        .collect();
    json!({
        "type": "finding",
        "code": f.rule.code,
        "severity": f.severity.name(),
        "key": f.key.as_deref().map(super::mask::mask_key),
        "message": keys.mask(&f.message),
        "source": location(&f.at, files),
        "related": related,
    })
}

pub fn summary(outcome: &Outcome, fail_on: FailOn) -> Value {
    let mut rows = Map::new();
    for file in &outcome.files {
        let c = row_counts(file);
        rows.insert(
            file.display_path(),
            json!({"kind": file.kind.name(), "read": c.read, "checked": c.checked, "rejected": c.rejected}),
        );
    }
    let mut summary = json!({
        "type": "summary",
        "rows": rows,
        "counts": {
            "fatal": outcome.count(Severity::Fatal),
            "error": outcome.count(Severity::Error),
            "warning": outcome.count(Severity::Warning),
            "info": outcome.count(Severity::Info),
            "suppressed": outcome.suppressed,
        },
        "exit_code": outcome.exit_code(fail_on),
    });
    if let Value::Object(m) = &mut summary {
        if let Some(d) = &outcome.decided {
            m.insert(
                "decisions".into(),
                json!({
                    "certificates": d.certificates,
                    "returns": d.returns,
                    "withheld": d.withheld_total(),
                    "withheld_by_reason": d.withheld,
                }),
            );
        }
        if let Some(l) = &outcome.letters {
            let envelopes: Map<String, Value> = l
                .envelopes
                .iter()
                .map(|(route, (e, n))| {
                    ((*route).to_string(), json!({"envelopes": e, "letters": n}))
                })
                .collect();
            m.insert(
                "letters".into(),
                json!({
                    "planned": l.planned,
                    "blocked": l.blocked_total(),
                    "blocked_by_reason": l.blocked,
                }),
            );
            if let Some((general, individual)) = l.base_dates {
                m.insert(
                    "base_dates".into(),
                    json!({"general": general.to_string(), "individual": individual.to_string()}),
                );
            }
            m.insert("envelopes".into(), Value::Object(envelopes));
            m.insert("tokutei_kiroku_envelopes".into(), json!(l.tracked));
        }
    }
    summary
}

/// The whole stream: findings, one `error` line per problem that is not a finding (an
/// unreadable file, a list that could not be written), then the summary.
pub fn render(outcome: &Outcome, fail_on: FailOn) -> String {
    let mut out = String::new();
    let keys = super::Keys::new(&outcome.files);
    for f in &outcome.findings {
        out.push_str(&finding_with(f, &outcome.files, &keys).to_string());
        out.push('\n');
    }
    for file in &outcome.files {
        if let Some(fatal) = &file.fatal
            && matches!(fatal.fatal, crate::ingest::Fatal::Unreadable { .. })
        {
            let v = json!({"type": "error", "path": file.display_path(), "message": super::describe_fatal(fatal)});
            out.push_str(&v.to_string());
            out.push('\n');
        }
    }
    for e in &outcome.errors {
        out.push_str(
            &json!({"type": "error", "path": null, "message": super::mask::mask_digit_runs(e)})
                .to_string(),
        );
        out.push('\n');
    }
    out.push_str(&summary(outcome, fail_on).to_string());
    out.push('\n');
    out
}
