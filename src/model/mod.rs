//! The compiled model: a scenario turned into flat arrays (regions × sectors × years),
//! distributions, a copula factor and target definitions, ready for the draw kernel.
//! Compilation is also where every semantic error in a scenario is found.

pub mod compile;
pub mod copula;
pub mod dist;
pub mod goal;
pub mod series;

pub use compile::compile;
pub use goal::{Comparator, Direction, Goal, Metric};

use crate::ix::{CopulaIx, DimIx, IxVec, ParamIx, SeriesIx, TargetIx};
use copula::Copula;
use dist::Distribution;

/// A number fixed in the file, or a parameter's value in the current draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Const(f64),
    Param(ParamIx),
}

impl Value {
    /// The value in a draw whose parameter values are `params`.
    #[inline]
    pub fn get(self, params: &IxVec<ParamIx, f64>) -> f64 {
        match self {
            Value::Const(v) => v,
            Value::Param(i) => params[i],
        }
    }
}

/// Rank-correlated parameters: which sampler dimensions the copula's dimensions are,
/// and the copula.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// The sampler dimension of each copula dimension.
    pub dims: IxVec<CopulaIx, DimIx>,
    pub copula: Copula,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub id: String,
    pub name: String,
    pub name_zh: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub unit: String,
    pub dist: Distribution,
    /// The distribution as the scenario writes it, e.g. `normal(p5 = 0.07, p95 = 0.1)`:
    /// what a reader of a report can check against the file.
    pub law: String,
    /// Where the numbers come from (a verbatim quote or `assumption: …`).
    pub source: String,
}

/// Factor structure of the growth shocks, as standard-deviation weights.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shocks {
    pub ar1: f64,
    /// sqrt(1 − ar1²): keeps the AR(1) process at unit variance.
    pub innovation: f64,
    pub national: f64,
    pub region: f64,
    pub sector: f64,
    pub idiosyncratic: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CapacityProcess {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub unit: String,
    pub unit_energy_unit: String,
    pub sector: usize,
    pub output: f64,
    pub capacity: f64,
    pub backward: f64,
    pub plan: f64,
    pub achievement: Value,
    /// Share of the plan eliminated in each simulated year (len = years − 1).
    pub profile: Vec<f64>,
    pub unit_energy_advanced: f64,
    pub unit_energy_backward: f64,
    pub progress: Value,
    pub drives_energy: bool,
}

/// Fields of a capacity process's per-year state, in workspace order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapacityField {
    Eliminated = 0,
    Backward = 1,
    Output = 2,
    UnitEnergy = 3,
    BackwardShare = 4,
}

pub const CAPACITY_FIELDS: usize = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub unit: String,
    pub basis_energy: bool,
    /// Sectors whose basis counts (all when the scenario lists none).
    pub sectors: Vec<usize>,
    /// Base-year factor by region.
    pub factor: Vec<Value>,
    pub change: Value,
    pub volatility: Value,
}

/// How an indicator moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorKind {
    /// Between bounds (shares, rates): a random walk of its logit.
    Bounded,
    /// A positive level (revenues, counts): a lognormal walk.
    Level,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub unit: String,
    pub kind: IndicatorKind,
    pub start: f64,
    pub lower: f64,
    pub upper: f64,
    /// Bounded: drift in indicator units per year; level: expected growth.
    pub trend: Value,
    pub volatility: Value,
}

/// Where a series' per-year values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Value added (`energy = false`) or energy, optionally of one region and/or sector.
    Account {
        energy: bool,
        region: Option<usize>,
        sector: Option<usize>,
    },
    Derived {
        index: usize,
        region: Option<usize>,
    },
    Indicator(usize),
    Capacity {
        index: usize,
        field: CapacityField,
    },
}

/// A series a target or fan reads: `num`, or `num / den`, times `scale`.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesDef {
    pub key: String,
    pub num: Source,
    pub den: Option<Source>,
    pub scale: f64,
    pub name: String,
    pub name_zh: String,
    pub unit: String,
    pub region: Option<usize>,
}

/// How a modeled target is evaluated on its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub series: SeriesIx,
    pub from: usize,
    pub to: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    /// What the outcome measures.
    pub metric: Metric,
    /// What the outcome is compared with.
    pub goal: Goal,
    pub horizon: i32,
    pub binding: bool,
    pub agency: Option<String>,
    pub unit: String,
    pub quote: String,
    pub reason: Option<String>,
    pub region: Option<String>,
    /// None for unmodeled targets.
    pub eval: Option<Evaluation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub series: SeriesIx,
    pub year: i32,
    pub value: f64,
    pub record: Record,
}

/// What a history value is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Record {
    /// The series' level in the year.
    Level,
    /// Its change from `from` to the year, in `metric` (change_pct, change_pp, cagr,
    /// multiple).
    Change { metric: Metric, from: i32 },
}

/// A value of a series observed in a year of the plan period. Every draw takes it in
/// that year and continues from it (see `sim::kernel`).
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub id: String,
    /// The series observed: a level, or an intensity `num / den` (scale 1).
    pub series: SeriesIx,
    pub year: i32,
    pub value: f64,
    pub source: String,
}

/// Everything the kernel needs, in flat arrays. Cell index `c = r·S + s`.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub document: String,
    pub base_year: i32,
    pub horizon: i32,
    pub default_draws: Option<u64>,
    pub default_seed: Option<u64>,
    pub va_unit: String,
    pub energy_unit: String,
    pub regions: Vec<Named>,
    pub sectors: Vec<Named>,
    pub params: IxVec<ParamIx, Param>,
    /// The parameters that are not fixed: the sampler's dimensions.
    pub uncertain: IxVec<DimIx, ParamIx>,
    /// Correlated parameters and their copula.
    pub copula: Option<Correlation>,
    pub va0: Vec<f64>,
    pub growth: Vec<Value>,
    pub volatility: Vec<Value>,
    pub region_offset: Vec<Value>,
    pub intensity0: Vec<f64>,
    pub intensity_change: Vec<Value>,
    pub shocks: Shocks,
    pub capacity: Vec<CapacityProcess>,
    /// Per sector: the capacity process driving its energy intensity.
    pub energy_driver: Vec<Option<usize>>,
    pub derived: Vec<Derived>,
    pub indicators: Vec<Indicator>,
    pub series: IxVec<SeriesIx, SeriesDef>,
    pub targets: IxVec<TargetIx, Target>,
    /// Series drawn as fan charts.
    pub fans: Vec<SeriesIx>,
    pub history: Vec<History>,
    /// Observations in force, by year (see [`Model::as_of`]).
    pub observed: Vec<Observation>,
    /// Whether the parameters were drawn from their `inside_view` alternatives.
    pub inside_view: bool,
}

impl Model {
    /// The model as of `year`: only the observations up to that year are kept (none at
    /// the base year), so a run answers "P(hit) given what was known in `year`".
    pub fn as_of(&self, year: i32) -> Model {
        let mut m = self.clone();
        m.observed.retain(|o| o.year <= year);
        m
    }

    /// Years in which something is observed, ascending, each once.
    pub fn observed_years(&self) -> Vec<i32> {
        let mut y: Vec<i32> = self.observed.iter().map(|o| o.year).collect();
        y.sort_unstable();
        y.dedup();
        y
    }

    /// Number of year points, base year included.
    pub fn years(&self) -> usize {
        (self.horizon - self.base_year) as usize + 1
    }

    pub fn cells(&self) -> usize {
        self.regions.len() * self.sectors.len()
    }

    /// The targets the model represents, with their indices.
    pub fn modeled_targets(&self) -> impl Iterator<Item = (TargetIx, &Target)> {
        self.targets
            .iter_enumerated()
            .filter(|(_, t)| t.eval.is_some())
    }
}
