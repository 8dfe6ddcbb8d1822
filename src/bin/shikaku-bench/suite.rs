//! The benchmarks, their targets (the issue's), and the table.

use crate::Scale;
use crate::data::{DataSet, PROBLEM_RATE};
use crate::measure::{Cmd, Run, Stats, bytes, run_once, secs};
use crate::modes::field;
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct Options {
    pub scale: Scale,
    pub runs: usize,
    pub only: Vec<String>,
    pub data: PathBuf,
}

pub struct Benchmark {
    pub name: &'static str,
    pub about: &'static str,
}

pub const BENCHMARKS: &[Benchmark] = &[
    Benchmark {
        name: "ingest-csv",
        about: "shikaku inspect fund.csv --kind fund --rows 0: the CP932 fund CSV, every row read",
    },
    Benchmark {
        name: "ingest-xlsx",
        about: "the employer workbooks through shikaku::ingest::read, vs calamine alone",
    },
    Benchmark {
        name: "dates",
        about: "parse the generated mixed-form date strings in-process",
    },
    Benchmark {
        name: "check",
        about: "shikaku check --kind fund fund.csv --format json",
    },
    Benchmark {
        name: "render",
        about: "check with a problem in 10% of rows vs the same-size file with few findings (JSON, human)",
    },
    Benchmark {
        name: "reconcile",
        about: "shikaku reconcile: fund, national registry, national list (N/10), employer workbooks",
    },
    Benchmark {
        name: "reconcile-100k",
        about: "reconcile on the 100k data set (run at --scale 1m only)",
    },
    Benchmark {
        name: "mailing",
        about: "shikaku mailing --document notice: fund and employer workbooks",
    },
];

const AS_OF: &str = "2026-11-01";
const GIB: u64 = 1 << 30;

/// A target and whether a figure meets it.
enum Target {
    None,
    Under { time: Duration, rss: Option<u64> },
    FloorRatio(f64),
    Extra(Duration),
}

impl Target {
    fn under(secs: u64) -> Self {
        Target::Under {
            time: Duration::from_secs(secs),
            rss: None,
        }
    }

    fn under_mem(secs: u64, gib: u64) -> Self {
        Target::Under {
            time: Duration::from_secs(secs),
            rss: Some(gib * GIB),
        }
    }

    fn describe(&self) -> String {
        match self {
            Target::None => "—".into(),
            Target::Under { time, rss: None } => format!("< {}", secs_short(*time)),
            Target::Under {
                time,
                rss: Some(rss),
            } => format!("< {}, < {}", secs_short(*time), bytes(*rss)),
            Target::FloorRatio(r) => format!("≤ {r}× floor"),
            Target::Extra(d) => format!("extra < {}", secs_short(*d)),
        }
    }
}

fn secs_short(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

/// One line of the table.
struct Row {
    what: String,
    stats: Option<Stats>,
    floor: Option<Stats>,
    target: Target,
    /// Replaces the median as the figure the target is judged on (render: the extra time).
    judged: Option<Duration>,
    note: String,
}

impl Row {
    fn met(&self) -> Option<bool> {
        let stats = self.stats.as_ref()?;
        let figure = self.judged.unwrap_or_else(|| stats.median());
        match &self.target {
            Target::None => None,
            Target::Under { time, rss } => Some(
                figure < *time
                    && rss.is_none_or(|limit| stats.peak_rss().is_some_and(|r| r < limit)),
            ),
            Target::FloorRatio(r) => {
                let floor = self.floor.as_ref()?.median().as_secs_f64();
                Some(figure.as_secs_f64() <= floor * r)
            }
            Target::Extra(d) => Some(figure < *d),
        }
    }
}

/// A measured command: its stats and the last line of its stdout in each run.
#[derive(Clone)]
struct Measured {
    stats: Stats,
    last_lines: Vec<String>,
}

struct Harness {
    runs: usize,
    scratch: PathBuf,
    bin_dir: PathBuf,
    /// Measurements shared by several rows (the `check` row is also render's "few findings").
    cache: HashMap<String, Measured>,
    commands: Vec<String>,
}

impl Harness {
    fn shikaku(&self) -> Cmd {
        Cmd::new(self.bin_dir.join("shikaku"))
    }

    fn bench(&self) -> Cmd {
        Cmd::new(self.bin_dir.join("shikaku-bench"))
    }

    /// A warm-up run, then `runs` runs. Exit codes outside `ok` fail the measurement.
    fn measure(&mut self, cmd: &Cmd, ok: &[i32]) -> Result<Measured, String> {
        let key = cmd.display();
        if let Some(m) = self.cache.get(&key) {
            return Ok(m.clone());
        }
        eprintln!("  {key}");
        self.commands.push(key.clone());
        std::fs::create_dir_all(&self.scratch)
            .map_err(|e| format!("{}: {e}", self.scratch.display()))?;
        let mut runs: Vec<Run> = Vec::new();
        let mut last_lines = Vec::new();
        for i in 0..=self.runs {
            let run = run_once(cmd, &self.scratch).map_err(|e| format!("{key}: {e}"))?;
            if !ok.contains(&run.exit_code) {
                let stderr = std::fs::read_to_string(&run.stderr).unwrap_or_default();
                return Err(format!(
                    "{key}: exit code {}: {}",
                    run.exit_code,
                    stderr
                        .trim()
                        .lines()
                        .take(5)
                        .collect::<Vec<_>>()
                        .join(" / ")
                ));
            }
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
            if i > 0 {
                last_lines.push(last_line(&run.stdout));
                runs.push(run);
            }
        }
        let m = Measured {
            stats: Stats::from_runs(&runs),
            last_lines,
        };
        self.cache.insert(key, m.clone());
        Ok(m)
    }

    fn floor(&mut self, paths: &[PathBuf]) -> Result<Stats, String> {
        let mut cmd = self.bench().arg("floor");
        for p in paths {
            cmd = cmd.arg(p);
        }
        Ok(self.measure(&cmd, &[0])?.stats)
    }
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

fn selected(opts: &Options, name: &str) -> bool {
    opts.only.is_empty() || opts.only.iter().any(|o| o == name)
}

pub fn run(opts: &Options) -> Result<(), String> {
    for o in &opts.only {
        if !BENCHMARKS.iter().any(|b| b.name == o) {
            return Err(format!(
                "--only {o}: no such benchmark (one of: {})",
                BENCHMARKS
                    .iter()
                    .map(|b| b.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let bin_dir = exe
        .parent()
        .ok_or("the harness binary has no directory")?
        .to_path_buf();
    for sibling in ["shikaku", "shikaku-gen"] {
        if !bin_dir.join(sibling).is_file() {
            return Err(format!(
                "{} not found beside the harness: build with `cargo build --release --bins`",
                bin_dir.join(sibling).display()
            ));
        }
    }
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: shikaku-bench is a debug build; the figures are a release build's only when it is one"
        );
    }
    let generator = bin_dir.join("shikaku-gen");
    let n = opts.scale.members();
    let scale = opts.scale.name();
    let root = &opts.data;
    let main = DataSet::full(root, n, scale);
    let problems = DataSet::problems(root, n, &format!("{scale}-problems"));
    let dates = DataSet::dates(root, n, &format!("dates-{scale}"));
    let small = DataSet::full(root, 100_000, "100k");
    let at_1m = opts.scale == Scale::M1;

    let needs = |names: &[&str]| names.iter().any(|b| selected(opts, b));
    if needs(&[
        "ingest-csv",
        "ingest-xlsx",
        "check",
        "render",
        "reconcile",
        "mailing",
    ]) {
        main.ensure(&generator)?;
    }
    if needs(&["render"]) {
        problems.ensure(&generator)?;
    }
    if needs(&["dates"]) {
        dates.ensure(&generator)?;
    }
    if at_1m && needs(&["reconcile-100k"]) {
        small.ensure(&generator)?;
    }

    let facts = machine_facts();
    let scratch = root.join("runs");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let mut h = Harness {
        runs: opts.runs,
        scratch,
        bin_dir,
        cache: HashMap::new(),
        commands: Vec::new(),
    };
    let true_rss = run_once(&Cmd::new("true"), &h.scratch)
        .ok()
        .map(|r| bytes(r.peak_rss))
        .unwrap_or_else(|| "?".into());
    let mut rows: Vec<Row> = Vec::new();
    let rows_label = if at_1m { "1M" } else { "100k" };
    let target = |t: Target| if at_1m { t } else { Target::None };

    for b in BENCHMARKS.iter().filter(|b| selected(opts, b.name)) {
        eprintln!("{}:", b.name);
        let result = match b.name {
            "ingest-csv" => ingest_csv(&mut h, &main, rows_label, target(Target::under(3))),
            "ingest-xlsx" => ingest_xlsx(&mut h, &main, target(Target::FloorRatio(1.5))),
            "dates" => parse_dates(&mut h, &dates, rows_label, target(Target::under(1))),
            "check" => check(&mut h, &main, rows_label, target(Target::under_mem(5, 2))),
            "render" => render(&mut h, &main, &problems, rows_label, at_1m),
            "reconcile" => reconcile(
                &mut h,
                &main,
                rows_label,
                if at_1m {
                    Target::under_mem(15, 3)
                } else {
                    Target::under(2)
                },
            ),
            "reconcile-100k" if at_1m => reconcile(&mut h, &small, "100k", Target::under(2)),
            "reconcile-100k" => Ok(Vec::new()),
            "mailing" => mailing(&mut h, &main, rows_label, target(Target::under(10))),
            _ => Ok(Vec::new()),
        };
        match result {
            Ok(r) => rows.extend(r),
            Err(e) => {
                eprintln!("  failed: {e}");
                rows.push(Row {
                    what: b.name.into(),
                    stats: None,
                    floor: None,
                    target: Target::None,
                    judged: None,
                    note: format!("failed: {e}"),
                });
            }
        }
    }

    print!("{}", report(opts, &facts, &true_rss, &rows, &h.commands));
    Ok(())
}

fn ingest_csv(h: &mut Harness, d: &DataSet, n: &str, target: Target) -> Result<Vec<Row>, String> {
    let cmd = h
        .shikaku()
        .arg("inspect")
        .arg(d.fund())
        .arg("--kind")
        .arg("fund")
        .arg("--rows")
        .arg("0")
        .arg("--rules")
        .arg(d.rules());
    let m = h.measure(&cmd, &[0])?;
    let floor = h.floor(&[d.fund()])?;
    Ok(vec![Row {
        what: format!("ingest CSV: `inspect` of the {n}-row CP932 fund.csv"),
        stats: Some(m.stats),
        floor: Some(floor),
        target,
        judged: None,
        note: String::new(),
    }])
}

fn ingest_xlsx(h: &mut Harness, d: &DataSet, target: Target) -> Result<Vec<Row>, String> {
    let cmd = h.bench().arg("ingest-xlsx").arg(d.employers());
    let m = h.measure(&cmd, &[0])?;
    let rows = m
        .last_lines
        .last()
        .and_then(|l| field(l, "rows"))
        .unwrap_or(0);
    let books = std::fs::read_dir(d.employers())
        .map(|r| r.count())
        .unwrap_or(0);
    let floor = h.floor(&[d.employers()])?;
    let ratio = m.stats.median().as_secs_f64() / floor.median().as_secs_f64().max(1e-9);
    Ok(vec![Row {
        what: format!("ingest workbooks: {books} .xlsx, {rows} rows, `ingest::read` each"),
        stats: Some(m.stats),
        floor: Some(floor),
        target,
        judged: None,
        note: format!("{ratio:.2}× floor"),
    }])
}

fn parse_dates(h: &mut Harness, d: &DataSet, n: &str, target: Target) -> Result<Vec<Row>, String> {
    let cmd = h.bench().arg("dates").arg(d.path("dates.txt"));
    let m = h.measure(&cmd, &[0])?;
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
    h.shikaku()
        .arg("check")
        .arg("--kind")
        .arg("fund")
        .arg(d.fund())
        .arg("--as-of")
        .arg(AS_OF)
        .arg("--format")
        .arg(format)
        .arg("--rules")
        .arg(d.rules())
}

/// The findings count of a findings.json written by the last run.
fn findings_in_file(path: &Path) -> String {
    match findings_in(&last_line(path)) {
        Some(k) => format!("{k} findings"),
        None => String::new(),
    }
}

fn findings_note(m: &Measured) -> String {
    match m.last_lines.last().and_then(|l| findings_in(l)) {
        Some(k) => format!("{k} findings"),
        None => String::new(),
    }
}

fn check(h: &mut Harness, d: &DataSet, n: &str, target: Target) -> Result<Vec<Row>, String> {
    let m = h.measure(&check_cmd(h, d, "json"), &[0, 1])?;
    let floor = h.floor(&[d.fund()])?;
    Ok(vec![Row {
        what: format!("check: {n}-member fund, `--format json`"),
        note: findings_note(&m),
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
    let floor = h.floor(&[few.fund()])?;
    let mut rows = Vec::new();
    for format in ["json", "human"] {
        // The JSON run on the few-findings file is the `check` row when that ran first.
        let shown = h.cache.contains_key(&check_cmd(h, few, format).display());
        let base = h.measure(&check_cmd(h, few, format), &[0, 1])?;
        let json_note = if format == "json" {
            findings_note(&base)
        } else {
            String::new()
        };
        let heavy = h.measure(&check_cmd(h, many, format), &[0, 1])?;
        let many_note = if format == "json" {
            findings_note(&heavy)
        } else {
            findings_note(&h.measure(&check_cmd(h, many, "json"), &[0, 1])?)
        };
        let extra = heavy.stats.median().saturating_sub(base.stats.median());
        let label = if format == "json" {
            "`--format json`"
        } else {
            "human, default cap (20 per code)"
        };
        if !shown {
            rows.push(Row {
                what: format!("check, {label}: {n}-member fund"),
                note: json_note,
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

fn reconcile(h: &mut Harness, d: &DataSet, n: &str, target: Target) -> Result<Vec<Row>, String> {
    let out = d.dir.join("out").join("reconcile");
    let cmd = h
        .shikaku()
        .arg("reconcile")
        .arg("--fund")
        .arg(d.fund())
        .arg("--national-list")
        .arg(d.path("national-list.csv"))
        .arg("--national-registry")
        .arg(d.path("national-registry.csv"))
        .arg("--employer")
        .arg(d.employers())
        .arg("--as-of")
        .arg(AS_OF)
        .arg("--rules")
        .arg(d.rules())
        .arg("--out")
        .arg(&out);
    let m = h.measure(&cmd, &[0, 1])?;
    let floor = h.floor(&[
        d.fund(),
        d.path("national-registry.csv"),
        d.path("national-list.csv"),
        d.employers(),
    ])?;
    Ok(vec![Row {
        what: format!(
            "reconcile: {n} members, {n} registry rows, list N/10, workbooks with the employees"
        ),
        note: findings_in_file(&out.join("findings.json")),
        stats: Some(m.stats),
        floor: Some(floor),
        target,
        judged: None,
    }])
}

fn mailing(h: &mut Harness, d: &DataSet, n: &str, target: Target) -> Result<Vec<Row>, String> {
    let out = d.dir.join("out").join("mailing");
    let cmd = h
        .shikaku()
        .arg("mailing")
        .arg("--fund")
        .arg(d.fund())
        .arg("--employer")
        .arg(d.employers())
        .arg("--document")
        .arg("notice")
        .arg("--base-date")
        .arg(AS_OF)
        .arg("--as-of")
        .arg(AS_OF)
        .arg("--rules")
        .arg(d.rules())
        .arg("--out")
        .arg(&out);
    let m = h.measure(&cmd, &[0, 1])?;
    let floor = h.floor(&[d.fund(), d.employers()])?;
    Ok(vec![Row {
        what: format!("mailing `--document notice`: {n}-member fund and workbooks"),
        note: findings_in_file(&out.join("findings.json")),
        stats: Some(m.stats),
        floor: Some(floor),
        target,
        judged: None,
    }])
}

struct Facts {
    date: String,
    cpu: String,
    nproc: usize,
    memory: String,
    rustc: String,
    commit: String,
    load: String,
}

fn machine_facts() -> Facts {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map(|kib| bytes(kib * 1024))
        .unwrap_or_else(|| "unknown".into());
    let output = |program: &str, args: &[&str]| {
        std::process::Command::new(program)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let dirty = output("git", &["status", "--porcelain", "--untracked-files=no"])
        .is_some_and(|s| !s.is_empty());
    let commit = output("git", &["rev-parse", "--short", "HEAD"])
        .map(|c| if dirty { format!("{c} (modified)") } else { c })
        .unwrap_or_else(|| "unknown".into());
    Facts {
        date: chrono::Local::now().format("%Y-%m-%d").to_string(),
        cpu,
        nproc: std::thread::available_parallelism().map_or(0, |n| n.get()),
        memory,
        rustc: output("rustc", &["--version"]).unwrap_or_else(|| "unknown".into()),
        commit,
        load: load_average(),
    }
}

/// The 1, 5 and 15 minute load averages: another busy process shows here.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn report(opts: &Options, f: &Facts, true_rss: &str, rows: &[Row], commands: &[String]) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "\nMeasured {} on {} ({} cores, {}), {}; commit {}; load average at start {}, at end {}.\n",
        f.date,
        f.cpu,
        f.nproc,
        f.memory,
        f.rustc,
        f.commit,
        f.load,
        load_average()
    ));
    out.push_str(&format!(
        "Scale {}; median of {} runs after one warm-up run; peak RSS is the highest of the runs (`/bin/true` reads {true_rss}).\n\n",
        opts.scale.name(),
        opts.runs
    ));
    out.push_str("| benchmark | median | min–max | peak RSS | floor: median (min–max), peak RSS | target | met |\n");
    out.push_str("|---|---:|---:|---:|---|---|---|\n");
    for r in rows {
        let (median, spread, rss) = match &r.stats {
            Some(s) => (
                secs(s.median()),
                format!("{}–{}", secs(s.min()), secs(s.max())),
                s.peak_rss().map(bytes).unwrap_or_else(|| "—".into()),
            ),
            None => ("—".into(), "—".into(), "—".into()),
        };
        let floor = match &r.floor {
            Some(s) => format!(
                "{} ({}–{}){}",
                secs(s.median()),
                secs(s.min()),
                secs(s.max()),
                s.peak_rss()
                    .map(|b| format!(", {}", bytes(b)))
                    .unwrap_or_default()
            ),
            None => "—".into(),
        };
        let met = match r.met() {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "—",
        };
        let what = if r.note.is_empty() {
            r.what.clone()
        } else {
            format!("{} ({})", r.what, r.note)
        };
        out.push_str(&format!(
            "| {what} | {median} | {spread} | {rss} | {floor} | {} | {met} |\n",
            r.target.describe()
        ));
    }
    out.push_str("\nCommands (each run as its own process; `floor` and `ingest-xlsx`/`dates` are modes of shikaku-bench):\n\n");
    for c in commands {
        out.push_str(&format!("- `{c}`\n"));
    }
    out
}
