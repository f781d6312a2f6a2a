//! The scenario file format as serde types: exactly what a user may write, nothing
//! derived. Unknown keys are rejected by `deny_unknown_fields` so a misspelt key is an
//! error with a location, never silently ignored. Semantic checks live in `model::compile`.
//!
//! `ScenarioSpec` is the whole file and `Meta` its `[scenario]` table; the parts it is
//! made of live one job a file (`params`, `economy`, `series`, `evidence`, `targets`,
//! `responses`, `include`, and `values` for the forms a value may take), re-exported
//! here so every type is `spec::Name`.

mod economy;
mod evidence;
mod include;
mod params;
mod responses;
mod series;
mod targets;
mod values;

pub use economy::*;
pub use evidence::*;
pub use include::*;
pub use params::*;
pub use responses::*;
pub use series::*;
pub use targets::*;
pub use values::*;

use serde::Deserialize;
use std::collections::BTreeMap;

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
