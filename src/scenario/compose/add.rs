//! Adding the included province: its region (shocks, units, scale), its parameters and
//! correlation block, its sectors, capacity processes, derived series and indicators,
//! and its history, observations and targets, all renamed under its prefix.

use super::rename::Rename;
use super::replace::counted_ids;
use crate::scenario::spec::{
    CorrelationSpec, DerivedNationalSpec, IncludeSpec, NationalSpec, RegionShockSpec, ScenarioSpec,
};

/// The province's region, in place of the parent's region of that id (or added): its
/// own growth offset, its `[shocks]`, its units and the include's scale.
pub(super) fn region(
    spec: &mut ScenarioSpec,
    inc: &IncludeSpec,
    child: &ScenarioSpec,
    rn: &Rename,
) {
    let mut r = child.regions[0].clone();
    rn.opt_scalar(&mut r.growth_offset);
    let sh = &child.shocks;
    r.shocks = Some(RegionShockSpec {
        ar1: Some(sh.ar1),
        national: Some(sh.national),
        region: Some(sh.region),
        sector: Some(sh.sector),
    });
    r.scale = inc.scale.clone();
    r.va_unit = Some(child.scenario.va_unit.clone());
    r.energy_unit = Some(child.scenario.energy_unit.clone());
    match spec.regions.iter_mut().find(|x| x.id == r.id) {
        Some(slot) => *slot = r,
        None => spec.regions.push(r),
    }
}

/// The province's parameters under its prefix, and its correlation block beside the
/// parent's (block-diagonal: provinces share no parameter uncertainty).
pub(super) fn params(
    spec: &mut ScenarioSpec,
    inc: &IncludeSpec,
    child: &ScenarioSpec,
    rn: &Rename,
) {
    for (name, p) in &child.params {
        let mut p = p.clone();
        Rename::label(&inc.name, ": ", &mut p.name);
        Rename::label(&inc.name_zh, "：", &mut p.name_zh);
        spec.params.insert(rn.id(name), p);
    }
    let Some(c) = &child.correlation else { return };
    let own = CorrelationSpec {
        params: c.params.iter().map(|x| rn.id(x)).collect(),
        matrix: c.matrix.clone(),
        source: c.source.clone(),
    };
    spec.correlation = Some(match spec.correlation.take() {
        None => own,
        Some(a) => block_diagonal(a, own),
    });
}

fn block_diagonal(a: CorrelationSpec, b: CorrelationSpec) -> CorrelationSpec {
    let (n, m) = (a.params.len(), b.params.len());
    let row = |r: &[f64], left: bool| -> Vec<f64> {
        let pad = vec![0.0; if left { m } else { n }];
        if left {
            r.iter().copied().chain(pad).collect()
        } else {
            pad.into_iter().chain(r.iter().copied()).collect()
        }
    };
    let matrix = a
        .matrix
        .iter()
        .map(|r| row(r, true))
        .chain(b.matrix.iter().map(|r| row(r, false)))
        .collect();
    CorrelationSpec {
        params: a.params.into_iter().chain(b.params).collect(),
        matrix,
        source: format!("{} | {}", a.source, b.source),
    }
}

/// The province's sectors, capacity processes, derived series and indicators, renamed,
/// in its region only; national derived series it does not supply count over the
/// sectors it counts nationally.
pub(super) fn economy(
    spec: &mut ScenarioSpec,
    inc: &IncludeSpec,
    child: &ScenarioSpec,
    rn: &Rename,
    kept: &[String],
) {
    let region = child.regions[0].id.clone();
    let mut counted = Vec::new();
    for s in &child.sectors {
        let national = inc.sectors.get(&s.id).cloned();
        let mut s = s.clone();
        s.id = rn.id(&s.id);
        Rename::label(&inc.name, ": ", &mut s.name);
        Rename::label(&inc.name_zh, "：", &mut s.name_zh);
        s.regions = Some(vec![region.clone()]);
        if national != Some(NationalSpec::Counted(false)) {
            counted.push(s.id.clone());
        }
        s.national = national;
        rn.per_region(&mut s.growth);
        rn.opt_per_region(&mut s.volatility);
        rn.opt_per_region(&mut s.intensity_change);
        spec.sectors.push(s);
    }
    // A national series the province does not supply reads its nationally counted
    // sectors (not Shandong's services), as it reads every sector elsewhere.
    let every = counted_ids(spec);
    let some_uncounted = counted.len() < child.sectors.len();
    for d in spec.derived.iter_mut().filter(|d| kept.contains(&d.id)) {
        match &mut d.sectors {
            Some(list) => list.extend(counted.iter().cloned()),
            None if some_uncounted => d.sectors = Some(every.clone()),
            None => {}
        }
    }
    for c in &child.capacity {
        let mut c = c.clone();
        c.id = rn.id(&c.id);
        c.sector = rn.id(&c.sector);
        c.region = Some(region.clone());
        Rename::label(&inc.name, ": ", &mut c.name);
        Rename::label(&inc.name_zh, "：", &mut c.name_zh);
        rn.opt_scalar(&mut c.achievement);
        rn.opt_scalar(&mut c.progress);
        spec.capacity.push(c);
    }
    for d in &child.derived {
        let mut d = d.clone();
        d.national = inc.derived.get(&d.id).map(|&scale| DerivedNationalSpec {
            series: d.id.clone(),
            scale,
        });
        d.id = rn.id(&d.id);
        d.regions = Some(vec![region.clone()]);
        d.sectors = d.sectors.map(|l| l.iter().map(|s| rn.id(s)).collect());
        Rename::label(&inc.name, ": ", &mut d.name);
        Rename::label(&inc.name_zh, "：", &mut d.name_zh);
        rn.per_region(&mut d.factor);
        rn.opt_per_region(&mut d.change);
        rn.opt_per_region(&mut d.volatility);
        spec.derived.push(d);
    }
    for x in &child.indicators {
        let mut x = x.clone();
        x.id = rn.id(&x.id);
        Rename::label(&inc.name, ": ", &mut x.name);
        Rename::label(&inc.name_zh, "：", &mut x.name_zh);
        rn.scalar(&mut x.start);
        rn.opt_scalar(&mut x.drift);
        rn.opt_scalar(&mut x.growth);
        rn.opt_scalar(&mut x.volatility);
        spec.indicators.push(x);
    }
}

/// The province's history, observations and targets, on its renamed series.
pub(super) fn records(
    spec: &mut ScenarioSpec,
    inc: &IncludeSpec,
    child: &ScenarioSpec,
    rn: &Rename,
) {
    for h in &child.history {
        let mut h = h.clone();
        rn.record(&mut h.id, &mut h.series, &mut h.per);
        spec.history.push(h);
    }
    for o in &child.observed {
        let mut o = o.clone();
        rn.record(&mut o.id, &mut o.series, &mut o.per);
        spec.observed.push(o);
    }
    for t in &child.targets {
        let mut t = t.clone();
        t.id = rn.id(&t.id);
        t.series = t.series.map(|s| rn.series(&s));
        t.per = t.per.map(|s| rn.series(&s));
        Rename::label(&inc.name, ": ", &mut t.name);
        Rename::label(&inc.name_zh, "：", &mut t.name_zh);
        spec.targets.push(t);
    }
}

/// The province's policy responses, watching its renamed targets and moving its
/// renamed parameters.
pub(super) fn responses(
    spec: &mut ScenarioSpec,
    inc: &IncludeSpec,
    child: &ScenarioSpec,
    rn: &Rename,
) {
    for r in &child.response {
        let mut r = r.clone();
        r.id = rn.id(&r.id);
        r.watch = rn.id(&r.watch);
        Rename::label(&inc.name, ": ", &mut r.name);
        Rename::label(&inc.name_zh, "：", &mut r.name_zh);
        rn.opt_scalar(&mut r.tolerance);
        rn.scalar(&mut r.strength);
        rn.opt_scalar(&mut r.cap);
        rn.opt_scalar(&mut r.curb_share);
        let renamed = |m: &std::collections::BTreeMap<String, f64>| {
            m.iter().map(|(k, v)| (rn.id(k), *v)).collect()
        };
        r.shift = renamed(&r.shift);
        r.curb = renamed(&r.curb);
        spec.response.push(r);
    }
}
