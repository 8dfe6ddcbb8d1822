//! MN001–MN006: 個人番号 (My Number). A full My Number is 特定個人情報: no message here ever
//! holds more than its last 4 digits.

use super::Ctx;
use super::cross::{Pair, mn_comparable};
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Anchor, Finding, Rule, Severity};
use crate::i18n::Tr;
use crate::prepare::{Col, Input, MnState, Side, c};
use polars::prelude::*;
use std::collections::HashMap;

pub static MN001: Rule = Rule {
    code: "MN001",
    name: "my-number-differs-from-registry",
    severity: Severity::Error,
    summary: Tr::new(
        "個人番号の下4桁が異なる：組合と国の登録情報",
        "My Number last 4 differ: fund vs national registry",
    ),
    help: Tr::new(
        "組合と国のシステムで、この方の個人番号が異なります。ご本人に番号を確認して組合の記録を正し、国のシステムに登録し直してください。",
        "The fund and the national system hold different My Numbers for this member: confirm the number with the member and correct the fund, then re-register it nationally.",
    ),
    explain: Tr::new(
        "## 確認する内容\n同じ記号・番号・枝番について、組合の個人番号の下4桁と、国の登録情報にある下4桁を比べます（双方に正しい形式の値がある場合）。\n\n## 確認する理由\n資格情報のお知らせには、加入者ご本人に確認していただくため個人番号の下4桁を記載します。下4桁が異なる場合、別の方の個人番号がこの加入者にひも付いているおそれがあります。その場合、医療情報が別の方に表示されることがあり、マイナ保険証も正しく使えません。\n\n## 例\n組合 `********1234`、国の登録情報 `5678`。\n\n## 対処方法\nご本人に（マイナンバーカードまたは通知カードで）番号を確認し、組合の記録を正したうえで、国のシステムに登録し直してください。",
        "## What it does\nCompares the last 4 digits of 個人番号 in the fund with the last 4 the national registry holds for the same key, when both are present and well-formed.\n\n## Why it matters\nThe eligibility notice prints the last 4 digits so members can check them (seed 002, seed 004 1-2). A mismatch means someone else's My Number may be linked to this member: their medical information could be shown to the wrong person, and マイナ保険証 will not work.\n\n## Example\nFund `********1234`, registry `5678`.\n\n## How to fix\nConfirm the number with the member (from their card or 通知カード), correct the fund's record, and have it re-registered with the national system.",
    ),
};

pub static MN002: Rule = Rule {
    code: "MN002",
    name: "my-number-differs-from-employer",
    severity: Severity::Error,
    summary: Tr::new(
        "個人番号の下4桁が異なる：組合と事業主",
        "My Number last 4 differ: fund vs employer",
    ),
    help: Tr::new(
        "事業主から異なる個人番号が届いています。資格情報のお知らせを送付する前に、どちらが正しいか確認してください。",
        "The employer reported a different My Number: find out which is right before the notice is mailed.",
    ),
    explain: Tr::new(
        "## 確認する内容\n同じ記号・番号・枝番について、組合と事業主のデータの個人番号の下4桁を比べます（双方に正しい形式の値がある場合）。比べるのも表示するのも下4桁だけです。\n\n## 確認する理由\n組合は、事業主からの資格取得届をもとに個人番号を登録します。異なる場合はどちらかの入力誤りで、お知らせにはご本人に覚えのない数字が記載されてしまいます。\n\n## 例\n組合 `…1234`、事業主 `…1243`（2桁の入れ違い）。\n\n## 対処方法\n事業主から従業員ご本人に番号を確認してもらい、誤っている記録を正してください。",
        "## What it does\nCompares the last 4 digits of 個人番号 in the fund and in the employer's file for the same key, when both are present and well-formed. Only the last 4 digits are compared and shown.\n\n## Why it matters\nThe fund registers My Numbers from the employers' 資格取得届; a mismatch means one of them was mistyped, and the notice would print digits the member does not recognise.\n\n## Example\nFund `…1234`, employer `…1243` (two digits swapped).\n\n## How to fix\nAsk the employer to confirm the number with the employee, and correct the wrong record.",
    ),
};

pub static MN003: Rule = Rule {
    code: "MN003",
    name: "my-number-check-digit",
    severity: Severity::Error,
    summary: Tr::new(
        "12桁の個人番号の検査用数字（チェックデジット）が合わない",
        "12-digit My Number fails its check digit",
    ),
    help: Tr::new(
        "入力誤りです。ご本人のマイナンバーカードで番号を確認し直してください。",
        "A digit was mistyped: obtain the number again from the member's card.",
    ),
    explain: Tr::new(
        "## 確認する内容\n12桁の個人番号の12桁目（検査用数字）を検証します。先頭11桁を右から数えて n 番目の数字を P(n)、n ≤ 6 のとき Q(n) = n+1、n ≥ 7 のとき Q(n) = n−5 とし、r = Σ P(n)·Q(n) mod 11 とすると、検査用数字は r ≤ 1 なら 0、それ以外は 11 − r です。\n\n## 確認する理由\n検査用数字の合わない番号は確実に誤りです。国のシステムに登録できません。誤った数字を印字しないよう、この方への送付を保留します。\n\n## 例\n`123456789010` は合いません（検査用数字は 8 になるはずです）。\n\n## 対処方法\nご本人のマイナンバーカードまたは通知カードで番号を確認し、入力し直してください。",
        "## What it does\nValidates the 12th digit of a 12-digit 個人番号: with P(n) the nth of the first 11 digits counted from the right and Q(n) = n+1 for n ≤ 6, n−5 for n ≥ 7, r = Σ P(n)·Q(n) mod 11, the check digit is 0 if r ≤ 1, else 11 − r.\n\n## Why it matters\nA number that fails is certainly wrong; it cannot be registered nationally, and the letter for this member is blocked rather than print wrong digits.\n\n## Example\n`123456789010` fails (the check digit should be 8).\n\n## How to fix\nRe-enter the number from the member's My Number card or 通知カード.",
    ),
};

pub static MN004: Rule = Rule {
    code: "MN004",
    name: "my-number-malformed",
    severity: Severity::Error,
    summary: Tr::new(
        "個人番号の形式誤り（4桁でも12桁でもない、Excel の指数表記）",
        "My Number malformed (not 4 or 12 digits; exponent text from Excel)",
    ),
    help: Tr::new(
        "個人番号の列を文字列にして出力し直してください。1.23457E+11 のような指数表記は桁が失われており、元に戻せません。",
        "Re-export with the 個人番号 column formatted as text: exponent text like 1.23457E+11 has lost digits and cannot be recovered.",
    ),
    explain: Tr::new(
        "## 確認する内容\n個人番号は、12桁または下4桁として受け付けます（NFKC 正規化後）。それ以外は形式誤りです。特に、列が数値のまま CSV に保存されたときに Excel が書き出す指数表記 `1.23457E+11` は、6桁が失われています。shikaku は失われた桁を推測しません。\n\n## 確認する理由\n形式の誤った番号は、照合も印字もできません。この方への送付を保留します。\n\n## 例\n`1.23457E+11`、`12345678901`（11桁）、`1234-5678-9012`。\n\n## 対処方法\n作成元のブックで列を文字列にして出力し直すか、番号を入力し直してください。",
        "## What it does\nAccepts 個人番号 as 12 digits or as the last 4 digits (after NFKC normalization). Anything else is malformed — above all the exponent form `1.23457E+11` that Excel writes into a CSV when the column was a number: six digits are gone. shikaku never guesses them.\n\n## Why it matters\nA malformed number cannot be compared or printed; the letter for this member is blocked.\n\n## Example\n`1.23457E+11`, `12345678901` (11 digits), `1234-5678-9012`.\n\n## How to fix\nIn the source workbook, format the column as text and re-export; or re-enter the number.",
    ),
};

pub static MN005: Rule = Rule {
    code: "MN005",
    name: "my-number-not-registered",
    severity: Severity::Warning,
    summary: Tr::new(
        "資格のある加入者に、基準日までに登録された個人番号がない（お知らせに下4桁が記載されない）",
        "active member with no My Number registered on or before D (the notice carries no last 4)",
    ),
    help: Tr::new(
        "事業主を通じて個人番号を取得し、登録してください。登録されるまで、資格情報のお知らせに下4桁は記載されません。",
        "Obtain the member's My Number through the employer and register it; until then the notice prints no last 4 digits.",
    ),
    explain: Tr::new(
        "## 確認する内容\n基準日に資格のある組合の加入者について、個人番号があり、個人番号登録日が基準日以前であることを確認します。\n\n## 確認する理由\n資格情報のお知らせに個人番号の下4桁が記載されるのは、基準日までに組合が番号を登録していた方だけです。登録がなければマイナ保険証とひも付かず、その方には資格確認書が必要になります。\n\n## 例\n2024年8月に認定した被扶養者の個人番号を 2024-09-05 に登録した：基準日 2024-08-31 のお知らせには下4桁が記載されません。\n\n## 対処方法\n個人番号を取得して（事業主からの被扶養者異動届）登録し、個人番号登録日を記録してください。",
        "## What it does\nFor every fund member active on D, checks that a 個人番号 is present and that 個人番号登録日 is on or before D.\n\n## Why it matters\n資格情報のお知らせ prints the last 4 digits only when the fund had registered the number by the base date (seed 004 5-1, 5-6). Without it the member's マイナ保険証 cannot be linked, and the member will need a 資格確認書.\n\n## Example\nA dependent added in August 2024 whose number was registered on 2024-09-05: the 2024-08-31 notice carries no last 4.\n\n## How to fix\nCollect the number (the employer's 被扶養者異動届), register it, and record 個人番号登録日.",
    ),
};

pub static MN006: Rule = Rule {
    code: "MN006",
    name: "my-number-shared",
    severity: Severity::Error,
    summary: Tr::new(
        "2人の加入者に同じ12桁の個人番号が登録されている",
        "two members share one 12-digit My Number",
    ),
    help: Tr::new(
        "個人番号は1人に1つです。どなたの番号かを確かめ、もう一方を正してください。",
        "A My Number belongs to one person: find which member it really belongs to and correct the other.",
    ),
    explain: Tr::new(
        "## 確認する内容\n同じファイルの中で、検査用数字の合う12桁の個人番号が2つ以上の記号・番号・枝番に登録されていないかを確認し、該当するすべての行を、相手の記号・番号・枝番とともに報告します。表示するのは下4桁だけです。\n\n## 確認する理由\n2人が1つの番号にひも付いていると、一方に他方の医療情報や資格情報が表示されるか、どちらもマイナ保険証を使えません。\n\n## 例\n配偶者の個人番号が、被保険者の行にも入力されている。\n\n## 対処方法\nそれぞれの方の番号を確認し、誤っている行を正してください。",
        "## What it does\nFinds 12-digit 個人番号 values (passing the check digit) recorded for more than one member key in the same file, and reports every such row with the other keys. Only the last 4 digits are shown.\n\n## Why it matters\nTwo members linked to one number means one of them will see the other's medical and eligibility information, or neither can use マイナ保険証.\n\n## Example\nA spouse's number entered on the insured person's row as well.\n\n## How to fix\nConfirm each member's number and correct the wrong row.",
    ),
};

/// MN003: 12 digits failing the check digit.
pub fn mn003(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let hits = super::select_where(
        &input.df,
        c(Col::MnKind).eq(MnState::BadCheckDigit.lit()),
        &[Col::Value(Field::MyNumber)],
    )?;
    let last4 = super::strs(&hits, Col::Value(Field::MyNumber).name())?;
    Ok(super::idxs(&hits)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            Finding::new(
                &MN003,
                Anchor::cell(input.id, row, Field::MyNumber),
                crate::tr!(
                    "個人番号（下4桁 {}）の検査用数字が合いません",
                    "個人番号 (下4桁 {}) fails its check digit";
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
        c(Col::MnKind)
            .eq(MnState::Mangled.lit())
            .or(c(Col::MnKind).eq(MnState::Malformed.lit())),
        &[Col::MnKind],
    )?;
    let kinds = hits.column(&Col::MnKind.name())?.u8()?;
    Ok(super::idxs(&hits)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let message = if kinds.get(i) == Some(MnState::Mangled as u8) {
                // The exponent text itself holds at most 6 significant digits: still, say only what it is.
                Tr::new("個人番号が Excel の指数表記または小数の文字（1.23457E+11 など）です。桁が失われており、元に戻せません", "個人番号 is exponent or decimal text from Excel (like 1.23457E+11): digits are lost and cannot be recovered").get()
            } else {
                Tr::new("個人番号が12桁でも下4桁でもありません", "個人番号 is neither 12 digits nor the last 4 digits").get()
            };
            Finding::new(&MN004, Anchor::cell(input.id, row, Field::MyNumber), message)
        })
        .collect())
}

/// MN005: active fund member without a My Number registered on or before D.
pub fn mn005(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let reg = c(Col::Value(Field::MyNumberRegisteredOn));
    let registered_by_d = reg.clone().is_not_null().and(reg.lt_eq(c(Col::D)));
    let pred = c(Col::ActiveByDates).and(
        c(Col::MnKind)
            .eq(MnState::Absent.lit())
            .or(registered_by_d.not()),
    );
    let hits = super::select_where(&input.df, pred, &[Col::MnKind, Col::D])?;
    let kinds = hits.column(&Col::MnKind.name())?.u8()?;
    let ds = hits.column(&Col::D.name())?.date()?.physical().clone();
    Ok(super::idxs(&hits)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let d = ds.get(i).and_then(crate::prepare::from_days).map(|d| crate::i18n::date(d).to_string()).unwrap_or_default();
            let (field, message) = if kinds.get(i) == Some(MnState::Absent as u8) {
                (Field::MyNumber, crate::tr!("基準日 {d}に資格がありますが、個人番号が登録されていません。お知らせに下4桁は記載されません", "no 個人番号 is recorded for this active member (D = {d}): the notice carries no last 4"))
            } else {
                (
                    Field::MyNumberRegisteredOn,
                    crate::tr!("個人番号が基準日 {d}までに登録されていません（個人番号登録日 {}）。お知らせに下4桁は記載されません", "個人番号 not registered on or before D = {d} (個人番号登録日 {}): the notice carries no last 4"; super::shown(input.source.cell(row, Field::MyNumberRegisteredOn))),
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
    let shared = c(Col::MnFingerprint)
        .is_not_null()
        .and(c(Col::MnKind).eq(MnState::Valid.lit()))
        .and(c(Col::Key).is_not_null())
        .and(
            c(Col::Key)
                .n_unique()
                .over([c(Col::MnFingerprint)])?
                .gt(lit(1)),
        );
    let hits = super::select_where(
        &input.df,
        shared,
        &[Col::MnFingerprint, Col::Key, Col::Value(Field::MyNumber)],
    )?;
    let fps = hits.column(&Col::MnFingerprint.name())?.u64()?;
    let keys = super::strs(&hits, Col::Key.name())?;
    let last4 = super::strs(&hits, Col::Value(Field::MyNumber).name())?;
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
    let pred = mn_comparable(Side::Fund)
        .and(mn_comparable(Side::Other))
        .and(
            Side::Fund
                .col(Col::Value(Field::MyNumber))
                .neq(Side::Other.col(Col::Value(Field::MyNumber))),
        );
    let (hits, df) = pair.hits(pred, &[Col::Value(Field::MyNumber)])?;
    let a = super::strs(&df, Side::Fund.name(Col::Value(Field::MyNumber)))?;
    let b = super::strs(&df, Side::Other.name(Col::Value(Field::MyNumber)))?;
    Ok(hits
        .into_iter()
        .enumerate()
        .map(|(i, hit)| {
            let (x, y) = (a.get(i).unwrap_or("????"), b.get(i).unwrap_or("????"));
            pair.finding(
                rule,
                hit,
                Field::MyNumber,
                crate::tr!("個人番号の下4桁が異なります：組合 {x}、{} {y}", "個人番号 下4桁 differ: fund {x}, {} {y}"; pair.kind.label()),
                crate::tr!("{}の下4桁は {y}", "{} has 下4桁 {y}"; pair.kind.label()),
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
