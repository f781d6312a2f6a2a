//! Colours: the colour-blind-safe Okabe–Ito palette, the greys for text, rules and
//! shading, the three risk bands of P(hit) with their colours and labels, and the
//! diverging P(hit) scale of the heat maps.

pub(crate) use plotters::style::{RGBColor, WHITE};

use super::format::tr;
use super::options::Lang;

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

/// Diverging colour for a probability: vermillion at 0, near-white at 65%, blue at 1.
pub(crate) fn heat(p: f64) -> RGBColor {
    let mix = |a: RGBColor, b: RGBColor, t: f64| {
        let m = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
        RGBColor(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
    };
    let light = RGBColor(247, 245, 240);
    let p = if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.0
    };
    if p < 0.65 {
        mix(VERMILLION, light, p / 0.65)
    } else {
        mix(light, BLUE, (p - 0.65) / 0.35)
    }
}

/// Whether text on `c` should be white.
pub(crate) fn is_dark(c: RGBColor) -> bool {
    0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2) < 150.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_is_total() {
        assert_eq!(heat(f64::NAN), heat(0.0));
        assert_eq!(heat(1.0), BLUE);
        assert!(!is_dark(heat(0.65)));
    }
}
