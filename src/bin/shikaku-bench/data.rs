//! The generated data sets, written by the sibling `shikaku-gen` binary when missing.
//!
//! A data set is complete when its stamp file holds the exact generator command that wrote
//! it: an interrupted or differently-generated set is written again, never half-used.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Fraction of fund rows with a planted problem in the "many findings" file: 100,000 of 1M.
pub const PROBLEM_RATE: &str = "0.1";

const STAMP: &str = ".generated-by";

/// Part of the stamp: bump it when shikaku-gen's output changes, so old data sets are written
/// again rather than measured as if they were the new ones.
/// 2: employer workbooks with shared strings (as Excel writes them), not inline strings.
const DATA_VERSION: u32 = 2;

pub struct DataSet {
    pub dir: PathBuf,
    gen_args: Vec<String>,
}

impl DataSet {
    /// The fund, registry, list and employer workbooks for `members`.
    pub fn full(root: &Path, members: usize, name: &str) -> Self {
        let dir = root.join(name);
        DataSet {
            gen_args: vec![
                "bench".into(),
                "--members".into(),
                members.to_string(),
                "--out".into(),
                dir.display().to_string(),
            ],
            dir,
        }
    }

    /// The same members' fund.csv with one problem in a [`PROBLEM_RATE`] of its rows.
    pub fn problems(root: &Path, members: usize, name: &str) -> Self {
        let mut d = DataSet::full(root, members, name);
        d.gen_args.extend([
            "--fund-only".into(),
            "--problem-rate".into(),
            PROBLEM_RATE.into(),
        ]);
        d
    }

    /// `count` mixed-form date strings in dates.txt.
    pub fn dates(root: &Path, count: usize, name: &str) -> Self {
        let dir = root.join(name);
        DataSet {
            gen_args: vec![
                "dates".into(),
                "--count".into(),
                count.to_string(),
                "--out".into(),
                dir.join("dates.txt").display().to_string(),
            ],
            dir,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn fund(&self) -> PathBuf {
        self.path("fund.csv")
    }

    pub fn employers(&self) -> PathBuf {
        self.path("employers")
    }

    pub fn rules(&self) -> PathBuf {
        self.path("rules")
    }

    /// Generate the set unless its stamp says it is already there.
    pub fn ensure(&self, generator: &Path) -> Result<(), String> {
        let stamp = self.dir.join(STAMP);
        let want = format!("v{DATA_VERSION} {}", self.gen_args.join(" "));
        if std::fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == want) {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        let _ = std::fs::remove_file(&stamp);
        let command = self.gen_args.join(" ");
        eprintln!(
            "generating {} (shikaku-gen {command}) …",
            self.dir.display()
        );
        let t = Instant::now();
        let out = Command::new(generator)
            .args(&self.gen_args)
            .output()
            .map_err(|e| format!("{}: {e}", generator.display()))?;
        if !out.status.success() {
            return Err(format!(
                "shikaku-gen {command} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        eprintln!("  done in {:.1} s", t.elapsed().as_secs_f64());
        std::fs::write(&stamp, format!("{want}\n")).map_err(|e| format!("{}: {e}", stamp.display()))
    }
}
