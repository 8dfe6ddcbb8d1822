//! Every branch of the 資格確認書 decisions (SPEC §4.6), one member per case, D = 2026-11-01,
//! renewal window 60 days (→ 2026-12-31).

use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;

const D: &str = "2026-11-01";

const COMPANIES: &str = r#"
[fund]
insurer_no = "06139992"
[[company]]
code = "C01"
notice_route = "home"
office_postal_code = "1040061"
office_address = "東京都中央区銀座一丁目8番1号"
"#;

const FUND_HEADER: &str = "記号,番号,枝番,氏名,氏名カナ,生年月日,性別,続柄,被保険者区分,会社コード,資格取得日,資格喪失日,マイナ保険証利用登録,資格確認書有効期限,郵便番号,住所,居所郵便番号,居所";

/// One member: number (記号 1001, 枝番 00 unless a 9001 household), lost_on, registered,
/// certificate expiry.
struct Member {
    key: &'static str,
    lost: &'static str,
    registered: &'static str,
    expires: &'static str,
}

/// The case table: who, and what the decisions must be.
struct Case {
    name: &'static str,
    member: Member,
    listed: bool,
    requested: bool,
    /// The registry's マイナ保険証利用登録 for this key ("" = not in the registry).
    registry: &'static str,
    certificate: Option<(&'static str, &'static str)>,
    returned: Option<&'static str>,
    codes: &'static [&'static str],
}

fn m(
    key: &'static str,
    lost: &'static str,
    registered: &'static str,
    expires: &'static str,
) -> Member {
    Member {
        key,
        lost,
        registered,
        expires,
    }
}

fn cases() -> Vec<Case> {
    let c = |name, member, listed, requested, registry, certificate, returned, codes| Case {
        name,
        member,
        listed,
        requested,
        registry,
        certificate,
        returned,
        codes,
    };
    vec![
        // On the list, eligible: 職権, through the employer.
        c(
            "listed_eligible_gets_shokken_via_the_employer",
            m("1001-1-00", "", "0", ""),
            true,
            false,
            "",
            Some(("職権", "事業主経由")),
            None,
            &[],
        ),
        // On the list but registered: nothing, no CE.
        c(
            "listed_but_registered_gets_nothing",
            m("1001-2-00", "", "1", ""),
            true,
            false,
            "",
            None,
            None,
            &[],
        ),
        // On the list, holding a certificate valid beyond the window: nothing.
        c(
            "listed_with_a_certificate_beyond_the_window_gets_nothing",
            m("1001-3-00", "", "0", "2029-01-01"),
            true,
            false,
            "",
            None,
            None,
            &[],
        ),
        // On the list, certificate valid on D but expiring inside the window: 更新 (職権 needs no valid one).
        c(
            "listed_expiring_inside_the_window_is_renewed",
            m("1001-4-00", "", "0", "2026-12-01"),
            true,
            false,
            "",
            Some(("更新", "事業主経由")),
            None,
            &["CE005"],
        ),
        // On the list, not active: CE002, not issued.
        c(
            "listed_not_active_is_ce002_not_issued",
            m("1001-5-00", "2026-10-01", "0", ""),
            true,
            false,
            "",
            None,
            None,
            &["CE002"],
        ),
        // Requested by the employer, no certificate: 申請.
        c(
            "requested_by_the_employer_gets_shinsei",
            m("1001-7-00", "", "0", ""),
            false,
            true,
            "",
            Some(("申請", "事業主経由")),
            None,
            &[],
        ),
        // Expiring on the last day of the window: 更新; on D itself: still valid, 更新.
        c(
            "expiring_on_the_last_day_of_the_window_is_renewed",
            m("1001-8-00", "", "0", "2026-12-31"),
            false,
            false,
            "",
            Some(("更新", "事業主経由")),
            None,
            &["CE005"],
        ),
        c(
            "expiring_on_d_itself_is_still_valid_and_renewed",
            m("1001-18-00", "", "0", "2026-11-01"),
            false,
            false,
            "",
            Some(("更新", "事業主経由")),
            None,
            &["CE005"],
        ),
        // The day after the window: nothing to do yet.
        c(
            "the_day_after_the_window_waits",
            m("1001-9-00", "", "0", "2027-01-01"),
            false,
            false,
            "",
            None,
            None,
            &[],
        ),
        // Expired the day before D, not listed, not requested: coverage gap.
        c(
            "expired_the_day_before_d_unlisted_is_a_coverage_gap",
            m("1001-10-00", "", "0", "2026-10-31"),
            false,
            false,
            "",
            None,
            None,
            &["CE006"],
        ),
        // Returns: 資格喪失 (valid certificate after loss), マイナ保険証登録.
        c(
            "a_valid_certificate_after_loss_is_returned",
            m("1001-12-00", "2026-09-01", "0", "2028-03-31"),
            false,
            false,
            "",
            None,
            Some("資格喪失"),
            &["CE004"],
        ),
        c(
            "a_certificate_while_registered_is_returned",
            m("1001-13-00", "", "1", "2028-03-31"),
            false,
            false,
            "",
            None,
            Some("マイナ保険証登録"),
            &["CE003"],
        ),
        // Lost AND registered: 資格喪失 takes precedence.
        c(
            "lost_and_registered_returns_for_loss",
            m("1001-16-00", "2026-10-15", "1", "2028-03-31"),
            false,
            false,
            "",
            None,
            Some("資格喪失"),
            &["CE004"],
        ),
        // Listed, lost, holding a certificate valid beyond the window: no CE002, but a return.
        c(
            "listed_lost_beyond_the_window_returns_without_ce002",
            m("1001-17-00", "2026-10-15", "0", "2029-03-31"),
            true,
            false,
            "",
            None,
            Some("資格喪失"),
            &["CE004"],
        ),
        // The registry decides registration when it has the key: fund 0 / registry 1 → registered.
        c(
            "the_registry_says_registered_over_the_fund",
            m("1001-14-00", "", "0", "2028-03-31"),
            true,
            false,
            "1",
            None,
            Some("マイナ保険証登録"),
            &["CE003"],
        ),
        // …and fund 1 / registry 0 → not registered: issued.
        c(
            "the_registry_says_not_registered_over_the_fund",
            m("1001-15-00", "", "1", ""),
            true,
            false,
            "0",
            Some(("職権", "事業主経由")),
            None,
            &[],
        ),
        // An unreadable expiry takes no decision (BD001 only).
        c(
            "an_unreadable_expiry_takes_no_decision",
            m("1001-19-00", "", "0", "不明"),
            true,
            false,
            "",
            None,
            None,
            &["BD001"],
        ),
        // 任意継続 household: home, to the insured person's 居所, dependents with them.
        c(
            "the_voluntary_insured_goes_home_to_the_residence",
            m("9001-1-00", "", "0", ""),
            true,
            false,
            "",
            Some(("職権", "自宅")),
            None,
            &[],
        ),
        c(
            "the_voluntary_dependent_goes_with_the_insured",
            m("9001-1-01", "", "0", ""),
            true,
            false,
            "",
            Some(("職権", "自宅")),
            None,
            &[],
        ),
    ]
}

fn write_inputs(dir: &Path) {
    let rules = dir.join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("companies.toml"), COMPANIES).unwrap();
    let mut fund = format!("{FUND_HEADER}\n");
    let mut list =
        String::from("職権交付対象者リスト,令和8年11月分\n保険者番号,記号,番号,枝番,生年月日\n");
    let mut registry = String::from("保険者番号,記号,番号,枝番,生年月日,マイナ保険証利用登録\n");
    let mut employer = String::from("記号,番号,枝番,生年月日,資格確認書発行要否\n");
    for case in cases() {
        let parts: Vec<&str> = case.member.key.split('-').collect();
        let (symbol, number, branch) = (parts[0], parts[1], parts[2]);
        let individual = symbol == "9001";
        let (rel, kind, company, residence) = match (individual, branch) {
            (true, "00") => (
                "本人",
                "任意継続",
                "",
                "2510035,神奈川県藤沢市片瀬海岸一丁目9番3号",
            ),
            (true, _) => ("配偶者", "任意継続", "", ","),
            _ => ("本人", "一般", "C01", ","),
        };
        let Member {
            lost,
            registered,
            expires,
            ..
        } = case.member;
        fund.push_str(&format!(
            "{symbol},{number},{branch},山田　{number},ヤマダ,1980-01-01,1,{rel},{kind},{company},2010-04-01,{lost},{registered},{expires},1000005,東京都千代田区丸の内一丁目1番1号,{residence}\n"
        ));
        if case.listed {
            list.push_str(&format!("06139992,{symbol},{number},{branch},1980-01-01\n"));
        }
        if !case.registry.is_empty() {
            registry.push_str(&format!(
                "06139992,{symbol},{number},{branch},1980-01-01,{}\n",
                case.registry
            ));
        }
        if case.requested {
            employer.push_str(&format!("{symbol},{number},{branch},1980-01-01,1\n"));
        }
    }
    // Listed but not in the fund: CE001. Listed, not in the fund, registered nationally: nothing.
    list.push_str("06139992,1001,99,00,1980-01-01\n06139992,1001,98,00,1980-01-01\n");
    registry.push_str("06139992,1001,98,00,1980-01-01,1\n");
    std::fs::write(dir.join("fund.csv"), fund).unwrap();
    std::fs::write(dir.join("list.csv"), list).unwrap();
    std::fs::write(dir.join("registry.csv"), registry).unwrap();
    std::fs::write(dir.join("employer.csv"), employer).unwrap();
}

#[test]
fn every_decision_branch() {
    let dir = tempdir();
    write_inputs(dir.path());
    let run = shikaku_in(
        dir.path(),
        &[
            "reconcile",
            "--fund",
            "fund.csv",
            "--national-list",
            "list.csv",
            "--national-registry",
            "registry.csv",
            "--employer",
            "employer.csv",
            "--as-of",
            D,
            "--out",
            "out",
            "--format",
            "json",
        ],
    );
    assert_ne!(run.code, 2, "{}\n{}", run.stderr, run.stdout);

    let certs: BTreeMap<String, Vec<String>> = read_list(&dir.path().join("out/certificates.csv"))
        [1..]
        .iter()
        .map(|r| (format!("{}-{}-{}", r[0], r[1], r[2]), r.clone()))
        .collect();
    let returns: BTreeMap<String, Vec<String>> = read_list(&dir.path().join("out/returns.csv"))
        [1..]
        .iter()
        .map(|r| (format!("{}-{}-{}", r[0], r[1], r[2]), r.clone()))
        .collect();
    let mut codes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in findings(&run.stdout) {
        let key = f["key"].as_str().unwrap_or("-").to_string();
        codes
            .entry(key)
            .or_default()
            .push(f["code"].as_str().unwrap().to_string());
    }

    // Every case is judged and every failing one reported, not just the first.
    let mut failures = Vec::new();
    for case in cases() {
        let key = case.member.key;
        let got = certs.get(key).map(|r| (r[6].as_str(), r[7].as_str()));
        if got != case.certificate {
            failures.push(format!(
                "{}: certificate {got:?}, want {:?}",
                case.name, case.certificate
            ));
        }
        let returned = returns.get(key).map(|r| r[4].as_str());
        if returned != case.returned {
            failures.push(format!(
                "{}: return {returned:?}, want {:?}",
                case.name, case.returned
            ));
        }
        let mut got_codes: Vec<&str> = codes
            .get(key)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default();
        got_codes.sort_unstable();
        if got_codes != case.codes {
            failures.push(format!(
                "{}: findings {got_codes:?}, want {:?}",
                case.name, case.codes
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        codes.get("1001-99-00").map(|v| v.as_slice()),
        Some(&["CE001".to_string()][..]),
        "listed, not in the fund"
    );
    assert!(
        !codes.contains_key("1001-98-00"),
        "listed and registered nationally: nothing"
    );
    assert_eq!(
        certs.len(),
        cases().iter().filter(|c| c.certificate.is_some()).count()
    );

    // Routes and destinations: 事業主経由 rows carry the company's office address; the
    // 任意継続 household goes to the insured person's 居所, dependents included.
    let employer_row = &certs["1001-1-00"];
    assert_eq!(
        (
            employer_row[8].as_str(),
            employer_row[9].as_str(),
            employer_row[10].as_str()
        ),
        ("1040061", "東京都中央区銀座一丁目8番1号", "C01")
    );
    for key in ["9001-1-00", "9001-1-01"] {
        let r = &certs[key];
        assert_eq!(
            (r[8].as_str(), r[9].as_str(), r[10].as_str()),
            ("2510035", "神奈川県藤沢市片瀬海岸一丁目9番3号", ""),
            "{key}"
        );
    }
    // Sorted by key with 番号 as a number: 1001-2 before 1001-10.
    let order: Vec<&String> = certs.keys().collect();
    let printed: Vec<String> = read_list(&dir.path().join("out/certificates.csv"))[1..]
        .iter()
        .map(|r| format!("{}-{}-{}", r[0], r[1], r[2]))
        .collect();
    assert_eq!(printed.first().map(String::as_str), Some("1001-1-00"));
    let at = |key: &str| {
        printed
            .iter()
            .position(|k| k == key)
            .unwrap_or_else(|| panic!("{key} is not in certificates.csv: {printed:?}"))
    };
    assert!(
        at("1001-4-00") < at("1001-15-00"),
        "{printed:?} vs {order:?}"
    );
}

#[test]
fn a_fatal_national_list_writes_nothing() {
    let dir = tempdir();
    write_inputs(dir.path());
    std::fs::write(dir.path().join("list.csv"), "タイトルだけ\n").unwrap();
    let run = shikaku_in(
        dir.path(),
        &[
            "reconcile",
            "--fund",
            "fund.csv",
            "--national-list",
            "list.csv",
            "--as-of",
            D,
            "--out",
            "out",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(!dir.path().join("out/certificates.csv").exists());
    assert!(!dir.path().join("out/findings.json").exists());
    assert!(findings(&run.stdout).iter().any(|f| f["code"] == "IN003"));
}

#[test]
fn a_fatal_employer_file_is_left_out_and_the_run_finishes() {
    let dir = tempdir();
    write_inputs(dir.path());
    std::fs::write(dir.path().join("broken.xlsx"), b"not a workbook").unwrap();
    let run = shikaku_in(
        dir.path(),
        &[
            "reconcile",
            "--fund",
            "fund.csv",
            "--national-list",
            "list.csv",
            "--employer",
            "employer.csv",
            "--employer",
            "broken.xlsx",
            "--as-of",
            D,
            "--out",
            "out",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("broken.xlsx"), "{}", run.stderr);
    assert!(
        dir.path().join("out/certificates.csv").exists(),
        "the lists are still written"
    );
    // The good employer file still counted: 1001-7-00 is still 申請.
    let certs = read_list(&dir.path().join("out/certificates.csv"));
    assert!(certs.iter().any(|r| r[1] == "7" && r[6] == "申請"));
}

#[test]
fn a_list_that_cannot_be_encoded_in_cp932_is_not_written_and_the_others_are() {
    let dir = tempdir();
    write_inputs(dir.path());
    let fund = std::fs::read_to_string(dir.path().join("fund.csv"))
        .unwrap()
        .replace("山田　1,", "𠮷田　1,");
    std::fs::write(dir.path().join("fund.csv"), fund).unwrap();
    // A stale list from an earlier run must not survive to be mistaken for this one.
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/certificates.csv"), "old").unwrap();
    let run = shikaku_in(
        dir.path(),
        &[
            "reconcile",
            "--fund",
            "fund.csv",
            "--national-list",
            "list.csv",
            "--as-of",
            D,
            "--out",
            "out",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("𠮷") && run.stderr.contains("certificates"),
        "{}",
        run.stderr
    );
    assert!(
        !dir.path().join("out/certificates.csv").exists(),
        "no partial or stale certificates.csv"
    );
    assert!(dir.path().join("out/returns.csv").exists());
    assert!(dir.path().join("out/findings.json").exists());
    // UTF-8 lists can hold it.
    let run = shikaku_in(
        dir.path(),
        &[
            "reconcile",
            "--fund",
            "fund.csv",
            "--national-list",
            "list.csv",
            "--as-of",
            D,
            "--out",
            "out",
            "--encoding",
            "utf8-bom",
            "--xlsx",
            "--format",
            "json",
        ],
    );
    assert_ne!(run.code, 2, "{}", run.stderr);
    let bytes = std::fs::read(dir.path().join("out/certificates.csv")).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    assert!(String::from_utf8_lossy(&bytes).contains("𠮷田"));
    assert!(dir.path().join("out/certificates.xlsx").exists());
}

#[test]
fn an_output_directory_never_overwrites_an_input() {
    let dir = tempdir();
    write_inputs(dir.path());
    // The fund file is named like the list reconcile writes, in the output directory.
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let fund = std::fs::read(dir.path().join("fund.csv")).unwrap();
    std::fs::write(dir.path().join("out/returns.csv"), &fund).unwrap();
    let run = shikaku_in(
        dir.path(),
        &[
            "reconcile",
            "--fund",
            "out/returns.csv",
            "--national-list",
            "list.csv",
            "--as-of",
            D,
            "--out",
            "out",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("out/returns.csv")).unwrap(),
        fund,
        "the input is untouched"
    );
}
