//! Indicator paths of one draw: bounded indicators (shares, rates) as a random walk of
//! their logit, level indicators as a lognormal walk.

use super::pin;
use super::plan::IndicatorPlan;
use super::workspace::Workspace;
use crate::model::{IndicatorKind, Model, Value};
use crate::sim::exp::{exp, exp_in_place};

/// Indicator paths in two passes, so that the exponentials (one per indicator and
/// year, the costly part) run as vectorised loops: first each path's exponent in
/// every year, then each value from the exponential of its exponent — in every year,
/// or (`all_years` false) only in the years a needed series reads.
pub(super) fn simulate_indicators(m: &Model, ws: &mut Workspace, all_years: bool) {
    let y = m.years();
    let first = (y - 1) * ws.plan.shocks.drawn + ws.plan.cells.derived_normals_total;
    let (params, years) = (&ws.params, &ws.years);
    let paths = ws.st.indicators.chunks_exact_mut(y);
    for (i, ((ind, c), out)) in m
        .indicators
        .iter()
        .zip(&ws.plan.indicators)
        .zip(paths)
        .enumerate()
    {
        let (trend, vol) = (ind.trend.get(params), ind.volatility.get(params));
        let start = ind.start.get(params);
        // An uncertain start moves the logit's constants with it.
        let at_start;
        let c = if let Value::Param(_) = ind.start {
            at_start = IndicatorPlan::at(c.bounded, ind.lower, ind.upper, start);
            &at_start
        } else {
            c
        };
        let zs = &ws.normals[first + i * (y - 1)..first + (i + 1) * (y - 1)];
        // The exponent of year t: −logit(x_t) (bounded), or ln(x_t / x_0) (level: each
        // year's factor is (1 + growth)·a lognormal shock of mean one).
        let drift_of = |trend: f64| {
            if c.bounded {
                -trend / c.slope
            } else {
                (1.0 + trend).max(1e-9).ln() - 0.5 * vol * vol
            }
        };
        let (mut acc, sd) = if c.bounded {
            (-c.logit0, -vol / c.slope)
        } else {
            (0.0, vol)
        };
        let mut drift = drift_of(trend);
        // Year 0 is the start value, not a draw: set here, never exponentiated.
        out[0] = start;
        for (t, (v, z)) in out[1..].iter_mut().zip(zs).enumerate() {
            if years.active {
                drift = drift_of(ind.trend.get(years.at(params, t + 1)));
            }
            acc += drift + sd * z;
            *v = acc;
        }
        let pins = &ws.plan.pins.indicators[i];
        if !pins.is_empty() {
            // A level path's exponent is ln(x / start); pins of a parameter start are ln(x).
            let offset = match (ind.kind, ind.start) {
                (IndicatorKind::Level, Value::Param(_)) => start.ln(),
                _ => 0.0,
            };
            pin::shift(out, pins, offset);
        }
    }
    let x = &mut ws.st.indicators;
    if all_years {
        for ((ind, c), out) in m
            .indicators
            .iter()
            .zip(&ws.plan.indicators)
            .zip(x.chunks_exact_mut(y))
        {
            // One loop per kind, so each is a plain vectorisable loop.
            exp_in_place(&mut out[1..]);
            if c.bounded {
                // The path of a parameter start holds its own constants: out[0] = start.
                let c = match ind.start {
                    Value::Const(_) => *c,
                    Value::Param(_) => IndicatorPlan::at(true, ind.lower, ind.upper, out[0]),
                };
                out[1..].iter_mut().for_each(|v| *v = c.bounded_value(*v));
            } else {
                let start = out[0];
                out[1..].iter_mut().for_each(|v| *v *= start);
            }
        }
    } else {
        for &cell in &ws.plan.needed_indicators {
            let (c, start) = (&ws.plan.indicators[cell / y], x[cell - cell % y]);
            let e = exp(x[cell]);
            x[cell] = if c.bounded {
                c.bounded_value(e)
            } else {
                e * start
            };
        }
    }
}
