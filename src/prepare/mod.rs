//! Raw text columns → typed columns, one pass per field (SPEC §3).
//!
//! Each value is NFKC-normalized and trimmed before its format is checked; printed values keep
//! the original text, which stays in `Source::raw`. For every field that can be malformed there
//! is a status column `<field>@st` ([`St`]), so the rules in `checks/` are plain filters over
//! whole columns. A full My Number never enters the frame: only its kind, its last 4 digits and
//! a per-process fingerprint (to find two members sharing one number).

pub mod household;
pub mod readable;
pub mod values;

use crate::config::Config;
use crate::domain::my_number::{Kind as MnKind, MyNumber};
use crate::domain::postal::{self, PostalCode};
use crate::domain::share_ratio::ShareRatio;
use crate::domain::{date, text};
use crate::field::{Field, SourceKind};
use crate::i18n::Tr;
use crate::ingest::{IssueKind, Source};
use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::sync::OnceLock;

/// Column names of the typed frame that are not fields.
pub mod cols {
    /// Data-row index in the source (u32).
    pub const IDX: &str = "_idx";
    /// Member key `記号-番号-枝番` (null when a part is empty or malformed).
    pub const KEY: &str = "key";
    /// Household key `記号-番号`.
    pub const HH: &str = "hh";
    /// 枝番 as two digits.
    pub const BRANCH_N: &str = "branch_n";
    /// Why the key is malformed (ID001), or null.
    pub const KEY_ERR: &str = "key_err";
    /// Another row of the source has the same key (IN006).
    pub const DUPLICATE: &str = "dup";
    /// Rejected: IN002, ID001, IN006, or IN001/IN005 in a key cell (SPEC §5).
    pub const REJECTED: &str = "rejected";
    /// My Number: [`super::MnState`] as u8, last 4 digits, fingerprint of a 12-digit number.
    pub const MN_KIND: &str = "mn_kind";
    pub const MN_LAST4: &str = "mn_last4";
    pub const MN_FP: &str = "mn_fp";
    /// The 75th birthday (生年月日 + 75 years): membership ends on it (SPEC §4.3).
    pub const BIRTH_75: &str = "birth_75";
}

/// Status of a typed value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum St {
    /// Well-formed, or absent (the value column is then null).
    Ok = 0,
    /// Outside the accepted format: IN009, BD001 (unparseable), AD003 (postal code).
    Invalid = 1,
    /// BD001: a two-digit year with no era.
    Ambiguous = 2,
    /// BD002: no such day, or before its era began.
    Impossible = 3,
    /// BD008: written in an era that had ended; the value is converted and valid.
    EraEnded = 4,
    /// The cell could not be read at all (IN001/IN005/bad serial, already reported).
    Unreadable = 5,
    /// IN004: a 5–6 digit postal code padded to 7; the value is valid.
    Padded = 6,
}

impl St {
    pub fn lit(self) -> Expr {
        lit(self as u8)
    }
}

/// My Number state per row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum MnState {
    Absent = 0,
    Valid = 1,
    BadCheckDigit = 2,
    Last4 = 3,
    Mangled = 4,
    Malformed = 5,
    Unreadable = 6,
}

impl MnState {
    pub fn lit(self) -> Expr {
        lit(self as u8)
    }
}

/// The statuses of a value that could not be read as its type: unparseable, ambiguous or
/// impossible (IN009, BD001, BD002, AD003), or a cell that could not be read at all
/// (IN001/IN005). SPEC §4.0: a decision that needs such a value is withheld.
const BAD: [u8; 4] = [
    St::Invalid as u8,
    St::Ambiguous as u8,
    St::Impossible as u8,
    St::Unreadable as u8,
];

/// The same for a status column of any name (an insured person's `ins_<field>@st` too).
pub fn bad_status(status: Expr) -> Expr {
    status.is_in(lit(Series::new("bad".into(), BAD)).implode(false), false)
}

/// A field's value on this row could not be read (see [`BAD`]). For a field the source does
/// not carry this is false: an absent field is empty, not unreadable.
pub fn unreadable(field: Field) -> Expr {
    bad_status(col(st(field)))
}

/// 個人番号 that could not be read as 12 digits or the last 4: exponent text, malformed, or
/// an unreadable cell (MN004, IN001/IN005).
pub fn my_number_unreadable() -> Expr {
    col(cols::MN_KIND).is_in(
        lit(Series::new(
            "bad".into(),
            [
                MnState::Mangled as u8,
                MnState::Malformed as u8,
                MnState::Unreadable as u8,
            ],
        ))
        .implode(false),
        false,
    )
}

pub fn st(field: Field) -> String {
    format!("{}@st", field.key())
}

/// A source and its typed frame.
pub struct Input {
    pub id: usize,
    pub source: Source,
    pub df: DataFrame,
}

impl Input {
    pub fn kind(&self) -> SourceKind {
        self.source.kind
    }

    pub fn has(&self, f: Field) -> bool {
        self.source.has(f)
    }

    /// The member key of a data row.
    pub fn key(&self, row: u32) -> Option<String> {
        let c = self.df.column(cols::KEY).ok()?;
        c.str().ok()?.get(row as usize).map(str::to_string)
    }
}

pub(crate) fn days(d: NaiveDate) -> i32 {
    d.num_days_from_ce() - 719_163
}

pub(crate) fn from_days(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(days + 719_163)
}

pub fn date_lit(d: NaiveDate) -> Expr {
    lit(days(d)).cast(DataType::Date)
}

/// A process-local fingerprint of a full My Number: equal numbers, equal fingerprints; the
/// number cannot be read back out of a frame (or a debug print of one).
fn fingerprint(mn: &MyNumber) -> u64 {
    static STATE: OnceLock<RandomState> = OnceLock::new();
    STATE.get_or_init(RandomState::new).hash_one(mn)
}

struct Raw<'a> {
    values: Vec<Option<&'a str>>,
    unreadable: Vec<bool>,
}

fn raw<'a>(src: &'a Source, f: Field) -> Option<Raw<'a>> {
    let ca = src.raw.column(f.key()).ok()?.str().ok()?;
    let values: Vec<Option<&str>> = ca.iter().collect();
    let unreadable = if src.unreadable.is_empty() {
        Vec::new()
    } else {
        (0..values.len() as u32)
            .map(|r| src.unreadable.contains(&(r, f)))
            .collect()
    };
    Some(Raw { values, unreadable })
}

impl Raw<'_> {
    fn is_unreadable(&self, i: usize) -> bool {
        self.unreadable.get(i).copied().unwrap_or(false)
    }

    /// NFKC-trimmed values: None for absent (empty) or unreadable cells; the status says which.
    fn each<T>(&self, mut f: impl FnMut(&str) -> (Option<T>, St)) -> (Vec<Option<T>>, Vec<u8>) {
        let mut out = Vec::with_capacity(self.values.len());
        let mut sts = Vec::with_capacity(self.values.len());
        for (i, v) in self.values.iter().enumerate() {
            if self.is_unreadable(i) {
                out.push(None);
                sts.push(St::Unreadable as u8);
                continue;
            }
            let norm = v.map(text::nfkc_trim).filter(|s| !s.is_empty());
            match norm {
                None => {
                    out.push(None);
                    sts.push(St::Ok as u8);
                }
                Some(s) => {
                    let (value, status) = f(&s);
                    out.push(value);
                    sts.push(status as u8);
                }
            }
        }
        (out, sts)
    }
}

impl Raw<'_> {
    /// [`Raw::each`] for a text column, built as it goes: `f` appends the value of a
    /// normalized cell (or a null) and gives its status, so no cell becomes an owned String
    /// on the way to the column.
    fn each_text(
        &self,
        name: &str,
        mut f: impl FnMut(&str, &mut StringChunkedBuilder) -> St,
    ) -> (Column, Vec<u8>) {
        let mut b = StringChunkedBuilder::new(name.into(), self.values.len());
        let mut sts = Vec::with_capacity(self.values.len());
        for (i, v) in self.values.iter().enumerate() {
            if self.is_unreadable(i) {
                b.append_null();
                sts.push(St::Unreadable as u8);
                continue;
            }
            match v.map(text::nfkc_trim).filter(|s| !s.is_empty()) {
                None => {
                    b.append_null();
                    sts.push(St::Ok as u8);
                }
                Some(s) => sts.push(f(&s, &mut b) as u8),
            }
        }
        (b.finish().into_series().into(), sts)
    }
}

impl Raw<'_> {
    /// A text column kept as written (printed values keep the original text), with its
    /// status: an unreadable cell (an Excel error, undecodable bytes) is null, never its
    /// placeholder text, and a blank cell is empty.
    fn kept_text(&self, name: &str) -> (Column, Vec<u8>) {
        let mut b = StringChunkedBuilder::new(name.into(), self.values.len());
        let mut sts = Vec::with_capacity(self.values.len());
        for (i, v) in self.values.iter().enumerate() {
            if self.is_unreadable(i) {
                b.append_null();
                sts.push(St::Unreadable as u8);
                continue;
            }
            b.append_option(v.filter(|s| !text::is_blank(s)));
            sts.push(St::Ok as u8);
        }
        (b.finish().into_series().into(), sts)
    }
}

/// Append a recognised value, or a null for a value outside the format (IN009).
fn push_known(b: &mut StringChunkedBuilder, v: Option<&str>) -> St {
    match v {
        Some(v) => {
            b.append_value(v);
            St::Ok
        }
        None => {
            b.append_null();
            St::Invalid
        }
    }
}

fn parsed<T>(v: Option<T>) -> (Option<T>, St) {
    match v {
        Some(x) => (Some(x), St::Ok),
        None => (None, St::Invalid),
    }
}

fn str_column(
    name: &str,
    values: impl IntoIterator<Item = Option<impl AsRef<str>>>,
    n: usize,
) -> Column {
    let mut b = StringChunkedBuilder::new(name.into(), n);
    for v in values {
        b.append_option(v);
    }
    b.finish().into_series().into()
}

/// Build the typed frame of a source.
pub fn prepare(id: usize, source: Source, config: &Config) -> PolarsResult<Input> {
    let n = source.rows();
    let era = config.columns.kind(source.kind).era_digits;
    let mut columns: Vec<Column> = vec![Column::new(
        cols::IDX.into(),
        (0..n as u32).collect::<Vec<u32>>(),
    )];

    key_columns(&source, n, &mut columns);

    for field in source.fields.clone() {
        let Some(r) = raw(&source, field) else {
            continue;
        };
        let name = field.key();
        if field.is_date() {
            let (v, s) = r.each(|t| match date::parse_date(t, era) {
                Ok(p) if p.era_ended => (Some(days(p.date)), St::EraEnded),
                Ok(p) => (Some(days(p.date)), St::Ok),
                Err(date::DateError::Unparseable) => (None, St::Invalid),
                Err(date::DateError::Ambiguous) => (None, St::Ambiguous),
                Err(date::DateError::Impossible) => (None, St::Impossible),
            });
            if field == Field::BirthDate {
                let ends: Vec<Option<i32>> = v
                    .iter()
                    .map(|d| {
                        let b = from_days((*d)?)?;
                        Some(days(crate::domain::elderly::membership_ends_on(b)))
                    })
                    .collect();
                columns.push(Column::new(cols::BIRTH_75.into(), ends).cast(&DataType::Date)?);
            }
            columns.push(Column::new(name.into(), v).cast(&DataType::Date)?);
            columns.push(Column::new(st(field).into(), s));
            continue;
        }
        match field {
            Field::Sex => {
                let (v, s) = r.each(|t| parsed(values::sex(t)));
                columns.push(Column::new(name.into(), v));
                columns.push(Column::new(st(field).into(), s));
            }
            Field::Relationship => {
                let (c, s) =
                    r.each_text(name, |t, b| push_known(b, config.columns.relationship(t)));
                columns.push(c);
                columns.push(Column::new(st(field).into(), s));
            }
            Field::MemberType => {
                let (c, s) = r.each_text(name, |t, b| push_known(b, values::member_type(t)));
                columns.push(c);
                columns.push(Column::new(st(field).into(), s));
            }
            Field::IncomeException | Field::MynaRegistered | Field::CertRequested => {
                let (v, s) = r.each(|t| parsed(values::flag(t)));
                columns.push(Column::new(name.into(), v));
                columns.push(Column::new(st(field).into(), s));
            }
            Field::Remuneration => {
                let (v, s) = r.each(|t| parsed(values::remuneration(t)));
                columns.push(Column::new(name.into(), v));
                columns.push(Column::new(st(field).into(), s));
            }
            Field::ShareRatio => {
                let (v, s) = r.each(|t| parsed(ShareRatio::parse(t).map(|x| x.tenths())));
                columns.push(Column::new(name.into(), v));
                columns.push(Column::new(st(field).into(), s));
            }
            Field::PostalCode | Field::ResidencePostalCode => {
                let (v, s) = r.each(|t| match postal::normalize(t) {
                    PostalCode::Valid(c) => (Some(c), St::Ok),
                    PostalCode::Padded(c) => (Some(c), St::Padded),
                    PostalCode::Malformed => (None, St::Invalid),
                });
                columns.push(str_column(name, v, n));
                columns.push(Column::new(st(field).into(), s));
            }
            Field::MyNumber => my_number_columns(&r, n, &mut columns),
            Field::Company | Field::InsurerNo => {
                let (c, s) = r.each_text(name, |t, b| {
                    b.append_value(t);
                    St::Ok
                });
                columns.push(c);
                columns.push(Column::new(st(field).into(), s));
            }
            // The key parts are read into `key` (an unreadable one rejects the row).
            Field::Symbol | Field::Number | Field::Branch => {
                let col = source.raw.column(name)?.clone();
                columns.push(col);
            }
            // Kept as read: names, kana, addresses, the list's 交付事由.
            _ => {
                let (c, s) = r.kept_text(name);
                columns.push(c);
                columns.push(Column::new(st(field).into(), s));
            }
        }
    }

    let df = DataFrame::new(n, columns)?;
    let df = mark_rejected(df, &source)?;
    Ok(Input { id, source, df })
}

/// 記号・番号・枝番 → key, household key, ID001 reason (SPEC §3 "The member key").
fn key_columns(src: &Source, n: usize, columns: &mut Vec<Column>) {
    let get = |f: Field| {
        raw(src, f)
            .map(|r| r.values)
            .unwrap_or_else(|| vec![None; n])
    };
    let (symbols, numbers, branches) = (get(Field::Symbol), get(Field::Number), get(Field::Branch));
    let mut keys = StringChunkedBuilder::new(cols::KEY.into(), n);
    let mut hhs = StringChunkedBuilder::new(cols::HH.into(), n);
    let mut branch_n = StringChunkedBuilder::new(cols::BRANCH_N.into(), n);
    let mut errs = StringChunkedBuilder::new(cols::KEY_ERR.into(), n);
    // The keys are built in one reused buffer and the parts borrowed from the cells: a million
    // rows are otherwise several million small allocations.
    let mut key = String::new();
    for i in 0..n {
        let symbol: Option<Cow<str>> = symbols[i].map(|s| {
            let normal = text::nfkc_trim(s);
            if normal.contains(char::is_whitespace) {
                Cow::Owned(normal.chars().filter(|c| !c.is_whitespace()).collect())
            } else {
                normal
            }
        });
        let number = numbers[i].map(text::nfkc_trim);
        let branch = branches[i].map(text::nfkc_trim);
        let mut err: Vec<&str> = Vec::new();
        let symbol = match symbol.filter(|s| !s.is_empty()) {
            None => {
                err.push(Tr::new("記号が空欄", "記号 is empty").get());
                None
            }
            Some(s) if values::cp932_len(&s) > 38 => {
                err.push(Tr::new("記号が CP932 で38バイト超", "記号 is over 38 bytes").get());
                None
            }
            Some(s) => Some(s),
        };
        let number = match number.as_deref() {
            Some(num) if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => {
                let t = num.trim_start_matches('0');
                Some(if t.is_empty() { "0" } else { t })
            }
            Some(num) if !num.is_empty() => {
                err.push(Tr::new("番号が数字でない", "番号 is not digits").get());
                None
            }
            _ => {
                err.push(Tr::new("番号が空欄", "番号 is empty").get());
                None
            }
        };
        let branch = match branch.as_deref() {
            Some(b) if b.len() == 2 && b.bytes().all(|c| c.is_ascii_digit()) => Some(b),
            Some(b) if !b.is_empty() => {
                err.push(Tr::new("枝番が2桁の数字でない", "枝番 is not 2 digits").get());
                None
            }
            _ => {
                err.push(Tr::new("枝番が空欄", "枝番 is empty").get());
                None
            }
        };
        match (&symbol, number) {
            (Some(s), Some(num)) => {
                key.clear();
                key.push_str(s);
                key.push('-');
                key.push_str(num);
                hhs.append_value(&key);
                match branch {
                    Some(b) if err.is_empty() => {
                        key.push('-');
                        key.push_str(b);
                        keys.append_value(&key);
                    }
                    _ => keys.append_null(),
                }
            }
            _ => {
                hhs.append_null();
                keys.append_null();
            }
        }
        branch_n.append_option(branch);
        if err.is_empty() {
            errs.append_null();
        } else {
            errs.append_value(err.join(Tr::new("、", ", ").get()));
        }
    }
    for b in [keys, hhs, branch_n, errs] {
        columns.push(b.finish().into_series().into());
    }
}

fn my_number_columns(r: &Raw, n: usize, columns: &mut Vec<Column>) {
    let mut kinds = Vec::with_capacity(n);
    let mut last4 = StringChunkedBuilder::new(cols::MN_LAST4.into(), n);
    let mut fps: Vec<Option<u64>> = Vec::with_capacity(n);
    for (i, v) in r.values.iter().enumerate() {
        if r.is_unreadable(i) {
            kinds.push(MnState::Unreadable as u8);
            last4.append_null();
            fps.push(None);
            continue;
        }
        let Some(v) = v.filter(|s| !text::is_blank(s)) else {
            kinds.push(MnState::Absent as u8);
            last4.append_null();
            fps.push(None);
            continue;
        };
        match MyNumber::parse(v) {
            Ok(mn) => {
                kinds.push(match mn.kind() {
                    MnKind::Valid => MnState::Valid,
                    MnKind::BadCheckDigit => MnState::BadCheckDigit,
                    _ => MnState::Last4,
                } as u8);
                last4.append_value(mn.last4().as_str());
                fps.push(mn.is_full().then(|| fingerprint(&mn)));
            }
            Err(kind) => {
                kinds.push(if kind == MnKind::Mangled {
                    MnState::Mangled
                } else {
                    MnState::Malformed
                } as u8);
                last4.append_null();
                fps.push(None);
            }
        }
    }
    columns.push(Column::new(cols::MN_KIND.into(), kinds));
    columns.push(last4.finish().into_series().into());
    columns.push(Column::new(cols::MN_FP.into(), fps));
}

/// Duplicates (IN006) and the rejected flag (SPEC §5).
fn mark_rejected(df: DataFrame, src: &Source) -> PolarsResult<DataFrame> {
    let n = df.height();
    let mut bad_rows: HashSet<u32> = HashSet::new();
    for issue in &src.issues {
        let Some(row) = issue.row else { continue };
        let key_cell = issue.field.is_some_and(Field::is_key_part);
        match issue.kind {
            IssueKind::Ragged { .. } => {
                bad_rows.insert(row);
            }
            IssueKind::Undecodable { .. } | IssueKind::ErrorCell { .. } if key_cell => {
                bad_rows.insert(row);
            }
            _ => {}
        }
    }
    let ingest_bad: Vec<bool> = (0..n as u32).map(|r| bad_rows.contains(&r)).collect();
    let mut df = df;
    df.with_column(Column::new("_ingest_bad".into(), ingest_bad))?;
    df.lazy()
        .with_columns([(col(cols::KEY)
            .is_not_null()
            .and(len().over([col(cols::KEY)])?.gt(lit(1))))
        .alias(cols::DUPLICATE)])
        .with_columns([(col("_ingest_bad")
            .or(col(cols::KEY_ERR).is_not_null())
            .or(col(cols::DUPLICATE)))
        .alias(cols::REJECTED)])
        .drop(by_name(["_ingest_bad"], true, false))
        .collect()
}
