//! `[[response]]`: policy responses that step in when a watched target lags.

use super::Scalar;
use serde::Deserialize;
use std::collections::BTreeMap;

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
