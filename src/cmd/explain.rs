//! `shikaku explain CODE` and `shikaku rules`.

use crate::checks::registry::{RULES, find};
use crate::error::{Error, Result};
use crate::finding::Scope;

pub fn explain(code: &str) -> Result<i32> {
    let rule = find(code)
        .ok_or_else(|| Error::Usage(format!("no rule {code}: `shikaku rules` lists them")))?;
    println!("{}", page(rule));
    Ok(0)
}

pub fn page(rule: &crate::finding::Rule) -> String {
    let scope = match rule.scope {
        Scope::Single => "single-source (check, reconcile, mailing)",
        Scope::Cross => "cross-source (reconcile; some in mailing with --employer)",
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
    for r in RULES {
        out.push_str(&format!(
            "{}  {:<7}  {}\n",
            r.code,
            r.severity.name(),
            r.summary
        ));
    }
    out
}
