//! CE001–CE007: 資格確認書 (eligibility certificates, SPEC §4.6, seeds 000, 001, 003).
//! CE001–CE006 are raised by the decisions in `reconcile.rs`; CE007 reads the list alone.

use super::Ctx;
use crate::domain::insurer_no;
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Anchor, Finding, Rule, Severity};
use crate::i18n::Tr;
use crate::prepare::{Input, cols, unreadable};
use polars::prelude::*;

pub static CE001: Rule = Rule {
    code: "CE001",
    name: "listed-not-in-fund",
    severity: Severity::Error,
    summary: Tr::new("", "national list names someone not in the fund"),
    help: Tr::new(
        "",
        "The national system lists a key the fund does not have: check the key, or whether the member's 資格取得 was registered nationally by mistake.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nLooks up every usable row of the 職権交付対象者リスト in the fund. A key the fund does not have is reported, anchored on the list's row, and no certificate is issued. Not raised when the registry shows the person registered for マイナ保険証 (a listed person who is registered gets nothing).\n\n## Why it matters\nThe national system and the fund disagree about who is a member; a certificate cannot be issued for someone the fund has no record of, and the national record may be wrong.\n\n## Example\nList row `1001-99-00`; the fund has no such key.\n\n## How to fix\nCheck the key against the 資格取得届; correct the fund or ask for the national record to be corrected.",
    ),
};

pub static CE002: Rule = Rule {
    code: "CE002",
    name: "listed-not-active",
    severity: Severity::Info,
    summary: Tr::new("", "national list names someone not active: not issued"),
    help: Tr::new(
        "",
        "The member lost eligibility before D: no certificate is issued. Nothing to do unless the 資格喪失 is wrong.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nA person on the 職権交付対象者リスト who is in the fund but not active on D (資格喪失日 on or before D, or 資格取得日 after D) is reported for information and not issued a certificate. Not raised when the person is registered for マイナ保険証 or holds a certificate valid beyond the renewal window.\n\n## Why it matters\nThe national list is built before the fund's latest changes arrive; issuing to a former member would hand out a certificate that must immediately be returned.\n\n## Example\nListed on 2026-11-01, 資格喪失日 2026-10-16.\n\n## How to fix\nNothing, if the loss is right.",
    ),
};

pub static CE003: Rule = Rule {
    code: "CE003",
    name: "certificate-held-while-registered",
    severity: Severity::Warning,
    summary: Tr::new(
        "",
        "certificate valid on D held by a マイナ保険証-registered member: return",
    ),
    help: Tr::new(
        "",
        "Ask the member to return the 資格確認書 (マイナ保険証登録), unless one of seed 000's exceptions applies.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nReports an active member registered for マイナ保険証 (from the national registry when it has the key, else the fund) who holds a 資格確認書 valid on D; the member is put on `returns.csv` with 返納事由 マイナ保険証登録.\n\n## Why it matters\n資格確認書 is issued to people who cannot use マイナ保険証 and is not held together with it (seed 001: 「マイナ保険証」と「資格確認書」を併用することはできません; seed 001 §3: 利用登録が完了した際は返納).\n\n## Exceptions (seed 000) — judge case by case\nSeed 000 lists people who may keep a certificate although they have a card: members who need a third person's help (介助者など) to use マイナ保険証, and members whose card's electronic certificate has expired (電子証明書の有効期限が切れている方), whose card is lost or damaged (紛失・き損), or is being renewed (更新中). Staff decide these from the member's circumstances; shikaku cannot see them.\n\n## Example\nRegistered in the registry, 資格確認書有効期限 2029-12-01, D = 2026-11-01.\n\n## How to fix\nRequest the return; record the expiry as the return date once it is back.",
    ),
};

pub static CE004: Rule = Rule {
    code: "CE004",
    name: "certificate-held-after-loss",
    severity: Severity::Error,
    summary: Tr::new(
        "",
        "certificate valid on D held after loss of membership: return",
    ),
    help: Tr::new(
        "",
        "The member is no longer covered: recover the 資格確認書 through the employer (任意継続: directly).",
    ),
    explain: Tr::new(
        "",
        "## What it does\nReports a fund row that is not active on D (資格喪失) but holds a 資格確認書 valid on D; the member is put on `returns.csv` with 返納事由 資格喪失, which takes precedence over マイナ保険証登録.\n\n## Why it matters\nA certificate held after loss of membership can still be shown at a clinic: the fund pays for care the person is no longer entitled to (seed 000: 退職等により資格を喪失したとき…５日以内に資格確認書を事業主に提出; seed 003: 有効期限内に資格喪失の際、要返納).\n\n## Example\n資格喪失日 2026-10-01, 資格確認書有効期限 2030-11-30.\n\n## How to fix\nRecover the certificate through the employer (任意継続被保険者: directly to the fund).",
    ),
};

pub static CE005: Rule = Rule {
    code: "CE005",
    name: "certificate-renewal",
    severity: Severity::Info,
    summary: Tr::new(
        "",
        "certificate expires within the renewal window: renewal issued",
    ),
    help: Tr::new(
        "",
        "A new 資格確認書 is issued (更新) before the old one expires.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nFor an active member not registered for マイナ保険証 whose certificate expires within `renewal_window_days` (default 60) of D — D ≤ 有効期限 ≤ D + window — issues a renewal (交付事由 更新) unless 職権 or 申請 applies first.\n\n## Why it matters\nA member whose certificate lapses without a successor is turned away at the clinic.\n\n## Example\n有効期限 2026-12-15, D = 2026-11-01, window 60 days.\n\n## How to fix\nNothing: the renewal is on `certificates.csv`.",
    ),
};

pub static CE006: Rule = Rule {
    code: "CE006",
    name: "coverage-gap",
    severity: Severity::Error,
    summary: Tr::new(
        "",
        "active, unregistered, no valid certificate, and not being issued one (not on the national list, not requested by the employer): coverage gap",
    ),
    help: Tr::new(
        "",
        "This member can use neither マイナ保険証 nor a certificate: issue a 資格確認書 (or confirm their registration).",
    ),
    explain: Tr::new(
        "",
        "## What it does\nReports an active member who is not registered for マイナ保険証, holds no certificate valid on D, is not on the national list and has no employer request (資格確認書発行要否 = 1).\n\n## Why it matters\nThis member has nothing to show at a clinic. The national list should have named them; often the registration status is stale in one system.\n\n## Example\nA dependent added last month, no マイナンバーカード, not yet on the national list.\n\n## How to fix\nIssue a 資格確認書 on application (申請), or confirm the member's マイナ保険証 registration and correct the data.",
    ),
};

pub static CE007: Rule = Rule {
    code: "CE007",
    name: "wrong-insurer-number",
    severity: Severity::Error,
    summary: Tr::new(
        "",
        "national list's 保険者番号 is not this fund's, or fails its check digit",
    ),
    help: Tr::new(
        "",
        "The row belongs to another insurer (or the number is corrupt): do not issue from it; report it to the national system.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nChecks the 保険者番号 of every row of the 職権交付対象者リスト: 8 digits, a valid check digit (weights 2,1,2,1… from the right over the first 7 digits, digit sum of the products, (10 − sum mod 10) mod 10), and equal to `[fund] insurer_no` in `rules/companies.toml` when that is configured.\n\n## Why it matters\nA row for another insurer's member, issued by this fund, would put a certificate in the wrong person's hands.\n\n## Example\n`06130012` (check digit should be 2), or `33120015` (valid, another insurer's).\n\n## How to fix\nSet aside the row and report it; check that the right list file was used.",
    ),
};

/// Why a national-list row's 保険者番号 does not make it this fund's row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Foreign {
    /// Not 8 digits with a valid check digit.
    Invalid,
    /// A valid number, another insurer's.
    Other,
    /// The cell could not be read (IN001/IN005 says so): it cannot be confirmed as ours.
    Unreadable,
}

/// The national-list rows whose 保険者番号 is not this fund's (CE007) or cannot be read. They
/// take part in no decision (SPEC §5): `reconcile` issues nothing from them.
pub fn foreign_rows(ctx: &Ctx, list: &Input) -> Result<Vec<(u32, Foreign)>> {
    if !list.has(Field::InsurerNo) {
        return Ok(Vec::new());
    }
    let ours = ctx.config.companies.insurer_no.as_deref();
    let df = list
        .df
        .clone()
        .lazy()
        .filter(
            col("insurer_no")
                .is_not_null()
                .or(unreadable(Field::InsurerNo)),
        )
        .select([col(cols::IDX), col("insurer_no")])
        .collect()?;
    let values = super::strs(&df, "insurer_no")?;
    Ok(super::idxs(&df)?
        .into_iter()
        .enumerate()
        .filter_map(|(i, row)| {
            let why = match values.get(i) {
                None => Foreign::Unreadable,
                Some(v) if !insurer_no::is_valid(v) => Foreign::Invalid,
                Some(v) if ours.is_some_and(|o| o != v) => Foreign::Other,
                Some(_) => return None,
            };
            Some((row, why))
        })
        .collect())
}

/// CE007: the list's 保険者番号. (An unreadable one is reported as such, IN001/IN005.)
pub fn ce007(ctx: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let ours = ctx
        .config
        .companies
        .insurer_no
        .as_deref()
        .unwrap_or_default();
    let mut out = Vec::new();
    for (row, why) in foreign_rows(ctx, input)? {
        let v = input.source.cell(row, Field::InsurerNo).unwrap_or_default();
        let message = match why {
            Foreign::Invalid => {
                format!("保険者番号 「{v}」 is not 8 digits with a valid check digit")
            }
            Foreign::Other => format!("保険者番号 {v} is not this fund's ({ours})"),
            Foreign::Unreadable => continue,
        };
        out.push(Finding::new(
            &CE007,
            Anchor::cell(input.id, row, Field::InsurerNo),
            message,
        ));
    }
    Ok(out)
}
