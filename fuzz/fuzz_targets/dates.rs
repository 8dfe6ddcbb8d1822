//! Target 3: the date parser on arbitrary strings under both era-digit conventions, and
//! Excel serials (arbitrary f64) under both date systems.
//!
//! Asserts: no panic; a parsed date written back as ISO parses to itself (and not as an
//! ended era); a serial's date is within the date system's range.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use shikaku::domain::date::{EraDigits, from_excel_serial, parse_date};

fuzz_target!(|data: &[u8]| {
    if data.len() >= 8 {
        let serial = f64::from_le_bytes(data[..8].try_into().unwrap_or([0; 8]));
        for is_1904 in [false, true] {
            if let Ok(d) = from_excel_serial(serial, is_1904) {
                let first = if is_1904 {
                    (1904, 1, 1)
                } else {
                    (1899, 12, 30)
                };
                let first = NaiveDate::from_ymd_opt(first.0, first.1, first.2).unwrap_or_default();
                assert!(d >= first, "serial {serial} ({is_1904}) is {d}");
            }
        }
    }
    let text = String::from_utf8_lossy(data);
    for digits in [EraDigits::OneToFive, EraDigits::Odd] {
        if let Ok(parsed) = parse_date(&text, digits) {
            let iso = parsed.date.format("%Y-%m-%d").to_string();
            let again = parse_date(&iso, digits).expect("an ISO date parses");
            assert_eq!(again.date, parsed.date, "{text:?} -> {iso}");
            assert!(!again.era_ended);
        }
    }
});
