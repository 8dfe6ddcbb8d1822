//! Who needs what (SPEC §4.6): the monthly decisions against the national list.
//!
//! The fund's usable rows are joined (polars, on the member key) with the list, the registry
//! and the employers' certificate requests. For each active member not registered for
//! マイナ保険証 the first reason that applies wins: 職権 (listed, no valid certificate), 申請
//! (an employer asked, no valid certificate), 更新 (the certificate expires within the
//! window). A valid certificate held after 資格喪失, or while registered, goes on the returns.
//!
//! Unknown is never "no" (SPEC §4.0): every input of a decision is a three-valued column
//! (polars' Kleene logic carries "unknown" through `and`/`or`), and a decision whose outcome
//! depends on an unreadable value is withheld: it is in no list, and it is counted under the
//! code of the finding that says why. So is a certificate whose route, destination or printed
//! values cannot be read.

use crate::checks::certificate::{self, CE001, CE002, CE003, CE004, CE005, CE006};
use crate::checks::identity::ID002;
use crate::checks::routing::{AD001, AD002, AD007};
use crate::checks::{Ctx, cause, strs};
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Anchor, Finding, Rule};
use crate::output::{List, Rows};
use crate::prepare::readable::{Read, first_unreadable};
use crate::prepare::route::{Route, destination};
use crate::prepare::{Col, Input, c, from_days, unreadable};
use crate::report::Decided;
use polars::prelude::*;

pub const CERTIFICATE_HEADERS: &[&str] = &[
    "記号",
    "番号",
    "枝番",
    "氏名",
    "氏名カナ",
    "生年月日",
    "交付事由",
    "送付方法",
    "郵便番号",
    "送付先住所",
    "会社コード",
];
pub const RETURN_HEADERS: &[&str] = &["記号", "番号", "枝番", "氏名", "返納事由", "会社コード"];

pub struct Decisions {
    pub findings: Vec<Finding>,
    pub certificates: List,
    pub returns: List,
    pub counts: Decided,
}

use Field::*;
use Read::{Insured, Own};

/// The decision frames' own columns, beside the schema's (prepare::Col): one name each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum W {
    Req,
    ReqBad,
    ReqSrc,
    ReqIdx,
    ReqAny,
    Cert,
    CertBad,
    FMyna,
    FMynaBad,
    DestPostal,
    DestAddress,
    DestResidence,
    HhCompany,
    LIdx,
    RIdx,
    RMyna,
    RBad,
    RSrc,
    Registered,
    Valid,
    Requested,
    Due,
    Issue,
    Return,
    Gap,
    WhyUndecided,
    WhyNotIssued,
    WhyNotReturned,
    Birth,
    InFund,
    FIdx,
    FActive,
    FD,
    RegMyna,
}

impl W {
    fn name(self) -> &'static str {
        match self {
            W::Req => "req",
            W::ReqBad => "req_bad",
            W::ReqSrc => "req_src",
            W::ReqIdx => "req_idx",
            W::ReqAny => "req_any",
            W::Cert => "cert",
            W::CertBad => "cert_bad",
            W::FMyna => "f_myna",
            W::FMynaBad => "f_myna_bad",
            W::DestPostal => "dest_postal",
            W::DestAddress => "dest_address",
            W::DestResidence => "dest_residence",
            W::HhCompany => "hh_company",
            W::LIdx => "l_idx",
            W::RIdx => "r_idx",
            W::RMyna => "r_myna",
            W::RBad => "r_bad",
            W::RSrc => "r_src",
            W::Registered => "registered",
            W::Valid => "valid",
            W::Requested => "requested",
            W::Due => "due",
            W::Issue => "issue",
            W::Return => "return",
            W::Gap => "gap",
            W::WhyUndecided => "why_undecided",
            W::WhyNotIssued => "why_not_issued",
            W::WhyNotReturned => "why_not_returned",
            W::Birth => "birth",
            W::InFund => "in_fund",
            W::FIdx => "f_idx",
            W::FActive => "f_active",
            W::FD => "f_d",
            W::RegMyna => "reg_myna",
        }
    }

    fn c(self) -> Expr {
        col(self.name())
    }
}

/// What the decisions themselves read: activity (dates and the 75th birthday), registration,
/// the certificate held.
const DECISION_READS: &[Read] = &[
    Own(AcquiredOn),
    Own(LostOn),
    Own(BirthDate),
    Insured(BirthDate),
    Own(MynaRegistered),
    Own(CertExpiresOn),
];
/// What a certificate row prints or is routed by (SPEC §7).
const CERTIFICATE_READS: &[Read] = &[
    Insured(MemberType),
    Insured(Company),
    Own(Name),
    Own(NameKana),
    Own(BirthDate),
];
/// A 自宅 certificate's destination: the 居所 when present, else the address.
/// (An unreadable 住所 or 郵便番号 counts as empty: AD002/AD007, SPEC §4.0.)
const HOME_READS: &[Read] = &[Insured(ResidenceAddress)];
/// What a return row prints.
const RETURN_READS: &[Read] = &[Own(Name), Insured(Company)];

/// 交付事由, or why there is none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Issue {
    No = 0,
    Listed = 1,
    Requested = 2,
    Renewal = 3,
    Unknown = 9,
}

impl Issue {
    fn from_u8(v: u8) -> Issue {
        [Issue::No, Issue::Listed, Issue::Requested, Issue::Renewal]
            .into_iter()
            .find(|i| *i as u8 == v)
            .unwrap_or(Issue::Unknown)
    }

    /// The list value (`交付事由`).
    fn label(self) -> &'static str {
        match self {
            Issue::Listed => "職権",
            Issue::Requested => "申請",
            Issue::Renewal => "更新",
            Issue::No | Issue::Unknown => "",
        }
    }
}

/// 返納事由, or why there is none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Return {
    No = 0,
    Lost = 1,
    Registered = 2,
    Unknown = 9,
}

impl Return {
    fn from_u8(v: u8) -> Return {
        [Return::No, Return::Lost, Return::Registered]
            .into_iter()
            .find(|r| *r as u8 == v)
            .unwrap_or(Return::Unknown)
    }

    fn label(self) -> &'static str {
        match self {
            Return::Lost => "資格喪失",
            Return::Registered => "マイナ保険証登録",
            Return::No | Return::Unknown => "",
        }
    }
}

/// The rows decisions read: not rejected, with a key. A key is unique among them (a key
/// written twice rejects every row of it, IN006), so joins on it need no de-duplication.
fn usable(input: &Input) -> LazyFrame {
    input.usable_rows(input.df.clone().lazy())
}

/// The decisions for one run.
pub fn decide(
    ctx: &Ctx,
    fund: &Input,
    list: &Input,
    registry: Option<&Input>,
    employers: &[&Input],
) -> Result<Decisions> {
    let _stage = crate::timing::stage(|| "decide certificates and returns".into());
    let foreign: Vec<u32> = certificate::foreign_rows(ctx, list)?
        .into_iter()
        .map(|(row, _)| row)
        .collect();
    let df = {
        let _frame = crate::timing::stage(|| "decide: the joined frame".into());
        decision_frame(ctx, fund, list, &foreign, registry, employers)?
    };
    let mut out = {
        let _rows = crate::timing::stage(|| "decide: list rows and findings".into());
        collect(ctx, fund, registry, employers, &df)?
    };
    let _list = crate::timing::stage(|| "decide: the national list's side".into());
    out.findings
        .extend(list_side(ctx, fund, list, &foreign, registry)?);
    Ok(out)
}

/// The list's usable rows this fund can issue from: not CE007's (SPEC §5).
fn list_rows(list: &Input, foreign: &[u32]) -> LazyFrame {
    let foreign = Series::new("foreign".into(), foreign);
    usable(list).filter(c(Col::Idx).is_in(lit(foreign).implode(false), false).not())
}

/// The employers' 資格確認書発行要否 per key: requested when a row says 1, unknown when none
/// does and one could not be read (with that row, for the count), else not.
fn requests(employers: &[&Input]) -> Option<LazyFrame> {
    let parts: Vec<LazyFrame> = employers
        .iter()
        .filter(|e| e.has(CertRequested))
        .map(|e| {
            usable(e).select([
                c(Col::Key),
                c(Col::Value(Field::CertRequested))
                    .fill_null(lit(false))
                    .alias(W::Req.name()),
                unreadable(CertRequested).alias(W::ReqBad.name()),
                lit(e.id as u32)
                    .cast(DataType::UInt32)
                    .alias(W::ReqSrc.name()),
                c(Col::Idx).alias(W::ReqIdx.name()),
            ])
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    // A row that says 0 decides nothing a key without rows would not (both are "not
    // requested"): only the rows that say 1 or could not be read are grouped.
    let all = concat(parts, UnionArgs::default())
        .ok()?
        .filter(W::Req.c().or(W::ReqBad.c()));
    Some(
        all.group_by([c(Col::Key)]).agg([
            W::Req.c().any(true).alias(W::ReqAny.name()),
            W::ReqBad.c().any(true).alias(W::ReqBad.name()),
            W::ReqSrc
                .c()
                .filter(W::ReqBad.c())
                .first()
                .alias(W::ReqSrc.name()),
            W::ReqIdx
                .c()
                .filter(W::ReqBad.c())
                .first()
                .alias(W::ReqIdx.name()),
        ]),
    )
}

/// The fund's usable rows joined with everything a decision reads.
fn joined(
    fund: &Input,
    list: &Input,
    foreign: &[u32],
    registry: Option<&Input>,
    employers: &[&Input],
) -> Result<LazyFrame> {
    // Only what the decisions read goes through the joins; what the rows print is gathered
    // afterwards for the rows that have something to say.
    let mut lf = usable(fund)
        .select([
            c(Col::Idx),
            c(Col::Key),
            c(Col::Active),
            c(Col::D),
            c(Col::Value(CertExpiresOn)).alias(W::Cert.name()),
            unreadable(CertExpiresOn).alias(W::CertBad.name()),
            c(Col::Value(MynaRegistered)).alias(W::FMyna.name()),
            unreadable(MynaRegistered).alias(W::FMynaBad.name()),
        ])
        .join(
            list_rows(list, foreign).select([c(Col::Key), c(Col::Idx).alias(W::LIdx.name())]),
            [c(Col::Key)],
            [c(Col::Key)],
            JoinArgs::new(JoinType::Left),
        );
    lf = match registry {
        Some(r) => lf.join(
            usable(r).select([
                c(Col::Key),
                c(Col::Idx).alias(W::RIdx.name()),
                c(Col::Value(MynaRegistered)).alias(W::RMyna.name()),
                unreadable(MynaRegistered).alias(W::RBad.name()),
                lit(r.id as u32)
                    .cast(DataType::UInt32)
                    .alias(W::RSrc.name()),
            ]),
            [c(Col::Key)],
            [c(Col::Key)],
            JoinArgs::new(JoinType::Left),
        ),
        None => lf.with_columns([
            lit(NULL).cast(DataType::UInt32).alias(W::RIdx.name()),
            lit(NULL).cast(DataType::Boolean).alias(W::RMyna.name()),
            lit(NULL).cast(DataType::Boolean).alias(W::RBad.name()),
            lit(NULL).cast(DataType::UInt32).alias(W::RSrc.name()),
        ]),
    };
    Ok(match requests(employers) {
        Some(req) => lf.join(
            req,
            [c(Col::Key)],
            [c(Col::Key)],
            JoinArgs::new(JoinType::Left),
        ),
        None => lf.with_columns([
            lit(NULL).cast(DataType::Boolean).alias(W::ReqAny.name()),
            lit(NULL).cast(DataType::Boolean).alias(W::ReqBad.name()),
            lit(NULL).cast(DataType::UInt32).alias(W::ReqSrc.name()),
            lit(NULL).cast(DataType::UInt32).alias(W::ReqIdx.name()),
        ]),
    })
}

/// `when(c.is_null()) unknown, when(c) value`, in order: the first decided true wins, and an
/// undecided one before it makes the whole chain unknown.
fn first_true(chain: &[(Expr, u8)], unknown: u8, none: u8) -> Expr {
    let u8_lit = |v: u8| lit(v).cast(DataType::UInt8);
    let mut e = u8_lit(none);
    for (cond, value) in chain.iter().rev() {
        e = when(cond.clone().is_null())
            .then(u8_lit(unknown))
            .when(cond.clone())
            .then(u8_lit(*value))
            .otherwise(e);
    }
    e
}

/// The first non-null of some u8 read codes.
fn first_code(codes: Vec<Expr>) -> Expr {
    let mut e = lit(NULL).cast(DataType::UInt8);
    for c in codes.into_iter().rev() {
        e = when(c.clone().is_not_null()).then(c).otherwise(e);
    }
    e
}

/// What the decisions read, as three-valued facts (null: a value they need could not be
/// read): registered for マイナ保険証, holding a valid certificate on D, due for renewal
/// within the window, certificate requested.
fn facts(ctx: &Ctx) -> [Expr; 4] {
    let window = ctx.config.checks.renewal_window_days as i32;
    let d = c(Col::D);
    let window_end = (d.clone().cast(DataType::Int32) + lit(window)).cast(DataType::Date);
    let null_bool = || lit(NULL).cast(DataType::Boolean);
    let cert = W::Cert.c();
    let registered = when(W::RIdx.c().is_not_null().and(W::RBad.c()))
        .then(null_bool())
        .when(W::RIdx.c().is_not_null().and(W::RMyna.c().is_not_null()))
        .then(W::RMyna.c())
        .when(W::FMynaBad.c())
        .then(null_bool())
        .otherwise(W::FMyna.c().fill_null(lit(false)));
    let held = cert
        .clone()
        .is_not_null()
        .and(cert.clone().gt_eq(d.clone()));
    let valid = when(W::CertBad.c())
        .then(null_bool())
        .otherwise(held.clone());
    let due = when(W::CertBad.c())
        .then(null_bool())
        .otherwise(held.and(cert.lt_eq(window_end)));
    let requested = when(W::ReqAny.c().is_null())
        .then(lit(false))
        .when(W::ReqAny.c())
        .then(lit(true))
        .when(W::ReqBad.c())
        .then(null_bool())
        .otherwise(lit(false));
    [
        registered.alias(W::Registered.name()),
        valid.alias(W::Valid.name()),
        due.alias(W::Due.name()),
        requested.alias(W::Requested.name()),
    ]
}

/// 職権交付 and 返納: the first case that holds, unknown when a fact it needs is unknown.
fn issue_and_return() -> [Expr; 2] {
    let active = c(Col::Active);
    let (registered_c, valid_c) = (W::Registered.c(), W::Valid.c());
    let candidate = active.clone().and(registered_c.clone().not());
    let issue = first_true(
        &[
            (
                candidate
                    .clone()
                    .and(W::LIdx.c().is_not_null())
                    .and(valid_c.clone().not()),
                Issue::Listed as u8,
            ),
            (
                candidate
                    .clone()
                    .and(W::Requested.c())
                    .and(valid_c.clone().not()),
                Issue::Requested as u8,
            ),
            (candidate.clone().and(W::Due.c()), Issue::Renewal as u8),
        ],
        Issue::Unknown as u8,
        Issue::No as u8,
    );
    let ret = first_true(
        &[
            (
                valid_c.clone().and(active.clone().not()),
                Return::Lost as u8,
            ),
            (
                valid_c.clone().and(active).and(registered_c.clone()),
                Return::Registered as u8,
            ),
        ],
        Return::Unknown as u8,
        Return::No as u8,
    );
    [issue.alias(W::Issue.name()), ret.alias(W::Return.name())]
}

/// An active member without マイナ保険証 and without a valid certificate whom no case issues
/// one to (null when unknown).
fn gap() -> Expr {
    let candidate = c(Col::Active).and(W::Registered.c().not());
    when(W::Issue.c().eq(lit(Issue::No as u8)))
        .then(candidate.and(W::Valid.c().not()))
        .otherwise(lit(false))
}

fn decision_frame(
    ctx: &Ctx,
    fund: &Input,
    list: &Input,
    foreign: &[u32],
    registry: Option<&Input>,
    employers: &[&Input],
) -> Result<DataFrame> {
    // Only rows with something to say: a decision, or one withheld.
    let something = W::Issue
        .c()
        .neq(lit(Issue::No as u8))
        .or(W::Return.c().neq(lit(Return::No as u8)))
        .or(W::Gap.c().is_null())
        .or(W::Gap.c());
    let decided = joined(fund, list, foreign, registry, employers)?
        .with_columns(facts(ctx))
        .with_columns(issue_and_return())
        .with_column(gap().alias(W::Gap.name()))
        .filter(something)
        .select([
            c(Col::Idx),
            W::Issue.c(),
            W::Return.c(),
            W::Gap.c(),
            W::Cert.c(),
            W::RIdx.c(),
            W::RSrc.c(),
            W::RBad.c(),
            W::ReqBad.c(),
            W::ReqSrc.c(),
            W::ReqIdx.c(),
        ])
        .sort([Col::Idx.name()], Default::default())
        .collect()?;
    let rows = fund.df.take(decided.column(&Col::Idx.name())?.u32()?)?;
    let printed = rows.lazy().select(printed_columns()).collect()?;
    Ok(decided.hstack(printed.columns())?)
}

/// The fund's columns a decided row prints or reports, and why a decision was withheld.
fn printed_columns() -> Vec<Expr> {
    let dest = destination();
    let home = first_code(vec![
        first_unreadable(&[Insured(MemberType)]),
        when(c(Col::Individual))
            .then(first_unreadable(HOME_READS))
            .otherwise(lit(NULL).cast(DataType::UInt8)),
        first_unreadable(CERTIFICATE_READS),
    ]);
    vec![
        c(Col::Individual),
        c(Col::InsIdx),
        c(Col::Insured(Field::Company)).alias(W::HhCompany.name()),
        dest.postal.alias(W::DestPostal.name()),
        dest.address.alias(W::DestAddress.name()),
        dest.residence.alias(W::DestResidence.name()),
        c(Col::Value(BirthDate)).alias(W::Birth.name()),
        first_unreadable(DECISION_READS).alias(W::WhyUndecided.name()),
        home.alias(W::WhyNotIssued.name()),
        first_unreadable(RETURN_READS).alias(W::WhyNotReturned.name()),
    ]
}

/// The rule that says why a value read by a decision could not be read.
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

/// The decision frame's columns, typed once.
struct Frame<'a> {
    issue: &'a UInt8Chunked,
    ret: &'a UInt8Chunked,
    gap: &'a BooleanChunked,
    individual: &'a BooleanChunked,
    ins_idx: &'a UInt32Chunked,
    cert: Int32Chunked,
    birth: Int32Chunked,
    company: &'a StringChunked,
    postal: &'a StringChunked,
    address: &'a StringChunked,
    residence: &'a BooleanChunked,
    r_idx: &'a UInt32Chunked,
    r_src: &'a UInt32Chunked,
    r_bad: &'a BooleanChunked,
    req_bad: &'a BooleanChunked,
    req_src: &'a UInt32Chunked,
    req_idx: &'a UInt32Chunked,
    why_undecided: &'a UInt8Chunked,
    why_not_issued: &'a UInt8Chunked,
    why_not_returned: &'a UInt8Chunked,
}

impl<'a> Frame<'a> {
    fn new(df: &'a DataFrame) -> Result<Frame<'a>> {
        let u8s = |n: &str| -> Result<&'a UInt8Chunked> { Ok(df.column(n)?.u8()?) };
        let u32s = |n: &str| -> Result<&'a UInt32Chunked> { Ok(df.column(n)?.u32()?) };
        let bools = |n: &str| -> Result<&'a BooleanChunked> { Ok(df.column(n)?.bool()?) };
        let dates =
            |n: &str| -> Result<Int32Chunked> { Ok(df.column(n)?.date()?.physical().clone()) };
        Ok(Frame {
            issue: u8s(W::Issue.name())?,
            ret: u8s(W::Return.name())?,
            gap: bools(W::Gap.name())?,
            individual: bools(&Col::Individual.name())?,
            ins_idx: u32s(&Col::InsIdx.name())?,
            cert: dates(W::Cert.name())?,
            birth: dates(W::Birth.name())?,
            company: strs(df, W::HhCompany.name())?,
            postal: strs(df, W::DestPostal.name())?,
            address: strs(df, W::DestAddress.name())?,
            residence: bools(W::DestResidence.name())?,
            r_idx: u32s(W::RIdx.name())?,
            r_src: u32s(W::RSrc.name())?,
            r_bad: bools(W::RBad.name())?,
            req_bad: bools(W::ReqBad.name())?,
            req_src: u32s(W::ReqSrc.name())?,
            req_idx: u32s(W::ReqIdx.name())?,
            why_undecided: u8s(W::WhyUndecided.name())?,
            why_not_issued: u8s(W::WhyNotIssued.name())?,
            why_not_returned: u8s(W::WhyNotReturned.name())?,
        })
    }

    fn date(ca: &Int32Chunked, i: usize) -> String {
        ca.get(i)
            .and_then(from_days)
            .map(|d| d.to_string())
            .unwrap_or_default()
    }
}

/// What the rows and findings are built from: the run, the fund and its decision frame.
struct Collector<'a> {
    ctx: &'a Ctx<'a>,
    fund: &'a Input,
    others: Vec<&'a Input>,
    f: Frame<'a>,
    out: Decisions,
    cert_rows: Vec<((String, u64, String), Vec<String>)>,
    return_rows: Vec<((String, u64, String), Vec<String>)>,
}

impl Collector<'_> {
    fn cell(&self, row: u32, field: Field) -> String {
        // Printed values come from the typed frame, which keeps them as written (an unreadable
        // one is null, and its row withheld before it gets here).
        self.fund
            .column(Col::Value(field))
            .ok()
            .and_then(|c| c.str().ok()?.get(row as usize).map(str::to_string))
            .unwrap_or_default()
    }

    fn at(&self, row: u32, field: Option<Field>) -> Anchor {
        Anchor {
            source: self.fund.id,
            row: Some(row),
            field,
        }
    }

    fn cert_field(&self) -> Option<Field> {
        self.fund.has(CertExpiresOn).then_some(CertExpiresOn)
    }

    fn other(&self, src: Option<u32>) -> Option<&Input> {
        let src = src? as usize;
        self.others.iter().copied().find(|i| i.id == src)
    }

    /// Why a decision could not be made: the fund's own values first, then the registry's
    /// registration, then an employer's request.
    fn undecided(&self, i: usize, row: u32) -> &'static Rule {
        let f = &self.f;
        let elsewhere = |bad: Option<bool>, src: Option<u32>, idx: Option<u32>, field: Field| {
            let input = self.other(src).filter(|_| bad == Some(true))?;
            Some(cause(input, idx?, field))
        };
        read_cause(self.fund, row, f.ins_idx.get(i), f.why_undecided.get(i))
            .or_else(|| {
                elsewhere(
                    f.r_bad.get(i),
                    f.r_src.get(i),
                    f.r_idx.get(i),
                    MynaRegistered,
                )
            })
            .or_else(|| {
                elsewhere(
                    f.req_bad.get(i),
                    f.req_src.get(i),
                    f.req_idx.get(i),
                    CertRequested,
                )
            })
            .unwrap_or(&crate::checks::input::IN009)
    }

    /// Where a certificate goes, or the rule that says why it cannot be issued: its route
    /// (no insured person, an unknown company), destination or printed values.
    fn route(
        &self,
        i: usize,
        row: u32,
    ) -> std::result::Result<(Route, String, String), &'static Rule> {
        let f = &self.f;
        if let Some(why) = read_cause(self.fund, row, f.ins_idx.get(i), f.why_not_issued.get(i)) {
            return Err(why);
        }
        if f.ins_idx.get(i).is_none() {
            return Err(&ID002);
        }
        if f.individual.get(i).unwrap_or(false) {
            return match (f.postal.get(i), f.address.get(i)) {
                (Some(p), Some(a)) => Ok((Route::Home, p.to_string(), a.to_string())),
                (_, None) if !f.residence.get(i).unwrap_or(false) => Err(&AD007),
                _ => Err(&AD002),
            };
        }
        let office = self
            .ctx
            .config
            .companies
            .get(f.company.get(i).unwrap_or(""))
            .ok_or(&AD001)?;
        Ok((
            Route::Employer,
            office.office_postal_code.clone().unwrap_or_default(),
            office.office_address.clone().unwrap_or_default(),
        ))
    }

    fn issue(&mut self, i: usize, row: u32, issue: Issue) {
        let (route, postal, address) = match self.route(i, row) {
            Ok(r) => r,
            Err(why) => return self.out.counts.withhold(why),
        };
        if issue == Issue::Renewal {
            let expiry = Frame::date(&self.f.cert, i);
            let window = self.ctx.config.checks.renewal_window_days;
            let finding = Finding::new(
                &CE005,
                self.at(row, self.cert_field()),
                crate::tr!(
                    "資格確認書の有効期限 {expiry} が基準日から{window}日以内のため、更新分を交付します",
                    "資格確認書 expires on {expiry}, within {window} days: renewal (更新) issued"
                ),
            );
            self.out.findings.push(finding);
        }
        let company = self.f.company.get(i).unwrap_or("").to_string();
        self.out.counts.certificates += 1;
        let cells = vec![
            self.cell(row, Symbol),
            self.cell(row, Number),
            self.cell(row, Branch),
            self.cell(row, Name),
            self.cell(row, NameKana),
            Frame::date(&self.f.birth, i),
            issue.label().to_string(),
            route.label().to_string(),
            postal,
            address,
            company,
        ];
        self.cert_rows.push((sort_key(self.fund, row), cells));
    }

    fn give_back(&mut self, i: usize, row: u32, ret: Return) {
        let expiry = Frame::date(&self.f.cert, i);
        let at = self.at(row, self.cert_field());
        let mut finding = if ret == Return::Lost {
            Finding::new(
                &CE004,
                at,
                crate::tr!(
                    "資格喪失後も、有効期限 {expiry} の資格確認書をお持ちです。返納を求めてください（資格喪失）",
                    "資格確認書 valid until {expiry} is held after loss of membership: return (資格喪失)"
                ),
            )
        } else {
            Finding::new(
                &CE003,
                at,
                crate::tr!(
                    "マイナ保険証の利用登録がある方が、有効期限 {expiry} の資格確認書をお持ちです。例外に当たらなければ返納を求めてください（マイナ保険証登録）",
                    "資格確認書 valid until {expiry} is held by a マイナ保険証-registered member: return (マイナ保険証登録), unless a seed 000 exception applies"
                ),
            )
        };
        if ret == Return::Registered
            && let (Some(rr), Some(rs)) = (self.f.r_idx.get(i), self.f.r_src.get(i))
        {
            finding = finding.related(
                Anchor::cell(rs as usize, rr, MynaRegistered),
                crate::tr!(
                    "国の登録情報ではこちらで登録済み",
                    "registered here (national registry)"
                ),
            );
        }
        self.out.findings.push(finding);
        // The finding stands; the list row needs its printed values.
        if let Some(why) = read_cause(
            self.fund,
            row,
            self.f.ins_idx.get(i),
            self.f.why_not_returned.get(i),
        ) {
            return self.out.counts.withhold(why);
        }
        self.out.counts.returns += 1;
        let cells = vec![
            self.cell(row, Symbol),
            self.cell(row, Number),
            self.cell(row, Branch),
            self.cell(row, Name),
            ret.label().to_string(),
            self.f.company.get(i).unwrap_or("").to_string(),
        ];
        self.return_rows.push((sort_key(self.fund, row), cells));
    }

    fn gap(&mut self, row: u32) {
        let field = if self.fund.has(MynaRegistered) {
            Some(MynaRegistered)
        } else {
            self.cert_field()
        };
        self.out.findings.push(Finding::new(
            &CE006,
            self.at(row, field),
            crate::tr!(
                "資格があり、マイナ保険証の利用登録がなく、有効な資格確認書もなく、交付の予定もありません（職権交付対象者リストにも事業主の申請にもありません）。受診時に資格を確認する手段がありません",
                "active, not registered for マイナ保険証, no valid 資格確認書, and not being issued one (not on the national list, not requested by the employer): coverage gap"
            ),
        ));
    }
}

/// The findings, list rows and counts of every decided row.
fn collect(
    ctx: &Ctx,
    fund: &Input,
    registry: Option<&Input>,
    employers: &[&Input],
    df: &DataFrame,
) -> Result<Decisions> {
    let mut c = Collector {
        ctx,
        fund,
        others: registry
            .into_iter()
            .chain(employers.iter().copied())
            .collect(),
        f: Frame::new(df)?,
        out: Decisions {
            findings: Vec::new(),
            certificates: List {
                stem: "certificates",
                headers: CERTIFICATE_HEADERS,
                rows: Rows::default(),
            },
            returns: List {
                stem: "returns",
                headers: RETURN_HEADERS,
                rows: Rows::default(),
            },
            counts: Decided::default(),
        },
        cert_rows: Vec::new(),
        return_rows: Vec::new(),
    };
    for (i, row) in crate::checks::idxs(df)?.into_iter().enumerate() {
        let issue = Issue::from_u8(c.f.issue.get(i).unwrap_or(0));
        let ret = Return::from_u8(c.f.ret.get(i).unwrap_or(0));
        let gap = c.f.gap.get(i);
        if issue == Issue::Unknown || ret == Return::Unknown || gap.is_none() {
            let why = c.undecided(i, row);
            c.out.counts.withhold(why);
            continue;
        }
        if issue != Issue::No {
            c.issue(i, row, issue);
        }
        if ret != Return::No {
            c.give_back(i, row, ret);
        }
        if gap == Some(true) {
            c.gap(row);
        }
    }
    let Collector {
        mut out,
        mut cert_rows,
        mut return_rows,
        ..
    } = c;
    cert_rows.sort_by(|a, b| a.0.cmp(&b.0));
    return_rows.sort_by(|a, b| a.0.cmp(&b.0));
    out.certificates.rows = cert_rows.into_iter().map(|r| r.1).collect();
    out.returns.rows = return_rows.into_iter().map(|r| r.1).collect();
    Ok(out)
}

/// Lists sort by key with 番号 as a number (`1001-2-00` before `1001-12-00`).
pub fn sort_key(input: &Input, row: u32) -> (String, u64, String) {
    let key = input.key(row).unwrap_or_default();
    let mut parts = key.rsplitn(3, '-');
    let branch = parts.next().unwrap_or("").to_string();
    let number = parts
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX);
    let symbol = parts.next().unwrap_or("").to_string();
    (symbol, number, branch)
}

/// Why a fund row is not active on `d`, and the field that says so: its 資格喪失日, a
/// 資格取得日 after D, or a 75th birthday (its own or the insured person's).
fn why_inactive(fund: &Input, row: u32, d: Option<chrono::NaiveDate>) -> (Field, String) {
    let date = |column: Col| {
        fund.column(column)
            .ok()
            .and_then(|c| c.date().ok()?.physical().get(row as usize))
            .and_then(from_days)
    };
    let on_or_before =
        |x: Option<chrono::NaiveDate>| matches!((x, d), (Some(x), Some(d)) if x <= d);
    let lost = date(Col::Value(LostOn));
    let acquired = date(Col::Value(AcquiredOn));
    let (own, insured) = (date(Col::Birth75), date(Col::InsuredBirth75));
    let show = |x: Option<chrono::NaiveDate>| {
        x.map(|x| crate::i18n::date(x).to_string())
            .unwrap_or_default()
    };
    if on_or_before(lost) {
        let l = show(lost);
        (LostOn, crate::tr!("資格喪失日 {l}", "資格喪失日 {l}"))
    } else if acquired.is_some() && !on_or_before(acquired) {
        let a = show(acquired);
        (
            AcquiredOn,
            crate::tr!("資格取得日 {a} が基準日より後", "資格取得日 {a} is after D"),
        )
    } else if on_or_before(own) {
        let b = show(own);
        (
            BirthDate,
            crate::tr!(
                "75歳の誕生日 {b} に資格喪失",
                "membership ended on the 75th birthday, {b}"
            ),
        )
    } else if on_or_before(insured) {
        let b = show(insured);
        (
            BirthDate,
            crate::tr!(
                "被保険者が {b} に75歳となり、被扶養者の資格も喪失",
                "the insured person reached 75 on {b}, and a dependent's membership ended with theirs"
            ),
        )
    } else {
        let field = if fund.has(LostOn) { LostOn } else { AcquiredOn };
        (
            field,
            crate::tr!("資格喪失日 {}", "資格喪失日 {}"; fund.source.cell(row, LostOn).as_deref().unwrap_or("")),
        )
    }
}

/// The list's side: people the fund lacks (CE001) or has as inactive (CE002). A row of
/// another insurer (CE007) says nothing about this fund's members.
/// The national list's rows joined to the fund's state and the registry, only those that say
/// something: not in the fund and not registered (CE001), or in the fund but not active on D,
/// not registered and holding no certificate valid beyond the renewal window (CE002).
fn list_frame(
    ctx: &Ctx,
    fund: &Input,
    list: &Input,
    foreign: &[u32],
    registry: Option<&Input>,
) -> Result<DataFrame> {
    let window = ctx.config.checks.renewal_window_days as i32;
    let listed = list_rows(list, foreign).select([c(Col::Key), c(Col::Idx).alias(W::LIdx.name())]);
    // Only the fund's and the registry's rows for keys on the list (a semi-join on the list's
    // few keys) are joined, not a million of each.
    let on_list = |lf: LazyFrame| {
        lf.join(
            listed.clone().select([c(Col::Key)]),
            [c(Col::Key)],
            [c(Col::Key)],
            JoinArgs::new(JoinType::Semi),
        )
    };
    // Keys the fund has at all (a rejected fund row is still "in the fund").
    let fund_all = on_list(
        fund.df
            .clone()
            .lazy()
            .filter(c(Col::Key).is_not_null())
            .select([c(Col::Key)]),
    )
    .unique_stable(None, UniqueKeepStrategy::First)
    .with_column(lit(true).alias(W::InFund.name()));
    let fund_state = on_list(
        usable(fund).select([
            c(Col::Key),
            c(Col::Idx).alias(W::FIdx.name()),
            c(Col::Active).alias(W::FActive.name()),
            c(Col::Value(MynaRegistered))
                .fill_null(lit(false))
                .alias(W::FMyna.name()),
            c(Col::Value(CertExpiresOn)).alias(W::Cert.name()),
            c(Col::D).alias(W::FD.name()),
        ]),
    );
    let reg = match registry {
        Some(r) => on_list(usable(r).select([
            c(Col::Key),
            c(Col::Value(MynaRegistered)).alias(W::RegMyna.name()),
        ])),
        None => DataFrame::new(
            0,
            vec![
                Column::new(Col::Key.name(), Vec::<String>::new()),
                Column::new(W::RegMyna.name().into(), Vec::<bool>::new()),
            ],
        )?
        .lazy(),
    };
    let join = |lf: LazyFrame, other: LazyFrame| {
        lf.join(
            other,
            [c(Col::Key)],
            [c(Col::Key)],
            JoinArgs::new(JoinType::Left),
        )
    };
    let df = join(join(join(listed, fund_all), fund_state), reg)
        .with_column(
            when(W::RegMyna.c().is_not_null())
                .then(W::RegMyna.c())
                .otherwise(W::FMyna.c())
                .alias(W::Registered.name()),
        )
        .filter(list_says_something(window))
        .sort([W::LIdx.name()], Default::default())
        .collect()?;
    Ok(df)
}

fn list_says_something(window: i32) -> Expr {
    let not_fund = W::InFund.c().fill_null(lit(false)).not();
    let ce001 = not_fund
        .clone()
        .and(W::RegMyna.c().fill_null(lit(false)).not());
    let beyond = W::Cert
        .c()
        .cast(DataType::Int32)
        .gt(W::FD.c().cast(DataType::Int32) + lit(window))
        .fill_null(lit(false));
    let ce002 = not_fund
        .not()
        .and(W::FIdx.c().is_not_null())
        .and(W::FActive.c().eq(lit(false)).fill_null(lit(false)))
        .and(W::Registered.c().fill_null(lit(false)).not())
        .and(beyond.not());
    ce001.or(ce002)
}

fn list_side(
    ctx: &Ctx,
    fund: &Input,
    list: &Input,
    foreign: &[u32],
    registry: Option<&Input>,
) -> Result<Vec<Finding>> {
    let df = list_frame(ctx, fund, list, foreign, registry)?;
    let l_idx = df.column(W::LIdx.name())?.u32()?;
    let in_fund = df.column(W::InFund.name())?.bool()?;
    let f_idx = df.column(W::FIdx.name())?.u32()?;
    let ds = df.column(W::FD.name())?.date()?.physical().clone();
    let keys = strs(&df, Col::Key.name())?;
    let mut out = Vec::new();
    for i in 0..df.height() {
        let Some(lr) = l_idx.get(i) else { continue };
        let key = keys.get(i).unwrap_or("?");
        if !in_fund.get(i).unwrap_or(false) {
            out.push(Finding::new(
                &CE001,
                Anchor::cell(list.id, lr, Number),
                crate::tr!(
                    "職権交付対象者リストに {key} が載っていますが、組合の加入者台帳にありません。交付しません",
                    "the national list names {key}, which the fund does not have: not issued"
                ),
            ));
            continue;
        }
        let Some(fr) = f_idx.get(i) else { continue };
        let d = ds.get(i).and_then(from_days);
        let (field, why) = why_inactive(fund, fr, d);
        out.push(
            Finding::new(
                &CE002,
                Anchor::cell(fund.id, fr, field),
                crate::tr!(
                    "職権交付対象者リストに載っていますが、基準日に資格がありません（{why}）。交付しません",
                    "on the national list but not active on D ({why}): not issued"
                ),
            )
            .related(
                Anchor::cell(list.id, lr, Number),
                crate::tr!("リストではこちら", "listed here"),
            ),
        );
    }
    Ok(out)
}
