//! The scenario file format as serde types: exactly what a user may write, nothing
//! derived. Unknown keys are rejected by `deny_unknown_fields` so a misspelt key is an
//! error with a location, never silently ignored. Semantic checks live in `validate`.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// A whole scenario file (after `extends` has been resolved).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Parent file; consumed by the loader, kept for the record.
    #[serde(default)]
    pub extends: Option<String>,
    pub scenario: Meta,
    #[serde(default)]
    pub params: BTreeMap<String, ParamSpec>,
    #[serde(default)]
    pub correlation: Option<CorrelationSpec>,
    pub regions: Vec<RegionSpec>,
    pub sectors: Vec<SectorSpec>,
    #[serde(default)]
    pub shocks: ShockSpec,
    #[serde(default)]
    pub capacity: Vec<CapacitySpec>,
    #[serde(default)]
    pub derived: Vec<DerivedSpec>,
    #[serde(default)]
    pub indicators: Vec<IndicatorSpec>,
    #[serde(default)]
    pub history: Vec<HistorySpec>,
    #[serde(default)]
    pub observed: Vec<ObservedSpec>,
    pub targets: Vec<TargetSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub document: String,
    pub base_year: i32,
    pub horizon: i32,
    #[serde(default)]
    pub draws: Option<u64>,
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub va_unit: String,
    #[serde(default)]
    pub energy_unit: String,
    #[serde(default)]
    pub source_text: Option<String>,
    #[serde(default)]
    pub description: String,
}

impl ScenarioSpec {
    /// The scenario with every parameter that has an `inside_view` alternative drawn
    /// from that alternative instead (its names and unit kept where the alternative has
    /// none): the priors before the outside view, for `--inside-view`.
    pub fn inside_view(&self) -> ScenarioSpec {
        let mut spec = self.clone();
        for p in spec.params.values_mut() {
            if let Some(alt) = p.inside_view.take() {
                let mut alt = *alt;
                for (a, main) in [
                    (&mut alt.name, &p.name),
                    (&mut alt.name_zh, &p.name_zh),
                    (&mut alt.unit, &p.unit),
                ] {
                    if a.is_empty() {
                        a.clone_from(main);
                    }
                }
                *p = alt;
            }
        }
        spec
    }
}

/// Distribution family names accepted in `dist = "..."`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistKind {
    Fixed,
    Normal,
    Lognormal,
    Uniform,
    Triangular,
    Pert,
    Truncnormal,
    Beta,
    StudentT,
    Discrete,
}

impl DistKind {
    /// The name as written in `dist = "..."`.
    pub fn name(self) -> &'static str {
        match self {
            DistKind::Fixed => "fixed",
            DistKind::Normal => "normal",
            DistKind::Lognormal => "lognormal",
            DistKind::Uniform => "uniform",
            DistKind::Triangular => "triangular",
            DistKind::Pert => "pert",
            DistKind::Truncnormal => "truncnormal",
            DistKind::Beta => "beta",
            DistKind::StudentT => "student_t",
            DistKind::Discrete => "discrete",
        }
    }
}

/// One named uncertain parameter. Fields are flat so every field error has its own
/// location; `validate` checks that the fields match the family.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    pub dist: Option<DistKind>,
    pub value: Option<f64>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub p5: Option<f64>,
    pub p95: Option<f64>,
    pub mu: Option<f64>,
    pub sigma: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mode: Option<f64>,
    pub lambda: Option<f64>,
    pub alpha: Option<f64>,
    pub beta: Option<f64>,
    pub df: Option<f64>,
    pub loc: Option<f64>,
    pub scale: Option<f64>,
    pub values: Option<Vec<f64>>,
    pub weights: Option<Vec<f64>>,
    /// The prior before the outside view: the distribution `--inside-view` uses instead.
    #[serde(default)]
    pub inside_view: Option<Box<ParamSpec>>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub source: String,
}

impl ParamSpec {
    /// The numeric fields by their file names, in the order the format documents them.
    pub fn numbers(&self) -> [(&'static str, Option<f64>); 16] {
        [
            ("value", self.value),
            ("mean", self.mean),
            ("sd", self.sd),
            ("p5", self.p5),
            ("p95", self.p95),
            ("mu", self.mu),
            ("sigma", self.sigma),
            ("min", self.min),
            ("max", self.max),
            ("mode", self.mode),
            ("lambda", self.lambda),
            ("alpha", self.alpha),
            ("beta", self.beta),
            ("df", self.df),
            ("loc", self.loc),
            ("scale", self.scale),
        ]
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrelationSpec {
    pub params: Vec<String>,
    pub matrix: Vec<Vec<f64>>,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSpec {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub growth_offset: Option<Scalar>,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorSpec {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    pub va: PerRegion,
    pub growth: Scalar,
    #[serde(default)]
    pub volatility: Option<Scalar>,
    #[serde(default)]
    pub energy_intensity: Option<PerRegion>,
    #[serde(default)]
    pub intensity_change: Option<Scalar>,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShockSpec {
    #[serde(default)]
    pub ar1: f64,
    #[serde(default)]
    pub national: f64,
    #[serde(default)]
    pub region: f64,
    #[serde(default)]
    pub sector: f64,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacitySpec {
    pub id: String,
    pub sector: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    pub output: f64,
    pub capacity: f64,
    pub backward: f64,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub plan: f64,
    #[serde(default)]
    pub achievement: Option<Scalar>,
    #[serde(default)]
    pub profile: Option<Vec<f64>>,
    pub unit_energy_advanced: f64,
    pub unit_energy_backward: f64,
    #[serde(default)]
    pub unit_energy_unit: String,
    #[serde(default)]
    pub progress: Option<Scalar>,
    #[serde(default)]
    pub energy: bool,
    #[serde(default)]
    pub source: String,
}

/// What a derived series is an intensity of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Energy,
    Va,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedSpec {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    pub basis: Basis,
    #[serde(default)]
    pub sectors: Option<Vec<String>>,
    pub factor: PerRegion,
    #[serde(default)]
    pub change: Option<Scalar>,
    #[serde(default)]
    pub volatility: Option<Scalar>,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    Bounded,
    Level,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSpec {
    pub id: String,
    pub kind: IndicatorKind,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    pub start: f64,
    #[serde(default)]
    pub lower: Option<f64>,
    #[serde(default)]
    pub upper: Option<f64>,
    #[serde(default)]
    pub drift: Option<Scalar>,
    #[serde(default)]
    pub growth: Option<Scalar>,
    #[serde(default)]
    pub volatility: Option<Scalar>,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub source: String,
}

/// What a document records of a series before (or early in) the plan: its level in
/// `year`, or (with `metric` and `from`) its change from `from` to `year`, in the terms
/// the document uses ("累计下降26%" is `metric = "change_pct"`, `value = -26`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistorySpec {
    pub id: String,
    pub series: String,
    /// Denominator series: the record is of `series / per` (an intensity).
    #[serde(default)]
    pub per: Option<String>,
    pub year: i32,
    pub value: f64,
    /// `level` (default), or a change: `change_pct`, `change_pp`, `cagr`, `multiple`.
    #[serde(default)]
    pub metric: Option<Metric>,
    /// First year of a change record.
    #[serde(default)]
    pub from: Option<i32>,
    #[serde(default)]
    pub source: String,
}

/// A value observed in a year of the plan period: every draw takes it in that year
/// and continues from it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservedSpec {
    pub id: String,
    pub series: String,
    /// Denominator series: the observation is of `series / per` (an intensity).
    #[serde(default)]
    pub per: Option<String>,
    pub year: i32,
    pub value: f64,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Cagr,
    ChangePct,
    Level,
    Share,
    ChangePp,
    Cumulative,
    Multiple,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    AtLeast,
    AtMost,
    About,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Modeled,
    Unmodeled,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub series: Option<String>,
    #[serde(default)]
    pub per: Option<String>,
    pub metric: Metric,
    pub comparator: Comparator,
    pub value: f64,
    #[serde(default)]
    pub band: Option<f64>,
    #[serde(default)]
    pub horizon: Option<i32>,
    #[serde(default)]
    pub from: Option<i32>,
    #[serde(default)]
    pub binding: bool,
    #[serde(default)]
    pub agency: Option<String>,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub quote: String,
    #[serde(default)]
    pub source: String,
}

/// A number, or the name of a parameter drawn per draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Num(f64),
    Param(String),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or the name of a parameter")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Num(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Num(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Num(v as f64))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Param(v.to_string()))
    }
}

/// One value for every region, or a table of values by region id.
#[derive(Debug, Clone, PartialEq)]
pub enum PerRegion {
    All(Scalar),
    ByRegion(BTreeMap<String, Scalar>),
}

impl<'de> Deserialize<'de> for PerRegion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PerRegionVisitor)
    }
}

struct PerRegionVisitor;

impl<'de> Visitor<'de> for PerRegionVisitor {
    type Value = PerRegion;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, a parameter name, or a table of values by region id")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<PerRegion, E> {
        ScalarVisitor.visit_f64(v).map(PerRegion::All)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<PerRegion, E> {
        ScalarVisitor.visit_i64(v).map(PerRegion::All)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<PerRegion, E> {
        ScalarVisitor.visit_u64(v).map(PerRegion::All)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<PerRegion, E> {
        ScalarVisitor.visit_str(v).map(PerRegion::All)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PerRegion, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((k, v)) = map.next_entry::<String, Scalar>()? {
            out.insert(k, v);
        }
        Ok(PerRegion::ByRegion(out))
    }
}
