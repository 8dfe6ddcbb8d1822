//! shikaku-bench: the benchmark harness (`just bench`, SPEC §8).
//!
//! Every figure is the whole process, run as a child of this one: a release build, data from
//! the fixed-seed generator (`shikaku-gen`, written to `bench-data/` when missing), one
//! discarded warm-up run so the page cache is warm, then the median and the spread of `--runs`
//! runs, and the peak RSS. Beside every figure that reads files stands its floor: a process
//! that reads the same files and does nothing else (CP932 decoding by encoding_rs and a record
//! count for CSV; calamine visiting every cell for workbooks).
//!
//! The floors, workbook ingest and the date parser are modes of this binary
//! (`shikaku-bench floor PATH…`, `ingest-xlsx DIR`, `dates FILE`).

mod data;
mod measure;
mod modes;
mod suite;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "shikaku-bench",
    about = "Benchmarks of shikaku on generated data (release build, warm cache, median of runs, peak RSS)",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    mode: Option<Mode>,
    /// Members in the generated fund (the 1m targets are the ones the spec sets).
    #[arg(long, value_enum, default_value_t = Scale::M1)]
    scale: Scale,
    /// Measured runs per figure, after one warm-up run.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Run only these benchmarks (repeat, or separate with commas); `--list` names them.
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    only: Vec<String>,
    /// List the benchmarks and exit.
    #[arg(long)]
    list: bool,
    /// Where generated data, run outputs and scratch files go.
    #[arg(long, value_name = "DIR", default_value = "bench-data")]
    data: PathBuf,
}

#[derive(Subcommand)]
enum Mode {
    /// Read files and nothing else: CSV decoded from CP932 and its records counted; .xlsx
    /// opened by calamine and every cell visited. Directories stand for their files.
    #[command(visible_aliases = ["floor-csv", "floor-xlsx"])]
    Floor {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Read employer workbooks with `shikaku::ingest::read`.
    IngestXlsx {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Parse every line of FILE as a date (EraDigits::OneToFive), timed in-process.
    Dates { file: PathBuf },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    #[value(name = "100k")]
    K100,
    #[value(name = "1m")]
    M1,
}

impl Scale {
    pub fn members(self) -> usize {
        match self {
            Scale::K100 => 100_000,
            Scale::M1 => 1_000_000,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Scale::K100 => "100k",
            Scale::M1 => "1m",
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.mode {
        Some(Mode::Floor { paths }) => modes::floor(&paths),
        Some(Mode::IngestXlsx { paths }) => modes::ingest_xlsx(&paths),
        Some(Mode::Dates { file }) => modes::dates(&file),
        None if cli.list => {
            for b in suite::BENCHMARKS {
                println!("{:<15} {}", b.name, b.about);
            }
            Ok(())
        }
        None => suite::run(&suite::Options {
            scale: cli.scale,
            runs: cli.runs.max(1),
            only: cli.only,
            data: cli.data,
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shikaku-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
