//! Laying a child scenario over its parent (`extends`): every span moved into one shared
//! offset space, tables merged by key (a table that names its `dist` replaces the
//! parent's distribution whole), arrays of tables merged by `id`.

use super::spans::{item_id, Node, Table};
use toml::de::{DeArray, DeValue};
use toml::Spanned;

/// Moves every span of a parsed file into the shared offset space.
pub(super) fn shift(node: Node<'_>, base: usize) -> Node<'_> {
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
pub(super) fn merge_tables<'i>(parent: &mut Table<'i>, child: Table<'i>) {
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

/// Keys of a parameter that a child's new `dist` leaves in place.
const KEPT_WITH_NEW_DIST: [&str; 4] = ["name", "name_zh", "unit", "inside_view"];

fn merge_value<'i>(parent: &mut Node<'i>, child: Node<'i>) {
    match (parent.get_mut(), child.get_ref()) {
        (DeValue::Table(p), DeValue::Table(c)) => {
            if c.contains_key("dist") {
                // A child that names a distribution replaces the parent's whole: keys of
                // the old family would otherwise remain and be errors (or, worse, be
                // read by the new family), and its source would vouch for numbers it
                // never gave. What describes the parameter stays.
                let old: Vec<String> = p
                    .keys()
                    .map(|k| k.get_ref().to_string())
                    .filter(|k| !KEPT_WITH_NEW_DIST.contains(&k.as_str()))
                    .collect();
                for k in old {
                    p.remove(k.as_str());
                }
            }
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

fn has_ids(a: &DeArray<'_>) -> bool {
    !a.is_empty() && a.iter().all(|x| item_id(x).is_some())
}
