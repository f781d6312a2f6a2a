//! The block generator in AVX2 instructions: the eight lanes as two registers per
//! xoshiro256++ state word, kept in registers for the whole fill, and the ziggurat's
//! fast path four proposals at a time with gathered table entries. Every operation is
//! an integer operation or one IEEE multiply or comparison, as in the portable path,
//! so both give the same numbers (checked in the tests). Written with intrinsics
//! because the compiler does not vectorise the portable loops by itself: the x86-64
//! baseline has no vector rotate, and even with AVX2 enabled it keeps some lanes
//! scalar.

use super::tables::X;
use super::ziggurat::{fill_blocks, Lanes, BLOCK, LANES};
use crate::sim::rng::Rng;
use std::arch::x86_64::*;

/// Registers per state word.
const HALVES: usize = LANES / 4;

/// `NormalStream::fill` in AVX2, on the stream's `lanes` and `fallback` (callable
/// only where AVX2 is known to be present).
#[target_feature(enable = "avx2")]
pub(super) fn fill(lanes: &mut Lanes, fallback: &mut Rng, out: &mut [f64]) {
    let mut s: [[__m256i; HALVES]; 4] = std::array::from_fn(|w| {
        std::array::from_fn(|h| {
            // SAFETY: each `[u64; LANES]` row holds `HALVES` whole 256-bit registers,
            // read (and written back at the end) unaligned.
            unsafe { _mm256_loadu_si256(lanes[w].as_ptr().add(4 * h).cast()) }
        })
    });
    let step = |round: &mut [u64]| {
        for (h, lanes) in round.chunks_exact_mut(4).enumerate() {
            let [s0, s1, s2, s3] = [s[0][h], s[1][h], s[2][h], s[3][h]];
            let r = _mm256_add_epi64(rotl::<23, 41>(_mm256_add_epi64(s0, s3)), s0);
            // SAFETY: `lanes` holds 4 u64.
            unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), r) };
            let t = _mm256_slli_epi64::<17>(s1);
            let s2 = _mm256_xor_si256(s2, s0);
            let s3 = _mm256_xor_si256(s3, s1);
            let s1 = _mm256_xor_si256(s1, s2);
            let s0 = _mm256_xor_si256(s0, s3);
            let s2 = _mm256_xor_si256(s2, t);
            let s3 = rotl::<45, 19>(s3);
            [s[0][h], s[1][h], s[2][h], s[3][h]] = [s0, s1, s2, s3];
        }
    };
    fill_blocks(out, fallback, step, |b, xs, n| propose_all(b, xs, n));
    for (w, row) in s.iter().enumerate() {
        for (h, v) in row.iter().enumerate() {
            // SAFETY: as for the loads.
            unsafe { _mm256_storeu_si256(lanes[w].as_mut_ptr().add(4 * h).cast(), *v) };
        }
    }
}

/// Rotation left by `L` bits (`R` = 64 − `L`).
#[target_feature(enable = "avx2")]
#[inline]
fn rotl<const L: i32, const R: i32>(x: __m256i) -> __m256i {
    _mm256_or_si256(_mm256_slli_epi64::<L>(x), _mm256_srli_epi64::<R>(x))
}

/// The fast path over the first `n` (a multiple of 4) proposals: `xs[k]` the proposal
/// from `bits[k]`, bit k of the result set if the fast path rejects it.
#[target_feature(enable = "avx2")]
#[inline]
fn propose_all(bits: &[u64; BLOCK], xs: &mut [f64; BLOCK], n: usize) -> u64 {
    let two = _mm256_set1_epi64x(0x4000_0000_0000_0000);
    let (three, sign) = (_mm256_set1_pd(3.0), _mm256_set1_pd(-0.0));
    let mut rejected = 0u64;
    for (g, b4) in bits[..n.min(BLOCK)].chunks_exact(4).enumerate() {
        // The table entries by scalar loads: a vector gather is slower on CPUs with
        // the Gather Data Sampling mitigation, and no faster elsewhere.
        let layer = |j: usize| (b4[j] & 0xff) as usize;
        let x_i = _mm256_set_pd(X[layer(3)], X[layer(2)], X[layer(1)], X[layer(0)]);
        let edge = _mm256_set_pd(
            X[layer(3) + 1],
            X[layer(2) + 1],
            X[layer(1) + 1],
            X[layer(0) + 1],
        );
        // SAFETY: `b4` holds 4 u64 and `xs[4g..4g + 4]` 4 f64 (4g + 4 ≤ n ≤ BLOCK).
        unsafe {
            let b = _mm256_loadu_si256(b4.as_ptr().cast());
            // Bits as the mantissa of a number in [2, 4), minus 3.
            let u = _mm256_sub_pd(
                _mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64::<12>(b), two)),
                three,
            );
            let x = _mm256_mul_pd(u, x_i);
            let accepted = _mm256_cmp_pd::<_CMP_LT_OQ>(_mm256_andnot_pd(sign, x), edge);
            _mm256_storeu_pd(xs.as_mut_ptr().add(4 * g), x);
            let mask = !_mm256_movemask_pd(accepted) & 0xf;
            rejected |= (mask as u64) << (4 * g);
        }
    }
    rejected
}
