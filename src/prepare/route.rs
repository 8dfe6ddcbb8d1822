//! Where a household's letters go (SPEC §4.5, §4.6, seed 004 §6): the route from the insured
//! person's company or 被保険者区分, and the destination of a 自宅 letter. `mailing`,
//! `reconcile` and the AD rules all read them from here, so a route is decided in one place.

use super::{Col, c};
use crate::config::{Companies, NoticeRoute};
use crate::field::Field;
use polars::prelude::*;

/// `mailing --document`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Document {
    /// 資格情報のお知らせ.
    Notice,
    /// 資格確認書.
    Certificate,
}

/// Whether a household's letters go home, to the company's office, or via the employer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Route {
    /// 自宅.
    Home = 1,
    /// 事業所 (notice, bulk to the office).
    Office = 2,
    /// 事業主経由 (certificate, through the employer).
    Employer = 3,
}

impl Route {
    pub const ALL: [Route; 3] = [Route::Home, Route::Office, Route::Employer];

    /// The list value (`送付方法`).
    pub fn label(self) -> &'static str {
        match self {
            Route::Home => "自宅",
            Route::Office => "事業所",
            Route::Employer => "事業主経由",
        }
    }

    /// The stable id in JSON (`home`, `office`, `employer`).
    pub fn id(self) -> &'static str {
        match self {
            Route::Home => "home",
            Route::Office => "office",
            Route::Employer => "employer",
        }
    }

    pub fn from_code(code: u8) -> Option<Route> {
        Route::ALL.into_iter().find(|r| *r as u8 == code)
    }

    pub fn lit(self) -> Expr {
        lit(self as u8).cast(DataType::UInt8)
    }
}

/// Which address fields a household's 自宅 destination uses: its 居所 when a 任意継続/特例退職
/// household has one, else the address. Expressions over the insured person's columns.
pub struct Destination {
    pub postal: Expr,
    pub postal_status: Expr,
    pub address: Expr,
    pub residence: Expr,
}

pub fn destination() -> Destination {
    let ins = |f: Field| c(Col::Insured(f));
    let residence = c(Col::Individual).and(ins(Field::ResidenceAddress).is_not_null());
    let pick = |res: Col, home: Col| when(residence.clone()).then(c(res)).otherwise(c(home));
    Destination {
        postal: pick(
            Col::Insured(Field::ResidencePostalCode),
            Col::Insured(Field::PostalCode),
        ),
        postal_status: pick(
            Col::InsuredStatus(Field::ResidencePostalCode),
            Col::InsuredStatus(Field::PostalCode),
        ),
        address: pick(
            Col::Insured(Field::ResidenceAddress),
            Col::Insured(Field::Address),
        ),
        residence,
    }
}

/// The route of each household as a [`Route`] code (u8), null when it cannot be decided:
/// no insured person, or a 一般 household whose company is not in `companies.toml` (for
/// the notice: not routed there either). Certificates (SPEC §4.6) never use the notice route.
pub fn route_expr(companies: &Companies, document: Document) -> Expr {
    let company = c(Col::Insured(Field::Company));
    let codes = |route: Option<NoticeRoute>| {
        let codes: Vec<String> = companies
            .iter()
            .filter(|co| route.is_none_or(|r| co.notice_route == r))
            .map(|co| co.code.clone())
            .collect();
        lit(Series::new("c".into(), codes)).implode(false)
    };
    let null = || lit(NULL).cast(DataType::UInt8);
    let general = match document {
        Document::Certificate => when(company.clone().is_in(codes(None), false))
            .then(Route::Employer.lit())
            .otherwise(null()),
        Document::Notice => when(company.clone().is_in(codes(Some(NoticeRoute::Home)), false))
            .then(Route::Home.lit())
            .when(company.is_in(codes(Some(NoticeRoute::Office)), false))
            .then(Route::Office.lit())
            .otherwise(null()),
    };
    when(c(Col::InsIdx).is_null())
        .then(null())
        .when(c(Col::Individual))
        .then(Route::Home.lit())
        .otherwise(general)
}
