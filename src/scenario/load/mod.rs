//! Reading a scenario: the `extends` chain, TOML parsing with spans, merging parent
//! and child, and typed deserialisation. Every failure becomes a located diagnostic.
//!
//! Problems are reported in three rounds, each complete before the next: the files
//! themselves (missing, not text, TOML syntax), the shape of the document (unknown
//! keys, wrong types, missing fields — one item at a time so every item's first
//! problem is shown), then the semantic checks of [`compile`].
//!
//! The rounds live in submodules: `files` (reading a file, path hints), `syntax` (TOML
//! syntax errors made concrete), `merge` (laying a child over its parent) and `shape`
//! (the document's keys and types, serde errors in the file's terms).

mod files;
mod merge;
mod shape;
mod syntax;

use files::{normalize, read_text};
use merge::{item_id, merge_tables, shift};
use shape::{check_document, serde_diagnostic};
use syntax::parse;

use super::diag::{did_you_mean, printable, Diagnostic, Location, ScenarioError, SourceMap};
use super::spec::*;
use crate::model::{compile, Model};
use serde::de::IntoDeserializer;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;

type Node<'i> = Spanned<DeValue<'i>>;
type Table<'i> = DeTable<'i>;

/// Top-level keys holding one table.
const TABLE_KEYS: [&str; 4] = ["scenario", "params", "correlation", "shocks"];
/// Top-level keys holding a list of tables (`[[name]]`).
const LIST_KEYS: [&str; 7] = [
    "regions",
    "sectors",
    "capacity",
    "derived",
    "indicators",
    "history",
    "targets",
];

/// A scenario read, merged, deserialised and validated.
#[derive(Debug)]
pub struct Loaded {
    pub spec: ScenarioSpec,
    pub model: Model,
    /// The file named on the command line.
    pub path: PathBuf,
    /// Every file read, parent first.
    pub files: Vec<PathBuf>,
    /// SHA-256 of the files' contents in that order.
    pub hash: String,
}

/// Maps key paths (`params.g.sd`, `sectors[2].va.GD`) to spans, so semantic checks can
/// point at the value they complain about.
#[derive(Debug, Default)]
pub struct SpanIndex {
    spans: HashMap<String, Range<usize>>,
    /// `id` of each item of a list of tables, by item path (`sectors[1]` → `autos`).
    ids: HashMap<String, String>,
}

impl SpanIndex {
    /// The span of `path`, or of its nearest enclosing value that has one.
    pub fn find(&self, path: &str) -> Option<Range<usize>> {
        let mut p = path;
        loop {
            if let Some(s) = self.spans.get(p) {
                return Some(s.clone());
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// The deepest path whose span holds `span` (a key's span gives the key's path).
    fn path_at(&self, span: &Range<usize>) -> Option<String> {
        self.spans
            .iter()
            .filter(|(p, s)| !p.is_empty() && s.start <= span.start && span.end <= s.end)
            .min_by_key(|(p, s)| (s.end - s.start, usize::MAX - p.len()))
            .map(|(p, _)| p.trim_end_matches("#key").to_string())
    }

    fn record(&mut self, path: &str, node: &Node<'_>) {
        self.spans.insert(path.to_string(), node.span());
        match node.get_ref() {
            DeValue::Table(t) => {
                for (k, v) in t.iter() {
                    let child = join(path, k.get_ref());
                    self.spans.insert(format!("{child}#key"), k.span());
                    self.record(&child, v);
                }
            }
            DeValue::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    let item = format!("{path}[{i}]");
                    if let Some(id) = item_id(v) {
                        self.ids.insert(item.clone(), id.to_string());
                    }
                    self.record(&item, v);
                }
            }
            _ => {}
        }
    }

    /// How a user would name the table at `path`: `[scenario]`, `[params.g]`,
    /// `[[sectors]] "steel"`, `` `va` of [[sectors]] "steel" ``.
    fn table_name(&self, path: &str) -> String {
        if path.is_empty() {
            return "the top level of the file".into();
        }
        let (head, rest) = self.head(path);
        match rest {
            None => head,
            Some(rest) => format!("`{rest}` of {head}"),
        }
    }

    /// A value at `path` named for a message: `` `sd` in [params.g] ``.
    fn value_name(&self, path: &str) -> String {
        let (parent, field) = split_last(path);
        if parent.is_empty() {
            return format!("`{field}`");
        }
        if let Some(i) = field
            .strip_prefix('[')
            .and_then(|f| f.strip_suffix(']'))
            .and_then(|f| f.parse::<usize>().ok())
        {
            // An entry of a list value such as `profile` or a matrix row.
            if !LIST_KEYS.contains(&parent) {
                return format!("entry {} of {}", i + 1, self.value_name(parent));
            }
        }
        format!("`{field}` in {}", self.table_name(parent))
    }

    /// The table a path starts in, and the keys below it (if any).
    fn head(&self, path: &str) -> (String, Option<String>) {
        let first_end = path.find(['.', '[']).unwrap_or(path.len());
        let first = &path[..first_end];
        let after = &path[first_end..];
        if LIST_KEYS.contains(&first) && after.starts_with('[') {
            let close = after.find(']').map_or(after.len(), |i| i + 1);
            let item = &path[..first_end + close];
            let name = match self.ids.get(item) {
                Some(id) => format!("[[{first}]] \"{id}\""),
                None => format!(
                    "[[{first}]] number {}",
                    after
                        .get(1..close.saturating_sub(1))
                        .unwrap_or("")
                        .parse::<usize>()
                        .map_or(0, |i| i + 1)
                ),
            };
            let rest = after[close..].trim_start_matches('.');
            return (name, (!rest.is_empty()).then(|| rest.to_string()));
        }
        if first == "params" {
            if let Some(rest) = after.strip_prefix('.') {
                let (name, below) = rest
                    .split_once('.')
                    .map_or((rest, None), |(a, b)| (a, Some(b)));
                return (format!("[params.{name}]"), below.map(str::to_string));
            }
        }
        let rest = after.trim_start_matches('.');
        (
            format!("[{first}]"),
            (!rest.is_empty()).then(|| rest.to_string()),
        )
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `a.b[2]` → (`a.b`, `[2]`); `a.b` → (`a`, `b`); `a` → (``, `a`).
fn split_last(path: &str) -> (&str, &str) {
    match path.rfind(['.', '[']) {
        Some(i) if path.as_bytes()[i] == b'[' => (&path[..i], &path[i..]),
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    }
}

/// One file of an `extends` chain: its path, its index in the source map and the base
/// offset of its spans.
struct Link {
    path: PathBuf,
    index: usize,
    base: usize,
}

/// What the later rounds need to turn errors into diagnostics.
struct Ctx<'a> {
    sources: &'a SourceMap,
    index: &'a SpanIndex,
    /// The file named on the command line: where whole-scenario problems are reported.
    named: &'a Path,
}

/// Reads, merges, deserialises and validates the scenario at `path`.
pub fn load(path: &Path) -> Result<Loaded, ScenarioError> {
    let mut sources = SourceMap::default();
    let chain = read_chain(path, &mut sources)?;
    let mut hasher = Sha256::new();
    for link in &chain {
        hasher.update(sources.text(link.index).as_bytes());
    }
    let hash = format!("{:x}", hasher.finalize());
    let files: Vec<PathBuf> = chain.iter().map(|l| l.path.clone()).collect();

    // Parse every file (parent first), reporting the syntax errors of all of them.
    let mut tables = Vec::new();
    let mut diagnostics = Vec::new();
    for link in &chain {
        match parse(sources.text(link.index), link.base, &sources) {
            Ok(t) => tables.push(t),
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(ScenarioError { diagnostics });
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
    let mut diagnostics = check_document(&table, &ctx);
    if !diagnostics.is_empty() {
        sort(&mut diagnostics);
        return Err(ScenarioError { diagnostics });
    }
    let spanned = Spanned::new(0..0, table);
    let spec = ScenarioSpec::deserialize(spanned.into_deserializer())
        .map_err(|e| ScenarioError::from(serde_diagnostic(&e, "", &ctx)))?;

    let model = compile(&spec).map_err(|problems| {
        let mut diagnostics: Vec<Diagnostic> = problems
            .into_iter()
            .map(|p| {
                let loc = index.find(&p.path).and_then(|s| sources.locate(s));
                let mut d = Diagnostic::new(p.message).at(loc);
                d.hint = p.hint;
                d
            })
            .collect();
        sort(&mut diagnostics);
        ScenarioError { diagnostics }
    })?;
    Ok(Loaded {
        spec,
        model,
        path: path.to_path_buf(),
        files,
        hash,
    })
}

/// Orders diagnostics as a reader meets them: by file, line and column; unlocated last.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            d.location
                .as_ref()
                .map(|l| (l.file.clone(), l.line, l.column))
        };
        match (key(a), key(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
    });
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
fn read_chain(path: &Path, sources: &mut SourceMap) -> Result<Vec<Link>, ScenarioError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_named_like_the_file() {
        let mut index = SpanIndex::default();
        index.ids.insert("sectors[1]".into(), "autos".into());
        assert_eq!(index.table_name("sectors[1]"), "[[sectors]] \"autos\"");
        assert_eq!(index.table_name("sectors[0]"), "[[sectors]] number 1");
        assert_eq!(index.table_name("params.g"), "[params.g]");
        assert_eq!(index.value_name("params.g.sd"), "`sd` in [params.g]");
        assert_eq!(
            index.value_name("sectors[1].va"),
            "`va` in [[sectors]] \"autos\""
        );
        assert_eq!(
            index.value_name("capacity[0].profile[2]"),
            "entry 3 of `profile` in [[capacity]] number 1"
        );
        assert_eq!(index.value_name("scenario"), "`scenario`");
        // Keys may hold brackets and dots; naming them must not panic.
        for odd in [
            "sectors[",
            "sectors[x",
            "sectors[]",
            "params.",
            "a..b",
            "[",
            ".",
            "targets[0].x[",
            "]",
        ] {
            let _ = (index.table_name(odd), index.value_name(odd));
        }
    }
}
