//! One output directory, one run's results: everything a command writes (results,
//! charts, reports, the manifest) goes into a staging directory beside the output
//! directory and is switched in place of it at the end, in one atomic rename.
//!
//! The sequence for output directory `D` in parent `P`:
//! 1. `D` is resolved to an absolute path (a symlink to a directory is followed, so the
//!    link itself is never replaced); `P` is created if missing.
//! 2. The lock `P/.D.planrisk-lock` is taken or the command fails at once ([`lock`]).
//! 3. Holding it, leftovers of dead runs are dealt with ([`recover`]): a previous set
//!    parked by a two-rename switch that was cut short goes back to `D`; every staging
//!    or parked directory of `D` is removed.
//! 4. `D` must be new, empty, or a previous planrisk set and nothing else ([`owner`]).
//! 5. Files are written into `P/.D.planrisk-staging-<pid>`; the manifest (listing every
//!    file with its size and SHA-256) last; then the file system is synced.
//! 6. The staging directory is switched in place of `D` ([`swap`]), `P` is fsynced, the
//!    previous set is deleted and the lock released.
//!
//! Crash windows (a kill, a power cut, a full disk, an error, Ctrl-C):
//! - before the switch: `D` is untouched; the staging directory is removed by this
//!   process on an error or Ctrl-C, by the next run into `D` after a kill;
//! - the switch itself is atomic with `RENAME_EXCHANGE` (ext4, xfs, btrfs, tmpfs…);
//!   with the two-rename fallback `D` is missing between the renames, and the next run
//!   restores it first;
//! - after the switch: `D` holds the complete new set; the previous set sits under the
//!   staging (or parked) name until deleted, by this process or the next run;
//! - a power cut: the staged set is synced to disk before the switch and the parent
//!   after it, so the disk holds one set or the other.
//!
//! The lock file of a killed run stays behind (harmless: the kernel released the lock)
//! and is reused. A staging directory needs room for a second full set while it exists.

mod fault;
mod lock;
mod owner;
mod swap;

pub use owner::listed_files;

use super::output::escape;
use fault::{Faults, Point};
use lock::{DirLock, LockError};
use owner::Contents;
use planrisk::report::manifest::{FileEntry, MANIFEST};
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Why an output set could not be written. Every variant leaves the output directory as
/// it was.
#[derive(Debug)]
pub enum OutError {
    /// Another planrisk process is writing the directory (its pid when known).
    Busy { dir: PathBuf, pid: Option<u32> },
    /// The directory holds files planrisk did not write.
    Foreign {
        dir: PathBuf,
        entries: Vec<String>,
        manifest: bool,
    },
    /// The output path cannot be a directory planrisk writes, and why.
    NotADirectory { path: PathBuf, why: &'static str },
    /// A file-system operation on `path` failed.
    Io {
        dir: PathBuf,
        path: PathBuf,
        source: io::Error,
    },
    /// Ctrl-C before the switch.
    Interrupted { dir: PathBuf },
}

impl OutError {
    /// What went wrong, naming the directory or file.
    pub fn message(&self) -> String {
        match self {
            OutError::Busy { dir, pid } => {
                let who = pid.map_or("another planrisk run".into(), |p| {
                    format!("another planrisk run (pid {p})")
                });
                format!(
                    "output directory {} is being written by {who}",
                    dir.display()
                )
            }
            OutError::Foreign {
                dir,
                entries,
                manifest,
            } => {
                let what = if *manifest {
                    "holds files its planrisk manifest does not list"
                } else {
                    "is not empty and is not a planrisk output (it has no planrisk manifest.json)"
                };
                let shown: Vec<String> = entries.iter().map(|e| escape(e)).collect();
                format!(
                    "output directory {} {what}: {}",
                    dir.display(),
                    shown.join(", ")
                )
            }
            OutError::NotADirectory { path, why } => {
                format!("cannot write to output directory {}: {why}", path.display())
            }
            OutError::Io { dir, path, source } if path.starts_with(dir) && path != dir => {
                format!("cannot write {}: {source}", path.display())
            }
            OutError::Io { dir, path, source } => format!(
                "cannot write to output directory {}: {}: {source}",
                dir.display(),
                path.display()
            ),
            OutError::Interrupted { dir } => {
                format!("nothing was written; {} was not changed", dir.display())
            }
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            OutError::Busy { .. } => "wait for it to finish, or choose another directory with --out".into(),
            OutError::Foreign { .. } => "planrisk never replaces files it did not write; choose a new or empty directory with --out, or move those files away".into(),
            OutError::NotADirectory { .. } => "give a directory (new, empty, or a previous planrisk output) with --out".into(),
            OutError::Io { dir, path, .. } if path.starts_with(dir) && path != dir => format!("{} was not changed; free space or fix the permissions and run again", dir.display()),
            OutError::Io { .. } => "choose a writable directory with --out".into(),
            OutError::Interrupted { .. } => String::new(),
        }
    }
}

/// An output set being written; dropped before [`OutputSet::commit`], it removes its
/// staging directory and leaves the output directory as it was.
pub struct OutputSet {
    dir: PathBuf,
    staging: PathBuf,
    parked: PathBuf,
    files: Vec<FileEntry>,
    cancel: Arc<AtomicBool>,
    faults: Faults,
    lock: Option<DirLock>,
}

/// Staging and parked directories of output directory `name`: `.name.planrisk-<kind>-<pid>`.
fn side_name(name: &str, kind: &str, pid: u32) -> String {
    format!(".{name}.planrisk-{kind}-{pid}")
}

impl OutputSet {
    /// Locks `dir`, cleans up after dead runs, checks that planrisk may replace it and
    /// creates the staging directory. `cancel` is the Ctrl-C flag.
    pub fn open(dir: &Path, cancel: Arc<AtomicBool>) -> Result<OutputSet, OutError> {
        let (parent, name) = resolve(dir)?;
        let dir = parent.join(&name);
        let io = |path: &Path| {
            let (dir, path) = (dir.clone(), path.to_path_buf());
            move |source| OutError::Io { dir, path, source }
        };
        let lock = match DirLock::acquire(lock::lock_path(&parent, &name)) {
            Ok(l) => l,
            Err(LockError::Busy(pid)) => return Err(OutError::Busy { dir, pid }),
            Err(LockError::Io(path, source)) => return Err(OutError::Io { dir, path, source }),
        };
        recover(&parent, &name, &dir).map_err(io(&parent))?;
        let mode = match fs::metadata(&dir) {
            Ok(m) if m.is_dir() => Some(m.permissions()),
            Ok(_) => {
                return Err(OutError::NotADirectory {
                    path: dir,
                    why: "it is a file",
                })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(&dir)(e)),
        };
        if mode.is_some() {
            if let Contents::Foreign { entries, manifest } =
                owner::contents(&dir).map_err(io(&dir))?
            {
                return Err(OutError::Foreign {
                    dir,
                    entries,
                    manifest,
                });
            }
        }
        let pid = std::process::id();
        let staging = parent.join(side_name(&name, "staging", pid));
        fs::create_dir(&staging).map_err(io(&staging))?;
        let set = OutputSet {
            parked: parent.join(side_name(&name, "old", pid)),
            dir: dir.clone(),
            staging: staging.clone(),
            files: Vec::new(),
            cancel,
            faults: Faults::from_env(),
            lock: Some(lock),
        };
        // The new set keeps the permissions the user gave the directory.
        if let Some(mode) = mode {
            fs::set_permissions(&staging, mode).map_err(io(&staging))?;
        }
        Ok(set)
    }

    /// The output directory (absolute).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn io_error(&self, path: &Path) -> impl FnOnce(io::Error) -> OutError {
        let (dir, path) = (self.dir.clone(), path.to_path_buf());
        move |source| OutError::Io { dir, path, source }
    }

    fn check_cancel(&self) -> Result<(), OutError> {
        if self.cancel.load(Ordering::SeqCst) {
            Err(OutError::Interrupted {
                dir: self.dir.clone(),
            })
        } else {
            Ok(())
        }
    }

    /// Writes one file of the set, `rel` being its path inside the output directory
    /// with `/` separators. Errors name the file's final path.
    pub fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<(), OutError> {
        self.check_cancel()?;
        let path = self.staging.join(rel);
        let shown = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(self.io_error(&shown))?;
        }
        write_file(&path, bytes).map_err(self.io_error(&shown))?;
        self.files.push(FileEntry {
            path: rel.to_string(),
            bytes: bytes.len() as u64,
            sha256: format!("{:x}", Sha256::digest(bytes)),
        });
        self.faults.hit(Point::File(self.files.len()), &self.cancel);
        Ok(())
    }

    /// A file already written into the set (`rel` as given to [`OutputSet::write`]).
    pub fn read(&self, rel: &str) -> Option<Vec<u8>> {
        fs::read(self.staging.join(rel)).ok()
    }

    /// Writes the manifest (given the list of every file written) and switches the set
    /// in place of the output directory.
    pub fn commit(
        mut self,
        manifest: impl FnOnce(Vec<FileEntry>) -> io::Result<Vec<u8>>,
    ) -> Result<(), OutError> {
        self.check_cancel()?;
        let shown = self.dir.join(MANIFEST);
        let bytes = manifest(std::mem::take(&mut self.files)).map_err(self.io_error(&shown))?;
        write_file(&self.staging.join(MANIFEST), &bytes).map_err(self.io_error(&shown))?;
        sync_all(&self.staging).map_err(self.io_error(&self.staging))?;
        self.faults.hit(Point::BeforeSwitch, &self.cancel);
        self.check_cancel()?;
        let switched = swap::switch(
            &self.staging,
            &self.dir,
            &self.parked,
            &self.faults,
            &self.cancel,
        )
        .map_err(self.io_error(&self.dir))?;
        self.faults.hit(Point::AfterSwitch, &self.cancel);
        if let Some(parent) = self.dir.parent() {
            // The switch is done; a failing fsync here only weakens power-cut safety.
            let _ = sync_dir(parent);
        }
        if let swap::Switched::Replaced(previous) = switched {
            // Best effort: whatever stays is removed by the next run into this directory.
            let _ = fs::remove_dir_all(previous);
        }
        self.lock = None;
        Ok(())
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if self.lock.is_some() {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// The output directory as (absolute parent, name); the parent is created if missing.
fn resolve(dir: &Path) -> Result<(PathBuf, String), OutError> {
    let io = |path: &Path| {
        let (dir, path) = (dir.to_path_buf(), path.to_path_buf());
        move |source| OutError::Io { dir, path, source }
    };
    let not_a_dir = |path: &Path, why| OutError::NotADirectory {
        path: path.to_path_buf(),
        why,
    };
    let full = if let Ok(meta) = fs::symlink_metadata(dir) {
        if meta.file_type().is_symlink() && fs::metadata(dir).is_err() {
            return Err(not_a_dir(dir, "it is a symbolic link to nothing"));
        }
        // Follows symlinks and removes `.` and `..`.
        fs::canonicalize(dir).map_err(io(dir))?
    } else {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if let Some(file) = parent.ancestors().find(|a| a.is_file()) {
            return Err(not_a_dir(
                dir,
                if file == parent {
                    "its parent is a file"
                } else {
                    "a directory above it is a file"
                },
            ));
        }
        fs::create_dir_all(parent).map_err(io(parent))?;
        let name = dir
            .file_name()
            .ok_or_else(|| not_a_dir(dir, "it has no name"))?;
        fs::canonicalize(parent).map_err(io(parent))?.join(name)
    };
    match (full.parent(), full.file_name().map(|n| n.to_str())) {
        (Some(p), Some(Some(n))) => Ok((p.to_path_buf(), n.to_string())),
        (Some(_), Some(None)) => Err(not_a_dir(dir, "its name is not valid UTF-8")),
        _ => Err(not_a_dir(dir, "it is the root of the file system")),
    }
}

/// Holding the lock, repairs what dead runs left beside `dir`: a previous set parked by
/// an interrupted two-rename switch goes back in place if `dir` is missing; every other
/// staging or parked directory of `dir` is removed (no live run owns one: the lock is
/// ours).
fn recover(parent: &Path, name: &str, dir: &Path) -> io::Result<()> {
    let prefix = format!(".{name}.planrisk-");
    let mut leftovers: Vec<(String, PathBuf)> = Vec::new();
    for e in fs::read_dir(parent)? {
        let e = e?;
        let file_name = e.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let kind = ["staging-", "old-"].into_iter().find_map(|k| {
            let pid = rest.strip_prefix(k)?;
            (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then_some(k)
        });
        if let Some(kind) = kind {
            leftovers.push((kind.to_string(), e.path()));
        }
    }
    leftovers.sort();
    if fs::symlink_metadata(dir).is_err() {
        if let Some(i) = leftovers.iter().position(|(k, _)| k == "old-") {
            let (_, parked) = leftovers.remove(i);
            fs::rename(parked, dir)?;
        }
    }
    for (_, path) in leftovers {
        fs::remove_dir_all(path)?;
    }
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    File::create(path)?.write_all(bytes)
}

/// Makes every file and directory of the staged set durable before the switch. The
/// files are synced after all are written, not one by one as they are written: the
/// first fsync then commits the journal transaction that holds all of them, and the
/// rest find nothing left to do (one by one cost 0.8 s for a national run's 170 files).
fn sync_all(dir: &Path) -> io::Result<()> {
    for e in fs::read_dir(dir)? {
        let e = e?;
        if e.file_type()?.is_dir() {
            sync_all(&e.path())?;
        } else {
            File::open(e.path())?.sync_all()?;
        }
    }
    sync_dir(dir)
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}
