//! The economy's layout: regions, each with its own cells (one per sector present in
//! it, so a province can have its own sector list), growth offset, shock structure and
//! units; and how cells add up into the national aggregates.
//!
//! Cells are stored region by region. When every sector is present in every region
//! (all single-file scenarios so far) cell `r·S + s` is sector `s` of region `r`, the
//! layout the kernel always had.

use super::Value;
use std::ops::Range;

/// Factor structure of the growth shocks, as standard-deviation weights.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shocks {
    /// Year-to-year persistence of the shocks (AR(1) coefficient).
    pub ar1: f64,
    /// sqrt(1 − ar1²): keeps the AR(1) process at unit variance.
    pub innovation: f64,
    /// Weight (standard deviation) of the national factor.
    pub national: f64,
    /// Weight of the regional factor.
    pub region: f64,
    /// Weight of the sectoral factor.
    pub sector: f64,
    /// Weight of the idiosyncratic part.
    pub idiosyncratic: f64,
}

/// National units per unit of a region's value added and energy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// National value-added units per unit of the region's value added.
    pub va: f64,
    /// National energy units per unit of the region's energy.
    pub energy: f64,
}

impl Scale {
    /// The same units as the nation.
    pub const ONE: Scale = Scale {
        va: 1.0,
        energy: 1.0,
    };

    /// The factor for value added (`energy` false) or energy.
    #[inline]
    pub fn of(self, energy: bool) -> f64 {
        if energy {
            self.energy
        } else {
            self.va
        }
    }
}

/// A region's dynamics and units.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// Added to the growth of every sector in the region.
    pub offset: Value,
    /// The region's shock structure (its national factor is shared by all regions).
    pub shocks: Shocks,
    /// How its value added and energy count in national totals.
    pub scale: Scale,
    /// Unit of its value added.
    pub va_unit: String,
    /// Unit of its energy use.
    pub energy_unit: String,
    /// Its cells, a contiguous range of [`Economy::cells`].
    pub cells: Range<usize>,
}

/// One sector of one region.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The region.
    pub region: usize,
    /// The sector.
    pub sector: usize,
    /// Base-year value added.
    pub va0: f64,
    /// Expected annual growth.
    pub growth: Value,
    /// Standard deviation of annual growth shocks.
    pub volatility: Value,
    /// Base-year energy per unit of value added.
    pub intensity0: f64,
    /// Annual change of energy intensity; with an energy driver, the residual trend on
    /// top of the driver's unit energy.
    pub intensity_change: Value,
    /// The capacity process whose unit energy drives the cell's energy intensity.
    pub energy_driver: Option<usize>,
}

/// How a sector counts in the national aggregates.
#[derive(Debug, Clone, PartialEq)]
pub struct National {
    /// Whether it counts in the national totals (`va`, `energy`).
    pub counted: bool,
    /// Other sectors it also counts as in national sector series (`va:<sector>`), with
    /// the share of it each gets.
    pub into: Vec<(usize, f64)>,
}

impl National {
    /// Counted in the totals and as itself only.
    pub fn own() -> National {
        National {
            counted: true,
            into: Vec::new(),
        }
    }
}

/// Regions, cells and the national view of sectors.
#[derive(Debug, Clone, PartialEq)]
pub struct Economy {
    /// Per region, in the scenario's order.
    pub regions: Vec<Region>,
    /// All cells, region by region.
    pub cells: Vec<Cell>,
    /// Per sector: how it counts nationally.
    pub national: Vec<National>,
}

impl Economy {
    /// The cell of `sector` in `region`, if the sector is present there.
    pub fn cell(&self, region: usize, sector: usize) -> Option<usize> {
        self.regions[region]
            .cells
            .clone()
            .find(|&c| self.cells[c].sector == sector)
    }

    /// The cells an account covers: a region's (all of them), a sector's (in every
    /// region), one cell, or every cell.
    pub fn cover(&self, region: Option<usize>, sector: Option<usize>) -> Vec<usize> {
        let cells = match region {
            Some(r) => self.regions[r].cells.clone(),
            None => 0..self.cells.len(),
        };
        cells
            .filter(|&c| sector.is_none_or(|s| self.cells[c].sector == s))
            .collect()
    }

    /// Whether every sector is present in every region, stored `r·S + s`.
    pub fn dense(&self, sectors: usize) -> bool {
        self.cells.len() == self.regions.len() * sectors
            && self
                .cells
                .iter()
                .enumerate()
                .all(|(c, cell)| cell.sector == c % sectors.max(1))
    }
}
