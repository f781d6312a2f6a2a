//! `planrisk run --shard i/N`: run only shard i's chunks and write its partial-result
//! file (`shard-000i-of-000N.part`) into the parts directory, under a temporary name
//! renamed into place, so a retried shard replaces its file whole and a killed one
//! leaves none.

use super::error::CliError;
use super::output::print;
use super::parts::read_header;
use planrisk::diag::Diagnostic;
use planrisk::report::partial::{self, PartialHeader, Payload, RunKey};
use planrisk::report::write::atomic_write;
use planrisk::sim::shard::{run_shard, Shard};
use planrisk::sim::{RunConfig, StopReason};
use planrisk::Loaded;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// `--shard i/N` as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardArg(pub Shard);

impl FromStr for ShardArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let hint = "write it as i/N: shard i (0 to N-1) of N, e.g. 0/4";
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not a shard: {hint}"))?;
        let num = |x: &str| {
            x.trim()
                .parse::<u64>()
                .map_err(|_| format!("`{s}` is not a shard: {hint}"))
        };
        Shard::new(num(i)?, num(n)?)
            .map(ShardArg)
            .map_err(|e| format!("{e}; {hint}"))
    }
}

/// One shard to run and where its file goes.
pub struct ShardJob<'a> {
    pub loaded: &'a Loaded,
    /// The scenario as named on the command line.
    pub scenario: &'a Path,
    pub cfg: RunConfig,
    /// The `--given` texts, recorded so the merge can rebuild the conditions.
    pub given: Vec<String>,
    pub shard: Shard,
    pub dir: PathBuf,
}

/// The default parts directory: beside the default results, not inside them (a result
/// directory is replaced whole by each run).
pub fn default_dir(scenario_id: &str) -> PathBuf {
    PathBuf::from("output").join(format!("{scenario_id}.parts"))
}

/// Runs the shard on `pool` and writes its file.
pub fn run(
    job: ShardJob,
    pool: &rayon::ThreadPool,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<(), CliError> {
    let path = job
        .dir
        .join(partial::file_name(job.shard.index, job.shard.count));
    check_target(&job.dir, &path)?;
    let started = Instant::now();
    let model = &job.loaded.model;
    let out = pool.install(|| run_shard(model, &job.cfg, job.shard, progress, cancel))?;
    if out.stop == StopReason::Cancelled {
        return Err(CliError::Interrupted(format!(
            "shard {} stopped; nothing was written",
            job.shard.index
        )));
    }
    let chunks = job.shard.chunks(job.cfg.draws).map_err(Diagnostic::from)?;
    let header = header(&job, [chunks.start, chunks.end]);
    let draws = out.part.draws;
    let bytes = partial::encode(header, &Payload::new(&out.layout, out.part))
        .map_err(|e| CliError::Internal(format!("encoding the shard's results: {e}")))?;
    atomic_write(&path, &bytes).map_err(|e| {
        CliError::from(
            Diagnostic::new(format!("cannot write {}: {e}", path.display()))
                .with_hint("choose a writable directory with --out"),
        )
    })?;
    print(&format!(
        "shard {}/{}: chunks {}..{} ({} draws) in {:.2} s -> {}\n",
        job.shard.index,
        job.shard.count,
        chunks.start,
        chunks.end,
        draws,
        started.elapsed().as_secs_f64(),
        path.display()
    ))
    .map_err(|e| CliError::Internal(e.to_string()))
}

fn header(job: &ShardJob, chunks: [u64; 2]) -> PartialHeader {
    let scenario = std::fs::canonicalize(job.scenario).unwrap_or_else(|_| job.scenario.into());
    PartialHeader {
        program: "planrisk".into(),
        run: RunKey {
            format: partial::FORMAT,
            version: env!("CARGO_PKG_VERSION").into(),
            scenario_sha256: job.loaded.hash.clone(),
            seed: job.cfg.seed,
            draws: job.cfg.draws,
            sampler: job.cfg.sampler.name().into(),
            conditions: job.given.clone(),
            shards: job.shard.count,
            inside_view: job.loaded.model.inside_view,
        },
        scenario_id: job.loaded.model.id.clone(),
        scenario_path: scenario.display().to_string(),
        shard: job.shard.index,
        chunks,
        payload_bytes: 0,
        payload_sha256: String::new(),
    }
}

/// Creates the parts directory; refuses to replace a file that is not a partial-result
/// file (a retried shard replaces its own earlier file).
fn check_target(dir: &Path, path: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        CliError::from(
            Diagnostic::new(format!(
                "cannot create the parts directory {}: {e}",
                dir.display()
            ))
            .with_hint("choose a writable directory with --out"),
        )
    })?;
    if path.is_dir() {
        return Err(CliError::from(Diagnostic::new(format!(
            "{} is a directory; a shard writes a file there",
            path.display()
        ))));
    }
    if path.exists() && read_header(path).is_err() {
        return Err(CliError::from(
            Diagnostic::new(format!(
                "{} exists and is not a planrisk partial-result file; planrisk does not replace it",
                path.display()
            ))
            .with_hint("move it away, or give another directory with --out"),
        ));
    }
    Ok(())
}
