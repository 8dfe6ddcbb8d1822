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

/// `check` in-process on one file's bytes: read as `format`, prepared, every single-source
/// rule run, findings finalized; the outcome is ready to render (`report::json::render`,
/// `report::human::render`). For the fuzz targets and tests that need no process.
pub fn check_bytes(
    path: &std::path::Path,
    format: crate::ingest::Format,
    bytes: Vec<u8>,
    kind: SourceKind,
    config: &crate::config::Config,
    as_of: chrono::NaiveDate,
) -> Result<Outcome> {
    let opts = crate::ingest::ReadOptions {
        columns: &config.columns,
        input_encoding: Default::default(),
    };
    let source = crate::ingest::read_bytes(path, format, bytes, kind, &opts);
    let files = vec![super::prepared(
        0,
        path,
        kind,
        source,
        config,
        Dates::same(as_of),
    )?];
    let ctx = Ctx {
        config,
        mode: Mode::Check,
        as_of,
    };
    let (findings, skipped) = single_checks(&ctx, &files)?;
    let findings = finalize(findings, &files, config);
    Ok(Outcome {
        files,
        findings,
        suppressed: 0,
        skipped,
        notes: Vec::new(),
        errors: Vec::new(),
        decided: None,
        letters: None,
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Format;

    #[test]
    fn check_bytes_runs_the_single_source_pipeline_in_process() {
        let csv = "記号,番号,枝番,氏名,生年月日,被保険者区分,性別\n1001,1,00,山田,1980-01-01,一般,3\n1001,x,00,佐藤,1981-02-02,一般,1\n";
        let config = crate::config::Config::builtin();
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let path = std::path::Path::new("fund.csv");
        let outcome = check_bytes(
            path,
            Format::Csv,
            csv.as_bytes().to_vec(),
            SourceKind::Fund,
            &config,
            as_of,
        )
        .expect("checked");
        let codes: Vec<&str> = outcome.findings.iter().map(|f| f.rule.code).collect();
        assert!(
            codes.contains(&"IN009") && codes.contains(&"ID001"),
            "{codes:?}"
        );
        let counts = crate::report::row_counts(&outcome.files[0]);
        assert_eq!((counts.read, counts.checked, counts.rejected), (2, 1, 1));
    }
}
