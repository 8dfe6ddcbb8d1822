//! The benchmark fund's members, as a stream: [`Members`] yields them one at a time from a
//! fixed-seed PRNG, so every writer walks its own copy of the stream and nothing holds the
//! fund in memory (10M members are as cheap to write as 100k, per member).
//!
//! The shape is the performance issue's reference fund: every member is employed, companies
//! of 10,000 members (at most 100 companies), one employer row per member, and no finding at
//! all on the as-of date (2026-11-01) — every active member has a registered My Number or a
//! valid certificate, nobody is on or past their 75th birthday, the list names only active
//! members. `sprinkle` adds back a light sprinkle of problems (bad check digits, impossible
//! and ambiguous dates, numeric postal codes in workbooks, near-expiry and returned
//! certificates, a foreign 保険者番号 on the list), for comparing how two readers report them.

use chrono::{Datelike, Days, NaiveDate};

use crate::pools::{FEMALE, MALE, POSTAL, SURNAMES};
use crate::rng::Rng;
use crate::text::{
    date, era_compact, era_digits, era_kanji, era_short, era_short0, fullwidth, iso, slash, ymd8,
};

/// Members per company (and so rows per employer file), until there are 100 companies.
const MEMBERS_PER_COMPANY: usize = 10_000;
const MAX_COMPANIES: usize = 100;

/// The as-of date every benchmark runs on.
pub fn as_of() -> NaiveDate {
    date(2026, 11, 1)
}

/// What the stream holds.
#[derive(Clone, Copy)]
pub struct Shape {
    pub members: usize,
    pub seed: u64,
    /// Members on the national list, per mille (of all; only active members are listed).
    pub list_per_mille: u64,
    pub sprinkle: bool,
}

impl Shape {
    pub fn companies(&self) -> usize {
        self.members
            .div_ceil(MEMBERS_PER_COMPANY)
            .clamp(1, MAX_COMPANIES)
    }

    /// Members of company `c` (1-based): an even split, the last company takes the rest.
    pub fn company_size(&self, c: u16) -> usize {
        let n = self.companies();
        let even = self.members / n;
        if c as usize == n {
            self.members - even * (n - 1)
        } else {
            even
        }
    }
}

/// One member, compact; text is made when a file is written.
pub struct Bm {
    /// Row number in fund.csv (0-based, data rows only).
    pub k: u64,
    pub company: u16,
    pub number: u32,
    pub branch: u8,
    pub sur: u16,
    pub given: u16,
    pub sex: u8,
    /// 0 本人, 1 配偶者, 2 子.
    pub rel: u8,
    pub birth: NaiveDate,
    pub acquired: NaiveDate,
    pub lost: Option<NaiveDate>,
    pub remuneration: u32,
    pub income_exception: bool,
    /// The first 11 digits; the check digit is computed when written.
    pub my_number: Option<u64>,
    pub bad_check_digit: bool,
    pub registered: NaiveDate,
    pub myna: bool,
    pub cert: Option<NaiveDate>,
    pub ratio: u8,
    pub postal: u16,
    pub chome: u8,
    pub ban: u8,
    /// Per-row variation of written forms.
    pub style: u8,
    pub listed: bool,
    /// Sprinkle only: this insured row's workbook 郵便番号 is a number (IN004).
    pub numeric_postal: bool,
}

pub const RELATIONSHIPS: [&str; 3] = ["本人", "配偶者", "子"];

impl Bm {
    pub fn symbol(&self) -> u32 {
        1000 + self.company as u32
    }

    pub fn company_code(&self) -> String {
        format!("C{:03}", self.company)
    }

    pub fn relationship(&self) -> &'static str {
        RELATIONSHIPS[self.rel as usize]
    }

    pub fn sex_code(&self) -> &'static str {
        if self.sex == 1 { "1" } else { "2" }
    }

    pub fn names(&self) -> ((&'static str, &'static str), (&'static str, &'static str)) {
        let sur = SURNAMES[self.sur as usize % SURNAMES.len()];
        let pool = if self.sex == 1 { MALE } else { FEMALE };
        (sur, pool[self.given as usize % pool.len()])
    }

    /// 氏名 and 氏名カナ, a full-width space between family and given name.
    pub fn name(&self) -> (String, String) {
        let ((s, sk), (g, gk)) = self.names();
        (format!("{s}\u{3000}{g}"), format!("{sk}\u{3000}{gk}"))
    }

    pub fn my_number_text(&self) -> String {
        self.my_number_with(self.bad_check_digit)
    }

    pub fn my_number_with(&self, bad_check_digit: bool) -> String {
        match self.my_number {
            None => String::new(),
            Some(n) => {
                let body = format!("{n:011}");
                let cd = shikaku::domain::my_number::check_digit(&body).unwrap_or(0);
                let cd = if bad_check_digit { (cd + 1) % 10 } else { cd };
                format!("{body}{cd}")
            }
        }
    }

    pub fn postal_code(&self) -> &'static str {
        POSTAL[self.postal as usize % POSTAL.len()].code
    }

    pub fn address(&self) -> String {
        let p = POSTAL[self.postal as usize % POSTAL.len()];
        if p.town.ends_with('町') {
            format!("{}{}{}{}番地", p.pref, p.city, p.town, self.ban)
        } else {
            format!(
                "{}{}{}{}丁目{}番{}号",
                p.pref,
                p.city,
                p.town,
                crate::text::kanji_number(self.chome as u32),
                self.ban,
                self.chome as u32 + 3
            )
        }
    }

    /// 退職日: the day before the loss of membership.
    pub fn left_on(&self) -> Option<NaiveDate> {
        self.lost.map(|l| add_days(l, -1))
    }
}

pub fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
    .unwrap_or(d)
}

fn rand_date(rng: &mut Rng, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
    add_days(lo, rng.range(0, (hi - lo).num_days().max(0)))
}

/// A hash of the row number in 0..1000: which rows get something is then the same whatever
/// else the generator draws.
pub fn row_hash(k: u64, salt: u64) -> u64 {
    Rng::new(k ^ salt).next_u64()
}

/// A date as this row writes it in fund.csv: mostly ISO, some era forms and slashes, a few
/// full-width. With the sprinkle, a very few are impossible or ambiguous (BD002/BD001).
pub fn date_text(d: NaiveDate, style: u8, salt: u64, sprinkle: bool) -> String {
    if sprinkle && salt % 5000 == 17 {
        return "R1.4.30".to_string();
    }
    if sprinkle && salt % 5000 == 4242 {
        return format!("{}.{}.{}", d.year() % 100, d.month(), d.day());
    }
    match style % 20 {
        0..=11 => iso(d),
        12 => slash(d),
        13 => era_kanji(d),
        14 => era_short(d),
        15 => era_digits(d),
        16 => ymd8(d),
        17 => era_compact(d),
        18 => fullwidth(&iso(d)),
        _ => era_short0(d),
    }
}

/// The stream of members, company by company, household by household.
pub struct Members {
    shape: Shape,
    rng: Rng,
    company: u16,
    in_company: usize,
    number: u32,
    next_k: u64,
    household: Vec<Bm>,
}

impl Members {
    pub fn new(shape: Shape) -> Self {
        Members {
            shape,
            rng: Rng::new(shape.seed),
            company: 1,
            in_company: 0,
            number: 0,
            next_k: 0,
            household: Vec::new(),
        }
    }
}

impl Iterator for Members {
    type Item = Bm;

    fn next(&mut self) -> Option<Bm> {
        loop {
            if let Some(m) = self.household.pop() {
                return Some(m);
            }
            if self.company as usize > self.shape.companies() {
                return None;
            }
            let room = self.shape.company_size(self.company) - self.in_company;
            if room == 0 {
                self.company += 1;
                self.in_company = 0;
                self.number = 0;
                continue;
            }
            self.number += 1;
            let mut h = household(&mut self.rng, &self.shape, self.company, self.number);
            h.truncate(room);
            self.in_company += h.len();
            for m in &mut h {
                m.k = self.next_k;
                self.next_k += 1;
                finish(m, &self.shape);
            }
            // Popped from the back: reversed, the insured person comes out first.
            h.reverse();
            self.household = h;
        }
    }
}

/// The row-number-dependent parts: the list and the sprinkled problems.
fn finish(m: &mut Bm, shape: &Shape) {
    let h = row_hash(m.k, 0x0115_7ED0);
    m.listed = h % 1000 < shape.list_per_mille && (shape.sprinkle || m.lost.is_none());
    // Listed, unregistered and active: no certificate, so the list gives one (職権).
    if m.listed && !m.myna && m.lost.is_none() {
        m.cert = None;
    }
    if shape.sprinkle {
        m.bad_check_digit = (h >> 20).is_multiple_of(1000);
        if (h >> 30).is_multiple_of(50) {
            m.my_number = None;
        }
        m.numeric_postal = m.rel == 0 && m.style % 100 == 5;
    }
}

/// Born 1952 or later: nobody reaches 75 (born on or before 1951-11-01) by the as-of date.
fn oldest() -> NaiveDate {
    date(1952, 1, 1)
}

/// 高齢受給者 on the as-of date (SPEC §4.3).
fn elderly(birth: NaiveDate) -> bool {
    birth <= date(1956, 11, 1)
}

/// What a household's members share, drawn for its insured person.
struct Household {
    company: u16,
    number: u32,
    birth: NaiveDate,
    acquired: NaiveDate,
    remuneration: u32,
    income_exception: bool,
    postal: u16,
    chome: u8,
    ban: u8,
    lost: Option<NaiveDate>,
    sur: u16,
    sex: u8,
}

impl Household {
    fn draw(rng: &mut Rng, company: u16, number: u32) -> (Self, u8) {
        let birth = rand_date(rng, oldest(), date(2004, 3, 31));
        let acquired = rand_date(
            rng,
            date(birth.year() + 22, 4, 1).min(date(2026, 10, 1)),
            date(2026, 10, 1),
        );
        let remuneration = [
            200_000u32, 240_000, 280_000, 320_000, 380_000, 440_000, 500_000, 620_000,
        ][rng.below(8) as usize];
        let postal = rng.below(POSTAL.len() as u64) as u16;
        let (chome, ban) = (rng.range(1, 5) as u8, rng.range(1, 30) as u8);
        let lost = rng
            .chance(30)
            .then(|| rand_date(rng, date(2025, 1, 1), date(2026, 10, 31)));
        let sur = rng.below(SURNAMES.len() as u64) as u16;
        let deps = if rng.chance(450) {
            rng.range(1, 3) as u8
        } else {
            0
        };
        let sex = if rng.chance(650) { 1 } else { 2 };
        let income_exception = rng.chance(10);
        let h = Household {
            company,
            number,
            birth,
            acquired,
            remuneration,
            income_exception,
            postal,
            chome,
            ban,
            lost,
            sur,
            sex,
        };
        (h, deps)
    }

    /// SPEC §4.3: 3割 when the insured is 高齢受給者, earns 280,000 or more, no exception.
    fn high_ratio(&self) -> bool {
        elderly(self.birth) && self.remuneration >= 280_000 && !self.income_exception
    }

    /// The member with 枝番 `branch`: 0 the insured person, 1 the spouse, 2.. children.
    fn member(&self, rng: &mut Rng, shape: &Shape, branch: u8) -> Bm {
        let d = as_of();
        let (rel, sex, birth) = match branch {
            0 => (0u8, self.sex, self.birth),
            1 => {
                let lo = add_days(self.birth, -1500).max(oldest());
                (
                    1,
                    3 - self.sex,
                    rand_date(rng, lo, add_days(self.birth, 1500)),
                )
            }
            _ => {
                let lo = add_days(self.birth, 9000).min(date(2026, 6, 1));
                (
                    2,
                    rng.range(1, 2) as u8,
                    rand_date(rng, lo, date(2026, 6, 1)),
                )
            }
        };
        let acquired = self.acquired.max(birth);
        let myna = rng.chance(700);
        let near_expiry = rng.chance(50);
        let cert = if myna || (self.lost.is_some() && !shape.sprinkle) {
            None
        } else if near_expiry && shape.sprinkle {
            Some(rand_date(rng, d, add_days(d, 60)))
        } else {
            Some(rand_date(rng, date(2027, 1, 1), date(2030, 12, 31)))
        };
        let ratio = match (elderly(birth), self.high_ratio()) {
            (false, _) => 0,
            (true, true) => 3,
            (true, false) => 2,
        };
        let registered_from = acquired.max(date(2016, 1, 4));
        let insured = branch == 0;
        Bm {
            k: 0,
            company: self.company,
            number: self.number,
            branch,
            sur: self.sur,
            given: rng.below(64) as u16,
            sex,
            rel,
            birth,
            acquired,
            lost: self.lost,
            remuneration: if insured { self.remuneration } else { 0 },
            income_exception: insured && self.income_exception,
            my_number: Some(my_number_body(self.company, self.number, branch)),
            bad_check_digit: false,
            registered: rand_date(rng, registered_from, add_days(registered_from, 400).min(d)),
            myna,
            cert,
            ratio,
            postal: self.postal,
            chome: self.chome,
            ban: self.ban,
            style: rng.below(256) as u8,
            listed: false,
            numeric_postal: false,
        }
    }
}

/// One household: the insured person, then 0-2 dependents.
fn household(rng: &mut Rng, shape: &Shape, company: u16, number: u32) -> Vec<Bm> {
    let (h, deps) = Household::draw(rng, company, number);
    (0..=deps)
        .map(|branch| h.member(rng, shape, branch))
        .collect()
}

/// The first 11 digits of a member's My Number: distinct for every member (a bijection of the
/// key onto 0..10^11), so MN006 never fires however many members there are.
fn my_number_body(company: u16, number: u32, branch: u8) -> u64 {
    const SPACE: u128 = 100_000_000_000;
    let key = (company as u128 * 10_000_000 + number as u128) * 10 + branch as u128;
    // 7,919,000,003 is coprime with 10^11, so multiplying by it permutes 0..10^11.
    ((key % SPACE * 7_919_000_003 + 12_345_678_901) % SPACE) as u64
}
