//! Whether planrisk may replace a directory: only when it is empty or holds a previous
//! planrisk output set and nothing else. A set is recognised by its `manifest.json`
//! (`"program": "planrisk"`) and every file in the directory must be one the manifest
//! lists, so a user's own file (a scenario, notes, a spreadsheet) is never destroyed.
//!
//! Manifests written before the set listed every file name only the result files, as
//! plain strings; for those, PNGs under `charts/` and the temporary files of that
//! version (dot-files with `.tmp` in the name) count as planrisk's too.

use planrisk::report::manifest::{MANIFEST, PROGRAM};
use serde::Deserialize;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;

/// Files a previous set lists, however its manifest spells them.
#[derive(Deserialize)]
struct Header {
    program: String,
    files: Vec<Listed>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Listed {
    Entry { path: String },
    Name(String),
}

/// The files a planrisk output directory's manifest lists (relative paths), or None
/// when the directory has no planrisk manifest.
pub fn listed_files(dir: &Path) -> Option<Vec<String>> {
    let bytes = fs::read(dir.join(MANIFEST)).ok()?;
    let header = serde_json::from_slice::<Header>(&bytes).ok()?;
    (header.program == PROGRAM).then(|| header.files.into_iter().map(Listed::into_path).collect())
}

impl Listed {
    fn into_path(self) -> String {
        match self {
            Listed::Entry { path } | Listed::Name(path) => path,
        }
    }
}

/// What a directory holds, from planrisk's point of view.
pub enum Contents {
    Empty,
    /// A previous planrisk set and nothing else.
    Ours,
    /// Files planrisk did not write (the first few, relative paths); `manifest` says
    /// whether a planrisk manifest was found.
    Foreign {
        entries: Vec<String>,
        manifest: bool,
    },
}

/// How many foreign entries are named in a message.
const NAMED: usize = 5;

/// Classifies directory `dir`.
pub fn contents(dir: &Path) -> io::Result<Contents> {
    if fs::read_dir(dir)?.next().is_none() {
        return Ok(Contents::Empty);
    }
    let header = fs::read(dir.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice::<Header>(&b).ok())
        .filter(|h| h.program == PROGRAM);
    let Some(header) = header else {
        let entries = list(dir, "", &|_| false, NAMED)?;
        return Ok(Contents::Foreign {
            entries,
            manifest: false,
        });
    };
    let legacy = header.files.iter().any(|f| matches!(f, Listed::Name(_)));
    let listed: HashSet<String> = header
        .files
        .into_iter()
        .map(Listed::into_path)
        .chain([MANIFEST.to_string()])
        .collect();
    let ours = |rel: &str| listed.contains(rel) || (legacy && old_version_file(rel));
    let entries = list(dir, "", &ours, NAMED)?;
    Ok(if entries.is_empty() {
        Contents::Ours
    } else {
        Contents::Foreign {
            entries,
            manifest: true,
        }
    })
}

/// Charts and temporary files of planrisk versions whose manifest listed no charts.
fn old_version_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    (rel.starts_with("charts/") && rel.ends_with(".png"))
        || (name.starts_with('.') && name.contains(".tmp"))
}

/// Up to `max` entries under `dir` (relative to the set's root, prefixed by `prefix`)
/// that are not planrisk's: files `ours` rejects, and anything that is neither a file
/// nor a directory (planrisk writes no symlinks). Directories are entered, not judged.
fn list(
    dir: &Path,
    prefix: &str,
    ours: &dyn Fn(&str) -> bool,
    max: usize,
) -> io::Result<Vec<String>> {
    let mut names: Vec<_> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    names.sort_by_key(|e| e.file_name());
    let mut out = Vec::new();
    for e in names {
        if out.len() >= max {
            break;
        }
        let rel = format!("{prefix}{}", e.file_name().to_string_lossy());
        let kind = e.file_type()?;
        if kind.is_dir() {
            out.extend(list(&e.path(), &format!("{rel}/"), ours, max - out.len())?);
        } else if !kind.is_file() || !ours(&rel) {
            out.push(rel);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("planrisk-owner-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn only_empty_dirs_and_whole_planrisk_sets_are_ours() {
        let d = scratch("sets");
        assert!(matches!(contents(&d).unwrap(), Contents::Empty));
        fs::create_dir_all(d.join("charts")).unwrap();
        fs::write(d.join("summary.json"), "{}").unwrap();
        fs::write(d.join("charts/a.png"), "png").unwrap();
        let manifest = r#"{"program": "planrisk", "files": [
            {"path": "summary.json", "bytes": 2, "sha256": ""},
            {"path": "charts/a.png", "bytes": 3, "sha256": ""}]}"#;
        fs::write(d.join(MANIFEST), manifest).unwrap();
        assert!(matches!(contents(&d).unwrap(), Contents::Ours));
        fs::write(d.join("charts/notes.txt"), "mine").unwrap();
        match contents(&d).unwrap() {
            Contents::Foreign { entries, manifest } => {
                assert_eq!(entries, vec!["charts/notes.txt"]);
                assert!(manifest);
            }
            _ => panic!("a user's file makes the directory foreign"),
        }
        fs::remove_file(d.join("charts/notes.txt")).unwrap();
        // An older manifest listing names only: its charts count as planrisk's.
        fs::write(
            d.join(MANIFEST),
            r#"{"program": "planrisk", "files": ["summary.json"]}"#,
        )
        .unwrap();
        assert!(matches!(contents(&d).unwrap(), Contents::Ours));
        fs::write(d.join(MANIFEST), r#"{"program": "other", "files": []}"#).unwrap();
        assert!(matches!(
            contents(&d).unwrap(),
            Contents::Foreign {
                manifest: false,
                ..
            }
        ));
        fs::remove_dir_all(&d).unwrap();
    }
}
