//! `SHIKAKU_TIMING=1`: wall time per stage on stderr at exit, for finding where a slow run
//! spends its time (README "Performance"). Stages of the same name add up (a hundred employer
//! workbooks are one line, with the count; stages on several threads add their own times).
//! Beside each stage is the process's peak RSS when it last ended (Linux), to see which stage
//! raised the high-water mark. Off by default: a stage then costs one check of a flag set
//! once, and no label is built.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var_os("SHIKAKU_TIMING").is_some_and(|v| !v.is_empty() && v != "0")
    })
}

/// Totals per stage name, in order of first appearance.
struct Totals {
    order: Vec<String>,
    by_name: HashMap<String, (Duration, u32, Option<u64>)>,
}

fn totals() -> &'static Mutex<Totals> {
    static T: OnceLock<Mutex<Totals>> = OnceLock::new();
    T.get_or_init(|| {
        Mutex::new(Totals {
            order: Vec::new(),
            by_name: HashMap::new(),
        })
    })
}

/// A running stage; its time is added to its name's total when it is dropped.
#[must_use = "a stage is timed until it is dropped"]
pub struct Stage(Option<(String, Instant)>);

/// Start timing a stage. `name` is only called when timing is on.
pub fn stage(name: impl FnOnce() -> String) -> Stage {
    Stage(enabled().then(|| (name(), Instant::now())))
}

impl Drop for Stage {
    fn drop(&mut self) {
        let Some((name, start)) = self.0.take() else {
            return;
        };
        let elapsed = start.elapsed();
        let hwm = peak_rss();
        let Ok(mut t) = totals().lock() else { return };
        if !t.by_name.contains_key(&name) {
            t.order.push(name.clone());
        }
        let e = t.by_name.entry(name).or_default();
        e.0 += elapsed;
        e.1 += 1;
        e.2 = hwm;
    }
}

/// The process's peak RSS so far (VmHWM), in bytes; None where /proc is not there.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(kib * 1024)
}

/// Print the totals (when timing is on).
pub fn report() {
    if !enabled() {
        return;
    }
    let Ok(t) = totals().lock() else { return };
    for name in &t.order {
        let (d, n, hwm) = t.by_name[name];
        let times = if n > 1 {
            format!(" (×{n})")
        } else {
            String::new()
        };
        let hwm = hwm.map_or(String::new(), |b| {
            format!("  [peak RSS {:.2} GiB]", b as f64 / f64::from(1 << 30))
        });
        eprintln!("timing: {:>8.3} s  {name}{times}{hwm}", d.as_secs_f64());
    }
}
