//! The benchmark data sets (`shikaku-bench generate`): a fund, the national registry and list,
//! `rules/companies.toml` and the employer files, from a fixed seed (byte-for-byte the same on
//! every run). Every file is streamed from its own pass over [`members::Members`], on its own
//! thread: memory stays a few MB whatever the size, and 10M members take about a minute.

mod csv;
pub mod dates;
mod members;
mod xlsx;

use std::fs;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Instant;

use members::{Bm, Members, Shape};

/// How the employer files are written.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Employers {
    /// .xlsx with a shared-string table, as Excel writes them.
    Xlsx,
    /// CP932 CSV, as Excel saves such a workbook.
    Csv,
    /// No employer files.
    None,
}

/// What `generate` writes.
pub struct Options {
    pub members: usize,
    pub out: PathBuf,
    pub employers: Employers,
    /// Also write this directory: the same CSV files and rules (hard links) and the same
    /// employer workbooks written as openpyxl writes them (inline strings).
    pub inline_twin: Option<PathBuf>,
    /// Only fund.csv (the rendering benchmark needs no other source).
    pub fund_only: bool,
    /// Fraction of fund rows (0..=1) given one planted problem.
    pub problem_rate: f64,
    pub list_per_mille: u64,
    pub sprinkle: bool,
    pub seed: u64,
}

fn create_dir(dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

/// `rules/companies.toml` for the generated fund: every company a code, one in four routed to
/// its office (with an office address), the rest to members' homes.
fn write_companies(companies: usize, path: &Path) -> Result<(), String> {
    let mut text = String::from(
        "# Companies of the generated benchmark fund (shikaku-bench generate).\n\n\
         [fund]\ninsurer_no = \"06139992\"\nname = \"ベンチマーク健康保険組合\"\n",
    );
    for c in 1..=companies {
        let office = c % 4 == 0;
        text.push_str(&format!(
            "\n[[company]]\ncode = \"C{c:03}\"\nname = \"ベンチ{c}株式会社\"\nnotice_route = \"{}\"\n\
             office_postal_code = \"1000005\"\noffice_address = \"東京都千代田区丸の内一丁目{}番1号\"\n",
            if office { "office" } else { "home" },
            c % 9 + 1
        ));
    }
    if let Some(dir) = path.parent() {
        create_dir(dir)?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// An employer file being written: rows go in one at a time, `finish` closes it and says how
/// many data rows it holds.
pub trait EmployerFile {
    fn row(&mut self, m: &Bm) -> Result<(), String>;
    fn finish(self: Box<Self>) -> Result<u64, String>;
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BookKind {
    Shared,
    Inline,
    Csv,
}

fn create_book(
    kind: BookKind,
    dir: &Path,
    shape: &Shape,
    company: u16,
) -> Result<Box<dyn EmployerFile>, String> {
    let stem = format!("c{company:03}");
    Ok(match kind {
        BookKind::Shared => Box::new(xlsx::SharedBook::create(
            &dir.join(stem + ".xlsx"),
            company,
        )?),
        BookKind::Inline => Box::new(xlsx::InlineBook::create(
            &dir.join(stem + ".xlsx"),
            company,
            shape.company_size(company) as u32,
        )?),
        BookKind::Csv => Box::new(csv::EmployerCsv::create(&dir.join(stem + ".csv"), company)?),
    })
}

/// The employer files of the companies `mine` selects, in one pass over the members (they
/// come company by company). The data rows written.
fn write_books(
    kind: BookKind,
    shape: Shape,
    dir: &Path,
    mine: impl Fn(u16) -> bool,
) -> Result<u64, String> {
    let mut rows = 0;
    let mut open: Option<(u16, Box<dyn EmployerFile>)> = None;
    for m in Members::new(shape).filter(|m| mine(m.company)) {
        if open.as_ref().is_none_or(|(c, _)| *c != m.company) {
            if let Some((_, book)) = open.take() {
                rows += book.finish()?;
            }
            open = Some((m.company, create_book(kind, dir, &shape, m.company)?));
        }
        if let Some((_, book)) = open.as_mut() {
            book.row(&m)?;
        }
    }
    if let Some((_, book)) = open {
        rows += book.finish()?;
    }
    Ok(rows)
}

/// One file-writing job: what it wrote, for the log.
type Job<'a> = Box<dyn FnOnce() -> Result<String, String> + Send + 'a>;

fn book_jobs<'a>(kind: BookKind, shape: Shape, dir: &'a Path) -> Vec<Job<'a>> {
    // Workbooks are the slow part: two workers, odd and even companies.
    (0..2u16)
        .map(|half| -> Job<'a> {
            Box::new(move || {
                let t = Instant::now();
                let rows = write_books(kind, shape, dir, |c| c % 2 == half)?;
                Ok(format!(
                    "wrote {} ({} companies of {}, {rows} rows) in {:.2?}",
                    dir.display(),
                    if half == 0 { "even" } else { "odd" },
                    shape.companies(),
                    t.elapsed()
                ))
            })
        })
        .collect()
}

fn csv_job<'a>(
    path: PathBuf,
    write: impl FnOnce(&Path) -> Result<(u64, u64), String> + Send + 'a,
) -> Job<'a> {
    Box::new(move || {
        let t = Instant::now();
        let (bytes, rows) = write(&path)?;
        Ok(format!(
            "wrote {} ({rows} records, {bytes} bytes) in {:.2?}",
            path.display(),
            t.elapsed()
        ))
    })
}

/// Hard links (or copies, across file systems) of the set's CSV files and rules in `twin`.
fn link_twin(out: &Path, twin: &Path, names: &[&str]) -> Result<(), String> {
    create_dir(&twin.join("rules"))?;
    for name in names {
        let (from, to) = (out.join(name), twin.join(name));
        let _ = fs::remove_file(&to);
        if fs::hard_link(&from, &to).is_err() {
            fs::copy(&from, &to).map_err(|e| format!("{}: {e}", to.display()))?;
        }
    }
    Ok(())
}

pub fn run(opts: &Options) -> Result<(), String> {
    if opts.members == 0 {
        return Err("--members must be at least 1".into());
    }
    if !(0.0..=1.0).contains(&opts.problem_rate) {
        return Err("--problem-rate must be between 0 and 1".into());
    }
    let shape = Shape {
        members: opts.members,
        seed: opts.seed,
        list_per_mille: opts.list_per_mille,
        sprinkle: opts.sprinkle,
    };
    if opts.fund_only && opts.inline_twin.is_some() {
        return Err("--inline-twin needs the whole set, not --fund-only".into());
    }
    let per_million = (opts.problem_rate * 1_000_000.0).round() as u64;
    let t0 = Instant::now();
    let out = opts.out.as_path();
    let employers = out.join("employers");
    let twin_employers = opts.inline_twin.as_ref().map(|t| t.join("employers"));
    create_dir(out)?;
    write_companies(shape.companies(), &out.join("rules").join("companies.toml"))?;
    let mut jobs: Vec<Job> = vec![csv_job(out.join("fund.csv"), move |p| {
        csv::fund(shape, p, per_million)
    })];
    if !opts.fund_only {
        jobs.push(csv_job(out.join("national-registry.csv"), move |p| {
            csv::registry(shape, p)
        }));
        jobs.push(csv_job(out.join("national-list.csv"), move |p| {
            csv::list(shape, p)
        }));
        let kind = match opts.employers {
            Employers::Xlsx => Some(BookKind::Shared),
            Employers::Csv => Some(BookKind::Csv),
            Employers::None => None,
        };
        if let Some(kind) = kind {
            create_dir(&employers)?;
            jobs.extend(book_jobs(kind, shape, &employers));
        }
        if let Some(dir) = &twin_employers {
            create_dir(dir)?;
            jobs.extend(book_jobs(BookKind::Inline, shape, dir));
        }
    }
    let results: Vec<_> = thread::scope(|s| {
        let handles: Vec<_> = jobs.into_iter().map(|job| s.spawn(job)).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("a writer panicked".into())))
            .collect()
    });
    for r in results {
        println!("{}", r?);
    }
    if let Some(twin) = &opts.inline_twin {
        link_twin(
            out,
            twin,
            &[
                "fund.csv",
                "national-registry.csv",
                "national-list.csv",
                "rules/companies.toml",
            ],
        )?;
        println!("linked the CSV files and rules into {}", twin.display());
    }
    println!(
        "{} members, {} companies, total {:.2?}",
        shape.members,
        shape.companies(),
        t0.elapsed()
    );
    Ok(())
}
