//! IN001–IN009: reading the file itself (SPEC §3, §5).

use super::{Ctx, shown};
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Anchor, Finding, Rule, Severity};
use crate::i18n::Tr;
use crate::ingest::{Fatal, FatalInput, IssueKind};
use crate::prepare::{Col, Input, St, c};
use polars::prelude::*;

pub static IN001: Rule = Rule {
    code: "IN001",
    name: "undecodable-bytes",
    severity: Severity::Error,
    summary: Tr::new(
        "ファイルの文字コードでは読めないバイトがある（バイト位置はメッセージに表示）",
        "bytes not valid in the file's encoding (byte offset in the message)",
    ),
    help: Tr::new(
        "作成元のシステムから CP932（Shift_JIS）または UTF-8 で出力し直してください。他のソフトから文字を貼り付けないでください。",
        "Re-export the file as CP932 (Shift_JIS) or UTF-8 from the system that made it; do not paste text from other programs into it.",
    ),
    explain: Tr::new(
        "## 確認する内容\nファイルの文字コードを判定し（BOM があればそれに従い、なければ UTF-8 として正しければ UTF-8、それ以外は CP932）、その文字コードとして正しくないバイト列をすべて、バイト位置・行・列とともに報告します。該当するバイトは U+FFFD（�）に置き換えて処理を続けます。\n\n## 確認する理由\n氏名や住所に壊れたバイトがあると、文字化けしたまま印字されるおそれがあります。そのため読めない値として扱い、その値を使う判定（資格確認書の交付、お知らせの送付、その値の印字）は保留して、概要に件数を示します。記号・番号・枝番にある場合は加入者を特定できないため、その行は除外され、照合にも判定にも使いません。\n\n## 例\nCP932 のファイルで、カンマの直前に先行バイト `0x81` だけが残っている：`山田,0x81,...`\n\n## 対処方法\n作成元のシステムからファイルを出力し直してください。UTF-8 のファイルが CP932 として読まれている（またはその逆の）場合は、`--input-encoding utf8` または `cp932` を指定してください。",
        "## What it does\nDecodes the file (BOM, else valid UTF-8, else CP932) and reports every byte sequence that is not valid in that encoding, with its byte offset, row and column. The bytes are replaced by U+FFFD and the run goes on.\n\n## Why it matters\nA broken byte in a name or address would print as garbage on a letter, so the value is unreadable: every decision that needs it (a certificate, a letter, printing it) is withheld and counted in the summary. In 記号・番号・枝番 it makes the member key unreadable, so the row is rejected and takes part in no reconciliation.\n\n## Example\nA lone lead byte `0x81` before a comma in a CP932 file: `山田,0x81,...`.\n\n## How to fix\nRe-export the file from the source system. If the file is UTF-8 but was read as CP932 (or the reverse), pass `--input-encoding utf8` or `cp932`.",
    ),
};

pub static IN002: Rule = Rule {
    code: "IN002",
    name: "ragged-row",
    severity: Severity::Error,
    summary: Tr::new(
        "項目数が見出し行と合わない行",
        "row with the wrong number of fields",
    ),
    help: Tr::new(
        "見出し行と項目数が違います。カンマを含む値が引用符で囲まれているか、引用符が閉じられているかを確認し、出力し直してください。",
        "The row has more or fewer fields than the header: look for an unquoted comma or a missing quote, and fix the export.",
    ),
    explain: Tr::new(
        "## 確認する内容\nCSV の各レコードの項目数を見出し行と比べます。項目数が違うレコードと、引用符が最後まで閉じられていないレコードを報告します。\n\n## 確認する理由\n余分なカンマがあると、その後ろの値が別の見出しの下にずれます（住所が郵便番号に、日付が性別に入るなど）。この行は除外されます。件数には数えて報告しますが、ファイル間の照合にも、交付・返納・送付の判定にも使いません。\n\n## 例\n見出し `記号,番号,枝番,氏名,住所` に対して、レコード `1001,12,00,山田 太郎,東京都千代田区丸の内1-1-1,3F`（住所の中のカンマが引用符で囲まれていない）。\n\n## 対処方法\nカンマを含む値を引用符で囲む（`\"…,3F\"`）か、カンマを取り除いて出力し直してください。",
        "## What it does\nCompares the number of fields of every CSV record with the header's. A record with a different count, or one whose quote is never closed, is reported.\n\n## Why it matters\nFields after a stray comma shift under the wrong header: an address lands in 郵便番号, a date in 性別. The row is rejected: it is counted, reported, and takes part in no cross-source rule and no decision.\n\n## Example\nHeader `記号,番号,枝番,氏名,住所` and a record `1001,12,00,山田 太郎,東京都千代田区丸の内1-1-1,3F` (the address holds an unquoted comma).\n\n## How to fix\nQuote fields that contain commas (`\"…,3F\"`), or remove the comma, and re-export.",
    ),
};

pub static IN003: Rule = Rule {
    code: "IN003",
    name: "required-column-missing",
    severity: Severity::Fatal,
    summary: Tr::new(
        "必須の列がない（見出しがどの別名にも一致しない）",
        "required column missing (no alias matched)",
    ),
    help: Tr::new(
        "列を追加するか、ファイルの見出しを rules/columns.toml の該当する項目の別名に加えてください。",
        "Add the column, or add the file's header text as an alias for the field in rules/columns.toml.",
    ),
    explain: Tr::new(
        "## 確認する内容\n各シートの先頭30行から見出し行を探します。ファイルの種類ごとの必須項目がすべて対応付く最初の行が見出し行です（見出しは NFKC 正規化と空白の除去をしたうえで、`rules/columns.toml` の別名と照合します）。該当する行がなければ、そのファイルは読み込めません。\n\n## 確認する理由\n記号・番号・枝番と生年月日がなければ、加入者を特定できません。致命的エラーで、終了コードは2です。組合の加入者台帳（`reconcile` では職権交付対象者リストも）で起きた場合は何も出力しません。それ以外のファイルで起きた場合は、そのファイルを除いて最後まで処理します。\n\n## 例\n事業主から、見出しが `番号` ではなく `被保番号` のファイルが届いた。\n\n## 対処方法\n`shikaku inspect FILE --kind KIND` で見出しがどう読まれたかを確認し、`rules/columns.toml` の該当する項目の別名に見出しを加えてください。\n\n```toml\n[employer]\nnumber = [\"番号\", \"被保番号\"]\n```",
        "## What it does\nLooks for the header among the first 30 rows of every sheet: the first row whose cells map every required field of the source kind (header text is matched after NFKC normalization and white-space removal against the aliases in `rules/columns.toml`). When no row qualifies, the file cannot be read.\n\n## Why it matters\nWithout 記号・番号・枝番 and 生年月日 no member can be identified. This is fatal: exit code 2. If it is the fund file (or, in `reconcile`, the national list) nothing is written; another file is left out and the run finishes without it.\n\n## Example\nAn employer sends `被保番号` instead of `番号`.\n\n## How to fix\nRun `shikaku inspect FILE --kind KIND` to see how the header was read, then add the header text to the field's aliases in `rules/columns.toml`:\n\n```toml\n[employer]\nnumber = [\"番号\", \"被保番号\"]\n```",
    ),
};

pub static IN004: Rule = Rule {
    code: "IN004",
    name: "code-stored-as-number",
    severity: Severity::Warning,
    summary: Tr::new(
        "コード類が Excel の数値で保存されている、または郵便番号が5〜6桁：文字として読み、先頭の0を補った",
        "code-like value stored as an Excel number, or a 5–6 digit postal code: read as text, leading zeros restored",
    ),
    help: Tr::new(
        "コード類を入力する前に、Excel で列の表示形式を文字列（@）にしてください。先頭の0が消えなくなります。",
        "Format the column as text (@) in Excel before typing codes, so leading zeros are kept.",
    ),
    explain: Tr::new(
        "## 確認する内容\n記号・番号・枝番・郵便番号・保険者番号・個人番号が Excel の数値のセルの場合、整数の文字として読み直し（`123.0` にはしません）、項目の桁数まで先頭に0を補います（枝番2桁、郵便番号7桁、保険者番号8桁、個人番号12桁または4桁）。どのファイルでも、5桁または6桁だけの郵便番号は同じように7桁に補います。\n\n## 確認する理由\nExcel は数値の先頭の0を落とします。北海道の郵便番号は0で始まるため、`0600001` が `600001` になります。shikaku は補って読みますが、他のシステムでも正しく読めるよう、作成元を直してください。\n\n## 例\n数値の `1` と入力された枝番は `01`、郵便番号 `600001` は `0600001` として読みます。\n\n## 対処方法\n事業主のひな形で、コード類の列の表示形式を文字列にしてください。",
        "## What it does\nAn Excel numeric cell in 記号, 番号, 枝番, 郵便番号, 保険者番号 or 個人番号 is read back as integer text (never `123.0`), zero-padded to the field's width (枝番 2, 郵便番号 7, 保険者番号 8, 個人番号 12 or 4). A bare 5 or 6 digit postal code in any file is padded to 7 the same way.\n\n## Why it matters\nExcel drops leading zeros of numbers: Hokkaido postal codes start with 0, and `0600001` becomes `600001`. shikaku restores them, but the source should be fixed so other systems read it right.\n\n## Example\n枝番 typed as the number `1` is read as `01`; 郵便番号 `600001` is read as `0600001`.\n\n## How to fix\nFormat code columns as text in the employer's template.",
    ),
};

pub static IN005: Rule = Rule {
    code: "IN005",
    name: "excel-error-cell",
    severity: Severity::Error,
    summary: Tr::new(
        "Excel のエラー値のセル（#N/A、#REF! など）",
        "Excel error cell (#N/A, #REF!, …)",
    ),
    help: Tr::new(
        "作成元のブックで数式を直すか、数式ではなく値を貼り付けてください。",
        "Fix the formula in the source workbook, or paste the values instead of formulas.",
    ),
    explain: Tr::new(
        "## 確認する内容\n保存されている値が Excel のエラー値（#N/A、#REF!、#VALUE!、#DIV/0!、#NAME?、#NULL!、#NUM!）のセルを報告します。\n\n## 確認する理由\n値が分かりません。記号・番号・枝番にある場合、その行は除外されます。それ以外の項目では、その値を使う判定（資格確認書の交付・返納、お知らせの送付、その値の印字）を保留し、概要に件数を示します。資格喪失日を「喪失していない」とみなしたり、#N/A を氏名や住所として印字したりはしません。\n\n## 例\n住所の `=VLOOKUP(A2,社員マスタ!A:F,6,FALSE)` に一致するものがなく、`#N/A` になっている。\n\n## 対処方法\n数式または参照先の表を直すか、値を貼り付けてください。",
        "## What it does\nReports cells whose cached value is an Excel error (#N/A, #REF!, #VALUE!, #DIV/0!, #NAME?, #NULL!, #NUM!).\n\n## Why it matters\nThe value is unknown. In 記号・番号・枝番 the row is rejected; in any other field every decision that needs it (a certificate, a return, a letter, printing the value) is withheld and counted in the summary: a 資格喪失日 is never taken as \"not lost\", and #N/A is never printed as a name or an address.\n\n## Example\n`=VLOOKUP(A2,社員マスタ!A:F,6,FALSE)` in 住所 with no match shows `#N/A`.\n\n## How to fix\nCorrect the formula or its lookup table, or paste values.",
    ),
};

pub static IN006: Rule = Rule {
    code: "IN006",
    name: "duplicate-key",
    severity: Severity::Error,
    summary: Tr::new(
        "同じファイルの中で記号・番号・枝番が重複している（重複するすべての行で報告）",
        "duplicate member key within one source (raised on every row sharing it)",
    ),
    help: Tr::new(
        "1人は1つのファイルに1行です。重複した行を削除するか、記号・番号・枝番を正してください。",
        "Each member appears once per file: remove the duplicate row or correct its 記号・番号・枝番.",
    ),
    explain: Tr::new(
        "## 確認する内容\n同じファイルの中で2行以上に現れる記号・番号・枝番（正規化後）を探し、該当するすべての行を報告します。\n\n## 確認する理由\nshikaku は、2行のうち一方を黙って選ぶことはしません。同じ記号・番号・枝番の行はすべて除外され、照合にも判定にも使わないため、データを直すまでその方には資格確認書も通知も出ません。\n\n## 例\n事業主のファイルに `1001-12-01` が2行ある（子を2回入力した、または2人目の子に1人目の枝番を付けた）。\n\n## 対処方法\n重複した行を削除するか、2人目の方に本来の枝番を付けてください。",
        "## What it does\nFinds member keys (記号-番号-枝番, after normalization) that occur on more than one row of the same file, and reports every such row.\n\n## Why it matters\nshikaku never silently picks one of two rows: every row sharing the key is rejected and takes part in no cross-source rule and no decision, so that member gets no certificate and no letter until the data is fixed.\n\n## Example\nTwo rows `1001-12-01` in an employer file: a child entered twice, or a second child given the first child's 枝番.\n\n## How to fix\nDelete the duplicate, or give the second person their own 枝番.",
    ),
};

pub static IN007: Rule = Rule {
    code: "IN007",
    name: "no-data-rows",
    severity: Severity::Warning,
    summary: Tr::new("データ行がない", "source has no data rows"),
    help: Tr::new(
        "正しいファイル（シート）が出力されたか確認してください。見出しはありますが、加入者が1人もいません。",
        "Check that the right file (or sheet) was exported: it has a header but no members.",
    ),
    explain: Tr::new(
        "## 確認する内容\nファイル、または見出しのあるシートにデータ行が1行もない場合に警告します（空白の行はデータ行に数えません）。\n\n## 確認する理由\n空のファイルは、対象月の誤り、抽出条件の誤り、出力処理の失敗であることがほとんどです。空のファイルと照合すると、全員が「いない」と報告されます。\n\n## 例\n事業主のブックの「被扶養者」シートに、見出ししかない。\n\n## 対処方法\n出力し直してください。本当に該当者がいない場合は、この警告は無視してかまいません。",
        "## What it does\nWarns when a file, or a sheet with a header, has no data rows under it (blank rows are not data rows).\n\n## Why it matters\nAn empty export usually means the wrong month, the wrong filter or a failed job. A reconciliation against an empty file would report every member as missing.\n\n## Example\nAn employer workbook whose 被扶養者 sheet holds only the header.\n\n## How to fix\nRe-run the export; if the source really has no members, the warning can be ignored.",
    ),
};

pub static IN008: Rule = Rule {
    code: "IN008",
    name: "gaiji",
    severity: Severity::Warning,
    summary: Tr::new(
        "外字（CP932 の利用者定義領域 F040〜F9FC。Unicode の私用領域として読む）",
        "外字 (CP932 user-defined area F040–F9FC, decoded to Private Use code points)",
    ),
    help: Tr::new(
        "作成元のシステムで外字を標準の文字（または一般的な字形）に置き換え、正式な字形は別に控えてください。",
        "Replace the 外字 with a standard character (or its common form) in the source system; note the official form separately.",
    ),
    explain: Tr::new(
        "## 確認する内容\nCP932 の利用者定義領域（外字、バイト F040〜F9FC）の文字を報告します。これらの文字は Unicode の私用領域 U+E000〜U+E757 として読み込まれます。\n\n## 確認する理由\n外字は、同じ外字フォントが入っていないパソコンでは別の字形で表示されるか、何も表示されません。通知や資格確認書の氏名が正しく印字されません。shikaku は文字をそのまま保持し、CP932 の一覧にもそのまま書き戻しますが、印刷する側では表示されません。\n\n## 例\n氏名に、外字 `F040` として登録した「髙」のような字形の「高」がある。\n\n## 対処方法\nデータには標準の文字を使い、正式な字形は組合の外字台帳で管理してください。",
        "## What it does\nReports characters from the CP932 user-defined area (外字, bytes F040–F9FC), which decode to Unicode Private Use code points U+E000–U+E757.\n\n## Why it matters\nA 外字 shows as a different glyph, or as nothing, on every PC that does not have the same 外字 font: a name on a letter or a certificate prints wrong. shikaku keeps the character and writes it back to CP932 lists unchanged, but the printing side will not show it.\n\n## Example\nA 髙-like form of 高 registered as 外字 `F040` in a name.\n\n## How to fix\nUse the standard character in the data and keep the official form in the fund's 外字 register.",
    ),
};

pub static IN009: Rule = Rule {
    code: "IN009",
    name: "value-format",
    severity: Severity::Error,
    summary: Tr::new(
        "受け付ける形式に合わない値（性別、続柄、被保険者区分、標準報酬月額、負担割合、1/0 の区分）",
        "value outside the accepted format of §3 (性別, 続柄, 被保険者区分, 標準報酬月額, 負担割合, a 1/0 flag)",
    ),
    help: Tr::new(
        "指摘に示した「受け付ける値」のいずれかで入力してください。",
        "Use one of the accepted values listed in the message.",
    ),
    explain: Tr::new(
        "## 確認する内容\n区分や金額の項目を、NFKC 正規化と前後の空白の除去をしたうえで、受け付ける形式と照らし合わせます（`１`、`２割`、`２８０，０００円` も受け付けます）。\n\n- 性別：1/2、男/女\n- 続柄：本人、配偶者、子、孫、父、母、祖父、祖母、兄、姉、弟、妹、その他、または `rules/columns.toml` の `[relationship]` で対応付けた値\n- 被保険者区分：一般、任意継続、特例退職\n- 標準報酬月額：円単位の整数（カンマと「円」は可）\n- 負担割合：2 または 3（2割、3割）\n- 1/0 の区分：1/0、有/無、要/否\n\n空欄はこの指摘の対象ではありません（その行にはその項目がないものとして扱います）。\n\n## 確認する理由\n読めない値から判定はしません。その値を使う判定（3割の判定、送付方法、資格確認書の交付、マイナ保険証の利用登録による判断）は保留し、概要に件数を示します。`済` のような利用登録を「登録なし」として資格確認書を交付すると、マイナ保険証と資格確認書を併せて持つことになりかねません。\n\n## 例\n性別 `3`、続柄 `嫁`、標準報酬月額 `28万`。\n\n## 対処方法\n値を正すか、事業所独自の続柄の書き方を `rules/columns.toml` で対応付けてください（`\"嫁\" = \"その他\"`）。",
        "## What it does\nChecks enumerated and numeric fields against their accepted formats, after NFKC normalization and trimming (so `１`, `２割` and `２８０，０００円` are accepted): 性別 1/2/男/女; 続柄 本人, 配偶者, 子, 孫, 父, 母, 祖父, 祖母, 兄, 姉, 弟, 妹, その他 or a value mapped in `[relationship]` of `rules/columns.toml`; 被保険者区分 一般/任意継続/特例退職; 標準報酬月額 a whole number of yen (commas and 円 allowed); 負担割合 2 or 3 (2割, 3割); flags 1/0, 有/無, 要/否. An empty value is never this finding: the field is absent on that row.\n\n## Why it matters\nNo decision is made from a value shikaku cannot read: every decision that needs it (a 3割 decision, a route, a certificate, a registration) is withheld and counted in the summary. Reading `済` as \"not registered\" would issue a certificate to someone who holds マイナ保険証.\n\n## Example\n性別 `3`, 続柄 `嫁`, 標準報酬月額 `28万`.\n\n## How to fix\nCorrect the value, or map a local 続柄 spelling in `rules/columns.toml` (`\"嫁\" = \"その他\"`).",
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
                (None, Some(_)) => Tr::new("どの項目にも対応しない列", "a column no field maps to").get(),
                (None, None) => Tr::new("表題または見出しの行", "a title or header record").get(),
            };
            match &issue.kind {
                IssueKind::Undecodable { byte_offset } => Finding::new(
                    &IN001,
                    at,
                    crate::tr!(
                        "{field}に、{} として正しくないバイトがあります（バイト位置 {byte_offset}）",
                        "bytes not valid in {} at byte offset {byte_offset} (in {field})";
                        src.encoding.unwrap_or(Tr::new("ファイルの文字コード", "the file's encoding").get())
                    ),
                ),
                IssueKind::Ragged { expected, found, unterminated: true } => Finding::new(
                    &IN002,
                    at,
                    crate::tr!("引用符が閉じられていないため、ファイルの最後までが1つのレコードになっています（項目数 {found}、見出しは {expected}）", "a quote is opened and never closed: the record runs to the end of the file ({found} fields, the header has {expected})"),
                ),
                IssueKind::Ragged { expected, found, .. } => Finding::new(
                    &IN002,
                    at,
                    crate::tr!("このレコードの項目数は {found} で、見出しの {expected} と合いません", "the record has {found} fields; the header has {expected}"),
                ),
                IssueKind::NumericCode { number, text } => {
                    let message = if issue.field == Some(Field::MyNumber) {
                        // Never print the digits of a My Number.
                        crate::tr!("個人番号が Excel の数値で保存されていました。{}桁の文字として読みました", "個人番号 was stored as an Excel number: read as {} digits"; text.len())
                    } else {
                        crate::tr!("{field}が Excel の数値 {number} で保存されていました。文字の「{text}」として読みました", "{field} was stored as the Excel number {number}: read as text 「{text}」")
                    };
                    Finding::new(&IN004, at, message)
                }
                IssueKind::ErrorCell { text } => {
                    Finding::new(&IN005, at, crate::tr!("{field}が Excel のエラー値 {text} です", "Excel error cell {text} in {field}"))
                }
                IssueKind::NoRows { sheet: Some(s) } => {
                    Finding::new(&IN007, at, crate::tr!("シート「{s}」に見出しはありますが、データ行がありません", "sheet 「{s}」 has a header but no data rows"))
                }
                IssueKind::NoRows { sheet: None } => Finding::new(&IN007, at, crate::tr!("ファイルに見出しはありますが、データ行がありません", "the file has a header but no data rows")),
                IssueKind::Gaiji { ch } => Finding::new(
                    &IN008,
                    at,
                    crate::tr!("{field}に外字 U+{:04X}（CP932 の利用者定義文字）があります", "外字 U+{:04X} (CP932 user-defined character) in {field}"; *ch as u32),
                ),
                IssueKind::BadSerial { serial } => Finding::new(
                    &super::birth_date::BD002,
                    at,
                    crate::tr!("{field}：Excel のシリアル値 {serial} に当たる日付は実在しません（60 は Excel にしかない 1900-02-29 です）", "{field}: Excel serial {serial} names no real day (60 is Excel's non-existent 1900-02-29)"),
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
                parts.push(crate::tr!("{}（試した見出し：{}）", "{} (tried: {})"; f.label(), aliases.join(Tr::new("、", ", ").get())));
            }
            let near = match best {
                Some((Some(sheet), row)) => {
                    crate::tr!(
                        "。見出しに最も近い行：シート「{sheet}」の{row}行目",
                        "; closest header: sheet 「{sheet}」 row {row}"
                    )
                }
                Some((None, row)) => crate::tr!(
                    "。見出しに最も近い行：{row}行目",
                    "; closest header: record {row}"
                ),
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
                crate::tr!("必須の列がありません：{}{near}", "required column missing: {}{near}"; parts.join(Tr::new("／", "; ").get())),
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
        .filter(c(Col::Duplicate))
        .select([
            c(Col::Idx),
            c(Col::Key),
            len().over([c(Col::Key)])?.alias("n"),
        ])
        .collect()?;
    let keys = hits.column(&Col::Key.name())?.str()?;
    let counts = hits.column("n")?.cast(&DataType::UInt32)?;
    let counts = counts.u32()?;
    Ok(super::idxs(&hits)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            Finding::new(
                &IN006,
                Anchor::row(input.id, row),
                crate::tr!(
                    "記号・番号・枝番 {} がこのファイルの{}行にあります",
                    "member key {} appears on {} rows of this file";
                    keys.get(i).unwrap_or("?"),
                    counts.get(i).unwrap_or(0)
                ),
            )
        })
        .collect())
}

const FLAG: Tr = Tr::new("1/0（有/無、要/否）", "1/0 (有/無, 要/否)");

const ACCEPTED: [(Field, Tr); 8] = [
    (Field::Sex, Tr::new("1/2 または 男/女", "1/2 or 男/女")),
    (
        Field::Relationship,
        Tr::new(
            "本人、配偶者、子、孫、父、母、祖父、祖母、兄、姉、弟、妹、その他、または [relationship] で対応付けた値",
            "本人, 配偶者, 子, 孫, 父, 母, 祖父, 祖母, 兄, 姉, 弟, 妹, その他, or a value mapped in [relationship]",
        ),
    ),
    (
        Field::MemberType,
        Tr::new("一般、任意継続、特例退職", "一般, 任意継続 or 特例退職"),
    ),
    (
        Field::Remuneration,
        Tr::new(
            "円単位の整数（280000、280,000円 など）",
            "a whole number of yen, e.g. 280000, 280,000円",
        ),
    ),
    (
        Field::ShareRatio,
        Tr::new("2 または 3（2割、3割）", "2 or 3 (2割, 3割)"),
    ),
    (Field::IncomeException, FLAG),
    (Field::MynaRegistered, FLAG),
    (Field::CertRequested, FLAG),
];

/// IN009 on every enumerated or numeric value outside its format.
pub fn in009(_: &Ctx, input: &Input) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    for (field, accepted) in ACCEPTED {
        if !input.has(field) {
            continue;
        }
        for row in super::rows_where(&input.df, c(Col::Status(field)).eq(St::Invalid.lit()))? {
            let raw = input.source.cell(row, field);
            out.push(Finding::new(
                &IN009,
                Anchor::cell(input.id, row, field),
                crate::tr!(
                    "{}の{}は受け付けられない値です（受け付ける値：{accepted}）",
                    "{} {} is not an accepted value: expected {accepted}";
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
            c(Col::Status(field)).eq(St::Padded.lit()),
            &[Col::Value(field)],
        )?;
        let padded = super::strs(&hits, field.key())?;
        for (i, row) in super::idxs(&hits)?.into_iter().enumerate() {
            let raw = input.source.cell(row, field);
            out.push(Finding::new(
                &IN004,
                Anchor::cell(input.id, row, field),
                crate::tr!(
                    "{}の{}は先頭の0が落ちています。{} として読みました",
                    "{} {} lost its leading zeros: read as {}";
                    field.label(),
                    shown(raw),
                    padded.get(i).unwrap_or("?")
                ),
            ));
        }
    }
    Ok(out)
}
