//! Region-specific dynamics: each region's own growth, shocks and units, sectors present
//! in some regions only, how they count in national totals, regional capacity processes
//! with a residual intensity trend, derived series of some regions adding into a
//! national one, and uncertain indicator starts — checked against closed forms.

mod common;
use common::{model_from, paths};

/// Two regions; B counts in units 10× smaller than the nation's, has a food sector
/// counted nationally as steel, services left out of national totals, its own steel
/// capacity process and a COD series that adds (×3) into the national `cod_all`.
/// No volatility, so every path is a closed form.
const ECONOMY: &str = r#"
[scenario]
id = "regional"
name = "Regional test"
base_year = 2010
horizon = 2015

[params.rd0]
dist = "uniform"
min = 1.0
max = 2.0
source = "assumption: test"

[[regions]]
id = "A"
name = "A"

[[regions]]
id = "B"
name = "B"
scale = { va = 10.0, energy = 10.0 }

[[sectors]]
id = "steel"
name = "Steel"
va = { A = 100.0, B = 50.0 }
growth = { A = 0.05, B = 0.10 }
energy_intensity = { A = 2.0, B = 3.0 }
intensity_change = { A = -0.02, B = -0.05 }

[[sectors]]
id = "food"
name = "Food"
regions = ["B"]
va = 10.0
growth = 0.2
national = "steel"

[[sectors]]
id = "services"
name = "Services"
regions = ["B"]
va = 5.0
growth = 0.3
national = false

[[capacity]]
id = "iron"
sector = "steel"
region = "B"
output = 2.0
capacity = 3.0
backward = 1.0
plan = 0.5
achievement = 1.0
unit_energy_advanced = 500.0
unit_energy_backward = 700.0
progress = -0.01
energy = true

[[derived]]
id = "cod_all"
name = "COD"
basis = "va"
regions = ["A"]
factor = 1.0

[[derived]]
id = "cod"
name = "COD, B"
basis = "va"
regions = ["B"]
factor = 2.0
change = 0.1
national = { series = "cod_all", scale = 3.0 }

[[indicators]]
id = "rd"
kind = "level"
start = "rd0"
growth = 0.0
volatility = 0.0
"#;

/// A target on each series the checks read (a series is simulated only when read).
fn reading(series: &[&str]) -> String {
    series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (num, per) = s.split_once('/').map_or((*s, None), |(a, b)| (a, Some(b)));
            let per = per.map_or(String::new(), |p| format!("per = \"{p}\"\n"));
            format!("[[targets]]\nid = \"t{i}\"\nname = \"t\"\nseries = \"{num}\"\n{per}metric = \"level\"\ncomparator = \"at_least\"\nvalue = 0.0\n\n")
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn regions_grow_at_their_own_rates_and_add_up_in_national_units() {
    let keys = [
        "va@A",
        "va@B",
        "va",
        "va:steel",
        "va:steel@B",
        "energy:steel@A",
        "energy:steel@B",
        "energy",
        "iron.unit_energy",
        "iron.output",
        "cod",
        "cod_all",
        "rd",
    ];
    let m = model_from("regional", &format!("{ECONOMY}\n{}", reading(&keys)));
    let draws = paths(&m, &keys, 50);
    let mut starts = Vec::new();
    for d in &draws {
        let [va_a, va_b, va, va_steel, steel_b, en_a, en_b, en, ue, out, cod, cod_all, rd] =
            std::array::from_fn(|k| &d[k]);
        for t in 0..6 {
            let p = |g: f64| (1.0 + g).powi(t as i32);
            let (a, b, food, serv) = (100.0 * p(0.05), 50.0 * p(0.10), 10.0 * p(0.2), 5.0 * p(0.3));
            assert!(
                close(va_a[t], a) && close(steel_b[t], b),
                "own growth, year {t}"
            );
            assert!(
                close(va_b[t], b + food + serv),
                "a region's VA is all its sectors"
            );
            assert!(
                close(va[t], a + 10.0 * (b + food)),
                "national VA: scaled, services out"
            );
            assert!(
                close(va_steel[t], a + 10.0 * (b + food)),
                "food counted as steel"
            );
            assert!(
                close(en_a[t], a * 2.0 * p(-0.02)),
                "A's own intensity trend"
            );
            // B's steel follows its capacity process, with B's trend as a residual.
            let driver = ue[t] / ue[0];
            assert!(
                close(en_b[t], b * 3.0 * driver * p(-0.05)),
                "driver × residual, year {t}"
            );
            assert!(
                close(en[t], en_a[t] + 10.0 * en_b[t]),
                "national energy in its units"
            );
            assert!(
                close(out[t], 2.0 * b / 50.0),
                "a regional process follows its cell"
            );
            let cod_b = 2.0 * p(0.1) * (b + food + serv);
            assert!(close(cod[t], cod_b), "B's COD");
            assert!(
                close(cod_all[t], a + 3.0 * cod_b),
                "a part added into the national series"
            );
            assert!(
                close(rd[t], rd[0]),
                "a level indicator without growth stays at its start"
            );
        }
        assert!(
            draws[0][8][5] < draws[0][8][0],
            "the process lowers unit energy"
        );
        starts.push(rd[0]);
    }
    assert!(
        starts.iter().all(|s| (1.0..=2.0).contains(s)),
        "starts within the prior"
    );
    let spread = starts.iter().cloned().fold(f64::MIN, f64::max)
        - starts.iter().cloned().fold(f64::MAX, f64::min);
    assert!(
        spread > 0.5,
        "an uncertain start differs between draws ({spread})"
    );
}

/// Two regions whose shocks are all national (B by its own `shocks` table, A by
/// `[shocks]`) move together exactly: their standardised growth shocks are equal in
/// every draw and year, while B's own persistence shows in its path.
#[test]
fn a_regions_own_shocks_share_the_national_factor() {
    let scenario = r#"
[scenario]
id = "shocks"
name = "Shocks test"
base_year = 2010
horizon = 2012

[shocks]
ar1 = 0.0
national = 1.0
region = 0.0
sector = 0.0

[[regions]]
id = "A"
name = "A"

[[regions]]
id = "B"
name = "B"
shocks = { ar1 = 0.5 }

[[sectors]]
id = "s"
name = "S"
va = 100.0
growth = { A = 0.05, B = 0.08 }
volatility = { A = 0.02, B = 0.04 }
"#;
    let keys = ["va@A", "va@B"];
    let m = model_from(
        "regional-shocks",
        &format!("{scenario}\n{}", reading(&keys)),
    );
    for d in paths(&m, &keys, 200) {
        let eps_a = |t: usize| (d[0][t] / d[0][t - 1] - 1.0 - 0.05) / 0.02;
        let u_b = |t: usize| (d[1][t] / d[1][t - 1] - 1.0 - 0.08) / 0.04;
        // Year 1: both are the national normal; year 2: B's u = 0.5 u₁ + √0.75 ε₂.
        assert!((eps_a(1) - u_b(1)).abs() < 1e-9);
        let expect = 0.5 * u_b(1) + 0.75f64.sqrt() * eps_a(2);
        assert!((u_b(2) - expect).abs() < 1e-9, "{} vs {expect}", u_b(2));
    }
}
