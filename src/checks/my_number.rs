//! MN001–MN006: 個人番号 (My Number). A full My Number is 特定個人情報: no message here ever
//! holds more than its last 4 digits.

use super::Ctx;
use super::cross::{Pair, f, mn_comparable, o};
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Anchor, Finding, Rule, Severity};
use crate::i18n::Tr;
use crate::prepare::household::hcols;
use crate::prepare::{Input, MnState, cols};
use polars::prelude::*;
use std::collections::HashMap;

pub static MN001: Rule = Rule {
    code: "MN001",
    name: "my-number-differs-from-registry",
    severity: Severity::Error,
    summary: Tr::new("", "My Number last 4 differ: fund vs national registry"),
    help: Tr::new(
        "",
        "The fund and the national system hold different My Numbers for this member: confirm the number with the member and correct the fund, then re-register it nationally.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nCompares the last 4 digits of 個人番号 in the fund with the last 4 the national registry holds for the same key, when both are present and well-formed.\n\n## Why it matters\nThe eligibility notice prints the last 4 digits so members can check them (seed 002, seed 004 1-2). A mismatch means someone else's My Number may be linked to this member: their medical information could be shown to the wrong person, and マイナ保険証 will not work.\n\n## Example\nFund `********1234`, registry `5678`.\n\n## How to fix\nConfirm the number with the member (from their card or 通知カード), correct the fund's record, and have it re-registered with the national system.",
    ),
};

pub static MN002: Rule = Rule {
    code: "MN002",
    name: "my-number-differs-from-employer",
    severity: Severity::Error,
    summary: Tr::new("", "My Number last 4 differ: fund vs employer"),
    help: Tr::new(
        "",
        "The employer reported a different My Number: find out which is right before the notice is mailed.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nCompares the last 4 digits of 個人番号 in the fund and in the employer's file for the same key, when both are present and well-formed. Only the last 4 digits are compared and shown.\n\n## Why it matters\nThe fund registers My Numbers from the employers' 資格取得届; a mismatch means one of them was mistyped, and the notice would print digits the member does not recognise.\n\n## Example\nFund `…1234`, employer `…1243` (two digits swapped).\n\n## How to fix\nAsk the employer to confirm the number with the employee, and correct the wrong record.",
    ),
};

pub static MN003: Rule = Rule {
    code: "MN003",
    name: "my-number-check-digit",
    severity: Severity::Error,
    summary: Tr::new("", "12-digit My Number fails its check digit"),
    help: Tr::new(
        "",
        "A digit was mistyped: obtain the number again from the member's card.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nValidates the 12th digit of a 12-digit 個人番号: with P(n) the nth of the first 11 digits counted from the right and Q(n) = n+1 for n ≤ 6, n−5 for n ≥ 7, r = Σ P(n)·Q(n) mod 11, the check digit is 0 if r ≤ 1, else 11 − r.\n\n## Why it matters\nA number that fails is certainly wrong; it cannot be registered nationally, and the letter for this member is blocked rather than print wrong digits.\n\n## Example\n`123456789010` fails (the check digit should be 8).\n\n## How to fix\nRe-enter the number from the member's My Number card or 通知カード.",
    ),
};

pub static MN004: Rule = Rule {
    code: "MN004",
    name: "my-number-malformed",
    severity: Severity::Error,
    summary: Tr::new(
        "",
        "My Number malformed (not 4 or 12 digits; exponent text from Excel)",
    ),
    help: Tr::new(
        "",
        "Re-export with the 個人番号 column formatted as text: exponent text like 1.23457E+11 has lost digits and cannot be recovered.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nAccepts 個人番号 as 12 digits or as the last 4 digits (after NFKC normalization). Anything else is malformed — above all the exponent form `1.23457E+11` that Excel writes into a CSV when the column was a number: six digits are gone. shikaku never guesses them.\n\n## Why it matters\nA malformed number cannot be compared or printed; the letter for this member is blocked.\n\n## Example\n`1.23457E+11`, `12345678901` (11 digits), `1234-5678-9012`.\n\n## How to fix\nIn the source workbook, format the column as text and re-export; or re-enter the number.",
    ),
};

pub static MN005: Rule = Rule {
    code: "MN005",
    name: "my-number-not-registered",
    severity: Severity::Warning,
    summary: Tr::new(
        "",
        "active member with no My Number registered on or before D (the notice carries no last 4)",
    ),
    help: Tr::new(
        "",
        "Obtain the member's My Number through the employer and register it; until then the notice prints no last 4 digits.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nFor every fund member active on D, checks that a 個人番号 is present and that 個人番号登録日 is on or before D.\n\n## Why it matters\n資格情報のお知らせ prints the last 4 digits only when the fund had registered the number by the base date (seed 004 5-1, 5-6). Without it the member's マイナ保険証 cannot be linked, and the member will need a 資格確認書.\n\n## Example\nA dependent added in August 2024 whose number was registered on 2024-09-05: the 2024-08-31 notice carries no last 4.\n\n## How to fix\nCollect the number (the employer's 被扶養者異動届), register it, and record 個人番号登録日.",
    ),
};

pub static MN006: Rule = Rule {
    code: "MN006",
    name: "my-number-shared",
    severity: Severity::Error,
    summary: Tr::new("", "two members share one 12-digit My Number"),
    help: Tr::new(
        "",
        "A My Number belongs to one person: find which member it really belongs to and correct the other.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nFinds 12-digit 個人番号 values (passing the check digit) recorded for more than one member key in the same file, and reports every such row with the other keys. Only the last 4 digits are shown.\n\n## Why it matters\nTwo members linked to one number means one of them will see the other's medical and eligibility information, or neither can use マイナ保険証.\n\n## Example\nA spouse's number entered on the insured person's row as well.\n\n## How to fix\nConfirm each member's number and correct the wrong row.",
    ),
};

/// MN003: 12 digits failing the check digit.
pub fn mn003(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let hits = super::select_where(
        &input.df,
        col(cols::MN_KIND).eq(MnState::BadCheckDigit.lit()),
        &[cols::MN_LAST4],
    )?;
    let last4 = super::strs(&hits, cols::MN_LAST4)?;
    Ok(super::idxs(&hits)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            Finding::new(
                &MN003,
                Anchor::cell(input.id, row, Field::MyNumber),
                format!(
                    "個人番号 (下4桁 {}) fails its check digit",
                    last4.get(i).unwrap_or("????")
                ),
            )
        })
        .collect())
}

/// MN004: not 4 or 12 digits.
pub fn mn004(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let hits = super::select_where(
        &input.df,
        col(cols::MN_KIND)
            .eq(MnState::Mangled.lit())
            .or(col(cols::MN_KIND).eq(MnState::Malformed.lit())),
        &[cols::MN_KIND],
    )?;
    let kinds = hits.column(cols::MN_KIND)?.u8()?;
    Ok(super::idxs(&hits)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let message = if kinds.get(i) == Some(MnState::Mangled as u8) {
                // The exponent text itself holds at most 6 significant digits: still, say only what it is.
                "個人番号 is exponent or decimal text from Excel (like 1.23457E+11): digits are lost and cannot be recovered"
            } else {
                "個人番号 is neither 12 digits nor the last 4 digits"
            };
            Finding::new(&MN004, Anchor::cell(input.id, row, Field::MyNumber), message)
        })
        .collect())
}

/// MN005: active fund member without a My Number registered on or before D.
pub fn mn005(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let reg = col("my_number_registered_on");
    let registered_by_d = reg.clone().is_not_null().and(reg.lt_eq(col(hcols::D)));
    let pred = col(hcols::ACTIVE).and(
        col(cols::MN_KIND)
            .eq(MnState::Absent.lit())
            .or(registered_by_d.not()),
    );
    let hits = super::select_where(&input.df, pred, &[cols::MN_KIND, hcols::D])?;
    let kinds = hits.column(cols::MN_KIND)?.u8()?;
    let ds = hits.column(hcols::D)?.date()?.physical().clone();
    Ok(super::idxs(&hits)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let d = ds.get(i).and_then(crate::prepare::from_days).map(|d| d.to_string()).unwrap_or_default();
            let (field, message) = if kinds.get(i) == Some(MnState::Absent as u8) {
                (Field::MyNumber, format!("no 個人番号 is recorded for this active member (D = {d}): the notice carries no last 4"))
            } else {
                (
                    Field::MyNumberRegisteredOn,
                    format!("個人番号 not registered on or before D = {d} (個人番号登録日 {}): the notice carries no last 4", super::shown(input.source.cell(row, Field::MyNumberRegisteredOn))),
                )
            };
            Finding::new(&MN005, Anchor::cell(input.id, row, field), message)
        })
        .collect())
}

/// How many of the other keys one MN006 message names; the rest are counted. Thousands of
/// rows can share one number (a placeholder typed into every row): naming every other key on
/// every row made the output quadratic (20,000 rows, a 5.8 GB findings.json).
const MN006_NAMED: usize = 5;

/// Member keys in the order staff read them: by 記号, then 番号 as a number (keys carry it
/// without leading zeros, so shorter is smaller), then 枝番.
fn key_order(key: &str) -> (&str, usize, &str, &str) {
    let mut parts = key.rsplitn(3, '-');
    let (branch, number) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    (parts.next().unwrap_or(""), number.len(), number, branch)
}

/// MN006: one valid 12-digit number on more than one member key. One finding per row, naming
/// at most [`MN006_NAMED`] of the other keys (the lowest) and the count of the rest.
pub fn mn006(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let shared = col(cols::MN_FP)
        .is_not_null()
        .and(col(cols::MN_KIND).eq(MnState::Valid.lit()))
        .and(col(cols::KEY).is_not_null())
        .and(
            col(cols::KEY)
                .n_unique()
                .over([col(cols::MN_FP)])?
                .gt(lit(1)),
        );
    let hits = super::select_where(&input.df, shared, &[cols::MN_FP, cols::KEY, cols::MN_LAST4])?;
    let fps = hits.column(cols::MN_FP)?.u64()?;
    let keys = super::strs(&hits, cols::KEY)?;
    let last4 = super::strs(&hits, cols::MN_LAST4)?;
    // Each number's keys, sorted and distinct.
    let mut groups: HashMap<u64, Vec<&str>> = HashMap::new();
    for (fp, k) in fps.iter().zip(keys.iter()) {
        if let (Some(fp), Some(k)) = (fp, k) {
            groups.entry(fp).or_default().push(k);
        }
    }
    for ks in groups.values_mut() {
        ks.sort_unstable_by_key(|k| key_order(k));
        ks.dedup();
    }
    Ok(super::idxs(&hits)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let me = keys.get(i).unwrap_or("");
            let group = fps.get(i).and_then(|fp| groups.get(&fp));
            let group = group.map_or(&[][..], Vec::as_slice);
            let named: Vec<&str> = group
                .iter()
                .copied()
                .filter(|k| *k != me)
                .take(MN006_NAMED)
                .collect();
            let rest = group.len().saturating_sub(named.len() + 1);
            let l4 = last4.get(i).unwrap_or("????");
            let list = named.join(", ");
            let message = if rest == 0 {
                crate::tr!(
                    "同じ個人番号（下4桁 {l4}）が {list} にも記録されています",
                    "the same 個人番号 (下4桁 {l4}) is recorded for {list}"
                )
            } else {
                crate::tr!(
                    "同じ個人番号（下4桁 {l4}）が {list} ほか{rest}件にも記録されています",
                    "the same 個人番号 (下4桁 {l4}) is recorded for {list} and {rest} more"
                )
            };
            Finding::new(
                &MN006,
                Anchor::cell(input.id, row, Field::MyNumber),
                message,
            )
        })
        .collect())
}

fn last4_differs(pair: &Pair, rule: &'static Rule) -> Result<Vec<Finding>> {
    let pred = mn_comparable(f)
        .and(mn_comparable(o))
        .and(col(f(cols::MN_LAST4)).neq(col(o(cols::MN_LAST4))));
    let (hits, df) = pair.hits(pred, &[&f(cols::MN_LAST4), &o(cols::MN_LAST4)])?;
    let a = super::strs(&df, &f(cols::MN_LAST4))?;
    let b = super::strs(&df, &o(cols::MN_LAST4))?;
    Ok(hits
        .into_iter()
        .enumerate()
        .map(|(i, hit)| {
            let (x, y) = (a.get(i).unwrap_or("????"), b.get(i).unwrap_or("????"));
            pair.finding(
                rule,
                hit,
                Field::MyNumber,
                format!("個人番号 下4桁 differ: fund {x}, {} {y}", pair.kind),
                format!("{} has 下4桁 {y}", pair.kind),
            )
        })
        .collect())
}

pub fn mn001(_: &Ctx, pair: &Pair) -> Result<Vec<Finding>> {
    last4_differs(pair, &MN001)
}

pub fn mn002(_: &Ctx, pair: &Pair) -> Result<Vec<Finding>> {
    last4_differs(pair, &MN002)
}
