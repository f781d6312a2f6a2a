//! Series names (`va`, `energy:steel@GD`, `co2@HA`, `cement.unit_energy`, `cnc_rate`)
//! and their resolution against a scenario's regions, sectors, capacity processes,
//! derived series and indicators.

use super::{CapacityField, Source};
use crate::diag::{did_you_mean, Diagnostic};

/// The ids a series name may refer to.
#[derive(Debug, Clone, Copy)]
pub struct Names<'a> {
    /// Region ids.
    pub regions: &'a [String],
    /// Sector ids.
    pub sectors: &'a [String],
    /// Capacity process ids.
    pub capacity: &'a [String],
    /// Derived series ids.
    pub derived: &'a [String],
    /// Indicator ids.
    pub indicators: &'a [String],
}

const CAPACITY_FIELDS: [(&str, CapacityField); 5] = [
    ("eliminated", CapacityField::Eliminated),
    ("backward", CapacityField::Backward),
    ("output", CapacityField::Output),
    ("unit_energy", CapacityField::UnitEnergy),
    ("backward_share", CapacityField::BackwardShare),
];

/// A series name that does not resolve: what is wrong and a hint (the caller knows
/// where the name was written).
fn unresolved(message: String, hint: String) -> Diagnostic {
    Diagnostic::new(message).with_hint(hint)
}

fn lookup(kind: &str, id: &str, ids: &[String]) -> Result<usize, Diagnostic> {
    ids.iter().position(|x| x == id).ok_or_else(|| {
        unresolved(
            format!("unknown {kind} `{id}`"),
            match did_you_mean(id, ids.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("known {kind}s: {}", ids.join(", ")),
            },
        )
    })
}

/// Resolves `name` to where its values come from.
pub fn resolve(name: &str, names: &Names<'_>) -> Result<Source, Diagnostic> {
    let (rest, region) = match name.split_once('@') {
        Some((r, reg)) => (r, Some(lookup("region", reg, names.regions)?)),
        None => (name, None),
    };
    let (base, sector) = match rest.split_once(':') {
        Some((b, s)) => (b, Some(lookup("sector", s, names.sectors)?)),
        None => (rest, None),
    };
    let scoped_only = |what: &str| {
        unresolved(
            format!("`{name}`: {what} series cannot be restricted to a sector"),
            "only `va` and `energy` take `:<sector>`".into(),
        )
    };
    match base {
        "va" | "energy" => Ok(Source::Account {
            energy: base == "energy",
            region,
            sector,
        }),
        _ if names.derived.iter().any(|d| d == base) => {
            if sector.is_some() {
                return Err(scoped_only("derived"));
            }
            Ok(Source::Derived {
                index: lookup("derived series", base, names.derived)?,
                region,
            })
        }
        _ if names.indicators.iter().any(|d| d == base) => {
            if sector.is_some() || region.is_some() {
                return Err(unresolved(
                    format!("`{name}`: an indicator has no region or sector parts"),
                    format!("write just `{base}`"),
                ));
            }
            Ok(Source::Indicator(lookup(
                "indicator",
                base,
                names.indicators,
            )?))
        }
        _ => {
            if let Some((cap, field)) = base.split_once('.') {
                let index = lookup("capacity process", cap, names.capacity)?;
                if sector.is_some() || region.is_some() {
                    return Err(unresolved(
                        format!("`{name}`: capacity series have no region or sector parts"),
                        format!("write `{base}`"),
                    ));
                }
                let field = CAPACITY_FIELDS
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, f)| *f)
                    .ok_or_else(|| {
                        unresolved(
                            format!("unknown capacity field `{field}`"),
                            format!(
                                "{}fields: {}",
                                did_you_mean(field, CAPACITY_FIELDS.iter().map(|(f, _)| *f))
                                    .map(|b| format!("did you mean `{b}`? "))
                                    .unwrap_or_default(),
                                CAPACITY_FIELDS
                                    .iter()
                                    .map(|(f, _)| *f)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                    })?;
                return Ok(Source::Capacity { index, field });
            }
            let all: Vec<&str> = ["va", "energy"]
                .into_iter()
                .chain(names.derived.iter().map(String::as_str))
                .chain(names.indicators.iter().map(String::as_str))
                .collect();
            Err(unresolved(
                format!("unknown series `{base}`"),
                match did_you_mean(base, all.iter().copied()) {
                    Some(b) => format!("did you mean `{b}`?"),
                    None => format!("series are va, energy, derived ids, indicator ids or <capacity>.<field>; known: {}", all.join(", ")),
                },
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Ids = Vec<String>;

    fn names() -> (Ids, Ids, Ids, Ids, Ids) {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        (
            s(&["GD", "HA"]),
            s(&["steel", "autos"]),
            s(&["cement"]),
            s(&["co2"]),
            s(&["cnc_rate"]),
        )
    }

    #[test]
    fn resolves_every_kind() {
        let (r, s, c, d, i) = names();
        let n = Names {
            regions: &r,
            sectors: &s,
            capacity: &c,
            derived: &d,
            indicators: &i,
        };
        assert_eq!(
            resolve("va", &n).unwrap(),
            Source::Account {
                energy: false,
                region: None,
                sector: None
            }
        );
        assert_eq!(
            resolve("energy:autos@HA", &n).unwrap(),
            Source::Account {
                energy: true,
                region: Some(1),
                sector: Some(1)
            }
        );
        assert_eq!(
            resolve("co2@GD", &n).unwrap(),
            Source::Derived {
                index: 0,
                region: Some(0)
            }
        );
        assert_eq!(resolve("cnc_rate", &n).unwrap(), Source::Indicator(0));
        assert_eq!(
            resolve("cement.unit_energy", &n).unwrap(),
            Source::Capacity {
                index: 0,
                field: CapacityField::UnitEnergy
            }
        );
    }

    #[test]
    fn misspellings_get_suggestions() {
        let (r, s, c, d, i) = names();
        let n = Names {
            regions: &r,
            sectors: &s,
            capacity: &c,
            derived: &d,
            indicators: &i,
        };
        assert!(resolve("va:steal", &n)
            .unwrap_err()
            .hint
            .unwrap()
            .contains("steel"));
        assert!(resolve("cnc_rat", &n)
            .unwrap_err()
            .hint
            .unwrap()
            .contains("cnc_rate"));
        assert!(resolve("cement.unit_enrgy", &n)
            .unwrap_err()
            .hint
            .unwrap()
            .contains("unit_energy"));
    }
}
