//! Turns a run's accumulators into a `Summary`: probabilities with Wilson intervals,
//! quantiles, shortfalls, joint risk, fans, sensitivities and convergence.

use super::enforcement::{enforcement, responses};
use super::pace::pace;
use super::pairs::{miss_pairs, MissCounts};
use super::summary::*;
use crate::ix::{DimIx, IxVec, SlotIx};
use crate::model::{Model, Target, Undefined};
use crate::sim::accum::{Accumulator, Column, Hist};
use crate::sim::layout::Layout;
use crate::sim::layout::SENSITIVITY_BINS;
use crate::sim::{RunOutput, Sampler};
use crate::stats::{pearson, ranks, wilson, Z975};

fn probability(hits: u64, n: u64) -> Probability {
    Probability {
        p: if n == 0 { 0.0 } else { hits as f64 / n as f64 },
        ci95: wilson(hits, n, Z975),
    }
}

pub(super) fn histogram(h: &Hist) -> Histogram {
    Histogram {
        lo: h.lo,
        hi: h.hi,
        counts: h.counts.clone(),
        underflow: h.under,
        overflow: h.over,
        min: h.min,
        max: h.max,
    }
}

/// Builds the summary of a run. `seed` and `sampler` are recorded as given.
pub fn summarize(m: &Model, out: &RunOutput, seed: u64, sampler: Sampler) -> Summary {
    let (acc, l) = (&out.acc, &out.layout);
    let n = acc.draws();
    let ids: Vec<String> = l
        .slots
        .iter()
        .map(|s| m.targets[s.target].id.clone())
        .collect();
    Summary {
        scenario: scenario_info(m),
        draws: n,
        seed,
        sampler,
        targets: m
            .targets
            .iter_enumerated()
            .map(|(t, target)| {
                let mut r = target_result(m, target, acc, l.slot_of(t));
                r.enforcement = enforcement(m, l, acc, t, r.p_hit);
                r
            })
            .collect(),
        joint: joint(out, &ids),
        fans: fans(m, out),
        fan_draws: n.min(l.fan_draws),
        rank_draws: n.min(l.keep_rows),
        sensitivity: sensitivity(m, out),
        convergence: convergence(out, ids),
        conditional: conditional(m, out),
        observed: observed(m),
        barometer: None,
        responses: responses(m, l, acc),
    }
}

/// The observations the run used.
fn observed(m: &Model) -> Vec<ObservedResult> {
    m.observed
        .iter()
        .map(|o| ObservedResult {
            id: o.id.clone(),
            series: m.series[o.series].key.clone(),
            year: o.year,
            value: o.value,
            source: o.source.clone(),
            prior_percentile: None,
        })
        .collect()
}

fn scenario_info(m: &Model) -> ScenarioInfo {
    ScenarioInfo {
        id: m.id.clone(),
        name: m.name.clone(),
        name_zh: m.name_zh.clone(),
        document: m.document.clone(),
        base_year: m.base_year,
        horizon: m.horizon,
        regions: m.regions.iter().map(named).collect(),
        sectors: m.sectors.iter().map(named).collect(),
        parameters: m
            .params
            .iter()
            .map(|p| ParamInfo {
                id: p.id.clone(),
                name: p.name.clone(),
                name_zh: p.name_zh.clone(),
                unit: p.unit.clone(),
                law: p.law.clone(),
                source: p.source.clone(),
            })
            .collect(),
        inside_view: m.inside_view,
    }
}

/// A target as the plan states it, and its estimates when it is modeled (in `slot`).
fn target_result(
    m: &Model,
    target: &Target,
    acc: &Accumulator,
    slot: Option<SlotIx>,
) -> TargetResult {
    let mut r = TargetResult::stated(target);
    let Some(j) = slot else { return r };
    let n = acc.draws();
    let hits = acc.hits()[j];
    let h = acc.hist(j);
    let policy = target.goal.undefined();
    r.undefined_draws = Some(h.invalid);
    r.undefined = (policy != Undefined::Unscored).then_some(policy);
    r.baseline = Some(target.metric.baseline_outcome(acc.baseline(j).mean));
    r.pace = pace(m, target, acc.baseline(j).mean);
    if h.valid() > 0 {
        r.mean = Some(acc.outcome(j).mean);
        r.sd = Some(acc.outcome(j).sd());
        r.quantiles = Some(Quantiles {
            p5: h.quantile(0.05),
            p25: h.quantile(0.25),
            p50: h.quantile(0.5),
            p75: h.quantile(0.75),
            p95: h.quantile(0.95),
        });
        r.histogram = Some(histogram(h));
    }
    if h.invalid > 0 && policy == Undefined::Unscored {
        r.status = Status::Unscored;
        r.reason = Some(format!(
            "{} of {n} draws have no defined {} (a change from a zero baseline, 0/0 or an overflow); the scenario does not say how to score them (undefined = \"miss\" or \"hit\")",
            h.invalid, target.metric
        ));
        return r;
    }
    let p = probability(hits, n);
    r.p_hit = Some(p.p);
    r.p_hit_ci95 = Some(p.ci95);
    r.p_hit_se = Some((p.p * (1.0 - p.p) / n.max(1) as f64).sqrt());
    // The shortfall is summed over the misses with a defined outcome.
    let scored_undefined_misses = if policy == Undefined::Hit {
        0
    } else {
        h.invalid
    };
    let misses = n - hits - scored_undefined_misses;
    r.expected_shortfall = (misses > 0).then(|| acc.shortfall(j) / misses as f64);
    r
}

/// Whether slot `j` has draws that are undefined and not scored: it has no P(hit), so
/// every joint or running probability that would count it is withheld.
fn unscored(acc: &Accumulator, l: &Layout, j: SlotIx) -> bool {
    acc.hist(j).invalid > 0 && l.slots[j].goal.undefined() == Undefined::Unscored
}

/// Joint risk: all binding / all modeled targets hit, P(k missed), and the pairs of
/// targets whose misses go together most (bounded as `report::pairs` says).
fn joint(out: &RunOutput, ids: &[String]) -> Joint {
    let (acc, l) = (&out.acc, &out.layout);
    let n = acc.draws();
    let any_binding = l.slots.iter().any(|s| s.binding);
    let both = |i: usize, j: usize| acc.missed_together(SlotIx(i.min(j)), SlotIx(i.max(j)));
    let missed: Vec<u64> = (0..ids.len()).map(|i| both(i, i)).collect();
    let counts = MissCounts {
        draws: n,
        missed: &missed,
        both,
    };
    let binding: Vec<bool> = l.slots.iter().map(|s| s.binding).collect();
    let gone: Vec<bool> = l.slots.indices().map(|j| unscored(acc, l, j)).collect();
    let binding_gone = gone.iter().zip(&binding).any(|(&g, &b)| g && b);
    let any_gone = gone.contains(&true);
    let mut pairs = miss_pairs(&counts, ids, &binding);
    if any_gone {
        let scored = |id: &str| ids.iter().zip(&gone).any(|(i, &g)| i == id && !g);
        pairs.retain(|p| scored(&p.a) && scored(&p.b));
    }
    Joint {
        all_binding: (any_binding && !binding_gone).then(|| probability(acc.all_binding(), n)),
        all_modeled: (!l.slots.is_empty() && !any_gone).then(|| probability(acc.all_modeled(), n)),
        k_missed: if any_gone {
            Vec::new()
        } else {
            acc.k_missed()
                .iter()
                .map(|&c| c as f64 / n.max(1) as f64)
                .collect()
        },
        miss_pairs: pairs,
    }
}

/// Running P(hit) of every scored modeled target at the recorded draw counts.
fn convergence(out: &RunOutput, ids: Vec<String>) -> Convergence {
    let (acc, l) = (&out.acc, &out.layout);
    let scored: Vec<SlotIx> = l
        .slots
        .indices()
        .filter(|&j| !unscored(acc, l, j))
        .collect();
    Convergence {
        draws: out.convergence.iter().map(|(d, _)| *d).collect(),
        ids: scored.iter().map(|j| ids[j.0].clone()).collect(),
        p_hit: scored
            .iter()
            .map(|&j| {
                out.convergence
                    .iter()
                    .map(|(d, h)| h[j.0] as f64 / (*d).max(1) as f64)
                    .collect()
            })
            .collect(),
    }
}

/// P(hit | condition) of every modeled target, per `--given` condition.
fn conditional(m: &Model, out: &RunOutput) -> Vec<Conditional> {
    let (acc, l) = (&out.acc, &out.layout);
    l.conditions
        .iter()
        .enumerate()
        .map(|(c, cond)| {
            let k = acc.cond_count(c);
            Conditional {
                condition: cond.text.clone(),
                draws_meeting: k,
                p_hit: l
                    .slots
                    .iter_enumerated()
                    .map(|(j, s)| {
                        (
                            m.targets[s.target].id.clone(),
                            (k > 0 && !unscored(acc, l, j))
                                .then(|| acc.cond_hits(c, j) as f64 / k as f64),
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

fn named(n: &crate::model::Named) -> Named {
    Named {
        id: n.id.clone(),
        name: n.name.clone(),
        name_zh: n.name_zh.clone(),
    }
}

/// Per-year quantile bands of the fan series; a series without a defined value in some
/// year (a share of a zero total) has no fan.
fn fans(m: &Model, out: &RunOutput) -> Vec<Fan> {
    let (acc, l) = (&out.acc, &out.layout);
    l.fans
        .iter()
        .enumerate()
        .map(|(f, fan)| {
            let s = fan.series;
            let def = &m.series[s];
            let q = |p: f64| {
                (0..l.years)
                    .map(|t| acc.fan(f, t).quantile(p))
                    .collect::<Vec<f64>>()
            };
            let targets = l
                .slots
                .iter_enumerated()
                .filter_map(|(j, slot)| {
                    let t = &m.targets[slot.target];
                    let e = t.eval.as_ref().filter(|e| e.series == s)?;
                    let base = acc.baseline(j).mean;
                    let level = t
                        .metric
                        .level_scoring(t.goal.value(), base, e.to - e.from)?;
                    level.is_finite().then(|| (t.id.clone(), t.horizon, level))
                })
                .collect();
            Fan {
                series: def.key.clone(),
                name: def.name.clone(),
                name_zh: def.name_zh.clone(),
                unit: def.unit.clone(),
                years: (m.base_year..=m.horizon).collect(),
                p5: q(0.05),
                p25: q(0.25),
                p50: q(0.5),
                p75: q(0.75),
                p95: q(0.95),
                history: m
                    .history
                    .iter()
                    .filter(|h| h.series == s && h.record == crate::model::Record::Level)
                    .map(|h| (h.year, h.value))
                    .collect(),
                targets,
            }
        })
        // A series with no defined value in some year (a share of a zero total) has no
        // fan to draw.
        .filter(|f| {
            [&f.p5, &f.p25, &f.p50, &f.p75, &f.p95]
                .iter()
                .all(|v| v.iter().all(|x| x.is_finite()))
        })
        .collect()
}

/// Spearman correlation (on the leading draws kept as rows) and first-order index
/// (correlation ratio over equal-probability bins of the parameter, on all draws).
fn sensitivity(m: &Model, out: &RunOutput) -> Vec<Sensitivity> {
    let (acc, l) = (&out.acc, &out.layout);
    // Rank every column once: ranking per (target, parameter) pair would sort the same
    // columns thousands of times.
    let outcome_ranks: IxVec<SlotIx, Vec<f64>> = l
        .slots
        .indices()
        .map(|j| ranks(&acc.column(Column::Outcome(j))))
        .collect();
    let param_ranks: IxVec<DimIx, Vec<f64>> = l
        .uncertain
        .indices()
        .map(|k| ranks(&acc.column(Column::Param(k))))
        .collect();
    let mut result = Vec::new();
    for (j, slot) in l.slots.iter_enumerated() {
        // Ranks and bin means of outcomes that are not numbers mean nothing.
        if acc.hist(j).invalid > 0 {
            continue;
        }
        let o = acc.outcome(j);
        let var = o.m2 / o.n.max(1) as f64;
        for (k, &p) in l.uncertain.iter_enumerated() {
            let between: f64 = (0..SENSITIVITY_BINS)
                .map(|b| {
                    let c = acc.bin_count(k, b);
                    if c == 0 {
                        return 0.0;
                    }
                    let mb = acc.bin_sum(k, b, j) / c as f64;
                    c as f64 * (mb - o.mean) * (mb - o.mean)
                })
                .sum::<f64>()
                / o.n.max(1) as f64;
            let first_order = if var > 0.0 {
                (between / var).clamp(0.0, 1.0)
            } else {
                0.0
            };
            result.push(Sensitivity {
                target: m.targets[slot.target].id.clone(),
                parameter: m.params[p].id.clone(),
                spearman: pearson(&param_ranks[k], &outcome_ranks[j]),
                first_order,
            });
        }
    }
    result
}
