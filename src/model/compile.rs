//! Scenario → `Model`: resolves names to indices, builds distributions and the copula,
//! and checks every number. All problems are collected in one pass, each with the key
//! path of the value at fault, so the user sees every error at once.

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

    fn params(&mut self) -> Vec<Param> {
        let mut out = Vec::new();
        for (name, p) in &self.spec.params {
            let path = format!("params.{name}");
            if !valid_id(name) {
                self.problem(
                    &path,
                    format!("parameter name `{name}` is not a plain identifier"),
                    "use letters, digits and underscores",
                );
            }
            match param_distribution(p) {
                Ok(dist) => out.push(Param {
                    id: name.clone(),
                    name: p.name.clone(),
                    name_zh: p.name_zh.clone(),
                    dist,
                }),
                Err((field, message, hint)) => {
                    self.bad_params.insert(name.clone());
                    self.problem(
                        format!("{path}.{field}"),
                        format!("parameter `{name}`: {message}"),
                        hint,
                    );
                    out.push(Param {
                        id: name.clone(),
                        name: p.name.clone(),
                        name_zh: p.name_zh.clone(),
                        dist: Distribution::Fixed(0.0),
                    });
                }
            }
        }
        out
    }

    fn copula(&mut self, params: &[Param], uncertain: &[usize]) -> Option<(Vec<usize>, Copula)> {
        let c = self.spec.correlation.as_ref()?;
        let mut dims = Vec::new();
        let ids: Vec<String> = params.iter().map(|p| p.id.clone()).collect();
        let mut seen = HashSet::new();
        for (i, name) in c.params.iter().enumerate() {
            let path = format!("correlation.params[{i}]");
            match ids.iter().position(|p| p == name) {
                None => self.unknown(&path, "parameter", name, &ids),
                Some(_) if !seen.insert(name.as_str()) => self.problem(
                    path,
                    format!("parameter `{name}` is listed twice"),
                    "list each correlated parameter once",
                ),
                Some(idx) => match uncertain.iter().position(|&u| u == idx) {
                    Some(pos) => dims.push(pos),
                    None if self.bad_params.contains(name) => {}
                    None => self.problem(
                        path,
                        format!("parameter `{name}` is fixed, so it cannot be correlated"),
                        "give it a distribution or remove it from the correlation",
                    ),
                },
            }
        }
        if c.matrix.len() != c.params.len() {
            let rows = |n: usize| {
                if n == 1 {
                    "1 row".to_string()
                } else {
                    format!("{n} rows")
                }
            };
            let params = if c.params.len() == 1 {
                "1 parameter".to_string()
            } else {
                format!("{} parameters", c.params.len())
            };
            self.problem("correlation.matrix", format!("correlation matrix has {} for {params}", rows(c.matrix.len())), format!("give one row per listed parameter, each with {} entries, in the order of `params`", c.params.len()));
            return None;
        }
        // Entry checks here (Copula::new repeats them) so numbers print as written.
        let n = c.matrix.len();
        if c.matrix.iter().all(|r| r.len() == n) {
            for i in 0..n {
                for j in 0..n {
                    let (v, w) = (c.matrix[i][j], c.matrix[j][i]);
                    let at = format!("correlation.matrix[{i}][{j}]");
                    let (message, hint) = if !v.is_finite() || !(-1.0..=1.0).contains(&v) {
                        (
                            format!(
                                "correlation [{}][{}] = {} is outside [-1, 1]",
                                i + 1,
                                j + 1,
                                num(v)
                            ),
                            "correlations lie between -1 and 1",
                        )
                    } else if i == j && v != 1.0 {
                        (format!("diagonal entry [{}][{}] is {}, not 1", i + 1, i + 1, num(v)), "a parameter is perfectly correlated with itself: put 1.0 on the diagonal")
                    } else if (v - w).abs() > 1e-12 {
                        (
                            format!("correlation matrix is not symmetric: [{}][{}] = {} but [{}][{}] = {}", i + 1, j + 1, num(v), j + 1, i + 1, num(w)),
                            "entry (i, j) and entry (j, i) must be equal",
                        )
                    } else {
                        continue;
                    };
                    self.problem(at, message, hint);
                    return None;
                }
            }
        }
        match Copula::new(&c.matrix) {
            Ok(cop) if dims.len() == c.params.len() => Some((dims, cop)),
            Ok(_) => None,
            Err(e) => {
                let path = match e.entry {
                    Some((i, j)) => format!("correlation.matrix[{i}][{j}]"),
                    None => "correlation.matrix".into(),
                };
                self.problem(path, e.message, e.hint);
                None
            }
        }
    }

    fn value(
        &mut self,
        path: &str,
        s: &Scalar,
        params: &[String],
        range: std::ops::RangeInclusive<f64>,
    ) -> Value {
        match s {
            Scalar::Num(v) => {
                if !v.is_finite() {
                    let field = path.rsplit('.').next().unwrap_or(path);
                    self.problem(
                        path,
                        format!("{field} = {v} is not a finite number"),
                        "nan and inf are not values; write an ordinary number",
                    );
                } else if !range.contains(v) {
                    let field = path.rsplit('.').next().unwrap_or(path);
                    let hint = match field {
                        "achievement" => "achievement is the fraction of the plan achieved: 1 means exactly the plan".to_string(),
                        _ if range.contains(&(v / 100.0)) && v.abs() >= 1.0 => format!("rates are fractions per year, not percent: write {} for {v}%", num(v / 100.0)),
                        _ => "rates are fractions per year: 0.08 means 8%".to_string(),
                    };
                    self.problem(
                        path,
                        format!(
                            "{field} = {} is outside the plausible range [{}, {}]",
                            num(*v),
                            range.start(),
                            range.end()
                        ),
                        hint,
                    );
                }
                Value::Const(*v)
            }
            Scalar::Param(name) => match params.iter().position(|p| p == name) {
                Some(i) => Value::Param(i),
                None => {
                    self.unknown(path, "parameter", name, params);
                    Value::Const(0.0)
                }
            },
        }
    }

    fn opt_value(
        &mut self,
        path: &str,
        s: &Option<Scalar>,
        params: &[String],
        range: std::ops::RangeInclusive<f64>,
    ) -> Value {
        match s {
            Some(s) => self.value(path, s, params, range),
            None => Value::Const(0.0),
        }
    }

    /// Base-year data by region: plain non-negative numbers, one per region.
    fn per_region_numbers(&mut self, path: &str, v: &PerRegion, regions: &[String]) -> Vec<f64> {
        let values = self.per_region_values(path, v, regions, &[]);
        values
            .into_iter()
            .enumerate()
            .map(|(r, v)| match v {
                Value::Const(x) if x.is_finite() && x >= 0.0 => x,
                Value::Const(x) => {
                    let field = path.rsplit('.').next().unwrap_or(path);
                    self.problem(
                        format!("{path}.{}", regions[r]),
                        format!(
                            "`{field}` of region `{}` must be a finite number ≥ 0, found {x}",
                            regions[r]
                        ),
                        "base-year data are amounts ≥ 0 (write 0 for a region without any)",
                    );
                    0.0
                }
                Value::Param(_) => 0.0,
            })
            .collect()
    }

    fn per_region_values(
        &mut self,
        path: &str,
        v: &PerRegion,
        regions: &[String],
        params: &[String],
    ) -> Vec<Value> {
        match v {
            PerRegion::All(s) => {
                let val = self.scalar_or_number(path, s, params);
                vec![val; regions.len()]
            }
            PerRegion::ByRegion(map) => {
                let missing: Vec<String> = regions
                    .iter()
                    .filter(|r| !map.contains_key(*r))
                    .cloned()
                    .collect();
                let unknown: Vec<&String> = map.keys().filter(|k| !regions.contains(k)).collect();
                // One unknown key and one region without a value: most likely a typo of it.
                let paired = unknown.len() == 1
                    && missing.len() == 1
                    && did_you_mean(unknown[0], regions.iter().map(String::as_str)).is_none();
                for k in map.keys() {
                    if !regions.contains(k) {
                        if paired {
                            self.problem(
                                format!("{path}.{k}"),
                                format!("unknown region `{k}`"),
                                format!(
                                    "did you mean `{}`, the one region without a value here?",
                                    missing[0]
                                ),
                            );
                        } else {
                            self.unknown(&format!("{path}.{k}"), "region", k, regions);
                        }
                    }
                }
                regions
                    .iter()
                    .map(|r| match map.get(r) {
                        Some(s) => self.scalar_or_number(&format!("{path}.{r}"), s, params),
                        None => {
                            if !paired {
                                self.problem(
                                    path,
                                    format!("no value for region `{r}`"),
                                    format!("add `{r} = …` (0 if the region has none)"),
                                );
                            }
                            Value::Const(0.0)
                        }
                    })
                    .collect()
            }
        }
    }

    fn scalar_or_number(&mut self, path: &str, s: &Scalar, params: &[String]) -> Value {
        match s {
            Scalar::Num(v) => Value::Const(*v),
            Scalar::Param(name) if params.is_empty() => {
                self.problem(
                    path,
                    format!("`{name}`: base-year data must be a number here, not a parameter"),
                    "write the base-year value the document gives",
                );
                Value::Const(0.0)
            }
            Scalar::Param(name) => match params.iter().position(|p| p == name) {
                Some(i) => Value::Param(i),
                None => {
                    self.unknown(path, "parameter", name, params);
                    Value::Const(0.0)
                }
            },
        }
    }

    fn shocks(&mut self) -> Shocks {
        let s = &self.spec.shocks;
        if !(s.ar1.is_finite() && s.ar1 > -1.0 && s.ar1 < 1.0) {
            self.problem(
                "shocks.ar1",
                format!("ar1 = {} must lie strictly between -1 and 1", num(s.ar1)),
                "ar1 is the year-to-year persistence of growth shocks; 0.3 is moderate, 0 is none",
            );
        }
        let mut total = 0.0;
        let mut shares_ok = true;
        for (name, w) in [
            ("national", s.national),
            ("region", s.region),
            ("sector", s.sector),
        ] {
            if !(w.is_finite() && (0.0..=1.0).contains(&w)) {
                shares_ok = false;
                self.problem(
                    format!("shocks.{name}"),
                    format!("variance share {name} = {} must lie in [0, 1]", num(w)),
                    "shares of the shock variance are between 0 and 1, e.g. national = 0.4",
                );
            }
            total += w;
        }
        if shares_ok && total > 1.0 + 1e-9 {
            self.problem("shocks", format!("national + region + sector variance shares sum to {}, more than 1", num(total)), "the idiosyncratic share is 1 minus their sum, so they must not exceed 1: lower one of them");
        }
        let ar1 = s.ar1.clamp(-0.999, 0.999);
        Shocks {
            ar1,
            innovation: (1.0 - ar1 * ar1).sqrt(),
            national: s.national.max(0.0).sqrt(),
            region: s.region.max(0.0).sqrt(),
            sector: s.sector.max(0.0).sqrt(),
            idiosyncratic: (1.0 - total).max(0.0).sqrt(),
        }
    }

    fn capacity(
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
        let n = years - 1;
        let profile = match &c.profile {
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
        };
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

    fn indicator(&mut self, i: usize, d: &IndicatorSpec, params: &[String]) -> Indicator {
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
            kind: d.kind,
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

    fn series_source(&mut self, path: &str, name: &str, names: &Names<'_>) -> Option<Source> {
        match resolve(name, names) {
            Ok(s) => Some(s),
            Err(e) => {
                self.problem(path, e.message, e.hint);
                None
            }
        }
    }

    /// Label for a series from its parts.
    fn default_label(&self, name: &str, per: Option<&str>) -> (String, String, String) {
        let spec = self.spec;
        let part = |n: &str| -> (String, String, String) {
            let (rest, region) = n.split_once('@').map_or((n, None), |(a, b)| (a, Some(b)));
            let (base, sector) = rest
                .split_once(':')
                .map_or((rest, None), |(a, b)| (a, Some(b)));
            let (mut en, mut zh, unit) = match base {
                "va" => (
                    "Value added".to_string(),
                    "增加值".to_string(),
                    spec.scenario.va_unit.clone(),
                ),
                "energy" => (
                    "Energy use".to_string(),
                    "能源消费量".to_string(),
                    spec.scenario.energy_unit.clone(),
                ),
                _ => spec
                    .derived
                    .iter()
                    .map(|d| (&d.id, &d.name, &d.name_zh, &d.unit))
                    .chain(
                        spec.indicators
                            .iter()
                            .map(|d| (&d.id, &d.name, &d.name_zh, &d.unit)),
                    )
                    .find(|(id, ..)| *id == base)
                    .map(|(_, a, b, u)| (a.clone(), b.clone(), u.clone()))
                    .unwrap_or_else(|| (base.to_string(), base.to_string(), String::new())),
            };
            if let Some(s) = sector.and_then(|s| spec.sectors.iter().find(|x| x.id == s)) {
                en = format!("{en}, {}", s.name);
                zh = format!("{}{zh}", s.name_zh);
            }
            if let Some(r) = region.and_then(|r| spec.regions.iter().find(|x| x.id == r)) {
                en = format!("{en}, {}", r.name);
                zh = format!("{}{zh}", r.name_zh);
            }
            (en, zh, unit)
        };
        let (en, zh, unit) = part(name);
        match per {
            None => (en, zh, unit),
            Some(d) => {
                let (den_en, den_zh, den_unit) = part(d);
                (
                    format!("{en} per {den_en}"),
                    format!("单位{den_zh}{zh}"),
                    format!("{unit} / {den_unit}"),
                )
            }
        }
    }

    fn target(
        &mut self,
        i: usize,
        t: &TargetSpec,
        names: &Names<'_>,
        series: &mut Vec<SeriesDef>,
    ) -> Target {
        let p = format!("targets[{i}]");
        let meta = &self.spec.scenario;
        let horizon = t.horizon.unwrap_or(meta.horizon);
        if !t.value.is_finite() {
            self.problem(
                format!("{p}.value"),
                "target value must be a finite number",
                "write the plan's number",
            );
        }
        if t.comparator == Comparator::About {
            match t.band {
                Some(b) if b.is_finite() && b > 0.0 => {}
                Some(b) => self.problem(
                    format!("{p}.band"),
                    format!("band {b} must be positive"),
                    "`about` targets are hit within ±band of the value",
                ),
                None if t.status == Status::Modeled => self.problem(
                    &p,
                    "comparator `about` needs a `band`",
                    "e.g. band = 1.0: hit when the outcome is within ±1 of the value",
                ),
                None => {}
            }
        }
        let region = t
            .series
            .as_deref()
            .and_then(|s| s.split_once('@'))
            .map(|(_, r)| r.to_string());
        let mut target = Target {
            id: t.id.clone(),
            name: t.name.clone(),
            name_zh: t.name_zh.clone(),
            metric: t.metric,
            comparator: t.comparator,
            value: t.value,
            band: t.band.unwrap_or(0.0),
            horizon,
            binding: t.binding,
            agency: t.agency.clone(),
            unit: t.unit.clone(),
            quote: t.quote.clone(),
            reason: t.reason.clone(),
            region,
            eval: None,
        };
        if t.status == Status::Unmodeled {
            if t.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                self.problem(
                    &p,
                    format!("unmodeled target `{}` needs a `reason`", t.id),
                    "say why the model cannot represent it",
                );
            }
            return target;
        }
        let Some(name) = &t.series else {
            self.problem(
                &p,
                format!("target `{}` has no `series`", t.id),
                "name the series it is measured on, or set status = \"unmodeled\" with a reason",
            );
            return target;
        };
        if !self.years_ok {
            return target;
        }
        if horizon <= meta.base_year || horizon > meta.horizon {
            let hint = if t.horizon.is_some() {
                format!("a target's horizon is a simulated year, {}..{}; remove `horizon` to use the scenario's ({})", i64::from(meta.base_year) + 1, meta.horizon, meta.horizon)
            } else {
                "a target's horizon is a simulated year".to_string()
            };
            self.problem(
                format!("{p}.horizon"),
                format!(
                    "horizon {horizon} is outside the simulated years {}..{}",
                    i64::from(meta.base_year) + 1,
                    meta.horizon
                ),
                hint,
            );
            return target;
        }
        let from = t.from.unwrap_or(meta.base_year);
        if from < meta.base_year || from >= horizon {
            self.problem(format!("{p}.from"), format!("baseline year {from} must lie in {}..{}", meta.base_year, i64::from(horizon) - 1), format!("`from` is the year the target is measured from, between the base year and the year before the target's horizon; remove it to use the base year ({})", meta.base_year));
            return target;
        }
        let num = self.series_source(&format!("{p}.series"), name, names);
        let den = t
            .per
            .as_ref()
            .map(|d| self.series_source(&format!("{p}.per"), d, names));
        let (Some(num), Some(den)) = (num, den.map_or(Some(None), |d| d.map(Some))) else {
            return target;
        };
        let scale = if t.per.is_some() && matches!(t.metric, Metric::Share | Metric::ChangePp) {
            100.0
        } else {
            1.0
        };
        let key = format!(
            "{name}{}{}",
            t.per.as_ref().map(|d| format!("/{d}")).unwrap_or_default(),
            if scale != 1.0 { "%" } else { "" }
        );
        let (gen_en, gen_zh, gen_unit) = self.default_label(name, t.per.as_deref());
        let unit = if scale == 100.0 {
            "%".to_string()
        } else {
            gen_unit
        };
        let label = (
            if t.name.is_empty() {
                gen_en
            } else {
                t.name.clone()
            },
            if t.name_zh.is_empty() {
                gen_zh
            } else {
                t.name_zh.clone()
            },
            unit,
        );
        let idx = register(series, &key, num, den, scale, label);
        target.eval = Some(Evaluation {
            series: idx,
            from: (from - meta.base_year) as usize,
            to: (horizon - meta.base_year) as usize,
        });
        target
    }
}

fn named(id: &str, name: &str, name_zh: &str) -> Named {
    Named {
        id: id.into(),
        name: name.into(),
        name_zh: name_zh.into(),
    }
}

/// Adds a series to the registry (or finds it) and returns its index.
fn register(
    series: &mut Vec<SeriesDef>,
    key: &str,
    num: Source,
    den: Option<Source>,
    scale: f64,
    label: (String, String, String),
) -> usize {
    if let Some(i) = series.iter().position(|s| s.key == key) {
        return i;
    }
    let region = match num {
        Source::Account { region, .. } | Source::Derived { region, .. } => region,
        _ => None,
    };
    series.push(SeriesDef {
        key: key.into(),
        num,
        den,
        scale,
        name: label.0,
        name_zh: label.1,
        unit: label.2,
        region,
    });
    series.len() - 1
}

/// The distribution a parameter's fields describe, or (field, message, hint).
pub fn param_distribution(p: &ParamSpec) -> Result<Distribution, (String, String, String)> {
    let Some(kind) = p.dist else {
        return Err(("dist".into(), "no `dist` given".into(), "add e.g. dist = \"normal\" with mean and sd, or dist = \"fixed\" with value; docs/scenario-format.md lists them all".into()));
    };
    let fields: [(&str, bool); 18] = [
        ("value", p.value.is_some()),
        ("mean", p.mean.is_some()),
        ("sd", p.sd.is_some()),
        ("p5", p.p5.is_some()),
        ("p95", p.p95.is_some()),
        ("mu", p.mu.is_some()),
        ("sigma", p.sigma.is_some()),
        ("min", p.min.is_some()),
        ("max", p.max.is_some()),
        ("mode", p.mode.is_some()),
        ("lambda", p.lambda.is_some()),
        ("alpha", p.alpha.is_some()),
        ("beta", p.beta.is_some()),
        ("df", p.df.is_some()),
        ("loc", p.loc.is_some()),
        ("scale", p.scale.is_some()),
        ("values", p.values.is_some()),
        ("weights", p.weights.is_some()),
    ];
    let percentile_form = p.p5.is_some() || p.p95.is_some();
    let (allowed, required): (&[&str], Vec<&str>) = match kind {
        DistKind::Fixed => (&["value"], vec!["value"]),
        DistKind::Normal if percentile_form => (&["p5", "p95"], vec!["p5", "p95"]),
        DistKind::Normal => (&["mean", "sd"], vec!["mean", "sd"]),
        DistKind::Lognormal if percentile_form => (&["p5", "p95"], vec!["p5", "p95"]),
        DistKind::Lognormal => (&["mu", "sigma"], vec!["mu", "sigma"]),
        DistKind::Uniform => (&["min", "max"], vec!["min", "max"]),
        DistKind::Triangular => (&["min", "mode", "max"], vec!["min", "mode", "max"]),
        DistKind::Pert => (
            &["min", "mode", "max", "lambda"],
            vec!["min", "mode", "max"],
        ),
        DistKind::Truncnormal => (
            &["mean", "sd", "min", "max"],
            vec!["mean", "sd", "min", "max"],
        ),
        DistKind::Beta => (&["alpha", "beta", "min", "max"], vec!["alpha", "beta"]),
        DistKind::StudentT => (&["df", "loc", "scale"], vec!["df", "loc", "scale"]),
        DistKind::Discrete => (&["values", "weights"], vec!["values", "weights"]),
    };
    let kind_name = format!("{kind:?}").to_lowercase();
    for (f, present) in fields {
        if present && !allowed.contains(&f) {
            return Err((
                f.into(),
                format!("`{f}` is not a field of dist = \"{kind_name}\""),
                format!("{kind_name} takes {}", allowed.join(", ")),
            ));
        }
    }
    let present: BTreeSet<&str> = fields.iter().filter(|(_, p)| *p).map(|(f, _)| *f).collect();
    if let Some(missing) = required.iter().find(|f| !present.contains(**f)) {
        return Err((
            "dist".into(),
            format!("dist = \"{kind_name}\" needs `{missing}`"),
            format!("{kind_name} takes {}", allowed.join(", ")),
        ));
    }
    // nan and inf are valid TOML floats but never valid arguments.
    let numbers = [
        ("value", p.value),
        ("mean", p.mean),
        ("sd", p.sd),
        ("p5", p.p5),
        ("p95", p.p95),
        ("mu", p.mu),
        ("sigma", p.sigma),
        ("min", p.min),
        ("max", p.max),
        ("mode", p.mode),
        ("lambda", p.lambda),
        ("alpha", p.alpha),
        ("beta", p.beta),
        ("df", p.df),
        ("loc", p.loc),
        ("scale", p.scale),
    ];
    if let Some((f, v)) = numbers
        .iter()
        .find_map(|(f, v)| v.filter(|x| !x.is_finite()).map(|x| (*f, x)))
    {
        return Err((
            f.into(),
            format!("`{f}` = {v} is not a finite number"),
            "nan and inf are not values; write an ordinary number".into(),
        ));
    }
    for (f, list) in [("values", &p.values), ("weights", &p.weights)] {
        if let Some(j) = list
            .as_ref()
            .and_then(|l| l.iter().position(|x| !x.is_finite()))
        {
            return Err((
                format!("{f}[{j}]"),
                format!("entry {} of `{f}` is not a finite number", j + 1),
                "nan and inf are not values; write an ordinary number".into(),
            ));
        }
    }
    // Finite but absurd values: they overflow (max - min = inf) or make the tabulated
    // quantile functions of the beta family and Student t run for minutes.
    if let Some((f, v)) = numbers
        .iter()
        .find_map(|(f, v)| v.filter(|x| x.abs() > MAX_MAGNITUDE).map(|x| (*f, x)))
    {
        return Err((
            f.into(),
            format!("`{f}` = {v:e} is implausibly large (beyond ±1e15)"),
            "check the number and its unit".into(),
        ));
    }
    // (field, value, lowest, highest, hint when too low, hint when too high)
    type Shape<'s> = (&'s str, Option<f64>, f64, f64, &'s str, &'s str);
    const BETA_LOW: &str = "shapes below 0.001 put all the probability at the ends; shapes of uncertain quantities lie between about 0.5 and 100";
    const BETA_HIGH: &str = "shapes of uncertain quantities lie between about 0.5 and 100; for a nearly certain value use dist = \"fixed\"";
    let shapes: &[Shape] = match kind {
        DistKind::Beta => &[("alpha", p.alpha, 1e-3, 1e5, BETA_LOW, BETA_HIGH), ("beta", p.beta, 1e-3, 1e5, BETA_LOW, BETA_HIGH)],
        DistKind::Pert => &[(
            "lambda",
            p.lambda,
            1e-3,
            1e4,
            "lambda must be positive; the classic PERT uses lambda = 4",
            "the classic PERT uses lambda = 4; larger values concentrate the distribution at the mode (for a nearly certain value use dist = \"fixed\")",
        )],
        DistKind::StudentT => &[(
            "df",
            p.df,
            0.1,
            1e6,
            "degrees of freedom below 0.1 have tails too heavy to draw from; 3 to 10 give heavy tails",
            "above about 30 degrees of freedom the t distribution is practically normal: use dist = \"normal\" with mean = loc and sd = scale",
        )],
        DistKind::Lognormal => &[(
            "mu",
            p.mu,
            -100.0,
            100.0,
            "mu is the mean of the logarithm: the median is e^mu, so mu = 0.0 means a median of 1",
            "mu is the mean of the logarithm: the median is e^mu, so mu = 0.0 means a median of 1",
        )],
        _ => &[],
    };
    for &(f, v, lo, hi, low, high) in shapes {
        if let Some(v) = v.filter(|v| !(lo..=hi).contains(v)) {
            return Err((
                f.into(),
                format!(
                    "`{f}` = {} is outside the supported range [{lo}, {hi}]",
                    num(v)
                ),
                if v < lo { low } else { high }.into(),
            ));
        }
    }
    let g = |v: Option<f64>| v.unwrap_or(f64::NAN);
    let result = match kind {
        DistKind::Fixed => Distribution::fixed(g(p.value)),
        DistKind::Normal if percentile_form => Distribution::normal_p5_p95(g(p.p5), g(p.p95)),
        DistKind::Normal => Distribution::normal(g(p.mean), g(p.sd)),
        DistKind::Lognormal if percentile_form => Distribution::lognormal_p5_p95(g(p.p5), g(p.p95)),
        DistKind::Lognormal => Distribution::lognormal(g(p.mu), g(p.sigma)),
        DistKind::Uniform => Distribution::uniform(g(p.min), g(p.max)),
        DistKind::Triangular => Distribution::triangular(g(p.min), g(p.mode), g(p.max)),
        DistKind::Pert => {
            Distribution::pert(g(p.min), g(p.mode), g(p.max), p.lambda.unwrap_or(4.0))
        }
        DistKind::Truncnormal => Distribution::truncnormal(g(p.mean), g(p.sd), g(p.min), g(p.max)),
        DistKind::Beta => Distribution::beta(
            g(p.alpha),
            g(p.beta),
            p.min.unwrap_or(0.0),
            p.max.unwrap_or(1.0),
        ),
        DistKind::StudentT => Distribution::student_t(g(p.df), g(p.loc), g(p.scale)),
        DistKind::Discrete => Distribution::discrete(
            p.values.as_deref().unwrap_or(&[]),
            p.weights.as_deref().unwrap_or(&[]),
        ),
    };
    result.map_err(|e| {
        let field = allowed
            .iter()
            .find(|f| e.0.contains(&format!("`{f}`")))
            .or_else(|| allowed.iter().find(|f| e.0.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == **f)))
            .copied()
            .unwrap_or("dist");
        let takes = format!("{kind_name} takes {}", allowed.join(", "));
        let hint = match field {
            "sd" | "sigma" | "scale" | "df" | "lambda" | "alpha" | "beta" if e.0.contains("positive") => format!("`{field}` must be greater than 0; {takes}"),
            "min" | "max" if e.0.contains("less than") => "`min` is the smallest possible value and `max` the largest: swap them or correct one".into(),
            "mode" => "`mode` is the most likely value and lies between `min` and `max`".into(),
            "p5" | "p95" if kind == DistKind::Lognormal && e.0.contains("positive") => "a lognormal quantity is positive: both percentiles must be > 0 (use normal for quantities that can be negative)".into(),
            "p5" | "p95" => "`p5` is the value with a 5% chance of being undershot and `p95` with a 5% chance of being exceeded: p5 < p95".into(),
            "values" | "weights" => "give one weight ≥ 0 per value, not all zero".into(),
            _ => takes,
        };
        (field.to_string(), e.0, hint)
    })
}
