//! The parallel driver. Draws are cut into fixed-size chunks; chunk i always holds
//! draws [i·CHUNK, (i+1)·CHUNK) and its own random streams, rayon workers simulate
//! chunks in order, and their accumulators are folded in chunk order into a pairwise
//! tree fixed by chunk indices alone (`fold`), so any range of chunks (a shard) can be
//! run on its own and merged into exactly the one-machine result. A short pilot
//! first fixes the histogram ranges. Stopping (draw cap, precision, cancel) is checked
//! at batch boundaries (every `BATCH_CHUNKS` merged chunks), so where a run stops
//! depends only on its inputs.

use super::accum::Accumulator;
use super::condition::Condition;
use super::condition::Subject;
use super::drawn::Drawn;
use super::fold::{Block, Combiner, Fold, Part};
use super::kernel::{self, Workspace};
use super::layout::{FanSlot, Layout, Slot};
use super::normals::NormalStream;
use super::sampler::{Sampler, SOBOL_MAX_DIMS};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Model;
use crate::stats::wilson_half_width;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};

/// Draws per chunk: one random stream and one accumulator each.
pub const CHUNK: u64 = 2048;
/// Chunks between stopping checks; also how far simulation may run ahead of the merge.
pub const BATCH_CHUNKS: u64 = 16;
/// Draws of the pilot that fixes histogram ranges.
pub const PILOT_DRAWS: u64 = 4096;
/// Leading draws whose raw rows are kept for rank (Spearman) statistics.
pub const RANK_ROWS: u64 = 16_384;
/// Leading draws that feed the per-year fan quantiles.
pub const FAN_DRAWS: u64 = 65_536;
/// More draws than this is almost certainly a typo (days of computing).
pub const MAX_DRAWS: u64 = 10_000_000_000;

/// What to run: how many draws, from which seed, sampled how, when to stop early, and
/// which what-if conditions to evaluate.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Maximum number of draws.
    pub draws: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// How the uncertain parameters are sampled.
    pub sampler: Sampler,
    /// Stop once every modeled target's 95% half-width is at most this.
    pub precision: Option<f64>,
    /// `--given` conditions: P(hit | condition) is reported for each.
    pub conditions: Vec<Condition>,
}

impl RunConfig {
    /// Checks the configuration against the model it will run: every problem, each
    /// named by the setting at fault (`draws`, `precision`, `sampler`, `conditions`).
    pub fn validate(&self, m: &Model) -> Result<(), Diagnostics> {
        let mut problems = Diagnostics::new();
        let mut problem = |key: &str, message: String, hint: &str| {
            problems.push(Diagnostic::new(message).with_hint(hint).at_key(key));
        };
        if self.draws == 0 {
            problem(
                "draws",
                "draws must be at least 1".into(),
                "100000 draws estimate each P(hit) to within about ±0.3 percentage points",
            );
        }
        if self.draws > MAX_DRAWS {
            // About 10 µs per draw per core for a national scenario.
            let hours = self.draws as f64 * 1e-5 / 3600.0;
            problem(
                "draws",
                format!("{} draws would take roughly {hours:.0} core-hours (memory stays bounded, but the run would not finish today)", self.draws),
                "10^6 draws already give ±0.1 pp; a precision target stops when the estimate is tight enough",
            );
        }
        if let Some(e) = self.precision {
            if !(e > 0.0 && e < 0.5) {
                problem(
                    "precision",
                    format!(
                        "precision {e} must lie in (0, 0.5): it is a half-width of a probability"
                    ),
                    "e.g. 0.005 stops when every P(hit) is known to ±0.5 percentage points",
                );
            }
        }
        if self.sampler == Sampler::Sobol && m.uncertain.len() > SOBOL_MAX_DIMS {
            problem(
                "sampler",
                format!(
                    "the sobol sampler supports at most {SOBOL_MAX_DIMS} uncertain parameters; this scenario has {}",
                    m.uncertain.len()
                ),
                "use the lhs sampler",
            );
        }
        for c in &self.conditions {
            let known = match c.subject {
                Subject::Param(p) => m.params.get(p).is_some(),
                Subject::Target(t) => m.targets.get(t).is_some_and(|t| t.eval.is_some()),
            };
            if !known {
                problem(
                    "conditions",
                    format!(
                        "condition `{}` names no parameter or modeled target of this scenario",
                        c.text
                    ),
                    "build conditions with parse_condition on the model they are run with",
                );
            }
        }
        problems.into_result(())
    }
}

/// Why a run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// It made the draws asked for.
    Draws,
    /// Every modeled target reached the precision asked for.
    Precision,
    /// The user cancelled it.
    Cancelled,
}

impl StopReason {
    /// The reason in words.
    pub fn describe(self) -> &'static str {
        match self {
            StopReason::Draws => "reached the requested number of draws",
            StopReason::Precision => "every modeled target reached the requested precision",
            StopReason::Cancelled => "cancelled by the user",
        }
    }
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// What was accumulated and where.
    pub layout: Layout,
    /// The accumulated results.
    pub acc: Accumulator,
    /// (draws so far, hits per modeled target) at geometrically spaced points.
    pub convergence: Vec<(u64, Vec<u64>)>,
    /// Why it stopped.
    pub stop: StopReason,
}

/// What a run over a range of chunks produced (a shard of a run, or a whole run).
#[derive(Debug, Clone)]
pub struct PartOutput {
    /// What was accumulated and where.
    pub layout: Layout,
    /// The range's folded accumulators and counts.
    pub part: Part,
    /// Why it stopped.
    pub stop: StopReason,
}

/// Runs the Monte Carlo on the current rayon pool. `progress` receives the number of
/// draws done after each batch; setting `cancel` stops at the next batch boundary.
///
/// A configuration that does not fit the model ([`RunConfig::validate`]) is refused
/// before anything is drawn.
pub fn run(
    m: &Model,
    cfg: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<RunOutput, Diagnostics> {
    let out = run_part(m, cfg, 0..cfg.draws.div_ceil(CHUNK), progress, cancel)?;
    let mut combiner = Combiner::new();
    combiner
        .add(out.part)
        .expect("a range folds to aligned blocks");
    let whole = combiner.finish(Accumulator::new(&out.layout));
    Ok(RunOutput {
        layout: out.layout,
        acc: whole.acc,
        convergence: whole.convergence,
        stop: out.stop,
    })
}

/// Runs the chunks in `range` (of a run of `cfg.draws` draws); `progress` and `cancel`
/// as for [`run`]. The precision rule, if any, is applied to the range's own counts, so
/// it means what it says only for a range that starts at chunk 0.
///
/// Workers take chunks in order and never wait for a batch to finish: each finished
/// chunk is handed to the merger, which folds chunks strictly in chunk order and makes
/// the stopping decisions at batch boundaries on the merged counts, exactly as if the
/// batches ran one after another. Chunks simulated past a stop are discarded. At most
/// `BATCH_CHUNKS` chunks run ahead of the merge, which bounds memory.
pub fn run_part(
    m: &Model,
    cfg: &RunConfig,
    range: Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<PartOutput, Diagnostics> {
    cfg.validate(m)?;
    let (layout, piloted) = pilot(m, cfg);
    let total = cfg.draws.div_ceil(CHUNK);
    let range = range.start.min(total)..range.end.min(total);
    let mut merger = Merger::new(&layout, range.clone(), total);
    // The pilot's chunks come first and are already accumulated.
    let piloted_end = (piloted.len() as u64).min(range.end);
    for (c, a) in piloted.into_iter().enumerate() {
        if range.contains(&(c as u64)) {
            merger.offer(c as u64, a, cfg, progress, cancel);
        }
    }
    let next_claim = AtomicU64::new(range.start.max(piloted_end));
    let state = Mutex::new(merger);
    let advanced = Condvar::new();
    // Only the fans read series beyond the targets' years.
    let all_series_until = if m.fans.is_empty() {
        0
    } else {
        layout.fan_draws
    };
    let worker = || loop {
        let c = next_claim.fetch_add(1, Ordering::Relaxed);
        if c >= range.end {
            return;
        }
        {
            let mut s = state.lock().expect("merger lock");
            while s.stop.is_none() && c >= s.next + BATCH_CHUNKS {
                s = advanced.wait(s).expect("merger lock");
            }
            if s.stop.is_some() {
                return;
            }
        }
        let mut a = Accumulator::new(&layout);
        simulate_chunk_with(m, cfg, c, all_series_until, |d, i| a.add(&layout, d, i));
        a.flush();
        let mut s = state.lock().expect("merger lock");
        if s.stop.is_some() {
            return;
        }
        s.offer(c, a, cfg, progress, cancel);
        advanced.notify_all();
    };
    if next_claim.load(Ordering::Relaxed) < range.end {
        rayon::scope(|scope| {
            for _ in 0..rayon::current_num_threads() {
                scope.spawn(|_| worker());
            }
        });
    }
    let s = state.into_inner().expect("merger lock");
    Ok(PartOutput {
        layout,
        part: Part {
            blocks: s.fold.into_blocks(),
            draws: s.draws,
            hits: s.hits,
            convergence: s.convergence,
        },
        stop: s.stop.unwrap_or(StopReason::Draws),
    })
}

/// The convergence checkpoint after `c` chunks: 1, 2, 3, 4, 6, 8, 12, 16, … (about √2
/// apart). A run records (draws, hits) after each checkpoint's chunks and its last.
pub fn next_checkpoint(c: u64) -> u64 {
    if c.is_power_of_two() {
        c * 3 / 2
    } else {
        c * 4 / 3
    }
    .max(c + 1)
}

/// The run's accumulated state, folded in chunk order.
struct Merger {
    fold: Fold,
    /// Draws and hits so far (what stopping and convergence read).
    draws: u64,
    hits: Vec<u64>,
    convergence: Vec<(u64, Vec<u64>)>,
    next_checkpoint: u64,
    /// The next chunk to merge.
    next: u64,
    /// The range's end and the whole run's chunk count.
    end: u64,
    total: u64,
    /// Finished chunks waiting for an earlier one.
    waiting: BTreeMap<u64, Accumulator>,
    /// Set at a batch boundary when the run stops early.
    stop: Option<StopReason>,
}

impl Merger {
    fn new(layout: &Layout, range: Range<u64>, total: u64) -> Merger {
        let mut next_checkpoint = 1;
        while next_checkpoint <= range.start {
            next_checkpoint = self::next_checkpoint(next_checkpoint);
        }
        Merger {
            fold: Fold::new(),
            draws: 0,
            hits: vec![0; layout.slots.len()],
            convergence: Vec::new(),
            next_checkpoint,
            next: range.start,
            end: range.end,
            total,
            waiting: BTreeMap::new(),
            stop: None,
        }
    }

    /// Takes finished chunk `c` and merges every chunk that is now next in order,
    /// deciding at each batch boundary whether the run goes on.
    fn offer(
        &mut self,
        c: u64,
        a: Accumulator,
        cfg: &RunConfig,
        progress: &(dyn Fn(u64) + Sync),
        cancel: &AtomicBool,
    ) {
        self.waiting.insert(c, a);
        while self.stop.is_none() {
            let Some(part) = self.waiting.remove(&self.next) else {
                return;
            };
            self.draws += part.draws();
            for (h, p) in self.hits.iter_mut().zip(part.hits()) {
                *h += p;
            }
            self.fold
                .push(Block::chunk(self.next, part))
                .expect("chunks are pushed in order");
            self.next += 1;
            let done_chunks = self.next;
            if done_chunks == self.next_checkpoint || done_chunks == self.total {
                self.convergence.push((self.draws, self.hits.clone()));
                self.next_checkpoint = next_checkpoint(self.next_checkpoint);
            }
            if !done_chunks.is_multiple_of(BATCH_CHUNKS) && done_chunks != self.end {
                continue;
            }
            progress(self.draws);
            if done_chunks < self.end {
                if cancel.load(Ordering::Relaxed) {
                    self.stop = Some(StopReason::Cancelled);
                } else if let Some(e) = cfg.precision {
                    if self
                        .hits
                        .iter()
                        .all(|&h| wilson_half_width(h, self.draws) <= e)
                    {
                        self.stop = Some(StopReason::Precision);
                    }
                }
            }
        }
        // Stopped: nothing more is merged.
        self.waiting.clear();
    }
}

/// Simulates chunk `c` (its draws capped by the run's total), calling `f` per draw
/// (with the draw's global index) with every series evaluated in every year.
pub fn simulate_chunk(m: &Model, cfg: &RunConfig, c: u64, f: impl FnMut(&Drawn<'_>, u64)) {
    simulate_chunk_with(m, cfg, c, u64::MAX, f)
}

/// Like [`simulate_chunk`], but draws from index `all_series_until` on evaluate series
/// only at the years targets read (`kernel::draw_outcomes`): same outcomes, less work.
pub fn simulate_chunk_with(
    m: &Model,
    cfg: &RunConfig,
    c: u64,
    all_series_until: u64,
    mut f: impl FnMut(&Drawn<'_>, u64),
) {
    let first = c * CHUNK;
    let n = (cfg.draws - first).min(CHUNK) as usize;
    let k = m.uncertain.len();
    let mut ws = Workspace::new(m);
    let mut u = vec![0.0; n * k];
    cfg.sampler.fill(cfg.seed, c, first, n, k, &mut u);
    let inputs = ws.inputs(n, u);
    let mut shocks = NormalStream::new(cfg.seed, c);
    for i in 0..n {
        let index = first + i as u64;
        if index < all_series_until {
            kernel::draw(m, &mut ws, inputs.draw(i), &mut shocks);
        } else {
            kernel::draw_outcomes(m, &mut ws, inputs.draw(i), &mut shocks);
        }
        f(&ws.drawn(), index);
    }
}

/// The layout of a run of `cfg` (histogram ranges from its pilot, which this runs on
/// the current rayon pool): the same for every shard of the run.
pub fn layout(m: &Model, cfg: &RunConfig) -> Layout {
    pilot(m, cfg).0
}

/// Runs the first draws once to find where outcomes and fan values lie, and returns
/// the layout with histogram ranges a little wider than what the pilot saw, together
/// with the pilot chunks' accumulators, so the main run does not simulate them again.
///
/// Those accumulators are filled by the same `Accumulator::add` as every other chunk,
/// under a provisional layout that differs only in histogram ranges; their histograms
/// are then rebuilt from the recorded values under the final ranges, in draw order.
fn pilot(m: &Model, cfg: &RunConfig) -> (Layout, Vec<Accumulator>) {
    let y = m.years();
    let mut layout = Layout {
        slots: m
            .modeled_targets()
            .map(|(target, t)| Slot {
                target,
                goal: t.goal,
                binding: t.binding,
                range: (0.0, 1.0),
            })
            .collect(),
        fans: m
            .fans
            .iter()
            .map(|&series| FanSlot {
                series,
                ranges: vec![(0.0, 1.0); y],
            })
            .collect(),
        years: y,
        uncertain: m.uncertain.clone(),
        conditions: cfg.conditions.clone(),
        keep_rows: RANK_ROWS,
        fan_draws: FAN_DRAWS,
        responses: m.responses.len(),
    };
    let n_t = layout.slots.len();
    let width = n_t + layout.fans.len() * y;
    let chunks = cfg.draws.min(PILOT_DRAWS).div_ceil(CHUNK);
    let provisional = &layout;
    let parts: Vec<(Accumulator, Vec<f64>)> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut a = Accumulator::new(provisional);
            let mut values = Vec::with_capacity(CHUNK as usize * width);
            simulate_chunk(m, cfg, c, |d, i| {
                a.add(provisional, d, i);
                values.extend(provisional.slots.iter().map(|s| d.outcomes[s.target]));
                values.extend(
                    provisional
                        .fans
                        .iter()
                        .flat_map(|f| d.series(f.series).iter().copied()),
                );
            });
            a.flush();
            (a, values)
        })
        .collect();
    // min/max are exact and order-free, so the extremes do not depend on the chunking.
    let mut lo = vec![f64::INFINITY; width];
    let mut hi = vec![f64::NEG_INFINITY; width];
    for (_, values) in &parts {
        for row in values.chunks_exact(width.max(1)) {
            for ((l, h), &v) in lo.iter_mut().zip(hi.iter_mut()).zip(row) {
                if v.is_finite() {
                    *l = l.min(v);
                    *h = h.max(v);
                }
            }
        }
    }
    let ranges: Vec<(f64, f64)> = lo
        .iter()
        .zip(&hi)
        .map(|(&a, &b)| padded_range(a, b))
        .collect();
    for (slot, &r) in layout.slots.iter_mut().zip(&ranges[..n_t]) {
        slot.range = r;
    }
    for (fan, r) in layout.fans.iter_mut().zip(ranges[n_t..].chunks_exact(y)) {
        fan.ranges = r.to_vec();
    }
    let accumulators = parts
        .into_iter()
        .enumerate()
        .map(|(c, (mut a, values))| {
            a.rebin(&layout, c as u64 * CHUNK, &values);
            a
        })
        .collect();
    (layout, accumulators)
}

/// The pilot's range widened by 25% on each side (values outside still count, as
/// under/overflow with exact extremes).
fn padded_range(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    let w = hi - lo;
    let pad = if w > 0.0 {
        0.25 * w
    } else {
        lo.abs().max(1.0) * 1e-6
    };
    (lo - pad, hi + pad)
}
