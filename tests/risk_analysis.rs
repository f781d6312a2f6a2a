//! The statistical layer against closed forms: LHS and Sobol beat plain Monte Carlo,
//! sensitivity indices of an additive linear model, joint probabilities of independent
//! targets, conditional probabilities of correlated normals, and the precision rule.

mod common;
use common::*;
use planrisk::model::Model;
use planrisk::report::summarize;
use planrisk::sim::condition::parse_condition;
use planrisk::sim::{self, RunConfig, Sampler, StopReason};
use std::sync::atomic::AtomicBool;

/// CAGR of sector s = 100·(g + o) exactly (no annual shocks, s only in region R whose
/// growth offset is o): additive and linear in two independent normals, sd 2 and 1
/// percentage points. Sector t (only in region Q) grows at h, independent of both.
fn additive(extra: &str) -> Model {
    let toml = one_cell(
        "\"g\"",
        "0.0",
        &format!(
            r#"
[params.g]
dist = "normal"
mean = 0.08
sd = 0.02

[params.o]
dist = "normal"
mean = 0.0
sd = 0.01

[params.h]
dist = "normal"
mean = 0.05
sd = 0.02

[[regions]]
id = "Q"
name = "Region without offset"

[[sectors]]
id = "t"
name = "Other sector"
va = {{ R = 0.0, Q = 1.0 }}
growth = "h"

[[targets]]
id = "cagr"
name = "growth"
series = "va:s"
metric = "cagr"
comparator = "at_least"
value = 9.0

[[targets]]
id = "other"
name = "other growth"
series = "va:t"
metric = "cagr"
comparator = "at_least"
value = 5.0
{extra}
"#
        ),
    )
    .replace(
        "name = \"Region\"",
        "name = \"Region\"\ngrowth_offset = \"o\"",
    )
    .replace("va = { R = 100.0 }", "va = { R = 100.0, Q = 0.0 }");
    model_from("additive", &toml)
}

#[test]
fn lhs_and_sobol_beat_monte_carlo_at_equal_draws() {
    let m = additive("");
    let exact = 8.0; // E[100·(g + o)]
    let rmse = |sampler: Sampler| -> f64 {
        let errs: Vec<f64> = (0..8)
            .map(|seed| run(&m, 4096, 100 + seed, sampler).targets[0].mean.unwrap() - exact)
            .collect();
        (errs.iter().map(|e| e * e).sum::<f64>() / errs.len() as f64).sqrt()
    };
    let (mc, lhs, sobol) = (
        rmse(Sampler::MonteCarlo),
        rmse(Sampler::LatinHypercube),
        rmse(Sampler::Sobol),
    );
    // MC's RMSE is σ/√n ≈ 0.035; stratified samplers of an additive function do far better.
    assert!(lhs < 0.3 * mc, "lhs {lhs} vs mc {mc}");
    assert!(sobol < 0.3 * mc, "sobol {sobol} vs mc {mc}");
}

#[test]
fn sensitivity_of_an_additive_linear_model() {
    let m = additive("");
    let s = run(&m, 65_536, 3, Sampler::MonteCarlo);
    let get = |p: &str| {
        s.sensitivity
            .iter()
            .find(|r| r.target == "cagr" && r.parameter == p)
            .unwrap()
    };
    // First-order indices: 0.8 and 0.2. The correlation-ratio estimator over 16
    // equal-probability bins keeps ≈ 98.6% of a normal's variance between bins.
    let captured = 0.986;
    assert!(
        (get("g").first_order - 0.8 * captured).abs() < 0.02,
        "{}",
        get("g").first_order
    );
    assert!(
        (get("o").first_order - 0.2 * captured).abs() < 0.02,
        "{}",
        get("o").first_order
    );
    assert!(get("h").first_order < 0.01);
    // Spearman of bivariate normals with Pearson r: (6/π)·asin(r/2).
    let rs = |r: f64| 6.0 / std::f64::consts::PI * (r / 2.0).asin();
    assert!(
        (get("g").spearman - rs(0.8_f64.sqrt())).abs() < 0.02,
        "{}",
        get("g").spearman
    );
    assert!(
        (get("o").spearman - rs(0.2_f64.sqrt())).abs() < 0.03,
        "{}",
        get("o").spearman
    );
    assert!(get("h").spearman.abs() < 0.03);
}

#[test]
fn independent_targets_multiply() {
    let m = additive("");
    let n = 65_536;
    let s = run(&m, n, 4, Sampler::MonteCarlo);
    let (a, b) = (p_hit(&s, "cagr"), p_hit(&s, "other"));
    assert_close_to_probability(
        s.joint.all_modeled.unwrap().p,
        a * b,
        n,
        "P(both) = P(a)·P(b)",
    );
    let k = &s.joint.k_missed;
    assert!((k.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!((k[0] - s.joint.all_modeled.unwrap().p).abs() < 1e-12);
    // The only pair is reported (its φ is noise, not exactly 0), near independence.
    let [pair] = &s.joint.miss_pairs[..] else {
        panic!("one pair expected: {:?}", s.joint.miss_pairs)
    };
    assert!(pair.correlation.abs() < 0.02, "{pair:?}");
    assert_close_to_probability(
        pair.p_both_missed,
        (1.0 - a) * (1.0 - b),
        n,
        "P(both missed)",
    );
}

#[test]
fn conditional_probability_of_correlated_normals() {
    // g and h correlated with ρ; "other" is hit when h ≥ its mean, so
    // P(hit | g below its mean) = 1/2 − asin(ρ)/π (bivariate normal orthant).
    let rho: f64 = 0.7;
    let m = additive(&format!(
        "[correlation]\nparams = [\"g\", \"h\"]\nmatrix = [[1.0, {rho}], [{rho}, 1.0]]\n"
    ));
    let n = 65_536;
    let cfg = RunConfig {
        draws: n,
        seed: 5,
        sampler: Sampler::MonteCarlo,
        precision: None,
        conditions: vec![parse_condition("g < 0.08", &m).unwrap()],
    };
    let out =
        sim::run(&m, &cfg, &|_| {}, &AtomicBool::new(false)).expect("valid run configuration");
    let s = summarize(&m, &out, 5, Sampler::MonteCarlo);
    let c = &s.conditional[0];
    let p = c
        .p_hit
        .iter()
        .find(|(id, _)| id == "other")
        .unwrap()
        .1
        .unwrap();
    let exact = 0.5 - rho.asin() / std::f64::consts::PI;
    assert_close_to_probability(p, exact, c.draws_meeting, "P(h ≥ mean | g < mean)");
    assert!((c.draws_meeting as f64 / n as f64 - 0.5).abs() < 0.01);
    assert!(parse_condition("g ~ 1", &m).is_err());
    assert!(parse_condition("cagrr < 1", &m)
        .unwrap_err()
        .hint
        .is_some_and(|h| h.contains("did you mean `cagr`")));
}

/// The library refuses a configuration that does not fit the model, naming the setting
/// at fault, instead of panicking somewhere inside the run.
#[test]
fn the_engine_checks_its_configuration() {
    let cfg = |draws, sampler, precision| RunConfig {
        draws,
        seed: 1,
        sampler,
        precision,
        conditions: vec![],
    };
    let refused = |m: &Model, c: RunConfig| -> Vec<String> {
        match sim::run(m, &c, &|_| {}, &AtomicBool::new(false)) {
            Ok(_) => vec![],
            Err(d) => d.iter().filter_map(|d| d.key.clone()).collect(),
        }
    };
    let m = additive("");
    assert_eq!(refused(&m, cfg(0, Sampler::MonteCarlo, None)), ["draws"]);
    assert_eq!(
        refused(&m, cfg(100, Sampler::MonteCarlo, Some(0.7))),
        ["precision"]
    );
    assert_eq!(
        refused(&m, cfg(0, Sampler::MonteCarlo, Some(f64::NAN))),
        ["draws", "precision"]
    );
    // More uncertain parameters than Sobol points have dimensions.
    let many: String = (0..=sim::sampler::SOBOL_MAX_DIMS)
        .map(|i| format!("[params.p{i}]\ndist = \"uniform\"\nmin = 0.0\nmax = 1.0\n"))
        .collect();
    let wide = additive(&many);
    assert_eq!(refused(&wide, cfg(100, Sampler::Sobol, None)), ["sampler"]);
    // A condition made for another model.
    let mut c = cfg(100, Sampler::MonteCarlo, None);
    c.conditions = vec![parse_condition("p200 < 0.5", &wide).unwrap()];
    assert!(refused(&wide, c.clone()).is_empty());
    assert_eq!(refused(&m, c), ["conditions"]);
    assert!(refused(&wide, cfg(100, Sampler::LatinHypercube, None)).is_empty());
}

#[test]
fn precision_rule_stops_early_and_deterministically() {
    let m = additive("");
    let go = |threads: usize| {
        let cfg = RunConfig {
            draws: 2_000_000,
            seed: 9,
            sampler: Sampler::MonteCarlo,
            precision: Some(0.004),
            conditions: vec![],
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| sim::run(&m, &cfg, &|_| {}, &AtomicBool::new(false)))
            .expect("valid run configuration")
    };
    let (a, b) = (go(1), go(2));
    assert_eq!(a.stop, StopReason::Precision);
    assert_eq!(a.acc.draws(), b.acc.draws());
    assert_eq!(a.acc.hits(), b.acc.hits());
    // Half-width 0.004 at p ≈ 0.3 needs about 1.96²·0.21/0.004² ≈ 50 000 draws.
    assert!(
        a.acc.draws() > 30_000 && a.acc.draws() < 120_000,
        "{}",
        a.acc.draws()
    );
    for &h in a.acc.hits() {
        assert!(planrisk::stats::wilson_half_width(h, a.acc.draws()) <= 0.004);
    }
}

#[test]
fn convergence_record_ends_at_the_final_estimate() {
    let m = additive("");
    let s = run(&m, 50_000, 6, Sampler::MonteCarlo);
    let c = &s.convergence;
    assert_eq!(*c.draws.last().unwrap(), 50_000);
    assert!(c.draws.windows(2).all(|w| w[0] < w[1]) && c.draws.len() >= 8);
    assert_eq!(*c.p_hit[0].last().unwrap(), p_hit(&s, "cagr"));
}
