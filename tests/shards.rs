//! Shards put back together equal the one-machine run bit for bit: accumulators,
//! convergence record and summary.json bytes, for every sampler, across the
//! boundaries that depend on draw order (the pilot's 4096 draws, the 16 384 rank rows,
//! the 65 536 fan draws and Sobol's 2^16-draw scrambling blocks).

use planrisk::load_model;
use planrisk::model::Model;
use planrisk::report::summarize;
use planrisk::sim::condition::parse_condition;
use planrisk::sim::shard::{merge_parts, run_shard, Shard};
use planrisk::sim::{self, RunConfig, RunOutput, Sampler};
use std::path::Path;
use std::sync::atomic::AtomicBool;

fn config(m: &Model, draws: u64, sampler: Sampler, given: &[&str]) -> RunConfig {
    RunConfig {
        draws,
        seed: 11,
        sampler,
        precision: None,
        conditions: given
            .iter()
            .map(|g| parse_condition(g, m).expect("condition"))
            .collect(),
    }
}

fn merged(m: &Model, cfg: &RunConfig, count: u64) -> RunOutput {
    let never = AtomicBool::new(false);
    let mut layout = None;
    let mut parts = Vec::new();
    for index in 0..count {
        let shard = Shard::new(index, count).unwrap();
        let out = run_shard(m, cfg, shard, &|_| {}, &never).expect("shard runs");
        // Every shard computes the same layout from its own pilot.
        if let Some(l) = &layout {
            assert_eq!(&out.layout, l, "shard {index} has another layout");
        }
        layout = Some(out.layout);
        parts.push(out.part);
    }
    merge_parts(layout.expect("a shard"), parts).expect("parts fold")
}

fn summary_bytes(m: &Model, out: &RunOutput, cfg: &RunConfig) -> Vec<u8> {
    let s = summarize(m, out, cfg.seed, cfg.sampler);
    serde_json::to_vec_pretty(&s).expect("summary serializes")
}

#[test]
fn merged_shards_equal_the_one_machine_run_for_every_sampler() {
    let m = load_model(Path::new("scenarios/national_2011_2015.toml"))
        .expect("national scenario loads")
        .model;
    assert!(!m.fans.is_empty(), "the test needs fan series");
    // 36 chunks: past the fan draws and the first Sobol block (chunk 32), with a short
    // last chunk.
    let draws = 35 * 2048 + 1000;
    for sampler in [Sampler::MonteCarlo, Sampler::LatinHypercube, Sampler::Sobol] {
        let cfg = config(&m, draws, sampler, &["g_steel < 0.1"]);
        let whole =
            sim::run(&m, &cfg, &|_| {}, &AtomicBool::new(false)).expect("valid run configuration");
        // 5 shards cut at chunks 7, 14, 21, 28: inside the rank rows (chunk 8), the fans
        // and the first Sobol block; 36 shards give one chunk each (the pilot's two
        // chunks in two shards), which does not depend on the sampler.
        let counts: &[u64] = if sampler == Sampler::MonteCarlo {
            &[5, 36]
        } else {
            &[5]
        };
        for &count in counts {
            let parts = merged(&m, &cfg, count);
            assert_eq!(
                parts.acc, whole.acc,
                "{sampler}, {count} shards: accumulators"
            );
            assert_eq!(
                parts.convergence, whole.convergence,
                "{sampler}, {count} shards: convergence record"
            );
            assert!(
                summary_bytes(&m, &parts, &cfg) == summary_bytes(&m, &whole, &cfg),
                "{sampler}, {count} shards: summary.json differs"
            );
        }
    }
}

#[test]
fn precision_cannot_be_sharded() {
    let m = load_model(Path::new("tests/fixtures/mini.toml"))
        .unwrap()
        .model;
    let mut cfg = config(&m, 10_000, Sampler::MonteCarlo, &[]);
    cfg.precision = Some(0.01);
    let err = run_shard(
        &m,
        &cfg,
        Shard::new(0, 2).unwrap(),
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert!(err.to_string().contains("precision"), "{err}");
}
