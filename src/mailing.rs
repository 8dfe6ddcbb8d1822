//! The mailing manifest (SPEC §4.5, seed 004 §5–§7): one letter per member active on the base
//! date (for certificates: not registered for マイナ保険証), one envelope per household, the
//! route from the insured person's company, 特定記録郵便 when a 自宅 envelope carries My
//! Number digits. Letters whose data is wrong are blocked, never silently sent or dropped.
//!
//! Unknown is never "no" (SPEC §4.0): a member not known to be inactive on D is either a
//! letter or a blocked letter, counted under the code of the finding that says why. So the
//! manifest is built in three steps: [`letter_frame`] (polars: who, where, what prints, and the
//! first unreadable value each decision reads), [`plan`] (blocking, envelopes) and [`rows`].

use crate::checks::identity::ID002;
use crate::checks::routing::{self, AD001, AD002, AD005, AD007};
use crate::checks::{Ctx, Document, birth_date, cause, my_number, share_ratio, strs};
use crate::domain::elderly;
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Finding, Rule, Severity};
use crate::output::{List, Rows};
use crate::prepare::readable::{Read, first_unreadable};
use crate::prepare::route::{Route, destination, route_expr};
use crate::prepare::{Col, Input, MnState, c, from_days, unreadable};
use crate::report::Letters;
use polars::prelude::*;
use std::collections::BTreeSet;
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

/// Rules that block the whole household when on its insured row (SPEC §4.5). An unknown
/// company and an office route without an office address also block through the route
/// itself: such a household has nowhere to go, whatever `checks.toml` says of AD001/AD005.
///
/// Blocking rules are single-source rules (a test holds them to it): `cmd::mailing` builds
/// the manifest from the single-source findings while the cross checks still run.
const HOUSEHOLD_BLOCKERS: &[&Rule] = &[
    &routing::AD001,
    &routing::AD002,
    &routing::AD003,
    &routing::AD005,
    &routing::AD007,
];
/// Rules that block one letter when on its own row.
const LETTER_BLOCKERS: &[&Rule] = &[
    &share_ratio::SR001,
    &share_ratio::SR002,
    &my_number::MN003,
    &my_number::MN004,
    &birth_date::BD001,
    &birth_date::BD002,
    &birth_date::BD006,
];

use Field::*;
use Read::{Insured, Own};

/// The letter frame's own columns, beside the schema's (prepare::Col): one name each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum W {
    Registered,
    Route,
    Company,
    DestPostal,
    DestAddress,
    DestResidence,
    Last4,
    Ratio,
    Birth,
    WhyActivity,
    WhyRegistration,
    WhyRoute,
    WhyCompany,
    WhyResidence,
    WhyPrinted,
    WhyLast4,
    WhyRatio,
}

impl W {
    fn name(self) -> &'static str {
        match self {
            W::Registered => "registered",
            W::Route => "route",
            W::Company => "company",
            W::DestPostal => "dest_postal",
            W::DestAddress => "dest_address",
            W::DestResidence => "dest_residence",
            W::Last4 => "last4",
            W::Ratio => "ratio",
            W::Birth => "birth",
            W::WhyActivity => "why_activity",
            W::WhyRegistration => "why_registration",
            W::WhyRoute => "why_route",
            W::WhyCompany => "why_company",
            W::WhyResidence => "why_residence",
            W::WhyPrinted => "why_printed",
            W::WhyLast4 => "why_last4",
            W::WhyRatio => "why_ratio",
        }
    }

    fn c(self) -> Expr {
        col(self.name())
    }
}

/// Whether the member is active on D: the dates and the 75th birthdays.
const ACTIVITY_READS: &[Read] = &[
    Own(AcquiredOn),
    Own(LostOn),
    Own(BirthDate),
    Insured(BirthDate),
];
/// The route: the household's 被保険者区分 and its company.
const ROUTE_READS: &[Read] = &[Insured(MemberType)];
const COMPANY_READS: &[Read] = &[Insured(Company)];
/// A 任意継続/特例退職 household's destination: its 居所 when present. (An unreadable 住所 or
/// 郵便番号 counts as empty: AD002/AD007, SPEC §4.0.)
const RESIDENCE_READS: &[Read] = &[Insured(ResidenceAddress)];

pub struct Manifest {
    pub list: List,
    pub letters: Letters,
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
    let t = crate::timing::stage(|| "manifest: letter frame".into());
    let df = letter_frame(ctx, fund, document)?;
    drop(t);
    let t = crate::timing::stage(|| "manifest: plan".into());
    let blockers = Blockers::new(fund, findings);
    let plan = plan(ctx, fund, document, &df, &blockers)?;
    drop(t);
    let _t = crate::timing::stage(|| "manifest: rows".into());
    let (rows, letters) = rows(fund, plan);
    Ok(Manifest {
        list: List {
            stem: "mailing",
            headers: HEADERS,
            rows,
        },
        letters,
    })
}

/// Every member not known to be inactive on D (for certificates: not known to be registered),
/// with the route, the destination, what the letter would print and the first unreadable
/// value of each decision it takes.
fn letter_frame(ctx: &Ctx, fund: &Input, document: Document) -> Result<DataFrame> {
    let dest = destination();
    // Only the certificate reads registration (SPEC §4.5); unreadable, it withholds the letter.
    let registered = if document == Document::Certificate {
        when(unreadable(MynaRegistered))
            .then(lit(NULL).cast(DataType::Boolean))
            .otherwise(c(Col::Value(Field::MynaRegistered)).fill_null(lit(false)))
    } else {
        lit(false)
    };
    let mut wanted = c(Col::Rejected)
        .not()
        .and(c(Col::Key).is_not_null())
        .and(c(Col::Active).neq(lit(false)).fill_null(lit(true)));
    if document == Document::Certificate {
        wanted = wanted.and(W::Registered.c().neq(lit(true)).fill_null(lit(true)));
    }
    let reg_on = c(Col::Value(MyNumberRegisteredOn));
    let mn_printable = c(Col::MnKind).is_in(
        lit(Series::new(
            "k".into(),
            [MnState::Valid as u8, MnState::Last4 as u8],
        ))
        .implode(false),
        false,
    );
    let last4 = if document == Document::Notice {
        when(
            mn_printable
                .clone()
                .and(reg_on.clone().is_not_null())
                .and(reg_on.lt_eq(c(Col::D))),
        )
        .then(c(Col::Value(Field::MyNumber)))
        .otherwise(lit(NULL).cast(DataType::String))
    } else {
        lit(NULL).cast(DataType::String)
    };
    // What the letter prints beyond the key: 氏名, and on the notice 個人番号下4桁 (its
    // registration date decides it) and 負担割合 (read where the member is 高齢受給者).
    let mut printed = vec![Own(Name)];
    if document == Document::Notice {
        printed.push(Own(MyNumber));
    }
    let null_u8 = || lit(NULL).cast(DataType::UInt8);
    let notice_only = |e: Expr| {
        if document == Document::Notice {
            e
        } else {
            null_u8()
        }
    };
    Ok(fund
        .df
        .clone()
        .lazy()
        .with_column(registered.alias(W::Registered.name()))
        .filter(wanted)
        .select([
            c(Col::Idx),
            c(Col::InsIdx),
            c(Col::Household),
            c(Col::Branch2),
            c(Col::Active),
            W::Registered.c(),
            c(Col::Individual),
            route_expr(&ctx.config.companies, document).alias(W::Route.name()),
            c(Col::Insured(Field::Company)).alias(W::Company.name()),
            dest.postal.alias(W::DestPostal.name()),
            dest.address.alias(W::DestAddress.name()),
            dest.residence.alias(W::DestResidence.name()),
            last4.alias(W::Last4.name()),
            c(Col::Value(ShareRatio)).alias(W::Ratio.name()),
            c(Col::Value(BirthDate)).alias(W::Birth.name()),
            c(Col::D),
            first_unreadable(ACTIVITY_READS).alias(W::WhyActivity.name()),
            first_unreadable(&[Own(MynaRegistered)]).alias(W::WhyRegistration.name()),
            first_unreadable(ROUTE_READS).alias(W::WhyRoute.name()),
            first_unreadable(COMPANY_READS).alias(W::WhyCompany.name()),
            first_unreadable(RESIDENCE_READS).alias(W::WhyResidence.name()),
            first_unreadable(&printed).alias(W::WhyPrinted.name()),
            notice_only(
                when(mn_printable)
                    .then(first_unreadable(&[Own(MyNumberRegisteredOn)]))
                    .otherwise(null_u8()),
            )
            .alias(W::WhyLast4.name()),
            notice_only(first_unreadable(&[Own(ShareRatio)])).alias(W::WhyRatio.name()),
        ])
        .collect()?)
}

/// The blocking findings (errors only: warnings never block), by fund row.
struct Blockers<'a> {
    by_row: PlHashMap<u32, BTreeSet<&'a str>>,
}

impl<'a> Blockers<'a> {
    fn new(fund: &Input, findings: &'a [Finding]) -> Blockers<'a> {
        let mut by_row: PlHashMap<u32, BTreeSet<&str>> = PlHashMap::default();
        for f in findings
            .iter()
            .filter(|f| f.at.source == fund.id && f.severity >= Severity::Error)
        {
            if let Some(r) = f.at.row {
                by_row.entry(r).or_default().insert(f.rule.code);
            }
        }
        Blockers { by_row }
    }

    fn first(&self, row: u32, rules: &[&'static Rule]) -> Option<&'static Rule> {
        let codes = self.by_row.get(&row)?;
        rules.iter().copied().find(|r| codes.contains(r.code))
    }
}

/// The letters and envelopes, before numbering.
struct Plan<'a> {
    letters: Vec<Letter<'a>>,
    envelopes: Vec<Envelope<'a>>,
    counts: Letters,
}

/// The columns of the letter frame, typed once.
struct Frame<'a> {
    ins_idx: &'a UInt32Chunked,
    hh: &'a StringChunked,
    branch: &'a StringChunked,
    active: &'a BooleanChunked,
    registered: &'a BooleanChunked,
    individual: &'a BooleanChunked,
    route: &'a UInt8Chunked,
    company: &'a StringChunked,
    postal: &'a StringChunked,
    address: &'a StringChunked,
    residence: &'a BooleanChunked,
    last4: &'a StringChunked,
    ratio: &'a UInt8Chunked,
    birth: Int32Chunked,
    d: Int32Chunked,
    why: [&'a UInt8Chunked; 8],
}

impl<'a> Frame<'a> {
    fn new(df: &'a DataFrame) -> Result<Frame<'a>> {
        let u8s = |n: &str| -> Result<&'a UInt8Chunked> { Ok(df.column(n)?.u8()?) };
        let bools = |n: &str| -> Result<&'a BooleanChunked> { Ok(df.column(n)?.bool()?) };
        Ok(Frame {
            ins_idx: df.column(&Col::InsIdx.name())?.u32()?,
            hh: strs(df, Col::Household.name())?,
            branch: strs(df, Col::Branch2.name())?,
            active: bools(&Col::Active.name())?,
            registered: bools(W::Registered.name())?,
            individual: bools(&Col::Individual.name())?,
            route: u8s(W::Route.name())?,
            company: strs(df, W::Company.name())?,
            postal: strs(df, W::DestPostal.name())?,
            address: strs(df, W::DestAddress.name())?,
            residence: bools(W::DestResidence.name())?,
            last4: strs(df, W::Last4.name())?,
            ratio: u8s(W::Ratio.name())?,
            birth: df.column(W::Birth.name())?.date()?.physical().clone(),
            d: df.column(&Col::D.name())?.date()?.physical().clone(),
            why: [
                u8s(W::WhyActivity.name())?,
                u8s(W::WhyRegistration.name())?,
                u8s(W::WhyRoute.name())?,
                u8s(W::WhyCompany.name())?,
                u8s(W::WhyResidence.name())?,
                u8s(W::WhyPrinted.name())?,
                u8s(W::WhyLast4.name())?,
                u8s(W::WhyRatio.name())?,
            ],
        })
    }
}

const WHY_ACTIVITY: usize = 0;
const WHY_REGISTRATION: usize = 1;
const WHY_ROUTE: usize = 2;
const WHY_COMPANY: usize = 3;
const WHY_RESIDENCE: usize = 4;
const WHY_PRINTED: usize = 5;
const WHY_LAST4: usize = 6;
const WHY_RATIO: usize = 7;

/// The rule that says why a value a letter needs could not be read.
fn read_cause(
    fund: &Input,
    row: u32,
    ins_row: Option<u32>,
    code: Option<u8>,
) -> Option<&'static Rule> {
    match Read::from_code(code?)? {
        Read::Own(f) => Some(cause(fund, row, f)),
        Read::Insured(f) => Some(cause(fund, ins_row?, f)),
    }
}

/// Where a household's letters go, or the rule that blocks them all.
fn destination_of<'a>(
    ctx: &'a Ctx,
    f: &Frame<'a>,
    i: usize,
    row: u32,
    fund: &Input,
    blockers: &Blockers,
) -> std::result::Result<(Route, &'a str, &'a str, &'a str), &'static Rule> {
    let ins_row = f.ins_idx.get(i);
    let why = |k: usize| read_cause(fund, row, ins_row, f.why[k].get(i));
    let individual = f.individual.get(i).unwrap_or(false);
    if ins_row.is_none() {
        return Err(&ID002);
    }
    // An unreadable company withholds even a 任意継続 household's letters, whose route it does
    // not decide: the record is damaged, and a damaged record is not mailed from.
    if let Some(rule) = why(WHY_ROUTE).or_else(|| why(WHY_COMPANY)) {
        return Err(rule);
    }
    let route = f.route.get(i).and_then(Route::from_code).ok_or(&AD001)?;
    if let Some(rule) = blockers.first(ins_row.unwrap_or(row), HOUSEHOLD_BLOCKERS) {
        return Err(rule);
    }
    let company = f.company.get(i).unwrap_or("");
    match route {
        Route::Home => {
            if let Some(rule) = why(WHY_RESIDENCE).filter(|_| individual) {
                return Err(rule);
            }
            match (f.postal.get(i), f.address.get(i)) {
                (Some(p), Some(a)) => Ok((route, company, p, a)),
                (_, None) if individual && !f.residence.get(i).unwrap_or(false) => Err(&AD007),
                _ => Err(&AD002),
            }
        }
        Route::Office | Route::Employer => {
            let office = ctx.config.companies.get(company).and_then(|c| {
                Some((
                    c.office_postal_code.as_deref()?,
                    c.office_address.as_deref()?,
                ))
            });
            match office {
                Some((p, a)) => Ok((route, company, p, a)),
                None if route == Route::Office => Err(&AD005),
                // 事業主経由 rows may carry a blank office address (SPEC §4.5).
                None => Ok((route, company, "", "")),
            }
        }
    }
}

/// Decide every letter: blocked (with the rule that says why) or planned in its household's
/// envelope.
fn plan<'a>(
    ctx: &'a Ctx,
    fund: &Input,
    document: Document,
    df: &'a DataFrame,
    blockers: &Blockers,
) -> Result<Plan<'a>> {
    let f = Frame::new(df)?;
    let mut plan = Plan {
        letters: Vec::with_capacity(df.height()),
        envelopes: Vec::new(),
        counts: Letters::default(),
    };
    // Letters in row order, envelopes in order of first letter, a household's envelope by
    // its key: flat vectors, not a vector of letters per envelope.
    let mut by_household: PlHashMap<&str, u32> = PlHashMap::default();
    for (i, row) in crate::checks::idxs(df)?.into_iter().enumerate() {
        let Some(h) = f.hh.get(i) else { continue };
        let ins_row = f.ins_idx.get(i);
        let why = |k: usize| read_cause(fund, row, ins_row, f.why[k].get(i));
        let elderly = match (
            f.birth.get(i).and_then(from_days),
            f.d.get(i).and_then(from_days),
        ) {
            (Some(b), Some(d)) => elderly::is_elderly_on(b, d),
            _ => false,
        };
        let unknown = |known: Option<bool>, k: usize| {
            known
                .is_none()
                .then(|| why(k).unwrap_or(&crate::checks::input::IN009))
        };
        let blocked = unknown(f.active.get(i), WHY_ACTIVITY)
            .or_else(|| unknown(f.registered.get(i), WHY_REGISTRATION))
            .map(Err)
            .unwrap_or_else(|| destination_of(ctx, &f, i, row, fund, blockers))
            .and_then(|dest| match blockers.first(row, LETTER_BLOCKERS) {
                Some(rule) => Err(rule),
                None => Ok(dest),
            })
            .and_then(|dest| {
                match why(WHY_PRINTED)
                    .or_else(|| why(WHY_LAST4))
                    .or_else(|| why(WHY_RATIO).filter(|_| elderly))
                {
                    Some(rule) => Err(rule),
                    None => Ok(dest),
                }
            });
        let (route, company, postal, address) = match blocked {
            Ok(dest) => dest,
            Err(rule) => {
                plan.counts.block(rule);
                continue;
            }
        };
        let ratio = if document == Document::Notice && elderly {
            f.ratio.get(i)
        } else {
            None
        };
        let envelopes = &mut plan.envelopes;
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
        let last4 = f.last4.get(i);
        let env = &mut plan.envelopes[envelope as usize];
        env.letters += 1;
        env.has_last4 |= last4.is_some();
        plan.letters.push(Letter {
            row,
            envelope,
            branch: f.branch.get(i).unwrap_or(""),
            last4,
            ratio,
        });
    }
    Ok(plan)
}

/// Letters whose raw cells are gathered at a time (4 columns of 16-byte views: 4 MiB). The
/// debug build the tests run gathers 5 at a time, so every manifest they check crosses
/// blocks: a letter given another letter's cells would fail them.
const GATHER_ROWS: usize = if cfg!(debug_assertions) { 5 } else { 1 << 16 };

/// Number the envelopes (SPEC §7: 自宅 first; 会社コード as text, empty first; destination
/// 郵便番号; 記号; 番号 as a number; the household key breaks the rare remaining ties) and
/// write one row per letter, in envelope order and by 枝番 within it.
fn rows(fund: &Input, plan: Plan) -> (Rows, Letters) {
    let Plan {
        mut letters,
        envelopes,
        mut counts,
    } = plan;
    let mut ordered = envelopes;
    fn order<'e>(e: &Envelope<'e>) -> (bool, &'e str, &'e str, &'e str, u64, &'e str) {
        let home_first = e.route != Route::Home;
        (
            home_first,
            e.company,
            e.postal,
            e.symbol,
            e.number,
            e.household,
        )
    }
    let t = crate::timing::stage(|| "manifest: rows: sort".into());
    ordered.sort_unstable_by(|a, b| order(a).cmp(&order(b)));
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
    for env in &ordered {
        counts.tracked += usize::from(env.route == Route::Home && env.has_last4);
        let e = counts.envelopes.entry(env.route.id()).or_default();
        e.0 += 1;
        e.1 += env.letters;
    }
    drop(t);
    let _t = crate::timing::stage(|| "manifest: rows: push".into());
    // Room for every letter's text, so a million letters do not grow (copy and fault in) it
    // twice: its envelope's destination as it is, and about 48 bytes for the other cells
    // (numbers, 記号 番号 枝番, a name of five or six characters, route, 下4桁, 負担割合).
    let text_bytes: usize = ordered
        .iter()
        .map(|e| (e.postal.len() + e.address.len()) * e.letters)
        .sum::<usize>()
        + 48 * letters.len();
    let cells = letters.len() * HEADERS.len();
    let mut rows = Rows::with_capacity(
        letters.len(),
        HEADERS.len(),
        text_bytes.div_ceil(cells.max(1)),
    );
    let raw_columns = [Symbol, Number, Branch, Name]
        .map(|f| fund.column(Col::Value(f)).ok().and_then(|c| c.str().ok()));
    let (mut number, mut ratio) = (String::new(), String::new());
    // The letters are in envelope order, their fund rows scattered: each block's raw cells
    // are gathered column by column (a tight loop polars runs) and then read in order, not
    // looked up four times a letter.
    for block in letters.chunks(GATHER_ROWS) {
        let at = IdxCa::from_vec(
            PlSmallStr::EMPTY,
            block.iter().map(|l| l.row as IdxSize).collect(),
        );
        let gathered = raw_columns.map(|c| c.and_then(|c| c.take(&at).ok()));
        let mut raw = gathered.each_ref().map(|c| c.as_ref().map(|c| c.iter()));
        for l in block {
            let [symbol, num, branch, name] =
                std::array::from_fn(|k| raw[k].as_mut().and_then(Iterator::next).flatten());
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
                symbol.unwrap_or(""),
                num.unwrap_or(""),
                branch.unwrap_or(""),
                name.unwrap_or(""),
                env.route.label(),
                if tokutei { "1" } else { "0" },
                env.postal,
                env.address,
                l.last4.unwrap_or_default(),
                ratio.as_str(),
            ]);
        }
    }
    counts.planned = rows.len();
    (rows, counts)
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
