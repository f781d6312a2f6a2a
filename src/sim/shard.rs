//! Shards: a run's chunks cut into N contiguous ranges, one per machine. Streams are
//! keyed by (seed, purpose, chunk) and accumulators fold in a tree fixed by chunk
//! indices (`fold`), so shard i of N computes exactly its part of the one-machine run,
//! and the parts put back together (`fold::combine`) give the one-machine result bit
//! for bit.

use super::accum::Accumulator;
use super::fold::{Block, Combiner, Part};
use super::layout::Layout;
use super::run::{run_part, RunConfig, RunOutput, StopReason, CHUNK};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Model;
use std::fmt;
use std::ops::Range;
use std::sync::atomic::AtomicBool;

/// Shard `index` of `count` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shard {
    /// Which shard (0-based).
    pub index: u64,
    /// How many shards.
    pub count: u64,
}

/// Why a shard cannot be run.
#[derive(Debug, Clone, PartialEq)]
pub enum ShardError {
    /// Zero shards.
    NoShards,
    /// A shard index beyond the count.
    IndexOutOfRange {
        /// The index.
        index: u64,
        /// The count.
        count: u64,
    },
    /// Fewer chunks than shards: some shards would have nothing to do.
    MoreShardsThanChunks {
        /// The number of shards.
        count: u64,
        /// The number of chunks.
        chunks: u64,
    },
    /// Where a precision run stops depends on every draw before the stop.
    Precision,
}

impl fmt::Display for ShardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShardError::NoShards => write!(f, "the number of shards must be at least 1"),
            ShardError::IndexOutOfRange { index, count } => write!(
                f,
                "shard {index} does not exist: shards of {count} are numbered 0 to {}",
                count - 1
            ),
            ShardError::MoreShardsThanChunks { count, chunks } => write!(
                f,
                "{count} shards, but the run has only {chunks} chunk(s) of up to {CHUNK} draws and a shard runs whole chunks: use at most {chunks} shard(s), or more draws"
            ),
            ShardError::Precision => write!(
                f,
                "a precision target cannot be sharded: where the run stops depends on every draw before the stop, which no shard sees; run once with the precision target to learn how many draws it needs, then shard a run of that many draws"
            ),
        }
    }
}

impl std::error::Error for ShardError {}

impl From<ShardError> for Diagnostic {
    fn from(e: ShardError) -> Self {
        Diagnostic::new(e.to_string()).at_key("shard")
    }
}

impl Shard {
    /// Shard `index` of `count`, checked.
    pub fn new(index: u64, count: u64) -> Result<Shard, ShardError> {
        if count == 0 {
            return Err(ShardError::NoShards);
        }
        if index >= count {
            return Err(ShardError::IndexOutOfRange { index, count });
        }
        Ok(Shard { index, count })
    }

    /// The chunks of a run of `draws` draws that this shard runs: the i-th of N
    /// contiguous ranges of (nearly) equal length.
    pub fn chunks(self, draws: u64) -> Result<Range<u64>, ShardError> {
        let chunks = draws.div_ceil(CHUNK);
        if self.count > chunks {
            return Err(ShardError::MoreShardsThanChunks {
                count: self.count,
                chunks,
            });
        }
        let at = |i: u64| (i as u128 * chunks as u128 / self.count as u128) as u64;
        Ok(at(self.index)..at(self.index + 1))
    }
}

/// Runs one shard on the current rayon pool (`progress` and `cancel` as for
/// [`super::run`]); its [`Part`] and the run's layout are what a partial-result file holds.
/// A shard that cannot be run, or a configuration that does not fit the model, is
/// refused before anything is drawn.
pub fn run_shard(
    m: &Model,
    cfg: &RunConfig,
    shard: Shard,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<super::PartOutput, Diagnostics> {
    if cfg.precision.is_some() {
        return Err(Diagnostic::from(ShardError::Precision).into());
    }
    let range = shard.chunks(cfg.draws).map_err(Diagnostic::from)?;
    run_part(m, cfg, range, progress, cancel)
}

/// A part read from a file, checked to be shard `shard`'s of a run of `cfg` with
/// `layout`: its blocks cover exactly the shard's chunks, each holds the draws of its
/// chunks and fits the layout (so combining it cannot panic or silently misalign).
pub fn check_part(
    part: Part,
    layout: &Layout,
    shard: Shard,
    draws: u64,
) -> Result<Part, PartProblem> {
    let range = shard.chunks(draws).map_err(|_| PartProblem::Chunks)?;
    let j = layout.slots.len();
    let draws_in = |first: u64, n: u64| -> u64 {
        (first..first + n)
            .map(|c| (draws - c * CHUNK).min(CHUNK))
            .sum()
    };
    let mut at = range.start;
    let mut total = 0;
    let mut hits = vec![0; j];
    let mut blocks = Vec::with_capacity(part.blocks.len());
    for b in part.blocks {
        if b.first != at || !b.is_aligned() || b.first + b.chunks > range.end {
            return Err(PartProblem::Chunks);
        }
        if b.acc.draws() != draws_in(b.first, b.chunks) {
            return Err(PartProblem::Counts);
        }
        let acc = b.acc.restore(layout).ok_or(PartProblem::Shape)?;
        total += acc.draws();
        hits.iter_mut().zip(acc.hits()).for_each(|(h, a)| *h += a);
        at = b.first + b.chunks;
        blocks.push(Block { acc, ..b });
    }
    let convergence_fits = part
        .convergence
        .iter()
        .all(|(n, h)| *n <= total && h.len() == j);
    if at != range.end || total != part.draws || hits != part.hits || !convergence_fits {
        return Err(PartProblem::Counts);
    }
    Ok(Part { blocks, ..part })
}

/// What is wrong with a part read from a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartProblem {
    /// Its blocks do not cover the shard's chunks.
    Chunks,
    /// Its tables do not have the shape of the run's targets and parameters.
    Shape,
    /// Its draw or hit counts do not add up.
    Counts,
}

impl fmt::Display for PartProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PartProblem::Chunks => "its blocks do not cover the shard's chunks",
            PartProblem::Shape => "its tables do not fit the scenario's targets and parameters",
            PartProblem::Counts => "its draw and hit counts do not add up",
        })
    }
}

/// Parts put back together into the run's output (`layout` is the run's).
pub fn finish(layout: Layout, combiner: Combiner) -> RunOutput {
    let whole = combiner.finish(Accumulator::new(&layout));
    RunOutput {
        layout,
        acc: whole.acc,
        convergence: whole.convergence,
        stop: StopReason::Draws,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_the_chunks_in_order() {
        for draws in [1, CHUNK, 5 * CHUNK + 3, 100 * CHUNK] {
            let chunks = draws.div_ceil(CHUNK);
            for count in 1..=chunks.min(12) {
                let mut end = 0;
                for index in 0..count {
                    let r = Shard::new(index, count).unwrap().chunks(draws).unwrap();
                    assert_eq!(r.start, end);
                    assert!(!r.is_empty());
                    end = r.end;
                }
                assert_eq!(end, chunks);
            }
        }
    }

    #[test]
    fn impossible_shards_are_refused() {
        assert_eq!(Shard::new(0, 0), Err(ShardError::NoShards));
        assert_eq!(
            Shard::new(4, 4),
            Err(ShardError::IndexOutOfRange { index: 4, count: 4 })
        );
        assert_eq!(
            Shard::new(0, 3).unwrap().chunks(2 * CHUNK),
            Err(ShardError::MoreShardsThanChunks {
                count: 3,
                chunks: 2
            })
        );
    }
}
