//! Composition: a scenario of one region (a province) laid into a scenario of several
//! (the nation) as one of its regions, a transform from specs to one flat spec. The
//! compiler and the engine never know a scenario was composed.
//!
//! The province keeps everything its own file says — sectors, parameters, correlation
//! block, shock weights, capacity processes, derived series, indicators, history,
//! observations, targets and policy responses — under its prefix, in its own region, which replaces the
//! parent's region of that id. It is coupled to the rest only where reality couples
//! it: the national shock factor (shared by all regions) and national aggregates as
//! sums of regions in national units (`scale`, the sector mapping, derived series added
//! into the national ones). Its outcomes therefore have the same distribution alone
//! and composed.

mod add;
mod check;
mod rename;
mod replace;

use super::spec::ScenarioSpec;
use crate::diag::Diagnostic;
use check::{check_child, check_sector_map, Problems};
use rename::Rename;

/// Lays `child` (the scenario `spec.include[i]` names, loaded and validated alone) into
/// `spec`. Returns the problems of the composition, keyed in the including file.
pub fn compose(spec: &mut ScenarioSpec, i: usize, child: &ScenarioSpec) -> Vec<Diagnostic> {
    let inc = spec.include[i].clone();
    let mut p = Problems {
        at: format!("include[{i}]"),
        out: Vec::new(),
    };
    if !check_child(spec, &inc, child, &mut p) {
        return p.out;
    }
    let region = child.regions[0].id.clone();
    let rn = Rename::new(&inc.prefix, &region, child);
    check_sector_map(spec, &inc, child, &mut p);
    let kept = replace::drop_region(spec, &inc, &region, &mut p);
    add::region(spec, &inc, child, &rn);
    add::params(spec, &inc, child, &rn);
    add::economy(spec, &inc, child, &rn, &kept);
    add::records(spec, &inc, child, &rn);
    add::responses(spec, &inc, child, &rn);
    p.out
}
