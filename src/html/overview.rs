//! The report's opening: the key figures of the run (targets by risk band, joint
//! probabilities, expected misses) and the dashboard, heat map, agency and policy-response
//! charts.

use super::context::Ctx;
use super::escape::Esc;
use super::words::{fmt_ci, fmt_pct, p_hit, Band};
use crate::chart;
use std::fmt::Write as _;

pub fn write(out: &mut String, c: &Ctx) {
    let s = c.s;
    let _ = write!(
        out,
        "<section id=\"overview\" class=\"overview\">\n<h2>{}</h2>\n<div class=\"cards\">\n",
        Esc(&c.l("概览", "Overview"))
    );
    let modeled = s.targets.iter().filter(|t| p_hit(t).is_some()).count();
    card(
        out,
        "",
        &c.l("已建模 / 全部目标", "targets modeled / listed"),
        &format!("{modeled} / {}", s.targets.len()),
    );
    for band in [Band::High, Band::Medium, Band::Low] {
        let n = s.targets.iter().filter(|t| Band::of(t) == band).count();
        card(out, band.class(), &band.label(c.lang), &n.to_string());
    }
    let joint = [
        (
            s.joint.all_binding,
            c.l("约束性目标全部达成的概率", "P(all binding targets hit)"),
        ),
        (
            s.joint.all_modeled,
            c.l("已建模目标全部达成的概率", "P(all modeled targets hit)"),
        ),
    ];
    for (p, label) in joint {
        if let Some(p) = p {
            let value = format!("{} {}", fmt_pct(p.p), fmt_ci(Some(p.ci95)));
            card(out, "", &label, &value);
        }
    }
    if !s.joint.k_missed.is_empty() {
        let expected: f64 = s
            .joint
            .k_missed
            .iter()
            .enumerate()
            .map(|(k, p)| k as f64 * p)
            .sum();
        card(
            out,
            "",
            &c.l("预计未达成的目标数", "expected number of targets missed"),
            &format!("{expected:.1}"),
        );
    }
    out.push_str("</div>\n");
    let drawn = c.pics.figure(
        out,
        chart::DASHBOARD,
        &c.l("各目标达成概率总览", "Dashboard: P(hit) of every target"),
        &c.l(
            "各目标达成概率及95%区间，按风险分组；◆ 约束性目标；灰色为未建模目标。",
            "P(hit) of every target with its 95% interval, grouped by risk band; ◆ binding targets; grey: not modeled.",
        ),
    );
    if !drawn {
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            Esc(&c.l(
                "本次运行未绘制图表（--no-charts）：运行 planrisk chart <输出目录>，再运行 planrisk report <输出目录>，即可生成带图表的报告。",
                "This run drew no charts (--no-charts): run planrisk chart <out dir>, then planrisk report <out dir>, for a report with charts."
            ))
        );
    }
    c.pics.figure(
        out,
        chart::HEATMAP,
        &c.l("分地区达成概率热力图", "Heat map of P(hit) by region"),
        &c.l("分地区达成概率", "P(hit) by region"),
    );
    c.pics.figure(
        out,
        chart::AGENCY,
        &c.l("分牵头单位达成概率", "P(hit) by lead agency"),
        &c.l(
            "各牵头单位的目标，风险最高者在前",
            "Each lead agency's targets, riskiest first",
        ),
    );
    c.pics.figure(
        out,
        chart::RESPONSES,
        &c.l(
            "政策响应：有无响应时的达成概率",
            "Policy responses: P(hit) with and without them",
        ),
        &c.l(
            "空心圆：无政策响应；实心圆：有政策响应；紫色标记：仅靠执法达成。",
            "Ring: without policy responses; dot: with them; purple tag: met only if enforced.",
        ),
    );
    out.push_str("</section>\n");
}

fn card(out: &mut String, class: &str, label: &str, value: &str) {
    let _ = writeln!(
        out,
        "<div class=\"card {class}\"><div class=\"n\">{}</div><div>{}</div></div>",
        Esc(value),
        Esc(label)
    );
}
