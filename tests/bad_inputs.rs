//! Bad input never crashes planrisk or loses work.
//!
//! Every file in tests/bad_inputs/ is a broken scenario (mostly tests/fixtures/mini.toml
//! with one thing broken). Its header says what `planrisk validate` must print:
//!
//! ```text
//! # expect: <a fragment of the message>       (one line per fragment)
//! # expect-at: <file>:<line>:<column>         (where the error is reported)
//! ```
//!
//! Files that cannot carry a header (empty, UTF-16, a directory) have it in a sidecar
//! `<name>.expect`. Files in tests/bad_inputs/parents/ are parents named by `extends`,
//! not cases. Each case must exit with code 2, print its fragments and a
//! `--> file:line:column` location, and never panic. `planrisk run` must refuse bad
//! scenarios and flags with exit code 2 before writing anything.
//!
//! tests/bad_outcomes/ holds broken realized-outcomes files for `planrisk backtest` on
//! the fixture, each with its `.expect` sidecar (a CSV has no comments); `backtest`
//! must refuse each the same way, before writing anything.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_planrisk");
const CORPUS: &str = "tests/bad_inputs";
const OUTCOMES_CORPUS: &str = "tests/bad_outcomes";
const MINI: &str = "tests/fixtures/mini.toml";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs planrisk from the repository root (so paths in messages are relative).
fn planrisk(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .expect("run planrisk")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh, empty directory for one test.
fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("planrisk-bad-inputs-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

/// Every path under `dir`, sorted, to compare before and after a command.
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        if let Ok(rd) = std::fs::read_dir(&d) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p.clone());
                }
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

struct Case {
    /// Path relative to the repository root.
    path: String,
    expect: Vec<String>,
    at: Option<String>,
}

fn cases() -> Vec<Case> {
    cases_in(CORPUS)
}

/// The cases of the corpus in `corpus` (relative to the repository root).
fn cases_in(corpus: &str) -> Vec<Case> {
    let dir = root().join(corpus);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{corpus}: {e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "parents" && !n.ends_with(".expect") && !n.starts_with('.'))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let sidecar = dir.join(format!("{name}.expect"));
            let header = if sidecar.exists() {
                std::fs::read(&sidecar)
            } else {
                std::fs::read(dir.join(&name))
            }
            .unwrap_or_else(|e| panic!("{name}: cannot read its header: {e}"));
            let header = String::from_utf8_lossy(&header);
            let field = |key: &str| {
                header
                    .lines()
                    .take_while(|l| l.starts_with('#'))
                    .filter_map(|l| l.strip_prefix(key))
                    .map(|v| v.trim().to_string())
                    .collect::<Vec<_>>()
            };
            let expect = field("# expect:");
            assert!(
                !expect.is_empty(),
                "{name} has no `# expect:` line (nor a {name}.expect sidecar)"
            );
            Case {
                path: format!("{corpus}/{name}"),
                expect,
                at: field("# expect-at:").into_iter().next(),
            }
        })
        .collect()
}

/// The `file:line:column` of every `--> ` line, checked to end in two numbers.
fn locations(err: &str) -> Vec<&str> {
    err.lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .filter(|loc| {
            let mut parts = loc.rsplitn(3, ':');
            let (col, line, file) = (parts.next(), parts.next(), parts.next());
            let number = |s: Option<&str>| {
                s.is_some_and(|s| {
                    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s != "0"
                })
            };
            number(col) && number(line) && file.is_some_and(|f| !f.is_empty())
        })
        .collect()
}

/// Problems with one run of a bad input, or none. `located`: the error is about a file,
/// so it must say where (flag errors need not).
fn check(
    what: &str,
    o: &Output,
    expect: &[String],
    located: bool,
    at: Option<&str>,
) -> Vec<String> {
    let err = stderr(o);
    let mut problems = Vec::new();
    if o.status.code() != Some(2) {
        problems.push(format!(
            "{what}: exit code {:?}, expected 2",
            o.status.code()
        ));
    }
    for f in expect {
        if !err.contains(f.as_str()) {
            problems.push(format!("{what}: stderr lacks `{f}`"));
        }
    }
    let locs = locations(&err);
    if located && locs.is_empty() {
        problems.push(format!("{what}: no `--> file:line:column` location"));
    }
    if let Some(at) = at {
        if !locs.iter().any(|l| {
            l.ends_with(at) && (l.len() == at.len() || l[..l.len() - at.len()].ends_with('/'))
        }) {
            problems.push(format!(
                "{what}: no location ending in {at} (found {locs:?})"
            ));
        }
    }
    if err.contains("panicked") || err.contains("RUST_BACKTRACE") {
        problems.push(format!("{what}: panicked"));
    }
    if !problems.is_empty() {
        problems.push(format!("--- stderr of {what}:\n{err}"));
    }
    problems
}

#[test]
fn corpus_is_large_and_varied() {
    let cases = cases();
    assert!(cases.len() >= 45, "only {} bad inputs", cases.len());
    // Some cases repeat an error in another setting (inside an `extends` parent, in a
    // child); most must be different errors.
    let mut fragments: Vec<&String> = cases.iter().map(|c| &c.expect[0]).collect();
    fragments.sort();
    fragments.dedup();
    assert!(
        fragments.len() >= 45,
        "only {} distinct errors",
        fragments.len()
    );
}

#[test]
fn validate_rejects_every_bad_input_with_a_located_message() {
    let mut problems = Vec::new();
    for case in cases() {
        let o = planrisk(&["validate", &case.path]);
        problems.extend(check(
            &case.path,
            &o,
            &case.expect,
            true,
            case.at.as_deref(),
        ));
        if !o.stdout.is_empty() {
            problems.push(format!(
                "{}: printed to stdout: {}",
                case.path,
                String::from_utf8_lossy(&o.stdout)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn backtest_rejects_every_bad_outcomes_file_before_writing() {
    let cases = cases_in(OUTCOMES_CORPUS);
    assert!(cases.len() >= 8, "only {} bad outcomes files", cases.len());
    let mut problems = Vec::new();
    for case in cases {
        let dir = scratch("outcomes");
        let out = dir.join("out");
        let o = planrisk(&[
            "backtest",
            MINI,
            "--outcomes",
            &case.path,
            "--draws",
            "256",
            "--quiet",
            "--out",
            out.to_str().expect("utf-8 temp path"),
        ]);
        problems.extend(check(
            &case.path,
            &o,
            &case.expect,
            true,
            case.at.as_deref(),
        ));
        if out.exists() {
            problems.push(format!("{}: created {}", case.path, out.display()));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn validate_reports_good_and_bad_files_together() {
    let bad = cases()
        .into_iter()
        .find(|c| c.path.contains("unknown_key_params"))
        .expect("case");
    let o = planrisk(&["validate", MINI, &bad.path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("ok: {MINI}")));
    assert!(stderr(&o).contains(&bad.expect[0]));
}

#[test]
fn validate_accepts_the_fixture_and_bundled_scenarios() {
    let o = planrisk(&[
        "validate",
        MINI,
        "scenarios/national_2011_2015.toml",
        "scenarios/national_2011_2015_weak_growth.toml",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A policy variant is its own scenario laid over its parent, not the parent again.
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("(national_2011_2015_weak_growth:"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

/// `planrisk run` with `args`, into a fresh output directory that must stay absent.
fn run_refused(tag: &str, args: &[&str], expect: &[&str], located: bool) -> Vec<String> {
    let dir = scratch(tag);
    let out = dir.join("out");
    let before = listing(&dir);
    let mut all = vec!["run", "-q", "--out", out.to_str().expect("utf-8 temp path")];
    all.extend_from_slice(args);
    let o = planrisk(&all);
    let expect: Vec<String> = expect.iter().map(|s| s.to_string()).collect();
    let mut problems = check(
        &format!("run {}", args.join(" ")),
        &o,
        &expect,
        located,
        None,
    );
    if out.exists() {
        problems.push(format!("run {}: created {}", args.join(" "), out.display()));
    }
    if listing(&dir) != before {
        problems.push(format!(
            "run {}: wrote into {}",
            args.join(" "),
            dir.display()
        ));
    }
    let _ = std::fs::remove_dir_all(&dir);
    problems
}

#[test]
fn run_refuses_bad_scenarios_before_writing() {
    let mut problems = Vec::new();
    for c in cases().iter().filter(|c| {
        [
            "toml_duplicate_key",
            "unknown_key_params",
            "negative_sd",
            "extends_parent_semantic_error",
            "empty_file",
            "corr_not_psd",
        ]
        .iter()
        .any(|k| c.path.contains(k))
    }) {
        let expect: Vec<&str> = c.expect.iter().map(String::as_str).collect();
        problems.extend(run_refused("scenario", &[&c.path], &expect, true));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn run_refuses_bad_flags_before_writing() {
    let mut problems = Vec::new();
    problems.extend(run_refused(
        "draws0",
        &[MINI, "--draws", "0"],
        &["draws must be at least 1"],
        false,
    ));
    problems.extend(run_refused(
        "threads0",
        &[MINI, "--threads", "0"],
        &["--threads must be at least 1"],
        false,
    ));
    problems.extend(run_refused(
        "precision",
        &[MINI, "--precision", "0.7"],
        &["precision 0.7 must lie in (0, 0.5)"],
        false,
    ));
    problems.extend(run_refused(
        "missing",
        &["tests/bad_inputs/no_such_file.toml"],
        &["no such file"],
        true,
    ));
    // clap's own errors: not a number, unknown sampler.
    problems.extend(run_refused(
        "draws-neg",
        &[MINI, "--draws", "-1"],
        &["-1"],
        false,
    ));
    problems.extend(run_refused(
        "sampler",
        &[MINI, "--sampler", "bogus"],
        &["bogus"],
        false,
    ));
    problems.extend(run_refused(
        "threads-abc",
        &[MINI, "--threads", "abc"],
        &["--threads"],
        false,
    ));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn run_refuses_bad_given_conditions() {
    let mut problems = Vec::new();
    for (given, expect) in [
        (
            "g_stel < 0.1",
            &[
                "neither a parameter nor a modeled target",
                "did you mean `g_steel`",
            ][..],
        ),
        ("g_steel 0.1", &["has no comparison"][..]),
        ("g_steel < abc", &["is not a number"][..]),
        ("g_steel < nan", &["is not a number"][..]),
        ("< 0.1", &["neither a parameter nor a modeled target"][..]),
        (
            "labs > 3",
            &["neither a parameter nor a modeled target"][..],
        ),
    ] {
        problems.extend(run_refused(
            "given",
            &[MINI, "--given", given],
            expect,
            false,
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn run_refuses_an_unwritable_output_directory_and_writes_nothing() {
    let dir = scratch("unwritable");
    let file = dir.join("a_file");
    std::fs::write(&file, b"keep me").expect("write");
    let under_file = file.join("out");
    let before = listing(&dir);
    for out in [
        under_file.to_str().expect("utf-8"),
        file.to_str().expect("utf-8"),
        "/proc/planrisk-test-out",
    ] {
        let o = planrisk(&["run", "-q", "--draws", "100", "--out", out, MINI]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "--out {out}: {err}");
        assert!(
            err.contains("cannot write to output directory"),
            "--out {out}: {err}"
        );
        assert!(!err.contains("panicked"), "--out {out}: {err}");
    }
    assert_eq!(
        listing(&dir),
        before,
        "files appeared next to the unwritable output"
    );
    assert_eq!(std::fs::read(&file).expect("read"), b"keep me");
    assert!(!Path::new("/proc/planrisk-test-out").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `planrisk <args> | head -1`: the reader goes away after `lines` lines.
fn closed_pipe(args: &[&str], lines: usize) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    for _ in 0..lines {
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
    }
    drop(reader);
    child.wait_with_output().expect("wait")
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    let big = "scenarios/china_provinces_2011_2015.toml";
    for (args, lines) in [
        (&["targets", big][..], 0),
        (&["targets", big][..], 1),
        (&["targets", MINI][..], 0),
        (&["validate", MINI, big][..], 0),
    ] {
        let o = closed_pipe(args, lines);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
    }
}
