//! An output directory holds exactly one run's results: kills at every point of writing
//! (injected deterministically through `PLANRISK_FAULT`), Ctrl-C, a second run at the
//! same time and a full disk all leave the previous complete set; stale staging is
//! cleaned by the next run; files planrisk did not write are never replaced.

mod common;
use common::temp_dir;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const MINI: &str = "tests/fixtures/mini.toml";

fn planrisk(args: &[&str], fault: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_planrisk"));
    c.args(args);
    if let Some(f) = fault {
        c.env("PLANRISK_FAULT", f);
    }
    c.output().expect("run planrisk")
}

/// `planrisk run mini.toml --draws 2000 --seed S --out DIR` (+ extra), under a fault.
fn run(out: &Path, seed: u64, extra: &[&str], fault: Option<&str>) -> Output {
    let seed = seed.to_string();
    let mut args = vec![
        "run",
        MINI,
        "--draws",
        "2000",
        "--seed",
        &seed,
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    planrisk(&args, fault)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: Output) -> Output {
    assert!(o.status.success(), "planrisk failed: {}", stderr(&o));
    o
}

/// Every file under `dir` with its contents, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, d: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Checks that `dir` holds exactly the files its manifest lists, with their sizes and
/// hashes; returns the summary.json bytes.
fn assert_whole_set(dir: &Path) -> Vec<u8> {
    let files = snapshot(dir);
    let manifest: serde_json::Value =
        serde_json::from_slice(&files["manifest.json"]).expect("manifest.json");
    let listed = manifest["files"].as_array().expect("files");
    assert_eq!(listed.len() + 1, files.len(), "files on disk ≠ manifest");
    for f in listed {
        let path = f["path"].as_str().unwrap();
        let bytes = files.get(path).unwrap_or_else(|| panic!("{path} missing"));
        assert_eq!(f["bytes"].as_u64(), Some(bytes.len() as u64), "{path} size");
        let hash = format!("{:x}", Sha256::digest(bytes));
        assert_eq!(f["sha256"].as_str(), Some(hash.as_str()), "{path} hash");
    }
    files["summary.json"].clone()
}

/// What planrisk keeps beside `dir` (staging, parked sets, lock file), by name.
fn leftovers(dir: &Path) -> Vec<String> {
    let prefix = format!(".{}.planrisk-", dir.file_name().unwrap().to_string_lossy());
    let mut out: Vec<String> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix))
        .collect();
    out.sort();
    out
}

/// A fresh parent directory and the output directory `out` inside it (not created).
fn fresh(tag: &str) -> PathBuf {
    temp_dir(tag).join("out")
}

#[test]
fn a_kill_at_any_point_of_writing_leaves_the_previous_complete_set() {
    let out = fresh("kill");
    ok(run(&out, 1, &[], None));
    let first = snapshot(&out);
    assert_whole_set(&out);
    let files = first.len() - 1;
    for point in [
        "file:1".to_string(),
        "file:3".into(),
        format!("file:{files}"),
        "before-switch".into(),
    ] {
        let o = run(&out, 2, &[], Some(&format!("kill@{point}")));
        assert_eq!(o.status.signal(), Some(9), "{point}: {}", stderr(&o));
        assert!(snapshot(&out) == first, "{point}: the previous set changed");
        let left = leftovers(&out);
        assert!(
            left.iter().any(|n| n.starts_with(".out.planrisk-staging-")),
            "{point}: a killed run leaves its staging behind: {left:?}"
        );
    }
    // The next run removes what the dead ones left and writes a whole new set.
    let summary = ok(run(&out, 3, &[], None));
    assert!(summary.status.success());
    assert_eq!(leftovers(&out), Vec::<String>::new());
    assert_whole_set(&out);
    assert!(snapshot(&out) != first);
}

#[test]
fn a_kill_after_the_switch_leaves_the_new_set() {
    let out = fresh("kill-after");
    ok(run(&out, 1, &[], None));
    let o = run(&out, 2, &["--no-charts"], Some("kill@after-switch"));
    assert_eq!(o.status.signal(), Some(9), "{}", stderr(&o));
    assert_whole_set(&out);
    assert!(!out.join("charts").exists(), "the new set has no charts");
    assert!(
        !leftovers(&out).is_empty(),
        "the previous set is left to delete"
    );
    ok(run(&out, 3, &["--no-charts"], None));
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

#[test]
fn the_two_rename_switch_is_repaired_by_the_next_run() {
    let out = fresh("two-renames");
    ok(run(&out, 1, &[], None));
    let first = snapshot(&out);
    // Without RENAME_EXCHANGE a whole set still replaces the previous one.
    ok(run(&out, 2, &[], Some("no-exchange")));
    assert_whole_set(&out);
    assert_eq!(leftovers(&out), Vec::<String>::new());
    ok(run(&out, 1, &[], None));
    assert!(snapshot(&out)["summary.json"] == first["summary.json"]);
    let first = snapshot(&out);
    // Killed between the renames: the output directory is missing, the set parked.
    let o = run(&out, 2, &[], Some("kill@between-renames"));
    assert_eq!(o.status.signal(), Some(9), "{}", stderr(&o));
    assert!(!out.exists());
    assert!(leftovers(&out)
        .iter()
        .any(|n| n.starts_with(".out.planrisk-old-")));
    // The next run puts it back first (killed right after, the restored set shows).
    let o = run(&out, 4, &[], Some("kill@file:1"));
    assert_eq!(o.status.signal(), Some(9), "{}", stderr(&o));
    assert!(snapshot(&out) == first, "the parked set was restored");
    ok(run(&out, 4, &[], None));
    assert_whole_set(&out);
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

#[test]
fn ctrl_c_while_writing_exits_130_and_changes_nothing() {
    let out = fresh("ctrl-c");
    ok(run(&out, 1, &[], None));
    let first = snapshot(&out);
    let o = run(&out, 2, &[], Some("interrupt@file:2"));
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(stderr(&o).contains("was not changed"), "{}", stderr(&o));
    assert!(snapshot(&out) == first);
    assert_eq!(
        leftovers(&out),
        Vec::<String>::new(),
        "staging and lock removed"
    );
}

#[test]
fn a_second_run_into_the_same_directory_fails_at_once() {
    let out = fresh("lock");
    ok(run(&out, 1, &["--no-charts"], None));
    let first = snapshot(&out);
    // The first run stops (SIGSTOP) holding the lock after writing one file.
    let mut held = Command::new(env!("CARGO_BIN_EXE_planrisk"))
        .args(["run", MINI, "--draws", "2000", "--quiet", "--out"])
        .arg(&out)
        .env("PLANRISK_FAULT", "stop@file:1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stat = format!("/proc/{}/stat", held.id());
    let start = Instant::now();
    while !std::fs::read_to_string(&stat).is_ok_and(|s| s.split(' ').nth(2) == Some("T")) {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "first run never stopped"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let started = Instant::now();
    let o = run(&out, 2, &["--no-charts"], None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let msg = stderr(&o);
    assert!(
        msg.contains("is being written by another planrisk run")
            && msg.contains(&format!("pid {}", held.id())),
        "{msg}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "it must not wait"
    );
    held.kill().expect("kill the first run");
    held.wait().expect("reap");
    assert!(snapshot(&out) == first);
    ok(run(&out, 2, &["--no-charts"], None));
    assert_whole_set(&out);
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

#[test]
fn files_planrisk_did_not_write_are_never_replaced() {
    // `planrisk run targets.csv --out .` in a folder holding the scenario.
    let dir = temp_dir("foreign");
    let scenario = dir.join("targets.csv");
    std::fs::copy(MINI, &scenario).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_planrisk"))
        .args(["run", "targets.csv", "--draws", "500", "--out", "."])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is not a planrisk output") && stderr(&o).contains("targets.csv"));
    assert_eq!(
        std::fs::read(&scenario).unwrap(),
        std::fs::read(MINI).unwrap()
    );
    assert_eq!(snapshot(&dir).len(), 1, "nothing added");
    assert_eq!(leftovers(&dir), Vec::<String>::new());

    // A user's file inside a previous output stops the next run, then is kept.
    let out = fresh("foreign-in-set");
    ok(run(&out, 1, &["--no-charts"], None));
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = run(&out, 2, &["--no-charts"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("notes.txt"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    std::fs::remove_file(out.join("notes.txt")).unwrap();

    // A file where the directory should be.
    let file = temp_dir("foreign-file").join("out");
    std::fs::write(&file, "x").unwrap();
    assert_eq!(run(&file, 1, &[], None).status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn a_symlinked_output_directory_is_written_through_and_kept() {
    let root = temp_dir("symlink");
    let real = root.join("real");
    std::fs::create_dir(&real).unwrap();
    let link = root.join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    ok(run(&link, 1, &["--no-charts"], None));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_whole_set(&real);
    let dangling = root.join("dangling");
    std::os::unix::fs::symlink(root.join("nowhere"), &dangling).unwrap();
    let o = run(&dangling, 1, &["--no-charts"], None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn each_run_replaces_the_whole_set_and_the_manifest_lists_it() {
    let out = fresh("whole");
    ok(run(&out, 1, &[], None));
    assert_whole_set(&out);
    assert!(out.join("charts/dashboard.png").is_file());
    // --no-charts: the previous run's charts do not linger beside the new results.
    ok(run(&out, 2, &["--no-charts"], None));
    assert_whole_set(&out);
    assert!(!out.join("charts").exists());
    // `chart` redraws into a new whole set without changing a result.
    let before = std::fs::read(out.join("summary.json")).unwrap();
    ok(planrisk(
        &["chart", out.to_str().unwrap(), "--lang", "en"],
        None,
    ));
    assert_eq!(assert_whole_set(&out), before);
    assert!(out.join("charts/dashboard.png").is_file());
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

/// Runs `script` as root in a private mount namespace, so that it can mount a tmpfs
/// without touching the host; the script exits 90 when its mount fails. Says why when
/// neither plain `unshare` (as root) nor a user namespace works here.
fn in_mount_namespace(script: &str) -> Result<Output, String> {
    let attempts: [&[&str]; 2] = [&["--mount"], &["--user", "--map-root-user", "--mount"]];
    let mut why = Vec::new();
    for flags in attempts {
        match Command::new("unshare")
            .args(flags)
            .args(["sh", "-c", script])
            .output()
        {
            Ok(o) if o.status.code() == Some(90) || stderr(&o).starts_with("unshare:") => why.push(
                format!("unshare {}: {}", flags.join(" "), stderr(&o).trim()),
            ),
            Ok(o) => return Ok(o),
            Err(e) => why.push(format!("unshare: {e}")),
        }
    }
    Err(why.join("; "))
}

#[test]
fn a_full_disk_leaves_the_previous_set_and_says_where() {
    let host = temp_dir("full-disk");
    let mnt = host.join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let bin = env!("CARGO_BIN_EXE_planrisk");
    let mini = std::fs::canonicalize(MINI).unwrap();
    // A 3 MB file system: one set with charts fits, a second beside it does not.
    let script = format!(
        r#"set -u
mount -t tmpfs -o size=3m none {mnt} || exit 90
{bin} run {mini} --draws 2000 --quiet --out {mnt}/out > /dev/null 2> {host}/first.err
echo $? > {host}/first.code
cp -r {mnt}/out {host}/before
{bin} run {mini} --draws 2000 --seed 9 --quiet --out {mnt}/out > /dev/null 2> {host}/second.err
echo $? > {host}/second.code
cp -r {mnt}/out {host}/after
ls -A {mnt} > {host}/listing
"#,
        mnt = mnt.display(),
        host = host.display(),
        bin = bin,
        mini = mini.display()
    );
    let o = match in_mount_namespace(&script) {
        Ok(o) => o,
        Err(why) => {
            println!("SKIPPED a_full_disk_leaves_the_previous_set_and_says_where: cannot mount a small file system here ({why})");
            return;
        }
    };
    assert!(o.status.success(), "script: {}", stderr(&o));
    let read = |f: &str| std::fs::read_to_string(host.join(f)).unwrap();
    assert_eq!(read("first.code").trim(), "0", "{}", read("first.err"));
    assert_eq!(read("second.code").trim(), "2", "{}", read("second.err"));
    let err = read("second.err");
    assert!(
        err.contains("No space left on device") && err.contains(&format!("{}/out/", mnt.display())),
        "the message names the file that could not be written: {err}"
    );
    assert!(
        !err.contains("internal error") && !err.contains("Custom {"),
        "{err}"
    );
    assert!(snapshot(&host.join("before")) == snapshot(&host.join("after")));
    assert_whole_set(&host.join("after"));
    assert_eq!(read("listing").trim(), "out", "staging and lock removed");
}
