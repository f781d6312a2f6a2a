//! What the policy responses did, summed over draws: per slot the hits without
//! responses, and per response how often it fired, in which year first, how often its
//! cap bound, and the effort it put in. Empty, and never touched, in a scenario without
//! responses, so such runs accumulate (and store) exactly what they did before.

use crate::ix::{IxVec, SlotIx};
use crate::sim::drawn::Drawn;
use crate::sim::layout::{Shape, Slot};
use serde::{Deserialize, Serialize};

/// The policy responses' totals.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ResponseTally {
    /// Per slot: draws that hit the target without responses.
    pub free_hits: Vec<u64>,
    /// Per response: draws in which it fired at least once.
    pub triggered: Vec<u64>,
    /// Per response: draws in which its cap cut the effort.
    pub capped: Vec<u64>,
    /// Per response: sum over draws of the effort in force at the end.
    pub effort: Vec<f64>,
    /// Draws in which a response first fired at the end of a year, at
    /// [`Shape::first_trigger`].
    pub first: Vec<u64>,
}

impl ResponseTally {
    /// Sized for `shape` (all empty when there are no responses).
    pub fn new(shape: Shape) -> ResponseTally {
        if shape.responses == 0 {
            return ResponseTally::default();
        }
        ResponseTally {
            free_hits: vec![0; shape.slots],
            triggered: vec![0; shape.responses],
            capped: vec![0; shape.responses],
            effort: vec![0.0; shape.responses],
            first: vec![0; shape.responses * shape.years],
        }
    }

    /// Adds one draw.
    pub fn add(&mut self, shape: Shape, slots: &IxVec<SlotIx, Slot>, d: &Drawn<'_>) {
        let Some(free) = d.free_outcomes.filter(|_| !self.triggered.is_empty()) else {
            return;
        };
        for (h, slot) in self.free_hits.iter_mut().zip(slots.iter()) {
            *h += u64::from(slot.goal.hit(free[slot.target]));
        }
        for (r, did) in d.responses.iter().enumerate() {
            if let Some(t) = did.first {
                self.triggered[r] += 1;
                self.first[shape.first_trigger(r, t)] += 1;
            }
            self.capped[r] += u64::from(did.capped);
            self.effort[r] += did.effort;
        }
    }

    /// Adds `o`, which covers the draws right after these.
    pub fn merge(&mut self, o: &ResponseTally) {
        for (a, b) in [
            (&mut self.free_hits, &o.free_hits),
            (&mut self.triggered, &o.triggered),
            (&mut self.capped, &o.capped),
            (&mut self.first, &o.first),
        ] {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        for (x, y) in self.effort.iter_mut().zip(&o.effort) {
            *x += y;
        }
    }

    /// Whether every table has the size `fresh` (of the same layout) has.
    pub fn fits(&self, fresh: &ResponseTally) -> bool {
        self.free_hits.len() == fresh.free_hits.len()
            && self.triggered.len() == fresh.triggered.len()
            && self.capped.len() == fresh.capped.len()
            && self.effort.len() == fresh.effort.len()
            && self.first.len() == fresh.first.len()
    }
}
