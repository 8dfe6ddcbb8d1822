//! 高齢受給者 (members aged 70 to 74), the 75th-birthday end of membership, and the end of
//! preschool age (SPEC §4.3).
//!
//! 健康保険法 and its 施行令 give a 高齢受給者 status from the 1st of the month after the
//! month in which the member reaches 70. Since one reaches 70 on the day before the 70th
//! birthday (see [`super::age`]), that is the month after the birthday month, or the
//! birthday month itself when the birthday is the 1st (seed 000: 「70歳の誕生日の属する月の
//! 翌月（誕生日が月の初日である場合はその月）」). Membership of a 健康保険組合 ends when the
//! member joins 後期高齢者医療制度 on the 75th birthday.

use chrono::{Datelike, NaiveDate};

use super::age::{nth_birthday, reaches_age_on};

/// The 1st of the month after the month containing `d`.
fn first_of_next_month(d: NaiveDate) -> NaiveDate {
    let (year, month) = if d.month() == 12 {
        (d.year().saturating_add(1), 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MAX)
}

/// First day as 高齢受給者 (高齢受給者の適用開始日): the 1st of the month after the month in
/// which the member reaches 70. Born 1954-08-01 → 2024-08-01; born 1954-08-02 →
/// 2024-09-01; born 29 Feb 1956 → reaches 70 on 2026-02-28 → 2026-03-01.
pub fn elderly_from(birth: NaiveDate) -> NaiveDate {
    first_of_next_month(reaches_age_on(birth, 70))
}

/// The first day the person is no longer a member (資格喪失日): the 75th birthday, when
/// 後期高齢者医療制度 takes over. Born 1949-08-15: a member on 2024-08-14, not on
/// 2024-08-15. A member active on or after this day is BD006.
pub fn membership_ends_on(birth: NaiveDate) -> NaiveDate {
    nth_birthday(birth, 75)
}

/// Whether the person is 高齢受給者 on `d`: `elderly_from(birth) <= d <
/// membership_ends_on(birth)`.
pub fn is_elderly_on(birth: NaiveDate, d: NaiveDate) -> bool {
    elderly_from(birth) <= d && d < membership_ends_on(birth)
}

/// The last day of preschool age (義務教育就学前): the first 31 March on or after the day
/// the child reaches 6. Inclusive: the child is preschool on this day. Born 2018-04-01 →
/// reaches 6 on 2024-03-31 → 2024-03-31; born 2018-04-02 → 2025-03-31.
pub fn preschool_ends_on(birth: NaiveDate) -> NaiveDate {
    let six = reaches_age_on(birth, 6);
    let year = if six.month() <= 3 {
        six.year()
    } else {
        six.year().saturating_add(1)
    };
    NaiveDate::from_ymd_opt(year, 3, 31).unwrap_or(NaiveDate::MAX)
}

/// Whether a child is of preschool age (未就学児, 2割 by law) on `d`: born on or before `d`
/// and `d <= preschool_ends_on(birth)`. For information: the fund's 負担割合 field records
/// only 高齢受給者.
pub fn is_preschool_on(birth: NaiveDate, d: NaiveDate) -> bool {
    birth <= d && d <= preschool_ends_on(birth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    /// Seed 004, 7-1: base 2024-08-31 → born on or before 昭和29年8月1日 is 高齢受給者;
    /// base 2024-09-14 (任意継続・特例退職) → on or before 昭和29年9月1日.
    #[test]
    fn seed_004_7_1_cut_offs() {
        let cases = [
            (d(2024, 8, 31), d(1954, 8, 1), true),
            (d(2024, 8, 31), d(1954, 7, 31), true),
            (d(2024, 8, 31), d(1954, 8, 2), false),
            (d(2024, 9, 14), d(1954, 9, 1), true),
            (d(2024, 9, 14), d(1954, 9, 2), false),
        ];
        for (base, birth, elderly) in cases {
            assert_eq!(
                is_elderly_on(birth, base),
                elderly,
                "born {birth} on {base}"
            );
        }
    }

    #[test]
    fn born_on_the_first_is_elderly_from_the_birthday_month() {
        assert_eq!(elderly_from(d(1954, 8, 1)), d(2024, 8, 1));
        assert_eq!(elderly_from(d(1955, 1, 1)), d(2025, 1, 1));
        assert!(!is_elderly_on(d(1954, 8, 1), d(2024, 7, 31)));
        assert!(is_elderly_on(d(1954, 8, 1), d(2024, 8, 1)));
    }

    #[test]
    fn born_after_the_first_is_elderly_from_the_next_month() {
        let cases = [
            (d(1954, 8, 2), d(2024, 9, 1)),
            (d(1954, 8, 31), d(2024, 9, 1)),
            (d(1954, 12, 2), d(2025, 1, 1)),
            (d(1954, 12, 31), d(2025, 1, 1)),
            (d(1955, 3, 31), d(2025, 4, 1)),
            (d(1955, 4, 1), d(2025, 4, 1)),
            (d(1955, 4, 2), d(2025, 5, 1)),
        ];
        for (birth, from) in cases {
            assert_eq!(elderly_from(birth), from, "born {birth}");
        }
    }

    #[test]
    fn born_on_29_february() {
        // 70 and 75 are not multiples of 4, so for someone born on 29 February the 70th and
        // 75th birthdays always fall in a common year: on 1 March, reached on 28 February.
        assert_eq!(elderly_from(d(1956, 2, 29)), d(2026, 3, 1));
        assert_eq!(elderly_from(d(1952, 2, 29)), d(2022, 3, 1));
        assert!(!is_elderly_on(d(1952, 2, 29), d(2022, 2, 28)));
        assert_eq!(membership_ends_on(d(1952, 2, 29)), d(2027, 3, 1));
        assert!(is_elderly_on(d(1952, 2, 29), d(2027, 2, 28)));
        assert!(!is_elderly_on(d(1952, 2, 29), d(2027, 3, 1)));
        assert_eq!(membership_ends_on(d(1948, 2, 29)), d(2023, 3, 1));
        // Born the day after, on 1 March: the same dates.
        assert_eq!(membership_ends_on(d(1948, 3, 1)), d(2023, 3, 1));
        assert_eq!(elderly_from(d(1952, 3, 1)), d(2022, 3, 1));
        // Preschool: the 6th birthday of a 2020-02-29 birth is 2026-03-01, reached on
        // 28 February 2026, so preschool ends 31 March 2026.
        assert_eq!(preschool_ends_on(d(2020, 2, 29)), d(2026, 3, 31));
        // Born 29 February 2016: 6th birthday 2022-03-01, reached 2022-02-28.
        assert_eq!(preschool_ends_on(d(2016, 2, 29)), d(2022, 3, 31));
    }

    #[test]
    fn spec_section_9_membership_ends_on_the_75th_birthday() {
        let birth = d(1949, 8, 15);
        assert_eq!(membership_ends_on(birth), d(2024, 8, 15));
        assert!(is_elderly_on(birth, d(2024, 8, 14)));
        assert!(!is_elderly_on(birth, d(2024, 8, 15)));
    }

    #[test]
    fn elderly_status_runs_from_70_to_the_day_before_75() {
        let birth = d(1950, 6, 10);
        let cases = [
            (d(2020, 6, 30), false), // 70 since 2020-06-09, but not yet the next month
            (d(2020, 7, 1), true),
            (d(2025, 6, 9), true), // 74: reaches 75 today, still a member
            (d(2025, 6, 10), false),
            (d(1990, 1, 1), false),
        ];
        for (on, want) in cases {
            assert_eq!(is_elderly_on(birth, on), want, "on {on}");
        }
    }

    #[test]
    fn spec_section_9_preschool_end() {
        let cases = [
            (d(2018, 4, 1), d(2024, 3, 31)),
            (d(2018, 4, 2), d(2025, 3, 31)),
            (d(2018, 3, 31), d(2024, 3, 31)),
            (d(2018, 1, 1), d(2024, 3, 31)),
            (d(2017, 4, 2), d(2024, 3, 31)),
            (d(2018, 12, 31), d(2025, 3, 31)),
        ];
        for (birth, end) in cases {
            assert_eq!(preschool_ends_on(birth), end, "born {birth}");
        }
        assert!(is_preschool_on(d(2018, 4, 1), d(2024, 3, 31)));
        assert!(!is_preschool_on(d(2018, 4, 1), d(2024, 4, 1)));
        assert!(!is_preschool_on(d(2018, 4, 1), d(2018, 3, 31)));
    }

    #[test]
    fn calendar_limits_saturate() {
        assert_eq!(elderly_from(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(membership_ends_on(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(preschool_ends_on(NaiveDate::MAX), NaiveDate::MAX);
        assert!(!is_elderly_on(NaiveDate::MAX, NaiveDate::MAX));
    }

    proptest! {
        #[test]
        fn elderly_from_is_a_first_of_month_and_within_a_month_of_turning_70(
            n in 0i64..60_000,
        ) {
            let birth = d(1880, 1, 1) + chrono::Duration::days(n);
            let from = elderly_from(birth);
            let reached = reaches_age_on(birth, 70);
            prop_assert_eq!(from.day(), 1);
            prop_assert!(from > reached);
            prop_assert!(from <= reached + chrono::Duration::days(31));
            // The day before eligibility is not elderly, the day itself is.
            prop_assert!(!is_elderly_on(birth, from - chrono::Duration::days(1)));
            prop_assert!(is_elderly_on(birth, from));
        }
    }
}
