//! sample-data/README.md: what the sample fund is, how each file was made, every planted
//! problem with its exact place, and the intended outcomes. Generated from the same data the
//! files are written from, so row numbers cannot drift.

use std::fmt::Write as _;

use crate::files::{Format, Table, by_member, company_name};
use crate::fund::{COMPANIES, FUND_NAME, INSURER_NO};
use crate::model::{Ctx, Member, Src};
use crate::oracle::{self, World};
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
    let w = World { m: members };
    let rows = by_member(tables);
    let mut s = String::new();
    s.push_str(INTRO);

    // Files
    let _ = writeln!(s, "## Files\n");
    let _ = writeln!(s, "| file | source kind | rows | header row | made by |");
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

    // Companies
    let _ = writeln!(s, "## The fund\n\n{FUND_NAME} (保険者番号 {INSURER_NO}).\n");
    let _ = writeln!(
        s,
        "| 記号 | 会社コード | name | notice_route | office (certificates 事業主経由, notice 事業所) | members (fund rows) |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|");
    for c in &COMPANIES {
        let n = members
            .iter()
            .filter(|m| m.in_fund && m.symbol == c.symbol)
            .count();
        let route = if c.code.is_empty() {
            "— (always 自宅)"
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
                    "**none configured** (AD005)".into()
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
        "\nFund rows: {total}; active on 2026-11-01: {active26}; active on their 2024 base date: {active24}.\n"
    );

    // Planted problems
    let _ = writeln!(s, "## Planted problems\n");
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
        "| # | file | sheet | row | column | key | code | shows in | what |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|");
    let mut n = 0;
    let mut order: Vec<(String, usize, String, String)> = Vec::new();
    for (i, m) in members.iter().enumerate() {
        for p in &m.plants {
            let tables_for: Vec<&(usize, String, usize)> = rows
                .get(&(i, p.src))
                .map(|v| v.iter().collect())
                .unwrap_or_default();
            let (file, sheet, rowtxt, column) = if let Some((ti, sh, _)) = tables_for.first() {
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
            };
            // A malformed key cannot be read: the finding's key is null (SPEC §6).
            let key = if p.codes.contains("ID001") {
                "—".to_string()
            } else {
                m.key()
            };
            let line = format!(
                "| {file} | {sheet} | {rowtxt} | {column} | {key} | {} | {} | {} |",
                p.codes,
                when(m, &p.ctx),
                cell(&p.what)
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
        "| employers/c05-sakura-foods.csv | — | — (file) | — | — | IN007 | check+reconcile 2026-11-01 | header only, no data rows |".into(),
    ));
    order.push((
        "rules/companies.toml".into(),
        0,
        "AD005".into(),
        "| fund.csv (rules/companies.toml) | — | — | 会社コード | 1005-1-00 | AD005 | check+reconcile 2026-11-01; mailing 2024-08-31 | C05 さくら食品株式会社 is office-routed with no office address: raised once per company, on its active member with the lowest key; its households' notice letters are blocked |".into(),
    ));
    order.sort_by(|a, b| (&a.0, a.1, &a.2).cmp(&(&b.0, b.1, &b.2)));
    for (_, _, _, line) in order {
        n += 1;
        let _ = writeln!(s, "| {n} {line}");
    }
    let _ = writeln!(s);

    // Outcomes: certificates, returns
    let _ = writeln!(s, "## Intended outcomes\n");
    let _ = writeln!(
        s,
        "### `reconcile --as-of 2026-11-01` (all four sources, `--employer employers/`)\n"
    );
    let _ = writeln!(s, "`certificates.csv` (sorted by key):\n");
    let _ = writeln!(
        s,
        "| key | 氏名 | 生年月日 | 交付事由 | 送付方法 | 郵便番号 | 送付先住所 | 会社コード |"
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
    let _ = writeln!(s, "\n`returns.csv` (sorted by key):\n");
    let _ = writeln!(s, "| key | 氏名 | 返納事由 | 会社コード |");
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
        マイナ保険証 holds a certificate valid beyond 2026-12-31.\n"
    );

    // Mailing
    let mail = oracle::notice(members);
    let _ = writeln!(
        s,
        "### `mailing --document notice` (base dates from checks.toml: 2024-08-31; 2024-09-14 for 任意継続/特例退職)\n"
    );
    let _ = writeln!(
        s,
        "Envelopes in 封筒番号 order (送付方法 自宅 first; 会社コード, empty first; destination 郵便番号; 記号; 番号). \
        A letter prints 個人番号下4桁 when the fund registered the My Number on or before the base date, and 負担割合 \
        only for 高齢受給者 on the base date. 特定記録 = 1 for a 自宅 envelope with any letter printing last 4.\n"
    );
    let _ = writeln!(
        s,
        "| 封筒番号 | 送付方法 | 特定記録 | 会社コード | 郵便番号 | 送付先住所 | base date | letters: key 氏名 [下4桁] [負担割合] |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|");
    for (k, e) in mail.envelopes.iter().enumerate() {
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
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {}{} |",
            k + 1,
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
        );
    }
    let letters: usize = mail.envelopes.iter().map(|e| e.letters.len()).sum();
    let _ = writeln!(
        s,
        "\n{} envelopes, {letters} letters.\n",
        mail.envelopes.len()
    );
    let _ = writeln!(s, "Households left out of `mailing.csv` (blocked):\n");
    let _ = writeln!(
        s,
        "| household (insured key) | 会社コード | base date | reason | letters held back |"
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
        9001-1-01 (個人番号登録日 2024-09-10, between the two base dates) prints last 4.\n"
    );

    // Roster
    let _ = writeln!(s, "## Roster\n");
    let _ = writeln!(
        s,
        "Every person in any source. Sources: F fund, R registry, L national list, E employer file. \
        マイナ = fund's マイナ保険証利用登録 (registry's in brackets when it differs).\n"
    );
    let _ = writeln!(
        s,
        "| key | 氏名 | 続柄 | 区分 | 会社 | 生年月日 | 取得 | 喪失 | 個人番号登録日 | マイナ | 資格確認書 | 負担割合 | 標準報酬 | sources | note |"
    );
    let _ = writeln!(
        s,
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
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
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
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
            cell(&m.note)
        );
    }
    let _ = writeln!(s);
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
