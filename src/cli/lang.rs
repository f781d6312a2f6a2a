//! The `--lang` argument: the label language of charts and reports.

use clap::ValueEnum;
use planrisk::chart::{ChartOptions, Lang};

/// Label language of the charts.
#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum LangArg {
    Zh,
    En,
    #[default]
    Both,
}

impl LangArg {
    pub fn options(self) -> ChartOptions {
        ChartOptions {
            lang: match self {
                LangArg::Zh => Lang::Zh,
                LangArg::En => Lang::En,
                LangArg::Both => Lang::Both,
            },
        }
    }
}
