//! The whole engine, `planrisk::sim::run` (pilot, chunks, kernel, accumulators, merges),
//! on the national scenario at 10^4 and 10^5 draws, on rayon pools of 1 and 2 threads.
//! Throughput is in draws, so criterion reports draws/s; 2 threads ÷ 1 thread is the
//! parallel speed-up. (Loading the scenario and writing the report are not included.)

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use planrisk::sim::{self, RunConfig, Sampler};
use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

fn run(c: &mut Criterion) {
    let m = common::national();
    let mut g = c.benchmark_group("run");
    for draws in [10_000u64, 100_000] {
        g.throughput(Throughput::Elements(draws));
        for threads in [1usize, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("rayon pool");
            let cfg = RunConfig {
                draws,
                seed: 1,
                sampler: Sampler::MonteCarlo,
                precision: None,
                conditions: vec![],
            };
            let cancel = AtomicBool::new(false);
            g.bench_with_input(
                BenchmarkId::new(format!("national_2011_2015/{threads}_threads"), draws),
                &draws,
                |b, _| {
                    b.iter(|| {
                        black_box(
                            pool.install(|| sim::run(&m, &cfg, &|_| {}, &cancel))
                                .expect("valid run configuration")
                                .acc
                                .draws(),
                        )
                    })
                },
            );
        }
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(8));
    targets = run
}
criterion_main!(benches);
