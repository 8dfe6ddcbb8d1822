//! The human report, pinned: no colour, fixed width (the binary draws without colour when
//! stdout is not a terminal, at $COLUMNS = 100 here), relative paths so snapshots are stable.

use crate::common::*;

/// The report in the default language (Japanese).
fn human(args: &[&str]) -> String {
    checked(shikaku_default(args))
}

/// The report in English.
fn human_en(args: &[&str]) -> String {
    checked(shikaku(args))
}

fn checked(run: Run) -> String {
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_no_full_my_number(&run, None);
    run.stdout
}

#[test]
fn csv_rows_are_rendered_with_the_cell_underlined_and_my_number_masked() {
    let args = [
        "check",
        "--kind",
        "fund",
        "tests/fixtures/report/fund.csv",
        "--as-of",
        "2026-11-01",
    ];
    let (out, en) = (human(&args), human_en(&args));
    // The fixture's row 2 holds a valid 12-digit My Number; the report shows only its last 4.
    assert!(out.contains("********") && en.contains("********"));
    assert!(out.contains("fund.csv 3行目、個人番号]"), "{out}");
    insta::assert_snapshot!("csv_fund_report", out);
    insta::assert_snapshot!("csv_fund_report_en", en);
}

#[test]
fn workbook_rows_are_rendered_compactly_with_their_cell_reference() {
    let args = [
        "check",
        "--kind",
        "employer",
        "sample-data/employers/c01-sakura-shoji.xlsx",
        "--as-of",
        "2026-11-01",
    ];
    let (out, en) = (human(&args), human_en(&args));
    assert!(out.contains("被保険者一覧!J23") && en.contains("被保険者一覧!J23"));
    insta::assert_snapshot!("xlsx_employer_report", out);
    insta::assert_snapshot!("xlsx_employer_report_en", en);
}

#[test]
fn cross_source_findings_show_the_other_sources_cell() {
    let args = [
        "reconcile",
        "--fund",
        "sample-data/fund.csv",
        "--national-list",
        "sample-data/national-list.csv",
        "--national-registry",
        "sample-data/national-registry.csv",
        "--employer",
        "sample-data/employers",
        "--as-of",
        "2026-11-01",
        "--max-per-code",
        "1",
    ];
    let (out, en) = (human(&args), human_en(&args));
    assert!(
        out.contains("関連：\n  ☞ 国の登録情報の下4桁は 0000"),
        "{out}"
    );
    assert!(
        en.contains("Advice: \n  ☞ national-registry has 下4桁 0000"),
        "{en}"
    );
    // One snapshot per rule family (and one for the summary), so a change to one message
    // touches the snapshot of its family only.
    for (lang, text) in [("ja", &out), ("en", &en)] {
        let parts = families(text);
        assert!(parts.len() >= 8, "{lang}: {:?}", parts.keys());
        for (family, part) in parts {
            insta::assert_snapshot!(format!("reconcile_{family}_{lang}"), part);
        }
    }
}

/// The rendered report cut into its diagnostics by rule family (`IN`, `ID`, …), each in the
/// report's order, and the rest (`summary`: the caps and the summary table).
fn families(report: &str) -> std::collections::BTreeMap<String, String> {
    let mut out: std::collections::BTreeMap<String, String> = Default::default();
    let mut current = String::from("summary");
    for line in report.split_inclusive('\n') {
        let head = line.split_whitespace().next().unwrap_or("");
        let is_code = head.len() == 5
            && head[..2].bytes().all(|b| b.is_ascii_uppercase())
            && head[2..].bytes().all(|b| b.is_ascii_digit())
            && line.split_whitespace().count() == 2;
        if is_code {
            current = head[..2].to_string();
        } else if line.starts_with('…') || line.starts_with("Summary") || line.starts_with("概要")
        {
            current = "summary".into();
        }
        out.entry(current.clone()).or_default().push_str(line);
    }
    out
}

#[test]
fn many_findings_of_one_code_are_capped_with_a_count_of_the_rest() {
    let dir = tempdir();
    let mut text = String::from("記号,番号,枝番,氏名,生年月日,被保険者区分,性別\n");
    for i in 1..=30 {
        text.push_str(&format!("1001,{i},00,山田,1980-01-01,一般,9\n"));
    }
    let f = dir.path().join("fund.csv");
    std::fs::write(&f, text).unwrap();
    let run = shikaku(&[
        "check",
        "--kind",
        "fund",
        &f.display().to_string(),
        "--as-of",
        "2026-11-01",
        "--max-per-code",
        "3",
    ]);
    assert_eq!(
        run.stdout.matches("IN009 error\n").count(),
        3,
        "three diagnostics"
    );
    assert!(
        run.stdout.contains("… 27 more IN009 finding(s) not shown"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("IN009 error       30"),
        "the summary counts them all: {}",
        run.stdout
    );
    let json = shikaku(&[
        "check",
        "--kind",
        "fund",
        &f.display().to_string(),
        "--as-of",
        "2026-11-01",
        "--max-per-code",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(findings(&json.stdout).len(), 30, "JSON keeps all");
}

/// Display columns of a terminal line (a kanji or full-width kana takes two).
fn columns(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// Where miette draws the underline of `value` in the snippet that shows it: (the value's
/// display column in the row, the underline's column, the underline's width).
fn underline_of(report: &str, value: &str) -> (usize, usize, usize) {
    let lines: Vec<&str> = report.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.contains(" │ ") && l.ends_with(value))
        .unwrap_or_else(|| panic!("no row ending in {value}:\n{report}"));
    let row = lines[i];
    let at = columns(&row[..row.len() - value.len()]);
    let under = lines[i + 1];
    let start = under
        .find(['─', '┬'])
        .unwrap_or_else(|| panic!("no underline under {row}"));
    let drawn = under[start..]
        .chars()
        .take_while(|c| matches!(c, '─' | '┬'))
        .count();
    (at, columns(&under[..start]), drawn)
}

#[test]
fn the_underline_sits_under_the_cell_in_display_columns() {
    let dir = tempdir();
    let f = dir.path().join("fund.csv");
    std::fs::write(
        &f,
        "記号,番号,枝番,氏名,氏名カナ,生年月日,被保険者区分,性別\n\
         1001,1,00,山田　花子,ﾔﾏﾀﾞ ﾊﾟｸ,昭和55年1月1日,一般,３\n",
    )
    .unwrap();
    let path = f.display().to_string();
    let args = ["check", "--kind", "fund", &path, "--as-of", "2026-11-01"];
    for out in [human(&args), human_en(&args)] {
        // 性別 「３」 (full width, NFKC 3) is IN009: the underline is under it, two columns wide,
        // after the kanji, the full-width space and the half-width kana before it (miette
        // alone counted ﾞ and ﾟ as no column and drew it two columns to the left).
        let (at, under, width) = underline_of(&out, "３");
        assert_eq!(
            (under, width),
            (at, 2),
            "at {at}, under {under}, width {width}: {out}"
        );
    }
    // A workbook row: the key cells and 氏名 in kanji come before the cell in question.
    let args = [
        "check",
        "--kind",
        "employer",
        "sample-data/employers/c01-sakura-shoji.xlsx",
        "--as-of",
        "2026-11-01",
    ];
    for out in [human(&args), human_en(&args)] {
        let (at, under, width) = underline_of(&out, "#N/A");
        assert_eq!((under, width), (at, 4), "{out}");
        let (at, under, width) = underline_of(&out, "0600001");
        assert_eq!((under, width), (at, 7), "{out}");
    }
}

#[test]
fn messages_and_help_wrap_at_the_width_in_display_columns() {
    let args = [
        "reconcile",
        "--fund",
        "sample-data/fund.csv",
        "--national-list",
        "sample-data/national-list.csv",
        "--national-registry",
        "sample-data/national-registry.csv",
        "--employer",
        "sample-data/employers",
        "--as-of",
        "2026-11-01",
        "--max-per-code",
        "1",
        "--lang",
    ];
    for lang in ["ja", "en"] {
        let mut with_lang = args.to_vec();
        with_lang.push(lang);
        let run = shikaku_env(&with_lang, &[("COLUMNS", "60")]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        // Messages (× ⚠ ☞ and their │ continuation) and help (and its indented continuation)
        // are wrapped by miette; the rows themselves and the summary are not.
        let wrapped: Vec<&str> = run
            .stdout
            .lines()
            .filter(|l| {
                ["  × ", "  ⚠ ", "  ☞ ", "  │ ", "  help: ", "  対処："]
                    .iter()
                    .any(|p| l.starts_with(p))
                    || (l.starts_with("        ") && !l.trim_start().starts_with(['·', '╰', '╭']))
            })
            .filter(|l| !l.starts_with("          sample-data/"))
            .collect();
        assert!(
            wrapped.iter().any(|l| l.starts_with("  │ ")),
            "{lang}: nothing wrapped"
        );
        for line in wrapped {
            assert!(
                columns(line) <= 60,
                "{lang}: {} columns: {line}",
                columns(line)
            );
        }
    }
}
