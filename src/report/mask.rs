//! The last line of defence for 特定個人情報: every My Number that text shown to anyone could
//! hold is masked to its last 4 digits, however it was written.
//!
//! Careless exports write a My Number as `2718 5436 5090`, `2718-5541-2385`,
//! `２７１８－５４３６－５０９０`, or in a number-formatted cell `271,854,365,090`. So a
//! *written number* here is a run of digits in any script (ASCII, full-width, any Unicode
//! digit) with up to [`MAX_GAP`] separator characters between two digits; one holding 12 or
//! more digits has every digit but its last 4 masked. What separates digits depends on where
//! the text came from:
//!
//! - running text (a message, a rendered row, an error): spaces (ASCII, full-width, no-break),
//!   hyphens and every Japanese dash (`-‐‑‒–—―−ー－ｰ﹣`) and dots. Commas and slashes are not
//!   separators there: they separate CSV fields and dates, and joining them would mask whole
//!   rows. Text inside `「…」` is a quoted cell and is read as a cell.
//! - one cell's own text ([`mask_cell`]): anything that is not a letter, so commas,
//!   slashes, brackets and tabs join digits too.
//!
//! What is left unmasked, and why: a group of fewer than 12 digits cannot be a My Number (a
//! date has 8, a phone number 10–11); and in a message, a member key (`記号-番号-枝番`, or a
//! household's `記号-番号`) that is one of the input's own keys, none of whose parts holds 12
//! digits ([`mask_message`]): it names the fund's own record, which staff must find. Keys
//! themselves are masked part by part ([`mask_key`]: a 番号 of 12 digits is hidden).
//! Everything else with 12 digits is masked, even a number that is not a My Number: a false
//! mask costs a look at the file, a false pass cannot be undone.
//!
//! Masking keeps every byte length (an ASCII digit becomes `*`, a three-byte one `＊`, any
//! other that many `*`), so spans into the text stay valid.

use std::borrow::Cow;

const KEEP: usize = 4;
const MIN_DIGITS: usize = 12;
/// Separator characters allowed between two digits of one written number (`2718 - 5436`).
const MAX_GAP: usize = 3;

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// What may stand between the digit groups of one number in running text.
fn is_text_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{A0}' | '\u{3000}' | '-' | '.' | '\u{FF0E}' | '\u{2010}'
            ..='\u{2015}'
                | '\u{2043}'
                | '\u{2212}'
                | '\u{30FC}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}'
                | '\u{FF70}'
    )
}

/// Within one cell anything that is not a letter may: `271,854,365,090`, `(2718)5436/5090`;
/// and what may in running text: `ー` and `ｰ` (the prolonged sound mark, typed as a dash in
/// `2718ー5436ー5090`) are letters to Unicode (found by the fuzzer: a sheet so named reached
/// findings.json and the report whole).
fn is_cell_separator(c: char) -> bool {
    !c.is_alphanumeric() || is_text_separator(c)
}

/// Is this text one of the input's member keys? (None: nothing is.)
pub type IsKey<'k> = Option<&'k dyn Fn(&str) -> bool>;

/// One written number being scanned: byte offsets of its digits, and the separators since
/// the last one.
#[derive(Default)]
struct Group {
    digits: Vec<(usize, usize)>,
    gap: usize,
}

impl Group {
    /// Close the group: its digits to mask, when it is a written number of 12 or more (and not
    /// one of the input's keys, in running text). `text` is what offsets count from.
    fn close(&mut self, text: &str, base: usize, is_key: IsKey, marks: &mut Vec<(usize, usize)>) {
        if self.digits.len() >= MIN_DIGITS {
            let (first, last) = (self.digits[0], self.digits[self.digits.len() - 1]);
            let a_key = is_key.is_some_and(|k| {
                let written = &text[first.0 - base..last.0 + last.1 - base];
                k(written) && mask_key(written) == written
            });
            if !a_key {
                marks.extend_from_slice(&self.digits[..self.digits.len() - KEEP]);
            }
        }
        *self = Group::default();
    }
}

/// Mark the digits to mask in `text` (offsets relative to `base`).
fn mark(
    text: &str,
    base: usize,
    is_separator: fn(char) -> bool,
    is_key: IsKey,
    marks: &mut Vec<(usize, usize)>,
) {
    let mut g = Group::default();
    for (i, c) in text.char_indices() {
        if is_digit(c) {
            g.digits.push((base + i, c.len_utf8()));
            g.gap = 0;
        } else if !g.digits.is_empty() && is_separator(c) && g.gap < MAX_GAP {
            g.gap += 1;
        } else {
            g.close(text, base, is_key, marks);
        }
    }
    g.close(text, base, is_key, marks);
}

/// Fewer than 12 digits in all: nothing to look at (most messages and rows).
fn too_few_digits(text: &str) -> bool {
    let mut n = 0;
    for c in text.chars() {
        if is_digit(c) {
            n += 1;
            if n >= MIN_DIGITS {
                return false;
            }
        }
    }
    true
}

fn apply(text: &str, mut marks: Vec<(usize, usize)>) -> Cow<'_, str> {
    if marks.is_empty() {
        return Cow::Borrowed(text);
    }
    marks.sort_unstable();
    marks.dedup();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, len) in marks {
        out.push_str(&text[at..start]);
        match len {
            1 => out.push('*'),
            3 => out.push('＊'),
            n => out.extend(std::iter::repeat_n('*', n)),
        }
        at = start + len;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// Running text: a label, a rendered row, an error, an `inspect` line. Inside `「…」` (how
/// shikaku quotes a cell) the cell rules apply.
pub fn mask_digit_runs(text: &str) -> Cow<'_, str> {
    mask_message(text, None)
}

/// A message: as [`mask_digit_runs`], except that one of the input's own member keys (as
/// `is_key` says) is left as written when none of its parts could be a My Number.
pub fn mask_message<'t>(text: &'t str, is_key: IsKey) -> Cow<'t, str> {
    if too_few_digits(text) {
        return Cow::Borrowed(text);
    }
    let mut marks = Vec::new();
    mark(text, 0, is_text_separator, is_key, &mut marks);
    let mut rest = 0;
    while let Some(open) = text[rest..].find('「') {
        let start = rest + open + '「'.len_utf8();
        let end = text[start..].find('」').map_or(text.len(), |e| start + e);
        mark(
            &text[start..end],
            start,
            is_cell_separator,
            None,
            &mut marks,
        );
        rest = end;
    }
    apply(text, marks)
}

/// One cell's own text (a value as read, a header, a sheet name).
pub fn mask_cell(text: &str) -> Cow<'_, str> {
    if too_few_digits(text) {
        return Cow::Borrowed(text);
    }
    let mut marks = Vec::new();
    mark(text, 0, is_cell_separator, None, &mut marks);
    apply(text, marks)
}

/// A member key `記号-番号-枝番`: each part is a cell of its own (記号 may itself hold `-`),
/// masked when it alone holds 12 digits.
pub fn mask_key(key: &str) -> Cow<'_, str> {
    if too_few_digits(key) {
        return Cow::Borrowed(key);
    }
    // 番号 and 枝番 never hold `-`: split them off the right; the rest is 記号.
    let mut parts = key.rsplitn(3, '-');
    let (branch, number) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let symbol = parts.next().unwrap_or("");
    let mut marks = Vec::new();
    for part in [symbol, number, branch]
        .into_iter()
        .filter(|p| !p.is_empty())
    {
        // Where the part starts in the key (a key without two `-` has fewer parts).
        let at = part.as_ptr() as usize - key.as_ptr() as usize;
        mark(part, at, is_cell_separator, None, &mut marks);
    }
    apply(key, marks)
}

/// A CSV record as read: each field masked as a cell, then the line as running text.
pub fn mask_record(record: &str) -> Cow<'_, str> {
    if too_few_digits(record) {
        return Cow::Borrowed(record);
    }
    let mut spans = Vec::new();
    crate::ingest::csv::Records::new(record).next_into(&mut spans);
    let mut marks = Vec::new();
    for s in &spans {
        mark(
            &record[s.start..s.end],
            s.start,
            is_cell_separator,
            None,
            &mut marks,
        );
    }
    mark(record, 0, is_text_separator, None, &mut marks);
    apply(record, marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_digit_runs_keep_only_their_last_four() {
        assert_eq!(mask_digit_runs("a,123456789018,b"), "a,********9018,b");
        assert_eq!(
            mask_digit_runs("１２３４５６７８９０１８"),
            "＊＊＊＊＊＊＊＊９０１８"
        );
        assert_eq!(mask_digit_runs("12345678901234"), "**********1234");
    }

    #[test]
    fn every_written_form_of_twelve_digits_is_masked_in_running_text() {
        let cases = [
            ("2718 5436 5090", "**** **** 5090"),
            ("2718-5541-2385", "****-****-2385"),
            (
                "２７１８－５４３６－５０９０",
                "＊＊＊＊－＊＊＊＊－５０９０",
            ),
            ("2718ー5436ー5090", "****ー****ー5090"),
            ("2718‐5436−5090―1234", "****‐****−****―1234"),
            ("2718　5436　5090", "****　****　5090"),
            ("2718 - 5436 - 5090", "**** - **** - 5090"),
            ("27１8 5436-5０90", "**＊* ****-5０90"),
            ("2718.5436.5090", "****.****.5090"),
            ("x 271854365090 y", "x ********5090 y"),
            (
                "個人番号 2718 5436 5090 です",
                "個人番号 **** **** 5090 です",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(mask_digit_runs(text), want, "{text}");
        }
    }

    #[test]
    fn what_cannot_be_a_my_number_is_left_alone_in_running_text() {
        for s in [
            "1001,12,00",
            "19540801",
            "2024-08-31",
            "03-1234-5678",
            "090-1234-5678",
            "12345678901",
            "0600001",
            "1001,123,00,2024-08-31,1234",
            "recorded for 1001-1234-00, 8765-4321-00",
            // Separated by more than a few characters: not one number.
            "1234    5678    9012",
            "rows 1234, 5678, 9012",
        ] {
            assert_eq!(mask_digit_runs(s), s, "{s}");
        }
    }

    #[test]
    fn a_message_names_the_input_s_own_long_keys_and_masks_any_other_long_number() {
        let keys = |k: &str| {
            [
                "12345678-1234567-00",
                "12345678-1234567",
                "1001-271854365090-00",
            ]
            .contains(&k)
        };
        let is_key: IsKey = Some(&keys);
        let m =
            "the same 個人番号 is recorded for 12345678-1234567-00 (household 12345678-1234567)";
        assert_eq!(mask_message(m, is_key), m);
        // Not a key of the input, or a key whose 番号 is itself 12 digits: masked.
        assert_eq!(
            mask_message("for 12345678-1234568-00", is_key),
            "for ********-*****68-00"
        );
        assert_eq!(
            mask_message("for 1001-271854365090-00", is_key),
            "for ****-**********90-00"
        );
        assert_eq!(
            mask_digit_runs(m),
            "the same 個人番号 is recorded for ********-*****67-00 (household ********-***4567)"
        );
    }

    #[test]
    fn a_quoted_cell_in_a_message_is_masked_as_a_cell() {
        assert_eq!(
            mask_digit_runs("生年月日 「141,421,356,230」 is not a date"),
            "生年月日 「***,***,**6,230」 is not a date"
        );
        assert_eq!(
            mask_digit_runs("「1,2」 and 「3,4」"),
            "「1,2」 and 「3,4」"
        );
    }

    #[test]
    fn a_cell_joins_digits_across_any_punctuation() {
        let cases = [
            ("141,421,356,230", "***,***,**6,230"),
            ("(2718)5436/5090", "(****)****/5090"),
            ("2718\t5436\t5090", "****\t****\t5090"),
            ("12345678-1234-00", "********-**34-00"),
            // The prolonged sound mark typed as a dash (found by the fuzzer).
            ("2718ー5436ー5090", "****ー****ー5090"),
            ("4123ー11111111", "****ー****1111"),
            ("4123ｰ11111111", "****ｰ****1111"),
        ];
        for (text, want) in cases {
            assert_eq!(mask_cell(text), want, "{text}");
        }
        for s in ["280,000円", "2024/08/31", "03-1234-5678", "東京都1-2-3"] {
            assert_eq!(mask_cell(s), s, "{s}");
        }
    }

    #[test]
    fn a_key_is_masked_only_where_a_part_could_hold_a_my_number() {
        assert_eq!(mask_key("1001-123-00"), "1001-123-00");
        assert_eq!(mask_key("12345678-1234567-00"), "12345678-1234567-00");
        assert_eq!(mask_key("1001-271854365090-00"), "1001-********5090-00");
        // A My Number with its hyphens typed into 記号.
        assert_eq!(mask_key("2718-5436-5090-1-00"), "****-****-5090-1-00");
        // Fewer than three parts (found by the fuzzer: the offsets were the three-part ones).
        assert_eq!(
            mask_key("２２２２２２２２２２２２"),
            "＊＊＊＊＊＊＊＊２２２２"
        );
        assert_eq!(mask_key("1-271854365090"), "1-********5090");
    }

    /// Inputs the fuzzer found (fuzz/ target `values`), committed under tests/fixtures/fuzz/.
    #[test]
    fn fuzz_finds_mask_without_panicking_and_keep_byte_lengths() {
        let found = [include_str!(
            "../../tests/fixtures/fuzz/values-mask-key-without-hyphens.txt"
        )];
        for text in found {
            for masked in [
                mask_key(text),
                mask_cell(text),
                mask_digit_runs(text),
                mask_record(text),
            ] {
                assert_eq!(masked.len(), text.len(), "{text:?}");
                assert!(
                    masked.contains("５０９０") && !masked.contains("２７１８"),
                    "{masked}"
                );
            }
        }
    }

    #[test]
    fn a_record_masks_each_field_as_a_cell() {
        assert_eq!(
            mask_record("1001,5,00,\"141,421,356,230\",1980-01-01"),
            "1001,5,00,\"***,***,**6,230\",1980-01-01"
        );
        assert_eq!(
            mask_record("1001,1,00,2718 5436 5090"),
            "1001,1,00,**** **** 5090"
        );
        let row = "1001,1,00,山田,1980-01-01,2024-08-31";
        assert_eq!(mask_record(row), row);
    }

    #[test]
    fn byte_lengths_are_preserved() {
        for s in [
            "x123456789018y",
            "１２３４５６７８９０１８",
            "２７１８－５４３６－５０９０",
            "\u{0662}\u{0667}\u{0661}\u{0668}\u{0665}\u{0664}\u{0663}\u{0666}\u{0665}\u{0660}\u{0669}\u{0660}",
        ] {
            let m = mask_digit_runs(s);
            assert_eq!(m.len(), s.len(), "{s}");
            assert_ne!(m, s, "{s}");
        }
    }
}
