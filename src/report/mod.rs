//! Results: the `Summary` data model, building it from a run, and writing it to disk
//! (summary.json, targets.csv, sensitivity.csv, joint.csv, manifest.json).

pub mod backtest;
pub mod manifest;
pub mod summarize;
pub mod summary;
pub mod write;

pub use summarize::summarize;
pub use summary::Summary;
