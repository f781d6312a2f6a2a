//! Loading a model: reading a scenario (`scenario`) and compiling it (`model`), composed
//! here, above both, so neither layer needs the other's caller. The compiler names each
//! problem by the key path of the value at fault; the reader knows where that value is
//! in which file.

use crate::diag::Diagnostics;
use crate::model::{compile, Model};
use crate::scenario::{self, spec::ScenarioSpec};
use std::path::{Path, PathBuf};

/// A scenario read, merged, deserialised, validated and compiled.
#[derive(Debug)]
pub struct Loaded {
    /// The scenario as written, `extends` resolved.
    pub spec: ScenarioSpec,
    /// What the engine runs.
    pub model: Model,
    /// The file named on the command line.
    pub path: PathBuf,
    /// Every file read, parent first.
    pub files: Vec<PathBuf>,
    /// SHA-256 of the files' contents in that order.
    pub hash: String,
    /// SHA-256 of each file's contents, in the order of `files`.
    pub file_hashes: Vec<String>,
}

/// Reads the scenario at `path` and compiles it; every problem comes back located in
/// its file, all at once.
pub fn load_model(path: &Path) -> Result<Loaded, Diagnostics> {
    let parsed = scenario::load(path)?;
    let model = compile(&parsed.spec).map_err(|problems| parsed.locate(problems))?;
    Ok(Loaded {
        model,
        spec: parsed.spec,
        path: parsed.path,
        files: parsed.files,
        hash: parsed.hash,
        file_hashes: parsed.file_hashes,
    })
}
