//! shikaku-gen: writes the curated sample fund (`sample`). Output is byte-for-byte
//! reproducible: a fixed-seed PRNG, no clock, fixed workbook metadata. (The benchmark data
//! sets are shikaku-bench's: `shikaku-bench generate`.)

mod files;
mod fund;
mod model;
mod oracle;
mod pools;
mod readme;
mod rng;
mod sample;
// Shared with shikaku-bench, which writes the benchmark data in date forms the sample does not use.
#[allow(dead_code)]
mod text;
mod write;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::files::Format;

#[derive(Parser)]
#[command(
    name = "shikaku-gen",
    about = "The sample data of shikaku (sample-data/)"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write the curated sample fund (さくら健康保険組合) and its README.
    Sample {
        #[arg(long, default_value = "sample-data")]
        out: PathBuf,
        /// Also write the .xlsx sources of the committed .xls/.ods employer files here
        /// (sample-data/tools/make-xls-ods.sh converts them with LibreOffice).
        #[arg(long)]
        xls_ods_sources: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.cmd {
        Cmd::Sample {
            out,
            xls_ods_sources,
        } => run_sample(&out, xls_ods_sources.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shikaku-gen: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_sample(out: &Path, sources: Option<&Path>) -> Result<(), String> {
    let start = Instant::now();
    // The fund's 保険者番号 must pass its check digit and the one planted for CE007 must fail.
    let insurer_ok = |n: &str| {
        shikaku::domain::insurer_no::check_digit(&n[..7]).map(|c| char::from(b'0' + c))
            == n.chars().last()
    };
    if !insurer_ok(fund::INSURER_NO) || insurer_ok("06139993") {
        return Err("保険者番号 check digits are not what the sample assumes".into());
    }
    let g = sample::build()?;
    let members = &g.m;
    let (errors, gating) = oracle::self_check(members);
    if !errors.is_empty() {
        return Err(format!(
            "the sample fund is inconsistent with its plants:\n  {}",
            errors.join("\n  ")
        ));
    }
    let mut tables = vec![
        files::fund(members),
        files::national_list(members),
        files::registry(members),
    ];
    tables.extend(files::employers(members));
    for t in &tables {
        match t.format {
            Format::Csv => {
                let sheet = t
                    .sheets
                    .first()
                    .ok_or_else(|| format!("{}: no sheet", t.path))?;
                let bytes = write::csv_bytes(sheet, &t.path)?;
                let path = out.join(&t.path);
                write::write_file(&path, &bytes)?;
                println!("wrote {} ({} bytes)", path.display(), bytes.len());
            }
            Format::Xlsx => {
                let path = out.join(&t.path);
                write::xlsx(t, &path)?;
                println!("wrote {}", path.display());
            }
            Format::XlsSource | Format::OdsSource => {
                if let Some(dir) = sources {
                    let name = Path::new(&t.path)
                        .file_name()
                        .ok_or_else(|| format!("{}: no file name", t.path))?;
                    let path = dir.join(name);
                    write::xlsx(t, &path)?;
                    println!(
                        "wrote {} (source of {})",
                        path.display(),
                        t.committed_path()
                    );
                }
            }
        }
    }
    let text = readme::render(members, &tables, &gating);
    let path = out.join("README.md");
    write::write_file(&path, text.as_bytes())?;
    println!("wrote {}", path.display());
    let path = out.join("expected.json");
    write::write_file(&path, readme::expected_json(members, &tables).as_bytes())?;
    println!("wrote {}", path.display());
    println!(
        "sample: {} people ({} fund rows) in {:.2?}",
        members.len(),
        members.iter().filter(|m| m.in_fund).count(),
        start.elapsed()
    );
    Ok(())
}
