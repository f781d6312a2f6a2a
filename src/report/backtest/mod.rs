//! Back-testing: a run's P(hit) scored against what happened. Each realized outcome
//! is judged hit or miss by its target's own comparator; the forecasts are scored by
//! the Brier score (with its Murphy decomposition) and the log score, beside the
//! coin-flip, "plan always met" and base-rate references; each realized value is also
//! placed in its forecast outcome distribution (its percentile, the probability
//! integral transform).

mod csv;
pub mod outcomes;
pub mod score;

use super::summary::{Quantiles, ScenarioInfo, Summary, TargetResult};
use crate::ix::TargetIx;
use crate::model::{Comparator, Model};
use outcomes::Outcome;
use score::{clip_for, reliability_bins, score_all, Pair, ReliabilityBin, Scores};
use serde::{Deserialize, Serialize};

/// Below this many scored targets the scores are anecdote, and the result says so.
pub const FEW_TARGETS: usize = 10;

/// A back-test of one run against a file of realized outcomes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Backtest {
    /// The scenario the forecasts are of.
    pub scenario: ScenarioInfo,
    /// The year the forecasts were made as of (observations up to it were used).
    pub as_of: i32,
    /// Draws behind the forecasts.
    pub draws: u64,
    /// Seed of the forecasts.
    pub seed: u64,
    /// The outcomes file, as named on the command line.
    pub outcomes_file: String,
    /// Every scored target, in the outcomes file's order.
    pub targets: Vec<BacktestTarget>,
    /// Modeled targets the outcomes file does not list (not scored).
    pub not_listed: Vec<String>,
    /// The model's scores first, then the references'.
    pub scores: Vec<Scores>,
    /// The model's reliability diagram.
    pub reliability: Vec<ReliabilityBin>,
    /// A caution about the result (e.g. too few targets to judge calibration).
    pub caution: Option<String>,
}

/// One scored target.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BacktestTarget {
    /// Target id.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
    /// Binding (约束性).
    pub binding: bool,
    /// How the outcome is compared.
    pub comparator: Comparator,
    /// The plan's number.
    pub target_value: f64,
    /// Half-width of an `about` target's range.
    pub band: Option<f64>,
    /// Unit code.
    pub unit: String,
    /// The forecast P(hit).
    pub p_hit: f64,
    /// Its 95% interval.
    pub p_hit_ci95: [f64; 2],
    /// The realized outcome.
    pub realized: f64,
    /// Whether the realized outcome hits the target.
    pub hit: bool,
    /// Share of the forecast outcome distribution at or below the realized value.
    pub percentile: f64,
    /// The forecast outcome distribution's quantiles (for the strip chart).
    pub quantiles: Quantiles,
    /// Where the realized value comes from.
    pub source: String,
    /// Line of the outcomes file.
    pub line: usize,
}

/// Scores the run summarized in `summary` (of `model`, as of `as_of`) against
/// `outcomes`, read from `outcomes_file`.
pub fn backtest(
    model: &Model,
    summary: &Summary,
    outcomes: &[Outcome],
    as_of: i32,
    outcomes_file: &str,
) -> Backtest {
    // summary.json lists every target in model order.
    let result = |t: TargetIx| -> &TargetResult { &summary.targets[t.0] };
    let targets: Vec<BacktestTarget> = outcomes
        .iter()
        .filter_map(|o| scored(model, result(o.target), o))
        .collect();
    let pairs: Vec<Pair> = targets
        .iter()
        .map(|t| Pair {
            p: t.p_hit,
            hit: t.hit,
        })
        .collect();
    let not_listed = model
        .modeled_targets()
        .filter(|(t, _)| !outcomes.iter().any(|o| o.target == *t))
        .map(|(_, t)| t.id.clone())
        .collect();
    let caution = (pairs.len() < FEW_TARGETS).then(|| {
        format!(
            "only {} target(s) scored: the scores describe these cases, they cannot show whether the probabilities are calibrated (that needs dozens of targets)",
            pairs.len()
        )
    });
    Backtest {
        scenario: summary.scenario.clone(),
        as_of,
        draws: summary.draws,
        seed: summary.seed,
        outcomes_file: outcomes_file.into(),
        targets,
        not_listed,
        scores: score_all(&pairs, clip_for(summary.draws)),
        reliability: reliability_bins(&pairs),
        caution,
    }
}

/// One target's forecast against its outcome; None only if the summary has no
/// probability for a target the model says is modeled (which the caller ruled out).
fn scored(model: &Model, r: &TargetResult, o: &Outcome) -> Option<BacktestTarget> {
    let target = &model.targets[o.target];
    let (p, ci, q, h) = (r.p_hit?, r.p_hit_ci95?, r.quantiles?, r.histogram.as_ref()?);
    Some(BacktestTarget {
        id: r.id.clone(),
        name: r.name.clone(),
        name_zh: r.name_zh.clone(),
        binding: r.binding,
        comparator: r.comparator,
        target_value: r.target_value,
        band: r.band,
        unit: r.unit.clone(),
        p_hit: p,
        p_hit_ci95: ci,
        realized: o.value,
        hit: target.goal.hit(o.value),
        percentile: h.cdf(o.value),
        quantiles: q,
        source: o.source.clone(),
        line: o.line,
    })
}
