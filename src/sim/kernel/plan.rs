//! What the kernel resolves once per model: where each series reads its values, the
//! constants of each indicator, which parameters take which path, which aggregates
//! anything reads. A draw then only does arithmetic.

use super::params::normal_bin_edges;
use crate::model::dist::Distribution;
use crate::model::{IndicatorKind, Model, Source, CAPACITY_FIELDS};
use crate::sim::accum::SENSITIVITY_BINS;

/// Which simulated array a series source reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Buf {
    Va,
    VaRegion,
    VaSector,
    VaTotal,
    Energy,
    EnRegion,
    EnSector,
    EnTotal,
    Derived,
    DerivedTotal,
    Indicators,
    Capacity,
}

/// A source resolved to `array[base + t·stride]`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ref {
    pub(super) buf: Buf,
    pub(super) base: usize,
    pub(super) stride: usize,
}

#[derive(Debug, Clone)]
pub(super) struct SeriesPlan {
    pub(super) num: Ref,
    pub(super) den: Option<Ref>,
    pub(super) scale: f64,
}

/// Model constants of an indicator, computed once.
#[derive(Debug, Clone, Copy)]
pub(super) struct IndicatorPlan {
    pub(super) bounded: bool,
    pub(super) lower: f64,
    pub(super) width: f64,
    /// d logit(x)/dx at the start (bounded).
    pub(super) slope: f64,
    /// logit of the start value (bounded).
    pub(super) logit0: f64,
}

impl IndicatorPlan {
    /// A bounded indicator's value from e^(−logit).
    #[inline(always)]
    pub(super) fn bounded_value(&self, e: f64) -> f64 {
        self.lower + self.width / (1.0 + e)
    }
}

/// Model-derived constants and index tables of the kernel.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    /// (sampler dimension, parameter, mean, sd) of normal parameters outside the copula.
    pub(super) normal_params: Vec<(usize, usize, f64, f64)>,
    /// (copula dimension, parameter, mean, sd) of normal parameters in the copula: their
    /// value is `mean + sd·z` of the correlated normal score, no Φ and Φ⁻¹ round trip.
    pub(super) copula_normal: Vec<(usize, usize, f64, f64)>,
    /// (copula dimension, sampler dimension) of the other parameters in the copula: they
    /// need the uniform Φ(z).
    pub(super) copula_uniform: Vec<(usize, usize)>,
    /// Sampler dimensions whose sensitivity bin is read off their uniform (all but
    /// `copula_normal`, binned by `bin_edges` of the normal score).
    pub(super) binned_by_uniform: Vec<usize>,
    /// Φ⁻¹(b / SENSITIVITY_BINS), b = 1 … SENSITIVITY_BINS − 1: a normal score's
    /// sensitivity bin is the number of edges at or below it.
    pub(super) bin_edges: [f64; SENSITIVITY_BINS - 1],
    /// (sampler dimension, parameter) of tabulated parameters.
    pub(super) tabulated_params: Vec<(usize, usize)>,
    /// Those of them outside the copula: their uniform is known when a draw starts.
    pub(super) tabulated_prefetch: Vec<(usize, usize)>,
    /// (sampler dimension, parameter) of all other uncertain parameters.
    pub(super) other_params: Vec<(usize, usize)>,
    pub(super) series: Vec<SeriesPlan>,
    /// (series, year) pairs the targets read, sorted: the only series values
    /// `draw_outcomes` computes.
    pub(super) needed: Vec<(usize, usize)>,
    pub(super) indicators: Vec<IndicatorPlan>,
    /// `i·Y + t` of the indicator values (t ≥ 1) some needed series reads: the only
    /// ones `draw_outcomes` computes.
    pub(super) needed_indicators: Vec<usize>,
    /// Normals per simulated year of value added: national, regions, sectors, cells.
    pub(super) va_normals_per_year: usize,
    pub(super) years: usize,
    /// Which aggregates something reads (an unread one is not computed): [VA, energy].
    pub(super) need: [Aggregates; 2],
    /// Per capacity process: whether a sector's energy intensity follows it.
    pub(super) drives_energy: Vec<bool>,
}

/// Which aggregates of an account are read.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Aggregates {
    pub(super) region: bool,
    pub(super) sector: bool,
    pub(super) total: bool,
}

fn resolve(m: &Model, src: Source) -> Ref {
    let (r_n, s_n, y) = (m.regions.len(), m.sectors.len(), m.years());
    match src {
        Source::Account {
            energy,
            region,
            sector,
        } => {
            let (cells, reg, sec, tot) = if energy {
                (Buf::Energy, Buf::EnRegion, Buf::EnSector, Buf::EnTotal)
            } else {
                (Buf::Va, Buf::VaRegion, Buf::VaSector, Buf::VaTotal)
            };
            match (region, sector) {
                (None, None) => Ref {
                    buf: tot,
                    base: 0,
                    stride: 1,
                },
                (Some(r), None) => Ref {
                    buf: reg,
                    base: r,
                    stride: r_n,
                },
                (None, Some(s)) => Ref {
                    buf: sec,
                    base: s,
                    stride: s_n,
                },
                (Some(r), Some(s)) => Ref {
                    buf: cells,
                    base: r * s_n + s,
                    stride: r_n * s_n,
                },
            }
        }
        Source::Derived {
            index,
            region: None,
        } => Ref {
            buf: Buf::DerivedTotal,
            base: index * y,
            stride: 1,
        },
        Source::Derived {
            index,
            region: Some(r),
        } => Ref {
            buf: Buf::Derived,
            base: index * y * r_n + r,
            stride: r_n,
        },
        Source::Indicator(i) => Ref {
            buf: Buf::Indicators,
            base: i * y,
            stride: 1,
        },
        Source::Capacity { index, field } => Ref {
            buf: Buf::Capacity,
            base: index * CAPACITY_FIELDS * y + field as usize * y,
            stride: 1,
        },
    }
}

impl Plan {
    pub(super) fn new(m: &Model) -> Plan {
        let y = m.years();
        let copula_dims: &[usize] = m.copula.as_ref().map_or(&[], |(dims, _)| dims);
        let in_copula = |k: usize| copula_dims.contains(&k);
        let (mut normal_params, mut tabulated_params, mut other_params) =
            (Vec::new(), Vec::new(), Vec::new());
        for (k, &p) in m.uncertain.iter().enumerate() {
            match m.params[p].dist {
                Distribution::Normal { .. } if in_copula(k) => {}
                Distribution::Normal { mean, sd } => normal_params.push((k, p, mean, sd)),
                Distribution::Tabulated { .. } => tabulated_params.push((k, p)),
                _ => other_params.push((k, p)),
            }
        }
        let (mut copula_normal, mut copula_uniform) = (Vec::new(), Vec::new());
        for (c, &k) in copula_dims.iter().enumerate() {
            let p = m.uncertain[k];
            match m.params[p].dist {
                Distribution::Normal { mean, sd } => copula_normal.push((c, p, mean, sd)),
                _ => copula_uniform.push((c, k)),
            }
        }
        let binned_by_uniform = (0..m.uncertain.len())
            .filter(|&k| !copula_normal.iter().any(|&(c, ..)| copula_dims[c] == k))
            .collect();
        let bin_edges = normal_bin_edges();
        let tabulated_prefetch = tabulated_params
            .iter()
            .copied()
            .filter(|&(k, _)| !in_copula(k))
            .collect();
        let series: Vec<SeriesPlan> = m
            .series
            .iter()
            .map(|d| SeriesPlan {
                num: resolve(m, d.num),
                den: d.den.map(|s| resolve(m, s)),
                scale: d.scale,
            })
            .collect();
        let mut needed = Vec::new();
        for e in m
            .targets
            .iter()
            .filter_map(|t| t.eval.as_ref().map(|e| (t.metric, e)))
        {
            let (metric, e) = e;
            needed.push((e.series, e.from));
            needed.push((e.series, e.to));
            if metric.reads_every_year() {
                needed.extend((e.from + 1..=e.to).map(|t| (e.series, t)));
            }
        }
        needed.sort_unstable();
        needed.dedup();
        let mut needed_indicators = Vec::new();
        for &(k, t) in needed.iter().filter(|&&(_, t)| t > 0) {
            let d = &m.series[k];
            for src in std::iter::once(d.num).chain(d.den) {
                if let Source::Indicator(i) = src {
                    needed_indicators.push(i * y + t);
                }
            }
        }
        needed_indicators.sort_unstable();
        needed_indicators.dedup();
        let indicators = m
            .indicators
            .iter()
            .map(|ind| {
                let width = ind.upper - ind.lower;
                let q = (ind.start - ind.lower) / width;
                IndicatorPlan {
                    bounded: ind.kind == IndicatorKind::Bounded,
                    lower: ind.lower,
                    width,
                    slope: width * q * (1.0 - q),
                    logit0: (q / (1.0 - q)).ln(),
                }
            })
            .collect();
        let (r_n, s_n) = (m.regions.len(), m.sectors.len());
        let mut need = [Aggregates::default(); 2];
        for p in &series {
            for r in std::iter::once(p.num).chain(p.den) {
                match r.buf {
                    Buf::VaRegion => need[0].region = true,
                    Buf::VaSector => need[0].sector = true,
                    Buf::VaTotal => need[0].total = true,
                    Buf::EnRegion => need[1].region = true,
                    Buf::EnSector => need[1].sector = true,
                    Buf::EnTotal => need[1].total = true,
                    _ => {}
                }
            }
        }
        // Capacity output follows its sector's VA; derived series over all sectors read
        // region totals.
        need[0].sector |= !m.capacity.is_empty();
        for d in m.derived.iter().filter(|d| d.sectors.len() == s_n) {
            need[usize::from(d.basis_energy)].region = true;
        }
        let drives_energy = (0..m.capacity.len())
            .map(|k| m.energy_driver.contains(&Some(k)))
            .collect();
        Plan {
            normal_params,
            copula_normal,
            copula_uniform,
            binned_by_uniform,
            bin_edges,
            tabulated_params,
            tabulated_prefetch,
            other_params,
            series,
            needed,
            indicators,
            needed_indicators,
            va_normals_per_year: 1 + r_n + s_n + r_n * s_n,
            years: y,
            need,
            drives_energy,
        }
    }
}
