//! report.html without a browser: `planrisk report` rebuilds the run's page byte for
//! byte from saved results, a run without charts still gets a page, the national page
//! stays small enough to e-mail, bad directories are user errors, and whatever a
//! scenario or summary says is escaped (the page's only script is its own). The browser
//! checks are in tests/report_browser.rs.

mod common;
mod synth;

use common::temp_dir;
use planrisk::chart::Lang;
use planrisk::html::{comparison_report, run_report, ComparedRun};
use std::path::Path;
use std::process::{Command, Output};

fn planrisk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planrisk"))
        .args(args)
        .output()
        .expect("run planrisk")
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

const NATIONAL: &str = "scenarios/national_2011_2015.toml";
/// The national page must stay comfortably below common e-mail limits (10–25 MB).
const MAX_NATIONAL_BYTES: u64 = 5_000_000;

#[test]
fn report_command_rebuilds_the_runs_page_and_it_stays_small() {
    let dir = temp_dir("html-national");
    let d = dir.to_str().unwrap();
    let out = ok(planrisk(&[
        "run", NATIONAL, "--draws", "20000", "--quiet", "--out", d,
    ]));
    assert!(String::from_utf8_lossy(&out.stdout).contains("report.html"));
    let page = std::fs::read(dir.join("report.html")).expect("run writes report.html");
    let size = page.len() as u64;
    assert!(size < MAX_NATIONAL_BYTES, "national report is {size} bytes");
    let charts = std::fs::read_dir(dir.join("charts/targets"))
        .unwrap()
        .count();
    let text = String::from_utf8(page.clone()).unwrap();
    assert!(
        text.matches("<img src=\"data:image/png;base64,").count() > charts,
        "every distribution chart and more are inlined"
    );
    std::fs::remove_file(dir.join("report.html")).unwrap();
    ok(planrisk(&["report", d]));
    assert_eq!(
        std::fs::read(dir.join("report.html")).unwrap(),
        page,
        "report rebuilds the same bytes"
    );
}

#[test]
fn a_run_without_charts_still_gets_a_page() {
    let dir = temp_dir("html-nocharts");
    let d = dir.to_str().unwrap();
    ok(planrisk(&[
        "run",
        "scenarios/guangdong_2011_2015.toml",
        "--draws",
        "2000",
        "--quiet",
        "--no-charts",
        "--out",
        d,
    ]));
    let page = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        !page.contains("<img"),
        "no charts were drawn, none may be shown"
    );
    assert!(page.contains("--no-charts") && page.contains("id=\"target-table\""));
}

#[test]
fn report_of_a_directory_without_results_is_a_user_error() {
    let dir = temp_dir("html-empty");
    let out = planrisk(&["report", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("summary.json"));
    assert!(!dir.join("report.html").exists());
    std::fs::write(dir.join("summary.json"), "{\"not\": \"a summary\"}").unwrap();
    let out = planrisk(&["report", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let mut s = synth::summary(12, 3, 5);
    let evil = "</td></tr></table><script>alert(1)</script><img src=x onerror=alert(2)> \"'&";
    s.targets[0].quote = evil.into();
    s.targets[1].id = format!("id {evil}");
    s.targets[2].name_zh = evil.into();
    s.targets[3].agency = Some(evil.into());
    s.scenario.name = evil.into();
    s.scenario.parameters[0].source = evil.into();
    let no_charts = |_: &Path| None;
    let page = run_report(&s, None, &no_charts, Lang::Both).unwrap();
    assert_eq!(
        page.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!page.contains("<img src=x") && !page.contains("<script>alert"));
    assert!(
        page.contains("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(!page.contains("<img"), "no charts given, none shown");
    let runs = [
        ComparedRun {
            name: evil,
            summary: &s,
            manifest: None,
        },
        ComparedRun {
            name: "b",
            summary: &s,
            manifest: None,
        },
    ];
    let page = comparison_report(&runs, None, Lang::En).unwrap();
    assert_eq!(page.matches("<script").count(), 1);
    assert!(!page.contains("<img src=x") && !page.contains("<script>alert"));
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
}
