//! Writing a file so that a reader sees the old file or the whole new one, never a torn
//! one; readable by its owner only (member data); and never over one of the run's inputs
//! (SPEC §6).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::OutputError;

/// Refuses to write over any input file.
///
/// Compares canonical paths, which catches `./fund.csv`, `out/../fund.csv` and a symlink
/// to the fund file; and, when the target exists, (device, inode), which also catches a
/// hard link and anything canonicalization does not normalize (a case-insensitive
/// volume).
#[derive(Clone, Debug, Default)]
pub struct InputGuard {
    paths: Vec<PathBuf>,
    files: Vec<(u64, u64)>,
}

impl InputGuard {
    /// `inputs` are the files the run reads (a directory given to `--employer` should be
    /// passed as the files read from it). An input that cannot be opened still guards
    /// its path.
    pub fn new(inputs: &[PathBuf]) -> Self {
        let mut guard = Self::default();
        for input in inputs {
            guard.paths.push(resolve(input));
            if let Some(id) = file_id(input) {
                guard.files.push(id);
            }
        }
        guard
    }

    /// `Err(WouldOverwriteInput)` when writing `target` would replace an input.
    pub fn check(&self, target: &Path) -> Result<(), OutputError> {
        let is_input = self.paths.contains(&resolve(target))
            || file_id(target).is_some_and(|id| self.files.contains(&id));
        if is_input {
            Err(OutputError::WouldOverwriteInput {
                path: target.to_path_buf(),
            })
        } else {
            Ok(())
        }
    }
}

/// The canonical form of `path`; for a path that does not exist yet, its canonical
/// parent joined with its name; failing that, the absolute path.
fn resolve(path: &Path) -> PathBuf {
    if let Ok(canonical) = fs::canonicalize(path) {
        return canonical;
    }
    if let Some(name) = path.file_name()
        && let Ok(parent) = fs::canonicalize(parent_dir(path))
    {
        return parent.join(name);
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// (device, inode) of the file `path` names, following symlinks.
#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|meta| (meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_path: &Path) -> Option<(u64, u64)> {
    None
}

/// The directory a file lives in; `""` (a bare file name) means the current directory.
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Create `--out DIR` (and missing parents) readable by the owner only; an existing
/// directory is used as it is.
pub fn create_out_dir(dir: &Path) -> Result<(), OutputError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| OutputError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

/// Write `bytes` to `path` atomically with mode 0600: a temporary file in the same
/// directory, fsync, rename over `path`. On any error the temporary file is removed and
/// `path` is as it was. The directory must exist ([`create_out_dir`]).
pub fn write_atomic(path: &Path, bytes: &[u8], guard: &InputGuard) -> Result<(), OutputError> {
    guard.check(path)?;
    let io_error = |source: io::Error| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = parent_dir(path);
    // A dot name: if the process is killed before the rename, the leftover is hidden and
    // skipped by `--employer DIR` (SPEC §7) should someone point it at the out dir.
    let mut file = tempfile::Builder::new()
        .prefix(".shikaku-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io_error)?;
    // tempfile already creates 0600; setting it on the open file makes that exact
    // whatever the umask, before any member data is in it.
    set_private(file.as_file()).map_err(io_error)?;
    file.write_all(bytes).map_err(io_error)?;
    file.as_file().sync_all().map_err(io_error)?;
    // On failure the PersistError owns the temporary file and removes it when dropped.
    file.persist(path).map_err(|err| io_error(err.error))?;
    sync_dir(dir);
    Ok(())
}

#[cfg(unix)]
fn set_private(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private(_file: &File) -> io::Result<()> {
    Ok(())
}

/// Make the rename itself durable. Best effort: the new file is complete and in place
/// by now, and some filesystems refuse fsync on a directory; failing the run for that
/// would report a list as not written when it was.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    pub(in crate::output) fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("readable dir")
            .map(|entry| {
                entry
                    .expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).expect("exists").permissions().mode() & 0o777
    }

    #[test]
    fn written_file_has_mode_0600_and_the_bytes() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("returns.csv");
        write_atomic(&path, b"a,b\r\n", &InputGuard::default()).expect("written");
        assert_eq!(fs::read(&path).expect("readable"), b"a,b\r\n");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(names_in(tmp.path()), vec!["returns.csv"]);
    }

    #[test]
    fn replacing_a_world_readable_file_leaves_it_0600() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("returns.csv");
        fs::write(&path, b"old").expect("writable");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
        write_atomic(&path, b"new", &InputGuard::default()).expect("written");
        assert_eq!(fs::read(&path).expect("readable"), b"new");
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn failed_rename_leaves_no_temporary_file() {
        // A directory where the file should go: the rename fails after the write.
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("returns.csv");
        fs::create_dir(&path).expect("mkdir");
        fs::write(path.join("keep"), b"x").expect("writable");
        let result = write_atomic(&path, b"data", &InputGuard::default());
        assert!(matches!(result, Err(OutputError::Io { .. })), "{result:?}");
        assert_eq!(names_in(tmp.path()), vec!["returns.csv"]);
        assert!(path.is_dir());
    }

    #[test]
    fn missing_directory_is_an_io_error_naming_the_file() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("nope").join("returns.csv");
        let Err(err) = write_atomic(&path, b"data", &InputGuard::default()) else {
            panic!("expected an error");
        };
        assert!(matches!(&err, OutputError::Io { path: p, .. } if *p == path));
        assert!(err.to_string().contains("returns.csv"), "{err}");
    }

    #[test]
    fn writing_over_an_input_is_refused_and_the_input_kept() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let input = tmp.path().join("fund.csv");
        fs::write(&input, b"fund data").expect("writable");
        let guard = InputGuard::new(std::slice::from_ref(&input));
        let result = write_atomic(&input, b"list", &guard);
        assert!(matches!(
            result,
            Err(OutputError::WouldOverwriteInput { .. })
        ));
        assert_eq!(fs::read(&input).expect("readable"), b"fund data");
        assert_eq!(names_in(tmp.path()), vec!["fund.csv"]);
    }

    #[test]
    fn writing_over_a_symlink_to_an_input_is_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let input = tmp.path().join("fund.csv");
        fs::write(&input, b"fund data").expect("writable");
        let out = tmp.path().join("out");
        fs::create_dir(&out).expect("mkdir");
        let link = out.join("certificates.csv");
        symlink(&input, &link).expect("symlink");
        let guard = InputGuard::new(std::slice::from_ref(&input));
        let result = write_atomic(&link, b"list", &guard);
        assert!(matches!(
            result,
            Err(OutputError::WouldOverwriteInput { .. })
        ));
        assert_eq!(fs::read(&input).expect("readable"), b"fund data");
        assert!(
            fs::symlink_metadata(&link)
                .expect("still there")
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn input_given_through_a_symlink_is_guarded_at_its_real_path() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let real = tmp.path().join("fund.csv");
        fs::write(&real, b"fund data").expect("writable");
        let link = tmp.path().join("latest.csv");
        symlink(&real, &link).expect("symlink");
        let guard = InputGuard::new(&[link]);
        assert!(matches!(
            write_atomic(&real, b"list", &guard),
            Err(OutputError::WouldOverwriteInput { .. })
        ));
        assert_eq!(fs::read(&real).expect("readable"), b"fund data");
    }

    #[test]
    fn another_spelling_of_an_input_path_is_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let sub = tmp.path().join("sub");
        fs::create_dir(&sub).expect("mkdir");
        let input = tmp.path().join("fund.csv");
        fs::write(&input, b"fund data").expect("writable");
        let guard = InputGuard::new(std::slice::from_ref(&input));
        for spelling in [
            tmp.path().join(".").join("fund.csv"),
            sub.join("..").join("fund.csv"),
        ] {
            assert!(
                matches!(
                    guard.check(&spelling),
                    Err(OutputError::WouldOverwriteInput { .. })
                ),
                "{}",
                spelling.display()
            );
        }
        assert_eq!(fs::read(&input).expect("readable"), b"fund data");
    }

    #[test]
    fn hard_link_to_an_input_is_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let input = tmp.path().join("fund.csv");
        fs::write(&input, b"fund data").expect("writable");
        let hard = tmp.path().join("certificates.csv");
        fs::hard_link(&input, &hard).expect("hard link");
        let guard = InputGuard::new(std::slice::from_ref(&input));
        assert!(matches!(
            write_atomic(&hard, b"list", &guard),
            Err(OutputError::WouldOverwriteInput { .. })
        ));
        assert_eq!(fs::read(&input).expect("readable"), b"fund data");
    }

    #[test]
    fn missing_input_still_guards_its_path() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let input = tmp.path().join("gone.csv");
        let guard = InputGuard::new(std::slice::from_ref(&input));
        assert!(matches!(
            guard.check(&tmp.path().join(".").join("gone.csv")),
            Err(OutputError::WouldOverwriteInput { .. })
        ));
    }

    #[test]
    fn other_files_pass_the_guard() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let input = tmp.path().join("fund.csv");
        fs::write(&input, b"fund data").expect("writable");
        let guard = InputGuard::new(std::slice::from_ref(&input));
        assert!(guard.check(&tmp.path().join("certificates.csv")).is_ok());
        assert!(guard.check(&tmp.path().join("fund.csv.bak")).is_ok());
    }

    #[test]
    fn created_out_dir_is_0700_and_an_existing_one_is_left_alone() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("a").join("b");
        create_out_dir(&out).expect("created");
        assert_eq!(mode(&out), 0o700);
        fs::set_permissions(&out, fs::Permissions::from_mode(0o750)).expect("chmod");
        create_out_dir(&out).expect("exists");
        assert_eq!(mode(&out), 0o750);
    }

    #[test]
    fn out_dir_that_is_a_file_is_an_error() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let file = tmp.path().join("out");
        fs::write(&file, b"x").expect("writable");
        assert!(matches!(create_out_dir(&file), Err(OutputError::Io { .. })));
    }
}
