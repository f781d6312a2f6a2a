//! Heat maps of P(hit) with one column per group of targets; cells are coloured on a
//! diverging vermillion–blue scale and carry the probability and a diamond for binding
//! targets. The grouping key ([`GroupBy`]) makes two sheets:
//! - `heatmap.png` (multi-region scenarios only), by each target's `region` field;
//! - `agency.png`, by each target's lead agency (牵头单位, `agency` field, compared after
//!   trimming), drawn when the modeled targets name at least two agencies.
//!
//! Two layouts:
//! - a matrix (regions only), when the same indicators recur across regions: one column
//!   per region, one row per indicator (targets whose ids differ only by a region id, such
//!   as `energy_intensity_gd` and `energy_intensity_ha`, share a row), riskiest rows first;
//! - lanes, when each group has its own targets: one column per group listing its targets
//!   riskiest first. Region lanes stand side by side (the sheet widens); agency lanes wrap
//!   into tiers of at most as many columns as fit the sheet width.
//!
//! Targets outside every group (national ones, or ones without an agency) stay on the
//! dashboard; a note counts them.

use std::collections::HashMap;
use std::ops::Range;

use super::prelude::*;
use crate::report::summary::{Summary, TargetResult};

const LABEL_W: i32 = 700;
const MIN_CELL: i32 = 96;
const MAX_CELL: i32 = 240;
const COLS_H: i32 = 56;
const SCALE_H: i32 = 64;
const MIN_LANE: i32 = 420;
const LANE_GAP: i32 = 30;
const LANE_CELL: i32 = 100;
/// Vertical space between two tiers of lanes.
const TIER_GAP: i32 = 28;

/// What the columns of a sheet are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupBy {
    /// The target's region (`heatmap.png`).
    Region,
    /// The target's lead agency (`agency.png`).
    Agency,
}

impl GroupBy {
    /// The column of `t` (a region id or an agency name), if it belongs to one.
    fn key(self, t: &TargetResult) -> Option<&str> {
        match self {
            GroupBy::Region => t.region.as_deref(),
            GroupBy::Agency => t.agency.as_deref().map(str::trim).filter(|a| !a.is_empty()),
        }
    }

    /// Fewest columns worth a sheet.
    fn min_cols(self) -> usize {
        match self {
            GroupBy::Region => 1,
            GroupBy::Agency => 2,
        }
    }
}

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

/// A band of lanes side by side (a matrix is one tier).
struct Tier {
    /// Indices of its columns.
    cols: Range<usize>,
    /// Rows of its longest lane.
    len: usize,
    /// Rows drawn.
    shown: usize,
}

pub(crate) struct Grid {
    by: GroupBy,
    /// The columns (groups with at least one modeled target).
    cols: Vec<String>,
    layout: Layout,
    /// Targets of the columns left out because they are not modeled.
    unmodeled: usize,
    /// Modeled targets outside every group.
    ungrouped: usize,
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

/// One row per indicator (targets whose ids differ only by region), a cell per region
/// column `col_of` gives; a target whose indicator already has its region gets a row
/// of its own.
fn indicator_rows(
    s: &Summary,
    cols: &[String],
    col_of: &dyn Fn(&TargetResult) -> Option<usize>,
) -> Vec<Row> {
    let modeled = |t: &TargetResult| prob(t.p_hit).filter(|_| t.is_modeled());
    let mut rows: Vec<Row> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, t) in s.targets.iter().enumerate() {
        let Some(p) = modeled(t) else { continue };
        let Some(c) = col_of(t) else {
            continue;
        };
        let mut key = row_key(&t.id, cols);
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
    rows
}

impl Grid {
    /// The grid of the modeled targets grouped `by` region or agency, regions in the
    /// scenario's order and agencies in the order they first appear; `None` when fewer
    /// groups than [`GroupBy::min_cols`] have a modeled target.
    pub(crate) fn build(s: &Summary, by: GroupBy) -> Option<Grid> {
        let modeled = |t: &TargetResult| prob(t.p_hit).filter(|_| t.is_modeled());
        let mut cols: Vec<String> = match by {
            GroupBy::Region => s.scenario.regions.iter().map(|r| r.id.clone()).collect(),
            GroupBy::Agency => Vec::new(),
        };
        for t in &s.targets {
            if let Some(k) = by.key(t) {
                if !cols.iter().any(|c| c == k) {
                    cols.push(k.to_string());
                }
            }
        }
        cols.retain(|c| {
            s.targets
                .iter()
                .any(|t| by.key(t) == Some(c.as_str()) && modeled(t).is_some())
        });
        if cols.len() < by.min_cols() {
            return None;
        }
        let col_of = |t: &TargetResult| by.key(t).and_then(|k| cols.iter().position(|c| c == k));
        let ungrouped = s
            .targets
            .iter()
            .filter(|t| by.key(t).is_none() && modeled(t).is_some())
            .count();
        let unmodeled = s
            .targets
            .iter()
            .filter(|t| col_of(t).is_some() && modeled(t).is_none())
            .count();

        // Rows by indicator key (regions only: agencies do not share indicators).
        let mut rows = if by == GroupBy::Region {
            indicator_rows(s, &cols, &col_of)
        } else {
            Vec::new()
        };
        let shared = rows
            .iter()
            .filter(|r| r.cells.iter().filter(|c| c.is_some()).count() >= 2)
            .count();
        let layout = if by == GroupBy::Region && cols.len() >= 2 && 2 * shared >= rows.len() {
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
                        .filter(|(_, t)| by.key(t) == Some(c.as_str()))
                        .filter_map(|(i, t)| modeled(t).map(|p| (i, p)))
                        .collect();
                    lane.sort_by(|a, b| a.1.total_cmp(&b.1));
                    lane
                })
                .collect();
            Layout::Lanes(lanes)
        };
        Some(Grid {
            by,
            cols,
            layout,
            unmodeled,
            ungrouped,
        })
    }

    /// Lanes per tier: all of them for regions, as many as fit the sheet for agencies,
    /// spread evenly over the tiers.
    fn per_tier(&self) -> usize {
        let n = self.cols.len().max(1);
        match self.by {
            GroupBy::Region => n,
            GroupBy::Agency => {
                let fit = ((SHEET_WIDTH as i32 - 2 * MARGIN + LANE_GAP) / (MIN_LANE + LANE_GAP))
                    .max(1) as usize;
                n.div_ceil(n.div_ceil(fit))
            }
        }
    }

    /// Lines of the heading of column `c`, `max_w` wide: (text, main line?).
    fn head_lines(&self, s: &Summary, c: &str, max_w: i32, lang: Lang) -> Vec<(String, bool)> {
        match self.by {
            GroupBy::Region => {
                let (zh, en) = match s.scenario.regions.iter().find(|r| r.id == c) {
                    Some(r) => (r.name_zh.clone(), r.name.clone()),
                    None => (c.to_string(), String::new()),
                };
                name_lines(lang, &zh, &en, c)
                    .into_iter()
                    .enumerate()
                    .map(|(k, l)| {
                        let size = if k == 0 { TEXT } else { SMALL };
                        (ellipsize(&l, size, max_w), k == 0)
                    })
                    .collect()
            }
            // Agency names are Chinese only; a long one wraps (bold takes a pixel more).
            GroupBy::Agency => wrap(c, TEXT, max_w - 1, 2)
                .into_iter()
                .map(|l| (l, true))
                .collect(),
        }
    }

    /// The tiers of the sheet: per tier, its columns and the number of rows shown (all of
    /// them unless the picture would grow past [`MAX_HEIGHT`]). A matrix is one tier.
    fn tiers(&self, lang: Lang) -> Vec<Tier> {
        let rh = row_h(lang);
        let mut budget = ((MAX_HEIGHT - 600) / rh).max(0) as usize;
        let lens: Vec<usize> = match &self.layout {
            Layout::Matrix(rows) => vec![rows.len()],
            Layout::Lanes(lanes) => lanes.iter().map(Vec::len).collect(),
        };
        let per = match self.layout {
            Layout::Matrix(_) => 1,
            Layout::Lanes(_) => self.per_tier(),
        };
        let mut out = Vec::new();
        let mut start = 0;
        while start < lens.len() {
            let cols = start..(start + per).min(lens.len());
            let len = lens[cols.clone()].iter().copied().max().unwrap_or(0);
            let shown = len.min(budget);
            budget = budget.saturating_sub(shown + ((COLS_H + TIER_GAP) / rh) as usize + 1);
            start = cols.end;
            out.push(Tier { cols, len, shown });
        }
        out
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

fn width(g: &Grid) -> i32 {
    match g.layout {
        Layout::Matrix(_) => {
            (2 * MARGIN + LABEL_W + 20 + cell_w(g) * g.cols.len() as i32).max(SHEET_WIDTH as i32)
        }
        Layout::Lanes(_) => {
            (2 * MARGIN + g.per_tier() as i32 * (MIN_LANE + LANE_GAP)).max(SHEET_WIDTH as i32)
        }
    }
}

/// Width of one lane.
fn lane_w(g: &Grid) -> i32 {
    let n = g.per_tier().max(1) as i32;
    (width(g) - 2 * MARGIN - (n - 1) * LANE_GAP) / n
}

/// Height of the tiers, from the top of the first heading to the last row.
fn body_h(tiers: &[Tier], lang: Lang) -> i32 {
    let rows: i32 = tiers.iter().map(|t| t.shown as i32).sum();
    tiers.len() as i32 * COLS_H + rows * row_h(lang) + (tiers.len() as i32 - 1).max(0) * TIER_GAP
}

pub(crate) fn size(g: &Grid, lang: Lang) -> (u32, u32) {
    let tiers = g.tiers(lang);
    let h =
        header_height(2, 1) + SCALE_H + body_h(&tiers, lang) + 20 + line_h(TEXT) + FOOTER_H + 10;
    (width(g) as u32, h as u32)
}

/// Whether the target's name already mentions its region (如「广东：工业增加值」).
fn names_region(s: &Summary, t: &TargetResult) -> bool {
    let region = t.region.as_ref();
    let Some(r) = s.scenario.regions.iter().find(|r| Some(&r.id) == region) else {
        return false;
    };
    let has = |name: &str, part: &str| !part.is_empty() && name.contains(part);
    has(&t.name_zh, &r.name_zh) || has(&t.name, &r.name)
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
    let w = area.dim_in_pixel().0 as i32;
    let mut title = scenario_title(lang, s);
    title.truncate(2);
    let head = match g.by {
        GroupBy::Region => tr(lang, "各地区目标达成概率", "P(hit) by region"),
        GroupBy::Agency => tr(lang, "各牵头单位目标达成概率", "P(hit) by lead agency"),
    };
    title[0] = format!("{head} · {}", title[0]);
    let how = match (g.by, &g.layout) {
        (GroupBy::Region, Layout::Matrix(_)) => tr(
            lang,
            "按目标的地区字段分列；同一指标在各地区合为一行，最危险的在上",
            "columns from each target's region; one row per indicator, riskiest first",
        ),
        (GroupBy::Region, Layout::Lanes(_)) => tr(
            lang,
            "按目标的地区字段分列；每列为该地区的目标，最危险的在上",
            "columns from each target's region; each lists that region's targets, riskiest first",
        ),
        (GroupBy::Agency, _) => tr(
            lang,
            "按目标的牵头单位分列；每列为该单位牵头的目标，最危险的在上",
            "columns from each target's lead agency; each lists that agency's targets, riskiest first",
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
    heat_legend(area, (scale_x, y + 18), lang)?;
    let y = y + SCALE_H;
    let tiers = g.tiers(lang);
    match &g.layout {
        Layout::Matrix(rows) => {
            let shown = tiers.first().map_or(0, |t| t.shown);
            matrix(area, s, g, &rows[..shown.min(rows.len())], y, lang)?;
        }
        Layout::Lanes(lanes) => self::lanes(area, s, g, lanes, &tiers, y, lang)?,
    }
    let hidden: usize = tiers.iter().map(|t| t.len - t.shown).sum();

    let mut notes = vec![];
    if hidden > 0 {
        notes.push(format!(
            "… {} {}",
            hidden,
            tr(lang, "行未列出", "more rows not shown")
        ));
    }
    let (outside, left_out) = match g.by {
        GroupBy::Region => (
            tr(
                lang,
                "个未标地区（全国）的目标见总览图",
                "targets without a region (national) are on the dashboard",
            ),
            tr(
                lang,
                "个地区目标未建模或无估计，未列出",
                "regional targets not modeled or without an estimate are left out",
            ),
        ),
        GroupBy::Agency => (
            tr(
                lang,
                "个未标牵头单位的目标见总览图",
                "targets without a lead agency are on the dashboard",
            ),
            tr(
                lang,
                "个有牵头单位的目标未建模或无估计，未列出",
                "targets with a lead agency but not modeled or without an estimate are left out",
            ),
        ),
    };
    if g.ungrouped > 0 {
        notes.push(format!("{} {outside}", g.ungrouped));
    }
    if g.unmodeled > 0 {
        notes.push(format!("{} {left_out}", g.unmodeled));
    }
    let ny = y + body_h(&tiers, lang) + 20;
    Txt::new(SMALL).color(MUTED).draw(
        area,
        &ellipsize(&notes.join("  ·  "), SMALL, w - 2 * MARGIN - 8),
        (MARGIN + 8, ny),
    )?;
    footer(area, &footer_text(s))
}

/// The heading of column `c` centred over `(cx, y)`–`(cx, y + COLS_H)`, `max_w` wide:
/// the main line bold, the next one smaller and muted.
fn column_head(
    area: &Canvas,
    (s, g): (&Summary, &Grid),
    c: &str,
    (cx, y): (i32, i32),
    max_w: i32,
    lang: Lang,
) -> Result<(), ChartError> {
    let lines = g.head_lines(s, c, max_w, lang);
    let n = lines.len() as i32;
    for (k, (l, main)) in lines.iter().enumerate() {
        let t = Txt::new(if *main { TEXT } else { SMALL }).align(HAlign::Center, VAlign::Middle);
        let t = if *main { t.bold() } else { t.color(MUTED) };
        t.draw(area, l, (cx, y + COLS_H / 2 - (n - 1) * 10 + k as i32 * 20))?;
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

/// The matrix layout: indicator labels on the left, a cell per region; `rows` are the
/// rows shown.
fn matrix(
    area: &Canvas,
    s: &Summary,
    g: &Grid,
    rows: &[Row],
    y: i32,
    lang: Lang,
) -> Result<(), ChartError> {
    let cw = cell_w(g);
    let x0 = MARGIN + LABEL_W + 20;
    let rh = row_h(lang);
    for (c, col) in g.cols.iter().enumerate() {
        let cx = x0 + c as i32 * cw + cw / 2;
        column_head(area, (s, g), col, (cx, y), cw - 8, lang)?;
    }
    let y = y + COLS_H;
    for (i, row) in rows.iter().enumerate() {
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

/// The lanes layout, tier by tier from `y`.
fn lanes(
    area: &Canvas,
    s: &Summary,
    g: &Grid,
    lanes: &[Vec<(usize, f64)>],
    tiers: &[Tier],
    mut y: i32,
    lang: Lang,
) -> Result<(), ChartError> {
    let lw = lane_w(g);
    for tier in tiers {
        for (k, c) in tier.cols.clone().enumerate() {
            let (Some(col), Some(lane)) = (g.cols.get(c), lanes.get(c)) else {
                continue;
            };
            let x0 = MARGIN + k as i32 * (lw + LANE_GAP);
            let lane = &lane[..lane.len().min(tier.shown)];
            lane_column(area, (s, g), (col, lane), (x0, y, lw), lang)?;
        }
        y += COLS_H + tier.shown as i32 * row_h(lang) + TIER_GAP;
    }
    Ok(())
}

/// One lane: the heading of `col`, then a cell and the name of each target, from `x0, y`
/// and `lw` wide.
fn lane_column(
    area: &Canvas,
    (s, g): (&Summary, &Grid),
    (col, lane): (&str, &[(usize, f64)]),
    (x0, y, lw): (i32, i32, i32),
    lang: Lang,
) -> Result<(), ChartError> {
    let rh = row_h(lang);
    column_head(area, (s, g), col, (x0 + lw / 2, y), lw - 8, lang)?;
    line(
        area,
        (x0, y + COLS_H - 4),
        (x0 + lw, y + COLS_H - 4),
        GRID,
        1,
    )?;
    for (i, (ti, p)) in lane.iter().enumerate() {
        let ry = y + COLS_H + i as i32 * rh;
        if i % 2 == 1 {
            fill_rect(area, (x0 + LANE_CELL, ry), (x0 + lw, ry + rh), ZEBRA)?;
        }
        let Some(t) = s.targets.get(*ti) else {
            continue;
        };
        cell(area, (x0, ry), (LANE_CELL, rh), *p, t.binding)?;
        // A region column needs no region in the name; an agency's may span regions, so
        // its names carry the region unless they already mention it.
        let names = match g.by {
            GroupBy::Agency if !names_region(s, t) => target_lines(lang, s, t),
            _ => name_lines(lang, &t.name_zh, &t.name, &t.id),
        };
        name_block(
            area,
            &names,
            (x0 + LANE_CELL + 8, ry + rh / 2),
            lw - LANE_CELL - 12,
            false,
        )?;
    }
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
    fn agency_lanes_wrap_evenly_within_the_sheet() {
        let grid = |by, n: usize| Grid {
            by,
            cols: (0..n).map(|i| i.to_string()).collect(),
            layout: Layout::Lanes(vec![Vec::new(); n]),
            unmodeled: 0,
            ungrouped: 0,
        };
        let per = |n| grid(GroupBy::Agency, n).per_tier();
        assert_eq!(
            [per(2), per(3), per(4), per(5), per(8), per(9)],
            [2, 3, 2, 3, 3, 3]
        );
        assert_eq!(width(&grid(GroupBy::Agency, 9)), SHEET_WIDTH as i32);
        assert!(lane_w(&grid(GroupBy::Agency, 9)) >= MIN_LANE);
        let tiers = grid(GroupBy::Agency, 8).tiers(Lang::Both);
        let cols: Vec<_> = tiers.iter().map(|t| t.cols.clone()).collect();
        assert_eq!(cols, [0..3, 3..6, 6..8]);
        // Regions stay side by side; the sheet widens instead.
        assert_eq!(grid(GroupBy::Region, 5).per_tier(), 5);
        assert!(width(&grid(GroupBy::Region, 5)) > SHEET_WIDTH as i32);
    }
}
