//! Outcome distribution of one modeled target (`targets/<id>.png`): its fine histogram
//! regrouped into about 50 display bins, the hit region shaded and the bars split at the
//! threshold (blue = hit, light vermillion = miss), the target (or the band of an `about`
//! or `range` target, with a line saying whether it is read one-sided or two-sided), the
//! median and the baseline as vertical lines, and a side panel with P(hit), its interval,
//! quantiles and shortfall.

use super::prelude::*;
use crate::model::Undefined;
use crate::report::summary::{Histogram, Summary, TargetResult};

pub(crate) const SIZE: (u32, u32) = (1400, 840);

const PLOT_L: i32 = 110;
const PLOT_R: i32 = 1030;
const SIDE_X: i32 = 1070;
const LABEL_ROW: i32 = 22;

/// Display bins regrouped from a fine histogram.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bins {
    /// `n + 1` bin edges.
    pub edges: Vec<f64>,
    /// Share of all draws (0–1) in each of the `n` bins.
    pub share: Vec<f64>,
    pub below: u64,
    pub above: u64,
}

/// Regroups `h` into about `target` bins (40–60 for the default 50) over the span of bins
/// that hold draws. `None` when the histogram is unusable: no bins, non-finite or empty
/// range, or no draw inside the range.
pub(crate) fn display_bins(h: &Histogram, target: usize) -> Option<Bins> {
    let n = h.counts.len();
    if n == 0 || !h.lo.is_finite() || !h.hi.is_finite() || h.hi <= h.lo {
        return None;
    }
    let w = (h.hi - h.lo) / n as f64;
    if !w.is_finite() || w <= 0.0 {
        return None;
    }
    let first = h.counts.iter().position(|&c| c > 0)?;
    let last = h.counts.iter().rposition(|&c| c > 0)?;
    let total: u128 = h.counts.iter().map(|&c| u128::from(c)).sum::<u128>()
        + u128::from(h.underflow)
        + u128::from(h.overflow);
    let span = last - first + 1;
    let group = span.div_ceil(target.max(1)).max(1);
    let groups = span.div_ceil(group);
    let mut edges = Vec::with_capacity(groups + 1);
    let mut share = Vec::with_capacity(groups);
    for g in 0..groups {
        let a = first + g * group;
        let b = (a + group).min(n);
        edges.push(h.lo + a as f64 * w);
        let c: u128 = h.counts[a..b].iter().map(|&c| u128::from(c)).sum();
        share.push(c as f64 / total as f64);
    }
    edges.push(h.lo + ((first + groups * group).min(n)) as f64 * w);
    Some(Bins {
        edges,
        share,
        below: h.underflow,
        above: h.overflow,
    })
}

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

/// A vertical marker on the x axis.
struct Marker {
    x: f64,
    label: String,
    color: RGBColor,
    dashed: bool,
    row: i32,
}

pub(crate) fn draw(
    area: &Canvas,
    s: &Summary,
    t: &TargetResult,
    lang: Lang,
) -> Result<(), ChartError> {
    let (w, h) = (SIZE.0 as i32, SIZE.1 as i32);
    let unit = unit_short(lang, &t.unit);
    let mut sub = vec![format!(
        "{} {} {}  ·  {} {}  ·  {} {}{}",
        tr(lang, "目标", "target"),
        condition(t),
        unit,
        tr(lang, "年份", "year"),
        t.horizon,
        tr(lang, "指标", "metric"),
        t.metric,
        if t.binding {
            format!("  ·  {}", binding_word(lang))
        } else {
            String::new()
        }
    )];
    let mut where_ = vec![];
    if let Some(r) = &t.region {
        where_.push(format!(
            "{} {}",
            tr(lang, "地区", "region"),
            region_name(lang, s, r)
        ));
    }
    if let Some(a) = t.agency.as_deref().filter(|a| !a.trim().is_empty()) {
        where_.push(format!("{} {a}", tr(lang, "牵头部门", "lead agency")));
    }
    where_.push(format!("id {}", t.id));
    sub.push(where_.join("  ·  "));
    sub.extend(reading_sentence(lang, t));
    let top = header(area, &target_lines(lang, s, t), &sub, w)? + 3 * LABEL_ROW + 6;
    let bottom = h - FOOTER_H - 104;

    side_panel(area, t, lang, top - 3 * LABEL_ROW)?;

    let bins = t.histogram.as_ref().and_then(|h| display_bins(h, 50));
    match bins {
        Some(b) => plot(area, t, &b, lang, (top, bottom))?,
        None => no_data(
            area,
            (PLOT_L, top),
            (PLOT_R, bottom),
            &match (t.undefined_draws, t.undefined) {
                (Some(u), Some(how)) if u > 0 => tr(
                    lang,
                    &format!(
                        "{u} 次抽样结果无定义（如基期为零），按{}计",
                        if how == Undefined::Hit {
                            "达成"
                        } else {
                            "未达成"
                        }
                    ),
                    &format!(
                        "{u} draws have no defined outcome (e.g. a zero baseline), scored as {}",
                        if how == Undefined::Hit {
                            "hits"
                        } else {
                            "misses"
                        }
                    ),
                ),
                _ => tr(
                    lang,
                    "没有可用的分布数据（直方图缺失或为空）",
                    "No distribution to show (histogram missing or empty)",
                ),
            },
        )?,
    }
    plot_legend(area, t, lang, bottom + 84)?;
    footer(area, &footer_text(s))
}

fn plot_legend(area: &Canvas, t: &TargetResult, lang: Lang, y: i32) -> Result<(), ChartError> {
    let mut items = vec![
        (Key::Swatch(BLUE), tr(lang, "达成的抽样", "draws that hit")),
        (
            Key::Swatch(tint(VERMILLION, 0.55)),
            tr(lang, "未达成的抽样", "draws that miss"),
        ),
        (
            Key::Swatch(tint(BLUE, 0.10)),
            tr(lang, "达成区域", "hit region"),
        ),
        (Key::Line(INK, 2), tr(lang, "目标值", "target")),
        (Key::Dash(BLUE), tr(lang, "中位数", "median")),
    ];
    if finite(t.baseline).is_some() {
        items.push((Key::Dash(MUTED), tr(lang, "基期值", "baseline")));
    }
    legend(area, &items, (PLOT_L, y), SIZE.0 as i32 - MARGIN)?;
    Ok(())
}

fn plot(
    area: &Canvas,
    t: &TargetResult,
    b: &Bins,
    lang: Lang,
    (top, bottom): (i32, i32),
) -> Result<(), ChartError> {
    let goal = t.goal();
    let hit = goal.hit_interval();
    let (lo, hi) = x_range(t, b);
    let ymax = b.share.iter().copied().fold(0.0, f64::max).max(1e-9) * 1.08;
    let frame = Frame {
        x: Scale::new((lo, hi), (PLOT_L, PLOT_R)),
        y: Scale::new((0.0, ymax), (bottom, top)),
    };

    // Hit region.
    if let Some((a, z)) = hit {
        let (a, z) = (a.max(lo), z.min(hi));
        if z > a {
            fill_rect(
                area,
                (frame.x.px(a), top),
                (frame.x.px(z), bottom),
                tint(BLUE, 0.10),
            )?;
        }
    }
    let xt = ticks(lo, hi, 8);
    let xstep = if xt.len() > 1 { xt[1] - xt[0] } else { 1.0 };
    let yt = ticks(0.0, ymax * 100.0, 5);
    let ystep = if yt.len() > 1 { yt[1] - yt[0] } else { 1.0 };
    let yt: Vec<f64> = yt.iter().map(|v| v / 100.0).collect();
    frame.draw(area, &xt, &yt, &|v| fmt_tick(v, xstep), &|v| {
        format!("{}%", fmt_tick(v * 100.0, ystep))
    })?;
    bars(area, &frame, b, hit, bottom)?;
    for m in &markers(t, lang) {
        draw_marker(area, &frame, m, (lo, hi), (top, bottom))?;
    }

    // Axis titles.
    Txt::new(TEXT)
        .color(INK)
        .align(HAlign::Center, VAlign::Middle)
        .draw(
            area,
            &format!(
                "{}: {}",
                tr(lang, "结果", "outcome"),
                unit_label(lang, &t.unit)
            ),
            ((PLOT_L + PLOT_R) / 2, bottom + 48),
        )?;
    Txt::new(TEXT).color(INK).draw_vertical(
        area,
        &tr(lang, "抽样占比", "share of draws"),
        (PLOT_L - 80, (top + bottom) / 2),
    )?;
    Ok(())
}

/// x range: the data, widened to show the target and baseline when they are near.
fn x_range(t: &TargetResult, b: &Bins) -> (f64, f64) {
    let n = b.share.len();
    let (d0, d1) = (b.edges[0], b.edges[n]);
    let reach = (d1 - d0).max(f64::MIN_POSITIVE);
    let near = |v: f64| v.is_finite() && v >= d0 - reach && v <= d1 + reach;
    let goal = t.goal();
    let mut lo = d0;
    let mut hi = d1;
    let mut thresholds = vec![];
    match (goal.band_edges(), goal.hit_interval()) {
        (Some((a, z)), _) => thresholds.extend([a, z]),
        (None, Some(_)) => thresholds.push(t.target_value),
        _ => {}
    }
    for v in thresholds.iter().copied().chain(finite(t.baseline)) {
        if near(v) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    let pad = (hi - lo) * 0.04;
    if pad > 0.0 && pad.is_finite() {
        (lo - pad, hi + pad)
    } else {
        (lo - 0.5, hi + 0.5)
    }
}

/// Bars, split where they cross the hit interval.
fn bars(
    area: &Canvas,
    frame: &Frame,
    b: &Bins,
    hit: Option<(f64, f64)>,
    bottom: i32,
) -> Result<(), ChartError> {
    let miss = tint(VERMILLION, 0.55);
    for i in 0..b.share.len() {
        let (a, z) = (b.edges[i], b.edges[i + 1]);
        if b.share[i] <= 0.0 {
            continue;
        }
        let y = frame.y.px(b.share[i]);
        let (xa, xz) = (frame.x.px(a), frame.x.px(z) - 1);
        let parts: Vec<(f64, f64, RGBColor)> = match hit {
            Some((ha, hz)) => {
                let mut v = vec![];
                if a < ha {
                    v.push((a, ha.min(z), miss));
                }
                if ha < z && hz > a {
                    v.push((ha.max(a), hz.min(z), BLUE));
                }
                if z > hz {
                    v.push((hz.max(a), z, miss));
                }
                v
            }
            None => vec![(a, z, tint(BLUE, 0.6))],
        };
        for (pa, pz, c) in parts {
            let (x0, x1) = (frame.x.px(pa).max(xa), frame.x.px(pz).min(xz));
            if x1 >= x0 {
                fill_rect(area, (x0, y), (x1, bottom - 1), c)?;
            }
        }
    }
    Ok(())
}

/// Markers: target(s) on the first label row, median on the second, baseline on the third.
fn markers(t: &TargetResult, lang: Lang) -> Vec<Marker> {
    let goal = t.goal();
    let mut markers = vec![];
    let tlabel = format!("{} {}", tr(lang, "目标", "target"), condition(t));
    let target = |label: String, x: f64, dashed: bool| Marker {
        x,
        label,
        color: INK,
        dashed,
        row: 0,
    };
    match (goal.band_edges(), goal.hit_interval()) {
        (Some((a, z)), _) => {
            markers.push(target(String::new(), a, true));
            markers.push(target(String::new(), z, true));
            markers.push(target(tlabel, t.target_value, false));
        }
        (None, Some(_)) => markers.push(target(tlabel, t.target_value, false)),
        _ => {}
    }
    if let Some(m) = t.quantiles.map(|q| q.p50).filter(|v| v.is_finite()) {
        markers.push(Marker {
            x: m,
            label: format!("{} {}", tr(lang, "中位数", "median"), fmt_num(m)),
            color: BLUE,
            dashed: true,
            row: 1,
        });
    }
    if let Some(v) = finite(t.baseline) {
        markers.push(Marker {
            x: v,
            label: format!("{} {}", tr(lang, "基期", "baseline"), fmt_num(v)),
            color: MUTED,
            dashed: true,
            row: 2,
        });
    }
    markers
}

/// A marker line with its label on its row above the plot; a marker off the x range is
/// named at the nearer edge.
fn draw_marker(
    area: &Canvas,
    frame: &Frame,
    m: &Marker,
    (lo, hi): (f64, f64),
    (top, bottom): (i32, i32),
) -> Result<(), ChartError> {
    let label_y = top - (3 - m.row) * LABEL_ROW + LABEL_ROW / 2 - 4;
    let txt = Txt::new(SMALL).color(m.color);
    if m.x < lo || m.x > hi {
        // Off scale: say where it is at the nearer edge.
        if !m.label.is_empty() {
            let (s, x, al) = if m.x < lo {
                (format!("← {}", m.label), PLOT_L, HAlign::Left)
            } else {
                (format!("{} →", m.label), PLOT_R, HAlign::Right)
            };
            txt.align(al, VAlign::Middle).draw(area, &s, (x, label_y))?;
        }
        return Ok(());
    }
    let x = frame.x.px(m.x);
    let y0 = if m.label.is_empty() { top } else { label_y + 9 };
    if m.dashed {
        dashed(area, (x, y0), (x, bottom), m.color, 2, 6)?;
    } else {
        line(area, (x, y0), (x, bottom), m.color, 2)?;
    }
    if !m.label.is_empty() {
        let lw = txt.width(&m.label);
        let cx = x.clamp(PLOT_L + lw / 2, PLOT_R - lw / 2);
        fill_rect(
            area,
            (cx - lw / 2 - 3, label_y - 9),
            (cx + lw / 2 + 3, label_y + 9),
            WHITE,
        )?;
        txt.align(HAlign::Center, VAlign::Middle)
            .draw(area, &m.label, (cx, label_y))?;
    }
    Ok(())
}

fn side_panel(area: &Canvas, t: &TargetResult, lang: Lang, top: i32) -> Result<(), ChartError> {
    let x = SIDE_X;
    let max_w = SIZE.0 as i32 - MARGIN - x;
    let label = Txt::new(SMALL)
        .color(MUTED)
        .align(HAlign::Left, VAlign::Top);
    let value = Txt::new(TEXT).color(INK).align(HAlign::Left, VAlign::Top);
    let mut y = probability_block(area, t, lang, (x, top), max_w)?;
    y += 10;
    line(area, (x, y), (x + max_w, y), GRID, 1)?;
    y += 12;
    for (k, v) in facts(t, lang) {
        for l in wrap(&k, SMALL, max_w, 2) {
            label.draw(area, &l, (x, y))?;
            y += line_h(SMALL);
        }
        value.draw(area, &ellipsize(&v, TEXT, max_w), (x, y))?;
        y += line_h(TEXT) + 8;
    }
    Ok(())
}

/// P(hit) in large type, its interval and its risk band (or "no estimate"), from
/// `(x, y)`; returns the y below it.
fn probability_block(
    area: &Canvas,
    t: &TargetResult,
    lang: Lang,
    (x, mut y): (i32, i32),
    max_w: i32,
) -> Result<i32, ChartError> {
    let label = Txt::new(SMALL)
        .color(MUTED)
        .align(HAlign::Left, VAlign::Top);
    let value = Txt::new(TEXT).color(INK).align(HAlign::Left, VAlign::Top);
    label.draw(area, &tr(lang, "达成概率", "P(hit)"), (x, y))?;
    y += line_h(SMALL);
    match prob(t.p_hit) {
        Some(p) => {
            let band = Band::of(p);
            Txt::new(40.0)
                .color(band.color())
                .bold()
                .align(HAlign::Left, VAlign::Top)
                .draw(area, &fmt_pct(p), (x, y + 4))?;
            y += 56;
            value.draw(
                area,
                &format!(
                    "{} {}",
                    tr(lang, "95%区间", "95% interval"),
                    fmt_ci(t.p_hit_ci95)
                ),
                (x, y),
            )?;
            y += line_h(TEXT);
            fill_rect(area, (x, y + 2), (x + 14, y + 16), band.color())?;
            for l in wrap(&band.label(lang), SMALL, max_w - 22, 2) {
                label.draw(area, &l, (x + 22, y + 3))?;
                y += line_h(SMALL);
            }
        }
        None => {
            Txt::new(28.0)
                .color(FADED)
                .align(HAlign::Left, VAlign::Top)
                .draw(area, &tr(lang, "无估计", "no estimate"), (x, y + 4))?;
            y += 44;
        }
    }
    Ok(y)
}

/// The outcome's facts as (label, value) rows: quantiles, mean, shortfall, baseline,
/// draws outside the histogram.
fn facts(t: &TargetResult, lang: Lang) -> Vec<(String, String)> {
    let unit = unit_short(lang, &t.unit);
    let q = t.quantiles.filter(|q| {
        [q.p5, q.p25, q.p50, q.p75, q.p95]
            .iter()
            .all(|v| v.is_finite())
    });
    let mut rows: Vec<(String, String)> = vec![];
    if let Some(q) = q {
        rows.push((
            tr(lang, "中位数", "median"),
            format!("{} {unit}", fmt_num(q.p50)),
        ));
        rows.push((
            tr(lang, "50%区间", "50% range"),
            format!("{} – {}", fmt_num(q.p25), fmt_num(q.p75)),
        ));
        rows.push((
            tr(lang, "90%区间", "90% range"),
            format!("{} – {}", fmt_num(q.p5), fmt_num(q.p95)),
        ));
    }
    if let (Some(m), Some(sd)) = (finite(t.mean), finite(t.sd)) {
        rows.push((
            tr(lang, "均值 ± 标准差", "mean ± sd"),
            format!("{} ± {}", fmt_num(m), fmt_num(sd)),
        ));
    }
    if let Some(es) = finite(t.expected_shortfall) {
        rows.push((
            tr(lang, "未达成时的平均差距", "mean shortfall when missed"),
            format!("{} {unit}", fmt_num(es)),
        ));
    }
    if let Some(b) = finite(t.baseline) {
        rows.push((
            tr(lang, "基期值", "baseline"),
            format!("{} {unit}", fmt_num(b)),
        ));
    }
    if let Some(h) = &t.histogram {
        if h.underflow > 0 || h.overflow > 0 {
            rows.push((
                tr(lang, "超出直方图范围的抽样", "draws outside histogram"),
                format!(
                    "{} {} · {} {}",
                    fmt_count(h.underflow),
                    tr(lang, "偏低", "below"),
                    fmt_count(h.overflow),
                    tr(lang, "偏高", "above")
                ),
            ));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hist(lo: f64, hi: f64, counts: Vec<u64>) -> Histogram {
        Histogram {
            lo,
            hi,
            counts,
            underflow: 0,
            overflow: 0,
            min: lo,
            max: hi,
        }
    }

    #[test]
    fn regroups_fine_bins() {
        let mut counts = vec![0u64; 1200];
        for (i, c) in counts.iter_mut().enumerate().take(1100).skip(100) {
            *c = (i % 7) as u64 + 1;
        }
        let b = display_bins(&hist(0.0, 12.0, counts.clone()), 50).unwrap();
        assert!((40..=60).contains(&b.share.len()), "{}", b.share.len());
        assert_eq!(b.edges.len(), b.share.len() + 1);
        assert!((b.edges[0] - 1.0).abs() < 1e-9);
        assert!((b.edges[b.share.len()] - 11.0).abs() < 1e-9);
        assert!((b.share.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn rejects_unusable_histograms() {
        assert!(display_bins(&hist(0.0, 1.0, vec![]), 50).is_none());
        assert!(display_bins(&hist(f64::NAN, 1.0, vec![1; 10]), 50).is_none());
        assert!(display_bins(&hist(1.0, 1.0, vec![1; 10]), 50).is_none());
        assert!(display_bins(&hist(0.0, 1.0, vec![0; 10]), 50).is_none());
        assert!(display_bins(&hist(f64::MIN, f64::MAX, vec![1; 10]), 50).is_none());
        let one = display_bins(&hist(0.0, 1.0, vec![0, 5, 0]), 50).unwrap();
        assert_eq!(one.share, vec![1.0]);
    }
}
