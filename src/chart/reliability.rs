//! Reliability chart of a back-test (`charts/reliability.png`). Left: the reliability
//! diagram — per forecast bin, the share of targets hit against the mean P(hit), with
//! the count of targets in the bin, the diagonal of perfect calibration and, around
//! it, the 95% range a calibrated forecaster's bin would fall in by chance
//! (±1.96·√(p(1−p)/n)); below it, the scores beside the reference forecasts. Right:
//! each scored target's realized value on a strip of its forecast outcome
//! distribution (5–95% and 25–75% ranges, median), with its target line.

use plotters::element::Circle;
use plotters::style::Color;

use super::prelude::*;
use crate::report::backtest::{Backtest, BacktestTarget};

const DIAGRAM: i32 = 620;
const DIAGRAM_LEFT: i32 = MARGIN + 86;
const STRIPS_LEFT: i32 = DIAGRAM_LEFT + DIAGRAM + 90;
const ROW_H: i32 = 74;
const SCORES_H: i32 = 200;
/// Strips drawn at most; more are cut with a note.
const MAX_ROWS: usize = 300;

fn top() -> i32 {
    header_height(2, 2) + 8
}

/// Pixel size of the chart for `bt`.
pub(crate) fn size(bt: &Backtest) -> (u32, u32) {
    let rows = bt.targets.len().min(MAX_ROWS) as i32;
    let body = (DIAGRAM + 140 + SCORES_H).max(rows * ROW_H + 80);
    (SHEET_WIDTH, (top() + body + FOOTER_H + 20) as u32)
}

pub(crate) fn draw(area: &Canvas, bt: &Backtest, lang: Lang) -> Result<(), ChartError> {
    let w = SHEET_WIDTH as i32;
    let mut title = name_lines(
        lang,
        &bt.scenario.name_zh,
        &bt.scenario.name,
        &bt.scenario.id,
    );
    title.truncate(2);
    title[0] = format!("{} · {}", tr(lang, "回测", "Back-test"), title[0]);
    let scored = bt.targets.len();
    let hits = bt.targets.iter().filter(|t| t.hit).count();
    let mut sub = vec![tr(
        lang,
        &format!(
            "截至 {} 年的预测 · 评分目标 {scored} 个，其中达成 {hits} 个",
            bt.as_of
        ),
        &format!(
            "Forecasts as of {} · {scored} targets scored, {hits} hit",
            bt.as_of
        ),
    )];
    if let Some(c) = &bt.caution {
        sub.push(tr(lang, "样本太少：不能据此判断概率是否校准", c));
    }
    header(area, &title, &sub, w)?;
    let y0 = top();
    diagram(area, bt, lang, y0)?;
    scores(area, bt, lang, y0 + DIAGRAM + 140)?;
    strips(area, bt, lang, y0)?;
    footer(
        area,
        &format!(
            "{} · as of {} · seed {} · draws {} · outcomes {} · planrisk {}",
            bt.scenario.id,
            bt.as_of,
            bt.seed,
            fmt_count(bt.draws),
            bt.outcomes_file,
            env!("CARGO_PKG_VERSION")
        ),
    )
}

/// The reliability diagram in a square below `y0`.
fn diagram(area: &Canvas, bt: &Backtest, lang: Lang, y0: i32) -> Result<(), ChartError> {
    let (l, t) = (DIAGRAM_LEFT, y0 + 70);
    let (r, b) = (l + DIAGRAM, t + DIAGRAM);
    let frame = Frame {
        x: Scale::new((0.0, 1.0), (l, r)),
        y: Scale::new((0.0, 1.0), (b, t)),
    };
    let ticks: Vec<f64> = (0..=5).map(|i| f64::from(i) / 5.0).collect();
    let pct = |v: f64| format!("{:.0}%", v * 100.0);
    // The chance band of a calibrated forecaster, per non-empty bin.
    for bin in &bt.reliability {
        let Some(f) = bin.mean_forecast else { continue };
        let hw = 1.96 * (f * (1.0 - f) / bin.count as f64).sqrt();
        let x = frame.x.px(f);
        let (ya, yb) = (frame.y.px((f + hw).min(1.0)), frame.y.px((f - hw).max(0.0)));
        fill_rect(area, (x - 9, ya), (x + 9, yb.max(ya + 2)), tint(SKY, 0.4))?;
    }
    frame.draw(area, &ticks, &ticks, &pct, &pct)?;
    dashed(area, (l, b), (r, t), MUTED, 2, 8)?;
    for bin in &bt.reliability {
        let (Some(f), Some(o)) = (bin.mean_forecast, bin.observed_frequency) else {
            continue;
        };
        let hw = 1.96 * (f * (1.0 - f) / bin.count as f64).sqrt();
        let inside = (o - f).abs() <= hw.max(1e-12);
        let color = if inside { GREEN } else { VERMILLION };
        let (x, y) = (frame.x.px(f), frame.y.px(o));
        let radius = (4.0 + 2.0 * (bin.count as f64).sqrt()).min(16.0) as i32;
        area.draw(&Circle::new((x, y), radius, color.filled()))?;
        Txt::new(SMALL)
            .color(INK)
            .align(HAlign::Left, VAlign::Middle)
            .draw(area, &format!("n={}", bin.count), (x + radius + 4, y))?;
    }
    Txt::new(TEXT)
        .color(MUTED)
        .align(HAlign::Center, VAlign::Top)
        .draw(
            area,
            &tr(lang, "预测达成概率", "forecast P(hit)"),
            ((l + r) / 2, b + 36),
        )?;
    Txt::new(TEXT).color(MUTED).draw_vertical(
        area,
        &tr(lang, "实际达成比例", "share of targets hit"),
        (l - 62, (t + b) / 2),
    )?;
    let items = [
        (
            Key::Dash(MUTED),
            tr(lang, "完全校准", "perfect calibration"),
        ),
        (
            Key::Swatch(tint(SKY, 0.4)),
            tr(
                lang,
                "校准预测的95%随机范围",
                "95% chance range if calibrated",
            ),
        ),
        (Key::Dot(GREEN), tr(lang, "范围内", "inside")),
        (Key::Dot(VERMILLION), tr(lang, "范围外", "outside")),
    ];
    legend(area, &items, (MARGIN, y0 + 10), r + 40)?;
    Ok(())
}

/// The scores table below the diagram.
fn scores(area: &Canvas, bt: &Backtest, lang: Lang, y0: i32) -> Result<(), ChartError> {
    let x = MARGIN;
    let cols = [x, x + 390, x + 500, x + 630];
    let head = Txt::new(SMALL)
        .color(MUTED)
        .align(HAlign::Left, VAlign::Top);
    head.draw(area, &tr(lang, "预测", "forecast"), (cols[0], y0))?;
    head.draw(area, "Brier", (cols[1], y0))?;
    head.draw(
        area,
        tr(lang, "对数得分", "log score").as_str(),
        (cols[2], y0),
    )?;
    head.draw(area, tr(lang, "技巧分", "skill").as_str(), (cols[3], y0))?;
    let mut y = y0 + line_h(SMALL) + 4;
    for s in &bt.scores {
        let name = match s.forecast.as_str() {
            "model" => tr(lang, "本模型", "this model"),
            "coin_flip" => tr(lang, "抛硬币 0.5", "coin flip 0.5"),
            "plan_always_met" => tr(lang, "计划必达 1.0", "plan always met 1.0"),
            _ => tr(
                lang,
                &format!("基础比率（事后）{}", fmt_pct(s.p.unwrap_or(f64::NAN))),
                &format!(
                    "base rate (in hindsight) {}",
                    fmt_pct(s.p.unwrap_or(f64::NAN))
                ),
            ),
        };
        let txt = Txt::new(TEXT).align(HAlign::Left, VAlign::Top);
        let txt = if s.forecast == "model" {
            txt.bold()
        } else {
            txt
        };
        txt.draw(area, &name, (cols[0], y))?;
        txt.draw(area, &format!("{:.3}", s.brier.brier), (cols[1], y))?;
        txt.draw(area, &format!("{:.3}", s.log.log_score), (cols[2], y))?;
        let skill = s
            .brier_skill_vs_coin_flip
            .map_or("–".to_string(), |k| format!("{k:+.2}"));
        txt.draw(area, &skill, (cols[3], y))?;
        y += line_h(TEXT);
    }
    let note = tr(
        lang,
        "得分越低越好；对数得分把0与1截断在1/(2n)；技巧分 = 1 − Brier/0.25",
        "lower scores are better; log score clips 0 and 1 at 1/(2n); skill = 1 − Brier/0.25",
    );
    for (i, l) in wrap(&note, SMALL, STRIPS_LEFT - MARGIN - 60, 3)
        .iter()
        .enumerate()
    {
        Txt::new(SMALL)
            .color(MUTED)
            .align(HAlign::Left, VAlign::Top)
            .draw(area, l, (cols[0], y + 6 + i as i32 * line_h(SMALL)))?;
    }
    Ok(())
}

/// One strip per scored target, highest P(hit) first.
fn strips(area: &Canvas, bt: &Backtest, lang: Lang, y0: i32) -> Result<(), ChartError> {
    let right = SHEET_WIDTH as i32 - MARGIN;
    Txt::new(TEXT)
        .bold()
        .align(HAlign::Left, VAlign::Top)
        .draw(
            area,
            &tr(
                lang,
                "实际值在预测结果分布中的位置",
                "Realized value on its forecast outcome distribution",
            ),
            (STRIPS_LEFT, y0),
        )?;
    let items = [
        (Key::Swatch(tint(BLUE, 0.25)), "5–95%".to_string()),
        (Key::Swatch(tint(BLUE, 0.55)), "25–75%".to_string()),
        (Key::Line(BLUE, 2), tr(lang, "中位数", "median")),
        (Key::Dash(VERMILLION), tr(lang, "目标", "target")),
        (Key::Diamond(INK), tr(lang, "实际值", "realized")),
    ];
    legend(area, &items, (STRIPS_LEFT, y0 + 40), right)?;
    let mut order: Vec<&BacktestTarget> = bt.targets.iter().collect();
    order.sort_by(|a, b| b.p_hit.total_cmp(&a.p_hit));
    for (i, t) in order.iter().take(MAX_ROWS).enumerate() {
        strip(
            area,
            t,
            lang,
            (STRIPS_LEFT, y0 + 70 + i as i32 * ROW_H, right),
        )?;
    }
    if order.len() > MAX_ROWS {
        let y = y0 + 70 + MAX_ROWS as i32 * ROW_H;
        Txt::new(SMALL).color(MUTED).draw(
            area,
            &format!("… {} more in backtest.csv", order.len() - MAX_ROWS),
            (STRIPS_LEFT, y),
        )?;
    }
    Ok(())
}

fn strip(
    area: &Canvas,
    t: &BacktestTarget,
    lang: Lang,
    (x0, y, x1): (i32, i32, i32),
) -> Result<(), ChartError> {
    let q = t.quantiles;
    let (band_lo, band_hi) = match t.band {
        Some(b) => (t.target_value - b, t.target_value + b),
        None => (t.target_value, t.target_value),
    };
    let lo = [q.p5, band_lo, t.realized]
        .into_iter()
        .fold(f64::INFINITY, f64::min);
    let hi = [q.p95, band_hi, t.realized]
        .into_iter()
        .fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.08).max(hi.abs().max(1.0) * 1e-6);
    let s = Scale::new((lo - pad, hi + pad), (x0 + 10, x1 - 10));
    let color = if t.hit { GREEN } else { VERMILLION };
    strip_head(area, t, lang, (x0, y, x1), color)?;
    let mid = y + 36;
    fill_rect(
        area,
        (s.px(q.p5), mid - 7),
        (s.px(q.p95), mid + 7),
        tint(BLUE, 0.25),
    )?;
    fill_rect(
        area,
        (s.px(q.p25), mid - 7),
        (s.px(q.p75), mid + 7),
        tint(BLUE, 0.55),
    )?;
    line(
        area,
        (s.px(q.p50), mid - 9),
        (s.px(q.p50), mid + 9),
        BLUE,
        2,
    )?;
    if t.band.is_some() {
        fill_rect(
            area,
            (s.px(band_lo), mid - 12),
            (s.px(band_hi), mid - 9),
            VERMILLION,
        )?;
    }
    dashed(
        area,
        (s.px(t.target_value), mid - 14),
        (s.px(t.target_value), mid + 14),
        VERMILLION,
        2,
        4,
    )?;
    let rx = s.px(t.realized);
    binding_mark(area, (rx, mid), 8, INK)?;
    binding_mark(area, (rx, mid), 5, color)?;
    let lab = Txt::new(SMALL)
        .color(MUTED)
        .align(HAlign::Left, VAlign::Top);
    let info = tr(
        lang,
        &format!(
            "实际 {} · 目标 {} · 位于预测分布第 {} 百分位",
            fmt_num(t.realized),
            fmt_num(t.target_value),
            fmt_pct(t.percentile)
        ),
        &format!(
            "realized {} · target {} · at percentile {} of the forecast",
            fmt_num(t.realized),
            fmt_num(t.target_value),
            fmt_pct(t.percentile)
        ),
    );
    lab.draw(area, &ellipsize(&info, SMALL, x1 - x0), (x0, mid + 14))?;
    Ok(())
}

/// A strip's head: the target's name (and binding mark) left, P(hit) and the verdict
/// right in the verdict's colour.
fn strip_head(
    area: &Canvas,
    t: &BacktestTarget,
    lang: Lang,
    (x0, y, x1): (i32, i32, i32),
    color: RGBColor,
) -> Result<(), ChartError> {
    let names = name_lines(lang, &t.name_zh, &t.name, &t.id);
    let verdict = if t.hit {
        tr(lang, "达成", "hit")
    } else {
        tr(lang, "未达成", "missed")
    };
    let right = format!("P(hit) {} · {verdict}", fmt_pct(t.p_hit));
    let rw = Txt::new(SMALL).bold().width(&right) + 16;
    let mut name = names.join(" · ");
    if t.binding {
        name = format!("{name} [{}]", binding_word(lang));
    }
    Txt::new(SMALL).align(HAlign::Left, VAlign::Top).draw(
        area,
        &ellipsize(&name, SMALL, x1 - x0 - rw),
        (x0, y),
    )?;
    Txt::new(SMALL)
        .bold()
        .color(color)
        .align(HAlign::Right, VAlign::Top)
        .draw(area, &right, (x1, y))?;
    Ok(())
}
