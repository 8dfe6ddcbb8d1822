//! 個人番号 (My Number, SPEC §4.4): classifying raw values, the check digit (検査用数字),
//! and the one type through which a My Number may become printable.
//!
//! A full My Number is 特定個人情報 (番号法): it must never be printed, logged or written to
//! any output. [`MyNumber`] keeps the digits private; its `Display` and `Debug` show at most
//! the last 4 digits, and no public function hands the digits out.

use std::fmt;

/// The check digit (検査用数字) for the first 11 digits of a My Number, or None unless
/// `first_11_digits` is exactly 11 ASCII digits.
///
/// 行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 第8条:
/// with P(n) the nth of the first 11 digits counted from the right and Q(n) = n + 1 for
/// n ≤ 6, n − 5 for n ≥ 7, r = Σ P(n)·Q(n) mod 11; the check digit is 0 when r ≤ 1, else
/// 11 − r.
pub fn check_digit(first_11_digits: &str) -> Option<u8> {
    let b = first_11_digits.as_bytes();
    if b.len() != 11 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let r = remainder(b);
    Some(if r <= 1 { 0 } else { (11 - r) as u8 })
}

/// r = Σ P(n)·Q(n) mod 11 over 11 ASCII digits (the caller has checked them).
fn remainder(first_11: &[u8]) -> u32 {
    let sum: u32 = first_11
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| {
            let n = i as u32 + 1;
            let q = if n <= 6 { n + 1 } else { n - 5 };
            u32::from(c - b'0') * q
        })
        .sum();
    sum % 11
}

/// What a raw 個人番号 value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// 12 digits with a correct check digit.
    Valid,
    /// 12 digits whose check digit is wrong (MN003).
    BadCheckDigit,
    /// 4 digits: the last 4 only (下4桁), as the national registry holds them.
    Last4,
    /// Exponent or decimal text that Excel made of a number (`1.23457E+11`,
    /// `123456789012.0`): digits were lost; never guessed back (MN004).
    Mangled,
    /// Anything else non-blank: not 4 or 12 digits (MN004).
    Malformed,
}

/// Classify a raw value after NFKC and trimming (so full-width digits are accepted).
///
/// 12 digits: [`Kind::Valid`] or [`Kind::BadCheckDigit`]; 4 digits: [`Kind::Last4`];
/// exponent or decimal number text: [`Kind::Mangled`]; anything else: [`Kind::Malformed`].
/// Blank text is also `Malformed`: callers treat an empty cell as absent (not MN004)
/// before classifying. Digits written in groups (`1234 5678 9018`, `1234-5678-9018`) are
/// `Malformed`: SPEC §3 accepts 12 digits only, and the fund's exports write them so.
pub fn classify(text: &str) -> Kind {
    let normal = super::text::nfkc_trim(text);
    let b = normal.as_bytes();
    if !b.is_empty() && b.iter().all(u8::is_ascii_digit) {
        return match b.len() {
            12 => {
                if check_digit(&normal[..11]) == Some(b[11] - b'0') {
                    Kind::Valid
                } else {
                    Kind::BadCheckDigit
                }
            }
            4 => Kind::Last4,
            _ => Kind::Malformed,
        };
    }
    if is_excel_number_text(b) {
        Kind::Mangled
    } else {
        Kind::Malformed
    }
}

/// `digits[.digits][(e|E)[+|-]digits]` with a decimal point or an exponent: what a CSV
/// saved from Excel holds for a number cell (`1.23457E+11`, `123456789012.0`).
fn is_excel_number_text(b: &[u8]) -> bool {
    let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if int_len == 0 {
        return false;
    }
    let mut rest = &b[int_len..];
    let mut decimal_or_exponent = false;
    if let Some(after_point) = rest.strip_prefix(b".") {
        let frac_len = after_point
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        rest = &after_point[frac_len..];
        decimal_or_exponent = true;
    }
    if let Some(after_e) = rest.strip_prefix(b"e").or_else(|| rest.strip_prefix(b"E")) {
        let after_sign = after_e
            .strip_prefix(b"+")
            .or_else(|| after_e.strip_prefix(b"-"))
            .unwrap_or(after_e);
        let exp_len = after_sign.iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_len == 0 {
            return false;
        }
        rest = &after_sign[exp_len..];
        decimal_or_exponent = true;
    }
    rest.is_empty() && decimal_or_exponent
}

/// The last 4 digits of a My Number (個人番号下4桁): the only part that may be printed
/// (on 資格情報のお知らせ) or compared across sources (MN001, MN002).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Last4([u8; 4]);

impl Last4 {
    /// The 4 digits as text.
    pub fn as_str(&self) -> &str {
        // Built only from ASCII digits, so always UTF-8.
        std::str::from_utf8(&self.0).unwrap_or("????")
    }

    /// Read exactly 4 digits (after NFKC and trimming); anything else is None.
    pub fn parse(text: &str) -> Option<Last4> {
        let normal = super::text::nfkc_trim(text);
        let b: [u8; 4] = normal.as_bytes().try_into().ok()?;
        b.iter().all(u8::is_ascii_digit).then_some(Last4(b))
    }
}

impl fmt::Display for Last4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Last4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Last4({})", self.as_str())
    }
}

/// A parsed My Number (個人番号): all 12 digits, or the last 4 only.
///
/// The only way a My Number becomes printable: it holds the digits privately, and
/// `Display` and `Debug` show `********1234` (12 digits) or `1234` (last 4 only) — never
/// more than the last 4. Equality and hashing are over the digits, so two members sharing
/// a number can be found (MN006); the hash never leaves the process.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MyNumber {
    repr: Repr,
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    /// All 12 digits (ASCII) and whether the check digit holds.
    Full { digits: [u8; 12], check_ok: bool },
    /// The last 4 only.
    Last4(Last4),
}

impl MyNumber {
    /// Parse a raw value: Ok for 12 digits (valid or with a bad check digit, which
    /// [`MyNumber::kind`] tells) and for 4 digits; `Err(kind)` for
    /// [`Kind::Mangled`] and [`Kind::Malformed`].
    pub fn parse(text: &str) -> Result<MyNumber, Kind> {
        let kind = classify(text);
        let normal = super::text::nfkc_trim(text);
        let b = normal.as_bytes();
        let repr = match kind {
            Kind::Valid | Kind::BadCheckDigit => {
                let digits: [u8; 12] = b.try_into().map_err(|_| Kind::Malformed)?;
                Repr::Full {
                    digits,
                    check_ok: kind == Kind::Valid,
                }
            }
            Kind::Last4 => Repr::Last4(Last4::parse(&normal).ok_or(Kind::Malformed)?),
            Kind::Mangled | Kind::Malformed => return Err(kind),
        };
        Ok(MyNumber { repr })
    }

    /// [`Kind::Valid`], [`Kind::BadCheckDigit`] or [`Kind::Last4`].
    pub fn kind(&self) -> Kind {
        match self.repr {
            Repr::Full { check_ok: true, .. } => Kind::Valid,
            Repr::Full {
                check_ok: false, ..
            } => Kind::BadCheckDigit,
            Repr::Last4(_) => Kind::Last4,
        }
    }

    /// The last 4 digits (下4桁).
    pub fn last4(&self) -> Last4 {
        match self.repr {
            Repr::Full { digits, .. } => Last4([digits[8], digits[9], digits[10], digits[11]]),
            Repr::Last4(last4) => last4,
        }
    }

    /// True when all 12 digits are held (only those can be checked or shared: MN003, MN006).
    pub fn is_full(&self) -> bool {
        matches!(self.repr, Repr::Full { .. })
    }
}

impl fmt::Display for MyNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_full() {
            f.write_str("********")?;
        }
        f.write_str(self.last4().as_str())
    }
}

impl fmt::Debug for MyNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Same as Display: a derived Debug would print the digits.
        fmt::Display::fmt(self, f)
    }
}

/// Hide every digit of a 個人番号 cell but its last four, in place and at the same byte length:
/// an ASCII digit becomes `*`, a full-width one `＊`. What a source keeps of the number once it
/// is typed (the cell's text for rendering, never the number).
pub fn hide_in_place(cell: &mut [u8]) {
    const FULL_WIDTH_ZERO: [u8; 2] = [0xEF, 0xBC];
    // Positions (and byte lengths) of every digit, in order.
    let mut digits: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < cell.len() {
        if cell[i].is_ascii_digit() {
            digits.push((i, 1));
            i += 1;
        } else if cell[i..].starts_with(&FULL_WIDTH_ZERO)
            && cell.get(i + 2).is_some_and(|b| (0x90..=0x99).contains(b))
        {
            digits.push((i, 3));
            i += 3;
        } else {
            i += 1;
        }
    }
    let hide = digits.len().saturating_sub(4);
    for &(at, len) in &digits[..hide] {
        if len == 1 {
            cell[at] = b'*';
        } else {
            // ＊ is U+FF0A: EF BC 8A.
            cell[at + 2] = 0x8A;
        }
    }
}

/// [`hide_in_place`] on a copy.
pub fn hide_all_but_last4(cell: &str) -> String {
    let mut bytes = cell.as_bytes().to_vec();
    hide_in_place(&mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_keeps_only_the_last_four_digits_however_it_is_written() {
        let cases = [
            ("123456789018", "********9018"),
            ("1234 5678 9018", "**** **** 9018"),
            ("１２３４５６７８９０１８", "＊＊＊＊＊＊＊＊９０１８"),
            ("1234-5678-９０１８", "****-****-９０１８"),
            ("9018", "9018"),
            ("", ""),
            ("1.23457E+11", "*.***57E+11"),
        ];
        for (cell, hidden) in cases {
            assert_eq!(hide_all_but_last4(cell), hidden, "{cell}");
            assert_eq!(hide_all_but_last4(cell).len(), cell.len(), "{cell}");
        }
    }
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn spec_section_9_my_numbers() {
        let cases = [
            ("123456789018", Kind::Valid),
            ("621498320257", Kind::Valid),
            ("123456789010", Kind::BadCheckDigit),
            ("621498320258", Kind::BadCheckDigit),
            ("1.23457E+11", Kind::Mangled),
        ];
        for (input, want) in cases {
            assert_eq!(classify(input), want, "input {input:?}");
        }
    }

    #[test]
    fn classify_every_shape() {
        let cases = [
            ("１２３４５６７８９０１８", Kind::Valid),
            ("  123456789018\u{3000}", Kind::Valid),
            ("9018", Kind::Last4),
            ("０２５７", Kind::Last4),
            ("0000", Kind::Last4),
            ("1.23457e11", Kind::Mangled),
            ("1.23457E-11", Kind::Mangled),
            ("6.21498E+11", Kind::Mangled),
            ("123456789012.0", Kind::Mangled),
            ("123456789012.", Kind::Mangled),
            ("1E+11", Kind::Mangled),
            ("１．２３４５７Ｅ＋１１", Kind::Mangled),
            ("12345678901", Kind::Malformed),
            ("1234567890123", Kind::Malformed),
            ("123", Kind::Malformed),
            ("12345", Kind::Malformed),
            ("1234 5678 9018", Kind::Malformed),
            ("1234-5678-9018", Kind::Malformed),
            ("123,456,789,018", Kind::Malformed),
            ("-1.2E+11", Kind::Malformed),
            (".5", Kind::Malformed),
            ("1.2E", Kind::Malformed),
            ("1.2E+", Kind::Malformed),
            ("E+11", Kind::Malformed),
            ("12345678901x", Kind::Malformed),
            ("😀", Kind::Malformed),
            ("", Kind::Malformed),
            ("\u{3000}", Kind::Malformed),
        ];
        for (input, want) in cases {
            assert_eq!(classify(input), want, "input {input:?}");
        }
    }

    #[test]
    fn check_digit_needs_exactly_11_ascii_digits() {
        assert_eq!(check_digit("12345678901"), Some(8));
        assert_eq!(check_digit("62149832025"), Some(7));
        assert_eq!(check_digit("1234567890"), None);
        assert_eq!(check_digit("123456789018"), None);
        assert_eq!(check_digit("1234567890a"), None);
        assert_eq!(check_digit("１２３４５６７８９０１"), None);
        assert_eq!(check_digit(""), None);
    }

    #[test]
    fn display_and_debug_show_only_the_last_4() {
        for input in ["123456789018", "621498320257", "123456789010"] {
            let n = MyNumber::parse(input).expect("12 digits");
            let last4 = &input[8..];
            let shown = [
                format!("{n}"),
                format!("{n:?}"),
                format!("{n:#?}"),
                format!("{:?}", Some(&n)),
            ];
            for s in shown {
                let digits: String = s.chars().filter(char::is_ascii_digit).collect();
                assert_eq!(
                    digits, last4,
                    "{s:?} shows more than the last 4 of the number"
                );
            }
            assert_eq!(format!("{n}"), format!("********{last4}"));
            assert_eq!(n.last4().as_str(), last4);
            assert_eq!(format!("{}", n.last4()), last4);
            assert_eq!(format!("{:?}", n.last4()), format!("Last4({last4})"));
        }
        let short = MyNumber::parse("0257").expect("4 digits");
        assert_eq!(format!("{short}"), "0257");
        assert_eq!(format!("{short:?}"), "0257");
    }

    #[test]
    fn parse_keeps_kind_and_last4() {
        let valid = MyNumber::parse("１２３４５６７８９０１８").expect("valid");
        assert_eq!(valid.kind(), Kind::Valid);
        assert!(valid.is_full());
        assert_eq!(valid.last4(), Last4::parse("9018").expect("4 digits"));

        let bad = MyNumber::parse("123456789010").expect("bad check digit is still a number");
        assert_eq!(bad.kind(), Kind::BadCheckDigit);
        assert!(bad.is_full());

        let short = MyNumber::parse(" 9018 ").expect("last 4");
        assert_eq!(short.kind(), Kind::Last4);
        assert!(!short.is_full());
        assert_eq!(short.last4(), valid.last4());
        // Same last 4, but a last-4-only value is not the same number.
        assert_ne!(short, valid);

        assert_eq!(MyNumber::parse("1.23457E+11"), Err(Kind::Mangled));
        assert_eq!(MyNumber::parse("12345"), Err(Kind::Malformed));
        assert_eq!(MyNumber::parse(""), Err(Kind::Malformed));
    }

    #[test]
    fn equal_numbers_are_found_whatever_their_width() {
        let mut seen = HashSet::new();
        assert!(seen.insert(MyNumber::parse("123456789018").expect("valid")));
        assert!(!seen.insert(MyNumber::parse("１２３４５６７８９０１８").expect("valid")));
        assert!(seen.insert(MyNumber::parse("621498320257").expect("valid")));
        assert_eq!(seen.len(), 2);
    }

    #[test]
    fn last4_parse() {
        let cases = [
            ("1234", Some("1234")),
            ("０１２３", Some("0123")),
            (" 9018 ", Some("9018")),
            ("123", None),
            ("12345", None),
            ("12a4", None),
            ("", None),
            ("😀", None),
            ("１２３", None),
        ];
        for (input, want) in cases {
            assert_eq!(
                Last4::parse(input).as_ref().map(Last4::as_str),
                want,
                "input {input:?}"
            );
        }
    }

    /// A known escape: this number has r = 0 (check digit 0); changing its first digit
    /// from 0 to 2 gives r = 1, whose check digit is also 0.
    #[test]
    fn r_0_and_r_1_share_check_digit_0_so_one_change_escapes() {
        assert_eq!(classify("037000000370"), Kind::Valid);
        assert_eq!(remainder(b"03700000037"), 0);
        assert_eq!(classify("237000000370"), Kind::Valid);
        assert_eq!(remainder(b"23700000037"), 1);
    }

    // ---- property tests: what the check digit catches, exactly ----
    //
    // Write S = Σ P(n)·Q(n) + C (mod 11), the weighted sum with the check digit C at
    // weight 1. The weights 1, 2, …, 7, 2, …, 6 are non-zero mod 11 and neighbours differ
    // (by 1, or by 5 between Q(6) = 7 and Q(7) = 2), so every single-digit change and
    // every adjacent transposition of distinct digits changes S. A number is valid iff
    // S ≡ 0, or r = 1 and C = 0 (then S ≡ 1: the law maps r ≤ 1 to 0, not r = 1 to 10).
    // So an error escapes exactly when one side of it is such an "r = 1" number and the
    // other has S ≡ 0. The tests below assert that characterisation, not a weaker one.

    fn digits_text(d: &[u8]) -> String {
        d.iter().map(|x| char::from(b'0' + x)).collect()
    }

    fn weighted_sum(d: &[u8; 12]) -> u32 {
        let first: Vec<u8> = d[..11].iter().map(|x| b'0' + x).collect();
        (remainder(&first) + u32::from(d[11])) % 11
    }

    fn is_r1_exception(d: &[u8; 12]) -> bool {
        let first: Vec<u8> = d[..11].iter().map(|x| b'0' + x).collect();
        remainder(&first) == 1 && d[11] == 0
    }

    fn valid_number(prefix: &[u8]) -> [u8; 12] {
        let mut d = [0u8; 12];
        d[..11].copy_from_slice(prefix);
        d[11] = check_digit(&digits_text(prefix)).expect("11 digits");
        d
    }

    fn assert_escape_rule(orig: &[u8; 12], corrupt: &[u8; 12]) -> Result<(), TestCaseError> {
        prop_assert_ne!(weighted_sum(orig), weighted_sum(corrupt));
        let escaped = classify(&digits_text(corrupt)) == Kind::Valid;
        let predicted = match (is_r1_exception(orig), is_r1_exception(corrupt)) {
            (false, false) => false,
            (false, true) => true,
            (true, false) => weighted_sum(corrupt) == 0,
            // Both r = 1 with C = 0 would mean equal S: excluded by the assertion above.
            (true, true) => unreachable!("equal weighted sums"),
        };
        prop_assert_eq!(
            escaped,
            predicted,
            "{} -> {}",
            digits_text(orig),
            digits_text(corrupt)
        );
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn single_digit_changes_escape_only_through_r_1(prefix in proptest::collection::vec(0u8..10, 11)) {
            let orig = valid_number(&prefix);
            prop_assert_eq!(classify(&digits_text(&orig)), Kind::Valid);
            for pos in 0..12 {
                for replacement in 0..10u8 {
                    if replacement == orig[pos] {
                        continue;
                    }
                    let mut corrupt = orig;
                    corrupt[pos] = replacement;
                    assert_escape_rule(&orig, &corrupt)?;
                    // A change to the check digit itself is always caught.
                    if pos == 11 {
                        prop_assert_eq!(classify(&digits_text(&corrupt)), Kind::BadCheckDigit);
                    }
                }
            }
        }

        #[test]
        fn adjacent_transpositions_escape_only_through_r_1(prefix in proptest::collection::vec(0u8..10, 11)) {
            let orig = valid_number(&prefix);
            for pos in 0..11 {
                if orig[pos] == orig[pos + 1] {
                    continue;
                }
                let mut corrupt = orig;
                corrupt.swap(pos, pos + 1);
                assert_escape_rule(&orig, &corrupt)?;
            }
        }

        #[test]
        fn display_of_any_number_shows_at_most_its_last_4(digits in "[0-9]{12}") {
            let n = MyNumber::parse(&digits).expect("12 digits");
            for shown in [format!("{n}"), format!("{n:?}")] {
                prop_assert!(!shown.contains(&digits[..8]));
                let visible: String = shown.chars().filter(char::is_ascii_digit).collect();
                prop_assert_eq!(visible.as_str(), &digits[8..]);
            }
        }
    }
}
