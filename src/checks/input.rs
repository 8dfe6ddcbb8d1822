//! IN001–IN009: reading the file itself (SPEC §3, §5).

use super::{Ctx, shown};
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Anchor, Finding, Rule, Severity};
use crate::i18n::Tr;
use crate::ingest::{Fatal, FatalInput, IssueKind};
use crate::prepare::{Input, St, cols, st};
use polars::prelude::*;

pub static IN001: Rule = Rule {
    code: "IN001",
    name: "undecodable-bytes",
    severity: Severity::Error,
    summary: Tr::new(
        "",
        "bytes not valid in the file's encoding (byte offset in the message)",
    ),
    help: Tr::new(
        "",
        "Re-export the file as CP932 (Shift_JIS) or UTF-8 from the system that made it; do not paste text from other programs into it.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nDecodes the file (BOM, else valid UTF-8, else CP932) and reports every byte sequence that is not valid in that encoding, with its byte offset, row and column. The bytes are replaced by U+FFFD and the run goes on.\n\n## Why it matters\nA broken byte in a name or address prints as garbage on a letter; in 記号・番号・枝番 it makes the member key unreadable, so the row is rejected and takes part in no reconciliation.\n\n## Example\nA lone lead byte `0x81` before a comma in a CP932 file: `山田,0x81,...`.\n\n## How to fix\nRe-export the file from the source system. If the file is UTF-8 but was read as CP932 (or the reverse), pass `--input-encoding utf8` or `cp932`.",
    ),
};

pub static IN002: Rule = Rule {
    code: "IN002",
    name: "ragged-row",
    severity: Severity::Error,
    summary: Tr::new("", "row with the wrong number of fields"),
    help: Tr::new(
        "",
        "The row has more or fewer fields than the header: look for an unquoted comma or a missing quote, and fix the export.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nCompares the number of fields of every CSV record with the header's. A record with a different count, or one whose quote is never closed, is reported.\n\n## Why it matters\nFields after a stray comma shift under the wrong header: an address lands in 郵便番号, a date in 性別. The row is rejected: it is counted, reported, and takes part in no cross-source rule and no decision.\n\n## Example\nHeader `記号,番号,枝番,氏名,住所` and a record `1001,12,00,山田 太郎,東京都千代田区丸の内1-1-1,3F` (the address holds an unquoted comma).\n\n## How to fix\nQuote fields that contain commas (`\"…,3F\"`), or remove the comma, and re-export.",
    ),
};

pub static IN003: Rule = Rule {
    code: "IN003",
    name: "required-column-missing",
    severity: Severity::Fatal,
    summary: Tr::new("", "required column missing (no alias matched)"),
    help: Tr::new(
        "",
        "Add the column, or add the file's header text as an alias for the field in rules/columns.toml.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nLooks for the header among the first 30 rows of every sheet: the first row whose cells map every required field of the source kind (header text is matched after NFKC normalization and white-space removal against the aliases in `rules/columns.toml`). When no row qualifies, the file cannot be read.\n\n## Why it matters\nWithout 記号・番号・枝番 and 生年月日 no member can be identified. This is fatal: exit code 2. If it is the fund file (or, in `reconcile`, the national list) nothing is written; another file is left out and the run finishes without it.\n\n## Example\nAn employer sends `被保番号` instead of `番号`.\n\n## How to fix\nRun `shikaku inspect FILE --kind KIND` to see how the header was read, then add the header text to the field's aliases in `rules/columns.toml`:\n\n```toml\n[employer]\nnumber = [\"番号\", \"被保番号\"]\n```",
    ),
};

pub static IN004: Rule = Rule {
    code: "IN004",
    name: "code-stored-as-number",
    severity: Severity::Warning,
    summary: Tr::new(
        "",
        "code-like value stored as an Excel number, or a 5–6 digit postal code: read as text, leading zeros restored",
    ),
    help: Tr::new(
        "",
        "Format the column as text (@) in Excel before typing codes, so leading zeros are kept.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nAn Excel numeric cell in 記号, 番号, 枝番, 郵便番号, 保険者番号 or 個人番号 is read back as integer text (never `123.0`), zero-padded to the field's width (枝番 2, 郵便番号 7, 保険者番号 8, 個人番号 12 or 4). A bare 5 or 6 digit postal code in any file is padded to 7 the same way.\n\n## Why it matters\nExcel drops leading zeros of numbers: Hokkaido postal codes start with 0, and `0600001` becomes `600001`. shikaku restores them, but the source should be fixed so other systems read it right.\n\n## Example\n枝番 typed as the number `1` is read as `01`; 郵便番号 `600001` is read as `0600001`.\n\n## How to fix\nFormat code columns as text in the employer's template.",
    ),
};

pub static IN005: Rule = Rule {
    code: "IN005",
    name: "excel-error-cell",
    severity: Severity::Error,
    summary: Tr::new("", "Excel error cell (#N/A, #REF!, …)"),
    help: Tr::new(
        "",
        "Fix the formula in the source workbook, or paste the values instead of formulas.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nReports cells whose cached value is an Excel error (#N/A, #REF!, #VALUE!, #DIV/0!, #NAME?, #NULL!, #NUM!).\n\n## Why it matters\nThe value is unknown. In 記号・番号・枝番 the row is rejected; in a date such as 資格喪失日 the row takes no decision rather than being treated as \"not lost\".\n\n## Example\n`=VLOOKUP(A2,社員マスタ!A:F,6,FALSE)` in 住所 with no match shows `#N/A`.\n\n## How to fix\nCorrect the formula or its lookup table, or paste values.",
    ),
};

pub static IN006: Rule = Rule {
    code: "IN006",
    name: "duplicate-key",
    severity: Severity::Error,
    summary: Tr::new(
        "",
        "duplicate member key within one source (raised on every row sharing it)",
    ),
    help: Tr::new(
        "",
        "Each member appears once per file: remove the duplicate row or correct its 記号・番号・枝番.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nFinds member keys (記号-番号-枝番, after normalization) that occur on more than one row of the same file, and reports every such row.\n\n## Why it matters\nshikaku never silently picks one of two rows: every row sharing the key is rejected and takes part in no cross-source rule and no decision, so that member gets no certificate and no letter until the data is fixed.\n\n## Example\nTwo rows `1001-12-01` in an employer file: a child entered twice, or a second child given the first child's 枝番.\n\n## How to fix\nDelete the duplicate, or give the second person their own 枝番.",
    ),
};

pub static IN007: Rule = Rule {
    code: "IN007",
    name: "no-data-rows",
    severity: Severity::Warning,
    summary: Tr::new("", "source has no data rows"),
    help: Tr::new(
        "",
        "Check that the right file (or sheet) was exported: it has a header but no members.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nWarns when a file, or a sheet with a header, has no data rows under it (blank rows are not data rows).\n\n## Why it matters\nAn empty export usually means the wrong month, the wrong filter or a failed job. A reconciliation against an empty file would report every member as missing.\n\n## Example\nAn employer workbook whose 被扶養者 sheet holds only the header.\n\n## How to fix\nRe-run the export; if the source really has no members, the warning can be ignored.",
    ),
};

pub static IN008: Rule = Rule {
    code: "IN008",
    name: "gaiji",
    severity: Severity::Warning,
    summary: Tr::new(
        "",
        "外字 (CP932 user-defined area F040–F9FC, decoded to Private Use code points)",
    ),
    help: Tr::new(
        "",
        "Replace the 外字 with a standard character (or its common form) in the source system; note the official form separately.",
    ),
    explain: Tr::new(
        "",
        "## What it does\nReports characters from the CP932 user-defined area (外字, bytes F040–F9FC), which decode to Unicode Private Use code points U+E000–U+E757.\n\n## Why it matters\nA 外字 shows as a different glyph, or as nothing, on every PC that does not have the same 外字 font: a name on a letter or a certificate prints wrong. shikaku keeps the character and writes it back to CP932 lists unchanged, but the printing side will not show it.\n\n## Example\nA 髙-like form of 高 registered as 外字 `F040` in a name.\n\n## How to fix\nUse the standard character in the data and keep the official form in the fund's 外字 register.",
    ),
};

pub static IN009: Rule = Rule {
    code: "IN009",
    name: "value-format",
    severity: Severity::Error,
    summary: Tr::new(
        "",
        "value outside the accepted format of §3 (性別, 続柄, 被保険者区分, 標準報酬月額, 負担割合, a 1/0 flag)",
    ),
    help: Tr::new("", "Use one of the accepted values listed in the message."),
    explain: Tr::new(
        "",
        "## What it does\nChecks enumerated and numeric fields against their accepted formats, after NFKC normalization and trimming (so `１`, `２割` and `２８０，０００円` are accepted): 性別 1/2/男/女; 続柄 本人, 配偶者, 子, 孫, 父, 母, 祖父, 祖母, 兄, 姉, 弟, 妹, その他 or a value mapped in `[relationship]` of `rules/columns.toml`; 被保険者区分 一般/任意継続/特例退職; 標準報酬月額 a whole number of yen (commas and 円 allowed); 負担割合 2 or 3 (2割, 3割); flags 1/0, 有/無, 要/否. An empty value is never this finding: the field is absent on that row.\n\n## Why it matters\nA value shikaku cannot read is treated as absent: a 3割 decision, a route or a certificate request could silently go the wrong way.\n\n## Example\n性別 `3`, 続柄 `嫁`, 標準報酬月額 `28万`.\n\n## How to fix\nCorrect the value, or map a local 続柄 spelling in `rules/columns.toml` (`\"嫁\" = \"その他\"`).",
    ),
};

/// Ingestion issues (and a fatal input) as findings.
pub fn from_ingest(input: &Input) -> Vec<Finding> {
    let src = &input.source;
    let id = input.id;
    src.issues
        .iter()
        .map(|issue| {
            let at = Anchor { source: id, row: issue.row, field: issue.field };
            let field = match (issue.field, issue.row) {
                (Some(f), _) => f.label(),
                (None, Some(_)) => "a column no field maps to",
                (None, None) => "a title or header record",
            };
            match &issue.kind {
                IssueKind::Undecodable { byte_offset } => Finding::new(
                    &IN001,
                    at,
                    format!(
                        "bytes not valid in {} at byte offset {byte_offset} (in {field})",
                        src.encoding.unwrap_or("the file's encoding")
                    ),
                ),
                IssueKind::Ragged { expected, found, unterminated: true } => Finding::new(
                    &IN002,
                    at,
                    format!("a quote is opened and never closed: the record runs to the end of the file ({found} fields, the header has {expected})"),
                ),
                IssueKind::Ragged { expected, found, .. } => Finding::new(
                    &IN002,
                    at,
                    format!("the record has {found} fields; the header has {expected}"),
                ),
                IssueKind::NumericCode { number, text } => {
                    let message = if issue.field == Some(Field::MyNumber) {
                        // Never print the digits of a My Number.
                        format!("個人番号 was stored as an Excel number: read as {} digits", text.len())
                    } else {
                        format!("{field} was stored as the Excel number {number}: read as text 「{text}」")
                    };
                    Finding::new(&IN004, at, message)
                }
                IssueKind::ErrorCell { text } => {
                    Finding::new(&IN005, at, format!("Excel error cell {text} in {field}"))
                }
                IssueKind::NoRows { sheet: Some(s) } => {
                    Finding::new(&IN007, at, format!("sheet 「{s}」 has a header but no data rows"))
                }
                IssueKind::NoRows { sheet: None } => Finding::new(&IN007, at, "the file has a header but no data rows"),
                IssueKind::Gaiji { ch } => Finding::new(
                    &IN008,
                    at,
                    format!("外字 U+{:04X} (CP932 user-defined character) in {field}", *ch as u32),
                ),
                IssueKind::BadSerial { serial } => Finding::new(
                    &super::birth_date::BD002,
                    at,
                    format!("{field}: Excel serial {serial} names no real day (60 is Excel's non-existent 1900-02-29)"),
                ),
            }
        })
        .collect()
}

/// IN003 (or an unreadable file) as a finding for the JSON stream.
pub fn fatal_finding(source: usize, fatal: &FatalInput) -> Option<Finding> {
    match &fatal.fatal {
        Fatal::MissingColumns {
            missing,
            tried,
            best,
        } => {
            let mut parts = Vec::new();
            for (f, aliases) in tried {
                parts.push(format!("{} (tried: {})", f.label(), aliases.join(", ")));
            }
            let near = match best {
                Some((Some(sheet), row)) => {
                    format!("; closest header: sheet 「{sheet}」 row {row}")
                }
                Some((None, row)) => format!("; closest header: record {row}"),
                None => String::new(),
            };
            let field = missing.first().copied();
            Some(Finding::new(
                &IN003,
                Anchor {
                    source,
                    row: None,
                    field,
                },
                format!("required column missing: {}{near}", parts.join("; ")),
            ))
        }
        Fatal::Unreadable { .. } => None,
    }
}

/// IN006 on every row sharing a key.
pub fn in006(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let hits = input
        .df
        .clone()
        .lazy()
        .filter(col(cols::DUPLICATE))
        .select([
            col(cols::IDX),
            col(cols::KEY),
            len().over([col(cols::KEY)])?.alias("n"),
        ])
        .collect()?;
    let keys = hits.column(cols::KEY)?.str()?;
    let counts = hits.column("n")?.cast(&DataType::UInt32)?;
    let counts = counts.u32()?;
    Ok(super::idxs(&hits)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            Finding::new(
                &IN006,
                Anchor::row(input.id, row),
                format!(
                    "member key {} appears on {} rows of this file",
                    keys.get(i).unwrap_or("?"),
                    counts.get(i).unwrap_or(0)
                ),
            )
        })
        .collect())
}

const ACCEPTED: [(Field, &str); 8] = [
    (Field::Sex, "1/2 or 男/女"),
    (
        Field::Relationship,
        "本人, 配偶者, 子, 孫, 父, 母, 祖父, 祖母, 兄, 姉, 弟, 妹, その他, or a value mapped in [relationship]",
    ),
    (Field::MemberType, "一般, 任意継続 or 特例退職"),
    (
        Field::Remuneration,
        "a whole number of yen, e.g. 280000, 280,000円",
    ),
    (Field::ShareRatio, "2 or 3 (2割, 3割)"),
    (Field::IncomeException, "1/0 (有/無, 要/否)"),
    (Field::MynaRegistered, "1/0 (有/無, 要/否)"),
    (Field::CertRequested, "1/0 (有/無, 要/否)"),
];

/// IN009 on every enumerated or numeric value outside its format.
pub fn in009(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    for (field, accepted) in ACCEPTED {
        if !input.has(field) {
            continue;
        }
        for row in super::rows_where(&input.df, col(st(field)).eq(St::Invalid.lit()))? {
            let raw = input.source.cell(row, field);
            out.push(Finding::new(
                &IN009,
                Anchor::cell(input.id, row, field),
                format!(
                    "{} {} is not an accepted value: expected {accepted}",
                    field.label(),
                    shown(raw)
                ),
            ));
        }
    }
    Ok(out)
}

/// IN004 for bare 5–6 digit postal codes. (An Excel numeric cell is padded to 7 digits and
/// reported by the reader, so it arrives here already well-formed.)
pub fn in004_postal(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    for field in [Field::PostalCode, Field::ResidencePostalCode] {
        if !input.has(field) {
            continue;
        }
        let hits = super::select_where(
            &input.df,
            col(st(field)).eq(St::Padded.lit()),
            &[field.key()],
        )?;
        let padded = super::strs(&hits, field.key())?;
        for (i, row) in super::idxs(&hits)?.into_iter().enumerate() {
            let raw = input.source.cell(row, field);
            out.push(Finding::new(
                &IN004,
                Anchor::cell(input.id, row, field),
                format!(
                    "{} {} lost its leading zeros: read as {}",
                    field.label(),
                    shown(raw),
                    padded.get(i).unwrap_or("?")
                ),
            ));
        }
    }
    Ok(out)
}
