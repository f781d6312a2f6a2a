//! Where every value of a merged scenario document is: spans by key path
//! (`params.g.sd`, `sectors[2].va.GD`), and how a user would name the table or value at
//! a path. The later rounds of loading use it to point at what they complain about.

use super::super::sources::SourceMap;
use super::super::spec::ITEM_LISTS;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

pub(super) type Node<'i> = Spanned<DeValue<'i>>;
pub(super) type Table<'i> = DeTable<'i>;

/// Top-level keys holding one table.
pub(super) const TABLE_KEYS: [&str; 4] = ["scenario", "params", "correlation", "shocks"];
/// Whether a top-level key holds a list of tables (`[[name]]`): the scenario's own
/// items, or `[[include]]`.
pub(super) fn is_list_key(key: &str) -> bool {
    key == "include" || ITEM_LISTS.contains(&key)
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
    pub(super) fn path_at(&self, span: &Range<usize>) -> Option<String> {
        self.spans
            .iter()
            .filter(|(p, s)| !p.is_empty() && s.start <= span.start && span.end <= s.end)
            .min_by_key(|(p, s)| (s.end - s.start, usize::MAX - p.len()))
            .map(|(p, _)| p.trim_end_matches("#key").to_string())
    }

    pub(super) fn record(&mut self, path: &str, node: &Node<'_>) {
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
    pub(super) fn table_name(&self, path: &str) -> String {
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
    pub(super) fn value_name(&self, path: &str) -> String {
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
            if !is_list_key(parent) {
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
        if is_list_key(first) && after.starts_with('[') {
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

pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `a.b[2]` → (`a.b`, `[2]`); `a.b` → (`a`, `b`); `a` → (``, `a`).
pub(super) fn split_last(path: &str) -> (&str, &str) {
    match path.rfind(['.', '[']) {
        Some(i) if path.as_bytes()[i] == b'[' => (&path[..i], &path[i..]),
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    }
}

/// The `id` of an item of a list of tables, if it has one.
pub(super) fn item_id<'a>(item: &'a Node<'_>) -> Option<&'a str> {
    item.get_ref().as_table()?.get("id")?.get_ref().as_str()
}

/// What the later rounds need to turn errors into diagnostics.
pub(super) struct Ctx<'a> {
    pub(super) sources: &'a SourceMap,
    pub(super) index: &'a SpanIndex,
    /// The file named on the command line: where whole-scenario problems are reported.
    pub(super) named: &'a Path,
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
