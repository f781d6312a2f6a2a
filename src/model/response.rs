//! Policy responses to lagging targets, compiled: which target is watched and how its
//! progress is measured against the straight-line path to it, when the trigger is
//! evaluated, and which trends the response shifts. The arithmetic of one trigger
//! (shortfall, pace, the effort it adds and its cap) lives here too, as plain functions
//! the draw kernel calls and the tests check by hand.

use super::value::Value;
use crate::ix::{ParamIx, SeriesIx, TargetIx};

/// A compiled `[[response]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The response's id in the scenario.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name.
    pub name_zh: String,
    /// The watched target.
    pub target: TargetIx,
    /// How the watched target's progress and its straight-line path are measured.
    pub progress: Progress,
    /// Year indices (years since the base year) at whose end the trigger is evaluated,
    /// ascending; each lies strictly between the target's baseline and horizon.
    pub years: Vec<usize>,
    /// As written: percent for `Measure::Log`, the target's units otherwise.
    pub tolerance: Value,
    /// Share of the shortfall the response sets out to close.
    pub strength: Value,
    /// As written: percent per year for `Measure::Log`, units per year otherwise.
    pub cap: Option<Value>,
    /// Share of the effort that comes from output curbs, in [0, 1].
    pub curb_share: Value,
    /// Technical measures: shifted by (1 − curb share) · effort · `per_effort`.
    pub shift: Vec<Lever>,
    /// Output curbs: shifted by curb share · effort · `per_effort`.
    pub curb: Vec<Lever>,
}

/// A parameter a response shifts, and by how much per unit of effort.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lever {
    /// The shifted parameter.
    pub param: ParamIx,
    /// Its change per unit of effort.
    pub per_effort: f64,
}

/// How progress towards a target is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// ln(x_t / x_from): change_pct, cagr, multiple and level targets.
    Log,
    /// x_t − x_from: share and change_pp targets.
    Difference,
    /// Σ x over from+1 … t: cumulative targets.
    Sum,
}

/// Progress of a target's series towards its goal, and the straight-line path to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// The watched series.
    pub series: SeriesIx,
    /// Baseline year index.
    pub from: usize,
    /// Horizon year index.
    pub to: usize,
    /// How progress is measured.
    pub measure: Measure,
    /// The progress that exactly meets the target at the horizon (for a level goal, the
    /// level itself: the baseline value is taken off per draw).
    pub goal: f64,
    /// Whether `goal` is a level rather than a change.
    pub goal_is_level: bool,
    /// Whether the target wants the series up (at least) or down (at most).
    pub up: bool,
}

impl Progress {
    /// Progress by year index `t` on the series' values `x` (indexed by year).
    pub fn at(&self, x: &[f64], t: usize) -> f64 {
        let b = x[self.from];
        match self.measure {
            Measure::Log => (x[t] / b).ln(),
            Measure::Difference => x[t] - b,
            Measure::Sum => x[self.from + 1..=t].iter().sum(),
        }
    }

    /// The progress that meets the target at the horizon, in this draw.
    pub fn goal(&self, x: &[f64]) -> f64 {
        if !self.goal_is_level {
            return self.goal;
        }
        let b = x[self.from];
        match self.measure {
            Measure::Log => (self.goal / b).ln(),
            Measure::Difference | Measure::Sum => self.goal - b,
        }
    }

    fn sign(&self) -> f64 {
        if self.up {
            1.0
        } else {
            -1.0
        }
    }

    /// How far behind the straight-line path to the goal the series is at `t`, in the
    /// wanted direction (positive = behind).
    pub fn shortfall(&self, x: &[f64], t: usize) -> f64 {
        let share = (t - self.from) as f64 / (self.to - self.from) as f64;
        self.sign() * (self.goal(x) * share - self.at(x, t))
    }

    /// The series' average annual pace so far, in the wanted direction.
    pub fn pace(&self, x: &[f64], t: usize) -> f64 {
        self.sign() * self.at(x, t) / (t - self.from) as f64
    }

    /// A pace written in the file (percent per year for `Log`) in progress units: the
    /// log change of a year at that percent, in the wanted direction.
    pub fn pace_units(&self, written: f64) -> f64 {
        match self.measure {
            Measure::Log if self.up => (written / 100.0).ln_1p(),
            // Falling by 100% or more a year is no limit at all.
            Measure::Log if written >= 100.0 => f64::INFINITY,
            Measure::Log => -(-written / 100.0).ln_1p(),
            Measure::Difference | Measure::Sum => written,
        }
    }

    /// A tolerance written in the file (percent for `Log`) in progress units.
    pub fn tolerance_units(&self, written: f64) -> f64 {
        match self.measure {
            Measure::Log => written / 100.0,
            Measure::Difference | Measure::Sum => written,
        }
    }
}

/// The response's effort (extra annual pace of the watched quantity, in progress units
/// per year) after a trigger at year `t` with shortfall `s`: the earlier effort plus
/// `strength · s` spread over the years left, limited so that the pace so far plus the
/// effort does not exceed the cap (`room` = cap pace − pace so far). Effort never falls.
/// Returns the new effort and whether the cap cut it.
pub fn next_effort(
    effort: f64,
    shortfall: f64,
    years_left: usize,
    strength: f64,
    room: Option<f64>,
) -> (f64, bool) {
    let wanted = effort + strength.max(0.0) * shortfall / years_left as f64;
    match room {
        Some(room) if wanted > room.max(effort) => (room.max(effort), true),
        _ => (wanted, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn down(measure: Measure, goal: f64) -> Progress {
        Progress {
            series: SeriesIx(0),
            from: 0,
            to: 5,
            measure,
            goal,
            goal_is_level: false,
            up: false,
        }
    }

    #[test]
    fn shortfall_against_the_straight_line_path() {
        // −21% over five years: the path after two years is 2/5 of ln 0.79.
        let p = down(Measure::Log, 0.79f64.ln());
        let x = [1.0, 0.97, 0.95];
        let want = -(0.79f64.ln() * 0.4 - 0.95f64.ln());
        assert!((p.shortfall(&x, 2) - want).abs() < 1e-15);
        assert!(
            p.shortfall(&x, 2) > 0.0,
            "−5% after two years is behind −9%"
        );
        // Pace so far, in the wanted direction (down): −ln 0.95 / 2.
        assert!((p.pace(&x, 2) + 0.95f64.ln() / 2.0).abs() < 1e-15);
        // A cap of 5.84%/yr is −ln(1 − 0.0584) a year.
        assert!((p.pace_units(5.84) + (1.0f64 - 0.0584).ln()).abs() < 1e-15);
        let up = Progress { up: true, ..p };
        assert!((up.pace_units(8.0) - 1.08f64.ln()).abs() < 1e-15);
    }

    #[test]
    fn level_goals_and_sums() {
        let p = Progress {
            goal: 1.692,
            goal_is_level: true,
            ..down(Measure::Log, 0.0)
        };
        let x = [2.417, 2.3];
        assert!((p.goal(&x) - (1.692f64 / 2.417).ln()).abs() < 1e-15);
        let s = Progress {
            up: true,
            ..down(Measure::Sum, 2.5)
        };
        let x = [0.0, 0.4, 0.5];
        // Path after two years: 1.0; eliminated 0.9: 0.1 behind.
        assert!((s.shortfall(&x, 2) - 0.1).abs() < 1e-12);
    }

    #[test]
    fn effort_accumulates_and_is_capped() {
        // Strength 0.5 of a 0.04 shortfall over 4 years left: 0.005 a year.
        assert_eq!(next_effort(0.0, 0.04, 4, 0.5, None), (0.005, false));
        assert_eq!(next_effort(0.005, 0.04, 4, 0.5, None), (0.01, false));
        // Room for 0.003 only.
        assert_eq!(next_effort(0.0, 0.04, 4, 0.5, Some(0.003)), (0.003, true));
        // No room at all, or less than already spent: the effort stays.
        assert_eq!(next_effort(0.004, 0.04, 4, 0.5, Some(-0.01)), (0.004, true));
    }
}
