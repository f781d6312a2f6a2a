//! `planrisk merge <files or dirs> --out DIR`: put the shards of a run back together
//! and write the same results as a one-machine `run` (summary.json byte for byte).
//! The set is checked first (one file per shard, all of one run, undamaged, of this
//! build); anything wrong is listed at once with the shards to run again, exit 3.

use super::error::CliError;
use super::interrupt;
use super::lang::LangArg;
use super::output::print;
use super::outset::OutputSet;
use super::parts::{read, read_header};
use super::run::{manifest, pool, threads, write_outputs, ChartChoice};
use super::sets::finished;
use clap::Args;
use planrisk::diag::Diagnostic;
use planrisk::model::Model;
use planrisk::report::partial::{PartialError, RunKey};
use planrisk::report::shard_set::{plan, reference, Found, Problem, SetProblems};
use planrisk::report::summarize;
use planrisk::sim::condition::parse_condition;
use planrisk::sim::fold::Combiner;
use planrisk::sim::layout::Layout;
use planrisk::sim::sampler::UnknownSampler;
use planrisk::sim::shard::{check_part, finish, Shard};
use planrisk::sim::{self, RunConfig, RunOutput};
use planrisk::{load_model_with, Loaded, View};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Partial-result files, or directories holding them (every `*.part` inside).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output directory for the merged results: new, empty, or a previous planrisk
    /// output, which is replaced whole. Default: output/<scenario id>/.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The scenario file, if it has moved since the shards ran (its SHA-256 must still
    /// match). Default: the path recorded in the shards.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Worker threads for the pilot that rebuilds the run's layout. Default: all cores.
    #[arg(long)]
    threads: Option<usize>,
    /// Do not draw charts.
    #[arg(long)]
    no_charts: bool,
    /// Label language of the charts.
    #[arg(long, value_enum, default_value_t)]
    lang: LangArg,
    /// Directory of the `planrisk slurm` scripts that ran these shards: an incomplete
    /// set is then answered with the sbatch command that resubmits its shards.
    #[arg(long, hide = true)]
    slurm_dir: Option<PathBuf>,
    /// The array task id of shard 0 in those scripts (a sweep runs every variant's
    /// shards in one array).
    #[arg(long, hide = true, default_value_t = 0)]
    task_offset: u64,
}

/// How to resubmit shards that ran as Slurm array tasks.
struct Resubmit<'a> {
    dir: &'a Path,
    offset: u64,
}

pub fn merge(args: MergeArgs) -> Result<(), CliError> {
    let started = Instant::now();
    let slurm = args.slurm_dir.as_deref().map(|dir| Resubmit {
        dir,
        offset: args.task_offset,
    });
    let files = part_files(&args.inputs)?;
    let (found, unreadable) = headers(&files);
    let Some(key) = reference(&found) else {
        return Err(no_readable_file(files.len(), &unreadable));
    };
    let scenario_path = args.scenario.clone().unwrap_or_else(|| {
        let f = found.iter().find(|f| f.header.run == key);
        let f = f.expect("the reference run has a file");
        PathBuf::from(&f.header.scenario_path)
    });
    let view = if key.inside_view {
        View::Inside
    } else {
        View::Default
    };
    let loaded = load_model_with(&scenario_path, view)?;
    let model = &loaded.model;
    check_run(&key, &loaded, &scenario_path)?;
    let chosen = plan(&found, unreadable, &key)
        .map_err(|p| incomplete(with_damage(p, &found), slurm.as_ref()))?;
    let cfg = RunConfig {
        draws: key.draws,
        seed: key.seed,
        sampler: key
            .sampler
            .parse()
            .map_err(|e: UnknownSampler| Diagnostic::new(e.to_string()))?,
        precision: None,
        conditions: key
            .conditions
            .iter()
            .map(|g| parse_condition(g, model))
            .collect::<Result<_, _>>()?,
    };
    cfg.validate(model)?;
    let threads = threads(args.threads)?;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&model.id));
    let set = OutputSet::open(&out_dir, interrupt::flag())?;
    let layout = pool(threads)?.install(|| sim::run::layout(model, &cfg));
    let paths: Vec<&Path> = chosen.iter().map(|&n| Path::new(&found[n].file)).collect();
    let output = combine(&paths, layout, &key, slurm.as_ref())?;
    let summary = summarize(model, &output, cfg.seed, cfg.sampler);
    let elapsed = started.elapsed().as_secs_f64();
    let mut manifest = manifest(&loaded, &scenario_path, &cfg, &output, threads, elapsed);
    manifest.conditions = key.conditions.clone();
    manifest.shards = Some(key.shards);
    let charts = ChartChoice {
        draw: !args.no_charts,
        lang: args.lang,
    };
    let n_charts = write_outputs(set, &summary, manifest, &charts)?;
    print(&format!(
        "merged {} shards ({} draws) in {:.2} s; results, {n_charts} charts and report.html in {}\n{}",
        key.shards,
        output.acc.draws(),
        started.elapsed().as_secs_f64(),
        out_dir.display(),
        no_barometer(model)
    ))
    .map_err(|e| CliError::Internal(e.to_string()))?;
    finished(&out_dir)
}

/// Why a merged run with observations has no barometer: the barometer needs the run as
/// of each earlier year of observations, which the shards do not make (merging must
/// stay cheap beside the shards).
fn no_barometer(model: &Model) -> String {
    match model.observed_years().first() {
        Some(first) => format!(
            "no barometer: a sharded run makes only the run with all observations; `planrisk run --as-of {}` (one machine) gives the forecast before them\n",
            first - 1
        ),
        None => String::new(),
    }
}

/// When not one file has a readable header: each file and what is wrong with it.
fn no_readable_file(files: usize, unreadable: &[Problem]) -> CliError {
    let mut text = format!("no readable partial-result file among {files} files");
    for p in unreadable {
        if let Problem::Damaged { file, reason, .. } = p {
            text.push_str(&format!("\n  {file}: {reason}"));
        }
    }
    Diagnostic::new(text).into()
}

/// Every `*.part` file named or inside a named directory, in name order per directory.
fn part_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input).map_err(|e| {
                Diagnostic::new(format!("cannot read directory {}: {e}", input.display()))
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "part") && p.is_file())
                .collect();
            found.sort();
            files.extend(found);
        } else if input.is_file() {
            files.push(input.clone());
        } else {
            return Err(CliError::from(
                Diagnostic::new(format!("{} does not exist", input.display())).with_hint(
                    "give the shards' partial-result files or the directory holding them",
                ),
            ));
        }
    }
    if files.is_empty() {
        return Err(CliError::from(
            Diagnostic::new("no partial-result files (*.part) found")
                .with_hint("`planrisk run --shard i/N` writes them; give their directory"),
        ));
    }
    Ok(files)
}

/// The headers that could be read, and a problem for each file whose could not.
fn headers(files: &[PathBuf]) -> (Vec<Found>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut unreadable = Vec::new();
    for f in files {
        match read_header(f) {
            Ok((header, length)) if length != header.payload_bytes => {
                unreadable.push(Problem::Damaged {
                    file: f.display().to_string(),
                    shard: Some(header.shard),
                    reason: PartialError::Length {
                        expected: header.payload_bytes,
                        found: length,
                    }
                    .to_string(),
                })
            }
            Ok((header, _)) => found.push(Found {
                file: f.display().to_string(),
                header,
            }),
            Err(e) => unreadable.push(Problem::Damaged {
                file: f.display().to_string(),
                shard: None,
                reason: e.to_string(),
            }),
        }
    }
    (found, unreadable)
}

/// A set that cannot be merged anyway: the files it did not blame are read whole, so
/// that damaged ones are named now rather than after the next resubmission.
fn with_damage(mut p: SetProblems, found: &[Found]) -> SetProblems {
    for f in found {
        let blamed = p.problems.iter().any(|q| match q {
            Problem::Mismatch { file, .. } | Problem::Damaged { file, .. } => file == &f.file,
            Problem::Duplicate { files, .. } => files.contains(&f.file),
            Problem::Missing(_) => false,
        });
        if f.header.shard >= p.shards || blamed {
            continue;
        }
        if let Err(e) = read(Path::new(&f.file)) {
            p.problems.push(Problem::Damaged {
                file: f.file.clone(),
                shard: Some(f.header.shard),
                reason: e.to_string(),
            });
            p.resubmit.push(f.header.shard);
        }
    }
    p.resubmit.sort_unstable();
    p.resubmit.dedup();
    p
}

/// The run must have been computed by this build from this scenario file.
fn check_run(key: &RunKey, loaded: &Loaded, path: &Path) -> Result<(), CliError> {
    let version = env!("CARGO_PKG_VERSION");
    if key.version != version {
        return Err(CliError::from(
            Diagnostic::new(format!(
                "the shards were computed by planrisk {}; this is planrisk {version}",
                key.version
            ))
            .with_hint(
                "merge with the planrisk that ran them, or run every shard again with this one",
            ),
        ));
    }
    if key.scenario_sha256 != loaded.hash {
        return Err(CliError::from(
            Diagnostic::new(format!(
                "{} has changed since the shards ran (SHA-256 now {}, the shards' {})",
                path.display(),
                loaded.hash,
                key.scenario_sha256
            ))
            .with_hint("restore the scenario the shards ran, or run every shard again"),
        ));
    }
    Ok(())
}

/// Reads each chosen file in shard order and folds it in; damaged files are all listed.
fn combine(
    paths: &[&Path],
    layout: Layout,
    key: &RunKey,
    slurm: Option<&Resubmit>,
) -> Result<RunOutput, CliError> {
    let mut combiner = Combiner::new();
    let mut problems = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let shard =
            Shard::new(i as u64, key.shards).map_err(|e| CliError::Internal(e.to_string()))?;
        let damaged = |reason: String| Problem::Damaged {
            file: path.display().to_string(),
            shard: Some(i as u64),
            reason,
        };
        let part = match read(path) {
            Err(e) => {
                problems.push(damaged(e.to_string()));
                continue;
            }
            Ok((_, payload)) if !payload.ranges_match(&layout) => {
                problems.push(damaged(
                    "its histogram ranges differ from this build's: it was computed by another build of planrisk".into(),
                ));
                continue;
            }
            Ok((_, payload)) => check_part(payload.part, &layout, shard, key.draws),
        };
        match part {
            Err(e) => problems.push(damaged(e.to_string())),
            // After a problem nothing more is folded, but every file is still checked.
            Ok(part) if problems.is_empty() => combiner
                .add(part)
                .map_err(|e| CliError::Internal(format!("folding shard {i}: {e:?}")))?,
            Ok(_) => {}
        }
    }
    if !problems.is_empty() {
        let resubmit = problems
            .iter()
            .filter_map(|p| match p {
                Problem::Damaged { shard, .. } => *shard,
                _ => None,
            })
            .collect();
        return Err(incomplete(
            SetProblems {
                shards: key.shards,
                problems,
                resubmit,
            },
            slurm,
        ));
    }
    Ok(finish(layout, combiner))
}

/// The error for a set that cannot be merged (exit 3); for shards run by `planrisk
/// slurm`, with the command that resubmits them.
fn incomplete(p: SetProblems, slurm: Option<&Resubmit>) -> CliError {
    let mut text = p.to_string();
    if let (Some(r), false) = (slurm, p.resubmit.is_empty()) {
        text.push_str(&format!(
            "  = help: jid=$(sbatch --parsable --array={} {}) && sbatch --dependency=afterany:$jid {}\n",
            p.resubmit_tasks(r.offset),
            r.dir.join("shard.sbatch").display(),
            r.dir.join("merge.sbatch").display()
        ));
    }
    CliError::Incomplete(text)
}
