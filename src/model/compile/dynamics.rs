//! Capacity-elimination processes and indicator paths: their numbers checked and
//! turned into the model's `CapacityProcess` and `Indicator`.

use super::context::{num, Compiler};
use crate::model::{self, CapacityProcess, Indicator, Value};
use crate::scenario::spec::{CapacitySpec, IndicatorKind, IndicatorSpec};

impl Compiler<'_> {
    pub(super) fn capacity(
        &mut self,
        i: usize,
        c: &CapacitySpec,
        sectors: &[String],
        params: &[String],
        years: usize,
        driver: &mut [Option<usize>],
    ) -> CapacityProcess {
        let p = format!("capacity[{i}]");
        let sector = match sectors.iter().position(|s| *s == c.sector) {
            Some(s) => s,
            None => {
                self.unknown(&format!("{p}.sector"), "sector", &c.sector, sectors);
                0
            }
        };
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
        if c.energy {
            if let Some(prev) = driver[sector] {
                self.problem(
                    format!("{p}.energy"),
                    format!(
                        "sector `{}` already has its energy driven by capacity `{}`",
                        c.sector, self.spec.capacity[prev].id
                    ),
                    "set energy = true on one capacity process per sector",
                );
            }
            driver[sector] = Some(i);
        }
        CapacityProcess {
            id: c.id.clone(),
            name: c.name.clone(),
            name_zh: c.name_zh.clone(),
            unit: c.unit.clone(),
            unit_energy_unit: c.unit_energy_unit.clone(),
            sector,
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
    ) -> Indicator {
        let p = format!("indicators[{i}]");
        let (lower, upper) = (d.lower.unwrap_or(0.0), d.upper.unwrap_or(100.0));
        let trend = match d.kind {
            IndicatorKind::Bounded => {
                if !(lower.is_finite() && upper.is_finite() && lower < upper) {
                    self.problem(
                        format!("{p}.lower"),
                        format!("bounds [{lower}, {upper}] are not ordered"),
                        "lower must be less than upper",
                    );
                } else if !(d.start > lower && d.start < upper) {
                    self.problem(
                        format!("{p}.start"),
                        format!(
                            "start {} must lie strictly between lower {lower} and upper {upper}",
                            d.start
                        ),
                        "a bounded indicator moves between its bounds; widen them",
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
                if !(d.start.is_finite() && d.start > 0.0) {
                    self.problem(
                        format!("{p}.start"),
                        format!("start {} must be positive for a level indicator", d.start),
                        "levels grow multiplicatively from a positive start",
                    );
                }
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
            start: d.start,
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
