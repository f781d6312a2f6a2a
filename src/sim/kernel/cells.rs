//! What the kernel resolves once about the economy's cells: per-cell constants in flat
//! arrays, how cells add up into the region, national and sector aggregates (with each
//! region's units), which value added each capacity process follows, and where each
//! derived series' normals start in a draw's stream.

use crate::model::Model;
use std::ops::Range;

/// A cell's share of a national sector aggregate (mapping weight × the region's scale).
#[derive(Debug, Clone, Copy)]
pub(super) struct Part {
    pub(super) cell: usize,
    pub(super) sector: usize,
    pub(super) weight: f64,
}

/// Consecutive cells of one region whose sectors are consecutive too: they add into
/// the national sector aggregates as one vector operation.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    pub(super) cells: usize,
    pub(super) sectors: usize,
    pub(super) len: usize,
    /// The region's scale.
    pub(super) weight: f64,
}

/// How a region enters the national total of an account.
#[derive(Debug, Clone)]
pub(super) struct RegionTotal {
    /// National units per unit of the region's.
    pub(super) scale: f64,
    /// The cells that count, when not all of them do (services in a GDP model).
    pub(super) counted: Option<Vec<usize>>,
}

/// The value added a capacity process's output follows.
#[derive(Debug, Clone, Copy)]
pub(super) enum Follows {
    /// A national sector aggregate.
    Sector(usize),
    /// One cell (a regional process).
    Cell(usize),
}

/// Per-cell constants and aggregation tables.
#[derive(Debug, Clone)]
pub(super) struct CellPlan {
    /// Base-year value added per cell.
    pub(super) va0: Vec<f64>,
    /// Base-year energy intensity per cell.
    pub(super) intensity0: Vec<f64>,
    /// Each region's cells.
    pub(super) regions: Vec<Range<usize>>,
    /// Sector aggregates: [value added, energy] parts, by cell.
    pub(super) parts: [Vec<Part>; 2],
    /// The same parts as runs of cells, when no sector also counts as another (then
    /// each sector's sum still takes its regions in order, so the bits are the same).
    pub(super) runs: [Option<Vec<Run>>; 2],
    /// National totals: [value added, energy], per region.
    pub(super) totals: [Vec<RegionTotal>; 2],
    /// Per capacity process.
    pub(super) follows: Vec<Follows>,
    /// Per derived series: index of its first normal after the value-added normals.
    pub(super) derived_normals: Vec<usize>,
    /// Normals of all derived series in a draw (after the value-added ones, before the
    /// indicators').
    pub(super) derived_normals_total: usize,
}

impl CellPlan {
    pub(super) fn new(m: &Model) -> CellPlan {
        let e = &m.economy;
        let y = m.years();
        let account = |energy: bool| -> (Vec<Part>, Vec<RegionTotal>) {
            let mut parts = Vec::new();
            for (c, cell) in e.cells.iter().enumerate() {
                let scale = e.regions[cell.region].scale.of(energy);
                parts.push(Part {
                    cell: c,
                    sector: cell.sector,
                    weight: scale,
                });
                for &(s, w) in &e.national[cell.sector].into {
                    parts.push(Part {
                        cell: c,
                        sector: s,
                        weight: w * scale,
                    });
                }
            }
            let totals = e
                .regions
                .iter()
                .map(|r| {
                    let counted: Vec<usize> = r
                        .cells
                        .clone()
                        .filter(|&c| e.national[e.cells[c].sector].counted)
                        .collect();
                    RegionTotal {
                        scale: r.scale.of(energy),
                        counted: (counted.len() < r.cells.len()).then_some(counted),
                    }
                })
                .collect();
            (parts, totals)
        };
        let (va_parts, va_totals) = account(false);
        let (en_parts, en_totals) = account(true);
        let runs = |parts: &[Part]| -> Option<Vec<Run>> {
            if e.national.iter().any(|n| !n.into.is_empty()) {
                return None;
            }
            let mut runs: Vec<Run> = Vec::new();
            for p in parts {
                match runs.last_mut() {
                    Some(r)
                        if r.cells + r.len == p.cell
                            && r.sectors + r.len == p.sector
                            && r.weight == p.weight
                            && e.cells[r.cells].region == e.cells[p.cell].region =>
                    {
                        r.len += 1
                    }
                    _ => runs.push(Run {
                        cells: p.cell,
                        sectors: p.sector,
                        len: 1,
                        weight: p.weight,
                    }),
                }
            }
            Some(runs)
        };
        let runs = [runs(&va_parts), runs(&en_parts)];
        let mut derived_normals = Vec::with_capacity(m.derived.len());
        let mut n = 0;
        for d in &m.derived {
            derived_normals.push(n);
            n += d.regions.len() * (y - 1);
        }
        CellPlan {
            va0: e.cells.iter().map(|c| c.va0).collect(),
            intensity0: e.cells.iter().map(|c| c.intensity0).collect(),
            regions: e.regions.iter().map(|r| r.cells.clone()).collect(),
            parts: [va_parts, en_parts],
            runs,
            totals: [va_totals, en_totals],
            follows: m
                .capacity
                .iter()
                .map(|p| match p.region.and_then(|r| e.cell(r, p.sector)) {
                    Some(c) => Follows::Cell(c),
                    None => Follows::Sector(p.sector),
                })
                .collect(),
            derived_normals,
            derived_normals_total: n,
        }
    }
}
