//! Probability distributions of uncertain parameters.
//!
//! Every distribution is sampled through its inverse CDF, so the same code serves plain
//! Monte Carlo, Latin hypercube and Sobol points and the Gaussian copula: a sampler
//! supplies a uniform, the distribution maps it. Constructors validate their arguments
//! and return `Result`, as `rand_distr::Normal::new` does.

use crate::stats::{std_normal_cdf, std_normal_inv, Z95};
use statrs::distribution::{Beta as StatrsBeta, ContinuousCDF, StudentsT};
use std::fmt;

/// Number of intervals of the tabulated quantile functions (beta family, Student t).
const TABLE_INTERVALS: usize = 4096;

/// A parameter's distribution, ready to be sampled through its quantile function.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    /// Always this value.
    Fixed(f64),
    /// Normal.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Lognormal: the logarithm is normal.
    LogNormal {
        /// Mean of the logarithm.
        mu: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
    },
    /// Uniform.
    Uniform {
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
    },
    /// Triangular.
    Triangular {
        /// Smallest value.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Largest value.
        max: f64,
    },
    /// Normal truncated to [min, max].
    TruncNormal {
        /// Mean before truncation.
        mean: f64,
        /// Standard deviation before truncation.
        sd: f64,
        /// Φ at the lower bound.
        cdf_min: f64,
        /// Φ at the upper bound.
        cdf_max: f64,
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Beta family (scaled beta, PERT) and Student t: quantile function tabulated once,
    /// interpolated per draw, because their exact inverses cost microseconds.
    Tabulated {
        /// Mean.
        mean: f64,
        /// The quantile function at evenly spaced probabilities.
        quantiles: Vec<f64>,
    },
    /// Values with probabilities.
    Discrete {
        /// The values.
        values: Vec<f64>,
        /// Cumulative probability up to each value.
        cumulative: Vec<f64>,
    },
}

/// An argument of a distribution's constructor: what a [`DistError`] blames. Named as
/// in a scenario file (`dist = "pert"` with `min`, `mode`, `max`, `lambda`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// `value`
    Value,
    /// `mean`
    Mean,
    /// `sd`
    Sd,
    /// `p5`
    P5,
    /// `p95`
    P95,
    /// `mu`
    Mu,
    /// `sigma`
    Sigma,
    /// `min`
    Min,
    /// `max`
    Max,
    /// `mode`
    Mode,
    /// `lambda`
    Lambda,
    /// `alpha`
    Alpha,
    /// `beta`
    Beta,
    /// `df`
    Df,
    /// `loc`
    Loc,
    /// `scale`
    Scale,
    /// `values`
    Values,
    /// `weights`
    Weights,
}

impl Arg {
    /// The argument's name in a scenario file.
    pub fn name(self) -> &'static str {
        match self {
            Arg::Value => "value",
            Arg::Mean => "mean",
            Arg::Sd => "sd",
            Arg::P5 => "p5",
            Arg::P95 => "p95",
            Arg::Mu => "mu",
            Arg::Sigma => "sigma",
            Arg::Min => "min",
            Arg::Max => "max",
            Arg::Mode => "mode",
            Arg::Lambda => "lambda",
            Arg::Alpha => "alpha",
            Arg::Beta => "beta",
            Arg::Df => "df",
            Arg::Loc => "loc",
            Arg::Scale => "scale",
            Arg::Values => "values",
            Arg::Weights => "weights",
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a distribution's arguments are invalid, naming the argument at fault (as
/// `rand_distr`'s `PertError` does), so a caller can point at it without reading the
/// message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DistError {
    /// The argument is nan or infinite.
    NotFinite {
        /// The argument.
        arg: Arg,
        /// Its value.
        value: f64,
    },
    /// A scale or shape argument is not greater than 0.
    NotPositive {
        /// The argument.
        arg: Arg,
        /// Its value.
        value: f64,
    },
    /// `low` must be less than `high` (`min` < `max`, `p5` < `p95`).
    NotOrdered {
        /// The argument that must be smaller.
        low: Arg,
        /// Its value.
        low_value: f64,
        /// The argument that must be larger.
        high: Arg,
        /// Its value.
        high_value: f64,
    },
    /// The mode lies outside [min, max].
    ModeOutside {
        /// The mode.
        mode: f64,
        /// The lower bound.
        min: f64,
        /// The upper bound.
        max: f64,
    },
    /// A lognormal's 5th percentile is not positive.
    PercentileNotPositive {
        /// The 5th percentile given.
        p5: f64,
    },
    /// A truncated normal's interval holds almost none of the normal's probability.
    NoMass {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// A discrete distribution without values.
    NoValues,
    /// A discrete distribution with a different number of values and weights.
    LengthMismatch {
        /// Number of values.
        values: usize,
        /// Number of weights.
        weights: usize,
    },
    /// A negative (or nan) weight.
    NegativeWeight,
    /// Weights that are all zero.
    ZeroWeights,
}

impl DistError {
    /// The argument at fault.
    pub fn arg(&self) -> Arg {
        match *self {
            DistError::NotFinite { arg, .. } | DistError::NotPositive { arg, .. } => arg,
            DistError::NotOrdered { low, .. } => low,
            DistError::ModeOutside { .. } => Arg::Mode,
            DistError::PercentileNotPositive { .. } => Arg::P5,
            DistError::NoMass { .. } => Arg::Mean,
            DistError::NoValues | DistError::LengthMismatch { .. } => Arg::Values,
            DistError::NegativeWeight | DistError::ZeroWeights => Arg::Weights,
        }
    }
}

impl fmt::Display for DistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DistError::NotFinite { arg, value } => {
                write!(f, "`{arg}` must be a finite number, got {value}")
            }
            DistError::NotPositive { arg, value } => {
                write!(f, "`{arg}` must be positive, got {value}")
            }
            DistError::NotOrdered {
                low,
                low_value,
                high,
                high_value,
            } => write!(
                f,
                "`{low}` ({low_value}) must be less than `{high}` ({high_value})"
            ),
            DistError::ModeOutside { mode, min, max } => {
                write!(f, "`mode` ({mode}) must lie in [min, max] = [{min}, {max}]")
            }
            DistError::PercentileNotPositive { p5 } => {
                write!(f, "lognormal percentiles must be positive, got p5 = {p5}")
            }
            DistError::NoMass { mean, sd, min, max } => write!(
                f,
                "[{min}, {max}] holds almost no mass of normal({mean}, {sd}); widen it or move the mean"
            ),
            DistError::NoValues => f.write_str("`values` must not be empty"),
            DistError::LengthMismatch { values, weights } => write!(
                f,
                "`values` has {values} entries but `weights` has {weights}"
            ),
            DistError::NegativeWeight => f.write_str("`weights` must be non-negative"),
            DistError::ZeroWeights => f.write_str("`weights` must not all be zero"),
        }
    }
}

impl std::error::Error for DistError {}

fn finite(arg: Arg, value: f64) -> Result<f64, DistError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(DistError::NotFinite { arg, value })
    }
}

fn positive(arg: Arg, value: f64) -> Result<f64, DistError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(DistError::NotPositive { arg, value })
    }
}

fn less(low: (Arg, f64), high: (Arg, f64)) -> Result<(), DistError> {
    if low.1 < high.1 {
        Ok(())
    } else {
        Err(DistError::NotOrdered {
            low: low.0,
            low_value: low.1,
            high: high.0,
            high_value: high.1,
        })
    }
}

fn ordered(min: f64, max: f64) -> Result<(), DistError> {
    finite(Arg::Min, min)?;
    finite(Arg::Max, max)?;
    less((Arg::Min, min), (Arg::Max, max))
}

impl Distribution {
    /// A value that is not uncertain.
    pub fn fixed(value: f64) -> Result<Self, DistError> {
        Ok(Distribution::Fixed(finite(Arg::Value, value)?))
    }

    /// Normal with mean and standard deviation.
    pub fn normal(mean: f64, sd: f64) -> Result<Self, DistError> {
        finite(Arg::Mean, mean)?;
        positive(Arg::Sd, sd)?;
        Ok(Distribution::Normal { mean, sd })
    }

    /// Normal with the given 5th and 95th percentiles.
    pub fn normal_p5_p95(p5: f64, p95: f64) -> Result<Self, DistError> {
        less((Arg::P5, p5), (Arg::P95, p95))?;
        Self::normal((p5 + p95) / 2.0, (p95 - p5) / (2.0 * Z95))
    }

    /// Lognormal: the logarithm is normal with mean `mu` and standard deviation `sigma`.
    pub fn lognormal(mu: f64, sigma: f64) -> Result<Self, DistError> {
        finite(Arg::Mu, mu)?;
        positive(Arg::Sigma, sigma)?;
        Ok(Distribution::LogNormal { mu, sigma })
    }

    /// Lognormal with the given 5th and 95th percentiles (both > 0).
    pub fn lognormal_p5_p95(p5: f64, p95: f64) -> Result<Self, DistError> {
        if p5.is_nan() || p5 <= 0.0 {
            return Err(DistError::PercentileNotPositive { p5 });
        }
        less((Arg::P5, p5), (Arg::P95, p95))?;
        let (a, b) = (p5.ln(), p95.ln());
        Self::lognormal((a + b) / 2.0, (b - a) / (2.0 * Z95))
    }

    /// Uniform on [min, max].
    pub fn uniform(min: f64, max: f64) -> Result<Self, DistError> {
        ordered(min, max)?;
        Ok(Distribution::Uniform { min, max })
    }

    /// Triangular on [min, max] with its peak at `mode`.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Self, DistError> {
        ordered(min, max)?;
        if !(mode.is_finite() && min <= mode && mode <= max) {
            return Err(DistError::ModeOutside { mode, min, max });
        }
        Ok(Distribution::Triangular { min, mode, max })
    }

    /// Normal(mean, sd) restricted to [min, max].
    pub fn truncnormal(mean: f64, sd: f64, min: f64, max: f64) -> Result<Self, DistError> {
        Self::normal(mean, sd)?;
        ordered(min, max)?;
        let cdf_min = std_normal_cdf((min - mean) / sd);
        let cdf_max = std_normal_cdf((max - mean) / sd);
        let mass = cdf_max - cdf_min;
        if mass.is_nan() || mass <= 1e-12 {
            return Err(DistError::NoMass { mean, sd, min, max });
        }
        Ok(Distribution::TruncNormal {
            mean,
            sd,
            cdf_min,
            cdf_max,
            min,
            max,
        })
    }

    /// Beta(alpha, beta) scaled to [min, max].
    pub fn beta(alpha: f64, beta: f64, min: f64, max: f64) -> Result<Self, DistError> {
        positive(Arg::Alpha, alpha)?;
        positive(Arg::Beta, beta)?;
        ordered(min, max)?;
        // statrs accepts every finite positive pair of shapes, checked above.
        let b = StatrsBeta::new(alpha, beta).map_err(|_| DistError::NotPositive {
            arg: Arg::Alpha,
            value: alpha,
        })?;
        let mean = min + (max - min) * alpha / (alpha + beta);
        Ok(Distribution::Tabulated {
            mean,
            quantiles: tabulate(|u| min + (max - min) * b.inverse_cdf(u), min, max),
        })
    }

    /// Beta-PERT with shape `lambda` (4 is the classic PERT).
    pub fn pert(min: f64, mode: f64, max: f64, lambda: f64) -> Result<Self, DistError> {
        Self::triangular(min, mode, max)?;
        positive(Arg::Lambda, lambda)?;
        let r = max - min;
        Self::beta(
            1.0 + lambda * (mode - min) / r,
            1.0 + lambda * (max - mode) / r,
            min,
            max,
        )
    }

    /// Student t with `df` degrees of freedom, shifted to `loc` and scaled by `scale`.
    pub fn student_t(df: f64, loc: f64, scale: f64) -> Result<Self, DistError> {
        positive(Arg::Df, df)?;
        finite(Arg::Loc, loc)?;
        positive(Arg::Scale, scale)?;
        // statrs accepts every finite positive df, checked above.
        let t = StudentsT::new(0.0, 1.0, df).map_err(|_| DistError::NotPositive {
            arg: Arg::Df,
            value: df,
        })?;
        // The extreme table nodes are the 1/(2N) and 1 − 1/(2N) quantiles: t has no bounds.
        let edge = 0.5 / TABLE_INTERVALS as f64;
        let lo = loc + scale * t.inverse_cdf(edge);
        let hi = loc + scale * t.inverse_cdf(1.0 - edge);
        Ok(Distribution::Tabulated {
            mean: loc,
            quantiles: tabulate(
                |u| loc + scale * t.inverse_cdf(u.clamp(edge, 1.0 - edge)),
                lo,
                hi,
            ),
        })
    }

    /// `values[i]` with probability proportional to `weights[i]`.
    pub fn discrete(values: &[f64], weights: &[f64]) -> Result<Self, DistError> {
        if values.is_empty() {
            return Err(DistError::NoValues);
        }
        if values.len() != weights.len() {
            return Err(DistError::LengthMismatch {
                values: values.len(),
                weights: weights.len(),
            });
        }
        for &v in values {
            finite(Arg::Values, v)?;
        }
        if !weights.iter().all(|w| w.is_finite() && *w >= 0.0) {
            return Err(DistError::NegativeWeight);
        }
        let total: f64 = weights.iter().sum();
        if total.is_nan() || total <= 0.0 {
            return Err(DistError::ZeroWeights);
        }
        let mut acc = 0.0;
        let cumulative = weights
            .iter()
            .map(|w| {
                acc += w / total;
                acc
            })
            .collect();
        Ok(Distribution::Discrete {
            values: values.to_vec(),
            cumulative,
        })
    }

    /// Whether the value is fixed (not uncertain).
    pub fn is_fixed(&self) -> bool {
        matches!(self, Distribution::Fixed(_))
    }

    /// The mean of the distribution.
    pub fn mean(&self) -> f64 {
        match self {
            Distribution::Fixed(v) => *v,
            Distribution::Normal { mean, .. } => *mean,
            Distribution::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Distribution::Uniform { min, max } => (min + max) / 2.0,
            Distribution::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Distribution::TruncNormal {
                mean,
                sd,
                cdf_min,
                cdf_max,
                min,
                max,
            } => {
                let pdf = |x: f64| {
                    (-(x - mean) * (x - mean) / (2.0 * sd * sd)).exp()
                        / (sd * (2.0 * std::f64::consts::PI).sqrt())
                };
                mean + sd * sd * (pdf(*min) - pdf(*max)) / (cdf_max - cdf_min)
            }
            Distribution::Tabulated { mean, .. } => *mean,
            Distribution::Discrete { values, cumulative } => {
                let mut prev = 0.0;
                values
                    .iter()
                    .zip(cumulative)
                    .map(|(v, c)| {
                        let w = c - prev;
                        prev = *c;
                        v * w
                    })
                    .sum()
            }
        }
    }

    /// The value with CDF `u`, for `u` in (0, 1).
    #[inline]
    pub fn inverse_cdf(&self, u: f64) -> f64 {
        match self {
            Distribution::Fixed(v) => *v,
            Distribution::Normal { mean, sd } => mean + sd * std_normal_inv(u),
            Distribution::LogNormal { mu, sigma } => (mu + sigma * std_normal_inv(u)).exp(),
            Distribution::Uniform { min, max } => min + (max - min) * u,
            Distribution::Triangular { min, mode, max } => {
                let r = max - min;
                if u * r < mode - min {
                    min + (u * r * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * r * (max - mode)).sqrt()
                }
            }
            Distribution::TruncNormal {
                mean,
                sd,
                cdf_min,
                cdf_max,
                min,
                max,
            } => {
                let x = mean + sd * std_normal_inv(cdf_min + u * (cdf_max - cdf_min));
                x.clamp(*min, *max)
            }
            Distribution::Tabulated { quantiles, .. } => tabulated_quantile(quantiles, u),
            Distribution::Discrete { values, cumulative } => {
                let i = cumulative
                    .partition_point(|&c| c <= u)
                    .min(values.len() - 1);
                values[i]
            }
        }
    }
}

/// The quantile at `u` of a tabulated distribution: linear interpolation between the
/// table's evenly spaced nodes (what `inverse_cdf` does for `Tabulated`).
#[inline]
pub fn tabulated_quantile(quantiles: &[f64], u: f64) -> f64 {
    let x = u * (quantiles.len() - 1) as f64;
    let i = (x as usize).min(quantiles.len() - 2);
    let f = x - i as f64;
    quantiles[i] + f * (quantiles[i + 1] - quantiles[i])
}

/// The table node `tabulated_quantile(quantiles, u)` interpolates from (it also reads
/// the next one): lets a caller prefetch the table entries before it needs them.
#[inline]
pub fn tabulated_node(quantiles: &[f64], u: f64) -> usize {
    ((u * (quantiles.len() - 1) as f64) as usize).min(quantiles.len() - 2)
}

/// Quantile function at `TABLE_INTERVALS + 1` evenly spaced probabilities, ends pinned.
fn tabulate(q: impl Fn(f64) -> f64, lo: f64, hi: f64) -> Vec<f64> {
    let n = TABLE_INTERVALS;
    let mut out: Vec<f64> = (0..=n)
        .map(|i| match i {
            0 => lo,
            i if i == n => hi,
            i => q(i as f64 / n as f64),
        })
        .collect();
    // Keep the table monotone even where the numeric inverse wobbles.
    for i in 1..out.len() {
        if out[i] < out[i - 1] {
            out[i] = out[i - 1];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_reject_bad_arguments() {
        assert!(Distribution::normal(0.0, -1.0).is_err());
        assert!(Distribution::normal(f64::NAN, 1.0).is_err());
        assert!(Distribution::uniform(2.0, 1.0).is_err());
        assert!(Distribution::triangular(0.0, 2.0, 1.0).is_err());
        assert!(Distribution::pert(0.0, 0.5, 1.0, 0.0).is_err());
        assert!(Distribution::lognormal_p5_p95(-1.0, 2.0).is_err());
        assert!(Distribution::discrete(&[1.0], &[0.0]).is_err());
        assert!(Distribution::truncnormal(0.0, 1.0, 50.0, 60.0).is_err());
    }

    #[test]
    fn percentile_forms_hit_their_percentiles() {
        let d = Distribution::normal_p5_p95(0.05, 0.15).unwrap();
        assert!((d.inverse_cdf(0.05) - 0.05).abs() < 1e-12);
        assert!((d.inverse_cdf(0.95) - 0.15).abs() < 1e-12);
        let d = Distribution::lognormal_p5_p95(1.0, 4.0).unwrap();
        assert!((d.inverse_cdf(0.5) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn tabulated_beta_matches_closed_form_uniform() {
        // Beta(1,1) on [2, 6] is uniform: quantile 2 + 4u.
        let d = Distribution::beta(1.0, 1.0, 2.0, 6.0).unwrap();
        for &u in &[0.001, 0.3, 0.77, 0.999] {
            assert!((d.inverse_cdf(u) - (2.0 + 4.0 * u)).abs() < 1e-9);
        }
        assert_eq!(d.mean(), 4.0);
    }

    #[test]
    fn discrete_picks_by_cumulative_weight() {
        let d = Distribution::discrete(&[1.0, 2.0, 3.0], &[1.0, 2.0, 1.0]).unwrap();
        assert_eq!(d.inverse_cdf(0.2), 1.0);
        assert_eq!(d.inverse_cdf(0.5), 2.0);
        assert_eq!(d.inverse_cdf(0.9), 3.0);
        assert_eq!(d.mean(), 2.0);
    }
}
