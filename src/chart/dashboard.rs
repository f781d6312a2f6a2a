//! The dashboard: one row per target with a horizontal bar of P(hit) and its 95%
//! interval, coloured by risk band and grouped riskiest first; binding (约束性) targets
//! carry a diamond; 左右 and range targets a tag saying how their band is read;
//! unmodeled targets are listed greyed out at the end with the reason.
//! In a scenario with policy responses a ring marks each target's P(hit) without them,
//! and targets met only if enforced are tagged before the bars.

use plotters::element::Circle;
use plotters::style::Color;

use super::enforcement::only_if_enforced;
use super::prelude::*;
use crate::report::summary::{Summary, TargetResult};

pub(crate) const WIDTH: u32 = SHEET_WIDTH;

const MARK_X: i32 = MARGIN + 12;
const LABEL_X: i32 = MARGIN + 30;
const LABEL_W: i32 = 800;
const PLOT_L: i32 = 900;
const PLOT_R: i32 = 1500;
const VALUE_X: i32 = 1520;
const ROW_H: i32 = 48;
const SECTION_H: i32 = 42;
const AXIS_H: i32 = 30;
const LEGEND_H: i32 = 40;
const BAR_H: i32 = 18;

enum Row<'a> {
    Section(Section, usize),
    Axis,
    Target(&'a TargetResult, Option<f64>),
    More(usize),
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Band(Band),
    Unmodeled,
}

impl Row<'_> {
    fn height(&self) -> i32 {
        match self {
            Row::Section(..) => SECTION_H,
            Row::Axis => AXIS_H,
            Row::Target(..) | Row::More(_) => ROW_H,
        }
    }
}

fn sub_lines(s: &Summary, lang: Lang) -> Vec<String> {
    let modeled = s.targets.iter().filter(|t| t.is_modeled()).count();
    let mut first = vec![];
    if !s.scenario.document.trim().is_empty() {
        first.push(s.scenario.document.clone());
    }
    first.push(format!("{}–{}", s.scenario.base_year, s.scenario.horizon));
    first.push(format!(
        "{} {}",
        tr(lang, "抽样次数", "draws"),
        fmt_count(s.draws)
    ));
    first.push(format!("{} {}", tr(lang, "随机种子", "seed"), s.seed));
    first.push(format!(
        "{} {modeled} / {}",
        tr(lang, "已建模目标", "modeled targets"),
        s.targets.len()
    ));
    let mut second = vec![];
    if let Some(p) = s.joint.all_binding {
        second.push(format!(
            "{}: {} {}",
            tr(lang, "全部约束性目标同时达成", "all binding targets hit"),
            fmt_pct(p.p),
            fmt_ci(Some(p.ci95))
        ));
    }
    if let Some(p) = s.joint.all_modeled {
        second.push(format!(
            "{}: {} {}",
            tr(lang, "全部已建模目标同时达成", "all modeled targets hit"),
            fmt_pct(p.p),
            fmt_ci(Some(p.ci95))
        ));
    }
    let mut v = vec![first.join("  ·  ")];
    if !second.is_empty() {
        v.push(second.join("   ·   "));
    }
    let paced: Vec<[i32; 2]> = s
        .targets
        .iter()
        .filter_map(|t| t.pace)
        .map(|p| p.recorded_years)
        .collect();
    if let Some([a, b]) = paced.first() {
        let years = if paced.iter().all(|y| y == &[*a, *b]) {
            format!("{a}–{b}")
        } else {
            tr(lang, "上一时期", "the previous period")
        };
        v.push(tr(
            lang,
            &format!("上期速度×r：目标所需年均速度是{years}记录速度的 r 倍"),
            &format!("r× prior pace: the annual pace a target needs is r times the pace recorded in {years}"),
        ));
    }
    if s.targets.iter().any(|t| t.goal().reading().is_some()) {
        v.push(tr(
            lang,
            "左右↑/↓：按单侧判定，在期望方向上超出区间也算达成；区间：须落在区间内",
            "about↑/↓: 左右 read one-sided, beyond the band in the wanted direction counts as met; range: must fall inside the band",
        ));
    }
    v
}

fn rows(s: &Summary) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    let risky = riskiest(s);
    for band in [Band::High, Band::Medium, Band::Low] {
        let members: Vec<_> = risky.iter().filter(|(_, p)| Band::of(*p) == band).collect();
        if members.is_empty() {
            continue;
        }
        rows.push(Row::Section(Section::Band(band), members.len()));
        rows.extend(members.iter().map(|(t, p)| Row::Target(t, Some(*p))));
    }
    let unmodeled: Vec<_> = s
        .targets
        .iter()
        .filter(|t| !t.is_modeled() || prob(t.p_hit).is_none())
        .collect();
    if !rows.is_empty() {
        rows.push(Row::Axis);
    }
    if !unmodeled.is_empty() {
        rows.push(Row::Section(Section::Unmodeled, unmodeled.len()));
        rows.extend(unmodeled.into_iter().map(|t| Row::Target(t, None)));
    }
    // Keep the picture within MAX_HEIGHT: cut the list and say how many were left out.
    let budget = MAX_HEIGHT - fixed_height(s) - ROW_H;
    let mut used = 0;
    let mut keep = rows.len();
    for (i, r) in rows.iter().enumerate() {
        used += r.height();
        if used > budget {
            keep = i;
            break;
        }
    }
    if keep < rows.len() {
        let left = rows[keep..]
            .iter()
            .filter(|r| matches!(r, Row::Target(..)))
            .count();
        rows.truncate(keep);
        rows.push(Row::More(left));
    }
    rows
}

fn fixed_height(s: &Summary) -> i32 {
    header_height(
        scenario_title(Lang::Both, s).len(),
        sub_lines(s, Lang::Both).len(),
    ) + legend_height(s, Lang::Both)
        + 12
        + FOOTER_H
        + 12
}

pub(crate) fn size(s: &Summary, lang: Lang) -> (u32, u32) {
    let h = header_height(scenario_title(lang, s).len(), sub_lines(s, lang).len())
        + legend_height(s, lang)
        + rows(s).iter().map(Row::height).sum::<i32>().max(ROW_H)
        + 12
        + FOOTER_H
        + 12;
    (WIDTH, h.clamp(400, MAX_HEIGHT + 400) as u32)
}

fn legend_items(s: &Summary, lang: Lang) -> Vec<(Key, String)> {
    let mut items = vec![];
    for b in [Band::Low, Band::Medium, Band::High] {
        items.push((Key::Swatch(b.color()), b.label(lang)));
    }
    items.push((Key::Whisker, tr(lang, "95%区间", "95% interval")));
    items.push((Key::Diamond(INK), binding_word(lang)));
    items.push((Key::Swatch(FADED), tr(lang, "未建模", "not modeled")));
    if !s.responses.is_empty() {
        items.push((
            Key::Ring(INK),
            tr(lang, "无政策响应时", "without policy responses"),
        ));
        items.push((Key::Swatch(PURPLE), only_if_enforced(lang)));
    }
    items
}

/// The legend's height: one band, plus a line for each wrap.
fn legend_height(s: &Summary, lang: Lang) -> i32 {
    let extra = legend_lines(&legend_items(s, lang), MARGIN, WIDTH as i32 - MARGIN) - 1;
    LEGEND_H + extra as i32 * (line_h(SMALL) + 4)
}

const AXIS: PctAxis = PctAxis {
    left: PLOT_L,
    right: PLOT_R,
};

pub(crate) fn draw(area: &Canvas, s: &Summary, lang: Lang) -> Result<(), ChartError> {
    let w = WIDTH as i32;
    let mut y = header(area, &scenario_title(lang, s), &sub_lines(s, lang), w)?;

    let items = legend_items(s, lang);
    legend(area, &items, (MARGIN, y + LEGEND_H / 2 - 6), w - MARGIN)?;
    y += legend_height(s, lang);

    let rows = rows(s);
    if rows.is_empty() {
        return no_data(
            area,
            (MARGIN, y),
            (w - MARGIN, y + ROW_H),
            &tr(lang, "本情景没有目标", "this scenario has no targets"),
        )
        .and_then(|()| footer(area, &footer_text(s)));
    }

    // Pass 1: row backgrounds and grid lines behind the bars of each modeled block.
    let mut yy = y;
    let mut zebra = false;
    let mut block_top: Option<i32> = None;
    for r in &rows {
        match r {
            Row::Target(_, p) => {
                if zebra {
                    fill_rect(area, (MARGIN, yy), (w - MARGIN, yy + ROW_H), ZEBRA)?;
                }
                zebra = !zebra;
                if p.is_some() && block_top.is_none() {
                    block_top = Some(yy);
                }
            }
            _ => {
                zebra = false;
                if let Some(top) = block_top.take() {
                    AXIS.grid(area, top, yy)?;
                }
            }
        }
        yy += r.height();
    }
    if let Some(top) = block_top {
        AXIS.grid(area, top, yy)?;
    }

    // Pass 2: contents.
    for r in &rows {
        let h = r.height();
        let mid = y + h / 2;
        match r {
            Row::Section(sec, n) => {
                section(area, *sec, *n, y, lang)?;
                if matches!(sec, Section::Band(_)) {
                    AXIS.labels(area, y + SECTION_H / 2 + 3, lang)?;
                }
            }
            Row::Axis => AXIS.labels(area, mid, lang)?,
            Row::Target(t, p) => target_row(area, s, t, *p, mid, lang)?,
            Row::More(n) => {
                Txt::new(TEXT).color(MUTED).draw(
                    area,
                    &format!("… {n} {}", tr(lang, "项未列出", "more targets not shown")),
                    (LABEL_X, mid),
                )?;
            }
        }
        y += h;
    }
    footer(area, &footer_text(s))
}

fn section(area: &Canvas, sec: Section, n: usize, y: i32, lang: Lang) -> Result<(), ChartError> {
    let mid = y + SECTION_H / 2 + 3;
    let (color, label) = match sec {
        Section::Band(b) => (b.color(), b.label(lang)),
        Section::Unmodeled => (
            FADED,
            tr(lang, "未建模或无估计", "Not modeled or no estimate"),
        ),
    };
    fill_rect(area, (MARGIN, mid - 9), (MARGIN + 18, mid + 9), color)?;
    let wl = Txt::new(TEXT + 1.0)
        .bold()
        .draw(area, &label, (LABEL_X, mid))?;
    Txt::new(TEXT)
        .color(MUTED)
        .draw(area, &format!("({n})"), (LABEL_X + wl + 10, mid))?;
    line(
        area,
        (MARGIN, y + SECTION_H - 1),
        (WIDTH as i32 - MARGIN, y + SECTION_H - 1),
        GRID,
        1,
    )
}

fn target_row(
    area: &Canvas,
    s: &Summary,
    t: &TargetResult,
    p: Option<f64>,
    mid: i32,
    lang: Lang,
) -> Result<(), ChartError> {
    let modeled = p.is_some();
    if t.binding {
        binding_mark(area, (MARK_X, mid), 7, if modeled { INK } else { FADED })?;
    }
    // Targets with a band say how it is read, right-aligned before the bars; a target
    // met only if enforced is tagged just before that.
    let tag = reading_tag(lang, t);
    let mut tag_w = tag.as_ref().map_or(0, |g| Txt::new(SMALL).width(g) + 12);
    let enforced = t.enforcement.as_ref();
    if enforced.is_some_and(|e| e.met_only_if_enforced) {
        let style = Txt::new(SMALL).color(PURPLE).bold();
        let text = only_if_enforced(lang);
        let w = style.width(&text);
        style.draw(area, &text, (PLOT_L - 10 - tag_w - w, mid))?;
        tag_w += w + 12;
    }
    name_block(
        area,
        &target_lines(lang, s, t),
        (LABEL_X, mid),
        LABEL_W - tag_w,
        !modeled,
    )?;
    if let Some(g) = &tag {
        Txt::new(SMALL)
            .color(if modeled { MUTED } else { FADED })
            .align(HAlign::Right, VAlign::Middle)
            .draw(area, g, (PLOT_L - 10, mid))?;
    }
    match p {
        Some(p) => {
            AXIS.bar(area, p, mid, BAR_H, Band::of(p).color())?;
            AXIS.whisker(area, t.p_hit_ci95, mid, 6, 2)?;
            if let Some(e) = enforced.filter(|e| (e.p_hit_without - p).abs() >= 0.005) {
                let x = AXIS.x(e.p_hit_without);
                area.draw(&Circle::new((x, mid), 6, WHITE.filled()))?;
                area.draw(&Circle::new((x, mid), 6, INK.stroke_width(2)))?;
            }
            let pace = t.pace.and_then(|q| q.ratio);
            // With a pace, P(hit) moves up and the pace goes below it.
            let vy = if pace.is_some() { mid - 10 } else { mid };
            let wv = Txt::new(TEXT)
                .bold()
                .draw(area, &fmt_pct(p), (VALUE_X, vy))?;
            Txt::new(SMALL).color(MUTED).draw(
                area,
                &fmt_ci(t.p_hit_ci95),
                (VALUE_X + wv.max(58) + 8, vy),
            )?;
            if let Some(r) = pace {
                Txt::new(SMALL).color(INK).draw(
                    area,
                    &tr(
                        lang,
                        &format!("上期速度×{r:.2}"),
                        &format!("{r:.2}× prior pace"),
                    ),
                    (VALUE_X, mid + 12),
                )?;
            }
        }
        None => {
            let what = no_estimate(lang, t);
            let text = match t.reason.as_deref().map(str::trim) {
                Some(r) if !r.is_empty() => format!("{what}: {r}"),
                _ => what,
            };
            let max_w = WIDTH as i32 - MARGIN - PLOT_L - 8;
            let lines = wrap(&text, SMALL, max_w, 2);
            let offsets: &[i32] = if lines.len() == 2 { &[-10, 10] } else { &[0] };
            for (l, dy) in lines.iter().zip(offsets) {
                Txt::new(SMALL)
                    .color(FADED)
                    .draw(area, l, (PLOT_L + 8, mid + dy))?;
            }
        }
    }
    Ok(())
}
