//! The economy of one draw: value added per region × sector (AR(1) shocks in a factor
//! structure), capacity elimination per process, energy use, derived series (emissions,
//! water) and the region / sector / total aggregates.

use super::pin;
use super::plan::Aggregates;
use super::workspace::Workspace;
use crate::model::{CapacityField, Model, CAPACITY_FIELDS};

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

pub(super) fn simulate_value_added(m: &Model, ws: &mut Workspace) {
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
    if !ws.plan.pins.va.is_empty() {
        let no_den = |_: &pin::Den, _: usize| f64::NAN;
        pin::apply(
            &ws.plan.pins.va,
            &mut st.va,
            c_n,
            y,
            &no_den,
            &mut ws.pin_fixed,
        );
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

pub(super) fn simulate_capacity(m: &Model, ws: &mut Workspace) {
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

pub(super) fn simulate_energy(m: &Model, ws: &mut Workspace) {
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
    if !ws.plan.pins.energy.is_empty() {
        // An energy intensity is per value added (energy per energy is refused).
        let va = &st.va;
        let den =
            |d: &pin::Den, t: usize| -> f64 { d.cells.iter().map(|&c| va[t * c_n + c]).sum() };
        pin::apply(
            &ws.plan.pins.energy,
            &mut st.energy,
            c_n,
            y,
            &den,
            &mut ws.pin_fixed,
        );
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

pub(super) fn simulate_derived(m: &Model, ws: &mut Workspace) {
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
    pin_derived(m, ws);
}

/// Pins the observed derived series and sums their regions again.
fn pin_derived(m: &Model, ws: &mut Workspace) {
    let (r_n, y) = (m.regions.len(), m.years());
    let c_n = r_n * m.sectors.len();
    let st = &mut ws.st;
    for (d, pins) in ws.plan.pins.derived.iter().enumerate() {
        if pins.is_empty() {
            continue;
        }
        let (va, en) = (&st.va, &st.energy);
        let den = |d: &pin::Den, t: usize| pin::den_value(va, en, c_n, d, t);
        let out = &mut st.derived[d * y * r_n..(d + 1) * y * r_n];
        pin::apply(pins, out, r_n, y, &den, &mut ws.pin_fixed);
        for (total, row) in st.derived_total[d * y..(d + 1) * y]
            .iter_mut()
            .zip(out.chunks_exact(r_n))
        {
            *total = row.iter().sum();
        }
    }
}
