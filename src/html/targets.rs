//! The table of every target: name, region, lead agency, binding status, P(hit) with a
//! small interval bar, 95% interval, risk band, goal and median, verbatim quote. Each
//! row carries its sort and filter values in data-* attributes for the page's script;
//! the filters appear only where they have at least two choices.

use super::context::Ctx;
use super::escape::Esc;
use super::words::{self, fmt_ci, fmt_pct, goal, num, p_hit, target_name, Band};
use crate::chart::format::region_name;
use crate::chart::Lang;
use crate::report::summary::{Summary, TargetResult};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The table's element id (the filters name it).
pub const TABLE_ID: &str = "target-table";

pub fn write(out: &mut String, c: &Ctx) {
    let _ = write!(
        out,
        "<section id=\"targets\" class=\"targets\">\n<h2>{}</h2>\n",
        Esc(&c.l("目标一览", "Targets"))
    );
    let items: Vec<_> = c.s.targets.iter().map(|t| (t, c.s)).collect();
    filters(out, c.lang, TABLE_ID, &items);
    let _ = write!(
        out,
        "<div class=\"scroll\"><table id=\"{TABLE_ID}\" class=\"sortable\">\n<thead><tr>"
    );
    let heads: [(&str, &str, String, &str); 10] = [
        ("n", "num", "#".into(), "num"),
        ("name", "text", c.l("目标", "target"), ""),
        ("region", "text", c.l("地区", "region"), ""),
        ("agency", "text", c.l("牵头单位", "lead agency"), ""),
        ("bindrank", "num", c.l("约束性", "binding"), ""),
        ("p", "num", c.l("达成概率", "P(hit)"), "num"),
        ("", "", c.l("95%区间", "95% interval"), "num"),
        ("band", "num", c.l("风险", "risk band"), ""),
        ("", "", c.l("目标值 · 中位数", "goal · median"), ""),
        ("", "", c.l("原文", "verbatim quote"), ""),
    ];
    header_cells(out, &heads);
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, t) in c.s.targets.iter().enumerate() {
        row(out, c, i, t);
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

/// Header cells: (sort key or "" when the column does not sort, "num" or "text",
/// label, CSS class). A sortable header holds a button the script listens to.
pub fn header_cells(out: &mut String, heads: &[(&str, &str, String, &str)]) {
    for (key, kind, label, class) in heads {
        if key.is_empty() {
            let _ = write!(
                out,
                "<th scope=\"col\" class=\"{class}\">{}</th>",
                Esc(label)
            );
        } else {
            let _ = write!(
                out,
                "<th scope=\"col\" class=\"{class}\" data-sort=\"{key}\" data-type=\"{kind}\"><button type=\"button\">{}</button></th>",
                Esc(label)
            );
        }
    }
}

/// The select boxes of a table: region, agency, binding, modeled, each only where it
/// offers a choice. Hidden until the script runs (without it they could not work).
/// `items` are the table's targets, each with the summary that names its region.
pub fn filters(out: &mut String, lang: Lang, table: &str, items: &[(&TargetResult, &Summary)]) {
    let l = |zh: &str, en: &str| words::l(lang, zh, en);
    let mut regions = BTreeMap::new();
    let mut agencies = BTreeMap::new();
    let mut modeled = BTreeMap::new();
    for (t, s) in items {
        let r = t.region.clone().unwrap_or_default();
        let name = if r.is_empty() {
            "–".into()
        } else {
            region_name(lang, s, &r)
        };
        regions.insert(r, name);
        let a = t.agency.clone().unwrap_or_default();
        agencies.insert(a.clone(), if a.is_empty() { "–".into() } else { a });
        let m = p_hit(t).is_some();
        modeled.insert(
            u8::from(m).to_string(),
            if m {
                l("已建模", "modeled")
            } else {
                l("未建模", "not modeled")
            },
        );
    }
    let binding = BTreeMap::from([
        ("1".to_string(), l("约束性", "binding")),
        ("0".to_string(), l("预期性", "expected")),
    ]);
    let selects = [
        ("region", l("地区", "region"), regions),
        ("agency", l("牵头单位", "lead agency"), agencies),
        ("binding", l("约束性", "binding"), binding),
        ("modeled", l("建模", "modeled"), modeled),
    ];
    let _ = writeln!(
        out,
        "<div class=\"filters\" data-table=\"{}\" hidden>",
        Esc(table)
    );
    for (key, label, options) in selects {
        if options.len() < 2 {
            continue;
        }
        let _ = write!(
            out,
            "<label>{}<select data-key=\"{key}\" id=\"{}-{key}\"><option value=\"\">{}</option>",
            Esc(&label),
            Esc(table),
            Esc(&l("全部", "all"))
        );
        for (value, text) in &options {
            let _ = write!(
                out,
                "<option value=\"{}\">{}</option>",
                Esc(value),
                Esc(text)
            );
        }
        out.push_str("</select></label>\n");
    }
    let _ = write!(
        out,
        "<p>{} <span class=\"shown\">{n}</span> / {n}</p>\n</div>\n",
        Esc(&l("显示", "showing")),
        n = items.len()
    );
}

fn row(out: &mut String, c: &Ctx, i: usize, t: &TargetResult) {
    let lang = c.lang;
    let p = p_hit(t);
    let band = Band::of(t);
    let names = target_name(lang, t);
    let region = t.region.as_deref().unwrap_or("");
    let agency = t.agency.as_deref().unwrap_or("");
    let _ = write!(
        out,
        "<tr data-id=\"{}\" data-n=\"{}\" data-name=\"{}\" data-region=\"{}\" data-agency=\"{}\" data-binding=\"{}\" data-bindrank=\"{}\" data-p=\"{}\" data-band=\"{}\" data-modeled=\"{}\">",
        Esc(&t.id),
        i + 1,
        Esc(&names[0]),
        Esc(region),
        Esc(agency),
        u8::from(t.binding),
        u8::from(!t.binding),
        p.map(|p| p.to_string()).unwrap_or_default(),
        band.rank(),
        u8::from(p.is_some()),
    );
    let _ = write!(out, "<td class=\"num\">{}</td><td class=\"name\">", i + 1);
    if p.is_some() {
        let _ = write!(
            out,
            "<a href=\"#{}\">{}</a>",
            c.anchor(&t.id),
            Esc(&names[0])
        );
    } else {
        let _ = write!(out, "{}", Esc(&names[0]));
    }
    name_tail(out, &names, &t.id);
    let _ = write!(
        out,
        "</td><td>{}</td><td>{}</td><td>{}</td>",
        Esc(&if region.is_empty() {
            String::new()
        } else {
            region_name(lang, c.s, region)
        }),
        Esc(agency),
        binding_cell(lang, t.binding)
    );
    match p {
        Some(p) => {
            let _ = write!(
                out,
                "<td class=\"num p\">{}{}</td><td class=\"num\">{}</td>",
                fmt_pct(p),
                bar(p, t.p_hit_ci95, band),
                fmt_ci(t.p_hit_ci95)
            );
        }
        None => out.push_str("<td class=\"num p\">–</td><td class=\"num\"></td>"),
    }
    let _ = write!(
        out,
        "<td><span class=\"band {}\">{}</span></td><td class=\"goal\">{}",
        band.class(),
        Esc(&band.short(lang)),
        Esc(&goal(lang, t))
    );
    match (p, &t.reason) {
        (Some(_), _) => {
            let median = t.quantiles.map(|q| q.p50);
            let _ = write!(out, "<br>{} {}", Esc(&c.l("中位数", "median")), num(median));
        }
        (None, Some(reason)) => {
            let _ = write!(out, "<div class=\"reason\">{}</div>", Esc(reason));
        }
        (None, None) => {}
    }
    let _ = writeln!(out, "</td><td class=\"quote\">{}</td></tr>", Esc(&t.quote));
}

/// After a target's first name line: its other name lines and its id.
pub fn name_tail(out: &mut String, names: &[String], id: &str) {
    for n in names.iter().skip(1) {
        let _ = write!(out, "<div class=\"en-line\">{}</div>", Esc(n));
    }
    let _ = write!(out, "<div class=\"id\"><code>{}</code></div>", Esc(id));
}

/// 约束性 as a badge, 预期性 as plain text.
pub fn binding_cell(lang: Lang, binding: bool) -> String {
    if binding {
        format!(
            "<span class=\"binding\">{}</span>",
            Esc(&words::l(lang, "约束性", "binding"))
        )
    } else {
        Esc(&words::l(lang, "预期性", "expected")).to_string()
    }
}

/// A 100 × 10 bar: P(hit) filled in the band colour, the 95% interval as a thin line.
fn bar(p: f64, ci: Option<[f64; 2]>, band: Band) -> String {
    let pct = |x: f64| format!("{:.1}", (x * 100.0).clamp(0.0, 100.0));
    let mut svg = format!(
        "<svg class=\"bar\" width=\"100\" height=\"10\" viewBox=\"0 0 100 10\" aria-hidden=\"true\"><rect class=\"track\" width=\"100\" height=\"10\"/><rect class=\"{}\" width=\"{}\" height=\"10\"/>",
        band.class(),
        pct(p)
    );
    if let Some([lo, hi]) = ci.filter(|c| c.iter().all(|x| x.is_finite())) {
        let w = ((hi - lo) * 100.0).max(0.4);
        let _ = write!(
            svg,
            "<rect class=\"ci\" x=\"{}\" y=\"4\" width=\"{w:.1}\" height=\"2\"/>",
            pct(lo)
        );
    }
    svg.push_str("</svg>");
    svg
}
