//! `planrisk run --shard i/N` and `planrisk merge` end to end, through the files: the
//! merged results equal a one-machine run byte for byte for mc, lhs and sobol, and a
//! set with missing, duplicate, mismatched or damaged shards is refused (exit 3) with
//! the shards to run again.

mod common;
use common::{temp_dir, without_barometer};
use std::path::Path;
use std::process::{Command, Output};

const NATIONAL: &str = "scenarios/national_2011_2015.toml";
/// 35 chunks: past the 16 384 rank rows, the 65 536 fan draws and the first Sobol
/// block, with a short last chunk.
const DRAWS: &str = "70000";

fn planrisk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planrisk"))
        .args(args)
        .output()
        .expect("run planrisk")
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn shard(dir: &Path, i: u64, n: u64, extra: &[&str]) -> Output {
    let spec = format!("{i}/{n}");
    let mut args = vec!["run", NATIONAL, "--draws", DRAWS, "--quiet"];
    args.extend_from_slice(&["--shard", &spec, "--out", dir.to_str().unwrap()]);
    args.extend_from_slice(extra);
    planrisk(&args)
}

fn merge(parts: &Path, out: &Path) -> Output {
    planrisk(&[
        "merge",
        parts.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-charts",
    ])
}

#[test]
fn merged_shards_equal_one_machine_results_for_every_sampler() {
    for sampler in ["mc", "lhs", "sobol"] {
        let dir = temp_dir(&format!("shards-{sampler}"));
        let one = dir.join("one");
        let extra = ["--sampler", sampler, "--given", "g_steel < 0.1"];
        let mut args = vec!["run", NATIONAL, "--draws", DRAWS, "--quiet", "--no-charts"];
        args.extend_from_slice(&["--out", one.to_str().unwrap()]);
        args.extend_from_slice(&extra);
        ok(planrisk(&args), "one-machine run");
        let parts = dir.join("parts");
        // Cut at chunks 11 and 23: inside the fan draws, before the Sobol block.
        for i in [2, 0, 1] {
            ok(shard(&parts, i, 3, &extra), "shard");
        }
        let merged = dir.join("merged");
        let said = ok(merge(&parts, &merged), "merge");
        assert!(said.contains("merged 3 shards (70000 draws)"), "{said}");
        for f in [
            "summary.json",
            "targets.csv",
            "sensitivity.csv",
            "joint.csv",
        ] {
            let mut a = std::fs::read(one.join(f)).unwrap();
            if f == "summary.json" {
                // The national scenario observes 2013: the one-machine run has a
                // barometer, the merge leaves it out.
                assert!(String::from_utf8_lossy(&a).contains("\"barometer\": {"));
                a = without_barometer(&a);
            }
            let b = std::fs::read(merged.join(f)).unwrap();
            assert!(
                a == b,
                "{sampler}: merged {f} differs from the one-machine run"
            );
        }
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(merged.join("manifest.json")).unwrap()).unwrap();
        assert_eq!(manifest["shards"], 3);
        assert_eq!(manifest["sampler"], sampler);
    }
}

#[test]
fn a_retried_shard_writes_the_same_file() {
    let dir = temp_dir("shard-retry");
    ok(shard(&dir, 1, 30, &[]), "shard");
    let name = dir.join("shard-0001-of-0030.part");
    let first = std::fs::read(&name).unwrap();
    ok(shard(&dir, 1, 30, &["--threads", "1"]), "retried shard");
    assert!(
        first == std::fs::read(&name).unwrap(),
        "a retry changed the file"
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["shard-0001-of-0030.part"],
        "temporary files left behind"
    );
}

#[test]
fn incomplete_and_mixed_sets_are_refused_naming_the_shards_to_rerun() {
    let dir = temp_dir("shard-bad-set");
    let parts = dir.join("parts");
    for i in 0..4 {
        ok(shard(&parts, i, 34, &[]), "shard");
    }
    // Shards 4..33 never ran; shard 2 is from another seed; shard 1 is damaged; a
    // copy of shard 0 sits beside it.
    let other = dir.join("other");
    ok(shard(&other, 2, 34, &["--seed", "5"]), "shard");
    std::fs::copy(
        other.join("shard-0002-of-0034.part"),
        parts.join("shard-0002-of-0034.part"),
    )
    .unwrap();
    std::fs::copy(
        parts.join("shard-0000-of-0034.part"),
        parts.join("copy.part"),
    )
    .unwrap();
    let one = parts.join("shard-0001-of-0034.part");
    let mut bytes = std::fs::read(&one).unwrap();
    *bytes.last_mut().unwrap() ^= 0x40;
    std::fs::write(&one, bytes).unwrap();
    let out = merge(&parts, &dir.join("merged"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("shard 0: 2 files"), "{err}");
    assert!(err.contains("shard 1:") && err.contains("SHA-256"), "{err}");
    assert!(
        err.contains("shard 2:") && err.contains("seed 5, not"),
        "{err}"
    );
    assert!(err.contains("missing: shard 4-33\n"), "{err}");
    assert!(err.contains("= resubmit shards 1,2,4-33\n"), "{err}");
    assert!(!dir.join("merged").join("summary.json").exists());
}

#[test]
fn a_shard_never_replaces_a_file_it_did_not_write() {
    let dir = temp_dir("shard-foreign");
    let mine = dir.join("shard-0000-of-0002.part");
    std::fs::write(&mine, "a user's notes\n").unwrap();
    let out = shard(&dir, 0, 2, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a planrisk partial-result file"));
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "a user's notes\n");
}

#[test]
fn precision_with_shards_is_refused_with_the_reason() {
    let out = planrisk(&["run", NATIONAL, "--shard", "0/2", "--precision", "0.01"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("precision target cannot be sharded"), "{err}");
}
