//! Command-line arguments (clap) and their resolution into settings (ripgrep's lowargs →
//! hiargs): parse dates, load rules, pick encodings, once, before any work.
//!
//! The arguments are declared here; what `--help` says about each, in both languages, is its
//! row in [`help::CATALOGUE`] (a new option needs one, and a test says so).

pub mod help;

use crate::config::{Config, ConfigError};
use crate::domain::date::{EraDigits, parse_date};
use crate::error::{Error, Result};
use crate::ingest::encoding::InputEncoding;
use crate::output::ListEncoding;
use crate::report::FailOn;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "shikaku", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LangArg {
    Ja,
    En,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Reconcile(ReconcileArgs),
    Mailing(MailingArgs),
    Check(CheckArgs),
    Inspect(InspectArgs),
    Explain { code: String },
    Rules,
}

#[derive(Args, Debug, Clone)]
pub struct Common {
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    #[arg(long, value_enum, default_value_t = FailOnArg::Error)]
    pub fail_on: FailOnArg,
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub max_per_code: usize,
    #[arg(long, value_name = "ENC", default_value = "auto")]
    pub input_encoding: String,
    #[arg(long, value_name = "ENC", default_value = "cp932")]
    pub encoding: String,
    #[arg(long)]
    pub xlsx: bool,
    #[arg(long)]
    pub quiet: bool,
    #[arg(long, requires = "out")]
    pub employer_workbooks: bool,
    #[arg(long)]
    pub wait: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    /// JUnit XML: a test suite per file, a test case per rule, a failure per finding at or above --fail-on.
    Junit,
    /// SARIF 2.1.0: every rule with its help, a result per finding with its file and row.
    Sarif,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOnArg {
    Error,
    Warning,
    None,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentArg {
    /// 資格情報のお知らせ.
    Notice,
    /// 資格確認書.
    Certificate,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindArg {
    Fund,
    Employer,
    NationalList,
    NationalRegistry,
}

impl KindArg {
    pub fn kind(self) -> crate::field::SourceKind {
        use crate::field::SourceKind as K;
        match self {
            KindArg::Fund => K::Fund,
            KindArg::Employer => K::Employer,
            KindArg::NationalList => K::NationalList,
            KindArg::NationalRegistry => K::NationalRegistry,
        }
    }
}

#[derive(Args, Debug)]
pub struct ReconcileArgs {
    #[arg(long, value_name = "FILE")]
    pub fund: PathBuf,
    #[arg(long, value_name = "FILE")]
    pub national_list: PathBuf,
    #[arg(long, value_name = "FILE")]
    pub national_registry: Option<PathBuf>,
    #[arg(long, value_name = "FILE_OR_DIR")]
    pub employer: Vec<PathBuf>,
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct MailingArgs {
    #[arg(long, value_name = "FILE")]
    pub fund: PathBuf,
    #[arg(long, value_name = "FILE_OR_DIR")]
    pub employer: Vec<PathBuf>,
    #[arg(long, value_enum)]
    pub document: DocumentArg,
    #[arg(long, value_name = "DATE")]
    pub base_date: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub base_date_individual: Option<String>,
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[arg(long, value_enum)]
    pub kind: KindArg,
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    pub file: PathBuf,
    #[arg(long, value_enum)]
    pub kind: KindArg,
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub rows: usize,
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    #[arg(long, value_name = "ENC", default_value = "auto")]
    pub input_encoding: String,
}

/// Parse the command line in `lang`: `--help` and usage errors are printed here, in that
/// language, and come back as the exit code (0 for help and version, 2 for an error).
pub fn parse(
    args: Vec<std::ffi::OsString>,
    lang: crate::i18n::Lang,
) -> std::result::Result<Cli, i32> {
    use clap::{CommandFactory, FromArgMatches};
    let cmd = help::localize(Cli::command(), lang);
    let parsed = cmd
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    parsed.map_err(|err| {
        let text = help::render_error(&err, lang);
        if err.use_stderr() {
            eprint!("{text}");
        } else {
            print!("{text}");
        }
        err.exit_code()
    })
}

/// Resolved common options.
pub struct Settings {
    pub config: Config,
    pub as_of: NaiveDate,
    pub format: OutputFormat,
    pub fail_on: FailOn,
    pub max_per_code: usize,
    pub input_encoding: InputEncoding,
    pub list_encoding: ListEncoding,
    pub xlsx: bool,
    pub progress: bool,
    pub employer_workbooks: bool,
    pub wait: bool,
    /// When the run started (Asia/Tokyo): run.json, report.html, the workbooks' cover.
    pub started_at: chrono::DateTime<chrono::FixedOffset>,
}

/// Today in Asia/Tokyo (UTC+9 all year: Japan has no daylight saving time).
pub fn today_tokyo() -> NaiveDate {
    let tokyo = chrono::FixedOffset::east_opt(9 * 3600)
        .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("zero offset"));
    chrono::Utc::now().with_timezone(&tokyo).date_naive()
}

/// A date given on the command line: any unambiguous form shikaku reads.
pub fn parse_cli_date(option: &str, text: &str) -> Result<NaiveDate> {
    match parse_date(text, EraDigits::OneToFive) {
        Ok(p) => Ok(p.date),
        Err(_) => Err(Error::Usage(crate::tr!(
            "{option} {text}：日付として読めません（YYYY-MM-DD の形で指定してください）",
            "{option} {text}: not a date (use YYYY-MM-DD)"
        ))),
    }
}

pub fn load_config(rules: Option<&PathBuf>) -> std::result::Result<Config, ConfigError> {
    let config = match rules {
        Some(dir) => Config::load(dir)?,
        None => {
            let default = PathBuf::from("rules");
            if default.is_dir() {
                Config::load(&default)?
            } else {
                Config::builtin()
            }
        }
    };
    config
        .checks
        .check_codes(|code| crate::checks::registry::find(code).map(|r| r.severity))?;
    Ok(config)
}

pub fn input_encoding(label: &str) -> Result<InputEncoding> {
    InputEncoding::from_label(label).ok_or_else(|| {
        Error::Usage(crate::tr!(
            "--input-encoding {label}：auto、cp932、utf8 のいずれかを指定してください",
            "--input-encoding {label}: expected auto, cp932 or utf8"
        ))
    })
}

impl Common {
    pub fn resolve(&self) -> Result<Settings> {
        let started_at = crate::report::run::now_tokyo();
        let config = load_config(self.rules.as_ref())?;
        let as_of = match &self.as_of {
            Some(t) => parse_cli_date("--as-of", t)?,
            None => today_tokyo(),
        };
        let list_encoding = ListEncoding::from_cli(&self.encoding).ok_or_else(|| {
            Error::Usage(crate::tr!(
                "--encoding {}：cp932、utf8、utf8-bom のいずれかを指定してください",
                "--encoding {}: expected cp932, utf8 or utf8-bom";
                self.encoding
            ))
        })?;
        Ok(Settings {
            config,
            as_of,
            format: self.format,
            fail_on: match self.fail_on {
                FailOnArg::Error => FailOn::Error,
                FailOnArg::Warning => FailOn::Warning,
                FailOnArg::None => FailOn::None,
            },
            max_per_code: self.max_per_code,
            input_encoding: input_encoding(&self.input_encoding)?,
            list_encoding,
            xlsx: self.xlsx,
            progress: !self.quiet && std::io::stderr().is_terminal(),
            employer_workbooks: self.employer_workbooks,
            wait: self.wait,
            started_at,
        })
    }
}
