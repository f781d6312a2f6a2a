//! Reading a run's saved results (summary.json, manifest.json) for the commands that
//! draw or report without simulating.

use super::error::CliError;
use planrisk::diag::Diagnostic;
use planrisk::report::manifest::Manifest;
use planrisk::report::Summary;
use std::path::Path;

/// Reads `<dir>/summary.json`.
pub fn read_summary(dir: &Path) -> Result<Summary, CliError> {
    let p = dir.join("summary.json");
    let bytes = std::fs::read(&p).map_err(|e| {
        Diagnostic::new(format!("cannot read {}: {e}", p.display()))
            .with_hint("give the output directory of a `planrisk run`")
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Diagnostic::new(format!(
            "{}:{}:{}: not a planrisk summary: {e}",
            p.display(),
            e.line(),
            e.column()
        ))
        .into()
    })
}

/// `<dir>/manifest.json` when there is one; a file that is there but unreadable is an error.
pub fn read_manifest(dir: &Path) -> Result<Option<Manifest>, CliError> {
    let p = dir.join("manifest.json");
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
