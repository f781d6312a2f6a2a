//! `planrisk validate <file>...`: load every file and report all problems.

use super::error::CliError;
use super::output::print;
use planrisk::diag::Diagnostics;
use planrisk::load_model;
use std::path::PathBuf;

pub fn validate(files: &[PathBuf]) -> Result<(), CliError> {
    let mut all = Diagnostics::new();
    let mut report = String::new();
    for f in files {
        match load_model(f) {
            Ok(l) => {
                let modeled = l.model.modeled_targets().count();
                report.push_str(&format!(
                    "ok: {} ({}: {} targets, {} modeled)\n",
                    f.display(),
                    l.model.id,
                    l.model.targets.len(),
                    modeled
                ));
            }
            Err(e) => all.extend(e),
        }
    }
    print(&report).map_err(|e| CliError::Internal(e.to_string()))?;
    if all.is_empty() {
        Ok(())
    } else {
        Err(all.into())
    }
}
