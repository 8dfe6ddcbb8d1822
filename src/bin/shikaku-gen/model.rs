//! The sample fund's people, what each source says about them, and what was planted.

use chrono::NaiveDate;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MemberType {
    Ippan,
    Ninkei,
    Tokutai,
}

impl MemberType {
    pub fn label(self) -> &'static str {
        match self {
            MemberType::Ippan => "一般",
            MemberType::Ninkei => "任意継続",
            MemberType::Tokutai => "特例退職",
        }
    }
    /// 任意継続/特例退職: mail goes home (居所), base date is the individual one.
    pub fn individual(self) -> bool {
        self != MemberType::Ippan
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rel {
    Honnin,
    Haigusha,
    Ko,
    Haha,
}

impl Rel {
    pub fn label(self) -> &'static str {
        match self {
            Rel::Honnin => "本人",
            Rel::Haigusha => "配偶者",
            Rel::Ko => "子",
            Rel::Haha => "母",
        }
    }
}

/// Which source a row or a planted problem is in. `Emp` is the member's employer file.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Src {
    Fund,
    Registry,
    List,
    Emp,
}

/// The canonical fields are the crate's own (SPEC §3); `label()` is the first alias.
pub use shikaku::field::Field;
/// A text in both languages, as the crate writes its fixed texts: `Tr::new(ja, en)`.
pub use shikaku::i18n::{Lang, Tr};

/// One cell as a writer should store it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// Bytes written as-is into a CSV (used to plant bytes that are invalid CP932).
    Raw(Vec<u8>),
    /// A numeric spreadsheet cell.
    Num(f64),
    /// A spreadsheet date cell.
    Date(NaiveDate),
    /// A spreadsheet formula `=NA()` whose cached value is the error #N/A.
    NaError,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }
}

/// When a planted finding shows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ctx {
    /// single-source: `check` and `reconcile`, --as-of 2026-11-01
    Check,
    /// cross-source: `reconcile`, --as-of 2026-11-01
    Reconcile,
    /// `mailing --document notice` at the household's base date (2024-08-31, or 2024-09-14
    /// for 任意継続/特例退職)
    Mailing,
}

#[derive(Clone, Debug)]
pub struct Plant {
    pub src: Src,
    pub field: Option<Field>,
    pub codes: &'static str,
    pub ctx: Vec<Ctx>,
    /// What was planted, for the README's planted-problems table (English and Japanese).
    pub what: Tr,
}

#[derive(Clone, Debug)]
pub struct Member {
    pub symbol: String,
    pub number: u32,
    pub branch: u8,
    pub name: String,
    /// Full-width katakana, family and given name separated by U+3000.
    pub kana: String,
    pub birth: NaiveDate,
    pub sex: u8,
    pub rel: Rel,
    pub mtype: MemberType,
    /// The fund's 会社コード ("" for 任意継続/特例退職).
    pub company: String,
    /// The company whose employer file lists this person.
    pub emp_company: String,
    pub acquired: NaiveDate,
    pub lost: Option<NaiveDate>,
    pub remuneration: Option<u32>,
    pub income_exception: Option<bool>,
    pub my_number: Option<String>,
    pub mn_registered: Option<NaiveDate>,
    pub myna: bool,
    pub cert: Option<NaiveDate>,
    pub ratio: Option<u8>,
    pub postal: String,
    /// 郵便番号 written with a hyphen in the fund.
    pub postal_hyphen: bool,
    pub address: String,
    pub res_postal: String,
    pub res_address: String,
    /// Fill my_number registration date and certificate at random in `finish`.
    pub auto: bool,
    /// Give a member not registered for マイナ保険証 a certificate valid beyond the window.
    pub auto_cert: bool,

    pub in_fund: bool,
    pub in_registry: bool,
    /// Registry's マイナ保険証利用登録 when it differs from the fund's.
    pub registry_myna: Option<bool>,
    /// On the 職権交付対象者リスト, with this 交付事由.
    pub on_list: Option<String>,
    pub in_employer: bool,
    /// Number of rows in the employer file (2 = planted duplicate).
    pub emp_rows: u8,
    pub left_on: Option<NaiveDate>,
    pub cert_requested: bool,
    /// Drop the last field of this member's row in this source (IN002).
    pub ragged: Option<Src>,
    pub ov: Vec<(Src, Field, Cell)>,
    pub plants: Vec<Plant>,
    pub expect_cert: Option<&'static str>,
    pub expect_return: Option<&'static str>,
    /// The roster's note: set with [`Member::set_note`], read with [`Member::note_in`]
    /// (empty for a filler).
    pub note: String,
}

impl Member {
    pub fn key(&self) -> String {
        format!("{}-{}-{:02}", self.symbol, self.number, self.branch)
    }

    pub fn household(&self) -> (String, u32) {
        (self.symbol.clone(), self.number)
    }

    pub fn override_of(&self, src: Src, field: Field) -> Option<&Cell> {
        self.ov
            .iter()
            .rev()
            .find(|(s, f, _)| *s == src && *f == field)
            .map(|(_, _, c)| c)
    }

    pub fn set(&mut self, src: Src, field: Field, cell: Cell) {
        self.ov.push((src, field, cell));
    }

    pub fn plant(
        &mut self,
        src: Src,
        field: Option<Field>,
        codes: &'static str,
        ctx: &[Ctx],
        what: Tr,
    ) {
        self.plants.push(Plant {
            src,
            field,
            codes,
            ctx: ctx.to_vec(),
            what,
        });
    }

    /// The note in both languages, kept as one line each (Japanese first) in `note`.
    pub fn set_note(&mut self, note: Tr) {
        self.note = format!("{}\n{}", note.ja, note.en);
    }

    /// The note's text in one language ("" when there is none).
    pub fn note_in(&self, lang: Lang) -> &str {
        let (ja, en) = self.note.split_once('\n').unwrap_or(("", ""));
        match lang {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    pub fn last4(&self) -> Option<&str> {
        self.my_number
            .as_deref()
            .and_then(|n| n.get(n.len().saturating_sub(4)..))
    }
}
