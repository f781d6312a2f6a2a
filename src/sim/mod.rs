//! The Monte Carlo engine: random streams, parameter samplers, the one-draw kernel,
//! streaming accumulators and the parallel driver.

pub mod accum;
pub mod condition;
pub mod drawn;
pub mod exp;
pub mod fold;
pub mod kernel;
pub mod layout;
pub mod normals;
pub mod rng;
pub mod run;
pub mod sampler;
pub mod shard;

pub use run::{run, run_part, PartOutput, RunConfig, RunOutput, StopReason};
pub use sampler::Sampler;
