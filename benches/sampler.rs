//! Filling one chunk (2048 draws × the national scenario's uncertain parameters) with
//! parameter uniforms: plain Monte Carlo, Latin hypercube and Owen-scrambled Sobol.
//! Throughput is in draws.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use planrisk::sim::run::CHUNK;
use planrisk::sim::Sampler;
use std::hint::black_box;
use std::time::Duration;

fn sampler(c: &mut Criterion) {
    let m = common::national();
    let (n, k) = (CHUNK as usize, m.uncertain.len());
    let mut out = vec![0.0; n * k];
    let mut g = c.benchmark_group("sampler");
    g.throughput(Throughput::Elements(n as u64));
    for s in [Sampler::MonteCarlo, Sampler::LatinHypercube, Sampler::Sobol] {
        let mut chunk = 0u64;
        g.bench_function(format!("{s}/national_2011_2015"), |b| {
            b.iter(|| {
                s.fill(1, chunk, chunk * CHUNK, n, k, &mut out);
                chunk += 1;
                black_box(&out);
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = sampler
}
criterion_main!(benches);
