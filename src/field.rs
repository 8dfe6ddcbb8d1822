//! The canonical fields of SPEC §3 and the source kinds that may carry them.

use std::fmt;

/// A canonical field. Header text maps to one of these through `rules/columns.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    InsurerNo,
    Symbol,
    Number,
    Branch,
    Name,
    NameKana,
    BirthDate,
    Sex,
    Relationship,
    MemberType,
    Company,
    AcquiredOn,
    LostOn,
    Remuneration,
    IncomeException,
    MyNumber,
    MyNumberRegisteredOn,
    MynaRegistered,
    CertExpiresOn,
    ShareRatio,
    PostalCode,
    Address,
    ResidencePostalCode,
    ResidenceAddress,
    LeftOn,
    CertRequested,
    Reason,
}

/// How an Excel numeric cell in a code-like field is turned back into text (SPEC §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeWidth {
    /// Integer text, no padding (記号, 番号).
    Free,
    /// Zero-padded to this many digits (枝番 2, 郵便番号 7, 保険者番号 8).
    Fixed(usize),
    /// 個人番号: 4 digits when it fits, else 12.
    MyNumber,
}

impl Field {
    pub const ALL: [Field; 27] = [
        Field::InsurerNo,
        Field::Symbol,
        Field::Number,
        Field::Branch,
        Field::Name,
        Field::NameKana,
        Field::BirthDate,
        Field::Sex,
        Field::Relationship,
        Field::MemberType,
        Field::Company,
        Field::AcquiredOn,
        Field::LostOn,
        Field::Remuneration,
        Field::IncomeException,
        Field::MyNumber,
        Field::MyNumberRegisteredOn,
        Field::MynaRegistered,
        Field::CertExpiresOn,
        Field::ShareRatio,
        Field::PostalCode,
        Field::Address,
        Field::ResidencePostalCode,
        Field::ResidenceAddress,
        Field::LeftOn,
        Field::CertRequested,
        Field::Reason,
    ];

    /// The key used in `columns.toml` and as the column name in frames.
    pub fn key(self) -> &'static str {
        match self {
            Field::InsurerNo => "insurer_no",
            Field::Symbol => "symbol",
            Field::Number => "number",
            Field::Branch => "branch",
            Field::Name => "name",
            Field::NameKana => "name_kana",
            Field::BirthDate => "birth_date",
            Field::Sex => "sex",
            Field::Relationship => "relationship",
            Field::MemberType => "member_type",
            Field::Company => "company",
            Field::AcquiredOn => "acquired_on",
            Field::LostOn => "lost_on",
            Field::Remuneration => "remuneration",
            Field::IncomeException => "income_exception",
            Field::MyNumber => "my_number",
            Field::MyNumberRegisteredOn => "my_number_registered_on",
            Field::MynaRegistered => "myna_registered",
            Field::CertExpiresOn => "cert_expires_on",
            Field::ShareRatio => "share_ratio",
            Field::PostalCode => "postal_code",
            Field::Address => "address",
            Field::ResidencePostalCode => "residence_postal_code",
            Field::ResidenceAddress => "residence_address",
            Field::LeftOn => "left_on",
            Field::CertRequested => "cert_requested",
            Field::Reason => "reason",
        }
    }

    /// The field's first alias in SPEC §3: the `column` of a finding, whatever the file's header said.
    pub fn label(self) -> &'static str {
        match self {
            Field::InsurerNo => "保険者番号",
            Field::Symbol => "記号",
            Field::Number => "番号",
            Field::Branch => "枝番",
            Field::Name => "氏名",
            Field::NameKana => "氏名カナ",
            Field::BirthDate => "生年月日",
            Field::Sex => "性別",
            Field::Relationship => "続柄",
            Field::MemberType => "被保険者区分",
            Field::Company => "会社コード",
            Field::AcquiredOn => "資格取得日",
            Field::LostOn => "資格喪失日",
            Field::Remuneration => "標準報酬月額",
            Field::IncomeException => "基準収入額適用",
            Field::MyNumber => "個人番号",
            Field::MyNumberRegisteredOn => "個人番号登録日",
            Field::MynaRegistered => "マイナ保険証利用登録",
            Field::CertExpiresOn => "資格確認書有効期限",
            Field::ShareRatio => "負担割合",
            Field::PostalCode => "郵便番号",
            Field::Address => "住所",
            Field::ResidencePostalCode => "居所郵便番号",
            Field::ResidenceAddress => "居所",
            Field::LeftOn => "退職日",
            Field::CertRequested => "資格確認書発行要否",
            Field::Reason => "交付事由",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    pub fn is_date(self) -> bool {
        matches!(
            self,
            Field::BirthDate
                | Field::AcquiredOn
                | Field::LostOn
                | Field::MyNumberRegisteredOn
                | Field::CertExpiresOn
                | Field::LeftOn
        )
    }

    /// The member key's parts: an undecodable or error cell here rejects the row.
    pub fn is_key_part(self) -> bool {
        matches!(self, Field::Symbol | Field::Number | Field::Branch)
    }

    /// Code-like fields whose Excel numeric cells are read back as integer text with IN004.
    pub fn code_width(self) -> Option<CodeWidth> {
        match self {
            Field::Symbol | Field::Number => Some(CodeWidth::Free),
            Field::Branch => Some(CodeWidth::Fixed(2)),
            Field::PostalCode | Field::ResidencePostalCode => Some(CodeWidth::Fixed(7)),
            Field::InsurerNo => Some(CodeWidth::Fixed(8)),
            Field::MyNumber => Some(CodeWidth::MyNumber),
            _ => None,
        }
    }

    /// 1/0 flag fields.
    pub fn is_flag(self) -> bool {
        matches!(
            self,
            Field::IncomeException | Field::MynaRegistered | Field::CertRequested
        )
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The four kinds of source file (SPEC §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    Fund,
    Employer,
    NationalList,
    NationalRegistry,
}

impl SourceKind {
    pub const ALL: [SourceKind; 4] = [
        SourceKind::Fund,
        SourceKind::Employer,
        SourceKind::NationalList,
        SourceKind::NationalRegistry,
    ];

    /// The name used on the command line, in config sections and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Fund => "fund",
            SourceKind::Employer => "employer",
            SourceKind::NationalList => "national-list",
            SourceKind::NationalRegistry => "national-registry",
        }
    }

    /// The kind as a message names it: `組合`, `事業主`, `職権交付対象者リスト`, `国の登録情報`
    /// in Japanese; in English its command-line name.
    pub fn label(self) -> &'static str {
        let ja = match self {
            SourceKind::Fund => "組合",
            SourceKind::Employer => "事業主",
            SourceKind::NationalList => "職権交付対象者リスト",
            SourceKind::NationalRegistry => "国の登録情報",
        };
        crate::i18n::pick(ja, self.name())
    }

    pub fn from_name(name: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Fields without which a file of this kind cannot be read (IN003).
    pub fn required(self) -> &'static [Field] {
        match self {
            SourceKind::Fund => &[
                Field::Symbol,
                Field::Number,
                Field::Branch,
                Field::BirthDate,
                Field::Name,
                Field::MemberType,
            ],
            _ => &[
                Field::Symbol,
                Field::Number,
                Field::Branch,
                Field::BirthDate,
            ],
        }
    }

    /// Every field a file of this kind may carry.
    pub fn allowed(self) -> &'static [Field] {
        use Field::*;
        match self {
            SourceKind::Fund => &[
                InsurerNo,
                Symbol,
                Number,
                Branch,
                Name,
                NameKana,
                BirthDate,
                Sex,
                Relationship,
                MemberType,
                Company,
                AcquiredOn,
                LostOn,
                Remuneration,
                IncomeException,
                MyNumber,
                MyNumberRegisteredOn,
                MynaRegistered,
                CertExpiresOn,
                ShareRatio,
                PostalCode,
                Address,
                ResidencePostalCode,
                ResidenceAddress,
            ],
            SourceKind::Employer => &[
                Symbol,
                Number,
                Branch,
                BirthDate,
                Name,
                NameKana,
                Sex,
                Relationship,
                Company,
                MyNumber,
                PostalCode,
                Address,
                AcquiredOn,
                LeftOn,
                CertRequested,
                Remuneration,
            ],
            SourceKind::NationalList => &[
                Symbol, Number, Branch, BirthDate, InsurerNo, NameKana, Sex, Reason,
            ],
            SourceKind::NationalRegistry => &[
                Symbol,
                Number,
                Branch,
                BirthDate,
                InsurerNo,
                NameKana,
                Sex,
                MyNumber,
                ShareRatio,
                MynaRegistered,
            ],
        }
    }

    /// Sources whose rows are memberships grouped in households (ID002 and BD006 apply).
    pub fn has_households(self) -> bool {
        matches!(self, SourceKind::Fund | SourceKind::Employer)
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_key_round_trips_and_is_unique() {
        let mut keys: Vec<_> = Field::ALL.iter().map(|f| f.key()).collect();
        for f in Field::ALL {
            assert_eq!(Field::from_key(f.key()), Some(f));
        }
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), Field::ALL.len());
    }

    #[test]
    fn required_fields_are_allowed_for_every_kind() {
        for kind in SourceKind::ALL {
            for f in kind.required() {
                assert!(kind.allowed().contains(f), "{kind}: {f:?}");
            }
        }
    }

    #[test]
    fn fund_carries_everything_but_employer_and_list_only_fields() {
        let fund = SourceKind::Fund.allowed();
        for f in Field::ALL {
            let employer_or_list_only =
                matches!(f, Field::LeftOn | Field::CertRequested | Field::Reason);
            assert_eq!(fund.contains(&f), !employer_or_list_only, "{f:?}");
        }
    }
}
