//! Households: the rows of one source sharing 記号 and 番号 (SPEC §3). Dependents take
//! member_type, company, route, base date and envelope from the insured person, so the
//! insured row's values are joined onto every row as `ins_*` columns, and each row gets its
//! evaluation date `d` and whether it is active on it (SPEC §4.0).

use super::{Input, cols, date_lit, st, unreadable};
use crate::field::Field;
use crate::prepare::values::{SPECIAL_RETIREE, VOLUNTARY};
use chrono::NaiveDate;
use polars::prelude::*;

/// Columns added by [`attach`].
pub mod hcols {
    /// The row is its household's insured person (続柄 本人, or 枝番 00 without 続柄).
    pub const IS_INSURED: &str = "is_insured";
    /// The household is 任意継続/特例退職 (from the insured row, else the row's own 区分).
    pub const INDIVIDUAL: &str = "individual";
    /// The evaluation date D of this row (SPEC §4.0).
    pub const D: &str = "d";
    /// Active on D: null when a needed date is unreadable (the row takes no decision).
    pub const ACTIVE: &str = "active";
    /// Data-row index of the household's insured row (non-rejected), or null.
    pub const INS_IDX: &str = "ins_idx";
    pub const INS_ACTIVE: &str = "ins_active";
}

/// The evaluation dates: `general` for 一般 households, `individual` for 任意継続/特例退職.
#[derive(Clone, Copy, Debug)]
pub struct Dates {
    pub general: NaiveDate,
    pub individual: NaiveDate,
}

impl Dates {
    pub fn same(d: NaiveDate) -> Dates {
        Dates {
            general: d,
            individual: d,
        }
    }
}

/// The insured row's fields every member of the household takes or needs.
const INSURED_FIELDS: [Field; 11] = [
    Field::BirthDate,
    Field::Remuneration,
    Field::IncomeException,
    Field::MemberType,
    Field::Company,
    Field::PostalCode,
    Field::Address,
    Field::ResidencePostalCode,
    Field::ResidenceAddress,
    Field::MynaRegistered,
    Field::Sex,
];

pub fn ins(name: &str) -> String {
    format!("ins_{name}")
}

/// Active on `d` (SPEC §4.0): acquired_on empty or ≤ D, and lost_on empty or > D. An employer
/// has no 資格喪失日, but 退職日 L means loss on L+1, so active ⟺ L empty or L ≥ D.
fn active_expr(input: &Input) -> Expr {
    let d = col(hcols::D);
    let mut unknown = lit(false);
    let mut active = lit(true);
    if input.has(Field::AcquiredOn) {
        unknown = unknown.or(unreadable(Field::AcquiredOn));
        active = active.and(
            col("acquired_on")
                .is_null()
                .or(col("acquired_on").lt_eq(d.clone())),
        );
    }
    if input.has(Field::LostOn) {
        unknown = unknown.or(unreadable(Field::LostOn));
        active = active.and(col("lost_on").is_null().or(col("lost_on").gt(d.clone())));
    } else if input.has(Field::LeftOn) {
        unknown = unknown.or(unreadable(Field::LeftOn));
        active = active.and(col("left_on").is_null().or(col("left_on").gt_eq(d)));
    }
    when(unknown)
        .then(lit(NULL).cast(DataType::Boolean))
        .otherwise(active)
}

fn individual_expr(member_type: Expr) -> Expr {
    member_type
        .clone()
        .eq(lit(VOLUNTARY))
        .or(member_type.eq(lit(SPECIAL_RETIREE)))
        .fill_null(lit(false))
}

fn d_expr(individual: Expr, dates: Dates) -> Expr {
    when(individual)
        .then(date_lit(dates.individual))
        .otherwise(date_lit(dates.general))
}

/// Add the household columns to an input's frame.
pub fn attach(input: &mut Input, dates: Dates) -> PolarsResult<()> {
    let has_rel = input.has(Field::Relationship);
    let is_insured = if has_rel {
        col("relationship").eq(lit("本人")).fill_null(lit(false))
    } else {
        col(cols::BRANCH_N).eq(lit("00")).fill_null(lit(false))
    };
    let own_type = if input.has(Field::MemberType) {
        col("member_type")
    } else {
        lit(NULL).cast(DataType::String)
    };
    // National sources name individuals: every row is its own "household" for D and activity.
    let households = input.kind().has_households();

    // Only the new columns are collected and set beside the typed frame's own: collecting the
    // whole joined frame made polars gather every column of it (twice, with a sort), which
    // was the largest allocation of a 1M-row run.
    let mut added: Vec<String> = vec![hcols::IS_INSURED.into()];
    let df = input
        .df
        .clone()
        .lazy()
        .with_column(is_insured.alias(hcols::IS_INSURED));
    let present: Vec<Field> = INSURED_FIELDS
        .into_iter()
        .filter(|f| input.has(*f))
        .collect();

    let df = if households {
        // The insured row of each household (the first, if a household has two), with its own D.
        let mut aggs = vec![
            col(cols::IDX).first().alias(hcols::INS_IDX),
            col(hcols::ACTIVE).first().alias(hcols::INS_ACTIVE),
        ];
        added.extend([hcols::INS_IDX.into(), hcols::INS_ACTIVE.into()]);
        for f in &present {
            aggs.push(col(f.key()).first().alias(ins(f.key())));
            added.push(ins(f.key()));
            if matches!(
                f,
                Field::Remuneration
                    | Field::PostalCode
                    | Field::ResidencePostalCode
                    | Field::BirthDate
            ) {
                aggs.push(col(st(*f)).first().alias(ins(&st(*f))));
                added.push(ins(&st(*f)));
            }
        }
        let insured = df
            .clone()
            .filter(
                col(hcols::IS_INSURED)
                    .and(col(cols::REJECTED).not())
                    .and(col(cols::HH).is_not_null()),
            )
            .with_column(d_expr(individual_expr(own_type.clone()), dates).alias(hcols::D))
            .with_column(active_expr(input).alias(hcols::ACTIVE))
            .sort([cols::IDX], Default::default())
            .group_by([col(cols::HH)])
            .agg(aggs);
        let ins_type = if input.has(Field::MemberType) {
            col(ins("member_type"))
        } else {
            lit(NULL).cast(DataType::String)
        };
        // Rows stay in the typed frame's order, so the new columns line up with its rows.
        let mut join = JoinArgs::new(JoinType::Left);
        join.maintain_order = MaintainOrderJoin::Left;
        df.join(insured, [col(cols::HH)], [col(cols::HH)], join)
            .with_column(
                when(col(hcols::INS_IDX).is_not_null())
                    .then(individual_expr(ins_type))
                    .otherwise(individual_expr(own_type))
                    .alias(hcols::INDIVIDUAL),
            )
    } else {
        added.extend([hcols::INS_IDX.into()]);
        df.with_columns([
            lit(NULL).cast(DataType::UInt32).alias(hcols::INS_IDX),
            individual_expr(own_type).alias(hcols::INDIVIDUAL),
        ])
    };
    added.extend([
        hcols::INDIVIDUAL.into(),
        hcols::D.into(),
        hcols::ACTIVE.into(),
    ]);
    let new = df
        .with_column(d_expr(col(hcols::INDIVIDUAL), dates).alias(hcols::D))
        .with_column(active_expr(input).alias(hcols::ACTIVE))
        .select(added.iter().map(|c| col(c.as_str())).collect::<Vec<_>>())
        .collect()?;
    let mut df = input.df.hstack(new.columns())?;
    if !households {
        // Keep the schema uniform for the rules: no household, no insured.
        let n = df.height();
        df.with_column(Column::full_null(
            hcols::INS_ACTIVE.into(),
            n,
            &DataType::Boolean,
        ))?;
    }
    input.df = df;
    Ok(())
}
