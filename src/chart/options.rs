//! The settings every chart takes (label language) and the one error type of drawing.

use plotters::prelude::DrawingAreaErrorKind;
use std::fmt;
use std::path::PathBuf;

/// Language of the labels on the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese only.
    Zh,
    /// English only.
    En,
    /// Chinese and English together.
    #[default]
    Both,
}

/// How charts are drawn.
#[derive(Debug, Clone, Default)]
pub struct ChartOptions {
    /// Language of the labels.
    pub lang: Lang,
}

/// Why a chart could not be written.
#[derive(Debug)]
pub enum ChartError {
    /// Creating a directory, or writing or renaming a file, failed.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The embedded font could not be registered.
    Font(String),
    /// The drawing backend reported an error (or panicked) while drawing a chart.
    Draw {
        /// The chart being drawn.
        chart: String,
        /// What the backend said.
        message: String,
    },
    /// The input cannot be charted at all (for example no runs to compare).
    Input(String),
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            ChartError::Font(m) => write!(f, "chart font: {m}"),
            ChartError::Draw { chart, message } => write!(f, "drawing {chart}: {message}"),
            ChartError::Input(m) => write!(f, "chart input: {m}"),
        }
    }
}

impl std::error::Error for ChartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ChartError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw {
            chart: String::new(),
            message: e.to_string(),
        }
    }
}
