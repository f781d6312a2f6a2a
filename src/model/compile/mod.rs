//! Scenario → `Model`: resolves names to indices, builds distributions and the copula,
//! and checks every number. All problems are collected in one pass, each named by the
//! key path of the value at fault, so the user sees every error at once (the loader
//! places them in the file).
//!
//! The compiler is split by what it checks: `context` (its state and shared helpers),
//! `params` (parameters, the copula, values and shocks), `distribution` (a parameter's
//! fields → its distribution), `dynamics` (capacity processes and indicators),
//! `targets` (series names and targets) and `evidence` (history and observations); this file puts the model together.

mod context;
mod distribution;
mod dynamics;
mod evidence;
mod params;
mod targets;

use context::{valid_id, Compiler};
pub use distribution::{param_distribution, param_law};
use targets::{named, register};

use super::series::{resolve, Names};
use super::*;
use crate::diag::Diagnostics;
use crate::ix::{DimIx, IxVec, ParamIx, SeriesIx, TargetIx};
use crate::scenario::spec::*;
use std::collections::HashSet;

/// Builds the model or returns every problem found, each with the key path of the value
/// at fault.
pub fn compile(spec: &ScenarioSpec) -> Result<Model, Diagnostics> {
    let mut c = Compiler::new(spec);
    let model = c.model();
    c.problems.into_result(model)
}

/// The ids of everything a series or a target may name.
struct Ids {
    regions: Vec<String>,
    sectors: Vec<String>,
    capacity: Vec<String>,
    derived: Vec<String>,
    indicators: Vec<String>,
}

impl Ids {
    fn names(&self) -> Names<'_> {
        Names {
            regions: &self.regions,
            sectors: &self.sectors,
            capacity: &self.capacity,
            derived: &self.derived,
            indicators: &self.indicators,
        }
    }
}

/// Base-year data and rates of every region × sector cell (`c = r·S + s`) and sector.
struct Cells {
    va0: Vec<f64>,
    intensity0: Vec<f64>,
    growth: Vec<Value>,
    volatility: Vec<Value>,
    intensity_change: Vec<Value>,
}

impl Compiler<'_> {
    fn model(&mut self) -> Model {
        let spec = self.spec;
        let meta = &spec.scenario;
        self.check_meta();
        let ids = self.ids();
        let params = self.params();
        let param_ids: Vec<String> = params.iter().map(|p| p.id.clone()).collect();
        let uncertain: IxVec<DimIx, ParamIx> = params
            .iter_enumerated()
            .filter(|(_, p)| !p.dist.is_fixed())
            .map(|(i, _)| i)
            .collect();
        let copula = self.copula(&params, &uncertain);
        // A span of years that is invalid has been reported; 1 simulated year keeps the
        // remaining checks going without allocating for a nonsense horizon.
        let years = if self.years_ok {
            (meta.horizon - meta.base_year) as usize + 1
        } else {
            2
        };
        let region_offset = self.region_offsets(&param_ids);
        let cells = self.cells(&ids, &param_ids);
        let shocks = self.shocks();
        let mut energy_driver = vec![None; spec.sectors.len()];
        let capacity = spec
            .capacity
            .iter()
            .enumerate()
            .map(|(i, c)| self.capacity(i, c, &ids.sectors, &param_ids, years, &mut energy_driver))
            .collect();
        let derived = self.derived(&ids.sectors, &ids.regions, &param_ids);
        let indicators = spec
            .indicators
            .iter()
            .enumerate()
            .map(|(i, d)| self.indicator(i, d, &param_ids))
            .collect::<Vec<_>>();
        let names = ids.names();
        let mut series = IxVec::new();
        let targets: IxVec<TargetIx, Target> = spec
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| self.target(i, t, &names, &mut series))
            .collect();
        let history = self.history(&names, &mut series);
        let observed = self.observations(&names, &indicators, &mut series);
        let fans = self.fans(&names, &targets, &mut series);
        Model {
            id: meta.id.clone(),
            name: meta.name.clone(),
            name_zh: meta.name_zh.clone(),
            document: meta.document.clone(),
            base_year: meta.base_year,
            horizon: meta.horizon,
            default_draws: meta.draws,
            default_seed: meta.seed,
            va_unit: meta.va_unit.clone(),
            energy_unit: meta.energy_unit.clone(),
            regions: spec
                .regions
                .iter()
                .map(|r| named(&r.id, &r.name, &r.name_zh))
                .collect(),
            sectors: spec
                .sectors
                .iter()
                .map(|r| named(&r.id, &r.name, &r.name_zh))
                .collect(),
            params,
            uncertain,
            copula,
            va0: cells.va0,
            growth: cells.growth,
            volatility: cells.volatility,
            region_offset,
            intensity0: cells.intensity0,
            intensity_change: cells.intensity_change,
            shocks,
            capacity,
            energy_driver,
            derived,
            indicators,
            series,
            targets,
            fans,
            history,
            observed,
            inside_view: false,
        }
    }

    /// The ids of the lists, each checked to be a unique plain identifier; series names
    /// checked to be distinct; at least one region and one sector.
    fn ids(&mut self) -> Ids {
        let spec = self.spec;
        let ids = Ids {
            regions: spec.regions.iter().map(|r| r.id.clone()).collect(),
            sectors: spec.sectors.iter().map(|s| s.id.clone()).collect(),
            capacity: spec.capacity.iter().map(|c| c.id.clone()).collect(),
            derived: spec.derived.iter().map(|d| d.id.clone()).collect(),
            indicators: spec.indicators.iter().map(|d| d.id.clone()).collect(),
        };
        self.unique_ids("regions", &ids.regions);
        self.unique_ids("sectors", &ids.sectors);
        self.unique_ids("capacity", &ids.capacity);
        self.unique_ids("derived", &ids.derived);
        self.unique_ids("indicators", &ids.indicators);
        let target_ids: Vec<String> = spec.targets.iter().map(|t| t.id.clone()).collect();
        self.unique_ids("targets", &target_ids);
        let history_ids: Vec<String> = spec.history.iter().map(|t| t.id.clone()).collect();
        self.unique_ids("history", &history_ids);
        let observed_ids: Vec<String> = spec.observed.iter().map(|o| o.id.clone()).collect();
        self.unique_ids("observed", &observed_ids);
        self.series_names_distinct(&ids.derived, &ids.indicators);
        if spec.regions.is_empty() {
            self.problem(
                "regions",
                "the scenario has no regions",
                "add at least one [[regions]] table",
            );
        }
        if spec.sectors.is_empty() {
            self.problem(
                "sectors",
                "the scenario has no sectors",
                "add at least one [[sectors]] table",
            );
        }
        ids
    }

    fn region_offsets(&mut self, param_ids: &[String]) -> Vec<Value> {
        self.spec
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| match &r.growth_offset {
                Some(v) => self.value(
                    &format!("regions[{i}].growth_offset"),
                    v,
                    param_ids,
                    -0.5..=0.5,
                ),
                None => Value::Const(0.0),
            })
            .collect()
    }

    /// Each sector's base-year value added and energy intensity by region, and its rates.
    fn cells(&mut self, ids: &Ids, param_ids: &[String]) -> Cells {
        let spec = self.spec;
        let (r_n, s_n) = (spec.regions.len(), spec.sectors.len());
        let mut c = Cells {
            va0: vec![0.0; r_n * s_n],
            intensity0: vec![0.0; r_n * s_n],
            growth: Vec::with_capacity(s_n),
            volatility: Vec::with_capacity(s_n),
            intensity_change: Vec::with_capacity(s_n),
        };
        for (s, sec) in spec.sectors.iter().enumerate() {
            let p = format!("sectors[{s}]");
            let va = self.per_region_numbers(&format!("{p}.va"), &sec.va, &ids.regions);
            let ei = match &sec.energy_intensity {
                Some(e) => {
                    self.per_region_numbers(&format!("{p}.energy_intensity"), e, &ids.regions)
                }
                None => vec![0.0; r_n],
            };
            for r in 0..r_n {
                c.va0[r * s_n + s] = va[r];
                c.intensity0[r * s_n + s] = ei[r];
            }
            c.growth
                .push(self.value(&format!("{p}.growth"), &sec.growth, param_ids, -0.9..=2.0));
            c.volatility.push(match &sec.volatility {
                Some(v) => self.value(&format!("{p}.volatility"), v, param_ids, 0.0..=1.0),
                None => Value::Const(0.0),
            });
            c.intensity_change.push(match &sec.intensity_change {
                Some(v) => self.value(&format!("{p}.intensity_change"), v, param_ids, -0.9..=1.0),
                None => Value::Const(0.0),
            });
        }
        if s_n > 0 && r_n > 0 && c.va0.iter().sum::<f64>() <= 0.0 {
            self.problem(
                "sectors",
                "total base-year value added is zero",
                "give each sector its base-year `va` by region",
            );
        }
        c
    }

    fn derived(
        &mut self,
        sector_ids: &[String],
        region_ids: &[String],
        param_ids: &[String],
    ) -> Vec<Derived> {
        let s_n = sector_ids.len();
        self.spec
            .derived
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let p = format!("derived[{i}]");
                let sectors = match &d.sectors {
                    None => (0..s_n).collect(),
                    Some(list) => list
                        .iter()
                        .enumerate()
                        .filter_map(|(j, s)| {
                            let idx = sector_ids.iter().position(|x| x == s);
                            if idx.is_none() {
                                self.unknown(&format!("{p}.sectors[{j}]"), "sector", s, sector_ids);
                            }
                            idx
                        })
                        .collect(),
                };
                let factor = self.per_region_values(
                    &format!("{p}.factor"),
                    &d.factor,
                    region_ids,
                    param_ids,
                );
                Derived {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    name_zh: d.name_zh.clone(),
                    unit: d.unit.clone(),
                    basis_energy: d.basis == Basis::Energy,
                    sectors,
                    factor,
                    change: self.opt_value(
                        &format!("{p}.change"),
                        &d.change,
                        param_ids,
                        -0.9..=1.0,
                    ),
                    volatility: self.opt_value(
                        &format!("{p}.volatility"),
                        &d.volatility,
                        param_ids,
                        0.0..=1.0,
                    ),
                }
            })
            .collect()
    }

    /// Series drawn as fan charts: total value added, each region's (when there are
    /// several), then every modeled target's series, each once.
    fn fans(
        &mut self,
        names: &Names<'_>,
        targets: &IxVec<TargetIx, Target>,
        series: &mut IxVec<SeriesIx, SeriesDef>,
    ) -> Vec<SeriesIx> {
        let mut fans = Vec::new();
        let candidates = std::iter::once("va".to_string()).chain(if names.regions.len() > 1 {
            names.regions.iter().map(|r| format!("va@{r}")).collect()
        } else {
            vec![]
        });
        for name in candidates {
            if let Ok(src) = resolve(&name, names) {
                let label = self.default_label(&name, None);
                fans.push(register(series, &name, src, None, 1.0, label));
            }
        }
        for t in targets {
            if let Some(e) = &t.eval {
                fans.push(e.series);
            }
        }
        let mut seen = HashSet::new();
        fans.retain(|f| seen.insert(*f));
        fans
    }

    fn check_meta(&mut self) {
        let m = &self.spec.scenario;
        if !valid_id(&m.id) {
            self.problem(
                "scenario.id",
                format!("scenario id `{}` is not a plain identifier", m.id),
                "use letters, digits and underscores, e.g. national_2011_2015",
            );
        }
        let span = i64::from(m.horizon) - i64::from(m.base_year);
        if span <= 0 {
            self.years_ok = false;
            let hint = if (1900..=2200).contains(&m.base_year) {
                format!("the horizon is the last simulated year, after the base year: e.g. base_year = {} and horizon = {} for a five-year plan", m.base_year, m.base_year + 5)
            } else {
                "the horizon is the last simulated year, after the base year; check both years"
                    .to_string()
            };
            self.problem(
                "scenario.horizon",
                format!(
                    "horizon {} is not after base_year {}",
                    m.horizon, m.base_year
                ),
                hint,
            );
        } else if span > 100 {
            self.years_ok = false;
            self.problem(
                "scenario.horizon",
                format!(
                    "horizon {} is more than 100 years after base_year {}",
                    m.horizon, m.base_year
                ),
                "plans run for 5 to 15 years; check the years",
            );
        }
        if m.draws == Some(0) {
            self.problem(
                "scenario.draws",
                "draws must be at least 1",
                "100000 draws give P(hit) to about ±0.3 percentage points",
            );
        }
    }

    fn unique_ids(&mut self, table: &str, ids: &[String]) {
        let mut seen = HashSet::new();
        for (i, id) in ids.iter().enumerate() {
            if !valid_id(id) {
                self.problem(
                    format!("{table}[{i}].id"),
                    format!("id `{id}` is not a plain identifier"),
                    "use letters, digits and underscores",
                );
            } else if !seen.insert(id.as_str()) {
                let first = ids.iter().position(|x| x == id).map_or(0, |f| f + 1);
                self.problem(format!("{table}[{i}].id"), format!("duplicate id `{id}` in [[{table}]]: item {} has the same id as item {first}", i + 1), "every id in a list must be unique: rename one (in a child scenario, an item with a parent's id changes that item)");
            }
        }
    }

    fn series_names_distinct(&mut self, derived: &[String], indicators: &[String]) {
        for (i, id) in derived.iter().enumerate() {
            if id == "va" || id == "energy" || indicators.contains(id) {
                self.problem(
                    format!("derived[{i}].id"),
                    format!("derived id `{id}` clashes with another series name"),
                    "series names (va, energy, derived and indicator ids) must be distinct",
                );
            }
        }
        for (i, id) in indicators.iter().enumerate() {
            if id == "va" || id == "energy" {
                self.problem(
                    format!("indicators[{i}].id"),
                    format!("indicator id `{id}` clashes with a built-in series"),
                    "va and energy are reserved",
                );
            }
        }
    }
}
