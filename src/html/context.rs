//! What every section of a report reads ([`Ctx`]: the summary, the language, element
//! ids, the pictures), the charts shrunk for the page ([`Pictures`]), and why a report
//! could not be made ([`HtmlError`]).

use super::escape::Esc;
use super::image::{self, Picture};
use super::words::l;
use crate::chart::{ChartNames, Lang};
use crate::report::summary::Summary;
use std::collections::HashMap;
use std::fmt;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Why a report could not be made.
#[derive(Debug)]
pub enum HtmlError {
    /// A chart's bytes are not a PNG that can be decoded (path relative to the charts).
    Chart {
        /// The chart, relative to the chart directory.
        path: PathBuf,
        /// What the decoder said.
        message: String,
    },
}

impl fmt::Display for HtmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HtmlError::Chart { path, message } => {
                write!(
                    f,
                    "chart {} is not a readable PNG: {message}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for HtmlError {}

/// Looks up a chart's PNG bytes by its path relative to the chart directory; `None`
/// when the run has no such chart (e.g. it ran with `--no-charts`).
pub type ChartLookup<'a> = &'a dyn Fn(&Path) -> Option<Vec<u8>>;

/// What every section reads: the summary, the language, element ids of targets, and
/// the pictures by chart path.
pub(crate) struct Ctx<'a> {
    pub s: &'a Summary,
    pub lang: Lang,
    /// Element id of each target's row anchor / drill-down, by target id.
    pub anchors: HashMap<String, String>,
    pub names: ChartNames,
    pub pics: Pictures,
}

impl Ctx<'_> {
    pub fn l(&self, zh: &str, en: &str) -> String {
        l(self.lang, zh, en)
    }

    pub fn anchor(&self, id: &str) -> &str {
        self.anchors.get(id).map_or("", String::as_str)
    }
}

/// Charts shrunk for the page, by path relative to the chart directory.
#[derive(Default)]
pub(crate) struct Pictures(HashMap<PathBuf, Picture>);

impl Pictures {
    /// Fetches the charts that exist and shrinks them in parallel.
    pub(super) fn load(paths: Vec<PathBuf>, charts: ChartLookup) -> Result<Pictures, HtmlError> {
        let (found, bytes): (Vec<PathBuf>, Vec<Vec<u8>>) = paths
            .into_iter()
            .filter_map(|p| charts(&p).map(|b| (p, b)))
            .unzip();
        let mut map = HashMap::new();
        for (path, pic) in found.into_iter().zip(image::shrink_all(&bytes)) {
            let pic = pic.map_err(|message| HtmlError::Chart {
                path: path.clone(),
                message,
            })?;
            map.insert(path, pic);
        }
        Ok(Pictures(map))
    }

    /// A picture from bytes already at hand (the comparison chart).
    pub(super) fn single(path: &str, png: &[u8]) -> Result<Pictures, HtmlError> {
        let pic = image::shrink(png).map_err(|message| HtmlError::Chart {
            path: path.into(),
            message,
        })?;
        Ok(Pictures(HashMap::from([(PathBuf::from(path), pic)])))
    }

    pub fn has(&self, rel: impl AsRef<Path>) -> bool {
        self.0.contains_key(rel.as_ref())
    }

    /// Writes `<figure>` with the picture at `rel` and a caption; nothing when the run
    /// has no such chart. Returns whether it wrote one.
    pub fn figure(
        &self,
        out: &mut String,
        rel: impl AsRef<Path>,
        alt: &str,
        caption: &str,
    ) -> bool {
        let Some(p) = self.0.get(rel.as_ref()) else {
            return false;
        };
        let _ = writeln!(
            out,
            "<figure><img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\" decoding=\"async\"><figcaption>{}</figcaption></figure>",
            p.data_uri(),
            p.width,
            p.height,
            Esc(alt),
            Esc(caption)
        );
        true
    }
}
