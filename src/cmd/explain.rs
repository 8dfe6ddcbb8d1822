//! `shikaku explain CODE` and `shikaku rules`.

use crate::checks::registry::{self, Runs, find};
use crate::error::{Error, Result};

pub fn explain(code: &str) -> Result<i32> {
    let rule = find(code)
        .ok_or_else(|| Error::Usage(format!("no rule {code}: `shikaku rules` lists them")))?;
    println!("{}", page(rule));
    Ok(0)
}

pub fn page(rule: &crate::finding::Rule) -> String {
    let scope = match registry::entry(rule.code).map(|e| &e.runs) {
        Some(Runs::Reader) => "raised while reading a file (check, reconcile, mailing)",
        Some(Runs::Single(_)) | None => "single-source (check, reconcile, mailing)",
        Some(Runs::Cross(_)) => "cross-source (reconcile; some in mailing with --employer)",
        Some(Runs::Decision) => "raised by the reconcile decisions",
    };
    format!(
        "{} {} ({})\n{}\n\nDefault severity: {} — {scope}\n\n{}\n\nHelp: {}\n",
        rule.code, rule.name, rule.severity, rule.summary, rule.severity, rule.explain, rule.help
    )
}

pub fn list() -> Result<i32> {
    print!("{}", table());
    Ok(0)
}

pub fn table() -> String {
    let mut out = String::new();
    for r in registry::rules() {
        out.push_str(&format!(
            "{}  {:<7}  {}\n",
            r.code,
            r.severity.name(),
            r.summary
        ));
    }
    out
}
