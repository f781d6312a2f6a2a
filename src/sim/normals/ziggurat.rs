//! The block loop and the ziggurat both fill paths share: lanes and blocks, the fast
//! path's proposal, and the exact scalar finish of the proposals it rejects.

use super::tables::{F, R, X};
use crate::sim::exp::exp;
use crate::sim::rng::{open01, Rng};
use rand::{Rng as _, RngCore};

/// Generators run side by side: two AVX2 registers or one AVX-512 register per state word.
pub(super) const LANES: usize = 8;
/// Normals transformed per pass; their raw bits wait in a stack buffer.
pub(super) const BLOCK: usize = 64;

/// xoshiro256++ state word `w` of lane `l` is `lanes[w][l]`.
pub(super) type Lanes = [[u64; LANES]; 4];

// Blocks are whole rounds, and a block's rejections fit one u64 mask.
const _: () = assert!(BLOCK.is_multiple_of(LANES) && BLOCK <= 64);

/// The block loop both paths share: per block of `out`, whole rounds of the lanes
/// (`step` writes one round, lane `l` to `round[l]`), the fast path over them
/// (`propose_all` writes the first `n` proposals and returns the mask of rejected
/// ones), then the rejected ones finished one by one.
#[inline(always)]
pub(super) fn fill_blocks(
    out: &mut [f64],
    fallback: &mut Rng,
    mut step: impl FnMut(&mut [u64]),
    propose_all: impl Fn(&[u64; BLOCK], &mut [f64; BLOCK], usize) -> u64,
) {
    let mut bits = [0u64; BLOCK];
    let mut xs = [0.0; BLOCK];
    for block in out.chunks_mut(BLOCK) {
        let n = block.len().div_ceil(LANES) * LANES;
        for round in bits[..n].chunks_exact_mut(LANES) {
            step(round);
        }
        // Proposals past the block's end (in its last round) are made and dropped.
        let mut rejected = propose_all(&bits, &mut xs, n) & (u64::MAX >> (64 - block.len()));
        block.copy_from_slice(&xs[..block.len()]);
        while rejected != 0 {
            let k = rejected.trailing_zeros() as usize;
            block[k] = finish(bits[k], fallback);
            rejected &= rejected - 1;
        }
    }
}

/// The ziggurat's proposal from 64 random bits and whether the fast path accepts it:
/// the low 8 bits pick a layer, the high 52 a position u in [−1, 1) across it.
#[inline(always)]
pub(super) fn propose(bits: u64) -> (f64, bool) {
    let i = (bits & 0xff) as usize;
    // Bits as the mantissa of a number in [2, 4), minus 3.
    let u = f64::from_bits((bits >> 12) | 0x4000_0000_0000_0000) - 3.0;
    let x = u * X[i];
    (x, x.abs() < X[i + 1])
}

/// The rest of the ziggurat for a proposal the fast path rejected: the tail beyond `R`
/// for the bottom layer, the wedge test for the others, and on a failed wedge a new
/// sample from scratch, all with numbers from `rng`.
#[cold]
fn finish(bits: u64, rng: &mut Rng) -> f64 {
    let mut bits = bits;
    loop {
        let (x, accepted) = propose(bits);
        if accepted {
            return x;
        }
        let i = (bits & 0xff) as usize;
        if i == 0 {
            return tail(x, rng);
        }
        if F[i + 1] + (F[i] - F[i + 1]) * rng.random::<f64>() < exp(-0.5 * x * x) {
            return x;
        }
        bits = rng.next_u64();
    }
}

/// A normal beyond ±`R` (Marsaglia's tail method), on the side of `x`.
fn tail(x: f64, rng: &mut Rng) -> f64 {
    loop {
        let a = open01(rng).ln() / R;
        let b = open01(rng).ln();
        if -2.0 * b >= a * a {
            return if x < 0.0 { a - R } else { R - a };
        }
    }
}
