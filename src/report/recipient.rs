//! Who can act on a finding: the employer (事業所) whose file or members it is about, or the
//! fund itself (組合内). The employer workbooks and the HTML report's per-company figures both
//! ask [`Router::route`], so a finding is counted for one recipient everywhere.
//!
//! - A finding anchored on an employer's file goes to that employer, whatever its code: the
//!   employer made the file and can correct and resend it.
//! - A finding on the fund's records that names an employer's cell (`related`: ID004–ID006,
//!   MN002, BD004, AD006 against an employer) goes to that employer, shown at its own cell:
//!   the employer confirms which value is right.
//! - A finding on the fund's records with no employer cell goes to the household's company
//!   only when the fact behind it is one the employer collects from its members for the fund
//!   ([`EMPLOYER_CONFIRMS`]: the My Number, the birth date, the home address).
//! - Everything else is the fund's own (組合内): the national list's and registry's rows and
//!   the comparisons with them, the fund's configuration (AD001, AD005, CE007), its own export
//!   (IN, ID001, ID002, BD001/BD002/BD008 on the fund's file), its own decisions (SR, BD006,
//!   CE) and 任意継続/特例退職 households, whose members deal with the fund directly.

use super::File;
use crate::checks::{birth_date as bd, my_number as mn, routing as ad};
use crate::config::{Companies, Company};
use crate::field::Field;
use crate::field::SourceKind;
use crate::finding::{Anchor, Finding, Rule};
use crate::prepare::Col;
use crate::prepare::Input;
use polars::prelude::StringChunked;
use std::collections::HashMap;

/// Fund-record findings an employer can act on without an employer cell: facts it collects
/// from its members on the fund's forms (資格取得届, 被扶養者異動届, 住所変更届).
pub const EMPLOYER_CONFIRMS: &[&Rule] = &[
    &mn::MN003,
    &mn::MN004,
    &mn::MN005,
    &mn::MN006,
    &bd::BD005,
    &bd::BD007,
    &ad::AD002,
    &ad::AD003,
    &ad::AD004,
];

/// Where a finding goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recipient<'a> {
    Company(&'a Company),
    /// The fund's own list (組合内).
    Fund,
}

impl<'a> Recipient<'a> {
    /// The company code, or None for the fund.
    pub fn code(&self) -> Option<&'a str> {
        match self {
            Recipient::Company(c) => Some(c.code.as_str()),
            Recipient::Fund => None,
        }
    }
}

/// A finding's recipient and the cell to show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Routed<'a> {
    pub to: Recipient<'a>,
    /// The employer's own cell when the finding has one, else the finding's anchor.
    pub shown: Anchor,
}

pub struct Router<'a> {
    files: &'a [File],
    companies: &'a Companies,
    /// Per input: the company an employer file belongs to, for findings with no row company.
    file_company: Vec<Option<&'a Company>>,
}

impl<'a> Router<'a> {
    pub fn new(files: &'a [File], companies: &'a Companies) -> Self {
        let file_company = files
            .iter()
            .map(|f| match f.kind {
                SourceKind::Employer => file_company(f, companies),
                _ => None,
            })
            .collect();
        Router {
            files,
            companies,
            file_company,
        }
    }

    pub fn route(&self, finding: &Finding) -> Routed<'a> {
        let at = finding.at;
        if self.is_employer(at.source) {
            return Routed {
                to: self.employer_of(at),
                shown: at,
            };
        }
        if let Some(related) = finding
            .related
            .iter()
            .find(|r| self.is_employer(r.at.source))
        {
            return Routed {
                to: self.employer_of(related.at),
                shown: related.at,
            };
        }
        let confirms = EMPLOYER_CONFIRMS
            .iter()
            .any(|r| r.code == finding.rule.code);
        let to = match self.files.get(at.source) {
            Some(file) if confirms && file.kind == SourceKind::Fund => self.row_company(at),
            _ => None,
        };
        Routed {
            to: to.map_or(Recipient::Fund, Recipient::Company),
            shown: at,
        }
    }

    fn is_employer(&self, source: usize) -> bool {
        self.files
            .get(source)
            .is_some_and(|f| f.kind == SourceKind::Employer)
    }

    /// An employer row's company, else its file's; the fund when neither is known.
    fn employer_of(&self, at: Anchor) -> Recipient<'a> {
        self.row_company(at)
            .or_else(|| self.file_company.get(at.source).copied().flatten())
            .map_or(Recipient::Fund, Recipient::Company)
    }

    /// The configured company of an anchor's row: its household's insured person's 会社コード,
    /// else the row's own.
    fn row_company(&self, at: Anchor) -> Option<&'a Company> {
        let input = self.files.get(at.source)?.input.as_ref()?;
        let row = at.row?;
        let code = company_code(input, row)?;
        self.companies.get(code)
    }
}

/// The 会社コード of a data row: the insured person's, else the row's own.
fn company_code(input: &Input, row: u32) -> Option<&str> {
    let columns = CompanyColumns::of(input);
    columns.get(row as usize)
}

/// The two columns a row's company is read from.
struct CompanyColumns<'i> {
    insured: Option<&'i StringChunked>,
    own: Option<&'i StringChunked>,
}

impl<'i> CompanyColumns<'i> {
    fn of(input: &'i Input) -> Self {
        let column = |c: Col| input.column(c).ok().and_then(|c| c.str().ok());
        CompanyColumns {
            insured: column(Col::Insured(Field::Company)),
            own: column(Col::Value(Field::Company)),
        }
    }

    fn get(&self, row: usize) -> Option<&'i str> {
        let at =
            |c: Option<&'i StringChunked>| c.and_then(|c| c.get(row)).filter(|s| !s.is_empty());
        at(self.insured).or_else(|| at(self.own))
    }
}

/// An employer file's company: the configured 会社コード most of its rows carry; for a file
/// with none (no data rows, unreadable, no 会社コード column) a configured code that is a
/// word of the file name (`c05-sakura-foods.csv` → C05), when exactly one is.
fn file_company<'a>(file: &File, companies: &'a Companies) -> Option<&'a Company> {
    if let Some(input) = &file.input {
        let columns = CompanyColumns::of(input);
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for row in 0..input.df.height() {
            if let Some(code) = columns.get(row).filter(|c| companies.get(c).is_some()) {
                *counts.entry(code).or_default() += 1;
            }
        }
        // Most rows; the smaller code on a tie, so the choice does not depend on hashing.
        let best = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)));
        if let Some((code, _)) = best {
            return companies.get(code);
        }
    }
    let stem = file.path.file_stem()?.to_str()?;
    let words: Vec<&str> = stem
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut named = companies
        .iter()
        .filter(|c| words.iter().any(|w| w.eq_ignore_ascii_case(&c.code)));
    match (named.next(), named.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}
