//! The realized-outcomes file of a back-test: a CSV with columns `id,value` and
//! optionally `source` (in any order), one row per target, the value in the target's
//! own metric and unit (e.g. `-19.1` for an energy-intensity change of −19.1%). Every
//! row is either scored or an error naming its line: an unknown or unmodeled target, a
//! value that is not a finite number or that the target's outcome cannot take (a
//! bounded indicator's level outside its bounds, a change below −100%, a negative
//! multiple), a second row for the same target.

use super::csv::{records, Field, Record};
use crate::diag::did_you_mean;
use crate::ix::TargetIx;
use crate::model::{IndicatorKind, Metric, Model, Source, Target};
use std::fmt;

/// One realized outcome, checked against the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Index of the target in `Model::targets`.
    pub target: TargetIx,
    /// The realized outcome.
    pub value: f64,
    /// Where it comes from (the `source` column).
    pub source: String,
    /// Line of the CSV it came from.
    pub line: usize,
}

/// What is wrong with an outcomes file.
#[derive(Debug, Clone, PartialEq)]
pub enum OutcomeProblem {
    /// No header or no data rows.
    Empty,
    /// The header lacks `id` or `value`.
    MissingColumn(&'static str),
    /// A header column other than id, value, source.
    UnknownColumn(String),
    /// A header column given twice.
    DuplicateColumn(String),
    /// A quoted field does not close on its line.
    UnclosedQuote,
    /// A row with a different number of fields than the header.
    FieldCount {
        /// Fields in the header.
        expected: usize,
        /// Fields in the row.
        found: usize,
    },
    /// A row without a target id.
    EmptyId,
    /// An id that names no target of the scenario.
    UnknownTarget {
        /// The id.
        id: String,
        /// The closest target id, if one is close.
        suggestion: Option<String>,
    },
    /// A target the scenario does not model.
    Unmodeled {
        /// The id.
        id: String,
        /// Why it is not modeled.
        reason: String,
    },
    /// A value that is not a number.
    NotANumber(String),
    /// A number the target's outcome cannot take.
    Impossible {
        /// The value as written.
        value: String,
        /// Why the outcome cannot take it.
        reason: String,
    },
    /// A target listed twice.
    DuplicateTarget {
        /// The id.
        id: String,
        /// The line it was first listed on.
        first_line: usize,
    },
}

/// A problem and where it is: 1-based line and column, the line's text and how many
/// characters to underline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeError {
    /// What is wrong.
    pub problem: OutcomeProblem,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Characters to underline.
    pub width: usize,
    /// The line's text.
    pub line_text: String,
}

impl fmt::Display for OutcomeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutcomeProblem::Empty => write!(f, "the outcomes file has no rows"),
            OutcomeProblem::MissingColumn(c) => write!(f, "the header has no `{c}` column"),
            OutcomeProblem::UnknownColumn(c) => write!(f, "unknown column `{c}`"),
            OutcomeProblem::DuplicateColumn(c) => write!(f, "column `{c}` appears twice"),
            OutcomeProblem::UnclosedQuote => write!(f, "a quoted field does not close on its line"),
            OutcomeProblem::FieldCount { expected, found } => {
                write!(f, "this row has {found} fields, the header {expected}")
            }
            OutcomeProblem::EmptyId => write!(f, "the target id is empty"),
            OutcomeProblem::UnknownTarget { id, .. } => {
                write!(
                    f,
                    "unknown target `{id}`: the scenario has no target with this id"
                )
            }
            OutcomeProblem::Unmodeled { id, .. } => {
                write!(
                    f,
                    "target `{id}` is not modeled, so it has no P(hit) to score"
                )
            }
            OutcomeProblem::NotANumber(v) => write!(f, "`{v}` is not a finite number"),
            OutcomeProblem::Impossible { value, reason } => {
                write!(f, "`{value}` is impossible here: {reason}")
            }
            OutcomeProblem::DuplicateTarget { id, first_line } => {
                write!(
                    f,
                    "target `{id}` already has an outcome on line {first_line}"
                )
            }
        }
    }
}

impl OutcomeProblem {
    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            OutcomeProblem::Empty | OutcomeProblem::MissingColumn(_) => {
                "the first line is the header `id,value,source`; then one row per target, e.g. `energy_intensity_above_scale,-19.1,\"statistical communiqué 2016\"`".into()
            }
            OutcomeProblem::UnknownColumn(_) | OutcomeProblem::DuplicateColumn(_) => {
                "the columns are id, value and (optionally) source".into()
            }
            OutcomeProblem::UnclosedQuote => {
                "close the quote; write a quote inside a quoted field as two quotes (\"\")".into()
            }
            OutcomeProblem::FieldCount { .. } => {
                "quote a field that holds a comma: \"a, b\"".into()
            }
            OutcomeProblem::EmptyId => "write the target's id, as in the scenario's [[targets]]".into(),
            OutcomeProblem::UnknownTarget { suggestion, .. } => match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "`planrisk targets <scenario>` lists the target ids".into(),
            },
            OutcomeProblem::Unmodeled { reason, .. } => {
                format!("remove the row (the scenario says why it is not modeled: {reason})")
            }
            OutcomeProblem::NotANumber(_) => {
                "write the realized value in the target's own metric and unit as a plain number, e.g. 72.5 or -19.1 (no % sign, no thousands separator)".into()
            }
            OutcomeProblem::Impossible { .. } => {
                "check the value's unit and metric: the target's own (`planrisk targets <scenario>` shows them), e.g. a share in percent, a change in percent".into()
            }
            OutcomeProblem::DuplicateTarget { .. } => {
                "keep one realized value per target: delete one of the rows".into()
            }
        }
    }
}

fn error(problem: OutcomeProblem, rec: &Record, field: Option<&Field>) -> OutcomeError {
    OutcomeError {
        problem,
        line: rec.line,
        column: field.map_or(1, |f| f.column),
        width: field.map_or(rec.text.chars().count().max(1), |f| f.width),
        line_text: rec.text.clone(),
    }
}

/// Column positions of id, value and source.
struct Columns {
    id: usize,
    value: usize,
    source: Option<usize>,
    count: usize,
}

fn header(rec: &Record) -> Result<Columns, Vec<OutcomeError>> {
    let mut errors = Vec::new();
    let (mut id, mut value, mut source) = (None, None, None);
    for (i, f) in rec.fields.iter().enumerate() {
        let name = f.text.trim();
        let slot = match name {
            "id" => &mut id,
            "value" => &mut value,
            "source" => &mut source,
            _ => {
                errors.push(error(
                    OutcomeProblem::UnknownColumn(name.into()),
                    rec,
                    Some(f),
                ));
                continue;
            }
        };
        if slot.replace(i).is_some() {
            errors.push(error(
                OutcomeProblem::DuplicateColumn(name.into()),
                rec,
                Some(f),
            ));
        }
    }
    for (name, col) in [("id", id), ("value", value)] {
        if col.is_none() {
            errors.push(error(OutcomeProblem::MissingColumn(name), rec, None));
        }
    }
    match (id, value) {
        (Some(id), Some(value)) if errors.is_empty() => Ok(Columns {
            id,
            value,
            source,
            count: rec.fields.len(),
        }),
        _ => Err(errors),
    }
}

fn number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Reads the outcomes in `text` against the targets of `model`; every problem found is
/// returned, each with its line.
pub fn read_outcomes(text: &str, model: &Model) -> Result<Vec<Outcome>, Vec<OutcomeError>> {
    let (recs, unclosed) = records(text);
    let mut errors: Vec<OutcomeError> = unclosed
        .into_iter()
        .map(|u| OutcomeError {
            problem: OutcomeProblem::UnclosedQuote,
            line: u.line,
            column: u.column,
            width: 1,
            line_text: u.text,
        })
        .collect();
    let Some((head, rows)) = recs.split_first() else {
        errors.push(OutcomeError {
            problem: OutcomeProblem::Empty,
            line: 1,
            column: 1,
            width: 1,
            line_text: String::new(),
        });
        return Err(errors);
    };
    let cols = match header(head) {
        Ok(c) => c,
        Err(mut e) => {
            errors.append(&mut e);
            return Err(errors);
        }
    };
    if rows.is_empty() && errors.is_empty() {
        errors.push(error(OutcomeProblem::Empty, head, None));
    }
    let mut seen: Vec<(TargetIx, usize)> = Vec::new();
    let mut out = Vec::new();
    for rec in rows {
        match row(rec, &cols, model, &seen) {
            Ok(o) => {
                seen.push((o.target, o.line));
                out.push(o);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort_by_key(|e| (e.line, e.column));
        Err(errors)
    }
}

/// One data row checked: its target known, modeled and not seen before, its value a
/// finite number.
fn row(
    rec: &Record,
    cols: &Columns,
    model: &Model,
    seen: &[(TargetIx, usize)],
) -> Result<Outcome, Vec<OutcomeError>> {
    if rec.fields.len() != cols.count {
        let problem = OutcomeProblem::FieldCount {
            expected: cols.count,
            found: rec.fields.len(),
        };
        return Err(vec![error(problem, rec, None)]);
    }
    let mut errors = Vec::new();
    let id_field = &rec.fields[cols.id];
    let id = id_field.text.trim();
    let target = if id.is_empty() {
        errors.push(error(OutcomeProblem::EmptyId, rec, Some(id_field)));
        None
    } else {
        match model.targets.position(|t| t.id == id) {
            None => {
                let suggestion =
                    did_you_mean(id, model.targets.iter().map(|t| t.id.as_str())).map(String::from);
                let p = OutcomeProblem::UnknownTarget {
                    id: id.into(),
                    suggestion,
                };
                errors.push(error(p, rec, Some(id_field)));
                None
            }
            Some(t) if model.targets[t].eval.is_none() => {
                let p = OutcomeProblem::Unmodeled {
                    id: id.into(),
                    reason: model.targets[t].reason.clone().unwrap_or_default(),
                };
                errors.push(error(p, rec, Some(id_field)));
                None
            }
            Some(t) => match seen.iter().find(|(s, _)| *s == t) {
                Some(&(_, first_line)) => {
                    let p = OutcomeProblem::DuplicateTarget {
                        id: id.into(),
                        first_line,
                    };
                    errors.push(error(p, rec, Some(id_field)));
                    None
                }
                None => Some(t),
            },
        }
    };
    let value_field = &rec.fields[cols.value];
    let value = number(&value_field.text);
    let reason = match (target, value) {
        (Some(t), Some(v)) => impossible(model, &model.targets[t], v),
        _ => None,
    };
    if value.is_none() {
        let p = OutcomeProblem::NotANumber(value_field.text.trim().into());
        errors.push(error(p, rec, Some(value_field)));
    } else if let Some(reason) = reason {
        let p = OutcomeProblem::Impossible {
            value: value_field.text.trim().into(),
            reason,
        };
        errors.push(error(p, rec, Some(value_field)));
    }
    match (target, value) {
        (Some(target), Some(value)) if errors.is_empty() => Ok(Outcome {
            target,
            value,
            source: cols
                .source
                .map(|c| rec.fields[c].text.trim().to_string())
                .unwrap_or_default(),
            line: rec.line,
        }),
        _ => Err(errors),
    }
}

/// Why `target`'s outcome cannot be `value`, if it cannot: the level of a bounded
/// indicator outside its bounds (a realized value may sit on a bound, the simulated
/// paths stay strictly inside), a change or annual growth below −100%, a negative
/// multiple. Other values are left to the user: a surprising outcome is still an outcome.
fn impossible(model: &Model, target: &Target, value: f64) -> Option<String> {
    let e = target.eval.as_ref()?;
    let def = &model.series[e.series];
    match target.metric {
        Metric::Level | Metric::Share => match def.num {
            Source::Indicator(i) if def.den.is_none() => {
                let ind = &model.indicators[i];
                let outside =
                    ind.kind == IndicatorKind::Bounded && !(ind.lower..=ind.upper).contains(&value);
                outside.then(|| {
                    format!(
                        "indicator `{}` lies between {} and {}",
                        ind.id, ind.lower, ind.upper
                    )
                })
            }
            _ => None,
        },
        Metric::ChangePct | Metric::Cagr if value < -100.0 => {
            Some("a quantity cannot fall by more than 100%".into())
        }
        Metric::Multiple if value < 0.0 => {
            Some("a multiple of a positive level cannot be negative".into())
        }
        _ => None,
    }
}
