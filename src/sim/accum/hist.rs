//! The accumulator's statistics of one quantity: a fixed-bin histogram with exact
//! under/overflow counts and extremes, and streaming moments (Welford, merged as Chan et
//! al. do).

use serde::{Deserialize, Serialize};

/// Fixed-bin histogram with exact under/overflow counts and extremes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hist {
    /// Lower end of the binned range.
    pub lo: f64,
    /// Upper end of the binned range.
    pub hi: f64,
    /// bins / (hi − lo), so binning is a multiply.
    scale: f64,
    /// Values per bin.
    pub counts: Vec<u64>,
    /// Values below the range.
    pub under: u64,
    /// Values at or above the upper end.
    pub over: u64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Draws whose value was not a number (e.g. 0/0): counted, never binned.
    pub invalid: u64,
}

impl Hist {
    /// An empty histogram of `bins` bins over [`lo`, `hi`).
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

    /// Adds a value (a non-finite one is only counted as invalid).
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

    /// Adds the values of `o`, which has the same bins.
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

    /// Whether `o` has the same bins (range and count), so the two can be merged.
    pub fn same_bins(&self, o: &Hist) -> bool {
        (self.lo, self.hi, self.scale, self.counts.len()) == (o.lo, o.hi, o.scale, o.counts.len())
    }

    /// Values counted (binned, under or over).
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
    /// Values added.
    pub n: u64,
    /// Their mean.
    pub mean: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
}

impl Moments {
    /// Adds a value (non-finite values are skipped).
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

    /// Adds the values summarised by `o`.
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

    /// Sample standard deviation (0 for fewer than two values).
    pub fn sd(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            (self.m2 / (self.n - 1) as f64).sqrt()
        }
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
