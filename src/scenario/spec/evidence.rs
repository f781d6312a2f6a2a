//! What the documents record of a series: `[[history]]` (before or early in the plan)
//! and `[[observed]]` (values in years of the plan period).

use super::Metric;
use serde::Deserialize;

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
