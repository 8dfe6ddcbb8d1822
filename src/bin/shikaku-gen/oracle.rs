//! An independent, deliberately simple reading of SPEC §4 used for two things: to check that
//! the planted findings are exactly the ones the data produces for the rules it can model
//! (so clean members are really clean), and to derive the intended lists for the README.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};

use crate::fund::{COMPANIES, add_days};
use crate::model::{Cell, Ctx, Field, Member, MemberType, Rel, Src};
use crate::pools;
use crate::text::date;

pub fn as_of() -> NaiveDate {
    date(2026, 11, 1)
}
pub fn base_general() -> NaiveDate {
    date(2024, 8, 31)
}
pub fn base_individual() -> NaiveDate {
    date(2024, 9, 14)
}
pub const WINDOW_DAYS: i64 = 60;

/// SPEC §4.4's check digit of a My Number's first 11 digits, written out here: with P(n) the
/// nth digit from the right and Q(n) = n+1 for n ≤ 6, n−5 for n ≥ 7, r = Σ P(n)·Q(n) mod 11;
/// the check digit is 0 when r ≤ 1, else 11 − r.
fn my_number_check_digit(first11: &str) -> Option<u8> {
    let digits: Vec<u32> = first11
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if digits.len() != 11 {
        return None;
    }
    let r: u32 = (1..=11u32)
        .map(|n| digits[11 - n as usize] * if n <= 6 { n + 1 } else { n - 5 })
        .sum::<u32>()
        % 11;
    Some(if r <= 1 { 0 } else { (11 - r) as u8 })
}

/// The `n`th birthday; someone born on 29 February has it on 1 March in a common year.
fn birthday(birth: NaiveDate, n: i32) -> NaiveDate {
    let year = birth.year() + n;
    NaiveDate::from_ymd_opt(year, birth.month(), birth.day()).unwrap_or_else(|| date(year, 3, 1))
}

/// 高齢受給者 on `d`, written out here rather than taken from the crate (a bug there must not
/// pass on both sides): from the 1st of the month after the 70th birthday month (the month
/// itself for a birthday on the 1st) until the day before the 75th birthday.
pub fn elderly(birth: NaiveDate, d: NaiveDate) -> bool {
    let b70 = birthday(birth, 70);
    let from = if b70.day() == 1 {
        b70
    } else if b70.month() == 12 {
        date(b70.year() + 1, 1, 1)
    } else {
        date(b70.year(), b70.month() + 1, 1)
    };
    from <= d && d < birthday(birth, 75)
}

/// A member on `d` by the recorded dates.
pub fn active(m: &Member, d: NaiveDate) -> bool {
    m.acquired <= d && m.lost.is_none_or(|l| l > d)
}

/// On or past the 75th birthday on `d`: membership has ended (SPEC §4.3).
pub fn past_75(birth: Option<NaiveDate>, d: NaiveDate) -> bool {
    birth.is_some_and(|b| d >= birthday(b, 75))
}

/// The fund's cell of `field` could not be read (a planted reading problem on it).
pub fn fund_unreadable(m: &Member, field: Field) -> bool {
    m.plants.iter().any(|p| {
        p.src == Src::Fund
            && p.field == Some(field)
            && ["IN001", "IN005", "IN009", "BD001", "BD002"]
                .iter()
                .any(|c| p.codes.contains(c))
    })
}

/// The birth date the fund's row gives (None when the written form is unreadable).
pub fn fund_birth(m: &Member) -> Option<NaiveDate> {
    let unreadable = m.plants.iter().any(|p| {
        p.src == Src::Fund
            && p.field == Some(Field::BirthDate)
            && (p.codes.contains("BD001") || p.codes.contains("BD002"))
    });
    if unreadable {
        return None;
    }
    if let Some(Cell::Text(s)) = m.override_of(Src::Fund, Field::BirthDate)
        && let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d")
    {
        return Some(d);
    }
    Some(m.birth)
}

pub fn base_date(m: &Member) -> NaiveDate {
    if m.mtype.individual() {
        base_individual()
    } else {
        base_general()
    }
}

pub struct World<'a> {
    pub m: &'a [Member],
}

impl<'a> World<'a> {
    pub fn insured(&self, m: &Member) -> Option<&'a Member> {
        self.m
            .iter()
            .find(|x| x.in_fund && x.household() == m.household() && x.rel == Rel::Honnin)
    }

    /// A member on `d` for decisions: by the dates, and neither they nor (for a dependent)
    /// the insured person on or past the 75th birthday (SPEC §4.0).
    pub fn member(&self, m: &Member, d: NaiveDate) -> bool {
        let insured_past =
            m.rel != Rel::Honnin && self.insured(m).is_some_and(|i| past_75(fund_birth(i), d));
        active(m, d) && !past_75(fund_birth(m), d) && !insured_past
    }

    pub fn expected_ratio(&self, m: &Member, d: NaiveDate) -> Option<u8> {
        let b = fund_birth(m)?;
        if !elderly(b, d) {
            return None;
        }
        let ins = self.insured(m)?;
        let ins_elderly = fund_birth(ins).is_some_and(|b| elderly(b, d));
        let high =
            ins.remuneration.is_some_and(|r| r >= 280_000) && ins.income_exception != Some(true);
        Some(if ins_elderly && high { 3 } else { 2 })
    }

    /// Codes of the member-level rules the oracle models, on date `d`. With `gated`, rules
    /// about members apply only to members active on `d` (this generator's reading of SPEC).
    pub fn codes(&self, m: &Member, d: NaiveDate, gated: bool) -> BTreeSet<&'static str> {
        let mut out = BTreeSet::new();
        if !m.in_fund {
            return out;
        }
        let act = active(m, d);
        let member_rules = act || !gated;
        if member_rules && let Some(b) = fund_birth(m) {
            let exp = self.expected_ratio(m, d);
            let ins = self.insured(m);
            let skip_sr001 = m.rel == Rel::Honnin && m.remuneration.is_none()
                || m.rel != Rel::Honnin
                    && ins.is_none_or(|i| !active(i, d) || fund_birth(i).is_none());
            match (elderly(b, d), m.ratio, exp) {
                (true, None, _) => {
                    out.insert("SR002");
                }
                (true, Some(r), Some(e)) if r != e && !skip_sr001 => {
                    out.insert("SR001");
                }
                (false, Some(_), _) => {
                    out.insert("SR003");
                }
                _ => {}
            }
            let insured_past =
                m.rel != Rel::Honnin && self.insured(m).is_some_and(|i| past_75(fund_birth(i), d));
            if act && (past_75(Some(b), d) || insured_past) {
                out.insert("BD006");
            }
        }
        if act && (m.my_number.is_none() || m.mn_registered.is_none_or(|r| r > d)) {
            out.insert("MN005");
        }
        if let Some(n) = &m.my_number
            && n.len() == 12
            && my_number_check_digit(&n[..11]).map(|c| char::from(b'0' + c)) != n.chars().last()
        {
            out.insert("MN003");
        }
        if self.ad004(&m.postal, &m.address) || self.ad004(&m.res_postal, &m.res_address) {
            out.insert("AD004");
        }
        if matches!(m.rel, Rel::Ko)
            && let (Some(ins), Some(b)) = (self.insured(m), fund_birth(m))
            && fund_birth(ins).is_some_and(|ib| b < ib)
        {
            out.insert("BD007");
        }
        out
    }

    fn ad004(&self, postal: &str, address: &str) -> bool {
        if postal.is_empty() || address.is_empty() {
            return false;
        }
        match pools::postal(postal) {
            None => true,
            Some(p) => !address.starts_with(&format!("{}{}", p.pref, p.city)),
        }
    }

    pub fn registered(&self, m: &Member) -> bool {
        if m.in_registry && m.ragged != Some(Src::Registry) {
            m.registry_myna.unwrap_or(m.myna)
        } else {
            m.myna
        }
    }

    fn requested(&self, m: &Member) -> bool {
        let rejected = m.emp_rows > 1
            || m.plants
                .iter()
                .any(|p| p.src == Src::Emp && p.codes.contains("ID001"));
        m.cert_requested && m.in_employer && !rejected
    }

    /// reconcile at D: (certificate reason, return reason, CE codes) for a fund member.
    pub fn decide(
        &self,
        m: &Member,
    ) -> (
        Option<&'static str>,
        Option<&'static str>,
        BTreeSet<&'static str>,
    ) {
        let d = as_of();
        let mut ce = BTreeSet::new();
        let act = self.member(m, d);
        let reg = self.registered(m);
        let registry_decides = m.in_registry && m.ragged != Some(Src::Registry);
        if act && fund_unreadable(m, Field::MynaRegistered) && !registry_decides {
            // Registration unknown: nothing is decided (SPEC §4.0).
            return (None, None, ce);
        }
        let valid = m.cert.is_some_and(|c| c >= d);
        let mut cert = None;
        let mut ret = None;
        if act && !reg {
            let in_window = m
                .cert
                .is_some_and(|c| c >= d && c <= add_days(d, WINDOW_DAYS));
            if m.on_list.is_some() && !valid {
                cert = Some("職権");
            } else if self.requested(m) && !valid {
                cert = Some("申請");
            } else if in_window {
                cert = Some("更新");
                ce.insert("CE005");
            } else if !valid {
                ce.insert("CE006");
            }
        }
        if valid && !act {
            ret = Some("資格喪失");
            ce.insert("CE004");
        } else if valid && reg {
            ret = Some("マイナ保険証登録");
            ce.insert("CE003");
        }
        if m.on_list.is_some() && !act && m.cert.is_none_or(|c| c <= add_days(d, WINDOW_DAYS)) {
            ce.insert("CE002");
        }
        let home = self.insured(m).unwrap_or(m);
        if cert.is_some()
            && home.mtype.individual()
            && fund_unreadable(home, Field::ResidenceAddress)
        {
            // Where the household lives cannot be read: withheld, nothing goes to 住所.
            if cert == Some("更新") {
                ce.remove("CE005");
            }
            cert = None;
        }
        (cert, ret, ce)
    }

    /// 自宅 destination of a household: (postal, address).
    pub fn home_destination(&self, m: &Member) -> (String, String) {
        let ins = self.insured(m).unwrap_or(m);
        if ins.mtype.individual() && !ins.res_address.is_empty() {
            (ins.res_postal.clone(), ins.res_address.clone())
        } else {
            (ins.postal.clone(), ins.address.clone())
        }
    }
}

pub fn planted_codes(
    m: &Member,
    ctx: Ctx,
    only: &BTreeSet<&'static str>,
) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    for p in &m.plants {
        if p.ctx.contains(&ctx) && (p.src == Src::Fund || ctx == Ctx::Reconcile) {
            for c in p.codes.split(',') {
                let c = c.trim();
                if let Some(k) = only.iter().find(|k| **k == c) {
                    out.insert(*k);
                }
            }
        }
    }
    out
}

/// Every difference between planted and derived codes, and members whose findings depend
/// on whether member rules are gated on being active.
pub fn self_check(members: &[Member]) -> (Vec<String>, Vec<String>) {
    let w = World { m: members };
    let modeled: BTreeSet<&'static str> = [
        "SR001", "SR002", "SR003", "BD006", "MN005", "MN003", "AD004", "BD007",
    ]
    .into_iter()
    .collect();
    let ce: BTreeSet<&'static str> = ["CE002", "CE003", "CE004", "CE005", "CE006"]
        .into_iter()
        .collect();
    let mut errors = Vec::new();
    let mut gating = Vec::new();
    for m in members.iter().filter(|m| m.in_fund) {
        for (ctx, d) in [(Ctx::Check, as_of()), (Ctx::Mailing, base_date(m))] {
            let got = w.codes(m, d, true);
            let ungated = w.codes(m, d, false);
            let want = planted_codes(m, ctx, &modeled);
            if got != want {
                errors.push(format!(
                    "{} at {}: planted {:?}, derived {:?}",
                    m.key(),
                    d,
                    want,
                    got
                ));
            }
            if got != ungated {
                gating.push(format!(
                    "{} at {d}: {:?} if member rules also apply to members not active on D (inactive here)",
                    m.key(),
                    ungated.difference(&got).collect::<Vec<_>>()
                ));
            }
        }
        let (cert, ret, codes) = w.decide(m);
        if cert != m.expect_cert {
            errors.push(format!(
                "{}: certificate intended {:?}, derived {:?}",
                m.key(),
                m.expect_cert,
                cert
            ));
        }
        if ret != m.expect_return {
            errors.push(format!(
                "{}: return intended {:?}, derived {:?}",
                m.key(),
                m.expect_return,
                ret
            ));
        }
        let want = planted_codes(m, Ctx::Reconcile, &ce);
        if codes != want {
            errors.push(format!(
                "{}: CE planted {:?}, derived {:?}",
                m.key(),
                want,
                codes
            ));
        }
    }
    (errors, gating)
}

pub struct Letter {
    pub member: usize,
    pub last4: Option<String>,
    pub ratio: Option<u8>,
}

pub struct Envelope {
    pub insured: usize,
    pub route: &'static str,
    pub company: String,
    pub postal: String,
    pub address: String,
    pub tokutei: bool,
    pub base: NaiveDate,
    pub letters: Vec<Letter>,
    pub blocked_letters: Vec<(usize, String)>,
}

pub struct Mailing {
    pub envelopes: Vec<Envelope>,
    /// (insured member, codes, base date, letters held back)
    pub blocked_households: Vec<(usize, String, NaiveDate, usize)>,
}

fn fund_codes_at_mailing(m: &Member) -> Vec<&'static str> {
    m.plants
        .iter()
        .filter(|p| p.src == Src::Fund && p.ctx.contains(&Ctx::Mailing))
        .flat_map(|p| p.codes.split(',').map(str::trim))
        .collect()
}

/// `mailing --document notice` with the configured base dates.
pub fn notice(members: &[Member]) -> Mailing {
    let w = World { m: members };
    let mut envelopes = Vec::new();
    let mut blocked_households = Vec::new();
    let mut households: BTreeMap<(String, u32), Vec<usize>> = BTreeMap::new();
    for (i, m) in members.iter().enumerate().filter(|(_, m)| m.in_fund) {
        households.entry(m.household()).or_default().push(i);
    }
    for (_, mut idx) in households {
        idx.sort_by_key(|&i| members[i].branch);
        let Some(ins) = idx.iter().copied().find(|&i| members[i].rel == Rel::Honnin) else {
            continue;
        };
        let im = &members[ins];
        let d = base_date(im);
        let live: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| w.member(&members[i], d))
            .collect();
        if live.is_empty() {
            continue;
        }
        let company = COMPANIES
            .iter()
            .find(|c| !c.code.is_empty() && c.code == im.company);
        let mut block: Vec<&str> = fund_codes_at_mailing(im)
            .into_iter()
            .filter(|c| ["AD001", "AD002", "AD003", "AD005", "AD007"].contains(c))
            .collect();
        if im.mtype.individual() && fund_unreadable(im, Field::ResidenceAddress) {
            block.push("IN001");
        }
        let office_route = im.mtype == MemberType::Ippan && company.is_some_and(|c| c.office_route);
        if office_route && company.is_some_and(|c| c.office.is_none()) {
            block.push("AD005");
        }
        if !block.is_empty() {
            blocked_households.push((ins, block.join(", "), d, live.len()));
            continue;
        }
        let (route, postal, address) = if office_route {
            let (p, a) = company.and_then(|c| c.office).unwrap_or(("", ""));
            ("事業所", p.to_string(), a.to_string())
        } else {
            let (p, a) = w.home_destination(im);
            ("自宅", p, a)
        };
        let mut letters = Vec::new();
        let mut blocked_letters = Vec::new();
        for &i in &live {
            let m = &members[i];
            let own: Vec<&str> = fund_codes_at_mailing(m)
                .into_iter()
                .filter(|c| {
                    [
                        "SR001", "SR002", "MN003", "MN004", "BD001", "BD002", "BD006",
                    ]
                    .contains(c)
                })
                .collect();
            if !own.is_empty() {
                blocked_letters.push((i, own.join(", ")));
                continue;
            }
            let last4 = match (&m.my_number, m.mn_registered) {
                (Some(_), Some(r)) if r <= d => m.last4().map(str::to_string),
                _ => None,
            };
            let ratio = if fund_birth(m).is_some_and(|b| elderly(b, d)) {
                m.ratio
            } else {
                None
            };
            letters.push(Letter {
                member: i,
                last4,
                ratio,
            });
        }
        if letters.is_empty() {
            // No letter left: the household gets no envelope (and, here, no 封筒番号).
            let why: Vec<String> = blocked_letters
                .iter()
                .map(|(i, c)| format!("{} {c}", members[*i].key()))
                .collect();
            blocked_households.push((
                ins,
                format!("every letter blocked ({})", why.join("; ")),
                d,
                live.len(),
            ));
            continue;
        }
        let tokutei = route == "自宅" && letters.iter().any(|l| l.last4.is_some());
        envelopes.push(Envelope {
            insured: ins,
            route,
            company: im.company.clone(),
            postal,
            address,
            tokutei,
            base: d,
            letters,
            blocked_letters,
        });
    }
    envelopes.sort_by(|a, b| {
        let key = |e: &Envelope| {
            let digits: String = e.postal.chars().filter(char::is_ascii_digit).collect();
            (
                e.route != "自宅",
                e.company.clone(),
                digits,
                members[e.insured].symbol.clone(),
                members[e.insured].number,
            )
        };
        key(a).cmp(&key(b))
    });
    Mailing {
        envelopes,
        blocked_households,
    }
}
