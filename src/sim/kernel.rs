//! The one-draw kernel: given a draw's parameter uniforms and its shock stream, simulate
//! every year of value added, capacity, energy, derived series and indicators, then
//! evaluate the series and targets. All buffers live in a reusable `Workspace`, so the
//! per-draw loop allocates nothing.
//!
//! Layout: year-major, `x[t·N + i]`, so each year's loop runs over contiguous memory.
//!
//! Performance notes (every change here must leave results bit-identical; see
//! tests/engine_stability.rs and BENCHMARKS.md):
//! - a draw's standard normals are generated first, in one tight loop, in exactly the
//!   order the simulation consumes them; the arithmetic then reads them from a buffer;
//! - everything that depends only on the model (series sources, indicator constants,
//!   which distribution each parameter has) is resolved once, in `Workspace::new`;
//! - `draw_outcomes` evaluates series only at the years the targets read, for draws
//!   that feed no fan chart; `draw` evaluates every year.

use super::accum::SENSITIVITY_BINS;
use super::exp::{exp, exp_in_place};
use super::rng::{normal, Rng};
use crate::model::copula::Copula;
use crate::model::dist::{
    std_normal_cdf, std_normal_inv, tabulated_node, tabulated_quantile, Distribution,
};
use crate::model::{CapacityField, Model, Source, CAPACITY_FIELDS};
use crate::scenario::spec::{IndicatorKind, Metric};

/// Growth below −95% a year is floored: (1 + g) must stay positive for levels to make sense.
const MIN_GROWTH: f64 = -0.95;

// `simulate_capacity` writes the fields as consecutive blocks in this order.
const _: () = assert!(
    CapacityField::Eliminated as usize == 0
        && CapacityField::Backward as usize == 1
        && CapacityField::Output as usize == 2
        && CapacityField::UnitEnergy as usize == 3
        && CapacityField::BackwardShare as usize == 4
        && CAPACITY_FIELDS == 5
);

/// Which simulated array a series source reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Buf {
    Va,
    VaRegion,
    VaSector,
    VaTotal,
    Energy,
    EnRegion,
    EnSector,
    EnTotal,
    Derived,
    DerivedTotal,
    Indicators,
    Capacity,
}

/// A source resolved to `array[base + t·stride]`.
#[derive(Debug, Clone, Copy)]
struct Ref {
    buf: Buf,
    base: usize,
    stride: usize,
}

#[derive(Debug, Clone)]
struct SeriesPlan {
    num: Ref,
    den: Option<Ref>,
    scale: f64,
}

/// Model constants of an indicator, computed once.
#[derive(Debug, Clone, Copy)]
struct IndicatorPlan {
    bounded: bool,
    lower: f64,
    width: f64,
    /// d logit(x)/dx at the start (bounded).
    slope: f64,
    /// logit of the start value (bounded).
    logit0: f64,
}

impl IndicatorPlan {
    /// A bounded indicator's value from e^(−logit).
    #[inline(always)]
    fn bounded_value(&self, e: f64) -> f64 {
        self.lower + self.width / (1.0 + e)
    }
}

/// Model-derived constants and index tables of the kernel.
#[derive(Debug, Clone)]
struct Plan {
    /// (sampler dimension, parameter, mean, sd) of normal parameters outside the copula.
    normal_params: Vec<(usize, usize, f64, f64)>,
    /// (copula dimension, parameter, mean, sd) of normal parameters in the copula: their
    /// value is `mean + sd·z` of the correlated normal score, no Φ and Φ⁻¹ round trip.
    copula_normal: Vec<(usize, usize, f64, f64)>,
    /// (copula dimension, sampler dimension) of the other parameters in the copula: they
    /// need the uniform Φ(z).
    copula_uniform: Vec<(usize, usize)>,
    /// Sampler dimensions whose sensitivity bin is read off their uniform (all but
    /// `copula_normal`, binned by `bin_edges` of the normal score).
    binned_by_uniform: Vec<usize>,
    /// Φ⁻¹(b / SENSITIVITY_BINS), b = 1 … SENSITIVITY_BINS − 1: a normal score's
    /// sensitivity bin is the number of edges at or below it.
    bin_edges: [f64; SENSITIVITY_BINS - 1],
    /// (sampler dimension, parameter) of tabulated parameters.
    tabulated_params: Vec<(usize, usize)>,
    /// Those of them outside the copula: their uniform is known when a draw starts.
    tabulated_prefetch: Vec<(usize, usize)>,
    /// (sampler dimension, parameter) of all other uncertain parameters.
    other_params: Vec<(usize, usize)>,
    series: Vec<SeriesPlan>,
    /// (series, year) pairs the targets read, sorted: the only series values
    /// `draw_outcomes` computes.
    needed: Vec<(usize, usize)>,
    indicators: Vec<IndicatorPlan>,
    /// `i·Y + t` of the indicator values (t ≥ 1) some needed series reads: the only
    /// ones `draw_outcomes` computes.
    needed_indicators: Vec<usize>,
    /// Normals per simulated year of value added: national, regions, sectors, cells.
    va_normals_per_year: usize,
    years: usize,
    /// Which aggregates something reads (an unread one is not computed): [VA, energy].
    need: [Aggregates; 2],
    /// Per capacity process: whether a sector's energy intensity follows it.
    drives_energy: Vec<bool>,
}

/// Which aggregates of an account are read.
#[derive(Debug, Clone, Copy, Default)]
struct Aggregates {
    region: bool,
    sector: bool,
    total: bool,
}

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
    /// The uniforms the parameters are drawn from (after the copula); not kept for
    /// normal parameters in the copula, which are drawn from their normal score.
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

fn resolve(m: &Model, src: Source) -> Ref {
    let (r_n, s_n, y) = (m.regions.len(), m.sectors.len(), m.years());
    match src {
        Source::Account {
            energy,
            region,
            sector,
        } => {
            let (cells, reg, sec, tot) = if energy {
                (Buf::Energy, Buf::EnRegion, Buf::EnSector, Buf::EnTotal)
            } else {
                (Buf::Va, Buf::VaRegion, Buf::VaSector, Buf::VaTotal)
            };
            match (region, sector) {
                (None, None) => Ref {
                    buf: tot,
                    base: 0,
                    stride: 1,
                },
                (Some(r), None) => Ref {
                    buf: reg,
                    base: r,
                    stride: r_n,
                },
                (None, Some(s)) => Ref {
                    buf: sec,
                    base: s,
                    stride: s_n,
                },
                (Some(r), Some(s)) => Ref {
                    buf: cells,
                    base: r * s_n + s,
                    stride: r_n * s_n,
                },
            }
        }
        Source::Derived {
            index,
            region: None,
        } => Ref {
            buf: Buf::DerivedTotal,
            base: index * y,
            stride: 1,
        },
        Source::Derived {
            index,
            region: Some(r),
        } => Ref {
            buf: Buf::Derived,
            base: index * y * r_n + r,
            stride: r_n,
        },
        Source::Indicator(i) => Ref {
            buf: Buf::Indicators,
            base: i * y,
            stride: 1,
        },
        Source::Capacity { index, field } => Ref {
            buf: Buf::Capacity,
            base: index * CAPACITY_FIELDS * y + field as usize * y,
            stride: 1,
        },
    }
}

impl Plan {
    fn new(m: &Model) -> Plan {
        let y = m.years();
        let copula_dims: &[usize] = m.copula.as_ref().map_or(&[], |(dims, _)| dims);
        let in_copula = |k: usize| copula_dims.contains(&k);
        let (mut normal_params, mut tabulated_params, mut other_params) =
            (Vec::new(), Vec::new(), Vec::new());
        for (k, &p) in m.uncertain.iter().enumerate() {
            match m.params[p].dist {
                Distribution::Normal { .. } if in_copula(k) => {}
                Distribution::Normal { mean, sd } => normal_params.push((k, p, mean, sd)),
                Distribution::Tabulated { .. } => tabulated_params.push((k, p)),
                _ => other_params.push((k, p)),
            }
        }
        let (mut copula_normal, mut copula_uniform) = (Vec::new(), Vec::new());
        for (c, &k) in copula_dims.iter().enumerate() {
            let p = m.uncertain[k];
            match m.params[p].dist {
                Distribution::Normal { mean, sd } => copula_normal.push((c, p, mean, sd)),
                _ => copula_uniform.push((c, k)),
            }
        }
        let binned_by_uniform = (0..m.uncertain.len())
            .filter(|&k| !copula_normal.iter().any(|&(c, ..)| copula_dims[c] == k))
            .collect();
        let bin_edges = normal_bin_edges();
        let tabulated_prefetch = tabulated_params
            .iter()
            .copied()
            .filter(|&(k, _)| !in_copula(k))
            .collect();
        let series: Vec<SeriesPlan> = m
            .series
            .iter()
            .map(|d| SeriesPlan {
                num: resolve(m, d.num),
                den: d.den.map(|s| resolve(m, s)),
                scale: d.scale,
            })
            .collect();
        let mut needed = Vec::new();
        for e in m
            .targets
            .iter()
            .filter_map(|t| t.eval.as_ref().map(|e| (t.metric, e)))
        {
            let (metric, e) = e;
            needed.push((e.series, e.from));
            needed.push((e.series, e.to));
            if metric == Metric::Cumulative {
                needed.extend((e.from + 1..=e.to).map(|t| (e.series, t)));
            }
        }
        needed.sort_unstable();
        needed.dedup();
        let mut needed_indicators = Vec::new();
        for &(k, t) in needed.iter().filter(|&&(_, t)| t > 0) {
            let d = &m.series[k];
            for src in std::iter::once(d.num).chain(d.den) {
                if let Source::Indicator(i) = src {
                    needed_indicators.push(i * y + t);
                }
            }
        }
        needed_indicators.sort_unstable();
        needed_indicators.dedup();
        let indicators = m
            .indicators
            .iter()
            .map(|ind| {
                let width = ind.upper - ind.lower;
                let q = (ind.start - ind.lower) / width;
                IndicatorPlan {
                    bounded: ind.kind == IndicatorKind::Bounded,
                    lower: ind.lower,
                    width,
                    slope: width * q * (1.0 - q),
                    logit0: (q / (1.0 - q)).ln(),
                }
            })
            .collect();
        let (r_n, s_n) = (m.regions.len(), m.sectors.len());
        let mut need = [Aggregates::default(); 2];
        for p in &series {
            for r in std::iter::once(p.num).chain(p.den) {
                match r.buf {
                    Buf::VaRegion => need[0].region = true,
                    Buf::VaSector => need[0].sector = true,
                    Buf::VaTotal => need[0].total = true,
                    Buf::EnRegion => need[1].region = true,
                    Buf::EnSector => need[1].sector = true,
                    Buf::EnTotal => need[1].total = true,
                    _ => {}
                }
            }
        }
        // Capacity output follows its sector's VA; derived series over all sectors read
        // region totals.
        need[0].sector |= !m.capacity.is_empty();
        for d in m.derived.iter().filter(|d| d.sectors.len() == s_n) {
            need[usize::from(d.basis_energy)].region = true;
        }
        let drives_energy = (0..m.capacity.len())
            .map(|k| m.energy_driver.contains(&Some(k)))
            .collect();
        Plan {
            normal_params,
            copula_normal,
            copula_uniform,
            binned_by_uniform,
            bin_edges,
            tabulated_params,
            tabulated_prefetch,
            other_params,
            series,
            needed,
            indicators,
            needed_indicators,
            va_normals_per_year: 1 + r_n + s_n + r_n * s_n,
            years: y,
            need,
            drives_energy,
        }
    }
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
    evaluate_all(m, ws);
    evaluate_targets(m, ws);
}

/// Like [`draw`], with identical outcomes and baselines, but evaluates series only at
/// the years targets read (other years of `ws.series` are left stale): for draws that
/// feed no fan chart.
pub fn draw_outcomes(m: &Model, ws: &mut Workspace, u: &[f64], rng: &mut Rng) {
    simulate(m, ws, u, rng, false);
    evaluate_needed(ws);
    evaluate_targets(m, ws);
}

#[inline]
fn simulate(m: &Model, ws: &mut Workspace, u: &[f64], rng: &mut Rng, all_years: bool) {
    // The quantile tables (32 KiB each) do not all stay in cache between draws: ask for
    // this draw's entries now, so they arrive while the normals are generated.
    for &(k, p) in &ws.plan.tabulated_prefetch {
        if let Distribution::Tabulated { quantiles, .. } = &m.params[p].dist {
            let i = tabulated_node(quantiles, u[k]);
            prefetch(&quantiles[i]);
            prefetch(&quantiles[i + 1]);
        }
    }
    // A local copy of the generator keeps its state in registers through the loop.
    let mut local = rng.clone();
    for z in ws.normals.iter_mut() {
        *z = normal(&mut local);
    }
    *rng = local;
    set_params(m, ws, u);
    simulate_value_added(m, ws);
    simulate_capacity(m, ws);
    simulate_energy(m, ws);
    simulate_derived(m, ws);
    simulate_indicators(m, ws, all_years);
}

/// Hints the CPU to bring `x`'s cache line closer; no effect on results.
#[inline(always)]
fn prefetch(x: &f64) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    // SAFETY: a prefetch is only a hint: it never faults and reads or writes nothing
    // observable, and the address comes from a live reference.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((x as *const f64).cast::<i8>());
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = x;
}

fn set_params(m: &Model, ws: &mut Workspace, u: &[f64]) {
    ws.uniforms.copy_from_slice(&u[..m.uncertain.len()]);
    let plan = &ws.plan;
    if let Some((dims, copula)) = &m.copula {
        for (k, &d) in dims.iter().enumerate() {
            ws.z[k] = std_normal_inv(ws.uniforms[d]);
        }
        correlate(copula, &ws.z[..dims.len()], &mut ws.z_corr[..dims.len()]);
        for &(c, p, mean, sd) in &plan.copula_normal {
            let z = ws.z_corr[c];
            ws.params[p] = mean + sd * z;
            ws.bins[dims[c]] = normal_bin(&plan.bin_edges, z);
        }
        for &(c, d) in &plan.copula_uniform {
            // Clamp away from {0, 1}: Φ of a large |z| rounds to exactly 0 or 1.
            ws.uniforms[d] = std_normal_cdf(ws.z_corr[c]).clamp(1e-300, 1.0 - 1e-16);
        }
    }
    for &k in &plan.binned_by_uniform {
        ws.bins[k] =
            ((ws.uniforms[k] * SENSITIVITY_BINS as f64) as u8).min(SENSITIVITY_BINS as u8 - 1);
    }
    // Grouped by distribution (each value is what `inverse_cdf` gives): the tabulated
    // lookups are independent loads in one tight loop, so their cache misses overlap.
    for &(k, p) in &plan.tabulated_params {
        if let Distribution::Tabulated { quantiles, .. } = &m.params[p].dist {
            ws.params[p] = tabulated_quantile(quantiles, ws.uniforms[k]);
        }
    }
    for &(k, p, mean, sd) in &plan.normal_params {
        ws.params[p] = mean + sd * std_normal_inv(ws.uniforms[k]);
    }
    for &(k, p) in &plan.other_params {
        ws.params[p] = m.params[p].dist.inverse_cdf(ws.uniforms[k]);
    }
}

/// Φ⁻¹(b / SENSITIVITY_BINS) for b = 1 … SENSITIVITY_BINS − 1.
fn normal_bin_edges() -> [f64; SENSITIVITY_BINS - 1] {
    std::array::from_fn(|b| std_normal_inv((b + 1) as f64 / SENSITIVITY_BINS as f64))
}

/// The number of `edges` at or below `z` (edges ascending), by a branch-free binary
/// search: four comparisons instead of fifteen.
#[inline]
fn normal_bin(edges: &[f64; SENSITIVITY_BINS - 1], z: f64) -> u8 {
    const _: () = assert!(SENSITIVITY_BINS == 16);
    let mut b = 0;
    for step in [8, 4, 2, 1] {
        b += step * usize::from(edges[b + step - 1] <= z);
    }
    b as u8
}

/// `out = L·z`, exactly as `Copula::correlate` computes it (each row summed left to
/// right from −0.0, as `Iterator::sum` does), four rows at a time so that four
/// independent sums overlap in the pipeline instead of one long chain of additions.
fn correlate(c: &Copula, z: &[f64], out: &mut [f64]) {
    let n = c.dim;
    let f = &c.factor;
    let mut i = 0;
    while i + 4 <= n {
        let (r0, r1, r2, r3) = (
            &f[i * n..i * n + i + 1],
            &f[(i + 1) * n..(i + 1) * n + i + 2],
            &f[(i + 2) * n..(i + 2) * n + i + 3],
            &f[(i + 3) * n..(i + 3) * n + i + 4],
        );
        let (mut a0, mut a1, mut a2, mut a3) = (-0.0, -0.0, -0.0, -0.0);
        for (j, &zj) in z[..=i].iter().enumerate() {
            a0 += r0[j] * zj;
            a1 += r1[j] * zj;
            a2 += r2[j] * zj;
            a3 += r3[j] * zj;
        }
        a1 += r1[i + 1] * z[i + 1];
        a2 += r2[i + 1] * z[i + 1];
        a3 += r3[i + 1] * z[i + 1];
        a2 += r2[i + 2] * z[i + 2];
        a3 += r3[i + 2] * z[i + 2];
        a3 += r3[i + 3] * z[i + 3];
        out[i..i + 4].copy_from_slice(&[a0, a1, a2, a3]);
        i += 4;
    }
    for (i, o) in out.iter_mut().enumerate().take(n).skip(i) {
        *o = f[i * n..i * n + i + 1]
            .iter()
            .zip(z)
            .map(|(a, b)| a * b)
            .sum();
    }
}

fn simulate_value_added(m: &Model, ws: &mut Workspace) {
    let (r_n, s_n, y) = (m.regions.len(), m.sectors.len(), m.years());
    let c_n = r_n * s_n;
    let sh = m.shocks;
    let st = &mut ws.st;
    for s in 0..s_n {
        st.growth[s] = m.growth[s].get(&ws.params);
        st.vol[s] = m.volatility[s].get(&ws.params);
    }
    for r in 0..r_n {
        st.offset[r] = m.region_offset[r].get(&ws.params);
    }
    st.va[..c_n].copy_from_slice(&m.va0);
    let per_year = ws.plan.va_normals_per_year;
    for t in 1..y {
        let zs = &ws.normals[(t - 1) * per_year..t * per_year];
        let z_nat = sh.national * zs[0];
        for (z, n) in st.z_region.iter_mut().zip(&zs[1..1 + r_n]) {
            *z = sh.region * n;
        }
        for (z, n) in st.z_sector.iter_mut().zip(&zs[1 + r_n..1 + r_n + s_n]) {
            *z = sh.sector * n;
        }
        let idio = &zs[1 + r_n + s_n..];
        let (prev, cur) = st.va[(t - 1) * c_n..(t + 1) * c_n].split_at_mut(c_n);
        for r in 0..r_n {
            let base = z_nat + st.z_region[r];
            let offset = st.offset[r];
            let cells = r * s_n..(r + 1) * s_n;
            let it = cur[cells.clone()]
                .iter_mut()
                .zip(&prev[cells.clone()])
                .zip(st.shock_state[cells.clone()].iter_mut())
                .zip(&idio[cells])
                .zip(st.z_sector.iter().zip(st.growth.iter().zip(&st.vol)));
            if t == 1 {
                for ((((cur, prev), state), z), (zs, (g, v))) in it {
                    let eps = base + zs + sh.idiosyncratic * z;
                    *state = eps;
                    *cur = prev * (1.0 + (g + offset + v * eps).max(MIN_GROWTH));
                }
            } else {
                for ((((cur, prev), state), z), (zs, (g, v))) in it {
                    let eps = base + zs + sh.idiosyncratic * z;
                    let u = sh.ar1 * *state + sh.innovation * eps;
                    *state = u;
                    *cur = prev * (1.0 + (g + offset + v * u).max(MIN_GROWTH));
                }
            }
        }
    }
    aggregate(
        &st.va,
        r_n,
        s_n,
        y,
        ws.plan.need[0],
        &mut st.va_region,
        &mut st.va_sector,
        &mut st.va_total,
    );
}

/// Sums cell values into region, sector and total aggregates per year (those `need`
/// asks for; the total is the sum of the region sums).
#[allow(clippy::too_many_arguments)]
fn aggregate(
    x: &[f64],
    r_n: usize,
    s_n: usize,
    y: usize,
    need: Aggregates,
    region: &mut [f64],
    sector: &mut [f64],
    total: &mut [f64],
) {
    if need.region || need.total {
        for (row, reg) in x.chunks_exact(r_n * s_n).zip(region.chunks_exact_mut(r_n)) {
            for (cells, v) in row.chunks_exact(s_n).zip(reg.iter_mut()) {
                *v = cells.iter().sum();
            }
        }
    }
    if need.total {
        for (reg, tot) in region.chunks_exact(r_n).zip(total.iter_mut()) {
            *tot = reg.iter().sum();
        }
    }
    if need.sector {
        for (row, sec) in x
            .chunks_exact(r_n * s_n)
            .zip(sector.chunks_exact_mut(s_n))
            .take(y)
        {
            sec.fill(0.0);
            for cells in row.chunks_exact(s_n) {
                for (a, v) in sec.iter_mut().zip(cells) {
                    *a += v;
                }
            }
        }
    }
}

fn simulate_capacity(m: &Model, ws: &mut Workspace) {
    let (s_n, y) = (m.sectors.len(), m.years());
    let st = &mut ws.st;
    for (k, p) in m.capacity.iter().enumerate() {
        let ach = p.achievement.get(&ws.params);
        let prog = p.progress.get(&ws.params);
        // Reciprocals once per process, so each year costs one division (the share).
        let output_per_va = p.output / st.va_sector[p.sector];
        let capacity_per_output = p.capacity / p.output;
        let mut backward = p.backward;
        let mut advanced = p.capacity - p.backward;
        let mut ue_adv = p.unit_energy_advanced;
        let unit_energy = |b: f64, a: f64, ue_adv: f64| {
            let share = if a + b > 0.0 { b / (a + b) } else { 0.0 };
            (
                share * p.unit_energy_backward + (1.0 - share) * ue_adv,
                share,
            )
        };
        let (ue0, share0) = unit_energy(backward, advanced, ue_adv);
        let per_ue0 = 1.0 / ue0;
        // Fields in `CapacityField` order: eliminated, backward, output, unit energy,
        // backward share.
        let cap = &mut st.capacity[k * CAPACITY_FIELDS * y..(k + 1) * CAPACITY_FIELDS * y];
        let (eliminated_f, rest) = cap.split_at_mut(y);
        let (backward_f, rest) = rest.split_at_mut(y);
        let (output_f, rest) = rest.split_at_mut(y);
        let (unit_energy_f, share_f) = rest.split_at_mut(y);
        let drives_energy = ws.plan.drives_energy[k];
        let factor = &mut st.capacity_factor[k * y..(k + 1) * y];
        eliminated_f[0] = 0.0;
        backward_f[0] = backward;
        output_f[0] = p.output;
        unit_energy_f[0] = ue0;
        share_f[0] = 100.0 * share0;
        factor[0] = 1.0;
        for t in 1..y {
            let output = output_per_va * st.va_sector[t * s_n + p.sector];
            let eliminated = (ach * p.plan * p.profile[t - 1]).clamp(0.0, backward);
            backward -= eliminated;
            // New capacity is advanced and is built only to meet demand.
            advanced = advanced.max(output * capacity_per_output - backward);
            ue_adv *= 1.0 + prog;
            let (ue, share) = unit_energy(backward, advanced, ue_adv);
            eliminated_f[t] = eliminated;
            backward_f[t] = backward;
            output_f[t] = output;
            unit_energy_f[t] = ue;
            share_f[t] = 100.0 * share;
            if drives_energy {
                factor[t] = ue * per_ue0;
            }
        }
    }
}

fn simulate_energy(m: &Model, ws: &mut Workspace) {
    let (r_n, s_n, y) = (m.regions.len(), m.sectors.len(), m.years());
    let c_n = r_n * s_n;
    let st = &mut ws.st;
    for s in 0..s_n {
        match m.energy_driver[s] {
            Some(k) => {
                for t in 0..y {
                    st.intensity_factor[t * s_n + s] = st.capacity_factor[k * y + t];
                }
            }
            None => {
                let step = 1.0 + m.intensity_change[s].get(&ws.params);
                let mut f = 1.0;
                for t in 0..y {
                    st.intensity_factor[t * s_n + s] = f;
                    f *= step;
                }
            }
        }
    }
    for t in 0..y {
        let va = &st.va[t * c_n..(t + 1) * c_n];
        let en = &mut st.energy[t * c_n..(t + 1) * c_n];
        let factor = &st.intensity_factor[t * s_n..(t + 1) * s_n];
        for ((en, va), i0) in en
            .chunks_exact_mut(s_n)
            .zip(va.chunks_exact(s_n))
            .zip(m.intensity0.chunks_exact(s_n))
        {
            for (((e, v), i), f) in en.iter_mut().zip(va).zip(i0).zip(factor) {
                *e = v * i * f;
            }
        }
    }
    aggregate(
        &st.energy,
        r_n,
        s_n,
        y,
        ws.plan.need[1],
        &mut st.en_region,
        &mut st.en_sector,
        &mut st.en_total,
    );
}

fn simulate_derived(m: &Model, ws: &mut Workspace) {
    let (r_n, s_n, y) = (m.regions.len(), m.sectors.len(), m.years());
    let st = &mut ws.st;
    let first = (y - 1) * ws.plan.va_normals_per_year;
    for (d, def) in m.derived.iter().enumerate() {
        let change = def.change.get(&ws.params);
        let vol = def.volatility.get(&ws.params);
        let all_sectors = def.sectors.len() == s_n;
        let (cells, region_totals) = if def.basis_energy {
            (&st.energy, &st.en_region)
        } else {
            (&st.va, &st.va_region)
        };
        let totals = &mut st.derived_total[d * y..(d + 1) * y];
        totals.fill(0.0);
        for r in 0..r_n {
            let zs = &ws.normals[first + (d * r_n + r) * (y - 1)..];
            let mut factor = def.factor[r].get(&ws.params);
            let out = &mut st.derived[d * y * r_n..(d + 1) * y * r_n];
            for t in 0..y {
                if t > 0 {
                    factor *= (1.0 + change + vol * zs[t - 1]).max(0.0);
                }
                let basis = if all_sectors {
                    region_totals[t * r_n + r]
                } else {
                    def.sectors
                        .iter()
                        .map(|&s| cells[t * r_n * s_n + r * s_n + s])
                        .sum()
                };
                let v = basis * factor;
                out[t * r_n + r] = v;
                totals[t] += v;
            }
        }
    }
}

/// Indicator paths in two passes, so that the exponentials (one per indicator and
/// year, the costly part) run as one vectorised loop: first each path's exponent in
/// every year, then each value from the exponential of its exponent — in every year,
/// or (`all_years` false) only in the years a needed series reads.
fn simulate_indicators(m: &Model, ws: &mut Workspace, all_years: bool) {
    let (r_n, y) = (m.regions.len(), m.years());
    let first = (y - 1) * (ws.plan.va_normals_per_year + m.derived.len() * r_n);
    let params = &ws.params;
    let paths = ws.st.indicators.chunks_exact_mut(y);
    for (i, ((ind, c), out)) in m
        .indicators
        .iter()
        .zip(&ws.plan.indicators)
        .zip(paths)
        .enumerate()
    {
        let (trend, vol) = (ind.trend.get(params), ind.volatility.get(params));
        let zs = &ws.normals[first + i * (y - 1)..first + (i + 1) * (y - 1)];
        // The exponent of year t: −logit(x_t) (bounded), or ln(x_t / x_0) (level: each
        // year's factor is (1 + growth)·a lognormal shock of mean one).
        let (mut acc, drift, sd) = if c.bounded {
            (-c.logit0, -trend / c.slope, -vol / c.slope)
        } else {
            (0.0, (1.0 + trend).max(1e-9).ln() - 0.5 * vol * vol, vol)
        };
        out[0] = acc;
        for (v, z) in out[1..].iter_mut().zip(zs) {
            acc += drift + sd * z;
            *v = acc;
        }
    }
    let x = &mut ws.st.indicators;
    if all_years {
        exp_in_place(x);
        for ((ind, c), out) in m
            .indicators
            .iter()
            .zip(&ws.plan.indicators)
            .zip(x.chunks_exact_mut(y))
        {
            // One loop per kind, so each is a plain vectorisable loop.
            if c.bounded {
                out[1..].iter_mut().for_each(|v| *v = c.bounded_value(*v));
            } else {
                out[1..].iter_mut().for_each(|v| *v *= ind.start);
            }
            out[0] = ind.start;
        }
    } else {
        for &cell in &ws.plan.needed_indicators {
            let (c, start) = (&ws.plan.indicators[cell / y], m.indicators[cell / y].start);
            let e = exp(x[cell]);
            x[cell] = if c.bounded {
                c.bounded_value(e)
            } else {
                e * start
            };
        }
        for (ind, out) in m.indicators.iter().zip(x.chunks_exact_mut(y)) {
            out[0] = ind.start;
        }
    }
}

#[inline]
fn series_value(st: &State, p: &SeriesPlan, t: usize) -> f64 {
    let num = st.buf(p.num.buf)[p.num.base + t * p.num.stride];
    let v = match p.den {
        Some(d) => num / st.buf(d.buf)[d.base + t * d.stride],
        None => num,
    };
    v * p.scale
}

fn evaluate_all(m: &Model, ws: &mut Workspace) {
    let y = m.years();
    for (p, out) in ws.plan.series.iter().zip(ws.series.chunks_exact_mut(y)) {
        let num = &ws.st.buf(p.num.buf)[p.num.base..];
        match p.den {
            Some(d) => {
                let den = &ws.st.buf(d.buf)[d.base..];
                for (t, o) in out.iter_mut().enumerate() {
                    *o = num[t * p.num.stride] / den[t * d.stride] * p.scale;
                }
            }
            None => {
                for (t, o) in out.iter_mut().enumerate() {
                    *o = num[t * p.num.stride] * p.scale;
                }
            }
        }
    }
}

fn evaluate_needed(ws: &mut Workspace) {
    let y = ws.plan.years;
    for &(k, t) in &ws.plan.needed {
        ws.series[k * y + t] = series_value(&ws.st, &ws.plan.series[k], t);
    }
}

fn evaluate_targets(m: &Model, ws: &mut Workspace) {
    let y = m.years();
    for (j, target) in m.targets.iter().enumerate() {
        let Some(e) = &target.eval else { continue };
        let x = &ws.series[e.series * y..(e.series + 1) * y];
        let (b, h) = (x[e.from], x[e.to]);
        ws.baselines[j] = b;
        ws.outcomes[j] = match target.metric {
            Metric::Cagr => 100.0 * ((h / b).powf(1.0 / (e.to - e.from) as f64) - 1.0),
            Metric::ChangePct => 100.0 * (h / b - 1.0),
            Metric::Level | Metric::Share => h,
            Metric::ChangePp => h - b,
            Metric::Cumulative => x[e.from + 1..=e.to].iter().sum(),
            Metric::Multiple => h / b,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A normal score's bin is the bin of its probability Φ(z), as for every other
    /// parameter (up to rounding right at an edge).
    #[test]
    fn normal_bin_is_the_bin_of_the_probability() {
        let edges = normal_bin_edges();
        for i in -60_000..=60_000 {
            let z = i as f64 * 1e-4;
            let scaled = std_normal_cdf(z) * SENSITIVITY_BINS as f64;
            if (scaled - scaled.round()).abs() < 1e-9 {
                continue;
            }
            let want = (scaled as u8).min(SENSITIVITY_BINS as u8 - 1);
            assert_eq!(normal_bin(&edges, z), want, "z = {z}");
        }
        assert_eq!(normal_bin(&edges, -40.0), 0);
        assert_eq!(normal_bin(&edges, 40.0), SENSITIVITY_BINS as u8 - 1);
    }
}
