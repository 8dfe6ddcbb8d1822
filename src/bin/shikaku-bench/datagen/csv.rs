//! CP932 CSV files: fund.csv, national-registry.csv, national-list.csv and the employer
//! files of the CSV-only data sets. Streaming (one record in memory) and fast: ASCII fields
//! are copied, and every distinct non-ASCII value is encoded once and kept — names and
//! addresses by their pool indices, other text by its value — so 10M rows take seconds of
//! encoding, not minutes.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::EmployerFile;
use super::members::{Bm, Members, Shape, date_text, row_hash};
use crate::text::{era_digits, era_short, fullwidth, halfwidth_kana, slash, ymd8};

const INSURER_NO: &str = "06139992";

/// Writes CP932 CSV records (CRLF), one record buffered at a time.
pub struct Cp932Writer {
    path: String,
    out: BufWriter<File>,
    record: Vec<u8>,
    fields: usize,
    by_text: HashMap<String, Box<[u8]>>,
    by_key: HashMap<u64, Box<[u8]>>,
    bytes: u64,
    records: u64,
}

impl Cp932Writer {
    pub fn create(path: &Path) -> Result<Self, String> {
        let f = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Cp932Writer {
            path: path.display().to_string(),
            out: BufWriter::with_capacity(1 << 20, f),
            record: Vec::with_capacity(512),
            fields: 0,
            by_text: HashMap::new(),
            by_key: HashMap::new(),
            bytes: 0,
            records: 0,
        })
    }

    fn separator(&mut self) {
        if self.fields > 0 {
            self.record.push(b',');
        }
        self.fields += 1;
    }

    fn encode(&self, text: &str) -> Result<Box<[u8]>, String> {
        let quoted = text.contains([',', '"']);
        let text = if quoted {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        };
        shikaku::domain::cp932::encode(&text)
            .map(Vec::into_boxed_slice)
            .map_err(|e| format!("{}: cannot encode {:?} as CP932", self.path, e.chars))
    }

    /// A field of any text.
    pub fn text(&mut self, text: &str) -> Result<(), String> {
        self.separator();
        if text.is_ascii() && !text.contains([',', '"']) {
            self.record.extend_from_slice(text.as_bytes());
            return Ok(());
        }
        if let Some(b) = self.by_text.get(text) {
            self.record.extend_from_slice(b);
            return Ok(());
        }
        let b = self.encode(text)?;
        self.record.extend_from_slice(&b);
        self.by_text.insert(text.to_string(), b);
        Ok(())
    }

    /// A field whose text depends only on `key`: made and encoded the first time only.
    pub fn keyed(&mut self, key: u64, make: impl FnOnce() -> String) -> Result<(), String> {
        self.separator();
        if let Some(b) = self.by_key.get(&key) {
            self.record.extend_from_slice(b);
            return Ok(());
        }
        let b = self.encode(&make())?;
        self.record.extend_from_slice(&b);
        self.by_key.insert(key, b);
        Ok(())
    }

    pub fn number(&mut self, n: u64) {
        self.separator();
        let _ = write!(self.record, "{n}");
    }

    /// YYYY-MM-DD, or an empty field.
    pub fn iso(&mut self, d: Option<NaiveDate>) {
        self.separator();
        if let Some(d) = d {
            let _ = write!(
                self.record,
                "{:04}-{:02}-{:02}",
                d.year(),
                d.month(),
                d.day()
            );
        }
    }

    pub fn end(&mut self) -> Result<(), String> {
        self.record.extend_from_slice(b"\r\n");
        self.out
            .write_all(&self.record)
            .map_err(|e| format!("{}: {e}", self.path))?;
        self.bytes += self.record.len() as u64;
        self.records += 1;
        self.record.clear();
        self.fields = 0;
        Ok(())
    }

    pub fn row(&mut self, fields: &[&str]) -> Result<(), String> {
        for f in fields {
            self.text(f)?;
        }
        self.end()
    }

    /// Flush; the bytes and records written.
    pub fn finish(mut self) -> Result<(u64, u64), String> {
        self.out
            .flush()
            .map_err(|e| format!("{}: {e}", self.path))?;
        Ok((self.bytes, self.records))
    }
}

/// Cache keys: the kind of value in the top byte, its pool indices below.
fn key(kind: u8, parts: &[u64]) -> u64 {
    parts
        .iter()
        .fold(kind as u64, |k, p| k.wrapping_mul(1 << 16) | p)
}

fn name_key(kind: u8, m: &Bm) -> u64 {
    key(kind, &[m.sex as u64, m.sur as u64, m.given as u64])
}

fn address_key(m: &Bm) -> u64 {
    key(4, &[m.postal as u64, m.chome as u64, m.ban as u64])
}

/// The problem planted in fund row `k`, if any: one finding each.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plant {
    /// MN003: a 12-digit My Number with a wrong check digit.
    CheckDigit,
    /// BD002: 生年月日 on the 30th of February.
    ImpossibleBirth,
    /// AD003: a 郵便番号 with eight digits.
    Postal,
    /// IN009: 性別 that is neither 1 nor 2.
    Sex,
}

fn plant(k: u64, per_million: u64) -> Option<Plant> {
    if per_million == 0 {
        return None;
    }
    // The same salt as every earlier data version: the same rows get a problem.
    let h = row_hash(k, 0x5EED_B1A5);
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

const FUND_HEADER: [&str; 24] = [
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
];

/// fund.csv; `problems_per_million` rows get one planted problem each.
pub fn fund(shape: Shape, path: &Path, problems_per_million: u64) -> Result<(u64, u64), String> {
    let mut w = Cp932Writer::create(path)?;
    w.row(&FUND_HEADER)?;
    for m in Members::new(shape) {
        fund_record(&mut w, &m, plant(m.k, problems_per_million), shape.sprinkle)?;
    }
    w.finish()
}

fn fund_record(
    w: &mut Cp932Writer,
    m: &Bm,
    planted: Option<Plant>,
    sprinkle: bool,
) -> Result<(), String> {
    let planted = match planted {
        Some(Plant::CheckDigit) if m.my_number.is_none() => Some(Plant::ImpossibleBirth),
        p => p,
    };
    w.text(INSURER_NO)?;
    w.number(m.symbol() as u64);
    if m.style % 50 == 7 {
        w.text(&fullwidth(&m.number.to_string()))?;
    } else {
        w.number(m.number as u64);
    }
    w.text(&format!("{:02}", m.branch))?;
    w.keyed(name_key(1, m), || m.name().0)?;
    if m.style.is_multiple_of(5) {
        w.keyed(name_key(3, m), || halfwidth_kana(&m.name().1))?;
    } else {
        w.keyed(name_key(2, m), || m.name().1)?;
    }
    if planted == Some(Plant::ImpossibleBirth) {
        w.text(&format!("{}-02-30", m.birth.year()))?;
    } else {
        w.text(&date_text(m.birth, m.style, m.k, sprinkle))?;
    }
    w.text(match (planted, m.sex) {
        (Some(Plant::Sex), _) => "9",
        (_, 1) => "1",
        _ => "2",
    })?;
    w.text(m.relationship())?;
    w.text("一般")?;
    w.text(&m.company_code())?;
    w.text(&date_text(m.acquired, m.style / 3, m.k + 1, sprinkle))?;
    w.iso(m.lost);
    if m.rel == 0 {
        w.number(m.remuneration as u64);
        w.text(if m.income_exception { "1" } else { "0" })?;
    } else {
        w.text("")?;
        w.text("")?;
    }
    let mn = m.my_number_with(m.bad_check_digit || planted == Some(Plant::CheckDigit));
    w.text(&mn)?;
    w.iso((!mn.is_empty()).then_some(m.registered));
    w.text(if m.myna { "1" } else { "0" })?;
    w.iso(m.cert);
    w.text(&ratio(m))?;
    let postal = m.postal_code();
    match m.style % 7 {
        _ if planted == Some(Plant::Postal) => {
            w.text(&format!("{}-{}8", &postal[..3], &postal[3..]))?
        }
        0 => w.text(&fullwidth(postal))?,
        1..=3 => w.text(&format!("{}-{}", &postal[..3], &postal[3..]))?,
        _ => w.text(postal)?,
    }
    w.keyed(address_key(m), || m.address())?;
    // 居所: only 任意継続/特例退職 members have one, and this fund has none.
    w.text("")?;
    w.text("")?;
    w.end()
}

fn ratio(m: &Bm) -> String {
    if m.ratio > 0 {
        m.ratio.to_string()
    } else {
        String::new()
    }
}

/// national-registry.csv: every member as the national system has them.
pub fn registry(shape: Shape, path: &Path) -> Result<(u64, u64), String> {
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
    for m in Members::new(shape) {
        w.text(INSURER_NO)?;
        w.number(m.symbol() as u64);
        w.number(m.number as u64);
        w.text(&format!("{:02}", m.branch))?;
        w.keyed(name_key(2, &m), || m.name().1)?;
        w.text(&ymd8(m.birth))?;
        w.text(m.sex_code())?;
        let mn = m.my_number_text();
        w.text(mn.get(8..).unwrap_or(""))?;
        w.text(&ratio(&m))?;
        w.text(if m.myna { "1" } else { "0" })?;
        w.end()?;
    }
    w.finish()
}

/// national-list.csv: 職権交付対象者リスト, the members `Shape::list_per_mille` selects.
pub fn list(shape: Shape, path: &Path) -> Result<(u64, u64), String> {
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
    for m in Members::new(shape).filter(|m| m.listed) {
        // With the sprinkle, one row in 100,000 carries another fund's 保険者番号 (CE007).
        let foreign = shape.sprinkle && m.k % 100_000 == 3;
        w.text(if foreign { "06139993" } else { INSURER_NO })?;
        w.number(m.symbol() as u64);
        w.text(&format!("{:06}", m.number))?;
        w.text(&format!("{:02}", m.branch))?;
        w.keyed(name_key(3, &m), || halfwidth_kana(&m.name().1))?;
        if m.k % 3 == 0 {
            w.text(&era_short(m.birth))?;
        } else {
            w.text(&era_digits(m.birth))?;
        }
        w.text(m.sex_code())?;
        w.text("マイナ保険証未登録")?;
        w.end()?;
    }
    let (bytes, records) = w.finish()?;
    Ok((bytes, records - 2))
}

/// The title and header every employer file has (workbook or CSV).
pub fn employer_title(company: u16) -> String {
    format!("被保険者・被扶養者一覧（会社コード C{company:03}）")
}

pub const EMPLOYER_HEADER: [&str; 15] = [
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

/// One company's employer CSV, as Excel saves a workbook with `yyyy/m/d` dates.
pub struct EmployerCsv {
    w: Cp932Writer,
}

impl EmployerCsv {
    pub fn create(path: &Path, company: u16) -> Result<Self, String> {
        let mut w = Cp932Writer::create(path)?;
        w.row(&[&employer_title(company)])?;
        w.row(&EMPLOYER_HEADER)?;
        Ok(EmployerCsv { w })
    }
}

impl EmployerFile for EmployerCsv {
    fn row(&mut self, m: &Bm) -> Result<(), String> {
        let w = &mut self.w;
        w.number(m.symbol() as u64);
        w.number(m.number as u64);
        w.text(&format!("{:02}", m.branch))?;
        w.keyed(name_key(1, m), || m.name().0)?;
        w.keyed(name_key(2, m), || m.name().1)?;
        w.text(&slash(m.birth))?;
        w.text(m.sex_code())?;
        w.text(m.relationship())?;
        w.text(&m.company_code())?;
        w.text(&m.my_number_text())?;
        if m.rel == 0 {
            w.text(m.postal_code())?;
            w.keyed(address_key(m), || m.address())?;
            w.text(&slash(m.acquired))?;
        } else {
            w.text("")?;
            w.text("")?;
            w.text("")?;
        }
        match m.left_on() {
            Some(d) => w.text(&slash(d))?,
            None => w.text("")?,
        }
        w.text("0")?;
        w.end()
    }

    fn finish(self: Box<Self>) -> Result<u64, String> {
        Ok(self.w.finish()?.1 - 2)
    }
}
