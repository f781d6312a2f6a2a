//! Regions and sectors → the model's [`Economy`]: which sectors each region has (its
//! cells), each cell's base-year data and rates (one value for all regions or a table by
//! region), each region's growth offset, shock structure and units, and how each sector
//! counts in the national aggregates.

use super::context::{num, Compiler};
use super::Ids;
use crate::model::{Cell, Economy, National, Region, Scale, Shocks, Value};
use crate::scenario::spec::{NationalSpec, SectorSpec};

/// Weights of a sector split over national sectors must add up to 1 within this.
const WEIGHT_TOLERANCE: f64 = 1e-3;

/// One sector's values in each of its regions, aligned with its region list.
struct SectorRows {
    regions: Vec<usize>,
    va: Vec<f64>,
    intensity: Vec<f64>,
    growth: Vec<Value>,
    volatility: Vec<Value>,
    intensity_change: Vec<Value>,
}

impl Compiler<'_> {
    /// The economy: regions with their cells (region by region, sectors in file order),
    /// and the national view of each sector.
    pub(super) fn economy(&mut self, ids: &Ids, params: &[String], shocks: &[Shocks]) -> Economy {
        let spec = self.spec;
        let rows: Vec<SectorRows> = spec
            .sectors
            .iter()
            .enumerate()
            .map(|(s, sec)| self.sector_rows(s, sec, ids, params))
            .collect();
        let mut cells = Vec::new();
        let mut regions = Vec::with_capacity(spec.regions.len());
        for (r, reg) in spec.regions.iter().enumerate() {
            let first = cells.len();
            for (s, row) in rows.iter().enumerate() {
                let Some(k) = row.regions.iter().position(|&x| x == r) else {
                    continue;
                };
                cells.push(Cell {
                    region: r,
                    sector: s,
                    va0: row.va[k],
                    growth: row.growth[k],
                    volatility: row.volatility[k],
                    intensity0: row.intensity[k],
                    intensity_change: row.intensity_change[k],
                    energy_driver: None,
                });
            }
            if cells.len() == first && !spec.sectors.is_empty() {
                self.problem(
                    format!("regions[{r}]"),
                    format!("region `{}` has no sector", reg.id),
                    "list the region in the `regions` of at least one [[sectors]] entry (or leave `regions` out: a sector is then in every region)",
                );
            }
            let p = format!("regions[{r}]");
            regions.push(Region {
                offset: match &reg.growth_offset {
                    Some(v) => self.value(&format!("{p}.growth_offset"), v, params, -0.5..=0.5),
                    None => Value::Const(0.0),
                },
                shocks: shocks[r],
                scale: self.scale(&p, reg.scale.as_ref()),
                va_unit: reg
                    .va_unit
                    .clone()
                    .unwrap_or_else(|| spec.scenario.va_unit.clone()),
                energy_unit: reg
                    .energy_unit
                    .clone()
                    .unwrap_or_else(|| spec.scenario.energy_unit.clone()),
                cells: first..cells.len(),
            });
        }
        if !spec.sectors.is_empty()
            && !spec.regions.is_empty()
            && cells.iter().map(|c| c.va0).sum::<f64>() <= 0.0
        {
            self.problem(
                "sectors",
                "total base-year value added is zero",
                "give each sector its base-year `va` by region",
            );
        }
        let national = spec
            .sectors
            .iter()
            .enumerate()
            .map(|(s, sec)| self.national(s, sec, &ids.sectors))
            .collect();
        Economy {
            regions,
            cells,
            national,
        }
    }

    /// A sector's regions (all, or its `regions` list) and its values in each.
    fn sector_rows(
        &mut self,
        s: usize,
        sec: &SectorSpec,
        ids: &Ids,
        params: &[String],
    ) -> SectorRows {
        let p = format!("sectors[{s}]");
        let regions = self.listed_regions(
            &format!("{p}.regions"),
            sec.regions.as_deref(),
            &ids.regions,
        );
        let names: Vec<String> = regions.iter().map(|&r| ids.regions[r].clone()).collect();
        let va = self.per_region_numbers(&format!("{p}.va"), &sec.va, &names);
        let intensity = match &sec.energy_intensity {
            Some(e) => self.per_region_numbers(&format!("{p}.energy_intensity"), e, &names),
            None => vec![0.0; names.len()],
        };
        SectorRows {
            growth: self.per_region_rates(
                &format!("{p}.growth"),
                &sec.growth,
                &names,
                params,
                -0.9..=2.0,
            ),
            volatility: self.opt_per_region_rates(
                &format!("{p}.volatility"),
                &sec.volatility,
                &names,
                params,
                0.0..=1.0,
            ),
            intensity_change: self.opt_per_region_rates(
                &format!("{p}.intensity_change"),
                &sec.intensity_change,
                &names,
                params,
                -0.9..=1.0,
            ),
            regions,
            va,
            intensity,
        }
    }

    /// A region's `scale`: positive numbers, 1 where not given.
    fn scale(&mut self, p: &str, scale: Option<&crate::scenario::spec::ScaleSpec>) -> Scale {
        let mut out = Scale::ONE;
        let Some(sc) = scale else { return out };
        for (what, v, slot) in [
            ("va", sc.va, &mut out.va),
            ("energy", sc.energy, &mut out.energy),
        ] {
            match v {
                Some(x) if x.is_finite() && x > 0.0 => *slot = x,
                Some(x) => self.problem(
                    format!("{p}.scale.{what}"),
                    format!("scale.{what} = {} must be a positive number", num(x)),
                    "national units per unit of this region's, e.g. 10000 when the region counts in 万亿元 and the nation in 亿元",
                ),
                None => {}
            }
        }
        out
    }

    /// How sector `s` counts nationally: its `national` key checked against the sectors.
    fn national(&mut self, s: usize, sec: &SectorSpec, sectors: &[String]) -> National {
        let p = format!("sectors[{s}].national");
        let find = |c: &mut Self, id: &str, path: String| -> Option<usize> {
            let i = sectors.iter().position(|x| x == id);
            if i.is_none() {
                c.unknown(&path, "sector", id, sectors);
            } else if i == Some(s) {
                c.problem(path, format!("sector `{id}` is mapped onto itself"), "a sector always counts as itself nationally: leave it out, or write national = true");
                return None;
            }
            i
        };
        match &sec.national {
            None | Some(NationalSpec::Counted(true)) => National::own(),
            Some(NationalSpec::Counted(false)) => National {
                counted: false,
                into: Vec::new(),
            },
            Some(NationalSpec::As(id)) => National {
                counted: true,
                into: find(self, id, p).map(|i| (i, 1.0)).into_iter().collect(),
            },
            Some(NationalSpec::Split(w)) => {
                let mut into = Vec::new();
                for (id, &x) in w {
                    let key = format!("{p}.{id}");
                    if !(x.is_finite() && x > 0.0) {
                        self.problem(&key, format!("weight {} of `{id}` must be positive", num(x)), "each weight is the share of the sector counted as that national sector");
                    }
                    if let Some(i) = find(self, id, key) {
                        into.push((i, x));
                    }
                }
                let sum: f64 = w.values().sum();
                if (sum - 1.0).abs() > WEIGHT_TOLERANCE {
                    self.problem(
                        &p,
                        format!("the weights add up to {}, not 1", num(sum)),
                        "the shares of the sector counted as each national sector add up to 1",
                    );
                }
                National {
                    counted: true,
                    into,
                }
            }
        }
    }
}
