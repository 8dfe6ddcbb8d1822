//! Scaled benchmark data: `bench --members N` and `dates --count N`. Simple and fast: plausible
//! values with a light sprinkle of problems (0.1% bad check digits, a few bad dates) so that
//! `check` has findings to render. Not curated: no README, no planted-problem table.
//!
//! `--problem-rate R` plants one more problem in a fraction R of the fund's rows, for the
//! benchmark of rendering many findings. Which rows get one is a hash of the row number, not a
//! draw from the generator's stream, so the members are the same at every rate: only the
//! planted cells differ.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Format as XFormat, Workbook};

use crate::fund::add_days;
use crate::pools::{FEMALE, MALE, POSTAL, SURNAMES};
use crate::rng::Rng;
use crate::text::{
    date, era_compact, era_digits, era_kanji, era_short, era_short0, fullwidth, halfwidth_kana,
    iso, nen, slash, ymd8,
};
use crate::write::excel_date;

const ROWS_PER_WORKBOOK: usize = 10_000;

/// What `bench` writes.
pub struct Options {
    pub members: usize,
    pub csv_only: bool,
    /// Only fund.csv (the rendering benchmark needs no other source).
    pub fund_only: bool,
    /// Fraction of fund rows (0..=1) given one planted problem.
    pub problem_rate: f64,
    pub seed: u64,
}

/// The problem planted in fund row `k`, if any: one finding each.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plant {
    /// MN003: a 12-digit My Number with a wrong check digit (rows without one get BD002).
    CheckDigit,
    /// BD002: 生年月日 on the 30th of February.
    ImpossibleBirth,
    /// AD003: a 郵便番号 with eight digits.
    Postal,
    /// IN009: 性別 that is neither 1 nor 2.
    Sex,
}

fn plant(k: usize, per_million: u64) -> Option<Plant> {
    if per_million == 0 {
        return None;
    }
    let h = Rng::new(k as u64 ^ 0x5EED_B1A5).next_u64();
    if h % 1_000_000 >= per_million {
        return None;
    }
    Some(match (h >> 40) % 4 {
        0 => Plant::CheckDigit,
        1 => Plant::ImpossibleBirth,
        2 => Plant::Postal,
        _ => Plant::Sex,
    })
}
const MAX_WORKBOOKS: usize = 100;

/// One benchmark member, compact; text is made when a file is written.
struct Bm {
    company: u16, // 0 = 任意継続, u16::MAX = 特例退職, else 1..
    number: u32,
    branch: u8,
    sur: u16,
    given: u16,
    sex: u8,
    rel: u8, // 0 本人 1 配偶者 2 子
    birth: NaiveDate,
    acquired: NaiveDate,
    lost: Option<NaiveDate>,
    remuneration: u32,
    income_exception: bool,
    my_number: Option<u64>,
    bad_check_digit: bool,
    registered: NaiveDate,
    myna: bool,
    cert: Option<NaiveDate>,
    ratio: u8,
    postal: u16,
    chome: u8,
    ban: u8,
    style: u8, // per-row variation of written forms
}

impl Bm {
    fn symbol(&self) -> String {
        match self.company {
            0 => "9001".to_string(),
            u16::MAX => "9002".to_string(),
            c => format!("{}", 1000 + c as u32),
        }
    }
    fn company_code(&self) -> String {
        match self.company {
            0 | u16::MAX => String::new(),
            c => format!("C{c:03}"),
        }
    }
    fn member_type(&self) -> &'static str {
        match self.company {
            0 => "任意継続",
            u16::MAX => "特例退職",
            _ => "一般",
        }
    }
    fn name(&self) -> (String, String) {
        let (s, sk) = SURNAMES[self.sur as usize % SURNAMES.len()];
        let pool = if self.sex == 1 { MALE } else { FEMALE };
        let (g, gk) = pool[self.given as usize % pool.len()];
        (format!("{s}\u{3000}{g}"), format!("{sk}\u{3000}{gk}"))
    }
    fn my_number_text(&self) -> String {
        self.my_number_with(self.bad_check_digit)
    }
    fn my_number_with(&self, bad_check_digit: bool) -> String {
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
    fn address(&self) -> (String, String) {
        let p = POSTAL[self.postal as usize % POSTAL.len()];
        let a = if p.town.ends_with('町') {
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
        };
        (p.code.to_string(), a)
    }
}

fn rand_date(rng: &mut Rng, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
    add_days(lo, rng.range(0, (hi - lo).num_days().max(0)))
}

/// A date as this row writes it: mostly ISO, some era forms and slashes, a few full-width; a very
/// few are impossible or ambiguous (BD002/BD001) so `check` has something to say.
fn date_text(d: NaiveDate, style: u8, salt: u64) -> String {
    if salt % 5000 == 17 {
        return "R1.4.30".to_string();
    }
    if salt % 5000 == 4242 {
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

fn generate(n: usize, seed: u64) -> (Vec<Bm>, usize) {
    let mut rng = Rng::new(seed);
    let workbooks = n.div_ceil(ROWS_PER_WORKBOOK).clamp(1, MAX_WORKBOOKS);
    // 2% 任意継続/特例退職 (in no employer workbook); the rest split evenly over the companies.
    let individual = n / 50;
    let per_company = (n - individual) / workbooks;
    // Ordered by `company` (0 first, u16::MAX last) so each company is one contiguous slice.
    let assigned: usize = per_company * workbooks;
    let mut quotas: Vec<(u16, usize)> = vec![(0, (n - assigned) * 5 / 6)];
    quotas.extend((1..=workbooks as u16).map(|c| (c, per_company)));
    quotas.push((u16::MAX, n - assigned - (n - assigned) * 5 / 6));
    let d = date(2026, 11, 1);
    let mut out = Vec::with_capacity(n);
    for (company, quota) in quotas {
        let start = out.len();
        let mut number = 0u32;
        while out.len() - start < quota {
            number += 1;
            let individual = company == 0 || company == u16::MAX;
            let birth = if individual {
                rand_date(&mut rng, date(1952, 1, 1), date(1966, 12, 31))
            } else {
                rand_date(&mut rng, date(1952, 1, 1), date(2004, 3, 31))
            };
            let acquired = if individual {
                rand_date(&mut rng, date(2023, 4, 1), date(2026, 10, 1))
            } else {
                rand_date(
                    &mut rng,
                    date(birth.year() + 22, 4, 1).min(date(2026, 10, 1)),
                    date(2026, 10, 1),
                )
            };
            let remuneration = [
                200_000u32, 240_000, 280_000, 320_000, 380_000, 440_000, 500_000, 620_000,
            ][rng.below(8) as usize];
            let postal = rng.below(POSTAL.len() as u64) as u16;
            let (chome, ban) = (rng.range(1, 5) as u8, rng.range(1, 30) as u8);
            let lost = if rng.chance(30) {
                Some(rand_date(&mut rng, date(2025, 1, 1), date(2026, 10, 31)))
            } else {
                None
            };
            let sur = rng.below(SURNAMES.len() as u64) as u16;
            let deps = if rng.chance(450) {
                rng.range(1, 3) as u8
            } else {
                0
            };
            let ins_sex = if rng.chance(650) { 1 } else { 2 };
            let ins_elderly = birth <= date(1956, 11, 1);
            for branch in 0..=deps {
                if out.len() - start >= quota {
                    break;
                }
                let (rel, sex, b) = match branch {
                    0 => (0u8, ins_sex, birth),
                    1 => (
                        1,
                        3 - ins_sex,
                        rand_date(&mut rng, add_days(birth, -1500), add_days(birth, 1500)),
                    ),
                    _ => (
                        2,
                        rng.range(1, 2) as u8,
                        rand_date(
                            &mut rng,
                            add_days(birth, 9000).min(date(2026, 6, 1)),
                            date(2026, 6, 1),
                        ),
                    ),
                };
                let acq = acquired.max(b);
                let myna = rng.chance(700);
                let cert = if myna {
                    None
                } else if rng.chance(50) {
                    Some(rand_date(&mut rng, d, add_days(d, 60)))
                } else {
                    Some(rand_date(&mut rng, date(2027, 1, 1), date(2030, 12, 31)))
                };
                let elderly = b <= date(1956, 11, 1) && b > date(1951, 11, 1);
                let ratio = if elderly {
                    if ins_elderly && remuneration >= 280_000 {
                        3
                    } else {
                        2
                    }
                } else {
                    0
                };
                out.push(Bm {
                    company,
                    number,
                    branch,
                    sur,
                    given: rng.below(64) as u16,
                    sex,
                    rel,
                    birth: b,
                    acquired: acq,
                    lost,
                    remuneration: if branch == 0 { remuneration } else { 0 },
                    income_exception: branch == 0 && rng.chance(10),
                    my_number: if rng.chance(20) {
                        None
                    } else {
                        Some(rng.below(99_999_999_999) + 1)
                    },
                    bad_check_digit: rng.chance(1),
                    registered: rand_date(
                        &mut rng,
                        acq.max(date(2016, 1, 4)),
                        add_days(acq.max(date(2016, 1, 4)), 400).min(d),
                    ),
                    myna,
                    cert,
                    ratio,
                    postal,
                    chome,
                    ban,
                    style: rng.below(256) as u8,
                });
            }
        }
    }
    (out, workbooks)
}

/// Writes CP932 CSV rows. Every distinct non-ASCII value is encoded once (with the domain
/// encoder) and cached: pooled names, addresses and dates repeat, and encoding kanji is the
/// slow part of writing a million rows.
struct Cp932Writer {
    path: String,
    out: BufWriter<File>,
    cache: HashMap<String, Vec<u8>>,
    bytes: u64,
}

impl Cp932Writer {
    fn create(path: &Path) -> Result<Self, String> {
        let f = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Cp932Writer {
            path: path.display().to_string(),
            out: BufWriter::with_capacity(1 << 20, f),
            cache: HashMap::new(),
            bytes: 0,
        })
    }
    fn field(&mut self, f: &str) -> Result<(), String> {
        if f.contains([',', '"']) {
            return self.field(&format!("\"{}\"", f.replace('"', "\"\"")));
        }
        if f.is_ascii() {
            self.out
                .write_all(f.as_bytes())
                .map_err(|e| format!("{}: {e}", self.path))?;
            self.bytes += f.len() as u64;
            return Ok(());
        }
        if !self.cache.contains_key(f) {
            let bytes = shikaku::domain::cp932::encode(f)
                .map_err(|e| format!("{}: cannot encode {:?} as CP932", self.path, e.chars))?;
            self.cache.insert(f.to_string(), bytes);
        }
        let bytes = self.cache.get(f).map(Vec::as_slice).unwrap_or_default();
        self.out
            .write_all(bytes)
            .map_err(|e| format!("{}: {e}", self.path))?;
        self.bytes += bytes.len() as u64;
        Ok(())
    }
    fn row(&mut self, fields: &[&str]) -> Result<(), String> {
        for (k, f) in fields.iter().enumerate() {
            if k > 0 {
                self.out
                    .write_all(b",")
                    .map_err(|e| format!("{}: {e}", self.path))?;
                self.bytes += 1;
            }
            self.field(f)?;
        }
        self.out
            .write_all(b"\r\n")
            .map_err(|e| format!("{}: {e}", self.path))?;
        self.bytes += 2;
        Ok(())
    }
    fn finish(mut self) -> Result<u64, String> {
        self.out
            .flush()
            .map_err(|e| format!("{}: {e}", self.path))?;
        Ok(self.bytes)
    }
}

fn opt(d: Option<NaiveDate>) -> String {
    d.map(iso).unwrap_or_default()
}

fn write_fund(ms: &[Bm], path: &Path, problems_per_million: u64) -> Result<u64, String> {
    let mut w = Cp932Writer::create(path)?;
    w.row(&[
        "保険者番号",
        "記号",
        "番号",
        "枝番",
        "氏名",
        "氏名カナ",
        "生年月日",
        "性別",
        "続柄",
        "被保険者区分",
        "会社コード",
        "資格取得日",
        "資格喪失日",
        "標準報酬月額",
        "基準収入額適用",
        "個人番号",
        "個人番号登録日",
        "マイナ保険証利用登録",
        "資格確認書有効期限",
        "負担割合",
        "郵便番号",
        "住所",
        "居所郵便番号",
        "居所",
    ])?;
    for (k, m) in ms.iter().enumerate() {
        let planted = match plant(k, problems_per_million) {
            Some(Plant::CheckDigit) if m.my_number.is_none() => Some(Plant::ImpossibleBirth),
            p => p,
        };
        let (name, kana) = m.name();
        let kana = if m.style % 5 == 0 {
            halfwidth_kana(&kana)
        } else {
            kana
        };
        let (postal, address) = m.address();
        let postal = match m.style % 7 {
            _ if planted == Some(Plant::Postal) => format!("{}-{}8", &postal[..3], &postal[3..]),
            0 => fullwidth(&postal),
            1..=3 => format!("{}-{}", &postal[..3], &postal[3..]),
            _ => postal,
        };
        let number = if m.style % 50 == 7 {
            fullwidth(&m.number.to_string())
        } else {
            m.number.to_string()
        };
        let individual = m.company == 0 || m.company == u16::MAX;
        let (rp, ra) = if individual && m.style % 3 == 0 {
            (postal.clone(), address.clone())
        } else {
            (String::new(), String::new())
        };
        let rel = ["本人", "配偶者", "子"][m.rel as usize];
        let rem = if m.rel == 0 {
            m.remuneration.to_string()
        } else {
            String::new()
        };
        let inc = if m.rel == 0 {
            if m.income_exception { "1" } else { "0" }
        } else {
            ""
        };
        let mn = m.my_number_with(m.bad_check_digit || planted == Some(Plant::CheckDigit));
        let birth = if planted == Some(Plant::ImpossibleBirth) {
            format!("{}-02-30", m.birth.year())
        } else {
            date_text(m.birth, m.style, k as u64)
        };
        let sex = match (planted, m.sex) {
            (Some(Plant::Sex), _) => "9",
            (_, 1) => "1",
            _ => "2",
        };
        let reg = if mn.is_empty() {
            String::new()
        } else {
            iso(m.registered)
        };
        let ratio = if m.ratio > 0 {
            m.ratio.to_string()
        } else {
            String::new()
        };
        w.row(&[
            "06139992",
            &m.symbol(),
            &number,
            &format!("{:02}", m.branch),
            &name,
            &kana,
            &birth,
            sex,
            rel,
            m.member_type(),
            &m.company_code(),
            &date_text(m.acquired, m.style / 3, k as u64 + 1),
            &opt(m.lost),
            &rem,
            inc,
            &mn,
            &reg,
            if m.myna { "1" } else { "0" },
            &opt(m.cert),
            &ratio,
            &postal,
            &address,
            &rp,
            &ra,
        ])?;
    }
    w.finish()
}

fn write_registry(ms: &[Bm], path: &Path) -> Result<u64, String> {
    let mut w = Cp932Writer::create(path)?;
    w.row(&[
        "保険者番号",
        "記号",
        "番号",
        "枝番",
        "氏名カナ",
        "生年月日",
        "性別",
        "個人番号下4桁",
        "負担割合",
        "マイナ保険証利用登録",
    ])?;
    for m in ms {
        let (_, kana) = m.name();
        let mn = m.my_number_text();
        let last4 = mn.get(8..).unwrap_or("");
        let ratio = if m.ratio > 0 {
            m.ratio.to_string()
        } else {
            String::new()
        };
        w.row(&[
            "06139992",
            &m.symbol(),
            &m.number.to_string(),
            &format!("{:02}", m.branch),
            &kana,
            &ymd8(m.birth),
            if m.sex == 1 { "1" } else { "2" },
            last4,
            &ratio,
            if m.myna { "1" } else { "0" },
        ])?;
    }
    w.finish()
}

fn write_list(ms: &[Bm], path: &Path) -> Result<(u64, usize), String> {
    let mut w = Cp932Writer::create(path)?;
    w.row(&["職権交付対象者リスト", "令和8年11月分"])?;
    w.row(&[
        "保険者番号",
        "記号",
        "番号",
        "枝番",
        "氏名カナ",
        "生年月日",
        "性別",
        "交付事由",
    ])?;
    let mut rows = 0;
    for (k, m) in ms.iter().enumerate().filter(|(k, _)| k % 10 == 3) {
        let (_, kana) = m.name();
        let birth = if k % 3 == 0 {
            era_short(m.birth)
        } else {
            era_digits(m.birth)
        };
        // One row in ten thousand carries another fund's 保険者番号 (CE007).
        let insurer = if k % 100_000 == 3 {
            "06139993"
        } else {
            "06139992"
        };
        w.row(&[
            insurer,
            &m.symbol(),
            &format!("{:06}", m.number),
            &format!("{:02}", m.branch),
            &halfwidth_kana(&kana),
            &birth,
            if m.sex == 1 { "1" } else { "2" },
            "マイナ保険証未登録",
        ])?;
        rows += 1;
    }
    Ok((w.finish()?, rows))
}

fn write_workbook(ms: &[Bm], company: u16, path: &Path) -> Result<usize, String> {
    let err = |e: rust_xlsxwriter::XlsxError| format!("{}: {e}", path.display());
    let mut wb = Workbook::new();
    wb.set_properties(&crate::write::fixed_properties()?);
    let date_fmt = XFormat::new().set_num_format("yyyy/m/d");
    // Not constant_memory: that mode writes every string inline (t="inlineStr"), which
    // Excel and LibreOffice never do; their files keep text in the shared-string table, and
    // calamine reads those 27% faster. The benchmark should read what employers send.
    let ws = wb.add_worksheet();
    ws.write_string(
        0,
        0,
        format!("被保険者・被扶養者一覧（会社コード C{company:03}）"),
    )
    .map_err(err)?;
    let header = [
        "記号",
        "番号",
        "枝番",
        "氏名",
        "氏名カナ",
        "生年月日",
        "性別",
        "続柄",
        "会社コード",
        "個人番号",
        "郵便番号",
        "住所",
        "資格取得日",
        "退職日",
        "資格確認書発行要否",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h).map_err(err)?;
    }
    let mut r = 2u32;
    for m in ms.iter().filter(|m| m.company == company) {
        let (name, kana) = m.name();
        let (postal, address) = m.address();
        ws.write_string(r, 0, m.symbol()).map_err(err)?;
        ws.write_string(r, 1, m.number.to_string()).map_err(err)?;
        ws.write_string(r, 2, format!("{:02}", m.branch))
            .map_err(err)?;
        ws.write_string(r, 3, &name).map_err(err)?;
        ws.write_string(r, 4, &kana).map_err(err)?;
        let b = excel_date(m.birth).map_err(err)?;
        ws.write_datetime_with_format(r, 5, &b, &date_fmt)
            .map_err(err)?;
        ws.write_string(r, 6, if m.sex == 1 { "1" } else { "2" })
            .map_err(err)?;
        ws.write_string(r, 7, ["本人", "配偶者", "子"][m.rel as usize])
            .map_err(err)?;
        ws.write_string(r, 8, m.company_code()).map_err(err)?;
        let mn = m.my_number_text();
        if !mn.is_empty() {
            ws.write_string(r, 9, &mn).map_err(err)?;
        }
        if m.rel == 0 {
            // One insured row in a hundred has a numeric 郵便番号 (IN004).
            if m.style % 100 == 5 {
                let n: f64 = postal.parse().unwrap_or(0.0);
                ws.write_number(r, 10, n).map_err(err)?;
            } else {
                ws.write_string(r, 10, &postal).map_err(err)?;
            }
            ws.write_string(r, 11, &address).map_err(err)?;
            let a = excel_date(m.acquired).map_err(err)?;
            ws.write_datetime_with_format(r, 12, &a, &date_fmt)
                .map_err(err)?;
        }
        if let Some(l) = m.lost {
            let d = excel_date(add_days(l, -1)).map_err(err)?;
            ws.write_datetime_with_format(r, 13, &d, &date_fmt)
                .map_err(err)?;
        }
        ws.write_string(r, 14, "0").map_err(err)?;
        r += 1;
    }
    wb.save(path).map_err(err)?;
    Ok((r - 2) as usize)
}

/// `rules/companies.toml` for the generated fund: every company a code, one in four routed to
/// its office (with an office address), the rest to members' homes. Without it every row would
/// be AD001 and "a file with few findings" would have a million.
fn write_companies(companies: usize, path: &Path) -> Result<(), String> {
    let mut text = String::from(
        "# Companies of the generated benchmark fund (shikaku-gen bench).\n\n\
         [fund]\ninsurer_no = \"06139992\"\nname = \"ベンチマーク健康保険組合\"\n",
    );
    for c in 1..=companies {
        let office = c % 4 == 0;
        text.push_str(&format!(
            "\n[[company]]\ncode = \"C{c:03}\"\nname = \"ベンチ{c}株式会社\"\nnotice_route = \"{}\"\n\
             office_postal_code = \"1000005\"\noffice_address = \"東京都千代田区丸の内一丁目{}番1号\"\n",
            if office { "office" } else { "home" },
            c % 9 + 1
        ));
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(opts: &Options, out: &Path) -> Result<(), String> {
    let n = opts.members;
    if n == 0 {
        return Err("--members must be at least 1".into());
    }
    if !(0.0..=1.0).contains(&opts.problem_rate) {
        return Err("--problem-rate must be between 0 and 1".into());
    }
    let per_million = (opts.problem_rate * 1_000_000.0).round() as u64;
    let (others, books_too) = (!opts.fund_only, !opts.fund_only && !opts.csv_only);
    let t0 = Instant::now();
    fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let (ms, workbooks) = generate(n, opts.seed);
    println!("generated {} members in {:.2?}", ms.len(), t0.elapsed());
    let companies = out.join("rules").join("companies.toml");
    write_companies(workbooks, &companies)?;
    println!("wrote {} ({workbooks} companies)", companies.display());
    let emp_dir = out.join("employers");
    if books_too {
        fs::create_dir_all(&emp_dir).map_err(|e| format!("{}: {e}", emp_dir.display()))?;
    }
    let ms = &ms;
    let (fund, rest, books) = std::thread::scope(|s| {
        let fund = s.spawn(|| {
            let t = Instant::now();
            write_fund(ms, &out.join("fund.csv"), per_million).map(|b| (b, t.elapsed()))
        });
        let rest = s.spawn(|| {
            let t = Instant::now();
            if !others {
                return Ok(None);
            }
            let r = write_registry(ms, &out.join("national-registry.csv"))?;
            let (l, rows) = write_list(ms, &out.join("national-list.csv"))?;
            Ok::<_, String>(Some((r, l, rows, t.elapsed())))
        });
        // Workbooks are the slow part: two workers, odd and even companies.
        let books: Vec<_> = (0..2u16)
            .map(|half| {
                let emp_dir = &emp_dir;
                s.spawn(move || {
                    let t = Instant::now();
                    let mut rows = 0;
                    if books_too {
                        for c in (1..=workbooks as u16).filter(|c| c % 2 == half) {
                            let lo = ms.partition_point(|m| m.company < c);
                            let hi = ms.partition_point(|m| m.company <= c);
                            rows += write_workbook(
                                &ms[lo..hi],
                                c,
                                &emp_dir.join(format!("c{c:03}.xlsx")),
                            )?;
                        }
                    }
                    Ok::<_, String>((rows, t.elapsed()))
                })
            })
            .collect();
        let books: Vec<_> = books.into_iter().map(|b| b.join()).collect();
        (fund.join(), rest.join(), books)
    });
    let (fund_bytes, fund_t) = fund.map_err(|_| "fund writer panicked".to_string())??;
    let rest = rest.map_err(|_| "registry writer panicked".to_string())??;
    let mut book_rows = 0;
    let mut books_t = std::time::Duration::ZERO;
    for b in books {
        let (rows, t) = b.map_err(|_| "workbook writer panicked".to_string())??;
        book_rows += rows;
        books_t = books_t.max(t);
    }
    println!(
        "wrote {} ({} rows, {} bytes, problem rate {}) in {:.2?}",
        out.join("fund.csv").display(),
        ms.len(),
        fund_bytes,
        opts.problem_rate,
        fund_t
    );
    match rest {
        Some((reg_bytes, list_bytes, list_rows, rest_t)) => {
            println!(
                "wrote {} ({} rows, {} bytes)",
                out.join("national-registry.csv").display(),
                ms.len(),
                reg_bytes
            );
            println!(
                "wrote {} ({} rows, {} bytes) (registry + list in {:.2?})",
                out.join("national-list.csv").display(),
                list_rows,
                list_bytes,
                rest_t
            );
        }
        None => println!("skipped the national registry and list (--fund-only)"),
    }
    if books_too {
        println!(
            "wrote {} workbooks in {} ({} rows) in {:.2?}",
            workbooks,
            emp_dir.display(),
            book_rows,
            books_t
        );
    } else {
        println!("skipped employer workbooks");
    }
    println!("total {:.2?}", t0.elapsed());
    Ok(())
}

pub fn dates(count: usize, out: &Path, seed: u64) -> Result<(), String> {
    let t0 = Instant::now();
    let mut rng = Rng::new(seed);
    let f = File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, f);
    let lo = date(1912, 8, 1);
    let hi = date(2026, 12, 31);
    for _ in 0..count {
        let d = rand_date(&mut rng, lo, hi);
        let s = match rng.below(1000) {
            0 => "R1.4.30".to_string(),
            1 => "29.8.1".to_string(),
            2 => "H31.5.1".to_string(),
            3 => "R5.2.29".to_string(),
            k => match k % 14 {
                0 => iso(d),
                1 => slash(d),
                2 => ymd8(d),
                3 => nen(d),
                4 => era_kanji(d),
                5 => era_short(d),
                6 => era_short0(d),
                7 => era_short(d).replace('.', "/"),
                8 => era_short(d).replace('.', "-"),
                9 => era_compact(d),
                10 => era_digits(d),
                11 => fullwidth(&iso(d)),
                12 => fullwidth(&era_kanji(d)),
                _ => fullwidth(&era_short(d)),
            },
        };
        w.write_all(s.as_bytes())
            .and_then(|_| w.write_all(b"\n"))
            .map_err(|e| format!("{}: {e}", out.display()))?;
    }
    w.flush().map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "wrote {} ({count} dates) in {:.2?}",
        out.display(),
        t0.elapsed()
    );
    Ok(())
}
