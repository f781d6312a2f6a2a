//! `exp` of a whole slice, in branch-free arithmetic (and one lookup in a 32-entry
//! table) that the compiler inlines into vectorised loops. The kernel's indicator paths need one exponential per indicator
//! and year; calling libm's `exp` one value at a time cost as much as the rest of the
//! indicator arithmetic, and its last bits may differ between libm versions and CPUs.
//! This one is the same on every machine and within 1 ulp of the exact value
//! for |x| ≤ 708 (checked against libm below).

/// Arguments are clamped to ±`LIMIT` so that the result stays a normal number:
/// exp(708) ≈ 3.0e307 stands in for overflow and exp(−708) ≈ 3.3e−308 for underflow,
/// which the kernel's uses (a logistic, a lognormal step) cannot tell from ∞ and 0.
const LIMIT: f64 = 708.0;
/// 32 / ln 2.
const INV_STEP: f64 = 32.0 * std::f64::consts::LOG2_E;
/// ln 2 / 32 split into a head whose product with any |n| ≤ 2^15 is exact, and a tail.
const STEP_HI: f64 = f64::from_bits(0x3f96_2e42_fefa_0000);
const STEP_LO: f64 = f64::from_bits(0x3d2c_f79a_bc9e_3b3a);
/// 1.5·2^52: adding it rounds to an integer, which then sits in the low mantissa bits.
const SHIFT: f64 = 6_755_399_441_055_744.0;
/// 2^(j/32), j = 0 … 31, correctly rounded.
const TABLE: [f64; 32] = [
    f64::from_bits(0x3ff0_0000_0000_0000),
    f64::from_bits(0x3ff0_59b0_d315_8574),
    f64::from_bits(0x3ff0_b558_6cf9_890f),
    f64::from_bits(0x3ff1_1301_d012_5b51),
    f64::from_bits(0x3ff1_72b8_3c7d_517b),
    f64::from_bits(0x3ff1_d487_3168_b9aa),
    f64::from_bits(0x3ff2_387a_6e75_6238),
    f64::from_bits(0x3ff2_9e9d_f51f_dee1),
    f64::from_bits(0x3ff3_06fe_0a31_b715),
    f64::from_bits(0x3ff3_71a7_373a_a9cb),
    f64::from_bits(0x3ff3_dea6_4c12_3422),
    f64::from_bits(0x3ff4_4e08_6061_892d),
    f64::from_bits(0x3ff4_bfda_d536_2a27),
    f64::from_bits(0x3ff5_342b_569d_4f82),
    f64::from_bits(0x3ff5_ab07_dd48_5429),
    f64::from_bits(0x3ff6_247e_b03a_5585),
    f64::from_bits(0x3ff6_a09e_667f_3bcd),
    f64::from_bits(0x3ff7_1f75_e8ec_5f74),
    f64::from_bits(0x3ff7_a114_73eb_0187),
    f64::from_bits(0x3ff8_2589_994c_ce13),
    f64::from_bits(0x3ff8_ace5_422a_a0db),
    f64::from_bits(0x3ff9_3737_b0cd_c5e5),
    f64::from_bits(0x3ff9_c491_82a3_f090),
    f64::from_bits(0x3ffa_5503_b23e_255d),
    f64::from_bits(0x3ffa_e89f_995a_d3ad),
    f64::from_bits(0x3ffb_7f76_f2fb_5e47),
    f64::from_bits(0x3ffc_199b_dd85_529c),
    f64::from_bits(0x3ffc_b720_dcef_9069),
    f64::from_bits(0x3ffd_5818_dcfb_a487),
    f64::from_bits(0x3ffd_fc97_337b_9b5f),
    f64::from_bits(0x3ffe_a4af_a2a4_90da),
    f64::from_bits(0x3fff_5076_5b6e_4540),
];

/// e^x for one value (see the module notes for range and accuracy).
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    // `clamp` keeps NaN (and compiles to min/max).
    let x = x.clamp(-LIMIT, LIMIT);
    // x = (32m + j)·ln2/32 + r with |r| ≤ ln2/64, so e^x = 2^m · 2^(j/32) · e^r.
    let nd = x * INV_STEP + SHIFT;
    let n = nd - SHIFT;
    let r = (x - n * STEP_HI) - n * STEP_LO;
    // e^r − 1 to degree 6 (the next term is below 4e−18), in two short chains.
    let r2 = r * r;
    let p = r + r2
        * ((0.5 + r * (1.0 / 6.0)) + r2 * ((1.0 / 24.0 + r * (1.0 / 120.0)) + r2 * (1.0 / 720.0)));
    // The low bits of nd hold n (two's complement): j = n mod 32, and 32m = n − j
    // shifted into the exponent field gives 2^m.
    let n_bits = nd.to_bits().wrapping_sub(SHIFT.to_bits());
    let j = (n_bits & 31) as usize;
    let scale = f64::from_bits(((n_bits - j as u64) << 47).wrapping_add(1023 << 52));
    let t = TABLE[j];
    (t + t * p) * scale
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
