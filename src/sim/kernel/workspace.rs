//! The kernel's scratch space: the simulated arrays of one draw (`State`), what the
//! draw produced (parameters, bins, series, outcomes), and the plan resolved once per
//! model. Sized once, reused for every draw, so the draw loop allocates nothing.

use super::plan::{Buf, Plan};
use super::shocks::ShockSlots;
use super::stages::Stages;
use crate::ix::{CopulaIx, DimIx, IxVec, ParamIx, TargetIx};
use crate::model::{Model, CAPACITY_FIELDS};
use crate::sim::drawn::{Drawn, ResponseDraw};

/// The simulated arrays of one draw.
#[derive(Debug, Clone)]
pub(super) struct State {
    /// Per year: the national and regional shock a region's cells share.
    pub(super) region_shock: Vec<f64>,
    /// The value-added normals of every year in their whole layout (`ShockSlots`), the
    /// undrawn ones at zero.
    pub(super) shock_layout: Vec<f64>,
    pub(super) va: Vec<f64>,
    pub(super) energy: Vec<f64>,
    /// Aggregates: [total, by region, by sector] per year, for VA and energy.
    pub(super) va_region: Vec<f64>,
    pub(super) va_sector: Vec<f64>,
    pub(super) va_total: Vec<f64>,
    pub(super) en_region: Vec<f64>,
    pub(super) en_sector: Vec<f64>,
    pub(super) en_total: Vec<f64>,
    pub(super) capacity: Vec<f64>,
    pub(super) capacity_factor: Vec<f64>,
    pub(super) derived: Vec<f64>,
    pub(super) derived_total: Vec<f64>,
    pub(super) indicators: Vec<f64>,
}

impl State {
    /// The simulated array `b` names.
    #[inline]
    pub(super) fn buf(&self, b: Buf) -> &[f64] {
        match b {
            Buf::Va => &self.va,
            Buf::VaRegion => &self.va_region,
            Buf::VaSector => &self.va_sector,
            Buf::VaTotal => &self.va_total,
            Buf::Energy => &self.energy,
            Buf::EnRegion => &self.en_region,
            Buf::EnSector => &self.en_sector,
            Buf::EnTotal => &self.en_total,
            Buf::Derived => &self.derived,
            Buf::DerivedTotal => &self.derived_total,
            Buf::Indicators => &self.indicators,
            Buf::Capacity => &self.capacity,
        }
    }
}

/// Parameter values by year, used only in draws where a policy response has shifted a
/// trend: each year's row is the draw's values plus the shifts in force that year.
#[derive(Debug, Clone)]
pub(super) struct YearParams {
    pub(super) rows: Vec<IxVec<ParamIx, f64>>,
    pub(super) active: bool,
}

impl YearParams {
    /// The parameter values of year `t`: the draw's own unless a response shifted some.
    #[inline]
    pub(super) fn at<'a>(
        &'a self,
        params: &'a IxVec<ParamIx, f64>,
        t: usize,
    ) -> &'a IxVec<ParamIx, f64> {
        if self.active {
            &self.rows[t]
        } else {
            params
        }
    }
}

/// Scratch space for one draw, sized once per model.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Parameter values of the current draw (fixed ones set once).
    pub params: IxVec<ParamIx, f64>,
    /// Each uncertain parameter's sensitivity bin: which of `SENSITIVITY_BINS`
    /// equal-probability slices of its distribution this draw's value fell in.
    pub bins: IxVec<DimIx, u8>,
    /// The uniforms the parameters are drawn from (after the copula). Normal parameters
    /// are drawn from their normal score instead (`Inputs`); their entry still holds
    /// the uniform before the copula and is not read.
    pub(super) uniforms: IxVec<DimIx, f64>,
    /// Target outcomes (NaN for unmodeled targets).
    pub outcomes: IxVec<TargetIx, f64>,
    /// Series values at each target's baseline year.
    pub baselines: IxVec<TargetIx, f64>,
    /// Series values, `series[k·Y + t]`. After `draw_outcomes`, only the years the
    /// targets read are current.
    pub series: Vec<f64>,
    /// Correlated standard normal scores of the copula's dimensions.
    pub(super) z_corr: IxVec<CopulaIx, f64>,
    /// This draw's standard normals, in the order the simulation consumes them.
    pub(super) normals: Vec<f64>,
    /// Scratch of the observation pins: which cells a finer observation has fixed.
    pub(super) pin_fixed: Vec<bool>,
    /// Outcomes of the same draw with no policy response acting (scenarios with
    /// responses only).
    pub free_outcomes: IxVec<TargetIx, f64>,
    /// What each policy response did in this draw.
    pub responses: Vec<ResponseDraw>,
    /// Parameter values by year once a response has shifted some.
    pub(super) years: YearParams,
    /// Scratch: the watched series of a response, by year.
    pub(super) watched: Vec<f64>,
    pub(super) st: State,
    pub(super) plan: Plan,
    /// The stages `draw_outcomes` (`[0]`) and `draw` (`[1]`) simulate.
    pub(super) stages: [Stages; 2],
}

impl Workspace {
    /// A workspace for drawing `m`.
    pub fn new(m: &Model) -> Workspace {
        let (r, s, c, y) = (m.regions.len(), m.sectors.len(), m.cells(), m.years());
        // Fixed parameters are set once, here.
        let params = m
            .params
            .iter()
            .map(|p| {
                if p.dist.is_fixed() {
                    p.dist.inverse_cdf(0.5)
                } else {
                    0.0
                }
            })
            .collect();
        let correlated = m.copula.as_ref().map_or(0, |c| c.dims.len());
        let plan = Plan::new(m);
        let needed = plan.needed.iter().map(|n| &plan.series[n.series.0]);
        let stages = [
            Stages::new(m, needed, &plan.pins),
            Stages::new(m, plan.series.iter(), &plan.pins),
        ];
        Workspace {
            params,
            bins: IxVec::filled(0, m.uncertain.len()),
            uniforms: IxVec::filled(0.0, m.uncertain.len()),
            outcomes: IxVec::filled(f64::NAN, m.targets.len()),
            baselines: IxVec::filled(f64::NAN, m.targets.len()),
            series: vec![0.0; m.series.len() * y],
            z_corr: IxVec::filled(0.0, correlated),
            normals: vec![0.0; normals_per_draw(m)],
            pin_fixed: vec![false; c],
            free_outcomes: IxVec::filled(
                f64::NAN,
                if m.responses.is_empty() {
                    0
                } else {
                    m.targets.len()
                },
            ),
            responses: vec![ResponseDraw::default(); m.responses.len()],
            years: YearParams {
                rows: Vec::new(),
                active: false,
            },
            watched: vec![0.0; y],
            st: State {
                region_shock: vec![0.0; y],
                shock_layout: vec![0.0; (y - 1) * plan.shocks.layout],
                va: vec![0.0; c * y],
                energy: vec![0.0; c * y],
                va_region: vec![0.0; r * y],
                va_sector: vec![0.0; s * y],
                va_total: vec![0.0; y],
                en_region: vec![0.0; r * y],
                en_sector: vec![0.0; s * y],
                en_total: vec![0.0; y],
                capacity: vec![0.0; m.capacity.len() * CAPACITY_FIELDS * y],
                capacity_factor: vec![0.0; m.capacity.len() * y],
                derived: vec![0.0; m.derived.len() * r * y],
                derived_total: vec![0.0; m.derived.len() * y],
                indicators: vec![0.0; m.indicators.len() * y],
            },
            plan,
            stages,
        }
    }

    /// What the last draw produced, as the accumulator and the conditions read it.
    pub fn drawn(&self) -> Drawn<'_> {
        Drawn::new(
            &self.params,
            &self.bins,
            &self.outcomes,
            &self.baselines,
            &self.series,
            self.plan.years,
        )
        .with_responses(&self.free_outcomes, &self.responses)
    }
}

/// Number of standard normals one draw consumes from its shock stream.
pub fn normals_per_draw(m: &Model) -> usize {
    let derived: usize = m.derived.iter().map(|d| d.regions.len()).sum();
    (m.years() - 1) * (ShockSlots::new(m).drawn + derived + m.indicators.len())
}
