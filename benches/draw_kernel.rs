//! One draw of the kernel (`kernel::draw`: parameters, every year, region and sector,
//! capacity, energy, derived series, indicators, every series in every year, targets),
//! single-threaded, for the national scenario and the national + provincial one.
//! `/outcomes` is `kernel::draw_outcomes`, what the engine runs for draws that feed no
//! fan chart (series only at the years targets read); `/outcomes_without_responses`
//! the same with the scenario's policy responses removed (each response that fires
//! simulates the paths again). `/floor` is only the draw's
//! random numbers (`common::Floor`, as `rng_floor` measures them), in the same group so
//! that the kernel's multiple of its floor is read off one run. The parameters' normal
//! scores are computed per chunk before the draws (`Workspace::inputs`), so neither the
//! kernel nor the floor counts them; `run` and `cost_curve`'s engine benches do.
//! Timed in process CPU time (`common::cpu_time`): the machine is shared.

mod common;

use common::cpu_time::ProcessCpuTime;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use planrisk::sim::kernel::{draw, draw_outcomes, Workspace};
use planrisk::sim::normals::NormalStream;
use std::hint::black_box;
use std::time::Duration;

/// Draws of parameter uniforms cycled through (one chunk).
const N: usize = 2048;

fn draw_kernel(c: &mut Criterion<ProcessCpuTime>) {
    let mut g = c.benchmark_group("draw_kernel");
    g.throughput(Throughput::Elements(1));
    for name in ["national_2011_2015", "china_provinces_2011_2015"] {
        let m = common::scenario(name);
        eprintln!("{}", common::describe(name, &m));
        let mut ws = Workspace::new(&m);
        let x = ws.inputs(N, common::uniforms(&m, N));
        let mut rng = NormalStream::new(1, 0);
        let mut i = 0;
        let mut floor = common::Floor::new(&m);
        g.bench_function(format!("{name}/floor"), |b| b.iter(|| floor.step()));
        g.bench_function(name, |b| {
            b.iter(|| {
                draw(&m, &mut ws, x.draw(i), &mut rng);
                i = (i + 1) % N;
                black_box(&ws.outcomes);
            })
        });
        g.bench_function(format!("{name}/outcomes"), |b| {
            b.iter(|| {
                draw_outcomes(&m, &mut ws, x.draw(i), &mut rng);
                i = (i + 1) % N;
                black_box(&ws.outcomes);
            })
        });
        // The same draws with no policy response: a response that fires simulates
        // the paths again, so this is the kernel's cost without enforcement.
        let mut free = m.clone();
        free.responses.clear();
        let mut ws = Workspace::new(&free);
        g.bench_function(format!("{name}/outcomes_without_responses"), |b| {
            b.iter(|| {
                draw_outcomes(&free, &mut ws, x.draw(i), &mut rng);
                i = (i + 1) % N;
                black_box(&ws.outcomes);
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ProcessCpuTime).sample_size(50).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    targets = draw_kernel
}
criterion_main!(benches);
