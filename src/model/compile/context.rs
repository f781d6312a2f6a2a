//! The compiler's state and the helpers every part of it shares: collecting problems
//! (each named by the key path of the value at fault), naming unknown references, and
//! writing numbers as a person would.

use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::scenario::spec::ScenarioSpec;
use std::collections::{HashMap, HashSet};

/// A scenario being compiled and the problems found so far.
pub(super) struct Compiler<'a> {
    pub(super) spec: &'a ScenarioSpec,
    pub(super) problems: Diagnostics,
    /// Whether base_year..horizon is a usable span of years. When it is not, checks that
    /// compare other years with it are skipped: they would only repeat the one mistake.
    pub(super) years_ok: bool,
    /// Parameters whose distribution is invalid (reported once, not again where used).
    pub(super) bad_params: HashSet<String>,
    /// Each valid parameter's support (lowest, highest value it can draw), checked
    /// against the range of every place the parameter is used.
    pub(super) supports: HashMap<String, (f64, f64)>,
    /// Which (region, sector) cells exist and which regions each derived series is
    /// defined in, so a series name cannot read one that does not (set once the economy
    /// is compiled).
    pub(super) present: Presence,
}

/// The cells and the derived series' regions that exist.
#[derive(Debug, Default)]
pub(super) struct Presence {
    pub(super) cells: HashSet<(usize, usize)>,
    pub(super) derived: Vec<Vec<usize>>,
}

/// Largest magnitude accepted for a parameter's numbers (amounts in the units of a plan
/// are far smaller; beyond this differences such as max - min overflow).
pub(super) const MAX_MAGNITUDE: f64 = 1e15;

/// A number as a person would write it: at most 6 decimals, no float noise
/// (0.9500000000000001 → 0.95).
pub(super) fn num(x: f64) -> String {
    if x.is_finite() && x.abs() < 1e15 && (x == 0.0 || x.abs() >= 1e-6) {
        format!("{}", (x * 1e6).round() / 1e6)
    } else if x.is_finite() {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Whether `s` is a plain identifier: letters, digits and underscores.
pub(super) fn valid_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl<'a> Compiler<'a> {
    pub(super) fn new(spec: &'a ScenarioSpec) -> Self {
        Compiler {
            spec,
            problems: Diagnostics::new(),
            years_ok: true,
            bad_params: HashSet::new(),
            present: Presence::default(),
            supports: HashMap::new(),
        }
    }

    /// Records a problem with the value at key path `path`.
    pub(super) fn problem(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.problems
            .push(Diagnostic::new(message).with_hint(hint).at_key(path));
    }

    /// Records a reference to a `kind` named `name` that does not exist among `known`.
    pub(super) fn unknown(&mut self, path: &str, kind: &str, name: &str, known: &[String]) {
        let hint = match did_you_mean(name, known.iter().map(String::as_str)) {
            Some(b) => format!("did you mean `{b}`?"),
            None if known.is_empty() => format!("the scenario defines no {kind}s"),
            None => format!("known {kind}s: {}", known.join(", ")),
        };
        self.problem(path, format!("unknown {kind} `{name}`"), hint);
    }
}
