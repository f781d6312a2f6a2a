//! Loading a model: reading a scenario (`scenario`) and compiling it (`model`), composed
//! here, above both, so neither layer needs the other's caller. The compiler names each
//! problem by the key path of the value at fault; the reader knows where that value is
//! in which file. Scenarios a file includes (`[[include]]`) are read and validated
//! alone, then laid into it (`scenario::compose`) before it is compiled.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{compile, Model};
use crate::scenario::spec::{ScenarioSpec, ITEM_LISTS};
use crate::scenario::{self, compose::compose, Parsed};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
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
    let composed = Composed::new(&parsed)?;
    let locate = |problems: Diagnostics| parsed.locate(composed.origins.rekey(problems));
    let mut model = compile(&composed.spec).map_err(locate)?;
    if view == View::Inside {
        // A problem only this view has (a correlated parameter fixed in its inside view)
        // is located like any other.
        model = compile(&composed.spec.inside_view()).map_err(locate)?;
        model.inside_view = true;
    }
    Ok(Loaded {
        model,
        spec: composed.spec,
        path: parsed.path,
        hash: composed.hash,
        files: composed.files,
        file_hashes: composed.file_hashes,
    })
}

/// A scenario with its includes laid in, the files read (its own, then each
/// included file's) and where each composed item came from.
struct Composed {
    spec: ScenarioSpec,
    files: Vec<PathBuf>,
    file_hashes: Vec<String>,
    hash: String,
    origins: Origins,
}

impl Composed {
    fn new(parsed: &Parsed) -> Result<Composed, Diagnostics> {
        let mut spec = parsed.spec.clone();
        let mut files = parsed.files.clone();
        let mut file_hashes = parsed.file_hashes.clone();
        let mut origins = Origins::default();
        let mut problems = Diagnostics::new();
        for (i, inc) in parsed.spec.include.iter().enumerate() {
            let child = match included(parsed, i, &inc.file) {
                Ok(c) => c,
                Err(d) => {
                    problems.extend(d);
                    continue;
                }
            };
            let before = spec.item_counts();
            let params: HashSet<String> = spec.params.keys().cloned().collect();
            let found = compose(&mut spec, i, &child.spec);
            problems.extend(parsed.locate(found.into()));
            origins.record(i, before, &spec, &params);
            files.extend(child.files);
            file_hashes.extend(child.file_hashes);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let hash = if files.len() == parsed.files.len() {
            parsed.hash.clone()
        } else {
            let mut h = Sha256::new();
            h.update(parsed.hash.as_bytes());
            file_hashes[parsed.files.len()..]
                .iter()
                .for_each(|x| h.update(x.as_bytes()));
            format!("{:x}", h.finalize())
        };
        Ok(Composed {
            spec,
            files,
            file_hashes,
            hash,
            origins,
        })
    }
}

/// The scenario `include[i]` names, read and compiled alone (its problems reported in
/// its own file); it may not include others.
fn included(parsed: &Parsed, i: usize, file: &str) -> Result<Parsed, Diagnostics> {
    let key = format!("include[{i}].file");
    let at = |message: String, hint: &str| -> Diagnostics {
        parsed.locate(Diagnostic::new(message).with_hint(hint).at_key(&key).into())
    };
    let dir = parsed
        .file_of(&key)
        .and_then(|f| f.parent().map(Path::to_path_buf));
    let path = dir.unwrap_or_default().join(file);
    if !path.is_file() {
        return Err(at(
            format!("included scenario `{file}` not found ({})", path.display()),
            "the path is relative to the file that names it",
        ));
    }
    let child = scenario::load(&path)?;
    if !child.spec.include.is_empty() {
        return Err(at(
            format!("`{file}` includes other scenarios itself"),
            "include the provinces directly in this file",
        ));
    }
    compile(&child.spec).map_err(|p| child.locate(p))?;
    Ok(child)
}

/// Which include each composed item came from, so the compiler's problems with it are
/// placed at that include (its own file validated alone).
#[derive(Default)]
struct Origins {
    /// (list key, first index, end, include).
    items: Vec<(&'static str, usize, usize, usize)>,
    /// Parameters added by each include.
    params: Vec<(String, usize)>,
}

impl Origins {
    fn record(
        &mut self,
        i: usize,
        before: [usize; ITEM_LISTS.len()],
        spec: &ScenarioSpec,
        params: &HashSet<String>,
    ) {
        let after = spec.item_counts();
        for (k, list) in ITEM_LISTS.iter().enumerate() {
            self.items.push((list, before[k], after[k], i));
        }
        self.params.extend(
            spec.params
                .keys()
                .filter(|p| !params.contains(*p))
                .map(|p| (p.clone(), i)),
        );
    }

    /// The include a key path's item came from.
    fn include_of(&self, key: &str) -> Option<usize> {
        if let Some(rest) = key.strip_prefix("params.") {
            let name = rest.split('.').next()?;
            return self.params.iter().find(|(p, _)| p == name).map(|(_, i)| *i);
        }
        let (list, rest) = key.split_once('[')?;
        let k: usize = rest.split(']').next()?.parse().ok()?;
        self.items
            .iter()
            .find(|(l, a, b, _)| *l == list && (*a..*b).contains(&k))
            .map(|x| x.3)
    }

    fn rekey(&self, problems: Diagnostics) -> Diagnostics {
        problems
            .into_iter()
            .map(
                |d| match d.key.as_deref().and_then(|k| self.include_of(k)) {
                    Some(i) => {
                        let key = format!("include[{i}]");
                        d.at_key(key)
                    }
                    None => d,
                },
            )
            .collect::<Vec<_>>()
            .into()
    }
}
