//! Observations inside a draw: in an observed year the draw's path takes the observed
//! value and continues from it with its own shocks and trends.
//!
//! Every simulated path is multiplicative in its level (value added, energy, derived
//! series, level indicators) or additive in its logit (bounded indicators), so
//! "continue from the observed value" is one operation: scale (or shift) the path
//! from the observed year on by what makes that year's value the observation. For an
//! aggregate the covered cells (or regions) are scaled by one factor, so their mix is
//! kept; observations of one year are applied finest first, and a coarser one scales
//! only the cells its finer ones left free. An intensity (`per`) pins its numerator to
//! the observation times the denominator's value in the draw. A path that is zero in
//! the observed year cannot be scaled and is left as it is.

use crate::model::{IndicatorKind, Model, Source, Value};

/// One observation of value added, energy or a derived series.
#[derive(Debug, Clone)]
pub(super) struct Pin {
    /// Year index.
    t: usize,
    value: f64,
    /// Cells or regions covered.
    cover: Vec<usize>,
    /// An intensity's denominator.
    den: Option<Den>,
}

/// The denominator of an intensity: value added or energy, summed over cells.
#[derive(Debug, Clone)]
pub(super) struct Den {
    pub(super) energy: bool,
    pub(super) cells: Vec<usize>,
}

/// A model's observations as the kernel applies them.
#[derive(Debug, Clone, Default)]
pub(super) struct Pins {
    /// Value added, by year, finest first.
    pub(super) va: Vec<Pin>,
    /// Energy, likewise.
    pub(super) energy: Vec<Pin>,
    /// Per derived series, likewise (empty when the series is not observed).
    pub(super) derived: Vec<Vec<Pin>>,
    /// Per indicator: (year index, the path's exponent there), by year. For a level
    /// indicator whose start is a parameter the exponent is ln(x), and the draw's
    /// ln(start) is taken off when it is applied.
    pub(super) indicators: Vec<Vec<(usize, f64)>>,
}

impl Pins {
    pub(super) fn new(m: &Model) -> Pins {
        let cells = |region, sector| m.economy.cover(region, sector);
        let mut p = Pins {
            derived: vec![Vec::new(); m.derived.len()],
            indicators: vec![Vec::new(); m.indicators.len()],
            ..Pins::default()
        };
        for o in &m.observed {
            let def = &m.series[o.series];
            let t = (o.year - m.base_year) as usize;
            let den = match def.den {
                Some(Source::Account {
                    energy,
                    region,
                    sector,
                }) => Some(Den {
                    energy,
                    cells: cells(region, sector),
                }),
                _ => None,
            };
            match def.num {
                Source::Account {
                    energy,
                    region,
                    sector,
                } => {
                    let pin = Pin {
                        t,
                        value: o.value,
                        cover: cells(region, sector),
                        den,
                    };
                    if energy {
                        p.energy.push(pin);
                    } else {
                        p.va.push(pin);
                    }
                }
                Source::Derived { index, region } => p.derived[index].push(Pin {
                    t,
                    value: o.value,
                    cover: region.map_or_else(
                        || m.derived[index].regions.iter().map(|d| d.region).collect(),
                        |r| vec![r],
                    ),
                    den,
                }),
                Source::Indicator(i) => {
                    let ind = &m.indicators[i];
                    let e = match ind.kind {
                        // The bounded walk runs on −logit(x); the level walk on ln(x / start).
                        IndicatorKind::Bounded => {
                            let q = (o.value - ind.lower) / (ind.upper - ind.lower);
                            -(q / (1.0 - q)).ln()
                        }
                        IndicatorKind::Level => match ind.start {
                            Value::Const(start) => (o.value / start).ln(),
                            Value::Param(_) => o.value.ln(),
                        },
                    };
                    p.indicators[i].push((t, e));
                }
                // Rejected by the compiler: capacity series follow value added.
                Source::Capacity { .. } => {}
            }
        }
        let order = |a: &Pin, b: &Pin| (a.t, a.cover.len()).cmp(&(b.t, b.cover.len()));
        p.va.sort_by(order);
        p.energy.sort_by(order);
        for d in &mut p.derived {
            d.sort_by(order);
        }
        for i in &mut p.indicators {
            i.sort_by_key(|&(t, _)| t);
        }
        p
    }
}

/// The value of `d` in year `t` from the value added and energy cells.
pub(super) fn den_value(va: &[f64], en: &[f64], c_n: usize, d: &Den, t: usize) -> f64 {
    let row = if d.energy {
        &en[t * c_n..]
    } else {
        &va[t * c_n..]
    };
    d.cells.iter().map(|&c| row[c]).sum()
}

/// Applies `pins` (by year, finest first) to `x` (`x[t·n + i]`, `years` years): each
/// scales the entries it covers that no finer pin of its year has fixed, from its year
/// on, so that the covered sum equals its value (times `den` of its denominator for an
/// intensity). `fixed` is scratch of at least `n` entries.
pub(super) fn apply(
    pins: &[Pin],
    x: &mut [f64],
    n: usize,
    years: usize,
    den: &dyn Fn(&Den, usize) -> f64,
    fixed: &mut [bool],
) {
    let mut year = usize::MAX;
    for p in pins {
        if p.t != year {
            fixed[..n].fill(false);
            year = p.t;
        }
        let row = &x[p.t * n..(p.t + 1) * n];
        let (mut held, mut free) = (0.0, 0.0);
        for &i in &p.cover {
            if fixed[i] {
                held += row[i];
            } else {
                free += row[i];
            }
        }
        let goal = match &p.den {
            Some(d) => p.value * den(d, p.t),
            None => p.value,
        };
        let k = (goal - held) / free;
        if !(free > 0.0 && k.is_finite()) {
            continue;
        }
        for &i in &p.cover {
            if !fixed[i] {
                for tt in p.t..years {
                    x[tt * n + i] *= k;
                }
                fixed[i] = true;
            }
        }
    }
}

/// Shifts an indicator's exponents (`e[t]`, year 0 included) from each pinned year on so
/// the path takes the pinned exponent less `offset` there: the walk restarts from the
/// observation.
pub(super) fn shift(e: &mut [f64], pins: &[(usize, f64)], offset: f64) {
    for &(t, pinned) in pins {
        let target = pinned - offset;
        let d = target - e[t];
        for v in &mut e[t + 1..] {
            *v += d;
        }
        e[t] = target;
    }
}
