//! AD001–AD007: where a household's letters go (SPEC §4.5, §4.7, seed 004 §6), and whether
//! that destination is usable. The destination expressions here are also what `mailing` and
//! `reconcile` print, so a route is decided in one place.

use super::cross::Pair;
use super::{Ctx, Document, Mode, shown};
use crate::config::NoticeRoute;
use crate::domain::{postal, text};
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Anchor, Finding, Rule, Severity};
use crate::i18n::Tr;
use crate::prepare::route::{Route, destination, route_expr};
use crate::prepare::{Col, Input, Side, St, c};
use polars::prelude::*;

pub static AD001: Rule = Rule {
    code: "AD001",
    name: "unknown-company",
    severity: Severity::Error,
    summary: Tr::new(
        "会社コードが rules/companies.toml にない（任意継続・特例退職は空欄可）",
        "company code not in rules/companies.toml (empty is allowed for 任意継続/特例退職)",
    ),
    help: Tr::new(
        "rules/companies.toml に会社を notice_route とともに追加するか、会社コードを正してください。",
        "Add the company to rules/companies.toml with its notice_route, or correct the 会社コード.",
    ),
    explain: Tr::new(
        "## 確認する内容\n資格のある加入者の会社コードを `rules/companies.toml` と照合します。一般の世帯の被保険者で会社コードが空欄の場合はエラー、任意継続・特例退職の方は（事業所を離れているため）空欄でかまいません。被扶養者は被保険者の会社に従います。\n\n## 確認する理由\n資格情報のお知らせの送付方法は、会社によって決まります：自宅（加入者の住所あて。個人番号の下4桁を記載する場合は特定記録郵便）または事業所（事業所あてに一括送付）。会社が分からない世帯は送付方法を決められないため、送付を保留します（資格確認書の送付や、任意継続・特例退職の世帯も同じです）。reconcile でも、その世帯の資格確認書の交付は判定を保留します。\n\n## 例\n今年組合に加入した会社の会社コード `C07` が、設定に追加されていない。\n\n## 対処方法\n会社を追加してください：\n\n```toml\n[[company]]\ncode = \"C07\"\nname = \"…\"\nnotice_route = \"home\"\n```",
        "## What it does\nChecks every active member's 会社コード against `rules/companies.toml`. An empty code is an error for an insured person of a 一般 household and allowed for 任意継続/特例退職 (they left their employer); dependents take the insured person's company.\n\n## Why it matters\nThe company decides the route of the eligibility notice: 自宅 (to the member's address, 特定記録郵便 when it carries My Number digits) or 事業所 (in bulk to the office). Without a known company the household's letters cannot be routed and are blocked (certificate letters and 任意継続/特例退職 households too); reconcile withholds its certificates.\n\n## Example\n会社コード `C07` for a company that joined the fund this year and was never added to the config.\n\n## How to fix\nAdd the company:\n\n```toml\n[[company]]\ncode = \"C07\"\nname = \"…\"\nnotice_route = \"home\"\n```",
    ),
};

pub static AD002: Rule = Rule {
    code: "AD002",
    name: "home-destination-empty",
    severity: Severity::Error,
    summary: Tr::new(
        "自宅あての世帯で、送付先の郵便番号または住所が空欄",
        "自宅-routed household whose destination postal code or address is empty",
    ),
    help: Tr::new(
        "送付の前に、住所と郵便番号を確認してください。送付先のない通知は送れません。",
        "Obtain the member's address (and 郵便番号) before mailing: a letter without one cannot be sent.",
    ),
    explain: Tr::new(
        "## 確認する内容\n送付方法が自宅の、資格のある世帯について、送付先に郵便番号と住所の両方があることを確認します。送付方法は、お知らせの送付方法（会社の `notice_route`。任意継続・特例退職は常に自宅）です。ただし `mailing --document certificate` では、自宅あては任意継続・特例退職の世帯だけです。任意継続・特例退職の世帯の送付先は、居所があれば（居所郵便番号、居所）、なければ（郵便番号、住所）です。居所も住所も空欄の場合は、この指摘ではなく AD007 になります。読めない値（Excel のエラー値、文字コードとして読めないバイト）は空欄として扱います。\n\n## 確認する理由\n通知が戻ってくるか、そもそも印刷できません。個人番号の下4桁を記載する通知では、誤った住所や不完全な住所は情報の漏えいにつながります。この世帯への送付を保留します。\n\n## 例\n自宅あての会社の従業員で、住所はあるが郵便番号が空欄。\n\n## 対処方法\n事業主を経由した住所変更届に基づいて、組合の加入者台帳の住所を補ってください。",
        "## What it does\nFor every active household routed 自宅, checks that the destination has both 郵便番号 and 住所. The route is the notice route (the company's `notice_route`; 任意継続/特例退職 always 自宅) except in `mailing --document certificate`, where only 任意継続/特例退職 go 自宅. A 任意継続/特例退職 household's destination is (居所郵便番号, 居所) when 居所 is filled, else (郵便番号, 住所); both 居所 and 住所 empty is AD007 instead. A value that could not be read (an Excel error cell, undecodable bytes) counts as empty.\n\n## Why it matters\nThe letter would be returned, or never printed; for letters carrying My Number digits a wrong or partial address is a leak. The household's letters are blocked.\n\n## Example\nA 自宅-routed company's employee with 住所 filled but 郵便番号 empty.\n\n## How to fix\nComplete the address in the fund's master (from the employer's 住所変更届).",
    ),
};

pub static AD003: Rule = Rule {
    code: "AD003",
    name: "postal-code-malformed",
    severity: Severity::Error,
    summary: Tr::new("郵便番号の形式誤り", "postal code malformed"),
    help: Tr::new(
        "郵便番号は7桁（1000005）または NNN-NNNN（100-0005）の形で書いてください。",
        "Write the 郵便番号 as 7 digits (1000005) or NNN-NNNN (100-0005).",
    ),
    explain: Tr::new(
        "## 確認する内容\nNFKC 正規化と「〒」・空白の除去のあと、郵便番号（または居所郵便番号）が7桁の数字か `NNN-NNNN` であることを確認します。5桁・6桁だけの数字は先頭の0が落ちたものとして、警告（IN004）のうえ7桁に補います。それ以外（`12-345`、英字を含むもの、8桁以上）は形式誤りで、補うことはしません。\n\n## 確認する理由\n形式の誤った郵便番号あての通知は、誤って配達されるか戻ってきます。この世帯への送付を保留します。\n\n## 例\n`123-45678`、`1OO-0005`（英字のO）。\n\n## 対処方法\n郵便番号を正してください（日本郵便の郵便番号検索で、住所から調べられます）。",
        "## What it does\nAfter NFKC and removal of 〒 and white space, a 郵便番号 (or 居所郵便番号) must be 7 digits or `NNN-NNNN`. A bare 5 or 6 digit number lost leading zeros and is padded with a warning (IN004); anything else — `12-345`, letters, 8 or more digits — is malformed and never padded.\n\n## Why it matters\nA letter to a malformed postal code is misrouted or returned; the household's letters are blocked.\n\n## Example\n`123-45678`, `1OO-0005` (letter O).\n\n## How to fix\nCorrect the code (Japan Post's search gives it from the address).",
    ),
};

pub static AD004: Rule = Rule {
    code: "AD004",
    name: "postal-code-mismatch",
    severity: Severity::Warning,
    summary: Tr::new(
        "郵便番号が存在しない、または郵便番号の都道府県・市区町村が住所と異なる",
        "postal code does not exist, or its prefecture/city differs from the address's",
    ),
    help: Tr::new(
        "郵便番号と住所を照らし合わせてください。どちらかが古い可能性があります。",
        "Check the 郵便番号 against the address: one of them is probably out of date.",
    ),
    explain: Tr::new(
        "## 確認する内容\n各郵便番号を日本郵便の郵便番号データ（`rules/postal_codes.tsv` から shikaku に組み込んだもの。`--rules DIR` に同じ名前の表があればそちらを使います）で引き、比較用に正規化した住所が、その郵便番号の都道府県と市区町村で始まっているか（住所に都道府県がない場合は市区町村で始まっているか）を確認します。市区町村の郡の部分は省略されていてもかまいません。\n\n## 確認する理由\n存在しない郵便番号や別の市区町村の郵便番号は、多くは古い住所か入力誤りで、通知が届かないおそれがあります。\n\n## 例\n郵便番号 `1000005`（東京都千代田区）に、住所 `大阪府大阪市北区梅田1-1-1`。\n\n## 対処方法\nご本人に現在の住所を確認し、郵便番号または住所を正してください。",
        "## What it does\nLooks up each 郵便番号 in Japan Post's table (built into shikaku from `rules/postal_codes.tsv`; a table of the same name in `--rules DIR` replaces it) and checks that the address, folded for comparison, starts with the code's prefecture and city, or with the city alone when the address has no prefecture. The 郡 part of a city may be omitted.\n\n## Why it matters\nA code that does not exist, or belongs to another city, is usually an old address or a typo; the letter may go astray.\n\n## Example\n郵便番号 `1000005` (東京都千代田区) with 住所 `大阪府大阪市北区梅田1-1-1`.\n\n## How to fix\nConfirm the current address with the member and correct the code or the address.",
    ),
};

pub static AD005: Rule = Rule {
    code: "AD005",
    name: "office-address-missing",
    severity: Severity::Error,
    summary: Tr::new(
        "事業所あての会社に、事業所の住所が設定されていない",
        "office-routed company with no office address configured",
    ),
    help: Tr::new(
        "rules/companies.toml で、その会社の office_postal_code と office_address を設定してください。",
        "Add office_postal_code and office_address for the company in rules/companies.toml.",
    ),
    explain: Tr::new(
        "## 確認する内容\n`rules/companies.toml` で `notice_route` が `office` の会社について、`office_postal_code` と `office_address` が設定されていることを確認します。会社ごと・ファイルごとに1回報告します：`mailing` ではその会社あての通知があるとき、それ以外では基準日に資格のある加入者がいるとき。`mailing --document certificate` では報告しません（事業主経由の行は、事業所の住所が空欄でもかまいません）。\n\n## 確認する理由\nその会社の加入者への一括送付の封筒に、送付先がありません。その会社あての通知はすべて保留されます。\n\n## 例\nC05 の `notice_route = \"office\"` なのに、事業所の住所が設定されていない。\n\n## 対処方法\n```toml\n[[company]]\ncode = \"C05\"\nnotice_route = \"office\"\noffice_postal_code = \"1000005\"\noffice_address = \"東京都千代田区丸の内一丁目1番1号\"\n```",
        "## What it does\nFor a company whose `notice_route` is `office` in `rules/companies.toml`, checks that `office_postal_code` and `office_address` are configured. Raised once per company and file: in `mailing` when the company has letters in the run, elsewhere when it has a member active on D. Not raised by `mailing --document certificate`, whose 事業主経由 rows may carry a blank office address.\n\n## Why it matters\nThe bulk envelope for the company's members has nowhere to go: all their letters are blocked.\n\n## Example\n`notice_route = \"office\"` with no office address for C05.\n\n## How to fix\n```toml\n[[company]]\ncode = \"C05\"\nnotice_route = \"office\"\noffice_postal_code = \"1000005\"\noffice_address = \"東京都千代田区丸の内一丁目1番1号\"\n```",
    ),
};

pub static AD006: Rule = Rule {
    code: "AD006",
    name: "address-differs-employer",
    severity: Severity::Warning,
    summary: Tr::new(
        "事業主と組合で住所が異なる（組合の住所が古い可能性）",
        "address differs between employer and fund (the fund may be stale)",
    ),
    help: Tr::new(
        "事業主のデータの住所が異なります。事業主の住所が新しい場合は、送付の前に組合の加入者台帳を更新してください。",
        "The employer has a different address: if it is newer, update the fund before mailing.",
    ),
    explain: Tr::new(
        "## 確認する内容\n同じ記号・番号・枝番について、組合と事業主のデータの郵便番号と住所を比べます。住所は正規化してから比べます（NFKC、空白の除去、一丁目 → 1丁目、丁目・番地・番・号とダッシュ → `-`。`丸の内一丁目1番1号` と `丸の内1-1-1` は同じとみなします）。\n\n## 確認する理由\n通知は組合の住所あてに送ります。転居は事業主が先に把握することが多く、事業主の住所が異なる場合、多くは組合の住所が古く、通知が以前の住所に届いてしまいます。\n\n## 例\n組合 `東京都千代田区丸の内1-1-1`、事業主 `東京都港区芝公園4-2-8`。\n\n## 対処方法\n事業主に確認し、組合の加入者台帳を更新してください。",
        "## What it does\nCompares 郵便番号 and 住所 between the fund and the employer's file for the same key, after folding addresses (NFKC, white space removed, 一丁目 → 1丁目, 丁目/番地/番/号 and dashes → `-`, so `丸の内一丁目1番1号` = `丸の内1-1-1`).\n\n## Why it matters\nLetters go to the fund's address. Employers learn of moves first (seed 004 6-4, 6-6); a different address at the employer usually means the fund's is out of date and the letter will go to the old home.\n\n## Example\nFund `東京都千代田区丸の内1-1-1`, employer `東京都港区芝公園4-2-8`.\n\n## How to fix\nConfirm with the employer and update the fund's master.",
    ),
};

pub static AD007: Rule = Rule {
    code: "AD007",
    name: "individual-no-address",
    severity: Severity::Error,
    summary: Tr::new(
        "任意継続・特例退職の加入者に、居所も住所もない",
        "任意継続/特例退職 member with neither 居所 nor address",
    ),
    help: Tr::new(
        "任意継続・特例退職の方への通知はすべて自宅あてです。居所または住所を登録してください。",
        "任意継続/特例退職 letters always go home: record the member's 居所 or 住所.",
    ),
    explain: Tr::new(
        "## 確認する内容\n資格のある任意継続・特例退職の世帯の被保険者について、居所または住所が登録されていることを確認します。読めない値（Excel のエラー値、文字コードとして読めないバイト）は空欄として扱います。\n\n## 確認する理由\n任意継続被保険者・特例退職被保険者は事業所を離れているため、通知はすべて自宅あて（居所があれば居所、なければ住所）に送ります。どちらもなければ何も送れません。この世帯への送付を保留します。\n\n## 例\n任意継続被保険者の住所が、事業主の記録から引き継がれていない。\n\n## 対処方法\n住所を確認し（任意継続の資格取得申出書に記載があります）、登録してください。",
        "## What it does\nFor the insured person of every active 任意継続 or 特例退職 household, checks that 居所 or 住所 is recorded. A value that could not be read (an Excel error cell, undecodable bytes) counts as empty.\n\n## Why it matters\nThese members have left their employer: every letter goes to their home (seed 004 6-1), to the 居所 when present, else the address. With neither, nothing can be sent; the household's letters are blocked.\n\n## Example\nA 任意継続 member whose address was never transferred from the employer's record.\n\n## How to fix\nObtain the address (the 任意継続 application has it) and record it.",
    ),
};

fn document_of(ctx: &Ctx) -> Document {
    match ctx.mode {
        Mode::Mailing(d) => d,
        _ => Document::Notice,
    }
}

/// AD001: unknown company code.
pub fn ad001(ctx: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let known: Vec<String> = ctx
        .config
        .companies
        .iter()
        .map(|c| c.code.clone())
        .collect();
    let company = c(Col::Value(Field::Company));
    let unknown = company.clone().is_not_null().and(
        company
            .clone()
            .is_in(lit(Series::new("k".into(), known)).implode(false), false)
            .not(),
    );
    let empty_for_general = c(Col::IsInsured)
        .and(company.is_null())
        .and(c(Col::Individual).not());
    let hits = super::select_where(
        &input.df,
        c(Col::ActiveByDates).and(unknown.or(empty_for_general)),
        &[Col::IsInsured],
    )?;
    let insured = hits.column(&Col::IsInsured.name())?.bool()?;
    Ok(super::idxs(&hits)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            // A dependent's letters follow the insured person's company: its own code is
            // wrong, but it routes nothing.
            let company = input.source.cell(row, Field::Company);
            let message = match (company.as_deref(), insured.get(i)) {
                (Some(c), Some(false)) if !text::is_blank(c) => crate::tr!("被扶養者の会社コード「{c}」が rules/companies.toml にありません（送付は被保険者の会社に従います）", "a dependent's 会社コード 「{c}」 is not in rules/companies.toml (the letters follow the insured person's company)"),
                (Some(c), _) if !text::is_blank(c) => crate::tr!("会社コード「{c}」が rules/companies.toml にありません。この世帯の送付方法を決められません", "会社コード 「{c}」 is not in rules/companies.toml: the household's letters cannot be routed"),
                _ => crate::tr!("一般の被保険者の会社コードが空欄です。この世帯の送付方法を決められません", "会社コード is empty for a 一般 insured person: the household's letters cannot be routed"),
            };
            Finding::new(&AD001, Anchor::cell(input.id, row, Field::Company), message)
        })
        .collect())
}

/// AD002: a home-routed household with an empty postal code or address.
pub fn ad002(ctx: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let dest = destination();
    let route = route_expr(&ctx.config.companies, document_of(ctx));
    let pred = c(Col::IsInsured)
        .and(c(Col::ActiveByDates))
        .and(route.eq(Route::Home.lit()))
        .and(
            dest.address.clone().is_null().or(dest
                .postal
                .clone()
                .is_null()
                .and(dest.postal_status.clone().eq(St::Ok.lit()))),
        );
    // Both 居所 and 住所 empty on an individual household is AD007's.
    let ad007_case = c(Col::Individual).and(dest.address.clone().is_null());
    let df = input
        .df
        .clone()
        .lazy()
        .filter(pred.and(ad007_case.not()))
        .select([
            c(Col::Idx),
            dest.residence.alias("res"),
            dest.address.is_null().alias("no_addr"),
        ])
        .collect()?;
    let res = df.column("res")?.bool()?;
    let no_addr = df.column("no_addr")?.bool()?;
    Ok(super::idxs(&df)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let residence = res.get(i).unwrap_or(false);
            let field = match (residence, no_addr.get(i).unwrap_or(false)) {
                (true, true) => Field::ResidenceAddress,
                (true, false) => Field::ResidencePostalCode,
                (false, true) => Field::Address,
                (false, false) => Field::PostalCode,
            };
            Finding::new(
                &AD002,
                Anchor::cell(input.id, row, field),
                crate::tr!(
                    "この世帯は自宅あてですが、{}が空欄です",
                    "the household's letters go 自宅 but {} is empty";
                    field.label()
                ),
            )
        })
        .collect())
}

/// AD003: malformed postal code.
pub fn ad003(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    for field in [Field::PostalCode, Field::ResidencePostalCode] {
        if !input.has(field) {
            continue;
        }
        for row in super::rows_where(&input.df, c(Col::Status(field)).eq(St::Invalid.lit()))? {
            out.push(Finding::new(
                &AD003,
                Anchor::cell(input.id, row, field),
                crate::tr!(
                    "{}の{}は、7桁の数字でも NNN-NNNN の形でもありません",
                    "{} {} is not 7 digits or NNN-NNNN";
                    field.label(),
                    shown(input.source.cell(row, field))
                ),
            ));
        }
    }
    Ok(out)
}

/// AD004: postal code unknown to Japan Post, or in another prefecture/city than the address.
pub fn ad004(ctx: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let table = ctx.config.postal()?;
    let mut out = Vec::new();
    for (pf, af) in [
        (Field::PostalCode, Field::Address),
        (Field::ResidencePostalCode, Field::ResidenceAddress),
    ] {
        if !input.has(pf) {
            continue;
        }
        let address_col = if input.has(af) {
            col(af.key())
        } else {
            lit(NULL).cast(DataType::String)
        };
        let df = input
            .df
            .clone()
            .lazy()
            .filter(col(pf.key()).is_not_null())
            .select([c(Col::Idx), col(pf.key()), address_col.alias("addr")])
            .collect()?;
        let codes = super::strs(&df, pf.key())?;
        let addrs = super::strs(&df, "addr")?;
        // Many members share an address: fold and match each distinct (code, address) once.
        let mut memo: PlHashMap<(&str, &str), Option<String>> = PlHashMap::default();
        for (i, row) in super::idxs(&df)?.into_iter().enumerate() {
            let Some(code) = codes.get(i) else { continue };
            let addr = addrs.get(i).unwrap_or("");
            let verdict = memo
                .entry((code, addr))
                .or_insert_with(|| match table.lookup(code) {
                    None => Some(crate::tr!(
                        "{} {code} は日本郵便の郵便番号データにありません",
                        "{} {code} does not exist in Japan Post's table";
                        pf.label()
                    )),
                    Some(_) if text::is_blank(addr) => None,
                    Some(places) => {
                        let folded = text::fold_address(addr);
                        if postal::address_matches(places, &folded) {
                            None
                        } else {
                            let names: Vec<String> = places
                                .iter()
                                .map(|p| format!("{}{}", p.prefecture, p.city))
                                .collect();
                            Some(crate::tr!(
                                "{} {code} は{}の番号ですが、{}は「{addr}」です",
                                "{} {code} is in {} but {} is 「{addr}」";
                                pf.label(),
                                names.join(" / "),
                                af.label()
                            ))
                        }
                    }
                });
            if let Some(message) = verdict {
                let mut finding =
                    Finding::new(&AD004, Anchor::cell(input.id, row, pf), message.clone());
                if input.has(af) && !text::is_blank(addr) {
                    finding = finding.related(
                        Anchor::cell(input.id, row, af),
                        crate::i18n::pick(af.label(), "the address"),
                    );
                }
                out.push(finding);
            }
        }
    }
    Ok(out)
}

/// AD005: an office-routed company without an office address, once per company.
pub fn ad005(ctx: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    if ctx.mode == Mode::Mailing(Document::Certificate) {
        return Ok(Vec::new());
    }
    let missing: Vec<String> = ctx
        .config
        .companies
        .iter()
        .filter(|c| c.notice_route == NoticeRoute::Office && !c.has_office_address())
        .map(|c| c.code.clone())
        .collect();
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    // Anchored on the company's active member with the smallest key, so the finding (and a
    // baseline entry for it) does not move when the export is re-sorted.
    let df = input
        .df
        .clone()
        .lazy()
        .filter(
            c(Col::ActiveByDates).and(c(Col::Individual).not()).and(
                c(Col::Value(Field::Company))
                    .is_in(lit(Series::new("m".into(), missing)).implode(false), false),
            ),
        )
        .select([c(Col::Idx), c(Col::Value(Field::Company)), c(Col::Key)])
        .sort(
            [Col::Value(Field::Company).name(), Col::Key.name()],
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .collect()?;
    let companies = super::strs(&df, Col::Value(Field::Company).name())?;
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, row) in super::idxs(&df)?.into_iter().enumerate() {
        let Some(code) = companies.get(i) else {
            continue;
        };
        if seen.insert(code.to_string()) {
            out.push(Finding::new(
                &AD005,
                Anchor::cell(input.id, row, Field::Company),
                crate::tr!("会社 {code} は事業所あて（notice_route = \"office\"）ですが、rules/companies.toml に事業所の住所がありません。この会社あての通知は送付できません", "company {code} is routed to its office (notice_route = \"office\") but rules/companies.toml has no office address for it: its letters cannot be sent"),
            ));
        }
    }
    Ok(out)
}

/// AD007: a 任意継続/特例退職 household with neither 居所 nor address.
pub fn ad007(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let dest = destination();
    let pred = c(Col::IsInsured)
        .and(c(Col::ActiveByDates))
        .and(c(Col::Individual))
        .and(dest.address.is_null());
    Ok(super::rows_where(&input.df, pred)?
        .into_iter()
        .map(|row| {
            Finding::new(
                &AD007,
                Anchor::cell(input.id, row, Field::Address),
                crate::tr!("任意継続・特例退職の世帯で、居所も住所もありません。自宅あてに送付できません", "任意継続/特例退職 household with neither 居所 nor 住所: its letters cannot be sent home"),
            )
        })
        .collect())
}

/// AD006: employer and fund addresses differ.
pub fn ad006(_: &Ctx, pair: &Pair) -> Result<Vec<Finding>> {
    let (hits, df) = pair.hits(
        Side::Fund
            .col(Col::Value(Field::Address))
            .is_not_null()
            .and(Side::Other.col(Col::Value(Field::Address)).is_not_null()),
        &[Col::Value(Field::Address), Col::Value(Field::PostalCode)],
    )?;
    let fa = super::strs(&df, Side::Fund.name(Col::Value(Field::Address)))?;
    let oa = super::strs(&df, Side::Other.name(Col::Value(Field::Address)))?;
    let fp = super::strs(&df, Side::Fund.name(Col::Value(Field::PostalCode)))?;
    let op = super::strs(&df, Side::Other.name(Col::Value(Field::PostalCode)))?;
    let mut out = Vec::new();
    for (i, hit) in hits.into_iter().enumerate() {
        let (Some(x), Some(y)) = (fa.get(i), oa.get(i)) else {
            continue;
        };
        let postal_differs = matches!((fp.get(i), op.get(i)), (Some(a), Some(b)) if a != b);
        if text::fold_address(x) == text::fold_address(y) && !postal_differs {
            continue;
        }
        let fund = format!("{} {x}", fp.get(i).unwrap_or(""));
        let employer = format!("{} {y}", op.get(i).unwrap_or(""));
        out.push(pair.finding(
            &AD006,
            hit,
            Field::Address,
            crate::tr!(
                "住所が異なります：組合「{}」、事業主「{}」（組合の住所が古い可能性があります）",
                "address differs: fund 「{}」, employer 「{}」 (the fund may be out of date)";
                fund.trim(),
                employer.trim()
            ),
            crate::tr!("事業主では「{}」", "the employer has 「{}」"; employer.trim()),
        ));
    }
    Ok(out)
}
