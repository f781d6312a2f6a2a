//! The result of a run as data: what `summary.json` holds and what charts are drawn from.
//!
//! Everything here is deterministic for a given scenario, seed and draw count: no
//! timings, paths or thread counts (those go to the manifest), so identical inputs give
//! identical bytes.

use super::pace::Pace;
use crate::model::{Comparator, Direction, Goal, Metric, Target, Undefined};
use crate::sim::Sampler;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Top-level results of one run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    /// The scenario run.
    pub scenario: ScenarioInfo,
    /// Draws made.
    pub draws: u64,
    /// Seed.
    pub seed: u64,
    /// Sampler.
    pub sampler: Sampler,
    /// Every target, modeled or not, in the document's order.
    pub targets: Vec<TargetResult>,
    /// Joint risk of the modeled targets.
    pub joint: Joint,
    /// Per-year quantile bands of the main series, for fan charts.
    pub fans: Vec<Fan>,
    /// Draws the fan quantiles are estimated from (the leading ones).
    pub fan_draws: u64,
    /// Per target and parameter: rank correlation and first-order variance share.
    pub sensitivity: Vec<Sensitivity>,
    /// Draws the Spearman correlations are estimated from (the leading ones); first-order
    /// indices use every draw.
    pub rank_draws: u64,
    /// Running P(hit) at geometrically spaced draw counts.
    pub convergence: Convergence,
    /// P(hit | condition) when the run was given `--given` conditions.
    pub conditional: Vec<Conditional>,
    /// The observations the run was conditioned on (none: the key is absent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observed: Vec<ObservedResult>,
    /// P(hit) as of each year from the base year to the last observation used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barometer: Option<Barometer>,
    /// What each policy response did (scenarios with `[[response]]` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<ResponseResult>,
}

/// An observation a run was conditioned on.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ObservedResult {
    /// Identifier of the observation.
    pub id: String,
    /// The series (`solid_waste_use`, `energy/va` for an intensity).
    pub series: String,
    /// The year observed.
    pub year: i32,
    /// The value observed.
    pub value: f64,
    /// Where it comes from (a verbatim quote or an assumption).
    pub source: String,
    /// Share of the draws conditioned on the earlier observations whose simulated value
    /// in that year was at or below the observation: how surprising it was to the model
    /// (None when the series has no fan to read it from).
    pub prior_percentile: Option<f64>,
}

/// P(hit) of every modeled target as of each year: with the observations up to that
/// year, same seed and draws (so the changes come from the observations, not noise).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Barometer {
    /// The as-of years, base year first.
    pub years: Vec<i32>,
    /// Every modeled target's P(hit) as of each year.
    pub targets: Vec<BarometerTarget>,
}

/// One target's P(hit) as of each of the barometer's years.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BarometerTarget {
    /// Target id.
    pub id: String,
    /// Binding (约束性).
    pub binding: bool,
    /// P(hit) as of each year.
    pub p_hit: Vec<f64>,
    /// Its 95% interval as of each year.
    pub p_hit_ci95: Vec<[f64; 2]>,
}

/// The scenario a result is of.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScenarioInfo {
    /// Scenario id.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
    /// The plan document.
    pub document: String,
    /// The last year before the plan.
    pub base_year: i32,
    /// The last simulated year.
    pub horizon: i32,
    /// The regions.
    pub regions: Vec<Named>,
    /// The sectors.
    pub sectors: Vec<Named>,
    /// Every parameter as the scenario states it, with its source, so that a report can
    /// show what drives a target and where each assumption comes from. Absent in
    /// summaries written before it was added.
    #[serde(default)]
    pub parameters: Vec<ParamInfo>,
    /// Whether the run drew the parameters' inside-view priors (`--inside-view`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inside_view: bool,
}

/// A parameter of the scenario: names, unit, distribution as written, and source.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ParamInfo {
    /// Parameter id.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
    /// Unit code.
    pub unit: String,
    /// The distribution as the file writes it, e.g. `pert(min = 0.6, mode = 0.9, max = 1)`.
    pub law: String,
    /// Where its numbers come from.
    pub source: String,
}

/// An id with names in both languages.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Named {
    /// Identifier.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
}

/// One plan target and, when it is modeled, its estimated probability of being hit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TargetResult {
    /// Target id.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
    /// Binding (约束性) rather than expected (预期性).
    pub binding: bool,
    /// Whether the model represents the target.
    pub status: Status,
    /// Why the target is not modeled (unmodeled targets only).
    pub reason: Option<String>,
    /// What the outcome measures.
    pub metric: Metric,
    /// How the outcome is compared with the target value.
    pub comparator: Comparator,
    /// The plan's number.
    pub target_value: f64,
    /// Half-width of the band of an `about` or `range` target.
    pub band: Option<f64>,
    /// The direction a 左右 (`about`) target wants: an outcome beyond the band that way
    /// counts as met. Absent for other comparators (and in results written before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wanted: Option<Direction>,
    /// Unit code.
    pub unit: String,
    /// The year the target is for.
    pub horizon: i32,
    /// The lead agency (牵头单位), if the plan names one.
    pub agency: Option<String>,
    /// Region the target belongs to (first region named in its series), if any.
    pub region: Option<String>,
    /// The document's verbatim words.
    pub quote: String,
    /// The outcome at the baseline year (e.g. 0 for change metrics, the base level for `level`).
    pub baseline: Option<f64>,
    /// Estimated probability of hitting the target.
    pub p_hit: Option<f64>,
    /// Its Wilson 95% interval.
    pub p_hit_ci95: Option<[f64; 2]>,
    /// Monte Carlo standard error of p_hit.
    pub p_hit_se: Option<f64>,
    /// Mean outcome.
    pub mean: Option<f64>,
    /// Standard deviation of the outcome.
    pub sd: Option<f64>,
    /// Quantiles of the outcome.
    pub quantiles: Option<Quantiles>,
    /// Mean distance to the target among the draws that miss it (in outcome units).
    pub expected_shortfall: Option<f64>,
    /// Histogram of the outcome.
    pub histogram: Option<Histogram>,
    /// Draws whose outcome was undefined (not a finite number: a change from a zero
    /// baseline, 0/0, an overflow); modeled targets only. Mean, quantiles and histogram
    /// are of the other draws.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined_draws: Option<u64>,
    /// How the scenario scores undefined draws (`miss`, `hit`); absent when it does not
    /// say, and then a target with undefined draws is `unscored`, without P(hit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined: Option<Undefined>,
    /// The annual pace the target requires against the pace its series' history
    /// records for the previous period (only where the scenario carries that history).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pace: Option<Pace>,
    /// P(hit) without the policy responses (modeled targets of scenarios with responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforcement: Option<Enforcement>,
}

/// How much a target's P(hit) rests on the policy responses.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Enforcement {
    /// P(hit) in the same draws with no response acting.
    pub p_hit_without: f64,
    /// Its 95% interval.
    pub p_hit_without_ci95: [f64; 2],
    /// (P(hit) − P(hit) without) / P(hit): the share of P(hit) owed to the responses
    /// (None when P(hit) is 0).
    pub share: Option<f64>,
    /// P(hit) ≥ 0.5 with the responses and < 0.5 without: met only if enforced.
    pub met_only_if_enforced: bool,
    /// Ids of the responses that watch this target.
    pub responses: Vec<String>,
}

/// One policy response over the run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ResponseResult {
    /// The response's id in the scenario.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name.
    pub name_zh: String,
    /// The watched target's id.
    pub watch: String,
    /// P(the response fires at least once).
    pub p_triggered: Probability,
    /// P(its cap cuts the effort at some trigger).
    pub p_capped: f64,
    /// (year, P(it first fires at the end of that year)).
    pub first_trigger: Vec<(i32, f64)>,
    /// Mean extra annual pace of the watched quantity in force at the end, over all
    /// draws (percentage points per year for relative targets, else target units per
    /// year), and over the draws in which it fired.
    pub mean_extra_effort: f64,
    /// Mean extra effort over the draws in which it fired (None when it never fired).
    pub mean_extra_effort_if_triggered: Option<f64>,
    /// Unit of the efforts (percentage points a year for relative targets, else the target's unit a year).
    pub effort_unit: String,
}

impl TargetResult {
    /// The target as the plan states it, with no estimates: the whole result of an
    /// unmodeled target, and what a run adds a modeled target's estimates to.
    pub fn stated(target: &Target) -> TargetResult {
        TargetResult {
            id: target.id.clone(),
            name: target.name.clone(),
            name_zh: target.name_zh.clone(),
            binding: target.binding,
            status: Status::of(target),
            reason: target.reason.clone(),
            metric: target.metric,
            comparator: target.goal.comparator(),
            target_value: target.goal.value(),
            band: target.goal.band(),
            wanted: (target.goal.comparator() == Comparator::About)
                .then(|| target.goal.wanted())
                .flatten(),
            unit: target.unit.clone(),
            horizon: target.horizon,
            agency: target.agency.clone(),
            region: target.region.clone(),
            quote: target.quote.clone(),
            baseline: None,
            p_hit: None,
            p_hit_ci95: None,
            p_hit_se: None,
            mean: None,
            sd: None,
            quantiles: None,
            expected_shortfall: None,
            histogram: None,
            undefined_draws: None,
            undefined: None,
            pace: None,
            enforcement: None,
        }
    }

    /// The goal the target's comparator, value and band describe (an `about` goal
    /// without a band has a band that is not a number).
    pub fn goal(&self) -> Goal {
        Goal::new(
            self.comparator,
            self.target_value,
            self.band.unwrap_or(f64::NAN),
            self.wanted,
        )
        .scoring_undefined(self.undefined.unwrap_or_default())
    }

    /// Whether the model represents the target (it then has a probability).
    pub fn is_modeled(&self) -> bool {
        self.status == Status::Modeled
    }
}

/// Whether a target is assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The model represents the target: it has a probability and a distribution.
    Modeled,
    /// Listed with the reason the model cannot represent it.
    Unmodeled,
    /// Modeled, but some draws' outcome is undefined and the scenario does not say how
    /// to score them (`undefined = "miss"`): no P(hit), the reason says why.
    Unscored,
}

impl Status {
    /// Whether the model represents `t`.
    pub fn of(t: &Target) -> Status {
        if t.eval.is_some() {
            Status::Modeled
        } else {
            Status::Unmodeled
        }
    }

    /// As summary.json writes it: `modeled`, `unmodeled`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Modeled => "modeled",
            Status::Unmodeled => "unmodeled",
            Status::Unscored => "unscored",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Quantiles of an outcome.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Quantiles {
    /// 5th percentile.
    pub p5: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// Fixed-bin histogram of an outcome: `counts[i]` draws fell in
/// `[lo + i·w, lo + (i+1)·w)`, `w = (hi − lo)/counts.len()`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Histogram {
    /// Lower end of the binned range.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Draws per bin.
    pub counts: Vec<u64>,
    /// Draws below the range.
    pub underflow: u64,
    /// Draws above the range.
    pub overflow: u64,
    /// Smallest outcome.
    pub min: f64,
    /// Largest outcome.
    pub max: f64,
}

impl Histogram {
    /// Fraction of a histogram's draws at or below `x`, interpolated linearly inside bins
    /// and in the under/overflow ranges (between the extremes and the histogram's ends).
    pub fn cdf(&self, x: f64) -> f64 {
        let h = self;
        let total = (h.underflow + h.overflow + h.counts.iter().sum::<u64>()).max(1) as f64;
        if x < h.min {
            return 0.0;
        }
        if x >= h.max {
            return 1.0;
        }
        let part = |count: u64, a: f64, b: f64| -> f64 {
            if x >= b || b <= a {
                count as f64
            } else if x <= a {
                0.0
            } else {
                count as f64 * (x - a) / (b - a)
            }
        };
        let mut below = part(h.underflow, h.min, h.lo.min(h.max));
        let w = (h.hi - h.lo) / h.counts.len().max(1) as f64;
        for (i, &c) in h.counts.iter().enumerate() {
            let a = h.lo + i as f64 * w;
            below += part(c, a.max(h.min), (a + w).min(h.max));
        }
        below += part(h.overflow, h.hi.max(h.min), h.max);
        (below / total).clamp(0.0, 1.0)
    }
}

/// Joint risk of the modeled targets.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Joint {
    /// P(every modeled binding target is hit); None when there is none.
    pub all_binding: Option<Probability>,
    /// P(every modeled target is hit); None when there is none.
    pub all_modeled: Option<Probability>,
    /// `k_missed[k]` = P(exactly k modeled targets missed).
    pub k_missed: Vec<f64>,
    /// Pairs of modeled targets and how their misses go together, strongest first;
    /// which pairs are kept (linear in the number of targets) is said in `report::pairs`.
    #[serde(default)]
    pub miss_pairs: Vec<MissPair>,
}

/// Two targets' misses: P(both missed) and the Pearson correlation of the miss
/// indicators (phi coefficient; 0 when undefined).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MissPair {
    /// One target's id.
    pub a: String,
    /// The other's (after `a` in target order).
    pub b: String,
    /// P(both are missed).
    pub p_both_missed: f64,
    /// Correlation of their miss indicators.
    pub correlation: f64,
}

/// A probability with its Wilson 95% interval.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Probability {
    /// The estimate.
    pub p: f64,
    /// Its 95% interval.
    pub ci95: [f64; 2],
}

/// Per-year quantiles of one series.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Fan {
    /// The series' key.
    pub series: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
    /// Unit code.
    pub unit: String,
    /// The years, base year first.
    pub years: Vec<i32>,
    /// 5th percentile per year.
    pub p5: Vec<f64>,
    /// 25th percentile per year.
    pub p25: Vec<f64>,
    /// Median per year.
    pub p50: Vec<f64>,
    /// 75th percentile per year.
    pub p75: Vec<f64>,
    /// 95th percentile per year.
    pub p95: Vec<f64>,
    /// (year, value) points the document states.
    pub history: Vec<(i32, f64)>,
    /// Target levels on this series: (target id, year, level).
    pub targets: Vec<(String, i32, f64)>,
}

/// How strongly a parameter drives a target.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Sensitivity {
    /// Target id.
    pub target: String,
    /// Parameter id.
    pub parameter: String,
    /// Spearman rank correlation of parameter and outcome.
    pub spearman: f64,
    /// First-order (correlation-ratio) share of the outcome's variance.
    pub first_order: f64,
}

/// Running P(hit) of every modeled target as draws accumulate.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Convergence {
    /// The draw counts recorded.
    pub draws: Vec<u64>,
    /// `p_hit[i][j]`: target `ids[i]` after `draws[j]` draws.
    pub ids: Vec<String>,
    /// `p_hit[i][j]`: target `ids[i]` after `draws[j]` draws.
    pub p_hit: Vec<Vec<f64>>,
}

/// P(hit) given a `--given` condition.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Conditional {
    /// The condition as written.
    pub condition: String,
    /// Draws that met it.
    pub draws_meeting: u64,
    /// (target id, P(hit | condition)) for modeled targets; None when no draw met it.
    pub p_hit: Vec<(String, Option<f64>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdf_interpolates_inside_bins_and_tails() {
        let h = Histogram {
            lo: 0.0,
            hi: 10.0,
            counts: vec![10, 20, 30, 20, 10],
            underflow: 5,
            overflow: 5,
            min: -1.0,
            max: 12.0,
        };
        assert_eq!(h.cdf(-2.0), 0.0);
        assert_eq!(h.cdf(12.0), 1.0);
        assert!((h.cdf(0.0) - 5.0 / 100.0).abs() < 1e-12);
        assert!((h.cdf(5.0) - 50.0 / 100.0).abs() < 1e-12);
        assert!((h.cdf(3.0) - (5.0 + 10.0 + 10.0) / 100.0).abs() < 1e-12);
        assert!((h.cdf(11.0) - 97.5 / 100.0).abs() < 1e-12);
    }
}
