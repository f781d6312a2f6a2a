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
    /// Every other file of the output set (results, charts, …), in the order written.
    pub files: Vec<FileEntry>,
}

/// One file of an output set: its path relative to the output directory (with `/`
/// separators), its size and its SHA-256, so a reader can tell the set is whole and
/// planrisk can tell which files in a directory are its own.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    /// Relative to the output directory, `/`-separated (`charts/dashboard.png`).
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the contents, lower-case hex.
    pub sha256: String,
}

/// The name of the manifest in every output directory planrisk writes.
pub const MANIFEST: &str = "manifest.json";
/// What a manifest's `program` field says.
pub const PROGRAM: &str = "planrisk";

/// `manifest.json` of a `planrisk compare` output: which runs were compared under which
/// names, and the files written.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ComparisonManifest {
    /// Always "planrisk" ([`PROGRAM`]).
    pub program: String,
    /// planrisk's version.
    pub version: String,
    /// Always "compare".
    pub kind: String,
    /// The compared runs, in the order of the columns.
    pub runs: Vec<CompareInput>,
    /// Every other file of the output set.
    pub files: Vec<FileEntry>,
}

/// One compared run: its directory, scenario, and the column name it got.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CompareInput {
    /// The run's output directory as given on the command line.
    pub dir: String,
    /// Its column name (the scenario id, made distinct).
    pub label: String,
    /// Its scenario id.
    pub scenario_id: String,
    /// Its seed.
    pub seed: u64,
    /// Its draw count.
    pub draws: u64,
}
