//! Raw text columns → typed columns, one pass per field (SPEC §3).
//!
//! Each value is NFKC-normalized and trimmed before its format is checked; printed values keep
//! the original text, which stays in the [`Source`]. Every field has a value column and a
//! status column ([`St`]) in every frame, typed nulls where the file lacks the field
//! ([`schema`]), so the rules in `checks/` are plain filters over whole columns. A full My
//! Number never enters the frame: only its kind, its last 4 digits and a per-process
//! fingerprint (to find two members sharing one number).

pub mod household;
pub mod readable;
pub mod route;
pub mod schema;
pub mod values;

pub use schema::{Col, Side, c};

use crate::config::Config;
use crate::domain::my_number::{Kind as MnKind, MyNumber};
use crate::domain::postal::{self, PostalCode};
use crate::domain::share_ratio::ShareRatio;
use crate::domain::{date, text};
use crate::field::{Field, SourceKind};
use crate::i18n::Tr;
use crate::ingest::{IssueKind, RawColumn, Source};
use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::sync::OnceLock;

/// Why a member key is malformed (ID001): bits of [`Col::KeyError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum KeyError {
    SymbolEmpty = 1,
    SymbolTooLong = 2,
    NumberEmpty = 4,
    NumberNotDigits = 8,
    BranchEmpty = 16,
    BranchNot2Digits = 32,
}

impl KeyError {
    pub const ALL: [KeyError; 6] = [
        KeyError::SymbolEmpty,
        KeyError::SymbolTooLong,
        KeyError::NumberEmpty,
        KeyError::NumberNotDigits,
        KeyError::BranchEmpty,
        KeyError::BranchNot2Digits,
    ];

    /// The errors of a [`Col::KeyError`] value, in key order.
    pub fn of(bits: u8) -> impl Iterator<Item = KeyError> {
        KeyError::ALL
            .into_iter()
            .filter(move |e| bits & *e as u8 != 0)
    }

    /// The key part it is about.
    pub fn field(self) -> Field {
        match self {
            KeyError::SymbolEmpty | KeyError::SymbolTooLong => Field::Symbol,
            KeyError::NumberEmpty | KeyError::NumberNotDigits => Field::Number,
            KeyError::BranchEmpty | KeyError::BranchNot2Digits => Field::Branch,
        }
    }

    pub fn text(self) -> Tr {
        match self {
            KeyError::SymbolEmpty => Tr::new("記号が空欄", "記号 is empty"),
            KeyError::SymbolTooLong => {
                Tr::new("記号が CP932 で38バイト超", "記号 is over 38 bytes")
            }
            KeyError::NumberEmpty => Tr::new("番号が空欄", "番号 is empty"),
            KeyError::NumberNotDigits => Tr::new("番号が数字でない", "番号 is not digits"),
            KeyError::BranchEmpty => Tr::new("枝番が空欄", "枝番 is empty"),
            KeyError::BranchNot2Digits => Tr::new("枝番が2桁の数字でない", "枝番 is not 2 digits"),
        }
    }
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
        lit(self as u8).cast(DataType::UInt8)
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
    pub const ALL: [MnState; 7] = [
        MnState::Absent,
        MnState::Valid,
        MnState::BadCheckDigit,
        MnState::Last4,
        MnState::Mangled,
        MnState::Malformed,
        MnState::Unreadable,
    ];

    pub fn lit(self) -> Expr {
        lit(self as u8).cast(DataType::UInt8)
    }

    /// The status a 個人番号 of this state has among the fields' statuses.
    fn status(self) -> St {
        match self {
            MnState::Mangled | MnState::Malformed => St::Invalid,
            MnState::Unreadable => St::Unreadable,
            _ => St::Ok,
        }
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

/// A status column says its value could not be read (see [`BAD`]).
pub fn bad_status(status: Expr) -> Expr {
    status.is_in(lit(Series::new("bad".into(), BAD)).implode(false), false)
}

/// A field's value on this row could not be read (see [`BAD`]). For a field the source does
/// not carry this is false: an absent field is empty, not unreadable. For 個人番号: exponent
/// text, malformed, or an unreadable cell (MN004, IN001/IN005).
pub fn unreadable(field: Field) -> Expr {
    bad_status(c(Col::Status(field)))
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
        let c = self.df.column(&Col::Key.name()).ok()?;
        c.str().ok()?.get(row as usize).map(str::to_string)
    }

    /// One column of the frame, typed by the schema: every frame has every column, so
    /// asking for one that is missing is a bug, reported as an error rather than a panic.
    pub fn column(&self, column: Col) -> PolarsResult<&Column> {
        self.df.column(&column.name())
    }

    /// The usable rows (see [`usable`]) of these rows of the frame. The usual file has no
    /// rejected row and no row without a key: its rows are taken as they are, since a filter
    /// copies every column it passes (a million fund rows for each slice a cross check joins).
    pub fn usable_rows(&self, rows: LazyFrame) -> LazyFrame {
        let none_rejected = self
            .column(Col::Rejected)
            .ok()
            .and_then(|r| r.bool().ok().map(|b| !b.any() && b.null_count() == 0));
        let keyed = self.column(Col::Key).is_ok_and(|k| k.null_count() == 0);
        if none_rejected == Some(true) && keyed {
            rows
        } else {
            rows.filter(usable())
        }
    }
}

/// A row the cross checks and the decisions read: not rejected, with a key.
pub fn usable() -> Expr {
    c(Col::Rejected).not().and(c(Col::Key).is_not_null())
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

/// A field's read text column (iterated in place, not collected) and which cells of it could
/// not be read.
struct Raw<'a> {
    values: &'a StringChunked,
    unreadable: Vec<bool>,
}

fn raw<'a>(src: &Source, f: Field, values: &'a StringChunked) -> Raw<'a> {
    let unreadable = if src.unreadable.is_empty() {
        Vec::new()
    } else {
        (0..values.len() as u32)
            .map(|r| src.unreadable.contains(&(r, f)))
            .collect()
    };
    Raw { values, unreadable }
}

impl Raw<'_> {
    fn any_unreadable(&self) -> bool {
        self.unreadable.iter().any(|u| *u)
    }

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

/// Build the typed frame of a source: every column of the schema, in every frame.
pub fn prepare(id: usize, mut source: Source, config: &Config) -> PolarsResult<Input> {
    let n = source.rows();
    let mut read = source.take_raw_columns();
    let at = |f: Field| Field::ALL.iter().position(|x| *x == f);
    // 個人番号 is read out (a copy) before a CSV's text is masked and shared with the other
    // columns, which are views into it.
    let masked = crate::timing::stage(|| "prepare: 個人番号 read out, text masked".into());
    if let Some(i) = at(Field::MyNumber)
        && let Some(raw) = read[i].take()
    {
        read[i] = Some(RawColumn::Read(source.read_column(Field::MyNumber, raw)));
    }
    source.share_text();
    drop(masked);
    // The key and the fields are typed independently: on every core, their columns put back
    // in order. Each job takes its read columns and frees them once typed (a CSV's raw frame
    // does not sit beside the whole typed frame). The key is one job: it types its parts.
    let cells: Vec<Mutex<Option<RawColumn>>> = read.into_iter().map(Mutex::new).collect();
    let read_out = |f: Field| {
        let raw = at(f).and_then(|i| cells[i].lock().ok()?.take())?;
        Some(source.read_column(f, raw))
    };
    let jobs: Vec<Option<Field>> = std::iter::once(None)
        .chain(
            Field::ALL
                .into_iter()
                .filter(|f| !KEY_PARTS.contains(f))
                .map(Some),
        )
        .collect();
    // Each job's columns under its slot: None for the key's, the field's for a field's.
    type Slots = Vec<(Option<Field>, Vec<Column>)>;
    let done = crate::cores::on_every_core(&jobs, |job| -> PolarsResult<Slots> {
        let Some(field) = *job else {
            let _t = crate::timing::stage(|| "prepare: key (CPU)".into());
            let parts = KEY_PARTS.map(read_out);
            let part = |f: Field| parts[KEY_PARTS.iter().position(|p| *p == f)?].as_ref();
            let mut key = Vec::new();
            key_columns(&source, n, part, &mut key);
            let mut slots = vec![(None, key)];
            for (f, read) in KEY_PARTS.into_iter().zip(parts) {
                slots.push((Some(f), field_columns(&source, f, read, config)?));
            }
            return Ok(slots);
        };
        let _t = crate::timing::stage(|| "prepare: fields read and typed (CPU)".into());
        Ok(vec![(
            Some(field),
            field_columns(&source, field, read_out(field), config)?,
        )])
    });
    let mut slots = Vec::with_capacity(Field::ALL.len() + 1);
    for job in done {
        slots.extend(job?);
    }
    // The row index, the key's columns, then the fields' in field order.
    slots.sort_by_key(|(slot, _)| slot.and_then(at));
    let mut columns: Vec<Column> = vec![Column::new(
        Col::Idx.name(),
        (0..n as u32).collect::<Vec<u32>>(),
    )];
    columns.extend(slots.into_iter().flat_map(|(_, c)| c));
    let df = DataFrame::new(n, columns)?;
    let sealed = crate::timing::stage(|| "prepare: rejected rows marked, source sealed".into());
    let df = mark_rejected(df, &source)?;
    source.seal();
    drop(sealed);
    Ok(Input { id, source, df })
}

/// The parts of the member key, typed with it (SPEC §3 "The member key").
const KEY_PARTS: [Field; 3] = [Field::Symbol, Field::Number, Field::Branch];

/// How many distinct date texts a column remembers the parse of.
const DATE_MEMO: usize = 1 << 16;

/// The columns of one field: typed from its cells, or typed nulls when the source lacks it.
fn field_columns(
    source: &Source,
    field: Field,
    read: Option<StringChunked>,
    config: &Config,
) -> PolarsResult<Vec<Column>> {
    let n = source.rows();
    let mut columns = Vec::new();
    match &read {
        Some(values) => typed(
            source,
            field,
            &raw(source, field, values),
            config,
            &mut columns,
        )?,
        None => {
            if field == Field::BirthDate {
                columns.push(Col::Birth75.nulls(n));
            }
            if field == Field::MyNumber {
                columns.push(Column::new(
                    Col::MnKind.name(),
                    vec![MnState::Absent as u8; n],
                ));
                columns.push(Col::MnFingerprint.nulls(n));
            }
            columns.push(Col::Value(field).nulls(n));
            columns.push(ok_statuses(Col::Status(field).name(), n));
        }
    }
    Ok(columns)
}

/// The value and status columns of a field the source carries.
fn typed(
    source: &Source,
    field: Field,
    r: &Raw,
    config: &Config,
    columns: &mut Vec<Column>,
) -> PolarsResult<()> {
    let n = source.rows();
    let value = Col::Value(field).name();
    let status = Col::Status(field).name();
    if field.is_date() {
        let era = config.columns.kind(source.kind).era_digits;
        let parse = |t: &str| match date::parse_date(t, era) {
            Ok(p) if p.era_ended => (Some(days(p.date)), St::EraEnded),
            Ok(p) => (Some(days(p.date)), St::Ok),
            Err(date::DateError::Unparseable) => (None, St::Invalid),
            Err(date::DateError::Ambiguous) => (None, St::Ambiguous),
            Err(date::DateError::Impossible) => (None, St::Impossible),
        };
        // A column of dates repeats its values (a million birth dates are some 30,000 days):
        // each text is parsed once. Bounded, so a file of all-different texts costs no more
        // than the parsing.
        let mut seen: PlHashMap<Box<str>, (Option<i32>, St)> = PlHashMap::default();
        let (v, s) = r.each(|t| {
            if let Some(known) = seen.get(t) {
                return *known;
            }
            let parsed = parse(t);
            if seen.len() < DATE_MEMO {
                seen.insert(t.into(), parsed);
            }
            parsed
        });
        if field == Field::BirthDate {
            let ends: Vec<Option<i32>> = v
                .iter()
                .map(|d| {
                    let b = from_days((*d)?)?;
                    Some(days(crate::domain::elderly::membership_ends_on(b)))
                })
                .collect();
            columns.push(Column::new(Col::Birth75.name(), ends).cast(&DataType::Date)?);
        }
        columns.push(Column::new(value, v).cast(&DataType::Date)?);
        columns.push(status_column(status, s));
        return Ok(());
    }
    let (column, s): (Column, Vec<u8>) = match field {
        Field::Sex => with_name(value, r.each(|t| parsed(values::sex(t)))),
        Field::Relationship => {
            r.each_text(&value, |t, b| push_known(b, config.columns.relationship(t)))
        }
        Field::MemberType => r.each_text(&value, |t, b| push_known(b, values::member_type(t))),
        Field::IncomeException | Field::MynaRegistered | Field::CertRequested => {
            with_name(value, r.each(|t| parsed(values::flag(t))))
        }
        Field::Remuneration => with_name(value, r.each(|t| parsed(values::remuneration(t)))),
        Field::ShareRatio => with_name(
            value,
            r.each(|t| parsed(ShareRatio::parse(t).map(|x| x.tenths()))),
        ),
        Field::PostalCode | Field::ResidencePostalCode => {
            let (v, s) = r.each(|t| match postal::normalize(t) {
                PostalCode::Valid(c) => (Some(c), St::Ok),
                PostalCode::Padded(c) => (Some(c), St::Padded),
                PostalCode::Malformed => (None, St::Invalid),
            });
            (str_column(&value, v, n), s)
        }
        Field::MyNumber => my_number_columns(r, n, columns),
        Field::Company | Field::InsurerNo => r.each_text(&value, |t, b| {
            b.append_value(t);
            St::Ok
        }),
        // The key parts are read into `key` (an unreadable one rejects the row); their
        // columns keep the text as written.
        Field::Symbol | Field::Number | Field::Branch => {
            let statuses = (0..n)
                .map(|i| {
                    if r.is_unreadable(i) {
                        St::Unreadable as u8
                    } else {
                        St::Ok as u8
                    }
                })
                .collect();
            (r.values.clone().into_series().into(), statuses)
        }
        // Kept as read: names, kana, addresses, the list's 交付事由.
        // Nothing to null: the typed column is the read one, shared, not copied.
        _ if !r.any_unreadable() && !r.values.iter().flatten().any(text::is_blank) => {
            let column = r.values.clone().with_name(value).into_series().into();
            (column, vec![St::Ok as u8; n])
        }
        _ => r.kept_text(&value),
    };
    columns.push(column);
    columns.push(status_column(status, s));
    Ok(())
}

/// A field's status column. Most fields of most files are read without a fault: a column of
/// all [`St::Ok`] is one scalar, not a byte a row (27 fields and a million rows are 27 MB a
/// source, and every rule's test of a scalar status is one test, not a million).
fn status_column(name: PlSmallStr, statuses: Vec<u8>) -> Column {
    if statuses.iter().all(|s| *s == St::Ok as u8) {
        ok_statuses(name, statuses.len())
    } else {
        Column::new(name, statuses)
    }
}

/// `n` statuses of [`St::Ok`], as one scalar.
fn ok_statuses(name: PlSmallStr, n: usize) -> Column {
    let ok = Scalar::new(DataType::UInt8, AnyValue::UInt8(St::Ok as u8));
    Column::new_scalar(name, ok, n)
}

fn with_name<T>(name: PlSmallStr, (v, s): (Vec<Option<T>>, Vec<u8>)) -> (Column, Vec<u8>)
where
    Series: NamedFrom<Vec<Option<T>>, [Option<T>]>,
{
    (Column::new(name, v), s)
}

/// 記号・番号・枝番 → key, household key, ID001 reason (SPEC §3 "The member key").
fn key_columns<'a>(
    src: &Source,
    n: usize,
    read: impl Fn(Field) -> Option<&'a StringChunked>,
    columns: &mut Vec<Column>,
) {
    let get = |f: Field| -> Box<dyn Iterator<Item = Option<&str>> + 'a> {
        match read(f) {
            Some(ca) => Box::new(ca.iter()),
            None => Box::new(std::iter::repeat_n(None, n)),
        }
    };
    let (mut symbols, mut numbers, mut branches) =
        (get(Field::Symbol), get(Field::Number), get(Field::Branch));
    // A key part that could not be read (IN001, IN005) makes no key: its placeholder text is
    // not a member's key (SPEC §6: null where no key can be read).
    let unreadable_key = |i: usize| {
        !src.unreadable.is_empty()
            && [Field::Symbol, Field::Number, Field::Branch]
                .iter()
                .any(|f| src.unreadable.contains(&(i as u32, *f)))
    };
    let mut keys = StringChunkedBuilder::new(Col::Key.name(), n);
    let mut hhs = StringChunkedBuilder::new(Col::Household.name(), n);
    let mut branch_n = StringChunkedBuilder::new(Col::Branch2.name(), n);
    let mut errs: Vec<Option<u8>> = Vec::with_capacity(n);
    // The keys are built in one reused buffer and the parts borrowed from the cells: a million
    // rows are otherwise several million small allocations.
    let mut key = String::new();
    for i in 0..n {
        let (symbol, number, branch) = (
            symbols.next().flatten(),
            numbers.next().flatten(),
            branches.next().flatten(),
        );
        let symbol: Option<Cow<str>> = symbol.map(|s| {
            let normal = text::nfkc_trim(s);
            if normal.contains(char::is_whitespace) {
                Cow::Owned(normal.chars().filter(|c| !c.is_whitespace()).collect())
            } else {
                normal
            }
        });
        let number = number.map(text::nfkc_trim);
        let branch = branch.map(text::nfkc_trim);
        let mut err = 0u8;
        let mut fail = |e: KeyError| err |= e as u8;
        let symbol = match symbol.filter(|s| !s.is_empty()) {
            None => {
                fail(KeyError::SymbolEmpty);
                None
            }
            Some(s) if values::cp932_len(&s) > 38 => {
                fail(KeyError::SymbolTooLong);
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
                fail(KeyError::NumberNotDigits);
                None
            }
            _ => {
                fail(KeyError::NumberEmpty);
                None
            }
        };
        let branch = match branch.as_deref() {
            Some(b) if b.len() == 2 && b.bytes().all(|c| c.is_ascii_digit()) => Some(b),
            Some(b) if !b.is_empty() => {
                fail(KeyError::BranchNot2Digits);
                None
            }
            _ => {
                fail(KeyError::BranchEmpty);
                None
            }
        };
        match (&symbol, number) {
            (Some(s), Some(num)) if !unreadable_key(i) => {
                key.clear();
                key.push_str(s);
                key.push('-');
                key.push_str(num);
                hhs.append_value(&key);
                match branch {
                    Some(b) if err == 0 => {
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
        errs.push((err != 0).then_some(err));
    }
    for b in [keys, hhs, branch_n] {
        columns.push(b.finish().into_series().into());
    }
    columns.push(Column::new(Col::KeyError.name(), errs));
}

/// 個人番号's kind and fingerprint (pushed), and its last 4 digits with its status (returned).
fn my_number_columns(r: &Raw, n: usize, columns: &mut Vec<Column>) -> (Column, Vec<u8>) {
    let mut kinds: Vec<u8> = Vec::with_capacity(n);
    let mut last4 = StringChunkedBuilder::new(Col::Value(Field::MyNumber).name(), n);
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
    let statuses = kinds
        .iter()
        .map(|k| {
            MnState::ALL
                .into_iter()
                .find(|s| *s as u8 == *k)
                .map_or(St::Ok, MnState::status) as u8
        })
        .collect();
    columns.push(Column::new(Col::MnKind.name(), kinds));
    columns.push(Column::new(Col::MnFingerprint.name(), fps));
    (last4.finish().into_series().into(), statuses)
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
        .with_columns([(c(Col::Key)
            .is_not_null()
            .and(len().over([c(Col::Key)])?.gt(lit(1))))
        .alias(Col::Duplicate.name())])
        .with_columns([(col("_ingest_bad")
            .or(c(Col::KeyError).is_not_null())
            .or(c(Col::Duplicate)))
        .alias(Col::Rejected.name())])
        .drop(by_name(["_ingest_bad"], true, false))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::SourceKind;
    use crate::ingest::{ReadOptions, one_valued};
    use std::path::Path;

    /// A run of 12 or more digits: a full 個人番号 (or longer).
    fn has_full_number(text: &str) -> bool {
        let mut run = 0;
        text.chars().any(|c| {
            run = if c.is_ascii_digit() { run + 1 } else { 0 };
            run >= 12
        })
    }

    /// Once typed, the source — its cells, its records and its debug print — holds no full
    /// 個人番号, for a CSV (whose text is kept for rendering) and for a workbook.
    #[test]
    fn a_prepared_source_holds_no_full_my_number() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = Config::load(&root.join("rules")).expect("rules load");
        let opts = ReadOptions {
            columns: &config.columns,
            input_encoding: Default::default(),
        };
        for (file, kind) in [
            ("sample-data/fund.csv", SourceKind::Fund),
            (
                "sample-data/employers/c01-sakura-shoji.xlsx",
                SourceKind::Employer,
            ),
        ] {
            let source = crate::ingest::read(&root.join(file), kind, &opts).expect("reads");
            let before = (0..source.rows() as u32)
                .filter_map(|r| source.cell(r, Field::MyNumber))
                .filter(|c| has_full_number(c))
                .count();
            assert!(
                before > 10,
                "{file}: the fixture carries full numbers ({before})"
            );
            let input = prepare(0, source, &config).expect("prepares");
            let s = &input.source;
            for row in 0..s.rows() as u32 {
                for field in Field::ALL {
                    let cell = s.cell(row, field).unwrap_or_default();
                    assert!(!has_full_number(&cell), "{file} row {row} {field:?}");
                }
                let record = s.record(row).unwrap_or_default();
                assert!(!has_full_number(record), "{file} record of row {row}");
            }
            let cell = s.cell(0, Field::MyNumber).expect("row 0 has a number");
            assert!(
                cell.ends_with(|c: char| c.is_ascii_digit()),
                "last 4 kept: {cell}"
            );
            assert!(!has_full_number(&format!("{s:?}")), "{file}: Debug");
        }
    }

    /// A fund CSV given as text, read and prepared with the repository's rules.
    fn prepared_fund_csv(csv: &str) -> Input {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = Config::load(&root.join("rules")).expect("rules load");
        let opts = ReadOptions {
            columns: &config.columns,
            input_encoding: Default::default(),
        };
        let source = crate::ingest::read_bytes(
            Path::new("t.csv"),
            crate::ingest::Format::Csv,
            csv.as_bytes().to_vec(),
            SourceKind::Fund,
            &opts,
        )
        .expect("reads");
        prepare(0, source, &config).expect("prepares")
    }

    /// A CSV's 個人番号 cells are hidden at their spans in the text, whatever their form: each
    /// record then shows the last 4 digits only, the same length as before (no other cell
    /// moves), and the cells around it read as written.
    #[test]
    fn a_csv_hides_each_my_number_at_its_span_and_nothing_else_moves() {
        // (the cell as written, as the record keeps it once masked)
        let cases = [
            ("695469470391", "********0391"),
            ("6954-6947-0391", "****-****-0391"),
            ("\"6954 6947 0391\"", "\"**** **** 0391\""),
            ("\"6954\"\"69470391\"", "\"****\"\"****0391\""),
            ("６９５４６９４７０３９１", "＊＊＊＊＊＊＊＊０３９１"),
            ("番号695469470391です", "番号********0391です"),
            ("0391", "0391"),
            ("", ""),
        ];
        let header = "保険者番号,記号,番号,枝番,氏名,生年月日,被保険者区分,個人番号,住所\n";
        let mut csv = header.to_string();
        for (i, (cell, _)) in cases.iter().enumerate() {
            csv.push_str(&format!(
                "06139992,1001,{i},00,桜井正雄,1954-08-01,一般,{cell},東京都品川区\n"
            ));
        }
        let input = prepared_fund_csv(&csv);
        for (i, (cell, hidden)) in cases.iter().enumerate() {
            let record = input.source.record(i as u32).expect("a record");
            assert_eq!(
                record,
                format!("06139992,1001,{i},00,桜井正雄,1954-08-01,一般,{hidden},東京都品川区"),
                "{cell}"
            );
        }
        let names = input.column(Col::Value(Field::Name)).expect("name");
        assert!(
            names
                .str()
                .expect("text")
                .iter()
                .all(|n| n == Some("桜井正雄"))
        );
    }

    /// A CSV's kept text columns are views into its text, not copies of it: every value too
    /// long to sit in its view (over 12 bytes) points into the source's own records. A cell
    /// with `""` escapes reads unescaped, an empty quoted cell is empty, and the 個人番号 typed
    /// before the text was masked keeps its last 4 digits and its check-digit verdict.
    #[test]
    fn a_csv_kept_text_is_a_view_into_its_text() {
        let csv = "保険者番号,記号,番号,枝番,氏名,生年月日,性別,続柄,被保険者区分,個人番号,住所\n\
                   06139992,1001,1,00,\"桜井\"\"正雄\"\"さん\",1954-08-01,1,本人,一般,695469470391,\
                   東京都品川区西五反田五丁目3番17号\n\
                   06139992,1001,1,01,\"\",1954-08-02,2,配偶者,一般,,\"東京都品川区西五反田五丁目3番17号\"\n";
        let input = prepared_fund_csv(csv);
        let text = |c: Col| -> Vec<Option<String>> {
            let column = input.column(c).expect("column");
            let values = column.str().expect("text");
            values.iter().map(|v| v.map(str::to_string)).collect()
        };
        assert_eq!(
            text(Col::Value(Field::Name)),
            [Some("桜井\"正雄\"さん".to_string()), None]
        );
        let address = "東京都品川区西五反田五丁目3番17号".to_string();
        assert_eq!(
            text(Col::Value(Field::Address)),
            [Some(address.clone()), Some(address)]
        );
        assert_eq!(
            text(Col::Value(Field::MyNumber))[0].as_deref(),
            Some("0391")
        );
        let kinds = input.column(Col::MnKind).expect("kind");
        assert_eq!(
            kinds.u8().expect("u8").get(0),
            Some(MnState::Valid as u8),
            "typed from the unmasked number"
        );
        let records = input
            .source
            .record(0)
            .expect("row 0")
            .as_bytes()
            .as_ptr_range()
            .start
            ..input
                .source
                .record(1)
                .expect("row 1")
                .as_bytes()
                .as_ptr_range()
                .end;
        let column = input.column(Col::Value(Field::Address)).expect("address");
        for value in column.str().expect("text").iter().flatten() {
            assert!(
                records.contains(&value.as_ptr()),
                "the address points into the text"
            );
        }
        assert!(!has_full_number(input.source.record(0).expect("row 0")));
    }

    /// A column of one value in every row is one scalar, reading as it did; a column of two
    /// values, of a null beside a value, of one row, or of booleans stays a column.
    #[test]
    fn a_column_of_one_value_is_a_scalar() {
        let cases: Vec<(Column, bool)> = vec![
            (
                Column::new("s".into(), ["06139992", "06139992", "06139992"]),
                true,
            ),
            (
                Column::new("s".into(), ["06139992", "06139992", "06139993"]),
                false,
            ),
            (Column::new("s".into(), ["C001", "C002", "C001"]), false),
            (Column::new("s".into(), [None::<&str>, None, None]), true),
            (
                Column::new("s".into(), [Some("一般"), None, Some("一般")]),
                false,
            ),
            (
                Column::new("s".into(), [Some("一般"), Some("一般"), None]),
                false,
            ),
            (Column::new("s".into(), ["06139992"]), false),
            (Column::new("n".into(), [300_000i64, 300_000]), true),
            (Column::new("n".into(), [300_000i64, 280_000]), false),
            (Column::new("b".into(), [true, true, true]), false),
            (
                Column::new("d".into(), [20_393i32, 20_393])
                    .cast(&DataType::Date)
                    .expect("date"),
                true,
            ),
        ];
        for (column, scalar) in cases {
            let before: Vec<AnyValue> = column
                .as_materialized_series()
                .iter()
                .map(AnyValue::into_static)
                .collect();
            let dtype = column.dtype().clone();
            let after = one_valued(column);
            assert_eq!(matches!(after, Column::Scalar(_)), scalar, "{before:?}");
            assert_eq!(after.dtype(), &dtype, "{before:?}");
            let read: Vec<AnyValue> = after
                .as_materialized_series()
                .iter()
                .map(AnyValue::into_static)
                .collect();
            assert_eq!(read, before);
        }
    }

    /// Once typed, a workbook's cells of one value (its 会社コード) are held as one, and read
    /// cell by cell as before: the same text on every row, nothing past the last row.
    #[test]
    fn a_workbooks_cells_of_one_value_are_held_once_and_read_as_before() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = Config::load(&root.join("rules")).expect("rules load");
        let opts = ReadOptions {
            columns: &config.columns,
            input_encoding: Default::default(),
        };
        let path = root.join("sample-data/employers/c01-sakura-shoji.xlsx");
        let source = crate::ingest::read(&path, SourceKind::Employer, &opts).expect("reads");
        let rows = source.rows() as u32;
        let before: Vec<_> = (0..rows)
            .map(|r| source.cell(r, Field::Company).map(|c| c.into_owned()))
            .collect();
        assert!(
            !source.cells_are_one_value(Field::Company),
            "not before typing"
        );
        let input = prepare(0, source, &config).expect("prepares");
        let s = &input.source;
        assert!(s.cells_are_one_value(Field::Company));
        assert!(!s.cells_are_one_value(Field::Name));
        let after: Vec<_> = (0..rows)
            .map(|r| s.cell(r, Field::Company).map(|c| c.into_owned()))
            .collect();
        assert_eq!(after, before);
        assert!(before.iter().all(|c| c.is_some()), "{before:?}");
        assert_eq!(s.cell(rows, Field::Company), None);
    }

    /// A prepared source's frame holds 保険者番号, the same in every row, and the household's
    /// 被保険者区分 as scalars; names and addresses, which differ, as columns.
    #[test]
    fn a_prepared_frame_holds_one_valued_columns_as_scalars() {
        let csv = "保険者番号,記号,番号,枝番,氏名,生年月日,性別,続柄,被保険者区分,住所\n\
                   06139992,1001,1,00,桜井正雄,1954-08-01,1,本人,一般,東京都品川区西五反田五丁目3番17号\n\
                   06139992,1001,1,01,桜井花子,1956-08-02,2,配偶者,一般,東京都品川区大崎一丁目1番1号\n";
        let mut input = prepared_fund_csv(csv);
        let on = NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
        household::attach(&mut input, household::Dates::same(on)).expect("households");
        let scalar = |c: Col| matches!(input.column(c).expect("column"), Column::Scalar(_));
        for c in [
            Col::Value(Field::InsurerNo),
            Col::Value(Field::MemberType),
            Col::Insured(Field::MemberType),
            Col::D,
        ] {
            assert!(scalar(c), "{c:?} is one scalar");
        }
        for c in [
            Col::Value(Field::Name),
            Col::Value(Field::Address),
            Col::Key,
        ] {
            assert!(!scalar(c), "{c:?} is a column");
        }
        let insurer = input.column(Col::Value(Field::InsurerNo)).expect("column");
        let values: Vec<Option<&str>> = insurer.str().expect("text").iter().collect();
        assert_eq!(values, [Some("06139992"), Some("06139992")]);
    }

    /// A status column of all Ok is one scalar; one with any other status is a byte a row,
    /// and the statuses read the same either way.
    #[test]
    fn all_ok_statuses_are_a_scalar_and_any_other_status_a_column() {
        let cases: [(&[u8], bool); 5] = [
            (&[], true),
            (&[0], true),
            (&[0, 0, 0], true),
            (&[0, 5, 0], false),
            (&[1], false),
        ];
        for (statuses, scalar) in cases {
            let column = status_column("s".into(), statuses.to_vec());
            assert_eq!(matches!(column, Column::Scalar(_)), scalar, "{statuses:?}");
            let read: Vec<u8> = column
                .as_materialized_series()
                .u8()
                .expect("u8")
                .into_no_null_iter()
                .collect();
            assert_eq!(read, statuses, "{statuses:?}");
        }
    }
}
