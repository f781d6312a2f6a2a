//! `planrisk report <out dir>` writes `report.html` from a run's saved results (summary,
//! manifest, charts) without simulating again, as a new output set of the directory
//! (`run` and `chart` write the report with the same writer). The page itself is made by
//! `planrisk::html`.

use super::error::CliError;
use super::lang::LangArg;
use super::output::print;
use super::sets::{finished, rewrite_set};
use clap::Args;
use planrisk::html::REPORT_FILE;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A run's output directory (holding summary.json, manifest.json and charts/).
    dir: PathBuf,
    /// Label language.
    #[arg(long, value_enum, default_value_t)]
    lang: LangArg,
}

pub fn report(args: ReportArgs) -> Result<(), CliError> {
    let (dir, _) = rewrite_set(&args.dir, &args.lang, false)?;
    print(&format!("{}\n", dir.join(REPORT_FILE).display()))
        .map_err(|e| CliError::Internal(e.to_string()))?;
    finished(&dir)
}
