//! Draws buffered for the two totals that are cheaper per block than per draw: the
//! pairs of targets missed together (one AND and popcount per pair per block instead of
//! an increment per pair per draw) and the sensitivity sums (added parameter by
//! parameter, so each parameter's rows of sums stay in cache while a block of draws is
//! added). Each sum still adds its draws in draw order.

use crate::ix::SlotIx;
use crate::sim::layout::{Shape, SENSITIVITY_BINS};

/// Draws buffered before they are added to the totals; at most the bits of a `u128`.
pub(super) const BLOCK: usize = 128;
/// Targets whose sensitivity sums a flush keeps in registers at once.
const LANES: usize = 16;

/// Where target `j` of pending draw `i` is in `Pending::x`.
#[inline]
fn x_index(j: usize, i: usize) -> usize {
    (j / LANES * BLOCK + i) * LANES + j % LANES
}

/// The draws of the current block not yet in the totals (empty, and sized for no
/// shape, by default: what a deserialized accumulator has until it is restored).
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Pending {
    /// Per slot, the pending draws that missed it (bit i: pending draw i).
    miss_bits: Vec<u128>,
    /// The pending draws' modeled outcomes (non-finite ones as 0), in groups of `LANES`
    /// targets (the last group padded with zeros): target j of pending draw i is at
    /// `x_index(j, i)`, so one group of one block of draws stays in L1 cache, …
    x: Vec<f64>,
    /// … and, per (parameter, bin) (`Shape::bin`), the pending draws whose parameter
    /// fell in that bin (bit i: pending draw i).
    bin_draws: Vec<u128>,
    /// Pending draws; the next one is bit `n`.
    n: usize,
}

impl Pending {
    pub(super) fn new(shape: Shape) -> Pending {
        let j = shape.slots;
        Pending {
            miss_bits: vec![0; j],
            x: vec![0.0; j.div_ceil(LANES) * LANES * BLOCK],
            bin_draws: vec![0; shape.dims * SENSITIVITY_BINS],
            n: 0,
        }
    }

    /// Whether no draw is pending.
    pub(super) fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The draw being added missed slot `j`.
    #[inline]
    pub(super) fn missed(&mut self, j: SlotIx) {
        self.miss_bits[j.0] |= 1 << self.n;
    }

    /// The draw being added has outcome `x` in slot `j`.
    #[inline]
    pub(super) fn outcome(&mut self, j: SlotIx, x: f64) {
        self.x[x_index(j.0, self.n)] = if x.is_finite() { x } else { 0.0 };
    }

    /// The draw being added fell in (parameter, bin) number `at` (`Shape::bin`).
    #[inline]
    pub(super) fn binned(&mut self, at: usize) {
        self.bin_draws[at] |= 1 << self.n;
    }

    /// Ends the draw being added; true when the block is full and must be flushed.
    #[inline]
    pub(super) fn next(&mut self) -> bool {
        self.n += 1;
        self.n == BLOCK
    }

    /// Adds the pending draws to `pair_miss` (`Shape::pair`) and `bin_sum`
    /// (`Shape::bin_sums`) and empties the block.
    pub(super) fn flush(&mut self, shape: Shape, pair_miss: &mut [u64], bin_sum: &mut [f64]) {
        let (n, j_n) = (self.n, shape.slots);
        if n == 0 || j_n == 0 {
            self.n = 0;
            self.bin_draws.fill(0);
            return;
        }
        // Pairs missed together: one AND and popcount per pair of targets per block,
        // instead of an increment per pair per draw.
        for i in 0..j_n {
            let a = self.miss_bits[i];
            if a == 0 {
                continue;
            }
            for (count, &b) in pair_miss[shape.pairs_from(SlotIx(i))]
                .iter_mut()
                .zip(&self.miss_bits[i..])
            {
                *count += (a & b).count_ones() as u64;
            }
        }
        self.miss_bits.fill(0);
        // One group of targets at a time (its pending values stay in L1 cache), every
        // parameter and bin: sixteen sums stay in registers while the bin's draws are
        // added, in draw order (ascending bits). Rows of `bin_sum` are walked in
        // `Shape::bin_sums` order: parameter, then bin, then target.
        for group in 0..j_n.div_ceil(LANES) {
            let (first, width) = (group * LANES, LANES.min(j_n - group * LANES));
            let px = &self.x[group * LANES * BLOCK..(group + 1) * LANES * BLOCK];
            for (rows, masks) in bin_sum
                .chunks_exact_mut(SENSITIVITY_BINS * j_n)
                .zip(self.bin_draws.chunks_exact(SENSITIVITY_BINS))
            {
                for (row, &mask) in rows.chunks_exact_mut(j_n).zip(masks) {
                    if mask == 0 {
                        continue;
                    }
                    let sums = &mut row[first..first + width];
                    // The draws in the bin, in order, each a lane of LANES outcomes.
                    let mut m = mask;
                    let mut next_lane = || {
                        let from = m.trailing_zeros() as usize * LANES;
                        m &= m - 1;
                        let x: &[f64; LANES] =
                            px[from..from + LANES].try_into().expect("a lane of sums");
                        x
                    };
                    match <&mut [f64; LANES]>::try_from(&mut *sums) {
                        // A whole group: the sums in registers, copied as arrays (a
                        // slice copy of a run-time length is a call to memcpy).
                        Ok(whole) => {
                            let mut acc = *whole;
                            for _ in 0..mask.count_ones() {
                                for (a, x) in acc.iter_mut().zip(next_lane()) {
                                    *a += x;
                                }
                            }
                            *whole = acc;
                        }
                        // The last, partial group: its few sums added in place (the
                        // same additions in the same order).
                        Err(_) => {
                            for _ in 0..mask.count_ones() {
                                for (s, x) in sums.iter_mut().zip(next_lane()) {
                                    *s += x;
                                }
                            }
                        }
                    }
                }
            }
        }
        self.bin_draws.fill(0);
        self.n = 0;
    }
}
