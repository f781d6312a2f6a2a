//! Capacity-elimination processes and indicator paths: their numbers checked and
//! turned into the model's `CapacityProcess` and `Indicator`.

use super::context::{num, Compiler};
use super::Ids;
use crate::ix::{IxVec, ParamIx};
use crate::model::{self, CapacityProcess, Economy, Indicator, Param, Value};
use crate::scenario::spec::{CapacitySpec, IndicatorKind, IndicatorSpec, Scalar};

impl Compiler<'_> {
    pub(super) fn capacity(
        &mut self,
        i: usize,
        c: &CapacitySpec,
        ids: &Ids,
        params: &[String],
        years: usize,
        economy: &mut Economy,
    ) -> CapacityProcess {
        let p = format!("capacity[{i}]");
        let sector = match ids.sectors.iter().position(|s| *s == c.sector) {
            Some(s) => Some(s),
            None => {
                self.unknown(&format!("{p}.sector"), "sector", &c.sector, &ids.sectors);
                None
            }
        };
        let region = c.region.as_ref().and_then(|r| {
            let i = ids.regions.iter().position(|x| x == r);
            if i.is_none() {
                self.unknown(&format!("{p}.region"), "region", r, &ids.regions);
            }
            i
        });
        for (field, v) in [
            ("output", c.output),
            ("capacity", c.capacity),
            ("unit_energy_advanced", c.unit_energy_advanced),
            ("unit_energy_backward", c.unit_energy_backward),
        ] {
            if !(v.is_finite() && v > 0.0) {
                self.problem(
                    format!("{p}.{field}"),
                    format!("`{field}` must be positive, got {v}"),
                    "base-year amounts of a capacity process are positive",
                );
            }
        }
        if c.output > c.capacity {
            self.problem(
                format!("{p}.output"),
                format!("output {} exceeds capacity {}", c.output, c.capacity),
                "utilisation cannot exceed 100%: check units",
            );
        }
        if !(c.backward.is_finite() && c.backward >= 0.0 && c.backward <= c.capacity) {
            self.problem(
                format!("{p}.backward"),
                format!(
                    "backward capacity {} must lie in [0, capacity = {}]",
                    c.backward, c.capacity
                ),
                "backward capacity is part of total capacity",
            );
        }
        if !(c.plan.is_finite() && c.plan >= 0.0) {
            self.problem(
                format!("{p}.plan"),
                format!("planned elimination {} must be ≥ 0", c.plan),
                "the plan's cumulative elimination, in the capacity unit",
            );
        }
        let profile = self.profile(&p, c, years - 1);
        if let (Some(s), Some(r)) = (sector, region) {
            if economy.cell(r, s).is_none() {
                self.problem(
                    format!("{p}.region"),
                    format!("sector `{}` does not exist in region `{}`", c.sector, ids.regions[r]),
                    "a regional process follows its sector in that region: add the region to the sector's `regions`, or pick another region",
                );
            }
        }
        if let (true, Some(s)) = (c.energy, sector) {
            self.drive_energy(&p, i, s, region, economy);
        }
        let sector = sector.unwrap_or(0);
        CapacityProcess {
            id: c.id.clone(),
            name: c.name.clone(),
            name_zh: c.name_zh.clone(),
            unit: c.unit.clone(),
            unit_energy_unit: c.unit_energy_unit.clone(),
            sector,
            region,
            output: c.output,
            capacity: c.capacity,
            backward: c.backward,
            plan: c.plan,
            achievement: match &c.achievement {
                Some(a) => self.value(&format!("{p}.achievement"), a, params, 0.0..=5.0),
                None => Value::Const(1.0),
            },
            profile,
            unit_energy_advanced: c.unit_energy_advanced,
            unit_energy_backward: c.unit_energy_backward,
            progress: self.opt_value(&format!("{p}.progress"), &c.progress, params, -0.5..=0.5),
            drives_energy: c.energy,
        }
    }

    /// An indicator's start: a number, or a parameter every value of which lies where a
    /// start may (strictly inside the bounds of a bounded indicator; positive for a
    /// level) — checked at the extreme quantiles a draw can reach.
    fn indicator_start(
        &mut self,
        p: &str,
        d: &IndicatorSpec,
        (lower, upper): (f64, f64),
        params: &[String],
        dists: &IxVec<ParamIx, Param>,
    ) -> Value {
        let bounded = d.kind == IndicatorKind::Bounded;
        let ok = |x: f64| {
            if bounded {
                x > lower && x < upper
            } else {
                x.is_finite() && x > 0.0
            }
        };
        let place = if bounded {
            format!("lie strictly between lower {lower} and upper {upper}")
        } else {
            "be positive for a level indicator".to_string()
        };
        let bounds_ok = !bounded || (lower.is_finite() && upper.is_finite() && lower < upper);
        match &d.start {
            Scalar::Num(x) => {
                if bounds_ok && !ok(*x) {
                    let hint = if bounded {
                        "a bounded indicator moves between its bounds; widen them"
                    } else {
                        "levels grow multiplicatively from a positive start"
                    };
                    self.problem(
                        format!("{p}.start"),
                        format!("start {x} must {place}"),
                        hint,
                    );
                }
                Value::Const(*x)
            }
            Scalar::Param(name) => {
                let v = self.value(&format!("{p}.start"), &d.start, params, f64::MIN..=f64::MAX);
                if let Value::Param(ix) = v {
                    let dist = &dists[ix].dist;
                    let (lo, hi) = (dist.inverse_cdf(1e-300), dist.inverse_cdf(1.0 - 1e-16));
                    if bounds_ok && !(ok(lo) && ok(hi)) && !self.bad_params.contains(name) {
                        self.problem(
                            format!("{p}.start"),
                            format!("the start `{name}` can take values from {} to {}; every value must {place}", num(lo), num(hi)),
                            "give the start a distribution that stays inside, e.g. a uniform, PERT, triangular, beta or truncated normal within those limits",
                        );
                    }
                }
                v
            }
        }
    }

    /// Makes process `k` drive the energy intensity of sector `s` in `region` (in every
    /// region when None); a cell may have one driver.
    fn drive_energy(
        &mut self,
        p: &str,
        k: usize,
        s: usize,
        region: Option<usize>,
        economy: &mut Economy,
    ) {
        for c in economy.cover(region, Some(s)) {
            let cell = &mut economy.cells[c];
            if let Some(prev) = cell.energy_driver {
                let (sector, region) =
                    (&self.spec.sectors[s].id, &self.spec.regions[cell.region].id);
                self.problem(
                    format!("{p}.energy"),
                    format!(
                        "sector `{sector}` in region `{region}` already has its energy driven by capacity `{}`",
                        self.spec.capacity[prev].id
                    ),
                    "set energy = true on one capacity process per sector (per region for regional processes)",
                );
                return;
            }
            cell.energy_driver = Some(k);
        }
    }

    /// The share of the plan eliminated in each of the `n` simulated years: even when
    /// the file gives none, else the file's, checked to have one non-negative share per
    /// year adding up to 1.
    fn profile(&mut self, p: &str, c: &CapacitySpec, n: usize) -> Vec<f64> {
        match &c.profile {
            None => vec![1.0 / n as f64; n],
            Some(v) => {
                let sum: f64 = v.iter().sum();
                if !self.years_ok {
                    // The profile's length cannot be checked against a broken span of years.
                } else if v.len() != n {
                    let (b, h) = (self.spec.scenario.base_year, self.spec.scenario.horizon);
                    self.problem(format!("{p}.profile"), format!("profile has {} entries for {n} simulated years ({}..{h})", v.len(), i64::from(b) + 1), format!("give one share of the plan per simulated year, {n} in all, summing to 1"));
                } else if let Some(j) = v.iter().position(|x| !x.is_finite() || *x < 0.0) {
                    self.problem(
                        format!("{p}.profile[{j}]"),
                        format!("profile share {} must be a number ≥ 0", num(v[j])),
                        "each entry is the share of the plan eliminated that year",
                    );
                } else if (sum - 1.0).abs() > 1e-6 {
                    let scaled = v
                        .iter()
                        .map(|x| num(x / sum))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let hint = if sum > 0.0 {
                        format!("the shares of the plan eliminated each year must add up to 1; scaled to sum to 1 they would be [{scaled}]")
                    } else {
                        "give each year's share of the plan, adding up to 1".to_string()
                    };
                    self.problem(
                        format!("{p}.profile"),
                        format!("profile shares sum to {}, not 1", num(sum)),
                        hint,
                    );
                }
                let mut v = v.clone();
                v.resize(n, 0.0);
                v
            }
        }
    }

    pub(super) fn indicator(
        &mut self,
        i: usize,
        d: &IndicatorSpec,
        params: &[String],
        dists: &IxVec<ParamIx, Param>,
    ) -> Indicator {
        let p = format!("indicators[{i}]");
        let (lower, upper) = (d.lower.unwrap_or(0.0), d.upper.unwrap_or(100.0));
        let start = self.indicator_start(&p, d, (lower, upper), params, dists);
        let trend = match d.kind {
            IndicatorKind::Bounded => {
                if !(lower.is_finite() && upper.is_finite() && lower < upper) {
                    self.problem(
                        format!("{p}.lower"),
                        format!("bounds [{lower}, {upper}] are not ordered"),
                        "lower must be less than upper",
                    );
                }
                if d.growth.is_some() {
                    self.problem(
                        format!("{p}.growth"),
                        "`growth` belongs to level indicators",
                        "bounded indicators take `drift` (units per year)",
                    );
                }
                match &d.drift {
                    Some(v) => self.value(&format!("{p}.drift"), v, params, -1e9..=1e9),
                    None => {
                        self.problem(
                            &p,
                            "a bounded indicator needs `drift`",
                            "expected annual change near the start, in the indicator's units",
                        );
                        Value::Const(0.0)
                    }
                }
            }
            IndicatorKind::Level => {
                if d.drift.is_some() || d.lower.is_some() || d.upper.is_some() {
                    self.problem(
                        &p,
                        "`drift`, `lower` and `upper` belong to bounded indicators",
                        "level indicators take `growth` (fraction per year)",
                    );
                }
                match &d.growth {
                    Some(v) => self.value(&format!("{p}.growth"), v, params, -0.9..=5.0),
                    None => {
                        self.problem(
                            &p,
                            "a level indicator needs `growth`",
                            "expected annual growth as a fraction, e.g. 0.1",
                        );
                        Value::Const(0.0)
                    }
                }
            }
        };
        Indicator {
            id: d.id.clone(),
            name: d.name.clone(),
            name_zh: d.name_zh.clone(),
            unit: d.unit.clone(),
            kind: match d.kind {
                IndicatorKind::Bounded => model::IndicatorKind::Bounded,
                IndicatorKind::Level => model::IndicatorKind::Level,
            },
            start,
            lower,
            upper,
            trend,
            volatility: self.opt_value(
                &format!("{p}.volatility"),
                &d.volatility,
                params,
                0.0..=1e9,
            ),
        }
    }
}
