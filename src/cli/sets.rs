//! What goes into a run's output set besides its results: the charts and report.html,
//! drawn into the set being written; rewriting a saved run's directory as a new set
//! (`chart`, `report`); and the exit code of a Ctrl-C that came after a set was switched
//! in.

use super::error::CliError;
use super::interrupt;
use super::lang::LangArg;
use super::outset::{listed_files, OutputSet};
use super::saved::{read_manifest, read_summary};
use planrisk::chart::draw_into;
use planrisk::diag::Diagnostic;
use planrisk::html::{self, REPORT_FILE};
use planrisk::report::manifest::{Manifest, MANIFEST};
use planrisk::report::write::to_json;
use planrisk::report::Summary;
use std::path::{Path, PathBuf};

/// Draws every chart of a run into the set's `charts/`; returns how many.
pub fn write_charts(
    set: &mut OutputSet,
    summary: &Summary,
    lang: &LangArg,
) -> Result<usize, CliError> {
    let mut sink = |rel: &Path, png: &[u8]| -> Result<(), CliError> {
        set.write(&format!("charts/{}", rel.to_string_lossy()), png)?;
        Ok(())
    };
    Ok(draw_into(summary, &lang.options(), &mut sink)?.len())
}

/// Makes the run report from `summary`, `manifest` and the charts already in `set` (none
/// with `--no-charts`), and adds it to the set as `report.html`.
pub fn write_report(
    set: &mut OutputSet,
    summary: &Summary,
    manifest: Option<&Manifest>,
    lang: &LangArg,
) -> Result<(), CliError> {
    let lookup = |rel: &Path| set.read(&format!("charts/{}", rel.to_string_lossy()));
    let page = html::run_report(summary, manifest, &lookup, lang.options().lang).map_err(|e| {
        Diagnostic::new(e.to_string()).with_hint(format!(
            "redraw the charts with `planrisk chart {}`",
            set.dir().display()
        ))
    })?;
    set.write(REPORT_FILE, page.as_bytes())?;
    Ok(())
}

/// Exit 130 for a Ctrl-C that came after the output set was switched in.
pub fn finished(dir: &Path) -> Result<(), CliError> {
    if interrupt::raised() {
        return Err(CliError::Interrupted(format!(
            "after the output was complete: {} holds the whole new set",
            dir.display()
        )));
    }
    Ok(())
}

/// Rewrites a run's output directory as a new set: the same results, the charts redrawn
/// when `redraw` (else kept), a new report.html, the manifest listing the new set.
/// Returns the directory and the number of charts in the new set.
pub fn rewrite_set(dir: &Path, lang: &LangArg, redraw: bool) -> Result<(PathBuf, usize), CliError> {
    // Locked first, so the results read are not being replaced meanwhile.
    let mut set = OutputSet::open(dir, interrupt::flag())?;
    let dir = set.dir().to_path_buf();
    let summary = read_summary(&dir)?;
    let manifest = read_manifest(&dir)?;
    let manifest_path = dir.join(MANIFEST);
    let not_a_run = || {
        Diagnostic::new(format!(
            "{} is not a planrisk run's manifest",
            manifest_path.display()
        ))
        .with_hint("give the output directory of a `planrisk run`")
    };
    let listed = listed_files(&dir).ok_or_else(not_a_run)?;
    let mut fields: serde_json::Value = std::fs::read(&manifest_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(not_a_run)?;
    let is_chart = |rel: &str| rel.starts_with("charts/");
    let mut charts = 0;
    for rel in &listed {
        if rel == REPORT_FILE || (redraw && is_chart(rel)) {
            continue;
        }
        let bytes = std::fs::read(dir.join(rel)).map_err(|e| {
            Diagnostic::new(format!(
                "cannot read {}, listed in {}: {e}",
                dir.join(rel).display(),
                manifest_path.display()
            ))
            .with_hint("the set is incomplete; rerun `planrisk run`")
        })?;
        set.write(rel, &bytes)?;
        charts += usize::from(is_chart(rel));
    }
    if redraw {
        charts = write_charts(&mut set, &summary, lang)?;
    }
    write_report(&mut set, &summary, manifest.as_ref(), lang)?;
    set.commit(|files| {
        fields["files"] = serde_json::to_value(files).map_err(std::io::Error::other)?;
        to_json(&fields)
    })?;
    Ok((dir, charts))
}
