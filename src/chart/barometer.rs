//! The barometer (`barometer.png`): P(hit) of every target against the year it is
//! assessed as of, from the base year to the last observation the run used. Binding
//! (约束性) targets are drawn thick in vermillion, targets whose P(hit) moved by at
//! least `MOVED` in colour, each labelled with where it started and ended; the rest
//! are thin grey lines. Dashed verticals mark the observed years and what was observed.

use plotters::element::{Circle, PathElement};
use plotters::style::Color;

use super::prelude::*;
use crate::report::summary::{BarometerTarget, Summary};

/// A change of P(hit) this large over the years makes a target stand out.
const MOVED: f64 = 0.05;
const PLOT_L: i32 = 110;
const PLOT_R: i32 = 1060;
const LABEL_X: i32 = 1090;
const PLOT_H: i32 = 700;
/// Height of one line label (two lines of text).
const LABEL_GAP: i32 = 44;
/// The colour of the targets that neither bind nor move: visible, but behind the rest.
const OTHER: RGBColor = RGBColor(185, 185, 185);

fn top(s: &Summary) -> i32 {
    header_height(2, 2 + s.observed.len()) + 50
}

pub(crate) fn size(s: &Summary) -> (u32, u32) {
    (SHEET_WIDTH, (top(s) + PLOT_H + 70 + FOOTER_H + 10) as u32)
}

/// How a target's line is drawn.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Binding,
    Moved,
    Other,
}

fn kind(t: &BarometerTarget) -> Kind {
    let (lo, hi) = t
        .p_hit
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &p| {
            (a.min(p), b.max(p))
        });
    if t.binding {
        Kind::Binding
    } else if hi - lo >= MOVED {
        Kind::Moved
    } else {
        Kind::Other
    }
}

fn sub_lines(s: &Summary, lang: Lang) -> Vec<String> {
    let mut v = vec![tr(
        lang,
        "每年的达成概率：以截至该年的观测值为条件重新模拟（相同随机种子与抽样次数）",
        "P(hit) as of each year: the run conditioned on the observations up to that year (same seed and draws)",
    )];
    for o in &s.observed {
        let prior = match o.prior_percentile {
            Some(p) if p <= 0.0 => tr(lang, "低于此前全部抽样", "below every earlier draw"),
            Some(p) => tr(
                lang,
                &format!("此前分布的第 {} 百分位", fmt_pct(p)),
                &format!("at percentile {} of the earlier forecast", fmt_pct(p)),
            ),
            None => String::new(),
        };
        v.push(format!(
            "{} {} {} = {}  {prior}",
            tr(lang, "观测", "observed"),
            o.year,
            o.series,
            fmt_num(o.value)
        ));
    }
    v
}

pub(crate) fn draw(area: &Canvas, s: &Summary, lang: Lang) -> Result<(), ChartError> {
    let Some(b) = &s.barometer else {
        return Ok(());
    };
    let w = SHEET_WIDTH as i32;
    let mut title = scenario_title(lang, s);
    title.truncate(2);
    title[0] = format!(
        "{} · {}",
        tr(lang, "达成概率晴雨表", "P(hit) barometer"),
        title[0]
    );
    let y = header(area, &title, &sub_lines(s, lang), w)?;
    // The binding key only where a binding target is drawn: a key for no line misleads.
    let binding = b.targets.iter().any(|t| t.binding);
    let items: Vec<_> = [
        (Key::Line(VERMILLION, 4), binding_word(lang)),
        (
            Key::Line(BLUE, 2),
            tr(lang, "变化 ≥ 5 个百分点", "moved by ≥ 5 points"),
        ),
        (Key::Line(OTHER, 1), tr(lang, "其他目标", "other targets")),
    ]
    .into_iter()
    .skip(usize::from(!binding))
    .collect();
    legend(area, &items, (MARGIN, y + 12), w - MARGIN)?;
    let (t0, t1) = (top(s), top(s) + PLOT_H);
    let n = b.years.len().max(2) - 1;
    let frame = Frame {
        x: Scale::new((0.0, n as f64), (PLOT_L + 30, PLOT_R - 30)),
        y: Scale::new((0.0, 1.0), (t1, t0)),
    };
    let xs: Vec<f64> = (0..b.years.len()).map(|i| i as f64).collect();
    let ys: Vec<f64> = (0..=5).map(|i| f64::from(i) / 5.0).collect();
    let year_of = |v: f64| {
        b.years
            .get(v as usize)
            .map_or(String::new(), |y| y.to_string())
    };
    frame.draw(area, &xs, &ys, &year_of, &|v| format!("{:.0}%", v * 100.0))?;
    for o in &s.observed {
        if let Some(i) = b.years.iter().position(|&y| y == o.year) {
            let x = frame.x.px(i as f64);
            dashed(area, (x, t0), (x, t1), MUTED, 1, 6)?;
        }
    }
    Txt::new(TEXT)
        .color(MUTED)
        .align(HAlign::Center, VAlign::Top)
        .draw(
            area,
            &tr(lang, "评估所依据的年份（截至）", "assessed as of"),
            ((PLOT_L + PLOT_R) / 2, t1 + 36),
        )?;
    Txt::new(TEXT)
        .color(MUTED)
        .draw_vertical(area, "P(hit)", (PLOT_L - 72, (t0 + t1) / 2))?;
    lines(area, s, b, &frame, lang)?;
    footer(area, &footer_text(s))
}

/// The lines, grey ones first, and the labels of the ones that stand out.
fn lines(
    area: &Canvas,
    s: &Summary,
    b: &crate::report::summary::Barometer,
    frame: &Frame,
    lang: Lang,
) -> Result<(), ChartError> {
    let points = |t: &BarometerTarget| -> Vec<(i32, i32)> {
        t.p_hit
            .iter()
            .enumerate()
            .map(|(i, &p)| (frame.x.px(i as f64), frame.y.px(p)))
            .collect()
    };
    let mut labelled: Vec<(&BarometerTarget, RGBColor)> = Vec::new();
    for pass in [Kind::Other, Kind::Moved, Kind::Binding] {
        for t in b.targets.iter().filter(|t| kind(t) == pass) {
            let (color, width) = match pass {
                Kind::Other => (OTHER, 1),
                Kind::Moved => (CATEGORICAL[labelled.len() % 5], 3),
                Kind::Binding => (VERMILLION, 4),
            };
            let pts = points(t);
            area.draw(&PathElement::new(pts.clone(), color.stroke_width(width)))?;
            if pass != Kind::Other {
                for p in &pts {
                    area.draw(&Circle::new(*p, width as i32 + 1, color.filled()))?;
                }
                labelled.push((t, color));
            }
        }
    }
    // As many labels as fit: binding targets first, then the largest moves.
    let moved = |t: &BarometerTarget| {
        let (first, last) = (t.p_hit.first().copied(), t.p_hit.last().copied());
        first.zip(last).map_or(0.0, |(a, b)| (b - a).abs())
    };
    labelled.sort_by(|a, b| {
        (b.0.binding, moved(b.0))
            .partial_cmp(&(a.0.binding, moved(a.0)))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    labelled.truncate((PLOT_H / LABEL_GAP) as usize);
    let ends: Vec<i32> = labelled
        .iter()
        .map(|(t, _)| frame.y.px(*t.p_hit.last().unwrap_or(&0.0)))
        .collect();
    let spread = spread(&ends, LABEL_GAP, frame.top() + 12, frame.bottom() - 12);
    for (((t, color), &y), &end) in labelled.iter().zip(&spread).zip(&ends) {
        line(area, (PLOT_R - 26, end), (LABEL_X - 6, y), *color, 1)?;
        let names = match s.targets.iter().find(|r| r.id == t.id) {
            Some(r) => target_lines(lang, s, r),
            None => vec![t.id.clone()],
        };
        let first = t.p_hit.first().copied().unwrap_or(f64::NAN);
        let last = t.p_hit.last().copied().unwrap_or(f64::NAN);
        let head = format!("{} → {}", fmt_pct(first), fmt_pct(last));
        let max_w = SHEET_WIDTH as i32 - MARGIN - LABEL_X;
        Txt::new(TEXT)
            .bold()
            .color(*color)
            .draw(area, &head, (LABEL_X, y - 10))?;
        Txt::new(SMALL).color(INK).draw(
            area,
            &ellipsize(&names.join(" · "), SMALL, max_w),
            (LABEL_X, y + 11),
        )?;
    }
    if labelled.is_empty() {
        Txt::new(TEXT).color(MUTED).draw(
            area,
            &tr(
                lang,
                "没有约束性目标，也没有目标变化 ≥ 5 个百分点",
                "no binding target, and no target moved by 5 points or more",
            ),
            (LABEL_X, frame.top() + 20),
        )?;
    }
    Ok(())
}
