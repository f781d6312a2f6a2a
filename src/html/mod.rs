//! One file to send: a self-contained HTML report of a run (or of a comparison of
//! runs), drawn only from saved results.
//!
//! [`run_report`] turns a [`Summary`], its [`Manifest`] and the run's chart PNGs into
//! one HTML page: the dashboard first, then a table of every target (sortable by P(hit),
//! binding status, risk band, region and lead agency, filterable by region, agency,
//! binding and modeled) with its 95% interval and verbatim quote, a drill-down per
//! target (distribution, fan and tornado charts, the parameters that drive it with their
//! sources), every assumption, and the run's provenance. [`comparison_report`] does the
//! same for `planrisk compare`. Charts are shrunk ([`image`]) and inlined as data URIs;
//! the page loads nothing (its Content-Security-Policy forbids it), carries its own
//! style, print style and a small script, and names no time, so the same inputs give the
//! same bytes. Reading and writing files is the caller's job: charts come in through a
//! lookup function.

mod compare;
mod context;
mod detail;
mod escape;
pub mod image;
mod overview;
mod page;
mod provenance;
mod targets;
mod words;

pub use compare::{comparison_report, ComparedRun};
pub use context::{ChartLookup, HtmlError};

use crate::chart::{self, ChartNames, Lang};
use crate::report::manifest::Manifest;
use crate::report::summary::Summary;
use context::{Ctx, Pictures};
use escape::{Anchors, Esc};
use std::fmt::Write as _;
use std::path::PathBuf;

/// The report's file name in an output directory.
pub const REPORT_FILE: &str = "report.html";

/// The report of one run as an HTML document.
pub fn run_report(
    summary: &Summary,
    manifest: Option<&Manifest>,
    charts: ChartLookup,
    lang: Lang,
) -> Result<String, HtmlError> {
    let names = chart::chart_names(summary);
    let pics = Pictures::load(wanted(&names), charts)?;
    let mut anchors = Anchors::default();
    let ctx = Ctx {
        s: summary,
        lang,
        anchors: summary
            .targets
            .iter()
            .map(|t| (t.id.clone(), anchors.next("t", &t.id)))
            .collect(),
        names,
        pics,
    };
    let mut body = String::new();
    header(&mut body, &ctx);
    overview::write(&mut body, &ctx);
    targets::write(&mut body, &ctx);
    detail::write(&mut body, &ctx);
    provenance::assumptions(&mut body, &ctx);
    provenance::write(&mut body, &ctx, manifest);
    footer(&mut body, &ctx);
    let title = format!(
        "{} — planrisk",
        words::name_lines(
            lang,
            &summary.scenario.name_zh,
            &summary.scenario.name,
            &summary.scenario.id
        )
        .join(" / ")
    );
    Ok(page::document(lang, &title, &body))
}

/// Every chart a run report may show, relative to the chart directory.
fn wanted(names: &ChartNames) -> Vec<PathBuf> {
    let fixed = [
        chart::DASHBOARD,
        chart::HEATMAP,
        chart::AGENCY,
        chart::CONVERGENCE,
        chart::RESPONSES,
    ];
    let per_item = names
        .targets
        .iter()
        .chain(&names.fans)
        .chain(&names.tornado)
        .map(|(_, p)| p.clone());
    fixed.iter().map(PathBuf::from).chain(per_item).collect()
}

/// Title, document, run line and the table of contents.
fn header(out: &mut String, c: &Ctx) {
    let sc = &c.s.scenario;
    let names = words::name_lines(c.lang, &sc.name_zh, &sc.name, &sc.id);
    let _ = write!(out, "<header class=\"top\">\n<h1>{}", Esc(&names[0]));
    for n in &names[1..] {
        let _ = write!(out, "<span class=\"en\">{}</span>", Esc(n));
    }
    let _ = write!(
        out,
        "</h1>\n<p class=\"meta\">{} · {}–{} · {} {} · {} {} · {} {} · planrisk {}</p>\n</header>\n",
        Esc(&sc.document),
        sc.base_year,
        sc.horizon,
        c.l("抽样次数", "draws"),
        words::fmt_count(c.s.draws),
        c.l("随机种子", "seed"),
        c.s.seed,
        c.l("抽样方法", "sampler"),
        Esc(c.s.sampler.name()),
        env!("CARGO_PKG_VERSION"),
    );
    let links = [
        ("overview", c.l("概览", "Overview")),
        ("targets", c.l("目标", "Targets")),
        ("details", c.l("详情", "Details")),
        ("assumptions", c.l("参数与来源", "Assumptions")),
        ("provenance", c.l("运行信息", "Provenance")),
    ];
    out.push_str("<nav class=\"toc\">");
    for (id, label) in links {
        let _ = write!(out, "<a href=\"#{id}\">{}</a>", Esc(&label));
    }
    out.push_str("</nav>\n");
}

fn footer(out: &mut String, c: &Ctx) {
    let _ = writeln!(
        out,
        "<footer>{} · seed {} · draws {} · sampler {} · planrisk {}. {}</footer>",
        Esc(&c.s.scenario.id),
        c.s.seed,
        words::fmt_count(c.s.draws),
        Esc(c.s.sampler.name()),
        env!("CARGO_PKG_VERSION"),
        Esc(&c.l(
            "图表为缩小版（最宽 960 像素、32 色）；原尺寸 PNG 见输出目录的 charts/。",
            "Charts are reduced (at most 960 px wide, 32 colours); full-size PNGs are in the output directory's charts/."
        )),
    );
}
