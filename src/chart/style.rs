//! The frame of every chart: the header (titles and sub lines), the footer that says
//! which run drew it, and the box drawn where there is no data.

use super::canvas::{fill_rect, line, Canvas, FOOTER_H, MARGIN, SMALL, TEXT, TITLE, TITLE2};
use super::format::fmt_count;
use super::options::ChartError;
use super::palette::*;
use super::text::*;
use crate::report::summary::Summary;

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

/// A small panel's title: the first name line bold at the left, `status` (text and
/// colour) right-aligned on the same line with `gap` pixels kept free before it, and
/// the second name line, if any, below in muted type.
pub(crate) fn title_line(
    area: &Canvas,
    names: &[String],
    status: Option<(&str, RGBColor)>,
    gap: i32,
    (x0, y0, x1): (i32, i32, i32),
) -> Result<(), ChartError> {
    let width = x1 - x0;
    let sw = status.map_or(0, |(s, _)| Txt::new(SMALL).width(s) + gap);
    Txt::new(TEXT)
        .bold()
        .align(HAlign::Left, VAlign::Top)
        .draw(area, &ellipsize(&names[0], TEXT, width - sw), (x0, y0))?;
    if let Some((s, color)) = status {
        Txt::new(SMALL)
            .color(color)
            .bold()
            .align(HAlign::Right, VAlign::Top)
            .draw(area, s, (x1, y0 + 1))?;
    }
    if let Some(en) = names.get(1) {
        Txt::new(SMALL)
            .color(MUTED)
            .align(HAlign::Left, VAlign::Top)
            .draw(area, &ellipsize(en, SMALL, width), (x0, y0 + 24))?;
    }
    Ok(())
}
