//! Every rule, once: one row per rule saying where it runs, what it needs and its function
//! (ruff's `codes.rs`). `shikaku rules`, the single-source and cross-source passes, the
//! "skipped" report and the tests below are all derived from [`REGISTRY`].
//!
//! Adding a rule: define its [`Rule`] and its function in the family's file, add its row
//! here, and add its fixture under `tests/fixtures/rules/`.

use super::cross::{Cross, CrossFn};
use super::{ALL_KINDS, CheckFn, FUND, MEMBERSHIP, Single};
use super::{
    birth_date as bd, certificate as ce, identity as id, input as inp, my_number as mn,
    routing as ad, share_ratio as sr,
};
use crate::field::{Field as F, SourceKind};
use crate::finding::Rule;

/// Where a rule runs.
pub enum Runs {
    /// Raised while reading a file (or for a file that cannot be read).
    Reader,
    /// On one source at a time: `check` runs these (as do `reconcile` and `mailing`).
    Single(Single),
    /// The fund joined with another source kind: `reconcile`, and some in `mailing`.
    Cross(Cross),
    /// Raised by `reconcile`'s certificate and return decisions.
    Decision,
}

/// One rule's row.
pub struct Entry {
    pub rule: &'static Rule,
    pub runs: Runs,
}

const fn reader(rule: &'static Rule) -> Entry {
    Entry {
        rule,
        runs: Runs::Reader,
    }
}

const fn decision(rule: &'static Rule) -> Entry {
    Entry {
        rule,
        runs: Runs::Decision,
    }
}

const fn single(
    rule: &'static Rule,
    kinds: &'static [SourceKind],
    needs: &'static [F],
    run: CheckFn,
) -> Entry {
    Entry {
        rule,
        runs: Runs::Single(Single { kinds, needs, run }),
    }
}

const fn cross(
    rule: &'static Rule,
    other: &'static [SourceKind],
    needs: &'static [F],
    other_needs: &'static [F],
    run: CrossFn,
) -> Entry {
    Entry {
        rule,
        runs: Runs::Cross(Cross {
            other,
            needs,
            other_needs,
            run,
        }),
    }
}

const LIST: &[SourceKind] = &[SourceKind::NationalList];
const EMPLOYER: &[SourceKind] = &[SourceKind::Employer];
const REGISTRY_KIND: &[SourceKind] = &[SourceKind::NationalRegistry];
const NATIONAL: &[SourceKind] = &[SourceKind::NationalList, SourceKind::NationalRegistry];
const OTHERS: &[SourceKind] = &[
    SourceKind::Employer,
    SourceKind::NationalList,
    SourceKind::NationalRegistry,
];

/// Every rule of SPEC §5, in catalogue order.
#[rustfmt::skip]
pub static REGISTRY: &[Entry] = &[
    reader(&inp::IN001),
    reader(&inp::IN002),
    reader(&inp::IN003),
    single(&inp::IN004, ALL_KINDS, &[], inp::in004_postal),
    reader(&inp::IN005),
    single(&inp::IN006, ALL_KINDS, &[], inp::in006),
    reader(&inp::IN007),
    reader(&inp::IN008),
    single(&inp::IN009, ALL_KINDS, &[], inp::in009),
    single(&id::ID001, ALL_KINDS, &[], id::id001),
    single(&id::ID002, MEMBERSHIP, &[], id::id002),
    cross(&id::ID003, EMPLOYER, &[], &[], id::id003),
    cross(&id::ID004, EMPLOYER, &[], &[F::LeftOn], id::id004),
    cross(&id::ID005, OTHERS, &[F::NameKana], &[], id::id005),
    cross(&id::ID006, OTHERS, &[F::Sex], &[], id::id006),
    cross(&mn::MN001, REGISTRY_KIND, &[F::MyNumber], &[], mn::mn001),
    cross(&mn::MN002, EMPLOYER, &[F::MyNumber], &[], mn::mn002),
    single(&mn::MN003, ALL_KINDS, &[F::MyNumber], mn::mn003),
    single(&mn::MN004, ALL_KINDS, &[F::MyNumber], mn::mn004),
    single(&mn::MN005, FUND, &[F::MyNumber, F::MyNumberRegisteredOn], mn::mn005),
    single(&mn::MN006, ALL_KINDS, &[F::MyNumber], mn::mn006),
    single(&bd::BD001, ALL_KINDS, &[], bd::bd001),
    single(&bd::BD002, ALL_KINDS, &[], bd::bd002),
    cross(&bd::BD003, NATIONAL, &[F::BirthDate], &[], bd::bd003),
    cross(&bd::BD004, EMPLOYER, &[F::BirthDate], &[], bd::bd004),
    single(&bd::BD005, ALL_KINDS, &[F::BirthDate], bd::bd005),
    single(&bd::BD006, FUND, &[F::BirthDate], bd::bd006),
    single(&bd::BD007, MEMBERSHIP, &[F::BirthDate, F::Relationship], bd::bd007),
    single(&bd::BD008, ALL_KINDS, &[], bd::bd008),
    single(&sr::SR001, FUND, &[F::BirthDate, F::ShareRatio, F::Remuneration], sr::sr001),
    single(&sr::SR002, FUND, &[F::BirthDate, F::ShareRatio], sr::sr002),
    single(&sr::SR003, FUND, &[F::BirthDate, F::ShareRatio], sr::sr003),
    cross(&sr::SR004, REGISTRY_KIND, &[F::ShareRatio], &[], sr::sr004),
    single(&ad::AD001, MEMBERSHIP, &[F::Company], ad::ad001),
    single(&ad::AD002, MEMBERSHIP, &[F::Company, F::Address], ad::ad002),
    single(&ad::AD003, ALL_KINDS, &[F::PostalCode], ad::ad003),
    single(&ad::AD004, ALL_KINDS, &[F::PostalCode], ad::ad004),
    single(&ad::AD005, MEMBERSHIP, &[F::Company], ad::ad005),
    cross(&ad::AD006, EMPLOYER, &[F::Address], &[], ad::ad006),
    single(&ad::AD007, FUND, &[F::MemberType, F::Address], ad::ad007),
    decision(&ce::CE001),
    decision(&ce::CE002),
    decision(&ce::CE003),
    decision(&ce::CE004),
    decision(&ce::CE005),
    decision(&ce::CE006),
    single(&ce::CE007, LIST, &[F::InsurerNo], ce::ce007),
];

/// Every rule, in catalogue order.
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    REGISTRY.iter().map(|e| e.rule)
}

/// The rule of a code (case and surrounding blanks ignored).
pub fn find(code: &str) -> Option<&'static Rule> {
    entry(code).map(|e| e.rule)
}

pub fn entry(code: &str) -> Option<&'static Entry> {
    REGISTRY
        .iter()
        .find(|e| e.rule.code.eq_ignore_ascii_case(code.trim()))
}

/// The single-source checks.
pub fn single_checks() -> impl Iterator<Item = (&'static Rule, &'static Single)> {
    REGISTRY.iter().filter_map(|e| match &e.runs {
        Runs::Single(s) => Some((e.rule, s)),
        _ => None,
    })
}

/// The cross-source checks.
pub fn cross_checks() -> impl Iterator<Item = (&'static Rule, &'static Cross)> {
    REGISTRY.iter().filter_map(|e| match &e.runs {
        Runs::Cross(c) => Some((e.rule, c)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
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
        let codes: Vec<_> = rules().map(|r| (r.code, r.severity)).collect();
        assert_eq!(codes, CATALOGUE.to_vec());
    }

    #[test]
    fn codes_and_names_are_unique() {
        let codes: BTreeSet<_> = rules().map(|r| r.code).collect();
        let names: BTreeSet<_> = rules().map(|r| r.name).collect();
        assert_eq!(codes.len(), REGISTRY.len());
        assert_eq!(names.len(), REGISTRY.len());
    }

    #[test]
    fn every_rule_has_a_kebab_case_name() {
        for r in rules() {
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}: kebab-case name",
                r.code
            );
        }
    }

    /// Whether a text is written in Japanese: it holds kana (a Japanese text made of kanji and
    /// Latin letters alone would be a term list, not a sentence).
    fn has_kana(text: &str) -> bool {
        text.chars()
            .any(|c| matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A1}'..='\u{30FF}'))
    }

    #[test]
    fn every_rule_is_documented_in_both_languages_with_the_four_sections() {
        use crate::finding::EXPLAIN_SECTIONS;
        use crate::i18n::Lang;
        for r in rules() {
            for lang in [Lang::Ja, Lang::En] {
                for (what, text) in [
                    ("summary", r.summary),
                    ("help", r.help),
                    ("explain", r.explain),
                ] {
                    let t = text.get_in(lang);
                    assert!(
                        !t.trim().is_empty(),
                        "{} {what} ({lang:?}) is empty",
                        r.code
                    );
                    if lang == Lang::Ja {
                        assert!(has_kana(t), "{} {what} (ja) is not Japanese: {t}", r.code);
                    }
                }
                // The sections, in order, each at the start of a line.
                let page = r.explain.get_in(lang);
                let mut from = 0;
                for section in EXPLAIN_SECTIONS {
                    let heading = format!("{}\n", section.get_in(lang));
                    let at = page[from..]
                        .find(&heading)
                        .filter(|&i| i == 0 && from == 0 || page[..from + i].ends_with('\n'));
                    let Some(at) = at else {
                        panic!(
                            "{} ({lang:?}) lacks {} after byte {from}",
                            r.code,
                            heading.trim()
                        );
                    };
                    from += at + heading.len();
                }
            }
        }
    }

    #[test]
    fn raised_elsewhere_means_the_reader_or_the_decisions() {
        // Rules without a check function of their own: raised by the reader for a cell or a
        // file, or by reconcile's decisions. Any other rule must have its function.
        let elsewhere: Vec<&str> = REGISTRY
            .iter()
            .filter(|e| matches!(e.runs, Runs::Reader | Runs::Decision))
            .map(|e| e.rule.code)
            .collect();
        assert_eq!(
            elsewhere,
            [
                "IN001", "IN002", "IN003", "IN005", "IN007", "IN008", "CE001", "CE002", "CE003",
                "CE004", "CE005", "CE006"
            ]
        );
    }

    #[test]
    fn find_is_case_insensitive() {
        assert_eq!(find("mn001").map(|r| r.code), Some("MN001"));
        assert!(find("XX999").is_none());
    }
}
