//! The bench's report: the machine, the table of figures, the workbook floors by layer, the
//! output check and the commands, as Markdown for the README.

use crate::measure::{Stats, bytes, secs};
use crate::outputs::Verdict;
use std::time::Duration;

/// A target and whether a figure meets it.
pub enum Target {
    None,
    AtMost { time: Duration, rss: Option<u64> },
    FloorRatio(f64),
    Extra(Duration),
}

const GIB: u64 = 1 << 30;

impl Target {
    pub fn secs(s: f64) -> Self {
        Target::AtMost {
            time: Duration::from_secs_f64(s),
            rss: None,
        }
    }

    pub fn secs_gib(s: f64, gib: f64) -> Self {
        Target::AtMost {
            time: Duration::from_secs_f64(s),
            rss: Some((gib * GIB as f64) as u64),
        }
    }

    fn describe(&self) -> String {
        let short = |d: &Duration| format!("{} s", d.as_secs_f64());
        match self {
            Target::None => "—".into(),
            Target::AtMost { time, rss: None } => format!("≤ {}", short(time)),
            Target::AtMost {
                time,
                rss: Some(rss),
            } => format!("≤ {}, ≤ {}", short(time), bytes(*rss)),
            Target::FloorRatio(r) => format!("≤ {r}× floor"),
            Target::Extra(d) => format!("extra ≤ {}", short(d)),
        }
    }
}

/// One line of the table.
pub struct Row {
    pub what: String,
    pub stats: Option<Stats>,
    pub floor: Option<Stats>,
    pub target: Target,
    /// Replaces the median as the figure the target is judged on (render: the extra time).
    pub judged: Option<Duration>,
    pub note: String,
}

impl Row {
    pub fn failed(what: &str, e: &str) -> Self {
        Row {
            what: what.into(),
            stats: None,
            floor: None,
            target: Target::None,
            judged: None,
            note: format!("failed: {e}"),
        }
    }

    fn met(&self) -> Option<bool> {
        let stats = self.stats.as_ref()?;
        let figure = self.judged.unwrap_or_else(|| stats.median());
        match &self.target {
            Target::None => None,
            Target::AtMost { time, rss } => Some(
                figure <= *time
                    && rss.is_none_or(|limit| stats.peak_rss().is_some_and(|r| r <= limit)),
            ),
            // Judged on CPU time when both have it: both are one thread, and on a shared
            // machine their wall times wander with the load.
            Target::FloorRatio(r) => {
                let floor = self.floor.as_ref()?;
                match (stats.median_cpu(), floor.median_cpu()) {
                    (Some(a), Some(b)) => Some(a.as_secs_f64() <= b.as_secs_f64() * r),
                    _ => Some(figure.as_secs_f64() <= floor.median().as_secs_f64() * r),
                }
            }
            Target::Extra(d) => Some(figure <= *d),
        }
    }
}

/// A workbook floor taken apart: each level's median, and what reading through shikaku takes.
pub struct Layers {
    pub what: String,
    pub inflate: Duration,
    pub xml: Duration,
    pub cells: Duration,
    pub range: Duration,
    pub ingest: Duration,
}

/// One output check: which benchmark on which data set, and the verdict.
pub struct Checked {
    pub what: String,
    pub verdict: Verdict,
}

pub struct Facts {
    pub date: String,
    pub cpu: String,
    pub nproc: usize,
    pub memory: String,
    pub rustc: String,
    pub commit: String,
    pub load: String,
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    std::process::Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// The commit checked out, "(modified)" when tracked files differ from it.
pub fn commit() -> String {
    let dirty = output("git", &["status", "--porcelain", "--untracked-files=no"])
        .is_some_and(|s| !s.is_empty());
    output("git", &["rev-parse", "--short", "HEAD"])
        .map(|c| if dirty { format!("{c} (modified)") } else { c })
        .unwrap_or_else(|| "unknown".into())
}

pub fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

pub fn machine_facts() -> Facts {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let memory = mem_total().map(bytes).unwrap_or_else(|| "unknown".into());
    Facts {
        date: today(),
        cpu,
        nproc: std::thread::available_parallelism().map_or(0, |n| n.get()),
        memory,
        rustc: output("rustc", &["--version"]).unwrap_or_else(|| "unknown".into()),
        commit: commit(),
        load: load_average(),
    }
}

/// MemTotal from /proc/meminfo, bytes.
pub fn mem_total() -> Option<u64> {
    std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| {
        m.lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kib| kib * 1024)
    })
}

/// The 1, 5 and 15 minute load averages: another busy process shows here.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn stats_cells(s: &Option<Stats>) -> [String; 4] {
    match s {
        Some(s) => [
            secs(s.median()),
            format!("{}–{}", secs(s.min()), secs(s.max())),
            s.median_cpu().map(secs).unwrap_or_else(|| "—".into()),
            s.peak_rss().map(bytes).unwrap_or_else(|| "—".into()),
        ],
        None => ["—", "—", "—", "—"].map(String::from),
    }
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| benchmark | median | min–max | CPU | peak RSS | floor: median (min–max), CPU, peak RSS | target | met |\n\
         |---|---:|---:|---:|---:|---|---|---|\n",
    );
    for r in rows {
        let [median, spread, cpu, rss] = stats_cells(&r.stats);
        let floor = match &r.floor {
            Some(s) => format!(
                "{} ({}–{}){}{}",
                secs(s.median()),
                secs(s.min()),
                secs(s.max()),
                s.median_cpu()
                    .map(|c| format!(", CPU {}", secs(c)))
                    .unwrap_or_default(),
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
            "| {what} | {median} | {spread} | {cpu} | {rss} | {floor} | {} | {met} |\n",
            r.target.describe()
        ));
    }
    out
}

fn layers_table(layers: &[Layers]) -> String {
    let mut out = String::from(
        "\nWorkbook floors by layer (median CPU time, one thread; each level does the work of the one before):\n\n\
         | workbooks | inflate | + XML parse (quick-xml) | + calamine cells | + `worksheet_range` | `ingest::read` |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    for l in layers {
        let pct = |d: Duration| 100.0 * d.as_secs_f64() / l.cells.as_secs_f64().max(1e-9);
        let step = |a: Duration, b: Duration| a.saturating_sub(b);
        out.push_str(&format!(
            "| {} | {} ({:.0}%) | {} (+{}, {:.0}%) | {} (+{}, {:.0}%) | {} | {} |\n",
            l.what,
            secs(l.inflate),
            pct(l.inflate),
            secs(l.xml),
            secs(step(l.xml, l.inflate)),
            pct(step(l.xml, l.inflate)),
            secs(l.cells),
            secs(step(l.cells, l.xml)),
            pct(step(l.cells, l.xml)),
            secs(l.range),
            secs(l.ingest),
        ));
    }
    out.push_str("\nPercentages are of the calamine-cells floor.\n");
    out
}

pub struct Report<'a> {
    pub facts: &'a Facts,
    pub scale: &'a str,
    pub runs: usize,
    pub true_rss: &'a str,
    pub rows: &'a [Row],
    pub layers: &'a [Layers],
    pub checked: &'a [Checked],
    pub commands: &'a [String],
}

impl Report<'_> {
    pub fn render(&self) -> String {
        let f = self.facts;
        let mut out = format!(
            "\nMeasured {} on {} ({} cores, {}), {}; commit {}; load average at start {}, at end {}.\n",
            f.date,
            f.cpu,
            f.nproc,
            f.memory,
            f.rustc,
            f.commit,
            f.load,
            load_average()
        );
        out.push_str(&format!(
            "Scale {}; median of {} runs after one warm-up run; CPU is the median user + system time; peak RSS is the highest of the runs (`/bin/true` reads {}).\n\n",
            self.scale, self.runs, self.true_rss
        ));
        out.push_str(&table(self.rows));
        if !self.layers.is_empty() {
            out.push_str(&layers_table(self.layers));
        }
        if !self.checked.is_empty() {
            out.push_str("\nOutputs (every run's lists and findings, SHA-256, against the data set's `outputs.sha256`):\n\n");
            for c in self.checked {
                out.push_str(&format!("- {}: {}\n", c.what, c.verdict.describe()));
            }
        }
        out.push_str("\nCommands (each run as its own process; `floor`, `ingest-xlsx` and `dates` are modes of shikaku-bench):\n\n");
        for c in self.commands {
            out.push_str(&format!("- `{c}`\n"));
        }
        out
    }
}
