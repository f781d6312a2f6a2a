//! The shape of the merged document: top-level keys, tables and lists, then every table
//! deserialised on its own, with serde's errors turned into diagnostics in the file's
//! terms (what was found, what was expected, a did-you-mean and a hint).

use super::spans::{is_list_key, split_last, Ctx, Node, Table, TABLE_KEYS};
use crate::diag::{did_you_mean, Diagnostic, Location};
use crate::scenario::spec::*;
use serde::de::IntoDeserializer;
use serde::Deserialize;
use std::ops::Range;
use std::path::Path;
use toml::de::DeValue;

/// The shape of the merged document: top-level keys, table-or-list, then every table
/// deserialised on its own so each gets its first problem reported.
pub(super) fn check_document(root: &Table<'_>, ctx: &Ctx<'_>) -> Vec<Diagnostic> {
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
            "params" => check_params(v, ctx, &mut out),
            _ if is_list_key(key) => check_list(key, v, ctx, &mut out),
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
    missing_sections(root, &suggestions, ctx, &mut out);
    out
}

/// Each parameter is a table, checked on its own.
fn check_params(v: &Node<'_>, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let at = |node: &Node<'_>| ctx.sources.locate(node.span());
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

/// A list key holds a list of tables, each item checked on its own.
fn check_list(key: &str, v: &Node<'_>, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let at = |node: &Node<'_>| ctx.sources.locate(node.span());
    let kind = kind_of(v.get_ref());
    match v.get_ref().as_array() {
        None => {
            let hint = if v.get_ref().is_table() {
                format!("`{key}` is a list: start each item with [[{key}]] (double brackets)")
            } else {
                format!("`{key}` is a list of tables: start each item with a [[{key}]] header")
            };
            out.push(
                Diagnostic::new(format!("`{key}` must be a list of tables, found {kind}"))
                    .at(at(v))
                    .with_hint(hint),
            );
        }
        Some(items) => {
            for (i, item) in items.iter().enumerate() {
                let path = format!("{key}[{i}]");
                if !item.get_ref().is_table() {
                    out.push(
                        Diagnostic::new(format!(
                            "item {} of `{key}` must be a table, found {}",
                            i + 1,
                            kind_of(item.get_ref())
                        ))
                        .at(at(item))
                        .with_hint(format!(
                            "describe each item in its own [[{key}]] table, with its id and fields"
                        )),
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
                    "observed" => check_as::<ObservedSpec>(item, &path, ctx),
                    "response" => check_as::<ResponseSpec>(item, &path, ctx),
                    "include" => check_as::<IncludeSpec>(item, &path, ctx),
                    _ => check_as::<TargetSpec>(item, &path, ctx),
                });
            }
        }
    }
}

/// The sections every scenario needs, unless one was reported misspelt or misplaced.
fn missing_sections(
    root: &Table<'_>,
    suggestions: &[String],
    ctx: &Ctx<'_>,
    out: &mut Vec<Diagnostic>,
) {
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
const SYNONYMS: [(&str, &str); 42] = [
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
    ("more", "up"),
    ("higher", "up"),
    ("increase", "up"),
    ("less", "down"),
    ("lower", "down"),
    ("decrease", "down"),
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
pub(super) fn serde_diagnostic(e: &toml::de::Error, item: &str, ctx: &Ctx<'_>) -> Diagnostic {
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
    let (message, hint) = serde_message(&msg, &path, ctx);
    Diagnostic::new(message).at(loc).with_hint(hint)
}

/// The message and hint for serde's complaint `msg` about the value at `path`.
fn serde_message(msg: &str, path: &str, ctx: &Ctx<'_>) -> (String, String) {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        return unknown_field(rest, path, ctx);
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        return unknown_variant(rest, path, ctx);
    }
    if let Some(field) = msg
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        let table = ctx.index.table_name(path);
        return (
            format!("missing field `{field}` in {table}"),
            missing_field_hint(path, field),
        );
    }
    let typed = msg
        .strip_prefix("invalid type: ")
        .or_else(|| msg.strip_prefix("invalid value: "));
    if let Some((found, expected)) = typed.and_then(|r| r.rsplit_once(", expected ")) {
        return wrong_type(found, expected, path, ctx);
    }
    if msg.contains("overflowed") {
        return (
            format!("{} is too large a number", ctx.index.value_name(path)),
            "check the number of digits".into(),
        );
    }
    (
        format!("{msg} ({})", ctx.index.value_name(path)),
        "see docs/scenario-format.md for the fields of each table".into(),
    )
}

/// A key the table does not have (`rest` follows "unknown field `").
fn unknown_field(rest: &str, path: &str, ctx: &Ctx<'_>) -> (String, String) {
    let name = rest.split('`').next().unwrap_or("");
    let expected = backticked(rest);
    // The error points at the key, so the path ends in it.
    let table = if path.ends_with(name) && path.len() > name.len() {
        split_last(path).0.to_string()
    } else {
        path.to_string()
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
    (format!("unknown field `{name}` in {where_}"), hint)
}

/// A value that is not one of the words the key takes (`rest` follows "unknown
/// variant `").
fn unknown_variant(rest: &str, path: &str, ctx: &Ctx<'_>) -> (String, String) {
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
    (
        format!(
            "unknown value \"{name}\" for {}, expected one of {list}",
            ctx.index.value_name(path)
        ),
        hint,
    )
}

/// A value of the wrong type, or an integer out of its type's range.
fn wrong_type(found: &str, expected: &str, path: &str, ctx: &Ctx<'_>) -> (String, String) {
    let field = split_last(path).1.to_string();
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
        if n < 0 && lo == 0 {
            return (
                format!(
                    "{} must not be negative, found {n}",
                    ctx.index.value_name(path)
                ),
                type_hint(found, expected, &field),
            );
        }
        if n < lo || n > hi {
            return (
                format!(
                    "{} = {n} is out of range ({lo} to {hi})",
                    ctx.index.value_name(path)
                ),
                format!("check the number of digits of {field}"),
            );
        }
    }
    (
        format!(
            "{} must be {}, found {}",
            ctx.index.value_name(path),
            expected_phrase(expected),
            found_phrase(found)
        ),
        type_hint(found, expected, &field),
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
        ("observed", "series") => "series = \"solid_waste_use\" (the series observed, named as in targets)",
        ("observed", "year") => "year = 2013 (a year after the base year, up to the horizon)",
        ("observed", "value") => "value = 62.0 (the value observed, in the series' unit)",
        ("targets", "metric") => "metric = \"cagr\" (one of cagr, change_pct, level, share, change_pp, cumulative, multiple)",
        ("targets", "comparator") => "comparator = \"at_least\" (or at_most, about)",
        ("targets", "value") => "value = 8.5 (the plan's number)",
        ("response", "watch") => "watch = \"energy_intensity\" (the id of the modeled target whose progress is watched)",
        ("response", "strength") => "strength = 0.7 (the share of the shortfall the response sets out to close) or the name of a parameter",
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
    fn every_top_level_key_is_a_table_or_a_list() {
        // A list missing from `ITEM_LISTS` would be refused as an unknown key, and its
        // included items not placed at their include.
        let mut known: Vec<&str> = vec!["extends", "include"];
        known.extend(TABLE_KEYS);
        known.extend(ITEM_LISTS);
        known.sort_unstable();
        let mut fields = field_names::<ScenarioSpec>();
        fields.sort_unstable();
        assert_eq!(fields, known);
    }
}
