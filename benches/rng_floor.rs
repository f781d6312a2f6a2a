//! The physical floor of one national draw: generating exactly the random numbers a
//! draw consumes — `model.uncertain.len()` uniforms (`open01`) and
//! `normals_per_draw(&model)` standard normals (`normal`), from one Xoshiro256++
//! stream — into buffers, and nothing else. `draw_kernel` is read as a multiple of it.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use planrisk::sim::kernel::normals_per_draw;
use planrisk::sim::rng::{normal, open01, stream, Purpose};
use std::hint::black_box;
use std::time::Duration;

fn rng_floor(c: &mut Criterion) {
    let m = common::national();
    eprintln!("{}", common::describe("national_2011_2015", &m));
    let (k, n) = (m.uncertain.len(), normals_per_draw(&m));
    let mut uniforms = vec![0.0; k];
    let mut normals = vec![0.0; n];
    let mut g = c.benchmark_group("rng_floor");
    g.throughput(Throughput::Elements(1));
    let mut rng = stream(1, Purpose::Shocks, 0);
    // The generator is copied into the loop (as the kernel does), so its state stays
    // in registers: the cheapest way to produce these numbers.
    g.bench_function("national_2011_2015", |b| {
        b.iter(|| {
            common::random_numbers(&mut rng, &mut uniforms, &mut normals);
            black_box((&uniforms, &normals));
        })
    });
    g.bench_function("national_2011_2015/uniforms_only", |b| {
        b.iter(|| {
            let mut r = rng.clone();
            for u in uniforms.iter_mut() {
                *u = open01(&mut r);
            }
            rng = r;
            black_box(&uniforms);
        })
    });
    g.bench_function("national_2011_2015/normals_only", |b| {
        b.iter(|| {
            let mut r = rng.clone();
            for z in normals.iter_mut() {
                *z = normal(&mut r);
            }
            rng = r;
            black_box(&normals);
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = rng_floor
}
criterion_main!(benches);
