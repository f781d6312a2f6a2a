//! Tests on a real one-node Slurm cluster (Debian's slurm-wlm and munge, installed and
//! started by `cluster.sh` when missing). Where Slurm cannot be installed or started,
//! these tests fail with the reason; they never skip.

mod cluster;
#[path = "../common/mod.rs"]
mod common;

use cluster::Cluster;
use std::time::Duration;

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
