//! The one-draw kernel: given a draw's parameter uniforms and its shock stream, simulate
//! every year of value added, capacity, energy, derived series and indicators, then
//! evaluate the series and targets. All buffers live in a reusable `Workspace`, so the
//! per-draw loop allocates nothing.
//!
//! Layout: year-major, `x[t·N + i]`, so each year's loop runs over contiguous memory.
//! `plan` resolves everything that depends only on the model once; `params`,
//! `economy` and `indicators` simulate a draw in that order; `evaluate` reads the
//! series and targets off the simulated arrays.
//!
//! Performance notes (an optimisation must leave results bit-identical, unless a change
//! of numbers is intended and tests/engine_stability.rs is re-pinned with the reason;
//! see BENCHMARKS.md):
//! - a draw's standard normals are generated first, in one tight loop, in exactly the
//!   order the simulation consumes them; the arithmetic then reads them from a buffer;
//! - everything that depends only on the model (series sources, indicator constants,
//!   which distribution each parameter has) is resolved once, in `Workspace::new`;
//! - `draw_outcomes` evaluates series (and indicator values) only at the years the
//!   targets read, for draws that feed no fan chart; `draw` evaluates every year.

mod economy;
mod evaluate;
mod indicators;
mod params;
mod plan;

use super::rng::{normal, Rng};
use crate::model::{Model, CAPACITY_FIELDS};
use plan::{Buf, Plan};

/// The simulated arrays of one draw.
#[derive(Debug, Clone)]
struct State {
    growth: Vec<f64>,
    vol: Vec<f64>,
    offset: Vec<f64>,
    shock_state: Vec<f64>,
    z_region: Vec<f64>,
    z_sector: Vec<f64>,
    va: Vec<f64>,
    energy: Vec<f64>,
    intensity_factor: Vec<f64>,
    /// Aggregates: [total, by region, by sector] per year, for VA and energy.
    va_region: Vec<f64>,
    va_sector: Vec<f64>,
    va_total: Vec<f64>,
    en_region: Vec<f64>,
    en_sector: Vec<f64>,
    en_total: Vec<f64>,
    capacity: Vec<f64>,
    capacity_factor: Vec<f64>,
    derived: Vec<f64>,
    derived_total: Vec<f64>,
    indicators: Vec<f64>,
}

impl State {
    #[inline]
    fn buf(&self, b: Buf) -> &[f64] {
        match b {
            Buf::Va => &self.va,
            Buf::VaRegion => &self.va_region,
            Buf::VaSector => &self.va_sector,
            Buf::VaTotal => &self.va_total,
            Buf::Energy => &self.energy,
            Buf::EnRegion => &self.en_region,
            Buf::EnSector => &self.en_sector,
            Buf::EnTotal => &self.en_total,
            Buf::Derived => &self.derived,
            Buf::DerivedTotal => &self.derived_total,
            Buf::Indicators => &self.indicators,
            Buf::Capacity => &self.capacity,
        }
    }
}

/// Scratch space for one draw, sized once per model.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Parameter values of the current draw (fixed ones set once).
    pub params: Vec<f64>,
    /// Each uncertain parameter's sensitivity bin: which of `SENSITIVITY_BINS`
    /// equal-probability slices of its distribution this draw's value fell in.
    pub bins: Vec<u8>,
    /// The uniforms the parameters are drawn from (after the copula). Normal parameters
    /// in the copula are drawn from their normal score instead; their entry still holds
    /// the uniform before the copula and is not read.
    uniforms: Vec<f64>,
    /// Target outcomes (NaN for unmodeled targets).
    pub outcomes: Vec<f64>,
    /// Series values at each target's baseline year.
    pub baselines: Vec<f64>,
    /// Series values, `series[k·Y + t]`. After `draw_outcomes`, only the years the
    /// targets read are current.
    pub series: Vec<f64>,
    z: Vec<f64>,
    z_corr: Vec<f64>,
    /// This draw's standard normals, in the order the simulation consumes them.
    normals: Vec<f64>,
    st: State,
    plan: Plan,
}

impl Workspace {
    pub fn new(m: &Model) -> Workspace {
        let (r, s, y) = (m.regions.len(), m.sectors.len(), m.years());
        let c = r * s;
        let mut params = vec![0.0; m.params.len()];
        for (i, p) in m.params.iter().enumerate() {
            if p.dist.is_fixed() {
                params[i] = p.dist.inverse_cdf(0.5);
            }
        }
        Workspace {
            params,
            bins: vec![0; m.uncertain.len()],
            uniforms: vec![0.0; m.uncertain.len()],
            outcomes: vec![f64::NAN; m.targets.len()],
            baselines: vec![f64::NAN; m.targets.len()],
            series: vec![0.0; m.series.len() * y],
            z: vec![0.0; m.uncertain.len()],
            z_corr: vec![0.0; m.uncertain.len()],
            normals: vec![0.0; normals_per_draw(m)],
            st: State {
                growth: vec![0.0; s],
                vol: vec![0.0; s],
                offset: vec![0.0; r],
                shock_state: vec![0.0; c],
                z_region: vec![0.0; r],
                z_sector: vec![0.0; s],
                va: vec![0.0; c * y],
                energy: vec![0.0; c * y],
                intensity_factor: vec![0.0; s * y],
                va_region: vec![0.0; r * y],
                va_sector: vec![0.0; s * y],
                va_total: vec![0.0; y],
                en_region: vec![0.0; r * y],
                en_sector: vec![0.0; s * y],
                en_total: vec![0.0; y],
                capacity: vec![0.0; m.capacity.len() * CAPACITY_FIELDS * y],
                capacity_factor: vec![0.0; m.capacity.len() * y],
                derived: vec![0.0; m.derived.len() * r * y],
                derived_total: vec![0.0; m.derived.len() * y],
                indicators: vec![0.0; m.indicators.len() * y],
            },
            plan: Plan::new(m),
        }
    }
}

/// Number of standard normals one draw consumes from its shock stream.
pub fn normals_per_draw(m: &Model) -> usize {
    let (r, s, y) = (m.regions.len(), m.sectors.len(), m.years());
    (y - 1) * (1 + r + s + r * s + m.derived.len() * r + m.indicators.len())
}

/// Simulates one draw and evaluates every series in every year. `u` holds the
/// uniforms of the uncertain parameters.
pub fn draw(m: &Model, ws: &mut Workspace, u: &[f64], rng: &mut Rng) {
    simulate(m, ws, u, rng, true);
    evaluate::evaluate_all(m, ws);
    evaluate::evaluate_targets(m, ws);
}

/// Like [`draw`], with identical outcomes and baselines, but evaluates series only at
/// the years targets read (other years of `ws.series` are left stale): for draws that
/// feed no fan chart.
pub fn draw_outcomes(m: &Model, ws: &mut Workspace, u: &[f64], rng: &mut Rng) {
    simulate(m, ws, u, rng, false);
    evaluate::evaluate_needed(ws);
    evaluate::evaluate_targets(m, ws);
}

#[inline]
fn simulate(m: &Model, ws: &mut Workspace, u: &[f64], rng: &mut Rng, all_years: bool) {
    params::prefetch_tables(m, ws, u);
    // A local copy of the generator keeps its state in registers through the loop.
    let mut local = rng.clone();
    for z in ws.normals.iter_mut() {
        *z = normal(&mut local);
    }
    *rng = local;
    params::set_params(m, ws, u);
    economy::simulate_value_added(m, ws);
    economy::simulate_capacity(m, ws);
    economy::simulate_energy(m, ws);
    economy::simulate_derived(m, ws);
    indicators::simulate_indicators(m, ws, all_years);
}
