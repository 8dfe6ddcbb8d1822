//! `shikaku check`: single-source rules on files of one kind — the CI gate on every export.

use super::{Finish, finish, load, single_checks};
use crate::checks::{Ctx, Mode};
use crate::cli::CheckArgs;
use crate::error::{Error, Result};
use crate::field::SourceKind;
use crate::output::{self, InputGuard};
use crate::prepare::household::Dates;
use crate::report::baseline::Baseline;
use crate::report::run::{RunDates, RunInfo};
use crate::report::{Outcome, finalize};

pub fn run(args: CheckArgs) -> Result<i32> {
    let settings = args.common.resolve()?;
    let run = RunInfo::new("check", RunDates::AsOf(settings.as_of), settings.started_at);
    let session = super::open_out(args.out.as_deref(), &settings, &run)?;
    let kind = args.kind.kind();
    let paths = if kind == SourceKind::Employer {
        super::expand_employers(&args.files)?
    } else {
        args.files.clone()
    };
    let baseline = match &args.baseline {
        Some(p) => Some(Baseline::load(p).map_err(Error::Usage)?),
        None => None,
    };
    let inputs: Vec<_> = paths.iter().map(|p| (p.clone(), kind)).collect();
    let files = load(&inputs, &settings, |_| Dates::same(settings.as_of))?;
    let ctx = Ctx {
        config: &settings.config,
        mode: Mode::Check,
        as_of: settings.as_of,
    };
    let (findings, skipped) = single_checks(&ctx, &files)?;
    let mut findings = finalize(findings, &files, &settings.config);

    let mut extra_inputs: Vec<_> = args.baseline.iter().cloned().collect();
    if let Some(path) = &args.write_baseline {
        let guard = InputGuard::new(
            &paths
                .iter()
                .cloned()
                .chain(extra_inputs.iter().cloned())
                .collect::<Vec<_>>(),
        );
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            output::create_out_dir(parent)?;
        }
        let files_ref = &files;
        output::write_atomic(
            path,
            Baseline::render(&findings, files_ref).as_bytes(),
            &guard,
        )?;
        extra_inputs.push(path.clone());
    }
    let suppressed = baseline
        .map(|b| b.apply(&mut findings, &files))
        .unwrap_or(0);
    let outcome = Outcome {
        files,
        findings,
        suppressed,
        skipped,
        notes: Vec::new(),
        errors: Vec::new(),
        decided: None,
        letters: None,
    };
    finish(
        outcome,
        Finish {
            settings: &settings,
            session,
            lists: Vec::new(),
            write: true,
            extra_inputs,
            run,
        },
    )
}
