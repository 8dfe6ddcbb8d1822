//! Running a command as a child process: wall time and peak RSS.
//!
//! Peak RSS comes from `wait4(2)`'s `ru_maxrss`, the kernel's own high-water mark for the
//! child, read once when it is reaped. Polling `/proc/<pid>/status` (VmHWM) would race the
//! child's exit (the line is gone once the process is a zombie) and miss a late peak; `wait4`
//! cannot. One caveat: on Linux `ru_maxrss` also counts the memory image the child had before
//! `exec` (the parent's, when forked), so the harness itself stays small and reports the figure
//! it gets for `/bin/true` beside the table.
//!
//! The machine is shared: a child whose resident set passes the limit (`--max-rss`) is killed
//! rather than left to push the machine into the OOM killer. A watchdog thread reads its RSS
//! from `/proc` every 20 ms and signals it through a pidfd, which names that process and no
//! other even after it is reaped.

use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A command line to run, in a working directory (the data set's, so that the paths in its
/// outputs are the same wherever the data sets live).
#[derive(Clone, Debug)]
pub struct Cmd {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub dir: Option<PathBuf>,
}

impl Cmd {
    pub fn new(program: impl Into<PathBuf>) -> Self {
        Cmd {
            program: program.into(),
            args: Vec::new(),
            dir: None,
        }
    }

    pub fn args<I: Into<OsString>>(mut self, args: impl IntoIterator<Item = I>) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn in_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dir = Some(dir.into());
        self
    }

    pub fn display(&self) -> String {
        let name = self
            .program
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut out = match &self.dir {
            Some(d) => format!("(in {}) {name}", d.display()),
            None => name,
        };
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
    /// User + system CPU time: on a shared machine, less disturbed by others than the wall.
    pub cpu: Duration,
    pub exit_code: i32,
    /// The child's stdout, kept in a file (a pipe would have to be drained while it runs).
    pub stdout: PathBuf,
    pub stderr: PathBuf,
    /// The resident set the watchdog saw when it killed the child for passing the limit.
    pub killed_at: Option<u64>,
}

/// The resident set of `pid` now, from /proc (0 when it cannot be read).
fn rss_now(pid: libc::pid_t) -> u64 {
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(0) as u64;
    std::fs::read_to_string(format!("/proc/{pid}/statm"))
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * page)
}

/// Kill the child through `pidfd` once its RSS passes `limit`; stop when `done` is set.
fn watchdog(
    pid: libc::pid_t,
    pidfd: libc::c_int,
    limit: u64,
    done: &AtomicBool,
    killed: &AtomicU64,
) {
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(20));
        let rss = rss_now(pid);
        if rss > limit {
            // SAFETY: a pidfd we opened and still own; a null siginfo is allowed.
            let sent = unsafe {
                libc::syscall(
                    libc::SYS_pidfd_send_signal,
                    pidfd,
                    libc::SIGKILL,
                    std::ptr::null::<libc::siginfo_t>(),
                    0,
                )
            };
            if sent == 0 {
                killed.store(rss, Ordering::Relaxed);
            }
            return;
        }
    }
}

/// Wait for our child `pid` with `wait4`: its status and resource usage.
fn reap(pid: libc::pid_t) -> io::Result<(libc::c_int, libc::rusage)> {
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own unreaped child; `status` and `usage` are valid for writes.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == -1 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
            continue;
        }
        if r != pid {
            return Err(io::Error::last_os_error());
        }
        return Ok((status, usage));
    }
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
}

/// Run `cmd` once with stdout/stderr in files under `scratch`, and wait for it with `wait4`;
/// kill it if its RSS passes `max_rss`.
pub fn run_once(cmd: &Cmd, scratch: &Path, max_rss: Option<u64>) -> io::Result<Run> {
    let stdout = scratch.join("stdout");
    let stderr = scratch.join("stderr");
    let mut child = Command::new(&cmd.program);
    child
        .args(&cmd.args)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout)?)
        .stderr(File::create(&stderr)?);
    if let Some(dir) = &cmd.dir {
        child.current_dir(dir);
    }
    let start = Instant::now();
    let child = child.spawn()?;
    let pid = child.id() as libc::pid_t;
    // SAFETY: pidfd_open on our own child, which is not reaped yet.
    let pidfd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) } as libc::c_int;
    let (done, killed) = (AtomicBool::new(false), AtomicU64::new(0));
    if max_rss.is_some() && pidfd < 0 {
        eprintln!("warning: pidfd_open failed; no --max-rss watchdog for this run");
    }
    let reaped = std::thread::scope(|s| {
        if let (Some(limit), true) = (max_rss, pidfd >= 0) {
            let (done, killed) = (&done, &killed);
            s.spawn(move || watchdog(pid, pidfd, limit, done, killed));
        }
        let reaped = reap(pid);
        done.store(true, Ordering::Relaxed);
        reaped
    });
    let wall = start.elapsed();
    if pidfd >= 0 {
        // SAFETY: our own descriptor, closed once.
        unsafe { libc::close(pidfd) };
    }
    let (status, usage) = reaped?;
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
        cpu: timeval(usage.ru_utime) + timeval(usage.ru_stime),
        exit_code,
        stdout,
        stderr,
        killed_at: Some(killed.load(Ordering::Relaxed)).filter(|&k| k > 0),
    })
}

/// The runs of one measurement, after a discarded warm-up run.
#[derive(Clone, Debug)]
pub struct Stats {
    pub walls: Vec<Duration>,
    pub rss: Vec<u64>,
    pub cpu: Vec<Duration>,
}

impl Stats {
    pub fn from_runs(runs: &[Run]) -> Self {
        Stats {
            walls: runs.iter().map(|r| r.wall).collect(),
            rss: runs.iter().map(|r| r.peak_rss).collect(),
            cpu: runs.iter().map(|r| r.cpu).collect(),
        }
    }

    pub fn from_durations(walls: Vec<Duration>) -> Self {
        Stats {
            walls,
            rss: Vec::new(),
            cpu: Vec::new(),
        }
    }

    /// The median CPU time, when the runs were processes.
    pub fn median_cpu(&self) -> Option<Duration> {
        (!self.cpu.is_empty()).then(|| median(&self.cpu))
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
