//! Process CPU time (`CLOCK_PROCESS_CPUTIME_ID`: user + system time of all the
//! process's threads) as a criterion measurement, for benches of single-threaded work on
//! a shared machine: other processes on the core stretch the wall clock but not this
//! one (they still share caches and memory bandwidth). On an idle machine it equals the
//! wall time of single-threaded work. Values are nanoseconds, shown like criterion's
//! own wall-time figures.

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::Throughput;
use nix::time::{clock_gettime, ClockId};

pub struct ProcessCpuTime;

fn now_ns() -> f64 {
    let t = clock_gettime(ClockId::CLOCK_PROCESS_CPUTIME_ID)
        .expect("the process CPU-time clock is available on Linux");
    t.tv_sec() as f64 * 1e9 + t.tv_nsec() as f64
}

impl Measurement for ProcessCpuTime {
    type Intermediate = f64;
    type Value = f64;

    fn start(&self) -> f64 {
        now_ns()
    }
    fn end(&self, started: f64) -> f64 {
        now_ns() - started
    }
    fn add(&self, a: &f64, b: &f64) -> f64 {
        a + b
    }
    fn zero(&self) -> f64 {
        0.0
    }
    fn to_f64(&self, v: &f64) -> f64 {
        *v
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &NanosecondFormatter
    }
}

struct NanosecondFormatter;

impl ValueFormatter for NanosecondFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (divisor, unit) = match typical {
            t if t < 1e3 => (1.0, "ns"),
            t if t < 1e6 => (1e3, "µs"),
            t if t < 1e9 => (1e6, "ms"),
            _ => (1e9, "s"),
        };
        values.iter_mut().for_each(|v| *v /= divisor);
        unit
    }

    fn scale_throughputs(
        &self,
        typical: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        // The benches count elements; any other kind of throughput is shown as elements.
        let (Throughput::Elements(n)
        | Throughput::Bytes(n)
        | Throughput::BytesDecimal(n)
        | Throughput::Bits(n)) = *throughput;
        let per_iteration = n as f64;
        let (divisor, unit) = match per_iteration * 1e9 / typical {
            r if r < 1e3 => (1.0, "elem/s"),
            r if r < 1e6 => (1e3, "Kelem/s"),
            r if r < 1e9 => (1e6, "Melem/s"),
            _ => (1e9, "Gelem/s"),
        };
        values
            .iter_mut()
            .for_each(|v| *v = per_iteration * 1e9 / *v / divisor);
        unit
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}
