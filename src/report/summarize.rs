//! Turns a run's accumulators into a `Summary`: probabilities with Wilson intervals,
//! quantiles, shortfalls, joint risk, fans, sensitivities and convergence.

use super::pace::pace;
use super::summary::*;
use crate::model::Model;
use crate::sim::accum::{Hist, SENSITIVITY_BINS};
use crate::sim::RunOutput;
use crate::sim::Sampler;
use crate::stats::{pearson, ranks, wilson, Z975};

fn probability(hits: u64, n: u64) -> Probability {
    Probability {
        p: if n == 0 { 0.0 } else { hits as f64 / n as f64 },
        ci95: wilson(hits, n, Z975),
    }
}

fn histogram(h: &Hist) -> Histogram {
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
    let acc = &out.acc;
    let l = &out.layout;
    let n = acc.draws;
    let j_n = l.modeled.len();
    let slot: Vec<Option<usize>> = (0..m.targets.len())
        .map(|t| l.modeled.iter().position(|&x| x == t))
        .collect();
    let targets = m
        .targets
        .iter()
        .enumerate()
        .map(|(t, target)| {
            let mut r = TargetResult {
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
                pace: None,
            };
            if let Some(j) = slot[t] {
                let p = probability(acc.hits[j], n);
                let h = &acc.hist[j];
                let misses = n - acc.hits[j];
                r.baseline = Some(target.metric.baseline_outcome(acc.baseline[j].mean));
                r.p_hit = Some(p.p);
                r.p_hit_ci95 = Some(p.ci95);
                r.p_hit_se = Some((p.p * (1.0 - p.p) / n.max(1) as f64).sqrt());
                r.mean = Some(acc.outcome[j].mean);
                r.sd = Some(acc.outcome[j].sd());
                r.quantiles = Some(Quantiles {
                    p5: h.quantile(0.05),
                    p25: h.quantile(0.25),
                    p50: h.quantile(0.5),
                    p75: h.quantile(0.75),
                    p95: h.quantile(0.95),
                });
                r.expected_shortfall = (misses > 0).then(|| acc.shortfall[j] / misses as f64);
                r.histogram = Some(histogram(h));
                r.pace = pace(m, target, acc.baseline[j].mean);
            }
            r
        })
        .collect();

    let any_binding = l.binding.iter().any(|&b| b);
    let ids: Vec<String> = l.modeled.iter().map(|&t| m.targets[t].id.clone()).collect();
    let miss_correlation = (0..j_n)
        .map(|i| (0..j_n).map(|j| miss_phi(acc, j_n, n, i, j)).collect())
        .collect();
    let joint = Joint {
        all_binding: any_binding.then(|| probability(acc.all_binding, n)),
        all_modeled: (j_n > 0).then(|| probability(acc.all_modeled, n)),
        k_missed: acc
            .k_missed
            .iter()
            .map(|&c| c as f64 / n.max(1) as f64)
            .collect(),
        ids: ids.clone(),
        miss_correlation,
    };

    Summary {
        scenario: ScenarioInfo {
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
        },
        draws: n,
        seed,
        sampler,
        targets,
        joint,
        fans: fans(m, out),
        fan_draws: n.min(l.fan_draws),
        rank_draws: n.min(l.keep_rows),
        sensitivity: sensitivity(m, out),
        convergence: Convergence {
            draws: out.convergence.iter().map(|(d, _)| *d).collect(),
            ids,
            p_hit: (0..j_n)
                .map(|j| {
                    out.convergence
                        .iter()
                        .map(|(d, h)| h[j] as f64 / (*d).max(1) as f64)
                        .collect()
                })
                .collect(),
        },
        conditional: l
            .conditions
            .iter()
            .enumerate()
            .map(|(c, cond)| {
                let k = acc.cond_count[c];
                Conditional {
                    condition: cond.text.clone(),
                    draws_meeting: k,
                    p_hit: l
                        .modeled
                        .iter()
                        .enumerate()
                        .map(|(j, &t)| {
                            (
                                m.targets[t].id.clone(),
                                (k > 0).then(|| acc.cond_hits[c * j_n + j] as f64 / k as f64),
                            )
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

fn named(n: &crate::model::Named) -> Named {
    Named {
        id: n.id.clone(),
        name: n.name.clone(),
        name_zh: n.name_zh.clone(),
    }
}

/// Phi coefficient of the miss indicators of targets i and j.
fn miss_phi(acc: &crate::sim::accum::Accumulator, j_n: usize, n: u64, i: usize, j: usize) -> f64 {
    let (a, b) = (i.min(j), i.max(j));
    let nf = n as f64;
    let pi = acc.pair_miss[a * j_n + a] as f64 / nf;
    let pj = acc.pair_miss[b * j_n + b] as f64 / nf;
    let pij = acc.pair_miss[a * j_n + b] as f64 / nf;
    let denom = (pi * (1.0 - pi) * pj * (1.0 - pj)).sqrt();
    if denom > 0.0 {
        ((pij - pi * pj) / denom).clamp(-1.0, 1.0)
    } else {
        0.0
    }
}

fn fans(m: &Model, out: &RunOutput) -> Vec<Fan> {
    let y = m.years();
    m.fans
        .iter()
        .enumerate()
        .map(|(f, &s)| {
            let def = &m.series[s];
            let hs = &out.acc.fans[f * y..(f + 1) * y];
            let q = |p: f64| hs.iter().map(|h| h.quantile(p)).collect::<Vec<f64>>();
            let targets = m
                .targets
                .iter()
                .filter_map(|t| {
                    let e = t.eval.as_ref().filter(|e| e.series == s)?;
                    let slot = out
                        .layout
                        .modeled
                        .iter()
                        .position(|&x| std::ptr::eq(&m.targets[x], t))?;
                    let base = out.acc.baseline[slot].mean;
                    let level = t
                        .metric
                        .level_scoring(t.goal.value(), base, e.to - e.from)?;
                    Some((t.id.clone(), t.horizon, level))
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
        .collect()
}

/// Spearman correlation (on the leading draws kept as rows) and first-order index
/// (correlation ratio over equal-probability bins of the parameter, on all draws).
fn sensitivity(m: &Model, out: &RunOutput) -> Vec<Sensitivity> {
    let acc = &out.acc;
    let l = &out.layout;
    let (j_n, k_n) = (l.modeled.len(), l.uncertain);
    let width = j_n + k_n;
    let rows = acc.rows.len().checked_div(width).unwrap_or(0);
    // Rank every column once: ranking per (target, parameter) pair would sort the same
    // columns thousands of times.
    let ranked: Vec<Vec<f64>> = (0..width)
        .map(|c| {
            ranks(
                &(0..rows)
                    .map(|r| acc.rows[r * width + c])
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let mut result = Vec::new();
    for (j, &t) in l.modeled.iter().enumerate() {
        let var = acc.outcome[j].m2 / acc.outcome[j].n.max(1) as f64;
        let mean = acc.outcome[j].mean;
        for k in 0..k_n {
            let between: f64 = (0..SENSITIVITY_BINS)
                .map(|b| {
                    let c = acc.bin_count[k * SENSITIVITY_BINS + b];
                    if c == 0 {
                        return 0.0;
                    }
                    let mb = acc.bin_sum[(k * SENSITIVITY_BINS + b) * j_n + j] / c as f64;
                    c as f64 * (mb - mean) * (mb - mean)
                })
                .sum::<f64>()
                / acc.outcome[j].n.max(1) as f64;
            let first_order = if var > 0.0 {
                (between / var).clamp(0.0, 1.0)
            } else {
                0.0
            };
            result.push(Sensitivity {
                target: m.targets[t].id.clone(),
                parameter: m.params[m.uncertain[k]].id.clone(),
                spearman: pearson(&ranked[j_n + k], &ranked[j]),
                first_order,
            });
        }
    }
    result
}
