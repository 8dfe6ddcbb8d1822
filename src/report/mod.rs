//! Findings → what people and machines read: the human report (miette), JSON lines, the
//! summary, and baselines. Masking lives here too.

pub mod baseline;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod mask;
pub mod place;
pub mod printable;
pub mod recipient;
pub mod run;
pub mod sarif;
pub mod snippet;
pub mod summary;
pub mod workbooks;

use crate::checks::Skipped;
use crate::config::{Config, SeverityOverride};
use crate::field::SourceKind;
use crate::finding::{Finding, Rule, Severity};
use crate::ingest::FatalInput;
use crate::prepare::{Col, Input};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    None,
}

/// One file given to the run: read (with its frame) or fatal.
pub struct File {
    pub path: PathBuf,
    pub kind: SourceKind,
    pub input: Option<Input>,
    pub fatal: Option<FatalInput>,
}

impl File {
    pub fn display_path(&self) -> String {
        self.path.display().to_string()
    }
}

/// The input's member and household keys, for [`mask::mask_message`]: a message may name a
/// member by a key of 12 digits or more. Built on first use (most runs never need it).
pub struct Keys<'a> {
    files: &'a [File],
    set: std::cell::OnceCell<std::collections::HashSet<String>>,
}

impl<'a> Keys<'a> {
    pub fn new(files: &'a [File]) -> Self {
        Keys {
            files,
            set: std::cell::OnceCell::new(),
        }
    }

    pub fn contains(&self, text: &str) -> bool {
        self.set
            .get_or_init(|| {
                let mut set = std::collections::HashSet::new();
                for input in self.files.iter().filter_map(|f| f.input.as_ref()) {
                    for name in [Col::Key, Col::Household] {
                        if let Ok(c) = input.column(name)
                            && let Ok(ca) = c.str()
                        {
                            set.extend(ca.iter().flatten().map(str::to_string));
                        }
                    }
                }
                set
            })
            .contains(text)
    }

    /// A message masked, the input's own keys named.
    pub fn mask<'t>(&self, message: &'t str) -> std::borrow::Cow<'t, str> {
        mask::mask_message(message, Some(&|k: &str| self.contains(k)))
    }
}

/// Rows read / checked / rejected of one file (SPEC §8: read = checked + rejected).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowCounts {
    pub read: usize,
    pub checked: usize,
    pub rejected: usize,
}

pub fn row_counts(file: &File) -> RowCounts {
    let Some(input) = &file.input else {
        return RowCounts::default();
    };
    let read = input.df.height();
    let rejected = input
        .df
        .column(&Col::Rejected.name())
        .ok()
        .and_then(|c| c.bool().ok().map(|b| b.sum().unwrap_or(0) as usize))
        .unwrap_or(0);
    RowCounts {
        read,
        checked: read - rejected,
        rejected,
    }
}

/// Counts under the code of the finding that says why (a withheld decision, a blocked letter).
pub type ByCode = BTreeMap<&'static str, usize>;

/// What `reconcile` decided, and what it withheld because a value it needed could not be read
/// or its route could not be decided (SPEC §4.0).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decided {
    pub certificates: usize,
    pub returns: usize,
    pub withheld: ByCode,
}

impl Decided {
    pub fn withhold(&mut self, why: &'static Rule) {
        *self.withheld.entry(why.code).or_default() += 1;
    }

    pub fn withheld_total(&self) -> usize {
        self.withheld.values().sum()
    }
}

/// `mailing`'s letters: planned, blocked (by code), and envelopes per route.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Letters {
    pub planned: usize,
    pub blocked: ByCode,
    /// Per route id (`home`, `office`, `employer`): envelopes and the letters in them.
    pub envelopes: BTreeMap<&'static str, (usize, usize)>,
    /// 特定記録郵便 envelopes.
    pub tracked: usize,
    /// The base dates D used: 一般 households, 任意継続/特例退職 households.
    pub base_dates: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
}

impl Letters {
    pub fn block(&mut self, why: &'static Rule) {
        *self.blocked.entry(why.code).or_default() += 1;
    }

    pub fn blocked_total(&self) -> usize {
        self.blocked.values().sum()
    }
}

/// Everything a command found, ready to render.
pub struct Outcome {
    pub files: Vec<File>,
    pub findings: Vec<Finding>,
    pub suppressed: usize,
    pub skipped: Vec<Skipped>,
    /// Lines for the summary beyond findings (letters planned, lists written …).
    pub notes: Vec<String>,
    /// Problems that make the exit code 2 without being findings (a list that could not be written).
    pub errors: Vec<String>,
    /// `reconcile`'s decisions.
    pub decided: Option<Decided>,
    /// `mailing`'s letters.
    pub letters: Option<Letters>,
}

impl Outcome {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn exit_code(&self, fail_on: FailOn) -> i32 {
        if self.files.iter().any(|f| f.fatal.is_some())
            || !self.errors.is_empty()
            || self.count(Severity::Fatal) > 0
        {
            return 2;
        }
        let threshold = match fail_on {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::None => return 0,
        };
        if self.findings.iter().any(|f| f.severity >= threshold) {
            1
        } else {
            0
        }
    }
}

/// Apply `checks.toml` severities (dropping "off"), fill each finding's key from its anchor
/// row, and sort by (file, row, column, code).
pub fn finalize(mut findings: Vec<Finding>, files: &[File], config: &Config) -> Vec<Finding> {
    let _stage = crate::timing::stage(|| "finalize findings".into());
    findings.retain_mut(|f| match config.checks.severity.get(f.rule.code) {
        Some(SeverityOverride::Off) => false,
        Some(SeverityOverride::Set(s)) => {
            f.severity = *s;
            true
        }
        None => true,
    });
    for f in findings.iter_mut() {
        if f.key.is_none()
            && let (Some(row), Some(input)) = (
                f.at.row,
                files.get(f.at.source).and_then(|x| x.input.as_ref()),
            )
        {
            f.key = input.key(row);
        }
    }
    findings.sort_by(|a, b| {
        let pa = &files[a.at.source].path;
        let pb = &files[b.at.source].path;
        pa.cmp(pb)
            .then(a.at.row.cmp(&b.at.row))
            .then(
                a.at.field
                    .map(|f| f.label())
                    .cmp(&b.at.field.map(|f| f.label())),
            )
            .then(a.rule.code.cmp(b.rule.code))
            .then(a.message.cmp(&b.message))
    });
    findings.dedup();
    findings
}

/// The one-line description of a fatal input, for stderr and the reports. A reason may quote
/// the file (calamine's errors do, and sheet names are the file's), so it is masked and made
/// printable like any other text from a file.
pub fn describe_fatal(f: &FatalInput) -> String {
    printable::printable(&mask::mask_digit_runs(&f.to_string())).into_owned()
}
