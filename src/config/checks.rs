//! `checks.toml`: renewal window, notice base dates, per-code severity.

use super::ConfigError;
use crate::finding::Severity;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

/// A severity set in `[severity]`: one of the four, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeverityOverride {
    Set(Severity),
    Off,
}

#[derive(Clone, Debug)]
pub struct Checks {
    /// 更新: a certificate expiring within this many days of D is renewed (SPEC §4.6).
    pub renewal_window_days: i64,
    pub notice_base_date: Option<NaiveDate>,
    /// 任意継続/特例退職 households (seed 004: 2024-09-14 beside 2024-08-31).
    pub notice_base_date_individual: Option<NaiveDate>,
    /// Per code, as written (upper-cased). Whether each code is a rule is checked by
    /// [`Checks::check_codes`]: the configuration does not know the rules.
    pub severity: BTreeMap<String, SeverityOverride>,
    /// Where each code's severity was set: the error names the file and line.
    set_at: BTreeMap<String, ConfigError>,
}

impl Default for Checks {
    fn default() -> Self {
        Checks {
            renewal_window_days: 60,
            notice_base_date: None,
            notice_base_date_individual: None,
            severity: BTreeMap::new(),
            set_at: BTreeMap::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    renewal_window_days: Option<Spanned<i64>>,
    notice_base_date: Option<Spanned<toml::Value>>,
    notice_base_date_individual: Option<Spanned<toml::Value>>,
    severity: Option<BTreeMap<String, Spanned<String>>>,
}

impl Checks {
    pub(super) fn merge_file(&mut self, path: &Path, text: &str) -> Result<(), ConfigError> {
        let file: File = toml::from_str(text).map_err(|e| ConfigError::from_toml(path, text, e))?;
        if let Some(days) = file.renewal_window_days {
            if !(0..=3660).contains(days.get_ref()) {
                return Err(ConfigError::at(
                    path,
                    text,
                    Some(days.span().start),
                    crate::tr!(
                        "renewal_window_days = {}：0〜3660 の日数で指定してください",
                        "renewal_window_days = {}: expected 0..=3660";
                        days.get_ref()
                    ),
                ));
            }
            self.renewal_window_days = *days.get_ref();
        }
        if let Some(v) = file.notice_base_date {
            self.notice_base_date = Some(date_value(path, text, "notice_base_date", &v)?);
        }
        if let Some(v) = file.notice_base_date_individual {
            self.notice_base_date_individual =
                Some(date_value(path, text, "notice_base_date_individual", &v)?);
        }
        for (code, value) in file.severity.unwrap_or_default() {
            let at = Some(value.span().start);
            let code = code.trim().to_ascii_uppercase();
            self.set_at
                .insert(code.clone(), ConfigError::at(path, text, at, String::new()));
            let set = match value.get_ref().as_str() {
                "error" => SeverityOverride::Set(Severity::Error),
                "warning" => SeverityOverride::Set(Severity::Warning),
                "info" => SeverityOverride::Set(Severity::Info),
                "off" => SeverityOverride::Off,
                other => {
                    return Err(ConfigError::at(
                        path,
                        text,
                        at,
                        crate::tr!(
                            "[severity] {code} = \"{other}\"：error、warning、info、off のいずれかを指定してください",
                            "[severity] {code} = \"{other}\": expected error, warning, info or off"
                        ),
                    ));
                }
            };
            self.severity.insert(code, set);
        }
        Ok(())
    }

    /// Every code set in `[severity]` must be a rule, and a fatal rule keeps its severity.
    /// `default_severity` is the registry's (`checks::registry`), passed in by the caller so
    /// that the configuration does not depend on the rules.
    pub fn check_codes(
        &self,
        default_severity: impl Fn(&str) -> Option<Severity>,
    ) -> Result<(), ConfigError> {
        for code in self.severity.keys() {
            let at = |message: String| ConfigError {
                message,
                ..self.set_at[code].clone()
            };
            match default_severity(code) {
                None => {
                    return Err(at(crate::tr!(
                        "[severity] {code}：このコードのルールはありません（`shikaku rules` で一覧を表示できます）",
                        "[severity] {code}: no such rule (see `shikaku rules`)"
                    )));
                }
                Some(Severity::Fatal) => {
                    return Err(at(crate::tr!(
                        "[severity] {code}：致命的エラーのルールは重大度を変更できません",
                        "[severity] {code}: a fatal rule's severity cannot be changed"
                    )));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }
}

/// A base date may be written as a TOML date (`2024-08-31`) or a string (`"2024-08-31"`).
fn date_value(
    path: &Path,
    text: &str,
    key: &str,
    v: &Spanned<toml::Value>,
) -> Result<NaiveDate, ConfigError> {
    let raw = match v.get_ref() {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    };
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        ConfigError::at(
            path,
            text,
            Some(v.span().start),
            crate::tr!(
                "{key} = {raw}：日付を YYYY-MM-DD の形で指定してください",
                "{key} = {raw}: expected a date YYYY-MM-DD"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_example_loads_with_string_or_toml_dates() {
        for text in [
            "renewal_window_days = 60\nnotice_base_date = \"2024-08-31\"\nnotice_base_date_individual = \"2024-09-14\"\n[severity]\nID002 = \"off\"\n",
            "notice_base_date = 2024-08-31\nnotice_base_date_individual = 2024-09-14\n[severity]\nID002 = \"off\"\n",
        ] {
            let mut c = Checks::default();
            c.merge_file(Path::new("checks.toml"), text).unwrap();
            assert_eq!(c.renewal_window_days, 60);
            assert_eq!(c.notice_base_date, NaiveDate::from_ymd_opt(2024, 8, 31));
            assert_eq!(
                c.notice_base_date_individual,
                NaiveDate::from_ymd_opt(2024, 9, 14)
            );
            assert_eq!(c.severity.get("ID002"), Some(&SeverityOverride::Off));
        }
    }

    #[test]
    fn omitted_keys_keep_their_default() {
        let mut c = Checks::default();
        c.merge_file(Path::new("checks.toml"), "[severity]\nMN005 = \"error\"\n")
            .unwrap();
        assert_eq!(c.renewal_window_days, 60);
        assert_eq!(c.notice_base_date, None);
        assert_eq!(
            c.severity.get("MN005"),
            Some(&SeverityOverride::Set(Severity::Error))
        );
    }

    #[test]
    fn bad_values_are_errors_with_their_line() {
        let cases = [
            ("renewal_window_days = \"60\"\n", 1, "renewal_window_days"),
            (
                "\nnotice_base_date = \"2024-02-30\"\n",
                2,
                "notice_base_date",
            ),
            ("[severity]\nXX001 = \"off\"\n", 2, "XX001"),
            ("[severity]\nID002 = \"silent\"\n", 2, "silent"),
            ("[severity]\nIN003 = \"warning\"\n", 2, "IN003"),
            ("renewal_days = 30\n", 1, "renewal_days"),
        ];
        // The rules as the registry has them (XX001 is none; IN003 is fatal).
        let rules = |code: &str| match code {
            "XX001" => None,
            "IN003" => Some(Severity::Fatal),
            _ => Some(Severity::Error),
        };
        for (text, line, needle) in cases {
            let mut checks = Checks::default();
            let err = checks
                .merge_file(Path::new("checks.toml"), text)
                .and_then(|()| checks.check_codes(rules))
                .unwrap_err();
            assert_eq!(err.line, Some(line), "{text}: {err}");
            assert!(err.to_string().contains(needle), "{text}: {err}");
        }
    }
}
