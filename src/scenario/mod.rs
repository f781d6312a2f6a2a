//! Scenario files: the format (`spec`), reading and merging (`load`), and the text of
//! the files read (`sources`), so problems can be shown where they are; `compose` lays
//! provincial scenarios into a national one (`[[include]]`).

pub mod compose;
pub mod load;
pub mod sources;
pub mod spec;

pub use load::{load, Parsed};
