//! Scenario files: the format (`spec`), reading and merging (`load`), and located
//! diagnostics (`diag`).

pub mod diag;
pub mod load;
pub mod spec;

pub use diag::{Diagnostic, ScenarioError};
pub use load::{load, Loaded};
