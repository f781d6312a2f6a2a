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
    /// The `[scenario]` table: identity, years and defaults.
    pub scenario: Meta,
    /// `[params.<name>]`: the uncertain (or fixed) parameters, by name.
    #[serde(default)]
    pub params: BTreeMap<String, ParamSpec>,
    /// `[correlation]`: rank correlations between parameters.
    #[serde(default)]
    pub correlation: Option<CorrelationSpec>,
    /// `[[regions]]`.
    pub regions: Vec<RegionSpec>,
    /// `[[sectors]]`: base-year value added and growth per sector.
    pub sectors: Vec<SectorSpec>,
    /// `[shocks]`: persistence and factor structure of the growth shocks.
    #[serde(default)]
    pub shocks: ShockSpec,
    /// `[[capacity]]`: backward-capacity elimination processes.
    #[serde(default)]
    pub capacity: Vec<CapacitySpec>,
    /// `[[derived]]`: series that are intensities of energy or value added (emissions, water).
    #[serde(default)]
    pub derived: Vec<DerivedSpec>,
    /// `[[indicators]]`: bounded and level indicators.
    #[serde(default)]
    pub indicators: Vec<IndicatorSpec>,
    /// `[[history]]`: values the document states for years before or during the plan.
    #[serde(default)]
    pub history: Vec<HistorySpec>,
    /// `[[observed]]`: values observed in years of the plan period.
    #[serde(default)]
    pub observed: Vec<ObservedSpec>,
    /// `[[targets]]`: every target of the plan, modeled or not.
    pub targets: Vec<TargetSpec>,
    /// Policy responses to lagging targets (`[[response]]`).
    #[serde(default)]
    pub response: Vec<ResponseSpec>,
    /// `[[include]]`: provincial scenarios composed into this one as regions.
    #[serde(default)]
    pub include: Vec<IncludeSpec>,
}

/// A scenario of one region composed into this one (see `scenario::compose`): its
/// region replaces (or joins) this scenario's region of that id, with everything it
/// defines under `prefix`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncludeSpec {
    /// The included scenario's file, relative to the file that names it.
    pub file: String,
    /// Prefix of its ids here (`ha` → `ha_steel`, `ha_energy_intensity`).
    pub prefix: String,
    /// Prefix of its display names (`Henan` → "Henan: Steel").
    #[serde(default)]
    pub name: String,
    /// Chinese prefix of its display names (`河南`).
    #[serde(default)]
    pub name_zh: String,
    /// National units per unit of its value added and energy.
    #[serde(default)]
    pub scale: Option<ScaleSpec>,
    /// How each of its sectors counts nationally: a sector of this scenario, a table of
    /// weights over them, or `false` (every sector of the included file listed).
    #[serde(default)]
    pub sectors: BTreeMap<String, NationalSpec>,
    /// Its derived series that add into this scenario's series of the same id, with the
    /// national units per unit of its own.
    #[serde(default)]
    pub derived: BTreeMap<String, f64>,
    /// Where the scales and mappings come from.
    #[serde(default)]
    pub source: String,
}

/// The `[scenario]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Identifier of the scenario (names the output directory).
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    #[serde(default)]
    pub name_zh: String,
    /// The plan document (issuer and number, e.g. 国发〔2011〕47号).
    #[serde(default)]
    pub document: String,
    /// The last year before the plan: the simulation starts from it.
    pub base_year: i32,
    /// The last simulated year.
    pub horizon: i32,
    /// Draws when the command line gives none.
    #[serde(default)]
    pub draws: Option<u64>,
    /// Seed when the command line gives none.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Unit of value added.
    #[serde(default)]
    pub va_unit: String,
    /// Unit of energy use.
    #[serde(default)]
    pub energy_unit: String,
    /// The source document's text file under `docs/sources/`, for checking quotes.
    #[serde(default)]
    pub source_text: Option<String>,
    /// Other documents its sources may quote, for checking quotes: a provincial plan
    /// that implements a national one quotes the national plan's record of the previous
    /// period, which its own document does not restate.
    #[serde(default)]
    pub references: Vec<String>,
    /// What the scenario is about.
    #[serde(default)]
    pub description: String,
}

/// Top-level keys holding a list of tables (`[[name]]`) of the scenario's own items:
/// every list but `[[include]]`, whose items name other files and whose included
/// scenarios lay their items into these lists (`scenario::compose`).
pub const ITEM_LISTS: [&str; 9] = [
    "regions",
    "sectors",
    "capacity",
    "derived",
    "indicators",
    "history",
    "observed",
    "targets",
    "response",
];

impl ScenarioSpec {
    /// How many items each list of [`ITEM_LISTS`] holds, in that order.
    pub fn item_counts(&self) -> [usize; ITEM_LISTS.len()] {
        [
            self.regions.len(),
            self.sectors.len(),
            self.capacity.len(),
            self.derived.len(),
            self.indicators.len(),
            self.history.len(),
            self.observed.len(),
            self.targets.len(),
            self.response.len(),
        ]
    }

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
    /// A number, not uncertain (`value`).
    Fixed,
    /// Normal (`mean`, `sd`, or `p5`, `p95`).
    Normal,
    /// Lognormal (`mu`, `sigma`, or `p5`, `p95`).
    Lognormal,
    /// Uniform on [`min`, `max`].
    Uniform,
    /// Triangular (`min`, `mode`, `max`).
    Triangular,
    /// Beta-PERT (`min`, `mode`, `max`, optional `lambda`).
    Pert,
    /// Normal truncated to [`min`, `max`] (`mean`, `sd`, `min`, `max`).
    Truncnormal,
    /// Beta scaled to [`min`, `max`] (`alpha`, `beta`).
    Beta,
    /// Student t (`df`, `loc`, `scale`).
    StudentT,
    /// Values with weights (`values`, `weights`).
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
    /// The distribution family.
    pub dist: Option<DistKind>,
    /// Value of a fixed parameter.
    pub value: Option<f64>,
    /// Mean (normal, truncated normal).
    pub mean: Option<f64>,
    /// Standard deviation (normal, truncated normal).
    pub sd: Option<f64>,
    /// 5th percentile (normal, lognormal given by percentiles).
    pub p5: Option<f64>,
    /// 95th percentile (normal, lognormal given by percentiles).
    pub p95: Option<f64>,
    /// Mean of the logarithm (lognormal).
    pub mu: Option<f64>,
    /// Standard deviation of the logarithm (lognormal).
    pub sigma: Option<f64>,
    /// Smallest value (uniform, triangular, PERT, truncated normal, beta).
    pub min: Option<f64>,
    /// Largest value (uniform, triangular, PERT, truncated normal, beta).
    pub max: Option<f64>,
    /// Most likely value (triangular, PERT).
    pub mode: Option<f64>,
    /// PERT shape (4 when not given).
    pub lambda: Option<f64>,
    /// First shape (beta).
    pub alpha: Option<f64>,
    /// Second shape (beta).
    pub beta: Option<f64>,
    /// Degrees of freedom (Student t).
    pub df: Option<f64>,
    /// Location (Student t).
    pub loc: Option<f64>,
    /// Scale (Student t).
    pub scale: Option<f64>,
    /// The possible values (discrete).
    pub values: Option<Vec<f64>>,
    /// Their weights (discrete).
    pub weights: Option<Vec<f64>>,
    /// The prior before the outside view: the distribution `--inside-view` uses instead.
    #[serde(default)]
    pub inside_view: Option<Box<ParamSpec>>,
    /// English name.
    #[serde(default)]
    pub name: String,
    /// Chinese name (中文名).
    #[serde(default)]
    pub name_zh: String,
    /// Unit code (`100m_yuan`, `percent`, …).
    #[serde(default)]
    pub unit: String,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
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

/// `[correlation]`: a rank-correlation matrix over some parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrelationSpec {
    /// The correlated parameters, in the order of the matrix rows.
    pub params: Vec<String>,
    /// The correlation matrix, one row per parameter.
    pub matrix: Vec<Vec<f64>>,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    #[serde(default)]
    pub source: String,
}

/// One region.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSpec {
    /// Identifier (`GD`, `HA`, …).
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    #[serde(default)]
    pub name_zh: String,
    /// Added to every sector's growth rate in this region (a number or a parameter).
    #[serde(default)]
    pub growth_offset: Option<Scalar>,
    /// This region's shock persistence and variance shares (default: `[shocks]`).
    #[serde(default)]
    pub shocks: Option<RegionShockSpec>,
    /// National units per unit of this region's value added and energy (default 1).
    #[serde(default)]
    pub scale: Option<ScaleSpec>,
    /// Unit of this region's value added (default: the scenario's `va_unit`).
    #[serde(default)]
    pub va_unit: Option<String>,
    /// Unit of this region's energy use (default: the scenario's `energy_unit`).
    #[serde(default)]
    pub energy_unit: Option<String>,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    #[serde(default)]
    pub source: String,
}

/// A region's own shock structure; a field it leaves out takes the `[shocks]` value.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionShockSpec {
    /// Year-to-year persistence (AR(1) coefficient) of this region's growth shocks.
    #[serde(default)]
    pub ar1: Option<f64>,
    /// Share of the shock variance from the national factor (shared by all regions).
    #[serde(default)]
    pub national: Option<f64>,
    /// Share of the shock variance common to this region.
    #[serde(default)]
    pub region: Option<f64>,
    /// Share of the shock variance common to a sector.
    #[serde(default)]
    pub sector: Option<f64>,
}

/// National units per unit of a region's value added and energy, for national totals.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleSpec {
    /// National value-added units per unit of this region's value added.
    #[serde(default)]
    pub va: Option<f64>,
    /// National energy units per unit of this region's energy.
    #[serde(default)]
    pub energy: Option<f64>,
}

/// One sector: its base-year value added by region and its growth.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorSpec {
    /// Identifier (`steel`, `autos`, …).
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    #[serde(default)]
    pub name_zh: String,
    /// Base-year value added, one number for all regions or a table by region.
    pub va: PerRegion,
    /// Expected annual growth rate (a fraction, or a parameter name; or a table of
    /// them by region).
    pub growth: PerRegion,
    /// Standard deviation of annual growth shocks (one, or a table by region).
    #[serde(default)]
    pub volatility: Option<PerRegion>,
    /// Base-year energy use per unit of value added, by region.
    #[serde(default)]
    pub energy_intensity: Option<PerRegion>,
    /// Annual change of energy intensity (one, or a table by region); with a capacity
    /// process driving the sector's energy, the residual trend on top of it.
    #[serde(default)]
    pub intensity_change: Option<PerRegion>,
    /// The regions the sector exists in (default: all).
    #[serde(default)]
    pub regions: Option<Vec<String>>,
    /// How the sector counts in national aggregates (default: as itself).
    #[serde(default)]
    pub national: Option<NationalSpec>,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    #[serde(default)]
    pub source: String,
}

/// `[shocks]`: how growth shocks persist and what they share.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShockSpec {
    /// Year-to-year persistence (AR(1) coefficient) of growth shocks.
    #[serde(default)]
    pub ar1: f64,
    /// Share of the shock variance common to the whole economy.
    #[serde(default)]
    pub national: f64,
    /// Share of the shock variance common to a region.
    #[serde(default)]
    pub region: f64,
    /// Share of the shock variance common to a sector across regions.
    #[serde(default)]
    pub sector: f64,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    #[serde(default)]
    pub source: String,
}

/// A backward-capacity elimination process of one sector.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacitySpec {
    /// Identifier (`steel`, `cement`, …).
    pub id: String,
    /// The sector whose output it follows.
    pub sector: String,
    /// English name.
    #[serde(default)]
    pub name: String,
    /// Chinese name (中文名).
    #[serde(default)]
    pub name_zh: String,
    /// Base-year output.
    pub output: f64,
    /// Base-year capacity.
    pub capacity: f64,
    /// Base-year backward capacity (part of `capacity`).
    pub backward: f64,
    /// Unit of output and capacity.
    #[serde(default)]
    pub unit: String,
    /// Cumulative elimination the plan asks for, in the capacity unit.
    #[serde(default)]
    pub plan: f64,
    /// Fraction of the plan achieved (a number or a parameter; 1 = the plan).
    #[serde(default)]
    pub achievement: Option<Scalar>,
    /// Share of the plan eliminated in each simulated year (even when not given).
    #[serde(default)]
    pub profile: Option<Vec<f64>>,
    /// Base-year energy per unit of output of advanced capacity.
    pub unit_energy_advanced: f64,
    /// Energy per unit of output of backward capacity.
    pub unit_energy_backward: f64,
    /// Unit of the unit energy.
    #[serde(default)]
    pub unit_energy_unit: String,
    /// Annual change of advanced capacity's unit energy (technical progress).
    #[serde(default)]
    pub progress: Option<Scalar>,
    /// Whether the sector's energy intensity follows this process.
    #[serde(default)]
    pub energy: bool,
    /// A regional process: output follows the sector's value added in this region, and
    /// `energy = true` drives that region's cell only (default: the national sector).
    #[serde(default)]
    pub region: Option<String>,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    #[serde(default)]
    pub source: String,
}

/// A derived series counted, times `scale`, in the national total of `series`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedNationalSpec {
    /// The derived series whose national total it adds into.
    pub series: String,
    /// National units per unit of this series.
    pub scale: f64,
}

/// What a derived series is an intensity of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// An intensity of energy use.
    Energy,
    /// An intensity of value added.
    Va,
}

/// A series derived as an intensity of energy or value added.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedSpec {
    /// Identifier (`co2`, `water`, …).
    pub id: String,
    /// English name.
    #[serde(default)]
    pub name: String,
    /// Chinese name (中文名).
    #[serde(default)]
    pub name_zh: String,
    /// What it is an intensity of.
    pub basis: Basis,
    /// The sectors whose basis counts (all when not given).
    #[serde(default)]
    pub sectors: Option<Vec<String>>,
    /// Base-year factor (amount per unit of basis), by region.
    pub factor: PerRegion,
    /// Annual change of the factor (one, or a table by region).
    #[serde(default)]
    pub change: Option<PerRegion>,
    /// Standard deviation of annual shocks to the factor (one, or a table by region).
    #[serde(default)]
    pub volatility: Option<PerRegion>,
    /// The regions the series is defined in (default: all).
    #[serde(default)]
    pub regions: Option<Vec<String>>,
    /// Adds this series, times a scale, into the national total of another derived
    /// series (a province's emissions into the nation's).
    #[serde(default)]
    pub national: Option<DerivedNationalSpec>,
    /// Unit code (`100m_yuan`, `percent`, …).
    #[serde(default)]
    pub unit: String,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    #[serde(default)]
    pub source: String,
}

/// How an indicator moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// Between bounds: a random walk of its logit.
    Bounded,
    /// A positive level: a lognormal walk.
    Level,
}

/// An indicator path.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSpec {
    /// Identifier (`rd_intensity`, `cnc_rate`, …).
    pub id: String,
    /// Bounded or level.
    pub kind: IndicatorKind,
    /// English name.
    #[serde(default)]
    pub name: String,
    /// Chinese name (中文名).
    #[serde(default)]
    pub name_zh: String,
    /// Value in the base year (a number, or a parameter when it is uncertain).
    pub start: Scalar,
    /// Lower bound (bounded; 0 when not given).
    #[serde(default)]
    pub lower: Option<f64>,
    /// Upper bound (bounded; 100 when not given).
    #[serde(default)]
    pub upper: Option<f64>,
    /// Expected annual change near the start, in the indicator's units (bounded).
    #[serde(default)]
    pub drift: Option<Scalar>,
    /// Expected annual growth, a fraction (level).
    #[serde(default)]
    pub growth: Option<Scalar>,
    /// Size of annual shocks.
    #[serde(default)]
    pub volatility: Option<Scalar>,
    /// Unit code (`100m_yuan`, `percent`, …).
    #[serde(default)]
    pub unit: String,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    #[serde(default)]
    pub source: String,
}

/// What a document records of a series before (or early in) the plan: its level in
/// `year`, or (with `metric` and `from`) its change from `from` to `year`, in the terms
/// the document uses ("累计下降26%" is `metric = "change_pct"`, `value = -26`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistorySpec {
    /// Identifier, unique among history records.
    pub id: String,
    /// The series (`va`, `energy:steel@GD`, `co2`, an indicator id, …).
    pub series: String,
    /// Denominator series: the record is of `series / per` (an intensity).
    #[serde(default)]
    pub per: Option<String>,
    /// The year the value is for.
    pub year: i32,
    /// The value the document states.
    pub value: f64,
    /// `level` (default), or a change: `change_pct`, `change_pp`, `cagr`, `multiple`.
    #[serde(default)]
    pub metric: Option<Metric>,
    /// First year of a change record.
    #[serde(default)]
    pub from: Option<i32>,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    #[serde(default)]
    pub source: String,
}

/// A value observed in a year of the plan period: every draw takes it in that year
/// and continues from it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservedSpec {
    /// Identifier, unique among observations.
    pub id: String,
    /// The series observed.
    pub series: String,
    /// Denominator series: the observation is of `series / per` (an intensity).
    #[serde(default)]
    pub per: Option<String>,
    /// A year of the plan period.
    pub year: i32,
    /// The value observed.
    pub value: f64,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    #[serde(default)]
    pub source: String,
}

/// How a target's outcome is computed from its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Compound annual growth in percent (`cagr`).
    Cagr,
    /// Change in percent (`change_pct`).
    ChangePct,
    /// Value at the horizon (`level`).
    Level,
    /// Value at the horizon, a share in percent (`share`).
    Share,
    /// Change in percentage points (`change_pp`).
    ChangePp,
    /// Sum over the years after the baseline (`cumulative`).
    Cumulative,
    /// Ratio to the baseline value (`multiple`).
    Multiple,
}

/// How the outcome is compared with the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// At least the value (`at_least`).
    AtLeast,
    /// At most the value (`at_most`).
    AtMost,
    /// 左右: within `band` of the value or beyond it in the `wanted` direction
    /// (`about`).
    About,
    /// Two-sided: within `band` of the value (`range`).
    Range,
}

/// The direction a 左右 target wants its outcome to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wanted {
    /// More is better (`up`).
    Up,
    /// Less is better (`down`).
    Down,
}

/// How a target scores a draw whose outcome is undefined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UndefinedScore {
    /// As a miss (`miss`).
    Miss,
    /// As a hit (`hit`).
    Hit,
}

/// Whether the model represents a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Represented: the run estimates its probability.
    #[default]
    Modeled,
    /// Listed with the reason the model cannot represent it.
    Unmodeled,
}

/// One target of the plan.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// Identifier, unique among targets.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name (中文名).
    #[serde(default)]
    pub name_zh: String,
    /// Modeled (default) or unmodeled.
    #[serde(default)]
    pub status: Status,
    /// Why an unmodeled target is not modeled.
    #[serde(default)]
    pub reason: Option<String>,
    /// The series it is measured on.
    #[serde(default)]
    pub series: Option<String>,
    /// A denominator series: the target is on `series / per`.
    #[serde(default)]
    pub per: Option<String>,
    /// How the outcome is computed.
    pub metric: Metric,
    /// How the outcome is compared with `value`.
    pub comparator: Comparator,
    /// The plan's number.
    pub value: f64,
    /// Half-width of the band of an `about` or `range` target.
    #[serde(default)]
    pub band: Option<f64>,
    /// For `about`: the direction beyond the band that still counts as met.
    #[serde(default)]
    pub wanted: Option<Wanted>,
    /// How a draw whose outcome is undefined (a change from a zero baseline, 0/0, an
    /// overflow) is scored: `miss` or `hit`; when not given such draws are not scored
    /// and a target with any gets no P(hit).
    #[serde(default)]
    pub undefined: Option<UndefinedScore>,
    /// The year it is for (the scenario's horizon when not given).
    #[serde(default)]
    pub horizon: Option<i32>,
    /// The year it is measured from (the base year when not given).
    #[serde(default)]
    pub from: Option<i32>,
    /// Binding (约束性) rather than expected (预期性).
    #[serde(default)]
    pub binding: bool,
    /// The lead agency (牵头单位) the plan names.
    #[serde(default)]
    pub agency: Option<String>,
    /// Unit code (`100m_yuan`, `percent`, …).
    #[serde(default)]
    pub unit: String,
    /// The document's verbatim words for the target.
    #[serde(default)]
    pub quote: String,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    #[serde(default)]
    pub source: String,
}

/// A policy response: when the watched target falls behind its straight-line path by
/// more than `tolerance` in a trigger year, named trends are shifted from the next
/// year on (`shift`: technical measures; `curb`: output curbs, whose side effect is
/// lower growth). See docs/scenario-format.md.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    /// Id, unique among the responses.
    pub id: String,
    #[serde(default)]
    /// English name.
    pub name: String,
    #[serde(default)]
    /// Chinese name.
    pub name_zh: String,
    /// Id of the modeled target whose progress is watched.
    pub watch: String,
    /// Years at whose end the trigger is evaluated (default: every year from the
    /// target's baseline + 1 to its horizon − 1).
    #[serde(default)]
    pub years: Option<Vec<i32>>,
    /// How far behind the path the target may fall before the response fires (percent
    /// for relative metrics, the target's units for additive ones; default 0).
    #[serde(default)]
    pub tolerance: Option<Scalar>,
    /// Share of the shortfall the response sets out to close.
    pub strength: Scalar,
    /// Fastest annual pace of the watched quantity enforcement can reach (percent per
    /// year for relative metrics, units per year for additive ones; default: none).
    #[serde(default)]
    pub cap: Option<Scalar>,
    /// Share of the effort that comes from output curbs (default 0).
    #[serde(default)]
    pub curb_share: Option<Scalar>,
    /// Technical measures: parameter → change per unit of effort.
    #[serde(default)]
    pub shift: BTreeMap<String, f64>,
    /// Output curbs: parameter (a growth trend) → change per unit of effort.
    #[serde(default)]
    pub curb: BTreeMap<String, f64>,
    #[serde(default)]
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    pub source: String,
}

/// A number, or the name of a parameter drawn per draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// A number.
    Num(f64),
    /// The name of a parameter, drawn per draw.
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
    /// One value for every region.
    All(Scalar),
    /// A value per region id.
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

/// How a sector counts in the national aggregates (`va`, `energy`, `va:<sector>`):
/// `false` not at all (services in a GDP model), `true` as itself, `"<sector>"` as
/// another sector, or a table of weights (summing to 1) splitting it over sectors.
#[derive(Debug, Clone, PartialEq)]
pub enum NationalSpec {
    /// Counted as itself (`true`) or not at all (`false`).
    Counted(bool),
    /// Counted as this sector.
    As(String),
    /// Split over these sectors with these weights.
    Split(BTreeMap<String, f64>),
}

impl<'de> Deserialize<'de> for NationalSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NationalVisitor)
    }
}

struct NationalVisitor;

impl<'de> Visitor<'de> for NationalVisitor {
    type Value = NationalSpec;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("true, false, a sector id, or a table of weights by sector id")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<NationalSpec, E> {
        Ok(NationalSpec::Counted(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<NationalSpec, E> {
        Ok(NationalSpec::As(v.to_string()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NationalSpec, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((k, v)) = map.next_entry::<String, f64>()? {
            out.insert(k, v);
        }
        Ok(NationalSpec::Split(out))
    }
}
