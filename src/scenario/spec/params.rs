//! `[params.<name>]` and `[correlation]`: the parameters a run draws (their
//! distribution families and fields) and the rank correlations between them.

use serde::Deserialize;

/// Distribution family names accepted in `dist = "..."`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistKind {
    /// A number, not uncertain (`value`).
    Fixed,
    /// Normal (`mean`, `sd`, or `p5`, `p95`).
    Normal,
    /// Lognormal (`mu`, `sigma`, or `p5`, `p95`).
    Lognormal,
    /// Uniform on [`min`, `max`].
    Uniform,
    /// Triangular (`min`, `mode`, `max`).
    Triangular,
    /// Beta-PERT (`min`, `mode`, `max`, optional `lambda`).
    Pert,
    /// Normal truncated to [`min`, `max`] (`mean`, `sd`, `min`, `max`).
    Truncnormal,
    /// Beta scaled to [`min`, `max`] (`alpha`, `beta`).
    Beta,
    /// Student t (`df`, `loc`, `scale`).
    StudentT,
    /// Values with weights (`values`, `weights`).
    Discrete,
}

impl DistKind {
    /// The name as written in `dist = "..."`.
    pub fn name(self) -> &'static str {
        match self {
            DistKind::Fixed => "fixed",
            DistKind::Normal => "normal",
            DistKind::Lognormal => "lognormal",
            DistKind::Uniform => "uniform",
            DistKind::Triangular => "triangular",
            DistKind::Pert => "pert",
            DistKind::Truncnormal => "truncnormal",
            DistKind::Beta => "beta",
            DistKind::StudentT => "student_t",
            DistKind::Discrete => "discrete",
        }
    }
}

/// One named uncertain parameter. Fields are flat so every field error has its own
/// location; `validate` checks that the fields match the family.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    /// The distribution family.
    pub dist: Option<DistKind>,
    /// Value of a fixed parameter.
    pub value: Option<f64>,
    /// Mean (normal, truncated normal).
    pub mean: Option<f64>,
    /// Standard deviation (normal, truncated normal).
    pub sd: Option<f64>,
    /// 5th percentile (normal, lognormal given by percentiles).
    pub p5: Option<f64>,
    /// 95th percentile (normal, lognormal given by percentiles).
    pub p95: Option<f64>,
    /// Mean of the logarithm (lognormal).
    pub mu: Option<f64>,
    /// Standard deviation of the logarithm (lognormal).
    pub sigma: Option<f64>,
    /// Smallest value (uniform, triangular, PERT, truncated normal, beta).
    pub min: Option<f64>,
    /// Largest value (uniform, triangular, PERT, truncated normal, beta).
    pub max: Option<f64>,
    /// Most likely value (triangular, PERT).
    pub mode: Option<f64>,
    /// PERT shape (4 when not given).
    pub lambda: Option<f64>,
    /// First shape (beta).
    pub alpha: Option<f64>,
    /// Second shape (beta).
    pub beta: Option<f64>,
    /// Degrees of freedom (Student t).
    pub df: Option<f64>,
    /// Location (Student t).
    pub loc: Option<f64>,
    /// Scale (Student t).
    pub scale: Option<f64>,
    /// The possible values (discrete).
    pub values: Option<Vec<f64>>,
    /// Their weights (discrete).
    pub weights: Option<Vec<f64>>,
    /// The prior before the outside view: the distribution `--inside-view` uses instead.
    #[serde(default)]
    pub inside_view: Option<Box<ParamSpec>>,
    /// English name.
    #[serde(default)]
    pub name: String,
    /// Chinese name (中文名).
    #[serde(default)]
    pub name_zh: String,
    /// Unit code (`100m_yuan`, `percent`, …).
    #[serde(default)]
    pub unit: String,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    #[serde(default)]
    pub source: String,
}

impl ParamSpec {
    /// The numeric fields by their file names, in the order the format documents them.
    pub fn numbers(&self) -> [(&'static str, Option<f64>); 16] {
        [
            ("value", self.value),
            ("mean", self.mean),
            ("sd", self.sd),
            ("p5", self.p5),
            ("p95", self.p95),
            ("mu", self.mu),
            ("sigma", self.sigma),
            ("min", self.min),
            ("max", self.max),
            ("mode", self.mode),
            ("lambda", self.lambda),
            ("alpha", self.alpha),
            ("beta", self.beta),
            ("df", self.df),
            ("loc", self.loc),
            ("scale", self.scale),
        ]
    }
}

/// `[correlation]`: a rank-correlation matrix over some parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrelationSpec {
    /// The correlated parameters, in the order of the matrix rows.
    pub params: Vec<String>,
    /// The correlation matrix, one row per parameter.
    pub matrix: Vec<Vec<f64>>,
    /// Where the numbers come from: the document's verbatim 「quote」 or `assumption: …` with a reason.
    #[serde(default)]
    pub source: String,
}
