//! Unknown is never "no" (SPEC §4.0, issue 10): a value shikaku could not read never becomes
//! a decision, and membership ends on the 75th birthday. One test per defect found; each
//! failed on the build before the fix (run with SHIKAKU_TEST_BIN=<old binary> to see it).

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const COMPANIES: &str = r#"
[fund]
insurer_no = "06139992"
[[company]]
code = "C01"
name = "さくら商事株式会社"
notice_route = "home"
office_postal_code = "1040061"
office_address = "東京都中央区銀座一丁目8番1号"
"#;

const FUND_HEADER: &str = "記号,番号,枝番,氏名,氏名カナ,生年月日,性別,続柄,被保険者区分,会社コード,資格取得日,資格喪失日,マイナ保険証利用登録,資格確認書有効期限,負担割合,標準報酬月額,郵便番号,住所,居所郵便番号,居所";

/// A fund row with every field; `set` overrides some by header.
fn fund_row(key: &str, set: &[(&str, &str)]) -> String {
    let parts: Vec<&str> = key.split('-').collect();
    let defaults = [
        ("記号", parts[0]),
        ("番号", parts[1]),
        ("枝番", parts[2]),
        ("氏名", "山田　太郎"),
        ("氏名カナ", "ヤマダ　タロウ"),
        ("生年月日", "1980-01-01"),
        ("性別", "1"),
        (
            "続柄",
            if parts[2] == "00" {
                "本人"
            } else {
                "配偶者"
            },
        ),
        ("被保険者区分", "一般"),
        ("会社コード", "C01"),
        ("資格取得日", "2010-04-01"),
        ("資格喪失日", ""),
        ("マイナ保険証利用登録", "0"),
        ("資格確認書有効期限", ""),
        ("負担割合", ""),
        ("標準報酬月額", ""),
        ("郵便番号", "1000005"),
        ("住所", "東京都千代田区丸の内一丁目1番1号"),
        ("居所郵便番号", ""),
        ("居所", ""),
    ];
    let cells: Vec<&str> = defaults
        .iter()
        .map(|(h, v)| set.iter().find(|(sh, _)| sh == h).map_or(*v, |(_, sv)| *sv))
        .collect();
    cells.join(",")
}

/// A temp dir with rules/, and what a run there gave.
struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    fn new(fund_rows: &[String]) -> Scene {
        let dir = tempdir();
        let rules = dir.path().join("rules");
        std::fs::create_dir(&rules).unwrap();
        std::fs::write(rules.join("companies.toml"), COMPANIES).unwrap();
        let mut fund = format!("{FUND_HEADER}\n");
        for r in fund_rows {
            fund.push_str(r);
            fund.push('\n');
        }
        std::fs::write(dir.path().join("fund.csv"), fund).unwrap();
        Scene { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The national list: (保険者番号, key) per row.
    fn list(&self, rows: &[(&str, &str)]) -> &Self {
        let mut list = String::from("保険者番号,記号,番号,枝番,生年月日\n");
        for (insurer, key) in rows {
            let p: Vec<&str> = key.split('-').collect();
            list.push_str(&format!(
                "{insurer},{},{},{},1980-01-01\n",
                p[0], p[1], p[2]
            ));
        }
        std::fs::write(self.path().join("list.csv"), list).unwrap();
        self
    }

    fn reconcile(&self, extra: &[&str]) -> Outputs {
        let mut args = vec![
            "reconcile",
            "--fund",
            "fund.csv",
            "--national-list",
            "list.csv",
            "--as-of",
            "2026-11-01",
            "--out",
            "out",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn mailing(&self, document: &str, extra: &[&str]) -> Outputs {
        let mut args = vec![
            "mailing",
            "--fund",
            "fund.csv",
            "--document",
            document,
            "--base-date",
            "2026-11-01",
            "--out",
            "out",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn run(&self, args: &[&str]) -> Outputs {
        let run = shikaku_in(self.path(), args);
        assert_ne!(run.code, 2, "{}\n{}", run.stderr, run.stdout);
        let list = |name: &str| {
            let p = self.path().join("out").join(name);
            if p.exists() {
                read_list(&p)
            } else {
                Vec::new()
            }
        };
        Outputs {
            certificates: keyed(list("certificates.csv"), 0),
            returns: keyed(list("returns.csv"), 0),
            mailing: keyed(list("mailing.csv"), 1),
            codes: codes_by_key(&run.stdout),
            summary: summary(&run.stdout),
            run,
        }
    }
}

/// List rows by their 記号-番号-枝番 (starting at column `first`).
fn keyed(rows: Vec<Vec<String>>, first: usize) -> BTreeMap<String, Vec<String>> {
    rows.into_iter()
        .skip(1)
        .map(|r| (format!("{}-{}-{}", r[first], r[first + 1], r[first + 2]), r))
        .collect()
}

fn codes_by_key(stdout: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in findings(stdout) {
        let key = f["key"].as_str().unwrap_or("-").to_string();
        out.entry(key)
            .or_default()
            .push(f["code"].as_str().unwrap_or_default().to_string());
    }
    for v in out.values_mut() {
        v.sort();
    }
    out
}

struct Outputs {
    certificates: BTreeMap<String, Vec<String>>,
    returns: BTreeMap<String, Vec<String>>,
    mailing: BTreeMap<String, Vec<String>>,
    codes: BTreeMap<String, Vec<String>>,
    summary: Value,
    run: Run,
}

impl Outputs {
    fn has(&self, key: &str, code: &str) -> bool {
        self.codes
            .get(key)
            .is_some_and(|c| c.iter().any(|x| x == code))
    }

    fn blocked(&self, code: &str) -> u64 {
        self.summary["letters"]["blocked_by_reason"][code]
            .as_u64()
            .unwrap_or(0)
    }

    fn withheld(&self, code: &str) -> u64 {
        self.summary["decisions"]["withheld_by_reason"][code]
            .as_u64()
            .unwrap_or(0)
    }
}

#[test]
fn a_list_row_of_another_insurer_issues_nothing_and_raises_no_ce001() {
    let scene = Scene::new(&[fund_row("1001-1-00", &[])]);
    // 33120015 is a valid 保険者番号, another insurer's; 1001-9-00 is not in the fund.
    scene.list(&[("33120015", "1001-1-00"), ("33120015", "1001-9-00")]);
    let out = scene.reconcile(&[]);
    assert!(
        !out.certificates.contains_key("1001-1-00"),
        "no 職権 from a CE007 row"
    );
    assert!(out.has("1001-1-00", "CE006"), "{:?}", out.codes);
    assert!(!out.has("1001-9-00", "CE001"), "{:?}", out.codes);
    assert_eq!(
        findings(&out.run.stdout)
            .iter()
            .filter(|f| f["code"] == "CE007")
            .count(),
        2
    );
}

#[test]
fn a_certificate_letter_for_an_unknown_company_is_blocked() {
    let scene = Scene::new(&[
        fund_row("1001-1-00", &[("会社コード", "C99")]),
        fund_row("1001-2-00", &[]),
    ]);
    let out = scene.mailing("certificate", &[]);
    assert!(!out.mailing.contains_key("1001-1-00"), "{:?}", out.mailing);
    assert!(out.mailing.contains_key("1001-2-00"));
    assert_eq!(out.blocked("AD001"), 1, "{}", out.summary);
}

#[test]
fn excel_error_cells_are_never_printed_and_withhold_what_needs_them() {
    let scene = Scene::new(&[]);
    std::fs::copy(
        fixture("failsafe/fund-error-cells.xlsx"),
        scene.path().join("fund.xlsx"),
    )
    .unwrap();
    scene.list(&[
        ("06139992", "1001-1-00"),
        ("06139992", "1001-2-00"),
        ("06139992", "1001-3-00"),
        ("06139992", "9001-1-00"),
        ("06139992", "9002-1-00"),
    ]);
    let fund = ["--fund", "fund.xlsx"];
    let mut outputs = Vec::new();
    for document in ["notice", "certificate"] {
        let mut args = vec![
            "mailing",
            "--document",
            document,
            "--base-date",
            "2026-11-01",
            "--out",
            "out",
            "--format",
            "json",
        ];
        args.extend(fund);
        outputs.push(scene.run(&args));
    }
    let mut args = vec![
        "reconcile",
        "--national-list",
        "list.csv",
        "--as-of",
        "2026-11-01",
        "--out",
        "out",
        "--format",
        "json",
    ];
    args.extend(fund);
    outputs.push(scene.run(&args));
    let [notice, certificate, reconcile] = &outputs[..] else {
        unreachable!()
    };
    for out in &outputs {
        for row in out
            .mailing
            .values()
            .chain(out.certificates.values())
            .chain(out.returns.values())
        {
            assert!(
                row.iter()
                    .all(|c| !c.starts_with('#') && !c.contains('\u{FFFD}')),
                "an error cell printed: {row:?}"
            );
        }
    }
    // 氏名 #N/A: no letter, no certificate.
    assert!(!notice.mailing.contains_key("1001-1-00"));
    assert!(!reconcile.certificates.contains_key("1001-1-00"));
    // 住所 #REF! on a 自宅 notice: counts as empty, AD002; a certificate goes 事業主経由.
    assert!(!notice.mailing.contains_key("1001-2-00"));
    assert!(notice.has("1001-2-00", "AD002"), "{:?}", notice.codes);
    assert!(certificate.mailing.contains_key("1001-2-00"));
    // 居所 #N/A of a 任意継続 member: where they live is unknown, nothing is sent to 住所.
    assert!(!notice.mailing.contains_key("9001-1-00"));
    assert!(!reconcile.certificates.contains_key("9001-1-00"));
    // 住所 #VALUE! and no 居所: AD007.
    assert!(notice.has("9002-1-00", "AD007"), "{:?}", notice.codes);
    assert!(!reconcile.certificates.contains_key("9002-1-00"));
    // The control member gets everything.
    assert!(notice.mailing.contains_key("1001-3-00"));
    assert!(reconcile.certificates.contains_key("1001-3-00"));
    assert_eq!(notice.blocked("IN005"), 2, "{}", notice.summary);
    assert_eq!(notice.blocked("AD002") + notice.blocked("AD007"), 2);
    assert_eq!(reconcile.withheld("IN005"), 2, "{}", reconcile.summary);
    assert_eq!(reconcile.withheld("AD007"), 1, "{}", reconcile.summary);
}

#[test]
fn an_elderly_member_with_an_unreadable_share_ratio_or_birth_date_is_blocked() {
    let scene = Scene::new(&[
        // 72 on D, 負担割合 1割: IN009.
        fund_row(
            "1001-1-00",
            &[
                ("生年月日", "1954-01-10"),
                ("負担割合", "1割"),
                ("標準報酬月額", "200000"),
            ],
        ),
        // 生年月日 that is no date: neither 高齢受給者 nor the 75th birthday can be judged.
        fund_row("1001-2-00", &[("生年月日", "不明")]),
        fund_row("1001-3-00", &[]),
    ]);
    let out = scene.mailing("notice", &[]);
    assert!(out.has("1001-1-00", "IN009"), "{:?}", out.codes);
    assert!(!out.mailing.contains_key("1001-1-00"), "{:?}", out.mailing);
    assert!(!out.mailing.contains_key("1001-2-00"), "{:?}", out.mailing);
    assert!(out.mailing.contains_key("1001-3-00"));
    assert_eq!(out.blocked("IN009"), 1, "{}", out.summary);
    assert_eq!(out.blocked("BD001"), 1, "{}", out.summary);
}

#[test]
fn an_unreadable_registration_issues_no_certificate() {
    let scene = Scene::new(&[
        fund_row("1001-1-00", &[("マイナ保険証利用登録", "済")]),
        fund_row("1001-2-00", &[]),
    ]);
    scene.list(&[("06139992", "1001-1-00"), ("06139992", "1001-2-00")]);
    let out = scene.reconcile(&[]);
    assert!(out.has("1001-1-00", "IN009"));
    assert!(
        !out.certificates.contains_key("1001-1-00"),
        "{:?}",
        out.certificates
    );
    assert!(out.certificates.contains_key("1001-2-00"));
    assert_eq!(out.withheld("IN009"), 1, "{}", out.summary);
    let letters = scene.mailing("certificate", &[]);
    assert!(!letters.mailing.contains_key("1001-1-00"));
    assert_eq!(letters.blocked("IN009"), 1, "{}", letters.summary);
}

#[test]
fn a_row_with_an_unreadable_date_is_a_blocked_letter_not_a_lost_one() {
    let scene = Scene::new(&[
        fund_row("1001-1-00", &[("資格取得日", "不明")]),
        fund_row("1001-2-00", &[("資格喪失日", "R1.4.30")]),
        fund_row("1001-3-00", &[]),
        // Known inactive: not a letter, not blocked.
        fund_row("1001-4-00", &[("資格喪失日", "2020-01-01")]),
    ]);
    for document in ["notice", "certificate"] {
        let out = scene.mailing(document, &[]);
        let letters = &out.summary["letters"];
        assert_eq!(letters["planned"], 1, "{document}: {letters}");
        assert_eq!(letters["blocked"], 2, "{document}: {letters}");
        assert_eq!(out.blocked("BD001"), 1);
        assert_eq!(out.blocked("BD002"), 1);
    }
}

#[test]
fn a_voluntary_member_with_an_unknown_company_is_not_mailed() {
    let scene = Scene::new(&[
        fund_row(
            "9001-1-00",
            &[("被保険者区分", "任意継続"), ("会社コード", "C99")],
        ),
        fund_row(
            "9002-1-00",
            &[("被保険者区分", "任意継続"), ("会社コード", "")],
        ),
    ]);
    let out = scene.mailing("notice", &[]);
    assert!(out.has("9001-1-00", "AD001"));
    assert!(!out.mailing.contains_key("9001-1-00"));
    assert!(
        out.mailing.contains_key("9002-1-00"),
        "an empty code is allowed"
    );
    assert_eq!(out.blocked("AD001"), 1);
}

#[test]
fn membership_ends_on_the_75th_birthday_for_the_insured_and_the_dependents() {
    let scene = Scene::new(&[
        // Born 1951-06-10: 75 on 2026-06-10; holds a certificate valid on D.
        fund_row(
            "1001-1-00",
            &[
                ("生年月日", "1951-06-10"),
                ("資格確認書有効期限", "2028-03-31"),
            ],
        ),
        fund_row("1001-1-01", &[("生年月日", "1960-05-05")]),
        fund_row("1001-2-00", &[]),
    ]);
    scene.list(&[
        ("06139992", "1001-1-00"),
        ("06139992", "1001-1-01"),
        ("06139992", "1001-2-00"),
    ]);
    let out = scene.reconcile(&[]);
    assert!(out.has("1001-1-00", "BD006"));
    assert!(out.has("1001-1-01", "BD006"), "{:?}", out.codes);
    let dependent = findings(&out.run.stdout)
        .into_iter()
        .find(|f| f["code"] == "BD006" && f["key"] == "1001-1-01")
        .unwrap();
    assert!(
        dependent["message"]
            .as_str()
            .unwrap_or("")
            .contains("2026-06-10"),
        "names the insured person's 75th birthday: {dependent}"
    );
    assert!(!out.certificates.contains_key("1001-1-00"));
    assert!(!out.certificates.contains_key("1001-1-01"));
    // Listed but not a member: CE002 says why (not an empty 資格喪失日).
    let listed = findings(&out.run.stdout)
        .into_iter()
        .find(|f| f["code"] == "CE002" && f["key"] == "1001-1-01")
        .expect("CE002 on the listed dependent");
    let message = listed["message"].as_str().unwrap_or("");
    assert!(message.contains("reached 75 on 2026-06-10"), "{message}");
    assert_eq!(
        out.returns.get("1001-1-00").map(|r| r[4].as_str()),
        Some("資格喪失")
    );
    assert!(out.certificates.contains_key("1001-2-00"));
    for document in ["notice", "certificate"] {
        let letters = scene.mailing(document, &[]);
        assert!(!letters.mailing.contains_key("1001-1-00"), "{document}");
        assert!(!letters.mailing.contains_key("1001-1-01"), "{document}");
        assert!(letters.mailing.contains_key("1001-2-00"), "{document}");
        assert_eq!(
            letters.summary["letters"]["blocked"], 0,
            "known inactive: not blocked"
        );
    }
}

#[test]
fn base_date_on_the_command_line_dates_voluntary_households_too() {
    let scene = Scene::new(&[
        // Joined 2026-11-10: not a member on 2026-11-01, a member on 2026-11-14.
        fund_row(
            "9001-1-00",
            &[
                ("被保険者区分", "任意継続"),
                ("会社コード", ""),
                ("資格取得日", "2026-11-10"),
            ],
        ),
    ]);
    let checks = "notice_base_date = 2026-10-31\nnotice_base_date_individual = 2026-11-14\n";
    std::fs::write(scene.path().join("rules/checks.toml"), checks).unwrap();
    let out = scene.mailing("notice", &[]);
    assert!(
        !out.mailing.contains_key("9001-1-00"),
        "judged on 2026-11-01"
    );
    assert_eq!(
        out.summary["base_dates"],
        serde_json::json!({"general": "2026-11-01", "individual": "2026-11-01"})
    );
    let human = shikaku_in(
        scene.path(),
        &[
            "mailing",
            "--fund",
            "fund.csv",
            "--document",
            "notice",
            "--base-date",
            "2026-11-01",
        ],
    );
    assert!(
        human
            .stdout
            .contains("base date 2026-11-01 (任意継続/特例退職 2026-11-01)"),
        "the summary prints both dates: {}",
        human.stdout
    );
    let explicit = scene.mailing("notice", &["--base-date-individual", "2026-11-14"]);
    assert!(explicit.mailing.contains_key("9001-1-00"));
}

mod property {
    //! Fund rows with random unreadable values in any decision field (issue 10, "Done when").
    use super::*;
    use proptest::prelude::*;

    /// One field's value: read cleanly, empty, or not readable (bytes that are not CP932, or a
    /// value outside the field's format).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum V {
        Good,
        Other,
        Empty,
        Bad,
    }

    fn v() -> impl Strategy<Value = V> {
        prop_oneof![4 => Just(V::Good), 1 => Just(V::Other), 1 => Just(V::Empty), 2 => Just(V::Bad)]
    }

    #[derive(Clone, Debug)]
    struct Member {
        acquired: V,
        lost: V,
        birth: V,
        registered: V,
        certificate: V,
        name: V,
        company: V,
        kind: V,
        postal: V,
        address: V,
        residence: V,
    }

    fn member() -> impl Strategy<Value = Member> {
        (v(), v(), v(), v(), v(), v(), v(), v(), v(), v(), v()).prop_map(
            |(
                acquired,
                lost,
                birth,
                registered,
                certificate,
                name,
                company,
                kind,
                postal,
                address,
                residence,
            )| Member {
                acquired,
                lost,
                birth,
                registered,
                certificate,
                name,
                company,
                kind,
                postal,
                address,
                residence,
            },
        )
    }

    /// A lone CP932 lead byte before the delimiter: IN001, the cell cannot be read.
    const UNDECODABLE: &str = "\u{1}";

    impl Member {
        fn cells(&self) -> Vec<(&'static str, &'static str)> {
            let pick = |v: V, good: &'static str, other: &'static str, bad: &'static str| match v {
                V::Good => good,
                V::Other => other,
                V::Empty => "",
                V::Bad => bad,
            };
            vec![
                (
                    "資格取得日",
                    pick(self.acquired, "2010-04-01", "2030-01-01", "不明"),
                ),
                ("資格喪失日", pick(self.lost, "", "2020-01-01", "R1.4.30")),
                (
                    "生年月日",
                    pick(self.birth, "1980-01-01", "1985-05-05", "19800231"),
                ),
                (
                    "マイナ保険証利用登録",
                    pick(self.registered, "0", "1", "済"),
                ),
                (
                    "資格確認書有効期限",
                    pick(self.certificate, "", "2026-12-01", "不明"),
                ),
                (
                    "氏名",
                    pick(self.name, "山田　太郎", "佐藤　花子", "山田\u{1}"),
                ),
                ("会社コード", pick(self.company, "C01", "C02", "C0\u{1}")),
                ("被保険者区分", pick(self.kind, "一般", "任意継続", "任継")),
                (
                    "郵便番号",
                    pick(self.postal, "1000005", "1040061", "10\u{1}"),
                ),
                (
                    "住所",
                    pick(
                        self.address,
                        "東京都千代田区丸の内一丁目1番1号",
                        "東京都中央区銀座一丁目8番1号",
                        "東京都\u{1}",
                    ),
                ),
                (
                    "居所",
                    pick(
                        self.residence,
                        "",
                        "神奈川県藤沢市片瀬海岸一丁目9番3号",
                        "神奈川県\u{1}",
                    ),
                ),
            ]
        }

        fn unreadable(&self, field: &str) -> bool {
            self.cells().iter().any(|(h, v)| {
                *h == field
                    && (v.contains(UNDECODABLE)
                        || matches!(*v, "不明" | "R1.4.30" | "19800231" | "済" | "任継"))
            })
        }

        /// Inactive on D = 2026-11-01 by a date that was read.
        fn known_inactive(&self) -> bool {
            self.acquired == V::Other || self.lost == V::Other
        }
    }

    /// The fund as CP932 bytes: households of one or two members.
    fn fund_bytes(households: &[Vec<Member>]) -> Vec<u8> {
        let mut text = format!("{FUND_HEADER}\n");
        for (h, members) in households.iter().enumerate() {
            for (b, m) in members.iter().enumerate() {
                let key = format!("1001-{}-{b:02}", h + 1);
                let mut cells = m.cells();
                let residence_postal = if m.residence == V::Empty {
                    ""
                } else {
                    "2510035"
                };
                cells.push(("居所郵便番号", residence_postal));
                text.push_str(&fund_row(&key, &cells));
                text.push('\n');
            }
        }
        let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode(&text);
        assert!(!bad);
        bytes
            .iter()
            .map(|b| if *b == 0x01 { 0x81 } else { *b })
            .collect()
    }

    const COMPANIES_2: &str = r#"
[[company]]
code = "C02"
name = "さくら物産株式会社"
notice_route = "office"
office_postal_code = "1040061"
office_address = "東京都中央区銀座一丁目8番1号"
"#;

    fn check(households: Vec<Vec<Member>>) {
        let scene = Scene::new(&[]);
        std::fs::write(scene.path().join("fund.csv"), fund_bytes(&households)).unwrap();
        std::fs::write(
            scene.path().join("rules/companies.toml"),
            format!("{COMPANIES}{COMPANIES_2}"),
        )
        .unwrap();
        let keys: Vec<(String, &Member, &Member)> = households
            .iter()
            .enumerate()
            .flat_map(|(h, ms)| {
                ms.iter()
                    .enumerate()
                    .map(move |(b, m)| (format!("1001-{}-{b:02}", h + 1), m, &ms[0]))
            })
            .collect();
        let listed: Vec<(&str, &str)> = keys
            .iter()
            .map(|(k, _, _)| ("06139992", k.as_str()))
            .collect();
        scene.list(&listed);
        let utf8 = ["--encoding", "utf8"];
        let runs = [
            ("reconcile", scene.reconcile(&utf8)),
            ("notice", scene.mailing("notice", &utf8)),
            ("certificate", scene.mailing("certificate", &utf8)),
        ];
        for (what, out) in &runs {
            for row in out
                .mailing
                .values()
                .chain(out.certificates.values())
                .chain(out.returns.values())
            {
                for cell in row {
                    assert!(
                        !cell.contains('\u{FFFD}') && !cell.starts_with('#'),
                        "{what}: {row:?}"
                    );
                }
            }
            for (key, m, insured) in &keys {
                let dated = ["資格取得日", "資格喪失日", "生年月日"]
                    .iter()
                    .any(|f| m.unreadable(f))
                    || insured.unreadable("生年月日");
                let company =
                    insured.unreadable("会社コード") || insured.unreadable("被保険者区分");
                let issued = out.certificates.contains_key(key)
                    || (*what == "certificate" && out.mailing.contains_key(key));
                let mailed = out.mailing.contains_key(key);
                if m.unreadable("マイナ保険証利用登録") || dated || company {
                    assert!(!issued, "{what}: {key} issued: {m:?}");
                }
                if dated || company || m.unreadable("氏名") {
                    assert!(!mailed && !issued, "{what}: {key} listed: {m:?}");
                }
            }
        }
        for (what, out) in &runs[1..] {
            let expected = keys
                .iter()
                .filter(|(_, m, _)| !m.known_inactive())
                .filter(|(_, m, _)| *what == "notice" || m.registered != V::Other)
                .count() as u64;
            let letters = &out.summary["letters"];
            let total =
                letters["planned"].as_u64().unwrap_or(0) + letters["blocked"].as_u64().unwrap_or(0);
            assert_eq!(total, expected, "{what}: {letters}");
            assert_eq!(
                letters["planned"].as_u64(),
                Some(out.mailing.len() as u64),
                "{what}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 64, ..ProptestConfig::default() })]
        #[test]
        fn unreadable_values_never_become_decisions(
            households in prop::collection::vec(prop::collection::vec(member(), 1..=2), 1..=6)
        ) {
            check(households);
        }
    }
}

#[test]
fn a_key_that_cannot_be_read_is_no_key() {
    // 番号 with a byte that is not CP932: the row is rejected and its findings carry no key
    // (SPEC §6), never the placeholder text.
    let scene = Scene::new(&[]);
    let text = format!("{FUND_HEADER}\n{}\n", fund_row("1001-1\u{1}-00", &[]));
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let bytes: Vec<u8> = bytes
        .iter()
        .map(|b| if *b == 1 { 0x81 } else { *b })
        .collect();
    std::fs::write(scene.path().join("fund.csv"), bytes).unwrap();
    let run = shikaku_in(
        scene.path(),
        &["check", "--kind", "fund", "fund.csv", "--format", "json"],
    );
    let all = findings(&run.stdout);
    assert!(all.iter().any(|f| f["code"] == "IN001"), "{}", run.stdout);
    for f in &all {
        assert!(f["key"].is_null(), "{f}");
    }
    assert_eq!(summary(&run.stdout)["rows"]["fund.csv"]["rejected"], 1);
}
