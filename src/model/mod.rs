//! The compiled model: a scenario turned into flat arrays (regions × sectors × years),
//! distributions, a copula factor and target definitions, ready for the draw kernel.
//! Compilation is also where every semantic error in a scenario is found.

pub mod compile;
pub mod copula;
pub mod dist;
pub mod economy;
pub mod goal;
pub mod response;
pub mod series;
mod value;

pub use compile::compile;
pub use economy::{Cell, Economy, National, Region, Scale, Shocks};
pub use goal::{Comparator, Direction, Goal, Metric, Reading, Undefined};
pub use value::Value;

use crate::ix::{CopulaIx, DimIx, IxVec, ParamIx, SeriesIx, TargetIx};
use copula::Copula;
use dist::Distribution;

/// Rank-correlated parameters: which sampler dimensions the copula's dimensions are,
/// and the copula.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// The sampler dimension of each copula dimension.
    pub dims: IxVec<CopulaIx, DimIx>,
    /// The copula over those dimensions.
    pub copula: Copula,
}

/// Something with an id and names in both languages (a region, a sector).
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    /// Identifier.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
}

/// A named parameter and its distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Identifier (the `[params.<name>]` name).
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
    /// Unit code.
    pub unit: String,
    /// Its distribution (fixed parameters have a `Fixed` one).
    pub dist: Distribution,
    /// The distribution as the scenario writes it, e.g. `normal(p5 = 0.07, p95 = 0.1)`:
    /// what a reader of a report can check against the file.
    pub law: String,
    /// Where the numbers come from (a verbatim quote or `assumption: …`).
    pub source: String,
}

/// A backward-capacity elimination process.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityProcess {
    /// Identifier.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
    /// Unit of output and capacity.
    pub unit: String,
    /// Unit of the unit energy.
    pub unit_energy_unit: String,
    /// The sector whose output it follows.
    pub sector: usize,
    /// The region whose sector it follows (all regions when None).
    pub region: Option<usize>,
    /// Base-year output.
    pub output: f64,
    /// Base-year capacity.
    pub capacity: f64,
    /// Base-year backward capacity.
    pub backward: f64,
    /// Cumulative elimination the plan asks for.
    pub plan: f64,
    /// Fraction of the plan achieved.
    pub achievement: Value,
    /// Share of the plan eliminated in each simulated year (len = years − 1).
    pub profile: Vec<f64>,
    /// Base-year unit energy of advanced capacity.
    pub unit_energy_advanced: f64,
    /// Unit energy of backward capacity.
    pub unit_energy_backward: f64,
    /// Annual change of advanced capacity's unit energy.
    pub progress: Value,
    /// Whether its sector's (or cell's) energy intensity follows it.
    pub drives_energy: bool,
}

/// Fields of a capacity process's per-year state, in workspace order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapacityField {
    /// Capacity eliminated in the year.
    Eliminated = 0,
    /// Backward capacity left.
    Backward = 1,
    /// Output.
    Output = 2,
    /// Energy per unit of output.
    UnitEnergy = 3,
    /// Share of backward capacity, in percent.
    BackwardShare = 4,
}

/// Number of [`CapacityField`]s.
pub const CAPACITY_FIELDS: usize = 5;

/// A series derived as an intensity of energy or value added (emissions, water).
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// Identifier.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
    /// Unit code.
    pub unit: String,
    /// Whether the basis is energy (else value added).
    pub basis_energy: bool,
    /// Sectors whose basis counts (None: all of a region's sectors).
    pub sectors: Option<Vec<usize>>,
    /// The regions it is defined in, ascending, each with its factor and trend.
    pub regions: Vec<DerivedRegion>,
    /// Adds `scale ×` its total into the national total of another derived series.
    pub national: Option<(usize, f64)>,
}

/// A derived series in one region.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedRegion {
    /// The region.
    pub region: usize,
    /// Base-year factor (amount per unit of basis).
    pub factor: Value,
    /// Annual change of the factor.
    pub change: Value,
    /// Standard deviation of annual shocks to the factor.
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

/// An indicator path: bounded (shares, rates) or a positive level.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Identifier.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
    /// Unit code.
    pub unit: String,
    /// How it moves.
    pub kind: IndicatorKind,
    /// Value in the base year (a parameter when it is uncertain).
    pub start: Value,
    /// Lower bound (bounded).
    pub lower: f64,
    /// Upper bound (bounded).
    pub upper: f64,
    /// Bounded: drift in indicator units per year; level: expected growth.
    pub trend: Value,
    /// Size of annual shocks.
    pub volatility: Value,
}

/// Where a series' per-year values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Value added (`energy = false`) or energy, optionally of one region and/or sector.
    Account {
        /// Energy use (else value added).
        energy: bool,
        /// The region, or all of them.
        region: Option<usize>,
        /// The sector, or all of them.
        sector: Option<usize>,
    },
    /// A derived series.
    Derived {
        /// Which derived series.
        index: usize,
        /// The region, or all of them.
        region: Option<usize>,
    },
    /// An indicator.
    Indicator(usize),
    /// A field of a capacity process.
    Capacity {
        /// Which capacity process.
        index: usize,
        /// Which field.
        field: CapacityField,
    },
}

/// A series a target or fan reads: `num`, or `num / den`, times `scale`.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesDef {
    /// Unique key (`energy:steel@GD`, `va/energy%`): how targets and charts name it.
    pub key: String,
    /// The numerator.
    pub num: Source,
    /// The denominator, if the series is a ratio.
    pub den: Option<Source>,
    /// Factor applied (100 for shares in percent).
    pub scale: f64,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
    /// Unit code.
    pub unit: String,
    /// The region the series belongs to, if one.
    pub region: Option<usize>,
}

/// How a modeled target is evaluated on its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The series the outcome is computed from.
    pub series: SeriesIx,
    /// Baseline year, as an offset from the base year.
    pub from: usize,
    /// Horizon year, as an offset from the base year.
    pub to: usize,
}

/// A target of the plan: what it measures and asks, and how it is evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Identifier.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
    /// What the outcome measures.
    pub metric: Metric,
    /// What the outcome is compared with.
    pub goal: Goal,
    /// The year it is for.
    pub horizon: i32,
    /// Binding (约束性) rather than expected (预期性).
    pub binding: bool,
    /// The lead agency (牵头单位), if the plan names one.
    pub agency: Option<String>,
    /// Unit code.
    pub unit: String,
    /// The document's verbatim words for the target.
    pub quote: String,
    /// Why an unmodeled target is not modeled.
    pub reason: Option<String>,
    /// The region it belongs to (the region named in its series), if any.
    pub region: Option<String>,
    /// None for unmodeled targets.
    pub eval: Option<Evaluation>,
}

/// A value the document states for a series.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// The series.
    pub series: SeriesIx,
    /// The year.
    pub year: i32,
    /// The value.
    pub value: f64,
    /// What the value is: a level or a change.
    pub record: Record,
}

/// What a history value is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Record {
    /// The series' level in the year.
    Level,
    /// Its change from `from` to the year, in `metric` (change_pct, change_pp, cagr,
    /// multiple).
    Change {
        /// The metric the change is in.
        metric: Metric,
        /// The year it is measured from.
        from: i32,
    },
}

/// A value of a series observed in a year of the plan period. Every draw takes it in
/// that year and continues from it (see `sim::kernel`).
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Identifier.
    pub id: String,
    /// The series observed: a level, or an intensity `num / den` (scale 1).
    pub series: SeriesIx,
    /// The year (in the plan period).
    pub year: i32,
    /// The value.
    pub value: f64,
    /// Where it comes from (a verbatim quote or an assumption).
    pub source: String,
}

/// Everything the kernel needs, in flat arrays (cells region by region, see
/// [`Economy`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Identifier of the scenario.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    pub name_zh: String,
    /// The plan document.
    pub document: String,
    /// The last year before the plan.
    pub base_year: i32,
    /// The last simulated year.
    pub horizon: i32,
    /// Draws the scenario asks for, if it does.
    pub default_draws: Option<u64>,
    /// Seed the scenario asks for, if it does.
    pub default_seed: Option<u64>,
    /// Unit of value added.
    pub va_unit: String,
    /// Unit of energy use.
    pub energy_unit: String,
    /// The regions.
    pub regions: Vec<Named>,
    /// The sectors.
    pub sectors: Vec<Named>,
    /// Every parameter, fixed or uncertain.
    pub params: IxVec<ParamIx, Param>,
    /// The parameters that are not fixed: the sampler's dimensions.
    pub uncertain: IxVec<DimIx, ParamIx>,
    /// Correlated parameters and their copula.
    pub copula: Option<Correlation>,
    /// Regions and their cells: value added, growth, energy intensity, shocks, units.
    pub economy: Economy,
    /// The capacity elimination processes.
    pub capacity: Vec<CapacityProcess>,
    /// The derived series.
    pub derived: Vec<Derived>,
    /// The indicators.
    pub indicators: Vec<Indicator>,
    /// Every series a target, a fan, a history point or an observation reads.
    pub series: IxVec<SeriesIx, SeriesDef>,
    /// Every target, modeled or not, in the document's order.
    pub targets: IxVec<TargetIx, Target>,
    /// Series drawn as fan charts.
    pub fans: Vec<SeriesIx>,
    /// The history records.
    pub history: Vec<History>,
    /// Observations in force, by year (see [`Model::as_of`]).
    pub observed: Vec<Observation>,
    /// Whether the parameters were drawn from their `inside_view` alternatives.
    pub inside_view: bool,
    /// Policy responses to lagging targets, evaluated inside each draw.
    pub responses: Vec<response::Response>,
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

    /// Number of cells (sectors present in regions).
    pub fn cells(&self) -> usize {
        self.economy.cells.len()
    }

    /// The targets the model represents, with their indices.
    pub fn modeled_targets(&self) -> impl Iterator<Item = (TargetIx, &Target)> {
        self.targets
            .iter_enumerated()
            .filter(|(_, t)| t.eval.is_some())
    }
}
