//! Streaming accumulators: everything the report needs, in memory bounded by
//! targets × bins, never by the number of draws. A chunk fills its own accumulator;
//! chunks are merged in chunk order, so floating-point sums are identical on any
//! thread count.

use super::condition::Condition;
use super::kernel::Workspace;
use crate::model::Model;
use serde::{Deserialize, Serialize};

/// Bins of each target's outcome histogram.
pub const TARGET_BINS: usize = 512;
/// Bins of each fan series' per-year histogram.
pub const FAN_BINS: usize = 128;
/// Equal-probability bins of each parameter for first-order (correlation-ratio) indices.
pub const SENSITIVITY_BINS: usize = 16;
/// Draws buffered before their outcomes are added to `bin_sum` and their misses to
/// `pair_miss` (see `Accumulator::flush`); at most the bits of a `u128`.
const SENSITIVITY_BLOCK: usize = 128;

/// What to accumulate, fixed before the main run (histogram ranges come from a pilot).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Indices of modeled targets; accumulator slot j is target `modeled[j]`.
    pub modeled: Vec<usize>,
    pub binding: Vec<bool>,
    pub target_ranges: Vec<(f64, f64)>,
    /// Fan histogram ranges, `[f·Y + t]`.
    pub fan_ranges: Vec<(f64, f64)>,
    pub years: usize,
    pub uncertain: usize,
    pub conditions: Vec<Condition>,
    /// How many leading draws keep their raw (outcome, uniform) rows for rank statistics.
    pub keep_rows: u64,
    /// How many leading draws feed the fan histograms.
    pub fan_draws: u64,
}

/// Fixed-bin histogram with exact under/overflow counts and extremes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hist {
    pub lo: f64,
    pub hi: f64,
    /// bins / (hi − lo), so binning is a multiply.
    scale: f64,
    pub counts: Vec<u64>,
    pub under: u64,
    pub over: u64,
    pub min: f64,
    pub max: f64,
    /// Draws whose value was not a number (e.g. 0/0): counted, never binned.
    pub invalid: u64,
}

impl Hist {
    pub fn new(lo: f64, hi: f64, bins: usize) -> Hist {
        Hist {
            lo,
            hi,
            scale: bins as f64 / (hi - lo),
            counts: vec![0; bins],
            under: 0,
            over: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            invalid: 0,
        }
    }

    #[inline]
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            self.invalid += 1;
            return;
        }
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        if x < self.lo {
            self.under += 1;
        } else if x >= self.hi {
            self.over += 1;
        } else {
            let n = self.counts.len();
            let i = ((x - self.lo) * self.scale) as usize;
            self.counts[i.min(n - 1)] += 1;
        }
    }

    pub fn merge(&mut self, o: &Hist) {
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        self.under += o.under;
        self.over += o.over;
        self.invalid += o.invalid;
        self.min = self.min.min(o.min);
        self.max = self.max.max(o.max);
    }

    pub fn valid(&self) -> u64 {
        self.under + self.over + self.counts.iter().sum::<u64>()
    }

    /// The q-quantile, interpolated linearly inside bins (and between the extremes and
    /// the histogram's ends for the overflow tails).
    pub fn quantile(&self, q: f64) -> f64 {
        let n = self.valid();
        if n == 0 {
            return f64::NAN;
        }
        let need = q.clamp(0.0, 1.0) * n as f64;
        let mut acc = 0.0;
        let mut segment = |count: u64, a: f64, b: f64| -> Option<f64> {
            let c = count as f64;
            if c > 0.0 && acc + c >= need {
                return Some(a + (b - a) * ((need - acc) / c).clamp(0.0, 1.0));
            }
            acc += c;
            None
        };
        if let Some(v) = segment(self.under, self.min, self.lo.min(self.max)) {
            return v;
        }
        let w = (self.hi - self.lo) / self.counts.len() as f64;
        for (i, &c) in self.counts.iter().enumerate() {
            let a = self.lo + i as f64 * w;
            if let Some(v) = segment(c, a.max(self.min), (a + w).min(self.max)) {
                return v;
            }
        }
        segment(self.over, self.hi.max(self.min), self.max).unwrap_or(self.max)
    }
}

/// Count, mean and sum of squared deviations (Welford; Chan et al. to merge).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Moments {
    pub n: u64,
    pub mean: f64,
    pub m2: f64,
}

impl Moments {
    #[inline]
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        self.n += 1;
        let d = x - self.mean;
        // x equal to the mean (a baseline fixed by the scenario): the update below would
        // add +0.0 to mean and m2, which changes neither (mean is never −0.0: it starts
        // at +0.0 and a sum is −0.0 only if both terms are), so skip its division.
        if d == 0.0 && !(self.mean == 0.0 && self.mean.is_sign_negative()) {
            return;
        }
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    pub fn merge(&mut self, o: &Moments) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *o;
            return;
        }
        let n = self.n + o.n;
        let d = o.mean - self.mean;
        self.mean += d * o.n as f64 / n as f64;
        self.m2 += o.m2 + d * d * (self.n as f64 * o.n as f64) / n as f64;
        self.n = n;
    }

    pub fn sd(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            (self.m2 / (self.n - 1) as f64).sqrt()
        }
    }
}

/// Everything accumulated over a set of draws. It serializes (for a shard's
/// partial-result file) without its buffers of pending draws, which are empty after
/// `flush`; [`Accumulator::restore`] checks a deserialized one against the layout and
/// gives it its buffers back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accumulator {
    pub draws: u64,
    pub hits: Vec<u64>,
    pub outcome: Vec<Moments>,
    pub hist: Vec<Hist>,
    /// Sum of |outcome − threshold| over the draws that miss.
    pub shortfall: Vec<f64>,
    pub baseline: Vec<Moments>,
    pub all_binding: u64,
    pub all_modeled: u64,
    /// `k_missed[k]`: draws in which exactly k modeled targets were missed.
    pub k_missed: Vec<u64>,
    /// `pair_miss[i·J + j]` (i ≤ j): draws in which both i and j were missed.
    pub pair_miss: Vec<u64>,
    pub fans: Vec<Hist>,
    /// Draws per (parameter, probability bin).
    pub bin_count: Vec<u64>,
    /// Sum of outcomes per (parameter, probability bin, target): targets innermost so
    /// a draw adds its whole outcome vector to one contiguous row per parameter.
    pub bin_sum: Vec<f64>,
    pub cond_count: Vec<u64>,
    pub cond_hits: Vec<u64>,
    /// Leading draws' rows: J outcomes then K parameter values per draw.
    pub rows: Vec<f64>,
    /// Per modeled target, the pending draws that missed it (bit i: pending draw i).
    #[serde(skip)]
    miss_bits: Vec<u128>,
    /// Draws not yet added to `bin_sum`: their modeled outcomes (non-finite ones as
    /// 0), in groups of `LANES` targets (the last group padded with zeros): target j of
    /// pending draw i is at `pending_index(j, i)`, so one group of one block of draws
    /// stays in L1 cache, …
    #[serde(skip)]
    pending_x: Vec<f64>,
    /// … and, per (parameter, bin), the pending draws whose parameter fell in that
    /// bin (bit i: pending draw i), `bin_draws[k·SENSITIVITY_BINS + b]`.
    #[serde(skip)]
    bin_draws: Vec<u128>,
    #[serde(skip)]
    pending: usize,
}

/// Targets whose sensitivity sums `flush` keeps in registers at once.
const LANES: usize = 16;

/// Where target `j` of pending draw `i` is in `pending_x`.
#[inline]
fn pending_index(j: usize, i: usize) -> usize {
    (j / LANES * SENSITIVITY_BLOCK + i) * LANES + j % LANES
}

impl Accumulator {
    pub fn new(l: &Layout) -> Accumulator {
        let j = l.modeled.len();
        let k = l.uncertain;
        Accumulator {
            draws: 0,
            hits: vec![0; j],
            outcome: vec![Moments::default(); j],
            hist: l
                .target_ranges
                .iter()
                .map(|&(a, b)| Hist::new(a, b, TARGET_BINS))
                .collect(),
            shortfall: vec![0.0; j],
            baseline: vec![Moments::default(); j],
            all_binding: 0,
            all_modeled: 0,
            k_missed: vec![0; j + 1],
            pair_miss: vec![0; j * j],
            fans: l
                .fan_ranges
                .iter()
                .map(|&(a, b)| Hist::new(a, b, FAN_BINS))
                .collect(),
            bin_count: vec![0; k * SENSITIVITY_BINS],
            bin_sum: vec![0.0; j * k * SENSITIVITY_BINS],
            cond_count: vec![0; l.conditions.len()],
            cond_hits: vec![0; l.conditions.len() * j],
            rows: Vec::new(),
            miss_bits: vec![0; j],
            pending_x: vec![0.0; j.div_ceil(LANES) * LANES * SENSITIVITY_BLOCK],
            bin_draws: vec![0; k * SENSITIVITY_BINS],
            pending: 0,
        }
    }

    /// A deserialized accumulator made whole for layout `l`: None unless every table
    /// has the shape and histogram ranges `l` gives (so merging it cannot go wrong).
    pub fn restore(self, l: &Layout) -> Option<Accumulator> {
        let fresh = Accumulator::new(l);
        let same_hist = |a: &[Hist], b: &[Hist]| {
            a.len() == b.len()
                && a.iter().zip(b).all(|(x, y)| {
                    (x.lo, x.hi, x.scale, x.counts.len()) == (y.lo, y.hi, y.scale, y.counts.len())
                })
        };
        let fits = self.hits.len() == fresh.hits.len()
            && self.outcome.len() == fresh.outcome.len()
            && same_hist(&self.hist, &fresh.hist)
            && self.shortfall.len() == fresh.shortfall.len()
            && self.baseline.len() == fresh.baseline.len()
            && self.k_missed.len() == fresh.k_missed.len()
            && self.pair_miss.len() == fresh.pair_miss.len()
            && same_hist(&self.fans, &fresh.fans)
            && self.bin_count.len() == fresh.bin_count.len()
            && self.bin_sum.len() == fresh.bin_sum.len()
            && self.cond_count.len() == fresh.cond_count.len()
            && self.cond_hits.len() == fresh.cond_hits.len()
            && self
                .rows
                .len()
                .is_multiple_of((l.modeled.len() + l.uncertain).max(1));
        fits.then_some(Accumulator {
            miss_bits: fresh.miss_bits,
            pending_x: fresh.pending_x,
            bin_draws: fresh.bin_draws,
            pending: 0,
            ..self
        })
    }

    /// Adds the draw held in `ws`; `draw_index` is its global index.
    pub fn add(
        &mut self,
        l: &Layout,
        m: &Model,
        ws: &Workspace,
        fan_series: &[usize],
        draw_index: u64,
    ) {
        let j_n = l.modeled.len();
        let k_n = l.uncertain;
        self.draws += 1;
        let i = self.pending;
        let mut missed = 0;
        let mut binding_ok = true;
        for (j, &t) in l.modeled.iter().enumerate() {
            let x = ws.outcomes[t];
            let target = &m.targets[t];
            self.outcome[j].add(x);
            self.hist[j].add(x);
            self.baseline[j].add(ws.baselines[t]);
            if target.goal.hit(x) {
                self.hits[j] += 1;
            } else {
                missed += 1;
                self.miss_bits[j] |= 1 << i;
                binding_ok &= !l.binding[j];
                if x.is_finite() {
                    self.shortfall[j] += target.goal.shortfall(x);
                }
            }
        }
        if binding_ok {
            self.all_binding += 1;
        }
        if missed == 0 {
            self.all_modeled += 1;
        }
        self.k_missed[missed] += 1;
        let y = l.years;
        // Fans are pictures of per-year spread: the leading draws estimate their
        // quantiles to well under a pixel, at a fraction of the cost of every draw.
        for (f, &s) in fan_series
            .iter()
            .enumerate()
            .filter(|_| draw_index < l.fan_draws)
        {
            for t in 0..y {
                self.fans[f * y + t].add(ws.series[s * y + t]);
            }
        }
        // Sensitivity sums: buffered, then added parameter by parameter (`flush`), so
        // each parameter's 16 rows of sums stay in cache while a block of draws is added.
        for (j, &t) in l.modeled.iter().enumerate() {
            let x = ws.outcomes[t];
            self.pending_x[pending_index(j, i)] = if x.is_finite() { x } else { 0.0 };
        }
        for k in 0..k_n {
            let b = usize::from(ws.bins[k]);
            self.bin_count[k * SENSITIVITY_BINS + b] += 1;
            self.bin_draws[k * SENSITIVITY_BINS + b] |= 1 << i;
        }
        self.pending += 1;
        if self.pending == SENSITIVITY_BLOCK {
            self.flush();
        }
        for (c, cond) in l.conditions.iter().enumerate() {
            if cond.holds(ws) {
                self.cond_count[c] += 1;
                for (j, &t) in l.modeled.iter().enumerate() {
                    if m.targets[t].goal.hit(ws.outcomes[t]) {
                        self.cond_hits[c * j_n + j] += 1;
                    }
                }
            }
        }
        if draw_index < l.keep_rows {
            self.rows.extend(l.modeled.iter().map(|&t| ws.outcomes[t]));
            self.rows.extend(m.uncertain.iter().map(|&p| ws.params[p]));
        }
    }

    /// Completes `bin_sum` with the buffered draws. `add` buffers up to
    /// `SENSITIVITY_BLOCK` draws; `merge` flushes both sides, so a merged accumulator is
    /// always complete. Each sum still adds its draws in draw order.
    pub fn flush(&mut self) {
        let (n, j_n) = (self.pending, self.hits.len());
        if n == 0 || j_n == 0 {
            self.pending = 0;
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
            for (count, &b) in self.pair_miss[i * j_n + i..(i + 1) * j_n]
                .iter_mut()
                .zip(&self.miss_bits[i..])
            {
                *count += (a & b).count_ones() as u64;
            }
        }
        self.miss_bits.fill(0);
        // One group of targets at a time (its pending values stay in L1 cache), every
        // parameter and bin: sixteen sums stay in registers while the bin's draws are
        // added, in draw order (ascending bits).
        for group in 0..j_n.div_ceil(LANES) {
            let (first, width) = (group * LANES, LANES.min(j_n - group * LANES));
            let px = &self.pending_x
                [group * LANES * SENSITIVITY_BLOCK..(group + 1) * LANES * SENSITIVITY_BLOCK];
            for (rows, masks) in self
                .bin_sum
                .chunks_exact_mut(SENSITIVITY_BINS * j_n)
                .zip(self.bin_draws.chunks_exact(SENSITIVITY_BINS))
            {
                for (row, &mask) in rows.chunks_exact_mut(j_n).zip(masks) {
                    if mask == 0 {
                        continue;
                    }
                    let sums = &mut row[first..first + width];
                    // Padding lanes of the last group add zeros to sums never stored.
                    let mut acc = [0.0; LANES];
                    acc[..width].copy_from_slice(sums);
                    let mut m = mask;
                    while m != 0 {
                        let from = m.trailing_zeros() as usize * LANES;
                        m &= m - 1;
                        let x: &[f64; LANES] =
                            px[from..from + LANES].try_into().expect("a lane of sums");
                        for (a, x) in acc.iter_mut().zip(x) {
                            *a += x;
                        }
                    }
                    sums.copy_from_slice(&acc[..width]);
                }
            }
        }
        self.bin_draws.fill(0);
        self.pending = 0;
    }

    /// Adds `o`, which must cover the draws right after this one's.
    pub fn merge(&mut self, o: &Accumulator) {
        self.flush();
        if o.pending > 0 {
            let mut o = o.clone();
            o.flush();
            return self.merge(&o);
        }
        self.draws += o.draws;
        add_into(&mut self.hits, &o.hits);
        for (a, b) in self.outcome.iter_mut().zip(&o.outcome) {
            a.merge(b);
        }
        for (a, b) in self.baseline.iter_mut().zip(&o.baseline) {
            a.merge(b);
        }
        for (a, b) in self.hist.iter_mut().zip(&o.hist) {
            a.merge(b);
        }
        for (a, b) in self.fans.iter_mut().zip(&o.fans) {
            a.merge(b);
        }
        for (a, b) in self.shortfall.iter_mut().zip(&o.shortfall) {
            *a += b;
        }
        for (a, b) in self.bin_sum.iter_mut().zip(&o.bin_sum) {
            *a += b;
        }
        self.all_binding += o.all_binding;
        self.all_modeled += o.all_modeled;
        add_into(&mut self.k_missed, &o.k_missed);
        add_into(&mut self.pair_miss, &o.pair_miss);
        add_into(&mut self.bin_count, &o.bin_count);
        add_into(&mut self.cond_count, &o.cond_count);
        add_into(&mut self.cond_hits, &o.cond_hits);
        self.rows.extend_from_slice(&o.rows);
    }
}

fn add_into(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_of_a_uniform_grid() {
        let mut h = Hist::new(0.0, 1.0, 100);
        for i in 0..10_000 {
            h.add((i as f64 + 0.5) / 10_000.0);
        }
        assert!((h.quantile(0.5) - 0.5).abs() < 1e-3);
        assert!((h.quantile(0.05) - 0.05).abs() < 1e-3);
    }

    #[test]
    fn histogram_tails_use_extremes() {
        let mut h = Hist::new(0.0, 1.0, 10);
        for x in [-5.0, 0.5, 0.5, 9.0] {
            h.add(x);
        }
        h.add(f64::NAN);
        assert_eq!((h.under, h.over, h.invalid, h.valid()), (1, 1, 1, 4));
        assert_eq!(h.quantile(0.0), -5.0);
        assert_eq!(h.quantile(1.0), 9.0);
    }

    #[test]
    fn merged_moments_equal_sequential() {
        let xs: Vec<f64> = (0..100).map(|i| (i as f64).sin() * 3.0 + 1.0).collect();
        let mut all = Moments::default();
        xs.iter().for_each(|&x| all.add(x));
        let (mut a, mut b) = (Moments::default(), Moments::default());
        xs[..37].iter().for_each(|&x| a.add(x));
        xs[37..].iter().for_each(|&x| b.add(x));
        a.merge(&b);
        assert_eq!(a.n, all.n);
        assert!((a.mean - all.mean).abs() < 1e-12 && (a.sd() - all.sd()).abs() < 1e-12);
    }
}
