//! The pace check: for a target whose series carries history of the previous period,
//! the annual pace the target requires against the pace recorded then, as a ratio —
//! "needs 1.6× the 11th-plan pace" reads faster than a probability.
//!
//! Paces are compound growth in % a year for growth-like targets (cagr, change_pct,
//! multiple, and the level of an unbounded series), and percentage points a year for
//! shares and bounded indicators (share, change_pp, and the level of a bounded
//! indicator). The recorded pace comes from the history record of the same series
//! whose period ends last at or before the base year: a change the document states
//! (preferred when two end in the same year), or the two latest levels.

use crate::model::{History, IndicatorKind, Metric, Model, Record, Source, Target};
use serde::{Deserialize, Serialize};

/// The unit of a pace.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PaceUnit {
    /// Compound growth, % a year.
    PctPerYear,
    /// Percentage points (or units of the series) a year.
    PointsPerYear,
}

impl PaceUnit {
    /// The name written to results (`pct_per_year`, `points_per_year`).
    pub fn name(self) -> &'static str {
        match self {
            PaceUnit::PctPerYear => "pct_per_year",
            PaceUnit::PointsPerYear => "points_per_year",
        }
    }
}

/// A target's required pace against the recorded one.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Pace {
    /// The unit of both paces.
    pub unit: PaceUnit,
    /// What the target needs each year from its baseline year to its horizon.
    pub required: f64,
    /// What the series did each year over the recorded period.
    pub recorded: f64,
    /// First and last year of the recorded period.
    pub recorded_years: [i32; 2],
    /// required / recorded; None when the recorded pace is zero. Negative when the
    /// target asks for the opposite direction.
    pub ratio: Option<f64>,
}

/// Compound annual growth in % of going from `a` to `b` in `years`.
fn growth(a: f64, b: f64, years: f64) -> Option<f64> {
    (a > 0.0 && b > 0.0 && years > 0.0).then(|| 100.0 * ((b / a).powf(1.0 / years) - 1.0))
}

/// The pace of `target` (of `model`), whose series stands at `base` in the target's
/// baseline year; None when the scenario records no previous pace for its series or
/// the metric has no annual pace (cumulative).
pub fn pace(model: &Model, target: &Target, base: f64) -> Option<Pace> {
    let e = target.eval.as_ref()?;
    let years = (e.to - e.from) as f64;
    let v = target.goal.value();
    let def = &model.series[e.series];
    let bounded = matches!(def.num, Source::Indicator(i)
        if model.indicators[i].kind == IndicatorKind::Bounded && def.den.is_none());
    let (unit, required) = match target.metric {
        Metric::Cagr => (PaceUnit::PctPerYear, Some(v)),
        Metric::ChangePct => (PaceUnit::PctPerYear, growth(1.0, 1.0 + v / 100.0, years)),
        Metric::Multiple => (PaceUnit::PctPerYear, growth(1.0, v, years)),
        Metric::ChangePp => (PaceUnit::PointsPerYear, Some(v / years)),
        Metric::Share => (PaceUnit::PointsPerYear, Some((v - base) / years)),
        Metric::Level if bounded => (PaceUnit::PointsPerYear, Some((v - base) / years)),
        Metric::Level => (PaceUnit::PctPerYear, growth(base, v, years)),
        Metric::Cumulative => return None,
    };
    let required = required.filter(|r| r.is_finite())?;
    // Records of the same series, in the target's scale (a share is read ×100).
    let records: Vec<History> = model
        .history
        .iter()
        .filter(|h| h.year <= model.base_year)
        .filter_map(|h| {
            let hd = &model.series[h.series];
            (hd.num == def.num && hd.den == def.den).then(|| {
                let additive = matches!(
                    h.record,
                    Record::Level
                        | Record::Change {
                            metric: Metric::ChangePp,
                            ..
                        }
                );
                let k = if additive { def.scale / hd.scale } else { 1.0 };
                History {
                    value: h.value * k,
                    ..h.clone()
                }
            })
        })
        .collect();
    let records: Vec<&History> = records.iter().collect();
    let (recorded, recorded_years) = recorded(&records, unit)?;
    Some(Pace {
        unit,
        required,
        recorded,
        recorded_years,
        ratio: (recorded.abs() > 1e-12).then(|| required / recorded),
    })
}

/// The recorded pace in `unit` from the records of one series: the period ending last,
/// a stated change before a pair of levels.
fn recorded(records: &[&History], unit: PaceUnit) -> Option<(f64, [i32; 2])> {
    let level_at = |year: i32| {
        records
            .iter()
            .find(|h| h.year == year && h.record == Record::Level)
            .map(|h| h.value)
    };
    let mut candidates: Vec<(i32, bool, f64, [i32; 2])> = Vec::new();
    for h in records {
        if let Record::Change { metric, from } = h.record {
            let span = f64::from(h.year - from);
            let end = level_at(h.year);
            // The level at `from` implied by the change and the level at `year`.
            let start = |b: f64| -> Option<f64> {
                match metric {
                    Metric::ChangePct => Some(b / (1.0 + h.value / 100.0)),
                    Metric::Cagr => Some(b / (1.0 + h.value / 100.0).powf(span)),
                    Metric::Multiple => Some(b / h.value),
                    Metric::ChangePp => Some(b - h.value),
                    _ => None,
                }
            };
            let pace = match (unit, metric) {
                (PaceUnit::PctPerYear, Metric::ChangePct) => {
                    growth(1.0, 1.0 + h.value / 100.0, span)
                }
                (PaceUnit::PctPerYear, Metric::Cagr) => Some(h.value),
                (PaceUnit::PctPerYear, Metric::Multiple) => growth(1.0, h.value, span),
                (PaceUnit::PointsPerYear, Metric::ChangePp) => Some(h.value / span),
                (PaceUnit::PctPerYear, _) => end.and_then(|b| growth(start(b)?, b, span)),
                (PaceUnit::PointsPerYear, _) => end.and_then(|b| Some((b - start(b)?) / span)),
            };
            if let Some(p) = pace.filter(|p| p.is_finite()) {
                candidates.push((h.year, true, p, [from, h.year]));
            }
        }
    }
    let mut levels: Vec<&&History> = records
        .iter()
        .filter(|h| h.record == Record::Level)
        .collect();
    levels.sort_by_key(|h| h.year);
    if let [.., a, b] = levels[..] {
        let span = f64::from(b.year - a.year);
        let pace = match unit {
            PaceUnit::PctPerYear => growth(a.value, b.value, span),
            PaceUnit::PointsPerYear => (span > 0.0).then(|| (b.value - a.value) / span),
        };
        if let Some(p) = pace.filter(|p| p.is_finite()) {
            candidates.push((b.year, false, p, [a.year, b.year]));
        }
    }
    candidates
        .into_iter()
        .max_by_key(|&(end, stated, _, _)| (end, stated))
        .map(|(_, _, p, years)| (p, years))
}
