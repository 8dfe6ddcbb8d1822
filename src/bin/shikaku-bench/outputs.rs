//! Byte-identical outputs: every measured run's outputs (the lists and findings.json of an
//! `--out` directory, or what `check` prints) are digested with SHA-256 and compared with the
//! data set's reference, `<set>/outputs.sha256`.
//!
//! A benchmark's section of the reference is recorded the first time it runs on the set — by
//! the binary of that run, which the section's header names — together with a copy of the
//! outputs in `<set>/reference/<benchmark>/`, for `diff`. Every later run must give the same
//! bytes. The reference also holds the digests of the set's inputs: when they change (the
//! generator changed), the old reference is kept as `outputs.sha256.stale` and a new one begun.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

pub const FILE: &str = "outputs.sha256";
const INPUTS: &str = "inputs";

/// File name → hex SHA-256.
pub type Digests = BTreeMap<String, String>;

pub fn digest_file(path: &Path) -> Result<String, String> {
    let mut f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Every file under `dir` (recursively), by its path relative to `dir`.
pub fn digest_dir(dir: &Path) -> Result<Digests, String> {
    let mut out = Digests::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for e in entries {
            let path = e.map_err(|e| format!("{}: {e}", d.display()))?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                out.insert(rel.display().to_string(), digest_file(&path)?);
            }
        }
    }
    Ok(out)
}

/// How a benchmark's outputs compare with the reference.
#[derive(Clone, Debug)]
pub enum Verdict {
    /// No reference yet: these outputs are now the reference.
    Recorded { by: String },
    /// Every run gave the reference's bytes.
    Same { by: String },
    /// Some run gave other bytes; the files that differ.
    Differs { by: String, files: Vec<String> },
    /// The runs did not even agree with each other.
    Unstable { files: Vec<String> },
}

impl Verdict {
    pub fn ok(&self) -> bool {
        matches!(self, Verdict::Recorded { .. } | Verdict::Same { .. })
    }

    pub fn describe(&self) -> String {
        match self {
            Verdict::Recorded { by } => format!("no reference yet: these outputs are it, {by}"),
            Verdict::Same { by } => format!("identical to the reference, {by}"),
            Verdict::Differs { by, files } => {
                format!("**differ** from the reference ({by}): {}", files.join(", "))
            }
            Verdict::Unstable { files } => {
                format!("**runs differ from each other**: {}", files.join(", "))
            }
        }
    }
}

/// The files whose digests differ between two sets (either side missing counts).
pub fn differing(a: &Digests, b: &Digests) -> Vec<String> {
    let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| a.get(*n) != b.get(*n))
        .cloned()
        .collect()
}

/// One section: who recorded it, and its digests.
struct Section {
    by: String,
    digests: Digests,
}

/// A data set's `outputs.sha256`.
pub struct Reference {
    dir: PathBuf,
    sections: BTreeMap<String, Section>,
}

impl Reference {
    /// The set's reference, begun anew when its inputs are not the ones it was recorded on.
    /// `inputs` are the set's input files, relative to `dir`.
    pub fn open(
        dir: &Path,
        inputs: &[PathBuf],
        by: &str,
    ) -> Result<(Self, Option<String>), String> {
        let mut reference = Reference {
            dir: dir.to_path_buf(),
            sections: parse(&std::fs::read_to_string(dir.join(FILE)).unwrap_or_default()),
        };
        let mut now = Digests::new();
        for input in inputs {
            let path = dir.join(input);
            if path.is_dir() {
                for (name, d) in digest_dir(&path)? {
                    now.insert(format!("{}/{name}", input.display()), d);
                }
            } else {
                now.insert(input.display().to_string(), digest_file(&path)?);
            }
        }
        let mut note = None;
        if let Some(old) = reference.sections.get(INPUTS)
            && old.digests != now
        {
            let stale = dir.join(format!("{FILE}.stale"));
            let _ = std::fs::rename(dir.join(FILE), &stale);
            let _ = std::fs::remove_dir_all(dir.join("reference"));
            note = Some(format!(
                "the inputs of {} changed since its reference was recorded: the old one is {}, a new one begins",
                dir.display(),
                stale.display()
            ));
            reference.sections.clear();
        }
        if !reference.sections.contains_key(INPUTS) {
            reference.sections.insert(
                INPUTS.into(),
                Section {
                    by: by.into(),
                    digests: now,
                },
            );
            reference.save()?;
        }
        Ok((reference, note))
    }

    /// Judge the runs of benchmark `name` (each run's digests, in order); record them as the
    /// reference when there is none, copying the outputs from `outputs` (a directory or a
    /// file) into `reference/<name>`.
    pub fn judge(
        &mut self,
        name: &str,
        runs: &[Digests],
        outputs: &Path,
        by: &str,
    ) -> Result<Verdict, String> {
        let Some(first) = runs.first() else {
            return Err(format!("{name}: no run to judge"));
        };
        let mut unstable: Vec<String> = runs.iter().flat_map(|r| differing(first, r)).collect();
        unstable.sort();
        unstable.dedup();
        if !unstable.is_empty() {
            return Ok(Verdict::Unstable { files: unstable });
        }
        if let Some(section) = self.sections.get(name) {
            let files = differing(&section.digests, first);
            let by = section.by.clone();
            return Ok(if files.is_empty() {
                Verdict::Same { by }
            } else {
                Verdict::Differs { by, files }
            });
        }
        self.keep_copy(name, outputs)?;
        self.sections.insert(
            name.into(),
            Section {
                by: by.into(),
                digests: first.clone(),
            },
        );
        self.save()?;
        Ok(Verdict::Recorded { by: by.into() })
    }

    fn keep_copy(&self, name: &str, outputs: &Path) -> Result<(), String> {
        let to = self.dir.join("reference").join(name);
        let _ = std::fs::remove_dir_all(&to);
        std::fs::create_dir_all(&to).map_err(|e| format!("{}: {e}", to.display()))?;
        let files: Vec<PathBuf> = if outputs.is_dir() {
            digest_dir(outputs)?
                .keys()
                .map(|n| outputs.join(n))
                .collect()
        } else {
            vec![outputs.to_path_buf()]
        };
        for f in files {
            let rel = f
                .strip_prefix(outputs)
                .ok()
                .filter(|r| !r.as_os_str().is_empty());
            let dest = to.join(rel.unwrap_or_else(|| Path::new(f.file_name().unwrap_or_default())));
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::copy(&f, &dest).map_err(|e| format!("{}: {e}", dest.display()))?;
        }
        Ok(())
    }

    fn save(&self) -> Result<(), String> {
        let mut text = String::from(
            "# shikaku-bench: SHA-256 of this data set's inputs and of each benchmark's outputs.\n\
             # A section is recorded the first time its benchmark runs (by the binary named in its\n\
             # header); every later run must give the same bytes. See README \"Performance\".\n",
        );
        for (name, s) in &self.sections {
            text.push_str(&format!("\n[{name}] {}\n", s.by));
            for (file, d) in &s.digests {
                text.push_str(&format!("{d}  {file}\n"));
            }
        }
        let path = self.dir.join(FILE);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

fn parse(text: &str) -> BTreeMap<String, Section> {
    let mut sections = BTreeMap::new();
    let mut current: Option<(String, Section)> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix('[') {
            if let Some((name, by)) = rest.split_once(']') {
                if let Some((n, s)) = current.take() {
                    sections.insert(n, s);
                }
                current = Some((
                    name.to_string(),
                    Section {
                        by: by.trim().to_string(),
                        digests: Digests::new(),
                    },
                ));
            }
        } else if let (Some((_, s)), Some((d, file))) = (current.as_mut(), line.split_once("  "))
            && !line.starts_with('#')
        {
            s.digests.insert(file.to_string(), d.to_string());
        }
    }
    if let Some((n, s)) = current {
        sections.insert(n, s);
    }
    sections
}
