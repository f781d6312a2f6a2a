//! What an include must be: an included file of one region over the same years that
//! includes nothing, a valid prefix, every sector mapped onto existing ones, derived
//! series that exist on both sides with positive scales.

use crate::diag::Diagnostic;
use crate::scenario::spec::{IncludeSpec, NationalSpec, ScenarioSpec};

/// Problems of one include, each named by its key path in the including file.
pub(super) struct Problems {
    pub(super) at: String,
    pub(super) out: Vec<Diagnostic>,
}

impl Problems {
    pub(super) fn push(&mut self, key: &str, message: String, hint: &str) {
        let path = if key.is_empty() {
            self.at.clone()
        } else {
            format!("{}.{key}", self.at)
        };
        self.out
            .push(Diagnostic::new(message).with_hint(hint).at_key(path));
    }
}

/// The included file must be one region over the same years, and include nothing.
pub(super) fn check_child(
    spec: &ScenarioSpec,
    inc: &IncludeSpec,
    child: &ScenarioSpec,
    p: &mut Problems,
) -> bool {
    let mut ok = true;
    if child.regions.len() != 1 {
        p.push("file", format!("`{}` has {} regions; an included scenario has one", inc.file, child.regions.len()), "include a provincial scenario (one region); a scenario of several regions can be the parent (`extends`) instead");
        ok = false;
    }
    if !child.include.is_empty() {
        p.push(
            "file",
            format!("`{}` includes other scenarios itself", inc.file),
            "include the provinces directly in this file",
        );
        ok = false;
    }
    let (a, b) = (&spec.scenario, &child.scenario);
    if (a.base_year, a.horizon) != (b.base_year, b.horizon) {
        p.push(
            "file",
            format!(
                "`{}` runs {}–{}, this scenario {}–{}",
                inc.file, b.base_year, b.horizon, a.base_year, a.horizon
            ),
            "a province is composed into a nation over the same plan period",
        );
        ok = false;
    }
    if !valid_prefix(&inc.prefix) {
        p.push(
            "prefix",
            format!(
                "prefix `{}` must be letters, digits and underscores",
                inc.prefix
            ),
            "e.g. prefix = \"ha\" for Henan",
        );
        ok = false;
    }
    ok
}

fn valid_prefix(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Every sector of the included file is mapped, onto sectors of this scenario.
pub(super) fn check_sector_map(
    spec: &ScenarioSpec,
    inc: &IncludeSpec,
    child: &ScenarioSpec,
    p: &mut Problems,
) {
    let parent: Vec<&str> = spec.sectors.iter().map(|s| s.id.as_str()).collect();
    for s in &child.sectors {
        if !inc.sectors.contains_key(&s.id) {
            p.push("sectors", format!("sector `{}` of `{}` is not mapped", s.id, inc.file), "say how each of its sectors counts nationally: a sector id here, a table of weights, or false (not in national totals)");
        }
    }
    for (k, v) in &inc.sectors {
        if !child.sectors.iter().any(|s| s.id == *k) {
            p.push(
                &format!("sectors.{k}"),
                format!("`{}` has no sector `{k}`", inc.file),
                "map the included file's own sector ids",
            );
        }
        let targets: Vec<&String> = match v {
            NationalSpec::As(t) => vec![t],
            NationalSpec::Split(w) => w.keys().collect(),
            NationalSpec::Counted(_) => vec![],
        };
        for t in targets {
            if !parent.contains(&t.as_str()) {
                p.push(
                    &format!("sectors.{k}"),
                    format!("unknown sector `{t}`"),
                    &format!("map onto this scenario's sectors: {}", parent.join(", ")),
                );
            }
        }
    }
    for (k, &x) in &inc.derived {
        if !child.derived.iter().any(|d| d.id == *k) {
            p.push(
                &format!("derived.{k}"),
                format!("`{}` has no derived series `{k}`", inc.file),
                "name the included file's own derived series",
            );
        } else if !spec.derived.iter().any(|d| d.id == *k) {
            p.push(
                &format!("derived.{k}"),
                format!("this scenario has no derived series `{k}` to add it into"),
                "a province's series adds into the national series of the same id",
            );
        }
        if !(x.is_finite() && x > 0.0) {
            p.push(
                &format!("derived.{k}"),
                format!("scale {x} must be a positive number"),
                "national units per unit of the province's series",
            );
        }
    }
}
