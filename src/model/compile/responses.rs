//! `[[response]]` blocks checked and compiled: the watched target must be modeled and
//! have a direction, trigger years must leave a year for the action, tolerance,
//! strength and cap must not be negative, the curb share must be a share, and every
//! shifted parameter must be a trend (read once a year), not a level or a volatility.

use super::context::num;
use super::*;
use crate::ix::{IxVec, ParamIx, TargetIx};
use crate::model::goal::{Direction, Metric};
use crate::model::response::{Lever, Measure, Progress, Response};
use std::collections::BTreeMap;

/// What a parameter is read as, for deciding whether a response may shift it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// An annual rate: growth, intensity change, derived change, elimination
    /// achievement, progress, indicator drift or growth.
    Trend,
    /// A level, a volatility or anything else that shifting by year would not mean.
    Other,
}

/// How each parameter is read by the model (a parameter read both ways is `Other`).
fn roles(m: &Model) -> IxVec<ParamIx, Option<Role>> {
    let mut roles = IxVec::filled(None, m.params.len());
    let mut mark = |v: Value, role: Role| {
        if let Value::Param(p) = v {
            roles[p] = Some(match roles[p] {
                Some(Role::Other) => Role::Other,
                _ => role,
            });
        }
    };
    let e = &m.economy;
    let trends = e
        .cells
        .iter()
        .flat_map(|c| [c.growth, c.intensity_change])
        .chain(e.regions.iter().map(|r| r.offset))
        .chain(m.capacity.iter().flat_map(|c| [c.achievement, c.progress]))
        .chain(
            m.derived
                .iter()
                .flat_map(|d| d.regions.iter().map(|r| r.change)),
        )
        .chain(m.indicators.iter().map(|i| i.trend));
    for v in trends {
        mark(v, Role::Trend);
    }
    let others = e
        .cells
        .iter()
        .map(|c| c.volatility)
        .chain(
            m.derived
                .iter()
                .flat_map(|d| d.regions.iter().flat_map(|r| [r.factor, r.volatility])),
        )
        .chain(m.indicators.iter().flat_map(|i| [i.volatility, i.start]));
    for v in others {
        mark(v, Role::Other);
    }
    roles
}

impl Compiler<'_> {
    /// Compiles the scenario's responses against the otherwise complete model.
    pub(super) fn responses(&mut self, m: &Model) -> Vec<Response> {
        let ids: Vec<String> = self.spec.response.iter().map(|r| r.id.clone()).collect();
        self.unique_ids("response", &ids);
        let roles = roles(m);
        let param_ids: Vec<String> = m.params.iter().map(|p| p.id.clone()).collect();
        let mut out = Vec::new();
        for (i, r) in self.spec.response.iter().enumerate() {
            if let Some(resp) = self.response(i, r, m, &roles, &param_ids) {
                out.push(resp);
            }
        }
        out
    }

    fn response(
        &mut self,
        i: usize,
        r: &ResponseSpec,
        m: &Model,
        roles: &IxVec<ParamIx, Option<Role>>,
        param_ids: &[String],
    ) -> Option<Response> {
        let p = format!("response[{i}]");
        let progress = self.watched(&p, r, m);
        let tolerance = self.non_negative(&format!("{p}.tolerance"), r.tolerance.as_ref(), m);
        let strength = self.non_negative(&format!("{p}.strength"), Some(&r.strength), m);
        let cap = r
            .cap
            .as_ref()
            .map(|c| self.non_negative(&format!("{p}.cap"), Some(c), m));
        let curb_share = self.share(&format!("{p}.curb_share"), r.curb_share.as_ref(), m);
        let shift = self.levers(&format!("{p}.shift"), &r.shift, roles, param_ids);
        let curb = self.levers(&format!("{p}.curb"), &r.curb, roles, param_ids);
        if r.shift.is_empty() && r.curb.is_empty() {
            self.problem(
                &p,
                format!("response `{}` shifts nothing", r.id),
                "add `shift = { <trend parameter> = <change per unit of effort> }` (technical measures) and/or `curb` (output curbs) with `curb_share`",
            );
        }
        if !r.curb.is_empty() && r.curb_share.is_none() {
            self.problem(
                format!("{p}.curb"),
                format!("response `{}` names output curbs but no `curb_share`", r.id),
                "add curb_share = <the share of the effort that comes from curbing output, 0..1>",
            );
        }
        let (target, progress) = progress?;
        let e = m.targets[target].eval.as_ref()?;
        let years = self.trigger_years(&p, r, e.from, e.to, m.base_year)?;
        Some(Response {
            id: r.id.clone(),
            name: r.name.clone(),
            name_zh: r.name_zh.clone(),
            target,
            progress,
            years,
            tolerance,
            strength,
            cap,
            curb_share,
            shift,
            curb,
        })
    }

    /// The watched target and how its progress is measured.
    fn watched(&mut self, p: &str, r: &ResponseSpec, m: &Model) -> Option<(TargetIx, Progress)> {
        let path = format!("{p}.watch");
        let Some(j) = m.targets.position(|t| t.id == r.watch) else {
            let known: Vec<String> = m
                .targets
                .iter()
                .filter(|t| t.eval.is_some())
                .map(|t| t.id.clone())
                .collect();
            self.unknown(&path, "target", &r.watch, &known);
            return None;
        };
        let t = &m.targets[j];
        let Some(e) = &t.eval else {
            if self.spec.targets[j.0].status == Status::Modeled {
                // Its own problem has been reported.
                return None;
            }
            self.problem(
                path,
                format!(
                    "target `{}` is unmodeled, so no response can watch it",
                    t.id
                ),
                "watch a modeled target: a response needs the target's simulated path",
            );
            return None;
        };
        let up = match t.goal.wanted() {
            Some(Direction::Up) => true,
            Some(Direction::Down) => false,
            None => {
                self.problem(
                    path,
                    format!("target `{}` is a two-sided range: it has no wanted direction to fall behind in", t.id),
                    "watch an at_least or at_most target, or an `about` target read one-sided (with a wanted direction)",
                );
                return None;
            }
        };
        let value = t.goal.value();
        let (measure, goal, goal_is_level) = match t.metric {
            Metric::ChangePct => (Measure::Log, (value / 100.0).ln_1p(), false),
            Metric::Cagr => (
                Measure::Log,
                (e.to - e.from) as f64 * (value / 100.0).ln_1p(),
                false,
            ),
            Metric::Multiple => (Measure::Log, value.ln(), false),
            Metric::Level => (Measure::Log, value, true),
            Metric::Share => (Measure::Difference, value, true),
            Metric::ChangePp => (Measure::Difference, value, false),
            Metric::Cumulative => (Measure::Sum, value, false),
        };
        let valid = if goal_is_level {
            goal > 0.0
        } else {
            goal.is_finite()
        };
        if measure == Measure::Log && !valid {
            self.problem(
                path,
                format!(
                    "target `{}` = {} has no path of relative change to follow",
                    t.id,
                    num(value)
                ),
                "a response can watch a change, growth or multiple above −100% (or a positive level)",
            );
            return None;
        }
        Some((
            j,
            Progress {
                series: e.series,
                from: e.from,
                to: e.to,
                measure,
                goal,
                goal_is_level,
                up,
            },
        ))
    }

    /// Trigger years as indices; each must leave at least one year for the action.
    fn trigger_years(
        &mut self,
        p: &str,
        r: &ResponseSpec,
        from: usize,
        to: usize,
        base_year: i32,
    ) -> Option<Vec<usize>> {
        let (first, last) = (base_year + from as i32 + 1, base_year + to as i32 - 1);
        let Some(years) = &r.years else {
            return Some((from + 1..to).collect());
        };
        let mut out = Vec::new();
        for (k, &y) in years.iter().enumerate() {
            if y < first || y > last {
                self.problem(
                    format!("{p}.years[{k}]"),
                    format!("trigger year {y} is outside {first}..{last}"),
                    format!("the trigger is evaluated at the end of a year after the target's baseline ({}) and acts from the next year, so it must come before the horizon ({})", first - 1, last + 1),
                );
            } else {
                out.push((y - base_year) as usize);
            }
        }
        out.sort_unstable();
        out.dedup();
        (out.len() == years.len()).then_some(out)
    }

    /// A value that must not be negative: a number, or a parameter that cannot draw one.
    fn non_negative(&mut self, path: &str, s: Option<&Scalar>, m: &Model) -> Value {
        self.bounded(path, s, m, 0.0, f64::INFINITY)
    }

    /// A share in [0, 1] (0 when absent).
    fn share(&mut self, path: &str, s: Option<&Scalar>, m: &Model) -> Value {
        self.bounded(path, s, m, 0.0, 1.0)
    }

    fn bounded(&mut self, path: &str, s: Option<&Scalar>, m: &Model, lo: f64, hi: f64) -> Value {
        let field = path.rsplit('.').next().unwrap_or(path);
        let range = if hi.is_finite() {
            format!("between {lo} and {hi}")
        } else {
            format!("at least {lo}")
        };
        match s {
            None => Value::Const(0.0),
            Some(Scalar::Num(v)) if v.is_finite() && (lo..=hi).contains(v) => Value::Const(*v),
            Some(Scalar::Num(v)) => {
                self.problem(
                    path,
                    format!("{field} = {} must be {range}", num(*v)),
                    response_hint(field),
                );
                Value::Const(0.0)
            }
            Some(Scalar::Param(name)) => {
                let ids: Vec<String> = m.params.iter().map(|p| p.id.clone()).collect();
                let Some(k) = m.params.position(|p| &p.id == name) else {
                    self.unknown(path, "parameter", name, &ids);
                    return Value::Const(0.0);
                };
                let d = &m.params[k].dist;
                let (a, b) = (d.inverse_cdf(0.0), d.inverse_cdf(1.0));
                let within = a >= lo && b <= hi;
                if !within && !self.bad_params.contains(name) {
                    self.problem(
                        path,
                        format!("{field} `{name}` can take values outside the allowed range: it must be {range}"),
                        format!("{}; give `{name}` a distribution bounded to that range (uniform, pert, triangular, beta or truncnormal)", response_hint(field)),
                    );
                }
                Value::Param(k)
            }
        }
    }

    fn levers(
        &mut self,
        path: &str,
        map: &BTreeMap<String, f64>,
        roles: &IxVec<ParamIx, Option<Role>>,
        param_ids: &[String],
    ) -> Vec<Lever> {
        let mut out = Vec::new();
        for (name, &per_effort) in map {
            let at = format!("{path}.{name}");
            let Some(param) = param_ids.iter().position(|p| p == name).map(ParamIx) else {
                self.unknown(&at, "parameter", name, param_ids);
                continue;
            };
            if !per_effort.is_finite() {
                self.problem(
                    &at,
                    format!("change per unit of effort for `{name}` is not a finite number"),
                    "write the change of the parameter per unit of effort, e.g. -1.5",
                );
                continue;
            }
            match roles[param] {
                Some(Role::Trend) => out.push(Lever { param, per_effort }),
                Some(Role::Other) => self.problem(
                    &at,
                    format!("parameter `{name}` is read as a level or a volatility, so a response cannot shift it by year"),
                    "shift a trend: a growth, intensity change, derived change, elimination achievement, progress or indicator drift parameter",
                ),
                None => self.problem(
                    &at,
                    format!("parameter `{name}` drives nothing in the model, so shifting it has no effect"),
                    "shift a parameter that a sector, capacity process, derived series or indicator uses as its trend",
                ),
            }
        }
        out
    }
}

fn response_hint(field: &str) -> &'static str {
    match field {
        "tolerance" => "the tolerance is how far behind the path (percent, or the target's units) the target may fall before the response fires: 0 or more",
        "strength" => "the strength is the share of the shortfall the response sets out to close: 0 or more (1 closes it all)",
        "cap" => "the cap is the fastest annual pace enforcement can reach, as a positive number in the target's wanted direction (e.g. 5.84 for −5.84%/yr)",
        _ => "the curb share is the share of the effort that comes from curbing output: between 0 and 1",
    }
}
