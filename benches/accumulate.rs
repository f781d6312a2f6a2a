//! `Accumulator::add` on its own, national scenario: a pilot-sized run fixes the
//! layout, then one accumulator takes draws repeatedly.
//! - `one_workspace`: the same workspace every time (as a micro-benchmark: the same
//!   branches and histogram bins each call);
//! - `cycled`: 256 different draws in turn (realistic bins and branches);
//! - `/fans`: draw indices below `FAN_DRAWS`, so the fan histograms are filled too
//!   (the first 65 536 draws of a run), otherwise above it (every later draw).

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use planrisk::sim::accum::Accumulator;
use planrisk::sim::kernel::{draw, Workspace};
use planrisk::sim::normals::NormalStream;
use planrisk::sim::run::{FAN_DRAWS, RANK_ROWS};
use planrisk::sim::{self, RunConfig, Sampler};
use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

const CYCLE: usize = 256;

fn accumulate(c: &mut Criterion) {
    let m = common::national();
    let cfg = RunConfig {
        draws: 4096,
        seed: 1,
        sampler: Sampler::MonteCarlo,
        precision: None,
        conditions: vec![],
    };
    let layout = sim::run(&m, &cfg, &|_| {}, &AtomicBool::new(false))
        .expect("valid run configuration")
        .layout;
    let mut rng = NormalStream::new(1, 0);
    let mut ws = Workspace::new(&m);
    let x = ws.inputs(CYCLE, common::uniforms(&m, CYCLE));
    let workspaces: Vec<Workspace> = (0..CYCLE)
        .map(|i| {
            draw(&m, &mut ws, x.draw(i), &mut rng);
            ws.clone()
        })
        .collect();
    let mut g = c.benchmark_group("accumulate");
    g.throughput(Throughput::Elements(1));
    // Past the kept rank rows, so the accumulator's size stays fixed.
    for (label, index) in [("", FAN_DRAWS), ("/fans", RANK_ROWS)] {
        let mut acc = Accumulator::new(&layout);
        g.bench_function(format!("one_workspace{label}"), |b| {
            b.iter(|| acc.add(&layout, &black_box(&workspaces[0]).drawn(), index))
        });
        let mut acc = Accumulator::new(&layout);
        let mut i = 0;
        g.bench_function(format!("cycled{label}"), |b| {
            b.iter(|| {
                acc.add(&layout, &black_box(&workspaces[i]).drawn(), index);
                i = (i + 1) % CYCLE;
            })
        });
        acc.flush();
        black_box(&acc);
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = accumulate
}
criterion_main!(benches);
