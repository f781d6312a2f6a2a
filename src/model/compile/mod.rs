//! Scenario → `Model`: resolves names to indices, builds distributions and the copula,
//! and checks every number. All problems are collected in one pass, each with the key
//! path of the value at fault, so the user sees every error at once.
//!
//! `Compiler` is split by what it checks: `params` (parameters, the copula, values and
//! shocks), `distribution` (a parameter's fields → its distribution), `dynamics`
//! (capacity processes and indicators) and `targets` (series names and targets).

mod distribution;
mod dynamics;
mod params;
mod targets;

pub use distribution::param_distribution;
use targets::{named, register};

use super::dist::Distribution;
use super::series::{resolve, Names};
use super::*;
use crate::scenario::diag::{did_you_mean, Problem};
use crate::scenario::spec::*;
use std::collections::{BTreeSet, HashSet};

/// Builds the model or returns every problem found.
pub fn compile(spec: &ScenarioSpec) -> Result<Model, Vec<Problem>> {
    let mut c = Compiler {
        spec,
        problems: Vec::new(),
        years_ok: true,
        bad_params: HashSet::new(),
    };
    let model = c.model();
    if c.problems.is_empty() {
        Ok(model)
    } else {
        Err(c.problems)
    }
}

struct Compiler<'a> {
    spec: &'a ScenarioSpec,
    problems: Vec<Problem>,
    /// Whether base_year..horizon is a usable span of years. When it is not, checks that
    /// compare other years with it are skipped: they would only repeat the one mistake.
    years_ok: bool,
    /// Parameters whose distribution is invalid (reported once, not again where used).
    bad_params: HashSet<String>,
}

/// Largest magnitude accepted for a parameter's numbers (amounts in the units of a plan
/// are far smaller; beyond this differences such as max - min overflow).
const MAX_MAGNITUDE: f64 = 1e15;

/// A number as a person would write it: at most 6 decimals, no float noise
/// (0.9500000000000001 → 0.95).
fn num(x: f64) -> String {
    if x.is_finite() && x.abs() < 1e15 && (x == 0.0 || x.abs() >= 1e-6) {
        format!("{}", (x * 1e6).round() / 1e6)
    } else if x.is_finite() {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

fn valid_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl<'a> Compiler<'a> {
    fn problem(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
            hint: Some(hint.into()),
        });
    }

    fn model(&mut self) -> Model {
        let spec = self.spec;
        let meta = &spec.scenario;
        self.check_meta();
        let region_ids: Vec<String> = spec.regions.iter().map(|r| r.id.clone()).collect();
        let sector_ids: Vec<String> = spec.sectors.iter().map(|s| s.id.clone()).collect();
        let cap_ids: Vec<String> = spec.capacity.iter().map(|c| c.id.clone()).collect();
        let derived_ids: Vec<String> = spec.derived.iter().map(|d| d.id.clone()).collect();
        let ind_ids: Vec<String> = spec.indicators.iter().map(|d| d.id.clone()).collect();
        self.unique_ids("regions", &region_ids);
        self.unique_ids("sectors", &sector_ids);
        self.unique_ids("capacity", &cap_ids);
        self.unique_ids("derived", &derived_ids);
        self.unique_ids("indicators", &ind_ids);
        self.unique_ids(
            "targets",
            &spec
                .targets
                .iter()
                .map(|t| t.id.clone())
                .collect::<Vec<_>>(),
        );
        self.unique_ids(
            "history",
            &spec
                .history
                .iter()
                .map(|t| t.id.clone())
                .collect::<Vec<_>>(),
        );
        self.series_names_distinct(&derived_ids, &ind_ids);
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

        let params = self.params();
        let param_ids: Vec<String> = params.iter().map(|p| p.id.clone()).collect();
        let uncertain: Vec<usize> = (0..params.len())
            .filter(|&i| !params[i].dist.is_fixed())
            .collect();
        let copula = self.copula(&params, &uncertain);
        // A span of years that is invalid has been reported; 1 simulated year keeps the
        // remaining checks going without allocating for a nonsense horizon.
        let years = if self.years_ok {
            (meta.horizon - meta.base_year) as usize + 1
        } else {
            2
        };
        let r_n = spec.regions.len();
        let s_n = spec.sectors.len();

        let region_offset = spec
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| match &r.growth_offset {
                Some(v) => self.value(
                    &format!("regions[{i}].growth_offset"),
                    v,
                    &param_ids,
                    -0.5..=0.5,
                ),
                None => Value::Const(0.0),
            })
            .collect();

        let mut va0 = vec![0.0; r_n * s_n];
        let mut intensity0 = vec![0.0; r_n * s_n];
        let mut growth = Vec::with_capacity(s_n);
        let mut volatility = Vec::with_capacity(s_n);
        let mut intensity_change = Vec::with_capacity(s_n);
        for (s, sec) in spec.sectors.iter().enumerate() {
            let p = format!("sectors[{s}]");
            let va = self.per_region_numbers(&format!("{p}.va"), &sec.va, &region_ids);
            let ei = match &sec.energy_intensity {
                Some(e) => {
                    self.per_region_numbers(&format!("{p}.energy_intensity"), e, &region_ids)
                }
                None => vec![0.0; r_n],
            };
            for r in 0..r_n {
                va0[r * s_n + s] = va[r];
                intensity0[r * s_n + s] = ei[r];
            }
            growth.push(self.value(&format!("{p}.growth"), &sec.growth, &param_ids, -0.9..=2.0));
            volatility.push(match &sec.volatility {
                Some(v) => self.value(&format!("{p}.volatility"), v, &param_ids, 0.0..=1.0),
                None => Value::Const(0.0),
            });
            intensity_change.push(match &sec.intensity_change {
                Some(v) => self.value(&format!("{p}.intensity_change"), v, &param_ids, -0.9..=1.0),
                None => Value::Const(0.0),
            });
        }
        if !spec.sectors.is_empty() && !spec.regions.is_empty() && va0.iter().sum::<f64>() <= 0.0 {
            self.problem(
                "sectors",
                "total base-year value added is zero",
                "give each sector its base-year `va` by region",
            );
        }

        let shocks = self.shocks();
        let sector_index = |id: &str| sector_ids.iter().position(|s| s == id);
        let mut energy_driver = vec![None; s_n];
        let capacity = spec
            .capacity
            .iter()
            .enumerate()
            .map(|(i, c)| self.capacity(i, c, &sector_ids, &param_ids, years, &mut energy_driver))
            .collect();
        let derived = spec
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
                            let idx = sector_index(s);
                            if idx.is_none() {
                                self.unknown(
                                    &format!("{p}.sectors[{j}]"),
                                    "sector",
                                    s,
                                    &sector_ids,
                                );
                            }
                            idx
                        })
                        .collect(),
                };
                let factor = self.per_region_values(
                    &format!("{p}.factor"),
                    &d.factor,
                    &region_ids,
                    &param_ids,
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
                        &param_ids,
                        -0.9..=1.0,
                    ),
                    volatility: self.opt_value(
                        &format!("{p}.volatility"),
                        &d.volatility,
                        &param_ids,
                        0.0..=1.0,
                    ),
                }
            })
            .collect();
        let indicators = spec
            .indicators
            .iter()
            .enumerate()
            .map(|(i, d)| self.indicator(i, d, &param_ids))
            .collect();

        let names = Names {
            regions: &region_ids,
            sectors: &sector_ids,
            capacity: &cap_ids,
            derived: &derived_ids,
            indicators: &ind_ids,
        };
        let mut series: Vec<SeriesDef> = Vec::new();
        let targets = spec
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| self.target(i, t, &names, &mut series))
            .collect::<Vec<_>>();
        let history = spec
            .history
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                let p = format!("history[{i}]");
                if !h.value.is_finite() {
                    self.problem(
                        format!("{p}.value"),
                        "history value must be a finite number",
                        "write the value the document states",
                    );
                }
                if self.years_ok && h.year > meta.horizon {
                    self.problem(
                        format!("{p}.year"),
                        format!(
                            "history year {} is after the horizon {}",
                            h.year, meta.horizon
                        ),
                        "history is what happened before or during the plan",
                    );
                }
                let src = self.series_source(&format!("{p}.series"), &h.series, &names)?;
                let idx = register(
                    &mut series,
                    &h.series,
                    src,
                    None,
                    1.0,
                    self.default_label(&h.series, None),
                );
                Some(History {
                    series: idx,
                    year: h.year,
                    value: h.value,
                })
            })
            .collect();
        let mut fans = Vec::new();
        let fan_candidates = std::iter::once("va".to_string()).chain(if r_n > 1 {
            region_ids.iter().map(|r| format!("va@{r}")).collect()
        } else {
            vec![]
        });
        for name in fan_candidates {
            if let Ok(src) = resolve(&name, &names) {
                let label = self.default_label(&name, None);
                fans.push(register(&mut series, &name, src, None, 1.0, label));
            }
        }
        for t in &targets {
            if let Some(e) = &t.eval {
                fans.push(e.series);
            }
        }
        let mut seen = HashSet::new();
        fans.retain(|f| seen.insert(*f));

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
            va0,
            growth,
            volatility,
            region_offset,
            intensity0,
            intensity_change,
            shocks,
            capacity,
            energy_driver,
            derived,
            indicators,
            series,
            targets,
            fans,
            history,
        }
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

    fn unknown(&mut self, path: &str, kind: &str, name: &str, known: &[String]) {
        let hint = match did_you_mean(name, known.iter().map(String::as_str)) {
            Some(b) => format!("did you mean `{b}`?"),
            None if known.is_empty() => format!("the scenario defines no {kind}s"),
            None => format!("known {kind}s: {}", known.join(", ")),
        };
        self.problem(path, format!("unknown {kind} `{name}`"), hint);
    }
}
