//! One file per subcommand; what they share lives here: reading every input (with a progress
//! bar on a terminal), and writing outputs then printing the report.

pub mod check;
pub mod explain;
pub mod inspect;
pub mod mailing;
pub mod reconcile;

use crate::checks::Skipped;
use crate::cli::{OutputFormat, Settings};
use crate::error::{Error, Result};
use crate::field::SourceKind;
use crate::finding::Finding;
use crate::ingest::{self, Format, ReadOptions};
use crate::output::{self, InputGuard, List};
use crate::prepare::household::{self, Dates};
use crate::prepare::{self};
use crate::report::{self, File, Outcome, human};
use crate::timing;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// `--employer` arguments: files as given; a directory means every .xlsx/.xls/.xlsb/.ods/.csv
/// directly in it, skipping names that start with `.` or `~$` (Excel's lock files), sorted.
pub fn expand_employers(args: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for arg in args {
        if arg.is_dir() {
            let entries = std::fs::read_dir(arg).map_err(|e| Error::Io {
                path: arg.clone(),
                source: e,
            })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .filter(|p| {
                    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    !name.starts_with('.') && !name.starts_with("~$")
                })
                .filter(|p| matches!(Format::from_path(p), Some(f) if f != Format::Csv || p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))))
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(arg.clone());
        }
    }
    Ok(out)
}

fn progress(settings: &Settings, len: usize) -> ProgressBar {
    if !settings.progress {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{pos}/{len}] {elapsed} {msg}") {
        bar.set_style(style);
    }
    // A million-row file is one step: keep the spinner moving while it is read.
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Read and prepare every file; a fatal one is kept as such (its id stays, so findings and
/// the summary can name it).
///
/// Files are independent until the checks, so they are loaded on every core: a run with a
/// hundred employer workbooks is mostly calamine parsing XML, one workbook per core. The
/// files come back in input order, and the first error in that order is the one returned.
pub fn load(
    inputs: &[(PathBuf, SourceKind)],
    settings: &Settings,
    dates: impl Fn(SourceKind) -> Dates + Sync,
) -> Result<Vec<File>> {
    let _wall = timing::stage(|| "load every input (wall)".into());
    let bar = progress(settings, inputs.len());
    let opts = ReadOptions {
        columns: &settings.config.columns,
        input_encoding: settings.input_encoding,
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, inputs.len().max(1));
    let next = AtomicUsize::new(0);
    let mut loaded: Vec<(usize, Result<File>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    // Inputs are taken in order, so the fund (the largest file) starts first.
                    loop {
                        let id = next.fetch_add(1, Ordering::Relaxed);
                        let Some((path, kind)) = inputs.get(id) else {
                            break;
                        };
                        bar.set_message(format!("reading {}", path.display()));
                        done.push((id, load_one(id, path, *kind, &opts, settings, dates(*kind))));
                        bar.inc(1);
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    loaded.sort_by_key(|(id, _)| *id);
    bar.finish_and_clear();
    loaded.into_iter().map(|(_, file)| file).collect()
}

/// Read, prepare and attach households to one input.
fn load_one(
    id: usize,
    path: &Path,
    kind: SourceKind,
    opts: &ReadOptions,
    settings: &Settings,
    dates: Dates,
) -> Result<File> {
    let read = timing::stage(|| format!("read {}", kind.name()));
    let source = ingest::read(path, kind, opts);
    drop(read);
    prepared(id, path, kind, source, &settings.config, dates)
}

/// A read (or fatal) source, prepared and with its households, as a file of the run.
pub fn prepared(
    id: usize,
    path: &Path,
    kind: SourceKind,
    source: std::result::Result<ingest::Source, ingest::FatalInput>,
    config: &crate::config::Config,
    dates: Dates,
) -> Result<File> {
    Ok(match source {
        Ok(source) => {
            let stage = timing::stage(|| format!("prepare {}", kind.name()));
            let mut input = prepare::prepare(id, source, config)?;
            drop(stage);
            let _stage = timing::stage(|| format!("households {}", kind.name()));
            household::attach(&mut input, dates)?;
            File {
                path: path.to_path_buf(),
                kind,
                input: Some(input),
                fatal: None,
            }
        }
        Err(fatal) => File {
            path: path.to_path_buf(),
            kind,
            input: None,
            fatal: Some(fatal),
        },
    })
}

/// Fatal inputs as findings (IN003) for the report.
pub fn fatal_findings(files: &[File]) -> Vec<Finding> {
    files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            f.fatal
                .as_ref()
                .and_then(|fatal| crate::checks::input::fatal_finding(i, fatal))
        })
        .collect()
}

/// Everything after the checks: write the outputs (unless `write` is false because the fund
/// or the list was fatal), print the report, and give the exit code.
pub struct Finish<'a> {
    pub settings: &'a Settings,
    pub out: Option<&'a Path>,
    pub lists: Vec<List>,
    /// False when a key input was fatal: nothing is written (SPEC §6).
    pub write: bool,
    pub extra_inputs: Vec<PathBuf>,
}

pub fn finish(mut outcome: Outcome, fin: Finish) -> Result<i32> {
    let settings = fin.settings;
    if let (Some(dir), true) = (fin.out, fin.write) {
        let mut inputs: Vec<PathBuf> = outcome.files.iter().map(|f| f.path.clone()).collect();
        inputs.extend(fin.extra_inputs.iter().cloned());
        let guard = InputGuard::new(&inputs);
        output::create_out_dir(dir)?;
        for list in &fin.lists {
            let _stage = timing::stage(|| format!("write {}", list.csv_name()));
            match output::write_list(dir, list, settings.list_encoding, settings.xlsx, &guard) {
                Ok(paths) => {
                    let names: Vec<String> =
                        paths.iter().map(|p| p.display().to_string()).collect();
                    outcome.notes.push(format!(
                        "wrote {} ({} rows)",
                        names.join(", "),
                        list.rows.len()
                    ));
                    if !settings.xlsx {
                        remove_stale(&dir.join(list.xlsx_name()), &guard);
                    }
                }
                Err(e) => {
                    // The other lists are still written; a stale copy of this one must not be
                    // mistaken for the new one.
                    remove_stale(&dir.join(list.csv_name()), &guard);
                    remove_stale(&dir.join(list.xlsx_name()), &guard);
                    outcome.errors.push(e.to_string());
                }
            }
        }
        let _stage = timing::stage(|| "write findings.json".into());
        let json = report::json::render(&outcome, settings.fail_on);
        output::write_atomic(&dir.join("findings.json"), json.as_bytes(), &guard)?;
    } else if fin.out.is_some() {
        outcome
            .notes
            .push("nothing written: a required input could not be read".into());
    }
    let stage = timing::stage(|| "render the report".into());
    let text = match settings.format {
        OutputFormat::Json => report::json::render(&outcome, settings.fail_on),
        OutputFormat::Human => {
            let style = human::Style {
                width: terminal_width(),
                color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            human::render(&outcome, settings.max_per_code, &style, settings.fail_on)
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    drop(stage);
    let mut stderr = std::io::stderr().lock();
    for file in &outcome.files {
        if let Some(fatal) = &file.fatal {
            let _ = writeln!(stderr, "error: {}", report::describe_fatal(fatal));
        }
    }
    for e in &outcome.errors {
        let _ = writeln!(stderr, "error: {e}");
    }
    let code = outcome.exit_code(settings.fail_on);
    // The command ends here and the process with it: the OS takes the frames back at once,
    // where dropping them frees millions of allocations one by one (0.4 s of a 1M-member
    // mailing). Nothing in them needs dropping: files are written and flushed above.
    std::mem::forget(outcome);
    std::mem::forget(fin.lists);
    Ok(code)
}

fn remove_stale(path: &Path, guard: &InputGuard) {
    if path.exists() && guard.check(path).is_ok() {
        let _ = std::fs::remove_file(path);
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}

/// Run the single-source checks on every read file.
pub fn single_checks(
    ctx: &crate::checks::Ctx,
    files: &[File],
) -> Result<(Vec<Finding>, Vec<Skipped>)> {
    let mut findings = fatal_findings(files);
    let mut skipped = Vec::new();
    for f in files {
        if let Some(input) = &f.input {
            let (fs, sk) = crate::checks::run_single(ctx, input)?;
            findings.extend(fs);
            skipped.extend(sk);
        }
    }
    Ok((findings, skipped))
}
