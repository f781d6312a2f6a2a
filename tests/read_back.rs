//! `chart` and `compare` check what they read before drawing from it: impossible
//! numbers, reversed intervals, broken shapes and oversized files are refused with exit
//! 2 and a message naming the field; CSV fields are quoted; and the run options that
//! could hang or panic (`--threads` without bound, an empty correlation) are handled.

mod common;
mod synth;
use common::temp_dir;
use planrisk::report::check::check;
use planrisk::report::summary::Probability;
use std::path::Path;
use std::process::{Command, Output};

fn planrisk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planrisk"))
        .args(args)
        .output()
        .expect("run planrisk")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A finished mini run (no charts) in a fresh directory.
fn mini_run(tag: &str, seed: &str) -> std::path::PathBuf {
    let out = temp_dir(tag).join("run");
    let o = planrisk(&[
        "run",
        "tests/fixtures/mini.toml",
        "--draws",
        "2000",
        "--seed",
        seed,
        "--quiet",
        "--no-charts",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

/// `planrisk compare <dirs> --out <out>`.
fn compare(dirs: &[&Path], out: &Path) -> Output {
    let mut args = vec!["compare"];
    args.extend(dirs.iter().map(|d| d.to_str().unwrap()));
    args.extend(["--out", out.to_str().unwrap()]);
    planrisk(&args)
}

fn edit_summary(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let p = dir.join("summary.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    edit(&mut v);
    std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
}

type Edit = fn(&mut serde_json::Value);

#[test]
fn chart_and_compare_refuse_results_no_run_can_produce() {
    let cases: [(&str, Edit, &str); 7] = [
        (
            "p_hit",
            |v| v["targets"][0]["p_hit"] = 5.0.into(),
            "targets[0].p_hit: 5 is not a probability in [0, 1]",
        ),
        (
            "negative",
            |v| v["targets"][1]["p_hit"] = (-3.0).into(),
            "targets[1].p_hit: -3 is not a probability",
        ),
        (
            "reversed",
            |v| v["targets"][0]["p_hit_ci95"] = serde_json::json!([0.9, 0.1]),
            "does not contain the estimate",
        ),
        (
            "fans",
            |v| v["fans"][0]["p50"] = serde_json::json!([1.0]),
            "fans[0].p50: has 1 entries, expected 6",
        ),
        (
            "horizon",
            |v| v["scenario"]["horizon"] = 2_000_000_000.into(),
            "scenario.horizon",
        ),
        (
            "enforcement",
            |v| {
                v["targets"][0]["enforcement"] = serde_json::json!({
                    "p_hit_without": 2.0, "p_hit_without_ci95": [0.0, 1.0],
                    "share": null, "met_only_if_enforced": false, "responses": []
                })
            },
            "targets[0].enforcement.p_hit_without: 2 is not a probability",
        ),
        (
            "responses",
            |v| {
                v["responses"] = serde_json::json!([{
                    "id": "r", "name": "", "name_zh": "", "watch": "va",
                    "p_triggered": {"p": 0.5, "ci95": [0.4, 0.6]}, "p_capped": -1.0,
                    "first_trigger": [], "mean_extra_effort": 0.0,
                    "mean_extra_effort_if_triggered": null, "effort_unit": "pp"
                }])
            },
            "responses[0].p_capped: -1 is not a probability",
        ),
    ];
    let good = mini_run("read-back-good", "1");
    for (tag, edit, expected) in cases {
        let dir = mini_run(&format!("read-back-{tag}"), "2");
        edit_summary(&dir, edit);
        let before = std::fs::read(dir.join("summary.json")).unwrap();
        let o = planrisk(&["chart", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{tag}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{tag}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
        assert_eq!(std::fs::read(dir.join("summary.json")).unwrap(), before);
        assert!(!dir.join("charts").exists(), "{tag}: nothing drawn");
        let cmp = temp_dir(&format!("read-back-cmp-{tag}")).join("cmp");
        let o = compare(&[&good, &dir], &cmp);
        assert_eq!(o.status.code(), Some(2), "{tag}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{tag}: {}", stderr(&o));
        assert!(!cmp.exists(), "{tag}: compare wrote nothing");
    }
}

#[test]
fn an_oversized_summary_is_not_read() {
    let dir = mini_run("read-back-huge", "1");
    // Sparse: the file is 300 MB long without taking the disk space.
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.join("summary.json"))
        .unwrap();
    f.set_len(300 << 20).unwrap();
    let o = planrisk(&["chart", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("larger than the 256 MiB"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn comparison_csv_quotes_fields_and_names_every_run_apart() {
    let a = mini_run("csv-a", "1");
    let b = mini_run("csv-b", "2");
    edit_summary(&a, |v| {
        v["targets"][0]["id"] = "va, \"growth\"".into();
        v["joint"]["miss_pairs"] = serde_json::json!([]);
    });
    let cmp = temp_dir("csv-cmp").join("cmp");
    let o = compare(&[&a, &b, &a], &cmp);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(cmp.join("comparison.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert_eq!(
        header,
        format!(
            "target,mini ({a}),mini ({b}),mini ({a}) #2",
            a = a.display(),
            b = b.display()
        )
    );
    assert!(csv.contains("\n\"va, \"\"growth\"\"\",0."), "{csv}");
    // Every data row has as many fields as the header once quotes are honoured.
    let fields = |line: &str| {
        let (mut n, mut quoted) = (1, false);
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => n += 1,
                _ => {}
            }
        }
        n
    };
    assert!(csv.lines().all(|l| fields(l) == 4), "{csv}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(cmp.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["kind"], "compare");
    assert_eq!(
        manifest["files"].as_array().unwrap().len(),
        3,
        "png, csv, report.html"
    );
    // The output of a comparison cannot be one of its inputs.
    let o = compare(&[&a, &b], &a);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn thread_counts_beyond_the_cap_are_refused_at_once() {
    for t in ["10000", "18446744073709551615", "0"] {
        let out = temp_dir("threads").join("out");
        let started = std::time::Instant::now();
        let o = planrisk(&[
            "run",
            "tests/fixtures/mini.toml",
            "--draws",
            "2000",
            "--threads",
            t,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "--threads {t}: {}", stderr(&o));
        assert!(stderr(&o).contains("--threads"), "{}", stderr(&o));
        assert!(started.elapsed().as_secs() < 10);
        assert!(!out.exists());
    }
    let out = temp_dir("threads-max").join("out");
    let o = planrisk(&[
        "run",
        "tests/fixtures/mini.toml",
        "--draws",
        "2000",
        "--threads",
        "256",
        "--quiet",
        "--no-charts",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn an_empty_correlation_correlates_nothing() {
    let dir = temp_dir("empty-corr");
    let base = std::fs::read_to_string("tests/fixtures/mini.toml").unwrap();
    let with = format!("{base}\n[correlation]\nparams = [\"g_steel\", \"tp\"]\nmatrix = [[1.0, 0.5], [0.5, 1.0]]\n");
    std::fs::write(dir.join("parent.toml"), with).unwrap();
    // The natural way for a variant to drop its parent's correlations.
    std::fs::write(
        dir.join("variant.toml"),
        "extends = \"parent.toml\"\n[scenario]\nid = \"variant\"\n[correlation]\nparams = []\nmatrix = []\n",
    )
    .unwrap();
    let plain = dir.join("plain.toml");
    std::fs::write(
        &plain,
        format!("{base}\n[correlation]\nparams = []\nmatrix = []\n"),
    )
    .unwrap();
    let variant = dir.join("variant.toml");
    for cmd in ["validate", "targets"] {
        for f in [&plain, &variant] {
            let o = planrisk(&[cmd, f.to_str().unwrap()]);
            assert!(o.status.success(), "{cmd} {}: {}", f.display(), stderr(&o));
        }
    }
    let summary = |f: &Path, tag: &str| {
        let out = temp_dir(tag).join("out");
        let o = planrisk(&[
            "run",
            f.to_str().unwrap(),
            "--draws",
            "3000",
            "--seed",
            "3",
            "--quiet",
            "--no-charts",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
        v["scenario"]["id"] = "".into();
        v
    };
    // Dropping the correlation gives exactly the uncorrelated results.
    let uncorrelated = dir.join("uncorrelated.toml");
    std::fs::write(&uncorrelated, &base).unwrap();
    assert_eq!(
        summary(&variant, "empty-corr-v"),
        summary(&uncorrelated, "empty-corr-u")
    );
    assert_eq!(
        summary(&plain, "empty-corr-p"),
        summary(&uncorrelated, "empty-corr-u2")
    );
}

/// The checker on its own: a sound summary passes, each kind of nonsense is named by
/// its JSON path, and problems beyond the first dozen are counted, not listed.
#[test]
fn the_summary_check_names_each_field_at_fault() {
    let good = synth::summary(8, 2, 3);
    assert_eq!(check(&good), Ok(()));
    let problems = |s: &planrisk::report::Summary| check(s).unwrap_err().to_string();
    let mut bad = good.clone();
    bad.joint.all_modeled = Some(Probability {
        p: 5.0,
        ci95: [0.6, 0.4],
    });
    let text = problems(&bad);
    assert!(
        text.contains("joint.all_modeled.p: 5 is not a probability"),
        "{text}"
    );
    assert!(text.contains("does not contain the estimate 5"), "{text}");
    let mut bad = good.clone();
    bad.scenario.horizon = i32::MAX;
    assert!(problems(&bad).contains("scenario.horizon"));
    let mut bad = good.clone();
    bad.convergence.ids.push("extra".into());
    let n = bad.convergence.ids.len();
    let text = problems(&bad);
    let expected = format!("convergence.p_hit: has {} entries, expected {n}", n - 1);
    assert!(text.contains(&expected), "{text}");
    // A barometer with a year missing, a row too short and a reversed interval.
    let mut bad = good.clone();
    let base = bad.scenario.base_year;
    bad.barometer = Some(planrisk::report::summary::Barometer {
        years: vec![base, base + 2],
        targets: vec![planrisk::report::summary::BarometerTarget {
            id: "t".into(),
            binding: false,
            p_hit: vec![0.5],
            p_hit_ci95: vec![[0.6, 0.4], [0.4, 0.6]],
        }],
    });
    let text = problems(&bad);
    for needle in [
        "barometer.years: must run year by year",
        "barometer.targets[0].p_hit: has 1 entries, expected 2",
        "barometer.targets[0].p_hit_ci95[0]: [0.6, 0.4] does not contain the estimate 0.5",
    ] {
        assert!(text.contains(needle), "`{needle}` not in {text}");
    }
    let mut bad = good;
    bad.joint.k_missed = vec![-3.0; 40];
    let text = problems(&bad);
    assert!(
        text.contains("joint.k_missed: 40 entries for 8 targets"),
        "{text}"
    );
    assert!(text.contains("… and"), "{text}");
}
