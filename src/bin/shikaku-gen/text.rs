//! Written forms of dates and the width variants Japanese spreadsheets mix: era dates
//! (昭和29年8月1日, S29.8.1, S290801, 3290801), full-width digits and half-width katakana.

use chrono::{Datelike, NaiveDate};

/// Japanese era: kanji name, letter, era-code digit ("1-5" convention), first day.
struct Era {
    kanji: &'static str,
    letter: char,
    code: u32,
    start: (i32, u32, u32),
}

const ERAS: [Era; 5] = [
    Era {
        kanji: "令和",
        letter: 'R',
        code: 5,
        start: (2019, 5, 1),
    },
    Era {
        kanji: "平成",
        letter: 'H',
        code: 4,
        start: (1989, 1, 8),
    },
    Era {
        kanji: "昭和",
        letter: 'S',
        code: 3,
        start: (1926, 12, 25),
    },
    Era {
        kanji: "大正",
        letter: 'T',
        code: 2,
        start: (1912, 7, 30),
    },
    Era {
        kanji: "明治",
        letter: 'M',
        code: 1,
        start: (1868, 1, 25),
    },
];

fn era_of(d: NaiveDate) -> (&'static Era, i32) {
    for era in &ERAS {
        let (y, m, day) = era.start;
        if (d.year(), d.month(), d.day()) >= (y, m, day) {
            return (era, d.year() - y + 1);
        }
    }
    // Dates before 明治 never occur in generated data; fall back to the oldest era.
    (&ERAS[4], d.year() - 1867)
}

pub fn iso(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

pub fn slash(d: NaiveDate) -> String {
    format!("{}/{}/{}", d.year(), d.month(), d.day())
}

pub fn ymd8(d: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

pub fn nen(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// 昭和29年8月1日; the first year of an era is written 元年.
pub fn era_kanji(d: NaiveDate) -> String {
    let (era, y) = era_of(d);
    let year = if y == 1 {
        "元".to_string()
    } else {
        y.to_string()
    };
    format!("{}{}年{}月{}日", era.kanji, year, d.month(), d.day())
}

/// S29.8.1
pub fn era_short(d: NaiveDate) -> String {
    let (era, y) = era_of(d);
    format!("{}{}.{}.{}", era.letter, y, d.month(), d.day())
}

/// S29.08.01
pub fn era_short0(d: NaiveDate) -> String {
    let (era, y) = era_of(d);
    format!("{}{:02}.{:02}.{:02}", era.letter, y, d.month(), d.day())
}

/// S290801
pub fn era_compact(d: NaiveDate) -> String {
    let (era, y) = era_of(d);
    format!("{}{:02}{:02}{:02}", era.letter, y, d.month(), d.day())
}

/// 3290801: era-code digit ("1-5" convention) + YYMMDD.
pub fn era_digits(d: NaiveDate) -> String {
    let (era, y) = era_of(d);
    format!("{}{:02}{:02}{:02}", era.code, y, d.month(), d.day())
}

/// ASCII → full-width (digits, letters, punctuation; space → U+3000).
pub fn fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ' ' => '\u{3000}',
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

const KANA_PLAIN: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";
const KANA_VOICED: &str = "ガギグゲゴザジズゼゾダヂヅデドバビブベボ";
const KANA_VOICED_BASE: &str = "カキクケコサシスセソタチツテトハヒフヘホ";
const KANA_SEMI: &str = "パピプペポ";
const KANA_SEMI_BASE: &str = "ハヒフヘホ";

fn half_plain(c: char) -> Option<char> {
    KANA_PLAIN
        .chars()
        .position(|k| k == c)
        .and_then(|i| char::from_u32(0xFF66 + i as u32))
}

/// Full-width katakana → half-width (ｶﾀｶﾅ), voiced marks as separate ﾞ/ﾟ; U+3000 → ' '.
pub fn halfwidth_kana(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\u{3000}' {
            out.push(' ');
        } else if let Some(h) = half_plain(c) {
            out.push(h);
        } else if let Some(i) = KANA_VOICED.chars().position(|k| k == c) {
            let base = KANA_VOICED_BASE.chars().nth(i).and_then(half_plain);
            out.extend(base);
            out.push('\u{FF9E}');
        } else if let Some(i) = KANA_SEMI.chars().position(|k| k == c) {
            let base = KANA_SEMI_BASE.chars().nth(i).and_then(half_plain);
            out.extend(base);
            out.push('\u{FF9F}');
        } else if c == 'ヴ' {
            out.push('\u{FF73}');
            out.push('\u{FF9E}');
        } else {
            out.push(c);
        }
    }
    out
}

/// Kanji numeral for 1..=99 (一丁目, 十二丁目): addresses write 丁目 numbers in kanji.
pub fn kanji_number(n: u32) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => "〇".to_string(),
        1..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", D[(n - 10) as usize]),
        _ => format!("{}十{}", D[(n / 10) as usize % 10], D[(n % 10) as usize]),
    }
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    // Only called with literal, valid dates; fall back to the epoch rather than panic.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}
