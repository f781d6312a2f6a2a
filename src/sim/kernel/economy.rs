//! The economy of one draw: value added per region × sector (AR(1) shocks in a factor
//! structure), capacity elimination per process, energy use, derived series (emissions,
//! water) and the region / sector / total aggregates.

use super::cells::{CellPlan, Follows};
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

/// Value added of every cell in every year. Cell by cell, years inner: a cell's level
/// and shock state stay in registers from year to year instead of going through memory
/// (which put a store and a load in every year's chain of dependent operations), and
/// the chains of different cells overlap. The arithmetic, and so every bit, is the
/// same in any order.
pub(super) fn simulate_value_added(m: &Model, ws: &mut Workspace) {
    let e = &m.economy;
    let (r_n, s_n, c_n, y) = (e.regions.len(), m.sectors.len(), e.cells.len(), m.years());
    let st = &mut ws.st;
    let cp = &ws.plan.cells;
    let slots = &ws.plan.shocks;
    // The normals of every year in their whole layout (national, regions, sector
    // factors, cells): the drawn ones themselves, or spread out once per draw
    // (`ShockSlots::lay_out`, in `simulate`), however often the paths are simulated.
    let zs: &[f64] = match slots.positions {
        None => &ws.normals[..(y - 1) * slots.drawn],
        Some(_) => &st.shock_layout,
    };
    let per_year = slots.layout;
    let (params, years) = (&ws.params, &ws.years);
    st.va[..c_n].copy_from_slice(&cp.va0);
    for (r, reg) in e.regions.iter().enumerate() {
        let sh = reg.shocks;
        // The factors every cell of the region shares: national and regional.
        for (t, base) in st.region_shock[1..y].iter_mut().enumerate() {
            let z = &zs[t * per_year..];
            *base = sh.national * z[0] + sh.region * z[1 + r];
        }
        let offset = reg.offset.get(params);
        for c in reg.cells.clone() {
            let cell = &e.cells[c];
            let (growth, v) = (cell.growth.get(params), cell.volatility.get(params));
            let (z_sector, z_cell) = (1 + r_n + cell.sector, 1 + r_n + s_n + c);
            let (mut level, mut state) = (cp.va0[c], 0.0);
            for t in 1..y {
                let z = &zs[(t - 1) * per_year..t * per_year];
                let eps =
                    st.region_shock[t] + sh.sector * z[z_sector] + sh.idiosyncratic * z[z_cell];
                state = if t == 1 {
                    eps
                } else {
                    sh.ar1 * state + sh.innovation * eps
                };
                // A policy response may have shifted some trends: this year's values.
                let (g, o) = if years.active {
                    let p = years.at(params, t);
                    (cell.growth.get(p), reg.offset.get(p))
                } else {
                    (growth, offset)
                };
                level *= 1.0 + (g + o + v * state).max(MIN_GROWTH);
                st.va[t * c_n + c] = level;
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
    let out = Sums {
        region: &mut st.va_region,
        sector: &mut st.va_sector,
        total: &mut st.va_total,
    };
    aggregate(&st.va, cp, false, s_n, y, ws.plan.need[0], out);
}

/// Where [`aggregate`] writes: per year, by region, by sector, and the national total.
struct Sums<'a> {
    region: &'a mut [f64],
    sector: &'a mut [f64],
    total: &'a mut [f64],
}

/// Sums cell values into region (the region's units), national sector and national
/// total (national units) aggregates per year, those `need` asks for.
fn aggregate(
    x: &[f64],
    cp: &CellPlan,
    energy: bool,
    s_n: usize,
    y: usize,
    need: Aggregates,
    out: Sums<'_>,
) {
    let (r_n, c_n) = (cp.regions.len(), cp.va0.len());
    let a = usize::from(energy);
    if need.region || need.total {
        for (row, reg) in x.chunks_exact(c_n).zip(out.region.chunks_exact_mut(r_n)) {
            for (cells, v) in cp.regions.iter().zip(reg.iter_mut()) {
                *v = row[cells.clone()].iter().sum();
            }
        }
    }
    if need.total {
        let totals = &cp.totals[a];
        for ((row, reg), tot) in x
            .chunks_exact(c_n)
            .zip(out.region.chunks_exact(r_n))
            .zip(out.total.iter_mut())
        {
            *tot = totals
                .iter()
                .zip(reg)
                .map(|(rt, &sum)| match &rt.counted {
                    None => rt.scale * sum,
                    Some(cells) => rt.scale * cells.iter().map(|&c| row[c]).sum::<f64>(),
                })
                .sum();
        }
    }
    if need.sector {
        let parts = &cp.parts[a];
        for (row, sec) in x
            .chunks_exact(c_n)
            .zip(out.sector.chunks_exact_mut(s_n))
            .take(y)
        {
            sec.fill(0.0);
            match &cp.runs[a] {
                Some(runs) => {
                    for r in runs {
                        let cells = &row[r.cells..r.cells + r.len];
                        for (v, x) in sec[r.sectors..r.sectors + r.len].iter_mut().zip(cells) {
                            *v += r.weight * x;
                        }
                    }
                }
                None => {
                    for p in parts {
                        sec[p.sector] += p.weight * row[p.cell];
                    }
                }
            }
        }
    }
}

pub(super) fn simulate_capacity(m: &Model, ws: &mut Workspace) {
    let (s_n, c_n, y) = (m.sectors.len(), m.cells(), m.years());
    let st = &mut ws.st;
    for (k, p) in m.capacity.iter().enumerate() {
        let (mut ach, mut prog) = (p.achievement.get(&ws.params), p.progress.get(&ws.params));
        // The value added output follows: `va[base + t·stride]`.
        let (va, base, stride) = match ws.plan.cells.follows[k] {
            Follows::Sector(s) => (&st.va_sector, s, s_n),
            Follows::Cell(c) => (&st.va, c, c_n),
        };
        // Reciprocals once per process, so each year costs one division (the share).
        let output_per_va = p.output / va[base];
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
            if ws.years.active {
                let params = ws.years.at(&ws.params, t);
                (ach, prog) = (p.achievement.get(params), p.progress.get(params));
            }
            let output = output_per_va * va[base + t * stride];
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
    let e = &m.economy;
    let (s_n, c_n, y) = (m.sectors.len(), e.cells.len(), m.years());
    let st = &mut ws.st;
    // Each cell's intensity relative to the base year: its own trend, or its capacity
    // driver's unit energy with the trend as a residual on top (product upgrading);
    // its energy use is value added × base intensity × that factor, year by year.
    let (params, years) = (&ws.params, &ws.years);
    let i0 = &ws.plan.cells.intensity0;
    for (c, cell) in e.cells.iter().enumerate() {
        let step = 1.0 + cell.intensity_change.get(params);
        // The step into year t: the draw's own, or a response's shifted trend.
        let step_into = |t: usize| {
            if years.active {
                1.0 + cell.intensity_change.get(years.at(params, t))
            } else {
                step
            }
        };
        let driver = cell
            .energy_driver
            .map(|k| &st.capacity_factor[k * y..(k + 1) * y]);
        let mut f = 1.0;
        for t in 0..y {
            if t > 0 {
                f *= step_into(t);
            }
            let factor = driver.map_or(f, |d| d[t] * f);
            st.energy[t * c_n + c] = st.va[t * c_n + c] * i0[c] * factor;
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
    let out = Sums {
        region: &mut st.en_region,
        sector: &mut st.en_sector,
        total: &mut st.en_total,
    };
    aggregate(
        &st.energy,
        &ws.plan.cells,
        true,
        s_n,
        y,
        ws.plan.need[1],
        out,
    );
}

pub(super) fn simulate_derived(m: &Model, ws: &mut Workspace) {
    let (r_n, c_n, y) = (m.regions.len(), m.cells(), m.years());
    let st = &mut ws.st;
    let cp = &ws.plan.cells;
    let first = (y - 1) * ws.plan.shocks.drawn;
    for (d, def) in m.derived.iter().enumerate() {
        let (cells, region_totals) = if def.basis_energy {
            (&st.energy, &st.en_region)
        } else {
            (&st.va, &st.va_region)
        };
        let totals = &mut st.derived_total[d * y..(d + 1) * y];
        totals.fill(0.0);
        let out = &mut st.derived[d * y * r_n..(d + 1) * y * r_n];
        for (k, dr) in def.regions.iter().enumerate() {
            let r = dr.region;
            let zs = &ws.normals[first + cp.derived_normals[d] + k * (y - 1)..];
            let (mut change, vol) = (dr.change.get(&ws.params), dr.volatility.get(&ws.params));
            let mut factor = dr.factor.get(&ws.params);
            let listed = &ws.plan.derived_cells[d][k];
            for t in 0..y {
                if t > 0 {
                    if ws.years.active {
                        change = dr.change.get(ws.years.at(&ws.params, t));
                    }
                    factor *= (1.0 + change + vol * zs[t - 1]).max(0.0);
                }
                let basis = match listed {
                    None => region_totals[t * r_n + r],
                    Some(list) => list.iter().map(|&c| cells[t * c_n + c]).sum(),
                };
                let v = basis * factor;
                out[t * r_n + r] = v;
                totals[t] += v;
            }
        }
    }
    pin_derived(m, ws);
    add_national_parts(m, ws);
}

/// Adds each derived series that is part of a national one (a province's emissions)
/// into that series' total.
fn add_national_parts(m: &Model, ws: &mut Workspace) {
    let y = m.years();
    let tot = &mut ws.st.derived_total;
    for (d, def) in m.derived.iter().enumerate() {
        if let Some((into, scale)) = def.national {
            for t in 0..y {
                tot[into * y + t] += scale * tot[d * y + t];
            }
        }
    }
}

/// Pins the observed derived series and sums their regions again.
fn pin_derived(m: &Model, ws: &mut Workspace) {
    let (r_n, c_n, y) = (m.regions.len(), m.cells(), m.years());
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
