//! The mailing manifest (SPEC §4.5, seed 004 §5–§7): one letter per member active on the base
//! date (for certificates: not registered for マイナ保険証), one envelope per household, the
//! route from the insured person's company, 特定記録郵便 when a 自宅 envelope carries My
//! Number digits. Letters whose data is wrong are blocked, never silently sent or dropped.

use crate::checks::routing::{self, Route, destination, route_expr};
use crate::checks::{Ctx, Document, birth_date, my_number, share_ratio, strs};
use crate::domain::elderly;
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Finding, Rule, Severity};
use crate::output::{List, Rows};
use crate::prepare::household::{hcols, ins};
use crate::prepare::{Input, MnState, cols, from_days};
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

pub const HEADERS: &[&str] = &[
    "封筒番号",
    "記号",
    "番号",
    "枝番",
    "氏名",
    "送付方法",
    "特定記録",
    "郵便番号",
    "送付先住所",
    "個人番号下4桁",
    "負担割合",
];

/// Codes that block the whole household when on its insured row (SPEC §4.5). AD001 and AD005
/// block through the route itself: an unknown company has no route, and an office route
/// without an office address has nowhere to go.
///
/// Blocking codes are single-source rules (a test holds them to it): `cmd::mailing` builds
/// the manifest from the single-source findings while the cross checks still run.
const HOUSEHOLD_BLOCKERS: &[&Rule] = &[&routing::AD002, &routing::AD003, &routing::AD007];
/// Codes that block one letter when on its own row.
const LETTER_BLOCKERS: &[&Rule] = &[
    &share_ratio::SR001,
    &share_ratio::SR002,
    &my_number::MN003,
    &my_number::MN004,
    &birth_date::BD001,
    &birth_date::BD002,
    &birth_date::BD006,
];

pub struct Manifest {
    pub list: List,
    pub notes: Vec<String>,
}

/// One letter: its row, and what it prints beyond the fund's raw 記号・番号・枝番・氏名.
struct Letter<'a> {
    row: u32,
    /// Index of its envelope in order of first letter.
    envelope: u32,
    branch: &'a str,
    last4: Option<&'a str>,
    ratio: Option<u8>,
}

/// One household's envelope. Its route and destination come from the insured person's row,
/// so they are taken from the household's first letter.
struct Envelope<'a> {
    /// Index in order of first letter (what [`Letter::envelope`] holds).
    id: u32,
    /// The household key 記号-番号, the last tie-break of the envelope order.
    household: &'a str,
    route: Route,
    company: &'a str,
    postal: &'a str,
    address: &'a str,
    symbol: &'a str,
    number: u64,
    letters: usize,
    /// A letter in it prints My Number digits.
    has_last4: bool,
}

pub fn manifest(
    ctx: &Ctx,
    fund: &Input,
    document: Document,
    findings: &[Finding],
) -> Result<Manifest> {
    let _stage = crate::timing::stage(|| "manifest".into());
    // Blocking findings on the fund's rows (errors only: warnings never block).
    let mut row_codes: PlHashMap<u32, BTreeSet<&str>> = PlHashMap::default();
    for f in findings
        .iter()
        .filter(|f| f.at.source == fund.id && f.severity >= Severity::Error)
    {
        if let Some(r) = f.at.row {
            row_codes.entry(r).or_default().insert(f.rule.code);
        }
    }
    let blocked_by = |row: u32, rules: &[&'static Rule]| -> Option<&'static str> {
        row_codes
            .get(&row)
            .and_then(|s| rules.iter().find(|r| s.contains(r.code)).map(|r| r.code))
    };

    let dest = destination(fund);
    let route = route_expr(ctx, fund, document);
    let company = if fund.has(Field::Company) {
        col(ins("company"))
    } else {
        lit(NULL).cast(DataType::String)
    };
    let registered = if fund.has(Field::MynaRegistered) {
        col("myna_registered").fill_null(lit(false))
    } else {
        lit(false)
    };
    let mut wanted = col(cols::REJECTED)
        .not()
        .and(col(cols::KEY).is_not_null())
        .and(col(hcols::ACTIVE));
    if document == Document::Certificate {
        wanted = wanted.and(registered.not());
    }
    let reg_on = if fund.has(Field::MyNumberRegisteredOn) {
        col("my_number_registered_on")
    } else {
        lit(NULL).cast(DataType::Date)
    };
    let printable_last4 = col(cols::MN_KIND)
        .is_in(
            lit(Series::new(
                "k".into(),
                [MnState::Valid as u8, MnState::Last4 as u8],
            ))
            .implode(false),
            false,
        )
        .and(reg_on.clone().is_not_null())
        .and(reg_on.lt_eq(col(hcols::D)));
    let last4 = if fund.has(Field::MyNumber) && document == Document::Notice {
        when(printable_last4)
            .then(col(cols::MN_LAST4))
            .otherwise(lit(NULL).cast(DataType::String))
    } else {
        lit(NULL).cast(DataType::String)
    };
    let ratio = if fund.has(Field::ShareRatio) {
        col("share_ratio")
    } else {
        lit(NULL).cast(DataType::UInt8)
    };
    let df = fund
        .df
        .clone()
        .lazy()
        .filter(wanted)
        .select([
            col(cols::IDX),
            col(hcols::INS_IDX),
            col(cols::HH),
            col(cols::BRANCH_N),
            route.alias("route"),
            company.alias("company"),
            dest.postal.alias("dest_postal"),
            dest.address.alias("dest_address"),
            last4.alias("last4"),
            ratio.alias("ratio"),
            col("birth_date"),
            col(hcols::D),
        ])
        .collect()?;

    let idx: Vec<u32> = df.column(cols::IDX)?.u32()?.into_no_null_iter().collect();
    let ins_idx = df.column(hcols::INS_IDX)?.u32()?;
    let hh = strs(&df, cols::HH)?;
    let branch = strs(&df, cols::BRANCH_N)?;
    let routes = strs(&df, "route")?;
    let companies = strs(&df, "company")?;
    let postals = strs(&df, "dest_postal")?;
    let addresses = strs(&df, "dest_address")?;
    let last4s = strs(&df, "last4")?;
    let ratios = df.column("ratio")?.u8()?;
    let births = df.column("birth_date")?.date()?.physical().clone();
    let ds = df.column(hcols::D)?.date()?.physical().clone();
    let src = &fund.source;
    // The raw columns once, not a by-name column lookup per cell of a million letters.
    let raw_column = |f: Field| src.raw.column(f.key()).ok().and_then(|c| c.str().ok());
    let raw_cells = [Field::Symbol, Field::Number, Field::Branch, Field::Name].map(raw_column);
    let raw_text =
        |k: usize, row: u32| raw_cells[k].and_then(|c| c.get(row as usize)).unwrap_or("");

    // Letters in row order, envelopes in order of first letter, a household's envelope by
    // its key: flat vectors, not a vector of letters per envelope.
    let mut letters: Vec<Letter> = Vec::with_capacity(idx.len());
    let mut envelopes: Vec<Envelope> = Vec::new();
    let mut by_household: PlHashMap<&str, u32> = PlHashMap::default();
    let mut blocked: BTreeMap<String, usize> = BTreeMap::new();
    for (i, row) in idx.iter().copied().enumerate() {
        let Some(h) = hh.get(i) else { continue };
        let block = |why: String, blocked: &mut BTreeMap<String, usize>| {
            *blocked.entry(why).or_default() += 1
        };
        let Some(route_label) = routes.get(i) else {
            let why = if ins_idx.get(i).is_none() {
                "route undecided: no insured person in the household (ID002)"
            } else {
                "route undecided: 会社コード not in rules/companies.toml (AD001)"
            };
            block(why.into(), &mut blocked);
            continue;
        };
        let route = match route_label {
            "自宅" => Route::Home,
            "事業所" => Route::Office,
            _ => Route::Employer,
        };
        let decider = ins_idx.get(i).unwrap_or(row);
        if let Some(code) = blocked_by(decider, HOUSEHOLD_BLOCKERS) {
            block(
                format!("household blocked by {code} on its insured person's row"),
                &mut blocked,
            );
            continue;
        }
        let company = companies.get(i).unwrap_or("");
        let (postal, address) = match route {
            Route::Home => (postals.get(i).unwrap_or(""), addresses.get(i).unwrap_or("")),
            Route::Office | Route::Employer => {
                let office = ctx.config.companies.get(company).and_then(|c| {
                    Some((
                        c.office_postal_code.as_deref()?,
                        c.office_address.as_deref()?,
                    ))
                });
                if route == Route::Office && office.is_none() {
                    block(
                        format!("company {company} has no office address (AD005)"),
                        &mut blocked,
                    );
                    continue;
                }
                office.unwrap_or_default()
            }
        };
        if route == Route::Home && (postal.is_empty() || address.is_empty()) {
            block("no destination address".into(), &mut blocked);
            continue;
        }
        if let Some(code) = blocked_by(row, LETTER_BLOCKERS) {
            block(
                format!("letter blocked by {code} on its own row"),
                &mut blocked,
            );
            continue;
        }
        let d = ds.get(i).and_then(from_days);
        let birth = births.get(i).and_then(from_days);
        let elderly_now = matches!((birth, d), (Some(b), Some(d)) if elderly::is_elderly_on(b, d));
        let ratio = if document == Document::Notice && elderly_now {
            ratios.get(i)
        } else {
            None
        };
        let envelope = *by_household.entry(h).or_insert_with(|| {
            let (symbol, number) = h.rsplit_once('-').unwrap_or(("", ""));
            let id = envelopes.len() as u32;
            envelopes.push(Envelope {
                id,
                household: h,
                route,
                company,
                postal,
                address,
                symbol,
                number: number.parse().unwrap_or(u64::MAX),
                letters: 0,
                has_last4: false,
            });
            id
        });
        let last4 = last4s.get(i);
        let env = &mut envelopes[envelope as usize];
        env.letters += 1;
        env.has_last4 |= last4.is_some();
        letters.push(Letter {
            row,
            envelope,
            branch: branch.get(i).unwrap_or(""),
            last4,
            ratio,
        });
    }

    // Envelope order (SPEC §7): 自宅 first; 会社コード as text, empty first; destination 郵便番号; 記号; 番号 as a number.
    // The household key breaks the (rare) remaining ties, so the order is total.
    let mut ordered = envelopes;
    ordered.sort_unstable_by(|a, b| {
        (
            a.route != Route::Home,
            a.company,
            a.postal,
            a.symbol,
            a.number,
            a.household,
        )
            .cmp(&(
                b.route != Route::Home,
                b.company,
                b.postal,
                b.symbol,
                b.number,
                b.household,
            ))
    });
    // Envelope number (0-based) of each envelope by its id; letters in envelope order, then
    // by 枝番 and row within it.
    let mut rank = vec![0u32; ordered.len()];
    for (n, env) in ordered.iter().enumerate() {
        rank[env.id as usize] = n as u32;
    }
    letters.sort_unstable_by(|a, b| {
        (rank[a.envelope as usize], a.branch, a.row).cmp(&(
            rank[b.envelope as usize],
            b.branch,
            b.row,
        ))
    });
    let mut per_route: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut tracked = 0usize;
    for env in &ordered {
        tracked += usize::from(env.route == Route::Home && env.has_last4);
        let e = per_route.entry(env.route.label()).or_default();
        e.0 += 1;
        e.1 += env.letters;
    }
    let mut rows = Rows::with_capacity(letters.len(), HEADERS.len(), 8);
    let (mut number, mut ratio) = (String::new(), String::new());
    for l in &letters {
        let n = rank[l.envelope as usize];
        let env = &ordered[n as usize];
        let tokutei = env.route == Route::Home && env.has_last4;
        number.clear();
        let _ = write!(number, "{}", n + 1);
        ratio.clear();
        if let Some(r) = l.ratio {
            let _ = write!(ratio, "{r}");
        }
        rows.push([
            number.as_str(),
            raw_text(0, l.row),
            raw_text(1, l.row),
            raw_text(2, l.row),
            raw_text(3, l.row),
            env.route.label(),
            if tokutei { "1" } else { "0" },
            env.postal,
            env.address,
            l.last4.unwrap_or_default(),
            ratio.as_str(),
        ]);
    }
    let planned = rows.len();
    let total_blocked: usize = blocked.values().sum();
    let mut notes = vec![format!(
        "letters planned: {planned}; letters blocked: {total_blocked}"
    )];
    for (why, n) in &blocked {
        notes.push(format!("  blocked: {n} — {why}"));
    }
    for (route, (envs, letters)) in &per_route {
        notes.push(format!("envelopes {route}: {envs} ({letters} letters)"));
    }
    notes.push(format!("特定記録郵便 envelopes: {tracked}"));
    Ok(Manifest {
        list: List {
            stem: "mailing",
            headers: HEADERS,
            rows,
        },
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::registry::{self, Runs};

    #[test]
    fn only_single_source_rules_block_a_letter() {
        for rule in HOUSEHOLD_BLOCKERS.iter().chain(LETTER_BLOCKERS) {
            let entry = registry::entry(rule.code).expect("a blocking rule is registered");
            assert!(
                matches!(entry.runs, Runs::Single(_)),
                "{} blocks letters",
                rule.code
            );
        }
    }
}
