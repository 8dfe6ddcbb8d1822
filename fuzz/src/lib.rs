//! What the fuzz targets share: the invariants they check.

use std::collections::HashSet;

/// Separators people put between the digit groups of one number in running text: a subset of
/// what shikaku's mask joins, so every number this finds is one the mask should have masked.
const BETWEEN: &[char] = &[
    ' ', '\u{3000}', '-', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}',
    '\u{2212}', '\u{30FC}', '\u{FF0D}',
];

fn digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The first written number of 12 or more digits in `text` (ASCII or full-width digits, up
/// to 3 of [`BETWEEN`] between two of them) that is not one of `keys`, as written.
pub fn twelve_digits<'t>(text: &'t str, keys: &HashSet<String>) -> Option<&'t str> {
    let mut start = None;
    let mut end = 0;
    let mut digits = 0;
    let mut gap = 0;
    let close = |start: &mut Option<usize>, end: usize, digits: &mut usize| {
        let found = match *start {
            Some(s) if *digits >= 12 && !keys.contains(&text[s..end]) => Some(&text[s..end]),
            _ => None,
        };
        *start = None;
        *digits = 0;
        found
    };
    for (i, c) in text.char_indices() {
        if digit(c) {
            start.get_or_insert(i);
            end = i + c.len_utf8();
            digits += 1;
            gap = 0;
        } else if start.is_some() && gap < 3 && BETWEEN.contains(&c) {
            gap += 1;
        } else if let Some(found) = close(&mut start, end, &mut digits) {
            return Some(found);
        } else {
            gap = 0;
        }
    }
    close(&mut start, end, &mut digits)
}

/// Panic (a fuzz failure) when `text` holds a written number of 12 digits.
pub fn assert_masked(what: &str, text: &str, keys: &HashSet<String>) {
    if let Some(found) = twelve_digits(text, keys) {
        panic!("{what} holds 12 digits: {found:?}");
    }
}

/// Panic when a string of a parsed JSON document (a key or a value, at any depth) holds a
/// written number of 12 digits.
pub fn assert_json_masked(what: &str, value: &serde_json::Value, keys: &HashSet<String>) {
    match value {
        serde_json::Value::String(s) => assert_masked(what, s, keys),
        serde_json::Value::Array(items) => {
            for item in items {
                assert_json_masked(what, item, keys);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                assert_masked(what, k, keys);
                assert_json_masked(what, v, keys);
            }
        }
        _ => {}
    }
}

/// Panic when `text` holds a character a terminal would act on (escape sequences, bidi).
pub fn assert_printable(what: &str, text: &str) {
    let bad = text.chars().find(|c| {
        (c.is_control() && *c != '\n' && *c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    });
    if let Some(c) = bad {
        panic!("{what} holds {c:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_numbers_are_found_and_keys_are_not() {
        let none = HashSet::new();
        assert_eq!(
            twelve_digits("a 2718 5436 5090 b", &none),
            Some("2718 5436 5090")
        );
        assert_eq!(
            twelve_digits("２７１８－５４３６－５０９０", &none).is_some(),
            true
        );
        assert_eq!(twelve_digits("2024-08-31 and 03-1234-5678", &none), None);
        let keys: HashSet<String> = ["12345678-1234567-00".to_string()].into();
        assert_eq!(twelve_digits("for 12345678-1234567-00.", &keys), None);
    }

    #[test]
    fn a_json_escape_is_not_digits_of_the_data_but_a_number_inside_a_string_is() {
        let none = HashSet::new();
        let escaped: serde_json::Value =
            serde_json::from_str(r#"{"message":"「**********8888\u000488888888」"}"#).unwrap();
        assert_json_masked("escaped", &escaped, &none);
        let nested: serde_json::Value =
            serde_json::from_str(r#"{"a":[{"b":"x 2718 5436 5090"}]}"#).unwrap();
        let leak = std::panic::catch_unwind(|| assert_json_masked("nested", &nested, &none));
        assert!(leak.is_err());
    }
}
