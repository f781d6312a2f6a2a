//! Renaming an included scenario's ids under its prefix: parameter references in every
//! number-or-parameter field, sector / derived / indicator / capacity ids, and series
//! names (`va` → `va@HA`, `va:steel` → `va:ha_steel@HA`, `cod` → `ha_cod`,
//! `pig_iron.backward` → `ha_pig_iron.backward`).

use crate::scenario::spec::{PerRegion, Scalar, ScenarioSpec};
use std::collections::HashSet;

/// The ids an included scenario defines, and the prefix and region they go under.
pub(super) struct Rename {
    prefix: String,
    region: String,
    derived: HashSet<String>,
    indicators: HashSet<String>,
}

impl Rename {
    pub(super) fn new(prefix: &str, region: &str, child: &ScenarioSpec) -> Rename {
        Rename {
            prefix: prefix.to_string(),
            region: region.to_string(),
            derived: child.derived.iter().map(|d| d.id.clone()).collect(),
            indicators: child.indicators.iter().map(|d| d.id.clone()).collect(),
        }
    }

    /// `id` under the prefix.
    pub(super) fn id(&self, id: &str) -> String {
        format!("{}_{id}", self.prefix)
    }

    pub(super) fn scalar(&self, s: &mut Scalar) {
        if let Scalar::Param(name) = s {
            *name = self.id(name);
        }
    }

    pub(super) fn opt_scalar(&self, s: &mut Option<Scalar>) {
        if let Some(s) = s {
            self.scalar(s);
        }
    }

    pub(super) fn per_region(&self, v: &mut PerRegion) {
        match v {
            PerRegion::All(s) => self.scalar(s),
            PerRegion::ByRegion(map) => map.values_mut().for_each(|s| self.scalar(s)),
        }
    }

    pub(super) fn opt_per_region(&self, v: &mut Option<PerRegion>) {
        if let Some(v) = v {
            self.per_region(v);
        }
    }

    /// A series name of the included scenario as this scenario spells it. A name that
    /// does not parse is left for the compiler to report (the included file validated
    /// alone, so that does not happen).
    pub(super) fn series(&self, name: &str) -> String {
        let (rest, region) = name
            .split_once('@')
            .map_or((name, None), |(a, r)| (a, Some(r)));
        let (base, sector) = rest
            .split_once(':')
            .map_or((rest, None), |(b, s)| (b, Some(s)));
        let at = |r: Option<&str>| r.map(|r| format!("@{r}")).unwrap_or_default();
        match base {
            "va" | "energy" => {
                let sector = sector
                    .map(|s| format!(":{}", self.id(s)))
                    .unwrap_or_default();
                format!("{base}{sector}@{}", self.region)
            }
            _ if self.derived.contains(base) => format!("{}{}", self.id(base), at(region)),
            _ if self.indicators.contains(base) => self.id(base),
            _ => match base.split_once('.') {
                Some((cap, field)) => format!("{}.{field}", self.id(cap)),
                None => name.to_string(),
            },
        }
    }

    /// A record's id, series and `per` series.
    pub(super) fn record(&self, id: &mut String, series: &mut String, per: &mut Option<String>) {
        *id = self.id(id);
        *series = self.series(series);
        *per = per.as_deref().map(|s| self.series(s));
    }

    /// A display name under the include's name (`Henan: Steel`), unchanged without one.
    pub(super) fn label(prefix: &str, sep: &str, name: &mut String) {
        if !prefix.is_empty() && !name.is_empty() {
            *name = format!("{prefix}{sep}{name}");
        }
    }
}
