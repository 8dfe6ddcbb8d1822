//! `companies.toml`: the fund's own 保険者番号 and each affiliated company's notice route.

use super::ConfigError;
use crate::domain::{insurer_no, postal};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

/// How 資格情報のお知らせ reach a company's members (seed 004 §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeRoute {
    /// 自宅: to the member's address.
    Home,
    /// 事業所: in bulk to the company's office.
    Office,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Company {
    pub code: String,
    pub name: String,
    pub notice_route: NoticeRoute,
    /// 7 digits, normalized.
    pub office_postal_code: Option<String>,
    pub office_address: Option<String>,
}

impl Company {
    /// An office address is configured (both parts).
    pub fn has_office_address(&self) -> bool {
        self.office_postal_code.is_some() && self.office_address.is_some()
    }
}

/// The built-in default knows no fund number and no company: a fund must describe its own.
#[derive(Clone, Debug, Default)]
pub struct Companies {
    pub insurer_no: Option<String>,
    pub fund_name: Option<String>,
    by_code: BTreeMap<String, Company>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    fund: Option<FundSection>,
    company: Option<Vec<Spanned<CompanySection>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FundSection {
    insurer_no: Option<Spanned<String>>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompanySection {
    code: String,
    name: Option<String>,
    notice_route: NoticeRoute,
    office_postal_code: Option<Spanned<String>>,
    office_address: Option<String>,
}

impl Companies {
    pub fn get(&self, code: &str) -> Option<&Company> {
        self.by_code.get(code)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Company> {
        self.by_code.values()
    }

    pub(super) fn merge_file(&mut self, path: &Path, text: &str) -> Result<(), ConfigError> {
        let file: File = toml::from_str(text).map_err(|e| ConfigError::from_toml(path, text, e))?;
        if let Some(fund) = file.fund {
            if let Some(no) = fund.insurer_no {
                let value = no.get_ref().trim().to_string();
                if !insurer_no::is_valid(&value) {
                    return Err(ConfigError::at(
                        path,
                        text,
                        Some(no.span().start),
                        crate::tr!(
                            "[fund] insurer_no = \"{value}\"：検証番号の正しい8桁の保険者番号ではありません",
                            "[fund] insurer_no = \"{value}\": not an 8-digit 保険者番号 with a valid check digit"
                        ),
                    ));
                }
                self.insurer_no = Some(value);
            }
            if let Some(name) = fund.name {
                self.fund_name = Some(name);
            }
        }
        if let Some(companies) = file.company {
            // The list replaces the default's (which is empty): companies are not merged one by one.
            let mut by_code = BTreeMap::new();
            for spanned in companies {
                let at = Some(spanned.span().start);
                let c = spanned.into_inner();
                let code = c.code.trim().to_string();
                if code.is_empty() {
                    return Err(ConfigError::at(
                        path,
                        text,
                        at,
                        crate::tr!("[[company]] code が空です", "[[company]] code is empty"),
                    ));
                }
                let office_postal_code = match c.office_postal_code {
                    None => None,
                    Some(p) => match postal::normalize(p.get_ref()) {
                        postal::PostalCode::Valid(code7) => Some(code7),
                        _ => {
                            return Err(ConfigError::at(
                                path,
                                text,
                                Some(p.span().start),
                                crate::tr!(
                                    "[[company]] {code}：office_postal_code \"{}\" は7桁の郵便番号ではありません",
                                    "[[company]] {code}: office_postal_code \"{}\" is not a 7-digit 郵便番号";
                                    p.get_ref()
                                ),
                            ));
                        }
                    },
                };
                let office_address = c
                    .office_address
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty());
                let company = Company {
                    name: c.name.unwrap_or_default(),
                    notice_route: c.notice_route,
                    office_postal_code,
                    office_address,
                    code: code.clone(),
                };
                if by_code.insert(code.clone(), company).is_some() {
                    return Err(ConfigError::at(
                        path,
                        text,
                        at,
                        crate::tr!(
                            "[[company]] code \"{code}\" が2回あります",
                            "[[company]] code \"{code}\" appears twice"
                        ),
                    ));
                }
            }
            self.by_code = by_code;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC_EXAMPLE: &str = r#"
[fund]
insurer_no = "06139992"
name = "さくら健康保険組合"
[[company]]
code = "C01"
name = "さくら商事株式会社"
notice_route = "home"            # home | office
[[company]]
code = "C03"
name = "さくら労働組合"
notice_route = "office"
office_postal_code = "1000005"
office_address = "東京都千代田区丸の内一丁目1番1号"
"#;

    #[test]
    fn the_spec_example_loads() {
        let mut c = Companies::default();
        c.merge_file(Path::new("companies.toml"), SPEC_EXAMPLE)
            .unwrap();
        assert_eq!(c.insurer_no.as_deref(), Some("06139992"));
        assert_eq!(c.get("C01").unwrap().notice_route, NoticeRoute::Home);
        let c03 = c.get("C03").unwrap();
        assert_eq!(c03.notice_route, NoticeRoute::Office);
        assert_eq!(c03.office_postal_code.as_deref(), Some("1000005"));
        assert!(c03.has_office_address());
        assert!(!c.get("C01").unwrap().has_office_address());
        assert!(c.get("C02").is_none());
    }

    #[test]
    fn bad_values_are_errors_with_their_line() {
        let cases = [
            ("[fund]\ninsurer_no = \"06130012\"\n", 2, "06130012"),
            (
                "[[company]]\ncode = \"C1\"\nnotice_route = \"post\"\n",
                3,
                "post",
            ),
            (
                "[[company]]\ncode = \"C1\"\nnotice_route = \"home\"\nzip = \"1\"\n",
                4,
                "zip",
            ),
            (
                "[[company]]\ncode = \"C1\"\nnotice_route = \"office\"\noffice_postal_code = \"12-345\"\n",
                4,
                "12-345",
            ),
            (
                "[[company]]\ncode = \"C1\"\nnotice_route = \"home\"\n[[company]]\ncode = \"C1\"\nnotice_route = \"home\"\n",
                4,
                "twice",
            ),
        ];
        for (text, line, needle) in cases {
            let err = crate::i18n::with(crate::i18n::Lang::En, || {
                Companies::default()
                    .merge_file(Path::new("companies.toml"), text)
                    .unwrap_err()
            });
            assert_eq!(err.line, Some(line), "{text}: {err}");
            assert!(err.to_string().contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn errors_are_written_in_japanese() {
        let twice = "[[company]]\ncode = \"C1\"\nnotice_route = \"home\"\n[[company]]\ncode = \"C1\"\nnotice_route = \"home\"\n";
        let unknown = "[[company]]\ncode = \"C1\"\nnotice_route = \"post\"\n";
        let ja = |text| {
            crate::i18n::with(crate::i18n::Lang::Ja, || {
                Companies::default()
                    .merge_file(Path::new("companies.toml"), text)
                    .unwrap_err()
                    .to_string()
            })
        };
        assert_eq!(
            ja(twice),
            "companies.toml:4: [[company]] code \"C1\" が2回あります"
        );
        assert!(
            ja(unknown).starts_with(
                "companies.toml:3: `post` は使えない値です（使える値：`home`、`office`）"
            ),
            "{}",
            ja(unknown)
        );
    }
}
