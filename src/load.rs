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

/// Which priors a run draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Each parameter's own distribution (in the bundled scenarios: the outside view,
    /// centred on the record of the previous plan period).
    #[default]
    Default,
    /// Each parameter's `inside_view` alternative where it has one.
    Inside,
}

/// Reads the scenario at `path` and compiles it; every problem comes back located in
/// its file, all at once.
pub fn load_model(path: &Path) -> Result<Loaded, Diagnostics> {
    load_model_with(path, View::Default)
}

/// Like [`load_model`], drawing from the priors of `view`. Both views are checked
/// whichever is run, so a file that validates runs either way.
pub fn load_model_with(path: &Path, view: View) -> Result<Loaded, Diagnostics> {
    let parsed = scenario::load(path)?;
    let mut model = compile(&parsed.spec).map_err(|problems| parsed.locate(problems))?;
    if view == View::Inside {
        // A problem only this view has (a correlated parameter fixed in its inside view)
        // is located like any other.
        model = compile(&parsed.spec.inside_view()).map_err(|problems| parsed.locate(problems))?;
        model.inside_view = true;
    }
    Ok(Loaded {
        model,
        spec: parsed.spec,
        path: parsed.path,
        files: parsed.files,
        hash: parsed.hash,
        file_hashes: parsed.file_hashes,
    })
}
