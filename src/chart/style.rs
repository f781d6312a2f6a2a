//! The shared look of every chart: the drawing surface, sizes, drawing primitives
//! (rectangles, lines, the binding mark), the header, the footer and the no-data box.
//!
//! It also re-exports the other shared parts, so that a chart needs only
//! `use super::style::*`: [`super::palette`] (colours and risk bands), [`super::format`]
//! (words and numbers), [`super::text`] (font and text layout), [`super::legend`] and
//! [`super::axes`].

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::element::{PathElement, Polygon, Rectangle};
use plotters::prelude::BitMapBackend;
use plotters::style::Color;

pub(crate) use super::axes::*;
pub(crate) use super::format::*;
pub(crate) use super::legend::*;
pub(crate) use super::palette::*;
pub(crate) use super::text::*;
use super::{ChartError, Lang};
use crate::report::summary::Summary;

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

pub(crate) fn binding_word(lang: Lang) -> String {
    tr(lang, "约束性", "binding")
}

// ---------------------------------------------------------------- header and footer

/// Title lines: the first at title size, the next ones smaller; then `sub` lines in muted
/// text. Each line is ellipsized to the width. Returns the y below the header.
pub(crate) fn header(
    area: &Canvas,
    title: &[String],
    sub: &[String],
    width: i32,
) -> Result<i32, ChartError> {
    let mut y = MARGIN;
    let max_w = width - 2 * MARGIN;
    for (i, t) in title.iter().enumerate() {
        let size = if i == 0 { TITLE } else { TITLE2 };
        let txt = Txt::new(size).align(HAlign::Left, VAlign::Top);
        let txt = if i == 0 { txt.bold() } else { txt };
        txt.draw(area, &ellipsize(t, size, max_w), (MARGIN, y))?;
        y += line_h(size);
    }
    y += 4;
    for s in sub {
        Txt::new(TEXT)
            .color(MUTED)
            .align(HAlign::Left, VAlign::Top)
            .draw(area, &ellipsize(s, TEXT, max_w), (MARGIN, y))?;
        y += line_h(TEXT);
    }
    Ok(y + 6)
}

/// The height [`header`] takes for `n_title` title lines and `n_sub` sub lines.
pub(crate) fn header_height(n_title: usize, n_sub: usize) -> i32 {
    let n_title = n_title.max(1) as i32;
    MARGIN + line_h(TITLE) + (n_title - 1) * line_h(TITLE2) + 4 + n_sub as i32 * line_h(TEXT) + 6
}

/// The footer text of one run: scenario id, seed, draws and program version.
pub(crate) fn footer_text(s: &Summary) -> String {
    format!(
        "{}{} · seed {} · draws {} · sampler {} · planrisk {}",
        s.scenario.id,
        if s.scenario.inside_view {
            " (inside view)"
        } else {
            ""
        },
        s.seed,
        fmt_count(s.draws),
        s.sampler,
        env!("CARGO_PKG_VERSION")
    )
}

/// Draws the footer text, with a rule above, in the bottom `FOOTER_H` pixels.
pub(crate) fn footer(area: &Canvas, text: &str) -> Result<(), ChartError> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let top = h - FOOTER_H;
    line(area, (MARGIN, top), (w - MARGIN, top), GRID, 1)?;
    Txt::new(SMALL).color(MUTED).draw(
        area,
        &ellipsize(text, SMALL, w - 2 * MARGIN),
        (MARGIN, top + FOOTER_H / 2),
    )?;
    Ok(())
}

/// Draws a message centred in a box, for charts whose data are missing.
pub(crate) fn no_data(
    area: &Canvas,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    msg: &str,
) -> Result<(), ChartError> {
    fill_rect(area, (x0, y0), (x1, y1), ZEBRA)?;
    let lines = wrap(msg, TEXT, (x1 - x0 - 40).max(40), 3);
    let lh = line_h(TEXT);
    let mut y = (y0 + y1) / 2 - lh * (lines.len() as i32 - 1) / 2;
    for l in &lines {
        Txt::new(TEXT)
            .color(MUTED)
            .align(HAlign::Center, VAlign::Middle)
            .draw(area, l, ((x0 + x1) / 2, y))?;
        y += lh;
    }
    Ok(())
}
