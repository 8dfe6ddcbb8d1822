//! End to end on `sample-data/`: every command reports exactly the planted problems that
//! `sample-data/README.md` lists for it, and writes exactly the lists it says.
//!
//! The README is generated with the data (so its rows and keys cannot drift); these tests
//! parse its tables, so "the planted problems and nothing else" is checked against the
//! document staff read, not against a copy of it here.

use crate::common::*;
use std::collections::BTreeSet;

const AS_OF: &str = "2026-11-01";

/// One row of the README's "Planted problems" table.
#[derive(Debug, Clone)]
struct Planted {
    file: String,
    key: Option<String>,
    code: String,
    shows: String,
}

fn readme() -> String {
    std::fs::read_to_string(root().join("sample-data/README.md")).expect("sample-data/README.md")
}

/// The rows of the first markdown table after `heading` (header row and rule skipped).
fn table_after(text: &str, heading: &str) -> Vec<Vec<String>> {
    let after = text
        .split_once(heading)
        .unwrap_or_else(|| panic!("no {heading}"))
        .1;
    let mut rows = Vec::new();
    let mut started = false;
    for line in after.lines() {
        if line.starts_with('|') {
            started = true;
            let cells: Vec<String> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect();
            if cells[0].chars().all(|c| c == '-') {
                continue;
            }
            rows.push(cells);
        } else if started {
            break;
        }
    }
    rows.remove(0); // the header
    rows
}

fn planted() -> Vec<Planted> {
    let rows = table_after(&readme(), "## Planted problems");
    let planted: Vec<Planted> = rows
        .into_iter()
        .map(|c| Planted {
            file: c[1].clone(),
            key: Some(c[5].clone()).filter(|k| !k.starts_with('—')),
            code: c[6].clone(),
            shows: c[7].clone(),
        })
        .collect();
    assert!(
        planted.len() >= 60,
        "the README's planted table was not read: {} rows",
        planted.len()
    );
    planted
}

fn expected(filter: impl Fn(&Planted) -> bool) -> BTreeSet<(String, Option<String>)> {
    planted()
        .into_iter()
        .filter(|p| filter(p))
        .map(|p| (p.code, p.key))
        .collect()
}

fn check(kind: &str, path: &str) -> Run {
    shikaku(&[
        "check",
        "--kind",
        kind,
        &sample(path),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ])
}

fn assert_same(
    got: &BTreeSet<(String, Option<String>)>,
    want: &BTreeSet<(String, Option<String>)>,
) {
    let missing: Vec<_> = want.difference(got).collect();
    let extra: Vec<_> = got.difference(want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}\nextra {extra:?}"
    );
}

#[test]
fn check_on_the_fund_reports_exactly_its_planted_single_source_problems() {
    let run = check("fund", "fund.csv");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let want = expected(|p| p.file.starts_with("fund.csv") && p.shows.contains("check"));
    assert!(want.contains(&("MN003".to_string(), Some("1003-3-02".to_string()))));
    assert_same(&code_keys(&run.stdout), &want);
    let s = summary(&run.stdout);
    let rows = &s["rows"][sample("fund.csv")];
    assert_eq!(
        (
            rows["read"].as_u64(),
            rows["checked"].as_u64(),
            rows["rejected"].as_u64()
        ),
        (Some(157), Some(157), Some(0))
    );
}

#[test]
fn check_on_the_employer_files_reports_exactly_their_planted_problems() {
    let run = check("employer", "employers");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let want = expected(|p| p.file.starts_with("employers/") && p.shows.contains("check"));
    assert!(want.contains(&("IN001".to_string(), Some("1004-6-00".to_string()))));
    assert!(
        want.contains(&("ID001".to_string(), None)),
        "a malformed key is null"
    );
    assert_same(&code_keys(&run.stdout), &want);
    // Every row read is accounted for: read = checked + rejected, per file.
    let s = summary(&run.stdout);
    for (path, r) in s["rows"].as_object().expect("rows") {
        let (read, checked, rejected) = (
            r["read"].as_u64().unwrap(),
            r["checked"].as_u64().unwrap(),
            r["rejected"].as_u64().unwrap(),
        );
        assert_eq!(read, checked + rejected, "{path}");
    }
    // IN006 rejects both copies of the duplicated row, ID001 its row.
    let xls = &s["rows"][sample("employers/c02-sakura-bussan.xls")];
    assert_eq!(xls["rejected"].as_u64(), Some(2));
}

#[test]
fn check_on_the_national_files_reports_exactly_their_planted_problems() {
    for (kind, file) in [
        ("national-list", "national-list.csv"),
        ("national-registry", "national-registry.csv"),
    ] {
        let run = check(kind, file);
        let want = expected(|p| p.file == file && p.shows.contains("check"));
        assert!(!want.is_empty(), "{file}");
        assert_same(&code_keys(&run.stdout), &want);
        assert_eq!(run.code, 1, "{file}: {}", run.stderr);
    }
}

fn reconcile(out: &std::path::Path) -> Run {
    shikaku(&[
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
        AS_OF,
        "--out",
        &out.display().to_string(),
        "--format",
        "json",
    ])
}

#[test]
fn reconcile_reports_every_planted_problem_for_reconcile_and_nothing_else() {
    let dir = tempdir();
    let run = reconcile(dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let want = expected(|p| p.shows.contains("reconcile"));
    assert!(want.contains(&("CE006".to_string(), Some("1002-16-00".to_string()))));
    assert_same(&code_keys(&run.stdout), &want);
    // findings.json is the same stream.
    let written = std::fs::read_to_string(dir.path().join("findings.json")).expect("findings.json");
    assert_eq!(code_keys(&written), code_keys(&run.stdout));
    assert_no_full_my_number(&run, Some(dir.path()));
}

/// `1001` `12` `00` as the lists print them → the key the README uses.
fn key_of(row: &[String]) -> String {
    format!("{}-{}-{}", row[0], row[1].trim_start_matches('0'), row[2])
}

fn blank(s: &str) -> String {
    if s.is_empty() {
        "(blank)".into()
    } else {
        s.to_string()
    }
}

#[test]
fn reconcile_writes_exactly_the_intended_certificates_and_returns_in_cp932() {
    let dir = tempdir();
    let run = reconcile(dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = readme();

    let certs = read_list(&dir.path().join("certificates.csv"));
    assert_eq!(
        certs[0],
        [
            "記号",
            "番号",
            "枝番",
            "氏名",
            "氏名カナ",
            "生年月日",
            "交付事由",
            "送付方法",
            "郵便番号",
            "送付先住所",
            "会社コード"
        ]
    );
    let got: Vec<Vec<String>> = certs[1..]
        .iter()
        .map(|r| {
            vec![
                key_of(r),
                r[3].clone(),
                r[5].clone(),
                r[6].clone(),
                r[7].clone(),
                blank(&r[8]),
                blank(&r[9]),
                r[10].clone(),
            ]
        })
        .collect();
    let want = table_after(&text, "`certificates.csv` (sorted by key):");
    assert_eq!(got, want);
    assert!(
        got.iter().any(|r| r[3] == "職権")
            && got.iter().any(|r| r[3] == "申請")
            && got.iter().any(|r| r[3] == "更新")
    );

    let returns = read_list(&dir.path().join("returns.csv"));
    assert_eq!(
        returns[0],
        ["記号", "番号", "枝番", "氏名", "返納事由", "会社コード"]
    );
    let got: Vec<Vec<String>> = returns[1..]
        .iter()
        .map(|r| vec![key_of(r), r[3].clone(), r[4].clone(), r[5].clone()])
        .collect();
    assert_eq!(got, table_after(&text, "`returns.csv` (sorted by key):"));

    // CRLF line ends and CP932 bytes (氏名 in CP932, not UTF-8).
    let bytes = std::fs::read(dir.path().join("certificates.csv")).unwrap();
    assert!(bytes.windows(2).any(|w| w == b"\r\n"));
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "written in CP932, not UTF-8"
    );
}

/// The notice mailing of the sample: base dates from rules/checks.toml.
fn mailing(out: &std::path::Path) -> Run {
    shikaku(&[
        "mailing",
        "--fund",
        &sample("fund.csv"),
        "--employer",
        &sample("employers"),
        "--document",
        "notice",
        "--as-of",
        AS_OF,
        "--out",
        &out.display().to_string(),
        "--format",
        "json",
    ])
}

#[test]
fn mailing_writes_exactly_the_intended_manifest() {
    let dir = tempdir();
    let run = mailing(dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let rows = read_list(&dir.path().join("mailing.csv"));
    assert_eq!(
        rows[0],
        [
            "封筒番号",
            "記号",
            "番号",
            "枝番",
            "氏名",
            "送付方法",
            "特定記録",
            "郵便番号",
            "送付先住所",
            "個人番号下4桁",
            "負担割合"
        ]
    );
    let want = table_after(&readme(), "Envelopes in 封筒番号 order");
    assert_eq!(want.len(), 73);
    let mut letters = 0;
    for env in &want {
        let got: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r[0] == env[0]).collect();
        assert!(!got.is_empty(), "envelope {} missing", env[0]);
        for r in &got {
            assert_eq!(
                (&r[5], &r[6], &r[7], &r[8]),
                (&env[1], &env[2], &env[4], &env[5]),
                "envelope {}",
                env[0]
            );
        }
        // "1001-1-00 桜井　正雄 [0391] [3割]<br>…; blocked: …"
        let listed = env[7].split("; blocked").next().unwrap_or("");
        let expected_letters: Vec<(String, String, String, String)> = listed
            .split("<br>")
            .map(|l| {
                // Names hold a full-width space: split on ASCII spaces only.
                let parts: Vec<&str> = l.split(' ').filter(|p| !p.is_empty()).collect();
                let brackets: Vec<&str> = l
                    .split('[')
                    .skip(1)
                    .map(|b| b.split(']').next().unwrap_or(""))
                    .collect();
                let last4 = brackets
                    .first()
                    .map(|b| if *b == "—" { "" } else { b })
                    .unwrap_or("");
                let ratio = brackets
                    .get(1)
                    .map(|b| b.trim_end_matches('割'))
                    .unwrap_or("");
                (
                    parts[0].to_string(),
                    parts[1].to_string(),
                    last4.to_string(),
                    ratio.to_string(),
                )
            })
            .collect();
        let got_letters: Vec<(String, String, String, String)> = got
            .iter()
            .map(|r| (key_of(&r[1..4]), r[4].clone(), r[9].clone(), r[10].clone()))
            .collect();
        assert_eq!(got_letters, expected_letters, "envelope {}", env[0]);
        letters += got_letters.len();
    }
    assert_eq!(
        rows.len() - 1,
        letters,
        "no letter outside the intended envelopes"
    );
    assert_no_full_my_number(&run, Some(dir.path()));
}

/// The cross-source findings `mailing` adds with employer files at the 2024 base date: the
/// employer's own single-source problems, and ID003/ID005/MN002/BD004/AD006 for the fund.
const MAILING_CROSS: &[(&str, &str)] = &[
    ("ID003", "1001-24-00"),
    ("ID005", "1001-15-00"),
    ("MN002", "1002-14-00"),
    ("BD004", "1001-9-00"),
    ("AD006", "1001-8-00"),
];

#[test]
fn mailing_reports_the_planted_problems_for_the_mailing_and_the_employer_files() {
    let dir = tempdir();
    let run = mailing(dir.path());
    let mut want = expected(|p| {
        p.shows.contains("mailing")
            || (p.file.starts_with("employers/") && p.shows.contains("check"))
    });
    want.extend(
        MAILING_CROSS
            .iter()
            .map(|(c, k)| (c.to_string(), Some(k.to_string()))),
    );
    // Certificates are not this command's business: no CE rule runs in mailing.
    assert!(
        code_keys(&run.stdout)
            .iter()
            .all(|(c, _)| !c.starts_with("CE"))
    );
    assert_same(&code_keys(&run.stdout), &want);
}

fn manifest_row<'a>(rows: &'a [Vec<String>], key: &str) -> Option<&'a Vec<String>> {
    rows[1..].iter().find(|r| key_of(&r[1..4]) == key)
}

#[test]
fn mailing_pins_seed_004s_base_date_cases() {
    let dir = tempdir();
    mailing(dir.path());
    let rows = read_list(&dir.path().join("mailing.csv"));
    let row = |k: &str| manifest_row(&rows, k).unwrap_or_else(|| panic!("{k} has no letter"));
    // 7-1: born 1954-08-01 is 高齢受給者 on 2024-08-31 (prints 負担割合); born 1954-08-02 is not.
    assert_eq!(row("1001-1-00")[10], "3");
    assert_eq!(row("1001-1-01")[10], "");
    // 任意継続 households use 2024-09-14: born 1954-09-01 prints, 1954-09-02 does not.
    assert_eq!(row("9001-1-00")[10], "2");
    assert_eq!(row("9001-1-01")[10], "");
    // …and 9001-1-01's My Number, registered 2024-09-10 (after 08-31, before 09-14), prints.
    assert_eq!(row("9001-1-01")[9].len(), 4);
    // 5-1/5-6: registered after the base date → no last 4; a 自宅 envelope without any last 4
    // is not 特定記録.
    assert_eq!(row("1001-5-00")[9], "");
    assert_eq!(row("1001-5-00")[6], "0");
    assert_eq!(row("1001-5-00")[5], "自宅");
}

#[test]
fn office_routed_members_go_to_the_office_and_individual_members_go_home() {
    let dir = tempdir();
    mailing(dir.path());
    let rows = read_list(&dir.path().join("mailing.csv"));
    // C03 is office-routed: its members' envelopes go to the office even though the fund has
    // their home address; 事業所 envelopes are never 特定記録.
    let c03 = manifest_row(&rows, "1003-1-00").expect("1003-1-00");
    assert_eq!(
        (
            c03[5].as_str(),
            c03[6].as_str(),
            c03[7].as_str(),
            c03[8].as_str()
        ),
        ("事業所", "0", "1000005", "東京都千代田区丸の内一丁目1番1号")
    );
    // 任意継続 of any former company: home (居所 when present), 特定記録 with last 4.
    let nin = manifest_row(&rows, "9001-1-00").expect("9001-1-00");
    assert_eq!((nin[5].as_str(), nin[6].as_str()), ("自宅", "1"));
    assert_eq!(nin[7], "2510035");
}

#[test]
fn certificate_mailing_routes_through_the_employer_and_never_prints_last_4() {
    let dir = tempdir();
    let run = shikaku(&[
        "mailing",
        "--fund",
        &sample("fund.csv"),
        "--document",
        "certificate",
        "--as-of",
        AS_OF,
        "--out",
        &dir.path().display().to_string(),
        "--format",
        "json",
    ]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    let rows = read_list(&dir.path().join("mailing.csv"));
    assert!(rows.len() > 1);
    for r in &rows[1..] {
        assert!(r[5] == "事業主経由" || r[5] == "自宅", "{r:?}");
        assert_eq!(r[6], "0", "certificates are never 特定記録: {r:?}");
        assert_eq!(r[9], "", "no last 4 on a certificate: {r:?}");
    }
    // A registered member (1001-1-00 uses マイナ保険証) gets no certificate.
    assert!(manifest_row(&rows, "1001-1-00").is_none());
    // No AD005 here: 事業主経由 rows may carry a blank office address.
    assert!(code_keys(&run.stdout).iter().all(|(c, _)| c != "AD005"));
}

#[test]
fn mailing_summary_counts_letters_planned_blocked_and_envelopes_per_route() {
    let dir = tempdir();
    let run = shikaku(&[
        "mailing",
        "--fund",
        &sample("fund.csv"),
        "--employer",
        &sample("employers"),
        "--document",
        "notice",
        "--as-of",
        AS_OF,
        "--out",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for line in [
        "letters planned: 130; letters blocked: 16",
        "blocked: 4 — AD005 office-routed company with no office address configured",
        "blocked: 2 — AD001 company code not in rules/companies.toml",
        "blocked: 1 — BD001 date unparseable or ambiguous",
        "envelopes 自宅: 42 (81 letters)",
        "envelopes 事業所: 31 (49 letters)",
        "特定記録郵便 envelopes: 41",
    ] {
        assert!(
            run.stdout.contains(line),
            "missing {line:?} in\n{}",
            run.stdout
        );
    }
}

#[test]
fn every_rule_is_exercised_by_the_sample_or_a_fixture() {
    // The sample tests above assert exact (code, key) sets, so every code planted there has a
    // test that fails without its rule. IN003 makes a file fatal and is pinned by
    // check::a_missing_required_column_is_in003_fatal_naming_the_aliases_tried.
    let mut covered: BTreeSet<String> = planted().into_iter().map(|p| p.code).collect();
    covered.insert("IN003".into());
    let all: BTreeSet<String> = shikaku::checks::registry::rules()
        .map(|r| r.code.to_string())
        .collect();
    let missing: Vec<_> = all.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "rules no end-to-end test exercises: {missing:?}"
    );
}

/// Japanese text has kana; the English column's Japanese terms alone rarely do.
fn has_kana(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '\u{3041}'..='\u{309F}'))
}

#[test]
fn the_readme_opens_with_a_guide_for_staff_and_describes_every_case_in_japanese() {
    let text = readme();
    let guide = text.find("## 職員の方へ").expect("the staff guide");
    let reference = text
        .find("## Reference (English)")
        .expect("the English reference");
    let first_table = text.find("\n|").expect("a table");
    assert!(guide < reference && reference < first_table);
    for date in [
        "2026-11-01（令和8年11月1日）",
        "2024-08-31（令和6年8月31日）",
        "2024-09-14（令和6年9月14日）",
    ] {
        assert!(text[guide..reference].contains(date), "{date} in the guide");
    }

    // The planted table: the English in column 8, the Japanese in the new last column 9.
    let rows = table_after(&text, "## Planted problems");
    for r in &rows {
        assert_eq!(r.len(), 10, "{r:?}");
        let (en, ja) = (&r[8], &r[9]);
        assert!(
            !en.is_empty() && has_kana(ja) && ja != en,
            "{} {}: {ja:?}",
            r[5],
            r[6]
        );
    }

    // The roster: a note in one language has its other language beside it.
    let roster = table_after(&text, "## Roster");
    assert!(roster.iter().filter(|r| !r[15].is_empty()).count() >= 20);
    for r in &roster {
        assert_eq!(r.len(), 16, "{r:?}");
        assert_eq!(r[14].is_empty(), r[15].is_empty(), "{}", r[0]);
        assert!(
            r[15].is_empty() || has_kana(&r[15]),
            "{}: {:?}",
            r[0],
            r[15]
        );
    }
}

#[test]
fn the_readme_shows_no_full_my_number() {
    let text = readme();
    assert!(
        full_my_numbers(text.as_bytes()).is_empty(),
        "{:?}",
        full_my_numbers(text.as_bytes())
    );
    // Also the fund's numbers that fail their check digit (MN003): every 12-digit run in it.
    let fund = std::fs::read(root().join("sample-data/fund.csv")).expect("fund.csv");
    let numbers: BTreeSet<&[u8]> = fund
        .split(|b| !b.is_ascii_digit())
        .filter(|run| run.len() == 12)
        .collect();
    assert!(numbers.len() > 100, "{} numbers in fund.csv", numbers.len());
    for n in numbers {
        let n = std::str::from_utf8(n).unwrap();
        assert!(!text.contains(n), "a fund My Number ending {}", &n[8..]);
    }
}

/// `sample-data/expected.json` (written by the generator with the data) as
/// (code, key, file, row) for the findings a command shows.
fn expected_json(command: &str) -> BTreeSet<(String, Option<String>, String, Option<u64>)> {
    let text = std::fs::read_to_string(root().join("sample-data/expected.json"))
        .expect("sample-data/expected.json");
    let all: Vec<serde_json::Value> = serde_json::from_str(&text).expect("expected.json is JSON");
    all.iter()
        .filter(|e| {
            e["shows"]
                .as_array()
                .is_some_and(|s| s.iter().any(|c| c == command))
        })
        .map(|e| {
            (
                e["code"].as_str().unwrap_or_default().to_string(),
                e["key"].as_str().map(str::to_string),
                e["file"].as_str().unwrap_or_default().to_string(),
                e["row"].as_u64(),
            )
        })
        .collect()
}

#[test]
fn reconcile_reports_exactly_expected_json_row_by_row() {
    let run = shikaku(&[
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
        AS_OF,
        "--format",
        "json",
    ]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    let prefix = format!("{}/", root().join("sample-data").display());
    let got: BTreeSet<_> = findings(&run.stdout)
        .iter()
        .map(|f| {
            let path = f["source"]["path"].as_str().unwrap_or_default();
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["key"].as_str().map(str::to_string),
                path.strip_prefix(&prefix).unwrap_or(path).to_string(),
                f["source"]["row"].as_u64(),
            )
        })
        .collect();
    let want = expected_json("reconcile");
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:#?}\nextra {extra:#?}"
    );
}
