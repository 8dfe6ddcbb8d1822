//! The one place bytes become text (ripgrep's rule: transcode once, at the boundary).
//!
//! A BOM decides (UTF-8, UTF-16LE/BE); otherwise valid UTF-8 is UTF-8 and anything else is
//! CP932 — what the national system and Excel on Japanese Windows write. encoding_rs's
//! `SHIFT_JIS` *is* CP932 (NEC and IBM extensions included). Undecodable bytes become U+FFFD
//! and are remembered with their byte offset, so the reader can raise IN001 on the exact cell.
//!
//! Two careless exports are recognised without a BOM: UTF-16 (every other byte of its ASCII
//! text is NUL), and UTF-8 with a few records pasted in from a CP932 file (read as UTF-8,
//! the pasted bytes IN001, rather than the whole file as CP932 mojibake). A NUL byte in a
//! UTF-8 or CP932 file is never text: it is IN001 too.

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
            _ => match utf16_without_bom(bytes) {
                Some(enc) if enc == UTF_16LE => (UTF_16LE, 0, "UTF-16LE (no BOM)"),
                Some(_) => (UTF_16BE, 0, "UTF-16BE (no BOM)"),
                None if mostly_utf8(bytes) => (UTF_8, 0, "UTF-8"),
                None => (SHIFT_JIS, 0, "CP932"),
            },
        };
    let body = &bytes[bom_len..];
    // Fast path: valid UTF-8 needs no transcoding and has no bad bytes.
    if encoding == UTF_8
        && memchr::memchr(0, body).is_none()
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

/// UTF-16 without a BOM: in its first bytes, one byte of a pair is NUL in at least 3 pairs of
/// 10 (CSV is mostly ASCII digits and commas), and the other byte 4 times less often (a
/// full-width space U+3000 has a NUL low byte).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let nul_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    let mostly = |n: usize| n * 10 >= pairs * 3;
    match (
        mostly(odd) && even * 4 <= odd,
        mostly(even) && odd * 4 <= even,
    ) {
        (true, _) => Some(UTF_16LE),
        (_, true) => Some(UTF_16BE),
        _ => None,
    }
}

/// Invalid UTF-8 that is still mostly UTF-8: its valid multi-byte characters outnumber its
/// invalid sequences two to one. CP932 read as UTF-8 is mostly invalid sequences: kanji
/// almost always, half-width katakana in about three pairs of four.
///
/// Judged on the first [`SNIFF`] bytes that hold any non-ASCII text, not the whole file: the
/// answer is settled long before the end of a 150 MB export, and the whole-file scan was a
/// tenth of `check`'s time on one.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    // A chunk ends where it may cut a character: an incomplete sequence at its end is the
    // next chunk's start, not an invalid one.
    while !rest.is_empty() && valid + invalid == 0 {
        let mut end = rest.len().min(SNIFF);
        let floor = end.saturating_sub(3);
        while end < rest.len() && end > floor && (rest[end] & 0xC0) == 0x80 {
            end -= 1;
        }
        let (chunk, after) = rest.split_at(end.max(1));
        let (v, i) = count_utf8(chunk);
        valid += v;
        invalid += i;
        rest = after;
    }
    invalid == 0 || valid >= invalid * 2
}

/// How many bytes of non-ASCII text [`mostly_utf8`] judges.
const SNIFF: usize = 1 << 20;

/// Valid non-ASCII characters and invalid sequences in `bytes` read as UTF-8.
fn count_utf8(bytes: &[u8]) -> (usize, usize) {
    let (mut valid, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid += s.chars().filter(|c| !c.is_ascii()).count();
                return (valid, invalid);
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                valid += std::str::from_utf8(good)
                    .map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                invalid += 1;
                rest = &after[e.error_len().unwrap_or(after.len()).max(1)..];
            }
        }
    }
}

/// Decode without replacement so each malformed sequence is seen, then stand a U+FFFD in for
/// it. In UTF-8 and CP932 a NUL byte is never part of a character: each is bad too, and the
/// text on either side of it is decoded on its own.
fn decode_reporting(
    encoding: &'static Encoding,
    body: &[u8],
    base: usize,
) -> (String, Vec<BadBytes>) {
    let nul_is_bad = encoding != UTF_16LE && encoding != UTF_16BE;
    // What CP932 text usually takes in UTF-8 (ASCII stays 1 byte, a kanji's 2 become 3); the
    // string grows if it needs more and gives back what it did not use.
    let mut text = String::with_capacity(body.len().saturating_add(body.len() / 2));
    let mut bad = Vec::new();
    let mut scratch = Scratch::new();
    let mut start = 0usize;
    loop {
        let end = match nul_is_bad {
            true => memchr::memchr(0, &body[start..]).map_or(body.len(), |i| start + i),
            false => body.len(),
        };
        scratch.decode(
            encoding,
            &body[start..end],
            base + start,
            &mut text,
            &mut bad,
        );
        if end == body.len() {
            break;
        }
        bad.push(BadBytes {
            byte_offset: base + end,
            text_offset: text.len(),
        });
        text.push('\u{FFFD}');
        start = end + 1;
    }
    text.shrink_to_fit();
    (text, bad)
}

/// A fixed buffer the decoder writes into, appended to the text as it fills. encoding_rs's
/// `decode_to_string*` touches every page of the string's spare capacity on each call (to map
/// it), so decoding straight into a string reserved for the worst case made the whole worst
/// case resident (a 161 MiB CP932 fund held 500 MB), and a call after each malformed byte
/// touched it again (a file of bad bytes took time quadratic in its size).
struct Scratch(String);

/// The scratch buffer's size: large enough that the copy out of it is a small memcpy.
const SCRATCH_BYTES: usize = 64 * 1024;

impl Scratch {
    fn new() -> Self {
        Scratch("\0".repeat(SCRATCH_BYTES))
    }

    fn decode(
        &mut self,
        encoding: &'static Encoding,
        body: &[u8],
        base: usize,
        text: &mut String,
        bad: &mut Vec<BadBytes>,
    ) {
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let mut pos = 0usize;
        loop {
            let (result, read, written) =
                decoder.decode_to_str_without_replacement(&body[pos..], &mut self.0, true);
            pos += read;
            text.push_str(&self.0[..written]);
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad_len, after) => {
                    let start = pos.saturating_sub(after as usize + bad_len as usize);
                    bad.push(BadBytes {
                        byte_offset: base + start,
                        text_offset: text.len(),
                    });
                    text.push('\u{FFFD}');
                }
            }
        }
    }
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

    /// The guess reads the first MiB of non-ASCII text: an ASCII prefix of any length does
    /// not decide it, and a cut in the middle of a character is not an invalid sequence.
    #[test]
    fn the_encoding_is_guessed_from_the_first_non_ascii_text() {
        let (cp932, _, _) = SHIFT_JIS.encode("記号,番号,氏名\n");
        let ascii = "1001,1,00\n".repeat((SNIFF * 2) / 10);
        let mut late_cp932 = ascii.clone().into_bytes();
        late_cp932.extend_from_slice(&cp932);
        assert_eq!(decode(&late_cp932, InputEncoding::Auto).encoding, "CP932");

        let utf8 = "記号,番号,氏名\n".repeat(SNIFF / 10);
        let mut pasted = utf8.clone().into_bytes();
        pasted.extend_from_slice(&cp932.repeat(200));
        assert_eq!(decode(&pasted, InputEncoding::Auto).encoding, "UTF-8");

        for shift in 0..3 {
            let text = format!("{}{}", "a".repeat(SNIFF - shift), "記号".repeat(10));
            assert!(mostly_utf8(text.as_bytes()), "cut at {shift}");
        }
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
    fn the_text_keeps_what_was_decoded_not_room_for_the_worst_case() {
        // Kanji (2 bytes → 3), half-width kana (1 → 3), ASCII: over several scratch buffers.
        let line = "加入者,ｶﾆｭｳｼｬ,1234567,東京都千代田区\n";
        let text = line.repeat(20_000);
        let (sjis, _, _) = SHIFT_JIS.encode(&text);
        let d = decode(&sjis, InputEncoding::Cp932);
        assert_eq!(d.text, text);
        // Before, the string was reserved for 3 bytes a byte and kept it (and encoding_rs made
        // every page of it resident): 1.2 MB of text held 2.2 MB.
        assert!(
            d.text.capacity() <= d.text.len() + 64,
            "{} bytes held for {}",
            d.text.capacity(),
            d.text.len()
        );
    }

    #[test]
    fn decoding_through_the_scratch_buffer_matches_encoding_rs_byte_for_byte() {
        // Valid characters, malformed bytes and NULs at every kind of position, including
        // across the scratch buffer's edges: the text is encoding_rs's own decode (a NUL
        // standing as U+FFFD), and each U+FFFD has its bad byte's offsets.
        let mut bytes = Vec::new();
        let mut x: u32 = 12345;
        while bytes.len() < 3 * SCRATCH_BYTES {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            match (x >> 16) % 7 {
                0 => bytes.extend_from_slice(&[0x8A, 0xBF]),
                1 => bytes.push(0xB6),
                2 => bytes.push(0xFD),
                3 => bytes.push(0),
                4 => bytes.push(0x81),
                _ => bytes.extend_from_slice(b"a,1\n"),
            }
        }
        let d = decode(&bytes, InputEncoding::Cp932);
        let (expected, _) = SHIFT_JIS.decode_without_bom_handling(&bytes);
        assert_eq!(d.text, expected.replace('\0', "\u{FFFD}"));
        let replaced = d.text.matches('\u{FFFD}').count();
        assert_eq!(d.bad.len(), replaced);
        for b in &d.bad {
            assert_eq!(&d.text[b.text_offset..b.text_offset + 3], "\u{FFFD}");
        }
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
    fn utf16_without_a_bom_is_recognised_by_its_nul_bytes() {
        let text = "記号,番号,枝番,氏名\r\n1001,1,00,山田　太郎\r\n1001,2,00,佐藤　花子\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let d = decode(&le, InputEncoding::Auto);
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-16LE (no BOM)", text));
        let d = decode(&be, InputEncoding::Auto);
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-16BE (no BOM)", text));
        // A forced encoding is not second-guessed; plain text is not UTF-16.
        assert_eq!(decode(&le, InputEncoding::Cp932).encoding, "CP932");
        assert_eq!(
            decode(text.as_bytes(), InputEncoding::Auto).encoding,
            "UTF-8"
        );
        assert_eq!(decode(b"a\0", InputEncoding::Auto).encoding, "UTF-8");
    }

    #[test]
    fn utf8_with_a_pasted_cp932_record_is_utf8_with_the_cp932_bytes_bad() {
        let mut bytes = "記号,番号,氏名\n1001,1,山田　太郎\n1001,2,佐藤　花子\n"
            .as_bytes()
            .to_vec();
        let at = bytes.len();
        bytes.extend_from_slice(&[b'1', b',', 0x8E, 0x52, 0x93, 0x63, b'\n']); // 山田 in CP932
        let d = decode(&bytes, InputEncoding::Auto);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.starts_with("記号,番号,氏名\n"));
        assert_eq!(d.bad[0].byte_offset, at + 2);
        // A CP932 file is still CP932, half-width katakana (some of whose byte pairs are valid
        // UTF-8) included.
        let cp932 = [0x8B, 0x4C, 0x8D, 0x86, b',', 0x94, 0xD4, 0x8D, 0x86, b'\n'];
        let d = decode(&cp932, InputEncoding::Auto);
        assert_eq!((d.encoding, d.text.as_str()), ("CP932", "記号,番号\n"));
        let (kana, _, _) = encoding_rs::SHIFT_JIS.encode("ﾀﾅｶ ﾀﾛｳ,ﾔﾏﾀﾞ ﾊﾅｺ,ﾂﾂﾞｷ ﾐﾂﾙ\n");
        assert_eq!(decode(&kana, InputEncoding::Auto).encoding, "CP932");
    }

    #[test]
    fn nul_bytes_are_undecodable_where_they_stand() {
        let d = decode(b"ab\0c,\0", InputEncoding::Auto);
        assert_eq!(d.text, "ab\u{FFFD}c,\u{FFFD}");
        let offsets: Vec<usize> = d.bad.iter().map(|b| b.byte_offset).collect();
        assert_eq!(offsets, [2, 5]);
        // In CP932 too, and a lead byte before a NUL is bad on its own.
        let d = decode(&[b'x', 0x82, 0x00, 0x82, 0xA0], InputEncoding::Cp932);
        assert_eq!(d.text, "x\u{FFFD}\u{FFFD}あ");
        let offsets: Vec<usize> = d.bad.iter().map(|b| b.byte_offset).collect();
        assert_eq!(offsets, [1, 2]);
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
