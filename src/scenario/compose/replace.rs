//! Taking the included province's region out of the including scenario: its rows of
//! sectors and derived series dropped, national derived series the province does not
//! supply kept there in the province's units.

use super::check::Problems;
use crate::scenario::spec::{Basis, IncludeSpec, NationalSpec, PerRegion, Scalar, ScenarioSpec};
use std::collections::BTreeMap;

/// The scale for value added (`energy` false) or energy.
fn scale(inc: &IncludeSpec, energy: bool) -> f64 {
    let s = inc.scale.as_ref();
    let v = if energy {
        s.and_then(|s| s.energy)
    } else {
        s.and_then(|s| s.va)
    };
    v.unwrap_or(1.0)
}

/// Takes `region` out of the parent's sectors and derived series. A national derived
/// series the province does not supply keeps its own factor there (scaled into the
/// province's units, over the sectors counted nationally); the ids of those are
/// returned.
pub(super) fn drop_region(
    spec: &mut ScenarioSpec,
    inc: &IncludeSpec,
    region: &str,
    p: &mut Problems,
) -> Vec<String> {
    let all: Vec<String> = spec.regions.iter().map(|r| r.id.clone()).collect();
    let without = |list: &Option<Vec<String>>| -> (bool, Vec<String>) {
        let list = list.clone().unwrap_or_else(|| all.clone());
        let had = list.iter().any(|r| r == region);
        (had, list.into_iter().filter(|r| r != region).collect())
    };
    let drop = |v: &mut PerRegion| {
        if let PerRegion::ByRegion(m) = v {
            m.remove(region);
        }
    };
    for s in &mut spec.sectors {
        let (had, rest) = without(&s.regions);
        if !had {
            continue;
        }
        if rest.is_empty() {
            p.push(
                "",
                format!(
                    "sector `{}` exists only in region `{region}`, which the include replaces",
                    s.id
                ),
                "give the sector another region, or leave it to the included file",
            );
        }
        s.regions = Some(rest);
        drop(&mut s.va);
        for v in [
            &mut s.energy_intensity,
            &mut s.volatility,
            &mut s.intensity_change,
        ]
        .into_iter()
        .flatten()
        {
            drop(v);
        }
        drop(&mut s.growth);
    }
    if let Some(k) = spec
        .capacity
        .iter()
        .position(|c| c.region.as_deref() == Some(region))
    {
        p.push(
            "",
            format!(
                "capacity process `{}` is regional in `{region}`, which the include replaces",
                spec.capacity[k].id
            ),
            "leave regional processes to the included file",
        );
    }
    let counted = counted_ids(spec);
    let mut kept = Vec::new();
    for d in &mut spec.derived {
        let (had, rest) = without(&d.regions);
        if !had {
            continue;
        }
        if inc.derived.contains_key(&d.id) {
            d.regions = Some(rest);
            for v in [&mut d.change, &mut d.volatility].into_iter().flatten() {
                drop(v);
            }
            drop(&mut d.factor);
            continue;
        }
        let energy = d.basis == Basis::Energy;
        let every = d.sectors.as_ref().is_none_or(|l| *l == counted);
        match (factor_at(&d.factor, region), every) {
            (Scalar::Num(f), true) => {
                let present = d.regions.clone().unwrap_or_else(|| all.clone());
                let mut m: BTreeMap<String, Scalar> =
                    present.iter().map(|r| (r.clone(), factor_at(&d.factor, r))).collect();
                m.insert(region.to_string(), Scalar::Num(f * scale(inc, energy)));
                d.factor = PerRegion::ByRegion(m);
                kept.push(d.id.clone());
            }
            _ => p.push("derived", format!("the province supplies no `{}`, which this scenario defines in region `{region}` by a parameter or over listed sectors", d.id), "add the province's series into it: derived = { <its id> = <scale> }"),
        }
    }
    kept
}

/// A per-region value's value in `region` (0 where a table leaves it out).
fn factor_at(v: &PerRegion, region: &str) -> Scalar {
    match v {
        PerRegion::All(s) => s.clone(),
        PerRegion::ByRegion(m) => m.get(region).cloned().unwrap_or(Scalar::Num(0.0)),
    }
}

/// The sectors counted in national totals.
pub(super) fn counted_ids(spec: &ScenarioSpec) -> Vec<String> {
    spec.sectors
        .iter()
        .filter(|s| s.national != Some(NationalSpec::Counted(false)))
        .map(|s| s.id.clone())
        .collect()
}
