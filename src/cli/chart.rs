//! `planrisk chart <out dir>` redraws a run's charts from its saved summary.json, and
//! `planrisk compare <dir>... --out DIR` draws P(hit) of several runs side by side and
//! writes the comparison report.
//! Both read results only: drawing never re-simulates and never changes a number.

use super::error::CliError;
use super::lang::LangArg;
use super::output::print;
use super::report::write_page;
use super::saved::{read_manifest, read_summary};
use clap::Args;
use planrisk::chart::{draw_all, draw_comparison, ChartError};
use planrisk::diag::Diagnostic;
use planrisk::html::{comparison_report, ComparedRun, REPORT_FILE};
use planrisk::report::write::{atomic_write, prepare_dir};
use planrisk::report::Summary;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ChartArgs {
    /// A run's output directory (holding summary.json).
    dir: PathBuf,
    /// Label language.
    #[arg(long, value_enum, default_value_t)]
    lang: LangArg,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Output directories of the runs to compare (each holding summary.json).
    #[arg(required = true, num_args = 2..)]
    dirs: Vec<PathBuf>,
    /// Where to write comparison.png, comparison.csv and report.html.
    #[arg(long)]
    out: PathBuf,
    /// Label language.
    #[arg(long, value_enum, default_value_t)]
    lang: LangArg,
}

/// Maps a chart failure to an exit code: file-system problems are the user's to fix.
pub fn chart_error(e: ChartError) -> CliError {
    match e {
        ChartError::Io { .. } | ChartError::Input(_) => {
            Diagnostic::new(format!("cannot draw charts: {e}")).into()
        }
        other => CliError::Internal(format!("drawing charts failed: {other}")),
    }
}

pub fn chart(args: ChartArgs) -> Result<(), CliError> {
    let summary = read_summary(&args.dir)?;
    let dir = args.dir.join("charts");
    let files = draw_all(&summary, &dir, &args.lang.options()).map_err(chart_error)?;
    print(&format!("{} charts in {}\n", files.len(), dir.display()))
        .map_err(|e| CliError::Internal(e.to_string()))
}

pub fn compare(args: CompareArgs) -> Result<(), CliError> {
    compare_runs(&args.dirs, &args.out, args.lang)
}

/// Writes comparison.png, comparison.csv and report.html for the runs saved in `dirs`
/// (each named by its scenario id) into `out`; `compare` and `sweep` share it.
pub(super) fn compare_runs(dirs: &[PathBuf], out: &Path, lang: LangArg) -> Result<(), CliError> {
    let runs: Vec<(String, Summary)> = dirs
        .iter()
        .map(|d| read_summary(d).map(|s| (s.scenario.id.clone(), s)))
        .collect::<Result<_, _>>()?;
    prepare_dir(out)
        .map_err(|e| Diagnostic::new(format!("cannot write to {}: {e}", out.display())))?;
    let png = draw_comparison(&runs, &out.join("comparison.png"), &lang.options())
        .map_err(chart_error)?;
    let csv = comparison_csv(&runs);
    let csv_path = out.join("comparison.csv");
    atomic_write(&csv_path, csv.as_bytes())
        .map_err(|e| Diagnostic::new(format!("cannot write {}: {e}", csv_path.display())))?;
    let manifests = dirs
        .iter()
        .map(|d| read_manifest(d))
        .collect::<Result<Vec<_>, _>>()?;
    let compared: Vec<ComparedRun> = runs
        .iter()
        .zip(&manifests)
        .map(|((name, summary), manifest)| ComparedRun {
            name,
            summary,
            manifest: manifest.as_ref(),
        })
        .collect();
    let chart = std::fs::read(&png).ok();
    let page = comparison_report(&compared, chart.as_deref(), lang.options().lang)
        .map_err(|e| CliError::Internal(format!("making the comparison report: {e}")))?;
    let report = write_page(&out.join(REPORT_FILE), &page)?;
    print(&format!(
        "{}\n{}\n{}\n",
        png.display(),
        csv_path.display(),
        report.display()
    ))
    .map_err(|e| CliError::Internal(e.to_string()))
}

/// One row per target id (in first-seen order), one P(hit) column per run.
fn comparison_csv(runs: &[(String, Summary)]) -> String {
    let mut ids: Vec<&str> = Vec::new();
    for (_, s) in runs {
        for t in &s.targets {
            if !ids.contains(&t.id.as_str()) {
                ids.push(&t.id);
            }
        }
    }
    let mut out = String::from("target");
    for (name, _) in runs {
        let _ = write!(out, ",{name}");
    }
    out.push('\n');
    for id in ids {
        out.push_str(id);
        for (_, s) in runs {
            let p = s.targets.iter().find(|t| t.id == id).and_then(|t| t.p_hit);
            let _ = write!(out, ",{}", p.map(|p| p.to_string()).unwrap_or_default());
        }
        out.push('\n');
    }
    out
}
