//! Unknown is never "no" (SPEC §4.0): the values a decision reads, and the first of them that
//! could not be read. A decision that needs one is withheld; it is counted under the code of
//! the finding that says why the value could not be read (`checks::cause`).

use super::household::INSURED_FIELDS;
use super::{Col, bad_status, c};
use crate::field::Field;
use polars::prelude::*;

/// A value a decision reads: a field of the row itself, or of its household's insured row
/// (route, company, destination and the 75th birthday come from there).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Read {
    Own(Field),
    Insured(Field),
}

const INSURED: u8 = 64;

impl Read {
    fn code(self) -> u8 {
        match self {
            Read::Own(f) => f as u8,
            Read::Insured(f) => INSURED + f as u8,
        }
    }

    pub fn from_code(code: u8) -> Option<Read> {
        let field = |c: u8| Field::ALL.get(usize::from(c)).copied();
        if code >= INSURED {
            field(code - INSURED).map(Read::Insured)
        } else {
            field(code).map(Read::Own)
        }
    }

    pub fn field(self) -> Field {
        match self {
            Read::Own(f) | Read::Insured(f) => f,
        }
    }

    /// True where the value could not be read. An absent field is empty, not unreadable
    /// (its status is Ok); an unreadable key part rejects the row, which then takes no
    /// decision at all, so it is never a reason.
    fn unreadable(self) -> Option<Expr> {
        let field = self.field();
        if field.is_key_part() {
            return None;
        }
        match self {
            Read::Own(f) => Some(bad_status(c(Col::Status(f)))),
            Read::Insured(f) if INSURED_FIELDS.contains(&f) => {
                Some(bad_status(c(Col::InsuredStatus(f))))
            }
            Read::Insured(_) => None,
        }
    }
}

/// The first value among `reads` that could not be read, as a u8 code ([`Read::from_code`]),
/// null when every one of them was read cleanly or is absent.
pub fn first_unreadable(reads: &[Read]) -> Expr {
    let mut first = lit(NULL).cast(DataType::UInt8);
    for read in reads.iter().rev() {
        if let Some(bad) = read.unreadable() {
            first = when(bad)
                .then(lit(read.code()).cast(DataType::UInt8))
                .otherwise(first);
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_for_every_field_on_both_rows() {
        for f in Field::ALL {
            for r in [Read::Own(f), Read::Insured(f)] {
                assert_eq!(Read::from_code(r.code()), Some(r));
            }
        }
        assert_eq!(Read::from_code(INSURED - 1), None);
    }
}
