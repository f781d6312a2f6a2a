//! `[[include]]`: a scenario of one region composed into this one as that region
//! (see `scenario::compose`), its ids under a prefix and its sectors mapped to national ones.

use super::{NationalSpec, ScaleSpec};
use serde::Deserialize;
use std::collections::BTreeMap;

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
