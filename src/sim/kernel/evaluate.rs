//! Reading a draw's results: series values (a simulated array, or a ratio of two, times
//! a scale) and each target's outcome metric.

use super::plan::SeriesPlan;
use super::workspace::{State, Workspace};
use crate::model::{Metric, Model};
use crate::sim::exp::exp;

#[inline]
pub(super) fn series_value(st: &State, p: &SeriesPlan, t: usize) -> f64 {
    let num = st.buf(p.num.buf)[p.num.base + t * p.num.stride];
    let v = match p.den {
        Some(d) => num / st.buf(d.buf)[d.base + t * d.stride],
        None => num,
    };
    v * p.scale
}

pub(super) fn evaluate_all(m: &Model, ws: &mut Workspace) {
    let y = m.years();
    for (p, out) in ws.plan.series.iter().zip(ws.series.chunks_exact_mut(y)) {
        let num = &ws.st.buf(p.num.buf)[p.num.base..];
        match p.den {
            Some(d) => {
                let den = &ws.st.buf(d.buf)[d.base..];
                for (t, o) in out.iter_mut().enumerate() {
                    *o = num[t * p.num.stride] / den[t * d.stride] * p.scale;
                }
            }
            None => {
                for (t, o) in out.iter_mut().enumerate() {
                    *o = num[t * p.num.stride] * p.scale;
                }
            }
        }
    }
}

pub(super) fn evaluate_needed(ws: &mut Workspace) {
    let y = ws.plan.years;
    for n in &ws.plan.needed {
        let (k, t) = (n.series.0, n.year);
        ws.series[k * y + t] = series_value(&ws.st, &ws.plan.series[k], t);
    }
}

pub(super) fn evaluate_targets(m: &Model, ws: &mut Workspace) {
    let y = m.years();
    for (j, target) in m.targets.iter_enumerated() {
        let Some(e) = &target.eval else { continue };
        let x = &ws.series[e.series.0 * y..(e.series.0 + 1) * y];
        let (b, h) = (x[e.from], x[e.to]);
        ws.baselines[j] = b;
        ws.outcomes[j] = match target.metric {
            // (h/b)^(1/n) as e^(ln(h/b)·(1/n)): libm's `pow` cost more than the rest
            // of a one-cell draw's arithmetic, and 1/n does not wait for the draw.
            Metric::Cagr => 100.0 * (exp((h / b).ln() * (1.0 / (e.to - e.from) as f64)) - 1.0),
            Metric::ChangePct => 100.0 * (h / b - 1.0),
            Metric::Level | Metric::Share => h,
            Metric::ChangePp => h - b,
            Metric::Cumulative => x[e.from + 1..=e.to].iter().sum(),
            Metric::Multiple => h / b,
        };
    }
}
