//! Series beyond the sectors' value added and energy: `[[capacity]]` elimination
//! processes, `[[derived]]` intensities (emissions, water) and `[[indicators]]`.

use super::{PerRegion, Scalar};
use serde::Deserialize;

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
