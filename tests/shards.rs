//! Shards put back together (in memory) equal the one-machine run bit for bit:
//! accumulators, convergence record and summary.json bytes, across the boundaries
//! that depend on draw order (the pilot's 4096 draws, the 16 384 rank rows, the
//! 65 536 fan draws and Sobol's 2^16-draw scrambling blocks).

use planrisk::load_model;
use planrisk::model::Model;
use planrisk::report::summarize;
use planrisk::sim::accum::Accumulator;
use planrisk::sim::condition::parse_condition;
use planrisk::sim::fold::Combiner;
use planrisk::sim::shard::{check_part, finish, run_shard, Shard};
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
    let layout = sim::run::layout(m, cfg);
    let mut combiner = Combiner::new();
    for index in 0..count {
        let shard = Shard::new(index, count).unwrap();
        let out = run_shard(m, cfg, shard, &|_| {}, &never).expect("shard runs");
        // Every shard computes the same layout from its own pilot.
        assert_eq!(out.layout, layout, "shard {index} has another layout");
        let part = check_part(out.part, &layout, shard, cfg.draws).expect("a sound part");
        combiner.add(part).expect("parts fold");
    }
    finish(layout, combiner)
}

fn summary_bytes(m: &Model, out: &RunOutput, cfg: &RunConfig) -> Vec<u8> {
    let s = summarize(m, out, cfg.seed, cfg.sampler);
    serde_json::to_vec_pretty(&s).expect("summary serializes")
}

#[test]
fn merged_shards_equal_the_one_machine_run() {
    let m = load_model(Path::new("scenarios/national_2011_2015.toml"))
        .expect("national scenario loads")
        .model;
    assert!(!m.fans.is_empty(), "the test needs fan series");
    // 36 chunks: past the fan draws and the first Sobol block (chunk 32), with a short
    // last chunk. Sobol, whose scrambling changes at the block; the samplers differ
    // only in their uniforms, and all three go through files in tests/cli_shards.rs.
    let draws = 35 * 2048 + 1000;
    let cfg = config(&m, draws, Sampler::Sobol, &["g_steel < 0.1"]);
    let whole =
        sim::run(&m, &cfg, &|_| {}, &AtomicBool::new(false)).expect("valid run configuration");
    // 5 shards cut at chunks 7, 14, 21, 28: inside the rank rows (chunk 8), the fans and
    // the first Sobol block; 36 shards give one chunk each (the pilot's two chunks in
    // two shards).
    for count in [5, 36] {
        let parts = merged(&m, &cfg, count);
        // Compared as serialized: every accumulated number, bit for bit (the buffers
        // of pending draws, empty after a flush, are not part of it).
        let bytes = |a: &Accumulator| postcard::to_stdvec(a).expect("serializes");
        assert!(
            bytes(&parts.acc) == bytes(&whole.acc),
            "{count} shards: accumulators differ"
        );
        assert_eq!(
            parts.convergence, whole.convergence,
            "{count} shards: convergence record"
        );
        assert!(
            summary_bytes(&m, &parts, &cfg) == summary_bytes(&m, &whole, &cfg),
            "{count} shards: summary.json differs"
        );
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
