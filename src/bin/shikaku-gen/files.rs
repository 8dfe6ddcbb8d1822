//! Turns the sample fund's members into the rows of each source file.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::fund::{COMPANIES, INSURER_NO};
use crate::model::{Cell, Field, Member, Rel, Src};
use crate::text::{era_digits, era_kanji, era_short, fullwidth, halfwidth_kana, iso, slash, ymd8};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Csv,
    Xlsx,
    /// Written as .xlsx by the generator, converted to .xls with LibreOffice.
    XlsSource,
    /// Written as .xlsx by the generator, converted to .ods with LibreOffice.
    OdsSource,
}

pub struct Sheet {
    pub name: String,
    pub title: Vec<Vec<Cell>>,
    pub header: Vec<(String, Option<Field>)>,
    /// (member index, cells)
    pub rows: Vec<(Option<usize>, Vec<Cell>)>,
    /// Column widths for spreadsheets (characters).
    pub widths: Vec<f64>,
}

impl Sheet {
    /// 1-based row (spreadsheet) or record (CSV) number of data row `i`.
    pub fn row_number(&self, i: usize) -> usize {
        self.title.len() + 1 + i + 1
    }
    pub fn header_row(&self) -> usize {
        self.title.len() + 1
    }
    pub fn column_of(&self, field: Field) -> Option<&str> {
        self.header
            .iter()
            .find(|(_, f)| *f == Some(field))
            .map(|(h, _)| h.as_str())
    }
}

pub struct Table {
    /// Path relative to the output directory (for sources: the committed file's path).
    pub path: String,
    pub format: Format,
    pub sheets: Vec<Sheet>,
    pub src: Src,
}

impl Table {
    pub fn committed_path(&self) -> String {
        match self.format {
            Format::XlsSource => self.path.replace(".xlsx", ".xls"),
            Format::OdsSource => self.path.replace(".xlsx", ".ods"),
            _ => self.path.clone(),
        }
    }
}

fn t(s: impl Into<String>) -> Cell {
    Cell::text(s)
}

fn opt_iso(d: Option<NaiveDate>) -> Cell {
    d.map(|d| t(iso(d))).unwrap_or(Cell::Empty)
}

fn hyphen_postal(p: &str) -> String {
    if p.len() == 7 {
        format!("{}-{}", &p[..3], &p[3..])
    } else {
        p.to_string()
    }
}

/// The fund master's columns: every field a fund file may carry, in the crate's order.
pub fn fund_fields() -> &'static [Field] {
    shikaku::field::SourceKind::Fund.allowed()
}

fn sorted(members: &[Member], keep: impl Fn(&Member) -> bool) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..members.len()).filter(|&i| keep(&members[i])).collect();
    idx.sort_by(|&a, &b| {
        let (x, y) = (&members[a], &members[b]);
        (x.symbol.as_str(), x.number, x.branch).cmp(&(y.symbol.as_str(), y.number, y.branch))
    });
    idx
}

fn fund_cell(m: &Member, f: Field, row: usize) -> Cell {
    if let Some(c) = m.override_of(Src::Fund, f) {
        return c.clone();
    }
    match f {
        Field::InsurerNo => t(INSURER_NO),
        Field::Symbol => t(&m.symbol),
        Field::Number => t(m.number.to_string()),
        Field::Branch => t(format!("{:02}", m.branch)),
        Field::Name => t(&m.name),
        Field::NameKana => t(&m.kana),
        Field::BirthDate => t(iso(m.birth)),
        Field::Sex => t(m.sex.to_string()),
        Field::Relationship => t(m.rel.label()),
        Field::MemberType => t(m.mtype.label()),
        Field::Company => t(&m.company),
        // A few rows write 資格取得日 with slashes, as older exports did.
        Field::AcquiredOn if row % 9 == 4 => t(slash(m.acquired)),
        Field::AcquiredOn => t(iso(m.acquired)),
        Field::LostOn => opt_iso(m.lost),
        Field::Remuneration => m
            .remuneration
            .map(|r| t(r.to_string()))
            .unwrap_or(Cell::Empty),
        Field::IncomeException => match m.income_exception {
            Some(true) => t("1"),
            Some(false) => t("0"),
            None => Cell::Empty,
        },
        Field::MyNumber => m.my_number.clone().map(t).unwrap_or(Cell::Empty),
        Field::MyNumberRegisteredOn => opt_iso(m.mn_registered),
        Field::MynaRegistered => t(if m.myna { "1" } else { "0" }),
        Field::CertExpiresOn => opt_iso(m.cert),
        Field::ShareRatio => m.ratio.map(|r| t(r.to_string())).unwrap_or(Cell::Empty),
        Field::PostalCode if m.postal_hyphen => t(hyphen_postal(&m.postal)),
        Field::PostalCode => t(&m.postal),
        Field::Address => t(&m.address),
        Field::ResidencePostalCode => t(hyphen_postal(&m.res_postal)),
        Field::ResidenceAddress => t(&m.res_address),
        _ => Cell::Empty,
    }
}

pub fn fund(members: &[Member]) -> Table {
    let idx = sorted(members, |m| m.in_fund);
    let rows = idx
        .iter()
        .enumerate()
        .map(|(r, &i)| {
            (
                Some(i),
                fund_fields()
                    .iter()
                    .map(|&f| fund_cell(&members[i], f, r))
                    .collect(),
            )
        })
        .collect();
    Table {
        path: "fund.csv".into(),
        format: Format::Csv,
        src: Src::Fund,
        sheets: vec![Sheet {
            name: String::new(),
            title: Vec::new(),
            header: fund_fields()
                .iter()
                .map(|f| (f.label().to_string(), Some(*f)))
                .collect(),
            rows,
            widths: Vec::new(),
        }],
    }
}

const REGISTRY_COLS: [(&str, Field); 10] = [
    ("保険者番号", Field::InsurerNo),
    ("記号", Field::Symbol),
    ("番号", Field::Number),
    ("枝番", Field::Branch),
    ("氏名カナ", Field::NameKana),
    ("生年月日", Field::BirthDate),
    ("性別", Field::Sex),
    ("個人番号下4桁", Field::MyNumber),
    ("負担割合", Field::ShareRatio),
    ("マイナ保険証利用登録", Field::MynaRegistered),
];

fn registry_cell(m: &Member, f: Field) -> Cell {
    if let Some(c) = m.override_of(Src::Registry, f) {
        return c.clone();
    }
    match f {
        Field::InsurerNo => t(INSURER_NO),
        Field::Symbol => t(&m.symbol),
        Field::Number => t(m.number.to_string()),
        Field::Branch => t(format!("{:02}", m.branch)),
        Field::NameKana => t(&m.kana),
        Field::BirthDate => t(ymd8(m.birth)),
        Field::Sex => t(m.sex.to_string()),
        Field::MyNumber => m.last4().map(t).unwrap_or(Cell::Empty),
        Field::ShareRatio => m.ratio.map(|r| t(r.to_string())).unwrap_or(Cell::Empty),
        Field::MynaRegistered => t(if m.registry_myna.unwrap_or(m.myna) {
            "1"
        } else {
            "0"
        }),
        _ => Cell::Empty,
    }
}

pub fn registry(members: &[Member]) -> Table {
    let idx = sorted(members, |m| m.in_registry);
    let rows = idx
        .iter()
        .map(|&i| {
            let m = &members[i];
            let mut cells: Vec<Cell> = REGISTRY_COLS
                .iter()
                .map(|(_, f)| registry_cell(m, *f))
                .collect();
            if m.ragged == Some(Src::Registry) {
                cells.pop();
            }
            (Some(i), cells)
        })
        .collect();
    Table {
        path: "national-registry.csv".into(),
        format: Format::Csv,
        src: Src::Registry,
        sheets: vec![Sheet {
            name: String::new(),
            title: Vec::new(),
            header: REGISTRY_COLS
                .iter()
                .map(|(h, f)| (h.to_string(), Some(*f)))
                .collect(),
            rows,
            widths: Vec::new(),
        }],
    }
}

const LIST_COLS: [(&str, Field); 8] = [
    ("保険者番号", Field::InsurerNo),
    ("記号", Field::Symbol),
    ("番号", Field::Number),
    ("枝番", Field::Branch),
    ("氏名カナ", Field::NameKana),
    ("生年月日", Field::BirthDate),
    ("性別", Field::Sex),
    ("交付事由", Field::Reason),
];

fn list_cell(m: &Member, f: Field, row: usize) -> Cell {
    if let Some(c) = m.override_of(Src::List, f) {
        return c.clone();
    }
    match f {
        Field::InsurerNo => t(INSURER_NO),
        Field::Symbol => t(&m.symbol),
        Field::Number => t(format!("{:06}", m.number)),
        Field::Branch => t(format!("{:02}", m.branch)),
        Field::NameKana => t(halfwidth_kana(&m.kana)),
        Field::BirthDate if row % 3 == 1 => t(era_short(m.birth)),
        Field::BirthDate => t(era_digits(m.birth)),
        Field::Sex => t(m.sex.to_string()),
        Field::Reason => t(m.on_list.clone().unwrap_or_default()),
        _ => Cell::Empty,
    }
}

pub fn national_list(members: &[Member]) -> Table {
    let idx = sorted(members, |m| m.on_list.is_some());
    let rows = idx
        .iter()
        .enumerate()
        .map(|(r, &i)| {
            (
                Some(i),
                LIST_COLS
                    .iter()
                    .map(|(_, f)| list_cell(&members[i], *f, r))
                    .collect(),
            )
        })
        .collect();
    Table {
        path: "national-list.csv".into(),
        format: Format::Csv,
        src: Src::List,
        sheets: vec![Sheet {
            name: String::new(),
            title: vec![vec![t("職権交付対象者リスト"), t("令和8年11月分")]],
            header: LIST_COLS
                .iter()
                .map(|(h, f)| (h.to_string(), Some(*f)))
                .collect(),
            rows,
            widths: Vec::new(),
        }],
    }
}

/// How one employer writes its file.
struct EmpStyle {
    company: &'static str,
    path: &'static str,
    format: Format,
    sheet: &'static str,
    title: Vec<Vec<Cell>>,
    cols: Vec<(&'static str, Field)>,
    dependents: bool,
    /// Dates as spreadsheet date cells (else era text).
    date_cells: bool,
    /// 性別 as 男/女 (else 1/2).
    sex_kanji: bool,
    /// 続柄 as the employer writes it (被保険者/妻/長男…) instead of 本人/配偶者/子.
    raw_rel: Option<&'static str>,
    /// 資格確認書発行要否 as 要/否 (else 1/0).
    flag_kanji: bool,
}

fn emp_styles() -> Vec<EmpStyle> {
    use Field::*;
    vec![
        EmpStyle {
            company: "C01",
            path: "employers/c01-sakura-shoji.xlsx",
            format: Format::Xlsx,
            sheet: "被保険者一覧",
            title: vec![
                vec![t("被保険者・被扶養者一覧表")],
                vec![
                    t("事業所名：さくら商事株式会社（会社コード C01）"),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    t("作成日：2026年10月26日"),
                ],
            ],
            cols: vec![
                ("記号", Symbol),
                ("番号", Number),
                ("枝番", Branch),
                ("氏名", Name),
                ("氏名カナ", NameKana),
                ("生年月日", BirthDate),
                ("性別", Sex),
                ("続柄", Relationship),
                ("会社コード", Company),
                ("個人番号", MyNumber),
                ("郵便番号", PostalCode),
                ("住所", Address),
                ("資格取得日", AcquiredOn),
                ("退職日", LeftOn),
                ("資格確認書発行要否", CertRequested),
                ("標準報酬月額", Remuneration),
            ],
            dependents: true,
            date_cells: true,
            sex_kanji: false,
            raw_rel: None,
            flag_kanji: false,
        },
        EmpStyle {
            company: "C02",
            path: "employers/c02-sakura-bussan.xlsx",
            format: Format::XlsSource,
            sheet: "加入者一覧",
            title: vec![vec![t(
                "さくら物産株式会社　健康保険加入者一覧（2026年10月末現在）",
            )]],
            cols: vec![
                ("記号", Symbol),
                ("番号", Number),
                ("枝番", Branch),
                ("氏名", Name),
                ("氏名カナ", NameKana),
                ("生年月日", BirthDate),
                ("性別", Sex),
                ("続柄", Relationship),
                ("個人番号", MyNumber),
                ("郵便番号", PostalCode),
                ("住所", Address),
                ("退職日", LeftOn),
                ("資格確認書発行要否", CertRequested),
            ],
            dependents: true,
            date_cells: true,
            sex_kanji: true,
            raw_rel: Some("本人"),
            flag_kanji: true,
        },
        EmpStyle {
            company: "C03",
            path: "employers/c03-sakura-roso.xlsx",
            format: Format::OdsSource,
            sheet: "組合員名簿",
            title: vec![
                vec![t("さくら労働組合　組合員名簿（健康保険）")],
                vec![t("令和8年10月31日現在")],
                vec![],
            ],
            cols: vec![
                ("被保険者記号", Symbol),
                ("被保険者番号", Number),
                ("枝番号", Branch),
                ("漢字氏名", Name),
                ("カナ氏名", NameKana),
                ("生年月日(西暦)", BirthDate),
                ("性別", Sex),
                ("個人番号", MyNumber),
                ("資格取得年月日", AcquiredOn),
            ],
            dependents: false,
            date_cells: true,
            sex_kanji: false,
            raw_rel: None,
            flag_kanji: false,
        },
        EmpStyle {
            company: "C04",
            path: "employers/c04-sakura-techno.csv",
            format: Format::Csv,
            sheet: "",
            title: vec![vec![t("さくらテクノ株式会社　被保険者等一覧")]],
            cols: vec![
                ("被保険者証記号", Symbol),
                ("被保険者証番号", Number),
                ("枝番号", Branch),
                ("氏名", Name),
                ("フリガナ", NameKana),
                ("生年月日(和暦)", BirthDate),
                ("性別", Sex),
                ("続柄", Relationship),
                ("個人番号", MyNumber),
                ("郵便番号", PostalCode),
                ("住所", Address),
                ("入社日", AcquiredOn),
                ("退職日", LeftOn),
                ("資格確認書交付要否", CertRequested),
            ],
            dependents: true,
            date_cells: false,
            sex_kanji: true,
            raw_rel: Some("被保険者"),
            flag_kanji: false,
        },
    ]
}

/// 続柄 as an employer writes it: 妻/夫, 長男/長女/次男/次女…, 実母.
fn raw_relationship(members: &[Member], i: usize, insured_word: &str) -> String {
    let m = &members[i];
    match m.rel {
        Rel::Honnin => insured_word.to_string(),
        Rel::Haigusha => if m.sex == 2 { "妻" } else { "夫" }.to_string(),
        Rel::Haha => "実母".to_string(),
        Rel::Ko => {
            let order = members
                .iter()
                .filter(|x| {
                    x.household() == m.household()
                        && x.rel == Rel::Ko
                        && x.sex == m.sex
                        && x.branch <= m.branch
                })
                .count();
            let n = ["長", "次", "三", "四"]
                .get(order.saturating_sub(1))
                .copied()
                .unwrap_or("四");
            format!("{}{}", n, if m.sex == 1 { "男" } else { "女" })
        }
    }
}

fn emp_cell(members: &[Member], i: usize, st: &EmpStyle, f: Field, row: usize) -> Cell {
    let m = &members[i];
    if let Some(c) = m.override_of(Src::Emp, f) {
        return c.clone();
    }
    let insured = m.rel == Rel::Honnin;
    let date_cell = |d: NaiveDate| {
        if st.date_cells {
            Cell::Date(d)
        } else if row % 4 == 2 {
            t(era_short(d))
        } else {
            t(era_kanji(d))
        }
    };
    let csv = st.format == Format::Csv;
    match f {
        Field::Symbol => t(&m.symbol),
        Field::Number if csv && row % 5 == 1 => t(fullwidth(&m.number.to_string())),
        Field::Number => t(m.number.to_string()),
        Field::Branch => t(format!("{:02}", m.branch)),
        Field::Name => t(&m.name),
        Field::NameKana if csv && row.is_multiple_of(3) => t(halfwidth_kana(&m.kana)),
        Field::NameKana => t(&m.kana),
        Field::BirthDate => date_cell(m.birth),
        Field::Sex if st.sex_kanji => t(if m.sex == 1 { "男" } else { "女" }),
        Field::Sex => t(m.sex.to_string()),
        Field::Relationship => match st.raw_rel {
            Some(word) => t(raw_relationship(members, i, word)),
            None => t(m.rel.label()),
        },
        Field::Company => t(&m.emp_company),
        Field::MyNumber => m.my_number.clone().map(t).unwrap_or(Cell::Empty),
        Field::PostalCode if insured && !m.postal.is_empty() => {
            if csv && row % 7 == 3 {
                t(fullwidth(&m.postal))
            } else if csv {
                t(m.postal.clone())
            } else {
                t(hyphen_postal(&m.postal))
            }
        }
        Field::Address if insured => t(&m.address),
        Field::AcquiredOn if insured => date_cell(m.acquired),
        Field::LeftOn => m.left_on.map(date_cell).unwrap_or(Cell::Empty),
        Field::CertRequested => match (st.flag_kanji, m.cert_requested) {
            (true, true) => t("要"),
            (true, false) => t("否"),
            (false, true) => t("1"),
            (false, false) => t("0"),
        },
        Field::Remuneration if insured => m
            .remuneration
            .map(|r| Cell::Num(r as f64))
            .unwrap_or(Cell::Empty),
        _ => Cell::Empty,
    }
}

pub fn employers(members: &[Member]) -> Vec<Table> {
    let mut out = Vec::new();
    for st in emp_styles() {
        let idx = sorted(members, |m| {
            m.in_employer
                && m.emp_company == st.company
                && (st.dependents || m.rel == Rel::Honnin)
                && (m.lost.is_none() || m.left_on.is_some())
        });
        let mut rows = Vec::new();
        for &i in &idx {
            for _ in 0..members[i].emp_rows {
                let r = rows.len();
                let cells = st
                    .cols
                    .iter()
                    .map(|(_, f)| emp_cell(members, i, &st, *f, r))
                    .collect();
                rows.push((Some(i), cells));
            }
        }
        let widths = st.cols.iter().map(|(h, f)| col_width(h, *f)).collect();
        let mut sheets = vec![Sheet {
            name: st.sheet.to_string(),
            title: st.title.clone(),
            header: st
                .cols
                .iter()
                .map(|(h, f)| (h.to_string(), Some(*f)))
                .collect(),
            rows,
            widths,
        }];
        if st.company == "C01" {
            sheets.push(instructions_sheet());
        }
        out.push(Table {
            path: st.path.into(),
            format: st.format,
            sheets,
            src: Src::Emp,
        });
    }
    // C05 sent a file with its header and no rows.
    let c05 = [
        "記号",
        "番号",
        "枝番",
        "氏名",
        "氏名カナ",
        "生年月日",
        "性別",
        "続柄",
        "個人番号",
        "郵便番号",
        "住所",
    ];
    out.push(Table {
        path: "employers/c05-sakura-foods.csv".into(),
        format: Format::Csv,
        src: Src::Emp,
        sheets: vec![Sheet {
            name: String::new(),
            title: Vec::new(),
            header: c05.iter().map(|h| (h.to_string(), None)).collect(),
            rows: Vec::new(),
            widths: Vec::new(),
        }],
    });
    out
}

fn col_width(header: &str, f: Field) -> f64 {
    match f {
        Field::Address => 40.0,
        Field::Name | Field::NameKana => 18.0,
        Field::MyNumber => 15.0,
        Field::BirthDate | Field::AcquiredOn | Field::LeftOn => 12.0,
        _ => (header.chars().count() as f64 * 2.2).max(6.0),
    }
}

/// A second sheet without a header row: shikaku must skip it.
fn instructions_sheet() -> Sheet {
    let lines = [
        "記入要領",
        "1. 被保険者本人と被扶養者を1行ずつ記入してください。",
        "2. 個人番号は12桁で記入してください（先頭の0を省略しないこと）。",
        "3. 資格確認書発行要否：マイナ保険証を利用できない方は 1 を記入してください。",
        "4. 退職者は退職日を記入のうえ、最終月まで記載してください。",
    ];
    Sheet {
        name: "記入要領".into(),
        title: lines.iter().map(|l| vec![t(*l)]).collect(),
        header: Vec::new(),
        rows: Vec::new(),
        widths: vec![80.0],
    }
}

/// Company code → (name, office) for the README and the oracle.
pub fn company_name(code: &str) -> &'static str {
    COMPANIES
        .iter()
        .find(|c| c.code == code && !code.is_empty())
        .map(|c| c.name)
        .unwrap_or("")
}

/// (member, source) → every (table index, sheet, row) the member's rows are on.
pub type Places = HashMap<(usize, Src), Vec<(usize, String, usize)>>;

pub fn by_member(tables: &[Table]) -> Places {
    let mut map: Places = HashMap::new();
    for (ti, tb) in tables.iter().enumerate() {
        for sh in &tb.sheets {
            for (k, (m, _)) in sh.rows.iter().enumerate() {
                if let Some(i) = m {
                    map.entry((*i, tb.src)).or_default().push((
                        ti,
                        sh.name.clone(),
                        sh.row_number(k),
                    ));
                }
            }
        }
    }
    map
}
