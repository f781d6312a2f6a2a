//! `planrisk chart <out dir>` redraws a run's charts (and its report) from its saved
//! summary.json, and `planrisk compare <dir>... --out DIR` draws P(hit) of several runs
//! side by side and writes the comparison report. Both read results only: drawing never
//! re-simulates and never changes a number. What they read is checked first (size,
//! ranges, shapes), and what they write is one output set, like a run's.

use super::error::CliError;
use super::interrupt;
use super::lang::LangArg;
use super::output::print;
use super::outset::OutputSet;
use super::saved::{read_manifest, read_summary};
use super::sets::{finished, rewrite_set};
use clap::Args;
use planrisk::chart::comparison_png;
use planrisk::diag::Diagnostic;
use planrisk::html::{comparison_report, ComparedRun, REPORT_FILE};
use planrisk::report::manifest::{CompareInput, ComparisonManifest, PROGRAM};
use planrisk::report::write::{csv_field, to_json};
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
    /// Where to write comparison.png, comparison.csv and report.html: a new, empty or
    /// previous planrisk output directory, replaced whole.
    #[arg(long)]
    out: PathBuf,
    /// Label language.
    #[arg(long, value_enum, default_value_t)]
    lang: LangArg,
}

pub fn chart(args: ChartArgs) -> Result<(), CliError> {
    let (dir, charts) = rewrite_set(&args.dir, &args.lang, true)?;
    print(&format!(
        "{charts} charts in {}\n",
        dir.join("charts").display()
    ))
    .map_err(|e| CliError::Internal(e.to_string()))?;
    finished(&dir)
}

pub fn compare(args: CompareArgs) -> Result<(), CliError> {
    compare_runs(&args.dirs, &args.out, args.lang)
}

/// Writes comparison.png, comparison.csv and report.html for the runs saved in `dirs`
/// (each named by its scenario id, made distinct) into `out`, as one output set;
/// `compare` and `sweep` share it.
pub(super) fn compare_runs(dirs: &[PathBuf], out: &Path, lang: LangArg) -> Result<(), CliError> {
    let mut set = OutputSet::open(out, interrupt::flag())?;
    let out = set.dir().to_path_buf();
    let mut runs = Vec::new();
    for d in dirs {
        if std::fs::canonicalize(d).is_ok_and(|c| c == out) {
            return Err(Diagnostic::new(format!(
                "--out {} is one of the compared runs; comparing writes a new set there and would replace that run",
                out.display()
            ))
            .with_hint("choose another --out")
            .into());
        }
        runs.push(read_summary(d)?);
    }
    let ids: Vec<&str> = runs.iter().map(|s| s.scenario.id.as_str()).collect();
    let names = labels(dirs, &ids);
    let named: Vec<(String, Summary)> = names.iter().cloned().zip(runs).collect();
    let png = comparison_png(&named, &lang.options())?;
    set.write("comparison.png", &png)?;
    set.write("comparison.csv", comparison_csv(&named).as_bytes())?;
    let manifests = dirs
        .iter()
        .map(|d| read_manifest(d))
        .collect::<Result<Vec<_>, _>>()?;
    let compared: Vec<ComparedRun> = named
        .iter()
        .zip(&manifests)
        .map(|((name, summary), manifest)| ComparedRun {
            name,
            summary,
            manifest: manifest.as_ref(),
        })
        .collect();
    let page = comparison_report(&compared, Some(&png), lang.options().lang)
        .map_err(|e| CliError::Internal(format!("making the comparison report: {e}")))?;
    set.write(REPORT_FILE, page.as_bytes())?;
    let manifest = ComparisonManifest {
        program: PROGRAM.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        kind: "compare".into(),
        runs: dirs
            .iter()
            .zip(&named)
            .map(|(d, (label, s))| CompareInput {
                dir: d.display().to_string(),
                label: label.clone(),
                scenario_id: s.scenario.id.clone(),
                seed: s.seed,
                draws: s.draws,
            })
            .collect(),
        files: Vec::new(),
    };
    set.commit(|files| to_json(&ComparisonManifest { files, ..manifest }))?;
    print(&format!(
        "{}\n{}\n{}\n",
        out.join("comparison.png").display(),
        out.join("comparison.csv").display(),
        out.join(REPORT_FILE).display()
    ))
    .map_err(|e| CliError::Internal(e.to_string()))?;
    finished(&out)
}

/// One distinct name per run: its scenario id, with the directory added when two runs
/// share an id, and a number when even that repeats.
fn labels(dirs: &[PathBuf], ids: &[&str]) -> Vec<String> {
    let first: Vec<String> = ids
        .iter()
        .zip(dirs)
        .map(|(id, d)| {
            if ids.iter().filter(|x| *x == id).count() > 1 {
                format!("{id} ({})", d.display())
            } else {
                id.to_string()
            }
        })
        .collect();
    first
        .iter()
        .enumerate()
        .map(
            |(i, l)| match first[..i].iter().filter(|x| *x == l).count() {
                0 => l.clone(),
                k => format!("{l} #{}", k + 1),
            },
        )
        .collect()
}

/// One row per target id (in first-seen order), one P(hit) column per run; fields
/// quoted as RFC 4180 says.
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
        let _ = write!(out, ",{}", csv_field(name));
    }
    out.push('\n');
    for id in ids {
        out.push_str(&csv_field(id));
        for (_, s) in runs {
            let p = s.targets.iter().find(|t| t.id == id).and_then(|t| t.p_hit);
            let _ = write!(out, ",{}", p.map(|p| p.to_string()).unwrap_or_default());
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_unique() {
        let dirs: Vec<PathBuf> = ["a", "b", "a", "c"].iter().map(PathBuf::from).collect();
        let ids = ["mini", "mini", "mini", "other"];
        assert_eq!(
            labels(&dirs, &ids),
            ["mini (a)", "mini (b)", "mini (a) #2", "other"]
        );
    }
}
