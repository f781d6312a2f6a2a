//! PNG charts of a run, drawn only from its [`Summary`].
//!
//! [`draw_all`] writes the full chart set of one run into a directory; [`draw_comparison`]
//! puts several runs (policy variants) side by side. Every chart is rendered into a
//! temporary file next to its destination and renamed into place, so a reader never sees
//! a half-written PNG. Text is set in the vendored WenQuanYi Micro Hei font (Chinese,
//! Latin and digits), registered once under the family name `sans-serif`.
//!
//! Files written by [`draw_all`] under `dir`:
//! - `dashboard.png` — P(hit) of every target with its 95% interval;
//! - `targets/<id>.png` — outcome distribution of each modeled target;
//! - `fans/<series>.png` — per-year quantile fan of each series in `summary.fans`;
//! - `heatmap.png` — region × target P(hit), only when the scenario has several regions;
//! - `agency.png` — P(hit) of each lead agency's (牵头单位) targets, only when the modeled
//!   targets name at least two agencies;
//! - `tornado.png` and `tornado/<id>.png` — rank-correlation sensitivity;
//! - `convergence.png` — running P(hit) of the riskiest targets.
//!
//! [`draw_reliability`] draws a back-test's `reliability.png`.

mod axes;
mod canvas;
mod comparison;
mod convergence;
mod dashboard;
mod distribution;
mod fan;
pub(crate) mod format;
mod heatmap;
mod legend;
mod names;
mod options;
pub(crate) mod palette;
mod prelude;
mod reliability;
mod style;
mod text;
mod tornado;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use plotters::prelude::*;

use crate::report::backtest::Backtest;
use crate::report::summary::Summary;

pub use names::sanitize_file_name;
pub use names::{chart_names, ChartNames, AGENCY, CONVERGENCE, DASHBOARD, HEATMAP, TORNADO_SHEET};
pub use options::{ChartError, ChartOptions, Lang};
pub use text::{ensure_fonts, render_text};

/// Pixel width of the dashboard; its height grows with the number of targets.
pub const DASHBOARD_WIDTH: u32 = dashboard::WIDTH;
/// Pixel size of each `targets/<id>.png`.
pub const TARGET_SIZE: (u32, u32) = distribution::SIZE;
/// Pixel size of each `fans/<series>.png`.
pub const FAN_SIZE: (u32, u32) = fan::SIZE;
/// Pixel width of each `tornado/<id>.png`; its height follows the number of parameters.
pub const TORNADO_WIDTH: u32 = tornado::SINGLE_WIDTH;
/// Pixel width of the sheets whose height depends on the data (heat map, tornado sheet,
/// convergence, comparison).
pub const SHEET_WIDTH: u32 = canvas::SHEET_WIDTH;

/// Draws every chart of one run into `dir` (created if missing) and returns the paths
/// written, dashboard first.
pub fn draw_all(
    summary: &Summary,
    dir: &Path,
    opts: &ChartOptions,
) -> Result<Vec<PathBuf>, ChartError> {
    ensure_fonts()?;
    create_dir(dir)?;
    let lang = opts.lang;
    let mut written = Vec::new();

    let size = dashboard::size(summary, lang);
    written.push(render(&dir.join(DASHBOARD), size, |root| {
        dashboard::draw(root, summary, lang)
    })?);

    let names = chart_names(summary);
    let modeled = summary.targets.iter().filter(|t| t.is_modeled());
    for (t, (_, rel)) in modeled.zip(&names.targets) {
        let path = dir.join(rel);
        written.push(render(&path, distribution::SIZE, |root| {
            distribution::draw(root, summary, t, lang)
        })?);
    }

    for (f, (_, rel)) in summary.fans.iter().zip(&names.fans) {
        let path = dir.join(rel);
        written.push(render(&path, fan::SIZE, |root| {
            fan::draw(root, summary, f, lang)
        })?);
    }

    if summary.scenario.regions.len() > 1 {
        if let Some(grid) = heatmap::Grid::build(summary, heatmap::GroupBy::Region) {
            let size = heatmap::size(&grid, lang);
            written.push(render(&dir.join(HEATMAP), size, |root| {
                heatmap::draw(root, summary, &grid, lang)
            })?);
        }
    }

    if let Some(grid) = heatmap::Grid::build(summary, heatmap::GroupBy::Agency) {
        let size = heatmap::size(&grid, lang);
        written.push(render(&dir.join(AGENCY), size, |root| {
            heatmap::draw(root, summary, &grid, lang)
        })?);
    }

    let panels = tornado::panels(summary);
    if !panels.is_empty() {
        let size = tornado::sheet_size(&panels);
        written.push(render(&dir.join(TORNADO_SHEET), size, |root| {
            tornado::draw_sheet(root, summary, &panels, lang)
        })?);
        for (p, (_, rel)) in panels.iter().zip(&names.tornado) {
            let path = dir.join(rel);
            let size = tornado::single_size(summary, p, lang);
            written.push(render(&path, size, |root| {
                tornado::draw_single(root, summary, p, lang)
            })?);
        }
    }

    let lines = convergence::lines(summary);
    if !lines.is_empty() {
        let size = convergence::size(lines.len());
        written.push(render(&dir.join(CONVERGENCE), size, |root| {
            convergence::draw(root, summary, &lines, lang)
        })?);
    }

    Ok(written)
}

/// Draws P(hit) per target for several runs side by side (one bar per run) into `path`.
/// Each run is named by its `String` (for example the policy variant).
pub fn draw_comparison(
    runs: &[(String, Summary)],
    path: &Path,
    opts: &ChartOptions,
) -> Result<PathBuf, ChartError> {
    if runs.is_empty() {
        return Err(ChartError::Input("no runs to compare".into()));
    }
    ensure_fonts()?;
    let rows = comparison::rows(runs);
    let size = comparison::size(runs, &rows, opts.lang);
    render(path, size, |root| {
        comparison::draw(root, runs, &rows, opts.lang)
    })
}

/// Draws the reliability chart of a back-test into `dir/reliability.png`.
pub fn draw_reliability(
    bt: &Backtest,
    dir: &Path,
    opts: &ChartOptions,
) -> Result<PathBuf, ChartError> {
    ensure_fonts()?;
    create_dir(dir)?;
    render(
        &dir.join("reliability.png"),
        reliability::size(bt),
        |root| reliability::draw(root, bt, opts.lang),
    )
}

fn create_dir(dir: &Path) -> Result<(), ChartError> {
    std::fs::create_dir_all(dir).map_err(|source| ChartError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

/// Renders one chart of `size` pixels into a temporary PNG beside `path`, then renames it
/// into place. A failing or panicking drawing leaves no file behind.
fn render<F>(path: &Path, size: (u32, u32), draw: F) -> Result<PathBuf, ChartError>
where
    F: FnOnce(&canvas::Canvas) -> Result<(), ChartError>,
{
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    create_dir(dir)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "chart".into());
    let tmp = dir.join(format!(
        ".{stem}.{}-{}.tmp.png",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let chart_name = path.display().to_string();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let root = BitMapBackend::new(&tmp, size).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
        Ok::<(), ChartError>(())
    }));
    let result = match outcome {
        Ok(r) => r,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic while drawing".into());
            Err(ChartError::Draw {
                chart: String::new(),
                message,
            })
        }
    };
    match result {
        Ok(()) => std::fs::rename(&tmp, path)
            .map(|()| path.to_path_buf())
            .map_err(|source| {
                let _ = std::fs::remove_file(&tmp);
                ChartError::Io {
                    path: path.to_path_buf(),
                    source,
                }
            }),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(match e {
                ChartError::Draw { message, .. } => ChartError::Draw {
                    chart: chart_name,
                    message,
                },
                other => other,
            })
        }
    }
}
