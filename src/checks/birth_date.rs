//! BD001–BD008: dates (every date field for BD001/BD002/BD008) and birth dates.

use super::cross::Pair;
use super::{Ctx, shown};
use crate::domain::age;
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Anchor, Finding, Rule, Severity};
use crate::i18n::Tr;
use crate::prepare::{Col, Input, Side, St, c, date_lit};
use chrono::Datelike;
use polars::prelude::*;

pub static BD001: Rule = Rule {
    code: "BD001",
    name: "date-unreadable",
    severity: Severity::Error,
    summary: Tr::new(
        "日付が読めない、または解釈が一つに決まらない（すべての日付項目）",
        "date unparseable or ambiguous (any date field)",
    ),
    help: Tr::new(
        "日付を省略せずに書いてください：1954-08-01、1954/8/1、昭和29年8月1日、S29.8.1、3290801。",
        "Write the date in full: 1954-08-01, 1954/8/1, 昭和29年8月1日, S29.8.1 or 3290801.",
    ),
    explain: Tr::new(
        "## 確認する内容\nすべての日付項目（生年月日、資格取得日、資格喪失日、個人番号登録日、資格確認書有効期限、退職日）を、次のどの形式でも読みます：`1954-08-01`、`1954/8/1`、`19540801`、`1954年8月1日`、`昭和29年8月1日`、`S29.8.1`、`S29.08.01`、`S290801`、`R元.5.1`、元号コード付きの数字 `3290801`（`1-5` か `odd` かをファイルの種類ごとに `rules/columns.toml` で指定）、Excel の日付セルとシリアル値。全角・半角のどちらも受け付けます。どの形式にも当てはまらない値と、元号のない2桁の年（`29.8.1`：1929年？ 2029年？ 昭和29年？）を報告します。どの日付項目かは、指摘の列名に表示します。\n\n## 確認する理由\n読めない日付を推測で補うことはしません。生年月日が読めなければ、その方の年齢に関する確認はすべてできません。資格取得日、資格喪失日、資格確認書有効期限が読めなければ、その行では交付・返納を判定せず、送付も保留します。\n\n## 例\n`29.8.1`、`S29年13月`、`不明`。\n\n## 対処方法\n作成元で、元号付きまたは西暦4桁の年で日付を正してください。",
        "## What it does\nParses every date field (生年月日, 資格取得日, 資格喪失日, 個人番号登録日, 資格確認書有効期限, 退職日) in any accepted form: `1954-08-01`, `1954/8/1`, `19540801`, `1954年8月1日`, `昭和29年8月1日`, `S29.8.1`, `S29.08.01`, `S290801`, `R元.5.1`, the era-code digits `3290801` (`1-5` or `odd` convention per source in `rules/columns.toml`), Excel date cells and serial numbers, in full or half width. A value in none of these forms, or a two-digit year with no era (`29.8.1`: 1929? 2029? 昭和29?), is reported. The finding's column says which field.\n\n## Why it matters\nAn unreadable date is never guessed. An unreadable 生年月日 stops every age rule for the member; an unreadable 資格取得日, 資格喪失日 or 資格確認書有効期限 means the row takes no decision (no certificate, no return), and the letter is blocked.\n\n## Example\n`29.8.1`, `S29年13月`, `不明`.\n\n## How to fix\nCorrect the date in the source, with its era or a four-digit year.",
    ),
};

pub static BD002: Rule = Rule {
    code: "BD002",
    name: "date-impossible",
    severity: Severity::Error,
    summary: Tr::new(
        "元号または暦の上で存在しない日付（すべての日付項目）",
        "date impossible for its era or calendar (any date field)",
    ),
    help: Tr::new(
        "存在しない日付です。元号（平成元年は1月8日から、令和元年は5月1日から）と日を確認してください。",
        "The date does not exist: check the era (平成元年 starts on 1月8日, 令和元年 on 5月1日) and the day of the month.",
    ),
    explain: Tr::new(
        "## 確認する内容\n実在しない日付を報告します：存在しない日（`R5.2.29`、`2023-02-30`）、元号の始まる前の日付（`令和元年4月30日`、`平成元年1月7日`、`昭和0年`、1868-01-25 より前の明治）、Excel のシリアル値 60（実在しない 1900-02-29）。前後の日付に読み替えることはしません。\n\n## 確認する理由\n存在しない日付を1日ずらして読むと、70歳・75歳の境目や、資格確認書の有効期限をまたいでしまうおそれがあります。\n\n## 例\n`R1.4.30`（令和は 2019-05-01 から）。\n\n## 対処方法\n届出書類で正しい日付を確かめ、正してください。",
        "## What it does\nRejects dates that name no real day: a day that does not exist (`R5.2.29`, `2023-02-30`), a date before its era began (`令和元年4月30日`, `平成元年1月7日`, `昭和0年`, 明治 before 1868-01-25), or Excel's serial 60 (its non-existent 1900-02-29). Such a date is never coerced to a neighbour.\n\n## Why it matters\nShifting an impossible date by a day could move a member across the 70 or 75 cut-off, or a certificate across its expiry.\n\n## Example\n`R1.4.30` (令和 began on 2019-05-01).\n\n## How to fix\nFind the right date in the source documents (the 届出) and correct it.",
    ),
};

pub static BD003: Rule = Rule {
    code: "BD003",
    name: "birth-date-differs-national",
    severity: Severity::Error,
    summary: Tr::new(
        "生年月日が異なる：組合と国（職権交付対象者リストまたは登録情報）",
        "birth date differs: fund vs national (list or registry)",
    ),
    help: Tr::new(
        "国のシステムの生年月日が異なります。ご本人の書類で確認し、誤っている側を正してください。",
        "The national system has a different 生年月日: confirm with the member's documents and correct the wrong side.",
    ),
    explain: Tr::new(
        "## 確認する内容\n同じ記号・番号・枝番について、組合と、職権交付対象者リストまたは国の登録情報の生年月日を、書き方によらず日付として比べます。\n\n## 確認する理由\n国のシステムは、記号・番号・枝番と生年月日で本人を照合します。生年月日が異なると医療機関でのオンライン資格確認ができず、高齢受給者や75歳の判定も誤るおそれがあります。\n\n## 例\n組合 `1954-08-01`、リスト `S29.8.10`。\n\n## 対処方法\n届出とご本人の書類を確認し、組合の記録を正すか、国の記録の訂正を依頼してください。",
        "## What it does\nCompares 生年月日 (as dates, whatever their written form) between the fund and the national list or registry for the same key.\n\n## Why it matters\nThe national system matches people by key and birth date; a mismatch breaks online eligibility checks at clinics and can put the member on the wrong side of the 高齢受給者 or 75 cut-off.\n\n## Example\nFund `1954-08-01`, list `S29.8.10`.\n\n## How to fix\nCheck the 届出 and the member's documents; correct the fund, or report the national record for correction.",
    ),
};

pub static BD004: Rule = Rule {
    code: "BD004",
    name: "birth-date-differs-employer",
    severity: Severity::Error,
    summary: Tr::new(
        "生年月日が異なる：組合と事業主",
        "birth date differs: fund vs employer",
    ),
    help: Tr::new(
        "事業主の生年月日が異なります。従業員ご本人に確認し、誤っている記録を正してください。",
        "The employer reports a different 生年月日: confirm with the employee and correct the wrong record.",
    ),
    explain: Tr::new(
        "## 確認する内容\n同じ記号・番号・枝番について、組合と事業主のデータの生年月日を日付として比べます。\n\n## 確認する理由\n生年月日が違う場合、多くはどちらかの入力誤りか、記号・番号・枝番が別の家族を指しています。\n\n## 例\n組合 `2016-04-02`、事業主 `H28.4.12`。\n\n## 対処方法\n従業員ご本人に確認し、誤っている記録を正してください。",
        "## What it does\nCompares 生年月日 (as dates) between the fund and the employer's file for the same key.\n\n## Why it matters\nA different birth date usually means a typo on one side or a key pointing at the wrong family member.\n\n## Example\nFund `2016-04-02`, employer `H28.4.12`.\n\n## How to fix\nConfirm with the employee and correct the wrong record.",
    ),
};

pub static BD005: Rule = Rule {
    code: "BD005",
    name: "birth-date-implausible",
    severity: Severity::Error,
    summary: Tr::new(
        "生年月日が将来の日付、または120歳を超える",
        "birth date in the future or age over 120",
    ),
    help: Tr::new(
        "年と元号を確認してください。将来の日付や120歳を超える年齢は、入力誤りか元号の誤りです。",
        "Check the year and the era: a future date or an age over 120 is a typing or era error.",
    ),
    explain: Tr::new(
        "## 確認する内容\n生年月日が実行日（`--as-of`、省略時は今日。`mailing` でも基準日ではなく実行日）より後のもの、または実行日に120歳を超えるもの（年齢は年齢計算ニ関スル法律による）を報告します。\n\n## 確認する理由\nこのような日付は確実に誤りで、多くは元号の誤りです（`S29` とすべきところを `H29` と入力）。その方の年齢に関する判定もすべて誤ります。\n\n## 例\n`2030-01-01`。子の生年月日が `M30.1.1`（1897年）。\n\n## 対処方法\n届出に基づいて日付を正してください。",
        "## What it does\nReports a 生年月日 after the run date (`--as-of`, default today; in `mailing` too, not the base date), or one that makes the person older than 120 on it (ages per 年齢計算ニ関スル法律).\n\n## Why it matters\nSuch a date is certainly wrong — often the wrong era (`H29` typed for `S29`) — and every age rule for the member would be wrong with it.\n\n## Example\n`2030-01-01`; `M30.1.1` (1897) for a child.\n\n## How to fix\nCorrect the date from the 届出.",
    ),
};

pub static BD006: Rule = Rule {
    code: "BD006",
    name: "active-past-75",
    severity: Severity::Error,
    summary: Tr::new(
        "75歳の誕生日以後も資格がある",
        "member active on or past their 75th birthday",
    ),
    help: Tr::new(
        "資格は75歳の誕生日に喪失します（後期高齢者医療制度に移行）。その日を資格喪失日として登録してください。",
        "Membership ends on the 75th birthday (後期高齢者医療制度): record 資格喪失 on that day.",
    ),
    explain: Tr::new(
        "## 確認する内容\n組合の加入者台帳で、基準日に資格があり、基準日が75歳の誕生日の当日以後である方を報告します（2月29日生まれの方の誕生日は、平年は3月1日）。1949-08-15 生まれの方は、2024-08-14 は加入者、2024-08-15 は加入者ではありません。事業主のファイルは確認しません。75歳を過ぎて勤務を続ける方もいますが、喪失するのは組合の資格です。被扶養者は被保険者を通じてのみ資格があるため、被保険者が75歳の誕生日を迎えた世帯の被扶養者にも、被保険者の75歳の誕生日を示してこの指摘をします。\n\n## 確認する理由\n75歳の誕生日から、その方は組合ではなく後期高齢者医療制度に加入します。それ以後の保険給付は誤りです。判定では資格のない方として扱います：資格確認書の交付もお知らせの送付もせず、有効な資格確認書をお持ちなら返納の一覧（資格喪失）に載せます。\n\n## 例\n1950-10-20 生まれ、資格喪失日が空欄、基準日 2026-11-01。\n\n## 対処方法\n75歳の誕生日を資格喪失日として登録してください。",
        "## What it does\nFor the fund's master, reports a member active on D who is on or past their 75th birthday (for someone born on 29 February, 1 March in a common year). Born 1949-08-15: a member on 2024-08-14, not on 2024-08-15. Employer files are not judged: a 75-year-old may well still be employed; it is the fund's membership that ends. A 被扶養者 exists only through a 被保険者, so each dependent of an insured person on or past the 75th birthday gets this finding too, naming the insured person's birthday.\n\n## Why it matters\nFrom the 75th birthday the person belongs to 後期高齢者医療制度, not the fund; claims paid after it are wrong. The decisions treat the person as not a member: no certificate, no letter, and a certificate valid on D goes on the returns (資格喪失).\n\n## Example\nBorn 1950-10-20, no 資格喪失日, D = 2026-11-01.\n\n## How to fix\nRecord 資格喪失日 = the 75th birthday.",
    ),
};

pub static BD007: Rule = Rule {
    code: "BD007",
    name: "child-older-than-insured",
    severity: Severity::Warning,
    summary: Tr::new(
        "子・孫が被保険者より年上",
        "child (子/孫) older than the insured person",
    ),
    help: Tr::new(
        "子または孫の生年月日が被保険者より前です。双方の生年月日と続柄を確認してください。",
        "A child or grandchild born before the insured person: check both birth dates and the 続柄.",
    ),
    explain: Tr::new(
        "## 確認する内容\n組合の加入者台帳と事業主のファイルの世帯ごとに、続柄が子または孫の方の生年月日を、被保険者の生年月日と比べます。\n\n## 確認する理由\nほとんどが生年月日の誤り（多くは元号）か続柄の誤り（親を子として入力）で、どちらも負担割合や資格の判定を変えてしまいます。\n\n## 例\n被保険者が 1980-05-01 生まれ、子が 1958-05-01 生まれ（元号の取り違えが考えられます）。\n\n## 対処方法\n生年月日または続柄を正してください。",
        "## What it does\nIn households of the fund and employer files, compares the 生年月日 of each 子 or 孫 with the insured person's.\n\n## Why it matters\nIt is almost always a wrong birth date (often the era) or a wrong 続柄 (a parent entered as 子), either of which changes the member's ratio or eligibility.\n\n## Example\nInsured born 1980-05-01, 子 born 1958-05-01 (S33 for H33?).\n\n## How to fix\nCorrect the date or the 続柄.",
    ),
};

pub static BD008: Rule = Rule {
    code: "BD008",
    name: "ended-era-date",
    severity: Severity::Warning,
    summary: Tr::new(
        "すでに終わった元号で書かれた日付（平成31年5月1日）：読み替えた",
        "date written in an era that had already ended (平成31年5月1日): converted",
    ),
    help: Tr::new(
        "日付は読み替えました（平成31年5月1日 → 2019-05-01）。作成元のシステムを新しい元号に対応させてください。",
        "The date was converted (平成31年5月1日 → 2019-05-01); update the source system to the current era.",
    ),
    explain: Tr::new(
        "## 確認する内容\n元号が終わった後の日付をその元号で書いたもの（改元のときに更新されていないシステムが出力したもので、法令上も有効です）を受け付け、読み替えたうえで警告します。`平成31年5月1日` は 2019-05-01、`平成32年1月1日` は 2020-01-01、`昭和64年1月8日` は 1989-01-08 です。\n\n## 確認する理由\n日付そのものは正しいのですが、出力したシステムが新しい元号に対応していません。そのシステムのほかの日付も確認してください。\n\n## 例\n`H31.5.1` → 2019-05-01。\n\n## 対処方法\nこの日付についての対応は不要です。作成元のシステムの元号の設定を更新してください。",
        "## What it does\nAccepts a date written past the end of its era — what systems not yet updated at 改元 printed, and still legally valid — converts it, and warns. `平成31年5月1日` is 2019-05-01, `平成32年1月1日` is 2020-01-01, `昭和64年1月8日` is 1989-01-08.\n\n## Why it matters\nThe date is right, but the system that wrote it has not been updated for the new era; its other dates deserve a look.\n\n## Example\n`H31.5.1` → 2019-05-01.\n\n## How to fix\nNothing for this date; update the source system's era table.",
    ),
};

/// The rows of every date field whose parse status is one of `statuses`, with the status and
/// the converted date.
fn date_hits(
    input: &Input,
    statuses: &[St],
    mut finding: impl FnMut(Field, u32, St, Option<chrono::NaiveDate>) -> Finding,
) -> Result<Vec<Finding>> {
    let wanted: Vec<u8> = statuses.iter().map(|s| *s as u8).collect();
    let mut out = Vec::new();
    for field in input.source.fields.iter().copied().filter(|f| f.is_date()) {
        let hits = super::select_where(
            &input.df,
            c(Col::Status(field))
                .is_in(lit(Series::new("s".into(), &wanted)).implode(false), false),
            &[Col::Status(field), Col::Value(field)],
        )?;
        let sts = hits.column(&Col::Status(field).name())?.u8()?;
        let converted = super::dates(&hits, field.key())?;
        for (i, row) in super::idxs(&hits)?.into_iter().enumerate() {
            let status = if sts.get(i) == Some(St::Ambiguous as u8) {
                St::Ambiguous
            } else if sts.get(i) == Some(St::Impossible as u8) {
                St::Impossible
            } else if sts.get(i) == Some(St::EraEnded as u8) {
                St::EraEnded
            } else {
                St::Invalid
            };
            out.push(finding(field, row, status, converted[i]));
        }
    }
    Ok(out)
}

/// BD001: a date that is not a date in any accepted form, or a two-digit year with no era.
pub fn bd001(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    date_hits(
        input,
        &[St::Invalid, St::Ambiguous],
        |field, row, status, _| {
            let raw = shown(input.source.cell(row, field));
            let name = field.label();
            let message = if status == St::Ambiguous {
                crate::tr!(
                    "{name}{raw}は元号のない2桁の年で、年を特定できません",
                    "{name} {raw} is ambiguous: a two-digit year with no era"
                )
            } else {
                crate::tr!(
                    "{name}{raw}は日付として読めません",
                    "{name} {raw} is not a date in any accepted form"
                )
            };
            Finding::new(&BD001, Anchor::cell(input.id, row, field), message)
        },
    )
}

/// BD002: no such day, or a day before its era began. (A bad Excel serial is the reader's.)
pub fn bd002(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    date_hits(input, &[St::Impossible], |field, row, _, _| {
        let raw = shown(input.source.cell(row, field));
        let name = field.label();
        Finding::new(
            &BD002,
            Anchor::cell(input.id, row, field),
            crate::tr!(
                "{name}{raw}は、存在しない日付か、元号の始まる前の日付です",
                "{name} {raw} is not a real day (or is before its era began)"
            ),
        )
    })
}

/// BD008: written in an era that had ended; converted and valid.
pub fn bd008(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    date_hits(input, &[St::EraEnded], |field, row, _, converted| {
        let raw = shown(input.source.cell(row, field));
        let name = field.label();
        let read = converted
            .map(|d| crate::i18n::date(d).to_string())
            .unwrap_or_default();
        Finding::new(
            &BD008,
            Anchor::cell(input.id, row, field),
            crate::tr!(
                "{name}{raw}は終わった元号で書かれています。{read}として読みました",
                "{name} {raw} is written in an era that had ended: read as {read}"
            ),
        )
    })
}

/// BD005: after the run date, or older than 120 on it. Judged against `--as-of` (today by
/// default), not D: a mailing's base date may be years back, and a child born since is not
/// an error.
pub fn bd005(ctx: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let today = ctx.as_of;
    // Only the candidates reach Rust: born after today, or more than 120 calendar years back.
    let old = today.with_year(today.year() - 120).unwrap_or(today);
    let birth = c(Col::Value(Field::BirthDate));
    let pred = birth
        .clone()
        .gt(date_lit(today))
        .or(birth.lt_eq(date_lit(old)));
    let hits = super::select_where(&input.df, pred, &[Col::Value(Field::BirthDate)])?;
    let births = super::dates(&hits, Col::Value(Field::BirthDate).name())?;
    let mut out = Vec::new();
    for (i, row) in super::idxs(&hits)?.into_iter().enumerate() {
        let Some(b) = births[i] else { continue };
        let message = if b > today {
            crate::tr!("生年月日 {}は、{}より後の日付です", "生年月日 {} is after today ({})"; crate::i18n::date(b), crate::i18n::date(today))
        } else {
            match age::age_on(b, today) {
                Some(a) if a > 120 => {
                    crate::tr!("生年月日 {0}では、{2}に{1}歳となり、120歳を超えます", "生年月日 {0} makes the person {1} on {2}: over 120"; crate::i18n::date(b), a, crate::i18n::date(today))
                }
                _ => continue,
            }
        };
        out.push(Finding::new(
            &BD005,
            Anchor::cell(input.id, row, Field::BirthDate),
            message,
        ));
    }
    Ok(out)
}

/// BD006: recorded as active on D, on or past the 75th birthday — the member's own, or for a
/// dependent the insured person's: a 被扶養者 exists only through a 被保険者, so both leave
/// the fund on the insured person's 75th birthday (SPEC §4.3).
pub fn bd006(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let d = c(Col::D);
    let own = c(Col::Birth75).lt_eq(d.clone());
    let insured_ended = c(Col::IsInsured)
        .not()
        .and(c(Col::InsIdx).is_not_null())
        .and(c(Col::InsuredBirth75).lt_eq(d));
    let hits = super::select_where(
        &input.df,
        c(Col::ActiveByDates).and(own.clone().or(insured_ended)),
        &[Col::Birth75, Col::InsuredBirth75, Col::D, Col::InsIdx],
    )?;
    let own_end = super::dates(&hits, Col::Birth75.name())?;
    let ins_end = super::dates(&hits, Col::InsuredBirth75.name())?;
    let ds = super::dates(&hits, Col::D.name())?;
    let ins_idx = hits.column(&Col::InsIdx.name())?.u32()?;
    let mut out = Vec::new();
    for (i, row) in super::idxs(&hits)?.into_iter().enumerate() {
        let Some(d) = ds[i] else { continue };
        let at = Anchor::cell(input.id, row, Field::BirthDate);
        match (own_end[i].filter(|e| *e <= d), ins_end[i], ins_idx.get(i)) {
            (Some(end), _, _) => out.push(Finding::new(
                &BD006,
                at,
                crate::tr!(
                    "基準日 {}に資格がありますが、75歳の誕生日 {}に資格を喪失しています（後期高齢者医療制度）",
                    "active on D = {} but membership ended on the 75th birthday, {} (後期高齢者医療制度)";
                    crate::i18n::date(d),
                    crate::i18n::date(end)
                ),
            )),
            (None, Some(end), Some(ir)) => out.push(
                Finding::new(
                    &BD006,
                    at,
                    crate::tr!(
                        "基準日 {}に被扶養者として資格がありますが、被保険者が {}に75歳の誕生日を迎えて資格を喪失したため、被扶養者の資格も同日に喪失しています（後期高齢者医療制度）",
                        "active on D = {} as a 被扶養者, but the insured person reached the 75th birthday on {}: the household's membership ended then (後期高齢者医療制度)";
                        crate::i18n::date(d),
                        crate::i18n::date(end)
                    ),
                )
                .related(
                    Anchor::cell(input.id, ir, Field::BirthDate),
                    crate::tr!("被保険者の生年月日", "the insured person's 生年月日"),
                ),
            ),
            _ => {}
        }
    }
    Ok(out)
}

/// BD007: 子/孫 born before the insured person.
pub fn bd007(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let insured_birth = Col::Insured(Field::BirthDate);
    let pred = c(Col::Value(Field::Relationship))
        .is_in(
            lit(Series::new("r".into(), ["子", "孫"])).implode(false),
            false,
        )
        .and(c(Col::Value(Field::BirthDate)).lt(c(insured_birth)));
    let hits = super::select_where(
        &input.df,
        pred,
        &[
            Col::Value(Field::BirthDate),
            insured_birth,
            Col::InsIdx,
            Col::Value(Field::Relationship),
        ],
    )?;
    let births = super::dates(&hits, Col::Value(Field::BirthDate).name())?;
    let ins = super::dates(&hits, insured_birth.name())?;
    let ins_idx = hits.column(&Col::InsIdx.name())?.u32()?;
    let rel = super::strs(&hits, Col::Value(Field::Relationship).name())?;
    Ok(super::idxs(&hits)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let b = births[i]
                .map(|d| crate::i18n::date(d).to_string())
                .unwrap_or_default();
            let ib = ins[i]
                .map(|d| crate::i18n::date(d).to_string())
                .unwrap_or_default();
            let mut finding = Finding::new(
                &BD007,
                Anchor::cell(input.id, row, Field::BirthDate),
                crate::tr!(
                    "{}の生年月日 {b}が、被保険者の生年月日 {ib}より前です",
                    "{} born {b} is older than the insured person (born {ib})";
                    rel.get(i).unwrap_or("子")
                ),
            );
            if let Some(ir) = ins_idx.get(i) {
                finding = finding.related(
                    Anchor::cell(input.id, ir, Field::BirthDate),
                    crate::tr!("被保険者の生年月日", "the insured person's 生年月日"),
                );
            }
            finding
        })
        .collect())
}

fn birth_differs(pair: &Pair, rule: &'static Rule) -> Result<Vec<Finding>> {
    let (hits, df) = pair.hits(
        Side::Fund
            .col(Col::Value(Field::BirthDate))
            .neq(Side::Other.col(Col::Value(Field::BirthDate))),
        &[Col::Value(Field::BirthDate)],
    )?;
    let a = super::dates(&df, Side::Fund.name(Col::Value(Field::BirthDate)))?;
    let b = super::dates(&df, Side::Other.name(Col::Value(Field::BirthDate)))?;
    Ok(hits
        .into_iter()
        .enumerate()
        .map(|(i, hit)| {
            let (x, y) = (
                a[i].map(|d| crate::i18n::date(d).to_string())
                    .unwrap_or_default(),
                b[i].map(|d| crate::i18n::date(d).to_string())
                    .unwrap_or_default(),
            );
            let written = shown(pair.other_cell(hit, Field::BirthDate));
            pair.finding(
                rule,
                hit,
                Field::BirthDate,
                crate::tr!(
                    "生年月日が異なります：組合 {x}、{0} {y}。{0}の記載は{written}です",
                    "生年月日 differs: fund {x}, {0} {y} (written {written})";
                    pair.kind.label()
                ),
                crate::tr!("{}では {y}", "{} has {y}"; pair.kind.label()),
            )
        })
        .collect())
}

pub fn bd003(_: &Ctx, pair: &Pair) -> Result<Vec<Finding>> {
    birth_differs(pair, &BD003)
}

pub fn bd004(_: &Ctx, pair: &Pair) -> Result<Vec<Finding>> {
    birth_differs(pair, &BD004)
}
