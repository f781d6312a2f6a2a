//! The policy-response chart (`responses.png`): for every target a response watches, its
//! P(hit) without the responses (ring) and with them (dot) on one 0–100% axis, both
//! written out, with how often the response fires and the extra effort it puts in;
//! then the other targets the responses move by at least a percentage point — output
//! curbs show up here as lower P(hit) of growth targets. Targets met only if enforced
//! (below 50% without, at least 50% with) are tagged.

use plotters::element::Circle;
use plotters::style::Color;

use super::prelude::*;
use crate::report::summary::{ResponseResult, Summary, TargetResult};

pub(crate) const WIDTH: u32 = SHEET_WIDTH;

const LABEL_X: i32 = MARGIN + 12;
const LABEL_W: i32 = 620;
const PLOT_L: i32 = 760;
const PLOT_R: i32 = 1260;
const VALUE_X: i32 = 1285;
const ROW_H: i32 = 60;
const SECTION_H: i32 = 42;
const AXIS_H: i32 = 30;
const LEGEND_H: i32 = 40;
const DOT_R: i32 = 7;
/// Targets not watched are shown when the responses move their P(hit) this much.
const SIDE_EFFECT: f64 = 0.01;

const AXIS: PctAxis = PctAxis {
    left: PLOT_L,
    right: PLOT_R,
};

/// One row: a target, its P(hit) without and with the responses, and the responses
/// watching it.
pub(crate) struct Row<'a> {
    target: &'a TargetResult,
    without: f64,
    with: f64,
    responses: Vec<&'a ResponseResult>,
}

/// The watched targets, then the side effects (largest change first). Empty when the
/// scenario has no responses.
pub(crate) fn rows(s: &Summary) -> (Vec<Row<'_>>, Vec<Row<'_>>) {
    let (mut watched, mut side) = (Vec::new(), Vec::new());
    for t in &s.targets {
        let (Some(with), Some(e)) = (t.p_hit, t.enforcement.as_ref()) else {
            continue;
        };
        let responses: Vec<&ResponseResult> =
            s.responses.iter().filter(|r| r.watch == t.id).collect();
        let row = Row {
            target: t,
            without: e.p_hit_without,
            with,
            responses,
        };
        if !row.responses.is_empty() {
            watched.push(row);
        } else if (with - e.p_hit_without).abs() >= SIDE_EFFECT {
            side.push(row);
        }
    }
    side.sort_by(|a, b| {
        let d = |r: &Row| (r.with - r.without).abs();
        d(b).total_cmp(&d(a))
    });
    (watched, side)
}

fn sub_lines(s: &Summary, lang: Lang) -> Vec<String> {
    vec![
        tr(
            lang,
            "约束性目标落后于直线进度时的政策响应：无响应（空心圆）与有响应（实心圆）的达成概率",
            "Policy responses to targets that fall behind the straight-line path: P(hit) without (ring) and with (dot) the responses",
        ),
        format!(
            "{} {}  ·  {} {}",
            tr(lang, "抽样次数", "draws"),
            fmt_count(s.draws),
            tr(lang, "随机种子", "seed"),
            s.seed
        ),
    ]
}

fn title(s: &Summary, lang: Lang) -> Vec<String> {
    let mut t = vec![tr(lang, "政策响应", "Policy responses")];
    t.extend(scenario_title(lang, s));
    t
}

pub(crate) fn size(s: &Summary, lang: Lang) -> (u32, u32) {
    let (watched, side) = rows(s);
    let sections = 1 + usize::from(!side.is_empty());
    let h = header_height(title(s, lang).len(), sub_lines(s, lang).len())
        + LEGEND_H
        + sections as i32 * (SECTION_H + AXIS_H)
        + (watched.len() + side.len()).max(1) as i32 * ROW_H
        + 12
        + FOOTER_H
        + 12;
    (WIDTH, h.clamp(300, MAX_HEIGHT) as u32)
}

pub(crate) fn draw(area: &Canvas, s: &Summary, lang: Lang) -> Result<(), ChartError> {
    let w = WIDTH as i32;
    let mut y = header(area, &title(s, lang), &sub_lines(s, lang), w)?;
    let items = [
        (Key::Ring(INK), tr(lang, "无响应", "without responses")),
        (Key::Dot(INK), tr(lang, "有响应", "with responses")),
        (Key::Diamond(INK), binding_word(lang)),
        (Key::Swatch(PURPLE), only_if_enforced(lang)),
    ];
    legend(area, &items, (MARGIN, y + LEGEND_H / 2 - 6), w - MARGIN)?;
    y += LEGEND_H;
    let (watched, side) = rows(s);
    if watched.is_empty() {
        no_data(
            area,
            (MARGIN, y),
            (w - MARGIN, y + ROW_H),
            &tr(
                lang,
                "本情景没有政策响应",
                "this scenario has no policy responses",
            ),
        )?;
        return footer(area, &footer_text(s));
    }
    let sections = [
        (
            tr(lang, "响应所关注的目标", "Targets the responses watch"),
            &watched,
        ),
        (
            tr(
                lang,
                "副作用：响应使达成概率变化至少1个百分点的其他目标",
                "Side effects: other targets whose P(hit) the responses move by 1 percentage point or more",
            ),
            &side,
        ),
    ];
    for (label, rows) in sections.iter().filter(|(_, r)| !r.is_empty()) {
        Txt::new(TEXT + 1.0)
            .bold()
            .draw(area, label, (LABEL_X, y + SECTION_H / 2 + 3))?;
        y += SECTION_H;
        AXIS.labels(area, y + AXIS_H / 2, lang)?;
        y += AXIS_H;
        AXIS.grid(area, y, y + rows.len() as i32 * ROW_H)?;
        for (i, r) in rows.iter().enumerate() {
            if i % 2 == 1 {
                fill_rect(area, (MARGIN, y), (PLOT_L - 4, y + ROW_H), ZEBRA)?;
            }
            row(area, s, r, y + ROW_H / 2, lang)?;
            y += ROW_H;
        }
    }
    footer(area, &footer_text(s))
}

pub(crate) fn only_if_enforced(lang: Lang) -> String {
    tr(lang, "仅靠执法达成", "met only if enforced")
}

fn row(area: &Canvas, s: &Summary, r: &Row<'_>, mid: i32, lang: Lang) -> Result<(), ChartError> {
    let t = r.target;
    if t.binding {
        binding_mark(area, (MARGIN + 2, mid), 6, INK)?;
    }
    name_block(
        area,
        &target_lines(lang, s, t),
        (LABEL_X + 10, mid),
        LABEL_W,
        false,
    )?;
    let (a, b) = (AXIS.x(r.without), AXIS.x(r.with));
    let color = if r.with >= r.without {
        GREEN
    } else {
        VERMILLION
    };
    line(area, (a, mid), (b, mid), color, 3)?;
    area.draw(&Circle::new((a, mid), DOT_R, WHITE.filled()))?;
    area.draw(&Circle::new((a, mid), DOT_R, INK.stroke_width(2)))?;
    area.draw(&Circle::new((b, mid), DOT_R, INK.filled()))?;
    let only = t
        .enforcement
        .as_ref()
        .is_some_and(|e| e.met_only_if_enforced);
    let first = format!("{} → {}", fmt_pct(r.without), fmt_pct(r.with));
    let wv = Txt::new(TEXT)
        .bold()
        .draw(area, &first, (VALUE_X, mid - 11))?;
    if only {
        Txt::new(SMALL).color(PURPLE).bold().draw(
            area,
            &only_if_enforced(lang),
            (VALUE_X + wv + 12, mid - 11),
        )?;
    }
    let detail = match r.responses.as_slice() {
        [] => format!(
            "{} {:+.1} {}",
            tr(lang, "变化", "change"),
            100.0 * (r.with - r.without),
            tr(lang, "个百分点", "pp")
        ),
        rs => rs
            .iter()
            .map(|resp| {
                format!(
                    "{} {} · {} {:+.2} {}",
                    tr(lang, "触发", "fires"),
                    fmt_pct(resp.p_triggered.p),
                    tr(lang, "额外力度", "extra effort"),
                    resp.mean_extra_effort,
                    effort_unit(lang, &resp.effort_unit)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    };
    let max_w = WIDTH as i32 - MARGIN - VALUE_X;
    Txt::new(SMALL).color(MUTED).draw(
        area,
        &ellipsize(&detail, SMALL, max_w),
        (VALUE_X, mid + 12),
    )?;
    Ok(())
}

fn effort_unit(lang: Lang, unit: &str) -> String {
    if unit == "percentage points per year" {
        tr(lang, "个百分点/年", "pp/yr")
    } else {
        unit.to_string()
    }
}
