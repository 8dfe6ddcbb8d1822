//! Joining the fund with another source kind on the member key (SPEC §3, §5).
//!
//! The files of one kind are stacked into one frame with their source ids and joined with
//! the fund in slices of at most [`JOIN_ROWS`] rows (a hundred employer workbooks are four
//! joins, not a hundred). Rejected rows and rows without a key take no part. A cross-source
//! finding is anchored on the fund's cell with a related label on the other source's cell.

use super::{Ctx, registry};
use crate::error::Result;
use crate::field::{Field, SourceKind};
use crate::finding::{Anchor, Finding, Rule};
use crate::prepare::schema::OTHER_SOURCE;
use crate::prepare::{Col, Input, MnState, Side, c};
use polars::prelude::*;

/// The columns one side of the join carries for a field.
fn field_cols(field: Field) -> Vec<Col> {
    let mut cols = vec![Col::Value(field), Col::Status(field)];
    if field == Field::MyNumber {
        cols.push(Col::MnKind);
    }
    cols
}

/// Rows of the other kind joined with the fund at once. The joined frame holds both sides'
/// compared columns, some 300 bytes a row: joined whole, a million employer or registry rows
/// were the run's high-water mark (half a gigabyte over what the inputs hold); in slices it
/// is bounded, and no cross rule relates two joined rows (each judges its own).
pub const JOIN_ROWS: usize = 250_000;

/// Some rows of one input: `len` rows from `offset` (row order; `Col::Idx` keeps each row's
/// own index, so findings are anchored as on the whole frame).
#[derive(Clone, Copy)]
pub struct Part<'a> {
    pub input: &'a Input,
    pub offset: usize,
    pub len: usize,
}

impl<'a> Part<'a> {
    pub fn whole(input: &'a Input) -> Self {
        Part {
            input,
            offset: 0,
            len: input.df.height(),
        }
    }

    pub fn lazy(&self) -> LazyFrame {
        self.input.df.slice(self.offset as i64, self.len).lazy()
    }
}

/// The inputs of one kind cut into slices of at most `rows` rows, in input and row order.
pub fn slices<'a>(inputs: &[&'a Input], rows: usize) -> Vec<Vec<Part<'a>>> {
    let heights: Vec<usize> = inputs.iter().map(|i| i.df.height()).collect();
    cut(&heights, rows)
        .into_iter()
        .map(|slice| {
            slice
                .into_iter()
                .map(|(i, offset, len)| Part {
                    input: inputs[i],
                    offset,
                    len,
                })
                .collect()
        })
        .collect()
}

/// Some rows of one of several frames: (frame, offset, len).
type Rows = (usize, usize, usize);

/// Frames of these heights cut into slices of at most `rows` rows.
fn cut(heights: &[usize], rows: usize) -> Vec<Vec<Rows>> {
    let rows = rows.max(1);
    let mut out: Vec<Vec<Rows>> = Vec::new();
    let mut room = 0usize;
    for (i, &height) in heights.iter().enumerate() {
        // An empty frame still takes part (once), so its file is one of the slice's.
        let mut offset = 0usize;
        loop {
            if room == 0 {
                out.push(Vec::new());
                room = rows;
            }
            let len = (height - offset).min(room);
            if let Some(slice) = out.last_mut() {
                slice.push((i, offset, len));
            }
            room -= len;
            offset += len;
            if offset >= height {
                break;
            }
        }
    }
    out
}

/// Project an input's usable rows onto one side of the join. Every frame has every field's
/// columns (typed nulls where a file lacks it), so files of one kind stack whatever their
/// headers.
pub fn project(part: Part, side: Side, fields: &[Field], extra: &[Col]) -> LazyFrame {
    let input = part.input;
    let mut sel = vec![c(Col::Key), c(Col::Idx).alias(side.name(Col::Idx))];
    if side == Side::Other {
        sel.push(
            lit(input.id as u32)
                .cast(DataType::UInt32)
                .alias(OTHER_SOURCE),
        );
    }
    for column in fields
        .iter()
        .flat_map(|f| field_cols(*f))
        .chain(extra.iter().copied())
    {
        sel.push(c(column).alias(side.name(column)));
    }
    input.usable_rows(part.lazy()).select(sel)
}

/// A joined row: (fund row, other source id, other row).
pub type Hit = (u32, u32, u32);

/// The fund joined with the usable rows of one other kind (a slice of them, [`JOIN_ROWS`]).
pub struct Pair<'a> {
    pub fund: &'a Input,
    pub kind: SourceKind,
    /// The inputs the joined rows come from, and the rows of each taken.
    pub others: Vec<&'a Input>,
    pub parts: Vec<Part<'a>>,
    /// Inner join on the key: [`Side::Fund`] and [`Side::Other`] columns, and the key.
    pub df: DataFrame,
}

/// Every field a cross rule may compare, so one join serves them all.
const COMPARED: [Field; 11] = [
    Field::NameKana,
    Field::Sex,
    Field::BirthDate,
    Field::MyNumber,
    Field::ShareRatio,
    Field::LostOn,
    Field::LeftOn,
    Field::PostalCode,
    Field::Address,
    Field::CertRequested,
    Field::AcquiredOn,
];

impl<'a> Pair<'a> {
    /// The fund joined with these rows of the other kind.
    pub fn of_parts(fund: &'a Input, kind: SourceKind, parts: Vec<Part<'a>>) -> Result<Pair<'a>> {
        let _stage = crate::timing::stage(|| format!("join fund × {}", kind.name()));
        let mut others: Vec<&Input> = Vec::new();
        for part in &parts {
            if !others.iter().any(|i| i.id == part.input.id) {
                others.push(part.input);
            }
        }
        let fund_part = Part::whole(fund);
        let fund_lf = project(
            fund_part,
            Side::Fund,
            &COMPARED,
            &[Col::D, Col::ActiveByDates],
        );
        let sides: Vec<LazyFrame> = parts
            .iter()
            .map(|p| project(*p, Side::Other, &COMPARED, &[]))
            .collect();
        let df = if sides.is_empty() {
            fund_lf.limit(0).collect()?
        } else {
            let stacked = concat(sides, UnionArgs::default())?;
            fund_lf
                .join(
                    stacked,
                    [c(Col::Key)],
                    [c(Col::Key)],
                    JoinArgs::new(JoinType::Inner),
                )
                .collect()?
        };
        Ok(Pair {
            fund,
            kind,
            others,
            parts,
            df,
        })
    }

    pub fn other(&self, id: u32) -> Option<&Input> {
        self.others.iter().copied().find(|i| i.id as u32 == id)
    }

    /// The joined rows where `pred` holds: (fund row, other source id, other row) plus columns.
    /// The joined rows where `pred` holds, with these columns of both sides.
    pub fn hits(&self, pred: Expr, columns: &[Col]) -> Result<(Vec<Hit>, DataFrame)> {
        let mut sel = vec![
            Side::Fund.col(Col::Idx),
            col(OTHER_SOURCE),
            Side::Other.col(Col::Idx),
        ];
        for column in columns {
            sel.extend([Side::Fund.col(*column), Side::Other.col(*column)]);
        }
        let df = self.df.clone().lazy().filter(pred).select(sel).collect()?;
        let fi = df.column(&Side::Fund.name(Col::Idx))?.u32()?;
        let os = df.column(OTHER_SOURCE)?.u32()?;
        let oi = df.column(&Side::Other.name(Col::Idx))?.u32()?;
        let rows = fi
            .into_no_null_iter()
            .zip(os.into_no_null_iter())
            .zip(oi.into_no_null_iter())
            .map(|((a, b), c)| (a, b, c))
            .collect();
        Ok((rows, df))
    }

    /// A finding on the fund's cell with a related label on the other source's cell.
    pub fn finding(
        &self,
        rule: &'static Rule,
        hit: (u32, u32, u32),
        field: Field,
        message: String,
        label: String,
    ) -> Finding {
        Finding::new(rule, Anchor::cell(self.fund.id, hit.0, field), message)
            .related(Anchor::cell(hit.1 as usize, hit.2, field), label)
    }

    /// Raw text of the other source's cell.
    pub fn other_cell(
        &self,
        hit: (u32, u32, u32),
        field: Field,
    ) -> Option<std::borrow::Cow<'_, str>> {
        self.other(hit.1).and_then(|i| i.source.cell(hit.2, field))
    }
}

/// Well-formed last-4 on one side: 12 digits (either check-digit state) or 4 digits.
pub fn mn_comparable(side: Side) -> Expr {
    side.col(Col::MnKind).is_in(
        lit(Series::new(
            "k".into(),
            [
                MnState::Valid as u8,
                MnState::BadCheckDigit as u8,
                MnState::Last4 as u8,
            ],
        ))
        .implode(false),
        false,
    )
}

pub type CrossFn = fn(&Ctx, &Pair) -> Result<Vec<Finding>>;

/// Where a cross-source check runs (its row in the registry): the fund against one other kind.
pub struct Cross {
    pub other: &'static [SourceKind],
    /// Fields both sides must carry; otherwise skipped for that pair.
    pub needs: &'static [Field],
    /// Fields only the other side must carry (the employer's 退職日).
    pub other_needs: &'static [Field],
    pub run: CrossFn,
}

/// Run the cross checks that apply between the fund and the files of one other kind; `only`
/// restricts the rules (mailing runs a few). Whether a rule runs is decided on all the files
/// of the kind; it then runs on each slice of their rows ([`JOIN_ROWS`]) in turn.
pub fn run(
    ctx: &Ctx,
    fund: &Input,
    kind: SourceKind,
    others: &[&Input],
    only: Option<&[&Rule]>,
) -> Result<(Vec<Finding>, Vec<super::Skipped>)> {
    run_in_slices(ctx, fund, kind, others, only, JOIN_ROWS)
}

fn run_in_slices(
    ctx: &Ctx,
    fund: &Input,
    kind: SourceKind,
    others: &[&Input],
    only: Option<&[&Rule]>,
    rows: usize,
) -> Result<(Vec<Finding>, Vec<super::Skipped>)> {
    let mut runs = Vec::new();
    let mut skipped = Vec::new();
    let carried = |f: Field| others.iter().any(|i| i.has(f));
    for (rule, check) in registry::cross_checks() {
        if !check.other.contains(&kind) || only.is_some_and(|o| !o.contains(&rule)) {
            continue;
        }
        let missing: Vec<Field> = check
            .needs
            .iter()
            .copied()
            .filter(|f| !(fund.has(*f) && carried(*f)))
            .chain(check.other_needs.iter().copied().filter(|f| !carried(*f)))
            .collect();
        if missing.is_empty() {
            runs.push((rule, check));
        } else {
            skipped.push(super::Skipped {
                code: rule.code,
                source: fund.id,
                missing,
            });
        }
    }
    let mut findings = Vec::new();
    for parts in slices(others, rows) {
        let pair = Pair::of_parts(fund, kind, parts)?;
        for (rule, check) in &runs {
            let _stage = crate::timing::stage(|| format!("cross {}", rule.code));
            findings.extend((check.run)(ctx, &pair)?);
        }
    }
    Ok((findings, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Mode;
    use crate::config::Config;
    use crate::prepare::household::Dates;
    use std::path::Path;

    #[test]
    fn slices_hold_at_most_the_rows_asked_and_every_row_once_in_order() {
        // (heights, rows a slice) → slices of (frame, offset, len).
        type Case<'a> = (&'a [usize], usize, &'a [&'a [Rows]]);
        let cases: &[Case] = &[
            (&[], 4, &[]),
            (&[3], 4, &[&[(0, 0, 3)]]),
            (&[4], 4, &[&[(0, 0, 4)]]),
            (&[5], 4, &[&[(0, 0, 4)], &[(0, 4, 1)]]),
            (&[2, 2], 4, &[&[(0, 0, 2), (1, 0, 2)]]),
            (&[3, 3], 4, &[&[(0, 0, 3), (1, 0, 1)], &[(1, 1, 2)]]),
            (&[9], 4, &[&[(0, 0, 4)], &[(0, 4, 4)], &[(0, 8, 1)]]),
            // An empty frame still takes part (its file is one of the kind's).
            (&[0, 2], 4, &[&[(0, 0, 0), (1, 0, 2)]]),
            (&[2], 0, &[&[(0, 0, 1)], &[(0, 1, 1)]]),
        ];
        for (heights, rows, want) in cases {
            let got = cut(heights, *rows);
            let want: Vec<Vec<_>> = want.iter().map(|s| s.to_vec()).collect();
            assert_eq!(got, want, "{heights:?} in slices of {rows}");
        }
    }

    fn load(path: &Path, kind: SourceKind, id: usize, config: &Config) -> Input {
        let opts = crate::ingest::ReadOptions {
            columns: &config.columns,
            input_encoding: Default::default(),
        };
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
        let source = crate::ingest::read(path, kind, &opts).expect("readable");
        let mut input = crate::prepare::prepare(id, source, config).expect("prepared");
        crate::prepare::household::attach(&mut input, Dates::same(as_of)).expect("households");
        input
    }

    /// The sample fund (id 0) and its employer files (ids from 1, in name order), prepared.
    fn sample_fund_and_employers(config: &Config) -> (Input, Vec<Input>) {
        let fund = load(
            Path::new("sample-data/fund.csv"),
            SourceKind::Fund,
            0,
            config,
        );
        let mut paths: Vec<_> = std::fs::read_dir("sample-data/employers")
            .expect("employers")
            .map(|e| e.expect("entry").path())
            .collect();
        paths.sort();
        let employers = paths
            .iter()
            .enumerate()
            .map(|(i, p)| load(p, SourceKind::Employer, i + 1, config))
            .collect();
        (fund, employers)
    }

    #[test]
    fn the_cross_checks_find_the_same_in_slices_as_on_the_whole_kind() {
        let config = Config::load(Path::new("rules")).expect("rules");
        let ctx = Ctx {
            config: &config,
            mode: Mode::Reconcile,
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        };
        let (fund, employers) = sample_fund_and_employers(&config);
        let others: Vec<&Input> = employers.iter().collect();
        let sorted = |mut f: Vec<Finding>| {
            f.sort_by_key(|x| format!("{x:?}"));
            f
        };
        let (whole, skipped) =
            run_in_slices(&ctx, &fund, SourceKind::Employer, &others, None, usize::MAX)
                .expect("whole");
        assert!(
            !whole.is_empty(),
            "the sample's employers have cross findings"
        );
        for rows in [1, 2, 7, 50] {
            let (sliced, skipped_sliced) =
                run_in_slices(&ctx, &fund, SourceKind::Employer, &others, None, rows)
                    .expect("sliced");
            assert_eq!(sorted(sliced), sorted(whole.clone()), "slices of {rows}");
            assert_eq!(skipped_sliced, skipped, "slices of {rows}");
        }
    }

    /// A file with no rejected row and no row without a key is joined as it is, unfiltered;
    /// the rows projected are those of the filter either way.
    #[test]
    fn a_file_of_usable_rows_projects_every_row_unfiltered_and_the_same_rows_as_filtered() {
        let config = Config::load(Path::new("rules")).expect("rules");
        let (fund, employers) = sample_fund_and_employers(&config);
        let inputs: Vec<Input> = std::iter::once(fund).chain(employers).collect();
        let mut paths_taken = [false, false];
        for input in &inputs {
            let filtered = Part::whole(input)
                .lazy()
                .filter(crate::prepare::usable())
                .collect()
                .expect("filtered");
            let usable = filtered.height() == input.df.height();
            paths_taken[usize::from(usable)] = true;
            let projected = project(Part::whole(input), Side::Other, &COMPARED, &[])
                .collect()
                .expect("projected");
            assert_eq!(
                projected.height(),
                filtered.height(),
                "{:?}",
                input.source.path
            );
            if usable {
                assert_eq!(projected.height(), input.df.height());
            }
            let ids = |df: &DataFrame, name: &str| -> Vec<Option<u32>> {
                df.column(name)
                    .expect("idx")
                    .u32()
                    .expect("u32")
                    .iter()
                    .collect()
            };
            assert_eq!(
                ids(&projected, &Side::Other.name(Col::Idx)),
                ids(&filtered, &Col::Idx.name())
            );
        }
        assert_eq!(paths_taken, [true, true], "the sample takes both paths");
    }
}
