//! The `planrisk` command end to end: run, validate and targets on the bundled
//! scenario, determinism across thread counts, and a bad file.

mod common;
use common::temp_dir;
use std::path::Path;
use std::process::{Command, Output};

fn planrisk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planrisk"))
        .args(args)
        .output()
        .expect("run planrisk")
}

const NATIONAL: &str = "scenarios/national_2011_2015.toml";

fn run_to(dir: &Path, extra: &[&str]) -> Vec<u8> {
    let d = dir.to_str().unwrap();
    let mut args = vec!["run", NATIONAL, "--draws", "6000", "--quiet", "--out", d];
    args.extend_from_slice(extra);
    let out = planrisk(&args);
    assert!(
        out.status.success(),
        "run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(dir.join("summary.json")).expect("summary.json")
}

#[test]
fn run_writes_results_and_prints_the_table() {
    let dir = temp_dir("cli-run");
    let out = planrisk(&[
        "run",
        NATIONAL,
        "--draws",
        "3000",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("industrial_va_growth") && stdout.contains("P(hit)"));
    for f in [
        "summary.json",
        "targets.csv",
        "manifest.json",
        "sensitivity.csv",
        "joint.csv",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    let t = &summary["targets"][0];
    for key in [
        "id",
        "name",
        "name_zh",
        "binding",
        "status",
        "p_hit",
        "p_hit_ci95",
        "mean",
        "quantiles",
        "target_value",
        "metric",
        "comparator",
    ] {
        assert!(!t[key].is_null(), "targets[0].{key} missing");
    }
    assert!(summary["joint"]["all_modeled"]["p"].is_number());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["draws"], 3000);
    assert_eq!(manifest["scenario_sha256"].as_str().unwrap().len(), 64);
    let csv = std::fs::read_to_string(dir.join("targets.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        summary["targets"].as_array().unwrap().len() + 1
    );
}

#[test]
fn results_are_bit_identical_for_any_thread_count() {
    let one = run_to(&temp_dir("det-1"), &["--threads", "1", "--seed", "5"]);
    let two = run_to(&temp_dir("det-2"), &["--threads", "2", "--seed", "5"]);
    let three = run_to(&temp_dir("det-3"), &["--threads", "3", "--seed", "5"]);
    assert!(
        one == two && two == three,
        "summary.json differs between thread counts"
    );
    let other = run_to(&temp_dir("det-4"), &["--threads", "2", "--seed", "6"]);
    assert_ne!(one, other, "a different seed must give different results");
}

#[test]
fn validate_and_targets_accept_the_bundled_scenario() {
    let out = planrisk(&["validate", NATIONAL]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok:"));
    let out = planrisk(&["targets", NATIONAL]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("energy_intensity_above_scale") && text.contains("unmodeled"));
}

#[test]
fn a_bad_file_exits_2_with_its_location() {
    let dir = temp_dir("cli-bad");
    let p = dir.join("bad.toml");
    let text = std::fs::read_to_string("tests/fixtures/mini.toml")
        .unwrap()
        .replace("sd = 0.02", "sd = -0.02");
    std::fs::write(&p, text).unwrap();
    for cmd in ["validate", "run", "targets"] {
        let out = planrisk(&[cmd, p.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("bad.toml:16:6") && err.contains("`sd` must be positive"),
            "{cmd}: {err}"
        );
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn charts_are_drawn_redrawn_from_results_and_compared() {
    let a = temp_dir("cli-chart-a");
    let b = temp_dir("cli-chart-b");
    let out = planrisk(&[
        "run",
        "tests/fixtures/mini.toml",
        "--draws",
        "4000",
        "--quiet",
        "--out",
        a.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "dashboard.png",
        "targets/va_growth.png",
        "fans/va.png",
        "heatmap.png",
        "tornado.png",
        "convergence.png",
    ] {
        assert!(a.join("charts").join(f).is_file(), "{f} missing");
    }
    let summary_before = std::fs::read(a.join("summary.json")).unwrap();
    std::fs::remove_dir_all(a.join("charts")).unwrap();
    let out = planrisk(&["chart", a.to_str().unwrap(), "--lang", "en"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(a.join("charts/dashboard.png").is_file());
    assert_eq!(
        std::fs::read(a.join("summary.json")).unwrap(),
        summary_before,
        "drawing must not change results"
    );

    let out = planrisk(&[
        "run",
        "tests/fixtures/mini.toml",
        "--draws",
        "4000",
        "--seed",
        "8",
        "--quiet",
        "--no-charts",
        "--out",
        b.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(!b.join("charts").exists(), "--no-charts drew charts");
    let cmp = temp_dir("cli-compare");
    let out = planrisk(&[
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--out",
        cmp.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(cmp.join("comparison.png").is_file());
    let csv = std::fs::read_to_string(cmp.join("comparison.csv")).unwrap();
    // Two runs of one scenario get distinct columns, named by their directories.
    let header = format!("target,mini ({}),mini ({})\n", a.display(), b.display());
    assert!(
        csv.starts_with(&header) && csv.contains("\nva_growth,"),
        "{csv}"
    );

    let out = planrisk(&["chart", cmp.join("nowhere").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}
