//! The barometer: P(hit) of every target as of each year from the base year to the
//! last observation a run uses — the run repeated with the observations up to each
//! year, same seed and draws, so the changes from year to year come from the
//! observations, not from Monte Carlo noise. A year that adds no observation repeats
//! the year before (its run is shared).
//!
//! Each observation's prior percentile comes from the run as of the year before it:
//! the share of its draws whose simulated value in the observed year was at or below
//! the observation, read off that run's fan of the series (None when the series has
//! no fan).

use super::summarize::{histogram, summarize};
use super::summary::{Barometer, BarometerTarget, Summary};
use crate::diag::Diagnostics;
use crate::model::Model;
use crate::sim::{self, RunConfig, RunOutput};
use std::sync::atomic::AtomicBool;

/// Fills `summary.barometer` and the observations' prior percentiles for a run of
/// `model` (as of its last observation) summarized in `summary`; nothing when the
/// model uses no observation. Runs the model once per earlier set of observations.
pub fn add_barometer(
    model: &Model,
    cfg: &RunConfig,
    summary: &mut Summary,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<(), Diagnostics> {
    let Some(&last) = model.observed_years().last() else {
        return Ok(());
    };
    let years: Vec<i32> = (model.base_year..=last).collect();
    // The run as of each year: shared by the years between two observations.
    let mut runs: Vec<(i32, RunOutput, Summary)> = Vec::new();
    let mut p_hit: Vec<Vec<f64>> = Vec::new();
    let mut ci: Vec<Vec<[f64; 2]>> = Vec::new();
    for &year in &years {
        let key = model
            .observed_years()
            .into_iter()
            .rfind(|&y| y <= year)
            .unwrap_or(model.base_year);
        let as_of: &Summary = if key == last {
            summary
        } else {
            if !runs.iter().any(|(k, ..)| *k == key) {
                let m = model.as_of(key);
                let out = sim::run(&m, cfg, progress, cancel)?;
                let s = summarize(&m, &out, summary.seed, summary.sampler);
                runs.push((key, out, s));
            }
            &runs
                .iter()
                .find(|(k, ..)| *k == key)
                .expect("run just made")
                .2
        };
        let modeled = as_of.targets.iter().filter(|t| t.p_hit.is_some());
        p_hit.push(modeled.clone().filter_map(|t| t.p_hit).collect());
        ci.push(modeled.filter_map(|t| t.p_hit_ci95).collect());
    }
    let targets = summary
        .targets
        .iter()
        .filter(|t| t.p_hit.is_some())
        .enumerate()
        .map(|(j, t)| BarometerTarget {
            id: t.id.clone(),
            binding: t.binding,
            p_hit: p_hit.iter().map(|row| row[j]).collect(),
            p_hit_ci95: ci.iter().map(|row| row[j]).collect(),
        })
        .collect();
    summary.barometer = Some(Barometer { years, targets });
    for (o, result) in model.observed.iter().zip(summary.observed.iter_mut()) {
        result.prior_percentile = runs
            .iter()
            .rfind(|(k, ..)| *k < o.year)
            .and_then(|(_, out, _)| prior_percentile(model, out, o.series, o.year, o.value));
    }
    Ok(())
}

/// Share of the draws of `out` whose value of `series` in `year` is at or below
/// `value`, from the series' fan; None without a fan.
fn prior_percentile(
    model: &Model,
    out: &RunOutput,
    series: crate::ix::SeriesIx,
    year: i32,
    value: f64,
) -> Option<f64> {
    let f = out
        .layout
        .fans
        .iter()
        .position(|fan| fan.series == series)?;
    let t = (year - model.base_year) as usize;
    Some(histogram(out.acc.fan(f, t)).cdf(value))
}
