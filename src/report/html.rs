//! `report.html` in `--out DIR` on every run: one self-contained page (no network, no external
//! CSS, JS or fonts) for the manager who asks where the problems are (SPEC §6).
//!
//! The run (command, D, files with rows read/checked/rejected), the counts, findings per code
//! and per company as inline SVG bar charts, the lists' rows per company, route and 交付事由,
//! and every finding in a table. A few lines of inline JS filter the table by code, severity,
//! company and file; without JS it is a plain table and the filters stay hidden. Templates are
//! maud's `html!`: typed Rust, every interpolated value HTML-escaped. Values are masked as in
//! every other output.

use super::mask::mask_digit_runs;
use super::place::place;
use super::recipient::{Recipient, Router};
use super::run::RunInfo;
use super::workbooks::severity_text;
use super::{FailOn, Outcome, row_counts};
use crate::config::Companies;
use crate::finding::Severity;
use crate::i18n::Tr;
use crate::output::List;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use std::collections::BTreeMap;

/// List columns the page counts rows by, where a list has them.
const GROUP_BY: &[&str] = &["会社コード", "送付方法", "交付事由", "返納事由", "特定記録"];

const SEVERITIES: [Severity; 4] = [
    Severity::Fatal,
    Severity::Error,
    Severity::Warning,
    Severity::Info,
];

/// Everything the page shows.
pub struct Page<'a> {
    pub outcome: &'a Outcome,
    pub lists: &'a [List],
    pub companies: &'a Companies,
    pub run: &'a RunInfo,
    pub fail_on: FailOn,
}

/// One finding as a table row, with the values the filters match.
struct Row {
    code: &'static str,
    severity: Severity,
    company: String,
    file: String,
    place: String,
    key: String,
    message: String,
}

pub fn render(page: &Page) -> String {
    let router = Router::new(&page.outcome.files, page.companies);
    let rows: Vec<Row> = page
        .outcome
        .findings
        .iter()
        .map(|f| {
            let to = router.route(f).to;
            let at = place(&f.at, &page.outcome.files);
            Row {
                code: f.rule.code,
                severity: f.severity,
                company: recipient_name(to),
                file: at.path.clone(),
                place: mask_digit_runs(&at.describe()).into_owned(),
                key: f.key.clone().unwrap_or_default(),
                message: mask_digit_runs(&f.message).into_owned(),
            }
        })
        .collect();
    let title = format!(
        "shikaku {} — {}",
        page.run.command,
        page.run.dates.describe()
    );
    let markup = html! {
        (DOCTYPE)
        html lang=(crate::i18n::lang().name()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                h1 { (Tr::new("shikaku 点検結果", "shikaku report").get()) }
                (run_section(page))
                (counts_section(page))
                (files_section(page))
                (charts_section(&rows))
                (lists_section(page.lists))
                (findings_section(&rows))
                script { (PreEscaped(JS)) }
            }
        }
    };
    markup.into_string()
}

fn recipient_name(to: Recipient) -> String {
    match to {
        Recipient::Company(c) => format!("{} {}", c.code, c.name),
        Recipient::Fund => Tr::new("組合内", "The fund (組合内)").get().to_owned(),
    }
}

fn run_section(page: &Page) -> Markup {
    let run = page.run;
    html! {
        section #run {
            table.kv {
                tr { th { (Tr::new("コマンド", "Command").get()) } td { code { (run.command_line()) } } }
                tr { th { (Tr::new("基準日", "Evaluation date").get()) } td { (run.dates.describe()) } }
                tr { th { (Tr::new("実行日時", "Run at").get()) } td { (run.started_at.format("%Y-%m-%d %H:%M:%S %:z")) } }
                tr { th { (Tr::new("終了コード", "Exit code").get()) } td #exit-code { (page.outcome.exit_code(page.fail_on)) } }
            }
        }
    }
}

fn counts_section(page: &Page) -> Markup {
    let outcome = page.outcome;
    html! {
        section #counts {
            h2 { (Tr::new("件数", "Counts").get()) }
            div.cards {
                @for s in SEVERITIES {
                    div class={ "card " (s.name()) } {
                        span.n data-count=(s.name()) { (outcome.count(s)) }
                        span.l { (severity_text(s)) }
                    }
                }
                div.card.suppressed {
                    span.n data-count="suppressed" { (outcome.suppressed) }
                    span.l { (Tr::new("ベースラインで抑止", "suppressed by the baseline").get()) }
                }
            }
            @if !outcome.errors.is_empty() {
                ul.errors {
                    @for e in &outcome.errors { li { (mask_digit_runs(e)) } }
                }
            }
        }
    }
}

fn files_section(page: &Page) -> Markup {
    html! {
        section #files {
            h2 { (Tr::new("ファイル", "Files").get()) }
            table.grid {
                thead { tr {
                    th { (Tr::new("ファイル", "File").get()) }
                    th { (Tr::new("種類", "Kind").get()) }
                    th.num { (Tr::new("読込", "Read").get()) }
                    th.num { (Tr::new("点検", "Checked").get()) }
                    th.num { (Tr::new("除外", "Rejected").get()) }
                } }
                tbody {
                    @for file in &page.outcome.files {
                        @let c = row_counts(file);
                        tr data-file=(file.display_path()) {
                            td {
                                (file.display_path())
                                @if let Some(fatal) = &file.fatal {
                                    div.fatal { (mask_digit_runs(&super::describe_fatal(fatal))) }
                                }
                            }
                            td { (file.kind.name()) }
                            td.num data-rows="read" { (c.read) }
                            td.num data-rows="checked" { (c.checked) }
                            td.num data-rows="rejected" { (c.rejected) }
                        }
                    }
                }
            }
        }
    }
}

fn charts_section(rows: &[Row]) -> Markup {
    let mut per_code: BTreeMap<&str, (Severity, usize)> = BTreeMap::new();
    let mut per_company: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for row in rows {
        per_code.entry(row.code).or_insert((row.severity, 0)).1 += 1;
        per_company.entry(&row.company).or_default()[severity_index(row.severity)] += 1;
    }
    let mut per_code: Vec<(&str, (Severity, usize))> = per_code.into_iter().collect();
    // The most frequent first: that is where the work is.
    per_code.sort_by(|a, b| b.1.1.cmp(&a.1.1).then(a.0.cmp(b.0)));
    let codes: Vec<Bar> = per_code
        .iter()
        .map(|(code, (s, n))| Bar {
            label: code.to_string(),
            parts: one_part(*s, *n),
        })
        .collect();
    let companies: Vec<Bar> = per_company
        .iter()
        .map(|(company, counts)| Bar {
            label: company.to_string(),
            parts: *counts,
        })
        .collect();
    html! {
        p.legend {
            @for s in SEVERITIES {
                span.key { svg width="12" height="12" { rect class=(s.name()) width="12" height="12" {} } " " (severity_text(s)) }
            }
        }
        section #charts {
            div.chart {
                h2 { (Tr::new("コード別の件数", "Findings per code").get()) }
                (bar_chart("chart-codes", &codes, 80))
            }
            div.chart {
                h2 { (Tr::new("事業所別の件数", "Findings per company").get()) }
                (bar_chart("chart-companies", &companies, 220))
            }
        }
    }
}

fn severity_index(s: Severity) -> usize {
    SEVERITIES.iter().position(|x| *x == s).unwrap_or(0)
}

fn one_part(s: Severity, n: usize) -> [usize; 4] {
    let mut parts = [0; 4];
    parts[severity_index(s)] = n;
    parts
}

/// One bar: its label and its count per severity (in [`SEVERITIES`] order), stacked.
struct Bar {
    label: String,
    parts: [usize; 4],
}

/// A horizontal bar chart as inline SVG: one bar per label, stacked by severity, the count at
/// its end.
fn bar_chart(id: &str, bars: &[Bar], label_width: usize) -> Markup {
    const BAR: usize = 18;
    const GAP: usize = 6;
    const PLOT: usize = 360;
    let max = bars
        .iter()
        .map(|b| b.parts.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let height = bars.len() * (BAR + GAP) + GAP;
    let width = label_width + PLOT + 60;
    html! {
        @if bars.is_empty() {
            p.none { (Tr::new("指摘はありません。", "No findings.").get()) }
        } @else {
            svg id=(id) xmlns="http://www.w3.org/2000/svg" width=(width) height=(height)
                viewBox={ "0 0 " (width) " " (height) } role="img" {
                @for (i, bar) in bars.iter().enumerate() {
                    @let y = GAP + i * (BAR + GAP);
                    @let total: usize = bar.parts.iter().sum();
                    text x=(label_width - 8) y=(y + BAR - 4) text-anchor="end" { (bar.label) }
                    @for (s, x, w, n) in segments(bar, label_width, PLOT, max) {
                        rect class=(s.name()) x=(x) y=(y) width=(w) height=(BAR) {
                            title { (severity_text(s)) " " (n) }
                        }
                    }
                    text x=(label_width + (total * PLOT).div_ceil(max) + 6) y=(y + BAR - 4) data-bar=(bar.label) { (total) }
                }
            }
        }
    }
}

/// A bar's stacked parts: severity, x, width and count of each non-empty part.
fn segments(bar: &Bar, x0: usize, plot: usize, max: usize) -> Vec<(Severity, usize, usize, usize)> {
    let mut x = x0;
    let mut out = Vec::new();
    for (s, n) in SEVERITIES.iter().zip(bar.parts) {
        if n > 0 {
            let w = (n * plot).div_ceil(max);
            out.push((*s, x, w, n));
            x += w;
        }
    }
    out
}

fn lists_section(lists: &[List]) -> Markup {
    html! {
        @if !lists.is_empty() {
            section #lists {
                h2 { (Tr::new("リスト", "Lists").get()) }
                @for list in lists {
                    (list_table(list))
                }
            }
        }
    }
}

/// A list's rows counted by the columns of [`GROUP_BY`] it has.
fn list_table(list: &List) -> Markup {
    let columns: Vec<(usize, &str)> = list
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| GROUP_BY.contains(h))
        .map(|(i, h)| (i, *h))
        .collect();
    let mut groups: BTreeMap<Vec<&str>, usize> = BTreeMap::new();
    for row in list.rows.iter() {
        let key = columns
            .iter()
            .map(|(i, _)| row.get(*i).unwrap_or(""))
            .collect();
        *groups.entry(key).or_default() += 1;
    }
    html! {
        div.list data-list=(list.stem) {
            h3 { (list.csv_name()) " — " span data-list-rows=(list.stem) { (list.rows.len()) } (Tr::new("件", " rows").get()) }
            @if !groups.is_empty() {
                table.grid {
                    thead { tr {
                        @for (_, h) in &columns { th { (h) } }
                        th.num { (Tr::new("件数", "Rows").get()) }
                    } }
                    tbody {
                        @for (key, n) in &groups {
                            tr {
                                @for v in key { td { (mask_digit_runs(v)) } }
                                td.num { (n) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn findings_section(rows: &[Row]) -> Markup {
    let distinct = |f: fn(&Row) -> &str| -> Vec<String> {
        let mut v: Vec<String> = rows.iter().map(|r| f(r).to_owned()).collect();
        v.sort();
        v.dedup();
        v
    };
    let filters = [
        ("code", Tr::new("コード", "Code"), distinct(|r| r.code)),
        (
            "severity",
            Tr::new("重要度", "Severity"),
            distinct(|r| r.severity.name()),
        ),
        (
            "company",
            Tr::new("事業所", "Company"),
            distinct(|r| &r.company),
        ),
        ("file", Tr::new("ファイル", "File"), distinct(|r| &r.file)),
    ];
    html! {
        section #findings {
            h2 { (Tr::new("指摘一覧", "Findings").get()) " (" (rows.len()) ")" }
            // Shown by the script: without JavaScript the table is simply complete.
            form #filters hidden {
                @for (name, label, values) in &filters {
                    label { (label.get()) " "
                        select data-filter=(name) {
                            option value="" { (Tr::new("すべて", "all").get()) }
                            @for v in values { option value=(v) { (v) } }
                        }
                    }
                }
                span #shown {}
            }
            table.grid #finding-table {
                thead { tr {
                    th { (Tr::new("コード", "Code").get()) }
                    th { (Tr::new("重要度", "Severity").get()) }
                    th { (Tr::new("事業所", "Company").get()) }
                    th { (Tr::new("場所", "Place").get()) }
                    th { (Tr::new("記号-番号-枝番", "Member key").get()) }
                    th { (Tr::new("内容", "Message").get()) }
                } }
                tbody {
                    @for r in rows {
                        tr data-code=(r.code) data-severity=(r.severity.name()) data-company=(r.company) data-file=(r.file) {
                            td.nw { code { (r.code) } }
                            td.nw class=(r.severity.name()) { (severity_text(r.severity)) }
                            td.nw { (r.company) }
                            td { (r.place) }
                            td.nw { (r.key) }
                            td { (r.message) }
                        }
                    }
                }
            }
        }
    }
}

const CSS: &str = r#"
body{font-family:system-ui,-apple-system,"Hiragino Sans","Yu Gothic UI","Meiryo","Noto Sans CJK JP",sans-serif;margin:1.5rem;color:#1f2328;background:#fff;line-height:1.45}
h1{font-size:1.5rem;margin:0 0 .75rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}h3{font-size:1rem;margin:1rem 0 .3rem}
table{border-collapse:collapse}.grid th,.grid td{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:left;vertical-align:top}.grid thead th{background:#f6f8fa;position:sticky;top:0}
.kv th{white-space:nowrap;text-align:left;padding:.1rem 1rem .1rem 0;color:#57606a;font-weight:normal}.num{text-align:right}
.cards{display:flex;gap:.75rem;flex-wrap:wrap}.card{border:1px solid #d0d7de;border-radius:6px;padding:.4rem .9rem;min-width:6.5rem}.card .n{display:block;font-size:1.6rem;font-weight:600}.card .l{color:#57606a;font-size:.85rem}
.card.fatal .n,td.fatal{color:#6e0b0b}.card.error .n,td.error{color:#cf222e}.card.warning .n,td.warning{color:#9a6700}.card.info .n,td.info{color:#0969da}
.fatal{color:#6e0b0b}.errors{color:#cf222e}
#charts{display:flex;align-items:flex-start;gap:2rem;flex-wrap:wrap}svg text{font-size:12px;fill:#1f2328}
rect.fatal{fill:#6e0b0b}rect.error{fill:#cf222e}rect.warning{fill:#d4a72c}rect.info{fill:#54aeff}
#filters{margin:.5rem 0;display:flex;gap:1rem;flex-wrap:wrap;align-items:center}#shown{color:#57606a}
#finding-table td:last-child{max-width:48rem}.nw{white-space:nowrap}.legend{margin:1rem 0 0;color:#57606a;font-size:.9rem}.legend .key{margin-right:1rem}
"#;

const JS: &str = r#"
(function(){
  var form=document.getElementById('filters');if(!form)return;form.hidden=false;
  var selects=form.querySelectorAll('select');var rows=document.querySelectorAll('#finding-table tbody tr');
  var shown=document.getElementById('shown');
  function apply(){var n=0;rows.forEach(function(r){var ok=true;selects.forEach(function(s){if(s.value&&r.dataset[s.dataset.filter]!==s.value)ok=false;});r.hidden=!ok;if(ok)n++;});shown.textContent=n+' / '+rows.length;}
  selects.forEach(function(s){s.addEventListener('change',apply);});apply();
})();
"#;
