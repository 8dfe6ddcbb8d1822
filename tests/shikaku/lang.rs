//! The two languages: Japanese by default, English with `--lang en` or SHIKAKU_LANG=en, and
//! machine output the same in both.

use crate::common::*;
use serde_json::Value;

/// Three or more ASCII words in a row — an English sentence — outside `code spans`. Paths,
/// codes, option names and value lists (`--format json`, `human、json`) do not trip it.
pub fn english_sentences(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut plain = String::new();
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                plain.push_str(part);
                plain.push(' ');
            }
        }
        let is_word = |w: &str| {
            let w = w.trim_matches(|c: char| ",.:;!?()'\"".contains(c));
            w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic())
        };
        let words: Vec<&str> = plain.split(' ').collect();
        if words.windows(3).any(|w| w.iter().all(|x| is_word(x))) {
            found.push(line.to_string());
        }
    }
    found
}

#[test]
fn the_sentence_detector_finds_english_and_passes_japanese() {
    assert_eq!(english_sentences("the file has a header").len(), 1);
    assert!(english_sentences("組合「ヤマダ」、事業主 --format json").is_empty());
    assert!(english_sentences("`shikaku inspect FILE --kind KIND` で確認").is_empty());
}

#[test]
fn check_on_every_sample_file_reports_in_japanese_by_default() {
    let rules = root().join("rules").display().to_string();
    for (kind, file) in [
        ("fund", sample("fund.csv")),
        ("employer", sample("employers")),
        ("national-list", sample("national-list.csv")),
        ("national-registry", sample("national-registry.csv")),
    ] {
        let run = shikaku_default(&[
            "check",
            "--kind",
            kind,
            &file,
            "--as-of",
            "2026-11-01",
            "--rules",
            &rules,
        ]);
        assert!(run.code == 0 || run.code == 1, "{kind}: {}", run.stderr);
        assert!(run.stdout.contains("集計\n"), "{kind}: {}", run.stdout);
        let english = english_sentences(&format!("{}{}", run.stdout, run.stderr));
        assert!(english.is_empty(), "{kind}: {english:#?}");
    }
}

#[test]
fn reconcile_and_mailing_report_in_japanese_by_default() {
    let (fund, list, registry, employers) = (
        sample("fund.csv"),
        sample("national-list.csv"),
        sample("national-registry.csv"),
        sample("employers"),
    );
    let out = tempdir();
    let out = out.path().display().to_string();
    let runs = [
        vec![
            "reconcile",
            "--fund",
            &fund,
            "--national-list",
            &list,
            "--national-registry",
            &registry,
            "--employer",
            &employers,
            "--as-of",
            "2026-11-01",
            "--out",
            &out,
        ],
        vec![
            "mailing",
            "--fund",
            &fund,
            "--employer",
            &employers,
            "--document",
            "notice",
        ],
        vec![
            "mailing",
            "--fund",
            &fund,
            "--employer",
            &employers,
            "--document",
            "certificate",
        ],
    ];
    for args in runs {
        let run = shikaku_default(&args);
        assert!(run.code == 0 || run.code == 1, "{args:?}: {}", run.stderr);
        let english = english_sentences(&format!("{}{}", run.stdout, run.stderr));
        assert!(english.is_empty(), "{}: {english:#?}", args[0]);
    }
}

#[test]
fn every_explain_page_and_every_help_is_japanese_by_default() {
    let rules = shikaku_default(&["rules"]);
    assert_eq!(rules.code, 0);
    let codes: Vec<&str> = rules
        .stdout
        .lines()
        .filter_map(|l| l.split(' ').next())
        .collect();
    assert_eq!(codes.len(), 47);
    assert!(
        english_sentences(&rules.stdout).is_empty(),
        "{}",
        rules.stdout
    );
    for code in codes {
        let page = shikaku_default(&["explain", code]);
        assert_eq!(page.code, 0, "{code}");
        for heading in ["## 確認する内容", "## 確認する理由", "## 例", "## 対処方法"]
        {
            assert!(page.stdout.contains(heading), "{code}: {heading}");
        }
        let english = english_sentences(&page.stdout);
        assert!(english.is_empty(), "{code}: {english:#?}");
    }
    for command in [
        "",
        "reconcile",
        "mailing",
        "check",
        "inspect",
        "explain",
        "rules",
    ] {
        let args: Vec<&str> = [command, "--help"]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let help = shikaku_default(&args);
        assert_eq!(help.code, 0, "{command}");
        let english = english_sentences(&help.stdout);
        assert!(english.is_empty(), "{command}: {english:#?}");
    }
}

#[test]
fn lang_en_and_shikaku_lang_choose_english_and_the_option_wins() {
    let args = [
        "check",
        "--kind",
        "fund",
        "tests/fixtures/report/fund.csv",
        "--as-of",
        "2026-11-01",
    ];
    let ja = shikaku_default(&args);
    assert!(ja.stdout.contains("\n集計\n") && ja.stdout.contains("終了コード 1"));
    let mut en_args = args.to_vec();
    en_args.extend(["--lang", "en"]);
    let en = shikaku_default(&en_args);
    assert!(en.stdout.contains("\nSummary\n") && en.stdout.contains("exit code 1"));
    let env = shikaku_env(&args, &[("SHIKAKU_LANG", "en")]);
    assert_eq!(env.stdout, en.stdout);
    let mut ja_args = args.to_vec();
    ja_args.extend(["--lang", "ja"]);
    let option_wins = shikaku_env(&ja_args, &[("SHIKAKU_LANG", "en")]);
    assert_eq!(option_wins.stdout, ja.stdout);
    assert_eq!((ja.code, en.code), (1, 1));
}

/// A JSON line without the texts people read.
fn without_texts(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("message");
        o.remove("label");
        for (_, child) in o.iter_mut() {
            *child = without_texts(child.take());
        }
    } else if let Some(a) = v.as_array_mut() {
        for child in a.iter_mut() {
            *child = without_texts(child.take());
        }
    }
    v
}

#[test]
fn json_and_lists_do_not_change_with_the_language_but_messages_do() {
    let dir = tempdir();
    let (ja_out, en_out) = (dir.path().join("ja"), dir.path().join("en"));
    let run = |lang: &str, out: &std::path::Path| {
        shikaku_default(&[
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
            "2026-11-01",
            "--format",
            "json",
            "--out",
            &out.display().to_string(),
            "--lang",
            lang,
        ])
    };
    let (ja, en) = (run("ja", &ja_out), run("en", &en_out));
    assert_eq!(ja.code, en.code);
    let (ja_lines, en_lines) = (json_lines(&ja.stdout), json_lines(&en.stdout));
    assert_eq!(ja_lines.len(), en_lines.len());
    let mut messages_differ = 0;
    for (a, b) in ja_lines.iter().zip(&en_lines) {
        assert_eq!(without_texts(a.clone()), without_texts(b.clone()));
        if a["type"] == "finding" && a["message"] != b["message"] {
            messages_differ += 1;
        }
    }
    assert!(messages_differ > 40, "{messages_differ} messages differ");
    for list in ["certificates.csv", "returns.csv"] {
        let a = std::fs::read(ja_out.join(list)).expect(list);
        let b = std::fs::read(en_out.join(list)).expect(list);
        assert_eq!(a, b, "{list}");
    }
    assert_no_full_my_number(&ja, Some(&ja_out));
}
