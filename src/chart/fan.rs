//! Fan chart of one series (`fans/<series>.png`): per-year median with 50% and 90%
//! bands, the history the plan document states as dots, target levels as diamonds at
//! their year, and the final-year quantiles written at the right edge.

use plotters::element::{Circle, PathElement, Polygon};
use plotters::style::Color;

use super::prelude::*;
use crate::report::summary::{Fan, Summary};

pub(crate) const SIZE: (u32, u32) = (1400, 840);

const PLOT_L: i32 = 130;
const PLOT_R: i32 = 1130;

/// One year of the fan with all five quantiles finite.
struct Year {
    year: i32,
    q: [f64; 5],
}

fn years(f: &Fan) -> Vec<Year> {
    let n = [
        f.years.len(),
        f.p5.len(),
        f.p25.len(),
        f.p50.len(),
        f.p75.len(),
        f.p95.len(),
    ]
    .into_iter()
    .min()
    .unwrap_or(0);
    (0..n)
        .map(|i| Year {
            year: f.years[i],
            q: [f.p5[i], f.p25[i], f.p50[i], f.p75[i], f.p95[i]],
        })
        .filter(|y| y.q.iter().all(|v| v.is_finite()))
        .collect()
}

pub(crate) fn draw(area: &Canvas, s: &Summary, f: &Fan, lang: Lang) -> Result<(), ChartError> {
    let (w, h) = (SIZE.0 as i32, SIZE.1 as i32);
    let unit = unit_label(lang, &f.unit);
    let fallback = if f.series.trim().is_empty() {
        tr(lang, "未命名序列", "unnamed series")
    } else {
        f.series.clone()
    };
    let title = name_lines(lang, &f.name_zh, &f.name, &fallback);
    let top = header(area, &title, &subtitle(s, f, &unit, lang), w)? + 14;
    let bottom = h - FOOTER_H - 104;

    let ys = years(f);
    let hist: Vec<(i32, f64)> = f
        .history
        .iter()
        .copied()
        .filter(|(_, v)| v.is_finite())
        .collect();
    let targets: Vec<&(String, i32, f64)> = f.targets.iter().filter(|t| t.2.is_finite()).collect();

    let all_years = ys
        .iter()
        .map(|y| y.year)
        .chain(hist.iter().map(|h| h.0))
        .chain(targets.iter().map(|t| t.1));
    let (y0, y1) = all_years.fold((i32::MAX, i32::MIN), |(a, b), y| (a.min(y), b.max(y)));
    let values = ys
        .iter()
        .flat_map(|y| y.q)
        .chain(hist.iter().map(|h| h.1))
        .chain(targets.iter().map(|t| t.2));
    let (v0, v1) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if ys.is_empty() || y0 > y1 || !v0.is_finite() || !v1.is_finite() {
        no_data(
            area,
            (PLOT_L, top),
            (PLOT_R, bottom),
            &tr(
                lang,
                "这个序列没有可用的分位数",
                "No usable quantiles for this series",
            ),
        )?;
        return footer(area, &footer_text(s));
    }
    let pad = if v1 > v0 {
        (v1 - v0) * 0.08
    } else {
        v0.abs().max(1.0) * 0.1
    };
    let frame = Frame {
        x: Scale::new((f64::from(y0) - 0.5, f64::from(y1) + 0.5), (PLOT_L, PLOT_R)),
        y: Scale::new((v0 - pad, v1 + pad), (bottom, top)),
    };
    let xt: Vec<f64> = ticks(f64::from(y0), f64::from(y1), 12)
        .into_iter()
        .filter(|v| v.fract() == 0.0)
        .collect();
    let yt = ticks(v0 - pad, v1 + pad, 6);
    let ystep = if yt.len() > 1 { yt[1] - yt[0] } else { 1.0 };
    frame.draw(area, &xt, &yt, &|v| format!("{v:.0}"), &|v| {
        fmt_tick(v, ystep)
    })?;
    bands(area, &frame, &ys)?;
    history(area, &frame, &hist)?;
    target_marks(area, &frame, s, &targets, lang, (top, bottom))?;
    if let Some(last) = ys.last() {
        final_quantiles(area, &frame, last, lang, (top, bottom))?;
    }
    axes_and_legend(
        area,
        &unit,
        (!hist.is_empty(), !targets.is_empty()),
        lang,
        (top, bottom),
    )?;
    footer(area, &footer_text(s))
}

/// The sub lines: series, unit, what is drawn, and how many draws the quantiles use.
fn subtitle(s: &Summary, f: &Fan, unit: &str, lang: Lang) -> Vec<String> {
    let mut first = vec![format!("{} {}", tr(lang, "序列", "series"), f.series)];
    if !unit.trim().is_empty() {
        first.push(format!("{} {unit}", tr(lang, "单位", "unit")));
    }
    first.push(tr(
        lang,
        "每年的中位数、50%和90%区间",
        "per-year median, 50% and 90% bands",
    ));
    let mut sub = vec![first.join("  ·  ")];
    if s.fan_draws > 0 && s.fan_draws < s.draws {
        let n = fmt_count(s.fan_draws);
        sub.push(tr(
            lang,
            &format!("分位数基于前 {n} 次抽样"),
            &format!("quantiles from the first {n} draws"),
        ));
    }
    sub
}

/// The pixel of (year, value).
fn px(frame: &Frame, year: i32, v: f64) -> (i32, i32) {
    (frame.x.px(f64::from(year)), frame.y.px(v))
}

/// Bands: 90% then 50%, as polygons over the years; the median line over them.
fn bands(area: &Canvas, frame: &Frame, ys: &[Year]) -> Result<(), ChartError> {
    for (lo, hi, c) in [(0, 4, tint(BLUE, 0.18)), (1, 3, tint(BLUE, 0.38))] {
        if ys.len() >= 2 {
            let mut pts: Vec<(i32, i32)> = ys.iter().map(|y| px(frame, y.year, y.q[hi])).collect();
            pts.extend(ys.iter().rev().map(|y| px(frame, y.year, y.q[lo])));
            area.draw(&Polygon::new(pts, c.filled()))?;
        } else {
            let (x, a) = px(frame, ys[0].year, ys[0].q[hi]);
            let (_, b) = px(frame, ys[0].year, ys[0].q[lo]);
            fill_rect(area, (x - 8, a), (x + 8, b), c)?;
        }
    }
    let median: Vec<(i32, i32)> = ys.iter().map(|y| px(frame, y.year, y.q[2])).collect();
    area.draw(&PathElement::new(median.clone(), BLUE.stroke_width(3)))?;
    for p in &median {
        area.draw(&Circle::new(*p, 3, BLUE.filled()))?;
    }
    Ok(())
}

/// History: the points the document states, joined by a thin line.
fn history(area: &Canvas, frame: &Frame, hist: &[(i32, f64)]) -> Result<(), ChartError> {
    if hist.len() >= 2 {
        let pts: Vec<(i32, i32)> = hist.iter().map(|(y, v)| px(frame, *y, *v)).collect();
        area.draw(&PathElement::new(pts, MUTED.stroke_width(1)))?;
    }
    for (y, v) in hist {
        area.draw(&Circle::new(px(frame, *y, *v), 5, INK.filled()))?;
    }
    Ok(())
}

/// Targets: diamond at (year, level) with its condition written beside it.
fn target_marks(
    area: &Canvas,
    frame: &Frame,
    s: &Summary,
    targets: &[&(String, i32, f64)],
    lang: Lang,
    (top, bottom): (i32, i32),
) -> Result<(), ChartError> {
    let mut labels = vec![];
    for (id, year, level) in targets {
        let (x, y) = px(frame, *year, *level);
        binding_mark(area, (x, y), 8, VERMILLION)?;
        // The level on this series the target amounts to (a change target's condition is
        // in other units), with the comparator's direction.
        let symbol = s
            .targets
            .iter()
            .find(|t| &t.id == id)
            .map(|t| format!("{} ", t.comparator.symbol()))
            .unwrap_or_default();
        let cond = format!("{symbol}{}", fmt_num(*level));
        labels.push((
            x,
            y,
            format!("{} {cond} ({year})", tr(lang, "目标", "target")),
        ));
    }
    let placed = spread(
        &labels.iter().map(|l| l.1 - 18).collect::<Vec<_>>(),
        22,
        top + 10,
        bottom - 10,
    );
    for ((x, _, text), ly) in labels.iter().zip(placed) {
        let t = Txt::new(SMALL).color(VERMILLION).bold();
        let w = t.width(text);
        // Right of the marker when there is room, else left of it.
        let (lx, al) = if x + 14 + w < PLOT_R {
            (x + 14, HAlign::Left)
        } else {
            (x - 14, HAlign::Right)
        };
        let bx = if al == HAlign::Left { lx } else { lx - w };
        fill_rect(area, (bx - 3, ly - 10), (bx + w + 3, ly + 10), WHITE)?;
        t.align(al, VAlign::Middle).draw(area, text, (lx, ly))?;
    }
    Ok(())
}

/// Final-year quantiles at the right edge.
fn final_quantiles(
    area: &Canvas,
    frame: &Frame,
    last: &Year,
    lang: Lang,
    (top, bottom): (i32, i32),
) -> Result<(), ChartError> {
    let names = ["5%", "25%", "50%", "75%", "95%"];
    let want: Vec<i32> = last.q.iter().map(|v| frame.y.px(*v)).collect();
    let placed = spread(&want, 20, top + 24, bottom);
    for k in 0..5 {
        let t = Txt::new(SMALL).color(if k == 2 { BLUE } else { MUTED });
        let t = if k == 2 { t.bold() } else { t };
        t.draw(
            area,
            &format!("{} {}", names[k], fmt_num(last.q[k])),
            (PLOT_R + 14, placed[k]),
        )?;
    }
    let year = if lang == Lang::En {
        last.year.to_string()
    } else {
        format!("{}年", last.year)
    };
    let above = placed.iter().copied().min().unwrap_or(top) - 24;
    Txt::new(SMALL)
        .color(MUTED)
        .draw(area, &year, (PLOT_R + 14, above))?;
    Ok(())
}

/// Axis titles and legend (history and target keys only when there are some).
fn axes_and_legend(
    area: &Canvas,
    unit: &str,
    (has_history, has_targets): (bool, bool),
    lang: Lang,
    (top, bottom): (i32, i32),
) -> Result<(), ChartError> {
    Txt::new(TEXT).align(HAlign::Center, VAlign::Middle).draw(
        area,
        &tr(lang, "年份", "year"),
        ((PLOT_L + PLOT_R) / 2, bottom + 48),
    )?;
    Txt::new(TEXT).draw_vertical(
        area,
        &ellipsize(unit, TEXT, bottom - top),
        (PLOT_L - 100, (top + bottom) / 2),
    )?;
    let mut items = vec![
        (
            Key::Swatch(tint(BLUE, 0.18)),
            tr(lang, "90%区间", "90% band"),
        ),
        (
            Key::Swatch(tint(BLUE, 0.38)),
            tr(lang, "50%区间", "50% band"),
        ),
        (Key::Line(BLUE, 3), tr(lang, "中位数", "median")),
    ];
    if has_history {
        items.push((
            Key::Dot(INK),
            tr(lang, "文件所述历史值", "history stated in the plan"),
        ));
    }
    if has_targets {
        items.push((Key::Diamond(VERMILLION), tr(lang, "目标值", "target level")));
    }
    legend(area, &items, (PLOT_L, bottom + 84), SIZE.0 as i32 - MARGIN)?;
    Ok(())
}
