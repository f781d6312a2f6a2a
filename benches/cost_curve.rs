//! Both ends of the cost curve (issue 17), single-threaded, timed in process CPU time
//! (`common::cpu_time`: on a shared machine other processes stretch the wall clock, not
//! this; on an idle one the two agree).
//!
//! Small end, the example scenarios `scenarios/examples/small_simple.toml` (1 region ×
//! 1 sector × 5 years, one CAGR target) and `small_correlated.toml` (1 × 3 × 5, six
//! copula parameters, two targets), per draw (Throughput: draws):
//! - `small/<name>/floor`: only the random numbers a draw consumes (its uniforms and
//!   `normals_per_draw` normals), as `rng_floor` measures them for the national draw;
//! - `small/<name>/kernel`: `kernel::draw_outcomes`, what the engine runs per draw after
//!   the fan-chart draws;
//! - `small/<name>/engine`: the whole engine, `sim::run` (sampler, pilot, kernel,
//!   accumulators, merges) at 10^6 draws on a one-thread pool; per draw.
//!   benches/peers/run.sh compares these scenarios with NumPy and OpenTURNS.
//!
//! Large end, a synthetic 31 regions × 40 sectors × 15 years model
//! (`common::synthetic`), per cell-year (Throughput: region × sector × simulated year,
//! so criterion's time per element is the cost of one cell-year):
//! - `large/31x40x15y/floor`: only the draw's random numbers (≈ one normal per
//!   cell-year);
//! - `large/31x40x15y/draw`: `kernel::draw` (every series in every year);
//! - `large/31x40x15y/outcomes`: `kernel::draw_outcomes`.

mod common;

use common::cpu_time::ProcessCpuTime;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use planrisk::model::Model;
use planrisk::sim::kernel::{draw, draw_outcomes, DrawInputs, Workspace};
use planrisk::sim::normals::NormalStream;
use planrisk::sim::{self, RunConfig, Sampler};
use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Draws of parameter uniforms cycled through (one chunk).
const N: usize = 2048;
/// Draws of one whole-engine run.
const ENGINE_DRAWS: u64 = 1_000_000;

/// The kernel run over `N` different parameter draws in turn.
fn kernel_loop(
    m: &Model,
    f: impl Fn(&Model, &mut Workspace, DrawInputs<'_>, &mut NormalStream),
) -> impl FnMut() {
    let mut ws = Workspace::new(m);
    let x = ws.inputs(N, common::uniforms(m, N));
    let mut rng = NormalStream::new(1, 0);
    let mut i = 0;
    let m = m.clone();
    move || {
        f(&m, &mut ws, x.draw(i), &mut rng);
        i = (i + 1) % N;
        black_box(&ws.outcomes);
    }
}

/// Only the random numbers of one draw of `m`, draw after draw (`common::Floor`).
fn floor_loop(m: &Model) -> impl FnMut() {
    let mut floor = common::Floor::new(m);
    move || floor.step()
}

fn small(c: &mut Criterion<ProcessCpuTime>) {
    let mut g = c.benchmark_group("small");
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("rayon pool");
    for name in ["small_simple", "small_correlated"] {
        let m = common::example(name);
        eprintln!("{}", common::describe(name, &m));
        g.throughput(Throughput::Elements(1));
        g.bench_function(format!("{name}/floor"), |b| b.iter(floor_loop(&m)));
        let mut step = kernel_loop(&m, draw_outcomes);
        g.bench_function(format!("{name}/kernel"), |b| b.iter(&mut step));
        g.throughput(Throughput::Elements(ENGINE_DRAWS));
        let cfg = RunConfig {
            draws: ENGINE_DRAWS,
            seed: 1,
            sampler: Sampler::MonteCarlo,
            precision: None,
            conditions: vec![],
        };
        let cancel = AtomicBool::new(false);
        g.bench_function(format!("{name}/engine"), |b| {
            b.iter(|| {
                black_box(
                    one_thread
                        .install(|| sim::run(&m, &cfg, &|_| {}, &cancel))
                        .expect("valid run configuration")
                        .acc
                        .draws(),
                )
            })
        });
    }
    g.finish();
}

fn large(c: &mut Criterion<ProcessCpuTime>) {
    let (r, s, y) = (31, 40, 15);
    let name = format!("{r}x{s}x{y}y");
    let m = common::from_toml(&name, &common::synthetic(r, s, y));
    eprintln!("{}", common::describe(&name, &m));
    let mut g = c.benchmark_group("large");
    g.throughput(Throughput::Elements((r * s * y) as u64));
    g.bench_function(format!("{name}/floor"), |b| b.iter(floor_loop(&m)));
    let mut full = kernel_loop(&m, draw);
    g.bench_function(format!("{name}/draw"), |b| b.iter(&mut full));
    let mut outcomes = kernel_loop(&m, draw_outcomes);
    g.bench_function(format!("{name}/outcomes"), |b| b.iter(&mut outcomes));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ProcessCpuTime).sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    targets = small, large
}
criterion_main!(benches);
