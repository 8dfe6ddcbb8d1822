//! `columns.toml`: header aliases per source kind and field, era-digit convention, 続柄 mapping.

use super::ConfigError;
use crate::domain::date::EraDigits;
use crate::field::{Field, SourceKind};
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;
use unicode_normalization::UnicodeNormalization;

const BUILTIN: &str = include_str!("../../rules/columns.toml");

/// The 続柄 values shikaku accepts (SPEC §3); raw values map onto these through `[relationship]`.
pub const RELATIONSHIPS: [&str; 13] = [
    "本人",
    "配偶者",
    "子",
    "孫",
    "父",
    "母",
    "祖父",
    "祖母",
    "兄",
    "姉",
    "弟",
    "妹",
    "その他",
];

/// Header aliases of one source kind.
#[derive(Debug, Clone, Default)]
pub struct KindColumns {
    pub era_digits: EraDigits,
    /// Aliases as written in the config, per field, in order.
    pub aliases: BTreeMap<Field, Vec<String>>,
    /// Every alias normalized, to the first field (in `Field` order) that lists it: a header
    /// search looks up each cell of up to 30 rows, and normalizing every alias for each cell
    /// was most of reading a small file.
    normalized: BTreeMap<String, Field>,
}

impl KindColumns {
    /// The field a header cell maps to, if any (NFKC + white-space removal on both sides).
    pub fn field_for(&self, header: &str) -> Option<Field> {
        let h = normalize_header(header);
        if h.is_empty() {
            return None;
        }
        self.normalized.get(&h).copied()
    }

    fn index_aliases(&mut self) {
        self.normalized.clear();
        for (field, aliases) in &self.aliases {
            for alias in aliases {
                self.normalized
                    .entry(normalize_header(alias))
                    .or_insert(*field);
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Columns {
    kinds: BTreeMap<SourceKind, KindColumns>,
    /// Normalized raw 続柄 → accepted value.
    relationship: BTreeMap<String, String>,
}

/// Header cells and aliases compare after NFKC and removal of all white space.
pub fn normalize_header(text: &str) -> String {
    // ASCII is its own NFKC form.
    if text.is_ascii() {
        return text.chars().filter(|c| !c.is_whitespace()).collect();
    }
    text.nfkc().filter(|c| !c.is_whitespace()).collect()
}

type Sections = BTreeMap<String, Spanned<BTreeMap<String, Spanned<toml::Value>>>>;

impl Columns {
    pub fn builtin() -> Columns {
        let mut columns = Columns {
            kinds: SourceKind::ALL
                .into_iter()
                .map(|k| (k, KindColumns::default()))
                .collect(),
            relationship: BTreeMap::new(),
        };
        columns
            .merge_file(Path::new("<built-in columns.toml>"), BUILTIN)
            .expect("the built-in rules/columns.toml is valid (tested)");
        columns
    }

    pub fn kind(&self, kind: SourceKind) -> &KindColumns {
        // Every kind is present from `builtin()`; the fallback only guards the type system.
        static EMPTY: std::sync::OnceLock<KindColumns> = std::sync::OnceLock::new();
        self.kinds
            .get(&kind)
            .unwrap_or_else(|| EMPTY.get_or_init(KindColumns::default))
    }

    /// Map a raw 続柄 to an accepted value: an accepted value stays, a mapped one is
    /// translated, anything else is None (IN009).
    pub fn relationship(&self, raw: &str) -> Option<&str> {
        // Most cells are already a canonical value, which normalizing would give back unchanged
        // (a test checks it): a million rows need not allocate for it.
        if let Some(r) = RELATIONSHIPS.iter().find(|r| **r == raw) {
            return Some(r);
        }
        let n = normalize_header(raw);
        if let Some(r) = RELATIONSHIPS.iter().find(|r| **r == n) {
            return Some(r);
        }
        self.relationship.get(&n).map(String::as_str)
    }

    pub(super) fn merge_file(&mut self, path: &Path, text: &str) -> Result<(), ConfigError> {
        let merged = self.merge_sections(path, text);
        // Also after an error: what was merged before it is looked up as it is listed.
        for kind in self.kinds.values_mut() {
            kind.index_aliases();
        }
        merged
    }

    fn merge_sections(&mut self, path: &Path, text: &str) -> Result<(), ConfigError> {
        let sections: Sections =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(path, text, e))?;
        for (name, table) in sections {
            let at = Some(table.span().start);
            if name == "relationship" {
                for (raw, value) in table.into_inner() {
                    let span = Some(value.span().start);
                    let Some(target) = value.get_ref().as_str() else {
                        return Err(ConfigError::at(
                            path,
                            text,
                            span,
                            crate::tr!(
                                "[relationship] {raw}：文字列で指定してください",
                                "[relationship] {raw}: expected a string"
                            ),
                        ));
                    };
                    if !RELATIONSHIPS.contains(&target) {
                        return Err(ConfigError::at(
                            path,
                            text,
                            span,
                            crate::tr!(
                                "[relationship] {raw} = \"{target}\"：{} のいずれかを指定してください",
                                "[relationship] {raw} = \"{target}\": must be one of {}";
                                RELATIONSHIPS.join(crate::i18n::Tr::new("、", ", ").get())
                            ),
                        ));
                    }
                    self.relationship
                        .insert(normalize_header(&raw), target.to_string());
                }
                continue;
            }
            let Some(kind) = SourceKind::from_name(&name) else {
                return Err(ConfigError::at(
                    path,
                    text,
                    at,
                    crate::tr!(
                        "不明なセクション [{name}] です（使えるセクション：fund、employer、national-list、national-registry、relationship）",
                        "unknown section [{name}]: expected fund, employer, national-list, national-registry or relationship"
                    ),
                ));
            };
            let entry = self.kinds.entry(kind).or_default();
            for (key, value) in table.into_inner() {
                let span = Some(value.span().start);
                if key == "era_digits" {
                    let parsed = value.get_ref().as_str().and_then(EraDigits::from_config);
                    let Some(digits) = parsed else {
                        return Err(ConfigError::at(
                            path,
                            text,
                            span,
                            crate::tr!(
                                "[{name}] era_digits：\"1-5\" または \"odd\" を指定してください",
                                "[{name}] era_digits: expected \"1-5\" or \"odd\""
                            ),
                        ));
                    };
                    entry.era_digits = digits;
                    continue;
                }
                let field = Field::from_key(&key).filter(|f| kind.allowed().contains(f));
                let Some(field) = field else {
                    let allowed: Vec<_> = kind.allowed().iter().map(|f| f.key()).collect();
                    return Err(ConfigError::at(
                        path,
                        text,
                        span,
                        crate::tr!(
                            "[{name}] 不明なキー `{key}` です（使えるキー：era_digits、{}）",
                            "[{name}] unknown key `{key}`: expected era_digits or one of {}";
                            allowed.join(crate::i18n::Tr::new("、", ", ").get())
                        ),
                    ));
                };
                let aliases = value.get_ref().as_array().and_then(|a| {
                    a.iter()
                        .map(|v| v.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                });
                match aliases {
                    Some(a) if !a.is_empty() => {
                        entry.aliases.insert(field, a);
                    }
                    _ => {
                        return Err(ConfigError::at(
                            path,
                            text,
                            span,
                            crate::tr!(
                                "[{name}] {key}：見出しの別名を文字列の配列で指定してください（空の配列は不可）",
                                "[{name}] {key}: expected a non-empty array of strings (header aliases)"
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_maps_every_allowed_field_of_every_kind() {
        let c = Columns::builtin();
        for kind in SourceKind::ALL {
            for f in kind.allowed() {
                let aliases = &c.kind(kind).aliases[f];
                assert_eq!(
                    c.kind(kind).field_for(&aliases[0]),
                    Some(*f),
                    "{kind} {f:?}"
                );
            }
        }
    }

    #[test]
    fn the_first_alias_of_each_field_is_its_spec_label() {
        let c = Columns::builtin();
        for kind in SourceKind::ALL {
            for f in kind.allowed() {
                // The registry lists 個人番号下4桁 too, but 個人番号 comes first everywhere.
                assert_eq!(c.kind(kind).aliases[f][0], f.label(), "{kind} {f:?}");
            }
        }
    }

    #[test]
    fn headers_match_after_nfkc_and_white_space_removal() {
        let c = Columns::builtin();
        let fund = c.kind(SourceKind::Fund);
        assert_eq!(fund.field_for(" 氏名 カナ "), Some(Field::NameKana));
        assert_eq!(fund.field_for("氏名（カナ）"), Some(Field::NameKana));
        assert_eq!(fund.field_for("ﾌﾘｶﾞﾅ"), Some(Field::NameKana));
        assert_eq!(fund.field_for("生年月日（和暦）"), Some(Field::BirthDate));
        assert_eq!(fund.field_for("備考"), None);
        assert_eq!(fund.field_for(""), None);
    }

    #[test]
    fn a_file_setting_only_era_digits_keeps_every_default_alias() {
        let mut c = Columns::builtin();
        c.merge_file(
            Path::new("c.toml"),
            "[national-list]\nera_digits = \"odd\"\n",
        )
        .unwrap();
        let list = c.kind(SourceKind::NationalList);
        assert_eq!(list.era_digits, EraDigits::Odd);
        assert_eq!(list.field_for("記号"), Some(Field::Symbol));
        assert_eq!(c.kind(SourceKind::Fund).era_digits, EraDigits::OneToFive);
    }

    #[test]
    fn a_field_set_in_the_file_replaces_its_aliases() {
        let mut c = Columns::builtin();
        c.merge_file(Path::new("c.toml"), "[fund]\nsymbol = [\"保険証記号\"]\n")
            .unwrap();
        let fund = c.kind(SourceKind::Fund);
        assert_eq!(fund.field_for("保険証記号"), Some(Field::Symbol));
        assert_eq!(fund.field_for("記号"), None);
        assert_eq!(fund.field_for("番号"), Some(Field::Number));
    }

    #[test]
    fn unknown_keys_and_wrong_types_name_file_line_and_key() {
        let cases = [
            ("[fund]\n\nsymbl = [\"記号\"]\n", 3, "symbl"),
            (
                "[national-list]\nremuneration = [\"標準報酬月額\"]\n",
                2,
                "remuneration",
            ),
            ("[fund]\nsymbol = \"記号\"\n", 2, "symbol"),
            ("[fund]\nera_digits = \"even\"\n", 2, "era_digits"),
            ("[funds]\nsymbol = [\"記号\"]\n", 1, "funds"),
            ("[relationship]\n\"嫁\" = \"義理の娘\"\n", 2, "嫁"),
            (
                "[relationship]\n\n嫁 = \"その他\"\n",
                3,
                "\"妻\" = \"配偶者\"",
            ),
        ];
        for (text, line, key) in cases {
            let mut c = Columns::builtin();
            let err = c
                .merge_file(Path::new("rules/columns.toml"), text)
                .unwrap_err();
            assert_eq!(err.line, Some(line), "{text}: {err}");
            assert!(err.to_string().contains(key), "{text}: {err}");
            assert!(err.to_string().starts_with("rules/columns.toml:"), "{err}");
        }
    }

    #[test]
    fn canonical_relationships_are_their_own_normal_form() {
        // `relationship` returns these as they are, without normalizing them first.
        for r in RELATIONSHIPS {
            assert_eq!(normalize_header(r), r);
        }
    }

    #[test]
    fn relationship_accepts_spec_values_and_maps_raw_ones() {
        let mut c = Columns::builtin();
        assert_eq!(c.relationship("本人"), Some("本人"));
        assert_eq!(c.relationship("妻"), Some("配偶者"));
        assert_eq!(c.relationship("長男"), Some("子"));
        assert_eq!(c.relationship("被保険者"), Some("本人"));
        assert_eq!(c.relationship("嫁"), None);
        c.merge_file(Path::new("c.toml"), "[relationship]\n\"嫁\" = \"その他\"\n")
            .unwrap();
        assert_eq!(c.relationship("嫁"), Some("その他"));
        assert_eq!(
            c.relationship("妻"),
            Some("配偶者"),
            "merging keeps defaults"
        );
    }
}
