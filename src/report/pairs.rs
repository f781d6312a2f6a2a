//! Which pairs of targets the joint results report, so that their size grows linearly
//! with the number of targets rather than with its square (5000 targets would otherwise
//! write 12.5 million pairs).
//!
//! Kept: for each modeled target, its [`MISS_PARTNERS`] partners whose misses are most
//! correlated with its own (by |φ|, pairs with φ = 0 carry no information and are
//! skipped); and every pair of binding targets when there are at most
//! [`BINDING_PAIRS_UP_TO`] of them, since "do the binding targets fail together?" is
//! the question a planner asks of them. At most `J·MISS_PARTNERS + C(40, 2)` pairs.

use super::summary::MissPair;
use std::collections::BTreeSet;

/// Most-correlated partners kept per target.
pub const MISS_PARTNERS: usize = 5;
/// Every pair among the binding targets is kept when there are at most this many.
pub const BINDING_PAIRS_UP_TO: usize = 40;

/// Draw counts the pair statistics come from: `draws` in all, `missed[i]` draws that
/// missed target i, and `both(i, j)` draws that missed both (symmetric).
#[derive(Debug, Clone, Copy)]
pub struct MissCounts<'a, F> {
    /// Draws in all.
    pub draws: u64,
    /// Draws that missed each target.
    pub missed: &'a [u64],
    /// Draws that missed both of two targets.
    pub both: F,
}

impl<F: Fn(usize, usize) -> u64> MissCounts<'_, F> {
    /// Phi coefficient of the miss indicators of targets i and j; 0 when undefined.
    pub fn phi(&self, i: usize, j: usize) -> f64 {
        let nf = self.draws as f64;
        let pi = self.missed[i] as f64 / nf;
        let pj = self.missed[j] as f64 / nf;
        let pij = (self.both)(i, j) as f64 / nf;
        let denom = (pi * (1.0 - pi) * pj * (1.0 - pj)).sqrt();
        if denom > 0.0 {
            ((pij - pi * pj) / denom).clamp(-1.0, 1.0)
        } else {
            0.0
        }
    }
}

/// The reported pairs, strongest |φ| first (ties in target order). `ids` and `binding`
/// are indexed like the counts.
pub fn miss_pairs<F: Fn(usize, usize) -> u64>(
    c: &MissCounts<'_, F>,
    ids: &[String],
    binding: &[bool],
) -> Vec<MissPair> {
    let n = ids.len();
    let mut keep = BTreeSet::new();
    for i in 0..n {
        let mut partners: Vec<(usize, f64)> = (0..n)
            .filter(|&j| j != i)
            .map(|j| (j, c.phi(i, j)))
            .filter(|&(_, r)| r != 0.0)
            .collect();
        partners.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        keep.extend(
            partners
                .iter()
                .take(MISS_PARTNERS)
                .map(|&(j, _)| (i.min(j), i.max(j))),
        );
    }
    let bound: Vec<usize> = (0..n).filter(|&i| binding[i]).collect();
    if bound.len() <= BINDING_PAIRS_UP_TO {
        for (k, &i) in bound.iter().enumerate() {
            keep.extend(bound[k + 1..].iter().map(|&j| (i, j)));
        }
    }
    let mut pairs: Vec<(usize, usize, f64)> =
        keep.into_iter().map(|(i, j)| (i, j, c.phi(i, j))).collect();
    pairs.sort_by(|a, b| {
        b.2.abs()
            .total_cmp(&a.2.abs())
            .then((a.0, a.1).cmp(&(b.0, b.1)))
    });
    pairs
        .into_iter()
        .map(|(i, j, r)| MissPair {
            a: ids[i].clone(),
            b: ids[j].clone(),
            p_both_missed: (c.both)(i, j) as f64 / c.draws.max(1) as f64,
            correlation: r,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts<F>(draws: u64, missed: &[u64], both: F) -> MissCounts<'_, F> {
        MissCounts {
            draws,
            missed,
            both,
        }
    }

    #[test]
    fn size_is_linear_in_the_number_of_targets() {
        for n in [10usize, 100, 400] {
            // Every pair has some correlation, the worst case for selection.
            let both = |i: usize, j: usize| 100 + ((i * 7 + j * 13) % 50) as u64;
            let missed = vec![1000; n];
            let c = counts(10_000, &missed, both);
            let ids: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
            let binding = vec![true; n];
            let pairs = miss_pairs(&c, &ids, &binding);
            let bound = n * MISS_PARTNERS
                + if n <= BINDING_PAIRS_UP_TO {
                    n * (n - 1) / 2
                } else {
                    0
                };
            assert!(pairs.len() <= bound, "{n}: {} > {bound}", pairs.len());
            assert!(pairs.len() >= n * MISS_PARTNERS / 2);
        }
    }

    #[test]
    fn the_strongest_pairs_and_all_binding_pairs_are_kept() {
        // 0 and 1 always miss together; 2 misses independently of both; 3, 4 binding.
        let both = |i: usize, j: usize| match (i, j) {
            (0, 1) => 500,
            (3, 4) => 250,
            _ => 250,
        };
        let c = counts(1000, &[500; 5], both);
        let ids: Vec<String> = (0..5).map(|i| format!("t{i}")).collect();
        let pairs = miss_pairs(&c, &ids, &[false, false, false, true, true]);
        assert_eq!((pairs[0].a.as_str(), pairs[0].b.as_str()), ("t0", "t1"));
        assert_eq!(pairs[0].correlation, 1.0);
        assert_eq!(pairs[0].p_both_missed, 0.5);
        // φ = 0 pairs are dropped unless both targets are binding.
        assert_eq!(pairs.len(), 2);
        assert_eq!((pairs[1].a.as_str(), pairs[1].b.as_str()), ("t3", "t4"));
        assert_eq!(pairs[1].correlation, 0.0);
    }
}
