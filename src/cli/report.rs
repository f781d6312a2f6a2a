//! `planrisk report <out dir>` writes `report.html` from a run's saved results (summary,
//! manifest, charts) without simulating again; `run` and `compare` call the same
//! writers. Reading charts and writing the page is done here; the page itself is made
//! by `planrisk::html`.

use super::error::CliError;
use super::lang::LangArg;
use super::output::print;
use super::saved::{read_manifest, read_summary};
use clap::Args;
use planrisk::chart::Lang;
use planrisk::diag::Diagnostic;
use planrisk::html::{self, HtmlError, REPORT_FILE};
use planrisk::report::manifest::Manifest;
use planrisk::report::write::atomic_write;
use planrisk::report::Summary;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A run's output directory (holding summary.json, manifest.json and charts/).
    dir: PathBuf,
    /// Label language.
    #[arg(long, value_enum, default_value_t)]
    lang: LangArg,
}

pub fn report(args: ReportArgs) -> Result<(), CliError> {
    let summary = read_summary(&args.dir)?;
    let manifest = read_manifest(&args.dir)?;
    let charts = ChartFiles {
        dir: &args.dir.join("charts"),
        only: None,
    };
    let path = write_run_report(
        &args.dir,
        &summary,
        manifest.as_ref(),
        &charts,
        args.lang.options().lang,
    )
    .map_err(|e| match e {
        ReportError::Html(e) => Diagnostic::new(e.to_string())
            .with_hint(format!(
                "redraw the charts with `planrisk chart {}`",
                args.dir.display()
            ))
            .into(),
        ReportError::Write(e) => e,
    })?;
    print(&format!("{}\n", path.display())).map_err(|e| CliError::Internal(e.to_string()))
}

/// Why a report was not written: the page could not be made, or not written.
pub enum ReportError {
    Html(HtmlError),
    Write(CliError),
}

/// The chart files a report may show: those under `dir`, and when `only` is given just
/// those listed there (full paths).
pub struct ChartFiles<'a> {
    pub dir: &'a Path,
    pub only: Option<&'a [PathBuf]>,
}

/// Makes the run report from `summary`, `manifest` and the chart PNGs and writes it to
/// `<dir>/report.html`; returns that path.
pub fn write_run_report(
    dir: &Path,
    summary: &Summary,
    manifest: Option<&Manifest>,
    charts: &ChartFiles,
    lang: Lang,
) -> Result<PathBuf, ReportError> {
    let lookup = |rel: &Path| {
        let path = charts.dir.join(rel);
        let listed = charts.only.is_none_or(|only| only.contains(&path));
        listed.then(|| std::fs::read(&path).ok()).flatten()
    };
    let page = html::run_report(summary, manifest, &lookup, lang).map_err(ReportError::Html)?;
    write_page(&dir.join(REPORT_FILE), &page).map_err(ReportError::Write)
}

/// Writes a page atomically.
pub fn write_page(path: &Path, page: &str) -> Result<PathBuf, CliError> {
    atomic_write(path, page.as_bytes())
        .map_err(|e| Diagnostic::new(format!("cannot write {}: {e}", path.display())))?;
    Ok(path.to_path_buf())
}
