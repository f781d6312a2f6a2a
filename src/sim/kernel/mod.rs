//! The one-draw kernel: given a draw's parameter uniforms and its shock stream, simulate
//! every year of value added, capacity, energy, derived series and indicators, then
//! evaluate the series and targets. All buffers live in a reusable `Workspace`, so the
//! per-draw loop allocates nothing.
//!
//! Layout: year-major, `x[t·N + i]`, so each year's loop runs over contiguous memory.
//! `plan` resolves everything that depends only on the model once; `workspace` holds
//! the buffers; `params`, then `economy` and `indicators` (run in order by `paths`)
//! simulate a draw;
//! `evaluate` reads the series and targets off the simulated arrays; `respond` applies
//! the scenario's policy responses, simulating the paths again after each trigger.
//!
//! Performance notes (an optimisation must leave results bit-identical, unless a change
//! of numbers is intended and tests/engine_stability.rs is re-pinned with the reason;
//! see BENCHMARKS.md):
//! - a draw's standard normals are generated first, in blocks at vector width
//!   (`sim::normals`), in exactly the order the simulation consumes them; the
//!   arithmetic then reads them from a buffer;
//! - everything that depends only on the model (series sources, indicator constants,
//!   which distribution each parameter has) is resolved once, in `Workspace::new`;
//! - `draw_outcomes` evaluates series (and indicator values) only at the years the
//!   targets read, for draws that feed no fan chart; `draw` evaluates every year;
//! - a stage (capacity, energy, derived series, indicators) runs only when a series
//!   the draw evaluates reads it (`stages`): all series for `draw`, the targets' for
//!   `draw_outcomes`.

mod cells;
mod economy;
mod evaluate;
mod indicators;
mod inputs;
mod params;
mod paths;
mod pin;
mod plan;
mod respond;
mod shocks;
mod stages;
mod workspace;

pub use crate::sim::drawn::ResponseDraw;
pub use inputs::{DrawInputs, Inputs};
pub use workspace::{normals_per_draw, Workspace};

use super::normals::NormalStream;
use crate::model::Model;

/// Simulates one draw and evaluates every series in every year. `x` holds the inputs of
/// the uncertain parameters (`Workspace::inputs`).
pub fn draw(m: &Model, ws: &mut Workspace, x: DrawInputs<'_>, shocks: &mut NormalStream) {
    simulate(m, ws, x, shocks, true);
    evaluate::evaluate_all(m, ws);
    evaluate::evaluate_targets(m, ws);
    if !m.responses.is_empty() && respond::respond(m, ws, true) {
        evaluate::evaluate_all(m, ws);
        evaluate::evaluate_targets(m, ws);
    }
}

/// Like [`draw`], with identical outcomes and baselines, but evaluates series only at
/// the years targets read (other years of `ws.series` are left stale): for draws that
/// feed no fan chart.
pub fn draw_outcomes(m: &Model, ws: &mut Workspace, x: DrawInputs<'_>, shocks: &mut NormalStream) {
    simulate(m, ws, x, shocks, false);
    evaluate::evaluate_needed(ws);
    evaluate::evaluate_targets(m, ws);
    if !m.responses.is_empty() && respond::respond(m, ws, false) {
        evaluate::evaluate_needed(ws);
        evaluate::evaluate_targets(m, ws);
    }
}

#[inline]
fn simulate(
    m: &Model,
    ws: &mut Workspace,
    x: DrawInputs<'_>,
    shocks: &mut NormalStream,
    all_years: bool,
) {
    params::prefetch_tables(m, ws, x.uniforms);
    shocks.fill(&mut ws.normals);
    ws.plan.shocks.lay_out(&ws.normals, &mut ws.st.shock_layout);
    params::set_params(m, ws, x);
    ws.years.active = false;
    paths::simulate_paths(m, ws, all_years, true);
}
