//! The physical floor of one national draw: generating exactly the random numbers a
//! draw consumes — `model.uncertain.len()` uniforms (`open01`) and
//! `normals_per_draw(&model)` standard normals — into buffers, and nothing else, as the
//! engine produces them (`common::Floor`). `draw_kernel` is read as a multiple of it.
//!
//! The normals two ways, in the same run (issue 17): `normals_scalar`, one at a time
//! from one xoshiro256++ stream through rand_distr's scalar ziggurat (the engine before
//! `sim::normals`), and `normals_block`, the engine's `NormalStream` (eight generator
//! lanes, the ziggurat's fast path over blocks). Timed in process CPU time
//! (`common::cpu_time`): the machine is shared.

mod common;

use common::cpu_time::ProcessCpuTime;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use planrisk::sim::kernel::normals_per_draw;
use planrisk::sim::normals::NormalStream;
use planrisk::sim::rng::{stream, Purpose};
use rand_distr::{Distribution, StandardNormal};
use std::hint::black_box;
use std::time::Duration;

fn rng_floor(c: &mut Criterion<ProcessCpuTime>) {
    let m = common::national();
    eprintln!("{}", common::describe("national_2011_2015", &m));
    let n = normals_per_draw(&m);
    let mut normals = vec![0.0; n];
    let mut g = c.benchmark_group("rng_floor");
    g.throughput(Throughput::Elements(1));
    let mut floor = common::Floor::new(&m);
    g.bench_function("national_2011_2015", |b| b.iter(|| floor.step()));
    // Per normal from here on.
    g.throughput(Throughput::Elements(n as u64));
    let mut rng = stream(1, Purpose::Shocks, 0);
    g.bench_function("national_2011_2015/normals_scalar", |b| {
        b.iter(|| {
            // A local copy keeps the generator's state in registers, as the kernel did.
            let mut r = rng.clone();
            for z in normals.iter_mut() {
                *z = StandardNormal.sample(&mut r);
            }
            rng = r;
            black_box(&normals);
        })
    });
    let mut shocks = NormalStream::new(1, 0);
    g.bench_function("national_2011_2015/normals_block", |b| {
        b.iter(|| {
            shocks.fill(&mut normals);
            black_box(&normals);
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ProcessCpuTime).sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = rng_floor
}
criterion_main!(benches);
