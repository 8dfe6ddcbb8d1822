//! Who needs what (SPEC §4.6): the monthly decisions against the national list.
//!
//! The fund's usable rows are joined (polars, on the member key) with the list, the registry
//! and the employers' certificate requests. For each active member not registered for
//! マイナ保険証 the first reason that applies wins: 職権 (listed, no valid certificate), 申請
//! (an employer asked, no valid certificate), 更新 (the certificate expires within the
//! window). A valid certificate held after 資格喪失, or while registered, goes on the returns.

use crate::checks::certificate::{CE001, CE002, CE003, CE004, CE005, CE006};
use crate::checks::routing::{Route, destination};
use crate::checks::{Ctx, strs};
use crate::error::Result;
use crate::field::Field;
use crate::finding::{Anchor, Finding};
use crate::output::List;
use crate::prepare::household::{hcols, ins};
use crate::prepare::{Input, cols, from_days, unreadable};
use polars::prelude::*;

pub const CERTIFICATE_HEADERS: &[&str] = &[
    "記号",
    "番号",
    "枝番",
    "氏名",
    "氏名カナ",
    "生年月日",
    "交付事由",
    "送付方法",
    "郵便番号",
    "送付先住所",
    "会社コード",
];
pub const RETURN_HEADERS: &[&str] = &["記号", "番号", "枝番", "氏名", "返納事由", "会社コード"];

pub struct Decisions {
    pub findings: Vec<Finding>,
    pub certificates: List,
    pub returns: List,
}

fn usable(input: &Input) -> LazyFrame {
    input
        .df
        .clone()
        .lazy()
        .filter(col(cols::REJECTED).not().and(col(cols::KEY).is_not_null()))
}

fn bool_or_null(input: &Input, field: Field) -> Expr {
    if input.has(field) {
        col(field.key())
    } else {
        lit(NULL).cast(DataType::Boolean)
    }
}

/// The decisions for one run.
pub fn decide(
    ctx: &Ctx,
    fund: &Input,
    list: &Input,
    registry: Option<&Input>,
    employers: &[&Input],
) -> Result<Decisions> {
    let _stage = crate::timing::stage(|| "decide certificates and returns".into());
    let window = ctx.config.checks.renewal_window_days;
    let mut findings = Vec::new();

    let list_keys = usable(list)
        .select([col(cols::KEY), col(cols::IDX).alias("l_idx")])
        .unique_stable(
            Some(by_name([cols::KEY], true, false)),
            UniqueKeepStrategy::First,
        );
    let registry_lf = registry.map(|r| {
        usable(r)
            .select([
                col(cols::KEY),
                col(cols::IDX).alias("r_idx"),
                bool_or_null(r, Field::MynaRegistered).alias("r_myna"),
                lit(r.id as u32).cast(DataType::UInt32).alias("r_src"),
            ])
            .unique_stable(
                Some(by_name([cols::KEY], true, false)),
                UniqueKeepStrategy::First,
            )
    });
    let requests: Vec<LazyFrame> = employers
        .iter()
        .filter(|e| e.has(Field::CertRequested))
        .map(|e| {
            usable(e)
                .filter(col("cert_requested").fill_null(lit(false)))
                .select([col(cols::KEY)])
        })
        .collect();

    // Fund rows with everything a decision needs.
    let has_cert = fund.has(Field::CertExpiresOn);
    let cert = if has_cert {
        col("cert_expires_on")
    } else {
        lit(NULL).cast(DataType::Date)
    };
    let cert_unreadable = if has_cert {
        unreadable(Field::CertExpiresOn)
    } else {
        lit(false)
    };
    let dest = destination(fund);
    let company = if fund.has(Field::Company) {
        col(ins("company"))
    } else {
        lit(NULL).cast(DataType::String)
    };
    let mut lf = usable(fund)
        .with_columns([
            cert.clone().alias("cert"),
            cert_unreadable.alias("cert_bad"),
            bool_or_null(fund, Field::MynaRegistered).alias("f_myna"),
            dest.postal.alias("dest_postal"),
            dest.address.alias("dest_address"),
            company.alias("hh_company"),
        ])
        .join(
            list_keys,
            [col(cols::KEY)],
            [col(cols::KEY)],
            JoinArgs::new(JoinType::Left),
        );
    lf = match registry_lf {
        Some(r) => lf.join(
            r,
            [col(cols::KEY)],
            [col(cols::KEY)],
            JoinArgs::new(JoinType::Left),
        ),
        None => lf.with_columns([
            lit(NULL).cast(DataType::UInt32).alias("r_idx"),
            lit(NULL).cast(DataType::Boolean).alias("r_myna"),
            lit(NULL).cast(DataType::UInt32).alias("r_src"),
        ]),
    };
    lf = if requests.is_empty() {
        lf.with_column(lit(false).alias("requested"))
    } else {
        let req = concat(requests, UnionArgs::default())?
            .unique_stable(None, UniqueKeepStrategy::First)
            .with_column(lit(true).alias("requested"));
        lf.join(
            req,
            [col(cols::KEY)],
            [col(cols::KEY)],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(col("requested").fill_null(lit(false)))
    };
    let d = col(hcols::D);
    let window_end = (d.clone().cast(DataType::Int32) + lit(window as i32)).cast(DataType::Date);
    let registered = when(col("r_myna").is_not_null())
        .then(col("r_myna"))
        .otherwise(col("f_myna").fill_null(lit(false)));
    let valid = col("cert").is_not_null().and(col("cert").gt_eq(d.clone()));
    let decidable = col(hcols::ACTIVE).is_not_null().and(col("cert_bad").not());
    let active = col(hcols::ACTIVE).fill_null(lit(false));
    let candidate = decidable
        .clone()
        .and(active.clone())
        .and(col("registered").not());
    let reason = when(
        candidate
            .clone()
            .and(col("l_idx").is_not_null())
            .and(col("valid").not()),
    )
    .then(lit("職権"))
    .when(
        candidate
            .clone()
            .and(col("requested"))
            .and(col("valid").not()),
    )
    .then(lit("申請"))
    .when(
        candidate
            .clone()
            .and(col("cert").gt_eq(d.clone()))
            .and(col("cert").lt_eq(window_end)),
    )
    .then(lit("更新"))
    .otherwise(lit(NULL).cast(DataType::String));
    let ret = when(
        decidable
            .clone()
            .and(col("valid"))
            .and(col(hcols::ACTIVE).eq(lit(false))),
    )
    .then(lit("資格喪失"))
    .when(
        decidable
            .clone()
            .and(col("valid"))
            .and(active)
            .and(col("registered")),
    )
    .then(lit("マイナ保険証登録"))
    .otherwise(lit(NULL).cast(DataType::String));
    let gap = candidate
        .and(col("valid").not())
        .and(col("reason").is_null());
    let df = lf
        .with_columns([registered.alias("registered"), valid.alias("valid")])
        .with_columns([reason.alias("reason"), ret.alias("return")])
        .with_columns([gap.alias("gap"), decidable.alias("decidable")])
        // Only what the decisions and list_side read: the joins then gather these columns,
        // not every column of the fund's frame (0.7 GiB of a 1M-row reconcile).
        .select([
            col(cols::IDX),
            col(cols::KEY),
            col(hcols::ACTIVE),
            col(hcols::D),
            col(hcols::INDIVIDUAL),
            col("reason"),
            col("return"),
            col("gap"),
            col("registered"),
            col("cert"),
            col("r_idx"),
            col("r_src"),
            col("hh_company"),
            col("dest_postal"),
            col("dest_address"),
        ])
        .sort([cols::IDX], Default::default())
        .collect()?;

    let idx: Vec<u32> = df.column(cols::IDX)?.u32()?.into_no_null_iter().collect();
    let reasons = strs(&df, "reason")?;
    let returns_col = strs(&df, "return")?;
    let gaps = df.column("gap")?.bool()?;
    let certs = df.column("cert")?.date()?.physical().clone();
    let r_idx = df.column("r_idx")?.u32()?;
    let r_src = df.column("r_src")?.u32()?;
    let individual = df.column(hcols::INDIVIDUAL)?.bool()?;
    let companies = strs(&df, "hh_company")?;
    let dest_postal = strs(&df, "dest_postal")?;
    let dest_address = strs(&df, "dest_address")?;
    let cert_field = if has_cert {
        Some(Field::CertExpiresOn)
    } else {
        None
    };
    let at = |row: u32| Anchor {
        source: fund.id,
        row: Some(row),
        field: cert_field,
    };
    let src = &fund.source;
    let mut cert_rows = Vec::new();
    let mut return_rows = Vec::new();
    for (i, row) in idx.iter().copied().enumerate() {
        let expiry = certs
            .get(i)
            .and_then(from_days)
            .map(|d| d.to_string())
            .unwrap_or_default();
        if let Some(reason) = reasons.get(i) {
            if reason == "更新" {
                findings.push(Finding::new(&CE005, at(row), format!("資格確認書 expires on {expiry}, within {window} days: renewal (更新) issued")));
            }
            let company = companies.get(i).unwrap_or("").to_string();
            let (route, postal, address) = if individual.get(i).unwrap_or(false) {
                (
                    Route::Home,
                    dest_postal.get(i).unwrap_or("").to_string(),
                    dest_address.get(i).unwrap_or("").to_string(),
                )
            } else {
                let office = ctx.config.companies.get(&company);
                (
                    Route::Employer,
                    office
                        .and_then(|c| c.office_postal_code.clone())
                        .unwrap_or_default(),
                    office
                        .and_then(|c| c.office_address.clone())
                        .unwrap_or_default(),
                )
            };
            let birth = fund
                .df
                .column("birth_date")?
                .date()?
                .physical()
                .get(row as usize)
                .and_then(from_days)
                .map(|d| d.to_string())
                .unwrap_or_default();
            cert_rows.push((
                sort_key(fund, row),
                vec![
                    cell(src, row, Field::Symbol),
                    cell(src, row, Field::Number),
                    cell(src, row, Field::Branch),
                    cell(src, row, Field::Name),
                    cell(src, row, Field::NameKana),
                    birth,
                    reason.to_string(),
                    route.label().to_string(),
                    postal,
                    address,
                    company,
                ],
            ));
        }
        if let Some(why) = returns_col.get(i) {
            let mut f = if why == "資格喪失" {
                Finding::new(
                    &CE004,
                    at(row),
                    format!(
                        "資格確認書 valid until {expiry} is held after loss of membership: return (資格喪失)"
                    ),
                )
            } else {
                Finding::new(
                    &CE003,
                    at(row),
                    format!(
                        "資格確認書 valid until {expiry} is held by a マイナ保険証-registered member: return (マイナ保険証登録), unless a seed 000 exception applies"
                    ),
                )
            };
            if why != "資格喪失"
                && let (Some(rr), Some(rs)) = (r_idx.get(i), r_src.get(i))
            {
                f = f.related(
                    Anchor::cell(rs as usize, rr, Field::MynaRegistered),
                    "registered here (national registry)",
                );
            }
            findings.push(f);
            return_rows.push((
                sort_key(fund, row),
                vec![
                    cell(src, row, Field::Symbol),
                    cell(src, row, Field::Number),
                    cell(src, row, Field::Branch),
                    cell(src, row, Field::Name),
                    why.to_string(),
                    companies.get(i).unwrap_or("").to_string(),
                ],
            ));
        }
        if gaps.get(i).unwrap_or(false) {
            let anchor = Anchor {
                source: fund.id,
                row: Some(row),
                field: if fund.has(Field::MynaRegistered) {
                    Some(Field::MynaRegistered)
                } else {
                    cert_field
                },
            };
            findings.push(Finding::new(
                &CE006,
                anchor,
                "active, not registered for マイナ保険証, no valid 資格確認書, and not being issued one (not on the national list, not requested by the employer): coverage gap",
            ));
        }
    }

    // The list's side: people the fund lacks (CE001) or has as inactive (CE002).
    findings.extend(list_side(ctx, fund, list, registry, &df)?);

    cert_rows.sort_by(|a, b| a.0.cmp(&b.0));
    return_rows.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Decisions {
        findings,
        certificates: List {
            stem: "certificates",
            headers: CERTIFICATE_HEADERS,
            rows: cert_rows.into_iter().map(|r| r.1).collect(),
        },
        returns: List {
            stem: "returns",
            headers: RETURN_HEADERS,
            rows: return_rows.into_iter().map(|r| r.1).collect(),
        },
    })
}

fn cell(src: &crate::ingest::Source, row: u32, field: Field) -> String {
    src.cell(row, field).unwrap_or("").to_string()
}

/// Lists sort by key with 番号 as a number (`1001-2-00` before `1001-12-00`).
pub fn sort_key(input: &Input, row: u32) -> (String, u64, String) {
    let key = input.key(row).unwrap_or_default();
    let mut parts = key.rsplitn(3, '-');
    let branch = parts.next().unwrap_or("").to_string();
    let number = parts
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX);
    let symbol = parts.next().unwrap_or("").to_string();
    (symbol, number, branch)
}

fn list_side(
    ctx: &Ctx,
    fund: &Input,
    list: &Input,
    registry: Option<&Input>,
    decided: &DataFrame,
) -> Result<Vec<Finding>> {
    let window = ctx.config.checks.renewal_window_days;
    // Keys the fund has at all (a rejected fund row is still "in the fund").
    let fund_all = fund
        .df
        .clone()
        .lazy()
        .filter(col(cols::KEY).is_not_null())
        .select([col(cols::KEY)])
        .unique_stable(None, UniqueKeepStrategy::First)
        .with_column(lit(true).alias("in_fund"));
    let fund_state = decided.clone().lazy().select([
        col(cols::KEY),
        col(cols::IDX).alias("f_idx"),
        col(hcols::ACTIVE).alias("f_active"),
        col("registered"),
        col("cert"),
        col(hcols::D).alias("f_d"),
    ]);
    let reg = match registry {
        Some(r) => usable(r)
            .select([
                col(cols::KEY),
                bool_or_null(r, Field::MynaRegistered).alias("reg_myna"),
            ])
            .unique_stable(
                Some(by_name([cols::KEY], true, false)),
                UniqueKeepStrategy::First,
            ),
        None => DataFrame::new(
            0,
            vec![
                Column::new(cols::KEY.into(), Vec::<String>::new()),
                Column::new("reg_myna".into(), Vec::<bool>::new()),
            ],
        )?
        .lazy(),
    };
    let df = usable(list)
        .select([
            col(cols::KEY),
            col(cols::IDX).alias("l_idx"),
            col(hcols::D).alias("l_d"),
        ])
        .join(
            fund_all,
            [col(cols::KEY)],
            [col(cols::KEY)],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            fund_state,
            [col(cols::KEY)],
            [col(cols::KEY)],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            reg,
            [col(cols::KEY)],
            [col(cols::KEY)],
            JoinArgs::new(JoinType::Left),
        )
        .sort(["l_idx"], Default::default())
        .collect()?;
    let l_idx = df.column("l_idx")?.u32()?;
    let in_fund = df.column("in_fund")?.bool()?;
    let f_idx = df.column("f_idx")?.u32()?;
    let f_active = df.column("f_active")?.bool()?;
    let registered = df.column("registered")?.bool()?;
    let reg_myna = df.column("reg_myna")?.bool()?;
    let certs = df.column("cert")?.date()?.physical().clone();
    let ds = df.column("l_d")?.date()?.physical().clone();
    let keys = strs(&df, cols::KEY)?;
    let mut out = Vec::new();
    for i in 0..df.height() {
        let Some(lr) = l_idx.get(i) else { continue };
        let key = keys.get(i).unwrap_or("?");
        if !in_fund.get(i).unwrap_or(false) {
            if reg_myna.get(i).unwrap_or(false) {
                continue;
            }
            out.push(Finding::new(
                &CE001,
                Anchor::cell(list.id, lr, Field::Number),
                format!("the national list names {key}, which the fund does not have: not issued"),
            ));
            continue;
        }
        let (Some(fr), Some(false)) = (f_idx.get(i), f_active.get(i)) else {
            continue;
        };
        if registered.get(i).unwrap_or(false) {
            continue;
        }
        // A certificate valid beyond the renewal window: nothing to issue, nothing to say here.
        let beyond = match (certs.get(i), ds.get(i)) {
            (Some(c), Some(d)) => c > d + window as i32,
            _ => false,
        };
        if beyond {
            continue;
        }
        let lost = fund.source.cell(fr, Field::LostOn).unwrap_or("");
        let field = if fund.has(Field::LostOn) {
            Field::LostOn
        } else {
            Field::AcquiredOn
        };
        out.push(
            Finding::new(
                &CE002,
                Anchor::cell(fund.id, fr, field),
                format!("on the national list but not active on D (資格喪失日 {lost}): not issued"),
            )
            .related(Anchor::cell(list.id, lr, Field::Number), "listed here"),
        );
    }
    Ok(out)
}
