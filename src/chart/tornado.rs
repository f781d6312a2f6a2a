//! Tornado charts of `summary.sensitivity`: per target, one horizontal bar per parameter
//! of its Spearman rank correlation, sorted by |ρ|, with the first-order variance share
//! written beside it. `tornado.png` is a sheet of small multiples for the riskiest
//! targets; `tornado/<id>.png` holds one target each.

use std::collections::HashMap;

use super::prelude::*;
use crate::report::summary::Summary;

/// Width of `tornado/<id>.png`; its height follows the number of parameters.
pub(crate) const SINGLE_WIDTH: u32 = 1400;
/// Panels on the sheet, and parameters per panel there.
const SHEET_PANELS: usize = 12;
const SHEET_PARAMS: usize = 10;
const SINGLE_PARAMS: usize = 16;
const SHEET_COLS: usize = 3;
const GAP: i32 = 36;

pub(crate) struct Panel {
    pub target: String,
    /// (parameter, spearman, first-order share), by |spearman| descending.
    rows: Vec<(String, f64, Option<f64>)>,
}

/// One panel per target with finite sensitivity rows, riskiest target first (targets the
/// summary does not list come last, in order of appearance).
pub(crate) fn panels(s: &Summary) -> Vec<Panel> {
    let mut order: Vec<String> = Vec::new();
    let mut rows: HashMap<String, Vec<(String, f64, Option<f64>)>> = HashMap::new();
    for r in &s.sensitivity {
        if !r.spearman.is_finite() {
            continue;
        }
        if !rows.contains_key(&r.target) {
            order.push(r.target.clone());
        }
        let fo = Some(r.first_order).filter(|v| v.is_finite());
        rows.entry(r.target.clone()).or_default().push((
            r.parameter.clone(),
            r.spearman.clamp(-1.0, 1.0),
            fo,
        ));
    }
    let risk: HashMap<&str, (usize, f64)> = riskiest(s)
        .iter()
        .enumerate()
        .map(|(i, (t, p))| (t.id.as_str(), (i, *p)))
        .collect();
    order.sort_by_key(|id| risk.get(id.as_str()).map(|r| r.0).unwrap_or(usize::MAX));
    order
        .into_iter()
        .map(|target| {
            let mut r = rows.remove(&target).unwrap_or_default();
            r.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            Panel { target, rows: r }
        })
        .collect()
}

fn panel_w(n: usize) -> i32 {
    let cols = n.clamp(1, SHEET_COLS) as i32;
    (SHEET_WIDTH as i32 - 2 * MARGIN - (cols - 1) * GAP) / cols
}

const SHEET_ROW_H: i32 = 28;
const SINGLE_ROW_H: i32 = 36;
const PANEL_HEAD: i32 = 64;
const PANEL_AXIS: i32 = 44;

fn sheet_panel_h(panels: &[Panel]) -> i32 {
    let most = panels
        .iter()
        .take(SHEET_PANELS)
        .map(|p| p.rows.len().min(SHEET_PARAMS))
        .max()
        .unwrap_or(1) as i32;
    PANEL_HEAD + most * SHEET_ROW_H + PANEL_AXIS
}

fn sheet_top() -> i32 {
    header_height(2, 3) + 40 + LEGEND_WRAP
}

/// Room for a second legend line.
const LEGEND_WRAP: i32 = 24;

pub(crate) fn sheet_size(panels: &[Panel]) -> (u32, u32) {
    let n = panels.len().min(SHEET_PANELS);
    let rows = n.div_ceil(SHEET_COLS).max(1) as i32;
    let h = sheet_top() + rows * (sheet_panel_h(panels) + GAP) + FOOTER_H + 10;
    (SHEET_WIDTH, h as u32)
}

fn sub_lines(s: &Summary, lang: Lang) -> Vec<String> {
    let mut v = name_lines(
        lang,
        "参数与结果的秩相关（Spearman ρ），按绝对值排序；S1 = 一阶方差贡献",
        "Rank correlation (Spearman ρ) of each parameter with the outcome, sorted by |ρ|; S1 = first-order variance share",
        "",
    );
    let mut last = format!(
        "{} {}  ·  {} {}",
        tr(lang, "抽样次数", "draws"),
        fmt_count(s.draws),
        tr(lang, "随机种子", "seed"),
        s.seed
    );
    if s.rank_draws > 0 && s.rank_draws < s.draws {
        let n = fmt_count(s.rank_draws);
        last.push_str("  ·  ");
        last.push_str(&tr(
            lang,
            &format!("ρ 基于前 {n} 次抽样"),
            &format!("ρ from the first {n} draws"),
        ));
    }
    v.push(last);
    v
}

/// |ρ| below which a rank correlation is Monte Carlo noise: 3/√n for the n draws it is
/// estimated from (under independence ρ̂ has a standard deviation of about 1/√n).
pub(crate) fn noise_level(s: &Summary) -> f64 {
    3.0 / (s.rank_draws.max(1) as f64).sqrt()
}

fn legend_items(s: &Summary, lang: Lang) -> Vec<(Key, String)> {
    let noise = fmt_num(noise_level(s));
    vec![
        (
            Key::Swatch(BLUE),
            tr(
                lang,
                "正相关：参数越大，结果越大",
                "positive: a higher parameter raises the outcome",
            ),
        ),
        (
            Key::Swatch(VERMILLION),
            tr(
                lang,
                "负相关：参数越大，结果越小",
                "negative: a higher parameter lowers the outcome",
            ),
        ),
        (
            Key::Swatch(FADED),
            tr(
                lang,
                &format!("|ρ| < 3/√n = {noise}：与蒙特卡罗噪声无法区分"),
                &format!("|ρ| < 3/√n = {noise}: indistinguishable from Monte Carlo noise"),
            ),
        ),
    ]
}

pub(crate) fn draw_sheet(
    area: &Canvas,
    s: &Summary,
    panels: &[Panel],
    lang: Lang,
) -> Result<(), ChartError> {
    let w = SHEET_WIDTH as i32;
    let mut title = scenario_title(lang, s);
    title.truncate(2);
    title[0] = format!(
        "{} · {}",
        tr(
            lang,
            "敏感性（风险最高的目标）",
            "Sensitivity (riskiest targets)"
        ),
        title[0]
    );
    let y = header(area, &title, &sub_lines(s, lang), w)?;
    legend(area, &legend_items(s, lang), (MARGIN, y + 8), w - MARGIN)?;
    let top = sheet_top();
    let n = panels.len().min(SHEET_PANELS);
    let pw = panel_w(n);
    let ph = sheet_panel_h(panels);
    for (i, p) in panels.iter().take(n).enumerate() {
        let (c, r) = ((i % SHEET_COLS) as i32, (i / SHEET_COLS) as i32);
        let x0 = MARGIN + c * (pw + GAP);
        let y0 = top + r * (ph + GAP);
        panel_title(area, s, p, lang, (x0, y0, x0 + pw))?;
        bars(
            area,
            p,
            lang,
            noise_level(s),
            (x0, y0 + PANEL_HEAD, x0 + pw),
            SHEET_PARAMS,
            SHEET_ROW_H,
        )?;
    }
    if panels.len() > n {
        Txt::new(SMALL)
            .color(MUTED)
            .align(HAlign::Right, VAlign::Middle)
            .draw(
                area,
                &format!(
                    "{} {}",
                    panels.len() - n,
                    tr(
                        lang,
                        "个目标的敏感性见 tornado/ 目录",
                        "more targets in tornado/"
                    )
                ),
                (w - MARGIN, y + 8),
            )?;
    }
    footer(area, &footer_text(s))
}

fn single_title(s: &Summary, p: &Panel, lang: Lang) -> Vec<String> {
    let mut title = match s.targets.iter().find(|t| t.id == p.target) {
        Some(t) => target_lines(lang, s, t),
        None => vec![p.target.clone()],
    };
    title[0] = format!("{}: {}", tr(lang, "敏感性", "Sensitivity"), title[0]);
    title
}

pub(crate) fn single_size(s: &Summary, p: &Panel, lang: Lang) -> (u32, u32) {
    let rows = p.rows.len().clamp(1, SINGLE_PARAMS) as i32;
    let h = header_height(single_title(s, p, lang).len(), sub_lines(s, lang).len())
        + 92
        + LEGEND_WRAP
        + rows * SINGLE_ROW_H
        + PANEL_AXIS
        + 20
        + FOOTER_H
        + 10;
    (SINGLE_WIDTH, h.max(420) as u32)
}

pub(crate) fn draw_single(
    area: &Canvas,
    s: &Summary,
    p: &Panel,
    lang: Lang,
) -> Result<(), ChartError> {
    let w = SINGLE_WIDTH as i32;
    let y = header(area, &single_title(s, p, lang), &sub_lines(s, lang), w)?;
    // The legend wraps to a second line on this narrower chart.
    let y = legend(area, &legend_items(s, lang), (MARGIN, y + 8), w - MARGIN)? - 8;
    let t = s.targets.iter().find(|t| t.id == p.target);
    if let Some((t, v)) = t.and_then(|t| prob(t.p_hit).map(|v| (t, v))) {
        let status = format!(
            "P(hit) {} {}{}",
            fmt_pct(v),
            fmt_ci(t.p_hit_ci95),
            if t.binding {
                format!(" · {}", binding_word(lang))
            } else {
                String::new()
            }
        );
        Txt::new(TEXT)
            .color(Band::of(v).color())
            .bold()
            .draw(area, &status, (MARGIN, y + 48))?;
    }
    bars(
        area,
        p,
        lang,
        noise_level(s),
        (MARGIN, y + 92, w - MARGIN),
        SINGLE_PARAMS,
        SINGLE_ROW_H,
    )?;
    footer(area, &footer_text(s))
}

/// The title of a sheet panel: target name (one line per language) and P(hit).
fn panel_title(
    area: &Canvas,
    s: &Summary,
    p: &Panel,
    lang: Lang,
    (x0, y0, x1): (i32, i32, i32),
) -> Result<(), ChartError> {
    let t = s.targets.iter().find(|t| t.id == p.target);
    // Title: name (one line per language) and P(hit).
    let names = match t {
        Some(t) => target_lines(lang, s, t),
        None => vec![p.target.clone()],
    };
    let status = match t.and_then(|t| prob(t.p_hit).map(|v| (t, v))) {
        Some((t, v)) => format!(
            "P(hit) {}{}",
            fmt_pct(v),
            if t.binding {
                format!(" · {}", binding_word(lang))
            } else {
                String::new()
            }
        ),
        None => String::new(),
    };
    let color = t.and_then(|t| prob(t.p_hit)).map(|v| Band::of(v).color());
    title_line(
        area,
        &names,
        color.map(|c| (status.as_str(), c)),
        16,
        (x0, y0, x1),
    )?;
    Ok(())
}

/// Bars of at most `max_rows` parameters from `top`, between `x0` and `x1`, and the ρ
/// axis; bars with |ρ| below `noise` are greyed, over a grey band marking that range.
fn bars(
    area: &Canvas,
    p: &Panel,
    lang: Lang,
    noise: f64,
    (x0, top, x1): (i32, i32, i32),
    max_rows: usize,
    row_h: i32,
) -> Result<(), ChartError> {
    let width = x1 - x0;
    let label_w = (width as f64 * 0.30) as i32;
    let value_w = 130;
    let bar_l = x0 + label_w + 10;
    let bar_r = x1 - value_w;
    let n = p.rows.len().min(max_rows);
    let bottom = top + n as i32 * row_h;
    let x = Scale::new((-1.0, 1.0), (bar_l, bar_r));
    fill_rect(
        area,
        (x.px(-noise), top - 4),
        (x.px(noise).max(x.px(-noise) + 1), bottom),
        ZEBRA,
    )?;
    for v in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let px = x.px(v);
        line(
            area,
            (px, top - 4),
            (px, bottom),
            if v == 0.0 { MUTED } else { GRID },
            1,
        )?;
        Txt::new(SMALL)
            .color(MUTED)
            .align(HAlign::Center, VAlign::Top)
            .draw(
                area,
                &format!("{v:+.1}").replace("+0.0", "0"),
                (px, bottom + 8),
            )?;
    }
    Txt::new(SMALL)
        .color(MUTED)
        .align(HAlign::Center, VAlign::Top)
        .draw(area, "Spearman ρ", ((bar_l + bar_r) / 2, bottom + 28))?;
    let bar_h = (row_h - 10).max(6);
    for (i, (param, rho, fo)) in p.rows.iter().take(n).enumerate() {
        let mid = top + i as i32 * row_h + row_h / 2;
        Txt::new(SMALL).align(HAlign::Right, VAlign::Middle).draw(
            area,
            &ellipsize(param, SMALL, label_w),
            (bar_l - 10, mid),
        )?;
        let (a, b) = (x.px(0.0), x.px(*rho));
        let noisy = rho.abs() < noise;
        let c = if noisy {
            FADED
        } else if *rho >= 0.0 {
            BLUE
        } else {
            VERMILLION
        };
        fill_rect(
            area,
            (a.min(b), mid - bar_h / 2),
            (a.max(b).max(a.min(b) + 1), mid + bar_h / 2),
            c,
        )?;
        let value = match fo {
            Some(f) => format!("{rho:+.2}  S1 {:.0}%", f.clamp(0.0, 1.0) * 100.0),
            None => format!("{rho:+.2}"),
        };
        Txt::new(SMALL)
            .color(if noisy { FADED } else { INK })
            .align(HAlign::Left, VAlign::Middle)
            .draw(area, &value, (bar_r + 12, mid))?;
    }
    if p.rows.len() > n {
        Txt::new(SMALL)
            .color(MUTED)
            .align(HAlign::Left, VAlign::Top)
            .draw(
                area,
                &ellipsize(
                    &format!(
                        "+{} {}",
                        p.rows.len() - n,
                        tr(lang, "个参数未列出", "more parameters")
                    ),
                    SMALL,
                    label_w,
                ),
                (x0, bottom + 28),
            )?;
    }
    Ok(())
}
