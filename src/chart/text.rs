//! Text in the charts: the embedded WenQuanYi Micro Hei font (registered with plotters
//! and parsed with ab_glyph), measuring, wrapping and ellipsizing text, drawing it with
//! [`Txt`], and the two-line name block of a target.
//!
//! Text is laid out and rasterized here with ab_glyph (the rasterizer plotters itself
//! uses) rather than through plotters' `draw_text`: plotters 0.3.7 drops each glyph's
//! left side bearing, which makes Latin text look unevenly spaced ("Informati on"), and
//! puts the baseline half a size below the anchor whatever the anchor. Sizes are pixels
//! per em, so a 14 px label has 14 px wide Chinese characters.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Once, OnceLock};

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use plotters::style::{register_font, Color, FontStyle};

use super::canvas::{Canvas, SMALL, TEXT};
use super::options::ChartError;
use super::palette::{RGBColor, FADED, INK, MUTED};

static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");
static FONT_INIT: Once = Once::new();
static FONT_OK: AtomicBool = AtomicBool::new(false);

/// Registers the embedded WenQuanYi Micro Hei font as plotters' `sans-serif` family
/// (once per process). Charts call this themselves; it is public so that other drawing
/// code can use the same font.
pub fn ensure_fonts() -> Result<(), ChartError> {
    FONT_INIT.call_once(|| {
        let ok =
            register_font("sans-serif", FontStyle::Normal, FONT_BYTES).is_ok() && face().is_some();
        FONT_OK.store(ok, Ordering::SeqCst);
    });
    if FONT_OK.load(Ordering::SeqCst) {
        Ok(())
    } else {
        Err(ChartError::Font(
            "the embedded WenQuanYi Micro Hei font could not be parsed".into(),
        ))
    }
}

/// Horizontal alignment of text relative to its x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HAlign {
    Left,
    Center,
    Right,
}

/// Vertical alignment of text relative to its y.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VAlign {
    /// The tops of capitals and Chinese characters at y.
    Top,
    /// Visually centred on y.
    Middle,
}

/// The parsed embedded font, for measuring and drawing text.
fn face() -> Option<&'static FontRef<'static>> {
    static FACE: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FACE.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).ok())
        .as_ref()
}

/// ab_glyph scale for a font size in pixels per em.
fn px_scale(f: &FontRef<'static>, size: f64) -> PxScale {
    let upem = f.units_per_em().unwrap_or(1000.0);
    PxScale::from(size as f32 * f.height_unscaled() / upem)
}

/// Advance width of `s` in pixels at `size` (pixels per em).
pub(crate) fn text_width(s: &str, size: f64) -> i32 {
    let Some(f) = face() else {
        return (s.chars().count() as f64 * size) as i32;
    };
    let sf = f.as_scaled(px_scale(f, size));
    let mut w = 0f32;
    let mut prev: Option<GlyphId> = None;
    for c in s.chars() {
        let g = sf.glyph_id(c);
        if let Some(p) = prev {
            w += sf.kern(p, g);
        }
        w += sf.h_advance(g);
        prev = Some(g);
    }
    w.ceil() as i32
}

/// Rasterizes `s` with its pen starting at `(x, baseline)`, calling `put(x, y, coverage)`
/// for each covered pixel.
fn raster(s: &str, size: f64, (x, baseline): (f32, f32), mut put: impl FnMut(i32, i32, f32)) {
    let Some(f) = face() else { return };
    let scale = px_scale(f, size);
    let sf = f.as_scaled(scale);
    let mut pen = x;
    let mut prev: Option<GlyphId> = None;
    for c in s.chars() {
        let id = sf.glyph_id(c);
        if let Some(p) = prev {
            pen += sf.kern(p, id);
        }
        let glyph = id.with_scale_and_position(scale, point(pen, baseline));
        if let Some(outline) = f.outline_glyph(glyph) {
            let b = outline.px_bounds();
            let (bx, by) = (b.min.x as i32, b.min.y as i32);
            outline.draw(|gx, gy, cov| put(bx + gx as i32, by + gy as i32, cov));
        }
        pen += sf.h_advance(id);
        prev = Some(id);
    }
}

/// `s` cut with an ellipsis so that it fits `max_w` pixels at `size`.
pub(crate) fn ellipsize(s: &str, size: f64, max_w: i32) -> String {
    if text_width(s, size) <= max_w {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    // Binary search for the longest prefix that fits together with the ellipsis.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let cand: String = chars[..mid].iter().collect::<String>() + "…";
        if text_width(&cand, size) <= max_w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let head: String = chars[..lo].iter().collect();
    format!("{}…", head.trim_end())
}

/// `s` broken into at most `max_lines` lines of at most `max_w` pixels: at spaces in
/// Latin text, between any two characters in Chinese text; the last line is ellipsized.
pub(crate) fn wrap(s: &str, size: f64, max_w: i32, max_lines: usize) -> Vec<String> {
    let max_lines = max_lines.max(1);
    // Tokens: a run of Latin characters up to a break opportunity, or one wide character.
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if (c as u32) >= 0x2E80 {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            tokens.push(c.to_string());
        } else {
            cur.push(c);
            if c == ' ' || c == '/' || c == ',' || c == '-' {
                tokens.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut i = 0;
    while i < tokens.len() {
        let cand = format!("{line}{}", tokens[i]);
        if text_width(cand.trim_end(), size) <= max_w || line.is_empty() {
            line = cand;
            i += 1;
        } else {
            lines.push(line.trim_end().to_string());
            line = String::new();
            if lines.len() == max_lines - 1 {
                break;
            }
        }
    }
    let rest: String = tokens[i..].concat();
    let last = format!("{line}{rest}");
    if !last.trim().is_empty() {
        lines.push(last.trim().to_string());
    }
    for l in lines.iter_mut() {
        *l = ellipsize(l, size, max_w);
    }
    lines
}

/// Renders one line of text in the chart font into a grayscale bitmap (0 = white, 255 =
/// full ink), `width × height` pixels, row-major. Used to check the font's coverage (for
/// example that Chinese text draws glyphs and Latin text is not drawn as boxes).
pub fn render_text(text: &str, size: f64) -> Result<(u32, u32, Vec<u8>), ChartError> {
    ensure_fonts()?;
    let w = (text_width(text, size) + 4).max(1) as u32;
    let h = (size * 1.6).ceil().max(1.0) as u32;
    let mut buf = vec![0u8; (w * h) as usize];
    raster(text, size, (2.0, (size * 1.15) as f32), |x, y, c| {
        if x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h {
            let i = (y as u32 * w + x as u32) as usize;
            buf[i] = buf[i].max((c.clamp(0.0, 1.0) * 255.0).round() as u8);
        }
    });
    Ok((w, h, buf))
}

/// A text style: size (pixels per em), colour, alignment, optional faux bold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Txt {
    pub size: f64,
    pub color: RGBColor,
    pub h: HAlign,
    pub v: VAlign,
    pub bold: bool,
}

impl Txt {
    pub(crate) fn new(size: f64) -> Txt {
        Txt {
            size,
            color: INK,
            h: HAlign::Left,
            v: VAlign::Middle,
            bold: false,
        }
    }
    pub(crate) fn color(mut self, c: RGBColor) -> Txt {
        self.color = c;
        self
    }
    pub(crate) fn align(mut self, h: HAlign, v: VAlign) -> Txt {
        self.h = h;
        self.v = v;
        self
    }
    pub(crate) fn bold(mut self) -> Txt {
        self.bold = true;
        self
    }

    /// Width of `s` in this style.
    pub(crate) fn width(&self, s: &str) -> i32 {
        text_width(s, self.size) + i32::from(self.bold)
    }

    /// Offset from the alignment point to the left end and the baseline.
    fn origin(&self, s: &str, (x, y): (i32, i32)) -> (f32, f32) {
        let w = self.width(s) as f32;
        let left = match self.h {
            HAlign::Left => x as f32,
            HAlign::Center => x as f32 - w / 2.0,
            HAlign::Right => x as f32 - w,
        };
        // Chinese characters span about 0.81 em above the baseline to 0.08 em below;
        // capitals about 0.72 em above. Their visual middle is 0.36 em above the baseline.
        let base = match self.v {
            VAlign::Top => y as f32 + 0.80 * self.size as f32,
            VAlign::Middle => y as f32 + 0.36 * self.size as f32,
        };
        (left.round(), base.round())
    }

    /// Rasterizes `s` with its pen at `origin`; with `turn`, the pixels are rotated a
    /// quarter turn counter-clockwise about that point (text reading bottom to top).
    fn paint(
        &self,
        area: &Canvas,
        s: &str,
        origin: (f32, f32),
        turn: Option<(i32, i32)>,
    ) -> Result<(), ChartError> {
        let mut err = None;
        let passes: &[f32] = if self.bold { &[0.0, 0.8] } else { &[0.0] };
        for dx in passes {
            raster(s, self.size, (origin.0 + dx, origin.1), |x, y, c| {
                let p = match turn {
                    Some((cx, cy)) => (cx + (y - cy), cy - (x - cx)),
                    None => (x, y),
                };
                if err.is_none() {
                    if let Err(e) = area.draw_pixel(p, &self.color.mix(f64::from(c.min(1.0)))) {
                        err = Some(e);
                    }
                }
            });
        }
        match err {
            Some(e) => Err(e.into()),
            None => Ok(()),
        }
    }

    /// Draws `s` at `(x, y)`; returns its width.
    pub(crate) fn draw(&self, area: &Canvas, s: &str, at: (i32, i32)) -> Result<i32, ChartError> {
        if s.is_empty() {
            return Ok(0);
        }
        self.paint(area, s, self.origin(s, at), None)?;
        Ok(self.width(s))
    }

    /// Draws `s` rotated to read bottom-to-top, centred on `(x, y)`.
    pub(crate) fn draw_vertical(
        &self,
        area: &Canvas,
        s: &str,
        (x, y): (i32, i32),
    ) -> Result<(), ChartError> {
        let centred = Txt {
            h: HAlign::Center,
            v: VAlign::Middle,
            ..*self
        };
        self.paint(area, s, centred.origin(s, (x, y)), Some((x, y)))
    }
}

/// Height of one line of text at `size`, with leading.
pub(crate) fn line_h(size: f64) -> i32 {
    (size * 1.4).round() as i32
}

/// The name of a target (from [`target_lines`](super::format::target_lines))
/// left-aligned at `x`, centred on `mid`: two lines (Chinese above, English below in
/// smaller type) or one name wrapped to at most two lines; greyed out when `faded`.
pub(crate) fn name_block(
    area: &Canvas,
    lines: &[String],
    (x, mid): (i32, i32),
    max_w: i32,
    faded: bool,
) -> Result<(), ChartError> {
    let (main, second) = if faded { (FADED, FADED) } else { (INK, MUTED) };
    let placed: Vec<(String, f64, RGBColor)> = match lines {
        [zh, en, ..] => vec![
            (ellipsize(zh, TEXT, max_w), TEXT, main),
            (ellipsize(en, SMALL, max_w), SMALL, second),
        ],
        [one] => wrap(one, TEXT, max_w, 2)
            .into_iter()
            .map(|l| (l, TEXT, main))
            .collect(),
        [] => vec![],
    };
    let offsets: &[i32] = if placed.len() == 2 { &[-10, 11] } else { &[0] };
    for ((text, size, color), dy) in placed.iter().zip(offsets) {
        Txt::new(*size)
            .color(*color)
            .draw(area, text, (x, mid + dy))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_and_ellipsis() {
        ensure_fonts().unwrap();
        let s = "R&D expenditure of above-scale industrial enterprises as share of main business revenue";
        let lines = wrap(s, 16.0, 300, 3);
        assert!(lines.len() >= 2);
        assert!(lines.iter().all(|l| text_width(l, 16.0) <= 300));
        let zh = "规模以上工业企业R&D经费内部支出占主营业务收入比重";
        let e = ellipsize(zh, 16.0, 120);
        assert!(e.ends_with('…') && text_width(&e, 16.0) <= 120);
        assert_eq!(wrap("", 16.0, 100, 2), Vec::<String>::new());
    }
}
