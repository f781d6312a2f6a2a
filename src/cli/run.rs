//! `planrisk run`: load a scenario, take the output directory (locked, checked to be
//! planrisk's to replace), simulate on a rayon pool of the requested size with a
//! progress bar, write results, charts and report as one output set, and print a
//! one-screen summary.

use super::error::CliError;
use super::interrupt;
use super::lang::LangArg;
use super::output::print;
use super::outset::OutputSet;
use super::sets::{finished, write_charts, write_report};
use super::shard::{self, ShardArg, ShardJob};
use super::table::{cut, Table};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use planrisk::diag::Diagnostic;
use planrisk::html::REPORT_FILE;
use planrisk::model::Model;
use planrisk::report::barometer::add_barometer;
use planrisk::report::manifest::{Manifest, PROGRAM};
use planrisk::report::summary::Status;
use planrisk::report::write::{manifest_json, result_files};
use planrisk::report::{summarize, Summary};
use planrisk::sim::condition::parse_condition;
use planrisk::sim::shard::Shard;
use planrisk::sim::{self, RunConfig, RunOutput, Sampler, StopReason};
use planrisk::{load_model_with, Loaded, View};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Draws when neither the command line nor the scenario says.
const DEFAULT_DRAWS: u64 = 100_000;
/// Seed when neither the command line nor the scenario says.
const DEFAULT_SEED: u64 = 20_110_101;
/// Most worker threads: beyond a few per core they only cost start-up time and memory
/// (10 000 threads made a 2000-draw run take 81 s), and results never depend on them.
pub const MAX_THREADS: usize = 256;

#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    #[command(flatten)]
    draw: DrawArgs,
    /// Output directory: new, empty, or a previous planrisk output, which is replaced
    /// whole. Default: output/<scenario id>/.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Sampler for the uncertain parameters: mc, lhs or sobol.
    #[arg(long, default_value = "mc")]
    sampler: Sampler,
    /// Stop when every modeled target's P(hit) 95% half-width is at most this (e.g. 0.005).
    #[arg(long)]
    precision: Option<f64>,
    /// Condition for a what-if, e.g. "g_industry < 0.07" (repeatable).
    #[arg(long = "given")]
    given: Vec<String>,
    /// Use the scenario's observations up to this year (default: all of them; the base
    /// year: none).
    #[arg(long = "as-of", value_name = "YEAR")]
    as_of: Option<i32>,
    /// Do not draw charts.
    #[arg(long)]
    no_charts: bool,
    /// Label language of the charts.
    #[arg(long, value_enum, default_value_t)]
    lang: LangArg,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Run only shard i of N (e.g. 0/4) and write its partial-result file into --out
    /// (default output/<scenario id>.parts/); `planrisk merge` combines the N files.
    #[arg(long, value_name = "i/N")]
    shard: Option<ShardArg>,
}

/// How many draws, from which seed, on how many threads: shared by the commands that
/// simulate.
#[derive(Args, Debug, Clone)]
pub struct DrawArgs {
    /// Number of draws (maximum, with --precision). Default: the scenario's, else 100000.
    #[arg(long)]
    draws: Option<u64>,
    /// Random seed. Default: the scenario's.
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads, at most 256 (results do not depend on it). Default: all cores.
    #[arg(long)]
    threads: Option<usize>,
    /// Draw each parameter from its `inside_view` prior where it has one (the priors
    /// before the outside view), to compare with the default run.
    #[arg(long)]
    inside_view: bool,
}

impl DrawArgs {
    /// Which priors to draw from.
    pub(super) fn view(&self) -> View {
        if self.inside_view {
            View::Inside
        } else {
            View::Default
        }
    }

    /// (draws, seed, threads): as given, else the scenario's, else the defaults.
    pub(super) fn resolve(&self, model: &Model) -> Result<(u64, u64, usize), CliError> {
        let (draws, seed) = draws_and_seed(self.draws, self.seed, model);
        Ok((draws, seed, threads(self.threads)?))
    }
}

/// (draws, seed): as given, else the scenario's, else the defaults.
pub(super) fn draws_and_seed(draws: Option<u64>, seed: Option<u64>, model: &Model) -> (u64, u64) {
    (
        draws.or(model.default_draws).unwrap_or(DEFAULT_DRAWS),
        seed.or(model.default_seed).unwrap_or(DEFAULT_SEED),
    )
}

/// The worker count: as given (1 to [`MAX_THREADS`]), else one per core.
pub(super) fn threads(asked: Option<usize>) -> Result<usize, CliError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match asked {
        Some(0) => Err(Diagnostic::new("--threads must be at least 1").into()),
        Some(t) if t > MAX_THREADS => Err(Diagnostic::new(format!(
            "--threads {t} is more than the {MAX_THREADS} planrisk runs (this machine has {cores} cores)"
        ))
        .with_hint("results do not depend on the thread count; leave --threads out to use one per core")
        .into()),
        Some(t) => Ok(t),
        None => Ok(cores.min(MAX_THREADS)),
    }
}

impl RunArgs {
    /// The same flags for another scenario file and output directory (a variant of a
    /// sweep).
    pub(super) fn variant(&self, scenario: PathBuf, out: PathBuf) -> RunArgs {
        RunArgs {
            scenario,
            out: Some(out),
            ..self.clone()
        }
    }

    pub(super) fn scenario(&self) -> &Path {
        &self.scenario
    }

    pub(super) fn out(&self) -> Option<&Path> {
        self.out.as_deref()
    }

    pub(super) fn is_shard(&self) -> bool {
        self.shard.is_some()
    }

    pub(super) fn lang(&self) -> LangArg {
        self.lang
    }
}

/// `model` as of `year` (default `default`): its observations up to that year; the
/// year must lie in the plan period.
pub(super) fn as_of(model: &Model, year: Option<i32>, default: i32) -> Result<Model, CliError> {
    let year = year.unwrap_or(default);
    if year < model.base_year || year > model.horizon {
        return Err(Diagnostic::new(format!(
            "--as-of {year} is outside the plan period {}..{}",
            model.base_year, model.horizon
        ))
        .with_hint("give the year the forecast is made in, from the base year (no observations) to the horizon")
        .into());
    }
    Ok(model.as_of(year))
}

pub fn run(args: RunArgs) -> Result<(), CliError> {
    let loaded = load_model_with(&args.scenario, args.draw.view())?;
    let model = &as_of(&loaded.model, args.as_of, loaded.model.horizon)?;
    let (draws, seed, threads) = args.draw.resolve(model)?;
    let cfg = RunConfig {
        draws,
        seed,
        sampler: args.sampler,
        precision: args.precision,
        conditions: args
            .given
            .iter()
            .map(|g| parse_condition(g, model))
            .collect::<Result<Vec<_>, _>>()?,
    };
    // Checked before the output directory is touched; `sim::run` checks it again.
    cfg.validate(model)?;
    if let Some(ShardArg(shard)) = args.shard {
        if args.as_of.is_some() {
            return Err(Diagnostic::new("--as-of cannot be combined with --shard")
                .with_hint("a sharded run uses all of the scenario's observations; to condition on fewer, remove the later [[observed]] entries in a variant file (extends)")
                .into());
        }
        return run_shard(&args, &loaded, cfg, shard, threads);
    }
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&model.id));
    // Taken before simulating: a directory that cannot be ours fails at once.
    let set = OutputSet::open(&out_dir, interrupt::flag())?;
    let (output, mut elapsed) = simulate(model, &cfg, threads, args.quiet, set.dir())?;
    let mut summary = summarize(model, &output, cfg.seed, cfg.sampler);
    if !model.observed.is_empty() {
        elapsed += barometer(model, &cfg, &mut summary, threads, args.quiet, &out_dir)?;
    }
    let mut manifest = manifest(&loaded, &args.scenario, &cfg, &output, threads, elapsed);
    manifest.conditions = args.given.clone();
    manifest.as_of = args.as_of;
    let charts = ChartChoice {
        draw: !args.no_charts,
        lang: args.lang,
    };
    let charts = write_outputs(set, &summary, manifest, &charts)?;
    let mut text = render_summary(&summary);
    text.push_str(&format!(
        "\n{} draws in {:.2} s ({} threads, {}); results, {charts} charts and {REPORT_FILE} in {}\n",
        summary.draws,
        elapsed,
        threads,
        output.stop.describe(),
        out_dir.display()
    ));
    print(&text).map_err(|e| CliError::Internal(e.to_string()))?;
    finished(&out_dir)
}

/// `run --shard i/N`: the shard's partial-result file instead of results.
fn run_shard(
    args: &RunArgs,
    loaded: &Loaded,
    cfg: RunConfig,
    shard: Shard,
    threads: usize,
) -> Result<(), CliError> {
    let draws = shard
        .chunks(cfg.draws)
        .map_or(cfg.draws, |r| (r.end - r.start) * sim::run::CHUNK);
    let job = ShardJob {
        loaded,
        scenario: &args.scenario,
        cfg,
        given: args.given.clone(),
        shard,
        dir: args
            .out
            .clone()
            .unwrap_or_else(|| shard::default_dir(&loaded.model.id)),
    };
    let bar = progress_bar(draws, args.quiet);
    let result = shard::run(
        job,
        &pool(threads)?,
        &|done| bar.set_position(done),
        &interrupt::flag(),
    );
    bar.finish_and_clear();
    result
}

/// Which charts to draw after writing results.
pub(super) struct ChartChoice {
    pub draw: bool,
    pub lang: LangArg,
}

/// Writes a run's results, unless skipped its charts, its report.html and the manifest
/// (listing them all) as one output set; returns the number of charts. `run` and
/// `merge` write the same set.
pub(super) fn write_outputs(
    mut set: OutputSet,
    summary: &Summary,
    mut manifest: Manifest,
    charts: &ChartChoice,
) -> Result<usize, CliError> {
    let encoded = result_files(summary).map_err(|e| CliError::Internal(e.to_string()))?;
    for (name, bytes) in encoded {
        set.write(name, &bytes)?;
    }
    let drawn = if charts.draw {
        write_charts(&mut set, summary, &charts.lang)?
    } else {
        0
    };
    write_report(&mut set, summary, Some(&manifest), &charts.lang)?;
    set.commit(|files| {
        manifest.files = files;
        manifest_json(&manifest)
    })?;
    Ok(drawn)
}

/// Runs the Monte Carlo on a pool of `threads` workers with a progress bar; Ctrl-C
/// stops it at the next batch (exit 130, nothing written to `out_dir`). Returns the
/// output and the wall time in seconds.
pub(super) fn simulate(
    model: &Model,
    cfg: &RunConfig,
    threads: usize,
    quiet: bool,
    out_dir: &Path,
) -> Result<(RunOutput, f64), CliError> {
    let cancel = interrupt::flag();
    let bar = progress_bar(cfg.draws, quiet);
    let pool = pool(threads)?;
    let started = Instant::now();
    let output = pool.install(|| sim::run(model, cfg, &|done| bar.set_position(done), &cancel))?;
    let elapsed = started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    if output.stop == StopReason::Cancelled {
        return Err(CliError::Interrupted(format!(
            "stopped after {} draws; nothing was written, {} was not changed",
            output.acc.draws(),
            out_dir.display()
        )));
    }
    Ok((output, elapsed))
}

/// Adds the barometer to `summary` (a run of `model` with observations): the model
/// run again as of each earlier year of observations. Returns the seconds it took.
fn barometer(
    model: &Model,
    cfg: &RunConfig,
    summary: &mut Summary,
    threads: usize,
    quiet: bool,
    out_dir: &Path,
) -> Result<f64, CliError> {
    let cancel = interrupt::flag();
    let bar = progress_bar(cfg.draws, quiet);
    let started = Instant::now();
    pool(threads)?
        .install(|| add_barometer(model, cfg, summary, &|done| bar.set_position(done), &cancel))?;
    bar.finish_and_clear();
    if interrupt::raised() {
        return Err(CliError::Interrupted(format!(
            "stopped while computing the barometer; nothing was written, {} was not changed",
            out_dir.display()
        )));
    }
    Ok(started.elapsed().as_secs_f64())
}

/// A rayon pool of `threads` workers.
pub(super) fn pool(threads: usize) -> Result<rayon::ThreadPool, CliError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| CliError::Internal(e.to_string()))
}

/// How the results of a run of `loaded` (named `path` on the command line) were
/// produced.
pub(super) fn manifest(
    loaded: &Loaded,
    path: &Path,
    cfg: &RunConfig,
    output: &RunOutput,
    threads: usize,
    elapsed: f64,
) -> Manifest {
    Manifest {
        program: PROGRAM.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        scenario_id: loaded.model.id.clone(),
        scenario_path: path.display().to_string(),
        scenario_files: loaded
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        scenario_sha256: loaded.hash.clone(),
        scenario_file_sha256: loaded.file_hashes.clone(),
        seed: cfg.seed,
        draws_requested: cfg.draws,
        draws: output.acc.draws(),
        precision: cfg.precision,
        stop_reason: output.stop.describe().into(),
        threads,
        sampler: cfg.sampler.name().into(),
        inside_view: loaded.model.inside_view,
        conditions: Vec::new(),
        wall_time_seconds: elapsed,
        draws_per_second: output.acc.draws() as f64 / elapsed.max(1e-9),
        as_of: None,
        shards: None,
        files: Vec::new(),
    }
}

fn progress_bar(draws: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(draws), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} draws  {per_sec}  eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}

fn pct(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// The policy responses: each watched target's P(hit) with and without responses, how
/// often the response fires and its mean extra effort.
fn render_responses(s: &Summary) -> String {
    if s.responses.is_empty() {
        return String::new();
    }
    let mut t = Table::new(&[
        "response",
        "watches",
        "P(hit)",
        "without",
        "P(fires)",
        "extra effort",
    ]);
    for r in &s.responses {
        let target = s.targets.iter().find(|t| t.id == r.watch);
        let (with, without, only) = target
            .and_then(|t| Some((t.p_hit?, t.enforcement.as_ref()?)))
            .map_or(("—".into(), "—".into(), ""), |(p, e)| {
                let mark = if e.met_only_if_enforced {
                    "  met only if enforced"
                } else {
                    ""
                };
                (pct(p), pct(e.p_hit_without), mark)
            });
        t.row(vec![
            cut(&r.id, 28),
            format!("{}{only}", cut(&r.watch, 40)),
            with,
            without,
            pct(r.p_triggered.p),
            format!(
                "{:.2} {}",
                r.mean_extra_effort,
                r.effort_unit.replace("percentage points", "pp")
            ),
        ]);
    }
    format!(
        "\nPolicy responses (P(hit) with and without them):\n{}",
        t.render()
    )
}

/// The one-screen table: target, P(hit), 95% CI, median outcome vs target, binding.
pub fn render_summary(s: &Summary) -> String {
    let mut t = Table::new(&["target", "P(hit)", "95% CI", "median", "target", "binding"]);
    for r in &s.targets {
        let goal = r.goal().to_string();
        let binding = if r.binding { "约束性" } else { "" }.to_string();
        match (r.p_hit, r.p_hit_ci95) {
            (Some(p), Some(ci)) => t.row(vec![
                cut(&r.id, 42),
                pct(p),
                format!("{}–{}", pct(ci[0]), pct(ci[1])),
                // No median when every draw's outcome was undefined (and scored).
                r.quantiles.map_or("—".into(), |q| format!("{:.4}", q.p50)),
                goal,
                binding,
            ]),
            _ => t.row(vec![
                cut(&r.id, 42),
                "—".into(),
                match (r.status, r.undefined_draws) {
                    (Status::Unscored, Some(u)) => format!("{u} draws undefined"),
                    _ => "not modeled".into(),
                },
                String::new(),
                goal,
                binding,
            ]),
        }
    }
    let mut out = format!(
        "{} {}\n{} · seed {} · {} draws · sampler {}\n\n",
        s.scenario.name_zh, s.scenario.name, s.scenario.document, s.seed, s.draws, s.sampler
    );
    out.push_str(&t.render());
    for r in s.targets.iter().filter(|r| r.status == Status::Unscored) {
        out.push_str(&format!(
            "\n{}: {}\n",
            cut(&r.id, 42),
            r.reason.as_deref().unwrap_or_default()
        ));
    }
    if let Some(p) = s.joint.all_binding {
        out.push_str(&format!(
            "\nP(all binding targets hit) = {} (95% CI {}–{})\n",
            pct(p.p),
            pct(p.ci95[0]),
            pct(p.ci95[1])
        ));
    }
    if let Some(p) = s.joint.all_modeled {
        out.push_str(&format!(
            "P(all modeled targets hit) = {} (95% CI {}–{})\n",
            pct(p.p),
            pct(p.ci95[0]),
            pct(p.ci95[1])
        ));
    }
    out.push_str(&render_responses(s));
    for c in &s.conditional {
        out.push_str(&format!(
            "\ngiven {} ({} draws):\n",
            c.condition, c.draws_meeting
        ));
        for (id, p) in &c.p_hit {
            out.push_str(&format!(
                "  {:<42} {}\n",
                cut(id, 42),
                p.map(pct).unwrap_or_else(|| "—".into())
            ));
        }
    }
    out.push_str(&render_barometer(s));
    out
}

/// The observations used and the targets whose P(hit) they moved (by half a point or
/// more) from the base year to the last observation.
fn render_barometer(s: &Summary) -> String {
    let Some(b) = &s.barometer else {
        return String::new();
    };
    let mut out = String::from(
        "
observed:
",
    );
    for o in &s.observed {
        let prior = o
            .prior_percentile
            .map(|p| format!(" (at percentile {} of the forecast before it)", pct(p)))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {} {} = {}{prior}
",
            o.year, o.series, o.value
        ));
    }
    let (first, last) = (b.years[0], b.years[b.years.len() - 1]);
    out.push_str(&format!("P(hit) as of {first} → as of {last}:\n"));
    let moved: Vec<_> = b
        .targets
        .iter()
        .filter_map(|t| Some((t, *t.p_hit.first()?, *t.p_hit.last()?)))
        .filter(|(_, a, z)| (z - a).abs() >= 0.005)
        .collect();
    if moved.is_empty() {
        out.push_str("  no target moved by half a point or more\n");
    }
    for (t, a, z) in moved {
        out.push_str(&format!(
            "  {:<42} {} → {}\n",
            cut(&t.id, 42),
            pct(a),
            pct(z)
        ));
    }
    out
}
