//! What the kernel resolves once per model: where each series reads its values, the
//! constants of each indicator, which parameters take which path, which aggregates
//! anything reads. A draw then only does arithmetic.

use super::cells::CellPlan;
use super::pin::Pins;
use super::shocks::ShockSlots;
use crate::ix::{CopulaIx, DimIx, ParamIx, SeriesIx};
use crate::model::dist::Distribution;
use crate::model::{IndicatorKind, Model, Source, Value, CAPACITY_FIELDS};
use crate::sim::layout::SENSITIVITY_BINS;
use crate::stats::std_normal_inv;

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

/// Model constants of an indicator, computed once (`slope` and `logit0` again in each
/// draw when the start is a parameter).
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
    /// The constants for a start value `start`.
    pub(super) fn at(bounded: bool, lower: f64, upper: f64, start: f64) -> IndicatorPlan {
        let width = upper - lower;
        let q = (start - lower) / width;
        IndicatorPlan {
            bounded,
            lower,
            width,
            slope: width * q * (1.0 - q),
            logit0: (q / (1.0 - q)).ln(),
        }
    }

    /// A bounded indicator's value from e^(−logit).
    #[inline(always)]
    pub(super) fn bounded_value(&self, e: f64) -> f64 {
        self.lower + self.width / (1.0 + e)
    }
}

/// A normal parameter drawn from its uniform: `mean + sd·Φ⁻¹(u)`.
#[derive(Debug, Clone, Copy)]
pub(super) struct NormalParam {
    pub(super) dim: DimIx,
    pub(super) param: ParamIx,
    pub(super) mean: f64,
    pub(super) sd: f64,
}

/// A normal parameter in the copula: `mean + sd·z` of its correlated normal score, no
/// Φ and Φ⁻¹ round trip.
#[derive(Debug, Clone, Copy)]
pub(super) struct CopulaNormal {
    pub(super) copula: CopulaIx,
    pub(super) dim: DimIx,
    pub(super) param: ParamIx,
    pub(super) mean: f64,
    pub(super) sd: f64,
}

/// Another parameter in the copula: it needs the uniform Φ(z) of its correlated score.
#[derive(Debug, Clone, Copy)]
pub(super) struct CopulaUniform {
    pub(super) copula: CopulaIx,
    pub(super) dim: DimIx,
}

/// An uncertain parameter and its sampler dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DimParam {
    pub(super) dim: DimIx,
    pub(super) param: ParamIx,
}

/// A series value some target reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct SeriesYear {
    pub(super) series: SeriesIx,
    pub(super) year: usize,
}

/// Φ⁻¹(b / SENSITIVITY_BINS), b = 1 … SENSITIVITY_BINS − 1: a normal score's
/// sensitivity bin is the number of edges at or below it.
pub(super) type BinEdges = [f64; SENSITIVITY_BINS - 1];

/// How each uncertain parameter gets its value, grouped by path.
#[derive(Debug, Clone)]
pub(super) struct ParamPlan {
    /// The copula's sampler dimensions, in its order.
    pub(super) copula_dims: Vec<DimIx>,
    /// Normal parameters outside the copula.
    pub(super) normal: Vec<NormalParam>,
    /// Normal parameters in the copula.
    pub(super) copula_normal: Vec<CopulaNormal>,
    /// The other parameters in the copula.
    pub(super) copula_uniform: Vec<CopulaUniform>,
    /// Sampler dimensions whose sensitivity bin is read off their uniform (all but
    /// the normal parameters, binned by `bin_edges` of their normal score).
    pub(super) binned_by_uniform: Vec<DimIx>,
    pub(super) bin_edges: BinEdges,
    /// Tabulated parameters.
    pub(super) tabulated: Vec<DimParam>,
    /// Those of them outside the copula: their uniform is known when a draw starts.
    pub(super) tabulated_prefetch: Vec<DimParam>,
    /// All other uncertain parameters.
    pub(super) other: Vec<DimParam>,
}

/// Model-derived constants and index tables of the kernel.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) params: ParamPlan,
    pub(super) series: Vec<SeriesPlan>,
    /// The series values the targets read, sorted: the only ones `draw_outcomes`
    /// computes.
    pub(super) needed: Vec<SeriesYear>,
    pub(super) indicators: Vec<IndicatorPlan>,
    /// `i·Y + t` of the indicator values (t ≥ 1) some needed series reads: the only
    /// ones `draw_outcomes` computes.
    pub(super) needed_indicators: Vec<usize>,
    /// Normals drawn per simulated year of value added, and where they go.
    pub(super) shocks: ShockSlots,
    pub(super) years: usize,
    /// Which aggregates something reads (an unread one is not computed): [VA, energy].
    pub(super) need: [Aggregates; 2],
    /// Per capacity process: whether a cell's energy intensity follows it.
    pub(super) drives_energy: Vec<bool>,
    /// Per-cell constants and how cells add up.
    pub(super) cells: CellPlan,
    /// Per derived series and each of its regions: the cells of its listed sectors
    /// there, in list order (None: all the region's cells, its total).
    pub(super) derived_cells: Vec<Vec<Option<Vec<usize>>>>,
    /// The observations each draw is pinned to.
    pub(super) pins: Pins,
    /// When policy responses act.
    pub(super) responses: ResponsePlan,
}

/// When the policy responses are evaluated and what they shift.
#[derive(Debug, Clone, Default)]
pub(super) struct ResponsePlan {
    /// Years (indices) at whose end some response is evaluated, ascending.
    pub(super) trigger_years: Vec<usize>,
    /// Whether a response shifts a parameter some indicator reads (then indicators are
    /// simulated again after a trigger; otherwise only the economy is).
    pub(super) levers_on_indicators: bool,
}

impl ResponsePlan {
    fn new(m: &Model) -> ResponsePlan {
        let mut trigger_years: Vec<usize> =
            m.responses.iter().flat_map(|r| r.years.clone()).collect();
        trigger_years.sort_unstable();
        trigger_years.dedup();
        let levers_on_indicators = m
            .responses
            .iter()
            .flat_map(|r| r.shift.iter().chain(&r.curb))
            .any(|l| {
                m.indicators
                    .iter()
                    .any(|i| i.trend == Value::Param(l.param))
            });
        ResponsePlan {
            trigger_years,
            levers_on_indicators,
        }
    }
}

/// Which aggregates of an account are read.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Aggregates {
    pub(super) region: bool,
    pub(super) sector: bool,
    pub(super) total: bool,
}

fn resolve(m: &Model, src: Source) -> Ref {
    let (r_n, s_n, c_n, y) = (m.regions.len(), m.sectors.len(), m.cells(), m.years());
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
            // The national total of one region at scale 1 counting every cell is the
            // region's aggregate (−0.0 + 1·x = x), so it is read from there.
            let one_region = &m.economy.regions;
            if (region, sector) == (None, None)
                && one_region.len() == 1
                && one_region[0].scale.of(energy) == 1.0
                && m.economy.national.iter().all(|n| n.counted)
            {
                let region = Source::Account {
                    energy,
                    region: Some(0),
                    sector: None,
                };
                return resolve(m, region);
            }
            if let Some(c) = lone_cell(m, energy, region, sector) {
                return Ref {
                    buf: cells,
                    base: c,
                    stride: c_n,
                };
            }
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
                // The compiler refuses a sector in a region that does not have it.
                (Some(r), Some(s)) => Ref {
                    buf: cells,
                    base: m.economy.cell(r, s).unwrap_or(0),
                    stride: c_n,
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

/// The only item of `items`, if it has exactly one.
fn only(mut items: impl Iterator<Item = usize>) -> Option<usize> {
    match (items.next(), items.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// The one cell a region or sector aggregate of an account consists of, when its value
/// is exactly that cell's (one cell, counted once, at scale 1): reading the cell gives
/// the same number, and the aggregate need not be summed in every draw.
fn lone_cell(
    m: &Model,
    energy: bool,
    region: Option<usize>,
    sector: Option<usize>,
) -> Option<usize> {
    let e = &m.economy;
    match (region, sector) {
        // A region's aggregate is in its own units: its scale does not enter.
        (Some(r), None) => only(e.regions[r].cells.clone()),
        // A national sector aggregate also takes in shares of other sectors (`into`).
        (None, Some(s)) => {
            only((0..e.cells.len()).filter(|&c| e.cells[c].sector == s)).filter(|&c| {
                e.regions[e.cells[c].region].scale.of(energy) == 1.0
                    && !e
                        .national
                        .iter()
                        .any(|n| n.into.iter().any(|&(t, _)| t == s))
            })
        }
        // The national total: only through its region (`resolve`).
        (None, None) | (Some(_), Some(_)) => None,
    }
}

impl Plan {
    pub(super) fn new(m: &Model) -> Plan {
        let series: Vec<SeriesPlan> = m
            .series
            .iter()
            .map(|d| SeriesPlan {
                num: resolve(m, d.num),
                den: d.den.map(|s| resolve(m, s)),
                scale: d.scale,
            })
            .collect();
        let needed = needed(m);
        Plan {
            cells: CellPlan::new(m),
            derived_cells: derived_cells(m),
            params: param_plan(m),
            needed_indicators: needed_indicators(m, &needed),
            need: aggregates(m, &series),
            series,
            needed,
            indicators: m.indicators.iter().map(indicator_plan).collect(),
            shocks: ShockSlots::new(m),
            years: m.years(),
            drives_energy: (0..m.capacity.len())
                .map(|k| m.economy.cells.iter().any(|c| c.energy_driver == Some(k)))
                .collect(),
            pins: Pins::new(m),
            responses: ResponsePlan::new(m),
        }
    }
}

/// Which path each uncertain parameter takes.
fn param_plan(m: &Model) -> ParamPlan {
    let copula_dims = m.copula.as_ref().map(|c| &c.dims);
    let in_copula = |k: DimIx| copula_dims.is_some_and(|d| d.iter().any(|&x| x == k));
    let (mut normal, mut tabulated, mut other) = (Vec::new(), Vec::new(), Vec::new());
    for (dim, &param) in m.uncertain.iter_enumerated() {
        match m.params[param].dist {
            Distribution::Normal { .. } if in_copula(dim) => {}
            Distribution::Normal { mean, sd } => normal.push(NormalParam {
                dim,
                param,
                mean,
                sd,
            }),
            Distribution::Tabulated { .. } => tabulated.push(DimParam { dim, param }),
            _ => other.push(DimParam { dim, param }),
        }
    }
    let (mut copula_normal, mut copula_uniform) = (Vec::new(), Vec::new());
    for (copula, &dim) in copula_dims.into_iter().flat_map(|d| d.iter_enumerated()) {
        let param = m.uncertain[dim];
        match m.params[param].dist {
            Distribution::Normal { mean, sd } => copula_normal.push(CopulaNormal {
                copula,
                dim,
                param,
                mean,
                sd,
            }),
            _ => copula_uniform.push(CopulaUniform { copula, dim }),
        }
    }
    let binned_by_uniform = m
        .uncertain
        .indices()
        .filter(|&k| {
            !copula_normal.iter().any(|c: &CopulaNormal| c.dim == k)
                && !normal.iter().any(|n: &NormalParam| n.dim == k)
        })
        .collect();
    let tabulated_prefetch = tabulated
        .iter()
        .copied()
        .filter(|d: &DimParam| !in_copula(d.dim))
        .collect();
    ParamPlan {
        copula_dims: copula_dims.map_or_else(Vec::new, |d| d.as_raw().to_vec()),
        normal,
        copula_normal,
        copula_uniform,
        binned_by_uniform,
        bin_edges: normal_bin_edges(),
        tabulated,
        tabulated_prefetch,
        other,
    }
}

/// Φ⁻¹(b / SENSITIVITY_BINS) for b = 1 … SENSITIVITY_BINS − 1.
pub(super) fn normal_bin_edges() -> BinEdges {
    std::array::from_fn(|b| std_normal_inv((b + 1) as f64 / SENSITIVITY_BINS as f64))
}

/// The series values the targets read (both ends, and every year between for metrics
/// that read them all), sorted and each once.
fn needed(m: &Model) -> Vec<SeriesYear> {
    let mut needed = Vec::new();
    for (t, e) in m
        .targets
        .iter()
        .filter_map(|t| t.eval.as_ref().map(|e| (t, e)))
    {
        needed.push(SeriesYear {
            series: e.series,
            year: e.from,
        });
        needed.push(SeriesYear {
            series: e.series,
            year: e.to,
        });
        if t.metric.reads_every_year() {
            needed.extend((e.from + 1..=e.to).map(|year| SeriesYear {
                series: e.series,
                year,
            }));
        }
    }
    needed.sort_unstable();
    needed.dedup();
    needed
}

/// `i·Y + t` of the indicator values (t ≥ 1) the needed series values read.
fn needed_indicators(m: &Model, needed: &[SeriesYear]) -> Vec<usize> {
    let y = m.years();
    let mut out = Vec::new();
    for n in needed.iter().filter(|n| n.year > 0) {
        let d = &m.series[n.series];
        for src in std::iter::once(d.num).chain(d.den) {
            if let Source::Indicator(i) = src {
                out.push(i * y + n.year);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// An indicator's constants (at its fixed start; a parameter start gets them per draw).
fn indicator_plan(ind: &crate::model::Indicator) -> IndicatorPlan {
    let start = match ind.start {
        Value::Const(x) => x,
        Value::Param(_) => f64::NAN,
    };
    IndicatorPlan::at(
        ind.kind == IndicatorKind::Bounded,
        ind.lower,
        ind.upper,
        start,
    )
}

/// Per derived series and region: the cells its listed sectors have there (None when
/// it reads the region's total: no list, or a list of every sector).
fn derived_cells(m: &Model) -> Vec<Vec<Option<Vec<usize>>>> {
    m.derived
        .iter()
        .map(|d| {
            d.regions
                .iter()
                .map(|dr| {
                    let list = d.sectors.as_ref()?;
                    if list.len() == m.sectors.len() {
                        return None;
                    }
                    Some(
                        list.iter()
                            .filter_map(|&s| m.economy.cell(dr.region, s))
                            .collect(),
                    )
                })
                .collect()
        })
        .collect()
}

/// Which aggregates anything reads: [VA, energy].
fn aggregates(m: &Model, series: &[SeriesPlan]) -> [Aggregates; 2] {
    let mut need = [Aggregates::default(); 2];
    for p in series {
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
    for d in m.derived.iter().filter(|d| {
        d.sectors
            .as_ref()
            .is_none_or(|s| s.len() == m.sectors.len())
    }) {
        need[usize::from(d.basis_energy)].region = true;
    }
    need
}
