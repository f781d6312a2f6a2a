//! Helpers shared by the benches: scenarios (bundled and synthetic), a seeded chunk of
//! parameter uniforms, the model's per-draw random-number budget, the random numbers of
//! one draw (the floor), and process CPU time as a criterion measurement (`cpu_time`).
#![allow(dead_code)]

pub mod cpu_time;

use planrisk::load_model;
use planrisk::model::Model;
use planrisk::sim::kernel::normals_per_draw;
use planrisk::sim::normals::NormalStream;
use planrisk::sim::rng::{open01, stream, Purpose, Rng};
use planrisk::sim::Sampler;
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;

/// A bundled scenario (`scenarios/<name>.toml`), compiled.
pub fn scenario(name: &str) -> Model {
    load_bundled(&format!("{name}.toml"))
}

/// An example scenario (`scenarios/examples/<name>.toml`), compiled.
pub fn example(name: &str) -> Model {
    load_bundled(&format!("examples/{name}.toml"))
}

fn load_bundled(relative: &str) -> Model {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(relative);
    match load_model(&p) {
        Ok(l) => l.model,
        Err(e) => panic!("{} does not load:\n{e}", p.display()),
    }
}

pub fn national() -> Model {
    scenario("national_2011_2015")
}

/// Loads a scenario from TOML text (through a temp file, as the CLI would).
pub fn from_toml(tag: &str, text: &str) -> Model {
    let dir = std::env::temp_dir().join(format!("planrisk-bench-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join("s.toml");
    std::fs::write(&p, text).expect("write scenario");
    let m = match load_model(&p) {
        Ok(l) => l.model,
        Err(e) => panic!("synthetic scenario {tag} does not load:\n{e}"),
    };
    let _ = std::fs::remove_dir_all(&dir);
    m
}

/// A synthetic scenario of `regions` × `sectors` cells over `years` simulated years,
/// with a fixed set of everything else (6 parameters, one capacity process, one
/// derived series, two indicators, 8 targets), so that only the cell count varies.
pub fn synthetic(regions: usize, sectors: usize, years: usize) -> String {
    let mut t = String::new();
    let _ = write!(
        t,
        r#"[scenario]
id = "synthetic_{regions}x{sectors}x{years}"
name = "Synthetic"
base_year = 2010
horizon = {horizon}
va_unit = "100m yuan"
energy_unit = "10k tce"

[params.g_a]
dist = "normal"
mean = 0.08
sd = 0.015
source = "assumption: bench"

[params.g_b]
dist = "normal"
mean = 0.10
sd = 0.02
source = "assumption: bench"

[params.ei_a]
dist = "triangular"
min = -0.05
mode = -0.03
max = 0.0
source = "assumption: bench"

[params.ach]
dist = "pert"
min = 0.7
mode = 1.0
max = 1.2
source = "assumption: bench"

[params.co2_change]
dist = "uniform"
min = -0.03
max = 0.0
source = "assumption: bench"

[params.rd_drift]
dist = "normal"
mean = 0.06
sd = 0.02
source = "assumption: bench"

[shocks]
ar1 = 0.3
national = 0.4
region = 0.2
sector = 0.2
source = "assumption: bench"
"#,
        horizon = 2010 + years
    );
    for r in 0..regions {
        let _ = write!(t, "\n[[regions]]\nid = \"R{r}\"\nname = \"Region {r}\"\ngrowth_offset = {}\nsource = \"assumption: bench\"\n", 0.002 * (r % 5) as f64 - 0.004);
    }
    for s in 0..sectors {
        let va: Vec<String> = (0..regions)
            .map(|r| format!("R{r} = {:.1}", 100.0 + (7 * r + 13 * s) as f64 % 90.0))
            .collect();
        let growth = if s % 2 == 0 { "\"g_a\"" } else { "\"g_b\"" };
        let change = if s % 3 == 0 {
            "\"ei_a\"".to_string()
        } else {
            format!("{:.3}", -0.01 - 0.002 * (s % 4) as f64)
        };
        let _ = write!(
            t,
            "\n[[sectors]]\nid = \"s{s}\"\nname = \"Sector {s}\"\nva = {{ {} }}\ngrowth = {growth}\nvolatility = {:.3}\nenergy_intensity = {:.2}\nintensity_change = {change}\nsource = \"assumption: bench\"\n",
            va.join(", "),
            0.02 + 0.005 * (s % 3) as f64,
            0.5 + 0.25 * (s % 6) as f64,
        );
    }
    let profile: Vec<String> = (0..years)
        .map(|_| format!("{}", 1.0 / years as f64))
        .collect();
    let _ = write!(
        t,
        r#"
[[capacity]]
id = "steelmaking"
sector = "s0"
name = "Steelmaking"
output = 6.0
capacity = 7.0
backward = 1.0
unit = "100m t"
plan = 0.5
achievement = "ach"
profile = [{profile}]
unit_energy_advanced = 580.0
unit_energy_backward = 700.0
progress = -0.01
energy = true
source = "assumption: bench"

[[derived]]
id = "co2"
name = "CO2"
basis = "energy"
factor = 2.5
change = "co2_change"
volatility = 0.005
source = "assumption: bench"

[[indicators]]
id = "rd"
name = "R&D intensity"
kind = "bounded"
start = 1.0
lower = 0.0
upper = 5.0
drift = "rd_drift"
volatility = 0.05
source = "assumption: bench"

[[indicators]]
id = "software"
name = "Software revenue"
kind = "level"
start = 1.3
growth = 0.2
volatility = 0.03
source = "assumption: bench"
"#,
        profile = profile.join(", ")
    );
    // (id, series, per, metric, comparator, value)
    type TargetRow<'a> = (&'a str, &'a str, Option<&'a str>, &'a str, &'a str, f64);
    let targets: [TargetRow; 8] = [
        ("va_growth", "va", None, "cagr", "at_least", 8.0),
        ("va_growth_r0", "va@R0", None, "cagr", "at_least", 8.0),
        ("va_growth_s0", "va:s0", None, "cagr", "at_least", 7.0),
        (
            "energy_intensity",
            "energy",
            Some("va"),
            "change_pct",
            "at_most",
            -16.0,
        ),
        (
            "co2_intensity",
            "co2",
            Some("va"),
            "change_pct",
            "at_most",
            -17.0,
        ),
        (
            "elimination",
            "steelmaking.eliminated",
            None,
            "cumulative",
            "at_least",
            0.5,
        ),
        ("rd", "rd", None, "level", "at_least", 1.3),
        ("software", "software", None, "multiple", "at_least", 2.0),
    ];
    for (id, series, per, metric, cmp, value) in targets {
        let per = per.map(|p| format!("per = \"{p}\"\n")).unwrap_or_default();
        let _ = write!(t, "\n[[targets]]\nid = \"{id}\"\nname = \"{id}\"\nseries = \"{series}\"\n{per}metric = \"{metric}\"\ncomparator = \"{cmp}\"\nvalue = {value}\nsource = \"assumption: bench\"\n");
    }
    t
}

/// The random numbers of one draw of a model and nothing else, produced as the engine
/// produces them: its parameter uniforms (`open01`, from a copy of the generator kept in
/// registers), then its normals (`NormalStream::fill`); the floor a draw's cost is read
/// against.
#[derive(Debug)]
pub struct Floor {
    params: Rng,
    shocks: NormalStream,
    uniforms: Vec<f64>,
    normals: Vec<f64>,
}

impl Floor {
    /// Buffers for one draw of `m`.
    pub fn new(m: &Model) -> Floor {
        Floor {
            params: stream(1, Purpose::Parameters, 0),
            shocks: NormalStream::new(1, 0),
            uniforms: vec![0.0; m.uncertain.len()],
            normals: vec![0.0; normals_per_draw(m)],
        }
    }

    /// One draw's random numbers.
    #[inline]
    pub fn step(&mut self) {
        let mut r = self.params.clone();
        for u in self.uniforms.iter_mut() {
            *u = open01(&mut r);
        }
        self.params = r;
        self.shocks.fill(&mut self.normals);
        black_box((&self.uniforms, &self.normals));
    }
}

/// One chunk's parameter uniforms (2048 draws, plain Monte Carlo, seed 1).
pub fn uniforms(m: &Model, n: usize) -> Vec<f64> {
    let k = m.uncertain.len();
    let mut u = vec![0.0; n * k];
    Sampler::MonteCarlo.fill(1, 0, 0, n, k, &mut u);
    u
}

/// One-line description of a model's size, for the bench log.
pub fn describe(name: &str, m: &Model) -> String {
    format!(
        "{name}: {} regions × {} sectors × {} years, {} uncertain params, {} capacity, {} derived, {} indicators, {} series, {} targets ({} modeled), {} fans, {} normals/draw",
        m.regions.len(),
        m.sectors.len(),
        m.years() - 1,
        m.uncertain.len(),
        m.capacity.len(),
        m.derived.len(),
        m.indicators.len(),
        m.series.len(),
        m.targets.len(),
        m.modeled_targets().count(),
        m.fans.len(),
        planrisk::sim::kernel::normals_per_draw(m)
    )
}
