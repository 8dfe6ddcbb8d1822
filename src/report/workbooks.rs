//! `--employer-workbooks`: one correction workbook per company, for the fund to send to that
//! employer (事業所), and `組合内.xlsx` for what the fund must correct itself (SPEC §6).
//!
//! Each has a cover sheet (the fund, the company, D or the base dates, when it was made, the
//! count per code) and a sheet 訂正依頼 with one row per finding: where it is in the
//! employer's own file, the value as sent, what is wrong and what to do. Which finding goes to
//! whom is [`super::recipient`]'s. Every cell is text (no code loses a zero), and every value
//! passes through the mask; a 個人番号 keeps its last 4 digits only.

use super::mask::mask_digit_runs;
use super::place::place;
use super::recipient::{Recipient, Router};
use super::run::RunInfo;
use super::{File, Outcome};
use crate::config::Companies;
use crate::field::Field;
use crate::finding::{Anchor, Finding, Severity};
use crate::i18n::Tr;
use crate::output::Rows;
use crate::output::xlsx::{write_plain, write_table};
use rust_xlsxwriter::{Workbook, XlsxError};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The folder under `--out` the workbooks are written to.
pub const DIR: &str = "事業所別";
/// The fund's own workbook.
pub const FUND_BOOK: &str = "組合内.xlsx";

const SHEET_COVER: Tr = Tr::new("表紙", "Cover");
const SHEET_ROWS: Tr = Tr::new("訂正依頼", "Corrections");

/// The columns of 訂正依頼, in order.
const HEADERS: [Tr; 14] = [
    Tr::new("記号", "記号"),
    Tr::new("番号", "番号"),
    Tr::new("枝番", "枝番"),
    Tr::new("氏名", "Name (氏名)"),
    Tr::new("コード", "Code"),
    Tr::new("重要度", "Severity"),
    Tr::new("ファイル", "File"),
    Tr::new("シート", "Sheet"),
    Tr::new("セル", "Cell"),
    Tr::new("項目", "Item"),
    Tr::new("送られた値", "Value as sent"),
    Tr::new("内容", "What is wrong"),
    Tr::new("対応", "What to do"),
    Tr::new("記号-番号-枝番", "Member key"),
];

/// One workbook: its path under `--out` and its bytes.
pub struct Book {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Every company's workbook (each configured company, with or without findings) and the
/// fund's own.
pub fn render(
    outcome: &Outcome,
    companies: &Companies,
    run: &RunInfo,
) -> Result<Vec<Book>, (PathBuf, XlsxError)> {
    let router = Router::new(&outcome.files, companies);
    let mut by_recipient: BTreeMap<Option<&str>, Vec<(&Finding, Anchor)>> = BTreeMap::new();
    for company in companies.iter() {
        by_recipient.entry(Some(company.code.as_str())).or_default();
    }
    by_recipient.entry(None).or_default();
    for finding in &outcome.findings {
        let routed = router.route(finding);
        by_recipient
            .entry(routed.to.code())
            .or_default()
            .push((finding, routed.shown));
    }
    let fund = companies
        .fund_name
        .clone()
        .or_else(|| companies.insurer_no.clone())
        .unwrap_or_default();
    let mut books = Vec::new();
    for (code, findings) in by_recipient {
        let recipient = code
            .and_then(|c| companies.get(c))
            .map_or(Recipient::Fund, Recipient::Company);
        let path = PathBuf::from(DIR).join(book_name(recipient));
        let cover = Cover {
            fund: &fund,
            recipient,
            run,
        };
        let bytes = book(&cover, &findings, &outcome.files).map_err(|e| (path.clone(), e))?;
        books.push(Book { path, bytes });
    }
    Ok(books)
}

/// `<会社コード>_<会社名>.xlsx`, or `組合内.xlsx`.
pub fn book_name(recipient: Recipient) -> String {
    match recipient {
        Recipient::Company(c) => {
            format!("{}.xlsx", file_name_safe(&format!("{}_{}", c.code, c.name)))
        }
        Recipient::Fund => FUND_BOOK.to_owned(),
    }
}

/// A name every filesystem the fund uses can hold: the characters Windows refuses (`\ / : * ?
/// " < > |`) and control characters become `_`, leading dots and trailing dots and spaces
/// are dropped, and the name is cut at 100 characters.
pub fn file_name_safe(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .take(100)
        .collect();
    let trimmed = replaced
        .trim_start_matches('.')
        .trim_end_matches(['.', ' ']);
    if trimmed.is_empty() {
        "_".to_owned()
    } else {
        trimmed.to_owned()
    }
}

struct Cover<'a> {
    fund: &'a str,
    recipient: Recipient<'a>,
    run: &'a RunInfo,
}

fn book(
    cover: &Cover,
    findings: &[(&Finding, Anchor)],
    files: &[File],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_COVER.get())?;
    let (rows, bold) = cover_rows(cover, findings);
    write_plain(sheet, &rows, &bold)?;
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_ROWS.get())?;
    let headers: Vec<&str> = HEADERS.iter().map(|h| h.get()).collect();
    let mut rows = Rows::with_capacity(findings.len(), HEADERS.len(), 16);
    for (finding, shown) in findings {
        rows.push(correction_row(finding, *shown, files));
    }
    write_table(sheet, &headers, &rows)?;
    workbook.save_to_buffer()
}

/// When the workbook was made, as the cover says it. Not "2026-12-02 13:19": twelve digits
/// joined by dashes and a colon read as a number, and one minute in ten passes the 個人番号
/// check digit (the test scanning every cell for a full My Number failed on 13:19).
fn made_on(t: &chrono::DateTime<chrono::FixedOffset>, lang: crate::i18n::Lang) -> String {
    let format = Tr::new("%Y年%-m月%-d日 %H:%M", "%Y-%m-%d at %H:%M");
    t.format(format.get_in(lang)).to_string()
}

/// The cover: who it is for and from, the run, and the count per code.
fn cover_rows(cover: &Cover, findings: &[(&Finding, Anchor)]) -> (Rows, Vec<usize>) {
    let mut rows = Rows::default();
    let to = match cover.recipient {
        Recipient::Company(c) => format!("{} {}", c.code, c.name),
        Recipient::Fund => crate::tr!(
            "組合内（事業所に依頼しない項目）",
            "The fund's own (nothing to ask an employer)"
        ),
    };
    let count = |s: Severity| findings.iter().filter(|(f, _)| f.severity == s).count();
    let total = crate::tr!(
        "{}件（エラー {}、警告 {}、情報 {}）",
        "{} (errors {}, warnings {}, info {})";
        findings.len(),
        count(Severity::Error) + count(Severity::Fatal),
        count(Severity::Warning),
        count(Severity::Info)
    );
    let made = made_on(&cover.run.started_at, crate::i18n::lang());
    let lines = [
        (Tr::new("訂正依頼", "Corrections requested"), String::new()),
        (
            Tr::new("健康保険組合", "Fund (健康保険組合)"),
            cover.fund.to_owned(),
        ),
        (Tr::new("宛先", "To"), to),
        (
            Tr::new("基準日", "Evaluation date"),
            cover.run.dates.describe(),
        ),
        (Tr::new("作成日時", "Made on"), made),
        (Tr::new("件数", "Findings"), total),
    ];
    for (label, value) in lines {
        rows.push([label.get(), value.as_str(), ""]);
    }
    rows.push(["", "", ""]);
    let mut bold = vec![0, rows.len()];
    rows.push([
        Tr::new("コード", "Code").get(),
        Tr::new("内容", "Problem").get(),
        Tr::new("件数", "Count").get(),
    ]);
    let mut per_code: BTreeMap<&str, (&Finding, usize)> = BTreeMap::new();
    for (f, _) in findings {
        per_code.entry(f.rule.code).or_insert((f, 0)).1 += 1;
    }
    for (code, (f, n)) in per_code {
        rows.push([code, f.rule.summary.get(), &n.to_string()]);
    }
    if findings.is_empty() {
        rows.push([
            "",
            Tr::new("訂正が必要な項目はありません。", "Nothing to correct.").get(),
            "0",
        ]);
        bold.push(rows.len() - 1);
    }
    (rows, bold)
}

/// One row of 訂正依頼, at the cell the recipient can find (`shown`).
fn correction_row(finding: &Finding, shown: Anchor, files: &[File]) -> [String; 14] {
    let place = place(&shown, files);
    let source = files
        .get(shown.source)
        .and_then(|f| f.input.as_ref())
        .map(|i| &i.source);
    let cell = |field: Field| -> String {
        match (source, shown.row) {
            (Some(src), Some(row)) => {
                masked_value(field, src.cell(row, field).as_deref().unwrap_or(""))
            }
            _ => String::new(),
        }
    };
    let value = shown.field.map(&cell).unwrap_or_default();
    [
        cell(Field::Symbol),
        cell(Field::Number),
        cell(Field::Branch),
        cell(Field::Name),
        finding.rule.code.to_owned(),
        severity_text(finding.severity).to_owned(),
        place.file_name.clone(),
        place.sheet.clone().unwrap_or_default(),
        place.within_sheet(),
        place.column.unwrap_or("").to_owned(),
        value,
        mask_digit_runs(&finding.message).into_owned(),
        mask_digit_runs(finding.rule.help.get()).into_owned(),
        finding.key.clone().unwrap_or_default(),
    ]
}

/// A cell's text as sent, for a workbook: masked like every output, and a 個人番号 cut to its
/// last 4 digits however it was written (`2718 5436 5090` → `**** **** 5090`).
pub fn masked_value(field: Field, raw: &str) -> String {
    let masked = mask_digit_runs(raw);
    if field != Field::MyNumber {
        return masked.into_owned();
    }
    let digits = masked.chars().filter(|c| is_digit(*c)).count();
    let mut hide = digits.saturating_sub(4);
    masked
        .chars()
        .map(|c| {
            if hide > 0 && is_digit(c) {
                hide -= 1;
                if c.is_ascii() { '*' } else { '＊' }
            } else {
                c
            }
        })
        .collect()
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

pub fn severity_text(s: Severity) -> &'static str {
    match s {
        Severity::Fatal => Tr::new("致命的", "fatal").get(),
        Severity::Error => Tr::new("エラー", "error").get(),
        Severity::Warning => Tr::new("警告", "warning").get(),
        Severity::Info => Tr::new("情報", "info").get(),
    }
}

#[cfg(test)]
mod made_on_tests {
    use super::made_on;
    use crate::i18n::Lang;

    #[test]
    fn the_time_a_workbook_was_made_is_not_twelve_digits_in_a_row() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-12-02T13:19:00+09:00").expect("a time");
        assert_eq!(made_on(&t, Lang::Ja), "2026年12月2日 13:19");
        assert_eq!(made_on(&t, Lang::En), "2026-12-02 at 13:19");
        for lang in [Lang::Ja, Lang::En] {
            let made = made_on(&t, lang);
            let twelve = made
                .split(|c: char| !(c.is_ascii_digit() || "-: ".contains(c)))
                .any(|part| part.chars().filter(char::is_ascii_digit).count() == 12);
            assert!(!twelve, "{lang:?}: {made}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_what_a_file_system_cannot_hold() {
        for (name, safe) in [
            ("C01_さくら商事株式会社", "C01_さくら商事株式会社"),
            ("C02_A/B:C*D?\"E<F>G|H\\I", "C02_A_B_C_D__E_F_G_H_I"),
            ("..hidden", "hidden"),
            ("C03_組合. ", "C03_組合"),
            ("", "_"),
            ("C04_\u{7}tab\t", "C04__tab_"),
        ] {
            assert_eq!(file_name_safe(name), safe, "{name:?}");
        }
        assert_eq!(file_name_safe(&"あ".repeat(300)).chars().count(), 100);
    }

    #[test]
    fn a_my_number_keeps_its_last_four_digits_however_written() {
        for (raw, shown) in [
            ("123456789018", "********9018"),
            ("2718 5436 5090", "**** **** 5090"),
            ("2718-5541-2385", "****-****-2385"),
            ("１２３４５６７８９０１８", "＊＊＊＊＊＊＊＊９０１８"),
            ("1.23457E+11", "*.***57E+11"),
            ("9018", "9018"),
            ("", ""),
        ] {
            assert_eq!(masked_value(Field::MyNumber, raw), shown, "{raw}");
        }
        // Other fields only lose runs of 12 digits or more.
        assert_eq!(masked_value(Field::PostalCode, "0600001"), "0600001");
        assert_eq!(masked_value(Field::Name, "x123456789018"), "x********9018");
    }
}
