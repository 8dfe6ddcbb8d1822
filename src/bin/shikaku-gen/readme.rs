//! sample-data/README.md: what the sample fund is, how each file was made, every planted
//! problem with its exact place, and the intended outcomes. Generated from the same data the
//! files are written from, so row numbers cannot drift.
//!
//! Staff read it too: it opens with a guide in Japanese (readme_intro.md), each table's
//! headings carry the Japanese beside the English, and every planted case is described in
//! both languages (the Japanese in the last column, so the columns tests read stay put).

use std::fmt::Write as _;

use crate::files::{Format, Places, Table, by_member, company_name};
use crate::fund::{COMPANIES, FUND_NAME, INSURER_NO};
use crate::model::{Ctx, Lang, Member, Plant, Src};
use crate::oracle::{self, Envelope, World};
use crate::text::iso;

const INTRO: &str = include_str!("readme_intro.md");
const OUTRO: &str = include_str!("readme_outro.md");

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn when(m: &Member, ctx: &[Ctx]) -> String {
    let mut out = Vec::new();
    for c in ctx {
        out.push(match c {
            Ctx::Check => "check+reconcile 2026-11-01".to_string(),
            Ctx::Reconcile => "reconcile 2026-11-01".to_string(),
            Ctx::Mailing => format!("mailing {}", iso(oracle::base_date(m))),
        });
    }
    out.join("; ")
}

pub fn render(members: &[Member], tables: &[Table], gating: &[String]) -> String {
    let rows = by_member(tables);
    let mut s = String::new();
    s.push_str(INTRO);
    files(&mut s, tables);
    fund(&mut s, members);
    planted(&mut s, members, tables, &rows);
    decisions(&mut s, members);
    mailing(&mut s, members);
    roster(&mut s, members, &rows);
    s.push_str(OUTRO);
    if !gating.is_empty() {
        let _ = writeln!(
            s,
            "\nFindings that depend on that reading (the generator's self-check lists them):\n"
        );
        for g in gating {
            let _ = writeln!(s, "- {g}");
        }
    }
    s
}

/// The files and how each was made.
fn files(s: &mut String, tables: &[Table]) {
    let _ = writeln!(s, "## Files（ファイル）\n");
    let _ = writeln!(
        s,
        "| file（ファイル） | source kind（種類） | rows（データ行数） | header row（見出し行） | made by（作成方法） |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|");
    for t in tables {
        let kind = match t.src {
            Src::Fund => "fund",
            Src::Registry => "national-registry",
            Src::List => "national-list",
            Src::Emp => "employer",
        };
        let n: usize = t.sheets.iter().map(|sh| sh.rows.len()).sum();
        let header = t
            .sheets
            .iter()
            .filter(|sh| !sh.header.is_empty())
            .map(|sh| {
                if sh.name.is_empty() {
                    format!("{}", sh.header_row())
                } else {
                    format!("{}: {}", sh.name, sh.header_row())
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let made = match t.format {
            Format::Csv => "generator (CP932, CRLF)",
            Format::Xlsx => "generator (rust_xlsxwriter)",
            Format::XlsSource => "generator .xlsx → LibreOffice → .xls (committed binary)",
            Format::OdsSource => "generator .xlsx → LibreOffice → .ods (committed binary)",
        };
        let _ = writeln!(
            s,
            "| `{}` | {kind} | {n} | {header} | {made} |",
            t.committed_path()
        );
    }
    let _ = writeln!(
        s,
        "| `../rules/companies.toml`, `../rules/checks.toml` | configuration | | | hand-written |\n"
    );
}

/// The companies of companies.toml and the member counts.
fn fund(s: &mut String, members: &[Member]) {
    let _ = writeln!(
        s,
        "## The fund（組合と会社）\n\n{FUND_NAME} (保険者番号 {INSURER_NO}).\n"
    );
    let _ = writeln!(
        s,
        "| 記号 | 会社コード | name（名称） | notice_route（お知らせの送付方法） | office (certificates 事業主経由, notice 事業所)（事業所の住所） | members (fund rows)（台帳の人数） |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|");
    for c in &COMPANIES {
        let n = members
            .iter()
            .filter(|m| m.in_fund && m.symbol == c.symbol)
            .count();
        let route = if c.code.is_empty() {
            "— (always 自宅)（常に自宅あて）"
        } else if c.office_route {
            "office"
        } else {
            "home"
        };
        let office = c
            .office
            .map(|(p, a)| format!("{p} {a}"))
            .unwrap_or_else(|| {
                if c.code.is_empty() {
                    "—".into()
                } else {
                    "**none configured（未設定）** (AD005)".into()
                }
            });
        let code = if c.code.is_empty() { "(empty)" } else { c.code };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {route} | {office} | {n} |",
            c.symbol, code, c.name
        );
    }
    let total = members.iter().filter(|m| m.in_fund).count();
    let active26 = members
        .iter()
        .filter(|m| m.in_fund && oracle::active(m, oracle::as_of()))
        .count();
    let active24 = members
        .iter()
        .filter(|m| m.in_fund && oracle::active(m, oracle::base_date(m)))
        .count();
    let _ = writeln!(
        s,
        "\nFund rows: {total}; active on 2026-11-01: {active26}; active on their 2024 base date: {active24}.\n\n\
        台帳の行数 {total}。このうち 2026-11-01 に資格がある方 {active26} 人、2024年の基準日に資格がある方 {active24} 人です。\n"
    );
}

/// Every planted problem with its place, in file and row order.
fn planted(s: &mut String, members: &[Member], tables: &[Table], rows: &Places) {
    let _ = writeln!(s, "## Planted problems（わざと入れた誤り）\n");
    let _ = writeln!(
        s,
        "Row = spreadsheet row number as the sheet shows it, or for CSV the 1-based record number \
        (title records and the header count; a quoted multi-line record counts once). Column = the canonical field's \
        first alias (what `column` in the JSON says), with the file's own header in brackets where it differs. \
        Key = `記号-番号-枝番` with 番号 without leading zeros. \"check+reconcile\" = single-source, shown by \
        `check` and by `reconcile` at `--as-of 2026-11-01`; \"reconcile\" = cross-source; \"mailing DATE\" = \
        `mailing --document notice` at that base date (fund rows only).\n"
    );
    let _ = writeln!(
        s,
        "1行が、わざと入れた誤り1件（指摘1件）です。行は Excel のシートに表示される行番号、CSV では1から数えたレコード番号\
        （表題と見出しも数え、引用符で囲んだ複数行の値は1件と数えます）です。項目は項目名で、ファイルの見出しが異なるときは [ ] に\
        見出しを示します。記号-番号-枝番の番号は先頭の0を除いています。「check+reconcile」は1つのファイルで分かる誤りで、\
        `check` と `reconcile`（基準日 2026-11-01）の両方に出ます。「reconcile」はファイルを突き合わせて分かる誤りで、`reconcile` \
        だけに出ます。「mailing 日付」は、その基準日の `mailing --document notice` に出ます（組合の台帳の行のみ）。最後の列に、\
        内容を日本語で示します。\n"
    );
    let _ = writeln!(
        s,
        "| # | file（ファイル） | sheet（シート） | row（行） | column（項目） | key（記号-番号-枝番） | code（コード） | shows in（表示されるコマンド） | what | 内容 |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|---|");
    let mut n = 0;
    let mut order: Vec<(String, usize, String, String)> = Vec::new();
    for (i, m) in members.iter().enumerate() {
        for p in &m.plants {
            let (file, sheet, rowtxt, column) = place(i, p, tables, rows);
            // A malformed key cannot be read: the finding's key is null (SPEC §6).
            let key = if p.codes.contains("ID001") {
                "—".to_string()
            } else {
                m.key()
            };
            let line = format!(
                "| {file} | {sheet} | {rowtxt} | {column} | {key} | {} | {} | {} | {} |",
                p.codes,
                when(m, &p.ctx),
                cell(p.what.en),
                cell(p.what.ja)
            );
            let first_row = rowtxt
                .split(',')
                .next()
                .and_then(|r| r.trim().parse().ok())
                .unwrap_or(0);
            order.push((file, first_row, p.codes.to_string(), line));
        }
    }
    // File-level findings.
    order.push((
        "employers/c05-sakura-foods.csv".into(),
        0,
        "IN007".into(),
        "| employers/c05-sakura-foods.csv | — | — (file) | — | — | IN007 | check+reconcile 2026-11-01 | header only, no data rows | 見出し行だけで、データ行がありません |".into(),
    ));
    order.push((
        "rules/companies.toml".into(),
        0,
        "AD005".into(),
        "| fund.csv (rules/companies.toml) | — | — | 会社コード | 1005-1-00 | AD005 | check+reconcile 2026-11-01; mailing 2024-08-31 | C05 さくら食品株式会社 is office-routed with no office address: raised once per company, on its active member with the lowest key; its households' notice letters are blocked | \
        C05 さくら食品株式会社は事業所あてですが、事業所の住所が設定されていません。会社ごとに1件、資格のある方のうち記号・番号・枝番が\
        いちばん小さい方の行で報告します。この会社の世帯のお知らせは送付を保留します |".into(),
    ));
    order.sort_by(|a, b| (&a.0, a.1, &a.2).cmp(&(&b.0, b.1, &b.2)));
    for (_, _, _, line) in order {
        n += 1;
        let _ = writeln!(s, "| {n} {line}");
    }
    let _ = writeln!(s);
}

/// `reconcile`'s certificates.csv and returns.csv.
fn decisions(s: &mut String, members: &[Member]) {
    let w = World { m: members };
    let _ = writeln!(s, "## Intended outcomes（意図した結果）\n");
    let _ = writeln!(
        s,
        "### `reconcile --as-of 2026-11-01` (all four sources, `--employer employers/`)（4種類の入力すべてで突合）\n"
    );
    let _ = writeln!(
        s,
        "`certificates.csv` (sorted by key): 資格確認書を交付する方（記号・番号・枝番の順）\n"
    );
    let _ = writeln!(
        s,
        "| key（記号-番号-枝番） | 氏名 | 生年月日 | 交付事由 | 送付方法 | 郵便番号 | 送付先住所 | 会社コード |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|");
    let mut fund_idx: Vec<usize> = (0..members.len()).filter(|&i| members[i].in_fund).collect();
    fund_idx.sort_by(|&a, &b| {
        let (x, y) = (&members[a], &members[b]);
        (x.symbol.as_str(), x.number, x.branch).cmp(&(y.symbol.as_str(), y.number, y.branch))
    });
    for &i in &fund_idx {
        let m = &members[i];
        let (cert, _, _) = w.decide(m);
        if let Some(reason) = cert {
            let (route, p, a) = if m.mtype.individual() {
                let (p, a) = w.home_destination(m);
                ("自宅", p, a)
            } else {
                let c = COMPANIES.iter().find(|c| c.code == m.company);
                let (p, a) = c.and_then(|c| c.office).unwrap_or(("", ""));
                ("事業主経由", p.to_string(), a.to_string())
            };
            let p = if p.is_empty() {
                "(blank)".to_string()
            } else {
                p
            };
            let a = if a.is_empty() {
                "(blank)".to_string()
            } else {
                a
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {reason} | {route} | {p} | {a} | {} |",
                m.key(),
                m.name,
                iso(m.birth),
                m.company
            );
        }
    }
    let _ = writeln!(
        s,
        "\n`returns.csv` (sorted by key): 返納を求める方（記号・番号・枝番の順）\n"
    );
    let _ = writeln!(
        s,
        "| key（記号-番号-枝番） | 氏名 | 返納事由 | 会社コード |"
    );
    let _ = writeln!(s, "|---|---|---|---|");
    for &i in &fund_idx {
        let m = &members[i];
        if let (_, Some(r), _) = w.decide(m) {
            let _ = writeln!(s, "| {} | {} | {r} | {} |", m.key(), m.name, m.company);
        }
    }
    let _ = writeln!(
        s,
        "\nNobody else is issued or asked to return anything: every other active member not registered for \
        マイナ保険証 holds a certificate valid beyond 2026-12-31.\n\n\
        このほかに、交付・返納の対象となる方はいません。資格があり、マイナ保険証の利用登録がないほかの方は、いずれも 2026-12-31 より\
        後まで有効な資格確認書をお持ちです。\n"
    );
}

/// `mailing --document notice`: the envelopes and the blocked households.
fn mailing(s: &mut String, members: &[Member]) {
    let mail = oracle::notice(members);
    let _ = writeln!(
        s,
        "### `mailing --document notice` (base dates from checks.toml: 2024-08-31; 2024-09-14 for 任意継続/特例退職)（資格情報のお知らせの送付）\n"
    );
    let _ = writeln!(
        s,
        "Envelopes in 封筒番号 order (送付方法 自宅 first; 会社コード, empty first; destination 郵便番号; 記号; 番号). \
        A letter prints 個人番号下4桁 when the fund registered the My Number on or before the base date, and 負担割合 \
        only for 高齢受給者 on the base date. 特定記録 = 1 for a 自宅 envelope with any letter printing last 4.\n"
    );
    let _ = writeln!(
        s,
        "封筒は封筒番号の順です（送付方法は自宅が先。続いて会社コード（空欄が先）、送付先の郵便番号、記号、番号の順）。\
        個人番号の下4桁は、組合が基準日までに個人番号を登録した方だけに記載し、負担割合は基準日に高齢受給者の方だけに記載します。\
        下4桁を記載する通知が1通でも入る自宅あての封筒は、特定記録郵便（特定記録 = 1）です。最後の列は封筒に入る通知で、\
        「記号-番号-枝番 氏名 [下4桁] [負担割合]」の形です（[—] は下4桁なし）。「blocked:」の後は、送付を保留した通知です。\n"
    );
    let _ = writeln!(
        s,
        "| 封筒番号 | 送付方法 | 特定記録 | 会社コード | 郵便番号 | 送付先住所 | base date（基準日） | letters: key 氏名 [下4桁] [負担割合]（封入する通知） |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|");
    for (k, e) in mail.envelopes.iter().enumerate() {
        let _ = writeln!(s, "{}", envelope_row(k + 1, e, members));
    }
    let letters: usize = mail.envelopes.iter().map(|e| e.letters.len()).sum();
    let _ = writeln!(
        s,
        "\n{envelopes} envelopes, {letters} letters.（封筒 {envelopes}通、通知 {letters}通）\n",
        envelopes = mail.envelopes.len()
    );
    let _ = writeln!(
        s,
        "Households left out of `mailing.csv` (blocked): 送付を保留した世帯\n"
    );
    let _ = writeln!(
        s,
        "| household (insured key)（世帯：被保険者の記号-番号-枝番） | 会社コード | base date（基準日） | reason（理由） | letters held back（保留した通知） |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|");
    for (i, why, d, n) in &mail.blocked_households {
        let m = &members[*i];
        let _ = writeln!(
            s,
            "| {} | {} | {} | {why} | {n} |",
            m.key(),
            m.company,
            iso(*d)
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Seed 004 pins in this mailing: 1001-1-00 (born 1954-08-01) prints 負担割合 3 and 1001-1-01 (born \
        1954-08-02) prints none at 2024-08-31; 9001-1-00 (任意継続, born 1954-09-01) prints 2 and 9001-1-01 (born 1954-09-02) \
        prints none at 2024-09-14; 1001-5-00 (個人番号登録日 2024-10-15) prints no last 4 and her 自宅 envelope is 特定記録 0; \
        9001-1-01 (個人番号登録日 2024-09-10, between the two base dates) prints last 4.\n\n\
        一斉送付 FAQ の事例は、この送付で次のとおりです。1001-1-00（1954-08-01 生まれ）は負担割合 3割を記載し、1001-1-01\
        （1954-08-02 生まれ）は基準日 2024-08-31 には記載しません。9001-1-00（任意継続、1954-09-01 生まれ）は 2割を記載し、\
        9001-1-01（1954-09-02 生まれ）は基準日 2024-09-14 には記載しません。1001-5-00（個人番号登録日 2024-10-15）は下4桁を記載せず、\
        自宅あての封筒は特定記録郵便になりません。9001-1-01（個人番号登録日 2024-09-10。2つの基準日の間）は下4桁を記載します。\n"
    );
}

/// Every person in any source.
fn roster(s: &mut String, members: &[Member], rows: &Places) {
    let _ = writeln!(s, "## Roster（加入者の一覧）\n");
    let _ = writeln!(
        s,
        "Every person in any source. Sources: F fund, R registry, L national list, E employer file. \
        マイナ = fund's マイナ保険証利用登録 (registry's in brackets when it differs).\n"
    );
    let _ = writeln!(
        s,
        "どれかのファイルに載っている方全員です。取得・喪失は資格取得日・資格喪失日、資格確認書はその有効期限、標準報酬は\
        標準報酬月額（円）です。入力：F 組合の加入者台帳、R 国の登録情報、L 職権交付対象者リスト、E 事業主のファイル。マイナは組合の\
        マイナ保険証利用登録で、国の登録情報と異なるときは国の値を（ ）に示します。\n"
    );
    let _ = writeln!(
        s,
        "| key（記号-番号-枝番） | 氏名 | 続柄 | 区分 | 会社 | 生年月日 | 取得 | 喪失 | 個人番号登録日 | マイナ | 資格確認書 | 負担割合 | 標準報酬 | sources（入力） | note | 備考 |"
    );
    let _ = writeln!(
        s,
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    let mut all: Vec<usize> = (0..members.len()).collect();
    all.sort_by(|&a, &b| {
        let (x, y) = (&members[a], &members[b]);
        (x.symbol.as_str(), x.number, x.branch).cmp(&(y.symbol.as_str(), y.number, y.branch))
    });
    for i in all {
        let m = &members[i];
        let mut src = String::new();
        if m.in_fund {
            src.push('F');
        }
        if m.in_registry {
            src.push('R');
        }
        if m.on_list.is_some() {
            src.push('L');
        }
        if rows.contains_key(&(i, Src::Emp)) {
            src.push('E');
        }
        let myna = match m.registry_myna {
            Some(r) if r != m.myna => format!("{} ({})", m.myna as u8, r as u8),
            _ => (m.myna as u8).to_string(),
        };
        let company = if m.company.is_empty() {
            String::new()
        } else {
            format!("{} {}", m.company, company_name(&m.company))
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            m.key(),
            m.name,
            m.rel.label(),
            m.mtype.label(),
            company,
            iso(m.birth),
            iso(m.acquired),
            m.lost.map(iso).unwrap_or_default(),
            m.mn_registered.map(iso).unwrap_or_default(),
            myna,
            m.cert.map(iso).unwrap_or_default(),
            m.ratio.map(|r| r.to_string()).unwrap_or_default(),
            m.remuneration.map(|r| r.to_string()).unwrap_or_default(),
            src,
            cell(m.note_in(Lang::En)),
            cell(m.note_in(Lang::Ja))
        );
    }
    let _ = writeln!(s);
}

/// Where a planted problem is: (file, sheet, rows, column as the file heads it).
fn place(i: usize, p: &Plant, tables: &[Table], rows: &Places) -> (String, String, String, String) {
    let tables_for: Vec<&(usize, String, usize)> = rows
        .get(&(i, p.src))
        .map(|v| v.iter().collect())
        .unwrap_or_default();
    if let Some((ti, sh, _)) = tables_for.first() {
        let t = &tables[*ti];
        let rows_txt = tables_for
            .iter()
            .map(|(_, _, r)| r.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let shobj = t.sheets.iter().find(|x| &x.name == sh);
        let col = match (p.field, shobj) {
            (Some(f), Some(o)) => {
                let h = o.column_of(f).unwrap_or(f.label());
                if h == f.label() {
                    f.label().to_string()
                } else {
                    format!("{} [{h}]", f.label())
                }
            }
            (Some(f), None) => f.label().to_string(),
            (None, _) => "—".to_string(),
        };
        (
            t.committed_path(),
            if sh.is_empty() {
                "—".to_string()
            } else {
                sh.clone()
            },
            rows_txt,
            col,
        )
    } else {
        ("?".into(), "—".into(), "?".into(), "?".into())
    }
}

/// One envelope of the intended mailing: its letters, and the letters held back from it.
fn envelope_row(number: usize, e: &Envelope, members: &[Member]) -> String {
    let letters: Vec<String> = e
        .letters
        .iter()
        .map(|l| {
            let m = &members[l.member];
            let mut t = format!("{} {}", m.key(), m.name);
            t.push_str(&match &l.last4 {
                Some(x) => format!(" [{x}]"),
                None => " [—]".into(),
            });
            if let Some(r) = l.ratio {
                let _ = write!(t, " [{r}割]");
            }
            t
        })
        .collect();
    let mut extra = String::new();
    for (i, why) in &e.blocked_letters {
        let _ = write!(extra, "; blocked: {} ({why})", members[*i].key());
    }
    format!(
        "| {} | {} | {} | {} | {} | {} | {} | {}{} |",
        number,
        e.route,
        if e.tokutei { 1 } else { 0 },
        if e.company.is_empty() {
            "(empty)"
        } else {
            &e.company
        },
        if e.postal.is_empty() {
            "(blank)"
        } else {
            &e.postal
        },
        e.address,
        iso(e.base),
        letters.join("<br>"),
        extra
    )
}

/// `sample-data/expected.json`: the planted findings of the README's table, for machines —
/// one object per planted finding and record: file, sheet, row, column, key, code and the
/// commands it shows in (`check`, `reconcile`, `mailing`).
pub fn expected_json(members: &[Member], tables: &[Table]) -> String {
    let rows = by_member(tables);
    let mut out = Vec::new();
    for (i, m) in members.iter().enumerate() {
        for p in &m.plants {
            let (file, sheet, rowtxt, _) = place(i, p, tables, &rows);
            let key = (!p.codes.contains("ID001")).then(|| m.key());
            let shows: Vec<&str> = p
                .ctx
                .iter()
                .flat_map(|c| match c {
                    Ctx::Check => vec!["check", "reconcile"],
                    Ctx::Reconcile => vec!["reconcile"],
                    Ctx::Mailing => vec!["mailing"],
                })
                .collect();
            for row in rowtxt.split(',').map(str::trim) {
                for code in p.codes.split(',').map(str::trim) {
                    out.push(serde_json::json!({
                        "file": file,
                        "sheet": (sheet != "—").then_some(&sheet),
                        "row": row.parse::<u64>().ok(),
                        "column": p.field.map(|f| f.label()),
                        "key": key,
                        "code": code,
                        "shows": shows,
                    }));
                }
            }
        }
    }
    // The two findings the table adds by hand (see `planted`): a file with no data rows, and
    // the office address rules/companies.toml lacks, on C05's member with the lowest key.
    out.push(serde_json::json!({
        "file": "employers/c05-sakura-foods.csv", "sheet": null, "row": null, "column": null,
        "key": null, "code": "IN007", "shows": ["check", "reconcile"],
    }));
    let c05 = members
        .iter()
        .position(|m| m.in_fund && m.key() == "1005-1-00");
    let c05_row = c05
        .and_then(|i| rows.get(&(i, crate::model::Src::Fund)))
        .and_then(|v| v.first())
        .map(|(_, _, r)| *r);
    out.push(serde_json::json!({
        "file": "fund.csv", "sheet": null, "row": c05_row, "column": "会社コード",
        "key": "1005-1-00", "code": "AD005", "shows": ["check", "reconcile", "mailing"],
    }));
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}
