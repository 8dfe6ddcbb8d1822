//! The rules: one file per family, each rule documented where it is defined.
//!
//! | file | codes |
//! |---|---|
//! | `input.rs` | IN001–IN009 |
//! | `identity.rs` | ID001–ID006 |
//! | `my_number.rs` | MN001–MN006 |
//! | `birth_date.rs` | BD001–BD008 |
//! | `share_ratio.rs` | SR001–SR004 |
//! | `routing.rs` | AD001–AD007 |
//! | `certificate.rs` | CE001–CE007 |
//!
//! A single-source check is a [`Single`]: the rule, the source kinds it applies to, the fields
//! it needs (a source lacking one skips it, and the summary says so) and a function from the
//! typed frame to findings. Checks never touch bytes or files.

pub mod birth_date;
pub mod certificate;
pub mod cross;
pub mod identity;
pub mod input;
pub mod my_number;
pub mod registry;
pub mod routing;
pub mod share_ratio;

use crate::config::Config;
use crate::error::Result;
use crate::field::{Field, SourceKind};
use crate::finding::{Finding, Rule};
use crate::prepare::{Col, Input, c};
use polars::prelude::*;

/// What the run is for: some rules read differently per workflow (SPEC §4.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Check,
    Reconcile,
    Mailing(Document),
}

pub use crate::prepare::route::Document;

pub struct Ctx<'a> {
    pub config: &'a Config,
    pub mode: Mode,
    /// The run date (`--as-of`, default today): "in the future" means after it. In `check` and
    /// `reconcile` it is also D; in `mailing` D is the base date, which may be long past.
    pub as_of: chrono::NaiveDate,
}

pub type CheckFn = fn(&Ctx, &Input) -> Result<Vec<Finding>>;

/// Where a single-source check runs (its row in the registry).
pub struct Single {
    pub kinds: &'static [SourceKind],
    /// Fields the source must have; otherwise the check is skipped (and reported as skipped).
    pub needs: &'static [Field],
    pub run: CheckFn,
}

pub const ALL_KINDS: &[SourceKind] = &SourceKind::ALL;
pub const MEMBERSHIP: &[SourceKind] = &[SourceKind::Fund, SourceKind::Employer];
pub const FUND: &[SourceKind] = &[SourceKind::Fund];

/// A check skipped on a source for want of fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub code: &'static str,
    pub source: usize,
    pub missing: Vec<Field>,
}

/// Run every single-source check that applies to this input.
pub fn run_single(ctx: &Ctx, input: &Input) -> Result<(Vec<Finding>, Vec<Skipped>)> {
    let mut findings = input::from_ingest(input);
    let mut skipped = Vec::new();
    for (rule, check) in registry::single_checks() {
        if !check.kinds.contains(&input.kind()) {
            continue;
        }
        let missing: Vec<Field> = check
            .needs
            .iter()
            .copied()
            .filter(|f| !input.has(*f))
            .collect();
        if !missing.is_empty() {
            skipped.push(Skipped {
                code: rule.code,
                source: input.id,
                missing,
            });
            continue;
        }
        let _stage = crate::timing::stage(|| format!("check {}", rule.code));
        findings.extend((check.run)(ctx, input)?);
    }
    drop_shifted_values(&mut findings, input);
    Ok((findings, skipped))
}

/// On a ragged row (IN002) the values after a stray or missing comma sit under the wrong
/// headers: judging them would report problems that are not there. The row keeps its reading
/// findings (IN001, IN002, IN008) and nothing else; it is rejected anyway.
fn drop_shifted_values(findings: &mut Vec<Finding>, input: &Input) {
    let ragged: std::collections::HashSet<u32> = input
        .source
        .issues
        .iter()
        .filter(|i| matches!(i.kind, crate::ingest::IssueKind::Ragged { .. }))
        .filter_map(|i| i.row)
        .collect();
    if ragged.is_empty() {
        return;
    }
    findings.retain(|f| {
        f.at.source != input.id
            || !f.at.row.is_some_and(|r| ragged.contains(&r))
            || matches!(f.rule.code, "IN001" | "IN002" | "IN008")
    });
}

/// The data-row indexes where `pred` holds.
pub fn rows_where(df: &DataFrame, pred: Expr) -> Result<Vec<u32>> {
    let out = df
        .clone()
        .lazy()
        .filter(pred)
        .select([c(Col::Idx)])
        .collect()?;
    idxs(&out)
}

/// The rows where `pred` holds, with the given columns (plus the row index).
pub fn select_where(df: &DataFrame, pred: Expr, columns: &[Col]) -> Result<DataFrame> {
    let mut sel = vec![c(Col::Idx)];
    sel.extend(columns.iter().map(|column| c(*column)));
    Ok(df.clone().lazy().filter(pred).select(sel).collect()?)
}

/// A date column of a small selected frame, as dates.
pub fn dates(df: &DataFrame, name: impl AsRef<str>) -> Result<Vec<Option<chrono::NaiveDate>>> {
    let ca = df.column(name.as_ref())?.date()?.physical().clone();
    Ok(ca
        .iter()
        .map(|d| d.and_then(crate::prepare::from_days))
        .collect())
}

/// Typed access to one column of a small selected frame.
pub fn strs(df: &DataFrame, name: impl AsRef<str>) -> Result<&StringChunked> {
    Ok(df.column(name.as_ref())?.str()?)
}

pub fn idxs(df: &DataFrame) -> Result<Vec<u32>> {
    Ok(df
        .column(&Col::Idx.name())?
        .u32()?
        .into_no_null_iter()
        .collect())
}

/// Render a value for a message: quoted as read, or a note when empty.
pub fn shown(v: Option<impl AsRef<str>>) -> String {
    match v {
        Some(s) => format!("「{}」", s.as_ref()),
        None => crate::i18n::Tr::new("（空欄）", "(empty)").get().into(),
    }
}

/// The rule whose finding says why the value of `field` on `row` could not be read: the
/// code a withheld decision or a blocked letter is counted under (SPEC §4.0).
pub fn cause(input: &Input, row: u32, field: Field) -> &'static Rule {
    use crate::ingest::IssueKind;
    use crate::prepare::{MnState, St};
    let from_reader = || {
        input
            .source
            .issues
            .iter()
            .find(|i| i.row == Some(row) && i.field == Some(field))
            .and_then(|i| match i.kind {
                IssueKind::Undecodable { .. } => Some(&input::IN001),
                IssueKind::ErrorCell { .. } => Some(&input::IN005),
                IssueKind::BadSerial { .. } => Some(&birth_date::BD002),
                _ => None,
            })
            .unwrap_or(&input::IN005)
    };
    let u8_at = |column: Col| {
        input
            .column(column)
            .ok()
            .and_then(|c| c.u8().ok()?.get(row as usize))
    };
    if field == Field::MyNumber {
        return match u8_at(Col::MnKind) {
            Some(k) if k == MnState::Unreadable as u8 => from_reader(),
            _ => &my_number::MN004,
        };
    }
    match u8_at(Col::Status(field)) {
        Some(s) if s == St::Unreadable as u8 => from_reader(),
        Some(s) if s == St::Impossible as u8 => &birth_date::BD002,
        _ if field.is_date() => &birth_date::BD001,
        _ if matches!(field, Field::PostalCode | Field::ResidencePostalCode) => &routing::AD003,
        _ => &input::IN009,
    }
}
