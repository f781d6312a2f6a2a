//! The parallel driver. Draws are cut into fixed-size chunks; chunk i always holds
//! draws [i·CHUNK, (i+1)·CHUNK) and its own random streams, rayon simulates a batch of
//! chunks in parallel, and their accumulators are merged in chunk order. A short pilot
//! first fixes the histogram ranges. Stopping (draw cap, precision, cancel) is checked
//! between batches, so where a run stops depends only on its inputs.

use super::accum::{Accumulator, Layout};
use super::condition::Condition;
use super::kernel::{self, Workspace};
use super::rng::{stream, Purpose};
use super::sampler::Sampler;
use crate::model::Model;
use crate::stats::wilson_half_width;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Draws per chunk: one random stream and one accumulator each.
pub const CHUNK: u64 = 2048;
/// Chunks simulated in parallel between merges and stopping checks.
pub const BATCH_CHUNKS: u64 = 16;
/// Draws of the pilot that fixes histogram ranges.
pub const PILOT_DRAWS: u64 = 4096;
/// Leading draws whose raw rows are kept for rank (Spearman) statistics.
pub const RANK_ROWS: u64 = 16_384;
/// Leading draws that feed the per-year fan quantiles.
pub const FAN_DRAWS: u64 = 65_536;

#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Maximum number of draws.
    pub draws: u64,
    pub seed: u64,
    pub sampler: Sampler,
    /// Stop once every modeled target's 95% half-width is at most this.
    pub precision: Option<f64>,
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    Draws,
    Precision,
    Cancelled,
}

impl StopReason {
    pub fn describe(self) -> &'static str {
        match self {
            StopReason::Draws => "reached the requested number of draws",
            StopReason::Precision => "every modeled target reached the requested precision",
            StopReason::Cancelled => "cancelled by the user",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RunOutput {
    pub layout: Layout,
    pub acc: Accumulator,
    /// (draws so far, hits per modeled target) at geometrically spaced points.
    pub convergence: Vec<(u64, Vec<u64>)>,
    pub stop: StopReason,
}

/// Runs the Monte Carlo on the current rayon pool. `progress` receives the number of
/// draws done after each batch; setting `cancel` stops at the next batch boundary.
pub fn run(m: &Model, cfg: &RunConfig, progress: &(dyn Fn(u64) + Sync), cancel: &AtomicBool) -> RunOutput {
    let layout = pilot(m, cfg);
    let chunks = cfg.draws.div_ceil(CHUNK);
    let mut acc = Accumulator::new(&layout);
    let mut convergence = Vec::new();
    let mut next_checkpoint = 1u64;
    let mut stop = StopReason::Draws;
    let mut start = 0;
    while start < chunks {
        let end = (start + BATCH_CHUNKS).min(chunks);
        let parts: Vec<Accumulator> = (start..end)
            .into_par_iter()
            .map(|c| {
                let mut a = Accumulator::new(&layout);
                simulate_chunk(m, cfg, c, |ws, i| a.add(&layout, m, ws, &m.fans, i));
                a
            })
            .collect();
        for (i, part) in parts.iter().enumerate() {
            acc.merge(part);
            let done_chunks = start + i as u64 + 1;
            if done_chunks == next_checkpoint || done_chunks == chunks {
                convergence.push((acc.draws, acc.hits.clone()));
                // 1, 2, 3, 4, 6, 8, 12, 16, …: about √2 apart.
                next_checkpoint = if next_checkpoint.is_power_of_two() { next_checkpoint * 3 / 2 } else { next_checkpoint * 4 / 3 }.max(next_checkpoint + 1);
            }
        }
        progress(acc.draws);
        start = end;
        if start < chunks {
            if cancel.load(Ordering::Relaxed) {
                stop = StopReason::Cancelled;
                break;
            }
            if let Some(e) = cfg.precision {
                if acc.hits.iter().all(|&h| wilson_half_width(h, acc.draws) <= e) {
                    stop = StopReason::Precision;
                    break;
                }
            }
        }
    }
    if convergence.last().is_none_or(|(n, _)| *n != acc.draws) {
        convergence.push((acc.draws, acc.hits.clone()));
    }
    RunOutput { layout, acc, convergence, stop }
}

/// Simulates chunk `c` (its draws capped by the run's total), calling `f` per draw.
pub fn simulate_chunk(m: &Model, cfg: &RunConfig, c: u64, mut f: impl FnMut(&Workspace, u64)) {
    let first = c * CHUNK;
    let n = (cfg.draws - first).min(CHUNK) as usize;
    let k = m.uncertain.len();
    let mut ws = Workspace::new(m);
    let mut u = vec![0.0; n * k];
    cfg.sampler.fill(cfg.seed, c, first, n, k, &mut u);
    let mut rng = stream(cfg.seed, Purpose::Shocks, c);
    for i in 0..n {
        kernel::draw(m, &mut ws, &u[i * k..(i + 1) * k], &mut rng);
        f(&ws, first + i as u64);
    }
}

/// Runs the first draws once to find where outcomes and fan values lie, and returns
/// the layout with histogram ranges a little wider than what the pilot saw.
fn pilot(m: &Model, cfg: &RunConfig) -> Layout {
    let modeled: Vec<usize> = m.modeled_targets().map(|(i, _)| i).collect();
    let y = m.years();
    let n_t = modeled.len();
    let n_f = m.fans.len() * y;
    let chunks = cfg.draws.min(PILOT_DRAWS).div_ceil(CHUNK);
    let extremes = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut lo = vec![f64::INFINITY; n_t + n_f];
            let mut hi = vec![f64::NEG_INFINITY; n_t + n_f];
            simulate_chunk(m, cfg, c, |ws, _| {
                let values = modeled.iter().map(|&t| ws.outcomes[t]).chain(m.fans.iter().flat_map(|&s| ws.series[s * y..(s + 1) * y].iter().copied()));
                for (i, v) in values.enumerate() {
                    if v.is_finite() {
                        lo[i] = lo[i].min(v);
                        hi[i] = hi[i].max(v);
                    }
                }
            });
            (lo, hi)
        })
        .reduce(
            || (vec![f64::INFINITY; n_t + n_f], vec![f64::NEG_INFINITY; n_t + n_f]),
            |(mut a, mut b), (c, d)| {
                // min/max are exact and order-free, so a tree reduction is deterministic.
                for i in 0..a.len() {
                    a[i] = a[i].min(c[i]);
                    b[i] = b[i].max(d[i]);
                }
                (a, b)
            },
        );
    let ranges: Vec<(f64, f64)> = extremes.0.iter().zip(&extremes.1).map(|(&a, &b)| padded_range(a, b)).collect();
    Layout {
        binding: modeled.iter().map(|&t| m.targets[t].binding).collect(),
        modeled,
        target_ranges: ranges[..n_t].to_vec(),
        fan_ranges: ranges[n_t..].to_vec(),
        years: y,
        uncertain: m.uncertain.len(),
        conditions: cfg.conditions.clone(),
        keep_rows: RANK_ROWS,
        fan_draws: FAN_DRAWS,
    }
}

/// The pilot's range widened by 25% on each side (values outside still count, as
/// under/overflow with exact extremes).
fn padded_range(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    let w = hi - lo;
    let pad = if w > 0.0 { 0.25 * w } else { lo.abs().max(1.0) * 1e-6 };
    (lo - pad, hi + pad)
}
