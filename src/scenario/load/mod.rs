//! Reading a scenario: the `extends` chain, TOML parsing with spans, merging parent
//! and child, and typed deserialisation. Every failure becomes a located diagnostic.
//!
//! Problems are reported in three rounds, each complete before the next: the files
//! themselves (missing, not text, TOML syntax), the shape of the document (unknown
//! keys, wrong types, missing fields — one item at a time so every item's first
//! problem is shown); the semantic checks are the compiler's (`model::compile`), and
//! [`Parsed::locate`] places what it finds.
//!
//! The rounds live in submodules: `files` (reading a file, path hints), `syntax` (TOML
//! syntax errors made concrete), `merge` (laying a child over its parent) and `shape`
//! (the document's keys and types, serde errors in the file's terms); `spans` knows
//! where every value is.

mod files;
mod merge;
mod shape;
mod spans;
mod syntax;

use files::{normalize, read_text};
use merge::merge_tables;
use shape::{check_document, serde_diagnostic};
use spans::{Ctx, Node, SpanIndex, Table};
use syntax::parse;

use super::sources::SourceMap;
use super::spec::ScenarioSpec;
use crate::diag::{Diagnostic, Diagnostics, Location};
use serde::de::IntoDeserializer;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A scenario read, merged and deserialised: its spec, the files it came from, and
/// where each value is in them, so later checks can point at the values they reject.
#[derive(Debug)]
pub struct Parsed {
    /// The scenario as written, `extends` resolved.
    pub spec: ScenarioSpec,
    /// The file named on the command line.
    pub path: PathBuf,
    /// Every file read, parent first.
    pub files: Vec<PathBuf>,
    /// SHA-256 of the files' contents in that order.
    pub hash: String,
    /// SHA-256 of each file's contents, in the order of `files`.
    pub file_hashes: Vec<String>,
    sources: SourceMap,
    index: SpanIndex,
}

impl Parsed {
    /// Places each problem at the value its key path names (or the nearest enclosing
    /// value that has a place) and orders them as a reader meets them.
    pub fn locate(&self, problems: Diagnostics) -> Diagnostics {
        let mut out: Diagnostics = problems
            .into_iter()
            .map(|d| match (&d.location, &d.key) {
                (None, Some(key)) => {
                    let loc = self.index.find(key).and_then(|s| self.sources.locate(s));
                    d.at(loc)
                }
                _ => d,
            })
            .collect::<Vec<_>>()
            .into();
        out.sort_by_location();
        out
    }
}

impl Parsed {
    /// The file the value at key path `key` was written in.
    pub fn file_of(&self, key: &str) -> Option<PathBuf> {
        let span = self.index.find(key)?;
        self.sources.locate(span).map(|l| l.file)
    }
}

/// One file of an `extends` chain: its path, its index in the source map and the base
/// offset of its spans.
struct Link {
    path: PathBuf,
    index: usize,
    base: usize,
}

/// Reads, merges and deserialises the scenario at `path`, checking the files, the TOML
/// and the document's shape (the semantic checks are the compiler's).
pub fn load(path: &Path) -> Result<Parsed, Diagnostics> {
    let mut sources = SourceMap::default();
    let chain = read_chain(path, &mut sources)?;
    let mut hasher = Sha256::new();
    for link in &chain {
        hasher.update(sources.text(link.index).as_bytes());
    }
    let hash = format!("{:x}", hasher.finalize());
    let file_hashes = chain
        .iter()
        .map(|l| format!("{:x}", Sha256::digest(sources.text(l.index).as_bytes())))
        .collect();
    let files: Vec<PathBuf> = chain.iter().map(|l| l.path.clone()).collect();

    // Parse every file (parent first), reporting the syntax errors of all of them.
    let mut tables = Vec::new();
    let mut diagnostics = Diagnostics::new();
    for link in &chain {
        match parse(sources.text(link.index), link.base, &sources) {
            Ok(t) => tables.push(t),
            Err(d) => diagnostics.extend(d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    if tables.iter().all(|t| t.is_empty()) {
        return Err(empty_file(path, sources.text(0)).into());
    }

    // Lay children over parents.
    let mut merged: Option<Table<'_>> = None;
    for table in tables {
        merged = Some(match merged {
            None => table,
            Some(mut parent) => {
                merge_tables(&mut parent, table);
                parent
            }
        });
    }
    let root: Node<'_> = Spanned::new(0..0, DeValue::Table(merged.unwrap_or_default()));
    let mut index = SpanIndex::default();
    index.record("", &root);
    let ctx = Ctx {
        sources: &sources,
        index: &index,
        named: path,
    };

    let DeValue::Table(table) = root.into_inner() else {
        unreachable!("root is a table by construction")
    };
    let mut diagnostics: Diagnostics = check_document(&table, &ctx).into();
    if !diagnostics.is_empty() {
        diagnostics.sort_by_location();
        return Err(diagnostics);
    }
    let spanned = Spanned::new(0..0, table);
    let spec = ScenarioSpec::deserialize(spanned.into_deserializer())
        .map_err(|e| Diagnostics::from(serde_diagnostic(&e, "", &ctx)))?;
    Ok(Parsed {
        spec,
        path: path.to_path_buf(),
        files,
        hash,
        file_hashes,
        sources,
        index,
    })
}

fn empty_file(path: &Path, text: &str) -> Diagnostic {
    let what = if text.trim().is_empty() {
        "the scenario file is empty"
    } else {
        "the scenario file has only comments"
    };
    Diagnostic::in_file(what, path).with_hint("a scenario needs a [scenario] table, [[regions]], [[sectors]] and [[targets]]; copy a file from scenarios/ as a start (docs/scenario-format.md describes every field)")
}

/// Reads `path` and its ancestors; returns them parent first.
fn read_chain(path: &Path, sources: &mut SourceMap) -> Result<Vec<Link>, Diagnostics> {
    let mut chain: Vec<Link> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut next = Some((path.to_path_buf(), None::<Option<Location>>));
    while let Some((p, referrer)) = next.take() {
        let text = read_text(&p, referrer.clone())?;
        let canonical = p.canonicalize().unwrap_or_else(|_| p.clone());
        if let Some(first) = seen.iter().position(|s| *s == canonical) {
            let cycle: Vec<String> = chain[first..]
                .iter()
                .map(|l| &l.path)
                .chain(std::iter::once(&p))
                .map(|p| normalize(p).display().to_string())
                .collect();
            return Err(Diagnostic::new(format!("`extends` forms a cycle: {}", cycle.join(" → ")))
                .at(referrer.flatten())
                .with_hint("remove `extends` from one of these files: a scenario may extend a parent, but no file may be its own ancestor")
                .into());
        }
        seen.push(canonical);
        let base = sources.add(&p, text);
        let index = chain.len();
        chain.push(Link {
            path: p.clone(),
            index,
            base,
        });
        // Find `extends` without the full load: a parse error is reported later with the rest.
        if let Ok(doc) = DeTable::parse(sources.text(index)) {
            if let Some(ext) = doc.get_ref().get("extends") {
                let span = ext.span();
                let loc = sources.locate(span.start + base..span.end + base);
                match ext.get_ref().as_str() {
                    Some(parent) if !parent.trim().is_empty() => {
                        let parent_path = p.parent().unwrap_or(Path::new(".")).join(parent);
                        next = Some((parent_path, Some(loc)));
                    }
                    Some(_) => {
                        return Err(Diagnostic::new("`extends` is empty")
                            .at(loc)
                            .with_hint("give the parent scenario's file name, e.g. extends = \"national_2011_2015.toml\", or delete the line")
                            .into())
                    }
                    None => {
                        return Err(Diagnostic::new(format!("`extends` must be text in quotes (the path of the parent scenario), found {}", ext.get_ref().type_str()))
                            .at(loc)
                            .with_hint("e.g. extends = \"national_2011_2015.toml\" (relative to this file)")
                            .into())
                    }
                }
            }
        }
    }
    chain.reverse();
    Ok(chain)
}
