//! Scenario → `Model`: resolves names to indices, builds distributions and the copula,
//! and checks every number. All problems are collected in one pass, each named by the
//! key path of the value at fault, so the user sees every error at once (the loader
//! places them in the file).
//!
//! The compiler is split by what it checks: `context` (its state and shared helpers),
//! `params` (parameters, the copula, values and shocks), `distribution` (a parameter's
//! fields → its distribution), `economy` (regions, their cells and the national view of
//! sectors), `dynamics` (capacity processes and indicators),
//! `targets` (series names and targets) and `evidence` (history and observations); this file puts the model together.

mod context;
mod distribution;
mod dynamics;
mod economy;
mod evidence;
mod params;
mod responses;
mod targets;

use context::{num, valid_id, Compiler, Presence};
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
    let mut model = c.model();
    model.responses = c.responses(&model);
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
        let (_, shocks) = self.shocks();
        let mut economy = self.economy(&ids, &param_ids, &shocks);
        let capacity = spec
            .capacity
            .iter()
            .enumerate()
            .map(|(i, c)| self.capacity(i, c, &ids, &param_ids, years, &mut economy))
            .collect();
        let derived = self.derived(&ids, &param_ids);
        self.present = Presence {
            cells: economy.cells.iter().map(|c| (c.region, c.sector)).collect(),
            derived: derived
                .iter()
                .map(|d| d.regions.iter().map(|r| r.region).collect())
                .collect(),
        };
        let indicators = spec
            .indicators
            .iter()
            .enumerate()
            .map(|(i, d)| self.indicator(i, d, &param_ids, &params))
            .collect::<Vec<_>>();
        let names = ids.names();
        let mut series = IxVec::new();
        let targets: IxVec<TargetIx, Target> = spec
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| self.target(i, t, &names, &mut series))
            .collect();
        self.targets_apart_from_params(&param_ids);
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
            economy,
            capacity,
            derived,
            indicators,
            series,
            targets,
            fans,
            history,
            observed,
            inside_view: false,
            responses: Vec::new(),
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

    /// The derived series: where each is defined, its factor and trend there, and the
    /// national series it adds into.
    fn derived(&mut self, ids: &Ids, param_ids: &[String]) -> Vec<Derived> {
        let spec = self.spec;
        spec.derived
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let p = format!("derived[{i}]");
                let sectors = d.sectors.as_ref().map(|list| {
                    list.iter()
                        .enumerate()
                        .filter_map(|(j, s)| {
                            let idx = ids.sectors.iter().position(|x| x == s);
                            if idx.is_none() {
                                self.unknown(
                                    &format!("{p}.sectors[{j}]"),
                                    "sector",
                                    s,
                                    &ids.sectors,
                                );
                            }
                            idx
                        })
                        .collect()
                });
                let regions = self.listed_regions(
                    &format!("{p}.regions"),
                    d.regions.as_deref(),
                    &ids.regions,
                );
                let names: Vec<String> = regions.iter().map(|&r| ids.regions[r].clone()).collect();
                let factor =
                    self.per_region_values(&format!("{p}.factor"), &d.factor, &names, param_ids);
                let change = self.opt_per_region_rates(
                    &format!("{p}.change"),
                    &d.change,
                    &names,
                    param_ids,
                    -0.9..=1.0,
                );
                let volatility = self.opt_per_region_rates(
                    &format!("{p}.volatility"),
                    &d.volatility,
                    &names,
                    param_ids,
                    0.0..=1.0,
                );
                let national = d.national.as_ref().and_then(|n| {
                    let key = format!("{p}.national");
                    if !(n.scale.is_finite() && n.scale > 0.0) {
                        self.problem(
                            format!("{key}.scale"),
                            format!("scale {} must be a positive number", num(n.scale)),
                            "national units per unit of this series",
                        );
                    }
                    match ids.derived.iter().position(|x| *x == n.series) {
                        Some(k) if k == i => {
                            self.problem(
                                format!("{key}.series"),
                                format!("`{}` cannot add into itself", n.series),
                                "name the national derived series it is part of",
                            );
                            None
                        }
                        Some(k) => Some((k, n.scale)),
                        None => {
                            self.unknown(
                                &format!("{key}.series"),
                                "derived series",
                                &n.series,
                                &ids.derived,
                            );
                            None
                        }
                    }
                });
                Derived {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    name_zh: d.name_zh.clone(),
                    unit: d.unit.clone(),
                    basis_energy: d.basis == Basis::Energy,
                    sectors,
                    regions: regions
                        .iter()
                        .enumerate()
                        .map(|(k, &region)| DerivedRegion {
                            region,
                            factor: factor[k],
                            change: change[k],
                            volatility: volatility[k],
                        })
                        .collect(),
                    national,
                }
            })
            .collect()
    }

    /// The regions a list names (every region when there is none), ascending, each
    /// checked to exist and to be listed once.
    fn listed_regions(
        &mut self,
        p: &str,
        list: Option<&[String]>,
        regions: &[String],
    ) -> Vec<usize> {
        let Some(list) = list else {
            return (0..regions.len()).collect();
        };
        let mut out = Vec::new();
        for (j, r) in list.iter().enumerate() {
            match regions.iter().position(|x| x == r) {
                Some(i) if out.contains(&i) => self.problem(
                    format!("{p}[{j}]"),
                    format!("region `{r}` is listed twice"),
                    "list each region once",
                ),
                Some(i) => out.push(i),
                None => self.unknown(&format!("{p}[{j}]"), "region", r, regions),
            }
        }
        out.sort_unstable();
        out
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

    /// A target may not share its id with a parameter: `--given ID<…` names either, and
    /// would pick one of the two without saying so.
    fn targets_apart_from_params(&mut self, param_ids: &[String]) {
        for (i, t) in self.spec.targets.iter().enumerate() {
            if param_ids.contains(&t.id) {
                self.problem(
                    format!("targets[{i}].id"),
                    format!("target `{}` has the id of a parameter", t.id),
                    "`--given` conditions name parameters and targets alike: rename the target or the parameter",
                );
            }
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
