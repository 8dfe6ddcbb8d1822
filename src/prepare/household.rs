//! Households: the rows of one source sharing 記号 and 番号 (SPEC §3). Dependents take
//! member_type, company, route, base date and envelope from the insured person, so the
//! insured row's values are joined onto every row as `ins_*` columns, and each row gets its
//! evaluation date `d` and whether it is active on it (SPEC §4.0).

use super::{Input, bad_status, cols, date_lit, st, unreadable};
use crate::field::Field;
use crate::field::SourceKind;
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
    /// Active on D (SPEC §4.0): the dates make the row a member on D, and neither the member
    /// nor (for a dependent) the household's insured person is on or past the 75th birthday.
    /// Null when a value it needs is unreadable: the row takes no decision.
    pub const ACTIVE: &str = "active";
    /// Active on D by 資格取得日/資格喪失日 (or 退職日) alone: what BD006 judges.
    pub const ACTIVE_BY_DATES: &str = "active_by_dates";
    /// Data-row index of the household's insured row (non-rejected), or null.
    pub const INS_IDX: &str = "ins_idx";
    /// The insured person is active on D by their dates ([`ACTIVE_BY_DATES`]).
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

/// Whether the row's dates make it a member on D (SPEC §4.0): acquired_on empty or ≤ D, and
/// lost_on empty or > D. An employer has no 資格喪失日, but 退職日 L means loss on L+1, so
/// active ⟺ L empty or L ≥ D. Three-valued: an unreadable date is unknown (null), but a
/// readable one that ends membership decides it (polars' `and` is Kleene's).
fn dates_expr(input: &Input) -> Expr {
    let d = col(hcols::D);
    let known = |field: Field, holds: Expr| {
        when(unreadable(field))
            .then(lit(NULL).cast(DataType::Boolean))
            .otherwise(holds)
    };
    let on_or_before = |name: &str| col(name).is_null().or(col(name).lt_eq(d.clone()));
    let mut active = lit(true);
    if input.has(Field::AcquiredOn) {
        active = active.and(known(Field::AcquiredOn, on_or_before("acquired_on")));
    }
    if input.has(Field::LostOn) {
        let after = col("lost_on").is_null().or(col("lost_on").gt(d.clone()));
        active = active.and(known(Field::LostOn, after));
    } else if input.has(Field::LeftOn) {
        let on_or_after = col("left_on").is_null().or(col("left_on").gt_eq(d.clone()));
        active = active.and(known(Field::LeftOn, on_or_after));
    }
    active
}

/// Active on D by the dates alone, for the findings that judge the records: null as soon as
/// one of the dates is unreadable (a finding is not made from half a record).
fn by_dates_expr(input: &Input) -> Expr {
    let mut unknown = lit(false);
    for field in [Field::AcquiredOn, Field::LostOn, Field::LeftOn] {
        if input.has(field) {
            unknown = unknown.or(unreadable(field));
        }
    }
    when(unknown)
        .then(lit(NULL).cast(DataType::Boolean))
        .otherwise(dates_expr(input))
}

/// Active on D (SPEC §4.0, §4.3), for decisions: by the dates, and before the 75th birthday —
/// the member's own and, for a dependent, the insured person's (a 被扶養者 exists only
/// through a 被保険者). Only the fund's records are members; other sources are judged by their
/// dates. With `insured` the household's insured columns (`ins_*`) are on the frame.
fn active_expr(input: &Input, insured: bool) -> Expr {
    if input.kind() != SourceKind::Fund || !input.has(Field::BirthDate) {
        return col(hcols::ACTIVE_BY_DATES);
    }
    let d = col(hcols::D);
    let null = || lit(NULL).cast(DataType::Boolean);
    let past = |end: Expr| end.clone().is_not_null().and(d.clone().gt_eq(end));
    let own_ended = when(unreadable(Field::BirthDate))
        .then(null())
        .otherwise(past(col(cols::BIRTH_75)));
    let mut active = dates_expr(input).and(own_ended.not());
    if insured {
        let dependent = col(hcols::IS_INSURED)
            .not()
            .and(col(hcols::INS_IDX).is_not_null());
        let insured_ended = when(dependent.clone().not())
            .then(lit(false))
            .when(bad_status(col(ins(&st(Field::BirthDate)))))
            .then(null())
            .otherwise(past(col(ins(cols::BIRTH_75))));
        active = active.and(insured_ended.not());
    }
    active
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
            col(hcols::ACTIVE_BY_DATES).first().alias(hcols::INS_ACTIVE),
        ];
        added.extend([hcols::INS_IDX.into(), hcols::INS_ACTIVE.into()]);
        for f in &present {
            for name in [f.key().to_string(), st(*f)] {
                aggs.push(col(&name).first().alias(ins(&name)));
                added.push(ins(&name));
            }
        }
        if input.has(Field::BirthDate) {
            aggs.push(col(cols::BIRTH_75).first().alias(ins(cols::BIRTH_75)));
            added.push(ins(cols::BIRTH_75));
        }
        let insured = df
            .clone()
            .filter(
                col(hcols::IS_INSURED)
                    .and(col(cols::REJECTED).not())
                    .and(col(cols::HH).is_not_null()),
            )
            .with_column(d_expr(individual_expr(own_type.clone()), dates).alias(hcols::D))
            .with_column(by_dates_expr(input).alias(hcols::ACTIVE_BY_DATES))
            .with_column(active_expr(input, false).alias(hcols::ACTIVE))
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
        hcols::ACTIVE_BY_DATES.into(),
        hcols::ACTIVE.into(),
    ]);
    let new = df
        .with_column(d_expr(col(hcols::INDIVIDUAL), dates).alias(hcols::D))
        .with_column(by_dates_expr(input).alias(hcols::ACTIVE_BY_DATES))
        .with_column(active_expr(input, households).alias(hcols::ACTIVE))
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
