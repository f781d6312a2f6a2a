//! Checking a `Summary` read back from disk before anything is drawn or compared from
//! it: `planrisk chart` and `compare` read files a user may have edited, truncated or
//! produced by hand, and a chart of p_hit = 5 or of a reversed interval would be a
//! confident picture of nonsense. Every number must be finite and in its range, every
//! interval ordered and containing its estimate, every array the length its neighbours
//! say, and the sizes within what a run can produce.

use super::summary::*;
use std::fmt;

/// Most targets a summary may hold.
pub const MAX_TARGETS: usize = 100_000;
/// Most years between a scenario's base year and its horizon.
pub const MAX_YEARS: i32 = 500;
/// Most bins of one histogram.
pub const MAX_BINS: usize = 100_000;
/// How many problems are reported before the rest are only counted.
const SHOWN: usize = 12;

/// What is wrong with a summary: each problem with its JSON path
/// (`targets[3].p_hit_ci95`).
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryProblems {
    /// (JSON path, what is wrong), the first dozen found.
    pub problems: Vec<(String, String)>,
    /// Problems found beyond those listed.
    pub more: usize,
}

impl fmt::Display for SummaryProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (path, message) in &self.problems {
            writeln!(f, "  {path}: {message}")?;
        }
        if self.more > 0 {
            writeln!(f, "  … and {} more", self.more)?;
        }
        Ok(())
    }
}

#[derive(Default)]
struct Checker {
    problems: Vec<(String, String)>,
    more: usize,
}

impl Checker {
    fn fail(&mut self, path: impl FnOnce() -> String, message: String) {
        if self.problems.len() < SHOWN {
            self.problems.push((path(), message));
        } else {
            self.more += 1;
        }
    }

    fn finite(&mut self, path: impl FnOnce() -> String, v: f64) -> bool {
        let ok = v.is_finite();
        if !ok {
            self.fail(path, format!("{v} is not a finite number"));
        }
        ok
    }

    fn probability(&mut self, path: impl FnOnce() -> String, p: f64) {
        if !(0.0..=1.0).contains(&p) {
            self.fail(path, format!("{p} is not a probability in [0, 1]"));
        }
    }

    fn correlation(&mut self, path: impl FnOnce() -> String, r: f64) {
        if !(-1.0..=1.0).contains(&r) {
            self.fail(path, format!("{r} is not a correlation in [-1, 1]"));
        }
    }

    /// An interval [lo, hi] inside [0, 1] containing p.
    fn interval(&mut self, path: impl Fn() -> String, p: f64, [lo, hi]: [f64; 2]) {
        self.probability(|| format!("{}[0]", path()), lo);
        self.probability(|| format!("{}[1]", path()), hi);
        if !(lo <= p && p <= hi) {
            self.fail(
                path,
                format!("[{lo}, {hi}] does not contain the estimate {p}"),
            );
        }
    }

    fn len(&mut self, path: impl FnOnce() -> String, got: usize, want: usize) {
        if got != want {
            self.fail(path, format!("has {got} entries, expected {want}"));
        }
    }
}

/// Checks every number and shape of `s`.
pub fn check(s: &Summary) -> Result<(), SummaryProblems> {
    let mut c = Checker::default();
    scenario(&mut c, s);
    if s.targets.len() > MAX_TARGETS {
        c.fail(
            || "targets".into(),
            format!(
                "{} targets, more than the {MAX_TARGETS} a run writes",
                s.targets.len()
            ),
        );
    } else {
        for (i, t) in s.targets.iter().enumerate() {
            target(&mut c, i, t, s.draws);
        }
    }
    joint(&mut c, s);
    for (i, f) in s.fans.iter().enumerate() {
        fan(&mut c, s, i, f);
    }
    for (i, r) in s.sensitivity.iter().enumerate() {
        c.correlation(|| format!("sensitivity[{i}].spearman"), r.spearman);
        if !(0.0..=1.0).contains(&r.first_order) {
            c.fail(
                || format!("sensitivity[{i}].first_order"),
                format!("{} is not a variance share in [0, 1]", r.first_order),
            );
        }
    }
    convergence(&mut c, s);
    responses(&mut c, s);
    barometer(&mut c, s);
    for (i, k) in s.conditional.iter().enumerate() {
        for (n, (_, p)) in k.p_hit.iter().enumerate() {
            if let Some(p) = p {
                c.probability(|| format!("conditional[{i}].p_hit[{n}]"), *p);
            }
        }
    }
    if c.problems.is_empty() {
        Ok(())
    } else {
        Err(SummaryProblems {
            problems: c.problems,
            more: c.more,
        })
    }
}

fn scenario(c: &mut Checker, s: &Summary) {
    let (base, horizon) = (s.scenario.base_year, s.scenario.horizon);
    if horizon < base || horizon.saturating_sub(base) > MAX_YEARS {
        c.fail(|| "scenario.horizon".into(), format!("{base}–{horizon} is not a plan period (at most {MAX_YEARS} years, horizon not before the base year)"));
    }
    if s.draws == 0 {
        c.fail(|| "draws".into(), "a run has at least one draw".into());
    }
}

fn target(c: &mut Checker, i: usize, t: &TargetResult, draws: u64) {
    let at = |field: &str| format!("targets[{i}].{field}");
    if t.is_modeled() && t.p_hit.is_none() {
        c.fail(
            || at("p_hit"),
            "missing: a modeled target has a P(hit)".into(),
        );
    }
    if t.status != Status::Modeled && t.p_hit.is_some() {
        c.fail(
            || at("p_hit"),
            format!("a target that is {} has no P(hit)", t.status),
        );
    }
    if t.undefined_draws.is_some_and(|u| u > draws) {
        c.fail(
            || at("undefined_draws"),
            format!("more undefined draws than the run's {draws}"),
        );
    }
    c.finite(|| at("target_value"), t.target_value);
    if let Some(p) = t.p_hit {
        c.probability(|| at("p_hit"), p);
        match t.p_hit_ci95 {
            Some(ci) => c.interval(|| at("p_hit_ci95"), p, ci),
            None => c.fail(|| at("p_hit_ci95"), "missing beside p_hit".into()),
        }
    }
    if let Some(se) = t.p_hit_se {
        if !(0.0..=0.5).contains(&se) {
            c.fail(
                || at("p_hit_se"),
                format!("{se} is not a standard error of a probability"),
            );
        }
    }
    for (name, v) in [
        ("mean", t.mean),
        ("sd", t.sd),
        ("baseline", t.baseline),
        ("expected_shortfall", t.expected_shortfall),
    ] {
        if let Some(v) = v {
            c.finite(|| at(name), v);
        }
    }
    if let Some(q) = t.quantiles {
        let qs = [q.p5, q.p25, q.p50, q.p75, q.p95];
        if qs.iter().all(|v| v.is_finite()) {
            if qs.windows(2).any(|w| w[0] > w[1]) {
                c.fail(
                    || at("quantiles"),
                    "p5 ≤ p25 ≤ p50 ≤ p75 ≤ p95 does not hold".into(),
                );
            }
        } else {
            c.fail(
                || at("quantiles"),
                "every quantile is a finite number".into(),
            );
        }
    }
    if let Some(e) = &t.enforcement {
        c.probability(|| at("enforcement.p_hit_without"), e.p_hit_without);
        c.interval(
            || at("enforcement.p_hit_without_ci95"),
            e.p_hit_without,
            e.p_hit_without_ci95,
        );
        if let Some(share) = e.share {
            c.finite(|| at("enforcement.share"), share);
        }
    }
    if let Some(h) = &t.histogram {
        let ok = [h.lo, h.hi, h.min, h.max].iter().all(|v| v.is_finite());
        if !ok || h.lo > h.hi || h.counts.is_empty() || h.counts.len() > MAX_BINS {
            c.fail(
                || at("histogram"),
                format!("needs finite lo ≤ hi and 1 to {MAX_BINS} bins"),
            );
        }
    }
}

fn joint(c: &mut Checker, s: &Summary) {
    let j = &s.joint;
    for (name, p) in [
        ("all_binding", j.all_binding),
        ("all_modeled", j.all_modeled),
    ] {
        if let Some(p) = p {
            c.probability(|| format!("joint.{name}.p"), p.p);
            c.interval(|| format!("joint.{name}.ci95"), p.p, p.ci95);
        }
    }
    if j.k_missed.len() > s.targets.len() + 1 {
        c.fail(
            || "joint.k_missed".into(),
            format!(
                "{} entries for {} targets",
                j.k_missed.len(),
                s.targets.len()
            ),
        );
    }
    for (k, p) in j.k_missed.iter().enumerate() {
        c.probability(|| format!("joint.k_missed[{k}]"), *p);
    }
    let known = |id: &str| s.targets.iter().any(|t| t.id == id);
    for (k, p) in j.miss_pairs.iter().enumerate() {
        c.probability(
            || format!("joint.miss_pairs[{k}].p_both_missed"),
            p.p_both_missed,
        );
        c.correlation(
            || format!("joint.miss_pairs[{k}].correlation"),
            p.correlation,
        );
        for id in [&p.a, &p.b] {
            if !known(id) {
                c.fail(
                    || format!("joint.miss_pairs[{k}]"),
                    format!("names `{id}`, which is not a target"),
                );
            }
        }
    }
}

fn fan(c: &mut Checker, s: &Summary, i: usize, f: &Fan) {
    let at = |field: &str| format!("fans[{i}].{field}");
    let n = f.years.len();
    if n as i64 > i64::from(MAX_YEARS) + 1 || f.years.windows(2).any(|w| w[0] >= w[1]) {
        c.fail(
            || at("years"),
            format!("{n} years, not increasing or more than {MAX_YEARS}"),
        );
        return;
    }
    for (name, v) in [
        ("p5", &f.p5),
        ("p25", &f.p25),
        ("p50", &f.p50),
        ("p75", &f.p75),
        ("p95", &f.p95),
    ] {
        c.len(|| at(name), v.len(), n);
        if let Some(k) = v.iter().position(|x| !x.is_finite()) {
            c.fail(
                || format!("{}[{k}]", at(name)),
                format!("{} is not a finite number", v[k]),
            );
        }
    }
    let (lo, hi) = (
        s.scenario.base_year.saturating_sub(MAX_YEARS),
        s.scenario.horizon,
    );
    for (k, &(year, value)) in f.history.iter().enumerate() {
        if !(lo..=hi).contains(&year) || !value.is_finite() {
            c.fail(
                || format!("{}[{k}]", at("history")),
                format!("({year}, {value}) is not a finite value in {lo}–{hi}"),
            );
        }
    }
    for (k, (_, year, level)) in f.targets.iter().enumerate() {
        if !(s.scenario.base_year..=hi).contains(year) || !level.is_finite() {
            c.fail(
                || format!("{}[{k}]", at("targets")),
                format!("({year}, {level}) is not a finite level inside the plan period"),
            );
        }
    }
}

fn convergence(c: &mut Checker, s: &Summary) {
    let v = &s.convergence;
    if v.draws.windows(2).any(|w| w[0] >= w[1]) {
        c.fail(
            || "convergence.draws".into(),
            "draw counts must increase".into(),
        );
    }
    c.len(|| "convergence.p_hit".into(), v.p_hit.len(), v.ids.len());
    for (i, row) in v.p_hit.iter().enumerate() {
        c.len(
            || format!("convergence.p_hit[{i}]"),
            row.len(),
            v.draws.len(),
        );
        for (k, p) in row.iter().enumerate() {
            c.probability(|| format!("convergence.p_hit[{i}][{k}]"), *p);
        }
    }
}

/// The barometer: consecutive years from the base year inside the plan period, one
/// P(hit) and interval per year for each target; observations' prior percentiles are
/// probabilities.
fn barometer(c: &mut Checker, s: &Summary) {
    for (i, o) in s.observed.iter().enumerate() {
        if let Some(p) = o.prior_percentile {
            c.probability(|| format!("observed[{i}].prior_percentile"), p);
        }
    }
    let Some(b) = &s.barometer else {
        return;
    };
    let (base, horizon) = (s.scenario.base_year, s.scenario.horizon);
    let consecutive = b.years.first() == Some(&base)
        && b.years.windows(2).all(|w| w[1] == w[0] + 1)
        && b.years.last().is_some_and(|&y| y <= horizon);
    if !consecutive {
        c.fail(
            || "barometer.years".into(),
            format!("must run year by year from the base year {base} to at most {horizon}"),
        );
    }
    if b.targets.len() > MAX_TARGETS {
        c.fail(
            || "barometer.targets".into(),
            format!("more than the {MAX_TARGETS} targets a run writes"),
        );
        return;
    }
    for (i, t) in b.targets.iter().enumerate() {
        c.len(
            || format!("barometer.targets[{i}].p_hit"),
            t.p_hit.len(),
            b.years.len(),
        );
        c.len(
            || format!("barometer.targets[{i}].p_hit_ci95"),
            t.p_hit_ci95.len(),
            b.years.len(),
        );
        for (k, (&p, &ci)) in t.p_hit.iter().zip(&t.p_hit_ci95).enumerate() {
            c.probability(|| format!("barometer.targets[{i}].p_hit[{k}]"), p);
            c.interval(|| format!("barometer.targets[{i}].p_hit_ci95[{k}]"), p, ci);
        }
    }
}

/// The policy responses: probabilities in range, efforts finite.
fn responses(c: &mut Checker, s: &Summary) {
    for (i, r) in s.responses.iter().enumerate() {
        let at = |field: &str| format!("responses[{i}].{field}");
        let p = r.p_triggered.p;
        c.probability(|| at("p_triggered.p"), p);
        c.interval(|| at("p_triggered.ci95"), p, r.p_triggered.ci95);
        c.probability(|| at("p_capped"), r.p_capped);
        for (n, (_, p)) in r.first_trigger.iter().enumerate() {
            c.probability(|| format!("responses[{i}].first_trigger[{n}]"), *p);
        }
        c.finite(|| at("mean_extra_effort"), r.mean_extra_effort);
        if let Some(e) = r.mean_extra_effort_if_triggered {
            c.finite(|| at("mean_extra_effort_if_triggered"), e);
        }
    }
}
