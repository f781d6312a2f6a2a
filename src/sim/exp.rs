//! `exp` of a whole slice, in plain branch-free arithmetic that the compiler turns into
//! vector instructions. The kernel's indicator paths need one exponential per indicator
//! and year; calling libm's `exp` one value at a time cost as much as the rest of the
//! indicator arithmetic, and its last bits may differ between libm versions and CPUs.
//! This one is the same on every machine and within 1 ulp of the exact value
//! for |x| ≤ 708 (checked against libm below).

use std::f64::consts::LOG2_E;

/// Arguments are clamped to ±`LIMIT` so that 2^k stays a normal number: exp(708) ≈
/// 3.0e307 stands in for overflow and exp(−708) ≈ 3.3e−308 for underflow, which the
/// kernel's uses (a logistic, a lognormal step) cannot tell from ∞ and 0.
const LIMIT: f64 = 708.0;
/// ln 2 split into a head whose product with any |k| ≤ 1024 is exact, and a tail.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// 1.5·2^52: adding it rounds to an integer, which then sits in the low mantissa bits.
const SHIFT: f64 = 6_755_399_441_055_744.0;

/// Taylor coefficients 1/n!, n = 2 … 13: for |r| ≤ ln2/2 the first omitted term is
/// below 5e−18 of the result.
const C: [f64; 12] = {
    let mut c = [0.0; 12];
    let mut f = 1.0;
    let mut n = 0;
    while n < 12 {
        f *= (n + 2) as f64;
        c[n] = 1.0 / f;
        n += 1;
    }
    c
};

/// e^x for one value (see the module notes for range and accuracy).
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    // `clamp` keeps NaN (and compiles to min/max).
    let x = x.clamp(-LIMIT, LIMIT);
    // x = k·ln2 + r with k an integer and |r| ≤ ln2/2.
    let kd = x * LOG2_E + SHIFT;
    let k = kd - SHIFT;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // (e^r − 1 − r) / r² by Estrin's scheme: a dependency chain of four multiply-adds
    // instead of Horner's twelve, so consecutive values overlap in the pipeline.
    let (r2, r4) = (r * r, r * r * (r * r));
    let q: [f64; 6] = std::array::from_fn(|i| C[2 * i] + C[2 * i + 1] * r);
    let s = [q[0] + q[1] * r2, q[2] + q[3] * r2, q[4] + q[5] * r2];
    let p = (s[0] + s[1] * r4) + s[2] * (r4 * r4);
    // The small terms first, so the final addition of 1 rounds only once.
    let e_r = 1.0 + (r + r2 * p);
    // 2^k from k's bits: the low bits of kd hold k (two's complement, |k| ≤ 1022).
    let biased = kd
        .to_bits()
        .wrapping_sub(SHIFT.to_bits())
        .wrapping_add(1023);
    e_r * f64::from_bits(biased << 52)
}

/// Replaces every value of `xs` with its exponential.
pub fn exp_in_place(xs: &mut [f64]) {
    for x in xs {
        *x = exp(*x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative error against libm, in units of the result's last place.
    fn ulps(x: f64) -> f64 {
        let (got, want) = (exp(x), x.exp());
        (got - want).abs() / (want * f64::EPSILON)
    }

    #[test]
    fn within_one_ulp_of_libm() {
        let mut worst: f64 = 0.0;
        for i in -2_000_000..=2_000_000 {
            // Dense over the kernel's usual range, plus the whole clamped range.
            worst = worst.max(ulps(i as f64 * 1e-5));
            worst = worst.max(ulps(i as f64 * 3.54e-4));
        }
        assert!(worst <= 1.0, "worst error {worst} ulp");
    }

    #[test]
    fn exact_where_it_must_be_and_clamped_outside() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-0.0), 1.0);
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp(1000.0), exp(LIMIT));
        assert!(exp(LIMIT).is_finite() && exp(LIMIT) > 1e307);
        assert!(exp(-1000.0) > 0.0 && exp(-1000.0) < 1e-307);
        let mut xs = [0.5, -3.0, 20.0];
        exp_in_place(&mut xs);
        assert_eq!(xs, [exp(0.5), exp(-3.0), exp(20.0)]);
    }
}
