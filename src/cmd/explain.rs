//! `shikaku explain CODE` and `shikaku rules`.

use crate::checks::registry::{self, Runs, find};
use crate::error::{Error, Result};
use crate::i18n::{Tr, pad};
use crate::tr;

pub fn explain(code: &str) -> Result<i32> {
    let rule = find(code).ok_or_else(|| {
        Error::Usage(tr!(
            "ルール {code} はありません（`shikaku rules` で一覧を表示できます）",
            "no rule {code}: `shikaku rules` lists them"
        ))
    })?;
    println!("{}", page(rule));
    Ok(0)
}

pub fn page(rule: &crate::finding::Rule) -> String {
    let scope = match registry::entry(rule.code).map(|e| &e.runs) {
        Some(Runs::Reader) => Tr::new(
            "ファイルの読み込み時に報告（check、reconcile、mailing）",
            "raised while reading a file (check, reconcile, mailing)",
        ),
        Some(Runs::Single(_)) | None => Tr::new(
            "ファイルごとの確認（check、reconcile、mailing）",
            "single-source (check, reconcile, mailing)",
        ),
        Some(Runs::Cross(_)) => Tr::new(
            "ファイル間の照合（reconcile。一部は mailing の --employer 指定時にも）",
            "cross-source (reconcile; some in mailing with --employer)",
        ),
        Some(Runs::Decision) => Tr::new(
            "reconcile の交付・返納の判定で報告",
            "raised by the reconcile decisions",
        ),
    };
    let severity = rule.severity.label();
    tr!(
        "{0} {1}（{2}）\n{3}\n\n既定の重大度：{2} — {scope}\n\n{4}\n\n対処：{5}\n",
        "{0} {1} ({2})\n{3}\n\nDefault severity: {2} — {scope}\n\n{4}\n\nHelp: {5}\n";
        rule.code,
        rule.name,
        severity,
        rule.summary,
        rule.explain,
        rule.help
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
            "{}  {}  {}\n",
            r.code,
            pad(r.severity.label(), 7),
            r.summary
        ));
    }
    out
}
