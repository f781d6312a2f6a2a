//! The house rules that hold the code's shape, checked on the source text:
//!
//! - **Arrows one way.** The library's modules form layers, lowest first: the leaves
//!   `ix`, `diag`, `stats`; then `scenario` → `model` → `load` → `sim` → `report` →
//!   `chart` → `html`; the CLI (binary) sits on top. A file never refers to a module of a higher
//!   layer, nor to another module of its own layer; and only the compiler
//!   (`model::compile`) and the loader (`load`) read the file format (`scenario`).
//! - **No cycle between files.** Within the crate the files' references form no cycle. A
//!   module's `pub use` of its own submodules' items (a facade naming what it offers) is
//!   not counted as the facade depending on them.
//! - **Short functions.** No function outside tests is longer than 100 lines.
//!
//! References are read from `use` lines and from paths in code (`crate::…`, `super::…`,
//! `self::…`, `planrisk::…`, and paths starting with a submodule a file declares), after
//! comments and string literals are blanked out. `#[cfg(test)]` items are left out: test
//! code may reach for whatever it tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Layers of the library's top-level modules, lowest first.
const LAYERS: &[&[&str]] = &[
    &["ix", "diag", "stats"],
    &["scenario"],
    &["model"],
    &["load"],
    &["sim"],
    &["report"],
    &["chart"],
    &["html"],
];

/// The only modules that may read the scenario file format (`scenario`): the compiler
/// that turns it into a model, and the loader that composes reading and compiling. The
/// engine, the report and the charts see the model, never the file.
const READS_THE_FILE_FORMAT: &[&[&str]] = &[&["model", "compile"], &["load"]];

/// Longest function allowed outside tests, in lines (signature to closing brace).
const MAX_FN_LINES: usize = 100;

/// Which crate a file belongs to: the library or the `planrisk` binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Krate {
    Lib,
    Bin,
}

/// A module: its crate and its path of names below the crate root.
type Module = (Krate, Vec<String>);

/// One source file and what the checks need of it.
struct File {
    path: PathBuf,
    module: Module,
    /// The text with comments, strings and `#[cfg(test)]` items blanked out.
    code: String,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module a file under `src/` defines.
fn module_of(rel: &Path) -> Module {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs").to_string();
    if !matches!(stem.as_str(), "mod" | "lib" | "main") {
        parts.push(stem.clone());
    }
    let krate = if stem == "main" || parts.first().is_some_and(|p| p == "cli") {
        Krate::Bin
    } else {
        Krate::Lib
    };
    (krate, parts)
}

fn load_files() -> Vec<File> {
    let root = src();
    let mut paths = Vec::new();
    rust_files(&root, &mut paths);
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("source is UTF-8");
            let rel = p.strip_prefix(&root).expect("under src/").to_path_buf();
            File {
                module: module_of(&rel),
                code: without_test_items(&blank_comments_and_strings(&text)),
                path: rel,
            }
        })
        .collect()
}

// ---------------------------------------------------------------- lexing

/// `text` with comments and the contents of string and character literals replaced by
/// spaces (newlines kept), so braces and `::` inside them are not taken for code.
fn blank_comments_and_strings(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(&c, i) {
            // r"…", r#"…"#, br"…": no escapes, ends at a quote and as many #.
            let open = c[i..].iter().position(|&x| x == '"').expect("a quote") + i;
            for &ch in &c[i..=open] {
                out.push(ch);
            }
            i = open + 1;
            while i < c.len() {
                if c[i] == '"' && (0..hashes).all(|k| c.get(i + 1 + k) == Some(&'#')) {
                    out.push('"');
                    out.extend(std::iter::repeat_n('#', hashes));
                    i += 1 + hashes;
                    break;
                }
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == '"' {
            out.push('"');
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    blank(&mut out, c[i]);
                    i += 1;
                }
                if i < c.len() {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
            out.push('"');
            i += 1;
        } else if c[i] == '\'' && is_char_literal(&c, i) {
            out.push('\'');
            i += 1;
            while i < c.len() && c[i] != '\'' {
                if c[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < c.len() {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
            out.push('\'');
            i += 1;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// The number of `#` of a raw string literal starting at `i`, if one does.
fn raw_string_start(c: &[char], i: usize) -> Option<usize> {
    if i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_') {
        return None;
    }
    let mut j = i;
    if c.get(j) == Some(&'b') {
        j += 1;
    }
    if c.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while c.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    (c.get(j) == Some(&'"')).then_some(hashes)
}

/// Whether the `'` at `i` opens a character literal (`'x'`, `'\n'`) rather than a
/// lifetime or label (`'a`).
fn is_char_literal(c: &[char], i: usize) -> bool {
    match c.get(i + 1) {
        Some('\\') => true,
        Some(_) => c.get(i + 2) == Some(&'\''),
        None => false,
    }
}

/// The index just past the block that opens at the first `{` at or after `from`, or
/// the index after the first `;` if that comes first (an item without a body).
fn item_end(code: &[char], from: usize) -> (usize, bool) {
    let mut depth = 0usize;
    let mut i = from;
    while i < code.len() {
        match code[i] {
            ';' if depth == 0 => return (i + 1, false),
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return (i + 1, true);
                }
            }
            _ => {}
        }
        i += 1;
    }
    (code.len(), false)
}

/// Blanks every item marked `#[cfg(test)]` (and `#[test]` functions).
fn without_test_items(code: &str) -> String {
    let mut c: Vec<char> = code.chars().collect();
    let marks = ["#[cfg(test)]", "#[test]"];
    let text: String = c.iter().collect();
    let mut starts: Vec<usize> = Vec::new();
    for m in marks {
        starts.extend(
            text.match_indices(m)
                .map(|(b, _)| text[..b].chars().count()),
        );
    }
    starts.sort_unstable();
    for s in starts.into_iter().rev() {
        let (end, _) = item_end(&c, s);
        for ch in &mut c[s..end] {
            if *ch != '\n' {
                *ch = ' ';
            }
        }
    }
    c.into_iter().collect()
}

// ---------------------------------------------------------------- references

/// A reference from one file to a module path, and whether it is a `pub use` (a
/// re-export).
struct Reference {
    path: Vec<String>,
    krate: Krate,
    reexport: bool,
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Expands a `use` tree (`a::{b, c::{d, e}}`) into its paths.
fn expand_use_tree(tree: &str) -> Vec<String> {
    // `x as y` keeps its alias as `x#y`; then spaces go.
    let words: Vec<&str> = tree.split_whitespace().collect();
    let tree: String = words.join(" ").replace(" as ", "#").replace(' ', "");
    let mut out = Vec::new();
    expand_into("", &tree, &mut out);
    out
}

fn expand_into(prefix: &str, tree: &str, out: &mut Vec<String>) {
    match tree.find('{') {
        None => out.push(format!("{prefix}{tree}")),
        Some(open) => {
            let head = &tree[..open];
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let mut depth = 0;
            let mut start = 0;
            let mut parts = Vec::new();
            for (i, ch) in inner.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        parts.push(&inner[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            parts.push(&inner[start..]);
            for p in parts.into_iter().filter(|p| !p.is_empty()) {
                expand_into(&format!("{prefix}{head}"), p, out);
            }
        }
    }
}

/// Names of the submodules a file declares (`mod x;`).
fn declared_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let words: Vec<&str> = line
            .split(|c: char| !is_ident(c) && c != ';')
            .filter(|w| !w.is_empty())
            .collect();
        if let Some(i) = words.iter().position(|w| *w == "mod") {
            if let Some(name) = words.get(i + 1) {
                if name.ends_with(';') {
                    out.insert(name.trim_end_matches(';').to_string());
                }
            }
        }
    }
    out
}

/// Every module path `file` refers to, resolved against its own module.
fn references(file: &File) -> Vec<Reference> {
    let (krate, here) = &file.module;
    let children = declared_modules(&file.code);
    let mut raw: Vec<(String, bool)> = Vec::new();
    // `use` items (blanked afterwards, so the scan for paths in code skips them).
    let mut chars: Vec<char> = file.code.chars().collect();
    let text = &file.code;
    let mut use_items = Vec::new();
    for (b, _) in text.match_indices("use ") {
        let before = text[..b].chars().next_back();
        if before.is_some_and(is_ident) {
            continue;
        }
        let start = text[..b].chars().count();
        let (end, _) = item_end(&chars, start);
        use_items.push(start..end);
        let item: String = chars[start + 4..end].iter().collect();
        let item = item.trim_end_matches(';');
        let line_start = text[..b].rfind('\n').map_or(0, |i| i + 1);
        let reexport = text[line_start..b].trim_start().starts_with("pub");
        for p in expand_use_tree(item) {
            let p = p.split('#').next().unwrap_or(&p).to_string();
            raw.push((p, reexport));
        }
    }
    for r in use_items {
        chars[r].iter_mut().for_each(|c| *c = ' ');
    }
    // Paths in code.
    let mut i = 0;
    while i < chars.len() {
        if is_ident(chars[i]) && (i == 0 || !(is_ident(chars[i - 1]) || chars[i - 1] == ':')) {
            let mut j = i;
            while j < chars.len() && (is_ident(chars[j]) || chars[j] == ':') {
                j += 1;
            }
            let path: String = chars[i..j].iter().collect();
            let first = path.split("::").next().unwrap_or("");
            if path.contains("::")
                && (matches!(first, "crate" | "super" | "self" | "planrisk")
                    || children.contains(first))
            {
                raw.push((path.trim_end_matches(':').to_string(), false));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    let mut out = Vec::new();
    for (p, reexport) in raw {
        let segs: Vec<String> = p
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let Some(first) = segs.first() else { continue };
        let (target_krate, mut base, rest) = match first.as_str() {
            "crate" => (*krate, vec![], &segs[1..]),
            "planrisk" => (Krate::Lib, vec![], &segs[1..]),
            "self" => (*krate, here.clone(), &segs[1..]),
            "super" => {
                let mut b = here.clone();
                let mut k = 0;
                while segs.get(k).is_some_and(|s| s == "super") {
                    b.pop();
                    k += 1;
                }
                (*krate, b, &segs[k..])
            }
            name if children.contains(name) => (*krate, here.clone(), &segs[..]),
            _ => continue,
        };
        base.extend(rest.iter().cloned());
        out.push(Reference {
            path: base,
            krate: target_krate,
            reexport,
        });
    }
    out
}

/// The file a module path lands in: the deepest prefix of `path` that is a module.
fn resolve(path: &[String], krate: Krate, modules: &BTreeMap<Module, usize>) -> Option<usize> {
    (0..=path.len())
        .rev()
        .find_map(|n| modules.get(&(krate, path[..n].to_vec())).copied())
}

/// (from file, to file, re-export?) for every reference between two files.
fn edges(files: &[File]) -> Vec<(usize, usize, bool)> {
    let modules: BTreeMap<Module, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.module.clone(), i))
        .collect();
    let mut out = BTreeSet::new();
    for (i, f) in files.iter().enumerate() {
        for r in references(f) {
            if let Some(j) = resolve(&r.path, r.krate, &modules) {
                if j != i {
                    out.insert((i, j, r.reexport));
                }
            }
        }
    }
    out.into_iter().collect()
}

fn layer(top: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&top))
}

// ---------------------------------------------------------------- the checks

#[test]
fn imports_point_down_the_layers() {
    let files = load_files();
    let mut bad = Vec::new();
    for (a, b, _) in edges(&files) {
        let (fa, fb) = (&files[a], &files[b]);
        if fa.module.0 == Krate::Bin || fb.module.0 == Krate::Bin {
            continue;
        }
        let (ta, tb) = (fa.module.1.first(), fb.module.1.first());
        let (Some(ta), Some(tb)) = (ta, tb) else {
            // The crate root declares every module; nothing below may refer to it.
            if ta.is_some() {
                bad.push(format!(
                    "{} refers to the crate root ({})",
                    fa.path.display(),
                    fb.path.display()
                ));
            }
            continue;
        };
        if ta == tb {
            continue;
        }
        if tb == "scenario"
            && !READS_THE_FILE_FORMAT.iter().any(|m| {
                fa.module
                    .1
                    .starts_with(&m.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            })
        {
            bad.push(format!(
                "{} reads the scenario file format ({}); only the compiler and the loader may",
                fa.path.display(),
                fb.path.display()
            ));
            continue;
        }
        match (layer(ta), layer(tb)) {
            (Some(la), Some(lb)) if la > lb => {}
            (la, lb) => bad.push(format!(
                "{} (`{ta}`, layer {la:?}) refers to {} (`{tb}`, layer {lb:?})",
                fa.path.display(),
                fb.path.display()
            )),
        }
    }
    assert!(
        bad.is_empty(),
        "imports against the layers (ix, diag, stats < scenario < model < load < sim < report < chart < html):\n{}",
        bad.join("\n")
    );
}

#[test]
fn files_form_no_cycle() {
    let files = load_files();
    let n = files.len();
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, b, reexport) in edges(&files) {
        let (ma, mb) = (&files[a].module, &files[b].module);
        let facade = reexport && ma.0 == mb.0 && mb.1.starts_with(&ma.1);
        if !facade {
            next[a].push(b);
        }
    }
    let cycles: Vec<String> = strongly_connected(&next)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            c.iter()
                .map(|&i| files[i].path.display().to_string())
                .collect::<Vec<_>>()
                .join(" ⇄ ")
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "files that refer to each other (directly or around a loop):\n{}",
        cycles.join("\n")
    );
}

/// Tarjan's strongly connected components.
fn strongly_connected(next: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct State<'a> {
        next: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        counter: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.counter);
        s.low[v] = s.counter;
        s.counter += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for k in 0..s.next[v].len() {
            let w = s.next[v][k];
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut c = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                c.push(w);
                if w == v {
                    break;
                }
            }
            s.out.push(c);
        }
    }
    let n = next.len();
    let mut s = State {
        next,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        counter: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn no_function_is_longer_than_100_lines() {
    let mut long = Vec::new();
    for f in load_files() {
        let c: Vec<char> = f.code.chars().collect();
        let text = &f.code;
        for (b, _) in text.match_indices("fn ") {
            if text[..b].chars().next_back().is_some_and(is_ident) {
                continue;
            }
            let name: String = text[b + 3..]
                .chars()
                .take_while(|&ch| is_ident(ch))
                .collect();
            if name.is_empty() {
                continue;
            }
            let start = text[..b].chars().count();
            let (end, has_body) = item_end(&c, start);
            if !has_body {
                continue;
            }
            let lines = c[start..end].iter().filter(|&&ch| ch == '\n').count() + 1;
            if lines > MAX_FN_LINES {
                let line = text[..b].matches('\n').count() + 1;
                long.push(format!(
                    "{}:{line} `{name}`: {lines} lines",
                    f.path.display()
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines (split them at their own section comments):\n{}",
        long.join("\n")
    );
}

/// The checks' own reading of Rust: literals and comments blanked, use trees
/// expanded, references resolved.
#[test]
fn the_reader_understands_the_code_it_checks() {
    let blanked = blank_comments_and_strings(
        "let a = \"{ crate::x }\"; // crate::y\nlet b = '{'; fn f<'a>() {} /* crate::z */ r#\"}\"#",
    );
    assert!(!blanked.contains("crate::"), "{blanked}");
    assert_eq!(blanked.matches('{').count(), 1, "{blanked}");
    assert!(blanked.contains("<'a>"));
    assert_eq!(
        expand_use_tree("crate::a::{b, c::{d, e as f}, self}"),
        [
            "crate::a::b",
            "crate::a::c::d",
            "crate::a::c::e#f",
            "crate::a::self"
        ]
    );
    let stripped = without_test_items("fn a() {}\n#[cfg(test)]\nmod tests { use crate::x; }\n");
    assert!(!stripped.contains("crate::x") && stripped.contains("fn a"));
    let file = File {
        path: PathBuf::from("sim/kernel/economy.rs"),
        module: (Krate::Lib, vec!["sim".into(), "kernel".into(), "economy".into()]),
        code: "use super::plan::Aggregates;\nuse crate::model::{Model, Source};\nfn f() { crate::stats::wilson(1, 2, 3.0); }\n".into(),
    };
    let refs: BTreeSet<String> = references(&file)
        .iter()
        .map(|r| r.path.join("::"))
        .collect();
    let want = [
        "sim::kernel::plan::Aggregates",
        "model::Model",
        "model::Source",
        "stats::wilson",
    ];
    assert_eq!(refs, want.iter().map(|s| s.to_string()).collect());
}
