//! The file names of a run's chart set, relative to the chart directory: one place that
//! [`super::draw_all`] writes by and that readers of the set (the HTML report) look
//! charts up by, so the two cannot drift apart.

use super::{tornado, FileNames};
use crate::report::summary::Summary;
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
