//! CP932 (Windows Shift_JIS) for the lists the fund's staff open in Excel (SPEC §6).
//!
//! `encoding_rs::SHIFT_JIS` is CP932 with the NEC and IBM extensions, but two gaps remain
//! between what our text holds and what it will encode:
//! - characters that Unicode→Shift_JIS converters of other vendors produce for the same
//!   JIS cell (〜 U+301C where Windows has ～ U+FF5E, and friends): [`fold`] maps them to
//!   the code points CP932 uses, so staff see the character they typed;
//! - 外字 (the user-defined area, bytes F040–F9FC) decodes to U+E000–U+E757 but does not
//!   encode back: [`encode`] writes those bytes itself, so a 外字 read from an input
//!   survives into a list.
//!
//! Anything else that CP932 cannot hold is an error, never a `?` or `&#…;`.

use std::borrow::Cow;
use std::fmt;

use encoding_rs::{EncoderResult, SHIFT_JIS};

/// The CP932 code point for a character another converter would have produced.
fn folded(c: char) -> Option<char> {
    match c {
        '\u{301C}' => Some('\u{FF5E}'), // 〜 WAVE DASH → ～ FULLWIDTH TILDE (81 60)
        '\u{2212}' => Some('\u{FF0D}'), // − MINUS SIGN → － FULLWIDTH HYPHEN-MINUS (81 7C)
        '\u{2016}' => Some('\u{2225}'), // ‖ DOUBLE VERTICAL LINE → ∥ PARALLEL TO (81 61)
        '\u{00A2}' => Some('\u{FFE0}'), // ¢ → ￠ (81 91)
        '\u{00A3}' => Some('\u{FFE1}'), // £ → ￡ (81 92)
        '\u{00AC}' => Some('\u{FFE2}'), // ¬ → ￢ (81 CA)
        '\u{2014}' => Some('\u{2015}'), // — EM DASH → ― HORIZONTAL BAR (81 5C)
        _ => None,
    }
}

/// Fold the known Unicode↔CP932 mapping differences before encoding (SPEC §6):
/// U+301C 〜 → U+FF5E, U+2212 − → U+FF0D, U+2016 ‖ → U+2225,
/// U+00A2/U+00A3/U+00AC → U+FFE0/U+FFE1/U+FFE2, U+2014 — → U+2015.
///
/// Borrows the input when there is nothing to fold.
pub fn fold(text: &str) -> Cow<'_, str> {
    let Some((first, _)) = text.char_indices().find(|&(_, c)| folded(c).is_some()) else {
        return Cow::Borrowed(text);
    };
    // `first` comes from char_indices, so it is a char boundary.
    let (clean, rest) = text.split_at(first);
    let mut out = String::with_capacity(text.len());
    out.push_str(clean);
    out.extend(rest.chars().map(|c| folded(c).unwrap_or(c)));
    Cow::Owned(out)
}

/// Characters that CP932 cannot represent, even after [`fold`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unencodable {
    /// Distinct characters, in order of first appearance.
    pub chars: Vec<char>,
}

impl fmt::Display for Unencodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}",
            crate::tr!(
                "CP932 で表せない文字があります：{}",
                "not representable in CP932: {}";
                describe_chars(&self.chars)
            )
        )
    }
}

impl std::error::Error for Unencodable {}

/// `𠮷 (U+20BB7), 😀 (U+1F600)`: the code point matters because the offending character
/// is often invisible (a variation selector after a 人名漢字, a zero-width space).
pub fn describe_chars(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| format!("{c} (U+{:04X})", u32::from(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The 外字 bytes for a code point in U+E000..=U+E757, the inverse of what encoding_rs
/// decodes F040..F9FC to: 188 code points per lead byte F0..F9, trail bytes 40..7E then
/// 80..FC (7F is not a trail byte).
fn user_defined_bytes(c: char) -> Option<[u8; 2]> {
    let offset = u32::from(c).checked_sub(0xE000)?;
    if offset > 0x757 {
        return None;
    }
    let lead = 0xF0 + offset / 188;
    let cell = offset % 188;
    let trail = if cell < 0x3F {
        0x40 + cell
    } else {
        0x41 + cell
    };
    // Both are below 0x100 by construction (lead ≤ 0xF9, trail ≤ 0xFC).
    Some([u8::try_from(lead).ok()?, u8::try_from(trail).ok()?])
}

/// Encode as CP932: [`fold`], map U+E000..=U+E757 back to the user-defined area bytes
/// F040..F9FC (encoding_rs decodes those bytes to PUA but will not encode them), then
/// `encoding_rs::SHIFT_JIS`.
///
/// A character that still cannot be encoded is an error naming every such character —
/// never a `?` or `&#…;` (what encoding_rs's replacing encoder would write).
pub fn encode(text: &str) -> Result<Vec<u8>, Unencodable> {
    // Most cells are codes, dates and digits: ASCII is CP932 byte for byte.
    if text.is_ascii() {
        return Ok(text.as_bytes().to_vec());
    }
    let text = fold(text);
    let mut encoder = SHIFT_JIS.new_encoder();
    let mut out = Vec::new();
    let mut bad: Vec<char> = Vec::new();
    let mut rest: &str = &text;
    loop {
        // Reserve the encoder's worst case for what is left, so OutputFull cannot repeat.
        let need = encoder
            .max_buffer_length_from_utf8_without_replacement(rest.len())
            .unwrap_or_else(|| rest.len().saturating_mul(2));
        out.reserve(need);
        // The non-replacing API stops at each unmappable character and names it, which
        // is what we need both for 外字 and for the error; the Shift_JIS encoder keeps no
        // state between characters, so it can simply continue afterwards.
        let (result, read) =
            encoder.encode_from_utf8_to_vec_without_replacement(rest, &mut out, true);
        rest = rest.get(read..).unwrap_or_default();
        match result {
            EncoderResult::InputEmpty => break,
            EncoderResult::OutputFull => {}
            EncoderResult::Unmappable(c) => match user_defined_bytes(c) {
                Some(bytes) => out.extend_from_slice(&bytes),
                None if bad.contains(&c) => {}
                None => bad.push(c),
            },
        }
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(Unencodable { chars: bad })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> String {
        let (text, _, had_errors) = SHIFT_JIS.decode(bytes);
        assert!(!had_errors, "{bytes:02X?} should decode");
        text.into_owned()
    }

    #[test]
    fn wave_dash_is_written_as_81_60() {
        assert_eq!(encode("\u{301C}"), Ok(vec![0x81, 0x60]));
        assert_eq!(encode("\u{FF5E}"), Ok(vec![0x81, 0x60]));
    }

    #[test]
    fn every_folded_character_encodes_to_its_windows_cell() {
        let cases = [
            ('\u{301C}', [0x81, 0x60]),
            ('\u{2212}', [0x81, 0x7C]),
            ('\u{2016}', [0x81, 0x61]),
            ('\u{00A2}', [0x81, 0x91]),
            ('\u{00A3}', [0x81, 0x92]),
            ('\u{00AC}', [0x81, 0xCA]),
            ('\u{2014}', [0x81, 0x5C]),
        ];
        for (c, bytes) in cases {
            let folded_to = folded(c).expect("listed in the fold table");
            assert_eq!(encode(&c.to_string()), Ok(bytes.to_vec()), "{c:?}");
            // And the file reads back as the folded character, not something else.
            assert_eq!(decode(&bytes), folded_to.to_string(), "{c:?}");
        }
    }

    #[test]
    fn fold_borrows_when_nothing_changes() {
        assert!(matches!(fold("山田　太郎 ～"), Cow::Borrowed(_)));
        assert!(matches!(fold(""), Cow::Borrowed(_)));
    }

    #[test]
    fn fold_replaces_only_the_listed_characters() {
        let folded = fold("1〜3−5 ‖¢£¬— 山田");
        assert!(matches!(folded, Cow::Owned(_)));
        assert_eq!(folded, "1～3－5 ∥￠￡￢― 山田");
    }

    #[test]
    fn circled_one_round_trips_through_87_40() {
        assert_eq!(decode(&[0x87, 0x40]), "①");
        assert_eq!(encode("①"), Ok(vec![0x87, 0x40]));
    }

    #[test]
    fn taka_with_ladder_encodes() {
        // 髙 (はしごだか) is an IBM extension: encoding_rs writes the IBM code FB FC.
        let bytes = encode("髙").expect("髙 is in CP932");
        assert_eq!(bytes, vec![0xFB, 0xFC]);
        assert_eq!(decode(&bytes), "髙");
    }

    #[test]
    fn yoshi_with_tsuchi_is_an_error_naming_it() {
        assert_eq!(
            encode("𠮷野家"),
            Err(Unencodable {
                chars: vec!['𠮷']
            })
        );
    }

    #[test]
    fn emoji_is_an_error_naming_it() {
        assert_eq!(
            encode("山田😀"),
            Err(Unencodable {
                chars: vec!['😀']
            })
        );
    }

    #[test]
    fn several_bad_characters_are_each_listed_once_in_order() {
        let result = encode("😀𠮷田😀　髙橋𠮷\u{200B}");
        assert_eq!(
            result,
            Err(Unencodable {
                chars: vec!['😀', '𠮷', '\u{200B}']
            })
        );
    }

    #[test]
    fn error_message_names_characters_with_code_points() {
        let err = Unencodable {
            chars: vec!['𠮷', '\u{200B}'],
        };
        let text = err.to_string();
        assert!(text.contains("𠮷 (U+20BB7)"), "{text}");
        assert!(text.contains("(U+200B)"), "{text}");
    }

    #[test]
    fn ascii_is_copied_byte_for_byte() {
        let text = "0600000,12-3456-00,=A1\r\n";
        assert_eq!(encode(text), Ok(text.as_bytes().to_vec()));
        assert_eq!(encode(""), Ok(Vec::new()));
    }

    #[test]
    fn mixed_text_encodes_like_encoding_rs_where_it_can() {
        let text = "東京都千代田区丸の内一丁目1番1号 ｻｸﾗ ㈱";
        let (expected, _, had_errors) = SHIFT_JIS.encode(text);
        assert!(!had_errors);
        assert_eq!(encode(text), Ok(expected.into_owned()));
    }

    #[test]
    fn user_defined_area_round_trips_through_the_decoder() {
        // Every 外字 byte pair decodes to the PUA code point of the formula, and encodes
        // back to the same bytes (which encoding_rs alone will not do).
        let mut count = 0u32;
        for lead in 0xF0u8..=0xF9 {
            for trail in (0x40u8..=0x7E).chain(0x80..=0xFC) {
                let bytes = [lead, trail];
                let text = decode(&bytes);
                let expected = 0xE000
                    + u32::from(lead - 0xF0) * 188
                    + u32::from(if trail < 0x80 {
                        trail - 0x40
                    } else {
                        trail - 0x41
                    });
                let mut chars = text.chars();
                assert_eq!(chars.next().map(u32::from), Some(expected), "{bytes:02X?}");
                assert_eq!(chars.next(), None);
                assert_eq!(encode(&text), Ok(bytes.to_vec()), "{bytes:02X?}");
                count += 1;
            }
        }
        assert_eq!(count, 0x758);
    }

    #[test]
    fn private_use_outside_the_user_defined_area_is_an_error() {
        assert_eq!(
            encode("\u{E758}\u{F8FF}"),
            Err(Unencodable {
                chars: vec!['\u{E758}', '\u{F8FF}']
            })
        );
    }

    #[test]
    fn user_defined_character_among_text_keeps_its_place() {
        assert_eq!(
            encode("山\u{E000}田"),
            Ok(vec![0x8E, 0x52, 0xF0, 0x40, 0x93, 0x63])
        );
    }

    #[test]
    fn long_text_is_encoded_whole() {
        // Past any internal buffer size, and with a bad character at the very end.
        let long = "あ".repeat(100_000);
        let bytes = encode(&long).expect("hiragana encodes");
        assert_eq!(bytes.len(), 200_000);
        assert_eq!(
            encode(&format!("{long}😀")),
            Err(Unencodable {
                chars: vec!['😀']
            })
        );
    }
}
