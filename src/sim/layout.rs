//! What a run accumulates and where each number sits: the accumulator's slots (one per
//! modeled target), its fans, its bins, and the arithmetic that places a number in its
//! flat arrays. The kernel (which bins parameters), the accumulator (which fills the
//! arrays) and the report (which reads them through the accumulator) share it, so the
//! index arithmetic lives here only.

use super::condition::Condition;
use crate::ix::{DimIx, IxVec, ParamIx, SeriesIx, SlotIx, TargetIx};
use crate::model::Goal;
use std::ops::Range;

/// Bins of each target's outcome histogram.
pub const TARGET_BINS: usize = 512;
/// Bins of each fan series' per-year histogram.
pub const FAN_BINS: usize = 128;
/// Equal-probability bins of each parameter for first-order (correlation-ratio) indices.
pub const SENSITIVITY_BINS: usize = 16;

/// An accumulator slot: one modeled target.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// The target it accumulates.
    pub target: TargetIx,
    /// What the target asks of its outcome.
    pub goal: Goal,
    /// Whether the plan calls the target binding (约束性).
    pub binding: bool,
    /// Range of the outcome histogram (values outside are counted, not binned).
    pub range: (f64, f64),
}

/// A fan: one series' per-year histograms.
#[derive(Debug, Clone, PartialEq)]
pub struct FanSlot {
    /// The series drawn.
    pub series: SeriesIx,
    /// Range of each year's histogram.
    pub ranges: Vec<(f64, f64)>,
}

/// What to accumulate, fixed before the main run (histogram ranges come from a pilot).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The modeled targets, in target order.
    pub slots: IxVec<SlotIx, Slot>,
    /// The fan series.
    pub fans: Vec<FanSlot>,
    /// Year points of every series, base year included.
    pub years: usize,
    /// The uncertain parameters, by sampler dimension (their values go into the rows).
    pub uncertain: IxVec<DimIx, ParamIx>,
    /// `--given` conditions.
    pub conditions: Vec<Condition>,
    /// How many leading draws keep their raw (outcome, parameter) rows for rank statistics.
    pub keep_rows: u64,
    /// How many leading draws feed the fan histograms.
    pub fan_draws: u64,
    /// Policy responses (R).
    pub responses: usize,
}

impl Layout {
    /// The slot of target `t`, if it is modeled.
    pub fn slot_of(&self, t: TargetIx) -> Option<SlotIx> {
        self.slots.position(|s| s.target == t)
    }

    /// Every slot's histogram range, in slot order.
    pub fn target_ranges(&self) -> Vec<(f64, f64)> {
        self.slots.iter().map(|s| s.range).collect()
    }

    /// Every fan's per-year histogram ranges, fan-major (at [`Shape::fan`]).
    pub fn fan_ranges(&self) -> Vec<(f64, f64)> {
        self.fans
            .iter()
            .flat_map(|f| f.ranges.iter().copied())
            .collect()
    }

    /// The sizes of the accumulator's arrays.
    pub fn shape(&self) -> Shape {
        Shape {
            slots: self.slots.len(),
            dims: self.uncertain.len(),
            years: self.years,
            fans: self.fans.len(),
            conditions: self.conditions.len(),
            responses: self.responses,
        }
    }
}

/// The sizes of an accumulator's arrays, and where each number sits in them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    /// Modeled targets (J).
    pub slots: usize,
    /// Uncertain parameters (K).
    pub dims: usize,
    /// Year points (Y).
    pub years: usize,
    /// Fan series (F).
    pub fans: usize,
    /// `--given` conditions (C).
    pub conditions: usize,
    /// Policy responses (R).
    pub responses: usize,
}

impl Shape {
    /// Position of (parameter k, bin b) among the K·B per-bin counts.
    #[inline]
    pub fn bin(&self, k: DimIx, b: usize) -> usize {
        k.0 * SENSITIVITY_BINS + b
    }

    /// The J outcome sums of (parameter k, bin b): targets innermost, so a draw adds
    /// its whole outcome vector to one contiguous row per parameter.
    #[inline]
    pub fn bin_sums(&self, k: DimIx, b: usize) -> Range<usize> {
        let row = self.bin(k, b) * self.slots;
        row..row + self.slots
    }

    /// Position of the pair (a, b) among the J·J missed-together counts (only a ≤ b is
    /// counted; the pair is unordered).
    #[inline]
    pub fn pair(&self, a: SlotIx, b: SlotIx) -> usize {
        a.0.min(b.0) * self.slots + a.0.max(b.0)
    }

    /// The pairs (j, j'), j' ≥ j, of slot j: a contiguous run.
    #[inline]
    pub fn pairs_from(&self, j: SlotIx) -> Range<usize> {
        j.0 * self.slots + j.0..(j.0 + 1) * self.slots
    }

    /// Position of fan f's histogram of year t.
    #[inline]
    pub fn fan(&self, f: usize, t: usize) -> usize {
        f * self.years + t
    }

    /// Position of (condition c, slot j) among the C·J conditional hit counts.
    #[inline]
    pub fn cond_hit(&self, c: usize, j: SlotIx) -> usize {
        c * self.slots + j.0
    }

    /// Position of (response r, year t) among the R·Y first-trigger counts.
    #[inline]
    pub fn first_trigger(&self, r: usize, t: usize) -> usize {
        r * self.years + t
    }

    /// Numbers in one kept row: J outcomes, then K parameter values.
    #[inline]
    pub fn row_width(&self) -> usize {
        self.slots + self.dims
    }
}
