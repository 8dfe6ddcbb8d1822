//! What names a run in every output people keep: the command, its evaluation date(s) and when
//! it started. The HTML report, the employer workbooks and `run.json` all print it.

use chrono::{DateTime, FixedOffset, NaiveDate};

/// The evaluation date(s) of a run (SPEC §4.0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunDates {
    /// `check` and `reconcile`: D is `--as-of`.
    AsOf(NaiveDate),
    /// `mailing`: D is the base date, another for 任意継続/特例退職 households.
    BaseDates {
        general: NaiveDate,
        individual: NaiveDate,
    },
}

impl RunDates {
    /// The dates as people read them: `D = 2026-11-01`, or both base dates.
    pub fn describe(&self) -> String {
        match *self {
            RunDates::AsOf(d) => crate::tr!("基準日 D = {d}", "D = {d}"),
            RunDates::BaseDates {
                general,
                individual,
            } if general == individual => crate::tr!("基準日 {general}", "base date {general}"),
            RunDates::BaseDates {
                general,
                individual,
            } => crate::tr!(
                "基準日 {general}（任意継続・特例退職 {individual}）",
                "base date {general} (任意継続/特例退職 {individual})"
            ),
        }
    }
}

/// One run of a command.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// `reconcile`, `mailing` or `check`.
    pub command: &'static str,
    /// The command line as given, My Number digits masked (a path could hold anything).
    pub argv: Vec<String>,
    pub dates: RunDates,
    /// When the run started, Asia/Tokyo.
    pub started_at: DateTime<FixedOffset>,
}

impl RunInfo {
    pub fn new(command: &'static str, dates: RunDates, started_at: DateTime<FixedOffset>) -> Self {
        let argv = std::env::args_os()
            .map(|a| super::mask::mask_digit_runs(&a.to_string_lossy()).into_owned())
            .collect();
        RunInfo {
            command,
            argv,
            dates,
            started_at,
        }
    }

    /// The command line on one line, arguments with spaces quoted.
    pub fn command_line(&self) -> String {
        self.argv
            .iter()
            .map(|a| {
                if a.is_empty() || a.contains(char::is_whitespace) {
                    format!("\"{a}\"")
                } else {
                    a.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Now in Asia/Tokyo (UTC+9 all year).
pub fn now_tokyo() -> DateTime<FixedOffset> {
    let tokyo = chrono::FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| {
        chrono::FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!("zero offset"))
    });
    chrono::Utc::now().with_timezone(&tokyo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with};

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn dates_read_as_d_or_both_base_dates() {
        let d = RunDates::AsOf(date("2026-11-01"));
        assert_eq!(with(Lang::Ja, || d.describe()), "基準日 D = 2026-11-01");
        assert_eq!(with(Lang::En, || d.describe()), "D = 2026-11-01");
        let both = RunDates::BaseDates {
            general: date("2024-08-31"),
            individual: date("2024-09-14"),
        };
        assert_eq!(
            with(Lang::Ja, || both.describe()),
            "基準日 2024-08-31（任意継続・特例退職 2024-09-14）"
        );
        let one = RunDates::BaseDates {
            general: date("2024-08-31"),
            individual: date("2024-08-31"),
        };
        assert_eq!(with(Lang::En, || one.describe()), "base date 2024-08-31");
    }

    #[test]
    fn command_line_quotes_arguments_with_spaces() {
        let run = RunInfo {
            command: "check",
            argv: vec!["shikaku".into(), "check".into(), "my file.csv".into()],
            dates: RunDates::AsOf(date("2026-11-01")),
            started_at: now_tokyo(),
        };
        assert_eq!(run.command_line(), "shikaku check \"my file.csv\"");
    }
}
