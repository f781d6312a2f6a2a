//! Back-testing: the outcomes file's errors name their line, `planrisk backtest` scores
//! with each target's own comparator and is bit-identical across thread counts, and —
//! the proof that the machinery is right — forecasts back-tested against "true worlds"
//! drawn from the scenario's own model land within sampling error of the diagonal of
//! the reliability diagram, while distorted forecasts do not.

mod common;
use common::temp_dir;
use planrisk::load_model;
use planrisk::model::Model;
use planrisk::report::backtest::score::{reliability_bins, Pair, BINS};
use planrisk::sim::run::simulate_chunk;
use planrisk::sim::{RunConfig, Sampler};
use std::path::Path;
use std::process::{Command, Output};

const NATIONAL: &str = "scenarios/national_2011_2015.toml";

fn planrisk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planrisk"))
        .args(args)
        .output()
        .expect("run planrisk")
}

fn backtest(csv: &str, dir: &Path, extra: &[&str]) -> Output {
    let file = dir.join("outcomes.csv");
    std::fs::write(&file, csv).unwrap();
    let out = dir.join("out");
    let mut args = vec![
        "backtest",
        NATIONAL,
        "--outcomes",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--draws",
        "4000",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    planrisk(&args)
}

#[test]
fn outcome_errors_name_their_line_and_nothing_is_written() {
    let dir = temp_dir("bt-errors");
    let csv = "id,value,source\n\
               industrial_va_growth,9.5,a\n\
               industral_va_growth,9.5,typo\n\
               rd_intensity_key_enterprises,1.2,unmodeled\n\
               software_revenue_growth,72%,percent sign\n\
               industrial_va_growth,9.1,second row\n";
    let out = backtest(csv, &dir, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let file = dir.join("outcomes.csv");
    let f = file.display();
    for (needle, what) in [
        (format!("{f}:3:1"), "unknown id"),
        (
            "did you mean `industrial_va_growth`?".to_string(),
            "suggestion",
        ),
        (format!("{f}:4:1"), "unmodeled target"),
        ("is not modeled".to_string(), "unmodeled message"),
        (format!("{f}:5:25"), "non-numeric value"),
        ("`72%` is not a finite number".to_string(), "number message"),
        (format!("{f}:6:1"), "duplicate id"),
        (
            "already has an outcome on line 2".to_string(),
            "duplicate message",
        ),
    ] {
        assert!(err.contains(&needle), "{what}: `{needle}` not in\n{err}");
    }
    assert!(!dir.join("out").join("backtest.json").exists());
    // A header without `value`, and an empty file.
    let out = backtest("id,realized\nx,1\n", &dir, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown column `realized`") && err.contains("no `value` column"));
    let out = backtest("", &dir, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no rows"));
}

#[test]
fn backtest_scores_with_each_targets_comparator() {
    let dir = temp_dir("bt-scores");
    // at_least 8 (hit at exactly 8), at_most −10 (missed at −9), about −21 ± 2.1 (hit at −19.5).
    let csv = "id,value,source\n\
               industrial_va_growth,8,\"test, with a comma\"\n\
               industrial_cod_emissions,-9,test\n\
               energy_intensity_above_scale,-19.5,test\n";
    let out = backtest(csv, &dir, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out_dir = dir.join("out");
    for f in [
        "backtest.json",
        "backtest.csv",
        "manifest.json",
        "charts/reliability.png",
    ] {
        assert!(out_dir.join(f).is_file(), "{f} missing");
    }
    let bt: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("backtest.json")).unwrap()).unwrap();
    let targets = bt["targets"].as_array().unwrap();
    let hits: Vec<bool> = targets
        .iter()
        .map(|t| t["hit"].as_bool().unwrap())
        .collect();
    assert_eq!(hits, [true, false, true]);
    assert_eq!(targets[0]["source"], "test, with a comma");
    // The model's Brier score is the mean squared distance of P(hit) from what happened.
    let expected: f64 = targets
        .iter()
        .zip(&hits)
        .map(|(t, &h)| (t["p_hit"].as_f64().unwrap() - f64::from(u8::from(h))).powi(2))
        .sum::<f64>()
        / 3.0;
    let scores = bt["scores"].as_array().unwrap();
    assert_eq!(scores[0]["forecast"], "model");
    assert!((scores[0]["brier"]["brier"].as_f64().unwrap() - expected).abs() < 1e-12);
    assert_eq!(scores[2]["forecast"], "plan_always_met");
    assert!((scores[2]["brier"]["brier"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(bt["not_listed"].as_array().unwrap().len(), 48);
    assert!(bt["caution"].is_string());
    let csv_out = std::fs::read_to_string(out_dir.join("backtest.csv")).unwrap();
    assert_eq!(csv_out.lines().count(), 4);
}

#[test]
fn backtest_is_bit_identical_across_thread_counts() {
    let dir = temp_dir("bt-threads");
    let csv = "id,value\nindustrial_va_growth,9.9\nsoftware_revenue_growth,25\n";
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = backtest(csv, &dir, &["--threads", threads, "--no-charts"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push(std::fs::read(dir.join("out").join("backtest.json")).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
}

/// Every modeled target's hit or miss in each of `worlds` draws of the model (seed
/// `seed`): "true worlds" the scenario itself says are possible.
fn true_worlds(m: &Model, worlds: u64, seed: u64) -> Vec<Vec<bool>> {
    let cfg = RunConfig {
        draws: worlds,
        seed,
        sampler: Sampler::MonteCarlo,
        precision: None,
        conditions: vec![],
    };
    let mut out = Vec::new();
    for c in 0..worlds.div_ceil(planrisk::sim::run::CHUNK) {
        simulate_chunk(m, &cfg, c, |d, _| {
            out.push(
                m.modeled_targets()
                    .map(|(i, t)| t.goal.hit(d.outcomes[i]))
                    .collect(),
            );
        });
    }
    out
}

/// For each forecast bin: |observed frequency − mean forecast| and the tolerance,
/// 4 standard errors. Worlds are independent but targets within a world are not, so
/// the sampling error of a bin's observed frequency is estimated from the spread
/// across worlds of the number of the bin's targets hit (which carries the
/// correlation); the forecasts' own Monte Carlo error (n draws; 0 and 1 treated as
/// 1/n from the edge) adds in quadrature, taken as perfectly correlated across targets
/// (the mean of their standard errors), which only widens the tolerance.
fn bin_gaps(p: &[f64], worlds: &[Vec<bool>], forecast_draws: u64) -> Vec<(usize, f64, f64)> {
    let pairs: Vec<Pair> = worlds
        .iter()
        .flat_map(|w| w.iter().zip(p).map(|(&hit, &p)| Pair { p, hit }))
        .collect();
    let bins = reliability_bins(&pairs);
    let bin_of = |p: f64| ((p * BINS as f64) as usize).min(BINS - 1);
    let n_w = worlds.len() as f64;
    let mut out = Vec::new();
    for (k, b) in bins.iter().enumerate() {
        let (Some(f), Some(o)) = (b.mean_forecast, b.observed_frequency) else {
            continue;
        };
        let members: Vec<usize> = (0..p.len()).filter(|&j| bin_of(p[j]) == k).collect();
        let m = members.len() as f64;
        let h: Vec<f64> = worlds
            .iter()
            .map(|w| members.iter().filter(|&&j| w[j]).count() as f64)
            .collect();
        let mean = h.iter().sum::<f64>() / n_w;
        let var = h.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n_w - 1.0);
        let se_worlds = var.sqrt() / (m * n_w.sqrt());
        let edge = 1.0 / forecast_draws as f64;
        let se_forecast = members
            .iter()
            .map(|&j| {
                let q = p[j].clamp(edge, 1.0 - edge);
                (q * (1.0 - q) / forecast_draws as f64).sqrt()
            })
            .sum::<f64>()
            / m;
        let tol = 4.0 * (se_worlds.powi(2) + se_forecast.powi(2)).sqrt();
        out.push((k, (o - f).abs(), tol));
    }
    out
}

#[test]
fn forecasts_are_calibrated_against_worlds_drawn_from_their_own_model() {
    let m = load_model(Path::new(NATIONAL))
        .expect("national loads")
        .model;
    let draws = 20_000;
    let summary = common::run(&m, draws, 11, Sampler::MonteCarlo);
    let p: Vec<f64> = m
        .modeled_targets()
        .map(|(_, t)| common::p_hit(&summary, &t.id))
        .collect();
    let worlds = true_worlds(&m, 1000, 12);
    assert_eq!(worlds.len(), 1000);
    let gaps = bin_gaps(&p, &worlds, draws);
    assert!(
        gaps.len() >= 5,
        "forecasts should spread over the bins: {gaps:?}"
    );
    for &(k, gap, tol) in &gaps {
        println!("bin {k}: |observed − forecast| = {gap:.4}, tolerance {tol:.4}");
        assert!(gap <= tol, "bin {k} is off the diagonal: {gap} > {tol}");
    }
    // The same check catches overconfident forecasts (pushed 60% further from ½).
    let overconfident: Vec<f64> = p
        .iter()
        .map(|q| (0.5 + 1.6 * (q - 0.5)).clamp(0.0, 1.0))
        .collect();
    let gaps = bin_gaps(&overconfident, &worlds, draws);
    assert!(
        gaps.iter().any(|&(_, gap, tol)| gap > tol),
        "distorted forecasts should fail: {gaps:?}"
    );
}

/// The bundled outcomes file: every row scores (the back-test runs on it), and each
/// source quotes its document verbatim in 「…」 and says the value is an estimate, so
/// nobody mistakes MIC2025's May-2015 figure for a realized outcome.
#[test]
fn the_bundled_outcomes_file_scores_and_quotes_its_source() {
    let file = "scenarios/outcomes/national_2011_2015_mic2025.csv";
    let dir = temp_dir("bt-bundled");
    let out = dir.join("out");
    let o = planrisk(&[
        "backtest",
        NATIONAL,
        "--outcomes",
        file,
        "--out",
        out.to_str().unwrap(),
        "--draws",
        "4000",
        "--quiet",
        "--no-charts",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mic2025 = std::fs::read_to_string("docs/sources/003_made_in_china_2025.txt").unwrap();
    let text = std::fs::read_to_string(file).unwrap();
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert!(!rows.is_empty());
    for row in rows {
        assert!(row.contains("estimate printed in May 2015"), "{row}");
        let quotes: Vec<&str> = row
            .split('「')
            .skip(1)
            .filter_map(|q| q.split('」').next())
            .collect();
        assert!(!quotes.is_empty(), "no 「quote」 in {row}");
        for q in quotes {
            assert!(mic2025.contains(q), "「{q}」 is not in docs/sources/003");
        }
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("backtest.json")).unwrap()).unwrap();
    assert_eq!(
        json["targets"].as_array().map(Vec::len),
        Some(text.lines().count() - 1)
    );
}
