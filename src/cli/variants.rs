//! Policy variants for a sweep (`--vary NAME=v1,v2,…`): one small scenario file per
//! value that `extends` the base scenario and changes one number, so every variant is
//! an ordinary scenario (loaded, validated and hashed as any other) and stays on disk
//! as the record of what ran.
//!
//! NAME is a parameter id (the parameter is fixed at each value) or the dotted path of
//! a number in the scenario: `params.g_steel.mean`, `shocks.rho`, or, in the arrays
//! merged by id, `targets.<id>.value`, `sectors.<id>.volatility`, ….

use super::error::CliError;
use planrisk::diag::Diagnostic;
use planrisk::report::write::atomic_write;
use planrisk::Loaded;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Arrays of tables that `extends` merges by `id`.
const ID_ARRAYS: [&str; 7] = [
    "regions",
    "sectors",
    "capacity",
    "derived",
    "indicators",
    "targets",
    "history",
];

/// `--vary NAME=v1,v2,…` as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    pub name: String,
    /// The values as typed (each a TOML number).
    pub values: Vec<String>,
}

impl FromStr for Vary {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let hint = "write NAME=v1,v2,…, e.g. g_steel=0.05,0.06 or params.g_steel.sd=0.01,0.02";
        let (name, values) = s.split_once('=').ok_or_else(|| format!("`{s}`: {hint}"))?;
        let name = name.trim().to_string();
        let path_ok = !name.is_empty()
            && name.split('.').all(|k| {
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
        if !path_ok {
            return Err(format!(
                "`{name}` is not a parameter id or a dotted key path; {hint}"
            ));
        }
        let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).collect();
        for v in &values {
            let number = toml::from_str::<toml::Table>(&format!("x = {v}"))
                .ok()
                .and_then(|t| t.get("x").cloned())
                .is_some_and(|x| x.is_float() || x.is_integer());
            if !number {
                return Err(format!("`{v}` is not a number; {hint}"));
            }
        }
        if values.len() < 2 {
            return Err(format!("a sweep needs at least two values; {hint}"));
        }
        if (1..values.len()).any(|i| values[..i].contains(&values[i])) {
            return Err(format!("`{s}` repeats a value"));
        }
        Ok(Vary { name, values })
    }
}

/// One variant: its label (`g_steel=0.06`), scenario id and file.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub label: String,
    pub id: String,
    pub file: PathBuf,
}

impl Vary {
    /// Writes one scenario file per value into `dir`, each extending `base`.
    pub fn write(&self, base: &Loaded, dir: &Path) -> Result<Vec<Variant>, CliError> {
        self.check(base)?;
        std::fs::create_dir_all(dir).map_err(|e| {
            Diagnostic::new(format!("cannot create {}: {e}", dir.display()))
                .with_hint("choose a writable directory with --out")
        })?;
        let parent = std::fs::canonicalize(&base.path).unwrap_or_else(|_| base.path.clone());
        let mut out = Vec::new();
        for value in &self.values {
            let label = format!("{}={value}", self.name);
            // The id names the variant's column in the comparison.
            let id = slug(&label);
            let file = dir.join(format!("{}.toml", file_stem(&label)));
            let text = self.file_text(&parent, &base.model.name, &id, &label, value);
            atomic_write(&file, text.as_bytes())
                .map_err(|e| Diagnostic::new(format!("cannot write {}: {e}", file.display())))?;
            out.push(Variant { label, id, file });
        }
        Ok(out)
    }

    /// A bare name must be a parameter (fixed or uncertain: the variant's `dist = "fixed"`
    /// replaces its distribution whole).
    fn check(&self, base: &Loaded) -> Result<(), CliError> {
        if self.name.contains('.') {
            return Ok(());
        }
        if !base.spec.params.contains_key(&self.name) {
            return Err(Diagnostic::new(format!(
                "--vary {}: no parameter `{}` in {}",
                self.name,
                self.name,
                base.path.display()
            ))
            .with_hint("name a parameter, or give the dotted path of a number, e.g. shocks.rho")
            .into());
        }
        Ok(())
    }

    fn file_text(&self, parent: &Path, name: &str, id: &str, label: &str, value: &str) -> String {
        let mut root = vec![
            format!("\"scenario\".\"id\" = {}", quoted(id)),
            format!(
                "\"scenario\".\"name\" = {}",
                quoted(&format!("{name} ({label})"))
            ),
        ];
        let mut arrays = String::new();
        let keys: Vec<&str> = self.name.split('.').collect();
        match keys.as_slice() {
            [param] => {
                // A new `dist` replaces the parent's distribution whole (`extends`).
                root.push(format!("{} = \"fixed\"", path(&["params", param, "dist"])));
                root.push(format!("{} = {value}", path(&["params", param, "value"])));
                root.push(format!(
                    "{} = \"assumption: the value swept by planrisk sweep --vary\"",
                    path(&["params", param, "source"])
                ));
            }
            [array, item, rest @ ..] if ID_ARRAYS.contains(array) && !rest.is_empty() => {
                arrays = format!(
                    "\n[[{array}]]\nid = {}\n{} = {value}\n",
                    quoted(item),
                    path(rest)
                );
            }
            _ => root.push(format!("{} = {value}", path(&keys))),
        }
        format!(
            "# Written by planrisk: the variant {label} of the scenario below.\nextends = {}\n{}\n{arrays}",
            quoted(&parent.display().to_string()),
            root.join("\n")
        )
    }
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A dotted key with every part quoted.
fn path(keys: &[&str]) -> String {
    keys.iter().map(|k| quoted(k)).collect::<Vec<_>>().join(".")
}

/// Lower-case letters, digits and `_` (what a scenario id may hold).
fn slug(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9') => c,
            _ => '_',
        })
        .collect()
}

/// A file or directory name for a label: `g_steel=0.06` as it is, anything odd as `_`.
pub fn file_stem(label: &str) -> String {
    label
        .chars()
        .map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '.' | '_' | '=' | '-' | '+' => c,
            _ => '_',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_parses_names_and_numbers() {
        let v: Vary = "params.g.sd = 0.01, 0.02,3".parse().unwrap();
        assert_eq!(v.name, "params.g.sd");
        assert_eq!(v.values, ["0.01", "0.02", "3"]);
        for bad in [
            "g", "g=0.1", "g=0.1,x", "a..b=1,2", "g=1,1", "=1,2", "g\"=1,2",
        ] {
            assert!(bad.parse::<Vary>().is_err(), "{bad}");
        }
    }

    #[test]
    fn variant_files_override_one_number() {
        let v: Vary = "targets.energy.value=1.5,2".parse().unwrap();
        let text = v.file_text(
            Path::new("/s/base.toml"),
            "Plan",
            "p_x",
            "targets.energy.value=1.5",
            "1.5",
        );
        let t: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(t["extends"].as_str(), Some("/s/base.toml"));
        assert_eq!(t["scenario"]["id"].as_str(), Some("p_x"));
        assert_eq!(t["targets"][0]["id"].as_str(), Some("energy"));
        assert_eq!(t["targets"][0]["value"].as_float(), Some(1.5));
        let v: Vary = "shocks.rho=0.1,0.2".parse().unwrap();
        let t: toml::Table =
            toml::from_str(&v.file_text(Path::new("/b"), "P", "i", "l", "0.1")).unwrap();
        assert_eq!(t["shocks"]["rho"].as_float(), Some(0.1));
        assert_eq!(slug("g_steel=0.06"), "g_steel_0_06");
        assert_eq!(file_stem("a b/c=1"), "a_b_c=1");
    }
}
