//! 負担割合 (the share of medical costs a 高齢受給者 pays at the counter, SPEC §4.3).
//!
//! A 高齢受給者 pays 2割, except that a household whose insured person (被保険者) is
//! 高齢受給者 with 標準報酬月額 of 280,000 yen or more (現役並み所得者) pays 3割 — the
//! insured person and every 高齢受給者 dependent alike — unless 基準収入額適用 applies
//! (the household's income is under the 基準収入額 and it applied for it).

use chrono::NaiveDate;

use super::elderly::is_elderly_on;

/// A 負担割合 of a 高齢受給者.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ShareRatio {
    /// 2割 (一般).
    Two,
    /// 3割 (現役並み所得者).
    Three,
}

impl ShareRatio {
    /// The ratio in tenths: 2 or 3 (what `mailing.csv` prints).
    pub fn tenths(self) -> u8 {
        match self {
            ShareRatio::Two => 2,
            ShareRatio::Three => 3,
        }
    }

    /// The ratio as staff write it: `2割` or `3割`.
    pub fn label(self) -> &'static str {
        match self {
            ShareRatio::Two => "2割",
            ShareRatio::Three => "3割",
        }
    }

    /// Read a recorded 負担割合: `2`, `3`, `2割`, `3割`, after NFKC and trimming (so `３割`
    /// and ` 3 ` are accepted). Anything else is None (IN009).
    pub fn parse(text: &str) -> Option<ShareRatio> {
        let normal = super::text::nfkc_trim(text);
        let digit = normal.strip_suffix('割').unwrap_or(&normal);
        match digit {
            "2" => Some(ShareRatio::Two),
            "3" => Some(ShareRatio::Three),
            _ => None,
        }
    }
}

/// 標準報酬月額 at or above which a 高齢受給者 insured person's household pays 3割
/// (現役並み所得者の判定基準, 280,000 yen).
pub const HIGH_INCOME_REMUNERATION: i64 = 280_000;

/// What the 負担割合 rule needs to know about the household's insured person (被保険者).
#[derive(Clone, Copy, Debug)]
pub struct Insured {
    /// The insured person's birth date.
    pub birth: NaiveDate,
    /// 標準報酬月額, yen.
    pub remuneration: i64,
    /// 基準収入額適用: when true the household is 2割 whatever the remuneration.
    pub income_exception: bool,
}

/// The 負担割合 a member should have on `d`, or None when the member is not 高齢受給者 on
/// `d` (then no 負担割合 belongs in the record: SR003).
///
/// 3割 when the household's insured person is 高齢受給者 on `d`, has 標準報酬月額 ≥
/// 280,000 and no 基準収入額適用; 2割 otherwise — in particular for a 高齢受給者 dependent
/// of an insured person under 70, whatever that person earns. The insured person's own row
/// calls `expected(insured.birth, &insured, d)`.
pub fn expected(member_birth: NaiveDate, insured: &Insured, d: NaiveDate) -> Option<ShareRatio> {
    if !is_elderly_on(member_birth, d) {
        return None;
    }
    let high_income = is_elderly_on(insured.birth, d)
        && insured.remuneration >= HIGH_INCOME_REMUNERATION
        && !insured.income_exception;
    Some(if high_income {
        ShareRatio::Three
    } else {
        ShareRatio::Two
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    const ON: NaiveDate = match NaiveDate::from_ymd_opt(2024, 8, 31) {
        Some(date) => date,
        None => panic!(),
    };

    fn insured(birth: NaiveDate, remuneration: i64, income_exception: bool) -> Insured {
        Insured {
            birth,
            remuneration,
            income_exception,
        }
    }

    #[test]
    fn spec_section_9_ratios() {
        let seventy_two = d(1952, 5, 10);
        let sixty_five = d(1959, 5, 10);
        let cases = [
            // insured 72 on 300,000 → 3割
            (
                seventy_two,
                insured(seventy_two, 300_000, false),
                Some(ShareRatio::Three),
            ),
            // on 260,000 → 2割
            (
                seventy_two,
                insured(seventy_two, 260_000, false),
                Some(ShareRatio::Two),
            ),
            // 300,000 with 基準収入額適用 → 2割
            (
                seventy_two,
                insured(seventy_two, 300_000, true),
                Some(ShareRatio::Two),
            ),
            // 72-year-old dependent of a 65-year-old insured on 500,000 → 2割
            (
                seventy_two,
                insured(sixty_five, 500_000, false),
                Some(ShareRatio::Two),
            ),
            // the 65-year-old insured is not 高齢受給者 at all
            (sixty_five, insured(sixty_five, 500_000, false), None),
        ];
        for (member, ins, want) in cases {
            assert_eq!(
                expected(member, &ins, ON),
                want,
                "member {member} insured {ins:?}"
            );
        }
    }

    #[test]
    fn the_280000_boundary() {
        let seventy_two = d(1952, 5, 10);
        let cases = [
            (279_999, ShareRatio::Two),
            (280_000, ShareRatio::Three),
            (280_001, ShareRatio::Three),
            (0, ShareRatio::Two),
            (-1, ShareRatio::Two),
            (i64::MAX, ShareRatio::Three),
        ];
        for (remuneration, want) in cases {
            let ins = insured(seventy_two, remuneration, false);
            assert_eq!(
                expected(seventy_two, &ins, ON),
                Some(want),
                "{remuneration}"
            );
        }
    }

    #[test]
    fn a_dependent_follows_the_insured_only_when_the_insured_is_elderly() {
        let dependent = d(1953, 1, 1); // 71 on ON
        let cases = [
            // insured over 70 and high income: the dependent is 3割 too
            (d(1952, 5, 10), 300_000, false, ShareRatio::Three),
            (d(1952, 5, 10), 300_000, true, ShareRatio::Two),
            // insured 69: the high income does not count
            (d(1955, 1, 1), 900_000, false, ShareRatio::Two),
            // insured turned 70 but only becomes 高齢受給者 next month
            (d(1954, 8, 2), 900_000, false, ShareRatio::Two),
            // insured 高齢受給者 since this month
            (d(1954, 8, 1), 900_000, false, ShareRatio::Three),
            // insured past 75 (no longer a member): not 高齢受給者
            (d(1949, 8, 15), 900_000, false, ShareRatio::Two),
        ];
        for (insured_birth, remuneration, exception, want) in cases {
            let ins = insured(insured_birth, remuneration, exception);
            assert_eq!(expected(dependent, &ins, ON), Some(want), "insured {ins:?}");
        }
    }

    #[test]
    fn no_ratio_outside_the_elderly_window() {
        let ins = insured(d(1952, 5, 10), 300_000, false);
        for member in [d(1954, 8, 2), d(1949, 8, 31), d(2010, 1, 1), d(1940, 1, 1)] {
            assert_eq!(expected(member, &ins, ON), None, "member {member}");
        }
    }

    #[test]
    fn parse_accepts_the_written_forms() {
        let cases = [
            ("2", Some(ShareRatio::Two)),
            ("3", Some(ShareRatio::Three)),
            ("2割", Some(ShareRatio::Two)),
            ("３割", Some(ShareRatio::Three)),
            ("２", Some(ShareRatio::Two)),
            (" 3 ", Some(ShareRatio::Three)),
            ("\u{3000}２割\u{3000}", Some(ShareRatio::Two)),
            ("1", None),
            ("1割", None),
            ("4", None),
            ("23", None),
            ("2割割", None),
            ("割", None),
            ("0.2", None),
            ("20%", None),
            ("", None),
            ("二割", None),
            ("😀", None),
        ];
        for (input, want) in cases {
            assert_eq!(ShareRatio::parse(input), want, "input {input:?}");
        }
    }

    #[test]
    fn tenths_and_labels() {
        assert_eq!(ShareRatio::Two.tenths(), 2);
        assert_eq!(ShareRatio::Three.tenths(), 3);
        assert_eq!(ShareRatio::Two.label(), "2割");
        assert_eq!(ShareRatio::Three.label(), "3割");
        assert!(ShareRatio::Two < ShareRatio::Three);
    }
}
