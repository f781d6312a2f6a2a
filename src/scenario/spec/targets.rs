//! `[[targets]]`: the plan's targets, how each outcome is computed from its series and
//! compared with the plan's number, and whether the model represents it.

use serde::Deserialize;

/// How a target's outcome is computed from its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Compound annual growth in percent (`cagr`).
    Cagr,
    /// Change in percent (`change_pct`).
    ChangePct,
    /// Value at the horizon (`level`).
    Level,
    /// Value at the horizon, a share in percent (`share`).
    Share,
    /// Change in percentage points (`change_pp`).
    ChangePp,
    /// Sum over the years after the baseline (`cumulative`).
    Cumulative,
    /// Ratio to the baseline value (`multiple`).
    Multiple,
}

/// How the outcome is compared with the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// At least the value (`at_least`).
    AtLeast,
    /// At most the value (`at_most`).
    AtMost,
    /// 左右: within `band` of the value or beyond it in the `wanted` direction
    /// (`about`).
    About,
    /// Two-sided: within `band` of the value (`range`).
    Range,
}

/// The direction a 左右 target wants its outcome to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wanted {
    /// More is better (`up`).
    Up,
    /// Less is better (`down`).
    Down,
}

/// How a target scores a draw whose outcome is undefined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UndefinedScore {
    /// As a miss (`miss`).
    Miss,
    /// As a hit (`hit`).
    Hit,
}

/// Whether the model represents a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Represented: the run estimates its probability.
    #[default]
    Modeled,
    /// Listed with the reason the model cannot represent it.
    Unmodeled,
}

/// One target of the plan.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// Identifier, unique among targets.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    #[serde(default)]
    pub name_zh: String,
    /// Modeled (default) or unmodeled.
    #[serde(default)]
    pub status: Status,
    /// Why an unmodeled target is not modeled.
    #[serde(default)]
    pub reason: Option<String>,
    /// The series it is measured on.
    #[serde(default)]
    pub series: Option<String>,
    /// A denominator series: the target is on `series / per`.
    #[serde(default)]
    pub per: Option<String>,
    /// How the outcome is computed.
    pub metric: Metric,
    /// How the outcome is compared with `value`.
    pub comparator: Comparator,
    /// The plan's number.
    pub value: f64,
    /// Half-width of the band of an `about` or `range` target.
    #[serde(default)]
    pub band: Option<f64>,
    /// For `about`: the direction beyond the band that still counts as met.
    #[serde(default)]
    pub wanted: Option<Wanted>,
    /// How a draw whose outcome is undefined (a change from a zero baseline, 0/0, an
    /// overflow) is scored: `miss` or `hit`; when not given such draws are not scored
    /// and a target with any gets no P(hit).
    #[serde(default)]
    pub undefined: Option<UndefinedScore>,
    /// The year it is for (the scenario's horizon when not given).
    #[serde(default)]
    pub horizon: Option<i32>,
    /// The year it is measured from (the base year when not given).
    #[serde(default)]
    pub from: Option<i32>,
    /// Binding (约束性) rather than expected (预期性).
    #[serde(default)]
    pub binding: bool,
    /// The lead agency (牵头单位) the plan names.
    #[serde(default)]
    pub agency: Option<String>,
    /// Unit code (`100m_yuan`, `percent`, …).
    #[serde(default)]
    pub unit: String,
    /// The document's verbatim words for the target.
    #[serde(default)]
    pub quote: String,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    #[serde(default)]
    pub source: String,
}
