//! Undefined outcomes are counted, never scored behind the user's back: a target whose
//! outcome is not a number in some draws (a change from a zero baseline, a share of a
//! zero total, an overflow) gets no P(hit) unless its scenario says how to score such
//! draws (`undefined = "miss"` or `"hit"`); summary.json says how many draws were
//! undefined; `validate` warns; `chart`, `compare` and `report` read such results.

mod common;

use common::{planrisk_ok, temp_dir};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_planrisk");
const ZERO: &str = "tests/fixtures/zero_base.toml";

/// `ZERO` with `extra` lines added after the line `after` (a target's `value = …`).
fn variant(dir: &Path, edits: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(ZERO).expect("fixture");
    text = text.replace(
        "extends = \"mini.toml\"",
        &format!(
            "extends = \"{}\"",
            std::fs::canonicalize("tests/fixtures/mini.toml")
                .expect("mini")
                .display()
        ),
    );
    for (after, extra) in edits {
        assert!(text.contains(after), "{after} not in the fixture");
        text = text.replacen(after, &format!("{after}\n{extra}"), 1);
    }
    let p = dir.join("s.toml");
    std::fs::write(&p, text).expect("write");
    p.display().to_string()
}

fn run(scenario: &str, out: &Path) -> Value {
    planrisk_ok(&[
        "run",
        scenario,
        "--draws",
        "3000",
        "--quiet",
        "--out",
        &out.display().to_string(),
    ]);
    serde_json::from_slice(&std::fs::read(out.join("summary.json")).expect("summary"))
        .expect("json")
}

fn target<'a>(s: &'a Value, id: &str) -> &'a Value {
    s["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .find(|t| t["id"] == id)
        .expect("target")
}

#[test]
fn undefined_draws_are_counted_and_leave_the_target_unscored() {
    let dir = temp_dir("undefined-unscored");
    let out = dir.join("out");
    let s = run(ZERO, &out);
    for id in ["newtech_growth", "newtech_energy_share"] {
        let t = target(&s, id);
        assert_eq!(t["status"], "unscored", "{id}: {t}");
        assert_eq!(t["undefined_draws"], 3000, "{id}");
        assert!(
            t["p_hit"].is_null() && t["p_hit_ci95"].is_null(),
            "{id}: {t}"
        );
        assert!(t["reason"]
            .as_str()
            .unwrap()
            .contains("undefined = \"miss\""));
        assert!(t.get("undefined").is_none());
    }
    // The other targets are scored as ever, with no undefined draw.
    let va = target(&s, "va_growth");
    assert_eq!(va["status"], "modeled");
    assert_eq!(va["undefined_draws"], 0);
    assert!(va["p_hit"].as_f64().is_some());
    // Joint results that would count the unscored targets are withheld; the running
    // P(hit) lists only scored targets.
    assert!(s["joint"]["all_modeled"].is_null());
    assert_eq!(s["joint"]["k_missed"].as_array().unwrap().len(), 0);
    let ids: Vec<&str> = s["convergence"]["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"newtech_growth") && ids.contains(&"va_growth"));
    for p in s["joint"]["miss_pairs"].as_array().unwrap() {
        assert!(!p["a"].as_str().unwrap().starts_with("newtech"), "{p}");
        assert!(!p["b"].as_str().unwrap().starts_with("newtech"), "{p}");
    }
    // What the run wrote can be read back: charts redrawn, report rebuilt, compared.
    let o = out.display().to_string();
    planrisk_ok(&["chart", &o]);
    planrisk_ok(&["report", &o]);
    let cmp = dir.join("cmp").display().to_string();
    planrisk_ok(&["compare", &o, &o, "--out", &cmp]);
}

#[test]
fn the_scenario_can_score_undefined_draws_as_misses_or_hits() {
    let dir = temp_dir("undefined-scored");
    let scenario = variant(
        &dir,
        &[
            ("value = 10.0", "undefined = \"miss\""),
            ("value = 1.0", "undefined = \"hit\""),
        ],
    );
    let s = run(&scenario, &dir.join("out"));
    let miss = target(&s, "newtech_growth");
    assert_eq!(miss["status"], "modeled");
    assert_eq!(miss["undefined"], "miss");
    assert_eq!(miss["undefined_draws"], 3000);
    assert_eq!(miss["p_hit"], 0.0);
    assert_eq!(miss["p_hit_ci95"][0], 0.0);
    // No outcome is defined, so there is no distribution to summarise.
    assert!(miss["quantiles"].is_null() && miss["mean"].is_null());
    let hit = target(&s, "newtech_energy_share");
    assert_eq!(hit["undefined"], "hit");
    assert_eq!(hit["p_hit"], 1.0);
    assert!(s["joint"]["all_modeled"]["p"] == 0.0, "{}", s["joint"]);
    let o = dir.join("out").display().to_string();
    planrisk_ok(&["chart", &o]);
}

#[test]
fn validate_warns_of_a_zero_baseline_and_still_succeeds() {
    let out = Command::new(BIN)
        .args(["validate", ZERO, "tests/fixtures/mini.toml"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("target `newtech_growth`: its baseline (va:newtech in 2010) is zero, so its change_pct is undefined"),
        "{err}"
    );
    assert!(
        err.contains("target `newtech_energy_share`: its level is undefined"),
        "{err}"
    );
    assert!(err.contains("undefined = \"miss\""), "{err}");
    // The fixture it extends warns of nothing.
    assert!(!err.contains("mini.toml"), "{err}");
}
