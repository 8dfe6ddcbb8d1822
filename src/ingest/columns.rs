//! Finding the header row and mapping header text to canonical fields (SPEC §3).
//!
//! Title rows above the header are common (`職権交付対象者リスト 令和8年11月分`), so the header is
//! the first of the first [`HEADER_SEARCH_ROWS`] rows whose cells map every required field.

use super::Fatal;
use crate::config::KindColumns;
use crate::field::{Field, SourceKind};

pub const HEADER_SEARCH_ROWS: usize = 30;

/// A header row's mapping.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeaderMap {
    /// Field, 0-based column index, header text as written. The first matching cell wins.
    pub mapped: Vec<(Field, usize, String)>,
    pub unmapped: Vec<(usize, String)>,
}

impl HeaderMap {
    pub fn build<S: AsRef<str>>(cells: &[S], kind: SourceKind, aliases: &KindColumns) -> HeaderMap {
        let mut map = HeaderMap::default();
        for (i, cell) in cells.iter().enumerate() {
            let text = cell.as_ref();
            match aliases.field_for(text) {
                Some(f) if kind.allowed().contains(&f) && !map.has(f) => {
                    map.mapped.push((f, i, text.to_string()))
                }
                _ if text.trim().is_empty() => {}
                _ => map.unmapped.push((i, text.to_string())),
            }
        }
        map
    }

    pub fn has(&self, field: Field) -> bool {
        self.mapped.iter().any(|m| m.0 == field)
    }

    pub fn missing(&self, kind: SourceKind) -> Vec<Field> {
        kind.required()
            .iter()
            .copied()
            .filter(|f| !self.has(*f))
            .collect()
    }
}

/// The best header candidate seen so far, for an IN003 that says how close a row came.
#[derive(Default)]
pub struct HeaderSearch {
    best: Option<(usize, Vec<Field>, Option<String>, u32)>,
}

impl HeaderSearch {
    /// Try one candidate row; Some(map) if it maps every required field.
    pub fn try_row<S: AsRef<str>>(
        &mut self,
        cells: &[S],
        kind: SourceKind,
        aliases: &KindColumns,
        sheet: Option<&str>,
        row_number: u32,
    ) -> Option<HeaderMap> {
        let map = HeaderMap::build(cells, kind, aliases);
        let missing = map.missing(kind);
        if missing.is_empty() {
            return Some(map);
        }
        let found = kind.required().len() - missing.len();
        if self.best.as_ref().is_none_or(|b| found > b.0) {
            self.best = Some((found, missing, sheet.map(str::to_string), row_number));
        }
        None
    }

    /// IN003 for a file where no row qualified.
    pub fn into_fatal(self, kind: SourceKind, aliases: &KindColumns) -> Fatal {
        let (missing, best) = match self.best {
            Some((found, missing, sheet, row)) if found > 0 => (missing, Some((sheet, row))),
            Some((_, missing, _, _)) => (missing, None),
            None => (kind.required().to_vec(), None),
        };
        let tried = missing
            .iter()
            .map(|f| (*f, aliases.aliases.get(f).cloned().unwrap_or_default()))
            .collect();
        Fatal::MissingColumns {
            missing,
            tried,
            best,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Columns;

    #[test]
    fn the_first_row_mapping_every_required_field_is_the_header() {
        let columns = Columns::builtin();
        let aliases = columns.kind(SourceKind::NationalList);
        let rows: Vec<Vec<&str>> = vec![
            vec!["職権交付対象者リスト", "令和8年11月分"],
            vec!["記号", "番号"],
            vec![
                "保険者番号",
                "記号",
                "番号",
                "枝番",
                "ｶﾅ",
                "生年月日",
                "備考",
                "記号",
            ],
        ];
        let mut search = HeaderSearch::default();
        let hits: Vec<_> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                search.try_row(r, SourceKind::NationalList, aliases, None, i as u32 + 1)
            })
            .collect();
        assert_eq!(hits.len(), 1);
        let map = &hits[0];
        assert_eq!(
            map.mapped[0],
            (Field::InsurerNo, 0, "保険者番号".to_string())
        );
        assert!(map.has(Field::BirthDate));
        // The second 記号 is not mapped twice: it is reported as unmapped.
        assert_eq!(
            map.unmapped,
            vec![
                (4, "ｶﾅ".to_string()),
                (6, "備考".to_string()),
                (7, "記号".to_string())
            ]
        );
    }

    #[test]
    fn a_missing_required_field_names_the_aliases_tried_and_the_closest_row() {
        let columns = Columns::builtin();
        let aliases = columns.kind(SourceKind::Employer);
        let mut search = HeaderSearch::default();
        assert!(
            search
                .try_row(&["タイトル"], SourceKind::Employer, aliases, Some("S1"), 1)
                .is_none()
        );
        assert!(
            search
                .try_row(
                    &["記号", "番号", "生年月日"],
                    SourceKind::Employer,
                    aliases,
                    Some("S1"),
                    3
                )
                .is_none()
        );
        match search.into_fatal(SourceKind::Employer, aliases) {
            Fatal::MissingColumns {
                missing,
                tried,
                best,
            } => {
                assert_eq!(missing, vec![Field::Branch]);
                assert_eq!(tried[0].0, Field::Branch);
                assert!(tried[0].1.contains(&"枝番".to_string()));
                assert_eq!(best, Some((Some("S1".to_string()), 3)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fields_not_allowed_for_the_kind_are_unmapped() {
        let columns = Columns::builtin();
        let aliases = columns.kind(SourceKind::NationalList);
        let map = HeaderMap::build(&["記号", "標準報酬月額"], SourceKind::NationalList, aliases);
        assert_eq!(map.unmapped, vec![(1, "標準報酬月額".to_string())]);
    }
}
