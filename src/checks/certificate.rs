//! CE001–CE007: 資格確認書 (eligibility certificates, SPEC §4.6, seeds 000, 001, 003).
//! CE001–CE006 are raised by the decisions in `reconcile.rs`; CE007 reads the list alone.

use super::Ctx;
use crate::domain::insurer_no;
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Anchor, Finding, Rule, Severity};
use crate::i18n::Tr;
use crate::prepare::{Col, Input, c, unreadable};
use polars::prelude::*;

pub static CE001: Rule = Rule {
    code: "CE001",
    name: "listed-not-in-fund",
    severity: Severity::Error,
    summary: Tr::new(
        "職権交付対象者リストに、組合の加入者でない方が載っている",
        "national list names someone not in the fund",
    ),
    help: Tr::new(
        "国のリストに、組合にない記号・番号・枝番があります。記号・番号・枝番を確認し、資格取得が誤って国に登録されていないか確かめてください。",
        "The national system lists a key the fund does not have: check the key, or whether the member's 資格取得 was registered nationally by mistake.",
    ),
    explain: Tr::new(
        "## 確認する内容\n職権交付対象者リストの各行（除外された行を除く）を、組合の加入者台帳から探します。組合にない記号・番号・枝番は、リストの行を示して報告し、資格確認書は交付しません。国の登録情報でマイナ保険証の利用登録が済んでいる方は報告しません（リストに載っていても、利用登録済みの方には何も交付しません）。\n\n## 確認する理由\n国のシステムと組合とで、誰が加入者かが食い違っています。組合に記録のない方に資格確認書は交付できません。国の記録が誤っている可能性もあります。\n\n## 例\nリストの行 `1001-99-00`。組合にこの記号・番号・枝番がない。\n\n## 対処方法\n資格取得届と照らして記号・番号・枝番を確認し、組合の記録を正すか、国の記録の訂正を依頼してください。",
        "## What it does\nLooks up every usable row of the 職権交付対象者リスト in the fund. A key the fund does not have is reported, anchored on the list's row, and no certificate is issued. Not raised when the registry shows the person registered for マイナ保険証 (a listed person who is registered gets nothing).\n\n## Why it matters\nThe national system and the fund disagree about who is a member; a certificate cannot be issued for someone the fund has no record of, and the national record may be wrong.\n\n## Example\nList row `1001-99-00`; the fund has no such key.\n\n## How to fix\nCheck the key against the 資格取得届; correct the fund or ask for the national record to be corrected.",
    ),
};

pub static CE002: Rule = Rule {
    code: "CE002",
    name: "listed-not-active",
    severity: Severity::Info,
    summary: Tr::new(
        "職権交付対象者リストに、資格のない方が載っている：交付しない",
        "national list names someone not active: not issued",
    ),
    help: Tr::new(
        "この方は基準日に資格がないため、資格確認書は交付しません。資格喪失が誤りでなければ、対応は不要です。",
        "The member lost eligibility before D: no certificate is issued. Nothing to do unless the 資格喪失 is wrong.",
    ),
    explain: Tr::new(
        "## 確認する内容\n職権交付対象者リストに載っていて、組合の加入者台帳にもあるものの、基準日に資格のない方（資格喪失日が基準日以前、または資格取得日が基準日より後）を情報として報告し、資格確認書は交付しません。マイナ保険証の利用登録が済んでいる方と、更新期間より先まで有効な資格確認書をお持ちの方は報告しません。\n\n## 確認する理由\nリストは、組合の最新の異動が反映される前に作られます。資格を喪失した方に交付すると、すぐに返納していただくことになります。\n\n## 例\n2026-11-01 のリストに載っているが、資格喪失日が 2026-10-16。\n\n## 対処方法\n資格喪失が正しければ、対応は不要です。",
        "## What it does\nA person on the 職権交付対象者リスト who is in the fund but not active on D (資格喪失日 on or before D, or 資格取得日 after D) is reported for information and not issued a certificate. Not raised when the person is registered for マイナ保険証 or holds a certificate valid beyond the renewal window.\n\n## Why it matters\nThe national list is built before the fund's latest changes arrive; issuing to a former member would hand out a certificate that must immediately be returned.\n\n## Example\nListed on 2026-11-01, 資格喪失日 2026-10-16.\n\n## How to fix\nNothing, if the loss is right.",
    ),
};

pub static CE003: Rule = Rule {
    code: "CE003",
    name: "certificate-held-while-registered",
    severity: Severity::Warning,
    summary: Tr::new(
        "マイナ保険証の利用登録済みの方が、基準日に有効な資格確認書を持っている：返納",
        "certificate valid on D held by a マイナ保険証-registered member: return",
    ),
    help: Tr::new(
        "資格確認書の返納を依頼してください（返納事由 マイナ保険証登録）。ただし、例外に当たる方（shikaku explain CE003）は個別に判断してください。",
        "Ask the member to return the 資格確認書 (マイナ保険証登録), unless one of seed 000's exceptions applies.",
    ),
    explain: Tr::new(
        "## 確認する内容\nマイナ保険証の利用登録が済んでいる（国の登録情報にその記号・番号・枝番があればそれにより、なければ組合の加入者台帳により判断します）資格のある方が、基準日に有効な資格確認書を持っている場合に報告し、返納事由「マイナ保険証登録」で `returns.csv` に載せます。\n\n## 確認する理由\n資格確認書は、マイナ保険証を使えない方に交付するものです。マイナ保険証と資格確認書を併用することはできず、マイナ保険証の利用登録が完了したときは返納していただきます。\n\n## 例外（個別に判断してください）\nマイナンバーカードをお持ちでも、資格確認書をお持ちいただいてよい方がいます：マイナ保険証による受診に第三者（介助者など）のサポートが必要な方、マイナンバーカードの電子証明書の有効期限が切れている方、マイナンバーカードを紛失・き損した方、マイナンバーカードの更新中の方。これはご本人の状況によるもので、shikaku のデータからは分かりません。職員がご事情を確認して判断してください。\n\n## 例\n国の登録情報で利用登録済み、資格確認書有効期限 2029-12-01、基準日 2026-11-01。\n\n## 対処方法\n返納を依頼してください。返納を受けたら、資格確認書有効期限を返納日に更新してください。",
        "## What it does\nReports an active member registered for マイナ保険証 (from the national registry when it has the key, else the fund) who holds a 資格確認書 valid on D; the member is put on `returns.csv` with 返納事由 マイナ保険証登録.\n\n## Why it matters\n資格確認書 is issued to people who cannot use マイナ保険証 and is not held together with it (seed 001: 「マイナ保険証」と「資格確認書」を併用することはできません; seed 001 §3: 利用登録が完了した際は返納).\n\n## Exceptions (seed 000) — judge case by case\nSeed 000 lists people who may keep a certificate although they have a card: members who need a third person's help (介助者など) to use マイナ保険証, and members whose card's electronic certificate has expired (電子証明書の有効期限が切れている方), whose card is lost or damaged (紛失・き損), or is being renewed (更新中). Staff decide these from the member's circumstances; shikaku cannot see them.\n\n## Example\nRegistered in the registry, 資格確認書有効期限 2029-12-01, D = 2026-11-01.\n\n## How to fix\nRequest the return; record the expiry as the return date once it is back.",
    ),
};

pub static CE004: Rule = Rule {
    code: "CE004",
    name: "certificate-held-after-loss",
    severity: Severity::Error,
    summary: Tr::new(
        "資格喪失後も、基準日に有効な資格確認書を持っている：返納",
        "certificate valid on D held after loss of membership: return",
    ),
    help: Tr::new(
        "この方は資格を喪失しています。事業主を経由して資格確認書を回収してください（任意継続被保険者は組合に直接返納）。",
        "The member is no longer covered: recover the 資格確認書 through the employer (任意継続: directly).",
    ),
    explain: Tr::new(
        "## 確認する内容\n基準日に資格のない（資格を喪失した）組合の行で、基準日に有効な資格確認書を持っている方を報告し、返納事由「資格喪失」で `returns.csv` に載せます。資格喪失は「マイナ保険証登録」より優先します。\n\n## 確認する理由\n資格喪失後も、資格確認書は医療機関の窓口で提示できてしまい、資格のない方の医療費を組合が負担することになります。退職等により資格を喪失したときは、5日以内に資格確認書を事業主に提出していただくことになっています（有効期限内に資格を喪失した場合は返納が必要です）。\n\n## 例\n資格喪失日 2026-10-01、資格確認書有効期限 2030-11-30。\n\n## 対処方法\n事業主を経由して資格確認書を回収してください（任意継続被保険者は、組合に直接返納していただきます）。",
        "## What it does\nReports a fund row that is not active on D (資格喪失) but holds a 資格確認書 valid on D; the member is put on `returns.csv` with 返納事由 資格喪失, which takes precedence over マイナ保険証登録.\n\n## Why it matters\nA certificate held after loss of membership can still be shown at a clinic: the fund pays for care the person is no longer entitled to (seed 000: 退職等により資格を喪失したとき…５日以内に資格確認書を事業主に提出; seed 003: 有効期限内に資格喪失の際、要返納).\n\n## Example\n資格喪失日 2026-10-01, 資格確認書有効期限 2030-11-30.\n\n## How to fix\nRecover the certificate through the employer (任意継続被保険者: directly to the fund).",
    ),
};

pub static CE005: Rule = Rule {
    code: "CE005",
    name: "certificate-renewal",
    severity: Severity::Info,
    summary: Tr::new(
        "資格確認書の有効期限が更新期間内：更新分を交付",
        "certificate expires within the renewal window: renewal issued",
    ),
    help: Tr::new(
        "有効期限が切れる前に、新しい資格確認書を交付します（交付事由 更新）。",
        "A new 資格確認書 is issued (更新) before the old one expires.",
    ),
    explain: Tr::new(
        "## 確認する内容\nマイナ保険証の利用登録をしていない資格のある方で、資格確認書の有効期限が基準日から `renewal_window_days`（既定は60日）以内 — 基準日 ≤ 有効期限 ≤ 基準日＋日数 — の場合、職権・申請に当たらなければ、更新分を交付します（交付事由「更新」）。\n\n## 確認する理由\n次の資格確認書がないまま有効期限が切れると、医療機関の窓口で資格を確認できません。\n\n## 例\n有効期限 2026-12-15、基準日 2026-11-01、更新期間60日。\n\n## 対処方法\n対応は不要です。更新分は `certificates.csv` に載っています。",
        "## What it does\nFor an active member not registered for マイナ保険証 whose certificate expires within `renewal_window_days` (default 60) of D — D ≤ 有効期限 ≤ D + window — issues a renewal (交付事由 更新) unless 職権 or 申請 applies first.\n\n## Why it matters\nA member whose certificate lapses without a successor is turned away at the clinic.\n\n## Example\n有効期限 2026-12-15, D = 2026-11-01, window 60 days.\n\n## How to fix\nNothing: the renewal is on `certificates.csv`.",
    ),
};

pub static CE006: Rule = Rule {
    code: "CE006",
    name: "coverage-gap",
    severity: Severity::Error,
    summary: Tr::new(
        "資格があり、利用登録がなく、有効な資格確認書もなく、交付の予定もない（職権交付対象者リストにも事業主の申請にもない）：資格を確認する手段がない",
        "active, unregistered, no valid certificate, and not being issued one (not on the national list, not requested by the employer): coverage gap",
    ),
    help: Tr::new(
        "この方はマイナ保険証も資格確認書も使えません。資格確認書を交付するか、利用登録の状況を確認してください。",
        "This member can use neither マイナ保険証 nor a certificate: issue a 資格確認書 (or confirm their registration).",
    ),
    explain: Tr::new(
        "## 確認する内容\n資格があり、マイナ保険証の利用登録をしておらず、基準日に有効な資格確認書を持たず、職権交付対象者リストにも載っておらず、事業主からの申請（資格確認書発行要否 = 1）もない方を報告します。\n\n## 確認する理由\nこの方は、医療機関の窓口で提示できるものが何もありません。本来は職権交付対象者リストに載るはずの方で、多くはどちらかのシステムで利用登録の状況が古くなっています。\n\n## 例\n先月認定した被扶養者で、マイナンバーカードがなく、まだ職権交付対象者リストに載っていない。\n\n## 対処方法\n申請に基づいて資格確認書を交付するか、マイナ保険証の利用登録の状況を確認してデータを正してください。",
        "## What it does\nReports an active member who is not registered for マイナ保険証, holds no certificate valid on D, is not on the national list and has no employer request (資格確認書発行要否 = 1).\n\n## Why it matters\nThis member has nothing to show at a clinic. The national list should have named them; often the registration status is stale in one system.\n\n## Example\nA dependent added last month, no マイナンバーカード, not yet on the national list.\n\n## How to fix\nIssue a 資格確認書 on application (申請), or confirm the member's マイナ保険証 registration and correct the data.",
    ),
};

pub static CE007: Rule = Rule {
    code: "CE007",
    name: "wrong-insurer-number",
    severity: Severity::Error,
    summary: Tr::new(
        "職権交付対象者リストの保険者番号が当組合のものでない、または検証番号が合わない",
        "national list's 保険者番号 is not this fund's, or fails its check digit",
    ),
    help: Tr::new(
        "他の保険者の行か、番号が壊れています。この行からは交付せず、国のシステムに報告してください。",
        "The row belongs to another insurer (or the number is corrupt): do not issue from it; report it to the national system.",
    ),
    explain: Tr::new(
        "## 確認する内容\n職権交付対象者リストの各行の保険者番号を確認します：8桁であること、検証番号が正しいこと（先頭7桁に右から2,1,2,1…の重みを掛け、各積の各桁の和を求めて (10 − 和 mod 10) mod 10）、`rules/companies.toml` の `[fund] insurer_no` が設定されていればそれと一致すること。\n\n## 確認する理由\n他の保険者の加入者の行から当組合が交付すると、資格確認書が別の方の手に渡ります。\n\n## 例\n`06130012`（検証番号は 2 になるはず）、`33120015`（正しい番号だが他の保険者のもの）。\n\n## 対処方法\nこの行は判定に使いません（資格確認書を交付せず、CE001・CE002 も出しません）。行を報告し、正しいリストのファイルを使ったか確認してください。",
        "## What it does\nChecks the 保険者番号 of every row of the 職権交付対象者リスト: 8 digits, a valid check digit (weights 2,1,2,1… from the right over the first 7 digits, digit sum of the products, (10 − sum mod 10) mod 10), and equal to `[fund] insurer_no` in `rules/companies.toml` when that is configured.\n\n## Why it matters\nA row for another insurer's member, issued by this fund, would put a certificate in the wrong person's hands.\n\n## Example\n`06130012` (check digit should be 2), or `33120015` (valid, another insurer's).\n\n## How to fix\nThe row takes part in no decision (no certificate, no CE001 or CE002 from it). Report it, and check that the right list file was used.",
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
            c(Col::Value(Field::InsurerNo))
                .is_not_null()
                .or(unreadable(Field::InsurerNo)),
        )
        .select([c(Col::Idx), c(Col::Value(Field::InsurerNo))])
        .collect()?;
    let values = super::strs(&df, Col::Value(Field::InsurerNo).name())?;
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
            Foreign::Invalid => crate::tr!(
                "保険者番号「{v}」は、検証番号の正しい8桁の番号ではありません",
                "保険者番号 「{v}」 is not 8 digits with a valid check digit"
            ),
            Foreign::Other => crate::tr!(
                "保険者番号 {v} は当組合の番号（{ours}）ではありません",
                "保険者番号 {v} is not this fund's ({ours})"
            ),
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
