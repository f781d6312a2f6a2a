//! Every bundled scenario: validates, runs with a few draws and gives a result for
//! every target; covers its plan's target catalogue; and every number cites its source
//! (a verbatim 「quote」 from a plan document, or `assumption:` with a reason).

mod common;
use common::run;
use planrisk::load_model;
use planrisk::sim::Sampler;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// The `.toml` files directly in `dir`, sorted.
fn toml_files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}/: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

/// The plan scenarios (`scenarios/`) and the small illustrative examples
/// (`scenarios/examples/`, which benches/peers/ also implements in NumPy and OpenTURNS):
/// both ship with the program, so both are held to the same rules.
fn scenarios() -> Vec<PathBuf> {
    let plans = toml_files("scenarios");
    assert!(
        plans.len() >= 8,
        "expected the bundled scenarios, found {plans:?}"
    );
    let examples = toml_files("scenarios/examples");
    assert!(
        examples.len() >= 2,
        "expected the example scenarios, found {examples:?}"
    );
    plans.into_iter().chain(examples).collect()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// All plan documents with white space removed (table rows span lines in the seeds).
fn documents() -> Vec<String> {
    std::fs::read_dir("docs/sources")
        .expect("docs/sources")
        .filter_map(|e| e.ok())
        .map(|e| squash(&std::fs::read_to_string(e.path()).expect("seed text")))
        .collect()
}

#[test]
fn every_scenario_runs_and_reports_every_target() {
    let mut ids = HashSet::new();
    for p in scenarios() {
        let loaded =
            load_model(&p).unwrap_or_else(|e| panic!("{} does not load:\n{e}", p.display()));
        let m = &loaded.model;
        assert!(
            ids.insert(m.id.clone()),
            "{}: scenario id `{}` is used twice (variants need their own id)",
            p.display(),
            m.id
        );
        let s = run(m, 2048, 1, Sampler::MonteCarlo);
        assert_eq!(s.targets.len(), m.targets.len());
        let modeled: Vec<_> = s.targets.iter().filter(|t| t.is_modeled()).collect();
        assert!(!modeled.is_empty(), "{}: no modeled target", p.display());
        for t in &modeled {
            assert!(
                t.p_hit.is_some() && t.quantiles.is_some(),
                "{}: {} has no result",
                p.display(),
                t.id
            );
            assert!(
                t.mean.unwrap().is_finite(),
                "{}: {} has a non-finite mean",
                p.display(),
                t.id
            );
        }
        let informative = modeled
            .iter()
            .filter(|t| t.p_hit.is_some_and(|p| p > 0.01 && p < 0.99))
            .count();
        assert!(
            informative * 2 >= modeled.len(),
            "{}: only {informative} of {} targets have 1% < P(hit) < 99%",
            p.display(),
            modeled.len()
        );
    }
}

/// Catalogue rows by id: (modelable, plan).
fn catalogue(file: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(file).expect("catalogue");
    let mut out = BTreeMap::new();
    for line in csv_records(&text).into_iter().skip(1) {
        out.insert(line[0].clone(), line[16].clone());
    }
    out
}

/// Minimal RFC 4180 reader (quoted fields may hold commas and newlines).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[test]
fn every_catalogue_target_is_in_its_scenario() {
    let plans = [
        ("national_2011_2015", "000_national_2011_2015.csv"),
        ("henan_2011_2015", "001_henan_2011_2015.csv"),
        ("shandong_2011_2015", "002_shandong_2011_2015.csv"),
        ("made_in_china_2025", "003_made_in_china_2025.csv"),
        ("guangdong_2011_2015", "004_guangdong_2011_2015.csv"),
    ];
    for (scenario, csv) in plans {
        let m = load_model(Path::new(&format!("scenarios/{scenario}.toml")))
            .expect("loads")
            .model;
        let cat = catalogue(&Path::new("docs/targets").join(csv));
        let (mut modelable, mut modeled) = (0, 0);
        for (id, how) in &cat {
            let t = m
                .targets
                .iter()
                .find(|t| &t.id == id)
                .unwrap_or_else(|| panic!("{scenario}: catalogue target `{id}` is missing"));
            if how == "yes" {
                assert!(
                    t.eval.is_some(),
                    "{scenario}: `{id}` is modelable=yes but unmodeled"
                );
            }
            if how == "yes" || how == "partial" {
                modelable += 1;
                modeled += t.eval.is_some() as usize;
            }
        }
        assert!(
            modeled * 10 >= modelable * 9,
            "{scenario}: only {modeled} of {modelable} yes/partial targets modeled"
        );
    }
}

/// The tables whose entries carry numbers and so must carry `source`.
const SOURCED: [&str; 10] = [
    "include",
    "params",
    "regions",
    "sectors",
    "capacity",
    "derived",
    "indicators",
    "history",
    "observed",
    "shocks",
];

/// The plan document of the scenario at `p`, white space removed: its `source_text`,
/// or its parent's (`extends`), relative to the file that names it; followed by the
/// documents it declares as `references` (a provincial plan implementing a national
/// one may quote the national plan's record), its parent's included.
fn own_document(p: &Path) -> String {
    let doc: toml::Table = toml::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    let dir = p.parent().unwrap_or(Path::new("."));
    let named = |k: &str| doc.get(k).and_then(|v| v.as_str());
    let meta = |k: &str| doc.get("scenario").and_then(|s| s.get(k));
    let read = |t: &str| squash(&std::fs::read_to_string(dir.join(t)).expect(t));
    let mut text = match (
        meta("source_text").and_then(|v| v.as_str()),
        named("extends"),
    ) {
        (Some(t), _) => read(t),
        (None, Some(parent)) => own_document(&dir.join(parent)),
        (None, None) => panic!("{}: no source_text", p.display()),
    };
    let references = meta("references").and_then(|v| v.as_array());
    for r in references.into_iter().flatten().filter_map(|v| v.as_str()) {
        text.push('\u{0}');
        text.push_str(&read(r));
    }
    text
}

/// One source text per plan: a file's quotes are checked against its own document
/// (`source_text`); only observations, which may come from a later plan's record, may
/// quote another plan document.
#[test]
fn every_number_cites_its_source() {
    let docs = documents();
    let elsewhere = |q: &str| docs.iter().any(|d| d.contains(&squash(q)));
    for p in scenarios() {
        let own = own_document(&p);
        let text = std::fs::read_to_string(&p).unwrap();
        let doc: toml::Table = toml::from_str(&text).unwrap();
        let mut entries: Vec<(String, &toml::Table)> = Vec::new();
        for key in SOURCED {
            match doc.get(key) {
                Some(toml::Value::Array(items)) => {
                    entries.extend(items.iter().filter_map(|v| v.as_table()).map(|t| {
                        (
                            format!(
                                "{key}.{}",
                                t.get("id").and_then(|v| v.as_str()).unwrap_or("?")
                            ),
                            t,
                        )
                    }))
                }
                Some(toml::Value::Table(t)) if key == "params" => {
                    for (k, v) in t {
                        let Some(t) = v.as_table() else { continue };
                        entries.push((format!("params.{k}"), t));
                        // The inside-view prior is a number like any other.
                        if let Some(alt) = t.get("inside_view").and_then(|v| v.as_table()) {
                            entries.push((format!("params.{k}.inside_view"), alt));
                        }
                    }
                }
                Some(toml::Value::Table(t)) => entries.push((key.to_string(), t)),
                _ => {}
            }
        }
        for (name, table) in entries {
            let has_number = table.iter().any(|(k, v)| {
                k != "id" && (v.is_float() || v.is_integer() || v.is_table() || v.is_array())
            });
            if !has_number {
                continue;
            }
            let source = table.get("source").and_then(|v| v.as_str()).unwrap_or("");
            let quotes: Vec<&str> = source
                .split('「')
                .skip(1)
                .filter_map(|s| s.split('」').next())
                .collect();
            assert!(source.starts_with("assumption:") || !quotes.is_empty(), "{}: `{name}` has numbers but its source is neither `assumption: …` nor a 「quote」: {source:?}", p.display());
            let observed = name.starts_with("observed.");
            for q in quotes {
                assert!(
                    own.contains(&squash(q)) || (observed && elsewhere(q)),
                    "{}: `{name}` quotes 「{q}」, which is not in {}",
                    p.display(),
                    if observed {
                        "any plan document"
                    } else {
                        "its own source_text"
                    }
                );
            }
        }
        if let Some(toml::Value::Array(targets)) = doc.get("targets") {
            for t in targets.iter().filter_map(|t| t.as_table()) {
                if let Some(q) = t
                    .get("quote")
                    .and_then(|v| v.as_str())
                    .filter(|q| !q.is_empty())
                {
                    assert!(
                        own.contains(&squash(q)),
                        "{}: target `{}` quote is not verbatim in its own source_text: {q}",
                        p.display(),
                        t.get("id").and_then(|v| v.as_str()).unwrap_or("?")
                    );
                }
            }
        }
    }
}
