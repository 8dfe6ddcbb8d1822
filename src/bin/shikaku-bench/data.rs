//! The generated data sets, written by this binary's `generate` mode when missing.
//!
//! A data set is complete when its stamp file holds the exact generator command that wrote
//! it: an interrupted or differently-generated set is written again, never half-used, and its
//! output reference (`outputs.sha256`) goes with it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::outputs;

/// Fraction of fund rows with a planted problem in the "many findings" file: 100,000 of 1M.
pub const PROBLEM_RATE: &str = "0.1";

const STAMP: &str = ".generated-by";

/// Part of the stamp: bump it when the generator's output changes, so old data sets are
/// written again rather than measured as if they were the new ones.
/// 2: employer workbooks with shared strings (as Excel writes them), not inline strings.
/// 3: the performance issue's reference shape (every member employed, companies of 10,000,
///    no finding, a list of 6%), openpyxl-style twins, CSV-only sets; shikaku-bench writes it.
const DATA_VERSION: u32 = 3;

pub struct DataSet {
    pub dir: PathBuf,
    gen_args: Vec<String>,
    /// Where the stamp is: a twin is written by its sibling's command.
    stamp_dir: PathBuf,
    /// Every directory the command writes (a set and its twin).
    writes: Vec<PathBuf>,
}

impl DataSet {
    fn new(dir: PathBuf, gen_args: Vec<String>) -> Self {
        DataSet {
            stamp_dir: dir.clone(),
            writes: vec![dir.clone()],
            dir,
            gen_args,
        }
    }

    fn generate(members: usize, dir: &Path) -> Vec<String> {
        vec![
            "generate".into(),
            "--members".into(),
            members.to_string(),
            "--out".into(),
            dir.display().to_string(),
        ]
    }

    /// The fund, registry, list and shared-string employer workbooks for `members`, and the
    /// same set with openpyxl-style workbooks (`inline`).
    pub fn full(root: &Path, members: usize, name: &str) -> (Self, Self) {
        let dir = root.join(name);
        let twin = root.join(format!("{name}-inline"));
        let mut args = Self::generate(members, &dir);
        args.extend(["--inline-twin".into(), twin.display().to_string()]);
        let mut main = DataSet::new(dir, args);
        main.writes.push(twin.clone());
        let inline = DataSet {
            dir: twin,
            gen_args: main.gen_args.clone(),
            stamp_dir: main.dir.clone(),
            writes: main.writes.clone(),
        };
        (main, inline)
    }

    /// fund, registry, list N/10 and one CP932 CSV per employer: the 10M-member shape.
    pub fn csv_only(root: &Path, members: usize, name: &str) -> Self {
        let dir = root.join(name);
        let mut args = Self::generate(members, &dir);
        args.extend(["--employers", "csv", "--list-per-mille", "100"].map(String::from));
        DataSet::new(dir, args)
    }

    /// The same members' fund.csv with one problem in a [`PROBLEM_RATE`] of its rows.
    pub fn problems(root: &Path, members: usize, name: &str) -> Self {
        let dir = root.join(name);
        let mut args = Self::generate(members, &dir);
        args.extend(["--fund-only", "--problem-rate", PROBLEM_RATE].map(String::from));
        DataSet::new(dir, args)
    }

    /// `count` mixed-form date strings in dates.txt.
    pub fn dates(root: &Path, count: usize, name: &str) -> Self {
        let dir = root.join(name);
        let args = vec![
            "generate-dates".into(),
            "--count".into(),
            count.to_string(),
            "--out".into(),
            dir.join("dates.txt").display().to_string(),
        ];
        DataSet::new(dir, args)
    }

    pub fn name(&self) -> String {
        self.dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The input files, relative to the set's directory (commands run in it).
    pub const FUND: &'static str = "fund.csv";
    pub const REGISTRY: &'static str = "national-registry.csv";
    pub const LIST: &'static str = "national-list.csv";
    pub const EMPLOYERS: &'static str = "employers";
    pub const RULES: &'static str = "rules";

    /// Generate the set unless its stamp says it is already there.
    pub fn ensure(&self, generator: &Path) -> Result<(), String> {
        let stamp = self.stamp_dir.join(STAMP);
        let want = format!("v{DATA_VERSION} {}", self.gen_args.join(" "));
        if std::fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == want) {
            return Ok(());
        }
        std::fs::create_dir_all(&self.stamp_dir)
            .map_err(|e| format!("{}: {e}", self.stamp_dir.display()))?;
        let _ = std::fs::remove_file(&stamp);
        for dir in &self.writes {
            let _ = std::fs::remove_file(dir.join(outputs::FILE));
            let _ = std::fs::remove_dir_all(dir.join("reference"));
            let _ = std::fs::remove_dir_all(dir.join("employers"));
        }
        let command = self.gen_args.join(" ");
        eprintln!(
            "generating {} (shikaku-bench {command}) …",
            self.dir.display()
        );
        let t = Instant::now();
        let out = Command::new(generator)
            .args(&self.gen_args)
            .output()
            .map_err(|e| format!("{}: {e}", generator.display()))?;
        if !out.status.success() {
            return Err(format!(
                "shikaku-bench {command} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        eprintln!("  done in {:.1} s", t.elapsed().as_secs_f64());
        std::fs::write(&stamp, format!("{want}\n")).map_err(|e| format!("{}: {e}", stamp.display()))
    }
}
