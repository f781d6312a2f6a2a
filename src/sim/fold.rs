//! The order in which chunk accumulators are combined: a pairwise tree over chunk
//! indices, fixed by the indices alone. Floating-point sums depend on how they are
//! grouped, so a result can be reproduced from parts only if the grouping does not
//! depend on who computed which part. Here chunk c is a leaf; two sibling blocks
//! `[p, p+s)` and `[p+s, p+2s)` with `p` a multiple of `2s` are merged as soon as both
//! exist; a finished run is the left-to-right merge of what remains (the blocks of the
//! binary digits of its chunk count).
//!
//! Any contiguous range of chunks folds to the same aligned blocks, whatever machine
//! folds it, and those blocks are nodes of the whole run's tree: a shard ships its
//! blocks, and pushing every shard's blocks in chunk order rebuilds the one-machine
//! tree exactly. Pairwise merging also keeps rounding error growing with the log of
//! the number of chunks rather than with the number itself.

use super::accum::Accumulator;
use serde::{Deserialize, Serialize};

/// The accumulator of the aligned chunks `first .. first + chunks` (`chunks` a power
/// of two, `first` a multiple of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// First chunk.
    pub first: u64,
    /// Number of chunks (a power of two).
    pub chunks: u64,
    /// Their accumulator.
    pub acc: Accumulator,
}

impl Block {
    /// The block of one chunk.
    pub fn chunk(c: u64, acc: Accumulator) -> Block {
        Block {
            first: c,
            chunks: 1,
            acc,
        }
    }

    /// Whether this is an aligned block (a node of the tree over chunk indices).
    pub fn is_aligned(&self) -> bool {
        self.chunks.is_power_of_two() && self.first.is_multiple_of(self.chunks)
    }

    fn end(&self) -> u64 {
        self.first + self.chunks
    }
}

/// Blocks pushed in chunk order, merged with their siblings as they complete.
#[derive(Debug, Clone, Default)]
pub struct Fold {
    /// Aligned blocks, contiguous and in chunk order; sizes never grow to the right.
    stack: Vec<Block>,
}

/// Why a block cannot be pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldError {
    /// The block is not a node of the tree (its size is not a power of two or its
    /// start is not a multiple of its size).
    Unaligned {
        /// First chunk of the block.
        first: u64,
        /// Its number of chunks.
        chunks: u64,
    },
    /// The block does not start where the previous one ended.
    Gap {
        /// The chunk that should come next.
        expected: u64,
        /// The block's first chunk.
        got: u64,
    },
}

impl Fold {
    /// An empty fold.
    pub fn new() -> Fold {
        Fold::default()
    }

    /// The chunk after the last pushed one (None before the first push).
    pub fn end(&self) -> Option<u64> {
        self.stack.last().map(Block::end)
    }

    /// Adds the block that follows the ones pushed so far and merges every pair of
    /// siblings this completes.
    pub fn push(&mut self, b: Block) -> Result<(), FoldError> {
        if !b.is_aligned() {
            return Err(FoldError::Unaligned {
                first: b.first,
                chunks: b.chunks,
            });
        }
        if let Some(end) = self.end() {
            if b.first != end {
                return Err(FoldError::Gap {
                    expected: end,
                    got: b.first,
                });
            }
        }
        self.stack.push(b);
        while let [.., left, right] = self.stack.as_slice() {
            let siblings =
                left.chunks == right.chunks && left.first.is_multiple_of(2 * left.chunks);
            if !siblings {
                break;
            }
            let right = self.stack.pop().expect("two blocks");
            let left = self.stack.last_mut().expect("two blocks");
            left.acc.merge(&right.acc);
            left.chunks *= 2;
        }
        Ok(())
    }

    /// The aligned blocks the pushed range folds to (what a shard ships).
    pub fn into_blocks(self) -> Vec<Block> {
        self.stack
    }

    /// The whole run: the remaining blocks merged left to right (None if empty).
    pub fn finish(self) -> Option<Accumulator> {
        let mut blocks = self.stack.into_iter();
        let mut acc = blocks.next()?.acc;
        for b in blocks {
            acc.merge(&b.acc);
        }
        Some(acc)
    }
}

/// A run over a contiguous range of chunks: its blocks and the counts that stopping
/// and convergence read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// The range's chunk accumulators folded into aligned blocks.
    pub blocks: Vec<Block>,
    /// Draws and hits per modeled target over the range.
    pub draws: u64,
    /// Hits per modeled target over the range.
    pub hits: Vec<u64>,
    /// (draws, hits) counted from the range's first chunk, after each of the whole
    /// run's convergence checkpoints that falls inside the range (and its last chunk).
    pub convergence: Vec<(u64, Vec<u64>)>,
}

/// Parts put back together: the run's accumulator and convergence record.
#[derive(Debug, Clone, PartialEq)]
pub struct Combined {
    /// The run's accumulator.
    pub acc: Accumulator,
    /// Its convergence record.
    pub convergence: Vec<(u64, Vec<u64>)>,
}

/// Puts consecutive parts (in chunk order) back together, exactly as one run over
/// their chunks would have: blocks refolded, convergence points shifted by the draws
/// and hits of the parts before. Parts are taken one at a time, so memory holds the
/// fold's few blocks, not every part.
#[derive(Debug, Clone, Default)]
pub struct Combiner {
    fold: Fold,
    convergence: Vec<(u64, Vec<u64>)>,
    draws: u64,
    hits: Vec<u64>,
}

impl Combiner {
    /// An empty combiner.
    pub fn new() -> Combiner {
        Combiner::default()
    }

    /// Adds the part that follows the ones added so far.
    pub fn add(&mut self, part: Part) -> Result<(), FoldError> {
        if self.hits.is_empty() {
            self.hits = vec![0; part.hits.len()];
        }
        for (n, h) in part.convergence {
            let h = h.iter().zip(&self.hits).map(|(a, b)| a + b).collect();
            self.convergence.push((self.draws + n, h));
        }
        self.draws += part.draws;
        for (a, b) in self.hits.iter_mut().zip(&part.hits) {
            *a += b;
        }
        for b in part.blocks {
            self.fold.push(b)?;
        }
        Ok(())
    }

    /// The whole; `empty` (the accumulator of no draws) if nothing was added.
    pub fn finish(self, empty: Accumulator) -> Combined {
        let acc = self.fold.finish().unwrap_or(empty);
        let mut convergence = self.convergence;
        if convergence.last().is_none_or(|(n, _)| *n != acc.draws()) {
            convergence.push((acc.draws(), acc.hits().as_raw().to_vec()));
        }
        Combined { acc, convergence }
    }
}

/// The aligned blocks that exactly cover `first .. end`: from each position, the
/// largest aligned block that fits. A [`Fold`] of those chunks ends with these blocks.
pub fn cover(first: u64, end: u64) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut p = first;
    while p < end {
        // The largest power of two that divides p (any, for p = 0) and fits before end.
        let fits = 1u64 << (63 - (end - p).leading_zeros());
        let size = if p == 0 {
            fits
        } else {
            fits.min(1 << p.trailing_zeros())
        };
        out.push((p, size));
        p += size;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ix::{IxVec, SlotIx, TargetIx};
    use crate::model::Goal;
    use crate::sim::layout::{Layout, Slot};

    fn layout() -> Layout {
        Layout {
            slots: [Slot {
                target: TargetIx(0),
                goal: Goal::at_least(0.0),
                binding: false,
                range: (0.0, 1.0),
            }]
            .into_iter()
            .collect(),
            fans: vec![],
            years: 1,
            uncertain: IxVec::new(),
            conditions: vec![],
            keep_rows: 0,
            fan_draws: 0,
            responses: 0,
        }
    }

    /// A chunk's accumulator that remembers which chunks it holds (in its rows).
    fn leaf(l: &Layout, c: u64) -> Accumulator {
        Accumulator::marked(l, c as f64, 0.0)
    }

    #[test]
    fn a_range_folds_to_its_cover_in_order() {
        let l = layout();
        for first in 0..40 {
            for end in first + 1..80 {
                let mut f = Fold::new();
                for c in first..end {
                    f.push(Block::chunk(c, leaf(&l, c))).unwrap();
                }
                let blocks = f.into_blocks();
                let got: Vec<(u64, u64)> = blocks.iter().map(|b| (b.first, b.chunks)).collect();
                assert_eq!(got, cover(first, end), "{first}..{end}");
                for b in &blocks {
                    let held: Vec<f64> = (b.first..b.first + b.chunks).map(|c| c as f64).collect();
                    assert_eq!(b.acc.totals().rows, held);
                }
            }
        }
    }

    /// Folding shards' blocks gives the same tree as folding every chunk on one
    /// machine: floating-point sums with a grouping-sensitive value prove it.
    #[test]
    fn shards_refold_to_the_one_machine_tree() {
        let l = layout();
        // Values whose sum depends on grouping: 1, 1e-16, 1e-16, …
        let value = |c: u64| {
            if c == 0 {
                1.0
            } else {
                1e-16 * (1 + c % 3) as f64
            }
        };
        let chunk = |c: u64| Block::chunk(c, Accumulator::marked(&l, c as f64, value(c)));
        for chunks in [1u64, 2, 5, 13, 64, 77] {
            let mut whole = Fold::new();
            (0..chunks).for_each(|c| whole.push(chunk(c)).unwrap());
            let whole = whole.finish().unwrap();
            for shards in 1..=chunks.min(9) {
                let mut merged = Fold::new();
                for i in 0..shards {
                    let (a, b) = (i * chunks / shards, (i + 1) * chunks / shards);
                    let mut part = Fold::new();
                    (a..b).for_each(|c| part.push(chunk(c)).unwrap());
                    for block in part.into_blocks() {
                        merged.push(block).unwrap();
                    }
                }
                let merged = merged.finish().unwrap();
                let (merged, whole) = (merged.totals(), whole.totals());
                let first = SlotIx(0);
                assert_eq!(
                    merged.shortfall[first].to_bits(),
                    whole.shortfall[first].to_bits()
                );
                assert_eq!(merged.rows, whole.rows);
            }
        }
    }

    #[test]
    fn unaligned_and_gapped_blocks_are_refused() {
        let l = layout();
        let mut f = Fold::new();
        let b = |first, chunks| Block {
            first,
            chunks,
            acc: leaf(&l, first),
        };
        assert_eq!(
            f.push(b(2, 4)),
            Err(FoldError::Unaligned {
                first: 2,
                chunks: 4
            })
        );
        f.push(b(0, 2)).unwrap();
        assert_eq!(
            f.push(b(3, 1)),
            Err(FoldError::Gap {
                expected: 2,
                got: 3
            })
        );
    }
}
