//! The shared look of every chart: the embedded font, the colour-blind-safe palette
//! (Okabe–Ito), text sizes, number and label formatting, text layout helpers (measuring,
//! wrapping, ellipsizing, placing), the header, the legend and the footer.
//!
//! Text is laid out and rasterized here with ab_glyph (the rasterizer plotters itself
//! uses) rather than through plotters' `draw_text`: plotters 0.3.7 drops each glyph's
//! left side bearing, which makes Latin text look unevenly spaced ("Informati on"), and
//! puts the baseline half a size below the anchor whatever the anchor. Sizes are pixels
//! per em, so a 14 px label has 14 px wide Chinese characters.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Once, OnceLock};

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};
pub(crate) use plotters::style::{RGBColor, WHITE};

use super::{ChartError, Lang};
use crate::report::summary::{Summary, TargetResult};

/// The drawing surface every chart draws on.
pub(crate) type Canvas<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

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

// ---------------------------------------------------------------- palette (Okabe–Ito)

pub(crate) const BLUE: RGBColor = RGBColor(0, 114, 178);
pub(crate) const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub(crate) const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub(crate) const SKY: RGBColor = RGBColor(86, 180, 233);
pub(crate) const GREEN: RGBColor = RGBColor(0, 158, 115);
pub(crate) const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub(crate) const YELLOW: RGBColor = RGBColor(240, 228, 66);
/// Main text colour.
pub(crate) const INK: RGBColor = RGBColor(30, 30, 30);
/// Secondary text.
pub(crate) const MUTED: RGBColor = RGBColor(96, 96, 96);
/// Greyed-out items (unmodeled targets).
pub(crate) const FADED: RGBColor = RGBColor(150, 150, 150);
/// Grid lines and rules.
pub(crate) const GRID: RGBColor = RGBColor(222, 222, 222);
/// Alternate row shading and empty cells.
pub(crate) const ZEBRA: RGBColor = RGBColor(246, 246, 246);

/// `c` mixed with white: `t` = 1 keeps `c`, `t` = 0 gives white.
pub(crate) fn tint(c: RGBColor, t: f64) -> RGBColor {
    let m = |v: u8| (255.0 - (255.0 - f64::from(v)) * t.clamp(0.0, 1.0)).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// Colours of runs or series that are told apart only by colour, in order.
pub(crate) const CATEGORICAL: [RGBColor; 8] = [
    BLUE,
    ORANGE,
    GREEN,
    PURPLE,
    SKY,
    VERMILLION,
    YELLOW,
    RGBColor(0, 0, 0),
];

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

// ---------------------------------------------------------------- risk bands

/// Risk band of a probability of hitting a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Band {
    /// P(hit) < 50%.
    High,
    /// 50% ≤ P(hit) < 80%.
    Medium,
    /// P(hit) ≥ 80%.
    Low,
}

impl Band {
    pub(crate) fn of(p: f64) -> Band {
        if p >= 0.8 {
            Band::Low
        } else if p >= 0.5 {
            Band::Medium
        } else {
            Band::High
        }
    }

    pub(crate) fn color(self) -> RGBColor {
        match self {
            Band::Low => BLUE,
            Band::Medium => ORANGE,
            Band::High => VERMILLION,
        }
    }

    pub(crate) fn label(self, lang: Lang) -> String {
        match self {
            Band::High => tr(lang, "高风险 P(hit) < 50%", "High risk: P(hit) < 50%"),
            Band::Medium => tr(lang, "需关注 50–80%", "Watch: 50–80%"),
            Band::Low => tr(lang, "较有把握 ≥ 80%", "On track: ≥ 80%"),
        }
    }
}

// ---------------------------------------------------------------- words and numbers

/// `zh`, `en`, or both joined by " / ", as `lang` asks.
pub(crate) fn tr(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
        Lang::Both => format!("{zh} / {en}"),
    }
}

/// The lines naming something in `lang`: Chinese first when both are asked for. An empty
/// name falls back to the other language, then to `id`.
pub(crate) fn name_lines(lang: Lang, zh: &str, en: &str, id: &str) -> Vec<String> {
    let zh = zh.trim();
    let en = en.trim();
    let pick = |a: &str, b: &str| {
        if !a.is_empty() {
            a.to_string()
        } else if !b.is_empty() {
            b.to_string()
        } else {
            id.to_string()
        }
    };
    match lang {
        Lang::Zh => vec![pick(zh, en)],
        Lang::En => vec![pick(en, zh)],
        Lang::Both => match (zh.is_empty(), en.is_empty()) {
            (false, false) if zh != en => vec![zh.to_string(), en.to_string()],
            _ => vec![pick(zh, en)],
        },
    }
}

/// The lines naming a target; in a multi-region scenario the first starts with the
/// region in brackets, since the same indicator then recurs once per region.
pub(crate) fn target_lines(lang: Lang, s: &Summary, t: &TargetResult) -> Vec<String> {
    let mut lines = name_lines(lang, &t.name_zh, &t.name, &t.id);
    if let (Some(r), true) = (&t.region, s.scenario.regions.len() > 1) {
        lines[0] = format!("[{}] {}", region_name(lang, s, r), lines[0]);
    }
    lines
}

/// Scenario title lines (Chinese, English).
pub(crate) fn scenario_title(lang: Lang, s: &Summary) -> Vec<String> {
    name_lines(lang, &s.scenario.name_zh, &s.scenario.name, &s.scenario.id)
}

/// Name of a region id in `lang`, or the id itself when the scenario does not list it.
pub(crate) fn region_name(lang: Lang, s: &Summary, id: &str) -> String {
    match s.scenario.regions.iter().find(|r| r.id == id) {
        Some(r) => name_lines(lang, &r.name_zh, &r.name, &r.id).join(" "),
        None => id.to_string(),
    }
}

/// A probability as a percentage: one decimal, `<0.1%` / `>99.9%` near the ends, `–`
/// when it is not a number.
pub(crate) fn fmt_pct(p: f64) -> String {
    if !p.is_finite() {
        "–".into()
    } else if p <= 0.0 {
        "0%".into()
    } else if p >= 1.0 {
        "100%".into()
    } else if p < 0.001 {
        "<0.1%".into()
    } else if p > 0.999 {
        ">99.9%".into()
    } else {
        format!("{:.1}%", p * 100.0)
    }
}

/// A 95% interval of a probability in percent, `[61.9–62.7]`, with as many decimals (up
/// to three) as it takes to tell the two ends apart.
pub(crate) fn fmt_ci(ci: Option<[f64; 2]>) -> String {
    match ci {
        Some([a, b]) if a.is_finite() && b.is_finite() => {
            let (a, b) = (a.clamp(0.0, 1.0) * 100.0, b.clamp(0.0, 1.0) * 100.0);
            let mut out = String::new();
            for d in 1..=3 {
                let (sa, sb) = (format!("{a:.d$}"), format!("{b:.d$}"));
                out = format!("[{sa}–{sb}]");
                if sa != sb {
                    break;
                }
            }
            out
        }
        _ => String::new(),
    }
}

/// A number with about four significant digits and thousands separators, no exponent for
/// ordinary magnitudes; `–` when not finite.
pub(crate) fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let a = x.abs();
    if a != 0.0 && !(1e-3..1e12).contains(&a) {
        return format!("{x:.2e}");
    }
    let decimals = if a >= 1000.0 {
        0
    } else if a >= 100.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    group_thousands(&s)
}

/// An integer count with thousands separators.
pub(crate) fn fmt_count(n: u64) -> String {
    group_thousands(&n.to_string())
}

fn group_thousands(s: &str) -> String {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s),
    };
    let (int, frac) = match rest.find('.') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if int.len() <= 4 {
        return s.to_string();
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}{frac}")
}

/// A readable unit for the unit codes of the target catalogue (`100m_yuan` → 亿元 / 100m
/// yuan); unknown codes are shown with `_` as spaces.
pub(crate) fn unit_label(lang: Lang, unit: &str) -> String {
    let known: &[(&str, &str, &str)] = &[
        ("percent", "%", "%"),
        ("pp", "百分点", "pp"),
        ("pp_per_year", "百分点/年", "pp/yr"),
        ("percent_per_year", "%/年", "%/yr"),
        ("100m_yuan", "亿元", "100m yuan"),
        ("trillion_yuan", "万亿元", "trillion yuan"),
        ("10k_yuan", "万元", "10k yuan"),
        ("10k_t", "万吨", "10k t"),
        ("10k_t_per_year", "万吨/年", "10k t/yr"),
        ("100m_t", "亿吨", "100m t"),
        ("10k_tce", "万吨标准煤", "10k tce"),
        ("tce_per_10k_yuan", "吨标准煤/万元", "tce per 10k yuan"),
        ("kgce_per_t", "千克标准煤/吨", "kgce/t"),
        ("kwh_per_t", "千瓦时/吨", "kWh/t"),
        ("m3_per_10k_yuan", "立方米/万元", "m³ per 10k yuan"),
        ("10k_vehicles", "万辆", "10k vehicles"),
        ("10k_units", "万台", "10k units"),
        ("10k_sets", "万套", "10k sets"),
        ("count", "个", "count"),
        ("multiple", "倍", "×"),
        ("index", "指数", "index"),
    ];
    let unit = unit.trim();
    match known.iter().find(|(code, _, _)| *code == unit) {
        Some((_, zh, en)) if zh == en => zh.to_string(),
        Some((_, zh, en)) => match lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
            Lang::Both => format!("{zh} ({en})"),
        },
        None => unit.replace('_', " "),
    }
}

/// The unit after a number: the Chinese form unless English only is asked for.
pub(crate) fn unit_short(lang: Lang, unit: &str) -> String {
    unit_label(if lang == Lang::En { Lang::En } else { Lang::Zh }, unit)
}

/// `≥ 8`, `≤ -21`, `15 ± 2` — the condition for a hit.
pub(crate) fn condition(t: &TargetResult) -> String {
    let v = fmt_num(t.target_value);
    match t.comparator.as_str() {
        "at_least" => format!("≥ {v}"),
        "at_most" => format!("≤ {v}"),
        "about" => match t.band {
            Some(b) if b.is_finite() => format!("{v} ± {}", fmt_num(b)),
            _ => format!("≈ {v}"),
        },
        other => format!("{other} {v}"),
    }
}

/// The interval of outcomes that hit the target, when the comparator is known.
pub(crate) fn hit_interval(t: &TargetResult) -> Option<(f64, f64)> {
    let v = t.target_value;
    if !v.is_finite() {
        return None;
    }
    match t.comparator.as_str() {
        "at_least" => Some((v, f64::INFINITY)),
        "at_most" => Some((f64::NEG_INFINITY, v)),
        "about" => {
            let b = t.band.filter(|b| b.is_finite())?.abs();
            Some((v - b, v + b))
        }
        _ => None,
    }
}

/// A usable probability: finite and within [0, 1].
pub(crate) fn prob(p: Option<f64>) -> Option<f64> {
    p.filter(|p| p.is_finite() && (0.0..=1.0).contains(p))
}

/// Modeled targets that have a probability, riskiest (lowest P(hit)) first; ties keep
/// document order.
pub(crate) fn riskiest(s: &Summary) -> Vec<(&TargetResult, f64)> {
    let mut v: Vec<_> = s
        .targets
        .iter()
        .filter(|t| t.status == "modeled")
        .filter_map(|t| prob(t.p_hit).map(|p| (t, p)))
        .collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1));
    v
}

// ---------------------------------------------------------------- text

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

/// The name of a target (from [`target_lines`]) left-aligned at `x`, centred on `mid`:
/// two lines (Chinese above, English below in smaller type) or one name wrapped to at
/// most two lines; greyed out when `faded`.
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

// ---------------------------------------------------------------- legend

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
    let (mut cx, mut cy) = (x, y);
    for (key, label) in items {
        let w = 22 + 6 + txt.width(label) + 22;
        if cx + w > max_x && cx > x {
            cx = x;
            cy += line_h(SMALL) + 4;
        }
        draw_key(area, key, (cx, cy))?;
        txt.draw(area, label, (cx + 28, cy))?;
        cx += w;
    }
    Ok(cy)
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
    }
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
        "{} · seed {} · draws {} · sampler {} · planrisk {}",
        s.scenario.id,
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

// ---------------------------------------------------------------- axes

/// Moves label positions `ys` (any order) apart so that neighbours are at least `gap`
/// pixels apart, staying within `[lo, hi]` where possible; returns them in input order.
pub(crate) fn spread(ys: &[i32], gap: i32, lo: i32, hi: i32) -> Vec<i32> {
    let mut idx: Vec<usize> = (0..ys.len()).collect();
    idx.sort_by_key(|&i| ys[i]);
    let mut pos: Vec<i32> = idx.iter().map(|&i| ys[i]).collect();
    for k in 1..pos.len() {
        pos[k] = pos[k].max(pos[k - 1] + gap);
    }
    if let Some(&last) = pos.last() {
        if last > hi {
            let shift = last - hi;
            for p in pos.iter_mut() {
                *p -= shift;
            }
            for k in (0..pos.len().saturating_sub(1)).rev() {
                pos[k] = pos[k].min(pos[k + 1] - gap);
            }
        }
    }
    if let Some(&first) = pos.first() {
        if first < lo {
            let shift = lo - first;
            for p in pos.iter_mut() {
                *p += shift;
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

/// A tick label: as few decimals as the step needs.
pub(crate) fn fmt_tick(v: f64, step: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let decimals = if step >= 1.0 || step <= 0.0 || !step.is_finite() {
        0
    } else {
        (-step.log10().floor()) as usize
            + usize::from((step * 10f64.powf(-step.log10().floor())).fract() > 0.01)
    };
    let s = format!("{v:.decimals$}");
    group_thousands(&s)
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
    fn numbers() {
        assert_eq!(fmt_num(1234567.0), "1,234,567");
        assert_eq!(fmt_num(8.0), "8");
        assert_eq!(fmt_num(-21.456), "-21.46");
        assert_eq!(fmt_num(0.01234), "0.012");
        assert_eq!(fmt_num(f64::NAN), "–");
        assert_eq!(fmt_pct(0.6234), "62.3%");
        assert_eq!(fmt_pct(0.0004), "<0.1%");
        assert_eq!(fmt_pct(f64::NAN), "–");
        assert_eq!(fmt_tick(0.5, 0.5), "0.5");
        assert_eq!(fmt_tick(20.0, 5.0), "20");
        assert_eq!(fmt_tick(0.25, 0.25), "0.25");
        let t = ticks(0.0, 1.0, 5);
        assert_eq!(t.len(), 6);
        assert!((t[3] - 0.6).abs() < 1e-12);
        assert!(ticks(f64::NAN, 1.0, 5).is_empty());
    }

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
