//! The drill-down of each modeled target: its numbers, its quote, its distribution, fan
//! and tornado charts, and the parameters that drive it with their distributions and
//! sources. Series fans that belong to no target close the section.

use super::context::Ctx;
use super::escape::Esc;
use super::words::{fmt_ci, fmt_pct, goal, name_lines, num, p_hit, target_name, Band};
use crate::chart::format::{fmt_num, region_name, unit_short};
use crate::report::summary::{ParamInfo, Sensitivity, TargetResult};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Parameters listed per target, strongest rank correlation first.
pub const DRIVERS: usize = 8;

pub fn write(out: &mut String, c: &Ctx) {
    let _ = write!(
        out,
        "<section id=\"details\" class=\"details\">\n<h2>{}</h2>\n",
        Esc(&c.l("目标详情", "Target details"))
    );
    let mut by_target: HashMap<&str, Vec<&Sensitivity>> = HashMap::new();
    for r in &c.s.sensitivity {
        by_target.entry(r.target.as_str()).or_default().push(r);
    }
    let params: HashMap<&str, &ParamInfo> =
        c.s.scenario
            .parameters
            .iter()
            .map(|p| (p.id.as_str(), p))
            .collect();
    for t in c.s.targets.iter().filter(|t| p_hit(t).is_some()) {
        let drivers = by_target.remove(t.id.as_str()).unwrap_or_default();
        article(out, c, t, drivers, &params);
    }
    other_series(out, c);
    out.push_str("</section>\n");
}

fn article(
    out: &mut String,
    c: &Ctx,
    t: &TargetResult,
    drivers: Vec<&Sensitivity>,
    params: &HashMap<&str, &ParamInfo>,
) {
    let names = target_name(c.lang, t);
    let _ = write!(
        out,
        "<article class=\"target\" id=\"{}\">\n<h3>{}</h3>\n",
        c.anchor(&t.id),
        Esc(&names[0])
    );
    for n in &names[1..] {
        let _ = writeln!(out, "<p class=\"en-line\">{}</p>", Esc(n));
    }
    let band = Band::of(t);
    let _ = write!(out, "<p class=\"meta\"><code>{}</code>", Esc(&t.id));
    if let Some(r) = &t.region {
        let _ = write!(out, " · {}", Esc(&region_name(c.lang, c.s, r)));
    }
    if let Some(a) = &t.agency {
        let _ = write!(
            out,
            " · {} {}",
            Esc(&c.l("牵头单位", "lead agency")),
            Esc(a)
        );
    }
    if t.binding {
        let _ = write!(
            out,
            " · <span class=\"binding\">{}</span>",
            Esc(&c.l("约束性", "binding"))
        );
    }
    let _ = writeln!(
        out,
        " · <span class=\"band {}\">{}</span></p>",
        band.class(),
        Esc(&band.label(c.lang))
    );
    facts(out, c, t);
    let _ = writeln!(out, "<blockquote>{}</blockquote>", Esc(&t.quote));
    figures(out, c, t);
    drivers_table(out, c, drivers, params);
    let _ = write!(
        out,
        "<p class=\"top-link\"><a href=\"#targets\">↑ {}</a></p>\n</article>\n",
        Esc(&c.l("返回目标一览", "back to the table"))
    );
}

/// The numbers of one target as a definition list.
fn facts(out: &mut String, c: &Ctx, t: &TargetResult) {
    let unit = unit_short(c.lang, &t.unit);
    let v = |x: Option<f64>| match x {
        Some(x) if !unit.is_empty() => format!("{} {unit}", fmt_num(x)),
        _ => num(x),
    };
    let range = |a: Option<f64>, b: Option<f64>| format!("{} – {}", num(a), v(b));
    let q = t.quantiles;
    let p = p_hit(t).unwrap_or(f64::NAN);
    let se = t
        .p_hit_se
        .map(|se| {
            format!(
                " · {} {:.2} pp",
                c.l("蒙特卡洛标准误", "Monte Carlo s.e."),
                se * 100.0
            )
        })
        .unwrap_or_default();
    let mut rows = vec![
        (
            c.l("达成概率", "P(hit)"),
            format!("{} {}{se}", fmt_pct(p), fmt_ci(t.p_hit_ci95)),
        ),
        (
            c.l("目标", "goal"),
            format!(
                "{} · {} {}",
                goal(c.lang, t),
                c.l("指标", "metric"),
                t.metric
            ),
        ),
        (c.l("中位数", "median"), v(q.map(|q| q.p50))),
        (
            c.l("50%区间", "50% range"),
            range(q.map(|q| q.p25), q.map(|q| q.p75)),
        ),
        (
            c.l("90%区间", "90% range"),
            range(q.map(|q| q.p5), q.map(|q| q.p95)),
        ),
        (
            c.l("均值 ± 标准差", "mean ± sd"),
            format!("{} ± {}", num(t.mean), v(t.sd)),
        ),
        (c.l("基期值", "baseline"), v(t.baseline)),
    ];
    if let Some(es) = t.expected_shortfall {
        rows.push((
            c.l("未达成时的平均差距", "mean shortfall when missed"),
            v(Some(es)),
        ));
    }
    for cond in &c.s.conditional {
        if let Some((_, p)) = cond.p_hit.iter().find(|(id, _)| *id == t.id) {
            let label = format!("P(hit | {})", cond.condition);
            rows.push((
                label,
                p.map(fmt_pct)
                    .unwrap_or_else(|| c.l("无满足条件的抽样", "no draw met the condition")),
            ));
        }
    }
    out.push_str("<dl class=\"facts\">");
    for (k, val) in rows {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", Esc(&k), Esc(&val));
    }
    out.push_str("</dl>\n");
}

/// Distribution, fan (every fan that draws this target's level) and tornado charts.
fn figures(out: &mut String, c: &Ctx, t: &TargetResult) {
    out.push_str("<div class=\"figs\">\n");
    if let Some(rel) = c.names.target(&t.id) {
        c.pics.figure(
            out,
            rel,
            &c.l("结果分布", "Outcome distribution"),
            &c.l(
                "结果分布：目标线、达成区域、中位数与基期值",
                "Outcome distribution: target line, hit region, median and baseline",
            ),
        );
    }
    for f in
        c.s.fans
            .iter()
            .filter(|f| f.targets.iter().any(|(id, _, _)| *id == t.id))
    {
        if let Some(rel) = c.names.fan(&f.series) {
            let name = name_lines(c.lang, &f.name_zh, &f.name, &f.series).join(" / ");
            let caption = format!("{}: {name}", c.l("扇形图", "Fan chart"));
            c.pics.figure(out, rel, &caption, &caption);
        }
    }
    if let Some(rel) = c.names.tornado(&t.id) {
        c.pics.figure(
            out,
            rel,
            &c.l("敏感性龙卷风图", "Tornado of sensitivities"),
            &c.l("参数与结果的秩相关（Spearman ρ）及一阶方差贡献", "Rank correlation (Spearman ρ) of each parameter with the outcome, and first-order variance share"),
        );
    }
    out.push_str("</div>\n");
}

/// The parameters with the strongest rank correlation, with distribution and source.
fn drivers_table(
    out: &mut String,
    c: &Ctx,
    mut drivers: Vec<&Sensitivity>,
    params: &HashMap<&str, &ParamInfo>,
) {
    drivers.retain(|r| r.spearman.is_finite());
    if drivers.is_empty() {
        return;
    }
    drivers.sort_by(|a, b| b.spearman.abs().total_cmp(&a.spearman.abs()));
    let _ = write!(
        out,
        "<h4>{}</h4>\n<div class=\"scroll\"><table class=\"drivers\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">ρ</th><th scope=\"col\" class=\"num\">S1</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>\n",
        Esc(&c.l(
            &format!("主要驱动参数（前 {DRIVERS} 个，共 {} 个）", drivers.len()),
            &format!("What drives it (top {DRIVERS} of {} parameters)", drivers.len())
        )),
        Esc(&c.l("参数", "parameter")),
        Esc(&c.l("分布", "distribution")),
        Esc(&c.l("来源", "source")),
    );
    for r in drivers.iter().take(DRIVERS) {
        let info = params.get(r.parameter.as_str());
        let name = info
            .map(|p| name_lines(c.lang, &p.name_zh, &p.name, &p.id).join(" / "))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code><div class=\"en-line\">{}</div></td><td class=\"num\">{:+.2}</td><td class=\"num\">{}</td><td><code>{}</code>{}</td><td class=\"src\">{}</td></tr>",
            Esc(&r.parameter),
            Esc(&name),
            r.spearman,
            if r.first_order.is_finite() { format!("{:.0}%", r.first_order * 100.0) } else { "–".into() },
            Esc(info.map_or("", |p| p.law.as_str())),
            info.filter(|p| !p.unit.is_empty())
                .map(|p| format!("<div class=\"en-line\">{}</div>", Esc(&p.unit)))
                .unwrap_or_default(),
            Esc(info.map_or("", |p| p.source.as_str())),
        );
    }
    out.push_str("</tbody></table></div>\n");
}

/// Fans of series that no target reads (value added by region, say).
fn other_series(out: &mut String, c: &Ctx) {
    let loose: Vec<_> =
        c.s.fans
            .iter()
            .filter(|f| f.targets.is_empty())
            .filter_map(|f| c.names.fan(&f.series).map(|rel| (f, rel)))
            .filter(|(_, rel)| c.pics.has(rel))
            .collect();
    if loose.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<article class=\"target\" id=\"other-series\"><h3>{}</h3>\n<div class=\"figs\">\n",
        Esc(&c.l("其他序列", "Other series"))
    );
    for (f, rel) in loose {
        let names = name_lines(c.lang, &f.name_zh, &f.name, &f.series).join(" / ");
        let caption = format!("{}: {names}", c.l("扇形图", "Fan chart"));
        c.pics.figure(out, rel, &caption, &caption);
    }
    out.push_str("</div>\n</article>\n");
}
