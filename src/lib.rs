//! planrisk: how likely is each target of an industrial plan to be hit?
//!
//! The pipeline is a chain of plain functions: [`load_model`] reads a scenario
//! ([`scenario::load`]) and compiles it into a [`model::Model`] ([`model::compile`]),
//! [`sim::run`] draws it in parallel into accumulators, [`report::summarize`] turns
//! those into a [`report::Summary`], and [`report::write`], [`chart`] and [`html`] (one
//! self-contained report page) turn it into files. Only the CLI touches the terminal. Every problem a user can fix comes back as
//! [`diag::Diagnostics`].
//!
//! Modules form layers, each using only those below it: the leaves `diag` and `stats`;
//! then `scenario` → `model` → `load` → `sim` → `report` → `chart` → `html`
//! (`tests/architecture.rs` checks it).

// The public API is documented and debuggable, and every unsafe block says why it is
// sound (the lints rand sets; `cargo clippy -- -D warnings` makes the warnings errors).
#![warn(missing_docs)]
#![warn(missing_debug_implementations)]
#![deny(clippy::undocumented_unsafe_blocks)]

pub mod chart;
pub mod diag;
pub mod html;
pub mod ix;
pub mod load;
pub mod model;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod stats;

pub use load::{load_model, load_model_with, Loaded, View};
