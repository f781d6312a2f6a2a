//! Evidence in: the pace check against the previous period's record, and observations
//! of the plan period (`[[observed]]`, `--as-of`).

mod common;
use common::{model_from, run};
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
