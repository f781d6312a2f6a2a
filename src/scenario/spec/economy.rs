//! The economy the scenario simulates: `[[regions]]`, `[[sectors]]` and how each
//! counts in the national totals, and `[shocks]`, the structure of their growth shocks.

use super::{PerRegion, Scalar};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

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
