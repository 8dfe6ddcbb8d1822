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
use crate::output::lock::{self, Holder, OutLock};
use crate::output::set::Staged;
use crate::output::{self, InputGuard, List};
use crate::prepare::household::{self, Dates};
use crate::prepare::{self};
use crate::report::run::{RunDates, RunInfo};
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
                        bar.set_message(crate::tr!("読み込み中：{}", "reading {}"; path.display()));
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

/// The lock on `--out DIR`, taken when the run starts (so a second run fails at once, or
/// waits), with what a killed run left recovered.
pub struct OutSession {
    paths: output::set::Paths,
    run_id: String,
    _lock: OutLock,
    /// What recovery did, for the report's notes.
    recovered: Option<String>,
}

/// Take the lock on `--out DIR` (when given) and finish or undo what a killed run left.
pub fn open_out(
    out: Option<&Path>,
    settings: &Settings,
    run: &RunInfo,
) -> Result<Option<OutSession>> {
    let Some(dir) = out else {
        return Ok(None);
    };
    let paths = output::set::Paths::new(dir)?;
    let run_id = run_id(settings);
    let me = Holder {
        run_id: run_id.clone(),
        pid: std::process::id(),
        host: lock::hostname(),
        command: run.command_line(),
        started_at: settings
            .started_at
            .format("%Y-%m-%d %H:%M:%S %:z")
            .to_string(),
    };
    let lock = lock::acquire(&paths.lock(), &me, settings.wait, |holder| {
        let who = holder.map_or_else(String::new, |h| h.describe());
        eprintln!(
            "{}",
            crate::tr!(
                "別の実行が終わるのを待っています: {who}",
                "waiting for another run to finish: {who}"
            )
        );
    })?;
    test_pause_after_lock();
    let recovered = output::set::recover(&paths);
    Ok(Some(OutSession {
        paths,
        run_id,
        _lock: lock,
        recovered,
    }))
}

/// `20261101T100000p1234r5f3a`: the start, the pid and a random part.
fn run_id(settings: &Settings) -> String {
    use std::hash::{BuildHasher, RandomState};
    let random = RandomState::new().hash_one(std::time::SystemTime::now()) & 0xffff;
    // Letters between the parts: digits joined by dashes could read as a 12-digit number to a
    // My Number scanner.
    format!(
        "{}p{}r{random:04x}",
        settings.started_at.format("%Y%m%dT%H%M%S"),
        std::process::id()
    )
}

/// `SHIKAKU_TEST_PAUSE_AFTER_LOCK_MS` (debug builds only): hold the lock a while, so a test
/// can start a second run into the same folder while the first surely holds it.
fn test_pause_after_lock() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("SHIKAKU_TEST_PAUSE_AFTER_LOCK_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Everything after the checks: write the outputs (unless `write` is false because the fund
/// or the list was fatal), print the report, and give the exit code.
pub struct Finish<'a> {
    pub settings: &'a Settings,
    pub session: Option<OutSession>,
    pub lists: Vec<List>,
    /// False when a key input was fatal: nothing is written (SPEC §6).
    pub write: bool,
    pub extra_inputs: Vec<PathBuf>,
    pub run: RunInfo,
}

pub fn finish(mut outcome: Outcome, mut fin: Finish) -> Result<i32> {
    let settings = fin.settings;
    if let Some(session) = fin.session.take() {
        if let Some(note) = &session.recovered {
            outcome.notes.push(note.clone());
        }
        if fin.write {
            write_set(&mut outcome, &fin, &session)?;
        } else {
            outcome.notes.push(crate::tr!(
                "必要な入力が読めなかったため、何も書き出していません（前回の出力はそのままです）",
                "nothing written: a required input could not be read (the previous outputs are as they were)"
            ));
        }
    }
    print_report(&outcome, settings);
    let code = outcome.exit_code(settings.fail_on);
    // The command ends here and the process with it: the OS takes the frames back at once,
    // where dropping them frees millions of allocations one by one (0.4 s of a 1M-member
    // mailing). Nothing in them needs dropping: files are written and flushed above.
    std::mem::forget(outcome);
    std::mem::forget(fin.lists);
    Ok(code)
}

/// Render the whole set in memory (the lists, the workbooks, findings.json, report.html,
/// run.json last) and publish it as one ([`output::set::commit`]).
fn write_set(outcome: &mut Outcome, fin: &Finish, session: &OutSession) -> Result<()> {
    let settings = fin.settings;
    let mut staged = Staged::default();
    for list in &fin.lists {
        let _stage = timing::stage(|| format!("render {}", list.csv_name()));
        match output::render_list(list, settings.list_encoding, settings.xlsx) {
            Ok(files) => {
                let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
                let rows = list.rows.len();
                outcome.notes.push(crate::tr!(
                    "{} を書き出しました（{rows}行）",
                    "wrote {} ({rows} rows)";
                    names.join(", ")
                ));
                for (name, bytes) in files {
                    staged.add(name, bytes);
                }
            }
            // The other lists are still written; this one is absent from the new set.
            Err(e) => outcome.errors.push(e.to_string()),
        }
    }
    if settings.employer_workbooks {
        let _stage = timing::stage(|| "render the employer workbooks".into());
        match report::workbooks::render(outcome, &settings.config.companies, &fin.run) {
            Ok(books) => {
                outcome.notes.push(crate::tr!(
                    "事業所別の訂正依頼を {} 冊書き出しました（{}/）",
                    "wrote {} correction workbooks ({}/)";
                    books.len(),
                    report::workbooks::DIR
                ));
                for book in books {
                    staged.add(book.path, book.bytes);
                }
            }
            Err((path, e)) => outcome.errors.push(format!("{}: {e}", path.display())),
        }
    }
    let _stage = timing::stage(|| "render findings.json and report.html".into());
    staged.add(
        "findings.json",
        report::json::render(outcome, settings.fail_on).into_bytes(),
    );
    let page = report::html::Page {
        outcome,
        lists: &fin.lists,
        companies: &settings.config.companies,
        run: &fin.run,
        fail_on: settings.fail_on,
    };
    staged.add("report.html", report::html::render(&page).into_bytes());
    drop(_stage);
    let mut inputs: Vec<PathBuf> = outcome.files.iter().map(|f| f.path.clone()).collect();
    inputs.extend(fin.extra_inputs.iter().cloned());
    let guard = InputGuard::new(&inputs);
    let _stage = timing::stage(|| "publish the output set".into());
    let record = RunRecord {
        run: &fin.run,
        run_id: &session.run_id,
        outcome,
        extra_inputs: &fin.extra_inputs,
        fail_on: settings.fail_on,
    };
    output::set::commit(
        &session.paths,
        &session.run_id,
        staged,
        |files| record.render(files),
        &guard,
    )?;
    Ok(())
}

/// `run.json`: which run made this set, from which inputs, and every file of it.
struct RunRecord<'a> {
    run: &'a RunInfo,
    run_id: &'a str,
    outcome: &'a Outcome,
    extra_inputs: &'a [PathBuf],
    fail_on: report::FailOn,
}

impl RunRecord<'_> {
    fn render(&self, files: &[output::set::Written]) -> Vec<u8> {
        let mut inputs: Vec<serde_json::Value> = self
            .outcome
            .files
            .iter()
            .map(|f| input_entry(&f.path, Some(f.kind.name())))
            .collect();
        inputs.extend(self.extra_inputs.iter().map(|p| input_entry(p, None)));
        let dates = match self.run.dates {
            RunDates::AsOf(d) => serde_json::json!({ "d": d.to_string() }),
            RunDates::BaseDates {
                general,
                individual,
            } => serde_json::json!({
                "base_date": general.to_string(),
                "base_date_individual": individual.to_string(),
            }),
        };
        let record = serde_json::json!({
            "type": "run",
            "run_id": self.run_id,
            "shikaku_version": env!("CARGO_PKG_VERSION"),
            "command": self.run.command,
            "argv": self.run.argv,
            "dates": dates,
            "started_at": self.run.started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            "finished_at": report::run::now_tokyo().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            "host": lock::hostname(),
            "pid": std::process::id(),
            "exit_code": self.outcome.exit_code(self.fail_on),
            "inputs": inputs,
            "files": files,
        });
        let mut text = serde_json::to_string_pretty(&record).unwrap_or_default();
        text.push('\n');
        text.into_bytes()
    }
}

/// An input's path, kind, size and SHA-256 (null when it cannot be read now).
fn input_entry(path: &Path, kind: Option<&str>) -> serde_json::Value {
    let (bytes, sha256) = match output::set::sha256_file(path) {
        Ok((bytes, hex)) => (Some(bytes), Some(hex)),
        Err(_) => (None, None),
    };
    serde_json::json!({
        "path": report::mask::mask_digit_runs(&path.display().to_string()),
        "kind": kind,
        "bytes": bytes,
        "sha256": sha256,
    })
}

/// The report on stdout in the chosen format; fatal inputs and errors on stderr.
fn print_report(outcome: &Outcome, settings: &Settings) {
    let stage = timing::stage(|| "render the report".into());
    let text = match settings.format {
        OutputFormat::Json => report::json::render(outcome, settings.fail_on),
        OutputFormat::Junit => report::junit::render(outcome, settings.fail_on),
        OutputFormat::Sarif => report::sarif::render(outcome, settings.fail_on),
        OutputFormat::Human => {
            let style = human::Style {
                width: terminal_width(),
                color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            human::render(outcome, settings.max_per_code, &style, settings.fail_on)
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
