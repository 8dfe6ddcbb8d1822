//! SR001–SR004: 負担割合 of 高齢受給者 (SPEC §4.3). The law is `domain::share_ratio`; this file
//! only brings the household's insured person to each row and compares.

use super::cross::Pair;
use super::{Ctx, shown};
use crate::domain::elderly;
use crate::domain::share_ratio::{self, Insured, ShareRatio};
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Anchor, Finding, Rule, Severity};
use crate::i18n::Tr;
use crate::prepare::{Col, Input, Side, St, c};
use chrono::NaiveDate;
use polars::prelude::*;

pub static SR001: Rule = Rule {
    code: "SR001",
    name: "share-ratio-wrong",
    severity: Severity::Error,
    summary: Tr::new(
        "高齢受給者の負担割合が、制度上の割合と異なる",
        "高齢受給者's recorded 負担割合 differs from the one the rules give",
    ),
    help: Tr::new(
        "被保険者の標準報酬月額から負担割合を確認し（28万円以上は3割。基準収入額適用の場合を除きます）、お知らせに記載する前に正してください。",
        "Recompute 負担割合 from the insured person's 標準報酬月額 (3割 from 280,000 yen unless 基準収入額適用) and correct it before the notice prints it.",
    ),
    explain: Tr::new(
        "## 確認する内容\n基準日に資格があり、高齢受給者である方について、本来の負担割合を求めます。高齢受給者となるのは、70歳の誕生日の属する月の翌月（誕生日が月の初日の方はその月）の1日から、75歳の誕生日の前日までです。\n\n- 原則は2割です。\n- 世帯の被保険者が基準日に高齢受給者で、標準報酬月額が28万円以上、かつ基準収入額適用が1でない場合は3割です。このとき、被保険者と、高齢受給者であるすべての被扶養者が3割になります。\n- 被保険者が高齢受給者でない場合、高齢受給者である被扶養者は2割です。\n\n被扶養者について、世帯の被保険者の行がない、資格がない、除外されている、または生年月日や標準報酬月額が読めない場合は確認しません。被保険者本人の標準報酬月額が空欄または読めない場合も確認しません。\n\n## 確認する理由\n資格情報のお知らせには高齢受給者の負担割合を記載し、医療機関はその割合で窓口負担を求めます。誤っていると、受診のたびに多く、または少なく支払うことになります。送付を保留します。\n\n## 例\n72歳・標準報酬月額30万円の被保険者が2割で登録されている（正しくは3割）。65歳・標準報酬月額50万円の被保険者の被扶養者（72歳）が3割で登録されている（正しくは2割）。\n\n## 対処方法\n負担割合を正してください（誤りが標準報酬月額や基準収入額適用の側にある場合は、そちらを正してください）。",
        "## What it does\nFor every member who is 高齢受給者 on D (from the 1st of the month after reaching 70 — the birthday month itself for a birthday on the 1st — until the day before the 75th birthday) and active, computes the expected 負担割合: 2割, except 3割 when the household's insured person is 高齢受給者 on D, has 標準報酬月額 ≥ 280,000 and 基準収入額適用 is not 1; then the insured and every 高齢受給者 dependent are 3割. A 高齢受給者 dependent of an insured person who is not 高齢受給者 is 2割. Not raised for a dependent whose insured row is absent, inactive, rejected, or lacks a readable birth date or remuneration, nor for an insured person whose own remuneration is empty or unreadable.\n\n## Why it matters\nThe eligibility notice prints 負担割合 for 高齢受給者 (seed 004 7-1); clinics charge by it. A wrong ratio overcharges or undercharges the member at every visit. The letter is blocked.\n\n## Example\nInsured aged 72 on 300,000 yen recorded as 2割 (should be 3割); a 72-year-old dependent of a 65-year-old insured on 500,000 recorded as 3割 (should be 2割).\n\n## How to fix\nCorrect 負担割合 (or 標準報酬月額 / 基準収入額適用 if those are what is wrong).",
    ),
};

pub static SR002: Rule = Rule {
    code: "SR002",
    name: "share-ratio-missing",
    severity: Severity::Error,
    summary: Tr::new(
        "高齢受給者の負担割合が登録されていない",
        "高齢受給者 with no 負担割合 recorded",
    ),
    help: Tr::new(
        "お知らせを印刷する前に、この高齢受給者の負担割合（2 または 3）を登録してください。",
        "Record 負担割合 (2 or 3) for this 高齢受給者 before the notice is printed.",
    ),
    explain: Tr::new(
        "## 確認する内容\n基準日に資格があり高齢受給者である方で、負担割合が空欄の方を報告します。\n\n## 確認する理由\nお知らせには、基準日に高齢受給者であるすべての方の負担割合を記載します。空欄の場合は、負担割合の記載のないお知らせになるか、高齢受給者証が交付されていません。送付を保留します。\n\n## 例\n1954-08-01 生まれ、基準日 2024-08-31、負担割合が空欄。\n\n## 対処方法\n高齢受給者証を交付し、その負担割合を登録してください。",
        "## What it does\nReports an active member who is 高齢受給者 on D with an empty 負担割合.\n\n## Why it matters\nThe notice must print the ratio for every 高齢受給者 on the base date; an empty one means a letter without it, or a 高齢受給者証 that was never issued. The letter is blocked.\n\n## Example\nBorn 1954-08-01, base date 2024-08-31, 負担割合 empty.\n\n## How to fix\nIssue the 高齢受給者証 and record its 負担割合.",
    ),
};

pub static SR003: Rule = Rule {
    code: "SR003",
    name: "share-ratio-not-elderly",
    severity: Severity::Warning,
    summary: Tr::new(
        "基準日に高齢受給者でない方に、負担割合が登録されている",
        "負担割合 recorded for a member not 高齢受給者 on D",
    ),
    help: Tr::new(
        "組合のデータで負担割合を記録するのは高齢受給者だけです。値を消すか、生年月日を確認してください。",
        "Only 高齢受給者 carry a 負担割合 in the fund's data: clear it, or check the birth date.",
    ),
    explain: Tr::new(
        "## 確認する内容\n基準日に資格があり、高齢受給者でない（まだ対象となる月になっていない、またはすでに75歳）のに負担割合が登録されている方を、値によらず報告します。\n\n## 確認する理由\n組合の負担割合の項目は、高齢受給者だけに記録します。それ以外の方にある値は古いデータか生年月日の誤りで、お知らせには記載しません。\n\n## 例\n1954-08-02 生まれで負担割合 2、基準日 2024-08-31（高齢受給者となるのは 2024-09-01 から）。\n\n## 対処方法\n値を消すか、生年月日を正してください。",
        "## What it does\nReports an active member with a 負担割合 recorded who is not 高齢受給者 on D (under 70 in the month, or already 75), whatever the value.\n\n## Why it matters\nThe fund's 負担割合 field records 高齢受給者 only. A value on a younger member is stale data or a wrong birth date; the notice does not print it.\n\n## Example\nBorn 1954-08-02 with 負担割合 2 on base date 2024-08-31 (高齢受給者 only from 2024-09-01).\n\n## How to fix\nClear the value, or correct the birth date.",
    ),
};

pub static SR004: Rule = Rule {
    code: "SR004",
    name: "share-ratio-differs-registry",
    severity: Severity::Error,
    summary: Tr::new(
        "負担割合が異なる：組合と国の登録情報",
        "負担割合 differs: fund vs national registry",
    ),
    help: Tr::new(
        "医療機関には国のシステムの負担割合が表示されます。誤っている側を正し、登録し直してください。",
        "The national system shows a different 負担割合 to clinics: correct the wrong side and re-register.",
    ),
    explain: Tr::new(
        "## 確認する内容\n同じ記号・番号・枝番について、組合と国の登録情報の負担割合を、双方に記録がある場合に比べます。\n\n## 確認する理由\n医療機関は、マイナ保険証を通じて国のシステムから負担割合を読み取ります。組合の通知と医療機関の窓口負担が食い違います。\n\n## 例\n組合 3、国の登録情報 2。\n\n## 対処方法\n組合の記録を正すか、国のシステムの資格情報を登録し直してください。",
        "## What it does\nCompares 負担割合 between the fund and the national registry for the same key, when both are recorded.\n\n## Why it matters\nClinics read the ratio from the national system through マイナ保険証; the fund's letters and the clinic's bill disagree.\n\n## Example\nFund 3, registry 2.\n\n## How to fix\nCorrect the fund or re-register the qualification data nationally.",
    ),
};

const RATIO: Col = Col::Value(Field::ShareRatio);

/// Active members with a birth date, and whether each is 高齢受給者 on their D.
struct Candidates {
    df: DataFrame,
    elderly: Vec<bool>,
    births: Vec<Option<NaiveDate>>,
    ds: Vec<Option<NaiveDate>>,
}

fn candidates(input: &Input, extra: &[Col]) -> Result<Candidates> {
    let mut columns = vec![Col::Value(Field::BirthDate), Col::D, RATIO];
    columns.extend_from_slice(extra);
    let df = super::select_where(
        &input.df,
        c(Col::ActiveByDates).and(c(Col::Value(Field::BirthDate)).is_not_null()),
        &columns,
    )?;
    let births = super::dates(&df, Col::Value(Field::BirthDate).name())?;
    let ds = super::dates(&df, Col::D.name())?;
    let elderly = births
        .iter()
        .zip(&ds)
        .map(|(b, d)| matches!((b, d), (Some(b), Some(d)) if elderly::is_elderly_on(*b, *d)))
        .collect();
    Ok(Candidates {
        df,
        elderly,
        births,
        ds,
    })
}

fn ratio_name(r: Option<u8>) -> String {
    r.map(|x| format!("{x}割"))
        .unwrap_or_else(|| Tr::new("（空欄）", "(empty)").get().into())
}

/// SR001: recorded ratio differs from the expected one.
pub fn sr001(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let rem = Col::Insured(Field::Remuneration);
    let inc = Col::Insured(Field::IncomeException);
    let birth = Col::Insured(Field::BirthDate);
    let c = candidates(input, &[Col::InsIdx, Col::InsActive, birth, rem, inc])?;
    let recorded = c.df.column(&RATIO.name())?.u8()?;
    let ins_idx = c.df.column(&Col::InsIdx.name())?.u32()?;
    let ins_active = c.df.column(&Col::InsActive.name())?.bool()?;
    let ins_birth = super::dates(&c.df, birth.name())?;
    let ins_rem = c.df.column(&rem.name())?.i64()?;
    let ins_inc = c.df.column(&inc.name())?.bool()?;
    let mut out = Vec::new();
    for (i, row) in super::idxs(&c.df)?.into_iter().enumerate() {
        let (Some(rec), true) = (recorded.get(i), c.elderly[i]) else {
            continue;
        };
        // Skip rather than guess when the insured person's data cannot decide (SPEC §4.3).
        let (Some(ii), Some(true), Some(ib), Some(r)) = (
            ins_idx.get(i),
            ins_active.get(i),
            ins_birth[i],
            ins_rem.get(i),
        ) else {
            continue;
        };
        let (Some(b), Some(d)) = (c.births[i], c.ds[i]) else {
            continue;
        };
        let insured = Insured {
            birth: ib,
            remuneration: r,
            income_exception: ins_inc.get(i).unwrap_or(false),
        };
        let Some(expected) = share_ratio::expected(b, &insured, d) else {
            continue;
        };
        if expected.tenths() == rec {
            continue;
        }
        let why = match expected {
            ShareRatio::Three => crate::tr!(
                "被保険者が高齢受給者で、標準報酬月額 {r}円が28万円以上、基準収入額適用がないため",
                "the insured person is 高齢受給者 with 標準報酬月額 {r} ≥ 280,000 and no 基準収入額適用"
            ),
            ShareRatio::Two if insured.income_exception => {
                crate::tr!(
                    "世帯に基準収入額適用があるため",
                    "基準収入額適用 applies to the household"
                )
            }
            ShareRatio::Two if !elderly::is_elderly_on(ib, d) => {
                crate::tr!(
                    "被保険者が高齢受給者ではないため",
                    "the insured person is not 高齢受給者"
                )
            }
            ShareRatio::Two => crate::tr!(
                "被保険者の標準報酬月額 {r}円が28万円未満のため",
                "the insured person's 標準報酬月額 {r} is under 280,000"
            ),
        };
        let mut finding = Finding::new(
            &SR001,
            Anchor::cell(input.id, row, Field::ShareRatio),
            crate::tr!(
                "負担割合が{0}で登録されていますが、基準日 {2}時点の負担割合は{1}です（{why}）",
                "負担割合 is {0} but should be {1} on D = {2}: {why}";
                ratio_name(Some(rec)),
                ratio_name(Some(expected.tenths())),
                crate::i18n::date(d)
            ),
        );
        if ii != row {
            finding = finding.related(
                Anchor::cell(input.id, ii, Field::Remuneration),
                crate::tr!(
                    "被保険者の標準報酬月額",
                    "the insured person's 標準報酬月額"
                ),
            );
        }
        out.push(finding);
    }
    Ok(out)
}

/// SR002: 高齢受給者 with no ratio.
pub fn sr002(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let c = candidates(input, &[Col::Status(Field::ShareRatio)])?;
    let recorded = c.df.column(&RATIO.name())?.u8()?;
    let sts = c.df.column(&Col::Status(Field::ShareRatio).name())?.u8()?;
    let mut out = Vec::new();
    for (i, row) in super::idxs(&c.df)?.into_iter().enumerate() {
        if c.elderly[i] && recorded.get(i).is_none() && sts.get(i) == Some(St::Ok as u8) {
            let d = c.ds[i]
                .map(|d| crate::i18n::date(d).to_string())
                .unwrap_or_default();
            out.push(Finding::new(
                &SR002,
                Anchor::cell(input.id, row, Field::ShareRatio),
                crate::tr!(
                    "基準日 {d}時点で、{}から高齢受給者ですが、負担割合が登録されていません",
                    "高齢受給者 on D = {d} (from {}) with no 負担割合 recorded";
                    c.births[i]
                        .map(elderly::elderly_from)
                        .map(|x| crate::i18n::date(x).to_string())
                        .unwrap_or_default()
                ),
            ));
        }
    }
    Ok(out)
}

/// SR003: a ratio on a member who is not 高齢受給者.
pub fn sr003(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let c = candidates(input, &[Col::Status(Field::ShareRatio)])?;
    let recorded = c.df.column(&RATIO.name())?.u8()?;
    let sts = c.df.column(&Col::Status(Field::ShareRatio).name())?.u8()?;
    let mut out = Vec::new();
    for (i, row) in super::idxs(&c.df)?.into_iter().enumerate() {
        let present = recorded.get(i).is_some() || sts.get(i) == Some(St::Invalid as u8);
        if present && !c.elderly[i] {
            let (b, d) = (c.births[i], c.ds[i]);
            let detail = match (b, d) {
                (Some(b), Some(d)) if d < elderly::elderly_from(b) => {
                    crate::tr!("。高齢受給者となるのは {}からです", "高齢受給者 only from {}"; crate::i18n::date(elderly::elderly_from(b)))
                }
                (Some(b), Some(_)) => {
                    crate::tr!("。75歳の誕生日は {}です", "75 on {}"; crate::i18n::date(elderly::membership_ends_on(b)))
                }
                _ => String::new(),
            };
            out.push(Finding::new(
                &SR003,
                Anchor::cell(input.id, row, Field::ShareRatio),
                crate::tr!(
                    "負担割合{}が登録されていますが、基準日 {}時点で高齢受給者ではありません{detail}",
                    "負担割合 {} is recorded but the member is not 高齢受給者 on D = {} ({detail})";
                    shown(input.source.cell(row, Field::ShareRatio)),
                    d.map(|d| crate::i18n::date(d).to_string()).unwrap_or_default()
                ),
            ));
        }
    }
    Ok(out)
}

/// SR004: fund vs registry.
pub fn sr004(_: &Ctx, pair: &Pair) -> Result<Vec<Finding>> {
    let (hits, df) = pair.hits(
        Side::Fund
            .col(Col::Value(Field::ShareRatio))
            .neq(Side::Other.col(Col::Value(Field::ShareRatio))),
        &[Col::Value(Field::ShareRatio)],
    )?;
    let a = df
        .column(&Side::Fund.name(Col::Value(Field::ShareRatio)))?
        .u8()?;
    let b = df
        .column(&Side::Other.name(Col::Value(Field::ShareRatio)))?
        .u8()?;
    Ok(hits
        .into_iter()
        .enumerate()
        .map(|(i, hit)| {
            pair.finding(
                &SR004,
                hit,
                Field::ShareRatio,
                crate::tr!(
                    "負担割合が異なります：組合 {}、{} {}",
                    "負担割合 differs: fund {}, {} {}";
                    ratio_name(a.get(i)),
                    pair.kind.label(),
                    ratio_name(b.get(i))
                ),
                crate::tr!("{}では {}", "{} has {}"; pair.kind.label(), ratio_name(b.get(i))),
            )
        })
        .collect())
}
