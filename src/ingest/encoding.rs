//! The one place bytes become text (ripgrep's rule: transcode once, at the boundary).
//!
//! A BOM decides (UTF-8, UTF-16LE/BE); otherwise valid UTF-8 is UTF-8 and anything else is
//! CP932 — what the national system and Excel on Japanese Windows write. encoding_rs's
//! `SHIFT_JIS` *is* CP932 (NEC and IBM extensions included). Undecodable bytes become U+FFFD
//! and are remembered with their byte offset, so the reader can raise IN001 on the exact cell.

use encoding_rs::{DecoderResult, Encoding, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};

/// `--input-encoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum InputEncoding {
    #[default]
    Auto,
    Cp932,
    Utf8,
}

impl InputEncoding {
    /// cp932/ms932/windows-31j/sjis/shift_jis all mean CP932: `Encoding::for_label("cp932")` is None.
    pub fn from_label(label: &str) -> Option<InputEncoding> {
        match label.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" => Some(InputEncoding::Auto),
            "cp932" | "ms932" | "windows-31j" | "sjis" | "shift-jis" | "x-sjis" => {
                Some(InputEncoding::Cp932)
            }
            "utf8" | "utf-8" => Some(InputEncoding::Utf8),
            _ => None,
        }
    }
}

/// An undecodable byte sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadBytes {
    /// Offset of the first bad byte in the file.
    pub byte_offset: usize,
    /// Offset in the decoded text where the U+FFFD stands.
    pub text_offset: usize,
}

#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// What was used, as shown to staff: "UTF-8", "UTF-8 (BOM)", "UTF-16LE (BOM)", "CP932".
    pub encoding: &'static str,
    pub bad: Vec<BadBytes>,
}

pub fn decode(bytes: &[u8], choice: InputEncoding) -> Decoded {
    let (encoding, bom_len, label): (&'static Encoding, usize, &'static str) =
        // A BOM is unambiguous and wins over `--input-encoding`, whichever way it points: read
        // as CP932, a UTF-8 BOM is the mojibake 「鐚ｿ」 glued to the first header cell.
        match (choice, Encoding::for_bom(bytes)) {
            (_, Some((enc, len))) if enc == UTF_8 => (UTF_8, len, "UTF-8 (BOM)"),
            (_, Some((enc, len))) if enc == UTF_16LE => (UTF_16LE, len, "UTF-16LE (BOM)"),
            (_, Some((enc, len))) if enc == UTF_16BE => (UTF_16BE, len, "UTF-16BE (BOM)"),
            (InputEncoding::Cp932, _) => (SHIFT_JIS, 0, "CP932"),
            (InputEncoding::Utf8, _) => (UTF_8, 0, "UTF-8"),
            _ if std::str::from_utf8(bytes).is_ok() => (UTF_8, 0, "UTF-8"),
            _ => (SHIFT_JIS, 0, "CP932"),
        };
    let body = &bytes[bom_len..];
    // Fast path: valid UTF-8 needs no transcoding and has no bad bytes.
    if encoding == UTF_8
        && let Ok(text) = std::str::from_utf8(body)
    {
        return Decoded {
            text: text.to_string(),
            encoding: label,
            bad: Vec::new(),
        };
    }
    let (text, bad) = decode_reporting(encoding, body, bom_len);
    Decoded {
        text,
        encoding: label,
        bad,
    }
}

/// Decode without replacement so each malformed sequence is seen, then stand a U+FFFD in for it.
fn decode_reporting(
    encoding: &'static Encoding,
    body: &[u8],
    base: usize,
) -> (String, Vec<BadBytes>) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(body.len())
        .unwrap_or(body.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let mut bad = Vec::new();
    let mut pos = 0usize;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&body[pos..], &mut text, true);
        pos += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => text.reserve(body.len() - pos + 16),
            DecoderResult::Malformed(bad_len, after) => {
                let start = pos.saturating_sub(after as usize + bad_len as usize);
                bad.push(BadBytes {
                    byte_offset: base + start,
                    text_offset: text.len(),
                });
                if text.capacity() - text.len() < 3 {
                    text.reserve(16);
                }
                text.push('\u{FFFD}');
            }
        }
    }
    (text, bad)
}

/// CP932 user-defined characters (外字, F040–F9FC) decode to these Private Use code points.
pub fn is_gaiji(c: char) -> bool {
    ('\u{E000}'..='\u{E757}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp932_is_detected_and_decoded_with_nec_extensions() {
        // "①,髙" in CP932: 87 40 2C FB FC
        let d = decode(&[0x87, 0x40, b',', 0xFB, 0xFC], InputEncoding::Auto);
        assert_eq!(d.encoding, "CP932");
        assert_eq!(d.text, "①,髙");
        assert!(d.bad.is_empty());
    }

    #[test]
    fn valid_utf8_is_utf8_and_boms_decide() {
        assert_eq!(
            decode("記号".as_bytes(), InputEncoding::Auto).encoding,
            "UTF-8"
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("記号".as_bytes());
        let d = decode(&bom, InputEncoding::Auto);
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-8 (BOM)", "記号"));
        let le = [0xFF, 0xFE, 0x18, 0x8A, 0xF7, 0x53]; // 記号
        let d = decode(&le, InputEncoding::Auto);
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-16LE (BOM)", "記号"));
        let be = [0xFE, 0xFF, 0x8A, 0x18, 0x53, 0xF7];
        let d = decode(&be, InputEncoding::Auto);
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-16BE (BOM)", "記号"));
    }

    #[test]
    fn undecodable_bytes_are_reported_with_their_offset_and_the_rest_survives() {
        // "AB" then a lone lead byte 0x81 before ',' then "C": the comma must survive.
        let d = decode(&[b'A', b'B', 0x81, b',', b'C', 0xFF], InputEncoding::Cp932);
        assert_eq!(d.text, "AB\u{FFFD},C\u{FFFD}");
        assert_eq!(
            d.bad,
            vec![
                BadBytes {
                    byte_offset: 2,
                    text_offset: 2
                },
                BadBytes {
                    byte_offset: 5,
                    text_offset: 7
                },
            ]
        );
    }

    #[test]
    fn a_bom_wins_over_a_forced_encoding() {
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("記号".as_bytes());
        for choice in [
            InputEncoding::Cp932,
            InputEncoding::Utf8,
            InputEncoding::Auto,
        ] {
            let d = decode(&bom, choice);
            assert_eq!(
                (d.encoding, d.text.as_str()),
                ("UTF-8 (BOM)", "記号"),
                "{choice:?}"
            );
        }
        let le = [0xFF, 0xFE, 0x18, 0x8A, 0xF7, 0x53];
        let d = decode(&le, InputEncoding::Cp932);
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-16LE (BOM)", "記号"));
        // Without a BOM the choice decides, even for bytes that are valid UTF-8.
        let d = decode("記号".as_bytes(), InputEncoding::Cp932);
        assert_eq!(d.encoding, "CP932");
        assert_ne!(d.text, "記号");
    }

    #[test]
    fn forced_utf8_reports_invalid_bytes_instead_of_guessing() {
        let d = decode(&[b'a', 0x82, 0xA0, b'b'], InputEncoding::Utf8);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.bad.len(), 2, "{:?}", d.bad);
        assert_eq!(d.bad[0].byte_offset, 1);
        assert!(d.text.starts_with('a') && d.text.ends_with('b'));
    }

    #[test]
    fn gaiji_bytes_decode_to_private_use_code_points() {
        let d = decode(&[0xF0, 0x40, 0xF9, 0xFC], InputEncoding::Cp932);
        let chars: Vec<char> = d.text.chars().collect();
        assert_eq!(chars, vec!['\u{E000}', '\u{E757}']);
        assert!(chars.iter().all(|c| is_gaiji(*c)));
        assert!(!is_gaiji('あ'));
    }

    #[test]
    fn labels_for_cp932_are_mapped_by_hand() {
        for l in ["cp932", "MS932", "windows-31j", "Shift_JIS", "sjis"] {
            assert_eq!(
                InputEncoding::from_label(l),
                Some(InputEncoding::Cp932),
                "{l}"
            );
        }
        assert_eq!(InputEncoding::from_label("utf8"), Some(InputEncoding::Utf8));
        assert_eq!(InputEncoding::from_label("latin1"), None);
    }
}
