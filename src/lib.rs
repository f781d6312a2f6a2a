//! planrisk: how likely is each target of an industrial plan to be hit?
//!
//! The pipeline is a chain of plain functions: [`scenario::load`] reads and validates
//! a scenario into a [`model::Model`], [`sim::run`] draws it in parallel into
//! accumulators, [`report::summarize`] turns those into a [`report::Summary`], and
//! [`report::write`] and [`chart`] put it on disk. Only the CLI touches the terminal.

pub mod chart;
pub mod model;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod stats;
