//! Reading a run's saved results (summary.json, manifest.json) for the commands that
//! draw or report without simulating. A summary is read only up to a size cap and
//! checked (ranges, shapes) before anything is drawn from it.

use super::error::CliError;
use planrisk::diag::Diagnostic;
use planrisk::report::check::check;
use planrisk::report::manifest::{Manifest, MANIFEST};
use planrisk::report::Summary;
use std::io::Read;
use std::path::Path;

/// Largest summary.json `chart` and `compare` read. A run writes about 15 kB per target
/// (a 5000-target plan's summary is under 100 MB), so a bigger file is not a run's.
pub const MAX_SUMMARY_BYTES: u64 = 256 << 20;

/// Reads `<dir>/summary.json`, refusing files over [`MAX_SUMMARY_BYTES`] and results
/// that fail [`check`].
pub fn read_summary(dir: &Path) -> Result<Summary, CliError> {
    let p = dir.join("summary.json");
    let cannot = |e: std::io::Error| {
        Diagnostic::new(format!("cannot read {}: {e}", p.display()))
            .with_hint("give the output directory of a `planrisk run`")
    };
    let mut bytes = Vec::new();
    std::fs::File::open(&p)
        .map_err(cannot)?
        .take(MAX_SUMMARY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_SUMMARY_BYTES {
        return Err(Diagnostic::new(format!(
            "{} is larger than the {} MiB planrisk reads; a run's summary is far smaller",
            p.display(),
            MAX_SUMMARY_BYTES >> 20
        ))
        .into());
    }
    let summary: Summary = serde_json::from_slice(&bytes).map_err(|e| {
        Diagnostic::new(format!(
            "{}:{}:{}: not a planrisk summary: {e}",
            p.display(),
            e.line(),
            e.column()
        ))
    })?;
    check(&summary).map_err(|problems| {
        Diagnostic::new(format!(
            "{} does not hold results a run can produce:\n{}",
            p.display(),
            problems.to_string().trim_end()
        ))
        .with_hint("rerun `planrisk run` to write them again")
    })?;
    Ok(summary)
}

/// `<dir>/manifest.json` when there is one; a file that is there but unreadable is an error.
pub fn read_manifest(dir: &Path) -> Result<Option<Manifest>, CliError> {
    let p = dir.join(MANIFEST);
    let bytes = match std::fs::read(&p) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Diagnostic::new(format!("cannot read {}: {e}", p.display())).into()),
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        Diagnostic::new(format!(
            "{}:{}:{}: not a planrisk manifest: {e}",
            p.display(),
            e.line(),
            e.column()
        ))
        .into()
    })
}
