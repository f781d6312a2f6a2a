//! The HTML report checked as a person would meet it: opened in headless Chromium (the
//! test installs Debian's `chromium` when missing and fails if it cannot), and checked
//! by the Nu Html Checker. In the browser: no console errors, warnings or exceptions and
//! no request beyond the file itself; the table shows every target of summary.json with
//! its P(hit); sorting and the filters work through the DOM; the print stylesheet hides
//! the controls; screenshots land in `target/tmp/report-screens/` to be looked at.
//!
//! The scenario is the provincial one (255 targets, regions, lead agencies, binding
//! targets), so every filter has something to filter.

mod browser;
mod common;

use browser::cdp::Browser;
use browser::tools;
use common::temp_dir;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const SCENARIO: &str = "scenarios/china_provinces_2011_2015.toml";
const VARIANT_A: &str = "scenarios/national_2011_2015.toml";
const VARIANT_B: &str = "scenarios/national_2011_2015_weak_growth.toml";

fn planrisk(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_planrisk"))
        .args(args)
        .output()
        .expect("run planrisk");
    assert!(
        out.status.success(),
        "planrisk {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One run of the provincial scenario, shared by the tests of this file.
fn provincial() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = temp_dir("report-provinces");
        let d = dir.to_str().unwrap();
        planrisk(&["run", SCENARIO, "--draws", "20000", "--quiet", "--out", d]);
        dir
    })
}

/// `planrisk compare` of the national scenario and its weak-growth variant: the two run
/// directories and the comparison's.
fn comparison() -> &'static [PathBuf; 3] {
    static DIRS: OnceLock<[PathBuf; 3]> = OnceLock::new();
    DIRS.get_or_init(|| {
        let (a, b, out) = (temp_dir("cmp-a"), temp_dir("cmp-b"), temp_dir("cmp-out"));
        for (scenario, dir) in [(VARIANT_A, &a), (VARIANT_B, &b)] {
            let d = dir.to_str().unwrap();
            planrisk(&[
                "run",
                scenario,
                "--draws",
                "4000",
                "--quiet",
                "--no-charts",
                "--out",
                d,
            ]);
        }
        let dirs = [
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            out.to_str().unwrap(),
        ];
        planrisk(&["compare", dirs[0], dirs[1], "--out", dirs[2]]);
        [a, b, out]
    })
}

fn summary(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap()
}

fn screens() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-screens");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Opens `page` in a fresh headless Chromium with a 1280 × 1000 window.
fn open(page: &Path, tag: &str) -> Browser {
    let chromium = tools::chromium();
    let mut b = Browser::launch(&chromium, &temp_dir(&format!("chromium-{tag}")));
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": false}),
    );
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    b.open(&url);
    b
}

/// Nothing went wrong in the console, and the page fetched nothing but itself.
fn assert_quiet_and_offline(b: &Browser, page: &str) {
    let problems = b.problems();
    assert!(
        problems.is_empty(),
        "{page}: console problems:\n{}",
        problems.join("\n")
    );
    let requests = b.requests();
    assert!(
        !requests.is_empty(),
        "{page}: no request recorded at all: is Network enabled?"
    );
    let foreign: Vec<&String> = requests
        .iter()
        .filter(|u| !u.starts_with("file://") && !u.starts_with("data:"))
        .collect();
    assert!(
        foreign.is_empty(),
        "{page}: requests beyond the file: {foreign:?}"
    );
}

/// (id, data-p, P(hit) text, visible) of every row of a table, in DOM order.
fn rows(b: &mut Browser, table: &str) -> Vec<(String, String, String, bool)> {
    let v = b.eval(&format!(
        "[...document.querySelectorAll('#{table} tbody tr')].map(r => [r.dataset.id, r.dataset.p ?? '', (r.querySelector('td.p') || {{textContent: ''}}).textContent.trim(), r.offsetParent !== null])"
    ));
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_string(),
                r[1].as_str().unwrap().to_string(),
                r[2].as_str().unwrap().to_string(),
                r[3].as_bool().unwrap(),
            )
        })
        .collect()
}

/// The P(hit) a cell shows agrees with the probability to its one decimal.
fn shows(text: &str, p: f64) -> bool {
    match text {
        "<0.1%" => p > 0.0 && p < 0.001,
        ">99.9%" => p > 0.999 && p < 1.0,
        _ => text
            .strip_suffix('%')
            .and_then(|t| t.parse::<f64>().ok())
            .is_some_and(|shown| (shown - 100.0 * p).abs() <= 0.05 + 1e-9),
    }
}

#[test]
fn run_report_works_in_chromium() {
    let dir = provincial();
    let s = summary(dir);
    let targets = s["targets"].as_array().unwrap();
    let mut b = open(&dir.join("report.html"), "run");
    assert_quiet_and_offline(&b, "report.html");

    // Every target, in document order, with the P(hit) of summary.json.
    let table = rows(&mut b, "target-table");
    assert_eq!(table.len(), targets.len(), "one row per target");
    for ((id, data_p, text, visible), t) in table.iter().zip(targets) {
        assert_eq!(id, t["id"].as_str().unwrap());
        assert!(visible, "{id} hidden before any filter");
        match t["p_hit"].as_f64() {
            Some(p) => {
                assert_eq!(data_p.parse::<f64>().unwrap(), p, "{id}: data-p");
                assert!(shows(text, p), "{id}: shows {text} for P(hit) {p}");
            }
            None => assert!(
                data_p.is_empty() && text == "–",
                "{id}: unmodeled shows {text}"
            ),
        }
    }
    let screens = screens();
    b.screenshot(&screens.join("report_top.png"), (0.0, 0.0, 1280.0, 1000.0));

    // Sorting by P(hit): ascending, unmodeled last; a second click reverses.
    b.eval("document.querySelector('#target-table th[data-sort=\"p\"] button').click()");
    let asc: Vec<f64> = rows(&mut b, "target-table")
        .iter()
        .map(|r| r.1.parse().unwrap_or(f64::NAN))
        .collect();
    let modeled = asc.iter().filter(|p| !p.is_nan()).count();
    assert!(
        asc[..modeled].windows(2).all(|w| w[0] <= w[1]),
        "ascending: {asc:?}"
    );
    assert!(asc[modeled..].iter().all(|p| p.is_nan()), "unmodeled last");
    let sort_state = b.eval(
        "document.querySelector('#target-table th[data-sort=\"p\"]').getAttribute('aria-sort')",
    );
    assert_eq!(sort_state, "ascending");
    b.eval("document.querySelector('#target-table th[data-sort=\"p\"] button').click()");
    let desc: Vec<f64> = rows(&mut b, "target-table")
        .iter()
        .map(|r| r.1.parse().unwrap_or(f64::NAN))
        .collect();
    assert!(
        desc[..modeled].windows(2).all(|w| w[0] >= w[1]),
        "descending: {desc:?}"
    );

    // Filters: binding only, then binding in one region.
    let select = |b: &mut Browser, key: &str, value: &str| {
        b.eval(&format!(
            "(() => {{ const s = document.getElementById('target-table-{key}'); s.value = '{value}'; s.dispatchEvent(new Event('change')); return s.value; }})()"
        ))
    };
    assert_eq!(select(&mut b, "binding", "1"), "1");
    let visible = |b: &mut Browser| -> Vec<String> {
        let mut v: Vec<String> = rows(b, "target-table")
            .into_iter()
            .filter(|r| r.3)
            .map(|r| r.0)
            .collect();
        v.sort();
        v
    };
    let expect = |f: &dyn Fn(&Value) -> bool| -> Vec<String> {
        let mut v: Vec<String> = targets
            .iter()
            .filter(|t| f(t))
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    let binding = expect(&|t| t["binding"] == json!(true));
    assert!(!binding.is_empty() && binding.len() < targets.len());
    assert_eq!(visible(&mut b), binding, "binding filter");
    let shown = b.eval("document.querySelector('.filters .shown').textContent");
    assert_eq!(shown, binding.len().to_string());
    // The region with the most binding targets.
    let region = ["GD", "SD", "HA"]
        .into_iter()
        .max_by_key(|r| {
            targets
                .iter()
                .filter(|t| t["binding"] == json!(true) && t["region"] == json!(r))
                .count()
        })
        .unwrap();
    assert_eq!(select(&mut b, "region", region), region);
    let in_region = expect(&|t| t["binding"] == json!(true) && t["region"] == json!(region));
    assert!(!in_region.is_empty());
    assert_eq!(visible(&mut b), in_region, "binding and region {region}");
    let clip = table_clip(&mut b);
    b.screenshot(&screens.join("report_table_filtered.png"), clip);
    select(&mut b, "binding", "");
    select(&mut b, "region", "");
    assert_eq!(select(&mut b, "modeled", "0"), "0");
    assert_eq!(
        visible(&mut b),
        expect(&|t| t["status"] == json!("unmodeled")),
        "unmodeled filter"
    );
    select(&mut b, "modeled", "");
    let agency = targets
        .iter()
        .find_map(|t| t["agency"].as_str())
        .expect("an agency")
        .to_string();
    let agency_js = serde_json::to_string(&agency).unwrap();
    b.eval(&format!(
        "(() => {{ const s = document.getElementById('target-table-agency'); s.value = {agency_js}; s.dispatchEvent(new Event('change')); }})()"
    ));
    assert_eq!(
        visible(&mut b),
        expect(&|t| t["agency"] == json!(agency)),
        "agency filter"
    );

    // A drill-down: its charts are there and decoded.
    let detail = b.eval(
        "(async () => { const a = document.querySelector('article.target'); const imgs = [...a.querySelectorAll('img')]; await Promise.all(imgs.map(i => i.decode())); return [a.id, imgs.length, imgs.every(i => i.complete && i.naturalWidth > 0), a.getBoundingClientRect().top + window.scrollY]; })()",
    );
    assert!(
        detail[1].as_u64().unwrap() >= 2,
        "drill-down charts: {detail}"
    );
    assert_eq!(detail[2], json!(true), "every drill-down chart decodes");
    let top = detail[3].as_f64().unwrap();
    b.screenshot(
        &screens.join("report_detail.png"),
        (0.0, top, 1280.0, 1300.0),
    );

    // Printing: controls hidden, a PDF comes out.
    b.call("Emulation.setEmulatedMedia", json!({"media": "print"}));
    let hidden = b.eval(
        "['nav.toc', '.filters'].map(q => getComputedStyle(document.querySelector(q)).display)",
    );
    assert_eq!(
        hidden,
        json!(["none", "none"]),
        "print hides navigation and filters"
    );
    b.call("Emulation.setEmulatedMedia", json!({"media": ""}));
    let pdf = b.pdf();
    assert!(pdf.starts_with(b"%PDF"), "printToPDF gave no PDF");
    std::fs::write(screens.join("report.pdf"), pdf).unwrap();
    assert_quiet_and_offline(&b, "report.html after interaction");
}

/// The target section from its heading down, 1280 × 1200.
fn table_clip(b: &mut Browser) -> (f64, f64, f64, f64) {
    let top =
        b.eval("document.getElementById('targets').getBoundingClientRect().top + window.scrollY");
    (0.0, top.as_f64().unwrap(), 1280.0, 1200.0)
}

#[test]
fn comparison_report_works_in_chromium() {
    let [a, b_dir, out] = comparison();
    let (sa, sb) = (summary(a), summary(b_dir));
    let mut b = open(&out.join("report.html"), "compare");
    assert_quiet_and_offline(&b, "comparison report.html");
    // One row per target, with each run's P(hit).
    let got = b.eval(
        "[...document.querySelectorAll('#comparison-table tbody tr')].map(r => [r.dataset.id, r.dataset.p0, r.dataset.p1])",
    );
    let got = got.as_array().unwrap();
    let ids: Vec<&str> = sa["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(got.len(), ids.len(), "the variant lists the same targets");
    let p_of = |s: &Value, id: &str| {
        s["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == json!(id))
            .and_then(|t| t["p_hit"].as_f64())
    };
    for (row, id) in got.iter().zip(&ids) {
        assert_eq!(row[0], json!(id));
        for (k, s) in [(1, &sa), (2, &sb)] {
            let shown = row[k].as_str().unwrap().parse::<f64>().ok();
            assert_eq!(shown, p_of(s, id), "{id}: run {k}");
        }
    }
    // Sorting by the difference between the runs.
    b.eval("document.querySelector('#comparison-table th[data-sort=\"d1\"] button').click()");
    let d: Vec<f64> = b
        .eval("[...document.querySelectorAll('#comparison-table tbody tr')].map(r => r.dataset.d1)")
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str().and_then(|s| s.parse().ok()))
        .collect();
    assert!(
        d.len() > 10 && d.windows(2).all(|w| w[0] <= w[1]),
        "Δ ascending: {d:?}"
    );
    b.screenshot(
        &screens().join("comparison_top.png"),
        (0.0, 0.0, 1280.0, 1000.0),
    );
    assert_quiet_and_offline(&b, "comparison report.html after sorting");
}

/// The Nu Html Checker finds no error in either page.
#[test]
fn reports_are_valid_html() {
    let (java, jar) = tools::vnu();
    let pages = [
        provincial().join("report.html"),
        comparison()[2].join("report.html"),
    ];
    let out = Command::new(java)
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "text"])
        .args(&pages)
        .output()
        .expect("run vnu.jar");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "the Nu Html Checker found errors:\n{said}"
    );
}
