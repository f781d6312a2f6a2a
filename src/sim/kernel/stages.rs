//! Which stages of a draw a model needs. A draw simulates value added always; capacity,
//! energy, derived series and indicators only when some series reads what they produce
//! (directly, or through a stage that is simulated): a small scenario without energy
//! targets pays nothing for energy. Skipping a stage changes no number anything reads:
//! its normals are still drawn (their order is the model's), only their arithmetic
//! is left out.

use super::pin::Pins;
use super::plan::{Buf, SeriesPlan};
use crate::model::Model;

/// The stages after value added that a draw simulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stages {
    pub(super) capacity: bool,
    pub(super) energy: bool,
    pub(super) derived: bool,
    pub(super) indicators: bool,
}

impl Stages {
    /// The stages that series `read` of `m` need: all of them for `draw`, which
    /// evaluates every series, those the targets read for `draw_outcomes`.
    pub(super) fn new<'a>(
        m: &Model,
        read: impl Iterator<Item = &'a SeriesPlan> + Clone,
        pins: &Pins,
    ) -> Stages {
        let reads = |wanted: &[Buf]| {
            read.clone()
                .flat_map(|p| std::iter::once(p.num).chain(p.den))
                .any(|r| wanted.contains(&r.buf))
        };
        let derived = reads(&[Buf::Derived, Buf::DerivedTotal]);
        // A derived series over energy, or an observed derived value whose
        // denominator may be energy, reads energy cells.
        let energy = reads(&[Buf::Energy, Buf::EnRegion, Buf::EnSector, Buf::EnTotal])
            || derived
                && (m.derived.iter().any(|d| d.basis_energy)
                    || pins.derived.iter().any(|p| !p.is_empty()));
        // Capacity feeds energy through the intensities it drives.
        let capacity = reads(&[Buf::Capacity])
            || energy && m.economy.cells.iter().any(|c| c.energy_driver.is_some());
        Stages {
            capacity,
            energy,
            derived,
            indicators: reads(&[Buf::Indicators]),
        }
    }
}
