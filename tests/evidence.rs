//! Evidence in: the pace check against the previous period's record, and observations
//! of the plan period (`[[observed]]`, `--as-of`).

mod common;
use common::{model_from, paths, run};
use planrisk::report::pace::PaceUnit;
use planrisk::sim::Sampler;

const MINI: &str = include_str!("fixtures/mini.toml");

/// The mini fixture with `extra` tables appended.
fn mini_with(extra: &str) -> String {
    format!("{MINI}\n{extra}")
}

const HISTORY: &str = r#"
[[history]]
id = "energy_intensity_2005_2010"
series = "energy"
per = "va"
metric = "change_pct"
from = 2005
year = 2010
value = -20.0
source = "assumption: test"

[[history]]
id = "va_2005"
series = "va"
year = 2005
value = 170.0
source = "assumption: test"

[[history]]
id = "va_2010"
series = "va"
year = 2010
value = 250.0
source = "assumption: test"

[[history]]
id = "rd_2007"
series = "rd"
year = 2007
value = 0.55
source = "assumption: test"

[[history]]
id = "rd_2010"
series = "rd"
year = 2010
value = 0.7
source = "assumption: test"
"#;

#[test]
fn pace_compares_the_required_with_the_recorded_annual_pace() {
    let m = model_from("pace", &mini_with(HISTORY));
    let s = run(&m, 2048, 1, Sampler::MonteCarlo);
    let pace = |id: &str| {
        s.targets
            .iter()
            .find(|t| t.id == id)
            .unwrap_or_else(|| panic!("{id}"))
            .pace
    };
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);

    // Energy intensity −10% over 2010–2015 against the stated −20% over 2005–2010.
    let e = pace("energy_intensity").expect("energy intensity has a pace");
    assert_eq!(e.unit, PaceUnit::PctPerYear);
    let required = 100.0 * (0.9f64.powf(0.2) - 1.0);
    let recorded = 100.0 * (0.8f64.powf(0.2) - 1.0);
    assert!(
        close(e.required, required) && close(e.recorded, recorded),
        "{e:?}"
    );
    assert!(close(e.ratio.unwrap(), required / recorded));
    assert_eq!(e.recorded_years, [2005, 2010]);

    // VA growth 8.5%/yr against the levels 170 → 250 over 2005–2010.
    let v = pace("va_growth").expect("va growth has a pace");
    let recorded = 100.0 * ((250.0f64 / 170.0).powf(0.2) - 1.0);
    assert!(
        close(v.required, 8.5) && close(v.recorded, recorded),
        "{v:?}"
    );

    // A share of a bounded indicator in points a year: 0.7 → 1.0 over five years
    // against 0.55 → 0.7 over three.
    let r = pace("rd_share").expect("rd share has a pace");
    assert_eq!(r.unit, PaceUnit::PointsPerYear);
    assert!(
        close(r.required, 0.3 / 5.0) && close(r.recorded, 0.15 / 3.0),
        "{r:?}"
    );
    assert!(close(r.ratio.unwrap(), (0.3 / 5.0) / (0.15 / 3.0)));

    // No history for the region's VA, none for a cumulative target.
    assert!(pace("va_growth_a").is_none());
    assert!(pace("elimination").is_none());
}

#[test]
fn without_history_there_is_no_pace() {
    let m = model_from("pace-none", MINI);
    let s = run(&m, 2048, 1, Sampler::MonteCarlo);
    assert!(s.targets.iter().all(|t| t.pace.is_none()));
    let json = serde_json::to_string(&s).unwrap();
    assert!(!json.contains("\"pace\""), "no pace key without history");
}

const OBSERVED: &str = r#"
[[indicators]]
id = "sw"
kind = "level"
start = 100.0
growth = 0.1
volatility = 0.05
source = "assumption: test"

[[targets]]
id = "sw_growth"
name = "Software"
series = "sw"
metric = "cagr"
comparator = "at_least"
value = 10.0

[[targets]]
id = "co2_a"
name = "CO2, A"
series = "co2@A"
metric = "change_pct"
comparator = "at_most"
value = -5.0

[[observed]]
id = "rd_2012"
series = "rd"
year = 2012
value = 0.9
source = "assumption: test"

[[observed]]
id = "sw_2013"
series = "sw"
year = 2013
value = 120.0
source = "assumption: test"

[[observed]]
id = "va_a_2012"
series = "va@A"
year = 2012
value = 210.0
source = "assumption: test"

[[observed]]
id = "va_2012"
series = "va"
year = 2012
value = 300.0
source = "assumption: test"

[[observed]]
id = "intensity_2013"
series = "energy"
per = "va"
year = 2013
value = 1.2
source = "assumption: test"

[[observed]]
id = "co2_a_2014"
series = "co2@A"
year = 2014
value = 700.0
source = "assumption: test"
"#;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn each_draw_takes_the_observed_values_and_continues_from_them() {
    let pinned = model_from("pins", &mini_with(OBSERVED));
    let free = pinned.as_of(2010);
    assert!(free.observed.is_empty() && pinned.observed.len() == 6);
    // The same scenario without one observation: what that observation alone changes.
    let without = |id: &str| {
        let mut m = pinned.clone();
        m.observed.retain(|o| o.id != id);
        m
    };
    let keys = ["rd", "sw", "va@A", "va@B", "va", "energy/va", "co2@A"];
    let n = 400;
    let p = paths(&pinned, &keys, n);
    let f = paths(&free, &keys, n);
    let no_ei = paths(&without("intensity_2013"), &keys, n);
    let no_co2 = paths(&without("co2_a_2014"), &keys, n);
    let logit = |x: f64| (x / (5.0 - x)).ln();
    for i in 0..n as usize {
        let (p, f) = (&p[i], &f[i]);
        let (rd, sw, va_a, va_b, va, ei, co2) = (&p[0], &p[1], &p[2], &p[3], &p[4], &p[5], &p[6]);
        // Observed years take the observed values; a free region takes the rest.
        assert!(close(rd[2], 0.9) && close(sw[3], 120.0) && close(va_a[2], 210.0));
        assert!(close(va[2], 300.0) && close(va_b[2], 90.0) && close(ei[3], 1.2));
        assert!(close(co2[4], 700.0));
        // Years before the first observation are untouched.
        for k in 0..keys.len() {
            assert_eq!(p[k][..2], f[k][..2], "{} before 2012", keys[k]);
        }
        // Afterwards each path moves as the draw's own path does: the bounded logit walk
        // restarts from 0.9, the level walk from 120, each region's cells grow at their
        // own rates from their pinned levels ...
        for t in 3..6 {
            assert!(close(
                logit(rd[t]) - logit(rd[2]),
                logit(f[0][t]) - logit(f[0][2])
            ));
            assert!(close(va_a[t] / va_a[2], f[2][t] / f[2][2]));
            assert!(close(va_b[t] / va_b[2], f[3][t] / f[3][2]));
        }
        // ... the energy intensity continues from 1.2 with its simulated trend, the
        // emission factor from its pinned level with its simulated change.
        for t in 4..6 {
            assert!(close(sw[t] / sw[3], f[1][t] / f[1][3]));
            let e = &no_ei[i][5];
            assert!(close(ei[t] / ei[3], e[t] / e[3]));
        }
        let c = &no_co2[i][6];
        assert!(close(co2[5] / co2[4], c[5] / c[4]));
    }
}

/// The summary.json bytes of `m` (4096 draws, seed 3).
fn summary_bytes(m: &planrisk::model::Model) -> Vec<u8> {
    serde_json::to_vec_pretty(&run(m, 4096, 3, Sampler::MonteCarlo)).unwrap()
}

#[test]
fn as_of_the_base_year_is_the_scenario_without_observations() {
    let dir = common::temp_dir("as-of");
    let path = dir.join("s.toml");
    // Observations on series no target reads (va@A, energy/va, co2@A) add series to
    // the model: they must change nothing either.
    std::fs::write(&path, mini_with(OBSERVED)).unwrap();
    for p in [
        path.as_path(),
        std::path::Path::new("scenarios/national_2011_2015.toml"),
    ] {
        let loaded = planrisk::load_model(p).expect("loads");
        assert!(!loaded.model.observed.is_empty());
        let mut spec = loaded.spec.clone();
        spec.observed.clear();
        let none = planrisk::model::compile(&spec).expect("compiles without observations");
        let base = loaded.model.as_of(loaded.model.base_year);
        assert_eq!(
            summary_bytes(&base),
            summary_bytes(&none),
            "{}",
            p.display()
        );
        assert_ne!(
            summary_bytes(&loaded.model),
            summary_bytes(&none),
            "{}",
            p.display()
        );
    }
}

#[test]
fn an_observation_at_the_horizon_settles_the_target() {
    // rd_share: about 1.0 ± 0.1 in 2015, wanted up (0.9 or more is met).
    for (value, p) in [(1.05, 1.0), (1.3, 1.0), (0.8, 0.0)] {
        let m = model_from(
            "horizon",
            &mini_with(&format!(
                "[[observed]]\nid = \"rd_2015\"\nseries = \"rd\"\nyear = 2015\nvalue = {value}\nsource = \"assumption: test\"\n"
            )),
        );
        let s = run(&m, 4096, 1, Sampler::MonteCarlo);
        assert_eq!(common::p_hit(&s, "rd_share"), p);
    }
}

fn planrisk_run(dir: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "run",
        "scenarios/national_2011_2015.toml",
        "--draws",
        "4000",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_planrisk"))
        .args(&args)
        .output()
        .expect("run planrisk");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn the_barometer_repeats_the_run_as_of_each_year_on_any_thread_count() {
    let (a, b, c) = (
        common::temp_dir("barometer-1"),
        common::temp_dir("barometer-2"),
        common::temp_dir("barometer-base"),
    );
    let one = planrisk_run(&a, &["--threads", "1", "--no-charts"]);
    let two = planrisk_run(&b, &["--threads", "2"]);
    assert_eq!(
        std::fs::read(a.join("summary.json")).unwrap(),
        std::fs::read(b.join("summary.json")).unwrap()
    );
    assert!(b.join("charts").join(planrisk::chart::BAROMETER).is_file());
    let base = planrisk_run(&c, &["--as-of", "2010", "--no-charts"]);
    assert!(base.get("barometer").is_none() && base.get("observed").is_none());
    let p = |s: &serde_json::Value, id: &str| {
        s["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .unwrap()["p_hit"]
            .as_f64()
            .unwrap()
    };
    let bar = &two["barometer"];
    assert_eq!(bar["years"], serde_json::json!([2010, 2011, 2012, 2013]));
    // Each year's P(hit) is the run as of that year: 2010–2012 use no observation (the
    // base-year run), 2013 the solid-waste observation (this run).
    for t in bar["targets"].as_array().unwrap() {
        let id = t["id"].as_str().unwrap();
        let row: Vec<f64> = t["p_hit"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert_eq!(row[..3], [p(&base, id); 3], "{id}");
        assert_eq!(row[3], p(&two, id), "{id}");
    }
    let sw = "industrial_solid_waste_utilization";
    assert!(p(&base, sw) > 0.2 && p(&two, sw) == 0.0);
    assert_eq!(one["observed"][0]["id"], "solid_waste_use_2013");
    // 62 lies below every draw of the 2013 value the model made as of 2010.
    assert_eq!(one["observed"][0]["prior_percentile"], 0.0);
}
