//! A province gets the same answer alone and inside the nation: every target its own
//! scenario models is modeled in the combined scenario (`ha_`/`sd_`/`gd_` + its id),
//! and the two probabilities agree within 4 standard errors of their difference (at
//! least 1 percentage point) at the same seed and draws. The streams differ (the
//! combined run draws the nation too), so agreement is statistical; a false alarm
//! needs a 4-SE deviation, about once in 16 000 targets, and the seed is fixed.

mod common;
use common::run;
use planrisk::load_model;
use planrisk::report::Summary;
use planrisk::sim::Sampler;
use std::path::Path;

const DRAWS: u64 = 4000;
const SEED: u64 = 20111230;

fn summary(file: &str) -> Summary {
    let m = load_model(Path::new(&format!("scenarios/{file}.toml")))
        .unwrap_or_else(|e| panic!("{file} loads:\n{e}"))
        .model;
    run(&m, DRAWS, SEED, Sampler::MonteCarlo)
}

#[test]
fn every_province_gets_the_same_answer_alone_and_inside_the_nation() {
    let combined = summary("china_provinces_2011_2015");
    let mut problems = Vec::new();
    let n = DRAWS as f64;
    for (file, prefix) in [
        ("henan_2011_2015", "ha"),
        ("shandong_2011_2015", "sd"),
        ("guangdong_2011_2015", "gd"),
    ] {
        let alone = summary(file);
        let mut modeled = 0;
        for t in &alone.targets {
            let Some(p1) = t.p_hit else { continue };
            modeled += 1;
            let id = format!("{prefix}_{}", t.id);
            let Some(p2) = combined
                .targets
                .iter()
                .find(|c| c.id == id)
                .and_then(|c| c.p_hit)
            else {
                problems.push(format!("{id}: modeled alone, not in the combined scenario"));
                continue;
            };
            let se = (p1 * (1.0 - p1) / n + p2 * (1.0 - p2) / n).sqrt();
            let tol = (4.0 * se).max(0.01);
            println!(
                "{id:40} alone {:6.2}%  combined {:6.2}%  |Δ| {:5.2} pp (tol {:4.2})",
                100.0 * p1,
                100.0 * p2,
                100.0 * (p1 - p2).abs(),
                100.0 * tol
            );
            if (p1 - p2).abs() > tol {
                problems.push(format!(
                    "{id}: alone {p1:.4}, combined {p2:.4}, |Δ| > {tol:.4}"
                ));
            }
        }
        assert!(modeled > 10, "{file}: only {modeled} modeled targets");
    }
    assert!(
        problems.is_empty(),
        "{} disagreements:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The provinces' 2010 value added in national units equals the national file's rows
/// for them, so composing leaves the national 2010 total as the plan states it.
#[test]
fn composing_keeps_the_national_base_year_total() {
    let va0 = |file: &str| {
        let m = load_model(Path::new(&format!("scenarios/{file}.toml")))
            .expect("loads")
            .model;
        common::paths(&m, &["va"], 1)[0][0][0]
    };
    let (alone, combined) = (va0("national_2011_2015"), va0("china_provinces_2011_2015"));
    assert!(
        (combined / alone - 1.0).abs() < 1e-3,
        "national VA 2010: {alone} alone, {combined} combined"
    );
}
