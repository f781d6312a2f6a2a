//! The one-draw kernel: given a draw's parameter uniforms and its shock stream, simulate
//! every year of value added, capacity, energy, derived series and indicators, then
//! evaluate the series and targets. All buffers live in a reusable `Workspace`, so the
//! per-draw loop allocates nothing.
//!
//! Layout: year-major, `x[t·N + i]`, so each year's loop runs over contiguous memory.

use super::rng::{normal, Rng};
use crate::model::{CapacityField, Model, Source, CAPACITY_FIELDS};
use crate::model::dist::{std_normal_cdf, std_normal_inv};
use crate::scenario::spec::{IndicatorKind, Metric};

/// Growth below −95% a year is floored: (1 + g) must stay positive for levels to make sense.
const MIN_GROWTH: f64 = -0.95;

/// Scratch space for one draw, sized once per model.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Parameter values of the current draw (fixed ones set once).
    pub params: Vec<f64>,
    /// The uniforms that produced the uncertain parameters (after the copula).
    pub uniforms: Vec<f64>,
    /// Target outcomes (NaN for unmodeled targets).
    pub outcomes: Vec<f64>,
    /// Series values at each target's baseline year.
    pub baselines: Vec<f64>,
    /// Series values, `series[k·Y + t]`.
    pub series: Vec<f64>,
    z: Vec<f64>,
    z_corr: Vec<f64>,
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
            uniforms: vec![0.0; m.uncertain.len()],
            outcomes: vec![f64::NAN; m.targets.len()],
            baselines: vec![f64::NAN; m.targets.len()],
            series: vec![0.0; m.series.len() * y],
            z: vec![0.0; m.uncertain.len()],
            z_corr: vec![0.0; m.uncertain.len()],
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
        }
    }
}

/// Number of standard normals one draw consumes from its shock stream.
pub fn normals_per_draw(m: &Model) -> usize {
    let (r, s, y) = (m.regions.len(), m.sectors.len(), m.years());
    (y - 1) * (1 + r + s + r * s + m.derived.len() * r + m.indicators.len())
}

/// Simulates one draw. `u` holds the uniforms of the uncertain parameters.
pub fn draw(m: &Model, ws: &mut Workspace, u: &[f64], rng: &mut Rng) {
    set_params(m, ws, u);
    simulate_value_added(m, ws, rng);
    simulate_capacity(m, ws);
    simulate_energy(m, ws);
    simulate_derived(m, ws, rng);
    simulate_indicators(m, ws, rng);
    evaluate(m, ws);
}

fn set_params(m: &Model, ws: &mut Workspace, u: &[f64]) {
    ws.uniforms.copy_from_slice(&u[..m.uncertain.len()]);
    if let Some((dims, copula)) = &m.copula {
        for (k, &d) in dims.iter().enumerate() {
            ws.z[k] = std_normal_inv(ws.uniforms[d]);
        }
        copula.correlate(&ws.z[..dims.len()], &mut ws.z_corr[..dims.len()]);
        for (k, &d) in dims.iter().enumerate() {
            // Clamp away from {0, 1}: Φ of a large |z| rounds to exactly 0 or 1.
            ws.uniforms[d] = std_normal_cdf(ws.z_corr[k]).clamp(1e-300, 1.0 - 1e-16);
        }
    }
    for (k, &p) in m.uncertain.iter().enumerate() {
        ws.params[p] = m.params[p].dist.inverse_cdf(ws.uniforms[k]);
    }
}

fn simulate_value_added(m: &Model, ws: &mut Workspace, rng: &mut Rng) {
    let (r_n, s_n, y) = (m.regions.len(), m.sectors.len(), m.years());
    let c_n = r_n * s_n;
    let sh = m.shocks;
    for s in 0..s_n {
        ws.growth[s] = m.growth[s].get(&ws.params);
        ws.vol[s] = m.volatility[s].get(&ws.params);
    }
    for r in 0..r_n {
        ws.offset[r] = m.region_offset[r].get(&ws.params);
    }
    ws.va[..c_n].copy_from_slice(&m.va0);
    for t in 1..y {
        let z_nat = sh.national * normal(rng);
        for z in ws.z_region.iter_mut() {
            *z = sh.region * normal(rng);
        }
        for z in ws.z_sector.iter_mut() {
            *z = sh.sector * normal(rng);
        }
        let (prev, cur) = ws.va[(t - 1) * c_n..(t + 1) * c_n].split_at_mut(c_n);
        for r in 0..r_n {
            let base = z_nat + ws.z_region[r];
            for s in 0..s_n {
                let c = r * s_n + s;
                let eps = base + ws.z_sector[s] + sh.idiosyncratic * normal(rng);
                let u = if t == 1 { eps } else { sh.ar1 * ws.shock_state[c] + sh.innovation * eps };
                ws.shock_state[c] = u;
                let g = (ws.growth[s] + ws.offset[r] + ws.vol[s] * u).max(MIN_GROWTH);
                cur[c] = prev[c] * (1.0 + g);
            }
        }
    }
    aggregate(&ws.va, r_n, s_n, y, &mut ws.va_region, &mut ws.va_sector, &mut ws.va_total);
}

/// Sums cell values into region, sector and total aggregates per year.
fn aggregate(x: &[f64], r_n: usize, s_n: usize, y: usize, region: &mut [f64], sector: &mut [f64], total: &mut [f64]) {
    region.fill(0.0);
    sector.fill(0.0);
    for t in 0..y {
        let row = &x[t * r_n * s_n..(t + 1) * r_n * s_n];
        for r in 0..r_n {
            let cells = &row[r * s_n..(r + 1) * s_n];
            region[t * r_n + r] = cells.iter().sum();
            for (s, v) in cells.iter().enumerate() {
                sector[t * s_n + s] += v;
            }
        }
        total[t] = region[t * r_n..(t + 1) * r_n].iter().sum();
    }
}

fn simulate_capacity(m: &Model, ws: &mut Workspace) {
    let (s_n, y) = (m.sectors.len(), m.years());
    for (k, p) in m.capacity.iter().enumerate() {
        let ach = p.achievement.get(&ws.params);
        let prog = p.progress.get(&ws.params);
        let va0 = ws.va_sector[p.sector];
        let utilisation = p.output / p.capacity;
        let mut backward = p.backward;
        let mut advanced = p.capacity - p.backward;
        let mut ue_adv = p.unit_energy_advanced;
        let unit_energy = |b: f64, a: f64, ue_adv: f64| {
            let share = if a + b > 0.0 { b / (a + b) } else { 0.0 };
            (share * p.unit_energy_backward + (1.0 - share) * ue_adv, share)
        };
        let (ue0, share0) = unit_energy(backward, advanced, ue_adv);
        let base = k * CAPACITY_FIELDS * y;
        let mut put = |field: CapacityField, t: usize, v: f64| ws.capacity[base + field as usize * y + t] = v;
        put(CapacityField::Eliminated, 0, 0.0);
        put(CapacityField::Backward, 0, backward);
        put(CapacityField::Output, 0, p.output);
        put(CapacityField::UnitEnergy, 0, ue0);
        put(CapacityField::BackwardShare, 0, 100.0 * share0);
        ws.capacity_factor[k * y] = 1.0;
        for t in 1..y {
            let output = p.output * ws.va_sector[t * s_n + p.sector] / va0;
            let eliminated = (ach * p.plan * p.profile[t - 1]).clamp(0.0, backward);
            backward -= eliminated;
            // New capacity is advanced and is built only to meet demand.
            advanced = advanced.max(output / utilisation - backward);
            ue_adv *= 1.0 + prog;
            let (ue, share) = unit_energy(backward, advanced, ue_adv);
            put(CapacityField::Eliminated, t, eliminated);
            put(CapacityField::Backward, t, backward);
            put(CapacityField::Output, t, output);
            put(CapacityField::UnitEnergy, t, ue);
            put(CapacityField::BackwardShare, t, 100.0 * share);
            ws.capacity_factor[k * y + t] = ue / ue0;
        }
    }
}

fn simulate_energy(m: &Model, ws: &mut Workspace) {
    let (r_n, s_n, y) = (m.regions.len(), m.sectors.len(), m.years());
    let c_n = r_n * s_n;
    for s in 0..s_n {
        match m.energy_driver[s] {
            Some(k) => {
                for t in 0..y {
                    ws.intensity_factor[t * s_n + s] = ws.capacity_factor[k * y + t];
                }
            }
            None => {
                let step = 1.0 + m.intensity_change[s].get(&ws.params);
                let mut f = 1.0;
                for t in 0..y {
                    ws.intensity_factor[t * s_n + s] = f;
                    f *= step;
                }
            }
        }
    }
    for t in 0..y {
        for c in 0..c_n {
            ws.energy[t * c_n + c] = ws.va[t * c_n + c] * m.intensity0[c] * ws.intensity_factor[t * s_n + c % s_n];
        }
    }
    aggregate(&ws.energy, r_n, s_n, y, &mut ws.en_region, &mut ws.en_sector, &mut ws.en_total);
}

fn simulate_derived(m: &Model, ws: &mut Workspace, rng: &mut Rng) {
    let (r_n, s_n, y) = (m.regions.len(), m.sectors.len(), m.years());
    for (d, def) in m.derived.iter().enumerate() {
        let change = def.change.get(&ws.params);
        let vol = def.volatility.get(&ws.params);
        let all_sectors = def.sectors.len() == s_n;
        let (cells, region_totals) = if def.basis_energy { (&ws.energy, &ws.en_region) } else { (&ws.va, &ws.va_region) };
        for t in 0..y {
            ws.derived_total[d * y + t] = 0.0;
        }
        for r in 0..r_n {
            let mut factor = def.factor[r].get(&ws.params);
            for t in 0..y {
                if t > 0 {
                    factor *= (1.0 + change + vol * normal(rng)).max(0.0);
                }
                let basis = if all_sectors {
                    region_totals[t * r_n + r]
                } else {
                    def.sectors.iter().map(|&s| cells[t * r_n * s_n + r * s_n + s]).sum()
                };
                let v = basis * factor;
                ws.derived[(d * y + t) * r_n + r] = v;
                ws.derived_total[d * y + t] += v;
            }
        }
    }
}

fn simulate_indicators(m: &Model, ws: &mut Workspace, rng: &mut Rng) {
    let y = m.years();
    for (i, ind) in m.indicators.iter().enumerate() {
        let trend = ind.trend.get(&ws.params);
        let vol = ind.volatility.get(&ws.params);
        let out = &mut ws.indicators[i * y..(i + 1) * y];
        out[0] = ind.start;
        match ind.kind {
            IndicatorKind::Bounded => {
                let width = ind.upper - ind.lower;
                let q = (ind.start - ind.lower) / width;
                // d logit(x)/dx at the start converts units per year into logit units.
                let slope = width * q * (1.0 - q);
                let (drift, sd) = (trend / slope, vol / slope);
                let mut logit = (q / (1.0 - q)).ln();
                for v in out.iter_mut().skip(1) {
                    logit += drift + sd * normal(rng);
                    *v = ind.lower + width / (1.0 + (-logit).exp());
                }
            }
            IndicatorKind::Level => {
                // E[x_t / x_{t−1}] = 1 + growth: the lognormal shock has mean one.
                let step = (1.0 + trend).max(1e-9);
                let mut x = ind.start;
                for v in out.iter_mut().skip(1) {
                    x *= step * (vol * normal(rng) - 0.5 * vol * vol).exp();
                    *v = x;
                }
            }
        }
    }
}

#[inline]
fn source_value(m: &Model, ws: &Workspace, src: Source, t: usize) -> f64 {
    let (r_n, s_n, y) = (m.regions.len(), m.sectors.len(), m.years());
    match src {
        Source::Account { energy, region, sector } => {
            let (cells, reg, sec, tot) = if energy {
                (&ws.energy, &ws.en_region, &ws.en_sector, &ws.en_total)
            } else {
                (&ws.va, &ws.va_region, &ws.va_sector, &ws.va_total)
            };
            match (region, sector) {
                (None, None) => tot[t],
                (Some(r), None) => reg[t * r_n + r],
                (None, Some(s)) => sec[t * s_n + s],
                (Some(r), Some(s)) => cells[t * r_n * s_n + r * s_n + s],
            }
        }
        Source::Derived { index, region: None } => ws.derived_total[index * y + t],
        Source::Derived { index, region: Some(r) } => ws.derived[(index * y + t) * r_n + r],
        Source::Indicator(i) => ws.indicators[i * y + t],
        Source::Capacity { index, field } => ws.capacity[index * CAPACITY_FIELDS * y + field as usize * y + t],
    }
}

fn evaluate(m: &Model, ws: &mut Workspace) {
    let y = m.years();
    for (k, def) in m.series.iter().enumerate() {
        for t in 0..y {
            let num = source_value(m, ws, def.num, t);
            let v = match def.den {
                Some(d) => num / source_value(m, ws, d, t),
                None => num,
            };
            ws.series[k * y + t] = v * def.scale;
        }
    }
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
