//! The drawing surface every chart draws on, the sizes of the chart set, and the
//! drawing primitives (rectangles, lines, dashed lines, the binding mark).

use super::options::ChartError;
use super::palette::RGBColor;
use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::element::{PathElement, Polygon, Rectangle};
use plotters::prelude::BitMapBackend;
use plotters::style::Color;

/// The drawing surface every chart draws on.
pub(crate) type Canvas<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

// ---------------------------------------------------------------- sizes

/// Width of the sheets whose height follows the data.
pub(crate) const SHEET_WIDTH: u32 = 1800;
pub(crate) const MARGIN: i32 = 28;
pub(crate) const TITLE: f64 = 28.0;
pub(crate) const TITLE2: f64 = 21.0;
pub(crate) const TEXT: f64 = 16.0;
pub(crate) const SMALL: f64 = 14.0;
/// Height of the footer band at the bottom of every chart.
pub(crate) const FOOTER_H: i32 = 40;
/// Largest picture height; longer lists are cut with a note.
pub(crate) const MAX_HEIGHT: i32 = 30_000;

// ---------------------------------------------------------------- shapes

pub(crate) fn fill_rect(
    area: &Canvas,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    c: RGBColor,
) -> Result<(), ChartError> {
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], c.filled()))?;
    Ok(())
}

pub(crate) fn line(
    area: &Canvas,
    a: (i32, i32),
    b: (i32, i32),
    c: RGBColor,
    width: u32,
) -> Result<(), ChartError> {
    area.draw(&PathElement::new(vec![a, b], c.stroke_width(width)))?;
    Ok(())
}

/// A dashed straight line (horizontal or vertical or slanted).
pub(crate) fn dashed(
    area: &Canvas,
    a: (i32, i32),
    b: (i32, i32),
    c: RGBColor,
    width: u32,
    dash: i32,
) -> Result<(), ChartError> {
    let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1.0 {
        return Ok(());
    }
    let dash = dash.max(1) as f64;
    let mut t = 0.0;
    while t < len {
        let e = (t + dash).min(len);
        let p = |s: f64| {
            (
                a.0 + (dx * s / len).round() as i32,
                a.1 + (dy * s / len).round() as i32,
            )
        };
        area.draw(&PathElement::new(vec![p(t), p(e)], c.stroke_width(width)))?;
        t += 2.0 * dash;
    }
    Ok(())
}

/// The mark of a binding (约束性) target: a small filled diamond centred on `(x, y)`.
pub(crate) fn binding_mark(
    area: &Canvas,
    (x, y): (i32, i32),
    r: i32,
    c: RGBColor,
) -> Result<(), ChartError> {
    area.draw(&Polygon::new(
        vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)],
        c.filled(),
    ))?;
    Ok(())
}
