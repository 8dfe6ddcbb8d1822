//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards (SPEC §6). The types are
//! serde-sarif's, generated from the OASIS schema, so the log cannot drift from the standard.
//!
//! One run with every rule (code, name, summary, help, default level) and one result per
//! finding: the file as an artifact URI, the row as `startLine` (the sheet's own row number,
//! or the CSV record number, as in the JSON), and the sheet, column, cell and member key as
//! properties; a cross-source finding's other cell is a related location.

use super::mask::mask_digit_runs;
use super::place::{Place, place};
use super::{FailOn, Outcome};
use crate::checks::registry::REGISTRY;
use crate::finding::{Anchor, Finding, Severity};
use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    SCHEMA_URL, Sarif, Tool, ToolComponent,
};
use std::collections::BTreeMap;

pub fn render(outcome: &Outcome, _fail_on: FailOn) -> String {
    let rules: Vec<ReportingDescriptor> = REGISTRY.iter().map(|e| rule(e.rule)).collect();
    let driver = ToolComponent::builder()
        .name("shikaku")
        .version(env!("CARGO_PKG_VERSION"))
        .language(crate::i18n::lang().name())
        .rules(rules)
        .build();
    let results: Vec<SarifResult> = outcome
        .findings
        .iter()
        .map(|f| result(f, outcome))
        .collect();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA_URL)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut text = serde_json::to_string_pretty(&log)
        .unwrap_or_else(|e| format!("{{\"error\":\"SARIF serialization failed: {e}\"}}"));
    text.push('\n');
    text
}

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Fatal | Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn text(s: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s).build()
}

fn rule(r: &crate::finding::Rule) -> ReportingDescriptor {
    let level = serde_json::to_value(level(r.severity)).unwrap_or(Value::Null);
    ReportingDescriptor::builder()
        .id(r.code)
        .name(r.name)
        .short_description(text(r.summary.get()))
        .full_description(text(r.explain.get()))
        .help(text(r.help.get()))
        .default_configuration(ReportingConfiguration::builder().level(level).build())
        .build()
}

fn result(f: &Finding, outcome: &Outcome) -> SarifResult {
    let related: Vec<Location> = f
        .related
        .iter()
        .map(|r| location(&r.at, outcome, Some(&r.label)))
        .collect();
    let mut result = SarifResult::builder()
        .rule_id(f.rule.code)
        .level(level(f.severity))
        .message(Message::builder().text(mask_digit_runs(&f.message)).build())
        .locations(vec![location(&f.at, outcome, None)])
        .build();
    if let Some(key) = &f.key {
        result.properties = Some(bag([("key", json!(key))]));
    }
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    result
}

fn location(at: &Anchor, outcome: &Outcome, label: Option<&str>) -> Location {
    let p = place(at, &outcome.files);
    let artifact = ArtifactLocation::builder().uri(uri(&p.path)).build();
    let physical = match p.row {
        Some(row) => PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(Region::builder().start_line(i64::from(row)).build())
            .build(),
        None => PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    let mut location = Location::builder()
        .physical_location(physical)
        .properties(bag(cell_properties(&p)))
        .build();
    if let Some(label) = label {
        location.message = Some(Message::builder().text(mask_digit_runs(label)).build());
    }
    location
}

fn cell_properties(p: &Place) -> Vec<(&'static str, Value)> {
    let mut props = Vec::new();
    if let Some(sheet) = &p.sheet {
        props.push(("sheet", json!(sheet)));
    }
    if let Some(column) = p.column {
        props.push(("column", json!(column)));
    }
    if let Some(cell) = &p.cell {
        props.push(("cell", json!(cell)));
    }
    props
}

fn bag(props: impl IntoIterator<Item = (&'static str, Value)>) -> PropertyBag {
    let additional: BTreeMap<String, Value> =
        props.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    PropertyBag::builder()
        .additional_properties(additional)
        .build()
}

/// A path as a relative URI reference: `/` kept, every byte outside RFC 3986's unreserved
/// set percent-encoded (file names are Japanese).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("sample-data/fund.csv"), "sample-data/fund.csv");
        assert_eq!(
            uri("事業所/a b.xlsx"),
            "%E4%BA%8B%E6%A5%AD%E6%89%80/a%20b.xlsx"
        );
        assert_eq!(uri(r"dir\file.csv"), "dir/file.csv");
    }
}
