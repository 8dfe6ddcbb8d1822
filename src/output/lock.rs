//! One run at a time into one `--out DIR`: an advisory lock (`flock`) on a file beside the
//! folder, `.<DIR>.shikaku-lock`, whose content names the run that holds it (pid, host,
//! command line, start time). The lock is the kernel's, so it is released the moment its
//! holder exits, however it exits: a killed run leaves its description in the file but no
//! lock, and the next run knows the previous one did not finish. On NFS `flock` is a POSIX
//! lock on the server, so two machines writing into one share see each other.

use super::OutputError;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Who holds (or held) the lock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub run_id: String,
    pub pid: u32,
    pub host: String,
    pub command: String,
    pub started_at: String,
}

impl Holder {
    /// `pid 123 on host-a, started 2026-11-01 10:00:00 +09:00: shikaku reconcile …`
    pub fn describe(&self) -> String {
        crate::tr!(
            "pid {} / ホスト {} / 開始 {} / {}",
            "pid {} on {}, started {}: {}";
            self.pid,
            self.host,
            self.started_at,
            self.command
        )
    }
}

/// The held lock; dropping it clears the file's content and releases it.
#[derive(Debug)]
pub struct OutLock {
    file: File,
    pub path: PathBuf,
    /// The description left by a run that did not finish (killed), if any.
    pub stale: Option<Holder>,
}

/// The lock file's path for `dir` (which must have a parent and a name; see `paths`).
pub fn lock_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.shikaku-lock"))
}

/// Take the lock for the folder whose lock file is `path`. Busy: with `wait`, call
/// `on_wait` with the holder and block until it is free; without, fail naming the holder.
pub fn acquire(
    path: &Path,
    me: &Holder,
    wait: bool,
    on_wait: impl FnOnce(Option<&Holder>),
) -> Result<OutLock, OutputError> {
    let io_error = |source: io::Error| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(io_error)?;
    set_private(&file).map_err(io_error)?;
    if !try_lock(&file).map_err(io_error)? {
        let holder = read_holder_patiently(&mut file);
        if !wait {
            return Err(OutputError::Busy {
                lock: path.to_path_buf(),
                holder: holder.map(|h| h.describe()),
            });
        }
        on_wait(holder.as_ref());
        lock_blocking(&file).map_err(io_error)?;
    }
    let stale = read_holder(&mut file);
    file.set_len(0).map_err(io_error)?;
    file.rewind().map_err(io_error)?;
    let text = serde_json::to_string(me).unwrap_or_default();
    file.write_all(text.as_bytes()).map_err(io_error)?;
    file.sync_all().map_err(io_error)?;
    Ok(OutLock {
        file,
        path: path.to_path_buf(),
        stale,
    })
}

impl Drop for OutLock {
    fn drop(&mut self) {
        // Empty means "finished": the next run reads no stale holder. The kernel releases
        // the lock when the file is closed.
        let _ = self.file.set_len(0);
        let _ = self.file.sync_all();
    }
}

fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    serde_json::from_str(text.trim()).ok()
}

/// The holder writes its description just after it takes the lock: give it a moment.
fn read_holder_patiently(file: &mut File) -> Option<Holder> {
    for _ in 0..20 {
        if let Some(h) = read_holder(file) {
            return Some(h);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    None
}

#[cfg(unix)]
fn try_lock(file: &File) -> io::Result<bool> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on an open descriptor we own; no memory is passed.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(true);
    }
    let err = io::Error::last_os_error();
    if err.kind() == io::ErrorKind::WouldBlock {
        Ok(false)
    } else {
        Err(err)
    }
}

#[cfg(unix)]
fn lock_blocking(file: &File) -> io::Result<()> {
    use std::os::unix::io::AsRawFd;
    loop {
        // SAFETY: as above.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        if rc == 0 {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

#[cfg(not(unix))]
fn try_lock(_file: &File) -> io::Result<bool> {
    Ok(true)
}

#[cfg(not(unix))]
fn lock_blocking(_file: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn set_private(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private(_file: &File) -> io::Result<()> {
    Ok(())
}

/// This machine's name, for the lock's description.
pub fn hostname() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; gethostname writes at most that.
        let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
        if rc == 0 {
            let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
            return String::from_utf8_lossy(&buf[..end]).into_owned();
        }
    }
    "unknown".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me(id: &str) -> Holder {
        Holder {
            run_id: id.into(),
            pid: 42,
            host: "host-a".into(),
            command: "shikaku reconcile".into(),
            started_at: "2026-11-01 10:00:00 +09:00".into(),
        }
    }

    #[test]
    fn a_second_lock_is_refused_naming_the_holder_and_free_after_drop() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = lock_path(tmp.path(), "out");
        let first = acquire(&path, &me("a"), false, |_| {}).expect("first");
        assert_eq!(first.stale, None);
        let Err(err) = acquire(&path, &me("b"), false, |_| {}) else {
            panic!("the second lock must be refused");
        };
        let OutputError::Busy { holder, .. } = &err else {
            panic!("{err:?}");
        };
        let holder = holder.as_deref().unwrap_or("");
        assert!(
            holder.contains("42") && holder.contains("host-a"),
            "{holder}"
        );
        drop(first);
        let again = acquire(&path, &me("c"), false, |_| {}).expect("free again");
        assert_eq!(again.stale, None, "a finished run leaves no stale holder");
    }

    #[test]
    fn a_holder_that_did_not_finish_is_reported_stale() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = lock_path(tmp.path(), "out");
        // What a killed run leaves: its description, and no lock.
        std::fs::write(&path, serde_json::to_string(&me("dead")).expect("json")).expect("write");
        let lock = acquire(&path, &me("new"), false, |_| {}).expect("taken");
        assert_eq!(lock.stale.as_ref().map(|h| h.run_id.as_str()), Some("dead"));
    }
}
