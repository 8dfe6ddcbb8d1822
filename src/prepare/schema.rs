//! The typed frame's columns, as values the compiler knows (STYLE.md, "typed names over
//! strings"): a rule reads `Col::Value(Field::BirthDate)`, never a name it spelled itself, so
//! renaming a column breaks the build instead of silently switching a rule off.
//!
//! Every frame carries every column (a field the file lacks is a typed null, its status Ok),
//! so no rule tests for a column's presence; whether a rule runs at all is the registry's
//! business (`checks::registry`, the fields it needs). This module is the one place where
//! column names are spelled.

use crate::field::Field;
use polars::prelude::*;

/// A column of a prepared source's frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Col {
    /// Data-row index in the source (u32).
    Idx,
    /// Member key `記号-番号-枝番` (null when a part is empty or malformed).
    Key,
    /// Household key `記号-番号`.
    Household,
    /// 枝番 as two digits.
    Branch2,
    /// Why the key is malformed (ID001): a [`KeyError`](super::KeyError) set (u8), or null.
    KeyError,
    /// Another row of the source has the same key (IN006).
    Duplicate,
    /// Rejected: IN002, ID001, IN006, or IN001/IN005 in a key cell (SPEC §5).
    Rejected,
    /// 個人番号: its [`MnState`](super::MnState) (u8) and a per-process fingerprint of a
    /// 12-digit number (u64). Its value (`Value(MyNumber)`) is the last 4 digits.
    MnKind,
    MnFingerprint,
    /// The 75th birthday: membership ends on it (SPEC §4.3).
    Birth75,
    /// The row is its household's insured person (続柄 本人, or 枝番 00 without 続柄).
    IsInsured,
    /// The household is 任意継続/特例退職.
    Individual,
    /// The evaluation date D of this row (SPEC §4.0).
    D,
    /// Active on D for decisions: the dates and the 75th birthdays; null when unknown.
    Active,
    /// Active on D by the recorded dates alone, for the findings that judge the records.
    ActiveByDates,
    /// Data-row index of the household's insured row (not rejected), or null.
    InsIdx,
    /// The insured person is active on D by their dates.
    InsActive,
    /// A field's typed value.
    Value(Field),
    /// A field's [`St`](super::St) (u8).
    Status(Field),
    /// The household's insured row's value, status and 75th birthday.
    Insured(Field),
    InsuredStatus(Field),
    InsuredBirth75,
}

impl Col {
    pub fn name(self) -> PlSmallStr {
        match self {
            Col::Idx => "_idx".into(),
            Col::Key => "key".into(),
            Col::Household => "hh".into(),
            Col::Branch2 => "branch_n".into(),
            Col::KeyError => "key_err".into(),
            Col::Duplicate => "dup".into(),
            Col::Rejected => "rejected".into(),
            Col::MnKind => "mn_kind".into(),
            Col::MnFingerprint => "mn_fp".into(),
            Col::Birth75 => "birth_75".into(),
            Col::IsInsured => "is_insured".into(),
            Col::Individual => "individual".into(),
            Col::D => "d".into(),
            Col::Active => "active".into(),
            Col::ActiveByDates => "active_by_dates".into(),
            Col::InsIdx => "ins_idx".into(),
            Col::InsActive => "ins_active".into(),
            Col::Value(Field::MyNumber) => "mn_last4".into(),
            Col::Value(f) => f.key().into(),
            Col::Status(f) => joined(f.key(), ".status"),
            Col::Insured(f) => joined("insured.", Col::Value(f).name().as_str()),
            Col::InsuredStatus(f) => joined("insured.", Col::Status(f).name().as_str()),
            Col::InsuredBirth75 => "insured.birth_75".into(),
        }
    }

    /// The column as an expression.
    pub fn expr(self) -> Expr {
        col(self.name())
    }

    pub fn dtype(self) -> DataType {
        match self {
            Col::Idx | Col::InsIdx => DataType::UInt32,
            Col::Key | Col::Household | Col::Branch2 => DataType::String,
            Col::KeyError | Col::MnKind => DataType::UInt8,
            Col::MnFingerprint => DataType::UInt64,
            Col::Birth75 | Col::InsuredBirth75 | Col::D => DataType::Date,
            Col::Duplicate
            | Col::Rejected
            | Col::IsInsured
            | Col::Individual
            | Col::Active
            | Col::ActiveByDates
            | Col::InsActive => DataType::Boolean,
            Col::Status(_) | Col::InsuredStatus(_) => DataType::UInt8,
            Col::Value(f) | Col::Insured(f) => value_dtype(f),
        }
    }

    /// A column of nulls of this column's type (a field the file lacks).
    pub fn nulls(self, n: usize) -> Column {
        Column::full_null(self.name(), n, &self.dtype())
    }

    /// As a typed null expression (for frames built without the column).
    pub fn null_lit(self) -> Expr {
        lit(NULL).cast(self.dtype()).alias(self.name())
    }
}

fn joined(a: &str, b: &str) -> PlSmallStr {
    let mut s = String::with_capacity(a.len() + b.len());
    s.push_str(a);
    s.push_str(b);
    s.into()
}

/// The type of a field's typed value.
pub fn value_dtype(f: Field) -> DataType {
    match f {
        _ if f.is_date() => DataType::Date,
        Field::Sex | Field::ShareRatio => DataType::UInt8,
        _ if f.is_flag() => DataType::Boolean,
        Field::Remuneration => DataType::Int64,
        _ => DataType::String,
    }
}

/// `col(Col::…)` with less noise.
pub fn c(column: Col) -> Expr {
    column.expr()
}

/// The two sides of a frame that joins the fund with another source on the member key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Fund,
    Other,
}

impl Side {
    /// A column of this side in the joined frame (`Key` is shared).
    pub fn name(self, column: Col) -> PlSmallStr {
        if column == Col::Key {
            return column.name();
        }
        let prefix = match self {
            Side::Fund => "fund.",
            Side::Other => "other.",
        };
        joined(prefix, column.name().as_str())
    }

    pub fn col(self, column: Col) -> Expr {
        col(self.name(column))
    }
}

/// Which other source a joined row came from (u32 input id).
pub const OTHER_SOURCE: &str = "other.source";

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn every_col() -> Vec<Col> {
        let mut all = vec![
            Col::Idx,
            Col::Key,
            Col::Household,
            Col::Branch2,
            Col::KeyError,
            Col::Duplicate,
            Col::Rejected,
            Col::MnKind,
            Col::MnFingerprint,
            Col::Birth75,
            Col::IsInsured,
            Col::Individual,
            Col::D,
            Col::Active,
            Col::ActiveByDates,
            Col::InsIdx,
            Col::InsActive,
            Col::InsuredBirth75,
        ];
        for f in Field::ALL {
            all.extend([
                Col::Value(f),
                Col::Status(f),
                Col::Insured(f),
                Col::InsuredStatus(f),
            ]);
        }
        all
    }

    #[test]
    fn every_column_has_its_own_name_on_both_sides() {
        let mut names = HashSet::new();
        for c in every_col() {
            assert!(names.insert(c.name()), "{c:?} shares its name");
            for side in [Side::Fund, Side::Other] {
                assert!(
                    names.insert(side.name(c)) || c == Col::Key,
                    "{side:?} {c:?}"
                );
            }
        }
        assert!(!names.contains(OTHER_SOURCE));
    }
}
