//! 保険者番号 (the 8-digit insurer number) and its check digit (検証番号).
//!
//! The 8th digit is a Luhn-style check digit over the first 7: weights 2, 1, 2, 1, …
//! from the right, the digits of each product added (16 → 1 + 6), and the check digit is
//! `(10 − sum mod 10) mod 10`. CE007 uses it on the national list's 保険者番号.

/// The check digit (検証番号) for the first 7 digits of a 保険者番号, or None unless
/// `first_7_digits` is exactly 7 ASCII digits. `0613999` → 2 (the sample fund's
/// `06139992`).
pub fn check_digit(first_7_digits: &str) -> Option<u8> {
    let b = first_7_digits.as_bytes();
    if b.len() != 7 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| {
            let digit = u32::from(c - b'0');
            // Rightmost digit doubled, then every other one.
            let product = if i % 2 == 0 { digit * 2 } else { digit };
            product / 10 + product % 10
        })
        .sum();
    // (10 − sum mod 10) mod 10 is in 0..=9.
    Some(((10 - sum % 10) % 10) as u8)
}

/// Whether a 保険者番号 is 8 ASCII digits (after NFKC and trimming, so full width is
/// accepted) whose last digit is the check digit of the first 7.
pub fn is_valid(text: &str) -> bool {
    let normal = super::text::nfkc_trim(text);
    let b = normal.as_bytes();
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    check_digit(&normal[..7]) == Some(b[7] - b'0')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spec_section_9_insurer_numbers() {
        let cases = [
            ("33120015", true),
            ("01130012", true),
            ("06130012", false),
            ("06139992", true), // the sample fund (さくら健康保険組合)
            ("０６１３９９９２", true),
            (" 06139992 ", true),
            ("06139993", false),
            ("0613999", false),
            ("061399920", false),
            ("0613999a", false),
            ("06-139992", false),
            ("", false),
            ("😀😀", false),
        ];
        for (input, want) in cases {
            assert_eq!(is_valid(input), want, "input {input:?}");
        }
    }

    #[test]
    fn check_digit_of_known_prefixes() {
        let cases = [
            ("3312001", Some(5)),
            ("0113001", Some(2)),
            ("0613001", Some(7)),
            ("0613999", Some(2)),
            ("0000000", Some(0)),
            ("9999999", Some(7)), // 4 doubled nines (digit sum 9 each) + 3 nines = 63
            ("061399", None),
            ("06139992", None),
            ("０６１３９９９", None), // callers normalize first
            ("061399a", None),
        ];
        for (input, want) in cases {
            assert_eq!(check_digit(input), want, "input {input:?}");
        }
    }

    fn to_text(digits: &[u8]) -> String {
        digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Luhn catches every single-digit error: doubling with digit sum permutes 0..9.
        #[test]
        fn every_single_digit_change_is_caught(prefix in proptest::collection::vec(0u8..10, 7)) {
            let check = check_digit(&to_text(&prefix)).expect("7 digits");
            let mut digits = prefix.clone();
            digits.push(check);
            prop_assert!(is_valid(&to_text(&digits)));
            for pos in 0..8 {
                for replacement in 0..10u8 {
                    if replacement == digits[pos] {
                        continue;
                    }
                    let mut changed = digits.clone();
                    changed[pos] = replacement;
                    prop_assert!(!is_valid(&to_text(&changed)), "{}", to_text(&changed));
                }
            }
        }

        /// Luhn catches every adjacent transposition except 09 ↔ 90: a doubled 9 has digit
        /// sum 9, a doubled 0 is 0, so both orders add 9. This is the algorithm's known
        /// blind spot, asserted exactly rather than skipped.
        #[test]
        fn every_adjacent_transposition_but_0_9_is_caught(prefix in proptest::collection::vec(0u8..10, 7)) {
            let check = check_digit(&to_text(&prefix)).expect("7 digits");
            let mut digits = prefix.clone();
            digits.push(check);
            for pos in 0..7 {
                let (a, b) = (digits[pos], digits[pos + 1]);
                if a == b {
                    continue;
                }
                let mut swapped = digits.clone();
                swapped.swap(pos, pos + 1);
                let escapes = (a.min(b), a.max(b)) == (0, 9);
                prop_assert_eq!(is_valid(&to_text(&swapped)), escapes, "{}", to_text(&swapped));
            }
        }
    }

    #[test]
    fn the_0_9_transposition_really_escapes() {
        // 09 in the middle of a valid number, swapped to 90, still validates.
        assert!(is_valid("10900009"));
        assert!(is_valid("19000009"));
        // … while 08 ↔ 80 does not.
        let prefix = "1080000";
        let check = check_digit(prefix).expect("7 digits");
        assert!(!is_valid(&format!("1800000{check}")));
    }
}
