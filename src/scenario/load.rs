//! Reading a scenario: the `extends` chain, TOML parsing with spans, merging parent
//! and child, and typed deserialisation. Every failure becomes a located diagnostic.

use super::diag::{did_you_mean, Diagnostic, ScenarioError, SourceMap};
use super::spec::ScenarioSpec;
use crate::model::{compile, Model};
use serde::de::IntoDeserializer;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;

type Node<'i> = Spanned<DeValue<'i>>;
type Table<'i> = DeTable<'i>;

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
                    self.record(&format!("{path}[{i}]"), v);
                }
            }
            _ => {}
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Reads, merges, deserialises and validates the scenario at `path`.
pub fn load(path: &Path) -> Result<Loaded, ScenarioError> {
    let mut sources = SourceMap::default();
    let chain = read_chain(path, &mut sources)?;
    let mut hasher = Sha256::new();
    for (i, _) in chain.iter().enumerate() {
        hasher.update(sources.text(i).as_bytes());
    }
    let hash = format!("{:x}", hasher.finalize());
    let files: Vec<PathBuf> = chain.iter().map(|(p, _)| p.clone()).collect();

    // Parse every file (parent first) and lay children over parents.
    let mut merged: Option<Table<'_>> = None;
    for (i, (_, base)) in chain.iter().enumerate() {
        let table = parse(sources.text(i), *base, &sources)?;
        merged = Some(match merged {
            None => table,
            Some(mut parent) => {
                merge_tables(&mut parent, table);
                parent
            }
        });
    }
    let merged = merged.unwrap_or_default();
    let root: Node<'_> = Spanned::new(0..0, DeValue::Table(merged));
    let mut index = SpanIndex::default();
    index.record("", &root);

    let DeValue::Table(table) = root.into_inner() else {
        unreachable!("root is a table by construction")
    };
    let spanned = Spanned::new(0..0, table);
    let spec = ScenarioSpec::deserialize(spanned.into_deserializer())
        .map_err(|e| ScenarioError::from(serde_diagnostic(&e, &sources)))?;

    let model = compile(&spec).map_err(|problems| {
        let diagnostics = problems
            .into_iter()
            .map(|p| {
                let loc = index.find(&p.path).and_then(|s| sources.locate(s));
                let mut d = Diagnostic::new(p.message).at(loc);
                d.hint = p.hint;
                d
            })
            .collect();
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

/// Reads `path` and its ancestors; returns (path, base offset) parent first.
fn read_chain(path: &Path, sources: &mut SourceMap) -> Result<Vec<(PathBuf, usize)>, ScenarioError> {
    let mut chain: Vec<(PathBuf, usize)> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut next = Some((path.to_path_buf(), None::<Diagnostic>));
    while let Some((p, referrer)) = next.take() {
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) => {
                let what = match e.kind() {
                    std::io::ErrorKind::NotFound => "no such file".to_string(),
                    std::io::ErrorKind::InvalidData => "not valid UTF-8 text".to_string(),
                    _ => e.to_string(),
                };
                let d = match referrer {
                    Some(r) => Diagnostic {
                        message: format!("cannot read parent scenario {}: {what}", p.display()),
                        ..r
                    },
                    None => Diagnostic::in_file(format!("cannot read scenario file: {what}"), &p)
                        .with_hint("check the path; scenario files are TOML, e.g. scenarios/national_2011_2015.toml"),
                };
                return Err(d.into());
            }
        };
        let canonical = p.canonicalize().unwrap_or_else(|_| p.clone());
        if seen.contains(&canonical) {
            let d = referrer.unwrap_or_else(|| Diagnostic::new(""));
            return Err(Diagnostic {
                message: format!("`extends` forms a cycle: {} is already in the chain", p.display()),
                hint: Some("a scenario may extend a parent, but no file may be its own ancestor".into()),
                ..d
            }
            .into());
        }
        seen.push(canonical);
        let base = sources.add(&p, text);
        let idx = chain.len();
        chain.push((p.clone(), base));
        // Find `extends` without a full parse: a parse error is reported later with the rest.
        if let Ok(doc) = DeTable::parse(sources.text(idx)) {
            if let Some(ext) = doc.get_ref().get("extends") {
                match ext.get_ref().as_str() {
                    Some(parent) => {
                        let parent_path = p.parent().unwrap_or(Path::new(".")).join(parent);
                        let span = ext.span();
                        let loc = sources.locate(span.start + base..span.end + base);
                        next = Some((
                            parent_path,
                            Some(Diagnostic::new("").at(loc).with_hint(
                                "`extends` is a path relative to the file that names it",
                            )),
                        ));
                    }
                    None => {
                        let span = ext.span();
                        return Err(Diagnostic::new("`extends` must be a string: the path of the parent scenario")
                            .at(sources.locate(span.start + base..span.end + base))
                            .into());
                    }
                }
            }
        }
    }
    chain.reverse();
    Ok(chain)
}

fn parse<'i>(text: &'i str, base: usize, sources: &SourceMap) -> Result<Table<'i>, ScenarioError> {
    match DeTable::parse(text) {
        Ok(t) => {
            let span = t.span();
            match shift(Spanned::new(span, DeValue::Table(t.into_inner())), base).into_inner() {
                DeValue::Table(t) => Ok(t),
                _ => unreachable!("shift keeps the variant"),
            }
        }
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let loc = sources.locate(span.start + base..span.end + base);
            Err(Diagnostic::new(format!("invalid TOML: {}", e.message().trim()))
                .at(loc)
                .with_hint("see docs/scenario-format.md for the file format")
                .into())
        }
    }
}

/// Moves every span of a parsed file into the shared offset space.
fn shift(node: Node<'_>, base: usize) -> Node<'_> {
    let span = node.span();
    let span = span.start + base..span.end + base;
    let value = match node.into_inner() {
        DeValue::Table(t) => DeValue::Table(
            t.into_iter()
                .map(|(k, v)| {
                    let ks = k.span();
                    (Spanned::new(ks.start + base..ks.end + base, k.into_inner()), shift(v, base))
                })
                .collect(),
        ),
        DeValue::Array(a) => DeValue::Array(a.into_iter().map(|v| shift(v, base)).collect::<DeArray<'_>>()),
        other => other,
    };
    Spanned::new(span, value)
}

/// Lays `child` over `parent`: tables merge by key, arrays of tables with `id` merge by
/// id, anything else is replaced.
fn merge_tables<'i>(parent: &mut Table<'i>, child: Table<'i>) {
    for (k, v) in child {
        let key: &str = k.get_ref();
        match parent.get_mut(key) {
            Some(existing) => merge_value(existing, v),
            None => {
                parent.insert(k, v);
            }
        }
    }
}

fn merge_value<'i>(parent: &mut Node<'i>, child: Node<'i>) {
    match (parent.get_mut(), child.get_ref()) {
        (DeValue::Table(p), DeValue::Table(_)) => {
            let DeValue::Table(c) = child.into_inner() else { unreachable!() };
            merge_tables(p, c);
        }
        (DeValue::Array(p), DeValue::Array(c)) if has_ids(p) && has_ids(c) => {
            let DeValue::Array(c) = child.into_inner() else { unreachable!() };
            for item in c {
                let id = item_id(&item).map(str::to_string);
                match p.iter_mut().find(|x| item_id(x) == id.as_deref()) {
                    Some(existing) => merge_value(existing, item),
                    None => p.push(item),
                }
            }
        }
        _ => *parent = child,
    }
}

fn item_id<'a>(item: &'a Node<'_>) -> Option<&'a str> {
    item.get_ref().as_table()?.get("id")?.get_ref().as_str()
}

fn has_ids(a: &DeArray<'_>) -> bool {
    !a.is_empty() && a.iter().all(|x| item_id(x).is_some())
}

/// Turns a serde error (unknown key, wrong type, missing field) into a diagnostic with
/// a did-you-mean when the message lists the valid names.
fn serde_diagnostic(e: &toml::de::Error, sources: &SourceMap) -> Diagnostic {
    let msg = e.message().trim().to_string();
    let loc = e.span().and_then(|s| sources.locate(s));
    let mut d = Diagnostic::new(msg.clone()).at(loc);
    if let Some(hint) = typo_hint(&msg) {
        d = d.with_hint(hint);
    } else if msg.starts_with("missing field") {
        d = d.with_hint("add the field; docs/scenario-format.md lists what each table needs");
    } else if msg.starts_with("invalid type") {
        d = d.with_hint("check the value's type: numbers unquoted, names in quotes, tables in { }");
    }
    d
}

/// For "unknown field `x`, expected one of `a`, `b`" messages: the closest valid name.
fn typo_hint(msg: &str) -> Option<String> {
    let (what, rest) = if let Some(r) = msg.strip_prefix("unknown field `") {
        ("key", r)
    } else if let Some(r) = msg.strip_prefix("unknown variant `") {
        ("value", r)
    } else {
        return None;
    };
    let name = &rest[..rest.find('`')?];
    let expected: Vec<&str> = rest
        .split_once("expected")?
        .1
        .split('`')
        .skip(1)
        .step_by(2)
        .collect();
    match did_you_mean(name, expected.iter().copied()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None => Some(format!("valid {what}s here: {}", expected.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_hint_picks_the_closest_name() {
        let m = "unknown field `sdd`, expected one of `dist`, `mean`, `sd`";
        assert_eq!(typo_hint(m).as_deref(), Some("did you mean `sd`?"));
        let m = "unknown variant `gausian`, expected one of `fixed`, `normal`";
        assert_eq!(typo_hint(m).as_deref(), Some("valid values here: fixed, normal"));
    }
}
