//! Helpers shared by integration tests: scenarios from inline TOML, runs in memory.
#![allow(dead_code)]

use planrisk::load_model;
use planrisk::model::Model;
use planrisk::report::{summarize, Summary};
use planrisk::sim::{self, RunConfig, Sampler};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A fresh directory under the system temp dir, unique per call (tests run in parallel).
pub fn temp_dir(tag: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("planrisk-test-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Runs the planrisk binary; panics with its stderr unless it succeeds; its stdout.
pub fn planrisk_ok(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_planrisk"))
        .args(args)
        .output()
        .expect("run planrisk");
    assert!(
        out.status.success(),
        "planrisk {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Loads a scenario from TOML text (written to a temp file).
pub fn model_from(tag: &str, toml: &str) -> Model {
    let dir = temp_dir(tag);
    let p = dir.join("s.toml");
    std::fs::write(&p, toml).expect("write scenario");
    match load_model(&p) {
        Ok(l) => l.model,
        Err(e) => panic!("scenario does not load:\n{e}"),
    }
}

/// A plain run: no precision target, no conditions.
fn config(draws: u64, seed: u64, sampler: Sampler) -> RunConfig {
    RunConfig {
        draws,
        seed,
        sampler,
        precision: None,
        conditions: vec![],
    }
}

/// Runs a model in memory.
pub fn run(m: &Model, draws: u64, seed: u64, sampler: Sampler) -> Summary {
    let cfg = config(draws, seed, sampler);
    let out = sim::run(m, &cfg, &|_| {}, &AtomicBool::new(false)).expect("valid run configuration");
    summarize(m, &out, seed, sampler)
}

/// Runs a model in memory on a pool of `threads` threads; the raw output.
pub fn run_on_threads(
    m: &Model,
    draws: u64,
    seed: u64,
    sampler: Sampler,
    threads: usize,
) -> sim::RunOutput {
    let cfg = config(draws, seed, sampler);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    pool.install(|| sim::run(m, &cfg, &|_| {}, &AtomicBool::new(false)))
        .expect("a valid run configuration")
}

pub fn p_hit(s: &Summary, id: &str) -> f64 {
    s.targets
        .iter()
        .find(|t| t.id == id)
        .and_then(|t| t.p_hit)
        .expect("modeled target")
}

/// Asserts |p̂ − p| ≤ 4 standard errors of a binomial proportion at n draws
/// (a false alarm about once in 16 000 runs; seeds are fixed, so it is stable).
pub fn assert_close_to_probability(estimate: f64, exact: f64, n: u64, what: &str) {
    let se = (exact * (1.0 - exact) / n as f64).sqrt();
    assert!(
        (estimate - exact).abs() <= 4.0 * se,
        "{what}: estimate {estimate} vs exact {exact} (4·SE = {})",
        4.0 * se
    );
}

/// Scenario header with one region and one sector; growth and volatility given.
pub fn one_cell(growth: &str, volatility: &str, extra: &str) -> String {
    format!(
        r#"
[scenario]
id = "t"
name = "test"
base_year = 2010
horizon = 2015

[[regions]]
id = "R"
name = "Region"

[[sectors]]
id = "s"
name = "Sector"
va = {{ R = 100.0 }}
growth = {growth}
volatility = {volatility}
energy_intensity = 1.0

{extra}
"#
    )
}

/// Every draw's value of each series in `keys`, per year: `[draw][key][year]`.
pub fn paths(m: &Model, keys: &[&str], draws: u64) -> Vec<Vec<Vec<f64>>> {
    let cfg = planrisk::sim::RunConfig {
        draws,
        seed: 5,
        sampler: Sampler::MonteCarlo,
        precision: None,
        conditions: vec![],
    };
    let idx: Vec<_> = keys
        .iter()
        .map(|k| {
            m.series
                .iter_enumerated()
                .find(|(_, s)| s.key == *k)
                .unwrap_or_else(|| panic!("series {k}"))
                .0
        })
        .collect();
    let mut out = Vec::new();
    planrisk::sim::run::simulate_chunk(m, &cfg, 0, |d, _| {
        out.push(idx.iter().map(|&k| d.series(k).to_vec()).collect());
    });
    out
}

/// A one-machine summary.json as a merge of its shards writes it: without the barometer
/// and the observations' prior percentiles, which need the runs as of earlier years
/// that no shard makes. Text surgery, not a parse and rewrite, so every other byte is
/// compared as written.
pub fn without_barometer(summary_json: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(summary_json.to_vec()).expect("summary.json is UTF-8");
    let text = match text.find(",\n  \"barometer\": {") {
        Some(start) => {
            let end = text[start..]
                .find("\n  }")
                .map(|e| start + e + "\n  }".len())
                .expect("the barometer object closes");
            format!("{}{}", &text[..start], &text[end..])
        }
        None => text,
    };
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        match line.find("\"prior_percentile\": ") {
            Some(at) => {
                out.push_str(&line[..at]);
                out.push_str("\"prior_percentile\": null");
                if line.trim_end().ends_with(',') {
                    out.push(',');
                }
                if line.ends_with('\n') {
                    out.push('\n');
                }
            }
            None => out.push_str(line),
        }
    }
    out.into_bytes()
}
