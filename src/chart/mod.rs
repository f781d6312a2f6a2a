//! PNG charts of a run, drawn only from its [`Summary`].
//!
//! [`draw_into`] renders the full chart set of one run and hands each chart, as PNG
//! bytes with its path relative to the chart directory, to a sink the caller gives (the
//! CLI's output set, which writes the whole set or nothing); [`draw_all`] is the same
//! with a sink that writes into a directory. [`comparison_png`] puts several runs
//! (policy variants) side by side. Charts are rendered in memory and encoded here, so a
//! failing disk is an I/O error naming its path, never a drawing error. Text is set in
//! the vendored WenQuanYi Micro Hei font (Chinese, Latin and digits), registered once
//! under the family name `sans-serif`.
//!
//! Files of a chart set (paths relative to the chart directory):
//! - `dashboard.png` — P(hit) of every target with its 95% interval;
//! - `targets/<id>.png` — outcome distribution of each modeled target;
//! - `fans/<series>.png` — per-year quantile fan of each series in `summary.fans`;
//! - `heatmap.png` — region × target P(hit), only when the scenario has several regions;
//! - `agency.png` — P(hit) of each lead agency's (牵头单位) targets, only when the modeled
//!   targets name at least two agencies;
//! - `tornado.png` and `tornado/<id>.png` — rank-correlation sensitivity;
//! - `convergence.png` — running P(hit) of the riskiest targets;
//! - `responses.png` — P(hit) with and without the policy responses, only when the
//!   scenario has `[[response]]` blocks.
//! - `barometer.png` — P(hit) as of each year up to the last observation, only when the
//!   run used observations.
//!
//! [`reliability_png`] draws a back-test's `reliability.png`.

mod axes;
mod barometer;
mod canvas;
mod comparison;
mod convergence;
mod dashboard;
mod distribution;
mod enforcement;
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

use plotters::prelude::*;

use crate::report::backtest::Backtest;
use crate::report::summary::Summary;

pub use names::sanitize_file_name;
pub use names::{
    chart_names, ChartNames, AGENCY, BAROMETER, CONVERGENCE, DASHBOARD, HEATMAP, RESPONSES,
    TORNADO_SHEET,
};
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

/// Draws every chart of one run into `dir` (created if missing), each file written to a
/// temporary name and renamed into place, and returns the paths written, dashboard first.
pub fn draw_all(
    summary: &Summary,
    dir: &Path,
    opts: &ChartOptions,
) -> Result<Vec<PathBuf>, ChartError> {
    let rel = draw_into(summary, opts, &mut |rel: &Path, png: &[u8]| {
        write_file(&dir.join(rel), png)
    })?;
    Ok(rel.iter().map(|r| dir.join(r)).collect())
}

/// Where [`draw_into`] puts each chart: (path relative to the chart directory, PNG).
pub type ChartSink<'a, E> = dyn FnMut(&Path, &[u8]) -> Result<(), E> + 'a;

/// Renders every chart of one run and hands each to `sink` as (path relative to the
/// chart directory, PNG bytes) as soon as it is drawn; returns the relative paths in
/// order, dashboard first. The sink's error type carries the sink's own failures
/// (a full disk, an interrupt) through unchanged.
pub fn draw_into<E: From<ChartError>>(
    summary: &Summary,
    opts: &ChartOptions,
    sink: &mut ChartSink<'_, E>,
) -> Result<Vec<PathBuf>, E> {
    ensure_fonts()?;
    let lang = opts.lang;
    let mut written = Vec::new();
    let mut put = |rel: PathBuf, png: Result<Vec<u8>, ChartError>| -> Result<(), E> {
        sink(&rel, &png?)?;
        written.push(rel);
        Ok(())
    };

    let size = dashboard::size(summary, lang);
    let png = render(DASHBOARD, size, |root| dashboard::draw(root, summary, lang));
    put(DASHBOARD.into(), png)?;

    let names = chart_names(summary);
    let modeled = summary.targets.iter().filter(|t| t.is_modeled());
    for (t, (_, rel)) in modeled.zip(&names.targets) {
        let png = render(rel, distribution::SIZE, |root| {
            distribution::draw(root, summary, t, lang)
        });
        put(rel.into(), png)?;
    }

    for (f, (_, rel)) in summary.fans.iter().zip(&names.fans) {
        let png = render(rel, fan::SIZE, |root| fan::draw(root, summary, f, lang));
        put(rel.into(), png)?;
    }

    if summary.scenario.regions.len() > 1 {
        if let Some(grid) = heatmap::Grid::build(summary, heatmap::GroupBy::Region) {
            let size = heatmap::size(&grid, lang);
            let png = render(HEATMAP, size, |root| {
                heatmap::draw(root, summary, &grid, lang)
            });
            put(HEATMAP.into(), png)?;
        }
    }

    if let Some(grid) = heatmap::Grid::build(summary, heatmap::GroupBy::Agency) {
        let size = heatmap::size(&grid, lang);
        let png = render(AGENCY, size, |root| {
            heatmap::draw(root, summary, &grid, lang)
        });
        put(AGENCY.into(), png)?;
    }

    let panels = tornado::panels(summary);
    if !panels.is_empty() {
        let size = tornado::sheet_size(&panels);
        let png = render(TORNADO_SHEET, size, |root| {
            tornado::draw_sheet(root, summary, &panels, lang)
        });
        put(TORNADO_SHEET.into(), png)?;
        for (p, (_, rel)) in panels.iter().zip(&names.tornado) {
            let size = tornado::single_size(summary, p, lang);
            let png = render(rel, size, |root| {
                tornado::draw_single(root, summary, p, lang)
            });
            put(rel.into(), png)?;
        }
    }

    if !summary.responses.is_empty() {
        let size = enforcement::size(summary, lang);
        let png = render(RESPONSES, size, |root| {
            enforcement::draw(root, summary, lang)
        });
        put(RESPONSES.into(), png)?;
    }

    let lines = convergence::lines(summary);
    if !lines.is_empty() {
        let size = convergence::size(lines.len());
        let png = render(CONVERGENCE, size, |root| {
            convergence::draw(root, summary, &lines, lang)
        });
        put(CONVERGENCE.into(), png)?;
    }

    if summary.barometer.is_some() {
        let png = render(BAROMETER, barometer::size(summary), |root| {
            barometer::draw(root, summary, lang)
        });
        put(BAROMETER.into(), png)?;
    }

    Ok(written)
}

/// Draws P(hit) per target for several runs side by side (one bar per run) into `path`
/// (written to a temporary name and renamed into place).
pub fn draw_comparison(
    runs: &[(String, Summary)],
    path: &Path,
    opts: &ChartOptions,
) -> Result<PathBuf, ChartError> {
    let png = comparison_png(runs, opts)?;
    write_file(path, &png)?;
    Ok(path.to_path_buf())
}

/// P(hit) per target for several runs side by side (one bar per run), as PNG bytes.
/// Each run is named by its `String` (for example the policy variant).
pub fn comparison_png(
    runs: &[(String, Summary)],
    opts: &ChartOptions,
) -> Result<Vec<u8>, ChartError> {
    if runs.is_empty() {
        return Err(ChartError::Input("no runs to compare".into()));
    }
    ensure_fonts()?;
    let rows = comparison::rows(runs);
    let size = comparison::size(runs, &rows, opts.lang);
    render("comparison.png", size, |root| {
        comparison::draw(root, runs, &rows, opts.lang)
    })
}

/// The reliability chart of a back-test (`reliability.png`), as PNG bytes.
pub fn reliability_png(bt: &Backtest, opts: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    ensure_fonts()?;
    render("reliability.png", reliability::size(bt), |root| {
        reliability::draw(root, bt, opts.lang)
    })
}

/// Writes `bytes` to `path` whole (temporary file renamed into place), creating its
/// directory.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ChartError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ChartError::Io { path, source }
    };
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    crate::report::write::atomic_write(path, bytes).map_err(io(path))
}

/// Renders one chart of `size` pixels in memory and encodes it as PNG. A failing or
/// panicking drawing is a [`ChartError::Draw`] naming `name`.
fn render<F>(name: impl AsRef<Path>, size: (u32, u32), draw: F) -> Result<Vec<u8>, ChartError>
where
    F: FnOnce(&canvas::Canvas) -> Result<(), ChartError>,
{
    let (w, h) = size;
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let root = BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
        Ok::<(), ChartError>(())
    }));
    let drawn = match outcome {
        Ok(r) => r,
        Err(panic) => Err(ChartError::Draw {
            chart: String::new(),
            message: panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic while drawing".into()),
        }),
    };
    let named = |message: String| ChartError::Draw {
        chart: name.as_ref().display().to_string(),
        message,
    };
    match drawn {
        Ok(()) => encode_png(&pixels, size).map_err(|e| named(format!("PNG encoding: {e}"))),
        Err(ChartError::Draw { message, .. }) => Err(named(message)),
        Err(other) => Err(other),
    }
}

/// RGB pixels to PNG bytes, with the compression plotters' own encoder uses.
fn encode_png(pixels: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Default);
    enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    let mut writer = enc.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(out)
}
