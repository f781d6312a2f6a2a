//! Results: the `Summary` data model, building it from a run, checking one read back
//! from disk, and encoding it as files (summary.json, targets.csv, sensitivity.csv,
//! joint.csv, manifest.json); a shard's partial-result file and the checks a set of
//! them passes before a merge.

pub mod backtest;
pub mod barometer;
pub mod check;
pub mod enforcement;
pub mod manifest;
pub mod pace;
pub mod pairs;
pub mod partial;
pub mod shard_set;
pub mod summarize;
pub mod summary;
pub mod write;

pub use summarize::summarize;
pub use summary::Summary;
