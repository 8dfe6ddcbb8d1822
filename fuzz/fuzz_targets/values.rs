//! Target 4: every value parser of `prepare` and `domain` on arbitrary text, and the text
//! transforms every output goes through (the My Number mask, the terminal filter, clipping).
//!
//! Asserts: no panic; each parser's answer is well-formed (a valid My Number is 12 digits
//! with its check digit, a postal code 7 digits, 標準報酬月額 not negative); masking keeps
//! byte lengths and leaves no 12-digit number in one cell's text; the terminal filter keeps
//! byte lengths and leaves nothing a terminal acts on; a clipped row still underlines a real
//! span of what it shows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shikaku::config::Columns;
use shikaku::domain::my_number::{self, Kind};
use shikaku::domain::postal::{self, PostalCode};
use shikaku::domain::{cp932, insurer_no, share_ratio::ShareRatio, text};
use shikaku::prepare::values;
use shikaku::report::{mask, printable, snippet};
use std::collections::HashSet;
use std::sync::OnceLock;

fn columns() -> &'static Columns {
    static COLUMNS: OnceLock<Columns> = OnceLock::new();
    COLUMNS.get_or_init(Columns::builtin)
}

fn parsers(raw: &str) {
    let v = text::nfkc_trim(raw);
    let _ = (
        values::sex(&v),
        values::flag(&v),
        values::member_type(&v),
        values::cp932_len(&v),
    );
    if let Some(n) = values::remuneration(&v) {
        assert!(n >= 0, "{raw:?} -> {n}");
    }
    match my_number::classify(raw) {
        Kind::Valid | Kind::BadCheckDigit => assert_eq!(v.len(), 12, "{raw:?}"),
        Kind::Last4 => assert_eq!(v.len(), 4, "{raw:?}"),
        _ => {}
    }
    if let PostalCode::Valid(code) | PostalCode::Padded(code) = postal::normalize(raw) {
        assert!(
            code.len() == 7 && code.bytes().all(|b| b.is_ascii_digit()),
            "{raw:?} -> {code}"
        );
    }
    let _ = ShareRatio::parse(raw);
    let _ = insurer_no::is_valid(raw);
    let _ = columns().relationship(&v);
    let _ = (
        text::fold_name(raw),
        text::fold_address(raw),
        text::is_blank(raw),
    );
    let _ = cp932::encode(raw);
}

fn transforms(raw: &str) {
    for masked in [
        mask::mask_digit_runs(raw),
        mask::mask_cell(raw),
        mask::mask_key(raw),
        mask::mask_record(raw),
    ] {
        assert_eq!(masked.len(), raw.len(), "{raw:?}");
    }
    shikaku_fuzz::assert_masked("a masked cell", &mask::mask_cell(raw), &HashSet::new());
    shikaku_fuzz::assert_masked("masked text", &mask::mask_digit_runs(raw), &HashSet::new());
    let shown = printable::printable(raw);
    assert_eq!(shown.len(), raw.len());
    shikaku_fuzz::assert_printable("printable text", &shown);
    let _ = snippet::clip(raw, snippet::MAX_FIELD_CHARS);
    let mut spans = Vec::new();
    shikaku::ingest::csv::Records::new(raw).next_into(&mut spans);
    let target = spans.len().checked_sub(1);
    let (fitted, cell) = snippet::fit(raw, &spans, target);
    if let Some((start, len)) = cell {
        assert!(
            fitted.get(start..start + len).is_some(),
            "{raw:?}: {start}+{len} in {fitted:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    parsers(&raw);
    transforms(&raw);
});
