//! Axes: linear data-to-pixel scales, "nice" ticks, the plot frame with its grid and
//! tick labels, the 0–100% probability axis of the bar rows, and spreading labels apart.

use super::canvas::{dashed, fill_rect, line, Canvas, SMALL};
use super::format::tr;
use super::options::{ChartError, Lang};
use super::palette::{RGBColor, BLUE, GRID, INK, MUTED, ORANGE};
use super::text::{HAlign, Txt, VAlign};

/// A horizontal 0–100% probability scale between two pixel columns, as used by the rows
/// of bars of the dashboard and the comparison.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PctAxis {
    pub left: i32,
    pub right: i32,
}

impl PctAxis {
    pub(crate) fn x(&self, p: f64) -> i32 {
        Scale::new((0.0, 1.0), (self.left, self.right)).px(p)
    }

    /// Tick labels 0%…100% centred on `y`, with the axis name to the left.
    pub(crate) fn labels(&self, area: &Canvas, y: i32, lang: Lang) -> Result<(), ChartError> {
        let t = Txt::new(SMALL)
            .color(MUTED)
            .align(HAlign::Center, VAlign::Middle);
        for k in 0..=5 {
            t.draw(
                area,
                &format!("{}%", k * 20),
                (self.x(f64::from(k) / 5.0), y),
            )?;
        }
        Txt::new(SMALL)
            .color(MUTED)
            .align(HAlign::Right, VAlign::Middle)
            .draw(area, &tr(lang, "达成概率", "P(hit)"), (self.left - 40, y))?;
        Ok(())
    }

    /// Grid lines every 20%, dashed band thresholds at 50% and 80%, and the zero line.
    pub(crate) fn grid(&self, area: &Canvas, top: i32, bottom: i32) -> Result<(), ChartError> {
        for k in 0..=5 {
            let x = self.x(f64::from(k) / 5.0);
            line(area, (x, top), (x, bottom), GRID, 1)?;
        }
        for (p, c) in [(0.5, ORANGE), (0.8, BLUE)] {
            dashed(area, (self.x(p), top), (self.x(p), bottom), c, 1, 5)?;
        }
        line(area, (self.left, top), (self.left, bottom), MUTED, 1)
    }

    /// A bar from 0 to `p`, `h` pixels high, centred on `mid` (at least 2 px long).
    pub(crate) fn bar(
        &self,
        area: &Canvas,
        p: f64,
        mid: i32,
        h: i32,
        c: RGBColor,
    ) -> Result<(), ChartError> {
        fill_rect(
            area,
            (self.left, mid - h / 2),
            (self.x(p).max(self.left + 2), mid + h / 2),
            c,
        )
    }

    /// A 95% interval whisker with end caps of half-height `cap`, when `ci` is usable.
    pub(crate) fn whisker(
        &self,
        area: &Canvas,
        ci: Option<[f64; 2]>,
        mid: i32,
        cap: i32,
        width: u32,
    ) -> Result<(), ChartError> {
        if let Some([lo, hi]) = ci.filter(|c| c[0].is_finite() && c[1].is_finite()) {
            let (a, b) = (self.x(lo.clamp(0.0, 1.0)), self.x(hi.clamp(0.0, 1.0)));
            line(area, (a, mid), (b, mid), INK, width)?;
            line(area, (a, mid - cap), (a, mid + cap), INK, width)?;
            line(area, (b, mid - cap), (b, mid + cap), INK, width)?;
        }
        Ok(())
    }
}

/// Moves label positions `ys` (any order) apart so that neighbours are at least `gap`
/// pixels apart, staying within `[lo, hi]` where possible; returns them in input order.
pub(crate) fn spread(ys: &[i32], gap: i32, lo: i32, hi: i32) -> Vec<i32> {
    let mut idx: Vec<usize> = (0..ys.len()).collect();
    idx.sort_by_key(|&i| ys[i]);
    let mut pos: Vec<i32> = idx.iter().map(|&i| ys[i]).collect();
    for k in 1..pos.len() {
        pos[k] = pos[k].max(pos[k - 1] + gap);
    }
    // Past the bottom: pull the last up to `hi` and its neighbours up behind it, only as
    // far as they must move (a label near the top keeps its place).
    if let Some(last) = pos.last_mut() {
        if *last > hi {
            *last = hi;
            for k in (0..pos.len() - 1).rev() {
                pos[k] = pos[k].min(pos[k + 1] - gap);
            }
        }
    }
    // Past the top (there was not room for all): push down again from `lo`.
    if let Some(first) = pos.first_mut() {
        if *first < lo {
            *first = lo;
            for k in 1..pos.len() {
                pos[k] = pos[k].max(pos[k - 1] + gap);
            }
        }
    }
    let mut out = vec![0; ys.len()];
    for (k, &i) in idx.iter().enumerate() {
        out[i] = pos[k];
    }
    out
}

/// "Nice" tick values covering `[lo, hi]`, about `n` of them.
pub(crate) fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo || n == 0 {
        return Vec::new();
    }
    let raw = (hi - lo) / n as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last)
        .take(200)
        .map(|k| {
            let v = k as f64 * step;
            if v.abs() < step * 1e-9 {
                0.0
            } else {
                v
            }
        })
        .collect()
}

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub p0: i32,
    pub p1: i32,
}

impl Scale {
    pub(crate) fn new((d0, d1): (f64, f64), (p0, p1): (i32, i32)) -> Scale {
        let (d0, d1) = if d1 > d0 && d0.is_finite() && d1.is_finite() {
            (d0, d1)
        } else {
            (0.0, 1.0)
        };
        Scale { d0, d1, p0, p1 }
    }

    /// Pixel of `v`, clamped a little outside the pixel range.
    pub(crate) fn px(&self, v: f64) -> i32 {
        let t = if v.is_finite() {
            (v - self.d0) / (self.d1 - self.d0)
        } else {
            0.0
        };
        let t = t.clamp(-0.05, 1.05);
        self.p0 + ((self.p1 - self.p0) as f64 * t).round() as i32
    }
}

/// Draws a plot frame: vertical grid and ticks along `xs` (labels below the bottom), and
/// horizontal grid along `ys` (labels left of the left edge).
pub(crate) struct Frame {
    pub x: Scale,
    pub y: Scale,
}

impl Frame {
    pub(crate) fn left(&self) -> i32 {
        self.x.p0.min(self.x.p1)
    }
    pub(crate) fn right(&self) -> i32 {
        self.x.p0.max(self.x.p1)
    }
    pub(crate) fn top(&self) -> i32 {
        self.y.p0.min(self.y.p1)
    }
    pub(crate) fn bottom(&self) -> i32 {
        self.y.p0.max(self.y.p1)
    }

    /// Grid, ticks, tick labels (formatted by `fx`, `fy`) and the frame lines.
    pub(crate) fn draw(
        &self,
        area: &Canvas,
        xs: &[f64],
        ys: &[f64],
        fx: &dyn Fn(f64) -> String,
        fy: &dyn Fn(f64) -> String,
    ) -> Result<(), ChartError> {
        let (l, r, t, b) = (self.left(), self.right(), self.top(), self.bottom());
        let lab = Txt::new(SMALL).color(MUTED);
        for &v in ys {
            let y = self.y.px(v);
            if y < t || y > b {
                continue;
            }
            line(area, (l, y), (r, y), GRID, 1)?;
            lab.align(HAlign::Right, VAlign::Middle)
                .draw(area, &fy(v), (l - 8, y))?;
        }
        let mut last_right = i32::MIN;
        for &v in xs {
            let x = self.x.px(v);
            if x < l || x > r {
                continue;
            }
            line(area, (x, t), (x, b), GRID, 1)?;
            line(area, (x, b), (x, b + 5), MUTED, 1)?;
            let s = fx(v);
            let w = lab.width(&s);
            // Skip a label that would overlap the previous one.
            if x - w / 2 > last_right + 6 {
                lab.align(HAlign::Center, VAlign::Top)
                    .draw(area, &s, (x, b + 10))?;
                last_right = x + w / 2;
            }
        }
        line(area, (l, b), (r, b), MUTED, 1)?;
        line(area, (l, t), (l, b), MUTED, 1)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_values() {
        let t = ticks(0.0, 1.0, 5);
        assert_eq!(t.len(), 6);
        assert!((t[3] - 0.6).abs() < 1e-12);
        assert!(ticks(f64::NAN, 1.0, 5).is_empty());
    }

    #[test]
    fn spread_labels_keep_a_free_top_label_in_place() {
        // Three labels piled at the bottom move up; the one near the top stays.
        assert_eq!(
            spread(&[500, 10, 500, 500], 44, 0, 520),
            vec![432, 10, 476, 520]
        );
        // Not enough room: packed from the top.
        assert_eq!(spread(&[50, 50, 50], 40, 0, 60), vec![0, 40, 80]);
    }
}
