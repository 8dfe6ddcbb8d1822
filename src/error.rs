//! The crate's error type: what stops a command (exit code 2 unless said otherwise).

use crate::config::ConfigError;
use crate::ingest::FatalInput;
use crate::output::OutputError;
use std::fmt;

#[derive(Debug)]
pub enum Error {
    /// Bad command-line usage (exit 2).
    Usage(String),
    Config(ConfigError),
    /// A fatal input that stops the run (the fund, or the national list in `reconcile`).
    Input(Box<FatalInput>),
    Output(OutputError),
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// A polars failure: a bug or resource exhaustion, never an input problem.
    Polars(polars::prelude::PolarsError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => write!(f, "{m}"),
            Error::Config(e) => write!(
                f,
                "{}",
                crate::tr!("設定の誤り：{e}", "configuration error: {e}")
            ),
            Error::Input(e) => write!(f, "{}", e),
            Error::Output(e) => write!(f, "{e}"),
            Error::Io { path, source } => write!(
                f,
                "{}{}{}",
                path.display(),
                crate::i18n::Tr::new("：", ": "),
                crate::i18n::io_reason(source)
            ),
            Error::Polars(e) => write!(
                f,
                "{}",
                crate::tr!(
                    "内部エラー（データフレーム）：{e}",
                    "internal error (data frame): {e}"
                )
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
    }
}

impl From<OutputError> for Error {
    fn from(e: OutputError) -> Self {
        Error::Output(e)
    }
}

impl From<polars::prelude::PolarsError> for Error {
    fn from(e: polars::prelude::PolarsError) -> Self {
        Error::Polars(e)
    }
}

pub type Result<T> = std::result::Result<T, Error>;
