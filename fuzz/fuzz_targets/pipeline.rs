//! Target 6: the whole single-source pipeline (`check` in-process) on a small fund CSV built
//! from an `Arbitrary` row structure: plausible values and arbitrary text mixed in every
//! column, My Numbers in every written form, cells with commas, quotes and newlines.
//!
//! Asserts: rows read = checked + rejected, and the rejected rows are exactly the rows with
//! a rejecting finding (IN002, ID001, IN006, or IN001/IN005 in a key cell); no finding
//! message, key or rendered line (human and JSON) holds a run of 12 digits in any written
//! form, other than the input's own member keys; every JSON line parses; the human report
//! holds nothing a terminal would act on.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use shikaku::config::Config;
use shikaku::field::{Field, SourceKind};
use shikaku::ingest::Format;
use shikaku::prepare::Col;
use shikaku::report::{self, FailOn, human};
use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::OnceLock;

/// A value: one of a column's plausible forms, or arbitrary text.
#[derive(Arbitrary, Debug)]
enum Value {
    Plausible(u8),
    Text(String),
    Empty,
}

/// A My Number as careless exports write it.
#[derive(Arbitrary, Debug)]
enum MyNumber {
    Plain(u64),
    Spaced(u64),
    Hyphened(u64),
    FullWidth(u64),
    Commas(u64),
    Last4(u16),
    Exponent,
    Text(String),
    Empty,
}

#[derive(Arbitrary, Debug)]
struct Row {
    symbol: Value,
    number: Value,
    branch: Value,
    name: Value,
    birth: Value,
    member_type: Value,
    my_number: MyNumber,
    registered: Value,
    sex: Value,
    postal: Value,
    remuneration: Value,
    relationship: Value,
    share_ratio: Value,
    extra: Option<String>,
}

const HEADER: &str = "記号,番号,枝番,氏名,生年月日,被保険者区分,個人番号,個人番号登録日,性別,郵便番号,標準報酬月額,続柄,負担割合,備考";

const PLAUSIBLE: [&[&str]; 12] = [
    &["1001", "1002", "ABC", "桜1", ""],
    &["1", "2", "12", "123", "0"],
    &["00", "01", "02", "1", "100"],
    &["山田　太郎", "佐藤 花子", "ﾀﾅｶ", "2718 5436 5090"],
    &[
        "1954-08-01",
        "S29.8.1",
        "昭和２９年８月１日",
        "R1.4.30",
        "H31.5.1",
        "29.8.1",
        "3290801",
        "19540801",
    ],
    &["一般", "任意継続", "特例退職", "任継"],
    &["2024-08-31", "R6.8.31", "2030-01-01"],
    &["1", "2", "男", "女", "3"],
    &[
        "1000005",
        "100-0005",
        "〒１００－０００５",
        "600001",
        "12345678",
    ],
    &[
        "280000",
        "280,000円",
        "２８０，０００円",
        "-1",
        "9999999999999",
    ],
    &["本人", "配偶者", "子", "妻", "長男", "他人"],
    &["2", "3", "２割", "1"],
];

/// A 12-digit My Number with its check digit, from any u64.
fn my_number(seed: u64) -> String {
    let first = format!("{:011}", seed % 100_000_000_000);
    let d = shikaku::domain::my_number::check_digit(&first).unwrap_or(0);
    format!("{first}{d}")
}

fn grouped(mn: &str, sep: &str) -> String {
    format!("{}{sep}{}{sep}{}", &mn[..4], &mn[4..8], &mn[8..])
}

fn wide(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32('０' as u32 + d).unwrap_or(c),
            None if c == '-' => '－',
            None => c,
        })
        .collect()
}

/// A CSV field: quoted when it needs to be (or when the text asks to be raw, it is raw).
fn field(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// Key parts are kept short (at most 11 digits in a key), so any 12-digit run in the output
/// is something the mask should have caught.
fn value(v: &Value, column: usize, max_chars: Option<usize>) -> String {
    let s = match v {
        Value::Plausible(i) => {
            let options = PLAUSIBLE[column.min(PLAUSIBLE.len() - 1)];
            options[*i as usize % options.len()].to_string()
        }
        Value::Text(t) => t.clone(),
        Value::Empty => String::new(),
    };
    match max_chars {
        Some(n) => s.chars().take(n).collect(),
        None => s,
    }
}

fn my_number_text(m: &MyNumber) -> String {
    match m {
        MyNumber::Plain(s) => my_number(*s),
        MyNumber::Spaced(s) => grouped(&my_number(*s), " "),
        MyNumber::Hyphened(s) => grouped(&my_number(*s), "-"),
        MyNumber::FullWidth(s) => wide(&grouped(&my_number(*s), "-")),
        MyNumber::Commas(s) => {
            let mn = my_number(*s);
            format!("{},{},{},{}", &mn[..3], &mn[3..6], &mn[6..9], &mn[9..])
        }
        MyNumber::Last4(n) => format!("{:04}", n % 10_000),
        MyNumber::Exponent => "1.23457E+11".into(),
        MyNumber::Text(t) => t.clone(),
        MyNumber::Empty => String::new(),
    }
}

fn csv(rows: &[Row]) -> String {
    let mut out = format!("{HEADER}\r\n");
    for r in rows.iter().take(40) {
        let cells = [
            value(&r.symbol, 0, Some(4)),
            value(&r.number, 1, Some(5)),
            value(&r.branch, 2, Some(2)),
            value(&r.name, 3, None),
            value(&r.birth, 4, None),
            value(&r.member_type, 5, None),
            my_number_text(&r.my_number),
            value(&r.registered, 6, None),
            value(&r.sex, 7, None),
            value(&r.postal, 8, None),
            value(&r.remuneration, 9, None),
            value(&r.relationship, 10, None),
            value(&r.share_ratio, 11, None),
        ];
        let mut line: Vec<String> = cells.iter().map(|c| field(c)).collect();
        if let Some(extra) = &r.extra {
            // Raw, unquoted: it may break the record (ragged rows, quotes, newlines).
            line.push(extra.clone());
        }
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(Config::builtin)
}

/// Rows a rejecting finding names (SPEC §5: IN002, ID001, IN006; IN001/IN005 in a key cell).
fn rejecting(outcome: &report::Outcome) -> BTreeSet<u32> {
    let key = [Field::Symbol, Field::Number, Field::Branch];
    outcome
        .findings
        .iter()
        .filter(|f| match f.rule.code {
            "IN002" | "ID001" | "IN006" => true,
            "IN001" | "IN005" => f.at.field.is_some_and(|x| key.contains(&x)),
            _ => false,
        })
        .filter_map(|f| f.at.row)
        .collect()
}

fn keys(outcome: &report::Outcome) -> HashSet<String> {
    let mut set = HashSet::new();
    for input in outcome.files.iter().filter_map(|f| f.input.as_ref()) {
        for col in [Col::Key, Col::Household] {
            if let Ok(ca) = input.df.column(&col.name()).and_then(|c| c.str().cloned()) {
                set.extend(ca.iter().flatten().map(str::to_string));
            }
        }
    }
    set
}

fuzz_target!(|rows: Vec<Row>| {
    let text = csv(&rows);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    let outcome = shikaku::cmd::check::check_bytes(
        Path::new("fund.csv"),
        Format::Csv,
        text.into_bytes(),
        SourceKind::Fund,
        config(),
        as_of,
    )
    .expect("the pipeline runs on any file");
    let file = &outcome.files[0];
    if let Some(input) = &file.input {
        let counts = report::row_counts(file);
        assert_eq!(counts.read, counts.checked + counts.rejected);
        assert_eq!(
            counts.read,
            input.source.tables.iter().map(|t| t.rows).sum::<usize>()
        );
        let rejected = input
            .df
            .column(&Col::Rejected.name())
            .expect("rejected column");
        let rejected: BTreeSet<u32> = rejected
            .bool()
            .expect("bool")
            .iter()
            .enumerate()
            .filter(|(_, r)| *r == Some(true))
            .map(|(i, _)| i as u32)
            .collect();
        assert_eq!(
            rejected,
            rejecting(&outcome),
            "rejected rows and their findings"
        );
    }
    let keys = keys(&outcome);
    let json = report::json::render(&outcome, FailOn::Error);
    if std::env::var_os("SHIKAKU_FUZZ_DUMP").is_some() {
        // Reproducing a crash: what the pipeline was given and what it wrote.
        eprintln!("--- fund.csv\n{}--- JSON\n{json}", csv(&rows));
    }
    for line in json.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each JSON line parses");
        // The decoded strings, not the JSON text: serde_json writes a control character as
        // `\u0004`, so U+0004 before 8 digits is 12 digits of text but not of data.
        shikaku_fuzz::assert_json_masked("the JSON report", &v, &keys);
    }
    let style = human::Style {
        width: 100,
        color: false,
    };
    let shown = human::render(&outcome, 20, &style, FailOn::Error);
    shikaku_fuzz::assert_masked("the human report", &shown, &keys);
    shikaku_fuzz::assert_printable("the human report", &shown);
});
