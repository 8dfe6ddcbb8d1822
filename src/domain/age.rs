//! Age (年齢, SPEC §4.2), as 年齢計算ニ関スル法律 counts it.
//!
//! Age is counted from the day of birth (民法 143条 via 年齢計算ニ関スル法律): a person
//! reaches age N at the end of the day before their Nth birthday. "Reaches N on" therefore
//! means the day before the birthday, and from that day on the law treats them as N.
//! For someone born on 29 February the birthday in a common year is 1 March, so they
//! reach N on 28 February.
//!
//! Dates near the limits of [`NaiveDate`] saturate instead of panicking.

use chrono::{Datelike, NaiveDate};

/// The birthday (誕生日) of someone born on `birth` in `year`: same month and day, except
/// 29 February, which is 1 March in a common year. Years beyond the calendar's range give
/// [`NaiveDate::MAX`] or [`NaiveDate::MIN`].
pub fn birthday_in(birth: NaiveDate, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        // Only 29 February can be missing from a year.
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(if year > 0 {
            NaiveDate::MAX
        } else {
            NaiveDate::MIN
        })
}

/// The Nth birthday (N歳の誕生日); the 0th is the day of birth.
pub fn nth_birthday(birth: NaiveDate, n: u32) -> NaiveDate {
    let year = i64::from(birth.year()) + i64::from(n);
    birthday_in(birth, i32::try_from(year).unwrap_or(i32::MAX))
}

/// The day on which a person reaches age N (N歳に達する日): the day before the Nth
/// birthday. Born 1954-08-01 → reaches 70 on 2024-07-31.
pub fn reaches_age_on(birth: NaiveDate, n: u32) -> NaiveDate {
    let birthday = nth_birthday(birth, n);
    birthday.pred_opt().unwrap_or(birthday)
}

/// Age on a date (満年齢): the largest N such that the person has reached N on or before
/// `on`. None when `on` is before the birth. Born 1954-08-01: 69 on 2024-07-30, 70 on
/// 2024-07-31.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    // Age increments on the day before each birthday, so count birthdays up to `on + 1`.
    let (next_year, birthday_passed) = match on.succ_opt() {
        Some(next) => (next.year(), birthday_in(birth, next.year()) <= next),
        // `on` is the last representable day (31 December): the next day would be
        // 1 January of the following year, where only a 1 January birthday has passed.
        None => (
            on.year().saturating_add(1),
            birth.month() == 1 && birth.day() == 1,
        ),
    };
    let years = i64::from(next_year) - i64::from(birth.year()) - i64::from(!birthday_passed);
    u32::try_from(years.max(0)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    #[test]
    fn spec_section_9_age_turns_on_the_day_before_the_birthday() {
        let birth = d(1954, 8, 1);
        assert_eq!(age_on(birth, d(2024, 7, 30)), Some(69));
        assert_eq!(age_on(birth, d(2024, 7, 31)), Some(70));
        assert_eq!(age_on(birth, d(2024, 8, 1)), Some(70));
        assert_eq!(reaches_age_on(birth, 70), d(2024, 7, 31));
    }

    #[test]
    fn ages_around_the_legal_cut_offs() {
        // (birth, on, age): 69/70 and 74/75 on either side of the day they are reached.
        let cases = [
            (d(1954, 8, 2), d(2024, 7, 31), 69),
            (d(1954, 8, 2), d(2024, 8, 1), 70),
            (d(1949, 8, 15), d(2024, 8, 13), 74),
            (d(1949, 8, 15), d(2024, 8, 14), 75),
            (d(1949, 8, 15), d(2024, 8, 15), 75),
            (d(1950, 1, 1), d(2024, 12, 30), 74),
            (d(1950, 1, 1), d(2024, 12, 31), 75),
            (d(2018, 4, 1), d(2024, 3, 30), 5),
            (d(2018, 4, 1), d(2024, 3, 31), 6),
            (d(2018, 4, 2), d(2024, 3, 31), 5),
            (d(2018, 4, 2), d(2024, 4, 1), 6),
            (d(2024, 5, 5), d(2024, 5, 5), 0),
            (d(2023, 12, 31), d(2024, 12, 29), 0),
            (d(2023, 12, 31), d(2024, 12, 30), 1),
        ];
        for (birth, on, age) in cases {
            assert_eq!(age_on(birth, on), Some(age), "born {birth} on {on}");
        }
    }

    #[test]
    fn born_on_29_february_has_a_1_march_birthday_in_common_years() {
        let birth = d(1952, 2, 29);
        assert_eq!(birthday_in(birth, 2023), d(2023, 3, 1));
        assert_eq!(birthday_in(birth, 2024), d(2024, 2, 29));
        assert_eq!(nth_birthday(birth, 75), d(2027, 3, 1));
        assert_eq!(reaches_age_on(birth, 75), d(2027, 2, 28));
        assert_eq!(reaches_age_on(birth, 72), d(2024, 2, 28));
        assert_eq!(age_on(birth, d(2027, 2, 27)), Some(74));
        assert_eq!(age_on(birth, d(2027, 2, 28)), Some(75));
        assert_eq!(age_on(birth, d(2024, 2, 27)), Some(71));
        assert_eq!(age_on(birth, d(2024, 2, 28)), Some(72));
        assert_eq!(age_on(birth, d(1952, 2, 29)), Some(0));
        assert_eq!(age_on(birth, d(1953, 2, 28)), Some(1));
    }

    #[test]
    fn before_birth_there_is_no_age() {
        assert_eq!(age_on(d(2000, 1, 2), d(2000, 1, 1)), None);
        assert_eq!(age_on(d(2000, 1, 1), d(1900, 1, 1)), None);
    }

    #[test]
    fn dates_at_the_calendar_limits_saturate() {
        let max = NaiveDate::MAX;
        let min = NaiveDate::MIN;
        assert_eq!(nth_birthday(d(2000, 6, 1), u32::MAX), NaiveDate::MAX);
        assert_eq!(reaches_age_on(min, 0), min);
        assert_eq!(birthday_in(d(2000, 6, 1), i32::MAX), NaiveDate::MAX);
        assert_eq!(birthday_in(d(2000, 6, 1), i32::MIN), NaiveDate::MIN);
        assert_eq!(age_on(min, min), Some(0));
        assert_eq!(age_on(max, max), Some(0));
        let span = max.year() - min.year();
        // `max` is 31 December, the day before a 1 January birth's birthday.
        assert_eq!(age_on(min, max).map(i64::from), Some(i64::from(span) + 1));
        assert_eq!(
            age_on(d(2000, 1, 1), max).map(i64::from),
            Some(i64::from(max.year()) + 1 - 2000)
        );
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0i64..=80_000).prop_map(|n| d(1880, 1, 1) + chrono::Duration::days(n))
    }

    proptest! {
        #[test]
        fn age_is_reached_exactly_on_reaches_age_on(birth in any_date(), n in 1u32..120) {
            let day = reaches_age_on(birth, n);
            prop_assert_eq!(age_on(birth, day), Some(n));
            prop_assert_eq!(age_on(birth, day.pred_opt().expect("not MIN")), Some(n - 1));
        }

        #[test]
        fn age_never_decreases_and_steps_by_at_most_one(birth in any_date(), offset in 0i64..40_000) {
            let on = birth + chrono::Duration::days(offset);
            let today = age_on(birth, on).expect("on >= birth");
            let tomorrow = age_on(birth, on + chrono::Duration::days(1)).expect("on >= birth");
            prop_assert!(tomorrow == today || tomorrow == today + 1);
        }
    }
}
