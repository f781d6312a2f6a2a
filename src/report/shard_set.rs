//! Checking a set of partial-result files before a merge: exactly one file per shard,
//! each from the same run (same program version, scenario, seed, draws, sampler,
//! conditions and shard count) and covering the chunks its index says. Every problem
//! is listed at once, with the shard indices to run again.

use super::partial::{PartialHeader, RunKey};
use crate::sim::shard::Shard;
use std::collections::BTreeSet;
use std::fmt;

/// A file whose header could be read.
#[derive(Debug, Clone)]
pub struct Found {
    /// The file, as named.
    pub file: String,
    /// Its header.
    pub header: PartialHeader,
}

/// One thing wrong with the set.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// No file for this shard.
    Missing(u64),
    /// More than one file for this shard.
    Duplicate {
        /// The shard.
        shard: u64,
        /// The files that claim it.
        files: Vec<String>,
    },
    /// A file of another run (or another build).
    Mismatch {
        /// The file.
        file: String,
        /// The shard it claims to be.
        shard: u64,
        /// What differs from the rest of the set.
        differences: Vec<String>,
    },
    /// A file that cannot be used (unreadable, damaged, wrong chunks); `shard` when its
    /// header said which.
    Damaged {
        /// The file.
        file: String,
        /// The shard its header names, if readable.
        shard: Option<u64>,
        /// What is wrong.
        reason: String,
    },
}

/// Why a set cannot be merged, and which shards to run again.
#[derive(Debug, Clone, PartialEq)]
pub struct SetProblems {
    /// Number of shards of the run.
    pub shards: u64,
    /// Everything wrong, file by file.
    pub problems: Vec<Problem>,
    /// Shards with no usable file, in order.
    pub resubmit: Vec<u64>,
}

impl SetProblems {
    /// "1,2,4-33": the form `sbatch --array=` takes.
    pub fn resubmit_list(&self) -> String {
        self.resubmit_tasks(0)
    }

    /// The array task ids of the shards to resubmit, when shard i is task
    /// `offset + i` (a sweep's array runs every variant's shards).
    pub fn resubmit_tasks(&self, offset: u64) -> String {
        let tasks: Vec<u64> = self.resubmit.iter().map(|i| i + offset).collect();
        ranges(&tasks)
    }
}

/// Sorted numbers as a list with runs collapsed: 1,2,4-33.
fn ranges(v: &[u64]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        out.push(match j - i {
            0 => v[i].to_string(),
            1 => format!("{},{}", v[i], v[j]),
            _ => format!("{}-{}", v[i], v[j]),
        });
        i = j + 1;
    }
    out.join(",")
}

impl fmt::Display for SetProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the set of {} shards cannot be merged:", self.shards)?;
        // Listed by shard (files that said no shard first), missing shards as ranges.
        let mut problems: Vec<&Problem> = self.problems.iter().collect();
        problems.sort_by_key(|p| shard_of(p).map_or(0, |i| i + 1));
        let missing: Vec<u64> = problems
            .iter()
            .filter_map(|p| match p {
                Problem::Missing(i) => Some(*i),
                _ => None,
            })
            .collect();
        if !missing.is_empty() {
            writeln!(f, "  missing: shard {}", ranges(&missing))?;
        }
        for p in problems {
            match p {
                Problem::Missing(_) => {}
                Problem::Duplicate { shard, files } => writeln!(
                    f,
                    "  shard {shard}: {} files ({}); keep one",
                    files.len(),
                    files.join(", ")
                )?,
                Problem::Mismatch {
                    file,
                    shard,
                    differences,
                } => writeln!(
                    f,
                    "  shard {shard}: {file} belongs to another run ({})",
                    differences.join("; ")
                )?,
                Problem::Damaged {
                    file,
                    shard,
                    reason,
                } => match shard {
                    Some(i) => writeln!(f, "  shard {i}: {file}: {reason}")?,
                    None => writeln!(f, "  {file}: {reason}")?,
                },
            }
        }
        if !self.resubmit.is_empty() {
            writeln!(f, "  = resubmit shards {}", self.resubmit_list())?;
        }
        Ok(())
    }
}

/// The run most files belong to (ties: the one of the lowest shard index), or None
/// when no file could be read.
pub fn reference(found: &[Found]) -> Option<RunKey> {
    let count = |k: &RunKey| found.iter().filter(|f| &f.header.run == k).count();
    let first_shard = |k: &RunKey| {
        found
            .iter()
            .filter(|f| &f.header.run == k)
            .map(|f| f.header.shard)
            .min()
    };
    found
        .iter()
        .map(|f| &f.header.run)
        .max_by(|a, b| {
            count(a)
                .cmp(&count(b))
                .then(first_shard(b).cmp(&first_shard(a)))
        })
        .cloned()
}

/// For each shard of `reference`'s run in order, the index into `found` of its one
/// file; or every problem, `unreadable` (files without a readable header) included.
pub fn plan(
    found: &[Found],
    unreadable: Vec<Problem>,
    reference: &RunKey,
) -> Result<Vec<usize>, SetProblems> {
    let mut problems = unreadable;
    let mut resubmit = BTreeSet::new();
    let mut chosen = Vec::new();
    for i in 0..reference.shards {
        let expected = Shard::new(i, reference.shards)
            .and_then(|s| s.chunks(reference.draws))
            .ok();
        let mut good = Vec::new();
        for (n, f) in found
            .iter()
            .enumerate()
            .filter(|(_, f)| f.header.shard == i)
        {
            let differences = f.header.run.differences(reference);
            let range = f.header.chunks[0]..f.header.chunks[1];
            if !differences.is_empty() {
                problems.push(Problem::Mismatch {
                    file: f.file.clone(),
                    shard: i,
                    differences,
                });
            } else if Some(&range) != expected.as_ref() {
                problems.push(Problem::Damaged {
                    file: f.file.clone(),
                    shard: Some(i),
                    reason: format!("holds chunks {range:?}, shard {i} runs {expected:?}"),
                });
            } else {
                good.push(n);
            }
        }
        match good.as_slice() {
            [one] => chosen.push(*one),
            [] => {
                if !problems.iter().any(|p| shard_of(p) == Some(i)) {
                    problems.push(Problem::Missing(i));
                }
                resubmit.insert(i);
            }
            many => problems.push(Problem::Duplicate {
                shard: i,
                files: many.iter().map(|&n| found[n].file.clone()).collect(),
            }),
        }
    }
    for f in found.iter().filter(|f| f.header.shard >= reference.shards) {
        problems.push(Problem::Mismatch {
            file: f.file.clone(),
            shard: f.header.shard,
            differences: f.header.run.differences(reference),
        });
    }
    // A damaged file of a shard with no good file: that shard is to be run again.
    for p in &problems {
        if let (Some(i), Problem::Damaged { .. }) = (shard_of(p), p) {
            if i < reference.shards && !chosen.iter().any(|&n| found[n].header.shard == i) {
                resubmit.insert(i);
            }
        }
    }
    if problems.is_empty() {
        return Ok(chosen);
    }
    Err(SetProblems {
        shards: reference.shards,
        problems,
        resubmit: resubmit.into_iter().collect(),
    })
}

fn shard_of(p: &Problem) -> Option<u64> {
    match p {
        Problem::Missing(i) => Some(*i),
        Problem::Duplicate { shard, .. } | Problem::Mismatch { shard, .. } => Some(*shard),
        Problem::Damaged { shard, .. } => *shard,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::run::CHUNK;

    fn found(shard: u64, seed: u64) -> Found {
        let draws = 8 * CHUNK;
        let r = Shard::new(shard, 4).unwrap().chunks(draws).unwrap();
        Found {
            file: format!("s{shard}-{seed}.part"),
            header: PartialHeader {
                program: "planrisk".into(),
                run: RunKey {
                    format: 1,
                    version: "1".into(),
                    scenario_sha256: "0".repeat(64),
                    seed,
                    draws,
                    sampler: "mc".into(),
                    conditions: vec![],
                    shards: 4,
                    inside_view: false,
                },
                scenario_id: "s".into(),
                scenario_path: "/s.toml".into(),
                shard,
                chunks: [r.start, r.end],
                payload_bytes: 0,
                payload_sha256: String::new(),
            },
        }
    }

    #[test]
    fn a_complete_set_is_planned_in_shard_order() {
        let set = vec![found(2, 1), found(0, 1), found(3, 1), found(1, 1)];
        let key = reference(&set).unwrap();
        assert_eq!(plan(&set, vec![], &key).unwrap(), vec![1, 3, 0, 2]);
    }

    #[test]
    fn missing_duplicate_and_mismatched_shards_are_named() {
        let mut dup = found(0, 1);
        dup.file = "copy.part".into();
        let set = vec![found(0, 1), dup, found(1, 1), found(3, 5)];
        let key = reference(&set).unwrap();
        assert_eq!(key.seed, 1);
        let err = plan(&set, vec![], &key).unwrap_err();
        assert_eq!(err.resubmit, vec![2, 3]);
        let text = err.to_string();
        assert!(
            text.contains("shard 0: 2 files (s0-1.part, copy.part)"),
            "{text}"
        );
        assert!(text.contains("missing: shard 2\n"), "{text}");
        assert!(
            text.contains("shard 3: s3-5.part belongs to another run (seed 5, not 1)"),
            "{text}"
        );
        assert!(text.contains("= resubmit shards 2,3"), "{text}");
    }

    #[test]
    fn runs_of_shards_are_written_as_ranges() {
        assert_eq!(ranges(&[1, 2, 4, 5, 6, 7, 9]), "1,2,4-7,9");
        assert_eq!(ranges(&[]), "");
    }

    #[test]
    fn a_file_with_the_wrong_chunks_is_damaged() {
        let mut bad = found(1, 1);
        bad.header.chunks = [0, 8];
        let set = vec![found(0, 1), bad, found(2, 1), found(3, 1)];
        let err = plan(&set, vec![], &reference(&set).unwrap()).unwrap_err();
        assert_eq!(err.resubmit, vec![1]);
    }
}
