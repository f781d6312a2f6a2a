//! Mutation fuzzing of the scenario loader: valid scenarios are mutated (byte flips,
//! token deletion and duplication, odd numbers such as nan, inf, huge and negative
//! values, swapped keys and lines, broken brackets, truncation) and
//! `planrisk::load_model` must return a result, never panic, and return quickly.
//!
//! Deterministic: case `i` of seed `s` is always the same text. The default run is
//! short; a campaign is `FUZZ_CASES=200000 cargo test --release --test fuzz_loader`
//! (optionally `FUZZ_SEED=…`; `FUZZ_HANG_SECS=…` sets the hang watchdog, default 60).
//! A panicking or slow input is written to the temp directory and named in the
//! failure; it belongs in tests/bad_inputs/ with its fix.

use planrisk::load_model;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Cases run by default, split across threads: a few seconds in `cargo test --release`.
const DEFAULT_CASES: u64 = 2000;

/// A case slower than this is reported (a loader should answer in milliseconds).
const SLOW: Duration = Duration::from_secs(5);

/// A case still running after this is a hang: its files are saved and the test process
/// exits, since a stuck thread cannot be stopped.
const HANG: Duration = Duration::from_secs(60);

/// Exercises what mini.toml does not: every distribution, correlation, history,
/// derived series by sector and region, level indicators, profiles and `from`.
const RICH: &str = r#"
[scenario]
id = "rich"
name = "Rich fuzz seed"
base_year = 2010
horizon = 2015
draws = 1000
seed = 1

[params.a]
dist = "normal"
p5 = 0.05
p95 = 0.1

[params.b]
dist = "lognormal"
mu = -3.0
sigma = 0.2

[params.c]
dist = "triangular"
min = 0.0
mode = 0.5
max = 1.0

[params.d]
dist = "truncnormal"
mean = 0.1
sd = 0.05
min = 0.0
max = 0.3

[params.e]
dist = "beta"
alpha = 2.0
beta = 3.0
min = 0.5
max = 1.5

[params.f]
dist = "student_t"
df = 4.0
loc = 0.0
scale = 0.01

[params.g]
dist = "discrete"
values = [0.8, 1.0, 1.2]
weights = [1.0, 2.0, 1.0]

[params.h]
dist = "fixed"
value = 0.02

[params.k]
dist = "lognormal"
p5 = 0.5
p95 = 2.0

[correlation]
params = ["a", "b", "c"]
matrix = [[1.0, 0.3, -0.2], [0.3, 1.0, 0.1], [-0.2, 0.1, 1.0]]

[[regions]]
id = "GD"
name = "Guangdong"
growth_offset = "h"

[[regions]]
id = "HA"
name = "Henan"
growth_offset = -0.01

[[sectors]]
id = "steel"
name = "Steel"
va = { GD = 100.0, HA = 300.0 }
growth = "a"
volatility = "d"
energy_intensity = { GD = 2.0, HA = 2.5 }
intensity_change = -0.02

[[sectors]]
id = "it"
name = "IT"
va = 50.0
growth = 0.15
energy_intensity = 0.1

[shocks]
ar1 = 0.5
national = 0.3
region = 0.3
sector = 0.1

[[capacity]]
id = "cement"
sector = "steel"
output = 18.8
capacity = 22.0
backward = 3.0
plan = 2.5
achievement = "g"
profile = [0.3, 0.25, 0.2, 0.15, 0.1]
unit_energy_advanced = 95.0
unit_energy_backward = 125.0
progress = "f"
energy = true

[[derived]]
id = "so2"
name = "SO2"
basis = "va"
sectors = ["steel"]
factor = { GD = 0.5, HA = 0.7 }
change = "b"
volatility = 0.01

[[indicators]]
id = "soft"
kind = "level"
start = 1.3
growth = "e"
volatility = 0.03

[[history]]
id = "va_2005"
series = "va@GD"
year = 2005
value = 70.0

[[targets]]
id = "t1"
name = "growth"
series = "va:steel@HA"
metric = "cagr"
comparator = "at_least"
value = 8.0
from = 2011
horizon = 2014

[[targets]]
id = "t2"
name = "so2"
series = "so2@GD"
per = "va@GD"
metric = "change_pp"
comparator = "about"
value = -1.0
band = 0.5
wanted = "down"

[[targets]]
id = "t3"
name = "cement"
series = "cement.backward_share"
metric = "level"
comparator = "at_most"
value = 10.0
binding = true

[[targets]]
id = "t4"
name = "software"
series = "soft"
metric = "multiple"
comparator = "at_least"
value = 2.0
"#;

/// Values that break naive number handling.
const NUMBERS: [&str; 24] = [
    "nan",
    "inf",
    "-inf",
    "+nan",
    "1e308",
    "-1e308",
    "1e-308",
    "5e-324",
    "0",
    "-0.0",
    "-1",
    "1",
    "2",
    "0.5",
    "1e400",
    "2147483647",
    "-2147483648",
    "2147483648",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "99999999999999999999",
    "4294967296",
    "1000000000",
];

/// Fragments that break syntax or structure.
const SPLICES: [&str; 24] = [
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "=",
    ",",
    "#",
    "\n",
    "\r\n",
    "\0",
    "\u{FF1D}",
    "“",
    "\\",
    ".",
    "[scenario]\n",
    "[[targets]]\n",
    "extends = \"x.toml\"\n",
    "id = \"steel\"\n",
];

/// splitmix64: small, fast, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Spans of maximal runs of word characters, numbers or single punctuation.
fn tokens(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        let word = |b: u8| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'+') || b >= 0x80
        };
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if word(c) {
            while i < text.len() && word(text[i]) {
                i += 1;
            }
        } else {
            i += 1;
        }
        out.push((start, i));
    }
    out
}

fn line_spans(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

fn splice(text: &mut Vec<u8>, span: (usize, usize), with: &[u8]) {
    text.splice(span.0..span.1, with.iter().copied());
}

/// One random mutation of `text`.
fn mutate(rng: &mut Rng, text: &mut Vec<u8>) {
    if text.is_empty() {
        text.extend_from_slice(rng.pick(&SPLICES).as_bytes());
        return;
    }
    // Weighted towards mutations that keep the syntax and break the meaning, so most
    // cases reach the shape and semantic checks.
    match rng.below(18) {
        // Flip a bit or replace a byte.
        0 => {
            let i = rng.below(text.len());
            if rng.below(2) == 0 {
                text[i] ^= 1 << rng.below(8);
            } else {
                text[i] = rng.next() as u8;
            }
        }
        // Delete a token.
        1 => {
            let t = tokens(text);
            if !t.is_empty() {
                let span = *rng.pick(&t);
                splice(text, span, b"");
            }
        }
        // Duplicate a token.
        2 => {
            let t = tokens(text);
            if !t.is_empty() {
                let (a, b) = *rng.pick(&t);
                let copy = text[a..b].to_vec();
                splice(text, (b, b), &copy);
            }
        }
        // Replace a number (or any token) with an odd number.
        3..=7 => {
            let t = tokens(text);
            let numeric: Vec<_> = t
                .iter()
                .copied()
                .filter(|&(a, b)| {
                    text[a..b]
                        .first()
                        .is_some_and(|c| c.is_ascii_digit() || *c == b'-')
                })
                .collect();
            let pool = if numeric.is_empty() || rng.below(5) == 0 {
                t
            } else {
                numeric
            };
            if !pool.is_empty() {
                let span = *rng.pick(&pool);
                splice(text, span, rng.pick(&NUMBERS).as_bytes());
            }
        }
        // Swap the keys of two `key = value` lines.
        8 | 9 => {
            let lines: Vec<_> = line_spans(text)
                .into_iter()
                .filter(|&(a, b)| text[a..b].contains(&b'='))
                .collect();
            if lines.len() >= 2 {
                let (l1, l2) = (*rng.pick(&lines), *rng.pick(&lines));
                let key = |s: (usize, usize)| {
                    (
                        s.0,
                        s.0 + text[s.0..s.1].iter().position(|&c| c == b'=').unwrap_or(0),
                    )
                };
                let (k1, k2) = (key(l1), key(l2));
                if k1.1 <= k2.0 || k2.1 <= k1.0 {
                    let (first, second) = if k1.0 < k2.0 { (k1, k2) } else { (k2, k1) };
                    let (a, b) = (
                        text[first.0..first.1].to_vec(),
                        text[second.0..second.1].to_vec(),
                    );
                    splice(text, second, &a);
                    splice(text, first, &b);
                }
            }
        }
        // Swap, delete or duplicate a line.
        10 => {
            let lines = line_spans(text);
            let l = *rng.pick(&lines);
            match rng.below(3) {
                0 => splice(text, l, b""),
                1 => {
                    let copy = text[l.0..l.1].to_vec();
                    let to = rng.pick(&lines).0;
                    splice(text, (to, to), &copy);
                }
                _ => {
                    let m = *rng.pick(&lines);
                    if l.1 <= m.0 {
                        let (a, b) = (text[l.0..l.1].to_vec(), text[m.0..m.1].to_vec());
                        splice(text, m, &a);
                        splice(text, l, &b);
                    }
                }
            }
        }
        // Insert a syntax fragment.
        11 => {
            let i = rng.below(text.len() + 1);
            splice(text, (i, i), rng.pick(&SPLICES).as_bytes());
        }
        // Replace a quoted name with another token of the file (unknown references).
        12..=14 => {
            let t = tokens(text);
            let words: Vec<_> = t
                .iter()
                .copied()
                .filter(|&(a, b)| text[a..b].first().is_some_and(|c| c.is_ascii_alphabetic()))
                .collect();
            if words.len() >= 2 {
                let (from, to) = (*rng.pick(&words), *rng.pick(&words));
                let w = text[from.0..from.1].to_vec();
                splice(text, to, &w);
            }
        }
        // Turn [[x]] into [x] or the reverse.
        15 => {
            let lines: Vec<_> = line_spans(text)
                .into_iter()
                .filter(|&(a, _)| text[a] == b'[')
                .collect();
            if !lines.is_empty() {
                let (a, b) = *rng.pick(&lines);
                if text[a..b].starts_with(b"[[") {
                    splice(text, (a, a + 1), b"");
                } else {
                    splice(text, (a, a), b"[");
                }
            }
        }
        // Give a key the value of another line (wrong types: text, lists, tables).
        16 => {
            let values: Vec<(usize, usize)> = line_spans(text)
                .into_iter()
                .filter_map(|(a, b)| {
                    let eq = text[a..b].iter().position(|&c| c == b'=')?;
                    let end = if text[b - 1] == b'\n' { b - 1 } else { b };
                    Some((a + eq + 1, end))
                })
                .collect();
            if values.len() >= 2 {
                let (from, to) = (*rng.pick(&values), *rng.pick(&values));
                let v = text[from.0..from.1].to_vec();
                splice(text, to, &v);
            }
        }
        // Truncate.
        _ => {
            let at = rng.below(text.len());
            text.truncate(at);
        }
    }
}

/// Files the seeds are written from: (name, text). `child.toml` extends `parent.toml`.
fn seeds() -> Vec<(&'static str, String)> {
    let mini = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini.toml"),
    )
    .expect("mini.toml");
    let child = "extends = \"parent.toml\"\n\n[scenario]\nid = \"child\"\nhorizon = 2014\n\n[params.g_steel]\nmean = 0.05\n\n[[sectors]]\nid = \"autos\"\ngrowth = \"g_steel\"\n\n[[targets]]\nid = \"extra\"\nname = \"extra\"\nseries = \"va:autos@B\"\nmetric = \"level\"\ncomparator = \"at_least\"\nvalue = 1.0\n".to_string();
    vec![
        ("mini.toml", mini.clone()),
        ("rich.toml", RICH.to_string()),
        ("child.toml", child),
        ("parent.toml", mini),
    ]
}

/// Cases that loaded, that failed on the file or its syntax, and that failed later
/// (shape or semantic checks): how deep the mutants reach.
static OUTCOMES: [AtomicU64; 3] = [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)];

thread_local! {
    /// The message of the last panic on this thread, set by the test's panic hook.
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A panic or a slow case: what to report.
struct Finding {
    case: u64,
    what: String,
    saved: PathBuf,
}

/// What a worker is doing, for the watchdog.
struct Progress {
    /// The case being loaded.
    case: AtomicU64,
    /// When it started, in ms since `epoch`; `u64::MAX` between cases.
    since: AtomicU64,
    finished: AtomicBool,
}

/// Runs `cases` in `dir`; returns findings.
fn campaign(
    seed: u64,
    cases: impl Iterator<Item = u64>,
    dir: &Path,
    progress: &Progress,
    epoch: Instant,
    done: &AtomicU64,
) -> Vec<Finding> {
    let seeds = seeds();
    let mut findings = Vec::new();
    for case in cases {
        let mut rng = Rng(seed ^ case.wrapping_mul(0xD134_2543_DE82_EF95));
        // Mostly mutate the named file; sometimes the parent of the extends pair.
        let which = rng.below(seeds.len());
        let (name, base) = &seeds[which];
        let mut text = base.as_bytes().to_vec();
        for _ in 0..1 + rng.below(3) {
            mutate(&mut rng, &mut text);
        }
        for (n, t) in &seeds {
            let body: &[u8] = if n == name { &text } else { t.as_bytes() };
            std::fs::write(dir.join(n), body).expect("write case");
        }
        let target = if *name == "parent.toml" {
            dir.join("child.toml")
        } else {
            dir.join(name)
        };
        let started = Instant::now();
        progress.case.store(case, Ordering::SeqCst);
        progress
            .since
            .store(epoch.elapsed().as_millis() as u64, Ordering::SeqCst);
        let result = catch_unwind(AssertUnwindSafe(|| {
            let outcome = match load_model(&target) {
                Ok(_) => 0,
                Err(e) => {
                    // Rendering is part of the error path: it must not panic either.
                    let text = e.to_string();
                    let early = text.starts_with("error: invalid TOML")
                        || !text.contains(" --> ")
                        || text.contains("UTF-8")
                        || text.contains("binary");
                    if early {
                        1
                    } else {
                        2
                    }
                }
            };
            OUTCOMES[outcome].fetch_add(1, Ordering::Relaxed);
        }));
        progress.since.store(u64::MAX, Ordering::SeqCst);
        done.fetch_add(1, Ordering::Relaxed);
        let elapsed = started.elapsed();
        let what = match result {
            Err(_) => Some(format!(
                "panicked: {}",
                LAST_PANIC.with(|p| p.borrow().clone())
            )),
            Ok(()) if elapsed > SLOW => Some(format!("took {elapsed:?}")),
            Ok(()) => None,
        };
        if let Some(what) = what {
            let saved = std::env::temp_dir().join(format!("planrisk-fuzz-{seed}-{case}-{name}"));
            let _ = std::fs::write(&saved, &text);
            findings.push(Finding { case, what, saved });
        }
    }
    findings
}

/// Waits for the workers, printing progress; a case running longer than `HANG` has its
/// files copied to the temp directory and ends the process.
fn watchdog(
    progress: &[Progress],
    epoch: Instant,
    done: &AtomicU64,
    cases: u64,
    seed: u64,
    dir_of: &dyn Fn(u64) -> PathBuf,
) {
    let hang = std::env::var("FUZZ_HANG_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(HANG, Duration::from_secs);
    let mut next_report = cases / 10;
    while !progress.iter().all(|p| p.finished.load(Ordering::SeqCst)) {
        std::thread::sleep(Duration::from_millis(100));
        let now = epoch.elapsed().as_millis() as u64;
        for (t, p) in progress.iter().enumerate() {
            let since = p.since.load(Ordering::SeqCst);
            if since != u64::MAX && now.saturating_sub(since) > hang.as_millis() as u64 {
                let case = p.case.load(Ordering::SeqCst);
                let saved = std::env::temp_dir().join(format!("planrisk-fuzz-hang-{seed}-{case}"));
                let _ = std::fs::create_dir_all(&saved);
                if let Ok(rd) = std::fs::read_dir(dir_of(t as u64)) {
                    for e in rd.flatten() {
                        let _ = std::fs::copy(e.path(), saved.join(e.file_name()));
                    }
                }
                eprintln!("fuzz case {case} (seed {seed}) still loading after {hang:?}: files saved in {}", saved.display());
                std::process::exit(101);
            }
        }
        let n = done.load(Ordering::Relaxed);
        if cases >= 10_000 && n >= next_report {
            eprintln!(
                "fuzz: {n} of {cases} cases after {:.0} s",
                epoch.elapsed().as_secs_f64()
            );
            next_report += cases / 10;
        }
    }
}

#[test]
fn loader_never_panics_on_mutated_scenarios() {
    let cases: u64 = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5EED_2011_2015);
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8) as u64;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = format!("{payload}{location}"));
    }));
    let started = Instant::now();
    let done = AtomicU64::new(0);
    let progress: Vec<Progress> = (0..threads)
        .map(|_| Progress {
            case: AtomicU64::new(0),
            since: AtomicU64::new(u64::MAX),
            finished: AtomicBool::new(false),
        })
        .collect();
    let dir_of =
        |t: u64| std::env::temp_dir().join(format!("planrisk-fuzz-{}-{t}", std::process::id()));
    let findings: Vec<Finding> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (progress, done) = (&progress[t as usize], &done);
                s.spawn(move || {
                    let dir = dir_of(t);
                    std::fs::create_dir_all(&dir).expect("fuzz dir");
                    let cases = (t..cases).step_by(threads as usize);
                    let found = campaign(seed, cases, &dir, progress, started, done);
                    let _ = std::fs::remove_dir_all(&dir);
                    progress.finished.store(true, Ordering::SeqCst);
                    found
                })
            })
            .collect();
        watchdog(&progress, started, &done, cases, seed, &dir_of);
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    std::panic::set_hook(previous);
    eprintln!(
        "fuzz: {cases} cases (seed {seed}) in {:.1} s on {threads} threads: {} loaded, {} rejected for syntax or encoding, {} rejected by later checks",
        started.elapsed().as_secs_f64(),
        OUTCOMES[0].load(Ordering::Relaxed),
        OUTCOMES[1].load(Ordering::Relaxed),
        OUTCOMES[2].load(Ordering::Relaxed),
    );
    let report: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "case {} {}: input saved to {}",
                f.case,
                f.what,
                f.saved.display()
            )
        })
        .collect();
    assert!(
        findings.is_empty(),
        "{} of {cases} cases failed:\n{}",
        findings.len(),
        report.join("\n")
    );
}

#[test]
fn mutations_are_deterministic_and_varied() {
    let base = RICH.as_bytes().to_vec();
    let run = |seed: u64| {
        let mut rng = Rng(seed);
        let mut t = base.clone();
        for _ in 0..3 {
            mutate(&mut rng, &mut t);
        }
        t
    };
    assert_eq!(run(7), run(7));
    let distinct: std::collections::HashSet<Vec<u8>> = (0..200).map(run).collect();
    assert!(
        distinct.len() > 150,
        "only {} distinct mutants",
        distinct.len()
    );
}
