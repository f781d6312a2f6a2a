//! Cost growth with model size: one draw (`kernel::draw`, all years and series) of
//! synthetic scenarios of 1×5, 4×11 and 31×20 regions × sectors over 5 years, and of
//! 4×11 over 5, 10 and 20 years. Everything else (6 parameters, one capacity process,
//! one derived series, two indicators, 8 targets) is fixed, so the per-draw time is
//! `fixed + cells × years × cost per cell-year`. Throughput is in draws (draws/s).

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use planrisk::sim::kernel::{draw, Workspace};
use planrisk::sim::normals::NormalStream;
use std::hint::black_box;
use std::time::Duration;

const N: usize = 2048;

fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scaling");
    g.throughput(Throughput::Elements(1));
    for (r, s, y) in [(1, 5, 5), (4, 11, 5), (31, 20, 5), (4, 11, 10), (4, 11, 20)] {
        let name = format!("{r}x{s}x{y}y");
        let m = common::from_toml(&name, &common::synthetic(r, s, y));
        eprintln!("{}", common::describe(&name, &m));
        let mut ws = Workspace::new(&m);
        let x = ws.inputs(N, common::uniforms(&m, N));
        let mut rng = NormalStream::new(1, 0);
        let mut i = 0;
        g.bench_function(&name, |b| {
            b.iter(|| {
                draw(&m, &mut ws, x.draw(i), &mut rng);
                i = (i + 1) % N;
                black_box(&ws.outcomes);
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = scaling
}
criterion_main!(benches);
