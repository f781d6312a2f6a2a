//! What a target asks of its outcome: the metric the outcome is measured in and the
//! goal it is compared with (`≥ 8`, `≤ -16`, `-21 ± 2`). These are the model's own
//! types: the engine, the report and the charts use them; the scenario format has its
//! own spelling of them, which the compiler translates.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How a target's outcome is computed from its series between its baseline year
/// (`from`) and its horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Compound annual growth in percent.
    Cagr,
    /// Change in percent.
    ChangePct,
    /// The value at the horizon.
    Level,
    /// The value at the horizon, a share in percent.
    Share,
    /// Change in percentage points.
    ChangePp,
    /// Sum of the values after the baseline year up to the horizon.
    Cumulative,
    /// Ratio of the value at the horizon to the baseline value.
    Multiple,
}

impl Metric {
    /// The scenario-file spelling (`change_pct`), as summary.json writes it.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Cagr => "cagr",
            Metric::ChangePct => "change_pct",
            Metric::Level => "level",
            Metric::Share => "share",
            Metric::ChangePp => "change_pp",
            Metric::Cumulative => "cumulative",
            Metric::Multiple => "multiple",
        }
    }

    /// Whether the outcome reads every year after the baseline (not just the two ends).
    pub fn reads_every_year(self) -> bool {
        self == Metric::Cumulative
    }

    /// The outcome of a series that stays at `base_level` (what "no change" scores).
    pub fn baseline_outcome(self, base_level: f64) -> f64 {
        match self {
            Metric::Cagr | Metric::ChangePct | Metric::ChangePp | Metric::Cumulative => 0.0,
            Metric::Level | Metric::Share => base_level,
            Metric::Multiple => 1.0,
        }
    }

    /// The level of the series at the horizon that scores exactly `value`, from a
    /// baseline `base` `years` years earlier; None for a cumulative metric (a sum of
    /// years has no one level).
    pub fn level_scoring(self, value: f64, base: f64, years: usize) -> Option<f64> {
        Some(match self {
            Metric::Level | Metric::Share => value,
            Metric::ChangePct => base * (1.0 + value / 100.0),
            Metric::Cagr => base * (1.0 + value / 100.0).powi(years as i32),
            Metric::ChangePp => base + value,
            Metric::Multiple => base * value,
            Metric::Cumulative => return None,
        })
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How an outcome is compared with a goal's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// Hit when the outcome is at least the value.
    AtLeast,
    /// Hit when the outcome is at most the value.
    AtMost,
    /// 左右 ("about"): hit when the outcome is within the band of the value or beyond
    /// it in the direction the plan wants (plan reviews count that as 超额完成).
    About,
    /// A two-sided range: hit only within the band of the value.
    Range,
}

impl Comparator {
    /// The scenario-file spelling (`at_least`), as summary.json writes it.
    pub fn name(self) -> &'static str {
        match self {
            Comparator::AtLeast => "at_least",
            Comparator::AtMost => "at_most",
            Comparator::About => "about",
            Comparator::Range => "range",
        }
    }

    /// The sign written before a level: `≥`, `≤`, `≈`.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::AtLeast => "≥",
            Comparator::AtMost => "≤",
            Comparator::About | Comparator::Range => "≈",
        }
    }
}

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The way a plan wants an outcome to move: an outcome beyond the goal in this
/// direction is better (plan reviews count it as 超额完成, exceeded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better.
    Up,
    /// Lower is better.
    Down,
}

impl Direction {
    /// The scenario-file spelling (`up`), as summary.json writes it.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A target's goal: a comparator, a value, a band (the half-width around the value of
/// an `about` or `range` target; 0 otherwise) and the direction the plan wants the
/// outcome to move.
///
/// `at_least` wants up and `at_most` down. A 左右 (`about`) goal names its direction and
/// is hit within the band or beyond it that way; a `range` is hit only within the band.
/// An `about` goal without a direction (unmodeled targets, results written before
/// directions existed) reads as a range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    comparator: Comparator,
    value: f64,
    band: f64,
    wanted: Option<Direction>,
    undefined: Undefined,
}

impl Goal {
    /// Hit when the outcome is at least `value`.
    pub fn at_least(value: f64) -> Goal {
        Goal {
            comparator: Comparator::AtLeast,
            value,
            band: 0.0,
            wanted: Some(Direction::Up),
            undefined: Undefined::Unscored,
        }
    }

    /// Hit when the outcome is at most `value`.
    pub fn at_most(value: f64) -> Goal {
        Goal {
            comparator: Comparator::AtMost,
            value,
            band: 0.0,
            wanted: Some(Direction::Down),
            undefined: Undefined::Unscored,
        }
    }

    /// 左右: hit when the outcome is within `band` of `value` or beyond it in the
    /// `wanted` direction (within the band on either side when it names none).
    pub fn about(value: f64, band: f64, wanted: Option<Direction>) -> Goal {
        Goal {
            comparator: Comparator::About,
            value,
            band,
            wanted,
            undefined: Undefined::Unscored,
        }
    }

    /// A two-sided range: hit when the outcome is within `band` of `value`.
    pub fn range(value: f64, band: f64) -> Goal {
        Goal {
            comparator: Comparator::Range,
            value,
            band,
            wanted: None,
            undefined: Undefined::Unscored,
        }
    }

    /// The goal a comparator, a value and (for `about` and `range`) a band and (for
    /// `about`) a wanted direction describe.
    pub fn new(comparator: Comparator, value: f64, band: f64, wanted: Option<Direction>) -> Goal {
        match comparator {
            Comparator::AtLeast => Goal::at_least(value),
            Comparator::AtMost => Goal::at_most(value),
            Comparator::About => Goal::about(value, band, wanted),
            Comparator::Range => Goal::range(value, band),
        }
    }

    /// How the outcome is compared.
    pub fn comparator(&self) -> Comparator {
        self.comparator
    }

    /// The plan's number.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The half-width of the range around the value, for comparators that have one.
    pub fn band(&self) -> Option<f64> {
        matches!(self.comparator, Comparator::About | Comparator::Range).then_some(self.band)
    }

    /// How a goal with a band is read: one-sided (a 左右 goal with its direction: the
    /// band or beyond it counts) or two-sided (a range); None for `at_least`/`at_most`.
    pub fn reading(&self) -> Option<Reading> {
        match (self.comparator, self.wanted) {
            (Comparator::About, Some(d)) => Some(Reading::OneSided(d)),
            (Comparator::About | Comparator::Range, _) => Some(Reading::TwoSided),
            _ => None,
        }
    }

    /// The direction the plan wants the outcome to move, if it names one.
    pub fn wanted(&self) -> Option<Direction> {
        self.wanted
    }

    /// How a draw whose outcome is not a number is scored.
    pub fn undefined(&self) -> Undefined {
        self.undefined
    }

    /// The same goal, scoring undefined outcomes as `undefined` says.
    pub fn scoring_undefined(self, undefined: Undefined) -> Goal {
        Goal { undefined, ..self }
    }

    /// Whether `outcome` meets the goal. An outcome that is not a finite number (a
    /// change from a zero baseline, 0/0, an overflow) is a hit only when the scenario
    /// scores undefined outcomes as hits; the draw is counted as undefined either way
    /// (the histogram's `invalid`), and the report gives no P(hit) to a target with
    /// undefined draws that the scenario does not say how to score.
    #[inline]
    pub fn hit(&self, outcome: f64) -> bool {
        if !outcome.is_finite() {
            return self.undefined == Undefined::Hit;
        }
        match (self.comparator, self.wanted) {
            (Comparator::AtLeast, _) => outcome >= self.value,
            (Comparator::AtMost, _) => outcome <= self.value,
            (Comparator::About, Some(Direction::Up)) => outcome >= self.value - self.band,
            (Comparator::About, Some(Direction::Down)) => outcome <= self.value + self.band,
            (Comparator::About | Comparator::Range, _) => (outcome - self.value).abs() <= self.band,
        }
    }

    /// How far `outcome` is from meeting the goal: its distance to the nearest edge of
    /// the outcomes that hit (0 for a hit).
    #[inline]
    pub fn shortfall(&self, outcome: f64) -> f64 {
        if self.hit(outcome) {
            return 0.0;
        }
        let edge = match (self.comparator, self.wanted) {
            (Comparator::AtLeast | Comparator::AtMost, _) => self.value,
            (Comparator::About, Some(Direction::Up)) => self.value - self.band,
            (Comparator::About, Some(Direction::Down)) => self.value + self.band,
            _ if outcome > self.value => self.value + self.band,
            _ => self.value - self.band,
        };
        (outcome - edge).abs()
    }

    /// The outcomes that hit, as an interval (infinite on an open side); None when the
    /// value or the band is not a number.
    pub fn hit_interval(&self) -> Option<(f64, f64)> {
        let v = self.value;
        if !v.is_finite() {
            return None;
        }
        match self.reading() {
            None if self.comparator == Comparator::AtLeast => Some((v, f64::INFINITY)),
            None => Some((f64::NEG_INFINITY, v)),
            Some(Reading::OneSided(Direction::Up)) => {
                self.band_edges().map(|(lo, _)| (lo, f64::INFINITY))
            }
            Some(Reading::OneSided(Direction::Down)) => {
                self.band_edges().map(|(_, hi)| (f64::NEG_INFINITY, hi))
            }
            Some(Reading::TwoSided) => self.band_edges(),
        }
    }

    /// The two ends of the band around the value, for a goal with a band.
    pub fn band_edges(&self) -> Option<(f64, f64)> {
        let b = self.band()?.abs();
        (self.value.is_finite() && b.is_finite()).then_some((self.value - b, self.value + b))
    }

    /// The goal in words, its numbers written by `num`: `≥ 8`, `≤ -21`, `15 ± 2` for a
    /// range, `15 ± 2 ↑` / `-21 ± 2 ↓` for a 左右 goal read one-sided (`≈ 15` when the
    /// band is not a number).
    pub fn describe(&self, num: impl Fn(f64) -> String) -> String {
        let v = num(self.value);
        let arrow = match self.reading() {
            Some(Reading::OneSided(Direction::Up)) => " ↑",
            Some(Reading::OneSided(Direction::Down)) => " ↓",
            _ => "",
        };
        match self.band() {
            None => format!("{} {v}", self.comparator.symbol()),
            Some(b) if b.is_finite() => format!("{v} ± {}{arrow}", num(b)),
            Some(_) => format!("{} {v}{arrow}", self.comparator.symbol()),
        }
    }
}

/// How a target scores a draw whose outcome is undefined (not a finite number: a change
/// from a zero baseline, a share of a zero total, an overflow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Undefined {
    /// Not scored: the draw counts as undefined and the target gets no P(hit).
    #[default]
    Unscored,
    /// Scored as a miss (`undefined = "miss"`).
    Miss,
    /// Scored as a hit (`undefined = "hit"`).
    Hit,
}

impl Undefined {
    /// The scenario-file spelling, as summary.json writes it.
    pub fn name(self) -> &'static str {
        match self {
            Undefined::Unscored => "unscored",
            Undefined::Miss => "miss",
            Undefined::Hit => "hit",
        }
    }
}

/// How a goal with a band around its value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// 左右 as plan reviews score it: within the band or beyond it in this direction.
    OneSided(Direction),
    /// Only within the band (a range, or a 左右 goal without a direction).
    TwoSided,
}

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(|x| x.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_outcomes_hit_only_when_scored_as_hits() {
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            for g in [
                Goal::at_least(8.0),
                Goal::at_most(8.0),
                Goal::range(8.0, 1.0),
            ] {
                assert!(!g.hit(x), "{g} {x}");
                assert!(!g.scoring_undefined(Undefined::Miss).hit(x), "{g} {x}");
                assert!(g.scoring_undefined(Undefined::Hit).hit(x), "{g} {x}");
            }
        }
        // Defined outcomes are scored by the comparator whatever the policy.
        let g = Goal::at_least(8.0).scoring_undefined(Undefined::Hit);
        assert!(g.hit(9.0) && !g.hit(7.0));
    }

    #[test]
    fn hits_and_shortfalls() {
        let g = Goal::at_least(8.0);
        assert!(g.hit(8.0) && !g.hit(7.5) && !g.hit(f64::NAN));
        assert_eq!((g.shortfall(7.5), g.shortfall(9.0)), (0.5, 0.0));
        let g = Goal::at_most(-16.0);
        assert!(g.hit(-16.0) && !g.hit(-15.0));
        assert_eq!(g.shortfall(-15.0), 1.0);
        let g = Goal::range(-21.0, 2.0);
        assert!(g.hit(-23.0) && g.hit(-19.0) && !g.hit(-18.5) && !g.hit(-24.0));
        assert_eq!((g.shortfall(-18.5), g.shortfall(-24.0)), (0.5, 1.0));
        assert_eq!(g.wanted(), None);
        assert_eq!(Goal::at_least(1.0).wanted(), Some(Direction::Up));
        // 左右 read as plan reviews score it: beyond the band in the wanted direction hits.
        let g = Goal::about(-21.0, 2.0, Some(Direction::Down));
        assert!(g.hit(-19.0) && g.hit(-28.0) && !g.hit(-18.5) && !g.hit(f64::NAN));
        assert_eq!((g.shortfall(-18.5), g.shortfall(-28.0)), (0.5, 0.0));
        let g = Goal::about(15.0, 1.5, Some(Direction::Up));
        assert!(g.hit(13.5) && g.hit(30.0) && !g.hit(13.0));
        assert_eq!(g.shortfall(13.0), 0.5);
        // Without a direction (old results, unmodeled targets) 左右 reads as a range.
        assert_eq!(
            Goal::about(15.0, 1.5, None).reading(),
            Some(Reading::TwoSided)
        );
        assert_eq!(Goal::at_most(1.0).reading(), None);
    }

    #[test]
    fn goals_read_as_plans_write_them() {
        assert_eq!(Goal::at_least(8.0).to_string(), "≥ 8");
        assert_eq!(Goal::at_most(-16.5).to_string(), "≤ -16.5");
        assert_eq!(Goal::range(15.0, 2.0).to_string(), "15 ± 2");
        assert_eq!(
            Goal::about(15.0, 2.0, Some(Direction::Up)).to_string(),
            "15 ± 2 ↑"
        );
        assert_eq!(
            Goal::about(-21.0, 2.0, Some(Direction::Down)).to_string(),
            "-21 ± 2 ↓"
        );
        assert_eq!(Goal::about(15.0, f64::NAN, None).to_string(), "≈ 15");
        assert_eq!(Goal::range(15.0, 2.0).hit_interval(), Some((13.0, 17.0)));
        assert_eq!(
            Goal::about(15.0, 2.0, Some(Direction::Up)).hit_interval(),
            Some((13.0, f64::INFINITY))
        );
        assert_eq!(
            Goal::about(-21.0, 2.0, Some(Direction::Down)).hit_interval(),
            Some((f64::NEG_INFINITY, -19.0))
        );
        assert_eq!(
            Goal::at_most(3.0).hit_interval(),
            Some((f64::NEG_INFINITY, 3.0))
        );
        assert_eq!(Goal::at_least(3.0).band_edges(), None);
        assert_eq!(Goal::range(15.0, 2.0).band(), Some(2.0));
        assert_eq!(Goal::at_least(15.0).band(), None);
    }

    #[test]
    fn metrics_score_levels_and_baselines() {
        assert_eq!(Metric::ChangePct.level_scoring(50.0, 200.0, 5), Some(300.0));
        assert_eq!(Metric::Cagr.level_scoring(100.0, 3.0, 2), Some(12.0));
        assert_eq!(Metric::Cumulative.level_scoring(10.0, 200.0, 5), None);
        assert_eq!(Metric::Multiple.baseline_outcome(7.0), 1.0);
        assert_eq!(Metric::Level.baseline_outcome(7.0), 7.0);
        assert_eq!(
            serde_json::to_string(&Metric::ChangePp).unwrap(),
            "\"change_pp\""
        );
        assert_eq!(
            serde_json::to_string(&Comparator::AtLeast).unwrap(),
            "\"at_least\""
        );
    }
}
