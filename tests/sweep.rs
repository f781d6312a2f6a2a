//! `planrisk sweep`: one variant file and one run per value, then the comparison; a
//! variant is an ordinary scenario, so its results equal a plain run of its file.

mod common;
use common::{planrisk_ok, temp_dir};
use std::process::Command;

const NATIONAL: &str = "scenarios/national_2011_2015.toml";

#[test]
fn a_sweep_writes_each_variant_and_the_comparison() {
    let dir = temp_dir("sweep");
    let out = dir.join("sweep");
    planrisk_ok(&[
        "sweep",
        NATIONAL,
        "--vary",
        "shocks.ar1=0.1,0.6",
        "--draws",
        "3000",
        "--no-charts",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let csv = std::fs::read_to_string(out.join("comparison/comparison.csv")).unwrap();
    assert!(
        csv.starts_with("target,shocks_ar1_0_1,shocks_ar1_0_6\n"),
        "{csv}"
    );
    let compared = out.join("comparison");
    assert!(compared.join("comparison.png").is_file() && compared.join("report.html").is_file());
    for label in ["shocks.ar1=0.1", "shocks.ar1=0.6"] {
        let variant = out.join(format!("variants/{label}.toml"));
        let text = std::fs::read_to_string(&variant).unwrap();
        assert!(
            text.contains("extends = ") && text.contains("\"shocks\".\"ar1\" = "),
            "{text}"
        );
        let alone = dir.join(label);
        planrisk_ok(&[
            "run",
            variant.to_str().unwrap(),
            "--draws",
            "3000",
            "--no-charts",
            "--quiet",
            "--out",
            alone.to_str().unwrap(),
        ]);
        let a = std::fs::read(alone.join("summary.json")).unwrap();
        let b = std::fs::read(out.join(label).join("summary.json")).unwrap();
        assert!(
            a == b,
            "{label}: the sweep's results differ from a run of its file"
        );
    }
    // The two variants differ where the shock persistence matters.
    assert_ne!(
        std::fs::read(out.join("shocks.ar1=0.1/summary.json")).unwrap(),
        std::fs::read(out.join("shocks.ar1=0.6/summary.json")).unwrap()
    );
}

/// An uncertain parameter swept by value: each variant's `dist = "fixed"` replaces the
/// parent's normal whole (`extends`), so the run records the fixed law, not a mix of
/// the two families' keys.
#[test]
fn an_uncertain_parameter_is_swept_as_fixed_values() {
    let out = temp_dir("sweep-uncertain").join("sweep");
    planrisk_ok(&[
        "sweep",
        NATIONAL,
        "--vary",
        "ach_steel=0.9,1.2",
        "--draws",
        "2000",
        "--no-charts",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let mut summaries = Vec::new();
    for (label, law) in [
        ("ach_steel=0.9", "fixed(value = 0.9)"),
        ("ach_steel=1.2", "fixed(value = 1.2)"),
    ] {
        let bytes = std::fs::read(out.join(label).join("summary.json")).unwrap();
        let s: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let params = s["scenario"]["parameters"].as_array().unwrap();
        let a = params.iter().find(|p| p["id"] == "ach_steel").unwrap();
        assert_eq!(a["law"], law, "{label}");
        assert_eq!(
            a["name"], "Iron and steel elimination achievement",
            "{label}: the description is kept"
        );
        summaries.push(bytes);
    }
    assert_ne!(summaries[0], summaries[1]);
}

#[test]
fn impossible_sweeps_are_refused_with_a_hint() {
    for (args, expect) in [
        (vec!["--vary", "g_steel=0.04"], "at least two values"),
        (vec!["--vary", "g_nothing=1,2"], "no parameter `g_nothing`"),
        (
            vec!["--vary", "shocks.ar1=0.1,0.2", "--shard", "0/2"],
            "--shard cannot be combined with sweep",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_planrisk"))
            .args([
                "sweep",
                NATIONAL,
                "--out",
                temp_dir("sweep-bad").to_str().unwrap(),
            ])
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expect), "{args:?}: {err}");
    }
}
