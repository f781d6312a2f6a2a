//! A one-node Slurm cluster for a test: brought up by `cluster.sh up` in a fresh
//! directory, torn down when dropped. Tests that use it take [`Cluster::lock`] first, so
//! at most one cluster runs at a time on the machine's few cores.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A running cluster; its config, state and logs live in `dir`.
pub struct Cluster {
    dir: PathBuf,
    /// How long `cluster.sh up` took (install included when it had to install).
    pub start_time: Duration,
}

impl Cluster {
    /// Serialises the tests that bring up a cluster (a failed test must not poison it).
    pub fn lock() -> MutexGuard<'static, ()> {
        ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a cluster with its files under `dir`; panics with the script's message
    /// when Slurm cannot be installed or started (the test fails, it does not skip).
    pub fn up(dir: &Path) -> Cluster {
        let t0 = Instant::now();
        let out = Command::new("bash")
            .arg(script())
            .arg("up")
            .arg(dir)
            .output()
            .expect("run bash tests/slurm/cluster.sh");
        let cluster = Cluster {
            dir: dir.to_path_buf(),
            start_time: t0.elapsed(),
        };
        if !out.status.success() {
            panic!(
                "could not bring up the one-node Slurm cluster (this test needs Slurm; \
                 it does not skip):\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        eprintln!(
            "slurm cluster up in {:.1} s",
            cluster.start_time.as_secs_f64()
        );
        cluster
    }

    /// A command of the Slurm client (`sbatch`, `squeue`, …) talking to this cluster.
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("SLURM_CONF", self.dir.join("slurm.conf"));
        c
    }

    /// Runs `sbatch --parsable ARGS` and returns the job id.
    pub fn sbatch(&self, args: &[&str]) -> String {
        self.sbatch_with(args, &[])
    }

    /// `sbatch` with extra environment variables (sbatch exports the submitter's
    /// environment to the job).
    pub fn sbatch_with(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let mut c = self.command("sbatch");
        c.arg("--parsable").args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().expect("run sbatch");
        let stdout = checked(&out, "sbatch");
        // --parsable prints "jobid" or "jobid;cluster".
        stdout.trim().split(';').next().unwrap_or("").to_string()
    }

    /// Waits until the queue is empty; panics (with the daemons' logs) after `limit`.
    pub fn wait_empty(&self, limit: Duration) {
        let t0 = Instant::now();
        loop {
            let out = self
                .command("squeue")
                .arg("-h")
                .output()
                .expect("run squeue");
            if checked(&out, "squeue").trim().is_empty() {
                return;
            }
            if t0.elapsed() > limit {
                panic!(
                    "Slurm jobs still queued after {limit:?}:\n{}\n{}",
                    String::from_utf8_lossy(&out.stdout),
                    self.logs()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The tails of the daemons' logs, for failure messages.
    pub fn logs(&self) -> String {
        ["slurmctld.log", "slurmd.log"]
            .iter()
            .map(|f| {
                let text =
                    std::fs::read_to_string(self.dir.join("log").join(f)).unwrap_or_default();
                let tail: Vec<&str> = text.lines().rev().take(15).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                format!("--- {f}\n{}", tail.join("\n"))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("down")
            .arg(&self.dir)
            .status();
    }
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/slurm/cluster.sh")
}

/// stdout of a finished command; panics with its stderr when it failed.
fn checked(out: &Output, what: &str) -> String {
    if !out.status.success() {
        panic!("{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    String::from_utf8_lossy(&out.stdout).into_owned()
}
