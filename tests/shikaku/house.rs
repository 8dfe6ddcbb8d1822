//! The house rules of issue 14, held by a test so they stay held: no import cycle between the
//! top-level modules of `src/`, no function over 150 lines outside `src/bin/`, no column name
//! spelled outside the schema, no `pub raw`.

use crate::common::root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, except the developer binaries.
fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "bin") {
                    walk(&p, out);
                }
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("src"), &mut out);
    out.sort();
    out
}

/// The text without comment lines and without the `#[cfg(test)] mod tests` at the end.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("a source file");
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a file belongs to (`src/checks/cross.rs` → `checks`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(root().join("src")).expect("under src/");
    let first = rel.components().next().expect("a component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// The top-level names a path after `crate::` uses: `a::b` gives `a`; `{a::b, c}` gives `a`
/// and `c`.
fn used_modules(rest: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let Some(group) = rest.strip_prefix('{') else {
        return vec![ident(rest)];
    };
    let (mut depth, mut names, mut start) = (0usize, Vec::new(), 0usize);
    for (i, ch) in group.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' if depth == 0 => {
                names.push(ident(&group[start..i]));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                names.push(ident(&group[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    names
}

#[test]
fn the_module_scanner_sees_grouped_imports() {
    assert_eq!(used_modules("checks::Ctx;"), ["checks"]);
    assert_eq!(
        used_modules("{field::Field, report::{mask, human}, i18n};"),
        ["field", "report", "i18n"]
    );
}

#[test]
fn no_import_cycle_between_modules() {
    let modules: BTreeSet<String> = sources().iter().map(|p| module_of(p)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in sources() {
        let me = module_of(&path);
        let text = code(&path);
        for (i, _) in text.match_indices("crate::") {
            for name in used_modules(&text[i + "crate::".len()..]) {
                if name != me && modules.contains(&name) {
                    edges.entry(me.clone()).or_default().insert(name);
                }
            }
        }
    }
    // A cycle exists when a module reaches itself.
    for start in edges.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        while let Some((at, path)) = stack.pop() {
            for next in edges.get(&at).into_iter().flatten() {
                if next == start {
                    panic!("import cycle: {} -> {start}", path.join(" -> "));
                }
                if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
}

#[test]
fn no_function_over_150_lines() {
    let mut long = Vec::new();
    for path in sources() {
        let text = std::fs::read_to_string(&path).expect("a source file");
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let is_fn = [
                "fn ",
                "pub fn ",
                "pub(crate) fn ",
                "pub(super) fn ",
                "const fn ",
            ]
            .iter()
            .any(|p| trimmed.starts_with(p))
                && !trimmed.ends_with(';');
            if is_fn {
                let end = (i + 1..lines.len())
                    .find(|&j| lines[j].len() == indent + 1 && lines[j].trim() == "}")
                    .unwrap_or(i);
                if end - i + 1 > 150 {
                    long.push(format!(
                        "{}:{} ({} lines)",
                        path.display(),
                        i + 1,
                        end - i + 1
                    ));
                }
                i = end;
            }
            i += 1;
        }
    }
    assert!(long.is_empty(), "functions over 150 lines: {long:?}");
}

#[test]
fn column_names_are_spelled_only_in_the_schema() {
    let banned = ["format!(\"f_", "@st", "fn f(", "fn o(", "fn st(", "pub raw"];
    let mut hits = Vec::new();
    for path in sources() {
        let text = std::fs::read_to_string(&path).expect("a source file");
        for (n, line) in text.lines().enumerate() {
            for b in banned {
                if line.contains(b) {
                    hits.push(format!("{}:{}: {b}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(hits.is_empty(), "{hits:?}");
}
