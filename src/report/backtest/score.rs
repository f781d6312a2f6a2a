//! Proper scores of probability forecasts of yes/no events (was the target hit?):
//! the Brier score with its Murphy decomposition, the log score, and the reliability
//! bins a reliability diagram is drawn from.
//!
//! Conventions (lower is better for both scores):
//! - Brier score `BS = (1/N) Σ (pᵢ − oᵢ)²`, oᵢ ∈ {0, 1}.
//! - Murphy decomposition over `BINS` equal-width forecast bins:
//!   `BS = REL − RES + UNC + WBV − WBC`, where REL (reliability) and RES (resolution)
//!   compare each bin's mean forecast and observed frequency, UNC = ō(1 − ō), and the
//!   two within-bin terms (Stephenson, Coelho & Jolliffe 2008) make the identity exact
//!   when forecasts inside a bin differ; both are zero when they do not.
//! - Log score `−(1/N) Σ ln P(what happened)` in nats. A Monte Carlo P(hit) of exactly
//!   0 or 1 would make it infinite on a single surprise, although n draws only show
//!   that p lies within about 1/n of the edge; every probability is therefore clipped
//!   to `[c, 1 − c]` with `c = 1/(2n)` (half a draw), and the number of clipped
//!   forecasts is reported.

use serde::{Deserialize, Serialize};

/// Equal-width forecast bins of the decomposition and of the reliability diagram.
pub const BINS: usize = 10;

/// One forecast and what happened.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// Forecast probability of a hit.
    pub p: f64,
    /// Whether the target was hit.
    pub hit: bool,
}

impl Pair {
    fn outcome(self) -> f64 {
        if self.hit {
            1.0
        } else {
            0.0
        }
    }
}

/// One bin of a reliability diagram: forecasts in `[lo, hi)` (the last bin includes 1).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct ReliabilityBin {
    /// Lowest forecast of the bin.
    pub lo: f64,
    /// Upper end of the bin.
    pub hi: f64,
    /// Forecasts in the bin.
    pub count: u64,
    /// Mean forecast in the bin; None when the bin is empty.
    pub mean_forecast: Option<f64>,
    /// Share of the bin's events that happened; None when the bin is empty.
    pub observed_frequency: Option<f64>,
}

/// Brier score and its decomposition: `brier = reliability − resolution + uncertainty
/// + within_bin_variance − within_bin_covariance` (exactly, up to rounding).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Brier {
    /// Mean squared error of the forecasts.
    pub brier: f64,
    /// Reliability (calibration) term: lower is better.
    pub reliability: f64,
    /// Resolution term: higher is better.
    pub resolution: f64,
    /// Uncertainty term: the variance of the outcomes.
    pub uncertainty: f64,
    /// Within-bin variance of the forecasts (exactness term).
    pub within_bin_variance: f64,
    /// Within-bin covariance of forecasts and outcomes (exactness term).
    pub within_bin_covariance: f64,
}

/// Log score of a set of forecasts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct LogScore {
    /// −mean ln P(outcome), nats, after clipping.
    pub log_score: f64,
    /// The clipping constant c: probabilities were moved into [c, 1 − c].
    pub clip: f64,
    /// How many forecasts lay outside [c, 1 − c] and were moved.
    pub clipped: u64,
}

/// Index of the bin `p` falls in.
fn bin_of(p: f64) -> usize {
    ((p * BINS as f64) as usize).min(BINS - 1)
}

/// The reliability bins of `pairs`.
pub fn reliability_bins(pairs: &[Pair]) -> Vec<ReliabilityBin> {
    let mut count = [0u64; BINS];
    let mut sum_p = [0.0; BINS];
    let mut sum_o = [0.0; BINS];
    for q in pairs {
        let b = bin_of(q.p);
        count[b] += 1;
        sum_p[b] += q.p;
        sum_o[b] += q.outcome();
    }
    (0..BINS)
        .map(|b| {
            let n = count[b] as f64;
            ReliabilityBin {
                lo: b as f64 / BINS as f64,
                hi: (b + 1) as f64 / BINS as f64,
                count: count[b],
                mean_forecast: (count[b] > 0).then(|| sum_p[b] / n),
                observed_frequency: (count[b] > 0).then(|| sum_o[b] / n),
            }
        })
        .collect()
}

/// Brier score of `pairs` and its decomposition over [`BINS`] bins. NaN fields when
/// `pairs` is empty.
pub fn brier(pairs: &[Pair]) -> Brier {
    let n = pairs.len() as f64;
    let bs = pairs
        .iter()
        .map(|q| (q.p - q.outcome()).powi(2))
        .sum::<f64>()
        / n;
    let base = pairs.iter().map(|q| q.outcome()).sum::<f64>() / n;
    let bins = reliability_bins(pairs);
    let (mut rel, mut res, mut wbv, mut wbc) = (0.0, 0.0, 0.0, 0.0);
    for (b, bin) in bins.iter().enumerate() {
        let (Some(f), Some(o)) = (bin.mean_forecast, bin.observed_frequency) else {
            continue;
        };
        let nk = bin.count as f64;
        rel += nk * (f - o).powi(2);
        res += nk * (o - base).powi(2);
        for q in pairs.iter().filter(|q| bin_of(q.p) == b) {
            wbv += (q.p - f).powi(2);
            wbc += 2.0 * (q.p - f) * (q.outcome() - o);
        }
    }
    Brier {
        brier: bs,
        reliability: rel / n,
        resolution: res / n,
        uncertainty: base * (1.0 - base),
        within_bin_variance: wbv / n,
        within_bin_covariance: wbc / n,
    }
}

/// Log score of `pairs` with probabilities clipped to `[clip, 1 − clip]`.
pub fn log_score(pairs: &[Pair], clip: f64) -> LogScore {
    let mut clipped = 0;
    let total: f64 = pairs
        .iter()
        .map(|q| {
            let p = if q.p < clip || q.p > 1.0 - clip {
                clipped += 1;
                q.p.clamp(clip, 1.0 - clip)
            } else {
                q.p
            };
            -(if q.hit { p } else { 1.0 - p }).ln()
        })
        .sum();
    LogScore {
        log_score: total / pairs.len() as f64,
        clip,
        clipped,
    }
}

/// The clipping constant for probabilities estimated from `draws` draws: half a draw.
pub fn clip_for(draws: u64) -> f64 {
    0.5 / draws.max(1) as f64
}

/// Scores of one set of forecasts (the model's, or a reference's).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Scores {
    /// What was scored: `model`, `coin_flip`, `plan_always_met`, `base_rate`.
    pub forecast: String,
    /// The constant probability of a reference forecast.
    pub p: Option<f64>,
    /// Brier score and its decomposition.
    pub brier: Brier,
    /// Log score.
    pub log: LogScore,
    /// Brier skill score against the coin flip, 1 − BS / 0.25 (None for the coin flip).
    pub brier_skill_vs_coin_flip: Option<f64>,
}

fn scores(name: &str, p: Option<f64>, pairs: &[Pair], clip: f64) -> Scores {
    let b = brier(pairs);
    Scores {
        forecast: name.into(),
        p,
        brier: b,
        log: log_score(pairs, clip),
        brier_skill_vs_coin_flip: (name != "coin_flip").then(|| 1.0 - b.brier / 0.25),
    }
}

/// The model's scores followed by those of the reference forecasts on the same events:
/// a coin flip (0.5), "the plan is always met" (1.0) and the base rate (the share of
/// the listed targets that were hit — known only after the fact, so it flatters
/// itself). All use the same clipping.
pub fn score_all(pairs: &[Pair], clip: f64) -> Vec<Scores> {
    let base = pairs.iter().filter(|q| q.hit).count() as f64 / pairs.len().max(1) as f64;
    let constant = |p: f64| -> Vec<Pair> { pairs.iter().map(|q| Pair { p, hit: q.hit }).collect() };
    vec![
        scores("model", None, pairs, clip),
        scores("coin_flip", Some(0.5), &constant(0.5), clip),
        scores("plan_always_met", Some(1.0), &constant(1.0), clip),
        scores("base_rate", Some(base), &constant(base), clip),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(f64, bool)]) -> Vec<Pair> {
        v.iter().map(|&(p, hit)| Pair { p, hit }).collect()
    }

    #[test]
    fn brier_of_hand_computed_cases() {
        // (0.9−1)² + (0.2−0)² + (0.6−0)² = 0.01 + 0.04 + 0.36 = 0.41 → 0.41/3.
        let b = brier(&pairs(&[(0.9, true), (0.2, false), (0.6, false)]));
        assert!((b.brier - 0.41 / 3.0).abs() < 1e-15);
        // A perfect forecaster scores 0; always 0.5 scores 0.25.
        assert_eq!(brier(&pairs(&[(1.0, true), (0.0, false)])).brier, 0.0);
        assert_eq!(brier(&pairs(&[(0.5, true), (0.5, false)])).brier, 0.25);
    }

    #[test]
    fn decomposition_is_exact() {
        // Forecasts spread inside bins, so the within-bin terms are non-zero.
        let v: Vec<(f64, bool)> = (0..200)
            .map(|i| {
                let p = (i as f64 * 0.618_034).fract();
                (p, (i * 7919 % 100) as f64 / 100.0 < p)
            })
            .collect();
        let b = brier(&pairs(&v));
        let sum = b.reliability - b.resolution + b.uncertainty + b.within_bin_variance
            - b.within_bin_covariance;
        assert!((b.brier - sum).abs() < 1e-12, "{b:?}");
        assert!(b.within_bin_variance > 0.0);
    }

    #[test]
    fn murphy_terms_of_a_binned_case() {
        // Two bins: forecasts 0.05 (4 events, 1 hit) and 0.85 (4 events, 3 hits).
        let v = pairs(&[
            (0.05, true),
            (0.05, false),
            (0.05, false),
            (0.05, false),
            (0.85, true),
            (0.85, true),
            (0.85, true),
            (0.85, false),
        ]);
        let b = brier(&v);
        // ō = 0.5; REL = (4·0.2² + 4·0.1²)/8 = 0.025; RES = (4·0.25² + 4·0.25²)/8 = 0.0625.
        assert!((b.uncertainty - 0.25).abs() < 1e-15);
        assert!((b.reliability - 0.025).abs() < 1e-15);
        assert!((b.resolution - 0.0625).abs() < 1e-15);
        assert!(b.within_bin_variance.abs() < 1e-15 && b.within_bin_covariance.abs() < 1e-15);
        assert!((b.brier - (0.025 - 0.0625 + 0.25)).abs() < 1e-15);
    }

    #[test]
    fn log_score_clips_certain_forecasts() {
        let clip = clip_for(1000);
        assert_eq!(clip, 0.0005);
        let s = log_score(&pairs(&[(0.0, true), (0.5, false)]), clip);
        assert_eq!(s.clipped, 1);
        assert!((s.log_score - (-(0.0005f64).ln() + 2f64.ln()) / 2.0).abs() < 1e-12);
        // Coin flip: ln 2 whatever happens.
        let c = log_score(&pairs(&[(0.5, true), (0.5, false)]), clip);
        assert!((c.log_score - 2f64.ln()).abs() < 1e-15 && c.clipped == 0);
    }

    #[test]
    fn references_score_as_expected() {
        let v = pairs(&[(0.9, true), (0.8, true), (0.3, false), (0.6, false)]);
        let all = score_all(&v, clip_for(100));
        assert_eq!(all.len(), 4);
        assert_eq!(all[1].forecast, "coin_flip");
        assert!((all[1].brier.brier - 0.25).abs() < 1e-15);
        // Always 1.0: a miss costs 1 each; half of them missed.
        assert!((all[2].brier.brier - 0.5).abs() < 1e-15);
        assert_eq!(all[2].log.clipped, 4);
        // Base rate 0.5 here, so it scores as the coin flip.
        assert_eq!(all[3].p, Some(0.5));
        assert!((all[3].brier.brier - 0.25).abs() < 1e-15);
        let model = &all[0];
        assert!(model.brier_skill_vs_coin_flip.unwrap() > 0.0);
    }

    #[test]
    fn reliability_bins_put_one_in_the_last_bin() {
        let bins = reliability_bins(&pairs(&[(1.0, true), (0.0, false), (0.95, false)]));
        assert_eq!(bins.len(), BINS);
        assert_eq!(bins[9].count, 2);
        assert_eq!(bins[0].count, 1);
        assert_eq!(bins[9].observed_frequency, Some(0.5));
        assert_eq!(bins[5].mean_forecast, None);
    }
}
