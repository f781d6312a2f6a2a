//! `manifest.json`: how a result was produced (program version, inputs and their hash,
//! seed, draws, threads, sampler, timings), so any chart can be regenerated exactly.
//! Unlike `summary.json` it holds things that differ between runs.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub program: String,
    pub version: String,
    pub scenario_id: String,
    pub scenario_path: String,
    /// Every file read (parent scenarios first).
    pub scenario_files: Vec<String>,
    /// SHA-256 of those files' contents, in that order.
    pub scenario_sha256: String,
    /// SHA-256 of each scenario file, in the order of `scenario_files` (absent in
    /// manifests written before it was added).
    #[serde(default)]
    pub scenario_file_sha256: Vec<String>,
    pub seed: u64,
    pub draws_requested: u64,
    pub draws: u64,
    pub precision: Option<f64>,
    pub stop_reason: String,
    pub threads: usize,
    pub sampler: String,
    /// Whether the parameters were drawn from their inside-view priors.
    #[serde(default)]
    pub inside_view: bool,
    pub conditions: Vec<String>,
    pub wall_time_seconds: f64,
    pub draws_per_second: f64,
    /// The year the run was conditioned as of: observations up to it were used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<i32>,
    /// How many shards were merged into these results (`planrisk merge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shards: Option<u64>,
    pub files: Vec<String>,
}
