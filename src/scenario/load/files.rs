//! Reading one scenario file: size limit, UTF-8 check with the offending byte located,
//! and hints for a path that is missing or names a directory.

use super::super::sources::printable;
use crate::diag::{did_you_mean, Diagnostic, Location};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest file read as a scenario. Real scenarios are a few hundred KB; the limit keeps
/// `planrisk validate /dev/zero` from reading forever.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// `a/b/../c` → `a/c` (lexically), so paths in messages read as the user would write them.
pub(super) fn normalize(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir if !out.as_os_str().is_empty() => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

/// Reads a scenario file as UTF-8 text. `referrer` is the location of the `extends`
/// naming it, for a parent; problems finding the file are reported there, problems with
/// its contents in the file itself.
pub(super) fn read_text(
    p: &Path,
    referrer: Option<Option<Location>>,
) -> Result<String, Diagnostic> {
    let normalized = normalize(p);
    let shown = normalized.display();
    let not_found = |what: String, hint: String| -> Diagnostic {
        match &referrer {
            Some(loc) => Diagnostic::new(format!(
                "cannot read parent scenario {shown} named by `extends`: {what}"
            ))
            .at(loc.clone())
            .with_hint(format!(
                "{hint} — `extends` is a path relative to the file that names it"
            )),
            None => Diagnostic::in_file(format!("cannot read scenario file {shown}: {what}"), p)
                .with_hint(hint),
        }
    };
    let io_problem = |e: std::io::Error| -> Diagnostic {
        match e.kind() {
            std::io::ErrorKind::NotFound => {
                let (message, hint) = missing(p);
                not_found(message, hint)
            }
            std::io::ErrorKind::PermissionDenied => not_found("permission denied".into(), "check the file's permissions (ls -l) or copy it somewhere you can read".into()),
            _ if p.is_dir() => not_found("it is a directory, not a file".into(), directory_hint(p)),
            _ => not_found(e.to_string(), "check the path; scenario files are TOML text, e.g. scenarios/national_2011_2015.toml".into()),
        }
    };
    let meta = std::fs::metadata(p).map_err(io_problem)?;
    if meta.is_dir() {
        return Err(not_found(
            "it is a directory, not a file".into(),
            directory_hint(p),
        ));
    }
    let file = std::fs::File::open(p).map_err(io_problem)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_problem)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(not_found(
            format!("it is larger than {} MB", MAX_FILE_BYTES >> 20),
            "scenario files are small TOML text files; check that this is the file you meant"
                .into(),
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::in_file(format!("{shown} is UTF-16 text; planrisk reads UTF-8"), p)
            .with_hint("save the file as UTF-8 (in Notepad: Save As → Encoding: UTF-8), or convert it: iconv -f UTF-16 -t UTF-8 old.toml > new.toml"));
    }
    let valid = match std::str::from_utf8(&bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let nul = bytes.iter().position(|&b| b == 0);
    // Text has almost no control characters; a binary file has many.
    let sample = &bytes[..bytes.len().min(4096)];
    let controls = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t')) || b == 0x7F)
        .count();
    let many_controls = controls * 20 > sample.len();
    if many_controls || nul.is_some() {
        let at = nul.unwrap_or(valid).min(valid);
        let message = if many_controls || valid < bytes.len() {
            format!("{shown} is a binary file, not TOML text")
        } else {
            format!("{shown} contains a NUL byte (the file may be damaged)")
        };
        let mut location = byte_location(p, &bytes, at);
        if many_controls || valid < bytes.len() {
            // A line of a binary file is noise, not something to point at.
            location.line_text.clear();
        }
        return Err(Diagnostic::new(message)
            .at(Some(location))
            .with_hint("scenario files are plain UTF-8 text (TOML); check that you named the right file, or delete the stray byte"));
    }
    if valid < bytes.len() {
        let byte = bytes[valid];
        return Err(Diagnostic::new(format!("{shown} is not UTF-8 text: byte 0x{byte:02X} cannot start a UTF-8 character"))
            .at(Some(byte_location(p, &bytes, valid)))
            .with_hint("save the file as UTF-8; a file saved as GBK/GB18030 (the default of many Chinese editors) can be converted with: iconv -f GB18030 -t UTF-8 old.toml > new.toml"));
    }
    String::from_utf8(bytes).map_err(|_| {
        not_found(
            "not valid UTF-8 text".into(),
            "save the file as UTF-8".into(),
        )
    })
}

/// The line and column of byte `at` of a file that may not be valid UTF-8.
fn byte_location(p: &Path, bytes: &[u8], at: usize) -> Location {
    let at = at.min(bytes.len());
    let line_start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let before = String::from_utf8_lossy(&bytes[line_start..at]);
    let line_text = printable(String::from_utf8_lossy(&bytes[line_start..line_end]).trim_end());
    Location {
        file: p.to_path_buf(),
        line: bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1,
        column: before.chars().count() + 1,
        line_text,
        width: 1,
    }
}

/// For a missing file: a similarly named file next to it, or what is missing.
fn missing_hint(p: &Path) -> String {
    let dir = match p.parent() {
        Some(d) if d.as_os_str().is_empty() => Path::new("."),
        Some(d) => d,
        None => Path::new("."),
    };
    if !dir.is_dir() {
        return format!(
            "the directory {} does not exist; check the path",
            dir.display()
        );
    }
    if p.extension().is_none() && p.with_extension("toml").is_file() {
        return format!("did you mean {}?", p.with_extension("toml").display());
    }
    if let Some(ext) = p
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| *e != "toml")
    {
        if p.with_extension("toml").is_file() {
            return format!(
                "did you mean {}? (scenario files end in .toml, not .{ext})",
                p.with_extension("toml").display()
            );
        }
    }
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let siblings: Vec<String> = toml_files_in(dir);
    match did_you_mean(&name, siblings.iter().map(String::as_str)) {
        Some(best) => format!("did you mean {}?", p.with_file_name(best).display()),
        None => {
            "check the path; scenario files are TOML, e.g. scenarios/national_2011_2015.toml".into()
        }
    }
}

/// Names of the `.toml` files directly in `dir` (none if it cannot be read).
fn toml_files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default()
}

fn directory_hint(p: &Path) -> String {
    let mut tomls: Vec<String> = toml_files_in(p);
    tomls.sort();
    match tomls.first() {
        Some(first) => format!(
            "name a scenario file inside it, e.g. {}",
            p.join(first).display()
        ),
        None => "name a scenario file (.toml), not a directory".into(),
    }
}

/// Why `p` cannot be found and what to do: a symbolic link whose target does not
/// exist is said to be one (not "did you mean" its own name).
fn missing(p: &Path) -> (String, String) {
    match std::fs::read_link(p) {
        Ok(target) => (
            format!(
                "it is a symbolic link to {}, which does not exist",
                target.display()
            ),
            "point the link at an existing scenario file (ln -sf FILE LINK), or give the file itself".into(),
        ),
        Err(_) => ("no such file".into(), missing_hint(p)),
    }
}
