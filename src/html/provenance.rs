//! Where the numbers come from: every parameter of the scenario with its distribution
//! and source, and how the run was made (program version, scenario files and their
//! SHA-256, seed, draws, sampler, threads, stopping rule), with the command that
//! reproduces it and the convergence chart.

use super::context::Ctx;
use super::escape::Esc;
use super::words::{fmt_count, name_lines};
use crate::chart;
use crate::report::manifest::Manifest;
use std::fmt::Write as _;

pub fn assumptions(out: &mut String, c: &Ctx) {
    let params = &c.s.scenario.parameters;
    let _ = write!(
        out,
        "<section id=\"assumptions\" class=\"assumptions\">\n<h2>{}</h2>\n",
        Esc(&c.l("参数与来源", "Assumptions and their sources"))
    );
    if params.is_empty() {
        let _ = write!(
            out,
            "<p class=\"note\">{}</p>\n</section>\n",
            Esc(&c.l(
                "此结果文件未记录参数（由旧版本写出）；重新运行场景即可列出。",
                "This summary does not record its parameters (written by an older version); rerun the scenario to list them."
            ))
        );
        return;
    }
    let _ = writeln!(
        out,
        "<div class=\"scroll\"><table class=\"params\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        Esc(&c.l("参数", "parameter")),
        Esc(&c.l("分布（按场景文件）", "distribution (as in the scenario file)")),
        Esc(&c.l("单位", "unit")),
        Esc(&c.l("来源", "source")),
    );
    for p in params {
        let name = name_lines(c.lang, &p.name_zh, &p.name, &p.id).join(" / ");
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code><div class=\"en-line\">{}</div></td><td><code>{}</code></td><td>{}</td><td class=\"src\">{}</td></tr>",
            Esc(&p.id),
            Esc(&name),
            Esc(&p.law),
            Esc(&p.unit),
            Esc(&p.source)
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

pub fn write(out: &mut String, c: &Ctx, manifest: Option<&Manifest>) {
    let s = c.s;
    let _ = write!(
        out,
        "<section id=\"provenance\" class=\"provenance\">\n<h2>{}</h2>\n<dl class=\"facts\">",
        Esc(&c.l("运行信息", "Provenance"))
    );
    let mut rows: Vec<(String, String)> = vec![
        (c.l("场景", "scenario"), s.scenario.id.clone()),
        (c.l("文件", "document"), s.scenario.document.clone()),
        (c.l("随机种子", "seed"), s.seed.to_string()),
        (c.l("抽样次数", "draws"), fmt_count(s.draws)),
        (c.l("抽样方法", "sampler"), s.sampler.name().to_string()),
        (
            c.l(
                "扇形图与秩相关所用抽样",
                "draws behind fans / rank correlations",
            ),
            format!("{} / {}", fmt_count(s.fan_draws), fmt_count(s.rank_draws)),
        ),
    ];
    match manifest {
        Some(m) => rows.extend(manifest_rows(c, m)),
        None => rows.push((
            "manifest.json".into(),
            c.l(
                "未找到：无法列出文件哈希与运行设置",
                "not found: file hashes and run settings unknown",
            ),
        )),
    }
    for (k, v) in rows {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", Esc(&k), Esc(&v));
    }
    out.push_str("</dl>\n");
    if let Some(m) = manifest {
        files(out, c, m);
        let _ = writeln!(
            out,
            "<p>{}</p><p><code>{}</code></p>",
            Esc(&c.l("重现本次结果：", "To reproduce these results:")),
            Esc(&command(m))
        );
    }
    c.pics.figure(
        out,
        chart::CONVERGENCE,
        &c.l("收敛图", "Convergence"),
        &c.l(
            "风险最高目标的达成概率估计随抽样次数的变化",
            "Running P(hit) estimate of the riskiest targets as draws accumulate",
        ),
    );
    out.push_str("</section>\n");
}

fn manifest_rows(c: &Ctx, m: &Manifest) -> Vec<(String, String)> {
    let mut rows = vec![
        (
            c.l("程序", "program"),
            format!("{} {}", m.program, m.version),
        ),
        (c.l("场景文件", "scenario file"), m.scenario_path.clone()),
        (
            c.l("场景哈希（全部文件）", "scenario SHA-256 (all files)"),
            m.scenario_sha256.clone(),
        ),
        (
            c.l("请求 / 实际抽样", "draws requested / drawn"),
            format!("{} / {}", fmt_count(m.draws_requested), fmt_count(m.draws)),
        ),
        (c.l("停止原因", "stop reason"), m.stop_reason.clone()),
        (c.l("线程数", "threads"), m.threads.to_string()),
    ];
    if let Some(p) = m.precision {
        rows.push((c.l("精度要求", "precision"), format!("±{p}")));
    }
    if !m.conditions.is_empty() {
        rows.push((c.l("条件", "conditions"), m.conditions.join("; ")));
    }
    rows.push((
        c.l("耗时", "wall time"),
        format!(
            "{:.2} s ({:.0} draws/s)",
            m.wall_time_seconds, m.draws_per_second
        ),
    ));
    rows
}

/// Each scenario file (parents first) with its SHA-256.
fn files(out: &mut String, c: &Ctx, m: &Manifest) {
    let _ = writeln!(
        out,
        "<table class=\"files\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">SHA-256</th></tr></thead><tbody>",
        Esc(&c.l("读取的场景文件（父文件在前）", "scenario files read (parents first)"))
    );
    for (i, f) in m.scenario_files.iter().enumerate() {
        let hash = m.scenario_file_sha256.get(i).map_or("–", String::as_str);
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td><code>{}</code></td></tr>",
            Esc(f),
            Esc(hash)
        );
    }
    out.push_str("</tbody></table>\n");
}

/// `planrisk run <file> --seed S --draws N --sampler X [--precision E] [--given …]`.
fn command(m: &Manifest) -> String {
    let quote = |s: &str| {
        if s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:".contains(c))
        {
            s.to_string()
        } else {
            format!("'{}'", s.replace('\'', "'\\''"))
        }
    };
    let mut cmd = format!(
        "planrisk run {} --seed {} --draws {} --sampler {}",
        quote(&m.scenario_path),
        m.seed,
        m.draws_requested,
        quote(&m.sampler)
    );
    if let Some(p) = m.precision {
        let _ = write!(cmd, " --precision {p}");
    }
    for g in &m.conditions {
        let _ = write!(cmd, " --given {}", quote(g));
    }
    cmd
}
