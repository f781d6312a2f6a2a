//! A draw's parameters: the copula applied to the correlated ones, each uniform turned
//! into a value by its distribution's quantile function, and each parameter's
//! sensitivity bin.

use super::inputs::DrawInputs;
use super::plan::BinEdges;
use super::workspace::Workspace;
use crate::model::copula::Copula;
use crate::model::dist::{tabulated_node, tabulated_quantile, Distribution};
use crate::model::Model;
use crate::sim::layout::SENSITIVITY_BINS;
use crate::stats::std_normal_cdf;

/// The quantile tables (32 KiB each) do not all stay in cache between draws: asks for
/// this draw's entries of the tables outside the copula (their uniforms are known
/// already), so they arrive while the draw's normals are generated. `u` holds the
/// draw's uniforms by sampler dimension.
pub(super) fn prefetch_tables(m: &Model, ws: &Workspace, u: &[f64]) {
    for d in &ws.plan.params.tabulated_prefetch {
        if let Distribution::Tabulated { quantiles, .. } = &m.params[d.param].dist {
            let i = tabulated_node(quantiles, u[d.dim.0]);
            prefetch(&quantiles[i]);
            prefetch(&quantiles[i + 1]);
        }
    }
}

/// Hints the CPU to bring `x`'s cache line closer; no effect on results.
#[inline(always)]
fn prefetch(x: &f64) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    // SAFETY: a prefetch is only a hint: it never faults and reads or writes nothing
    // observable, and the address comes from a live reference.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((x as *const f64).cast::<i8>());
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = x;
}

/// Sets the draw's parameter values from its inputs `x` (through the copula for the
/// correlated parameters, from the normal scores for normal ones), and each one's
/// sensitivity bin.
pub(super) fn set_params(m: &Model, ws: &mut Workspace, x: DrawInputs<'_>) {
    ws.uniforms.as_raw_mut().copy_from_slice(x.uniforms);
    let plan = &ws.plan.params;
    // The scores: the copula's independent ones, then the other normal parameters'.
    let (z_copula, z_normal) = x.scores.split_at(plan.copula_dims.len());
    if let Some(c) = &m.copula {
        correlate(&c.copula, z_copula, ws.z_corr.as_raw_mut());
        // A normal marginal of the copula is its correlated score rescaled: what
        // `inverse_cdf(Φ(z))` gives, without the round trip's cost and rounding.
        for p in &plan.copula_normal {
            let z = ws.z_corr[p.copula];
            ws.params[p.param] = p.mean + p.sd * z;
            ws.bins[p.dim] = normal_bin(&plan.bin_edges, z);
        }
        for p in &plan.copula_uniform {
            // Clamp away from {0, 1}: Φ of a large |z| rounds to exactly 0 or 1.
            ws.uniforms[p.dim] = std_normal_cdf(ws.z_corr[p.copula]).clamp(1e-300, 1.0 - 1e-16);
        }
    }
    for &k in &plan.binned_by_uniform {
        ws.bins[k] =
            ((ws.uniforms[k] * SENSITIVITY_BINS as f64) as u8).min(SENSITIVITY_BINS as u8 - 1);
    }
    // Grouped by distribution (each value is what `inverse_cdf` gives): the tabulated
    // lookups are independent loads in one tight loop, so their cache misses overlap.
    for d in &plan.tabulated {
        if let Distribution::Tabulated { quantiles, .. } = &m.params[d.param].dist {
            ws.params[d.param] = tabulated_quantile(quantiles, ws.uniforms[d.dim]);
        }
    }
    for (p, &z) in plan.normal.iter().zip(z_normal) {
        ws.params[p.param] = p.mean + p.sd * z;
        ws.bins[p.dim] = normal_bin(&plan.bin_edges, z);
    }
    for d in &plan.other {
        ws.params[d.param] = m.params[d.param].dist.inverse_cdf(ws.uniforms[d.dim]);
    }
}

/// The number of `edges` at or below `z` (edges ascending), by a branch-free binary
/// search: four comparisons instead of fifteen.
#[inline]
fn normal_bin(edges: &BinEdges, z: f64) -> u8 {
    const _: () = assert!(SENSITIVITY_BINS == 16);
    let mut b = 0;
    for step in [8, 4, 2, 1] {
        b += step * usize::from(edges[b + step - 1] <= z);
    }
    b as u8
}

/// `out = L·z`, exactly as `Copula::correlate` computes it (each row summed left to
/// right from −0.0, as `Iterator::sum` does), four rows at a time so that four
/// independent sums overlap in the pipeline instead of one long chain of additions.
fn correlate(c: &Copula, z: &[f64], out: &mut [f64]) {
    let n = c.dim;
    let f = &c.factor;
    let mut i = 0;
    while i + 4 <= n {
        let (r0, r1, r2, r3) = (
            &f[i * n..i * n + i + 1],
            &f[(i + 1) * n..(i + 1) * n + i + 2],
            &f[(i + 2) * n..(i + 2) * n + i + 3],
            &f[(i + 3) * n..(i + 3) * n + i + 4],
        );
        let (mut a0, mut a1, mut a2, mut a3) = (-0.0, -0.0, -0.0, -0.0);
        for (j, &zj) in z[..=i].iter().enumerate() {
            a0 += r0[j] * zj;
            a1 += r1[j] * zj;
            a2 += r2[j] * zj;
            a3 += r3[j] * zj;
        }
        a1 += r1[i + 1] * z[i + 1];
        a2 += r2[i + 1] * z[i + 1];
        a3 += r3[i + 1] * z[i + 1];
        a2 += r2[i + 2] * z[i + 2];
        a3 += r3[i + 2] * z[i + 2];
        a3 += r3[i + 3] * z[i + 3];
        out[i..i + 4].copy_from_slice(&[a0, a1, a2, a3]);
        i += 4;
    }
    for (i, o) in out.iter_mut().enumerate().take(n).skip(i) {
        *o = f[i * n..i * n + i + 1]
            .iter()
            .zip(z)
            .map(|(a, b)| a * b)
            .sum();
    }
}

#[cfg(test)]
mod tests {
    use super::super::plan::normal_bin_edges;
    use super::*;

    /// A normal score's bin is the bin of its probability Φ(z), as for every other
    /// parameter (up to rounding right at an edge).
    #[test]
    fn normal_bin_is_the_bin_of_the_probability() {
        let edges = normal_bin_edges();
        for i in -60_000..=60_000 {
            let z = i as f64 * 1e-4;
            let scaled = std_normal_cdf(z) * SENSITIVITY_BINS as f64;
            if (scaled - scaled.round()).abs() < 1e-9 {
                continue;
            }
            let want = (scaled as u8).min(SENSITIVITY_BINS as u8 - 1);
            assert_eq!(normal_bin(&edges, z), want, "z = {z}");
        }
        assert_eq!(normal_bin(&edges, -40.0), 0);
        assert_eq!(normal_bin(&edges, 40.0), SENSITIVITY_BINS as u8 - 1);
    }
}
