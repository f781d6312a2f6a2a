//! Policy responses inside a draw. After the draw has been simulated once (its outcomes
//! without responses are kept), each trigger year in turn: every response watching at
//! that year compares its target's progress with the straight-line path; those that
//! fire raise their effort, which shifts their trend parameters from the next year on,
//! and the paths are simulated again with the same random numbers — so every year up to
//! the trigger is unchanged and later years carry the shifted trends (and, through
//! lower growth of curbed sectors, the side effect on everything downstream).

use super::evaluate::series_value;
use super::paths::simulate_paths;
use super::workspace::Workspace;
use crate::ix::IxVec;
use crate::model::response::{next_effort, Lever, Response};
use crate::model::Model;
use crate::sim::drawn::ResponseDraw;

/// Evaluates the responses of a simulated draw, re-simulating after each trigger year
/// in which one fired. `ws.outcomes` hold the draw's outcomes without responses; they
/// are copied to `ws.free_outcomes`. Returns whether any response fired (then the
/// caller evaluates the series and targets again).
pub(super) fn respond(m: &Model, ws: &mut Workspace, all_years: bool) -> bool {
    ws.free_outcomes
        .as_raw_mut()
        .copy_from_slice(ws.outcomes.as_raw());
    ws.responses.fill(ResponseDraw::default());
    let mut any = false;
    for k in 0..ws.plan.responses.trigger_years.len() {
        let t = ws.plan.responses.trigger_years[k];
        let mut fired = false;
        for (i, r) in m.responses.iter().enumerate() {
            if r.years.binary_search(&t).is_ok() {
                fired |= trigger(m, ws, i, r, t);
            }
        }
        if fired {
            any = true;
            let with_indicators = ws.plan.responses.levers_on_indicators;
            simulate_paths(m, ws, all_years, with_indicators);
        }
    }
    any
}

/// Evaluates response `i` at the end of year `t`; when it fires, raises its effort and
/// shifts its levers from year `t + 1` on. Returns whether it fired.
fn trigger(m: &Model, ws: &mut Workspace, i: usize, r: &Response, t: usize) -> bool {
    let pr = &r.progress;
    let plan = &ws.plan.series[pr.series.0];
    for (year, x) in ws.watched[..=t].iter_mut().enumerate().skip(pr.from) {
        *x = series_value(&ws.st, plan, year);
    }
    let x = &ws.watched;
    let params = &ws.params;
    let shortfall = pr.shortfall(x, t);
    // NaN (a series that vanished) never fires: it is not greater than the tolerance.
    let behind = shortfall > pr.tolerance_units(r.tolerance.get(params));
    if !behind {
        return false;
    }
    let room = r.cap.map(|c| pr.pace_units(c.get(params)) - pr.pace(x, t));
    let state = &mut ws.responses[i];
    let (effort, capped) = next_effort(
        state.effort,
        shortfall,
        pr.to - t,
        r.strength.get(params),
        room,
    );
    let added = effort - state.effort;
    state.effort = effort;
    state.capped |= capped;
    state.first.get_or_insert(t);
    if added > 0.0 {
        let curb = r.curb_share.get(params).clamp(0.0, 1.0);
        activate(ws, m.years());
        shift(ws, &r.shift, (1.0 - curb) * added, t);
        shift(ws, &r.curb, curb * added, t);
    }
    true
}

/// Starts per-year parameter values for this draw (each year's = the draw's own).
fn activate(ws: &mut Workspace, years: usize) {
    if ws.years.active {
        return;
    }
    ws.years.rows.resize_with(years, IxVec::new);
    for row in &mut ws.years.rows {
        row.clone_from(&ws.params);
    }
    ws.years.active = true;
}

/// Adds `effort · per_effort` to each lever's parameter in every year after `t`.
fn shift(ws: &mut Workspace, levers: &[Lever], effort: f64, t: usize) {
    for l in levers {
        for row in ws.years.rows.iter_mut().skip(t + 1) {
            row[l.param] += effort * l.per_effort;
        }
    }
}
