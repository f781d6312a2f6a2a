//! Which value-added shocks a draw draws. The factor structure has a normal per year for
//! the nation, each region, each sector factor and each cell; a factor whose weight is
//! zero everywhere it enters (a variance share of 0) adds nothing, so its normal is not
//! drawn: a one-cell scenario with only idiosyncratic shocks draws one normal a year,
//! not four. The value-added loop still reads the whole layout, with the undrawn
//! normals standing at zero.

use crate::model::Model;

/// A year's value-added normals: how many are drawn and where they go in the whole
/// layout (national, regions, sector factors, cells) that the value-added loop reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ShockSlots {
    /// Normals drawn per simulated year.
    pub(super) drawn: usize,
    /// Size of the whole layout: 1 + regions + sectors + cells.
    pub(super) layout: usize,
    /// Positions of the drawn normals in the layout, ascending; None when every
    /// normal is drawn (then the drawn ones are the layout).
    pub(super) positions: Option<Vec<usize>>,
}

impl ShockSlots {
    pub(super) fn new(m: &Model) -> ShockSlots {
        let e = &m.economy;
        let (r_n, s_n) = (e.regions.len(), m.sectors.len());
        let mut drawn = vec![false; 1 + r_n + s_n + e.cells.len()];
        for (r, reg) in e.regions.iter().enumerate() {
            let sh = reg.shocks;
            drawn[0] |= sh.national != 0.0;
            drawn[1 + r] = sh.region != 0.0;
            for c in reg.cells.clone() {
                drawn[1 + r_n + e.cells[c].sector] |= sh.sector != 0.0;
                drawn[1 + r_n + s_n + c] = sh.idiosyncratic != 0.0;
            }
        }
        let positions: Vec<usize> = (0..drawn.len()).filter(|&k| drawn[k]).collect();
        ShockSlots {
            drawn: positions.len(),
            layout: drawn.len(),
            positions: (positions.len() < drawn.len()).then_some(positions),
        }
    }
}

impl ShockSlots {
    /// Spreads a draw's value-added normals (`drawn` a year, at the start of `normals`)
    /// over `layout` (`layout` a year), where the value-added loop reads them; the
    /// undrawn positions keep their zeros. Nothing to do when every normal is drawn.
    pub(super) fn lay_out(&self, normals: &[f64], layout: &mut [f64]) {
        let Some(positions) = &self.positions else {
            return;
        };
        for (year, drawn) in layout
            .chunks_exact_mut(self.layout)
            .zip(normals.chunks_exact(self.drawn))
        {
            for (&k, &z) in positions.iter().zip(drawn) {
                year[k] = z;
            }
        }
    }
}
