//! Command-line interface: argument definitions and dispatch. Each subcommand lives in
//! its own file; errors are printed to stderr here, once, with the right exit code.

mod backtest;
mod chart;
mod error;
mod interrupt;
mod lang;
mod merge;
mod output;
mod outset;
mod parts;
mod report;
mod run;
mod saved;
mod sets;
mod shard;
mod slurm;
mod sweep;
mod table;
mod targets;
mod validate;
mod variants;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "planrisk",
    version,
    about = "How likely is each target of an industrial plan to be hit?"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the Monte Carlo for a scenario and write results (and charts) to a directory.
    Run(run::RunArgs),
    /// Check scenario files and report every problem with its location.
    Validate {
        /// Scenario files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List a scenario's targets as a table.
    Targets {
        /// Scenario file.
        file: PathBuf,
    },
    /// Redraw a run's charts from its saved results (no re-simulation).
    Chart(chart::ChartArgs),
    /// Draw P(hit) of several runs (e.g. policy variants) side by side.
    Compare(chart::CompareArgs),
    /// Score a scenario's P(hit) against realized outcomes (Brier, log score, reliability).
    Backtest(backtest::BacktestArgs),
    /// Write report.html (one self-contained page) from a run's saved results.
    Report(report::ReportArgs),
    /// Combine the partial-result files of `run --shard i/N` into the run's results.
    Merge(merge::MergeArgs),
    /// Run a scenario once per value of one number, then compare the variants.
    Sweep(sweep::SweepArgs),
    /// Write Slurm batch scripts that run a scenario's shards as a job array and merge them.
    Slurm(slurm::SlurmArgs),
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help and --version are not errors.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Validate { files } => validate::validate(&files),
        Command::Targets { file } => targets::targets(&file),
        Command::Chart(args) => chart::chart(args),
        Command::Compare(args) => chart::compare(args),
        Command::Backtest(args) => backtest::backtest(args),
        Command::Report(args) => report::report(args),
        Command::Merge(args) => merge::merge(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Slurm(args) => slurm::slurm(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            e.report();
            ExitCode::from(e.exit_code())
        }
    }
}
