//! Pins the exact results of a short seeded run of the national scenario, so engine
//! optimisations (kernel, accumulator, driver) can be shown to change no bit of any
//! number. The pins are f64 bit patterns, not tolerances.
//!
//! They depend on the scenario file too: if `scenarios/national_2011_2015.toml` is
//! edited on purpose, re-pin (run with `-- --nocapture` to print the new values) and
//! say so in the commit.

mod common;

use planrisk::ix::SlotIx;
use planrisk::model::Model;
use planrisk::sim::accum::Accumulator;
use planrisk::sim::kernel::{draw, draw_outcomes, Workspace};
use planrisk::sim::normals::NormalStream;
use planrisk::sim::rng::{open01, stream, Purpose};
use planrisk::sim::{RunOutput, Sampler};
use planrisk::{load_model, load_model_with, View};
use std::path::Path;

const NATIONAL: &str = "scenarios/national_2011_2015.toml";

fn run(m: &Model, draws: u64, seed: u64, sampler: Sampler, threads: usize) -> RunOutput {
    common::run_on_threads(m, draws, seed, sampler, threads)
}

/// FNV-1a over every accumulated number (f64s by bit pattern), in a fixed order.
fn digest(a: &Accumulator) -> u64 {
    let a = a.totals();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |x: u64| {
        for b in x.to_le_bytes() {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(a.draws);
    a.hits.iter().for_each(|&x| eat(x));
    for m in a.outcome.iter().chain(&a.baseline) {
        eat(m.n);
        eat(m.mean.to_bits());
        eat(m.m2.to_bits());
    }
    for h in a.hist.iter().chain(&a.fans) {
        eat(h.lo.to_bits());
        eat(h.hi.to_bits());
        h.counts.iter().for_each(|&x| eat(x));
        eat(h.under);
        eat(h.over);
        eat(h.invalid);
        eat(h.min.to_bits());
        eat(h.max.to_bits());
    }
    a.shortfall.iter().for_each(|x| eat(x.to_bits()));
    eat(a.all_binding);
    eat(a.all_modeled);
    a.k_missed.iter().for_each(|&x| eat(x));
    a.pair_miss.iter().for_each(|&x| eat(x));
    a.bin_count.iter().for_each(|&x| eat(x));
    a.bin_sum.iter().for_each(|x| eat(x.to_bits()));
    a.cond_count.iter().for_each(|&x| eat(x));
    a.cond_hits.iter().for_each(|&x| eat(x));
    a.rows.iter().for_each(|x| eat(x.to_bits()));
    h
}

fn slot(m: &Model, out: &RunOutput, id: &str) -> SlotIx {
    let t = m.targets.position(|t| t.id == id).expect("target id");
    out.layout.slot_of(t).expect("modeled target")
}

/// (target id, hits, outcome mean bits) at 8192 draws, seed 1, plain Monte Carlo.
/// Re-pinned on purpose when the kernel stopped round-tripping correlated normal
/// parameters through Φ and Φ⁻¹, took capacity ratios by reciprocal and switched
/// indicator paths to its own vectorised, table-driven `exp`: hits unchanged, means
/// moved in the 13th significant digit.
/// `energy_intensity_above_scale` (−21% 左右) added when 左右 targets began to be read
/// one-sided, as plan reviews score them: a larger fall now counts as met.
/// Re-pinned on purpose when the shock normals began to come from `sim::normals`
/// (eight generator lanes, the ziggurat's fast path over blocks): other normals, so
/// hits and means moved within Monte Carlo error (P(hit) by at most 0.004, SE 0.0055).
/// Re-pinned on purpose (issue 17) when the shock stream became one buffered sequence
/// (a draw takes the stream's next normals instead of starting a block of its own) and
/// factors with zero weight stopped being drawn: other normals again, P(hit) moved by
/// at most 0.0042 (R&D, 0.8 SE). Re-pinned on purpose when CAGR outcomes became
/// e^(ln(h/b)·(1/n)) instead of libm's `pow`: no hit changed, the two CAGR means moved
/// in the 16th significant digit.
const PINNED: [(&str, u64, u64); 4] = [
    ("industrial_va_growth", 7803, 0x4026_308b_36c2_57ef), // p_hit 0.9525146484375, mean 11.094812117789813
    ("labour_productivity_growth", 6331, 0x4027_5c82_7438_5987), // p_hit 0.7728271484375, mean 11.68068278491843
    ("rd_intensity_above_scale", 3936, 0x3fef_eca8_95d8_fc3d), // p_hit 0.48046875, mean 0.9976389815054812
    ("energy_intensity_above_scale", 8177, 0xc03a_cdde_5eee_da01), // p_hit 0.9981689453125, mean -26.80417435962045
];
/// Digest of the whole accumulator of that run. Re-pinned on purpose when chunks began
/// to be merged in a pairwise tree over chunk indices (so shards merge exactly), when
/// 左右 (`about`) targets began to be read one-sided, and (issue 14) when the national
/// scenario's trend priors were centred on the 2006–2010 record (the outside view; the
/// earlier priors became `inside_view`, checked below): every pin but R&D moved, as
/// intended; and again when it gained policy responses (their parameters take sampler
/// dimensions, so every draw's uniforms move too); and with `PINNED` when the shock
/// stream was buffered, and again when CAGRs stopped calling `pow`.
const PINNED_DIGEST: u64 = 0xf7a0_48b7_0e37_c19e;

/// Digest of the same run with the national scenario's observations (solid-waste
/// utilisation 2013, added with `[[observed]]`): only what the observation pins may
/// differ from `PINNED_DIGEST`. Re-pinned on purpose with `PINNED_DIGEST`.
const PINNED_DIGEST_OBSERVED: u64 = 0xef7a_7672_4b46_ec7d;

/// Hits in the same 8192 draws before the outside view became the default: the
/// inside view (`--inside-view`) without the policy responses keeps those priors, so it
/// must give these P(hit) again — within Monte Carlo error, not bit for bit, because the
/// responses' parameters take sampler dimensions and so change which uniforms each
/// draw gets.
const BEFORE_THE_OUTSIDE_VIEW: [(&str, u64); 4] = [
    ("industrial_va_growth", 6312),
    ("labour_productivity_growth", 4151),
    ("rd_intensity_above_scale", 3909),
    ("energy_intensity_above_scale", 7180),
];

#[test]
fn national_run_is_bit_identical_to_the_pins() {
    let loaded = load_model(Path::new(NATIONAL)).expect("national scenario loads");
    // As of the base year no observation is used: the engine must reproduce the pins
    // taken before observations existed, bit for bit.
    let m = &loaded.model.as_of(loaded.model.base_year);
    let out = run(m, 8192, 1, Sampler::MonteCarlo, 1);
    let a = out.acc.totals();
    let got: Vec<(&str, u64, u64)> = PINNED
        .iter()
        .map(|&(id, _, _)| {
            let j = slot(m, &out, id);
            (id, a.hits[j], a.outcome[j].mean.to_bits())
        })
        .collect();
    let d = digest(&out.acc);
    println!("scenario sha256 {}", loaded.hash);
    for (id, hits, mean) in &got {
        println!(
            "(\"{id}\", {hits}, 0x{mean:016x}), // p_hit {} mean {}",
            *hits as f64 / a.draws as f64,
            f64::from_bits(*mean)
        );
    }
    println!("digest 0x{d:016x}");
    assert_eq!(a.draws, 8192);
    assert_eq!(
        got,
        PINNED.to_vec(),
        "p_hit / mean changed (scenario sha256 {})",
        loaded.hash
    );
    assert_eq!(
        d, PINNED_DIGEST,
        "accumulator digest changed (scenario sha256 {})",
        loaded.hash
    );
    let observed = digest(&run(&loaded.model, 8192, 1, Sampler::MonteCarlo, 1).acc);
    println!("digest with observations 0x{observed:016x}");
    assert_eq!(
        observed, PINNED_DIGEST_OBSERVED,
        "accumulator digest with observations changed (scenario sha256 {})",
        loaded.hash
    );
}

#[test]
fn the_inside_view_without_responses_gives_the_earlier_p_hit() {
    let loaded =
        load_model_with(Path::new(NATIONAL), View::Inside).expect("national scenario loads");
    let mut m = loaded.model.as_of(loaded.model.base_year);
    m.responses.clear();
    let n = 8192;
    let out = run(&m, n, 1, Sampler::MonteCarlo, 1);
    let a = out.acc.totals();
    for (id, before) in BEFORE_THE_OUTSIDE_VIEW {
        let p0 = before as f64 / n as f64;
        let p = a.hits[slot(&m, &out, id)] as f64 / n as f64;
        // Two independent estimates of one probability: SE of the difference.
        let se = (2.0 * p0 * (1.0 - p0) / n as f64).sqrt();
        assert!(
            (p - p0).abs() <= 4.0 * se,
            "{id}: inside view {p} vs {p0} before the outside view (4·SE = {})",
            4.0 * se
        );
    }
}

#[test]
fn samplers_and_thread_counts_agree_bit_for_bit() {
    let m = load_model(Path::new(NATIONAL))
        .expect("national scenario loads")
        .model;
    for sampler in [Sampler::MonteCarlo, Sampler::LatinHypercube, Sampler::Sobol] {
        // Uneven draw count: a short last chunk and more than one batch.
        let draws = 3 * 2048 + 77;
        let one = run(&m, draws, 9, sampler, 1);
        let two = run(&m, draws, 9, sampler, 2);
        assert_eq!(
            digest(&one.acc),
            digest(&two.acc),
            "{sampler}: 1 vs 2 threads"
        );
        assert_eq!(one.convergence, two.convergence, "{sampler}: convergence");
        assert_eq!(one.layout, two.layout, "{sampler}: layout");
    }
}

/// `draw_outcomes` (what the engine runs for draws that feed no fan chart) skips work
/// — series outside the targets' years, stages no target reads (the small examples
/// have no energy target) — but must give exactly what `draw` gives.
#[test]
fn outcome_only_draws_equal_full_draws() {
    for path in [
        NATIONAL,
        "scenarios/china_provinces_2011_2015.toml",
        "scenarios/examples/small_simple.toml",
        "scenarios/examples/small_correlated.toml",
    ] {
        let m = load_model(Path::new(path)).expect("scenario loads").model;
        let (mut full, mut lean) = (Workspace::new(&m), Workspace::new(&m));
        let mut params = stream(3, Purpose::Parameters, 0);
        let (mut shocks1, mut shocks2) = (NormalStream::new(3, 0), NormalStream::new(3, 0));
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for _ in 0..500 {
            let u: Vec<f64> = m.uncertain.iter().map(|_| open01(&mut params)).collect();
            let x = full.inputs(1, u);
            draw(&m, &mut full, x.draw(0), &mut shocks1);
            draw_outcomes(&m, &mut lean, x.draw(0), &mut shocks2);
            assert_eq!(
                bits(full.outcomes.as_raw()),
                bits(lean.outcomes.as_raw()),
                "{path}: outcomes"
            );
            assert_eq!(
                bits(full.baselines.as_raw()),
                bits(lean.baselines.as_raw()),
                "{path}: baselines"
            );
            assert_eq!(full.bins, lean.bins, "{path}: sensitivity bins");
        }
    }
}
