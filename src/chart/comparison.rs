//! Comparison of several runs (policy variants) in one picture: for every target modeled
//! in at least one run, one horizontal P(hit) bar per run with its 95% interval, the
//! value and its change against the first run; riskiest targets first.

use std::collections::HashMap;

use super::prelude::*;
use crate::report::summary::Summary;

const MARK_X: i32 = MARGIN + 12;
const LABEL_X: i32 = MARGIN + 30;
const LABEL_W: i32 = 760;
const PLOT_L: i32 = 880;
const PLOT_R: i32 = 1440;
const VALUE_X: i32 = 1460;
const PITCH: i32 = 18;
const BAR_H: i32 = 13;
const AXIS_H: i32 = 30;

pub(crate) struct Row {
    /// (run, target index) that names the row.
    first: (usize, usize),
    binding: bool,
    /// Per run: P(hit) and its interval, when the run models the target.
    ps: Vec<Option<(f64, Option<[f64; 2]>)>>,
}

/// Rows of every target modeled in at least one run, riskiest (lowest P(hit) in the
/// first run) first.
pub(crate) fn rows(runs: &[(String, Summary)]) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (j, (_, s)) in runs.iter().enumerate() {
        for (ti, t) in s.targets.iter().enumerate() {
            let Some(p) = prob(t.p_hit).filter(|_| t.is_modeled()) else {
                continue;
            };
            let r = *index.entry(t.id.as_str()).or_insert_with(|| {
                rows.push(Row {
                    first: (j, ti),
                    binding: t.binding,
                    ps: vec![None; runs.len()],
                });
                rows.len() - 1
            });
            rows[r].ps[j] = Some((p, t.p_hit_ci95));
        }
    }
    // By the first run's P(hit), or the lowest of the others when the first lacks it.
    let key = |r: &Row| match r.ps.first().copied().flatten() {
        Some((p, _)) => p,
        None => {
            r.ps.iter()
                .flatten()
                .map(|x| x.0)
                .fold(f64::INFINITY, f64::min)
        }
    };
    rows.sort_by(|a, b| key(a).total_cmp(&key(b)));
    rows
}

fn row_h(runs: usize) -> i32 {
    (runs as i32 * PITCH + 14).max(50)
}

fn max_rows(runs: usize, head: i32) -> usize {
    ((MAX_HEIGHT - head - 2 * AXIS_H - FOOTER_H - 40) / row_h(runs)).max(1) as usize
}

fn head_height(runs: &[(String, Summary)], lang: Lang) -> i32 {
    header_height(title(runs, lang).len(), 1) + runs.len() as i32 * (line_h(TEXT) + 2) + 16
}

fn title(runs: &[(String, Summary)], lang: Lang) -> Vec<String> {
    let mut t = runs
        .first()
        .map(|(_, s)| scenario_title(lang, s))
        .unwrap_or_default();
    if t.is_empty() {
        t.push(String::new());
    }
    t.truncate(2);
    t[0] = format!(
        "{} · {}",
        tr(lang, "政策方案比较", "Policy variants compared"),
        t[0]
    );
    t
}

pub(crate) fn size(runs: &[(String, Summary)], rows: &[Row], lang: Lang) -> (u32, u32) {
    let head = head_height(runs, lang);
    let n = rows.len().min(max_rows(runs.len(), head)).max(1) as i32;
    let h = head + 2 * AXIS_H + n * row_h(runs.len()) + 20 + line_h(TEXT) + FOOTER_H + 10;
    (SHEET_WIDTH, h as u32)
}

const AXIS: PctAxis = PctAxis {
    left: PLOT_L,
    right: PLOT_R,
};

fn color(j: usize) -> RGBColor {
    CATEGORICAL[j % CATEGORICAL.len()]
}

fn footer_line(runs: &[(String, Summary)]) -> String {
    let mut ids: Vec<&str> = runs.iter().map(|(_, s)| s.scenario.id.as_str()).collect();
    ids.dedup();
    let seeds: Vec<String> = runs.iter().map(|(_, s)| s.seed.to_string()).collect();
    let mut draws: Vec<String> = runs.iter().map(|(_, s)| fmt_count(s.draws)).collect();
    draws.dedup();
    format!(
        "{} · seed {} · draws {} · planrisk {}",
        ids.join(" / "),
        seeds.join(" / "),
        draws.join(" / "),
        env!("CARGO_PKG_VERSION")
    )
}

pub(crate) fn draw(
    area: &Canvas,
    runs: &[(String, Summary)],
    rows: &[Row],
    lang: Lang,
) -> Result<(), ChartError> {
    let w = SHEET_WIDTH as i32;
    let sub = vec![tr(
        lang,
        "每个目标一组横条，每个方案一条；括号内为相对第一个方案的变化（百分点）；风险最高的在上",
        "one bar per variant for each target; in brackets the change against the first variant (percentage points); riskiest first",
    )];
    let mut y = header(area, &title(runs, lang), &sub, w)?;
    y = run_legend(area, runs, y, lang)?;
    y += 16;

    let n_runs = runs.len();
    let rh = row_h(n_runs);
    let shown = rows.len().min(max_rows(n_runs, head_height(runs, lang)));
    if rows.is_empty() {
        no_data(
            area,
            (MARGIN, y),
            (w - MARGIN, y + rh),
            &tr(
                lang,
                "这些方案都没有已建模的目标",
                "No run has a modeled target",
            ),
        )?;
        return footer(area, &footer_line(runs));
    }
    AXIS.labels(area, y + AXIS_H / 2, lang)?;
    y += AXIS_H;
    let body_top = y;
    for i in 0..shown {
        if i % 2 == 1 {
            fill_rect(
                area,
                (MARGIN, y + i as i32 * rh),
                (w - MARGIN, y + (i as i32 + 1) * rh),
                ZEBRA,
            )?;
        }
    }
    AXIS.grid(area, body_top, y + shown as i32 * rh)?;

    for row in rows.iter().take(shown) {
        draw_row(area, runs, row, y + rh / 2, lang)?;
        y += rh;
    }
    AXIS.labels(area, y + AXIS_H / 2, lang)?;
    y += AXIS_H;
    if rows.len() > shown {
        Txt::new(SMALL).color(MUTED).draw(
            area,
            &format!(
                "… {} {}",
                rows.len() - shown,
                tr(lang, "个目标未列出", "more targets not shown")
            ),
            (LABEL_X, y + 12),
        )?;
    }
    footer(area, &footer_line(runs))
}

/// One legend line per run: colour, name, scenario, draws, seed; returns the y below.
fn run_legend(
    area: &Canvas,
    runs: &[(String, Summary)],
    mut y: i32,
    lang: Lang,
) -> Result<i32, ChartError> {
    for (j, (name, s)) in runs.iter().enumerate() {
        let mid = y + line_h(TEXT) / 2;
        fill_rect(area, (MARGIN, mid - 7), (MARGIN + 16, mid + 7), color(j))?;
        let wn =
            Txt::new(TEXT)
                .bold()
                .draw(area, &ellipsize(name, TEXT, 600), (MARGIN + 26, mid))?;
        let modeled = s.targets.iter().filter(|t| t.is_modeled()).count();
        let info = format!(
            "{}  ·  {} {}  ·  {} {}  ·  {} {}",
            s.scenario.id,
            tr(lang, "抽样次数", "draws"),
            fmt_count(s.draws),
            tr(lang, "随机种子", "seed"),
            s.seed,
            tr(lang, "已建模目标", "modeled targets"),
            modeled
        );
        Txt::new(SMALL)
            .color(MUTED)
            .draw(area, &info, (MARGIN + 26 + wn + 14, mid))?;
        y += line_h(TEXT) + 2;
    }
    Ok(y)
}

/// One target's row centred on `mid`: its name, then one bar per run with the change
/// against the first run.
fn draw_row(
    area: &Canvas,
    runs: &[(String, Summary)],
    row: &Row,
    mid: i32,
    lang: Lang,
) -> Result<(), ChartError> {
    let n_runs = runs.len();
    let (rj, ti) = row.first;
    if let Some(t) = runs
        .get(rj)
        .and_then(|(_, s)| s.targets.get(ti).map(|t| (s, t)))
    {
        let (s, t) = t;
        if row.binding {
            binding_mark(area, (MARK_X, mid), 7, INK)?;
        }
        name_block(
            area,
            &target_lines(lang, s, t),
            (LABEL_X, mid),
            LABEL_W,
            false,
        )?;
    }
    let first_y = mid - (n_runs as i32 - 1) * PITCH / 2;
    let base = row.ps.first().copied().flatten().map(|x| x.0);
    for (j, v) in row.ps.iter().enumerate() {
        let by = first_y + j as i32 * PITCH;
        match v {
            Some((p, ci)) => {
                AXIS.bar(area, *p, by, BAR_H, color(j))?;
                AXIS.whisker(area, *ci, by, 4, 1)?;
                let wv = Txt::new(SMALL)
                    .bold()
                    .draw(area, &fmt_pct(*p), (VALUE_X, by))?;
                if let (Some(b0), true) = (base, j > 0) {
                    let d = (p - b0) * 100.0;
                    let c = if d > 0.05 {
                        BLUE
                    } else if d < -0.05 {
                        VERMILLION
                    } else {
                        MUTED
                    };
                    Txt::new(SMALL).color(c).draw(
                        area,
                        &format!("({d:+.1})"),
                        (VALUE_X + wv.max(52) + 8, by),
                    )?;
                }
            }
            None => {
                Txt::new(SMALL).color(FADED).draw(
                    area,
                    &tr(lang, "未建模", "not modeled"),
                    (PLOT_L + 8, by),
                )?;
                Txt::new(SMALL)
                    .color(FADED)
                    .draw(area, "–", (VALUE_X, by))?;
            }
        }
    }
    Ok(())
}
