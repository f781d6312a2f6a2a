//! What one draw produced, as everything downstream of the kernel reads it: the
//! accumulator, the `--given` conditions and the pilot see this view of the kernel's
//! workspace, never the workspace itself.

use crate::ix::{DimIx, IxVec, ParamIx, SeriesIx, TargetIx};

/// A view of one draw's results.
#[derive(Debug, Clone, Copy)]
pub struct Drawn<'a> {
    /// Every parameter's value in this draw (fixed ones included).
    pub params: &'a IxVec<ParamIx, f64>,
    /// Each uncertain parameter's sensitivity bin: which of `SENSITIVITY_BINS`
    /// equal-probability slices of its distribution its value fell in.
    pub bins: &'a IxVec<DimIx, u8>,
    /// Each target's outcome (NaN for unmodeled targets).
    pub outcomes: &'a IxVec<TargetIx, f64>,
    /// Each target's series value at its baseline year (NaN for unmodeled targets).
    pub baselines: &'a IxVec<TargetIx, f64>,
    /// Series values, year-major within each series: `series[k·Y + t]`.
    series: &'a [f64],
    years: usize,
}

impl<'a> Drawn<'a> {
    /// The view of a draw whose series values are `series[k·Y + t]` over `years` years.
    pub fn new(
        params: &'a IxVec<ParamIx, f64>,
        bins: &'a IxVec<DimIx, u8>,
        outcomes: &'a IxVec<TargetIx, f64>,
        baselines: &'a IxVec<TargetIx, f64>,
        series: &'a [f64],
        years: usize,
    ) -> Self {
        Drawn {
            params,
            bins,
            outcomes,
            baselines,
            series,
            years,
        }
    }

    /// The values of series `s` in every year. Only the years targets read are current
    /// after an outcome-only draw (`kernel::draw_outcomes`).
    #[inline]
    pub fn series(&self, s: SeriesIx) -> &'a [f64] {
        &self.series[s.0 * self.years..(s.0 + 1) * self.years]
    }
}
