//! Heat map of P(hit) by region (`heatmap.png`, multi-region scenarios only), from each
//! target's `region` field; cells are coloured on a diverging vermillion–blue scale and
//! carry the probability and a diamond for binding targets. Two layouts:
//! - a matrix, when the same indicators recur across regions: one column per region, one
//!   row per indicator (targets whose ids differ only by a region id, such as
//!   `energy_intensity_gd` and `energy_intensity_ha`, share a row), riskiest rows first;
//! - lanes, when each region has its own targets: one column per region listing its
//!   targets riskiest first.
//!
//! Targets without a region (national ones) stay on the dashboard; a note counts them.

use std::collections::HashMap;

use super::style::*;
use super::{ChartError, Lang};
use crate::report::summary::{Summary, TargetResult};

const LABEL_W: i32 = 700;
const MIN_CELL: i32 = 96;
const MAX_CELL: i32 = 240;
const COLS_H: i32 = 56;
const SCALE_H: i32 = 64;
const MIN_LANE: i32 = 420;
const LANE_GAP: i32 = 30;
const LANE_CELL: i32 = 100;

#[derive(Clone, Copy)]
pub(crate) enum Cell {
    /// P(hit), binding.
    P(f64, bool),
}

pub(crate) struct Row {
    /// The first target of the row, for its name.
    first: usize,
    cells: Vec<Option<Cell>>,
}

pub(crate) enum Layout {
    /// Rows aligned across the region columns.
    Matrix(Vec<Row>),
    /// Per column: (target index, P(hit)), riskiest first.
    Lanes(Vec<Vec<(usize, f64)>>),
}

pub(crate) struct Grid {
    /// Region ids of the columns (regions with at least one modeled target).
    cols: Vec<String>,
    layout: Layout,
    /// Region targets left out because they are not modeled.
    unmodeled: usize,
    /// Modeled targets without a region.
    national: usize,
}

/// The id with every `_ @ . : -`-separated token that is a region id removed.
fn row_key(id: &str, regions: &[String]) -> String {
    let kept: Vec<&str> = id
        .split(['_', '@', '.', ':', '-'])
        .filter(|tok| !tok.is_empty() && !regions.iter().any(|r| r.eq_ignore_ascii_case(tok)))
        .collect();
    if kept.is_empty() {
        id.to_string()
    } else {
        kept.join("_")
    }
}

impl Grid {
    /// The grid of the modeled targets that name a region; `None` when no target does.
    pub(crate) fn build(s: &Summary) -> Option<Grid> {
        let modeled = |t: &TargetResult| prob(t.p_hit).filter(|_| t.status == "modeled");
        let mut cols: Vec<String> = s.scenario.regions.iter().map(|r| r.id.clone()).collect();
        for t in &s.targets {
            if let Some(r) = &t.region {
                if !cols.contains(r) {
                    cols.push(r.clone());
                }
            }
        }
        cols.retain(|c| {
            s.targets
                .iter()
                .any(|t| t.region.as_ref() == Some(c) && modeled(t).is_some())
        });
        if cols.is_empty() {
            return None;
        }
        let national = s
            .targets
            .iter()
            .filter(|t| t.region.is_none() && modeled(t).is_some())
            .count();
        let unmodeled = s
            .targets
            .iter()
            .filter(|t| t.region.as_ref().is_some_and(|r| cols.contains(r)) && modeled(t).is_none())
            .count();

        // Rows by indicator key.
        let mut rows: Vec<Row> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for (i, t) in s.targets.iter().enumerate() {
            let Some(p) = modeled(t) else { continue };
            let Some(c) = t
                .region
                .as_ref()
                .and_then(|r| cols.iter().position(|x| x == r))
            else {
                continue;
            };
            let mut key = row_key(&t.id, &cols);
            if let Some(&r) = by_key.get(&key) {
                if rows[r].cells[c].is_some() {
                    key = t.id.clone();
                }
            }
            let r = *by_key.entry(key).or_insert_with(|| {
                rows.push(Row {
                    first: i,
                    cells: vec![None; cols.len()],
                });
                rows.len() - 1
            });
            rows[r].cells[c] = Some(Cell::P(p, t.binding));
        }
        let shared = rows
            .iter()
            .filter(|r| r.cells.iter().filter(|c| c.is_some()).count() >= 2)
            .count();
        let layout = if cols.len() >= 2 && 2 * shared >= rows.len() {
            let worst = |r: &Row| {
                r.cells
                    .iter()
                    .filter_map(|c| match c {
                        Some(Cell::P(p, _)) => Some(*p),
                        _ => None,
                    })
                    .fold(f64::INFINITY, f64::min)
            };
            rows.sort_by(|a, b| worst(a).total_cmp(&worst(b)));
            Layout::Matrix(rows)
        } else {
            let lanes = cols
                .iter()
                .map(|c| {
                    let mut lane: Vec<(usize, f64)> = s
                        .targets
                        .iter()
                        .enumerate()
                        .filter(|(_, t)| t.region.as_ref() == Some(c))
                        .filter_map(|(i, t)| modeled(t).map(|p| (i, p)))
                        .collect();
                    lane.sort_by(|a, b| a.1.total_cmp(&b.1));
                    lane
                })
                .collect();
            Layout::Lanes(lanes)
        };
        Some(Grid {
            cols,
            layout,
            unmodeled,
            national,
        })
    }

    /// Number of rows drawn (before the height cap).
    fn len(&self) -> usize {
        match &self.layout {
            Layout::Matrix(rows) => rows.len(),
            Layout::Lanes(lanes) => lanes.iter().map(Vec::len).max().unwrap_or(0),
        }
    }
}

/// Row height: room for two lines of a name (both languages, or one wrapped).
fn row_h(_lang: Lang) -> i32 {
    46
}

fn cell_w(g: &Grid) -> i32 {
    let room = SHEET_WIDTH as i32 - 2 * MARGIN - LABEL_W - 20;
    (room / g.cols.len().max(1) as i32).clamp(MIN_CELL, MAX_CELL)
}

fn top(s_title_lines: usize) -> i32 {
    header_height(s_title_lines, 1) + SCALE_H + COLS_H
}

pub(crate) fn size(g: &Grid, lang: Lang) -> (u32, u32) {
    let w = match g.layout {
        Layout::Matrix(_) => {
            (2 * MARGIN + LABEL_W + 20 + cell_w(g) * g.cols.len() as i32).max(SHEET_WIDTH as i32)
        }
        Layout::Lanes(_) => {
            (2 * MARGIN + g.cols.len() as i32 * (MIN_LANE + LANE_GAP)).max(SHEET_WIDTH as i32)
        }
    };
    let rows = (g.len() as i32).min((MAX_HEIGHT - 600) / row_h(lang));
    let h = top(2) + rows * row_h(lang) + 20 + line_h(TEXT) + FOOTER_H + 10;
    (w as u32, h as u32)
}

/// Diverging colour for a probability: vermillion at 0, near-white at 65%, blue at 1.
fn heat(p: f64) -> RGBColor {
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

fn is_dark(c: RGBColor) -> bool {
    0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2) < 150.0
}

/// Label of a row: the first target's name, without region names when they appear in it.
fn row_label(s: &Summary, t: &TargetResult, lang: Lang) -> Vec<String> {
    let strip = |name: &str, zh: bool| {
        let mut n = name.to_string();
        for r in &s.scenario.regions {
            let rn = if zh { &r.name_zh } else { &r.name };
            if !rn.is_empty() {
                n = n.replace(rn.as_str(), "");
            }
        }
        let n = n
            .trim_matches(|c: char| c.is_whitespace() || ",，:：-–·".contains(c))
            .to_string();
        if n.is_empty() {
            name.to_string()
        } else {
            n
        }
    };
    name_lines(
        lang,
        &strip(&t.name_zh, true),
        &strip(&t.name, false),
        &t.id,
    )
}

pub(crate) fn draw(area: &Canvas, s: &Summary, g: &Grid, lang: Lang) -> Result<(), ChartError> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let mut title = scenario_title(lang, s);
    title.truncate(2);
    let head = tr(lang, "各地区目标达成概率", "P(hit) by region");
    title[0] = format!("{head} · {}", title[0]);
    let how = match g.layout {
        Layout::Matrix(_) => tr(
            lang,
            "按目标的地区字段分列；同一指标在各地区合为一行，最危险的在上",
            "columns from each target's region; one row per indicator, riskiest first",
        ),
        Layout::Lanes(_) => tr(
            lang,
            "按目标的地区字段分列；每列为该地区的目标，最危险的在上",
            "columns from each target's region; each lists that region's targets, riskiest first",
        ),
    };
    let sub = vec![format!(
        "{how}  ·  {} {}  ·  {} {}",
        tr(lang, "抽样次数", "draws"),
        fmt_count(s.draws),
        tr(lang, "随机种子", "seed"),
        s.seed
    )];
    let y = header(area, &title, &sub, w)?;
    let scale_x = match g.layout {
        Layout::Matrix(_) => MARGIN + LABEL_W + 20,
        Layout::Lanes(_) => MARGIN,
    };
    scale_legend(area, (scale_x, y + 18), lang)?;
    let y = y + SCALE_H;
    let rh = row_h(lang);
    let max_rows = ((h - FOOTER_H - 30 - line_h(TEXT) - y - COLS_H) / rh).max(0) as usize;
    match &g.layout {
        Layout::Matrix(rows) => matrix(area, s, g, rows, y, max_rows, lang)?,
        Layout::Lanes(lanes) => self::lanes(area, s, g, lanes, (y, w), max_rows, lang)?,
    }

    let mut notes = vec![];
    if g.len() > max_rows {
        notes.push(format!(
            "… {} {}",
            g.len() - max_rows,
            tr(lang, "行未列出", "more rows not shown")
        ));
    }
    if g.national > 0 {
        notes.push(format!(
            "{} {}",
            g.national,
            tr(
                lang,
                "个未标地区（全国）的目标见总览图",
                "targets without a region (national) are on the dashboard"
            )
        ));
    }
    if g.unmodeled > 0 {
        notes.push(format!(
            "{} {}",
            g.unmodeled,
            tr(
                lang,
                "个地区目标未建模或无估计，未列出",
                "regional targets not modeled or without an estimate are left out"
            )
        ));
    }
    let ny = y + COLS_H + g.len().min(max_rows) as i32 * rh + 20;
    Txt::new(SMALL).color(MUTED).draw(
        area,
        &ellipsize(&notes.join("  ·  "), SMALL, w - 2 * MARGIN - 8),
        (MARGIN + 8, ny),
    )?;
    footer(area, &footer_text(s))
}

/// Region name lines centred over `(cx, y)`–`(cx, y + COLS_H)`, `max_w` wide.
fn column_head(
    area: &Canvas,
    s: &Summary,
    id: &str,
    (cx, y): (i32, i32),
    max_w: i32,
    lang: Lang,
) -> Result<(), ChartError> {
    let (zh, en) = match s.scenario.regions.iter().find(|r| r.id == id) {
        Some(r) => (r.name_zh.clone(), r.name.clone()),
        None => (id.to_string(), String::new()),
    };
    let lines = name_lines(lang, &zh, &en, id);
    let n = lines.len() as i32;
    for (k, l) in lines.iter().enumerate() {
        let size = if k == 0 { TEXT } else { SMALL };
        let t = Txt::new(size).align(HAlign::Center, VAlign::Middle);
        let t = if k == 0 { t.bold() } else { t.color(MUTED) };
        t.draw(
            area,
            &ellipsize(l, size, max_w),
            (cx, y + COLS_H / 2 - (n - 1) * 10 + k as i32 * 20),
        )?;
    }
    Ok(())
}

/// One coloured cell with the probability and, for binding targets, a diamond.
fn cell(
    area: &Canvas,
    (x0, y0): (i32, i32),
    (cw, rh): (i32, i32),
    p: f64,
    binding: bool,
) -> Result<(), ChartError> {
    let col = heat(p);
    fill_rect(area, (x0 + 2, y0 + 2), (x0 + cw - 2, y0 + rh - 2), col)?;
    let ink = if is_dark(col) { WHITE } else { INK };
    let mid = y0 + rh / 2;
    Txt::new(TEXT)
        .color(ink)
        .bold()
        .align(HAlign::Center, VAlign::Middle)
        .draw(
            area,
            &fmt_pct(p),
            (x0 + cw / 2 + if binding { 6 } else { 0 }, mid),
        )?;
    if binding {
        binding_mark(area, (x0 + 14, mid), 6, ink)?;
    }
    Ok(())
}

fn matrix(
    area: &Canvas,
    s: &Summary,
    g: &Grid,
    rows: &[Row],
    y: i32,
    max_rows: usize,
    lang: Lang,
) -> Result<(), ChartError> {
    let cw = cell_w(g);
    let x0 = MARGIN + LABEL_W + 20;
    let rh = row_h(lang);
    for (c, id) in g.cols.iter().enumerate() {
        column_head(area, s, id, (x0 + c as i32 * cw + cw / 2, y), cw - 8, lang)?;
    }
    let y = y + COLS_H;
    for (i, row) in rows.iter().take(max_rows).enumerate() {
        let ry = y + i as i32 * rh;
        if i % 2 == 1 {
            fill_rect(area, (MARGIN, ry), (x0 - 6, ry + rh), ZEBRA)?;
        }
        if let Some(t) = s.targets.get(row.first) {
            name_block(
                area,
                &row_label(s, t, lang),
                (MARGIN + 8, ry + rh / 2),
                LABEL_W - 12,
                false,
            )?;
        }
        for (c, v) in row.cells.iter().enumerate() {
            let cx0 = x0 + c as i32 * cw;
            match v {
                Some(Cell::P(p, binding)) => cell(area, (cx0, ry), (cw, rh), *p, *binding)?,
                None => {
                    Txt::new(SMALL)
                        .color(FADED)
                        .align(HAlign::Center, VAlign::Middle)
                        .draw(area, "·", (cx0 + cw / 2, ry + rh / 2))?;
                }
            }
        }
    }
    Ok(())
}

fn lanes(
    area: &Canvas,
    s: &Summary,
    g: &Grid,
    lanes: &[Vec<(usize, f64)>],
    (y, w): (i32, i32),
    max_rows: usize,
    lang: Lang,
) -> Result<(), ChartError> {
    let n = lanes.len().max(1) as i32;
    let lw = (w - 2 * MARGIN - (n - 1) * LANE_GAP) / n;
    let rh = row_h(lang);
    for (c, (id, lane)) in g.cols.iter().zip(lanes).enumerate() {
        let x0 = MARGIN + c as i32 * (lw + LANE_GAP);
        column_head(area, s, id, (x0 + lw / 2, y), lw - 8, lang)?;
        line(
            area,
            (x0, y + COLS_H - 4),
            (x0 + lw, y + COLS_H - 4),
            GRID,
            1,
        )?;
        for (i, (ti, p)) in lane.iter().take(max_rows).enumerate() {
            let ry = y + COLS_H + i as i32 * rh;
            if i % 2 == 1 {
                fill_rect(area, (x0 + LANE_CELL, ry), (x0 + lw, ry + rh), ZEBRA)?;
            }
            let Some(t) = s.targets.get(*ti) else {
                continue;
            };
            cell(area, (x0, ry), (LANE_CELL, rh), *p, t.binding)?;
            let names = name_lines(lang, &t.name_zh, &t.name, &t.id);
            name_block(
                area,
                &names,
                (x0 + LANE_CELL + 8, ry + rh / 2),
                lw - LANE_CELL - 12,
                false,
            )?;
        }
    }
    Ok(())
}

/// The colour scale with its name on the left; the bar starts at `x` or, when the name
/// would not fit before it, just after the name.
fn scale_legend(area: &Canvas, (x, y): (i32, i32), lang: Lang) -> Result<(), ChartError> {
    let name = tr(lang, "达成概率", "P(hit)");
    let x = x.max(MARGIN + Txt::new(SMALL).width(&name) + 14);
    let wbar = 500;
    for k in 0..wbar {
        let c = heat(f64::from(k) / f64::from(wbar - 1));
        line(area, (x + k, y - 8), (x + k, y + 8), c, 1)?;
    }
    let t = Txt::new(SMALL)
        .color(MUTED)
        .align(HAlign::Center, VAlign::Top);
    for p in [0.0, 0.2, 0.4, 0.5, 0.6, 0.8, 1.0] {
        let px = x + (p * f64::from(wbar - 1)).round() as i32;
        line(area, (px, y + 8), (px, y + 13), MUTED, 1)?;
        if p != 0.4 && p != 0.6 {
            t.draw(area, &format!("{:.0}%", p * 100.0), (px, y + 18))?;
        }
    }
    Txt::new(SMALL)
        .color(MUTED)
        .align(HAlign::Right, VAlign::Middle)
        .draw(area, &name, (x - 12, y))?;
    let items = [(Key::Diamond(INK), binding_word(lang))];
    legend(
        area,
        &items,
        (x + wbar + 40, y),
        SHEET_WIDTH as i32 - MARGIN,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_drop_region_tokens() {
        let regions = vec!["GD".to_string(), "HA".to_string()];
        assert_eq!(row_key("energy_intensity_gd", &regions), "energy_intensity");
        assert_eq!(row_key("va@HA", &regions), "va");
        assert_eq!(row_key("gd", &regions), "gd");
        assert_eq!(row_key("steel_top10", &regions), "steel_top10");
    }

    #[test]
    fn heat_is_total() {
        assert_eq!(heat(f64::NAN), heat(0.0));
        assert_eq!(heat(1.0), BLUE);
        assert!(!is_dark(heat(0.65)));
    }
}
