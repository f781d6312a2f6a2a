//! The policy responses in the summary: per target its P(hit) without responses and how
//! much of its P(hit) the responses account for; per response how often it fired,
//! when first, how often its cap bound, and the effort it put in.

use super::summary::{Enforcement, Probability, ResponseResult};
use crate::ix::TargetIx;
use crate::model::response::Measure;
use crate::model::Model;
use crate::sim::accum::Accumulator;
use crate::sim::layout::Layout;
use crate::stats::{wilson, Z975};

/// Below this P(hit) a target is more likely missed than hit.
const EVEN: f64 = 0.5;

/// How much target `t`'s P(hit) `with` the responses rests on them (scenarios with
/// responses and modeled targets only).
pub fn enforcement(
    m: &Model,
    l: &Layout,
    acc: &Accumulator,
    t: TargetIx,
    with: Option<f64>,
) -> Option<Enforcement> {
    if m.responses.is_empty() {
        return None;
    }
    let (with, j) = (with?, l.slot_of(t)?);
    let n = acc.draws();
    let hits = acc.responses().free_hits[j.0];
    let without = hits as f64 / n.max(1) as f64;
    Some(Enforcement {
        p_hit_without: without,
        p_hit_without_ci95: wilson(hits, n, Z975),
        share: (with > 0.0).then(|| (with - without) / with),
        met_only_if_enforced: with >= EVEN && without < EVEN,
        responses: m
            .responses
            .iter()
            .filter(|r| r.target == t)
            .map(|r| r.id.clone())
            .collect(),
    })
}

/// One result per response.
pub fn responses(m: &Model, l: &Layout, acc: &Accumulator) -> Vec<ResponseResult> {
    let (n, tally, shape) = (acc.draws(), acc.responses(), l.shape());
    let nf = n.max(1) as f64;
    m.responses
        .iter()
        .enumerate()
        .map(|(r, resp)| {
            let fired = tally.triggered[r];
            let target = &m.targets[resp.target];
            // Relative progress is in log points: ×100 reads as percentage points.
            let (scale, unit) = match resp.progress.measure {
                Measure::Log => (100.0, "percentage points per year".to_string()),
                _ => (1.0, format!("{} per year", target.unit)),
            };
            let effort = tally.effort[r] * scale;
            ResponseResult {
                id: resp.id.clone(),
                name: resp.name.clone(),
                name_zh: resp.name_zh.clone(),
                watch: target.id.clone(),
                p_triggered: Probability {
                    p: fired as f64 / nf,
                    ci95: wilson(fired, n, Z975),
                },
                p_capped: tally.capped[r] as f64 / nf,
                first_trigger: resp
                    .years
                    .iter()
                    .map(|&t| {
                        let count = tally.first[shape.first_trigger(r, t)];
                        (m.base_year + t as i32, count as f64 / nf)
                    })
                    .collect(),
                mean_extra_effort: effort / nf,
                mean_extra_effort_if_triggered: (fired > 0).then(|| effort / fired as f64),
                effort_unit: unit,
            }
        })
        .collect()
}
