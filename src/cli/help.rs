//! `--help` in both languages: one catalogue of every command's and option's help text, put on
//! the clap command that `Cli` derives (derive's doc comments are fixed at compile time), and
//! clap's own words — headings, defaults, possible values, usage errors — in Japanese.
//!
//! Adding an option or a command: add its row to [`CATALOGUE`], in both languages. The test
//! below walks every command and argument and fails for one without its row.

use crate::i18n::{Lang, Tr};
use clap::Command;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::fmt::Write;

/// One help text and where it goes.
pub struct Entry {
    /// `""` is shikaku itself; `"reconcile"` a command; `"--quiet"` an option wherever it
    /// appears; `"mailing --out"` an option of one command (it wins over `"--out"`);
    /// `"check <files>"` a positional argument, by its id.
    pub at: &'static str,
    pub help: Tr,
}

const fn e(at: &'static str, ja: &'static str, en: &'static str) -> Entry {
    Entry {
        at,
        help: Tr::new(ja, en),
    }
}

/// shikaku's own longer description (`shikaku --help`).
const LONG_ABOUT: Tr = Tr::new(
    "組合の加入者台帳、事業主の Excel・CSV、国のシステムの CP932 の CSV を読み、問題をファイル・シート・行・セルまで示して報告します。あわせて、職員が対応に使う一覧（交付・回収する資格確認書、資格情報のお知らせの送付一覧）を書き出します。",
    "shikaku reads the fund's member master, employers' Excel/CSV extracts and the national system's CP932 CSV files, reports every problem with its file, sheet, row and cell, and writes the lists staff act on: 資格確認書 to issue and to recover, and the mailing manifest for 資格情報のお知らせ.",
);

/// Every help text of the command line.
pub static CATALOGUE: &[Entry] = &[
    e(
        "",
        "資格 — 健康保険組合の資格データの確認と突合",
        "資格 — eligibility data checks and reconciliation for a 健康保険組合",
    ),
    e(
        "reconcile",
        "毎月の職権交付対象者リストとの突合：資格確認書の交付と返納の一覧",
        "Monthly reconciliation against the national 職権交付対象者リスト: certificates and returns",
    ),
    e(
        "mailing",
        "一斉送付の前の確認と送付一覧（資格情報のお知らせ または 資格確認書）",
        "Pre-mailing checks and the mailing manifest (資格情報のお知らせ or 資格確認書)",
    ),
    e(
        "check",
        "ファイルごとの確認（CI 用）：終了コード、JSON の指摘、ベースライン",
        "Single-file checks for a CI gate: exit code, JSON findings, baseline",
    ),
    e(
        "inspect",
        "ファイルの読み方を表示：文字コード、シート、見出し行、見出しと項目の対応、先頭の行",
        "Show how a file is read: encoding, sheets, header row, header → field mapping, first rows",
    ),
    e(
        "explain",
        "ルールの説明を表示",
        "Print a rule's documentation",
    ),
    e(
        "rules",
        "すべてのルールの一覧：コード、重大度、概要",
        "List every rule: code, severity, summary",
    ),
    e(
        "help",
        "このヘルプ、または指定したコマンドのヘルプを表示",
        "Print this message or the help of the given subcommand(s)",
    ),
    e(
        "--help",
        "ヘルプを表示",
        "Print help (see more with '--help')",
    ),
    e("--version", "バージョンを表示", "Print version"),
    e(
        "--lang",
        "表示する言語：ja（既定）または en。環境変数 SHIKAKU_LANG でも指定できます。JSON のキー、コード、一覧は言語によって変わりません",
        "Language of everything shikaku prints for people: ja (default) or en. Also SHIKAKU_LANG. JSON keys, codes and the lists do not change with it",
    ),
    e(
        "--rules",
        "columns.toml、companies.toml、checks.toml（と postal_codes.tsv）を置くディレクトリ。省略時は ./rules があればそれを使います",
        "Directory of columns.toml, companies.toml, checks.toml (and postal_codes.tsv). Default ./rules when it exists",
    ),
    e(
        "--as-of",
        "基準日（省略時は今日、日本時間）。2026-11-01、R8.11.1 など、shikaku が読めるどの書き方でも指定できます",
        "Evaluation date D (default: today in Asia/Tokyo). Any date form shikaku reads: 2026-11-01, R8.11.1 …",
    ),
    e(
        "--format",
        "標準出力に出す報告の形式：human（人が読む報告）、json（1行に1件）、junit（CI 用の JUnit XML）、sarif（SARIF 2.1.0）",
        "The report on stdout: human, json (one object per line), junit (JUnit XML for CI) or sarif (SARIF 2.1.0)",
    ),
    e(
        "--fail-on",
        "この重大度以上の指摘が残ったとき、終了コードを 1 にします",
        "Exit 1 when a finding at or above this severity remains",
    ),
    e(
        "--max-per-code",
        "人が読む報告に表示する、コードごとの指摘の件数（JSON にはすべて出力します）",
        "Findings shown per code in the human report (JSON keeps all)",
    ),
    e(
        "--input-encoding",
        "CSV の入力の文字コード：auto（BOM があれば BOM に従い、なければ UTF-8 として正しければ UTF-8、それ以外は CP932）、cp932、utf8（BOM があれば BOM に従います）",
        "Encoding of CSV inputs: auto (BOM, else UTF-8 if valid, else CP932), cp932, utf8 (a BOM wins)",
    ),
    e(
        "--encoding",
        "--out に書き出す一覧の文字コード：cp932（改行は CRLF）、utf8、utf8-bom",
        "Encoding of the lists written to --out: cp932 (CRLF), utf8, utf8-bom",
    ),
    e(
        "--xlsx",
        "各一覧を .xlsx でも書き出します（セルはすべて文字列なので、コードの先頭の0が消えません）",
        "Also write each list as .xlsx (every cell text, so no code loses a leading zero)",
    ),
    e("--quiet", "進捗を表示しません", "No progress bars"),
    e(
        "--employer-workbooks",
        "--out の 事業所別/ に、事業所ごとの訂正依頼ブックを書き出します（事業主が直せない指摘は 組合内.xlsx に）",
        "Also write one correction workbook per company into DIR/事業所別/ (and 組合内.xlsx for the fund's own)",
    ),
    e(
        "--wait",
        "同じ --out に別の実行が書き出している間は、終了コード 2 で止めずに終わるのを待ちます",
        "When another run is writing into the same --out, wait for it instead of exiting 2",
    ),
    e(
        "--fund",
        "組合の加入者台帳（CSV または Excel）",
        "The fund's member master (CSV or Excel)",
    ),
    e(
        "--national-list",
        "職権交付対象者リスト（CP932 の CSV）",
        "職権交付対象者リスト (CP932 CSV)",
    ),
    e(
        "--national-registry",
        "国の登録情報（CP932 の CSV）",
        "The national qualification registry (CP932 CSV)",
    ),
    e(
        "--employer",
        "事業主のデータ：ファイル、またはディレクトリ（直下の .xlsx/.xls/.xlsb/.ods/.csv をすべて読みます）。何度でも指定できます",
        "Employer extracts: files, or directories (every .xlsx/.xls/.xlsb/.ods/.csv directly in them)",
    ),
    e(
        "reconcile --out",
        "certificates.csv、returns.csv、findings.json を書き出すディレクトリ",
        "Write certificates.csv, returns.csv and findings.json here",
    ),
    e(
        "mailing --document",
        "送付する書類：notice（資格情報のお知らせ）または certificate（資格確認書）",
        "The document to mail",
    ),
    e(
        "mailing --base-date",
        "一般の世帯の基準日（省略時は checks.toml の notice_base_date、なければ --as-of）",
        "Base date for 一般 households (default notice_base_date in checks.toml, else --as-of)",
    ),
    e(
        "mailing --base-date-individual",
        "任意継続・特例退職の世帯の基準日（省略時は notice_base_date_individual、なければ一般の世帯の基準日）",
        "Base date for 任意継続/特例退職 households (default notice_base_date_individual, else the base date)",
    ),
    e(
        "mailing --out",
        "mailing.csv と findings.json を書き出すディレクトリ",
        "Write mailing.csv and findings.json here",
    ),
    e(
        "--kind",
        "ファイルの種類：fund（組合の加入者台帳）、employer（事業主）、national-list（職権交付対象者リスト）、national-registry（国の登録情報）",
        "The kind of source file",
    ),
    e(
        "check <files>",
        "確認するファイル（employer ではディレクトリも指定できます）",
        "Files (or, for employer, directories) to check",
    ),
    e(
        "check --out",
        "findings.json を書き出すディレクトリ",
        "Write findings.json here",
    ),
    e(
        "check --baseline",
        "このベースラインにある指摘を抑止します（code、kind、key、column の JSON を1行に1件）",
        "Suppress findings listed in this baseline (JSON lines of code, kind, key, column)",
    ),
    e(
        "check --write-baseline",
        "現在の指摘を、ベースラインとしてこのファイルに書き出します",
        "Write the current findings as a baseline to this file",
    ),
    e(
        "inspect <file>",
        "読み方を確認するファイル",
        "The file to inspect",
    ),
    e(
        "inspect --rows",
        "読み込んだあとに表示するデータ行の数",
        "Data rows to show after reading",
    ),
    e(
        "explain <code>",
        "ルールのコード（例：MN001）",
        "Rule code, e.g. MN001",
    ),
];

/// The catalogue row for `at`, if any.
pub fn find(at: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| e.at == at)
}

/// Where an argument's help is looked up: its own command's row first, then the shared one.
fn arg_keys(command: &str, arg: &clap::Arg) -> [String; 2] {
    let name = match arg.get_long() {
        Some(long) => format!("--{long}"),
        None => format!("<{}>", arg.get_id()),
    };
    [format!("{command} {name}").trim().to_string(), name]
}

pub fn arg_help(command: &str, arg: &clap::Arg) -> Option<&'static Entry> {
    arg_keys(command, arg).iter().find_map(|k| find(k))
}

/// The command with every help text in `lang`, clap's headings included. Built first so the
/// arguments clap adds itself (--help, --version, the help command) are there to be given
/// their text too.
pub fn localize(cmd: Command, lang: Lang) -> Command {
    // The root's long description before building: clap decides then whether `--help` is
    // the long form.
    let about = find("").map(|root| root.help.get_in(lang));
    let mut cmd = cmd.about(about).long_about(LONG_ABOUT.get_in(lang));
    cmd.build();
    localize_tree(cmd, "", lang)
}

fn localize_tree(mut cmd: Command, path: &str, lang: Lang) -> Command {
    let ids: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |arg| localize_arg(arg, path, lang));
    }
    if lang == Lang::Ja {
        cmd = japanese_layout(cmd);
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let help = find(&name).map(|e| e.help.get_in(lang));
        // The help command's copies of the others (`shikaku help reconcile`) are not walked:
        // clap shows the real command's help for them.
        let inner = if name == "help" {
            None
        } else {
            Some(name.clone())
        };
        cmd = cmd.mut_subcommand(&name, |sub| {
            let sub = match help {
                Some(h) => sub.about(h),
                None => sub,
            };
            match &inner {
                Some(n) => localize_tree(sub, n, lang),
                None => sub,
            }
        });
    }
    cmd
}

fn localize_arg(mut arg: clap::Arg, command: &str, lang: Lang) -> clap::Arg {
    let Some(entry) = arg_help(command, &arg) else {
        return arg;
    };
    let mut help = entry.help.get_in(lang).to_string();
    if lang == Lang::En && arg.get_id() == "help" {
        // clap's own --help says how to reach its other form ("see more with '--help'").
        return arg;
    }
    arg = arg.long_help(None::<&str>);
    if lang == Lang::Ja {
        // clap writes these two in English: say them here instead.
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        let takes_value = arg.get_action().takes_values();
        if takes_value && !defaults.is_empty() && !arg.is_hide_default_value_set() {
            let _ = write!(help, "［既定値：{}］", defaults.join("、"));
        }
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        if !values.is_empty() && !arg.is_hide_possible_values_set() {
            let _ = write!(help, "［指定できる値：{}］", values.join("、"));
        }
        arg = arg.hide_default_value(true).hide_possible_values(true);
    }
    arg.help(help)
}

/// clap's headings and usage words in Japanese: a help template with 使い方 / コマンド /
/// 引数 / オプション, and the usage line's [OPTIONS] and <COMMAND>.
fn japanese_layout(mut cmd: Command) -> Command {
    let mut template = String::from("{before-help}{about-with-newline}\n使い方：{usage}");
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        template.push_str("\n\nコマンド：\n{subcommands}");
    }
    if cmd.get_positionals().any(|a| !a.is_hide_set()) {
        template.push_str("\n\n引数：\n{positionals}");
    }
    if cmd.get_opts().any(|a| !a.is_hide_set()) {
        template.push_str("\n\nオプション：\n{options}");
    }
    template.push_str("{after-help}");
    let usage = japanese_usage(&mut cmd);
    cmd.help_template(template).override_usage(usage)
}

/// The usage line clap would print, with its two English words in Japanese.
fn japanese_usage(cmd: &mut Command) -> String {
    let usage = cmd.render_usage().to_string();
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
    usage
        .replace("[OPTIONS]", "[オプション]")
        .replace("<COMMAND>", "<コマンド>")
}

/// A usage error (or --help, --version) as the run's language says it. clap's English is
/// kept for English; Japanese is written here for the kinds people meet, and clap's own text
/// follows a Japanese lead for the rest.
pub fn render_error(err: &clap::Error, lang: Lang) -> String {
    if lang == Lang::En
        || matches!(
            err.kind(),
            ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        )
    {
        return err.render().to_string();
    }
    let text = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join("、")),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let value = text(ContextKind::InvalidValue).unwrap_or_default();
    let mut out = String::from("エラー：");
    match err.kind() {
        ErrorKind::MissingRequiredArgument => {
            let _ = write!(out, "必須の引数が指定されていません：{arg}");
        }
        ErrorKind::UnknownArgument => {
            let _ = write!(out, "このコマンドにない引数です：{arg}");
        }
        ErrorKind::InvalidSubcommand => {
            let sub = text(ContextKind::InvalidSubcommand).unwrap_or_default();
            let _ = write!(out, "そのようなコマンドはありません：{sub}");
        }
        ErrorKind::InvalidValue if value.is_empty() => {
            let _ = write!(out, "{arg} に値が指定されていません");
        }
        ErrorKind::InvalidValue => {
            let _ = write!(out, "{arg} に指定できない値です：{value}");
            if let Some(valid) = text(ContextKind::ValidValue) {
                let _ = write!(out, "（指定できる値：{valid}）");
            }
        }
        ErrorKind::ValueValidation => {
            let _ = write!(out, "{arg} の値 {value} を読み取れません");
        }
        ErrorKind::ArgumentConflict => {
            let other = text(ContextKind::PriorArg).unwrap_or_default();
            let _ = write!(out, "{arg} は {other} と同時に指定できません");
        }
        _ => {
            let _ = write!(out, "コマンドラインの指定に誤りがあります：{}", err.kind());
        }
    }
    out.push('\n');
    let suggestions = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ];
    for kind in suggestions {
        if let Some(s) = text(kind) {
            let _ = writeln!(out, "\n  ヒント：似たものに {s} があります");
        }
    }
    if let Some(usage) = text(ContextKind::Usage).or_else(|| usage_of(err)) {
        let _ = write!(out, "\n使い方：{usage}\n");
    }
    out.push_str("\n詳しくは --help を指定してください。\n");
    out
}

/// clap's rendered usage line of the error, without its English heading.
fn usage_of(err: &clap::Error) -> Option<String> {
    let rendered = err.render().to_string();
    let line = rendered.lines().find(|l| l.starts_with("Usage: "))?;
    Some(
        line.trim_start_matches("Usage: ")
            .replace("[OPTIONS]", "[オプション]")
            .replace("<COMMAND>", "<コマンド>"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    /// Every command and argument of the built command line, as (catalogue key, its row).
    fn every_help(cmd: &Command, path: &str, out: &mut Vec<(String, Option<&'static Entry>)>) {
        let key = if path.is_empty() { "" } else { path };
        out.push((key.to_string(), find(key)));
        for arg in cmd.get_arguments() {
            out.push((arg_keys(path, arg)[0].clone(), arg_help(path, arg)));
        }
        for sub in cmd.get_subcommands() {
            if path.is_empty() {
                let name = sub.get_name();
                if name == "help" {
                    out.push(("help".into(), find("help")));
                } else {
                    every_help(sub, name, out);
                }
            }
        }
    }

    #[test]
    fn every_command_and_argument_has_its_help_in_both_languages() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut all = Vec::new();
        every_help(&cmd, "", &mut all);
        assert!(all.len() > 40, "the walk found {} texts", all.len());
        for (key, entry) in all {
            let Some(entry) = entry else {
                panic!("no help for `{key}`: add its row to cli/help.rs CATALOGUE");
            };
            for lang in [Lang::Ja, Lang::En] {
                assert!(
                    !entry.help.get_in(lang).trim().is_empty(),
                    "`{key}` has no {lang:?} help"
                );
            }
        }
    }

    #[test]
    fn every_catalogue_row_is_used() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut all = Vec::new();
        every_help(&cmd, "", &mut all);
        for row in CATALOGUE {
            let used = all
                .iter()
                .any(|(_, e)| e.is_some_and(|e| std::ptr::eq(e, row)));
            assert!(used, "`{}` matches no command or argument", row.at);
        }
    }

    fn help_of(lang: Lang, args: &[&str]) -> String {
        let cmd = localize(Cli::command(), lang);
        match cmd.try_get_matches_from(args) {
            Ok(_) => panic!("{args:?} printed no help"),
            Err(e) => e.render().to_string(),
        }
    }

    #[test]
    fn japanese_help_has_no_english_heading_or_default() {
        for args in [
            &["shikaku", "--help"][..],
            &["shikaku", "reconcile", "--help"],
            &["shikaku", "mailing", "-h"],
            &["shikaku", "check", "--help"],
            &["shikaku", "inspect", "--help"],
            &["shikaku", "explain", "--help"],
            &["shikaku", "help", "rules"],
        ] {
            let text = help_of(Lang::Ja, args);
            for english in [
                "Usage",
                "Options",
                "Commands",
                "Arguments",
                "[default",
                "possible",
                "Print",
            ] {
                assert!(!text.contains(english), "{args:?}: {english}\n{text}");
            }
            assert!(text.contains("使い方：shikaku"), "{args:?}\n{text}");
        }
        let reconcile = help_of(Lang::Ja, &["shikaku", "reconcile", "--help"]);
        assert!(reconcile.contains("組合の加入者台帳（CSV または Excel）"));
        assert!(reconcile.contains("［既定値：20］"));
        assert!(reconcile.contains("［指定できる値：human、json、junit、sarif］"));
        assert!(reconcile.contains("[オプション]"));
    }

    #[test]
    fn english_help_keeps_clap_wording() {
        let text = help_of(Lang::En, &["shikaku", "reconcile", "--help"]);
        assert!(text.contains("Usage: shikaku reconcile [OPTIONS] --fund <FILE>"));
        assert!(text.contains("The fund's member master (CSV or Excel)"));
        assert!(text.contains("[default: 20]"));
    }

    fn error_of(lang: Lang, args: &[&str]) -> String {
        let cmd = localize(Cli::command(), lang);
        let err = cmd.try_get_matches_from(args).expect_err("an error");
        render_error(&err, lang)
    }

    #[test]
    fn common_usage_errors_are_in_japanese() {
        let cases: [(&[&str], &str); 5] = [
            (
                &["shikaku", "reconcile", "--fund", "f.csv"],
                "エラー：必須の引数が指定されていません：--national-list <FILE>",
            ),
            (
                &["shikaku", "check", "--kind", "fund", "f.csv", "--fnud"],
                "エラー：このコマンドにない引数です：--fnud",
            ),
            (
                &["shikaku", "check", "--kind", "funds", "f.csv"],
                "エラー：--kind <KIND> に指定できない値です：funds（指定できる値：fund、employer、national-list、national-registry）",
            ),
            (
                &["shikaku", "reconcil"],
                "エラー：そのようなコマンドはありません：reconcil",
            ),
            (
                &[
                    "shikaku",
                    "check",
                    "--kind",
                    "fund",
                    "--max-per-code",
                    "x",
                    "f.csv",
                ],
                "エラー：--max-per-code <N> の値 x を読み取れません",
            ),
        ];
        for (args, first_line) in cases {
            let text = error_of(Lang::Ja, args);
            assert_eq!(text.lines().next(), Some(first_line), "{args:?}\n{text}");
            assert!(
                text.ends_with("詳しくは --help を指定してください。\n"),
                "{args:?}\n{text}"
            );
            assert!(!text.contains("Usage"), "{args:?}\n{text}");
        }
        let missing = error_of(Lang::Ja, &["shikaku", "reconcile", "--fund", "f.csv"]);
        assert!(
            missing.contains(
                "使い方：shikaku reconcile [オプション] --fund <FILE> --national-list <FILE>"
            ),
            "{missing}"
        );
        let suggestion = error_of(Lang::Ja, &["shikaku", "reconcil"]);
        assert!(
            suggestion.contains("ヒント：似たものに reconcile があります"),
            "{suggestion}"
        );
        let english = error_of(Lang::En, &["shikaku", "reconcile", "--fund", "f.csv"]);
        assert!(english.contains("the following required arguments were not provided"));
    }
}
