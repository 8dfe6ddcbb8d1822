//! Joining the fund with another source kind on the member key (SPEC §3, §5).
//!
//! One polars join per source kind, all files of the kind at once (every employer file is
//! stacked into one frame with its source id). Rejected rows and rows without a key take no
//! part. A cross-source finding is anchored on the fund's cell with a related label on the
//! other source's cell.

use super::{Ctx, registry};
use crate::error::Result;
use crate::field::{Field, SourceKind};
use crate::finding::{Anchor, Finding, Rule};
use crate::prepare::schema::OTHER_SOURCE;
use crate::prepare::{Col, Input, MnState, Side, c};
use polars::prelude::*;

/// The columns one side of the join carries for a field.
fn field_cols(field: Field) -> Vec<Col> {
    let mut cols = vec![Col::Value(field), Col::Status(field)];
    if field == Field::MyNumber {
        cols.push(Col::MnKind);
    }
    cols
}

/// Project an input's usable rows onto one side of the join. Every frame has every field's
/// columns (typed nulls where a file lacks it), so files of one kind stack whatever their
/// headers.
pub fn project(input: &Input, side: Side, fields: &[Field], extra: &[Col]) -> LazyFrame {
    let mut sel = vec![c(Col::Key), c(Col::Idx).alias(side.name(Col::Idx))];
    if side == Side::Other {
        sel.push(
            lit(input.id as u32)
                .cast(DataType::UInt32)
                .alias(OTHER_SOURCE),
        );
    }
    for column in fields
        .iter()
        .flat_map(|f| field_cols(*f))
        .chain(extra.iter().copied())
    {
        sel.push(c(column).alias(side.name(column)));
    }
    input
        .df
        .clone()
        .lazy()
        .filter(c(Col::Rejected).not().and(c(Col::Key).is_not_null()))
        .select(sel)
}

/// A joined row: (fund row, other source id, other row).
pub type Hit = (u32, u32, u32);

/// The fund joined with every usable row of one other kind.
pub struct Pair<'a> {
    pub fund: &'a Input,
    pub kind: SourceKind,
    pub others: Vec<&'a Input>,
    /// Inner join on the key: [`Side::Fund`] and [`Side::Other`] columns, and the key.
    pub df: DataFrame,
}

/// Every field a cross rule may compare, so one join serves them all.
const COMPARED: [Field; 11] = [
    Field::NameKana,
    Field::Sex,
    Field::BirthDate,
    Field::MyNumber,
    Field::ShareRatio,
    Field::LostOn,
    Field::LeftOn,
    Field::PostalCode,
    Field::Address,
    Field::CertRequested,
    Field::AcquiredOn,
];

impl<'a> Pair<'a> {
    pub fn build(fund: &'a Input, kind: SourceKind, others: Vec<&'a Input>) -> Result<Pair<'a>> {
        let _stage = crate::timing::stage(|| format!("join fund × {}", kind.name()));
        let fund_lf = project(fund, Side::Fund, &COMPARED, &[Col::D, Col::ActiveByDates]);
        let parts: Vec<LazyFrame> = others
            .iter()
            .map(|i| project(i, Side::Other, &COMPARED, &[]))
            .collect();
        let df = if parts.is_empty() {
            fund_lf.limit(0).collect()?
        } else {
            let stacked = concat(parts, UnionArgs::default())?;
            fund_lf
                .join(
                    stacked,
                    [c(Col::Key)],
                    [c(Col::Key)],
                    JoinArgs::new(JoinType::Inner),
                )
                .collect()?
        };
        Ok(Pair {
            fund,
            kind,
            others,
            df,
        })
    }

    pub fn other(&self, id: u32) -> Option<&Input> {
        self.others.iter().copied().find(|i| i.id as u32 == id)
    }

    /// Whether the fund and at least one other file carry the field.
    pub fn both_have(&self, field: Field) -> bool {
        self.fund.has(field) && self.others.iter().any(|i| i.has(field))
    }

    /// The joined rows where `pred` holds: (fund row, other source id, other row) plus columns.
    /// The joined rows where `pred` holds, with these columns of both sides.
    pub fn hits(&self, pred: Expr, columns: &[Col]) -> Result<(Vec<Hit>, DataFrame)> {
        let mut sel = vec![
            Side::Fund.col(Col::Idx),
            col(OTHER_SOURCE),
            Side::Other.col(Col::Idx),
        ];
        for column in columns {
            sel.extend([Side::Fund.col(*column), Side::Other.col(*column)]);
        }
        let df = self.df.clone().lazy().filter(pred).select(sel).collect()?;
        let fi = df.column(&Side::Fund.name(Col::Idx))?.u32()?;
        let os = df.column(OTHER_SOURCE)?.u32()?;
        let oi = df.column(&Side::Other.name(Col::Idx))?.u32()?;
        let rows = fi
            .into_no_null_iter()
            .zip(os.into_no_null_iter())
            .zip(oi.into_no_null_iter())
            .map(|((a, b), c)| (a, b, c))
            .collect();
        Ok((rows, df))
    }

    /// A finding on the fund's cell with a related label on the other source's cell.
    pub fn finding(
        &self,
        rule: &'static Rule,
        hit: (u32, u32, u32),
        field: Field,
        message: String,
        label: String,
    ) -> Finding {
        Finding::new(rule, Anchor::cell(self.fund.id, hit.0, field), message)
            .related(Anchor::cell(hit.1 as usize, hit.2, field), label)
    }

    /// Raw text of the other source's cell.
    pub fn other_cell(
        &self,
        hit: (u32, u32, u32),
        field: Field,
    ) -> Option<std::borrow::Cow<'_, str>> {
        self.other(hit.1).and_then(|i| i.source.cell(hit.2, field))
    }
}

/// Well-formed last-4 on one side: 12 digits (either check-digit state) or 4 digits.
pub fn mn_comparable(side: Side) -> Expr {
    side.col(Col::MnKind).is_in(
        lit(Series::new(
            "k".into(),
            [
                MnState::Valid as u8,
                MnState::BadCheckDigit as u8,
                MnState::Last4 as u8,
            ],
        ))
        .implode(false),
        false,
    )
}

pub type CrossFn = fn(&Ctx, &Pair) -> Result<Vec<Finding>>;

/// Where a cross-source check runs (its row in the registry): the fund against one other kind.
pub struct Cross {
    pub other: &'static [SourceKind],
    /// Fields both sides must carry; otherwise skipped for that pair.
    pub needs: &'static [Field],
    /// Fields only the other side must carry (the employer's 退職日).
    pub other_needs: &'static [Field],
    pub run: CrossFn,
}

/// Run the cross checks that apply to one pair; `only` restricts the rules (mailing runs a few).
pub fn run(
    ctx: &Ctx,
    pair: &Pair,
    only: Option<&[&Rule]>,
) -> Result<(Vec<Finding>, Vec<super::Skipped>)> {
    let mut findings = Vec::new();
    let mut skipped = Vec::new();
    for (rule, check) in registry::cross_checks() {
        if !check.other.contains(&pair.kind) || only.is_some_and(|o| !o.contains(&rule)) {
            continue;
        }
        let missing: Vec<Field> = check
            .needs
            .iter()
            .copied()
            .filter(|f| !pair.both_have(*f))
            .chain(
                check
                    .other_needs
                    .iter()
                    .copied()
                    .filter(|f| !pair.others.iter().any(|i| i.has(*f))),
            )
            .collect();
        if !missing.is_empty() {
            skipped.push(super::Skipped {
                code: rule.code,
                source: pair.fund.id,
                missing,
            });
            continue;
        }
        let _stage = crate::timing::stage(|| format!("cross {}", rule.code));
        findings.extend((check.run)(ctx, pair)?);
    }
    Ok((findings, skipped))
}
