//! Parameters, the copula over them, values given as numbers or parameter names, and
//! the shock structure.

use super::context::{num, valid_id, Compiler};
use super::distribution::{param_distribution, param_law};
use crate::diag::did_you_mean;
use crate::ix::{DimIx, IxVec, ParamIx};
use crate::model::copula::Copula;
use crate::model::dist::Distribution;
use crate::model::{Correlation, Param, Shocks, Value};
use crate::scenario::spec::{ParamSpec, PerRegion, Scalar};
use std::collections::HashSet;

/// A compiled parameter: its distribution with the names, unit and source the file gives.
fn param(id: &str, p: &ParamSpec, dist: Distribution) -> Param {
    Param {
        id: id.to_string(),
        name: p.name.clone(),
        name_zh: p.name_zh.clone(),
        unit: p.unit.clone(),
        dist,
        law: param_law(p),
        source: p.source.clone(),
    }
}

impl Compiler<'_> {
    pub(super) fn params(&mut self) -> IxVec<ParamIx, Param> {
        let mut out = IxVec::new();
        for (name, p) in &self.spec.params {
            let path = format!("params.{name}");
            if !valid_id(name) {
                self.problem(
                    &path,
                    format!("parameter name `{name}` is not a plain identifier"),
                    "use letters, digits and underscores",
                );
            }
            if let Some(alt) = &p.inside_view {
                self.inside_view(name, alt);
            }
            match param_distribution(p) {
                Ok(dist) => {
                    self.supports.insert(name.clone(), support(&dist));
                    out.push(param(name, p, dist));
                }
                Err(d) => {
                    self.bad_params.insert(name.clone());
                    let field = d.key.as_deref().unwrap_or("dist");
                    self.problem(
                        format!("{path}.{field}"),
                        format!("parameter `{name}`: {}", d.message),
                        d.hint.unwrap_or_default(),
                    );
                    out.push(param(name, p, Distribution::Fixed(0.0)));
                }
            }
        }
        out
    }

    /// Checks a parameter's inside-view alternative (what `--inside-view` runs instead)
    /// like any distribution, whichever view this run uses.
    fn inside_view(&mut self, name: &str, alt: &ParamSpec) {
        let path = format!("params.{name}.inside_view");
        if alt.inside_view.is_some() {
            self.problem(
                format!("{path}.inside_view"),
                format!("the inside view of `{name}` has an inside view of its own"),
                "a parameter has one alternative prior: remove the inner `inside_view`",
            );
        }
        if let Err(d) = param_distribution(alt) {
            let field = d.key.as_deref().unwrap_or("dist");
            self.problem(
                format!("{path}.{field}"),
                format!("parameter `{name}`, inside view: {}", d.message),
                d.hint.unwrap_or_default(),
            );
        }
    }

    pub(super) fn copula(
        &mut self,
        params: &IxVec<ParamIx, Param>,
        uncertain: &IxVec<DimIx, ParamIx>,
    ) -> Option<Correlation> {
        let c = self.spec.correlation.as_ref()?;
        if c.params.is_empty() && c.matrix.is_empty() {
            // `params = []`, `matrix = []`: how a variant drops its parent's correlations.
            return None;
        }
        let mut dims = IxVec::new();
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
                Some(idx) => match uncertain.position(|&u| u == ParamIx(idx)) {
                    Some(dim) => {
                        dims.push(dim);
                    }
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
        match Copula::new(&c.matrix) {
            Ok(copula) if dims.len() == c.params.len() => Some(Correlation { dims, copula }),
            Ok(_) => None,
            Err(e) => {
                let path = match e.entry() {
                    Some((i, j)) => format!("correlation.matrix[{i}][{j}]"),
                    None => "correlation.matrix".into(),
                };
                // Numbers as the user wrote them (0.9, not 0.9000000000000001).
                self.problem(path, e.message(num), e.hint());
                None
            }
        }
    }

    pub(super) fn value(
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
                Some(i) => {
                    self.check_support(path, name, &range);
                    Value::Param(ParamIx(i))
                }
                None => {
                    if !self.quoted_number(path, name) {
                        self.unknown(path, "parameter", name, params);
                    }
                    Value::Const(0.0)
                }
            },
        }
    }

    /// Reports `text` at `path` when it is a number in quotes (`growth = '0.1'`): TOML
    /// reads it as a string, which names a parameter, so it would be "unknown parameter
    /// `0.1`". Returns whether it did.
    fn quoted_number(&mut self, path: &str, text: &str) -> bool {
        if text.trim().parse::<f64>().is_err() {
            return false;
        }
        let field = path.rsplit('.').next().unwrap_or(path);
        self.problem(
            path,
            format!("`\"{text}\"` is a string (a number in quotes), not a number"),
            format!(
                "remove the quotes: {field} = {}; a quoted word names a parameter",
                text.trim()
            ),
        );
        true
    }

    /// A parameter used at `path` must draw only values inside that place's `range`:
    /// its whole support for a bounded law, all but a millionth in each tail for an
    /// unbounded one (a normal growth rate's tail beyond that is never drawn in a run's
    /// worth of draws at any practical precision).
    fn check_support(&mut self, path: &str, name: &str, range: &std::ops::RangeInclusive<f64>) {
        let Some(&(lo, hi)) = self.supports.get(name) else {
            return;
        };
        if range.contains(&lo) && range.contains(&hi) {
            return;
        }
        let field = path.rsplit('.').next().unwrap_or(path);
        self.problem(
            path,
            format!(
                "parameter `{name}` used as {field} can draw {} to {}, outside the plausible range [{}, {}] of {field}",
                num(lo),
                num(hi),
                range.start(),
                range.end()
            ),
            format!(
                "narrow `{name}`'s distribution or bound it (dist = \"truncnormal\" with min and max inside [{}, {}]); {}",
                range.start(),
                range.end(),
                if field == "achievement" {
                    "achievement is the fraction of the plan achieved: 1 means exactly the plan"
                } else {
                    "rates are fractions per year: 0.08 means 8%"
                }
            ),
        );
    }

    pub(super) fn opt_value(
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
    pub(super) fn per_region_numbers(
        &mut self,
        path: &str,
        v: &PerRegion,
        regions: &[String],
    ) -> Vec<f64> {
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

    /// A rate given once or by region (a number or a parameter each), each number
    /// range-checked as [`Compiler::value`] checks it: one value per region of `regions`.
    pub(super) fn per_region_rates(
        &mut self,
        path: &str,
        v: &PerRegion,
        regions: &[String],
        params: &[String],
        range: std::ops::RangeInclusive<f64>,
    ) -> Vec<Value> {
        match v {
            PerRegion::All(s) => {
                let x = self.value(path, s, params, range);
                vec![x; regions.len()]
            }
            PerRegion::ByRegion(map) => {
                let values = self.per_region_values(path, v, regions, params);
                for r in regions {
                    match map.get(r) {
                        Some(s @ Scalar::Num(_)) => {
                            self.value(&format!("{path}.{r}"), s, params, range.clone());
                        }
                        Some(Scalar::Param(name)) => {
                            self.check_support(&format!("{path}.{r}"), name, &range);
                        }
                        None => {}
                    }
                }
                values
            }
        }
    }

    /// Like [`Compiler::per_region_rates`], 0 everywhere when the file gives none.
    pub(super) fn opt_per_region_rates(
        &mut self,
        path: &str,
        v: &Option<PerRegion>,
        regions: &[String],
        params: &[String],
        range: std::ops::RangeInclusive<f64>,
    ) -> Vec<Value> {
        match v {
            Some(v) => self.per_region_rates(path, v, regions, params, range),
            None => vec![Value::Const(0.0); regions.len()],
        }
    }

    pub(super) fn per_region_values(
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

    pub(super) fn scalar_or_number(&mut self, path: &str, s: &Scalar, params: &[String]) -> Value {
        match s {
            Scalar::Num(v) => Value::Const(*v),
            Scalar::Param(name) if params.is_empty() && self.quoted_number(path, name) => {
                Value::Const(0.0)
            }
            Scalar::Param(name) if params.is_empty() => {
                self.problem(
                    path,
                    format!("`{name}`: base-year data must be a number here, not a parameter"),
                    "write the base-year value the document gives",
                );
                Value::Const(0.0)
            }
            Scalar::Param(name) => match params.iter().position(|p| p == name) {
                Some(i) => Value::Param(ParamIx(i)),
                None => {
                    if !self.quoted_number(path, name) {
                        self.unknown(path, "parameter", name, params);
                    }
                    Value::Const(0.0)
                }
            },
        }
    }

    /// The `[shocks]` structure, and each region's own (its fields over `[shocks]`).
    pub(super) fn shocks(&mut self) -> (Shocks, Vec<Shocks>) {
        let s = &self.spec.shocks;
        let global = self.shock_structure(
            "shocks",
            [
                Some(s.ar1),
                Some(s.national),
                Some(s.region),
                Some(s.sector),
            ],
            [s.ar1, s.national, s.region, s.sector],
        );
        let regional = self
            .spec
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| match &r.shocks {
                None => global,
                Some(own) => self.shock_structure(
                    &format!("regions[{i}].shocks"),
                    [own.ar1, own.national, own.region, own.sector],
                    [
                        own.ar1.unwrap_or(s.ar1),
                        own.national.unwrap_or(s.national),
                        own.region.unwrap_or(s.region),
                        own.sector.unwrap_or(s.sector),
                    ],
                ),
            })
            .collect();
        (global, regional)
    }

    /// A shock structure from ar1 and the national, region and sector variance shares
    /// (`values`), checking those `given` at `path` and the shares' sum.
    fn shock_structure(&mut self, path: &str, given: [Option<f64>; 4], values: [f64; 4]) -> Shocks {
        let [ar1, national, region, sector] = values;
        if given[0].is_some() && !(ar1.is_finite() && ar1 > -1.0 && ar1 < 1.0) {
            self.problem(
                format!("{path}.ar1"),
                format!("ar1 = {} must lie strictly between -1 and 1", num(ar1)),
                "ar1 is the year-to-year persistence of growth shocks; 0.3 is moderate, 0 is none",
            );
        }
        let mut total = 0.0;
        let mut shares_ok = true;
        for ((name, w), g) in [
            ("national", national),
            ("region", region),
            ("sector", sector),
        ]
        .into_iter()
        .zip(&given[1..])
        {
            if !(w.is_finite() && (0.0..=1.0).contains(&w)) {
                shares_ok = false;
                if g.is_some() {
                    self.problem(
                        format!("{path}.{name}"),
                        format!("variance share {name} = {} must lie in [0, 1]", num(w)),
                        "shares of the shock variance are between 0 and 1, e.g. national = 0.4",
                    );
                }
            }
            total += w;
        }
        if shares_ok && total > 1.0 + 1e-9 {
            self.problem(path, format!("national + region + sector variance shares sum to {}, more than 1", num(total)), "the idiosyncratic share is 1 minus their sum, so they must not exceed 1: lower one of them");
        }
        let ar1 = if ar1.is_finite() {
            ar1.clamp(-0.999, 0.999)
        } else {
            0.0
        };
        Shocks {
            ar1,
            innovation: (1.0 - ar1 * ar1).sqrt(),
            national: national.max(0.0).sqrt(),
            region: region.max(0.0).sqrt(),
            sector: sector.max(0.0).sqrt(),
            idiosyncratic: (1.0 - total).max(0.0).sqrt(),
        }
    }
}

/// Below this probability a tail of an unbounded distribution counts as outside its
/// support (one in a million).
const SUPPORT_TAIL: f64 = 1e-6;

/// The lowest and highest values `dist` draws: its bounds when it has them, its
/// one-in-a-million quantiles when it is unbounded.
fn support(dist: &Distribution) -> (f64, f64) {
    let end = |u: f64, tail: f64| {
        let x = dist.inverse_cdf(u);
        if x.is_finite() {
            x
        } else {
            dist.inverse_cdf(tail)
        }
    };
    (end(0.0, SUPPORT_TAIL), end(1.0, 1.0 - SUPPORT_TAIL))
}
