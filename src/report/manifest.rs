//! `manifest.json`: how a result was produced (program version, inputs and their hash,
//! seed, draws, threads, sampler, timings), so any chart can be regenerated exactly.
//! Unlike `summary.json` it holds things that differ between runs.

use serde::{Deserialize, Serialize};

/// How a result was produced (`manifest.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// `planrisk`.
    pub program: String,
    /// Program version.
    pub version: String,
    /// Scenario id.
    pub scenario_id: String,
    /// The scenario file as named on the command line.
    pub scenario_path: String,
    /// Every file read (parent scenarios first).
    pub scenario_files: Vec<String>,
    /// SHA-256 of those files' contents, in that order.
    pub scenario_sha256: String,
    /// SHA-256 of each scenario file, in the order of `scenario_files` (absent in
    /// manifests written before it was added).
    #[serde(default)]
    pub scenario_file_sha256: Vec<String>,
    /// Seed.
    pub seed: u64,
    /// Draws asked for.
    pub draws_requested: u64,
    /// Draws made.
    pub draws: u64,
    /// Precision target, if any.
    pub precision: Option<f64>,
    /// Why the run stopped.
    pub stop_reason: String,
    /// Worker threads.
    pub threads: usize,
    /// Sampler (`mc`, `lhs`, `sobol`).
    pub sampler: String,
    /// Whether the parameters were drawn from their inside-view priors.
    #[serde(default)]
    pub inside_view: bool,
    /// `--given` conditions.
    pub conditions: Vec<String>,
    /// Wall time of the simulation, seconds.
    pub wall_time_seconds: f64,
    /// Draws per second of wall time.
    pub draws_per_second: f64,
    /// The year the run was conditioned as of: observations up to it were used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<i32>,
    /// How many shards were merged into these results (`planrisk merge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shards: Option<u64>,
    /// The files written, manifest last.
    pub files: Vec<String>,
}
