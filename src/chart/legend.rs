//! Legends: the keys (swatch, line, dash, whisker, diamond, dot), a row of labelled keys
//! that wraps to the available width, and the colour bar of the heat maps.

use plotters::element::{Circle, Rectangle};
use plotters::style::Color;

use super::canvas::{binding_mark, dashed, fill_rect, line, Canvas, MARGIN, SHEET_WIDTH, SMALL};
use super::format::{binding_word, tr};
use super::options::{ChartError, Lang};
use super::palette::{heat, RGBColor, GRID, INK, MUTED};
use super::text::{line_h, HAlign, Txt, VAlign};

/// One legend entry.
pub(crate) enum Key {
    /// A filled square.
    Swatch(RGBColor),
    /// A short line segment.
    Line(RGBColor, u32),
    /// A short dashed line segment.
    Dash(RGBColor),
    /// An interval whisker with end caps.
    Whisker,
    /// A filled diamond (the binding mark, target markers).
    Diamond(RGBColor),
    /// A filled dot.
    Dot(RGBColor),
    /// An open circle.
    Ring(RGBColor),
}

/// Draws legend entries left to right starting at `(x, y)` (vertical middle), wrapping
/// to a new line before `max_x`. Returns the y of the last line.
pub(crate) fn legend(
    area: &Canvas,
    items: &[(Key, String)],
    (x, y): (i32, i32),
    max_x: i32,
) -> Result<i32, ChartError> {
    let txt = Txt::new(SMALL).color(INK);
    let mut cy = y;
    for (line, (key, label), cx) in placed(items, x, max_x) {
        cy = y + line as i32 * (line_h(SMALL) + 4);
        draw_key(area, key, (cx, cy))?;
        txt.draw(area, label, (cx + 28, cy))?;
    }
    Ok(cy)
}

/// The number of lines [`legend`] takes for `items` between `x` and `max_x`.
pub(crate) fn legend_lines(items: &[(Key, String)], x: i32, max_x: i32) -> usize {
    placed(items, x, max_x)
        .last()
        .map_or(1, |(line, ..)| line + 1)
}

/// Each entry with its line and x: left to right, wrapping before `max_x`.
fn placed(items: &[(Key, String)], x: i32, max_x: i32) -> Vec<(usize, &(Key, String), i32)> {
    let txt = Txt::new(SMALL);
    let (mut cx, mut line) = (x, 0);
    let mut out = Vec::new();
    for item in items {
        let w = 22 + 6 + txt.width(&item.1) + 22;
        if cx + w > max_x && cx > x {
            cx = x;
            line += 1;
        }
        out.push((line, item, cx));
        cx += w;
    }
    out
}

/// Draws one legend key in a 22 px wide cell starting at `x`, centred on `y`.
pub(crate) fn draw_key(area: &Canvas, key: &Key, (x, y): (i32, i32)) -> Result<(), ChartError> {
    match key {
        Key::Swatch(c) => {
            fill_rect(area, (x + 3, y - 7), (x + 19, y + 7), *c)?;
            if u32::from(c.0) + u32::from(c.1) + u32::from(c.2) > 660 {
                area.draw(&Rectangle::new(
                    [(x + 3, y - 7), (x + 19, y + 7)],
                    GRID.stroke_width(1),
                ))?;
            }
            Ok(())
        }
        Key::Line(c, w) => line(area, (x, y), (x + 22, y), *c, *w),
        Key::Dash(c) => dashed(area, (x, y), (x + 22, y), *c, 2, 4),
        Key::Whisker => {
            line(area, (x + 2, y), (x + 20, y), INK, 2)?;
            line(area, (x + 2, y - 5), (x + 2, y + 5), INK, 2)?;
            line(area, (x + 20, y - 5), (x + 20, y + 5), INK, 2)
        }
        Key::Diamond(c) => binding_mark(area, (x + 11, y), 7, *c),
        Key::Dot(c) => {
            area.draw(&Circle::new((x + 11, y), 5, c.filled()))?;
            Ok(())
        }
        Key::Ring(c) => {
            area.draw(&Circle::new((x + 11, y), 5, c.stroke_width(2)))?;
            Ok(())
        }
    }
}

/// The heat maps' P(hit) colour bar ([`heat`]) with its name on the left and the binding
/// key on the right; the bar starts at `x` or, when the name would not fit before it,
/// just after the name.
pub(crate) fn heat_legend(area: &Canvas, (x, y): (i32, i32), lang: Lang) -> Result<(), ChartError> {
    let name = tr(lang, "达成概率", "P(hit)");
    let x = x.max(MARGIN + Txt::new(SMALL).width(&name) + 14);
    let wbar = 500;
    for k in 0..wbar {
        let c = heat(f64::from(k) / f64::from(wbar - 1));
        line(area, (x + k, y - 8), (x + k, y + 8), c, 1)?;
    }
    let t = Txt::new(SMALL)
        .color(MUTED)
        .align(HAlign::Center, VAlign::Top);
    for p in [0.0, 0.2, 0.4, 0.5, 0.6, 0.8, 1.0] {
        let px = x + (p * f64::from(wbar - 1)).round() as i32;
        line(area, (px, y + 8), (px, y + 13), MUTED, 1)?;
        if p != 0.4 && p != 0.6 {
            t.draw(area, &format!("{:.0}%", p * 100.0), (px, y + 18))?;
        }
    }
    Txt::new(SMALL)
        .color(MUTED)
        .align(HAlign::Right, VAlign::Middle)
        .draw(area, &name, (x - 12, y))?;
    let items = [(Key::Diamond(INK), binding_word(lang))];
    legend(
        area,
        &items,
        (x + wbar + 40, y),
        SHEET_WIDTH as i32 - MARGIN,
    )?;
    Ok(())
}
