//! `shikaku mailing`: pre-mailing checks and the manifest.

use super::{Finish, finish, load, single_checks};
use crate::checks::cross;
use crate::checks::{Ctx, Document, Mode, Skipped};
use crate::checks::{birth_date, identity, my_number, routing};
use crate::cli::{DocumentArg, MailingArgs, parse_cli_date};
use crate::error::Result;
use crate::field::SourceKind;
use crate::finding::{Finding, Rule};
use crate::prepare::household::Dates;
use crate::report::run::{RunDates, RunInfo};
use crate::report::{Outcome, finalize};

/// Cross-source rules `mailing` runs when employer files are given (SPEC §4.5).
const WITH_EMPLOYER: &[&Rule] = &[
    &identity::ID003,
    &identity::ID004,
    &identity::ID005,
    &identity::ID006,
    &my_number::MN002,
    &birth_date::BD004,
    &routing::AD006,
];

pub fn run(args: MailingArgs) -> Result<i32> {
    let settings = args.common.resolve()?;
    let document = match args.document {
        DocumentArg::Notice => Document::Notice,
        DocumentArg::Certificate => Document::Certificate,
    };
    // D is the base date (SPEC §4.0): for 一般 households the general one, for 任意継続/特例退職
    // the individual one; with neither configured, --as-of.
    let checks = &settings.config.checks;
    let general = match &args.base_date {
        Some(t) => parse_cli_date("--base-date", t)?,
        None => checks.notice_base_date.unwrap_or(settings.as_of),
    };
    // --base-date on the command line sets both dates unless --base-date-individual is given:
    // a configured individual date belongs to the configured general one (SPEC §4.0).
    let individual = match (&args.base_date_individual, &args.base_date) {
        (Some(t), _) => parse_cli_date("--base-date-individual", t)?,
        (None, Some(_)) => general,
        (None, None) => checks.notice_base_date_individual.unwrap_or(general),
    };
    let dates = Dates {
        general,
        individual,
    };
    let run = RunInfo::new(
        "mailing",
        RunDates::BaseDates {
            general,
            individual,
        },
        settings.started_at,
    );
    let session = super::open_out(args.out.as_deref(), &settings, &run)?;
    let mut inputs = vec![(args.fund.clone(), SourceKind::Fund)];
    for e in super::expand_employers(&args.employer)? {
        inputs.push((e, SourceKind::Employer));
    }
    // Employer rows are dated by the general base date: employers have no 任意継続 members.
    let files = load(&inputs, &settings, |_| dates)?;
    let ctx = Ctx {
        config: &settings.config,
        mode: Mode::Mailing(document),
        as_of: settings.as_of,
    };
    let mut lists = Vec::new();
    let what = match document {
        Document::Notice => "資格情報のお知らせ",
        Document::Certificate => "資格確認書",
    };
    let (g, i) = (crate::i18n::date(general), crate::i18n::date(individual));
    let notes = vec![crate::tr!(
        "基準日：一般 {g}、任意継続・特例退職 {i}。送付物：{what}",
        "base date {g} (任意継続/特例退職 {i}); document: {what}"
    )];
    let fund = files[0].input.as_ref();
    let employers: Vec<_> = files
        .iter()
        .filter(|f| f.kind == SourceKind::Employer)
        .filter_map(|f| f.input.as_ref())
        .collect();
    // The join with the employers and its cross checks run on one core while the
    // single-source checks and then the manifest run on another: only single-source codes
    // block a letter (mailing::BLOCKERS), so the manifest needs no cross-source finding.
    let wall = crate::timing::stage(|| "checks and manifest (wall)".into());
    let (single, cross) = std::thread::scope(|s| {
        let cross = s.spawn(|| -> Result<(Vec<Finding>, Vec<Skipped>)> {
            let _cw = crate::timing::stage(|| "cross checks, own thread (wall)".into());
            match fund {
                Some(fund) if !employers.is_empty() => {
                    let kind = SourceKind::Employer;
                    cross::run(&ctx, fund, kind, &employers, Some(WITH_EMPLOYER))
                }
                _ => Ok((Vec::new(), Vec::new())),
            }
        });
        let single = single_checks(&ctx, &files).and_then(|(findings, skipped)| {
            let manifest = match fund {
                Some(fund) => {
                    // Severities as configured, as the final report has them.
                    let blocking = finalize(findings.clone(), &files, &settings.config);
                    Some(crate::mailing::manifest(&ctx, fund, document, &blocking)?)
                }
                None => None,
            };
            Ok((findings, skipped, manifest))
        });
        let cross = cross
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (single, cross)
    });
    drop(wall);
    let (mut findings, mut skipped, manifest) = single?;
    let (fs, sk) = cross?;
    findings.extend(fs);
    skipped.extend(sk);
    let findings = finalize(findings, &files, &settings.config);
    let mut letters = None;
    if let Some(manifest) = manifest {
        letters = Some(crate::report::Letters {
            base_dates: Some((general, individual)),
            ..manifest.letters
        });
        lists.push(manifest.list);
    }
    let write = fund.is_some();
    let outcome = Outcome {
        files,
        findings,
        suppressed: 0,
        skipped,
        notes,
        errors: Vec::new(),
        decided: None,
        letters,
    };
    finish(
        outcome,
        Finish {
            settings: &settings,
            session,
            lists,
            write,
            extra_inputs: Vec::new(),
            run,
        },
    )
}
