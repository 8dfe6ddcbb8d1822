//! The benchmarks, their targets (the performance issue's), the data sets they run on, and
//! the check that every run's outputs are the reference's bytes.

use crate::Scale;
use crate::data::{DataSet, PROBLEM_RATE};
use crate::measure::{Cmd, Run, Stats, bytes, run_once, secs};
use crate::modes::{Level, field};
use crate::outputs::{Digests, Reference, Verdict, differing, digest_dir, digest_file};
use crate::report::{Checked, Facts, Layers, Report, Row, Target, machine_facts};
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct Options {
    pub scale: Scale,
    pub runs: usize,
    pub only: Vec<String>,
    pub data: PathBuf,
    /// A child whose RSS passes this is killed (bytes).
    pub max_rss: Option<u64>,
}

pub struct Benchmark {
    pub name: &'static str,
    pub about: &'static str,
    /// The scales it runs at.
    pub scales: &'static [Scale],
}

const WORKBOOK_SCALES: &[Scale] = &[Scale::K100, Scale::M1];

pub const BENCHMARKS: &[Benchmark] = &[
    Benchmark {
        name: "ingest-csv",
        about: "shikaku inspect fund.csv --kind fund --rows 0: the CP932 fund CSV, every row read",
        scales: WORKBOOK_SCALES,
    },
    Benchmark {
        name: "ingest-xlsx",
        about: "the employer workbooks (shared-string and openpyxl-style) through shikaku::ingest::read, vs calamine and its layers",
        scales: WORKBOOK_SCALES,
    },
    Benchmark {
        name: "dates",
        about: "parse the generated mixed-form date strings in-process",
        scales: WORKBOOK_SCALES,
    },
    Benchmark {
        name: "check",
        about: "shikaku check --kind fund fund.csv --format json",
        scales: WORKBOOK_SCALES,
    },
    Benchmark {
        name: "render",
        about: "check with a problem in 10% of rows vs the same-size file without (JSON, human)",
        scales: WORKBOOK_SCALES,
    },
    Benchmark {
        name: "reconcile",
        about: "shikaku reconcile: fund, national registry, national list, employer workbooks of both kinds",
        scales: WORKBOOK_SCALES,
    },
    Benchmark {
        name: "reconcile-100k",
        about: "reconcile on the 100k data set, shared-string workbooks (run at --scale 1m only)",
        scales: &[Scale::M1],
    },
    Benchmark {
        name: "reconcile-csv",
        about: "reconcile on CSV only: fund, registry, list N/10, one CP932 CSV per employer (the only one at 10m)",
        scales: &[Scale::K100, Scale::M1, Scale::M10],
    },
    Benchmark {
        name: "mailing",
        about: "shikaku mailing --document notice: fund and employer workbooks of both kinds",
        scales: WORKBOOK_SCALES,
    },
];

const AS_OF: &str = "2026-11-01";

/// What a measured command leaves to compare with the reference.
enum Outputs {
    None,
    /// Its `--out` directory (as the harness sees it); emptied before every run.
    Dir(PathBuf),
    /// What it prints.
    Stdout,
}

/// A measured command: its stats, the last line of its stdout and its outputs' digests in
/// each run (the warm-up included).
#[derive(Clone)]
struct Measured {
    stats: Stats,
    last_lines: Vec<String>,
    digests: Vec<Digests>,
}

struct Harness {
    runs: usize,
    scratch: PathBuf,
    bin_dir: PathBuf,
    max_rss: Option<u64>,
    /// Measurements shared by several rows (the `check` row is also render's baseline).
    cache: HashMap<String, Measured>,
    commands: Vec<String>,
    /// Who records a reference in this run (the binary and its commit).
    by: String,
    references: HashMap<PathBuf, Reference>,
    checked: Vec<Checked>,
    layers: Vec<Layers>,
}

impl Harness {
    fn shikaku(&self, d: &DataSet) -> Cmd {
        Cmd::new(self.bin_dir.join("shikaku")).in_dir(&d.dir)
    }

    fn bench(&self, d: &DataSet) -> Cmd {
        Cmd::new(self.bin_dir.join("shikaku-bench")).in_dir(&d.dir)
    }

    /// A warm-up run, then `runs` runs. Exit codes outside `ok` fail the measurement.
    fn measure(&mut self, cmd: &Cmd, ok: &[i32], outputs: &Outputs) -> Result<Measured, String> {
        let key = cmd.display();
        if let Some(m) = self.cache.get(&key) {
            return Ok(m.clone());
        }
        eprintln!("  {key}");
        self.commands.push(key.clone());
        std::fs::create_dir_all(&self.scratch)
            .map_err(|e| format!("{}: {e}", self.scratch.display()))?;
        let mut runs: Vec<Run> = Vec::new();
        let (mut last_lines, mut digests) = (Vec::new(), Vec::new());
        for i in 0..=self.runs {
            if let Outputs::Dir(dir) = outputs {
                let _ = std::fs::remove_dir_all(dir);
            }
            let run =
                run_once(cmd, &self.scratch, self.max_rss).map_err(|e| format!("{key}: {e}"))?;
            check_exit(&key, &run, ok)?;
            eprintln!(
                "    {} {:>8}  {:>9}",
                if i == 0 {
                    "warm-up".to_string()
                } else {
                    format!("run {i}/{}", self.runs)
                },
                secs(run.wall),
                bytes(run.peak_rss)
            );
            match outputs {
                Outputs::None => {}
                Outputs::Dir(dir) => digests.push(digest_dir(dir)?),
                Outputs::Stdout => digests.push(Digests::from([(
                    "stdout".to_string(),
                    digest_file(&run.stdout)?,
                )])),
            }
            if i > 0 {
                last_lines.push(last_line(&run.stdout));
                runs.push(run);
            }
        }
        let m = Measured {
            stats: Stats::from_runs(&runs),
            last_lines,
            digests,
        };
        self.cache.insert(key, m.clone());
        Ok(m)
    }

    /// The floor of reading `paths` (relative to the set) at `level`.
    fn floor(&mut self, d: &DataSet, level: Level, paths: &[&str]) -> Result<Stats, String> {
        let level_name = format!("{level:?}").to_lowercase();
        let cmd = self
            .bench(d)
            .args(["floor", "--level", &level_name])
            .args(paths.iter().copied());
        Ok(self.measure(&cmd, &[0], &Outputs::None)?.stats)
    }

    /// Compare a measurement's outputs with the set's reference (recording it if there is
    /// none) and keep the verdict for the report.
    fn judge(
        &mut self,
        d: &DataSet,
        name: &str,
        m: &Measured,
        outputs: &Path,
    ) -> Result<(), String> {
        if !self.references.contains_key(&d.dir) {
            let inputs: Vec<PathBuf> = [
                DataSet::FUND,
                DataSet::REGISTRY,
                DataSet::LIST,
                DataSet::RULES,
                DataSet::EMPLOYERS,
            ]
            .iter()
            .map(PathBuf::from)
            .filter(|p| d.dir.join(p).exists())
            .collect();
            let (reference, note) = Reference::open(&d.dir, &inputs, &self.by)?;
            if let Some(note) = note {
                eprintln!("  note: {note}");
            }
            self.references.insert(d.dir.clone(), reference);
        }
        let reference = self.references.get_mut(&d.dir).ok_or("no reference")?;
        let verdict = reference.judge(name, &m.digests, outputs, &self.by)?;
        eprintln!("    outputs: {}", verdict.describe());
        let what = match verdict.ok() {
            true => format!("{name} on {}", d.name()),
            false => format!(
                "{name} on {} (`diff -r {} {}`)",
                d.name(),
                d.dir.join("reference").join(name).display(),
                outputs.display()
            ),
        };
        self.checked.push(Checked { what, verdict });
        Ok(())
    }

    /// The same command on two sets that differ only in how the workbooks are written must
    /// give the same bytes.
    fn compare_kinds(&mut self, name: &str, shared: &Measured, inline: &Measured) {
        let (Some(a), Some(b)) = (shared.digests.first(), inline.digests.first()) else {
            return;
        };
        let by = "here: those of the shared-string workbooks".to_string();
        let files = differing(a, b);
        self.checked.push(Checked {
            what: format!("{name}, openpyxl-style workbooks vs shared-string ones"),
            verdict: if files.is_empty() {
                Verdict::Same { by }
            } else {
                Verdict::Differs { by, files }
            },
        });
    }
}

fn check_exit(key: &str, run: &Run, ok: &[i32]) -> Result<(), String> {
    if let Some(rss) = run.killed_at {
        return Err(format!(
            "{key}: killed after {} when its resident set reached {} (--max-rss)",
            secs(run.wall),
            bytes(rss)
        ));
    }
    if ok.contains(&run.exit_code) {
        return Ok(());
    }
    let stderr = std::fs::read_to_string(&run.stderr).unwrap_or_default();
    Err(format!(
        "{key}: exit code {}: {}",
        run.exit_code,
        stderr
            .trim()
            .lines()
            .take(5)
            .collect::<Vec<_>>()
            .join(" / ")
    ))
}

/// The last non-empty line of a file, read from its end (a findings stream can be large).
fn last_line(path: &Path) -> String {
    let Ok(mut f) = std::fs::File::open(path) else {
        return String::new();
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = f.seek(SeekFrom::Start(len.saturating_sub(64 * 1024)));
    let mut tail = Vec::new();
    let _ = f.read_to_end(&mut tail);
    String::from_utf8_lossy(&tail)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string()
}

/// Findings in a `--format json` run, from its summary line.
fn findings_in(summary: &str) -> Option<u64> {
    let v: serde_json::Value = serde_json::from_str(summary).ok()?;
    let counts = v.get("counts")?;
    Some(
        ["fatal", "error", "warning", "info"]
            .iter()
            .filter_map(|k| counts.get(k).and_then(|c| c.as_u64()))
            .sum(),
    )
}

fn findings_note(summary: Option<&String>) -> String {
    match summary.and_then(|l| findings_in(l)) {
        Some(k) => format!("{k} findings"),
        None => String::new(),
    }
}

/// The data sets of one scale.
struct Sets {
    main: DataSet,
    inline: DataSet,
    problems: DataSet,
    dates: DataSet,
    small: DataSet,
    csv: DataSet,
}

impl Sets {
    fn new(root: &Path, scale: Scale) -> Self {
        let (n, s) = (scale.members(), scale.name());
        let (main, inline) = DataSet::full(root, n, s);
        Sets {
            main,
            inline,
            problems: DataSet::problems(root, n, &format!("{s}-problems")),
            dates: DataSet::dates(root, n, &format!("dates-{s}")),
            small: DataSet::full(root, 100_000, "100k").0,
            csv: DataSet::csv_only(root, n, &format!("{s}-csv")),
        }
    }

    /// Generate what the selected benchmarks read.
    fn ensure(&self, generator: &Path, selected: &[&Benchmark]) -> Result<(), String> {
        let needs = |names: &[&str]| selected.iter().any(|b| names.contains(&b.name));
        let wanted = [
            (
                &self.main,
                needs(&[
                    "ingest-csv",
                    "ingest-xlsx",
                    "check",
                    "render",
                    "reconcile",
                    "mailing",
                ]),
            ),
            (&self.problems, needs(&["render"])),
            (&self.dates, needs(&["dates"])),
            (&self.small, needs(&["reconcile-100k"])),
            (&self.csv, needs(&["reconcile-csv"])),
        ];
        for (set, wanted) in wanted {
            if wanted {
                set.ensure(generator)?;
            }
        }
        Ok(())
    }
}

fn selected(opts: &Options) -> Result<Vec<&'static Benchmark>, String> {
    for o in &opts.only {
        let Some(b) = BENCHMARKS.iter().find(|b| b.name == o) else {
            return Err(format!(
                "--only {o}: no such benchmark (one of: {})",
                BENCHMARKS
                    .iter()
                    .map(|b| b.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        };
        if !b.scales.contains(&opts.scale) {
            return Err(format!(
                "--only {o}: not run at --scale {}",
                opts.scale.name()
            ));
        }
    }
    Ok(BENCHMARKS
        .iter()
        .filter(|b| b.scales.contains(&opts.scale))
        .filter(|b| opts.only.is_empty() || opts.only.iter().any(|o| o == b.name))
        .collect())
}

/// `shikaku --version`, the commit, the binary and its digest: who recorded a reference.
fn provenance(bin_dir: &Path, facts: &Facts) -> String {
    let shikaku = bin_dir.join("shikaku");
    let version = std::process::Command::new(&shikaku)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let digest = digest_file(&shikaku).unwrap_or_default();
    let cwd = std::env::current_dir().unwrap_or_default();
    format!(
        "recorded {} by {} ({version}) at commit {}, sha256 {}",
        facts.date,
        shikaku.strip_prefix(&cwd).unwrap_or(&shikaku).display(),
        facts.commit,
        digest.get(..12).unwrap_or("?")
    )
}

pub fn run(opts: &Options) -> Result<(), String> {
    let benchmarks = selected(opts)?;
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let bin_dir = exe
        .parent()
        .ok_or("the harness binary has no directory")?
        .to_path_buf();
    if !bin_dir.join("shikaku").is_file() {
        return Err(format!(
            "{} not found beside the harness: build with `cargo build --release --features devtools --bins`",
            bin_dir.join("shikaku").display()
        ));
    }
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: shikaku-bench is a debug build; the figures are a release build's only when it is one"
        );
    }
    let root = opts.data.as_path();
    let sets = Sets::new(root, opts.scale);
    sets.ensure(&exe, &benchmarks)?;

    let facts = machine_facts();
    let scratch = root.join("runs");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let mut h = Harness {
        runs: opts.runs,
        scratch,
        by: provenance(&bin_dir, &facts),
        bin_dir,
        max_rss: opts.max_rss,
        cache: HashMap::new(),
        commands: Vec::new(),
        references: HashMap::new(),
        checked: Vec::new(),
        layers: Vec::new(),
    };
    let true_rss = run_once(&Cmd::new("true"), &h.scratch, None)
        .ok()
        .map(|r| bytes(r.peak_rss))
        .unwrap_or_else(|| "?".into());
    let mut rows: Vec<Row> = Vec::new();
    for b in benchmarks {
        eprintln!("{}:", b.name);
        match run_benchmark(&mut h, &sets, b.name, opts.scale) {
            Ok(r) => rows.extend(r),
            Err(e) => {
                eprintln!("  failed: {e}");
                rows.push(Row::failed(b.name, &e));
            }
        }
    }
    let report = Report {
        facts: &facts,
        scale: opts.scale.name(),
        runs: opts.runs,
        true_rss: &true_rss,
        rows: &rows,
        layers: &h.layers,
        checked: &h.checked,
        commands: &h.commands,
    };
    print!("{}", report.render());
    let differ: Vec<&str> = h
        .checked
        .iter()
        .filter(|c| !c.verdict.ok())
        .map(|c| c.what.as_str())
        .collect();
    if differ.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "outputs are not the reference's bytes: {}",
            differ.join("; ")
        ))
    }
}

fn run_benchmark(h: &mut Harness, s: &Sets, name: &str, scale: Scale) -> Result<Vec<Row>, String> {
    let at_1m = scale == Scale::M1;
    let n = match scale {
        Scale::K100 => "100k",
        Scale::M1 => "1M",
        Scale::M10 => "10M",
    };
    let target = |t: Target| if at_1m { t } else { Target::None };
    match name {
        "ingest-csv" => ingest_csv(h, &s.main, n, target(Target::secs(3.0))),
        "ingest-xlsx" => {
            let mut rows =
                ingest_xlsx(h, &s.main, "shared-string", target(Target::FloorRatio(1.1)))?;
            rows.extend(ingest_xlsx(
                h,
                &s.inline,
                "openpyxl-style",
                target(Target::FloorRatio(1.1)),
            )?);
            Ok(rows)
        }
        "dates" => parse_dates(h, &s.dates, n, target(Target::secs(1.0))),
        "check" => check(h, &s.main, n, target(Target::secs_gib(2.5, 1.0))),
        "render" => render(h, &s.main, &s.problems, n, at_1m),
        "reconcile" => {
            let (shared, a) = reconcile(
                h,
                &s.main,
                n,
                "shared-string workbooks",
                target(Target::secs_gib(8.0, 1.5)),
            )?;
            let (inline, b) = reconcile(
                h,
                &s.inline,
                n,
                "openpyxl-style workbooks",
                target(Target::secs_gib(10.0, 1.5)),
            )?;
            h.compare_kinds("reconcile", &a, &b);
            Ok(vec![shared, inline])
        }
        "reconcile-100k" => Ok(vec![
            reconcile(
                h,
                &s.small,
                "100k",
                "shared-string workbooks",
                Target::secs(2.0),
            )?
            .0,
        ]),
        "reconcile-csv" => {
            let t = match scale {
                Scale::M10 => Target::secs_gib(90.0, 14.0),
                _ => Target::None,
            };
            Ok(vec![
                reconcile(h, &s.csv, n, "list N/10, employer CSV files", t)?.0,
            ])
        }
        "mailing" => {
            let (shared, a) = mailing(
                h,
                &s.main,
                n,
                "shared-string workbooks",
                target(Target::secs(8.0)),
            )?;
            let (inline, b) = mailing(
                h,
                &s.inline,
                n,
                "openpyxl-style workbooks",
                target(Target::secs(8.0)),
            )?;
            h.compare_kinds("mailing", &a, &b);
            Ok(vec![shared, inline])
        }
        _ => Ok(Vec::new()),
    }
}

fn ingest_csv(h: &mut Harness, d: &DataSet, n: &str, target: Target) -> Result<Vec<Row>, String> {
    let cmd = h.shikaku(d).args([
        "inspect",
        DataSet::FUND,
        "--kind",
        "fund",
        "--rows",
        "0",
        "--rules",
        DataSet::RULES,
    ]);
    let m = h.measure(&cmd, &[0], &Outputs::None)?;
    let floor = h.floor(d, Level::Cells, &[DataSet::FUND])?;
    Ok(vec![Row {
        what: format!("ingest CSV: `inspect` of the {n}-row CP932 fund.csv"),
        stats: Some(m.stats),
        floor: Some(floor),
        target,
        judged: None,
        note: String::new(),
    }])
}

/// The workbooks through shikaku, against calamine's cell reader, with the floor's layers.
fn ingest_xlsx(
    h: &mut Harness,
    d: &DataSet,
    kind: &str,
    target: Target,
) -> Result<Vec<Row>, String> {
    let cmd = h.bench(d).args(["ingest-xlsx", DataSet::EMPLOYERS]);
    let m = h.measure(&cmd, &[0], &Outputs::None)?;
    let rows = m
        .last_lines
        .last()
        .and_then(|l| field(l, "rows"))
        .unwrap_or(0);
    let books = std::fs::read_dir(d.dir.join(DataSet::EMPLOYERS))
        .map(|r| r.count())
        .unwrap_or(0);
    let mut medians = Vec::new();
    for level in [Level::Inflate, Level::Xml, Level::Range, Level::Cells] {
        medians.push(h.floor(d, level, &[DataSet::EMPLOYERS])?);
    }
    let floor = medians.pop().ok_or("no floor")?;
    let cpu = |s: &Stats| s.median_cpu().unwrap_or_else(|| s.median());
    h.layers.push(Layers {
        what: format!("{kind}, {books} .xlsx"),
        inflate: cpu(&medians[0]),
        xml: cpu(&medians[1]),
        cells: cpu(&floor),
        range: cpu(&medians[2]),
        ingest: cpu(&m.stats),
    });
    let ratio = cpu(&m.stats).as_secs_f64() / cpu(&floor).as_secs_f64().max(1e-9);
    Ok(vec![Row {
        what: format!("ingest workbooks, {kind}: {books} .xlsx, {rows} rows, `ingest::read` each"),
        stats: Some(m.stats),
        floor: Some(floor),
        target,
        judged: None,
        note: format!(
            "{ratio:.2}× floor in CPU time; floor = calamine's cell reader, see its layers below"
        ),
    }])
}

fn parse_dates(h: &mut Harness, d: &DataSet, n: &str, target: Target) -> Result<Vec<Row>, String> {
    let cmd = h.bench(d).args(["dates", "dates.txt"]);
    let m = h.measure(&cmd, &[0], &Outputs::None)?;
    let ns = |key: &str| -> Vec<Duration> {
        m.last_lines
            .iter()
            .filter_map(|l| field(l, key))
            .map(Duration::from_nanos)
            .collect()
    };
    let (parse, read) = (ns("parse_ns"), ns("read_ns"));
    if parse.len() != m.last_lines.len() {
        return Err("the dates mode printed no parse_ns".into());
    }
    let errors = m
        .last_lines
        .last()
        .and_then(|l| field(l, "errors"))
        .unwrap_or(0);
    let mut parse = Stats::from_durations(parse);
    parse.rss = m.stats.rss.clone();
    Ok(vec![Row {
        what: format!("dates: parse {n} mixed-form strings, in-process"),
        stats: Some(parse),
        floor: Some(Stats::from_durations(read)),
        target,
        judged: None,
        note: format!(
            "{errors} rejected as planned; whole process {}; floor = reading and splitting the file",
            secs(m.stats.median())
        ),
    }])
}

fn check_cmd(h: &Harness, d: &DataSet, format: &str) -> Cmd {
    h.shikaku(d).args([
        "check",
        "--kind",
        "fund",
        DataSet::FUND,
        "--as-of",
        AS_OF,
        "--format",
        format,
        "--rules",
        DataSet::RULES,
    ])
}

/// `check` in `format` on `d`, its printed findings checked against the reference.
fn measure_check(h: &mut Harness, d: &DataSet, format: &str) -> Result<Measured, String> {
    let cmd = check_cmd(h, d, format);
    let fresh = !h.cache.contains_key(&cmd.display());
    let m = h.measure(&cmd, &[0, 1], &Outputs::Stdout)?;
    if fresh {
        // Kept beside the set's other outputs, for `diff` with the reference.
        let name = format!("check-{format}");
        let out = d.dir.join("out").join(&name);
        std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        std::fs::copy(h.scratch.join("stdout"), out.join("stdout"))
            .map_err(|e| format!("{}: {e}", out.display()))?;
        h.judge(d, &name, &m, &out)?;
    }
    Ok(m)
}

fn check(h: &mut Harness, d: &DataSet, n: &str, target: Target) -> Result<Vec<Row>, String> {
    let m = measure_check(h, d, "json")?;
    let floor = h.floor(d, Level::Cells, &[DataSet::FUND])?;
    Ok(vec![Row {
        what: format!("check: {n}-member fund, `--format json`"),
        note: findings_note(m.last_lines.last()),
        stats: Some(m.stats),
        floor: Some(floor),
        target,
        judged: None,
    }])
}

fn render(
    h: &mut Harness,
    few: &DataSet,
    many: &DataSet,
    n: &str,
    at_1m: bool,
) -> Result<Vec<Row>, String> {
    let floor = h.floor(few, Level::Cells, &[DataSet::FUND])?;
    let mut rows = Vec::new();
    for format in ["json", "human"] {
        // The JSON run on the file without findings is the `check` row when that ran first.
        let shown = h.cache.contains_key(&check_cmd(h, few, format).display());
        let base = measure_check(h, few, format)?;
        let heavy = measure_check(h, many, format)?;
        let many_note = findings_note(measure_check(h, many, "json")?.last_lines.last());
        let extra = heavy.stats.median().saturating_sub(base.stats.median());
        let label = if format == "json" {
            "`--format json`"
        } else {
            "human, default cap (20 per code)"
        };
        if !shown {
            rows.push(Row {
                what: format!("check, {label}: {n}-member fund"),
                note: if format == "json" {
                    findings_note(base.last_lines.last())
                } else {
                    String::new()
                },
                stats: Some(base.stats),
                floor: Some(floor.clone()),
                target: Target::None,
                judged: None,
            });
        }
        rows.push(Row {
            what: format!(
                "check, {label}: the same members with a problem in {}% of rows — extra {} over the fund above",
                PROBLEM_RATE.parse::<f64>().unwrap_or(0.0) * 100.0,
                secs(extra)
            ),
            note: many_note,
            stats: Some(heavy.stats),
            floor: Some(floor.clone()),
            target: if at_1m {
                Target::Extra(Duration::from_secs(2))
            } else {
                Target::None
            },
            judged: Some(extra),
        });
    }
    Ok(rows)
}

/// Run `cmd` (which writes to `out/<name>` in the set) and check its outputs.
fn measure_out(
    h: &mut Harness,
    d: &DataSet,
    name: &str,
    cmd: Cmd,
) -> Result<(Measured, String), String> {
    let out = d.dir.join("out").join(name);
    let cmd = cmd.args(["--out".to_string(), format!("out/{name}")]);
    let m = h.measure(&cmd, &[0, 1], &Outputs::Dir(out.clone()))?;
    h.judge(d, name, &m, &out)?;
    let findings = last_line(&out.join("findings.json"));
    Ok((m, findings_note(Some(&findings))))
}

fn reconcile(
    h: &mut Harness,
    d: &DataSet,
    n: &str,
    what: &str,
    target: Target,
) -> Result<(Row, Measured), String> {
    let cmd = h.shikaku(d).args([
        "reconcile",
        "--fund",
        DataSet::FUND,
        "--national-list",
        DataSet::LIST,
        "--national-registry",
        DataSet::REGISTRY,
        "--employer",
        DataSet::EMPLOYERS,
        "--as-of",
        AS_OF,
        "--rules",
        DataSet::RULES,
    ]);
    let (m, note) = measure_out(h, d, "reconcile", cmd)?;
    let files = [
        DataSet::FUND,
        DataSet::REGISTRY,
        DataSet::LIST,
        DataSet::EMPLOYERS,
    ];
    let floor = h.floor(d, Level::Cells, &files)?;
    let row = Row {
        what: format!("reconcile: {n} members, {n} registry rows, {what}"),
        note,
        stats: Some(m.stats.clone()),
        floor: Some(floor),
        target,
        judged: None,
    };
    Ok((row, m))
}

fn mailing(
    h: &mut Harness,
    d: &DataSet,
    n: &str,
    what: &str,
    target: Target,
) -> Result<(Row, Measured), String> {
    let cmd = h.shikaku(d).args([
        "mailing",
        "--fund",
        DataSet::FUND,
        "--employer",
        DataSet::EMPLOYERS,
        "--document",
        "notice",
        "--base-date",
        AS_OF,
        "--as-of",
        AS_OF,
        "--rules",
        DataSet::RULES,
    ]);
    let (m, note) = measure_out(h, d, "mailing", cmd)?;
    let floor = h.floor(d, Level::Cells, &[DataSet::FUND, DataSet::EMPLOYERS])?;
    let row = Row {
        what: format!("mailing `--document notice`: {n}-member fund, {what}"),
        note,
        stats: Some(m.stats.clone()),
        floor: Some(floor),
        target,
        judged: None,
    };
    Ok((row, m))
}
