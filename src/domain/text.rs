//! Comparison normal forms (比較用の正規化, SPEC §3 and §4.8).
//!
//! Sources write the same value in different ways: full-width digits (`１２３４`), half-width
//! katakana (`ﾔﾏﾀﾞ`), hiragana where another system has katakana, small kana that some
//! systems store as large kana (`ッ` / `ツ`), and addresses as `丸の内一丁目1番1号` or
//! `丸の内1-1-1`. Two values are "the same" when their normal forms here are equal.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// NFKC-normalize and trim (正規化): the form every value is checked in (SPEC §3).
///
/// Borrows when the text is already normal, so the common case on a hot path (plain
/// ASCII with no outer white space, or kanji text that is already NFKC) allocates nothing.
pub fn nfkc_trim(text: &str) -> Cow<'_, str> {
    // ASCII is its own NFKC form; `is_ascii` is a vectorised scan.
    if text.is_ascii() {
        return Cow::Borrowed(text.trim());
    }
    if text.chars().all(nfkc_stable) || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        return Cow::Borrowed(text.trim());
    }
    let normal: String = text.nfkc().collect();
    let trimmed = normal.trim();
    if trimmed.len() == normal.len() {
        Cow::Owned(normal)
    } else {
        Cow::Owned(trimmed.to_owned())
    }
}

/// Characters NFKC leaves as they are and that compose with no neighbour: ASCII, hiragana,
/// katakana and kanji, most of what member data holds. A range test per character, where the
/// quick check of the NFKC tables costs lookups; a text of these alone is already NFKC.
fn nfkc_stable(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{7F}'
        | '\u{3005}'           // 々
        | '\u{3041}'..='\u{3096}' // ぁ..ゖ
        | '\u{30A1}'..='\u{30FC}' // ァ..ヺ ・ ー
        | '\u{3400}'..='\u{4DBF}' // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified Ideographs
    )
}

/// The NFKC form of a text whose white space is about to be removed: when its only other
/// characters are [`nfkc_stable`], U+3000 (which NFKC makes a space) can stay as it is, so
/// a name written `山田　太郎` is folded without a normalization pass.
fn nfkc_for_folding(text: &str) -> Cow<'_, str> {
    if text.chars().all(|c| c == '\u{3000}' || nfkc_stable(c)) {
        Cow::Borrowed(text)
    } else {
        nfkc_trim(text)
    }
}

/// True when the text is empty or only white space (空欄), full-width space U+3000 included.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// Fold a name for comparison (氏名・氏名カナの比較形, SPEC §4.8).
///
/// NFKC (half-width katakana → full-width, full-width letters → ASCII), hiragana →
/// katakana, small kana → large (ァ→ア, ッ→ツ, ャ→ヤ, ヮ→ワ, ヵ→カ, ヶ→ケ), and removal of
/// all white space and of `・`. `やまだ　たろう`, `ﾔﾏﾀﾞ ﾀﾛｳ` and `ヤマダ・タロウ` all fold to
/// `ヤマダタロウ`.
pub fn fold_name(text: &str) -> String {
    let normal = nfkc_for_folding(text);
    normal
        .chars()
        .filter(|&c| !c.is_whitespace() && c != '・')
        .map(|c| large_kana(hiragana_to_katakana(c)))
        .collect()
}

/// Hiragana → katakana; anything else unchanged.
fn hiragana_to_katakana(c: char) -> char {
    match c {
        // ぁ..ゖ map one-to-one onto ァ..ヶ, 0x60 code points further on.
        '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
        'ゝ' => 'ヽ',
        'ゞ' => 'ヾ',
        _ => c,
    }
}

/// Small katakana → large katakana (some systems store only large kana).
fn large_kana(c: char) -> char {
    match c {
        'ァ' => 'ア',
        'ィ' => 'イ',
        'ゥ' => 'ウ',
        'ェ' => 'エ',
        'ォ' => 'オ',
        'ッ' => 'ツ',
        'ャ' => 'ヤ',
        'ュ' => 'ユ',
        'ョ' => 'ヨ',
        'ヮ' => 'ワ',
        'ヵ' => 'カ',
        'ヶ' => 'ケ',
        // Katakana Phonetic Extensions (Ainu small kana); NFKC leaves them small.
        'ㇰ' => 'ク',
        'ㇱ' => 'シ',
        'ㇲ' => 'ス',
        'ㇳ' => 'ト',
        'ㇴ' => 'ヌ',
        'ㇵ' => 'ハ',
        'ㇶ' => 'ヒ',
        'ㇷ' => 'フ',
        'ㇸ' => 'ヘ',
        'ㇹ' => 'ホ',
        'ㇺ' => 'ム',
        'ㇻ' => 'ラ',
        'ㇼ' => 'リ',
        'ㇽ' => 'ル',
        'ㇾ' => 'レ',
        'ㇿ' => 'ロ',
        _ => c,
    }
}

/// Dashes written between the numbers of an address (after NFKC, which already turned
/// `－` into `-`): hyphen, en dash, em dash, horizontal bar, minus sign, katakana long
/// vowel mark, and ASCII `-`.
fn is_address_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '–' | '—' | '―' | '−' | 'ー' | '－')
}

/// Fold an address for comparison (住所の比較形, SPEC §4.8).
///
/// In order: NFKC; removal of all white space; kanji numerals directly before 丁目 written
/// as digits (一丁目 → 1丁目, 十二丁目 → 12丁目); then 丁目, 番地, 番 and 号 after a number,
/// and dashes between numbers, become `-`; a `-` that no number follows is dropped (the
/// trailing `-` of `1番1号`). So `丸の内一丁目1番1号` and `丸の内1-1-1` both fold to
/// `丸の内1-1-1`.
///
/// 丁目/番地/番/号 are replaced only after a digit, so that place names that contain them
/// (`一番町`, `番場`) are left alone; and a separator followed by a building name rather
/// than a number is dropped, so `1番1号さくらビル` and `1-1-1 さくらビル` agree.
pub fn fold_address(text: &str) -> String {
    let normal = nfkc_for_folding(text);
    let chars: Vec<char> = normal.chars().filter(|c| !c.is_whitespace()).collect();
    let chars = kanji_chome_to_digits(&chars);

    let mut out = String::with_capacity(chars.len() * 3);
    // A separator seen after a number, written out only if another number follows.
    let mut pending = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let after_number = pending || out.ends_with(|p: char| p.is_ascii_digit());
        if after_number {
            let marker_len = if starts_with(&chars[i..], &['丁', '目'])
                || starts_with(&chars[i..], &['番', '地'])
            {
                2
            } else if c == '番' || c == '号' {
                1
            } else {
                0
            };
            if marker_len > 0 {
                pending = true;
                i += marker_len;
                continue;
            }
            let next_is_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if is_address_dash(c) && next_is_digit {
                pending = true;
                i += 1;
                continue;
            }
        }
        if pending && c.is_ascii_digit() {
            out.push('-');
        }
        pending = false;
        out.push(c);
        i += 1;
    }
    // A dash the text itself ends with (`1-1-1-`) is dropped as well.
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn starts_with(chars: &[char], prefix: &[char]) -> bool {
    chars.len() >= prefix.len() && &chars[..prefix.len()] == prefix
}

/// Value of one kanji numeral digit (〇一二…九), or None.
fn kanji_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn is_kanji_numeral(c: char) -> bool {
    kanji_digit(c).is_some() || c == '十' || c == '百'
}

/// Value of a run of kanji numerals: positional (`十二` = 12, `二十三` = 23, `百五` = 105)
/// when it has 十 or 百, digit by digit (`一〇` = 10) otherwise. None when malformed
/// (`十十`), so the text is left as written.
fn kanji_number(run: &[char]) -> Option<u32> {
    if run.is_empty() || run.len() > 6 {
        return None;
    }
    if !run.iter().any(|&c| c == '十' || c == '百') {
        return run
            .iter()
            .try_fold(0u32, |acc, &c| Some(acc * 10 + kanji_digit(c)?));
    }
    let mut total = 0u32;
    let mut digit: Option<u32> = None;
    // Each unit may appear once, largest first.
    let mut last_unit = u32::MAX;
    for &c in run {
        match c {
            '十' | '百' => {
                let unit = if c == '十' { 10 } else { 100 };
                if unit >= last_unit {
                    return None;
                }
                last_unit = unit;
                total += digit.take().unwrap_or(1) * unit;
            }
            _ => {
                if digit.is_some() {
                    return None;
                }
                digit = Some(kanji_digit(c)?);
            }
        }
    }
    Some(total + digit.unwrap_or(0))
}

/// Rewrite kanji numerals directly before 丁目 as ASCII digits.
fn kanji_chome_to_digits(chars: &[char]) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if is_kanji_numeral(chars[i]) {
            let start = i;
            while i < chars.len() && is_kanji_numeral(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            match kanji_number(run) {
                Some(n) if starts_with(&chars[i..], &['丁', '目']) => {
                    out.extend(n.to_string().chars());
                }
                _ => out.extend_from_slice(run),
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path must agree with NFKC: every character it lets through is its own NFKC
    /// form, alone and after each of a few neighbours (so none composes with another).
    #[test]
    fn nfkc_stable_characters_are_their_own_nfkc_form_and_compose_with_nothing() {
        let stable: Vec<char> = (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|c| nfkc_stable(*c))
            .collect();
        for c in &stable {
            let s = c.to_string();
            assert_eq!(s.nfkc().collect::<String>(), s, "U+{:04X}", u32::from(*c));
        }
        for prev in ['A', 'か', 'カ', '山', 'ゝ', 'ヽ', '\u{3099}'] {
            for c in &stable {
                let s = format!("{prev}{c}");
                let want: String = prev.to_string().nfkc().chain(std::iter::once(*c)).collect();
                assert_eq!(
                    s.nfkc().collect::<String>(),
                    want,
                    "{prev} U+{:04X}",
                    u32::from(*c)
                );
            }
        }
    }

    #[test]
    fn folding_a_name_with_an_ideographic_space_skips_normalization_and_agrees_with_it() {
        assert_eq!(fold_name("山田\u{3000}太郎"), "山田太郎");
        assert_eq!(fold_name("ヤマダ\u{3000}タロウ"), fold_name("ﾔﾏﾀﾞ ﾀﾛｳ"));
        assert!(matches!(
            nfkc_for_folding("山田\u{3000}太郎"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(nfkc_for_folding("ﾔﾏﾀﾞ"), Cow::Owned(_)));
    }

    #[test]
    fn nfkc_trim_borrows_plain_ascii_and_trims_it() {
        assert!(matches!(
            nfkc_trim("1954-08-01"),
            Cow::Borrowed("1954-08-01")
        ));
        assert!(matches!(nfkc_trim("  42 "), Cow::Borrowed("42")));
        assert!(matches!(nfkc_trim("昭和29年"), Cow::Borrowed("昭和29年")));
    }

    #[test]
    fn nfkc_trim_folds_full_width_and_ideographic_space() {
        let cases = [
            ("１２３４", "1234"),
            ("　２割　", "2割"),
            ("２８０，０００円", "280,000円"),
            ("ﾔﾏﾀﾞ", "ヤマダ"),
            ("\u{3000}\u{3000}", ""),
            ("", ""),
            ("Ｓ２９．８．１", "S29.8.1"),
        ];
        for (input, want) in cases {
            assert_eq!(nfkc_trim(input), want, "input {input:?}");
        }
    }

    #[test]
    fn is_blank_sees_every_kind_of_space() {
        for blank in ["", " ", "\u{3000}", " \t\r\n\u{3000} "] {
            assert!(is_blank(blank), "{blank:?}");
        }
        for not_blank in ["a", " 0 ", "\u{3000}・", "・"] {
            assert!(!is_blank(not_blank), "{not_blank:?}");
        }
    }

    #[test]
    fn fold_name_makes_the_spellings_of_one_name_equal() {
        let cases = [
            ("やまだ　たろう", "ヤマダタロウ"),
            ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダタロウ"),
            ("ヤマダ・タロウ", "ヤマダタロウ"),
            ("ｷｯｶﾜ ｼｮｳｲﾁ", "キツカワシヨウイチ"),
            ("きっかわ しょういち", "キツカワシヨウイチ"),
            ("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ"),
            ("ぁぃぅぇぉっゃゅょゎゕゖ", "アイウエオツヤユヨワカケ"),
            ("ゔぁいおりん", "ヴアイオリン"),
            ("ㇰㇱㇲ", "クシス"),
            ("山田　太郎", "山田太郎"),
            ("ＹＡＭＡＤＡ　Ｔａｒｏ", "YAMADATaro"),
            ("ｻﾄｳ･ｼﾞﾛｳ", "サトウジロウ"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(fold_name(input), want, "input {input:?}");
        }
    }

    #[test]
    fn fold_name_keeps_different_names_different() {
        assert_ne!(fold_name("サトウ"), fold_name("サイトウ"));
        assert_ne!(fold_name("ガ"), fold_name("カ"));
        // The long vowel mark is part of the name, not a separator.
        assert_ne!(fold_name("オーノ"), fold_name("オノ"));
    }

    #[test]
    fn fold_address_makes_the_spec_example_equal() {
        assert_eq!(fold_address("丸の内一丁目1番1号"), "丸の内1-1-1");
        assert_eq!(fold_address("丸の内1-1-1"), "丸の内1-1-1");
    }

    #[test]
    fn fold_address_cases() {
        let cases = [
            (
                "東京都千代田区丸の内一丁目１番１号",
                "東京都千代田区丸の内1-1-1",
            ),
            (
                "東京都 千代田区 丸の内 1丁目1-1",
                "東京都千代田区丸の内1-1-1",
            ),
            ("丸の内十二丁目3番地4", "丸の内12-3-4"),
            ("丸の内二十三丁目5", "丸の内23-5"),
            ("丸の内百五丁目", "丸の内105"),
            ("丸の内一〇丁目", "丸の内10"),
            ("本町2ー3ー4", "本町2-3-4"),
            ("本町2－3－4", "本町2-3-4"),
            ("本町2−3−4", "本町2-3-4"),
            ("本町2‐3―4", "本町2-3-4"),
            ("本町2—3–4", "本町2-3-4"),
            ("本町1-1-1-", "本町1-1-1"),
            ("丸の内1番1号さくらビル", "丸の内1-1さくらビル"),
            ("丸の内1-1 さくらビル", "丸の内1-1さくらビル"),
            // Place names that merely contain 番 or a kanji numeral stay as written.
            ("千代田区一番町5番地", "千代田区一番町5"),
            ("八丁堀三丁目", "八丁堀3"),
            ("六本木六丁目", "六本木6"),
            // A long vowel mark inside a building name is not a dash.
            ("本町1番セーヌ2号室", "本町1セーヌ2室"),
            ("", ""),
            ("ー", "ー"),
            ("-", ""),
        ];
        for (input, want) in cases {
            assert_eq!(fold_address(input), want, "input {input:?}");
        }
    }

    #[test]
    fn kanji_numbers_parse_positionally_and_digit_by_digit() {
        let cases: [(&str, Option<u32>); 9] = [
            ("一", Some(1)),
            ("十", Some(10)),
            ("十二", Some(12)),
            ("二十", Some(20)),
            ("二十三", Some(23)),
            ("百十一", Some(111)),
            ("一〇", Some(10)),
            ("十十", None),
            ("二三十", None),
        ];
        for (input, want) in cases {
            let run: Vec<char> = input.chars().collect();
            assert_eq!(kanji_number(&run), want, "input {input}");
        }
    }

    #[test]
    fn folding_never_panics_on_garbage() {
        let huge = "丁目番号-ー一十百".repeat(2000);
        let garbage = [
            "😀丁目",
            "十十十丁目",
            "-",
            "番",
            "\u{0}\u{ffff}",
            huge.as_str(),
        ];
        for g in garbage {
            // Both folds are idempotent: folding a folded value changes nothing.
            let a = fold_address(g);
            assert_eq!(fold_address(&a), a, "{g:?}");
            let n = fold_name(g);
            assert_eq!(fold_name(&n), n, "{g:?}");
        }
    }
}
