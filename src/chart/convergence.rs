//! Convergence sheet (`convergence.png`): for the riskiest targets (up to eight), the
//! running P(hit) against the number of draws on a log axis, inside the band
//! p ± 1.96·√(p(1−p)/n) around the final estimate p that Monte Carlo noise alone allows.

use plotters::element::{Circle, PathElement, Polygon};
use plotters::style::Color;

use super::prelude::*;
use crate::report::summary::{Summary, TargetResult};

const MAX_LINES: usize = 8;
const COLS: usize = 4;
const GAP: i32 = 40;
const PANEL_H: i32 = 380;
const PANEL_HEAD: i32 = 56;

pub(crate) struct Line<'a> {
    target: &'a TargetResult,
    /// Final estimate.
    p: f64,
    /// (draws, running P(hit)), draws ≥ 1, finite.
    points: Vec<(f64, f64)>,
}

/// The running estimates of the riskiest targets that have at least two usable points.
pub(crate) fn lines(s: &Summary) -> Vec<Line<'_>> {
    let c = &s.convergence;
    riskiest(s)
        .into_iter()
        .filter_map(|(t, p)| {
            let i = c.ids.iter().position(|id| id == &t.id)?;
            let row = c.p_hit.get(i)?;
            let points: Vec<(f64, f64)> = c
                .draws
                .iter()
                .zip(row)
                .filter(|(n, v)| **n >= 1 && v.is_finite())
                .map(|(n, v)| (*n as f64, v.clamp(0.0, 1.0)))
                .collect();
            (points.len() >= 2).then_some(Line {
                target: t,
                p,
                points,
            })
        })
        .take(MAX_LINES)
        .collect()
}

fn grid_dims(n: usize) -> (i32, i32) {
    let cols = n.clamp(1, COLS) as i32;
    (cols, (n.max(1) as i32 + cols - 1) / cols)
}

fn top() -> i32 {
    header_height(2, 2) + 44
}

pub(crate) fn size(n: usize) -> (u32, u32) {
    let (_, rows) = grid_dims(n);
    (
        SHEET_WIDTH,
        (top() + rows * (PANEL_H + GAP) + FOOTER_H) as u32,
    )
}

fn half_width(p: f64, n: f64) -> f64 {
    1.96 * (p * (1.0 - p) / n).sqrt()
}

pub(crate) fn draw(
    area: &Canvas,
    s: &Summary,
    lines: &[Line],
    lang: Lang,
) -> Result<(), ChartError> {
    let w = SHEET_WIDTH as i32;
    let mut title = scenario_title(lang, s);
    title.truncate(2);
    title[0] = format!("{} · {}", tr(lang, "收敛诊断", "Convergence"), title[0]);
    let mut sub = name_lines(
        lang,
        "风险最高的目标：达成概率随抽样次数的变化（对数横轴）；阴影为最终估计 ± 1.96·√(p(1−p)/n)",
        "Riskiest targets: running P(hit) against draws (log axis); shaded: final estimate ± 1.96·√(p(1−p)/n)",
        "",
    );
    sub.truncate(2);
    let y = header(area, &title, &sub, w)?;
    let items = [
        (Key::Line(INK, 2), tr(lang, "累计估计", "running estimate")),
        (Key::Dash(BLUE), tr(lang, "最终估计", "final estimate")),
        (
            Key::Swatch(tint(SKY, 0.35)),
            tr(
                lang,
                "蒙特卡罗误差带（95%）",
                "Monte Carlo noise band (95%)",
            ),
        ),
    ];
    legend(area, &items, (MARGIN, y + 10), w - MARGIN)?;

    let (cols, _) = grid_dims(lines.len());
    let pw = (w - 2 * MARGIN - (cols - 1) * GAP) / cols;
    for (i, l) in lines.iter().enumerate() {
        let (c, r) = ((i as i32) % cols, (i as i32) / cols);
        let x0 = MARGIN + c * (pw + GAP);
        let y0 = top() + r * (PANEL_H + GAP);
        panel(area, s, l, lang, (x0, y0, x0 + pw))?;
    }
    footer(area, &footer_text(s))
}

fn fmt_draws(n: f64) -> String {
    if n >= 1e6 {
        format!("{}M", fmt_num(n / 1e6))
    } else if n >= 1e3 {
        format!("{}k", fmt_num(n / 1e3))
    } else {
        fmt_num(n)
    }
}

fn panel(
    area: &Canvas,
    s: &Summary,
    l: &Line,
    lang: Lang,
    (x0, y0, x1): (i32, i32, i32),
) -> Result<(), ChartError> {
    let value = format!("P(hit) {}", fmt_pct(l.p));
    let status = Some((value.as_str(), Band::of(l.p).color()));
    title_line(
        area,
        &target_lines(lang, s, l.target),
        status,
        12,
        (x0, y0, x1),
    )?;
    let left = x0 + 62;
    let (top, bottom) = (y0 + PANEL_HEAD + 8, y0 + PANEL_H - 44);
    let (n0, n1) = l
        .points
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), (n, _)| {
            (a.min(*n), b.max(*n))
        });
    let (lx0, lx1) = (n0.log10(), n1.log10().max(n0.log10() + 1e-9));
    // y range: the running values and the band, within [0, 1].
    let mut lo = l.p;
    let mut hi = l.p;
    for (n, v) in &l.points {
        let hw = half_width(l.p, *n);
        lo = lo.min(*v).min(l.p - hw);
        hi = hi.max(*v).max(l.p + hw);
    }
    let (lo, hi) = (lo.max(0.0), hi.min(1.0));
    let pad = ((hi - lo) * 0.06).max(0.002);
    let (lo, hi) = ((lo - pad).max(0.0), (hi + pad).min(1.0));
    let frame = Frame {
        x: Scale::new((lx0, lx1), (left, x1)),
        y: Scale::new((lo, hi), (bottom, top)),
    };
    let xt: Vec<f64> = (lx0.ceil() as i32..=lx1.floor() as i32)
        .map(f64::from)
        .collect();
    let yt = ticks(lo * 100.0, hi * 100.0, 5);
    let ystep = if yt.len() > 1 { yt[1] - yt[0] } else { 1.0 };
    let yt: Vec<f64> = yt.iter().map(|v| v / 100.0).collect();

    band(area, &frame, l.p, (lx0, lx1), (lo, hi))?;
    frame.draw(area, &xt, &yt, &|v| fmt_draws(10f64.powf(v)), &|v| {
        format!("{}%", fmt_tick(v * 100.0, ystep))
    })?;
    let py = frame.y.px(l.p);
    dashed(area, (left, py), (x1, py), BLUE, 2, 6)?;
    let run: Vec<(i32, i32)> = l
        .points
        .iter()
        .map(|(n, v)| (frame.x.px(n.log10()), frame.y.px(*v)))
        .collect();
    area.draw(&PathElement::new(run.clone(), INK.stroke_width(2)))?;
    for p in &run {
        area.draw(&Circle::new(*p, 3, INK.filled()))?;
    }
    Txt::new(SMALL)
        .color(MUTED)
        .align(HAlign::Center, VAlign::Top)
        .draw(
            area,
            &tr(lang, "抽样次数", "draws"),
            ((left + x1) / 2, bottom + 28),
        )?;
    Ok(())
}

/// The 95% band around the final estimate `p` at every draw count, sampled on 80
/// log-spaced draw counts over `lx0..lx1` (log10) and kept inside `lo..hi`.
fn band(
    area: &Canvas,
    frame: &Frame,
    p: f64,
    (lx0, lx1): (f64, f64),
    (lo, hi): (f64, f64),
) -> Result<(), ChartError> {
    let k = 80;
    let ns: Vec<f64> = (0..=k)
        .map(|i| 10f64.powf(lx0 + (lx1 - lx0) * f64::from(i) / f64::from(k)))
        .collect();
    let mut pts: Vec<(i32, i32)> = ns
        .iter()
        .map(|n| {
            (
                frame.x.px(n.log10()),
                frame.y.px((p + half_width(p, *n)).min(hi)),
            )
        })
        .collect();
    pts.extend(ns.iter().rev().map(|n| {
        (
            frame.x.px(n.log10()),
            frame.y.px((p - half_width(p, *n)).max(lo)),
        )
    }));
    area.draw(&Polygon::new(pts, tint(SKY, 0.35).filled()))?;
    Ok(())
}
