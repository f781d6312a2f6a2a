//! Streaming accumulators: everything the report needs, in memory bounded by
//! targets × bins, never by the number of draws. A chunk fills its own accumulator from
//! each draw's results ([`Drawn`]); chunks are merged in an order fixed by chunk indices
//! alone, so floating-point sums are identical on any thread count.
//!
//! Where each number sits is the layout's business ([`Shape`]); the accumulator's own
//! state is private, read through accessors by index (`hits(j)`, `bin_sum(k, b, j)`,
//! `missed_together(a, b)`), or all at once through [`Accumulator::totals`].

mod hist;
mod pending;
mod tally;

pub use hist::{Hist, Moments};
pub use tally::ResponseTally;

use super::drawn::Drawn;
use super::layout::{Layout, Shape, FAN_BINS, TARGET_BINS};
use crate::ix::{DimIx, IxVec, SlotIx};
use pending::Pending;
use serde::{Deserialize, Serialize};

/// Every number an accumulator holds, in the layout's order. Complete only when no
/// draw is pending (after [`Accumulator::flush`]; merged accumulators always are).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Draws added.
    pub draws: u64,
    /// Per slot: draws that hit the target.
    pub hits: IxVec<SlotIx, u64>,
    /// Per slot: moments of the outcome.
    pub outcome: IxVec<SlotIx, Moments>,
    /// Per slot: histogram of the outcome.
    pub hist: IxVec<SlotIx, Hist>,
    /// Per slot: sum of the shortfalls of the draws that miss (finite outcomes only).
    pub shortfall: IxVec<SlotIx, f64>,
    /// Per slot: moments of the series value at the target's baseline year.
    pub baseline: IxVec<SlotIx, Moments>,
    /// Draws in which every binding target was hit.
    pub all_binding: u64,
    /// Draws in which every modeled target was hit.
    pub all_modeled: u64,
    /// `k_missed[k]`: draws in which exactly k modeled targets were missed.
    pub k_missed: Vec<u64>,
    /// Draws in which both targets of a pair were missed, at [`Shape::pair`].
    pub pair_miss: Vec<u64>,
    /// Per fan and year, histogram of the series value, at [`Shape::fan`].
    pub fans: Vec<Hist>,
    /// Draws per (parameter, probability bin), at [`Shape::bin`].
    pub bin_count: Vec<u64>,
    /// Sum of outcomes per (parameter, probability bin, slot), at [`Shape::bin_sums`].
    pub bin_sum: Vec<f64>,
    /// Per condition: draws that met it.
    pub cond_count: Vec<u64>,
    /// Per (condition, slot): draws that met it and hit the target, at [`Shape::cond_hit`].
    pub cond_hits: Vec<u64>,
    /// Leading draws' rows of [`Shape::row_width`] numbers: J outcomes, then K parameter
    /// values.
    pub rows: Vec<f64>,
    /// What the policy responses did (empty without responses; absent from partial
    /// results written before responses existed).
    #[serde(default)]
    pub responses: ResponseTally,
}

/// A column of the kept rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// A modeled target's outcome.
    Outcome(SlotIx),
    /// An uncertain parameter's value.
    Param(DimIx),
}

/// Everything accumulated over a set of consecutive draws. It serializes (for a shard's
/// partial-result file) as its totals only: its shape follows from the layout and its
/// block of pending draws is empty after `flush`; [`Accumulator::restore`] checks a
/// deserialized one against the layout and gives it both back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accumulator {
    #[serde(skip)]
    shape: Shape,
    totals: Totals,
    #[serde(skip)]
    pending: Pending,
}

impl Accumulator {
    /// An accumulator of no draws for `l`.
    pub fn new(l: &Layout) -> Accumulator {
        let shape = l.shape();
        let (j, k) = (shape.slots, shape.dims);
        Accumulator {
            shape,
            totals: Totals {
                draws: 0,
                hits: IxVec::filled(0, j),
                outcome: IxVec::filled(Moments::default(), j),
                hist: l
                    .slots
                    .iter()
                    .map(|s| Hist::new(s.range.0, s.range.1, TARGET_BINS))
                    .collect(),
                shortfall: IxVec::filled(0.0, j),
                baseline: IxVec::filled(Moments::default(), j),
                all_binding: 0,
                all_modeled: 0,
                k_missed: vec![0; j + 1],
                pair_miss: vec![0; j * j],
                fans: fan_histograms(l),
                bin_count: vec![0; shape.bin(DimIx(k), 0)],
                bin_sum: vec![0.0; shape.bin_sums(DimIx(k), 0).start],
                cond_count: vec![0; shape.conditions],
                cond_hits: vec![0; shape.conditions * j],
                rows: Vec::new(),
                responses: ResponseTally::new(shape),
            },
            pending: Pending::new(shape),
        }
    }

    /// Adds one draw; `draw_index` is its index in the whole run.
    pub fn add(&mut self, l: &Layout, d: &Drawn<'_>, draw_index: u64) {
        let (shape, t) = (self.shape, &mut self.totals);
        t.draws += 1;
        let mut missed = 0;
        let mut binding_ok = true;
        for (j, slot) in l.slots.iter_enumerated() {
            let x = d.outcomes[slot.target];
            t.outcome[j].add(x);
            t.hist[j].add(x);
            t.baseline[j].add(d.baselines[slot.target]);
            if slot.goal.hit(x) {
                t.hits[j] += 1;
            } else {
                missed += 1;
                self.pending.missed(j);
                binding_ok &= !slot.binding;
                if x.is_finite() {
                    t.shortfall[j] += slot.goal.shortfall(x);
                }
            }
        }
        if binding_ok {
            t.all_binding += 1;
        }
        if missed == 0 {
            t.all_modeled += 1;
        }
        t.k_missed[missed] += 1;
        // Fans are pictures of per-year spread: the leading draws estimate their
        // quantiles to well under a pixel, at a fraction of the cost of every draw.
        if draw_index < l.fan_draws {
            for (f, fan) in l.fans.iter().enumerate() {
                for (year, &v) in d.series(fan.series).iter().enumerate() {
                    t.fans[shape.fan(f, year)].add(v);
                }
            }
        }
        // Sensitivity sums: buffered, then added parameter by parameter (`flush`).
        for (j, slot) in l.slots.iter_enumerated() {
            self.pending.outcome(j, d.outcomes[slot.target]);
        }
        for (k, &b) in d.bins.iter_enumerated() {
            let at = shape.bin(k, usize::from(b));
            t.bin_count[at] += 1;
            self.pending.binned(at);
        }
        if self.pending.next() {
            self.flush();
        }
        let t = &mut self.totals;
        for (c, cond) in l.conditions.iter().enumerate() {
            if cond.holds(d) {
                t.cond_count[c] += 1;
                for (j, slot) in l.slots.iter_enumerated() {
                    if slot.goal.hit(d.outcomes[slot.target]) {
                        t.cond_hits[shape.cond_hit(c, j)] += 1;
                    }
                }
            }
        }
        if draw_index < l.keep_rows {
            t.rows.extend(l.slots.iter().map(|s| d.outcomes[s.target]));
            t.rows.extend(l.uncertain.iter().map(|&p| d.params[p]));
        }
        t.responses.add(shape, &l.slots, d);
    }

    /// Adds the buffered draws to the totals. `add` buffers up to a block of draws;
    /// `merge` flushes both sides, so a merged accumulator is always complete.
    pub fn flush(&mut self) {
        let t = &mut self.totals;
        self.pending
            .flush(self.shape, &mut t.pair_miss, &mut t.bin_sum);
    }

    /// Adds `o`, which must have the same layout and cover the draws right after this
    /// one's.
    pub fn merge(&mut self, o: &Accumulator) {
        debug_assert_eq!(
            self.shape, o.shape,
            "merging accumulators of different layouts"
        );
        self.flush();
        if !o.pending.is_empty() {
            let mut o = o.clone();
            o.flush();
            return self.merge(&o);
        }
        let (a, b) = (&mut self.totals, &o.totals);
        a.draws += b.draws;
        add_into(a.hits.as_raw_mut(), b.hits.as_raw());
        for (x, y) in a.outcome.iter_mut().zip(&b.outcome) {
            x.merge(y);
        }
        for (x, y) in a.baseline.iter_mut().zip(&b.baseline) {
            x.merge(y);
        }
        for (x, y) in a.hist.iter_mut().zip(&b.hist) {
            x.merge(y);
        }
        for (x, y) in a.fans.iter_mut().zip(&b.fans) {
            x.merge(y);
        }
        for (x, y) in a.shortfall.iter_mut().zip(&b.shortfall) {
            *x += y;
        }
        for (x, y) in a.bin_sum.iter_mut().zip(&b.bin_sum) {
            *x += y;
        }
        a.all_binding += b.all_binding;
        a.all_modeled += b.all_modeled;
        add_into(&mut a.k_missed, &b.k_missed);
        add_into(&mut a.pair_miss, &b.pair_miss);
        add_into(&mut a.bin_count, &b.bin_count);
        add_into(&mut a.cond_count, &b.cond_count);
        add_into(&mut a.cond_hits, &b.cond_hits);
        a.rows.extend_from_slice(&b.rows);
        a.responses.merge(&b.responses);
    }

    /// A deserialized accumulator made whole for layout `l`: None unless every table has
    /// the shape and the histogram ranges `l` gives (so merging it cannot go wrong).
    pub fn restore(self, l: &Layout) -> Option<Accumulator> {
        let fresh = Accumulator::new(l);
        let (a, f) = (&self.totals, &fresh.totals);
        let same_hist = |a: &[Hist], b: &[Hist]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_bins(y))
        };
        let fits = a.hits.len() == f.hits.len()
            && a.outcome.len() == f.outcome.len()
            && same_hist(a.hist.as_raw(), f.hist.as_raw())
            && a.shortfall.len() == f.shortfall.len()
            && a.baseline.len() == f.baseline.len()
            && a.k_missed.len() == f.k_missed.len()
            && a.pair_miss.len() == f.pair_miss.len()
            && same_hist(&a.fans, &f.fans)
            && a.bin_count.len() == f.bin_count.len()
            && a.bin_sum.len() == f.bin_sum.len()
            && a.cond_count.len() == f.cond_count.len()
            && a.cond_hits.len() == f.cond_hits.len()
            && a.rows.len().is_multiple_of(fresh.shape.row_width().max(1))
            && a.responses.fits(&f.responses);
        fits.then_some(Accumulator {
            shape: fresh.shape,
            pending: fresh.pending,
            totals: self.totals,
        })
    }

    /// Rebuilds the outcome and fan histograms under `l`'s ranges from recorded values:
    /// one row per draw, from draw `first_draw` on, of J outcomes then each fan's value
    /// in every year (fan-major). The pilot uses it once the ranges are known.
    pub(crate) fn rebin(&mut self, l: &Layout, first_draw: u64, values: &[f64]) {
        let t = &mut self.totals;
        t.hist = l
            .slots
            .iter()
            .map(|s| Hist::new(s.range.0, s.range.1, TARGET_BINS))
            .collect();
        t.fans = fan_histograms(l);
        let j_n = self.shape.slots;
        let width = j_n + t.fans.len();
        for (i, row) in values.chunks_exact(width.max(1)).enumerate() {
            for (h, &v) in t.hist.iter_mut().zip(&row[..j_n]) {
                h.add(v);
            }
            if first_draw + (i as u64) < l.fan_draws {
                for (h, &v) in t.fans.iter_mut().zip(&row[j_n..]) {
                    h.add(v);
                }
            }
        }
    }

    /// The sizes of the accumulator's arrays.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// Every number held, in the layout's order (for checksums and storage).
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// What the policy responses did.
    pub fn responses(&self) -> &ResponseTally {
        &self.totals.responses
    }

    /// Draws added.
    pub fn draws(&self) -> u64 {
        self.totals.draws
    }

    /// Per slot: draws that hit the target.
    pub fn hits(&self) -> &IxVec<SlotIx, u64> {
        &self.totals.hits
    }

    /// Moments of slot `j`'s outcome.
    pub fn outcome(&self, j: SlotIx) -> &Moments {
        &self.totals.outcome[j]
    }

    /// Moments of slot `j`'s series value at the target's baseline year.
    pub fn baseline(&self, j: SlotIx) -> &Moments {
        &self.totals.baseline[j]
    }

    /// Histogram of slot `j`'s outcome.
    pub fn hist(&self, j: SlotIx) -> &Hist {
        &self.totals.hist[j]
    }

    /// Sum of slot `j`'s shortfalls over the draws that miss it.
    pub fn shortfall(&self, j: SlotIx) -> f64 {
        self.totals.shortfall[j]
    }

    /// Draws in which every binding target was hit.
    pub fn all_binding(&self) -> u64 {
        self.totals.all_binding
    }

    /// Draws in which every modeled target was hit.
    pub fn all_modeled(&self) -> u64 {
        self.totals.all_modeled
    }

    /// `k_missed()[k]`: draws in which exactly k modeled targets were missed.
    pub fn k_missed(&self) -> &[u64] {
        &self.totals.k_missed
    }

    /// Draws in which both `a` and `b` were missed (`a == b`: draws that missed `a`).
    pub fn missed_together(&self, a: SlotIx, b: SlotIx) -> u64 {
        self.totals.pair_miss[self.shape.pair(a, b)]
    }

    /// Histogram of fan `f`'s series in year `t`.
    pub fn fan(&self, f: usize, t: usize) -> &Hist {
        &self.totals.fans[self.shape.fan(f, t)]
    }

    /// Draws whose parameter `k` fell in probability bin `b`.
    pub fn bin_count(&self, k: DimIx, b: usize) -> u64 {
        self.totals.bin_count[self.shape.bin(k, b)]
    }

    /// Sum of slot `j`'s outcomes over the draws whose parameter `k` fell in bin `b`.
    pub fn bin_sum(&self, k: DimIx, b: usize, j: SlotIx) -> f64 {
        self.totals.bin_sum[self.shape.bin_sums(k, b)][j.0]
    }

    /// Draws that met condition `c`.
    pub fn cond_count(&self, c: usize) -> u64 {
        self.totals.cond_count[c]
    }

    /// Draws that met condition `c` and hit slot `j`'s target.
    pub fn cond_hits(&self, c: usize, j: SlotIx) -> u64 {
        self.totals.cond_hits[self.shape.cond_hit(c, j)]
    }

    /// Rows kept for rank statistics.
    pub fn kept_rows(&self) -> usize {
        self.totals
            .rows
            .len()
            .checked_div(self.shape.row_width())
            .unwrap_or(0)
    }

    /// One column of the kept rows.
    pub fn column(&self, c: Column) -> Vec<f64> {
        let width = self.shape.row_width();
        let at = match c {
            Column::Outcome(j) => j.0,
            Column::Param(k) => self.shape.slots + k.0,
        };
        (0..self.kept_rows())
            .map(|r| self.totals.rows[r * width + at])
            .collect()
    }
}

/// Empty per-year histograms of every fan, at [`Shape::fan`].
fn fan_histograms(l: &Layout) -> Vec<Hist> {
    l.fans
        .iter()
        .flat_map(|f| f.ranges.iter().map(|&(a, b)| Hist::new(a, b, FAN_BINS)))
        .collect()
}

fn add_into(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
impl Accumulator {
    /// An accumulator of one draw whose kept rows are just `[row]` and whose first
    /// slot's shortfall sum is `shortfall`: a leaf whose merged sums show how leaves
    /// were grouped (for the fold's tests).
    pub(crate) fn marked(l: &Layout, row: f64, shortfall: f64) -> Accumulator {
        let mut a = Accumulator::new(l);
        a.totals.draws = 1;
        a.totals.rows.push(row);
        if let Some(s) = a.totals.shortfall.as_raw_mut().first_mut() {
            *s = shortfall;
        }
        a
    }
}
