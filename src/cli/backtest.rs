//! `planrisk backtest`: run a scenario as of a year, read a file of realized outcomes,
//! score the forecasts (Brier with its decomposition, log score, reference forecasts)
//! and write backtest.json, backtest.csv and charts/reliability.png as one output set.

use super::error::CliError;
use super::interrupt;
use super::lang::LangArg;
use super::output::print;
use super::outset::OutputSet;
use super::run::{as_of, manifest, simulate, DrawArgs};
use super::sets::finished;
use super::table::{cut, Table};
use clap::Args;
use planrisk::diag::{Diagnostic, Location};
use planrisk::load_model_with;
use planrisk::report::backtest::outcomes::{read_outcomes, OutcomeError};
use planrisk::report::backtest::{backtest as score_backtest, Backtest};
use planrisk::report::summarize;
use planrisk::report::write::{backtest_files, manifest_json};
use planrisk::scenario::sources::printable;
use planrisk::sim::{RunConfig, Sampler};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct BacktestArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Realized outcomes: a CSV with columns id,value[,source], values in each target's
    /// own metric and unit.
    #[arg(long)]
    outcomes: PathBuf,
    /// Forecast as of this year: observations up to it are used. Default: the base year.
    #[arg(long = "as-of")]
    as_of: Option<i32>,
    /// Output directory: new, empty, or a previous planrisk output, which is replaced
    /// whole. Default: output/<scenario id>-backtest/ (beside the run's, not inside it:
    /// a run's directory holds one run's files only).
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    draw: DrawArgs,
    /// Do not draw the reliability chart.
    #[arg(long)]
    no_charts: bool,
    /// Label language of the chart.
    #[arg(long, value_enum, default_value_t)]
    lang: LangArg,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

/// An outcomes-file problem as a located diagnostic.
fn diagnostic(e: &OutcomeError, path: &Path) -> Diagnostic {
    Diagnostic::new(e.problem.to_string())
        .at(Some(Location {
            file: path.to_path_buf(),
            line: e.line,
            column: e.column,
            line_text: printable(&e.line_text),
            width: e.width,
        }))
        .with_hint(e.problem.hint())
}

/// Reads the outcomes file, every problem located in it.
fn outcomes(
    path: &Path,
    model: &planrisk::model::Model,
) -> Result<Vec<planrisk::report::backtest::outcomes::Outcome>, CliError> {
    let text = std::fs::read(path).map_err(|e| {
        Diagnostic::in_file(format!("cannot read the outcomes file: {e}"), path)
            .with_hint("give the path of a CSV with columns id,value,source")
    })?;
    let text = String::from_utf8(text).map_err(|_| {
        Diagnostic::in_file("the outcomes file is not UTF-8 text", path)
            .with_hint("save the CSV as UTF-8")
    })?;
    read_outcomes(&text, model).map_err(|errors| {
        CliError::User(
            errors
                .iter()
                .map(|e| diagnostic(e, path))
                .collect::<Vec<_>>()
                .into(),
        )
    })
}

pub fn backtest(args: BacktestArgs) -> Result<(), CliError> {
    let loaded = load_model_with(&args.scenario, args.draw.view())?;
    let model = &loaded.model;
    let as_of_year = args.as_of.unwrap_or(model.base_year);
    let model = &as_of(model, args.as_of, model.base_year)?;
    let found = outcomes(&args.outcomes, model)?;
    let (draws, seed, threads) = args.draw.resolve(model)?;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-backtest", model.id)));
    let cfg = RunConfig {
        draws,
        seed,
        sampler: Sampler::MonteCarlo,
        precision: None,
        conditions: Vec::new(),
    };
    cfg.validate(model)?;
    let mut set = OutputSet::open(&out_dir, interrupt::flag())?;
    let (output, elapsed) = simulate(model, &cfg, threads, args.quiet, set.dir())?;
    let summary = summarize(model, &output, seed, cfg.sampler);
    let bt = score_backtest(
        model,
        &summary,
        &found,
        as_of_year,
        &args.outcomes.display().to_string(),
    );
    let mut manifest = manifest(&loaded, &args.scenario, &cfg, &output, threads, elapsed);
    manifest.as_of = Some(as_of_year);
    let encoded = backtest_files(&bt).map_err(|e| CliError::Internal(e.to_string()))?;
    for (name, bytes) in encoded {
        set.write(name, &bytes)?;
    }
    if !args.no_charts {
        set.write(
            "charts/reliability.png",
            &planrisk::chart::reliability_png(&bt, &args.lang.options())?,
        )?;
    }
    set.commit(|files| {
        manifest.files = files;
        manifest_json(&manifest)
    })?;
    let mut text = render(&bt);
    text.push_str(&format!("\nresults in {}\n", out_dir.display()));
    print(&text).map_err(|e| CliError::Internal(e.to_string()))?;
    finished(&out_dir)
}

/// The one-screen report: each target's forecast and outcome, then the scores.
fn render(bt: &Backtest) -> String {
    let mut t = Table::new(&[
        "target",
        "P(hit)",
        "realized",
        "target",
        "hit",
        "percentile",
    ]);
    for r in &bt.targets {
        t.row(vec![
            cut(&r.id, 42),
            format!("{:.1}%", 100.0 * r.p_hit),
            format!("{}", r.realized),
            format!("{}", r.target_value),
            if r.hit { "hit" } else { "missed" }.into(),
            format!("{:.1}%", 100.0 * r.percentile),
        ]);
    }
    let mut out = format!(
        "{} {} · as of {} · {} draws\n\n",
        bt.scenario.name_zh, bt.scenario.name, bt.as_of, bt.draws
    );
    out.push_str(&t.render());
    let mut s = Table::new(&[
        "forecast",
        "Brier",
        "reliability",
        "resolution",
        "log score",
    ]);
    for sc in &bt.scores {
        s.row(vec![
            sc.forecast.clone(),
            format!("{:.4}", sc.brier.brier),
            format!("{:.4}", sc.brier.reliability),
            format!("{:.4}", sc.brier.resolution),
            format!("{:.4}", sc.log.log_score),
        ]);
    }
    out.push('\n');
    out.push_str(&s.render());
    if let Some(c) = &bt.caution {
        out.push_str(&format!("\ncaution: {c}\n"));
    }
    if !bt.not_listed.is_empty() {
        out.push_str(&format!(
            "{} modeled targets have no outcome in the file and were not scored\n",
            bt.not_listed.len()
        ));
    }
    out
}
