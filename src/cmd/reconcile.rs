//! `shikaku reconcile`: the monthly reconciliation against the national list.

use super::{Finish, finish, load, single_checks};
use crate::checks::cross;
use crate::checks::{Ctx, Mode};
use crate::cli::ReconcileArgs;
use crate::error::Result;
use crate::field::SourceKind;
use crate::prepare::household::Dates;
use crate::report::run::{RunDates, RunInfo};
use crate::report::{Outcome, finalize};

pub fn run(args: ReconcileArgs) -> Result<i32> {
    let settings = args.common.resolve()?;
    let run = RunInfo::new(
        "reconcile",
        RunDates::AsOf(settings.as_of),
        settings.started_at,
    );
    let session = super::open_out(args.out.as_deref(), &settings, &run)?;
    let mut inputs = vec![
        (args.fund.clone(), SourceKind::Fund),
        (args.national_list.clone(), SourceKind::NationalList),
    ];
    if let Some(r) = &args.national_registry {
        inputs.push((r.clone(), SourceKind::NationalRegistry));
    }
    for e in super::expand_employers(&args.employer)? {
        inputs.push((e, SourceKind::Employer));
    }
    let files = load(&inputs, &settings, |_| Dates::same(settings.as_of))?;
    let ctx = Ctx {
        config: &settings.config,
        mode: Mode::Reconcile,
        as_of: settings.as_of,
    };
    let (mut findings, mut skipped) = single_checks(&ctx, &files)?;

    let fund = files[0].input.as_ref();
    let list = files[1].input.as_ref();
    let mut lists = Vec::new();
    let mut decided = None;
    if let (Some(fund), Some(list)) = (fund, list) {
        let of_kind = |k: SourceKind| {
            files
                .iter()
                .filter(|f| f.kind == k)
                .filter_map(|f| f.input.as_ref())
                .collect::<Vec<_>>()
        };
        let employers = of_kind(SourceKind::Employer);
        let registry = of_kind(SourceKind::NationalRegistry).into_iter().next();
        for kind in [
            SourceKind::NationalList,
            SourceKind::NationalRegistry,
            SourceKind::Employer,
        ] {
            let others = of_kind(kind);
            if others.is_empty() {
                continue;
            }
            let (fs, sk) = cross::run(&ctx, fund, kind, &others, None)?;
            findings.extend(fs);
            skipped.extend(sk);
        }
        let decisions = crate::reconcile::decide(&ctx, fund, list, registry, &employers)?;
        findings.extend(decisions.findings);
        lists.push(decisions.certificates);
        lists.push(decisions.returns);
        decided = Some(decisions.counts);
    }
    let write = fund.is_some() && list.is_some();
    let findings = finalize(findings, &files, &settings.config);
    let outcome = Outcome {
        files,
        findings,
        suppressed: 0,
        skipped,
        notes: Vec::new(),
        errors: Vec::new(),
        decided,
        letters: None,
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
