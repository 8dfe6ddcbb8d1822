//! shikaku-bench: the benchmark harness (`just bench`, SPEC §8) and its data generator.
//!
//! Every figure is the whole process, run as a child of this one: a release build, data from
//! the fixed-seed generator (`generate`, written to `bench-data/` when missing), one
//! discarded warm-up run so the page cache is warm, then the median and the spread of `--runs`
//! runs, and the peak RSS. Beside every figure that reads files stands its floor: a process
//! that reads the same files and does nothing else (CP932 decoding by encoding_rs and a record
//! count for CSV; calamine visiting every cell for workbooks, split into inflate and XML).
//! Every run's outputs are compared with the data set's reference digests.
//!
//! The generator, the floors, workbook ingest and the date parser are modes of this binary
//! (`shikaku-bench generate …`, `floor PATH…`, `ingest-xlsx DIR`, `dates FILE`).

mod data;
mod datagen;
mod measure;
mod modes;
mod outputs;
mod report;
mod suite;

// Shared with shikaku-gen, which writes the sample data from the same pools and date forms;
// each binary uses part of them.
#[allow(dead_code)]
#[path = "../shikaku-gen/pools.rs"]
mod pools;
#[allow(dead_code)]
#[path = "../shikaku-gen/rng.rs"]
mod rng;
#[allow(dead_code)]
#[path = "../shikaku-gen/text.rs"]
mod text;

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
    /// Kill a measured process whose resident set passes this many GiB (the machine is
    /// shared; 0 for no limit).
    #[arg(long, value_name = "GIB", default_value_t = 16.0)]
    max_rss: f64,
}

#[derive(Subcommand)]
enum Mode {
    /// Read files and nothing else: CSV decoded from CP932 and its records counted; .xlsx
    /// read as far as `--level` says. Directories stand for their files.
    #[command(visible_aliases = ["floor-csv", "floor-xlsx"])]
    Floor {
        /// How far to read a workbook (CSV files are always decoded and counted).
        #[arg(long, value_enum, default_value_t = modes::Level::Range)]
        level: modes::Level,
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
    /// Write a benchmark data set: fund.csv, national-registry.csv, national-list.csv,
    /// rules/companies.toml and employers/ (README "Performance").
    Generate {
        /// Members (insured persons and dependents) in the fund.
        #[arg(long)]
        members: usize,
        #[arg(long)]
        out: PathBuf,
        /// How the employer files are written.
        #[arg(long, value_enum, default_value_t = datagen::Employers::Xlsx)]
        employers: datagen::Employers,
        /// Also write DIR: the same CSV files and rules (hard links) beside the same employer
        /// workbooks written as openpyxl writes them (inline strings, datetime cells).
        #[arg(long, value_name = "DIR")]
        inline_twin: Option<PathBuf>,
        /// Write fund.csv only.
        #[arg(long)]
        fund_only: bool,
        /// Fraction of fund rows (0 to 1) given one planted problem (MN003, BD002, AD003 or
        /// IN009), for the benchmark of rendering many findings. The members do not change.
        #[arg(long, value_name = "R", default_value_t = 0.0)]
        problem_rate: f64,
        /// Members on the national list, per mille (only active members are listed).
        #[arg(long, value_name = "N", default_value_t = 60)]
        list_per_mille: u64,
        /// A light sprinkle of problems in every file (the data sets have no finding without).
        #[arg(long)]
        sprinkle: bool,
        #[arg(long, default_value_t = 20261101)]
        seed: u64,
    },
    /// Write N mixed-form date strings, one per line (UTF-8), for the date-parser benchmark.
    GenerateDates {
        #[arg(long)]
        count: usize,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 19540801)]
        seed: u64,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    #[value(name = "100k")]
    K100,
    #[value(name = "1m")]
    M1,
    /// CSV-only: reconcile on fund, registry, list N/10 and employer CSV files.
    #[value(name = "10m")]
    M10,
}

impl Scale {
    pub fn members(self) -> usize {
        match self {
            Scale::K100 => 100_000,
            Scale::M1 => 1_000_000,
            Scale::M10 => 10_000_000,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Scale::K100 => "100k",
            Scale::M1 => "1m",
            Scale::M10 => "10m",
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.mode {
        Some(Mode::Floor { level, paths }) => modes::floor(level, &paths),
        Some(Mode::IngestXlsx { paths }) => modes::ingest_xlsx(&paths),
        Some(Mode::Dates { file }) => modes::dates(&file),
        Some(Mode::Generate {
            members,
            out,
            employers,
            inline_twin,
            fund_only,
            problem_rate,
            list_per_mille,
            sprinkle,
            seed,
        }) => datagen::run(&datagen::Options {
            members,
            out,
            employers,
            inline_twin,
            fund_only,
            problem_rate,
            list_per_mille,
            sprinkle,
            seed,
        }),
        Some(Mode::GenerateDates { count, out, seed }) => datagen::dates::run(count, &out, seed),
        None if cli.list => {
            for b in suite::BENCHMARKS {
                let scales: Vec<&str> = b.scales.iter().map(|s| s.name()).collect();
                println!("{:<15} {} [{}]", b.name, b.about, scales.join(", "));
            }
            Ok(())
        }
        None => suite::run(&suite::Options {
            scale: cli.scale,
            runs: cli.runs.max(1),
            only: cli.only,
            data: cli.data,
            max_rss: (cli.max_rss > 0.0).then_some((cli.max_rss * (1u64 << 30) as f64) as u64),
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
