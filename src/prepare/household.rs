//! Households: the rows of one source sharing 記号 and 番号 (SPEC §3). Dependents take
//! member_type, company, route, base date and envelope from the insured person, so the
//! insured row's values are joined onto every row (`Col::Insured`), and each row gets its
//! evaluation date D and whether it is active on it (SPEC §4.0).

use super::{Col, Input, bad_status, c, date_lit, unreadable};
use crate::field::{Field, SourceKind};
use crate::prepare::values::{SPECIAL_RETIREE, VOLUNTARY};
use chrono::NaiveDate;
use polars::prelude::*;

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
pub const INSURED_FIELDS: [Field; 11] = [
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

/// Whether the row's dates make it a member on D (SPEC §4.0): 資格取得日 empty or ≤ D, and
/// 資格喪失日 empty or > D. An employer has no 資格喪失日, but 退職日 L means loss on L+1, so
/// active ⟺ L empty or L ≥ D. Three-valued: an unreadable date is unknown (null), but a
/// readable one that ends membership decides it (polars' `and` is Kleene's).
fn dates_expr() -> Expr {
    let d = c(Col::D);
    let known = |field: Field, holds: Expr| {
        when(unreadable(field))
            .then(lit(NULL).cast(DataType::Boolean))
            .otherwise(holds)
    };
    let date = |f: Field| c(Col::Value(f));
    let acquired = date(Field::AcquiredOn);
    let lost = date(Field::LostOn);
    let left = date(Field::LeftOn);
    known(
        Field::AcquiredOn,
        acquired.clone().is_null().or(acquired.lt_eq(d.clone())),
    )
    .and(known(
        Field::LostOn,
        lost.clone().is_null().or(lost.gt(d.clone())),
    ))
    .and(known(
        Field::LeftOn,
        left.clone().is_null().or(left.gt_eq(d)),
    ))
}

/// Active on D by the dates alone, for the findings that judge the records: null as soon as
/// one of the dates is unreadable (a finding is not made from half a record).
fn by_dates_expr() -> Expr {
    let unknown = unreadable(Field::AcquiredOn)
        .or(unreadable(Field::LostOn))
        .or(unreadable(Field::LeftOn));
    when(unknown)
        .then(lit(NULL).cast(DataType::Boolean))
        .otherwise(dates_expr())
}

/// Active on D (SPEC §4.0, §4.3), for decisions: by the dates, and before the 75th birthday —
/// the member's own and, for a dependent, the insured person's (a 被扶養者 exists only
/// through a 被保険者). Only the fund's records are members; other sources are judged by their
/// dates. With `insured` the household's insured columns are on the frame.
fn active_expr(input: &Input, insured: bool) -> Expr {
    if input.kind() != SourceKind::Fund {
        return c(Col::ActiveByDates);
    }
    let d = c(Col::D);
    let null = || lit(NULL).cast(DataType::Boolean);
    let past = |end: Expr| end.clone().is_not_null().and(d.clone().gt_eq(end));
    let own_ended = when(unreadable(Field::BirthDate))
        .then(null())
        .otherwise(past(c(Col::Birth75)));
    let mut active = dates_expr().and(own_ended.not());
    if insured {
        let dependent = c(Col::IsInsured).not().and(c(Col::InsIdx).is_not_null());
        let insured_ended = when(dependent.not())
            .then(lit(false))
            .when(bad_status(c(Col::InsuredStatus(Field::BirthDate))))
            .then(null())
            .otherwise(past(c(Col::InsuredBirth75)));
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

/// The insured person of each household (the first, if a household has two): the row index
/// every member of the household takes its insured columns from.
fn insured_index(df: LazyFrame) -> LazyFrame {
    df.filter(
        c(Col::IsInsured)
            .and(c(Col::Rejected).not())
            .and(c(Col::Household).is_not_null()),
    )
    .group_by([c(Col::Household)])
    .agg([c(Col::Idx).min().alias(Col::InsIdx.name())])
}

/// The insured person's columns, gathered from their row (null where a household has no
/// insured person). Their activity is by their own dates on their own D: the frame's D and
/// ActiveByDates are, at this point, each row's own.
fn insured_columns() -> Vec<Expr> {
    let from_insured =
        |col: Col, name: Col| c(col).gather(c(Col::InsIdx), false).alias(name.name());
    let mut cols = vec![
        from_insured(Col::ActiveByDates, Col::InsActive),
        from_insured(Col::Birth75, Col::InsuredBirth75),
    ];
    for f in INSURED_FIELDS {
        cols.push(from_insured(Col::Value(f), Col::Insured(f)));
        cols.push(from_insured(Col::Status(f), Col::InsuredStatus(f)));
    }
    cols
}

/// The columns [`attach`] adds, in order.
fn added() -> Vec<Col> {
    let mut cols = vec![
        Col::IsInsured,
        Col::InsIdx,
        Col::InsActive,
        Col::InsuredBirth75,
    ];
    for f in INSURED_FIELDS {
        cols.extend([Col::Insured(f), Col::InsuredStatus(f)]);
    }
    cols.extend([Col::Individual, Col::D, Col::ActiveByDates, Col::Active]);
    cols
}

/// Add the household columns to an input's frame.
pub fn attach(input: &mut Input, dates: Dates) -> PolarsResult<()> {
    // The insured person is 続柄 本人, or 枝番 00 in a file without 続柄 (SPEC §3).
    let is_insured = if input.has(Field::Relationship) {
        c(Col::Value(Field::Relationship)).eq(lit("本人"))
    } else {
        c(Col::Branch2).eq(lit("00"))
    }
    .fill_null(lit(false));
    let own_type = c(Col::Value(Field::MemberType));
    let df = input
        .df
        .clone()
        .lazy()
        .with_column(is_insured.alias(Col::IsInsured.name()));
    // National sources name individuals: no household, no insured person.
    let households = input.kind().has_households();
    let df = if households {
        // Rows stay in the typed frame's order, so the new columns line up with its rows.
        let mut join = JoinArgs::new(JoinType::Left);
        join.maintain_order = MaintainOrderJoin::Left;
        let insured = insured_index(df.clone());
        df.join(insured, [c(Col::Household)], [c(Col::Household)], join)
            .with_column(d_expr(individual_expr(own_type.clone()), dates).alias(Col::D.name()))
            .with_column(by_dates_expr().alias(Col::ActiveByDates.name()))
            .with_columns(insured_columns())
            .with_column(
                when(c(Col::InsIdx).is_not_null())
                    .then(individual_expr(c(Col::Insured(Field::MemberType))))
                    .otherwise(individual_expr(own_type))
                    .alias(Col::Individual.name()),
            )
    } else {
        let mut nulls = vec![
            Col::InsIdx.null_lit(),
            Col::InsActive.null_lit(),
            Col::InsuredBirth75.null_lit(),
        ];
        for f in INSURED_FIELDS {
            nulls.extend([Col::Insured(f).null_lit(), Col::InsuredStatus(f).null_lit()]);
        }
        nulls.push(individual_expr(own_type).alias(Col::Individual.name()));
        df.with_columns(nulls)
    };
    // Only the new columns are collected and set beside the typed frame's own: collecting the
    // whole joined frame made polars gather every column of it (twice, with a sort), which
    // was the largest allocation of a 1M-row run.
    let new = df
        .with_column(d_expr(c(Col::Individual), dates).alias(Col::D.name()))
        .with_column(by_dates_expr().alias(Col::ActiveByDates.name()))
        .with_column(active_expr(input, households).alias(Col::Active.name()))
        .select(added().into_iter().map(c).collect::<Vec<_>>())
        .collect()?;
    let df = input.df.hstack(new.columns())?;
    let height = df.height();
    let columns = df
        .into_columns()
        .into_iter()
        .map(crate::ingest::one_valued)
        .collect();
    input.df = DataFrame::new(height, columns)?;
    Ok(())
}
