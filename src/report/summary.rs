//! The result of a run as data: what `summary.json` holds and what charts are drawn from.
//!
//! Everything here is deterministic for a given scenario, seed and draw count: no
//! timings, paths or thread counts (those go to the manifest), so identical inputs give
//! identical bytes.

use super::pace::Pace;
use crate::model::{Comparator, Goal, Metric, Target};
use crate::sim::Sampler;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Top-level results of one run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    pub scenario: ScenarioInfo,
    pub draws: u64,
    pub seed: u64,
    pub sampler: Sampler,
    pub targets: Vec<TargetResult>,
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
}

/// An observation a run was conditioned on.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ObservedResult {
    pub id: String,
    /// The series (`solid_waste_use`, `energy/va` for an intensity).
    pub series: String,
    pub year: i32,
    pub value: f64,
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
    pub years: Vec<i32>,
    pub targets: Vec<BarometerTarget>,
}

/// One target's P(hit) as of each of the barometer's years.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BarometerTarget {
    pub id: String,
    pub binding: bool,
    pub p_hit: Vec<f64>,
    pub p_hit_ci95: Vec<[f64; 2]>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScenarioInfo {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub document: String,
    pub base_year: i32,
    pub horizon: i32,
    pub regions: Vec<Named>,
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
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub unit: String,
    /// The distribution as the file writes it, e.g. `pert(min = 0.6, mode = 0.9, max = 1)`.
    pub law: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Named {
    pub id: String,
    pub name: String,
    pub name_zh: String,
}

/// One plan target and, when it is modeled, its estimated probability of being hit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TargetResult {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub binding: bool,
    /// Whether the model represents the target.
    pub status: Status,
    /// Why the target is not modeled (unmodeled targets only).
    pub reason: Option<String>,
    pub metric: Metric,
    pub comparator: Comparator,
    pub target_value: f64,
    /// Half-width of the `about` band.
    pub band: Option<f64>,
    pub unit: String,
    pub horizon: i32,
    pub agency: Option<String>,
    /// Region the target belongs to (first region named in its series), if any.
    pub region: Option<String>,
    pub quote: String,
    /// The outcome at the baseline year (e.g. 0 for change metrics, the base level for `level`).
    pub baseline: Option<f64>,
    pub p_hit: Option<f64>,
    pub p_hit_ci95: Option<[f64; 2]>,
    /// Monte Carlo standard error of p_hit.
    pub p_hit_se: Option<f64>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub quantiles: Option<Quantiles>,
    /// Mean distance to the target among the draws that miss it (in outcome units).
    pub expected_shortfall: Option<f64>,
    pub histogram: Option<Histogram>,
    /// The annual pace the target requires against the pace its series' history
    /// records for the previous period (only where the scenario carries that history).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pace: Option<Pace>,
}

impl TargetResult {
    /// The goal the target's comparator, value and band describe (an `about` goal
    /// without a band has a band that is not a number).
    pub fn goal(&self) -> Goal {
        Goal::new(
            self.comparator,
            self.target_value,
            self.band.unwrap_or(f64::NAN),
        )
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
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Quantiles {
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

/// Fixed-bin histogram of an outcome: `counts[i]` draws fell in
/// `[lo + i·w, lo + (i+1)·w)`, `w = (hi − lo)/counts.len()`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Histogram {
    pub lo: f64,
    pub hi: f64,
    pub counts: Vec<u64>,
    pub underflow: u64,
    pub overflow: u64,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Joint {
    /// P(every modeled binding target is hit); None when there is none.
    pub all_binding: Option<Probability>,
    pub all_modeled: Option<Probability>,
    /// `k_missed[k]` = P(exactly k modeled targets missed).
    pub k_missed: Vec<f64>,
    /// Target ids in the order of the `miss_correlation` matrix.
    pub ids: Vec<String>,
    /// Pearson correlation of miss indicators (phi coefficient); NaN-free: 0 when undefined.
    pub miss_correlation: Vec<Vec<f64>>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Probability {
    pub p: f64,
    pub ci95: [f64; 2],
}

/// Per-year quantiles of one series.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Fan {
    pub series: String,
    pub name: String,
    pub name_zh: String,
    pub unit: String,
    pub years: Vec<i32>,
    pub p5: Vec<f64>,
    pub p25: Vec<f64>,
    pub p50: Vec<f64>,
    pub p75: Vec<f64>,
    pub p95: Vec<f64>,
    /// (year, value) points the document states.
    pub history: Vec<(i32, f64)>,
    /// Target levels on this series: (target id, year, level).
    pub targets: Vec<(String, i32, f64)>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Sensitivity {
    pub target: String,
    pub parameter: String,
    pub spearman: f64,
    pub first_order: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Convergence {
    pub draws: Vec<u64>,
    /// `p_hit[i][j]`: target `ids[i]` after `draws[j]` draws.
    pub ids: Vec<String>,
    pub p_hit: Vec<Vec<f64>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Conditional {
    pub condition: String,
    pub draws_meeting: u64,
    /// (target id, P(hit | condition)) for modeled targets; None when no draw met it.
    pub p_hit: Vec<(String, Option<f64>)>,
}
