//! Small statistical helpers shared by the engine and the report: binomial intervals
//! and rank correlation.

use crate::model::dist::std_normal_inv;

/// z for a two-sided 95% interval.
pub const Z975: f64 = 1.959_963_984_540_054;

/// Wilson score interval for `hits` successes in `n` trials at confidence given by `z`.
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
    [(centre - half).max(0.0), (centre + half).min(1.0)]
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
    fn wilson_matches_a_published_value() {
        // 81 of 263 at 95%: [0.2553, 0.3662] (Newcombe 1998, table I).
        let [a, b] = wilson(81, 263, Z975);
        assert!((a - 0.2553).abs() < 5e-4 && (b - 0.3662).abs() < 5e-4);
        assert_eq!(wilson(0, 0, Z975), [0.0, 1.0]);
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
