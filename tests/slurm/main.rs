//! Tests on a real one-node Slurm cluster (Debian's slurm-wlm and munge, installed and
//! started by `cluster.sh` when missing). Where Slurm cannot be installed or started,
//! these tests fail with the reason; they never skip.

mod cluster;
#[path = "../common/mod.rs"]
mod common;

use cluster::Cluster;
use common::planrisk_ok;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const NATIONAL: &str = "scenarios/national_2011_2015.toml";
/// Four chunks: one per shard.
const DRAWS: &str = "8192";
/// Longest a test waits for its jobs.
const PATIENCE: Duration = Duration::from_secs(300);

/// The harness itself: a job array with one failing task, then a job that depends on
/// the array with `afterany`, runs after every task has ended, failed ones included.
#[test]
fn job_array_and_afterany_dependency_run() {
    let _one = Cluster::lock();
    let dir = common::temp_dir("slurm-harness");
    let cluster = Cluster::up(&dir.join("cluster"));
    let jobs = dir.join("jobs");
    std::fs::create_dir_all(&jobs).unwrap();
    let array_script = jobs.join("array.sh");
    std::fs::write(
        &array_script,
        format!(
            "#!/bin/bash\n#SBATCH --array=0-3\n#SBATCH --cpus-per-task=1\n\
             #SBATCH --output={jobs}/task_%a.out\n\
             echo \"task $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT, cpus $SLURM_CPUS_PER_TASK\"\n\
             [ \"$SLURM_ARRAY_TASK_ID\" = 2 ] && exit 3\nexit 0\n",
            jobs = jobs.display()
        ),
    )
    .unwrap();
    let array = cluster.sbatch(&[array_script.to_str().unwrap()]);
    // The dependent job lists what the array left behind: all four outputs must exist
    // when it starts, the failed task's included.
    let after = cluster.sbatch(&[
        &format!("--dependency=afterany:{array}"),
        &format!("--output={}/after.out", jobs.display()),
        "--wrap",
        &format!("cat {}/task_*.out", jobs.display()),
    ]);
    assert_ne!(array, after);
    cluster.wait_empty(Duration::from_secs(120));

    for i in 0..4 {
        let text = std::fs::read_to_string(jobs.join(format!("task_{i}.out")))
            .unwrap_or_else(|e| panic!("task {i} left no output ({e})\n{}", cluster.logs()));
        assert_eq!(text.trim(), format!("task {i} of 4, cpus 1"));
    }
    let after_text = std::fs::read_to_string(jobs.join("after.out"))
        .unwrap_or_else(|e| panic!("the dependent job did not run ({e})\n{}", cluster.logs()));
    let seen: Vec<&str> = after_text.lines().collect();
    assert_eq!(
        seen,
        (0..4)
            .map(|i| format!("task {i} of 4, cpus 1"))
            .collect::<Vec<_>>(),
        "the afterany job ran before every array task had ended"
    );
}

/// The command after `prefix` on a line of `text` (what `planrisk slurm` and a failed
/// merge tell the user to type).
fn command_after(text: &str, prefix: &str) -> String {
    text.lines()
        .find_map(|l| l.trim_start().strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{text}"))
        .trim()
        .to_string()
}

/// A stand-in for the planrisk binary, used through PLANRISK_BIN: shard
/// $FAIL_ONCE_SHARD exits 1 the first time it runs (it leaves $FAIL_MARK), as a task
/// killed by a node failure would; every other call goes to planrisk.
fn fail_once_wrapper(dir: &Path) -> PathBuf {
    let path = dir.join("planrisk-fails-once.sh");
    std::fs::write(
        &path,
        format!(
            "#!/bin/bash\n\
             if [[ \" $* \" == *\" --shard $FAIL_ONCE_SHARD/\"* ]] && [ ! -e \"$FAIL_MARK\" ]; then\n\
             \x20 touch \"$FAIL_MARK\"; echo \"test wrapper: shard $FAIL_ONCE_SHARD fails once\" >&2; exit 1\n\
             fi\n\
             exec {} \"$@\"\n",
            env!("CARGO_BIN_EXE_planrisk")
        ),
    )
    .unwrap();
    let _ = Command::new("chmod").arg("+x").arg(&path).status();
    path
}

/// Runs a submit command as a user would (bash, the cluster's SLURM_CONF, the
/// wrapper as PLANRISK_BIN) and returns the id of the job it submitted last.
fn submit(cluster: &Cluster, command: &str, env: &[(&str, &Path)]) -> String {
    let mut c = cluster.command("bash");
    c.arg("-c").arg(command);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("run the submit command");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{command} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    command_after(&stdout, "Submitted batch job")
}

fn read(path: &Path, cluster: &Cluster) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}\n{}", path.display(), cluster.logs()))
}

/// The whole Slurm recipe: `planrisk slurm` writes the scripts, the shard array runs
/// with shard 2 failing once, the afterany merge job names shard 2 and the command to
/// resubmit it, the resubmitted shard and merge complete the set, and the merged
/// summary.json equals a one-machine run byte for byte.
#[test]
fn a_sharded_run_on_slurm_survives_a_failed_shard_and_matches_one_machine() {
    let _one = Cluster::lock();
    let dir = common::temp_dir("slurm-e2e");
    let cluster = Cluster::up(&dir.join("cluster"));
    let job = dir.join("job");
    let given = "g_steel < 0.1";
    let said = planrisk_ok(&[
        "slurm",
        NATIONAL,
        "--shards",
        "4",
        "--draws",
        DRAWS,
        "--given",
        given,
        "--cpus",
        "1",
        "--time",
        "0:10:00",
        "--no-charts",
        "--out",
        job.to_str().unwrap(),
    ]);
    let first = command_after(&said, "jid=");
    let mark = dir.join("failed-once");
    let wrapper = fail_once_wrapper(&dir);
    let env = [
        ("PLANRISK_BIN", wrapper.as_path()),
        ("FAIL_ONCE_SHARD", Path::new("2")),
        ("FAIL_MARK", mark.as_path()),
    ];
    let merge = submit(&cluster, &format!("jid={first}"), &env);
    cluster.wait_empty(PATIENCE);
    assert!(mark.exists(), "shard 2 never ran through the wrapper");
    let log = read(&job.join(format!("logs/merge-{merge}.out")), &cluster);
    assert!(log.contains("missing: shard 2\n"), "{log}");
    assert!(log.contains("= resubmit shards 2\n"), "{log}");
    assert!(!job.join("results/summary.json").exists());

    let again = command_after(&log, "= help:");
    assert!(again.contains("--array=2 "), "{again}");
    let merge = submit(&cluster, &again, &env);
    cluster.wait_empty(PATIENCE);
    let log = read(&job.join(format!("logs/merge-{merge}.out")), &cluster);
    assert!(log.contains("merged 4 shards (8192 draws)"), "{log}");

    let one = dir.join("one");
    planrisk_ok(&[
        "run",
        NATIONAL,
        "--draws",
        DRAWS,
        "--given",
        given,
        "--no-charts",
        "--quiet",
        "--out",
        one.to_str().unwrap(),
    ]);
    let a = common::without_barometer(&std::fs::read(one.join("summary.json")).unwrap());
    let b = std::fs::read(job.join("results/summary.json")).unwrap();
    assert!(
        a == b,
        "the merged summary.json differs from the one-machine run"
    );
}

/// `planrisk slurm --sweep`: every variant's shards in one array, one merge job that
/// merges each variant and compares them; each variant's results equal a one-machine
/// run of its variant file.
#[test]
fn a_sweep_on_slurm_merges_and_compares_every_variant() {
    let _one = Cluster::lock();
    let dir = common::temp_dir("slurm-sweep");
    let cluster = Cluster::up(&dir.join("cluster"));
    let job = dir.join("job");
    let said = planrisk_ok(&[
        "slurm",
        NATIONAL,
        "--shards",
        "2",
        "--draws",
        "4096",
        "--sweep",
        "params.g_steel.mean=0.04,0.08",
        "--no-charts",
        "--out",
        job.to_str().unwrap(),
    ]);
    assert!(
        said.contains("4 array tasks: 2 run(s) × 2 shards"),
        "{said}"
    );
    let merge = submit(
        &cluster,
        &format!("jid={}", command_after(&said, "jid=")),
        &[],
    );
    cluster.wait_empty(PATIENCE);
    let log = read(&job.join(format!("logs/merge-{merge}.out")), &cluster);
    assert!(
        log.matches("merged 2 shards (4096 draws)").count() == 2,
        "{log}"
    );
    let csv = read(&job.join("comparison/comparison.csv"), &cluster);
    assert!(
        csv.starts_with("target,params_g_steel_mean_0_04,params_g_steel_mean_0_08\n"),
        "{csv}"
    );
    for label in ["params.g_steel.mean=0.04", "params.g_steel.mean=0.08"] {
        let one = dir.join(format!("one-{label}"));
        let variant = job.join(format!("variants/{label}.toml"));
        planrisk_ok(&[
            "run",
            variant.to_str().unwrap(),
            "--draws",
            "4096",
            "--no-charts",
            "--quiet",
            "--out",
            one.to_str().unwrap(),
        ]);
        let a = common::without_barometer(&std::fs::read(one.join("summary.json")).unwrap());
        let b = std::fs::read(job.join(format!("results/{label}/summary.json"))).unwrap();
        assert!(
            a == b,
            "{label}: merged results differ from a one-machine run"
        );
    }
}
