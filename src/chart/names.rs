//! The file names of a run's chart set, relative to the chart directory: one place that
//! [`super::draw_all`] writes by and that readers of the set (the HTML report) look
//! charts up by, so the two cannot drift apart.

use super::tornado;
use crate::report::summary::Summary;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Every target's P(hit) with its interval.
pub const DASHBOARD: &str = "dashboard.png";
/// Region × target P(hit) (multi-region scenarios).
pub const HEATMAP: &str = "heatmap.png";
/// P(hit) by lead agency.
pub const AGENCY: &str = "agency.png";
/// All tornado panels on one sheet.
pub const TORNADO_SHEET: &str = "tornado.png";
/// Running P(hit) of the riskiest targets.
pub const CONVERGENCE: &str = "convergence.png";
/// P(hit) with and without the policy responses (scenarios with responses).
pub const RESPONSES: &str = "responses.png";
/// P(hit) as of each year up to the last observation (runs with observations).
pub const BAROMETER: &str = "barometer.png";

/// The per-target and per-series charts of one run, in drawing order, each as
/// (target id or series key, path relative to the chart directory).
#[derive(Debug, Clone, Default)]
pub struct ChartNames {
    /// `targets/<id>.png`, one per modeled target.
    pub targets: Vec<(String, PathBuf)>,
    /// `fans/<series>.png`, one per fan in the summary.
    pub fans: Vec<(String, PathBuf)>,
    /// `tornado/<id>.png`, one per target with sensitivity rows.
    pub tornado: Vec<(String, PathBuf)>,
}

impl ChartNames {
    /// The outcome distribution chart of target `id`.
    pub fn target(&self, id: &str) -> Option<&Path> {
        find(&self.targets, id)
    }

    /// The fan chart of series `key`.
    pub fn fan(&self, key: &str) -> Option<&Path> {
        find(&self.fans, key)
    }

    /// The tornado chart of target `id`.
    pub fn tornado(&self, id: &str) -> Option<&Path> {
        find(&self.tornado, id)
    }
}

fn find<'a>(list: &'a [(String, PathBuf)], key: &str) -> Option<&'a Path> {
    list.iter()
        .find(|(k, _)| k == key)
        .map(|(_, p)| p.as_path())
}

/// The names [`super::draw_all`] gives the per-target and per-series charts of `summary`.
pub fn chart_names(summary: &Summary) -> ChartNames {
    let mut names = FileNames::default();
    let mut place =
        |dir: &str, key: &str| (key.to_string(), Path::new(dir).join(names.next(dir, key)));
    let targets = summary
        .targets
        .iter()
        .filter(|t| t.is_modeled())
        .map(|t| place("targets", &t.id))
        .collect();
    let fans = summary
        .fans
        .iter()
        .map(|f| place("fans", &f.series))
        .collect();
    let tornado = tornado::panels(summary)
        .iter()
        .map(|p| place("tornado", &p.target))
        .collect();
    ChartNames {
        targets,
        fans,
        tornado,
    }
}

/// A file name made from `id`: ASCII letters, digits, `-`, `_` and `.` are kept, anything
/// else becomes `_`; never empty, never starting with a dot, at most 100 bytes.
pub fn sanitize_file_name(id: &str) -> String {
    let mut s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    while s.starts_with('.') {
        s.replace_range(0..1, "_");
    }
    if s.trim_matches('_').is_empty() {
        s = format!("chart{s}");
    }
    s
}

/// Hands out distinct PNG file names per sub-directory, so that two ids that sanitise to
/// the same name do not overwrite each other.
#[derive(Default)]
pub(super) struct FileNames {
    used: HashSet<String>,
}

impl FileNames {
    pub(super) fn next(&mut self, dir: &str, id: &str) -> String {
        let base = sanitize_file_name(id);
        let mut name = format!("{base}.png");
        let mut k = 2;
        while !self
            .used
            .insert(format!("{dir}/{}", name.to_ascii_lowercase()))
        {
            name = format!("{base}-{k}.png");
            k += 1;
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_distinct() {
        assert_eq!(sanitize_file_name("energy:steel@GD"), "energy_steel_GD");
        assert_eq!(sanitize_file_name("../etc/passwd"), "_._etc_passwd");
        assert_eq!(sanitize_file_name("钢铁"), "chart__");
        assert_eq!(sanitize_file_name(""), "chart");
        let mut n = FileNames::default();
        assert_eq!(n.next("t", "a/b"), "a_b.png");
        assert_eq!(n.next("t", "a:b"), "a_b-2.png");
        assert_eq!(n.next("u", "a:b"), "a_b.png");
    }
}
