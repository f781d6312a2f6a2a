//! The comparison report of `planrisk compare`: the runs side by side (scenario, seed,
//! draws, sampler, input hash, joint probabilities), the comparison chart, and one table
//! row per target with each run's P(hit) and interval and its difference from the first
//! run, marked where it exceeds the Monte Carlo noise (two standard errors of the
//! difference). Sortable and filterable like the run report's table.

use super::context::{HtmlError, Pictures};
use super::escape::Esc;
use super::page;
use super::targets::{binding_cell, filters, header_cells, name_tail};
use super::words::{fmt_ci, fmt_count, fmt_pct, l, name_lines, p_hit, target_name};
use crate::chart::Lang;
use crate::report::manifest::Manifest;
use crate::report::summary::{Summary, TargetResult};
use std::fmt::Write as _;

/// One run of a comparison: its name (as on the chart), results and manifest.
#[derive(Debug, Clone, Copy)]
pub struct ComparedRun<'a> {
    /// The run's name in the comparison (its scenario id).
    pub name: &'a str,
    /// Its results.
    pub summary: &'a Summary,
    /// How it was produced, when its manifest is at hand.
    pub manifest: Option<&'a Manifest>,
}

const TABLE_ID: &str = "comparison-table";

/// The comparison of `runs` as an HTML document; `chart` is comparison.png when drawn.
pub fn comparison_report(
    runs: &[ComparedRun],
    chart: Option<&[u8]>,
    lang: Lang,
) -> Result<String, HtmlError> {
    let pics = match chart {
        Some(png) => Pictures::single("comparison.png", png)?,
        None => Pictures::default(),
    };
    let title = l(lang, "方案比较", "Comparison of runs");
    let mut out = format!(
        "<header class=\"top\">\n<h1>{}</h1>\n<p class=\"meta\">{} · planrisk {}</p>\n</header>\n",
        Esc(&title),
        Esc(&runs.iter().map(|r| r.name).collect::<Vec<_>>().join(" · ")),
        env!("CARGO_PKG_VERSION")
    );
    runs_table(&mut out, runs, lang);
    pics.figure(
        &mut out,
        "comparison.png",
        &l(
            lang,
            "各方案达成概率对比",
            "P(hit) of each run side by side",
        ),
        &l(
            lang,
            "每个目标一行，每个方案一条",
            "One row per target, one bar per run",
        ),
    );
    targets_table(&mut out, runs, lang);
    Ok(page::document(lang, &format!("{title} — planrisk"), &out))
}

/// One row per run: what it is and how it was made.
fn runs_table(out: &mut String, runs: &[ComparedRun], lang: Lang) {
    let l = |zh: &str, en: &str| l(lang, zh, en);
    let _ = write!(
        out,
        "<section id=\"runs\">\n<h2>{}</h2>\n<div class=\"scroll\"><table><thead><tr>",
        Esc(&l("参与比较的运行", "Runs compared"))
    );
    let heads = [
        l("名称", "name"),
        l("场景", "scenario"),
        l("随机种子", "seed"),
        l("抽样次数", "draws"),
        l("抽样方法", "sampler"),
        l("场景文件 SHA-256", "scenario SHA-256"),
        l("约束性目标全部达成", "P(all binding hit)"),
        l("程序版本", "program"),
    ];
    for h in heads {
        let _ = write!(out, "<th scope=\"col\">{}</th>", Esc(&h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for r in runs {
        let s = r.summary;
        let name =
            name_lines(lang, &s.scenario.name_zh, &s.scenario.name, &s.scenario.id).join(" / ");
        let binding = s
            .joint
            .all_binding
            .map(|p| format!("{} {}", fmt_pct(p.p), fmt_ci(Some(p.ci95))))
            .unwrap_or_else(|| "–".into());
        let (hash, version) = match r.manifest {
            Some(m) => (
                m.scenario_sha256.clone(),
                format!("{} {}", m.program, m.version),
            ),
            None => ("–".into(), "–".into()),
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}<div class=\"id\"><code>{}</code></div></td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td><code>{}</code></td><td class=\"num\">{}</td><td>{}</td></tr>",
            Esc(r.name),
            Esc(&name),
            Esc(&s.scenario.id),
            s.seed,
            fmt_count(s.draws),
            Esc(s.sampler.name()),
            Esc(&hash),
            Esc(&binding),
            Esc(&version),
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

/// Every target id of any run, in first-seen order, with the target as first seen and
/// the summary it came from.
fn union<'a>(runs: &[ComparedRun<'a>]) -> Vec<(&'a TargetResult, &'a Summary)> {
    let mut seen = std::collections::HashSet::new();
    runs.iter()
        .flat_map(|r| r.summary.targets.iter().map(move |t| (t, r.summary)))
        .filter(|(t, _)| seen.insert(t.id.as_str()))
        .collect()
}

fn targets_table(out: &mut String, runs: &[ComparedRun], lang: Lang) {
    let items = union(runs);
    let _ = write!(
        out,
        "<section id=\"targets\">\n<h2>{}</h2>\n",
        Esc(&l(lang, "各目标达成概率", "P(hit) by target"))
    );
    filters(out, lang, TABLE_ID, &items);
    let _ = write!(
        out,
        "<div class=\"scroll\"><table id=\"{TABLE_ID}\" class=\"sortable\">\n<thead><tr>"
    );
    let mut heads: Vec<(String, &str, String, &str)> = vec![
        ("n".into(), "num", "#".into(), "num"),
        ("name".into(), "text", l(lang, "目标", "target"), ""),
        ("bindrank".into(), "num", l(lang, "约束性", "binding"), ""),
    ];
    for (k, r) in runs.iter().enumerate() {
        heads.push((format!("p{k}"), "num", format!("P(hit) {}", r.name), "num"));
        if k > 0 {
            heads.push((
                format!("d{k}"),
                "num",
                format!("Δ {} − {} (pp)", r.name, runs[0].name),
                "num",
            ));
        }
    }
    let heads: Vec<(&str, &str, String, &str)> = heads
        .iter()
        .map(|(k, t, lab, c)| (k.as_str(), *t, lab.clone(), *c))
        .collect();
    header_cells(out, &heads);
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, (t, _)) in items.iter().enumerate() {
        row(out, runs, lang, i, t);
    }
    let _ = write!(
        out,
        "</tbody></table></div>\n<p class=\"note\">{}</p>\n</section>\n",
        Esc(&l(
            lang,
            "* 差异超过两倍蒙特卡洛标准误（不是抽样噪声）。",
            "* the difference exceeds two Monte Carlo standard errors (it is not sampling noise)."
        ))
    );
}

fn row(out: &mut String, runs: &[ComparedRun], lang: Lang, i: usize, t: &TargetResult) {
    let found: Vec<Option<&TargetResult>> = runs
        .iter()
        .map(|r| r.summary.targets.iter().find(|x| x.id == t.id))
        .collect();
    let p: Vec<Option<f64>> = found.iter().map(|x| x.and_then(p_hit)).collect();
    let se = |x: Option<&TargetResult>| x.and_then(|x| x.p_hit_se).filter(|s| s.is_finite());
    let names = target_name(lang, t);
    let _ = write!(
        out,
        "<tr data-id=\"{}\" data-n=\"{}\" data-name=\"{}\" data-region=\"{}\" data-agency=\"{}\" data-binding=\"{}\" data-bindrank=\"{}\" data-modeled=\"{}\"",
        Esc(&t.id),
        i + 1,
        Esc(&names[0]),
        Esc(t.region.as_deref().unwrap_or("")),
        Esc(t.agency.as_deref().unwrap_or("")),
        u8::from(t.binding),
        u8::from(!t.binding),
        u8::from(p.iter().any(Option::is_some)),
    );
    let mut cells = String::new();
    for (k, x) in found.iter().enumerate() {
        let pk = p[k];
        let _ = write!(
            out,
            " data-p{k}=\"{}\"",
            pk.map(|v| v.to_string()).unwrap_or_default()
        );
        let _ = write!(
            cells,
            "<td class=\"num\">{}<div class=\"id\">{}</div></td>",
            pk.map(fmt_pct).unwrap_or_else(|| "–".into()),
            fmt_ci(x.and_then(|x| x.p_hit_ci95))
        );
        if k == 0 {
            continue;
        }
        let (d, mark) = match (p[0], pk) {
            (Some(a), Some(b)) => {
                let noise = se(found[0])
                    .zip(se(*x))
                    .map(|(s0, s1)| 2.0 * (s0 * s0 + s1 * s1).sqrt());
                (
                    Some(100.0 * (b - a)),
                    noise.is_some_and(|n| (b - a).abs() > n),
                )
            }
            _ => (None, false),
        };
        let _ = write!(
            out,
            " data-d{k}=\"{}\"",
            d.map(|v| v.to_string()).unwrap_or_default()
        );
        let class = match d {
            Some(v) if mark && v > 0.0 => " delta-up",
            Some(_) if mark => " delta-down",
            _ => "",
        };
        let _ = write!(
            cells,
            "<td class=\"num{class}\">{}{}</td>",
            d.map(|v| format!("{v:+.1}")).unwrap_or_else(|| "–".into()),
            if mark { "*" } else { "" }
        );
    }
    let _ = write!(
        out,
        "><td class=\"num\">{}</td><td>{}",
        i + 1,
        Esc(&names[0])
    );
    name_tail(out, &names, &t.id);
    let _ = writeln!(
        out,
        "</td><td>{}</td>{cells}</tr>",
        binding_cell(lang, t.binding)
    );
}
