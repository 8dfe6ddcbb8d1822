//! Every rule, once. `shikaku rules` lists [`RULES`]; the tests below check that codes are
//! unique and every rule is documented.

use super::cross::Cross;
use super::{ALL_KINDS, FUND, MEMBERSHIP, Single};
use super::{
    birth_date as bd, certificate as ce, identity as id, input as inp, my_number as mn,
    routing as ad, share_ratio as sr,
};
use crate::field::{Field, SourceKind};
use crate::finding::Rule;

pub static RULES: &[&Rule] = &[
    &inp::IN001,
    &inp::IN002,
    &inp::IN003,
    &inp::IN004,
    &inp::IN005,
    &inp::IN006,
    &inp::IN007,
    &inp::IN008,
    &inp::IN009,
    &id::ID001,
    &id::ID002,
    &id::ID003,
    &id::ID004,
    &id::ID005,
    &id::ID006,
    &mn::MN001,
    &mn::MN002,
    &mn::MN003,
    &mn::MN004,
    &mn::MN005,
    &mn::MN006,
    &bd::BD001,
    &bd::BD002,
    &bd::BD003,
    &bd::BD004,
    &bd::BD005,
    &bd::BD006,
    &bd::BD007,
    &bd::BD008,
    &sr::SR001,
    &sr::SR002,
    &sr::SR003,
    &sr::SR004,
    &ad::AD001,
    &ad::AD002,
    &ad::AD003,
    &ad::AD004,
    &ad::AD005,
    &ad::AD006,
    &ad::AD007,
    &ce::CE001,
    &ce::CE002,
    &ce::CE003,
    &ce::CE004,
    &ce::CE005,
    &ce::CE006,
    &ce::CE007,
];

pub fn find(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code.trim()))
}

const LIST: &[SourceKind] = &[SourceKind::NationalList];

/// Single-source checks (IN001, IN002, IN004 from Excel, IN005, IN007, IN008 and a bad Excel
/// serial's BD002 come from the reader, in `input::from_ingest`).
pub static SINGLE: &[Single] = &[
    Single {
        rule: &inp::IN004,
        kinds: ALL_KINDS,
        needs: &[],
        run: inp::in004_postal,
    },
    Single {
        rule: &inp::IN006,
        kinds: ALL_KINDS,
        needs: &[],
        run: inp::in006,
    },
    Single {
        rule: &inp::IN009,
        kinds: ALL_KINDS,
        needs: &[],
        run: inp::in009,
    },
    Single {
        rule: &id::ID001,
        kinds: ALL_KINDS,
        needs: &[],
        run: id::id001,
    },
    Single {
        rule: &id::ID002,
        kinds: MEMBERSHIP,
        needs: &[],
        run: id::id002,
    },
    Single {
        rule: &mn::MN003,
        kinds: ALL_KINDS,
        needs: &[Field::MyNumber],
        run: mn::mn003,
    },
    Single {
        rule: &mn::MN004,
        kinds: ALL_KINDS,
        needs: &[Field::MyNumber],
        run: mn::mn004,
    },
    Single {
        rule: &mn::MN005,
        kinds: FUND,
        needs: &[Field::MyNumber, Field::MyNumberRegisteredOn],
        run: mn::mn005,
    },
    Single {
        rule: &mn::MN006,
        kinds: ALL_KINDS,
        needs: &[Field::MyNumber],
        run: mn::mn006,
    },
    Single {
        rule: &bd::BD001,
        kinds: ALL_KINDS,
        needs: &[],
        run: bd::date_status,
    },
    Single {
        rule: &bd::BD005,
        kinds: ALL_KINDS,
        needs: &[Field::BirthDate],
        run: bd::bd005,
    },
    Single {
        rule: &bd::BD006,
        kinds: FUND,
        needs: &[Field::BirthDate],
        run: bd::bd006,
    },
    Single {
        rule: &bd::BD007,
        kinds: MEMBERSHIP,
        needs: &[Field::BirthDate, Field::Relationship],
        run: bd::bd007,
    },
    Single {
        rule: &sr::SR001,
        kinds: FUND,
        needs: &[Field::BirthDate, Field::ShareRatio, Field::Remuneration],
        run: sr::sr001,
    },
    Single {
        rule: &sr::SR002,
        kinds: FUND,
        needs: &[Field::BirthDate, Field::ShareRatio],
        run: sr::sr002,
    },
    Single {
        rule: &sr::SR003,
        kinds: FUND,
        needs: &[Field::BirthDate, Field::ShareRatio],
        run: sr::sr003,
    },
    Single {
        rule: &ad::AD001,
        kinds: MEMBERSHIP,
        needs: &[Field::Company],
        run: ad::ad001,
    },
    Single {
        rule: &ad::AD002,
        kinds: MEMBERSHIP,
        needs: &[Field::Company, Field::Address],
        run: ad::ad002,
    },
    Single {
        rule: &ad::AD003,
        kinds: ALL_KINDS,
        needs: &[Field::PostalCode],
        run: ad::ad003,
    },
    Single {
        rule: &ad::AD004,
        kinds: ALL_KINDS,
        needs: &[Field::PostalCode],
        run: ad::ad004,
    },
    Single {
        rule: &ad::AD005,
        kinds: MEMBERSHIP,
        needs: &[Field::Company],
        run: ad::ad005,
    },
    Single {
        rule: &ad::AD007,
        kinds: FUND,
        needs: &[Field::MemberType, Field::Address],
        run: ad::ad007,
    },
    Single {
        rule: &ce::CE007,
        kinds: LIST,
        needs: &[Field::InsurerNo],
        run: ce::ce007,
    },
];

const EMPLOYER: &[SourceKind] = &[SourceKind::Employer];
const REGISTRY: &[SourceKind] = &[SourceKind::NationalRegistry];
const NATIONAL: &[SourceKind] = &[SourceKind::NationalList, SourceKind::NationalRegistry];
const OTHERS: &[SourceKind] = &[
    SourceKind::Employer,
    SourceKind::NationalList,
    SourceKind::NationalRegistry,
];

/// Cross-source checks: the fund against each other kind.
pub static CROSS: &[Cross] = &[
    Cross {
        rule: &id::ID003,
        other: EMPLOYER,
        needs: &[],
        other_needs: &[],
        run: id::id003,
    },
    Cross {
        rule: &id::ID004,
        other: EMPLOYER,
        needs: &[],
        other_needs: &[Field::LeftOn],
        run: id::id004,
    },
    Cross {
        rule: &id::ID005,
        other: OTHERS,
        needs: &[Field::NameKana],
        other_needs: &[],
        run: id::id005,
    },
    Cross {
        rule: &id::ID006,
        other: OTHERS,
        needs: &[Field::Sex],
        other_needs: &[],
        run: id::id006,
    },
    Cross {
        rule: &mn::MN001,
        other: REGISTRY,
        needs: &[Field::MyNumber],
        other_needs: &[],
        run: mn::mn001,
    },
    Cross {
        rule: &mn::MN002,
        other: EMPLOYER,
        needs: &[Field::MyNumber],
        other_needs: &[],
        run: mn::mn002,
    },
    Cross {
        rule: &bd::BD003,
        other: NATIONAL,
        needs: &[Field::BirthDate],
        other_needs: &[],
        run: bd::bd003,
    },
    Cross {
        rule: &bd::BD004,
        other: EMPLOYER,
        needs: &[Field::BirthDate],
        other_needs: &[],
        run: bd::bd004,
    },
    Cross {
        rule: &sr::SR004,
        other: REGISTRY,
        needs: &[Field::ShareRatio],
        other_needs: &[],
        run: sr::sr004,
    },
    Cross {
        rule: &ad::AD006,
        other: EMPLOYER,
        needs: &[Field::Address],
        other_needs: &[],
        run: ad::ad006,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Scope, Severity};
    use std::collections::BTreeSet;

    /// SPEC §5's catalogue: every code exists, once, with its default severity.
    const CATALOGUE: &[(&str, Severity)] = &[
        ("IN001", Severity::Error),
        ("IN002", Severity::Error),
        ("IN003", Severity::Fatal),
        ("IN004", Severity::Warning),
        ("IN005", Severity::Error),
        ("IN006", Severity::Error),
        ("IN007", Severity::Warning),
        ("IN008", Severity::Warning),
        ("IN009", Severity::Error),
        ("ID001", Severity::Error),
        ("ID002", Severity::Error),
        ("ID003", Severity::Error),
        ("ID004", Severity::Warning),
        ("ID005", Severity::Warning),
        ("ID006", Severity::Error),
        ("MN001", Severity::Error),
        ("MN002", Severity::Error),
        ("MN003", Severity::Error),
        ("MN004", Severity::Error),
        ("MN005", Severity::Warning),
        ("MN006", Severity::Error),
        ("BD001", Severity::Error),
        ("BD002", Severity::Error),
        ("BD003", Severity::Error),
        ("BD004", Severity::Error),
        ("BD005", Severity::Error),
        ("BD006", Severity::Error),
        ("BD007", Severity::Warning),
        ("BD008", Severity::Warning),
        ("SR001", Severity::Error),
        ("SR002", Severity::Error),
        ("SR003", Severity::Warning),
        ("SR004", Severity::Error),
        ("AD001", Severity::Error),
        ("AD002", Severity::Error),
        ("AD003", Severity::Error),
        ("AD004", Severity::Warning),
        ("AD005", Severity::Error),
        ("AD006", Severity::Warning),
        ("AD007", Severity::Error),
        ("CE001", Severity::Error),
        ("CE002", Severity::Info),
        ("CE003", Severity::Warning),
        ("CE004", Severity::Error),
        ("CE005", Severity::Info),
        ("CE006", Severity::Error),
        ("CE007", Severity::Error),
    ];

    #[test]
    fn the_registry_is_the_spec_catalogue() {
        let codes: Vec<_> = RULES.iter().map(|r| (r.code, r.severity)).collect();
        assert_eq!(codes, CATALOGUE.to_vec());
    }

    #[test]
    fn codes_and_names_are_unique() {
        let codes: BTreeSet<_> = RULES.iter().map(|r| r.code).collect();
        let names: BTreeSet<_> = RULES.iter().map(|r| r.name).collect();
        assert_eq!(codes.len(), RULES.len());
        assert_eq!(names.len(), RULES.len());
    }

    #[test]
    fn every_rule_is_documented_with_the_four_sections() {
        for r in RULES {
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}: kebab-case name",
                r.code
            );
            assert!(!r.summary.is_empty() && !r.help.is_empty(), "{}", r.code);
            for section in [
                "## What it does",
                "## Why it matters",
                "## Example",
                "## How to fix",
            ] {
                assert!(r.explain.contains(section), "{} lacks {section}", r.code);
            }
        }
    }

    #[test]
    fn every_rule_is_wired_to_a_runner() {
        // Rules raised outside the check tables: by the reader, or by the reconcile decisions.
        let elsewhere = [
            "IN001", "IN002", "IN003", "IN005", "IN007", "IN008", "BD002", "BD008", "CE001",
            "CE002", "CE003", "CE004", "CE005", "CE006",
        ];
        let wired: BTreeSet<_> = SINGLE
            .iter()
            .map(|s| s.rule.code)
            .chain(CROSS.iter().map(|c| c.rule.code))
            .collect();
        for r in RULES {
            assert!(
                wired.contains(r.code) || elsewhere.contains(&r.code),
                "{} has no runner",
                r.code
            );
        }
        for s in SINGLE {
            assert_eq!(s.rule.scope, Scope::Single, "{}", s.rule.code);
        }
        for c in CROSS {
            assert_eq!(c.rule.scope, Scope::Cross, "{}", c.rule.code);
        }
    }

    #[test]
    fn find_is_case_insensitive() {
        assert_eq!(find("mn001").map(|r| r.code), Some("MN001"));
        assert!(find("XX999").is_none());
    }
}
