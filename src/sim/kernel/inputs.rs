//! A chunk's parameter inputs, prepared for all of its draws at once: the sampler's
//! uniforms, and the normal scores Φ⁻¹(u) that the copula's dimensions and the normal
//! parameters are drawn from. Computed draw by draw, each Φ⁻¹ (two polynomials and a
//! division) stood at the head of its draw's chain of dependent operations, and a
//! one-parameter scenario waited for it in every draw; in one loop over the chunk the
//! scores of different draws overlap.

use super::workspace::Workspace;
use crate::ix::DimIx;
use crate::stats::std_normal_inv;

/// The inputs of a run of draws, draw-major.
#[derive(Debug, Clone)]
pub struct Inputs {
    uniforms: Vec<f64>,
    scores: Vec<f64>,
    /// Uniforms and scores per draw.
    per_draw: (usize, usize),
}

/// One draw's inputs.
#[derive(Debug, Clone, Copy)]
pub struct DrawInputs<'a> {
    /// The uniform of each uncertain parameter, by sampler dimension.
    pub(super) uniforms: &'a [f64],
    /// Φ⁻¹ of the uniforms of [`scored_dims`], in that order.
    pub(super) scores: &'a [f64],
}

impl Workspace {
    /// The inputs of `n` draws of this workspace's model whose uniforms are `uniforms`
    /// (`n` rows of one uniform per uncertain parameter, by sampler dimension).
    pub fn inputs(&self, n: usize, uniforms: Vec<f64>) -> Inputs {
        let k = self.uniforms.len();
        assert_eq!(uniforms.len(), n * k, "{n} draws of {k} uniforms");
        let dims = scored_dims(self);
        let mut scores = Vec::with_capacity(n * dims.len());
        for row in uniforms.chunks_exact(k.max(1)).take(n) {
            scores.extend(dims.iter().map(|d| std_normal_inv(row[d.0])));
        }
        Inputs {
            uniforms,
            scores,
            per_draw: (k, dims.len()),
        }
    }
}

impl Inputs {
    /// Draw `i`'s inputs.
    pub fn draw(&self, i: usize) -> DrawInputs<'_> {
        let (k, s) = self.per_draw;
        DrawInputs {
            uniforms: &self.uniforms[i * k..(i + 1) * k],
            scores: &self.scores[i * s..(i + 1) * s],
        }
    }
}

/// The sampler dimensions a draw takes as normal scores: the copula's, in its order,
/// then the normal parameters outside it, in `ParamPlan::normal` order.
fn scored_dims(ws: &Workspace) -> Vec<DimIx> {
    let p = &ws.plan.params;
    p.copula_dims
        .iter()
        .copied()
        .chain(p.normal.iter().map(|n| n.dim))
        .collect()
}
