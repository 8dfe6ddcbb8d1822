//! Dates and eras (日付と元号, SPEC §4.1).
//!
//! One parser for every way the fund's sources write a date: Gregorian (`1954-08-01`,
//! `1954/8/1`, `19540801`, `1954年8月1日`), era forms (`昭和29年8月1日`, `昭和元年…`,
//! `S29.8.1`, `S290801`, `R元.5.1`), the era-code digit form (`3290801`), all of them in
//! full width, plus Excel serial numbers. The answer is a date, or the precise reason it
//! is not one: unparseable or ambiguous (BD001), impossible (BD002); a date written in an
//! era that had already ended is converted and flagged (BD008).

use chrono::{Datelike, Days, NaiveDate};

/// Which era each leading digit of the 7-digit era-code form means (元号コード), set per
/// source in `rules/columns.toml` as `era_digits`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EraDigits {
    /// `1-5`: 1 明治, 2 大正, 3 昭和, 4 平成, 5 令和 (claims files; the default).
    #[default]
    OneToFive,
    /// `odd`: 1 明治, 3 大正, 5 昭和, 7 平成, 9 令和 (pension-office forms).
    Odd,
}

impl EraDigits {
    /// Read the `era_digits` setting: `"1-5"` or `"odd"`; anything else is None (a
    /// configuration error for the caller to report).
    pub fn from_config(s: &str) -> Option<EraDigits> {
        match s {
            "1-5" => Some(EraDigits::OneToFive),
            "odd" => Some(EraDigits::Odd),
            _ => None,
        }
    }

    /// The era a leading digit stands for under this convention, or None when the digit
    /// means nothing (`6` under `1-5`, `2` under `odd`).
    pub fn era(self, digit: u8) -> Option<Era> {
        match (self, digit) {
            (EraDigits::OneToFive, 1) | (EraDigits::Odd, 1) => Some(Era::Meiji),
            (EraDigits::OneToFive, 2) | (EraDigits::Odd, 3) => Some(Era::Taisho),
            (EraDigits::OneToFive, 3) | (EraDigits::Odd, 5) => Some(Era::Showa),
            (EraDigits::OneToFive, 4) | (EraDigits::Odd, 7) => Some(Era::Heisei),
            (EraDigits::OneToFive, 5) | (EraDigits::Odd, 9) => Some(Era::Reiwa),
            _ => None,
        }
    }

    /// The digit that stands for `era` under this convention (inverse of [`EraDigits::era`]).
    pub fn digit(self, era: Era) -> u8 {
        let index = era as u8; // Meiji = 0 … Reiwa = 4
        match self {
            EraDigits::OneToFive => index + 1,
            EraDigits::Odd => 2 * index + 1,
        }
    }
}

/// Why a text is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not a date in any accepted form (BD001).
    Unparseable,
    /// A two-digit year with no era (`29.8.1`, `290801`): which century is a guess (BD001).
    Ambiguous,
    /// A well-formed date that never existed: before its era began (`令和元年4月30日`,
    /// `昭和0年…`), a non-existent day (`R5.2.29`, month 13), or an invalid Excel serial
    /// (BD002). Never coerced to a nearby date.
    Impossible,
}

/// A parsed date (日付).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedDate {
    /// The calendar date.
    pub date: chrono::NaiveDate,
    /// True when the text used an era that had already ended on this date
    /// (`平成31年5月1日` = 2019-05-01, in 令和): legally valid, converted, warned (BD008).
    pub era_ended: bool,
}

/// The modern eras (元号). Dates before 明治 are impossible (BD002).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Era {
    /// 明治 (M), 1868-01-25 .. 1912-07-30.
    Meiji,
    /// 大正 (T), 1912-07-30 .. 1926-12-25.
    Taisho,
    /// 昭和 (S), 1926-12-25 .. 1989-01-07.
    Showa,
    /// 平成 (H), 1989-01-08 .. 2019-04-30.
    Heisei,
    /// 令和 (R), from 2019-05-01.
    Reiwa,
}

/// A date known at compile time (a bad literal fails the build, not a run).
const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid date literal"),
    }
}

impl Era {
    /// Every era, oldest first.
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    /// The era's first day (元年 starts here; 明治 as the Gregorian date of 慶応4年1月1日,
    /// as SPEC §4.1 fixes it).
    pub const fn first_day(self) -> NaiveDate {
        match self {
            Era::Meiji => ymd(1868, 1, 25),
            Era::Taisho => ymd(1912, 7, 30),
            Era::Showa => ymd(1926, 12, 25),
            Era::Heisei => ymd(1989, 1, 8),
            Era::Reiwa => ymd(2019, 5, 1),
        }
    }

    /// The era's last day; None for the current era (令和). 明治 and 大正 ended on the day the
    /// next era began (改元 on the day of the emperor's death, 1912-07-30 and 1926-12-25), so
    /// that day is valid in both eras (SPEC §4.1); 昭和 and 平成 ended the day before.
    pub const fn last_day(self) -> Option<NaiveDate> {
        match self {
            Era::Meiji => Some(ymd(1912, 7, 30)),
            Era::Taisho => Some(ymd(1926, 12, 25)),
            Era::Showa => Some(ymd(1989, 1, 7)),
            Era::Heisei => Some(ymd(2019, 4, 30)),
            Era::Reiwa => None,
        }
    }

    /// The era name in kanji: `明治`, `大正`, `昭和`, `平成`, `令和`.
    pub const fn name(self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// The era's Latin initial: `M`, `T`, `S`, `H`, `R`.
    pub const fn initial(self) -> char {
        match self {
            Era::Meiji => 'M',
            Era::Taisho => 'T',
            Era::Showa => 'S',
            Era::Heisei => 'H',
            Era::Reiwa => 'R',
        }
    }

    /// The one-kanji abbreviation: `明`, `大`, `昭`, `平`, `令`.
    pub const fn abbreviation(self) -> char {
        match self {
            Era::Meiji => '明',
            Era::Taisho => '大',
            Era::Showa => '昭',
            Era::Heisei => '平',
            Era::Reiwa => '令',
        }
    }

    /// The era a date falls in, or None before 明治.
    pub fn of(date: NaiveDate) -> Option<Era> {
        Era::ALL
            .into_iter()
            .rev()
            .find(|era| era.first_day() <= date)
    }

    /// The Gregorian year of era year `year` (元年 = 1): 昭和29年 → 1954.
    pub fn gregorian_year(self, year: u32) -> i32 {
        // Era years are at most two digits in every accepted form; saturate anyway.
        let year = i32::try_from(year).unwrap_or(i32::MAX);
        self.first_day()
            .year()
            .saturating_add(year)
            .saturating_sub(1)
    }

    /// The era year of a date in this era's numbering (1 = 元年); may exceed the era's
    /// real length for dates after it ended.
    pub fn year_of(self, date: NaiveDate) -> i32 {
        date.year() - self.first_day().year() + 1
    }
}

/// A date in the Japanese calendar (和暦): `令和8年11月20日`, with 元年 for an era's first year
/// (`令和元年5月1日`). A day of change belongs to the new era (1989-01-08 is 平成元年1月8日).
/// None before 明治.
pub fn wareki(date: NaiveDate) -> Option<String> {
    let era = Era::of(date)?;
    let year = match era.year_of(date) {
        1 => "元".to_string(),
        y => y.to_string(),
    };
    Some(format!(
        "{}{year}年{}月{}日",
        era.name(),
        date.month(),
        date.day()
    ))
}

/// A date as Japanese text shows it: the ISO date with its 和暦 beside it,
/// `2026-11-20（令和8年11月20日）`; the ISO date alone before 明治.
pub fn iso_with_wareki(date: NaiveDate) -> String {
    match wareki(date) {
        Some(w) => format!("{date}（{w}）"),
        None => date.to_string(),
    }
}

/// Longest trimmed text worth looking at: the longest accepted form, full width with a
/// time (`昭和２９年０８月０１日　０：００：００`), is under 70 bytes. Anything longer is
/// rejected before NFKC, so a 10 KB cell costs nothing.
const MAX_DATE_BYTES: usize = 128;

/// Parse a date cell's raw text in any form of SPEC §4.1.
///
/// The text is NFKC-normalized and trimmed here (full width is accepted everywhere). Era
/// digits in the 7-digit form (`3290801`) are read with `era_digits`. Empty text is
/// [`DateError::Unparseable`]: callers treat an empty cell as absent before calling.
///
/// Accepted: `1954-08-01`, `1954/8/1`, `1954.8.1`, `19540801`, `1954年8月1日`, with an
/// optional midnight time (`1954/08/01 0:00:00`, `1954-08-01 00:00`, as Excel exports
/// date cells); era names, one-kanji abbreviations or initials in any case (`昭和`, `昭`,
/// `S`, `s`) followed by year (digits or `元`), month and day with `年月日`, `.`, `/` or `-`
/// (`昭和29年8月1日`, `S29.08.01`, `R元.5.1`), or six digits (`S290801`); the era-code digit
/// form (`3290801`). Dashes may be any of `-‐‑–—―−ー`. White space inside is ignored.
/// Year 1 of 明治 is treated as Gregorian, although Japan kept the lunar calendar until
/// 明治5年: no member was born then.
pub fn parse_date(text: &str, era_digits: EraDigits) -> Result<ParsedDate, DateError> {
    let raw = text.trim();
    if raw.is_empty() || raw.len() > MAX_DATE_BYTES {
        return Err(DateError::Unparseable);
    }
    let normal = super::text::nfkc_trim(raw);
    let date_part = strip_midnight(&normal)?;
    if date_part.contains(char::is_whitespace) {
        // `昭和 29年 8月 1日`: rare, so the allocation is off the common path.
        let joined: String = date_part.chars().filter(|c| !c.is_whitespace()).collect();
        parse_compact(&joined, era_digits)
    } else {
        parse_compact(date_part, era_digits)
    }
}

/// Split off a trailing time of day, which must be midnight (`0:00`, `00:00:00`,
/// `00:00:00.000`): Excel exports date cells as datetimes. A date with any other time is
/// not a date cell. Text without `:` is returned as is.
fn strip_midnight(s: &str) -> Result<&str, DateError> {
    let Some(colon) = s.find(':') else {
        return Ok(s);
    };
    let before = &s[..colon];
    let Some((split, sep)) = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == 'T')
    else {
        return Err(DateError::Unparseable);
    };
    let time = &s[split + sep.len_utf8()..];
    if !is_midnight(time) {
        return Err(DateError::Unparseable);
    }
    Ok(before[..split].trim_end())
}

/// `H:MM`, `H:MM:SS` or `H:MM:SS.fff` with every field zero.
fn is_midnight(time: &str) -> bool {
    let mut parts = time.split(':');
    let (Some(h), Some(m)) = (parts.next(), parts.next()) else {
        return false;
    };
    let s = parts.next();
    if parts.next().is_some() {
        return false;
    }
    let zeros = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b == b'0')
    };
    let seconds_ok = match s {
        None => true,
        Some(s) => match s.split_once('.') {
            None => zeros(s, 2, 2),
            Some((whole, frac)) => zeros(whole, 2, 2) && zeros(frac, 1, 9),
        },
    };
    zeros(h, 1, 2) && zeros(m, 2, 2) && seconds_ok
}

/// Parse normalized text with no white space and no time.
fn parse_compact(s: &str, era_digits: EraDigits) -> Result<ParsedDate, DateError> {
    if let Some((era, rest)) = strip_era(s) {
        return parse_era_body(era, rest);
    }
    let b = s.as_bytes();
    if b.iter().all(u8::is_ascii_digit) {
        return match b.len() {
            8 => gregorian(number(&b[0..4]), number(&b[4..6]), number(&b[6..8])),
            7 => {
                let era = era_digits.era(b[0] - b'0').ok_or(DateError::Unparseable)?;
                era_date(era, number(&b[1..3]), number(&b[3..5]), number(&b[5..7]))
            }
            // YYMMDD with no era: which century?
            6 => Err(DateError::Ambiguous),
            _ => Err(DateError::Unparseable),
        };
    }
    let mut cur = Cursor::new(s);
    let year = cur.digits();
    let (month, day) = month_day(&mut cur)?;
    match year.count {
        4 => gregorian(year.value, month, day),
        1 | 2 => Err(DateError::Ambiguous),
        _ => Err(DateError::Unparseable),
    }
}

/// The era a text starts with (name, one-kanji abbreviation, or initial in any case) and
/// the rest of the text.
fn strip_era(s: &str) -> Option<(Era, &str)> {
    for era in Era::ALL {
        if let Some(rest) = s.strip_prefix(era.name()) {
            return Some((era, rest));
        }
    }
    for era in Era::ALL {
        if let Some(rest) = s.strip_prefix(era.abbreviation()) {
            return Some((era, rest));
        }
    }
    let first = *s.as_bytes().first()?;
    let era = match first.to_ascii_uppercase() {
        b'M' => Era::Meiji,
        b'T' => Era::Taisho,
        b'S' => Era::Showa,
        b'H' => Era::Heisei,
        b'R' => Era::Reiwa,
        _ => return None,
    };
    // The first byte is ASCII, so index 1 is a char boundary.
    Some((era, &s[1..]))
}

/// What follows an era: year (digits or 元), then month and day, or six digits YYMMDD
/// (`S290801`), or 元 and four digits MMDD (`R元0501`).
fn parse_era_body(era: Era, rest: &str) -> Result<ParsedDate, DateError> {
    let mut cur = Cursor::new(rest);
    let year = if cur.eat('元') {
        let mmdd = cur.rest().as_bytes();
        if mmdd.len() == 4 && mmdd.iter().all(u8::is_ascii_digit) {
            return era_date(era, 1, number(&mmdd[0..2]), number(&mmdd[2..4]));
        }
        1
    } else {
        let year = cur.digits();
        match year.count {
            6 if cur.at_end() => {
                let b = &rest.as_bytes()[0..6];
                return era_date(era, number(&b[0..2]), number(&b[2..4]), number(&b[4..6]));
            }
            1 | 2 => year.value,
            _ => return Err(DateError::Unparseable),
        }
    };
    let (month, day) = month_day(&mut cur)?;
    era_date(era, year, month, day)
}

/// The separator after the year, month, day: `年`…`月`…[`日`], or the same one of `.`,
/// `/`, `-` twice. Mixed separators (`1954/8-1`) are not a date.
fn month_day(cur: &mut Cursor<'_>) -> Result<(u32, u32), DateError> {
    let first = cur.separator().ok_or(DateError::Unparseable)?;
    let month = cur.digits();
    if !(1..=2).contains(&month.count) {
        return Err(DateError::Unparseable);
    }
    let second = cur.separator().ok_or(DateError::Unparseable)?;
    let consistent = match first {
        Sep::Year => second == Sep::Month,
        Sep::Month | Sep::Day => false,
        punct => second == punct,
    };
    if !consistent {
        return Err(DateError::Unparseable);
    }
    let day = cur.digits();
    if !(1..=2).contains(&day.count) {
        return Err(DateError::Unparseable);
    }
    if first == Sep::Year {
        cur.eat('日');
    }
    if !cur.at_end() {
        return Err(DateError::Unparseable);
    }
    Ok((month.value, day.value))
}

/// A date in an era: before the era began is impossible; after it ended is converted
/// and flagged.
fn era_date(era: Era, year: u32, month: u32, day: u32) -> Result<ParsedDate, DateError> {
    if year == 0 {
        return Err(DateError::Impossible);
    }
    let date = NaiveDate::from_ymd_opt(era.gregorian_year(year), month, day)
        .ok_or(DateError::Impossible)?;
    if date < era.first_day() {
        return Err(DateError::Impossible);
    }
    let era_ended = era.last_day().is_some_and(|last| date > last);
    Ok(ParsedDate { date, era_ended })
}

/// A Gregorian date: any real calendar date from year 1 on.
fn gregorian(year: u32, month: u32, day: u32) -> Result<ParsedDate, DateError> {
    let year = i32::try_from(year).map_err(|_| DateError::Impossible)?;
    if year == 0 {
        return Err(DateError::Impossible);
    }
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::Impossible)?;
    Ok(ParsedDate {
        date,
        era_ended: false,
    })
}

/// Value of a short run of ASCII digits (callers pass at most 4).
fn number(digits: &[u8]) -> u32 {
    digits.iter().fold(0u32, |n, &b| {
        n.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    Dot,
    Slash,
    Dash,
    Year,
    Month,
    Day,
}

struct Digits {
    value: u32,
    count: usize,
}

/// A position in normalized text; only ever advanced past whole chars.
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor { rest: s }
    }

    fn rest(&self) -> &'a str {
        self.rest
    }

    fn at_end(&self) -> bool {
        self.rest.is_empty()
    }

    fn eat(&mut self, c: char) -> bool {
        match self.rest.strip_prefix(c) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// A run of ASCII digits: its count, and its value (saturating; callers reject long
    /// runs by count).
    fn digits(&mut self) -> Digits {
        let count = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        let value = number(&self.rest.as_bytes()[..count.min(9)]);
        self.rest = &self.rest[count..];
        Digits { value, count }
    }

    fn separator(&mut self) -> Option<Sep> {
        let c = self.rest.chars().next()?;
        let sep = match c {
            '.' => Sep::Dot,
            '/' => Sep::Slash,
            '-' | '‐' | '‑' | '–' | '—' | '―' | '−' | 'ー' => Sep::Dash,
            '年' => Sep::Year,
            '月' => Sep::Month,
            '日' => Sep::Day,
            _ => return None,
        };
        self.rest = &self.rest[c.len_utf8()..];
        Some(sep)
    }
}

/// Excel's 1900 system: serial 1 is 1900-01-01, and serial 60 is 1900-02-29, a day that
/// never existed (Lotus 1-2-3's leap-year bug, kept by Excel).
const EXCEL_1900_LAST_REAL_BEFORE_BUG: f64 = 59.0;
/// The fake 1900-02-29.
const EXCEL_FAKE_LEAP_DAY: f64 = 60.0;
/// Excel's own limit: 9999-12-31 is serial 2958465 (1900 system).
const EXCEL_1900_MAX: f64 = 2_958_465.0;
/// 9999-12-31 in the 1904 system.
const EXCEL_1904_MAX: f64 = 2_957_003.0;

/// Convert an Excel serial day number (シリアル値) in a date field to a date.
///
/// The 1900 system (`is_1904 == false`, Excel's default): 1 = 1900-01-01 … 59 =
/// 1900-02-28; 60 is Excel's fake 1900-02-29 and is [`DateError::Impossible`]; from 61 on,
/// 1899-12-30 + serial (19937 = 1954-08-01). The 1904 system (workbooks that say so):
/// 1904-01-01 + serial. A fractional part (the time of day) is dropped. Serials before
/// the system's first day, NaN, infinities and dates after 9999-12-31 are impossible.
pub fn from_excel_serial(serial: f64, is_1904: bool) -> Result<NaiveDate, DateError> {
    if !serial.is_finite() || serial < 0.0 {
        return Err(DateError::Impossible);
    }
    let days = serial.trunc();
    let (base, offset) = if is_1904 {
        if days > EXCEL_1904_MAX {
            return Err(DateError::Impossible);
        }
        (ymd(1904, 1, 1), days)
    } else {
        if days < 1.0 || days == EXCEL_FAKE_LEAP_DAY || days > EXCEL_1900_MAX {
            return Err(DateError::Impossible);
        }
        if days <= EXCEL_1900_LAST_REAL_BEFORE_BUG {
            (ymd(1899, 12, 31), days)
        } else {
            (ymd(1899, 12, 30), days)
        }
    };
    // `days` is a whole number in 0..=2_958_465 here, so the cast is exact.
    base.checked_add_days(Days::new(offset as u64))
        .ok_or(DateError::Impossible)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    fn ok(y: i32, m: u32, day: u32) -> Result<ParsedDate, DateError> {
        Ok(ParsedDate {
            date: d(y, m, day),
            era_ended: false,
        })
    }

    fn ended(y: i32, m: u32, day: u32) -> Result<ParsedDate, DateError> {
        Ok(ParsedDate {
            date: d(y, m, day),
            era_ended: true,
        })
    }

    fn parse(s: &str) -> Result<ParsedDate, DateError> {
        parse_date(s, EraDigits::OneToFive)
    }

    use DateError::{Ambiguous, Impossible, Unparseable};

    #[test]
    fn wareki_at_every_era_boundary() {
        let cases = [
            (d(1868, 1, 24), None),
            (d(1868, 1, 25), Some("明治元年1月25日")),
            (d(1912, 7, 29), Some("明治45年7月29日")),
            (d(1912, 7, 30), Some("大正元年7月30日")),
            (d(1926, 12, 24), Some("大正15年12月24日")),
            (d(1926, 12, 25), Some("昭和元年12月25日")),
            (d(1954, 8, 1), Some("昭和29年8月1日")),
            (d(1989, 1, 7), Some("昭和64年1月7日")),
            (d(1989, 1, 8), Some("平成元年1月8日")),
            (d(2019, 4, 30), Some("平成31年4月30日")),
            (d(2019, 5, 1), Some("令和元年5月1日")),
            (d(2020, 1, 1), Some("令和2年1月1日")),
            (d(2026, 11, 20), Some("令和8年11月20日")),
        ];
        for (date, want) in cases {
            assert_eq!(wareki(date).as_deref(), want, "{date}");
        }
    }

    #[test]
    fn japanese_text_shows_the_iso_date_with_its_wareki() {
        assert_eq!(
            iso_with_wareki(d(2026, 11, 20)),
            "2026-11-20（令和8年11月20日）"
        );
        assert_eq!(
            iso_with_wareki(d(1989, 1, 8)),
            "1989-01-08（平成元年1月8日）"
        );
        assert_eq!(iso_with_wareki(d(1800, 1, 1)), "1800-01-01");
    }

    proptest! {
        /// What wareki prints, the parser reads back as the same day.
        #[test]
        fn wareki_reads_back(days in 0i64..60_000) {
            let date = d(1868, 1, 25) + chrono::Duration::days(days);
            let text = wareki(date).expect("after 明治 began");
            prop_assert_eq!(parse(&text).map(|p| p.date), Ok(date));
        }
    }

    #[test]
    fn spec_section_9_dates() {
        let cases = [
            ("S29.8.1", ok(1954, 8, 1)),
            ("昭和２９年８月１日", ok(1954, 8, 1)),
            ("S290801", ok(1954, 8, 1)),
            ("3290801", ok(1954, 8, 1)),
            ("H1.1.8", ok(1989, 1, 8)),
            ("R1.4.30", Err(Impossible)),
            ("H31.5.1", ended(2019, 5, 1)),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input), want, "input {input:?}");
        }
    }

    #[test]
    fn every_accepted_form_of_one_date() {
        let forms = [
            "1954-08-01",
            "1954/8/1",
            "1954/08/01",
            "19540801",
            "1954年8月1日",
            "1954年08月01日",
            "1954年8月1",
            "1954.8.1",
            "1954/08/01 0:00:00",
            "1954/08/01 0:00",
            "1954-08-01 00:00:00",
            "1954-08-01T00:00:00",
            "1954-08-01 00:00:00.000",
            "1954−08−01",
            "1954ー08ー01",
            "昭和29年8月1日",
            "昭和29年08月01日",
            "昭和 29年 8月 1日",
            "昭29.8.1",
            "昭和29.8.1",
            "昭290801",
            "S29.8.1",
            "S29.08.01",
            "S29/8/1",
            "S29-8-1",
            "S29年8月1日",
            "s29.8.1",
            "S290801",
            "s290801",
            "3290801",
            "Ｓ２９．８．１",
            "ｓ２９／０８／０１",
            "３２９０８０１",
            "１９５４－０８－０１",
            "１９５４年８月１日",
            "１９５４／０８／０１　０：００：００",
            "㍼29年8月1日",
            "  S29.8.1\u{3000}",
        ];
        for input in forms {
            assert_eq!(parse(input), ok(1954, 8, 1), "input {input:?}");
        }
    }

    #[test]
    fn gannen_forms_are_year_one() {
        let cases = [
            ("R元.5.1", ok(2019, 5, 1)),
            ("令和元年5月1日", ok(2019, 5, 1)),
            ("令元.5.1", ok(2019, 5, 1)),
            ("R元0501", ok(2019, 5, 1)),
            ("Ｒ元．５．１", ok(2019, 5, 1)),
            ("昭和元年12月25日", ok(1926, 12, 25)),
            ("昭和元年12月31日", ok(1926, 12, 31)),
            ("平成元年1月8日", ok(1989, 1, 8)),
            ("H01.01.08", ok(1989, 1, 8)),
            ("大正元年7月30日", ok(1912, 7, 30)),
            ("明治元年1月25日", ok(1868, 1, 25)),
            ("令和元年4月30日", Err(Impossible)),
            ("平成元年1月7日", Err(Impossible)),
            ("明治元年1月1日", Err(Impossible)),
            ("昭和元年12月24日", Err(Impossible)),
            ("元年5月1日", Err(Unparseable)),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input), want, "input {input:?}");
        }
    }

    /// Each era's first day, the day before it (impossible in that era), its last day,
    /// and the day after it (converted, era_ended).
    #[test]
    fn every_era_boundary() {
        for era in Era::ALL {
            let first = era.first_day();
            let write = |date: NaiveDate| {
                format!(
                    "{}{}年{}月{}日",
                    era.name(),
                    era.year_of(date),
                    date.month(),
                    date.day()
                )
            };
            assert_eq!(
                parse(&write(first)),
                Ok(ParsedDate {
                    date: first,
                    era_ended: false
                })
            );
            let before = first.pred_opt().expect("not MIN");
            assert_eq!(parse(&write(before)), Err(Impossible), "{}", write(before));
            if let Some(last) = era.last_day() {
                assert_eq!(
                    parse(&write(last)),
                    Ok(ParsedDate {
                        date: last,
                        era_ended: false
                    })
                );
                let after = last.succ_opt().expect("not MAX");
                assert_eq!(
                    parse(&write(after)),
                    Ok(ParsedDate {
                        date: after,
                        era_ended: true
                    }),
                    "{}",
                    write(after)
                );
                // The next era starts on this one's last day (明治, 大正) or the day after.
                let next = Era::of(after).map(Era::first_day);
                assert!(
                    next == Some(after) || next == Some(last),
                    "{}",
                    write(after)
                );
            }
        }
    }

    #[test]
    fn era_boundaries_written_with_initials() {
        let cases = [
            ("M45.7.29", ok(1912, 7, 29)),
            // The days of change are written in both eras, and neither is BD008.
            ("M45.7.30", ok(1912, 7, 30)),
            ("明治45年7月30日", ok(1912, 7, 30)),
            ("M45.7.31", ended(1912, 7, 31)),
            ("T1.7.29", Err(Impossible)),
            ("T1.7.30", ok(1912, 7, 30)),
            ("T15.12.24", ok(1926, 12, 24)),
            ("T15.12.25", ok(1926, 12, 25)),
            ("大正15年12月25日", ok(1926, 12, 25)),
            ("T15.12.26", ended(1926, 12, 26)),
            ("S1.12.24", Err(Impossible)),
            ("S1.12.25", ok(1926, 12, 25)),
            ("S64.1.7", ok(1989, 1, 7)),
            ("S64.1.8", ended(1989, 1, 8)),
            ("昭和64年1月8日", ended(1989, 1, 8)),
            ("H1.1.7", Err(Impossible)),
            ("H31.4.30", ok(2019, 4, 30)),
            ("平成31年5月1日", ended(2019, 5, 1)),
            ("平成32年1月1日", ended(2020, 1, 1)),
            ("R1.5.1", ok(2019, 5, 1)),
            ("R99.12.31", ok(2117, 12, 31)),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input), want, "input {input:?}");
        }
    }

    #[test]
    fn impossible_dates_are_never_coerced() {
        let cases = [
            "R5.2.29",
            "2023-02-29",
            "1954-13-01",
            "1954-00-10",
            "1954-08-00",
            "1954-04-31",
            "昭和0年1月1日",
            "S0.1.1",
            "S00.1.1",
            "3000101",
            "0000-01-01",
            "00000101",
            "S29.13.1",
            "H31.2.29",
            "令和元年4月30日",
            "3291301",
        ];
        for input in cases {
            assert_eq!(parse(input), Err(Impossible), "input {input:?}");
        }
        // 29 Feb exists in leap years, in any notation.
        assert_eq!(parse("R6.2.29"), ok(2024, 2, 29));
        assert_eq!(parse("2000-02-29"), ok(2000, 2, 29));
        assert_eq!(parse("1900-02-29"), Err(Impossible));
    }

    #[test]
    fn two_digit_years_without_an_era_are_ambiguous() {
        for input in [
            "29.8.1",
            "29/8/1",
            "29-08-01",
            "290801",
            "29年8月1日",
            "２９．８．１",
            "1.8.1",
        ] {
            assert_eq!(parse(input), Err(Ambiguous), "input {input:?}");
        }
    }

    #[test]
    fn era_code_digits_follow_the_configured_convention() {
        let odd = EraDigits::Odd;
        let one5 = EraDigits::OneToFive;
        let cases = [
            ("5290801", odd, ok(1954, 8, 1)),
            ("3290801", one5, ok(1954, 8, 1)),
            // The same digits mean another era under the other convention.
            ("5010501", one5, ok(2019, 5, 1)),
            ("3290801", odd, ended(1940, 8, 1)), // 大正29年, after 大正 ended
            ("1450729", odd, ok(1912, 7, 29)),
            ("1450729", one5, ok(1912, 7, 29)),
            ("7010108", odd, ok(1989, 1, 8)),
            ("4010108", one5, ok(1989, 1, 8)),
            ("9010501", odd, ok(2019, 5, 1)),
            ("５２９０８０１", odd, ok(1954, 8, 1)),
            // Digits that mean nothing under the convention.
            ("2010730", odd, Err(Unparseable)),
            ("4290801", odd, Err(Unparseable)),
            ("6290801", one5, Err(Unparseable)),
            ("0290801", one5, Err(Unparseable)),
            ("9290801", one5, Err(Unparseable)),
            ("0290801", odd, Err(Unparseable)),
        ];
        for (input, convention, want) in cases {
            assert_eq!(
                parse_date(input, convention),
                want,
                "input {input:?} under {convention:?}"
            );
        }
    }

    #[test]
    fn era_digits_config_values() {
        assert_eq!(EraDigits::from_config("1-5"), Some(EraDigits::OneToFive));
        assert_eq!(EraDigits::from_config("odd"), Some(EraDigits::Odd));
        for bad in ["", "ODD", "1–5", "even", " odd"] {
            assert_eq!(EraDigits::from_config(bad), None, "{bad:?}");
        }
        assert_eq!(EraDigits::default(), EraDigits::OneToFive);
        for convention in [EraDigits::OneToFive, EraDigits::Odd] {
            for era in Era::ALL {
                assert_eq!(convention.era(convention.digit(era)), Some(era));
            }
        }
    }

    #[test]
    fn times_other_than_midnight_are_not_date_cells() {
        for input in [
            "1954/08/01 12:30:00",
            "1954/08/01 0:01",
            "1954/08/01 0:00:01",
            "1954/08/01 :00",
            "1954/08/01 0:0",
            "1954/08/01 0:00:00:00",
            "1954/08/010:00",
            "0:00:00",
        ] {
            assert_eq!(parse(input), Err(Unparseable), "input {input:?}");
        }
    }

    #[test]
    fn garbage_is_unparseable() {
        let huge = "1954-08-01".repeat(1024);
        let cases = [
            "",
            " ",
            "\u{3000}",
            "-",
            "/",
            ".",
            "年月日",
            "😀",
            "1954-08-01😀",
            "S",
            "S29",
            "S29.8",
            "S29.8.1.5",
            "S29.8/1",
            "1954/8-1",
            "1954年8.1",
            "1954-8-1日",
            "S123.1.1",
            "S2908011",
            "1954",
            "195408011",
            "954-08-01",
            "01954-08-01",
            "1954-123-01",
            "1954-08-001",
            "X29.8.1",
            "昭和",
            "令和元",
            "元.5.1",
            "２０２４年１月１日生",
            "N/A",
            "#VALUE!",
            huge.as_str(),
        ];
        for input in cases {
            assert_eq!(parse(input), Err(Unparseable), "input {input:?}");
        }
    }

    #[test]
    fn excel_serials_under_the_1900_system() {
        let cases = [
            (19937.0, Ok(d(1954, 8, 1))),
            (19937.75, Ok(d(1954, 8, 1))),
            (1.0, Ok(d(1900, 1, 1))),
            (59.0, Ok(d(1900, 2, 28))),
            (60.0, Err(Impossible)),
            (60.5, Err(Impossible)),
            (61.0, Ok(d(1900, 3, 1))),
            (2_958_465.0, Ok(d(9999, 12, 31))),
            (2_958_466.0, Err(Impossible)),
            (0.0, Err(Impossible)),
            (0.5, Err(Impossible)),
            (-1.0, Err(Impossible)),
            (f64::NAN, Err(Impossible)),
            (f64::INFINITY, Err(Impossible)),
            (f64::NEG_INFINITY, Err(Impossible)),
            (1e300, Err(Impossible)),
            (45292.0, Ok(d(2024, 1, 1))),
        ];
        for (serial, want) in cases {
            assert_eq!(from_excel_serial(serial, false), want, "serial {serial}");
        }
    }

    #[test]
    fn excel_serials_under_the_1904_system() {
        let cases = [
            (0.0, Ok(d(1904, 1, 1))),
            (18475.0, Ok(d(1954, 8, 1))),
            (19937.0 - 1462.0, Ok(d(1954, 8, 1))),
            (2_957_003.0, Ok(d(9999, 12, 31))),
            (2_957_004.0, Err(Impossible)),
            (-0.5, Err(Impossible)),
            (f64::NAN, Err(Impossible)),
        ];
        for (serial, want) in cases {
            assert_eq!(from_excel_serial(serial, true), want, "serial {serial}");
        }
    }

    #[test]
    fn era_metadata() {
        let names: Vec<&str> = Era::ALL.iter().map(|e| e.name()).collect();
        assert_eq!(names, ["明治", "大正", "昭和", "平成", "令和"]);
        let initials: String = Era::ALL.iter().map(|e| e.initial()).collect();
        assert_eq!(initials, "MTSHR");
        assert_eq!(Era::Reiwa.last_day(), None);
        assert_eq!(Era::of(d(1868, 1, 24)), None);
        assert_eq!(Era::of(d(1954, 8, 1)), Some(Era::Showa));
        assert_eq!(Era::Showa.gregorian_year(29), 1954);
        assert_eq!(Era::Showa.year_of(d(1954, 8, 1)), 29);
    }

    // ---- property tests ----

    /// Full-width variant of an ASCII form (digits, letters, `.`, `/`, `-`, space).
    fn full_width(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                ' ' => '\u{3000}',
                '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .collect()
    }

    /// Every way SPEC §4.1 lets this date be written in `era`.
    fn era_forms(date: NaiveDate, era: Era) -> Vec<String> {
        let y = era.year_of(date);
        let (m, dd) = (date.month(), date.day());
        let i = era.initial();
        let mut forms = vec![
            format!("{}{y}年{m}月{dd}日", era.name()),
            format!("{}{y:02}年{m:02}月{dd:02}日", era.name()),
            format!("{}{y}.{m}.{dd}", era.abbreviation()),
            format!("{i}{y:02}{m:02}{dd:02}"),
            format!("{}{y:02}{m:02}{dd:02}", i.to_ascii_lowercase()),
        ];
        for sep in ['.', '/', '-'] {
            forms.push(format!("{i}{y}{sep}{m}{sep}{dd}"));
            forms.push(format!("{i}{y:02}{sep}{m:02}{sep}{dd:02}"));
            forms.push(format!("{}{y}{sep}{m}{sep}{dd}", i.to_ascii_lowercase()));
        }
        if y == 1 {
            forms.push(format!("{}元年{m}月{dd}日", era.name()));
            forms.push(format!("{i}元.{m}.{dd}"));
        }
        let with_full: Vec<String> = forms.iter().map(|f| full_width(f)).collect();
        forms.extend(with_full);
        forms
    }

    fn era_code_forms(date: NaiveDate, era: Era) -> Vec<(String, EraDigits)> {
        let y = era.year_of(date);
        [EraDigits::OneToFive, EraDigits::Odd]
            .into_iter()
            .flat_map(|conv| {
                let s = format!(
                    "{}{y:02}{:02}{:02}",
                    conv.digit(era),
                    date.month(),
                    date.day()
                );
                [(full_width(&s), conv), (s, conv)]
            })
            .collect()
    }

    fn date_in(lo: NaiveDate, hi: NaiveDate) -> impl Strategy<Value = NaiveDate> {
        let span = (hi - lo).num_days();
        (0..=span).prop_map(move |n| lo + chrono::Duration::days(n))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn every_era_form_parses_back_to_its_date(date in date_in(d(1900, 3, 1), d(2100, 12, 31))) {
            let era = Era::of(date).expect("after 明治 began");
            let want = Ok(ParsedDate { date, era_ended: false });
            for form in era_forms(date, era) {
                prop_assert_eq!(parse(&form), want, "form {}", form);
            }
            for (form, conv) in era_code_forms(date, era) {
                prop_assert_eq!(parse_date(&form, conv), want, "form {} {:?}", form, conv);
            }
        }

        #[test]
        fn a_date_in_the_previous_era_is_converted_and_flagged(date in date_in(d(1912, 7, 30), d(2100, 12, 31))) {
            let era = Era::of(date).expect("after 明治 began");
            let previous = Era::ALL[era as usize - 1];
            prop_assume!(previous.year_of(date) <= 99);
            let want = Ok(ParsedDate { date, era_ended: true });
            for form in era_forms(date, previous) {
                prop_assert_eq!(parse(&form), want, "form {}", form);
            }
        }

        #[test]
        fn every_gregorian_form_parses_back_to_its_date(date in date_in(d(1900, 3, 1), d(2100, 12, 31))) {
            let (y, m, dd) = (date.year(), date.month(), date.day());
            let mut forms = vec![
                format!("{y}-{m:02}-{dd:02}"),
                format!("{y}/{m}/{dd}"),
                format!("{y}/{m:02}/{dd:02}"),
                format!("{y}.{m}.{dd}"),
                format!("{y}{m:02}{dd:02}"),
                format!("{y}年{m}月{dd}日"),
                format!("{y}/{m:02}/{dd:02} 0:00:00"),
                format!("{y}-{m:02}-{dd:02} 00:00:00"),
            ];
            let full: Vec<String> = forms.iter().map(|f| full_width(f)).collect();
            forms.extend(full);
            let want = Ok(ParsedDate { date, era_ended: false });
            for form in forms {
                prop_assert_eq!(parse(&form), want, "form {}", form);
            }
        }

        #[test]
        fn excel_serials_count_days_from_1900_03_01(date in date_in(d(1900, 3, 1), d(9999, 12, 31))) {
            let serial = (date - d(1899, 12, 30)).num_days() as f64;
            prop_assert_eq!(from_excel_serial(serial, false), Ok(date));
            if date >= d(1904, 1, 1) {
                prop_assert_eq!(from_excel_serial(serial - 1462.0, true), Ok(date));
            }
        }

        #[test]
        fn full_width_and_outer_spaces_never_change_the_answer(s in "[0-9SHRTMshrtm元年月日./: -]{0,16}") {
            let want = parse(&s);
            prop_assert_eq!(parse(&full_width(&s)), want, "full width of {:?}", s);
            prop_assert_eq!(parse(&format!(" \u{3000}{s}\t")), want, "padded {:?}", s);
        }

        #[test]
        fn the_answer_depends_only_on_the_normal_form(s in "\\PC{0,40}") {
            // Any text, emoji and all: parsing the NFKC form gives the same answer, so
            // callers may normalize before or not.
            let normal = crate::domain::text::nfkc_trim(&s).into_owned();
            prop_assert_eq!(parse(&s), parse(&normal), "{:?}", s);
        }
    }
}
