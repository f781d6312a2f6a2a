//! `--given` conditions: "if growth disappoints, what else fails?". A condition tests a
//! parameter's value or a target's outcome in each draw; the report gives P(hit | it).

use super::drawn::Drawn;
use crate::diag::{did_you_mean, Diagnostic};
use crate::ix::{ParamIx, TargetIx};
use crate::model::Model;

/// Comparison in a `--given` condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// What a condition tests: a parameter's value or a target's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A parameter's value.
    Param(ParamIx),
    /// A target's outcome.
    Target(TargetIx),
}

/// A `--given` condition: `name op value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The condition as written.
    pub text: String,
    /// What it tests.
    pub subject: Subject,
    /// The comparison.
    pub op: Op,
    /// The number compared with.
    pub value: f64,
}

impl Condition {
    /// Whether the condition holds in draw `d`.
    #[inline]
    pub fn holds(&self, d: &Drawn<'_>) -> bool {
        let x = match self.subject {
            Subject::Param(p) => d.params[p],
            Subject::Target(t) => d.outcomes[t],
        };
        match self.op {
            Op::Lt => x < self.value,
            Op::Le => x <= self.value,
            Op::Gt => x > self.value,
            Op::Ge => x >= self.value,
        }
    }
}

/// Parses `name op value` (op: <, <=, >, >=), where name is a parameter or target id.
pub fn parse_condition(text: &str, m: &Model) -> Result<Condition, Diagnostic> {
    let ops = [("<=", Op::Le), (">=", Op::Ge), ("<", Op::Lt), (">", Op::Gt)];
    let (pos, len, op) = ops
        .iter()
        .filter_map(|(s, o)| text.find(s).map(|p| (p, s.len(), *o)))
        .min_by_key(|(p, l, _)| (*p, usize::MAX - l))
        .ok_or_else(|| {
            Diagnostic::new(format!("condition `{text}` has no comparison"))
                .with_hint("write e.g. \"g_industry < 0.07\"")
        })?;
    let name = text[..pos].trim();
    let value_text = text[pos + len..].trim();
    let value: f64 = value_text
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| {
            Diagnostic::new(format!(
                "condition `{text}`: `{value_text}` is not a number"
            ))
            .with_hint("compare with a plain number, e.g. \"g_industry < 0.07\"")
        })?;
    let subject = if let Some(p) = m.params.position(|p| p.id == name) {
        Subject::Param(p)
    } else if let Some(t) = m.targets.position(|t| t.id == name && t.eval.is_some()) {
        Subject::Target(t)
    } else {
        let names = m.params.iter().map(|p| p.id.as_str()).chain(
            m.targets
                .iter()
                .filter(|t| t.eval.is_some())
                .map(|t| t.id.as_str()),
        );
        let hint = did_you_mean(name, names)
            .map(|b| format!("did you mean `{b}`?"))
            .unwrap_or_else(|| "use a parameter id or a modeled target id".into());
        return Err(Diagnostic::new(format!(
            "condition `{text}`: `{name}` is neither a parameter nor a modeled target"
        ))
        .with_hint(hint));
    };
    Ok(Condition {
        text: text.trim().to_string(),
        subject,
        op,
        value,
    })
}
