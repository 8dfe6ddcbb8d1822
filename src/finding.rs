//! Rules and the findings they raise.
//!
//! A [`Rule`] is a code's documentation, defined beside the code that raises it (in
//! `checks/`). A [`Finding`] is one occurrence, anchored on a source cell. Findings never hold
//! a full My Number: messages are built from `domain::my_number::Last4` only.

use crate::field::Field;
use crate::i18n::Tr;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
    Fatal,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Fatal => "fatal",
        }
    }
}

impl Severity {
    /// The name people read: エラー, 警告, 情報, 致命的 in Japanese; the machine name in English.
    pub fn label(self) -> &'static str {
        let ja = match self {
            Severity::Info => "情報",
            Severity::Warning => "警告",
            Severity::Error => "エラー",
            Severity::Fatal => "致命的",
        };
        crate::i18n::pick(ja, self.name())
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A rule's identity and documentation (ruff's model: one rule, one place, one code). Where it
/// runs and what it needs is its row in `checks::registry`. Every text is in both languages.
#[derive(Debug)]
pub struct Rule {
    /// Stable code, e.g. `MN001`.
    pub code: &'static str,
    /// kebab-case name.
    pub name: &'static str,
    pub severity: Severity,
    /// The one-line summary of SPEC §5 (`shikaku rules`).
    pub summary: Tr,
    /// What to do about one finding (shown under it).
    pub help: Tr,
    /// `shikaku explain CODE`: the four [`EXPLAIN_SECTIONS`], in each language.
    pub explain: Tr,
}

/// The headings of every explain page, in this order, in both languages. A page may add a
/// section of its own between them (CE003 names seed 000's exceptions).
pub const EXPLAIN_SECTIONS: [Tr; 4] = [
    Tr::new("## 確認する内容", "## What it does"),
    Tr::new("## 確認する理由", "## Why it matters"),
    Tr::new("## 例", "## Example"),
    Tr::new("## 対処方法", "## How to fix"),
];

/// A rule is its code: two findings of one rule compare equal on it.
impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.code == other.code
    }
}

impl Eq for Rule {}

/// A cell (or row, or file) in a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Anchor {
    /// Index of the input in the run.
    pub source: usize,
    /// Data-row index in the source; None for a file-level finding.
    pub row: Option<u32>,
    pub field: Option<Field>,
}

impl Anchor {
    pub fn cell(source: usize, row: u32, field: Field) -> Anchor {
        Anchor {
            source,
            row: Some(row),
            field: Some(field),
        }
    }

    pub fn row(source: usize, row: u32) -> Anchor {
        Anchor {
            source,
            row: Some(row),
            field: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub at: Anchor,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: &'static Rule,
    /// The rule's severity after `checks.toml`.
    pub severity: Severity,
    /// The member key (`1001-123-00`) of the anchor row; None where no key can be read.
    pub key: Option<String>,
    pub message: String,
    pub at: Anchor,
    pub related: Vec<Related>,
}

impl Finding {
    /// A finding at the rule's default severity; the run applies `checks.toml` and fills the key.
    pub fn new(rule: &'static Rule, at: Anchor, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.severity,
            key: None,
            message: message.into(),
            at,
            related: Vec::new(),
        }
    }

    pub fn related(mut self, at: Anchor, label: impl Into<String>) -> Finding {
        self.related.push(Related {
            at,
            label: label.into(),
        });
        self
    }
}
