//! The outputs people act on (issue 12) and the output set (issue 15, item 6): the employer
//! workbooks, report.html, JUnit and SARIF, the lock on `--out`, a killed run, run.json.

use crate::common::*;
use calamine::{Data, Reader, open_workbook_auto};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const AS_OF: &str = "2026-11-01";

/// The README's reconcile on the sample fund, into `out`, with `extra` arguments.
fn reconcile_args(out: &Path, as_of: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "reconcile",
        "--fund",
        &sample("fund.csv"),
        "--national-list",
        &sample("national-list.csv"),
        "--national-registry",
        &sample("national-registry.csv"),
        "--employer",
        &sample("employers"),
        "--as-of",
        as_of,
        "--out",
        &out.display().to_string(),
        "--fail-on",
        "none",
        // The workbooks and messages checked below are the Japanese ones staff send.
        "--lang",
        "ja",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn reconcile(out: &Path, extra: &[&str]) -> Run {
    let args = reconcile_args(out, AS_OF, extra);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    shikaku(&refs)
}

fn spawn(args: &[String], env: &[(&str, &str)]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shikaku"));
    cmd.args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("the shikaku binary starts")
}

// --- employer workbooks -------------------------------------------------------------------

/// Every sheet of a workbook as rows of cells, each cell checked to be a string.
fn sheets(path: &Path) -> BTreeMap<String, Vec<Vec<String>>> {
    let mut book = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeMap::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("a sheet");
        let rows = range
            .rows()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Data::String(s) => s.clone(),
                        Data::Empty => String::new(),
                        other => panic!(
                            "{}!{name}: a cell not stored as text: {other:?}",
                            path.display()
                        ),
                    })
                    .collect()
            })
            .collect();
        out.insert(name, rows);
    }
    out
}

/// 訂正依頼 rows as header → value maps, per workbook file name.
fn corrections(dir: &Path) -> BTreeMap<String, Vec<BTreeMap<String, String>>> {
    let mut out = BTreeMap::new();
    for path in walk(&dir.join("事業所別")) {
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let book = sheets(&path);
        let rows = book
            .get("訂正依頼")
            .unwrap_or_else(|| panic!("{name}: no sheet 訂正依頼"));
        let header = rows.first().expect("a header row").clone();
        let maps = rows[1..]
            .iter()
            .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
            .collect();
        out.insert(name, maps);
    }
    out
}

/// (file name, row) of a JSON location.
fn file_row(loc: &Value) -> (String, String) {
    let path = loc["path"].as_str().unwrap_or_default();
    let name = Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (
        name,
        loc["row"]
            .as_u64()
            .map(|r| r.to_string())
            .unwrap_or_default(),
    )
}

/// The row number a 訂正依頼 セル names: `C23` → 23, `23行目` → 23.
fn cell_row(cell: &str) -> String {
    cell.chars().filter(|c| c.is_ascii_digit()).collect()
}

#[test]
fn every_finding_is_in_exactly_one_employer_workbook_and_no_cell_holds_a_my_number() {
    let out = tempdir();
    let run = reconcile(out.path(), &["--employer-workbooks", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let books = corrections(out.path());
    assert_eq!(
        books.keys().cloned().collect::<Vec<_>>(),
        vec![
            "C01_さくら商事株式会社.xlsx",
            "C02_さくら物産株式会社.xlsx",
            "C03_さくら労働組合.xlsx",
            "C04_さくらテクノ株式会社.xlsx",
            "C05_さくら食品株式会社.xlsx",
            "組合内.xlsx",
        ]
    );
    let findings = findings(&run.stdout);
    let mut placed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &findings {
        let mut places = vec![file_row(&f["source"])];
        places.extend(f["related"].as_array().into_iter().flatten().map(file_row));
        let hits: Vec<&String> = books
            .iter()
            .flat_map(|(book, rows)| rows.iter().map(move |r| (book, r)))
            .filter(|(_, r)| {
                r["コード"] == f["code"].as_str().unwrap_or_default()
                    && r["内容"] == f["message"].as_str().unwrap_or_default()
                    && places.contains(&(r["ファイル"].clone(), cell_row(&r["セル"])))
            })
            .map(|(book, _)| book)
            .collect();
        assert_eq!(hits.len(), 1, "{f} is in {hits:?}");
        placed
            .entry(hits[0].clone())
            .or_default()
            .push(f["code"].as_str().unwrap_or_default().to_owned());
    }
    let rows: usize = books.values().map(Vec::len).sum();
    assert_eq!(rows, findings.len(), "one row per finding, no more");
    // Where some findings go, and why (README, Outputs).
    let has = |book: &str, code: &str| {
        placed
            .get(book)
            .is_some_and(|c| c.iter().any(|x| x == code))
    };
    assert!(
        has("C02_さくら物産株式会社.xlsx", "MN002"),
        "an employer-vs-fund difference goes to that employer: {placed:?}"
    );
    assert!(
        has("C05_さくら食品株式会社.xlsx", "IN007"),
        "an empty file is its company's, by its name"
    );
    assert!(
        has("C04_さくらテクノ株式会社.xlsx", "ID001"),
        "a malformed row of an employer's file"
    );
    for code in ["CE001", "CE007", "AD005", "SR004", "MN001"] {
        assert!(
            has("組合内.xlsx", code),
            "{code} is the fund's own: {placed:?}"
        );
    }
    // No cell of any sheet holds a full My Number; the value column keeps the last 4 only.
    for path in walk(&out.path().join("事業所別")) {
        for (sheet, rows) in sheets(&path) {
            let text: String = rows.iter().flatten().map(|c| format!("{c}\n")).collect();
            assert!(
                full_my_numbers(text.as_bytes()).is_empty(),
                "{}!{sheet}",
                path.display()
            );
        }
    }
    let mn = books
        .values()
        .flatten()
        .filter(|r| r["項目"] == "個人番号" && !r["送られた値"].is_empty());
    for row in mn {
        let digits = row["送られた値"]
            .chars()
            .filter(|c| c.is_ascii_digit())
            .count();
        assert!(digits <= 4, "{row:?}");
    }
}

#[test]
fn the_cover_names_the_fund_the_company_d_and_the_counts() {
    let out = tempdir();
    let run = reconcile(out.path(), &["--employer-workbooks"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book = sheets(&out.path().join("事業所別/C02_さくら物産株式会社.xlsx"));
    let cover = &book["表紙"];
    let value = |label: &str| {
        cover
            .iter()
            .find(|r| r[0] == label)
            .map(|r| r[1].clone())
            .unwrap_or_default()
    };
    assert_eq!(value("健康保険組合"), "さくら健康保険組合");
    assert_eq!(value("宛先"), "C02 さくら物産株式会社");
    assert_eq!(value("基準日"), "基準日 D = 2026-11-01");
    let rows = book["訂正依頼"].len() - 1;
    assert!(value("件数").starts_with(&format!("{rows}件")), "{cover:?}");
    // The counts per code add up to the rows of 訂正依頼.
    let start = cover
        .iter()
        .position(|r| r[0] == "コード")
        .expect("the code table");
    let total: usize = cover[start + 1..]
        .iter()
        .map(|r| r[2].parse::<usize>().expect("a count"))
        .sum();
    assert_eq!(total, rows);
}

#[test]
fn employer_workbooks_need_out() {
    let run = shikaku(&[
        "check",
        "--kind",
        "fund",
        &sample("fund.csv"),
        "--employer-workbooks",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--out"), "{}", run.stderr);
}

// --- report.html ---------------------------------------------------------------------------

/// The text of the element carrying `attr`, e.g. `data-count="error"` → `39`.
fn tagged(html: &str, attr: &str) -> Vec<String> {
    html.match_indices(attr)
        .filter_map(|(i, _)| {
            let rest = &html[i..];
            let start = rest.find('>')? + 1;
            let end = rest[start..].find('<')?;
            Some(rest[start..start + end].to_owned())
        })
        .collect()
}

#[test]
fn report_html_counts_equal_the_json_summary_and_it_needs_no_network() {
    let out = tempdir();
    let run = reconcile(out.path(), &["--format", "json"]);
    let summary = summary(&run.stdout);
    let html =
        std::fs::read_to_string(out.path().join("report.html")).expect("report.html written");
    for key in ["fatal", "error", "warning", "info", "suppressed"] {
        let shown = tagged(&html, &format!("data-count=\"{key}\""));
        assert_eq!(shown, vec![summary["counts"][key].to_string()], "{key}");
    }
    let rows = &summary["rows"];
    for (path, counts) in rows.as_object().expect("rows") {
        let at = html
            .find(&format!("data-file=\"{path}\""))
            .unwrap_or_else(|| panic!("{path} in the files table"));
        let tr = &html[at..at + html[at..].find("</tr>").expect("row end")];
        for k in ["read", "checked", "rejected"] {
            assert_eq!(
                tagged(tr, &format!("data-rows=\"{k}\"")),
                vec![counts[k].to_string()],
                "{path} {k}"
            );
        }
    }
    let listed = html.matches("<tr data-code=").count();
    assert_eq!(
        listed,
        findings(&run.stdout).len(),
        "one table row per finding"
    );
    for (stem, file) in [
        ("certificates", "certificates.csv"),
        ("returns", "returns.csv"),
    ] {
        let list_rows = read_list(&out.path().join(file)).len() - 1;
        assert_eq!(
            tagged(&html, &format!("data-list-rows=\"{stem}\"")),
            vec![list_rows.to_string()]
        );
    }
    // Self-contained: nothing is fetched.
    for outside in ["<link", "src=", "http://", "https://", "@import", "url("] {
        let found = html.replace("http://www.w3.org/2000/svg", "");
        assert!(
            !found.contains(outside),
            "report.html refers outside: {outside}"
        );
    }
    assert!(
        html.contains("<svg id=\"chart-codes\"") && html.contains("<svg id=\"chart-companies\"")
    );
    assert_no_full_my_number(&run, Some(out.path()));
}

// --- JUnit and SARIF -------------------------------------------------------------------------

fn check_fund(format: &str, fail_on: &str) -> Run {
    shikaku(&[
        "check",
        "--kind",
        "fund",
        &sample("fund.csv"),
        "--as-of",
        AS_OF,
        "--format",
        format,
        "--fail-on",
        fail_on,
    ])
}

#[test]
fn junit_has_a_suite_per_file_a_failure_per_finding_and_parses_as_gitlab_reads_it() {
    let json = check_fund("json", "error");
    let all = findings(&json.stdout);
    let failing = all
        .iter()
        .filter(|f| f["severity"] == "error" || f["severity"] == "fatal")
        .count();
    let run = check_fund("junit", "error");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = quick_junit::Report::deserialize_from_str(&run.stdout)
        .expect("JUnit that quick-junit reads back");
    assert_eq!(report.test_suites.len(), 1, "one suite per file");
    let suite = &report.test_suites[0];
    assert_eq!(suite.name.as_str(), sample("fund.csv"));
    let failures: Vec<_> = suite
        .test_cases
        .iter()
        .filter(|c| !matches!(c.status, quick_junit::TestCaseStatus::Success { .. }))
        .collect();
    assert_eq!(
        failures.len(),
        failing,
        "a failure per finding at or above --fail-on"
    );
    // Findings below --fail-on are carried too, in their rule's passing test case.
    let below: usize = suite
        .test_cases
        .iter()
        .filter_map(|c| c.system_out.as_ref())
        .map(|o| o.as_str().lines().count())
        .sum();
    assert_eq!(
        failing + below,
        all.len(),
        "every finding is in the JUnit output"
    );
    // What GitLab's parser needs: testsuites > testsuite > testcase with classname and name,
    // unique per (classname, name) (GitLab keeps only the first of two), a failure's text.
    assert!(run.stdout.contains("<testsuites") && run.stdout.contains("<testsuite "));
    let mut seen = std::collections::BTreeSet::new();
    for case in &suite.test_cases {
        let class = case
            .classname
            .as_ref()
            .map(|c| c.as_str().to_owned())
            .expect("a classname");
        assert!(
            seen.insert((class, case.name.as_str().to_owned())),
            "duplicate test case {}",
            case.name.as_str()
        );
    }
    for case in failures {
        let quick_junit::TestCaseStatus::NonSuccess {
            message,
            description,
            ..
        } = &case.status
        else {
            unreachable!()
        };
        assert!(message.is_some() && description.as_ref().is_some_and(|d| !d.as_str().is_empty()));
    }
    // A rule that found nothing is a passing test case (the fund has no ragged row).
    assert!(
        suite
            .test_cases
            .iter()
            .any(|c| c.name.as_str().starts_with("IN002 ")
                && matches!(c.status, quick_junit::TestCaseStatus::Success { .. }))
    );
    assert_no_full_my_number(&run, None);
}

#[test]
fn sarif_parses_with_the_crate_types_and_carries_every_finding() {
    let json = check_fund("json", "error");
    let all = findings(&json.stdout);
    let run = check_fund("sarif", "error");
    let log: serde_sarif::sarif::Sarif =
        serde_json::from_str(&run.stdout).expect("SARIF that serde-sarif reads");
    assert_eq!(log.version, serde_json::json!("2.1.0"));
    let run0 = &log.runs[0];
    let rules = run0.tool.driver.rules.as_ref().expect("rules");
    assert!(
        rules
            .iter()
            .all(|r| r.help.as_ref().is_some_and(|h| !h.text.is_empty())),
        "every rule has its help"
    );
    let results = run0.results.as_ref().expect("results");
    assert_eq!(results.len(), all.len());
    for (result, finding) in results.iter().zip(&all) {
        assert_eq!(result.rule_id.as_deref(), finding["code"].as_str());
        assert!(
            rules
                .iter()
                .any(|r| Some(r.id.as_str()) == result.rule_id.as_deref())
        );
        let location = result
            .locations
            .as_ref()
            .and_then(|l| l.first())
            .and_then(|l| l.physical_location.as_ref())
            .expect("a location");
        assert_eq!(
            location
                .artifact_location
                .as_ref()
                .and_then(|a| a.uri.clone())
                .as_deref(),
            Some(sample("fund.csv").as_str())
        );
        let line = location.region.as_ref().and_then(|r| r.start_line);
        assert_eq!(line, finding["source"]["row"].as_i64(), "{finding}");
    }
    assert_no_full_my_number(&run, None);
}

// --- the output set --------------------------------------------------------------------------

/// The digest as run.json writes it: Subresource Integrity, `sha256-` and base64.
fn sri_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bits: String = digest.iter().map(|b| format!("{b:08b}")).collect();
    let mut out = String::from("sha256-");
    for six in bits.as_bytes().chunks(6) {
        let mut v = 0usize;
        for (i, b) in six.iter().enumerate() {
            v |= usize::from(*b == b'1') << (5 - i);
        }
        out.push(char::from(alphabet[v]));
    }
    out.push('=');
    out
}

/// run.json of `dir`, after checking that it lists every file shikaku wrote with its hash,
/// and that every other file in `dir` is one of `foreign`.
fn verified_set(dir: &Path, foreign: &[&str]) -> Value {
    let run: Value =
        serde_json::from_slice(&std::fs::read(dir.join("run.json")).expect("run.json"))
            .expect("JSON");
    let mut listed = vec!["run.json".to_owned()];
    for file in run["files"].as_array().expect("files") {
        let rel = file["path"].as_str().expect("a path");
        let bytes = std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(
            file["sha256"].as_str(),
            Some(sri_sha256(&bytes).as_str()),
            "{rel}"
        );
        assert_eq!(file["bytes"].as_u64(), Some(bytes.len() as u64), "{rel}");
        listed.push(rel.to_owned());
    }
    listed.extend(foreign.iter().map(|s| s.to_string()));
    listed.sort();
    let mut present: Vec<String> = walk(dir)
        .iter()
        .map(|p| {
            p.strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    present.sort();
    assert_eq!(
        present, listed,
        "the folder is exactly one run's set (and the foreign files)"
    );
    run
}

/// Entries beside `dir` that are not the lock file: stages, old folders, journals.
fn leftovers(dir: &Path) -> Vec<String> {
    let parent = dir.parent().expect("a parent");
    let name = dir
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    std::fs::read_dir(parent)
        .expect("readable")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.")) && !n.ends_with(".shikaku-lock"))
        .collect()
}

#[test]
fn run_json_names_the_run_its_inputs_and_every_file_with_its_hash() {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    let run = reconcile(&out, &["--employer-workbooks", "--xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let record = verified_set(&out, &[]);
    assert_eq!(record["command"], "reconcile");
    assert_eq!(record["dates"]["d"], AS_OF);
    assert!(
        record["argv"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "--employer-workbooks"))
    );
    let inputs = record["inputs"].as_array().expect("inputs");
    assert_eq!(
        inputs.len(),
        8,
        "fund, list, registry and five employer files"
    );
    for input in inputs {
        let path = PathBuf::from(input["path"].as_str().expect("a path"));
        let bytes = std::fs::read(root().join(&path)).expect("the input");
        assert_eq!(
            input["sha256"].as_str(),
            Some(sri_sha256(&bytes).as_str()),
            "{}",
            path.display()
        );
    }
    for name in [
        "certificates.csv",
        "certificates.xlsx",
        "returns.csv",
        "findings.json",
        "report.html",
    ] {
        assert!(
            record["files"]
                .as_array()
                .expect("files")
                .iter()
                .any(|f| f["path"] == name),
            "{name}"
        );
    }
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn a_second_run_into_the_same_out_exits_2_naming_the_first() {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    let lock = tmp.path().join(".out.shikaku-lock");
    let mut first = spawn(
        &reconcile_args(&out, AS_OF, &[]),
        &[("SHIKAKU_TEST_PAUSE_AFTER_LOCK_MS", "4000")],
    );
    let pid = first.id().to_string();
    let waited = std::time::Instant::now();
    while std::fs::read_to_string(&lock).map_or(true, |t| t.is_empty()) {
        assert!(
            waited.elapsed().as_secs() < 30,
            "the first run never took the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let second = reconcile(&out, &[]);
    assert_eq!(second.code, 2, "{}", second.stderr);
    for part in [
        pid.as_str(),
        "reconcile",
        "--wait",
        &lock.display().to_string(),
    ] {
        assert!(
            second.stderr.contains(part),
            "the error names {part}: {}",
            second.stderr
        );
    }
    assert!(first.wait().expect("the first run ends").success());
    let record = verified_set(&out, &[]);
    assert_eq!(record["pid"].to_string(), pid, "the set is the first run's");
}

#[test]
fn with_wait_both_runs_succeed_and_the_folder_holds_the_second_set() {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    let lock = tmp.path().join(".out.shikaku-lock");
    let mut first = spawn(
        &reconcile_args(&out, AS_OF, &[]),
        &[("SHIKAKU_TEST_PAUSE_AFTER_LOCK_MS", "2000")],
    );
    while std::fs::read_to_string(&lock).map_or(true, |t| t.is_empty()) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let args = reconcile_args(&out, "2026-12-01", &["--wait"]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let second = shikaku(&refs);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stderr.contains("待っています"),
        "it says it waits: {}",
        second.stderr
    );
    assert!(first.wait().expect("the first run ends").success());
    let record = verified_set(&out, &[]);
    assert_eq!(
        record["dates"]["d"], "2026-12-01",
        "the second run's whole set"
    );
}

#[test]
fn a_run_killed_mid_write_leaves_the_previous_set_and_the_next_run_recovers() {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    assert_eq!(reconcile(&out, &[]).code, 0);
    std::fs::write(out.join("memo.txt"), "staff notes").expect("a foreign file");
    let before = verified_set(&out, &["memo.txt"]);
    for (env, what) in [
        (
            vec![("SHIKAKU_TEST_ABORT_AFTER_FILE", "2")],
            "between two files",
        ),
        (
            vec![
                ("SHIKAKU_TEST_NO_EXCHANGE", "1"),
                ("SHIKAKU_TEST_ABORT_BETWEEN_RENAMES", "1"),
            ],
            "between the two renames",
        ),
    ] {
        let mut killed = spawn(&reconcile_args(&out, "2026-12-01", &[]), &env);
        let status = killed.wait().expect("it ends");
        assert!(!status.success(), "{what}: the hook aborts the run");
        if out.exists() {
            let now = verified_set(&out, &["memo.txt"]);
            assert_eq!(
                now["run_id"], before["run_id"],
                "{what}: the previous set, whole"
            );
        }
        assert!(
            !leftovers(&out).is_empty(),
            "{what}: the killed run left its work beside the folder"
        );
        // The next run finishes or undoes it, and publishes its own set.
        let next = reconcile(&out, &["--format", "json"]);
        assert_eq!(next.code, 0, "{what}: {}", next.stderr);
        let after = verified_set(&out, &["memo.txt"]);
        assert_ne!(after["run_id"], before["run_id"]);
        assert!(leftovers(&out).is_empty(), "{what}: {:?}", leftovers(&out));
        assert_eq!(
            std::fs::read_to_string(out.join("memo.txt")).expect("kept"),
            "staff notes"
        );
    }
}

#[test]
fn without_exchange_the_set_is_still_swapped_whole() {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    assert_eq!(reconcile(&out, &[]).code, 0);
    let mut child = spawn(
        &reconcile_args(&out, "2026-12-01", &["--employer-workbooks"]),
        &[("SHIKAKU_TEST_NO_EXCHANGE", "1")],
    );
    assert!(child.wait().expect("ends").success());
    let record = verified_set(&out, &[]);
    assert_eq!(record["dates"]["d"], "2026-12-01");
    assert!(leftovers(&out).is_empty());
}
