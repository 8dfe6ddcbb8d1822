//! A run's outputs are one set (issue 15): whoever opens `--out DIR` sees the previous run's
//! whole set or this run's whole set, never some files of each, even if the run is killed
//! at any point.
//!
//! The set is staged in a sibling folder on the same filesystem, `.<DIR>.shikaku-new-<run>`,
//! with `run.json` written last; then the two folders are swapped in one step with
//! `renameat2(RENAME_EXCHANGE)`. Where the filesystem cannot exchange (NFS, SMB, older
//! kernels) the swap is two renames, `DIR → .<DIR>.shikaku-old-<run>` then the new folder to
//! `DIR`: between them `DIR` is briefly absent, never mixed. Files in `DIR` that shikaku did
//! not write (those not listed in its `run.json`) are carried into the new folder by hard link
//! (a copy where links are not allowed), and any that appear during the swap are moved over
//! before the old folder is removed. A journal beside the folder,
//! `.<DIR>.shikaku-journal`, says how far a run got, so the next run finishes or undoes a
//! swap a killed run left half done ([`recover`]). Where even a rename of `DIR` is refused
//! (it is a mount point, our working directory, or its parent is read-only) the files are
//! replaced one by one in place, `run.json` removed first and written last, so a set without
//! `run.json` is known to be incomplete.

use super::OutputError;
use super::atomic::{InputGuard, create_out_dir, write_atomic};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The file written last, naming the run and every file of the set.
pub const RUN_JSON: &str = "run.json";

/// Names shikaku writes, for a folder from before `run.json` existed.
const KNOWN_OUTPUTS: &[&str] = &[
    "certificates.csv",
    "certificates.xlsx",
    "returns.csv",
    "returns.xlsx",
    "mailing.csv",
    "mailing.xlsx",
    "findings.json",
    "report.html",
    RUN_JSON,
    "事業所別",
];

/// One file of the set as `run.json` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    /// Relative to `--out DIR`, `/`-separated.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// The files of a set, in memory until [`commit`].
#[derive(Default)]
pub struct Staged {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Staged {
    pub fn add(&mut self, relative: impl Into<PathBuf>, bytes: Vec<u8>) {
        self.files.push((relative.into(), bytes));
    }

    /// What `run.json` will list: every file but itself, with its hash.
    pub fn listing(&self) -> Vec<Written> {
        self.files
            .iter()
            .map(|(path, bytes)| Written {
                path: slash_path(path),
                bytes: bytes.len() as u64,
                sha256: sha256_sri(bytes),
            })
            .collect()
    }
}

/// The sibling paths of `--out DIR`.
#[derive(Clone, Debug)]
pub struct Paths {
    pub dir: PathBuf,
    pub parent: PathBuf,
    pub name: String,
}

impl Paths {
    /// `dir` made absolute (its parent canonical), so siblings are found whatever the
    /// spelling (`out`, `./out/`, a symlinked parent).
    pub fn new(dir: &Path) -> Result<Paths, OutputError> {
        let absolute = std::path::absolute(dir).map_err(|source| OutputError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let name = absolute
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n != "." && n != "..");
        let (Some(name), Some(parent)) = (name, absolute.parent()) else {
            return Err(OutputError::Io {
                path: dir.to_path_buf(),
                source: io::Error::other(crate::tr!(
                    "--out には親フォルダのあるフォルダを指定してください",
                    "--out must name a folder inside another folder"
                )),
            });
        };
        create_out_dir(parent)?;
        if absolute.exists() && !absolute.is_dir() {
            return Err(OutputError::Io {
                path: dir.to_path_buf(),
                source: io::Error::other(crate::tr!(
                    "--out にはフォルダを指定してください（ファイルがあります）",
                    "--out must be a folder, not a file"
                )),
            });
        }
        let parent = fs::canonicalize(parent).map_err(|source| OutputError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
        Ok(Paths {
            dir: parent.join(&name),
            parent,
            name,
        })
    }

    pub fn sibling(&self, what: &str, run_id: &str) -> PathBuf {
        self.parent
            .join(format!(".{}.shikaku-{what}-{run_id}", self.name))
    }

    pub fn journal(&self) -> PathBuf {
        self.parent.join(format!(".{}.shikaku-journal", self.name))
    }

    pub fn lock(&self) -> PathBuf {
        super::lock::lock_path(&self.parent, &self.name)
    }
}

/// How far a run got, written beside the folder before each step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    pub run_id: String,
    pub step: Step,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    /// The new folder is being written; `DIR` is untouched.
    Staging,
    /// The folders are being swapped: `DIR/run.json` says whether it happened.
    Swapping,
    /// The new set is published; the old folder is being removed.
    Cleaning,
}

/// How the set was published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Swap {
    /// `DIR` did not exist: one rename.
    Created,
    Exchanged,
    /// Two renames (the filesystem cannot exchange).
    Renamed,
    /// File by file (the folder cannot be renamed).
    InPlace,
}

/// Publish `staged` as the set in `paths.dir`, `run_json` rendered from its listing and
/// written last. The caller holds the lock and has run [`recover`].
pub fn commit(
    paths: &Paths,
    run_id: &str,
    staged: Staged,
    run_json: impl FnOnce(&[Written]) -> Vec<u8>,
    guard: &InputGuard,
) -> Result<Swap, OutputError> {
    for (relative, _) in &staged.files {
        guard.check(&paths.dir.join(relative))?;
    }
    let listing = staged.listing();
    let run_json = run_json(&listing);
    if must_write_in_place(paths) {
        return in_place(paths, staged, &run_json, guard);
    }
    let stage = paths.sibling("new", run_id);
    write_journal(paths, run_id, Step::Staging)?;
    match stage_set(paths, &stage, &staged, &run_json, guard) {
        Ok(()) => {}
        Err(e) if is_refused(&e) => {
            let _ = fs::remove_dir_all(&stage);
            remove_journal(paths);
            return in_place(paths, staged, &run_json, guard);
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&stage);
            remove_journal(paths);
            return Err(e);
        }
    }
    write_journal(paths, run_id, Step::Swapping)?;
    let swap = swap(paths, &stage, run_id)?;
    write_journal(paths, run_id, Step::Cleaning)?;
    clean_old(paths, run_id);
    remove_journal(paths);
    Ok(swap)
}

/// Swapping the folder would leave our own working directory (and, most likely, the shell
/// that started us) in a deleted folder.
fn must_write_in_place(paths: &Paths) -> bool {
    let Ok(dir) = fs::canonicalize(&paths.dir) else {
        return false;
    };
    std::env::current_dir()
        .ok()
        .and_then(|cwd| fs::canonicalize(cwd).ok())
        .is_some_and(|cwd| cwd.starts_with(&dir))
}

fn is_refused(e: &OutputError) -> bool {
    matches!(e, OutputError::Io { source, .. }
        if matches!(source.raw_os_error(), Some(libc::EACCES | libc::EPERM | libc::EROFS)))
}

/// Write the new folder: our files, the foreign files of `DIR`, `run.json` last.
fn stage_set(
    paths: &Paths,
    stage: &Path,
    staged: &Staged,
    run_json: &[u8],
    guard: &InputGuard,
) -> Result<(), OutputError> {
    let _ = fs::remove_dir_all(stage);
    make_dir(stage, fs::metadata(&paths.dir).ok().map(|m| mode_of(&m)))?;
    for (index, (relative, bytes)) in staged.files.iter().enumerate() {
        write_new(&stage.join(relative), bytes)?;
        test_hook::after_file(index + 1);
    }
    if paths.dir.is_dir() {
        let previous = previous_outputs(&paths.dir, guard);
        carry(&paths.dir, stage, "", &previous, How::Link)?;
    }
    write_new(&stage.join(RUN_JSON), run_json)?;
    sync_dir(stage);
    Ok(())
}

/// Put the staged folder in `DIR`'s place.
fn swap(paths: &Paths, stage: &Path, run_id: &str) -> Result<Swap, OutputError> {
    let io_error = |source: io::Error| OutputError::Io {
        path: paths.dir.clone(),
        source,
    };
    if !paths.dir.exists() {
        fs::rename(stage, &paths.dir).map_err(io_error)?;
        sync_dir(&paths.parent);
        return Ok(Swap::Created);
    }
    let old = paths.sibling("old", run_id);
    if !test_hook::no_exchange() && exchange(stage, &paths.dir).map_err(io_error)? {
        // The stage's name now holds the previous set.
        if fs::rename(stage, &old).is_err() {
            let _ = fs::remove_dir_all(stage);
        }
        sync_dir(&paths.parent);
        return Ok(Swap::Exchanged);
    }
    fs::rename(&paths.dir, &old).map_err(io_error)?;
    test_hook::between_renames();
    if let Err(e) = fs::rename(stage, &paths.dir) {
        // Put the previous set back rather than leave no folder at all.
        let _ = fs::rename(&old, &paths.dir);
        return Err(io_error(e));
    }
    sync_dir(&paths.parent);
    Ok(Swap::Renamed)
}

/// `renameat2(RENAME_EXCHANGE)`: Ok(false) where the filesystem or kernel cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let b = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: two NUL-terminated paths that outlive the call; AT_FDCWD for both.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::ENOTSUP | libc::EXDEV) => Ok(false),
        _ => Err(err),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Remove the previous set once the new one is published, after moving over any foreign
/// file that reached the old folder during the swap.
pub fn clean_old(paths: &Paths, run_id: &str) {
    for what in ["old", "new"] {
        let old = paths.sibling(what, run_id);
        if !old.is_dir() || old == paths.dir {
            continue;
        }
        let previous = previous_outputs(&old, &InputGuard::default());
        let _ = carry(&old, &paths.dir, "", &previous, How::Move);
        let _ = fs::remove_dir_all(&old);
    }
    sync_dir(&paths.parent);
}

/// The relative paths a folder's `run.json` lists as shikaku's (and `run.json` itself);
/// without one, the names shikaku writes. An input is never counted as ours.
fn previous_outputs(dir: &Path, guard: &InputGuard) -> BTreeSet<String> {
    let listed = fs::read(dir.join(RUN_JSON))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| serde_json::from_value::<Vec<Written>>(v["files"].clone()).ok());
    let mut names: BTreeSet<String> = match listed {
        Some(files) => files.into_iter().map(|w| w.path).collect(),
        None => KNOWN_OUTPUTS.iter().map(|s| s.to_string()).collect(),
    };
    names.insert(RUN_JSON.to_owned());
    names.retain(|n| guard.check(&dir.join(n)).is_ok());
    names
}

/// Is `relative` (or a folder above it) one of shikaku's previous outputs?
fn is_previous(relative: &str, previous: &BTreeSet<String>) -> bool {
    previous.contains(relative)
        || previous
            .iter()
            .any(|p| relative.starts_with(&format!("{p}/")))
}

/// How a foreign file reaches the other folder.
#[derive(Clone, Copy, PartialEq, Eq)]
enum How {
    /// Into the staged folder: a hard link (a copy where links are not allowed).
    Link,
    /// Out of the old folder after the swap: a rename.
    Move,
}

/// Bring into `to` every file of `from` that shikaku did not write (not in `previous`) and
/// that `to` does not have; folders are walked, and one left empty because everything in it
/// was shikaku's is not kept.
fn carry(
    from: &Path,
    to: &Path,
    prefix: &str,
    previous: &BTreeSet<String>,
    how: How,
) -> Result<(), OutputError> {
    for entry in read_dir(from)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = join_rel(prefix, &name);
        let (src, dst) = (entry.path(), to.join(&name));
        let file_type = entry.file_type().map_err(|e| io_at(&src, e))?;
        if file_type.is_dir() {
            let created = !dst.exists();
            let had_entries = fs::read_dir(&src).is_ok_and(|mut d| d.next().is_some());
            if created {
                make_dir(&dst, fs::metadata(&src).ok().map(|m| mode_of(&m)))?;
            }
            carry(&src, &dst, &relative, previous, how)?;
            if created && had_entries && fs::read_dir(&dst).is_ok_and(|mut d| d.next().is_none()) {
                let _ = fs::remove_dir(&dst);
            }
        } else if !is_previous(&relative, previous) && fs::symlink_metadata(&dst).is_err() {
            match how {
                How::Link => link_or_copy(&src, &dst, file_type.is_symlink())?,
                How::Move => fs::rename(&src, &dst).map_err(|e| io_at(&dst, e))?,
            }
        }
    }
    Ok(())
}

fn link_or_copy(src: &Path, dst: &Path, symlink: bool) -> Result<(), OutputError> {
    #[cfg(unix)]
    if symlink {
        let target = fs::read_link(src).map_err(|e| io_at(src, e))?;
        return std::os::unix::fs::symlink(target, dst).map_err(|e| io_at(dst, e));
    }
    let _ = symlink;
    if fs::hard_link(src, dst).is_ok() {
        return Ok(());
    }
    fs::copy(src, dst).map(|_| ()).map_err(|e| io_at(dst, e))
}

/// The set written file by file into `DIR`: `run.json` removed first and written last.
fn in_place(
    paths: &Paths,
    staged: Staged,
    run_json: &[u8],
    guard: &InputGuard,
) -> Result<Swap, OutputError> {
    create_out_dir(&paths.dir)?;
    let previous = previous_outputs(&paths.dir, guard);
    let run_path = paths.dir.join(RUN_JSON);
    if run_path.exists() {
        fs::remove_file(&run_path).map_err(|e| io_at(&run_path, e))?;
    }
    let mut ours = BTreeSet::new();
    for (index, (relative, bytes)) in staged.files.iter().enumerate() {
        let path = paths.dir.join(relative);
        if let Some(parent) = path.parent() {
            create_out_dir(parent)?;
        }
        write_atomic(&path, bytes, guard)?;
        ours.insert(slash_path(relative));
        test_hook::after_file(index + 1);
    }
    for stale in previous
        .iter()
        .filter(|p| !ours.contains(*p) && *p != RUN_JSON)
    {
        let path = paths.dir.join(stale);
        if path.is_file() {
            let _ = fs::remove_file(&path);
        }
    }
    write_atomic(&run_path, run_json, guard)?;
    Ok(Swap::InPlace)
}

/// Finish or undo what a killed run left (the caller holds the lock): see the module docs.
/// Returns what was done, for the report's notes.
pub fn recover(paths: &Paths) -> Option<String> {
    let journal: Journal = fs::read(paths.journal())
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())?;
    let id = journal.run_id.as_str();
    let published = run_id_of(&paths.dir).as_deref() == Some(id);
    let note = match (journal.step, published) {
        (Step::Staging, _) | (Step::Swapping, false) => {
            let old = paths.sibling("old", id);
            if !paths.dir.exists() && old.is_dir() {
                let _ = fs::rename(&old, &paths.dir);
            }
            let _ = fs::remove_dir_all(paths.sibling("new", id));
            crate::tr!(
                "前回の実行 {id} は途中で終わっていました。その前の出力のまま続けます。",
                "the previous run {id} did not finish: its outputs were discarded and the set before it kept"
            )
        }
        (Step::Swapping, true) | (Step::Cleaning, _) => {
            clean_old(paths, id);
            crate::tr!(
                "前回の実行 {id} の後片付けを済ませました。",
                "finished cleaning up after the previous run {id}"
            )
        }
    };
    remove_journal(paths);
    Some(note)
}

fn run_id_of(dir: &Path) -> Option<String> {
    let bytes = fs::read(dir.join(RUN_JSON)).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v["run_id"].as_str().map(str::to_owned)
}

fn write_journal(paths: &Paths, run_id: &str, step: Step) -> Result<(), OutputError> {
    let journal = Journal {
        run_id: run_id.to_owned(),
        step,
    };
    let bytes = serde_json::to_vec(&journal).unwrap_or_default();
    write_atomic(&paths.journal(), &bytes, &InputGuard::default())
}

fn remove_journal(paths: &Paths) {
    let _ = fs::remove_file(paths.journal());
    sync_dir(&paths.parent);
}

/// A new file, mode 0600, synced; its folder created (0700) when missing.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        make_dir(parent, None)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| io_at(path, e))?;
    file.write_all(bytes).map_err(|e| io_at(path, e))?;
    file.sync_all().map_err(|e| io_at(path, e))
}

fn make_dir(path: &Path, mode: Option<u32>) -> Result<(), OutputError> {
    create_out_dir(path)?;
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(|e| io_at(path, e))?;
    }
    Ok(())
}

fn mode_of(meta: &fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o7777
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0o700
    }
}

fn read_dir(dir: &Path) -> Result<Vec<fs::DirEntry>, OutputError> {
    let entries = fs::read_dir(dir).map_err(|e| io_at(dir, e))?;
    Ok(entries.flatten().collect())
}

fn io_at(path: &Path, source: io::Error) -> OutputError {
    OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn join_rel(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}/{name}")
    }
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

pub fn sha256_sri(bytes: &[u8]) -> String {
    sri(&Sha256::digest(bytes))
}

/// A digest as Subresource Integrity writes it, `sha256-` and the digest in base64
/// (`openssl dgst -sha256 -binary FILE | base64` gives the same). Hex would now and then hold
/// a run of twelve digits, even across separators, which every My Number scanner (ours
/// included) must take for one; base64 digits come a few in a row at most.
fn sri(digest: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::from("sha256-");
    for chunk in digest.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// SHA-256 of a file (as [`sri`]), read in blocks (an input may be a gigabyte).
pub fn sha256_file(path: &Path) -> io::Result<(u64, String)> {
    use std::io::Read;
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((total, sri(&hasher.finalize())))
}

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Fault injection for the tests (debug builds only; documented in the README):
/// `SHIKAKU_TEST_ABORT_AFTER_FILE=N` aborts the process after the N-th file of the set is
/// written, `SHIKAKU_TEST_ABORT_BETWEEN_RENAMES=1` between the two renames of the fallback
/// swap, and `SHIKAKU_TEST_NO_EXCHANGE=1` makes the swap use that fallback.
mod test_hook {
    #[cfg(debug_assertions)]
    fn set(name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    #[cfg(not(debug_assertions))]
    fn set(_name: &str) -> Option<String> {
        None
    }

    pub fn after_file(n: usize) {
        if set("SHIKAKU_TEST_ABORT_AFTER_FILE").and_then(|v| v.parse().ok()) == Some(n) {
            std::process::abort();
        }
    }

    pub fn between_renames() {
        if set("SHIKAKU_TEST_ABORT_BETWEEN_RENAMES").is_some() {
            std::process::abort();
        }
    }

    pub fn no_exchange() -> bool {
        set("SHIKAKU_TEST_NO_EXCHANGE").is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_written_as_subresource_integrity() {
        // `printf abc | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            sha256_sri(b"abc"),
            "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
        assert_eq!(
            sha256_sri(b""),
            "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }

    fn staged(files: &[(&str, &str)]) -> Staged {
        let mut s = Staged::default();
        for (name, text) in files {
            s.add(*name, text.as_bytes().to_vec());
        }
        s
    }

    fn run_json(id: &str) -> impl FnOnce(&[Written]) -> Vec<u8> {
        let id = id.to_owned();
        move |files| {
            serde_json::to_vec(&serde_json::json!({"run_id": id, "files": files})).expect("json")
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        for e in fs::read_dir(dir).expect("dir").flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() {
                for inner in names(&e.path()) {
                    out.push(format!("{name}/{inner}"));
                }
            } else {
                out.push(name);
            }
        }
        out.sort();
        out
    }

    #[test]
    fn an_out_that_is_a_file_is_refused_and_kept() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let file = tmp.path().join("out");
        fs::write(&file, "a file").expect("write");
        assert!(matches!(Paths::new(&file), Err(OutputError::Io { .. })));
        assert_eq!(fs::read_to_string(&file).expect("kept"), "a file");
    }

    #[test]
    fn a_second_set_replaces_the_first_and_keeps_foreign_files() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(&tmp.path().join("out")).expect("paths");
        let guard = InputGuard::default();
        commit(
            &paths,
            "r1",
            staged(&[("a.csv", "1"), ("事業所別/x.xlsx", "1")]),
            run_json("r1"),
            &guard,
        )
        .expect("first");
        // Staff put their own notes beside the lists, and inside our folder.
        fs::write(paths.dir.join("memo.txt"), "mine").expect("write");
        fs::write(paths.dir.join("事業所別").join("送付記録.txt"), "mine").expect("write");
        let swap = commit(
            &paths,
            "r2",
            staged(&[("a.csv", "2"), ("b.csv", "2")]),
            run_json("r2"),
            &guard,
        )
        .expect("second");
        assert_eq!(swap, Swap::Exchanged);
        assert_eq!(
            names(&paths.dir),
            vec![
                "a.csv",
                "b.csv",
                "memo.txt",
                "run.json",
                "事業所別/送付記録.txt"
            ]
        );
        assert_eq!(
            fs::read_to_string(paths.dir.join("a.csv")).expect("read"),
            "2"
        );
        assert_eq!(run_id_of(&paths.dir).as_deref(), Some("r2"));
        // No stage, old folder or journal is left beside it.
        assert_eq!(
            names(tmp.path())
                .iter()
                .filter(|n| !n.starts_with("out/"))
                .count(),
            0,
            "{:?}",
            names(tmp.path())
        );
    }

    #[test]
    fn without_exchange_the_two_renames_give_the_same_set() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(&tmp.path().join("out")).expect("paths");
        let guard = InputGuard::default();
        commit(
            &paths,
            "r1",
            staged(&[("a.csv", "1")]),
            run_json("r1"),
            &guard,
        )
        .expect("first");
        let stage = paths.sibling("new", "r2");
        fs::create_dir(&stage).expect("mkdir");
        fs::write(stage.join("a.csv"), "2").expect("write");
        fs::write(stage.join(RUN_JSON), r#"{"run_id":"r2","files":[]}"#).expect("write");
        fs::write(paths.dir.join("memo.txt"), "mine").expect("write");
        // What swap() does when the filesystem cannot exchange.
        fs::rename(&paths.dir, paths.sibling("old", "r2")).expect("rename");
        fs::rename(&stage, &paths.dir).expect("rename");
        clean_old(&paths, "r2");
        // The memo reached the old folder only: it is moved over, not deleted.
        assert_eq!(names(&paths.dir), vec!["a.csv", "memo.txt", "run.json"]);
        assert!(!paths.sibling("old", "r2").exists());
    }

    #[test]
    fn a_run_killed_while_staging_leaves_the_previous_set() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(&tmp.path().join("out")).expect("paths");
        commit(
            &paths,
            "r1",
            staged(&[("a.csv", "1")]),
            run_json("r1"),
            &InputGuard::default(),
        )
        .expect("first");
        // A half-written stage and its journal, as a killed run leaves them.
        let stage = paths.sibling("new", "r2");
        fs::create_dir(&stage).expect("mkdir");
        fs::write(stage.join("a.csv"), "2").expect("write");
        write_journal(&paths, "r2", Step::Staging).expect("journal");
        assert!(recover(&paths).is_some());
        assert!(!stage.exists() && !paths.journal().exists());
        assert_eq!(run_id_of(&paths.dir).as_deref(), Some("r1"));
        assert_eq!(recover(&paths), None, "nothing left to recover");
    }

    #[test]
    fn a_run_killed_between_the_renames_gets_the_previous_set_back() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(&tmp.path().join("out")).expect("paths");
        commit(
            &paths,
            "r1",
            staged(&[("a.csv", "1")]),
            run_json("r1"),
            &InputGuard::default(),
        )
        .expect("first");
        let stage = paths.sibling("new", "r2");
        fs::create_dir(&stage).expect("mkdir");
        fs::write(stage.join(RUN_JSON), r#"{"run_id":"r2"}"#).expect("write");
        write_journal(&paths, "r2", Step::Swapping).expect("journal");
        fs::rename(&paths.dir, paths.sibling("old", "r2")).expect("rename");
        recover(&paths);
        assert_eq!(run_id_of(&paths.dir).as_deref(), Some("r1"));
        assert!(!stage.exists() && !paths.sibling("old", "r2").exists());
    }

    #[test]
    fn an_exchanged_set_whose_cleanup_was_cut_short_is_cleaned() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(&tmp.path().join("out")).expect("paths");
        commit(
            &paths,
            "r2",
            staged(&[("a.csv", "2")]),
            run_json("r2"),
            &InputGuard::default(),
        )
        .expect("set");
        // The previous set still sits under the stage's name, as right after the exchange.
        let left = paths.sibling("new", "r2");
        fs::create_dir(&left).expect("mkdir");
        fs::write(left.join(RUN_JSON), r#"{"run_id":"r1","files":[]}"#).expect("write");
        fs::write(left.join("memo.txt"), "mine").expect("write");
        write_journal(&paths, "r2", Step::Swapping).expect("journal");
        recover(&paths);
        assert_eq!(run_id_of(&paths.dir).as_deref(), Some("r2"));
        assert!(!left.exists());
        assert!(
            paths.dir.join("memo.txt").exists(),
            "a foreign file is never lost"
        );
    }

    #[test]
    fn a_target_that_is_an_input_is_refused_before_anything_is_written() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(&tmp.path().join("out")).expect("paths");
        fs::create_dir(&paths.dir).expect("mkdir");
        let input = paths.dir.join("a.csv");
        fs::write(&input, "input").expect("write");
        let guard = InputGuard::new(std::slice::from_ref(&input));
        let result = commit(
            &paths,
            "r1",
            staged(&[("a.csv", "1")]),
            run_json("r1"),
            &guard,
        );
        assert!(matches!(
            result,
            Err(OutputError::WouldOverwriteInput { .. })
        ));
        assert_eq!(fs::read_to_string(&input).expect("read"), "input");
        assert_eq!(names(&paths.dir), vec!["a.csv"]);
    }

    #[test]
    fn every_file_of_the_set_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(&tmp.path().join("out")).expect("paths");
        commit(
            &paths,
            "r1",
            staged(&[("a.csv", "1"), ("事業所別/x.xlsx", "1")]),
            run_json("r1"),
            &InputGuard::default(),
        )
        .expect("set");
        for name in ["a.csv", "事業所別/x.xlsx", RUN_JSON] {
            let mode = fs::metadata(paths.dir.join(name))
                .expect("exists")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
        let mode = fs::metadata(&paths.dir)
            .expect("exists")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
