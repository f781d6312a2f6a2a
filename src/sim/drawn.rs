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
    /// Each target's outcome with no policy response acting (scenarios with responses).
    pub free_outcomes: Option<&'a IxVec<TargetIx, f64>>,
    /// What each policy response did.
    pub responses: &'a [ResponseDraw],
}

/// What one policy response did in one draw.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ResponseDraw {
    /// Extra annual pace of the watched quantity in force at the end (progress units
    /// per year: log points for relative targets).
    pub effort: f64,
    /// The first trigger year (index) at whose end it fired, if any.
    pub first: Option<usize>,
    /// Whether its cap cut the effort at some trigger.
    pub capped: bool,
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
            free_outcomes: None,
            responses: &[],
        }
    }

    /// The same view with what the policy responses did: the outcomes without them
    /// and each response's record.
    pub fn with_responses(
        self,
        free_outcomes: &'a IxVec<TargetIx, f64>,
        responses: &'a [ResponseDraw],
    ) -> Self {
        Drawn {
            free_outcomes: Some(free_outcomes),
            responses,
            ..self
        }
    }

    /// The values of series `s` in every year. Only the years targets read are current
    /// after an outcome-only draw (`kernel::draw_outcomes`).
    #[inline]
    pub fn series(&self, s: SeriesIx) -> &'a [f64] {
        &self.series[s.0 * self.years..(s.0 + 1) * self.years]
    }
}
