//! Switching a finished staging directory in place of the output directory.
//!
//! On Linux the switch is one `renameat2(…, RENAME_EXCHANGE)`: the two directories trade
//! names atomically, so every reader sees either the whole previous set or the whole new
//! one, and the previous set ends up under the staging name to be deleted. A missing
//! output directory is created by one `rename` (with `RENAME_NOREPLACE`, so a directory
//! that appeared meanwhile is never replaced).
//!
//! Where the file system does not support the exchange (NFS, some FUSE file systems,
//! kernels before 3.15) or off Linux, two renames are used: the output directory is
//! renamed to `.<name>.planrisk-old-<pid>`, then the staging directory to the output
//! name. Between the two the output directory does not exist; a process killed there
//! leaves the previous set under the old name, and the next run into that directory
//! puts it back before anything else ([`super::recover`]).

use super::fault::{Faults, Point};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// How the new set was put in place; where the previous set now is, if there was one.
pub enum Switched {
    /// There was no output directory.
    Created,
    /// The previous set is at this path (the staging name or the old name).
    Replaced(PathBuf),
}

/// Puts `staging` in place of `target`; `old` is the name the two-rename switch parks
/// the previous set under.
pub fn switch(
    staging: &Path,
    target: &Path,
    old: &Path,
    faults: &Faults,
    cancel: &AtomicBool,
) -> io::Result<Switched> {
    if std::fs::symlink_metadata(target).is_err() {
        rename_noreplace(staging, target)?;
        return Ok(Switched::Created);
    }
    let forced = faults.no_exchange || faults.wants(Point::BetweenRenames);
    if !forced {
        match exchange(staging, target) {
            Ok(()) => return Ok(Switched::Replaced(staging.to_path_buf())),
            Err(e) if !unsupported(&e) => return Err(e),
            Err(_) => {}
        }
    }
    std::fs::rename(target, old)?;
    faults.hit(Point::BetweenRenames, cancel);
    if let Err(e) = std::fs::rename(staging, target) {
        // Put the previous set back; if even that fails the error says where it is.
        return match std::fs::rename(old, target) {
            Ok(()) => Err(e),
            Err(_) => Err(io::Error::new(
                e.kind(),
                format!("{e}; the previous results are in {}", old.display()),
            )),
        };
    }
    Ok(Switched::Replaced(old.to_path_buf()))
}

/// The file system or kernel cannot do this kind of rename: fall back to two renames.
fn unsupported(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::ENOTSUP)
    )
}

#[cfg(target_os = "linux")]
fn renameat2(from: &Path, to: &Path, flags: libc::c_uint) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))
    };
    let (from, to) = (c(from)?, c(to)?);
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call;
    // AT_FDCWD makes relative paths (there are none: ours are absolute) resolve as in
    // rename(2).
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            flags,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    renameat2(a, b, libc::RENAME_EXCHANGE)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from_raw_os_error(libc::ENOSYS))
}

/// Renames `from` to `to`, failing if `to` exists (where the system can tell).
fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    match renameat2(from, to, libc::RENAME_NOREPLACE) {
        Err(e) if unsupported(&e) => {}
        other => return other,
    }
    std::fs::rename(from, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    fn dir_with(root: &Path, name: &str, file: &str) -> PathBuf {
        let d = root.join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("f"), file).unwrap();
        d
    }

    #[test]
    fn both_switches_leave_the_new_set_in_place_and_the_old_one_aside() {
        for no_exchange in [false, true] {
            let root = std::env::temp_dir().join(format!(
                "planrisk-swap-{}-{no_exchange}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&root);
            let target = dir_with(&root, "out", "old");
            let staging = dir_with(&root, ".out.staging", "new");
            let old = root.join(".out.old");
            let mut faults = Faults::default();
            faults.no_exchange = no_exchange;
            let cancel = AtomicBool::new(false);
            let Switched::Replaced(aside) =
                switch(&staging, &target, &old, &faults, &cancel).unwrap()
            else {
                panic!("the target existed")
            };
            assert_eq!(std::fs::read_to_string(target.join("f")).unwrap(), "new");
            assert_eq!(std::fs::read_to_string(aside.join("f")).unwrap(), "old");
            let fresh = dir_with(&root, ".fresh", "x");
            let created = switch(&fresh, &root.join("new"), &old, &faults, &cancel).unwrap();
            assert!(matches!(created, Switched::Created));
            std::fs::remove_dir_all(&root).unwrap();
        }
    }
}
