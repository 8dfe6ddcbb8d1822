//! The accepted formats of SPEC §3 for enumerated and numeric fields. Each parser takes a
//! value that is already NFKC-normalized and trimmed, and returns None when the value is
//! outside its format (IN009).

/// 性別: 1/2, 男/女.
pub fn sex(v: &str) -> Option<u8> {
    match v {
        "1" | "男" | "男性" => Some(1),
        "2" | "女" | "女性" => Some(2),
        _ => None,
    }
}

/// 1/0 flags: 1/0, 有/無, 要/否.
pub fn flag(v: &str) -> Option<bool> {
    match v {
        "1" | "有" | "要" => Some(true),
        "0" | "無" | "否" => Some(false),
        _ => None,
    }
}

pub const GENERAL: &str = "一般";
pub const VOLUNTARY: &str = "任意継続";
pub const SPECIAL_RETIREE: &str = "特例退職";

/// 被保険者区分: 一般, 任意継続, 特例退職 (a trailing 被保険者 is tolerated).
pub fn member_type(v: &str) -> Option<&'static str> {
    match v.strip_suffix("被保険者").unwrap_or(v) {
        "一般" => Some(GENERAL),
        "任意継続" => Some(VOLUNTARY),
        "特例退職" => Some(SPECIAL_RETIREE),
        _ => None,
    }
}

/// 標準報酬月額: yen as an integer; thousands separators and 円 allowed (`280,000円`).
pub fn remuneration(v: &str) -> Option<i64> {
    let digits: String = v
        .strip_suffix('円')
        .unwrap_or(v)
        .chars()
        .filter(|c| *c != ',')
        .collect();
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Bytes a value takes in CP932 (記号 is limited to 38): ASCII and half-width katakana are one
/// byte, everything else two.
pub fn cp932_len(v: &str) -> usize {
    v.chars()
        .map(|c| {
            if c.is_ascii() || ('\u{FF61}'..='\u{FF9F}').contains(&c) {
                1
            } else {
                2
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sex_values() {
        let cases = [
            ("1", Some(1)),
            ("男", Some(1)),
            ("2", Some(2)),
            ("女", Some(2)),
            ("3", None),
            ("M", None),
            ("", None),
        ];
        for (v, want) in cases {
            assert_eq!(sex(v), want, "{v}");
        }
    }

    #[test]
    fn flag_values() {
        let cases = [
            ("1", Some(true)),
            ("有", Some(true)),
            ("要", Some(true)),
            ("0", Some(false)),
            ("無", Some(false)),
            ("否", Some(false)),
            ("2", None),
            ("yes", None),
        ];
        for (v, want) in cases {
            assert_eq!(flag(v), want, "{v}");
        }
    }

    #[test]
    fn member_types() {
        assert_eq!(member_type("一般"), Some(GENERAL));
        assert_eq!(member_type("任意継続被保険者"), Some(VOLUNTARY));
        assert_eq!(member_type("特例退職"), Some(SPECIAL_RETIREE));
        assert_eq!(member_type("任継"), None);
    }

    #[test]
    fn remuneration_accepts_commas_and_yen_only() {
        let cases = [
            ("280000", Some(280_000)),
            ("280,000", Some(280_000)),
            ("280,000円", Some(280_000)),
            ("0", Some(0)),
            ("28万", None),
            ("-1", None),
            ("280000.5", None),
            ("円", None),
            ("9999999999999", None),
        ];
        for (v, want) in cases {
            assert_eq!(remuneration(v), want, "{v}");
        }
    }

    #[test]
    fn cp932_length_counts_half_width_kana_as_one_byte() {
        assert_eq!(cp932_len("1001"), 4);
        assert_eq!(cp932_len("ｻｸﾗ"), 3);
        assert_eq!(cp932_len("桜A"), 3);
    }
}
