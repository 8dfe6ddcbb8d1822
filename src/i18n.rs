//! The two languages shikaku speaks: Japanese (the default: the fund's staff read it) and
//! English (`--lang en`, `SHIKAKU_LANG=en`).
//!
//! The language is chosen once, in `main`, before anything is read or printed, and every text
//! a person reads is picked by [`lang`] where it is made: rule texts are [`Tr`] pairs beside
//! the rule, and messages are built with [`tr!`](crate::tr), which takes both languages so a
//! missing one is a compile error. Machine output never depends on it: JSON keys, codes, list
//! headers and list values are the same in both.
//!
//! Where texts live: a rule's summary, help and explain page beside the rule (its four
//! headings are [`crate::finding::EXPLAIN_SECTIONS`]); `--help` in `cli/help.rs`; every other
//! text where it is made, with [`tr!`](crate::tr) or [`Tr::new`]. A date in a message goes
//! through [`date`] (和暦 beside the ISO date in Japanese), a padded column through [`pad`].
//!
//! # Writing the Japanese
//!
//! Write what the fund's staff would write to each other, in the register of the fund's own
//! notices and FAQs (`shared/seeds/`): です・ます, short sentences, the terms below. It is not a
//! translation of the English: say the thing the way a notice says it
//! (`高齢受給者（2024-04-01（令和6年4月1日）から）ですが…` reads worse than
//! `基準日 …時点で、… から高齢受給者ですが、負担割合が登録されていません`).
//!
//! - A message is one or two sentences, without a final 「。」 (the English has no final
//!   period either): `性別の「3」は受け付けられない値です（受け付ける値：1/2 または 男/女）`.
//! - Help and explain pages are full sentences ending in 「。」, asking in 〜してください.
//! - A summary (`shikaku rules`) is a noun phrase or a short clause, no 「。」.
//! - Full-width punctuation: 、。：（）「」. A value as read is quoted in 「」 (`checks::shown`;
//!   an empty one is （空欄）). Lists are joined with 、.
//! - A half-width space between Japanese and an ASCII token (a code, a number, an ISO date, a
//!   file name, an option), none next to full-width brackets: `基準日 2026-11-01（令和8年11月1日）に`.
//!
//! | English (code, SPEC) | Japanese | avoid |
//! |---|---|---|
//! | the fund / its master | 組合 / 組合の加入者台帳 | 健保, マスタ |
//! | member | 加入者 (被保険者 and 被扶養者) | メンバー, 会員 |
//! | insured person, dependent | 被保険者, 被扶養者 | 本人 (that is the 続柄 value) |
//! | 任意継続/特例退職 | 任意継続・特例退職（の世帯、の方）; of people in full: 任意継続被保険者・特例退職被保険者 | |
//! | employer; a company of companies.toml; its office | 事業主; 会社 (会社コード); 事業所 (also the route) | 雇用主 |
//! | national list | 職権交付対象者リスト | |
//! | national registry | 国の登録情報 | |
//! | member key | 記号・番号・枝番 | キー |
//! | household | 世帯 | 家族 |
//! | D, base date | 基準日 (in every command) | 評価日 |
//! | active on D | 基準日に資格がある | 有効, アクティブ |
//! | acquire / lose membership | 資格取得 / 資格喪失 (資格取得届, 資格喪失日 …) | 加入 / 脱退 |
//! | certificate; issue, return, recover | 資格確認書; 交付 (職権・申請・更新), 返納, 回収 | 発行 (except the field 資格確認書発行要否) |
//! | eligibility notice | 資格情報のお知らせ (お知らせ) | |
//! | letter, mailing; blocked | 通知, 送付; 送付を保留 | 手紙, ブロック |
//! | route | 送付方法: 自宅 / 事業所 / 事業主経由 | |
//! | tracked mail | 特定記録郵便 | 書留 |
//! | residence | 居所 | |
//! | My Number, last 4 | 個人番号, 下4桁 (マイナンバー only in マイナンバーカード) | |
//! | check digit | 検査用数字 (個人番号), 検証番号 (保険者番号) | |
//! | registered for マイナ保険証 | 利用登録（済み） | 登録済 alone |
//! | share ratio | 負担割合 (2割, 3割) | 自己負担率 |
//! | remuneration | 標準報酬月額 (…円) | 給与 |
//! | elderly member | 高齢受給者 | |
//! | rejected row | 除外（された行） | 却下 |
//! | finding; severity | 指摘; 重大度: 致命的 / エラー / 警告 / 情報 | 検出結果 |
//! | suppressed by the baseline | ベースラインで抑止 | |
//! | empty | 空欄 | 空白 |
//! | header, alias | 見出し（行）, 別名 | ヘッダ |
//! | field, column; row N | 項目, 列; N行目 | フィールド |

use std::cell::Cell;
use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub fn from_name(name: &str) -> Option<Lang> {
        match name.trim().to_ascii_lowercase().as_str() {
            "ja" | "jp" | "japanese" | "ja_jp" | "ja-jp" | "ja_jp.utf-8" | "日本語" => {
                Some(Lang::Ja)
            }
            "en" | "english" | "en_us" | "en-us" | "en_gb" | "c" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The language the command line asks for, before clap parses it (so `--help` itself
    /// can follow it): `--lang X` or `--lang=X` anywhere among the arguments, else
    /// `SHIKAKU_LANG`, else Japanese. An unknown value is left for clap to reject.
    pub fn from_args_and_env(args: &[std::ffi::OsString]) -> Lang {
        let mut it = args.iter().filter_map(|a| a.to_str());
        while let Some(a) = it.next() {
            if a == "--" {
                break;
            }
            let value = match a.strip_prefix("--lang") {
                Some("") => it.next(),
                Some(rest) => rest.strip_prefix('='),
                None => None,
            };
            if let Some(l) = value.and_then(Lang::from_name) {
                return l;
            }
        }
        std::env::var("SHIKAKU_LANG")
            .ok()
            .and_then(|v| Lang::from_name(&v))
            .unwrap_or_default()
    }
}

static LANG: AtomicU8 = AtomicU8::new(0);

thread_local! {
    static OVERRIDE: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// The language of this process (or of this thread, inside [`with`]).
pub fn lang() -> Lang {
    if let Some(l) = OVERRIDE.with(Cell::get) {
        return l;
    }
    match LANG.load(Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Ja,
    }
}

/// Set the process's language; `main` does this once, before any work.
pub fn set(lang: Lang) {
    LANG.store(lang as u8, Ordering::Relaxed);
}

/// Run `f` with this thread's texts in `lang` (tests render both languages side by side).
pub fn with<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    let before = OVERRIDE.with(|o| o.replace(Some(lang)));
    let out = f();
    OVERRIDE.with(|o| o.set(before));
    out
}

/// A fixed text in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tr {
    pub ja: &'static str,
    pub en: &'static str,
}

impl Tr {
    pub const fn new(ja: &'static str, en: &'static str) -> Tr {
        Tr { ja, en }
    }

    /// The text in the current language.
    pub fn get(self) -> &'static str {
        self.get_in(lang())
    }

    pub fn get_in(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.ja,
            Lang::En => self.en,
        }
    }
}

impl fmt::Display for Tr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

/// One of two values by the current language, for the few message parts that are not text
/// (`pick(field.label(), "the address")`).
pub fn pick<T>(ja: T, en: T) -> T {
    match lang() {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// A date in a message: `2026-11-20（令和8年11月20日）` in Japanese (staff read 和暦 on
/// every form), `2026-11-20` in English.
pub fn date(d: chrono::NaiveDate) -> Date {
    Date(d)
}

/// See [`date`]; formatted in the language current when it is displayed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date(pub chrono::NaiveDate);

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match lang() {
            Lang::Ja => f.write_str(&crate::domain::date::iso_with_wareki(self.0)),
            Lang::En => write!(f, "{}", self.0),
        }
    }
}

/// `text` padded with spaces to `columns` display columns (a kanji or full-width kana takes
/// two): `format!("{:<7}")` counts characters, which misaligns Japanese columns.
pub fn pad(text: &str, columns: usize) -> String {
    let width = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(columns.saturating_sub(width)))
}

/// Why a file could not be read or written, in the current language: the OS's own text in
/// English, a short Japanese sentence for the common cases.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let ja = match e.kind() {
        K::NotFound => "ファイルまたはフォルダがありません",
        K::PermissionDenied => "アクセスが許可されていません",
        K::AlreadyExists => "同じ名前のファイルがすでにあります",
        K::IsADirectory => "ファイルではなくフォルダです",
        K::NotADirectory => "フォルダではありません",
        K::StorageFull => "ディスクの空き容量が足りません",
        K::InvalidData => "内容を読み取れません",
        _ => return e.to_string(),
    };
    match lang() {
        Lang::Ja => ja.to_string(),
        Lang::En => e.to_string(),
    }
}

/// A message in the current language: `tr!("{n}件", "{n} rows")`. Both are format strings
/// (inline captures like `{n}` and positional arguments after a `;` are both accepted), and
/// only the chosen one is formatted.
#[macro_export]
macro_rules! tr {
    ($ja:literal, $en:literal $(,)?) => {
        match $crate::i18n::lang() {
            $crate::i18n::Lang::Ja => format!($ja),
            $crate::i18n::Lang::En => format!($en),
        }
    };
    ($ja:literal, $en:literal; $($arg:expr),+ $(,)?) => {
        match $crate::i18n::lang() {
            $crate::i18n::Lang::Ja => format!($ja, $($arg),+),
            $crate::i18n::Lang::En => format!($en, $($arg),+),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_command_line_picks_the_language_before_clap_sees_it() {
        assert_eq!(
            Lang::from_args_and_env(&args(&["shikaku", "rules", "--lang", "en"])),
            Lang::En
        );
        assert_eq!(
            Lang::from_args_and_env(&args(&["shikaku", "--lang=en", "rules"])),
            Lang::En
        );
        assert_eq!(
            Lang::from_args_and_env(&args(&["shikaku", "rules", "--lang", "ja"])),
            Lang::Ja
        );
        // After `--` an argument is a file name, not an option.
        assert_ne!(
            Lang::from_args_and_env(&args(&["shikaku", "check", "--", "--lang=en"])),
            Lang::En
        );
    }

    #[test]
    fn tr_formats_only_the_chosen_language() {
        let n = 3;
        assert_eq!(with(Lang::Ja, || tr!("{n}件", "{n} rows")), "3件");
        assert_eq!(with(Lang::En, || tr!("{n}件", "{n} rows")), "3 rows");
        assert_eq!(with(Lang::En, || tr!("{}件", "{} rows"; n + 1)), "4 rows");
    }

    #[test]
    fn a_date_shows_its_wareki_in_japanese_only() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(
            with(Lang::Ja, || date(d).to_string()),
            "2026-11-20（令和8年11月20日）"
        );
        assert_eq!(with(Lang::En, || date(d).to_string()), "2026-11-20");
        assert_eq!(with(Lang::En, || pick(1, 2)), 2);
    }

    #[test]
    fn pad_counts_display_columns() {
        assert_eq!(pad("error", 7), "error  ");
        assert_eq!(pad("エラー", 7), "エラー ");
        assert_eq!(pad("致命的エラー", 7), "致命的エラー");
    }

    #[test]
    fn a_thread_override_does_not_leak() {
        let outer = lang();
        with(Lang::En, || assert_eq!(lang(), Lang::En));
        assert_eq!(lang(), outer);
    }
}
