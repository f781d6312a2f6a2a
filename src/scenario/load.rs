//! Reading a scenario: the `extends` chain, TOML parsing with spans, merging parent
//! and child, and typed deserialisation. Every failure becomes a located diagnostic.
//!
//! Problems are reported in three rounds, each complete before the next: the files
//! themselves (missing, not text, TOML syntax), the shape of the document (unknown
//! keys, wrong types, missing fields — one item at a time so every item's first
//! problem is shown), then the semantic checks of [`compile`].

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

/// Largest file read as a scenario. Real scenarios are a few hundred KB; the limit keeps
/// `planrisk validate /dev/zero` from reading forever.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Syntax errors reported per file at most (later ones are often consequences).
const MAX_SYNTAX_ERRORS: usize = 5;

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

/// `a/b/../c` → `a/c` (lexically), so paths in messages read as the user would write them.
fn normalize(p: &Path) -> PathBuf {
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
fn read_text(p: &Path, referrer: Option<Option<Location>>) -> Result<String, Diagnostic> {
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
            std::io::ErrorKind::NotFound => not_found("no such file".into(), missing_hint(p)),
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

fn parse<'i>(
    text: &'i str,
    base: usize,
    sources: &SourceMap,
) -> Result<Table<'i>, Vec<Diagnostic>> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        let span = doc.span();
        return match shift(Spanned::new(span, DeValue::Table(doc.into_inner())), base).into_inner()
        {
            DeValue::Table(t) => Ok(t),
            _ => unreachable!("shift keeps the variant"),
        };
    }
    // One error per line, in file order; errors after an unclosed bracket are mostly
    // its consequences, so stop there.
    let mut errors: Vec<_> = errors.into_iter().enumerate().collect();
    errors.sort_by_key(|(i, e)| (e.span().map_or(0, |s| s.start), *i));
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut lines_seen = Vec::new();
    // Header lines of tables defined twice: the keys of the second definition then
    // repeat the first's, and saying so for each key would only bury the real error.
    let mut twice_defined = Vec::new();
    let line_of = |offset: usize| {
        text[..floor_boundary(text, offset.min(text.len()))]
            .matches('\n')
            .count()
            + 1
    };
    for (_, e) in errors {
        let offset = e.span().map_or(0, |s| s.start);
        let header = section_header(text, offset);
        if e.message().starts_with("duplicate key") {
            match header {
                Some(h) if h == line_of(offset) => twice_defined.push(h),
                Some(h) if twice_defined.contains(&h) => continue,
                _ => {}
            }
        }
        let d = syntax_diagnostic(&e, text, base, sources);
        let line = d.location.as_ref().map_or(0, |l| l.line);
        if lines_seen.contains(&line) {
            continue;
        }
        lines_seen.push(line);
        let cascades = e.message().contains("unclosed") || e.message().contains("missing comma");
        out.push(d);
        if cascades || out.len() == MAX_SYNTAX_ERRORS {
            break;
        }
    }
    Err(out)
}

/// The line number of the `[table]` header above `offset` (or on its line).
fn section_header(text: &str, offset: usize) -> Option<usize> {
    let offset = floor_boundary(text, offset.min(text.len()));
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let mut line_no = text[..line_end].matches('\n').count() + 1;
    for line in text[..line_end].lines().rev() {
        if line.trim_start().starts_with('[') {
            return Some(line_no);
        }
        line_no -= 1;
    }
    None
}

/// Full-width (Chinese input method) punctuation and what TOML wants instead.
const FULL_WIDTH: [(char, &str); 16] = [
    ('“', "\""),
    ('”', "\""),
    ('‘', "'"),
    ('’', "'"),
    ('＝', "="),
    ('，', ","),
    ('：', ":"),
    ('［', "["),
    ('］', "]"),
    ('｛', "{"),
    ('｝', "}"),
    ('＃', "#"),
    ('（', "("),
    ('）', ")"),
    ('。', "."),
    ('　', " "),
];

/// A TOML syntax error, with the message and hint made concrete where the mistake is a
/// common one (bare words, percent signs, decimal commas, full-width punctuation,
/// duplicate keys and tables).
fn syntax_diagnostic(
    e: &toml::de::Error,
    text: &str,
    base: usize,
    sources: &SourceMap,
) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    let start = floor_boundary(text, span.start.min(text.len()));
    let end = floor_boundary(text, span.end.clamp(start, text.len()));
    let locate = |s: usize, e: usize| sources.locate(s + base..e + base);
    let message = e.message().trim();
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[line_start..line_end];
    let d = |msg: String, at: (usize, usize), hint: String| {
        Diagnostic::new(format!("invalid TOML: {msg}"))
            .at(locate(at.0, at.1))
            .with_hint(hint)
    };

    // Full-width punctuation outside quoted text.
    let mut in_string = None;
    for (i, c) in line.char_indices() {
        match (in_string, c) {
            (None, '"' | '\'') => in_string = Some(c),
            (Some(q), c) if c == q => in_string = None,
            (None, c) => {
                if let Some((_, ascii)) = FULL_WIDTH.iter().find(|(f, _)| *f == c) {
                    let at = line_start + i;
                    return d(
                        format!("full-width character `{c}` where TOML expects `{ascii}`"),
                        (at, at + c.len_utf8()),
                        format!("TOML punctuation is ASCII: replace `{c}` with `{ascii}` (switch the input method to half-width/半角 for quotes, =, commas and brackets)"),
                    );
                }
            }
            _ => {}
        }
    }

    if message.starts_with("duplicate key") {
        return duplicate_key(text, start, end, line_start, line).map_or_else(
            || {
                d(
                    "duplicate key".into(),
                    (start, end),
                    "each key may appear once per table; delete or rename one".into(),
                )
            },
            |(m, h)| d(m, (start, end), h),
        );
    }

    // The value of a `key = value` line, when the error lies in it.
    let value_at = line
        .find('=')
        .map(|i| line_start + i + 1)
        .filter(|&v| start >= v);
    if let Some(v) = value_at {
        let raw = text[v..line_end].split('#').next().unwrap_or("").trim();
        let key = line[..v - line_start - 1].trim();
        let value_start = v + text[v..].len() - text[v..].trim_start().len();
        let at = (value_start, value_start + raw.len());
        if !raw.is_empty() {
            let first = raw.chars().next().unwrap_or(' ');
            let number_like = first.is_ascii_digit() || matches!(first, '+' | '-' | '.');
            if let Some(num) = raw
                .strip_suffix('%')
                .filter(|n| n.trim().parse::<f64>().is_ok())
            {
                let n: f64 = num.trim().parse().unwrap_or(0.0);
                return d(
                    format!("`{raw}`: numbers cannot carry a % sign"),
                    at,
                    format!("write a plain number: rates are fractions ({key} = {} for {raw}), while target values in percent are written without the sign ({key} = {num})", n / 100.0),
                );
            }
            if number_like && raw.contains(',') && !raw.starts_with('[') {
                let fixed = if raw
                    .split(',')
                    .skip(1)
                    .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
                {
                    raw.replace(',', "")
                } else {
                    raw.replacen(',', ".", 1)
                };
                return d(
                    format!("`{raw}` is not a number"),
                    at,
                    format!(
                        "numbers use a decimal point and no thousands separator: {key} = {fixed}"
                    ),
                );
            }
            if let Some(rest) = raw
                .strip_prefix('.')
                .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
            {
                return d(
                    format!("`{raw}` needs a digit before the decimal point"),
                    at,
                    format!("write {key} = 0.{rest}"),
                );
            }
            if number_like && raw.ends_with('.') {
                return d(
                    format!("`{raw}` needs a digit after the decimal point"),
                    at,
                    format!("write {key} = {raw}0"),
                );
            }
            if message.contains("leading zero") {
                return d(
                    format!("`{raw}`: numbers cannot start with 0"),
                    at,
                    format!("write {key} = {}", raw.trim_start_matches('0')),
                );
            }
            if matches!(raw.to_lowercase().as_str(), "true" | "false")
                && raw != "true"
                && raw != "false"
            {
                return d(
                    format!("`{raw}` is not a value"),
                    at,
                    format!(
                        "true and false are written in lower case: {key} = {}",
                        raw.to_lowercase()
                    ),
                );
            }
            let bare = raw
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '@' | ' '))
                && !number_like;
            if bare {
                return d(
                    format!("`{raw}` is not a value: text must be in double quotes"),
                    at,
                    format!("write {key} = \"{raw}\""),
                );
            }
        }
    }
    if message.contains("missing comma")
        || message.starts_with("unclosed array,")
        || message.starts_with("unclosed inline table")
    {
        if let Some((open, bracket)) = unclosed_bracket(text, start) {
            let (what, close) = if bracket == '[' {
                ("list", ']')
            } else {
                ("inline table", '}')
            };
            let open_line = text[..open].matches('\n').count() + 1;
            let found_line = text[..start].matches('\n').count() + 1;
            let found = line.trim();
            let hint = if bracket == '{' {
                format!("add the closing `}}` at the end of line {open_line}: an inline table must fit on one line")
            } else if found_line > open_line && !found.is_empty() {
                format!("add the closing `]` where the list ends; TOML read on to line {found_line} (`{}`) before the closing `]`", cut(found, 40))
            } else {
                "add the closing `]` where the list ends".to_string()
            };
            return Diagnostic::new(format!(
                "invalid TOML: the {what} `{bracket}` opened here is not closed (no `{close}`)"
            ))
            .at(locate(open, open + 1))
            .with_hint(hint);
        }
    }
    let hint = if message.contains("basic string") || message.contains("literal string") {
        "the closing quote is missing: text must end on the same line with `\"` (for long text use \"\"\"…\"\"\")".to_string()
    } else if message.contains("missing comma") && text[line_start..start].trim().is_empty() {
        "a list or inline table is still open from an earlier line: is a `]` or `}` missing there?"
            .to_string()
    } else if message.contains("missing comma") {
        "separate the entries of a list with commas: [0.3, 0.25, 0.2]".to_string()
    } else if message.contains("unclosed table") || message.contains("unclosed array table") {
        "table headers look like [scenario], [params.g_steel] or [[sectors]], on a line of their own".to_string()
    } else if message.contains("unclosed array") {
        "close the list with `]`".to_string()
    } else if message.contains("unclosed inline table") {
        "close the inline table with `}`; an inline table must fit on one line".to_string()
    } else if message.contains("key with no value") {
        "every setting is written `key = value`, one per line".to_string()
    } else if message.contains("expected newline") {
        "put one `key = value` per line; text with spaces must be in double quotes".to_string()
    } else if message.contains("invalid date") || message.contains("invalid time") {
        "years are plain numbers (base_year = 2010); a range of years is not a value here"
            .to_string()
    } else if message.contains("recursion") {
        "lists and tables are nested too deeply".to_string()
    } else {
        "see docs/scenario-format.md for the file format".to_string()
    };
    Diagnostic::new(format!("invalid TOML: {message}"))
        .at(locate(start, end))
        .with_hint(hint)
}

/// Delimiters of multi-line strings.
const TRIPLE_DOUBLE: &str = "\"\"\"";
const TRIPLE_SINGLE: &str = "\x27\x27\x27";

/// The first `[` or `{` of a value still open at `end`, skipping strings and comments.
fn unclosed_bracket(text: &str, end: usize) -> Option<(usize, char)> {
    let mut stack: Vec<(usize, char)> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < end.min(bytes.len()) {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            q @ (b'"' | b'\'') => {
                let triple = text[i..].starts_with(if q == b'"' {
                    TRIPLE_DOUBLE
                } else {
                    TRIPLE_SINGLE
                });
                let close = if triple {
                    &text[i..i + 3]
                } else {
                    &text[i..i + 1]
                };
                let from = i + close.len();
                // A single-line string that is not closed on its line ends at the line end.
                let stop = if triple {
                    text.len()
                } else {
                    text[from..].find('\n').map_or(text.len(), |j| from + j)
                };
                let mut j = from;
                loop {
                    match text[j..stop].find(close) {
                        Some(k) if q == b'"' && !triple && k > 0 && bytes[j + k - 1] == b'\\' => {
                            j += k + 1
                        }
                        Some(k) => {
                            i = j + k + close.len();
                            break;
                        }
                        None => {
                            i = stop;
                            break;
                        }
                    }
                }
                continue;
            }
            b'[' | b'{' => stack.push((i, bytes[i] as char)),
            b']' | b'}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    stack.first().copied()
}

/// At most `max` characters of `s`, with `…` when cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max).chain(std::iter::once('…')).collect()
    }
}

/// Message and hint for a duplicate key or table at `start..end`, naming the line of the
/// first definition where it can be found.
fn duplicate_key(
    text: &str,
    start: usize,
    end: usize,
    line_start: usize,
    line: &str,
) -> Option<(String, String)> {
    let key = text.get(start..end)?.trim_matches(['"', '\'']);
    let line_no = |offset: usize| text[..offset].matches('\n').count() + 1;
    let lines: Vec<(usize, &str)> = text[..line_start]
        .split_inclusive('\n')
        .scan(0, |off, l| {
            let here = *off;
            *off += l.len();
            Some((here, l.trim()))
        })
        .collect();
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let trimmed = line.trim();
    if trimmed.starts_with('[') {
        let header = squash(trimmed.split('#').next().unwrap_or(trimmed));
        let name = header.trim_matches(['[', ']']).to_string();
        let single = format!("[{name}]");
        let double = format!("[[{name}]]");
        let earlier = |h: &str| {
            lines
                .iter()
                .find(|(_, l)| squash(l.split('#').next().unwrap_or(l)) == h)
                .map(|(o, _)| line_no(*o))
        };
        if header == single {
            if let Some(n) = earlier(&double) {
                return Some((
                    format!(
                        "[{name}] conflicts with the list of [[{name}]] tables started at line {n}"
                    ),
                    format!("write [[{name}]] (double brackets) to add one more item to the list"),
                ));
            }
            if let Some(n) = earlier(&single) {
                return Some((format!("table [{name}] is defined twice (first at line {n})"), format!("merge the two [{name}] tables into one; for a list of items use [[{name}]]")));
            }
            return Some((
                format!("table [{name}] is defined twice"),
                "each table may be defined once; merge the two".into(),
            ));
        }
        if let Some(n) = earlier(&single) {
            return Some((format!("[[{name}]] conflicts with the single table [{name}] at line {n}"), format!("for a list of items write [[{name}]] at line {n} too; for one table write [{name}] here")));
        }
        return Some((
            format!("[[{name}]] conflicts with the key `{key}` set earlier"),
            format!("`{name}` is set both as a value and as a list of tables; keep one"),
        ));
    }
    // A plain key: look for its first definition in the same table.
    let section = lines
        .iter()
        .rposition(|(_, l)| l.starts_with('['))
        .map_or(0, |i| i + 1);
    let first = lines[section..]
        .iter()
        .find(|(_, l)| {
            l.split_once('=')
                .is_some_and(|(k, _)| k.trim().trim_matches(['"', '\'']) == key)
        })
        .map(|(o, _)| line_no(*o));
    Some(match first {
        Some(n) => (format!("key `{key}` is set twice in the same table (first at line {n})"), "delete one of the two lines".into()),
        None => (format!("key `{key}` is set twice"), format!("`{key}` is already defined in this table, perhaps by a [table] header or a dotted key; keep one")),
    })
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
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
                    (
                        Spanned::new(ks.start + base..ks.end + base, k.into_inner()),
                        shift(v, base),
                    )
                })
                .collect(),
        ),
        DeValue::Array(a) => DeValue::Array(
            a.into_iter()
                .map(|v| shift(v, base))
                .collect::<DeArray<'_>>(),
        ),
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
            let DeValue::Table(c) = child.into_inner() else {
                unreachable!()
            };
            merge_tables(p, c);
        }
        (DeValue::Array(p), DeValue::Array(c)) if has_ids(p) && has_ids(c) => {
            let DeValue::Array(c) = child.into_inner() else {
                unreachable!()
            };
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

/// The shape of the merged document: top-level keys, table-or-list, then every table
/// deserialised on its own so each gets its first problem reported.
fn check_document(root: &Table<'_>, ctx: &Ctx<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut suggestions = Vec::new();
    let at = |node: &Node<'_>| ctx.sources.locate(node.span());
    for (k, v) in root.iter() {
        let key: &str = k.get_ref();
        let kind = kind_of(v.get_ref());
        match key {
            "extends" => out.extend(check_as::<String>(v, key, ctx)),
            _ if TABLE_KEYS.contains(&key) && !v.get_ref().is_table() => {
                let hint = if v.get_ref().is_array() {
                    format!("write [{key}] with single brackets: there is one [{key}] table, not a list")
                } else {
                    format!("start the table with a header line [{key}] and put its keys below it")
                };
                out.push(
                    Diagnostic::new(format!("`{key}` must be a table, found {kind}"))
                        .at(at(v))
                        .with_hint(hint),
                );
            }
            "scenario" => out.extend(check_as::<Meta>(v, key, ctx)),
            "correlation" => out.extend(check_as::<CorrelationSpec>(v, key, ctx)),
            "shocks" => out.extend(check_as::<ShockSpec>(v, key, ctx)),
            "params" => {
                for (name, p) in v.get_ref().as_table().into_iter().flatten() {
                    let name: &str = name.get_ref();
                    let path = format!("params.{name}");
                    if p.get_ref().is_table() {
                        out.extend(check_as::<ParamSpec>(p, &path, ctx));
                    } else {
                        let shown = ctx
                            .sources
                            .locate(p.span())
                            .map(|l| l.line_text)
                            .unwrap_or_default();
                        let value = shown.split_once('=').map_or("…", |(_, v)| v.trim());
                        out.push(
                            Diagnostic::new(format!("parameter `{name}` must be a table with a `dist`, found {kind}", kind = kind_of(p.get_ref())))
                                .at(at(p))
                                .with_hint(format!("for a fixed number write a [params.{name}] table with dist = \"fixed\" and value = {value}")),
                        );
                    }
                }
            }
            _ if LIST_KEYS.contains(&key) => {
                match v.get_ref().as_array() {
                    None => {
                        let hint = if v.get_ref().is_table() {
                            format!("`{key}` is a list: start each item with [[{key}]] (double brackets)")
                        } else {
                            format!("`{key}` is a list of tables: start each item with a [[{key}]] header")
                        };
                        out.push(
                            Diagnostic::new(format!(
                                "`{key}` must be a list of tables, found {kind}"
                            ))
                            .at(at(v))
                            .with_hint(hint),
                        );
                    }
                    Some(items) => {
                        for (i, item) in items.iter().enumerate() {
                            let path = format!("{key}[{i}]");
                            if !item.get_ref().is_table() {
                                out.push(
                                Diagnostic::new(format!("item {} of `{key}` must be a table, found {}", i + 1, kind_of(item.get_ref())))
                                    .at(at(item))
                                    .with_hint(format!("describe each item in its own [[{key}]] table, with its id and fields")),
                            );
                                continue;
                            }
                            out.extend(match key {
                                "regions" => check_as::<RegionSpec>(item, &path, ctx),
                                "sectors" => check_as::<SectorSpec>(item, &path, ctx),
                                "capacity" => check_as::<CapacitySpec>(item, &path, ctx),
                                "derived" => check_as::<DerivedSpec>(item, &path, ctx),
                                "indicators" => check_as::<IndicatorSpec>(item, &path, ctx),
                                "history" => check_as::<HistorySpec>(item, &path, ctx),
                                _ => check_as::<TargetSpec>(item, &path, ctx),
                            });
                        }
                    }
                }
            }
            _ => {
                let (d, suggested) = unknown_top_level(key, k.span(), ctx);
                out.push(d);
                suggestions.extend(suggested);
            }
        }
    }
    suggestions.extend(out.iter().filter_map(|d| {
        d.message
            .strip_prefix("unknown field `")?
            .split('`')
            .next()
            .map(str::to_string)
    }));
    for (key, what) in [
        (
            "scenario",
            "a [scenario] table (id, name, base_year, horizon)",
        ),
        (
            "regions",
            "[[regions]] (at least one region, with id and name)",
        ),
        (
            "sectors",
            "[[sectors]] (at least one sector, with id, name, va and growth)",
        ),
        ("targets", "[[targets]] (the plan's targets)"),
    ] {
        // A misspelt or misplaced section has already been reported.
        if !root.contains_key(key) && !suggestions.iter().any(|s| s == key) {
            out.push(
                Diagnostic::in_file(
                    format!("the scenario has no `{key}`: it needs {what}"),
                    ctx.named,
                )
                .with_hint(format!(
                    "add {what}; docs/scenario-format.md shows an example"
                )),
            );
        }
    }
    out
}

/// `found` for a message: "a table", "a list", "text", "a number"…
fn kind_of(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "text",
        DeValue::Integer(_) | DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// An unknown top-level key, and the section it was probably meant to be.
fn unknown_top_level(key: &str, span: Range<usize>, ctx: &Ctx<'_>) -> (Diagnostic, Option<String>) {
    let top = field_names::<ScenarioSpec>();
    let d = Diagnostic::new(format!(
        "unknown field `{key}` at the top level of the file"
    ))
    .at(ctx.sources.locate(span));
    if let Some(best) = suggestion(key, &top) {
        return (d.with_hint(format!("did you mean `{best}`?")), Some(best));
    }
    for (table, fields) in [
        ("[scenario]", field_names::<Meta>()),
        ("[shocks]", field_names::<ShockSpec>()),
    ] {
        if fields.iter().any(|f| f == key) {
            return (d.with_hint(format!("`{key}` belongs in {table}: move the line below the {table} header (keys before the first header are top-level keys)")), None);
        }
    }
    (
        d.with_hint(format!("the top level takes: {}", top.join(", "))),
        None,
    )
}

/// Deserialises one table on its own, for its first problem.
fn check_as<'de, T: Deserialize<'de>>(
    node: &Node<'de>,
    path: &str,
    ctx: &Ctx<'_>,
) -> Option<Diagnostic> {
    T::deserialize(node.clone().into_deserializer())
        .err()
        .map(|e| serde_diagnostic(&e, path, ctx))
}

/// The field names of a struct deserialised with `deny_unknown_fields`, from serde's own
/// "expected one of" list (so they cannot drift from `spec`).
fn field_names<T: for<'de> Deserialize<'de>>() -> Vec<String> {
    use serde::de::value::{Error, MapDeserializer};
    let probe = MapDeserializer::<_, Error>::new(std::iter::once(("\u{1}", 0i32)));
    T::deserialize(probe)
        .err()
        .map(|e| backticked(&e.to_string()))
        .unwrap_or_default()
}

/// The names in backticks after "expected" in a serde message.
fn backticked(msg: &str) -> Vec<String> {
    msg.split_once("expected").map_or(Vec::new(), |(_, rest)| {
        rest.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    })
}

/// Other names users give to dist, metric and comparator values, and to fields.
const SYNONYMS: [(&str, &str); 36] = [
    ("gaussian", "normal"),
    ("gauss", "normal"),
    ("lognorm", "lognormal"),
    ("log_normal", "lognormal"),
    ("log-normal", "lognormal"),
    ("constant", "fixed"),
    ("const", "fixed"),
    ("point", "fixed"),
    ("triangle", "triangular"),
    ("truncated_normal", "truncnormal"),
    ("trunc_normal", "truncnormal"),
    ("beta_pert", "pert"),
    ("betapert", "pert"),
    ("t", "student_t"),
    ("student", "student_t"),
    ("students_t", "student_t"),
    ("categorical", "discrete"),
    (">=", "at_least"),
    ("min", "at_least"),
    ("minimum", "at_least"),
    ("<=", "at_most"),
    ("max", "at_most"),
    ("maximum", "at_most"),
    ("=", "about"),
    ("approx", "about"),
    ("around", "about"),
    ("growth", "cagr"),
    ("change", "change_pct"),
    ("percent_change", "change_pct"),
    ("std", "sd"),
    ("stdev", "sd"),
    ("average", "mean"),
    ("distribution", "dist"),
    ("target", "value"),
    ("goal", "value"),
    ("year", "horizon"),
];

/// `did you mean` for a name among `expected`, by spelling or by synonym.
fn suggestion(name: &str, expected: &[String]) -> Option<String> {
    did_you_mean(name, expected.iter().map(String::as_str))
        .map(str::to_string)
        .or_else(|| {
            let lower = name.trim().to_lowercase().replace(' ', "_");
            SYNONYMS
                .iter()
                .find(|(from, to)| *from == lower && expected.iter().any(|e| e == to))
                .map(|(_, to)| to.to_string())
        })
}

/// Turns a serde error (unknown key, wrong type, missing field) into a diagnostic that
/// names the table, says what was expected and suggests a fix. `item` is the path of the
/// table being deserialised, used when the error's span does not say more.
fn serde_diagnostic(e: &toml::de::Error, item: &str, ctx: &Ctx<'_>) -> Diagnostic {
    let msg = e.message().trim().to_string();
    let span = e
        .span()
        .filter(|s| !(s.start == 0 && s.end == 0 && item.is_empty()));
    let loc = match &span {
        Some(s) => ctx.sources.locate(s.clone()),
        None => Some(whole_file(ctx.named)),
    };
    let path = span
        .as_ref()
        .and_then(|s| ctx.index.path_at(s))
        .unwrap_or_else(|| item.to_string());
    let d =
        |message: String, hint: String| Diagnostic::new(message).at(loc.clone()).with_hint(hint);

    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or("");
        let expected = backticked(rest);
        // The error points at the key, so the path ends in it.
        let table = if path.ends_with(name) && path.len() > name.len() {
            split_last(&path).0.to_string()
        } else {
            path.clone()
        };
        let where_ = ctx.index.table_name(&table);
        let hint = if let Some(best) = suggestion(name, &expected) {
            format!("did you mean `{best}`?")
        } else if field_names::<ScenarioSpec>().iter().any(|f| f == name) {
            format!("`{name}` is a top-level key: move it above the first [table] header (a key belongs to the header above it)")
        } else if expected.is_empty() {
            "remove it".to_string()
        } else {
            format!("the keys of {where_} are: {}", expected.join(", "))
        };
        return d(format!("unknown field `{name}` in {where_}"), hint);
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let name = rest.split('`').next().unwrap_or("");
        let expected = backticked(rest);
        let list = expected
            .iter()
            .map(|x| format!("\"{x}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = match suggestion(name, &expected) {
            Some(best) => format!("did you mean \"{best}\"?"),
            None => format!("write one of {list}"),
        };
        return d(
            format!(
                "unknown value \"{name}\" for {}, expected one of {list}",
                ctx.index.value_name(&path)
            ),
            hint,
        );
    }
    if let Some(field) = msg
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        let table = ctx.index.table_name(&path);
        return d(
            format!("missing field `{field}` in {table}"),
            missing_field_hint(&path, field),
        );
    }
    let typed = msg
        .strip_prefix("invalid type: ")
        .map(|r| (r, true))
        .or_else(|| msg.strip_prefix("invalid value: ").map(|r| (r, false)));
    if let Some((rest, _)) = typed {
        if let Some((found, expected)) = rest.rsplit_once(", expected ") {
            let what = expected_phrase(expected);
            let shown = found_phrase(found);
            let range = match expected {
                "i32" => Some((i32::MIN as i128, i32::MAX as i128)),
                "u64" => Some((0, u64::MAX as i128)),
                _ => None,
            };
            // serde writes 128-bit integers as "integer `N` as u128".
            let int = found
                .strip_prefix("integer `")
                .and_then(|r| r.split('`').next())
                .and_then(|n| n.parse::<i128>().ok());
            if let (Some((lo, hi)), Some(n)) = (range, int) {
                if n < lo || n > hi {
                    let field = split_last(&path).1.to_string();
                    let (message, hint) = if n < 0 && lo == 0 {
                        (
                            format!(
                                "{} must not be negative, found {n}",
                                ctx.index.value_name(&path)
                            ),
                            type_hint(found, expected, &field),
                        )
                    } else {
                        (
                            format!(
                                "{} = {n} is out of range ({lo} to {hi})",
                                ctx.index.value_name(&path)
                            ),
                            format!("check the number of digits of {field}"),
                        )
                    };
                    return d(message, hint);
                }
            }
            let field = split_last(&path).1.to_string();
            let hint = type_hint(found, expected, &field);
            return d(
                format!(
                    "{} must be {what}, found {shown}",
                    ctx.index.value_name(&path)
                ),
                hint,
            );
        }
    }
    if msg.contains("overflowed") {
        return d(
            format!("{} is too large a number", ctx.index.value_name(&path)),
            "check the number of digits".into(),
        );
    }
    d(
        format!("{msg} ({})", ctx.index.value_name(&path)),
        "see docs/scenario-format.md for the fields of each table".into(),
    )
}

fn whole_file(path: &Path) -> Location {
    Location {
        file: path.to_path_buf(),
        line: 1,
        column: 1,
        line_text: String::new(),
        width: 0,
    }
}

/// serde's "expected …" in words an economist uses.
fn expected_phrase(expected: &str) -> String {
    match expected {
        "i32" | "i64" => "a whole number (such as a year, 2015)".into(),
        "u64" | "u32" | "usize" => "a whole number ≥ 0".into(),
        "f64" | "f32" => "a number".into(),
        "a string" => "text in double quotes".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list in square brackets, [ … ]".into(),
        e if e.starts_with("struct ") || e == "a map" => "a table".into(),
        e if e.starts_with("enum ") => "a name in double quotes".into(),
        e => e.to_string(),
    }
}

/// serde's description of the value found, in the file's terms.
fn found_phrase(found: &str) -> String {
    let quoted = |s: &str| s.split('`').nth(1).unwrap_or(s).to_string();
    if let Some(s) = found.strip_prefix("string ") {
        format!("text {s}")
    } else if found.starts_with("integer") || found.starts_with("floating point") {
        format!("the number {}", quoted(found))
    } else if found.starts_with("boolean") {
        quoted(found)
    } else if found == "map" {
        "a table".into()
    } else if found == "sequence" {
        "a list".into()
    } else {
        found.to_string()
    }
}

fn type_hint(found: &str, expected: &str, field: &str) -> String {
    let is_number = matches!(
        expected,
        "i32" | "i64" | "u64" | "u32" | "usize" | "f64" | "f32"
    );
    let whole = matches!(expected, "i32" | "i64" | "u64" | "u32" | "usize");
    let text = found
        .strip_prefix("string \"")
        .and_then(|s| s.strip_suffix('"'));
    if let (Some(t), true) = (text, is_number) {
        if t.trim().parse::<f64>().is_ok() {
            return format!("remove the quotes: {field} = {}", t.trim());
        }
        if let Some(n) = t
            .trim()
            .strip_suffix('%')
            .and_then(|n| n.trim().parse::<f64>().ok())
        {
            return format!(
                "write a plain number without quotes or %: {field} = {}",
                n / 100.0
            );
        }
        if matches!(t, "true" | "false") {
            return format!("remove the quotes: {field} = {t}");
        }
        return format!(
            "numbers are written without quotes, e.g. {field} = {}",
            if whole { "2015" } else { "0.08" }
        );
    }
    if let (Some(t), "a boolean") = (text, expected) {
        return match t.to_lowercase().as_str() {
            "true" | "yes" | "是" => format!("write {field} = true (no quotes)"),
            "false" | "no" | "否" => format!("write {field} = false (no quotes)"),
            _ => format!("write {field} = true or {field} = false"),
        };
    }
    if found.starts_with("floating point") && whole {
        let v = found.split('`').nth(1).unwrap_or("");
        return match v.parse::<f64>() {
            Ok(x)
                if x.fract() == 0.0 && x >= 0.0
                    || x.fract() == 0.0 && expected.starts_with('i') =>
            {
                format!("write it without a decimal point: {field} = {x:.0}")
            }
            _ => format!("{field} takes a whole number"),
        };
    }
    if found.starts_with("integer") && whole {
        return match field {
            "draws" => "draws is a positive count, e.g. draws = 100000".into(),
            "seed" => "the seed is a whole number ≥ 0, e.g. seed = 42".into(),
            _ => format!("{field} must fit its range; check the number"),
        };
    }
    if (found.starts_with("integer")
        || found.starts_with("floating point")
        || found.starts_with("boolean"))
        && expected == "a string"
    {
        let v = found.split('`').nth(1).unwrap_or("");
        return format!("put text in double quotes: {field} = \"{v}\"");
    }
    if expected == "a sequence" {
        if let Some(t) = text {
            let items: Vec<String> = t
                .split([',', ' ', ';'])
                .filter(|x| !x.is_empty())
                .map(|x| format!("\"{x}\""))
                .collect();
            return format!(
                "write a list in square brackets: {field} = [{}]",
                items.join(", ")
            );
        }
        if found.starts_with("integer") || found.starts_with("floating point") {
            let v = found.split('`').nth(1).unwrap_or("…");
            return format!(
                "write a list in square brackets, even for one entry: {field} = [{v}, …]"
            );
        }
        return format!("write a list in square brackets: {field} = [ … ]");
    }
    if found == "sequence" && (is_number || expected.starts_with("a number")) {
        return format!("{field} takes one value here, not a list");
    }
    if found == "map" && expected.starts_with("a number") {
        return format!("{field} takes one number or a parameter name here, not a table");
    }
    "check the value's type: numbers unquoted, text in double quotes, lists in [ ], tables in { }"
        .into()
}

/// What to write for a missing required field.
fn missing_field_hint(path: &str, field: &str) -> String {
    let table = path.split(['.', '[']).next().unwrap_or("");
    let example = match (table, field) {
        ("scenario", "id") => "id = \"national_2011_2015\" (letters, digits and underscores; names the output directory)",
        ("scenario", "name") => "name = \"…\" (the plan's name, for reports)",
        ("scenario", "base_year") => "base_year = 2010 (the year of the known starting values)",
        ("scenario", "horizon") => "horizon = 2015 (the last simulated year)",
        (_, "id") => "id = \"…\" (a short identifier: letters, digits and underscores)",
        (_, "name") => "name = \"…\" (an English name for reports)",
        ("sectors", "va") => "va = { GD = 1200.0, … } (base-year value added by region, or one number for a single region)",
        ("sectors", "growth") => "growth = 0.08 (mean annual real growth as a fraction) or the name of a parameter",
        ("capacity", "sector") => "sector = \"steel\" (the sector whose value added drives its output)",
        ("capacity", "output") => "output = 6.0 (base-year output)",
        ("capacity", "capacity") => "capacity = 7.0 (base-year total capacity)",
        ("capacity", "backward") => "backward = 1.0 (base-year backward capacity, ≤ capacity)",
        ("capacity", "unit_energy_advanced") => "unit_energy_advanced = 580.0 (unit energy of advanced capacity)",
        ("capacity", "unit_energy_backward") => "unit_energy_backward = 700.0 (unit energy of backward capacity)",
        ("derived", "basis") => "basis = \"energy\" or basis = \"va\"",
        ("derived", "factor") => "factor = 2.5 (base-year amount per unit of the basis)",
        ("indicators", "kind") => "kind = \"bounded\" or kind = \"level\"",
        ("indicators", "start") => "start = 52.1 (the base-year value)",
        ("history", "series") => "series = \"va\" (the series the value belongs to)",
        ("history", "year") => "year = 2005",
        ("history", "value") => "value = 7.2 (the value the document states)",
        ("targets", "metric") => "metric = \"cagr\" (one of cagr, change_pct, level, share, change_pp, cumulative, multiple)",
        ("targets", "comparator") => "comparator = \"at_least\" (or at_most, about)",
        ("targets", "value") => "value = 8.5 (the plan's number)",
        ("correlation", "params") => "params = [\"g_a\", \"g_b\"] (the correlated parameters)",
        ("correlation", "matrix") => "matrix = [[1.0, 0.3], [0.3, 1.0]] (one row per parameter)",
        _ => "",
    };
    if example.is_empty() {
        format!("add `{field} = …`; docs/scenario-format.md lists the fields of each table")
    } else {
        format!("add {example}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_by_spelling_and_synonym() {
        let dists: Vec<String> = ["fixed", "normal", "student_t"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(suggestion("nromal", &dists).as_deref(), Some("normal"));
        assert_eq!(suggestion("gaussian", &dists).as_deref(), Some("normal"));
        assert_eq!(suggestion("T", &dists).as_deref(), Some("student_t"));
        assert_eq!(suggestion("weibull", &dists), None);
    }

    #[test]
    fn field_names_come_from_serde() {
        let f = field_names::<Meta>();
        assert!(f.iter().any(|x| x == "horizon") && f.iter().any(|x| x == "base_year"));
        assert!(field_names::<ScenarioSpec>().iter().any(|x| x == "targets"));
    }

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
