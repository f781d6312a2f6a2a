//! The outside view and the inside view: a parameter's `inside_view` alternative is what
//! `--inside-view` draws from; the default run never sees it; both are checked.

mod common;
use common::*;
use planrisk::model::dist::Distribution;
use planrisk::{load_model_with, View};

const SCENARIO: &str = r#"
[params.g]
dist = "normal"
mean = 0.113
sd = 0.02
name = "Growth"
source = "assumption: the record"
inside_view = { dist = "normal", mean = 0.09, sd = 0.02, source = "assumption: slower" }

[params.h]
dist = "fixed"
value = 0.05
source = "assumption: no alternative"

[[targets]]
id = "cagr"
name = "growth"
series = "va"
metric = "cagr"
comparator = "at_least"
value = 10.0
"#;

fn scenario() -> std::path::PathBuf {
    let dir = temp_dir("inside-view");
    let p = dir.join("s.toml");
    std::fs::write(&p, one_cell("\"g\"", "0.0", SCENARIO)).expect("write");
    p
}

#[test]
fn the_inside_view_swaps_only_the_parameters_that_have_one() {
    let p = scenario();
    let outside = load_model_with(&p, View::Default).expect("loads").model;
    let inside = load_model_with(&p, View::Inside).expect("loads").model;
    let dist = |m: &planrisk::model::Model, id: &str| {
        m.params
            .iter()
            .find(|q| q.id == id)
            .expect("param")
            .dist
            .clone()
    };
    assert_eq!(
        dist(&outside, "g"),
        Distribution::normal(0.113, 0.02).unwrap()
    );
    assert_eq!(
        dist(&inside, "g"),
        Distribution::normal(0.09, 0.02).unwrap()
    );
    assert_eq!(dist(&inside, "h"), dist(&outside, "h"));
    // The alternative keeps the parameter's name for charts.
    let g = inside.params.iter().find(|q| q.id == "g").unwrap();
    assert_eq!(g.name, "Growth");
    assert!(inside.inside_view && !outside.inside_view);
    // No annual shocks: CAGR = 100·g, so P(CAGR ≥ 10) = 1 − Φ((0.10 − μ)/0.02).
    let n = 40_000;
    let (so, si) = (
        run(&outside, n, 3, planrisk::sim::Sampler::MonteCarlo),
        run(&inside, n, 3, planrisk::sim::Sampler::MonteCarlo),
    );
    let phi = planrisk::stats::std_normal_cdf;
    assert_close_to_probability(p_hit(&so, "cagr"), 1.0 - phi(-0.65), n, "outside view");
    assert_close_to_probability(p_hit(&si, "cagr"), 1.0 - phi(0.5), n, "inside view");
    assert!(si.scenario.inside_view && !so.scenario.inside_view);
}

#[test]
fn the_command_line_runs_the_inside_view_and_says_so() {
    let p = scenario();
    let out = p.parent().unwrap().join("out");
    let run = |extra: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_planrisk"))
            .arg("run")
            .arg(&p)
            .args(["--draws", "4000", "--no-charts", "--quiet", "--out"])
            .arg(&out)
            .args(extra)
            .output()
            .expect("run planrisk");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let read = |f: &str| std::fs::read_to_string(out.join(f)).expect("output file");
        (read("summary.json"), read("manifest.json"))
    };
    let (summary, manifest) = run(&["--inside-view"]);
    assert!(summary.contains("\"inside_view\": true"), "summary says so");
    assert!(
        manifest.contains("\"inside_view\": true"),
        "manifest says so"
    );
    let (summary, manifest) = run(&[]);
    assert!(
        !summary.contains("inside_view"),
        "a default run's summary is as before"
    );
    assert!(manifest.contains("\"inside_view\": false"));
}
