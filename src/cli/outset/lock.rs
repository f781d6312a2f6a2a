//! The lock that lets one planrisk process at a time write an output directory: an
//! advisory `flock` on `.<name>.planrisk-lock` beside the directory (not inside it, since
//! the directory itself is swapped out at the end). The kernel drops the lock when the
//! process dies, so a killed run never blocks the next one; the file holds the owner's
//! pid for the message a second run prints.
//!
//! The file is removed on release, while still locked. A process that opened the old
//! file just before may then lock that unlinked file; it notices because the path no
//! longer leads to the file it holds, and starts over.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// A held lock; released (and its file removed) on drop.
pub struct DirLock {
    path: PathBuf,
    file: File,
}

/// Why the lock was not taken.
pub enum LockError {
    /// Another process holds it; its pid when the file says.
    Busy(Option<u32>),
    Io(PathBuf, io::Error),
}

/// The lock file's path for output directory `parent/name`.
pub fn lock_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.planrisk-lock"))
}

impl DirLock {
    /// Takes the lock at once or fails: a second run must not wait behind the first.
    pub fn acquire(path: PathBuf) -> Result<DirLock, LockError> {
        let io = |e| LockError::Io(path.clone(), e);
        // Bounded: each retry means another process released the lock in between.
        for _ in 0..100 {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(io)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let pid = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|s| s.trim().parse().ok());
                    return Err(LockError::Busy(pid));
                }
                Err(TryLockError::Error(e)) => return Err(io(e)),
            }
            let held = file.metadata().map_err(io)?;
            match std::fs::metadata(&path) {
                Ok(now) if (now.dev(), now.ino()) == (held.dev(), held.ino()) => {
                    let mut lock = DirLock { path, file };
                    lock.record_pid()
                        .map_err(|e| LockError::Io(lock.path.clone(), e))?;
                    return Ok(lock);
                }
                _ => continue,
            }
        }
        Err(LockError::Busy(None))
    }

    fn record_pid(&mut self) -> io::Result<()> {
        self.file.set_len(0)?;
        writeln!(self.file, "{}", std::process::id())
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Unlink before unlocking (closing), so no one locks a file about to vanish.
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_and_released_locks_are_reusable() {
        let dir = std::env::temp_dir().join(format!("planrisk-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = lock_path(&dir, "out");
        let first = DirLock::acquire(path.clone()).ok().expect("first lock");
        match DirLock::acquire(path.clone()) {
            Err(LockError::Busy(pid)) => assert_eq!(pid, Some(std::process::id())),
            _ => panic!("second lock must be refused"),
        }
        drop(first);
        assert!(!path.exists(), "released lock file removed");
        let again = DirLock::acquire(path.clone())
            .ok()
            .expect("lock after release");
        drop(again);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
