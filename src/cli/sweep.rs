//! `planrisk sweep <scenario> --vary NAME=v1,v2,… [run flags] --out DIR`: one run per
//! value on this machine, then P(hit) of the variants side by side. DIR gets
//! `variants/<label>.toml` (each extends the scenario and changes one number),
//! `<label>/` (each variant's results, as `run` writes them) and `comparison/`
//! (`comparison.png`, `comparison.csv`, `report.html`). `planrisk slurm --sweep` runs
//! the same variants as Slurm array tasks and lays out its results the same way.

use super::chart::compare_runs;
use super::error::CliError;
use super::run::{run, RunArgs};
use super::variants::{file_stem, Variant, Vary};
use clap::Args;
use planrisk::diag::Diagnostic;
use planrisk::load_model;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// What to vary: a parameter (fixed at each value) or the dotted path of a number
    /// in the scenario, with its values, e.g. params.g_steel.mean=0.05,0.06,0.07.
    #[arg(long, value_name = "NAME=v1,v2,…")]
    vary: Vary,
    /// Every flag of `run`; --out is the sweep's directory (default
    /// output/<scenario id>.sweep/).
    #[command(flatten)]
    run: RunArgs,
}

pub fn sweep(args: SweepArgs) -> Result<(), CliError> {
    if args.run.is_shard() {
        return Err(Diagnostic::new("--shard cannot be combined with sweep")
            .with_hint("run the variants' shards on a cluster with `planrisk slurm --sweep NAME=… --shards N`")
            .into());
    }
    let base = load_model(args.run.scenario())?;
    let dir = args
        .run
        .out()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| default_dir(&base.model.id));
    let variants = args.vary.write(&base, &dir.join("variants"))?;
    let dirs = result_dirs(&dir, &variants);
    for (v, out) in variants.iter().zip(&dirs) {
        run(args.run.variant(v.file.clone(), out.clone()))?;
    }
    compare_runs(&dirs, &dir.join("comparison"), args.run.lang())
}

/// Where a sweep writes by default.
pub fn default_dir(scenario_id: &str) -> PathBuf {
    PathBuf::from("output").join(format!("{scenario_id}.sweep"))
}

/// Each variant's results directory inside the sweep's.
pub fn result_dirs(dir: &Path, variants: &[Variant]) -> Vec<PathBuf> {
    variants
        .iter()
        .map(|v| dir.join(file_stem(&v.label)))
        .collect()
}
