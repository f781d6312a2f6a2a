//! `planrisk slurm <scenario> --shards N --out DIR`: a run as a Slurm job array. Writes
//! `DIR/shard.sbatch` (array task t runs shard t of N with `run --shard`, its threads
//! from SLURM_CPUS_PER_TASK, into `DIR/parts/`) and `DIR/merge.sbatch` (to submit with
//! `--dependency=afterany:<array job>`: merges into `DIR/results/`, or names the shards
//! to resubmit and the sbatch command that does it), and prints the commands. With
//! `--sweep NAME=v1,v2,…` the array runs every variant's shards (task v·N + i) and the
//! merge job also compares the variants. planrisk only writes scripts; Slurm runs them.

use super::error::CliError;
use super::output::print;
use super::run::draws_and_seed;
use super::sweep::result_dirs;
use super::variants::{file_stem, Vary};
use clap::Args;
use planrisk::diag::Diagnostic;
use planrisk::load_model;
use planrisk::report::write::atomic_write;
use planrisk::sim::condition::parse_condition;
use planrisk::sim::shard::Shard;
use planrisk::sim::{RunConfig, Sampler};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct SlurmArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Number of shards (array tasks) per run.
    #[arg(long, default_value_t = 1)]
    shards: u64,
    /// Directory for the scripts, the shards' files, the logs and the results (on a
    /// file system every node sees).
    #[arg(long)]
    out: PathBuf,
    /// Slurm partition.
    #[arg(long)]
    partition: Option<String>,
    /// Time limit per task, in Slurm's format (e.g. 2:00:00).
    #[arg(long)]
    time: Option<String>,
    /// CPUs per task; each task runs that many threads.
    #[arg(long, default_value_t = 1)]
    cpus: u32,
    /// Number of draws. Default: the scenario's, else 100000.
    #[arg(long)]
    draws: Option<u64>,
    /// Random seed. Default: the scenario's.
    #[arg(long)]
    seed: Option<u64>,
    /// Sampler for the uncertain parameters: mc, lhs or sobol.
    #[arg(long, default_value = "mc")]
    sampler: Sampler,
    /// Condition for a what-if, e.g. "g_industry < 0.07" (repeatable).
    #[arg(long = "given")]
    given: Vec<String>,
    /// Run one variant per value (as `planrisk sweep --vary`) and compare them.
    #[arg(long, value_name = "NAME=v1,v2,…")]
    sweep: Option<Vary>,
    /// The merge job draws no charts (`planrisk chart DIR/results` draws them later).
    #[arg(long)]
    no_charts: bool,
}

/// One run of the job: its scenario file, where its shards go and its results.
struct Job {
    scenario: PathBuf,
    parts: PathBuf,
    results: PathBuf,
}

pub fn slurm(args: SlurmArgs) -> Result<(), CliError> {
    let base = load_model(&args.scenario)?;
    let (draws, seed) = draws_and_seed(args.draws, args.seed, &base.model);
    let conditions = args
        .given
        .iter()
        .map(|g| parse_condition(g, &base.model))
        .collect::<Result<Vec<_>, _>>()?;
    let cfg = RunConfig {
        draws,
        seed,
        sampler: args.sampler,
        precision: None,
        conditions,
    };
    cfg.validate(&base.model)?;
    Shard::new(0, args.shards)
        .and_then(|s| s.chunks(draws))
        .map_err(Diagnostic::from)?;
    std::fs::create_dir_all(&args.out).map_err(|e| {
        Diagnostic::new(format!("cannot create {}: {e}", args.out.display()))
            .with_hint("choose a writable directory with --out")
    })?;
    let dir = std::fs::canonicalize(&args.out)
        .map_err(|e| Diagnostic::new(format!("{}: {e}", args.out.display())))?;
    check_directive("--out", &dir.display().to_string())?;
    for (flag, v) in [("--partition", &args.partition), ("--time", &args.time)] {
        if let Some(v) = v {
            check_directive(flag, v)?;
        }
    }
    let jobs = jobs(&args, &dir, &base)?;
    for sub in ["logs", "parts"] {
        std::fs::create_dir_all(dir.join(sub)).map_err(|e| {
            Diagnostic::new(format!("cannot create {}: {e}", dir.join(sub).display()))
        })?;
    }
    let planrisk = std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .map_err(|e| CliError::Internal(format!("cannot find the planrisk binary: {e}")))?;
    let scripts = Scripts {
        args: &args,
        dir: &dir,
        planrisk: &planrisk,
        draws,
        seed,
        jobs: &jobs,
    };
    let shard_script = dir.join("shard.sbatch");
    let merge_script = dir.join("merge.sbatch");
    write(&shard_script, &scripts.shard())?;
    write(&merge_script, &scripts.merge())?;
    let earlier = jobs.iter().map(|j| count_parts(&j.parts)).sum::<usize>();
    if earlier > 0 {
        eprintln!(
            "note: {} already holds {earlier} shard file(s) of an earlier job; each task replaces its own, and the merge refuses files of another run",
            dir.join("parts").display()
        );
    }
    print(&format!(
        "wrote {} ({} array tasks: {} run(s) × {} shards) and {}\nsubmit with:\n  jid=$(sbatch --parsable {}) && sbatch --dependency=afterany:$jid {}\nresults in {}; the merge job's log {}/merge-<job id>.out names any shard to resubmit\n",
        shard_script.display(),
        jobs.len() as u64 * args.shards,
        jobs.len(),
        args.shards,
        merge_script.display(),
        shell(&shard_script.display().to_string()),
        shell(&merge_script.display().to_string()),
        dir.join("results").display(),
        dir.join("logs").display(),
    ))
    .map_err(|e| CliError::Internal(e.to_string()))
}

/// The runs: the scenario itself, or one variant per value of `--sweep` (written to
/// `DIR/variants/` and loaded now, so a bad variant fails here, not on the cluster).
fn jobs(args: &SlurmArgs, dir: &Path, base: &planrisk::Loaded) -> Result<Vec<Job>, CliError> {
    let Some(vary) = &args.sweep else {
        let scenario = std::fs::canonicalize(&args.scenario)
            .map_err(|e| Diagnostic::new(format!("{}: {e}", args.scenario.display())))?;
        return Ok(vec![Job {
            scenario,
            parts: dir.join("parts"),
            results: dir.join("results"),
        }]);
    };
    let variants = vary.write(base, &dir.join("variants"))?;
    let results = result_dirs(&dir.join("results"), &variants);
    let mut jobs = Vec::new();
    for (v, results) in variants.iter().zip(results) {
        load_model(&v.file)?;
        jobs.push(Job {
            scenario: v.file.clone(),
            parts: dir.join("parts").join(file_stem(&v.label)),
            results,
        });
    }
    Ok(jobs)
}

/// What the two scripts are made of.
struct Scripts<'a> {
    args: &'a SlurmArgs,
    dir: &'a Path,
    planrisk: &'a Path,
    draws: u64,
    seed: u64,
    jobs: &'a [Job],
}

impl Scripts<'_> {
    /// The `#SBATCH` lines both scripts share.
    fn header(&self, name: &str, output: &str, array: Option<String>) -> String {
        let mut s = String::from("#!/bin/bash\n");
        let _ = writeln!(s, "#SBATCH --job-name={name}");
        if let Some(a) = array {
            let _ = writeln!(s, "#SBATCH --array={a}");
        }
        let _ = writeln!(s, "#SBATCH --cpus-per-task={}", self.args.cpus);
        let _ = writeln!(s, "#SBATCH --output={}/logs/{output}", self.dir.display());
        if let Some(p) = &self.args.partition {
            let _ = writeln!(s, "#SBATCH --partition={p}");
        }
        if let Some(t) = &self.args.time {
            let _ = writeln!(s, "#SBATCH --time={t}");
        }
        let _ = writeln!(
            s,
            "# Written by `planrisk slurm`. PLANRISK_BIN, if set, names another planrisk binary.\nset -euo pipefail\nplanrisk=\"${{PLANRISK_BIN:-{}}}\"\nthreads=\"${{SLURM_CPUS_PER_TASK:-1}}\"",
            shell(&self.planrisk.display().to_string())
        );
        s
    }

    fn shard(&self) -> String {
        let n = self.args.shards;
        let tasks = self.jobs.len() as u64 * n;
        let array = Some(format!("0-{}", tasks - 1));
        let mut s = self.header("planrisk-shards", "shard-%A_%a.out", array);
        let list = |f: &dyn Fn(&Job) -> &Path| {
            let items: Vec<String> = self
                .jobs
                .iter()
                .map(|j| shell(&f(j).display().to_string()))
                .collect();
            items.join(" ")
        };
        let _ = writeln!(s, "scenarios=({})", list(&|j| &j.scenario));
        let _ = writeln!(s, "parts=({})", list(&|j| &j.parts));
        let _ = writeln!(
            s,
            "task=\"${{SLURM_ARRAY_TASK_ID:?submit this script with sbatch}}\"\nrun=$((task / {n}))\nshard=$((task % {n}))"
        );
        let mut cmd = format!(
            "exec \"$planrisk\" run \"${{scenarios[$run]}}\" --shard \"$shard/{n}\" --draws {} --seed {} --sampler {}",
            self.draws, self.seed, self.args.sampler
        );
        for g in &self.args.given {
            let _ = write!(cmd, " --given {}", shell(g));
        }
        cmd.push_str(" --threads \"$threads\" --quiet --out \"${parts[$run]}\"");
        s.push_str(&cmd);
        s.push('\n');
        s
    }

    fn merge(&self) -> String {
        let mut s = self.header("planrisk-merge", "merge-%j.out", None);
        s.push_str("status=0\n");
        let n = self.args.shards;
        for (v, j) in self.jobs.iter().enumerate() {
            let _ = writeln!(
                s,
                "\"$planrisk\" merge {} --out {} --threads \"$threads\"{} --slurm-dir {} --task-offset {} || status=$?",
                shell(&j.parts.display().to_string()),
                shell(&j.results.display().to_string()),
                if self.args.no_charts { " --no-charts" } else { "" },
                shell(&self.dir.display().to_string()),
                v as u64 * n
            );
        }
        s.push_str("[ \"$status\" -eq 0 ] || exit \"$status\"\n");
        if self.jobs.len() > 1 {
            let dirs: Vec<String> = self
                .jobs
                .iter()
                .map(|j| shell(&j.results.display().to_string()))
                .collect();
            let _ = writeln!(
                s,
                "\"$planrisk\" compare {} --out {}",
                dirs.join(" "),
                shell(&self.dir.join("comparison").display().to_string())
            );
        }
        s
    }
}

/// How many partial-result files `dir` holds (none if it does not exist).
fn count_parts(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "part"))
            .count()
    })
}

fn write(path: &Path, text: &str) -> Result<(), CliError> {
    atomic_write(path, text.as_bytes())
        .map_err(|e| Diagnostic::new(format!("cannot write {}: {e}", path.display())).into())
}

/// Text for a shell command line, single-quoted when it needs to be.
fn shell(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-=+:,@".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `#SBATCH` lines are not parsed by a shell: a value with blanks, quotes, `%` (a
/// file-name pattern to Slurm) or `#` would be cut or misread.
fn check_directive(flag: &str, value: &str) -> Result<(), CliError> {
    let bad = value
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'%#\\".contains(*c));
    match bad {
        None if !value.is_empty() => Ok(()),
        _ => Err(Diagnostic::new(format!(
            "{flag} {value:?} cannot go into an #SBATCH line{}",
            bad.map(|c| format!(" (it holds {c:?})"))
                .unwrap_or_default()
        ))
        .with_hint("use a value without blanks, quotes, % or #")
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting_survives_any_text() {
        assert_eq!(shell("/a/b.toml"), "/a/b.toml");
        assert_eq!(shell("g < 0.1"), "'g < 0.1'");
        assert_eq!(shell("it's"), "'it'\\''s'");
        assert_eq!(shell(""), "''");
    }

    #[test]
    fn directives_refuse_what_slurm_would_misread() {
        assert!(check_directive("--time", "2:00:00").is_ok());
        assert!(check_directive("--partition", "long queue").is_err());
        assert!(check_directive("--out", "/data/100%").is_err());
        assert!(check_directive("--time", "").is_err());
    }
}
