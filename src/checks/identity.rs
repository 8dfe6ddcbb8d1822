//! ID001–ID006: who a row is — the member key, the household, and the person across sources.

use super::cross::Pair;
use super::{Ctx, shown};
use crate::domain::text::fold_name;
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Anchor, Finding, Rule, Severity};
use crate::i18n::Tr;
use crate::prepare::schema::OTHER_SOURCE;
use crate::prepare::{Col, Input, KeyError, Side, bad_status, c};
use polars::prelude::*;

pub static ID001: Rule = Rule {
    code: "ID001",
    name: "malformed-key",
    severity: Severity::Error,
    summary: Tr::new(
        "記号・番号・枝番の形式誤り（番号が数字でない、枝番が2桁でない、記号が空欄または CP932 で38バイト超）",
        "malformed key: 番号 not digits, 枝番 not 2 digits, 記号 empty or over 38 CP932 bytes",
    ),
    help: Tr::new(
        "資格情報のお知らせに記載の記号・番号・枝番のとおりに正してください。",
        "Correct 記号・番号・枝番 as printed on the member's 資格情報のお知らせ.",
    ),
    explain: Tr::new(
        "## 確認する内容\n記号・番号・枝番の3つを NFKC 正規化したうえで確認します。記号は空欄でなく CP932 で38バイト以内であること（英字・漢字も可）、番号は数字であること（照合のときは先頭の0を除きます）、枝番はちょうど2桁の数字であること。\n\n## 確認する理由\nすべてのファイルは、記号・番号・枝番で突き合わせます。記号・番号・枝番が読めない行は除外されます。件数には数えて報告しますが、照合にも判定にも使いません。\n\n## 例\n枝番 `1`（正しくは `01`）、番号 `12A`、記号が空欄。\n\n## 対処方法\n作成元で記号・番号・枝番を正してください。Excel では枝番の列を文字列にしておくと、`01` の0が消えません。",
        "## What it does\nChecks the three parts of the member key after NFKC normalization: 記号 must be non-empty and at most 38 bytes in CP932 (letters and kanji are allowed); 番号 must be digits (leading zeros are dropped in the key); 枝番 must be exactly 2 digits.\n\n## Why it matters\nThe key is how every source is matched. A row whose key cannot be read is rejected: counted, reported, and taking part in no cross-source rule and no decision.\n\n## Example\n枝番 `1` (should be `01`), 番号 `12A`, an empty 記号.\n\n## How to fix\nCorrect the key in the source. In Excel, format 枝番 as text so `01` keeps its zero.",
    ),
};

pub static ID002: Rule = Rule {
    code: "ID002",
    name: "household-structure",
    severity: Severity::Error,
    summary: Tr::new(
        "枝番00の続柄が本人でない、本人の枝番が00でない、または被保険者のいない世帯",
        "枝番 00 whose 続柄 is not 本人, 本人 with 枝番 ≠ 00, or a household with no insured person",
    ),
    help: Tr::new(
        "被保険者は枝番00・続柄「本人」、被扶養者は01以降にしてください。組合が別の付番をしている場合は、checks.toml で ID002 を off にしてください。",
        "Give the insured person 枝番 00 and 続柄 本人, dependents 01 and up; or switch ID002 off in checks.toml if the fund numbers 枝番 differently.",
    ),
    explain: Tr::new(
        "## 確認する内容\n組合の加入者台帳と事業主のファイルで、枝番 `00` が被保険者（続柄「本人」）であること、本人の枝番が `00` であること、被扶養者のいる世帯（記号と番号が同じ行）に被保険者がいることを確認します。続柄の列がない場合は、枝番00の行を被保険者とみなします。個人単位の職権交付対象者リストと国の登録情報では確認しません。\n\n## 確認する理由\n被扶養者の被保険者区分、会社、送付方法、基準日、封筒は、被保険者によって決まります。被保険者のいない世帯は送付方法を決められないため、送付を保留します。\n\n## 例\n`1001-12-00` の続柄が「配偶者」。`1001-13-01`（子）があるのに、`1001-13-00` がファイルにない。\n\n## 対処方法\n続柄または枝番を正してください。被保険者を `00` とするのは慣行で、法令の定めではありません。別の付番をしている組合は、`rules/checks.toml` の `[severity]` に `ID002 = \"off\"` と設定してください。",
        "## What it does\nIn the fund and in employer files, checks that 枝番 `00` belongs to the insured person (続柄 本人) and that 本人 has 枝番 `00`, and that every household (rows sharing 記号 and 番号) with dependents has an insured person. Without a 続柄 column the insured person is the row with 枝番 00. Never raised on the national list or registry, which name individuals.\n\n## Why it matters\nDependents take member type, company, route, base date and envelope from the insured person: a household without one cannot be routed, and its letters are blocked.\n\n## Example\n`1001-12-00` with 続柄 配偶者; `1001-13-01` (a child) with no `1001-13-00` in the file.\n\n## How to fix\nCorrect 続柄 or 枝番. `00` for the insured is common practice, not law: a fund that numbers differently sets `ID002 = \"off\"` under `[severity]` in `rules/checks.toml`.",
    ),
};

pub static ID003: Rule = Rule {
    code: "ID003",
    name: "employer-member-not-in-fund",
    severity: Severity::Error,
    summary: Tr::new(
        "事業主のデータにあるが、組合の加入者台帳にその記号・番号・枝番が一切ない（資格取得の未登録）",
        "employer row whose key has no fund row at all, whatever its dates (資格取得 not recorded)",
    ),
    help: Tr::new(
        "事業主のデータにはありますが、組合に記録がありません。資格取得届が組合に届いているか確認してください。",
        "The employer lists this person but the fund has no record: check that the 資格取得届 reached the fund.",
    ),
    explain: Tr::new(
        "## 確認する内容\n事業主のデータの各行（除外された行を除く）の記号・番号・枝番を、組合の加入者台帳のすべての行（資格の有無を問いません）から探します。組合に全くない場合は、事業主のセルを示して報告します。\n\n## 確認する理由\nこの方は適用事業所に勤めている（またはその被扶養者である）のに、組合が資格取得を登録していません。国のシステムにも資格がなく、医療機関の窓口で資格を確認できません。\n\n## 例\n4月に入社した方の資格取得届が提出されていない。\n\n## 対処方法\n事業主に資格取得届を提出してもらい、資格を登録してください。記号・番号・枝番の入力誤りであれば正してください。",
        "## What it does\nLooks up every usable employer row's key in the fund (all fund rows, active or not). A key the fund does not have at all is reported, anchored on the employer's cell.\n\n## Why it matters\nThe person works for (or is a dependent at) an affiliated company but the fund never recorded their 資格取得: they have no eligibility in the national system and will be turned away at a clinic.\n\n## Example\nA new hire in April whose 資格取得届 was never sent.\n\n## How to fix\nObtain the 資格取得届 from the employer and register the member; or correct the key if it was mistyped.",
    ),
};

pub static ID004: Rule = Rule {
    code: "ID004",
    name: "loss-not-recorded",
    severity: Severity::Warning,
    summary: Tr::new(
        "事業主のデータに退職日があり、その翌日が基準日以前なのに、組合ではその日に資格がある（資格喪失の未登録）",
        "employer gives 退職日, the day after it is on or before D, and the fund member is active on that day (資格喪失 not recorded)",
    ),
    help: Tr::new(
        "事業主からは退職と届いています。資格喪失届を提出してもらい、資格喪失日（退職日の翌日）を登録してください。",
        "The employer says the person left: obtain the 資格喪失届 and record 資格喪失日 (the day after 退職日).",
    ),
    explain: Tr::new(
        "## 確認する内容\n事業主のデータの退職日を L とし、L の翌日が基準日以前のとき、組合の加入者台帳でその方が L の翌日にまだ資格を有しているかを確認します（資格喪失日は退職日の翌日です）。\n\n## 確認する理由\n退職した方の資格が残っていると、資格のない方に保険給付が行われ、その方がお持ちの資格確認書も回収されません。\n\n## 例\n事業主の退職日が 2026-09-30 なのに、2026-11-01 時点で組合の資格喪失日が空欄。\n\n## 対処方法\n資格喪失届に基づいて資格喪失日（退職日の翌日）を登録し、資格確認書があれば回収してください。",
        "## What it does\nFor an employer row with 退職日 L where L+1 ≤ D, checks whether the fund still has the member active on L+1 (the legal 資格喪失日 is the day after leaving).\n\n## Why it matters\nA former employee still recorded as active keeps an eligibility they no longer have: claims are paid wrongly, and a certificate they hold is not recovered.\n\n## Example\n退職日 2026-09-30 at the employer; the fund's 資格喪失日 is empty on 2026-11-01.\n\n## How to fix\nRecord 資格喪失日 (L+1) from the 資格喪失届; recover any certificate.",
    ),
};

pub static ID005: Rule = Rule {
    code: "ID005",
    name: "kana-name-differs",
    severity: Severity::Warning,
    summary: Tr::new(
        "ファイル間で氏名カナが異なる（正規化後）",
        "kana name differs between sources after normalization",
    ),
    help: Tr::new(
        "氏名カナを確認してください。婚姻などによる氏名変更、入力誤り、読みの違いが考えられます。",
        "Check the member's 氏名カナ: a marriage, a typo, or a different reading on one side.",
    ),
    explain: Tr::new(
        "## 確認する内容\n組合の加入者台帳と他のファイルの氏名カナを、次の正規化をしたうえで比べます：NFKC（半角カナを全角に）、ひらがなをカタカナに、小書きの仮名を大きい仮名に（ァ→ア、ッ→ツ）、空白と「・」の除去。\n\n## 確認する理由\n氏名カナが違う場合、組合に届出のない氏名変更か、同じ記号・番号・枝番に別の方が登録されていることが考えられます。\n\n## 例\n組合 `ヤマダ ハナコ`、事業主 `スズキ ハナコ`（婚姻による変更）。\n\n## 対処方法\nご本人または事業主に確認し、誤っている側を正してください。",
        "## What it does\nCompares 氏名カナ between the fund and each other source after folding: NFKC (half-width to full-width katakana), hiragana to katakana, small kana to large (ァ→ア, ッ→ツ), and removal of spaces and ・.\n\n## Why it matters\nA different name can mean a name change not reported to the fund, or two different people sharing a key.\n\n## Example\nFund `ヤマダ ハナコ`, employer `スズキ ハナコ` (a marriage).\n\n## How to fix\nConfirm the name with the member or employer and update the source that is wrong.",
    ),
};

pub static ID006: Rule = Rule {
    code: "ID006",
    name: "sex-differs",
    severity: Severity::Error,
    summary: Tr::new("ファイル間で性別が異なる", "sex differs between sources"),
    help: Tr::new(
        "双方の性別を確認してください。どちらかの記録が誤っているか、記号・番号・枝番が別の方を指しています。",
        "Check 性別 on both sides: one of the records is wrong, or the key points at a different person.",
    ),
    explain: Tr::new(
        "## 確認する内容\n組合の加入者台帳と他のファイルの性別（1/2、男/女）を、双方に読める値がある場合に比べます。\n\n## 確認する理由\n同じ記号・番号・枝番で性別が違う場合、多くは別の方（配偶者や子の枝番）に付けられています。その行のほかの照合もすべて意味がなくなります。\n\n## 例\n組合 `1001-12-01` 女、事業主 `1001-12-01` 男。\n\n## 対処方法\nどちらの記録が誤っているかを確かめ、正してください。",
        "## What it does\nCompares 性別 (1/2, 男/女) between the fund and each other source, where both carry a readable value.\n\n## Why it matters\nA different sex under one key usually means the key was assigned to the wrong person (a spouse's or a child's 枝番), which makes every other comparison for that row meaningless.\n\n## Example\nFund `1001-12-01` 女, employer `1001-12-01` 男.\n\n## How to fix\nFind which record is wrong and correct it.",
    ),
};

/// ID001: a key part empty or malformed.
pub fn id001(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    // A key cell that could not be read at all (IN001, IN005) is reported as such and already
    // rejects the row: calling its placeholder text a malformed key would say it twice.
    let unreadable_key = [Field::Symbol, Field::Number, Field::Branch]
        .into_iter()
        .fold(lit(false), |e, f| e.or(bad_status(c(Col::Status(f)))));
    let hits = super::select_where(
        &input.df,
        c(Col::KeyError).is_not_null().and(unreadable_key.not()),
        &[Col::KeyError],
    )?;
    let why = hits.column(&Col::KeyError.name())?.u8()?;
    let src = &input.source;
    Ok(super::idxs(&hits)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let errors: Vec<KeyError> = KeyError::of(why.get(i).unwrap_or(0)).collect();
            let reason = errors
                .iter()
                .map(|e| e.text().get())
                .collect::<Vec<_>>()
                .join(Tr::new("、", ", ").get());
            // Point at the first bad part.
            let field = errors.first().map_or(Field::Branch, |e| e.field());
            let shown_key = crate::tr!(
                "{}/{}/{}",
                "{} / {} / {}";
                shown(src.cell(row, Field::Symbol)),
                shown(src.cell(row, Field::Number)),
                shown(src.cell(row, Field::Branch))
            );
            Finding::new(
                &ID001,
                Anchor::cell(input.id, row, field),
                crate::tr!(
                    "記号・番号・枝番{shown_key}の形式に誤りがあります：{reason}",
                    "malformed member key {shown_key}: {reason}"
                ),
            )
        })
        .collect())
}

/// ID002: 00 ↔ 本人, and households with dependents but no insured person.
pub fn id002(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let df = &input.df;
    if input.has(Field::Relationship) {
        let relationship = c(Col::Value(Field::Relationship));
        let not_self = c(Col::Branch2)
            .eq(lit("00"))
            .and(relationship.clone().neq(lit("本人")));
        for row in super::rows_where(df, not_self)? {
            out.push(Finding::new(
                &ID002,
                Anchor::cell(input.id, row, Field::Relationship),
                crate::tr!(
                    "枝番00は被保険者の枝番ですが、続柄が{}です",
                    "枝番 00 is the insured person's, but 続柄 is {}";
                    shown(input.source.cell(row, Field::Relationship))
                ),
            ));
        }
        let self_not_00 = relationship
            .eq(lit("本人"))
            .and(c(Col::Branch2).neq(lit("00")));
        for row in super::rows_where(df, self_not_00)? {
            out.push(Finding::new(
                &ID002,
                Anchor::cell(input.id, row, Field::Branch),
                crate::tr!(
                    "続柄が本人の方の枝番は00ですが、{}になっています",
                    "続柄 本人 should have 枝番 00, not {}";
                    shown(input.source.cell(row, Field::Branch))
                ),
            ));
        }
    }
    // A household whose rows include no insured person at all (rejected rows count: the
    // insured row exists, it is reported for its own problem). `ins_idx` is null exactly
    // where the household has no insured row that was not rejected, so only those rows are
    // candidates, and only a rejected insured row of the same household can save them: a
    // window over every household of a million rows took half a second.
    let rejected_insured = super::select_where(
        df,
        c(Col::IsInsured)
            .and(c(Col::Rejected))
            .and(c(Col::Household).is_not_null()),
        &[Col::Household],
    )?
    .column(&Col::Household.name())?
    .as_materialized_series()
    .clone();
    let orphan = c(Col::Household)
        .is_not_null()
        .and(c(Col::IsInsured).not())
        .and(c(Col::InsIdx).is_null())
        .and(
            c(Col::Household)
                .is_in(lit(rejected_insured).implode(false), false)
                .not(),
        );
    for row in super::rows_where(df, orphan)? {
        let hh = input
            .df
            .column(&Col::Household.name())?
            .str()?
            .get(row as usize)
            .unwrap_or("?")
            .to_string();
        out.push(Finding::new(
            &ID002,
            Anchor::cell(input.id, row, Field::Branch),
            crate::tr!(
                "世帯 {hh} の被保険者（枝番00・続柄 本人）がこのファイルにありません",
                "household {hh} has no insured person (枝番 00 / 続柄 本人) in this file"
            ),
        ));
    }
    Ok(out)
}

/// ID003: employer keys the fund does not have at all.
pub fn id003(_: &Ctx, pair: &Pair) -> Result<Vec<Finding>> {
    if pair.parts.is_empty() {
        return Ok(Vec::new());
    }
    let fund_keys = pair
        .fund
        .df
        .clone()
        .lazy()
        .filter(c(Col::Key).is_not_null())
        .select([c(Col::Key)]);
    // Every employer file of the slice in one anti-join: the fund's keys are hashed once a
    // slice, not once per file (a hundred workbooks against 1M fund rows took 5 s).
    let others: Vec<LazyFrame> = pair
        .parts
        .iter()
        .map(|part| {
            let other = part.input;
            other.usable_rows(part.lazy()).select([
                lit(other.id as u32)
                    .cast(DataType::UInt32)
                    .alias(OTHER_SOURCE),
                c(Col::Idx),
                c(Col::Key),
            ])
        })
        .collect();
    let missing = concat(others, UnionArgs::default())?
        .join(
            fund_keys,
            [c(Col::Key)],
            [c(Col::Key)],
            JoinArgs::new(JoinType::Anti),
        )
        .collect()?;
    let keys = super::strs(&missing, Col::Key.name())?;
    let sources = missing.column(OTHER_SOURCE)?.u32()?;
    Ok(super::idxs(&missing)?
        .into_iter()
        .zip(sources.into_no_null_iter())
        .enumerate()
        .map(|(i, (row, source))| {
            Finding::new(
                &ID003,
                Anchor::cell(source as usize, row, Field::Number),
                crate::tr!("{} は事業主のデータにありますが、組合にこの記号・番号・枝番の記録がありません（資格取得が未登録の可能性があります）", "{} is on the employer's list but the fund has no record of this key (資格取得 not recorded?)"; keys.get(i).unwrap_or("?")),
            )
        })
        .collect())
}

/// ID004: the employer's 退職日 says the member has lost eligibility; the fund says active.
pub fn id004(_: &Ctx, pair: &Pair) -> Result<Vec<Finding>> {
    let left = Side::Other.col(Col::Value(Field::LeftOn));
    // 資格喪失日 is the day after 退職日.
    let lost_day = (left.clone().cast(DataType::Int32) + lit(1)).cast(DataType::Date);
    let fund_active_that_day = {
        let acq = Side::Fund.col(Col::Value(Field::AcquiredOn));
        let lost = Side::Fund.col(Col::Value(Field::LostOn));
        (acq.clone().is_null().or(acq.lt_eq(lost_day.clone())))
            .and(lost.clone().is_null().or(lost.gt(lost_day.clone())))
    };
    // A fund row with an unreadable date takes no part (its activity is unknown).
    let pred = left
        .is_not_null()
        .and(lost_day.lt_eq(Side::Fund.col(Col::D)))
        .and(Side::Fund.col(Col::ActiveByDates).is_not_null())
        .and(fund_active_that_day);
    let (hits, _) = pair.hits(pred, &[])?;
    Ok(hits
        .into_iter()
        .map(|hit| {
            let left = pair.other_cell(hit, Field::LeftOn);
            let anchor_field = if pair.fund.has(Field::LostOn) {
                Field::LostOn
            } else {
                Field::BirthDate
            };
            Finding::new(
                &ID004,
                Anchor::cell(pair.fund.id, hit.0, anchor_field),
                crate::tr!(
                    "事業主のデータでは退職日が{}ですが、組合ではその翌日に資格喪失が登録されていません",
                    "the employer gives 退職日 {} but the fund has no 資格喪失 on the day after it";
                    shown(left)
                ),
            )
            .related(
                Anchor::cell(hit.1 as usize, hit.2, Field::LeftOn),
                crate::tr!("事業主の退職日", "退職日 here"),
            )
        })
        .collect())
}

const KANA: Col = Col::Value(Field::NameKana);

/// ID005: 氏名カナ differs after folding.
pub fn id005(_: &Ctx, pair: &Pair) -> Result<Vec<Finding>> {
    // Equal texts fold equal: only the pairs written differently are folded and compared.
    let (hits, df) = pair.hits(Side::Fund.col(KANA).neq(Side::Other.col(KANA)), &[KANA])?;
    let a = super::strs(&df, Side::Fund.name(KANA))?;
    let b = super::strs(&df, Side::Other.name(KANA))?;
    let mut out = Vec::new();
    for (i, hit) in hits.into_iter().enumerate() {
        let (Some(x), Some(y)) = (a.get(i), b.get(i)) else {
            continue;
        };
        if fold_name(x) != fold_name(y) {
            out.push(pair.finding(
                &ID005,
                hit,
                Field::NameKana,
                crate::tr!("氏名カナが異なります：組合「{x}」、{}「{y}」", "氏名カナ differs: fund 「{x}」, {} 「{y}」"; pair.kind.label()),
                crate::tr!("{}では「{y}」", "{} has 「{y}」"; pair.kind.label()),
            ));
        }
    }
    Ok(out)
}

/// ID006: 性別 differs.
pub fn id006(_: &Ctx, pair: &Pair) -> Result<Vec<Finding>> {
    const SEX: Col = Col::Value(Field::Sex);
    let (hits, df) = pair.hits(Side::Fund.col(SEX).neq(Side::Other.col(SEX)), &[SEX])?;
    let a = df.column(&Side::Fund.name(SEX))?.u8()?;
    let b = df.column(&Side::Other.name(SEX))?.u8()?;
    let name = |v: Option<u8>| match v {
        Some(1) => "男",
        Some(2) => "女",
        _ => "?",
    };
    Ok(hits
        .into_iter()
        .enumerate()
        .map(|(i, hit)| {
            pair.finding(
                &ID006,
                hit,
                Field::Sex,
                crate::tr!(
                    "性別が異なります：組合 {}、{} {}",
                    "性別 differs: fund {}, {} {}";
                    name(a.get(i)),
                    pair.kind.label(),
                    name(b.get(i))
                ),
                crate::tr!("{}では {}", "{} has {}"; pair.kind.label(), name(b.get(i))),
            )
        })
        .collect())
}
