//! A parameter's fields → its `Distribution`: which fields each `dist` takes, and the
//! validated constructor's error, which names the argument at fault, turned into a
//! diagnostic on that field with a hint.

use super::context::{num, MAX_MAGNITUDE};
use crate::diag::Diagnostic;
use crate::model::dist::{Arg, DistError, Distribution};
use crate::scenario::spec::{DistKind, ParamSpec};
use std::collections::BTreeSet;

/// The distribution as the file writes it: `pert(min = 0.6, mode = 0.9, max = 1.05)`,
/// fields in the documented order, numbers in their shortest exact form.
pub fn param_law(p: &ParamSpec) -> String {
    let kind = p.dist.map_or("?", DistKind::name);
    let list = |v: &[f64]| {
        let items: Vec<String> = v.iter().map(|x| x.to_string()).collect();
        format!("[{}]", items.join(", "))
    };
    let mut args: Vec<String> = p
        .numbers()
        .iter()
        .filter_map(|(f, v)| v.map(|v| format!("{f} = {v}")))
        .collect();
    for (f, v) in [("values", &p.values), ("weights", &p.weights)] {
        if let Some(v) = v {
            args.push(format!("{f} = {}", list(v)));
        }
    }
    format!("{kind}({})", args.join(", "))
}

/// A problem with the field `field` of a parameter.
fn bad(
    field: impl Into<String>,
    message: impl Into<String>,
    hint: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(message).with_hint(hint).at_key(field)
}

/// The distribution a parameter's fields describe, or the problem with them; the
/// problem's key is the field at fault (`sd`, `values[2]`, or `dist`).
pub fn param_distribution(p: &ParamSpec) -> Result<Distribution, Diagnostic> {
    let Some(kind) = p.dist else {
        return Err(bad("dist", "no `dist` given", "add e.g. dist = \"normal\" with mean and sd, or dist = \"fixed\" with value; docs/scenario-format.md lists them all"));
    };
    let percentile_form = p.p5.is_some() || p.p95.is_some();
    let (allowed, required) = family_fields(kind, percentile_form);
    check_fields(p, kind.name(), allowed, required)?;
    check_numbers(p)?;
    check_shapes(p, kind)?;
    construct(p, kind, percentile_form).map_err(|e| {
        let takes = format!("{} takes {}", kind.name(), allowed.join(", "));
        bad(e.arg().name(), e.to_string(), dist_hint(e, takes))
    })
}

/// The fields a family takes, and those it needs.
fn family_fields(
    kind: DistKind,
    percentile_form: bool,
) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        DistKind::Fixed => (&["value"], &["value"]),
        DistKind::Normal if percentile_form => (&["p5", "p95"], &["p5", "p95"]),
        DistKind::Normal => (&["mean", "sd"], &["mean", "sd"]),
        DistKind::Lognormal if percentile_form => (&["p5", "p95"], &["p5", "p95"]),
        DistKind::Lognormal => (&["mu", "sigma"], &["mu", "sigma"]),
        DistKind::Uniform => (&["min", "max"], &["min", "max"]),
        DistKind::Triangular => (&["min", "mode", "max"], &["min", "mode", "max"]),
        DistKind::Pert => (&["min", "mode", "max", "lambda"], &["min", "mode", "max"]),
        DistKind::Truncnormal => (&["mean", "sd", "min", "max"], &["mean", "sd", "min", "max"]),
        DistKind::Beta => (&["alpha", "beta", "min", "max"], &["alpha", "beta"]),
        DistKind::StudentT => (&["df", "loc", "scale"], &["df", "loc", "scale"]),
        DistKind::Discrete => (&["values", "weights"], &["values", "weights"]),
    }
}

/// No field the family does not take, none it needs missing.
fn check_fields(
    p: &ParamSpec,
    kind_name: &str,
    allowed: &[&str],
    required: &[&str],
) -> Result<(), Diagnostic> {
    let fields = p
        .numbers()
        .map(|(f, v)| (f, v.is_some()))
        .into_iter()
        .chain([
            ("values", p.values.is_some()),
            ("weights", p.weights.is_some()),
        ]);
    let mut present = BTreeSet::new();
    for (f, is_there) in fields {
        if is_there && !allowed.contains(&f) {
            return Err(bad(
                f,
                format!("`{f}` is not a field of dist = \"{kind_name}\""),
                format!("{kind_name} takes {}", allowed.join(", ")),
            ));
        }
        if is_there {
            present.insert(f);
        }
    }
    if let Some(missing) = required.iter().find(|f| !present.contains(**f)) {
        return Err(bad(
            "dist",
            format!("dist = \"{kind_name}\" needs `{missing}`"),
            format!("{kind_name} takes {}", allowed.join(", ")),
        ));
    }
    Ok(())
}

/// Every number finite (nan and inf are valid TOML floats but never valid arguments)
/// and of a plausible size.
fn check_numbers(p: &ParamSpec) -> Result<(), Diagnostic> {
    let numbers = p.numbers();
    if let Some((f, v)) = numbers
        .iter()
        .find_map(|(f, v)| v.filter(|x| !x.is_finite()).map(|x| (*f, x)))
    {
        return Err(bad(
            f,
            format!("`{f}` = {v} is not a finite number"),
            "nan and inf are not values; write an ordinary number",
        ));
    }
    for (f, list) in [("values", &p.values), ("weights", &p.weights)] {
        if let Some(j) = list
            .as_ref()
            .and_then(|l| l.iter().position(|x| !x.is_finite()))
        {
            return Err(bad(
                format!("{f}[{j}]"),
                format!("entry {} of `{f}` is not a finite number", j + 1),
                "nan and inf are not values; write an ordinary number",
            ));
        }
    }
    // Finite but absurd values: they overflow (max - min = inf) or make the tabulated
    // quantile functions of the beta family and Student t run for minutes.
    if let Some((f, v)) = numbers
        .iter()
        .find_map(|(f, v)| v.filter(|x| x.abs() > MAX_MAGNITUDE).map(|x| (*f, x)))
    {
        return Err(bad(
            f,
            format!("`{f}` = {v:e} is implausibly large (beyond ±1e15)"),
            "check the number and its unit",
        ));
    }
    Ok(())
}

/// Shape arguments inside the range their quantile functions are tabulated for.
fn check_shapes(p: &ParamSpec, kind: DistKind) -> Result<(), Diagnostic> {
    // (field, value, lowest, highest, hint when too low, hint when too high)
    type Shape<'s> = (&'s str, Option<f64>, f64, f64, &'s str, &'s str);
    const BETA_LOW: &str = "shapes below 0.001 put all the probability at the ends; shapes of uncertain quantities lie between about 0.5 and 100";
    const BETA_HIGH: &str = "shapes of uncertain quantities lie between about 0.5 and 100; for a nearly certain value use dist = \"fixed\"";
    let shapes: &[Shape] = match kind {
        DistKind::Beta => &[("alpha", p.alpha, 1e-3, 1e5, BETA_LOW, BETA_HIGH), ("beta", p.beta, 1e-3, 1e5, BETA_LOW, BETA_HIGH)],
        DistKind::Pert => &[(
            "lambda",
            p.lambda,
            1e-3,
            1e4,
            "lambda must be positive; the classic PERT uses lambda = 4",
            "the classic PERT uses lambda = 4; larger values concentrate the distribution at the mode (for a nearly certain value use dist = \"fixed\")",
        )],
        DistKind::StudentT => &[(
            "df",
            p.df,
            0.1,
            1e6,
            "degrees of freedom below 0.1 have tails too heavy to draw from; 3 to 10 give heavy tails",
            "above about 30 degrees of freedom the t distribution is practically normal: use dist = \"normal\" with mean = loc and sd = scale",
        )],
        DistKind::Lognormal => &[(
            "mu",
            p.mu,
            -100.0,
            100.0,
            "mu is the mean of the logarithm: the median is e^mu, so mu = 0.0 means a median of 1",
            "mu is the mean of the logarithm: the median is e^mu, so mu = 0.0 means a median of 1",
        )],
        _ => &[],
    };
    for &(f, v, lo, hi, low, high) in shapes {
        if let Some(v) = v.filter(|v| !(lo..=hi).contains(v)) {
            return Err(bad(
                f,
                format!(
                    "`{f}` = {} is outside the supported range [{lo}, {hi}]",
                    num(v)
                ),
                if v < lo { low } else { high },
            ));
        }
    }
    Ok(())
}

/// The validated constructor's answer for the fields (checked present above).
fn construct(
    p: &ParamSpec,
    kind: DistKind,
    percentile_form: bool,
) -> Result<Distribution, DistError> {
    let g = |v: Option<f64>| v.unwrap_or(f64::NAN);
    match kind {
        DistKind::Fixed => Distribution::fixed(g(p.value)),
        DistKind::Normal if percentile_form => Distribution::normal_p5_p95(g(p.p5), g(p.p95)),
        DistKind::Normal => Distribution::normal(g(p.mean), g(p.sd)),
        DistKind::Lognormal if percentile_form => Distribution::lognormal_p5_p95(g(p.p5), g(p.p95)),
        DistKind::Lognormal => Distribution::lognormal(g(p.mu), g(p.sigma)),
        DistKind::Uniform => Distribution::uniform(g(p.min), g(p.max)),
        DistKind::Triangular => Distribution::triangular(g(p.min), g(p.mode), g(p.max)),
        DistKind::Pert => {
            Distribution::pert(g(p.min), g(p.mode), g(p.max), p.lambda.unwrap_or(4.0))
        }
        DistKind::Truncnormal => Distribution::truncnormal(g(p.mean), g(p.sd), g(p.min), g(p.max)),
        DistKind::Beta => Distribution::beta(
            g(p.alpha),
            g(p.beta),
            p.min.unwrap_or(0.0),
            p.max.unwrap_or(1.0),
        ),
        DistKind::StudentT => Distribution::student_t(g(p.df), g(p.loc), g(p.scale)),
        DistKind::Discrete => Distribution::discrete(
            p.values.as_deref().unwrap_or(&[]),
            p.weights.as_deref().unwrap_or(&[]),
        ),
    }
}

/// What to do about a constructor's complaint; `takes` lists the family's fields.
fn dist_hint(e: DistError, takes: String) -> String {
    match e {
        DistError::NotPositive { arg, .. } => format!("`{arg}` must be greater than 0; {takes}"),
        DistError::NotOrdered { low: Arg::Min, .. } => "`min` is the smallest possible value and `max` the largest: swap them or correct one".into(),
        DistError::NotOrdered { .. } => "`p5` is the value with a 5% chance of being undershot and `p95` with a 5% chance of being exceeded: p5 < p95".into(),
        DistError::ModeOutside { .. } => "`mode` is the most likely value and lies between `min` and `max`".into(),
        DistError::PercentileNotPositive { .. } => "a lognormal quantity is positive: both percentiles must be > 0 (use normal for quantities that can be negative)".into(),
        DistError::NoValues
        | DistError::LengthMismatch { .. }
        | DistError::NegativeWeight
        | DistError::ZeroWeights
        | DistError::NotFinite { arg: Arg::Values | Arg::Weights, .. } => "give one weight ≥ 0 per value, not all zero".into(),
        DistError::NotFinite { .. } | DistError::NoMass { .. } => takes,
    }
}
