//! Statistical correctness against answers known in closed form, with fixed seeds and
//! tolerances of four Monte Carlo standard errors.

mod common;
use common::*;
use planrisk::sim::Sampler;
use planrisk::stats::std_normal_cdf;

const N: u64 = 40_000;

#[test]
fn normal_growth_parameter_gives_normal_cagr() {
    // With no annual shocks, every year grows at the drawn g, so CAGR = 100·g exactly:
    // P(CAGR ≥ 9) = 1 − Φ((0.09 − 0.08)/0.02).
    let toml = one_cell(
        "\"g\"",
        "0.0",
        r#"
[params.g]
dist = "normal"
mean = 0.08
sd = 0.02

[[targets]]
id = "cagr"
name = "growth"
series = "va"
metric = "cagr"
comparator = "at_least"
value = 9.0
"#,
    );
    let m = model_from("normal-cagr", &toml);
    let s = run(&m, N, 11, Sampler::MonteCarlo);
    assert_close_to_probability(
        p_hit(&s, "cagr"),
        1.0 - std_normal_cdf(0.5),
        N,
        "P(CAGR ≥ 9%)",
    );
    let q = s.targets[0].quantiles.unwrap();
    // Median of N(8, 2): within 4 SE of the median (≈ 1.2533·σ/√n) plus histogram resolution.
    assert!(
        (q.p50 - 8.0).abs() < 4.0 * 1.2533 * 2.0 / (N as f64).sqrt() + 0.01,
        "median {}",
        q.p50
    );
}

#[test]
fn lognormal_level_indicator_has_lognormal_multiple() {
    // x_T = x_0·(1+g)^T·exp(σ·ΣZ − Tσ²/2): ln(x_T/x_0) ~ N(T·ln(1+g) − Tσ²/2, σ²T).
    let (g, sigma, t, m_target) = (0.05_f64, 0.1_f64, 5.0_f64, 1.3_f64);
    let toml = one_cell(
        "0.05",
        "0.0",
        r#"
[[indicators]]
id = "rev"
kind = "level"
start = 2.0
growth = 0.05
volatility = 0.1

[[targets]]
id = "multiple"
name = "revenue multiple"
series = "rev"
metric = "multiple"
comparator = "at_least"
value = 1.3
"#,
    );
    let m = model_from("lognormal", &toml);
    let s = run(&m, N, 12, Sampler::MonteCarlo);
    let mu = t * (1.0 + g).ln() - t * sigma * sigma / 2.0;
    let sd = sigma * t.sqrt();
    let exact = 1.0 - std_normal_cdf((m_target.ln() - mu) / sd);
    assert_close_to_probability(p_hit(&s, "multiple"), exact, N, "P(multiple ≥ 1.3)");
    // E[x_T/x_0] = (1+g)^T exactly; its sd is that times sqrt(exp(σ²T) − 1).
    let mean = (1.0 + g).powf(t);
    let se = mean * ((sigma * sigma * t).exp() - 1.0).sqrt() / (N as f64).sqrt();
    assert!((s.targets[0].mean.unwrap() - mean).abs() < 4.0 * se);
}

#[test]
fn ratio_of_two_lognormal_levels_is_lognormal() {
    // A product of lognormals: (A_T/B_T)/(A_0/B_0) has log-mean T·ln((1+ga)/(1+gb)) −
    // T(σa² − σb²)/2 and log-variance T(σa² + σb²).
    let toml = one_cell(
        "0.05",
        "0.0",
        r#"
[[indicators]]
id = "a"
kind = "level"
start = 3.0
growth = 0.08
volatility = 0.06

[[indicators]]
id = "b"
kind = "level"
start = 1.0
growth = 0.02
volatility = 0.08

[[targets]]
id = "relative"
name = "a relative to b"
series = "a"
per = "b"
metric = "multiple"
comparator = "at_least"
value = 1.35
"#,
    );
    let m = model_from("lognormal-ratio", &toml);
    let s = run(&m, N, 13, Sampler::MonteCarlo);
    let t = 5.0_f64;
    let mu = t * (1.08_f64 / 1.02).ln() - t * (0.06_f64.powi(2) - 0.08_f64.powi(2)) / 2.0;
    let sd = (t * (0.06_f64.powi(2) + 0.08_f64.powi(2))).sqrt();
    let exact = 1.0 - std_normal_cdf((1.35_f64.ln() - mu) / sd);
    assert_close_to_probability(p_hit(&s, "relative"), exact, N, "P(ratio multiple ≥ 1.35)");
}

#[test]
fn uniform_elimination_achievement_gives_linear_probability() {
    // Cumulative elimination = achievement × plan while backward capacity lasts, so
    // P(elimination ≥ 0.9·plan) = P(U(0.8, 1.2) ≥ 0.9) = 0.75.
    let toml = one_cell(
        "0.05",
        "0.02",
        r#"
[params.ach]
dist = "uniform"
min = 0.8
max = 1.2

[[capacity]]
id = "cement"
sector = "s"
output = 10.0
capacity = 12.0
backward = 5.0
plan = 2.5
achievement = "ach"
unit_energy_advanced = 90.0
unit_energy_backward = 120.0

[[targets]]
id = "elim"
name = "elimination"
series = "cement.eliminated"
metric = "cumulative"
comparator = "at_least"
value = 2.25
"#,
    );
    let m = model_from("uniform-elim", &toml);
    let s = run(&m, N, 14, Sampler::MonteCarlo);
    assert_close_to_probability(p_hit(&s, "elim"), 0.75, N, "P(achievement ≥ 0.9)");
}

#[test]
fn bounded_indicator_without_noise_follows_its_logit_path() {
    // Drift d units/yr at start x0 on [0, 100] is d/(100·q(1−q)) logit units per year.
    let toml = one_cell(
        "0.05",
        "0.0",
        r#"
[[indicators]]
id = "cnc"
kind = "bounded"
start = 52.1
lower = 0.0
upper = 100.0
drift = 3.0
volatility = 0.0

[[targets]]
id = "cnc_2015"
name = "CNC rate"
series = "cnc"
metric = "share"
comparator = "at_least"
value = 60.0
"#,
    );
    let m = model_from("bounded", &toml);
    let s = run(&m, 2048, 15, Sampler::MonteCarlo);
    let q: f64 = 0.521;
    let logit = (q / (1.0 - q)).ln() + 5.0 * 3.0 / (100.0 * q * (1.0 - q));
    let exact = 100.0 / (1.0 + (-logit).exp());
    let mean = s.targets[0].mean.unwrap();
    assert!((mean - exact).abs() < 1e-9, "{mean} vs {exact}");
}

#[test]
fn energy_intensity_change_compounds_exactly() {
    // One sector, intensity falling 4%/yr: energy/VA changes by 0.96^5 − 1 whatever growth does.
    let toml = one_cell(
        "0.08",
        "0.03",
        r#"
[[targets]]
id = "ei"
name = "energy intensity"
series = "energy"
per = "va"
metric = "change_pct"
comparator = "at_most"
value = -18.0
"#,
    )
    .replace(
        "energy_intensity = 1.0",
        "energy_intensity = 1.0\nintensity_change = -0.04",
    );
    let m = model_from("intensity", &toml);
    let s = run(&m, 2048, 16, Sampler::MonteCarlo);
    let exact = 100.0 * (0.96_f64.powi(5) - 1.0);
    assert!((s.targets[0].mean.unwrap() - exact).abs() < 1e-9);
    assert_eq!(p_hit(&s, "ei"), 1.0);
}

#[test]
fn gaussian_copula_preserves_normal_correlation() {
    // Two normal growth parameters with copula correlation ρ drive two sectors with no
    // shocks; P(both CAGRs above their means) = 1/4 + asin(ρ)/(2π).
    let rho: f64 = 0.6;
    let toml = format!(
        r#"
[scenario]
id = "t"
name = "copula"
base_year = 2010
horizon = 2011

[params.ga]
dist = "normal"
mean = 0.05
sd = 0.02

[params.gb]
dist = "normal"
mean = 0.10
sd = 0.03

[correlation]
params = ["ga", "gb"]
matrix = [[1.0, {rho}], [{rho}, 1.0]]

[[regions]]
id = "R"
name = "R"

[[sectors]]
id = "a"
name = "A"
va = {{ R = 1.0 }}
growth = "ga"

[[sectors]]
id = "b"
name = "B"
va = {{ R = 1.0 }}
growth = "gb"

[[targets]]
id = "a_up"
name = "a"
series = "va:a"
metric = "cagr"
comparator = "at_least"
value = 5.0

[[targets]]
id = "b_up"
name = "b"
series = "va:b"
metric = "cagr"
comparator = "at_least"
value = 10.0
"#
    );
    let m = model_from("copula", &toml);
    let s = run(&m, N, 17, Sampler::MonteCarlo);
    let exact = 0.25 + rho.asin() / (2.0 * std::f64::consts::PI);
    assert_close_to_probability(
        s.joint.all_modeled.unwrap().p,
        exact,
        N,
        "P(both above mean)",
    );
}

#[test]
fn each_shock_factor_alone_or_together_gives_the_normal_first_year() {
    // One cell, growth 8% and shock sd 5%: the first year's change is 8 + 5·ε percent
    // with ε a unit normal whichever factors carry the shock (the variance shares add
    // to one), so P(change ≥ 10%) = 1 − Φ(0.4). Only the factors with weight are drawn:
    // five years of one normal each, or of four when every factor has a share.
    let cases = [
        ((0.0, 0.0, 0.0), 1),
        ((1.0, 0.0, 0.0), 1),
        ((0.0, 1.0, 0.0), 1),
        ((0.0, 0.0, 1.0), 1),
        ((0.25, 0.25, 0.25), 4),
    ];
    for ((national, region, sector), drawn) in cases {
        let toml = one_cell(
            "0.08",
            "0.05",
            &format!(
                r#"
[shocks]
ar1 = 0.5
national = {national}
region = {region}
sector = {sector}

[[targets]]
id = "first_year"
name = "first year's growth"
series = "va"
metric = "change_pct"
comparator = "at_least"
value = 10.0
from = 2010
horizon = 2011
"#
            ),
        );
        let m = model_from("shock-factors", &toml);
        assert_eq!(
            planrisk::sim::kernel::normals_per_draw(&m),
            5 * drawn,
            "shares {national}, {region}, {sector}: normals drawn per draw"
        );
        let s = run(&m, N, 12, Sampler::MonteCarlo);
        assert_close_to_probability(
            p_hit(&s, "first_year"),
            1.0 - std_normal_cdf(0.4),
            N,
            &format!("shares {national}, {region}, {sector}: P(first year ≥ 10%)"),
        );
    }
}
