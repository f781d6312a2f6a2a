//! Everything a chart draws with, in one `use super::prelude::*`: the canvas and its
//! primitives, the frame, colours and risk bands, words and numbers, text layout,
//! legends and axes, and the chart settings. It only re-exports.

pub(crate) use super::axes::*;
pub(crate) use super::canvas::*;
pub(crate) use super::format::*;
pub(crate) use super::legend::*;
pub(crate) use super::options::{ChartError, Lang};
pub(crate) use super::palette::*;
pub(crate) use super::style::*;
pub(crate) use super::text::*;
