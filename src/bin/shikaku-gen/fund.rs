//! The sample fund's companies and the building blocks for its households.

use std::collections::HashSet;

use chrono::{Datelike, Days, NaiveDate};

use crate::model::{Member, MemberType, Rel};
use crate::pools::{self, FEMALE, MALE, SURNAMES};
use crate::rng::Rng;
use crate::text::{date, kanji_number};

pub const INSURER_NO: &str = "06139992";
pub const FUND_NAME: &str = "さくら健康保険組合";

pub struct Company {
    pub code: &'static str,
    pub name: &'static str,
    pub symbol: &'static str,
    /// notice_route = "office"
    pub office_route: bool,
    pub office: Option<(&'static str, &'static str)>,
    pub region: &'static [&'static str],
    pub mtype: MemberType,
}

pub const C01: usize = 0;
pub const C02: usize = 1;
pub const C03: usize = 2;
pub const C04: usize = 3;
pub const C05: usize = 4;
pub const NIN: usize = 5;
pub const TOK: usize = 6;

pub const COMPANIES: [Company; 7] = [
    Company {
        code: "C01",
        name: "さくら商事株式会社",
        symbol: "1001",
        office_route: false,
        office: Some(("1040061", "東京都中央区銀座一丁目8番1号")),
        region: pools::REGION_TOKYO,
        mtype: MemberType::Ippan,
    },
    Company {
        code: "C02",
        name: "さくら物産株式会社",
        symbol: "1002",
        office_route: false,
        office: Some(("1600022", "東京都新宿区新宿三丁目1番1号")),
        region: pools::REGION_WEST_TOKYO,
        mtype: MemberType::Ippan,
    },
    Company {
        code: "C03",
        name: "さくら労働組合",
        symbol: "1003",
        office_route: true,
        office: Some(("1000005", "東京都千代田区丸の内一丁目1番1号")),
        region: pools::REGION_TOKYO,
        mtype: MemberType::Ippan,
    },
    Company {
        code: "C04",
        name: "さくらテクノ株式会社",
        symbol: "1004",
        office_route: true,
        office: Some(("5300001", "大阪府大阪市北区梅田一丁目3番1号")),
        region: pools::REGION_KANSAI,
        mtype: MemberType::Ippan,
    },
    Company {
        code: "C05",
        name: "さくら食品株式会社",
        symbol: "1005",
        office_route: true,
        office: None,
        region: pools::REGION_TOKAI,
        mtype: MemberType::Ippan,
    },
    Company {
        code: "",
        name: "任意継続被保険者",
        symbol: "9001",
        office_route: false,
        office: None,
        region: pools::REGION_NATIONWIDE,
        mtype: MemberType::Ninkei,
    },
    Company {
        code: "",
        name: "特例退職被保険者",
        symbol: "9002",
        office_route: false,
        office: None,
        region: pools::REGION_NATIONWIDE,
        mtype: MemberType::Tokutai,
    },
];

/// 標準報酬月額 grades used for insured persons.
const GRADES: &[u32] = &[
    200_000, 220_000, 240_000, 260_000, 280_000, 300_000, 320_000, 340_000, 360_000, 380_000,
    410_000, 440_000, 470_000, 500_000, 530_000, 560_000, 590_000, 620_000, 650_000,
];

pub fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    }
}

pub fn add_years(d: NaiveDate, years: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year() + years, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(d.year() + years, 3, 1))
        .unwrap_or(d)
}

pub struct Gen {
    pub rng: Rng,
    pub m: Vec<Member>,
    used_numbers: HashSet<String>,
    next_no: [u32; 7],
}

impl Gen {
    pub fn new(seed: u64) -> Self {
        Gen {
            rng: Rng::new(seed),
            m: Vec::new(),
            used_numbers: HashSet::new(),
            next_no: [0; 7],
        }
    }

    /// A fresh valid 12-digit My Number (check digit from the domain module).
    pub fn my_number(&mut self) -> Result<String, String> {
        loop {
            let first = char::from(b'1' + self.rng.below(9) as u8);
            let body = format!("{first}{}", self.rng.digits(10));
            let cd = shikaku::domain::my_number::check_digit(&body)
                .ok_or_else(|| format!("check_digit rejected {} digits", body.len()))?;
            let n = format!("{body}{cd}");
            if self.used_numbers.insert(n.clone()) {
                return Ok(n);
            }
        }
    }

    pub fn random_date(&mut self, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
        let span = (hi - lo).num_days().max(0);
        add_days(lo, self.rng.range(0, span))
    }

    pub fn address(&mut self, code: &str) -> String {
        let Some(p) = pools::postal(code) else {
            return String::new();
        };
        let ban = self.rng.range(1, 30) as u32;
        if p.town.ends_with('町') {
            format!("{}{}{}{}番地", p.pref, p.city, p.town, ban)
        } else {
            let chome = self.rng.range(1, 5) as u32;
            let go = self.rng.range(1, 20) as u32;
            format!(
                "{}{}{}{}丁目{}番{}号",
                p.pref,
                p.city,
                p.town,
                kanji_number(chome),
                ban,
                go
            )
        }
    }

    fn given(&mut self, sex: u8) -> (&'static str, &'static str) {
        if sex == 1 {
            *self.rng.pick(MALE)
        } else {
            *self.rng.pick(FEMALE)
        }
    }

    /// A new insured person (枝番 00) of company `co` with every field filled plausibly.
    pub fn insured(&mut self, co: usize, birth: NaiveDate, sex: u8) -> Result<usize, String> {
        let c = &COMPANIES[co];
        self.next_no[co] += 1;
        let number = self.next_no[co];
        let (sur, surk) = *self.rng.pick(SURNAMES);
        let (g, gk) = self.given(sex);
        let first_year = (birth.year() + 22).max(1985);
        let year = self
            .rng
            .range(first_year as i64, 2023.max(first_year as i64)) as i32;
        let acquired = if self.rng.chance(700) {
            date(year, 4, 1)
        } else {
            date(year, self.rng.range(1, 12) as u32, 1)
        };
        let postal = c.region[self.rng.below(c.region.len() as u64) as usize].to_string();
        let address = self.address(&postal);
        let my_number = Some(self.my_number()?);
        let myna = self.rng.chance(750);
        // 任意継続/特例退職 standard remuneration is capped at the fund's level.
        let grades = if c.mtype.individual() {
            &GRADES[..7]
        } else {
            GRADES
        };
        let remuneration = Some(*self.rng.pick(grades));
        let postal_hyphen = self.rng.chance(700);
        self.m.push(Member {
            symbol: c.symbol.to_string(),
            number,
            branch: 0,
            name: format!("{sur}\u{3000}{g}"),
            kana: format!("{surk}\u{3000}{gk}"),
            birth,
            sex,
            rel: Rel::Honnin,
            mtype: c.mtype,
            company: c.code.to_string(),
            emp_company: c.code.to_string(),
            acquired,
            lost: None,
            remuneration,
            income_exception: Some(false),
            my_number,
            mn_registered: None,
            myna,
            cert: None,
            ratio: None,
            postal,
            postal_hyphen,
            address,
            res_postal: String::new(),
            res_address: String::new(),
            auto: true,
            auto_cert: true,
            in_fund: true,
            in_registry: true,
            registry_myna: None,
            on_list: None,
            in_employer: co <= C04,
            emp_rows: 1,
            left_on: None,
            cert_requested: false,
            ragged: None,
            ov: Vec::new(),
            plants: Vec::new(),
            expect_cert: None,
            expect_return: None,
            note: String::new(),
        });
        Ok(self.m.len() - 1)
    }

    /// A dependent of the insured person `ins`: same surname, address, company, type.
    pub fn dep(
        &mut self,
        ins: usize,
        rel: Rel,
        birth: NaiveDate,
        sex: u8,
    ) -> Result<usize, String> {
        let branch = self
            .m
            .iter()
            .filter(|x| x.household() == self.m[ins].household())
            .count() as u8;
        let (g, gk) = self.given(sex);
        let my_number = Some(self.my_number()?);
        let child_under_15 = birth > date(2011, 11, 1);
        let myna = self.rng.chance(if child_under_15 { 400 } else { 750 });
        let i = &self.m[ins];
        let sur = i.name.split('\u{3000}').next().unwrap_or("").to_string();
        let surk = i.kana.split('\u{3000}').next().unwrap_or("").to_string();
        let acquired = match rel {
            Rel::Haigusha => i.acquired.max(add_years(birth, 22)),
            _ => i.acquired.max(birth),
        };
        let mut d = i.clone();
        d.branch = branch;
        d.name = format!("{sur}\u{3000}{g}");
        d.kana = format!("{surk}\u{3000}{gk}");
        d.birth = birth;
        d.sex = sex;
        d.rel = rel;
        d.acquired = acquired;
        d.remuneration = None;
        d.income_exception = None;
        d.my_number = my_number;
        d.mn_registered = None;
        d.myna = myna;
        d.cert = None;
        d.ratio = None;
        d.auto = true;
        d.auto_cert = true;
        d.on_list = None;
        d.registry_myna = None;
        d.cert_requested = false;
        d.left_on = None;
        d.ragged = None;
        d.emp_rows = 1;
        d.ov = Vec::new();
        d.plants = Vec::new();
        d.expect_cert = None;
        d.expect_return = None;
        d.note = String::new();
        self.m.push(d);
        Ok(self.m.len() - 1)
    }

    pub fn rename(&mut self, i: usize, name: &str, kana: &str) {
        self.m[i].name = name.to_string();
        self.m[i].kana = kana.to_string();
    }

    /// Change the household's surname on every member created so far.
    pub fn surname(&mut self, ins: usize, sur: &str, surk: &str) {
        let hh = self.m[ins].household();
        for x in self.m.iter_mut().filter(|x| x.household() == hh) {
            let g = x.name.split('\u{3000}').nth(1).unwrap_or("").to_string();
            let gk = x.kana.split('\u{3000}').nth(1).unwrap_or("").to_string();
            x.name = format!("{sur}\u{3000}{g}");
            x.kana = format!("{surk}\u{3000}{gk}");
        }
    }

    /// Move the whole household to another postal code (new random street address).
    pub fn relocate(&mut self, ins: usize, code: &str) {
        let address = self.address(code);
        let hh = self.m[ins].household();
        for x in self.m.iter_mut().filter(|x| x.household() == hh) {
            x.postal = code.to_string();
            x.address = address.clone();
        }
    }

    /// A clean household of company `co`: insured, maybe a spouse, maybe children.
    pub fn filler(&mut self, co: usize) -> Result<usize, String> {
        let sex = if self.rng.chance(700) { 1 } else { 2 };
        let birth = self.random_date(date(1963, 1, 1), date(2001, 12, 31));
        let ins = self.insured(co, birth, sex)?;
        let age_2026 = 2026 - birth.year();
        let mut has_spouse = false;
        if age_2026 >= 28 && self.rng.chance(600) {
            let lo = add_years(birth, -5).max(date(1960, 1, 1));
            let hi = add_years(birth, 5).min(date(2000, 12, 31));
            let sb = self.random_date(lo, hi);
            self.dep(ins, Rel::Haigusha, sb, 3 - sex)?;
            has_spouse = true;
        }
        let kids = if has_spouse {
            self.rng.range(0, 3)
        } else if self.rng.chance(150) {
            1
        } else {
            0
        };
        let lo = add_years(birth, 24).max(date(2002, 4, 2));
        let hi = add_years(birth, 45).min(date(2026, 9, 30));
        if lo < hi {
            for _ in 0..kids {
                let kb = self.random_date(lo, hi);
                let ks = if self.rng.chance(500) { 1 } else { 2 };
                self.dep(ins, Rel::Ko, kb, ks)?;
            }
        }
        Ok(ins)
    }

    /// Fill what `auto` members left open: My Number registration date (always on or before
    /// 2024-08-20 for anyone who was a member by then, so the 2024 notice prints last 4) and,
    /// for members not registered for マイナ保険証, a certificate valid well past the renewal window.
    pub fn finish(&mut self) {
        for k in 0..self.m.len() {
            if !self.m[k].auto {
                continue;
            }
            // auto_cert only matters for auto members; explicit members set cert themselves.
            let acquired = self.m[k].acquired;
            if self.m[k].my_number.is_some() && self.m[k].mn_registered.is_none() {
                let lo = add_days(acquired.max(date(2016, 1, 4)), 3);
                let hi = if acquired <= date(2024, 8, 10) {
                    date(2024, 8, 20)
                } else {
                    add_days(acquired, 25)
                };
                let d = if lo >= hi {
                    lo
                } else {
                    self.random_date(lo, hi)
                };
                self.m[k].mn_registered = Some(d);
            }
            if !self.m[k].myna && self.m[k].cert.is_none() && self.m[k].auto_cert {
                let d = self.random_date(date(2027, 1, 15), date(2030, 12, 31));
                self.m[k].cert = Some(d);
            }
        }
    }
}
