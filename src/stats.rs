//! Small statistical helpers shared by every layer: the standard normal CDF Φ and its
//! inverse, binomial intervals and rank correlation. A leaf: it uses nothing else of
//! the crate.

/// z for a two-sided 95% interval.
pub const Z975: f64 = 1.959_963_984_540_054;

/// z such that Φ(z) = 0.95: turns a 90% interval into a standard deviation.
pub const Z95: f64 = 1.644_853_626_951_472_2;

/// Φ(x), the standard normal CDF (through libm's `erfc`, the musl implementation:
/// accurate to about an ulp, and several times faster than statrs', which mattered
/// once for every copula parameter in every draw).
#[inline]
pub fn std_normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// Φ⁻¹(p) by Wichura's algorithm AS 241 (PPND16), accurate to about 1e-16.
#[inline]
pub fn std_normal_inv(p: f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q
            * (((((((2509.080928730122 * r + 33430.57558358813) * r + 67265.7709270087) * r
                + 45921.95393154987)
                * r
                + 13731.69376550946)
                * r
                + 1971.590950306551)
                * r
                + 133.1416678917844)
                * r
                + 3.387132872796366)
            / (((((((5226.495278852545 * r + 28729.08573572194) * r + 39307.89580009271) * r
                + 21_213.794_301_586_6)
                * r
                + 5394.196021424751)
                * r
                + 687.1870074920579)
                * r
                + 42.31333070160091)
                * r
                + 1.0);
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    if r <= 0.0 {
        return if q < 0.0 {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let r = (-r.ln()).sqrt();
    let val = if r <= 5.0 {
        let r = r - 1.6;
        (((((((7.745450142783414e-4 * r + 0.02272384498926918) * r + 0.2417807251774506) * r
            + 1.270458252452368)
            * r
            + 3.647848324763204)
            * r
            + 5.769497221460691)
            * r
            + 4.630337846156545)
            * r
            + 1.423437110749683)
            / (((((((1.050750071644417e-9 * r + 5.475938084995345e-4) * r
                + 0.01519866656361646)
                * r
                + 0.148_103_976_427_480_07)
                * r
                + 0.6897673349851)
                * r
                + 1.676384830183804)
                * r
                + 2.053191626637759)
                * r
                + 1.0)
    } else {
        let r = r - 5.0;
        (((((((2.010334399292288e-7 * r + 2.711555568743488e-5) * r + 0.001242660947388078) * r
            + 0.02653218952657612)
            * r
            + 0.2965605718285049)
            * r
            + 1.784826539917291)
            * r
            + 5.463784911164114)
            * r
            + 6.657904643501103)
            / (((((((2.044263103389939e-15 * r + 1.421511758316446e-7) * r
                + 1.846318317510055e-5)
                * r
                + 7.868691311456133e-4)
                * r
                + 0.014_875_361_290_850_615)
                * r
                + 0.1369298809227358)
                * r
                + 0.599_832_206_555_888)
                * r
                + 1.0)
    };
    if q < 0.0 {
        -val
    } else {
        val
    }
}

/// Wilson score interval for `hits` successes in `n` trials at confidence given by `z`.
///
/// The interval always contains p̂ = hits/n, also at 0 and 1: in exact arithmetic it
/// does, but rounding can put the lower bound at 1e-19 when p̂ = 0 or the upper bound at
/// 0.9999999999999998 when p̂ = 1, so the bounds are clamped to [0, p̂] and [p̂, 1].
pub fn wilson(hits: u64, n: u64, z: f64) -> [f64; 2] {
    if n == 0 {
        return [0.0, 1.0];
    }
    let n_f = n as f64;
    let p = hits as f64 / n_f;
    let z2 = z * z;
    let denom = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denom;
    let half = z * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt() / denom;
    [(centre - half).clamp(0.0, p), (centre + half).clamp(p, 1.0)]
}

/// Half-width of the 95% Wilson interval.
pub fn wilson_half_width(hits: u64, n: u64) -> f64 {
    let [a, b] = wilson(hits, n, Z975);
    (b - a) / 2.0
}

/// Ranks (1-based, ties averaged) of `x`; NaN ranks last.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut out = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            out[k] = r;
        }
        i = j + 1;
    }
    out
}

/// Pearson correlation; 0 when either side has no variance.
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    if n < 2 {
        return 0.0;
    }
    let ma = a[..n].iter().sum::<f64>() / n as f64;
    let mb = b[..n].iter().sum::<f64>() / n as f64;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (da, db) = (a[i] - ma, b[i] - mb);
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    if saa <= 0.0 || sbb <= 0.0 {
        0.0
    } else {
        sab / (saa * sbb).sqrt()
    }
}

/// Spearman rank correlation.
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    pearson(&ranks(a), &ranks(b))
}

/// Standard normal quantile, re-exported for callers that think in z-scores.
pub fn z_for_two_sided(confidence: f64) -> f64 {
    std_normal_inv(0.5 + confidence / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_matches_published_values_to_the_last_digits() {
        // Φ at 1.96, −3 and −8 (far tail), to 16 significant digits. Rounding x/√2
        // alone moves Φ by up to |x|·φ(x)/Φ(x)·2^−53 relatively (7e−15 at −8).
        for (x, p) in [
            (1.96, 0.975_002_104_851_779_5),
            (-3.0, 1.349_898_031_630_094_6e-3),
            (-8.0, 6.220_960_574_271_785e-16),
        ] {
            let got = std_normal_cdf(x);
            assert!((got - p).abs() <= 1e-14 * p, "Φ({x}) = {got}, want {p}");
        }
    }

    #[test]
    fn normal_inverse_matches_known_quantiles() {
        let e = std_normal_inv(0.975) - 1.959_963_984_540_054;
        assert!(e.abs() < 1e-14, "{e}");
        assert!((std_normal_inv(0.05) + Z95).abs() < 1e-14);
        assert!((std_normal_inv(1e-10) + 6.361_340_902_404_056).abs() < 1e-12);
        for &x in &[-3.0, -1.0, 0.0, 0.5, 2.5] {
            assert!((std_normal_inv(std_normal_cdf(x)) - x).abs() < 1e-9);
        }
    }

    #[test]
    fn wilson_matches_a_published_value() {
        // 81 of 263 at 95%: [0.2553, 0.3662] (Newcombe 1998, table I).
        let [a, b] = wilson(81, 263, Z975);
        assert!((a - 0.2553).abs() < 5e-4 && (b - 0.3662).abs() < 5e-4);
        assert_eq!(wilson(0, 0, Z975), [0.0, 1.0]);
    }

    #[test]
    fn wilson_contains_the_estimate_exactly() {
        for n in [
            1,
            2,
            3,
            7,
            10,
            999,
            1000,
            6000,
            100_000,
            1_000_003,
            10_000_000_000,
        ] {
            for hits in [0, 1, n / 3, n / 2, n - 1, n] {
                let [lo, hi] = wilson(hits, n, Z975);
                let p = hits as f64 / n as f64;
                assert!(lo <= p && p <= hi, "{hits}/{n}: [{lo}, {hi}] misses {p}");
                assert!((0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi));
            }
            assert_eq!(wilson(0, n, Z975)[0], 0.0, "n = {n}");
            assert_eq!(wilson(n, n, Z975)[1], 1.0, "n = {n}");
        }
    }

    #[test]
    fn spearman_of_monotone_transform_is_one() {
        let a: Vec<f64> = (0..50).map(|i| i as f64).collect();
        let b: Vec<f64> = a.iter().map(|x| x.powi(3)).collect();
        assert!((spearman(&a, &b) - 1.0).abs() < 1e-12);
        assert_eq!(ranks(&[3.0, 1.0, 3.0]), vec![2.5, 1.0, 2.5]);
        assert!((z_for_two_sided(0.95) - Z975).abs() < 1e-12);
    }
}
