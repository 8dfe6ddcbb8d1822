//! Running a command as a child process: wall time and peak RSS.
//!
//! Peak RSS comes from `wait4(2)`'s `ru_maxrss`, the kernel's own high-water mark for the
//! child, read once when it is reaped. Polling `/proc/<pid>/status` (VmHWM) would race the
//! child's exit (the line is gone once the process is a zombie) and miss a late peak; `wait4`
//! cannot. One caveat: on Linux `ru_maxrss` also counts the memory image the child had before
//! `exec` (the parent's, when forked), so the harness itself stays small and reports the figure
//! it gets for `/bin/true` beside the table.

use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A command line to run.
#[derive(Clone, Debug)]
pub struct Cmd {
    pub program: PathBuf,
    pub args: Vec<OsString>,
}

impl Cmd {
    pub fn new(program: impl Into<PathBuf>) -> Self {
        Cmd {
            program: program.into(),
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, a: impl Into<OsString>) -> Self {
        self.args.push(a.into());
        self
    }

    pub fn display(&self) -> String {
        let name = self
            .program
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut out = name;
        for a in &self.args {
            out.push(' ');
            out.push_str(&a.to_string_lossy());
        }
        out
    }
}

/// One run of a command.
#[derive(Clone, Debug)]
pub struct Run {
    pub wall: Duration,
    /// Peak resident set size, bytes.
    pub peak_rss: u64,
    pub exit_code: i32,
    /// The child's stdout, kept in a file (a pipe would have to be drained while it runs).
    pub stdout: PathBuf,
    pub stderr: PathBuf,
}

/// Run `cmd` once with stdout/stderr in files under `scratch`, and wait for it with `wait4`.
pub fn run_once(cmd: &Cmd, scratch: &Path) -> io::Result<Run> {
    let stdout = scratch.join("stdout");
    let stderr = scratch.join("stderr");
    let mut child = Command::new(&cmd.program);
    child
        .args(&cmd.args)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout)?)
        .stderr(File::create(&stderr)?);
    let start = Instant::now();
    let child = child.spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = loop {
        // SAFETY: `pid` is our own unreaped child; `status` and `usage` are valid for writes.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == -1 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
            continue;
        }
        break r;
    };
    let wall = start.elapsed();
    if reaped != pid {
        return Err(io::Error::last_os_error());
    }
    // The child is reaped; `Child` must not wait on it again (it never does on drop).
    drop(child);
    let exit_code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    Ok(Run {
        wall,
        // Linux reports kilobytes (KiB).
        peak_rss: usage.ru_maxrss.max(0) as u64 * 1024,
        exit_code,
        stdout,
        stderr,
    })
}

/// The runs of one measurement, after a discarded warm-up run.
#[derive(Clone, Debug)]
pub struct Stats {
    pub walls: Vec<Duration>,
    pub rss: Vec<u64>,
}

impl Stats {
    pub fn from_runs(runs: &[Run]) -> Self {
        Stats {
            walls: runs.iter().map(|r| r.wall).collect(),
            rss: runs.iter().map(|r| r.peak_rss).collect(),
        }
    }

    pub fn from_durations(walls: Vec<Duration>) -> Self {
        Stats {
            walls,
            rss: Vec::new(),
        }
    }

    pub fn median(&self) -> Duration {
        median(&self.walls)
    }

    pub fn min(&self) -> Duration {
        self.walls.iter().copied().min().unwrap_or_default()
    }

    pub fn max(&self) -> Duration {
        self.walls.iter().copied().max().unwrap_or_default()
    }

    /// The highest peak of the runs.
    pub fn peak_rss(&self) -> Option<u64> {
        self.rss.iter().copied().max()
    }
}

/// The median (the mean of the middle two for an even count).
pub fn median(xs: &[Duration]) -> Duration {
    let mut v = xs.to_vec();
    v.sort();
    match v.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}

pub fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

pub fn bytes(b: u64) -> String {
    let mib = b as f64 / (1024.0 * 1024.0);
    if mib >= 1024.0 {
        format!("{:.2} GiB", mib / 1024.0)
    } else {
        format!("{mib:.0} MiB")
    }
}
