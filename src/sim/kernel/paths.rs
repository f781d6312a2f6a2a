//! The paths of one draw after its parameters are set: the economy (value added,
//! capacity, energy, derived series) and the indicators, in that order. Separate from
//! the kernel's root so that both the first simulation and the policy responses'
//! re-simulations call it without referring back to the root.

use super::workspace::Workspace;
use super::{economy, indicators};
use crate::model::Model;

/// Everything after the parameters: the economy and (`with_indicators`) the
/// indicators, which do not depend on the economy. Each year's trends are read from
/// `ws.years`: the draw's parameters unless a policy response shifted them.
pub(super) fn simulate_paths(
    m: &Model,
    ws: &mut Workspace,
    all_years: bool,
    with_indicators: bool,
) {
    economy::simulate_value_added(m, ws);
    // Only the stages this kind of draw reads (see `stages`).
    let stages = ws.stages[usize::from(all_years)];
    if stages.capacity {
        economy::simulate_capacity(m, ws);
    }
    if stages.energy {
        economy::simulate_energy(m, ws);
    }
    if stages.derived {
        economy::simulate_derived(m, ws);
    }
    if with_indicators && stages.indicators {
        indicators::simulate_indicators(m, ws, all_years);
    }
}
