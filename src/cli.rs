//! Command-line arguments (clap) and their resolution into settings (ripgrep's lowargs →
//! hiargs): parse dates, load rules, pick encodings, once, before any work.

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
#[command(
    name = "shikaku",
    version,
    about = "資格 — eligibility data checks and reconciliation for a 健康保険組合",
    long_about = "shikaku reads the fund's member master, employers' Excel/CSV extracts and the national system's CP932 CSV files, reports every problem with its file, sheet, row and cell, and writes the lists staff act on: 資格確認書 to issue and to recover, and the mailing manifest for 資格情報のお知らせ."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Language of everything shikaku prints for people: ja (default) or en. Also SHIKAKU_LANG.
    /// JSON keys, codes and the lists do not change with it.
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
    /// Monthly reconciliation against the national 職権交付対象者リスト: certificates and returns.
    Reconcile(ReconcileArgs),
    /// Pre-mailing checks and the mailing manifest (資格情報のお知らせ or 資格確認書).
    Mailing(MailingArgs),
    /// Single-file checks for a CI gate: exit code, JSON findings, baseline.
    Check(CheckArgs),
    /// Show how a file is read: encoding, sheets, header row, header → field mapping, first rows.
    Inspect(InspectArgs),
    /// Print a rule's documentation.
    Explain {
        /// Rule code, e.g. MN001.
        code: String,
    },
    /// List every rule: code, severity, summary.
    Rules,
}

#[derive(Args, Debug, Clone)]
pub struct Common {
    /// Directory of columns.toml, companies.toml, checks.toml (and postal_codes.tsv). Default ./rules when it exists.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Evaluation date D (default: today in Asia/Tokyo). Any date form shikaku reads: 2026-11-01, R8.11.1 …
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Exit 1 when a finding at or above this severity remains.
    #[arg(long, value_enum, default_value_t = FailOnArg::Error)]
    pub fail_on: FailOnArg,
    /// Findings shown per code in the human report (JSON keeps all).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub max_per_code: usize,
    /// Encoding of CSV inputs: auto (BOM, else UTF-8 if valid, else CP932), cp932, utf8 (a BOM wins).
    #[arg(long, value_name = "ENC", default_value = "auto")]
    pub input_encoding: String,
    /// Encoding of the lists written to --out: cp932 (CRLF), utf8, utf8-bom.
    #[arg(long, value_name = "ENC", default_value = "cp932")]
    pub encoding: String,
    /// Also write each list as .xlsx (every cell text, so no code loses a leading zero).
    #[arg(long)]
    pub xlsx: bool,
    /// No progress bars.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
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
    /// The fund's member master (CSV or Excel).
    #[arg(long, value_name = "FILE")]
    pub fund: PathBuf,
    /// 職権交付対象者リスト (CP932 CSV).
    #[arg(long, value_name = "FILE")]
    pub national_list: PathBuf,
    /// The national qualification registry (CP932 CSV).
    #[arg(long, value_name = "FILE")]
    pub national_registry: Option<PathBuf>,
    /// Employer extracts: files, or directories (every .xlsx/.xls/.xlsb/.ods/.csv directly in them).
    #[arg(long, value_name = "FILE_OR_DIR")]
    pub employer: Vec<PathBuf>,
    /// Write certificates.csv, returns.csv and findings.json here.
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
    /// Base date for 一般 households (default notice_base_date in checks.toml, else --as-of).
    #[arg(long, value_name = "DATE")]
    pub base_date: Option<String>,
    /// Base date for 任意継続/特例退職 households (default notice_base_date_individual, else the base date).
    #[arg(long, value_name = "DATE")]
    pub base_date_individual: Option<String>,
    /// Write mailing.csv and findings.json here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[arg(long, value_enum)]
    pub kind: KindArg,
    /// Files (or, for employer, directories) to check.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Write findings.json here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Suppress findings listed in this baseline (JSON lines of code, kind, key, column).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the current findings as a baseline to this file.
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
    /// Data rows to show after reading.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub rows: usize,
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    #[arg(long, value_name = "ENC", default_value = "auto")]
    pub input_encoding: String,
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
    match rules {
        Some(dir) => Config::load(dir),
        None => {
            let default = PathBuf::from("rules");
            if default.is_dir() {
                Config::load(&default)
            } else {
                Ok(Config::builtin())
            }
        }
    }
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
        })
    }
}
